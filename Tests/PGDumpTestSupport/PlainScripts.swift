import Foundation
import Testing

/// The plain SQL scripts of `testdata/plain/` (copied from the shared corpus by `scripts/copy-plain-testdata.sh`):
/// chinook dumped by pg_dump 15–18 as a script and, by the same pg_dump, as a custom archive, with pg_restore 18's
/// renderings of that archive.
public enum PlainScripts {
    public static let root = Fixtures.testdata.appendingPathComponent("plain/chinook")
    public static let versions = ["15", "16", "17", "18"]

    /// The folder of pg_dump `version`'s files.
    public static func folder(_ version: String) -> URL { root.appendingPathComponent("pg\(version)") }

    /// The script `name` (`plain`, `plain-verbose`, `plain-inserts`, `plain-clean`, `plain-create`) of pg_dump
    /// `version` as a regular file: scripts stored gzipped are decompressed once into a temporary folder.
    public static func script(_ name: String = "plain", version: String = "18") throws -> String {
        let stored = folder(version).appendingPathComponent("\(name).sql")
        if FileManager.default.fileExists(atPath: stored.path) { return stored.path }
        let unpacked = unpackedFolder.appendingPathComponent("pg\(version)-\(name).sql")
        lock.lock()
        defer { lock.unlock() }
        if !FileManager.default.fileExists(atPath: unpacked.path) {
            let bytes = try ExpectedOutput.read(URL(fileURLWithPath: stored.path + ".gz"))
            let partial = unpacked.path + ".\(getpid()).part"
            try Data(bytes).write(to: URL(fileURLWithPath: partial))
            _ = rename(partial, unpacked.path)
        }
        return unpacked.path
    }

    private static let lock = NSLock()
    private static let unpackedFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-plain-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// One recorded `pg_restore-18 -f - … custom.dump` run, and the script whose rendering must equal it: the
    /// script written with `-c --if-exists` for `-c --if-exists`, with `-C` for `-C`, else `plain.sql`.
    public struct Case: Sendable, CustomTestStringConvertible, CustomStringConvertible {
        public var version: String
        public var arguments: [String]
        public var expected: URL
        public var scriptName: String
        public var testDescription: String {
            "pg\(version) \(scriptName) \(arguments.joined(separator: " "))"
        }
        public var description: String { testDescription }
    }

    /// Every recorded script rendering (not the listings) of every version whose output was copied.
    public static let cases: [Case] = {
        var cases: [Case] = []
        for version in versions {
            let expected = folder(version).appendingPathComponent("expected")
            guard let text = try? String(contentsOf: expected.appendingPathComponent("commands.txt"), encoding: .utf8)
            else { continue }
            for line in text.split(separator: "\n") {
                // pg_restore-18 -f - --restrict-key=CORPUSKEY [options] custom.dump > expected/OUT   # exit 0
                let words = line.split(separator: " ").map(String.init)
                guard let redirect = words.firstIndex(of: ">"), words.contains("-f"), words.count > redirect + 1 else {
                    continue
                }
                let output = String(words[redirect + 1].dropFirst("expected/".count))
                guard FileManager.default.fileExists(atPath: expected.appendingPathComponent(output).path)
                    || FileManager.default.fileExists(atPath: expected.appendingPathComponent(output + ".gz").path)
                else { continue }
                let arguments = Array(words[1..<(redirect - 1)]).filter { $0 != "-f" && $0 != "-" }
                let scriptName = arguments.contains("-c") ? "plain-clean" : arguments.contains("-C") ? "plain-create" : "plain"
                cases.append(Case(
                    version: version, arguments: arguments, expected: expected.appendingPathComponent(output),
                    scriptName: scriptName))
            }
        }
        return cases
    }()
}
