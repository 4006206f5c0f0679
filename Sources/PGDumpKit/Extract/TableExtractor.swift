import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Writes one table's data from an archive as COPY text, CSV, TSV or JSON Lines, streaming: the data is decoded
/// row by row as the reader decompresses it, and written through a large reused buffer, so memory does not grow
/// with the table. With recorded data offsets (or a directory archive) the reader goes straight to the table's data,
/// so the time taken follows the table's size, not the archive's.
public enum TableExtractor {
    /// Extracts the data of the TABLE DATA `entry` of `reader` to `sink`.
    ///
    /// Throws a `PGDumpError` naming the file, entry and line when the data cannot be read or is not well-formed
    /// COPY data; what was written before the problem stays written (`extract` writes files under a temporary
    /// name, so a failure leaves no partial file).
    public static func extract(
        _ entry: TOCEntry, from reader: any ArchiveReader, options: ExtractOptions, to sink: ByteSink,
        progress: (any DataProgressObserver)? = nil
    ) throws -> ExtractSummary {
        if entry.storesInsertStatements {
            return try extractInserts(entry, from: reader, options: options, to: sink, progress: progress)
        }
        let statement = try CopyStatement(of: entry, archiveVersion: reader.header.version)
        let output = OutputBuffer(sink: sink, capacity: 1 << 20, passThroughSize: 1 << 20)
        let columns = statement.columns
        if columns == nil && (options.header || options.format == .jsonl) {
            throw PGDumpError(
                .invalidRequest,
                "the column names of \(entry.qualifiedDisplayName) are unknown: its COPY statement (from an archive before version 1.6) names none, so neither a header nor JSON keys can be written",
                file: reader.path, dumpID: entry.dumpID)
        }
        let rows: Int64
        let dataBytes: Int64
        do {
            switch options.format {
            case .copy:
                let passthrough = CopyPassthroughSink(columns: columns, output: output)
                try reader.placingProblems(of: passthrough.decoder, in: entry) {
                    try stream(entry, from: reader, into: passthrough, progress: progress)
                    try passthrough.finish()
                }
                (rows, dataBytes) = (passthrough.decoder.rowCount, passthrough.decoder.byteCount)
            case .csv:
                let writer = CSVRowWriter(output: output, columnCount: columns?.count ?? 0)
                if options.header, let columns { try writer.writeHeader(columns) }
                (rows, dataBytes) = try decode(entry, from: reader, columns: columns, writer: writer, progress: progress)
            case .tsv:
                let writer = TextRowWriter(output: output)
                if options.header, let columns { try writer.writeHeader(columns) }
                (rows, dataBytes) = try decode(entry, from: reader, columns: columns, writer: writer, progress: progress)
            case .jsonl:
                let names = columns ?? []
                let kinds = options.typed
                    ? TableDefinition.jsonKinds(of: names, dataEntry: entry, entries: reader.entries)
                    : [JSONValueKind](repeating: .string, count: names.count)
                let writer = try JSONLinesRowWriter(output: output, columns: names, kinds: kinds)
                (rows, dataBytes) = try decode(entry, from: reader, columns: columns, writer: writer, progress: progress)
            }
        } catch let error as PGDumpError {
            throw error.inFile(reader.path).forEntry(entry.dumpID)
        }
        try output.flush()
        return ExtractSummary(rows: rows, dataBytes: dataBytes, outputBytes: output.totalBytes)
    }

    /// Table data stored as INSERT statements: decoded into the rows the COPY form holds, then written as COPY
    /// text, CSV, TSV or JSON Lines exactly as those rows would be. The column names come from the statements
    /// (`--column-inserts`) or else from the table's CREATE TABLE, so the writer is set up at the first row.
    private static func extractInserts(
        _ entry: TOCEntry, from reader: any ArchiveReader, options: ExtractOptions, to sink: ByteSink,
        progress: (any DataProgressObserver)?
    ) throws -> ExtractSummary {
        let output = OutputBuffer(sink: sink, capacity: 1 << 20, passThroughSize: 1 << 20)
        let writer = DeferredRowWriter()
        let decoder = InsertStatementDecoder(
            handler: writer, backslashEscapesInStrings: !reader.sessionSettings.standardConformingStrings)
        decoder.willHandleFirstRow = { statementColumns, fieldCount in
            var columns = statementColumns ?? TableDefinition.dataColumns(ofDataEntry: entry, entries: reader.entries)
            if let known = columns, let fieldCount, known.count != fieldCount {
                // The definition does not match the data (an ALTERed table, a dropped column): names unknown.
                columns = nil
            }
            if columns == nil && (options.header || options.format == .jsonl) {
                throw PGDumpError(
                    .invalidRequest,
                    "the column names of \(entry.qualifiedDisplayName) are unknown: its data is INSERT statements without column names (pg_dump --inserts) and the archive has no CREATE TABLE for it that matches, so neither a header nor JSON keys can be written")
            }
            switch options.format {
            case .copy:
                writer.target = .text(TextRowWriter(output: output))
            case .tsv:
                let text = TextRowWriter(output: output)
                if options.header, let columns { try text.writeHeader(columns) }
                writer.target = .text(text)
            case .csv:
                let csv = CSVRowWriter(output: output, columnCount: columns?.count ?? fieldCount ?? 0)
                if options.header, let columns { try csv.writeHeader(columns) }
                writer.target = .csv(csv)
            case .jsonl:
                let names = columns ?? []
                let kinds = options.typed
                    ? TableDefinition.jsonKinds(of: names, dataEntry: entry, entries: reader.entries)
                    : [JSONValueKind](repeating: .string, count: names.count)
                writer.target = .jsonl(try JSONLinesRowWriter(output: output, columns: names, kinds: kinds))
            }
        }
        do {
            try reader.placingProblems(of: decoder, in: entry) {
                var reporting = ProgressReportingSink(decoder, observer: progress, entry: entry)
                try reader.streamData(of: entry, into: &reporting)
                try decoder.finish()
            }
        } catch let error as PGDumpError {
            throw error.inFile(reader.path).forEntry(entry.dumpID)
        }
        try output.flush()
        return ExtractSummary(rows: decoder.rowCount, dataBytes: decoder.byteCount, outputBytes: output.totalBytes)
    }

    private static func decode<Writer: CopyRowHandler>(
        _ entry: TOCEntry, from reader: any ArchiveReader, columns: [ArchiveText]?, writer: Writer,
        progress: (any DataProgressObserver)?
    ) throws -> (rows: Int64, bytes: Int64) {
        let decoder = CopyTextDecoder(columns: columns, handler: writer, stopsAtFirstProblem: true)
        try reader.placingProblems(of: decoder, in: entry) {
            try stream(entry, from: reader, into: decoder, progress: progress)
            try decoder.finish()
        }
        return (decoder.rowCount, decoder.byteCount)
    }

    private static func stream<Sink: DataSink & ProgressCounting>(
        _ entry: TOCEntry, from reader: any ArchiveReader, into sink: Sink, progress: (any DataProgressObserver)?
    ) throws {
        var reporting = ProgressReportingSink(sink, observer: progress, entry: entry)
        try reader.streamData(of: entry, into: &reporting)
    }
}

extension TOCEntry {
    /// A TABLE DATA entry whose data is INSERT statements (`pg_dump --inserts` and its variants): it has a data
    /// dumper but no COPY statement.
    public var storesInsertStatements: Bool {
        desc.equals("TABLE DATA") && hasData && (copyStmt?.isEmpty ?? true)
    }
}

/// The row writer of INSERT data, chosen once the column names are known (at the first row).
final class DeferredRowWriter: CopyRowHandler {
    enum Target {
        case none
        case text(TextRowWriter)
        case csv(CSVRowWriter)
        case jsonl(JSONLinesRowWriter)
    }

    var target = Target.none

    var collectsValues: Bool { true }

    func handleRow(_ row: CopyRow) throws {
        switch target {
        case .none: break
        case .text(var writer): try writer.handleRow(row); target = .text(writer)
        case .csv(var writer): try writer.handleRow(row); target = .csv(writer)
        case .jsonl(var writer): try writer.handleRow(row); target = .jsonl(writer)
        }
    }

    func handleLargeRow(_ row: LargeCopyRow) throws {
        switch target {
        case .none: break
        case .text(var writer): try writer.handleLargeRow(row); target = .text(writer)
        case .csv(var writer): try writer.handleLargeRow(row); target = .csv(writer)
        case .jsonl(var writer): try writer.handleLargeRow(row); target = .jsonl(writer)
        }
    }
}
