import Foundation
@testable import PGDumpKit
import PGDumpTestSupport
import Testing

/// The parts of `explode`/`implode` that must be exact: the manifest reads back what was written, and CSV
/// written from COPY text turns back into the same COPY text.
@Suite struct ExplodeTests {
    /// An archive writer that keeps what it is given.
    final class CollectingWriter: ArchiveWriter {
        var bytes: [UInt8] = []
        func beginData(of entry: TOCEntry) throws {}
        func beginStoredData(of entry: TOCEntry) throws {}
        func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes += bytes }
        func beginLargeObject(oid: UInt32) throws {}
        func endLargeObject() throws {}
        func endData() throws {}
        func finish() throws {}
    }

    /// COPY text rows → CSV (as extract writes it) → COPY text again, fed in pieces of `chunk` bytes.
    static func roundTrip(_ copyText: [UInt8], columns: Int, header: Bool, chunk: Int) throws -> [UInt8] {
        let names = (0..<columns).map { ArchiveText("c\($0)") }
        let csvSink = MemoryByteSink()
        let output = OutputBuffer(sink: csvSink)
        let writer = CSVRowWriter(output: output, columnCount: columns)
        if header { try writer.writeHeader(names) }
        let decoder = CopyTextDecoder(columns: names, handler: writer)
        try copyText.withUnsafeBytes { try decoder.write($0) }
        try decoder.finish()
        try output.flush()
        let collecting = CollectingWriter()
        var converter = CSVToCopyText(
            writer: collecting, columnCount: columns, skipsHeader: header, trailer: Array("\\.\n\n".utf8), file: "t.csv")
        let csv = csvSink.bytes
        var start = 0
        while start < csv.count {
            let piece = Array(csv[start..<min(csv.count, start + chunk)])
            try piece.withUnsafeBytes { try converter.consume($0) }
            start += chunk
        }
        try converter.finish()
        return collecting.bytes
    }

    /// A value as PostgreSQL's COPY TO writes it in text format (`CopyAttributeOutText`).
    static func copyEscaped(_ value: [UInt8]?) -> [UInt8] {
        guard let value else { return Array("\\N".utf8) }
        var result: [UInt8] = []
        for byte in value {
            switch byte {
            case 0x5C: result += Array("\\\\".utf8)
            case 0x08: result += Array("\\b".utf8)
            case 0x0C: result += Array("\\f".utf8)
            case 0x0A: result += Array("\\n".utf8)
            case 0x0D: result += Array("\\r".utf8)
            case 0x09: result += Array("\\t".utf8)
            case 0x0B: result += Array("\\v".utf8)
            default: result.append(byte)
            }
        }
        return result
    }

    static let awkward: [[UInt8]?] = [
        nil, [], Array("plain".utf8), Array("\"quoted\"".utf8), Array("a,b".utf8), Array("line\nbreak".utf8),
        Array("cr\r".utf8), Array("tab\there".utf8), Array("back\\slash".utf8), Array("\\.".utf8), Array("\\N".utf8),
        [0x08, 0x0B, 0x0C, 0x01, 0x7F], [0xC3, 0xA9, 0xFF, 0xDF], Array(" ".utf8), Array(",".utf8), Array("\"".utf8),
    ]

    @Test("COPY text → CSV → COPY text is the identity, for awkward values, any column count and any chunking",
          arguments: [1, 2, 3, 7])
    func csvRoundTrip(_ columns: Int) throws {
        var generator = SeededGenerator(seed: UInt64(columns))
        var text: [UInt8] = []
        for _ in 0..<300 {
            for column in 0..<columns {
                if column > 0 { text.append(0x09) }
                text += Self.copyEscaped(Self.awkward[Int.random(in: 0..<Self.awkward.count, using: &generator)])
            }
            text.append(0x0A)
        }
        // A one-column table whose value is \. (CSV quotes it) and rows of single empty strings and NULLs.
        let expected = text + Array("\\.\n\n".utf8)
        for chunk in [1, 3, 64, 1 << 20] {
            for header in [true, false] {
                #expect(try Self.roundTrip(text + Array("\\.\n\n".utf8), columns: columns, header: header, chunk: chunk) == expected)
            }
        }
    }

    @Test("a table without columns: empty rows stay empty rows")
    func noColumns() throws {
        #expect(try Self.roundTrip(Array("\n\n\\.\n\n".utf8), columns: 0, header: false, chunk: 1) == Array("\n\n\\.\n\n".utf8))
    }

    @Test("broken CSV is an error naming the line")
    func brokenCSV() throws {
        for (csv, message) in [("\"open\n", "ends inside a row"), ("\"a\"b\n", "closing quote"), ("a,b\n", "2 values")] {
            var converter = CSVToCopyText(
                writer: CollectingWriter(), columnCount: 1, skipsHeader: false, trailer: [], file: "t.csv")
            let error = #expect(throws: PGDumpError.self) {
                try Array(csv.utf8).withUnsafeBytes { try converter.consume($0) }
                try converter.finish()
            }
            #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
        }
    }

    @Test("the manifest reads back what it wrote, whatever its fields hold")
    func manifestRoundTrip() throws {
        let odd: ArchiveText = ArchiveText(bytes: Array("tab\there\nnew\\line \\N".utf8) + [0xFF])
        let entries = [
            TOCEntry(dumpID: 7, tag: odd, desc: "TABLE", section: .preData, defn: "CREATE TABLE x ();\n",
                     dropStmt: odd, copyStmt: nil, namespace: "", tablespace: "", tableam: "heap", relkind: 114,
                     owner: nil, withOids: "false"),
            TOCEntry(dumpID: 9, hadDumper: true, tag: "x", desc: "TABLE DATA", section: Section(rawValue: 9),
                     copyStmt: "COPY x FROM stdin;\n", namespace: nil, relkind: 0, owner: "o", withOids: nil,
                     dependencies: [1], dataLocation: .file("data")),
        ]
        let manifest = ExplodeManifest(
            archiveVersion: .v1_14, databaseName: odd, serverVersion: nil, pgDumpVersion: "18.6",
            records: [
                .init(file: "a/b/c.sql", entry: entries[0], dependencies: [], dataFile: nil, dataFormat: nil),
                .init(file: nil, entry: entries[1], dependencies: [1], dataFile: "a/d.csv", dataFormat: "csv:5c2e0a0a"),
            ])
        let read = try ExplodeManifest(parsing: manifest.encoded(), name: "MANIFEST.tsv")
        #expect(read.archiveVersion == .v1_14 && read.databaseName == odd && read.serverVersion == nil)
        #expect(read.records.map(\.file) == ["a/b/c.sql", nil])
        #expect(read.records.map(\.dependencies) == [[], [1]])
        #expect(read.records[1].dataFormat == "csv:5c2e0a0a")
        for (record, original) in zip(read.records, entries) {
            var expected = original
            expected.dumpID = record.entry.dumpID
            expected.tableOIDText = "0"
            expected.oidText = "0"
            expected.defn = nil
            expected.dependencies = record.dependencies.map { Int32($0) }
            #expect(record.entry == expected)
        }
        // A dependency on an entry that is not there, or a path leaving the tree, is refused.
        var bad = manifest
        bad.records[1].dependencies = [5]
        #expect(throws: PGDumpError.self) { try ExplodeManifest(parsing: bad.encoded(), name: "m") }
        #expect(throws: PGDumpError.self) { try ExplodedArchive.path("../x", in: "/tmp") }
        #expect(throws: PGDumpError.self) { try ExplodedArchive.path("a//x", in: "/tmp") }
    }
}
