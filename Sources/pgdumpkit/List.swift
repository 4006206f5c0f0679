import ArgumentParser
import PGDumpKit

extension PGDumpKitCommand {
    /// `pgdumpkit list`: the table of contents, byte-identical to `pg_restore -l`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Print an archive's table of contents, as pg_restore -l does.",
            discussion: """
                The output is byte-identical to pg_restore -l of pg_restore 18, header comment block included, \
                and can be edited and given back to pg_restore -L (or to pgdumpkit sql -L). The selection \
                options of sql (-t, -n, -s, --section, -L…) filter the listing as they filter pg_restore -l. The creation time is shown in the local time \
                zone, as pg_restore shows it. With --json, the header and every field of every TOC entry are \
                printed as one JSON object instead.
                """)

        @OptionGroup var input: InputOptions
        @OptionGroup var selection: SelectionOptions
        @OptionGroup(title: "Script options (accepted and checked as pg_restore -l does; they do not change a listing)")
        var script: ScriptCommandOptions

        @Flag(help: "Print the header and all TOC fields as JSON.")
        var json = false

        @Flag(name: [.customShort("v"), .customLong("verbose")],
              help: "List every entry, including those pg_restore never restores on its own, with dependencies.")
        var verbose = false

        func run() throws {
            let reader = try input.open()
            if json {
                try FileOutput.standardOutput.write(try ArchiveJSON.listing(of: reader))
                PGDumpKitCommand.exitSucceeded()
            }
            var commandLine = PGRestoreCommandLine()
            try selection.apply(to: &commandLine)
            try script.apply(to: &commandLine)
            commandLine.selection.verbose = verbose
            let (options, script) = try commandLine.resolve()
            // pg_restore -l prints the listing first and enforces --strict-names after it.
            let plan = try selection.plan(for: reader, selection: options, script: script, strictNames: false)
            let listing = plan.renderListing(of: reader)
            try FileOutput.standardOutput.write(listing)
            if commandLine.strictNames {
                var touched = EntrySelection.TouchedNames()
                _ = EntrySelection.requirements(of: plan.entries, options: plan.selection, touched: &touched)
                if let error = EntrySelection.strictNamesError(options: plan.selection, touched: touched) {
                    throw error
                }
            }
            PGDumpKitCommand.exitSucceeded()
        }
    }
}
