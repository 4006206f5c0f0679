import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

/// The root command. Library errors become messages and exit codes here, and nowhere else.
@main
struct PGDumpKitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgdumpkit",
        abstract: "Read, inspect, render, convert and extract PostgreSQL pg_dump archives, with no server.",
        discussion: """
            pgdumpkit reads custom (-Fc), directory (-Fd) and tar (-Ft) archives written by pg_dump, with every \
            compression pg_dump writes (none, gzip, lz4, zstd), from a file, a directory or standard input, and \
            writes them in any of those formats.

            Every archive is treated as untrusted: lengths and counts are checked before anything is allocated, \
            data is streamed, names in directory and tar archives that would leave the archive (.., absolute \
            paths, symbolic links) are refused, and output is written under a temporary name and renamed into \
            place only when complete (it is removed on error and on SIGINT, SIGTERM and SIGHUP).

            Errors are one line on standard error: "pgdumpkit: error: FILE: what is wrong (at offset N, entry \
            ID)", with the offset and entry where they apply. Warnings start with "pgdumpkit: warning:".

            Options are read as pg_restore reads them: a short option's value may be attached (-Fc, -tactor, \
            -Zzstd, -j4), also after other short options (-xtactor), and a long option's may follow an = sign or \
            come as the next argument; -- ends the options. -? is --help, and -V (--version) prints pgdumpkit's \
            version and the archive and PostgreSQL versions it reads, writes and is checked against.

            Environment: a pg_dump script read from a file is indexed once and its index kept in \
            $XDG_CACHE_HOME/pgdumpkit/plain-index (~/.cache/pgdumpkit/plain-index when XDG_CACHE_HOME is not set), \
            so that the next command on the same, unchanged file reads the index and only the data it needs; verify \
            always reads the whole script. PGDUMPKIT_NO_CACHE=1 turns the cache off, and PGDUMPKIT_DEBUG_CACHE=1 \
            prints what it does on standard error.

            Exit status: 0 on success; 1 when the input is not a readable archive, an operation fails, verify \
            finds a problem, or one of pg_restore's own option checks fails (as pg_restore exits 1); 2 for \
            invalid usage (unknown options, missing or extra arguments); 128+N when stopped by signal N. diff \
            exits as diff(1) does: 0 when the archives hold the same content, 1 when they differ, 2 on trouble.
            """,
        // Each subcommand sets its `commandName`: ArgumentParser would otherwise derive it from the type name by
        // reflection, on every run, before parsing anything.
        subcommands: [List.self, SQL.self, Convert.self, Extract.self, Verify.self, Info.self, Diff.self, Explode.self, Implode.self]
    )

    @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

    /// Ends a command that has written all its output, at once. A TOC of thousands of entries would otherwise be
    /// freed string by string on the way out (a tenth of `list`'s time), memory the process returns anyway.
    static func exitSucceeded() -> Never { Glibc.exit(0) }

    /// Runs the command: the one place that prints errors (in pgdumpkit's style) and maps them to exit codes.
    static func main() {
        setlocale(LC_ALL, "")
        tzset()
        TemporaryPaths.installSignalCleanup()
        _ = AtomicOutput.processUmask  // read while this is the only thread
        // pg_restore's grammar (attached values, -?, -V), rewritten into ArgumentParser's.
        let arguments = OptionGrammar.rewrite(Array(CommandLine.arguments.dropFirst()))
        if arguments.wantsVersion {
            FileOutput.standardOutput.writeText(PGDumpKitVersion.report)
            Glibc.exit(0)
        }
        do {
            // The common commands without ArgumentParser's reflection; anything else, and every error, its way.
            var command = try FastArgumentParser.parse(arguments.arguments) ?? parseAsRoot(arguments.arguments)
            try command.run()
        } catch let error as PGDumpError {
            Diagnostics.error(error.description)
            Glibc.exit(1)
        } catch let error as CommandFailure {
            Diagnostics.error(error.message)
            Glibc.exit(error.exitCode)
        } catch let error as PGRestoreCommandLine.UsageError {
            // pg_restore's option checks, with its messages and exit status.
            Diagnostics.error(error.message)
            Glibc.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            // Usage errors: one line in pgdumpkit's style and a hint, exit status 2.
            let message = self.message(for: error)
            Diagnostics.error(message.isEmpty ? "invalid usage" : message.prefix(1).lowercased() + message.dropFirst())
            let command = ["pgdumpkit", arguments.subcommand].compactMap { $0 }.joined(separator: " ")
            FileOutput.standardError.writeText("pgdumpkit: hint: Try \"\(command) --help\" for more information.\n")
            Glibc.exit(2)
        }
    }
}

/// The version pgdumpkit reports.
enum PGDumpKitVersion {
    static let string = "0.1.0"

    /// The pg_dump/pg_restore majors whose archives and output the tests compare with (testdata/, the oracles).
    static let checkedPostgreSQLMajors = [11, 13, 15, 16, 17, 18]

    /// What -V/--version prints: the version, then what pgdumpkit reads and writes.
    static var report: String {
        func list(_ items: [String]) -> String {
            items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
        let oldest = ArchiveVersion.oldestReadable, newest = ArchiveVersion.newestReadable
        let majors = PGDumpKitCommand.Convert.pgRestoreMajors
        return """
            pgdumpkit \(string)
            Reads archive versions \(oldest.major).\(oldest.minor) to \(newest.major).\(newest.minor) \
            (pg_dump 7.0 and later): custom, directory and tar; none, gzip, lz4 and zstd.
            Writes archive versions \(list(ArchiveVersionArgument.writable.map(\.shortDescription))) \
            (convert --archive-version), or the newest one pg_restore \(majors.lowerBound) to \(majors.upperBound) \
            reads (convert --for-pg-restore).
            Checked against pg_dump and pg_restore \(list(checkedPostgreSQLMajors.map(String.init))).

            """
    }
}
