import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Reads an archive end to end and checks everything that can be checked without a server (`pgdumpkit verify`).
///
/// - The header and TOC parse (opening the archive reads them).
/// - Dump IDs are unique, and every dependency names an entry of the archive or an object pg_dump collected but
///   gave no entry (see `checkTOC`).
/// - Every data entry's data is present (directory and tar archives: its file or member exists) and is read to the
///   end: a custom archive's recorded offset must point, inside the file, at a block with the entry's dump ID;
///   each block or file must decompress completely, with the codec's own checks passing (gzip's CRC and length,
///   zstd's and lz4's frame checks).
/// - COPY data ends with its end-of-data marker, and each row has as many fields as the COPY statement has columns
///   (`CopyTextDecoder`).
/// - An entry whose TOC says a data dumper ran but that records no data is a problem.
///
/// The data is read in storage order (by offset where offsets are recorded) and streamed: memory stays flat and the
/// time is that of decompressing everything once. With `jobs` above 1, entries are read and checked on that many
/// threads at once, each with a reader of its own, and the report is the same.
public enum ArchiveVerifier {
    /// Opens and verifies the archive at `path` (`-` for standard input). Never throws: an archive that cannot
    /// even be opened gives a report with that problem.
    public static func verify(
        path: String, format: ArchiveFormat? = nil, limits: ArchiveLimits = .default,
        progress: (any DataProgressObserver)? = nil
    ) -> VerificationReport {
        verify(path: path, format: format, limits: limits, progressFor: { _ in progress })
    }

    /// Opens and verifies the archive at `path`, asking `progressFor` for an observer once the archive is open
    /// (a progress display needs the reader: its size and how much of it has been read).
    public static func verify(
        path: String, format: ArchiveFormat? = nil, limits: ArchiveLimits = .default, database: String? = nil,
        s3Endpoint: String? = nil, jobs: Int = 1, progressFor: (any ArchiveReader) -> (any DataProgressObserver)?
    ) -> VerificationReport {
        let reader: any ArchiveReader
        do {
            reader = try Archive.open(
                path: path, format: format, limits: limits, database: database, s3Endpoint: s3Endpoint)
        } catch let error as PGDumpError {
            return VerificationReport(path: path, problems: [VerificationProblem(error.inFile(path))])
        } catch {
            return VerificationReport(
                path: path, problems: [VerificationProblem(PGDumpError(.io, "\(error)", file: path))])
        }
        return verify(reader, jobs: jobs, progressFor: progressFor)
    }

    /// Verifies an opened archive: the TOC checks, then all data.
    public static func verify(
        _ reader: any ArchiveReader, jobs: Int = 1, progress: (any DataProgressObserver)? = nil
    ) -> VerificationReport {
        verify(reader, jobs: jobs, progressFor: { _ in progress })
    }

    /// The entries whose data is read, in the order it is read.
    private static func dataEntries(of reader: any ArchiveReader) -> [TOCEntry] {
        TableLookup.inStorageOrder(reader.entries.filter(\.hasData), entries: reader.entries)
    }

    /// Verifies with the data checked on `jobs` threads where the input allows it; `progressFor` gets the reader
    /// whose bytes read count the threads'.
    private static func verify(
        _ base: any ArchiveReader, jobs: Int, progressFor: (any ArchiveReader) -> (any DataProgressObserver)?
    ) -> VerificationReport {
        let parallel = try? ParallelDataReader.withReader(
            base, computingInOrder: dataEntries(of: base), jobs: jobs,
            work: { reader, entry in EntryCheck(read(entry, from: reader, progress: nil)) }
        ) { reader in verifyOpened(reader, progress: progressFor(reader)) }
        return parallel ?? verifyOpened(base, progress: progressFor(base))
    }

    /// One entry's check, done on a worker thread.
    private struct EntryCheck {
        var report: DataEntryReport
        var problem: VerificationProblem?
        var readerFailed: Bool
        init(_ check: (DataEntryReport, VerificationProblem?, readerFailed: Bool)) {
            (report, problem, readerFailed) = check
        }
    }

    private static func verifyOpened(
        _ reader: any ArchiveReader, progress: (any DataProgressObserver)?
    ) -> VerificationReport {
        var report = VerificationReport(path: reader.path, format: reader.format, header: reader.header)
        report.tocCount = reader.entries.count
        report.notes = reader.warnings.map(\.message)
        checkTOC(of: reader, into: &report)
        let walk = walkData(of: reader, progress: progress)
        report.entries = walk.reports
        report.problems += walk.problems
        report.notes += walk.notes
        if walk.problems.isEmpty {
            do {
                try reader.checkContainerEnd()
            } catch let error as PGDumpError {
                report.problems.append(VerificationProblem(error))
            } catch {
                report.problems.append(VerificationProblem(PGDumpError(.io, "\(error)", file: reader.path)))
            }
        }
        return report
    }

    /// Reads every data entry and returns what each holds; throws the first problem (`info --tables`).
    public static func dataStatistics(
        of reader: any ArchiveReader, progress: (any DataProgressObserver)? = nil
    ) throws -> [DataEntryReport] {
        let walk = walkData(of: reader, progress: progress, stopAtFirstProblem: true)
        if let problem = walk.problems.first { throw problem.error }
        return walk.reports
    }

    // MARK: - TOC

    /// The entries pg_dump writes after collecting every object (`dumpEncoding`, `dumpStdStrings`,
    /// `dumpSearchPath`): their dump IDs are higher than any collected object's.
    private static let sessionEntryTypes = ["ENCODING", "STDSTRINGS", "SEARCHPATH"]

    private static func checkTOC(of reader: any ArchiveReader, into report: inout VerificationReport) {
        let entries = reader.entries
        let tocFile = reader.tocPath
        var labels: [Int32: String] = [:]
        var uses: [Int32: Int] = [:]
        for entry in entries {
            uses[entry.dumpID, default: 0] += 1
            if labels[entry.dumpID] == nil { labels[entry.dumpID] = entry.displayLabel }
        }
        var reported: Set<Int32> = []
        for entry in entries where uses[entry.dumpID, default: 0] > 1 && reported.insert(entry.dumpID).inserted {
            report.problems.append(VerificationProblem(
                PGDumpError(.corrupt, "dump ID \(entry.dumpID) is used by \(uses[entry.dumpID]!) TOC entries",
                            file: tocFile, dumpID: entry.dumpID),
                entryLabel: labels[entry.dumpID]))
        }

        // pg_dump records dependencies on objects it collected from the catalogs but gave no TOC entry: the
        // section boundaries, the indexes behind constraints, objects outside a -t/-n selection or left out of a
        // data-only or section dump. pg_restore ignores them. All such objects are numbered before the session
        // entries (ENCODING, STDSTRINGS, SEARCHPATH), which pg_dump creates after collecting everything else; a
        // dependency on any other missing dump ID cannot come from pg_dump.
        let firstSessionID = entries.filter { entry in sessionEntryTypes.contains { entry.desc.equals($0) } }
            .map(\.dumpID).min()
        for entry in entries {
            for dependency in entry.dependencies where uses[dependency] == nil {
                if dependency > 0, let firstSessionID, dependency < firstSessionID { continue }
                if dependency > 0 && firstSessionID == nil { continue }  // too old to tell
                report.problems.append(VerificationProblem(
                    PGDumpError(.corrupt, "depends on dump ID \(dependency), which is not in the archive and is not an object pg_dump could have left out",
                                file: tocFile, dumpID: entry.dumpID),
                    entryLabel: entry.displayLabel))
            }
            if entry.hadDumper && !entry.hasData {
                report.problems.append(VerificationProblem(
                    PGDumpError(.corrupt, "the TOC says data was dumped for this entry but records none",
                                file: tocFile, dumpID: entry.dumpID),
                    entryLabel: entry.displayLabel))
            }
        }
    }

    // MARK: - Data

    /// Reads the data of every entry that has some, in storage order, collecting the problems found. Stops early
    /// only when asked to, or on an input that cannot seek, where a damaged entry leaves the reader unable to go on.
    private static func walkData(
        of reader: any ArchiveReader, progress: (any DataProgressObserver)?, stopAtFirstProblem: Bool = false
    ) -> (reports: [DataEntryReport], problems: [VerificationProblem], notes: [String]) {
        let withData = dataEntries(of: reader)
        var reports: [DataEntryReport] = []
        var problems: [VerificationProblem] = []
        var notes: [String] = []
        var lastReaderError: PGDumpError?
        for (index, entry) in withData.enumerated() {
            progress?.willRead(entry: entry, index: index, of: withData.count)
            let (report, problem, readerFailed): (DataEntryReport, VerificationProblem?, Bool)
            if let check = (reader as? ParallelDataReader)?.computedResult(for: entry) as? EntryCheck {
                (report, problem, readerFailed) = (check.report, check.problem, check.readerFailed)
                progress?.dataProgress(entry: entry, bytes: report.uncompressedBytes, rows: report.rows)
            } else {
                (report, problem, readerFailed) = read(entry, from: reader, progress: progress)
            }
            reports.append(report)
            guard let problem else { continue }
            // A damaged chunk framing in a custom archive without offsets makes every later entry fail the same
            // way; say so once.
            if readerFailed, let lastReaderError, lastReaderError.message == problem.error.message,
                lastReaderError.offset == problem.error.offset
            {
                notes.append("entry \(entry.dumpID) (\(entry.displayLabel)) could not be read either: the same error")
                continue
            }
            problems.append(problem)
            if stopAtFirstProblem { break }
            if readerFailed {
                lastReaderError = problem.error
                if !reader.supportsRandomAccess {
                    let left = withData.count - index - 1
                    if left > 0 {
                        notes.append("\(left) more data entr\(left == 1 ? "y was" : "ies were") not checked: the input cannot seek past the damage")
                    }
                    break
                }
            }
        }
        return (reports, problems, notes)
    }

    /// Reads one entry's data. Returns what was read, the problem found if any, and whether the reader itself
    /// failed (rather than the data being malformed).
    private static func read(
        _ entry: TOCEntry, from reader: any ArchiveReader, progress: (any DataProgressObserver)?
    ) -> (DataEntryReport, VerificationProblem?, readerFailed: Bool) {
        let isCopy = entry.desc.equals("TABLE DATA") && entry.copyStmt.map { !$0.isEmpty } == true
        var report = DataEntryReport(
            entry: entry, content: entry.isLargeObjectData ? .largeObjects : isCopy ? .copyRows : .statements)
        // Sizes are a nicety: a missing member shows up, better located, when the data is read.
        report.storedBytes = try? reader.storedSize(of: entry)
        func problem(_ error: PGDumpError) -> VerificationProblem {
            VerificationProblem(error.inFile(reader.path).forEntry(entry.dumpID), entryLabel: entry.displayLabel)
        }
        var statement: CopyStatement?
        var statementError: PGDumpError?
        if isCopy {
            do {
                statement = try CopyStatement(of: entry, archiveVersion: reader.header.version)
            } catch let error as PGDumpError {
                // The data is still read below, to check that it is there and decompresses.
                statementError = error
            } catch {}
        }
        let readError: PGDumpError?
        switch report.content {
        case .largeObjects:
            var sink = ProgressReportingSink(LargeObjectCounter(), observer: progress, entry: entry)
            readError = attempt { try reader.streamData(of: entry, into: &sink) }
            report.largeObjects = sink.inner.count
            report.uncompressedBytes = sink.inner.bytes
        case .copyRows where statement != nil:
            let decoder = CopyTextDecoder(
                columns: statement?.columns, handler: CopyRowCounter(), stopsAtFirstProblem: false)
            var sink = ProgressReportingSink(decoder, observer: progress, entry: entry)
            readError = attempt {
                try reader.streamData(of: entry, into: &sink)
                try decoder.finish()
            }
            report.rows = decoder.rowCount
            report.uncompressedBytes = decoder.byteCount
            if readError == nil, let copyProblem = decoder.problem {
                let error = reader.placeDataProblem(copyProblem, in: entry, decodedOffset: decoder.problemByteOffset)
                return (report, VerificationProblem(error, entryLabel: entry.displayLabel), false)
            }
        case .statements where entry.storesInsertStatements:
            // INSERT statements are table data too: decoded to check every row and count them, as COPY rows are.
            let decoder = InsertStatementDecoder(
                handler: CopyRowCounter(), backslashEscapesInStrings: !reader.sessionSettings.standardConformingStrings,
                stopsAtFirstProblem: false)
            var sink = ProgressReportingSink(decoder, observer: progress, entry: entry)
            readError = attempt {
                try reader.streamData(of: entry, into: &sink)
                try decoder.finish()
            }
            report.rows = decoder.rowCount
            report.uncompressedBytes = decoder.byteCount
            if readError == nil, let insertProblem = decoder.problem {
                let error = reader.placeDataProblem(insertProblem, in: entry, decodedOffset: decoder.problemByteOffset)
                return (report, VerificationProblem(error, entryLabel: entry.displayLabel), false)
            }
        case .copyRows, .statements:
            var sink = ProgressReportingSink(ByteCounter(), observer: progress, entry: entry)
            readError = attempt { try reader.streamData(of: entry, into: &sink) }
            report.uncompressedBytes = sink.inner.bytes
        }
        if let readError { return (report, problem(readError), true) }
        if let statementError { return (report, problem(statementError), false) }
        report.isIntact = true
        return (report, nil, false)
    }

    /// Runs `body`, returning the error it throws; errors that are not `PGDumpError`s (a sink's) are wrapped.
    private static func attempt(_ body: () throws -> Void) -> PGDumpError? {
        do {
            try body()
            return nil
        } catch let error as PGDumpError {
            return error
        } catch {
            return PGDumpError(.io, "\(error)")
        }
    }
}

