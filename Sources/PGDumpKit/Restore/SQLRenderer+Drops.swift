import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// The drop pass of `-c` (`--clean`, with `--if-exists`): drops in reverse restore order.
extension SQLRenderer {
    // MARK: - Drops

    /// The DROP pass of `--clean`, in reverse order. Mirrors the first part of `RestoreArchive`.
    func emitDrops() throws {
        for index in entries.indices.reversed() {
            let entry = entries[index]
            if selection.createDB && !(entry.desc.equals("DATABASE") || entry.desc.equals("DATABASE PROPERTIES")) {
                continue
            }
            guard !requirements[index].intersection([.schema, .data]).isEmpty, let dropStmt = entry.dropStmt else {
                continue
            }
            var notAllowedInTransaction = false
            if script.transactionSize > 0
                && (entry.desc.equals("DATABASE") || entry.desc.equals("DATABASE PROPERTIES"))
            {
                notAllowedInTransaction = true
                put("COMMIT;\n")
            }
            info(Array("dropping ".utf8), entry.desc.bytes, [0x20], entry.tag?.bytes)
            becomeOwner(entry)
            selectOutputSchema(entry.namespace?.bytes)
            if entry.desc.equals("BLOB METADATA") {
                if script.ifExists {
                    issueCommandPerBlob(
                        entry, begin: "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '",
                        end: "'")
                } else {
                    issueCommandPerBlob(entry, begin: "SELECT pg_catalog.lo_unlink('", end: "')")
                }
            } else if !dropStmt.isEmpty {
                if !script.ifExists || dropStmt.hasPrefix("--") {
                    put(dropStmt)
                } else if entry.desc.equals("BLOB") {
                    dropLargeObjectIfExists(entry.oid)
                } else {
                    put(insertingIfExists(into: dropStmt, of: entry))
                }
            }
            if script.transactionSize > 0 {
                if notAllowedInTransaction {
                    put("BEGIN;\n")
                } else {
                    countAction(separator: "COMMIT;\nBEGIN;\n")
                }
            }
            try output.flushIfFull()
        }
        // The schema set while dropping may be gone now; set it again when next needed.
        currentSchema = nil
    }

    /// Mirrors `DropLOIfExists`.
    func dropLargeObjectIfExists(_ oid: UInt32) {
        put("SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '\(oid)';\n")
    }

    /// The drop statement with IF EXISTS inserted, as `RestoreArchive` does it.
    func insertingIfExists(into dropStmt: ArchiveText, of entry: TOCEntry) -> [UInt8] {
        var statement = dropStmt.bytes[...]
        var result: [UInt8] = []
        let alterTable = Array("ALTER TABLE".utf8)
        if statement.starts(with: alterTable) {
            result += Array("ALTER TABLE IF EXISTS".utf8)
            statement = statement.dropFirst(alterTable.count)
        }
        if entry.desc.equals("DEFAULT") || entry.desc.equals("DATABASE PROPERTIES")
            || statement.starts(with: Array("CREATE OR REPLACE VIEW".utf8))
        {
            return result + statement
        }
        let isConstraint = entry.desc.equals("CONSTRAINT") || entry.desc.equals("CHECK CONSTRAINT")
            || entry.desc.equals("FK CONSTRAINT")
        // pg formats "DROP %s" into a 40-byte buffer, so a long type name is cut there.
        let marker = isConstraint ? Array("DROP CONSTRAINT".utf8) : Array(("DROP ".utf8 + entry.desc.bytes).prefix(39))
        if let range = Self.firstRange(of: marker, in: statement) {
            result += statement[..<range.lowerBound]
            result += marker
            result += Array(" IF EXISTS".utf8)
            result += statement[range.upperBound...]
        } else {
            warnings.append(ArchiveWarning(
                "could not find where to insert IF EXISTS in statement \"\(dropStmt.string)\""))
            result += statement
        }
        return result
    }

    static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var start = haystack.startIndex
        while start + needle.count <= haystack.endIndex {
            if haystack[start] == needle[0], haystack[start..<(start + needle.count)].elementsEqual(needle) {
                return start..<(start + needle.count)
            }
            start += 1
        }
        return nil
    }
}
