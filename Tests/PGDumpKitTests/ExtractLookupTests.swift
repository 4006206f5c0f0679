import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Naming tables: -t/-n/--all, the errors that list candidates, COPY statements, and --all's file names.
@Suite struct ExtractLookupTests {
    static let entries = Result {
        try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump").path).entries
    }

    static func lookup(_ tables: [String], schemas: [String] = [], all: Bool = false) throws -> [String] {
        try TableLookup.dataEntries(tables: tables, schemas: schemas, all: all, in: try entries.get())
            .map(\.qualifiedDisplayName)
    }

    static func failure(_ tables: [String], schemas: [String] = [], all: Bool = false) -> String {
        do {
            _ = try lookup(tables, schemas: schemas, all: all)
            return "no error"
        } catch let error as PGDumpError {
            #expect(error.kind == .invalidRequest)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("a table is found by its exact name, schema.name, -n and -t, or SQL syntax")
    func readings() throws {
        #expect(try Self.lookup(["orders"]) == ["app.orders"])
        #expect(try Self.lookup(["app.orders"]) == ["app.orders"])
        #expect(try Self.lookup(["orders"], schemas: ["app"]) == ["app.orders"])
        #expect(try Self.lookup(["APP.Orders"]) == ["app.orders"])
        #expect(try Self.lookup(["order"]) == [#"app."order""#])
        #expect(try Self.lookup([#"app."order""#]) == [#"app."order""#])
        let dotted = #""Odd ""Schema"" Name"."Dotted.Table Name""#
        #expect(try Self.lookup(["Dotted.Table Name"]) == [dotted])
        #expect(try Self.lookup(["Dotted.Table Name"], schemas: [#"Odd "Schema" Name"#]) == [dotted])
        #expect(try Self.lookup([#"Odd "Schema" Name.Dotted.Table Name"#]) == [dotted])
        #expect(try Self.lookup([dotted]) == [dotted])
        #expect(try Self.lookup(["new\nline"]) == [#"app."new\nline""#])
    }

    @Test("several tables come once each, in the order their data is stored")
    func severalTables() throws {
        #expect(try Self.lookup(["orders", "customers", "app.orders"]) == ["app.customers", "app.orders"])
        let all = try Self.lookup([], all: true)
        #expect(all.count == 25)
        #expect(try Self.lookup([], schemas: ["history"], all: true) == ["history.cars", "history.trucks", "history.vehicles"])
        let offsets = try TableLookup.dataEntries(tables: [], schemas: [], all: true, in: try Self.entries.get()).map { entry -> Int64 in
            guard case .offset(let offset) = entry.dataLocation else { return -1 }
            return offset
        }
        #expect(offsets == offsets.sorted())
    }

    @Test("a table without data says why, and lists a partitioned table's partitions")
    func noData() {
        #expect(Self.failure(["measurements"]) == "table app.measurements has no data in the archive: it is a partitioned table; its rows are in its partitions: app.measurements_2023, app.measurements_2024_h0, app.measurements_2024_h1, app.measurements_default")
        #expect(Self.failure(["monthly_sales"]).hasPrefix("materialized view app.monthly_sales has no data in the archive"))
        #expect(Self.failure(["order_totals"]).hasPrefix("view app.order_totals has no data in the archive: a view stores no rows"))
        #expect(Self.failure(["invoice_no_seq"]).hasPrefix("sequence app.invoice_no_seq has no data in the archive"))
    }

    @Test("a name that fits nothing lists the close candidates, or the tables with data")
    func notFound() {
        #expect(Self.failure(["ordrs"]) == #"the archive has no data for a table named "ordrs"; did you mean app.orders, app."order"?"#)
        #expect(Self.failure(["orders"], schemas: ["nosuch"]).hasPrefix(#"the archive has no data for a table named "orders" in schema "nosuch"; did you mean app.orders"#))
        #expect(Self.failure(["zzzzzzzzzz"]).contains("; tables with data: \"Odd \"\"Schema\"\" Name\".\"Dotted.Table Name\", "))
        #expect(Self.failure(["zzzzzzzzzz"]).hasSuffix(" and 15 more"))
        #expect(Self.failure([], schemas: ["nosuch"], all: true) == #"no table in schema "nosuch" has data in the archive; schemas with table data: "Odd \"Schema\" Name", "app", "history""#)
    }

    @Test("a name that fits tables in several schemas is ambiguous, with the way out")
    func ambiguous() throws {
        func data(_ id: Int32, _ schema: ArchiveText) -> TOCEntry {
            TOCEntry(dumpID: id, hadDumper: true, tag: "items", desc: "TABLE DATA", section: .data,
                     copyStmt: "COPY x.items (a) FROM stdin;\n", namespace: schema, dataLocation: .offset(Int64(id)))
        }
        let entries = [data(1, "a"), data(2, "b")]
        let error = #expect(throws: PGDumpError.self) {
            _ = try TableLookup.dataEntries(tables: ["items"], schemas: [], all: false, in: entries)
        }
        #expect(error?.message == #"table name "items" is ambiguous: it fits a.items, b.items; name one with -n SCHEMA -t TABLE or -t SCHEMA.TABLE"#)
        #expect(try TableLookup.dataEntries(tables: ["items"], schemas: ["b"], all: false, in: entries).map(\.dumpID) == [2])
    }

    @Test("COPY statements as pg_dump writes them")
    func copyStatements() throws {
        func parse(_ text: String, _ version: ArchiveVersion = .v1_16) -> CopyStatement? {
            CopyStatement(parsing: ArchiveText(text), archiveVersion: version)
        }
        let quoted = try #require(parse(#"COPY "Odd ""Schema"" Name"."Table With Spaces" ("ID", "Column ""Quoted""", "MixedCase", "with space", "select", "ünïcödé") FROM stdin;"# + "\n"))
        #expect(quoted.schema == #"Odd "Schema" Name"#)
        #expect(quoted.table == "Table With Spaces")
        #expect(quoted.columns == ["ID", #"Column "Quoted""#, "MixedCase", "with space", "select", "ünïcödé"])
        #expect(parse("COPY app.no_columns  FROM stdin;\n")?.columns == [])
        #expect(parse("COPY no_columns FROM stdin;\n", .v1_5)?.columns == nil)
        let oids = try #require(parse("COPY public.t (a, b) WITH OIDS FROM stdin;\n", .v1_12))
        #expect(oids.withOIDs)
        #expect(oids.columns == ["oid", "a", "b"])
        #expect(parse("COPY t (a, b FROM stdin;") == nil)
        #expect(parse("INSERT INTO t VALUES (1);") == nil)
        #expect(parse(#"COPY app."new"# + "\n" + #"line" (x) FROM stdin;"#)?.table == "new\nline")
        let inserts = TOCEntry(dumpID: 5, tag: "t", desc: "TABLE DATA", section: .data, namespace: "public")
        let error = #expect(throws: PGDumpError.self) { _ = try CopyStatement(of: inserts, archiveVersion: .v1_16) }
        #expect(error?.message.contains("INSERT statements (pg_dump --inserts)") == true)
    }

    @Test("--all file names are those of testdata/expected-csv, safe for any name")
    func fileNames() throws {
        let expected = try ExpectedCSV.testdata.get()
        let entries = try Self.entries.get()
        for table in expected.tables {
            let entry = try #require(entries.first {
                $0.desc.equals("TABLE DATA") && $0.namespace?.bytes == table.schema && $0.tag?.bytes == table.table
            })
            #expect(ExtractFileName.name(for: entry, format: .csv) == table.file)
        }
        let hostile = TOCEntry(dumpID: 77, tag: "../../etc/passwd", desc: "TABLE DATA", section: .data, namespace: "..")
        #expect(ExtractFileName.name(for: hostile, format: .jsonl) == "%2E%2E.%2E%2E%2F%2E%2E%2Fetc%2Fpasswd.jsonl")
        let long = TOCEntry(dumpID: 77, tag: ArchiveText(String(repeating: "é", count: 31)), desc: "TABLE DATA",
                            section: .data, namespace: ArchiveText(String(repeating: "ü", count: 31)))
        let name = ExtractFileName.name(for: long, format: .csv)
        #expect(name.utf8.count <= 255)
        #expect(name.hasSuffix("~77.csv"))
        // Cut between escapes, never inside one.
        let stem = String(name.dropLast("~77.csv".count))
        #expect(stem.range(of: "%[0-9A-F]?$", options: .regularExpression) == nil)
    }
}
