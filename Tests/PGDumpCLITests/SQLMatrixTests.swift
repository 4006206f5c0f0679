import Foundation
import PGDumpTestSupport
import Testing

/// The option matrix recorded from real pg_restore by `scripts/make-testdata.sh` (`testdata/SQL-MATRIX.tsv`):
/// every testdata archive × every option set, compared byte for byte, with the same `--restrict-key`.
@Suite struct SQLMatrixTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var archive: String
        var optionSet: String
        var arguments: [String]
        var throughPipe: Bool
        var stdout: String
        var pgRestore: String
        var exitStatus: Int32
        var stderr: String
        var testDescription: String { "\(archive) \(optionSet)" }
    }

    static let rows: [Row] = {
        let url = Fixtures.testdata.appendingPathComponent("SQL-MATRIX.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 10,
                let arguments = try? JSONSerialization.jsonObject(with: Data(fields[2].utf8)) as? [String],
                let status = Int32(fields[8])
            else { return nil }
            return Row(
                archive: fields[0], optionSet: fields[1], arguments: arguments, throughPipe: fields[3] == "pipe",
                stdout: fields[4], pgRestore: fields[7], exitStatus: status, stderr: unescape(fields[9]))
        }
    }()

    /// COPY-text escapes, as the matrix stores stderr.
    static func unescape(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// pg_restore's tar reader cannot restore data out of its order in the file even from a seekable file;
    /// pgdumpkit can, and then writes what pg_restore writes for the same list on a custom archive.
    static let tarOrderLimitation = "restoring data out of order is not supported in this archive format"

    @Test("sql equals pg_restore 18 (17 for lz4/zstd) for every archive and option set", arguments: rows)
    func matrixRow(_ row: Row) throws {
        // Paths in the arguments are relative to testdata/.
        let arguments = row.arguments.filter { $0 != "-f" && $0 != "-" }.map { argument -> String in
            argument.hasPrefix("archives/") || argument.hasPrefix("expected/")
                ? Fixtures.testdata.appendingPathComponent(argument).path : argument
        }
        let archivePath = Fixtures.testdata.appendingPathComponent(row.archive).path
        let result: CommandResult = row.throughPipe
            ? try CLITests.pgdumpkit(["sql"] + arguments + ["-"], inputFile: archivePath, throughPipe: true)
            : try CLITests.pgdumpkit(["sql"] + arguments)

        if row.exitStatus == 0 {
            #expect(result.status == 0, "\(result.standardError)")
            let expected = try ExpectedOutput.read(Fixtures.testdata.appendingPathComponent(row.stdout))
            #expect(ByteComparison.difference(actual: result.standardOutput, expected: expected) == nil)
        } else if !row.throughPipe && row.stderr.contains(Self.tarOrderLimitation) {
            #expect(result.status == 0, "\(result.standardError)")
            let version = row.archive.split(separator: "/")[1]
            let custom = try #require(Self.rows.first {
                $0.archive == "archives/\(version)/custom-default.dump" && $0.optionSet == row.optionSet
            })
            let expected = try ExpectedOutput.read(Fixtures.testdata.appendingPathComponent(custom.stdout))
            #expect(ByteComparison.difference(actual: result.standardOutput, expected: expected) == nil)
        } else {
            #expect(result.status != 0)
            // Warnings (pg_dump 11's WITH OIDS) may come first; the error is the line that says so.
            let ourError = result.standardError.split(separator: "\n").first { $0.hasPrefix("pgdumpkit: error: ") }
                .map(String.init)
            #expect(ourError != nil, "\(result.standardError)")
            // Messages about options are pg_restore's own; messages about files say the same in our style.
            let theirLine = row.stderr.split(separator: "\n").first { $0.hasPrefix("pg_restore: error: ") }
                ?? row.stderr.split(separator: "\n").first
            let theirs = theirLine.map { String($0.dropFirst("pg_restore: error: ".count)) } ?? ""
            let aboutOptions = ["cannot be used together", "requires option", "must be in range", "invalid restrict key",
                                "not found", "unrecognized section name", "cannot specify both"]
            if aboutOptions.contains(where: theirs.contains) {
                #expect(ourError == "pgdumpkit: error: \(theirs)")
            } else if theirs.contains(Self.tarOrderLimitation) {
                // pg_restore notices while skipping a member it will need; pgdumpkit when it is asked for one
                // already passed. The entries named differ; the refusal is the same.
                #expect(result.standardError.contains(Self.tarOrderLimitation))
            } else if !theirs.hasPrefix("too many command-line arguments") {
                // Errors about files carry the file name and entry in pgdumpkit's style, around pg's words.
                let words = theirs.replacingOccurrences(of: "No such file", with: "no such file")
                    .replacingOccurrences(of: "could not open input file \"", with: "")
                    .components(separatedBy: "\": ").last ?? theirs
                #expect(result.standardError.contains(words), "\(result.standardError) vs \(theirs)")
            }
            if !row.stderr.contains("hint:") { #expect(result.status == row.exitStatus) }
        }
    }
}

/// `list` and `--filter` against live pg_restore, where the oracles are installed.
@Suite(.enabled(if: Fixtures.pgRestore(major: "18") != nil, "pg_restore oracles are not installed"))
struct LiveSelectionTests {
    static let archive = "archives/pg18/custom-statistics.dump"

    /// The selection options of the matrix, applied to `list` as pg_restore -l applies them.
    static let optionSets: [[String]] = [
        [], ["-s"], ["-a"], ["--section=pre-data"], ["--section=data"], ["--section=post-data"], ["-t", "orders"],
        ["-n", "Odd \"Schema\" Name"], ["-N", "app"], ["-I", "orders_open_idx"], ["-P", "add_tax(numeric, numeric)"],
        ["-T", "orders orders_bump_version"], ["-x"], ["--no-comments"], ["-C"], ["--no-statistics"],
        ["--statistics-only"], ["--no-publications", "--no-policies"], ["-v"], ["-t", "orders", "-v"],
        // pg_restore -l accepts the script options, checks them, and ignores them.
        ["-c"], ["-O", "--disable-triggers"], ["-c", "--if-exists", "-1", "-S", "postgres", "--no-tablespaces"],
        ["-c", "-a"], ["-j", "0"],
    ]

    @Test("list with selection options equals pg_restore -l", arguments: optionSets)
    func listWithOptions(_ options: [String]) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let path = CLITests.path(Self.archive)
        let theirs = try CommandRunner.run(oracle, ["-l"] + options + [path])
        let ours = try CLITests.pgdumpkit(["list"] + options + [path])
        #expect(ours.status == theirs.status)
        #expect(ByteComparison.difference(actual: ours.standardOutput, expected: theirs.standardOutput) == nil)
    }

    @Test("sql -v equals pg_restore -v -f - apart from the completion time", arguments: [
        "archives/pg18/custom-default.dump", "archives/pg15/directory-default", "archives/pg17/tar.tar",
        "archives/pg18/custom-pipe.dump",
    ])
    func verboseScript(_ relativePath: String) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let arguments = ["-v", "--restrict-key=K", CLITests.path(relativePath)]
        let theirs = try CommandRunner.run(oracle, ["-f", "-"] + arguments)
        let ours = try CLITests.pgdumpkit(["sql"] + arguments)
        func withoutCompletion(_ bytes: [UInt8]) -> [UInt8] {
            Array(bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                .filter { !$0.starts(with: Array("-- Completed on ".utf8)) }.joined(separator: [0x0A]))
        }
        #expect(ours.status == 0)
        #expect(ByteComparison.difference(
            actual: withoutCompletion(ours.standardOutput), expected: withoutCompletion(theirs.standardOutput)) == nil)
        // pg_restore -v's progress lines on stderr, in pgdumpkit's name.
        #expect(ours.standardError == theirs.standardError.replacingOccurrences(of: "pg_restore: ", with: "pgdumpkit: "))
        #expect(!ours.standardError.isEmpty)
    }

    @Test("sql -v prints pg_restore -v's progress lines on stderr", arguments: [
        ["-c"], ["-c", "--if-exists", "-C"], ["-a", "--disable-triggers"], ["-t", "orders"], ["--statistics-only"],
        ["-x", "-O", "--section=data"], ["-1"],
    ])
    func verboseProgress(_ options: [String]) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let arguments = ["-v", "--restrict-key=K"] + options + [CLITests.path(Self.archive)]
        let theirs = try CommandRunner.run(oracle, ["-f", "/dev/null"] + arguments)
        let ours = try CLITests.pgdumpkit(["sql", "-f", "/dev/null"] + arguments)
        #expect(ours.status == theirs.status)
        #expect(ours.standardError == theirs.standardError.replacingOccurrences(of: "pg_restore: ", with: "pgdumpkit: "))
    }

    /// `pgdumpkit sql ARGUMENTS` against `pg_restore -f - ARGUMENTS`: status, script, and the error in our words.
    static func expectSameAsPgRestore(_ oracle: URL, _ arguments: [String]) throws {
        let theirs = try CommandRunner.run(oracle, ["-f", "-"] + arguments)
        let ours = try CLITests.pgdumpkit(["sql"] + arguments)
        #expect(ours.status == theirs.status, "\(ours.standardError) vs \(theirs.standardError)")
        #expect(ByteComparison.difference(actual: ours.standardOutput, expected: theirs.standardOutput) == nil)
        if theirs.status != 0 {
            let message = theirs.standardError.replacingOccurrences(of: "pg_restore: error: ", with: "")
            #expect(ours.standardError == "pgdumpkit: error: \(message)")
        }
    }

    /// `-F p` is not among them: pg_restore refuses scripts, pgdumpkit reads them (PlainScriptTests).
    @Test("pg_restore's own option checks: the same message and exit status", arguments: [
        ["-s", "--statistics"], ["-a", "--statistics"], ["-s", "--statistics", "--no-statistics"],
        ["-a", "--statistics", "-c"], ["-j", "0"], ["--jobs=-1"], ["-j", "abc"], ["-j", "99999999999"],
        ["-j", "0", "-s", "-a"], ["-F", "x"], ["-F", "x", "-s", "--statistics"], ["-j", "2"],
    ])
    func optionChecks(_ options: [String]) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let arguments = ["--restrict-key=K"] + options + [CLITests.path(Self.archive)]
        try Self.expectSameAsPgRestore(oracle, arguments)
    }

    @Test("--filter files select what pg_restore's select", arguments: [
        "include table orders\ninclude table customers\n",
        "# comment\nexclude schema app\n\n",
        "include schema \"Odd \"\"Schema\"\" Name\"\ninclude function add_tax(numeric, numeric)\n",
        "include index orders_open_idx # trailing comment\ninclude trigger orders orders_bump_version\n",
        "include table_data orders\n",
        "frobnicate table orders\n",
    ])
    func filterFile(_ contents: String) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let filter = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-filter-\(UUID())")
        defer { try? FileManager.default.removeItem(at: filter) }
        try Data(contents.utf8).write(to: filter)
        let path = CLITests.path(Self.archive)
        let arguments = ["--restrict-key=K", "--filter=\(filter.path)", path]
        try Self.expectSameAsPgRestore(oracle, arguments)
    }
}
