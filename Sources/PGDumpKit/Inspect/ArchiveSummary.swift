import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// What a person wants to know about an archive at a glance (`pgdumpkit info`). Built from the header and TOC
/// only, plus file sizes.
public struct ArchiveSummary: Sendable {
    public var path: String
    public var format: ArchiveFormat
    public var header: ArchiveHeader
    public var tocCount: Int
    /// Entries per stored section, in section order.
    public var entriesBySection: [(Section, Int)]
    /// Entries per type, most frequent first.
    public var entriesByType: [(String, Int)]
    /// TABLE DATA entries that carry data, as `schema.table`, in TOC order.
    public var tablesWithData: [String]
    /// Large objects, counted from BLOB METADATA (1.16) or BLOB (older) entries.
    public var largeObjectCount: Int
    /// BLOBS entries holding large-object contents.
    public var largeObjectDataEntries: Int
    /// Custom format only: whether data offsets are recorded (`nil` for other formats).
    public var hasDataOffsets: Bool?
    public var sizeOnDisk: Int64?
    /// Bytes the data of all entries occupies in the archive, when every entry's size can be known without
    /// reading its data (recorded offsets, directory files, tar members).
    public var storedDataSize: Int64?
    /// Data files or members the TOC names but the archive lacks (a damaged directory archive); the rest of the
    /// summary is still complete.
    public var missingData: [PGDumpError] = []
    /// How the TOC was obtained when the input is not an archive (a plain script): `ArchiveReader.sourceNotes`.
    public var sourceNotes: [String] = []

    public init(reader: any ArchiveReader) throws {
        path = reader.path
        format = reader.format
        header = reader.header
        sourceNotes = reader.sourceNotes
        let entries = reader.entries
        tocCount = entries.count
        var sections: [Section: Int] = [:]
        var types: [String: Int] = [:]
        var tables: [String] = []
        var largeObjects = 0
        var blobsEntries = 0
        var offsetsKnown = 0
        var offsetsMissing = 0
        for entry in entries {
            sections[entry.section, default: 0] += 1
            types[entry.desc.string, default: 0] += 1
            if entry.desc.equals("TABLE DATA") && entry.hasData {
                tables.append((entry.namespace.map { $0.string + "." } ?? "") + (entry.tag?.string ?? ""))
            }
            if entry.desc.equals("BLOB METADATA") {
                largeObjects += entry.defn?.bytes.split(separator: 0x0A).count ?? 0
            } else if entry.desc.equals("BLOB") {
                largeObjects += 1
            }
            if entry.isLargeObjectData && entry.hasData { blobsEntries += 1 }
            switch entry.dataLocation {
            case .offset: offsetsKnown += 1
            case .offsetNotSet: offsetsMissing += 1
            default: break
            }
        }
        entriesBySection = sections.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key, $0.value) }
        entriesByType = types.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { ($0.key, $0.value) }
        tablesWithData = tables
        largeObjectCount = largeObjects
        largeObjectDataEntries = blobsEntries
        hasDataOffsets = format.locatesDataByOffset ? (offsetsMissing == 0) : nil
        sizeOnDisk = try reader.sizeOnDisk()
        let dataEntries = entries.filter(\.hasData)
        let (storedSizes, missing) = try reader.storedSizes()
        missingData = missing
        storedDataSize = storedSizes.count == dataEntries.count ? storedSizes.values.reduce(0) { $0.saturatingAdding($1) } : nil
    }

    /// The human-readable summary.
    public func text() -> String {
        var lines: [String] = []
        func line(_ label: String, _ value: String) {
            lines.append(Self.padded(label, to: 18) + value)
        }
        line("Archive:", path)
        line("Format:", format.isScript ? "\(format.rawValue) (a SQL script read as an archive)" : format.rawValue)
        for note in sourceNotes { lines.append("  " + note) }
        line("Archive version:", header.version.description + (format.isScript ? " (what its pg_dump writes)" : ""))
        var compression = header.compression.algorithm.description
        if let level = header.compression.storedLevel, level > 0 { compression += " (level \(level))" }
        line("Compression:", compression)
        line("Created:", header.creationTime == nil && format.isScript
            ? "not recorded (pg_dump -v records it)" : ListPrinter.formattedCreationTime(header))
        line("Database:", header.databaseName?.string ?? "-")
        line("Server version:", header.serverVersion?.string ?? "-")
        line("pg_dump version:", header.pgDumpVersion?.string ?? "-")
        if let sizeOnDisk { line("Size on disk:", Self.formatBytes(sizeOnDisk)) }
        if let storedDataSize { line("Stored data:", Self.formatBytes(storedDataSize)) }
        if let hasDataOffsets {
            line("Data offsets:", hasDataOffsets ? "recorded" : "not recorded (written to a pipe; data is read in order)")
        }
        line("TOC entries:", String(tocCount))
        for (section, count) in entriesBySection {
            lines.append("  " + Self.padded(section.description + ":", to: 16) + String(count))
        }
        lines.append("Entry types:")
        let width = max(16, (entriesByType.map { $0.0.count }.max() ?? 0) + 2)
        for (type, count) in entriesByType {
            lines.append("  " + Self.padded(type, to: width) + String(count))
        }
        line("Tables with data:", String(tablesWithData.count))
        var objects = String(largeObjectCount)
        if largeObjectDataEntries > 0 {
            objects += " (in \(largeObjectDataEntries) BLOBS entr\(largeObjectDataEntries == 1 ? "y" : "ies"))"
        }
        line("Large objects:", objects)
        if !missingData.isEmpty {
            line("Missing data:", "\(missingData.count) entr\(missingData.count == 1 ? "y" : "ies") (pgdumpkit verify tells more)")
            for error in missingData { lines.append("  " + error.description) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as JSON.
    public func json() -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("formatVersion", ArchiveJSON.formatVersion)
        json.field("path", path)
        json.field("format", format.rawValue)
        if !sourceNotes.isEmpty {
            json.beginArray("sourceNotes")
            for note in sourceNotes { json.element(note) }
            json.endArray()
        }
        ArchiveJSON.writeHeader(header, into: &json)
        json.field("sizeOnDisk", sizeOnDisk)
        json.field("storedDataSize", storedDataSize)
        if let hasDataOffsets { json.field("hasDataOffsets", hasDataOffsets) }
        json.field("tocCount", tocCount)
        json.beginObject("entriesBySection")
        for (section, count) in entriesBySection { json.field(section.description, count) }
        json.endObject()
        json.beginObject("entriesByType")
        for (type, count) in entriesByType { json.field(type, count) }
        json.endObject()
        json.beginArray("tablesWithData")
        for table in tablesWithData { json.element(table) }
        json.endArray()
        json.field("largeObjects", largeObjectCount)
        json.field("largeObjectDataEntries", largeObjectDataEntries)
        json.beginArray("missingData")
        for error in missingData { json.element(error.description) }
        json.endArray()
        json.endObject()
        return json.finished()
    }

    /// `text` followed by spaces up to `width` characters.
    static func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// `1.2 MiB (1234567 bytes)`.
    static func formatBytes(_ count: Int64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) bytes" }
        let rounded = (value * 10).rounded() / 10
        return "\(rounded) \(units[unit]) (\(count) bytes)"
    }
}
