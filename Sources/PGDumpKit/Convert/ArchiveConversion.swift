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

        public init(format: ArchiveFormat, compression: CompressionChoice? = nil, archiveVersion: ArchiveVersion? = nil) {
            self.format = format
            self.compression = compression
            self.archiveVersion = archiveVersion
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
    /// Whether compressed data may be copied as stored: the compression is kept, or asked for without a level.
    private let copiesStoredData: Bool

    /// Plans a conversion of `entries` (already selected and ordered) read from an archive with `inputHeader`.
    public init(inputHeader: ArchiveHeader, entries inputEntries: [TOCEntry], target: Target) throws {
        var notices: [String] = []
        let inputVersion = inputHeader.version

        // Compression: as asked, or the input's (its stored gzip level, where the version kept one).
        var compression = target.compression ?? CompressionChoice(
            algorithm: inputHeader.compression.algorithm,
            level: inputHeader.compression.storedLevel.flatMap { $0 > 0 ? Int($0) : nil })
        if target.format == .tar {
            guard target.compression == nil || compression.algorithm == .none else {
                throw PGDumpError(.invalidRequest, "compression is not supported by tar archive format")
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
            switch target.format {
            case .custom:
                converted.dataLocation = .offsetNotSet
            case .tar:
                converted.dataLocation = .file(ArchiveText("\(entry.dumpID).dat"))
            case .directory:
                converted.dataLocation = .file(ArchiveText(
                    entry.isLargeObjectData
                        ? (version >= .v1_16 ? "blobs_\(entry.dumpID).toc" : "blobs.toc") : "\(entry.dumpID).dat"))
            }
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
    /// Where the data is stored with the compression being written and the two formats frame it alike
    /// (custom to custom, directory to directory, and lz4 or zstd between custom and directory, whose streams
    /// are the same frames), the compressed bytes are copied without decompressing and recompressing.
    /// gzip between custom (zlib streams) and directory (gzip files) differs in framing and checksum, so it is
    /// recompressed.
    ///
    /// - Parameter progress: called after each entry's data with the entries done, the entries with data, and
    ///   the bytes handed to the writer so far.
    public func write(
        from reader: any ArchiveReader, to writer: any ArchiveWriter,
        progress: ((_ done: Int, _ total: Int, _ bytes: Int64) -> Void)? = nil
    ) throws {
        let withData = entries.filter(\.hasData)
        var bytes: Int64 = 0
        for (index, entry) in withData.enumerated() {
            let sources = dataSources[entry.dumpID] ?? []
            let copyStored = try canCopyStoredData(sources, from: reader)
            if copyStored {
                try writer.beginStoredData(of: entry)
            } else {
                try writer.beginData(of: entry)
            }
            var sink = WriterDataSink(writer: writer)
            for source in sources {
                if copyStored {
                    try reader.streamStoredData(of: source, into: &sink)
                } else {
                    try reader.streamData(of: source, into: &sink)
                }
            }
            try writer.endData()
            bytes += sink.byteCount
            progress?(index + 1, withData.count, bytes)
        }
        try writer.finish()
    }

    /// Whether the sources' stored bytes can go to the output as they are.
    private func canCopyStoredData(_ sources: [TOCEntry], from reader: any ArchiveReader) throws -> Bool {
        guard copiesStoredData, compression.algorithm != .none else { return false }
        let sameFraming = reader.format == targetFormat
            || (compression.algorithm != .gzip && reader.format != .tar && targetFormat != .tar)
        guard sameFraming else { return false }
        for source in sources where try reader.storedCompression(of: source) != compression.algorithm {
            return false
        }
        return true
    }
}

extension ArchiveVersion {
    /// `1.16`, as people name versions.
    public var shortDescription: String { "\(major).\(minor)" }
}
