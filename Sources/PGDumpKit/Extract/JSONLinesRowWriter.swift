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
    /// An array type (`integer[]`, `text[]`, `numeric(10,2)[]`, an array of a domain, a domain over an array): a
    /// JSON array, nested once per dimension, whose elements are written as `element` says (SQL null elements as
    /// `null`). `delimiter` separates the elements in PostgreSQL's text form: `;` for `box`, `,` for every other
    /// type (the element type's `typdelim`). Dimension decorations (`[0:1]={7,8}`, written when a lower bound is
    /// not 1) are dropped, as the server's `array_to_json` drops them; a value that is not a well-formed array
    /// is a string.
    indirect case array(element: JSONValueKind, delimiter: UInt8)
}

/// Writes each row as one JSON object on one line: keys are the column names in column order, values are strings
/// or `null`, or, for columns given another `JSONValueKind`, native JSON values.
///
/// A value that does not have the form its kind promises (a damaged archive, or `NaN` in a numeric column) is
/// written as a string, so the output is always valid JSON; so is an array's element, and an array whose text is
/// malformed is written whole as a string. Embedded `json`/`jsonb` values keep their own formatting, with line
/// breaks (only possible between tokens in valid JSON) turned into spaces so that each row stays on one line.
package struct JSONLinesRowWriter: CopyRowHandler {
    private let output: OutputBuffer
    /// `{"name":` for the first column and `,"name":` for the others, encoded once.
    private let keyPrefixes: [[UInt8]]
    private let kinds: [JSONValueKind]
    /// Reused for array elements that hold backslash escapes, which are removed before the element is typed.
    private var scratch: [UInt8] = []
    /// The key prefixes one after the other, and where each ends, for rows written straight into the buffer.
    private let prefixBytes: [UInt8]
    private let prefixEnds: [Int]
    /// Per column, how `handleRow` writes a value in place: 0 a string, 1 an integer, 2 a number, 3 a boolean;
    /// `nil` when a column is of a kind that is not written in place (JSON, arrays), and rows go value by value.
    private let directKinds: [UInt8]?

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
        prefixBytes = prefixes.flatMap { $0 }
        var end = 0
        prefixEnds = prefixes.map { end += $0.count; return end }
        var direct: [UInt8]? = []
        for kind in kinds {
            switch kind {
            case .string: direct?.append(0)
            case .integer: direct?.append(1)
            case .number: direct?.append(2)
            case .boolean: direct?.append(3)
            case .json, .array: direct = nil
            }
        }
        directKinds = direct
    }

    package var collectsValues: Bool { true }

    /// A row whose columns are strings, numbers or booleans is written straight into the buffer, in room made
    /// once for the most it can take (every byte a `\u00XX` escape); other rows, and rows too large for the
    /// buffer, are appended a value at a time.
    package mutating func handleRow(_ row: CopyRow) throws {
        guard let directKinds else { return try appendRow(row) }
        let fields = row.count
        var most = prefixBytes.count &+ 3
        for index in 0..<fields { most &+= 6 &* row.unsafeField(index).count &+ 5 }
        guard let start = try output.room(for: most) else { return try appendRow(row) }
        var next = start
        if fields == 0 {
            next.storeBytes(of: UInt8(ascii: "{"), as: UInt8.self)
            next += 1
        }
        prefixBytes.withUnsafeBytes { prefixes in
            prefixEnds.withUnsafeBufferPointer { ends in
                directKinds.withUnsafeBufferPointer { kinds in
                    var prefixStart = 0
                    for index in 0..<fields {
                        let prefixEnd = ends[index]
                        next.copyMemory(from: prefixes.baseAddress! + prefixStart, byteCount: prefixEnd &- prefixStart)
                        next += prefixEnd &- prefixStart
                        prefixStart = prefixEnd
                        let (value, length) = row.unsafeField(index)
                        guard let value else {
                            next.storeBytes(of: UInt32(0x6C6C_756E).littleEndian, as: UInt32.self)  // null
                            next += 4
                            continue
                        }
                        switch kinds[index] {
                        case 1, 2:
                            if JSONText.isNumber(UnsafeRawBufferPointer(start: value, count: length),
                                                 integerOnly: kinds[index] == 1)
                            {
                                next.copyMemory(from: value, byteCount: length)
                                next += length
                                continue
                            }
                        case 3:
                            if length == 1 {
                                let byte = value.load(as: UInt8.self)
                                if byte == UInt8(ascii: "t") {
                                    next.storeBytes(of: UInt32(0x6575_7274).littleEndian, as: UInt32.self)  // true
                                    next += 4
                                    continue
                                }
                                if byte == UInt8(ascii: "f") {
                                    next.storeBytes(of: UInt32(0x736C_6166).littleEndian, as: UInt32.self)  // fals
                                    next.storeBytes(of: UInt8(ascii: "e"), toByteOffset: 4, as: UInt8.self)
                                    next += 5
                                    continue
                                }
                            }
                        default:
                            break
                        }
                        next = JSONText.writeString(value, length, at: next)
                    }
                }
            }
        }
        next.storeBytes(of: UInt16(0x0A7D).littleEndian, as: UInt16.self)  // }\n
        next += 2
        output.commit(next - start)
    }

    private mutating func appendRow(_ row: CopyRow) throws {
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

    private mutating func writeValue(_ value: UnsafeRawBufferPointer, as kind: JSONValueKind) throws {
        try Self.writeValue(value, as: kind, to: output, scratch: &scratch)
        // One huge escaped element should not keep its memory for the rest of the table.
        if scratch.capacity > 1 << 20 { scratch = [] }
    }

    /// Writes one non-null value as `kind` says: the one rule for columns and for array elements. `scratch` is for
    /// an array's escaped elements; `mayReserve` is false inside an array being written into room reserved for
    /// it, which must not be handed to the sink before the array is complete.
    static func writeValue(
        _ value: UnsafeRawBufferPointer, as kind: JSONValueKind, to output: OutputBuffer, scratch: inout [UInt8],
        mayReserve: Bool = true
    ) throws {
        if case .array(let element, let delimiter) = kind {
            if try writeArray(value, of: element, delimiter: delimiter, to: output, scratch: &scratch, mayReserve: mayReserve) {
                return
            }
        } else if try writeNative(value, as: kind, to: output) {
            return
        }
        try JSONText.appendString(value, to: output)
    }

    /// Writes `value` as the native JSON value of a `kind` other than `.array` when it has that kind's form, and
    /// says whether it did (nothing is written otherwise).
    @inline(__always)
    static func writeNative(_ value: UnsafeRawBufferPointer, as kind: JSONValueKind, to output: OutputBuffer) throws
        -> Bool
    {
        switch kind {
        case .string, .array:
            return false
        case .integer, .number:
            guard JSONText.isNumber(value, integerOnly: kind == .integer) else { return false }
            try output.append(value)
        case .boolean:
            // boolout writes `t` and `f`.
            guard value.count == 1 && (value[0] == UInt8(ascii: "t") || value[0] == UInt8(ascii: "f")) else {
                return false
            }
            let literal: StaticString = value[0] == UInt8(ascii: "t") ? "true" : "false"
            try output.append(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        case .json:
            guard JSONText.isDocument(value) else { return false }
            var runStart = 0
            for index in 0..<value.count where value[index] == 0x0A || value[index] == 0x0D {
                try output.append(UnsafeRawBufferPointer(rebasing: value[runStart..<index]))
                try output.append(0x20)
                runStart = index + 1
            }
            try output.append(UnsafeRawBufferPointer(rebasing: value[runStart...]))
        }
        return true
    }

    /// Writes array text as a JSON array and says whether it did: nothing is written when the text is malformed.
    ///
    /// One pass straight into the buffer, taken back if the text turns out malformed: room is made first for the
    /// most the JSON can take, 8 bytes per byte of text, nested arrays included (a lone control byte as an
    /// unquoted element of a text array gives `"\u0001"`, 8 bytes for 1; `t` in a boolean array gives `true`).
    /// A value too large for that, or inside such room already, is checked in a first scan and written in a
    /// second.
    private static func writeArray(
        _ value: UnsafeRawBufferPointer, of element: JSONValueKind, delimiter: UInt8, to output: OutputBuffer,
        scratch: inout [UInt8], mayReserve: Bool
    ) throws -> Bool {
        let mark = mayReserve ? try output.reserve(8 * value.count + 16) : nil
        var writer = JSONArrayWriter(output: output, element: element, withinReservation: mark != nil || !mayReserve)
        swap(&writer.scratch, &scratch)
        defer { swap(&writer.scratch, &scratch) }
        if let mark {
            if try ArrayLiteral.walk(value, delimiter: delimiter, &writer) { return true }
            output.rewind(to: mark)
            return false
        }
        guard ArrayLiteral.isWellFormed(value, delimiter: delimiter) else { return false }
        let complete = try ArrayLiteral.walk(value, delimiter: delimiter, &writer)
        assert(complete, "a checked array literal walks to its end")
        return true
    }
}

/// Writes an array literal's parts as a JSON array: `[`, `]`, `null`, and each element by its kind.
private struct JSONArrayWriter: ArrayLiteralVisitor {
    typealias Failure = any Error
    let output: OutputBuffer
    let element: JSONValueKind
    /// Whether the output goes into reserved room, which elements that are arrays must not reserve again.
    let withinReservation: Bool
    /// For escaped elements.
    var scratch: [UInt8] = []
    /// Whether a value (or a sub-array) came before in the same array: the next one needs a comma.
    private var followsValue = false

    init(output: OutputBuffer, element: JSONValueKind, withinReservation: Bool) {
        self.output = output
        self.element = element
        self.withinReservation = withinReservation
    }

    // Punctuation goes out with the comma before it in one append: each append is a few checks.
    mutating func beginArray() throws {
        try append(followsValue ? ",[" : "[")
        followsValue = false
    }

    mutating func endArray() throws {
        try append("]")
        followsValue = true
    }

    mutating func null() throws {
        try append(followsValue ? ",null" : "null")
        followsValue = true
    }

    private func append(_ literal: StaticString) throws {
        try output.append(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    mutating func element(_ raw: UnsafeRawBufferPointer, escaped: Bool) throws {
        if followsValue { try output.append(UInt8(ascii: ",")) }
        followsValue = true
        guard escaped else { return try write(raw) }
        ArrayLiteral.unescape(raw, into: &scratch)
        try scratch.withUnsafeBytes { try write($0) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        if case .array = element {
            // An element of an array of a domain over an array: array text itself, with a scratch of its own.
            var nested: [UInt8] = []
            try JSONLinesRowWriter.writeValue(
                bytes, as: element, to: output, scratch: &nested, mayReserve: !withinReservation)
        } else if try !JSONLinesRowWriter.writeNative(bytes, as: element, to: output) {
            try JSONText.appendString(bytes, to: output)
        }
    }
}
