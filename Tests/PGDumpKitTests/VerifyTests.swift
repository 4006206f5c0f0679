import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// `verify` passes every real archive and finds each kind of damage, saying where it is.
@Suite struct VerifyTests {
    static func path(_ relative: String) -> String { Fixtures.testdata.appendingPathComponent(relative).path }

    static func bytes(_ relative: String) throws -> [UInt8] { try Fixtures.bytes(URL(fileURLWithPath: path(relative))) }

    static func verify(_ bytes: [UInt8], seekable: Bool = true) -> VerificationReport {
        do {
            return ArchiveVerifier.verify(try Archive.open(source: MemoryByteSource(bytes, name: "broken.dump", seekable: seekable)))
        } catch {
            Issue.record("cannot open: \(error)")
            return VerificationReport(path: "broken.dump")
        }
    }

    /// A copy of a directory archive under the temporary directory, removed by the caller.
    static func copyOfDirectory(_ relative: String) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-verify-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: path(relative)), to: copy)
        return copy
    }

    // MARK: - Intact archives

    @Test("every testdata archive verifies clean, with the same rows per table", arguments: Fixtures.archiveCases)
    func intactArchive(_ archive: Fixtures.ArchiveCase) throws {
        let report = ArchiveVerifier.verify(path: archive.path)
        #expect(report.problems == [], "\(report.problems.map(\.description))")
        #expect(report.isValid)
        #expect(report.entries.allSatisfy { $0.isIntact })
        guard archive.isFixture else { return }
        let totals = report.totals
        #expect(totals.tables == 25)
        #expect(totals.rows == 2348)
        #expect(totals.largeObjects == 4)
        // The rows of each table, as the server's CSV has them (each data line is one row; no value in these
        // tables spans lines except where noted by the CSV's quotes, which the decoder counted as one row).
        let events = try #require(report.entries.first { $0.name == "events" })
        #expect(events.rows == 2000)
        #expect(events.uncompressedBytes == 26898)
        #expect(report.text().hasSuffix("; no problems\n"))
    }

    @Test("custom and tar archives verify clean through a pipe",
          arguments: Fixtures.archiveCases.filter { $0.format != "directory" })
    func throughAPipe(_ archive: Fixtures.ArchiveCase) throws {
        let report = Self.verify(try Fixtures.bytes(URL(fileURLWithPath: archive.path)), seekable: false)
        #expect(report.problems == [], "\(report.problems.map(\.description))")
        if archive.isFixture { #expect(report.totals.rows == 2348) }
    }

    @Test("the shared sample corpus verifies clean",
          .enabled(if: Fixtures.sharedCorpus != nil, Fixtures.sharedCorpusSkipped),
          arguments: ExtractCSVTests.corpusArchives)
    func sampleCorpus(_ relative: String) throws {
        let corpus = try #require(Fixtures.sharedCorpus)
        let report = ArchiveVerifier.verify(path: corpus.appendingPathComponent("archives/\(relative)").path)
        #expect(report.problems == [], "\(report.problems.map(\.description))")
    }

    @Test("an archive that cannot be opened is a report with one problem")
    func unopenable() {
        let report = ArchiveVerifier.verify(path: Self.path("no-such-archive.dump"))
        #expect(!report.isValid)
        #expect(report.problems.count == 1)
        #expect(report.problems[0].description.contains("could not open input file"))
    }

    // MARK: - Damage

    @Test("a flipped byte inside a compressed block fails gzip's check, located by file, offset and entry")
    func flippedByteInCustomBlock() throws {
        var bytes = try Self.bytes("archives/pg18/custom-default.dump")
        let reader = try Archive.open(source: MemoryByteSource(bytes))
        let events = try #require(reader.entries.first { $0.tag == "events" && $0.desc.equals("TABLE DATA") })
        guard case .offset(let offset) = events.dataLocation, let size = try reader.storedSize(of: events) else {
            Issue.record("no offset")
            return
        }
        bytes[Int(offset + size / 2)] ^= 0x5A
        let report = Self.verify(bytes)
        #expect(report.problems.count == 1)
        let problem = try #require(report.problems.first)
        #expect(problem.error.kind == .codec)
        #expect(problem.error.file == "broken.dump")
        #expect(problem.error.dumpID == events.dumpID)
        #expect(problem.error.offset.map { $0 > offset && $0 < offset + size } == true)
        #expect(problem.description.hasPrefix("broken.dump: offset "))
        #expect(problem.description.contains(": entry \(events.dumpID) (TABLE DATA app.events): could not decompress gzip data: "))
        // The other tables are still read.
        #expect(report.entries.filter(\.isIntact).count == report.entries.count - 1)
        #expect(report.text().contains("\nFAILED: 1 problem; "))
    }

    @Test("a flipped byte in a gzip file of a directory archive fails its CRC")
    func flippedByteInDirectoryFile() throws {
        let copy = try Self.copyOfDirectory("archives/pg18/directory-default")
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent("3785.dat.gz")
        var bytes = try Fixtures.bytes(file)
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: file)
        let report = ArchiveVerifier.verify(path: copy.path)
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1)
        #expect(problem.error.kind == .codec)
        #expect(problem.error.file == file.path)
        #expect(problem.error.dumpID == 3785)
    }

    @Test("an uncompressed COPY stream with a damaged row is a COPY problem at the exact offset")
    func damagedRowInUncompressedFile() throws {
        let copy = try Self.copyOfDirectory("archives/pg18/directory-none")
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent("3785.dat")
        var lines = try Fixtures.bytes(file).split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        // Row 10 loses its last field: a short row.
        let rowStart = lines[0..<9].reduce(0) { $0 + $1.count + 1 }
        lines[9] = Array(lines[9][..<lines[9].lastIndex(of: 0x09)!])
        try Data(Array(lines.joined(separator: [0x0A]))).write(to: file)
        let report = ArchiveVerifier.verify(path: copy.path)
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1)
        #expect(problem.description == "\(file.path): offset \(rowStart): entry 3785 (TABLE DATA app.events): line 10 of the COPY data (byte \(rowStart)): missing data for column \"tag\" (the row has 2 of 3 fields)")
        let events = try #require(report.entries.first { $0.dumpID == 3785 })
        #expect(events.rows == 9)
        #expect(!events.isIntact)
    }

    @Test("a COPY stream with a short row, in a custom archive, names the data block")
    func shortRowInCustomArchive() throws {
        let (reader, entry) = try CraftedTable.reader(
            columns: [("a", "integer"), ("b", "text")], copyText: "1\tx\n2\n3\tz\n")
        let report = ArchiveVerifier.verify(reader)
        let problem = try #require(report.problems.first)
        #expect(report.problems.count == 1)
        guard case .offset(let offset) = entry.dataLocation else {
            Issue.record("no offset")
            return
        }
        #expect(problem.description == "crafted.dump: offset \(offset): entry 3 (TABLE DATA public.t): data block: line 2 of the COPY data (byte 4): missing data for column \"b\" (the row has 1 of 2 fields)")
        #expect(report.entries.first?.rows == 1)
    }

    @Test("COPY data without its end marker, or cut in a row, is truncated",
          arguments: [("1\tx\n", "the data ends without the end-of-copy marker"), ("1\tx\n2\t", "the data ends in the middle of a row")])
    func truncatedCopyData(_ text: String, _ message: String) throws {
        let entries: [(TOCEntry, [UInt8]?)] = [
            (TOCEntry(dumpID: 9, tag: "ENCODING", desc: "ENCODING", section: .preData,
                      defn: "SET client_encoding = 'UTF8';\n"), nil),
            (TOCEntry(dumpID: 3, hadDumper: true, tag: "t", desc: "TABLE DATA", section: .data,
                      copyStmt: "COPY public.t (a, b) FROM stdin;\n", namespace: "public"), Array(text.utf8)),
        ]
        let report = Self.verify(ArchiveBuilder(version: .v1_16, entries: entries).build())
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.error.message.contains(message) == true)
    }

    @Test("a truncated data file: gzip says so; an uncompressed one lacks the end of its COPY data",
          arguments: [("archives/pg18/directory-default", "3782.dat.gz", "compressed data is truncated"),
                      ("archives/pg18/directory-none", "3782.dat", "the data ends in the middle of a row")])
    func truncatedDataFile(_ archive: String, _ name: String, _ message: String) throws {
        let copy = try Self.copyOfDirectory(archive)
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent(name)
        let bytes = try Fixtures.bytes(file)
        try Data(bytes.prefix(bytes.count / 2)).write(to: file)
        let report = ArchiveVerifier.verify(path: copy.path)
        #expect(report.problems.count == 1)
        let problem = try #require(report.problems.first)
        #expect(problem.error.file == file.path)
        #expect(problem.error.dumpID == 3782)
        #expect(problem.error.message.contains(message), "\(problem)")
    }

    @Test("a truncated custom archive: the entries cut off are problems")
    func truncatedCustomArchive() throws {
        let bytes = try Self.bytes("archives/pg18/custom-default.dump")
        let report = Self.verify(Array(bytes.prefix(bytes.count - 3000)))
        #expect(!report.isValid)
        #expect(report.problems.allSatisfy { $0.error.file == "broken.dump" && $0.error.dumpID != nil })
        #expect(report.problems.contains { $0.error.kind == .corrupt || $0.error.kind == .truncated })
    }

    @Test("a missing directory member is a problem naming the file looked for")
    func missingDirectoryMember() throws {
        let copy = try Self.copyOfDirectory("archives/pg18/directory-default")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.removeItem(at: copy.appendingPathComponent("3782.dat.gz"))
        let report = ArchiveVerifier.verify(path: copy.path)
        #expect(report.problems.count == 1)
        let problem = try #require(report.problems.first)
        #expect(problem.error.kind == .missingMember)
        #expect(problem.description == "\(copy.path): entry 3782 (TABLE DATA app.orders): data file 3782.dat is missing (also looked for 3782.dat.gz, 3782.dat.lz4 and 3782.dat.zst)")
        #expect(report.entries.count == 27)
    }

    @Test("a missing tar member is a problem")
    func missingTarMember() throws {
        var bytes = try Self.bytes("archives/pg18/tar.tar")
        let header = try #require(CraftedBytes.tarHeader(startingWith: Array("3782.dat".utf8) + [0], in: bytes))
        bytes[header + 5] = UInt8(ascii: "x")  // 3782.xat
        CraftedBytes.fixTarChecksum(&bytes, at: header)
        let report = Self.verify(bytes)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.error.kind == .missingMember)
        #expect(report.problems.first?.description.contains("entry 3782 (TABLE DATA app.orders): could not find header for file \"3782.dat\"") == true)
    }

    /// The position of entry `dumpID`'s data offset in a custom archive's TOC: flag byte 2, then 8 bytes.
    static func offsetField(of offset: Int64, in bytes: [UInt8]) -> Int? {
        let pattern: [UInt8] = [2] + (0..<8).map { UInt8(truncatingIfNeeded: offset >> (8 * $0)) }
        return (0..<(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
            .map { $0 + 1 }
    }

    @Test("a recorded offset must point at the block of its own entry, inside the file")
    func wrongOffsets() throws {
        let original = try Self.bytes("archives/pg18/custom-none.dump")
        let reader = try Archive.open(source: MemoryByteSource(original))
        let data = reader.entries.filter { $0.desc.equals("TABLE DATA") }
        guard case .offset(let first) = data[0].dataLocation, case .offset(let second) = data[1].dataLocation else {
            Issue.record("no offsets")
            return
        }
        let field = try #require(Self.offsetField(of: first, in: original))
        for (target, message) in [(second, "found unexpected block ID (\(data[1].dumpID)) when reading data -- expected \(data[0].dumpID)"),
                                  (Int64(original.count + 10), "lies outside the data area")] {
            var bytes = original
            for index in 0..<8 { bytes[field + index] = UInt8(truncatingIfNeeded: target >> (8 * index)) }
            let report = Self.verify(bytes)
            let problem = try #require(report.problems.first)
            #expect(report.problems.count == 1)
            #expect(problem.error.dumpID == data[0].dumpID)
            #expect(problem.error.message.contains(message), "\(problem)")
        }
    }

    @Test("dependencies on dump IDs pg_dump cannot have written, and duplicate dump IDs, are TOC problems")
    func tocProblems() throws {
        func build(_ extra: [(TOCEntry, [UInt8]?)]) -> VerificationReport {
            Self.verify(ArchiveBuilder(version: .v1_16, entries: [
                (TOCEntry(dumpID: 50, tag: "ENCODING", desc: "ENCODING", section: .preData,
                          defn: "SET client_encoding = 'UTF8';\n"), nil),
                (TOCEntry(dumpID: 2, tag: "t", desc: "TABLE", section: .preData,
                          defn: "CREATE TABLE public.t (a integer);\n", namespace: "public"), nil),
            ] + extra).build())
        }
        // A dependency on an object pg_dump collected but did not write (numbered before ENCODING) is normal.
        let normal = build([(TOCEntry(dumpID: 3, hadDumper: true, tag: "t", desc: "TABLE DATA", section: .data,
                                      copyStmt: "COPY public.t (a) FROM stdin;\n", namespace: "public",
                                      dependencies: [2, 41]), Array("1\n\\.\n\n\n".utf8))])
        #expect(normal.problems == [])
        let dangling = build([(TOCEntry(dumpID: 3, hadDumper: true, tag: "t", desc: "TABLE DATA", section: .data,
                                        copyStmt: "COPY public.t (a) FROM stdin;\n", namespace: "public",
                                        dependencies: [2, 99999]), Array("1\n\\.\n\n\n".utf8))])
        #expect(dangling.problems.map(\.description) == [
            "broken.dump: entry 3 (TABLE DATA public.t): depends on dump ID 99999, which is not in the archive and is not an object pg_dump could have left out",
        ])
        let duplicate = build([(TOCEntry(dumpID: 2, tag: "u", desc: "VIEW", section: .preData, namespace: "public"), nil)])
        #expect(duplicate.problems.map(\.error.message) == ["dump ID 2 is used by 2 TOC entries"])
        let noData = build([(TOCEntry(dumpID: 3, hadDumper: true, tag: "t", desc: "TABLE DATA", section: .data,
                                      copyStmt: "COPY public.t (a) FROM stdin;\n", namespace: "public"), nil)])
        #expect(noData.problems.map(\.error.message) == ["the TOC says data was dumped for this entry but records none"])
    }

    @Test("from a pipe, verification stops at damage it cannot get past, and says so")
    func damageThroughAPipe() throws {
        var bytes = try Self.bytes("archives/pg18/custom-pipe.dump")
        let reader = try Archive.open(source: MemoryByteSource(bytes))
        let first = try #require(reader.entries.first { $0.desc.equals("TABLE DATA") && $0.hasData })
        // Break the first block's first chunk length: its framing is gone.
        let blockStart = try #require(CraftedBytes.customDataBlock(of: first.dumpID, in: bytes, after: 4000))
        bytes[blockStart + 6] = 1  // the length's sign byte: negative
        let report = Self.verify(bytes, seekable: false)
        #expect(report.problems.count == 1)
        #expect(report.problems.first?.error.message.contains("is negative") == true)
        #expect(report.notes.contains { $0.contains("more data entries were not checked: the input cannot seek past the damage") })
    }

    @Test("info --tables reads the same rows and sizes, and fails on the first problem")
    func dataStatistics() throws {
        let reader = try Archive.open(path: Self.path("archives/pg16/directory-none"))
        let tables = try ArchiveVerifier.dataStatistics(of: reader)
        #expect(tables.count == 26)
        #expect(tables.first { $0.name == "orders" }?.rows == 60)
        let summary = try ArchiveSummary(reader: reader)
        let text = summary.text(tables: tables)
        #expect(text.hasPrefix(summary.text() + "Tables:\n  rows  bytes  stored  table\n"))
        #expect(text.contains("\n    60   4632    4632  app.orders\n"))
        let json = try JSONSerialization.jsonObject(with: Data(summary.json(tables: tables))) as! [String: Any]
        let listed = try #require(json["tables"] as? [[String: Any]])
        #expect(listed.count == 25)
        #expect(json["tocCount"] as? Int == reader.entries.count)

        var bytes = try Self.bytes("archives/pg18/custom-default.dump")
        bytes[bytes.count - 2000] ^= 0xFF
        let damaged = try Archive.open(source: MemoryByteSource(bytes, name: "broken.dump"))
        #expect(throws: PGDumpError.self) { _ = try ArchiveVerifier.dataStatistics(of: damaged) }
    }

    @Test("the JSON report has every entry, problem and total")
    func jsonReport() throws {
        let (reader, _) = try CraftedTable.reader(columns: [("a", "integer")], copyText: "1\n2\nx\ty\n")
        let report = ArchiveVerifier.verify(reader)
        let object = try JSONSerialization.jsonObject(with: Data(report.json())) as! [String: Any]
        #expect(object["ok"] as? Bool == false)
        let entries = try #require(object["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries[0]["rows"] as? Int == 2)
        #expect(entries[0]["ok"] as? Bool == false)
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems[0]["dumpId"] as? Int == 3)
        #expect(problems[0]["entry"] as? String == "TABLE DATA public.t")
        #expect(problems[0]["file"] as? String == "crafted.dump")
        #expect((problems[0]["message"] as? String)?.contains("extra data after last expected column") == true)
        #expect((object["summary"] as? [String: Any])?["problems"] as? Int == 1)
    }
}
