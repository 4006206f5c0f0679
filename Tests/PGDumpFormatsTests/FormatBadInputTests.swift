import Foundation
import PGDumpCodecs
import PGDumpCore
import PGDumpFormats
import PGDumpTestSupport
import Testing

/// Bad input to the format drivers and the TOC reader, which must answer each with pg_restore's answer or a
/// typed error naming the file, quickly, and never crash:
///
/// - broken and foreign files: truncations, flipped bytes, other kinds of file, unsupported versions, damaged tar
///   members and directories;
/// - what real pg_dump never writes but pg_restore still reads (or refuses), and reads that split the input at
///   awkward places;
/// - archives built to attack the reader: absurd lengths and counts, decompression bombs, paths that leave the
///   archive, and a sweep of truncations and single-byte changes.
///
/// What the operations make of such archives is in `OperationBadInputTests`; damaged compressed streams on their
/// own are in `CodecBadInputTests`.
@Suite struct FormatBadInputTests {
    static func open(_ bytes: [UInt8], name: String = "broken.dump") throws -> any ArchiveReader {
        try Archive.open(source: MemoryByteSource(bytes, name: name))
    }

    /// Reads everything an archive holds, as a reader of it would.
    static func readAll(_ reader: any ArchiveReader) throws {
        for entry in reader.entries where entry.hasData {
            var sink = DigestSink()
            try reader.streamData(of: entry, into: &sink)
        }
    }

    /// An archive with 8-byte integers, so that lengths and counts beyond 32 bits can be written.
    static func wideArchive() -> ArchiveBuilder {
        var builder = ArchiveBuilder(version: .v1_16, entries: SampleTOC.smallDatabase())
        builder.header.intSize = 8
        return builder
    }

    /// Offset of the first string length after the header (the first TOC entry's tableoid).
    static func firstStringLengthOffset(_ builder: ArchiveBuilder) -> Int {
        var header = builder
        header.entries = []
        // header + count(9) + dumpId(9) + hadDumper(9)
        return header.build().count - 9 + 9 + 9 + 9
    }

    /// Opens and reads everything, for the sweep: errors are expected; crashes and hangs are the failures.
    static func readEverything(_ bytes: [UInt8], seekable: Bool) {
        guard let reader = try? Archive.open(source: MemoryByteSource(bytes, name: "sweep", seekable: seekable)) else {
            return
        }
        for entry in reader.entries where entry.hasData {
            var sink = DigestSink()
            _ = try? reader.streamData(of: entry, into: &sink)
        }
    }

    // MARK: - Broken and foreign files

    @Test("every truncation of the header and TOC is an error naming file and offset", arguments: [
        "archives/pg18/custom-none.dump", "archives/pg15/custom-default.dump", "archives/pg16/tar.tar",
    ])
    func truncatedHeaderAndTOC(_ relativePath: String) throws {
        let bytes = try CraftedBytes.testdata(relativePath)
        let reader = try Self.open(bytes)
        // The TOC ends where the first data block begins (custom) or with the toc.dat member (tar).
        let tocEnd: Int
        if reader.format == .tar {
            let sizeField = String(decoding: bytes[124..<135], as: UTF8.self)
            tocEnd = 512 + Int(sizeField, radix: 8)!
        } else {
            tocEnd = reader.entries.compactMap { entry -> Int? in
                if case .offset(let offset) = entry.dataLocation { return Int(offset) }
                return nil
            }.min()!
        }
        var cut = 0
        while cut < min(tocEnd, bytes.count) {
            let error = #expect(throws: PGDumpError.self, "cut at \(cut)") {
                _ = try Self.open(Array(bytes[0..<cut]))
            }
            #expect(error?.file == "broken.dump", "cut at \(cut): \(String(describing: error))")
            if cut >= 5 && relativePath.hasSuffix(".dump") {
                #expect(error?.kind == .truncated, "cut at \(cut): \(String(describing: error))")
                #expect(error?.offset != nil, "cut at \(cut): \(String(describing: error))")
            }
            cut += cut < 512 ? 1 : 61
        }
    }

    @Test("truncated data is an error when the data is read", arguments: [
        "archives/pg18/custom-default.dump", "archives/pg18/custom-none.dump", "archives/pg17/custom-zstd.dump",
        "archives/pg17/custom-lz4.dump", "archives/pg18/tar.tar",
    ])
    func truncatedData(_ relativePath: String) throws {
        let bytes = try CraftedBytes.testdata(relativePath)
        for fraction in [0.5, 0.8, 0.97] {
            let cut = Int(Double(bytes.count) * fraction)
            let error = #expect(throws: PGDumpError.self, "cut at \(cut)") {
                try Self.readAll(try Self.open(Array(bytes[0..<cut])))
            }
            #expect(error?.file == "broken.dump")
        }
    }

    /// gzip streams carry a checksum, so damage is always detected. pg_dump's lz4 and zstd frames carry none:
    /// damage is detected when it breaks the frame's structure, and otherwise changes the data.
    @Test("a flipped byte in compressed data fails its codec's checks or changes the data", arguments: [
        "archives/pg18/custom-default.dump", "archives/pg17/custom-zstd.dump", "archives/pg17/custom-lz4.dump",
    ])
    func corruptCompressedData(_ relativePath: String) throws {
        var bytes = try CraftedBytes.testdata(relativePath)
        let reader = try Self.open(bytes)
        // Damage the middle of the largest block.
        let sizes = try reader.storedSizes().sizes
        let (dumpID, size) = sizes.max { $0.value < $1.value }!
        guard case .offset(let offset) = reader.entry(withDumpID: dumpID)!.dataLocation else {
            Issue.record("no offset")
            return
        }
        var original = DigestSink()
        try reader.streamData(of: reader.entry(withDumpID: dumpID)!, into: &original)
        bytes[Int(offset) + Int(size) / 2] ^= 0x5A
        let damaged = try Self.open(bytes)
        var sink = DigestSink()
        do {
            try damaged.streamData(of: damaged.entry(withDumpID: dumpID)!, into: &sink)
            #expect(reader.header.compression.algorithm != .gzip, "gzip damage must be detected")
            #expect(sink.digest != original.digest)
        } catch let error as PGDumpError {
            #expect(error.kind == .codec || error.kind == .corrupt, "\(error)")
            #expect(error.dumpID == dumpID)
            #expect(error.file == "broken.dump")
        }
    }

    @Test("inputs that are not archives say what they are")
    func notArchives() throws {
        let empty = #expect(throws: PGDumpError.self) { _ = try Self.open([], name: "empty") }
        #expect(empty?.description == "empty: input file is too short (read 0, expected 5)")

        // A pg_dump script is read (PlainScriptTests); one cut after its preamble has no entries and says so.
        let text = Array("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n".utf8)
        let plain = try Self.open(text, name: "dump.sql")
        #expect(plain.format == .plain)
        #expect(plain.entries.isEmpty)
        #expect(plain.warnings.map(\.message) == [
            "dump.sql: the script ends without \"-- PostgreSQL database dump complete\": it is truncated (at offset 62)"
        ])
        let other = #expect(throws: PGDumpError.self) { _ = try Self.open(Array("SELECT 1;\n".utf8), name: "q.sql") }
        #expect(other?.description.hasPrefix("q.sql: input file is text but not a pg_dump script") == true)

        let short = #expect(throws: PGDumpError.self) { _ = try Self.open(Array("hello world".utf8), name: "x") }
        #expect(short?.description == "x: input file does not appear to be a valid archive (too short?)")

        let noise = #expect(throws: PGDumpError.self) {
            _ = try Self.open((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, name: "noise")
        }
        #expect(noise?.description == "noise: input file does not appear to be a valid tar archive")
        #expect(noise?.kind == .notAnArchive)
    }

    @Test("a compressed archive is recognised and the advice says how to read it")
    func compressedArchive() throws {
        let archive = try CraftedBytes.testdata("archives/pg18/custom-none.dump")
        let gzipped = try CraftedBytes.run("/bin/gzip", ["-c"], input: archive)
        let error = #expect(throws: PGDumpError.self) { _ = try Self.open(gzipped, name: "a.dump.gz") }
        #expect(error?.kind == .notAnArchive)
        #expect(error?.description.contains("gzip-compressed") == true)
        #expect(error?.description.contains("custom-format pg_dump archive") == true)

        let text = Array("--\n-- PostgreSQL database dump\n--\n\nSET x = 1;\n".utf8)
        let gzippedText = try CraftedBytes.run("/bin/gzip", ["-c"], input: text)
        // A compressed pg_dump script is read through the codec (PlainScriptTests).
        let plain = try Self.open(gzippedText, name: "d.sql.gz")
        #expect(plain.format == .plain)
    }

    @Test("an archive version pg_restore 18 does not read is refused")
    func unsupportedVersion() throws {
        var bytes = try CraftedBytes.testdata("archives/pg18/custom-none.dump")
        bytes[6] = 17
        let error = #expect(throws: PGDumpError.self) { _ = try Self.open(bytes) }
        #expect(error?.kind == .unsupportedVersion)
        #expect(error?.description == "broken.dump: unsupported version (1.17) in file header (at offset 5)")
    }

    @Test("a custom archive forced to be read as tar fails on the format byte")
    func formatMismatch() throws {
        var bytes = try CraftedBytes.testdata("archives/pg18/custom-none.dump")
        bytes[10] = 3
        let error = #expect(throws: PGDumpError.self) { _ = try Self.open(bytes) }
        #expect(error?.description.contains("expected format (1) differs from format found in file (3)") == true)
    }

    @Test("tar members must be intact and toc.dat must come first")
    func brokenTar() throws {
        var bytes = try CraftedBytes.testdata("archives/pg18/tar.tar")
        bytes[0] = UInt8(ascii: "x")  // renames toc.dat and breaks the checksum
        let renamed = #expect(throws: PGDumpError.self) { _ = try Self.open(bytes) }
        #expect(renamed?.kind == .notAnArchive)

        // A symbolic-link member where a data file should be.
        var linked = try CraftedBytes.testdata("archives/pg18/tar.tar")
        let reader = try Self.open(linked)
        let entry = reader.entries.first { $0.desc.equals("TABLE DATA") && $0.hasData }!
        let name = Array("\(entry.dumpID).dat".utf8)
        let headerStart = CraftedBytes.tarHeader(startingWith: name + [0], in: linked)!
        linked[headerStart + 156] = UInt8(ascii: "2")
        CraftedBytes.fixTarChecksum(&linked, at: headerStart)
        let error = #expect(throws: PGDumpError.self) {
            var sink = DigestSink()
            try Self.open(linked).streamData(of: entry, into: &sink)
        }
        #expect(error?.description.contains("is not a regular file") == true)
    }

    @Test("a directory without toc.dat, or missing a data file, is an error naming the file")
    func brokenDirectory() throws {
        let source = Fixtures.testdata.appendingPathComponent("archives/pg18/directory-default")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-test-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }

        let reader = try Archive.open(path: copy.path)
        let entry = reader.entries.first { $0.desc.equals("TABLE DATA") && $0.hasData }!
        try FileManager.default.removeItem(at: copy.appendingPathComponent("\(entry.dumpID).dat.gz"))
        let missing = #expect(throws: PGDumpError.self) {
            var sink = DigestSink()
            try reader.streamData(of: entry, into: &sink)
        }
        #expect(missing?.kind == .missingMember)
        #expect(missing?.file == copy.path)
        #expect(missing?.description.contains("data file \(entry.dumpID).dat is missing") == true)
        // (What a summary of this archive says is in OperationBadInputTests.)

        try FileManager.default.removeItem(at: copy.appendingPathComponent("toc.dat"))
        let noTOC = #expect(throws: PGDumpError.self) { _ = try Archive.open(path: copy.path) }
        #expect(noTOC?.description == "\(copy.path): directory does not appear to be a valid archive (\"toc.dat\" does not exist)")
    }

    // MARK: - What pg_dump never writes, and awkward reads

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
        var entries = SampleTOC.smallDatabase()
        entries[1].0.tag = ArchiveText(bytes: Array("app".utf8) + [0] + Array("hidden".utf8))
        let reader = try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build()))
        #expect(reader.entries[1].tag == "app")
    }

    @Test("OIDs and dependencies parse as glibc's sscanf does")
    func scanfEdges() throws {
        var entries = SampleTOC.smallDatabase()
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
        var entries = SampleTOC.smallDatabase()
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

    // MARK: - Archives crafted to attack the reader

    @Test("a string length of 2^62 is refused before anything is allocated")
    func hugeStringLength() throws {
        let builder = Self.wideArchive()
        var bytes = builder.build()
        let offset = Self.firstStringLengthOffset(builder)
        #expect(bytes[offset] == 0)
        bytes.replaceSubrange((offset + 1)..<(offset + 9), with: [0, 0, 0, 0, 0, 0, 0, 0x40])
        let error = #expect(throws: PGDumpError.self) { _ = try Self.open(bytes, name: "crafted.dump") }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.contains("does not fit in 32 bits") == true, "\(String(describing: error))")
        #expect(error?.offset == Int64(offset))
    }

    @Test("a TOC entry count of 2^31 is refused")
    func hugeEntryCount() throws {
        let builder = Self.wideArchive()
        var bytes = builder.build()
        let countOffset = Self.firstStringLengthOffset(builder) - 27
        bytes.replaceSubrange((countOffset + 1)..<(countOffset + 9), with: [0, 0, 0, 0x80, 0, 0, 0, 0])
        let error = #expect(throws: PGDumpError.self) { _ = try Self.open(bytes, name: "crafted.dump") }
        #expect(error?.message.contains("TOC entry count") == true, "\(String(describing: error))")

        // Within 32 bits but beyond what the file can hold: refused by size, not by allocating.
        var narrow = ArchiveBuilder(version: .v1_16, entries: SampleTOC.smallDatabase()).build()
        let narrowCount = ArchiveBuilder.headerLength(version: .v1_16)
        narrow.replaceSubrange((narrowCount + 1)..<(narrowCount + 5), with: [0xff, 0xff, 0xff, 0x7f])
        let limited = #expect(throws: PGDumpError.self) { _ = try Self.open(narrow) }
        #expect(limited?.kind == .limitExceeded || limited?.kind == .truncated, "\(String(describing: limited))")
    }

    @Test("a data block that inflates 1000:1 streams in bounded pieces")
    func decompressionBomb() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-bomb-\(UUID()).dump").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let entries = SampleTOC.smallDatabase().map(\.0)
        let header = ArchiveHeader(
            version: .v1_16, formatByte: 1, compression: CompressionSpec(algorithm: .gzip), creationTime: nil,
            databaseName: "bomb", serverVersion: "18", pgDumpVersion: "18")
        var withData = entries
        for index in withData.indices { withData[index].dataLocation = withData[index].hadDumper ? .offsetNotSet : .none }
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let writer = try CustomArchiveWriter(
            output: OutputFile(descriptor: handle.fileDescriptor, name: path), header: header, entries: withData,
            compression: CompressionChoice(algorithm: .gzip, level: 9))
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        for entry in withData where entry.hasData {
            try writer.beginData(of: entry)
            for _ in 0..<200 { try zeros.withUnsafeBytes { try writer.write($0) } }
            try writer.endData()
        }
        try writer.finish()
        try handle.close()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(size < 300_000, "200 MiB of zeros compress to \(size) bytes")

        struct PieceSink: DataSink {
            var total = 0
            var largest = 0
            mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
                total += bytes.count
                largest = max(largest, bytes.count)
            }
        }
        let reader = try Archive.open(path: path)
        var sink = PieceSink()
        for entry in reader.entries where entry.hasData { try reader.streamData(of: entry, into: &sink) }
        #expect(sink.total == 200 << 20)
        #expect(sink.largest <= 1 << 20, "pieces of at most one buffer, not the whole block")
    }

    @Test("a directory archive naming ../x, an absolute path or a symbolic link is refused")
    func pathsOutOfTheArchive() throws {
        for name in ["../x", "/etc/passwd", "sub/1.dat", "..", "3.dat/../../x"] {
            var entries = SampleTOC.smallDatabase().map(\.0)
            entries[4].dataLocation = .file(ArchiveText(name))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-dir-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            var builder = ArchiveBuilder(version: .v1_16, entries: [])
            builder.header.formatByte = 3
            try Data(builder.buildTOCFile(entries: entries)).write(to: directory.appendingPathComponent("toc.dat"))
            let reader = try Archive.open(path: directory.path)
            let error = #expect(throws: PGDumpError.self) {
                var sink = DigestSink()
                try reader.streamData(of: reader.entries[4], into: &sink)
            }
            #expect(error?.message.contains("not a name pg_dump writes") == true, "\(name): \(String(describing: error))")
        }
        // A data file that is a symbolic link pointing out of the archive.
        let source = Fixtures.testdata.appendingPathComponent("archives/pg18/directory-none")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-link-\(UUID())")
        try FileManager.default.copyItem(at: source, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let reader = try Archive.open(path: copy.path)
        let entry = reader.entries.first { $0.desc.equals("TABLE DATA") && $0.hasData }!
        let file = copy.appendingPathComponent("\(entry.dumpID).dat")
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "/etc/passwd")
        let error = #expect(throws: PGDumpError.self) {
            var sink = DigestSink()
            try reader.streamData(of: entry, into: &sink)
        }
        #expect(error?.message.contains("symbolic link") == true)
        #expect(error?.file == file.path)
    }

    @Test("a tar member that is a symbolic link to /etc/passwd is refused")
    func tarSymlink() throws {
        var bytes = try Fixtures.bytes(Fixtures.testdata.appendingPathComponent("archives/pg18/tar.tar"))
        let reader = try Self.open(bytes, name: "crafted.dump")
        let entry = reader.entries.first { $0.desc.equals("TABLE DATA") && $0.hasData }!
        let start = CraftedBytes.tarHeader(startingWith: Array("\(entry.dumpID).dat".utf8) + [0], in: bytes)!
        bytes[start + 156] = UInt8(ascii: "2")
        bytes.replaceSubrange((start + 157)..<(start + 168), with: Array("/etc/passwd".utf8))
        CraftedBytes.fixTarChecksum(&bytes, at: start)
        let error = #expect(throws: PGDumpError.self) {
            var sink = DigestSink()
            try Self.open(bytes, name: "crafted.dump").streamData(of: entry, into: &sink)
        }
        #expect(error?.message.contains("is not a regular file") == true)
    }

    @Test("every truncation and every single-byte change of small archives: an error or a result, never a crash",
          .timeLimit(.minutes(3)))
    func sweep() throws {
        try ArchiveSweep.forEachDamagedCopy { bytes, seekable in Self.readEverything(bytes, seekable: seekable) }
    }
}
