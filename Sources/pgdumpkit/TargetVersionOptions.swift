import ArgumentParser
import PGDumpKit

/// `--target-version N` and `--omit-unrenderable`, shared by sql, convert and list.
struct TargetVersionOptions: ParsableArguments {
    static let optionNames = OptionNames(long: ["target-version"])

    @Option(name: .customLong("target-version"), help: ArgumentHelp(
        "Write for a PostgreSQL \(TargetAdaptation.supportedMajors.lowerBound)–\(TargetAdaptation.supportedMajors.upperBound) server: what it does not accept is rewritten or left out, and entries it cannot express are reported and make the command fail (see --omit-unrenderable).",
        valueName: "major"))
    var targetVersion: Int?

    @Flag(name: .customLong("omit-unrenderable"), help: ArgumentHelp(
        "With --target-version: leave out the entries the target cannot express, and the entries that depend on them, instead of failing."))
    var omitUnrenderable = false

    func validate() throws {
        if let targetVersion, !TargetAdaptation.supportedMajors.contains(targetVersion) {
            throw ValidationError(
                "--target-version must be between \(TargetAdaptation.supportedMajors.lowerBound) and \(TargetAdaptation.supportedMajors.upperBound)")
        }
        if omitUnrenderable && targetVersion == nil {
            throw ValidationError("--omit-unrenderable needs --target-version")
        }
    }

    /// The archive's entries made fit for the target, or `nil` without `--target-version`.
    func adaptation(of reader: any ArchiveReader) -> TargetAdaptation? {
        guard let targetVersion else { return nil }
        return TargetAdaptation(
            entries: reader.entries, targetMajor: targetVersion,
            standardConformingStrings: reader.sessionSettings.standardConformingStrings)
    }

    /// The plan for the target: `makePlan` is called with the adapted entries, and again (quietly: the `-L`
    /// warnings are printed once) with the archive's, and without the unrenderable ones when --omit-unrenderable
    /// leaves them out. Unrenderable entries the plan selects fail the command, each named on standard error;
    /// rewrites and omissions are summed up there.
    func plan(
        _ adaptation: TargetAdaptation, archiveEntries: [TOCEntry],
        _ makePlan: (_ entries: [TOCEntry], _ quiet: Bool) throws -> RestorePlan
    ) throws -> (plan: RestorePlan, adaptation: TargetAdaptation) {
        var adaptation = adaptation
        var plan = try makePlan(adaptation.entries, false)
        // What the selection would restore of the archive as it is: the entries whose findings concern the user.
        let wanted = try makePlan(archiveEntries, true).selectedDumpIDs.union(plan.selectedDumpIDs)
        let unrenderable = adaptation.unrenderable(among: plan.selectedDumpIDs)
        if !unrenderable.isEmpty {
            if !omitUnrenderable {
                for finding in unrenderable { Diagnostics.error(Self.describe(finding, target: adaptation.targetMajor)) }
                let entries = Set(unrenderable.map(\.dumpID)).count
                throw CommandFailure(message:
                    "\(entries) \(entries == 1 ? "entry" : "entries") cannot be written for PostgreSQL \(adaptation.targetMajor); leave \(entries == 1 ? "it" : "them") out (-L, -T, -t, -n…) or give --omit-unrenderable")
            }
            adaptation = adaptation.omittingUnrenderable()
            plan = try makePlan(adaptation.entries, true)
        }
        report(adaptation, selected: wanted)
        return (plan, adaptation)
    }

    /// One warning per kind of change among the entries in `selected` (dump IDs), with how many entries it
    /// touched.
    func report(_ adaptation: TargetAdaptation, selected: Set<Int32>) {
        var groups: [(key: String, entries: Set<Int32>, first: TargetFinding)] = []
        var positions: [String: Int] = [:]
        for finding in adaptation.findings where selected.contains(finding.dumpID) {
            let key = "\(finding.action)\u{0}\(finding.construct)\u{0}\(finding.detail)"
            if let position = positions[key] {
                groups[position].entries.insert(finding.dumpID)
            } else {
                positions[key] = groups.count
                groups.append((key, [finding.dumpID], finding))
            }
        }
        for group in groups {
            let finding = group.first
            let subject = group.entries.count == 1
                ? finding.entryLabel : "\(group.entries.count) entries (first: \(finding.entryLabel))"
            let release = Self.release(finding, target: adaptation.targetMajor)
            Diagnostics.warning(
                "PostgreSQL \(adaptation.targetMajor): \(subject): \(finding.construct) (\(release)) \(finding.action): \(finding.detail)")
        }
    }

    /// `17+` for a construct the target lacks, `not in 19` for one the target no longer accepts.
    static func release(_ finding: TargetFinding, target: Int) -> String {
        target < finding.since ? "\(finding.since)+" : "not in \(finding.since)"
    }

    static func describe(_ finding: TargetFinding, target: Int) -> String {
        "PostgreSQL \(target) cannot express \(finding.entryLabel): \(finding.construct): \(finding.detail)"
    }
}

extension TargetVersionOptions: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .option(nil, "target-version") { $0.targetVersion = $1 },
            .flag(nil, "omit-unrenderable") { $0.omitUnrenderable = $1 },
        ]
    }
}
