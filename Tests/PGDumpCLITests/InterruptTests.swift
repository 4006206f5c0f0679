import Foundation
import PGDumpTestSupport
import Testing

/// An interrupted command leaves nothing behind: temporary output is removed on SIGINT, SIGTERM and SIGHUP.
@Suite struct InterruptTests {
    @Test("an interrupted convert or sql -f leaves no file behind", arguments: [
        (["convert", "-", "-F", "d", "-o"], Int32(SIGINT)), (["convert", "-", "-F", "c", "-o"], SIGTERM),
        (["convert", "-", "-F", "t", "-o"], SIGHUP), (["sql", "-", "-f"], SIGINT),
    ])
    func interrupted(_ arguments: [String], _ signal: Int32) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-int-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = try Data(contentsOf: Fixtures.testdata.appendingPathComponent("archives/pg18/custom-none.dump"))

        let process = Process()
        process.executableURL = CommandRunner.pgdumpkit
        process.arguments = arguments + [scratch.appendingPathComponent("out").path]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Half the archive, then nothing more: the command waits for the rest, with its output half-written.
        try input.fileHandleForWriting.write(contentsOf: archive.prefix(archive.count / 2))
        var waited = 0
        while waited < 100, (try FileManager.default.contentsOfDirectory(atPath: scratch.path)).isEmpty {
            usleep(20_000)
            waited += 1
        }
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: scratch.path)).isEmpty,
                "the temporary output exists while the command runs")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationStatus == 128 + signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }
}

/// Output to a device or FIFO is written directly: `-f /dev/null` must never replace /dev/null.
@Suite struct DeviceOutputTests {
    @Test("sql -f /dev/null and convert -o /dev/null write to the device and leave it a device")
    func devNull() throws {
        let archive = CLITests.path("archives/pg18/custom-none.dump")
        #expect(try CLITests.pgdumpkit(["sql", "-f", "/dev/null", archive]).status == 0)
        #expect(try CLITests.pgdumpkit(["convert", archive, "-o", "/dev/null", "-F", "c"]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
    }
}
