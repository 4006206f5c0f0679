import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

extension TableDataFormat: ExpressibleByArgument {}

extension PGDumpKitCommand {
    /// `pgdumpkit extract`: a table's data as CSV, TSV, JSON Lines or COPY text, with no server.
    struct Extract: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "extract",
            abstract: "Write tables' data from an archive as CSV, TSV, JSON Lines or COPY text.",
            discussion: """
                -F names the archive's format, as with pg_restore (detected when omitted); --to names the output \
                format (csv by default). --format csv and the other output formats' names are still read as \
                --to, since they are not archive formats.

                -t names a table exactly, as pg_restore compares names: its name (in any schema) or \
                schema.table, byte for byte, with no case folding. -n SCHEMA -t TABLE names both exactly, for \
                names that hold dots. A name that fits several tables, a table without data, and a name that fits \
                nothing are errors that list the candidates.

                With --patterns, -t and -n take pg_dump patterns, as list, sql and convert do: * and ? are \
                wildcards, unquoted letters fold to lower case, double quotes keep case and make * ? . literal \
                ("My Schema"."My.Table", the spelling every message uses), and schema.table separates at an \
                unquoted dot; a -t pattern without a schema matches in every schema. A pattern may select several \
                tables, which are written one file each into the directory -o names.

                --to csv writes exactly what COPY table TO STDOUT WITH (FORMAT csv) writes (with HEADER \
                when --header is given); tsv is PostgreSQL's text format, written from the decoded values; jsonl \
                writes one JSON object per row, keys in column order, values as strings or null, and with \
                --typed numbers, booleans, json/jsonb values and arrays (elements typed alike) as native JSON; copy \
                writes the COPY data as the archive stores it, without the end-of-data marker. Values keep the \
                archive's encoding, except in jsonl, which is UTF-8.

                With recorded data offsets (custom archives written to a file) and directory archives, only the \
                table's own data is read, so the time taken follows the table's size, not the archive's. Data is \
                streamed: memory stays flat whatever the table's size.

                Several tables (-t repeated, or --all, optionally limited by -n) are written one file each into \
                the directory -o names (created if missing), as schema.table.csv with every byte outside \
                [A-Za-z0-9_-] percent-encoded. Files are written under a temporary name and renamed into place \
                when complete; an existing file is replaced only with --force. Progress is shown on standard \
                error when it is a terminal (--progress: also elsewhere; -q: never).

                -j/--jobs N (default: the online CPUs) extracts up to N of those tables at once, each on a thread \
                with a reader of its own that decodes the table, converts its rows and writes its file under a \
                temporary name; the files are moved into place strictly in archive order, so the files written, \
                and where a failure stops, are the same for any N. Each thread costs about 2 MiB of buffers (7 MiB while it reads a large compressed table). A \
                pipe, a custom archive written to a pipe and a plain script are read by one thread. With N of 2 \
                or more, a table stored compressed in 1 MiB or more is also inflated on a thread of its own while \
                its rows are converted, one table alone included. The value is checked as pg_restore checks -j \
                (1 to 2147483647).
                """)

        /// The options that take a value (`OptionGrammar`).
        static let optionNames = OptionNames(
            short: ["F": "format", "t": "table", "n": "schema", "o": "output", "j": "jobs"],
            long: ["to", "input-format", "database", "schema-script"])
            + RemoteOptions.optionNames

        @Argument(help: ArgumentHelp(
            "The archive: a custom or tar file, a directory archive, a pg_dump SQL script, an http://, https:// or s3://bucket/key URL of any of these, or - for standard input.", valueName: "archive"),
                  completion: .file())
        var archive: String = "-"

        @Option(name: [.customShort("F"), .customLong("format")], help: ArgumentHelp(
            "The archive's format: c|custom, d|directory, t|tar, as with pg_restore, or p|plain for a pg_dump SQL script. Detected when omitted.",
            valueName: "format"))
        var formats: [ExtractFormatArgument] = []

        @Option(name: .customLong("to"), help: ArgumentHelp(
            "The output format: csv (the default), tsv, jsonl or copy.", valueName: "format"))
        var to: TableDataFormat?

        /// The archive's format in an earlier spelling.
        @Option(name: .customLong("input-format"), help: .hidden) var legacyInputFormat: FormatArgument?

        @Option(
            name: .customLong("database"),
            help: ArgumentHelp(
                "For a pg_dumpall script: the database whose part to read.", valueName: "name"))
        var database: String?

        @Option(name: [.customShort("t"), .customLong("table")], help: ArgumentHelp(
            "The table to extract: exact name or schema.name; with --patterns a pg_dump pattern. Repeatable.",
            valueName: "table"))
        var tables: [String] = []

        @Option(name: [.customShort("n"), .customLong("schema")], help: ArgumentHelp(
            "Only tables in this schema: exact name; with --patterns a pg_dump pattern. Repeatable.",
            valueName: "schema"))
        var schemas: [String] = []

        @Flag(name: .customLong("patterns"), help: ArgumentHelp(
            "Read -t and -n as pg_dump patterns: * and ? wildcards, unquoted letters folded to lower case, \"Quoted\" names as written, schema.table."))
        var patterns = false

        @Flag(name: .customLong("all"), help: "Extract every table with data (in the -n schemas, if given) into -o DIRECTORY.")
        var all = false

        @Flag(name: .customLong("header"), help: "Start with a line of column names (csv and tsv).")
        var header = false

        @Flag(name: .customLong("typed"), help: "In jsonl, write numeric, integer, boolean and json/jsonb columns as native JSON values, and array columns as JSON arrays of such values.")
        var typed = false

        // A string, so that a bad value gets pg_restore's message, as sql's -j does.
        @Option(name: [.customShort("j"), .customLong("jobs")], help: ArgumentHelp(
            "Threads that read and convert tables at once when several are written one file each (default: the online CPUs); the files are the same for any number.",
            valueName: "N"))
        var jobs: String?

        @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
            "Write to this file (- for standard output, the default), or, for several tables, into this directory.",
            valueName: "path"), completion: .file())
        var output: String?

        @Flag(name: .customLong("force"), help: "Replace output files that exist.")
        var force = false

        @Option(name: .customLong("schema-script"), help: ArgumentHelp(
            "Also write the SQL script that creates the extracted tables (what sql writes for them, less the data extracted), so that the data loads into a database without them.",
            valueName: "file"), completion: .file())
        var schemaScript: String?

        @Flag(name: .customLong("with-deps"), help: ArgumentHelp(
            "With --schema-script: the script also creates what the tables need and their own parts (schemas, types, sequences, functions, constraints, indexes…, and the rows of the tables their foreign keys refer to), as sql --with-deps, so that it runs in an empty database."))
        var withDependencies = false

        @OptionGroup var progressOptions: ProgressOptions
        @OptionGroup var remote: RemoteOptions

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        /// Whether each table goes to its own file in a directory.
        private var writesDirectory: Bool { all || tables.count > 1 }

        /// The archive's format, if named.
        var inputFormat: FormatArgument? {
            formats.lazy.compactMap { if case .input(let format) = $0 { format } else { nil } }.last ?? legacyInputFormat
        }

        /// The output format: `--to`, else an output format given to `--format`, else csv.
        var format: TableDataFormat {
            to ?? formats.lazy.compactMap { if case .output(let format) = $0 { format } else { nil } }.last ?? .csv
        }

        func validate() throws {
            let outputs = formats.filter { if case .output = $0 { true } else { false } }.count
            let inputs = formats.count - outputs
            if inputs > 1 || (inputs == 1 && legacyInputFormat != nil) {
                throw ValidationError("the archive's format is named more than once")
            }
            if outputs > 1 || (outputs == 1 && to != nil) { throw ValidationError("the output format is named more than once") }
            if tables.isEmpty && !all { throw ValidationError("name a table with -t, or give --all") }
            if all && !tables.isEmpty { throw ValidationError("-t and --all cannot be used together") }
            if header && (format == .copy || format == .jsonl) {
                throw ValidationError("--header applies only to --to csv and --to tsv")
            }
            if typed && format != .jsonl { throw ValidationError("--typed applies only to --to jsonl") }
            if writesDirectory && (output == nil || output == "-") {
                throw ValidationError("several tables are written one file each: name a directory with -o")
            }
            if withDependencies && schemaScript == nil { throw ValidationError("--with-deps applies to --schema-script") }
            if schemaScript == "-" && (output ?? "-") == "-" {
                throw ValidationError("--schema-script and the data cannot both go to standard output")
            }
        }

        func run() throws {
            let jobs = try JobsOption.threads(self.jobs)
            let reader = try NamedArchive(archive: archive, format: inputFormat, database: database).open()
            let selected = try TableLookup.dataEntries(
                tables: tables, schemas: schemas, all: all, matching: patterns ? .patterns : .exact, in: reader.entries)
            if !writesDirectory && selected.count > 1 { try Self.checkDirectory(output, for: selected, pattern: tables.first ?? "") }
            if let schemaScript { try writeSchemaScript(for: selected, from: reader, to: schemaScript) }
            let options = ExtractOptions(format: format, header: header, typed: typed)
            guard writesDirectory || selected.count > 1, let directory = output else {
                // One table: with a second thread, its data is inflated there while this one converts the rows;
                // the wrapper's bytes read are the ones progress may look at while the other thread reads.
                let tableReader = jobs > 1 ? DecodingAheadReader.wrapping(reader) : reader
                let progress = ProgressDisplay(
                    progressOptions, verb: "extracting", pastVerb: "extracted", reader: tableReader, dataEntries: selected,
                    terminalAllowed: writesDirectory || selected.count > 1 || (output ?? "-") != "-" || isatty(STDOUT_FILENO) == 0)
                defer { progress.end() }
                progress.willRead(entry: selected[0], index: 0, of: 1)
                try AtomicOutput.write(to: output ?? "-", replacing: force) { sink in
                    _ = try TableExtractor.extract(
                        selected[0], from: tableReader, options: options, to: sink, progress: progress.observer)
                }
                progress.complete()
                return
            }
            guard !directory.isEmpty else {
                throw CommandFailure(message: "the output directory name is empty", exitCode: 2)
            }
            try InputFiles.checkOutputDirectory(directory)
            try Self.makeDirectory(directory)
            // Two tables never share a file, even where their names encode alike (a damaged archive's duplicates):
            // a later one gets the next free name, and a file written in this run is never replaced.
            var used: Set<String> = []
            let paths = selected.map { entry in
                var name = ExtractFileName.name(for: entry, format: format)
                var attempt = 1
                while !used.insert(name).inserted {
                    attempt += 1
                    name = ExtractFileName.name(for: entry, format: format, disambiguator: attempt)
                }
                return directory + "/" + name
            }
            try extractTables(selected, to: paths, from: reader, options: options, jobs: jobs)
        }

        /// What a worker made of one table: its file, complete under a temporary name, or the error that stopped
        /// it; `inCaller` when its output is not a regular file (a FIFO, a device), which the caller writes.
        private enum ExtractedTable {
            case staged(AtomicOutput.StagedFile, ExtractSummary)
            case failed(any Error)
            case inCaller
        }

        /// The files workers staged, until the caller moves them into place; what is left when reading stops (an
        /// error before them) is removed.
        private final class StagedFiles: @unchecked Sendable {
            private let lock = ConditionLock()
            private var files: [ObjectIdentifier: AtomicOutput.StagedFile] = [:]

            func add(_ file: AtomicOutput.StagedFile) {
                lock.lock()
                files[ObjectIdentifier(file)] = file
                lock.unlock()
            }

            func commit(_ file: AtomicOutput.StagedFile) throws {
                lock.lock()
                files[ObjectIdentifier(file)] = nil
                lock.unlock()
                try file.commit()
            }

            func discardAll() {
                lock.lock()
                let left = files.values
                files = [:]
                lock.unlock()
                for file in left { file.discard() }
            }
        }

        /// Writes each table of `entries` to its path, in order. With several threads each table is read,
        /// converted and written under a temporary name on a worker (`ParallelDataReader`, computing), and the
        /// caller moves the files into place in archive order, stopping at the first error as one thread does:
        /// the files written and the error are the same for any number of threads.
        private func extractTables(
            _ entries: [TOCEntry], to paths: [String], from base: any ArchiveReader, options: ExtractOptions, jobs: Int
        ) throws {
            var pathByID: [Int32: String] = [:]
            for (entry, path) in zip(entries, paths) where pathByID[entry.dumpID] == nil { pathByID[entry.dumpID] = path }
            // A dump ID twice (a damaged archive): the workers take its first entry, the caller the others.
            var scheduled: Set<Int32> = []
            let order = entries.filter { scheduled.insert($0.dumpID).inserted }
            let staged = StagedFiles()
            defer { staged.discardAll() }
            let force = self.force
            try ParallelDataReader.withReader(
                base, computingInOrder: order, jobs: jobs,
                work: { reader, entry in
                    guard let path = pathByID[entry.dumpID] else { return ExtractedTable.inCaller }
                    do {
                        var summary: ExtractSummary?
                        guard let file = try AtomicOutput.stage(to: path, replacing: force, { sink in
                            summary = try TableExtractor.extract(entry, from: reader, options: options, to: sink)
                        }) else { return ExtractedTable.inCaller }
                        staged.add(file)
                        return ExtractedTable.staged(file, summary!)
                    } catch {
                        return ExtractedTable.failed(error)
                    }
                }
            ) { reader in
                let progress = ProgressDisplay(
                    progressOptions, verb: "extracting", pastVerb: "extracted", reader: reader, dataEntries: entries,
                    terminalAllowed: true)
                defer { progress.end() }
                for (index, entry) in entries.enumerated() {
                    progress.willRead(entry: entry, index: index, of: entries.count)
                    switch (reader as? ParallelDataReader)?.computedResult(for: entry) as? ExtractedTable {
                    case .staged(let file, let summary)?:
                        progress.observer?.dataProgress(entry: entry, bytes: summary.dataBytes, rows: summary.rows)
                        try staged.commit(file)
                    case .failed(let error)?:
                        throw error
                    case .inCaller?, nil:
                        try AtomicOutput.write(to: paths[index], replacing: force) { sink in
                            _ = try TableExtractor.extract(entry, from: reader, options: options, to: sink, progress: progress.observer)
                        }
                    }
                }
                progress.complete()
            }
        }

        /// `--schema-script`: what `sql` writes for the tables whose data is extracted (their TABLE entries with
        /// their comments, privileges and security labels, as `-t` selects them), without that data, which the extracted files hold. With `--with-deps` the
        /// selection is closed over the dependencies, and the tables it brings in come with their rows (those a
        /// foreign key of an extracted table refers to must be there when its file is loaded).
        private func writeSchemaScript(for dataEntries: [TOCEntry], from reader: any ArchiveReader, to path: String) throws {
            let tables = Set(dataEntries.flatMap(\.dependencies))
            let extracted = Set(dataEntries.map(\.dumpID))
            var selection = RestoreOptions()
            selection.dumpStatistics = false
            // The TABLE entries and their comments, privileges and security labels: what -t selects.
            let tableIDs = Set(reader.entries.filter { $0.desc.equals("TABLE") && tables.contains($0.dumpID) }.map(\.dumpID))
            selection.useList = reader.entries.filter { entry in
                tableIDs.contains(entry.dumpID)
                    || ((entry.desc.equals("COMMENT") || entry.desc.equals("ACL") || entry.desc.equals("SECURITY LABEL"))
                        && entry.dependencies.contains { tableIDs.contains($0) })
            }.map(\.dumpID)
            selection.withDependencies = withDependencies
            let plan = try RestorePlan(
                entries: reader.entries.filter { !extracted.contains($0.dumpID) }, selection: selection,
                script: ScriptOptions(restrictKey: ScriptOptions.randomRestrictKey()), strictNames: false, useList: nil)
            try plan.checkDependenciesRecorded(in: reader)
            try AtomicOutput.write(to: path, replacing: force) { sink in
                Diagnostics.report(try plan.renderScript(from: reader, to: sink))
            }
        }

        /// Creates the output directory unless it exists.
        private static func makeDirectory(_ path: String) throws {
            if Archive.isURL(path) {
                throw CommandFailure(
                    message: "\(Archive.redactedURL(path)): several tables are written one file each into a local directory, not to a URL; extract one table (-t) to a URL", exitCode: 2)
            }
            var info = stat()
            if stat(path, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw CommandFailure(message: "\(path): not a directory; several tables are written one file each into a directory")
                }
                return
            }
            guard mkdir(path, 0o777) == 0 else {
                throw CommandFailure(message: "\(path): could not create directory: \(String(cString: strerror(errno)))")
            }
        }
    }
}

extension PGDumpKitCommand.Extract: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .operand(default: "-") { $0.archive = $1 },
            .repeatedOption("F", "format") { $0.formats = $1 },
            .option(nil, "to") { $0.to = $1 },
            .option(nil, "input-format") { $0.legacyInputFormat = $1 },
            .option(nil, "database") { $0.database = $1 },
            .repeatedOption("t", "table") { $0.tables = $1 },
            .repeatedOption("n", "schema") { $0.schemas = $1 },
            .flag(nil, "patterns") { $0.patterns = $1 },
            .flag(nil, "all") { $0.all = $1 },
            .flag(nil, "header") { $0.header = $1 },
            .flag(nil, "typed") { $0.typed = $1 },
            .option("o", "output") { $0.output = $1 },
            .flag(nil, "force") { $0.force = $1 },
            .option(nil, "schema-script") { $0.schemaScript = $1 },
            .flag(nil, "with-deps") { $0.withDependencies = $1 },
            .option("j", "jobs") { $0.jobs = $1 },
            .group(ProgressOptions.self) { $0.progressOptions = $1 },
            .group(RemoteOptions.self) { $0.remote = $1 },
            .flag("V", "version") { $0.showVersion = $1 },
        ]
    }
}

/// What `extract -F`/`--format` names: the archive's format (pg_restore's meaning, as in every command), or, in
/// the earlier spelling, the output's. The two sets of names do not overlap, so the value says which it is.
enum ExtractFormatArgument: ExpressibleByArgument {
    case input(FormatArgument)
    case output(TableDataFormat)

    static var defaultCompletionKind: CompletionKind { FormatArgument.defaultCompletionKind }

    init(argument: String) {
        if let output = TableDataFormat(rawValue: argument) {
            self = .output(output)
        } else {
            self = .input(FormatArgument(argument: argument))
        }
    }
}
