import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// pg's quoting helpers, on the archive's bytes. Mirrors `fe_utils/string_utils.c`.
enum SQLQuoting {
    /// An identifier, double-quoted unless it is all lower-case letters, digits and underscores, starts with a
    /// letter or underscore, and is not a keyword other than an unreserved one. Mirrors `fmtIdEnc`: in a UTF-8
    /// archive a byte that does not start a valid character is replaced by the invalid sequence `0xC0 0x20`, as
    /// PostgreSQL 18's CVE-2025-1094 hardening does, so that a broken name cannot hide a quote from the server.
    static func identifier(_ raw: [UInt8], encoding: DatabaseEncoding? = nil) -> [UInt8] {
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
        appendValidated(raw, encoding: encoding, to: &quoted) { byte, out in
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        quoted.append(UInt8(ascii: "\""))
        return quoted
    }

    static func identifier(_ text: ArchiveText, encoding: DatabaseEncoding? = nil) -> [UInt8] {
        identifier(text.bytes, encoding: encoding)
    }
    static func identifier(_ text: String, encoding: DatabaseEncoding? = nil) -> [UInt8] {
        identifier(Array(text.utf8), encoding: encoding)
    }

    /// `schema.name`, the schema left out when NULL or empty. Mirrors `fmtQualifiedId`.
    static func qualifiedIdentifier(
        _ schema: ArchiveText?, _ name: ArchiveText?, encoding: DatabaseEncoding? = nil
    ) -> [UInt8] {
        var result: [UInt8] = []
        if let schema, !schema.isEmpty {
            result = identifier(schema, encoding: encoding)
            result.append(UInt8(ascii: "."))
        }
        result += identifier(name?.bytes ?? [], encoding: encoding)
        return result
    }

    /// Appends `raw`, calling `escape` before each ASCII byte (to double quotes) and, in a UTF-8 archive, writing
    /// `0xC0 0x20` for each byte that does not start a valid character, then going on with the next byte. Mirrors
    /// the slow path of `fmtIdEnc` and `appendStringLiteral` (`pg_encoding_verifymbchar`,
    /// `pg_encoding_set_invalid`). Other multi-byte encodings are copied as they are.
    private static func appendValidated(
        _ raw: [UInt8], encoding: DatabaseEncoding?, to out: inout [UInt8], escape: (UInt8, inout [UInt8]) -> Void
    ) {
        let validates = encoding == .utf8
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            if byte < 0x80 || !validates {
                escape(byte, &out)
                out.append(byte)
                index += 1
                continue
            }
            let length = utf8SequenceLength(byte)
            if index + length <= raw.count, isLegalUTF8(raw[index..<(index + length)]) {
                out.append(contentsOf: raw[index..<(index + length)])
                index += length
            } else {
                out.append(0xC0)
                out.append(0x20)
                index += 1
            }
        }
    }

    /// `pg_utf_mblen`.
    private static func utf8SequenceLength(_ first: UInt8) -> Int {
        if first & 0x80 == 0 { return 1 }
        if first & 0xE0 == 0xC0 { return 2 }
        if first & 0xF0 == 0xE0 { return 3 }
        if first & 0xF8 == 0xF0 { return 4 }
        return 1
    }

    /// `pg_utf8_islegal`: shortest forms only, no surrogates, nothing above U+10FFFF.
    private static func isLegalUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        let first = bytes[bytes.startIndex]
        let length = bytes.count
        func continuation(_ offset: Int) -> Bool { bytes[bytes.startIndex + offset] & 0xC0 == 0x80 }
        switch length {
        case 2: guard first >= 0xC2 && first <= 0xDF else { return false }
        case 3: guard first >= 0xE0 && first <= 0xEF else { return false }
        case 4: guard first >= 0xF0 && first <= 0xF4 else { return false }
        default: return false
        }
        for offset in 1..<length where !continuation(offset) { return false }
        let second = bytes[bytes.startIndex + 1]
        switch first {
        case 0xE0: return second >= 0xA0
        case 0xED: return second <= 0x9F
        case 0xF0: return second >= 0x90
        case 0xF4: return second <= 0x8F
        default: return true
        }
    }

    /// A string literal: quotes doubled, and backslashes too when standard_conforming_strings is off (with no
    /// `E` prefix, as pg writes it). Mirrors `appendStringLiteral`.
    static func stringLiteral(
        _ raw: [UInt8], standardConformingStrings: Bool, encoding: DatabaseEncoding? = nil
    ) -> [UInt8] {
        var literal: [UInt8] = [UInt8(ascii: "'")]
        literal.reserveCapacity(raw.count + 2)
        appendValidated(raw, encoding: encoding, to: &literal) { byte, out in
            if byte == UInt8(ascii: "'") || (byte == UInt8(ascii: "\\") && !standardConformingStrings) {
                out.append(byte)
            }
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
