import ArgumentParser
import PGDumpKit

extension PGDumpKitCommand {
    /// `pgdumpkit info`: an archive at a glance.
    struct Info: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Summarise an archive: format, versions, compression, contents and size.",
            discussion: """
                Shows the format, archive version, compression, creation time, database name, server and pg_dump \
                versions, entry counts by section and by type, the tables with data, the large objects and the \
                archive's size on disk. Only the header and TOC are read (and, for a directory archive, the sizes \
                of its files), so it is fast on any archive. --tables also reads all data, as verify does, to \
                show each table's rows, decompressed bytes and stored bytes.
                """)

        /// The options that take a value (`OptionGrammar`).
        static let optionNames = InputOptions.optionNames

        @OptionGroup var input: InputOptions

        @Flag(help: "Print the summary as JSON.")
        var json = false

        @Flag(help: "Also read all data and show each table's rows and sizes.")
        var tables = false

        @OptionGroup var progressOptions: ProgressOptions

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        func run() throws {
            let reader = try input.open()
            let summary = try ArchiveSummary(reader: reader)
            for problem in summary.missingData { Diagnostics.warning(problem.description) }
            guard tables else {
                try FileOutput.standardOutput.write(json ? summary.json() : Array(summary.text().utf8))
                return
            }
            let progress = ProgressDisplay(progressOptions, verb: "reading", pastVerb: "read", reader: reader)
            defer { progress.end() }
            let statistics = try ArchiveVerifier.dataStatistics(of: reader, progress: progress.observer)
            progress.complete()
            try FileOutput.standardOutput.write(
                json ? summary.json(tables: statistics) : Array(summary.text(tables: statistics).utf8))
        }
    }
}

extension PGDumpKitCommand.Info: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .group(InputOptions.self) { $0.input = $1 },
            .flag(nil, "json") { $0.json = $1 },
            .flag(nil, "tables") { $0.tables = $1 },
            .group(ProgressOptions.self) { $0.progressOptions = $1 },
            .flag("V", "version") { $0.showVersion = $1 },
        ]
    }
}
