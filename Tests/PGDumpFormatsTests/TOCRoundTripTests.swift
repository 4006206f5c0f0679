import PGDumpCore
import PGDumpTestSupport
import Testing

@testable import PGDumpFormats

/// The header and TOC written by `TOCWriter` and read back by `TOCReader`, field by field, for the archive versions
/// pg_dump 12 to 18 write (1.14, 1.15, 1.16) and for both kinds of entry tail: the custom format's data offset and
/// the directory and tar formats' file name. Each version stores exactly the fields `WriteHead` and `WriteToc`
/// write for it: 1.15 replaced the header's compression level by an algorithm byte, 1.16 added `relkind` to each
/// entry.
@Suite struct TOCRoundTripTests {
    static let versions: [ArchiveVersion] = [.v1_14, .v1_15, .v1_16]

    enum Tail: String, CaseIterable, Sendable { case offset, fileName }

    static func header(_ version: ArchiveVersion, formatByte: UInt8 = 1) -> ArchiveHeader {
        ArchiveHeader(
            version: version, intSize: 4, offSize: 8, formatByte: formatByte,
            // Before 1.15 the header stores a zlib level (-1: the default); from 1.15 an algorithm.
            compression: version >= .v1_15
                ? CompressionSpec(algorithm: .zstd) : CompressionSpec(algorithm: .gzip, storedLevel: -1),
            creationTime: CreationTime(
                second: 59, minute: 58, hour: 23, dayOfMonth: 31, month: 11, yearsSince1900: 124, isDST: 0),
            databaseName: "shop é", serverVersion: "16.4 (Debian 16.4-1.pgdg120+1)", pgDumpVersion: "18.1")
    }

    /// A definition larger than the reader's buffer, so that its entry is read field by field.
    static let hugeDefinition = ArchiveText("SELECT '" + String(repeating: "x", count: 3 << 19) + "';\n")

    /// Entries with every field set, NULL and empty strings, each section, and each kind of data location.
    static func entries(tail: Tail) -> [TOCEntry] {
        [
            TOCEntry(dumpID: 4000, tag: "ENCODING", desc: "ENCODING", section: .preData,
                     defn: "SET client_encoding = 'LATIN1';\n", owner: ""),
            TOCEntry(dumpID: 4001, tag: "STDSTRINGS", desc: "STDSTRINGS", section: .preData,
                     defn: "SET standard_conforming_strings = 'off';\n", owner: ""),
            TOCEntry(dumpID: 4002, tag: "SEARCHPATH", desc: "SEARCHPATH", section: .preData,
                     defn: "SELECT pg_catalog.set_config('search_path', '', false);\n", owner: ""),
            TOCEntry(dumpID: 3, hadDumper: false, tableOIDText: "1259", oidText: "16386", tag: "Odd \"Name\" é",
                     desc: "TABLE", section: .preData, defn: "CREATE TABLE app.\"Odd \"\"Name\"\" é\" (\n    id integer\n);\n",
                     dropStmt: "DROP TABLE app.\"Odd \"\"Name\"\" é\";\n", namespace: "app", tablespace: "fast",
                     tableam: "heap", relkind: 114, owner: "alice", withOids: "false",
                     dependencies: [1, 2, 2_147_483_647]),
            TOCEntry(dumpID: 7, hadDumper: true, tableOIDText: "0", oidText: "16386", tag: "Odd \"Name\" é",
                     desc: "TABLE DATA", section: .data, defn: "", dropStmt: "",
                     copyStmt: "COPY app.\"Odd \"\"Name\"\" é\" (id) FROM stdin;\n", namespace: "app",
                     tablespace: "", tableam: nil, relkind: 0, owner: "alice", dependencies: [3],
                     dataLocation: tail == .offset ? .offset(123_456_789_012) : .file("7.dat")),
            TOCEntry(dumpID: 8, hadDumper: true, tableOIDText: "0", oidText: "0", tag: "BLOBS", desc: "BLOBS",
                     section: .data, owner: nil,
                     dataLocation: tail == .offset ? .offsetNotSet : .file("blobs_8.toc")),
            TOCEntry(dumpID: 9, tableOIDText: nil, oidText: nil, tag: nil, desc: "COMMENT", section: .none,
                     defn: nil, dropStmt: nil, namespace: nil, tablespace: nil, tableam: nil, relkind: 118, owner: nil,
                     withOids: nil, dependencies: []),
            TOCEntry(dumpID: 10, tableOIDText: "1259", oidText: "16390", tag: "big_view", desc: "VIEW",
                     section: .preData, defn: hugeDefinition, namespace: "app", tablespace: "", tableam: "",
                     relkind: 118, owner: "bob", dependencies: [3]),
            TOCEntry(dumpID: 11, tableOIDText: "1259", oidText: "16391", tag: "items_idx", desc: "INDEX",
                     section: .postData, defn: "CREATE INDEX items_idx ON app.t (id);\n", namespace: "app",
                     tablespace: "fast", relkind: 105, owner: "alice", dependencies: [3]),
            TOCEntry(dumpID: 12, tag: "odd", desc: "FUNCTION", section: Section(rawValue: 7),
                     defn: "CREATE FUNCTION odd() ...;\n", namespace: "app", owner: "alice"),
        ]
    }

    /// The header and TOC as a format writes them.
    static func encode(_ entries: [TOCEntry], header: ArchiveHeader, tail: Tail) -> [UInt8] {
        TOCWriter.encodeHeader(header) + TOCWriter.encodeTOC(entries, header: header) { entry, encoder in
            switch (tail, entry.dataLocation) {
            case (.offset, .offset(let position)): encoder.writePGOffset(.set(position))
            case (.offset, .offsetNotSet): encoder.writePGOffset(.notSet)
            case (.offset, _): encoder.writePGOffset(.noData)
            case (.fileName, .file(let name)): encoder.writePGString(name)
            case (.fileName, _): encoder.writePGString(ArchiveText(""))
            }
        }
    }

    static func read(_ bytes: [UInt8], tail: Tail, seekable: Bool = true) throws -> TableOfContents {
        let source = MemoryByteSource(bytes, name: "toc.dat", seekable: seekable, maximumReadSize: seekable ? .max : 4093)
        return try TOCReader.readHeaderAndTOC(
            from: BufferedReader(source: source), expecting: tail == .offset ? .custom : .directory, limits: .default,
            dataLocation: tail == .offset ? .offset : .fileName)
    }

    @Test("every field of every entry reads back as written", arguments: versions, Tail.allCases)
    func fieldByField(_ version: ArchiveVersion, _ tail: Tail) throws {
        let header = Self.header(version, formatByte: tail == .offset ? 1 : 3)
        let written = Self.entries(tail: tail)
        let toc = try Self.read(Self.encode(written, header: header, tail: tail), tail: tail)
        #expect(toc.header == header)
        #expect(toc.warnings.isEmpty)
        try #require(toc.entries.count == written.count)
        for (read, entry) in zip(toc.entries, written) {
            let label = "entry \(entry.dumpID), \(version)"
            #expect(read.dumpID == entry.dumpID, "\(label)")
            #expect(read.hadDumper == entry.hadDumper, "\(label)")
            #expect(read.tableOIDText == entry.tableOIDText, "\(label)")
            #expect(read.oidText == entry.oidText, "\(label)")
            #expect(read.tag == entry.tag, "\(label)")
            #expect(read.desc == entry.desc, "\(label)")
            #expect(read.section == entry.section, "\(label)")
            #expect(read.sectionIsStored, "\(label)")
            #expect(read.defn == entry.defn, "\(label)")
            #expect(read.dropStmt == entry.dropStmt, "\(label)")
            #expect(read.copyStmt == entry.copyStmt, "\(label)")
            #expect(read.namespace == entry.namespace, "\(label)")
            #expect(read.tablespace == entry.tablespace, "\(label)")
            #expect(read.tableam == entry.tableam, "\(label)")
            // relkind exists from 1.16; before, it reads as 0.
            #expect(read.relkind == (version >= .v1_16 ? entry.relkind : 0), "\(label)")
            #expect(read.owner == entry.owner, "\(label)")
            // pg_dump 12 and later always write "false"; so does the writer for an entry that has none.
            #expect(read.withOids == (entry.withOids ?? "false"), "\(label)")
            #expect(read.dependencies == entry.dependencies, "\(label)")
            #expect(read.dataLocation == entry.dataLocation, "\(label)")
        }
        // The special entries set the session as pg_restore's ReadToc does.
        #expect(toc.settings.encoding.name == "LATIN1")
        #expect(toc.settings.standardConformingStrings == false)
        #expect(toc.settings.searchPath == "SELECT pg_catalog.set_config('search_path', '', false);\n")
    }

    @Test("the same TOC read through a pipe in small pieces", arguments: versions)
    func throughAPipe(_ version: ArchiveVersion) throws {
        let header = Self.header(version)
        let bytes = Self.encode(Self.entries(tail: .offset), header: header, tail: .offset)
        let seekable = try Self.read(bytes, tail: .offset)
        let piped = try Self.read(bytes, tail: .offset, seekable: false)
        #expect(piped.header == seekable.header)
        #expect(piped.entries == seekable.entries)
        #expect(piped.settings == seekable.settings)
    }

    @Test("the header stores the fields of its version, in WriteHead's layout", arguments: versions)
    func headerLayout(_ version: ArchiveVersion) {
        let bytes = TOCWriter.encodeHeader(Self.header(version))
        // "PGDMP", major, minor, revision, intSize, offSize, format.
        #expect(Array(bytes.prefix(11)) == Array("PGDMP".utf8) + [1, version.minor, 0, 4, 8, 1])
        if version >= .v1_15 {
            #expect(bytes[11] == CompressionAlgorithm.zstd.rawValue)
        } else {
            // The level as an int: a sign byte (1: negative) and four bytes of magnitude.
            #expect(Array(bytes[11..<16]) == [1, 1, 0, 0, 0])
        }
        let afterCompression = version >= .v1_15 ? 12 : 16
        // The creation time: seven ints, seconds first.
        #expect(Array(bytes[afterCompression..<(afterCompression + 5)]) == [0, 59, 0, 0, 0])
    }

    @Test("each version's TOC differs from the one before by exactly the fields it added")
    func versionsDiffer() {
        let entries = Self.entries(tail: .offset)
        func tocBytes(_ version: ArchiveVersion) -> [UInt8] {
            TOCWriter.encodeTOC(entries, header: Self.header(version)) { _, encoder in encoder.writePGOffset(.noData) }
        }
        // 1.15 changed only the header.
        #expect(tocBytes(.v1_15) == tocBytes(.v1_14))
        #expect(TOCWriter.encodeHeader(Self.header(.v1_14)).count - TOCWriter.encodeHeader(Self.header(.v1_15)).count == 4)
        // 1.16 added relkind, one int (a sign byte and four bytes) per entry.
        #expect(tocBytes(.v1_16).count - tocBytes(.v1_15).count == entries.count * 5)
    }

    @Test("a header written for one format is refused by another")
    func formatByte() throws {
        let bytes = Self.encode(Self.entries(tail: .offset), header: Self.header(.v1_16, formatByte: 1), tail: .offset)
        let error = #expect(throws: PGDumpError.self) { _ = try Self.read(bytes, tail: .fileName) }
        #expect(error?.message == "expected format (3) differs from format found in file (1)")
    }
}
