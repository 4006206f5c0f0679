import Foundation
import PGDumpTestSupport
import Testing

/// A directory archive's `toc.dat` given instead of its directory: `toc.dat` starts like a custom archive, so it
/// fails with a format mismatch, and the message says which path to give instead.
@Suite struct TOCFileHintTests {
    static let archives = Fixtures.testdata.appendingPathComponent("archives/pg18")

    /// Runs pgdumpkit in `directory`, so that the paths given are the user's own, relative ones.
    static func pgdumpkit(_ arguments: [String], in directory: URL = archives) throws -> CommandResult {
        let binary = CommandRunner.pgdumpkit
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build pgdumpkit first: \(binary.path)")
        return try CommandRunner.run(binary, arguments, workingDirectory: directory)
    }

    @Test("list, sql, info, extract and convert of dir/toc.dat hint to give dir", arguments: [
        ["list"], ["sql"], ["info"], ["extract", "--all", "-o", "unused"], ["list", "-F", "c"],
        ["convert", "-F", "c", "-o", "unused.dump"],
    ])
    func relativePath(_ command: [String]) throws {
        let result = try Self.pgdumpkit(command + ["directory-default/toc.dat"])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix("pgdumpkit: error: directory-default/toc.dat: "), "\(result.standardError)")
        #expect(result.standardError.hasSuffix(
            "; hint: toc.dat belongs to a directory archive: give the directory \"directory-default\"\n"),
            "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test("verify reports the hint with its problem, in text and JSON")
    func verify() throws {
        let text = try Self.pgdumpkit(["verify", "directory-default/toc.dat"])
        #expect(text.status == 1)
        let output = String(decoding: text.standardOutput, as: UTF8.self)
        #expect(output.contains(
            "problem: directory-default/toc.dat: offset 10: expected format (1) differs from format found in file (3); "
            + "hint: toc.dat belongs to a directory archive: give the directory \"directory-default\"\n"), "\(output)")

        let json = try Self.pgdumpkit(["verify", "--json", "directory-default/toc.dat"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput)) as? [String: Any])
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.first?["hint"] as? String
            == "toc.dat belongs to a directory archive: give the directory \"directory-default\"")
    }

    @Test("the message keeps the format mismatch it explains")
    func mismatchKept() throws {
        let result = try Self.pgdumpkit(["list", "directory-default/toc.dat"])
        #expect(result.standardError == "pgdumpkit: error: directory-default/toc.dat: expected format (1) differs from "
            + "format found in file (3) (at offset 10); hint: toc.dat belongs to a directory archive: give the "
            + "directory \"directory-default\"\n")
    }

    @Test("an absolute path names the absolute directory; toc.dat in the working directory names .")
    func otherSpellings() throws {
        let directory = Self.archives.appendingPathComponent("directory-default")
        let absolute = try Self.pgdumpkit(["list", directory.appendingPathComponent("toc.dat").path])
        #expect(absolute.standardError.hasSuffix("give the directory \"\(directory.path)\"\n"), "\(absolute.standardError)")

        let here = try Self.pgdumpkit(["list", "toc.dat"], in: directory)
        #expect(here.status == 1)
        #expect(here.standardError.hasPrefix("pgdumpkit: error: toc.dat: "))
        #expect(here.standardError.hasSuffix("give the directory \".\"\n"), "\(here.standardError)")
    }

    @Test("-F d with toc.dat hints too")
    func directoryFormatGiven() throws {
        let result = try Self.pgdumpkit(["list", "-F", "d", "directory-default/toc.dat"])
        #expect(result.status == 1)
        #expect(result.standardError == "pgdumpkit: error: directory-default/toc.dat: is not a directory; a directory "
            + "archive is a directory; hint: toc.dat belongs to a directory archive: give the directory "
            + "\"directory-default\"\n")
    }

    @Test("the directory itself opens, and another file's errors get no hint")
    func noHintElsewhere() throws {
        #expect(try Self.pgdumpkit(["list", "directory-default"]).status == 0)
        let other = try Self.pgdumpkit(["list", "DUMPED.tsv"])
        #expect(other.status == 1)
        #expect(!other.standardError.contains("hint"), "\(other.standardError)")
    }
}
