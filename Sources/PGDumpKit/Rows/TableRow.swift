import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// One row of a table's data, decoded and owned: it stays valid after the next row is read.
///
/// Fields are kept as the bytes the dump holds, in the database's encoding, with COPY's escapes (`\t`, `\n`,
/// `\\`, octal and hex) or the INSERT statement's quoting undone; `NULL` is `nil`. The string accessors decode
/// them as UTF-8, replacing invalid bytes with U+FFFD: use `bytes(at:)` for a dump in another encoding
/// (`reader.sessionSettings.encoding`).
///
/// ```swift
/// let rows = try reader.rows(of: "public.actor")
/// while let row = try rows.next() {
///     print(row["first_name"] ?? "NULL", row.typedValue(at: 0))
/// }
/// ```
public struct TableRow: Sendable {
    /// The row's position in the table's data, from 1.
    public let number: Int64
    let layout: RowLayout
    /// The fields' bytes, one after another.
    let values: [UInt8]
    /// Field `i` spans `values[bounds[2i]..<bounds[2i+1]]`; a start of -1 marks NULL.
    let bounds: [Int]

    init(number: Int64, layout: RowLayout, values: [UInt8], bounds: [Int]) {
        self.number = number
        self.layout = layout
        self.values = values
        self.bounds = bounds
    }

    /// A copy of a decoder's row, whose storage the decoder reuses for the next one.
    init(copying row: CopyRow, number: Int64, layout: RowLayout) {
        var total = 0
        for index in 0..<row.count { total += row[index]?.count ?? 0 }
        var values: [UInt8] = []
        values.reserveCapacity(total)
        var bounds: [Int] = []
        bounds.reserveCapacity(2 * row.count)
        for index in 0..<row.count {
            if let field = row[index] {
                bounds.append(values.count)
                values.append(contentsOf: field)
                bounds.append(values.count)
            } else {
                bounds.append(-1)
                bounds.append(-1)
            }
        }
        self.init(number: number, layout: layout, values: values, bounds: bounds)
    }

    /// The number of fields.
    public var count: Int { bounds.count / 2 }

    /// The column names, in field order, as `TableRows.columns` describes them; `nil` when the archive does not
    /// say (a COPY statement without a column list, from pg_dump 7.2 and older, or INSERT data without column
    /// names whose CREATE TABLE is missing or does not match).
    public var columns: [String]? { layout.columns }

    /// The position of the column named `name` (exactly, as stored), or `nil`.
    public func index(ofColumn name: String) -> Int? { layout.indexByName[name] }

    /// Whether field `index` is NULL.
    public func isNull(_ index: Int) -> Bool {
        precondition(index >= 0 && index < count, "field index out of range")
        return bounds[2 * index] < 0
    }

    /// Field `index`'s bytes as the dump stores them, escapes undone, or `nil` for NULL.
    public func bytes(at index: Int) -> ArraySlice<UInt8>? {
        precondition(index >= 0 && index < count, "field index out of range")
        let start = bounds[2 * index]
        guard start >= 0 else { return nil }
        return values[start..<bounds[2 * index + 1]]
    }

    /// Field `index` as text (UTF-8, invalid bytes replaced), or `nil` for NULL.
    public subscript(index: Int) -> String? {
        bytes(at: index).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The field of the column named `name`, or `nil` when it is NULL or there is no such column
    /// (`index(ofColumn:)` tells the two apart).
    public subscript(name: String) -> String? {
        guard let index = layout.indexByName[name], index < count else { return nil }
        return self[index]
    }

    /// Every field as text, `nil` for NULL.
    public var fields: [String?] { (0..<count).map { self[$0] } }

    /// Field `index` as a typed value, as `pgdumpkit extract --to jsonl --typed` writes it: integers, numbers
    /// and booleans from columns of those types, embedded JSON from `json` and `jsonb` columns, arrays (of
    /// elements typed alike) from array columns, strings for every other type and for values that do not have
    /// their type's form (`NaN`, the infinities, malformed array text).
    ///
    /// The column types come from the table's CREATE TABLE in the archive (`TableRows.columnKinds`); a column
    /// whose type is not found is a string column.
    public func typedValue(at index: Int) -> RowValue {
        guard let field = bytes(at: index) else { return .null }
        let kind = index < layout.kinds.count ? layout.kinds[index] : .string
        return field.withUnsafeBytes { RowValue(field: $0, kind: kind) }
    }

    /// The typed value of the column named `name`, or `nil` when there is no such column.
    public func typedValue(of name: String) -> RowValue? {
        guard let index = layout.indexByName[name], index < count else { return nil }
        return typedValue(at: index)
    }

    /// Every field as a typed value.
    public var typedValues: [RowValue] { (0..<count).map(typedValue(at:)) }
}

/// A field's value typed by its column's type, as `extract --to jsonl --typed` types it.
public enum RowValue: Hashable, Sendable, CustomStringConvertible {
    /// SQL NULL (also a null element of an array).
    case null
    /// Text, and every value of a type without a JSON counterpart (dates, enums, `bytea`'s `\x…`…).
    case string(String)
    /// A `smallint`, `integer` or `bigint` value (one written otherwise than `String(Int64)` would, such as `-0`
    /// from a damaged archive, is a `.number`).
    case integer(Int64)
    /// A `numeric`, `real` or `double precision` value, as the dump writes it (a JSON number: `NaN` and the
    /// infinities are strings). Kept as text so that `numeric`'s precision is not lost: convert it with
    /// `Double(_:)` or Foundation's `Decimal(string:)`.
    case number(String)
    /// A `boolean` value.
    case boolean(Bool)
    /// A `json` or `jsonb` value: the document's text, checked to be valid JSON.
    case json(String)
    /// A value of an array type (`integer[]`, `text[]`, an array of a domain, a domain over an array): its
    /// elements in order, each typed by the element type as a column of that type would be (`.null` for a NULL
    /// element). A multidimensional array holds one `.array` per sub-array: `{{1,2},{3,4}}` is
    /// `.array([.array([.integer(1), .integer(2)]), .array([.integer(3), .integer(4)])])`; `{}` is `.array([])`.
    /// Dimension decorations (`[0:1]={7,8}`, written when a lower bound is not 1) are dropped, as the server's
    /// `array_to_json` drops them; text that is not a well-formed array is a `.string`.
    case array([RowValue])

    init(field: UnsafeRawBufferPointer, kind: JSONValueKind) {
        switch kind {
        case .string:
            break
        case .integer:
            if JSONText.isNumber(field, integerOnly: true) {
                let text = String(decoding: field, as: UTF8.self)
                // `.integer` only where its JSON text is the dump's (`-0`, from a damaged archive, is not).
                if let value = Int64(text), String(value) == text {
                    self = .integer(value)
                } else {
                    self = .number(text)
                }
                return
            }
        case .number:
            if JSONText.isNumber(field) {
                self = .number(String(decoding: field, as: UTF8.self))
                return
            }
        case .boolean:
            // boolout writes `t` and `f`.
            if field.count == 1 && (field[0] == UInt8(ascii: "t") || field[0] == UInt8(ascii: "f")) {
                self = .boolean(field[0] == UInt8(ascii: "t"))
                return
            }
        case .json:
            if JSONText.isDocument(field) {
                self = .json(String(decoding: field, as: UTF8.self))
                return
            }
        case .array(let element, let delimiter):
            var builder = ArrayBuilder(element: element)
            if ArrayLiteral.walk(field, delimiter: delimiter, &builder), let value = builder.value {
                self = value
                return
            }
        }
        self = .string(String(decoding: field, as: UTF8.self))
    }

    /// Collects an array literal's parts into nested `.array` values.
    private struct ArrayBuilder: ArrayLiteralVisitor {
        typealias Failure = Never
        let element: JSONValueKind
        /// The open arrays, outermost first.
        private var open: [[RowValue]] = []
        /// For escaped elements.
        private var scratch: [UInt8] = []
        /// The whole array, once its closing brace is seen.
        private(set) var value: RowValue?

        init(element: JSONValueKind) { self.element = element }

        mutating func beginArray() { open.append([]) }

        mutating func endArray() {
            guard let closed = open.popLast() else { return }
            if open.isEmpty {
                value = .array(closed)
            } else {
                open[open.count - 1].append(.array(closed))
            }
        }

        mutating func element(_ raw: UnsafeRawBufferPointer, escaped: Bool) {
            guard !open.isEmpty else { return }
            let value: RowValue
            if escaped {
                ArrayLiteral.unescape(raw, into: &scratch)
                value = scratch.withUnsafeBytes { RowValue(field: $0, kind: element) }
            } else {
                value = RowValue(field: raw, kind: element)
            }
            open[open.count - 1].append(value)
        }

        mutating func null() {
            guard !open.isEmpty else { return }
            open[open.count - 1].append(.null)
        }
    }

    /// The value as JSON text, as `extract --to jsonl --typed` writes it: `null`, a quoted and escaped
    /// string, a number, `true`/`false`, the embedded document with its line breaks turned into spaces, or an
    /// array of these (`[1,null,[2,3]]`, without spaces).
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .integer(let value): return String(value)
        case .number(let text): return text
        case .boolean(let value): return value ? "true" : "false"
        case .json(let text):
            return String(decoding: text.utf8.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }, as: UTF8.self)
        case .string(let text):
            var bytes: [UInt8] = []
            JSONText.appendString(text, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        case .array(let values):
            return "[" + values.map(\.jsonText).joined(separator: ",") + "]"
        }
    }

    public var description: String { jsonText }
}

/// The column names and value kinds the rows of one table share.
final class RowLayout: Sendable {
    let columns: [String]?
    /// One per column; empty when the columns are unknown (every field is then a string).
    let kinds: [JSONValueKind]
    let indexByName: [String: Int]

    init(columns: [String]?, kinds: [JSONValueKind]) {
        self.columns = columns
        self.kinds = kinds
        var index: [String: Int] = [:]
        for (position, name) in (columns ?? []).enumerated() where index[name] == nil { index[name] = position }
        indexByName = index
    }

    /// The layout of the data of `entry`, whose fields are `columns` (`nil`: unknown), typed from the table's
    /// definition in `entries` as `extract --typed` types them.
    convenience init(columns: [ArchiveText]?, dataEntry entry: TOCEntry, entries: [TOCEntry]) {
        guard let columns else {
            self.init(columns: nil, kinds: [])
            return
        }
        self.init(
            columns: columns.map(\.string),
            kinds: TableDefinition.jsonKinds(of: columns, dataEntry: entry, entries: entries))
    }
}
