import PGDumpCore
import PGDumpFormats

/// Why `--with-deps` added an entry that the selection options did not select.
public struct DependencyReason: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The entry `through` depends on it (pg_dump recorded the edge from `pg_depend`).
        case dependency
        /// It is part of the entry `through`: its data, sequence value, default, constraint, index, trigger, rule,
        /// policy, owned sequence, statistics, comment, privileges or security label, or an ATTACH joining two
        /// entries already in.
        case part
    }

    public var kind: Kind
    /// The dump ID of the entry it was reached from.
    public var through: Int32
    /// The dump ID of the selected entry whose closure reached it.
    public var neededBy: Int32

    public init(kind: Kind, through: Int32, neededBy: Int32) {
        self.kind = kind
        self.through = through
        self.neededBy = neededBy
    }
}

/// The dependency closure of a selection (`--with-deps`): what the selected entries need to restore into an empty
/// database.
///
/// The rule, applied until nothing more comes in (cycles end, since every entry is visited once):
/// - every dependency an entry records is needed (a dump ID no entry has is skipped: pg_dump's section boundary
///   objects, or objects not dumped);
/// - an entry brings its parts: the entries that depend on it and belong to it, as `pg_dump -t` dumps them with a
///   table — its data (TABLE DATA, SEQUENCE SET, MATERIALIZED VIEW DATA, STATISTICS DATA), DEFAULT, constraints
///   (foreign keys included), indexes, triggers, rules, policies, ROW SECURITY, extended statistics, owned
///   sequences and SEQUENCE OWNED BY, COMMENT, ACL and SECURITY LABEL. So a relation never arrives half-made: a
///   table that comes in because something needs it (a foreign key's referenced table, a view's table, a
///   partition's parent) comes with its rows, and a foreign key's referenced rows are there when it is added;
/// - a constraint, index, trigger, rule or policy belongs to its own table only (the relation it depends on whose
///   name starts its tag): a foreign key never pulls in the table that references a selected one;
/// - TABLE ATTACH and INDEX ATTACH come in when everything they join is in: a partition brings its parent (its
///   CREATE TABLE depends on it), a parent never brings its partitions or inheritance children.
///
/// The kind options (`-s`, `-a`, `--section`, `-x`, `--no-comments`, `--no-policies`…) then decide which of the
/// reached entries are restored, as they decide for the whole archive: the walk goes through entries they leave
/// out (with `-a`, a foreign key leads to its referenced table's data). Name options (`-n`, `-N`, `-t`, `-I`,
/// `-P`, `-T`, `-L`) only choose where the walk starts.
package enum DependencyClosure {
    /// The requirements with the closure added, and why each added entry came in (by entry index).
    package struct Result: Sendable {
        package var requirements: [Requirement]
        package var reasons: [Int: DependencyReason]
    }

    /// Closes `selected` (the requirements of the selection options, by entry index) over the dependency graph;
    /// `allowed` is what the kind options alone allow for each entry.
    package static func close(
        entries: UnsafeBufferPointer<TOCEntry>, selected: [Requirement], allowed: [Requirement]
    ) -> Result {
        var byDumpID: [Int32: Int] = [:]
        for index in entries.indices { byDumpID[entries[index].dumpID] = index }
        let kinds = entries.map(\.kind)
        // parts[i]: the entries that belong to entry i; joins: the ATTACH entries.
        var parts = [[Int]](repeating: [], count: entries.count)
        var joins: [Int] = []
        for index in entries.indices {
            switch kinds[index] {
            case .tableAttach, .indexAttach:
                joins.append(index)
            default:
                for owner in owners(of: index, in: entries, kinds: kinds, byDumpID: byDumpID) where owner != index {
                    parts[owner].append(index)
                }
            }
        }

        var requirements = selected
        var reasons: [Int: DependencyReason] = [:]
        var visited = [Bool](repeating: false, count: entries.count)
        // (entry index, dump ID of the selected entry it serves)
        var pending: [(index: Int, root: Int32)] = []
        for index in entries.indices where isRestored(selected[index]) {
            visited[index] = true
            pending.append((index, entries[index].dumpID))
        }
        func reach(_ index: Int, from source: Int, root: Int32, kind: DependencyReason.Kind) {
            guard !visited[index] else { return }
            visited[index] = true
            pending.append((index, root))
            if isRestored(allowed[index]) {
                requirements[index] = allowed[index]
                reasons[index] = DependencyReason(kind: kind, through: entries[source].dumpID, neededBy: root)
            }
        }
        func walk() {
            while let (index, root) = pending.popLast() {
                for dependency in entries[index].dependencies {
                    guard let target = byDumpID[dependency] else { continue }
                    reach(target, from: index, root: root, kind: .dependency)
                }
                for part in parts[index] { reach(part, from: index, root: root, kind: .part) }
            }
        }
        walk()
        // An ATTACH joins entries already reached; adding it reaches nothing new but its own parts.
        for index in joins where !visited[index] {
            let targets = entries[index].dependencies.compactMap { byDumpID[$0] }
            guard !targets.isEmpty, targets.allSatisfy({ visited[$0] }), let first = targets.first else { continue }
            // Named after the partition, or the partition's index: the first entry it joins that shares its tag.
            let source = targets.first { entries[$0].tag == entries[index].tag } ?? first
            let root = reasons[source]?.neededBy ?? entries[source].dumpID
            reach(index, from: source, root: root, kind: .part)
        }
        walk()
        return Result(requirements: requirements, reasons: reasons)
    }

    /// Whether a requirement restores anything (ENCODING, STDSTRINGS and SEARCHPATH are settings, not entries).
    private static func isRestored(_ requirement: Requirement) -> Bool {
        !requirement.isDisjoint(with: [.schema, .data, .statistics])
    }

    /// The entries that `entries[index]` is a part of (indexes).
    private static func owners(
        of index: Int, in entries: UnsafeBufferPointer<TOCEntry>, kinds: [EntryKind], byDumpID: [Int32: Int]
    ) -> [Int] {
        let present = entries[index].dependencies.compactMap { byDumpID[$0] }
        switch kinds[index] {
        case .comment, .securityLabel, .acl, .tableData, .sequenceSet, .materializedViewData, .statisticsData,
            .extendedStatisticsData, .sequenceOwnedBy, .rowSecurity, .blobs, .blob:
            return present
        case .columnDefault, .constraint, .checkConstraint, .foreignKeyConstraint, .index, .trigger, .rule, .policy,
            .statistics:
            return ownRelation(of: index, among: present, in: entries, kinds: kinds).map { [$0] } ?? []
        case .sequence:
            // Only an owned sequence (serial, identity, OWNED BY) depends on a table.
            return present.filter { kinds[$0] == .table }
        default:
            return []
        }
    }

    /// The relation (or domain) a constraint, index, trigger, rule or policy belongs to: among the relations it
    /// depends on, the one whose name and a space start its tag (`orders orders_pkey`; the longest, should two
    /// fit), else the only one.
    private static func ownRelation(
        of index: Int, among present: [Int], in entries: UnsafeBufferPointer<TOCEntry>, kinds: [EntryKind]
    ) -> Int? {
        var candidates: [Int] = []
        for target in present where !candidates.contains(target) {
            switch kinds[target] {
            case .table, .view, .materializedView, .foreignTable, .domain: candidates.append(target)
            default: break
            }
        }
        let tag = entries[index].tag?.bytes ?? []
        let prefixed = candidates.filter { candidate in
            guard entries[candidate].namespace == entries[index].namespace,
                let name = entries[candidate].tag?.bytes, tag.count > name.count, tag[name.count] == 0x20
            else { return false }
            return tag.starts(with: name)
        }
        if let longest = prefixed.max(by: { (entries[$0].tag?.bytes.count ?? 0) < (entries[$1].tag?.bytes.count ?? 0) }) {
            return longest
        }
        return candidates.count == 1 ? candidates[0] : nil
    }
}
