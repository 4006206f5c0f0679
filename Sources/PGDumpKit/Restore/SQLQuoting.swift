/// pg's quoting helpers, on the archive's bytes. Mirrors `fe_utils/string_utils.c`.
enum SQLQuoting {
    /// An identifier, double-quoted unless it is all lower-case letters, digits and underscores, starts with a
    /// letter or underscore, and is not a keyword other than an unreserved one. Mirrors `fmtId`.
    static func identifier(_ raw: [UInt8]) -> [UInt8] {
        var needsQuotes = raw.isEmpty || !(isLowerLetter(raw[0]) || raw[0] == UInt8(ascii: "_"))
        if !needsQuotes {
            needsQuotes = raw.contains { !(isLowerLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_")) }
        }
        if !needsQuotes, SQLKeywords.quoted.contains(String(decoding: raw, as: UTF8.self)) {
            needsQuotes = true
        }
        guard needsQuotes else { return raw }
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        quoted.reserveCapacity(raw.count + 2)
        for byte in raw {
            if byte == UInt8(ascii: "\"") { quoted.append(byte) }
            quoted.append(byte)
        }
        quoted.append(UInt8(ascii: "\""))
        return quoted
    }

    static func identifier(_ text: ArchiveText) -> [UInt8] { identifier(text.bytes) }
    static func identifier(_ text: String) -> [UInt8] { identifier(Array(text.utf8)) }

    /// `schema.name`, the schema left out when NULL or empty. Mirrors `fmtQualifiedId`.
    static func qualifiedIdentifier(_ schema: ArchiveText?, _ name: ArchiveText?) -> [UInt8] {
        var result: [UInt8] = []
        if let schema, !schema.isEmpty {
            result = identifier(schema)
            result.append(UInt8(ascii: "."))
        }
        result += identifier(name?.bytes ?? [])
        return result
    }

    /// A string literal: quotes doubled, and backslashes too when standard_conforming_strings is off (with no
    /// `E` prefix, as pg writes it). Mirrors `appendStringLiteral`.
    static func stringLiteral(_ raw: [UInt8], standardConformingStrings: Bool) -> [UInt8] {
        var literal: [UInt8] = [UInt8(ascii: "'")]
        literal.reserveCapacity(raw.count + 2)
        for byte in raw {
            if byte == UInt8(ascii: "'") || (byte == UInt8(ascii: "\\") && !standardConformingStrings) {
                literal.append(byte)
            }
            literal.append(byte)
        }
        literal.append(UInt8(ascii: "'"))
        return literal
    }

    /// A bytea literal in hex form, `'\x…'` (`'\\x…'` without standard_conforming_strings). Mirrors
    /// `appendByteaLiteral`.
    static func appendByteaLiteral(
        _ bytes: UnsafeRawBufferPointer, standardConformingStrings: Bool, to out: inout [UInt8]
    ) {
        let hex = Array("0123456789abcdef".utf8)
        out.reserveCapacity(out.count + bytes.count * 2 + 5)
        out.append(UInt8(ascii: "'"))
        if !standardConformingStrings { out.append(UInt8(ascii: "\\")) }
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "x"))
        for byte in bytes {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        out.append(UInt8(ascii: "'"))
    }

    /// psql's `\connect` for a database name. Mirrors `appendPsqlMetaConnect`.
    static func psqlConnect(_ name: [UInt8]) throws -> [UInt8] {
        var complex = false
        for byte in name {
            if byte == 0x0A || byte == 0x0D {
                throw PGDumpError(
                    .corrupt,
                    "database name contains a newline or carriage return: \"\(String(decoding: name, as: UTF8.self))\"")
            }
            if !isPlain(byte) { complex = true }
        }
        var out: [UInt8] = []
        if complex {
            out += Array("\\encoding SQL_ASCII\n\\connect -reuse-previous=on ".utf8)
            var connectionString = Array("dbname=".utf8)
            connectionString += connectionStringValue(name)
            out += identifier(connectionString)
        } else {
            out += Array("\\connect ".utf8)
            out += identifier(name)
        }
        out.append(0x0A)
        return out
    }

    /// A libpq connection-string value, quoted with backslash escapes unless it is plain. Mirrors
    /// `appendConnStrVal`.
    static func connectionStringValue(_ value: [UInt8]) -> [UInt8] {
        if !value.isEmpty && value.allSatisfy(isPlain) { return value }
        var out: [UInt8] = [UInt8(ascii: "'")]
        for byte in value {
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "'"))
        return out
    }

    private static func isLowerLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isPlain(_ byte: UInt8) -> Bool {
        isLowerLetter(byte) || (byte >= 0x41 && byte <= 0x5A) || isDigit(byte) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: ".")
    }
}
