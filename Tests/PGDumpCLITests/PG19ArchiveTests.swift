import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Archives of pg_dump 19, which no test can run: a real pg_dump 18.6 archive with the entry pg_dump 19 adds,
/// written at test time with the library.
///
/// What pg_dump 19 writes, and what pg_restore 19 does with it (PostgreSQL 19's `src/bin/pg_dump`, commit
/// c32fb29e979 "Include extended statistics data in pg_dump", 2026-01-27):
/// - `pg_dump.c`, `dumpStatisticsExtStats` (called by `dumpStatisticsExt`): with `--statistics`, one entry per
///   extended statistics object that has data, desc `EXTENDED STATISTICS DATA`, tag the statistics object's name,
///   namespace its schema, section post-data, depending on the object's `STATISTICS` entry, whose definition calls
///   `pg_catalog.pg_restore_extended_stats()` with the `schemaname`, `relname`, `statistics_schemaname`,
///   `statistics_name` and `inherited` keys and the `n_distinct` and `dependencies` kinds (the keys of the
///   `pg_restore_extended_stats` tests of 19's `src/test/regress/sql/stats_import.sql`). Catalog ID 0 0 and no
///   owner, as `dumpRelationStats` writes `STATISTICS DATA`. The archive version stays 1.16 (`K_VERS_MINOR 16`
///   in 19's `pg_backup_archiver.h`).
/// - `pg_backup_archiver.c`, `_tocEntryRequired`: `STATISTICS DATA` or `EXTENDED STATISTICS DATA` → nothing
///   without `dumpStatistics`, else `REQ_STATS`. The desc is in none of the later lists: a standalone entry that
///   -n/-N decide by its own schema and -t/-I/-P/-T leave out (the final `else return 0`).
/// - `_tocEntryRestorePass`: only `STATISTICS DATA` in post-data goes to `RESTORE_PASS_POST_ACL`, so this entry is
///   restored in the main pass, in TOC order.
///
/// So pg_restore 19 treats the entry exactly as pg_restore 18 treats a `STATISTICS DATA` entry that is not in
/// post-data and whose parent no selection option selects. The tests use that as their oracle: the same archive
/// with the entry's desc `STATISTICS DATA` and section data (the "twin"), through real pg_restore 18, with the
/// one header line that names the desc put back.
@Suite(.enabled(if: Fixtures.pgRestore(major: "18") != nil, "pg_restore oracles are not installed"))
struct PG19ArchiveTests {
    init() { TimeZoneSetting.useUTC() }

    static let source = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-statistics.dump").path

    /// What pg_dump 19 would write for the fixture's `app.employees_stats` (ndistinct and dependencies on
    /// `employees (manager_id, department)`), in the layout of `dumpRelationStats`' calls.
    static let definition = """
        SELECT * FROM pg_catalog.pg_restore_extended_stats(
        \t'version', '190000'::integer,
        \t'schemaname', 'app',
        \t'relname', 'employees',
        \t'statistics_schemaname', 'app',
        \t'statistics_name', 'employees_stats',
        \t'inherited', 'f'::boolean,
        \t'n_distinct', '[{"attributes": [2, 3], "ndistinct": 2}]'::pg_ndistinct,
        \t'dependencies', '[{"attributes": [2], "dependency": 3, "degree": 1.000000}]'::pg_dependencies
        );

        """

    /// Writes the pg_dump 19 archive (or its twin) to `path` as a custom archive; returns the new entry's dump ID.
    @discardableResult
    static func craft(to path: String, twin: Bool = false, format: ArchiveFormat = .custom) throws -> Int32 {
        let reader = try Archive.open(path: source)
        var entries = reader.entries
        let statistics = try #require(entries.firstIndex { $0.desc.equals("STATISTICS") && $0.tag?.string == "employees_stats" })
        // A STATISTICS DATA entry of the same archive, for every field pg_dump 19 writes as it writes those.
        var entry = try #require(entries.first { $0.desc.equals("STATISTICS DATA") })
        entry.dumpID = entries.map(\.dumpID).max()! + 1
        entry.desc = ArchiveText(twin ? "STATISTICS DATA" : "EXTENDED STATISTICS DATA")
        entry.section = twin ? .data : .postData
        entry.tag = "employees_stats"
        entry.namespace = "app"
        entry.owner = nil
        entry.defn = ArchiveText(definition)
        entry.dependencies = [entries[statistics].dumpID]
        entries.insert(entry, at: statistics + 1)
        var header = reader.header
        header.pgDumpVersion = "19.0"
        let conversion = try ArchiveConversion(
            inputHeader: header, entries: entries, target: .init(format: format, compression: .init(algorithm: .gzip)))
        if format.isDirectory {
            let writer = try Archive.create(
                format, at: .directory(path: path), header: conversion.header, entries: conversion.entries,
                compression: conversion.compression)
            try conversion.write(from: reader, to: writer)
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let writer = try Archive.create(
                format, at: .file(OutputFile(descriptor: handle.fileDescriptor, name: path)), header: conversion.header,
                entries: conversion.entries, compression: conversion.compression)
            try conversion.write(from: reader, to: writer)
        }
        return entry.dumpID
    }

    /// A scratch folder with the pg_dump 19 archive and its twin.
    struct Scratch {
        let folder: URL
        let archive: String
        let twin: String
        let dumpID: Int32

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-pg19-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            archive = folder.appendingPathComponent("pg19.dump").path
            twin = folder.appendingPathComponent("twin.dump").path
            dumpID = try PG19ArchiveTests.craft(to: archive)
            try PG19ArchiveTests.craft(to: twin, twin: true)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// A script without the lines -v adds with the time the script was written (`-- Completed on …`) and with
    /// data offsets (`-- Data Pos: …`), which the twin's shorter desc moves.
    static func withoutClock(_ script: String) -> String {
        script.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("-- Completed on ") && !$0.hasPrefix("-- Data Pos: ") }.joined(separator: "\n")
    }

    /// pg_restore 18's output for the twin, with the desc of the one entry put back.
    static func oracle(_ arguments: [String], twin: String, dumpID: Int32) throws -> String {
        let result = try CommandRunner.run(try #require(Fixtures.pgRestore(major: "18")), arguments + [twin])
        #expect(result.status == 0, "\(arguments): \(result.standardError)")
        return text(result.standardOutput)
            .replacingOccurrences(
                of: "\(dumpID); 0 0 STATISTICS DATA app employees_stats ",
                with: "\(dumpID); 0 0 EXTENDED STATISTICS DATA app employees_stats ")
            .replacingOccurrences(
                of: "Name: employees_stats; Type: STATISTICS DATA;",
                with: "Name: employees_stats; Type: EXTENDED STATISTICS DATA;")
    }

    static let selections: [[String]] = [
        [], ["--statistics"], ["--no-statistics"], ["--statistics-only"], ["-s"], ["-a"],
        ["--no-schema"], ["--no-data"], ["-n", "app"], ["-N", "app"], ["-n", "history"],
        ["-t", "employees"], ["-I", "employees_pkey"], ["-x", "--no-comments"], ["-c", "--if-exists"], ["-C"],
        ["-1", "-O"], ["--transaction-size=10"],
    ]

    @Test("list shows EXTENDED STATISTICS DATA as pg_restore 19 selects it", arguments: selections)
    func list(_ options: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let expected = try Self.oracle(["-l"] + options, twin: scratch.twin, dumpID: scratch.dumpID)
        let actual = try CLITests.pgdumpkit(["list"] + options + [scratch.archive])
        #expect(actual.status == 0, "\(options): \(actual.standardError)")
        #expect(Self.text(actual.standardOutput) == expected, "\(options)")
    }

    @Test("sql restores EXTENDED STATISTICS DATA as statistics, in the main pass", arguments: selections + [["-v"]])
    func sql(_ options: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let arguments = ["-f", "-", "--restrict-key=K"] + options
        let expected = try Self.oracle(arguments, twin: scratch.twin, dumpID: scratch.dumpID)
        let actual = try CLITests.pgdumpkit(["sql"] + arguments + [scratch.archive])
        #expect(actual.status == 0, "\(options): \(actual.standardError)")
        #expect(Self.withoutClock(Self.text(actual.standardOutput)) == Self.withoutClock(expected), "\(options)")
        // The oracle aside: which options restore the entry.
        let leftOut: [[String]] = [
            ["--no-statistics"], ["-s"], ["-a"], ["-N", "app"], ["-n", "history"], ["-t", "employees"],
            ["-I", "employees_pkey"],
        ]
        #expect(Self.text(actual.standardOutput).contains("pg_restore_extended_stats(") == !leftOut.contains(options),
                "\(options)")
    }

    @Test("--section selects EXTENDED STATISTICS DATA as post-data")
    func section() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let line = "\(scratch.dumpID); 0 0 EXTENDED STATISTICS DATA app employees_stats "
        let post = try CLITests.pgdumpkit(["list", "--section=post-data", scratch.archive])
        #expect(Self.text(post.standardOutput).contains(line))
        let data = try CLITests.pgdumpkit(["list", "--section=data", scratch.archive])
        #expect(!Self.text(data.standardOutput).contains(line))
        let sql = try CLITests.pgdumpkit(["sql", "-f", "-", "--section=post-data", scratch.archive])
        #expect(Self.text(sql.standardOutput).contains(
            "-- Statistics for Name: employees_stats; Type: EXTENDED STATISTICS DATA; Schema: app; Owner: -\n"))
    }

    /// pg_restore 18 does not know the desc: its `_tocEntryRequired` takes the entry for a schema entry (no data
    /// dumper, a definition), which -s and --no-statistics keep and --statistics-only leaves out. This is why
    /// convert leaves it out for pg_restore 18 and older.
    @Test("pg_restore 18 restores an EXTENDED STATISTICS DATA entry as schema")
    func pgRestore18ReadsItAsSchema() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let line = "\(scratch.dumpID); 0 0 EXTENDED STATISTICS DATA app employees_stats "
        for (options, listed) in [([String](), true), (["--no-statistics"], true), (["-s"], true),
                                  (["--statistics-only"], false), (["-a"], false)] {
            let result = try CommandRunner.run(oracle, ["-l"] + options + [scratch.archive])
            #expect(result.status == 0)
            #expect(Self.text(result.standardOutput).contains(line) == listed, "\(options)")
        }
        let sql = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", "-s", scratch.archive])
        #expect(Self.text(sql.standardOutput).contains(
            "-- Name: employees_stats; Type: EXTENDED STATISTICS DATA; Schema: app; Owner: -\n"))
    }

    @Test("convert --for-pg-restore 18 or older leaves EXTENDED STATISTICS DATA out, with a warning",
          arguments: [["--for-pg-restore", "18"], ["--for-pg-restore", "17"], ["--archive-version", "1.15"]])
    func convertForOlderPGRestore(_ options: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = scratch.folder.appendingPathComponent("old.dump").path
        let converted = try CLITests.pgdumpkit(["convert", scratch.archive, "-o", output, "--to", "c"] + options)
        #expect(converted.status == 0, "\(converted.standardError)")
        #expect(converted.standardError.contains("1 EXTENDED STATISTICS DATA entries left out"), "\(converted.standardError)")
        let listed = try CLITests.pgdumpkit(["list", output])
        #expect(!Self.text(listed.standardOutput).contains("EXTENDED STATISTICS DATA"))
        // What pg_restore 18 makes of the result is what it makes of the pg_dump 18 archive it was crafted from
        // (at 1.16: below, the fields 1.15 lacks change pg_restore's output on their own).
        guard !options.contains("--archive-version") else { return }
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        for arguments in [["-f", "-", "--restrict-key=K"], ["-f", "-", "--restrict-key=K", "--statistics-only"]] {
            let expected = try CommandRunner.run(oracle, arguments + [Self.source])
            let actual = try CommandRunner.run(oracle, arguments + [output])
            #expect(actual.status == 0)
            #expect(Self.text(actual.standardOutput)
                == Self.text(expected.standardOutput).replacingOccurrences(
                    of: "-- Dumped by pg_dump version 18.6\n", with: "-- Dumped by pg_dump version 19.0\n"))
        }
    }

    @Test("convert keeps EXTENDED STATISTICS DATA for pg_restore 19, in every format",
          arguments: [["--to", "c"], ["--to", "d"], ["--to", "t"], ["--to", "c", "--for-pg-restore", "19"],
                      ["--to", "d", "-Z", "zstd", "--for-pg-restore", "19"], ["--to", "c", "-Z", "lz4"]])
    func convertForPGRestore19(_ options: [String]) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = scratch.folder.appendingPathComponent("out").path
        let converted = try CLITests.pgdumpkit(["convert", scratch.archive, "-o", output] + options)
        #expect(converted.status == 0, "\(converted.standardError)")
        #expect(!converted.standardError.contains("EXTENDED STATISTICS DATA"))
        let before = try CLITests.pgdumpkit(["list", scratch.archive])
        let after = try CLITests.pgdumpkit(["list", output])
        let differing = zip(Self.text(before.standardOutput).split(separator: "\n"),
                            Self.text(after.standardOutput).split(separator: "\n")).filter { $0 != $1 }
        #expect(differing.allSatisfy { $0.0.hasPrefix(";     Format: ") || $0.0.hasPrefix(";     Compression: ") },
                "\(differing)")
        for arguments in [["-f", "-", "--restrict-key=K"], ["-f", "-", "--restrict-key=K", "--statistics-only", "-v"]] {
            let expected = try CLITests.pgdumpkit(["sql"] + arguments + [scratch.archive])
            let actual = try CLITests.pgdumpkit(["sql"] + arguments + [output])
            // Data offsets (-v) differ between formats and compressions: withoutClock leaves them out.
            let clean = { (text: String) in
                Self.withoutClock(text).split(separator: "\n")
            }
            #expect(clean(Self.text(actual.standardOutput)) == clean(Self.text(expected.standardOutput)), "\(options)")
        }
    }

    @Test("convert --for-pg-restore takes 12 to 19")
    func majors() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let output = scratch.folder.appendingPathComponent("x.dump").path
        let tooNew = try CLITests.pgdumpkit(["convert", scratch.archive, "-o", output, "--to", "c", "--for-pg-restore", "20"])
        #expect(tooNew.status == 2)
        #expect(tooNew.standardError.contains("--for-pg-restore must be between 12 and 19"))
    }
}
