import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PGDumpCodecs
import PGDumpFormats

/// Writes rows as PostgreSQL's `COPY ... TO STDOUT WITH (FORMAT csv[, HEADER])` writes them, byte for byte.
///
/// Mirrors `CopyAttributeOutCSV` (`copyto.c`) with the defaults: delimiter `,`, quote and escape `"`, NULL
/// written as nothing. A value is quoted only when it must be: when it holds the delimiter, the quote, a carriage
/// return or a newline; when it equals the NULL marker (the empty string: an empty value is written `""` so that it
/// reads back as empty, not NULL); and, in a table of a single column, when it is `\.`, which older servers would
/// read as the end of the data. Inside quotes a quote is doubled. Rows end with `\n`. Bytes are written in the
/// archive's encoding, as the server writes them when the client encoding is the database's.
package struct CSVRowWriter: CopyRowHandler {
    private let output: OutputBuffer
    private let singleColumn: Bool

    init(output: OutputBuffer, columnCount: Int) {
        self.output = output
        self.singleColumn = columnCount == 1
    }

    package var collectsValues: Bool { true }

    /// Writes the header line: the column names, each quoted by the same rules as a value
    /// (`CopyToTextLikeStart`).
    func writeHeader(_ columns: [ArchiveText]) throws {
        for (index, name) in columns.enumerated() {
            if index > 0 { try output.append(UInt8(ascii: ",")) }
            try name.bytes.withUnsafeBytes { try writeValue($0) }
        }
        try output.append(0x0A)
    }

    package mutating func handleRow(_ row: CopyRow) throws {
        for index in 0..<row.count {
            if index > 0 { try output.append(UInt8(ascii: ",")) }
            if let value = row[index] { try writeValue(value) }
        }
        try output.append(0x0A)
    }

    /// A row too large for memory: a field up to a piece is written as any other; a larger one is read twice,
    /// once to learn whether it needs quotes (as the server decides on the whole value), once to write it.
    package mutating func handleLargeRow(_ row: LargeCopyRow) throws {
        for index in 0..<row.count {
            if index > 0 { try output.append(UInt8(ascii: ",")) }
            if row.isNull(index) { continue }
            if row.length(of: index) <= RowSpillFile.pieceSize {
                try row.field(index)!.withUnsafeBytes { try writeValue($0) }
                continue
            }
            var quoted = false
            try row.forEachPiece(of: index) { piece in
                if !quoted && needsQuotes(piece) { quoted = true }
            }
            let quote = UInt8(ascii: "\"")
            if quoted { try output.append(quote) }
            try row.forEachPiece(of: index) { piece in
                if quoted { try appendDoublingQuotes(piece) } else { try output.append(piece) }
            }
            if quoted { try output.append(quote) }
        }
        try output.append(0x0A)
    }

    private func writeValue(_ value: UnsafeRawBufferPointer) throws {
        if !needsQuotes(value) {
            try output.append(value)
            return
        }
        let quote = UInt8(ascii: "\"")
        try output.append(quote)
        try appendDoublingQuotes(value)
        try output.append(quote)
    }

    /// The bytes, each quote written twice; runs between quotes are copied whole.
    private func appendDoublingQuotes(_ value: UnsafeRawBufferPointer) throws {
        guard let base = value.baseAddress else { return }
        let quote = UInt8(ascii: "\"")
        var runStart = 0
        // memchr finds the quotes (rare) a word at a time, rather than a compare per byte.
        while runStart < value.count, let found = memchr(base + runStart, Int32(quote), value.count - runStart) {
            let index = UnsafeRawPointer(found) - base
            try output.append(UnsafeRawBufferPointer(rebasing: value[runStart...index]))
            try output.append(quote)
            runStart = index + 1
        }
        try output.append(UnsafeRawBufferPointer(rebasing: value[runStart...]))
    }

    @inline(__always)
    private func needsQuotes(_ value: UnsafeRawBufferPointer) -> Bool {
        // Equal to the NULL marker (the empty string).
        if value.isEmpty { return true }
        if singleColumn && value.count == 2 && value[0] == UInt8(ascii: "\\") && value[1] == UInt8(ascii: ".") {
            return true
        }
        // Eight bytes at a time; carriage return and newline are below 0x0E.
        let base = value.baseAddress!
        var index = 0
        while index &+ 8 <= value.count {
            let word = WordScan.load(base, index)
            if WordScan.matches(word, UInt8(ascii: ",")) | WordScan.matches(word, UInt8(ascii: "\""))
                | WordScan.below(word, 0x0E) != 0
            {
                break
            }
            index &+= 8
        }
        for byte in value[index...] where Self.needsQuotes(byte) { return true }
        return false
    }

    @inline(__always)
    private static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D
    }
}
