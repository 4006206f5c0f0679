import PGDumpTestSupport
import Testing

@testable import PGDumpKit

/// pg's quoting helpers (`fe_utils/string_utils.c`): `fmtId`, `fmtQualifiedId`, `appendStringLiteral`,
/// `appendByteaLiteral`, `appendPsqlMetaConnect` and `appendConnStrVal`, with the expected bytes worked out from
/// their C source and `parser/kwlist.h`.
@Suite struct SQLQuotingTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func identifier(_ name: String) -> String { text(SQLQuoting.identifier(name)) }

    // MARK: - Identifiers

    @Test("lower-case letters, digits and underscores, starting with a letter or underscore, stay bare",
          arguments: ["items", "a", "_x", "x1", "order_lines_2024", "_"])
    func bareIdentifiers(_ name: String) {
        #expect(Self.identifier(name) == name)
    }

    @Test("anything else is double-quoted, its double quotes doubled", arguments: [
        ("Items", "\"Items\""), ("my table", "\"my table\""), ("1abc", "\"1abc\""), ("a-b", "\"a-b\""),
        ("", "\"\""), ("a\"b", "\"a\"\"b\""), ("\"", "\"\"\"\""), ("app.items", "\"app.items\""),
        ("$x", "\"$x\""), ("é", "\"é\""), ("back\\slash", "\"back\\slash\""), ("a'b", "\"a'b\""),
    ])
    func quotedIdentifiers(_ name: String, _ expected: String) {
        #expect(Self.identifier(name) == expected)
    }

    /// Reserved, column-name and type/function-name keywords are quoted; unreserved ones are not.
    @Test("keywords other than unreserved ones are quoted", arguments: [
        ("select", true), ("table", true), ("user", true), ("order", true), ("from", true), ("offset", true),
        ("int", true), ("integer", true), ("varchar", true), ("between", true), ("time", true), ("values", true),
        ("left", true), ("join", true), ("authorization", true), ("verbose", true), ("collation", true),
        ("name", false), ("data", false), ("text", false), ("comment", false), ("abort", false), ("year", false),
        ("id", false), ("schema", false),
    ])
    func keywords(_ word: String, _ quoted: Bool) {
        #expect(Self.identifier(word) == (quoted ? "\"\(word)\"" : word))
        // Only the exact lower-case spelling is a keyword match; an upper-case letter needs quotes anyway.
        #expect(Self.identifier(word.uppercased()) == "\"\(word.uppercased())\"")
    }

    @Test("a qualified name leaves out a NULL or empty schema")
    func qualifiedIdentifiers() {
        #expect(Self.text(SQLQuoting.qualifiedIdentifier("app", "items")) == "app.items")
        #expect(Self.text(SQLQuoting.qualifiedIdentifier("My Schema", "select")) == #""My Schema"."select""#)
        #expect(Self.text(SQLQuoting.qualifiedIdentifier(nil, "t")) == "t")
        #expect(Self.text(SQLQuoting.qualifiedIdentifier("", "T")) == "\"T\"")
    }

    // MARK: - Encodings

    /// In a UTF-8 archive each byte that does not start a valid character becomes `0xC0 0x20` (an invalid
    /// sequence the server refuses), and the bytes after it are read as if it were not there (PostgreSQL 18's
    /// CVE-2025-1094 hardening: `pg_encoding_verifymbchar`, `pg_encoding_set_invalid`).
    @Test("invalid UTF-8 in a UTF-8 archive is replaced byte by byte", arguments: [
        ([0x73, 0xC3], [0x22, 0x73, 0xC0, 0x20, 0x22]),  // a truncated two-byte character
        ([0x61, 0xFF, 0x22, 0x62], [0x22, 0x61, 0xC0, 0x20, 0x22, 0x22, 0x62, 0x22]),  // the quote is still doubled
        ([0xE0, 0x80, 0xAF], [0x22, 0xC0, 0x20, 0xC0, 0x20, 0xC0, 0x20, 0x22]),  // an overlong form of '/'
        ([0xED, 0xA0, 0x80], [0x22, 0xC0, 0x20, 0xC0, 0x20, 0xC0, 0x20, 0x22]),  // a UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], [0x22, 0xC0, 0x20, 0xC0, 0x20, 0xC0, 0x20, 0xC0, 0x20, 0x22]),  // above U+10FFFF
        ([0xC3, 0xA9], [0x22, 0xC3, 0xA9, 0x22]),  // é, valid
        ([0xF0, 0x9F, 0x98, 0x80], [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]),  // a four-byte character, valid
        ([0xE2, 0x82, 0xAC, 0x80], [0x22, 0xE2, 0x82, 0xAC, 0xC0, 0x20, 0x22]),  // €, then a stray continuation
    ] as [([UInt8], [UInt8])])
    func invalidUTF8(_ raw: [UInt8], _ expected: [UInt8]) {
        #expect(SQLQuoting.identifier(raw, encoding: .utf8) == expected)
    }

    @Test("in single-byte encodings (LATIN1, SQL_ASCII) every byte is a character and is copied")
    func otherEncodings() throws {
        let latin1 = try #require(DatabaseEncoding(named: "LATIN1"))
        // é in LATIN1 is one byte; as UTF-8 it would be a truncated character.
        #expect(SQLQuoting.identifier([0x63, 0x61, 0x66, 0xE9], encoding: latin1) == [0x22, 0x63, 0x61, 0x66, 0xE9, 0x22])
        #expect(SQLQuoting.identifier([0x61, 0xFF], encoding: .sqlASCII) == [0x22, 0x61, 0xFF, 0x22])
        #expect(SQLQuoting.stringLiteral([0xFF, 0x27], standardConformingStrings: true, encoding: .sqlASCII)
            == [0x27, 0xFF, 0x27, 0x27, 0x27])
    }

    // MARK: - Literals

    @Test("string literals double quotes, and backslashes only without standard_conforming_strings")
    func stringLiterals() {
        func literal(_ value: String, _ standard: Bool) -> String {
            Self.text(SQLQuoting.stringLiteral(Array(value.utf8), standardConformingStrings: standard))
        }
        #expect(literal("plain", true) == "'plain'")
        #expect(literal("", true) == "''")
        #expect(literal("it's", true) == "'it''s'")
        #expect(literal(#"a\b"#, true) == #"'a\b'"#)
        #expect(literal(#"a\b"#, false) == #"'a\\b'"#)
        #expect(literal(#"it's a \ and ''"#, false) == #"'it''s a \\ and '''''"#)
        // No E prefix either way, as appendStringLiteral writes them.
        #expect(!literal(#"\"#, false).hasPrefix("E"))
        #expect(literal("line\nbreak\ttab", true) == "'line\nbreak\ttab'")
        #expect(SQLQuoting.stringLiteral([0x27, 0xC3], standardConformingStrings: true, encoding: .utf8)
            == [0x27, 0x27, 0x27, 0xC0, 0x20, 0x27])
    }

    @Test("bytea literals are hex, with the backslash doubled without standard_conforming_strings")
    func byteaLiterals() {
        func literal(_ bytes: [UInt8], _ standard: Bool) -> String {
            var out: [UInt8] = Array("x = ".utf8)
            bytes.withUnsafeBytes { SQLQuoting.appendByteaLiteral($0, standardConformingStrings: standard, to: &out) }
            return Self.text(out)
        }
        #expect(literal([0x00, 0xFF, 0x41, 0x0A], true) == #"x = '\x00ff410a'"#)
        #expect(literal([0x00, 0xFF, 0x41, 0x0A], false) == #"x = '\\x00ff410a'"#)
        #expect(literal([], true) == #"x = '\x'"#)
    }

    // MARK: - psql's \connect

    @Test("a plain database name is connected to by name, quoted as an identifier")
    func plainConnect() throws {
        #expect(Self.text(try SQLQuoting.psqlConnect(Array("shop".utf8))) == "\\connect shop\n")
        #expect(Self.text(try SQLQuoting.psqlConnect(Array("Shop_2.db".utf8))) == "\\connect \"Shop_2.db\"\n")
        #expect(Self.text(try SQLQuoting.psqlConnect(Array("select".utf8))) == "\\connect \"select\"\n")
    }

    @Test("any other name goes through a connection string, in SQL_ASCII")
    func complexConnect() throws {
        let prefix = "\\encoding SQL_ASCII\n\\connect -reuse-previous=on "
        #expect(Self.text(try SQLQuoting.psqlConnect(Array("my db".utf8))) == prefix + #""dbname='my db'""# + "\n")
        #expect(Self.text(try SQLQuoting.psqlConnect(Array("o'k".utf8))) == prefix + #""dbname='o\'k'""# + "\n")
        #expect(Self.text(try SQLQuoting.psqlConnect(Array(#"a\b"#.utf8))) == prefix + #""dbname='a\\b'""# + "\n")
        #expect(Self.text(try SQLQuoting.psqlConnect(Array(#"say "hi""#.utf8)))
            == prefix + #""dbname='say ""hi""'""# + "\n")
    }

    @Test("a database name with a newline or carriage return is refused", arguments: ["a\nb", "a\rb"])
    func newlineInDatabaseName(_ name: String) {
        let error = #expect(throws: PGDumpError.self) { _ = try SQLQuoting.psqlConnect(Array(name.utf8)) }
        #expect(error?.message.hasPrefix("database name contains a newline or carriage return") == true)
    }

    @Test("connection-string values are quoted with backslash escapes unless they are plain")
    func connectionStringValues() {
        #expect(Self.text(SQLQuoting.connectionStringValue(Array("shop".utf8))) == "shop")
        #expect(Self.text(SQLQuoting.connectionStringValue(Array("A.b_1".utf8))) == "A.b_1")
        #expect(Self.text(SQLQuoting.connectionStringValue([])) == "''")
        #expect(Self.text(SQLQuoting.connectionStringValue(Array("a b".utf8))) == "'a b'")
        #expect(Self.text(SQLQuoting.connectionStringValue(Array(#"it's \"#.utf8))) == #"'it\'s \\'"#)
    }
}
