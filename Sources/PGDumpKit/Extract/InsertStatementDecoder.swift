import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Decodes table data that pg_dump stored as INSERT statements (`--inserts`, `--column-inserts`,
/// `--rows-per-insert`, `--on-conflict-do-nothing`; pgAdmin's and Babelfish's dumps) into the rows the COPY form of
/// the same table would hold, for the same row handlers as `CopyTextDecoder`.
///
/// What `dumpTableData_insert` writes, and so what is read:
/// `INSERT INTO name [(col, …)] [OVERRIDING SYSTEM VALUE] VALUES (v, …)[, (v, …)…] [ON CONFLICT DO NOTHING];` and
/// `INSERT INTO name DEFAULT VALUES;` for a table without columns. A value is `NULL`; `DEFAULT` (a generated
/// column, which the COPY form leaves out, so the field is dropped); `true`/`false` (COPY's `t`/`f`); a number
/// written bare; `B'…'` (a bit string); or a string literal: `'…'` with `''` for a quote, whose backslashes are
/// escapes when the archive's `standard_conforming_strings` is off, and `E'…'` (pg_dump 8.1–9.0 with
/// `standard_conforming_strings` off) with PostgreSQL's escape-string rules: `\b \f \n \r \t`, octal `\o`–`\ooo`, hex
/// `\xh`/`\xhh`, `\uXXXX`, `\UXXXXXXXX` (as UTF-8), anything else taken literally.
///
/// The scanner is a byte state machine, so a chunk may end anywhere; only the current row is held (at most
/// `maximumRowBytes`). Every row must have as many fields as the first.
package final class InsertStatementDecoder<Handler: CopyRowHandler>: DataSink {
    /// The row handler, with whatever it has accumulated.
    package private(set) var handler: Handler
    /// Whether a problem throws at once rather than being recorded.
    package let stopsAtFirstProblem: Bool
    /// The longest decoded row accepted, in bytes.
    package let maximumRowBytes: Int
    /// Whether string literals without `E` take backslash escapes (`standard_conforming_strings = off`).
    package let backslashEscapesInStrings: Bool

    /// Rows decoded so far.
    package private(set) var rowCount: Int64 = 0
    /// Bytes of SQL fed so far.
    package private(set) var byteCount: Int64 = 0
    /// The first problem found; decoding stops there.
    package private(set) var problem: PGDumpError?
    /// Where in the SQL text `problem` was found.
    package private(set) var problemByteOffset: Int64?
    /// The column list of the first statement, when it names one (`--column-inserts`).
    package private(set) var statementColumns: [ArchiveText]?
    /// Called once, before the first row reaches the handler (or from `finish` when there is none), with the
    /// first statement's column list and the first row's field count: a handler can be set up from them.
    package var willHandleFirstRow: ((_ statementColumns: [ArchiveText]?, _ fieldCount: Int?) throws -> Void)?

    private enum State {
        case betweenStatements, prefix, prefixQuoted
        case beforeTuple, valueStart, bareWord
        case string, stringQuote, stringBackslash, stringOctal, stringHex, stringUnicode
        case afterValue, afterTuple, trailer, failed
    }

    private var state = State.betweenStatements
    private var lineNumber: Int64 = 1
    private var rowStartLine: Int64 = 1
    private var rowStartOffset: Int64 = 0

    /// The statement text up to `VALUES`, bounded by `maximumPrefixBytes`.
    private var prefixBytes: [UInt8] = []
    private static var maximumPrefixBytes: Int { 1 << 20 }
    /// The word being read in the prefix, upper-cased, and the last complete one with nothing but whitespace since.
    private var word: [UInt8] = []
    private var lastWord: [UInt8] = []
    private var secondLastWord: [UInt8] = []

    /// The current string: whether it takes backslash escapes, and a pending escape's value and digits.
    private var stringEscapes = false
    private var escapeValue: UInt32 = 0
    private var escapeDigits = 0
    private var escapeMaximumDigits = 0

    private(set) var values: [UInt8] = []
    /// Start and end of each finished field in `values` (start -1: NULL).
    private var bounds: [Int] = []
    /// Where the current field starts, counted from the start of the row's values (in memory and spilled).
    private var fieldStart = 0
    /// Bytes of the current row already moved to `spill` (a row past `spillThreshold`); `values` holds the rest.
    private var valuesBase = 0
    private var spill: RowSpillFile?
    /// Rows whose values grow past this go to a temporary file, as `CopyTextDecoder`'s do.
    package let spillThreshold: Int
    /// The longest unquoted value (a number): numeric's text is under 140 KB.
    private static var maximumBareValueBytes: Int { 1 << 20 }
    /// The most fields a row may have: a table has at most 1600 columns (`MaxHeapAttributeNumber`).
    private let maximumFieldCount = 1600
    private let collectsValues: Bool
    private var statementsSeen = 0
    private var expectedFieldCount: Int?
    /// Values of the current row so far, `DEFAULT` included, and where the `DEFAULT`s were: pg_dump 12 names a
    /// generated column in `--column-inserts` and writes `DEFAULT` for it.
    private var valuePosition = 0
    private var defaultPositions: [Int] = []
    private var firstRowSeen = false

    package init(
        handler: Handler, backslashEscapesInStrings: Bool, stopsAtFirstProblem: Bool = true,
        maximumRowBytes: Int = 1 << 30, spillThreshold: Int = 8 << 20
    ) {
        self.spillThreshold = max(spillThreshold, 4096)
        self.collectsValues = handler.collectsValues
        self.handler = handler
        self.backslashEscapesInStrings = backslashEscapesInStrings
        self.stopsAtFirstProblem = stopsAtFirstProblem
        self.maximumRowBytes = maximumRowBytes
    }

    package func beginLargeObject(oid: UInt32) throws {
        throw PGDumpError(.corrupt, "table data holds a large object (OID \(oid))")
    }

    package func write(_ chunk: UnsafeRawBufferPointer) throws {
        let chunkStart = byteCount
        byteCount += Int64(chunk.count)
        for index in 0..<chunk.count {
            if state == .failed { return }
            try consume(chunk[index], at: chunkStart + Int64(index))
        }
    }

    /// Checks that the data ended between statements. Throws the recorded problem, or the one found here, when
    /// `stopsAtFirstProblem`; otherwise records it.
    package func finish() throws {
        switch state {
        case .betweenStatements:
            if !firstRowSeen {
                firstRowSeen = true
                try willHandleFirstRow?(statementColumns, nil)
            }
        case .failed:
            if stopsAtFirstProblem, let problem { throw problem }
        default:
            try fail("the data ends in the middle of an INSERT statement: it is truncated", at: rowStartOffset)
        }
    }

    // MARK: - Scanning

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...0xFF:
            return true
        default:
            return false
        }
    }

    /// Bytes a bare value (a keyword or a number) is made of.
    private static func isBareValueByte(_ byte: UInt8) -> Bool {
        isWordByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func upper(_ byte: UInt8) -> UInt8 { asciiUppercased(byte) }

    private func consume(_ byte: UInt8, at offset: Int64) throws {
        if byte == 0x0A { lineNumber += 1 }
        try step(byte, at: offset)
    }

    /// One byte in the current state; a byte that ends a value is stepped again in the state that follows.
    private func step(_ byte: UInt8, at offset: Int64) throws {
        switch state {
        case .betweenStatements:
            if Self.isSpace(byte) { return }
            guard Self.upper(byte) == UInt8(ascii: "I") else {
                try fail("expected an INSERT statement, found \(Self.describe(byte))", at: offset)
                return
            }
            rowStartLine = lineNumber
            rowStartOffset = offset
            prefixBytes.removeAll(keepingCapacity: true)
            word.removeAll(keepingCapacity: true)
            lastWord = []
            secondLastWord = []
            state = .prefix
            try consumePrefix(byte, at: offset)
        case .prefix:
            try consumePrefix(byte, at: offset)
        case .prefixQuoted:
            try appendPrefix(byte, at: offset)
            if byte == UInt8(ascii: "\"") { state = .prefix }
        case .beforeTuple:
            if Self.isSpace(byte) { return }
            guard byte == UInt8(ascii: "(") else {
                try fail("expected \"(\" to start a row, found \(Self.describe(byte))", at: offset)
                return
            }
            startRow(at: offset)
        case .valueStart:
            if Self.isSpace(byte) { return }
            fieldStart = valuesBase + values.count
            if byte == UInt8(ascii: "'") {
                startString(escapes: backslashEscapesInStrings)
            } else if Self.isBareValueByte(byte) {
                state = .bareWord
                try appendValue(byte)
            } else {
                try fail("expected a value, found \(Self.describe(byte))", at: offset)
            }
        case .bareWord:
            if Self.isBareValueByte(byte) {
                try appendValue(byte)
            } else if byte == UInt8(ascii: "'") {
                let prefix = values[(fieldStart - valuesBase)...].map(asciiUppercased)
                values.removeSubrange((fieldStart - valuesBase)...)
                if prefix == [UInt8(ascii: "E")] {
                    startString(escapes: true)
                } else if prefix == [UInt8(ascii: "B")] {
                    startString(escapes: false)
                } else {
                    try fail("unexpected string after \(String(decoding: prefix, as: UTF8.self))", at: offset)
                }
            } else {
                try endBareWord(at: offset)
                guard state != .failed else { return }
                state = .afterValue
                try step(byte, at: offset)
            }
        case .string:
            if byte == UInt8(ascii: "'") {
                state = .stringQuote
            } else if byte == UInt8(ascii: "\\") && stringEscapes {
                state = .stringBackslash
            } else {
                try appendValue(byte)
            }
        case .stringQuote:
            if byte == UInt8(ascii: "'") {
                try appendValue(byte)
                state = .string
            } else {
                state = .afterValue
                try step(byte, at: offset)
            }
        case .stringBackslash:
            try consumeEscape(byte)
        case .stringOctal, .stringHex, .stringUnicode:
            try consumeEscapeDigit(byte, at: offset)
        case .afterValue:
            if Self.isSpace(byte) { return }
            if byte == UInt8(ascii: ",") {
                try endField(at: offset)
                state = .valueStart
            } else if byte == UInt8(ascii: ")") {
                try endField(at: offset)
                guard state != .failed else { return }
                try endRow()
                state = .afterTuple
            } else {
                try fail("expected \",\" or \")\" after a value, found \(Self.describe(byte))", at: offset)
            }
        case .afterTuple:
            if Self.isSpace(byte) { return }
            if byte == UInt8(ascii: ",") {
                state = .beforeTuple
            } else if byte == UInt8(ascii: ";") {
                state = .betweenStatements
            } else if Self.isWordByte(byte) {
                state = .trailer  // ON CONFLICT DO NOTHING
            } else {
                try fail("expected \",\" or \";\" after a row, found \(Self.describe(byte))", at: offset)
            }
        case .trailer:
            if byte == UInt8(ascii: ";") {
                state = .betweenStatements
            } else if !Self.isWordByte(byte) && !Self.isSpace(byte) {
                try fail("unexpected \(Self.describe(byte)) after the rows of an INSERT statement", at: offset)
            }
        case .failed:
            return
        }
    }

    /// The statement up to its rows: words are tracked outside quoted names, so that `VALUES (` and
    /// `DEFAULT VALUES;` are found whatever the table and column names are.
    private func consumePrefix(_ byte: UInt8, at offset: Int64) throws {
        if Self.isWordByte(byte) {
            try appendPrefix(byte, at: offset)
            word.append(Self.upper(byte))
            return
        }
        if !word.isEmpty {
            secondLastWord = lastWord
            lastWord = word
            word.removeAll(keepingCapacity: true)
        }
        if Self.isSpace(byte) {
            try appendPrefix(byte, at: offset)
            return
        }
        if byte == UInt8(ascii: "(") && lastWord == Array("VALUES".utf8) {
            try parsePrefix(at: offset)
            guard state != .failed else { return }
            startRow(at: offset)
            return
        }
        if byte == UInt8(ascii: ";") && lastWord == Array("VALUES".utf8) && secondLastWord == Array("DEFAULT".utf8) {
            try parsePrefix(at: offset)
            guard state != .failed else { return }
            // A table without columns: one empty row per statement.
            values.removeAll(keepingCapacity: true)
            bounds.removeAll(keepingCapacity: true)
            try endRow()
            state = .betweenStatements
            return
        }
        try appendPrefix(byte, at: offset)
        lastWord = []
        secondLastWord = []
        if byte == UInt8(ascii: "\"") { state = .prefixQuoted }
    }

    private func appendPrefix(_ byte: UInt8, at offset: Int64) throws {
        guard prefixBytes.count < Self.maximumPrefixBytes else {
            try fail("an INSERT statement's text before VALUES is longer than \(Self.maximumPrefixBytes) bytes",
                     at: rowStartOffset, kind: .limitExceeded)
            return
        }
        prefixBytes.append(byte)
    }

    /// Reads `INSERT INTO name [(columns)] [OVERRIDING … VALUE] [DEFAULT] VALUES`; the first statement's column
    /// list is kept.
    private func parsePrefix(at offset: Int64) throws {
        var scanner = SQLNameScanner(prefixBytes)
        guard scanner.consumeKeyword("INSERT"), scanner.consumeKeyword("INTO"), scanner.readQualifiedName() != nil
        else {
            try fail("cannot read the INSERT statement \(String(decoding: prefixBytes.prefix(200), as: UTF8.self).debugDescription)",
                     at: rowStartOffset)
            return
        }
        var columns: [ArchiveText]?
        if scanner.consume(UInt8(ascii: "(")) {
            var names: [ArchiveText] = []
            repeat {
                guard let name = scanner.readIdentifier() else {
                    try fail("cannot read the column list of an INSERT statement", at: rowStartOffset)
                    return
                }
                names.append(ArchiveText(bytes: name))
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: ")")) else {
                try fail("cannot read the column list of an INSERT statement", at: rowStartOffset)
                return
            }
            columns = names
        }
        if statementsSeen == 0 { statementColumns = columns }
        statementsSeen += 1
    }

    // MARK: - Values

    private func startRow(at offset: Int64) {
        rowStartOffset = offset
        rowStartLine = lineNumber
        valuePosition = 0
        defaultPositions.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        valuesBase = 0
        state = .valueStart
    }

    /// A string literal; a bit string's digits are read the same way, without escapes.
    private func startString(escapes: Bool) {
        stringEscapes = escapes
        state = .string
    }

    /// Ends an unquoted value: NULL, DEFAULT, a boolean, or a number taken as written.
    private func endBareWord(at offset: Int64) throws {
        let start = fieldStart - valuesBase
        let text = values[start...]
        func equals(_ keyword: String) -> Bool {
            text.count == keyword.utf8.count && zip(text, keyword.utf8).allSatisfy { Self.upper($0) == $1 }
        }
        if equals("NULL") {
            values.removeSubrange(start...)
            bounds.append(-1)
            bounds.append(-1)
            state = .afterValue
            fieldStart = -1
        } else if equals("DEFAULT") {
            // A generated column: the COPY form has no field for it.
            defaultPositions.append(valuePosition)
            values.removeSubrange(start...)
            fieldStart = -2
        } else if equals("TRUE") || equals("FALSE") {
            let value = equals("TRUE") ? UInt8(ascii: "t") : UInt8(ascii: "f")
            values.removeSubrange(start...)
            values.append(value)
        } else if let first = text.first, !(Self.isWordByte(first) && !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))) {
            // A number: digits, sign, point, exponent.
        } else {
            try fail("unexpected word \(String(decoding: text, as: UTF8.self).debugDescription) where a value belongs",
                     at: offset)
        }
    }

    private func endField(at offset: Int64) throws {
        defer {
            fieldStart = valuesBase + values.count
            valuePosition += 1
        }
        if bounds.count / 2 >= maximumFieldCount {
            try fail("the row has more than \(maximumFieldCount) fields, more than a table can have", at: rowStartOffset,
                     kind: .limitExceeded)
            return
        }
        switch fieldStart {
        case -1:
            return  // NULL: bounds already recorded
        case -2:
            return  // DEFAULT: no field
        default:
            bounds.append(fieldStart)
            bounds.append(valuesBase + values.count)
        }
    }

    private func endRow() throws {
        let count = bounds.count / 2
        if let expected = expectedFieldCount, expected != count {
            try fail("the row has \(count) fields where the rows before it have \(expected)", at: rowStartOffset)
            return
        }
        expectedFieldCount = count
        if !firstRowSeen {
            firstRowSeen = true
            if let named = statementColumns, named.count == count + defaultPositions.count, !defaultPositions.isEmpty {
                statementColumns = named.enumerated().filter { !defaultPositions.contains($0.offset) }.map(\.element)
            }
            try willHandleFirstRow?(statementColumns, count)
        }
        if valuesBase > 0, let spill {
            try values.withUnsafeBytes { try spill.append($0) }
            try bounds.withUnsafeBufferPointer { boundBuffer in
                try handler.handleLargeRow(LargeCopyRow(
                    count: count, lineNumber: rowStartLine, file: spill, bounds: boundBuffer.baseAddress!))
            }
            spill.reset()
            finishRow()
            return
        }
        // A row of empty strings has no value bytes, but its fields are not NULL: the row needs a pointer.
        try values.withUnsafeBytes { valueBytes in
            try bounds.withUnsafeBufferPointer { boundBuffer in
                try handler.handleRow(CopyRow(
                    count: count, lineNumber: rowStartLine, values: valueBytes.baseAddress ?? emptyRowValues,
                    bounds: boundBuffer.baseAddress))
            }
        }
        finishRow()
    }

    private func finishRow() {
        rowCount += 1
        values.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        valuesBase = 0
        fieldStart = 0
    }

    @inline(__always)
    private func appendValue(_ byte: UInt8) throws {
        if state == .bareWord {
            // Unquoted values are checked whole (a keyword or a number), in memory, so they are kept short.
            if values.count - (fieldStart - valuesBase) >= Self.maximumBareValueBytes {
                try fail("an unquoted value is longer than \(Self.maximumBareValueBytes) bytes", at: rowStartOffset,
                         kind: .limitExceeded)
                return
            }
        } else if !collectsValues {
            return  // a row counter (verify) needs the fields, not their bytes
        }
        if values.count >= spillThreshold || valuesBase + values.count >= maximumRowBytes { try makeRoom() }
        guard state != .failed else { return }
        values.append(byte)
    }

    /// The row so far goes to the spill file; a row past `maximumRowBytes`, or an unquoted value past
    /// `maximumBareValueBytes`, is refused.
    private func makeRoom() throws {
        guard valuesBase + values.count < maximumRowBytes else {
            try fail("row is longer than \(maximumRowBytes) bytes", at: rowStartOffset, kind: .limitExceeded)
            return
        }
        // In an unquoted value, the fields before it go; the value itself stays in memory to be checked whole.
        let keep = state == .bareWord ? values.count - (fieldStart - valuesBase) : 0
        let moving = values.count - keep
        guard moving > 0 else { return }
        if spill == nil { spill = try RowSpillFile() }
        try values.withUnsafeBytes { try spill!.append(UnsafeRawBufferPointer(rebasing: $0[0..<moving])) }
        valuesBase += moving
        values.removeFirst(moving)
    }

    /// After a backslash in an escape string. Mirrors the scanner's `<xe>` rules (`scan.l`).
    private func consumeEscape(_ byte: UInt8) throws {
        state = .string
        switch byte {
        case UInt8(ascii: "b"): try appendValue(0x08)
        case UInt8(ascii: "f"): try appendValue(0x0C)
        case UInt8(ascii: "n"): try appendValue(0x0A)
        case UInt8(ascii: "r"): try appendValue(0x0D)
        case UInt8(ascii: "t"): try appendValue(0x09)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            (escapeValue, escapeDigits, escapeMaximumDigits) = (UInt32(byte - UInt8(ascii: "0")), 1, 3)
            state = .stringOctal
        case UInt8(ascii: "x"):
            (escapeValue, escapeDigits, escapeMaximumDigits) = (0, 0, 2)
            state = .stringHex
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            (escapeValue, escapeDigits, escapeMaximumDigits) = (0, 0, byte == UInt8(ascii: "u") ? 4 : 8)
            state = .stringUnicode
        default:
            try appendValue(byte)
        }
    }

    private func consumeEscapeDigit(_ byte: UInt8, at offset: Int64) throws {
        let digit: UInt32?
        switch state {
        case .stringOctal:
            digit = (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) ? UInt32(byte - UInt8(ascii: "0")) : nil
        default:
            digit = Self.hexValue(byte)
        }
        if let digit, escapeDigits < escapeMaximumDigits {
            escapeValue = escapeValue * (state == .stringOctal ? 8 : 16) + digit
            escapeDigits += 1
            if escapeDigits < escapeMaximumDigits { return }
            try finishEscape(at: offset)
            return
        }
        try finishEscape(at: offset)
        guard state != .failed else { return }
        try step(byte, at: offset)
    }

    private func finishEscape(at offset: Int64) throws {
        let kind = state
        state = .string
        switch kind {
        case .stringHex where escapeDigits == 0:
            try appendValue(UInt8(ascii: "x"))  // `\x` without digits is a literal x
        case .stringUnicode:
            guard escapeDigits == escapeMaximumDigits, let scalar = Unicode.Scalar(escapeValue) else {
                try fail("invalid Unicode escape in a string literal", at: offset)
                return
            }
            for byte in String(Character(scalar)).utf8 { try appendValue(byte) }
        default:
            try appendValue(UInt8(truncatingIfNeeded: escapeValue))
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        let hex = String(byte, radix: 16)
        return "byte 0x" + (hex.count == 1 ? "0" : "") + hex
    }

    /// Records a problem and stops decoding; throws it when `stopsAtFirstProblem`.
    private func fail(_ message: String, at offset: Int64, kind: PGDumpError.Kind = .corrupt) throws {
        let error = PGDumpError(kind, "line \(lineNumber) of the INSERT data (byte \(offset)): \(message)")
        problem = error
        problemByteOffset = offset
        state = .failed
        if stopsAtFirstProblem { throw error }
    }
}

extension InsertStatementDecoder: ProgressCounting {
    var rowsSoFar: Int64? { rowCount }
}

private func asciiUppercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
}
