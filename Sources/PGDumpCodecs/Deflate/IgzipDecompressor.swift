import CIsal
import PGDumpCore

/// ISA-L's igzip inflate, for zlib streams (custom-format data) and gzip files (directory format).
///
/// It reads the same bytes as zlib's inflate several times faster (bench/RESULTS.md), and checks the same things:
/// the zlib or gzip header, the deflate data, and the trailer's checksum (Adler-32, or CRC-32 and length).
/// A gzip file may hold several members (`GzipMemberSequence`).
package final class IgzipDecompressor: Decompressor {
    package let codecName = "gzip"
    private let framing: Codecs.DeflateFraming
    /// ISA-L's state holds its 32 KiB history and decoding tables (about 90 KiB): allocated once, reset per stream.
    private let state: UnsafeMutablePointer<inflate_state>
    private var members: GzipMemberSequence
    /// gzip members (or zlib streams) decoded to their end since the last reset.
    private(set) var completedMembers = 0
    /// Bytes past the last member's end that an earlier call had already taken in (see `inflate`).
    private(set) var bytesReadPastLastMember = 0

    package init(framing: Codecs.DeflateFraming) throws {
        self.framing = framing
        members = GzipMemberSequence(framing: framing)
        state = .allocate(capacity: 1)
        startStream()
    }

    deinit { state.deallocate() }

    package func reset() throws {
        startStream()
        members.reset()
        completedMembers = 0
        bytesReadPastLastMember = 0
    }

    private func startStream() {
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(framing == .zlib ? ISAL_ZLIB : ISAL_GZIP)
    }

    package func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> DecompressionStep
    {
        try members.step(input, into: output, restart: startStream, inflate: inflate)
    }

    private func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> GzipMemberSequence.Inflated
    {
        let outputCount = min(output.count, Int(UInt32.max))
        state.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(input.count)
        state.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(outputCount)
        let status = isal_inflate(state)
        var consumed = input.count - Int(state.pointee.avail_in)
        let produced = outputCount - Int(state.pointee.avail_out)
        state.pointee.next_in = nil
        state.pointee.next_out = nil
        guard status >= ISAL_DECOMP_OK else { throw codecError(codecName, Self.describe(status)) }
        if status == ISAL_NEED_DICT {
            throw codecError(codecName, "the zlib stream needs a preset dictionary")
        }
        if state.pointee.block_state == ISAL_BLOCK_FINISH {
            completedMembers += 1
            // igzip loads input eight bytes at a time and keeps what it read past the trailer in its bit buffer
            // (whole bytes: the trailer is byte-aligned). Those bytes are not the stream's: the ones from this
            // input are given back, older ones are returned as bytes.
            let unread = Int(state.pointee.read_in_length) / 8
            let bits = state.pointee.read_in
            state.pointee.read_in = 0
            state.pointee.read_in_length = 0
            let givenBack = min(unread, consumed)
            consumed -= givenBack
            let older = (0..<(unread - givenBack)).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
            bytesReadPastLastMember = older.count
            return .init(consumed: consumed, produced: produced, streamEnded: true, readAhead: older)
        }
        if input.count == 0 && produced == 0 {
            throw codecError(codecName, "compressed data is truncated")
        }
        return .init(consumed: consumed, produced: produced, streamEnded: false)
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
