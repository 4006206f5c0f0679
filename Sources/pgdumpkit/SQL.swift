import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

extension PGDumpKitCommand {
    /// `pgdumpkit sql`: the SQL script pg_restore would write, with no server.
    struct SQL: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "Write the SQL script pg_restore -f would write for an archive.",
            discussion: """
                The output is byte-identical to pg_restore -f - of pg_restore 18 with the same options, for every \
                format, archive version and compression. Table data and large objects are streamed from the \
                archive to the output, so memory stays flat whatever the archive's size.

                The script starts with psql's \\restrict and ends with \\unrestrict, so that psql refuses \
                meta-commands smuggled into a hostile archive. Without --restrict-key a fresh random key is used \
                on every run, as pg_restore does; give one to get reproducible output.

                --with-deps (pgdumpkit's own) closes the selection over the dependencies pg_dump records in the \
                archive, so that the script restores into an empty database: every entry brings what it depends \
                on, and its own parts as pg_dump -t dumps them (data, sequence values, defaults, constraints, \
                foreign keys, indexes, triggers, rules, policies, owned sequences, comments, privileges). A \
                foreign key brings the table it references, with its rows; a constraint or trigger never brings \
                the table it belongs to into another's selection, and a parent table does not bring its \
                partitions. -s, -a, --section, -x and the --no-* options still decide what of the closure is \
                written; the order is the archive's. Archives before 1.5 and plain SQL scripts record no \
                dependency graph and are refused. list --with-deps -v says why each added entry came in.

                --target-version N (12 to 19) writes the script for an older PostgreSQL server, following \
                what pg_dump writes for a server without each feature. For 19, an archive written with \
                standard_conforming_strings off gets it on, and its '…' literals with backslashes become \
                E'…' (19 has no other setting). Rewritten or left out for older servers: SET \
                transaction_timeout (17+); STATISTICS DATA entries (18+) and EXTENDED STATISTICS DATA (19+); \
                a named column NOT NULL loses its name and a table-level CONSTRAINT name NOT NULL col becomes \
                ALTER COLUMN col SET NOT NULL (18+); a partitioned table's SET ACCESS METHOD (17+); MAINTAIN \
                in privilege lists (17+); subscription streaming = parallel becomes on (16+; dropped before \
                14), run_as_owner = true and password_required = false are dropped (16+), options at their \
                defaults are dropped; LOCALE_PROVIDER = libc (15+); CREATE UNLOGGED SEQUENCE becomes logged \
                (15+); SET COMPRESSION and multirange_type_name (14+); ALTER STATISTICS … SET STATISTICS \
                (13+); LOCALE in CREATE DATABASE becomes LC_COLLATE and LC_CTYPE (13+). Unrenderable, \
                reported per entry and failing the command unless the selection leaves the entry out or \
                --omit-unrenderable is given (which also leaves out what depends on it): virtual generated \
                columns, NOT NULL NO INHERIT, not-null constraints added separately, NOT ENFORCED, WITHOUT \
                OVERLAPS, PERIOD, publish_generated_columns = stored (18+); PROPERTY GRAPH entries and \
                GRAPH_TABLE (19+); builtin collations and locales, \
                JSON_TABLE, JSON_QUERY, JSON_VALUE, JSON_EXISTS, JSON_SCALAR, JSON_SERIALIZE, JSON(), \
                MERGE_ACTION(), login event triggers, failover = true (17+); JSON_OBJECT, JSON_ARRAY, \
                JSON_OBJECTAGG, JSON_ARRAYAGG, IS JSON, SYSTEM_USER, any_value(), ICU rules, origin = none \
                (16+); NULLS NOT DISTINCT, ON DELETE SET NULL/DEFAULT (columns), publication column lists, \
                row filters and TABLES IN SCHEMA, ICU databases, two_phase and disable_on_error (15+); \
                SQL-standard function bodies, statistics on expressions, binary = true (14+); \
                publish_via_partition_root = true (13+); predefined roles a release added, as owners or \
                grantees. The README's table has the details.

                -e/--exit-on-error and --no-data-for-failed-tables are accepted for compatibility: they change \
                what happens when a statement fails in a database, and a script is not executed here, so they \
                change nothing in the output.

                -j/--jobs N reads and decompresses up to N tables' data at once (default: the online CPUs), \
                writing the script strictly in order: the output is the same for any N. Data decoded ahead of \
                the table being written waits in a reorder buffer of 16 MiB, and each thread costs about 2 MiB \
                more, whatever the archive's size. Custom archives with data offsets, local directory archives \
                and tar files are read in parallel; a pipe, a custom archive written to a pipe and a plain script \
                are read by one thread. pg_restore's checks of -j still apply (--single-transaction with N > 1 is \
                refused).
                """)

        /// The options that take a value (`OptionGrammar`).
        static let optionNames = InputOptions.optionNames + SelectionOptions.optionNames
            + ScriptCommandOptions.optionNames + TargetVersionOptions.optionNames + OptionNames(short: ["f": "file"])

        @OptionGroup var input: InputOptions
        @OptionGroup var selection: SelectionOptions

        @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp(
            "Write the script to this file (- for standard output, the default); it is written under a temporary name and renamed into place when complete.",
            valueName: "file"), completion: .file())
        var file: String = "-"

        @Flag(name: .customLong("force"), help: "Replace the output file if it exists.")
        var force = false

        @OptionGroup var script: ScriptCommandOptions

        @OptionGroup var target: TargetVersionOptions

        @Flag(name: [.customShort("v"), .customLong("verbose")],
              help: "Add TOC entry numbers, dependencies, data positions and start and end times to the script.")
        var verbose = false

        @OptionGroup var progressOptions: ProgressOptions

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        func run() throws {
            var commandLine = PGRestoreCommandLine()
            try selection.apply(to: &commandLine)
            try script.apply(to: &commandLine)
            commandLine.script.verbose = verbose
            commandLine.selection.verbose = verbose
            // Options are checked before the archive is opened, as pg_restore checks them.
            var (selectionOptions, scriptOptions) = try commandLine.resolve()
            scriptOptions.targetServerMajor = target.targetVersion
            let reader = try input.open()
            func makePlan(_ entries: [TOCEntry]? = nil, quiet: Bool = false) throws -> RestorePlan {
                try selection.plan(
                    for: reader, entries: entries, selection: selectionOptions, script: scriptOptions,
                    strictNames: commandLine.strictNames, quiet: quiet)
            }
            let plan = try target.adaptation(of: reader).map { adaptation in
                try target.plan(adaptation, archiveEntries: reader.entries) { try makePlan($0, quiet: $1) }.plan
            } ?? makePlan()
            // No decoding thread per entry: a script passes the data on, so a table costs what inflating it costs,
            // and handing it from thread to thread only added CPU time (bench/results/jobs.md).
            try ParallelDataReader.withReader(
                reader, readingInOrder: plan.dataReadingOrder, jobs: script.dataReadingJobs, decodingAhead: false
            ) { reader in
                // No line is drawn over a script on the terminal or among -v's lines.
                let progress = ProgressDisplay(
                    progressOptions, verb: "writing SQL", pastVerb: "wrote SQL", reader: reader,
                    dataEntries: plan.dataEntries, terminalAllowed: !verbose && (file != "-" || isatty(STDOUT_FILENO) == 0))
                defer { progress.end() }
                try AtomicOutput.write(to: file, replacing: force) { sink in
                    // -v: pg_restore's progress lines on standard error, as they happen.
                    let log: (([UInt8]) -> Void)? = verbose ? { line in
                        try? FileOutput.standardError.write(Array("pgdumpkit: ".utf8) + line + [0x0A])
                    } : nil
                    Diagnostics.report(try plan.renderScript(from: reader, to: sink, verboseLog: log, progress: progress.observer))
                }
                progress.complete()
            }
            // The script is complete: the archive's TOC and the plan would otherwise be freed entry by entry on
            // the way out, memory the process returns anyway (as list does).
            PGDumpKitCommand.exitSucceeded()
        }
    }
}

extension PGDumpKitCommand.SQL: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .group(InputOptions.self) { $0.input = $1 },
            .group(SelectionOptions.self) { $0.selection = $1 },
            .option("f", "file", default: "-") { $0.file = $1 },
            .flag(nil, "force") { $0.force = $1 },
            .group(ScriptCommandOptions.self) { $0.script = $1 },
            .group(TargetVersionOptions.self) { $0.target = $1 },
            .flag("v", "verbose") { $0.verbose = $1 },
            .group(ProgressOptions.self) { $0.progressOptions = $1 },
            .flag("V", "version") { $0.showVersion = $1 },
        ]
    }
}
