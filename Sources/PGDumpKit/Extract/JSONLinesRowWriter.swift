import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// How a column's values are written in JSON Lines output.
public enum JSONValueKind: Sendable, Hashable {
    /// A JSON string: every column without `--typed`, and columns of other types with it.
    case string
    /// `smallint`, `integer`, `bigint`: a JSON number.
    case integer
    /// `numeric`, `real`, `double precision`: a JSON number, or a string for `NaN` and the infinities, which JSON
    /// cannot hold.
    case number
    /// `boolean`: `true` or `false`.
    case boolean
    /// `json`, `jsonb`: the value itself, embedded.
    case json
}

/// Writes each row as one JSON object on one line: keys are the column names in column order, values are strings
/// or `null`, or, for columns given another `JSONValueKind`, native JSON values.
///
/// A value that does not have the form its kind promises (a damaged archive, or `NaN` in a numeric column) is
/// written as a string, so the output is always valid JSON. Embedded `json`/`jsonb` values keep their own
/// formatting, with line breaks (only possible between tokens in valid JSON) turned into spaces so that each row
/// stays on one line.
package struct JSONLinesRowWriter: CopyRowHandler {
    private let output: OutputBuffer
    /// `{"name":` for the first column and `,"name":` for the others, encoded once.
    private let keyPrefixes: [[UInt8]]
    private let kinds: [JSONValueKind]

    init(output: OutputBuffer, columns: [ArchiveText], kinds: [JSONValueKind]) throws {
        precondition(kinds.count == columns.count, "one kind per column")
        self.output = output
        self.kinds = kinds
        // Encode the keys through a scratch buffer, with the same escaping as values.
        let scratch = MemoryByteSink()
        let encoder = OutputBuffer(sink: scratch, capacity: 4096)
        var prefixes: [[UInt8]] = []
        var previous = 0
        for (index, name) in columns.enumerated() {
            try encoder.append(index == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
            try name.bytes.withUnsafeBytes { try JSONText.appendString($0, to: encoder) }
            try encoder.append(UInt8(ascii: ":"))
            try encoder.flush()
            prefixes.append(Array(scratch.bytes[previous...]))
            previous = scratch.bytes.count
        }
        keyPrefixes = prefixes
    }

    package var collectsValues: Bool { true }

    package mutating func handleRow(_ row: CopyRow) throws {
        if row.count == 0 {
            try output.append(UInt8(ascii: "{"))
        }
        for index in 0..<row.count {
            try keyPrefixes[index].withUnsafeBytes { try output.append($0) }
            guard let value = row[index] else {
                for byte in "null".utf8 { try output.append(byte) }
                continue
            }
            try writeValue(value, as: kinds[index])
        }
        try output.append(UInt8(ascii: "}"))
        try output.append(0x0A)
    }

    /// A row too large for memory: fields up to a piece are written as any other; larger ones stream as JSON
    /// strings (a number, boolean or JSON document of more than 1 MiB is not embedded, which would need it whole).
    package mutating func handleLargeRow(_ row: LargeCopyRow) throws {
        if row.count == 0 { try output.append(UInt8(ascii: "{")) }
        for index in 0..<row.count {
            try keyPrefixes[index].withUnsafeBytes { try output.append($0) }
            if row.isNull(index) {
                for byte in "null".utf8 { try output.append(byte) }
            } else if row.length(of: index) <= RowSpillFile.pieceSize {
                try row.field(index)!.withUnsafeBytes { try writeValue($0, as: kinds[index]) }
            } else {
                var encoder = JSONText.PieceEncoder()
                try encoder.begin(to: output)
                try row.forEachPiece(of: index) { try encoder.append($0, to: output) }
                try encoder.end(to: output)
            }
        }
        try output.append(UInt8(ascii: "}"))
        try output.append(0x0A)
    }

    private func writeValue(_ value: UnsafeRawBufferPointer, as kind: JSONValueKind) throws {
        switch kind {
        case .string:
            break
        case .integer, .number:
            if JSONText.isNumber(value, integerOnly: kind == .integer) {
                try output.append(value)
                return
            }
        case .boolean:
            // boolout writes `t` and `f`.
            if value.count == 1 && (value[0] == UInt8(ascii: "t") || value[0] == UInt8(ascii: "f")) {
                for byte in (value[0] == UInt8(ascii: "t") ? "true" : "false").utf8 { try output.append(byte) }
                return
            }
        case .json:
            if JSONText.isDocument(value) {
                var runStart = 0
                for index in 0..<value.count where value[index] == 0x0A || value[index] == 0x0D {
                    try output.append(UnsafeRawBufferPointer(rebasing: value[runStart..<index]))
                    try output.append(0x20)
                    runStart = index + 1
                }
                try output.append(UnsafeRawBufferPointer(rebasing: value[runStart...]))
                return
            }
        }
        try JSONText.appendString(value, to: output)
    }
}
