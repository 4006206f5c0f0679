import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// `info --tables`: the summary followed by each table's rows and sizes, which only reading all data can tell.
extension ArchiveSummary {
    /// The summary text followed by a `Tables:` section: rows, decompressed bytes and stored bytes per table.
    public func text(tables: [DataEntryReport]) -> String {
        let rows = tables.filter { $0.content != .largeObjects }
        var text = self.text() + "Tables:\n"
        if rows.isEmpty { return text + "  (no table data)\n" }
        for line in DataEntryReport.table(rows, entryHeading: "table") { text += "  " + line + "\n" }
        return text
    }

    /// The summary JSON with a `tables` member: each table's dump ID, schema, name, rows and sizes.
    public func json(tables: [DataEntryReport]) -> [UInt8] {
        var document = json()
        // JSONWriter ends a document with "\n}\n". Reopen the object and append the member, written by a writer
        // at the same depth so that the indentation matches.
        let end: [UInt8] = [0x0A, UInt8(ascii: "}"), 0x0A]
        precondition(document.count > end.count && Array(document.suffix(end.count)) == end,
                     "JSONWriter's document ending changed")
        document.removeLast(end.count)
        var member = JSONWriter()
        member.beginObject()
        member.beginArray("tables")
        for table in tables where table.content != .largeObjects { table.writeJSON(into: &member) }
        member.endArray()
        member.endObject()
        return document + [UInt8(ascii: ",")] + member.finished().dropFirst()
    }
}
