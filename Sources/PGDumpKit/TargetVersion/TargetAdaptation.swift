import PGDumpCore

/// What was done to one entry so that an older server accepts it (`--target-version`).
public struct TargetFinding: Sendable, Hashable {
    public enum Action: String, Sendable {
        /// The entry's SQL was changed to what the target accepts with the same effect, or to the nearest.
        case rewritten
        /// The entry is left out: the target has nothing it could do, or it needs an entry left out.
        case omitted
        /// The target cannot do what the entry asks: the command fails unless it is excluded or
        /// `--omit-unrenderable` leaves it out.
        case unrenderable
    }

    public var dumpID: Int32
    public var desc: ArchiveText
    public var namespace: ArchiveText?
    public var tag: ArchiveText?
    /// The construct, as written in the SQL: `streaming = parallel`, `NULLS NOT DISTINCT`.
    public var construct: String
    /// The release the rule is about: the first PostgreSQL major that accepts the construct, or, for what a
    /// release stopped accepting (`standard_conforming_strings = off`, 19), the first that does not.
    public var since: Int
    public var action: Action
    /// What was done, or why nothing could be.
    public var detail: String

    /// `entry 245 SUBSCRIPTION - fixture_sub`, as pg_restore names entries in its messages.
    public var entryLabel: String {
        "entry \(dumpID) \(desc) \(namespace.map { $0.isEmpty ? "-" : $0.string } ?? "-") \(tag?.string ?? "-")"
    }
}

/// An archive's entries made fit for an older PostgreSQL server (`sql` and `convert --target-version N`).
///
/// The catalogue follows what pg_dump itself does when it talks to an older server: its `remoteVersion` checks
/// say which release first accepts each construct, and what pg_dump writes instead for older ones. A construct
/// whose absence changes nothing the target can express (an option at its default, a privilege the target does
/// not have, a statistics entry) is rewritten or left out silently apart from the finding; one whose meaning
/// the target cannot express (a virtual generated column on 17) makes the entry unrenderable.
public struct TargetAdaptation: Sendable {
    /// The oldest and newest majors that can be named.
    public static let supportedMajors: ClosedRange<Int> = 12...19

    public let targetMajor: Int
    /// The entries in their input order, rewritten; omitted ones are gone.
    public let entries: [TOCEntry]
    /// Every rewrite, omission and unrenderable construct, in entry order.
    public let findings: [TargetFinding]

    /// - Parameters:
    ///   - standardConformingStrings: the archive's setting, which decides how `'…'` literals are scanned.
    public init(entries input: [TOCEntry], targetMajor: Int, standardConformingStrings: Bool) {
        precondition(Self.supportedMajors.contains(targetMajor))
        self.targetMajor = targetMajor
        var entries: [TOCEntry] = []
        var findings: [TargetFinding] = []
        let rules = TargetRules(target: targetMajor, standardConformingStrings: standardConformingStrings)
        for entry in input {
            var adapted = entry
            if rules.adapt(&adapted, findings: &findings) { entries.append(adapted) }
        }
        self.entries = entries
        self.findings = findings
    }

    private init(targetMajor: Int, entries: [TOCEntry], findings: [TargetFinding]) {
        self.targetMajor = targetMajor
        self.entries = entries
        self.findings = findings
    }

    /// The unrenderable findings of entries in `selected` (dump IDs): what makes the command fail.
    public func unrenderable(among selected: Set<Int32>) -> [TargetFinding] {
        findings.filter { $0.action == .unrenderable && selected.contains($0.dumpID) }
    }

    /// The adaptation with the unrenderable entries left out, and every entry that depends on one of them, at
    /// any distance (an index on a table left out cannot be created either); each becomes an `omitted` finding.
    public func omittingUnrenderable() -> TargetAdaptation {
        // The first release that could express each entry left out.
        var left: [Int32: Int] = [:]
        for finding in findings where finding.action == .unrenderable {
            left[finding.dumpID] = max(left[finding.dumpID] ?? 0, finding.since)
        }
        guard !left.isEmpty else { return self }
        var findings = findings.map { finding -> TargetFinding in
            var changed = finding
            if changed.action == .unrenderable {
                changed.action = .omitted
                changed.detail += "; left out (--omit-unrenderable)"
            }
            return changed
        }
        // Dependents, to a fixed point: archives list dependencies in any order.
        var grew = true
        while grew {
            grew = false
            for entry in entries where left[entry.dumpID] == nil {
                if let needed = entry.dependencies.first(where: { left[$0] != nil }), let since = left[needed] {
                    left[entry.dumpID] = since
                    findings.append(TargetFinding(
                        dumpID: entry.dumpID, desc: entry.desc, namespace: entry.namespace, tag: entry.tag,
                        construct: "dependency on entry \(needed)", since: since, action: .omitted,
                        detail: "left out with entry \(needed), which it depends on (--omit-unrenderable)"))
                    grew = true
                }
            }
        }
        let order = Dictionary(entries.enumerated().map { ($1.dumpID, $0) }, uniquingKeysWith: { first, _ in first })
        findings = findings.enumerated().sorted {
            let (left, right) = (order[$0.element.dumpID] ?? -1, order[$1.element.dumpID] ?? -1)
            return left != right ? left < right : $0.offset < $1.offset
        }.map(\.element)
        return TargetAdaptation(
            targetMajor: targetMajor, entries: entries.filter { left[$0.dumpID] == nil }, findings: findings)
    }
}
