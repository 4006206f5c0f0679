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

    /// The row written straight into the buffer, in room made once for the most it can take (every value quoted
    /// with every byte a quote); a row too large for the buffer is appended a value at a time.
    package mutating func handleRow(_ row: CopyRow) throws {
        if let text = row.text, !row.hasEmptyOrNullField, let start = try output.room(for: text.count &+ 1),
           Self.write(text, at: start)
        {
            start.storeBytes(of: 0x0A, toByteOffset: text.count, as: UInt8.self)
            output.commit(text.count &+ 1)
            return
        }
        let fields = row.count
        var most = fields &+ 1
        for index in 0..<fields { most &+= 2 &* row.unsafeField(index).count &+ 2 }
        guard let start = try output.room(for: most) else { return try appendRow(row) }
        var next = start
        for index in 0..<fields {
            if index > 0 {
                next.storeBytes(of: UInt8(ascii: ","), as: UInt8.self)
                next += 1
            }
            let (value, length) = row.unsafeField(index)
            guard let value else { continue }
            next = write(value, length, at: next)
        }
        next.storeBytes(of: 0x0A, as: UInt8.self)
        next += 1
        output.commit(next - start)
    }

    package var takesPlainRows: Bool { true }

    /// Plain rows (see `CopyRowHandler.handlePlainRows`) are written as their text, each tab a comma, as long as
    /// no field needs quotes; from the block holding a byte that forces them, the rows whose text was not
    /// written go on a row at a time, the next one field by field, and the rest again together.
    package mutating func handlePlainRows(_ text: UnsafeRawBufferPointer, count: Int, firstLineNumber: Int64) throws {
        let base = text.baseAddress!
        var offset = 0
        while offset < text.count {
            let rest = UnsafeRawBufferPointer(start: base + offset, count: text.count &- offset)
            if let start = try output.room(for: rest.count) {
                let written = Self.writeRun(rest, at: start)
                if written == rest.count {
                    output.commit(written)
                    return
                }
                // Keep the whole lines written.
                var lineStart = written
                while lineStart > 0 && rest[lineStart &- 1] != 0x0A { lineStart &-= 1 }
                output.commit(lineStart)
                offset &+= lineStart
            }
            var lineEnd = offset
            while base.load(fromByteOffset: lineEnd, as: UInt8.self) != 0x0A { lineEnd &+= 1 }
            try writePlainLine(UnsafeRawBufferPointer(start: base + offset, count: lineEnd &- offset))
            offset = lineEnd &+ 1
        }
    }

    /// Writes one plain row (no newline) field by field.
    private func writePlainLine(_ line: UnsafeRawBufferPointer) throws {
        let base = line.baseAddress!
        guard let start = try output.room(for: 3 &* line.count &+ 4) else {
            var fieldStart = 0
            for index in 0...line.count where index == line.count || line[index] == 0x09 {
                if fieldStart > 0 { try output.append(UInt8(ascii: ",")) }
                try writeValue(UnsafeRawBufferPointer(rebasing: line[fieldStart..<index]))
                fieldStart = index + 1
            }
            return try output.append(0x0A)
        }
        var next = start
        var fieldStart = 0
        for index in 0...line.count where index == line.count || line[index] == 0x09 {
            if fieldStart > 0 {
                next.storeBytes(of: UInt8(ascii: ","), as: UInt8.self)
                next += 1
            }
            next = write(base + fieldStart, index &- fieldStart, at: next)
            fieldStart = index &+ 1
        }
        next.storeBytes(of: 0x0A, as: UInt8.self)
        next += 1
        output.commit(next - start)
    }

    /// Writes plain rows' text as CSV at `target` as long as no field needs quotes: the text itself, each tab a
    /// comma, sixteen bytes at a time. Returns how many bytes of it were written, from its start: all of them, or
    /// fewer when a block holds a comma or a quote.
    @inline(__always)
    private static func writeRun(_ text: UnsafeRawBufferPointer, at target: UnsafeMutableRawPointer) -> Int {
        let source = text.baseAddress!
        let length = text.count
        let commas = WordScan.Block(repeating: UInt8(ascii: ",")), quotes = WordScan.Block(repeating: 0x22)
        let tabs = WordScan.Block(repeating: 0x09)
        var index = 0
        while index &+ 16 <= length {
            let block = WordScan.loadBlock(source, index)
            let (forces0, forces1) = WordScan.words((block .== commas) .| (block .== quotes))
            if forces0 | forces1 != 0 { return index }
            target.storeBytes(of: block.replacing(with: commas, where: block .== tabs), toByteOffset: index,
                              as: WordScan.Block.self)
            index &+= 16
        }
        while index < length {
            var byte = source.load(fromByteOffset: index, as: UInt8.self)
            if byte == UInt8(ascii: ",") || byte == 0x22 { return index }
            if byte == 0x09 { byte = UInt8(ascii: ",") }
            target.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
            index &+= 1
        }
        return length
    }

    private func appendRow(_ row: CopyRow) throws {
        for index in 0..<row.count {
            if index > 0 { try output.append(UInt8(ascii: ",")) }
            if let value = row[index] { try writeValue(value) }
        }
        try output.append(0x0A)
    }

    /// Writes a row's COPY text (see `CopyRow.text`) whose fields are neither NULL nor empty as CSV, if no field
    /// needs quotes: the text itself, each tab a comma, sixteen bytes at a time. No field then holds a newline, a
    /// carriage return or a backslash, nor is `\.`. Returns false, having written nothing that counts, when a
    /// field holds a comma or a quote.
    @inline(__always)
    private static func write(_ text: UnsafeRawBufferPointer, at target: UnsafeMutableRawPointer) -> Bool {
        let source = text.baseAddress!
        let length = text.count
        let commas = WordScan.Block(repeating: UInt8(ascii: ",")), quotes = WordScan.Block(repeating: 0x22)
        let tabs = WordScan.Block(repeating: 0x09)
        if length >= 16 {
            var index = 0
            while true {
                // The last block overlaps the one before it rather than being cut short.
                if index &+ 16 > length { index = length &- 16 }
                let block = WordScan.loadBlock(source, index)
                let (forces0, forces1) = WordScan.words((block .== commas) .| (block .== quotes))
                if forces0 | forces1 != 0 { return false }
                target.storeBytes(of: block.replacing(with: commas, where: block .== tabs), toByteOffset: index,
                                  as: WordScan.Block.self)
                index &+= 16
                if index == length { return true }
            }
        }
        for index in 0..<length {
            var byte = source.load(fromByteOffset: index, as: UInt8.self)
            if byte == UInt8(ascii: ",") || byte == 0x22 { return false }
            if byte == 0x09 { byte = UInt8(ascii: ",") }
            target.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
        }
        return true
    }

    /// The bytes that make a value need quotes (a newline, a carriage return, a quote, a comma), as a bit set:
    /// all are below 64.
    private static let quotedBytes: UInt64 = 1 << 0x0A | 1 << 0x0D | 1 << 0x22 | 1 << 0x2C

    @inline(__always)
    private static func forcesQuotes(_ byte: UInt8) -> Bool {
        byte < 64 && (quotedBytes &>> UInt64(byte)) & 1 != 0
    }

    /// Nonzero when one of the eight bytes forces quotes (see `needsQuotes`).
    @inline(__always)
    private static func forcesQuotes(word: UInt64) -> UInt64 {
        WordScan.matches(word, UInt8(ascii: ",")) | WordScan.matches(word, UInt8(ascii: "\""))
            | WordScan.matches(word, 0x0A) | WordScan.matches(word, 0x0D)
    }

    /// Writes a non-null value at `target`, which has room for twice its length and two, and returns where the
    /// next byte goes. The value is copied sixteen bytes at a time while it is looked at; at the first byte that
    /// forces quotes it is written again, quoted.
    @inline(__always)
    private func write(_ value: UnsafeRawPointer, _ length: Int, at target: UnsafeMutableRawPointer)
        -> UnsafeMutableRawPointer
    {
        if length >= 16 {
            let commas = WordScan.Block(repeating: UInt8(ascii: ",")), quotes = WordScan.Block(repeating: 0x22)
            let newlines = WordScan.Block(repeating: 0x0A), returns = WordScan.Block(repeating: 0x0D)
            var index = 0
            while true {
                // The last block overlaps the one before it rather than being cut short.
                if index &+ 16 > length { index = length &- 16 }
                let block = WordScan.loadBlock(value, index)
                let forces = (block .== commas) .| (block .== quotes) .| (block .== newlines) .| (block .== returns)
                let (forces0, forces1) = WordScan.words(forces)
                if forces0 | forces1 != 0 { return writeQuoted(value, length, at: target) }
                target.storeBytes(of: block, toByteOffset: index, as: WordScan.Block.self)
                index &+= 16
                if index == length { return target + length }
            }
        }
        if length >= 8 {
            let first = WordScan.load(value, 0), last = WordScan.load(value, length &- 8)
            if Self.forcesQuotes(word: first) | Self.forcesQuotes(word: last) != 0 {
                return writeQuoted(value, length, at: target)
            }
            target.storeBytes(of: first, as: UInt64.self)
            target.storeBytes(of: last, toByteOffset: length &- 8, as: UInt64.self)
            return target + length
        }
        if length == 0 || singleColumn && length == 2 && value.load(as: UInt8.self) == UInt8(ascii: "\\")
            && value.load(fromByteOffset: 1, as: UInt8.self) == UInt8(ascii: ".")
        {
            return writeQuoted(value, length, at: target)
        }
        for index in 0..<length {
            let byte = value.load(fromByteOffset: index, as: UInt8.self)
            if Self.forcesQuotes(byte) { return writeQuoted(value, length, at: target) }
            target.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
        }
        return target + length
    }

    /// Writes a value quoted, each quote in it doubled.
    private func writeQuoted(_ value: UnsafeRawPointer, _ length: Int, at target: UnsafeMutableRawPointer)
        -> UnsafeMutableRawPointer
    {
        let quote = UInt8(ascii: "\"")
        target.storeBytes(of: quote, as: UInt8.self)
        var next = target + 1
        var runStart = 0
        while runStart < length, let found = memchr(value + runStart, Int32(quote), length - runStart) {
            let end = UnsafeRawPointer(found) - value + 1
            next.copyMemory(from: value + runStart, byteCount: end - runStart)
            next += end - runStart
            next.storeBytes(of: quote, as: UInt8.self)
            next += 1
            runStart = end
        }
        next.copyMemory(from: value + runStart, byteCount: length - runStart)
        next += length - runStart
        next.storeBytes(of: quote, as: UInt8.self)
        return next + 1
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
