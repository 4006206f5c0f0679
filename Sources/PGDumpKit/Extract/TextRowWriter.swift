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

    package mutating func handleRow(_ row: CopyRow) throws {
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
