import PGDumpCore
import PGDumpCodecs

/// One 512-byte tar header, as pg_dump writes and pg_restore reads it (`src/port/tar.c`, `pg_backup_tar.c`).
struct TarHeader {
    static let blockSize = 512

    /// The member name: the 100-byte name field up to its first NUL (the prefix field is ignored, as pg does).
    var name: String
    var size: Int64
    var typeFlag: UInt8

    enum ParseResult {
        /// A valid header.
        case header(TarHeader)
        /// An all-zero block (end-of-archive padding).
        case zeroBlock
        /// A block whose checksum does not match.
        case badChecksum(expected: Int64, computed: Int64)
    }

    /// Parses a block. Mirrors `_tarGetHeader` and `isValidTarHeader`.
    static func parse(_ block: UnsafeRawBufferPointer) -> ParseResult {
        precondition(block.count == blockSize)
        let computed = checksum(block)
        let stored = readNumber(UnsafeRawBufferPointer(rebasing: block[148..<156]))
        guard let stored, stored == computed else {
            if block.allSatisfy({ $0 == 0 }) { return .zeroBlock }
            return .badChecksum(expected: stored ?? -1, computed: computed)
        }
        var nameBytes: [UInt8] = []
        for byte in block[0..<100] {
            if byte == 0 { break }
            nameBytes.append(byte)
        }
        let size = readNumber(UnsafeRawBufferPointer(rebasing: block[124..<136])) ?? -1
        return .header(TarHeader(name: String(decoding: nameBytes, as: UTF8.self), size: size, typeFlag: block[156]))
    }

    /// Whether the block carries one of the magic values pg_restore accepts: POSIX `ustar\0` + `00`, GNU
    /// `ustar  \0`, or pre-9.3 pg_dump's `ustar00\0`.
    static func hasAcceptedMagic(_ block: UnsafeRawBufferPointer) -> Bool {
        let magic = Array(block[257..<265])
        return magic.elementsEqual(Array("ustar\u{0}00".utf8)) || magic.elementsEqual(Array("ustar  \u{0}".utf8))
            || magic.elementsEqual(Array("ustar00\u{0}".utf8))
    }

    /// Whether a block is a valid header pg_restore would detect as a tar archive.
    static func isValidArchiveHeader(_ block: UnsafeRawBufferPointer) -> Bool {
        guard block.count >= blockSize else { return false }
        let stored = readNumber(UnsafeRawBufferPointer(rebasing: block[148..<156]))
        return stored == checksum(block) && hasAcceptedMagic(block)
    }

    /// The sum of all bytes with the checksum field counted as spaces. Mirrors `tarChecksum`.
    static func checksum(_ block: UnsafeRawBufferPointer) -> Int64 {
        var sum: Int64 = 8 * 32
        for index in 0..<blockSize where index < 148 || index >= 156 {
            sum += Int64(block[index])
        }
        return sum
    }

    /// Reads an octal field, or a GNU base-256 one (first byte 0x80). Mirrors `read_tar_number`.
    static func readNumber(_ field: UnsafeRawBufferPointer) -> Int64? {
        guard let first = field.first else { return nil }
        if first == 0x80 {
            var value: Int64 = 0
            for byte in field.dropFirst() {
                guard value <= (Int64.max >> 8) else { return nil }
                value = (value << 8) | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        for byte in field {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7") else { break }
            guard value <= (Int64.max >> 3) else { return nil }
            value = value * 8 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Bytes of padding after `size` bytes of data.
    static func padding(after size: Int64) -> Int64 {
        let remainder = size % Int64(blockSize)
        return remainder == 0 ? 0 : Int64(blockSize) - remainder
    }
}

extension TarHeader {
    /// A header block as pg_dump writes it (`tarCreateHeader`): mode 0600, uid 2048, gid 1024, owner
    /// "postgres", ustar magic, a 7-digit octal checksum.
    static func encode(name: String, size: Int64, modificationTime: Int64) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        let nameBytes = Array(name.utf8.prefix(99))
        block.replaceSubrange(0..<nameBytes.count, with: nameBytes)
        printNumber(&block, 100, 8, 0o600)
        printNumber(&block, 108, 8, 0o4000)
        printNumber(&block, 116, 8, 0o2000)
        printNumber(&block, 124, 12, UInt64(size))
        printNumber(&block, 136, 12, UInt64(max(0, modificationTime)))
        block[156] = UInt8(ascii: "0")
        block.replaceSubrange(257..<263, with: Array("ustar\u{0}".utf8))
        block.replaceSubrange(263..<265, with: Array("00".utf8))
        block.replaceSubrange(265..<273, with: Array("postgres".utf8))
        block.replaceSubrange(297..<305, with: Array("postgres".utf8))
        printNumber(&block, 329, 8, 0)
        printNumber(&block, 337, 8, 0)
        let sum = block.withUnsafeBytes { checksum($0) }
        printNumber(&block, 148, 8, UInt64(sum))
        return block
    }

    /// Octal with a trailing space, or GNU base-256 when the value does not fit. Mirrors `print_tar_number`.
    static func printNumber(_ block: inout [UInt8], _ offset: Int, _ length: Int, _ value: UInt64) {
        var value = value
        if value < (UInt64(1) << UInt64((length - 1) * 3)) {
            var index = length - 1
            block[offset + index] = UInt8(ascii: " ")
            while index > 0 {
                index -= 1
                block[offset + index] = UInt8(ascii: "0") + UInt8(value & 7)
                value >>= 3
            }
        } else {
            block[offset] = 0x80
            var index = length
            while index > 1 {
                index -= 1
                block[offset + index] = UInt8(truncatingIfNeeded: value)
                value >>= 8
            }
        }
    }
}
