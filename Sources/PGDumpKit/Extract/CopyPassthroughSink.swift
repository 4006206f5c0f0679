import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Passes COPY data through unchanged up to its end-of-data marker (the `copy` format), while a decoder checks
/// every row.
///
/// The marker `\.` may be split across chunks, so the one or two bytes at the end of a chunk that may begin it are
/// held back until the next chunk says whether they are the marker (dropped, with all that follows) or data.
final class CopyPassthroughSink: DataSink, ProgressCounting {
    let decoder: CopyTextDecoder<CopyRowCounter>
    private let output: OutputBuffer
    /// Offset in the COPY data up to which everything has been written.
    private var written: Int64 = 0
    /// The bytes from `written` to the end of what was fed: a possible start of the marker.
    private var held: [UInt8] = []

    init(columns: [ArchiveText]?, output: OutputBuffer) {
        decoder = CopyTextDecoder(columns: columns, handler: CopyRowCounter(), stopsAtFirstProblem: true)
        self.output = output
    }

    var rowsSoFar: Int64? { decoder.rowCount }

    func write(_ chunk: UnsafeRawBufferPointer) throws {
        let chunkStart = decoder.byteCount
        try decoder.write(chunk)
        let chunkEnd = decoder.byteCount
        let safeEnd = decoder.dataEndOffset ?? (chunkEnd - Int64(decoder.pendingMarkerByteCount))
        let previouslyWritten = written
        let previouslyHeld = held
        if written < safeEnd {
            let fromHeld = Int(min(safeEnd, chunkStart) - written)
            if fromHeld > 0 { try held.prefix(fromHeld).withUnsafeBytes { try output.append($0) } }
            let from = Int(max(written, chunkStart) - chunkStart)
            let to = Int(safeEnd - chunkStart)
            if to > from { try output.append(UnsafeRawBufferPointer(rebasing: chunk[from..<to])) }
            written = safeEnd
        }
        held = []
        guard decoder.dataEndOffset == nil else { return }
        for offset in written..<chunkEnd {
            held.append(offset < chunkStart
                ? previouslyHeld[Int(offset - previouslyWritten)] : chunk[Int(offset - chunkStart)])
        }
    }

    func beginLargeObject(oid: UInt32) throws { try decoder.beginLargeObject(oid: oid) }

    /// Checks that the data ended with its marker.
    func finish() throws { try decoder.finish() }
}
