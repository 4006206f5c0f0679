import CZlib
import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// A raw-deflate `z_stream` at one level, reused chunk after chunk.
final class DeflateEngine {
    /// Allocated, because zlib checks that the stream has not moved since `deflateInit2`.
    private let stream: UnsafeMutablePointer<z_stream>

    init(level: Int32) throws(PGDumpError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw PGDumpError(.codec, "could not initialize gzip compression (\(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `chunk` into its output, recording a failure in the chunk rather than throwing (workers
    /// cannot throw across the thread boundary).
    func compress(_ chunk: DeflateChunk, framing: Codecs.DeflateFraming) {
        let input = chunk.input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        chunk.check = framing == .zlib
            ? adler32(adler32(0, nil, 0), input, uInt(chunk.inputCount))
            : crc32(crc32(0, nil, 0), input, uInt(chunk.inputCount))
        deflateReset(stream)
        if chunk.dictionaryCount > 0 {
            let status = deflateSetDictionary(
                stream, chunk.dictionary.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(chunk.dictionaryCount))
            guard status == Z_OK else {
                chunk.failure = "deflateSetDictionary returned \(status)"
                return
            }
        }
        let flush = chunk.isLast ? Z_FINISH : Z_SYNC_FLUSH
        stream.pointee.next_in = input
        stream.pointee.avail_in = uInt(chunk.inputCount)
        var produced = 0
        while true {
            stream.pointee.next_out = chunk.output.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
            stream.pointee.avail_out = uInt(chunk.output.count - produced)
            let status = deflate(stream, flush)
            produced = chunk.output.count - Int(stream.pointee.avail_out)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                chunk.failure = "deflate returned \(status)"
                return
            }
            // Done when the final block is out, or, for a sync flush, when deflate stopped short of a full buffer.
            if chunk.isLast ? status == Z_STREAM_END : stream.pointee.avail_out != 0 { break }
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk.output.count * 2, alignment: 16)
            grown.baseAddress!.copyMemory(from: chunk.output.baseAddress!, byteCount: produced)
            chunk.output.deallocate()
            chunk.output = grown
        }
        chunk.outputCount = produced
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
    }
}
