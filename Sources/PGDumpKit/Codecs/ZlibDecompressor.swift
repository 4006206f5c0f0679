import CZlib

/// zlib's inflate, for zlib streams (custom-format chunks) and gzip files (directory format).
///
/// A gzip file may hold several members, as `gzread` accepts; bytes after the last member that do not start a new
/// one are ignored, as `gzread` ignores them.
public final class ZlibDecompressor: Decompressor {
    public let codecName = "gzip"
    private let framing: Codecs.DeflateFraming
    private var stream = z_stream()
    private var betweenMembers = false
    private var boundary = GzipMemberBoundary()
    private var sawInput = false

    public init(framing: Codecs.DeflateFraming) throws {
        self.framing = framing
        let windowBits: Int32 = framing == .zlib ? 15 : 15 + 16
        let status = inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw codecError(codecName, "inflateInit failed (\(status))") }
    }

    deinit { inflateEnd(&stream) }

    public func reset() throws {
        inflateReset(&stream)
        betweenMembers = false
        boundary = GzipMemberBoundary()
        sawInput = false
    }

    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> DecompressionStep
    {
        if input.count == 0 && !sawInput && framing == .gzipFile {
            // No stored bytes at all: pg_dump writes an empty file for an empty large object. (An empty zlib
            // stream in a custom archive is an error, as in pg_restore.)
            return DecompressionStep(consumed: 0, produced: 0, finished: true)
        }
        sawInput = true
        if betweenMembers {
            switch boundary.decide(input) {
            case .end:
                return DecompressionStep(consumed: 0, produced: 0, finished: true)
            case .heldFirstByte:
                return DecompressionStep(consumed: 1, produced: 0, finished: false)
            case .nextMember(let replaysFirstByte):
                inflateReset(&stream)
                betweenMembers = false
                boundary = GzipMemberBoundary()
                if replaysFirstByte {
                    // The header's first byte came in an earlier call: the inflater reads it first (no output).
                    try GzipMemberBoundary.firstByte.withUnsafeBytes { _ = try decompress($0, into: output) }
                }
            }
        }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        let status = inflate(&stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.avail_in)
        let produced = output.count - Int(stream.avail_out)
        stream.next_in = nil
        stream.next_out = nil
        switch status {
        case Z_OK:
            return DecompressionStep(consumed: consumed, produced: produced, finished: false)
        case Z_BUF_ERROR:
            // No progress possible: either more input is needed or the stream was cut short.
            if input.count == 0 && produced == 0 {
                throw codecError(codecName, "compressed data is truncated")
            }
            return DecompressionStep(consumed: consumed, produced: produced, finished: false)
        case Z_STREAM_END:
            if framing == .gzipFile {
                betweenMembers = true
                return DecompressionStep(consumed: consumed, produced: produced, finished: false)
            }
            return DecompressionStep(consumed: consumed, produced: produced, finished: true)
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw codecError(codecName, message)
        }
    }
}
