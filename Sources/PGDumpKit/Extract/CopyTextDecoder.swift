import PGDumpCore
import PGDumpCodecs
import PGDumpFormats
import CCopyScan

/// Decodes PostgreSQL's COPY text format, as pg_dump stores table data, from the chunks a reader pushes.
///
/// Mirrors `CopyReadLineText` and `CopyReadAttributesText` (`copyfromparse.c`) for the text format with the
/// default delimiter (tab) and NULL marker (`\N`): backslash escapes `\b \f \n \r \t \v`, octal `\ooo` (one to
/// three digits) and hex `\xhh` (one or two digits), any other escaped byte taken literally (an escaped tab or
/// newline is data, not a delimiter); a field whose raw text is exactly `\N` is NULL; `\.` alone on a line ends
/// the data. pg_dump ends every COPY stream with `\.` and two blank lines (`dumpTableData_copy`), so only blank
/// lines may follow the end marker.
///
/// The decoder is a byte scanner with explicit state: a chunk may end anywhere, inside an escape, between the `\`
/// and `.` of the end marker, or in the middle of a row, and decoding resumes with the next chunk. Only the current
/// row is held (at most `maximumRowBytes`, PostgreSQL's own limit on a COPY line), never the table.
///
/// Like the server (`NextCopyFrom`), it checks that each row has as many fields as the COPY statement has columns.
/// A problem either throws at once (`stopsAtFirstProblem`, for extract) or is recorded in `problem` while the rest
/// of the stream is drained unread, so that a reader reading from a pipe stays in step (verify).
///
/// pg_dump always writes `\n` line ends, so a raw carriage return is an error, as it is for the server once it has
/// seen a `\n` line end ("literal carriage return found in data").
package final class CopyTextDecoder<Handler: CopyRowHandler>: DataSink {
    /// Fields each row must have; `nil` when the COPY statement does not say (archives before column lists).
    package let expectedFieldCount: Int?
    /// Whether a problem throws at once rather than being recorded.
    package let stopsAtFirstProblem: Bool
    /// The longest decoded row accepted, in bytes.
    package let maximumRowBytes: Int
    /// Whether rows without values are counted by the vector scan of `CopyScanKernel`.
    private let usesVectorScan: Bool
    /// Rows whose decoded values grow past this many bytes go to a temporary file instead of memory, and reach
    /// the handler as a `LargeCopyRow`: memory stays flat whatever the size of a field.
    package let spillThreshold: Int

    /// Rows decoded so far.
    package private(set) var rowCount: Int64 = 0
    /// Bytes of COPY text fed so far.
    package private(set) var byteCount: Int64 = 0
    /// Whether the end-of-data marker has been read.
    package private(set) var isComplete = false
    /// The first problem found; decoding stops there.
    package private(set) var problem: PGDumpError?
    /// Where in the COPY text `problem` was found: the start of the offending row, or of the unexpected bytes.
    package private(set) var problemByteOffset: Int64?
    /// Where in the COPY text the end-of-data marker's line starts, once it has been read.
    package private(set) var dataEndOffset: Int64?

    private let columnNames: [ArchiveText]
    private let collectsValues: Bool
    /// A row whose raw text is shorter than this, lies within one chunk and has no escape but `\N` is handed to
    /// the handler where it lies, without being copied (`decodeRows`); 0 when that path is off (the handler
    /// collects no values, or the number of fields is unknown). Below both `spillThreshold` and `maximumRowBytes`,
    /// so such a row is never one the byte-by-byte path would spill or refuse.
    private let directRowBytes: Int

    private enum State {
        /// Inside a field with no escape pending.
        case field
        /// After a backslash.
        case escape
        /// A backslash was the first byte of a line: `\.` would end the data.
        case lineStartBackslash
        /// `\.` at the start of a line: a newline must follow.
        case markerDot
        /// After a backslash and one or two octal digits.
        case octal
        /// After `\x` and zero or one hex digits.
        case hex
        /// After the end-of-data line: only blank lines may follow.
        case ended
        /// A problem was recorded; the rest of the stream is ignored.
        case failed
    }

    private var state = State.field
    /// No byte of the current line has been consumed yet.
    private var atLineStart = true
    private var escapeValue = 0
    private var escapeDigits = 0
    /// Raw (undecoded) bytes of the current field, to recognise a raw `\N`.
    private var fieldRawCount = 0
    /// The current field's raw text began with `\N`.
    private var fieldStartsWithNullMarker = false
    private var lineNumber: Int64 = 1
    private var rowStartLine: Int64 = 1
    private var rowStartOffset: Int64 = 0
    private var markerStartOffset: Int64 = 0

    /// Decoded bytes of the current row.
    private var values: UnsafeMutableRawPointer
    private(set) var valuesCapacity: Int
    private var valuesCount = 0
    /// Start and end of each finished field in `values` (start -1: NULL).
    private var bounds: UnsafeMutablePointer<Int>
    private var boundsCapacity: Int
    private var fieldCount = 0
    /// Where the current field starts, counted from the start of the row's values (in memory and spilled).
    private var fieldStart = 0
    /// Bytes of the current row already moved to `spill`; `values` holds what follows.
    private var valuesBase = 0
    private var spill: RowSpillFile?

    /// The row handler, with whatever it has accumulated. The last stored property: the ones before it then lie
    /// at fixed offsets, which the unspecialised code (reached through readers generic over their sink, in
    /// another module) reads directly instead of through the class's metadata.
    package private(set) var handler: Handler

    /// - Parameters:
    ///   - columns: the COPY statement's columns, for the field-count check and its messages; `nil` when unknown.
    ///   - stopsAtFirstProblem: throw at the first problem (extract) instead of recording it (verify).
    ///   - handsRowsInPlace: whether plain rows are handed over where they lie in the chunk (`decodeRows`); tests
    ///     turn it off to compare with the byte-by-byte path.
    ///   - usesVectorScan: whether rows are counted by the AVX2 scan (`CopyScanKernel`) where the CPU has it;
    ///     tests turn it off to compare with the sixteen-byte scan.
    package init(
        columns: [ArchiveText]?, handler: Handler, stopsAtFirstProblem: Bool = true,
        maximumRowBytes: Int = 1 << 30, spillThreshold: Int = 8 << 20, handsRowsInPlace: Bool = true,
        usesVectorScan: Bool = true
    ) {
        self.usesVectorScan = usesVectorScan && CopyScanKernel.isAvailable
        self.spillThreshold = max(spillThreshold, 4096)
        self.handler = handler
        self.columnNames = columns ?? []
        self.expectedFieldCount = columns?.count
        self.stopsAtFirstProblem = stopsAtFirstProblem
        self.maximumRowBytes = maximumRowBytes
        self.collectsValues = handler.collectsValues
        self.directRowBytes = handsRowsInPlace && collectsValues && (columns?.count ?? 0) > 0
            ? min(self.spillThreshold, maximumRowBytes) : 0
        valuesCapacity = collectsValues ? min(64 << 10, maximumRowBytes, self.spillThreshold) : 0
        values = .allocate(byteCount: max(valuesCapacity, 1), alignment: 16)
        boundsCapacity = collectsValues ? max(16, 2 * (columns?.count ?? 0)) : 0
        bounds = .allocate(capacity: max(2 * boundsCapacity, 1))
    }

    deinit {
        values.deallocate()
        bounds.deallocate()
    }

    /// How many bytes at the end of what was fed may be the start of the end-of-data marker, not yet confirmed:
    /// a pass-through writer holds them back.
    package var pendingMarkerByteCount: Int {
        switch state {
        case .lineStartBackslash: return 1
        case .markerDot: return 2
        default: return 0
        }
    }

    // Readers are generic over their sink in another module, so they reach this through an unspecialised
    // witness, where every stored property of a generic class is found through its metadata. Verify and the copy
    // format count rows with `CopyRowCounter`: a specialisation for it, which the generic entry jumps to.
    @_specialize(where Handler == CopyRowCounter)
    @_specialize(where Handler == CSVRowWriter)
    @_specialize(where Handler == TextRowWriter)
    @_specialize(where Handler == JSONLinesRowWriter)
    package func write(_ chunk: UnsafeRawBufferPointer) throws {
        let count = chunk.count
        guard count > 0 else { return }
        let chunkStart = byteCount
        byteCount += Int64(count)
        var index = 0
        while index < count {
            switch state {
            case .field:
                guard collectsValues else {
                    index = try countRows(in: chunk, from: index, chunkStart: chunkStart)
                    continue
                }
                if atLineStart && directRowBytes > 0 {
                    // Whole plain rows where they lie; the byte-by-byte path below takes over at the first field
                    // it cannot end (an escape, the chunk's end), and hands the row back here once it has ended.
                    index = try decodeRows(in: chunk, from: index, chunkStart: chunkStart)
                    guard state != .failed else { return }
                }
                // The hot loop: find the run up to the next tab, newline, backslash or carriage return, eight bytes
                // at a time, then copy it whole.
                let runStart = index
                let base = chunk.baseAddress!
                scan: while true {
                    while index &+ 8 <= count {
                        // Tab, newline and carriage return are below 0x0E; other bytes there only cost a look.
                        let word = WordScan.load(base, index)
                        if WordScan.matches(word, 0x5C) | WordScan.below(word, 0x0E) != 0 { break }
                        index &+= 8
                    }
                    let limit = min(index &+ 8, count)
                    while index < limit {
                        let byte = chunk[index]
                        if byte == 0x5C || (byte < 0x0E && (byte == 0x09 || byte == 0x0A || byte == 0x0D)) { break scan }
                        index &+= 1
                    }
                    if index >= count { break }
                }
                if index > runStart {
                    try appendValue(UnsafeRawBufferPointer(rebasing: chunk[runStart..<index]))
                    guard state != .failed else { return }
                    fieldRawCount &+= index - runStart
                    atLineStart = false
                }
                guard index < count else { return }
                let byte = chunk[index]
                index += 1
                switch byte {
                case 0x09:
                    atLineStart = false
                    try endField()
                case 0x0A:
                    try endLine(at: chunkStart + Int64(index))
                case 0x5C:
                    fieldRawCount &+= 1
                    if atLineStart {
                        markerStartOffset = chunkStart + Int64(index - 1)
                        state = .lineStartBackslash
                    } else {
                        state = .escape
                    }
                    atLineStart = false
                default:
                    try fail("literal carriage return found in data (use \"\\r\" to represent carriage return)",
                             at: chunkStart + Int64(index - 1))
                }
            case .lineStartBackslash:
                if chunk[index] == UInt8(ascii: ".") {
                    index += 1
                    state = .markerDot
                } else {
                    // Not the end marker: the backslash escapes the line's first byte, handled below.
                    state = .escape
                }
            case .escape:
                let byte = chunk[index]
                index += 1
                fieldRawCount &+= 1
                state = .field
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    escapeValue = Int(byte - UInt8(ascii: "0"))
                    escapeDigits = 1
                    state = .octal
                case UInt8(ascii: "x"):
                    escapeValue = 0
                    escapeDigits = 0
                    state = .hex
                case UInt8(ascii: "b"): try appendByte(0x08)
                case UInt8(ascii: "f"): try appendByte(0x0C)
                case UInt8(ascii: "n"): try appendByte(0x0A)
                case UInt8(ascii: "r"): try appendByte(0x0D)
                case UInt8(ascii: "t"): try appendByte(0x09)
                case UInt8(ascii: "v"): try appendByte(0x0B)
                case UInt8(ascii: "N"):
                    // The NULL marker is matched on the raw text: only a field that is exactly `\N` is NULL.
                    if fieldRawCount == 2 { fieldStartsWithNullMarker = true }
                    try appendByte(byte)
                case UInt8(ascii: "."):
                    // `\.` can only be the end marker, and only alone on its line (PostgreSQL 18).
                    try fail("end-of-copy marker is not alone on its line", at: chunkStart + Int64(index - 2))
                case 0x0A:
                    // A backslash before a newline makes the newline data; the row goes on.
                    lineNumber += 1
                    try appendByte(byte)
                default:
                    try appendByte(byte)
                }
            case .octal:
                let byte = chunk[index]
                if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") {
                    index += 1
                    fieldRawCount &+= 1
                    escapeValue = escapeValue << 3 + Int(byte - UInt8(ascii: "0"))
                    escapeDigits += 1
                    if escapeDigits == 3 {
                        state = .field
                        try appendByte(UInt8(truncatingIfNeeded: escapeValue))
                    }
                } else {
                    state = .field
                    try appendByte(UInt8(truncatingIfNeeded: escapeValue))
                }
            case .hex:
                let byte = chunk[index]
                if let digit = Self.hexValue(byte), escapeDigits < 2 {
                    index += 1
                    fieldRawCount &+= 1
                    escapeValue = escapeValue << 4 + digit
                    escapeDigits += 1
                    if escapeDigits == 2 {
                        state = .field
                        try appendByte(UInt8(truncatingIfNeeded: escapeValue))
                    }
                } else {
                    // `\x` without a hex digit is a literal `x`.
                    state = .field
                    try appendByte(escapeDigits == 0 ? UInt8(ascii: "x") : UInt8(truncatingIfNeeded: escapeValue))
                }
            case .markerDot:
                if chunk[index] == 0x0A {
                    index += 1
                    state = .ended
                    isComplete = true
                    dataEndOffset = markerStartOffset
                    lineNumber += 1
                } else {
                    try fail("end-of-copy marker corrupt", at: markerStartOffset)
                }
            case .ended:
                // pg_dump writes two blank lines after the marker; anything else means the data is damaged.
                while index < count && chunk[index] == 0x0A { index += 1 }
                if index < count {
                    try fail("unexpected data after the end-of-copy marker", at: chunkStart + Int64(index))
                }
            case .failed:
                return
            }
        }
    }

    /// The `.field` state when no values are collected (verify, the copy format), from `start`: fields are
    /// counted, not ended one by one. Tabs are counted sixteen bytes at a time and only a newline, a backslash or a
    /// carriage return stops the scan; an escape is stepped over in place (the bytes after `\` never end a field,
    /// and only `\.` and an escaped newline mean anything without values). Returns where the caller resumes: the
    /// end of the chunk, or just after a line-start backslash (the end marker's states take over). Where the CPU
    /// has AVX2, the C scan of CCopyScan passes whole rows with the expected number of fields 64 bytes a step and
    /// leaves the rest of this loop the byte it stopped at.
    private func countRows(in chunk: UnsafeRawBufferPointer, from start: Int, chunkStart: Int64) throws -> Int {
        let base = chunk.baseAddress!
        let count = chunk.count
        var index = start
        let tabs16 = WordScan.Block(repeating: 0x09), newlines16 = WordScan.Block(repeating: 0x0A)
        let backslashes16 = WordScan.Block(repeating: 0x5C), returns16 = WordScan.Block(repeating: 0x0D)
        while true {
            var runStart = index
            var tabs = 0
            if usesVectorScan, let expected = expectedFieldCount, expected > 0 {
                // Whole rows at once: the vector scan passes every row with the right number of fields and
                // stops where the loop below would have stopped after the last of them.
                let scan = pgdk_copy_count_rows(
                    base.assumingMemoryBound(to: UInt8.self), index, count, expected &- 1, fieldCount)
                if scan.rows > 0 {
                    try passCountedRows(scan.rows, of: expected, nextRowOffset: chunkStart &+ Int64(scan.row_end))
                    runStart = scan.row_end
                    tabs = scan.tabs
                } else {
                    tabs = scan.tabs &- fieldCount
                }
                index = scan.index
            } else {
                scan: while true {
                    while index &+ 16 <= count {
                        let block = WordScan.loadBlock(base, index)
                        let isTab = block .== tabs16
                        let isStop = (block .== newlines16) .| (block .== backslashes16) .| (block .== returns16)
                        // Most blocks hold none of the four: one test passes them.
                        let (any0, any1) = WordScan.words(isTab .| isStop)
                        if any0 | any1 == 0 {
                            index &+= 16
                            continue
                        }
                        let (tab0, tab1) = WordScan.words(isTab)
                        let (stop0, stop1) = WordScan.words(isStop)
                        if stop0 != 0 {
                            let bit = stop0.trailingZeroBitCount
                            tabs &+= WordScan.setBytes(tab0, below: bit)
                            index &+= bit &>> 3
                            break scan
                        }
                        tabs &+= WordScan.setBytes(tab0)
                        if stop1 != 0 {
                            let bit = stop1.trailingZeroBitCount
                            tabs &+= WordScan.setBytes(tab1, below: bit)
                            index &+= 8 &+ bit &>> 3
                            break scan
                        }
                        tabs &+= WordScan.setBytes(tab1)
                        index &+= 16
                    }
                    while index < count {
                        let byte = base.load(fromByteOffset: index, as: UInt8.self)
                        if byte == 0x09 {
                            tabs &+= 1
                        } else if byte == 0x0A || byte == 0x5C || byte == 0x0D {
                            break
                        }
                        index &+= 1
                    }
                    break
                }
            }
            if index > runStart { atLineStart = false }
            if tabs > 0 {
                fieldCount &+= tabs
                fieldRawCount = 0
                fieldStartsWithNullMarker = false
                if let expected = expectedFieldCount, expected > 0, fieldCount > expected {
                    try fail("extra data after last expected column (more than \(expected) fields)", at: rowStartOffset)
                    return count
                }
            }
            guard index < count else { return count }
            switch base.load(fromByteOffset: index, as: UInt8.self) {
            case 0x0A:
                index &+= 1
                if let expected = expectedFieldCount, fieldCount &+ 1 == expected {
                    // A row with the right number of fields, the common case, ended here rather than in endLine.
                    try passCountedRows(1, of: expected, nextRowOffset: chunkStart &+ Int64(index))
                    continue
                }
                try endLine(at: chunkStart + Int64(index))
                guard state != .failed else { return count }
            case 0x5C:
                if atLineStart {
                    markerStartOffset = chunkStart + Int64(index)
                    atLineStart = false
                    state = .lineStartBackslash
                    return index &+ 1
                }
                guard index &+ 1 < count else {
                    state = .escape
                    return count
                }
                switch base.load(fromByteOffset: index &+ 1, as: UInt8.self) {
                case UInt8(ascii: "."):
                    try fail("end-of-copy marker is not alone on its line", at: chunkStart + Int64(index))
                    return count
                case 0x0A:
                    lineNumber += 1  // an escaped newline is data: the row goes on
                default:
                    break
                }
                index &+= 2
            default:
                try fail("literal carriage return found in data (use \"\\r\" to represent carriage return)",
                         at: chunkStart + Int64(index))
                return count
            }
        }
    }

    /// Ends `rows` rows that had the expected number of fields and were counted, not decoded (`countRows`): the
    /// next row starts at `nextRowOffset`.
    @inline(__always)
    private func passCountedRows(_ rows: Int, of fields: Int, nextRowOffset: Int64) throws {
        for _ in 0..<rows {
            try handler.handleRow(CopyRow(count: fields, lineNumber: rowStartLine, values: nil, bounds: nil))
            lineNumber &+= 1
            rowStartLine = lineNumber
        }
        rowCount &+= Int64(rows)
        fieldCount = 0
        fieldRawCount = 0
        fieldStartsWithNullMarker = false
        rowStartOffset = nextRowOffset
        atLineStart = true
    }

    /// The `.field` state at the start of a row, when values are collected: rows that lie within the chunk, have
    /// the expected number of fields and no backslash but in a field that is exactly `\N` (NULL), are handed to
    /// the handler as views into the chunk, never copied. The chunk is looked at sixteen bytes at a time, and the
    /// stops in a block (tab, newline, backslash, carriage return) are taken one after the other from a bit mask,
    /// across fields and rows. At anything else (an escape, a carriage return, a wrong number of fields, a row
    /// longer than `directRowBytes`, the chunk's end) the row so far is laid in `values` exactly as the
    /// byte-by-byte path would have laid it, and that path resumes at the start of the field that stopped this
    /// one: it scans that field again and finds the same problems at the same offsets. Returns where it resumes.
    private func decodeRows(in chunk: UnsafeRawBufferPointer, from start: Int, chunkStart: Int64) throws -> Int {
        let base = chunk.baseAddress!
        let count = chunk.count
        let expected = expectedFieldCount!
        let bounds = self.bounds
        let backslashes16 = WordScan.Block(repeating: 0x5C)
        // Tab, newline and carriage return are found with the other bytes up to 0x0D (two instructions for
        // three comparisons); those others are data, passed over where they are met.
        let controls16 = WordScan.Block(repeating: 0x0D)
        @inline(__always) func stopWords(at offset: Int) -> (UInt64, UInt64) {
            let block = WordScan.loadBlock(base, offset)
            return WordScan.words((block .<= controls16) .| (block .== backslashes16))
        }
        // Bit i of `mask`: a stop at `maskBase + i` not yet taken. Bytes before `scanned` are in a mask.
        var mask: UInt32 = 0
        var maskBase = start
        var scanned = start
        var rowStart = start
        // A row's newline must come before `limit`.
        var limit = count &- start > directRowBytes ? start &+ directRowBytes : count
        var fieldStart = start
        var fields = 0
        var nullField = false
        var emptyOrNull = false
        // Rows without NULL or empty fields, one after the other from `runStart`, not yet handed over.
        let takesRuns = handler.takesPlainRows
        var runStart = start
        var runRows = 0
        var runFirstLine: Int64 = 0
        // The row counters, kept here and stored when the scan ends.
        var rows = rowCount
        var line = rowStartLine
        scan: while true {
            if mask == 0 {
                while true {
                    guard scanned < limit else { break scan }
                    maskBase = scanned
                    if scanned &+ 16 <= count {
                        // Most blocks of long fields hold no stop: one test passes them.
                        let (stop0, stop1) = stopWords(at: scanned)
                        scanned &+= 16
                        if stop0 | stop1 == 0 { continue }
                        mask = WordScan.bits(stop0) | WordScan.bits(stop1) &<< 8
                    } else if count >= 16 {
                        // The chunk's last bytes: the block that ends with them, less the bytes already looked at.
                        let (stop0, stop1) = stopWords(at: count &- 16)
                        mask = (WordScan.bits(stop0) | WordScan.bits(stop1) &<< 8)
                            &>> UInt32(truncatingIfNeeded: scanned &- (count &- 16))
                        scanned = count
                    } else {
                        for offset in scanned..<count {
                            let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                            if byte == 0x09 || byte == 0x0A || byte == 0x5C || byte == 0x0D {
                                mask |= 1 &<< UInt32(truncatingIfNeeded: offset &- scanned)
                            }
                        }
                        scanned = count
                    }
                    break
                }
                continue
            }
            let stop = maskBase &+ mask.trailingZeroBitCount
            mask &= mask &- 1
            guard stop < limit else { break scan }
            let byte = base.load(fromByteOffset: stop, as: UInt8.self)
            if byte == 0x5C {
                // Only a field that is exactly `\N` stays here; its tab or newline is the next stop.
                guard stop == fieldStart, !nullField, limit &- stop > 2,
                      base.load(fromByteOffset: stop &+ 1, as: UInt8.self) == UInt8(ascii: "N")
                else { break scan }
                let next = base.load(fromByteOffset: stop &+ 2, as: UInt8.self)
                guard next == 0x09 || next == 0x0A else { break scan }
                nullField = true
                continue
            }
            if byte != 0x09 && byte != 0x0A {
                // A carriage return is an error, found by the byte-by-byte path; other control bytes are data.
                guard byte != 0x0D else { break scan }
                continue
            }
            // A tab must leave room for one more field, a newline end the last one.
            guard byte == 0x09 ? fields &+ 1 < expected : fields &+ 1 == expected else { break scan }
            emptyOrNull = emptyOrNull || nullField || stop == fieldStart
            bounds[2 &* fields] = nullField ? -1 : fieldStart &- rowStart
            bounds[2 &* fields &+ 1] = stop &- rowStart
            nullField = false
            fields &+= 1
            fieldStart = stop &+ 1
            guard byte == 0x0A else { continue }
            if takesRuns && !emptyOrNull && fieldStart &- runStart <= Self.plainRunBytes {
                if runRows == 0 {
                    runStart = rowStart
                    runFirstLine = line
                }
                runRows &+= 1
            } else {
                if runRows > 0 {
                    try handler.handlePlainRows(
                        UnsafeRawBufferPointer(start: base + runStart, count: rowStart &- runStart), count: runRows,
                        firstLineNumber: runFirstLine)
                    runRows = 0
                }
                if takesRuns && !emptyOrNull && fieldStart &- rowStart <= Self.plainRunBytes {
                    runStart = rowStart
                    runFirstLine = line
                    runRows = 1
                } else {
                    try handler.handleRow(CopyRow(
                        count: expected, lineNumber: line, values: base + rowStart, bounds: UnsafePointer(bounds),
                        text: UnsafeRawBufferPointer(start: base + rowStart, count: stop &- rowStart),
                        hasEmptyOrNullField: emptyOrNull))
                }
            }
            rows &+= 1
            line &+= 1
            rowStart = fieldStart
            limit = count &- rowStart > directRowBytes ? rowStart &+ directRowBytes : count
            fields = 0
            emptyOrNull = false
        }
        rowCount = rows
        lineNumber = line
        rowStartLine = line
        rowStartOffset = chunkStart &+ Int64(rowStart)
        if runRows > 0 {
            try handler.handlePlainRows(
                UnsafeRawBufferPointer(start: base + runStart, count: rowStart &- runStart), count: runRows,
                firstLineNumber: runFirstLine)
        }
        return try resumeRow(in: chunk, rowStart: rowStart, resumeAt: fieldStart, fields: fields)
    }

    /// The most bytes of rows handed over together to a handler that takes plain rows.
    private static var plainRunBytes: Int { 64 << 10 }

    /// Leaves `decodeRows` for the byte-by-byte path: the row's first `fields` fields (bounds counted from
    /// `rowStart` in the chunk) are laid in `values` as that path lays them (a NULL field as the `N` of its `\N`),
    /// and it resumes at `resumeAt`, which it returns.
    private func resumeRow(
        in chunk: UnsafeRawBufferPointer, rowStart: Int, resumeAt: Int, fields: Int
    ) throws -> Int {
        for field in 0..<fields {
            let start = bounds[2 * field], end = bounds[2 * field + 1]
            let valueStart = valuesCount
            if start < 0 {
                try appendByte(UInt8(ascii: "N"))
            } else {
                try appendValue(UnsafeRawBufferPointer(rebasing: chunk[(rowStart + start)..<(rowStart + end)]))
            }
            bounds[2 * field] = start < 0 ? -1 : valueStart
            bounds[2 * field + 1] = valuesCount
        }
        fieldCount = fields
        fieldStart = valuesCount
        fieldRawCount = 0
        fieldStartsWithNullMarker = false
        atLineStart = resumeAt == rowStart
        return resumeAt
    }

    package func beginLargeObject(oid: UInt32) throws {
        throw PGDumpError(.corrupt, "table data holds a large object (OID \(oid))")
    }

    /// Checks that the data ended where it should: right after the end-of-data marker. Throws the recorded
    /// problem, or the one found here, when `stopsAtFirstProblem`; otherwise records it.
    package func finish() throws {
        switch state {
        case .ended:
            return
        case .failed:
            if stopsAtFirstProblem, let problem { throw problem }
            return
        case .markerDot, .lineStartBackslash:
            try fail("the data ends inside the end-of-copy marker: it is truncated", at: markerStartOffset)
        default:
            if atLineStart && state == .field {
                try fail("the data ends without the end-of-copy marker (\\.): it is truncated", at: byteCount)
            } else {
                try fail("the data ends in the middle of a row: it is truncated", at: rowStartOffset)
            }
        }
    }

    // MARK: - Rows and fields

    @inline(__always)
    private func endField() throws {
        fieldCount += 1
        if let expected = expectedFieldCount, expected > 0, fieldCount > expected {
            try fail("extra data after last expected column (more than \(expected) fields)", at: rowStartOffset)
            return
        }
        if collectsValues {
            if fieldCount > boundsCapacity {
                try growBounds()
                guard state != .failed else { return }
            }
            let isNull = fieldStartsWithNullMarker && fieldRawCount == 2
            bounds[2 * (fieldCount - 1)] = isNull ? -1 : fieldStart
            bounds[2 * (fieldCount - 1) + 1] = valuesBase + valuesCount
            fieldStart = valuesBase + valuesCount
        }
        fieldRawCount = 0
        fieldStartsWithNullMarker = false
    }

    /// Ends the row at a newline; `nextLineOffset` is where the next line starts.
    private func endLine(at nextLineOffset: Int64) throws {
        let lineWasEmpty = atLineStart
        try endField()
        guard state != .failed else { return }
        var count = fieldCount
        if let expected = expectedFieldCount {
            if expected == 0 {
                // A table without columns: each row is an empty line.
                guard lineWasEmpty else {
                    try fail("extra data after last expected column (the table has no columns)", at: rowStartOffset)
                    return
                }
                count = 0
            } else if count < expected {
                let name = columnNames[count].debugDescription
                try fail("missing data for column \(name) (the row has \(count) of \(expected) fields)",
                         at: rowStartOffset)
                return
            }
        }
        if valuesBase > 0, let spill {
            // The row went to the spill file: the rest of it too, then the handler reads it back in pieces.
            try spill.append(UnsafeRawBufferPointer(start: values, count: valuesCount))
            try handler.handleLargeRow(LargeCopyRow(
                count: count, lineNumber: rowStartLine, file: spill, bounds: UnsafePointer(bounds)))
            spill.reset()
        } else {
            try handler.handleRow(CopyRow(
                count: count, lineNumber: rowStartLine, values: collectsValues ? UnsafeRawPointer(values) : nil,
                bounds: collectsValues ? UnsafePointer(bounds) : nil))
        }
        rowCount += 1
        valuesCount = 0
        valuesBase = 0
        fieldStart = 0
        fieldCount = 0
        lineNumber += 1
        rowStartLine = lineNumber
        rowStartOffset = nextLineOffset
        atLineStart = true
    }

    @inline(__always)
    private func appendValue(_ bytes: UnsafeRawBufferPointer) throws {
        guard collectsValues else { return }
        if bytes.count > valuesCapacity - valuesCount {
            guard try growValues(toHold: bytes.count) else { return }
        }
        (values + valuesCount).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        valuesCount += bytes.count
    }

    @inline(__always)
    private func appendByte(_ byte: UInt8) throws {
        guard collectsValues else { return }
        if valuesCount == valuesCapacity {
            guard try growValues(toHold: 1) else { return }
        }
        values.storeBytes(of: byte, toByteOffset: valuesCount, as: UInt8.self)
        valuesCount += 1
    }

    /// Makes room for `extra` more bytes, moving the row so far to the spill file once it passes
    /// `spillThreshold`; false when the row would exceed `maximumRowBytes` (a recorded problem).
    private func growValues(toHold extra: Int) throws -> Bool {
        guard valuesBase + valuesCount + extra <= maximumRowBytes else {
            try fail("row is longer than \(maximumRowBytes) bytes", at: rowStartOffset, kind: .limitExceeded)
            return false
        }
        if valuesCount + extra > spillThreshold {
            if spill == nil { spill = try RowSpillFile() }
            try spill!.append(UnsafeRawBufferPointer(start: values, count: valuesCount))
            valuesBase += valuesCount
            valuesCount = 0
            if extra <= valuesCapacity { return true }
        }
        let needed = valuesCount + extra
        let capacity = max(needed, min(valuesCapacity * 2, spillThreshold))
        let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        grown.copyMemory(from: values, byteCount: valuesCount)
        values.deallocate()
        values = grown
        valuesCapacity = capacity
        return true
    }

    private func growBounds() throws {
        // Without a column list (archives before 1.6) the row says how many fields it has; a table has at most
        // 1600 columns (MaxHeapAttributeNumber), so more is damage, not data to hold.
        guard boundsCapacity < 1600 else {
            try fail("the row has more than 1600 fields, more than a table can have", at: rowStartOffset,
                     kind: .limitExceeded)
            return
        }
        let capacity = boundsCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: 2 * capacity)
        grown.update(from: bounds, count: 2 * boundsCapacity)
        bounds.deallocate()
        bounds = grown
        boundsCapacity = capacity
    }

    /// Records a problem in the data and stops decoding; throws it when `stopsAtFirstProblem`.
    private func fail(_ message: String, at offset: Int64, kind: PGDumpError.Kind = .corrupt) throws {
        let error = PGDumpError(kind, "line \(rowStartLine) of the COPY data (byte \(offset)): \(message)")
        problem = error
        problemByteOffset = offset
        state = .failed
        if stopsAtFirstProblem { throw error }
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}

/// The C scan that counts whole COPY rows 64 bytes at a time (CCopyScan), where the CPU can run it.
package enum CopyScanKernel {
    /// Whether this CPU has AVX2 (asked once).
    package static let isAvailable = pgdk_copy_scan_available() != 0
}
