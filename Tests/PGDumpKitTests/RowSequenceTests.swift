import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// The server's CSV (`COPY … TO STDOUT WITH (FORMAT csv, HEADER)`) read back into fields: a field is quoted when
/// it holds a comma, a quote or a line break, or is empty; NULL is the unquoted empty field.
enum ServerCSV {
    /// The header's names and the rows' fields.
    static func parse(_ bytes: [UInt8]) -> (header: [[UInt8]], rows: [[[UInt8]?]]) {
        var records: [[[UInt8]?]] = []
        var record: [[UInt8]?] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var index = 0
        func endField() {
            record.append(quoted || !field.isEmpty ? field : nil)
            field = []
            quoted = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty && !quoted:
                quoted = true
                inQuotes = true
            case UInt8(ascii: ","):
                endField()
            case 0x0A:
                endField()
                records.append(record)
                record = []
            default:
                field.append(byte)
            }
        }
        if !field.isEmpty || quoted || !record.isEmpty {
            endField()
            records.append(record)
        }
        guard let first = records.first else { return ([], []) }
        // A table without columns has an empty header and an empty line per row.
        let header = first == [nil] ? [] : first.map { $0 ?? [] }
        let rows = records.dropFirst().map { header.isEmpty ? [] : $0 }
        return (header, Array(rows))
    }
}

/// A source that tells another thread how far it has been read.
final class WatchedSource: ByteSource, @unchecked Sendable {
    private let base: ByteSource
    private let lock = NSLock()
    private var furthest: Int64 = 0

    init(_ base: ByteSource) { self.base = base }

    var name: String { base.name }
    var size: Int64? { base.size }
    var isSeekable: Bool { base.isSeekable }
    var position: Int64 { base.position }
    /// The furthest offset read so far; safe to ask from any thread.
    var bytesRead: Int64 { lock.withLock { furthest } }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try base.read(into: buffer)
        let end = base.position
        lock.withLock { furthest = max(furthest, end) }
        return count
    }

    func seek(to offset: Int64) throws { try base.seek(to: offset) }
}

/// `reader.rows(of:)`: every field of every table equals what the server printed, for each format, compression,
/// data offsets or none, COPY data and INSERT statements; stopping early; errors; the typing of `extract --typed`.
@Suite struct RowSequenceTests {
    static let archives: [Fixtures.ArchiveCase] = [
        "archives/pg18/custom-default.dump",  // custom, gzip, data offsets
        "archives/pg18/custom-none.dump",
        "archives/pg17/custom-lz4.dump",
        "archives/pg17/custom-zstd.dump",
        "archives/pg18/custom-pipe.dump",  // written to a pipe: no data offsets, blocks found by scanning
        "archives/pg16/directory-default",  // gzip files
        "archives/pg17/directory-lz4",
        "archives/pg17/directory-zstd",
        "archives/pg15/tar.tar",
        "archives/pg11/custom-default.dump",
        "archives/pg13/scs-off-inserts.dump",  // INSERT statements, standard_conforming_strings off
        "archives/pg13/scs-off-column-inserts.dump",
        "archives/pg13/scs-off-rows-per-insert.dump",
        "archives/pg13/latin1-inserts.dump",
    ].map { path in Fixtures.archiveCases.first { $0.relativePath == path }! }

    /// Compares every table of `reader` with the expected CSV, reading each with `next()`; returns the tables
    /// compared.
    @discardableResult
    static func compareEveryTable(
        of reader: any ArchiveReader, with expected: ExpectedCSV, name: String
    ) throws -> Int {
        let withData = reader.entries.filter { $0.kind == .tableData && $0.hasData }
        var compared = 0
        for entry in TableLookup.inStorageOrder(withData, entries: reader.entries) {
            let table = try #require(
                expected.tables.first { $0.schema == entry.namespace?.bytes && $0.table == entry.tag?.bytes },
                "\(name): \(entry.qualifiedDisplayName) is not in the CSV manifest")
            let (header, expectedRows) = ServerCSV.parse(try expected.expected(table))
            let rows = try reader.rows(of: entry)
            #expect(rows.entry == entry)
            #expect(rows.columns.map { $0.map { Array($0.utf8) } }
                == header.map { Array(String(decoding: $0, as: UTF8.self).utf8) }, "\(name) \(table): columns")
            var number: Int64 = 0
            while let row = try rows.next() {
                number += 1
                #expect(row.number == number)
                guard number <= expectedRows.count else { continue }
                let fields = (0..<row.count).map { row.bytes(at: $0).map(Array.init) }
                if fields != expectedRows[Int(number - 1)] {
                    Issue.record("\(name) \(table): row \(number) differs: \(row.fields) vs the server's")
                }
            }
            #expect(number == Int64(expectedRows.count), "\(name) \(table): row count")
            #expect(rows.rowsRead == number)
            #expect(try rows.next() == nil)
            compared += 1
        }
        return compared
    }

    @Test("every field of every table equals the server's CSV", arguments: archives)
    func everyTableMatchesTheServer(_ archive: Fixtures.ArchiveCase) throws {
        let expected = try ExpectedCSV(directory: archive.expectedCSV)
        let reader = try Archive.open(path: archive.path)
        #expect(try Self.compareEveryTable(of: reader, with: expected, name: archive.relativePath)
            == expected.tables.count)
    }

    @Test("tables are found by name as extract -t finds them")
    func lookupByName() throws {
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg18/tar.tar").path)
        let bySQLName = try reader.rows(of: "\"Odd \"\"Schema\"\" Name\".\"Dotted.Table Name\"", matching: .patterns)
        let byExactNames = try reader.rows(of: "Dotted.Table Name", schema: "Odd \"Schema\" Name")
        #expect(bySQLName.entry == byExactNames.entry)
        #expect(bySQLName.entry.tag == "Dotted.Table Name")
        #expect(try reader.rows(of: "app.orders").entry.tag == "orders")
        #expect(try reader.rows(of: "orders").entry.namespace == "app")
        #expect(try reader.rows(of: "orders", schema: "app").columns?.first == "order_id")
        #expect(try reader.rows(of: "APP.Orders", matching: .patterns).entry.tag == "orders")
        let several = #expect(throws: PGDumpError.self) { try reader.rows(of: "measurements_2*", matching: .patterns) }
        #expect(several?.message == "pattern \"measurements_2*\" matches 3 tables: app.measurements_2023, app.measurements_2024_h0, app.measurements_2024_h1; rows(of:) reads one")

        let missing = #expect(throws: PGDumpError.self) { try reader.rows(of: "app.no_such_table") }
        #expect(missing?.kind == .invalidRequest)
        #expect(missing?.file == reader.path)
        let table = try #require(reader.entries.first { $0.kind == .table })
        let notData = #expect(throws: PGDumpError.self) { try reader.rows(of: table) }
        #expect(notData?.message.contains("is not table data") == true)
    }

    @Test("through a pipe: tables in archive order, and a table left early is drained so the next one reads",
          arguments: ["archives/pg18/custom-default.dump", "archives/pg18/custom-pipe.dump", "archives/pg16/tar.tar"])
    func throughAPipe(_ path: String) throws {
        let archive = try #require(Fixtures.archiveCases.first { $0.relativePath == path })
        let pipe = MemoryByteSource(
            try Fixtures.bytes(URL(fileURLWithPath: archive.path)), name: "-", seekable: false, maximumReadSize: 4093)
        let reader = try Archive.open(source: pipe)
        #expect(!reader.supportsRandomAccess)
        let expected = try ExpectedCSV(directory: archive.expectedCSV)
        let withData = TableLookup.inStorageOrder(
            reader.entries.filter { $0.kind == .tableData && $0.hasData }, entries: reader.entries)
        for (position, entry) in withData.enumerated() {
            let table = try #require(
                expected.tables.first { $0.schema == entry.namespace?.bytes && $0.table == entry.tag?.bytes })
            let (_, expectedRows) = ServerCSV.parse(try expected.expected(table))
            var rows: TableRows? = try reader.rows(of: entry)
            if position % 2 == 0 {
                // One row, then let go: the rest of the table is read and dropped.
                let first = try rows!.next()
                #expect(first.map { row in (0..<row.count).map { row.bytes(at: $0).map(Array.init) } }
                    == expectedRows.first)
                rows = nil
                continue
            }
            var read: [[[UInt8]?]] = []
            try rows!.forEach { row in read.append((0..<row.count).map { row.bytes(at: $0).map(Array.init) }) }
            #expect(read == expectedRows, "\(path) \(table)")
        }
    }

    @Test("forEach reads what next() reads, on the caller's thread; its closure's error stops it")
    func forEachAndErrors() throws {
        let path = Fixtures.testdata.appendingPathComponent("archives/pg17/custom-zstd.dump").path
        let reader = try Archive.open(path: path)
        var viaNext: [[String?]] = []
        let pulled = try reader.rows(of: "app.customers")
        while let row = try pulled.next() { viaNext.append(row.fields) }
        var viaForEach: [[String?]] = []
        let pushed = try reader.rows(of: "app.customers")
        try pushed.forEach { viaForEach.append($0.fields) }
        #expect(!viaNext.isEmpty)
        #expect(viaForEach == viaNext)
        #expect(pushed.rowsRead == Int64(viaNext.count))
        #expect(try pushed.next() == nil)

        struct Enough: Error {}
        var seen = 0
        #expect(throws: Enough.self) {
            try reader.rows(of: "app.customers").forEach { _ in
                seen += 1
                if seen == 2 { throw Enough() }
            }
        }
        #expect(seen == 2)
        // A row read with next() first: forEach goes on from the next one.
        let mixed = try reader.rows(of: "app.customers")
        _ = try mixed.next()
        var rest = 0
        try mixed.forEach { _ in rest += 1 }
        #expect(rest == viaNext.count - 1)
        // Closed: no more rows, and the reader reads other tables.
        let closed = try reader.rows(of: "app.customers")
        _ = try closed.next()
        closed.close()
        #expect(try closed.next() == nil)
        #expect(try reader.rows(of: "app.orders").next() != nil)
    }

    @Test("next() decodes only a few batches ahead of the caller: memory does not follow the table's size")
    func boundedReadAhead() throws {
        let rowCount = 400_000
        var text = ""
        text.reserveCapacity(rowCount * 24)
        for index in 0..<rowCount { text += "\(index)\tabcdefghijklmnop\n" }
        let entries: [(TOCEntry, [UInt8]?)] = [
            (TOCEntry(dumpID: 2, tag: "t", desc: "TABLE", section: .preData,
                      defn: "CREATE TABLE public.t (\n    id integer,\n    v text\n);\n", namespace: "public"), nil),
            (TOCEntry(dumpID: 3, hadDumper: true, tag: "t", desc: "TABLE DATA", section: .data,
                      copyStmt: "COPY public.t (id, v) FROM stdin;\n", namespace: "public", dependencies: [2]),
             Array((text + "\\.\n\n\n").utf8)),
        ]
        let bytes = ArchiveBuilder(version: .v1_16, entries: entries).build()
        let source = WatchedSource(MemoryByteSource(bytes, name: "large.dump"))
        let reader = try Archive.open(source: source)
        let rows = try reader.rows(of: "t")
        #expect(try rows.next()?.typedValues == [.integer(0), .string("abcdefghijklmnop")])
        // Let the decoder run ahead as far as it may: until it has read nothing more for a second (the reader
        // reads up to a megabyte at a time, which a debug build takes a while to decode).
        var readSoFar = source.bytesRead
        var quiet = 0
        for _ in 0..<200 where quiet < 10 {
            usleep(100_000)
            let now = source.bytesRead
            quiet = now == readSoFar ? quiet + 1 : 0
            readSoFar = now
        }
        #expect(readSoFar < Int64(bytes.count / 4), "read \(readSoFar) of \(bytes.count) bytes")
        var last: TableRow?
        while let row = try rows.next() { last = row }
        #expect(rows.rowsRead == Int64(rowCount))
        #expect(last?.number == Int64(rowCount))
        #expect(last?[0] == String(rowCount - 1))
    }

    @Test("damaged data throws from next(), placed in the archive, once")
    func damagedData() throws {
        let (reader, entry) = try CraftedTable.reader(
            columns: [("a", "integer"), ("b", "text")], copyText: "1\tone\n2\n")
        let rows = try reader.rows(of: entry)
        #expect(try rows.next()?.fields == ["1", "one"])
        let error = #expect(throws: PGDumpError.self) { try rows.next() }
        #expect(error?.kind == .corrupt)
        #expect(error?.file == "crafted.dump")
        #expect(error?.dumpID == entry.dumpID)
        #expect(error?.message.contains("missing data for column \"b\"") == true)
        #expect(try rows.next() == nil)
    }

    @Test("a row larger than the decoder's buffer, spilled to disk, arrives whole")
    func largeRow() throws {
        let large = String(repeating: "0123456789abcdef", count: (9 << 20) / 16)
        let (reader, entry) = try CraftedTable.reader(
            columns: [("id", "bigint"), ("payload", "text"), ("flag", "boolean")],
            copyText: "1\t\(large)\t\\N\n2\tsmall\tt\n")
        let rows = try reader.rows(of: entry)
        let first = try #require(try rows.next())
        #expect(first.bytes(at: 1)?.count == large.utf8.count)
        #expect(first[1] == large)
        #expect(first.isNull(2))
        #expect(first.typedValue(at: 0) == .integer(1))
        let second = try #require(try rows.next())
        #expect(second.typedValues == [.integer(2), .string("small"), .boolean(true)])
        #expect(second["payload"] == "small")
        #expect(second["no_such_column"] == nil)
        #expect(try rows.next() == nil)
    }

    @Test("typed values are what extract --format jsonl --typed writes", arguments: [
        "archives/pg18/custom-default.dump", "archives/pg13/scs-off-column-inserts.dump",
        "archives/pg13/custom-default.dump",
    ])
    func typedValuesMatchExtract(_ path: String) throws {
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent(path).path)
        var tables = 0
        for entry in reader.entries where entry.kind == .tableData && entry.hasData {
            let sink = MemoryByteSink()
            do {
                _ = try TableExtractor.extract(
                    entry, from: reader, options: ExtractOptions(format: .jsonl, typed: true), to: sink)
            } catch let error as PGDumpError where error.kind == .invalidRequest {
                continue  // no column names: extract writes no JSON Lines
            }
            var lines: [UInt8] = []
            let rows = try reader.rows(of: entry)
            while let row = try rows.next() {
                let columns = try #require(row.columns)
                let members = (0..<row.count).map { index in
                    RowValue.string(columns[index]).jsonText + ":" + row.typedValue(at: index).jsonText
                }
                lines += Array(("{" + members.joined(separator: ",") + "}\n").utf8)
            }
            #expect(ByteComparison.difference(actual: lines, expected: sink.bytes) == nil,
                    "\(path) \(entry.qualifiedDisplayName)")
            tables += 1
        }
        #expect(tables > 5)
    }

    @Test("typed values: numbers, booleans and JSON only where the column's type and the value's form agree")
    func typing() throws {
        let (reader, entry) = try CraftedTable.reader(
            columns: [("i", "integer"), ("n", "numeric(20,6)"), ("b", "boolean"), ("j", "jsonb"), ("t", "text"),
                      ("d", "double precision")],
            copyText: "42\t12.500000\tf\t{\"a\": [1, 2]}\t7\tNaN\n-9223372036854775808\t-0.5e3\tx\t{bad\t\\N\tInfinity\n")
        let rows = try reader.rows(of: entry)
        #expect(rows.columnKinds == [.integer, .number, .boolean, .json, .string, .number])
        let first = try #require(try rows.next())
        #expect(first.typedValues == [
            .integer(42), .number("12.500000"), .boolean(false), .json("{\"a\": [1, 2]}"), .string("7"),
            .string("NaN"),
        ])
        let second = try #require(try rows.next())
        #expect(second.typedValues == [
            .integer(.min), .number("-0.5e3"), .string("x"), .string("{bad"), .null, .string("Infinity"),
        ])
        #expect(second.typedValue(of: "t") == .null)
        #expect(second.typedValue(of: "zz") == nil)
        #expect(RowValue.string("a\"b\n").jsonText == "\"a\\\"b\\n\"")
        #expect(RowValue.json("{\n\"k\": 1}").jsonText == "{ \"k\": 1}")
    }
}

/// The library guide's example program (`Sources/pgdumpkit-example`), built by `swift build`, run on the sample.
@Suite struct ExampleProgramTests {
    /// Beside the test bundle, as the pgdumpkit binary is (`PGDUMPKIT_EXAMPLE_BINARY` overrides).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["PGDUMPKIT_EXAMPLE_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("pgdumpkit-example")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/pgdumpkit-example")
    }

    static let sample = Fixtures.testdata.appendingPathComponent("sample/chinook.dump").path

    @Test("lists the tables, prints the first rows as extract --typed does, counts the rows")
    func tablesAndRows() throws {
        let result = try CommandRunner.run(Self.binary, [Self.sample, "invoice", "3"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
        let reader = try Archive.open(path: Self.sample)
        let tables = reader.entries.filter { $0.kind == .table }.map { "table \($0.qualifiedDisplayName)" }
        #expect(tables.count == 11)
        #expect(lines.first == "custom archive, gzip compression, version 1.16")
        #expect(Array(lines.dropFirst().prefix(11)) == tables)

        let sink = MemoryByteSink()
        let entry = try TableLookup.dataEntries(tables: ["invoice"], schemas: [], all: false, in: reader.entries)[0]
        _ = try TableExtractor.extract(entry, from: reader, options: ExtractOptions(format: .jsonl, typed: true), to: sink)
        let extracted = String(decoding: sink.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 17)
        #expect(lines[12].hasPrefix("public.invoice: invoice_id, customer_id, invoice_date"))
        #expect(Array(lines[13..<16]) == Array(extracted.prefix(3)))
        #expect(lines[16] == "\(extracted.count) rows, 230 NULL fields")
    }

    @Test("renders a table's SQL, converts the archive, and reports errors with their kind")
    func sqlConversionAndErrors() throws {
        let sql = try CommandRunner.run(Self.binary, [Self.sample, "--sql", "artist"])
        #expect(sql.status == 0, "\(sql.standardError)")
        let script = String(decoding: sql.standardOutput, as: UTF8.self)
        #expect(script.hasPrefix("--\n-- PostgreSQL database dump\n--\n\n\\restrict pgdumpkitexample\n"))
        #expect(script.contains("CREATE TABLE public.artist ("))
        #expect(script.contains("COPY public.artist (artist_id, name) FROM stdin;\n1\tAC/DC\n"))
        #expect(!script.contains("CREATE TABLE public.album"))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-example-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tar = directory.appendingPathComponent("chinook.tar").path
        let converted = try CommandRunner.run(Self.binary, [Self.sample, "--convert", tar])
        #expect(converted.status == 0, "\(converted.standardError)")
        let original = try Archive.open(path: Self.sample)
        let copy = try Archive.open(path: tar)
        #expect(copy.format == .tar)
        #expect(copy.entries.map(\.dumpID) == original.entries.map(\.dumpID))
        var copied: [String?] = []
        try copy.rows(of: "track").forEach { copied.append($0["name"]) }
        var expected: [String?] = []
        try original.rows(of: "track").forEach { expected.append($0["name"]) }
        #expect(copied == expected)

        let missing = try CommandRunner.run(Self.binary, [Self.sample, "no_such_table"])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("the archive has no data for a table named \"no_such_table\""))
        #expect(missing.standardError.hasSuffix("[invalidRequest]\n"))
        let usage = try CommandRunner.run(Self.binary, [])
        #expect(usage.status == 2)
    }
}
