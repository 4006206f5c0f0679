import Foundation
import PGDumpTestSupport
import Testing

/// `pgdumpkit verify` and `info --tables`, run as a program: reports, exit statuses, damage.
@Suite struct VerifyCLITests {
    @Test("verify exits 0 on every testdata archive, with one line per data entry and a summary",
          arguments: Fixtures.archiveCases)
    func intact(_ archive: Fixtures.ArchiveCase) throws {
        let result = try CLITests.pgdumpkit(["verify", archive.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError == "" || !archive.isFixture)
        let lines = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n")
        #expect(lines.first?.hasPrefix("Archive: \(archive.path) (\(archive.format), ") == true)
        #expect(lines[1].hasSuffix("rows  bytes  stored  entry"))
        #expect(lines.last?.hasPrefix("ok: ") == true)
        guard archive.isFixture else { return }
        #expect(lines.contains { $0.hasSuffix("  app.orders") && $0.contains(" 60  ") })
        #expect(lines.last?.hasPrefix("ok: ") == true)
        #expect(lines.last?.hasSuffix(" 25 tables, 2348 rows, 43.4 KiB (44395 bytes); 4 large objects, 47.4 KiB (48549 bytes); no problems") == true)
    }

    @Test("verify reads standard input, also through a pipe")
    func standardInput() throws {
        for throughPipe in [false, true] {
            let result = try CLITests.pgdumpkit(
                ["verify", "-q"], inputFile: CLITests.path("archives/pg17/custom-lz4.dump"), throughPipe: throughPipe)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(String(decoding: result.standardOutput, as: UTF8.self).hasPrefix("Archive: - (custom, lz4, "))
        }
    }

    @Test("verify --json")
    func json() throws {
        let result = try CLITests.pgdumpkit(["verify", "--json", CLITests.path("archives/pg16/tar.tar")])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as! [String: Any]
        #expect(object["ok"] as? Bool == true)
        #expect(object["format"] as? String == "tar")
        #expect((object["entries"] as? [[String: Any]])?.count == 26)
        #expect((object["problems"] as? [Any])?.isEmpty == true)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["rows"] as? Int == 2348)
        #expect(summary["largeObjects"] as? Int == 4)
    }

    @Test("a damaged copy: each problem on its own line with file, offset and entry; exit status 1")
    func damaged() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = scratch.appendingPathComponent("archive")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: CLITests.path("archives/pg17/directory-default")), to: directory)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("3782.dat.gz"))
        let file = directory.appendingPathComponent("3785.dat.gz")
        var bytes = try Fixtures.bytes(file)
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: file)

        let result = try CLITests.pgdumpkit(["verify", directory.path])
        #expect(result.status == 1)
        #expect(result.standardError == "pgdumpkit: error: \(directory.path): 2 problems found\n")
        let lines = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
        let problems = lines.filter { $0.hasPrefix("problem: ") }
        #expect(problems.count == 2)
        #expect(problems.contains { $0.hasPrefix("problem: \(file.path): offset ") && $0.contains(": entry 3785 (TABLE DATA app.events): could not decompress gzip data: ") })
        #expect(problems.contains("problem: \(directory.path): entry 3782 (TABLE DATA app.orders): data file 3782.dat is missing (also looked for 3782.dat.gz, 3782.dat.lz4 and 3782.dat.zst)"))
        #expect(lines.contains { $0.hasSuffix("app.events (damaged: see below)") })
        #expect(lines.last?.hasPrefix("FAILED: 2 problems; ") == true)
    }

    @Test("an input that is not an archive is one problem, exit status 1")
    func notAnArchive() throws {
        let result = try CLITests.pgdumpkit(["verify", CLITests.path("README.md")])
        #expect(result.status == 1)
        #expect(String(decoding: result.standardOutput, as: UTF8.self).contains("problem: \(CLITests.path("README.md")): "))
    }

    @Test("info --tables shows each table's rows and sizes, as text and JSON")
    func infoTables() throws {
        let archive = CLITests.path("archives/pg18/custom-gzip9.dump")
        let plain = try CLITests.pgdumpkit(["info", archive])
        let text = try CLITests.pgdumpkit(["info", "--tables", archive])
        #expect(text.status == 0)
        let output = String(decoding: text.standardOutput, as: UTF8.self)
        #expect(output.hasPrefix(String(decoding: plain.standardOutput, as: UTF8.self) + "Tables:\n"))
        #expect(output.contains("\n  2000  26898"))
        #expect(output.hasSuffix(" history.vehicles\n"))
        let json = try CLITests.pgdumpkit(["info", "--tables", "--json", archive])
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput)) as! [String: Any]
        let tables = try #require(object["tables"] as? [[String: Any]])
        #expect(tables.count == 25)
        #expect(tables.first { $0["tag"] as? String == "orders" }?["rows"] as? Int == 60)
        #expect(object["tocCount"] != nil)
    }
}
