import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Bad archives seen through the operations: what `list` and the summary make of archives that the reader
/// accepts but pg_dump never writes, or that lack a data file, and a sweep that lists every truncation and
/// single-byte change of small archives. An error or pg_restore's output, and never a crash.
///
/// How the format drivers read such archives is in `FormatBadInputTests`.
@Suite struct OperationBadInputTests {
    init() { TimeZoneSetting.useUTC() }

    static func listing(_ reader: any ArchiveReader) -> String {
        String(decoding: ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count),
            as: UTF8.self)
    }

    @Test("an unknown section is kept, and the entry is not listed")
    func unknownSection() throws {
        var entries = SampleTOC.smallDatabase()
        entries[5].0.section = Section(rawValue: 9)
        let reader = try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build()))
        #expect(reader.entries[5].section.rawValue == 9)
        #expect(!Self.listing(reader).contains("INDEX"))
    }

    @Test("a NULL pg_dump version in a 1.10+ header prints no line")
    func nullDumpVersion() throws {
        var builder = ArchiveBuilder(version: .v1_16, entries: SampleTOC.smallDatabase())
        builder.header.pgDumpVersion = nil
        let reader = try Archive.open(source: MemoryByteSource(builder.build()))
        #expect(!Self.listing(reader).contains("Dumped by pg_dump version"))
    }

    @Test("a directory archive missing a data file still has a summary, which names what is missing")
    func summaryOfDirectoryMissingData() throws {
        let source = Fixtures.testdata.appendingPathComponent("archives/pg18/directory-default")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-test-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }

        let reader = try Archive.open(path: copy.path)
        let entry = try #require(reader.entries.first { $0.desc.equals("TABLE DATA") && $0.hasData })
        try FileManager.default.removeItem(at: copy.appendingPathComponent("\(entry.dumpID).dat.gz"))
        // A summary needs no data: it describes the archive and names what is missing.
        let summary = try ArchiveSummary(reader: reader)
        #expect(summary.missingData.map(\.kind) == [.missingMember])
        #expect(summary.storedDataSize == nil)
    }

    /// Opens and lists, for the sweep: errors are expected; crashes and hangs are the failures.
    static func listEverything(_ bytes: [UInt8], seekable: Bool) {
        guard let reader = try? Archive.open(source: MemoryByteSource(bytes, name: "sweep", seekable: seekable)) else {
            return
        }
        _ = ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
    }

    @Test("every truncation and every single-byte change of small archives lists or fails, never crashes",
          .timeLimit(.minutes(3)))
    func listingSweep() throws {
        try ArchiveSweep.forEachDamagedCopy { bytes, seekable in Self.listEverything(bytes, seekable: seekable) }
    }
}
