import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Writes rows in PostgreSQL's COPY text format, as `COPY ... TO STDOUT [WITH (HEADER)]` writes them: fields
/// separated by tabs, NULL as `\N`, rows ended by `\n`.
///
/// Mirrors `CopyAttributeOutText` (`copyto.c`): a backslash is doubled; backspace, form feed, newline, carriage
/// return, tab and vertical tab are written as `\b \f \n \r \t \v`; other bytes, other control characters
/// included, are written as they are.
package struct TextRowWriter: CopyRowHandler {
    private let output: OutputBuffer

    init(output: OutputBuffer) {
        self.output = output
    }

    package var collectsValues: Bool { true }

    /// Writes the header line: the column names, escaped as values are (`CopyToTextLikeStart`).
    func writeHeader(_ columns: [ArchiveText]) throws {
        for (index, name) in columns.enumerated() {
            if index > 0 { try output.append(0x09) }
            try name.bytes.withUnsafeBytes { try writeValue($0) }
        }
        try output.append(0x0A)
    }

    /// The row written straight into the buffer, in room made once for the most it can take (every byte
    /// escaped); a row too large for the buffer is appended a value at a time.
    package mutating func handleRow(_ row: CopyRow) throws {
        if let text = row.text, let start = try output.room(for: text.count &+ 1), Self.copy(text, to: start) {
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
                next.storeBytes(of: 0x09, as: UInt8.self)
                next += 1
            }
            let (value, length) = row.unsafeField(index)
            guard let value else {
                next.storeBytes(of: UInt16(0x4E5C).littleEndian, as: UInt16.self)  // \N
                next += 2
                continue
            }
            next = write(value, length, at: next)
        }
        next.storeBytes(of: 0x0A, as: UInt8.self)
        next += 1
        output.commit(next - start)
    }

    /// Copies the COPY text of one row or of plain rows (see `CopyRow.text`, `handlePlainRows`), which is
    /// already the text format (NULL as `\N`, no other backslash, no newline but the rows' ends, no carriage
    /// return), unless a field holds a backspace, vertical tab or form feed, which are written escaped: then it
    /// returns false, having written nothing that counts.
    @inline(__always)
    private static func copy(_ text: UnsafeRawBufferPointer, to target: UnsafeMutableRawPointer) -> Bool {
        let source = text.baseAddress!
        let length = text.count
        let eights = WordScan.Block(repeating: 0x08), sixes = WordScan.Block(repeating: 6)
        let tabs = WordScan.Block(repeating: 0x09), newlines = WordScan.Block(repeating: 0x0A)
        if length >= 16 {
            var index = 0
            while true {
                if index &+ 16 > length { index = length &- 16 }
                let block = WordScan.loadBlock(source, index)
                let (escaped0, escaped1) = WordScan.words(
                    (block &- eights .< sixes) .& (block .!= tabs) .& (block .!= newlines))
                if escaped0 | escaped1 != 0 { return false }
                target.storeBytes(of: block, toByteOffset: index, as: WordScan.Block.self)
                index &+= 16
                if index == length { return true }
            }
        }
        for index in 0..<length {
            let byte = source.load(fromByteOffset: index, as: UInt8.self)
            if byte == 0x08 || byte == 0x0B || byte == 0x0C { return false }
            target.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
        }
        return true
    }

    package var takesPlainRows: Bool { true }

    /// Plain rows (see `CopyRowHandler.handlePlainRows`) are copied as they are, unless a field holds a byte
    /// written escaped: then row by row.
    package mutating func handlePlainRows(_ text: UnsafeRawBufferPointer, count: Int, firstLineNumber: Int64) throws {
        if let start = try output.room(for: text.count), Self.copy(text, to: start) {
            output.commit(text.count)
            return
        }
        var lineStart = 0
        for index in 0..<text.count where text[index] == 0x0A {
            let line = UnsafeRawBufferPointer(rebasing: text[lineStart..<index])
            var fieldStart = 0
            for end in 0...line.count where end == line.count || line[end] == 0x09 {
                if fieldStart > 0 { try output.append(0x09) }
                try writeValue(UnsafeRawBufferPointer(rebasing: line[fieldStart..<end]))
                fieldStart = end + 1
            }
            try output.append(0x0A)
            lineStart = index + 1
        }
    }

    /// Whether a byte is written escaped: backspace to carriage return, and backslash.
    @inline(__always)
    private static func isEscaped(_ byte: UInt8) -> Bool {
        byte &- 0x08 < 6 || byte == 0x5C
    }

    /// Nonzero when one of the eight bytes may be written escaped (bytes below 0x0E, backslash): the bytes are
    /// then looked at one by one.
    @inline(__always)
    private static func mayBeEscaped(word: UInt64) -> UInt64 {
        WordScan.below(word, 0x0E) | WordScan.matches(word, 0x5C)
    }

    /// Writes a non-null value at `target`, which has room for twice its length, and returns where the next byte
    /// goes: copied sixteen bytes at a time while it is looked at, escaped byte by byte from the first block that
    /// holds a byte to escape.
    @inline(__always)
    private func write(_ value: UnsafeRawPointer, _ length: Int, at target: UnsafeMutableRawPointer)
        -> UnsafeMutableRawPointer
    {
        var index = 0
        let eights = WordScan.Block(repeating: 0x08), sixes = WordScan.Block(repeating: 6)
        let backslashes = WordScan.Block(repeating: 0x5C)
        while index &+ 16 <= length {
            let block = WordScan.loadBlock(value, index)
            let escaped = (block &- eights .< sixes) .| (block .== backslashes)
            let (escaped0, escaped1) = WordScan.words(escaped)
            if escaped0 | escaped1 != 0 { break }
            target.storeBytes(of: block, toByteOffset: index, as: WordScan.Block.self)
            index &+= 16
        }
        if index &+ 8 <= length {
            let word = WordScan.load(value, index)
            if Self.mayBeEscaped(word: word) == 0 {
                target.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
                index &+= 8
            }
        }
        var next = target + index
        while index < length {
            let byte = value.load(fromByteOffset: index, as: UInt8.self)
            index &+= 1
            guard Self.isEscaped(byte) else {
                next.storeBytes(of: byte, as: UInt8.self)
                next += 1
                continue
            }
            let escaped: UInt8
            switch byte {
            case 0x08: escaped = UInt8(ascii: "b")
            case 0x09: escaped = UInt8(ascii: "t")
            case 0x0A: escaped = UInt8(ascii: "n")
            case 0x0B: escaped = UInt8(ascii: "v")
            case 0x0C: escaped = UInt8(ascii: "f")
            case 0x0D: escaped = UInt8(ascii: "r")
            default: escaped = byte
            }
            next.storeBytes(of: UInt8(ascii: "\\"), as: UInt8.self)
            next.storeBytes(of: escaped, toByteOffset: 1, as: UInt8.self)
            next += 2
        }
        return next
    }

    private func appendRow(_ row: CopyRow) throws {
        for index in 0..<row.count {
            if index > 0 { try output.append(0x09) }
            if let value = row[index] {
                try writeValue(value)
            } else {
                try output.append(UInt8(ascii: "\\"))
                try output.append(UInt8(ascii: "N"))
            }
        }
        try output.append(0x0A)
    }

    /// A row too large for memory: each field is escaped a piece at a time (escaping is byte by byte).
    package mutating func handleLargeRow(_ row: LargeCopyRow) throws {
        for index in 0..<row.count {
            if index > 0 { try output.append(0x09) }
            if row.isNull(index) {
                try output.append(UInt8(ascii: "\\"))
                try output.append(UInt8(ascii: "N"))
            } else {
                try row.forEachPiece(of: index) { try writeValue($0) }
            }
        }
        try output.append(0x0A)
    }

    private func writeValue(_ value: UnsafeRawBufferPointer) throws {
        var runStart = 0
        for index in 0..<value.count {
            let byte = value[index]
            let escaped: UInt8
            switch byte {
            case 0x08: escaped = UInt8(ascii: "b")
            case 0x09: escaped = UInt8(ascii: "t")
            case 0x0A: escaped = UInt8(ascii: "n")
            case 0x0B: escaped = UInt8(ascii: "v")
            case 0x0C: escaped = UInt8(ascii: "f")
            case 0x0D: escaped = UInt8(ascii: "r")
            case UInt8(ascii: "\\"): escaped = byte
            default: continue
            }
            try output.append(UnsafeRawBufferPointer(rebasing: value[runStart..<index]))
            try output.append(UInt8(ascii: "\\"))
            try output.append(escaped)
            runStart = index + 1
        }
        try output.append(UnsafeRawBufferPointer(rebasing: value[runStart...]))
    }
}
