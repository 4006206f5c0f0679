import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

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
    /// How the names of `-n`, `-N`, `-t` and `-I` are compared with the entries' names: exactly, as pg_restore
    /// does (the default), or as pg_dump patterns (`--patterns`). `-P` and `-T` are always exact.
    public var nameMatching = NameMatching.exact
    /// `-n`: schema names (or patterns).
    public var schemaNames: [ArchiveText] = []
    /// `-N`: schema names (or patterns) to leave out.
    public var excludeSchemaNames: [ArchiveText] = []
    /// `-t`: names (or patterns) of tables, views, sequences, foreign tables and materialized views.
    public var tableNames: [ArchiveText] = []
    /// `-I`: index names (or patterns).
    public var indexNames: [ArchiveText] = []
    /// `-P`: exact function signatures, e.g. `add1(integer)`.
    public var functionNames: [ArchiveText] = []
    /// `-T`: exact trigger tags, `"<table> <trigger>"`.
    public var triggerNames: [ArchiveText] = []
    /// `-L`: the dump IDs a list file wants, in its order; `nil` when no list is used.
    public var useList: [Int32]?
    /// `-v`: list every entry, with its dependencies.
    public var verbose = false
    /// `--with-deps`: close the selection over the archive's dependency graph (`DependencyClosure`).
    public var withDependencies = false

    public init() {}

    /// Whether any of `-t`, `-I`, `-P`, `-T` is in use (pg's `selTypes`).
    var selectsTypes: Bool {
        !tableNames.isEmpty || !indexNames.isEmpty || !functionNames.isEmpty || !triggerNames.isEmpty
    }
}

/// How the SQL script is written: pg_restore's output options.
public struct ScriptOptions: Sendable, Hashable {
    /// `-O`: no ownership statements.
    public var noOwner = false
    /// `--use-set-session-authorization`: SET SESSION AUTHORIZATION instead of ALTER OWNER.
    public var useSetSessionAuthorization = false
    /// `-S`: the superuser used to disable triggers.
    public var superuser: String?
    /// `-c`: drop objects before creating them.
    public var clean = false
    /// `--if-exists`: DROP … IF EXISTS.
    public var ifExists = false
    /// `-1`: one transaction.
    public var singleTransaction = false
    /// `--transaction-size=N`: commit every N actions (0: off).
    public var transactionSize = 0
    /// `--disable-triggers`: in a data-only restore, disable triggers around each table's data.
    public var disableTriggers = false
    /// `--enable-row-security`.
    public var enableRowSecurity = false
    /// `--no-tablespaces`.
    public var noTablespaces = false
    /// `--no-table-access-method`.
    public var noTableAccessMethod = false
    /// `--role`: SET ROLE after connecting.
    public var role: String?
    /// `--restrict-key`: the psql `\restrict` key. Must be non-empty and alphanumeric.
    public var restrictKey: String
    /// `-v`: comments with TOC entry numbers, dependencies and data positions; start and end times.
    public var verbose = false
    /// `--target-version`: the PostgreSQL major the script is for; `nil` writes what pg_restore 18 writes. Only
    /// the fixed SET block depends on it here; entries are made fit by `TargetAdaptation` beforehand.
    public var targetServerMajor: Int?

    public init(restrictKey: String) {
        self.restrictKey = restrictKey
    }

    /// Whether `key` is usable as a `\restrict` key: non-empty, ASCII letters and digits only. Mirrors
    /// `valid_restrict_key`.
    public static func isValidRestrictKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }

    /// A fresh random key of 63 letters and digits, as pg_restore generates one (`generate_restrict_key`).
    public static func randomRestrictKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<63).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
