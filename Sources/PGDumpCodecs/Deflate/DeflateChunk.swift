import CZlib
import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// One chunk's input, dictionary and output. A worker owns it between `submit` and `done`.
final class DeflateChunk: @unchecked Sendable {
    let input: UnsafeMutableRawBufferPointer
    var inputCount = 0
    let dictionary: UnsafeMutableRawBufferPointer
    var dictionaryCount = 0
    var isLast = false
    var output: UnsafeMutableRawBufferPointer
    var outputCount = 0
    /// Adler-32 (zlib framing) or CRC-32 (gzip) of the input alone.
    var check: UInt = 0
    var failure: String?
    /// Set under the pool's lock once the worker is done with the chunk.
    var done = false

    init(capacity: Int) {
        input = .allocate(byteCount: capacity, alignment: 16)
        dictionary = .allocate(byteCount: ParallelDeflateCompressor.windowSize, alignment: 16)
        // zlib's bound for a stream without state, plus room for the sync-flush marker; grown if ever short.
        output = .allocate(byteCount: Int(deflateBound(nil, uLong(capacity))) + 64, alignment: 16)
    }

    deinit {
        input.deallocate()
        dictionary.deallocate()
        output.deallocate()
    }
}
