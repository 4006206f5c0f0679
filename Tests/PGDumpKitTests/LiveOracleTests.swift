import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// When the real pg_restore binaries are installed (`scripts/install-oracles.sh`; `make test` does it), compare
/// against them live rather than only against the recorded outputs.
@Suite(.enabled(if: Fixtures.pgRestore(major: "18") != nil, "pg_restore oracles are not installed"))
struct LiveOracleTests {
    init() { TimeZoneSetting.useUTC() }

    static func listing(_ path: String) throws -> [UInt8] {
        let reader = try Archive.open(path: path)
        return ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
    }

    @Test("list equals live pg_restore -l", arguments: Fixtures.archiveCases)
    func testdataArchive(_ archive: Fixtures.ArchiveCase) throws {
        let oracle = try #require(Fixtures.pgRestore(major: archive.oracleMajor))
        let result = try CommandRunner.run(oracle, ["-l", archive.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(ByteComparison.difference(actual: try Self.listing(archive.path), expected: result.standardOutput) == nil)
    }

    @Test("list -v equals live pg_restore -l -v", arguments: Fixtures.archiveCases.filter { $0.oracleMajor == "18" })
    func verboseListing(_ archive: Fixtures.ArchiveCase) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let result = try CommandRunner.run(oracle, ["-l", "-v", archive.path])
        #expect(result.status == 0, "\(result.standardError)")
        let reader = try Archive.open(path: archive.path)
        var options = RestoreOptions()
        options.verbose = true
        let ours = ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count,
            options: options)
        #expect(ByteComparison.difference(actual: ours, expected: result.standardOutput) == nil)
    }

    @Test("list equals live pg_restore -l on the shared corpus",
          .enabled(if: Fixtures.sharedCorpus != nil, Fixtures.sharedCorpusSkipped),
          .enabled(if: Fixtures.pgRestore(major: "18") != nil, "no pg_restore 18 among the oracles (scripts/install-oracles.sh)"),
          arguments: SharedCorpus.listCases.filter {
        !$0.expected.path.contains("/restore-pg")
    })
    func sharedCorpusArchive(_ listCase: SharedCorpus.ListCase) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let result = try CommandRunner.run(oracle, ["-l", listCase.archive.path])
        try #require(result.status == 0, "\(result.standardError)")
        #expect(ByteComparison.difference(actual: try Self.listing(listCase.archive.path), expected: result.standardOutput) == nil)
    }

    /// Archives of every version from 1.0 to 1.16, built byte by byte (`ArchiveVersionTests` reads them).
    @Test("list matches live pg_restore 18 for every version", .enabled(if: Fixtures.pgRestore(major: "18") != nil),
          arguments: SampleTOC.archiveVersions)
    func listMatchesPgRestore(_ version: ArchiveVersion) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-v\(version)-\(UUID()).dump")
        defer { try? FileManager.default.removeItem(at: file) }
        let bytes = ArchiveBuilder(version: version, entries: SampleTOC.smallDatabase()).build()
        try Data(bytes).write(to: file)
        let theirs = try CommandRunner.run(oracle, ["-l", file.path])
        try #require(theirs.status == 0, "\(theirs.standardError)")
        let reader = try Archive.open(path: file.path)
        var ours = ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
        var expected = theirs.standardOutput
        if version < .v1_4 {
            // Without a stored date both print the time they ran; compare the rest.
            ours = Self.droppingLine(2, of: ours)
            expected = Self.droppingLine(2, of: expected)
        }
        #expect(ByteComparison.difference(actual: ours, expected: expected) == nil)
    }

    static func droppingLine(_ number: Int, of bytes: [UInt8]) -> [UInt8] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        lines.remove(at: number - 1)
        return Array(lines.joined(separator: [0x0A]))
    }

    @Test("pg_restore and pgdumpkit agree on what is not an archive")
    func notAnArchive() throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputs: [(String, Data)] = [
            ("empty", Data()), ("short", Data("hello".utf8)),
            ("noise", Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })),
        ]
        for (name, contents) in inputs {
            let path = scratch.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: path, contents: contents)
            let theirs = try CommandRunner.run(oracle, ["-l", path])
            #expect(theirs.status == 1)
            let error = #expect(throws: PGDumpError.self) { _ = try Archive.open(path: path) }
            // pg_restore says "pg_restore: error: <message>"; ours carries the file name in front.
            let message = theirs.standardError.replacingOccurrences(of: "pg_restore: error: ", with: "")
                .trimmingCharacters(in: .newlines)
            #expect(error?.message == message, "\(name)")
        }
        // A pg_dump script, which pg_restore refuses ("please use psql"), is read as one.
        let script = scratch.appendingPathComponent("plain.sql").path
        _ = FileManager.default.createFile(
            atPath: script, contents: Data("--\n-- PostgreSQL database dump\n--\n\nSET x = 1;\n".utf8))
        #expect(try CommandRunner.run(oracle, ["-l", script]).standardError
            == "pg_restore: error: input file appears to be a text format dump. Please use psql.\n")
        #expect(try Archive.open(path: script).format == .plain)
    }
}
