import ArgumentParser
import PGDumpKit

extension PGDumpKitCommand {
    /// `pgdumpkit list`: the table of contents, byte-identical to `pg_restore -l`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an archive's table of contents, as pg_restore -l does.",
            discussion: """
                The output is byte-identical to pg_restore -l of pg_restore 18, header comment block included, \
                and can be edited and given back to pg_restore -L. The creation time is shown in the local time \
                zone, as pg_restore shows it. With --json, the header and every field of every TOC entry are \
                printed as one JSON object instead.
                """)

        @OptionGroup var input: InputOptions

        @Flag(help: "Print the header and all TOC fields as JSON.")
        var json = false

        @Flag(name: [.customShort("v"), .customLong("verbose")],
              help: "List every entry, including those pg_restore never restores on its own, with dependencies.")
        var verbose = false

        func run() throws {
            let reader = try input.open()
            if json {
                try FileOutput.standardOutput.write(try ArchiveJSON.listing(of: reader))
                return
            }
            var options = RestoreOptions()
            options.verbose = verbose
            let listing = ListPrinter.render(
                header: reader.header, format: reader.format, entries: reader.entries,
                tocCount: reader.entries.count, options: options)
            try FileOutput.standardOutput.write(listing)
        }
    }
}
