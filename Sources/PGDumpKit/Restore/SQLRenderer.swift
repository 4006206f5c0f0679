import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// Writes the SQL script pg_restore writes for an archive (`pg_restore -f`). Mirrors `RestoreArchive`,
/// `restore_toc_entry` and `_printTocEntry` of pg_restore 18, for script output.
///
/// The renderer knows no format: it sees entries and asks the reader for their data, which it streams to the
/// output a buffer at a time. It keeps pg's session state (`currUser`, `currSchema`, `currTablespace`,
/// `currTableAm`) so it emits the same `SET` statements pg_restore emits, only when something changes.
public final class SQLRenderer {
    private let reader: any ArchiveReader
    private var selection: RestoreOptions
    private let script: ScriptOptions
    private let output: OutputBuffer
    /// Entries in restore order (TOC order, or as a `-L` list arranged them), with their requirements.
    private let entries: [TOCEntry]
    private var requirements: [Requirement]
    private let byDumpID: [Int32: Int]
    private let settings: ArchiveSessionSettings

    private var currentUser: [UInt8]?
    private var currentSchema: [UInt8]?
    private var currentTablespace: [UInt8]?
    private var currentTableAccessMethod: [UInt8]?
    private var transactionCount = 0

    /// Warnings met while rendering, as pg_restore prints them on stderr.
    public private(set) var warnings: [ArchiveWarning] = []

    /// Receives, with `-v`, the progress lines pg_restore -v prints on stderr ("creating TABLE \"app.orders\"",
    /// "processing data for table …"), without the program prefix or the newline, as the raw bytes of the
    /// archive's names. Called as the script is written, so a caller sees them in pg_restore's order.
    public var verboseLog: (([UInt8]) -> Void)?

    /// - Parameters:
    ///   - entries: the entries in restore order; `EntrySelection.order(…)` applies a `-L` list.
    public init(
        reader: any ArchiveReader, entries: [TOCEntry], selection: RestoreOptions, script: ScriptOptions,
        output: ByteSink
    ) {
        self.reader = reader
        self.entries = entries
        self.selection = selection
        self.script = script
        self.output = OutputBuffer(sink: output)
        self.settings = reader.sessionSettings
        requirements = EntrySelection.requirements(of: entries, options: selection)
        var index: [Int32: Int] = [:]
        for (position, entry) in entries.enumerated() { index[entry.dumpID] = position }
        byDumpID = index
    }

    /// Writes the whole script.
    public func render() throws {
        // pg_restore refuses, before writing anything, to restore data it cannot decompress; every codec is
        // built in here, so there is nothing to refuse.
        if selection.dumpSchema && !requirements.contains(where: { $0.contains(.schema) }) {
            // "implied no-schema restore": it matters for --disable-triggers.
            selection.dumpSchema = false
            info(Array("implied no-schema restore".utf8))
        }
        put("--\n-- PostgreSQL database dump\n--\n\n")
        put("\\restrict \(script.restrictKey)\n\n")
        if let remote = reader.header.serverVersion {
            put("-- Dumped from database version ")
            put(remote)
            put("\n")
        }
        if let dumpVersion = reader.header.version < .v1_10
            ? ArchiveText(PGRestoreEmulation.version) : reader.header.pgDumpVersion
        {
            put("-- Dumped by pg_dump version ")
            put(dumpVersion)
            put("\n")
        }
        put("\n")
        if script.verbose {
            put("-- Started on \(ListPrinter.formattedCreationTime(reader.header))\n\n")
        }
        if script.singleTransaction { put("BEGIN;\n\n") }
        setFixedOutputState()

        if script.clean { try emitDrops() }

        // Three passes: main, ACLs, then what must follow the ACLs.
        var pendingPasses: Set<RestorePass> = []
        for index in entries.indices where !requirements[index].intersection([.schema, .data, .statistics]).isEmpty {
            let pass = RestorePass.of(entries[index])
            if pass == .main {
                try restoreEntry(at: index)
            } else {
                pendingPasses.insert(pass)
            }
        }
        for pass in [RestorePass.acl, .postACL] where pendingPasses.contains(pass) {
            for index in entries.indices
            where !requirements[index].intersection([.schema, .data, .statistics]).isEmpty
                && RestorePass.of(entries[index]) == pass
            {
                try restoreEntry(at: index)
            }
        }

        if script.singleTransaction || script.transactionSize > 0 { put("COMMIT;\n\n") }
        if script.verbose {
            put("-- Completed on \(Self.formattedNow())\n\n")
        }
        put("--\n-- PostgreSQL database dump complete\n--\n\n")
        put("\\unrestrict \(script.restrictKey)\n\n")
        try output.flush()
    }

    // MARK: - Output

    /// A `pg_log_info` line: only with `-v`. `nil` names print as glibc prints a null `%s`.
    private func info(_ parts: [UInt8]?...) {
        guard script.verbose, let verboseLog else { return }
        var line: [UInt8] = []
        for part in parts { line.append(contentsOf: part ?? Array("(null)".utf8)) }
        verboseLog(line)
    }

    private func put(_ text: String) { output.append(text) }
    private func put(_ text: ArchiveText) { output.append(text) }
    private func put(_ bytes: [UInt8]) { output.append(bytes) }

    // MARK: - Session state

    /// The fixed SET block. Mirrors `_doSetFixedOutputState`.
    private func setFixedOutputState() {
        put("SET statement_timeout = 0;\n")
        put("SET lock_timeout = 0;\n")
        put("SET idle_in_transaction_session_timeout = 0;\n")
        put("SET transaction_timeout = 0;\n")
        put("SET client_encoding = '\(settings.encoding.name)';\n")
        put("SET standard_conforming_strings = \(settings.standardConformingStrings ? "on" : "off");\n")
        if let role = script.role {
            put("SET ROLE ")
            put(SQLQuoting.identifier(role, encoding: settings.encoding))
            put(";\n")
        }
        if let searchPath = settings.searchPath { put(searchPath) }
        put("SET check_function_bodies = false;\n")
        put("SET xmloption = content;\n")
        put("SET client_min_messages = warning;\n")
        if !settings.standardConformingStrings { put("SET escape_string_warning = off;\n") }
        put("SET row_security = \(script.enableRowSecurity ? "on" : "off");\n")
        if script.transactionSize > 0 { put("\nBEGIN;\n") }
        put("\n")
    }

    /// Mirrors `_becomeUser`.
    private func becomeUser(_ user: [UInt8]?) {
        let wanted = user ?? []
        if let currentUser, currentUser == wanted { return }
        put("SET SESSION AUTHORIZATION ")
        if wanted.isEmpty {
            put("DEFAULT")
        } else {
            put(SQLQuoting.stringLiteral(
                wanted, standardConformingStrings: settings.standardConformingStrings, encoding: settings.encoding))
        }
        put(";\n\n")
        currentUser = wanted
    }

    /// Mirrors `_becomeOwner`.
    private func becomeOwner(_ entry: TOCEntry) {
        guard !script.noOwner && script.useSetSessionAuthorization else { return }
        becomeUser(entry.owner?.bytes)
    }

    /// Mirrors `_selectOutputSchema`: only archives without a SEARCHPATH entry (before 1.13) switch schemas.
    private func selectOutputSchema(_ schema: [UInt8]?) {
        guard settings.searchPath == nil, let schema, !schema.isEmpty, currentSchema != schema else { return }
        put("SET search_path = ")
        put(SQLQuoting.identifier(schema, encoding: settings.encoding))
        if schema != Array("pg_catalog".utf8) { put(", pg_catalog") }
        put(";\n\n")
        currentSchema = schema
    }

    /// Mirrors `_selectTablespace`.
    private func selectTablespace(_ tablespace: ArchiveText?) {
        guard !script.noTablespaces, let wanted = tablespace?.bytes, currentTablespace != wanted else { return }
        if wanted.isEmpty {
            put("SET default_tablespace = ''")
        } else {
            put("SET default_tablespace = ")
            put(SQLQuoting.identifier(wanted, encoding: settings.encoding))
        }
        put(";\n\n")
        currentTablespace = wanted
    }

    /// Mirrors `_selectTableAccessMethod`.
    private func selectTableAccessMethod(_ tableam: ArchiveText?) {
        guard !script.noTableAccessMethod, let wanted = tableam?.bytes, currentTableAccessMethod != wanted else {
            return
        }
        put("SET default_table_access_method = ")
        put(SQLQuoting.identifier(wanted, encoding: settings.encoding))
        put(";\n\n")
        currentTableAccessMethod = wanted
    }

    /// Counts one action for `--transaction-size`, committing when the batch is full.
    private func countAction(_ count: Int = 1, separator: String = "COMMIT;\nBEGIN;\n\n") {
        guard script.transactionSize > 0 else { return }
        transactionCount += count
        if transactionCount >= script.transactionSize {
            put(separator)
            transactionCount = 0
        }
    }

    // MARK: - Drops

    /// The DROP pass of `--clean`, in reverse order. Mirrors the first part of `RestoreArchive`.
    private func emitDrops() throws {
        for index in entries.indices.reversed() {
            let entry = entries[index]
            if selection.createDB && !(entry.desc.equals("DATABASE") || entry.desc.equals("DATABASE PROPERTIES")) {
                continue
            }
            guard !requirements[index].intersection([.schema, .data]).isEmpty, let dropStmt = entry.dropStmt else {
                continue
            }
            var notAllowedInTransaction = false
            if script.transactionSize > 0
                && (entry.desc.equals("DATABASE") || entry.desc.equals("DATABASE PROPERTIES"))
            {
                notAllowedInTransaction = true
                put("COMMIT;\n")
            }
            info(Array("dropping ".utf8), entry.desc.bytes, [0x20], entry.tag?.bytes)
            becomeOwner(entry)
            selectOutputSchema(entry.namespace?.bytes)
            if entry.desc.equals("BLOB METADATA") {
                if script.ifExists {
                    issueCommandPerBlob(
                        entry, begin: "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '",
                        end: "'")
                } else {
                    issueCommandPerBlob(entry, begin: "SELECT pg_catalog.lo_unlink('", end: "')")
                }
            } else if !dropStmt.isEmpty {
                if !script.ifExists || dropStmt.hasPrefix("--") {
                    put(dropStmt)
                } else if entry.desc.equals("BLOB") {
                    dropLargeObjectIfExists(entry.oid)
                } else {
                    put(insertingIfExists(into: dropStmt, of: entry))
                }
            }
            if script.transactionSize > 0 {
                if notAllowedInTransaction {
                    put("BEGIN;\n")
                } else {
                    countAction(separator: "COMMIT;\nBEGIN;\n")
                }
            }
            try output.flushIfFull()
        }
        // The schema set while dropping may be gone now; set it again when next needed.
        currentSchema = nil
    }

    /// Mirrors `DropLOIfExists`.
    private func dropLargeObjectIfExists(_ oid: UInt32) {
        put("SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '\(oid)';\n")
    }

    /// The drop statement with IF EXISTS inserted, as `RestoreArchive` does it.
    private func insertingIfExists(into dropStmt: ArchiveText, of entry: TOCEntry) -> [UInt8] {
        var statement = dropStmt.bytes[...]
        var result: [UInt8] = []
        let alterTable = Array("ALTER TABLE".utf8)
        if statement.starts(with: alterTable) {
            result += Array("ALTER TABLE IF EXISTS".utf8)
            statement = statement.dropFirst(alterTable.count)
        }
        if entry.desc.equals("DEFAULT") || entry.desc.equals("DATABASE PROPERTIES")
            || statement.starts(with: Array("CREATE OR REPLACE VIEW".utf8))
        {
            return result + statement
        }
        let isConstraint = entry.desc.equals("CONSTRAINT") || entry.desc.equals("CHECK CONSTRAINT")
            || entry.desc.equals("FK CONSTRAINT")
        // pg formats "DROP %s" into a 40-byte buffer, so a long type name is cut there.
        let marker = isConstraint ? Array("DROP CONSTRAINT".utf8) : Array(("DROP ".utf8 + entry.desc.bytes).prefix(39))
        if let range = Self.firstRange(of: marker, in: statement) {
            result += statement[..<range.lowerBound]
            result += marker
            result += Array(" IF EXISTS".utf8)
            result += statement[range.upperBound...]
        } else {
            warnings.append(ArchiveWarning(
                "could not find where to insert IF EXISTS in statement \"\(dropStmt.string)\""))
            result += statement
        }
        return result
    }

    static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var start = haystack.startIndex
        while start + needle.count <= haystack.endIndex {
            if haystack[start] == needle[0], haystack[start..<(start + needle.count)].elementsEqual(needle) {
                return start..<(start + needle.count)
            }
            start += 1
        }
        return nil
    }

    // MARK: - Entries

    /// Mirrors `restore_toc_entry` for script output.
    private func restoreEntry(at index: Int) throws {
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
    private func reconnect(to database: [UInt8]) throws {
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
    private func printEntry(_ entry: TOCEntry, prefix: String) throws {
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
    private func objectDescription(_ entry: TOCEntry) throws -> [UInt8]? {
        let type = entry.desc.string
        switch type {
        case "COLLATION", "CONVERSION", "DOMAIN", "FOREIGN TABLE", "MATERIALIZED VIEW", "SEQUENCE", "STATISTICS",
            "TABLE", "TEXT SEARCH DICTIONARY", "TEXT SEARCH CONFIGURATION", "TYPE", "VIEW", "DATABASE",
            "PROCEDURAL LANGUAGE", "SCHEMA", "EVENT TRIGGER", "FOREIGN DATA WRAPPER", "SERVER", "PUBLICATION",
            "SUBSCRIPTION":
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
    private func issueCommandPerBlob(_ entry: TOCEntry, begin: String, end: String) {
        issueCommandPerBlob(entry, begin: Array(begin.utf8), end: Array(end.utf8))
    }

    /// The same, with halves in the archive's bytes (names in its encoding, never decoded).
    private func issueCommandPerBlob(_ entry: TOCEntry, begin: [UInt8], end: [UInt8]) {
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
    private func issueACLPerBlob(_ entry: TOCEntry) throws {
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

    // MARK: - Data

    /// The data part of an entry: COPY data verbatim, or large objects as lo_open/lowrite/lo_close.
    private func printData(of entry: TOCEntry) throws {
        try printEntry(entry, prefix: "Data for ")
        if entry.desc.equals("BLOBS") || entry.desc.equals("BLOB COMMENTS") {
            info(Array("processing ".utf8), entry.desc.bytes)
            selectOutputSchema(Array("pg_catalog".utf8))
            if entry.desc.equals("BLOBS") {
                let inTransaction = script.singleTransaction || script.transactionSize > 0
                if !inTransaction { put("BEGIN;\n\n") }
                var sink = LargeObjectScriptSink(
                    output: output, oldStyle: reader.header.version < .v1_12, clean: script.clean,
                    standardConformingStrings: settings.standardConformingStrings, log: script.verbose ? verboseLog : nil,
                    logLinesPerObject: reader.logsLargeObjectsWhileReading ? 2 : 1)
                try reader.streamData(of: entry, into: &sink)
                let count = sink.largeObjectCount
                info(Array("restored \(count) large object\(count == 1 ? "" : "s")".utf8))
                if !inTransaction { put("COMMIT;\n\n") }
            } else {
                var sink = VerbatimScriptSink(output: output)
                try reader.streamData(of: entry, into: &sink)
            }
            return
        }
        disableTriggersIfNecessary(entry)
        becomeOwner(entry)
        selectOutputSchema(entry.namespace?.bytes)
        info(Array("processing data for table \"".utf8), entry.namespace?.bytes, [0x2E], entry.tag?.bytes, [0x22])
        if let copyStmt = entry.copyStmt, !copyStmt.isEmpty { put(copyStmt) }
        var sink = VerbatimScriptSink(output: output)
        try reader.streamData(of: entry, into: &sink)
        enableTriggersIfNecessary(entry)
    }

    /// Mirrors `_disableTriggersIfNecessary`.
    private func disableTriggersIfNecessary(_ entry: TOCEntry) {
        guard !selection.dumpSchema && script.disableTriggers else { return }
        info(Array("disabling triggers for ".utf8), entry.tag?.bytes)
        becomeUser(script.superuser.map { Array($0.utf8) })
        put("ALTER TABLE ")
        put(SQLQuoting.qualifiedIdentifier(entry.namespace, entry.tag, encoding: settings.encoding))
        put(" DISABLE TRIGGER ALL;\n\n")
    }

    /// Mirrors `_enableTriggersIfNecessary`.
    private func enableTriggersIfNecessary(_ entry: TOCEntry) {
        guard !selection.dumpSchema && script.disableTriggers else { return }
        info(Array("enabling triggers for ".utf8), entry.tag?.bytes)
        becomeUser(script.superuser.map { Array($0.utf8) })
        put("ALTER TABLE ")
        put(SQLQuoting.qualifiedIdentifier(entry.namespace, entry.tag, encoding: settings.encoding))
        put(" ENABLE TRIGGER ALL;\n\n")
    }

    static func formattedNow() -> String {
        var now = time(nil)
        var local = tm()
        localtime_r(&now, &local)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S %Z", &local)
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The pass an entry is restored in. Mirrors `_tocEntryRestorePass` of pg_restore 18.
enum RestorePass: Hashable {
    case main, acl, postACL

    static func of(_ entry: TOCEntry) -> RestorePass {
        let desc = entry.desc
        if desc.equals("ACL") || desc.equals("ACL LANGUAGE") || desc.equals("DEFAULT ACL") { return .acl }
        if desc.equals("EVENT TRIGGER") || desc.equals("MATERIALIZED VIEW DATA") { return .postACL }
        if desc.equals("COMMENT") && (entry.tag?.hasPrefix("EVENT TRIGGER ") ?? false) { return .postACL }
        if desc.equals("STATISTICS DATA") && entry.section == .postData { return .postACL }
        return .main
    }
}

/// Table data goes to the script as stored: COPY rows with their terminator, or INSERT statements.
struct VerbatimScriptSink: DataSink {
    let output: OutputBuffer
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws { try output.append(bytes) }
}

/// Large objects become `lo_open`, one `lowrite` per 16384 bytes, and `lo_close`. Mirrors `StartRestoreLO`,
/// `dump_lo_buf` and `EndRestoreLO`.
struct LargeObjectScriptSink: DataSink {
    static let bufferSize = 16384
    let output: OutputBuffer
    let oldStyle: Bool
    let clean: Bool
    let standardConformingStrings: Bool
    /// pg_restore -v's "restoring large object with OID N" lines, and how many each object gets.
    let log: (([UInt8]) -> Void)?
    let logLinesPerObject: Int
    private(set) var largeObjectCount = 0
    private var pending: [UInt8] = []
    private var line: [UInt8] = []

    init(
        output: OutputBuffer, oldStyle: Bool, clean: Bool, standardConformingStrings: Bool,
        log: (([UInt8]) -> Void)? = nil, logLinesPerObject: Int = 1
    ) {
        self.logLinesPerObject = logLinesPerObject
        self.output = output
        self.oldStyle = oldStyle
        self.clean = clean
        self.standardConformingStrings = standardConformingStrings
        self.log = log
        pending.reserveCapacity(Self.bufferSize)
    }

    mutating func beginLargeObject(oid: UInt32) throws {
        pending.removeAll(keepingCapacity: true)
        largeObjectCount += 1
        for _ in 0..<logLinesPerObject { log?(Array("restoring large object with OID \(oid)".utf8)) }
        if oldStyle {
            if clean {
                output.append(
                    "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '\(oid)';\n")
            }
            output.append("SELECT pg_catalog.lo_open(pg_catalog.lo_create('\(oid)'), 131072);\n")
        } else {
            output.append("SELECT pg_catalog.lo_open('\(oid)', 131072);\n")
        }
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes[...]
        // A full buffer is written only when more bytes arrive, so the last piece is never empty.
        while pending.count + rest.count > Self.bufferSize {
            let take = Self.bufferSize - pending.count
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            try flushPending()
        }
        pending.append(contentsOf: rest)
    }

    mutating func endLargeObject() throws {
        if !pending.isEmpty { try flushPending() }
        output.append("SELECT pg_catalog.lo_close(0);\n\n")
        try output.flushIfFull()
    }

    private mutating func flushPending() throws {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: "SELECT pg_catalog.lowrite(0, ".utf8)
        pending.withUnsafeBytes {
            SQLQuoting.appendByteaLiteral($0, standardConformingStrings: standardConformingStrings, to: &line)
        }
        line.append(contentsOf: ");\n".utf8)
        try line.withUnsafeBytes { try output.append($0) }
        pending.removeAll(keepingCapacity: true)
    }
}

extension TOCEntry {
    /// relkind 'p'.
    var isPartitionedTable: Bool { relkind == Int32(UInt8(ascii: "p")) }
}
