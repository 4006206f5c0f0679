import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// What differs between two archives, entry by entry: `pgdumpkit diff`.
///
/// Entries are matched by identity (`EntryIdentity`: type, schema, name), never by dump ID or OID. An entry is
/// changed when the text pg_restore would print for it differs (`SQLRenderer.entryText`: header comment, definition,
/// owner, COPY statement) or, for an entry with data, when its rows differ as a multiset (`TableDigest`): the
/// same rows in another order are the same data. What is not content is never compared: creation time, format,
/// compression, archive version, dump IDs, OIDs, the versions pg_dump recorded, dependencies.
///
/// Both archives are read at once, each on its own thread, and each on workers of its own with more threads.
public struct ArchiveComparison {
    /// One entry added, removed or changed.
    public struct Change {
        public enum Kind: String, Sendable {
            case added, removed, changed
        }

        public var kind: Kind
        /// The entry in the old archive (`nil` when added) and in the new one (`nil` when removed).
        public var old: TOCEntry?
        public var new: TOCEntry?
        /// Whether the entry's text differs (always, for an entry added or removed).
        public var definitionChanged: Bool
        /// Whether its data differs (rows added, removed or changed, or data only on one side).
        public var dataChanged: Bool
        /// The digests of its data, where it has data that was compared.
        public var oldData: TableDigest?
        public var newData: TableDigest?

        package var identity: EntryIdentity
        var oldItem: ComparisonSide.Item?
        var newItem: ComparisonSide.Item?

        /// The entry as the report names it: the new one, or the old one when removed.
        public var entry: TOCEntry { (new ?? old)! }
    }

    public let changes: [Change]
    let oldSide: ComparisonSide
    let newSide: ComparisonSide

    public var oldReader: any ArchiveReader { oldSide.reader }
    public var newReader: any ArchiveReader { newSide.reader }

    /// Whether nothing differs.
    public var isEqual: Bool { changes.isEmpty }

    /// Compares what `oldPlan` restores from `oldReader` with what `newPlan` restores from `newReader`.
    ///
    /// - Parameters:
    ///   - compareData: digest and compare the data of every entry the plans restore with data; when `false`,
    ///     only texts are compared (a TABLE DATA entry's text is its header and COPY statement).
    ///   - jobs: the threads that digest data at once. 1 reads the old archive, then the new one, on the
    ///     caller's thread; 2 reads both at once, one thread each (`ParallelWork`); above 2 each archive is
    ///     also read on workers of its own (the old one gets the odd one), where its input allows it. The
    ///     comparison is the same for any number.
    /// - Throws: whatever reading either archive throws (the old one's error first, as with one thread).
    public init(
        old oldReader: any ArchiveReader, plan oldPlan: RestorePlan, new newReader: any ArchiveReader,
        plan newPlan: RestorePlan, compareData: Bool = true, jobs: Int = 2
    ) throws {
        let key = SipHash128.Key.random()
        let oldSide = ComparisonSide(reader: oldReader, plan: oldPlan)
        let newSide = ComparisonSide(reader: newReader, plan: newPlan)
        if jobs <= 1 {
            try oldSide.analyze(key: key, compareData: compareData)
            try newSide.analyze(key: key, compareData: compareData)
        } else {
            try ParallelWork.run(
                { try oldSide.analyze(key: key, compareData: compareData, jobs: (jobs + 1) / 2) },
                { try newSide.analyze(key: key, compareData: compareData, jobs: jobs / 2) })
        }
        self.oldSide = oldSide
        self.newSide = newSide
        changes = Self.match(oldSide.items, newSide.items, old: oldSide, new: newSide)
    }

    private static func match(
        _ oldItems: [ComparisonSide.Item], _ newItems: [ComparisonSide.Item], old: ComparisonSide,
        new: ComparisonSide
    ) -> [Change] {
        var oldByIdentity: [EntryIdentity: [ComparisonSide.Item]] = [:]
        for item in oldItems { oldByIdentity[item.identity, default: []].append(item) }
        var newByIdentity: [EntryIdentity: [ComparisonSide.Item]] = [:]
        for item in newItems { newByIdentity[item.identity, default: []].append(item) }
        var changes: [Change] = []

        func sameData(_ a: TableDigest?, _ b: TableDigest?) -> Bool {
            switch (a, b) {
            case (nil, nil): return true
            case (let a?, let b?): return a.sameContent(as: b)
            default: return false
            }
        }
        func removed(_ item: ComparisonSide.Item) {
            changes.append(Change(
                kind: .removed, old: old.entry(of: item), new: nil, definitionChanged: true,
                dataChanged: item.data != nil, oldData: item.data, newData: nil, identity: item.identity,
                oldItem: item, newItem: nil))
        }
        func added(_ item: ComparisonSide.Item) {
            changes.append(Change(
                kind: .added, old: nil, new: new.entry(of: item), definitionChanged: true,
                dataChanged: item.data != nil, oldData: nil, newData: item.data, identity: item.identity,
                oldItem: nil, newItem: item))
        }
        func compare(_ before: ComparisonSide.Item, _ after: ComparisonSide.Item) {
            let definitionChanged = before.text != after.text
            let dataChanged = !sameData(before.data, after.data)
            guard definitionChanged || dataChanged else { return }
            changes.append(Change(
                kind: .changed, old: old.entry(of: before), new: new.entry(of: after),
                definitionChanged: definitionChanged, dataChanged: dataChanged, oldData: before.data,
                newData: after.data, identity: after.identity, oldItem: before, newItem: after))
        }
        func contentOrder(_ a: ComparisonSide.Item, _ b: ComparisonSide.Item) -> Bool {
            if a.text != b.text { return a.text < b.text }
            return (a.data?.sum ?? .zero, a.data?.rows ?? -1) < (b.data?.sum ?? .zero, b.data?.rows ?? -1)
        }

        for (identity, befores) in oldByIdentity {
            guard var afters = newByIdentity[identity] else {
                befores.forEach(removed)
                continue
            }
            if befores.count == 1 && afters.count == 1 {
                compare(befores[0], afters[0])
                continue
            }
            // Alike identities (rare): equal contents pair first, then the rest in content order.
            var unmatched: [ComparisonSide.Item] = []
            for before in befores {
                if let position = afters.firstIndex(where: { $0.text == before.text && sameData($0.data, before.data) }) {
                    afters.remove(at: position)
                } else {
                    unmatched.append(before)
                }
            }
            unmatched.sort(by: contentOrder)
            afters.sort(by: contentOrder)
            for (before, after) in zip(unmatched, afters) { compare(before, after) }
            unmatched.dropFirst(afters.count).forEach(removed)
            afters.dropFirst(unmatched.count).forEach(added)
        }
        for (identity, afters) in newByIdentity where oldByIdentity[identity] == nil {
            afters.forEach(added)
        }
        changes.sort { a, b in
            if a.identity != b.identity { return a.identity < b.identity }
            return a.kind.rawValue < b.kind.rawValue
        }
        return changes
    }

    /// The old and new texts of a change's entry, as pg_restore prints it (empty on the side it is missing from).
    public func texts(of change: Change) throws -> (old: [UInt8], new: [UInt8]) {
        (try change.oldItem.map { try oldSide.text(of: $0) } ?? [],
         try change.newItem.map { try newSide.text(of: $0) } ?? [])
    }
}
