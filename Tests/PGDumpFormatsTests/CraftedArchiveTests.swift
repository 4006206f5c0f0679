import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Archives built to attack the reader: absurd lengths and counts, decompression bombs, paths that leave the
/// archive, and a sweep of truncations and single-byte changes. Each gets its specific error or a correct
/// result, quickly, and never a crash.
@Suite struct CraftedArchiveTests {
    static func open(_ bytes: [UInt8]) throws -> any ArchiveReader {
        try Archive.open(source: MemoryByteSource(bytes, name: "crafted.dump"))
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

    @Test("a string length of 2^62 is refused before anything is allocated")
    func hugeStringLength() throws {
        let builder = Self.wideArchive()
        var bytes = builder.build()
        let offset = Self.firstStringLengthOffset(builder)
        #expect(bytes[offset] == 0)
        bytes.replaceSubrange((offset + 1)..<(offset + 9), with: [0, 0, 0, 0, 0, 0, 0, 0x40])
        let error = #expect(throws: PGDumpError.self) { _ = try Self.open(bytes) }
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
        let error = #expect(throws: PGDumpError.self) { _ = try Self.open(bytes) }
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
        let reader = try Self.open(bytes)
        let entry = reader.entries.first { $0.desc.equals("TABLE DATA") && $0.hasData }!
        let start = CraftedBytes.tarHeader(startingWith: Array("\(entry.dumpID).dat".utf8) + [0], in: bytes)!
        bytes[start + 156] = UInt8(ascii: "2")
        bytes.replaceSubrange((start + 157)..<(start + 168), with: Array("/etc/passwd".utf8))
        CraftedBytes.fixTarChecksum(&bytes, at: start)
        let error = #expect(throws: PGDumpError.self) {
            var sink = DigestSink()
            try Self.open(bytes).streamData(of: entry, into: &sink)
        }
        #expect(error?.message.contains("is not a regular file") == true)
    }

    /// Opens and reads everything, for the sweep: errors are expected; crashes and hangs are the failures.
    static func readEverything(_ bytes: [UInt8], seekable: Bool) {
        guard let reader = try? Archive.open(source: MemoryByteSource(bytes, name: "sweep", seekable: seekable)) else {
            return
        }
        _ = ListPrinter.render(header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
        for entry in reader.entries where entry.hasData {
            var sink = DigestSink()
            _ = try? reader.streamData(of: entry, into: &sink)
        }
    }

    @Test("every truncation and every single-byte change of small archives: an error or a result, never a crash",
          .timeLimit(.minutes(3)))
    func sweep() throws {
        let small = ArchiveBuilder(version: .v1_16, entries: SampleTOC.smallDatabase()).build()
        let old = ArchiveBuilder(version: .v1_8, entries: SampleTOC.smallDatabase()).build()
        for archive in [small, old] {
            for cut in 0..<archive.count { Self.readEverything(Array(archive[0..<cut]), seekable: cut % 2 == 0) }
            for position in 0..<archive.count {
                for value: UInt8 in [0x00, 0xff, 0x7f, archive[position] ^ 0x01] where value != archive[position] {
                    var changed = archive
                    changed[position] = value
                    Self.readEverything(changed, seekable: position % 2 == 0)
                }
            }
        }
        // Real archives: the header and TOC region of each format, single-byte changes at a stride.
        for relativePath in ["archives/pg18/custom-none.dump", "archives/pg17/custom-lz4.dump", "archives/pg15/tar.tar"] {
            let archive = try Fixtures.bytes(Fixtures.testdata.appendingPathComponent(relativePath))
            let region = min(archive.count, 80_000)
            for position in stride(from: 0, to: region, by: 389) {
                var changed = archive
                changed[position] ^= 0xA5
                Self.readEverything(changed, seekable: true)
            }
        }
    }
}
