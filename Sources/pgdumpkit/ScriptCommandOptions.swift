import ArgumentParser
import PGDumpKit

/// The options of pg_restore that shape the script rather than select entries. `sql` applies them; `list` accepts
/// and checks them, as `pg_restore -l` does, and ignores them.
struct ScriptCommandOptions: ParsableArguments {
    /// The options that take a value (`OptionGrammar`).
    static let optionNames = OptionNames(
        short: ["S": "superuser", "j": "jobs"], long: ["transaction-size", "role", "restrict-key"])

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

    // A string, so that a bad value gets pg_restore's message and exit status rather than a usage error.
    @Option(name: [.customShort("j"), .customLong("jobs")], help: ArgumentHelp(
        "Threads that read and decompress table data at once (sql; default: the online CPUs); the script is the same for any number. list accepts it and ignores it.",
        valueName: "N"))
    var jobs: String?

    /// The threads `sql` reads data on: -j when given (already checked by `apply(to:)`), else one per online CPU.
    var dataReadingJobs: Int {
        guard let jobs, let count = try? JobsOption.parseNumber(jobs) else { return ParallelDataReader.defaultJobs }
        return count
    }

    /// Copies the options into `commandLine`. Without -j the command line says 1, as pg_restore's default is:
    /// the workers' default must not trip pg_restore's checks of -j (--single-transaction with several jobs).
    func apply(to commandLine: inout PGRestoreCommandLine) throws {
        commandLine.jobs = try jobs.map(JobsOption.parseNumber) ?? 1
        commandLine.clean = clean
        commandLine.ifExists = ifExists
        commandLine.singleTransaction = singleTransaction
        commandLine.transactionSize = transactionSize
        commandLine.restrictKey = restrictKey
        commandLine.script.noOwner = noOwner
        commandLine.script.useSetSessionAuthorization = useSetSessionAuthorization
        commandLine.script.superuser = superuser
        commandLine.script.disableTriggers = disableTriggers
        commandLine.script.enableRowSecurity = enableRowSecurity
        commandLine.script.noTablespaces = noTablespaces
        commandLine.script.noTableAccessMethod = noTableAccessMethod
        commandLine.script.role = role
    }
}

extension ScriptCommandOptions: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .flag("O", "no-owner") { $0.noOwner = $1 },
            .flag(nil, "use-set-session-authorization") { $0.useSetSessionAuthorization = $1 },
            .option("S", "superuser") { $0.superuser = $1 },
            .flag("c", "clean") { $0.clean = $1 },
            .flag(nil, "if-exists") { $0.ifExists = $1 },
            .flag("1", "single-transaction") { $0.singleTransaction = $1 },
            .option(nil, "transaction-size") { $0.transactionSize = $1 },
            .flag(nil, "disable-triggers") { $0.disableTriggers = $1 },
            .flag(nil, "enable-row-security") { $0.enableRowSecurity = $1 },
            .flag(nil, "no-tablespaces") { $0.noTablespaces = $1 },
            .flag(nil, "no-table-access-method") { $0.noTableAccessMethod = $1 },
            .option(nil, "role") { $0.role = $1 },
            .option(nil, "restrict-key") { $0.restrictKey = $1 },
            .flag("e", "exit-on-error") { $0.exitOnError = $1 },
            .flag(nil, "no-data-for-failed-tables") { $0.noDataForFailedTables = $1 },
            .option("j", "jobs") { $0.jobs = $1 },
        ]
    }
}
