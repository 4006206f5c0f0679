import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Archives of every version pg_restore 18 reads, from 1.0 to 1.16, built byte by byte: the reader honours each
/// version gate, and where pg_restore 18 is installed, `list` matches it.
@Suite struct ArchiveVersionTests {
    init() { TimeZoneSetting.useUTC() }

    static let versions: [ArchiveVersion] = (0...16).filter { $0 != 1 }.map { ArchiveVersion(1, UInt8($0)) }

    /// A small database: schema, table, comment, data, index.
    static func sampleEntries() -> [(TOCEntry, [UInt8]?)] {
        [
            (TOCEntry(dumpID: 9, tag: "ENCODING", desc: "ENCODING", section: .preData,
                      defn: "SET client_encoding = 'UTF8';\n"), nil),
            (TOCEntry(dumpID: 3, tableOIDText: "2615", oidText: "16385", tag: "app", desc: "SCHEMA", section: .preData,
                      defn: "CREATE SCHEMA app;\n", dropStmt: "DROP SCHEMA app;\n", owner: "alice"), nil),
            (TOCEntry(dumpID: 4, tableOIDText: "1259", oidText: "16386", tag: "items", desc: "TABLE", section: .preData,
                      defn: "CREATE TABLE app.items (id integer);\n", dropStmt: "DROP TABLE app.items;\n",
                      namespace: "app", tablespace: "", tableam: "heap", relkind: 114, owner: "alice",
                      dependencies: [3]), nil),
            (TOCEntry(dumpID: 7, tableOIDText: "0", oidText: "0", tag: "TABLE items", desc: "COMMENT", section: .none,
                      defn: "COMMENT ON TABLE app.items IS 'things';\n", namespace: "app", owner: "alice",
                      dependencies: [4]), nil),
            (TOCEntry(dumpID: 8, hadDumper: true, tableOIDText: "0", oidText: "16386", tag: "items", desc: "TABLE DATA",
                      section: .data, copyStmt: "COPY app.items (id) FROM stdin;\n", namespace: "app", owner: "alice",
                      dependencies: [4]), Array("1\n2\n\\.\n\n\n".utf8)),
            (TOCEntry(dumpID: 5, tableOIDText: "1259", oidText: "16390", tag: "items_idx", desc: "INDEX",
                      section: .postData, defn: "CREATE INDEX items_idx ON app.items (id);\n",
                      dropStmt: "DROP INDEX app.items_idx;\n", namespace: "app", tablespace: "", owner: "alice",
                      dependencies: [4]), nil),
        ]
    }

    @Test("each version gate is read as written", arguments: versions)
    func versionGates(_ version: ArchiveVersion) throws {
        let bytes = ArchiveBuilder(version: version, entries: Self.sampleEntries()).build()
        let reader = try Archive.open(source: MemoryByteSource(bytes, name: "v\(version).dump"))
        #expect(reader.header.version == version)
        #expect(reader.entries.map(\.dumpID) == [9, 3, 4, 7, 8, 5])
        let table = reader.entries[2]
        #expect(table.namespace == (version >= .v1_6 ? "app" : nil))
        #expect(table.tablespace == (version >= .v1_10 ? "" : nil))
        #expect(table.tableam == (version >= .v1_14 ? "heap" : nil))
        #expect(table.relkind == (version >= .v1_16 ? 114 : 0))
        #expect(table.dependencies == (version >= .v1_5 ? [3] : []))
        #expect(table.tableOID == (version >= .v1_8 ? 1259 : 0))
        // Sections before 1.11 are inferred from the type, as ReadToc does.
        #expect(reader.entries.map(\.section) == [.preData, .preData, .preData, .none, .data, .postData])
        #expect(reader.header.databaseName == (version >= .v1_4 ? "olddb" : nil))
        #expect(reader.header.pgDumpVersion == (version >= .v1_10 ? "9.6.24" : nil))
        // Before 1.2 the header has no compression field and gzip is implied; the builder stores raw bytes.
        #expect(reader.header.compression.algorithm == (version < .v1_2 ? .gzip : .none))
        if version >= .v1_2 {
            var sink = CollectingSink()
            try reader.streamData(of: reader.entries[4], into: &sink)
            #expect(sink.bytes == Array("1\n2\n\\.\n\n\n".utf8))
        }
    }

    @Test("list matches live pg_restore 18 for every version", .enabled(if: Fixtures.pgRestore(major: "18") != nil),
          arguments: versions)
    func listMatchesPgRestore(_ version: ArchiveVersion) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-v\(version)-\(UUID()).dump")
        defer { try? FileManager.default.removeItem(at: file) }
        let bytes = ArchiveBuilder(version: version, entries: Self.sampleEntries()).build()
        try Data(bytes).write(to: file)
        let theirs = try CommandRunner.run(oracle, ["-l", file.path])
        try #require(theirs.status == 0, "\(theirs.standardError)")
        let reader = try Archive.open(path: file.path)
        var ours = ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
        var expected = theirs.standardOutput
        if version < .v1_4 {
            // Without a stored date both print the time they ran; compare the rest.
            ours = Self.droppingLine(2, of: ours)
            expected = Self.droppingLine(2, of: expected)
        }
        #expect(ByteComparison.difference(actual: ours, expected: expected) == nil)
    }

    static func droppingLine(_ number: Int, of bytes: [UInt8]) -> [UInt8] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        lines.remove(at: number - 1)
        return Array(lines.joined(separator: [0x0A]))
    }
}
