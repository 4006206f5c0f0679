import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// `EntryKind`: pg_dump's entry descriptions as an enum, with the text kept for any other.
@Suite struct EntryKindTests {
    @Test("each known kind's description reads back as that kind; other text is unknown, kept as it is")
    func roundTrip() {
        #expect(EntryKind.allKnown.count == Set(EntryKind.allKnown).count)
        #expect(Set(EntryKind.allKnown.map(\.desc)).count == EntryKind.allKnown.count)
        for kind in EntryKind.allKnown {
            #expect(EntryKind(desc: kind.desc) == kind)
            #expect(kind.isKnown)
        }
        #expect(EntryKind(desc: "TABLE DATA") == .tableData)
        #expect(EntryKind(desc: "FK CONSTRAINT") == .foreignKeyConstraint)
        #expect(EntryKind(desc: "SERVER") == .foreignServer)
        // pg_dump 19's dumpStatisticsExtStats.
        #expect(EntryKind(desc: "EXTENDED STATISTICS DATA") == .extendedStatisticsData)
        #expect(EntryKind(desc: "table data") == .unknown("table data"))
        #expect(EntryKind(desc: "SOMETHING NEW").desc == "SOMETHING NEW")
        #expect(!EntryKind(desc: "SOMETHING NEW").isKnown)
        #expect(EntryKind(desc: "").desc == "")
        #expect(TOCEntry(dumpID: 1, tag: "t", desc: "BLOB METADATA", section: .data).kind == .blobMetadata)
    }

    @Test("every entry of every test archive has a known kind whose description is the stored one")
    func everyFixtureEntryIsKnown() throws {
        var kinds: Set<EntryKind> = []
        for archive in Fixtures.archiveCases {
            let reader = try Archive.open(path: archive.path)
            for entry in reader.entries {
                #expect(entry.kind.isKnown, "\(archive.relativePath): entry \(entry.dumpID) \(entry.desc)")
                #expect(entry.kind.desc == entry.desc.string)
                kinds.insert(entry.kind)
            }
        }
        #expect(kinds.isSuperset(of: [.table, .tableData, .sequenceSet, .index, .foreignKeyConstraint, .acl, .comment]))
    }
}
