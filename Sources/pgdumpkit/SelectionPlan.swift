import ArgumentParser
import PGDumpKit

extension SelectionOptions {
    /// The plan for `reader`: the `-L` list read and applied (its ignored lines reported as pg_restore reports
    /// them, unless `quiet`) and, when `strictNames`, every name checked. `entries` replaces the archive's
    /// (`--target-version`).
    func plan(
        for reader: any ArchiveReader, entries: [TOCEntry]? = nil, selection options: RestoreOptions,
        script: ScriptOptions, strictNames: Bool, quiet: Bool = false
    ) throws -> RestorePlan {
        let listContents = try useList.map { try readFile($0, describedAs: "TOC file") }
        let plan = try RestorePlan(
            entries: entries ?? reader.entries, selection: options, script: script, strictNames: strictNames,
            useList: listContents, listedAgainst: entries == nil ? nil : reader.entries)
        if !quiet { for line in plan.ignoredListLines { Diagnostics.warning("line ignored: \(line)") } }
        try plan.checkDependenciesRecorded(in: reader)
        return plan
    }
}
