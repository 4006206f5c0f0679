import Foundation
import PGDumpTestSupport
import Testing

/// The built `pgdumpkit` binary: output bytes, error messages and exit statuses.
@Suite struct CLITests {
    static func pgdumpkit(_ arguments: [String], inputFile: String? = nil, throughPipe: Bool = false) throws -> CommandResult {
        let binary = CommandRunner.pgdumpkit
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build pgdumpkit first: \(binary.path)")
        return try CommandRunner.run(binary, arguments, inputFile: inputFile, throughPipe: throughPipe)
    }

    static func path(_ relative: String) -> String { Fixtures.testdata.appendingPathComponent(relative).path }

    @Test("list prints what pg_restore -l printed", arguments: Fixtures.archiveCases)
    func list(_ archive: Fixtures.ArchiveCase) throws {
        let result = try Self.pgdumpkit(["list", archive.path])
        #expect(result.status == 0)
        // pg_restore's warnings (pg_dump 11's WITH OIDS), in pgdumpkit's name.
        let warnings = archive.expectedDirectory.appendingPathComponent("list.stderr")
        let expectedStandardError = (try? String(contentsOf: warnings, encoding: .utf8))?
            .replacingOccurrences(of: "pg_restore: ", with: "pgdumpkit: ") ?? ""
        #expect(result.standardError == expectedStandardError)
        let expected = try ExpectedOutput.read(archive.expectedDirectory.appendingPathComponent("list.txt"))
        #expect(ByteComparison.difference(actual: result.standardOutput, expected: expected) == nil)
    }

    @Test("list reads custom and tar archives from standard input", arguments: [
        "archives/pg18/custom-pipe.dump", "archives/pg17/custom-zstd.dump", "archives/pg15/tar.tar",
    ])
    func listFromStandardInput(_ relative: String) throws {
        let result = try Self.pgdumpkit(["list", "-"], inputFile: Self.path(relative))
        #expect(result.status == 0)
        let fromFile = try Self.pgdumpkit(["list", Self.path(relative)])
        #expect(result.standardOutput == fromFile.standardOutput)
    }

    @Test("-F forces a format, and a wrong one is an error")
    func forcedFormat() throws {
        let custom = Self.path("archives/pg18/custom-none.dump")
        #expect(try Self.pgdumpkit(["list", "-F", "c", custom]).status == 0)
        let wrong = try Self.pgdumpkit(["list", "-F", "t", custom])
        #expect(wrong.status == 1)
        #expect(wrong.standardError.hasPrefix("pgdumpkit: error: \(custom): "))
        // pg_restore refuses -F p ("please use psql"); pgdumpkit reads scripts, and says this is none.
        let plain = try Self.pgdumpkit(["list", "-F", "p", custom])
        #expect(plain.status == 1)
        #expect(plain.standardError.contains("not a pg_dump script"))
        let directory = try Self.pgdumpkit(["list", "-F", "custom", Self.path("archives/pg18/directory-none")])
        #expect(directory.status == 1)
    }

    @Test("list --json carries every TOC field")
    func listJSON() throws {
        let result = try Self.pgdumpkit(["list", "--json", Self.path("archives/pg18/custom-default.dump")])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as! [String: Any]
        let header = object["header"] as! [String: Any]
        #expect(header["archiveVersion"] as? String == "1.16-0")
        #expect(header["compression"] as? String == "gzip")
        #expect(header["pgDumpVersion"] as? String == "18.6")
        let entries = object["entries"] as! [[String: Any]]
        #expect(entries.count == object["tocCount"] as? Int)
        let table = try #require(entries.first { $0["desc"] as? String == "TABLE DATA" && $0["hasData"] as? Bool == true })
        for key in ["dumpId", "tableoid", "oid", "tag", "section", "schema", "tablespace", "tableam", "relkind",
                    "owner", "dependencies", "defn", "dropStmt", "copyStmt", "dataOffset", "storedSize"]
        {
            #expect(table.keys.contains(key), "missing \(key)")
        }
        #expect((table["storedSize"] as? Int ?? 0) > 0)
        #expect((table["copyStmt"] as? String)?.hasPrefix("COPY ") == true)
        let relation = try #require(entries.first { $0["desc"] as? String == "TABLE" })
        #expect(relation["relkind"] as? String == "r")

        let directory = try Self.pgdumpkit(["list", "--json", Self.path("archives/pg15/directory-default")])
        let dirEntries = (try JSONSerialization.jsonObject(with: Data(directory.standardOutput)) as! [String: Any])["entries"] as! [[String: Any]]
        let dataFile = try #require(dirEntries.first { $0["dataFile"] != nil })
        #expect((dataFile["dataFile"] as? String)?.hasSuffix(".dat") == true || (dataFile["dataFile"] as? String)?.hasSuffix(".toc") == true)
        #expect(dirEntries.allSatisfy { $0["relkind"] == nil }, "archive 1.14 has no relkind")
    }

    @Test("info agrees with the header")
    func info() throws {
        let archive = Self.path("archives/pg17/custom-lz4.dump")
        let text = try Self.pgdumpkit(["info", archive])
        #expect(text.status == 0)
        let output = String(decoding: text.standardOutput, as: UTF8.self)
        #expect(output.contains("Format:           custom\n"))
        #expect(output.contains("Archive version:  1.16-0\n"))
        #expect(output.contains("Compression:      lz4\n"))
        #expect(output.contains("Created:          2025-01-02 03:04:05 UTC\n"))
        #expect(output.contains("Database:         pgdumpkit_fixture\n"))
        #expect(output.contains("pg_dump version:  17.10\n"))
        #expect(output.contains("Data offsets:     recorded\n"))

        let json = try Self.pgdumpkit(["info", "--json", Self.path("archives/pg15/custom-default.dump")])
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput)) as! [String: Any]
        let header = object["header"] as! [String: Any]
        #expect(header["archiveVersion"] as? String == "1.14-0")
        #expect(header["compressionLevel"] as? Int == -1)
        #expect((object["tablesWithData"] as? [String])?.isEmpty == false)
        #expect((object["largeObjects"] as? Int ?? 0) >= 4)
        #expect(object["sizeOnDisk"] as? Int == Int(try FileManager.default.attributesOfItem(atPath: Self.path("archives/pg15/custom-default.dump"))[.size] as! UInt64))
    }

    @Test("broken inputs give one line naming the file, and exit status 1")
    func brokenInputs() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let empty = scratch.appendingPathComponent("empty.dump").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let truncated = scratch.appendingPathComponent("truncated.dump").path
        let original = try Data(contentsOf: URL(fileURLWithPath: Self.path("archives/pg18/custom-none.dump")))
        _ = FileManager.default.createFile(atPath: truncated, contents: original.prefix(3000))
        let text = scratch.appendingPathComponent("notes.txt").path
        _ = FileManager.default.createFile(atPath: text, contents: Data(String(repeating: "just some text\n", count: 100).utf8))
        let directory = scratch.appendingPathComponent("dir")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.path("archives/pg18/directory-default")), to: directory)
        let dataFile = try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasSuffix(".dat.gz") }!
        try FileManager.default.removeItem(at: directory.appendingPathComponent(dataFile))

        let cases: [([String], String)] = [
            (["list", empty], "pgdumpkit: error: \(empty): input file is too short (read 0, expected 5)\n"),
            (["list", truncated], "pgdumpkit: error: \(truncated): TOC entry count 262 is more than the remaining 2882 bytes can hold (at offset 113)\n"),
            (["list", text], "pgdumpkit: error: \(text): input file is text but not a pg_dump script: "),
            (["sql", directory.path], "pgdumpkit: error: \(directory.path): data file \(dataFile.dropLast(3)) is missing"),
            (["list", scratch.appendingPathComponent("nonexistent").path], "pgdumpkit: error: \(scratch.path)/nonexistent: could not open input file: no such file or directory\n"),
        ]
        for (arguments, expectedStart) in cases {
            let result = try Self.pgdumpkit(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.standardOutput.isEmpty, "\(arguments)")
            #expect(result.standardError.hasPrefix(expectedStart), "\(arguments): \(result.standardError)")
            #expect(result.standardError.filter { $0 == "\n" }.count == 1, "one line: \(result.standardError)")
        }
        let truncatedResult = try Self.pgdumpkit(["list", truncated])
        #expect(truncatedResult.standardError.contains("(at offset "))
    }

    @Test("usage errors exit with status 2")
    func usageErrors() throws {
        #expect(try Self.pgdumpkit(["list", "--no-such-option", "x"]).status == 2)
        #expect(try Self.pgdumpkit(["frobnicate"]).status == 2)
        let help = try Self.pgdumpkit(["--help"])
        #expect(help.status == 0)
        #expect(String(decoding: help.standardOutput, as: UTF8.self).contains("list"))
    }
}

/// The committed man pages (generated by `make man`) must describe the CLI as it is.
@Suite struct ManPageTests {
    @Test("every subcommand has a page naming each of its options and its abstract")
    func manPagesMatchCLI() throws {
        let dump = try CLITests.pgdumpkit(["--experimental-dump-help"])
        #expect(dump.status == 0)
        let root = try JSONSerialization.jsonObject(with: Data(dump.standardOutput)) as! [String: Any]
        let command = root["command"] as! [String: Any]
        let subcommands = (command["subcommands"] as! [[String: Any]]).filter { $0["commandName"] as? String != "help" }
        #expect(!subcommands.isEmpty)
        for subcommand in subcommands {
            let name = subcommand["commandName"] as! String
            let page = Fixtures.repositoryRoot.appendingPathComponent("man/pgdumpkit.\(name).1")
            let text = try #require(try? String(contentsOf: page, encoding: .utf8), "man/pgdumpkit.\(name).1 is missing; run make man")
            // gen-man.sh drops the full stop that mdoc does not want at the end of the one-line description.
            var abstract = subcommand["abstract"] as! String
            if abstract.hasSuffix(".") { abstract.removeLast() }
            #expect(text.contains(abstract), "\(name): abstract out of date; run make man")
            // Hidden options (earlier spellings kept working) have no place in the manual.
            for argument in subcommand["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool != false {
                for spelling in argument["names"] as? [[String: Any]] ?? [] where spelling["kind"] as? String == "long" {
                    let option = spelling["name"] as! String
                    #expect(text.contains("-\(option)"), "\(name): --\(option) missing from its man page; run make man")
                }
            }
        }
    }
}
