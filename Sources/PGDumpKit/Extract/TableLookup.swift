import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Finds the TABLE DATA entries that names given on the command line (`-t`, `-n`, `--all`) refer to.
///
/// Names are compared under a `NameMatching` rule, through `NameMatcher` and `NamePattern` as every command's
/// selection is.
///
/// `.exact` (the default, as pg_restore reads `-t`): a `-t` name is tried, in this order, until one reading finds
/// something:
/// 1. the exact table name, in any schema (or in the `-n` schemas, exact names too);
/// 2. without `-n`: `schema.table`, split at each dot in turn, both parts exact, for names that hold dots.
/// A name that fits more than one table, a table with no data in the archive, and a name that fits nothing are
/// errors that list the candidates; when a name fits nothing exactly but would as a pattern (`-t Actor` for a
/// table `actor`), the error's hint says so.
///
/// `.patterns`: every `-t` and `-n` is a pg_dump pattern (`NamePattern`: `'app.order_*'`, `'"Odd Name"'`), and
/// a `-t` pattern selects every table with data that it matches, in any schema when it has no schema part (and
/// in the `-n` schemas, when given). A pattern that matches no table with data is an error, which lists close
/// candidates or, when it matches only relations without data (views, a partitioned table), says why.
public enum TableLookup {
    /// The TABLE DATA entries selected, each once, in the order their data is stored (so that an archive read from
    /// a pipe is read forward).
    ///
    /// - Parameters:
    ///   - tables: `-t` names (or patterns).
    ///   - schemas: `-n` names (or patterns): only tables in these schemas.
    ///   - all: every table with data (in `schemas`, if any).
    ///   - matching: how names are compared; exactly unless `.patterns` is given.
    /// - Throws: a `PGDumpError` of kind `invalidRequest` when a name selects nothing (see the type's notes), or
    ///   a pattern is not valid.
    public static func dataEntries(
        tables: [String], schemas: [String], all: Bool, matching: NameMatching = .exact, in entries: [TOCEntry]
    ) throws -> [TOCEntry] {
        let encoding = DatabaseEncoding.of(entries)
        let schemaFilter = try NameMatcher(
            schemas.map { ArchiveText($0) }, rule: matching, form: .unqualified, encoding: encoding)
        let dataEntries = entries.filter { $0.desc.equals("TABLE DATA") && $0.hasData }
        var selected: [TOCEntry] = []
        if all {
            selected = dataEntries.filter { inSchemas($0, schemaFilter) }
            if selected.isEmpty {
                if dataEntries.isEmpty { throw PGDumpError(.invalidRequest, "the archive holds no table data") }
                let withData = Array(Set(dataEntries.compactMap { $0.namespace?.string })).sorted()
                let given = schemas.map(\.debugDescription).joined(separator: ", ")
                let which = matching == .exact ? "in schema \(given)" : "in a schema matching \(given)"
                throw PGDumpError(
                    .invalidRequest,
                    "no table \(which) has data in the archive; schemas with table data: \(withData.map(\.debugDescription).joined(separator: ", "))")
            }
        }
        for name in tables {
            switch matching {
            case .exact:
                selected.append(try dataEntry(named: name, schemaFilter: schemaFilter, schemas: schemas, dataEntries: dataEntries, entries: entries))
            case .patterns:
                let pattern = try NamePattern(name, form: .qualified, encoding: encoding)
                selected += try tablesWithData(matching: pattern, schemaFilter: schemaFilter, dataEntries: dataEntries, entries: entries)
            }
        }
        var seen: Set<Int32> = []
        selected = selected.filter { seen.insert($0.dumpID).inserted }
        return inStorageOrder(selected, entries: entries)
    }

    /// The entries in the order their data is stored, the order to read them in: by offset where every one has a
    /// recorded offset, otherwise in TOC order (the order pg_dump writes data in), which an input that cannot seek
    /// requires.
    public static func inStorageOrder(_ selected: [TOCEntry], entries: [TOCEntry]) -> [TOCEntry] {
        let offsets = selected.compactMap { entry -> Int64? in
            if case .offset(let offset) = entry.dataLocation { return offset } else { return nil }
        }
        if offsets.count == selected.count {
            return selected.sorted {
                guard case .offset(let left) = $0.dataLocation, case .offset(let right) = $1.dataLocation else { return false }
                return left < right
            }
        }
        var position: [Int32: Int] = [:]
        for (index, entry) in entries.enumerated() where position[entry.dumpID] == nil { position[entry.dumpID] = index }
        return selected.sorted { (position[$0.dumpID] ?? 0) < (position[$1.dumpID] ?? 0) }
    }

    /// Entry types that name a relation, with or without data.
    private static let relationTypes = ["TABLE", "VIEW", "MATERIALIZED VIEW", "FOREIGN TABLE", "SEQUENCE"]

    private static func inSchemas(_ entry: TOCEntry, _ schemaFilter: NameMatcher) -> Bool {
        schemaFilter.isEmpty || schemaFilter.matches(entry.namespace ?? ArchiveText(bytes: []))
    }

    private static func dataEntry(
        named name: String, schemaFilter: NameMatcher, schemas: [String], dataEntries: [TOCEntry], entries: [TOCEntry]
    ) throws -> TOCEntry {
        let relations = entries.filter { entry in relationTypes.contains { entry.desc.equals($0) } }
        let bytes = Array(name.utf8)
        for reading in readings(of: bytes, withSchemaFilter: !schemaFilter.isEmpty) {
            func fits(_ entry: TOCEntry) -> Bool {
                guard entry.tag?.bytes == reading.name else { return false }
                if let wanted = reading.schema, (entry.namespace?.bytes ?? []) != wanted { return false }
                return inSchemas(entry, schemaFilter)
            }
            let withData = dataEntries.filter(fits)
            if withData.count == 1 { return withData[0] }
            if withData.count > 1 {
                throw PGDumpError(
                    .invalidRequest,
                    "table name \(name.debugDescription) is ambiguous: it fits \(list(withData)); name one with -n SCHEMA -t TABLE or -t SCHEMA.TABLE")
            }
            if let relation = relations.first(where: fits) {
                throw noDataError(relation, dataEntries: dataEntries, entries: entries)
            }
        }
        var message = "the archive has no data for a table named \(name.debugDescription)"
        if !schemaFilter.isEmpty {
            message += " in schema \(schemas.map(\.debugDescription).sorted().joined(separator: " or "))"
        }
        if dataEntries.isEmpty { throw PGDumpError(.invalidRequest, message + " (the archive holds no table data)") }
        // The same names read as patterns: `-t Actor` for a table `actor`, `-t '"My Table"'`.
        let asPatterns = try? Self.dataEntries(
            tables: [name], schemas: schemas, all: false, matching: .patterns, in: entries)
        if let asPatterns, !asPatterns.isEmpty {
            throw PGDumpError(
                .invalidRequest, message,
                hint: "names are matched exactly; with --patterns, \(name.debugDescription) selects \(list(asPatterns, limit: 10))")
        }
        throw PGDumpError(.invalidRequest, message + candidates(for: bytes, among: dataEntries))
    }

    /// The tables with data that `pattern` matches (in the `-n` schemas).
    private static func tablesWithData(
        matching pattern: NamePattern, schemaFilter: NameMatcher, dataEntries: [TOCEntry], entries: [TOCEntry]
    ) throws -> [TOCEntry] {
        func fits(_ entry: TOCEntry) -> Bool {
            pattern.matches(schema: entry.namespace, name: entry.tag ?? ArchiveText(bytes: []))
                && inSchemas(entry, schemaFilter)
        }
        let withData = dataEntries.filter(fits)
        if !withData.isEmpty { return withData }
        let relations = entries.filter { entry in relationTypes.contains { entry.desc.equals($0) } && fits(entry) }
        if relations.count == 1 { throw noDataError(relations[0], dataEntries: dataEntries, entries: entries) }
        if !relations.isEmpty {
            throw PGDumpError(
                .invalidRequest,
                "pattern \(pattern.description.debugDescription) matches no table with data in the archive, only \(list(relations, limit: 10)) (views, sequences or tables whose data was not dumped)")
        }
        var message = "the archive has no data for a table matching pattern \(pattern.description.debugDescription)"
        if !schemaFilter.isEmpty {
            message += " in a schema matching \(schemaFilter.names.map(\.string.debugDescription).joined(separator: " or "))"
        }
        if dataEntries.isEmpty { throw PGDumpError(.invalidRequest, message + " (the archive holds no table data)") }
        throw PGDumpError(.invalidRequest, message + candidates(for: Array(pattern.description.utf8), among: dataEntries))
    }

    /// `; did you mean …?` with the tables close to `name`, or `; tables with data: …`.
    private static func candidates(for name: [UInt8], among dataEntries: [TOCEntry]) -> String {
        let close = closeMatches(to: name, among: dataEntries)
        if close.isEmpty { return "; tables with data: \(list(dataEntries, limit: 10))" }
        return "; did you mean \(list(close, limit: 10))?"
    }

    private static func noDataError(_ relation: TOCEntry, dataEntries: [TOCEntry], entries: [TOCEntry]) -> PGDumpError {
        PGDumpError(
            .invalidRequest,
            "\(relation.desc.string.lowercased()) \(relation.qualifiedDisplayName) has no data in the archive: \(reasonForNoData(relation, dataEntries: dataEntries, entries: entries))")
    }

    /// The exact readings of a `-t` argument, in order of precedence: the whole name, then (without `-n`)
    /// `schema.table` split at each dot in turn.
    private static func readings(of name: [UInt8], withSchemaFilter: Bool) -> [(schema: [UInt8]?, name: [UInt8])] {
        var result: [(schema: [UInt8]?, name: [UInt8])] = [(nil, name)]
        guard !withSchemaFilter else { return result }
        for (index, byte) in name.enumerated() where byte == UInt8(ascii: ".") {
            result.append((Array(name[..<index]), Array(name[(index + 1)...])))
        }
        return result
    }

    /// Why a relation without a TABLE DATA entry has none.
    private static func reasonForNoData(_ relation: TOCEntry, dataEntries: [TOCEntry], entries: [TOCEntry]) -> String {
        if relation.desc.equals("VIEW") { return "a view stores no rows" }
        if relation.desc.equals("MATERIALIZED VIEW") {
            return "pg_dump stores a materialized view's query, and restoring refreshes it"
        }
        if relation.desc.equals("FOREIGN TABLE") { return "a foreign table's rows live on its foreign server" }
        if relation.desc.equals("SEQUENCE") { return "a sequence's value is in its SEQUENCE SET entry" }
        let partitioned = relation.relkindCharacter == "p"
            || relation.defn.map { String(decoding: $0.bytes, as: UTF8.self).contains("\nPARTITION BY ") } == true
        if partitioned {
            let partitions = dataOfDescendants(of: relation, dataEntries: dataEntries, entries: entries)
            if partitions.isEmpty { return "it is a partitioned table, and none of its partitions has data here" }
            return "it is a partitioned table; its rows are in its partitions: \(list(partitions, limit: 20))"
        }
        return "its data was not dumped (pg_dump --schema-only, --exclude-table-data or a section that leaves data out)"
    }

    /// The TABLE DATA entries of the tables that depend on `table`, directly or through other tables.
    private static func dataOfDescendants(of table: TOCEntry, dataEntries: [TOCEntry], entries: [TOCEntry]) -> [TOCEntry] {
        let tables = entries.filter { $0.desc.equals("TABLE") }
        var frontier: Set<Int32> = [table.dumpID]
        var descendants: Set<Int32> = []
        while !frontier.isEmpty {
            let children = tables.filter { child in
                !descendants.contains(child.dumpID) && child.dependencies.contains(where: frontier.contains)
            }.map(\.dumpID)
            frontier = Set(children)
            descendants.formUnion(children)
        }
        return dataEntries.filter { entry in entry.dependencies.contains(where: descendants.contains) }
    }

    /// Tables whose name is close to `name`: the same ignoring case, containing it or contained in it, or a few
    /// edits away; closest first.
    private static func closeMatches(to name: [UInt8], among dataEntries: [TOCEntry]) -> [TOCEntry] {
        let wanted = name.map(SQLNameScanner.lowercased)
        // A qualified name is compared by its table part.
        let wantedTable = wanted.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).last.map(Array.init) ?? wanted
        var scored: [(score: Int, entry: TOCEntry)] = []
        for entry in dataEntries {
            let table = (entry.tag?.bytes ?? []).map(SQLNameScanner.lowercased)
            let score: Int
            if table == wanted || table == wantedTable {
                score = 0
            } else if contains(table, wantedTable) || contains(wantedTable, table) {
                score = 1
            } else {
                let distance = editDistance(table, wantedTable)
                guard distance <= max(2, wantedTable.count / 3) else { continue }
                score = 1 + distance
            }
            scored.append((score, entry))
        }
        return scored.sorted { $0.score < $1.score }.map(\.entry)
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle {
            return true
        }
        return false
    }

    /// Levenshtein distance, for suggestions; names are short.
    private static func editDistance(_ left: [UInt8], _ right: [UInt8]) -> Int {
        if left.isEmpty { return right.count }
        if right.isEmpty { return left.count }
        var previous = Array(0...right.count)
        var current = [Int](repeating: 0, count: right.count + 1)
        for i in 1...left.count {
            current[0] = i
            for j in 1...right.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left[i - 1] == right[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[right.count]
    }

    /// `app.orders, app.order_lines and 3 more`.
    private static func list(_ entries: [TOCEntry], limit: Int = .max) -> String {
        let names = entries.prefix(limit).map(\.qualifiedDisplayName)
        let rest = entries.count - names.count
        return names.joined(separator: ", ") + (rest > 0 ? " and \(rest) more" : "")
    }
}
