import Foundation
import PGDumpCore
import PGDumpFormats
import PGDumpTestSupport
import Testing

/// Every archive pg_dump wrote of the same database, whatever its format or compression, must yield the same
/// data, entry by entry, through every way of reading it.
@Suite struct DataConsistencyTests {
    static let groups = Array(Set(Fixtures.archiveCases.map(\.dataGroup))).sorted()

    @Test("all formats and compressions of one dump hold the same data", arguments: groups)
    func sameDataAcrossFormats(_ group: String) throws {
        let cases = Fixtures.archiveCases.filter { $0.dataGroup == group && $0.name != "custom-statistics" }
        let reference = try ArchiveDigests.of(try Archive.open(path: cases[0].path))
        #expect(!reference.isEmpty)
        if group.hasSuffix("/main") {
            #expect(reference.values.contains { !$0.largeObjects.isEmpty }, "the fixtures have large objects")
        }
        for archive in cases.dropFirst() {
            let digests = try ArchiveDigests.of(try Archive.open(path: archive.path))
            #expect(digests == reference, "\(archive.relativePath) differs from \(cases[0].relativePath)")
        }
    }

    @Test(
        "custom and tar archives read through a pipe give the same data",
        arguments: Fixtures.archiveCases.filter { $0.format != "directory" })
    func pipeReading(_ archive: Fixtures.ArchiveCase) throws {
        let pipe = MemoryByteSource(
            try Fixtures.bytes(URL(fileURLWithPath: archive.path)), name: "-", seekable: false, maximumReadSize: 65521)
        let streamed = try ArchiveDigests.of(try Archive.open(source: pipe))
        #expect(streamed == (try ArchiveDigests.of(try Archive.open(path: archive.path))))
    }

    @Test("random access reads entries in any order", arguments: Fixtures.archiveCases.filter { !$0.piped })
    func reverseOrder(_ archive: Fixtures.ArchiveCase) throws {
        let forward = try ArchiveDigests.of(try Archive.open(path: archive.path))
        let reader = try Archive.open(path: archive.path)
        #expect(reader.supportsRandomAccess)
        for entry in reader.entries.reversed() where entry.hasData {
            var sink = DigestSink()
            try reader.streamData(of: entry, into: &sink)
            #expect(ArchiveDigests.Digest(sink) == forward[entry.dumpID])
        }
    }

    @Test("a piped custom archive without offsets is read back by scanning, in any order")
    func scanningWithoutOffsets() throws {
        let path = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-pipe.dump").path
        let reader = try Archive.open(path: path)
        #expect(reader.entries.allSatisfy { $0.dataLocation != .offset(0) })
        let reference = try ArchiveDigests.of(try Archive.open(path: path))
        for entry in reader.entries.reversed() where entry.hasData {
            var sink = DigestSink()
            try reader.streamData(of: entry, into: &sink)
            #expect(sink.digest == reference[entry.dumpID]?.digest)
        }
    }

    @Test("a pipe cannot go back")
    func pipeRefusesOutOfOrder() throws {
        let path = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-pipe.dump").path
        let reader = try Archive.open(
            source: MemoryByteSource(try Fixtures.bytes(URL(fileURLWithPath: path)), name: "-", seekable: false))
        let withData = reader.entries.filter(\.hasData)
        var sink = DigestSink()
        try reader.streamData(of: withData[withData.count - 1], into: &sink)
        let error = #expect(throws: PGDumpError.self) { try reader.streamData(of: withData[0], into: &sink) }
        #expect(error?.kind == .outOfOrder)
    }

    @Test("large objects hold what the fixture stored", arguments: ["archives/pg18/custom-default.dump", "archives/pg15/directory-default", "archives/pg17/directory-lz4", "archives/pg16/tar.tar"])
    func largeObjectContents(_ relativePath: String) throws {
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent(relativePath).path)
        var sink = CollectingSink()
        for entry in reader.entries where entry.isLargeObjectData && entry.hasData {
            try reader.streamData(of: entry, into: &sink)
        }
        let contents = sink.largeObjects.map(\.bytes)
        #expect(contents.contains(Array("Hello, large object!\nZweite Zeile: äöü\n".utf8)))
        #expect(contents.contains([0x00, 0xff, 0x00, 0xff]))
        #expect(contents.contains([]))
        #expect(contents.contains { $0.count > 40_000 })
    }
}
