import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// One entry's text as pg_restore prints it, without its data: what `diff` compares and `explode` writes.
extension SQLRenderer {
    /// The text pg_restore 18 prints for the entry at `index` in a script of that entry alone (`pg_restore -L`
    /// with a one-line list): the `SET` commands the entry needs (`default_tablespace`, `default_table_access_method`,
    /// `SESSION AUTHORIZATION` with `--use-set-session-authorization`), its comment header, definition and owner; for
    /// an entry with data, the `Data for` header and its COPY statement, without the rows. Mirrors the schema, data
    /// and statistics branches of `restore_toc_entry`.
    ///
    /// The session state is reset first, so the text does not depend on the entries before it. The one `SET`
    /// left out is the `search_path` pg_restore sets per entry for archives before 1.13 (later ones set it once,
    /// from their SEARCHPATH entry): the schema is part of the entry's identity, and the text stays the same
    /// across archive versions.
    ///
    /// - Returns: `nil` when the selection does not restore the entry.
    func entryText(at index: Int, capture: CapturingByteSink) throws -> [UInt8]? {
        let entry = entries[index]
        let requirement = requirements[index]
        guard !requirement.intersection([.schema, .data, .statistics]).isEmpty else { return nil }
        currentUser = nil
        currentTablespace = nil
        currentTableAccessMethod = nil
        currentSchema = entry.namespace?.bytes
        var definitionPrinted = false
        if requirement.contains(.schema) {
            try printEntry(entry, prefix: "")
            definitionPrinted = true
        }
        if requirement.contains(.data) {
            if entry.hadDumper {
                try printEntry(entry, prefix: "Data for ")
                if !entry.desc.equals("BLOBS") && !entry.desc.equals("BLOB COMMENTS"),
                    let copyStmt = entry.copyStmt, !copyStmt.isEmpty
                {
                    put(copyStmt)
                }
            } else if !definitionPrinted {
                try printEntry(entry, prefix: "")
            }
        }
        if requirement.contains(.statistics) {
            try printEntry(entry, prefix: "Statistics for ")
        }
        try output.flush()
        return capture.take()
    }

    /// Whether the selection restores the entry at `index` at all, and its data.
    func restores(at index: Int) -> (entry: Bool, data: Bool) {
        let requirement = requirements[index]
        return (!requirement.intersection([.schema, .data, .statistics]).isEmpty,
                requirement.contains(.data) && entries[index].hadDumper)
    }
}

/// Collects what a renderer writes until it is taken.
final class CapturingByteSink: ByteSink {
    private var bytes: [UInt8] = []

    func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }

    /// What was written since the last call.
    func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }
}
