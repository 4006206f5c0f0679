import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// pg_dump 19's property graphs (SQL/PGQ), which no test can dump: a real pg_dump 18.6 archive with the entry
/// pg_dump 19 writes for one, crafted at test time.
///
/// What 19 does (read in a REL_19_BETA2 copy of `src/bin/pg_dump`): `dumpTableSchema` writes a relation of relkind
/// `g` as desc `PROPERTY GRAPH`, section pre-data, with its schema and owner, the definition
/// `pg_get_propgraphdef()` gives plus `;`, and `DROP PROPERTY GRAPH schema.name;`. pg_restore 19's
/// `_getObjectDescription` lists `PROPERTY GRAPH` with the types named `TYPE schema.name`, so its owner becomes
/// `ALTER PROPERTY GRAPH schema.name OWNER TO role;`; everything else is what a VIEW entry gets (-t/-I/-P/-T leave
/// both out). pg_restore 18 stops at such an entry ("don't know how to set owner"); pgdumpkit renders it as 19.
///
/// The oracle: the same archive with the entry's desc `VIEW` (the twin) through real pg_restore 18, with the desc
/// put back where pg_restore prints it.
@Suite(.enabled(if: Fixtures.pgRestore(major: "18") != nil, "pg_restore oracles are not installed"))
struct PG19PropertyGraphTests {
    static let source = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump").path
    // The definition's shape is inferred (pg_get_propgraphdef's output); the renderer prints it as stored.
    static let definition = "CREATE PROPERTY GRAPH app.order_graph\n    VERTEX TABLES (\n        app.orders KEY (id)\n    );\n"

    static func craft(to path: String, twin: Bool) throws {
        let reader = try Archive.open(path: source)
        var entries = reader.entries
        let table = try #require(entries.firstIndex { $0.desc.equals("TABLE") && $0.tag?.string == "orders" })
        var entry = entries[table]
        entry.dumpID = entries.map(\.dumpID).max()! + 1
        entry.oidText = "99999"
        entry.desc = ArchiveText(twin ? "VIEW" : "PROPERTY GRAPH")
        entry.tag = "order_graph"
        entry.relkind = Int32(UInt8(ascii: twin ? "v" : "g"))
        entry.tablespace = nil
        entry.tableam = nil
        entry.defn = ArchiveText(definition)
        entry.dropStmt = ArchiveText("DROP \(twin ? "VIEW" : "PROPERTY GRAPH") app.order_graph;\n")
        entry.dependencies = [entries[table].dumpID]
        entries.insert(entry, at: table + 1)
        let conversion = try ArchiveConversion(
            inputHeader: reader.header, entries: entries, target: .init(format: .custom, compression: .init(algorithm: .gzip)))
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let writer = try Archive.create(
            .custom, at: .file(OutputFile(descriptor: handle.fileDescriptor, name: path)), header: conversion.header,
            entries: conversion.entries, compression: conversion.compression)
        try conversion.write(from: reader, to: writer)
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("list and sql render a PROPERTY GRAPH entry as pg_restore 19 does", arguments: [
        [], ["-c", "--if-exists"], ["-O"], ["--use-set-session-authorization"], ["-n", "app"], ["-t", "orders"],
        ["-s"], ["-x"],
    ])
    func rendering(_ options: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("pg19.dump").path
        let twin = folder.appendingPathComponent("twin.dump").path
        try Self.craft(to: archive, twin: false)
        try Self.craft(to: twin, twin: true)
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        func putBack(_ output: String) -> String {
            output.replacingOccurrences(of: " VIEW app order_graph ", with: " PROPERTY GRAPH app order_graph ")
                .replacingOccurrences(of: "Name: order_graph; Type: VIEW;", with: "Name: order_graph; Type: PROPERTY GRAPH;")
                .replacingOccurrences(of: "ALTER VIEW app.order_graph OWNER TO", with: "ALTER PROPERTY GRAPH app.order_graph OWNER TO")
                .replacingOccurrences(of: "DROP VIEW IF EXISTS app.order_graph;", with: "DROP PROPERTY GRAPH IF EXISTS app.order_graph;")
        }
        for command in [["-l"], ["-f", "-", "--restrict-key=K"]] {
            let expected = try CommandRunner.run(oracle, command + options + [twin])
            #expect(expected.status == 0, "\(expected.standardError)")
            let ours = command == ["-l"] ? ["list"] : ["sql"] + command
            let actual = try CLITests.pgdumpkit(ours + options + [archive])
            #expect(actual.status == 0, "\(options): \(actual.standardError)")
            #expect(Self.text(actual.standardOutput) == putBack(Self.text(expected.standardOutput)), "\(command) \(options)")
        }
        let script = Self.text(try CLITests.pgdumpkit(["sql", "--restrict-key=K"] + options + [archive]).standardOutput)
        let owned = !options.contains("-O") && !options.contains("--use-set-session-authorization") && !options.contains("-t")
        #expect(script.contains("ALTER PROPERTY GRAPH app.order_graph OWNER TO app_owner;") == owned, "\(options)")

        // pg_restore 18 itself cannot: the reason pgdumpkit renders 19's way.
        if options.isEmpty {
            let refused = try CommandRunner.run(oracle, ["-f", "-", archive])
            #expect(refused.status != 0)
            #expect(refused.standardError.contains("don't know how to set owner for object type \"PROPERTY GRAPH\""))
            // Older servers have no property graphs.
            let older = try CLITests.pgdumpkit(["sql", "--target-version", "18", archive])
            #expect(older.status == 1)
            #expect(older.standardError.contains("PROPERTY GRAPH app order_graph: CREATE PROPERTY GRAPH: property graphs (SQL/PGQ) are 19+"))
        }
    }
}
