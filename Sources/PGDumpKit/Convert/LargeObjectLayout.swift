import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Rewrites large objects from archive 1.16's layout (grouped `BLOB METADATA` entries and one `BLOBS` entry per
/// group) to the layout of 1.12–1.15 (one `BLOB` entry per large object and a single `BLOBS` entry), which is
/// what pg_dump 16 and older wrote and what pg_restore 15 and 16 understand.
enum LargeObjectLayout {
    static func toPerObjectEntries(
        _ entries: [TOCEntry], sources: [Int32: [TOCEntry]], notices: inout [String]
    ) throws -> ([TOCEntry], [Int32: [TOCEntry]]) {
        guard entries.contains(where: { $0.desc.equals("BLOB METADATA") || $0.isLargeObjectData }) else {
            return (entries, sources)
        }
        var nextDumpID = (entries.map(\.dumpID).max() ?? 0)
        func newDumpID() -> Int32 {
            nextDumpID += 1
            return nextDumpID
        }
        // BLOB METADATA dump ID → the BLOB entry made for each of its OIDs.
        var blobEntryFor: [Int32: [UInt32: Int32]] = [:]
        var oidsOf: [Int32: [UInt32]] = [:]
        var result: [TOCEntry] = []
        var sources = sources
        var mergedBlobsID: Int32?
        var groups = 0
        for entry in entries {
            if entry.desc.equals("BLOB METADATA") {
                groups += 1
                let oids = (entry.defn?.bytes ?? []).split(separator: 0x0A).compactMap {
                    UInt32(String(decoding: $0, as: UTF8.self))
                }
                oidsOf[entry.dumpID] = oids
                var made: [UInt32: Int32] = [:]
                for (index, oid) in oids.enumerated() {
                    let dumpID = index == 0 ? entry.dumpID : newDumpID()
                    made[oid] = dumpID
                    result.append(TOCEntry(
                        dumpID: dumpID, hadDumper: false, tableOIDText: entry.tableOIDText, oidText: ArchiveText("\(oid)"),
                        tag: ArchiveText("\(oid)"), desc: "BLOB", section: .preData,
                        defn: ArchiveText("SELECT pg_catalog.lo_create('\(oid)');\n"),
                        dropStmt: ArchiveText("SELECT pg_catalog.lo_unlink('\(oid)');\n"), owner: entry.owner,
                        withOids: entry.withOids, dependencies: []))
                }
                blobEntryFor[entry.dumpID] = made
            } else if entry.isLargeObjectData {
                // All BLOBS entries become one, where the first stood, holding every group's data in order.
                if let mergedBlobsID {
                    sources[mergedBlobsID, default: []] += sources[entry.dumpID] ?? []
                    sources[entry.dumpID] = nil
                } else {
                    mergedBlobsID = entry.dumpID
                    var blobs = entry
                    blobs.tag = "BLOBS"
                    blobs.owner = nil
                    blobs.dependencies = []
                    blobs.section = .data
                    result.append(blobs)
                }
            } else if (entry.desc.equals("COMMENT") || entry.desc.equals("ACL") || entry.desc.equals("SECURITY LABEL")),
                let parent = entry.dependencies.first, let made = blobEntryFor[parent]
            {
                // Dependents of a group: one per large object, each depending on its BLOB entry.
                let oids = oidsOf[parent] ?? []
                let perObject = entry.tag?.hasPrefix("LARGE OBJECTS") == true ? oids : oids.filter {
                    entry.tag?.equals("LARGE OBJECT \($0)") == true
                }
                for (index, oid) in perObject.enumerated() {
                    var copy = entry
                    copy.dumpID = index == 0 ? entry.dumpID : newDumpID()
                    copy.tag = ArchiveText("LARGE OBJECT \(oid)")
                    copy.dependencies = [made[oid] ?? parent]
                    if let defn = entry.defn, let first = oids.first, entry.tag?.hasPrefix("LARGE OBJECTS") == true {
                        copy.defn = replacingObjectNumber(in: defn, first: first, with: oid)
                    }
                    result.append(copy)
                }
            } else {
                result.append(entry)
            }
        }
        if groups > 0 {
            notices.append("large objects rewritten from the 1.16 layout (\(groups) BLOB METADATA entries) to one BLOB entry each")
        }
        return (result, sources)
    }

    /// The ACL commands of a group name its first large object; each copy names its own.
    static func replacingObjectNumber(in defn: ArchiveText, first: UInt32, with oid: UInt32) -> ArchiveText {
        ArchiveText(defn.string.replacingEvery("LARGE OBJECT \(first)", with: "LARGE OBJECT \(oid)"))
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in the library).
    func replacingEvery(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
