import Foundation
import PGDumpTestSupport
import Testing

/// What the commands that only describe an archive do with a damaged one: describe what is there, and say what
/// is missing.
@Suite struct DamagedArchiveCLITests {
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
}
