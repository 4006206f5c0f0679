import Foundation
import PGDumpTestSupport
import Testing

/// `sql` against what real pg_restore wrote.
@Suite struct SQLTests {
    /// One recorded `pg_restore -f -` run of the shared corpus.
    struct CorpusCase: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var expected: URL
        var testDescription: String {
            expected.path.components(separatedBy: "/expected/").last ?? expected.path
        }
    }

    /// The shared corpus's commands.txt lines for pg_restore 17 and 18 script output (those equal 18's where the
    /// archive has no statistics, which holds for the whole corpus).
    static let corpusCases: [CorpusCase] = {
        guard let corpus = Fixtures.sharedCorpus else { return [] }
        let root = corpus.appendingPathComponent("expected")
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var cases: [CorpusCase] = []
        for case let relative as String in walker where relative.hasSuffix("commands.txt") {
            guard let text = try? String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8) else {
                continue
            }
            for line in text.split(separator: "\n") {
                // pg_restore-18 -f - --restrict-key=K [options] ARCHIVE > OUTPUT   # exit 0
                let words = line.split(separator: " ").map(String.init)
                guard let tool = words.first, tool == "pg_restore-18" || tool == "pg_restore-17",
                    let redirect = words.firstIndex(of: ">"), words.contains("-f"), !words.contains("-l"),
                    words.last == "0"
                else { continue }
                let arguments = Array(words[1..<redirect]).filter { $0 != "-f" && $0 != "-" }.map { argument in
                    // Paths in the commands are relative to the corpus root.
                    argument.hasPrefix("archives/") || argument.hasPrefix("expected/")
                        ? corpus.appendingPathComponent(argument).path : argument
                }
                cases.append(CorpusCase(
                    arguments: arguments, expected: corpus.appendingPathComponent(words[redirect + 1])))
            }
        }
        return cases.sorted { $0.testDescription < $1.testDescription }
    }()

    @Test("sql equals pg_restore -f - on the shared corpus",
          .enabled(if: Fixtures.sharedCorpus != nil, Fixtures.sharedCorpusSkipped), arguments: corpusCases)
    func corpus(_ corpusCase: CorpusCase) throws {
        let result = try CLITests.pgdumpkit(["sql"] + corpusCase.arguments)
        #expect(result.status == 0, "\(result.standardError)")
        let expected = try ExpectedOutput.read(corpusCase.expected)
        #expect(ByteComparison.difference(actual: result.standardOutput, expected: expected) == nil)
    }

    @Test("without --restrict-key every run uses a fresh 63-character key")
    func randomRestrictKey() throws {
        let archive = CLITests.path("archives/pg18/custom-none.dump")
        func key() throws -> String {
            let output = String(decoding: try CLITests.pgdumpkit(["sql", "-s", archive]).standardOutput, as: UTF8.self)
            let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("\\restrict ") })
            return String(line.dropFirst("\\restrict ".count))
        }
        let first = try key()
        let second = try key()
        #expect(first.count == 63)
        #expect(first.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(first != second)
    }

    @Test("option conflicts are refused with pg_restore's messages and status", arguments: [
        (["-s", "-a"], "options -s/--schema-only and -a/--data-only cannot be used together"),
        (["--if-exists"], "option --if-exists requires option -c/--clean"),
        (["-C", "-1"], "options -C/--create and -1/--single-transaction cannot be used together"),
        (["-a", "-c"], "options -c/--clean and -a/--data-only cannot be used together"),
        (["--statistics-only", "-a"], "options -a/--data-only and --statistics-only cannot be used together"),
        (["--no-data", "-a"], "options -a/--data-only and --no-data cannot be used together"),
        (["-1", "-j", "2"], "cannot specify both --single-transaction and multiple jobs"),
        (["-1", "--transaction-size=3"], "options -1/--single-transaction and --transaction-size cannot be used together"),
        (["--restrict-key=not-valid"], "invalid restrict key"),
        (["--section=middle"], "unrecognized section name: \"middle\""),
        (["--strict-names", "-t", "no_such_table"], "table \"no_such_table\" not found"),
        (["-L", "/nonexistent/list"], "could not open TOC file \"/nonexistent/list\": no such file or directory"),
    ])
    func optionErrors(_ arguments: [String], _ message: String) throws {
        let result = try CLITests.pgdumpkit(["sql"] + arguments + [CLITests.path("archives/pg18/custom-none.dump")])
        #expect(result.status == 1)
        #expect(result.standardError == "pgdumpkit: error: \(message)\n")
        #expect(result.standardOutput.isEmpty)
    }

    @Test("-f writes the file atomically and refuses to replace one without --force")
    func outputFile() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("out.sql").path
        let archive = CLITests.path("archives/pg18/custom-default.dump")
        #expect(try CLITests.pgdumpkit(["sql", "--restrict-key=K", "-f", output, archive]).status == 0)
        let stdout = try CLITests.pgdumpkit(["sql", "--restrict-key=K", archive]).standardOutput
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: output))) == stdout)
        let again = try CLITests.pgdumpkit(["sql", "--restrict-key=K", "-f", output, archive])
        #expect(again.status == 1)
        #expect(again.standardError.contains("file exists; use --force"))
        #expect(try CLITests.pgdumpkit(["sql", "--restrict-key=K", "--force", "-f", output, archive]).status == 0)
        // A failure part-way leaves nothing behind.
        let broken = scratch.appendingPathComponent("broken.dump").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        _ = FileManager.default.createFile(atPath: broken, contents: bytes.prefix(bytes.count * 3 / 4))
        let failed = try CLITests.pgdumpkit(["sql", "-f", scratch.appendingPathComponent("never.sql").path, broken])
        #expect(failed.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["broken.dump", "out.sql"])
    }
}
