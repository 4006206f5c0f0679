import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// The entries a conversion with selection options keeps.
public enum ArchiveSubset {
    /// Every entry pg_restore would restore under the plan's options, in the plan's order, plus the entries an
    /// archive always needs: ENCODING, STDSTRINGS, SEARCHPATH and the DATABASE entries (so that `pg_restore -C`
    /// of the result still works). Without selection options, every entry in archive order.
    public static func entries(of plan: RestorePlan, archiveEntries: [TOCEntry]) -> [TOCEntry] {
        var defaults = RestoreOptions()
        defaults.verbose = plan.selection.verbose
        // How names are read selects nothing by itself, nor does closing a selection of everything.
        defaults.nameMatching = plan.selection.nameMatching
        defaults.withDependencies = plan.selection.withDependencies
        guard plan.selection != defaults else { return archiveEntries }
        var options = plan.selection
        options.createDB = true
        let requirements = EntrySelection.requirements(of: plan.entries, options: options, names: plan.names)
        return zip(plan.entries, requirements).compactMap { entry, requirement in
            guard !requirement.isEmpty else { return nil }
            var kept = entry
            // An entry kept only for its schema part does not need its data, and no longer has any.
            if entry.hasData && !requirement.contains(.data) {
                kept.dataLocation = .none
                kept.hadDumper = false
            }
            return kept
        }
    }
}
