import Foundation

/// Runs a program and captures what it printed.
public struct CommandResult: Sendable {
    public var status: Int32
    public var standardOutput: [UInt8]
    public var standardError: String
}

public enum CommandRunner {
    /// The pgdumpkit binary built beside the tests (`PGDUMPKIT_BINARY` overrides).
    public static var pgdumpkit: URL {
        if let path = ProcessInfo.processInfo.environment["PGDUMPKIT_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // The test bundle lives in the build directory, beside the products.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("pgdumpkit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/pgdumpkit")
    }

    /// The `XDG_CACHE_HOME` of the programs run (pgdumpkit keeps plain-script indexes there): one folder per test
    /// process, removed when the process exits. Tests that look into the cache pass their own.
    public static let cacheFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-test-cache-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-test-cache-\(getpid())")
            try? FileManager.default.removeItem(at: url)
        }
        return url
    }()

    /// Runs `executable` with `arguments`, standard input from `inputFile` (or nothing), TZ=UTC, in
    /// `workingDirectory` (or the tests' own). With `throughPipe`, the file is fed through a pipe, so the program
    /// cannot seek in it.
    public static func run(
        _ executable: URL, _ arguments: [String], inputFile: String? = nil, throughPipe: Bool = false,
        environment: [String: String] = [:], workingDirectory: URL? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        // Plain-script indexes go to a cache folder of this test process, never the user's.
        env["XDG_CACHE_HOME"] = cacheFolder.path
        env["PGDUMPKIT_NO_CACHE"] = nil
        env["PGDUMPKIT_DEBUG_CACHE"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        var feeder: Thread?
        if let inputFile, throughPipe {
            let pipe = Pipe()
            process.standardInput = pipe
            let contents = try Data(contentsOf: URL(fileURLWithPath: inputFile))
            feeder = Thread {
                // The program may stop reading early; a broken pipe is not a failure here.
                signal(SIGPIPE, SIG_IGN)
                try? pipe.fileHandleForWriting.write(contentsOf: contents)
                try? pipe.fileHandleForWriting.close()
            }
        } else if let inputFile {
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputFile))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        feeder?.start()
        // Drain stderr on another thread so neither pipe can fill and block the child.
        nonisolated(unsafe) var errorData = Data()
        let drain = Thread { errorData = error.fileHandleForReading.readDataToEndOfFile() }
        drain.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while drain.isExecuting || !drain.isFinished { usleep(1000) }
        return CommandResult(
            status: process.terminationStatus, standardOutput: Array(outputData),
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}
