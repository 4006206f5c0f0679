import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Bad input to the command-line tool: damaged archives, which the commands that only describe an archive still
/// describe, saying what is missing; and containers built to mislead (endless zeros, tar names that leave the
/// archive, truncated tar padding, names as long as PostgreSQL allows, data the TOC does not locate, names that
/// are not valid UTF-8). Each gets pg_restore's answer or an exit status and a message, never a crash.
@Suite struct CLIBadInputTests {
    // MARK: - Damaged archives: describe what is there, and say what is missing

    /// A copy of a directory archive with one table's data file removed; the removed file's name.
    static func directoryMissingDataFile() throws -> (directory: URL, removed: String) {
        let scratch = try ExtractCLITests.scratchDirectory()
        let directory = scratch.appendingPathComponent("archive")
        try FileManager.default.copyItem(
            at: Fixtures.testdata.appendingPathComponent("archives/pg18/directory-default"), to: directory)
        let removed = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().first { $0.hasSuffix(".dat.gz") })
        try FileManager.default.removeItem(at: directory.appendingPathComponent(removed))
        return (directory, removed)
    }

    @Test("info describes a directory archive with a missing data file, and names the file")
    func infoWithMissingDataFile() throws {
        let (directory, removed) = try Self.directoryMissingDataFile()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let stem = String(removed.dropLast(".gz".count))

        let text = try CLITests.pgdumpkit(["info", directory.path])
        #expect(text.status == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains(Array("Tables with data:".utf8)))
        let output = String(decoding: text.standardOutput, as: UTF8.self)
        #expect(output.contains("Missing data:     1 entry"))
        #expect(output.contains("data file \(stem) is missing"))
        #expect(text.standardError.hasPrefix("pgdumpkit: warning: \(directory.path): data file \(stem) is missing"))

        let json = try CLITests.pgdumpkit(["info", "--json", directory.path])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput)) as? [String: Any])
        let missing = try #require(object["missingData"] as? [String])
        #expect(missing.count == 1)
        #expect(object["storedDataSize"] is NSNull)

        // list needs nothing but the TOC either; verify reports the damage.
        #expect(try CLITests.pgdumpkit(["list", directory.path]).status == 0)
        #expect(try CLITests.pgdumpkit(["list", "--json", directory.path]).status == 0)
        #expect(try CLITests.pgdumpkit(["verify", "-q", directory.path]).status == 1)
    }

    @Test("info of an intact archive reports no missing data")
    func infoIntact() throws {
        let json = try CLITests.pgdumpkit(["info", "--json", CLITests.path("archives/pg18/directory-default")])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput)) as? [String: Any])
        #expect((object["missingData"] as? [String])?.isEmpty == true)
        #expect(object["storedDataSize"] is NSNumber)
    }

    // MARK: - Containers built to mislead

    /// A copy of testdata's pg18 tar archive, changed by `edit`.
    static func tarCopy(_ edit: (inout [UInt8]) -> Void) throws -> URL {
        let scratch = try ExtractCLITests.scratchDirectory()
        var bytes = Array(try Data(contentsOf: Fixtures.testdata.appendingPathComponent("archives/pg18/tar.tar")))
        edit(&bytes)
        let url = scratch.appendingPathComponent("archive.tar")
        try Data(bytes).write(to: url)
        return url
    }

    /// Renames the tar member whose header starts at `offset`, with a valid checksum.
    static func renameMember(at offset: Int, to name: String, in bytes: inout [UInt8]) {
        for index in 0..<100 { bytes[offset + index] = 0 }
        for (index, byte) in name.utf8.enumerated() { bytes[offset + index] = byte }
        for index in 148..<156 { bytes[offset + index] = 0x20 }
        let sum = bytes[offset..<(offset + 512)].reduce(0) { $0 + Int($1) }
        let octal = Array(String(sum, radix: 8).utf8)
        let field = [UInt8](repeating: UInt8(ascii: "0"), count: 6 - octal.count) + octal + [0, 0x20]
        for (index, byte) in field.enumerated() { bytes[offset + 148 + index] = byte }
    }

    @Test("an endless stream of zeros read as tar ends with an error", .timeLimit(.minutes(1)))
    func endlessZeros() throws {
        let result = try CLITests.pgdumpkit(["list", "-F", "t", "/dev/zero"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("could not find header for file \"toc.dat\""))
    }

    @Test("tar member names that leave the archive are refused", arguments: ["../../x", "/etc/passwd", "a/../../b"])
    func leavingNames(_ name: String) throws {
        let url = try Self.tarCopy { Self.renameMember(at: 0, to: name, in: &$0) }
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let result = try CLITests.pgdumpkit(["list", url.path])
        #expect(result.status == 1)
        #expect(result.standardError.contains("leaves the archive"), "\(result.standardError)")
    }

    @Test("verify finds a tar archive whose last member's padding is cut off, from a file and from a pipe")
    func truncatedTarPadding() throws {
        let url = try Self.tarCopy { bytes in
            // Everything up to the last byte of data that is not padding or the end-of-archive blocks.
            while bytes.last == 0 { bytes.removeLast() }
        }
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let file = try CLITests.pgdumpkit(["verify", "-q", url.path])
        #expect(file.status == 1)
        #expect(String(decoding: file.standardOutput, as: UTF8.self).contains("the archive is truncated"))
        let piped = try CLITests.pgdumpkit(["verify", "-q", "-"], inputFile: url.path, throughPipe: true)
        #expect(piped.status == 1)
        // The intact archive passes both ways.
        let intact = CLITests.path("archives/pg18/tar.tar")
        #expect(try CLITests.pgdumpkit(["verify", "-q", intact]).status == 0)
        #expect(try CLITests.pgdumpkit(["verify", "-q", "-"], inputFile: intact, throughPipe: true).status == 0)
    }

    /// A copy of the pg18 directory archive with its TOC rewritten by `edit`.
    static func directoryCopy(_ edit: (inout [TOCEntry]) throws -> Void) throws -> URL {
        let scratch = try ExtractCLITests.scratchDirectory()
        let source = Fixtures.testdata.appendingPathComponent("archives/pg18/directory-none")
        let copy = scratch.appendingPathComponent("archive")
        try FileManager.default.copyItem(at: source, to: copy)
        let reader = try Archive.open(path: source.path)
        var entries = reader.entries
        try edit(&entries)
        var builder = ArchiveBuilder(version: reader.header.version, entries: [])
        builder.header = reader.header
        try Data(builder.buildTOCFile(entries: entries)).write(to: copy.appendingPathComponent("toc.dat"))
        return copy
    }

    @Test("extract --all writes tables whose schema and name are 63-byte UTF-8 names")
    func longNames() throws {
        let longName = String(repeating: "€", count: 21)  // 63 bytes, PostgreSQL's limit
        #expect(longName.utf8.count == 63)
        let archive = try Self.directoryCopy { entries in
            let index = try #require(entries.firstIndex { $0.desc.equals("TABLE DATA") && $0.tag == "orders" })
            entries[index].namespace = ArchiveText(longName)
            entries[index].tag = ArchiveText(longName)
        }
        defer { try? FileManager.default.removeItem(at: archive.deletingLastPathComponent()) }
        let out = archive.deletingLastPathComponent().appendingPathComponent("out")
        let result = try CLITests.pgdumpkit(["extract", archive.path, "--all", "-o", out.path, "-q"])
        #expect(result.status == 0, "\(result.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        let long = try #require(names.first { $0.hasPrefix("%E2%82%AC") })
        #expect(long.utf8.count <= 255)
        #expect(!names.contains { $0.hasPrefix(".pgdumpkit-") })
    }

    @Test("data the TOC says was dumped but does not locate is refused by convert, as by sql and extract")
    func unlocatedData() throws {
        let archive = try Self.directoryCopy { entries in
            let index = try #require(entries.firstIndex { $0.desc.equals("TABLE DATA") && $0.tag == "orders" })
            entries[index].dataLocation = .file("")
        }
        defer { try? FileManager.default.removeItem(at: archive.deletingLastPathComponent()) }
        let out = archive.deletingLastPathComponent().appendingPathComponent("out.dump")
        let converted = try CLITests.pgdumpkit(["convert", archive.path, "-F", "c", "-o", out.path, "-q"])
        #expect(converted.status == 1)
        #expect(converted.standardError.contains("records no data"), "\(converted.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try CLITests.pgdumpkit(["extract", archive.path, "-t", "orders"]).status == 1)
    }

    @Test("names that are not valid UTF-8 in a UTF-8 archive are quoted as pg_restore 18 quotes them",
          .enabled(if: Fixtures.pgRestore(major: "18") != nil))
    func invalidUTF8Names() throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        func text(_ bytes: [UInt8]) -> ArchiveText { ArchiveText(bytes: bytes) }
        let schema = text([0x73, 0xC3])             // a truncated two-byte character
        let owner = text([0x61, 0xFF, 0x22, 0x62])  // an invalid byte before a quote
        let table = text([0x74, 0xE0, 0x80, 0xAF, 0xC3, 0xA9])  // an overlong form, then a valid é
        let entries: [(TOCEntry, [UInt8]?)] = [
            (TOCEntry(dumpID: 9, tag: "ENCODING", desc: "ENCODING", section: .preData,
                      defn: "SET client_encoding = 'UTF8';\n"), nil),
            (TOCEntry(dumpID: 10, tag: "STDSTRINGS", desc: "STDSTRINGS", section: .preData,
                      defn: "SET standard_conforming_strings = 'on';\n"), nil),
            (TOCEntry(dumpID: 3, tableOIDText: "2615", oidText: "16385", tag: schema, desc: "SCHEMA",
                      section: .preData, defn: "CREATE SCHEMA s;\n", dropStmt: "DROP SCHEMA s;\n", owner: owner), nil),
            (TOCEntry(dumpID: 4, tableOIDText: "1259", oidText: "16386", tag: table, desc: "TABLE", section: .preData,
                      defn: "CREATE TABLE t (id integer);\n", dropStmt: "DROP TABLE t;\n", namespace: schema,
                      tablespace: "", tableam: "heap", relkind: 114, owner: owner, dependencies: [3]), nil),
            (TOCEntry(dumpID: 12, tableOIDText: "2613", oidText: "16390", tag: "16390", desc: "BLOB METADATA",
                      section: .preData, defn: "16390\n", dropStmt: "16390\n", owner: owner), nil),
            (TOCEntry(dumpID: 8, hadDumper: true, tableOIDText: "0", oidText: "16386", tag: table, desc: "TABLE DATA",
                      section: .data, copyStmt: "COPY t (id) FROM stdin;\n", namespace: schema, owner: owner,
                      dependencies: [4]), Array("1\n\\.\n\n\n".utf8)),
        ]
        let scratch = try ExtractCLITests.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("names.dump")
        try Data(ArchiveBuilder(version: .v1_16, entries: entries).build()).write(to: file)
        for options in [[], ["--use-set-session-authorization"], ["-c", "--if-exists"], ["-a", "--disable-triggers"]] {
            let arguments = ["--restrict-key=K"] + options + [file.path]
            let theirs = try CommandRunner.run(oracle, ["-f", "-"] + arguments)
            try #require(theirs.status == 0, "\(theirs.standardError)")
            let ours = try CLITests.pgdumpkit(["sql"] + arguments)
            #expect(ours.status == 0, "\(ours.standardError)")
            #expect(ByteComparison.difference(actual: ours.standardOutput, expected: theirs.standardOutput) == nil,
                    "\(options)")
            #expect(theirs.standardOutput.contains(0xC0), "the case exercises pg's replacement")
        }
    }
}
