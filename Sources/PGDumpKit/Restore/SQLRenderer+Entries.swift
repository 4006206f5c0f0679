import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// One entry's part of the script: its header comment, its definition, its owner and the per-large-object
/// commands (`_printTocEntry`, `_getObjectDescription`, `IssueCommandPerBlob`).
extension SQLRenderer {
    // MARK: - Entries

    /// Mirrors `restore_toc_entry` for script output.
    func restoreEntry(at index: Int) throws {
        let entry = entries[index]
        let requirement = requirements[index]
        if entry.desc.equals("WARNING") {
            if selection.dumpSchema, let defn = entry.defn, !defn.isEmpty {
                warnings.append(ArchiveWarning("warning from original dump file: \(defn.string)"))
            } else if let copyStmt = entry.copyStmt, !copyStmt.isEmpty {
                warnings.append(ArchiveWarning("warning from original dump file: \(copyStmt.string)"))
            }
        }
        var definitionPrinted = false
        if requirement.contains(.schema) {
            let isDatabase = entry.desc.equals("DATABASE") || entry.desc.equals("DATABASE PROPERTIES")
            if isDatabase && script.transactionSize > 0 { put("COMMIT;\n\n") }
            if let namespace = entry.namespace {
                info(Array("creating ".utf8), entry.desc.bytes, Array(" \"".utf8), namespace.bytes, [0x2E],
                     entry.tag?.bytes, [0x22])
            } else {
                info(Array("creating ".utf8), entry.desc.bytes, Array(" \"".utf8), entry.tag?.bytes, [0x22])
            }
            try printEntry(entry, prefix: "")
            definitionPrinted = true
            if isDatabase {
                info(Array("connecting to new database \"".utf8), entry.tag?.bytes, [0x22])
                try reconnect(to: entry.tag?.bytes ?? [])
            }
        }
        if requirement.contains(.data) {
            if entry.hadDumper {
                try printData(of: entry)
            } else if !definitionPrinted {
                info(Array("executing ".utf8), entry.desc.bytes, [0x20], entry.tag?.bytes)
                try printEntry(entry, prefix: "")
            }
        }
        if requirement.contains(.statistics) {
            try printEntry(entry, prefix: "Statistics for ")
        }
        if !requirement.intersection([.schema, .data, .statistics]).isEmpty {
            countAction()
        }
        try output.flushIfFull()
    }

    /// Mirrors `_reconnectToDB` for script output.
    func reconnect(to database: [UInt8]) throws {
        put("\\unrestrict \(script.restrictKey)\n")
        put(try SQLQuoting.psqlConnect(database))
        put("\\restrict \(script.restrictKey)\n\n")
        currentUser = nil
        currentSchema = nil
        currentTableAccessMethod = nil
        currentTablespace = nil
        setFixedOutputState()
    }

    /// The comment header and definition of an entry. Mirrors `_printTocEntry`.
    func printEntry(_ entry: TOCEntry, prefix: String) throws {
        becomeOwner(entry)
        selectOutputSchema(entry.namespace?.bytes)
        selectTablespace(entry.tablespace)
        if !entry.isPartitionedTable { selectTableAccessMethod(entry.tableam) }

        put("--\n")
        if script.verbose {
            put("-- TOC entry \(entry.dumpID) (class \(entry.tableOID) OID \(entry.oid))\n")
            if !entry.dependencies.isEmpty {
                put("-- Dependencies:")
                for dependency in entry.dependencies { put(" \(dependency)") }
                put("\n")
            }
        }
        put("-- \(prefix)Name: ")
        put(ListPrinter.sanitized(entry.tag, nullAs: ""))
        put("; Type: ")
        put(entry.desc)
        put("; Schema: ")
        put(ListPrinter.sanitized(entry.namespace, nullAs: "-"))
        put("; Owner: ")
        put(ListPrinter.sanitized(script.noOwner ? nil : entry.owner, nullAs: "-"))
        if let tablespace = entry.tablespace, !tablespace.isEmpty, !script.noTablespaces {
            put("; Tablespace: ")
            put(ListPrinter.sanitized(tablespace, nullAs: ""))
        }
        put("\n")
        if script.verbose {
            if let comment = reader.dataLocationComment(for: entry) { put(comment) }
        }
        put("--\n\n")

        let defn = entry.defn
        if script.noOwner && entry.desc.equals("SCHEMA") && !(defn?.hasPrefix("--") ?? false) {
            put("CREATE SCHEMA ")
            put(SQLQuoting.identifier(entry.tag?.bytes ?? [], encoding: settings.encoding))
            put(";\n\n\n")
        } else if entry.desc.equals("BLOB METADATA") {
            issueCommandPerBlob(entry, begin: "SELECT pg_catalog.lo_create('", end: "')")
        } else if entry.desc.equals("ACL") && (entry.tag?.hasPrefix("LARGE OBJECTS") ?? false) {
            try issueACLPerBlob(entry)
        } else if let defn, !defn.isEmpty {
            put(defn)
            put("\n\n")
            // --transaction-size counts each extra statement of a definition as an action; functions, whose
            // bodies are full of semicolons, count as one.
            if script.transactionSize > 0 && !entry.desc.equals("FUNCTION") && !entry.desc.equals("PROCEDURE") {
                let semicolons = defn.bytes.reduce(0) { $0 + ($1 == UInt8(ascii: ";") ? 1 : 0) }
                if semicolons > 1 { transactionCount += semicolons - 1 }
            }
        }

        // Ownership by ALTER … OWNER TO, unless SET SESSION AUTHORIZATION does it (the public schema's comment
        // form being the exception); anything without a DROP is not separately ownable.
        let isSchemaComment = entry.desc.equals("SCHEMA") && (defn?.hasPrefix("--") ?? false)
        if !script.noOwner && (!script.useSetSessionAuthorization || isSchemaComment),
            let owner = entry.owner, !owner.isEmpty, let dropStmt = entry.dropStmt, !dropStmt.isEmpty
        {
            if entry.desc.equals("BLOB METADATA") {
                issueCommandPerBlob(
                    entry, begin: Array("ALTER LARGE OBJECT ".utf8),
                    end: Array(" OWNER TO ".utf8) + SQLQuoting.identifier(owner, encoding: settings.encoding))
            } else if let description = try objectDescription(entry), !description.isEmpty {
                put("ALTER ")
                put(description)
                put(" OWNER TO ")
                put(SQLQuoting.identifier(owner, encoding: settings.encoding))
                put(";\n\n")
            }
        }
        if entry.isPartitionedTable, !script.noTableAccessMethod, let tableam = entry.tableam {
            put("ALTER TABLE ")
            put(SQLQuoting.qualifiedIdentifier(entry.namespace, entry.tag, encoding: settings.encoding))
            put(" SET ACCESS METHOD ")
            put(SQLQuoting.identifier(tableam, encoding: settings.encoding))
            put(";\n\n")
        }
        // ACL commands may change the session user.
        if EntrySelection.isACL(entry.desc) { currentUser = nil }
    }

    /// What `ALTER … OWNER TO` names for an entry; `nil` for types without a separate owner. Mirrors
    /// `_getObjectDescription`.
    func objectDescription(_ entry: TOCEntry) throws -> [UInt8]? {
        let type = entry.desc.string
        switch type {
        case "COLLATION", "CONVERSION", "DOMAIN", "FOREIGN TABLE", "MATERIALIZED VIEW", "SEQUENCE", "STATISTICS",
            "TABLE", "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION", "TYPE", "VIEW", "DATABASE",
            "PROCEDURAL LANGUAGE", "SCHEMA", "EVENT TRIGGER", "FOREIGN DATA WRAPPER", "SERVER", "PUBLICATION",
            "SUBSCRIPTION",
            // pg_dump 19's property graphs: pg_restore 19 names them here; 18 stops at them ("don't know how to
            // set owner"), so their archives are rendered as 19 renders them.
            "PROPERTY GRAPH":
            var result = entry.desc.bytes + [0x20]
            if let namespace = entry.namespace, !namespace.isEmpty {
                result += SQLQuoting.identifier(namespace, encoding: settings.encoding) + [UInt8(ascii: ".")]
            }
            return result + SQLQuoting.identifier(entry.tag?.bytes ?? [], encoding: settings.encoding)
        case "BLOB":
            return Array("LARGE OBJECT ".utf8) + (entry.tag?.bytes ?? [])
        case "AGGREGATE", "FUNCTION", "OPERATOR", "OPERATOR CLASS", "OPERATOR FAMILY", "PROCEDURE":
            // The DROP statement names the object exactly: drop "DROP " and the trailing ";\n".
            var statement = Array((entry.dropStmt?.bytes ?? []).dropFirst(5))
            while let last = statement.last, last == 0x0A || last == UInt8(ascii: ";") { statement.removeLast() }
            return statement
        case "CAST", "CHECK CONSTRAINT", "CONSTRAINT", "DATABASE PROPERTIES", "DEFAULT", "FK CONSTRAINT", "INDEX",
            "RULE", "TRIGGER", "ROW SECURITY", "POLICY", "USER MAPPING":
            return nil
        default:
            throw PGDumpError(
                .corrupt, "don't know how to set owner for object type \"\(type)\"", file: reader.path,
                dumpID: entry.dumpID)
        }
    }

    /// One command per large object of a BLOB METADATA entry (its definition lists their OIDs, one a line).
    /// Mirrors `IssueCommandPerBlob`.
    func issueCommandPerBlob(_ entry: TOCEntry, begin: String, end: String) {
        issueCommandPerBlob(entry, begin: Array(begin.utf8), end: Array(end.utf8))
    }

    /// The same, with halves in the archive's bytes (names in its encoding, never decoded).
    func issueCommandPerBlob(_ entry: TOCEntry, begin: [UInt8], end: [UInt8]) {
        let defn = entry.defn?.bytes ?? []
        var start = 0
        while let newline = defn[start...].firstIndex(of: 0x0A) {
            put(begin)
            put(Array(defn[start..<newline]))
            put(end)
            put(";\n")
            countAction()
            start = newline + 1
        }
        put("\n")
    }

    /// A large-object ACL entry stores its commands once; they are issued for every large object of the BLOB
    /// METADATA entry it depends on. Mirrors `IssueACLPerBlob`.
    func issueACLPerBlob(_ entry: TOCEntry) throws {
        guard let parentID = entry.dependencies.first, let parentIndex = byDumpID[parentID] else {
            throw PGDumpError(
                .corrupt, "could not find entry for ID \(entry.dependencies.first ?? 0)", file: reader.path,
                dumpID: entry.dumpID)
        }
        let blobs = entries[parentIndex]
        let defn = entry.defn?.bytes ?? []
        let marker = Array("LARGE OBJECT ".utf8)
        var inQuotes = false
        var commandStart = 0
        var secondHalfStart: Int?
        var firstHalfEnd = 0
        var position = 0
        while position < defn.count {
            let byte = defn[position]
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if inQuotes {
                position += 1
                continue
            }
            if defn[position...].starts(with: marker) {
                // The first half ends with "LARGE OBJECT "; the OID after it is replaced per large object.
                firstHalfEnd = position + marker.count
                position = firstHalfEnd
                while position < defn.count, defn[position] >= 0x30, defn[position] <= 0x39 { position += 1 }
                secondHalfStart = position
            } else if byte == UInt8(ascii: ";") {
                let first = Array(defn[commandStart..<firstHalfEnd])
                let second = Array(defn[(secondHalfStart ?? position)..<position])
                issueCommandPerBlob(blobs, begin: first, end: second)
                position += 1
                while position < defn.count, [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(defn[position]) {
                    position += 1
                }
                commandStart = position
                secondHalfStart = nil
            } else {
                position += 1
            }
        }
    }
}
