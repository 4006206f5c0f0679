import PGDumpCore

/// The wrappers around raw deflate data, byte for byte as zlib writes them: a zlib stream's 2-byte header and
/// big-endian Adler-32 (custom format), or a gzip file's 10-byte header and little-endian CRC-32 and length
/// (directory format).
enum DeflateWrapper {
    /// The header for `level` (1–9): its level bits are informational, but matching zlib keeps a one-chunk
    /// stream identical to zlib's own.
    static func header(_ framing: Codecs.DeflateFraming, level: Int32) -> [UInt8] {
        if framing == .zlib {
            let levelFlags: UInt16 = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3
            var value: UInt16 = (0x78 << 8) | (levelFlags << 6)
            value += 31 - value % 31
            return [UInt8(value >> 8), UInt8(truncatingIfNeeded: value)]
        }
        let extraFlags: UInt8 = level == 9 ? 2 : level < 2 ? 4 : 0
        return [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, extraFlags, 3]  // no name, no time, OS 3 (Unix) as zlib writes
    }

    /// The trailer: `check` is the Adler-32 (zlib) or CRC-32 (gzip) of the data, `length` its size (gzip keeps
    /// it modulo 2^32).
    static func trailer(_ framing: Codecs.DeflateFraming, check: UInt32, length: UInt64) -> [UInt8] {
        func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        if framing == .zlib { return littleEndian(check).reversed() }
        return littleEndian(check) + littleEndian(UInt32(truncatingIfNeeded: length))
    }
}
