import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// One row of COPY data, decoded: its fields' bytes, or NULL.
///
/// A row is a view into the decoder's reused buffers and is valid only during the `CopyRowHandler.handleRow` call
/// that receives it: copy what must outlive the call. When the handler does not collect values
/// (`CopyRowHandler.collectsValues` is false) only `count` and `lineNumber` are meaningful.
package struct CopyRow {
    /// The number of fields.
    package let count: Int
    /// The line of the COPY data the row starts on (1-based).
    package let lineNumber: Int64
    private let values: UnsafeRawPointer?
    /// Field `i` spans `values[bounds[2i]..<bounds[2i+1]]`; a start of -1 marks NULL.
    private let bounds: UnsafePointer<Int>?

    /// The row's COPY text, without its newline, when the decoder hands the row where it lies: then no field
    /// holds an escape, a NULL field is `\N`, and fields are separated by single tabs, so a writer may copy the
    /// text whole rather than field by field.
    package let text: UnsafeRawBufferPointer?
    /// With `text`: whether a field is NULL or empty.
    package let hasEmptyOrNullField: Bool

    init(
        count: Int, lineNumber: Int64, values: UnsafeRawPointer?, bounds: UnsafePointer<Int>?,
        text: UnsafeRawBufferPointer? = nil, hasEmptyOrNullField: Bool = true
    ) {
        self.count = count
        self.lineNumber = lineNumber
        self.values = values
        self.bounds = bounds
        self.text = text
        self.hasEmptyOrNullField = hasEmptyOrNullField
    }

    /// Whether field `index` is NULL (`\N` in the data).
    @inline(__always)
    package func isNull(_ index: Int) -> Bool {
        precondition(index >= 0 && index < count, "field index out of range")
        guard let bounds else { return false }
        return bounds[2 * index] < 0
    }

    /// The decoded bytes of field `index`, or `nil` for NULL.
    @inline(__always)
    package subscript(index: Int) -> UnsafeRawBufferPointer? {
        precondition(index >= 0 && index < count, "field index out of range")
        guard let bounds, let values else { return nil }
        let start = bounds[2 * index]
        guard start >= 0 else { return nil }
        return UnsafeRawBufferPointer(start: values + start, count: bounds[2 * index + 1] - start)
    }

    /// Field `index` without the subscript's checks, for the writers' per-row loops: where its bytes start (`nil`
    /// for NULL) and how many there are (0 for NULL). `index` must be below `count`, and the row's values collected.
    @inline(__always)
    package func unsafeField(_ index: Int) -> (start: UnsafeRawPointer?, count: Int) {
        let bounds = bounds.unsafelyUnwrapped
        let start = bounds[2 &* index]
        guard start >= 0 else { return (nil, 0) }
        return (values.unsafelyUnwrapped + start, bounds[2 &* index &+ 1] &- start)
    }
}

/// Receives the rows a `CopyTextDecoder` decodes, one at a time.
///
/// Handlers are generic parameters of the decoder, never existentials, so the per-row call specialises.
package protocol CopyRowHandler {
    /// Whether the handler reads field values. When false the decoder only counts fields, which is faster.
    var collectsValues: Bool { get }
    /// Receives one row; its storage is reused for the next row.
    mutating func handleRow(_ row: CopyRow) throws
    /// Receives a row too large to hold in memory, whose fields are read back in pieces (see `LargeCopyRow`).
    mutating func handleLargeRow(_ row: LargeCopyRow) throws
    /// Whether the handler takes plain rows together as their COPY text (`handlePlainRows`), rather than one by
    /// one.
    var takesPlainRows: Bool { get }
    /// Receives `count` rows one after the other as their COPY text, each ended by its newline: each row has
    /// the expected number of fields, none NULL or empty, and no backslash, so fields are separated by single
    /// tabs and hold their values as they are. The first row starts on line `firstLineNumber`, the others on
    /// the lines that follow.
    mutating func handlePlainRows(_ text: UnsafeRawBufferPointer, count: Int, firstLineNumber: Int64) throws
}

extension CopyRowHandler {
    package var takesPlainRows: Bool { false }

    /// By default the rows are taken apart and handled one by one.
    package mutating func handlePlainRows(
        _ text: UnsafeRawBufferPointer, count: Int, firstLineNumber: Int64
    ) throws {
        let base = text.baseAddress!
        var bounds: [Int] = []
        var rowStart = 0
        var fieldStart = 0
        var lineNumber = firstLineNumber
        for index in 0..<text.count {
            let byte = text[index]
            guard byte == 0x09 || byte == 0x0A else { continue }
            bounds.append(fieldStart - rowStart)
            bounds.append(index - rowStart)
            fieldStart = index + 1
            if byte == 0x0A {
                try bounds.withUnsafeBufferPointer { fieldBounds in
                    try handleRow(CopyRow(
                        count: fieldBounds.count / 2, lineNumber: lineNumber, values: base + rowStart,
                        bounds: fieldBounds.baseAddress,
                        text: UnsafeRawBufferPointer(start: base + rowStart, count: index - rowStart),
                        hasEmptyOrNullField: false))
                }
                bounds.removeAll(keepingCapacity: true)
                lineNumber += 1
                rowStart = fieldStart
            }
        }
    }
}

/// A handler that only counts rows (the decoder still checks every row's field count): `verify`,
/// `info --tables`, and the `copy` output format, which passes the stored bytes through.
package struct CopyRowCounter: CopyRowHandler {
    /// Rows counted.
    package private(set) var rows: Int64 = 0
    package init() {}
    package var collectsValues: Bool { false }
    package mutating func handleRow(_ row: CopyRow) throws { rows += 1 }
    package mutating func handleLargeRow(_ row: LargeCopyRow) throws { rows += 1 }
}

/// Where the fields of a row with no value bytes point (never read: every such field is empty).
nonisolated(unsafe) let emptyRowValues = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 16))
