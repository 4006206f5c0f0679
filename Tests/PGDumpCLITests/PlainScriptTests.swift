import Foundation
import PGDumpTestSupport
import Testing

/// Plain SQL scripts read as archives: every command on `pg_dump -Fp` output, against pg_restore 18's rendering
/// of the custom archive the same pg_dump wrote of the same database.
@Suite struct PlainScriptTests {
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-plain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The entry lines of a listing, after the dump ID and catalog IDs (`214; 1259 16866 TABLE …` → `TABLE …`),
    /// or whole with `keepingIDs`.
    static func entryLines(_ listing: [UInt8], keepingIDs: Bool = false) -> [String] {
        String(decoding: listing, as: UTF8.self).split(separator: "\n")
            .filter { !$0.hasPrefix(";") }
            .map { line in keepingIDs ? String(line) : line.split(separator: " ", maxSplits: 3).dropFirst(3).joined() }
    }

    @Test("sql on the script equals pg_restore 18 on the paired custom archive", arguments: PlainScripts.cases)
    func sql(_ plainCase: PlainScripts.Case) throws {
        let script = try PlainScripts.script(plainCase.scriptName, version: plainCase.version)
        let result = try CLITests.pgdumpkit(["sql"] + plainCase.arguments + [script])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.isEmpty)
        let expected = try ExpectedOutput.read(plainCase.expected)
        #expect(ByteComparison.difference(actual: result.standardOutput, expected: expected) == nil)
    }

    @Test("list's entry lines equal pg_restore -l's after the IDs, and its header says how IDs were found",
          arguments: PlainScripts.versions)
    func list(_ version: String) throws {
        let result = try CLITests.pgdumpkit(["list", try PlainScripts.script(version: version)])
        #expect(result.status == 0, "\(result.standardError)")
        let expected = try ExpectedOutput.read(PlainScripts.folder(version).appendingPathComponent("expected/list.txt"))
        #expect(Self.entryLines(result.standardOutput) == Self.entryLines(expected))
        let text = String(decoding: result.standardOutput, as: UTF8.self)
        #expect(text.contains(";     Format: PLAIN\n"))
        #expect(text.contains(";     Source: plain SQL script: dump IDs assigned in order, catalog IDs 0"))
        #expect(text.contains(";     Dumped by pg_dump version: \(version)."))
    }

    @Test("a pg_dump -v script gives pg_restore -l's lines with their dump and catalog IDs")
    func verboseList() throws {
        let result = try CLITests.pgdumpkit(["list", try PlainScripts.script("plain-verbose")])
        #expect(result.status == 0, "\(result.standardError)")
        let expected = try ExpectedOutput.read(PlainScripts.folder("18").appendingPathComponent("expected/list.txt"))
        #expect(Self.entryLines(result.standardOutput, keepingIDs: true) == Self.entryLines(expected, keepingIDs: true))
        let text = String(decoding: result.standardOutput, as: UTF8.self)
        #expect(text.contains("; Archive created at 2026-12-01 21:31:20 UTC\n"))
        #expect(text.contains(";     Source: plain SQL script (pg_dump -v): dump IDs, catalog IDs and dependencies as recorded"))
    }

    @Test("rendering a pg_dump 17 or 18 script with its restrict key gives the script back",
          arguments: [("plain", "17"), ("plain", "18"), ("plain-inserts", "18"), ("plain-clean", "18"),
                      ("plain-create", "18")])
    func roundTrip(_ name: String, _ version: String) throws {
        let script = try PlainScripts.script(name, version: version)
        var options = ["--restrict-key=CORPUSKEY"]
        if name == "plain-clean" { options += ["-c", "--if-exists"] }
        if name == "plain-create" { options += ["-C"] }
        let result = try CLITests.pgdumpkit(["sql"] + options + [script])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(ByteComparison.difference(actual: result.standardOutput, expected: try Fixtures.bytes(URL(fileURLWithPath: script))) == nil)
    }

    @Test("a pg_dump -v script renders back with -v but for the closing time")
    func verboseRoundTrip() throws {
        let script = try PlainScripts.script("plain-verbose")
        let result = try CLITests.pgdumpkit(["sql", "-v", "--restrict-key=CORPUSKEY", script])
        #expect(result.status == 0)
        func withoutCompletion(_ bytes: [UInt8]) -> [String] {
            String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init).filter { !$0.hasPrefix("-- Completed on ") }
        }
        #expect(withoutCompletion(result.standardOutput) == withoutCompletion(try Fixtures.bytes(URL(fileURLWithPath: script))))
    }

    @Test("compressed scripts and standard input give the same bytes", arguments: [
        ("plain.sql.gz", false), ("plain.sql.zst", false), ("plain-gzip.sql.gz", false), ("plain.sql", true),
        ("plain.sql.gz", true), ("plain.sql.zst", true), ("plain.sql.xz", false), ("plain.sql.xz", true),
        ("plain.sql.bz2", false), ("plain.sql.bz2", true),
    ])
    func compressedAndStandardInput(_ file: String, _ throughPipe: Bool) throws {
        let path = PlainScripts.folder("18").appendingPathComponent(file).path
        let expected = try Fixtures.bytes(URL(fileURLWithPath: try PlainScripts.script()))
        let result = throughPipe
            ? try CLITests.pgdumpkit(["sql", "--restrict-key=CORPUSKEY", "-"], inputFile: path, throughPipe: true)
            : try CLITests.pgdumpkit(["sql", "--restrict-key=CORPUSKEY", path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(ByteComparison.difference(actual: result.standardOutput, expected: expected) == nil)
        let listing = throughPipe
            ? try CLITests.pgdumpkit(["list", "-F", "p"], inputFile: path, throughPipe: true)
            : try CLITests.pgdumpkit(["list", path])
        let plainListing = try CLITests.pgdumpkit(["list", try PlainScripts.script()])
        #expect(Self.entryLines(listing.standardOutput) == Self.entryLines(plainListing.standardOutput))
    }

    @Test("extract --to csv of the script, COPY or INSERT, equals extraction from the custom archive",
          arguments: ["plain", "plain-inserts"])
    func extract(_ name: String) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fromScript = scratch.appendingPathComponent("script").path
        let fromArchive = scratch.appendingPathComponent("archive").path
        let first = try CLITests.pgdumpkit(["extract", "--all", "--to", "csv", "-o", fromScript, try PlainScripts.script(name)])
        #expect(first.status == 0, "\(first.standardError)")
        let custom = PlainScripts.folder("18").appendingPathComponent("custom.dump").path
        let second = try CLITests.pgdumpkit(["extract", "--all", "--to", "csv", "-o", fromArchive, custom])
        #expect(second.status == 0, "\(second.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: fromArchive).sorted()
        #expect(names.count == 11)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fromScript).sorted() == names)
        for name in names {
            #expect(try Fixtures.bytes(URL(fileURLWithPath: fromScript + "/" + name))
                == Fixtures.bytes(URL(fileURLWithPath: fromArchive + "/" + name)), "\(name)")
        }
    }

    @Test("convert to custom, directory and tar: real pg_restore 18 renders the result as the paired archive",
          .enabled(if: Fixtures.pgRestore(major: "18") != nil, "pg_restore oracles are not installed"),
          arguments: ["c", "d", "t"])
    func convert(_ target: String) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("converted").path
        let converted = try CLITests.pgdumpkit(["convert", try PlainScripts.script(), "--to", target, "-o", output])
        #expect(converted.status == 0, "\(converted.standardError)")
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let rendered = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=CORPUSKEY", output])
        #expect(rendered.status == 0, "\(rendered.standardError)")
        let expected = try ExpectedOutput.read(PlainScripts.folder("18").appendingPathComponent("expected/full.sql"))
        #expect(ByteComparison.difference(actual: rendered.standardOutput, expected: expected) == nil)
        let listing = try CommandRunner.run(oracle, ["-l", output])
        let paired = try ExpectedOutput.read(PlainScripts.folder("18").appendingPathComponent("expected/list.txt"))
        #expect(Self.entryLines(listing.standardOutput) == Self.entryLines(paired))
    }

    @Test("convert --to p renders the script, as sql does")
    func convertToScript() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("again.sql").path
        let script = try PlainScripts.script()
        let result = try CLITests.pgdumpkit(["convert", script, "--to", "p", "--restrict-key=CORPUSKEY", "-o", output])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try Fixtures.bytes(URL(fileURLWithPath: output)) == Fixtures.bytes(URL(fileURLWithPath: script)))
    }

    @Test("verify reads every data entry of a whole script; info says it is a script")
    func verifyAndInfo() throws {
        let script = try PlainScripts.script()
        let verified = try CLITests.pgdumpkit(["verify", script])
        #expect(verified.status == 0, "\(verified.standardError)")
        #expect(String(decoding: verified.standardOutput, as: UTF8.self).contains("ok: 11 data entries read"))
        let info = try CLITests.pgdumpkit(["info", script])
        let text = String(decoding: info.standardOutput, as: UTF8.self)
        #expect(text.contains("Format:           plain (a SQL script read as an archive)\n"))
        #expect(text.contains("Created:          not recorded (pg_dump -v records it)\n"))
        #expect(text.contains("pg_dump version:  18.6\n"))
        let json = try CLITests.pgdumpkit(["info", "--json", script])
        #expect(String(decoding: json.standardOutput, as: UTF8.self).contains("\"format\": \"plain\",\n  \"sourceNotes\": ["))
    }

    @Test("-c and -C need what only pg_dump -c and -C record, and say so", arguments: [
        (["-c"], "--clean needs DROP statements, which a script holds only when pg_dump wrote it with -c (--clean)"),
        (["-C"], "--create needs the CREATE DATABASE statement, which a script holds only when pg_dump wrote it with -C (--create)"),
    ])
    func unrecorded(_ options: [String], _ message: String) throws {
        let result = try CLITests.pgdumpkit(["sql"] + options + [try PlainScripts.script()])
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test("-F p selects the script reader; a custom archive read as a script is refused clearly")
    func formatOption() throws {
        let script = try PlainScripts.script()
        let selected = try CLITests.pgdumpkit(["list", "-F", "p", script])
        #expect(selected.status == 0, "\(selected.standardError)")
        let custom = PlainScripts.folder("18").appendingPathComponent("custom.dump").path
        let wrong = try CLITests.pgdumpkit(["list", "-F", "plain", custom])
        #expect(wrong.status == 1)
        #expect(wrong.standardError.contains(
            "not a pg_dump script: expected it to start with \"--\\n-- PostgreSQL database dump\\n--\""),
            "\(wrong.standardError)")
    }
}

/// Scripts that are cut, damaged or not pg_dump's: clear errors, no crash, nothing half-written.
@Suite struct PlainScriptBadInputTests {
    static let cuts: [Int] = [10, 40, 200, 600, 5_000, 20_000, 60_000, 100_000, 200_000, 300_000, 410_000, 417_000, 417_300]

    @Test("a script cut anywhere: verify reports it truncated with file and offset; sql fails on cut data, writing nothing",
          arguments: cuts)
    func truncated(_ length: Int) throws {
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let whole = try Fixtures.bytes(URL(fileURLWithPath: try PlainScripts.script()))
        let cut = scratch.appendingPathComponent("cut.sql")
        try Data(whole.prefix(length)).write(to: cut)
        let verified = try CLITests.pgdumpkit(["verify", cut.path])
        #expect(verified.status == 1)
        let report = String(decoding: verified.standardOutput, as: UTF8.self) + verified.standardError
        #expect(report.contains(cut.path), "\(report)")
        #expect(report.contains("truncated") || report.contains("the script ends"), "\(report)")
        let output = scratch.appendingPathComponent("out.sql").path
        let rendered = try CLITests.pgdumpkit(["sql", cut.path, "-f", output])
        #expect(rendered.status == 0 || rendered.status == 1)
        #expect(rendered.standardError.contains("truncated") || rendered.standardError.contains("the script ends"),
                "\(rendered.standardError)")
        if rendered.status != 0 { #expect(!FileManager.default.fileExists(atPath: output)) }
    }

    @Test("a COPY block without its \\. at the end of the script is named, with its entry and offset")
    func copyWithoutTerminator() throws {
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let whole = try Fixtures.bytes(URL(fileURLWithPath: try PlainScripts.script()))
        let text = String(decoding: whole, as: UTF8.self)
        let last = try #require(text.range(of: "\\.\n", options: .backwards))
        let cut = scratch.appendingPathComponent("nodot.sql")
        try Data(text[..<last.lowerBound].utf8).write(to: cut)
        let result = try CLITests.pgdumpkit(["extract", cut.path, "-t", "track", "-o", scratch.appendingPathComponent("t.csv").path])
        #expect(result.status == 1)
        #expect(result.standardError.contains(
            "the script ends inside the COPY data of TABLE DATA public track, before its end-of-data line \\."),
            "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("t.csv").path))
    }

    @Test("a gzip stream that ends early is a codec error at open")
    func gzipCut() throws {
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let whole = try Fixtures.bytes(PlainScripts.folder("18").appendingPathComponent("plain.sql.gz"))
        let cut = scratch.appendingPathComponent("cut.sql.gz")
        try Data(whole.prefix(30_000)).write(to: cut)
        for throughPipe in [false, true] {
            let result = throughPipe
                ? try CLITests.pgdumpkit(["list", "-"], inputFile: cut.path, throughPipe: true)
                : try CLITests.pgdumpkit(["list", cut.path])
            #expect(result.status == 1)
            #expect(result.standardError.contains("could not decompress gzip data: compressed data is truncated"),
                    "\(result.standardError)")
        }
    }

    @Test("SQL that pg_dump did not write is refused saying what was expected", arguments: [
        ("CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\n",
         "input file is text but not a pg_dump script: a script written by pg_dump starts with \"--\\n-- PostgreSQL database dump\\n--\""),
    ])
    func notPgDump(_ text: String, _ message: String) throws {
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("other.sql")
        try Data(text.utf8).write(to: file)
        let result = try CLITests.pgdumpkit(["list", file.path])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("pgdumpkit: error: \(file.path): \(message)"), "\(result.standardError)")
        let forced = try CLITests.pgdumpkit(["list", "-F", "p", file.path])
        #expect(forced.status == 1)
        #expect(forced.standardError.contains("script"), "\(forced.standardError)")
    }

    @Test("a pg_dumpall script cut short is listed with a warning; -F c refuses it as pg_restore does")
    func truncatedDumpall() throws {
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("dumpall.sql")
        try Data("--\n-- PostgreSQL database cluster dump\n--\n\nSET default_transaction_read_only = off;\n".utf8).write(to: file)
        let result = try CLITests.pgdumpkit(["list", file.path])
        #expect(result.status == 0)
        #expect(result.standardError.contains("the pg_dumpall script ends without \"-- PostgreSQL database cluster dump complete\": it is truncated"), "\(result.standardError)")
        #expect(String(decoding: result.standardOutput, as: UTF8.self).hasPrefix(";\n; pg_dumpall script: 0 databases\n"))
        let forced = try CLITests.pgdumpkit(["list", "-F", "c", file.path])
        #expect(forced.status == 1)
        #expect(forced.standardError.contains("did not find magic string in file header"), "\(forced.standardError)")
    }

    @Test("an xz or bzip2 script cut short is reported as truncated, nothing written", arguments: [
        ("plain.sql.xz", 50_000, "the xz-compressed stream ends early"),
        ("plain.sql.bz2", 50_000, "input file is bzip2-compressed, but its start does not decompress: it is damaged or truncated"),
    ])
    func compressedCut(_ file: String, _ length: Int, _ message: String) throws {
        let scratch = try PlainScriptTests.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let bytes = try Fixtures.bytes(PlainScripts.folder("18").appendingPathComponent(file))
        let cut = scratch.appendingPathComponent(file)
        try Data(bytes.prefix(length)).write(to: cut)
        for throughPipe in [false, true] {
            let result = throughPipe
                ? try CLITests.pgdumpkit(["sql", "-"], inputFile: cut.path, throughPipe: true)
                : try CLITests.pgdumpkit(["sql", cut.path])
            #expect(result.status == 1)
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
    }
}
