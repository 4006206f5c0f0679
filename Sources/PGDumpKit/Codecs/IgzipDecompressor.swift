import CIsal

/// ISA-L's igzip inflate, for zlib streams (custom-format data) and gzip files (directory format).
///
/// It reads the same bytes as zlib's inflate several times faster (bench/RESULTS.md), and checks the same things:
/// the zlib or gzip header, the deflate data, and the trailer's checksum (Adler-32, or CRC-32 and length).
/// Like `ZlibDecompressor` a gzip file may hold several members, as `gzread` accepts; bytes after the last member
/// that do not start a new one are ignored.
public final class IgzipDecompressor: Decompressor {
    public let codecName = "gzip"
    private let framing: Codecs.DeflateFraming
    /// ISA-L's state holds its 32 KiB history and decoding tables (about 90 KiB): allocated once, reset per stream.
    private let state: UnsafeMutablePointer<inflate_state>
    private var betweenMembers = false
    private var boundary = GzipMemberBoundary()
    private var sawInput = false
    /// gzip members (or zlib streams) decoded to their end since the last reset.
    private(set) var completedMembers = 0

    public init(framing: Codecs.DeflateFraming) throws {
        self.framing = framing
        state = .allocate(capacity: 1)
        startStream()
    }

    deinit { state.deallocate() }

    public func reset() throws {
        startStream()
        betweenMembers = false
        boundary = GzipMemberBoundary()
        sawInput = false
        completedMembers = 0
    }

    private func startStream() {
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(framing == .zlib ? ISAL_ZLIB : ISAL_GZIP)
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
                startStream()
                betweenMembers = false
                boundary = GzipMemberBoundary()
                if replaysFirstByte {
                    // The header's first byte came in an earlier call: the inflater reads it first (no output).
                    try GzipMemberBoundary.firstByte.withUnsafeBytes { _ = try decompress($0, into: output) }
                }
            }
        }
        state.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(input.count)
        state.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(min(output.count, Int(UInt32.max)))
        let status = isal_inflate(state)
        let consumed = input.count - Int(state.pointee.avail_in)
        let produced = min(output.count, Int(UInt32.max)) - Int(state.pointee.avail_out)
        state.pointee.next_in = nil
        state.pointee.next_out = nil
        guard status >= ISAL_DECOMP_OK else { throw codecError(codecName, Self.describe(status)) }
        if status == ISAL_NEED_DICT {
            throw codecError(codecName, "the zlib stream needs a preset dictionary")
        }
        if state.pointee.block_state == ISAL_BLOCK_FINISH {
            completedMembers += 1
            if framing == .gzipFile {
                betweenMembers = true
                return DecompressionStep(consumed: consumed, produced: produced, finished: false)
            }
            return DecompressionStep(consumed: consumed, produced: produced, finished: true)
        }
        if input.count == 0 && produced == 0 {
            throw codecError(codecName, "compressed data is truncated")
        }
        return DecompressionStep(consumed: consumed, produced: produced, finished: false)
    }

    /// Words for ISA-L's error codes, close to zlib's messages for the same faults.
    private static func describe(_ status: Int32) -> String {
        switch status {
        case ISAL_INVALID_BLOCK: return "invalid block type or lengths"
        case ISAL_INVALID_SYMBOL: return "invalid code"
        case ISAL_INVALID_LOOKBACK: return "invalid distance too far back"
        case ISAL_INVALID_WRAPPER: return "incorrect header check"
        case ISAL_UNSUPPORTED_METHOD: return "unknown compression method"
        case ISAL_INCORRECT_CHECKSUM: return "incorrect data check"
        default: return "error \(status)"
        }
    }
}
