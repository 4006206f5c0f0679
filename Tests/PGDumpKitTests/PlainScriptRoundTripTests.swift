import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// The script pg_restore prints for an archive is what pg_dump -Fp prints for the same TOC: read back as a plain
/// script, it must render to itself, and hold the same table data, whatever the archive holds (large objects,
/// ACLs, INSERT data, other encodings, standard_conforming_strings off, statistics).
@Suite struct PlainScriptRoundTripTests {
    init() { TimeZoneSetting.useUTC() }

    /// Opens a script held in memory, as a file or as a pipe, read in pieces of at most `readSize` bytes.
    static func open(_ script: [UInt8], seekable: Bool, readSize: Int = .max) throws -> any ArchiveReader {
        try Archive.open(source: MemoryByteSource(script, name: "script.sql", seekable: seekable, maximumReadSize: readSize))
    }

    @Test("every archive's script reads back as a script that renders to itself, from a file or a pipe",
          arguments: Fixtures.archiveCases.filter { !$0.piped })
    func roundTrip(_ archive: Fixtures.ArchiveCase) throws {
        let original = try Archive.open(path: archive.path)
        let script = try ConvertRoundTripTests.script(original)
        for (seekable, readSize) in [(true, Int.max), (false, Int.max), (false, 7)] {
            let reader = try Self.open(script, seekable: seekable, readSize: readSize)
            #expect(reader.format == .plain)
            let again = try ConvertRoundTripTests.script(reader)
            #expect(ByteComparison.difference(actual: again, expected: script) == nil,
                    "\(archive.relativePath) seekable: \(seekable), read size \(readSize)")
            // The same table data, entry for entry (large objects included).
            let data = original.entries.filter(\.hasData)
            let readBack = reader.entries.filter(\.hasData)
            // A script's header comments show names with newlines as spaces (`sanitize_line`): so are they read.
            func shown(_ tag: ArchiveText?) -> String { (tag?.string ?? "").replacingOccurrences(of: "\n", with: " ") }
            #expect(data.map { shown($0.tag) } == readBack.map { shown($0.tag) })
            for (left, right) in zip(data, readBack) {
                var expected = DigestSink()
                try original.streamData(of: left, into: &expected)
                var actual = DigestSink()
                try reader.streamData(of: right, into: &actual)
                #expect(actual.digest == expected.digest, "\(archive.relativePath): \(left.desc) \(left.tag?.string ?? "")")
            }
        }
    }

    /// Archives with statistics are left out: pg_dump 18 puts a materialized view's REFRESH among the post-data
    /// statistics, which a script prints after the ACLs and the listing then shows last (rendering is unchanged).
    @Test("the listing of a script has the archive's entries in the archive's order, but for IDs",
          arguments: Fixtures.archiveCases.filter { !$0.piped && !$0.name.contains("statistics") })
    func listingOrder(_ archive: Fixtures.ArchiveCase) throws {
        let original = try Archive.open(path: archive.path)
        let reader = try Self.open(try ConvertRoundTripTests.script(original), seekable: true)
        func lines(_ reader: any ArchiveReader) -> [String] {
            let listing = String(decoding: RestorePlan.listing(of: reader), as: UTF8.self)
            return listing.split(separator: "\n").filter { !$0.hasPrefix(";") }
                .map { $0.split(separator: " ", maxSplits: 3).dropFirst(3).joined() }
        }
        #expect(lines(reader) == lines(original), "\(archive.relativePath)")
    }
}

extension RestorePlan {
    /// pg_restore -l of every entry a default restore selects.
    static func listing(of reader: any ArchiveReader) -> [UInt8] {
        let plan = try! RestorePlan(
            entries: reader.entries, selection: RestoreOptions(), script: ScriptOptions(restrictKey: "K"), strictNames: false,
            useList: nil)
        return plan.renderListing(of: reader)
    }
}
