import PGDumpCore

/// The names of a selection (`-n`, `-N`, `-t`, `-I`, `-P`, `-T`), ready to compare with entries under the
/// selection's `nameMatching`: patterns are compiled once, for a whole plan.
package struct SelectionNames: Sendable {
    package let schemas: NameMatcher
    package let excludedSchemas: NameMatcher
    package let tables: NameMatcher
    package let indexes: NameMatcher
    /// `-P` and `-T` are always exact: a function signature (`add(integer, integer)`) and a trigger's
    /// `table trigger` tag are not names a pg_dump pattern describes.
    package let functions: NameMatcher
    package let triggers: NameMatcher

    /// Compiles the names of `options`; `encoding` is the archive's (`DatabaseEncoding.of(_:)`).
    package init(_ options: RestoreOptions, encoding: DatabaseEncoding) throws(PGDumpError) {
        let rule = options.nameMatching
        schemas = try NameMatcher(options.schemaNames, rule: rule, form: .unqualified, encoding: encoding)
        excludedSchemas = try NameMatcher(options.excludeSchemaNames, rule: rule, form: .unqualified, encoding: encoding)
        tables = try NameMatcher(options.tableNames, rule: rule, form: .qualified, encoding: encoding)
        indexes = try NameMatcher(options.indexNames, rule: rule, form: .qualified, encoding: encoding)
        functions = NameMatcher(exactly: options.functionNames)
        triggers = NameMatcher(exactly: options.triggerNames)
    }

    /// The names of `options` compared exactly, whatever its `nameMatching` says; for callers without a plan.
    package init(matchingExactly options: RestoreOptions) {
        schemas = NameMatcher(exactly: options.schemaNames)
        excludedSchemas = NameMatcher(exactly: options.excludeSchemaNames)
        tables = NameMatcher(exactly: options.tableNames)
        indexes = NameMatcher(exactly: options.indexNames)
        functions = NameMatcher(exactly: options.functionNames)
        triggers = NameMatcher(exactly: options.triggerNames)
    }
}
