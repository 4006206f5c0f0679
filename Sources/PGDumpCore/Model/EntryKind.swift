/// The type of a TOC entry: its `desc`, as a value to switch over.
///
/// The known cases are the descriptions pg_dump 19 passes to `ArchiveEntry` (`pg_dump.c`), except the
/// binary-upgrade-only `pg_largeobject`, plus the ones older versions wrote that pg_restore still handles
/// (`BLOB`, `BLOB COMMENTS`, `ACL LANGUAGE`). Anything else, from a newer pg_dump, another tool or a damaged
/// archive, is `unknown` with the text as stored, so every entry has a kind and `desc` gives its text back.
///
/// ```swift
/// for entry in reader.entries where entry.kind == .table {
///     print(entry.qualifiedDisplayName)
/// }
/// ```
public enum EntryKind: Hashable, Sendable, CustomStringConvertible {
    // Tables and their data.
    /// `TABLE`: a table's `CREATE TABLE` (also an inheritance child or a partition).
    case table
    /// `TABLE DATA`: a table's rows, as COPY data or INSERT statements.
    case tableData
    /// `TABLE ATTACH`: `ALTER TABLE … ATTACH PARTITION`.
    case tableAttach
    /// `FOREIGN TABLE`.
    case foreignTable
    /// `VIEW`.
    case view
    /// `MATERIALIZED VIEW`.
    case materializedView
    /// `MATERIALIZED VIEW DATA`: the `REFRESH MATERIALIZED VIEW` that fills it.
    case materializedViewData
    /// `SEQUENCE`.
    case sequence
    /// `SEQUENCE SET`: the sequence's current value (`setval`).
    case sequenceSet
    /// `SEQUENCE OWNED BY`.
    case sequenceOwnedBy
    /// `DEFAULT`: a column default set apart from its table.
    case columnDefault

    // Indexes, constraints, rules and triggers.
    /// `INDEX`.
    case index
    /// `INDEX ATTACH`: a partition's index attached to its parent's.
    case indexAttach
    /// `CONSTRAINT`: primary key, unique and exclusion constraints.
    case constraint
    /// `CHECK CONSTRAINT`: a check constraint dumped apart from its table or domain.
    case checkConstraint
    /// `FK CONSTRAINT`: a foreign key.
    case foreignKeyConstraint
    /// `TRIGGER`.
    case trigger
    /// `EVENT TRIGGER`.
    case eventTrigger
    /// `RULE`.
    case rule
    /// `POLICY`: a row-level security policy.
    case policy
    /// `ROW SECURITY`: `ALTER TABLE … ENABLE ROW LEVEL SECURITY`.
    case rowSecurity

    // Routines, types and other schema objects.
    /// `FUNCTION`.
    case function
    /// `PROCEDURE`.
    case procedure
    /// `AGGREGATE`.
    case aggregate
    /// `TYPE`: base, composite, enum and range types.
    case type
    /// `SHELL TYPE`.
    case shellType
    /// `DOMAIN`.
    case domain
    /// `SCHEMA`.
    case schema
    /// `EXTENSION`.
    case `extension`
    /// `CAST`.
    case cast
    /// `COLLATION`.
    case collation
    /// `CONVERSION`.
    case conversion
    /// `OPERATOR`.
    case `operator`
    /// `OPERATOR CLASS`.
    case operatorClass
    /// `OPERATOR FAMILY`.
    case operatorFamily
    /// `ACCESS METHOD`.
    case accessMethod
    /// `PROCEDURAL LANGUAGE`.
    case proceduralLanguage
    /// `TRANSFORM`.
    case transform
    /// `TEXT SEARCH PARSER`.
    case textSearchParser
    /// `TEXT SEARCH TEMPLATE`.
    case textSearchTemplate
    /// `TEXT SEARCH DICTIONARY`.
    case textSearchDictionary
    /// `TEXT SEARCH CONFIGURATION`.
    case textSearchConfiguration
    /// `FOREIGN DATA WRAPPER`.
    case foreignDataWrapper
    /// `SERVER`: a foreign server.
    case foreignServer
    /// `USER MAPPING`.
    case userMapping
    /// `STATISTICS`: an extended statistics object (`CREATE STATISTICS`).
    case statistics
    /// `STATISTICS DATA`: a relation's planner statistics (pg_dump 18).
    case statisticsData
    /// `EXTENDED STATISTICS DATA`: the data of an extended statistics object, a `pg_restore_extended_stats()` call
    /// (pg_dump 19).
    case extendedStatisticsData
    /// `PROPERTY GRAPH`: an SQL/PGQ property graph, a relation of relkind `g` (pg_dump 19).
    case propertyGraph

    // Replication.
    /// `PUBLICATION`.
    case publication
    /// `PUBLICATION TABLE`.
    case publicationTable
    /// `PUBLICATION TABLES IN SCHEMA`.
    case publicationTablesInSchema
    /// `SUBSCRIPTION`.
    case subscription
    /// `SUBSCRIPTION TABLE` (binary upgrade only).
    case subscriptionTable

    // Comments, labels and privileges.
    /// `COMMENT`.
    case comment
    /// `SECURITY LABEL`.
    case securityLabel
    /// `ACL`: the `GRANT`s and `REVOKE`s of an object.
    case acl
    /// `DEFAULT ACL`: `ALTER DEFAULT PRIVILEGES`.
    case defaultACL
    /// `ACL LANGUAGE`: a procedural language's privileges, as old pg_dump versions wrote them (pg_restore treats it
    /// as an ACL).
    case aclLanguage

    // Large objects.
    /// `BLOB METADATA`: a group of large objects' creation (pg_dump 17 and later).
    case blobMetadata
    /// `BLOB`: one large object's creation (pg_dump 16 and earlier).
    case blob
    /// `BLOBS`: large objects' contents.
    case blobs
    /// `BLOB COMMENTS`: comments on large objects (pg_dump 8.4 and earlier).
    case blobComments

    // The database and the session.
    /// `DATABASE`: `CREATE DATABASE`.
    case database
    /// `DATABASE PROPERTIES`: the database's settings, restored after connecting to it.
    case databaseProperties
    /// `ENCODING`: the dump's `client_encoding`.
    case encoding
    /// `STDSTRINGS`: the dump's `standard_conforming_strings`.
    case stdStrings
    /// `SEARCHPATH`: the dump's `search_path`.
    case searchPath

    /// Any other description, as stored (decoded as UTF-8). `init(desc:)` never makes one that holds a known case's
    /// description.
    case unknown(String)

    /// Every kind except `unknown`, in declaration order.
    public static let allKnown: [EntryKind] = [
        .table, .tableData, .tableAttach, .foreignTable, .view, .materializedView, .materializedViewData,
        .sequence, .sequenceSet, .sequenceOwnedBy, .columnDefault,
        .index, .indexAttach, .constraint, .checkConstraint, .foreignKeyConstraint, .trigger, .eventTrigger, .rule,
        .policy, .rowSecurity,
        .function, .procedure, .aggregate, .type, .shellType, .domain, .schema, .extension, .cast, .collation,
        .conversion, .operator, .operatorClass, .operatorFamily, .accessMethod, .proceduralLanguage, .transform,
        .textSearchParser, .textSearchTemplate, .textSearchDictionary, .textSearchConfiguration,
        .foreignDataWrapper, .foreignServer, .userMapping, .statistics, .statisticsData,
        .extendedStatisticsData, .propertyGraph, .publication, .publicationTable, .publicationTablesInSchema, .subscription, .subscriptionTable,
        .comment, .securityLabel, .acl, .defaultACL, .aclLanguage,
        .blobMetadata, .blob, .blobs, .blobComments,
        .database, .databaseProperties, .encoding, .stdStrings, .searchPath,
    ]

    private static let byDesc: [String: EntryKind] = {
        var table: [String: EntryKind] = [:]
        for kind in allKnown { table[kind.desc] = kind }
        return table
    }()

    /// The kind a TOC entry's description names; `unknown` for any other text. Matched exactly, as pg_restore
    /// compares descriptions (`strcmp`).
    public init(desc: String) {
        self = Self.byDesc[desc] ?? .unknown(desc)
    }

    /// The description as pg_dump writes it in the TOC (`TABLE DATA`, `FK CONSTRAINT`…).
    public var desc: String {
        switch self {
        case .table: return "TABLE"
        case .tableData: return "TABLE DATA"
        case .tableAttach: return "TABLE ATTACH"
        case .foreignTable: return "FOREIGN TABLE"
        case .view: return "VIEW"
        case .materializedView: return "MATERIALIZED VIEW"
        case .materializedViewData: return "MATERIALIZED VIEW DATA"
        case .sequence: return "SEQUENCE"
        case .sequenceSet: return "SEQUENCE SET"
        case .sequenceOwnedBy: return "SEQUENCE OWNED BY"
        case .columnDefault: return "DEFAULT"
        case .index: return "INDEX"
        case .indexAttach: return "INDEX ATTACH"
        case .constraint: return "CONSTRAINT"
        case .checkConstraint: return "CHECK CONSTRAINT"
        case .foreignKeyConstraint: return "FK CONSTRAINT"
        case .trigger: return "TRIGGER"
        case .eventTrigger: return "EVENT TRIGGER"
        case .rule: return "RULE"
        case .policy: return "POLICY"
        case .rowSecurity: return "ROW SECURITY"
        case .function: return "FUNCTION"
        case .procedure: return "PROCEDURE"
        case .aggregate: return "AGGREGATE"
        case .type: return "TYPE"
        case .shellType: return "SHELL TYPE"
        case .domain: return "DOMAIN"
        case .schema: return "SCHEMA"
        case .extension: return "EXTENSION"
        case .cast: return "CAST"
        case .collation: return "COLLATION"
        case .conversion: return "CONVERSION"
        case .operator: return "OPERATOR"
        case .operatorClass: return "OPERATOR CLASS"
        case .operatorFamily: return "OPERATOR FAMILY"
        case .accessMethod: return "ACCESS METHOD"
        case .proceduralLanguage: return "PROCEDURAL LANGUAGE"
        case .transform: return "TRANSFORM"
        case .textSearchParser: return "TEXT SEARCH PARSER"
        case .textSearchTemplate: return "TEXT SEARCH TEMPLATE"
        case .textSearchDictionary: return "TEXT SEARCH DICTIONARY"
        case .textSearchConfiguration: return "TEXT SEARCH CONFIGURATION"
        case .foreignDataWrapper: return "FOREIGN DATA WRAPPER"
        case .foreignServer: return "SERVER"
        case .userMapping: return "USER MAPPING"
        case .statistics: return "STATISTICS"
        case .statisticsData: return "STATISTICS DATA"
        case .extendedStatisticsData: return "EXTENDED STATISTICS DATA"
        case .propertyGraph: return "PROPERTY GRAPH"
        case .publication: return "PUBLICATION"
        case .publicationTable: return "PUBLICATION TABLE"
        case .publicationTablesInSchema: return "PUBLICATION TABLES IN SCHEMA"
        case .subscription: return "SUBSCRIPTION"
        case .subscriptionTable: return "SUBSCRIPTION TABLE"
        case .comment: return "COMMENT"
        case .securityLabel: return "SECURITY LABEL"
        case .acl: return "ACL"
        case .defaultACL: return "DEFAULT ACL"
        case .aclLanguage: return "ACL LANGUAGE"
        case .blobMetadata: return "BLOB METADATA"
        case .blob: return "BLOB"
        case .blobs: return "BLOBS"
        case .blobComments: return "BLOB COMMENTS"
        case .database: return "DATABASE"
        case .databaseProperties: return "DATABASE PROPERTIES"
        case .encoding: return "ENCODING"
        case .stdStrings: return "STDSTRINGS"
        case .searchPath: return "SEARCHPATH"
        case .unknown(let text): return text
        }
    }

    public var description: String { desc }

    /// Whether the kind is one pg_dump 19 or an earlier pg_dump writes.
    public var isKnown: Bool {
        if case .unknown = self { return false }
        return true
    }
}

extension TOCEntry {
    /// The entry's type as an `EntryKind`; `desc` holds the same as stored bytes.
    ///
    /// A description that is not valid UTF-8 is `unknown`, with invalid bytes replaced by U+FFFD.
    public var kind: EntryKind { EntryKind(desc: desc.string) }
}
