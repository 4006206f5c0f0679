import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// The formats `extract` writes table data in.
public enum TableDataFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The COPY data exactly as the archive stores it (PostgreSQL's text format, as `COPY ... TO` wrote it), without
    /// the end-of-data marker: loadable with `COPY table FROM` or psql's `\copy`.
    case copy
    /// `COPY ... TO STDOUT WITH (FORMAT csv[, HEADER])`, byte for byte.
    case csv
    /// PostgreSQL's text format (`COPY ... TO STDOUT [WITH (HEADER)]`), written from the decoded values.
    case tsv
    /// One JSON object per row.
    case jsonl

    public var description: String { rawValue }

    /// The file name extension `--all` uses.
    public var fileExtension: String {
        switch self {
        case .copy: return "copy"
        case .csv: return "csv"
        case .tsv: return "tsv"
        case .jsonl: return "jsonl"
        }
    }
}

/// How `extract` writes a table.
public struct ExtractOptions: Sendable, Hashable {
    /// The output format.
    public var format: TableDataFormat
    /// Start with a line of column names (`csv` and `tsv`).
    public var header: Bool
    /// In `jsonl`, write numbers, booleans and json/jsonb values as native JSON values.
    public var typed: Bool

    public init(format: TableDataFormat, header: Bool = false, typed: Bool = false) {
        self.format = format
        self.header = header
        self.typed = typed
    }
}

/// What extracting one table did.
public struct ExtractSummary: Sendable, Hashable {
    /// Rows written.
    public var rows: Int64
    /// Bytes of COPY data read from the archive (decompressed).
    public var dataBytes: Int64
    /// Bytes written.
    public var outputBytes: Int64
}
