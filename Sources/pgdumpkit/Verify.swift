import ArgumentParser
import PGDumpKit

extension PGDumpKitCommand {
    /// `pgdumpkit verify`: is this backup actually readable?
    struct Verify: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Read an archive end to end and check that all of it is intact.",
            discussion: """
                Checks that the header and TOC parse; that dump IDs are unique and every dependency names an \
                entry of the archive (in a data-only or section-limited dump, dependencies on what was left out \
                are only noted); that every data entry's data is present (in a directory or tar archive: its \
                file or member exists) and, in a custom archive, that each recorded offset lies in the file and \
                points at the block of that entry; that every block and file decompresses completely with the \
                codec's own checks passing; and that every COPY stream ends with its end-of-data marker and each \
                row has as many fields as the COPY statement has columns. Large objects are read too.

                Prints the rows, decompressed bytes and stored bytes of each data entry, each problem on its own \
                line (file, offset, entry and what is wrong), and a summary line. The exit status is 0 only when \
                nothing is wrong, 1 otherwise. Data is read in storage order and streamed, so verifying takes \
                about as long as decompressing the archive once, with flat memory. With -j N (default: the \
                online CPUs) up to N entries are read and checked at once, each thread with about 2 MiB of \
                buffers (7 MiB while it reads a large compressed table), and the report is the same for any N; a pipe, a custom archive written to a pipe and a \
                plain script are read by one thread. Progress is shown on standard \
                error when it is a terminal (--progress: also elsewhere; -q: never).
                """)

        /// The options that take a value (`OptionGrammar`).
        static let optionNames = InputOptions.optionNames + OptionNames(short: ["j": "jobs"])

        @OptionGroup var input: InputOptions

        @Flag(help: "Print the report as JSON.")
        var json = false

        @Option(name: [.customShort("j"), .customLong("jobs")], help: ArgumentHelp(
            "Threads that read and check entries at once (default: the online CPUs); the report is the same for any number.",
            valueName: "N"))
        var jobs: Int?

        @OptionGroup var progressOptions: ProgressOptions

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("-j/--jobs must be at least 1") }
        }

        func run() throws {
            let format = try input.checkedFormat()
            var progress: ProgressDisplay?
            let report = ArchiveVerifier.verify(
                path: input.archive, format: format, database: input.database, s3Endpoint: RemoteOptions.s3Endpoint,
                jobs: jobs ?? ParallelDataReader.defaultJobs
            ) { reader in
                progress = ProgressDisplay(progressOptions, verb: "verifying", pastVerb: "verified", reader: reader)
                return progress?.observer
            }
            progress?.complete()
            try FileOutput.standardOutput.write(json ? report.json() : Array(report.text().utf8))
            guard report.isValid else {
                let count = report.problems.count
                throw CommandFailure(message: "\(input.archive): \(count) problem\(count == 1 ? "" : "s") found")
            }
        }
    }
}

extension PGDumpKitCommand.Verify: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .group(InputOptions.self) { $0.input = $1 },
            .flag(nil, "json") { $0.json = $1 },
            .option("j", "jobs") { $0.jobs = $1 },
            .group(ProgressOptions.self) { $0.progressOptions = $1 },
            .flag("V", "version") { $0.showVersion = $1 },
        ]
    }
}
