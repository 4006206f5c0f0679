import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// The columns and types a TABLE entry's `CREATE TABLE` statement declares, for JSON Lines output with native
/// values (`--typed`).
///
/// pg_dump writes one column per line with its type as `format_type` spells it (`integer`, `numeric(20,6)`,
/// `character varying(40)`, `integer[]`, `app.mood`, `timestamp with time zone`), then column options (`COLLATE`,
/// `NOT NULL`, `DEFAULT`, `GENERATED`…), and table constraints. An inheritance child declares only its own
/// columns (`INHERITS`); typed tables (`OF type`) declare none. Columns not found here are looked up in the tables
/// the TABLE entry depends on: its parents.
package struct TableDefinition {
    /// The columns the statement itself declares, in order; `generated` for `GENERATED ALWAYS AS (…)` columns,
    /// which COPY and INSERT data leave out or write as `DEFAULT`.
    var columns: [(name: [UInt8], type: [UInt8], generated: Bool)] = []
    /// Whether the table has parents (`INHERITS (…)`): their columns come first.
    var inherits = false
    /// The parents `INHERITS (…)` names, in its order, which is the order of their columns.
    var parents: [(schema: [UInt8]?, name: [UInt8])] = []
    /// Whether the statement has a column list at all (`OF type` and `PARTITION OF` have none).
    var declaresColumns = false

    /// Parses a `CREATE [UNLOGGED|FOREIGN] TABLE name (...)` statement; `nil` when `defn` is not one.
    init?(parsing defn: ArchiveText) {
        var scanner = SQLNameScanner(defn.bytes)
        guard scanner.consumeKeyword("CREATE") else { return nil }
        for modifier in ["UNLOGGED", "FOREIGN", "GLOBAL", "LOCAL", "TEMPORARY", "TEMP"] {
            _ = scanner.consumeKeyword(modifier)
        }
        guard scanner.consumeKeyword("TABLE") else { return nil }
        if scanner.consumeKeyword("IF") {
            guard scanner.consumeKeyword("NOT"), scanner.consumeKeyword("EXISTS") else { return nil }
        }
        guard scanner.readQualifiedName() != nil else { return nil }
        // `OF type` and `PARTITION OF parent`: the columns are declared elsewhere.
        guard scanner.consume(UInt8(ascii: "(")) else { return }
        declaresColumns = true
        let bytes = defn.bytes
        var elementStart = scanner.index
        var position = scanner.index
        var depth = 0
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position = Self.skipQuoted(bytes, from: position, quote: byte, backslashEscapes: false)
                continue
            case UInt8(ascii: "'"):
                let escapeString = position > 0 && (bytes[position - 1] == UInt8(ascii: "E") || bytes[position - 1] == UInt8(ascii: "e"))
                position = Self.skipQuoted(bytes, from: position, quote: byte, backslashEscapes: escapeString)
                continue
            case UInt8(ascii: "("):
                depth += 1
            case UInt8(ascii: ")") where depth == 0, UInt8(ascii: ",") where depth == 0:
                if let column = Self.column(in: Array(bytes[elementStart..<position])) { columns.append(column) }
                if byte == UInt8(ascii: ")") {
                    var rest = SQLNameScanner(bytes, at: position + 1)
                    inherits = rest.consumeKeyword("INHERITS")
                    if inherits, rest.consume(UInt8(ascii: "(")) {
                        repeat {
                            guard let parent = rest.readQualifiedName() else { break }
                            parents.append((parent.schema, parent.name))
                        } while rest.consume(UInt8(ascii: ","))
                    }
                    return
                }
                elementStart = position + 1
            case UInt8(ascii: ")"):
                depth -= 1
            default:
                break
            }
            position += 1
        }
        return nil
    }

    /// The position after a quoted identifier or string literal starting at `start`.
    private static func skipQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var position = start + 1
        while position < bytes.count {
            if backslashEscapes && bytes[position] == UInt8(ascii: "\\") {
                position += 2
                continue
            }
            if bytes[position] == quote {
                if position + 1 < bytes.count && bytes[position + 1] == quote {
                    position += 2
                    continue
                }
                return position + 1
            }
            position += 1
        }
        return position
    }

    /// Words that end a column's type: the column options and constraints pg_dump writes after it.
    private static let typeTerminators = [
        "COLLATE", "CONSTRAINT", "NOT", "NULL", "DEFAULT", "GENERATED", "CHECK", "REFERENCES", "PRIMARY", "UNIQUE",
        "COMPRESSION", "STORAGE", "OPTIONS",
    ]

    /// Words that start a table constraint or clause rather than a column.
    private static let nonColumnStarts = ["CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "EXCLUDE", "LIKE"]

    /// A column definition's name and type, or `nil` for a table constraint.
    private static func column(in element: [UInt8]) -> (name: [UInt8], type: [UInt8], generated: Bool)? {
        var scanner = SQLNameScanner(element)
        scanner.skipWhitespace()
        if scanner.peek != UInt8(ascii: "\"") {
            for word in nonColumnStarts {
                var probe = scanner
                if probe.consumeKeyword(word) { return nil }
            }
        }
        guard let name = scanner.readIdentifier() else { return nil }
        scanner.skipWhitespace()
        let typeStart = scanner.index
        var typeEnd = element.count
        var depth = 0
        var position = typeStart
        // The type runs to the first option keyword outside parentheses and quotes.
        scan: while position < element.count {
            let byte = element[position]
            switch byte {
            case UInt8(ascii: "\""):
                position = skipQuoted(element, from: position, quote: byte, backslashEscapes: false)
                continue
            case UInt8(ascii: "("):
                depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
            default:
                let startsWord = position == typeStart || !SQLNameScanner.isIdentifierContinuation(element[position - 1])
                if depth == 0, startsWord, SQLNameScanner.isIdentifierStart(byte) {
                    var probe = SQLNameScanner(element, at: position)
                    for word in typeTerminators where probe.consumeKeyword(word) {
                        typeEnd = position
                        break scan
                    }
                }
            }
            position += 1
        }
        var type = Array(element[typeStart..<min(typeEnd, element.count)])
        while let last = type.last, last == 0x20 || (last >= 0x09 && last <= 0x0D) { type.removeLast() }
        return (name, type, isGenerated(element, optionsFrom: min(typeEnd, element.count)))
    }

    /// Whether the column options from `start` on hold `GENERATED ALWAYS AS (` (a generated column, stored or
    /// virtual; `GENERATED … AS IDENTITY` is an identity column, whose values are data).
    private static func isGenerated(_ element: [UInt8], optionsFrom start: Int) -> Bool {
        var position = start
        while position < element.count {
            let byte = element[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                position = skipQuoted(element, from: position, quote: byte, backslashEscapes: false)
                continue
            }
            let startsWord = position == 0 || !SQLNameScanner.isIdentifierContinuation(element[position - 1])
            if startsWord, SQLNameScanner.isIdentifierStart(byte) {
                var probe = SQLNameScanner(element, at: position)
                if probe.consumeKeyword("GENERATED"), probe.consumeKeyword("ALWAYS"), probe.consumeKeyword("AS"),
                    probe.consume(UInt8(ascii: "("))
                {
                    return true
                }
            }
            position += 1
        }
        return false
    }

    /// The columns of the table whose data `entry` holds, in the order its rows have them when stored as INSERT
    /// statements without column names: inherited columns first, then the table's own; generated columns left
    /// out (their values are `DEFAULT`, which the decoder drops). `nil` when the TABLE entry is missing or does not
    /// declare its columns (typed tables, `PARTITION OF`).
    static func dataColumns(ofDataEntry entry: TOCEntry, entries: [TOCEntry]) -> [ArchiveText]? {
        var byDumpID: [Int32: TOCEntry] = [:]
        for candidate in entries where candidate.desc.equals("TABLE") { byDumpID[candidate.dumpID] = candidate }
        var table = entry.dependencies.first.flatMap { byDumpID[$0] }
        if table == nil {
            table = entries.first { $0.desc.equals("TABLE") && $0.namespace == entry.namespace && $0.tag == entry.tag }
        }
        guard let table else { return nil }
        let tables = entries.filter { $0.desc.equals("TABLE") }
        // The tables on the path from the data's table: a cycle (only a damaged archive has one) ends the walk.
        var path: Set<Int32> = []
        func columns(of table: TOCEntry) -> [(name: [UInt8], generated: Bool)]? {
            guard path.count < 64, path.insert(table.dumpID).inserted,
                let defn = table.defn, let definition = TableDefinition(parsing: defn)
            else { return nil }
            defer { path.remove(table.dumpID) }
            var result: [(name: [UInt8], generated: Bool)] = []
            if definition.inherits {
                // The parents in INHERITS order, found by name; the TABLE entries it depends on otherwise.
                var parents = definition.parents.compactMap { parent in
                    tables.first { $0.tag?.bytes == parent.name && (parent.schema == nil || $0.namespace?.bytes == parent.schema) }
                }
                if parents.count != definition.parents.count {
                    parents = table.dependencies.compactMap { byDumpID[$0] }
                }
                for parent in parents {
                    guard let inherited = columns(of: parent) else { return nil }
                    for column in inherited where !result.contains(where: { $0.name == column.name }) {
                        result.append(column)
                    }
                }
            } else if !definition.declaresColumns {
                return nil
            }
            for column in definition.columns where !result.contains(where: { $0.name == column.name }) {
                result.append((column.name, column.generated))
            }
            return result
        }
        return columns(of: table)?.filter { !$0.generated }.map { ArchiveText(bytes: $0.name) }
    }

    /// How `--typed` output writes values of a type as `format_type` spells it, with `domains` (a domain's name →
    /// its base type, from `domainBaseTypes`) resolved to their base types, for the type itself and for an array's
    /// element type. Enums, composites, ranges and every other type are strings.
    static func jsonKind(ofType type: [UInt8], domains: [[UInt8]: [UInt8]] = [:]) -> JSONValueKind {
        jsonKind(ofType: type, domains: domains, arrayDepth: 0)
    }

    private static func jsonKind(ofType type: [UInt8], domains: [[UInt8]: [UInt8]], arrayDepth: Int) -> JSONValueKind {
        let type = resolvingDomains(type, domains)
        // An element type may itself be an array (a domain over an array); definitions that would nest without
        // end (only a damaged archive has them) stop after a few levels.
        guard arrayDepth < 8 else { return .string }
        if let element = arrayElementType(type) {
            let kind = jsonKind(ofType: element, domains: domains, arrayDepth: arrayDepth + 1)
            let isBox = scalarName(resolvingDomains(element, domains)) == "box"
            return .array(element: kind, delimiter: isBox ? ArrayLiteral.boxDelimiter : UInt8(ascii: ","))
        }
        let name = scalarName(type)
        // An array type by its internal name (`_int4`, `pg_catalog._numeric`): format_type never writes these,
        // but a hand-made definition may. Only built-in element types, so that a user's type named `_x` stays
        // what it is.
        if name.hasPrefix("_"), internalArrayElements.contains(String(name.dropFirst())) {
            let element = String(name.dropFirst())
            return .array(
                element: scalarKind(element),
                delimiter: element == "box" ? ArrayLiteral.boxDelimiter : UInt8(ascii: ","))
        }
        return scalarKind(name)
    }

    /// The kind of a type that is not an array, by its `scalarName`.
    private static func scalarKind(_ name: String) -> JSONValueKind {
        switch name {
        case "smallint", "integer", "bigint", "int", "int2", "int4", "int8":
            return .integer
        case "numeric", "decimal", "real", "double precision", "float4", "float8", "float":
            return .number
        case "boolean", "bool":
            return .boolean
        case "json", "jsonb":
            return .json
        default:
            return .string
        }
    }

    /// Built-in types whose array types `jsonKind` recognises by their internal names (`_int4`).
    private static let internalArrayElements: Set<String> = [
        "int2", "int4", "int8", "numeric", "float4", "float8", "bool", "json", "jsonb", "text", "varchar", "bpchar",
        "char", "name", "uuid", "bytea", "date", "time", "timetz", "timestamp", "timestamptz", "interval", "box",
        "point", "oid", "inet", "cidr", "macaddr", "money", "bit", "varbit", "xml",
    ]

    /// A type name as the kinds are matched: lower-cased, type modifiers (`numeric(20,6)`) dropped, white space
    /// collapsed, without `pg_catalog.`.
    private static func scalarName(_ type: [UInt8]) -> String {
        var normalized: [UInt8] = []
        var depth = 0
        for byte in type {
            if byte == UInt8(ascii: "(") { depth += 1; continue }
            if byte == UInt8(ascii: ")") { depth -= 1; continue }
            guard depth == 0 else { continue }
            if isSpace(byte) {
                if normalized.last != 0x20 && !normalized.isEmpty { normalized.append(0x20) }
                continue
            }
            normalized.append(SQLNameScanner.lowercased(byte))
        }
        while normalized.last == 0x20 { normalized.removeLast() }
        var name = String(decoding: normalized, as: UTF8.self)
        if name.hasPrefix("pg_catalog.") { name.removeFirst("pg_catalog.".count) }
        return name
    }

    /// The type a domain stands for: its base type, through domains over domains (to a depth of 16).
    private static func resolvingDomains(_ type: [UInt8], _ domains: [[UInt8]: [UInt8]]) -> [UInt8] {
        var type = trimmed(type)
        for _ in 0..<16 {
            guard let base = domains[type] else { break }
            type = trimmed(base)
        }
        return type
    }

    /// The element type of an array type as format_type writes it (`integer[]`, `numeric(10,2)[]`,
    /// `app.mood[]`, `character varying(20)[]`: one `[]` whatever the dimensions) or as it may be declared
    /// (`integer[][]`, `integer[3]`, `integer ARRAY`, `integer ARRAY[3]`); `nil` for any other type.
    static func arrayElementType(_ type: [UInt8]) -> [UInt8]? {
        let keyword = Array("array".utf8)
        var type = trimmed(type)
        var isArray = false
        while true {
            if type.last == UInt8(ascii: "]"), let open = type.lastIndex(of: UInt8(ascii: "[")),
               type[(open + 1)..<(type.count - 1)].allSatisfy({ isSpace($0) || ($0 >= 0x30 && $0 <= 0x39) })
            {
                type = trimmed(Array(type[..<open]))
                isArray = true
                continue
            }
            // `ARRAY` as a word of its own (a reserved word: no type is named so without quotes).
            if type.count > keyword.count, isSpace(type[type.count - keyword.count - 1]),
               zip(type.suffix(keyword.count), keyword).allSatisfy({ SQLNameScanner.lowercased($0) == $1 })
            {
                type = trimmed(Array(type.dropLast(keyword.count)))
                isArray = true
                continue
            }
            break
        }
        return isArray && !type.isEmpty ? type : nil
    }

    /// The JSON kind of each of `columns` (the COPY statement's) of the table whose data `entry` holds: from its
    /// TABLE entry (the data entry's first dependency, as pg_dump records it) and, for inherited columns, from the
    /// tables that entry depends on. Columns whose type cannot be found are strings.
    static func jsonKinds(of columns: [ArchiveText], dataEntry entry: TOCEntry, entries: [TOCEntry]) -> [JSONValueKind] {
        var byDumpID: [Int32: TOCEntry] = [:]
        for candidate in entries where candidate.desc.equals("TABLE") { byDumpID[candidate.dumpID] = candidate }
        var table = entry.dependencies.first.flatMap { byDumpID[$0] }
        if table == nil {
            table = entries.first { $0.desc.equals("TABLE") && $0.namespace == entry.namespace && $0.tag == entry.tag }
        }
        var types: [[UInt8]: [UInt8]] = [:]
        // Breadth-first through the parents; a child's own declaration wins over its parents'.
        var queue = table.map { [$0] } ?? []
        var visited: Set<Int32> = []
        while !queue.isEmpty, visited.count < 64 {
            let current = queue.removeFirst()
            guard visited.insert(current.dumpID).inserted else { continue }
            if let defn = current.defn, let definition = TableDefinition(parsing: defn) {
                for column in definition.columns where types[column.name] == nil { types[column.name] = column.type }
            }
            queue += current.dependencies.compactMap { byDumpID[$0] }
        }
        let domains = domainBaseTypes(in: entries)
        return columns.map { column in
            guard let type = types[column.bytes] else { return .string }
            // A domain is typed as its base type, an array of domains by theirs.
            return jsonKind(ofType: type, domains: domains)
        }
    }

    /// The base type of each domain in the archive, by its name as column types spell it (schema-qualified, as
    /// pg_dump writes both): `CREATE DOMAIN app.positive_int AS integer NOT NULL …` gives `app.positive_int` →
    /// `integer`.
    package static func domainBaseTypes(in entries: [TOCEntry]) -> [[UInt8]: [UInt8]] {
        var bases: [[UInt8]: [UInt8]] = [:]
        let create = Array("CREATE DOMAIN ".utf8)
        let asKeyword = Array(" AS ".utf8)
        // What may follow the type in pg_dump's CREATE DOMAIN, in the order it writes them.
        let ends = [" COLLATE ", " DEFAULT ", " NOT NULL", " NULL", " CONSTRAINT ", " CHECK "].map { Array($0.utf8) }
        for entry in entries where entry.desc.equals("DOMAIN") {
            guard let defn = entry.defn?.bytes, defn.starts(with: create),
                  let asRange = defn[create.count...].firstRange(of: asKeyword)
            else { continue }
            let name = Array(defn[create.count..<asRange.lowerBound])
            var type = Array(defn[asRange.upperBound...])
            if let stop = type.firstIndex(where: { $0 == 0x0A || $0 == UInt8(ascii: ";") }) { type.removeSubrange(stop...) }
            for end in ends {
                if let range = type.firstRange(of: end) { type.removeSubrange(range.lowerBound...) }
            }
            bases[trimmed(name)] = trimmed(type)
        }
        return bases
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    private static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return Array(bytes[first...last])
    }
}
