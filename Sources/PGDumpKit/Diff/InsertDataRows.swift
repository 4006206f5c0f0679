import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Table data stored as INSERT statements (`pg_dump --inserts`, `--column-inserts`, `--rows-per-insert`), read as
/// the COPY text lines the same rows would have, so that `diff` digests and partitions them as it does COPY data:
/// one line per row, whatever the statements' grouping, and rows keyed by the primary key's fields.
enum InsertDataRows {
    /// Decodes `entry`'s statements (`InsertStatementDecoder`, as `extract` does) and writes each row to `rows` as
    /// a COPY text line (`TextRowWriter`), feeding the statements themselves to `statements` as they are read.
    ///
    /// - Parameter columns: the columns the rows are taken to hold (the table's, from its CREATE TABLE); when the
    ///   statements name other columns (`--column-inserts` of an altered table), the rows cannot be keyed and this
    ///   throws.
    static func stream<Rows: DataSink, Statements: DataSink>(
        _ entry: TOCEntry, from reader: any ArchiveReader, columns: [ArchiveText]?, rows: inout Rows,
        statements: inout Statements
    ) throws {
        let forward = ForwardingByteSink(rows)
        let output = OutputBuffer(sink: forward, capacity: 256 << 10)
        let decoder = InsertStatementDecoder(
            handler: TextRowWriter(output: output),
            backslashEscapesInStrings: !reader.sessionSettings.standardConformingStrings)
        if let columns {
            decoder.willHandleFirstRow = { named, _ in
                guard let named, named != columns else { return }
                throw PGDumpError(
                    .invalidRequest,
                    "the INSERT statements of \(entry.qualifiedDisplayName) name the columns (\(named.map(\.debugDescription).joined(separator: ", "))), not the table's (\(columns.map(\.debugDescription).joined(separator: ", "))): its rows cannot be matched by primary key",
                    file: reader.path, dumpID: entry.dumpID)
            }
        }
        do {
            try reader.placingProblems(of: decoder, in: entry) {
                var tee = TeeDataSink(first: decoder, second: statements)
                try reader.streamData(of: entry, into: &tee)
                statements = tee.second
                try decoder.finish()
            }
            try output.flush()
        } catch let error as PGDumpError {
            throw error.inFile(reader.path).forEntry(entry.dumpID)
        }
        rows = forward.sink
    }

    /// As `stream(_:from:columns:rows:statements:)`, without looking at the statements.
    static func stream<Rows: DataSink>(
        _ entry: TOCEntry, from reader: any ArchiveReader, columns: [ArchiveText]?, rows: inout Rows
    ) throws {
        var ignored = DiscardingDataSink()
        try stream(entry, from: reader, columns: columns, rows: &rows, statements: &ignored)
    }
}

/// A `ByteSink` (what `OutputBuffer` writes to) that hands every write to a `DataSink` it holds.
final class ForwardingByteSink<Sink: DataSink>: ByteSink {
    var sink: Sink
    init(_ sink: Sink) { self.sink = sink }
    func write(_ bytes: UnsafeRawBufferPointer) throws { try sink.write(bytes) }
}

/// Feeds the same data to two sinks.
struct TeeDataSink<First: DataSink, Second: DataSink>: DataSink {
    var first: First
    var second: Second

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        try first.write(bytes)
        try second.write(bytes)
    }

    mutating func beginLargeObject(oid: UInt32) throws {
        try first.beginLargeObject(oid: oid)
        try second.beginLargeObject(oid: oid)
    }

    mutating func endLargeObject() throws {
        try first.endLargeObject()
        try second.endLargeObject()
    }
}

/// Takes data and keeps none of it.
struct DiscardingDataSink: DataSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {}
}
