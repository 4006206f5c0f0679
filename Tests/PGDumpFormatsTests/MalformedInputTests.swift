import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Broken and foreign inputs get a typed error that names the file, never a crash.
@Suite struct MalformedInputTests {
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

        let text = Array("--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n".utf8)
        let plain = #expect(throws: PGDumpError.self) { _ = try Self.open(text, name: "dump.sql") }
        #expect(plain?.description == "dump.sql: input file appears to be a text format dump. Please use psql.")

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
        let plain = #expect(throws: PGDumpError.self) { _ = try Self.open(gzippedText, name: "d.sql.gz") }
        #expect(plain?.description.contains("plain-text SQL dump; restore it with psql") == true)
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
        // A summary needs no data: it describes the archive and names what is missing.
        let summary = try ArchiveSummary(reader: reader)
        #expect(summary.missingData.map(\.kind) == [.missingMember])
        #expect(summary.storedDataSize == nil)

        try FileManager.default.removeItem(at: copy.appendingPathComponent("toc.dat"))
        let noTOC = #expect(throws: PGDumpError.self) { _ = try Archive.open(path: copy.path) }
        #expect(noTOC?.description == "\(copy.path): directory does not appear to be a valid archive (\"toc.dat\" does not exist)")
    }
}
