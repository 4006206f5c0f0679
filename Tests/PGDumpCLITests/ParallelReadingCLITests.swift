import Foundation
import PGDumpTestSupport
import Testing

/// `-j N` reads several entries' data at once and writes strictly in archive order: the output must not depend
/// on N, for every testdata archive (each format and compression) and the sample database.
@Suite struct ParallelReadingCLITests {
    static let restrictKey = "ParallelReadingTests"

    static let archives: [String] = Fixtures.archiveCases.map(\.path)
        + [Fixtures.testdata.appendingPathComponent("sample/chinook.dump").path]

    /// Runs one command at `-j 1` and `-j 4` and expects the same status, output and messages.
    func expectSameOutput(_ command: [String], archive: String) throws {
        let sequential = try CLITests.pgdumpkit(command + ["-j", "1", archive])
        let parallel = try CLITests.pgdumpkit(command + ["-j", "4", archive])
        #expect(sequential.status == parallel.status, "\(parallel.standardError)")
        #expect(ByteComparison.difference(actual: parallel.standardOutput, expected: sequential.standardOutput) == nil)
        #expect(parallel.standardError == sequential.standardError)
    }

    @Test("sql writes the same script at -j 1 and -j 4", arguments: archives)
    func sqlScript(_ archive: String) throws {
        try expectSameOutput(["sql", "--restrict-key", Self.restrictKey], archive: archive)
    }

    @Test("sql -a and sql with a reordered selection write the same at -j 1 and -j 4", arguments: archives)
    func sqlDataOnly(_ archive: String) throws {
        try expectSameOutput(["sql", "--restrict-key", Self.restrictKey, "-a"], archive: archive)
        // -v adds data positions and file names; its start and end times are taken out of the comparison.
        let sequential = try CLITests.pgdumpkit(["sql", "--restrict-key", Self.restrictKey, "-v", "-j", "1", archive])
        let parallel = try CLITests.pgdumpkit(["sql", "--restrict-key", Self.restrictKey, "-v", "-j", "4", archive])
        #expect(sequential.status == parallel.status)
        #expect(Self.withoutTimes(parallel.standardOutput) == Self.withoutTimes(sequential.standardOutput))
    }

    @Test("sql read through a pipe at -j 4 equals -j 1 from the file", arguments: Fixtures.archiveCases.filter { $0.format != "directory" })
    func sqlThroughPipe(_ archive: Fixtures.ArchiveCase) throws {
        let sequential = try CLITests.pgdumpkit(["sql", "--restrict-key", Self.restrictKey, "-j", "1", archive.path])
        let piped = try CLITests.pgdumpkit(
            ["sql", "--restrict-key", Self.restrictKey, "-j", "4", "-"], inputFile: archive.path, throughPipe: true)
        #expect(piped.status == sequential.status, "\(piped.standardError)")
        #expect(ByteComparison.difference(actual: piped.standardOutput, expected: sequential.standardOutput) == nil)
    }

    @Test("verify reports the same at -j 1 and -j 4, as text and as JSON", arguments: archives)
    func verifyReport(_ archive: String) throws {
        try expectSameOutput(["verify", "-q"], archive: archive)
        try expectSameOutput(["verify", "-q", "--json"], archive: archive)
    }

    @Test("verify of a damaged archive reports the same problems at -j 1 and -j 4", arguments: [
        "archives/pg18/custom-default.dump", "archives/pg16/custom-default.dump", "archives/pg17/directory-default",
    ])
    func verifyDamaged(_ relative: String) throws {
        let source = Fixtures.testdata.appendingPathComponent(relative)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-parallel-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        // Damage the largest data file (directory) or two bytes four fifths into the file (custom: in the data).
        var target = copy
        if (try? copy.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            let files = try FileManager.default.contentsOfDirectory(at: copy, includingPropertiesForKeys: [.fileSizeKey])
                .filter { $0.lastPathComponent != "toc.dat" }
            target = try #require(files.max {
                (try? $0.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) ?? 0
                    < (try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) ?? 0
            })
        }
        var bytes = try [UInt8](Data(contentsOf: target))
        let position = target == copy ? bytes.count * 4 / 5 : bytes.count / 2
        bytes[position] ^= 0x5A
        bytes[position + 1] ^= 0xA5
        try Data(bytes).write(to: target)
        let sequential = try CLITests.pgdumpkit(["verify", "-q", "-j", "1", copy.path])
        let parallel = try CLITests.pgdumpkit(["verify", "-q", "-j", "4", copy.path])
        #expect(sequential.status == 1, "the damage is found")
        #expect(parallel.status == sequential.status)
        #expect(ByteComparison.difference(actual: parallel.standardOutput, expected: sequential.standardOutput) == nil)
        #expect(parallel.standardError == sequential.standardError)
    }

    @Test("a tar file with a damaged member header is read and reported as by one thread", arguments: ["pg17", "pg18"])
    func tarDamagedHeader(_ version: String) throws {
        let source = Fixtures.testdata.appendingPathComponent("archives/\(version)/tar.tar")
        var bytes = try [UInt8](Data(contentsOf: source))
        // The last member header (its "ustar" magic is 257 bytes in): one byte of its name, so its checksum fails.
        let magic = Array("ustar".utf8)
        let header = try #require(stride(from: bytes.count - 512, through: 512, by: -512).first { offset in
            Array(bytes[(offset + 257)..<(offset + 262)]) == magic
        })
        bytes[header] ^= 0x01
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-parallel-\(UUID().uuidString).tar")
        try Data(bytes).write(to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let sequential = try CLITests.pgdumpkit(["verify", "-q", "-j", "1", copy.path])
        #expect(sequential.status == 1, "the damage is found")
        try expectSameOutput(["verify", "-q"], archive: copy.path)
        try expectSameOutput(["sql", "--restrict-key", Self.restrictKey], archive: copy.path)
    }

    @Test("without -j, --single-transaction is accepted; with -j 2 it is refused as pg_restore refuses it")
    func singleTransactionWithDefaultJobs() throws {
        let archive = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump").path
        let accepted = try CLITests.pgdumpkit(["sql", "--restrict-key", Self.restrictKey, "-1", archive])
        #expect(accepted.status == 0, "\(accepted.standardError)")
        let refused = try CLITests.pgdumpkit(["sql", "-1", "-j", "2", archive])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("cannot specify both --single-transaction and multiple jobs"))
    }

    /// The script without the `-- Started on` and `-- Completed on` lines of `-v`.
    static func withoutTimes(_ script: [UInt8]) -> [Substring] {
        String(decoding: script, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("-- Started on") && !$0.hasPrefix("-- Completed on") }
    }
}
