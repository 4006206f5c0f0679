import CLZ4
import PGDumpCore

/// LZ4's frame decompressor. Mirrors pg's `ReadDataFromArchiveLZ4` and the LZ4 file layer.
package final class LZ4Decompressor: Decompressor {
    package let codecName = "lz4"
    private var context: OpaquePointer?
    /// LZ4F's hint: 0 once a frame is completely decoded.
    private var expectingMore = false
    private var sawInput = false

    package init() throws {
        var created: OpaquePointer?
        let result = LZ4F_createDecompressionContext(&created, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(result) == 0, let created else {
            throw codecError("lz4", "could not create a context")
        }
        context = created
    }

    deinit { LZ4F_freeDecompressionContext(context) }

    package func reset() throws {
        LZ4F_resetDecompressionContext(context)
        expectingMore = false
        sawInput = false
    }

    package func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> DecompressionStep
    {
        if input.count == 0 {
            // No stored bytes at all: pg_dump writes an empty file for an empty large object.
            if !sawInput { return DecompressionStep(consumed: 0, produced: 0, finished: true) }
            if expectingMore {
                // The frame may still hold decoded bytes that did not fit last time.
                var outSize = output.count
                var inSize = 0
                let hint = LZ4F_decompress(context, output.baseAddress, &outSize, nil, &inSize, nil)
                if LZ4F_isError(hint) != 0 { throw codecError(codecName, String(cString: LZ4F_getErrorName(hint))) }
                expectingMore = hint != 0
                if outSize > 0 { return DecompressionStep(consumed: 0, produced: outSize, finished: false) }
                if expectingMore { throw codecError(codecName, "compressed data is truncated") }
            }
            return DecompressionStep(consumed: 0, produced: 0, finished: true)
        }
        sawInput = true
        var outSize = output.count
        var inSize = input.count
        let hint = LZ4F_decompress(context, output.baseAddress, &outSize, input.baseAddress, &inSize, nil)
        if LZ4F_isError(hint) != 0 { throw codecError(codecName, String(cString: LZ4F_getErrorName(hint))) }
        expectingMore = hint != 0
        return DecompressionStep(consumed: inSize, produced: outSize, finished: false)
    }
}
