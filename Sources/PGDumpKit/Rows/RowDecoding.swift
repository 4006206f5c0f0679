import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Decodes one TABLE DATA entry's rows, COPY data or INSERT statements, with the decoders `extract` uses, and
/// hands each to a closure as an owned `TableRow`. Runs on the caller's thread (`TableRows.forEach`) or on a
/// producer thread (`TableRows.next`).
final class RowDecoding {
    let reader: any ArchiveReader
    let entry: TOCEntry
    /// The COPY statement's columns; `nil` for INSERT data, or COPY data that names none.
    private let copyColumns: [ArchiveText]?
    /// The layout known before reading: final for COPY data; for INSERT data, from the table's CREATE TABLE,
    /// replaced at the first row when the statements name their columns.
    let initialLayout: RowLayout

    init(entry: TOCEntry, reader: any ArchiveReader) throws {
        guard entry.kind == .tableData else {
            throw PGDumpError(
                .invalidRequest, "entry \(entry.dumpID) (\(entry.displayLabel)) is not table data",
                file: reader.path, dumpID: entry.dumpID)
        }
        guard entry.hasData else {
            throw PGDumpError(
                .invalidRequest, "entry \(entry.dumpID) (\(entry.displayLabel)) has no data in the archive",
                file: reader.path, dumpID: entry.dumpID)
        }
        self.reader = reader
        self.entry = entry
        if entry.storesInsertStatements {
            copyColumns = nil
            initialLayout = RowLayout(
                columns: TableDefinition.dataColumns(ofDataEntry: entry, entries: reader.entries), dataEntry: entry,
                entries: reader.entries)
        } else {
            let statement: CopyStatement
            do {
                statement = try CopyStatement(of: entry, archiveVersion: reader.header.version)
            } catch let error as PGDumpError {
                throw error.inFile(reader.path)
            }
            copyColumns = statement.columns
            initialLayout = RowLayout(columns: statement.columns, dataEntry: entry, entries: reader.entries)
        }
    }

    /// Decodes every row into `deliver`, which returns `false` to have the remaining rows read and dropped. Throws
    /// what `deliver` throws, or a `PGDumpError` placed in the archive as `extract` places it.
    func run(_ deliver: @escaping (TableRow) throws -> Bool) throws {
        let collector = RowCollector(layout: initialLayout, deliver: deliver)
        do {
            if entry.storesInsertStatements {
                let decoder = InsertStatementDecoder(
                    handler: collector, backslashEscapesInStrings: !reader.sessionSettings.standardConformingStrings)
                let (entry, entries) = (entry, reader.entries)
                decoder.willHandleFirstRow = { statementColumns, fieldCount in
                    var columns = statementColumns ?? TableDefinition.dataColumns(ofDataEntry: entry, entries: entries)
                    if let known = columns, let fieldCount, known.count != fieldCount {
                        // The definition does not match the data (an ALTERed table, a dropped column): names unknown.
                        columns = nil
                    }
                    collector.layout = RowLayout(columns: columns, dataEntry: entry, entries: entries)
                }
                try reader.placingProblems(of: decoder, in: entry) {
                    var sink = decoder
                    try reader.streamData(of: entry, into: &sink)
                    try decoder.finish()
                }
            } else {
                let decoder = CopyTextDecoder(columns: copyColumns, handler: collector, stopsAtFirstProblem: true)
                try reader.placingProblems(of: decoder, in: entry) {
                    var sink = decoder
                    try reader.streamData(of: entry, into: &sink)
                    try decoder.finish()
                }
            }
        } catch let error as PGDumpError {
            throw error.inFile(reader.path).forEntry(entry.dumpID)
        }
    }
}

/// The row handler of `RowDecoding`: copies each decoded row out of the decoder's reused buffers.
final class RowCollector: CopyRowHandler {
    var layout: RowLayout
    private let deliver: (TableRow) throws -> Bool
    private var rowCount: Int64 = 0
    /// Set once `deliver` wants no more rows: the rest are read and dropped.
    private var dropping = false

    init(layout: RowLayout, deliver: @escaping (TableRow) throws -> Bool) {
        self.layout = layout
        self.deliver = deliver
    }

    var collectsValues: Bool { true }

    func handleRow(_ row: CopyRow) throws {
        guard !dropping else { return }
        rowCount += 1
        if try !deliver(TableRow(copying: row, number: rowCount, layout: layout)) { dropping = true }
    }

    func handleLargeRow(_ row: LargeCopyRow) throws {
        guard !dropping else { return }
        // A row too large for the decoder's buffer was spilled to disk; a `TableRow` holds it whole.
        let (values, bounds) = try row.readWhole()
        rowCount += 1
        if try !deliver(TableRow(number: rowCount, layout: layout, values: values, bounds: bounds)) { dropping = true }
    }
}
