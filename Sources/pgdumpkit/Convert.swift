import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

extension PGDumpKitCommand {
    /// `pgdumpkit convert`: an archive in another format, compression or archive version, or a subset of it.
    struct Convert: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Convert an archive to another format, compression or archive version, or cut a subset.",
            discussion: """
                Writes a real pg_dump archive: every header and TOC field is kept (creation time, database name, \
                versions, dump IDs, dependencies, definitions), so pg_restore -l of the result differs from the \
                input's only in its Format and Compression lines. With --to p the SQL script that sql writes is \
                produced instead. A plain SQL script converts to an archive too: what the script did not record \
                (dump IDs without pg_dump -v, DROP statements without -c) is as info and the README describe it.

                --to names the format to write. -F names the input's format, as in every pgdumpkit command and \
                in pg_restore (it is detected when omitted); given without --to, -F is the format to write, as \
                pg_dump users type it (convert -Fd in.dump -o out), since the output's format must be named and \
                the input's never needs to be.

                Without -Z the input's compression is kept where the format allows it (tar stores data \
                uncompressed, as pg_dump does). The archive version written is the input's, raised to 1.15 only \
                when lz4 or zstd needs it (pg_restore older than 16 then cannot read the result). \
                --archive-version or --for-pg-restore writes an older version for an older pg_restore: fields \
                that version cannot hold are dropped with a warning naming them, large objects are rewritten to \
                the older layout, and lz4 or zstd below 1.15 is an error. For a pg_restore older than 19 \
                (--for-pg-restore 18 or less, or a version below 1.16) the EXTENDED STATISTICS DATA entries of a \
                pg_dump 19 archive are left out with a warning: that pg_restore would restore them as schema.

                With selection options (-t, -n, -s, -a, -L, --section…) only the selected entries and their data \
                are written; the database entry is always kept so that pg_restore -C still works. With \
                --with-deps the selection is closed over the archive's dependencies as in sql, so that \
                pg_restore restores the result into an empty database.

                Output is written under a temporary name and renamed into place when complete; an existing file \
                is replaced only with --force; a directory target must not exist or be empty. On any error \
                nothing is left behind. The input is never opened for writing.

                -j/--jobs N (1 to 64) compresses gzip and zstd data on N threads (default: the online CPUs, at \
                most 8), and reads data that is decompressed to be written again on N threads (default: the \
                online CPUs), as sql -j reads it: entries are decoded ahead into a 16 MiB reorder buffer and \
                written strictly in archive order, each reading thread costing about 2 MiB more (7 MiB while it reads a large compressed table). The output is \
                the same for any N (zstd: for any N from 2, libzstd's workers framing data otherwise than one \
                thread). Data copied as stored, a pipe, a custom archive written to a pipe and a plain script are \
                read by one thread.
                """)

        /// The pg_restore majors --for-pg-restore names.
        static let pgRestoreMajors = 12...19

        /// The options that take a value (`OptionGrammar`).
        static let optionNames = SelectionOptions.optionNames + OptionNames(
            short: ["o": "output", "F": "format", "Z": "compress", "j": "jobs"],
            long: ["to", "to-format", "input-format", "archive-version", "for-pg-restore", "restrict-key", "database"])
            + TargetVersionOptions.optionNames
            + RemoteOptions.optionNames

        @Argument(help: ArgumentHelp(
            "The archive to convert: a custom or tar file, a directory archive, a pg_dump SQL script, an http://, https:// or s3://bucket/key URL of any of these, or - for standard input.",
            valueName: "archive"), completion: .file())
        var archive: String = "-"

        @Option(name: [.customShort("F"), .customLong("format")], help: ArgumentHelp(
            "The input's format: c|custom, d|directory, t|tar, as with pg_restore, or p|plain for a pg_dump SQL script (detected when omitted). Without --to, the format to write, as with pg_dump.",
            valueName: "format"))
        var format: FormatArgument?

        @Option(name: .customLong("to"), help: ArgumentHelp(
            "The format to write: c|custom, d|directory, t|tar or p|plain (SQL).", valueName: "format"))
        var to: FormatArgument?

        /// Earlier spellings: the output's format was `--to-format` (and `-F` always), the input's `--input-format`.
        @Option(name: .customLong("to-format"), help: .hidden) var legacyToFormat: FormatArgument?
        @Option(name: .customLong("input-format"), help: .hidden) var legacyInputFormat: FormatArgument?

        @Option(
            name: .customLong("database"),
            help: ArgumentHelp(
                "For a pg_dumpall script: the database whose part to read.", valueName: "name"))
        var database: String?

        @OptionGroup var selection: SelectionOptions

        @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
            "The archive to write: a file, a directory (-F d), or - for standard output (custom and tar).",
            valueName: "output"), completion: .file())
        var output: String

        @Option(name: [.customShort("Z"), .customLong("compress")], help: ArgumentHelp(
            "Compression, as pg_dump's -Z: none, 0-9 (gzip level), gzip[:N], lz4[:N], zstd[:N]. gzip without a level is written at level 5 (pg_dump: 6), about half the CPU for 2 % more bytes.", valueName: "spec"))
        var compress: CompressionArgument?

        @Option(name: .customLong("archive-version"), help: ArgumentHelp(
            "The archive version to write: 1.14, 1.15 or 1.16.", valueName: "version"))
        var archiveVersion: ArchiveVersionArgument?

        @Option(name: .customLong("for-pg-restore"), help: ArgumentHelp(
            "Write the newest archive version this pg_restore major (12-19) reads; below 19, leave out the entries only pg_restore 19 knows (EXTENDED STATISTICS DATA).", valueName: "major"))
        var forPgRestore: Int?

        @Option(name: .customLong("restrict-key"), help: ArgumentHelp(
            "With --to p: the psql \\restrict key (random when omitted).", valueName: "key"))
        var restrictKey: String?

        @Option(name: [.customShort("j"), .customLong("jobs")], help: ArgumentHelp(
            "Threads that read and decompress entries' data, and that compress gzip and zstd data (default: the online CPUs, at most 8 for compressing). The output is the same for any number (zstd: for any number from 2).",
            valueName: "n"))
        var jobs: Int?

        @Flag(name: .customLong("force"), help: "Replace an existing output file.")
        var force = false

        @OptionGroup var target: TargetVersionOptions

        @OptionGroup var progressOptions: ProgressOptions
        @OptionGroup var remote: RemoteOptions

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        /// The formats named: the output's (required) and the input's, by the rule the discussion states.
        var formats: (output: FormatArgument?, input: FormatArgument?) {
            if let output = to ?? legacyToFormat { return (output, format ?? legacyInputFormat) }
            return (format, legacyInputFormat)
        }

        func validate() throws {
            if to != nil && legacyToFormat != nil { throw ValidationError("--to and --to-format cannot be used together") }
            if format != nil && legacyInputFormat != nil && (to != nil || legacyToFormat != nil) {
                throw ValidationError("-F and --input-format both name the input's format: give one")
            }
            if formats.output == nil {
                throw ValidationError("name the format to write with --to: c|custom, d|directory, t|tar or p|plain")
            }
            if archiveVersion != nil && forPgRestore != nil {
                throw ValidationError("--archive-version and --for-pg-restore cannot be used together")
            }
            if let forPgRestore, !Self.pgRestoreMajors.contains(forPgRestore) {
                throw ValidationError("--for-pg-restore must be between \(Self.pgRestoreMajors.lowerBound) and \(Self.pgRestoreMajors.upperBound)")
            }
            if let jobs, !(1...64).contains(jobs) {
                throw ValidationError("-j/--jobs must be between 1 and 64")
            }
            if case .unrecognized = archiveVersion {
                throw ValidationError("--archive-version must be 1.14, 1.15 or 1.16")
            }
        }

        func run() throws {
            var commandLine = PGRestoreCommandLine()
            try selection.apply(to: &commandLine)
            commandLine.restrictKey = restrictKey
            var (options, script) = try commandLine.resolve()
            script.targetServerMajor = target.targetVersion
            let format: ArchiveFormat?
            switch formats.output! {
            case .archive(let archive): format = archive.isScript ? nil : archive
            case .unrecognized(let name):
                throw CommandFailure(message: "invalid output format \"\(name)\" specified; use c, d, t or p", exitCode: 2)
            }
            let reader = try NamedArchive(archive: archive, format: formats.input, database: database).open()
            func makePlan(_ entries: [TOCEntry]? = nil, quiet: Bool = false) throws -> RestorePlan {
                try selection.plan(
                    for: reader, entries: entries, selection: options, script: script,
                    strictNames: commandLine.strictNames, quiet: quiet)
            }
            let targeted = try target.adaptation(of: reader).map { adaptation in
                try target.plan(adaptation, archiveEntries: reader.entries) { try makePlan($0, quiet: $1) }
            }
            let plan = try targeted?.plan ?? makePlan()

            guard let format else {
                try ParallelDataReader.withReader(reader, readingInOrder: plan.dataReadingOrder, jobs: readingJobs) { reader in
                    let progress = ProgressDisplay(
                        progressOptions, verb: "writing SQL", pastVerb: "wrote SQL", reader: reader,
                        dataEntries: plan.dataEntries, terminalAllowed: output != "-" || isatty(STDOUT_FILENO) == 0)
                    defer { progress.end() }
                    try AtomicOutput.write(to: output, replacing: force) { sink in
                        Diagnostics.report(try plan.renderScript(from: reader, to: sink, progress: progress.observer))
                    }
                    progress.complete()
                }
                return
            }
            let entries = ArchiveSubset.entries(
                of: plan, archiveEntries: targeted?.adaptation.entries ?? reader.entries)
            // For 19 an archive written with standard_conforming_strings off needs its INSERT statements
            // rewritten, which sql does as it streams them and convert, copying data, does not.
            if let major = target.targetVersion, major >= 19, !reader.sessionSettings.standardConformingStrings,
                let inserts = entries.first(where: { $0.hasData && $0.desc.equals("TABLE DATA") && ($0.copyStmt?.isEmpty ?? true) })
            {
                throw CommandFailure(message:
                    "\(reader.path): entry \(inserts.dumpID) (\(inserts.displayLabel)) holds INSERT statements written with standard_conforming_strings off, which PostgreSQL 19 reads otherwise; convert copies data as it is: use sql --target-version \(major), or convert to a script (--to p)")
            }
            let conversion = try ArchiveConversion(
                inputHeader: reader.header, entries: entries,
                target: ArchiveConversion.Target(
                    format: format, compression: try compress?.choice(), archiveVersion: targetVersion,
                    pgRestoreMajor: forPgRestore ?? target.targetVersion))
            for notice in conversion.notices { Diagnostics.warning(notice) }
            // Data that is decompressed to be written again is read ahead on workers, and handed to the writer
            // in archive order; stored data is copied by this thread.
            let decoded = try conversion.decodedSources(from: reader)
            try ParallelDataReader.withReader(reader, readingInOrder: decoded, jobs: readingJobs) { reader in
                let progress = ProgressDisplay(
                    progressOptions, verb: "converting", pastVerb: "converted", reader: reader,
                    dataEntries: entries.filter(\.hasData))
                defer { progress.end() }

                try AtomicOutput.writeArchive(format, to: output, replacing: force, create: create) { writer in
                    try conversion.write(from: reader, to: writer, progress: progress.observer)
                }
                progress.complete()
            }

            func create(at destination: ArchiveDestination) throws -> any ArchiveWriter {
                try Archive.create(
                    format, at: destination, header: conversion.header, entries: conversion.entries,
                    compression: conversion.compression, jobs: compressionJobs)
            }
        }

        var compressionJobs: Int { jobs ?? Codecs.defaultCompressionJobs }

        /// The threads that read and decompress entries' data ahead of the writer: -j, else the online CPUs.
        var readingJobs: Int { jobs ?? ParallelDataReader.defaultJobs }

        /// The version asked for, directly or through a pg_restore release.
        var targetVersion: ArchiveVersion? {
            if case .version(let version) = archiveVersion { return version }
            // --target-version N: an archive for pg_restore N, which restores into that server.
            guard let forPgRestore = forPgRestore ?? target.targetVersion else { return nil }
            switch forPgRestore {
            case ...15: return .v1_14
            case 16: return .v1_15
            // 17, 18 and 19: pg_dump 19 still writes 1.16 (K_VERS_MINOR in 19's pg_backup_archiver.h).
            default: return .v1_16
            }
        }
    }
}
