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

    // MARK: - Sixteen bytes at once

    /// Sixteen bytes, for the scans that count fields without decoding them: one SIMD comparison per byte class
    /// (SSE2 on x86-64, NEON on arm64) instead of the word tests above.
    typealias Block = SIMD16<UInt8>
    /// Per byte of a block: all ones where a comparison held.
    typealias BlockMask = SIMDMask<SIMD16<Int8>>

    /// The sixteen bytes at `offset`.
    @inline(__always)
    static func loadBlock(_ base: UnsafeRawPointer, _ offset: Int) -> Block {
        base.loadUnaligned(fromByteOffset: offset, as: Block.self)
    }

    /// The mask as two words, the first eight bytes of the block in the first, each byte 0xFF where the
    /// comparison held and 0 elsewhere, the block's first byte in the lowest bits. (Written without `any()`,
    /// which Swift lowers to a slow reduction here.)
    @inline(__always)
    static func words(_ mask: BlockMask) -> (UInt64, UInt64) {
        let lanes = unsafeBitCast(SIMD16<Int8>(repeating: 0).replacing(with: -1, where: mask), to: SIMD2<UInt64>.self)
        return (UInt64(littleEndian: lanes[0]), UInt64(littleEndian: lanes[1]))
    }

    /// A mask word (from `words`) as eight bits, bit i set when byte i is: the high bits gathered into the top
    /// byte by one multiplication.
    @inline(__always)
    static func bits(_ word: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: ((word & highBits) &* 0x0002_0408_1020_4081) &>> 56)
    }

    /// How many bytes of a mask word (from `words`) are set: one multiplication, no population count (which
    /// baseline x86-64 lacks).
    @inline(__always)
    static func setBytes(_ word: UInt64) -> Int {
        Int(truncatingIfNeeded: ((word & ones) &* ones) &>> 56)
    }

    /// The bytes of a mask word (from `words`) before its first set byte, whose lowest bit is `bit`.
    @inline(__always)
    static func setBytes(_ word: UInt64, below bit: Int) -> Int {
        setBytes(word & ((1 &<< UInt64(truncatingIfNeeded: bit)) &- 1))
    }
}
