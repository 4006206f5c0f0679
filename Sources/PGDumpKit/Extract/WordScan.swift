import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Tests on eight bytes at once, for the scans that look for a few special bytes in long runs of ordinary ones
/// (the COPY decoder's delimiters and escapes, the CSV writer's characters that need quotes).
///
/// These are the classic "has zero byte" and "has byte less than n" tests: exact as to whether *some* byte matches,
/// which is all they are used for; the caller then looks at the eight bytes one by one.
enum WordScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset`, in memory order.
    @inline(__always)
    static func load(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// Nonzero when some byte of `word` equals `byte`.
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & highBits
    }

    /// Nonzero when some byte of `word` is less than `bound` (at most 128).
    @inline(__always)
    static func below(_ word: UInt64, _ bound: UInt8) -> UInt64 {
        (word &- ones &* UInt64(bound)) & ~word & highBits
    }
}
