/// The options of pg_restore that decide which entries are restored or listed, and how SQL is rendered.
///
/// Field names follow pg's `RestoreOptions` where one exists. `dumpSchema`, `dumpData` and `dumpStatistics` are
/// the derived switches pg_restore 18 computes from `-s`, `-a`, `--statistics-only`, `--no-data`… in `main`.
public struct RestoreOptions: Sendable, Hashable {
    /// `-C`: restore DATABASE entries and reconnect.
    public var createDB = false
    public var dumpSchema = true
    public var dumpData = true
    public var dumpStatistics = true
    /// `-x`: skip ACL, ACL LANGUAGE and DEFAULT ACL entries.
    public var aclsSkip = false
    public var noComments = false
    public var noPolicies = false
    public var noPublications = false
    public var noSecurityLabels = false
    public var noSubscriptions = false
    /// `--section`; all sections when empty.
    public var sections: Set<Section> = []
    /// `-n`: exact schema names.
    public var schemaNames: [ArchiveText] = []
    /// `-N`: exact schema names to leave out.
    public var excludeSchemaNames: [ArchiveText] = []
    /// `-t`: exact names of tables, views, sequences, foreign tables and materialized views.
    public var tableNames: [ArchiveText] = []
    /// `-I`: exact index names.
    public var indexNames: [ArchiveText] = []
    /// `-P`: exact function signatures, e.g. `add1(integer)`.
    public var functionNames: [ArchiveText] = []
    /// `-T`: exact trigger tags, `"<table> <trigger>"`.
    public var triggerNames: [ArchiveText] = []
    /// `-L`: the dump IDs a list file wants, in its order; `nil` when no list is used.
    public var useList: [Int32]?
    /// `-v`: list every entry, with its dependencies.
    public var verbose = false

    public init() {}

    /// Whether any of `-t`, `-I`, `-P`, `-T` is in use (pg's `selTypes`).
    var selectsTypes: Bool {
        !tableNames.isEmpty || !indexNames.isEmpty || !functionNames.isEmpty || !triggerNames.isEmpty
    }
}
