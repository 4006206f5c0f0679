import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// What a TABLE DATA entry's `COPY ... FROM stdin;` statement says about its data: the table, and the columns in
/// the order the data's fields come.
///
/// pg_dump writes `COPY schema.table (col, ...) FROM stdin;` (`dumpTableData_copy`, names quoted by `fmtId`). A
/// table without columns gets no column list. pg_dump 11 and older write `WITH OIDS` before `FROM` for a table
/// dumped with its OIDs; its rows then start with the OID. Archives before 1.6 (pg_dump 7.2 and older) wrote no
/// column list at all, so there the columns are unknown.
package struct CopyStatement: Hashable, Sendable {
    /// The schema the statement names, if it names one.
    package var schema: ArchiveText?
    /// The table the statement names (with `--load-via-partition-root`, the partition root).
    package var table: ArchiveText
    /// The data's columns in field order (`oid` first for `WITH OIDS`); `nil` when unknown.
    package var columns: [ArchiveText]?
    /// Whether the rows start with the row's OID.
    package var withOIDs: Bool

    /// Parses `entry`'s COPY statement; throws when the entry has none (its data is INSERT statements, from
    /// `pg_dump --inserts`) or it cannot be read.
    package init(of entry: TOCEntry, archiveVersion: ArchiveVersion) throws {
        guard let text = entry.copyStmt, !text.isEmpty else {
            throw PGDumpError(
                .invalidRequest,
                "entry \(entry.dumpID) (\(entry.displayLabel)) has no COPY statement: its data is stored as INSERT statements (pg_dump --inserts), not as COPY data",
                dumpID: entry.dumpID)
        }
        guard let parsed = Self(parsing: text, archiveVersion: archiveVersion) else {
            throw PGDumpError(
                .corrupt, "entry \(entry.dumpID) (\(entry.displayLabel)): cannot read its COPY statement \(text.string.debugDescription)",
                dumpID: entry.dumpID)
        }
        self = parsed
    }

    /// Parses a COPY statement; `nil` when it does not have the form pg_dump writes.
    package init?(parsing text: ArchiveText, archiveVersion: ArchiveVersion) {
        var scanner = SQLNameScanner(text.bytes)
        guard scanner.consumeKeyword("COPY"), let name = scanner.readQualifiedName() else { return nil }
        schema = name.schema.map { ArchiveText(bytes: $0) }
        table = ArchiveText(bytes: name.name)
        var columns: [ArchiveText] = []
        var hasColumnList = false
        if scanner.consume(UInt8(ascii: "(")) {
            hasColumnList = true
            if !scanner.consume(UInt8(ascii: ")")) {
                repeat {
                    guard let column = scanner.readIdentifier() else { return nil }
                    columns.append(ArchiveText(bytes: column))
                } while scanner.consume(UInt8(ascii: ","))
                guard scanner.consume(UInt8(ascii: ")")) else { return nil }
            }
        }
        withOIDs = scanner.consumeKeyword("WITH")
        if withOIDs {
            guard scanner.consumeKeyword("OIDS") else { return nil }
        }
        guard scanner.consumeKeyword("FROM"), scanner.consumeKeyword("stdin") else { return nil }
        if hasColumnList || archiveVersion >= .v1_6 {
            self.columns = (withOIDs ? [ArchiveText("oid")] : []) + columns
        } else {
            self.columns = nil
        }
    }
}
