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

    /// The plan for the target: `makePlan` is called with the adapted entries, and again without the
    /// unrenderable ones when --omit-unrenderable leaves them out. Unrenderable entries the plan selects fail
    /// the command, each named on standard error; rewrites and omissions are summed up there.
    func plan(
        _ adaptation: TargetAdaptation, _ makePlan: ([TOCEntry]) throws -> RestorePlan
    ) throws -> (plan: RestorePlan, adaptation: TargetAdaptation) {
        var adaptation = adaptation
        var plan = try makePlan(adaptation.entries)
        let unrenderable = adaptation.unrenderable(among: plan.selectedDumpIDs)
        if !unrenderable.isEmpty {
            if !omitUnrenderable {
                for finding in unrenderable { Diagnostics.error(Self.describe(finding, target: adaptation.targetMajor)) }
                let entries = Set(unrenderable.map(\.dumpID)).count
                throw CommandFailure(message:
                    "\(entries) \(entries == 1 ? "entry" : "entries") cannot be written for PostgreSQL \(adaptation.targetMajor); leave \(entries == 1 ? "it" : "them") out (-L, -T, -t, -n…) or give --omit-unrenderable")
            }
            adaptation = adaptation.omittingUnrenderable()
            plan = try makePlan(adaptation.entries)
        }
        report(adaptation, selected: plan.selectedDumpIDs)
        return (plan, adaptation)
    }

    /// One warning per kind of change among the selected entries, with how many entries it touched.
    func report(_ adaptation: TargetAdaptation, selected: Set<Int32>) {
        var groups: [(key: String, count: Int, first: TargetFinding)] = []
        var positions: [String: Int] = [:]
        for finding in adaptation.findings where selected.contains(finding.dumpID) || finding.action == .omitted {
            let key = "\(finding.action)\u{0}\(finding.construct)\u{0}\(finding.detail)"
            if let position = positions[key] {
                groups[position].count += 1
            } else {
                positions[key] = groups.count
                groups.append((key, 1, finding))
            }
        }
        for group in groups {
            let finding = group.first
            let subject = group.count == 1 ? finding.entryLabel : "\(group.count) entries (first: \(finding.entryLabel))"
            Diagnostics.warning(
                "PostgreSQL \(adaptation.targetMajor): \(subject): \(finding.construct) (\(Self.release(finding, target: adaptation.targetMajor))) \(finding.action): \(finding.detail)")
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
