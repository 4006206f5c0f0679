import PGDumpCore
import PGDumpCodecs

/// Writes custom-format archives (`pg_dump -Fc`). Mirrors `pg_backup_custom.c`'s writing side.
///
/// The header and TOC go first with every data offset "not set"; each entry's data follows as a block of
/// chunks. On a seekable file the TOC is then rewritten in place with the real offsets (`_CloseArchive`); on a
/// pipe the offsets stay unset, exactly as pg_dump leaves them, and pg_restore reads such archives in order.
package final class CustomArchiveWriter: ArchiveWriter {
    private let output: OutputFile
    /// Whether the TOC is written again with the data offsets at the end (pg_dump's `_CloseArchive` on a
    /// seekable file).
    private var rewritesTOC = false
    private let header: ArchiveHeader
    private let entries: [TOCEntry]
    private let compressor: Compressor?
    private let layout: IntegerLayout
    private var state = WriterState()
    private let tocStart: Int64
    private var offsets: [Int32: Int64] = [:]
    /// Uncompressed data is gathered into chunks of this size (pg_dump writes one per COPY row; any size reads).
    private var pendingChunk: [UInt8] = []
    private let chunkSize = 64 << 10
    /// Whether compressed output is gathered into chunks of `chunkSize` too: libzstd's workers hand output over
    /// as they finish, so the pieces (and the chunks written one per piece) depend on timing, where the
    /// compressed bytes do not.
    private let gathersCompressedOutput: Bool
    /// Whether the current entry's bytes come compressed already.
    private var storing = false
    private var activeCompressor: Compressor? { storing ? nil : compressor }

    /// Writes the header and the provisional TOC.
    ///
    /// - Parameters:
    ///   - entries: the TOC; entries whose `dataLocation` is not `.none` get data blocks, in TOC order.
    ///   - jobs: threads that compress (see `Codecs.compressor(for:deflateFraming:jobs:)`).
    package init(
        output: OutputFile, header: ArchiveHeader, entries: [TOCEntry], compression: CompressionChoice,
        jobs: Int = Codecs.defaultCompressionJobs
    ) throws {
        self.output = output
        self.header = header
        self.entries = entries
        layout = header.integerLayout
        compressor = try Codecs.compressor(for: compression, deflateFraming: .zlib, jobs: jobs)
        gathersCompressedOutput = compression.algorithm == .zstd && jobs > 1
        try output.write(TOCWriter.encodeHeader(header))
        tocStart = output.position
        let toc = encodeTOC()
        // Same entries, same lengths at the end: the TOC with offsets can overwrite this one where the output
        // lets its start be rewritten (a file, or an upload holding its first bytes back).
        rewritesTOC = output.reserveRewritable(through: tocStart + Int64(toc.count))
        try output.write(toc)
    }

    private func encodeTOC() -> [UInt8] {
        let version = header.version
        return TOCWriter.encodeTOC(entries, header: header) { entry, encoder in
            if !entry.hasData {
                encoder.writePGOffset(.noData)
            } else if let offset = offsets[entry.dumpID] {
                encoder.writePGOffset(.set(offset))
            } else {
                encoder.writePGOffset(.notSet)
            }
            if version < .v1_7 { encoder.writePGInt(0) }  // the data length of old archives, never read
        }
    }

    package func beginData(of entry: TOCEntry) throws {
        storing = false
        try begin(entry)
    }

    package func beginStoredData(of entry: TOCEntry) throws {
        storing = true
        try begin(entry)
    }

    private func begin(_ entry: TOCEntry) throws {
        try state.begin(entry)
        try state.run {
            offsets[entry.dumpID] = output.position
            var encoder = ArchiveEncoder(layout: layout)
            if header.version >= .v1_3 { encoder.writeByte(entry.isLargeObjectData ? 3 : 1) }
            encoder.writePGInt(entry.dumpID)
            try output.write(encoder.bytes)
            try compressor?.reset()
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        _ = try state.requireData()
        try state.run {
            if let compressor = activeCompressor {
                try compressor.compress(bytes) { try writeCompressed($0) }
            } else {
                try gather(bytes)
            }
        }
    }

    package func beginLargeObject(oid: UInt32) throws {
        try state.beginLargeObject()
        try state.run {
            var encoder = ArchiveEncoder(layout: layout)
            encoder.writePGInt(Int32(bitPattern: oid))
            try output.write(encoder.bytes)
            try activeCompressor?.reset()
        }
    }

    package func endLargeObject() throws {
        try state.endLargeObject()
        try state.run { try endStream() }
    }

    package func endData() throws {
        let entry = try state.end()
        try state.run {
            if entry.isLargeObjectData {
                try writeInt(0)  // the "zero OID" after the last large object
            } else {
                try endStream()
            }
        }
    }

    package func finish() throws {
        try state.finish()
        try state.run {
            try output.flush()
            if rewritesTOC {
                try output.rewrite(encodeTOC(), at: tocStart)
            }
        }
        state.markFinished()
    }

    /// Ends one compressed stream: flush the compressor or the gathered bytes, then the zero-length end marker.
    private func endStream() throws {
        if let compressor = activeCompressor {
            try compressor.finish { try writeCompressed($0) }
        }
        if !pendingChunk.isEmpty {
            try pendingChunk.withUnsafeBytes { try writeChunk($0) }
            pendingChunk.removeAll(keepingCapacity: true)
        }
        try writeInt(0)
    }

    /// Compressor output: a chunk per piece, or gathered into chunks of one size.
    private func writeCompressed(_ bytes: UnsafeRawBufferPointer) throws {
        if gathersCompressedOutput { try gather(bytes) } else { try writeChunk(bytes) }
    }

    private func gather(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes[...]
        while !rest.isEmpty {
            let take = min(chunkSize - pendingChunk.count, rest.count)
            pendingChunk.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            if pendingChunk.count == chunkSize {
                try pendingChunk.withUnsafeBytes { try writeChunk($0) }
                pendingChunk.removeAll(keepingCapacity: true)
            }
        }
    }

    /// One chunk: its length, then its bytes. pg_dump never writes an empty chunk (0 ends the block).
    private func writeChunk(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        try writeInt(Int32(bytes.count))
        try output.write(bytes)
    }

    private func writeInt(_ value: Int32) throws {
        var encoder = ArchiveEncoder(layout: layout)
        encoder.writePGInt(value)
        try output.write(encoder.bytes)
    }
}
