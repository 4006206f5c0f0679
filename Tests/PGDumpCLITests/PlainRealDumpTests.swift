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
}
