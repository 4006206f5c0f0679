import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

extension ArchiveReader {
    /// The rows of the table named `table`, found as `pgdumpkit extract -t` finds it (`TableLookup`): by default
    /// the exact table name in any schema, or `schema.table` with both parts exact. With `schema`, only that schema
    /// is searched. With `matching: .patterns`, `table` and `schema` are pg_dump patterns
    /// (`'"Odd Schema"."My Table"'`, `'app.Orders'` folded to `app.orders`), which must select one table.
    ///
    /// Throws a `PGDumpError` of kind `invalidRequest` when no table has that name (the message suggests close
    /// names), when the name fits more than one table, or when the table has no data in the archive (a view, a
    /// partitioned table, a schema-only dump; the message says which).
    public func rows(of table: String, schema: String? = nil, matching: NameMatching = .exact) throws -> TableRows {
        let found: [TOCEntry]
        do {
            found = try TableLookup.dataEntries(
                tables: [table], schemas: schema.map { [$0] } ?? [], all: false, matching: matching, in: entries)
            if found.count > 1 {
                throw PGDumpError(
                    .invalidRequest,
                    "pattern \(table.debugDescription) matches \(found.count) tables: \(found.prefix(10).map(\.qualifiedDisplayName).joined(separator: ", ")); rows(of:) reads one")
            }
        } catch let error as PGDumpError {
            throw error.inFile(path)
        }
        return try TableRows(entry: found[0], reader: self)
    }

    /// The rows of the TABLE DATA entry `entry` (one of `entries`).
    public func rows(of entry: TOCEntry) throws -> TableRows {
        try TableRows(entry: entry, reader: self)
    }
}

/// The rows of one table in an archive, read one at a time as the archive is decompressed and decoded, so that
/// memory stays flat whatever the size of the table. Works for every format and compression, for COPY data and
/// for INSERT statements (`pg_dump --inserts`).
///
/// Read the rows with `next()`, which throws when the data cannot be read:
///
/// ```swift
/// let reader = try Archive.open(path: "chinook.dump")
/// let rows = try reader.rows(of: "public.artist")
/// while let row = try rows.next() {
///     print(row.number, row.fields)
/// }
/// ```
///
/// or hand a closure to `forEach(_:)`. (Swift's `for try … in` needs an `AsyncSequence`; reading an archive is
/// blocking file I/O, so this type offers a plain throwing `next()` instead.)
///
/// `next()` decodes on a thread of its own, a few batches of rows ahead of the caller, and waits when four
/// batches (of at most 256 rows or 256 KiB each) are waiting to be read: the caller's speed sets the pace, and
/// memory holds at most those batches, not the table. `forEach(_:)`, when it reads all the rows, decodes on the
/// caller's thread instead.
///
/// While a `TableRows` is reading, the reader must not be used for other data: read one table at a time.
/// An instance is not thread-safe; read it from one thread.
///
/// To stop early, call `close()` or let go of the instance. With an archive that can be read in any order (a
/// file or a directory) the decoding stops at once. Without (a pipe, standard input), the rest of the table's
/// data is read and dropped, so that the reader stays in step for the tables that follow; that takes as long as
/// reading the table does.
public final class TableRows {
    /// The TABLE DATA entry whose rows these are.
    public let entry: TOCEntry
    /// The column names in field order: the COPY statement's (with `oid` first for a table dumped `WITH OIDS`),
    /// or, for INSERT data, the table's columns from its CREATE TABLE in the archive. `nil` when unknown: a COPY
    /// statement from pg_dump 7.2 or older, or INSERT data without its CREATE TABLE. Each `TableRow` carries the
    /// names it was decoded with, which for INSERT statements that name their columns (`--column-inserts`) are
    /// the statements'.
    public var columns: [String]? { decoding.initialLayout.columns }
    /// How `TableRow.typedValue(at:)` types each column, from its type in the table's CREATE TABLE (`extract
    /// --typed`'s rules); empty when `columns` is `nil`.
    public var columnKinds: [JSONValueKind] { decoding.initialLayout.kinds }
    /// Rows returned so far.
    public private(set) var rowsRead: Int64 = 0

    private let decoding: RowDecoding

    private enum State {
        case ready
        case streaming(RowPipe, pthread_t)
        case done
    }

    private var state = State.ready
    private var batch: [TableRow] = []
    private var batchIndex = 0

    init(entry: TOCEntry, reader: any ArchiveReader) throws {
        self.entry = entry
        decoding = try RowDecoding(entry: entry, reader: reader)
    }

    deinit { close() }

    /// The next row, or `nil` after the last. Throws a `PGDumpError` when the data cannot be read or is not
    /// well-formed (with the archive's file, the entry's dump ID and where in the data); after an error, or after
    /// the last row, `next()` returns `nil`.
    public func next() throws -> TableRow? {
        while true {
            if batchIndex < batch.count {
                let row = batch[batchIndex]
                batchIndex += 1
                rowsRead += 1
                return row
            }
            batch = []
            batchIndex = 0
            let pipe: RowPipe
            switch state {
            case .ready:
                let producer = RowProducer(decoding: decoding)
                let thread = try producer.start()
                state = .streaming(producer.pipe, thread)
                pipe = producer.pipe
            case .streaming(let streaming, _):
                pipe = streaming
            case .done:
                return nil
            }
            switch pipe.take() {
            case .batch(let rows):
                batch = rows
            case .end:
                close()
                return nil
            case .failure(let error):
                close()
                throw error
            }
        }
    }

    /// Calls `body` with each remaining row, in order. Throws what `body` throws, which stops the reading (see
    /// the type's notes on stopping early), or a `PGDumpError` when the data cannot be read.
    ///
    /// When no row has been read yet, the rows are decoded on the caller's thread, with no thread or queue
    /// between the archive and `body`.
    public func forEach(_ body: (TableRow) throws -> Void) throws {
        guard case .ready = state else {
            while let row = try next() { try body(row) }
            return
        }
        state = .done
        let drainsWhenStopped = !decoding.reader.supportsRandomAccess
        var bodyError: (any Error)?
        try withoutActuallyEscaping(body) { body in
            do {
                try decoding.run { [self] row in
                    do {
                        rowsRead += 1
                        try body(row)
                        return true
                    } catch {
                        // Without random access the rest of the data is read (and dropped) before throwing.
                        guard drainsWhenStopped else { throw error }
                        bodyError = error
                        return false
                    }
                }
            } catch {
                throw bodyError ?? error
            }
        }
        if let bodyError { throw bodyError }
    }

    /// Stops reading: `next()` returns `nil` from now on. Called when the instance is released; call it yourself
    /// to give the reader back at a known point. On an archive without random access this reads the rest of the
    /// table's data first (see the type's notes).
    public func close() {
        if case .streaming(let pipe, let thread) = state {
            pipe.cancel()
            pthread_join(thread, nil)
        }
        state = .done
        batch = []
        batchIndex = 0
    }
}
