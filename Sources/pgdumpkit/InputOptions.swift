import ArgumentParser
import PGDumpKit

/// The archive to read and how, shared by every subcommand that reads one.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp(
        "The archive: a custom or tar file, a directory archive, or - for standard input.",
        valueName: "archive"))
    var archive: String = "-"

    @Option(
        name: [.customShort("F"), .customLong("format")],
        help: ArgumentHelp(
            "The archive format, as with pg_restore: c|custom, d|directory or t|tar. Detected when omitted.",
            valueName: "format"))
    var format: String?

    func validate() throws {
        if let format, ArchiveFormat(pgRestoreName: format) == nil {
            if ["p", "plain"].contains(format.lowercased()) {
                throw ValidationError("archive format \"\(format)\" is not supported; please use psql")
            }
            throw ValidationError("unrecognized archive format \"\(format)\"; please specify \"c\", \"d\", or \"t\"")
        }
    }

    /// Opens the archive and reports its warnings on standard error.
    func open() throws -> any ArchiveReader {
        let reader = try Archive.open(path: archive, format: format.flatMap(ArchiveFormat.init(pgRestoreName:)))
        Diagnostics.report(reader.warnings)
        return reader
    }
}
