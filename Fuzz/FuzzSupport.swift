// Shared by the fuzz targets: small limits, and a walk through everything a reader offers.

enum FuzzSupport {
    /// Limits small enough that a fuzzer's inputs cannot make the library allocate much.
    static let limits = ArchiveLimits(maxTOCEntries: 10_000, maxStringBytes: 1 << 20, maxDependencies: 10_000)

    /// Exercises a reader over `data` twice: as a seekable file, and as a pipe that returns at most
    /// `pipeReadSize` bytes a read.
    static func exerciseSeekableAndPiped(
        _ data: UnsafePointer<UInt8>, _ size: Int, pipeReadSize: Int,
        _ open: (MemoryByteSource) throws -> any ArchiveReader
    ) {
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        for seekable in [true, false] {
            func source() -> MemoryByteSource {
                MemoryByteSource(bytes, name: "fuzz", seekable: seekable, maximumReadSize: seekable ? .max : pipeReadSize)
            }
            exercise { try open(source()) }
            // What a user runs on the archive: the script (sql) and every table's rows (extract --all), each
            // from a freshly opened reader, as a pipe allows one pass.
            renderScripts { try open(source()) }
            extractTables { try open(source()) }
        }
    }

    /// Renders the SQL script with a few option sets that take different paths through the renderer.
    static func renderScripts(_ open: () throws -> any ArchiveReader) {
        var optionSets: [PGRestoreCommandLine] = []
        var plain = PGRestoreCommandLine()
        plain.restrictKey = "K"
        optionSets.append(plain)
        var clean = plain
        clean.clean = true
        clean.ifExists = true
        clean.create = true
        clean.script.verbose = true
        optionSets.append(clean)
        var dataOnly = plain
        dataOnly.dataOnly = true
        dataOnly.script.disableTriggers = true
        dataOnly.singleTransaction = true
        optionSets.append(dataOnly)
        for commandLine in optionSets {
            guard let reader = try? open(), let (selection, script) = try? commandLine.resolve(),
                let plan = try? RestorePlan(
                    entries: reader.entries, selection: selection, script: script, strictNames: false, useList: nil)
            else { continue }
            let sink = BoundedSink(limit: 64 << 20)
            _ = try? plan.renderScript(from: reader, to: sink) { _ in }
        }
    }

    /// Extracts every table as CSV and as typed JSON Lines (COPY data and INSERT statements alike).
    static func extractTables(_ open: () throws -> any ArchiveReader) {
        for options in [ExtractOptions(format: .csv, header: true), ExtractOptions(format: .jsonl, typed: true)] {
            guard let reader = try? open() else { continue }
            let tables = reader.entries.filter { $0.desc.equals("TABLE DATA") && $0.hasData }
            for entry in TableLookup.inStorageOrder(tables, entries: reader.entries) {
                let sink = BoundedSink(limit: 64 << 20)
                _ = try? TableExtractor.extract(entry, from: reader, options: options, to: sink)
            }
        }
    }

    /// Opens a reader, lists it, and streams every entry's data (in TOC order and then backwards), ignoring
    /// the errors a hostile input is expected to produce: only crashes, hangs and leaks are findings.
    static func exercise(_ open: () throws -> any ArchiveReader) {
        guard let reader = try? open() else { return }
        _ = ListPrinter.render(header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
        _ = try? reader.storedSizes()
        var sink = CountingSink()
        for entry in reader.entries where entry.hasData {
            _ = try? reader.streamData(of: entry, into: &sink)
            if sink.count > 64 << 20 { return }
        }
        for entry in reader.entries.reversed() where entry.hasData {
            _ = try? reader.streamData(of: entry, into: &sink)
            if sink.count > 64 << 20 { return }
        }
    }
}

struct CountingSink: DataSink {
    var count = 0
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws { count += bytes.count }
}

/// Output that counts bytes and fails past a limit, so that a hostile archive's expanded output stays bounded.
final class BoundedSink: ByteSink {
    let limit: Int
    var count = 0
    init(limit: Int) { self.limit = limit }
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        count += bytes.count
        if count > limit { throw PGDumpError(.limitExceeded, "fuzz output limit") }
    }
}
