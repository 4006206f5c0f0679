import PGDumpCore

/// The catalogue of constructs newer than some target server, and what becomes of each.
///
/// The "since" versions are those of pg_dump's own `remoteVersion` checks (the release whose catalogs first hold
/// the feature) and of the release notes; what is written instead is what pg_dump writes for a server without the
/// feature, or nothing when the feature was at its default. Each rule looks at tokens (`SQLLexer`), so nothing
/// inside a string, a quoted name or a function body is ever touched.
struct TargetRules {
    let target: Int
    let standardConformingStrings: Bool

    /// Rewrites `entry` for the target and records what was done; `false` when the entry is left out.
    func adapt(_ entry: inout TOCEntry, findings: inout [TargetFinding]) -> Bool {
        var context = Context(entry: entry, target: target, findings: [])
        defer { findings.append(contentsOf: context.findings) }
        let desc = entry.desc.string

        switch desc {
        case "STATISTICS DATA" where target < 18:
            context.note(
                "pg_restore_relation_stats()", since: 18, .omitted,
                "statistics can be restored into PostgreSQL 18 and later only; ANALYZE the tables after the restore")
            return false
        case "EXTENDED STATISTICS DATA" where target < 19:
            context.note(
                "pg_restore_extended_stats()", since: 19, .omitted,
                "extended statistics data can be restored into PostgreSQL 19 and later only; ANALYZE after the restore")
            return false
        case "STDSTRINGS" where target >= 19 && !standardConformingStrings:
            // The archive's setting, for pg_restore to print (convert): 19 has no other; the literals of every
            // definition are rewritten to match (escapeStringLiterals).
            entry.defn = "SET standard_conforming_strings = 'on';\n"
            context.note(
                "standard_conforming_strings = off", since: 19, .rewritten,
                "on: PostgreSQL 19 has no other setting; '…' literals with backslashes become E'…'")
            return true
        case "PROPERTY GRAPH" where target < 19:
            context.note("CREATE PROPERTY GRAPH", since: 19, .unrenderable, "property graphs (SQL/PGQ) are 19+")
            return true
        case "PUBLICATION TABLES IN SCHEMA" where target < 15:
            context.note("ADD TABLES IN SCHEMA", since: 15, .unrenderable, "publications of whole schemas are 15+")
        default:
            break
        }
        checkOwner(entry, &context)
        if entry.isPartitionedTable, entry.tableam != nil, target < 17 {
            // pg_restore 18 writes ALTER TABLE … SET ACCESS METHOD for a partitioned table's access method;
            // before 17 a partitioned table has none (its partitions carry their own).
            entry.tableam = nil
            context.note(
                "ALTER TABLE … SET ACCESS METHOD (partitioned table)", since: 17, .rewritten,
                "left out: partitioned tables have no access method before 17; the partitions keep theirs")
        }

        guard let defn = entry.defn, !defn.isEmpty else { return true }
        var sql = SQLText(defn.bytes, standardConformingStrings: standardConformingStrings)
        switch desc {
        case "SUBSCRIPTION": subscriptionOptions(&sql, &context)
        case "ACL", "DEFAULT ACL", "ACL LANGUAGE": privileges(&sql, &context)
        case "TABLE", "FOREIGN TABLE": tableDefinition(&sql, &context)
        case "SEQUENCE": unloggedSequence(&sql, &context)
        case "TYPE": rangeOptions(&sql, &context)
        case "COLLATION": collationOptions(&sql, &context)
        case "DATABASE": databaseOptions(&sql, &context)
        case "FUNCTION", "PROCEDURE": sqlStandardBody(&sql, &context)
        case "PUBLICATION": publicationOptions(&sql, &context)
        case "PUBLICATION TABLE": publicationTable(&sql, &context)
        case "STATISTICS": extendedStatistics(&sql, &context)
        case "EVENT TRIGGER": eventTrigger(&sql, &context)
        default: break
        }
        switch desc {
        case "TABLE", "CONSTRAINT", "FK CONSTRAINT", "CHECK CONSTRAINT", "INDEX":
            constraintClauses(&sql, &context)
        default: break
        }
        switch desc {
        case "VIEW", "MATERIALIZED VIEW", "RULE", "FUNCTION", "PROCEDURE", "TABLE", "DEFAULT", "CONSTRAINT",
            "CHECK CONSTRAINT", "INDEX", "POLICY", "TRIGGER":
            expressionSyntax(&sql, &context)
        default: break
        }
        if target >= 19 && !standardConformingStrings { escapeStringLiterals(&sql, &context) }
        if sql.isEdited { entry.defn = ArchiveText(bytes: sql.edited()) }
        return true
    }

    /// PostgreSQL 19 has standard_conforming_strings always on: an archive written with it off has `'…'`
    /// literals whose backslashes are escapes. Each such literal becomes `E'…'`, which means the same on 19.
    private func escapeStringLiterals(_ sql: inout SQLText, _ context: inout Context) {
        var rewritten = false
        for token in sql.tokens where token.kind == .string {
            let start = token.range.lowerBound
            guard sql.bytes[start] == UInt8(ascii: "'"), sql.bytes[token.range].contains(UInt8(ascii: "\\")),
                start == 0 || !SQLLexer.prefixesLiteral(sql.bytes[start - 1])
            else { continue }
            sql.replace(start..<start, with: "E")
            rewritten = true
        }
        if rewritten {
            context.note(
                "'…' literals with backslashes (standard_conforming_strings = off)", since: 19, .rewritten,
                "written as E'…': PostgreSQL 19 has standard_conforming_strings always on")
        }
    }

    /// Collects the findings of one entry.
    struct Context {
        let entry: TOCEntry
        let target: Int
        var findings: [TargetFinding]

        /// Records a finding, once per construct: a clause met twice in one entry is one finding.
        mutating func note(_ construct: String, since: Int, _ action: TargetFinding.Action, _ detail: String) {
            guard !findings.contains(where: { $0.construct == construct && $0.action == action }) else { return }
            findings.append(TargetFinding(
                dumpID: entry.dumpID, desc: entry.desc, namespace: entry.namespace, tag: entry.tag,
                construct: construct, since: since, action: action, detail: detail))
        }
    }

    // MARK: - Roles

    /// Predefined roles and the release that created each: an owner or grantee the target does not have.
    static let predefinedRoles: [String: Int] = [
        "pg_database_owner": 14, "pg_read_all_data": 14, "pg_write_all_data": 14, "pg_checkpoint": 15,
        "pg_use_reserved_connections": 16, "pg_create_subscription": 16, "pg_maintain": 17,
        "pg_signal_autovacuum_worker": 18,
    ]

    private func checkOwner(_ entry: TOCEntry, _ context: inout Context) {
        guard let owner = entry.owner?.string, let since = Self.predefinedRoles[owner], target < since else { return }
        context.note("OWNER TO \(owner)", since: since, .unrenderable, "role \(owner) does not exist before \(since)")
    }

    // MARK: - Subscriptions

    /// Subscription options, the release that added each, and the values that mean the default.
    static let subscriptionOptions: [String: (since: Int, defaults: Set<String>)] = [
        "binary": (14, ["false", "off"]), "streaming": (14, ["off", "false"]), "two_phase": (15, ["off", "false"]),
        "disable_on_error": (15, ["false", "off"]), "password_required": (16, ["true", "on"]),
        "run_as_owner": (16, ["false", "off"]), "origin": (16, ["any"]), "failover": (17, ["false", "off"]),
        "retain_dead_tuples": (19, ["false", "off"]), "max_retention_duration": (19, ["0"]),
    ]

    private func subscriptionOptions(_ sql: inout SQLText, _ context: inout Context) {
        for item in optionList(sql, after: ["WITH"]) {
            guard let (optionSince, defaults) = Self.subscriptionOptions[item.name] else { continue }
            let value = item.value
            // streaming = parallel (parallel apply, the default from 18) is 16+; streaming itself 14+.
            let since = item.name == "streaming" && value == "parallel" ? 16 : optionSince
            guard target < since else { continue }
            let construct = "\(item.name) = \(value)"
            if defaults.contains(value) {
                sql.removeItem(item.tokens, from: item.list)
                context.note(construct, since: since, .rewritten, "left out: the default, which is the only behaviour before \(since)")
            } else if item.name == "streaming" && value == "parallel" && target >= 14 {
                // 18's default, parallel apply (16+), becomes 14's streaming to files.
                sql.replace(item.valueRange, with: "on")
                context.note(construct, since: 16, .rewritten, "streaming = on: parallel apply is 16+")
            } else if item.name == "streaming" {
                sql.removeItem(item.tokens, from: item.list)
                context.note(construct, since: 14, .rewritten, "left out: before 14 a subscription applies a transaction at commit")
            } else if item.name == "run_as_owner" {
                sql.removeItem(item.tokens, from: item.list)
                context.note(construct, since: 16, .rewritten, "left out: before 16 changes are always applied as the subscription's owner")
            } else if item.name == "password_required" {
                sql.removeItem(item.tokens, from: item.list)
                context.note(construct, since: 16, .rewritten, "left out: before 16 only superusers own subscriptions, and no password is required")
            } else {
                context.note(construct, since: since, .unrenderable, "subscription option \(item.name) is \(since)+")
            }
        }
    }

    // MARK: - Privileges

    private func privileges(_ sql: inout SQLText, _ context: inout Context) {
        for statement in sql.statements {
            // The privilege list: after GRANT, or after REVOKE [GRANT OPTION FOR], up to ON.
            guard let verb = statement.first(where: { sql.isWord($0, "GRANT") || sql.isWord($0, "REVOKE") }) else {
                continue
            }
            var start = verb + 1
            if sql.isWords(start, ["GRANT", "OPTION", "FOR"]) { start += 3 }
            guard let on = (start..<statement.upperBound).first(where: { sql.isWord($0, "ON") }) else { continue }
            let items = commaSeparated(sql, start..<on)
            if target < 17 {
                let maintain = items.filter { sql.isWord($0.lowerBound, "MAINTAIN") }
                if !maintain.isEmpty {
                    if maintain.count == items.count {
                        sql.remove(sql.statementByteRange(statement))
                        context.note("MAINTAIN", since: 17, .rewritten, "statement left out: the MAINTAIN privilege is 17+")
                    } else {
                        for item in maintain { sql.removeItem(item, from: items) }
                        context.note("MAINTAIN", since: 17, .rewritten, "privilege left out of the list: it is 17+")
                    }
                }
            }
            for index in on..<statement.upperBound where sql.tokens[index].kind == .word {
                let word = String(decoding: sql.text(of: index), as: UTF8.self)
                if let since = Self.predefinedRoles[word], target < since {
                    context.note(word, since: since, .unrenderable, "role \(word) does not exist before \(since)")
                }
            }
        }
    }

    // MARK: - Tables and constraints

    private func tableDefinition(_ sql: inout SQLText, _ context: inout Context) {
        for statement in sql.statements {
            if sql.isWords(statement.lowerBound, ["ALTER", "TABLE"]),
                let compression = statement.first(where: { sql.isWords($0, ["SET", "COMPRESSION"]) }), target < 14
            {
                sql.remove(sql.statementByteRange(statement))
                let method = compression + 2 < statement.upperBound
                    ? " " + String(decoding: sql.text(of: compression + 2), as: UTF8.self) : ""
                context.note(
                    "SET COMPRESSION\(method)", since: 14, .rewritten, "left out: before 14 every column is compressed with pglz")
                continue
            }
            guard sql.isWord(statement.lowerBound, "CREATE"),
                let open = statement.first(where: { sql.isSymbol($0, "(") }),
                let close = sql.closingParenthesis(of: open)
            else { continue }
            let elements = commaSeparated(sql, (open + 1)..<close)
            var movedNotNull: [String] = []
            for element in elements {
                for index in element {
                    // GENERATED ALWAYS AS (expr) without STORED: a virtual column (18).
                    if sql.isWords(index, ["GENERATED", "ALWAYS", "AS"]) && sql.isSymbol(index + 3, "("),
                        let end = sql.closingParenthesis(of: index + 3), !sql.isWord(end + 1, "STORED"), target < 18
                    {
                        context.note("GENERATED ALWAYS AS (…) VIRTUAL", since: 18, .unrenderable, "virtual generated columns are 18+")
                    }
                    if sql.isWords(index, ["NOT", "NULL", "NO", "INHERIT"]) && target < 18 {
                        context.note("NOT NULL NO INHERIT", since: 18, .unrenderable, "not-null constraints that are not inherited are 18+")
                    }
                }
                guard target < 18, let constraint = element.first(where: { sql.isWord($0, "CONSTRAINT") }),
                    sql.isWords(constraint + 2, ["NOT", "NULL"])
                else { continue }
                if constraint == element.lowerBound {
                    // A table constraint, CONSTRAINT name NOT NULL column: SET NOT NULL after the CREATE.
                    guard constraint + 5 == element.upperBound else { continue }
                    movedNotNull.append(String(decoding: sql.text(of: constraint + 4), as: UTF8.self))
                    sql.removeItem(element, from: elements)
                } else {
                    sql.remove(sql.byteRange(constraint, through: constraint + 1).lowerBound..<sql.tokens[constraint + 2].range.lowerBound)
                }
                context.note(
                    "CONSTRAINT \(String(decoding: sql.text(of: constraint + 1), as: UTF8.self)) NOT NULL", since: 18, .rewritten,
                    "the constraint's name left out: not-null constraints have no names before 18")
            }
            if !movedNotNull.isEmpty, let name = qualifiedName(sql, after: statement, before: open) {
                var addition = ""
                for column in movedNotNull { addition += "\nALTER TABLE ONLY \(name) ALTER COLUMN \(column) SET NOT NULL;" }
                let end = statementEnd(sql, statement)
                sql.replace(end..<end, with: addition)
            }
        }
    }

    /// Clauses of constraints and indexes that older servers lack.
    private func constraintClauses(_ sql: inout SQLText, _ context: inout Context) {
        for index in sql.tokens.indices {
            if sql.isWords(index, ["NULLS", "NOT", "DISTINCT"]) && target < 15 {
                context.note("NULLS NOT DISTINCT", since: 15, .unrenderable, "unique constraints and indexes treating NULLs as equal are 15+")
            }
            if sql.isWords(index, ["NOT", "ENFORCED"]) && target < 18 {
                context.note("NOT ENFORCED", since: 18, .unrenderable, "constraints that are not enforced are 18+")
            }
            if sql.isWords(index, ["WITHOUT", "OVERLAPS"]) && target < 18 {
                context.note("WITHOUT OVERLAPS", since: 18, .unrenderable, "temporal primary keys and unique constraints are 18+")
            }
            if sql.isWord(index, "PERIOD"), index > 0, sql.isSymbol(index - 1, "(") || sql.isSymbol(index - 1, ","),
                index + 1 < sql.tokens.count, sql.tokens[index + 1].kind == .word || sql.tokens[index + 1].kind == .quotedIdentifier,
                target < 18
            {
                context.note("PERIOD", since: 18, .unrenderable, "temporal foreign keys are 18+")
            }
            if (sql.isWords(index, ["SET", "NULL"]) || sql.isWords(index, ["SET", "DEFAULT"])) && sql.isSymbol(index + 2, "(")
                && index > 1 && (sql.isWord(index - 1, "DELETE")) && target < 15
            {
                context.note("ON DELETE SET NULL/DEFAULT (columns)", since: 15, .unrenderable, "referential actions on some columns are 15+")
            }
            if sql.isWords(index, ["ADD", "CONSTRAINT"]) && sql.isWords(index + 3, ["NOT", "NULL"]) && target < 18 {
                context.note("ADD CONSTRAINT … NOT NULL", since: 18, .unrenderable, "not-null constraints added as NOT VALID or named are 18+")
            }
        }
    }

    private func unloggedSequence(_ sql: inout SQLText, _ context: inout Context) {
        guard target < 15 else { return }
        for index in sql.tokens.indices where sql.isWords(index, ["CREATE", "UNLOGGED", "SEQUENCE"]) {
            sql.remove(sql.tokens[index + 1].range.lowerBound..<sql.tokens[index + 2].range.lowerBound)
            context.note("CREATE UNLOGGED SEQUENCE", since: 15, .rewritten, "created logged: unlogged sequences are 15+")
        }
    }

    // MARK: - Types, collations, databases

    private func rangeOptions(_ sql: inout SQLText, _ context: inout Context) {
        guard target < 14 else { return }
        for item in optionList(sql, after: ["RANGE"]) where item.name == "multirange_type_name" {
            sql.removeItem(item.tokens, from: item.list)
            context.note("multirange_type_name", since: 14, .rewritten, "left out: multirange types are 14+")
        }
    }

    private func collationOptions(_ sql: inout SQLText, _ context: inout Context) {
        for item in optionList(sql, after: []) {
            if item.name == "provider" && item.value == "builtin" && target < 17 {
                context.note("provider = builtin", since: 17, .unrenderable, "the builtin collation provider is 17+")
            }
            if item.name == "rules" && target < 16 {
                context.note("rules", since: 16, .unrenderable, "ICU tailoring rules are 16+")
            }
        }
    }

    private func databaseOptions(_ sql: inout SQLText, _ context: inout Context) {
        for statement in sql.statements where sql.isWords(statement.lowerBound, ["CREATE", "DATABASE"]) {
            // Each option is `name = value`: the value's token must be there.
            for index in statement where sql.tokens[index].kind == .word && sql.isSymbol(index + 1, "=")
                && index + 2 < statement.upperBound
            {
                let name = sql.lowercasedWord(index) ?? ""
                let value = sql.lowercasedWord(index + 2) ?? ""
                switch name {
                case "locale_provider" where target < 15:
                    if value == "libc" {
                        let end = index + 3 < sql.tokens.count
                            ? sql.tokens[index + 3].range.lowerBound : sql.tokens[index + 2].range.upperBound
                        sql.remove(sql.tokens[index].range.lowerBound..<end)
                        context.note("LOCALE_PROVIDER = libc", since: 15, .rewritten, "left out: libc is the only provider before 15")
                    } else {
                        context.note("LOCALE_PROVIDER = \(value)", since: value == "builtin" ? 17 : 15, .unrenderable, "databases with the \(value) provider are \(value == "builtin" ? 17 : 15)+")
                    }
                case "locale_provider" where target < 17 && value == "builtin":
                    context.note("LOCALE_PROVIDER = builtin", since: 17, .unrenderable, "the builtin provider is 17+")
                case "icu_locale" where target < 15:
                    context.note("ICU_LOCALE", since: 15, .unrenderable, "ICU databases are 15+")
                case "icu_rules" where target < 16:
                    context.note("ICU_RULES", since: 16, .unrenderable, "ICU tailoring rules are 16+")
                case "builtin_locale" where target < 17:
                    context.note("BUILTIN_LOCALE", since: 17, .unrenderable, "the builtin provider is 17+")
                case "locale" where target < 13:
                    let literal = String(decoding: sql.text(of: index + 2), as: UTF8.self)
                    sql.replace(
                        sql.byteRange(index, through: index + 2),
                        with: "LC_COLLATE = \(literal) LC_CTYPE = \(literal)")
                    context.note("LOCALE", since: 13, .rewritten, "written as LC_COLLATE and LC_CTYPE: LOCALE is 13+")
                default: break
                }
            }
        }
    }

    // MARK: - Functions, publications, statistics, event triggers

    /// SQL-standard bodies (`BEGIN ATOMIC … END`, `RETURN expr`) are 14+.
    private func sqlStandardBody(_ sql: inout SQLText, _ context: inout Context) {
        guard target < 14 else { return }
        var depth = 0
        for index in sql.tokens.indices {
            if sql.isSymbol(index, "(") { depth += 1 }
            if sql.isSymbol(index, ")") { depth -= 1 }
            if depth == 0 && (sql.isWords(index, ["BEGIN", "ATOMIC"]) || sql.isWord(index, "RETURN")) {
                context.note(sql.isWord(index, "RETURN") ? "RETURN" : "BEGIN ATOMIC", since: 14, .unrenderable, "SQL-standard function bodies are 14+")
                return
            }
        }
    }

    private func publicationOptions(_ sql: inout SQLText, _ context: inout Context) {
        for item in optionList(sql, after: ["WITH"]) {
            if item.name == "publish_via_partition_root" && target < 13 {
                if ["false", "off"].contains(item.value) {
                    sql.removeItem(item.tokens, from: item.list)
                    context.note("publish_via_partition_root = false", since: 13, .rewritten, "left out: the default")
                } else {
                    context.note("publish_via_partition_root = \(item.value)", since: 13, .unrenderable, "publishing through the partition root is 13+")
                }
            }
            if item.name == "publish_generated_columns" && target < 18 {
                if item.value == "none" {
                    sql.removeItem(item.tokens, from: item.list)
                    context.note("publish_generated_columns = none", since: 18, .rewritten, "left out: the default")
                } else {
                    context.note("publish_generated_columns = \(item.value)", since: 18, .unrenderable, "publishing generated columns is 18+")
                }
            }
        }
    }

    /// `ALTER PUBLICATION p ADD TABLE ONLY t (columns) WHERE (…)`: column lists and row filters are 15+.
    private func publicationTable(_ sql: inout SQLText, _ context: inout Context) {
        guard target < 15 else { return }
        for statement in sql.statements {
            guard let table = statement.first(where: { sql.isWord($0, "TABLE") }) else { continue }
            var index = table + 1
            if sql.isWord(index, "ONLY") { index += 1 }
            index += 1
            while sql.isSymbol(index, ".") { index += 2 }
            if index < statement.upperBound {
                let construct = sql.isWord(index, "WHERE") ? "WHERE" : "column list"
                context.note(construct, since: 15, .unrenderable, "publication row filters and column lists are 15+")
            }
        }
    }

    private func extendedStatistics(_ sql: inout SQLText, _ context: inout Context) {
        for statement in sql.statements {
            if sql.isWords(statement.lowerBound, ["CREATE", "STATISTICS"]), target < 14,
                let on = statement.first(where: { sql.isWord($0, "ON") }),
                (on..<statement.upperBound).contains(where: { sql.isSymbol($0, "(") })
            {
                context.note("CREATE STATISTICS ON (expression)", since: 14, .unrenderable, "statistics on expressions are 14+")
            }
            if sql.isWords(statement.lowerBound, ["ALTER", "STATISTICS"]), target < 13 {
                sql.remove(sql.statementByteRange(statement))
                context.note("ALTER STATISTICS … SET STATISTICS", since: 13, .rewritten, "left out: statistics targets of extended statistics are 13+")
            }
        }
    }

    private func eventTrigger(_ sql: inout SQLText, _ context: inout Context) {
        if target < 17, let on = sql.tokens.indices.first(where: { sql.isWord($0, "ON") }), sql.isWord(on + 1, "login") {
            context.note("ON login", since: 17, .unrenderable, "login event triggers are 17+")
        }
    }

    // MARK: - Expression syntax

    /// Syntax in deparsed expressions (views, rules, defaults, checks, SQL-standard bodies) that older servers do
    /// not parse. The SQL/JSON constructs are matched as the server deparses them, in capitals, so a function
    /// `json_object(text[])` (9.4) is not mistaken for the constructor `JSON_OBJECT(…)` (16).
    static let expressionKeywords: [(word: String, since: Int, call: Bool)] = [
        ("JSON_OBJECT", 16, true), ("JSON_ARRAY", 16, true), ("JSON_OBJECTAGG", 16, true),
        ("JSON_ARRAYAGG", 16, true), ("SYSTEM_USER", 16, false), ("any_value", 16, true),
        ("JSON_TABLE", 17, true), ("JSON_QUERY", 17, true), ("JSON_VALUE", 17, true), ("JSON_EXISTS", 17, true),
        ("JSON_SCALAR", 17, true), ("JSON_SERIALIZE", 17, true), ("JSON", 17, true), ("MERGE_ACTION", 17, true),
        ("GRAPH_TABLE", 19, true),
    ]

    private func expressionSyntax(_ sql: inout SQLText, _ context: inout Context) {
        var seen: Set<String> = []
        for index in sql.tokens.indices where sql.tokens[index].kind == .word {
            let word = sql.text(of: index)
            for keyword in Self.expressionKeywords where keyword.since > target && word.elementsEqual(keyword.word.utf8) {
                guard !keyword.call || sql.isSymbol(index + 1, "("), !(index > 0 && sql.isSymbol(index - 1, ".")) else { continue }
                if seen.insert(keyword.word).inserted {
                    context.note(keyword.call ? "\(keyword.word)(…)" : keyword.word, since: keyword.since, .unrenderable, "\(keyword.word) is \(keyword.since)+")
                }
            }
            if word.elementsEqual("IS".utf8), index + 1 < sql.tokens.count,
                sql.text(of: index + 1).elementsEqual("JSON".utf8)
                    || (sql.text(of: index + 1).elementsEqual("NOT".utf8) && index + 2 < sql.tokens.count && sql.text(of: index + 2).elementsEqual("JSON".utf8)),
                target < 16, seen.insert("IS JSON").inserted
            {
                context.note("IS JSON", since: 16, .unrenderable, "the IS JSON predicate is 16+")
            }
        }
    }

    // MARK: - Token helpers

    /// One `name = value` item of a parenthesised option list.
    struct OptionItem {
        var name: String
        var value: String
        var valueRange: Range<Int>
        /// The item's tokens, and the list's items (for `SQLText.removeItem`).
        var tokens: Range<Int>
        var list: [Range<Int>]
    }

    /// The items of the first `( … )` option list after the words `after` (or the first list at all when empty).
    private func optionList(_ sql: SQLText, after words: [String]) -> [OptionItem] {
        var open: Int?
        for index in sql.tokens.indices {
            if words.isEmpty ? sql.isSymbol(index, "(") : (sql.isWords(index, words) && sql.isSymbol(index + words.count, "(")) {
                open = words.isEmpty ? index : index + words.count
                break
            }
        }
        guard let open, let close = sql.closingParenthesis(of: open) else { return [] }
        let items = commaSeparated(sql, (open + 1)..<close)
        return items.compactMap { item in
            guard item.count >= 3, sql.tokens[item.lowerBound].kind == .word, sql.isSymbol(item.lowerBound + 1, "="),
                let name = sql.lowercasedWord(item.lowerBound)
            else { return nil }
            let value = (item.lowerBound + 2..<item.upperBound).compactMap { sql.lowercasedWord($0) }.joined(separator: " ")
            return OptionItem(
                name: name, value: value, valueRange: sql.byteRange(item.lowerBound + 2, through: item.upperBound - 1),
                tokens: item, list: items)
        }
    }

    /// Token ranges of the comma-separated items in `range`, commas inside parentheses not counted.
    private func commaSeparated(_ sql: SQLText, _ range: Range<Int>) -> [Range<Int>] {
        var items: [Range<Int>] = []
        var start = range.lowerBound
        var depth = 0
        for index in range {
            if sql.isSymbol(index, "(") { depth += 1 }
            if sql.isSymbol(index, ")") { depth -= 1 }
            if depth == 0 && sql.isSymbol(index, ",") {
                if index > start { items.append(start..<index) }
                start = index + 1
            }
        }
        if range.upperBound > start { items.append(start..<range.upperBound) }
        return items
    }

    /// The text of the (possibly qualified) name that precedes `open` in a CREATE statement.
    private func qualifiedName(_ sql: SQLText, after statement: Range<Int>, before open: Int) -> String? {
        var start = open - 1
        while start - 2 >= statement.lowerBound && sql.isSymbol(start - 1, ".") { start -= 2 }
        guard start >= statement.lowerBound else { return nil }
        return String(decoding: sql.bytes[sql.byteRange(start, through: open - 1)], as: UTF8.self)
    }

    /// The byte index just past the `;` of `statement`, or past its last token.
    private func statementEnd(_ sql: SQLText, _ statement: Range<Int>) -> Int {
        statement.upperBound < sql.tokens.count
            ? sql.tokens[statement.upperBound].range.upperBound : sql.tokens[statement.upperBound - 1].range.upperBound
    }
}
