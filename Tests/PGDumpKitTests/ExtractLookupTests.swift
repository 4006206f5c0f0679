import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Naming tables: -t/-n/--all, the errors that list candidates, COPY statements, and --all's file names.
@Suite struct ExtractLookupTests {
    static let entries = Result {
        try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump").path).entries
    }

    static func lookup(
        _ tables: [String], schemas: [String] = [], all: Bool = false, matching: NameMatching = .exact
    ) throws -> [String] {
        try TableLookup.dataEntries(tables: tables, schemas: schemas, all: all, matching: matching, in: try entries.get())
            .map(\.qualifiedDisplayName)
    }

    static func failure(
        _ tables: [String], schemas: [String] = [], all: Bool = false, matching: NameMatching = .exact
    ) -> String {
        do {
            _ = try lookup(tables, schemas: schemas, all: all, matching: matching)
            return "no error"
        } catch let error as PGDumpError {
            #expect(error.kind == .invalidRequest)
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test("a table is found by its exact name, schema.name, or -n and -t")
    func readings() throws {
        #expect(try Self.lookup(["orders"]) == ["app.orders"])
        #expect(try Self.lookup(["app.orders"]) == ["app.orders"])
        #expect(try Self.lookup(["orders"], schemas: ["app"]) == ["app.orders"])
        #expect(try Self.lookup(["order"]) == [#"app."order""#])
        #expect(try Self.lookup(["Regions EU"]) == [#"app."Regions EU""#])
        let dotted = #""Odd ""Schema"" Name"."Dotted.Table Name""#
        #expect(try Self.lookup(["Dotted.Table Name"]) == [dotted])
        #expect(try Self.lookup(["Dotted.Table Name"], schemas: [#"Odd "Schema" Name"#]) == [dotted])
        #expect(try Self.lookup([#"Odd "Schema" Name.Dotted.Table Name"#]) == [dotted])
        #expect(try Self.lookup(["new\nline"]) == [#"app."new\nline""#])
    }

    @Test("exact names are not folded or unquoted; the error says what --patterns would select")
    func exactNamesOnly() {
        #expect(Self.failure(["APP.Orders"]) == #"the archive has no data for a table named "APP.Orders"; hint: names are matched exactly; with --patterns, "APP.Orders" selects app.orders"#)
        #expect(Self.failure(["Orders"]) == #"the archive has no data for a table named "Orders"; hint: names are matched exactly; with --patterns, "Orders" selects app.orders"#)
        #expect(Self.failure([#"app."Regions EU""#]).hasSuffix(#"hint: names are matched exactly; with --patterns, "app.\"Regions EU\"" selects app."Regions EU""#))
        #expect(Self.failure(["orders*"]).hasSuffix(#"with --patterns, "orders*" selects app.orders"#))
        #expect(Self.failure(["ORDERS"], schemas: ["APP"]).hasSuffix(#"with --patterns, "ORDERS" selects app.orders"#))
        // No hint where patterns would find nothing either.
        #expect(!Self.failure(["ordrs"]).contains("hint"))
    }

    @Test("with patterns, SQL syntax, case folding and wildcards, in any schema or the -n ones")
    func patterns() throws {
        let dotted = #""Odd ""Schema"" Name"."Dotted.Table Name""#
        #expect(try Self.lookup(["APP.Orders"], matching: .patterns) == ["app.orders"])
        #expect(try Self.lookup([#"app."order""#], matching: .patterns) == [#"app."order""#])
        #expect(try Self.lookup([dotted], matching: .patterns) == [dotted])
        #expect(try Self.lookup(["*.\"Dotted.Table Name\""], matching: .patterns) == [dotted])
        #expect(try Self.lookup(["measurements_2*"], matching: .patterns)
            == ["app.measurements_2023", "app.measurements_2024_h0", "app.measurements_2024_h1"])
        #expect(try Self.lookup(["*"], schemas: ["HIST*"], matching: .patterns) == ["history.cars", "history.trucks", "history.vehicles"])
        #expect(try Self.lookup([], schemas: ["h*"], all: true, matching: .patterns) == ["history.cars", "history.trucks", "history.vehicles"])
        #expect(try Self.lookup(["orders", "order?"], matching: .patterns) == ["app.orders"])
        // A pattern that matches relations without data and tables with data takes the tables.
        #expect(try Self.lookup(["measurements*"], matching: .patterns).count == 4)
    }

    @Test("a pattern that selects nothing lists candidates, or says why the relations it matches have no data")
    func patternFailures() {
        #expect(Self.failure(["ordrs*"], matching: .patterns) == #"the archive has no data for a table matching pattern "ordrs*"; did you mean app.orders?"#)
        #expect(Self.failure(["Regions EU"], matching: .patterns) == #"the archive has no data for a table matching pattern "Regions EU"; did you mean app."Regions EU"?"#)
        #expect(Self.failure(["orders"], schemas: ["x*"], matching: .patterns).hasPrefix(#"the archive has no data for a table matching pattern "orders" in a schema matching "x*"; "#))
        #expect(Self.failure(["order_totals"], matching: .patterns) == "view app.order_totals has no data in the archive: a view stores no rows")
        #expect(Self.failure(["paid_*"], matching: .patterns).hasPrefix("view app.paid_orders has no data"))
        #expect(Self.failure(["monthly_sales|never_refreshed"], matching: .patterns) == "pattern \"monthly_sales|never_refreshed\" matches no table with data in the archive, only app.monthly_sales, app.never_refreshed (views, sequences or tables whose data was not dumped)")
        #expect(Self.failure(["a.b.c"], matching: .patterns) == "improper relation name (too many dotted names): a.b.c")
        #expect(Self.failure([], schemas: ["a.b"], all: true, matching: .patterns) == "improper qualified name (too many dotted names): a.b")
        #expect(Self.failure([], schemas: ["nosuch*"], all: true, matching: .patterns).hasPrefix(#"no table in a schema matching "nosuch*" has data in the archive"#))
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
