import CZstd
import PGDumpCore

/// zstd's streaming decompressor. Mirrors pg's `ReadDataFromArchiveZstd`.
package final class ZstdDecompressor: Decompressor {
    package let codecName = "zstd"
    private let context: OpaquePointer
    private var frameComplete = true
    private var sawInput = false

    package init() throws {
        guard let context = ZSTD_createDStream() else { throw codecError("zstd", "could not create a context") }
        self.context = context
        // Bound the window a hostile frame can ask for (pg_dump's long mode uses up to 2^27).
        ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Int32(Self.maximumWindowLog))
    }

    deinit { ZSTD_freeDStream(context) }

    /// The largest window accepted: 2^27 = 128 MiB, what pg_dump's `-Z zstd:long` writes. Decoding keeps a window
    /// of the frame's size, so this bounds the memory a frame can ask for.
    package static let maximumWindowLog = 27

    private static func error(_ code: Int) -> PGDumpError {
        if ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge {
            return codecError(
                "zstd",
                "the data needs a window larger than 128 MiB, more than pg_dump ever writes (-Z zstd:long uses 128 MiB); refused to bound memory")
        }
        return codecError("zstd", String(cString: ZSTD_getErrorName(code)))
    }

    package func reset() throws {
        ZSTD_DCtx_reset(context, ZSTD_reset_session_only)
        frameComplete = true
        sawInput = false
    }

    package func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> DecompressionStep
    {
        if input.count == 0 {
            // No stored bytes at all: pg_dump writes an empty file for an empty large object.
            if !sawInput { return DecompressionStep(consumed: 0, produced: 0, finished: true) }
            if !frameComplete {
                // Flush what the context still holds; a frame that never completes is truncated.
                var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
                var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
                let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                if ZSTD_isError(result) != 0 { throw Self.error(result) }
                frameComplete = result == 0
                if outBuffer.pos > 0 { return DecompressionStep(consumed: 0, produced: outBuffer.pos, finished: false) }
                throw codecError(codecName, "compressed data is truncated")
            }
            return DecompressionStep(consumed: 0, produced: 0, finished: true)
        }
        sawInput = true
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
        if ZSTD_isError(result) != 0 { throw Self.error(result) }
        // 0 means a frame ended and everything was flushed; pg_dump writes one frame per stream, but more are
        // decoded in sequence as zstd itself does.
        frameComplete = result == 0
        return DecompressionStep(consumed: inBuffer.pos, produced: outBuffer.pos, finished: false)
    }
}
