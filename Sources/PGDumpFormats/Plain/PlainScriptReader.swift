import PGDumpCore
import PGDumpCodecs

/// Reads a pg_dump plain SQL script as an archive: header, TOC entries and data, from one indexing pass.
///
/// A regular file is indexed once when opened (definitions kept, data recorded as byte ranges) and its data is
/// then read from those ranges in any order; with a `ScriptIndexCache`, the index is kept for the next command. Anything else — a pipe, standard input, a decompressed stream — is
/// read once, forward, with the data blocks copied to an unlinked temporary file as they pass, so memory stays
/// flat whatever the script's size and the data can still be read in any order.
package final class PlainScriptReader: ArchiveReader {
    package let format = ArchiveFormat.plain
    package let header: ArchiveHeader
    package let entries: [TOCEntry]
    package let sessionSettings: ArchiveSessionSettings
    package let warnings: [ArchiveWarning]
    package var path: String { source.name }
    private let source: ByteSource
    private let spool: ScriptSpool?
    private let index: PlainScriptIndex
    private var buffer: UnsafeMutableRawBufferPointer

    /// Where the index came from.
    package enum IndexOrigin: Sendable {
        /// A pass over the script.
        case pass
        /// A `ScriptIndexCache` file written by an earlier pass over the same, unchanged, script.
        case cache
    }
    package let indexOrigin: IndexOrigin

    /// - Parameter databaseName: the database's name when the script does not say it (no `-C`), as a part of a
    ///   pg_dumpall script does.
    ///   - cache: where the index of a script read from a regular file is looked for first and written after
    ///     a pass (`ScriptIndexCache`); `nil` reads the whole script every time.
    package init(
        source: ByteSource, limits: ArchiveLimits = .default, databaseName: ArchiveText? = nil,
        cache: ScriptIndexCache? = nil
    ) throws {
        self.source = source
        spool = source.isSeekable ? nil : try ScriptSpool()
        let cached = try cache == nil ? nil : (source as? FileByteSource).flatMap { try CachedScript(source: $0) }
        if let cache, let cached, let stored = cache.load(for: cached, limits: limits) {
            index = stored
            indexOrigin = .cache
        } else {
            index = try PlainScriptIndexer(source: source, spool: spool, limits: limits).index()
            indexOrigin = .pass
            if let cache, let cached { cache.store(index, for: cached, limits: limits) }
        }
        var header = index.header
        if header.databaseName == nil { header.databaseName = databaseName }
        self.header = header
        entries = index.entries
        sessionSettings = index.settings
        var warnings = index.warnings
        if let truncation = index.truncation { warnings.append(ArchiveWarning(truncation.description)) }
        self.warnings = warnings
        buffer = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Data ranges can be read in any order: in the script itself, or in the spool.
    package var supportsRandomAccess: Bool { true }

    package func sizeOnDisk() throws -> Int64? { source.size }

    package func storedSize(of entry: TOCEntry) throws -> Int64? {
        index.dataRanges[entry.dumpID].map { $0.end - $0.start }
    }

    /// The data bytes read from the script or the spool since the script was indexed, comparable with
    /// `storedSize(of:)` (the indexing pass itself read the whole script when it was opened).
    package private(set) var storedBytesRead: Int64 = 0

    package func storedCompression(of entry: TOCEntry) throws -> CompressionAlgorithm? { CompressionAlgorithm.none }

    package func streamStoredData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        try streamData(of: entry, into: &sink)
    }

    /// Scripts have no per-entry location comment (`pg_backup_null.c` has no `PrintExtraTocPtr`).
    package func dataLocationComment(for entry: TOCEntry) -> String? { nil }

    package var unrecordedInformation: UnrecordedInformation {
        var missing: UnrecordedInformation = []
        if !index.recordsDropStatements { missing.insert(.dropStatements) }
        if !index.recordsDatabaseCreation { missing.insert(.databaseCreation) }
        // Even pg_dump -v's "-- Dependencies:" lines are not the graph: pg_dump builds the dependency lists of
        // an archive's entries only for the archive formats (pg_dump.c: `if (!plainText)
        // BuildArchiveDependencies(fout)`), so a script records those of comments, ACLs and data alone.
        missing.insert(.dependencies)
        return missing
    }

    package var sourceNotes: [String] {
        var notes: [String] = []
        if index.hasDumpIDs {
            notes.append("Source: plain SQL script (pg_dump -v): dump IDs, catalog IDs and dependencies as recorded")
        } else {
            notes.append(
                "Source: plain SQL script: dump IDs assigned in order, catalog IDs 0, dependencies inferred (pg_dump -v records them)")
        }
        if header.creationTime == nil {
            notes.append("Creation time: not recorded in the script (pg_dump -v records it)")
        }
        return notes
    }

    /// The script ends with pg_dump's closing comment, or it is truncated.
    package func checkContainerEnd() throws {
        if let truncation = index.truncation { throw truncation }
    }

    package func placeDataProblem(_ error: PGDumpError, in entry: TOCEntry, decodedOffset: Int64?) -> PGDumpError {
        var placed = error.located(in: entry, of: self)
        if let range = index.dataRanges[entry.dumpID] {
            placed.message = "data at offset \(range.scriptOffset) of the script: " + placed.message
        }
        return placed
    }

    package func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        guard let range = index.dataRanges[entry.dumpID] else {
            throw PGDumpError(.invalidRequest, "entry has no data", file: path, dumpID: entry.dumpID)
        }
        if let truncation = range.truncation { throw truncation.forEntry(entry.dumpID) }
        do {
            switch range.kind {
            case .copy, .inserts:
                try readRange(range) { try sink.write($0) }
            case .largeObjects:
                var decoder = LargeObjectStatementDecoder(standardConformingStrings: sessionSettings.standardConformingStrings)
                try readRange(range) { try decoder.feed($0, into: &sink) }
                try decoder.finish(into: &sink)
            }
        } catch let error as PGDumpError {
            var located = error.forEntry(entry.dumpID).inFile(path)
            if located.offset == nil { located.offset = range.scriptOffset }
            throw located
        }
    }

    /// Passes the bytes of `range` to `body`, a buffer at a time, from the script or the spool.
    private func readRange(_ range: PlainDataRange, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var offset = range.start
        if spool == nil { try source.seek(to: offset) }
        while offset < range.end {
            let wanted = Int(min(Int64(buffer.count), range.end - offset))
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted])
            let count = try spool.map { try $0.read(at: offset, into: target) } ?? source.read(into: target)
            guard count > 0 else {
                throw PGDumpError(
                    .truncated, "the script is shorter than when it was indexed", file: path, offset: offset)
            }
            storedBytesRead += Int64(count)
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += Int64(count)
        }
    }
}

/// Turns the large-object statements of a script (`SELECT pg_catalog.lo_open('OID', 131072);`, `lowrite` with
/// a hex bytea literal, `lo_close`) back into the objects' bytes. Mirrors `StartRestoreLO`/`dump_lo_buf` in
/// reverse.
struct LargeObjectStatementDecoder {
    let standardConformingStrings: Bool
    private var line: [UInt8] = []
    private var open = false

    init(standardConformingStrings: Bool) { self.standardConformingStrings = standardConformingStrings }

    mutating func feed<Sink: DataSink>(_ bytes: UnsafeRawBufferPointer, into sink: inout Sink) throws {
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: 0x0A) {
            line.append(contentsOf: rest[..<newline])
            try handleLine(into: &sink)
            line.removeAll(keepingCapacity: true)
            rest = rest[(newline + 1)...]
        }
        line.append(contentsOf: rest)
    }

    mutating func finish<Sink: DataSink>(into sink: inout Sink) throws {
        if !line.isEmpty { try handleLine(into: &sink) }
        if open {
            throw PGDumpError(.truncated, "a large object's statements end without lo_close")
        }
    }

    private mutating func handleLine<Sink: DataSink>(into sink: inout Sink) throws {
        if line.isEmpty { return }
        let openPrefix = Array("SELECT pg_catalog.lo_open('".utf8)
        let writePrefix = Array("SELECT pg_catalog.lowrite(0, '".utf8)
        let closeLine = Array("SELECT pg_catalog.lo_close(0);".utf8)
        if PlainScriptText.starts(line[...], with: openPrefix) {
            let digits = line.dropFirst(openPrefix.count).prefix { $0 != 0x27 }
            guard let oid = UInt32(String(decoding: digits, as: UTF8.self)), !open else {
                throw PGDumpError(.corrupt, "malformed large object statement: \(PlainScriptIndexer.quotedLine(line))")
            }
            try sink.beginLargeObject(oid: oid)
            open = true
        } else if PlainScriptText.starts(line[...], with: writePrefix), open {
            var hex = line.dropFirst(writePrefix.count)
            if !standardConformingStrings, hex.first == 0x5C { hex = hex.dropFirst() }
            guard hex.starts(with: [0x5C, 0x78]), let end = hex.lastIndex(of: 0x27) else {
                throw PGDumpError(.corrupt, "malformed large object statement: \(PlainScriptIndexer.quotedLine(line))")
            }
            let digits = hex[(hex.startIndex + 2)..<end]
            guard digits.count % 2 == 0 else {
                throw PGDumpError(.corrupt, "odd number of hex digits in a large object's data")
            }
            var decoded: [UInt8] = []
            decoded.reserveCapacity(digits.count / 2)
            var index = digits.startIndex
            while index < digits.endIndex {
                guard let high = Self.hexValue(digits[index]), let low = Self.hexValue(digits[index + 1]) else {
                    throw PGDumpError(.corrupt, "invalid hex digit in a large object's data")
                }
                decoded.append(high << 4 | low)
                index += 2
            }
            try decoded.withUnsafeBytes { try sink.write($0) }
        } else if line == closeLine, open {
            try sink.endLargeObject()
            open = false
        } else {
            throw PGDumpError(.corrupt, "unexpected statement among large objects: \(PlainScriptIndexer.quotedLine(line))")
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        case 0x41...0x46: return byte - 0x41 + 10
        default: return nil
        }
    }
}
