import Foundation
import PGDumpTestSupport
import Testing

/// The commands with the plain-script index cache: a second command on a script reads the index the first
/// wrote, and prints exactly what it prints without one (`PGDUMPKIT_NO_CACHE=1`). Each test has a cache folder of
/// its own (`XDG_CACHE_HOME`), removed at its end.
@Suite struct PlainIndexCacheCLITests {
    final class CacheHome {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-cache-home-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        var indexFolder: String { url.appendingPathComponent("pgdumpkit/plain-index").path }
        var indexFiles: [String] { (try? FileManager.default.contentsOfDirectory(atPath: indexFolder)) ?? [] }

        /// Runs pgdumpkit with this cache and its debug notes on; `cached: false` turns the cache off.
        func run(_ arguments: [String], cached: Bool = true, inputFile: String? = nil, throughPipe: Bool = false) throws -> CommandResult {
            var environment = ["XDG_CACHE_HOME": url.path, "PGDUMPKIT_DEBUG_CACHE": "1"]
            if !cached { environment["PGDUMPKIT_NO_CACHE"] = "1" }
            return try CommandRunner.run(
                CommandRunner.pgdumpkit, arguments, inputFile: inputFile, throughPipe: throughPipe, environment: environment)
        }
    }

    /// Standard error without the cache's debug notes.
    static func messages(_ result: CommandResult) -> [Substring] {
        result.standardError.split(separator: "\n").filter { !$0.hasPrefix("pgdumpkit: debug: index cache: ") }
    }

    /// A listing of a script without -v prints the time it was made as its creation time: that line aside.
    static func comparable(_ output: [UInt8]) -> [Substring] {
        String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("; Archive created at ") }
    }

    static let commands: [[String]] = [
        ["list"], ["list", "--json"], ["info"], ["sql", "--restrict-key=K"], ["sql", "--restrict-key=K", "-t", "track"],
        ["sql", "--restrict-key=K", "-s"], ["sql", "--restrict-key=K", "-a", "-n", "public"],
        ["extract", "-t", "invoice_line", "--to", "csv", "-o", "-"], ["extract", "-t", "artist", "--to", "jsonl", "-o", "-"],
    ]

    static let scripts: [(String, String)] = [
        ("plain", "15"), ("plain", "16"), ("plain", "17"), ("plain", "18"), ("plain-verbose", "18"), ("plain-inserts", "18"),
        ("plain-clean", "18"), ("plain-create", "18"),
    ]

    @Test("every command prints the same with the index as without, and the second run reads the index",
          arguments: scripts)
    func sameOutput(_ name: String, _ version: String) throws {
        let home = try CacheHome()
        let script = try PlainScripts.script(name, version: version)
        for (position, command) in Self.commands.enumerated() {
            let arguments = command + [script]
            let uncached = try home.run(arguments, cached: false)
            let cached = try home.run(arguments)
            #expect(uncached.status == cached.status, "\(arguments)")
            #expect(Self.comparable(cached.standardOutput) == Self.comparable(uncached.standardOutput), "\(arguments)")
            #expect(Self.messages(cached) == Self.messages(uncached), "\(arguments)")
            let used = cached.standardError.contains("pgdumpkit: debug: index cache: used the index ")
            #expect(used == (position > 0), "\(arguments): \(cached.standardError)")
            #expect(!uncached.standardError.contains("index cache"), "no notes without a cache")
        }
        #expect(home.indexFiles.count == 1, "one index per script: \(home.indexFiles)")
    }

    @Test("the scripts of testdata/plain-real print the same listing and rendering with the index as without",
          arguments: PlainRealDumps.scriptCases)
    func realScripts(_ real: PlainRealDumps.Case) throws {
        let home = try CacheHome()
        let script = try real.scriptPath
        for command in [["list"], ["sql"] + real.restoreOptions] {
            let uncached = try home.run(command + [script], cached: false)
            _ = try home.run(command + [script])
            let cached = try home.run(command + [script])
            #expect(cached.status == uncached.status)
            #expect(Self.comparable(cached.standardOutput) == Self.comparable(uncached.standardOutput), "\(command)")
            #expect(Self.messages(cached) == Self.messages(uncached), "\(command)")
        }
    }

    @Test("PGDUMPKIT_NO_CACHE=1 writes nothing; standard input and compressed scripts are not cached")
    func notCached() throws {
        let home = try CacheHome()
        let script = try PlainScripts.script()
        #expect(try home.run(["list", script], cached: false).status == 0)
        #expect(!FileManager.default.fileExists(atPath: home.url.appendingPathComponent("pgdumpkit").path))
        #expect(try home.run(["list", "-"], inputFile: script).status == 0)
        #expect(try home.run(["list", "-"], inputFile: script, throughPipe: true).status == 0)
        let compressed = PlainScripts.folder("18").appendingPathComponent("plain.sql.gz").path
        #expect(try home.run(["list", compressed]).status == 0)
        #expect(try home.run(["list", compressed]).status == 0)
        #expect(home.indexFiles.isEmpty, "\(home.indexFiles)")
    }

    @Test("verify reads the whole script even when an index exists")
    func verifyReadsTheScript() throws {
        let home = try CacheHome()
        let script = try PlainScripts.script()
        #expect(try home.run(["list", script]).status == 0)
        #expect(home.indexFiles.count == 1)
        let verified = try home.run(["verify", script])
        #expect(verified.status == 0, "\(verified.standardError)")
        #expect(!verified.standardError.contains("index cache"), "\(verified.standardError)")
    }

    @Test("an unusable cache folder changes nothing but speed, and says nothing without the debug notes")
    func unusableCache() throws {
        let home = try CacheHome()
        let script = try PlainScripts.script()
        // XDG_CACHE_HOME is a regular file: nothing can be created beneath it.
        let file = home.url.appendingPathComponent("not-a-folder").path
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        let reference = try home.run(["sql", "--restrict-key=K", script], cached: false)
        for debug in ["1", "0"] {
            let result = try CommandRunner.run(
                CommandRunner.pgdumpkit, ["sql", "--restrict-key=K", script],
                environment: ["XDG_CACHE_HOME": file, "PGDUMPKIT_DEBUG_CACHE": debug])
            #expect(result.status == 0)
            #expect(result.standardOutput == reference.standardOutput)
            #expect(result.standardError.contains("not cached: could not create") == (debug == "1"), "\(result.standardError)")
        }
    }
}
