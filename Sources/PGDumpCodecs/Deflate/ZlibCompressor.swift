import CZlib
import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// zlib's deflate in one stream: a zlib stream (custom-format chunks) or a gzip file (directory format).
///
/// Writing uses `ParallelDeflateCompressor`; this plain one is the reference its tests compare against.
package final class ZlibCompressor: Compressor {
    package let codecName = "gzip"
    private var stream = z_stream()
    private let output: UnsafeMutableRawBufferPointer

    package init(level: Int, framing: Codecs.DeflateFraming) throws {
        output = .allocate(byteCount: 256 << 10, alignment: 16)
        let windowBits: Int32 = framing == .zlib ? 15 : 15 + 16
        let status = deflateInit2_(
            &stream, Int32(level), Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            output.deallocate()
            throw PGDumpError(.codec, "could not initialize gzip compression (\(status))")
        }
    }

    deinit {
        deflateEnd(&stream)
        output.deallocate()
    }

    package func reset() throws { deflateReset(&stream) }

    package func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        try run(input, flush: Z_NO_FLUSH, emit: emit)
    }

    package func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, emit: emit)
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32, emit: (UnsafeRawBufferPointer) throws -> Void)
        throws
    {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            let status = deflate(&stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw PGDumpError(.codec, "could not compress data: deflate returned \(status)")
            }
            let produced = output.count - Int(stream.avail_out)
            if produced > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { break }
            } else if stream.avail_in == 0 && stream.avail_out != 0 {
                break
            }
        }
        stream.next_in = nil
        stream.next_out = nil
    }
}
