import PGDumpCore
import PGDumpCodecs

/// Reads custom-format archives (`pg_dump -Fc`) from a file or a pipe. Mirrors `pg_backup_custom.c`.
///
/// With a seekable file and recorded offsets, any entry's data is one seek away. Without offsets (pg_dump wrote to
/// a pipe) or from a pipe, blocks are found by scanning forward, remembering the positions of the blocks passed
/// so that a seekable file can go back to them.
package final class CustomArchiveReader: ArchiveReader {
    package let format = ArchiveFormat.custom
    package let header: ArchiveHeader
    package let entries: [TOCEntry]
    package private(set) var warnings: [ArchiveWarning] = []
    package let sessionSettings: ArchiveSessionSettings
    package var path: String { reader.source.name }
    private let reader: BufferedReader
    private let layout: IntegerLayout
    /// Where the data blocks begin: right after the TOC.
    private let dataStart: Int64
    /// Where a forward scan for a block without a known offset resumes (`lastFilePos`).
    private var scanPosition: Int64
    /// Block positions learned while scanning.
    private var discoveredOffsets: [Int32: Int64] = [:]
    /// Where small uncompressed chunks are gathered (`streamBufferedChunks`); allocated when uncompressed data is
    /// first read.
    private var gatherBuffer: UnsafeMutableRawBufferPointer?
    private static let gatherCapacity = 64 << 10

    /// Block type bytes. Mirrors `BLK_DATA` and `BLK_BLOBS`.
    enum BlockType: UInt8 {
        case data = 1
        case largeObjects = 3
    }

    /// Opens the archive at the source's current position (after format detection, nothing consumed).
    package init(source: ByteSource, limits: ArchiveLimits = .default) throws {
        reader = BufferedReader(source: source)
        let toc = try TOCReader.readHeaderAndTOC(
            from: reader, expecting: .custom, limits: limits, dataLocation: .offset)
        header = toc.header
        layout = header.integerLayout
        entries = toc.entries
        warnings = toc.warnings
        sessionSettings = toc.settings
        dataStart = reader.position
        scanPosition = dataStart
    }

    /// A reader of the same TOC over a second cursor on the file. Every data block must have its offset: without
    /// them each reader would scan the archive from the start.
    private init(sharing original: CustomArchiveReader, source: ByteSource) {
        reader = BufferedReader(source: source)
        header = original.header
        layout = original.layout
        entries = original.entries
        warnings = original.warnings
        sessionSettings = original.sessionSettings
        dataStart = original.dataStart
        scanPosition = original.dataStart
    }

    deinit { gatherBuffer?.deallocate() }

    package func makeIndependentDataReader() throws -> (any ArchiveReader)? {
        let offsetsRecorded = !entries.contains {
            if case .offsetNotSet = $0.dataLocation { return true } else { return false }
        }
        guard offsetsRecorded, reader.source.isSeekable, let source = reader.source.makeIndependentSource() else {
            return nil
        }
        return CustomArchiveReader(sharing: self, source: source)
    }

    package var supportsRandomAccess: Bool { reader.source.isSeekable }

    package func sizeOnDisk() throws -> Int64? { reader.source.size }

    package var storedBytesRead: Int64 { reader.source.bytesRead }

    /// The size of the entry's block, framing included, when offsets are recorded: the distance to the next block.
    package func storedSize(of entry: TOCEntry) throws -> Int64? {
        guard case .offset(let start) = entry.dataLocation, let fileSize = reader.source.size else { return nil }
        if sortedOffsets == nil {
            sortedOffsets = entries.compactMap {
                if case .offset(let position) = $0.dataLocation { return position } else { return nil }
            }.sorted()
        }
        let offsets = sortedOffsets!
        // The first recorded offset greater than `start`, by binary search.
        var low = 0
        var high = offsets.count
        while low < high {
            let middle = (low + high) / 2
            if offsets[middle] <= start { low = middle + 1 } else { high = middle }
        }
        let next = low < offsets.count ? offsets[low] : fileSize
        return start < next ? next - start : nil
    }

    /// Recorded data offsets in ascending order, computed on first use.
    private var sortedOffsets: [Int64]?

    package func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        try stream(entry, decompressing: true, into: &sink)
    }

    /// `-- Data Pos: N` (`_PrintExtraToc`): 0 where the offset was never set or no data was dumped.
    package func dataLocationComment(for entry: TOCEntry) -> String? {
        guard case .offset(let offset) = entry.dataLocation else { return "-- Data Pos: 0\n" }
        return "-- Data Pos: \(offset)\n"
    }

    /// The problem's place is the data block's offset.
    package func placeDataProblem(_ error: PGDumpError, in entry: TOCEntry, decodedOffset: Int64?) -> PGDumpError {
        var placed = error.located(in: entry, of: self)
        if case .offset(let offset) = entry.dataLocation {
            placed.offset = offset
            placed.message = "data block: " + placed.message
        }
        return placed
    }

    package func storedCompression(of entry: TOCEntry) throws -> CompressionAlgorithm? {
        header.compression.algorithm
    }

    package func streamStoredData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        try stream(entry, decompressing: false, into: &sink)
    }

    private func stream<Sink: DataSink>(_ entry: TOCEntry, decompressing: Bool, into sink: inout Sink) throws {
        // On a pipe a failure leaves the reader inside a block: every later request fails the same way.
        if let stickyFailure { throw stickyFailure }
        do {
            let (type, blockStart) = try readHeaderOfBlock(of: entry)
            try readBlockBody(type: type, startingAt: blockStart, decompressing: decompressing, into: &sink)
        } catch let error as PGDumpError {
            let located = error.inFile(path).forEntry(entry.dumpID)
            if !reader.source.isSeekable { stickyFailure = located }
            throw located
        }
    }

    /// The first error met on a non-seekable input.
    private var stickyFailure: PGDumpError?

    /// Finds the block of `entry`, by its offset or by scanning, and reads its header, leaving the reader at
    /// the block's body. Mirrors `_PrintTocData`.
    private func readHeaderOfBlock(of entry: TOCEntry) throws -> (BlockType, Int64) {
        let seekable = reader.source.isSeekable
        var knownOffset: Int64?
        switch entry.dataLocation {
        case .none:
            throw PGDumpError(.invalidRequest, "entry has no data")
        case .file:
            throw PGDumpError(.corrupt, "custom archive entry names a data file")
        case .offset(let position):
            knownOffset = position
        case .offsetNotSet:
            knownOffset = discoveredOffsets[entry.dumpID]
        }
        if seekable, let knownOffset {
            if let size = reader.source.size, knownOffset >= size || knownOffset < dataStart {
                throw PGDumpError(
                    .corrupt, "data offset \(knownOffset) lies outside the data area (\(dataStart)..<\(size))")
            }
            try reader.seek(to: knownOffset)
            let (typeByte, id) = try readBlockHeader()
            // pg checks the ID before the type.
            guard id == entry.dumpID else {
                throw PGDumpError(
                    .corrupt, "found unexpected block ID (\(id)) when reading data -- expected \(entry.dumpID)",
                    offset: knownOffset)
            }
            return (try Self.restoredType(typeByte, at: knownOffset), knownOffset)
        }
        // No usable offset: scan forward from where the last scan stopped (a pipe: from where we are).
        if seekable { try reader.seek(to: scanPosition) }
        while true {
            let blockStart = reader.position
            if try reader.peekBytes(count: 1) == nil {
                if seekable {
                    throw PGDumpError(
                        .corrupt, "could not find block ID \(entry.dumpID) in archive -- possibly corrupt archive")
                }
                throw PGDumpError(
                    .outOfOrder,
                    "could not find block ID \(entry.dumpID) in archive -- possibly due to out-of-order restore request, which cannot be handled due to non-seekable input file")
            }
            let (typeByte, id) = try readBlockHeader()
            if id == entry.dumpID { return (try Self.restoredType(typeByte, at: blockStart), blockStart) }
            guard let type = BlockType(rawValue: typeByte) else {
                throw PGDumpError(
                    .corrupt, "unrecognized data block type (\(typeByte)) while searching archive", offset: blockStart)
            }
            if discoveredOffsets[id] == nil { discoveredOffsets[id] = blockStart }
            switch type {
            case .data: try skipChunks()
            case .largeObjects: try skipLargeObjects()
            }
            if seekable { scanPosition = reader.position }
        }
    }

    /// The type of the block about to be restored, in pg's words when it is none it knows.
    private static func restoredType(_ typeByte: UInt8, at offset: Int64) throws -> BlockType {
        guard let type = BlockType(rawValue: typeByte) else {
            throw PGDumpError(
                .corrupt, "unrecognized data block type \(typeByte) while restoring archive", offset: offset)
        }
        return type
    }

    /// Reads a block's type byte and dump ID. Mirrors `_readBlockHeader`.
    private func readBlockHeader() throws -> (UInt8, Int32) {
        let typeByte: UInt8 = header.version < .v1_3 ? BlockType.data.rawValue : try reader.readByte("a block type")
        let id = try reader.readPGInt(layout, "a block's dump ID")
        return (typeByte, id)
    }

    /// Streams the body of a block whose header was just read.
    private func readBlockBody<Sink: DataSink>(
        type: BlockType, startingAt blockStart: Int64, decompressing: Bool, into sink: inout Sink
    ) throws {
        let pump = DecodingPump(
            decompressor: decompressing
                ? try Codecs.decompressor(for: header.compression.algorithm, deflateFraming: .zlib) : nil)
        switch type {
        case .data:
            try streamChunks(through: pump, into: &sink)
        case .largeObjects:
            while true {
                let oidOffset = reader.position
                let oid = try reader.readPGInt(layout, "a large object's OID")
                if oid == 0 { break }
                try sink.beginLargeObject(oid: UInt32(bitPattern: oid))
                try pump.reset()
                do {
                    try streamChunks(through: pump, into: &sink)
                } catch let error as PGDumpError {
                    var located = error
                    located.message += " in large object \(UInt32(bitPattern: oid))"
                    if located.offset == nil { located.offset = oidOffset }
                    throw located
                }
                try sink.endLargeObject()
            }
        }
        if !reader.source.isSeekable || scanPosition == blockStart {
            scanPosition = reader.position
        }
    }

    /// Streams one run of chunks (int length, bytes; a zero length ends it) through the pump.
    private func streamChunks<Sink: DataSink>(through pump: DecodingPump, into sink: inout Sink) throws {
        while true {
            try streamBufferedChunks(through: pump, into: &sink)
            let lengthOffset = reader.position
            let length = try reader.readPGInt(layout, "a data chunk length")
            if length == 0 { break }
            guard length > 0 else {
                throw PGDumpError(.corrupt, "data chunk length \(length) is negative", offset: lengthOffset)
            }
            if let remaining = reader.remainingBytes, Int64(length) > remaining {
                throw PGDumpError(
                    .truncated, "data chunk length \(length) exceeds the \(remaining) bytes left in the file",
                    offset: lengthOffset)
            }
            var left = Int(length)
            while left > 0 {
                let pieceOffset = reader.position
                let read: Int?
                do {
                    read = try reader.withReadableBytes(maximum: left) { bytes in
                        try pump.feed(bytes, into: &sink)
                        return (bytes.count, bytes.count)
                    }
                } catch var error as PGDumpError where error.offset == nil {
                    // A codec cannot say where it failed; the chunk piece it was given can.
                    error.offset = pieceOffset
                    throw error
                }
                guard let read else { throw reader.truncated("a data chunk") }
                left -= read
            }
        }
        do {
            try pump.finish(into: &sink)
        } catch let error as PGDumpError {
            var located = error
            if located.offset == nil { located.offset = reader.position }
            throw located
        }
    }

    /// Feeds the chunks that lie wholly in the reader's buffer straight from it, stopping before the first one
    /// that does not (or the end marker, or anything malformed, which the caller's careful path reports).
    ///
    /// Uncompressed archives store one chunk per COPY row, so a table is millions of tiny chunks: going through
    /// the general path for each costs more than copying its bytes.
    ///
    /// Those tiny chunks are gathered, up to 64 KiB, and handed on together: the sink's work per call (the COPY
    /// row count, the progress count) then runs once per 64 KiB rather than once per row. A problem the sink finds
    /// in gathered bytes is reported at the first chunk of the gathered run.
    private func streamBufferedChunks<Sink: DataSink>(through pump: DecodingPump, into sink: inout Sink) throws {
        let window = reader.bufferedBytes
        let decoder = PrimitiveDecoder(layout)
        var used = 0
        defer { reader.consume(used) }
        let windowOffset = reader.position
        if pump.passesThrough && gatherBuffer == nil {
            gatherBuffer = .allocate(byteCount: Self.gatherCapacity, alignment: 64)
        }
        let gatherBuffer = pump.passesThrough ? self.gatherBuffer : nil
        var gathered = 0
        var gatheredFrom = 0
        func handOver(_ bytes: UnsafeRawBufferPointer, from payload: Int) throws {
            do {
                try pump.feed(bytes, into: &sink)
            } catch var error as PGDumpError where error.offset == nil {
                error.offset = windowOffset + Int64(payload)
                throw error
            }
        }
        func handOverGathered() throws {
            guard gathered > 0, let gatherBuffer else { return }
            let count = gathered
            gathered = 0
            try handOver(UnsafeRawBufferPointer(rebasing: gatherBuffer[0..<count]), from: gatheredFrom)
        }
        while window.count - used > decoder.intWidth {
            guard case .value(let length, let width) = decoder.int(in: UnsafeRawBufferPointer(rebasing: window[used...])),
                  length > 0, window.count - used - width >= Int(length)
            else { break }
            let payload = used + width
            let bytes = UnsafeRawBufferPointer(rebasing: window[payload..<(payload + Int(length))])
            if let gatherBuffer, bytes.count <= Self.gatherCapacity / 16 {
                if gathered + bytes.count > Self.gatherCapacity { try handOverGathered() }
                if gathered == 0 { gatheredFrom = payload }
                (gatherBuffer.baseAddress! + gathered).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                gathered += bytes.count
            } else {
                try handOverGathered()
                try handOver(bytes, from: payload)
            }
            used = payload + Int(length)
        }
        try handOverGathered()
    }

    /// Skips a run of chunks without decompressing. Mirrors `_skipData`.
    private func skipChunks() throws {
        while true {
            let lengthOffset = reader.position
            let length = try reader.readPGInt(layout, "a data chunk length")
            if length == 0 { return }
            guard length > 0 else {
                throw PGDumpError(.corrupt, "data chunk length \(length) is negative", file: path, offset: lengthOffset)
            }
            try reader.skip(Int64(length), "a data chunk")
        }
    }

    /// Skips the large objects of a BLOBS block. Mirrors `_skipLOs`.
    private func skipLargeObjects() throws {
        while try reader.readPGInt(layout, "a large object's OID") != 0 {
            try skipChunks()
        }
    }
}
