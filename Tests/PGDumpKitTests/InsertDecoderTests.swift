import Foundation
@testable import PGDumpKit
import PGDumpTestSupport
import Testing

/// The decoder of table data stored as INSERT statements, on crafted input in every shape pg_dump writes, fed in
/// pieces of every small size, and on what it must refuse.
@Suite struct InsertDecoderTests {
    static func decode(
        _ text: String, backslashEscapes: Bool = false, pieceSize: Int = .max
    ) throws -> (rows: [[[UInt8]?]], columns: [String]?) {
        let decoder = InsertStatementDecoder(handler: RowCollector(), backslashEscapesInStrings: backslashEscapes)
        var sink = decoder
        try feed(Array(text.utf8), into: &sink, pieceSize: pieceSize)
        try decoder.finish()
        return (decoder.handler.rows, decoder.statementColumns?.map(\.string))
    }

    static func strings(_ rows: [[[UInt8]?]]) -> [[String?]] {
        rows.map { $0.map { $0.map { String(decoding: $0, as: UTF8.self) } } }
    }

    /// What pg_dump 18 writes for `--inserts`, `--column-inserts` and `--rows-per-insert=2 --on-conflict-do-nothing`
    /// of the same rows; every form decodes to the same fields.
    static let forms = [
        #"""
        INSERT INTO "Odd ""S"""."T x" VALUES (1, 'it''s', true, 1.5, 'NaN', B'1010', DEFAULT, NULL);
        INSERT INTO "Odd ""S"""."T x" VALUES (-2, '', false, -3e+05, '-Infinity', B'0000', DEFAULT, 'a\b');


        """#,
        #"""
        INSERT INTO "Odd ""S"""."T x" ("Id", "Col A", b, n, f, bits, e) VALUES (1, 'it''s', true, 1.5, 'NaN', B'1010', NULL);
        INSERT INTO "Odd ""S"""."T x" ("Id", "Col A", b, n, f, bits, e) VALUES (-2, '', false, -3e+05, '-Infinity', B'0000', 'a\b');


        """#,
        #"""
        INSERT INTO "Odd ""S"""."T x" VALUES
        \#t(1, 'it''s', true, 1.5, 'NaN', B'1010', DEFAULT, NULL),
        \#t(-2, '', false, -3e+05, '-Infinity', B'0000', DEFAULT, 'a\b') ON CONFLICT DO NOTHING;


        """#,
    ]

    @Test("every INSERT form gives the COPY form's fields, whatever the piece size", arguments: 0..<3)
    func forms(_ form: Int) throws {
        let expected: [[String?]] = [
            ["1", "it's", "t", "1.5", "NaN", "1010", nil],
            ["-2", "", "f", "-3e+05", "-Infinity", "0000", "a\\b"],
        ]
        for pieceSize in [1, 2, 3, 5, 7, 64, .max] {
            let (rows, columns) = try Self.decode(Self.forms[form], pieceSize: pieceSize)
            #expect(Self.strings(rows) == expected, "piece size \(pieceSize)")
            #expect(columns == (form == 1 ? ["Id", "Col A", "b", "n", "f", "bits", "e"] : nil))
        }
    }

    @Test("standard_conforming_strings off: backslashes in plain strings are escapes; E'' strings always")
    func escapes() throws {
        let off = try Self.decode(
            "INSERT INTO t VALUES ('a\\\\b', 'tab\\there', '\\'', 'new\\nline');\n", backslashEscapes: true)
        #expect(Self.strings(off.rows) == [["a\\b", "tab\there", "'", "new\nline"]])
        let on = try Self.decode("INSERT INTO t VALUES ('a\\\\b');\n")
        #expect(Self.strings(on.rows) == [["a\\\\b"]])
        for pieceSize in [1, 2, 3, .max] {
            let escaped = try Self.decode(
                "INSERT INTO t VALUES (E'\\x41\\101\\u00e9\\U0001F600\\q\\\\\\b\\f\\r', e'\\x4', E'\\7x', E'\\xg');\n",
                pieceSize: pieceSize)
            #expect(escaped.rows == [[
                Array("AAé😀q\\".utf8) + [0x08, 0x0C, 0x0D], [0x04], [0x07, UInt8(ascii: "x")], Array("xg".utf8),
            ]])
        }
    }

    @Test("tables without columns, names needing quotes, VALUES inside names, OVERRIDING SYSTEM VALUE")
    func statementShapes() throws {
        let empty = try Self.decode("INSERT INTO public.nocols DEFAULT VALUES;\nINSERT INTO public.nocols DEFAULT VALUES;\n")
        #expect(empty.rows.count == 2)
        #expect(empty.rows.allSatisfy { $0.isEmpty })
        let awkward = try Self.decode(
            "INSERT INTO \"VALUES (\".\"a;b\" (\"VALUES\", \"x\"\"(\") OVERRIDING SYSTEM VALUE VALUES (1, '(');\n")
        #expect(Self.strings(awkward.rows) == [["1", "("]])
        #expect(awkward.columns == ["VALUES", "x\"("])
        let none = try Self.decode("\n\n")
        #expect(none.rows.isEmpty)
    }

    @Test("malformed INSERT data is refused with the line and byte", arguments: [
        ("INSERT INTO t VALUES (1, 'a');\nINSERT INTO t VALUES (1);\n", "line 2 of the INSERT data", "the row has 1 fields where the rows before it have 2"),
        ("INSERT INTO t VALUES (1, 'a'", "line 1", "the data ends in the middle of an INSERT statement: it is truncated"),
        ("INSERT INTO t VALUES (1, 'a);\n", "line", "truncated"),
        ("COPY t FROM stdin;\n", "line 1", "expected an INSERT statement, found \"C\""),
        ("INSERT INTO t VALUES (1 2);\n", "line 1", "expected \",\" or \")\" after a value"),
        ("INSERT INTO t VALUES (foo);\n", "line 1", "unexpected word \"foo\""),
        ("INSERT INTO t VALUES (X'01');\n", "line 1", "unexpected string after X"),
        ("INSERT INTO t VALUES (1) garbage(;\n", "line 1", "unexpected \"(\""),
        ("INSERT INTO t VALUES (E'\\u12');\n", "line 1", "invalid Unicode escape"),
    ])
    func malformed(_ text: String, _ place: String, _ message: String) throws {
        let error = try #require(throws: PGDumpError.self) { try Self.decode(text) }
        #expect(error.message.contains(place), "\(error.message)")
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test("a row longer than the limit is refused, not held")
    func rowLimit() throws {
        let decoder = InsertStatementDecoder(
            handler: RowCollector(), backslashEscapesInStrings: false, maximumRowBytes: 16)
        var sink = decoder
        let text = "INSERT INTO t VALUES ('" + String(repeating: "x", count: 100) + "');\n"
        let error = try #require(throws: PGDumpError.self) { try feed(Array(text.utf8), into: &sink, pieceSize: 7) }
        #expect(error.kind == .limitExceeded)
    }

    @Test("pg_dump 12's --column-inserts names a generated column and writes DEFAULT for it: the name goes too")
    func generatedColumnNamed() throws {
        let (rows, columns) = try Self.decode(
            "INSERT INTO t (id, doubled, label) VALUES (1, DEFAULT, 'a');\nINSERT INTO t (id, doubled, label) VALUES (2, DEFAULT, 'b');\n")
        #expect(Self.strings(rows) == [["1", "a"], ["2", "b"]])
        #expect(columns == ["id", "label"])
    }

    @Test("rows of unquoted values spill too; a row of more than 1600 fields is refused")
    func boundedRows() throws {
        let numbers = (0..<1500).map { _ in String(repeating: "9", count: 100) }.joined(separator: ", ")
        let decoder = InsertStatementDecoder(
            handler: RowCollector(), backslashEscapesInStrings: false, spillThreshold: 4096)
        var sink = decoder
        try feed(Array("INSERT INTO t VALUES (\(numbers));\n".utf8), into: &sink, pieceSize: 999)
        try decoder.finish()
        #expect(decoder.handler.rows.first?.count == 1500)
        #expect(decoder.handler.rows.first?.last == Array(repeating: UInt8(ascii: "9"), count: 100))
        #expect(decoder.values.capacity < 64 << 10)

        let tooMany = (0..<1601).map { _ in "''" }.joined(separator: ", ")
        let error = try #require(throws: PGDumpError.self) {
            _ = try Self.decode("INSERT INTO t VALUES (\(tooMany));\n")
        }
        #expect(error.message.contains("more than 1600 fields"))
    }

    @Test("column names of INSERT data from CREATE TABLE: parents first in INHERITS order, a shared grandparent once")
    func inheritedColumnNames() throws {
        func table(_ id: Int32, _ name: String, _ defn: String, _ dependencies: [Int32] = []) -> TOCEntry {
            TOCEntry(dumpID: id, tag: ArchiveText(name), desc: "TABLE", section: .preData, defn: ArchiveText(defn),
                     namespace: "app", dependencies: dependencies)
        }
        // The dependencies list the parents in the other order: INHERITS decides.
        let entries = [
            table(1, "base", "CREATE TABLE app.base (\n    id integer\n);\n"),
            table(2, "left", "CREATE TABLE app.\"left\" (\n    l text\n)\nINHERITS (app.base);\n", [1]),
            table(3, "right", "CREATE TABLE app.\"right\" (\n    r text,\n    g integer GENERATED ALWAYS AS (1) STORED\n)\nINHERITS (app.base);\n", [1]),
            table(4, "child", "CREATE TABLE app.child (\n    c text\n)\nINHERITS (app.\"left\", app.\"right\");\n", [3, 2]),
            TOCEntry(dumpID: 5, hadDumper: true, tag: "child", desc: "TABLE DATA", section: .data, namespace: "app",
                     dependencies: [4], dataLocation: .offsetNotSet),
        ]
        let names = TableDefinition.dataColumns(ofDataEntry: entries[4], entries: entries)
        #expect(names == ["id", "l", "r", "c"])
    }
}
