import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

extension PGDumpKitCommand {
    /// `pgdumpkit explode`: an archive as a tree of files, one per object.
    struct Explode: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "explode",
            abstract: "Write an archive as a tree of files, one per object, with its data as CSV.",
            discussion: """
                Each entry's definition goes to SCHEMA/KIND/NAME.sql (for example public/table/orders.sql, \
                public/function/add%28integer%2C%20integer%29.sql), each table's data to \
                SCHEMA/table-data/NAME.csv (COPY's CSV with a header line; with --copy, the COPY data as stored, \
                .copy), large objects to one file per OID, and MANIFEST.tsv lists every entry in restore order \
                with its other fields (owner, section, dependencies…), from which pgdumpkit implode writes the \
                archive again. Names are percent-encoded (bytes outside A-Z, a-z, 0-9, _ and -), so any name, \
                in any encoding, gives a safe file name; over-long names are cut and end with a hash of the \
                whole, and names alike (also when compared without case) get ~2, ~3… in TOC order.

                Nothing in the tree depends on the archive's format, compression or creation time, nor on dump \
                IDs or OIDs: the same database dumped in any format explodes to the same bytes, so git diff \
                between two exploded dumps shows what changed.

                The selection options of sql (-t, -n, -N, -I, -P, -T, -L, --filter, --patterns, -s, -a, \
                --section, -x, --no-comments…) choose the entries written, as sql would print them: an entry's \
                data goes in when sql would print it. An entry's path is the same with or without a selection; \
                MANIFEST.tsv lists what was written, in restore order (-L's order with a use-list).

                The tree is written into a temporary directory beside DIR and renamed into place when complete; \
                DIR must not exist (--force replaces an earlier exploded tree).
                """)

        static let optionNames = InputOptions.optionNames + SelectionOptions.optionNames + OptionNames(short: ["o": "output"])

        @OptionGroup var input: InputOptions

        @OptionGroup var selection: SelectionOptions

        @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
            "The directory to create.", valueName: "dir"), completion: .directory)
        var output: String

        @Flag(name: .customLong("copy"), help: "Write table data as COPY text, as stored, instead of CSV.")
        var copy = false

        @Flag(name: .customLong("force"), help: "Replace DIR if it holds an exploded tree (a MANIFEST.tsv).")
        var force = false

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        func run() throws {
            guard !output.isEmpty, output != "-" else {
                throw CommandFailure(message: "name the directory to create with -o", exitCode: 2)
            }
            guard !Archive.isURL(output) else {
                throw CommandFailure(message: "\(Archive.redactedURL(output)): explode writes a local directory, not a URL", exitCode: 2)
            }
            let target = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
            var info = stat()
            let exists = lstat(target, &info) == 0
            if exists {
                guard force else { throw CommandFailure(message: "\(target): exists; use --force to replace an exploded tree") }
                guard (info.st_mode & S_IFMT) == S_IFDIR, access(target + "/MANIFEST.tsv", F_OK) == 0 else {
                    throw CommandFailure(message: "\(target): is not an exploded tree (no MANIFEST.tsv); refusing to replace it")
                }
            }
            var commandLine = PGRestoreCommandLine()
            try selection.apply(to: &commandLine)
            // Options are checked before the archive is opened, as sql checks them.
            let (selectionOptions, scriptOptions) = try commandLine.resolve()
            let reader = try input.open()
            // Without a selection every entry is written, also those no script prints (DATABASE without -C).
            let selects = try selectionOptions != PGRestoreCommandLine().resolve().0 || selection.useList != nil
            let plan = try selects ? selection.plan(
                for: reader, selection: selectionOptions, script: scriptOptions, strictNames: commandLine.strictNames) : nil
            try InputFiles.checkOutputDirectory(target)
            let temporary = try Self.makeDirectory(beside: target)
            defer { TemporaryPaths.unregister(temporary) }
            do {
                _ = try ArchiveExplosion.explode(reader, into: temporary, dataFormat: copy ? .copy : .csv, plan: plan)
                chmod(temporary, 0o755)
                if exists {
                    let old = try Self.makeDirectory(beside: target)
                    defer { TemporaryPaths.unregister(old) }
                    guard rename(target, old + "/old") == 0 else {
                        throw CommandFailure(message: "\(target): could not move the old tree aside: \(String(cString: strerror(errno)))")
                    }
                    guard rename(temporary, target) == 0 else {
                        let reason = String(cString: strerror(errno))
                        rename(old + "/old", target)
                        throw CommandFailure(message: "\(target): could not move the tree into place: \(reason)")
                    }
                    TreeFolder.removeTree(old)
                } else if rename(temporary, target) != 0 {
                    throw CommandFailure(message: "\(target): could not move the tree into place: \(String(cString: strerror(errno)))")
                }
            } catch {
                TreeFolder.removeTree(temporary)
                throw error
            }
        }

        /// A fresh directory beside `target`, removed on a signal.
        static func makeDirectory(beside target: String) throws -> String {
            try TemporaryPaths.create(isDirectory: true) {
                var template = Array((target + ".pgdumpkit-XXXXXX").utf8CString)
                guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                    throw CommandFailure(message: "\(target): could not create a directory beside it: \(String(cString: strerror(errno)))")
                }
                return String(cString: made)
            }
        }
    }

    /// `pgdumpkit implode`: an exploded tree written back as an archive.
    struct Implode: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "implode",
            abstract: "Write an archive from a tree that explode wrote.",
            discussion: """
                The archive holds the entries of DIR/MANIFEST.tsv in its order, each definition from its file \
                and each table's data from its CSV (turned back into the COPY text PostgreSQL writes) or COPY \
                file: pg_restore prints the same script for it as for the archive that was exploded. What the \
                tree does not keep differs: dump IDs are 1, 2, … in restore order, OIDs are 0 and the creation \
                time is 1970-01-01 00:00:00, so pg_restore -l lists other numbers; the format and compression \
                are those asked for (custom and gzip by default).
                """)

        static let optionNames = OptionNames(short: ["o": "output", "F": "format", "Z": "compress"], long: ["to"])

        @Argument(help: ArgumentHelp("The tree explode wrote.", valueName: "dir"), completion: .directory)
        var directory: String

        @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
            "The archive to write: a file, or a directory with -F d.", valueName: "output"), completion: .file())
        var output: String

        @Option(name: .customLong("to"), help: ArgumentHelp(
            "The format to write: c|custom (the default), d|directory or t|tar.", valueName: "format"))
        var to: FormatArgument?

        /// A tree has no format to name, so a lone -F can only be the output's, as with convert (pg_dump's habit).
        @Option(name: [.customShort("F"), .customLong("format")], help: ArgumentHelp(
            "The same as --to (a tree has no format of its own to name).", valueName: "format"))
        var format: FormatArgument?

        func validate() throws {
            if to != nil && format != nil { throw ValidationError("-F and --to both name the format to write: give one") }
        }

        @Option(name: [.customShort("Z"), .customLong("compress")], help: ArgumentHelp(
            "Compression, as pg_dump's -Z: none, 0-9 (gzip level), gzip[:N], lz4[:N], zstd[:N].", valueName: "spec"))
        var compress: CompressionArgument?

        @Flag(name: .customLong("force"), help: "Replace an existing output file.")
        var force = false

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        func run() throws {
            let chosen: ArchiveFormat
            switch to ?? format {
            case nil: chosen = .custom
            case .archive(let known) where !known.isScript: chosen = known
            case .archive(let script):
                throw CommandFailure(message: "invalid output format \"\(script.name)\" specified; use c, d or t", exitCode: 2)
            case .unrecognized(let name):
                throw CommandFailure(message: "invalid output format \"\(name)\" specified; use c, d or t", exitCode: 2)
            }
            InputFiles.register(directory)
            let tree = try ExplodedArchive(directory: directory)
            let conversion = try ArchiveConversion(
                inputHeader: tree.header, entries: tree.entries,
                target: ArchiveConversion.Target(format: chosen, compression: try compress?.choice()))
            for notice in conversion.notices { Diagnostics.warning(notice) }
            func create(at destination: ArchiveDestination) throws -> any ArchiveWriter {
                try Archive.create(
                    chosen, at: destination, header: conversion.header, entries: conversion.entries,
                    compression: conversion.compression)
            }
            try AtomicOutput.writeArchive(chosen, to: output, replacing: force, create: create) { writer in
                try tree.write(conversion.entries, to: writer)
            }
        }
    }
}
