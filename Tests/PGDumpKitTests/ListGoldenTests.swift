import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// `list` against what real pg_restore printed for every testdata archive.
@Suite(.serialized) struct ListGoldenTests {
    init() { TimeZoneSetting.useUTC() }

    @Test("list is byte-identical to pg_restore -l", arguments: Fixtures.archiveCases)
    func listMatchesRecordedOutput(_ archive: Fixtures.ArchiveCase) throws {
        let reader = try Archive.open(path: archive.path)
        let expected = try ExpectedOutput.read(archive.expectedDirectory.appendingPathComponent("list.txt"))
        let actual = ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
        #expect(ByteComparison.difference(actual: actual, expected: expected) == nil)
    }

    @Test(
        "custom and tar archives list the same through a pipe with short reads",
        arguments: Fixtures.archiveCases.filter { $0.format != "directory" })
    func listThroughPipe(_ archive: Fixtures.ArchiveCase) throws {
        let bytes = try Fixtures.bytes(URL(fileURLWithPath: archive.path))
        let pipe = MemoryByteSource(bytes, name: "-", seekable: false, maximumReadSize: 4093)
        let reader = try Archive.open(source: pipe)
        let seekable = try Archive.open(path: archive.path)
        #expect(reader.header == seekable.header)
        #expect(reader.entries == seekable.entries)
    }

    @Test("one-byte reads give the same TOC", arguments: [
        "archives/pg18/custom-none.dump", "archives/pg15/tar.tar", "archives/pg17/custom-zstd.dump",
    ])
    func oneByteReads(_ relativePath: String) throws {
        let path = Fixtures.testdata.appendingPathComponent(relativePath).path
        let pipe = MemoryByteSource(try Fixtures.bytes(URL(fileURLWithPath: path)), seekable: false, maximumReadSize: 1)
        let reader = try Archive.open(source: pipe)
        #expect(reader.entries == (try Archive.open(path: path)).entries)
    }

    @Test("the manifest describes the files", arguments: Fixtures.archiveCases)
    func manifestMatchesHeader(_ archive: Fixtures.ArchiveCase) throws {
        let reader = try Archive.open(path: archive.path)
        #expect(reader.format.rawValue == archive.format)
        #expect(reader.header.compression.algorithm.description == archive.compression)
        #expect(reader.header.pgDumpVersion?.string.hasPrefix(archive.pgDumpVersion) == true)
        let summary = try ArchiveSummary(reader: reader)
        #expect(summary.header == reader.header)
        #expect(summary.tocCount == reader.entries.count)
        #expect(summary.entriesBySection.reduce(0) { $0 + $1.1 } == reader.entries.count)
        if archive.format != "directory" { #expect(summary.sizeOnDisk == archive.size) }
        if archive.format == "custom" { #expect(summary.hasDataOffsets == !archive.piped) }
    }

    @Test("the shared corpus lists as pg_restore did",
          .enabled(if: Fixtures.sharedCorpus != nil, Fixtures.sharedCorpusSkipped), arguments: SharedCorpus.listCases)
    func sharedCorpusListing(_ listCase: SharedCorpus.ListCase) throws {
        let reader = try Archive.open(path: listCase.archive.path)
        let expected = try ExpectedOutput.read(listCase.expected)
        let actual = ListPrinter.render(
            header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
        #expect(ByteComparison.difference(actual: actual, expected: expected) == nil)
    }
}

/// The listings recorded in the shared corpus, when it is beside the repository.
enum SharedCorpus {
    struct ListCase: CustomTestStringConvertible, Sendable {
        var archive: URL
        var expected: URL
        var testDescription: String { expected.path.components(separatedBy: "/expected/").last ?? expected.path }
    }

    static let listCases: [ListCase] = {
        guard let corpus = Fixtures.sharedCorpus else { return [] }
        let expectedRoot = corpus.appendingPathComponent("expected")
        guard let walker = FileManager.default.enumerator(atPath: expectedRoot.path) else { return [] }
        var cases: [ListCase] = []
        for case let relative as String in walker where relative.hasSuffix("/list.txt") {
            var parts = relative.split(separator: "/").map(String.init)
            parts.removeLast()
            // expected/<db>/<pg>/<archive>[/restore-pg17]/list.txt; only pg_restore 17 and 18 match our output.
            if parts.last == "restore-pg15" { continue }
            if parts.last?.hasPrefix("restore-") == true { parts.removeLast() }
            guard parts.count == 3 else { continue }
            let directory = corpus.appendingPathComponent("archives/\(parts[0])/\(parts[1])")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            guard let name = names.first(where: { $0 == parts[2] || $0.hasPrefix(parts[2] + ".") }) else { continue }
            cases.append(ListCase(
                archive: directory.appendingPathComponent(name), expected: expectedRoot.appendingPathComponent(relative)))
        }
        return cases.sorted { $0.expected.path < $1.expected.path }
    }()
}
