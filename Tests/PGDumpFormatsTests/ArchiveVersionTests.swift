import Foundation
import PGDumpCore
import PGDumpFormats
import PGDumpTestSupport
import Testing

/// Archives of every version pg_restore 18 reads, from 1.0 to 1.16, built byte by byte: the reader honours each
/// version gate. (`LiveOracleTests` lists the same archives with the real pg_restore 18, where installed.)
@Suite struct ArchiveVersionTests {
    init() { TimeZoneSetting.useUTC() }

    @Test("each version gate is read as written", arguments: SampleTOC.archiveVersions)
    func versionGates(_ version: ArchiveVersion) throws {
        let bytes = ArchiveBuilder(version: version, entries: SampleTOC.smallDatabase()).build()
        let reader = try Archive.open(source: MemoryByteSource(bytes, name: "v\(version).dump"))
        #expect(reader.header.version == version)
        #expect(reader.entries.map(\.dumpID) == [9, 3, 4, 7, 8, 5])
        let table = reader.entries[2]
        #expect(table.namespace == (version >= .v1_6 ? "app" : nil))
        #expect(table.tablespace == (version >= .v1_10 ? "" : nil))
        #expect(table.tableam == (version >= .v1_14 ? "heap" : nil))
        #expect(table.relkind == (version >= .v1_16 ? 114 : 0))
        #expect(table.dependencies == (version >= .v1_5 ? [3] : []))
        #expect(table.tableOID == (version >= .v1_8 ? 1259 : 0))
        // Sections before 1.11 are inferred from the type, as ReadToc does.
        #expect(reader.entries.map(\.section) == [.preData, .preData, .preData, .none, .data, .postData])
        #expect(reader.header.databaseName == (version >= .v1_4 ? "olddb" : nil))
        #expect(reader.header.pgDumpVersion == (version >= .v1_10 ? "9.6.24" : nil))
        // Before 1.2 the header has no compression field and gzip is implied; the builder stores raw bytes.
        #expect(reader.header.compression.algorithm == (version < .v1_2 ? .gzip : .none))
        if version >= .v1_2 {
            var sink = CollectingSink()
            try reader.streamData(of: reader.entries[4], into: &sink)
            #expect(sink.bytes == Array("1\n2\n\\.\n\n\n".utf8))
        }
    }
}
