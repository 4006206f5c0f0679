/// SipHash-2-4 with its 128-bit output (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012), fed in
/// pieces: a row of table data may arrive split across the chunks a reader hands over.
///
/// Keyed with a random key per run, SipHash is a pseudorandom function: an archive's author, not knowing the key,
/// cannot make two different rows hash alike. Summing the outputs modulo 2^128 gives an order-insensitive digest
/// of a multiset of rows (Clarke et al.'s MSet-Add-Hash), which a sum keeps sensitive to duplicate rows where an
/// exclusive or would let two equal rows cancel.
struct SipHash128 {
    /// A 128-bit key.
    struct Key: Sendable, Hashable {
        var k0: UInt64
        var k1: UInt64

        /// A fresh key from the system's random number generator.
        static func random() -> Key {
            var generator = SystemRandomNumberGenerator()
            return Key(k0: generator.next(), k1: generator.next())
        }
    }

    private var v0: UInt64
    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64
    /// Bytes not yet absorbed (fewer than 8), little-endian in the low bits.
    private var tail: UInt64 = 0
    private var tailCount = 0
    private var length: UInt64 = 0

    init(key: Key) {
        v0 = key.k0 ^ 0x736f_6d65_7073_6575
        v1 = key.k1 ^ 0x646f_7261_6e64_6f6d ^ 0xee
        v2 = key.k0 ^ 0x6c79_6765_6e65_7261
        v3 = key.k1 ^ 0x7465_6462_7974_6573
    }

    @inline(__always)
    private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }

    @inline(__always)
    private mutating func round() {
        v0 &+= v1; v1 = Self.rotate(v1, 13); v1 ^= v0; v0 = Self.rotate(v0, 32)
        v2 &+= v3; v3 = Self.rotate(v3, 16); v3 ^= v2
        v0 &+= v3; v3 = Self.rotate(v3, 21); v3 ^= v0
        v2 &+= v1; v1 = Self.rotate(v1, 17); v1 ^= v2; v2 = Self.rotate(v2, 32)
    }

    @inline(__always)
    private mutating func absorb(_ word: UInt64) {
        v3 ^= word
        round()
        round()
        v0 ^= word
    }

    /// Adds `bytes` to the message.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var position = 0
        let count = bytes.count
        length &+= UInt64(count)
        if tailCount > 0 {
            while tailCount < 8 && position < count {
                tail |= UInt64(bytes[position]) << UInt64(8 * tailCount)
                tailCount += 1
                position += 1
            }
            guard tailCount == 8 else { return }
            absorb(tail)
            tail = 0
            tailCount = 0
        }
        while count - position >= 8 {
            absorb(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
            position += 8
        }
        while position < count {
            tail |= UInt64(bytes[position]) << UInt64(8 * tailCount)
            tailCount += 1
            position += 1
        }
    }

    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The 128-bit hash of everything added, as (high, low) words: the first output word is `low`.
    func finalize() -> Digest128 {
        var state = self
        state.absorb(state.tail | (state.length << 56))
        state.v2 ^= 0xee
        for _ in 0..<4 { state.round() }
        let first = state.v0 ^ state.v1 ^ state.v2 ^ state.v3
        state.v1 ^= 0xdd
        for _ in 0..<4 { state.round() }
        let second = state.v0 ^ state.v1 ^ state.v2 ^ state.v3
        return Digest128(high: second, low: first)
    }

    /// The hash of `bytes` alone.
    static func hash(_ bytes: UnsafeRawBufferPointer, key: Key) -> Digest128 {
        var hasher = SipHash128(key: key)
        hasher.update(bytes)
        return hasher.finalize()
    }

    static func hash(_ bytes: [UInt8], key: Key) -> Digest128 { bytes.withUnsafeBytes { hash($0, key: key) } }
}

/// A 128-bit value: a hash, or a sum of hashes modulo 2^128.
public struct Digest128: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public static let zero = Digest128(high: 0, low: 0)

    /// The sum modulo 2^128.
    static func &+ (lhs: Digest128, rhs: Digest128) -> Digest128 {
        let (low, carry) = lhs.low.addingReportingOverflow(rhs.low)
        return Digest128(high: lhs.high &+ rhs.high &+ (carry ? 1 : 0), low: low)
    }

    public static func < (lhs: Digest128, rhs: Digest128) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// 32 hexadecimal digits, high word first.
    public var description: String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(high) + hex(low)
    }
}
