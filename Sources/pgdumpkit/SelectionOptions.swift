import ArgumentParser
import PGDumpKit

/// pg_restore's options that choose entries, with its spellings. Shared by `sql` and `list`.
struct SelectionOptions: ParsableArguments {
    /// The options that take a value (`OptionGrammar`).
    static let optionNames = OptionNames(
        short: ["t": "table", "n": "schema", "N": "exclude-schema", "I": "index", "P": "function", "T": "trigger",
                "L": "use-list"],
        long: ["section", "filter"])

    @Flag(name: [.customShort("s"), .customLong("schema-only")], help: "Restore only the schema, no data.")
    var schemaOnly = false

    @Flag(name: [.customShort("a"), .customLong("data-only")], help: "Restore only the data, no schema.")
    var dataOnly = false

    @Flag(name: .customLong("statistics-only"), help: "Restore only the statistics, not schema or data.")
    var statisticsOnly = false

    @Flag(name: .customLong("no-data"), help: "Do not restore data.")
    var noData = false

    @Flag(name: .customLong("no-schema"), help: "Do not restore schema.")
    var noSchema = false

    @Flag(name: .customLong("no-statistics"), help: "Do not restore statistics.")
    var noStatistics = false

    @Flag(name: [.customLong("statistics"), .customLong("with-statistics")], help: "Restore the statistics.")
    var withStatistics = false

    @Flag(name: .customLong("with-data"), help: "Restore the data (with --statistics-only or -s).")
    var withData = false

    @Flag(name: .customLong("with-schema"), help: "Restore the schema (with --statistics-only or -a).")
    var withSchema = false

    @Option(name: .customLong("section"), help: ArgumentHelp(
        "Restore the named section: pre-data, data or post-data. Repeatable.", valueName: "section"), completion: .list(["pre-data", "data", "post-data"]))
    var sections: [String] = []

    @Option(name: [.customShort("t"), .customLong("table")], help: ArgumentHelp(
        "Restore the named relation (table, view, sequence…): exact name; with --patterns a pg_dump pattern. Repeatable.",
        valueName: "name"))
    var tables: [String] = []

    @Option(name: [.customShort("n"), .customLong("schema")], help: ArgumentHelp(
        "Restore only objects in this schema: exact name; with --patterns a pg_dump pattern. Repeatable.",
        valueName: "name"))
    var schemas: [String] = []

    @Option(name: [.customShort("N"), .customLong("exclude-schema")], help: ArgumentHelp(
        "Do not restore objects in this schema: exact name; with --patterns a pg_dump pattern. Repeatable.",
        valueName: "name"))
    var excludeSchemas: [String] = []

    @Option(name: [.customShort("I"), .customLong("index")], help: ArgumentHelp(
        "Restore the named index: exact name; with --patterns a pg_dump pattern. Repeatable.", valueName: "name"))
    var indexes: [String] = []

    @Option(name: [.customShort("P"), .customLong("function")], help: ArgumentHelp(
        "Restore the named function, e.g. 'add(integer, integer)': exact, even with --patterns. Repeatable.",
        valueName: "name(args)"))
    var functions: [String] = []

    @Option(name: [.customShort("T"), .customLong("trigger")], help: ArgumentHelp(
        "Restore the named trigger, given as 'table trigger': exact, even with --patterns. Repeatable.",
        valueName: "name"))
    var triggers: [String] = []

    @Flag(name: .customLong("patterns"), help: ArgumentHelp(
        "Read -t, -n, -N, -I and --filter names as pg_dump patterns: * and ? wildcards, unquoted letters folded to lower case, \"Quoted\" names as written, schema.name (pg_restore compares exact names)."))
    var patterns = false

    @Option(name: [.customShort("L"), .customLong("use-list")], help: ArgumentHelp(
        "Restore only the entries listed in this file, in its order (a list as list prints it).",
        valueName: "file"), completion: .file())
    var useList: String?

    @Option(name: .customLong("filter"), help: ArgumentHelp(
        "Include or exclude objects named in this file (lines like 'include table name'; patterns with --patterns).",
        valueName: "file"), completion: .file())
    var filterFile: String?

    @Flag(name: [.customShort("x"), .customLong("no-privileges"), .customLong("no-acl")],
          help: "Skip access privileges (GRANT/REVOKE).")
    var noPrivileges = false

    @Flag(name: .customLong("no-comments"), help: "Do not restore comments.")
    var noComments = false

    @Flag(name: .customLong("no-policies"), help: "Do not restore row security policies.")
    var noPolicies = false

    @Flag(name: .customLong("no-publications"), help: "Do not restore publications.")
    var noPublications = false

    @Flag(name: .customLong("no-security-labels"), help: "Do not restore security labels.")
    var noSecurityLabels = false

    @Flag(name: .customLong("no-subscriptions"), help: "Do not restore subscriptions.")
    var noSubscriptions = false

    @Flag(name: [.customShort("C"), .customLong("create")], help: "Create the database and connect to it.")
    var create = false

    @Flag(name: .customLong("with-deps"), help: ArgumentHelp(
        "Add what the selected entries need to restore into an empty database: what they depend on (schemas, types, functions, extensions, referenced tables…) and their own data, defaults, constraints, indexes, triggers, sequences, comments and privileges, transitively. Archives only (not plain scripts, which record no dependency graph)."))
    var withDependencies = false

    @Flag(name: .customLong("strict-names"), help: "Require every -n/-t/-I/-P/-T name (or pattern) to match an entry.")
    var strictNames = false

    /// Fills in the selection part of a command line, reading the filter file if one was given.
    func apply(to commandLine: inout PGRestoreCommandLine) throws {
        commandLine.schemaOnly = schemaOnly
        commandLine.dataOnly = dataOnly
        commandLine.statisticsOnly = statisticsOnly
        commandLine.noData = noData
        commandLine.noSchema = noSchema
        commandLine.noStatistics = noStatistics
        commandLine.withData = withData
        commandLine.withSchema = withSchema
        commandLine.withStatistics = withStatistics
        commandLine.create = create
        commandLine.sections = sections
        commandLine.strictNames = strictNames
        var selection = commandLine.selection
        selection.nameMatching = patterns ? .patterns : .exact
        selection.tableNames = tables.map { ArchiveText($0) }
        selection.schemaNames = schemas.map { ArchiveText($0) }
        selection.excludeSchemaNames = excludeSchemas.map { ArchiveText($0) }
        selection.indexNames = indexes.map { ArchiveText($0) }
        selection.functionNames = functions.map { ArchiveText($0) }
        selection.triggerNames = triggers.map { ArchiveText($0) }
        selection.aclsSkip = noPrivileges
        selection.noComments = noComments
        selection.noPolicies = noPolicies
        selection.noPublications = noPublications
        selection.noSecurityLabels = noSecurityLabels
        selection.noSubscriptions = noSubscriptions
        selection.withDependencies = withDependencies
        if let filterFile {
            try FilterFile(contents: try readFile(filterFile, describedAs: "filter file"), name: filterFile)
                .apply(to: &selection)
        }
        commandLine.selection = selection
    }
}

extension SelectionOptions: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .flag("s", "schema-only") { $0.schemaOnly = $1 },
            .flag("a", "data-only") { $0.dataOnly = $1 },
            .flag(nil, "statistics-only") { $0.statisticsOnly = $1 },
            .flag(nil, "no-data") { $0.noData = $1 },
            .flag(nil, "no-schema") { $0.noSchema = $1 },
            .flag(nil, "no-statistics") { $0.noStatistics = $1 },
            .flag(nil, "statistics", "with-statistics") { $0.withStatistics = $1 },
            .flag(nil, "with-data") { $0.withData = $1 },
            .flag(nil, "with-schema") { $0.withSchema = $1 },
            .repeatedOption(nil, "section") { $0.sections = $1 },
            .repeatedOption("t", "table") { $0.tables = $1 },
            .repeatedOption("n", "schema") { $0.schemas = $1 },
            .repeatedOption("N", "exclude-schema") { $0.excludeSchemas = $1 },
            .repeatedOption("I", "index") { $0.indexes = $1 },
            .repeatedOption("P", "function") { $0.functions = $1 },
            .repeatedOption("T", "trigger") { $0.triggers = $1 },
            .flag(nil, "patterns") { $0.patterns = $1 },
            .option("L", "use-list") { $0.useList = $1 },
            .option(nil, "filter") { $0.filterFile = $1 },
            .flag("x", "no-privileges", "no-acl") { $0.noPrivileges = $1 },
            .flag(nil, "no-comments") { $0.noComments = $1 },
            .flag(nil, "no-policies") { $0.noPolicies = $1 },
            .flag(nil, "no-publications") { $0.noPublications = $1 },
            .flag(nil, "no-security-labels") { $0.noSecurityLabels = $1 },
            .flag(nil, "no-subscriptions") { $0.noSubscriptions = $1 },
            .flag("C", "create") { $0.create = $1 },
            .flag(nil, "with-deps") { $0.withDependencies = $1 },
            .flag(nil, "strict-names") { $0.strictNames = $1 },
        ]
    }
}
