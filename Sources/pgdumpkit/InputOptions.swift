import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

/// The archive to read and how, shared by every subcommand that reads one (pg_restore's `-F` spelling).
struct InputOptions: ParsableArguments, ReadsArchive {
    /// The options that take a value (`OptionGrammar`).
    static let optionNames = OptionNames(short: ["F": "format"], long: ["database"]) + RemoteOptions.optionNames

    @Argument(help: ArgumentHelp(
        "The archive: a custom or tar file, a directory archive, a pg_dump or pg_dumpall SQL script (plain, or compressed by gzip, zstd, lz4, xz or bzip2), an http://, https:// or s3://bucket/key URL of any of these (a directory archive's URL or key prefix, read file by file), or - for standard input.",
        valueName: "archive"), completion: .file())
    var archive: String = "-"

    @Option(
        name: [.customShort("F"), .customLong("format")],
        help: ArgumentHelp(
            "The archive format: c|custom, d|directory, t|tar, as with pg_restore, or p|plain for a pg_dump SQL script. Detected when omitted.",
            valueName: "format"))
    var format: FormatArgument?

    @Option(
        name: .customLong("database"),
        help: ArgumentHelp(
            "For a pg_dumpall script: the database whose part to read (list without it shows every part).",
            valueName: "name"))
    var database: String?

    @OptionGroup var remote: RemoteOptions
}

/// An archive named on the command line and the format given for it, when `-F` is not simply the input's.
struct NamedArchive: ReadsArchive {
    var archive: String
    var format: FormatArgument?
    var database: String?
}

/// Opening the archive a command reads.
protocol ReadsArchive {
    var archive: String { get }
    var format: FormatArgument? { get }
    /// The database of a pg_dumpall script to read.
    var database: String? { get }
}

extension ReadsArchive {
    /// The format given, checked as pg_restore checks -F: after the other options, failing with exit status 1.
    func checkedFormat() throws -> ArchiveFormat? {
        switch format {
        case nil: return nil
        case .archive(let known): return known
        case .unrecognized(let name):
            throw CommandFailure(message: "unrecognized archive format \"\(name)\"; please specify \"c\", \"d\", or \"t\"")
        }
    }

    /// Opens the archive and reports its warnings on standard error.
    func open() throws -> any ArchiveReader {
        let format = try checkedFormat()
        InputFiles.register(archive)
        let reader = try Archive.open(
            path: archive, format: format, database: database, indexCache: ScriptIndexCache.forCommands,
            s3Endpoint: RemoteOptions.s3Endpoint)
        Diagnostics.report(reader.warnings)
        return reader
    }

    /// Opens the input as `open()` does, but gives a pg_dumpall script read without --database as its parts.
    func openInput() throws -> Archive.Input {
        if database != nil { return .archive(try open()) }
        let format = try checkedFormat()
        InputFiles.register(archive)
        let input = try Archive.openInput(
            path: archive, format: format, indexCache: ScriptIndexCache.forCommands, s3Endpoint: RemoteOptions.s3Endpoint)
        switch input {
        case .archive(let reader): Diagnostics.report(reader.warnings)
        case .cluster(let cluster): if let truncation = cluster.truncation { Diagnostics.report([ArchiveWarning(truncation.description)]) }
        }
        return input
    }
}

extension ScriptIndexCache {
    /// The cache of plain-script indexes the commands use (all but verify, which reads the whole script):
    /// `$XDG_CACHE_HOME` or `~/.cache`, off with `PGDUMPKIT_NO_CACHE=1`; `PGDUMPKIT_DEBUG_CACHE=1` prints what it
    /// does on standard error.
    static let forCommands: ScriptIndexCache? = {
        let debug = getenv("PGDUMPKIT_DEBUG_CACHE").map { String(cString: $0) } ?? ""
        let log: (@Sendable (String) -> Void)? = debug.isEmpty || debug == "0" ? nil : { @Sendable line in
            FileOutput.standardError.writeText("pgdumpkit: debug: index cache: " + Diagnostics.oneLine(line) + "\n")
        }
        return ScriptIndexCache.fromEnvironment(log: log)
    }()
}

extension InputOptions: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .operand(default: "-") { $0.archive = $1 },
            .option("F", "format") { $0.format = $1 },
            .option(nil, "database") { $0.database = $1 },
            .group(RemoteOptions.self) { $0.remote = $1 },
        ]
    }
}
