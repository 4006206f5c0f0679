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
    public func hasPrefix(_ prefix: String) -> Bool {
        var index = 0
        for byte in prefix.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    /// Whether the bytes equal the UTF-8 bytes of `other` (`strcmp` in pg).
    public func equals(_ other: String) -> Bool {
        bytes.count == other.utf8.count && hasPrefix(other)
    }

    /// Parses a leading decimal number the way C's `sscanf("%u")` does: optional whitespace and sign,
    /// then digits, modulo 2^32. Returns 0 where no digits are found, as pg leaves the value at 0.
    var scannedUInt32: UInt32 {
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index]) { index += 1 }
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var value: UInt32 = 0
        var sawDigit = false
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            value = value &* 10 &+ UInt32(bytes[index] - 0x30)
            sawDigit = true
            index += 1
        }
        guard sawDigit else { return 0 }
        return negative ? 0 &- value : value
    }

    /// Parses a leading decimal number as `sscanf("%d")` does; `nil` when there are no digits.
    var scannedInt32: Int32? {
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index]) { index += 1 }
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var value: Int64 = 0
        var sawDigit = false
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
            value = min(value * 10 + Int64(bytes[index] - 0x30), Int64(Int32.max) + 1)
            sawDigit = true
            index += 1
        }
        guard sawDigit else { return nil }
        value = negative ? -value : value
        return Int32(clamping: value)
    }
}
