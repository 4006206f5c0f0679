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
package final class SQLRenderer {
    let reader: any ArchiveReader
    var selection: RestoreOptions
    let script: ScriptOptions
    let output: OutputBuffer
    /// Entries in restore order (TOC order, or as a `-L` list arranged them), with their requirements.
    let entries: [TOCEntry]
    var requirements: [Requirement]
    let byDumpID: [Int32: Int]
    let settings: ArchiveSessionSettings

    var currentUser: [UInt8]?
    var currentSchema: [UInt8]?
    var currentTablespace: [UInt8]?
    var currentTableAccessMethod: [UInt8]?
    var transactionCount = 0

    /// Warnings met while rendering, as pg_restore prints them on stderr.
    package internal(set) var warnings: [ArchiveWarning] = []

    /// Receives, with `-v`, the progress lines pg_restore -v prints on stderr ("creating TABLE \"app.orders\"",
    /// "processing data for table …"), without the program prefix or the newline, as the raw bytes of the
    /// archive's names. Called as the script is written, so a caller sees them in pg_restore's order.
    package var verboseLog: (([UInt8]) -> Void)?

    /// Told of each entry's data as it is read, for a progress display.
    package var progress: (any DataProgressObserver)?
    /// The entries whose data the script holds, and how many of them have been started, for `progress`.
    package var dataEntriesPlanned = 0
    var dataEntriesStarted = 0

    /// - Parameters:
    ///   - entries: the entries in restore order; `UseList.arrange(_:)` applies a `-L` list (`RestorePlan` does).
    ///   - names: the selection's names, compiled (`RestorePlan.names`).
    package init(
        reader: any ArchiveReader, entries: [TOCEntry], selection: RestoreOptions, names: SelectionNames,
        script: ScriptOptions, output: ByteSink
    ) {
        self.reader = reader
        self.entries = entries
        self.selection = selection
        self.script = script
        self.output = OutputBuffer(sink: output)
        self.settings = reader.sessionSettings
        requirements = EntrySelection.requirements(of: entries, options: selection, names: names)
        var index: [Int32: Int] = [:]
        for (position, entry) in entries.enumerated() { index[entry.dumpID] = position }
        byDumpID = index
    }

    /// Writes the whole script.
    package func render() throws {
        // A plain script holds what pg_dump's own options put in it: -c and -C need what only pg_dump -c and -C
        // record. Refused before anything is written.
        let unrecorded = reader.unrecordedInformation
        if script.clean && unrecorded.contains(.dropStatements) {
            throw PGDumpError(
                .invalidRequest,
                "--clean needs DROP statements, which a script holds only when pg_dump wrote it with -c (--clean)",
                file: reader.path)
        }
        if selection.createDB && unrecorded.contains(.databaseCreation) {
            throw PGDumpError(
                .invalidRequest,
                "--create needs the CREATE DATABASE statement, which a script holds only when pg_dump wrote it with -C (--create)",
                file: reader.path)
        }
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
    func info(_ parts: [UInt8]?...) {
        guard script.verbose, let verboseLog else { return }
        var line: [UInt8] = []
        for part in parts { line.append(contentsOf: part ?? Array("(null)".utf8)) }
        verboseLog(line)
    }

    func put(_ text: String) { output.append(text) }
    func put(_ text: ArchiveText) { output.append(text) }
    func put(_ bytes: [UInt8]) { output.append(bytes) }
}
