import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// One archive of a comparison: what its plan restores, each entry's identity, a hash of its text and, for an
/// entry with data, a digest of that data.
final class ComparisonSide {
    struct Item {
        /// The entry's position in `plan.entries`.
        var index: Int
        var identity: EntryIdentity
        /// The keyed hash of the entry's text (`SQLRenderer.entryText`).
        var text: Digest128
        /// The digest of the entry's data, when it has data the selection restores and data is compared.
        var data: TableDigest?
    }

    let reader: any ArchiveReader
    let plan: RestorePlan
    private let renderer: SQLRenderer
    private let capture = CapturingByteSink()
    private(set) var items: [Item] = []

    init(reader: any ArchiveReader, plan: RestorePlan) {
        self.reader = reader
        self.plan = plan
        renderer = SQLRenderer(
            reader: reader, entries: plan.entries, selection: plan.selection, names: plan.names,
            script: plan.script, output: capture)
    }

    /// Renders and hashes every restored entry and, with `compareData`, digests its data in restore order (the
    /// order a reader without random access can follow). With `jobs` above 1 the data is digested on that many
    /// workers, each with a reader of its own (`ParallelDataReader`, computing), and the digests are taken in
    /// order: the result, and the first error, are the same for any number.
    func analyze(key: SipHash128.Key, compareData: Bool, jobs: Int = 1) throws {
        var items: [Item] = []
        items.reserveCapacity(plan.entries.count)
        for index in plan.entries.indices {
            guard let text = try renderer.entryText(at: index, capture: capture) else { continue }
            items.append(Item(
                index: index, identity: EntryIdentity(plan.entries[index]), text: SipHash128.hash(text, key: key)))
        }
        if compareData {
            let digested = items.indices.filter { renderer.restores(at: items[$0].index).data }
            let order = digested.map { plan.entries[items[$0].index] }.filter(\.hasData)
            try ParallelDataReader.withReader(
                reader, computingInOrder: order, jobs: jobs,
                work: { reader, entry in Result { try Self.digest(entry, from: reader, key: key) } }
            ) { reader in
                for position in digested {
                    let entry = plan.entries[items[position].index]
                    guard entry.hasData else {
                        items[position].data = TableDigest()
                        continue
                    }
                    if let result = (reader as? ParallelDataReader)?.computedResult(for: entry) as? Result<TableDigest, any Error> {
                        items[position].data = try result.get()
                    } else {
                        items[position].data = try Self.digest(entry, from: reader, key: key)
                    }
                }
            }
        }
        self.items = items
    }

    /// The digest of `entry`'s data, read from `reader`.
    private static func digest(_ entry: TOCEntry, from reader: any ArchiveReader, key: SipHash128.Key) throws -> TableDigest {
        if entry.storesInsertStatements {
            var rows = TableDigestSink(key: key, copyData: true)
            var statements = TableDigestSink(key: key, copyData: false)
            try InsertDataRows.stream(entry, from: reader, columns: nil, rows: &rows, statements: &statements)
            rows.finish()
            statements.finish()
            var digest = rows.digest
            digest.statements = statements.digest.sum
            digest.bytes = statements.digest.bytes
            return digest
        }
        var sink = TableDigestSink(key: key, copyData: entry.isLargeObjectData || !(entry.copyStmt?.isEmpty ?? true))
        try reader.streamData(of: entry, into: &sink)
        sink.finish()
        return sink.digest
    }

    /// The text of an item's entry (rendered again: texts are not kept).
    func text(of item: Item) throws -> [UInt8] {
        try renderer.entryText(at: item.index, capture: capture) ?? []
    }

    func entry(of item: Item) -> TOCEntry { plan.entries[item.index] }
}
