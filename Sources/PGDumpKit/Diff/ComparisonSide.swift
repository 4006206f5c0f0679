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

    /// Renders and hashes every restored entry and, with `compareData`, digests its data, streaming it in restore
    /// order (the order a reader without random access can follow).
    func analyze(key: SipHash128.Key, compareData: Bool) throws {
        var items: [Item] = []
        items.reserveCapacity(plan.entries.count)
        for index in plan.entries.indices {
            guard let text = try renderer.entryText(at: index, capture: capture) else { continue }
            items.append(Item(
                index: index, identity: EntryIdentity(plan.entries[index]), text: SipHash128.hash(text, key: key)))
        }
        if compareData {
            for position in items.indices where renderer.restores(at: items[position].index).data {
                let entry = plan.entries[items[position].index]
                guard entry.hasData else {
                    items[position].data = TableDigest()
                    continue
                }
                if entry.storesInsertStatements {
                    var rows = TableDigestSink(key: key, copyData: true)
                    var statements = TableDigestSink(key: key, copyData: false)
                    try InsertDataRows.stream(entry, from: reader, columns: nil, rows: &rows, statements: &statements)
                    rows.finish()
                    statements.finish()
                    items[position].data = rows.digest
                    items[position].data?.statements = statements.digest.sum
                    items[position].data?.bytes = statements.digest.bytes
                    continue
                }
                var sink = TableDigestSink(
                    key: key, copyData: entry.isLargeObjectData || !(entry.copyStmt?.isEmpty ?? true))
                try reader.streamData(of: entry, into: &sink)
                sink.finish()
                items[position].data = sink.digest
            }
        }
        self.items = items
    }

    /// The text of an item's entry (rendered again: texts are not kept).
    func text(of item: Item) throws -> [UInt8] {
        try renderer.entryText(at: item.index, capture: capture) ?? []
    }

    func entry(of item: Item) -> TOCEntry { plan.entries[item.index] }
}
