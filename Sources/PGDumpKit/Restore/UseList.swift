import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// A `-L` list file: the dump IDs wanted, in the order wanted. Mirrors `SortTocFromFile`.
package struct UseList: Sendable, Hashable {
    /// The wanted dump IDs in list order.
    package var dumpIDs: [Int32]
    /// Lines pg_restore would ignore with a warning (`line ignored: …`).
    package var ignoredLines: [String]

    /// Parses a list file against the archive's entries.
    ///
    /// Each line is cut at its first `;`; blank lines are skipped; a line must start with a dump ID (`strtol`
    /// rules) between 1 and the largest in the archive, not seen before, or it is ignored with a warning. An ID in
    /// range that no entry has is an error.
    package init(contents: [UInt8], entries: [TOCEntry]) throws {
        let maxDumpID = entries.map(\.dumpID).max() ?? 0
        let present = Set(entries.map(\.dumpID))
        var seen = Set<Int32>()
        dumpIDs = []
        ignoredLines = []
        var lines = contents.split(separator: 0x0A, omittingEmptySubsequences: false)[...]
        // A final newline ends the last line rather than starting an empty one.
        if contents.last == 0x0A { lines = lines.dropLast() }
        for rawLine in lines {
            var line = Array(rawLine)
            if let semicolon = line.firstIndex(of: UInt8(ascii: ";")) { line.removeSubrange(semicolon...) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }) { continue }
            // strtol into an int, as pg reads it.
            let id = ArchiveText(bytes: line).scannedInt32
            guard let id, id > 0, id <= maxDumpID, !seen.contains(id) else {
                // pg prints the line as read, with its newline unless the comment cut removed it.
                let shown = rawLine.contains(UInt8(ascii: ";")) ? line : line + [0x0A]
                ignoredLines.append(String(decoding: shown, as: UTF8.self))
                continue
            }
            let dumpID = id
            guard present.contains(dumpID) else {
                throw PGDumpError(.invalidRequest, "could not find entry for ID \(dumpID)")
            }
            seen.insert(dumpID)
            dumpIDs.append(dumpID)
        }
    }

    /// The entries in restore order: those not listed first, in TOC order, then the listed ones in list order.
    /// (pg moves each listed entry to the end of its list as it reads it.)
    package func arrange(_ entries: [TOCEntry]) -> [TOCEntry] {
        let wanted = Set(dumpIDs)
        var byDumpID: [Int32: TOCEntry] = [:]
        for entry in entries { byDumpID[entry.dumpID] = entry }
        return entries.filter { !wanted.contains($0.dumpID) } + dumpIDs.compactMap { byDumpID[$0] }
    }
}
