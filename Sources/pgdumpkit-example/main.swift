// pgdumpkit-example: a small program on the PGDumpKit library, kept in the repository as the example of the
// library guide (Sources/PGDumpKit/PGDumpKit.docc/PGDumpKit.md), whose snippets it mirrors so that the compiler
// checks them. `swift build` builds it, and so `make test` does; a test runs it on testdata/sample/chinook.dump.
//
//   pgdumpkit-example ARCHIVE                    the archive's tables, and which have rows in it
//   pgdumpkit-example ARCHIVE TABLE [N]          the same, then TABLE's first N rows (default 5), one JSON
//                                                object a line, typed as `pgdumpkit extract --to jsonl --typed`
//   pgdumpkit-example ARCHIVE --sql TABLE        the SQL `pg_restore -t TABLE -f -` writes for the archive
//   pgdumpkit-example ARCHIVE --convert OUT.tar  the archive written again as a tar archive

import PGDumpKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The header, then each table with its kind of entry and whether the archive holds its rows.
func listTables(of reader: any ArchiveReader) {
    let header = reader.header
    print("\(reader.format) archive, \(header.compression.algorithm) compression, version \(header.version.shortDescription)")
    // Entries keep file order; `kind` is an enum with an `unknown(String)` fallback.
    let withRows = Set(reader.entries.filter { $0.kind == .tableData && $0.hasData }.map(\.qualifiedDisplayName))
    for entry in reader.entries {
        switch entry.kind {
        case .table, .foreignTable, .materializedView:
            let name = entry.qualifiedDisplayName
            let note = withRows.contains(name) ? "" : " (no rows in the archive)"
            print("\(entry.kind.desc.lowercased()) \(name)\(note)")
        case .unknown(let desc):
            print("an entry type this program does not know: \(desc)")
        default:
            continue
        }
    }
}

/// The first `limit` rows of `table`, as JSON objects with typed values.
func printRows(of table: String, in reader: any ArchiveReader, limit: Int) throws {
    let rows = try reader.rows(of: table)
    print("\(rows.entry.qualifiedDisplayName): \(rows.columns?.joined(separator: ", ") ?? "(columns unknown)")")
    while rows.rowsRead < limit, let row = try rows.next() {
        let columns = row.columns ?? (0..<row.count).map { "\($0 + 1)" }
        let members = (0..<row.count).map { index in
            RowValue.string(columns[index]).jsonText + ":" + row.typedValue(at: index).jsonText
        }
        print("{" + members.joined(separator: ",") + "}")
    }
    // Stops the reading early; releasing `rows` would do the same.
    rows.close()
}

/// Counts the rows with `forEach`, which decodes on this thread.
func countRows(of table: String, in reader: any ArchiveReader) throws -> (rows: Int64, nulls: Int) {
    var nulls = 0
    let rows = try reader.rows(of: table)
    try rows.forEach { row in
        nulls += row.fields.filter { $0 == nil }.count
    }
    return (rows.rowsRead, nulls)
}

/// What `pg_restore -t TABLE -f -` writes: options resolved as pg_restore resolves them, a plan, the script.
func printSQL(of table: String, in reader: any ArchiveReader) throws {
    var commandLine = PGRestoreCommandLine()
    commandLine.selection.tableNames = [ArchiveText(table)]
    commandLine.restrictKey = "pgdumpkitexample"
    let (selection, script) = try commandLine.resolve()
    let plan = try RestorePlan(
        entries: reader.entries, selection: selection, script: script, strictNames: true, useList: nil)
    let warnings = try plan.renderScript(from: reader, to: FileDescriptorSink(descriptor: 1, name: "standard output"))
    for warning in warnings { printError("warning: \(warning)") }
}

/// Writes the archive again as a tar archive at `path` (which must not exist).
func convert(_ reader: any ArchiveReader, toTarAt path: String) throws {
    let conversion = try ArchiveConversion(
        inputHeader: reader.header, entries: reader.entries, target: ArchiveConversion.Target(format: .tar))
    for notice in conversion.notices { printError("note: \(notice)") }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else {
        throw PGDumpError(.io, "could not create the file: \(SystemError.describe(errno))", file: path)
    }
    defer { close(descriptor) }
    let writer = try Archive.create(
        .tar, at: .file(OutputFile(descriptor: descriptor, name: path)), header: conversion.header,
        entries: conversion.entries, compression: conversion.compression)
    try conversion.write(from: reader, to: writer)
}

func printError(_ message: String) {
    var line = Array(message.utf8) + [0x0A]
    line.withUnsafeMutableBytes { _ = write(2, $0.baseAddress, $0.count) }
}

let usage = """
    usage: pgdumpkit-example ARCHIVE [TABLE [N]]
           pgdumpkit-example ARCHIVE --sql TABLE
           pgdumpkit-example ARCHIVE --convert OUT.tar
    """

let arguments = Array(CommandLine.arguments.dropFirst())
guard (1...3).contains(arguments.count) else {
    printError(usage)
    exit(2)
}
do {
    let reader = try Archive.open(path: arguments[0])
    switch arguments.dropFirst().first {
    case "--sql" where arguments.count == 3:
        try printSQL(of: arguments[2], in: reader)
    case "--convert" where arguments.count == 3:
        try convert(reader, toTarAt: arguments[2])
    case let table? where !table.hasPrefix("--"):
        guard let limit = arguments.count == 3 ? Int(arguments[2]) : 5, limit >= 0 else {
            printError(usage)
            exit(2)
        }
        listTables(of: reader)
        try printRows(of: table, in: reader, limit: limit)
        let (rows, nulls) = try countRows(of: table, in: reader)
        print("\(rows) rows, \(nulls) NULL fields")
    case nil:
        listTables(of: reader)
    default:
        printError(usage)
        exit(2)
    }
} catch let error as PGDumpError {
    // The message names the file, and where known the offset and the entry's dump ID.
    printError("pgdumpkit-example: \(error) [\(error.kind)]")
    exit(1)
} catch {
    printError("pgdumpkit-example: \(error)")
    exit(1)
}
