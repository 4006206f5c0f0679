import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Collects decoded rows, for small test inputs.
struct RowCollector: CopyRowHandler {
    var rows: [[[UInt8]?]] = []
    var collectsValues: Bool { true }
    mutating func handleRow(_ row: CopyRow) throws {
        rows.append((0..<row.count).map { row[$0].map(Array.init) })
    }
}

/// Feeds bytes to a sink in pieces of a given size, as a reader with small buffers would.
func feed<Sink: DataSink>(_ bytes: [UInt8], into sink: inout Sink, pieceSize: Int) throws {
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + max(1, pieceSize))
        try bytes[start..<end].withUnsafeBytes { try sink.write($0) }
        start = end
    }
}

/// The COPY text decoder on crafted input: PostgreSQL's escapes, NULL, the end marker, and every way the data can
/// be wrong; and on real data fed a byte at a time.
@Suite struct ExtractDecoderTests {
    static func decode(
        _ text: String, columns: [String]? = nil, pieceSize: Int = .max, stopsAtFirstProblem: Bool = true,
        maximumRowBytes: Int = 1 << 30
    ) throws -> CopyTextDecoder<RowCollector> {
        let decoder = CopyTextDecoder(
            columns: columns.map { $0.map { ArchiveText($0) } }, handler: RowCollector(),
            stopsAtFirstProblem: stopsAtFirstProblem, maximumRowBytes: maximumRowBytes)
        var sink = decoder
        try feed(Array(text.utf8), into: &sink, pieceSize: pieceSize)
        try decoder.finish()
        return decoder
    }

    /// The single field of a one-row, one-column COPY text whose raw field is `raw`.
    static func field(_ raw: String) throws -> [UInt8]? {
        let rows = try decode(raw + "\n\\.\n\n\n", columns: ["c"]).handler.rows
        try #require(rows.count == 1 && rows[0].count == 1)
        return rows[0][0]
    }

    @Test("backslash escapes decode as PostgreSQL's CopyReadAttributesText decodes them")
    func escapes() throws {
        #expect(try Self.field(#"\b\f\n\r\t\v"#) == [8, 12, 10, 13, 9, 11])
        #expect(try Self.field(#"\\"#) == Array(#"\"#.utf8))
        #expect(try Self.field(#"\q\""#) == Array(#"q""#.utf8))
        // Octal: one to three digits, the value cut to a byte.
        #expect(try Self.field(#"\1"#) == [1])
        #expect(try Self.field(#"\12"#) == [0o12])
        #expect(try Self.field(#"\123"#) == [0o123])
        #expect(try Self.field(#"\1234"#) == [0o123, UInt8(ascii: "4")])
        #expect(try Self.field(#"\777"#) == [0xFF])
        #expect(try Self.field(#"\8"#) == Array("8".utf8))
        // Hex: one or two digits; `\x` without a digit is a literal x.
        #expect(try Self.field(#"\x4"#) == [4])
        #expect(try Self.field(#"\x41"#) == Array("A".utf8))
        #expect(try Self.field(#"\x4aB"#) == [0x4A, UInt8(ascii: "B")])
        #expect(try Self.field(#"\xg"#) == Array("xg".utf8))
        #expect(try Self.field(#"a\x"#) == Array("ax".utf8))
        // An escaped delimiter or newline is data.
        #expect(try Self.field("a\\\tb") == Array("a\tb".utf8))
        #expect(try Self.field("a\\\nb") == Array("a\nb".utf8))
        #expect(try Self.field("") == [])
        #expect(try Self.field("é🐘") == Array("é🐘".utf8))
    }

    @Test("only a raw \\N is NULL")
    func nullMarker() throws {
        #expect(try Self.field(#"\N"#) == nil)
        #expect(try Self.field(#"\\N"#) == Array(#"\N"#.utf8))
        #expect(try Self.field(#"\Nx"#) == Array("Nx".utf8))
        #expect(try Self.field(#"x\N"#) == Array("xN".utf8))
        let rows = try Self.decode("\\N\t\\N\t\n\\.\n", columns: ["a", "b", "c"]).handler.rows
        #expect(rows == [[nil, nil, []]])
    }

    @Test("rows, counts and the end of the data")
    func structure() throws {
        let decoder = try Self.decode("1\ta\n2\t\\N\n\\.\n\n\n", columns: ["id", "v"])
        #expect(decoder.handler.rows == [[Array("1".utf8), Array("a".utf8)], [Array("2".utf8), nil]])
        #expect(decoder.rowCount == 2)
        #expect(decoder.byteCount == 14)
        #expect(decoder.isComplete)
        #expect(decoder.dataEndOffset == 9)
        #expect(try Self.decode("\\.\n\n\n", columns: ["a"]).rowCount == 0)
        // A table without columns: each row is an empty line.
        let empty = try Self.decode("\n\n\\.\n\n\n", columns: [])
        #expect(empty.handler.rows == [[], []])
        // A column list that is not known: rows are taken as they come.
        #expect(try Self.decode("a\tb\nc\n\\.\n").handler.rows.map(\.count) == [2, 1])
    }

    @Test("malformed data is an error saying what and where", arguments: [
        ("1\t2\n", "the data ends without the end-of-copy marker (\\.): it is truncated"),
        ("1\t2\n3\t", "line 2 of the COPY data (byte 4): the data ends in the middle of a row"),
        ("1\t2\n\\", "the data ends inside the end-of-copy marker"),
        ("1\t2\n\\.", "the data ends inside the end-of-copy marker"),
        ("1\t2\n\\.x\n", "end-of-copy marker corrupt"),
        ("1\t2\\.\n", "end-of-copy marker is not alone on its line"),
        ("1\t2\n\\.\nmore\n", "unexpected data after the end-of-copy marker"),
        ("1\t2\r\n\\.\n", "literal carriage return found in data"),
        ("1\t2\n3\n\\.\n", "line 2 of the COPY data (byte 4): missing data for column \"b\" (the row has 1 of 2 fields)"),
        ("1\t2\t3\n\\.\n", "line 1 of the COPY data (byte 0): extra data after last expected column"),
    ])
    func malformed(_ input: String, _ message: String) throws {
        let error = #expect(throws: PGDumpError.self) { _ = try Self.decode(input, columns: ["a", "b"]) }
        #expect(error?.kind == .corrupt)
        #expect(error?.message.contains(message) == true, "\(String(describing: error?.message))")
    }

    @Test("a table without columns rejects data")
    func zeroColumnsWithData() throws {
        let error = #expect(throws: PGDumpError.self) { _ = try Self.decode("x\n\\.\n", columns: []) }
        #expect(error?.message.contains("extra data after last expected column") == true)
    }

    @Test("verify's mode records the first problem, keeps the rows before it and drains the rest")
    func recordedProblem() throws {
        let decoder = try Self.decode(
            "1\t2\n3\t4\n5\n6\t7\n\\.\n", columns: ["a", "b"], pieceSize: 3, stopsAtFirstProblem: false)
        #expect(decoder.rowCount == 2)
        #expect(decoder.problem?.message.hasPrefix("line 3 of the COPY data (byte 8): missing data for column \"b\"") == true)
        #expect(decoder.problemByteOffset == 8)
        #expect(decoder.byteCount == 17)
    }

    @Test("a row longer than the limit is refused")
    func rowLimit() throws {
        let error = #expect(throws: PGDumpError.self) {
            _ = try Self.decode(String(repeating: "x", count: 100) + "\n\\.\n", columns: ["a"], maximumRowBytes: 64)
        }
        #expect(error?.kind == .limitExceeded)
    }

    /// Every escape form, NULLs, a line starting with a backslash that is not the end marker, and the marker.
    static let tricky = [
        #"a\"# + "\tb\t" + #"\N"# + "\t" + #"\x41\x4\101\1x"#,
        #"\\."# + "\t" + #"\\N"# + "\t" + #"\\x\"# + "\ny",
        #"\N"# + "\t\t" + #"\xg"#,
        #"\b\f\n\r\t\v"# + "\t" + #"\"# + "\t\t" + #"\q"#,
    ].joined(separator: "\n") + "\n" + #"\."# + "\n\n\n"

    @Test("the tricky rows decode as PostgreSQL decodes them")
    func trickyRows() throws {
        let rows = try Self.decode(Self.tricky, columns: ["a", "b", "c"]).handler.rows
        #expect(rows == [
            [Array("a\tb".utf8), nil, [0x41, 0x04, 0x41, 0x01, UInt8(ascii: "x")]],
            [Array(#"\."#.utf8), Array(#"\N"#.utf8), Array("\\x\ny".utf8)],
            [nil, [], Array("xg".utf8)],
            [[8, 12, 10, 13, 9, 11], [9], Array("q".utf8)],
        ])
    }

    @Test("the same rows whatever the chunk sizes", arguments: [1, 2, 3, 4, 5, 7, 11, 64])
    func chunkBoundaries(_ pieceSize: Int) throws {
        let whole = try Self.decode(Self.tricky, columns: ["a", "b", "c"])
        #expect(whole.rowCount == 4)
        let pieces = try Self.decode(Self.tricky, columns: ["a", "b", "c"], pieceSize: pieceSize)
        #expect(pieces.handler.rows == whole.handler.rows)
        #expect(pieces.dataEndOffset == whole.dataEndOffset)
    }

    @Test("real table data fed one byte at a time gives the server's CSV",
          arguments: ["archives/pg18/custom-default.dump", "archives/pg15/tar.tar", "archives/pg17/directory-zstd"])
    func oneByteAtATime(_ relative: String) throws {
        let expected = try ExpectedCSV.testdata.get()
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent(relative).path)
        for table in expected.tables {
            let entry = try #require(reader.entries.first {
                $0.desc.equals("TABLE DATA") && $0.namespace?.bytes == table.schema && $0.tag?.bytes == table.table
            })
            var raw = CollectingSink()
            try reader.streamData(of: entry, into: &raw)
            let single = try Archive.open(source: MemoryByteSource(
                ArchiveBuilder(version: .v1_16, entries: [(entry, raw.bytes)]).build(), name: "one.dump",
                maximumReadSize: 1))
            // The builder stores the data as one uncompressed chunk; the 1-byte source makes the reader hand it on
            // a byte at a time.
            let sink = MemoryByteSink()
            _ = try TableExtractor.extract(
                single.entries[0], from: single, options: ExtractOptions(format: .csv, header: true), to: sink)
            #expect(ByteComparison.difference(actual: sink.bytes, expected: try expected.expected(table)) == nil,
                    "\(relative) \(table)")
        }
    }

    @Test("copy format passes the stored text through up to the end marker, however it is cut",
          arguments: [1, 2, 3, 1000])
    func copyPassThrough(_ readSize: Int) throws {
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg18/custom-none.dump").path)
        var texts: [(TOCEntry, [UInt8])] = []
        for entry in reader.entries where entry.desc.equals("TABLE DATA") && entry.hasData {
            var raw = CollectingSink()
            try reader.streamData(of: entry, into: &raw)
            texts.append((entry, raw.bytes))
        }
        let table = TOCEntry(
            dumpID: 1, hadDumper: true, tag: "t", desc: "TABLE DATA", section: .data,
            copyStmt: "COPY public.t (a, b, c) FROM stdin;\n", namespace: "public", owner: "u")
        texts.append((table, Array(Self.tricky.utf8)))
        for (entry, text) in texts {
            let single = try Archive.open(source: MemoryByteSource(
                ArchiveBuilder(version: .v1_16, entries: [(entry, text)]).build(), name: "one.dump",
                maximumReadSize: readSize))
            let sink = MemoryByteSink()
            let summary = try TableExtractor.extract(
                single.entries[0], from: single, options: ExtractOptions(format: .copy), to: sink)
            let terminator = Array("\\.\n\n\n".utf8)
            try #require(text.suffix(terminator.count) == terminator[...])
            #expect(sink.bytes == Array(text.dropLast(terminator.count)), "entry \(entry.dumpID)")
            #expect(summary.dataBytes == Int64(text.count))
        }
    }

    /// What a decoder found: everything verify and the copy format read from it.
    struct Outcome: Equatable {
        var rows: Int64, bytes: Int64, complete: Bool, dataEnd: Int64?, problem: String?, problemOffset: Int64?
        var pendingAtEnd: Int
    }

    static func outcome<Handler: CopyRowHandler>(
        _ text: [UInt8], columns: [String]?, handler: Handler, pieceSize: Int, usesVectorScan: Bool = true
    ) -> Outcome {
        let decoder = CopyTextDecoder(
            columns: columns.map { $0.map { ArchiveText($0) } }, handler: handler, stopsAtFirstProblem: false,
            usesVectorScan: usesVectorScan)
        var sink = decoder
        try? feed(text, into: &sink, pieceSize: pieceSize)
        let pending = decoder.pendingMarkerByteCount
        try? decoder.finish()
        return Outcome(rows: decoder.rowCount, bytes: decoder.byteCount, complete: decoder.isComplete,
                       dataEnd: decoder.dataEndOffset, problem: decoder.problem?.message,
                       problemOffset: decoder.problemByteOffset, pendingAtEnd: pending)
    }

    /// Inputs where the counting scan (no values: verify, the copy format) must find what the decoding one finds:
    /// tabs and stop bytes at every position of a word, escapes across words, each kind of damage.
    static let countingCases: [String] = {
        var cases = [
            tricky, "1\t2\n\\.\n", "\\.\n\n\n", "\n\n\\.\n", "a\tb\tc\n\\.\n", "a\tb\n\\.x\n",
            "a\\\tb\tc\n\\.\n", "a\tb\\\nc\n\\.\n", "a\\.b\tc\n\\.\n", "a\tb\rc\n\\.\n", "a\tb\tc\rd\n\\.\n",
            "a\tb\n\\", "a\tb\n\\.", "a\tb", "a\tb\\", "a\tb\n\\.\nmore\n", "\\N\t\\x41\\101\n\\.\n\n",
            "a\t\t\n\\.\n", "\t\n\\.\n", "abcdefgh\tabcdefghijklmno\tp\nabcdefghijklmnopqrstu\tv\n\\.\n",
        ]
        // Every placement of a tab, a backslash pair, a newline and a carriage return in a long row.
        for position in 0..<20 {
            var row = Array(repeating: "x", count: 24)
            row[position] = "\t"
            cases.append(row.joined() + "\tz\n\\.\n")
            row[position] = "\\\\"
            cases.append(row.joined() + "\tz\n\\.\n")
            row[position] = "\r"
            cases.append("y\t" + row.joined() + "\n\\.\n")
            row[position] = "\t\t"
            cases.append(row.joined() + "\n\\.\n")
        }
        // Runs of good rows of every length, so that row ends fall at each position of the vector scan's 64-byte
        // blocks, then one bad row (a field too many or too few, an escape, a carriage return) or none.
        for width in [1, 5, 30, 63, 64, 65, 100] {
            for damage in ["", "x\ty\tz\tw\n", "x\n", "x\\y\tz\n", "x\ty\rz\n", "x\t\\.\n"] {
                var text = ""
                for row in 0..<40 {
                    let first = String(repeating: "a", count: (row * 7 + width) % (width + 3))
                    text += first + "\t" + String(repeating: "b", count: width) + "\n"
                }
                cases.append(text + damage + "\\.\n")
            }
        }
        // Rows of random pieces (a fixed sequence), ending in the marker: stops of every kind several to a block.
        let pieces = ["a", "bc", "\t", "\t", "\n", "\\\\", "\\t", "\\\n", "\\N", "\\.", "\r", "defghijklmnopq"]
        var seed: UInt64 = 18
        for _ in 0..<60 {
            var text = ""
            for _ in 0..<120 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                let piece = pieces[Int(seed >> 33) % pieces.count]
                // Damage is rarer than data: most texts should reach their end.
                if piece == "\\." || piece == "\r", seed & 0xF000 != 0 { continue }
                text += piece
            }
            cases.append(text + "\n\\.\n\n\n")
        }
        return cases
    }()

    @Test("counting rows without their values finds the same rows, ends and problems as decoding them",
          arguments: [1, 2, 3, 5, 7, 8, 9, 13, 64, Int.max])
    func countingMatchesDecoding(_ pieceSize: Int) {
        for text in Self.countingCases {
            for columns in [["a", "b"], ["a", "b", "c"], [], nil] as [[String]?] {
                let bytes = Array(text.utf8)
                let decoded = Self.outcome(bytes, columns: columns, handler: RowCollector(), pieceSize: pieceSize)
                let counted = Self.outcome(bytes, columns: columns, handler: CopyRowCounter(), pieceSize: pieceSize)
                #expect(counted == decoded, "\(text.debugDescription) columns \(String(describing: columns))")
                let scanned = Self.outcome(
                    bytes, columns: columns, handler: CopyRowCounter(), pieceSize: pieceSize, usesVectorScan: false)
                #expect(scanned == decoded, "sixteen-byte scan: \(text.debugDescription) \(String(describing: columns))")
            }
        }
    }
}
