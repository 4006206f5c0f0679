import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Reads SQL identifiers, keywords and punctuation from the statements pg_dump writes (`COPY`, `CREATE TABLE`,
/// `INSERT`), on bytes. (Names given on the command line are read by `NamePattern`.)
///
/// Identifiers follow PostgreSQL's scanner (`scan.l`): a quoted identifier is taken as written, with `""` standing
/// for one quote; an unquoted one (`[A-Za-z_\x80-\xff][A-Za-z0-9_$\x80-\xff]*`) is folded to lower case, ASCII
/// letters only, as `downcase_identifier` does in a multi-byte encoding.
struct SQLNameScanner {
    let bytes: [UInt8]
    private(set) var index = 0

    init(_ bytes: [UInt8], at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var isAtEnd: Bool { index >= bytes.count }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { index += 1 }
    }

    /// Consumes `byte` (after whitespace) if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `keyword` (after whitespace), case-insensitively, if it is next as a whole word.
    mutating func consumeKeyword(_ keyword: String) -> Bool {
        skipWhitespace()
        let word = Array(keyword.utf8)
        guard bytes.count - index >= word.count else { return false }
        for (offset, expected) in word.enumerated() where Self.lowercased(bytes[index + offset]) != Self.lowercased(expected) {
            return false
        }
        if index + word.count < bytes.count, Self.isIdentifierContinuation(bytes[index + word.count]) { return false }
        index += word.count
        return true
    }

    /// Reads one identifier (after whitespace); `nil` when none is next or a quoted one is not closed.
    mutating func readIdentifier() -> [UInt8]? {
        skipWhitespace()
        guard let first = peek else { return nil }
        if first == UInt8(ascii: "\"") {
            var name: [UInt8] = []
            var position = index + 1
            while position < bytes.count {
                if bytes[position] == UInt8(ascii: "\"") {
                    if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") {
                        name.append(UInt8(ascii: "\""))
                        position += 2
                        continue
                    }
                    index = position + 1
                    return name
                }
                name.append(bytes[position])
                position += 1
            }
            return nil
        }
        guard Self.isIdentifierStart(first) else { return nil }
        var name: [UInt8] = []
        while let byte = peek, Self.isIdentifierContinuation(byte) {
            name.append(Self.lowercased(byte))
            index += 1
        }
        return name
    }

    /// Reads `name` or `schema.name` (after whitespace).
    mutating func readQualifiedName() -> (schema: [UInt8]?, name: [UInt8])? {
        guard let first = readIdentifier() else { return nil }
        let save = index
        if consume(UInt8(ascii: ".")), let second = readIdentifier() {
            return (first, second)
        }
        index = save
        return (nil, first)
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    static func isIdentifierContinuation(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "$")
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
    }
}
