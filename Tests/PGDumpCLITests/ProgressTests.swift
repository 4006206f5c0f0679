import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Progress on standard error: drawn on a terminal while a long command runs (updated inside a large entry, erased
/// at the end), printed as lines elsewhere only with --progress, silenced by -q.
@Suite struct ProgressTests {
    /// A custom archive with one table of `megabytes` MiB of COPY data, stored uncompressed.
    static func largeArchive(megabytes: Int, at path: String) throws {
        var chunk: [UInt8] = []
        var row = 0
        while chunk.count < 1 << 20 {
            row += 1
            chunk += Array("\(row)\n".utf8)
        }
        var data: [UInt8] = []
        data.reserveCapacity(megabytes * chunk.count + 8)
        for _ in 0..<megabytes { data += chunk }
        data += Array("\\.\n\n\n".utf8)
        let entries = SampleTOC.smallDatabase().map { entry, bytes in (entry, bytes == nil ? nil : data) }
        let archive = ArchiveBuilder(version: .v1_16, entries: entries).build()
        #expect(FileManager.default.createFile(atPath: path, contents: Data(archive)))
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// What one run of a long convert showed on a terminal.
    struct TerminalRun {
        var status: Int32
        var raw: [UInt8]
        /// Seconds from starting the program to its first drawing.
        var firstDrawing: Double?
        /// Each text drawn after "\r ESC [K".
        var lines: [String] {
            String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\u{1B}[K").filter { !$0.isEmpty }
        }
    }

    static func convertOnTerminal(_ input: String, to output: String) throws -> TerminalRun {
        try? FileManager.default.removeItem(atPath: output)
        let (master, slave) = try #require(PseudoTerminal.open())
        defer { close(master) }
        var size = winsize(ws_row: 24, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)

        let process = Process()
        process.executableURL = CommandRunner.pgdumpkit
        // gzip at level 9 on one thread: seconds of work in one entry.
        process.arguments = ["convert", input, "--to", "c", "-Z", "gzip:9", "-j", "1", "-o", output]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let start = Date()
        try process.run()

        var run = TerminalRun(status: -1, raw: [])
        var buffer = [UInt8](repeating: 0, count: 4096)
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while true {
            if poll(&poller, 1, 100) > 0, case let count = read(master, &buffer, buffer.count), count > 0 {
                run.raw += buffer[..<count]
                if run.firstDrawing == nil { run.firstDrawing = Date().timeIntervalSince(start) }
                continue
            }
            guard process.isRunning else { break }
        }
        // What is left once the program has ended.
        while poll(&poller, 1, 50) > 0, case let count = read(master, &buffer, buffer.count), count > 0 {
            run.raw += buffer[..<count]
        }
        process.waitUntilExit()
        run.status = process.terminationStatus
        return run
    }

    @Test("a long convert shows bytes, percent, rate and time left on a terminal within a second, redrawn inside the entry, erased at the end")
    func terminal() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("large.dump").path
        try Self.largeArchive(megabytes: 48, at: input)
        let output = scratch.appendingPathComponent("out.dump").path

        // The first drawing comes a quarter of a second after the data starts. A loaded machine (the suite runs
        // in parallel) can delay a start by as much: a second run is allowed for that one timing.
        var run = try Self.convertOnTerminal(input, to: output)
        if run.firstDrawing.map({ $0 >= 1.0 }) == true { run = try Self.convertOnTerminal(input, to: output) }
        #expect(run.status == 0)
        #expect(run.firstDrawing.map { $0 < 1.0 } == true, "first drawing after \(run.firstDrawing ?? -1) s")

        let lines = run.lines
        #expect(lines.count >= 3, "\(lines.count) drawings: \(lines)")
        for line in lines {
            #expect(line.hasPrefix("converting "), "\(line)")
            #expect(line.hasSuffix("app.items (1/1)"), "\(line)")
        }
        let percents = lines.compactMap { line in
            line.split(separator: " ").dropFirst().first.flatMap { Int($0.dropLast()) }
        }
        #expect(percents.count == lines.count)
        #expect(percents == percents.sorted() && (percents.first ?? 0) < (percents.last ?? 0), "\(percents)")
        #expect(lines.contains { $0.contains(" of 48.") && $0.contains("/s") && $0.contains(" left") }, "\(lines)")
        // Erased at the end: the last thing written is the erasing sequence itself, and no line was ended.
        #expect(run.raw.suffix(4) == Array("\r\u{1B}[K".utf8))
        #expect(!run.raw.contains(UInt8(ascii: "\n")))
        #expect(try CLITests.pgdumpkit(["list", output]).status == 0)
    }

    @Test("elsewhere: nothing by default, lines and a last line with --progress, nothing with -q")
    func lines() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = CLITests.path("sample/chinook.dump")
        let output = scratch.appendingPathComponent("out").path
        let cases: [(arguments: [String], verb: String)] = [
            (["convert", input, "--to", "d", "-o", output], "converted"),
            (["verify", input], "verified"),
            (["extract", input, "-t", "track", "-o", output], "extracted"),
            (["sql", input, "-f", output], "wrote SQL"),
            (["info", "--tables", input], "read"),
        ]
        for (arguments, verb) in cases {
            func run(_ extra: [String]) throws -> CommandResult {
                try? FileManager.default.removeItem(atPath: output)
                let result = try CLITests.pgdumpkit(arguments + extra)
                #expect(result.status == 0, "\(arguments + extra): \(result.standardError)")
                return result
            }
            let plain = try run([])
            #expect(plain.standardError.isEmpty, "\(arguments): \(plain.standardError)")
            let shown = try run(["--progress"])
            let last = shown.standardError.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last.hasPrefix("\(verb) 100%  "), "\(arguments): \(shown.standardError)")
            #expect(!shown.standardError.contains("\u{1B}"))
            let silenced = try run(["--progress", "-q"])
            #expect(silenced.standardError.isEmpty, "\(arguments): \(silenced.standardError)")
        }
    }

    /// posix_openpt and friends, which Swift's Glibc module does not export, looked up in the C library.
    enum PseudoTerminal {
        static func function<T>(_ name: String, as type: T.Type) -> T? {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
            return unsafeBitCast(symbol, to: type)
        }

        /// The master and slave descriptors of a new pseudo-terminal.
        static func open() -> (Int32, Int32)? {
            typealias OpenFunction = @convention(c) (Int32) -> Int32
            typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
            guard let openpt = function("posix_openpt", as: OpenFunction.self),
                  let grant = function("grantpt", as: OpenFunction.self),
                  let unlock = function("unlockpt", as: OpenFunction.self),
                  let name = function("ptsname", as: NameFunction.self)
            else { return nil }
            let master = openpt(O_RDWR | O_NOCTTY)
            guard master >= 0, grant(master) == 0, unlock(master) == 0, let path = name(master) else { return nil }
            let slave = Glibc.open(path, O_RDWR | O_NOCTTY)
            guard slave >= 0 else { return nil }
            return (master, slave)
        }
    }

    @Test("sizes and durations read as people write them")
    func figures() throws {
        // The CLI's own formatting is internal; its shape is checked through a pipe-fed convert's last line.
        let result = try CLITests.pgdumpkit(
            ["convert", "-", "--to", "c", "-o", "-", "--progress"], inputFile: CLITests.path("sample/chinook.dump"),
            throughPipe: true)
        #expect(result.status == 0)
        let last = result.standardError.split(separator: "\n").last.map(String.init) ?? ""
        // A pipe has no size: bytes read, time and rate, no total.
        #expect(last.range(of: #"^converted 100%  1[0-9]{2}(\.[0-9])? KiB in [0-9]+\.[0-9] s  [0-9.]+ [KMG]iB/s$"#, options: .regularExpression) != nil, "\(last)")
    }
}
