import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Collects rows with their line numbers, and whether each came whole or spilled.
private struct LineCollector: CopyRowHandler {
    var rows: [String] = []
    /// Rows handed over with a text that is not their fields joined by tabs, or a wrong empty-or-NULL flag.
    var wrongTexts = 0
    var collectsValues: Bool { true }
    /// Whether rows come together (`handlePlainRows`, taken apart by its default).
    var takesPlainRows = false
    mutating func handleRow(_ row: CopyRow) throws {
        if let text = row.text {
            let fields = (0..<row.count).map { row[$0].map(Array.init) }
            let joined = Array(fields.map { $0 ?? Array("\\N".utf8) }.joined(separator: [0x09]))
            if Array(text) != joined || row.hasEmptyOrNullField != fields.contains(where: { $0?.isEmpty ?? true }) {
                wrongTexts += 1
            }
        }
        rows.append("\(row.lineNumber): " + (0..<row.count).map { row[$0].map { Array($0).description } ?? "NULL" }
            .joined(separator: " | "))
    }
    mutating func handleLargeRow(_ row: LargeCopyRow) throws {
        let (values, bounds) = try row.readWhole()
        rows.append("\(row.lineNumber) large: " + (0..<row.count).map { index in
            bounds[2 * index] < 0 ? "NULL" : Array(values[bounds[2 * index]..<bounds[2 * index + 1]]).description
        }.joined(separator: " | "))
    }
}

/// The COPY decoder's rows handed over where they lie in the chunk, against the byte-by-byte path; and the CSV and
/// TSV writers' direct row writing against the server's rules, written here plainly.
@Suite struct DirectRowTests {
    struct Outcome: Equatable {
        var rows: [String], wrongTexts: Int, count: Int64, bytes: Int64, complete: Bool, dataEnd: Int64?, problem: String?
        var problemOffset: Int64?
    }

    /// Decodes `text` cut at `cuts` (offsets, in order), in place or byte by byte.
    static func outcome(
        _ text: [UInt8], columns: [String]?, cuts: [Int], inPlace: Bool, maximumRowBytes: Int = 1 << 30,
        spillThreshold: Int = 8 << 20, takesPlainRows: Bool = false
    ) -> Outcome {
        let decoder = CopyTextDecoder(
            columns: columns.map { $0.map { ArchiveText($0) } }, handler: LineCollector(takesPlainRows: takesPlainRows),
            stopsAtFirstProblem: false,
            maximumRowBytes: maximumRowBytes, spillThreshold: spillThreshold, handsRowsInPlace: inPlace)
        var start = 0
        for end in cuts + [text.count] where end >= start {
            try? text[start..<end].withUnsafeBytes { try decoder.write($0) }
            start = end
        }
        try? decoder.finish()
        return Outcome(rows: decoder.handler.rows, wrongTexts: decoder.handler.wrongTexts, count: decoder.rowCount, bytes: decoder.byteCount,
                       complete: decoder.isComplete, dataEnd: decoder.dataEndOffset, problem: decoder.problem?.message,
                       problemOffset: decoder.problemByteOffset)
    }

    /// Rows the direct path takes and rows it must give back: NULLs and near-NULLs everywhere in a row, empty
    /// fields, escapes of every kind, multibyte UTF-8, fields around sixteen bytes, damage.
    static let rowCases: [String] = [
        "1\t1\t0\t" + String(repeating: " ", count: 84) + "\n2\t1\t0\t" + String(repeating: " ", count: 84) + "\n\\.\n\n\n",
        "\\N\t\\N\t\\N\n\t\t\n\\N\t\t\\N\n\t\\N\t\n\\.\n\n\n",
        "\\Nx\t\\N\\N\tx\\N\n\\\\N\t\\N\t\\N\\t\n\\.\n\n\n",
        "é🐘\tñ,\"q\"\t" + String(repeating: "ü", count: 20) + "\n\\.\n\n\n",
        "a,b\t\"\t\\r\\n\n\\r\t\\n\t\\\\.\n\\.\n\n\n",
        "\\.x\tb\tc\n\\.\n\n\n",
        "\\\\.\tb\tc\n\\\\\t\\x41\t\\101\n\\.\n\n\n",
        "abcdefghijklmnop\tabcdefghijklmnopq\tabcdefghijklmno\nabcdefghijklmnopqrstuvwxyz0123456789\t\t\\N\n\\.\n\n\n",
        "a\tb\tc\td\n\\.\n\n\n",
        "a\tb\n\\.\n\n\n",
        "a\tb\tc\r\n\\.\n\n\n",
        "a\tb\\\nc\tc\n\\.\n\n\n",
        "a\tb\tc\n\\N",
        "a\tb\tc\nx\t\\N\t",
        "a\tb\tc\n\\.\nmore\n",
        "a\tb\\.\tc\n\\.\n\n\n",
        "\\N\n\\.\n\n\n",
        "a\u{01}b\tc\u{0B}\u{0C}\t\u{08}\n\u{07}\t\u{0E}\u{1F}\t\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\u{0C}\n\\.\n\n\n",
    ]

    @Test("rows handed over in place are the byte-by-byte path's rows, with its problems, cut at every position")
    func everyCut() {
        for text in Self.rowCases {
            let bytes = Array(text.utf8)
            for columns in [["a", "b", "c"], ["a", "b"], ["a"], ["a", "b", "c", "d"]] {
                let reference = Self.outcome(bytes, columns: columns, cuts: [], inPlace: false)
                #expect(Self.outcome(bytes, columns: columns, cuts: [], inPlace: true) == reference,
                        "\(text.debugDescription) \(columns)")
                for cut in 0...bytes.count {
                    for runs in [false, true] {
                        let cutOnce = Self.outcome(bytes, columns: columns, cuts: [cut], inPlace: true, takesPlainRows: runs)
                        #expect(cutOnce == reference, "\(text.debugDescription) \(columns) cut at \(cut)")
                        let cutTwice = Self.outcome(
                            bytes, columns: columns, cuts: [cut / 2, cut], inPlace: true, takesPlainRows: runs)
                        #expect(cutTwice == reference, "\(text.debugDescription) \(columns) cut at \(cut / 2), \(cut)")
                    }
                }
            }
        }
    }

    @Test("the counting cases decode alike in place and byte by byte, in pieces of any size",
          arguments: [1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 64, Int.max])
    func pieces(_ pieceSize: Int) {
        for text in ExtractDecoderTests.countingCases + Self.rowCases {
            let bytes = Array(text.utf8)
            let cuts = pieceSize >= bytes.count ? [] : Array(stride(from: pieceSize, to: bytes.count, by: pieceSize))
            for columns in [["a", "b"], ["a", "b", "c"], [], nil] as [[String]?] {
                let reference = Self.outcome(bytes, columns: columns, cuts: [], inPlace: false)
                #expect(Self.outcome(bytes, columns: columns, cuts: cuts, inPlace: true) == reference,
                        "\(text.debugDescription) \(String(describing: columns))")
                #expect(Self.outcome(bytes, columns: columns, cuts: cuts, inPlace: true, takesPlainRows: true)
                        == reference, "\(text.debugDescription) \(String(describing: columns)) in runs")
            }
        }
    }

    @Test("rows around the row limit and the spill threshold are refused or spilled as byte by byte")
    func limits() {
        for length in [60, 62, 63, 64, 65, 66, 70] {
            let text = Array((String(repeating: "x", count: length - 4) + "\tab\n1\t2\n\\.\n\n\n").utf8)
            for cut in [0, 3, length - 2, length, length + 1] {
                let reference = Self.outcome(text, columns: ["a", "b"], cuts: [], inPlace: false, maximumRowBytes: 64)
                #expect(Self.outcome(text, columns: ["a", "b"], cuts: [cut], inPlace: true, maximumRowBytes: 64)
                        == reference, "\(length) cut at \(cut)")
                #expect(Self.outcome(text, columns: ["a", "b"], cuts: [cut], inPlace: true, maximumRowBytes: 64,
                                     takesPlainRows: true) == reference, "\(length) cut at \(cut) in runs")
            }
        }
        for length in [4090, 4094, 4095, 4096, 4097, 4098, 4100] {
            let text = Array((String(repeating: "y", count: length - 6) + "\t\\N\tz\n1\t2\t3\n\\.\n\n\n").utf8)
            let reference = Self.outcome(text, columns: ["a", "b", "c"], cuts: [], inPlace: false, spillThreshold: 4096)
            for cut in [0, 5, length - 1, length + 3] {
                #expect(Self.outcome(text, columns: ["a", "b", "c"], cuts: [cut], inPlace: true, spillThreshold: 4096)
                        == reference, "\(length) cut at \(cut)")
                #expect(Self.outcome(text, columns: ["a", "b", "c"], cuts: [cut], inPlace: true, spillThreshold: 4096,
                                     takesPlainRows: true) == reference, "\(length) cut at \(cut) in runs")
            }
        }
    }

    // MARK: - Writers

    /// A value as COPY text writes it.
    static func copyText(_ value: [UInt8]?) -> [UInt8] {
        guard let value else { return Array("\\N".utf8) }
        return value.flatMap { byte -> [UInt8] in
            switch byte {
            case 0x5C: return [0x5C, 0x5C]
            case 0x09: return [0x5C, 0x74]
            case 0x0A: return [0x5C, 0x6E]
            case 0x0D: return [0x5C, 0x72]
            default: return [byte]
            }
        }
    }

    /// CopyAttributeOutCSV, plainly.
    static func csv(_ value: [UInt8]?, singleColumn: Bool) -> [UInt8] {
        guard let value else { return [] }
        let forces = value.isEmpty || value.contains { [0x0A, 0x0D, 0x22, 0x2C].contains($0) }
            || (singleColumn && value == Array("\\.".utf8))
        guard forces else { return value }
        return [0x22] + value.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
    }

    /// CopyAttributeOutText, plainly.
    static func tsv(_ value: [UInt8]?) -> [UInt8] {
        guard let value else { return Array("\\N".utf8) }
        let letters: [UInt8: UInt8] = [8: 0x62, 9: 0x74, 10: 0x6E, 11: 0x76, 12: 0x66, 13: 0x72, 0x5C: 0x5C]
        return value.flatMap { letters[$0].map { [0x5C, $0] } ?? [$0] }
    }

    /// Values of every length up to 40 from an alphabet of plain bytes, bytes that force quotes or escapes, and
    /// UTF-8 (as Latin-1 scalars' bytes would not be: only ASCII is used to build the COPY text).
    static func randomTable(columns: Int, rows: Int, seed start: UInt64) -> [[[UInt8]?]] {
        let alphabet: [[UInt8]] = [
            [0x61], [0x62], [0x20], [0x2C], [0x22], [0x0A], [0x0D], [0x09], [0x5C], [0x2E], [0x08], [0x0B], [0x0C],
            [0x01], Array("é".utf8), Array("🐘".utf8), [0x4E],
        ]
        var seed = start
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33)
        }
        return (0..<rows).map { _ in
            (0..<columns).map { _ in
                if next() % 8 == 0 { return nil }
                let length = next() % 3 == 0 ? next() % 41 : next() % 5
                // Most values plain, so that long runs reach the block scans; some with one special byte.
                let plain = next() % 2 == 0
                return (0..<length).flatMap { _ in plain ? [UInt8(0x61 + next() % 26)] : alphabet[next() % alphabet.count] }
            }
        }
    }

    /// JSONText's escaping, plainly (the values here are valid UTF-8).
    static func json(_ value: [UInt8]?) -> [UInt8] {
        guard let value else { return Array("null".utf8) }
        let short: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 8: 0x62, 9: 0x74, 10: 0x6E, 12: 0x66, 13: 0x72]
        return [0x22] + value.flatMap { byte -> [UInt8] in
            if let letter = short[byte] { return [0x5C, letter] }
            if byte < 0x20 { return Array(String(format: "\\u%04x", byte).utf8) }
            return [byte]
        } + [0x22]
    }

    @Test("JSON Lines rows written in place escape every value as JSON", arguments: [1, 3], [7, 4096, Int.max])
    func jsonLines(_ columnCount: Int, _ readSize: Int) throws {
        let table = Self.randomTable(columns: columnCount, rows: 400, seed: UInt64(10 + columnCount))
        let text = String(decoding: table.flatMap { Array($0.map(Self.copyText).joined(separator: [0x09])) + [0x0A] },
                          as: UTF8.self)
        let columns = (0..<columnCount).map { (name: "c\($0)", type: "text") }
        let jsonl = try CraftedTable.extract(
            columns: columns, copyText: text, ExtractOptions(format: .jsonl), maximumReadSize: readSize)
        var expected: [UInt8] = []
        for row in table {
            for (index, value) in row.enumerated() {
                expected += Array((index == 0 ? "{\"c\(index)\":" : ",\"c\(index)\":").utf8) + Self.json(value)
            }
            expected += Array("}\n".utf8)
        }
        #expect(ByteComparison.difference(actual: Array(jsonl.utf8), expected: expected) == nil)
    }

    @Test("--typed JSON Lines rows written in place: numbers and booleans native when they have the form")
    func typedJSONLines() throws {
        let values = ["12", "-3", "0", "1.5", "-0.25", "1e5", "abc", "t", "f", "", "\\N", "NaN", " 1", "1,5"]
        var text = ""
        for (index, value) in values.enumerated() {
            text += [value, values[(index + 3) % values.count], values[(index + 7) % values.count], value]
                .joined(separator: "\t") + "\n"
        }
        let columns: [(name: String, type: String)] = [
            ("i", "integer"), ("n", "numeric"), ("b", "boolean"), ("s", "text"),
        ]
        let jsonl = try CraftedTable.extract(
            columns: columns, copyText: text, ExtractOptions(format: .jsonl, typed: true))
        func isInteger(_ value: String) -> Bool { value.wholeMatch(of: /-?(0|[1-9][0-9]*)/) != nil }
        func isNumber(_ value: String) -> Bool {
            value.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil
        }
        func string(_ value: String) -> String { value == "\\N" ? "null" : "\"" + value + "\"" }
        var expected = ""
        for (index, value) in values.enumerated() {
            let numeric = values[(index + 3) % values.count], boolean = values[(index + 7) % values.count]
            expected += "{\"i\":" + (isInteger(value) ? value : string(value))
                + ",\"n\":" + (isNumber(numeric) ? numeric : string(numeric))
                + ",\"b\":" + (boolean == "t" ? "true" : boolean == "f" ? "false" : string(boolean))
                + ",\"s\":" + string(value) + "}\n"
        }
        #expect(jsonl == expected)
    }

    @Test("runs of plain rows longer than a run, a row with a comma or a quote now and then", arguments: [100_000, Int.max])
    func longRuns(_ readSize: Int) throws {
        var table: [[[UInt8]?]] = []
        for row in 0..<6000 {
            let special: [UInt8] = row % 997 == 0 ? [0x2C] : row % 1499 == 0 ? [0x22] : row % 2003 == 0 ? [0x08] : []
            table.append([Array("\(row)".utf8), Array(repeating: 0x61, count: row % 37 + 1) + special + [0x62]])
        }
        let text = String(decoding: table.flatMap { Array($0.map(Self.copyText).joined(separator: [0x09])) + [0x0A] },
                          as: UTF8.self)
        let columns: [(name: String, type: String)] = [("a", "text"), ("b", "text")]
        let csv = try CraftedTable.extract(
            columns: columns, copyText: text, ExtractOptions(format: .csv), maximumReadSize: readSize)
        let expectedCSV = table.flatMap { row in
            Array(row.map { Self.csv($0, singleColumn: false) }.joined(separator: [0x2C])) + [0x0A]
        }
        #expect(ByteComparison.difference(actual: Array(csv.utf8), expected: expectedCSV) == nil)
        let tsv = try CraftedTable.extract(
            columns: columns, copyText: text, ExtractOptions(format: .tsv), maximumReadSize: readSize)
        let expectedTSV = table.flatMap { row in Array(row.map(Self.tsv).joined(separator: [0x09])) + [0x0A] }
        #expect(ByteComparison.difference(actual: Array(tsv.utf8), expected: expectedTSV) == nil)
    }

    @Test("a row larger than the output buffer is written a value at a time, alike")
    func largeRow() throws {
        let value = Array(repeating: Array("ab,\"c".utf8), count: 120_000).flatMap { $0 }
        let text = "x\t" + String(decoding: value, as: UTF8.self) + "\n"
        let columns: [(name: String, type: String)] = [("a", "text"), ("b", "text")]
        let csv = try CraftedTable.extract(columns: columns, copyText: text, ExtractOptions(format: .csv))
        #expect(Array(csv.utf8) == Array("x,".utf8) + Self.csv(value, singleColumn: false) + [0x0A])
        let tsv = try CraftedTable.extract(columns: columns, copyText: text, ExtractOptions(format: .tsv))
        #expect(Array(tsv.utf8) == Array("x\t".utf8) + value + [0x0A])
    }

    @Test("CSV and TSV rows written in place follow the server's rules for every value, however the data is cut",
          arguments: [1, 2, 3], [7, 100, 4096, Int.max])
    func writers(_ columnCount: Int, _ readSize: Int) throws {
        var table = Self.randomTable(columns: columnCount, rows: 400, seed: UInt64(columnCount))
        if columnCount == 1 { table += [[Array("\\.".utf8)], [Array("\\.x".utf8)], [[]], [nil]] }
        let text = String(decoding: table.flatMap { Array($0.map(Self.copyText).joined(separator: [0x09])) + [0x0A] },
                          as: UTF8.self)
        let columns = (0..<columnCount).map { (name: "c\($0)", type: "text") }
        let csv = try CraftedTable.extract(
            columns: columns, copyText: text, ExtractOptions(format: .csv), maximumReadSize: readSize)
        let expectedCSV = table.flatMap { row in
            Array(row.map { Self.csv($0, singleColumn: columnCount == 1) }.joined(separator: [0x2C])) + [0x0A]
        }
        #expect(ByteComparison.difference(actual: Array(csv.utf8), expected: expectedCSV) == nil)
        let tsv = try CraftedTable.extract(
            columns: columns, copyText: text, ExtractOptions(format: .tsv), maximumReadSize: readSize)
        let expectedTSV = table.flatMap { row in Array(row.map(Self.tsv).joined(separator: [0x09])) + [0x0A] }
        #expect(ByteComparison.difference(actual: Array(tsv.utf8), expected: expectedTSV) == nil)
    }
}
