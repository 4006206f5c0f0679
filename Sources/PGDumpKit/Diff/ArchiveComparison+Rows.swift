import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// `diff --rows`: the rows that differ in each table whose data changed, after the summary and the texts.
extension ArchiveComparison {
    /// Compares the rows of a changed entry's data.
    func compareRows(
        of change: Change, options: RowComparison.Options, report: (RowComparison.RowChange) throws -> Void
    ) throws -> RowComparison.Statistics {
        guard let old = change.old, let new = change.new else { return RowComparison.Statistics() }
        return try RowComparison.compare(
            old: oldSide.reader, entry: old, entries: oldSide.plan.entries,
            new: newSide.reader, entry: new, entries: newSide.plan.entries,
            sizeHint: max(change.oldData?.bytes ?? 0, change.newData?.bytes ?? 0),
            rowsHint: max(change.oldData?.rows ?? 0, change.newData?.rows ?? 0), options: options, report: report)
    }

    func writeRowDiff(
        of change: Change, to output: OutputBuffer, oldName: String, newName: String, options: RowComparison.Options
    ) throws {
        guard let old = change.old, let new = change.new else { return }
        output.append("\n--- " + oldName + "\t")
        output.append(Self.label(old))
        output.append(" (rows)\n+++ " + newName + "\t")
        output.append(Self.label(new))
        output.append(" (rows)\n")
        if let key = RowComparison.primaryKey(
            old: old, version: oldSide.reader.header.version, entries: oldSide.plan.entries, new: new,
            version: newSide.reader.header.version, entries: newSide.plan.entries)?.columns
        {
            output.append("@@ rows matched by primary key (")
            for (position, column) in key.enumerated() {
                if position > 0 { output.append(", ") }
                output.append(column)
            }
            output.append(") @@\n")
        } else {
            output.append("@@ no primary key: rows compared whole @@\n")
        }
        _ = try compareRows(of: change, options: options) { row in
            if let old = row.old { output.append([UInt8(ascii: "-")] + old + [0x0A]) }
            if let new = row.new { output.append([UInt8(ascii: "+")] + new + [0x0A]) }
            try output.flushIfFull()
        }
    }

    func writeRowDiffJSON(
        of change: Change, into json: inout JSONWriter, output: OutputBuffer, options: RowComparison.Options
    ) throws {
        json.beginArray("rowChanges")
        var writer = json
        let statistics = try compareRows(of: change, options: options) { row in
            writer.beginObject()
            writer.field("change", row.kind.rawValue)
            if let key = row.key { writer.field("key", ArchiveText(bytes: key)) }
            if let old = row.old { writer.field("oldRow", ArchiveText(bytes: old)) }
            if let new = row.new { writer.field("newRow", ArchiveText(bytes: new)) }
            writer.endObject()
            output.append(writer.takeBytes())
            try output.flushIfFull()
        }
        json = writer
        json.endArray()
        if let key = statistics.keyColumns {
            json.beginArray("primaryKey")
            for column in key { json.element(ArchiveText(bytes: column).string) }
            json.endArray()
        }
    }
}
