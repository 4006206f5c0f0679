import Foundation
import PGDumpTestSupport
import Testing

/// One meaning of `-F` in every command (the format of the archive read, as with pg_restore); formats to write are
/// named with `--to`; the earlier spellings still work where they cannot be misread.
@Suite struct FormatOptionRuleTests {
    static let custom = CLITests.path("archives/pg18/custom-default.dump")
    static let directory = CLITests.path("archives/pg18/directory-default")

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-format-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func listing(_ path: String) throws -> String {
        let result = try CLITests.pgdumpkit(["list", path])
        #expect(result.status == 0, "\(result.standardError)")
        return String(decoding: result.standardOutput, as: UTF8.self)
    }

    @Test("-F is the input's format in list, sql, info and verify, as in pg_restore")
    func inputFormatEverywhere() throws {
        for command in ["list", "sql", "info", "verify"] {
            let right = try CLITests.pgdumpkit([command, "-Fc", Self.custom] + (command == "verify" ? ["-q"] : []))
            #expect(right.status == 0, "\(command): \(right.standardError)")
            let wrong = try CLITests.pgdumpkit([command, "-Fd", Self.custom])
            #expect(wrong.status == 1, "\(command) -Fd on a custom archive")
        }
    }

    @Test("convert: --to names the output's format, -F then the input's; a lone -F is the output's")
    func convert() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let expected = try Self.listing(Self.custom).split(separator: "\n").filter { !$0.hasPrefix(";") }

        let tar = scratch.appendingPathComponent("a.tar").path
        let byTo = try CLITests.pgdumpkit(["convert", "-Fc", Self.custom, "--to", "t", "-o", tar, "-q"])
        #expect(byTo.status == 0, "\(byTo.standardError)")
        #expect(try Self.listing(tar).contains(";     Format: TAR"))
        #expect(try Self.listing(tar).split(separator: "\n").filter { !$0.hasPrefix(";") } == expected)

        let wrongInput = try CLITests.pgdumpkit(["convert", "-Ft", Self.custom, "--to", "c", "-o", scratch.appendingPathComponent("x").path])
        #expect(wrongInput.status == 1, "-F names the input's format when --to is given")
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("x").path))

        let lone = scratch.appendingPathComponent("lone").path
        let byLoneF = try CLITests.pgdumpkit(["convert", "-Fd", Self.custom, "-o", lone, "-q"])
        #expect(byLoneF.status == 0, "\(byLoneF.standardError)")
        #expect(FileManager.default.fileExists(atPath: lone + "/toc.dat"))

        let earlier = scratch.appendingPathComponent("earlier.dump").path
        let byEarlier = try CLITests.pgdumpkit(
            ["convert", Self.directory, "--input-format", "d", "--to-format", "c", "-o", earlier, "-q"])
        #expect(byEarlier.status == 0, "\(byEarlier.standardError)")
        #expect(try Self.listing(earlier).contains(";     Format: CUSTOM"))

        let none = try CLITests.pgdumpkit(["convert", Self.custom, "-o", scratch.appendingPathComponent("y").path])
        #expect(none.status == 2)
        #expect(none.standardError.contains("name the format to write with --to"))
        let twice = try CLITests.pgdumpkit(
            ["convert", Self.custom, "-Fc", "--input-format", "c", "--to", "d", "-o", scratch.appendingPathComponent("z").path])
        #expect(twice.status == 2)
    }

    @Test("extract: -F is the archive's format, --to the output's; --format csv|tsv|jsonl|copy still names the output")
    func extract() throws {
        let jsonl = try CLITests.pgdumpkit(["extract", "-Fc", Self.custom, "-t", "orders", "--to", "jsonl"])
        #expect(jsonl.status == 0, "\(jsonl.standardError)")
        #expect(jsonl.standardOutput.first == UInt8(ascii: "{"))
        let earlier = try CLITests.pgdumpkit(["extract", Self.custom, "-t", "orders", "--format", "jsonl"])
        #expect(earlier.standardOutput == jsonl.standardOutput)
        let both = try CLITests.pgdumpkit(["extract", Self.custom, "-Fcustom", "--format=jsonl", "-t", "orders"])
        #expect(both.standardOutput == jsonl.standardOutput)
        let csv = try CLITests.pgdumpkit(["extract", Self.custom, "-t", "orders"])
        #expect(try CLITests.pgdumpkit(["extract", Self.custom, "-t", "orders", "--to", "csv"]).standardOutput == csv.standardOutput)

        let wrong = try CLITests.pgdumpkit(["extract", "-Fd", Self.custom, "-t", "orders"])
        #expect(wrong.status == 1)
        #expect(try CLITests.pgdumpkit(["extract", "--input-format", "c", Self.custom, "-t", "orders"]).standardOutput == csv.standardOutput)
        let twice = try CLITests.pgdumpkit(["extract", Self.custom, "-t", "orders", "--to", "csv", "--format", "tsv"])
        #expect(twice.status == 2)
        #expect(twice.standardError.contains("the output format is named more than once"))
    }
}
