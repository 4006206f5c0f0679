import CZlib
import PGDumpCore

/// zlib's inflate, for zlib streams (custom-format chunks) and gzip files (directory format).
///
/// Reading uses `IgzipDecompressor`, which is faster; this one is the reference the tests hold it to. A gzip file
/// may hold several members (`GzipMemberSequence`).
package final class ZlibDecompressor: Decompressor {
    package let codecName = "gzip"
    private let framing: Codecs.DeflateFraming
    private var stream = z_stream()
    private var members: GzipMemberSequence

    package init(framing: Codecs.DeflateFraming) throws {
        self.framing = framing
        members = GzipMemberSequence(framing: framing)
        let windowBits: Int32 = framing == .zlib ? 15 : 15 + 16
        let status = inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw codecError(codecName, "inflateInit failed (\(status))") }
    }

    deinit { inflateEnd(&stream) }

    package func reset() throws {
        inflateReset(&stream)
        members.reset()
    }

    package func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> DecompressionStep
    {
        try members.step(input, into: output, restart: { inflateReset(&stream) }, inflate: inflate)
    }

    private func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> GzipMemberSequence.Inflated
    {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        let status = CZlib.inflate(&stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.avail_in)
        let produced = output.count - Int(stream.avail_out)
        stream.next_in = nil
        stream.next_out = nil
        switch status {
        case Z_OK:
            return .init(consumed: consumed, produced: produced, streamEnded: false)
        case Z_BUF_ERROR:
            // No progress possible: either more input is needed or the stream was cut short.
            if input.count == 0 && produced == 0 {
                throw codecError(codecName, "compressed data is truncated")
            }
            return .init(consumed: consumed, produced: produced, streamEnded: false)
        case Z_STREAM_END:
            return .init(consumed: consumed, produced: produced, streamEnded: true)
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw codecError(codecName, message)
        }
    }
}
