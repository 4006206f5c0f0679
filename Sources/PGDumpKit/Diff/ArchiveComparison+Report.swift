import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// The two ways `diff` prints a comparison: a `git diff --stat`-like summary followed by unified diffs, or one
/// JSON object.
extension ArchiveComparison {
    /// An entry named as `pg_restore -l` names it after the IDs: type, schema (`-` for none), tag, owner.
    static func label(_ entry: TOCEntry, owner: Bool = true) -> [UInt8] {
        var label = entry.desc.bytes + [0x20] + ListPrinter.sanitized(entry.namespace, nullAs: "-").bytes + [0x20]
            + ListPrinter.sanitized(entry.tag, nullAs: "").bytes
        if owner { label += [0x20] + ListPrinter.sanitized(entry.owner, nullAs: "").bytes }
        return label
    }

    /// Rows of a digest, for the summary: `-` when there is none.
    private static func rowCount(_ digest: TableDigest?) -> String { digest.map { String($0.rows) } ?? "-" }

    /// Writes the summary, one line per change and a total, then each changed text as a unified diff (and, when
    /// `rows` is given, the rows that differ in each table whose data changed).
    ///
    /// - Parameters:
    ///   - oldName, newName: how the two archives are named in `---`/`+++` lines.
    public func writeReport(
        to sink: ByteSink, oldName: String, newName: String, rows: RowComparison.Options? = nil
    ) throws {
        let output = OutputBuffer(sink: sink)
        var texts: [(old: [UInt8], new: [UInt8])] = []
        var counts: [(added: Int, removed: Int)] = []
        texts.reserveCapacity(changes.count)
        for change in changes {
            let pair = try self.texts(of: change)
            texts.append(pair)
            counts.append(change.definitionChanged ? LineDiff.counts(pair.old, pair.new) : (0, 0))
        }
        let labels = changes.map { Self.label($0.entry, owner: false) }
        let width = min(labels.map(\.count).max() ?? 0, 70)
        let largest = counts.map { $0.added + $0.removed }.max() ?? 0
        let barWidth = 40
        for (position, change) in changes.enumerated() {
            let kind = change.kind.rawValue
            output.append(" " + kind + String(repeating: " ", count: 8 - kind.count))
            output.append(labels[position])
            output.append(String(repeating: " ", count: max(0, width - labels[position].count)) + " |")
            if change.definitionChanged {
                let (added, removed) = counts[position]
                var plus = added, minus = removed
                if largest > barWidth {
                    plus = added == 0 ? 0 : max(1, added * barWidth / largest)
                    minus = removed == 0 ? 0 : max(1, removed * barWidth / largest)
                }
                output.append(" \(added + removed) " + String(repeating: "+", count: plus)
                    + String(repeating: "-", count: minus))
            }
            if change.dataChanged {
                output.append(" rows \(Self.rowCount(change.oldData)) -> \(Self.rowCount(change.newData))")
                if let a = change.oldData, let b = change.newData, a.rows == b.rows {
                    // The same rows as COPY data and INSERT statements, or as other statements, render otherwise.
                    output.append(a.sum == b.sum ? ", the same rows stored otherwise" : ", content differs")
                }
            }
            output.append("\n")
        }
        let added = changes.count { $0.kind == .added }
        let removed = changes.count { $0.kind == .removed }
        let changed = changes.count { $0.kind == .changed }
        let linesAdded = counts.reduce(0) { $0 + $1.added }
        let linesRemoved = counts.reduce(0) { $0 + $1.removed }
        let entries = changes.count == 1 ? "entry differs" : "entries differ"
        output.append(" \(changes.count) \(entries): \(added) added, \(removed) removed, \(changed) changed; ")
        output.append("\(linesAdded) line\(linesAdded == 1 ? "" : "s") added(+), \(linesRemoved) removed(-)\n")

        for (position, change) in changes.enumerated() where change.definitionChanged {
            output.append("\n--- ")
            if let old = change.old {
                output.append(oldName + "\t")
                output.append(Self.label(old))
            } else {
                output.append("/dev/null")
            }
            output.append("\n+++ ")
            if let new = change.new {
                output.append(newName + "\t")
                output.append(Self.label(new))
            } else {
                output.append("/dev/null")
            }
            output.append("\n")
            output.append(LineDiff.unified(texts[position].old, texts[position].new))
            try output.flushIfFull()
        }
        if let rows {
            for change in changes where change.kind == .changed && change.dataChanged {
                try writeRowDiff(of: change, to: output, oldName: oldName, newName: newName, options: rows)
            }
        }
        try output.flush()
    }

    /// Writes the comparison as one JSON object: `formatVersion`, `old`, `new`, `equal`, `summary` and `changes`,
    /// each change named as `list --json` names entries.
    public func writeJSON(
        to sink: ByteSink, oldName: String, newName: String, rows: RowComparison.Options? = nil
    ) throws {
        let output = OutputBuffer(sink: sink)
        var json = JSONWriter()
        json.beginObject()
        json.field("formatVersion", ArchiveJSON.formatVersion)
        json.field("old", oldName)
        json.field("new", newName)
        json.field("equal", isEqual)
        json.beginObject("summary")
        json.field("added", changes.count { $0.kind == .added })
        json.field("removed", changes.count { $0.kind == .removed })
        json.field("changed", changes.count { $0.kind == .changed })
        json.endObject()
        json.beginArray("changes")
        for change in changes {
            let entry = change.entry
            json.beginObject()
            json.field("change", change.kind.rawValue)
            json.field("desc", entry.desc)
            json.field("schema", entry.namespace)
            json.field("tag", entry.tag)
            json.field("owner", entry.owner)
            if let old = change.old, let new = change.new, old.owner != new.owner {
                json.field("oldOwner", old.owner)
            }
            json.field("definitionChanged", change.definitionChanged)
            json.field("dataChanged", change.dataChanged)
            if change.oldData != nil || change.newData != nil {
                json.field("oldRows", change.oldData?.rows)
                json.field("newRows", change.newData?.rows)
            }
            if let rows, change.kind == .changed, change.dataChanged {
                try writeRowDiffJSON(of: change, into: &json, output: output, options: rows)
            }
            json.endObject()
            output.append(json.takeBytes())
            try output.flushIfFull()
        }
        json.endArray()
        json.endObject()
        output.append(json.takeBytes() + [0x0A])
        try output.flush()
    }
}
