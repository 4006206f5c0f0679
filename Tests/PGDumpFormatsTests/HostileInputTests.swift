import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Inputs that real pg_dump never writes but pg_restore still reads (or refuses), and reads that split the
/// input at awkward places.
@Suite struct HostileInputTests {
    init() { TimeZoneSetting.useUTC() }

    static func entries() -> [(TOCEntry, [UInt8]?)] { SampleTOC.smallDatabase() }

    static func listing(_ reader: any ArchiveReader) -> String {
        String(decoding: ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count),
            as: UTF8.self)
    }

    @Test("a pipe that returns few bytes at a time still streams every block", arguments: [1, 7, 100, 4093])
    func smallPipeReads(_ readSize: Int) throws {
        for relativePath in ["archives/pg17/custom-pipe.dump", "archives/pg17/custom-default.dump", "archives/pg15/tar.tar"] {
            let path = Fixtures.testdata.appendingPathComponent(relativePath).path
            let reference = try ArchiveDigests.of(try Archive.open(path: path))
            let pipe = MemoryByteSource(
                try Fixtures.bytes(URL(fileURLWithPath: path)), name: "-", seekable: false, maximumReadSize: readSize)
            #expect(try ArchiveDigests.of(try Archive.open(source: pipe)) == reference, "\(relativePath)")
        }
    }

    @Test("strings end at an embedded NUL, as C strings do in pg_restore")
    func embeddedNUL() throws {
        var entries = Self.entries()
        entries[1].0.tag = ArchiveText(bytes: Array("app".utf8) + [0] + Array("hidden".utf8))
        let reader = try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build()))
        #expect(reader.entries[1].tag == "app")
    }

    @Test("OIDs and dependencies parse as glibc's sscanf does")
    func scanfEdges() throws {
        var entries = Self.entries()
        entries[2].0.oidText = "99999999999999999999"
        entries[3].0.oidText = "-1"
        entries[4].0.tableOIDText = "4294967297"
        let reader = try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build()))
        #expect(reader.entries[2].oid == 4_294_967_295)
        #expect(reader.entries[3].oid == 4_294_967_295)
        #expect(reader.entries[4].tableOID == 1)
    }

    @Test("a malformed ENCODING or STDSTRINGS entry is refused as pg_restore refuses it")
    func specialEntries() throws {
        var entries = Self.entries()
        entries[0].0.defn = "SET client_encoding = 'UTX8';\n"
        let unknown = #expect(throws: PGDumpError.self) {
            _ = try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build(), name: "e.dump"))
        }
        #expect(unknown?.description == "e.dump: unrecognized encoding \"UTX8\" (entry 9)")
        entries[0].0.defn = "SET client_encoding = 'iso-8859-1';\n"
        let reader = try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build()))
        #expect(reader.sessionSettings.encoding.name == "LATIN1")
        entries[0].0 = TOCEntry(dumpID: 9, tag: "STDSTRINGS", desc: "STDSTRINGS", section: .preData, defn: "SET standard_conforming_strings = 'maybe';\n")
        #expect(throws: PGDumpError.self) {
            _ = try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build()))
        }
    }

    @Test("an unknown section is kept, and the entry is not listed")
    func unknownSection() throws {
        var entries = Self.entries()
        entries[5].0.section = Section(rawValue: 9)
        let reader = try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build()))
        #expect(reader.entries[5].section.rawValue == 9)
        #expect(!Self.listing(reader).contains("INDEX"))
    }

    @Test("a NULL pg_dump version in a 1.10+ header prints no line")
    func nullDumpVersion() throws {
        var builder = ArchiveBuilder(version: .v1_16, entries: Self.entries())
        builder.header.pgDumpVersion = nil
        let reader = try Archive.open(source: MemoryByteSource(builder.build()))
        #expect(!Self.listing(reader).contains("Dumped by pg_dump version"))
    }

    @Test("a tar member declaring an enormous size is refused, on a pipe too")
    func enormousTarMember() throws {
        var bytes = try Fixtures.bytes(Fixtures.testdata.appendingPathComponent("archives/pg15/tar.tar"))
        // GNU base-256 size field: 0x80 then 11 bytes, here Int64.max.
        bytes[124] = 0x80
        for index in 125..<128 { bytes[index] = 0 }
        bytes[128] = 0x7f
        for index in 129..<136 { bytes[index] = 0xff }
        CraftedBytes.fixTarChecksum(&bytes, at: 0)
        for seekable in [true, false] {
            let error = #expect(throws: PGDumpError.self) {
                _ = try Archive.open(source: MemoryByteSource(bytes, name: "t.tar", seekable: seekable))
            }
            #expect(error?.kind == .corrupt || error?.kind == .truncated, "\(String(describing: error))")
        }
    }

    @Test("members before toc.dat are skipped, as pg_restore skips them")
    func leadingTarMember() throws {
        let original = try Fixtures.bytes(Fixtures.testdata.appendingPathComponent("archives/pg15/tar.tar"))
        var extra = [UInt8](repeating: 0, count: 1024)
        for (index, byte) in "README".utf8.enumerated() { extra[index] = byte }
        extra.replaceSubrange(100..<108, with: Array("0000644 ".utf8))
        extra.replaceSubrange(124..<136, with: Array("00000000005 ".utf8))
        extra[156] = UInt8(ascii: "0")
        extra.replaceSubrange(257..<265, with: Array("ustar  \u{0}".utf8))
        CraftedBytes.fixTarChecksum(&extra, at: 0)
        extra.replaceSubrange(512..<517, with: Array("hello".utf8))
        let reader = try Archive.open(source: MemoryByteSource(extra + original, name: "t.tar"))
        let plain = try Archive.open(source: MemoryByteSource(original))
        #expect(reader.entries == plain.entries)
        #expect(try ArchiveDigests.of(reader) == ArchiveDigests.of(plain))
    }

    @Test("after a failure on a pipe, later requests fail the same way")
    func stickyErrors() throws {
        let bytes = try Fixtures.bytes(Fixtures.testdata.appendingPathComponent("archives/pg18/custom-pipe.dump"))
        let reader = try Archive.open(source: MemoryByteSource(bytes, name: "-", seekable: false))
        let data = reader.entries.filter(\.hasData)
        var sink = DigestSink()
        try reader.streamData(of: data[data.count - 1], into: &sink)
        let error = #expect(throws: PGDumpError.self) { try reader.streamData(of: data[0], into: &sink) }
        #expect(error?.kind == .outOfOrder)
        let again = #expect(throws: PGDumpError.self) { try reader.streamData(of: data[1], into: &sink) }
        #expect(error == again)
    }
}
