/// The bytes of one archive string, in the dump's encoding.
///
/// pg_dump stores strings without any conversion, in the database's encoding, so they are kept as bytes and
/// written back unchanged. A NULL string is a `nil` `ArchiveText?`; the empty string is an empty value, and the two
/// mean different things (a NULL tablespace is "not applicable", an empty one is "the default").
public struct ArchiveText: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    ExpressibleByStringLiteral
{
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { self.bytes = Array(string.utf8) }
    public init(stringLiteral value: String) { self.init(value) }

    public var isEmpty: Bool { bytes.isEmpty }
    public var count: Int { bytes.count }

    /// The text decoded as UTF-8, invalid sequences replaced; for messages, JSON and comparisons with ASCII.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { string }
    public var debugDescription: String { string.debugDescription }

    /// Whether the bytes start with the UTF-8 bytes of `prefix` (`strncmp` in pg).
    @inlinable
    public func hasPrefix(_ prefix: String) -> Bool {
        let utf8 = prefix.utf8
        guard utf8.count <= bytes.count else { return false }
        // Literals have contiguous UTF-8; compared through pointers, with no index checks.
        if let matched = utf8.withContiguousStorageIfAvailable({ expected in
            bytes.withUnsafeBufferPointer { actual in
                for index in expected.indices where actual[index] != expected[index] { return false }
                return true
            }
        }) {
            return matched
        }
        return bytes.starts(with: utf8)
    }

    /// Whether the bytes equal the UTF-8 bytes of `other` (`strcmp` in pg).
    @inlinable @inline(__always)
    public func equals(_ other: String) -> Bool {
        bytes.count == other.utf8.count && hasPrefix(other)
    }

    /// Parses a leading decimal number the way glibc's `sscanf("%u")` does: optional whitespace and sign, then
    /// digits, saturating at 2^64 - 1 like `strtoul`, negated modulo 2^64 when signed, then cut to 32 bits.
    /// Returns 0 where no digits are found, as pg leaves the value at 0.
    var scannedUInt32: UInt32 {
        bytes.withUnsafeBytes { Self.scanUInt32($0) }
    }

    /// Parses a leading decimal number as glibc's `sscanf("%d")` does: like `strtol`, saturating at the limits of
    /// a 64-bit `long`, then cut to 32 bits. `nil` when there are no digits.
    package var scannedInt32: Int32? {
        bytes.withUnsafeBytes { Self.scanInt32($0) }
    }

    /// `scannedUInt32` of raw bytes.
    static func scanUInt32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let (negative, magnitude) = scanDecimal(bytes) else { return 0 }
        let value = negative ? 0 &- magnitude : magnitude
        return UInt32(truncatingIfNeeded: value)
    }

    /// `scannedInt32` of raw bytes, for parsing in place.
    package static func scanInt32(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard let (negative, magnitude) = scanDecimal(bytes) else { return nil }
        let value: Int64
        if negative {
            value = magnitude > UInt64(Int64.max) ? Int64.min : -Int64(magnitude)
        } else {
            value = magnitude > UInt64(Int64.max) ? Int64.max : Int64(magnitude)
        }
        return Int32(truncatingIfNeeded: value)
    }

    /// The sign and the magnitude (saturated at `UInt64.max`) of a leading decimal number.
    private static func scanDecimal(_ bytes: UnsafeRawBufferPointer) -> (negative: Bool, magnitude: UInt64)? {
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index]) { index += 1 }
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var magnitude: UInt64 = 0
        var sawDigit = false
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[index] - 0x30))
            magnitude = overflow1 || overflow2 ? UInt64.max : sum
            sawDigit = true
            index += 1
        }
        return sawDigit ? (negative, magnitude) : nil
    }
}
