import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

extension PGDumpKitCommand {
    /// `pgdumpkit sql`: the SQL script pg_restore would write, with no server.
    struct SQL: ParsableCommand {
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

                -e/--exit-on-error and --no-data-for-failed-tables are accepted for compatibility: they change \
                what happens when a statement fails in a database, and a script is not executed here, so they \
                change nothing in the output. -j/--jobs likewise only applies to restoring into a database.
                """)

        @OptionGroup var input: InputOptions
        @OptionGroup var selection: SelectionOptions

        @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp(
            "Write the script to this file (- for standard output, the default); it is written under a temporary name and renamed into place when complete.",
            valueName: "file"))
        var file: String = "-"

        @Flag(name: .customLong("force"), help: "Replace the output file if it exists.")
        var force = false

        @Flag(name: [.customShort("O"), .customLong("no-owner")], help: "Skip restoration of object ownership.")
        var noOwner = false

        @Flag(name: .customLong("use-set-session-authorization"),
              help: "Use SET SESSION AUTHORIZATION commands instead of ALTER OWNER commands to set ownership.")
        var useSetSessionAuthorization = false

        @Option(name: [.customShort("S"), .customLong("superuser")], help: ArgumentHelp(
            "Superuser name to use for disabling triggers.", valueName: "name"))
        var superuser: String?

        @Flag(name: [.customShort("c"), .customLong("clean")], help: "Drop database objects before recreating them.")
        var clean = false

        @Flag(name: .customLong("if-exists"), help: "Use IF EXISTS when dropping objects (with -c).")
        var ifExists = false

        @Flag(name: [.customShort("1"), .customLong("single-transaction")], help: "Restore as a single transaction.")
        var singleTransaction = false

        @Option(name: .customLong("transaction-size"), help: ArgumentHelp(
            "Commit after every N objects.", valueName: "N"))
        var transactionSize: Int?

        @Flag(name: .customLong("disable-triggers"), help: "Disable triggers during a data-only restore.")
        var disableTriggers = false

        @Flag(name: .customLong("enable-row-security"), help: "Enable row security.")
        var enableRowSecurity = false

        @Flag(name: .customLong("no-tablespaces"), help: "Do not restore tablespace assignments.")
        var noTablespaces = false

        @Flag(name: .customLong("no-table-access-method"), help: "Do not restore table access methods.")
        var noTableAccessMethod = false

        @Option(name: .customLong("role"), help: ArgumentHelp("Do SET ROLE before restore.", valueName: "role"))
        var role: String?

        @Option(name: .customLong("restrict-key"), help: ArgumentHelp(
            "Use this string (letters and digits) as the psql \\restrict key.", valueName: "key"))
        var restrictKey: String?

        @Flag(name: [.customShort("e"), .customLong("exit-on-error")],
              help: "Accepted for compatibility; a script has no errors to stop at.")
        var exitOnError = false

        @Flag(name: .customLong("no-data-for-failed-tables"),
              help: "Accepted for compatibility; applies only when restoring into a database.")
        var noDataForFailedTables = false

        @Option(name: [.customShort("j"), .customLong("jobs")], help: ArgumentHelp(
            "Accepted for compatibility; parallel jobs apply only when restoring into a database.",
            valueName: "N"))
        var jobs: Int = 1

        @Flag(name: [.customShort("v"), .customLong("verbose")],
              help: "Add TOC entry numbers, dependencies, data positions and start and end times to the script.")
        var verbose = false

        func run() throws {
            var commandLine = PGRestoreCommandLine()
            try selection.apply(to: &commandLine)
            commandLine.clean = clean
            commandLine.ifExists = ifExists
            commandLine.singleTransaction = singleTransaction
            commandLine.transactionSize = transactionSize
            commandLine.jobs = jobs
            commandLine.restrictKey = restrictKey
            commandLine.script.noOwner = noOwner
            commandLine.script.useSetSessionAuthorization = useSetSessionAuthorization
            commandLine.script.superuser = superuser
            commandLine.script.disableTriggers = disableTriggers
            commandLine.script.enableRowSecurity = enableRowSecurity
            commandLine.script.noTablespaces = noTablespaces
            commandLine.script.noTableAccessMethod = noTableAccessMethod
            commandLine.script.role = role
            commandLine.script.verbose = verbose
            commandLine.selection.verbose = verbose
            // Options are checked before the archive is opened, as pg_restore checks them.
            let (selectionOptions, scriptOptions) = try commandLine.resolvedForCommand()
            let reader = try input.open()
            let plan = try selection.plan(
                for: reader, selection: selectionOptions, script: scriptOptions, strictNames: commandLine.strictNames)
            try AtomicOutput.write(to: file, replacing: force) { sink in
                Diagnostics.report(try plan.renderScript(from: reader, to: sink))
            }
        }
    }
}
