import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// What reading one entry's data found: rows or large objects, and sizes.
public struct DataEntryReport: Sendable, Equatable {
    /// What the entry's data is.
    public enum Content: Sendable, Equatable {
        /// COPY data (TABLE DATA with a COPY statement).
        case copyRows
        /// SQL statements (TABLE DATA written by `pg_dump --inserts`), or any other data.
        case statements
        /// Large objects (BLOBS).
        case largeObjects
    }

    /// The entry's dump ID.
    public var dumpID: Int32
    /// The entry type, `TABLE DATA` or `BLOBS`.
    public var desc: String
    /// The entry's schema, when it has one.
    public var schema: String?
    /// The entry's tag: the table name, or the range of large-object OIDs.
    public var name: String?
    /// The entry as messages name it, `TABLE DATA app.orders`.
    public var label: String
    /// The table as SQL names it, `app."Regions EU"`; the tag for other entries.
    public var displayName: String
    /// What the data is, and so how it was read.
    public var content: Content
    /// Rows of COPY data read (all of them when `isIntact`).
    public var rows: Int64?
    /// Large objects read.
    public var largeObjects: Int?
    /// Bytes of data read, decompressed.
    public var uncompressedBytes: Int64 = 0
    /// Bytes the data occupies in the archive, when the reader knows without reading it.
    public var storedBytes: Int64?
    /// Whether all of the data was read and found well-formed.
    public var isIntact = false

    init(entry: TOCEntry, content: Content) {
        dumpID = entry.dumpID
        desc = entry.desc.string
        schema = entry.namespace?.string
        name = entry.tag?.string
        label = entry.displayLabel
        displayName = content == .largeObjects
            ? TOCEntry.escapingControlCharacters(entry.tag?.bytes ?? []) : entry.qualifiedDisplayName
        self.content = content
    }

    /// Lines of a right-aligned table of rows, bytes and stored bytes, one per report, with a heading.
    static func table(_ reports: [DataEntryReport], entryHeading: String) -> [String] {
        let cells = reports.map { report -> [String] in
            let rows = report.rows.map(String.init) ?? "-"
            var name = report.content == .largeObjects ? report.label : report.displayName
            if let count = report.largeObjects {
                name += " (\(count) large object\(count == 1 ? "" : "s"))"
            }
            if report.content == .statements { name += " (INSERT statements)" }
            if !report.isIntact { name += " (damaged: see below)" }
            return [rows, String(report.uncompressedBytes), report.storedBytes.map(String.init) ?? "-", name]
        }
        let headings = ["rows", "bytes", "stored", entryHeading]
        var widths = headings.map(\.count)
        for row in cells {
            for column in 0..<3 { widths[column] = max(widths[column], row[column].count) }
        }
        func line(_ row: [String]) -> String {
            (0..<3).map { String(repeating: " ", count: widths[$0] - row[$0].count) + row[$0] }.joined(separator: "  ")
                + "  " + row[3]
        }
        return [line(headings)] + cells.map(line)
    }

    func writeJSON(into json: inout JSONWriter) {
        json.beginObject()
        json.field("dumpId", dumpID)
        json.field("desc", desc)
        json.field("schema", schema)
        json.field("tag", name)
        json.field("rows", rows)
        if content == .largeObjects { json.field("largeObjects", largeObjects) }
        json.field("bytes", uncompressedBytes)
        json.field("storedBytes", storedBytes)
        json.field("ok", isIntact)
        json.endObject()
    }
}

/// Counts a BLOBS entry's large objects and their bytes, checking that each one that begins also ends.
struct LargeObjectCounter: DataSink, ProgressCounting {
    private(set) var count = 0
    private(set) var bytes: Int64 = 0
    private var inside = false

    var rowsSoFar: Int64? { nil }

    mutating func write(_ chunk: UnsafeRawBufferPointer) throws {
        guard inside else { throw PGDumpError(.corrupt, "large-object data outside a large object") }
        bytes += Int64(chunk.count)
    }

    mutating func beginLargeObject(oid: UInt32) throws {
        guard !inside else { throw PGDumpError(.corrupt, "large object \(oid) begins inside another") }
        inside = true
        count += 1
    }

    mutating func endLargeObject() throws { inside = false }
}

/// Counts bytes of data that is not COPY data.
struct ByteCounter: DataSink, ProgressCounting {
    private(set) var bytes: Int64 = 0
    var rowsSoFar: Int64? { nil }
    mutating func write(_ chunk: UnsafeRawBufferPointer) throws { bytes += Int64(chunk.count) }
}
