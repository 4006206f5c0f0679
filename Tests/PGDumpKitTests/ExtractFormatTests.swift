import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// A one-table archive built byte by byte, to put exactly the values a test needs in front of the writers.
enum CraftedTable {
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// An archive holding `schema.table` with `columns` (name, type) and `copyText` as its data (the end marker is
    /// added), plus the ENCODING and TABLE entries pg_dump writes.
    static func reader(
        columns: [(name: String, type: String)], copyText: String, schema: String = "public", table: String = "t",
        maximumReadSize: Int = .max
    ) throws -> (any ArchiveReader, TOCEntry) {
        let qualified = quoted(schema) + "." + quoted(table)
        let definition = "CREATE TABLE \(qualified) (\n"
            + columns.map { "    \(quoted($0.name)) \($0.type)" }.joined(separator: ",\n") + "\n);\n"
        let columnList = columns.isEmpty ? " " : " (" + columns.map { quoted($0.name) }.joined(separator: ", ") + ") "
        let entries: [(TOCEntry, [UInt8]?)] = [
            (TOCEntry(dumpID: 10, tag: "ENCODING", desc: "ENCODING", section: .preData,
                      defn: "SET client_encoding = 'UTF8';\n"), nil),
            (TOCEntry(dumpID: 2, tableOIDText: "1259", oidText: "16386", tag: ArchiveText(table), desc: "TABLE",
                      section: .preData, defn: ArchiveText(definition), namespace: ArchiveText(schema),
                      tablespace: "", tableam: "heap", relkind: 114, owner: "u"), nil),
            (TOCEntry(dumpID: 3, hadDumper: true, oidText: "16386", tag: ArchiveText(table), desc: "TABLE DATA",
                      section: .data, copyStmt: ArchiveText("COPY \(qualified)\(columnList)FROM stdin;\n"),
                      namespace: ArchiveText(schema), owner: "u", dependencies: [2]),
             Array((copyText + "\\.\n\n\n").utf8)),
        ]
        let reader = try Archive.open(source: MemoryByteSource(
            ArchiveBuilder(version: .v1_16, entries: entries).build(), name: "crafted.dump",
            maximumReadSize: maximumReadSize))
        return (reader, reader.entries[2])
    }

    static func extract(
        columns: [(name: String, type: String)], copyText: String, _ options: ExtractOptions,
        maximumReadSize: Int = .max
    ) throws -> String {
        let (reader, entry) = try reader(columns: columns, copyText: copyText, maximumReadSize: maximumReadSize)
        let sink = MemoryByteSink()
        _ = try TableExtractor.extract(entry, from: reader, options: options, to: sink)
        return String(decoding: sink.bytes, as: UTF8.self)
    }
}

/// The writers: CSV quoting as CopyAttributeOutCSV, text escaping as CopyAttributeOutText, JSON Lines with and
/// without native values; and round trips of every fixture table through TSV and JSON Lines.
@Suite struct ExtractFormatTests {
    static let twoColumns: [(name: String, type: String)] = [("a", "text"), ("b", "text")]

    @Test("CSV quotes a value only when it must, as the server does")
    func csvQuoting() throws {
        let text = [
            "\\N\t", "plain\ta,b", "q\"uote\tcr\\r", "lf\\n\t\\\\.", "\\\\.\\n\tsp ace",
        ].joined(separator: "\n") + "\n"
        let csv = try CraftedTable.extract(columns: Self.twoColumns, copyText: text, ExtractOptions(format: .csv))
        #expect(csv == ",\"\"\nplain,\"a,b\"\n\"q\"\"uote\",\"cr\r\"\n\"lf\n\",\\.\n\"\\.\n\",sp ace\n")
        // In a single-column table, a lone \. is quoted so that it cannot be read as the end of the data.
        let single = try CraftedTable.extract(
            columns: [("c", "text")], copyText: "\\\\.\n\\\\.x\n", ExtractOptions(format: .csv))
        #expect(single == "\"\\.\"\n\\.x\n")
    }

    @Test("a character that needs quotes, or a delimiter, is found at every position of a long value")
    func everyPosition() throws {
        // The scans look at eight bytes at a time; put the byte in every lane of several words.
        for special in ["," , "\"", "\\n", "\\r", "\\001", "\\t", "\t"] {
            var text = ""
            for position in 0..<24 {
                text += String(repeating: "a", count: position) + special + String(repeating: "b", count: 24 - position)
                text += special == "\t" ? "\n" : "\tx\n"
            }
            let csv = try CraftedTable.extract(columns: Self.twoColumns, copyText: text, ExtractOptions(format: .csv))
            let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            let quoted = [",", "\"", "\\n", "\\r"].contains(special)
            if special == "\\n" {
                #expect(lines.count == 48)
            } else if special == "\t" {
                // A delimiter: two fields, the first empty (so quoted) only when the tab comes first.
                #expect(lines.map(String.init) == (0..<24).map { position in
                    (position == 0 ? "\"\"" : String(repeating: "a", count: position)) + ","
                        + String(repeating: "b", count: 24 - position)
                })
            } else {
                #expect(lines.count == 24, "\(special)")
                for line in lines {
                    #expect(line.hasPrefix("\"") == quoted, "\(special): \(line)")
                    #expect(line.hasSuffix(quoted ? "\",x" : "b,x"), "\(special): \(line)")
                }
            }
        }
    }

    @Test("CSV and TSV headers quote and escape column names as values")
    func headers() throws {
        let columns: [(name: String, type: String)] = [("with,comma", "text"), ("q\"uote", "text"), ("tab\there", "text")]
        let csv = try CraftedTable.extract(columns: columns, copyText: "1\t2\t3\n", ExtractOptions(format: .csv, header: true))
        #expect(csv == "\"with,comma\",\"q\"\"uote\",tab\there\n1,2,3\n")
        let tsv = try CraftedTable.extract(columns: columns, copyText: "1\t2\t3\n", ExtractOptions(format: .tsv, header: true))
        #expect(tsv == "with,comma\tq\"uote\ttab\\there\n1\t2\t3\n")
        let none = try CraftedTable.extract(columns: [], copyText: "\n\n", ExtractOptions(format: .csv, header: true))
        #expect(none == "\n\n\n")
    }

    @Test("TSV writes PostgreSQL's text format from the decoded values")
    func tsvEscaping() throws {
        // \101 and \x41 are other spellings of A; COPY TO writes a plain A, and so does tsv.
        let text = "\\101\\x41\t\\N\n\\b\\f\\n\\r\\t\\v\\\\\t\\001\n"
        let tsv = try CraftedTable.extract(columns: Self.twoColumns, copyText: text, ExtractOptions(format: .tsv))
        #expect(tsv == "AA\t\\N\n\\b\\f\\n\\r\\t\\v\\\\\t\u{01}\n")
        let copy = try CraftedTable.extract(columns: Self.twoColumns, copyText: text, ExtractOptions(format: .copy))
        #expect(copy == text)
    }

    @Test("JSON Lines: keys in column order, strings or null, always valid JSON")
    func jsonLines() throws {
        let text = "x\\001\\ty\t\\N\n\\377\\303\t\"\\\\\n"
        let jsonl = try CraftedTable.extract(columns: Self.twoColumns, copyText: text, ExtractOptions(format: .jsonl))
        #expect(jsonl == "{\"a\":\"x\\u0001\\ty\",\"b\":null}\n{\"a\":\"\u{FFFD}\u{FFFD}\",\"b\":\"\\\"\\\\\"}\n")
        let empty = try CraftedTable.extract(columns: [], copyText: "\n", ExtractOptions(format: .jsonl))
        #expect(empty == "{}\n")
    }

    @Test("--typed: numbers, booleans, JSON and arrays as native values; anything else, or malformed, as a string")
    func typedJSONLines() throws {
        let columns: [(name: String, type: String)] = [
            ("i", "integer NOT NULL"), ("n", "numeric(20,6)"), ("r", "double precision DEFAULT 1.5"),
            ("b", "boolean"), ("j", "json"), ("jb", "jsonb"), ("arr", "integer[]"), ("d", "app.positive_int"),
            ("t", "text COLLATE pg_catalog.\"C\""), ("ts", "timestamp with time zone"),
        ]
        let rows = [
            ["42", "-1.5e3", "1e+300", "t", "{\"a\":\\n [1, 2]}", "\"s\"", "{1,2}", "7", "9", "2024-01-01 00:00:00+00"],
            ["007", "NaN", "-Infinity", "f", "{x", "null", "{}", "8", "10", "infinity"],
            ["\\N", "\\N", "\\N", "maybe", "\\N", "[]", "\\N", "\\N", "\\N", "\\N"],
        ]
        let text = rows.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
        let jsonl = try CraftedTable.extract(columns: columns, copyText: text, ExtractOptions(format: .jsonl, typed: true))
        let lines = jsonl.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"{"i":42,"n":-1.5e3,"r":1e+300,"b":true,"j":{"a":  [1, 2]},"jb":"s","arr":[1,2],"d":"7","t":"9","ts":"2024-01-01 00:00:00+00"}"#,
            #"{"i":"007","n":"NaN","r":"-Infinity","b":false,"j":"{x","jb":null,"arr":[],"d":"8","t":"10","ts":"infinity"}"#,
            #"{"i":null,"n":null,"r":null,"b":"maybe","j":null,"jb":[],"arr":null,"d":null,"t":null,"ts":null}"#,
        ])
        for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
    }

    @Test("--typed finds inherited columns' types in the parent table")
    func typedInheritedColumns() throws {
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump").path)
        let cars = try TableLookup.dataEntries(tables: ["history.cars"], schemas: [], all: false, in: reader.entries)
        let sink = MemoryByteSink()
        _ = try TableExtractor.extract(cars[0], from: reader, options: ExtractOptions(format: .jsonl, typed: true), to: sink)
        let first = String(decoding: sink.bytes, as: UTF8.self).split(separator: "\n")[0]
        #expect(first == #"{"vehicle_id":2,"maker":"Ford","built":1908,"doors":2}"#)
    }

    @Test("--typed types a domain's values as its base type (app.positive_int is an integer, app.email text)")
    func typedDomains() throws {
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump").path)
        let customers = try TableLookup.dataEntries(tables: ["app.customers"], schemas: [], all: false, in: reader.entries)
        let sink = MemoryByteSink()
        _ = try TableExtractor.extract(customers[0], from: reader, options: ExtractOptions(format: .jsonl, typed: true), to: sink)
        var scores = 0
        for line in String(decoding: sink.bytes, as: UTF8.self).split(separator: "\n") {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if let score = row["score"], !(score is NSNull) {
                #expect(score is NSNumber && !(score is String), "score \(score)")
                scores += 1
            }
            if let email = row["email"], !(email is NSNull) { #expect(email is String) }
        }
        #expect(scores > 0)
        let bases = TableDefinition.domainBaseTypes(in: reader.entries)
        #expect(bases[Array("app.positive_int".utf8)] == Array("integer".utf8))
        #expect(bases[Array("app.email".utf8)] == Array("text".utf8))
    }

    /// Every fixture table's COPY data, decoded.
    static func fixtureTables() throws -> [(entry: TOCEntry, reader: any ArchiveReader, rows: [[[UInt8]?]])] {
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg18/custom-none.dump").path)
        var tables: [(entry: TOCEntry, reader: any ArchiveReader, rows: [[[UInt8]?]])] = []
        for entry in reader.entries where entry.desc.equals("TABLE DATA") && entry.hasData {
            let statement = try CopyStatement(of: entry, archiveVersion: reader.header.version)
            var decoder = CopyTextDecoder(columns: statement.columns, handler: RowCollector())
            try reader.streamData(of: entry, into: &decoder)
            try decoder.finish()
            tables.append((entry, reader, decoder.handler.rows))
        }
        return tables
    }

    @Test("TSV round trip: decoding the output gives back every value of every fixture table")
    func tsvRoundTrip() throws {
        for (entry, reader, rows) in try Self.fixtureTables() {
            let sink = MemoryByteSink()
            _ = try TableExtractor.extract(entry, from: reader, options: ExtractOptions(format: .tsv), to: sink)
            let columns = try CopyStatement(of: entry, archiveVersion: reader.header.version).columns
            var decoder = CopyTextDecoder(columns: columns, handler: RowCollector())
            try feed(sink.bytes + Array("\\.\n".utf8), into: &decoder, pieceSize: 7)
            try decoder.finish()
            #expect(decoder.handler.rows == rows, "\(entry.qualifiedDisplayName)")
            // What pg_dump stored is already canonical text format.
            let copy = MemoryByteSink()
            _ = try TableExtractor.extract(entry, from: reader, options: ExtractOptions(format: .copy), to: copy)
            #expect(copy.bytes == sink.bytes, "\(entry.qualifiedDisplayName)")
        }
    }

    @Test("JSON Lines round trip: each line parses back to the row's values")
    func jsonLinesRoundTrip() throws {
        for (entry, reader, rows) in try Self.fixtureTables() {
            let sink = MemoryByteSink()
            _ = try TableExtractor.extract(entry, from: reader, options: ExtractOptions(format: .jsonl), to: sink)
            let columns = try #require(try CopyStatement(of: entry, archiveVersion: reader.header.version).columns)
            let lines = sink.bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
            try #require(lines.count == rows.count, "\(entry.qualifiedDisplayName)")
            for (line, row) in zip(lines, rows) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                #expect(object.count == columns.count)
                for (column, value) in zip(columns, row) {
                    let parsed = object[column.string]
                    if let value {
                        #expect(parsed as? String == String(decoding: value, as: UTF8.self), "\(entry.qualifiedDisplayName).\(column)")
                    } else {
                        #expect(parsed is NSNull, "\(entry.qualifiedDisplayName).\(column)")
                    }
                }
                // Keys come in column order.
                if let first = columns.first {
                    let prefix = try JSONSerialization.data(withJSONObject: first.string, options: .fragmentsAllowed)
                    #expect(Array(line.prefix(prefix.count + 1)) == [UInt8(ascii: "{")] + Array(prefix))
                }
            }
        }
    }
}
