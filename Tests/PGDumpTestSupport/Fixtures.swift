import Foundation
import PGDumpKit
import Testing

/// Locates the repository's test data and the optional outside resources (oracles, the shared corpus).
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("cannot find the repository root from \(#filePath)")
    }()

    public static let testdata = repositoryRoot.appendingPathComponent("testdata")

    /// One line of `testdata/MANIFEST.tsv`.
    public struct ArchiveCase: Sendable, CustomTestStringConvertible, CustomStringConvertible {
        /// Path relative to `testdata/`, e.g. `archives/pg18/custom-default.dump`.
        public var relativePath: String
        public var pgDumpVersion: String
        public var format: String
        public var compression: String
        public var piped: Bool
        public var size: Int64
        public var sha256: String
        public var listOracle: String

        public var path: String { testdata.appendingPathComponent(relativePath).path }
        /// `pg18`
        public var pgDirectory: String { relativePath.split(separator: "/")[1].description }
        /// `custom-default`
        public var name: String {
            let file = relativePath.split(separator: "/")[2]
            if let dot = file.firstIndex(of: "."), format != "directory" { return String(file[..<dot]) }
            return String(file)
        }
        /// `testdata/expected/pg18/custom-default`
        public var expectedDirectory: URL {
            testdata.appendingPathComponent("expected/\(pgDirectory)/\(name)")
        }
        /// The major version of the pg_restore whose output is recorded (`18`, or `17` for lz4 and zstd).
        public var oracleMajor: String { String(listOracle.prefix { $0 != "." }) }
        public var testDescription: String { relativePath }
        public var description: String { relativePath }
    }

    /// Every archive in the manifest.
    public static let archiveCases: [ArchiveCase] = {
        let url = testdata.appendingPathComponent("MANIFEST.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 8, let size = Int64(fields[5]) else { return nil }
            return ArchiveCase(
                relativePath: fields[0], pgDumpVersion: fields[1], format: fields[2], compression: fields[3],
                piped: fields[4] == "yes", size: size, sha256: fields[6], listOracle: fields[7])
        }
    }()

    /// Reads a file's bytes.
    public static func bytes(_ url: URL) throws -> [UInt8] {
        Array(try Data(contentsOf: url))
    }

    /// Where `scripts/install-oracles.sh` puts the real PostgreSQL binaries.
    public static var oracleRoot: URL {
        if let root = ProcessInfo.processInfo.environment["PGDUMPKIT_ORACLES"], !root.isEmpty {
            return URL(fileURLWithPath: root)
        }
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.cache")
        return URL(fileURLWithPath: cache).appendingPathComponent("pgdumpkit/oracles")
    }

    /// The pg_restore of a major version, when installed.
    public static func pgRestore(major: String) -> URL? {
        let url = oracleRoot.appendingPathComponent("pg\(major)/bin/pg_restore")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    /// The shared sample corpus (archives of public databases with real pg_restore output), when present
    /// beside the repository or named by `PGDUMPKIT_SHARED_CORPUS`.
    public static var sharedCorpus: URL? {
        let candidate = ProcessInfo.processInfo.environment["PGDUMPKIT_SHARED_CORPUS"].map(URL.init(fileURLWithPath:))
            ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/sample-corpus")
        return FileManager.default.fileExists(atPath: candidate.appendingPathComponent("archives").path)
            ? candidate : nil
    }
}
