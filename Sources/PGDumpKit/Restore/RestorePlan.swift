import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Everything decided before a script or listing is written: which entries, in which order, with which options.
/// Mirrors what pg_restore's `main` does between reading its options and `RestoreArchive`: resolve the options,
/// apply a `-L` list, mark the entries and enforce `--strict-names`.
public struct RestorePlan: Sendable {
    /// The entries in restore order.
    public let entries: [TOCEntry]
    public let selection: RestoreOptions
    public let script: ScriptOptions
    /// Lines of the list file pg_restore ignores, with a warning each.
    public let ignoredListLines: [String]
    /// The selection's names, compiled once for every pass over the entries.
    package let names: SelectionNames

    /// - Parameters:
    ///   - selection, script: options as `PGRestoreCommandLine.resolve()` returns them.
    ///   - strictNames: check at once that every name matches (`strictNamesError()`).
    ///   - useList: the contents of a `-L` file, if one was given.
    /// - Throws: a `PGDumpError` for a `-L` file that cannot be read, a pattern that is not valid (with
    ///   `nameMatching` `.patterns`), or, with `strictNames`, a name that matches nothing.
    public init(
        entries archiveEntries: [TOCEntry], selection resolvedSelection: RestoreOptions, script: ScriptOptions,
        strictNames: Bool, useList: [UInt8]?
    ) throws {
        var selection = resolvedSelection
        var entries = archiveEntries
        var ignored: [String] = []
        names = try SelectionNames(resolvedSelection, encoding: .of(archiveEntries))
        if let useList {
            let list = try UseList(contents: useList, entries: archiveEntries)
            entries = list.arrange(archiveEntries)
            selection.useList = list.dumpIDs
            ignored = list.ignoredLines
        }
        self.entries = entries
        self.selection = selection
        self.script = script
        self.ignoredListLines = ignored
        if strictNames, let error = strictNamesError() { throw error }
    }

    /// With `--strict-names`: the error for the first `-n`, `-t`, `-I`, `-P` or `-T` name that matches no entry
    /// the plan considers, or `nil` when each matches one. Exact names get pg_restore's message (`table "x" not
    /// found`), patterns pg_dump's (`no matching tables were found for pattern "x"`).
    public func strictNamesError() -> PGDumpError? {
        var touched = EntrySelection.TouchedNames()
        _ = EntrySelection.requirements(of: entries, options: selection, names: names, touched: &touched)
        return EntrySelection.strictNamesError(names: names, touched: touched)
    }

    /// The dump IDs of the entries the script restores something of (schema, data or statistics).
    public var selectedDumpIDs: Set<Int32> {
        let requirements = EntrySelection.requirements(of: entries, options: selection, names: names)
        return Set(entries.indices.filter { !requirements[$0].intersection([.schema, .data, .statistics]).isEmpty }
            .map { entries[$0].dumpID })
    }

    /// The entries whose data the script holds, in restore order: what a progress display counts.
    public var dataEntries: [TOCEntry] {
        let requirements = EntrySelection.requirements(of: entries, options: selection, names: names)
        return entries.indices.filter { requirements[$0].contains(.data) && entries[$0].hadDumper }.map { entries[$0] }
    }

    /// Writes the SQL script for `reader` to `output`; returns the warnings pg_restore would print.
    ///
    /// - Parameters:
    ///   - verboseLog: with `-v`, receives pg_restore -v's progress lines as they happen.
    ///   - progress: told of each entry's data as it is read (`dataEntries` are those entries).
    public func renderScript(
        from reader: any ArchiveReader, to output: ByteSink, verboseLog: (([UInt8]) -> Void)? = nil,
        progress: (any DataProgressObserver)? = nil
    ) throws -> [ArchiveWarning] {
        let renderer = SQLRenderer(
            reader: reader, entries: entries, selection: selection, names: names, script: script, output: output)
        renderer.verboseLog = verboseLog
        renderer.progress = progress
        if progress != nil { renderer.dataEntriesPlanned = dataEntries.count }
        try renderer.render()
        return renderer.warnings
    }

    /// The listing `pg_restore -l` prints for `reader` with this plan's selection: the header comment, then one
    /// line per selected entry in restore order.
    public func renderListing(of reader: any ArchiveReader) -> [UInt8] {
        ListPrinter.render(
            header: reader.header, format: reader.format, entries: entries, tocCount: reader.entries.count,
            options: selection, names: names, notes: reader.sourceNotes)
    }
}
