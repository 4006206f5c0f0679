import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Finds the TABLE DATA entries that names given on the command line (`-t`, `-n`, `--all`) refer to.
///
/// A `-t` name is tried, in this order, until one reading finds something:
/// 1. the exact table name, in any schema (or in the `-n` schemas), as pg_restore's `-t` matches;
/// 2. without `-n`: `schema.table`, split at each dot in turn, both parts exact, for names that hold dots;
/// 3. without `-n`: SQL syntax, `[schema.]table` with double-quoted parts taken as written and other parts folded to
///    lower case, which is how `qualifiedDisplayName` (and so every message and report) prints names.
/// A name that fits more than one table, a table with no data in the archive, and a name that fits nothing are
/// errors that list the candidates.
public enum TableLookup {
    /// The TABLE DATA entries selected, each once, in the order their data is stored (so that an archive read from
    /// a pipe is read forward).
    ///
    /// - Parameters:
    ///   - tables: `-t` names.
    ///   - schemas: `-n` names: only tables in these schemas (exact names).
    ///   - all: every table with data (in `schemas`, if any).
    public static func dataEntries(
        tables: [String], schemas: [String], all: Bool, in entries: [TOCEntry]
    ) throws -> [TOCEntry] {
        let schemaFilter = Set(schemas.map { Array($0.utf8) })
        let dataEntries = entries.filter { $0.desc.equals("TABLE DATA") && $0.hasData }
        func inSchemas(_ entry: TOCEntry) -> Bool {
            schemaFilter.isEmpty || schemaFilter.contains(entry.namespace?.bytes ?? [])
        }
        var selected: [TOCEntry] = []
        if all {
            selected = dataEntries.filter(inSchemas)
            if selected.isEmpty {
                if dataEntries.isEmpty { throw PGDumpError(.invalidRequest, "the archive holds no table data") }
                let withData = Array(Set(dataEntries.compactMap { $0.namespace?.string })).sorted()
                throw PGDumpError(
                    .invalidRequest,
                    "no table in schema \(schemas.map(\.debugDescription).joined(separator: ", ")) has data in the archive; schemas with table data: \(withData.map(\.debugDescription).joined(separator: ", "))")
            }
        }
        for name in tables {
            selected.append(try dataEntry(named: name, schemaFilter: schemaFilter, dataEntries: dataEntries, entries: entries))
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

    private static func dataEntry(
        named name: String, schemaFilter: Set<[UInt8]>, dataEntries: [TOCEntry], entries: [TOCEntry]
    ) throws -> TOCEntry {
        let relations = entries.filter { entry in relationTypes.contains { entry.desc.equals($0) } }
        let bytes = Array(name.utf8)
        for reading in readings(of: bytes, withSchemaFilter: !schemaFilter.isEmpty) {
            func fits(_ entry: TOCEntry) -> Bool {
                guard entry.tag?.bytes == reading.name else { return false }
                let schema = entry.namespace?.bytes ?? []
                if let wanted = reading.schema, schema != wanted { return false }
                return schemaFilter.isEmpty || schemaFilter.contains(schema)
            }
            let withData = dataEntries.filter(fits)
            if withData.count == 1 { return withData[0] }
            if withData.count > 1 {
                throw PGDumpError(
                    .invalidRequest,
                    "table name \(name.debugDescription) is ambiguous: it fits \(list(withData)); name one with -n SCHEMA -t TABLE or -t SCHEMA.TABLE")
            }
            if let relation = relations.first(where: fits) {
                throw PGDumpError(
                    .invalidRequest,
                    "\(relation.desc.string.lowercased()) \(relation.qualifiedDisplayName) has no data in the archive: \(reasonForNoData(relation, dataEntries: dataEntries, entries: entries))")
            }
        }
        var message = "the archive has no data for a table named \(name.debugDescription)"
        if !schemaFilter.isEmpty {
            let names = schemaFilter.map { String(decoding: $0, as: UTF8.self).debugDescription }.sorted()
            message += " in schema \(names.joined(separator: " or "))"
        }
        if dataEntries.isEmpty { return try fail(message + " (the archive holds no table data)") }
        let close = closeMatches(to: bytes, among: dataEntries)
        if close.isEmpty {
            message += "; tables with data: \(list(dataEntries, limit: 10))"
        } else {
            message += "; did you mean \(list(close, limit: 10))?"
        }
        return try fail(message)
    }

    private static func fail(_ message: String) throws -> TOCEntry {
        throw PGDumpError(.invalidRequest, message)
    }

    /// The ways of reading a `-t` argument, in order of precedence.
    private static func readings(of name: [UInt8], withSchemaFilter: Bool) -> [(schema: [UInt8]?, name: [UInt8])] {
        var result: [(schema: [UInt8]?, name: [UInt8])] = [(nil, name)]
        guard !withSchemaFilter else { return result }
        for (index, byte) in name.enumerated() where byte == UInt8(ascii: ".") {
            result.append((Array(name[..<index]), Array(name[(index + 1)...])))
        }
        var scanner = SQLNameScanner(name)
        if let parsed = scanner.readQualifiedName() {
            scanner.skipWhitespace()
            if scanner.isAtEnd { result.append(parsed) }
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
