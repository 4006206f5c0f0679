import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// A tree `explode` wrote, read back as an archive's header, entries and data (`pgdumpkit implode`).
///
/// Entries get dump IDs 1, 2, … in the manifest's order and OIDs 0 (neither is kept in the tree); the header
/// gets the versions the manifest recorded and a creation time of 1970-01-01 00:00:00. CSV data is turned back
/// into the COPY text PostgreSQL writes (`CopyAttributeOutText`), so the archive's data is the original's byte
/// for byte. Every path in the manifest is checked to stay inside the tree.
public struct ExplodedArchive {
    public let directory: String
    public let header: ArchiveHeader
    /// The entries in restore order, definitions read from their files.
    public let entries: [TOCEntry]
    private let records: [Int32: ExplodeManifest.EntryRecord]

    public init(directory: String) throws {
        self.directory = directory
        let manifestPath = directory + "/" + ExplodeManifest.fileName
        let manifest = try ExplodeManifest(parsing: try Self.readFile(manifestPath), name: manifestPath)
        var entries: [TOCEntry] = []
        var records: [Int32: ExplodeManifest.EntryRecord] = [:]
        for record in manifest.records {
            var entry = record.entry
            if let file = record.file {
                entry.defn = file.isEmpty ? "" : ArchiveText(bytes: try Self.readFile(try Self.path(file, in: directory)))
            }
            if let dataFile = record.dataFile {
                _ = try Self.path(dataFile, in: directory)
                guard ["csv", "csv-noheader", "copy", "raw", "blobs"].contains(Self.dataKind(record.dataFormat)),
                    Self.dataKind(record.dataFormat).hasPrefix("csv") == (try Self.trailer(record.dataFormat) != nil)
                else {
                    throw PGDumpError(
                        .corrupt, "entry \(entry.dumpID): unknown data format \(record.dataFormat ?? "NULL")", file: manifestPath)
                }
            }
            records[entry.dumpID] = record
            entries.append(entry)
        }
        let version = manifest.archiveVersion
        header = ArchiveHeader(
            version: version, formatByte: ArchiveFormat.custom.headerFormatByte,
            compression: CompressionSpec(algorithm: .gzip, storedLevel: version >= .v1_15 ? nil : -1),
            creationTime: CreationTime(second: 0, minute: 0, hour: 0, dayOfMonth: 1, month: 0, yearsSince1900: 70, isDST: 0),
            databaseName: manifest.databaseName, serverVersion: manifest.serverVersion,
            pgDumpVersion: manifest.pgDumpVersion)
        self.entries = entries
        self.records = records
    }

    /// Writes the data of every entry of `entries` that has data (the entries `ArchiveConversion` made of
    /// `self.entries`: same dump IDs), in order, then finishes the archive.
    public func write(_ entries: [TOCEntry], to writer: any ArchiveWriter) throws {
        for entry in entries where entry.hasData {
            guard let record = records[entry.dumpID], let dataFile = record.dataFile else { continue }
            let path = try Self.path(dataFile, in: directory)
            try writer.beginData(of: entry)
            switch Self.dataKind(record.dataFormat) {
            case "csv", "csv-noheader":
                let columns = entry.copyStmt.flatMap { CopyStatement(parsing: $0, archiveVersion: header.version)?.columns }
                var converter = CSVToCopyText(
                    writer: writer, columnCount: columns?.count, skipsHeader: Self.dataKind(record.dataFormat) == "csv",
                    trailer: try Self.trailer(record.dataFormat) ?? [], file: path)
                try Self.stream(path) { try converter.consume($0) }
                try converter.finish()
            case "blobs":
                var oids: [UInt32] = []
                for name in try TreeFolder.names(in: path) {
                    guard let oid = UInt32(name), String(oid) == name else {
                        throw PGDumpError(.corrupt, "\(name) is not a large object's OID", file: path)
                    }
                    oids.append(oid)
                }
                // pg_dump writes the large objects of an entry in OID order.
                for oid in oids.sorted() {
                    try writer.beginLargeObject(oid: oid)
                    try Self.stream(path + "/" + String(oid)) { try writer.write($0) }
                    try writer.endLargeObject()
                }
            default:
                try Self.stream(path) { try writer.write($0) }
            }
            try writer.endData()
        }
        try writer.finish()
    }

    /// A data format without its trailer: `csv`, `csv-noheader`, `copy`, `raw`, `blobs`.
    static func dataKind(_ format: String?) -> String {
        guard let format else { return "" }
        return String(format.prefix { $0 != ":" })
    }

    /// The bytes after the rows of CSV data (`csv:5c2e0a0a`: the end marker and what follows it, in hexadecimal).
    static func trailer(_ format: String?) throws -> [UInt8]? {
        guard let format, let colon = format.firstIndex(of: ":") else { return nil }
        let digits = Array(format[format.index(after: colon)...].utf8)
        guard digits.count % 2 == 0, digits.count <= 256 else {
            throw PGDumpError(.corrupt, "data format \(format.debugDescription): the end of the data is not hexadecimal")
        }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                throw PGDumpError(.corrupt, "data format \(format.debugDescription): the end of the data is not hexadecimal")
            }
            bytes.append(byte)
        }
        return bytes
    }

    /// `relative` inside `directory`, refused if it could leave it.
    static func path(_ relative: String, in directory: String) throws -> String {
        let components = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
            !relative.utf8.contains(0)
        else {
            throw PGDumpError(.corrupt, "the manifest names \(relative.debugDescription), which is not a path inside the tree", file: directory)
        }
        return directory + "/" + relative
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try stream(path) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Reads a regular file (never through a symbolic link) a megabyte at a time.
    static func stream(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            throw PGDumpError(.io, "could not open: \(SystemError.describe(errno))", file: path)
        }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw PGDumpError(.io, "could not read: \(SystemError.describe(errno))", file: path) }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}

/// Turns CSV as `COPY … TO … (FORMAT csv)` writes it back into the COPY text pg_dump stored: NULL (an unquoted
/// empty field) as `\N`, and in each value a backslash, backspace, form feed, newline, carriage return, tab and
/// vertical tab escaped as `CopyAttributeOutText` escapes them (copyto.c), other bytes as they are; the end
/// marker and the newlines after it, as the manifest recorded them, follow the rows.
struct CSVToCopyText {
    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    let writer: any ArchiveWriter
    let columnCount: Int?
    /// What follows the rows: the end marker and the newlines after it, as stored.
    let trailer: [UInt8]
    let file: String
    private var skipping: Bool
    private var state = State.fieldStart
    private var row: [UInt8] = []
    private var fieldsInRow = 0
    private var fieldStart = 0
    private var output: [UInt8] = []
    private var line = 1

    init(writer: any ArchiveWriter, columnCount: Int?, skipsHeader: Bool, trailer: [UInt8], file: String) {
        self.writer = writer
        self.columnCount = columnCount
        self.trailer = trailer
        self.skipping = skipsHeader
        self.file = file
        output.reserveCapacity(1 << 20)
    }

    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws {
        var index = 0
        let count = bytes.count
        while index < count {
            // Runs of bytes that need no escaping and end nothing are copied whole.
            if state == .unquoted || state == .quoted {
                let quoted = state == .quoted
                var end = index
                while end < count && !Self.stops(bytes[end], quoted: quoted) { end += 1 }
                if end > index { row.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end])) }
                index = end
                guard index < count else { return }
            }
            try consume(byte: bytes[index])
            index += 1
        }
    }

    /// Whether a byte inside a value must be looked at alone: it is escaped in COPY text, or ends the value.
    @inline(__always)
    private static func stops(_ byte: UInt8, quoted: Bool) -> Bool {
        (byte >= 0x08 && byte <= 0x0D) || byte == 0x5C || byte == (quoted ? UInt8(ascii: "\"") : UInt8(ascii: ","))
    }

    private mutating func consume(byte: UInt8) throws {
        switch state {
        case .fieldStart:
            switch byte {
            case UInt8(ascii: "\""):
                state = .quoted
            case UInt8(ascii: ","):
                endField(null: true)
            case 0x0A:
                try endRow(lastFieldNull: true)
            default:
                append(byte)
                state = .unquoted
            }
        case .unquoted:
            switch byte {
            case UInt8(ascii: ","): endField(null: false)
            case 0x0A: try endRow(lastFieldNull: false)
            default: append(byte)
            }
        case .quoted:
            if byte == UInt8(ascii: "\"") { state = .quoteInQuoted } else { append(byte) }
        case .quoteInQuoted:
            switch byte {
            case UInt8(ascii: "\""):
                append(byte)
                state = .quoted
            case UInt8(ascii: ","):
                endField(null: false)
            case 0x0A:
                try endRow(lastFieldNull: false)
            default:
                throw PGDumpError(.corrupt, "line \(line): a quoted CSV value must end with its closing quote", file: file)
            }
        }
        if byte == 0x0A { line += 1 }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        let escaped: UInt8
        switch byte {
        case 0x5C: escaped = 0x5C
        case 0x08: escaped = UInt8(ascii: "b")
        case 0x0C: escaped = UInt8(ascii: "f")
        case 0x0A: escaped = UInt8(ascii: "n")
        case 0x0D: escaped = UInt8(ascii: "r")
        case 0x09: escaped = UInt8(ascii: "t")
        case 0x0B: escaped = UInt8(ascii: "v")
        default:
            row.append(byte)
            return
        }
        row.append(0x5C)
        row.append(escaped)
    }

    private mutating func endField(null: Bool) {
        if null { row += [0x5C, UInt8(ascii: "N")] }
        row.append(0x09)
        fieldsInRow += 1
        state = .fieldStart
    }

    private mutating func endRow(lastFieldNull: Bool) throws {
        // A table without columns has empty rows; otherwise an empty last field is NULL.
        if columnCount == 0 && fieldsInRow == 0 && row.isEmpty {
        } else if lastFieldNull {
            row += [0x5C, UInt8(ascii: "N")]
        }
        fieldsInRow += 1
        if let columnCount, columnCount > 0, fieldsInRow != columnCount {
            throw PGDumpError(.corrupt, "line \(line): \(fieldsInRow) values where the table has \(columnCount) columns", file: file)
        }
        row.append(0x0A)
        if skipping {
            skipping = false
        } else {
            output += row
            if output.count >= 1 << 20 { try flush() }
        }
        row.removeAll(keepingCapacity: true)
        fieldsInRow = 0
        state = .fieldStart
    }

    private mutating func flush() throws {
        try output.withUnsafeBytes { try writer.write($0) }
        output.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws {
        guard state == .fieldStart && row.isEmpty && fieldsInRow == 0 else {
            throw PGDumpError(.corrupt, "line \(line): the CSV data ends inside a row", file: file)
        }
        output += trailer
        try flush()
    }
}
