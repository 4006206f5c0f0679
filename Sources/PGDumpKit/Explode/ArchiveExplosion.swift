import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// `pgdumpkit explode`: an archive as a tree of files, one per entry (`ExplodeLayout`), its table data as CSV
/// (or COPY data as stored), and `MANIFEST.tsv` (`ExplodeManifest`) with the restore order and every TOC field,
/// from which `ExplodedArchive` writes the archive again.
///
/// Nothing in the tree depends on the format, compression or creation of the archive, nor on dump IDs or OIDs:
/// the same database dumped in any format and compression explodes to the same bytes.
public enum ArchiveExplosion {
    public enum DataFormat: String, Sendable, CaseIterable {
        /// `COPY … TO STDOUT WITH (FORMAT csv, HEADER)`, byte for byte (`extract --to csv --header`).
        case csv
        /// The COPY data exactly as stored, end marker included.
        case copy
    }

    public struct Summary: Sendable {
        public var entries = 0
        public var files = 0
        public var dataBytes: Int64 = 0
    }

    /// Encodings whose multi-byte characters may hold ASCII bytes: COPY text escapes them by character, so the
    /// data is kept as stored rather than turned into CSV and back.
    static let encodingsEmbeddingASCII: Set<String> = ["SJIS", "SHIFT_JIS_2004", "BIG5", "GBK", "UHC", "GB18030", "JOHAB"]

    /// Writes `reader`'s entries into `directory`, an existing empty directory, reading their data in TOC order.
    ///
    /// - Parameter plan: the entries to write, and their order: those a script with the plan's selection holds
    ///   (as `sql` would print them; `-L` order with a use-list), an entry's data only when the script holds it.
    ///   Every entry, in TOC order, without one. An entry's path does not depend on the selection.
    public static func explode(
        _ reader: any ArchiveReader, into directory: String, dataFormat: DataFormat = .csv, plan: RestorePlan? = nil
    ) throws -> Summary {
        var summary = Summary()
        // Paths are chosen among all the archive's entries, so that a selection does not rename what it keeps.
        var baseByDumpID: [Int32: String] = [:]
        for (entry, base) in zip(reader.entries, ExplodeLayout.basePaths(of: reader.entries))
        where baseByDumpID[entry.dumpID] == nil {
            baseByDumpID[entry.dumpID] = base
        }
        var entries = reader.entries
        var withData = entries.map(\.hasData)
        if let plan {
            let requirements = EntrySelection.requirements(of: plan.entries, options: plan.selection, names: plan.names)
            let kept = plan.entries.indices.filter { !requirements[$0].isEmpty }
            entries = kept.map { plan.entries[$0] }
            withData = kept.map { requirements[$0].contains(.data) && plan.entries[$0].hasData }
        }
        var position: [Int32: Int] = [:]
        for (index, entry) in entries.enumerated() where position[entry.dumpID] == nil { position[entry.dumpID] = index + 1 }
        var folders = FolderMaker(root: directory)
        let csvAllowed = !encodingsEmbeddingASCII.contains(reader.sessionSettings.encoding.name)
        var records: [ExplodeManifest.EntryRecord] = []
        for (index, entry) in entries.enumerated() {
            guard let base = baseByDumpID[entry.dumpID] else { continue }
            var record = ExplodeManifest.EntryRecord(
                file: nil, entry: entry, dependencies: entry.dependencies.compactMap { position[$0] },
                dataFile: nil, dataFormat: nil)
            if let defn = entry.defn {
                record.file = ""
                if !defn.isEmpty {
                    let file = base + ".sql"
                    try folders.make(parentOf: file)
                    try writeFile(directory + "/" + file, defn.bytes)
                    record.file = file
                    summary.files += 1
                }
            }
            if withData[index] {
                try folders.make(parentOf: base)
                let (file, format, bytes) = try writeData(
                    of: entry, from: reader, base: base, directory: directory,
                    csv: dataFormat == .csv && csvAllowed)
                record.dataFile = file
                record.dataFormat = format
                summary.dataBytes += bytes
                summary.files += 1
            }
            records.append(record)
            summary.entries += 1
        }
        let manifest = ExplodeManifest(
            archiveVersion: ArchiveVersion(reader.header.version.major, reader.header.version.minor),
            databaseName: reader.header.databaseName, serverVersion: reader.header.serverVersion,
            pgDumpVersion: reader.header.pgDumpVersion, records: records)
        try writeFile(directory + "/" + ExplodeManifest.fileName, manifest.encoded())
        summary.files += 1
        return summary
    }

    /// Writes one entry's data: CSV for COPY table data where it can, large objects one file each, anything
    /// else as stored.
    private static func writeData(
        of entry: TOCEntry, from reader: any ArchiveReader, base: String, directory: String, csv: Bool
    ) throws -> (file: String, format: String, bytes: Int64) {
        if entry.isLargeObjectData {
            let folder = base + ".blobs"
            try makeDirectory(directory + "/" + folder)
            var sink = LargeObjectFilesSink(folder: directory + "/" + folder)
            try reader.streamData(of: entry, into: &sink)
            return (folder, "blobs", sink.bytes)
        }
        let isCopyData = entry.desc.equals("TABLE DATA") && !(entry.copyStmt?.isEmpty ?? true)
        if isCopyData && csv, let statement = CopyStatement(parsing: entry.copyStmt!, archiveVersion: reader.header.version) {
            let file = base + ".csv"
            let path = directory + "/" + file
            let columns = statement.columns
            do {
                let output = try TreeFile(creating: path)
                defer { output.closeQuietly() }
                let buffer = OutputBuffer(sink: output.sink, capacity: 1 << 20, passThroughSize: 1 << 20)
                let writer = CSVRowWriter(output: buffer, columnCount: columns?.count ?? 0)
                if let columns { try writer.writeHeader(columns) }
                let decoder = CopyTextDecoder(columns: columns, handler: writer, stopsAtFirstProblem: true)
                var tee = TailKeepingSink(inner: decoder)
                try reader.placingProblems(of: decoder, in: entry) {
                    try reader.streamData(of: entry, into: &tee)
                    try decoder.finish()
                }
                // What follows the rows (the end marker and the blank lines pg_dump writes after it, which vary
                // with its version) is kept in the manifest, so that the data can be written back exactly.
                if let trailer = tee.trailer {
                    try buffer.flush()
                    try output.close()
                    return (file, (columns != nil ? "csv" : "csv-noheader") + ":" + trailer, decoder.byteCount)
                }
            } catch let error as PGDumpError where reader.supportsRandomAccess && error.kind != .io {
                // Data COPY text cannot describe (it would not read back the same): kept as stored instead.
            }
            unlink(path)
        }
        let file = base + (isCopyData ? ".copy" : ".data.sql")
        let output = try TreeFile(creating: directory + "/" + file)
        defer { output.closeQuietly() }
        var sink = OutputFileDataSink(output: output)
        try reader.streamData(of: entry, into: &sink)
        try output.close()
        return (file, isCopyData ? "copy" : "raw", sink.bytes)
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let output = try TreeFile(creating: path)
        defer { output.closeQuietly() }
        try bytes.withUnsafeBytes { try output.sink.write($0) }
        try output.close()
    }

    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw PGDumpError(.io, "could not create directory: \(SystemError.describe(errno))", file: path)
        }
    }
}

/// Creates the folders of a tree once each.
struct FolderMaker {
    let root: String
    private var made: Set<String> = []

    init(root: String) { self.root = root }

    mutating func make(parentOf relative: String) throws {
        guard let slash = relative.lastIndex(of: "/") else { return }
        let folder = String(relative[..<slash])
        guard !made.contains(folder) else { return }
        var path = ""
        for component in folder.split(separator: "/") {
            path += path.isEmpty ? String(component) : "/" + component
            if made.insert(path).inserted { try ArchiveExplosion.makeDirectory(root + "/" + path) }
        }
    }
}

/// A new file, written through a descriptor sink.
final class TreeFile {
    let descriptor: Int32
    let path: String
    let sink: FileDescriptorSink
    private var closed = false

    init(creating path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PGDumpError(.io, "could not create file: \(SystemError.describe(errno))", file: path)
        }
        self.path = path
        sink = FileDescriptorSink(descriptor: descriptor, name: path)
    }

    func close() throws {
        guard !closed else { return }
        closed = true
        guard Glibc.close(descriptor) == 0 else {
            throw PGDumpError(.io, "could not close file: \(SystemError.describe(errno))", file: path)
        }
    }

    func closeQuietly() { try? close() }
}

/// Passes data on and keeps its last bytes, to find what follows the rows of COPY data: `trailer` is the end
/// marker line and what comes after it, as hexadecimal digits, when that is short and well-formed.
struct TailKeepingSink<Inner: DataSink>: DataSink {
    var inner: Inner
    /// The last bytes of the data: the last `kept` are contiguous.
    private var tail: [UInt8] = []
    private static var kept: Int { 64 }

    init(inner: Inner) { self.inner = inner }

    mutating func write(_ chunk: UnsafeRawBufferPointer) throws {
        try inner.write(chunk)
        tail.append(contentsOf: chunk.suffix(Self.kept))
        if tail.count > 2 * Self.kept { tail.removeFirst(tail.count - Self.kept) }
    }

    var trailer: String? {
        // The marker starts a line: at the start of the data, or after the last row's newline.
        let marker: [UInt8] = [0x5C, UInt8(ascii: ".")]
        let tail = Array(self.tail.suffix(Self.kept))
        var start: Int?
        for index in stride(from: tail.count - marker.count, through: 0, by: -1)
        where tail[index...].starts(with: marker) && (index > 0 ? tail[index - 1] == 0x0A : self.tail.count <= Self.kept) {
            start = index
            break
        }
        guard let start else { return nil }
        let rest = tail[(start + marker.count)...]
        // Only newlines may follow the marker.
        guard rest.allSatisfy({ $0 == 0x0A || $0 == 0x0D }) else { return nil }
        return tail[start...].map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}

/// Data written to a file as it comes.
struct OutputFileDataSink: DataSink {
    let output: TreeFile
    private(set) var bytes: Int64 = 0

    init(output: TreeFile) { self.output = output }

    mutating func write(_ chunk: UnsafeRawBufferPointer) throws {
        bytes += Int64(chunk.count)
        try output.sink.write(chunk)
    }
}

/// Each large object of a BLOBS entry to a file named by its OID.
struct LargeObjectFilesSink: DataSink {
    let folder: String
    private var current: TreeFile?
    private(set) var bytes: Int64 = 0

    init(folder: String) { self.folder = folder }

    mutating func beginLargeObject(oid: UInt32) throws {
        current = try TreeFile(creating: folder + "/" + String(oid))
    }

    mutating func write(_ chunk: UnsafeRawBufferPointer) throws {
        guard let current else {
            throw PGDumpError(.corrupt, "large-object data outside a large object", file: folder)
        }
        bytes += Int64(chunk.count)
        try current.sink.write(chunk)
    }

    mutating func endLargeObject() throws {
        try current?.close()
        current = nil
    }
}
