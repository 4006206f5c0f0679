import Foundation
@testable import PGDumpKit
import PGDumpTestSupport
import Testing

/// Rows too large for memory go to a temporary file and are written back in pieces: the output must be the
/// same bytes as when the row is held whole, for every writer, whatever the piece and chunk boundaries.
@Suite struct LargeRowTests {
    /// COPY text with a field of `size` bytes holding everything the writers treat specially: quotes, commas,
    /// newlines and tabs (escaped), backslashes, multi-byte UTF-8 (cut by piece boundaries), and a NULL and an
    /// empty field beside it; then a small row.
    static func copyText(size: Int) -> [UInt8] {
        var big: [UInt8] = []
        let unit = Array("ab,\"c é€😀\\\\ \\n\\t|".utf8)
        while big.count < size { big += unit }
        return big + Array("\t\\N\t\t42\n".utf8) + Array("small\t\\N\t\t7\n\\.\n\n\n".utf8)
    }

    static let columns: [ArchiveText] = ["t", "n", "e", "i"]

    enum Writer: CaseIterable { case csv, tsv, jsonl }

    /// The writer's output for `text` decoded with `spillThreshold`, fed `chunk` bytes at a time.
    static func output(_ text: [UInt8], writer: Writer, spillThreshold: Int, chunk: Int) throws -> [UInt8] {
        let sink = MemoryByteSink()
        let buffer = OutputBuffer(sink: sink)
        func run<Handler: CopyRowHandler>(_ handler: Handler) throws {
            let decoder = CopyTextDecoder(columns: columns, handler: handler, spillThreshold: spillThreshold)
            var target = decoder
            try feed(text, into: &target, pieceSize: chunk)
            try decoder.finish()
        }
        switch writer {
        case .csv: try run(CSVRowWriter(output: buffer, columnCount: columns.count))
        case .tsv: try run(TextRowWriter(output: buffer))
        case .jsonl:
            try run(JSONLinesRowWriter(output: buffer, columns: columns, kinds: [.string, .string, .string, .integer]))
        }
        try buffer.flush()
        return sink.bytes
    }

    @Test("a spilled row is written exactly as a row held in memory", arguments: Writer.allCases)
    func spilledRowsMatch(_ writer: Writer) throws {
        // Past one read-back piece (1 MiB), so that fields are streamed rather than read back whole.
        let text = Self.copyText(size: (3 << 19) + 5003)
        let whole = try Self.output(text, writer: writer, spillThreshold: 1 << 30, chunk: 65521)
        for chunk in [4093, 65521] {
            let spilled = try Self.output(text, writer: writer, spillThreshold: 4096, chunk: chunk)
            #expect(ByteComparison.difference(actual: spilled, expected: whole) == nil, "\(writer) chunk \(chunk)")
        }
        #expect(whole.count > 1 << 20)
    }

    @Test("small rows with a spill threshold below them, and a row collector that reads them back whole")
    func smallThreshold() throws {
        let text = Self.copyText(size: 20_000)
        for writer in Writer.allCases {
            #expect(try Self.output(text, writer: writer, spillThreshold: 4096, chunk: 7)
                == (try Self.output(text, writer: writer, spillThreshold: 1 << 30, chunk: 7)))
        }
        let decoder = CopyTextDecoder(columns: Self.columns, handler: RowCollector(), spillThreshold: 4096)
        var target = decoder
        try feed(text, into: &target, pieceSize: 997)
        try decoder.finish()
        #expect(decoder.handler.rows.count == 2)
        #expect(decoder.handler.rows[0][1] == nil)
        #expect(decoder.handler.rows[0][2] == [])
        #expect(decoder.handler.rows[0][3] == Array("42".utf8))
        #expect(decoder.handler.rows[0][0]?.count ?? 0 >= 17_000)
    }

    @Test("INSERT data spills the same way")
    func insertRows() throws {
        var value = ""
        while value.utf8.count < 30_000 { value += "it''s, a \"quote\" é\n" }
        let sql = "INSERT INTO t VALUES ('\(value)', NULL, '', 42);\nINSERT INTO t VALUES ('small', NULL, '', 7);\n"
        func output(spillThreshold: Int) throws -> [UInt8] {
            let sink = MemoryByteSink()
            let buffer = OutputBuffer(sink: sink)
            let decoder = InsertStatementDecoder(
                handler: CSVRowWriter(output: buffer, columnCount: 4), backslashEscapesInStrings: false,
                spillThreshold: spillThreshold)
            var target = decoder
            try feed(Array(sql.utf8), into: &target, pieceSize: 1021)
            try decoder.finish()
            try buffer.flush()
            return sink.bytes
        }
        #expect(try output(spillThreshold: 4096) == (try output(spillThreshold: 1 << 30)))
    }

    @Test("memory stays bounded by the spill threshold however large the field")
    func boundedMemory() throws {
        let text = Self.copyText(size: 3 << 20)
        let sink = MemoryByteSink()
        let buffer = OutputBuffer(sink: sink)
        let decoder = CopyTextDecoder(
            columns: Self.columns, handler: CSVRowWriter(output: buffer, columnCount: 4), spillThreshold: 64 << 10)
        var target = decoder
        try feed(text, into: &target, pieceSize: 65521)
        try decoder.finish()
        #expect(decoder.valuesCapacity <= 64 << 10 + 65521)

        var value = String(repeating: "x", count: 3 << 20)
        value += "''"
        let insert = InsertStatementDecoder(
            handler: CSVRowWriter(output: buffer, columnCount: 1), backslashEscapesInStrings: false,
            spillThreshold: 64 << 10)
        var insertTarget = insert
        try feed(Array("INSERT INTO t VALUES ('\(value)');\n".utf8), into: &insertTarget, pieceSize: 65521)
        try insert.finish()
        #expect(insert.values.capacity <= 256 << 10)
    }
}
