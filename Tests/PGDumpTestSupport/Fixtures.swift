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
        /// The database dumped (`pgdumpkit_fixture`, or one of the legacy servers' databases), from
        /// `expected-csv/ARCHIVES.tsv`.
        public var database: String { Fixtures.csvIndex[relativePath]?.database ?? "pgdumpkit_fixture" }
        /// The folder with the server's CSV of the tables of that database, as that server printed it.
        public var expectedCSV: URL {
            testdata.appendingPathComponent(Fixtures.csvIndex[relativePath]?.folder ?? "expected-csv")
        }
        /// Whether this is a dump of the main fixture database, whose contents the tests know by heart.
        public var isFixture: Bool { database == "pgdumpkit_fixture" }
        /// Archives holding the same data byte for byte: one dump of one database by one pg_dump, whatever its
        /// format, compression or pipe. Options that change the stored data (`--inserts`, `--oids`) and the
        /// archives of a PostgreSQL 13 server written by different pg_dump versions each stand alone.
        public var dataGroup: String {
            let changesData = ["insert", "oids", "pg1"].contains { name.contains($0) }
            let dumpKind = changesData ? name : (name.hasPrefix("latin1") ? "latin1"
                : name.hasPrefix("sql-ascii") ? "sql-ascii" : name.hasPrefix("scs-off") ? "scs-off" : "main")
            return "\(pgDirectory)/\(database)/\(dumpKind)"
        }
        public var testDescription: String { relativePath }
        public var description: String { relativePath }
    }

    /// `expected-csv/ARCHIVES.tsv`: archive → (database, CSV folder).
    static let csvIndex: [String: (database: String, folder: String)] = {
        let url = testdata.appendingPathComponent("expected-csv/ARCHIVES.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var index: [String: (database: String, folder: String)] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count == 3 { index[fields[0]] = (fields[1], fields[2]) }
        }
        return index
    }()

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

    /// The shared sample corpus (archives of public databases with real pg_restore output): the folder
    /// `PGDUMPKIT_SHARED_CORPUS` names when set and not empty, else `../shared/sample-corpus` beside the repository,
    /// when it holds `archives/`; nil otherwise, and the tests that need it are skipped, saying why
    /// (`sharedCorpusSkipped`).
    public static var sharedCorpus: URL? {
        let named = ProcessInfo.processInfo.environment["PGDUMPKIT_SHARED_CORPUS"].flatMap { $0.isEmpty ? nil : $0 }
        let candidate = named.map(URL.init(fileURLWithPath:))
            ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/sample-corpus")
        return FileManager.default.fileExists(atPath: candidate.appendingPathComponent("archives").path)
            ? candidate : nil
    }

    /// Why the tests of the shared corpus are skipped, for their `.enabled(if: Fixtures.sharedCorpus != nil, ...)`.
    public static var sharedCorpusSkipped: Comment {
        let named = ProcessInfo.processInfo.environment["PGDUMPKIT_SHARED_CORPUS"].flatMap { $0.isEmpty ? nil : $0 }
        if let named {
            return Comment(rawValue: "PGDUMPKIT_SHARED_CORPUS=\(named) has no archives/ folder")
        }
        return Comment(rawValue:
            "no shared sample corpus at ../shared/sample-corpus beside the repository "
            + "(set PGDUMPKIT_SHARED_CORPUS to use one elsewhere)")
    }
}
