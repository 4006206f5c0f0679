import Foundation
import PGDumpTestSupport
import Testing

/// Real pg_dump 15-18 scripts of databases the reader was not written against (`testdata/plain-real/`, from
/// `scripts/make-testdata.sh --plain`): every command on the script against live pg_restore 18 on the custom
/// archive the same pg_dump wrote of the same database.
@Suite(.enabled(if: Fixtures.pgRestore(major: "18") != nil, "pg_restore oracles are not installed"),
       .enabled(if: !PlainRealDumps.cases.isEmpty, "testdata/plain-real is missing (scripts/make-testdata.sh --plain)"))
struct PlainRealDumpTests {
    /// The selections and output options checked on every script, besides the options it was written with.
    static let optionSets: [[String]] = [
        [], ["-s"], ["-a"], ["--section=pre-data"], ["--section=data"], ["--section=post-data"], ["-n", "app"],
        ["-t", "orders"], ["-O", "-x"], ["--no-comments"], ["-1"],
    ]

    @Test("sql on the script equals live pg_restore 18 on the paired archive, for every selection",
          arguments: PlainRealDumps.scriptCases)
    func sql(_ plainCase: PlainRealDumps.Case) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let script = try plainCase.scriptPath
        let custom = try plainCase.customPath
        for options in Self.optionSets {
            let arguments = plainCase.restoreOptions + options
            let theirs = try CommandRunner.run(oracle, ["-f", "-"] + arguments + [custom])
            let ours = try CLITests.pgdumpkit(["sql"] + arguments + [script])
            // Options pg_restore refuses together (-C with -1) are refused alike.
            #expect(ours.status == theirs.status, "\(arguments): \(ours.standardError)")
            guard theirs.status == 0 else { continue }
            #expect(ours.standardError.isEmpty, "\(arguments)")
            let difference = ByteComparison.difference(actual: ours.standardOutput, expected: theirs.standardOutput)
            #expect(difference == nil, "\(arguments)")
        }
    }

    /// `-O` scripts record no owners, so their listing cannot show them.
    @Test("list's entry lines equal pg_restore -l's (with the IDs for a -v -C script)",
          arguments: PlainRealDumps.scriptCases.filter { $0.variant != "no-owner-acl" })
    func list(_ plainCase: PlainRealDumps.Case) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let theirs = try CommandRunner.run(oracle, ["-l", try plainCase.customPath])
        try #require(theirs.status == 0, "\(theirs.standardError)")
        let ours = try CLITests.pgdumpkit(["list", try plainCase.scriptPath])
        #expect(ours.status == 0, "\(ours.standardError)")
        let keepingIDs = plainCase.variant == "verbose-create"
        #expect(PlainScriptTests.entryLines(ours.standardOutput, keepingIDs: keepingIDs)
            == PlainScriptTests.entryLines(theirs.standardOutput, keepingIDs: keepingIDs))
    }

    @Test("extract --to csv of the script equals extraction from the paired archive",
          arguments: PlainRealDumps.scriptCases.filter { ["default", "inserts", "column-inserts", "rows-per-insert"].contains($0.variant) })
    func extract(_ plainCase: PlainRealDumps.Case) throws {
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fromScript = scratch.appendingPathComponent("script").path
        let fromArchive = scratch.appendingPathComponent("archive").path
        let first = try CLITests.pgdumpkit(["extract", "--all", "--to", "csv", "-o", fromScript, try plainCase.scriptPath])
        #expect(first.status == 0, "\(first.standardError)")
        let second = try CLITests.pgdumpkit(["extract", "--all", "--to", "csv", "-o", fromArchive, try plainCase.customPath])
        #expect(second.status == 0, "\(second.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: fromArchive).sorted()
        #expect(!names.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fromScript).sorted() == names)
        for name in names {
            #expect(try Fixtures.bytes(URL(fileURLWithPath: fromScript + "/" + name))
                == Fixtures.bytes(URL(fileURLWithPath: fromArchive + "/" + name)), "\(name)")
        }
    }

    // MARK: - pg_dumpall scripts

    /// pg_dumpall passes --no-tablespaces to pg_dump, and -C for every database but template1 and postgres.
    static func dumpallOptions(_ plainCase: PlainRealDumps.Case) -> [String] {
        ["--restrict-key=TESTKEY", "--no-tablespaces"] + (plainCase.database == "postgres" ? [] : ["-C"])
    }

    @Test("sql --database NAME on a pg_dumpall script equals live pg_restore 18 on that database's archive",
          arguments: PlainRealDumps.dumpallCases)
    func dumpallSQL(_ plainCase: PlainRealDumps.Case) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let script = try plainCase.scriptPath
        let custom = try plainCase.customPath
        for options in Self.optionSets where options != ["-1"] {
            let arguments = Self.dumpallOptions(plainCase) + options
            let theirs = try CommandRunner.run(oracle, ["-f", "-"] + arguments + [custom])
            let ours = try CLITests.pgdumpkit(["sql", "--database", plainCase.database] + arguments + [script])
            #expect(ours.status == theirs.status, "\(arguments): \(ours.standardError)")
            guard theirs.status == 0 else { continue }
            #expect(ByteComparison.difference(actual: ours.standardOutput, expected: theirs.standardOutput) == nil, "\(arguments)")
        }
        let theirs = try CommandRunner.run(oracle, ["-l", custom])
        let listing = try CLITests.pgdumpkit(["list", "--database", plainCase.database, script])
        #expect(listing.status == 0, "\(listing.standardError)")
        #expect(PlainScriptTests.entryLines(listing.standardOutput) == PlainScriptTests.entryLines(theirs.standardOutput))
        #expect(String(decoding: listing.standardOutput, as: UTF8.self).contains(";     dbname: \(plainCase.database)\n"))
    }

    @Test("convert --database NAME --to c makes that database's archive, which pg_restore 18 renders as the original",
          arguments: PlainRealDumps.dumpallCases.filter { $0.pgDumpVersion.hasPrefix("18") })
    func dumpallConvert(_ plainCase: PlainRealDumps.Case) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("converted.dump").path
        let converted = try CLITests.pgdumpkit(
            ["convert", "--database", plainCase.database, try plainCase.scriptPath, "--to", "c", "-o", output])
        #expect(converted.status == 0, "\(converted.standardError)")
        let options = Self.dumpallOptions(plainCase)
        let ours = try CommandRunner.run(oracle, ["-f", "-"] + options + [output])
        let theirs = try CommandRunner.run(oracle, ["-f", "-"] + options + [try plainCase.customPath])
        #expect(ours.status == 0, "\(ours.standardError)")
        #expect(ByteComparison.difference(actual: ours.standardOutput, expected: theirs.standardOutput) == nil)
    }

    @Test("extract --database NAME reads that database's tables, as from its archive",
          arguments: PlainRealDumps.dumpallCases.filter { $0.pgDumpVersion.hasPrefix("18") && $0.database != "postgres" })
    func dumpallExtract(_ plainCase: PlainRealDumps.Case) throws {
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fromScript = scratch.appendingPathComponent("script").path
        let fromArchive = scratch.appendingPathComponent("archive").path
        let first = try CLITests.pgdumpkit(
            ["extract", "--database", plainCase.database, "--all", "--to", "csv", "-o", fromScript, try plainCase.scriptPath])
        #expect(first.status == 0, "\(first.standardError)")
        let second = try CLITests.pgdumpkit(["extract", "--all", "--to", "csv", "-o", fromArchive, try plainCase.customPath])
        #expect(second.status == 0, "\(second.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: fromArchive).sorted()
        #expect(!names.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fromScript).sorted() == names)
        for name in names {
            #expect(try Fixtures.bytes(URL(fileURLWithPath: fromScript + "/" + name))
                == Fixtures.bytes(URL(fileURLWithPath: fromArchive + "/" + name)), "\(name)")
        }
        let one = try CLITests.pgdumpkit(["extract", "--database", plainCase.database, "-t", "series", try plainCase.scriptPath])
        #expect(one.status == (plainCase.database == "pgdumpkit_small" ? 0 : 1), "\(one.standardError)")
    }

    @Test("list without --database shows the globals and every database, from a file or gzipped standard input")
    func dumpallListing() throws {
        let stored = PlainRealDumps.root.appendingPathComponent("dumpall/pg18/dumpall.sql.gz").path
        let script = try PlainRealDumps.unpacked("dumpall/pg18/dumpall.sql.gz")
        let fromFile = try CLITests.pgdumpkit(["list", script])
        let fromPipe = try CLITests.pgdumpkit(["list", "-"], inputFile: stored, throughPipe: true)
        #expect(fromFile.status == 0, "\(fromFile.standardError)")
        #expect(fromPipe.status == 0, "\(fromPipe.standardError)")
        let text = String(decoding: fromFile.standardOutput, as: UTF8.self)
        #expect(text.hasPrefix(";\n; pg_dumpall script: 4 databases\n"))
        #expect(text.contains(";     Databases: \"template1\", \"pgdumpkit_fixture\", \"pgdumpkit_small\", \"postgres\"\n"))
        #expect(text.contains(";; Globals\n;\n; -- Settings\n"))
        #expect(text.contains("; -- Roles\n;     CREATE ROLE \"Report Reader\";\n"))
        #expect(text.contains("; -- Role memberships\n;     GRANT dumpall_group TO dumpall_login;\n"))
        for name in ["template1", "pgdumpkit_fixture", "pgdumpkit_small", "postgres"] {
            #expect(text.contains(";; Database \"\(name)\"\n;\n; Archive created at "))
        }
        // The creation time is "now" for scripts without -v: compare the rest.
        func withoutTimes(_ bytes: [UInt8]) -> [String] {
            String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
                .filter { !$0.hasPrefix("; Archive created at ") }
        }
        #expect(withoutTimes(fromPipe.standardOutput) == withoutTimes(fromFile.standardOutput))
        let json = try CLITests.pgdumpkit(["list", "--json", script])
        #expect(json.status == 0)
        #expect(String(decoding: json.standardOutput, as: UTF8.self).contains("\"format\": \"pg_dumpall\""))
    }

    @Test("a pg_dumpall script needs --database, which must name one of its databases and only applies to it",
          arguments: [
            (["sql"], "a pg_dumpall script holds several databases: choose one with --database NAME (\"template1\""),
            (["sql", "--database", "nope"], "database \"nope\" is not in this pg_dumpall script; it holds \"template1\""),
            (["verify"], "choose one with --database NAME"),
            (["info"], "choose one with --database NAME"),
          ])
    func dumpallNeedsDatabase(_ arguments: [String], _ message: String) throws {
        let script = try PlainRealDumps.unpacked("dumpall/pg18/dumpall.sql.gz")
        let result = try CLITests.pgdumpkit(arguments + [script])
        #expect(result.status == 1)
        // verify reports the problem on standard output.
        let output = result.standardError + String(decoding: result.standardOutput, as: UTF8.self)
        #expect(output.contains(message), "\(output)")
        let single = try CLITests.pgdumpkit(["list", "--database", "x", try PlainScripts.script()])
        #expect(single.status == 1)
        #expect(single.standardError.contains("--database \"x\" picks a database of a pg_dumpall script"))
    }
}
