import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `testdata/plain-real/` (written by `scripts/make-testdata.sh --plain`): real pg_dump 15-18 scripts of the
/// fixture and legacy databases, each with the custom archive the same pg_dump wrote of the same database, and
/// pg_dumpall scripts with each database's archive.
public enum PlainRealDumps {
    public static let root = Fixtures.testdata.appendingPathComponent("plain-real")

    /// One line of `CASES.tsv`.
    public struct Case: Sendable, CustomTestStringConvertible, CustomStringConvertible {
        /// The gzipped script and archive, relative to `root`.
        public var script: String
        public var custom: String
        public var pgDumpVersion: String
        public var database: String
        public var variant: String
        public var testDescription: String { "\(script) (\(database))" }
        public var description: String { testDescription }

        /// The options that make pg_restore render the archive as pg_dump rendered the script: what the script
        /// was written with and pg_restore also has.
        public var restoreOptions: [String] {
            var options = ["--restrict-key=TESTKEY"]
            switch variant {
            case "clean": options += ["-c", "--if-exists"]
            case "create", "verbose-create": options += ["-C"]
            case "session-auth": options += ["--use-set-session-authorization"]
            case "no-owner-acl": options += ["-O"]
            default: break
            }
            return options
        }

        public var scriptPath: String { get throws { try PlainRealDumps.unpacked(script) } }
        public var customPath: String { get throws { try PlainRealDumps.unpacked(custom) } }
    }

    public static let cases: [Case] = {
        guard let text = try? String(contentsOf: root.appendingPathComponent("CASES.tsv"), encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 5 else { return nil }
            return Case(script: fields[0], custom: fields[1], pgDumpVersion: fields[2], database: fields[3], variant: fields[4])
        }
    }()

    /// The pg_dump scripts (not pg_dumpall's).
    public static var scriptCases: [Case] { cases.filter { $0.variant != "dumpall" } }
    /// One database of a pg_dumpall script each.
    public static var dumpallCases: [Case] { cases.filter { $0.variant == "dumpall" } }

    /// The file `name` (gzipped in testdata) decompressed once into a temporary folder.
    public static func unpacked(_ name: String) throws -> String {
        let target = unpackedFolder.appendingPathComponent(String(name.dropLast(3)).replacingOccurrences(of: "/", with: "_"))
        lock.lock()
        defer { lock.unlock() }
        if !FileManager.default.fileExists(atPath: target.path) {
            let bytes = try ExpectedOutput.read(root.appendingPathComponent(name))
            let partial = target.path + ".\(getpid()).part"
            try Data(bytes).write(to: URL(fileURLWithPath: partial))
            _ = rename(partial, target.path)
        }
        return target.path
    }

    private static let lock = NSLock()
    private static let unpackedFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-plain-real-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
}
