import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

extension PGDumpKitCommand {
    /// `pgdumpkit diff`: what changed between two archives, entry by entry and row by row.
    struct Diff: ParsableCommand, DeclaresOptionNames {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Show the entries added, removed and changed between two archives.",
            discussion: """
                The archives may be of any format, archive version and compression. Entries are matched by type, \
                schema and name (a function's by its signature, a comment's or privileges' by the object they \
                belong to), never by dump ID or OID. An entry has changed when the text pg_restore 18 prints for \
                it differs (its definition, owner, privileges, comment, COPY statement), or when its data holds \
                other rows: each table's rows are counted and digested in any order (the sum of a keyed \
                SipHash-2-4-128 of each row), so data is compared without being held in memory. Creation time, format, compression, archive version, dump IDs, OIDs, dependencies \
                and pg_dump's version comments are not content and are not compared.

                The output is a summary in the style of git diff --stat, then each changed text as a unified \
                diff; with --rows, then the rows that differ in each table whose data changed, matched by the \
                primary key found in the archive (or compared whole without one), using temporary files under \
                $TMPDIR so that memory stays within --rows-memory. Table data stored as INSERT statements is read \
                as the rows they hold, digested and matched as COPY data is; the same rows stored otherwise (COPY \
                against INSERT, or other INSERT forms) print otherwise, so the entry has changed, with no row \
                that differs. --json prints one JSON object instead.

                The selection options of sql (-t, -n, -N, --section, -s, -a, -x, --no-comments, --patterns…) \
                narrow both archives alike.

                -j/--jobs N (default: the online CPUs) digests up to N tables' data at once: with 1 the old \
                archive is read, then the new one; with 2 both at once, one thread each; with more, each \
                archive is also read on threads of its own (the old one gets the odd one), each with about 2 MiB \
                of buffers (7 MiB while it reads a large compressed table). The output is the same for any N. A pipe, a custom archive written to a pipe and a \
                plain script are read by one thread.

                Exit status, as diff(1): 0 when nothing differs, 1 when something does, 2 on trouble (an archive \
                that cannot be read, invalid usage).
                """)

        /// The options that take a value (`OptionGrammar`).
        static let optionNames = SelectionOptions.optionNames + OptionNames(short: ["j": "jobs"], long: ["rows-memory"])
            + RemoteOptions.optionNames

        @Argument(help: ArgumentHelp("The old archive (a path, or an http(s):// or s3:// URL).", valueName: "old"), completion: .file())
        var old: String

        @Argument(help: ArgumentHelp("The new archive (a path, or an http(s):// or s3:// URL).", valueName: "new"), completion: .file())
        var new: String

        @OptionGroup var selection: SelectionOptions
        @OptionGroup var remote: RemoteOptions

        @Flag(name: .customLong("ignore-owner"), help: "Do not compare owners (as sql -O prints entries).")
        var ignoreOwner = false

        @Flag(name: .customLong("ignore-privileges"), help: "Do not compare privileges (GRANT/REVOKE); as -x.")
        var ignorePrivileges = false

        @Flag(name: .customLong("ignore-comments"), help: "Do not compare comments; as --no-comments.")
        var ignoreComments = false

        @Flag(help: "Print the comparison as one JSON object.")
        var json = false

        @Flag(help: "Show the rows that differ in each table whose data changed.")
        var rows = false

        @Option(name: .customLong("rows-memory"), help: ArgumentHelp(
            "With --rows, the memory in MiB comparing one table's rows may use besides what diff uses without --rows; the rest goes to temporary files (default 64).",
            valueName: "MiB"))
        var rowsMemory: Int = 64

        // A string, so that a bad value gets pg_restore's message, as sql's -j does.
        @Option(name: [.customShort("j"), .customLong("jobs")], help: ArgumentHelp(
            "Threads that read and digest table data at once, shared by the two archives (default: the online CPUs); the comparison is the same for any number.",
            valueName: "N"))
        var jobs: String?

        @Flag(name: VersionOption.names, help: VersionOption.help) var showVersion = false

        func run() throws {
            let different: Bool
            do {
                different = try compare()
            } catch let error as CommandFailure {
                throw CommandFailure(message: error.message, exitCode: 2)
            } catch let error as PGDumpError {
                throw CommandFailure(message: error.description, exitCode: 2)
            } catch let error as PGRestoreCommandLine.UsageError {
                throw CommandFailure(message: error.message, exitCode: 2)
            }
            if different { Glibc.exit(1) }
            PGDumpKitCommand.exitSucceeded()
        }

        /// Compares and prints; whether anything differs.
        private func compare() throws -> Bool {
            let jobs = try JobsOption.threads(self.jobs)
            guard selection.useList == nil else {
                throw CommandFailure(message: "-L/--use-list names entries by dump ID, which differ between archives; use -t, -n or --filter")
            }
            guard old != "-" || new != "-" else {
                throw CommandFailure(message: "only one of the two archives can be standard input")
            }
            guard rowsMemory > 0 else {
                throw CommandFailure(message: "--rows-memory must be a positive number of MiB, not \(rowsMemory)")
            }
            var commandLine = PGRestoreCommandLine()
            try selection.apply(to: &commandLine)
            if ignorePrivileges { commandLine.selection.aclsSkip = true }
            if ignoreComments { commandLine.selection.noComments = true }
            var (selectionOptions, scriptOptions) = try commandLine.resolve()
            scriptOptions.noOwner = ignoreOwner
            let oldReader = try NamedArchive(archive: old, format: nil).open()
            let newReader = try NamedArchive(archive: new, format: nil).open()
            // --rows reads each changed table's data a second time: refuse before printing anything.
            if rows, let once = [oldReader, newReader].first(where: { !$0.supportsRandomAccess }) {
                throw CommandFailure(
                    message: "\(once.path): --rows reads changed tables' data a second time, which this input (a pipe) cannot give; give a file")
            }
            let oldPlan = try selection.plan(
                for: oldReader, selection: selectionOptions, script: scriptOptions, strictNames: false)
            let newPlan = try selection.plan(
                for: newReader, selection: selectionOptions, script: scriptOptions, strictNames: false)
            if commandLine.strictNames,
                let error = oldPlan.strictNamesError() ?? newPlan.strictNamesError() { throw error }
            let comparison = try ArchiveComparison(
                old: oldReader, plan: oldPlan, new: newReader, plan: newPlan, jobs: jobs)
            var spillDirectory: String?
            defer {
                if let spillDirectory {
                    rmdir(spillDirectory)
                    TemporaryPaths.unregister(spillDirectory)
                }
            }
            var rowOptions: RowComparison.Options?
            if rows && comparison.changes.contains(where: { $0.kind == .changed && $0.dataChanged }) {
                let directory = try Self.makeSpillDirectory()
                spillDirectory = directory
                rowOptions = RowComparison.Options(memoryBudget: rowsMemory << 20, spillDirectory: directory)
            }
            let sink = FileDescriptorSink(descriptor: STDOUT_FILENO, name: "standard output")
            if json {
                try comparison.writeJSON(to: sink, oldName: old, newName: new, rows: rowOptions)
            } else if !comparison.isEqual {
                try comparison.writeReport(to: sink, oldName: old, newName: new, rows: rowOptions)
            }
            return !comparison.isEqual
        }

        /// A fresh directory under $TMPDIR (or /tmp) for --rows' bucket files, removed on a signal.
        private static func makeSpillDirectory() throws -> String {
            let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            return try TemporaryPaths.create(isDirectory: true) {
                var template = Array((base + "/pgdumpkit-diff-XXXXXX").utf8CString)
                guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                    throw CommandFailure(message: "\(base): could not create a temporary directory: \(String(cString: strerror(errno)))")
                }
                return String(cString: made)
            }
        }
    }
}
