import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// What restoring an entry involves. Mirrors the `REQ_*` bits of `pg_backup_archiver.h`.
package struct Requirement: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let schema = Requirement(rawValue: 0x01)
    package static let data = Requirement(rawValue: 0x02)
    /// ENCODING, STDSTRINGS and SEARCHPATH: session settings, never printed as entries.
    package static let special = Requirement(rawValue: 0x04)
    /// STATISTICS DATA (pg_restore 18) and EXTENDED STATISTICS DATA (pg_restore 19).
    package static let statistics = Requirement(rawValue: 0x08)
}

/// Decides which entries a restore or a listing includes. A pure function of the TOC and the options.
package enum EntrySelection {
    /// The requirement of every entry, in the order given (TOC order, or `-L` order), with `names` compiled from
    /// `options` (a plan's).
    ///
    /// Mirrors the marking loop of `ProcessArchiveRestoreOptions` and `PrintTOCSummary`: an entry of section NONE
    /// takes the section of the entry before it, and a dependent entry (ACL, COMMENT…) under selective options is
    /// included only when a parent already marked is.
    package static func requirements(
        of entries: [TOCEntry], options: RestoreOptions, names: SelectionNames
    ) -> [Requirement] {
        var touched = TouchedNames()
        return requirements(of: entries, options: options, names: names, touched: &touched)
    }

    /// `requirements(of:options:names:)`, compiling the names of `options` first (which fails only for a
    /// pattern that is not valid).
    package static func requirements(of entries: [TOCEntry], options: RestoreOptions) throws -> [Requirement] {
        requirements(of: entries, options: options, names: try SelectionNames(options, encoding: .of(entries)))
    }

    /// Which of the names given with `-n`, `-t`, `-I`, `-P`, `-T` matched some entry, by position in their
    /// lists, for `--strict-names`. pg marks a name when a membership test finds it, in the order
    /// `_tocEntryRequired` tests them.
    package struct TouchedNames: Sendable {
        package var schemas: Set<Int> = []
        package var tables: Set<Int> = []
        package var indexes: Set<Int> = []
        package var functions: Set<Int> = []
        package var triggers: Set<Int> = []
        package init() {}
    }

    /// The first name given that matched nothing: for exact names as pg_restore's `StrictNamesCheck` reports
    /// it (`table "x" not found`), for patterns as pg_dump's `--strict-names` does (`no matching tables were
    /// found for pattern "x"`).
    package static func strictNamesError(names: SelectionNames, touched: TouchedNames) -> PGDumpError? {
        let checks: [(String, String, NameMatcher, Set<Int>)] = [
            ("schema", "schemas", names.schemas, touched.schemas), ("table", "tables", names.tables, touched.tables),
            ("index", "indexes", names.indexes, touched.indexes),
            ("function", "functions", names.functions, touched.functions),
            ("trigger", "triggers", names.triggers, touched.triggers),
        ]
        for (kind, plural, matcher, found) in checks {
            guard let missing = matcher.names.indices.first(where: { !found.contains($0) }) else { continue }
            let name = matcher.names[missing].string
            switch matcher.rule {
            case .exact: return PGDumpError(.invalidRequest, "\(kind) \"\(name)\" not found")
            case .patterns: return PGDumpError(.invalidRequest, "no matching \(plural) were found for pattern \"\(name)\"")
            }
        }
        return nil
    }

    /// `requirements(of:options:names:)`, recording which selection names matched.
    package static func requirements(
        of entries: [TOCEntry], options: RestoreOptions, names: SelectionNames, touched: inout TouchedNames
    ) -> [Requirement] {
        if options.withDependencies {
            return closedSelection(of: entries, options: options, names: names, touched: &touched).requirements
        }
        let wanted = options.useList.map(Set.init)
        var result = [Requirement](repeating: [], count: entries.count)
        // Parents are looked up only under selective options; the index is built on first use. With duplicate
        // dump IDs the last entry wins, as in pg's buildTocEntryArrays.
        var byDumpID: [Int32: Int]?
        var currentSection = Section.preData
        // Entries are passed as a buffer and an index: a TOCEntry passed by value would be copied, all its
        // strings retained and released, for every entry.
        entries.withUnsafeBufferPointer { entries in
            for index in entries.indices {
                if entries[index].section != .none { currentSection = entries[index].section }
                result[index] = requirement(
                    of: index, in: entries, section: currentSection, options: options, names: names,
                    wanted: wanted, touched: &touched
                ) { dependency in
                    if byDumpID == nil {
                        var indexes: [Int32: Int] = [:]
                        for index in entries.indices { indexes[entries[index].dumpID] = index }
                        byDumpID = indexes
                    }
                    guard let parentIndex = byDumpID![dependency] else { return nil }
                    return (parentIndex, result[parentIndex])
                }
            }
        }
        return result
    }

    /// `requirements(of:options:names:)` closed over the dependency graph (`--with-deps`, `DependencyClosure`), with
    /// why each entry the closure added came in, by entry index. Without `options.withDependencies`, the
    /// requirements alone.
    package static func closedSelection(
        of entries: [TOCEntry], options: RestoreOptions, names: SelectionNames
    ) -> DependencyClosure.Result {
        var touched = TouchedNames()
        return closedSelection(of: entries, options: options, names: names, touched: &touched)
    }

    private static func closedSelection(
        of entries: [TOCEntry], options: RestoreOptions, names: SelectionNames, touched: inout TouchedNames
    ) -> DependencyClosure.Result {
        var seedOptions = options
        seedOptions.withDependencies = false
        let selected = requirements(of: entries, options: seedOptions, names: names, touched: &touched)
        guard options.withDependencies else { return DependencyClosure.Result(requirements: selected, reasons: [:]) }
        // What the kind options alone (-s, -a, --section, -x, --no-comments…) allow each entry: no names, no -L.
        var kindOptions = seedOptions
        kindOptions.schemaNames = []
        kindOptions.excludeSchemaNames = []
        kindOptions.tableNames = []
        kindOptions.indexNames = []
        kindOptions.functionNames = []
        kindOptions.triggerNames = []
        kindOptions.useList = nil
        let allowed = requirements(of: entries, options: kindOptions, names: SelectionNames(matchingExactly: kindOptions))
        return entries.withUnsafeBufferPointer { entries in
            DependencyClosure.close(entries: entries, selected: selected, allowed: allowed)
        }
    }

    /// The requirement of `entries[index]`. Mirrors `_tocEntryRequired` of pg_restore 18, with pg_restore 19's
    /// EXTENDED STATISTICS DATA.
    static func requirement(
        of index: Int, in entries: UnsafeBufferPointer<TOCEntry>, section: Section, options: RestoreOptions,
        names: SelectionNames, wanted: Set<Int32>?, touched: inout TouchedNames, parent: (Int32) -> (index: Int, requirement: Requirement)?
    ) -> Requirement {
        let desc = entries[index].desc
        var result: Requirement = [.schema, .data]

        if desc.equals("ENCODING") || desc.equals("STDSTRINGS") || desc.equals("SEARCHPATH") {
            return .special
        }
        // pg_restore 19 gates EXTENDED STATISTICS DATA exactly as STATISTICS DATA: only with statistics wanted,
        // and as statistics alone, so -s, -a, --statistics, --no-statistics and --statistics-only treat both alike
        // (pg_backup_archiver.c of 19, _tocEntryRequired: `strcmp(te->desc, "STATISTICS DATA") == 0 ||
        // strcmp(te->desc, "EXTENDED STATISTICS DATA") == 0` → `if (!ropt->dumpStatistics) return 0; res =
        // REQ_STATS;`). No archive of pg_dump 18 or earlier holds the second, so 18's output is unchanged.
        if isStatisticsData(desc) {
            if !options.dumpStatistics { return [] }
            result = .statistics
        }
        // DATABASE entries follow -C and nothing else.
        if desc.equals("DATABASE") || desc.equals("DATABASE PROPERTIES") {
            return options.createDB ? .schema : []
        }
        if options.aclsSkip && isACL(desc) { return [] }
        if options.noComments && desc.equals("COMMENT") { return [] }
        if options.noPolicies && (desc.equals("POLICY") || desc.equals("ROW SECURITY")) { return [] }
        if options.noPublications
            && (desc.equals("PUBLICATION") || desc.equals("PUBLICATION TABLE")
                || desc.equals("PUBLICATION TABLES IN SCHEMA"))
        {
            return []
        }
        if options.noSecurityLabels && desc.equals("SECURITY LABEL") { return [] }
        if options.noSubscriptions && desc.equals("SUBSCRIPTION") { return [] }
        // pg_restore 18 leaves out comments on the objects those options leave out (verified against 18.6).
        if desc.equals("COMMENT"), let tag = entries[index].tag {
            if options.noPolicies && tag.hasPrefix("POLICY") { return [] }
            if options.noPublications && tag.hasPrefix("PUBLICATION") { return [] }
            if options.noSubscriptions && tag.hasPrefix("SUBSCRIPTION") { return [] }
        }
        // An unknown section (only a damaged archive has one) is never selected, as in pg's switch.
        guard section == .preData || section == .data || section == .postData else { return [] }
        if !options.sections.isEmpty && !options.sections.contains(section) { return [] }
        if let wanted, !wanted.contains(entries[index].dumpID) { return [] }

        let tag = entries[index].tag ?? ArchiveText(bytes: [])
        // pg_restore 18 lets -n/-N decide a STATISTICS DATA entry by its own schema, as a standalone entry; only
        // -t/-I/-P/-T make it follow its parent. This matters where the parent is not in the archive: the index of
        // an extension's config table has statistics but no entry (verified against 18.6: `-N other` keeps it).
        // EXTENDED STATISTICS DATA is a standalone entry in every case in pg_restore 19: -n/-N decide it by its
        // own schema (the statistics object's), and -t/-I/-P/-T leave it out, as they leave out the STATISTICS
        // entry it belongs to, since neither desc is one those options select (the final `else return 0` of
        // _tocEntryRequired's selTypes chain).
        let isStatistics = desc.equals("STATISTICS DATA")
        if desc.equals("ACL") || desc.equals("COMMENT") || (isStatistics && options.selectsTypes)
            || desc.equals("SECURITY LABEL")
        {
            if tag.hasPrefix("DATABASE ") {
                if !options.createDB { return [] }
            } else if !options.schemaNames.isEmpty || !options.excludeSchemaNames.isEmpty || options.selectsTypes {
                // Under selective options a dependent entry follows its parent; dependencies on other ACLs and
                // on entries not in the archive do not count.
                let hasMarkedParent = entries[index].dependencies.contains { dependency in
                    guard let (parentIndex, parentRequirement) = parent(dependency) else { return false }
                    return !entries[parentIndex].desc.equals("ACL") && !parentRequirement.isEmpty
                }
                if !hasMarkedParent { return [] }
            }
        } else {
            let namespace = entries[index].namespace
            if !names.schemas.isEmpty {
                guard let namespace, names.schemas.matches(namespace, recordingIn: &touched.schemas) else { return [] }
            }
            if let namespace, names.excludedSchemas.matches(namespace) { return [] }
            if options.selectsTypes {
                // A pattern's schema part is matched against the entry's schema; an exact name never has one.
                func tagMatches(_ matcher: NameMatcher, recordingIn found: inout Set<Int>) -> Bool {
                    !matcher.isEmpty && matcher.matches(tag, inSchema: namespace, recordingIn: &found)
                }
                // Each kind's set passed inout, not through a key path: instantiating one resolves its generic
                // arguments by name at run time, a scan of the binary's conformance records per key path.
                let matched: Bool
                switch desc.string {
                case "TABLE", "TABLE DATA", "VIEW", "FOREIGN TABLE", "MATERIALIZED VIEW", "MATERIALIZED VIEW DATA",
                    "SEQUENCE", "SEQUENCE SET":
                    matched = tagMatches(names.tables, recordingIn: &touched.tables)
                case "INDEX":
                    matched = tagMatches(names.indexes, recordingIn: &touched.indexes)
                case "FUNCTION", "AGGREGATE", "PROCEDURE":
                    matched = tagMatches(names.functions, recordingIn: &touched.functions)
                case "TRIGGER":
                    matched = tagMatches(names.triggers, recordingIn: &touched.triggers)
                default:
                    return []
                }
                if !matched { return [] }
            }
        }

        if !entries[index].hadDumper {
            // SEQUENCE SET and large-object metadata are data even without a data dumper.
            let isData = desc.equals("SEQUENCE SET") || desc.equals("BLOB") || desc.equals("BLOB METADATA")
                || ((desc.equals("ACL") || desc.equals("COMMENT") || desc.equals("SECURITY LABEL"))
                    && tag.hasPrefix("LARGE OBJECT"))
            if isData {
                result.formIntersection(.data)
            } else {
                result.remove(.data)
            }
        }
        if entries[index].defn == nil || entries[index].defn!.isEmpty || entries[index].defn!.hasPrefix("-- load via partition root ") {
            result.remove(.schema)
        }
        if desc.equals("<Init>") && tag.equals("Max OID") { return [] }
        if !options.dumpData { result.formIntersection([.schema, .statistics]) }
        if !options.dumpSchema { result.formIntersection([.data, .statistics]) }
        return result
    }

    /// STATISTICS DATA (pg_dump 18) and EXTENDED STATISTICS DATA (pg_dump 19): the entries pg_restore treats as
    /// statistics (`REQ_STATS`).
    package static func isStatisticsData(_ desc: ArchiveText) -> Bool {
        desc.equals("STATISTICS DATA") || desc.equals("EXTENDED STATISTICS DATA")
    }

    /// ACL, ACL LANGUAGE and DEFAULT ACL entries. Mirrors `_tocEntryIsACL`.
    static func isACL(_ desc: ArchiveText) -> Bool {
        desc.equals("ACL") || desc.equals("ACL LANGUAGE") || desc.equals("DEFAULT ACL")
    }
}
