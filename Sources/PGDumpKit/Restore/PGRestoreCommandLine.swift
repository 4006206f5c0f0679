import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// pg_restore's options as given on its command line, checked and resolved the way pg_restore 18's `main` does
/// it: the same conflicts, the same messages, the same derived switches.
public struct PGRestoreCommandLine: Sendable {
    public var schemaOnly = false
    public var dataOnly = false
    public var statisticsOnly = false
    public var noData = false
    public var noSchema = false
    public var noStatistics = false
    public var withData = false
    public var withSchema = false
    public var withStatistics = false
    public var clean = false
    public var ifExists = false
    public var create = false
    public var singleTransaction = false
    /// `--transaction-size`, when given (pg_restore requires 1 or more).
    public var transactionSize: Int?
    public var jobs = 1
    public var restrictKey: String?
    public var sections: [String] = []
    public var selection = RestoreOptions()
    public var script = ScriptOptions(restrictKey: "")
    public var strictNames = false

    public init() {}

    /// An option error, with pg_restore's message and exit status.
    public struct UsageError: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var description: String { message }
    }

    /// Checks the options in pg_restore's order and returns the selection and script options to use.
    public func resolve() throws(UsageError) -> (RestoreOptions, ScriptOptions) {
        func conflict(_ first: String, _ second: String) -> UsageError {
            UsageError(message: "options \(first) and \(second) cannot be used together")
        }
        // pg_restore checks these while parsing, before anything else.
        if jobs < 1 || jobs > Int(Int32.max) {
            throw UsageError(message: "-j/--jobs must be in range 1..2147483647")
        }
        var sectionSet: Set<Section> = []
        for name in sections {
            switch name {
            case "pre-data": sectionSet.insert(.preData)
            case "data": sectionSet.insert(.data)
            case "post-data": sectionSet.insert(.postData)
            default:
                throw UsageError(message: "unrecognized section name: \"\(name)\"")
            }
        }
        if let transactionSize, transactionSize < 1 || transactionSize > Int(Int32.max) {
            throw UsageError(message: "--transaction-size must be in range 1..2147483647")
        }
        var script = self.script
        if let restrictKey {
            guard ScriptOptions.isValidRestrictKey(restrictKey) else {
                throw UsageError(message: "invalid restrict key")
            }
            script.restrictKey = restrictKey
        } else {
            script.restrictKey = ScriptOptions.randomRestrictKey()
        }
        if dataOnly && schemaOnly { throw conflict("-s/--schema-only", "-a/--data-only") }
        if schemaOnly && statisticsOnly { throw conflict("-s/--schema-only", "--statistics-only") }
        if dataOnly && statisticsOnly { throw conflict("-a/--data-only", "--statistics-only") }
        if dataOnly && noData { throw conflict("-a/--data-only", "--no-data") }
        if schemaOnly && noSchema { throw conflict("-s/--schema-only", "--no-schema") }
        if statisticsOnly && noStatistics { throw conflict("--statistics-only", "--no-statistics") }
        if withData && noData { throw conflict("--with-data", "--no-data") }
        if withSchema && noSchema { throw conflict("--with-schema", "--no-schema") }
        if withStatistics && noStatistics { throw conflict("--statistics", "--no-statistics") }
        if schemaOnly && withStatistics { throw conflict("-s/--schema-only", "--statistics") }
        if dataOnly && withStatistics { throw conflict("-a/--data-only", "--statistics") }
        if dataOnly && clean { throw conflict("-c/--clean", "-a/--data-only") }
        if singleTransaction && (transactionSize ?? 0) > 0 {
            throw conflict("-1/--single-transaction", "--transaction-size")
        }
        if create && singleTransaction { throw conflict("-C/--create", "-1/--single-transaction") }
        if singleTransaction && jobs > 1 {
            throw UsageError(message: "cannot specify both --single-transaction and multiple jobs")
        }
        var selection = self.selection
        selection.dumpData = ((!schemaOnly && !statisticsOnly) || dataOnly || withData) && !noData
        selection.dumpSchema = ((!dataOnly && !statisticsOnly) || schemaOnly || withSchema) && !noSchema
        selection.dumpStatistics = ((!schemaOnly && !dataOnly) || statisticsOnly || withStatistics) && !noStatistics
        selection.createDB = create
        selection.sections = sectionSet
        if ifExists && !clean {
            throw UsageError(message: "option --if-exists requires option -c/--clean")
        }
        script.clean = clean
        script.ifExists = ifExists
        script.singleTransaction = singleTransaction
        script.transactionSize = transactionSize ?? 0
        return (selection, script)
    }
}
