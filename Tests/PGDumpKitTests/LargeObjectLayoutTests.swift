import PGDumpTestSupport
import Testing

@testable import PGDumpKit

/// Rewriting large objects from archive 1.16's layout (`BLOB METADATA` groups, a `BLOBS` entry per group) to the
/// layout of 1.12–1.15 (a `BLOB` entry per large object, one `BLOBS` entry), as converting to an older version
/// does. The expected entries are what pg_dump 16 itself wrote for the same database.
@Suite struct LargeObjectLayoutTests {
    static func entries(_ relativePath: String) throws -> [TOCEntry] {
        try Archive.open(path: Fixtures.testdata.appendingPathComponent(relativePath).path).entries
    }

    static func rewrite(_ entries: [TOCEntry]) throws -> (entries: [TOCEntry], sources: [Int32: [TOCEntry]], notices: [String]) {
        var sources: [Int32: [TOCEntry]] = [:]
        for entry in entries where entry.hasData { sources[entry.dumpID] = [entry] }
        var notices: [String] = []
        let (rewritten, rewrittenSources) = try LargeObjectLayout.toPerObjectEntries(
            entries, sources: sources, notices: &notices)
        return (rewritten, rewrittenSources, notices)
    }

    static func isLargeObjectEntry(_ entry: TOCEntry) -> Bool {
        entry.desc.equals("BLOB") || entry.desc.equals("BLOBS") || entry.desc.equals("BLOB METADATA")
            || entry.tag?.hasPrefix("LARGE OBJECT") == true
    }

    /// An entry with what depends on dump IDs taken out: the dump ID, the data location, and dependencies given
    /// as the OIDs of the BLOB entries they name.
    struct LargeObjectEntry: Hashable, CustomStringConvertible {
        var entry: TOCEntry
        var dependsOnOIDs: [UInt32]
        init(_ entry: TOCEntry, in entries: [TOCEntry]) {
            var copy = entry
            copy.dumpID = 0
            copy.dataLocation = .none
            copy.dependencies = []
            self.entry = copy
            dependsOnOIDs = entry.dependencies.map { id in entries.first { $0.dumpID == id }?.oid ?? 0 }
        }
        var description: String {
            "\(entry.desc.string) \(entry.tag?.string ?? "-") owner \(entry.owner?.string ?? "NULL") on \(dependsOnOIDs)"
        }
    }

    @Test("pg_dump 18's large objects become the entries pg_dump 16 wrote for the same database")
    func matchesPgDump16() throws {
        let old = try Self.entries("archives/pg16/custom-none.dump")
        let new = try Self.entries("archives/pg18/custom-none.dump")
        #expect(new.contains { $0.desc.equals("BLOB METADATA") }, "pg_dump 18 writes the 1.16 layout")
        let (rewritten, _, notices) = try Self.rewrite(new)

        let expected = Set(old.filter(Self.isLargeObjectEntry).map { LargeObjectEntry($0, in: old) })
        let actual = Set(rewritten.filter(Self.isLargeObjectEntry).map { LargeObjectEntry($0, in: rewritten) })
        #expect(actual == expected, "only ours: \(actual.subtracting(expected)); only pg_dump 16's: \(expected.subtracting(actual))")
        #expect(expected.count == 7, "4 BLOB, a COMMENT, an ACL, one BLOBS")
        // Nothing else changes, and nothing else moves relative to the rest.
        #expect(rewritten.filter { !Self.isLargeObjectEntry($0) } == new.filter { !Self.isLargeObjectEntry($0) })
        #expect(notices.count == 1)
        #expect(notices.first?.contains("2 BLOB METADATA entries") == true, "\(notices)")
    }

    @Test("the BLOBS entries become one, where the first stood, reading every group's data in order")
    func blobsMerged() throws {
        let new = try Self.entries("archives/pg18/custom-none.dump")
        let blobs = new.filter(\.isLargeObjectData)
        try #require(blobs.count == 2)
        let (rewritten, sources, _) = try Self.rewrite(new)
        let merged = rewritten.filter(\.isLargeObjectData)
        #expect(merged.map(\.dumpID) == [blobs[0].dumpID])
        // Where the first stood: after the same entries of the rest of the TOC.
        func othersBefore(_ entries: [TOCEntry]) -> [Int32] {
            Array(entries.prefix { !$0.isLargeObjectData }.filter { !Self.isLargeObjectEntry($0) }.map(\.dumpID))
        }
        #expect(othersBefore(rewritten) == othersBefore(new))
        #expect(sources[blobs[0].dumpID] == blobs)
        #expect(sources[blobs[1].dumpID] == nil)
        // Other data keeps its own source.
        for entry in new where entry.hasData && !entry.isLargeObjectData { #expect(sources[entry.dumpID] == [entry]) }
    }

    /// pg_dump 17 puts one ACL on a group of large objects with the same owner and privileges, tagged
    /// `LARGE OBJECTS first..last` and naming the first object; pg_restore issues it once per object. A comment
    /// or security label names one object.
    @Test("an ACL on a group becomes one per large object, each naming its own object")
    func groupACL() throws {
        let entries = [
            TOCEntry(dumpID: 50, tableOIDText: "2613", oidText: "100", tag: "100..102", desc: "BLOB METADATA",
                     section: .data, defn: "100\n101\n102\n", dropStmt: "-- dummy", owner: "alice"),
            TOCEntry(dumpID: 60, tag: "LARGE OBJECTS 100..102", desc: "ACL", section: .none,
                     defn: "REVOKE ALL ON LARGE OBJECT 100 FROM alice;\nGRANT SELECT ON LARGE OBJECT 100 TO bob;\n",
                     owner: "alice", dependencies: [50]),
            TOCEntry(dumpID: 61, tag: "LARGE OBJECT 101", desc: "SECURITY LABEL", section: .none,
                     defn: "SECURITY LABEL FOR x ON LARGE OBJECT 101 IS 'secret';\n", owner: "alice",
                     dependencies: [50]),
            TOCEntry(dumpID: 55, hadDumper: true, tag: "100..102", desc: "BLOBS", section: .data, owner: "alice",
                     dependencies: [50], dataLocation: .offsetNotSet),
        ]
        let (rewritten, _, _) = try Self.rewrite(entries)
        let blob = Dictionary(uniqueKeysWithValues: rewritten.filter { $0.desc.equals("BLOB") }.map { ($0.oid, $0) })
        #expect(blob.keys.sorted() == [100, 101, 102])
        #expect(blob[100]?.dumpID == 50, "the first object keeps the group's dump ID")
        for (oid, entry) in blob {
            #expect(entry.tag == ArchiveText("\(oid)"))
            #expect(entry.tableOIDText == "2613")
            #expect(entry.section == .preData)
            #expect(entry.owner == "alice")
            #expect(entry.defn == ArchiveText("SELECT pg_catalog.lo_create('\(oid)');\n"))
            #expect(entry.dropStmt == ArchiveText("SELECT pg_catalog.lo_unlink('\(oid)');\n"))
            #expect(entry.dependencies == [])
            #expect(!entry.hadDumper && !entry.hasData)
        }

        let acls = rewritten.filter { $0.desc.equals("ACL") }
        #expect(acls.map(\.tag) == ["LARGE OBJECT 100", "LARGE OBJECT 101", "LARGE OBJECT 102"])
        #expect(acls.first?.dumpID == 60)
        for (acl, oid) in zip(acls, [100, 101, 102] as [UInt32]) {
            #expect(acl.defn == ArchiveText(
                "REVOKE ALL ON LARGE OBJECT \(oid) FROM alice;\nGRANT SELECT ON LARGE OBJECT \(oid) TO bob;\n"))
            #expect(acl.dependencies == [blob[oid]!.dumpID])
            #expect(acl.owner == "alice")
        }
        let labels = rewritten.filter { $0.desc.equals("SECURITY LABEL") }
        #expect(labels.map(\.dumpID) == [61])
        #expect(labels.first?.dependencies == [blob[101]!.dumpID])
        #expect(labels.first?.defn == entries[2].defn)

        let blobs = rewritten.filter(\.isLargeObjectData)
        #expect(blobs.map(\.tag) == ["BLOBS"])
        #expect(blobs.first?.owner == nil && blobs.first?.dependencies == [] && blobs.first?.section == .data)

        // New dump IDs are above every one the archive had, and all of them are unique.
        let ids = rewritten.map(\.dumpID)
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids).subtracting(entries.map(\.dumpID)).allSatisfy { $0 > 61 })
        #expect(rewritten.count == 3 + 3 + 1 + 1)
    }

    @Test("an archive without large objects, or in the old layout already, is left as it is",
          arguments: ["archives/pg18/custom-none.dump", "archives/pg16/custom-none.dump"])
    func unchanged(_ relativePath: String) throws {
        var entries = try Self.entries(relativePath)
        if relativePath.contains("pg18") { entries.removeAll(where: Self.isLargeObjectEntry) }
        let (rewritten, sources, notices) = try Self.rewrite(entries)
        if relativePath.contains("pg16") {
            // pg_dump 16's BLOB and BLOBS entries are what the rewrite produces; it leaves them alone.
            #expect(rewritten.filter { $0.desc.equals("BLOB") }.count == 4)
        }
        #expect(rewritten == entries)
        #expect(sources.count == entries.filter(\.hasData).count)
        #expect(notices.isEmpty)
    }
}
