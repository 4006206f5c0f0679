import ArgumentParser
import PGDumpKit

extension PGDumpKitCommand {
    /// `pgdumpkit list`: the table of contents, byte-identical to `pg_restore -l`.
    struct List: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Print an archive's table of contents, as pg_restore -l does.",
            discussion: """
                The output is byte-identical to pg_restore -l of pg_restore 18, header comment block included, \
                and can be edited and given back to pg_restore -L (or to pgdumpkit sql -L). The selection \
                options of sql (-t, -n, -s, --section, -L…) filter the listing as they filter pg_restore -l. The creation time is shown in the local time \
                zone, as pg_restore shows it. With --json, the header and every field of every TOC entry are \
                printed as one JSON object instead.

                With --with-deps the listing is of the selection closed over the archive's dependencies (see \
                sql); with -v it then lists only the entries restored, each added one followed by a comment \
                line saying why ("needed by ID DESC SCHEMA TAG" or "part of …", with ", for …" naming the \
                selected entry it serves), so that it still works as a -L list. With --json, every entry \
                says whether the closed selection restores it (selected) and why (reason, through, neededBy).
                """)

        /// The options that take a value (`OptionGrammar`).
        static let optionNames = InputOptions.optionNames + SelectionOptions.optionNames
            + ScriptCommandOptions.optionNames + TargetVersionOptions.optionNames + OptionNames(short: ["f": "file"])

        @OptionGroup var input: InputOptions
        @OptionGroup var selection: SelectionOptions
        @OptionGroup(title: "Script options (accepted and checked as pg_restore -l does; they do not change a listing)")
        var script: ScriptCommandOptions

        @Flag(help: "Print the header and all TOC fields as JSON.")
        var json = false

        @OptionGroup var target: TargetVersionOptions

        @Flag(name: [.customShort("v"), .customLong("verbose")],
              help: "List every entry, including those pg_restore never restores on its own, with dependencies.")
        var verbose = false

        @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp(
            "Write the listing to this file (- for standard output, the default), as pg_restore -l -f does; it is written under a temporary name and renamed into place when complete.",
            valueName: "file"), completion: .file())
        var file: String = "-"

        @Flag(name: .customLong("force"), help: "Replace the output file if it exists.")
        var force = false

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        func run() throws {
            let reader: any ArchiveReader
            switch try input.openInput() {
            case .archive(let opened): reader = opened
            case .cluster(let cluster):
                try write(json ? ArchiveJSON.clusterListing(of: cluster) : try clusterListing(of: cluster))
                PGDumpKitCommand.exitSucceeded()
            }
            // --target-version: the entries as they would be written for that server; a listing reports what
            // cannot be written on standard error and does not fail (sql and convert do).
            var adaptation = target.adaptation(of: reader)
            if target.omitUnrenderable { adaptation = adaptation?.omittingUnrenderable() }
            if json && !selection.withDependencies {
                try write(try ArchiveJSON.listing(of: reader, adaptation: adaptation))
                PGDumpKitCommand.exitSucceeded()
            }
            var commandLine = PGRestoreCommandLine()
            try selection.apply(to: &commandLine)
            try script.apply(to: &commandLine)
            commandLine.selection.verbose = verbose
            let (options, script) = try commandLine.resolve()
            if json {
                // --with-deps: every entry, each saying whether the closed selection restores it and why.
                let plan = try selection.plan(
                    for: reader, entries: adaptation?.entries, selection: options, script: script, strictNames: false)
                try write(try ArchiveJSON.listing(of: reader, closedPlan: plan, adaptation: adaptation))
                if commandLine.strictNames, let error = plan.strictNamesError() { throw error }
                PGDumpKitCommand.exitSucceeded()
            }
            // pg_restore -l prints the listing first and enforces --strict-names after it.
            let plan = try selection.plan(
                for: reader, entries: adaptation?.entries, selection: options, script: script, strictNames: false)
            if let adaptation { target.report(adaptation, selected: plan.selectedDumpIDs) }
            try write(plan.renderListing(of: reader))
            if commandLine.strictNames, let error = plan.strictNamesError() { throw error }
            PGDumpKitCommand.exitSucceeded()
        }

        /// A pg_dumpall script's listing: a header block, the globals as comment lines under pg_dumpall's own
        /// headings, then each database's listing (as `list --database NAME` prints it) after a
        /// `;; Database "NAME"` line.
        private func clusterListing(of cluster: PlainClusterScript) throws -> [UInt8] {
            var text = ";\n; pg_dumpall script: \(cluster.databases.count) databases\n"
            text += ";     Databases: \(cluster.databaseNames.map { "\"\($0)\"" }.joined(separator: ", "))\n"
            text += ";     (list, sql, extract, verify, info and convert read one with --database NAME)\n;\n"
            text += ";; Globals\n"
            for group in cluster.globals {
                text += ";\n; -- \(group.title)\n"
                for statement in group.statements { text += ";     \(String(decoding: statement, as: UTF8.self))\n" }
            }
            var bytes = Array(text.utf8)
            var commandLine = PGRestoreCommandLine()
            try selection.apply(to: &commandLine)
            try script.apply(to: &commandLine)
            commandLine.selection.verbose = verbose
            let (options, script) = try commandLine.resolve()
            for database in cluster.databases {
                bytes += Array(";\n;; Database \"\(database.name)\"\n".utf8)
                let reader = try cluster.reader(forDatabase: database.name)
                Diagnostics.report(reader.warnings)
                let plan = try selection.plan(for: reader, selection: options, script: script, strictNames: false)
                bytes += plan.renderListing(of: reader)
            }
            return bytes
        }

        /// Writes the listing to -f's file (atomically) or standard output.
        private func write(_ listing: [UInt8]) throws {
            if file == "-" {
                try FileOutput.standardOutput.write(listing)
                return
            }
            try AtomicOutput.write(to: file, replacing: force) { sink in
                try listing.withUnsafeBytes { try sink.write($0) }
            }
        }
    }
}

extension PGDumpKitCommand.List: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .group(InputOptions.self) { $0.input = $1 },
            .group(SelectionOptions.self) { $0.selection = $1 },
            .group(ScriptCommandOptions.self) { $0.script = $1 },
            .flag(nil, "json") { $0.json = $1 },
            .group(TargetVersionOptions.self) { $0.target = $1 },
            .flag("v", "verbose") { $0.verbose = $1 },
            .option("f", "file", default: "-") { $0.file = $1 },
            .flag(nil, "force") { $0.force = $1 },
            .flag("V", "version") { $0.showVersion = $1 },
        ]
    }
}
