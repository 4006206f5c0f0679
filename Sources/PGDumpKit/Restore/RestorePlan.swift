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
    ///   - listedAgainst: the archive's own entries, when `entries` is not all of them (`--target-version`
    ///     leaves some out): a `-L` list is read against the archive, and its lines for entries left out are
    ///     then passed over.
    /// - Throws: a `PGDumpError` for a `-L` file that cannot be read, a pattern that is not valid (with
    ///   `nameMatching` `.patterns`), or, with `strictNames`, a name that matches nothing.
    public init(
        entries archiveEntries: [TOCEntry], selection resolvedSelection: RestoreOptions, script: ScriptOptions,
        strictNames: Bool, useList: [UInt8]?, listedAgainst: [TOCEntry]? = nil
    ) throws {
        var selection = resolvedSelection
        var entries = archiveEntries
        var ignored: [String] = []
        names = try SelectionNames(resolvedSelection, encoding: .of(archiveEntries))
        if let useList {
            let list = try UseList(contents: useList, entries: listedAgainst ?? archiveEntries)
            entries = list.arrange(archiveEntries)
            selection.useList = list.dumpIDs
            ignored = list.ignoredLines
            if selection.withDependencies {
                entries = Self.placingAdditions(
                    in: entries, archiveEntries: archiveEntries, listed: list.dumpIDs, selection: selection,
                    names: names)
            }
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

    /// Why `--with-deps` added each entry the selection options did not select, by dump ID (empty without it).
    public var dependencyReasons: [Int32: DependencyReason] {
        let reasons = EntrySelection.closedSelection(of: entries, options: selection, names: names).reasons
        var byDumpID: [Int32: DependencyReason] = [:]
        for (index, reason) in reasons { byDumpID[entries[index].dumpID] = reason }
        return byDumpID
    }

    /// With `-L` and `--with-deps`: `arranged` (unlisted entries first, then the listed ones in list order) with
    /// each entry the closure adds placed among the listed ones by the archive's order and why it came in: a
    /// dependency before the first listed entry (in list order) that follows it in the archive, a part (data,
    /// index, comment…) after the last listed entry that precedes it there; additions between the same two listed
    /// entries keep the archive's order. A list in the archive's order so gives the archive's order, and in a
    /// reordered one a table's parts still follow it and what it needs still precedes it.
    private static func placingAdditions(
        in arranged: [TOCEntry], archiveEntries: [TOCEntry], listed: [Int32], selection: RestoreOptions,
        names: SelectionNames
    ) -> [TOCEntry] {
        let reasons = EntrySelection.closedSelection(of: arranged, options: selection, names: names).reasons
        guard !reasons.isEmpty else { return arranged }
        var archivePosition: [Int32: Int] = [:]
        for (position, entry) in archiveEntries.enumerated() { archivePosition[entry.dumpID] = position }
        let listedSet = Set(listed)
        let listedEntries = arranged.filter { listedSet.contains($0.dumpID) }
        let listedPositions = listedEntries.map { archivePosition[$0.dumpID, default: 0] }
        // Running maxima and trailing minima of the listed positions, both non-decreasing: the first listed entry
        // after position p is the first whose running maximum exceeds p, the last one before p the last whose
        // trailing minimum is below p; so each addition is placed by binary search.
        var runningMaxima = listedPositions, trailingMinima = listedPositions
        for index in runningMaxima.indices.dropFirst() {
            runningMaxima[index] = max(runningMaxima[index], runningMaxima[index - 1])
        }
        for index in trailingMinima.indices.reversed().dropFirst() {
            trailingMinima[index] = min(trailingMinima[index], trailingMinima[index + 1])
        }
        /// The number of leading elements of the non-decreasing `values` for which `isBelow` holds.
        func prefixCount(_ values: [Int], _ isBelow: (Int) -> Bool) -> Int {
            var low = 0, high = values.count
            while low < high {
                let middle = (low + high) / 2
                if isBelow(values[middle]) { low = middle + 1 } else { high = middle }
            }
            return low
        }
        // slots[k]: the additions that go before listedEntries[k] (k == count: after the last).
        var slots = [[Int]](repeating: [], count: listedEntries.count + 1)
        // A listed entry keeps its place in the list even where the closure, not the selection, restores it.
        for (index, reason) in reasons where !listedSet.contains(arranged[index].dumpID) {
            let position = archivePosition[arranged[index].dumpID, default: 0]
            let slot: Int
            switch reason.kind {
            case .dependency:
                slot = prefixCount(runningMaxima) { $0 <= position }
            case .part:
                slot = prefixCount(trailingMinima) { $0 < position }
            }
            slots[slot].append(index)
        }
        var result = arranged.indices.filter { !listedSet.contains(arranged[$0].dumpID) && reasons[$0] == nil }
            .map { arranged[$0] }
        for (slot, additions) in slots.enumerated() {
            let ordered = additions.sorted {
                archivePosition[arranged[$0].dumpID, default: 0] < archivePosition[arranged[$1].dumpID, default: 0]
            }
            result += ordered.map { arranged[$0] }
            if slot < listedEntries.count { result.append(listedEntries[slot]) }
        }
        return result
    }

    /// With `--with-deps`: fails unless `reader` records the dependencies between its entries. An archive before
    /// version 1.5 has none; a plain script has only those of comments, ACLs and data (pg_dump builds the rest for
    /// the archive formats alone), and so has an archive converted from one, which shows in constraints,
    /// indexes and triggers that depend on nothing (pg_dump makes each depend on its table). A closure over such
    /// a graph would give a script that looks complete and is not, so the plan is refused rather than guessed.
    public func checkDependenciesRecorded(in reader: any ArchiveReader) throws {
        guard selection.withDependencies else { return }
        if reader.header.version < .v1_5 {
            throw PGDumpError(
                .invalidRequest,
                "--with-deps: archive version \(reader.header.version) records no dependencies between entries",
                file: reader.path, hint: "archives record them from version 1.5 (pg_dump 8.0); dump the database again to use --with-deps")
        }
        if reader.unrecordedInformation.contains(.dependencies) {
            throw PGDumpError(
                .invalidRequest,
                "--with-deps: a plain SQL script does not record the dependencies between its entries (not even with pg_dump -v, whose -- Dependencies lines cover comments, privileges and data only)",
                file: reader.path, hint: "dump with pg_dump -Fc, -Fd or -Ft, which record them all")
        }
        let attached: Set<EntryKind> = [
            .constraint, .checkConstraint, .foreignKeyConstraint, .index, .trigger, .columnDefault, .rule, .policy,
            .tableAttach, .indexAttach,
        ]
        let objectsOfTables = reader.entries.filter { attached.contains($0.kind) }
        if !objectsOfTables.isEmpty && objectsOfTables.allSatisfy({ $0.dependencies.isEmpty }) {
            throw PGDumpError(
                .invalidRequest,
                "--with-deps: none of the archive's \(objectsOfTables.count) constraints, indexes, triggers and defaults records a dependency (pg_dump records each one's table), so the archive holds no dependency graph to follow (as an archive converted from a plain SQL script does)",
                file: reader.path, hint: "dump with pg_dump -Fc, -Fd or -Ft, which record the dependencies")
        }
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

    /// `dataEntries` in the order the script reads their data: pass by pass, as `renderScript` goes (materialized
    /// views' data comes after the privileges). What `ParallelDataReader` reads ahead in.
    public var dataReadingOrder: [TOCEntry] {
        let data = dataEntries
        return [RestorePass.main, .acl, .postACL].flatMap { pass in data.filter { RestorePass.of($0) == pass } }
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
