import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where one entry's data lies: a byte range of the script itself (a regular file) or of the spool.
struct PlainDataRange: Sendable {
    enum Kind: Sendable {
        /// COPY rows and their `\.` line, as an archive stores them.
        case copy
        /// INSERT statements, as an archive stores them.
        case inserts
        /// A BLOBS entry's `lo_open`/`lowrite`/`lo_close` statements, decoded when streamed.
        case largeObjects
    }
    var kind: Kind
    var start: Int64
    var end: Int64
    /// Where the data began in the script, for messages.
    var scriptOffset: Int64
    /// Set when the script ended inside the data (a COPY block without its `\.`).
    var truncation: PGDumpError?
}

/// Everything one pass over a script finds.
struct PlainScriptIndex {
    var header: ArchiveHeader
    var entries: [TOCEntry]
    var settings: ArchiveSessionSettings
    var dataRanges: [Int32: PlainDataRange]
    var warnings: [ArchiveWarning]
    /// Whether the `-- TOC entry` lines of `pg_dump -v` gave exact dump IDs, catalog IDs and dependencies.
    var hasDumpIDs: Bool
    var recordsDropStatements: Bool
    var recordsDatabaseCreation: Bool
    /// The script ends without `-- PostgreSQL database dump complete`.
    var truncation: PGDumpError?
}

/// The one forward pass over a pg_dump plain script that recovers its TOC: the inverse of pg_restore's script
/// output (`RestoreArchive`, `_printTocEntry`, `_doSetFixedOutputState`), which pg_dump -Fp runs too.
///
/// Definitions (small) are kept; each data block is skimmed and recorded as a byte range, of the script when it
/// is a regular file, of a spool file otherwise.
final class PlainScriptIndexer {
    /// One entry as the script shows it, before the TOC is put back in order.
    struct Parsed {
        var entry: TOCEntry
        var explicitID: Bool
        /// The `ALTER … OWNER TO` statement's object (`TABLE public.t`), when the script had one.
        var ownerObject: [UInt8]?
        var data: PlainDataRange?
        /// Script order, for the listing's order and the reordering of the ACL pass.
        var pass: RestorePass
        /// Where the header started, for messages.
        var offset: Int64
    }

    let scanner: ScriptScanner
    let spool: ScriptSpool?
    let limits: ArchiveLimits
    private var lineLimit: Int { max(1 << 20, min(limits.maxStringBytes, 256 << 20)) }

    private var serverVersion: ArchiveText?
    private var pgDumpVersion: ArchiveText?
    private var creationTime: CreationTime?
    private var encodingDefn: [UInt8]?
    private var stdStringsDefn: [UInt8]?
    private var searchPathDefn: [UInt8]?
    private var databaseName: ArchiveText?

    private var parsed: [Parsed] = []
    /// Without -v: the object each comment, security label, ACL or statistics entry belongs to (`parsed`
    /// indices), its one dependency in pg_dump's TOC.
    private var objectOf: [Int: Int] = [:]
    private var drops: [[UInt8]] = []
    private var warnings: [ArchiveWarning] = []
    private var currentTablespace: [UInt8]?
    private var currentTableAM: [UInt8]?
    /// A `SET default_tablespace`/`default_table_access_method` printed just before the next entry's header.
    private var tablespaceSetBefore: [UInt8]?
    private var tableAMSetBefore: [UInt8]?
    private var currentSection: Section = .preData
    private var sawTrailer = false
    private var truncation: PGDumpError?

    init(source: ByteSource, spool: ScriptSpool?, limits: ArchiveLimits) {
        scanner = ScriptScanner(source: source)
        self.spool = spool
        self.limits = limits
    }

    private func error(_ kind: PGDumpError.Kind, _ message: String, at offset: Int64) -> PGDumpError {
        PGDumpError(kind, message, file: scanner.name, offset: offset)
    }

    // MARK: - The pass

    func index() throws -> PlainScriptIndex {
        try readPreamble()
        var segment: [UInt8] = []
        var current: Int?
        while true {
            if try scanner.atEnd() {
                try finish(entry: current, segment: &segment)
                truncation = error(
                    .truncated,
                    "the script ends without \"-- PostgreSQL database dump complete\": it is truncated", at: scanner.position)
                break
            }
            if try startsHeader() {
                try finish(entry: current, segment: &segment)
                current = nil
                if try scanner.startsWith(PlainScriptText.trailer) {
                    try readTrailer()
                    break
                }
                current = try readEntryHeader()
                if parsed[current!].entry.hadDumper {
                    try readData(of: current!)
                }
                continue
            }
            if try scanner.startsWith(Array("-- Completed on ".utf8)) {
                // -v's closing time and the blank line after it.
                try scanner.skipLine()
                if try scanner.startsWith([0x0A]) { try scanner.skipLine() }
                continue
            }
            try scanner.readLine(into: &segment, limit: lineLimit)
            if segment.count > limits.maxStringBytes {
                throw error(
                    .limitExceeded, "an entry's definition is longer than the limit of \(limits.maxStringBytes) bytes",
                    at: scanner.position)
            }
        }
        return try assemble()
    }

    /// Whether a header comment starts at the scanner's position.
    private func startsHeader() throws -> Bool {
        let next = try scanner.peek(48)
        guard next.count > 3, next[0] == 0x2D, next[1] == 0x2D, next[2] == 0x0A else { return false }
        let rest = UnsafeRawBufferPointer(rebasing: next[3...])
        return PlainScriptText.headerSecondLines.contains { line in
            rest.count >= line.count && rest.prefix(line.count).elementsEqual(line)
        }
    }

    // MARK: - Preamble and trailer

    /// The header comment, `\restrict`, the version lines, `-- Started on`, and the fixed SET block
    /// (`_doSetFixedOutputState`), from which the ENCODING, STDSTRINGS and SEARCHPATH entries come back.
    private func readPreamble() throws {
        let start = try scanner.peek(PlainScriptText.dumpHeader.count)
        if start.count < PlainScriptText.dumpHeader.count, PlainScriptText.dumpHeader.starts(with: start) {
            throw error(.truncated, "the script ends inside pg_dump's header comment: it is truncated", at: Int64(start.count))
        }
        guard try scanner.startsWith(PlainScriptText.dumpHeader) else {
            if try scanner.startsWith(PlainScriptText.dumpAllHeader) {
                throw error(
                    .notAnArchive,
                    "a pg_dumpall script, not one database's pg_dump script: choose a database with --database NAME", at: 0)
            }
            throw error(
                .notAnArchive,
                "not a pg_dump script: expected it to start with \"--\\n-- PostgreSQL database dump\\n--\"", at: 0)
        }
        for _ in 0..<4 { try scanner.skipLine() }
        var line: [UInt8] = []
        func nextLine() throws -> Bool {
            line.removeAll(keepingCapacity: true)
            return try scanner.readLine(into: &line, limit: lineLimit)
        }
        func value(after prefix: String) -> ArchiveText? {
            guard PlainScriptText.starts(line, with: prefix), line.last == 0x0A else { return nil }
            return ArchiveText(bytes: Array(line[prefix.utf8.count..<(line.count - 1)]))
        }
        while try !scanner.atEnd() {
            if try startsHeader() { return }
            let offset = scanner.position
            guard try nextLine() else { return }
            if line.last != 0x0A {
                throw error(.truncated, "the script ends inside its preamble: it is truncated", at: offset)
            }
            if line == [0x0A] || PlainScriptText.starts(line, with: "\\restrict ") { continue }
            if let version = value(after: "-- Dumped from database version ") {
                serverVersion = version
            } else if let version = value(after: "-- Dumped by pg_dump version ") {
                pgDumpVersion = version
            } else if let started = value(after: "-- Started on ") {
                creationTime = Self.creationTime(started.string)
            } else if PlainScriptText.starts(line, with: "SET client_encoding = ") {
                encodingDefn = line
            } else if PlainScriptText.starts(line, with: "SET standard_conforming_strings = ") {
                // The STDSTRINGS entry quotes the value; the fixed SET block prints it bare.
                let value = line.dropFirst("SET standard_conforming_strings = ".utf8.count).prefix { $0 != 0x3B }
                stdStringsDefn = Array("SET standard_conforming_strings = '".utf8) + value + Array("';\n".utf8)
            } else if PlainScriptText.starts(line, with: "SELECT pg_catalog.set_config('search_path', ") {
                searchPathDefn = line
            } else if PlainScriptText.starts(line, with: "SET ") || PlainScriptText.starts(line, with: "BEGIN;") {
                // The rest of the fixed SET block, regenerated on output.
                if PlainScriptText.starts(line, with: "SET row_security = ") { return }
            } else {
                throw error(
                    .corrupt, "unexpected line in the script's preamble: \(Self.quotedLine(line))", at: offset)
            }
        }
    }

    /// `-- Started on 2026-12-01 21:31:20 UTC`: the fields, read as the dump's local time, as an archive stores
    /// them.
    static func creationTime(_ text: String) -> CreationTime? {
        let parts = text.split(separator: " ")
        guard parts.count >= 2 else { return nil }
        let date = parts[0].split(separator: "-").compactMap { Int32($0) }
        let time = parts[1].split(separator: ":").compactMap { Int32($0) }
        guard date.count == 3, time.count == 3 else { return nil }
        return CreationTime(
            second: time[2], minute: time[1], hour: time[0], dayOfMonth: date[2], month: date[1] - 1,
            yearsSince1900: date[0] - 1900, isDST: -1)
    }

    /// The closing comment and the `\unrestrict` after it; nothing else may follow.
    private func readTrailer() throws {
        sawTrailer = true
        for _ in 0..<3 { try scanner.skipLine() }
        var line: [UInt8] = []
        while try !scanner.atEnd() {
            let offset = scanner.position
            line.removeAll(keepingCapacity: true)
            try scanner.readLine(into: &line, limit: lineLimit)
            if line == [0x0A] || PlainScriptText.starts(line, with: "\\unrestrict ") { continue }
            warnings.append(ArchiveWarning(
                "\(scanner.name): text after \"-- PostgreSQL database dump complete\" at offset \(offset) is ignored"))
            return
        }
    }

    // MARK: - Entries

    /// Reads an entry's header comment (`_printTocEntry`) and starts its entry.
    private func readEntryHeader() throws -> Int {
        let offset = scanner.position
        try scanner.skipLine()  // "--"
        var line: [UInt8] = []
        func nextLine() throws {
            line.removeAll(keepingCapacity: true)
            guard try scanner.readLine(into: &line, limit: lineLimit), line.last == 0x0A else {
                throw error(.truncated, "the script ends inside an entry's header comment", at: offset)
            }
            line.removeLast()
        }
        try nextLine()
        var dumpID: Int32?
        var tableOID: ArchiveText = "0"
        var oid: ArchiveText = "0"
        var dependencies: [Int32] = []
        if PlainScriptText.starts(line, with: "-- TOC entry ") {
            // -- TOC entry 214 (class 1259 OID 16866)
            let words = String(decoding: line, as: UTF8.self).split(separator: " ")
            guard words.count >= 8, let id = Int32(words[3]), words[5].allSatisfy(\.isNumber),
                words[7].hasSuffix(")")
            else {
                throw error(.corrupt, "malformed TOC entry line: \(Self.quotedLine(line))", at: offset)
            }
            dumpID = id
            tableOID = ArchiveText(String(words[5]))
            oid = ArchiveText(String(words[7].dropLast()))
            try nextLine()
            if PlainScriptText.starts(line, with: "-- Dependencies:") {
                for word in String(decoding: line, as: UTF8.self).split(separator: " ").dropFirst(2) {
                    guard let dependency = Int32(word) else {
                        throw error(.corrupt, "malformed dependency line: \(Self.quotedLine(line))", at: offset)
                    }
                    dependencies.append(dependency)
                }
                guard dependencies.count <= limits.maxDependencies else {
                    throw error(.limitExceeded, "too many dependencies", at: offset)
                }
                try nextLine()
            }
        }
        var hadDumper = false
        var body = line[...]
        for (prefix, dumper) in [("-- Name: ", false), ("-- Data for Name: ", true), ("-- Statistics for Name: ", false)]
        where PlainScriptText.starts(body, with: Array(prefix.utf8)) {
            body = body.dropFirst(prefix.utf8.count)
            hadDumper = dumper
        }
        guard let fields = Self.nameLineFields(body) else {
            throw error(.corrupt, "malformed entry header: \(Self.quotedLine(line))", at: offset)
        }
        // Lines a format adds (`-- Data Pos:`, `-- File:`) never appear in a script; skip to the closing "--".
        try nextLine()
        while line != [0x2D, 0x2D] {
            try nextLine()
        }
        if try scanner.startsWith([0x0A]) { try scanner.skipLine() }

        let desc = ArchiveText(bytes: fields.desc)
        var section = Self.section(of: desc.string, current: currentSection)
        if section == .none || section == .preData || section == .data || section == .postData {
            if section != .none { currentSection = section }
        } else {
            section = currentSection
        }
        var entry = TOCEntry(
            dumpID: dumpID ?? 0, hadDumper: hadDumper, tableOIDText: tableOID, oidText: oid,
            tag: ArchiveText(bytes: fields.tag), desc: desc, section: section,
            defn: ArchiveText(""), namespace: fields.namespace.map { ArchiveText(bytes: $0) },
            owner: fields.owner.map { ArchiveText(bytes: $0) }, dependencies: dependencies)
        entry.tablespace = tablespace(for: entry.desc.string, named: fields.tablespace)
        entry.tableam = tableAccessMethod(for: entry.desc.string)
        tablespaceSetBefore = nil
        tableAMSetBefore = nil
        if desc.equals("DATABASE"), databaseName == nil { databaseName = entry.tag }
        parsed.append(Parsed(
            entry: entry, explicitID: dumpID != nil, ownerObject: nil, data: nil, pass: RestorePass.of(entry),
            offset: offset))
        return parsed.count - 1
    }

    /// `TAG; Type: DESC; Schema: NS; Owner: OWNER[; Tablespace: TS]`, each as `sanitize_line` left it; `-` is a
    /// NULL schema or owner.
    static func nameLineFields(_ line: ArraySlice<UInt8>) -> (
        tag: [UInt8], desc: [UInt8], namespace: [UInt8]?, owner: [UInt8]?, tablespace: [UInt8]?
    )? {
        let typeMarker = Array("; Type: ".utf8)
        let schemaMarker = Array("; Schema: ".utf8)
        let ownerMarker = Array("; Owner: ".utf8)
        let tablespaceMarker = Array("; Tablespace: ".utf8)
        guard let type = PlainScriptText.find(typeMarker, in: line),
            let schema = PlainScriptText.find(schemaMarker, in: line[(type + typeMarker.count)...]),
            let owner = PlainScriptText.find(ownerMarker, in: line[(schema + schemaMarker.count)...])
        else { return nil }
        let ownerEnd: Int
        var tablespace: [UInt8]?
        if let marker = PlainScriptText.find(tablespaceMarker, in: line[(owner + ownerMarker.count)...]) {
            ownerEnd = marker
            tablespace = Array(line[(marker + tablespaceMarker.count)...])
        } else {
            ownerEnd = line.endIndex
        }
        func nullable(_ bytes: ArraySlice<UInt8>) -> [UInt8]? { bytes.elementsEqual([0x2D]) ? nil : Array(bytes) }
        return (
            Array(line[..<type]), Array(line[(type + typeMarker.count)..<schema]),
            nullable(line[(schema + schemaMarker.count)..<owner]), nullable(line[(owner + ownerMarker.count)..<ownerEnd]),
            tablespace
        )
    }

    /// The section pg_dump gives an entry of type `desc` (`pg_dump.c`'s `ArchiveEntry` calls). Statistics are
    /// data or post-data as the objects they describe are: the position in the script tells.
    static func section(of desc: String, current: Section) -> Section {
        switch desc {
        case "COMMENT", "SECURITY LABEL", "ACL", "ACL LANGUAGE":
            return .none
        case "TABLE DATA", "SEQUENCE SET", "BLOBS", "BLOB COMMENTS", "BLOB METADATA":
            return .data
        case "STATISTICS DATA":
            return current == .postData ? .postData : .data
        case "EXTENDED STATISTICS DATA":
            return .postData
        case "CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT", "INDEX", "INDEX ATTACH", "RULE", "TRIGGER",
            "EVENT TRIGGER", "MATERIALIZED VIEW DATA", "POLICY", "ROW SECURITY", "PUBLICATION", "PUBLICATION TABLE",
            "PUBLICATION TABLES IN SCHEMA", "SUBSCRIPTION", "SUBSCRIPTION TABLE", "STATISTICS", "DEFAULT ACL":
            return .postData
        default:
            return .preData
        }
    }

    /// The types pg_dump gives a tablespace (NULL for all others): `SET default_tablespace` is printed for them.
    static let tablespaceTypes: Set<String> = ["TABLE", "INDEX", "CONSTRAINT", "MATERIALIZED VIEW"]
    /// The types pg_dump gives a table access method.
    static let tableAMTypes: Set<String> = ["TABLE", "MATERIALIZED VIEW"]

    /// An entry's tablespace: the header's `Tablespace:` when not the default; the default (empty) when a
    /// `SET default_tablespace` preceded it or the session has one and the type always has one; else NULL.
    private func tablespace(for desc: String, named: [UInt8]?) -> ArchiveText? {
        if let named {
            currentTablespace = named
            return ArchiveText(bytes: named)
        }
        if let set = tablespaceSetBefore { return ArchiveText(bytes: set) }
        if Self.tablespaceTypes.contains(desc), let currentTablespace, currentTablespace.isEmpty {
            return ArchiveText("")
        }
        return nil
    }

    private func tableAccessMethod(for desc: String) -> ArchiveText? {
        if let set = tableAMSetBefore { return ArchiveText(bytes: set) }
        if Self.tableAMTypes.contains(desc), let currentTableAM { return ArchiveText(bytes: currentTableAM) }
        return nil
    }

    // MARK: - Data

    /// Skims an entry's data (`Data for Name:`): COPY rows to `\.`, INSERT statements, or large objects.
    private func readData(of index: Int) throws {
        let entry = parsed[index].entry
        // What pg_restore prints between the header and the data: the owner and schema again (unchanged, so
        // nothing), and --disable-triggers' commands, regenerated on output.
        while try scanner.startsWith(Array("SET ".utf8)) || scanner.startsWith(Array("ALTER TABLE ".utf8)) {
            var line: [UInt8] = []
            try scanner.readLine(into: &line, limit: lineLimit)
            if try scanner.startsWith([0x0A]) { try scanner.skipLine() }
        }
        if entry.desc.equals("BLOBS") {
            // pg_restore wraps large objects in BEGIN/COMMIT (outside -1); the statements between are kept.
            if try scanner.startsWith(Array("BEGIN;\n".utf8)) {
                try scanner.skipLine()
                if try scanner.startsWith([0x0A]) { try scanner.skipLine() }
            }
        }
        let scriptOffset = scanner.position
        let start = spool?.size ?? scriptOffset
        var kind = PlainDataRange.Kind.inserts
        var truncation: PGDumpError?
        var end: Int64
        if entry.desc.equals("BLOBS") {
            kind = .largeObjects
            end = try readLargeObjects(truncation: &truncation)
        } else if try scanner.startsWith(Array("COPY ".utf8)) {
            kind = .copy
            var copyStmt: [UInt8] = []
            let stmtOffset = scanner.position
            while !(copyStmt.last == 0x0A && Self.endsWithFromStdin(copyStmt)) {
                guard try scanner.readLine(into: &copyStmt, limit: lineLimit) else {
                    throw error(.truncated, "the script ends inside a COPY statement", at: stmtOffset)
                }
            }
            parsed[index].entry.copyStmt = ArchiveText(bytes: copyStmt)
            let dataStart = spool?.size ?? scanner.position
            let dataOffset = scanner.position
            let terminated = try scanner.scanCopyData { try spool?.append($0) }
            if terminated {
                try scanner.scanBlankLines { try spool?.append($0) }
            } else {
                truncation = error(
                    .truncated,
                    "the script ends inside the COPY data of \(Self.label(entry)), before its end-of-data line \\.",
                    at: scanner.position)
            }
            parsed[index].data = PlainDataRange(
                kind: .copy, start: dataStart, end: spool?.size ?? scanner.position, scriptOffset: dataOffset,
                truncation: truncation)
            return
        } else {
            if try scanner.scanInsertData({ try spool?.append($0) }) {
                truncation = error(
                    .truncated, "the script ends inside a quoted literal of the data of \(Self.label(entry))",
                    at: scanner.position)
            }
            end = spool?.size ?? scanner.position
        }
        parsed[index].data = PlainDataRange(
            kind: kind, start: start, end: end, scriptOffset: scriptOffset, truncation: truncation)
    }

    private static func endsWithFromStdin(_ statement: [UInt8]) -> Bool {
        let suffix = Array(" FROM stdin;\n".utf8)
        return statement.count >= suffix.count && statement.suffix(suffix.count).elementsEqual(suffix)
    }

    /// A BLOBS entry's `lo_open`/`lowrite`/`lo_close` statements, up to the `COMMIT;` pg_restore ends them
    /// with: kept (spooled) as they are and decoded when streamed. Returns where they end.
    private func readLargeObjects(truncation: inout PGDumpError?) throws -> Int64 {
        var line: [UInt8] = []
        let statement = Array("SELECT pg_catalog.lo".utf8)
        while true {
            if try scanner.atEnd() {
                truncation = error(.truncated, "the script ends inside its large objects", at: scanner.position)
                return spool?.size ?? scanner.position
            }
            guard try scanner.startsWith(statement) || scanner.startsWith([0x0A]) else {
                let end = spool?.size ?? scanner.position
                if try scanner.startsWith(Array("COMMIT;\n".utf8)) {
                    try scanner.skipLine()
                    if try scanner.startsWith([0x0A]) { try scanner.skipLine() }
                }
                return end
            }
            line.removeAll(keepingCapacity: true)
            try scanner.readLine(into: &line, limit: lineLimit)
            try line.withUnsafeBytes { try spool?.append($0) }
        }
    }

    // MARK: - Between headers

    /// Ends an entry: what follows its header up to the next one is its definition, then what pg_restore
    /// generates (owner, `SET`s for the next entry, `\connect`…), split off here.
    private func finish(entry index: Int?, segment: inout [UInt8]) throws {
        defer { segment.removeAll(keepingCapacity: true) }
        var text = segment[...]
        // The SETs pg_restore prints for the next entry's session state.
        var sessionLines: [ArraySlice<UInt8>] = []
        while let last = Self.lastStatement(of: text), Self.isSessionLine(text[last...]) {
            sessionLines.insert(text[last...].dropLast(2), at: 0)
            text = text[..<last]
        }
        guard let index else {
            // Before the first entry: the DROP statements of -c, one a line, and session lines (which follow
            // the last DROP without a blank line).
            readDrops(segment[...])
            apply(segment.split(separator: 0x0A).filter { Self.isSessionLine($0) })
            return
        }
        var entry = parsed[index].entry
        // -C: after the DATABASE entry, pg_restore reconnects and sets the fixed state again.
        for marker in ["\\unrestrict ", "\\encoding ", "\\connect "] {
            if let start = Self.lineStart(of: Array(marker.utf8), in: text) {
                text = text[..<start]
                currentTablespace = nil
                currentTableAM = nil
                break
            }
        }
        apply(sessionLines)
        if parsed[index].entry.hadDumper {
            // Data entries end with their data; --disable-triggers adds statements regenerated on output.
            if text.contains(where: { $0 != 0x0A }),
                !(Self.lastStatement(of: text).map { PlainScriptText.starts(text[$0...], with: Array("ALTER TABLE ".utf8)) } ?? false)
            {
                warnings.append(ArchiveWarning(
                    "\(scanner.name): unexpected text after the data of \(Self.label(entry)) is ignored"))
            }
            if let copyStmt = entry.copyStmt?.bytes { Self.restoreLineEndings(of: &entry, from: [copyStmt[...]]) }
            parsed[index].entry = entry
            return
        }
        // A partitioned table's access method (`ALTER TABLE … SET ACCESS METHOD …;`).
        if let last = Self.lastStatement(of: text), entry.desc.equals("TABLE") {
            let statement = text[last...].dropLast(2)
            let marker = Array(" SET ACCESS METHOD ".utf8)
            if PlainScriptText.starts(statement, with: Array("ALTER TABLE ".utf8)),
                let at = PlainScriptText.find(marker, in: statement), statement.last == 0x3B
            {
                entry.tableam = ArchiveText(bytes: PlainScriptText.unquotedIdentifier(
                    statement[(at + marker.count)..<(statement.endIndex - 1)]))
                entry.relkind = Int32(UInt8(ascii: "p"))
                text = text[..<last]
            }
        }
        // The owner: `ALTER <object> OWNER TO <owner>;` (one per large object for BLOB METADATA).
        if entry.desc.equals("BLOB METADATA") {
            while let last = Self.lastStatement(of: text) ?? Self.lastLine(of: text),
                PlainScriptText.starts(text[last...], with: Array("ALTER LARGE OBJECT ".utf8))
            {
                parsed[index].ownerObject = Array("LARGE OBJECT".utf8)
                text = text[..<last]
            }
        } else if let last = Self.lastStatement(of: text) {
            let statement = text[last...].dropLast(2)
            let marker = Array(" OWNER TO ".utf8)
            if PlainScriptText.starts(statement, with: Array("ALTER ".utf8)), statement.last == 0x3B,
                !statement.contains(0x0A) || Self.quoteCount(statement) > 0,
                let at = PlainScriptText.find(marker, in: statement)
            {
                parsed[index].ownerObject = Array(statement[(statement.startIndex + 6)..<at])
                text = text[..<last]
            }
        }
        // What is left is the definition and the two newlines after it.
        var defn = Array(text)
        if defn.count >= 2 && defn.suffix(2).elementsEqual([0x0A, 0x0A]) {
            defn.removeLast(2)
        } else if !defn.isEmpty {
            warnings.append(ArchiveWarning(
                "\(scanner.name): the definition of \(Self.label(entry)) does not end as pg_dump ends definitions"))
        }
        if entry.desc.equals("BLOB METADATA") {
            defn = Self.largeObjectList(defn)
        }
        if entry.desc.equals("TABLE"), PlainScriptText.find(Array("\nPARTITION BY ".utf8), in: defn[...]) != nil {
            entry.relkind = Int32(UInt8(ascii: "p"))
            entry.tableam = nil
        }
        Self.restoreLineEndings(of: &entry, from: [defn[...], (parsed[index].ownerObject ?? [])[...]])
        entry.defn = ArchiveText(bytes: defn)
        parsed[index].entry = entry
    }

    /// The header comment's names went through `sanitize_line`, which turns every newline and carriage return
    /// into a space: puts them back from the names as the SQL spells them.
    static func restoreLineEndings(of entry: inout TOCEntry, from sources: [ArraySlice<UInt8>]) {
        for keyPath in [\TOCEntry.tag, \TOCEntry.namespace, \TOCEntry.owner] {
            guard let text = entry[keyPath: keyPath]?.bytes, text.contains(0x20) else { continue }
            let restored = restoringLineEndings(in: text, from: sources)
            if restored != text { entry[keyPath: keyPath] = ArchiveText(bytes: restored) }
        }
    }

    /// `text` with each space put back to the newline or carriage return of a double-quoted identifier of
    /// `sources` that contains one, where `text` has that identifier (quoted or not) with spaces for them.
    static func restoringLineEndings(in text: [UInt8], from sources: [ArraySlice<UInt8>]) -> [UInt8] {
        var result = text
        for source in sources {
            var position = source.startIndex
            while position < source.endIndex {
                let byte = source[position]
                if byte == 0x27 {  // a string literal: skipped
                    position += 1
                    while position < source.endIndex {
                        if source[position] == 0x27 {
                            if position + 1 < source.endIndex && source[position + 1] == 0x27 { position += 2; continue }
                            break
                        }
                        position += 1
                    }
                    position += 1
                    continue
                }
                guard byte == 0x22 else { position += 1; continue }
                let start = position
                position += 1
                while position < source.endIndex {
                    if source[position] == 0x22 {
                        if position + 1 < source.endIndex && source[position + 1] == 0x22 { position += 2; continue }
                        break
                    }
                    position += 1
                }
                guard position < source.endIndex else { break }
                let quoted = Array(source[start...position])
                position += 1
                guard quoted.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { continue }
                var unquoted: [UInt8] = []
                var inner = 1
                while inner < quoted.count - 1 {
                    unquoted.append(quoted[inner])
                    inner += quoted[inner] == 0x22 ? 2 : 1
                }
                for form in [quoted, unquoted] {
                    let sanitized = form.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
                    var at = 0
                    while at + sanitized.count <= result.count {
                        if result[at..<(at + sanitized.count)].elementsEqual(sanitized) {
                            result.replaceSubrange(at..<(at + sanitized.count), with: form)
                            at += form.count
                        } else {
                            at += 1
                        }
                    }
                }
            }
        }
        return result
    }

    /// `SELECT pg_catalog.lo_create('OID');` lines back into the OID list a BLOB METADATA entry stores.
    static func largeObjectList(_ defn: [UInt8]) -> [UInt8] {
        let prefix = Array("SELECT pg_catalog.lo_create('".utf8)
        var result: [UInt8] = []
        for line in defn.split(separator: 0x0A) where PlainScriptText.starts(line, with: prefix) {
            result += line.dropFirst(prefix.count).prefix { $0 != 0x27 }
            result.append(0x0A)
        }
        return result
    }

    /// The start of the last statement of `text` when `text` ends with one line and a blank line
    /// (`…;\n\n`), the form of every statement pg_restore generates.
    static func lastStatement(of text: ArraySlice<UInt8>) -> Int? {
        guard text.count >= 3, text[text.endIndex - 1] == 0x0A, text[text.endIndex - 2] == 0x0A,
            text[text.endIndex - 3] != 0x0A
        else { return nil }
        var start = text.endIndex - 3
        while start > text.startIndex && text[start - 1] != 0x0A { start -= 1 }
        // A quoted name with a newline in it: the statement began on an earlier line.
        while start > text.startIndex, Self.quoteCount(text[start..<(text.endIndex - 2)]) % 2 == 1 {
            start -= 1
            while start > text.startIndex && text[start - 1] != 0x0A { start -= 1 }
        }
        // It must follow a blank line or begin the text: otherwise it is the end of a longer definition.
        let before = text[..<start]
        if before.allSatisfy({ $0 == 0x0A }) || before.suffix(2).elementsEqual([0x0A, 0x0A]) { return start }
        return nil
    }

    static func quoteCount(_ text: ArraySlice<UInt8>) -> Int { text.reduce(0) { $0 + ($1 == 0x22 ? 1 : 0) } }

    /// The start of the last line of `text`, when it ends with a newline.
    static func lastLine(of text: ArraySlice<UInt8>) -> Int? {
        var end = text.endIndex
        while end > text.startIndex && text[end - 1] == 0x0A { end -= 1 }
        guard end > text.startIndex else { return nil }
        var start = end - 1
        while start > text.startIndex && text[start - 1] != 0x0A { start -= 1 }
        return start
    }

    /// The offset in `text` of a line starting with `prefix`.
    static func lineStart(of prefix: [UInt8], in text: ArraySlice<UInt8>) -> Int? {
        if PlainScriptText.starts(text, with: prefix) { return text.startIndex }
        guard let at = PlainScriptText.find([0x0A] + prefix, in: text) else { return nil }
        return at + 1
    }

    static func isSessionLine(_ statement: ArraySlice<UInt8>) -> Bool {
        PlainScriptText.sessionPrefixes.contains { PlainScriptText.starts(statement, with: $0) }
    }

    /// Applies the session SETs printed before an entry: they tell its tablespace and access method.
    private func apply(_ lines: [ArraySlice<UInt8>]) {
        for line in lines {
            var statement = line
            if statement.last == 0x0A { statement = statement.dropLast() }
            guard statement.last == 0x3B else { continue }
            statement = statement.dropLast()
            for (prefix, isTablespace) in [("SET default_tablespace = ", true), ("SET default_table_access_method = ", false)]
            where PlainScriptText.starts(statement, with: Array(prefix.utf8)) {
                let name = PlainScriptText.unquotedIdentifier(statement.dropFirst(prefix.utf8.count))
                if isTablespace {
                    currentTablespace = name
                    tablespaceSetBefore = name
                } else {
                    currentTableAM = name
                    tableAMSetBefore = name
                }
            }
        }
    }

    /// The DROP statements `-c` prints before the first entry, one a line (a BLOB METADATA entry's
    /// `lo_unlink`s one a line, then a blank line).
    private func readDrops(_ text: ArraySlice<UInt8>) {
        var pending: [UInt8] = []
        for line in text.split(separator: 0x0A) where !pending.isEmpty || (!line.isEmpty && !Self.isSessionLine(line)) {
            pending += line
            pending.append(0x0A)
            // A quoted name with a newline continues the statement on the next line.
            if Self.endsInsideQuotes(pending[...]) { continue }
            drops.append(pending)
            pending.removeAll()
        }
        if !pending.isEmpty { drops.append(pending) }
    }

    /// Whether `text` ends inside a double-quoted identifier (string literals skipped).
    static func endsInsideQuotes(_ text: ArraySlice<UInt8>) -> Bool {
        var inIdentifier = false
        var inLiteral = false
        for byte in text {
            if byte == 0x22 && !inLiteral { inIdentifier.toggle() }
            if byte == 0x27 && !inIdentifier { inLiteral.toggle() }
        }
        return inIdentifier
    }

    // MARK: - Assembly

    /// Puts the entries back in TOC order, gives them IDs and drop statements, and adds the entries a script
    /// prints only as its preamble.
    private func assemble() throws -> PlainScriptIndex {
        let hasDumpIDs = !parsed.isEmpty && parsed.allSatisfy(\.explicitID)
        let ordered = tocOrder()
        var entries = ordered.map { parsed[$0].entry }
        var ranges: [Int: PlainDataRange] = [:]
        for (position, index) in ordered.enumerated() { ranges[position] = parsed[index].data }

        // Data entries (INSERTs hold no COPY statement) take the names their object's SQL gave back.
        var restoredNames: [[UInt8]: (namespace: ArchiveText?, tag: ArchiveText?)] = [:]
        func sanitizedKey(_ entry: TOCEntry) -> [UInt8] {
            ((entry.namespace?.bytes ?? []) + [0] + (entry.tag?.bytes ?? [])).map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
        }
        for entry in entries where !entry.hadDumper && entry.section != .data {
            let key = sanitizedKey(entry)
            if key != (entry.namespace?.bytes ?? []) + [0] + (entry.tag?.bytes ?? []) {
                restoredNames[key] = (entry.namespace, entry.tag)
            }
        }
        if !restoredNames.isEmpty {
            for index in entries.indices where entries[index].section == .data || entries[index].hadDumper {
                if let names = restoredNames[sanitizedKey(entries[index])] {
                    entries[index].namespace = names.namespace
                    entries[index].tag = names.tag
                }
            }
        }

        // Dump IDs: as printed with -v; otherwise in TOC order.
        if !hasDumpIDs {
            for index in entries.indices {
                entries[index].dumpID = Int32(index + 1)
                // A pre-17 BLOB entry's catalog ID is its large object's: the tag.
                let isLargeObject = entries[index].desc.equals("BLOB")
                entries[index].tableOIDText = isLargeObject ? "2613" : "0"
                entries[index].oidText = isLargeObject ? (entries[index].tag ?? "0") : "0"
            }
        }
        var seen: Set<Int32> = []
        for entry in entries where !seen.insert(entry.dumpID).inserted {
            throw PGDumpError(
                .corrupt, "dump ID \(entry.dumpID) appears on two TOC entry lines", file: scanner.name,
                dumpID: entry.dumpID)
        }
        if !hasDumpIDs {
            synthesizeDependencies(&entries)
            var positionOf: [Int: Int] = [:]
            for (position, index) in ordered.enumerated() { positionOf[index] = position }
            for (position, index) in ordered.enumerated() {
                guard let object = objectOf[index], let objectPosition = positionOf[object],
                    entries[position].dependencies.isEmpty
                else { continue }
                entries[position].dependencies = [entries[objectPosition].dumpID]
            }
        }

        // Drop statements: -c's when the script has them, else made from the owner statements so that the
        // ALTER … OWNER TO lines come back (pg_restore prints them only for entries with a DROP).
        let ownerObjects = ordered.map { parsed[$0].ownerObject }
        for index in entries.indices {
            guard let object = ownerObjects[index] else { continue }
            entries[index].dropStmt = ArchiveText(bytes: Self.dropStatement(for: entries[index], ownerObject: object))
        }
        let recordsDrops = !drops.isEmpty
        if recordsDrops { attachDrops(to: &entries) }

        // The special entries pg_dump creates last (highest dump IDs) and lists first.
        var special: [TOCEntry] = []
        var nextID = (entries.map(\.dumpID) + entries.flatMap(\.dependencies)).max() ?? 0
        func add(_ desc: String, _ defn: [UInt8]?) {
            guard let defn else { return }
            nextID += 1
            special.append(TOCEntry(
                dumpID: nextID, tag: ArchiveText(desc), desc: ArchiveText(desc), section: .preData,
                defn: ArchiveText(bytes: defn)))
        }
        add("ENCODING", encodingDefn)
        add("STDSTRINGS", stdStringsDefn)
        add("SEARCHPATH", searchPathDefn)
        var settings = ArchiveSessionSettings()
        for entry in special {
            do {
                try settings.apply(entry)
            } catch let failure as PGDumpError {
                throw failure.inFile(scanner.name)
            }
        }
        let allEntries = special + entries

        var dataRanges: [Int32: PlainDataRange] = [:]
        for (position, range) in ranges { dataRanges[entries[position].dumpID] = range }
        var located = allEntries
        for index in located.indices {
            if let range = dataRanges[located[index].dumpID] { located[index].dataLocation = .offset(range.scriptOffset) }
        }

        let version = Self.archiveVersion(pgDumpVersion: pgDumpVersion?.string)
        if version < .v1_16 {
            for index in located.indices { located[index].relkind = 0 }
        }
        let header = ArchiveHeader(
            version: version, formatByte: ArchiveFormat.plain.headerFormatByte,
            compression: CompressionSpec(algorithm: .none, storedLevel: version < .v1_15 ? 0 : nil),
            creationTime: creationTime, databaseName: databaseName, serverVersion: serverVersion,
            pgDumpVersion: pgDumpVersion)
        return PlainScriptIndex(
            header: header, entries: located, settings: settings, dataRanges: dataRanges, warnings: warnings,
            hasDumpIDs: hasDumpIDs, recordsDropStatements: recordsDrops,
            recordsDatabaseCreation: parsed.contains { $0.entry.desc.equals("DATABASE") },
            truncation: sawTrailer ? nil : truncation)
    }

    /// The archive version the pg_dump that wrote the script writes (`K_VERS_1_13` from 11, 1.14 from 12,
    /// 1.15 from 16, 1.16 from 17).
    static func archiveVersion(pgDumpVersion: String?) -> ArchiveVersion {
        let major = pgDumpVersion.flatMap { Int($0.prefix { $0.isNumber }) } ?? 18
        switch major {
        case 17...: return .v1_16
        case 16: return .v1_15
        case 12...15: return .v1_14
        case 11: return .v1_13
        default: return .v1_12
        }
    }

    /// The script order, with each ACL put back after its object (and the object's comments), where
    /// pg_dump's TOC has it; entries of the last pass stay last. Rendering prints the same script again:
    /// within each pass the order is kept.
    private func tocOrder() -> [Int] {
        objectOf = [:]
        var order: [Int] = []
        var lastACLPosition = -1
        var idToPosition: [Int32: Int] = [:]
        let hasIDs = parsed.allSatisfy(\.explicitID)
        // A comment or security label follows its object in the script (`dumpComment` is called by the
        // function that dumps the object); data-section statistics follow their table's data.
        var lastObject: Int?
        var objectByName: [String: Int] = [:]
        for index in parsed.indices where parsed[index].pass == .main {
            order.append(index)
            let entry = parsed[index].entry
            let desc = entry.desc.string
            if desc == "COMMENT" || desc == "SECURITY LABEL" {
                if let lastObject, !(entry.tag?.hasPrefix("DATABASE ") ?? false) { objectOf[index] = lastObject }
            } else if desc == "STATISTICS DATA" {
                if let object = objectByName["\(entry.namespace?.string ?? "")\u{0}\(entry.tag?.string ?? "")"] {
                    objectOf[index] = object
                }
            } else if entry.section != .data || desc == "BLOB METADATA" || desc == "BLOB" {
                lastObject = index
                objectByName["\(entry.namespace?.string ?? "")\u{0}\(entry.tag?.string ?? "")"] = index
            }
        }
        if hasIDs {
            for (position, index) in order.enumerated() { idToPosition[parsed[index].entry.dumpID] = position }
        }
        for index in parsed.indices where parsed[index].pass == .acl {
            let acl = parsed[index].entry
            var objectPosition: Int?
            if hasIDs, let dependency = acl.dependencies.first {
                objectPosition = order.firstIndex { parsed[$0].entry.dumpID == dependency }
            }
            if objectPosition == nil, let tag = acl.tag?.bytes {
                objectPosition = order.lastIndex { candidate in
                    let object = parsed[candidate].entry
                    // The object itself, not its data or the statements that share its name.
                    // The object itself (pre-data, as every object with privileges but large objects), not its data or
                    // the statements that share its name.
                    return (object.section == .preData || object.desc.equals("BLOB METADATA"))
                        && !object.desc.string.hasSuffix(" ATTACH") && !object.desc.equals("SEQUENCE OWNED BY")
                        && !object.desc.equals("DEFAULT") && object.namespace == acl.namespace
                        && PlainScriptText.tag(tag, refersTo: object.tag?.bytes ?? [])
                }
            }
            // Without its object (an extension's table, say), an ACL follows the ACL before it, as pg_dump's
            // TOC mostly has them; DEFAULT ACLs (post-data) come last.
            var insertAt = acl.desc.equals("DEFAULT ACL") ? order.count : lastACLPosition + 1
            if let objectPosition {
                objectOf[index] = order[objectPosition]
                let object = parsed[order[objectPosition]].entry
                insertAt = objectPosition + 1
                while insertAt < order.count {
                    let next = parsed[order[insertAt]].entry
                    guard Self.isAttachment(next), next.namespace == object.namespace,
                        PlainScriptText.tag(next.tag?.bytes ?? [], refersTo: object.tag?.bytes ?? [])
                    else { break }
                    insertAt += 1
                }
            }
            // The ACL pass prints ACLs in TOC order: keep them in script order.
            insertAt = max(insertAt, lastACLPosition + 1)
            order.insert(index, at: insertAt)
            lastACLPosition = insertAt
        }
        // The last pass: post-data statistics follow their index or view in the TOC; the rest (event
        // triggers, materialized view data) come last. Their order among themselves is the script's.
        var lastPostPosition = -1
        let postIndices = parsed.indices.filter { parsed[$0].pass == .postACL }
        // pg_dump 18 sorts a materialized view's post-data statistics among the indexes by name, and its
        // REFRESH (MATERIALIZED VIEW DATA), on which they depend, just before them.
        var refreshBefore: [Int: Int] = [:]
        for (position, index) in postIndices.enumerated()
        where parsed[index].entry.desc.equals("MATERIALIZED VIEW DATA") {
            let view = parsed[index].entry
            if let statistics = postIndices[(position + 1)...].first(where: {
                parsed[$0].entry.desc.equals("STATISTICS DATA") && parsed[$0].entry.namespace == view.namespace
                    && parsed[$0].entry.tag == view.tag
            }) {
                refreshBefore[statistics] = index
            }
        }
        let deferred = Set(refreshBefore.values)
        for index in postIndices where !deferred.contains(index) {
            let entry = parsed[index].entry
            var insertAt = order.count
            if entry.desc.equals("STATISTICS DATA"),
                let object = order.lastIndex(where: { candidate in
                    let other = parsed[candidate].entry
                    return !other.desc.equals("STATISTICS DATA") && !Self.isAttachment(other)
                        && !other.desc.string.hasSuffix(" ATTACH") && other.namespace == entry.namespace
                        && (other.tag == entry.tag
                            || (other.desc.equals("CONSTRAINT") && other.tag.map { tag in
                                tag.bytes.count > (entry.tag?.count ?? 0)
                                    && tag.bytes.suffix((entry.tag?.count ?? 0) + 1).elementsEqual([0x20] + (entry.tag?.bytes ?? []))
                            } ?? false))
                })
            {
                objectOf[index] = order[object]
                if parsed[order[object]].entry.section == .postData {
                    // After the object's comments.
                    insertAt = object + 1
                    let objectEntry = parsed[order[object]].entry
                    while insertAt < order.count, Self.isAttachment(parsed[order[insertAt]].entry),
                        parsed[order[insertAt]].entry.namespace == objectEntry.namespace,
                        PlainScriptText.tag(parsed[order[insertAt]].entry.tag?.bytes ?? [], refersTo: objectEntry.tag?.bytes ?? [])
                    {
                        insertAt += 1
                    }
                } else {
                    insertAt = sortedPostDataPosition(of: entry, in: order)
                }
            }
            insertAt = max(insertAt, lastPostPosition + 1)
            if let refresh = refreshBefore[index] {
                order.insert(refresh, at: insertAt)
                objectOf[index] = refresh
                insertAt += 1
            }
            order.insert(index, at: insertAt)
            lastPostPosition = insertAt
        }
        return order
    }

    /// Where pg_dump 18's sort puts post-data statistics whose object is not post-data: among the indexes,
    /// constraints and statistics of the post-data section, by schema and then object name.
    private func sortedPostDataPosition(of entry: TOCEntry, in order: [Int]) -> Int {
        func key(_ entry: TOCEntry) -> (String, String) {
            var name = entry.tag?.string ?? ""
            if entry.desc.equals("CONSTRAINT"), let space = name.firstIndex(of: " ") {
                name = String(name[name.index(after: space)...])
            }
            return (entry.namespace?.string ?? "", name)
        }
        let ours = key(entry)
        var lastSorted: Int?
        for (position, index) in order.enumerated() {
            let other = parsed[index].entry
            guard other.section == .postData,
                ["INDEX", "CONSTRAINT", "STATISTICS DATA"].contains(other.desc.string)
            else { continue }
            let theirs = key(other)
            if theirs.0 > ours.0 || (theirs.0 == ours.0 && theirs.1.utf8.lexicographicallyPrecedes(ours.1.utf8) == false
                && theirs.1 != ours.1)
            {
                return position
            }
            lastSorted = position
        }
        return lastSorted.map { $0 + 1 } ?? order.count
    }

    /// COMMENT, SECURITY LABEL and ACL entries, which follow their object in the TOC.
    static func isAttachment(_ entry: TOCEntry) -> Bool {
        entry.desc.equals("COMMENT") || entry.desc.equals("SECURITY LABEL") || entry.desc.equals("ACL")
    }

    /// Without -v, the dependencies rendering and extraction rely on: data on its table or sequence, a large
    /// objects' ACL on their BLOB METADATA entry.
    private func synthesizeDependencies(_ entries: inout [TOCEntry]) {
        var objects: [String: Int32] = [:]
        func key(_ desc: String, _ entry: TOCEntry) -> String {
            "\(desc)\u{0}\(entry.namespace?.string ?? "")\u{0}\(entry.tag?.string ?? "")"
        }
        var lastBlobMetadata: Int32?
        for index in entries.indices {
            let entry = entries[index]
            let desc = entry.desc.string
            switch desc {
            case "TABLE DATA":
                if let table = objects[key("TABLE", entry)] { entries[index].dependencies = [table] }
            case "SEQUENCE SET":
                if let sequence = objects[key("SEQUENCE", entry)] { entries[index].dependencies = [sequence] }
            case "MATERIALIZED VIEW DATA":
                if let view = objects[key("MATERIALIZED VIEW", entry)] { entries[index].dependencies = [view] }
            case "ACL" where entry.tag?.hasPrefix("LARGE OBJECTS ") ?? false:
                if let lastBlobMetadata { entries[index].dependencies = [lastBlobMetadata] }
            case "BLOB METADATA":
                lastBlobMetadata = entry.dumpID
            default:
                break
            }
            objects[key(desc, entry)] = entry.dumpID
        }
    }

    /// The drop statement pg_dump stores, as far as the owner statement shows it: `ALTER <object> OWNER TO`
    /// gives `DROP <object>;` (older pg_dump names sequences and views `TABLE` there: the type is the entry's).
    static func dropStatement(for entry: TOCEntry, ownerObject: [UInt8]) -> [UInt8] {
        if entry.desc.equals("SCHEMA"), entry.defn?.hasPrefix("--") ?? false {
            return Array("-- *not* dropping schema, since initdb creates it\n".utf8)
        }
        if entry.desc.equals("BLOB METADATA") { return Array("-- large objects\n".utf8) }
        if entry.desc.equals("BLOB") { return largeObjectDrop(entry) }
        var object = ownerObject[...]
        let desc = entry.desc.bytes + [0x20]
        let table = Array("TABLE ".utf8)
        if PlainScriptText.starts(object, with: desc) {
            object = object.dropFirst(desc.count)
        } else if PlainScriptText.starts(object, with: table) {
            object = object.dropFirst(table.count)
        } else {
            return Array("DROP ".utf8) + ownerObject + Array(";\n".utf8)
        }
        return Array("DROP ".utf8) + desc + object + Array(";\n".utf8)
    }

    /// The drop statement pg_dump before 17 stores for a BLOB entry (`dumpLO`).
    static func largeObjectDrop(_ entry: TOCEntry) -> [UInt8] {
        Array("SELECT pg_catalog.lo_unlink('".utf8) + (entry.tag?.bytes ?? []) + Array("');\n".utf8)
    }

    /// Attaches -c's DROP statements to their entries: printed in reverse TOC order for every entry that has
    /// one, with IF EXISTS inserted by --if-exists (taken out again: archives store the plain statement).
    private func attachDrops(to entries: inout [TOCEntry]) {
        var next = 0
        for index in entries.indices.reversed() where next < drops.count {
            let entry = entries[index]
            // Entries pg_dump gives no drop statement.
            if entry.desc.equals("DATABASE") || Self.isAttachment(entry) || entry.desc.equals("STATISTICS DATA")
                || (entry.section == .data && !entry.desc.equals("BLOB") && !entry.desc.equals("BLOB METADATA"))
            {
                continue
            }
            var statement = drops[next]
            if entry.desc.equals("BLOB METADATA") {
                var count = 0
                while next + count < drops.count, PlainScriptText.starts(drops[next + count], with: "SELECT pg_catalog.lo_unlink(") {
                    count += 1
                }
                if count > 0 {
                    next += count
                    // A blank line follows the per-object statements.
                    entries[index].dropStmt = ArchiveText("-- large objects\n")
                }
                continue
            }
            if entry.desc.equals("BLOB") {
                // `DropLOIfExists` rewrites the statement whole with --if-exists.
                let tag = [0x27] + (entry.tag?.bytes ?? []) + [0x27]
                guard PlainScriptText.starts(statement, with: "SELECT pg_catalog.lo_unlink("),
                    PlainScriptText.find(tag, in: statement[...]) != nil
                else { continue }
                entries[index].dropStmt = ArchiveText(bytes: Self.largeObjectDrop(entry))
                next += 1
                continue
            }
            statement = Self.removingIfExists(from: statement, desc: entry.desc.string)
            guard Self.drop(statement, fits: entry) else { continue }
            entries[index].dropStmt = ArchiveText(bytes: statement)
            next += 1
        }
        if next < drops.count {
            warnings.append(ArchiveWarning(
                "\(scanner.name): \(drops.count - next) DROP statements at the start of the script match no entry and are ignored"))
        }
    }

    /// Whether a drop statement is the one pg_dump writes for `entry`.
    static func drop(_ statement: [UInt8], fits entry: TOCEntry) -> Bool {
        let desc = entry.desc.string
        let text = statement[...]
        switch desc {
        case "CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT":
            guard PlainScriptText.starts(text, with: Array("ALTER ".utf8)),
                PlainScriptText.find(Array(" DROP CONSTRAINT ".utf8), in: text) != nil
            else { return false }
        case "DEFAULT":
            guard PlainScriptText.starts(text, with: Array("ALTER ".utf8)),
                PlainScriptText.find(Array(" DROP DEFAULT".utf8), in: text) != nil
            else { return false }
        case "SCHEMA":
            guard PlainScriptText.starts(text, with: Array("DROP SCHEMA ".utf8))
                || PlainScriptText.starts(text, with: Array("-- ".utf8))
            else { return false }
            return true
        default:
            guard PlainScriptText.starts(text, with: Array("DROP \(desc) ".utf8))
                || PlainScriptText.starts(text, with: Array("CREATE OR REPLACE VIEW ".utf8))
                || PlainScriptText.starts(text, with: Array("ALTER ".utf8))
            else { return false }
        }
        // The object's own name must appear (quoted or not).
        guard var name = entry.tag?.bytes else { return true }
        if let space = name.lastIndex(of: 0x20), !desc.hasPrefix("FUNCTION"), !name.contains(0x28) {
            name = Array(name[(space + 1)...])
        }
        if let paren = name.firstIndex(of: 0x28) { name = Array(name[..<paren]) }
        guard !name.isEmpty else { return true }
        return PlainScriptText.find(name, in: text) != nil
            || PlainScriptText.find(PlainScriptText.quoted(name), in: text) != nil
    }

    /// Undoes what `RestoreArchive` does to a drop statement for --if-exists.
    static func removingIfExists(from statement: [UInt8], desc: String) -> [UInt8] {
        var text = statement[...]
        var result: [UInt8] = []
        let alterTable = Array("ALTER TABLE IF EXISTS".utf8)
        if PlainScriptText.starts(text, with: alterTable) {
            result += Array("ALTER TABLE".utf8)
            text = text.dropFirst(alterTable.count)
        }
        let isConstraint = desc == "CONSTRAINT" || desc == "CHECK CONSTRAINT" || desc == "FK CONSTRAINT"
        let marker = isConstraint ? Array("DROP CONSTRAINT".utf8) : Array(("DROP " + desc).utf8.prefix(39))
        let withIfExists = marker + Array(" IF EXISTS".utf8)
        if let at = PlainScriptText.find(withIfExists, in: text) {
            result += text[..<at]
            result += marker
            result += text[(at + withIfExists.count)...]
        } else {
            result += text
        }
        return result
    }

    // MARK: - Messages

    static func label(_ entry: TOCEntry) -> String {
        var text = entry.desc.string
        if let namespace = entry.namespace { text += " \(namespace.string)" }
        if let tag = entry.tag { text += " \(tag.string)" }
        return text
    }

    static func quotedLine(_ line: [UInt8]) -> String {
        var text = String(decoding: line.prefix(120), as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return "\"\(text)\"" + (line.count > 120 ? "…" : "")
    }
}
