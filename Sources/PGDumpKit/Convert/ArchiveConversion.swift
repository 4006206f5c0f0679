import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// What a conversion writes: the header and TOC of the new archive and where each entry's data comes from.
///
/// Every header and TOC field is carried over; only what the target format or version requires changes: the
/// format byte, the compression field, the per-entry file names or offsets, and, when writing an older archive
/// version, the fields that version cannot hold (each dropped field is reported).
public struct ArchiveConversion: Sendable {
    /// The target of a conversion.
    public struct Target: Sendable, Hashable {
        public var format: ArchiveFormat
        /// `nil` keeps the input's compression where the format allows it (tar stores data uncompressed).
        public var compression: CompressionChoice?
        /// `nil` keeps the input's version, raised only where the compression needs it.
        public var archiveVersion: ArchiveVersion?
        /// The pg_restore major the archive is written for, when one is named (`convert --for-pg-restore`):
        /// below 19, the entries that release does not know are left out (see `ArchiveConversion.init`).
        public var pgRestoreMajor: Int?

        public init(
            format: ArchiveFormat, compression: CompressionChoice? = nil, archiveVersion: ArchiveVersion? = nil,
            pgRestoreMajor: Int? = nil
        ) {
            self.format = format
            self.compression = compression
            self.archiveVersion = archiveVersion
            self.pgRestoreMajor = pgRestoreMajor
        }
    }

    public let header: ArchiveHeader
    public let entries: [TOCEntry]
    public let compression: CompressionChoice
    /// For each output entry with data (by dump ID), the input entries whose data it holds, in order.
    public let dataSources: [Int32: [TOCEntry]]
    /// What the user should know: raised or lowered versions, dropped fields.
    public let notices: [String]
    private let targetFormat: ArchiveFormat
    /// Whether compressed data may be kept as stored: the compression is kept, or asked for without a level.
    private let copiesStoredData: Bool

    /// Plans a conversion of `entries` (already selected and ordered) read from an archive with `inputHeader`.
    public init(inputHeader: ArchiveHeader, entries inputEntries: [TOCEntry], target: Target) throws {
        var notices: [String] = []
        let inputVersion = inputHeader.version

        // Compression: as asked, or the input's (its stored gzip level, where the version kept one).
        var compression = target.compression ?? CompressionChoice(
            algorithm: inputHeader.compression.algorithm,
            level: inputHeader.compression.storedLevel.flatMap { $0 > 0 ? Int($0) : nil })
        if !target.format.storesCompressedData {
            guard target.compression == nil || compression.algorithm == .none else {
                throw PGDumpError(.invalidRequest, "compression is not supported by \(target.format) archive format")
            }
            compression = CompressionChoice(algorithm: .none)
        }

        // Version: as asked, or the input's, raised to 1.15 where lz4 and zstd need the algorithm byte.
        let needsAlgorithmByte = compression.algorithm == .lz4 || compression.algorithm == .zstd
        var version = ArchiveVersion(inputVersion.major, inputVersion.minor)
        if let asked = target.archiveVersion {
            if needsAlgorithmByte && asked < .v1_15 {
                throw PGDumpError(
                    .invalidRequest,
                    "\(compression.algorithm) compression cannot be expressed in archive version \(asked.shortDescription): it needs 1.15 or later (pg_restore 16 or later)")
            }
            let hasLargeObjects = inputEntries.contains { $0.desc.equals("BLOB") || $0.isLargeObjectData || $0.desc.equals("BLOB METADATA") }
            if asked > ArchiveVersion(inputVersion.major, inputVersion.minor) && asked > .v1_15 && hasLargeObjects
                && inputVersion < .v1_16
            {
                throw PGDumpError(
                    .invalidRequest,
                    "cannot raise an archive with large objects from version \(inputVersion.shortDescription) to \(asked.shortDescription)")
            }
            version = asked
        } else if needsAlgorithmByte && version < .v1_15 {
            version = .v1_15
            notices.append(
                "archive version raised from \(inputVersion.shortDescription) to 1.15 to record \(compression.algorithm) compression; pg_restore older than 16 cannot read the result")
        }
        guard version >= .v1_10 else {
            throw PGDumpError(.invalidRequest, "writing archive version \(version.shortDescription) is not supported (1.10 or later)")
        }

        // Data that the TOC says was dumped but does not locate (a directory archive's empty file name) cannot be
        // copied: refused, as sql and extract refuse it, rather than dropped from the output unnoticed.
        if let lost = inputEntries.first(where: { $0.hadDumper && !$0.hasData }) {
            throw PGDumpError(
                .corrupt, "the TOC says data was dumped for entry \(lost.dumpID) (\(lost.displayLabel)) but records no data for it")
        }
        var entries = inputEntries
        var sources: [Int32: [TOCEntry]] = [:]
        for entry in entries where entry.hasData { sources[entry.dumpID] = [entry] }

        if version < .v1_16 && inputVersion >= .v1_16 {
            let relkinds = entries.filter { $0.relkind != 0 }.count
            if relkinds > 0 {
                notices.append("archive version \(version.shortDescription) has no relkind field: dropped from \(relkinds) entries")
            }
            (entries, sources) = try LargeObjectLayout.toPerObjectEntries(entries, sources: sources, notices: &notices)
        }
        // EXTENDED STATISTICS DATA (pg_dump 19) is left out for a pg_restore older than 19, named or implied by
        // an archive version below 1.16: pg_restore 18's _tocEntryRequired does not know the desc, so it takes the
        // entry for a schema entry (REQ_SCHEMA: restored by -s and without --statistics, left out by
        // --statistics-only), and no server older than 19 has pg_restore_extended_stats(). pg_dump 19 writes
        // archive version 1.16 (K_VERS_MINOR 16 in 19's pg_backup_archiver.h), so the version alone cannot keep
        // pg_restore 18 from reading it.
        let olderRestore = target.pgRestoreMajor.map { $0 < 19 } ?? (version < .v1_16)
        let extended = entries.filter { $0.desc.equals("EXTENDED STATISTICS DATA") }
        if olderRestore && !extended.isEmpty {
            let left = Set(extended.map(\.dumpID))
            entries.removeAll { left.contains($0.dumpID) }
            for id in left { sources[id] = nil }
            let reader = target.pgRestoreMajor.map { "pg_restore \($0)" }
                ?? "archive version \(version.shortDescription) (pg_restore 18 or older)"
            notices.append(
                "\(extended.count) EXTENDED STATISTICS DATA entries left out: \(reader) would restore them as schema, and servers older than PostgreSQL 19 cannot run them")
        }
        let statistics = entries.filter { $0.desc.equals("STATISTICS DATA") }.count
        if version < .v1_16 && statistics > 0 {
            notices.append(
                "\(statistics) STATISTICS DATA entries kept: servers older than PostgreSQL 18 cannot run them (--no-statistics leaves them out)")
        }
        if version < .v1_14 && inputVersion >= .v1_14 {
            let count = entries.filter { $0.tableam != nil }.count
            if count > 0 { notices.append("archive version \(version.shortDescription) has no tableam field: dropped from \(count) entries") }
        }

        // Each format records data differently; directory names depend on the version.
        entries = entries.map { entry in
            var converted = entry
            if version < .v1_16 { converted.relkind = 0 }
            if version < .v1_14 { converted.tableam = nil }
            guard entry.hasData else {
                converted.dataLocation = .none
                return converted
            }
            converted.dataLocation = Archive.dataLocation(for: entry, in: target.format, version: version)
            return converted
        }

        var header = inputHeader
        header.version = version
        header.intSize = 4
        header.offSize = 8
        header.formatByte = target.format.headerFormatByte
        header.compression = CompressionSpec(
            algorithm: compression.algorithm,
            storedLevel: version >= .v1_15 ? nil : (compression.algorithm == .gzip ? Int32(compression.level ?? -1) : 0))
        self.header = header
        self.entries = entries
        self.compression = compression
        self.dataSources = sources
        self.notices = notices
        self.targetFormat = target.format
        self.copiesStoredData = target.compression?.level == nil
    }

    /// Streams every entry's data from `reader` into `writer`, in TOC order, and finishes the archive.
    ///
    /// Where the data is stored with the compression being written, it is not recompressed: custom to custom and
    /// directory to directory copy the stored bytes, and so do lz4 and zstd between custom and directory (their
    /// streams are the same frames). gzip between custom (zlib streams) and directory (gzip files) keeps the
    /// deflate data and rewrites only the framing (`DeflateReframing`).
    ///
    /// - Parameter progress: told of each entry with data before it is read, and of the bytes handed to the
    ///   writer after each chunk.
    public func write(
        from reader: any ArchiveReader, to writer: any ArchiveWriter, progress: (any DataProgressObserver)? = nil
    ) throws {
        let withData = entries.filter(\.hasData)
        for (index, entry) in withData.enumerated() {
            progress?.willRead(entry: entry, index: index, of: withData.count)
            let onWrite = progress.map { observer in { (bytes: Int64) in observer.dataProgress(entry: entry, bytes: bytes, rows: nil) } }
            let sources = dataSources[entry.dumpID] ?? []
            switch try transfer(of: sources, from: reader) {
            case .recompress:
                try recompress(sources, of: entry, from: reader, to: writer, onWrite: onWrite)
            case .copyStored:
                try writer.beginStoredData(of: entry)
                var copier = WriterDataSink(writer: writer, onWrite: onWrite)
                for source in sources { try reader.streamStoredData(of: source, into: &copier) }
            case .zlibToGzip:
                try writer.beginStoredData(of: entry)
                var reframer = try ZlibToGzipSink(into: WriterDataSink(writer: writer, onWrite: onWrite))
                try Self.streamStored(sources, from: reader, into: &reframer)
            case .gzipToZlib:
                // A first pass checks that every file is one plain gzip member and computes the Adler-32s the
                // zlib streams end with; anything else is recompressed.
                var survey = try GzipFileSurvey()
                try Self.streamStored(sources, from: reader, into: &survey)
                guard survey.allCopyable else {
                    try recompress(sources, of: entry, from: reader, to: writer, onWrite: onWrite)
                    break
                }
                try writer.beginStoredData(of: entry)
                var reframer = GzipToZlibSink(
                    into: WriterDataSink(writer: writer, onWrite: onWrite), survey: survey.streams)
                try Self.streamStored(sources, from: reader, into: &reframer)
            }
            try writer.endData()
        }
        try writer.finish()
    }

    /// The input entries whose data `write(from:to:progress:)` decompresses to write it again (rather than
    /// copying it as stored), in the order it reads them: what a reader may decode ahead of the writer
    /// (`ParallelDataReader`). gzip files that are surveyed before they are copied are not among them, even
    /// where the survey ends in recompressing them.
    public func decodedSources(from reader: any ArchiveReader) throws -> [TOCEntry] {
        var order: [TOCEntry] = []
        for entry in entries where entry.hasData {
            let sources = dataSources[entry.dumpID] ?? []
            if try transfer(of: sources, from: reader) == .recompress { order += sources }
        }
        return order
    }

    /// How an entry's data gets from the input to the output.
    private enum DataTransfer {
        case recompress
        case copyStored
        case zlibToGzip
        case gzipToZlib
    }

    private func transfer(of sources: [TOCEntry], from reader: any ArchiveReader) throws -> DataTransfer {
        guard copiesStoredData, compression.algorithm != .none else { return .recompress }
        for source in sources where try reader.storedCompression(of: source) != compression.algorithm {
            return .recompress
        }
        if reader.format == targetFormat { return .copyStored }
        guard let from = reader.format.gzipFraming, let to = targetFormat.gzipFraming else { return .recompress }
        // lz4 and zstd data are the same frames in every format that compresses.
        guard compression.algorithm == .gzip, from != to else { return .copyStored }
        switch from {
        case .zlibStreams: return .zlibToGzip
        // gzip files are read twice (survey, then copy): only where the reader can go back.
        case .gzipFiles: return reader.supportsRandomAccess ? .gzipToZlib : .recompress
        }
    }

    private func recompress(
        _ sources: [TOCEntry], of entry: TOCEntry, from reader: any ArchiveReader, to writer: any ArchiveWriter,
        onWrite: ((Int64) -> Void)?
    ) throws {
        try writer.beginData(of: entry)
        var sink = EvenPiecesSink(into: WriterDataSink(writer: writer, onWrite: onWrite))
        defer { sink.deallocate() }
        for source in sources { try reader.streamData(of: source, into: &sink) }
        try sink.flush()
    }

    /// Streams the sources' stored data; each table's data is one stream (large objects bracket their own).
    private static func streamStored<Sink: ReframingSink>(
        _ sources: [TOCEntry], from reader: any ArchiveReader, into sink: inout Sink
    ) throws {
        for source in sources {
            if !source.isLargeObjectData { try sink.beginStream() }
            try reader.streamStoredData(of: source, into: &sink)
            if !source.isLargeObjectData { try sink.endStream() }
        }
    }
}

/// Hands the writer data in pieces of one size, whatever pieces the reader produced it in. A custom archive's
/// compressed chunks are what the compressor emits per call, which for lz4 and zstd depends on the pieces it was
/// given: with even pieces the archive is the same whichever decompressor, and however many threads, read the
/// data (`ParallelDataReader` hands it over in pieces of its own).
private struct EvenPiecesSink: DataSink {
    static let pieceSize = 256 << 10
    private var target: WriterDataSink
    private let buffer: UnsafeMutableRawPointer
    private var count = 0

    init(into target: WriterDataSink) {
        self.target = target
        buffer = .allocate(byteCount: Self.pieceSize, alignment: 16)
    }

    func deallocate() { buffer.deallocate() }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var source = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            if count == 0 && left >= Self.pieceSize {
                // A whole piece in the input: written from there, without a copy.
                try target.write(UnsafeRawBufferPointer(start: source, count: Self.pieceSize))
                source += Self.pieceSize
                left -= Self.pieceSize
                continue
            }
            let take = min(left, Self.pieceSize - count)
            (buffer + count).copyMemory(from: source, byteCount: take)
            count += take
            source += take
            left -= take
            if count == Self.pieceSize { try flush() }
        }
    }

    /// Writes what is gathered: at the end of a stream.
    mutating func flush() throws {
        guard count > 0 else { return }
        let full = count
        count = 0
        try target.write(UnsafeRawBufferPointer(start: buffer, count: full))
    }

    mutating func beginLargeObject(oid: UInt32) throws {
        try flush()
        try target.beginLargeObject(oid: oid)
    }

    mutating func endLargeObject() throws {
        try flush()
        try target.endLargeObject()
    }
}

extension ArchiveVersion {
    /// `1.16`, as people name versions.
    public var shortDescription: String { "\(major).\(minor)" }
}
