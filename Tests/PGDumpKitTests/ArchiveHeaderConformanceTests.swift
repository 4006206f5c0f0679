import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Each check pg_restore 18 makes while reading a custom archive's header, TOC and data block headers, with crafted
/// archives of the versions no installed pg_dump writes (1.0–1.12) as well as newer ones: one that passes the check
/// and, where it can fail, one that fails it.
///
/// What pg_restore 18 does is written down here, from its source (`pg_backup_archiver.c`, `pg_backup_custom.c`,
/// `pg_backup_archiver.h`), so that the tests run without it; pgdumpkit must do the same. Where the real pg_restore
/// 18 is installed (`Fixtures.pgRestore(major: "18")`), it runs on the same bytes and must do what is written down
/// too: exit 0 for an archive accepted, non-zero with exactly the recorded error for one refused, and the same
/// listing or script as pgdumpkit when both accept.
///
/// Where pgdumpkit is known to do something else, the check runs inside `withKnownIssue`, saying what differs;
/// once pgdumpkit is changed to agree, that test fails until the `knownIssue:` argument is removed.
@Suite struct ArchiveHeaderConformanceTests {
    init() { TimeZoneSetting.useUTC() }

    // MARK: - Entries

    static let table = TOCEntry(
        dumpID: 3, tableOIDText: "1259", oidText: "16386", tag: "items", desc: "TABLE", section: .preData,
        defn: "CREATE TABLE items (id integer);\n", dropStmt: "DROP TABLE items;\n", tablespace: "", tableam: "heap",
        relkind: 114, owner: "alice")
    static let tableData = TOCEntry(
        dumpID: 4, hadDumper: true, tableOIDText: "0", oidText: "16386", tag: "items", desc: "TABLE DATA",
        section: .data, copyStmt: "COPY items (id) FROM stdin;\n", owner: "alice", dependencies: [3])
    static let rows = Array("1\n2\n\\.\n\n\n".utf8)

    /// A table and its data (raw, so for 1.2+ archives whose header says no compression).
    static func archive(_ version: ArchiveVersion, data: [UInt8]? = rows) -> ArchiveBuilder {
        ArchiveBuilder(version: version, entries: [(table, nil), (tableData, data)])
    }

    static let withOidsWarning = "restoring tables WITH OIDS is not supported anymore"
    static let largerIntegersWarning = "archive was made on a machine with larger integers, some operations might fail"

    /// ReadToc warns for every archive before 1.9, which cannot say that its tables have no OIDs.
    static func oidWarnings(_ version: ArchiveVersion) -> [String] {
        version < .v1_9 ? [withOidsWarning] : []
    }

    static func zlib(_ bytes: [UInt8]) throws -> [UInt8] {
        let compressor = try ZlibCompressor(level: 6, framing: .zlib)
        var out: [UInt8] = []
        try bytes.withUnsafeBytes { input in try compressor.compress(input) { out.append(contentsOf: $0) } }
        try compressor.finish { out.append(contentsOf: $0) }
        return out
    }

    static func patched(_ bytes: [UInt8], at offset: Int, with replacement: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(offset..<(offset + replacement.count), with: replacement)
        return copy
    }

    /// `bytes` with the first occurrence of `pattern` replaced.
    static func replacing(_ pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) throws -> [UInt8] {
        let start = try #require(
            (0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) })
        var copy = bytes
        copy.replaceSubrange(start..<(start + pattern.count), with: replacement)
        return copy
    }

    /// Where the TOC ends and the data blocks begin: the TOC's length does not depend on the offsets' values.
    static func tocEnd(of builder: ArchiveBuilder) -> Int {
        var copy = builder
        copy.entries = copy.entries.map { (entry: $0.entry, data: nil) }
        copy.largeObjects = [:]
        return copy.build().count
    }

    /// The width of a stored integer: the sign byte (after 1.0) and the magnitude.
    static func intWidth(_ builder: ArchiveBuilder) -> Int { builder.encodedInt(0).count }

    // MARK: - Running both programs

    /// What pg_restore 18 does with an archive, from its source.
    struct Expectation: CustomStringConvertible {
        var accepted: Bool
        /// The error pg_restore prints, without `pg_restore: error: `.
        var error: String?
        /// Its warnings, without `pg_restore: warning: `; each once.
        var warnings: Set<String> = []
        /// Text the listing or script must contain.
        var showing: [String] = []

        static func accepts(warnings: [String] = [], showing: [String] = []) -> Expectation {
            Expectation(accepted: true, error: nil, warnings: Set(warnings), showing: showing)
        }

        static func refuses(_ message: String) -> Expectation {
            Expectation(accepted: false, error: message)
        }

        var description: String { accepted ? "accepted" : "refused: \(error ?? "")" }
    }

    /// What to ask of both programs.
    enum Run {
        /// `pg_restore -l` against `Archive.open` and `ListPrinter.render`.
        case list(verbose: Bool = false)
        /// `pg_restore -f -` against `RestorePlan.renderScript`, which reads data with `streamData`.
        case script(verbose: Bool = false, clean: Bool = false, sections: [String] = [])

        var pgRestoreArguments: [String] {
            switch self {
            case .list(let verbose):
                return ["-l"] + (verbose ? ["-v"] : [])
            case .script(let verbose, let clean, let sections):
                return ["-f", "-", "--restrict-key=K"] + (verbose ? ["-v"] : []) + (clean ? ["-c"] : [])
                    + sections.map { "--section=\($0)" }
            }
        }
    }

    struct Accepted {
        var output: [UInt8]
        var warnings: Set<String>
    }

    struct PgRestoreResult {
        var status: Int32
        var output: [UInt8]
        var errors: [String]
        var warnings: Set<String>
    }

    static func runPgdumpkit(_ bytes: [UInt8], _ run: Run) -> Result<Accepted, PGDumpError> {
        do {
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "crafted.dump"))
            var warnings = Set(reader.warnings.map(\.message))
            switch run {
            case .list(let verbose):
                var options = RestoreOptions()
                options.verbose = verbose
                let output = ListPrinter.render(
                    header: reader.header, format: reader.format, entries: reader.entries,
                    tocCount: reader.entries.count, options: options)
                return .success(Accepted(output: output, warnings: warnings))
            case .script(let verbose, let clean, let sections):
                var commandLine = PGRestoreCommandLine()
                commandLine.restrictKey = "K"
                commandLine.clean = clean
                commandLine.sections = sections
                commandLine.selection.verbose = verbose
                commandLine.script.verbose = verbose
                let (selection, script) = try commandLine.resolve()
                let plan = try RestorePlan(
                    entries: reader.entries, selection: selection, script: script, strictNames: false, useList: nil)
                let sink = MemoryByteSink()
                for warning in try plan.renderScript(from: reader, to: sink) { warnings.insert(warning.message) }
                for warning in reader.warnings { warnings.insert(warning.message) }
                return .success(Accepted(output: sink.bytes, warnings: warnings))
            }
        } catch let error as PGDumpError {
            return .failure(error)
        } catch {
            return .failure(PGDumpError(.invalidRequest, "\(error)"))
        }
    }

    /// pg_restore 18 on the same bytes, or `nil` when it is not installed.
    static func runPgRestore(_ bytes: [UInt8], _ run: Run) throws -> PgRestoreResult? {
        guard let oracle = Fixtures.pgRestore(major: "18") else { return nil }
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("pgdumpkit-conformance-\(UUID().uuidString).dump")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CommandRunner.run(oracle, run.pgRestoreArguments + [file.path])
        var errors: [String] = []
        var warnings: Set<String> = []
        for line in result.standardError.split(separator: "\n").map(String.init) {
            if line.hasPrefix("pg_restore: error: ") {
                errors.append(String(line.dropFirst("pg_restore: error: ".count)))
            } else if line.hasPrefix("pg_restore: warning: ") {
                let warning = String(line.dropFirst("pg_restore: warning: ".count))
                // Which codecs pg_restore was built with is not the archive's business.
                if warning.contains("does not support compression with lz4")
                    || warning.contains("does not support compression with zstd")
                {
                    continue
                }
                warnings.insert(warning)
            }
        }
        return PgRestoreResult(status: result.status, output: result.standardOutput, errors: errors, warnings: warnings)
    }

    /// The output without the lines that show the time of the run: `-- Completed on` (-v), and for archives
    /// before 1.4, which store no creation time, the creation time pg_restore makes up (`time(NULL)`).
    static func normalized(_ output: [UInt8], undated: Bool) -> [UInt8] {
        var prefixes = ["-- Completed on "]
        if undated { prefixes += ["; Archive created at ", "-- Started on "] }
        let lines = output.split(separator: 0x0A, omittingEmptySubsequences: false).filter { line in
            let text = String(decoding: line, as: UTF8.self)
            return !prefixes.contains { text.hasPrefix($0) }
        }
        return Array(lines.joined(separator: [0x0A]))
    }

    static func contains(_ output: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard needle.count <= output.count else { return false }
        return (0...(output.count - needle.count)).contains { output[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// `check` with `pg_restore -l`.
    func check(
        _ bytes: [UInt8], _ expected: Expectation, undated: Bool = false, knownIssue: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try check(bytes, .list(), expected, undated: undated, knownIssue: knownIssue, sourceLocation: sourceLocation)
    }

    /// Checks pgdumpkit, and pg_restore 18 when installed, against what pg_restore 18's source says.
    ///
    /// - Parameters:
    ///   - undated: the archive stores no creation time (before 1.4).
    ///   - knownIssue: how pgdumpkit is known to differ; its half of the check is then a known issue.
    func check(
        _ bytes: [UInt8], _ run: Run, _ expected: Expectation, undated: Bool = false,
        knownIssue: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let theirs = try Self.runPgRestore(bytes, run)
        if let theirs {
            // pg_restore 18 itself does what its source says.
            if expected.accepted {
                #expect(
                    theirs.status == 0, "pg_restore 18 refused, expected \(expected): \(theirs.errors)",
                    sourceLocation: sourceLocation)
                #expect(theirs.warnings == expected.warnings, "pg_restore 18's warnings", sourceLocation: sourceLocation)
                for text in expected.showing {
                    let shown = Self.contains(theirs.output, text)
                    #expect(shown, "pg_restore 18's output lacks \(text.debugDescription)", sourceLocation: sourceLocation)
                }
            } else {
                #expect(theirs.status != 0, "pg_restore 18 accepted, expected \(expected)", sourceLocation: sourceLocation)
                #expect(theirs.errors == [expected.error ?? ""], "pg_restore 18's error", sourceLocation: sourceLocation)
            }
        }
        let compare: () -> Void = {
            switch Self.runPgdumpkit(bytes, run) {
            case .success(let ours):
                guard expected.accepted else {
                    Issue.record(
                        "pgdumpkit accepted an archive pg_restore 18 refuses with \"\(expected.error ?? "")\"",
                        sourceLocation: sourceLocation)
                    return
                }
                #expect(ours.warnings == expected.warnings, "pgdumpkit's warnings", sourceLocation: sourceLocation)
                for text in expected.showing {
                    let shown = Self.contains(ours.output, text)
                    #expect(shown, "pgdumpkit's output lacks \(text.debugDescription)", sourceLocation: sourceLocation)
                }
                if let theirs, theirs.status == 0 {
                    let difference = ByteComparison.difference(
                        actual: Self.normalized(ours.output, undated: undated),
                        expected: Self.normalized(theirs.output, undated: undated))
                    #expect(difference == nil, "\(difference ?? "")", sourceLocation: sourceLocation)
                }
            case .failure(let error):
                guard let message = expected.error else {
                    Issue.record(
                        "pgdumpkit refused an archive pg_restore 18 accepts: \(error)", sourceLocation: sourceLocation)
                    return
                }
                // pgdumpkit prints "FILE: <pg's words> (at offset N…)": pg's words must be in the message.
                #expect(
                    error.message.contains(message), "pgdumpkit said \"\(error.message)\"; pg_restore 18 says \"\(message)\"",
                    sourceLocation: sourceLocation)
            }
        }
        if let knownIssue {
            withKnownIssue(Comment(rawValue: knownIssue), sourceLocation: sourceLocation) { compare() }
        } else {
            compare()
        }
    }

    /// Whether C's `char` is signed here, as on x86-64 (and Apple arm64): ReadHead keeps the version bytes in
    /// `char` variables, so there a byte of 128 or more counts as negative.
    static let charIsSigned = CChar.isSigned

    static let truncationIssue = """
        pgdumpkit names what it was reading ("unexpected end of file while reading …", "… exceeds the N bytes left \
        in the file") where pg_restore 18 says "could not read from input file: end of file"
        """

    // MARK: - ReadHead

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->version < K_VERS_1_0 || AH->version > K_VERS_MAX)
    //       pg_fatal("unsupported version (%d.%d) in file header", vmaj, vmin);
    // pg_backup_archiver.h: K_VERS_MAX is MAKE_ARCHIVE_VERSION(K_VERS_MAJOR, K_VERS_MINOR, 255), 1.16-255.
    @Test("ReadHead: versions below 1.0 or above 1.16 are unsupported")
    func unsupportedVersion() throws {
        try check(
            Self.archive(ArchiveVersion(1, 0), data: try Self.zlib(Self.rows)).build(),
            .accepts(warnings: [Self.withOidsWarning], showing: [";     Dump Version: 1.0-0\n"]), undated: true)
        try check(Self.archive(.v1_16).build(), .accepts(showing: [";     Dump Version: 1.16-0\n"]))
        try check(Self.archive(ArchiveVersion(1, 16, 127)).build(), .accepts(showing: [";     Dump Version: 1.16-127\n"]))
        try check(Self.archive(ArchiveVersion(0, 9)).build(), .refuses("unsupported version (0.9) in file header"))
        try check(Self.archive(ArchiveVersion(1, 17)).build(), .refuses("unsupported version (1.17) in file header"))
        try check(Self.archive(ArchiveVersion(2, 0)).build(), .refuses("unsupported version (2.0) in file header"))
        // %d of a signed char: a minor version of 200 is -56 (and, not above 0, means no revision byte follows).
        try check(
            Self.archive(ArchiveVersion(1, 200)).build(),
            .refuses(Self.charIsSigned ? "unsupported version (1.-56) in file header"
                                       : "unsupported version (1.200) in file header"),
            knownIssue: Self.charIsSigned
                ? "HeaderReader.read prints the version bytes unsigned: (1.200) where pg_restore says (1.-56)" : nil)
    }

    // pg_backup_archiver.c, ReadHead: `char vmaj, vmin, vrev;` then
    //   AH->version = MAKE_ARCHIVE_VERSION(vmaj, vmin, vrev);
    // Where char is signed, a revision of 128 or more is negative and lowers the version below its minor: the
    // bytes 1.16-255 are read as version 1.15-255, and 1.7-128 as 1.6-128, and every K_VERS_* gate follows.
    @Test("ReadHead: the version bytes are C chars, so a revision of 128 or more counts against the minor version")
    func versionBytesAreChars() throws {
        // Bytes 1.16-255 over a 1.15 layout (no relkind).
        var laidOutAs15 = Self.archive(ArchiveVersion(1, 15, 255)).build()
        laidOutAs15[6] = 16
        try check(
            laidOutAs15,
            Self.charIsSigned
                ? .accepts(showing: [";     Dump Version: 1.15-255\n", "3; 1259 16386 TABLE - items alice\n"])
                : .accepts(showing: [";     Dump Version: 1.16-255\n"]),
            knownIssue: Self.charIsSigned
                ? "HeaderReader.read reads the revision byte unsigned: 1.16-255 is read as 1.16, not 1.15-255" : nil)
        // Bytes 1.7-128 over a 1.6 layout (no offset size byte).
        var laidOutAs16 = Self.archive(ArchiveVersion(1, 6, 128)).build()
        laidOutAs16[6] = 7
        try check(
            laidOutAs16,
            Self.charIsSigned
                ? .accepts(warnings: [Self.withOidsWarning], showing: [";     Dump Version: 1.6-128\n"])
                : .refuses("expected format (1) differs from format found in file (0)"),
            knownIssue: Self.charIsSigned
                ? "HeaderReader.read reads the revision byte unsigned: 1.7-128 is read as 1.7, not 1.6-128" : nil)
    }

    // pg_backup_archiver.h has no K_VERS_1_1: a 1.1 archive passes the range check in ReadHead and every gate
    // treats it as 1.0, except the two that test `> K_VERS_1_0`: ReadHead reads a revision byte
    // (`if (vmaj > 1 || (vmaj == 1 && vmin > 0))`) and ReadInt a sign byte (`if (AH->version > K_VERS_1_0)`).
    // Before K_VERS_1_2 ReadHead stores no compression and sets PG_COMPRESSION_GZIP.
    @Test("1.0 and 1.1 archives are accepted, their data zlib-compressed")
    func versions1_0And1_1() throws {
        for version in [ArchiveVersion(1, 0), ArchiveVersion(1, 1)] {
            let bytes = Self.archive(version, data: try Self.zlib(Self.rows)).build()
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "v\(version).dump"))
            #expect(reader.header.version == version)
            #expect(reader.header.compression.algorithm == .gzip)
            var sink = CollectingSink()
            try reader.streamData(of: reader.entries[1], into: &sink)
            #expect(sink.bytes == Self.rows)
            try check(
                bytes, .list(),
                .accepts(warnings: [Self.withOidsWarning], showing: [";     Dump Version: \(version)\n", ";     Compression: gzip\n"]),
                undated: true)
            try check(bytes, .script(), .accepts(warnings: [Self.withOidsWarning], showing: ["1\n2\n\\.\n"]), undated: true)
        }
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->intSize > 32) pg_fatal("sanity check on integer size (%lu) failed", ...);
    //   if (AH->intSize > sizeof(int)) pg_log_warning("archive was made on a machine with larger integers, ...");
    // Nothing refuses 0: ReadInt then reads only sign bytes, every integer is 0 and the TOC is empty.
    @Test("ReadHead: integer sizes above 32 are refused, above 4 warned about")
    func integerSize() throws {
        // Every integer of this archive fits in one byte (the creation time, lengths, IDs, the data's length).
        for size: UInt8 in [1, 2, 4, 8, 32] {
            var builder = Self.archive(.v1_12)
            builder.header.intSize = size
            let warnings = size > 4 ? [Self.largerIntegersWarning] : []
            try check(builder.build(), .list(), .accepts(warnings: warnings, showing: [";     Integer: \(size) bytes\n"]))
            try check(builder.build(), .script(), .accepts(warnings: warnings, showing: ["1\n2\n\\.\n"]))
        }
        var tooLarge = Self.archive(.v1_12)
        tooLarge.header.intSize = 33
        try check(tooLarge.build(), .refuses("sanity check on integer size (33) failed"))
        var zero = Self.archive(.v1_12)
        zero.header.intSize = 0
        try check(
            zero.build(), .accepts(showing: [";     TOC Entries: 0\n", ";     Integer: 0 bytes\n"]),
            knownIssue: "HeaderReader.read refuses an integer size of 0 (\"integer size 0 in file header\"); pg_restore 18 reads every integer as 0")
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->version >= K_VERS_1_7) AH->offSize = AH->ReadBytePtr(AH); else AH->offSize = AH->intSize;
    // ReadOffset reads offSize bytes after the flag; nothing refuses 0.
    @Test("ReadHead: the offset size is stored from 1.7, the integer size before")
    func offsetSize() throws {
        var eightByteInts = Self.archive(ArchiveVersion(1, 6))
        eightByteInts.header.intSize = 8
        try check(
            eightByteInts.build(), .script(),
            .accepts(warnings: [Self.withOidsWarning, Self.largerIntegersWarning], showing: ["1\n2\n\\.\n"]))
        try check(
            eightByteInts.build(), .list(),
            .accepts(warnings: [Self.withOidsWarning, Self.largerIntegersWarning], showing: [";     Offset: 8 bytes\n"]))
        try check(
            Self.archive(ArchiveVersion(1, 6)).build(),
            .accepts(warnings: [Self.withOidsWarning], showing: [";     Offset: 4 bytes\n"]))
        for size: UInt8 in [4, 8, 16] {
            var builder = Self.archive(.v1_7)
            builder.header.offSize = size
            try check(builder.build(), .list(), .accepts(warnings: [Self.withOidsWarning], showing: [";     Offset: \(size) bytes\n"]))
            try check(builder.build(), .script(), .accepts(warnings: [Self.withOidsWarning], showing: ["1\n2\n\\.\n"]))
        }
        var zero = Self.archive(.v1_12, data: nil)
        zero.entries[1].entry.hadDumper = false
        zero.header.offSize = 0
        try check(
            zero.build(), .accepts(showing: [";     Offset: 0 bytes\n"]),
            knownIssue: "HeaderReader.read refuses an offset size of 0 (\"offset size 0 in file header\"); pg_restore 18 reads the flag byte alone")
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->format != fmt) pg_fatal("expected format (%d) differs from format found in file (%d)", ...);
    // archCustom is 1 (pg_backup.h).
    @Test("ReadHead: the format byte must be the custom format's")
    func formatByte() throws {
        try check(Self.archive(.v1_12).build(), .accepts())
        for byte: UInt8 in [0, 2, 3] {
            var builder = Self.archive(.v1_12)
            builder.header.formatByte = byte
            try check(builder.build(), .refuses("expected format (1) differs from format found in file (\(byte))"))
        }
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->version >= K_VERS_1_15) AH->compression_spec.algorithm = AH->ReadBytePtr(AH);
    //   else if (AH->version >= K_VERS_1_2) {
    //       if (AH->version < K_VERS_1_4) level = AH->ReadBytePtr(AH); else level = ReadInt(AH);
    //       if (level != 0) algorithm = PG_COMPRESSION_GZIP; }
    //   else AH->compression_spec.algorithm = PG_COMPRESSION_GZIP;
    //   errmsg = supports_compression(AH->compression_spec);
    //   if (errmsg) pg_log_warning("archive is compressed, but this installation does not support compression (%s) -- no data will be available", errmsg);
    // An unknown algorithm is only warned about (compress_io.c, supports_compression: "this build does not support
    // compression with %s", get_compress_algorithm_name giving "???"); RestoreArchive refuses it only when an
    // entry's data is to be restored: pg_fatal("cannot restore from compressed archive (%s)", errmsg).
    @Test("ReadHead: the compression field, by version")
    func compressionField() throws {
        let compressed = try Self.zlib(Self.rows)
        let cases: [(ArchiveVersion, Int32, CompressionAlgorithm)] = [
            (.v1_2, 0, .none), (.v1_2, 6, .gzip), (.v1_3, 255, .gzip), (.v1_4, 0, .none), (.v1_4, -1, .gzip),
            (ArchiveVersion(1, 14), 9, .gzip),
        ]
        for (version, level, algorithm) in cases {
            var builder = Self.archive(version, data: algorithm == .none ? Self.rows : compressed)
            builder.header.compression = CompressionSpec(algorithm: algorithm, storedLevel: level)
            let bytes = builder.build()
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "level.dump"))
            #expect(reader.header.compression.algorithm == algorithm, "\(version) level \(level)")
            var sink = CollectingSink()
            try reader.streamData(of: reader.entries[1], into: &sink)
            #expect(sink.bytes == Self.rows, "\(version) level \(level)")
            let warnings = Self.oidWarnings(version)
            try check(bytes, .list(), .accepts(warnings: warnings, showing: [";     Compression: \(algorithm)\n"]),
                      undated: version < .v1_4)
            try check(bytes, .script(), .accepts(warnings: warnings, showing: ["1\n2\n\\.\n"]), undated: version < .v1_4)
        }
        for algorithm in [CompressionAlgorithm.none, .gzip] {
            var builder = Self.archive(.v1_15, data: algorithm == .none ? Self.rows : compressed)
            builder.header.compression = CompressionSpec(algorithm: algorithm)
            try check(builder.build(), .script(), .accepts(showing: ["1\n2\n\\.\n"]))
        }
        for algorithm in [CompressionAlgorithm.lz4, .zstd] {
            var builder = Self.archive(.v1_15, data: nil)
            builder.header.compression = CompressionSpec(algorithm: algorithm)
            try check(builder.build(), .list(), .accepts(showing: [";     Compression: \(algorithm)\n"]))
        }
        // Algorithm byte 99: the byte after the format byte in a 1.15 header (magic, 3 version bytes, intSize,
        // offSize, format).
        let unknownWarning = "archive is compressed, but this installation does not support compression (this build does not support compression with ???) -- no data will be available"
        let issue = "HeaderReader.read refuses an unknown compression algorithm at once (\"unknown compression algorithm 99 in file header\"); pg_restore 18 warns, lists it as ???, and refuses only data"
        let unknown = Self.patched(Self.archive(.v1_15).build(), at: 11, with: [99])
        try check(unknown, .list(), .accepts(warnings: [unknownWarning], showing: [";     Compression: ???\n"]), knownIssue: issue)
        try check(
            unknown, .script(),
            .refuses("cannot restore from compressed archive (this build does not support compression with ???)"),
            knownIssue: issue)
        let schemaOnly = Self.patched(
            ArchiveBuilder(version: .v1_15, entries: [(Self.table, nil)]).build(), at: 11, with: [99])
        try check(schemaOnly, .script(), .accepts(warnings: [unknownWarning], showing: ["CREATE TABLE items"]), knownIssue: issue)
    }

    // pg_backup_archiver.c, ReadHead: if (AH->version >= K_VERS_1_4) { crtm.tm_sec = ReadInt(AH); … tm_isdst;
    //   AH->createDate = mktime(&crtm);
    //   if (AH->createDate == (time_t) -1) { crtm.tm_isdst = -1; AH->createDate = mktime(&crtm);
    //       if (AH->createDate == (time_t) -1) pg_log_warning("invalid creation date in header"); } }
    // Before 1.4 _allocAH's `AH->createDate = time(NULL)` stands.
    @Test("ReadHead: the creation date, from 1.4")
    func creationDate() throws {
        let plain = Self.archive(.v1_4).build()
        try check(plain, .accepts(warnings: [Self.withOidsWarning], showing: ["; Archive created at 2025-01-02 03:04:05 UTC\n"]))
        let reader = try Archive.open(source: MemoryByteSource(Self.archive(.v1_3).build(), name: "v1.3.dump"))
        #expect(reader.header.creationTime == nil)
        try check(Self.archive(.v1_3).build(), .accepts(warnings: [Self.withOidsWarning]), undated: true)
        // tm_isdst = 1 where the zone has no DST: the first mktime may fail, the retry must not.
        var summer = Self.archive(.v1_12)
        summer.header.creationTime = CreationTime(
            second: 5, minute: 4, hour: 3, dayOfMonth: 2, month: 6, yearsSince1900: 125, isDST: 1)
        try check(summer.build(), .accepts())
        // A date mktime cannot represent: both attempts fail.
        var impossible = Self.archive(.v1_12)
        impossible.header.creationTime = CreationTime(
            second: 5, minute: 4, hour: 3, dayOfMonth: 2, month: .max, yearsSince1900: .max, isDST: 0)
        try check(
            impossible.build(),
            .accepts(warnings: ["invalid creation date in header"], showing: ["; Archive created at 1969-12-31 23:59:59 UTC\n"]),
            knownIssue: "pgdumpkit prints the same date but does not warn \"invalid creation date in header\"")
    }

    // pg_backup_archiver.c, ReadHead: if (AH->version >= K_VERS_1_4) AH->archdbname = ReadStr(AH);
    // ReadStr: l = ReadInt(AH); if (l < 0) buf = NULL; else { buf = pg_malloc(l + 1); AH->ReadBufPtr(AH, buf, l); … }
    @Test("ReadHead: the database name, from 1.4")
    func databaseName() throws {
        try check(Self.archive(.v1_4).build(), .accepts(warnings: [Self.withOidsWarning], showing: [";     dbname: olddb\n"]))
        try check(Self.archive(.v1_3).build(), .accepts(warnings: [Self.withOidsWarning], showing: [";     dbname: \n"]), undated: true)
        var null = Self.archive(.v1_12)
        null.header.databaseName = nil
        try check(null.build(), .list(), .accepts(showing: [";     dbname: \n"]))
        try check(null.build(), .script(), .accepts())
        var newline = Self.archive(.v1_12)
        newline.header.databaseName = "old\ndb"
        try check(newline.build(), .accepts(showing: [";     dbname: old db\n"]))
        // A name longer than the file: _ReadBuf reads past the end.
        let builder = Self.archive(.v1_12)
        // Magic, 3 version bytes, intSize, offSize, format (11 bytes), then the compression level and the 7
        // creation time integers.
        let nameOffset = 11 + 8 * Self.intWidth(builder)
        #expect(Array(builder.build()[nameOffset...].prefix(10)) == builder.encodedString("olddb"))
        let long = Self.patched(builder.build(), at: nameOffset, with: builder.encodedInt(100_000))
        try check(long, .refuses("could not read from input file: end of file"), knownIssue: Self.truncationIssue)
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->version >= K_VERS_1_10) { AH->archiveRemoteVersion = ReadStr(AH); AH->archiveDumpVersion = ReadStr(AH); }
    // Before 1.10, _allocAH's `AH->archiveDumpVersion = PG_VERSION` stands: pg_restore prints its own version.
    @Test("ReadHead: the server and pg_dump versions, from 1.10")
    func serverAndPgDumpVersions() throws {
        try check(
            Self.archive(.v1_9).build(),
            .accepts(showing: [";     Offset: 8 bytes\n;     Dumped by pg_dump version: \(PGRestoreEmulation.version)\n"]))
        try check(
            Self.archive(.v1_10).build(),
            .accepts(showing: [";     Dumped from database version: 9.6.24\n;     Dumped by pg_dump version: 9.6.24\n"]))
        try check(Self.archive(.v1_10).build(), .script(), .accepts(showing: ["-- Dumped from database version 9.6.24\n"]))
        var null = Self.archive(.v1_10)
        null.header.serverVersion = nil
        null.header.pgDumpVersion = nil
        try check(null.build(), .list(), .accepts(showing: [";     Offset: 8 bytes\n;\n"]))
        try check(null.build(), .script(), .accepts())
    }

    // pg_backup_custom.c, _ReadByte and _ReadBuf: READ_ERROR_EXIT (pg_backup_archiver.h):
    //   if (feof(fd)) pg_fatal("could not read from input file: end of file");
    // pg_backup_archiver.c, _discoverArchiveFormat, before ReadHead:
    //   pg_fatal("input file is too short (read %lu, expected 5)", (unsigned long) cnt);
    @Test("_ReadByte/_ReadBuf: an archive that ends early")
    func endOfFile() throws {
        let whole = Self.archive(.v1_12).build()
        try check(Array(whole.prefix(3)), .refuses("input file is too short (read 3, expected 5)"))
        for length in [5, 7, 40, ArchiveBuilder.headerLength(version: .v1_12) + 30] {
            try check(
                Array(whole.prefix(length)), .refuses("could not read from input file: end of file"),
                knownIssue: Self.truncationIssue)
        }
        try check(
            Array(whole.dropLast(3)), .script(), .refuses("could not read from input file: end of file"),
            knownIssue: Self.truncationIssue)
    }

    // MARK: - ReadToc

    // pg_backup_archiver.c, ReadToc: AH->tocCount = ReadInt(AH); for (i = 0; i < AH->tocCount; i++) { … }
    // The count is not checked: a negative one reads no entry, a large one reads on until an entry fails.
    @Test("ReadToc: the entry count")
    func tocCount() throws {
        let builder = Self.archive(.v1_12, data: nil)
        let countOffset = ArchiveBuilder.headerLength(version: .v1_12)
        try check(builder.build(), .accepts(showing: [";     TOC Entries: 2\n"]))
        try check(
            Self.patched(builder.build(), at: countOffset, with: builder.encodedInt(0)),
            .accepts(showing: [";     TOC Entries: 0\n"]))
        try check(
            Self.patched(builder.build(), at: countOffset, with: builder.encodedInt(-1)),
            .accepts(showing: [";     TOC Entries: -1\n"]),
            knownIssue: "TOCReader.read refuses a negative count (\"negative TOC entry count -1\"); pg_restore 18 reads no entry")
        try check(
            Self.patched(builder.build(), at: countOffset, with: builder.encodedInt(3)),
            .refuses("could not read from input file: end of file"), knownIssue: Self.truncationIssue)
    }

    // pg_backup_archiver.c, ReadToc:
    //   te->dumpId = ReadInt(AH); … if (te->dumpId <= 0) pg_fatal("entry ID %d out of range -- perhaps a corrupt TOC", te->dumpId);
    @Test("ReadToc: dump IDs must be positive")
    func dumpIDRange() throws {
        try check(Self.archive(.v1_12).build(), .accepts())
        for id: Int32 in [0, -5] {
            var builder = Self.archive(.v1_12)
            builder.entries[0].entry.dumpID = id
            try check(builder.build(), .refuses("entry ID \(id) out of range -- perhaps a corrupt TOC"))
        }
        // 1.0 has no sign byte: -5 is stored in two's complement.
        var old = Self.archive(ArchiveVersion(1, 0), data: nil)
        old.entries[0].entry.dumpID = -5
        #expect(old.encodedInt(-5) == [0xFB, 0xFF, 0xFF, 0xFF])
        try check(old.build(), .refuses("entry ID -5 out of range -- perhaps a corrupt TOC"))
    }

    // pg_backup_archiver.c, ReadInt:
    //   if (AH->version > K_VERS_1_0) sign = AH->ReadBytePtr(AH);
    //   for (b = 0; b < AH->intSize; b++) { bv = AH->ReadBytePtr(AH) & 0xFF; if (bv != 0) res = res + (bv << bitShift); bitShift += 8; }
    //   if (sign) res = -res;
    // Any sign byte but 0 is negative; the magnitude is summed into an int, so 0xFFFFFFFF with a plus sign is -1
    // (a NULL string for ReadStr) and 0x80000000 is INT_MIN.
    @Test("ReadInt: sign byte and magnitude")
    func readInt() throws {
        let note = TOCEntry(dumpID: 9, tag: "note", desc: "COMMENT", section: .none, defn: "@@@@", owner: "alice")
        let builder = ArchiveBuilder(version: .v1_12, entries: [(Self.table, nil), (note, nil)])
        let marker = builder.encodedString("@@@@")
        // Sign byte 7, magnitude 1: -1, a NULL definition.
        let signSeven = try Self.replacing(marker, with: [7, 1, 0, 0, 0], in: builder.build())
        let reader = try Archive.open(source: MemoryByteSource(signSeven, name: "sign.dump"))
        #expect(reader.entries[1].defn == nil)
        // Without a definition the comment has nothing to restore and is not listed.
        try check(signSeven, .list(), .accepts(showing: ["3; 1259 16386 TABLE - items alice\n"]))
        try check(signSeven, .script(), .accepts())
        // A plus sign and magnitude 0xFFFFFFFF: the int wraps to -1, a NULL definition again.
        let wrapped = try Self.replacing(marker, with: [0, 0xFF, 0xFF, 0xFF, 0xFF], in: builder.build())
        try check(
            wrapped, .accepts(showing: ["3; 1259 16386 TABLE - items alice\n"]),
            knownIssue: "IntegerLayout.decodeInt refuses magnitudes above Int32.max (\"integer for TOC entry 9 is out of range\"); pg_restore 18's ReadInt wraps them")
        // A dump ID of 0x80000000 wraps to INT_MIN and fails the dump ID check.
        let idOffset = ArchiveBuilder.headerLength(version: .v1_12) + Self.intWidth(builder)
        let minimum = Self.patched(builder.build(), at: idOffset, with: [0, 0, 0, 0, 0x80])
        try check(
            minimum, .refuses("entry ID -2147483648 out of range -- perhaps a corrupt TOC"),
            knownIssue: "IntegerLayout.decodeInt refuses the magnitude (\"integer for the dump ID of TOC entry 1 is out of range\") before the dump ID check pg_restore 18 fails")
    }

    /// Entries with every field a version gate controls.
    static let schema = TOCEntry(
        dumpID: 2, tableOIDText: "2615", oidText: "16385", tag: "app", desc: "SCHEMA", section: .preData,
        defn: "CREATE SCHEMA app;\n", dropStmt: "DROP SCHEMA app;\n", owner: "alice")
    static let appTable = TOCEntry(
        dumpID: 3, tableOIDText: "1259", oidText: "16386", tag: "items", desc: "TABLE", section: .preData,
        defn: "CREATE TABLE app.items (id integer);\n", dropStmt: "DROP TABLE app.items;\n", namespace: "app",
        tablespace: "fast", tableam: "heap", relkind: 112, owner: "alice", dependencies: [2])
    static let appData = TOCEntry(
        dumpID: 4, hadDumper: true, tableOIDText: "0", oidText: "16386", tag: "items", desc: "TABLE DATA",
        section: .data, copyStmt: "COPY app.items (id) FROM stdin;\n", namespace: "app", owner: "alice",
        dependencies: [3])
    static let appIndex = TOCEntry(
        dumpID: 5, tableOIDText: "1259", oidText: "16390", tag: "items_idx", desc: "INDEX", section: .postData,
        defn: "CREATE INDEX items_idx ON app.items (id);\n", dropStmt: "DROP INDEX app.items_idx;\n",
        namespace: "app", tablespace: "fast", owner: "alice", dependencies: [3])

    static func gateArchive(_ version: ArchiveVersion, layout: ArchiveVersion? = nil) -> [UInt8] {
        var builder = ArchiveBuilder(
            version: version, entries: [(schema, nil), (appTable, nil), (appData, rows), (appIndex, nil)])
        builder.tocVersion = layout
        return builder.build()
    }

    /// Reads the gate's version and the one before it: the field is read exactly from the gate (`isRead` says
    /// whether it was, from the entries), and `list -v` and `-f - -v` match pg_restore 18. Then an archive whose
    /// header says one version and whose TOC is laid out for the other must meet the same fate in both (listed
    /// without -v: a dependency read from a string that is not a number is uninitialized memory in pg_restore,
    /// whose `sscanf(tmp, "%d", &deps[depIdx])` assigns nothing).
    func checkGate(
        _ gate: ArchiveVersion, isRead: ([TOCEntry]) -> Bool, mismatched: (header: ArchiveVersion, layout: ArchiveVersion),
        expect expected: Expectation, knownIssue: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = ArchiveVersion(gate.major, gate.minor - 1)
        for version in [before, gate] {
            let bytes = Self.gateArchive(version)
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "v\(version).dump"))
            #expect(isRead(reader.entries) == (version >= gate), "\(version)", sourceLocation: sourceLocation)
            let warnings = Self.oidWarnings(version)
            try check(bytes, .list(verbose: true), .accepts(warnings: warnings), undated: version < .v1_4,
                      sourceLocation: sourceLocation)
            try check(bytes, .script(verbose: true), .accepts(warnings: warnings, showing: ["1\n2\n\\.\n"]),
                      undated: version < .v1_4, sourceLocation: sourceLocation)
        }
        try check(
            Self.gateArchive(mismatched.header, layout: mismatched.layout), .list(), expected,
            undated: mismatched.header < .v1_4, knownIssue: knownIssue, sourceLocation: sourceLocation)
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_3) te->copyStmt = ReadStr(AH);
    @Test("ReadToc: copyStmt from 1.3")
    func copyStatementGate() throws {
        try checkGate(
            .v1_3, isRead: { $0[2].copyStmt != nil }, mismatched: (.v1_3, .v1_2),
            expect: .refuses("entry ID 0 out of range -- perhaps a corrupt TOC"))
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_5) { for (;;) { tmp = ReadStr(AH); if (!tmp) break; sscanf(tmp, "%d", &deps[depIdx]); … } }
    @Test("ReadToc: dependencies from 1.5")
    func dependenciesGate() throws {
        try checkGate(
            .v1_5, isRead: { $0[2].dependencies == [3] }, mismatched: (.v1_4, .v1_5),
            expect: .refuses("entry ID 0 out of range -- perhaps a corrupt TOC"))
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_6) te->namespace = ReadStr(AH);
    @Test("ReadToc: namespace from 1.6")
    func namespaceGate() throws {
        try checkGate(
            .v1_6, isRead: { $0[1].namespace == "app" }, mismatched: (.v1_5, .v1_6),
            expect: .accepts(warnings: [Self.withOidsWarning]))
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_8) { tmp = ReadStr(AH); sscanf(tmp, "%u", &te->catalogId.tableoid); } else te->catalogId.tableoid = InvalidOid;
    @Test("ReadToc: tableoid from 1.8")
    func tableOIDGate() throws {
        try checkGate(
            .v1_8, isRead: { $0[1].tableOID == 1259 }, mismatched: (.v1_8, .v1_7),
            expect: .refuses("unexpected data offset flag 54"))
    }

    // pg_backup_archiver.c, ReadToc: is_supported = true; if (AH->version < K_VERS_1_9) is_supported = false;
    //   else { tmp = ReadStr(AH); if (strcmp(tmp, "true") == 0) is_supported = false; … }
    //   if (!is_supported) pg_log_warning("restoring tables WITH OIDS is not supported anymore");
    @Test("ReadToc: withOids from 1.9, and the warning")
    func withOidsGate() throws {
        try checkGate(
            .v1_9, isRead: { $0[1].withOids != nil }, mismatched: (.v1_8, .v1_9),
            expect: .accepts(warnings: [Self.withOidsWarning]))
        var withOids = Self.archive(.v1_9)
        withOids.entries[0].entry.withOids = "true"
        try check(withOids.build(), .accepts(warnings: [Self.withOidsWarning]))
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_10) te->tablespace = ReadStr(AH);
    @Test("ReadToc: tablespace from 1.10")
    func tablespaceGate() throws {
        try checkGate(
            .v1_10, isRead: { $0[1].tablespace == "fast" }, mismatched: (.v1_9, .v1_10),
            expect: .accepts())
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_11) te->section = ReadInt(AH);
    //   else { "Rules for pre-8.4 archives": COMMENT, ACL, ACL LANGUAGE → SECTION_NONE; TABLE DATA, BLOBS,
    //   BLOB COMMENTS → SECTION_DATA; CONSTRAINT, CHECK CONSTRAINT, FK CONSTRAINT, INDEX, RULE, TRIGGER →
    //   SECTION_POST_DATA; anything else → SECTION_PRE_DATA }
    @Test("ReadToc: section from 1.11, inferred from the type before")
    func sectionGate() throws {
        try checkGate(
            .v1_11, isRead: { $0[3].sectionIsStored }, mismatched: (.v1_10, .v1_11),
            expect: .refuses("could not read from input file: end of file"), knownIssue: Self.truncationIssue)
        let kinds: [(String, Section)] = [
            ("COMMENT", .none), ("ACL", .none), ("ACL LANGUAGE", .none), ("TABLE DATA", .data), ("BLOBS", .data),
            ("BLOB COMMENTS", .data), ("CONSTRAINT", .postData), ("CHECK CONSTRAINT", .postData),
            ("FK CONSTRAINT", .postData), ("INDEX", .postData), ("RULE", .postData), ("TRIGGER", .postData),
            ("SEQUENCE SET", .preData), ("TABLE", .preData),
        ]
        let entries: [(TOCEntry, [UInt8]?)] = kinds.enumerated().map { index, kind in
            // Stored as the opposite of what the type implies, to see which one wins.
            (TOCEntry(
                dumpID: Int32(index + 1), tag: ArchiveText("o\(index)"), desc: ArchiveText(kind.0),
                section: kind.1 == .preData ? .postData : .preData,
                defn: ArchiveText("-- \(kind.0) \(index);\n"), owner: "alice"), nil)
        }
        for version in [ArchiveVersion(1, 10), .v1_11] {
            let bytes = ArchiveBuilder(version: version, entries: entries).build()
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "sections.dump"))
            let expected = version < .v1_11 ? kinds.map(\.1) : kinds.map { $0.1 == .preData ? .postData : .preData }
            #expect(reader.entries.map(\.section) == expected, "\(version)")
            for section in ["pre-data", "data", "post-data"] {
                try check(bytes, .script(sections: [section]), .accepts())
            }
        }
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_14) te->tableam = ReadStr(AH);
    @Test("ReadToc: tableam from 1.14")
    func tableAccessMethodGate() throws {
        try checkGate(
            ArchiveVersion(1, 14), isRead: { $0[1].tableam == "heap" }, mismatched: (ArchiveVersion(1, 13), ArchiveVersion(1, 14)),
            expect: .accepts())
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_16) te->relkind = ReadInt(AH);
    @Test("ReadToc: relkind from 1.16")
    func relkindGate() throws {
        try checkGate(
            .v1_16, isRead: { $0[1].relkind == 112 }, mismatched: (.v1_16, .v1_15),
            expect: .accepts())
    }

    // MARK: - _ReadExtraToc and ReadOffset (custom format)

    // pg_backup_custom.c, _ReadExtraToc: ctx->dataState = ReadOffset(AH, &(ctx->dataPos));
    // pg_backup_archiver.c, ReadOffset (1.7+): offsetFlg = AH->ReadBytePtr(AH) & 0xFF;
    //   switch (offsetFlg) { case K_OFFSET_POS_NOT_SET: case K_OFFSET_NO_DATA: case K_OFFSET_POS_SET: break;
    //   default: pg_fatal("unexpected data offset flag %d", offsetFlg); }
    //   for (off = 0; off < AH->offSize; off++) { if (off < sizeof(pgoff_t)) *o |= … << (off * 8);
    //   else if (AH->ReadBytePtr(AH) != 0) pg_fatal("file offset in dump file is too large"); }
    // pg_backup_custom.c, _PrintTocData: if (tctx->dataState == K_OFFSET_NO_DATA) return;
    //   if (!ctx->hasSeek || tctx->dataState == K_OFFSET_POS_NOT_SET) { scan the blocks } else fseeko(dataPos).
    @Test("ReadOffset: the custom format's offset flags (1.7+)")
    func offsetFlags() throws {
        let builder = Self.archive(.v1_12)
        let bytes = builder.build()
        try check(bytes, .script(), .accepts(showing: ["1\n2\n\\.\n"]))
        var notSet = builder
        notSet.recordsOffsets = false
        let reader = try Archive.open(source: MemoryByteSource(notSet.build(), name: "notset.dump"))
        #expect(reader.entries[1].dataLocation == .offsetNotSet)
        var sink = CollectingSink()
        try reader.streamData(of: reader.entries[1], into: &sink)
        #expect(sink.bytes == Self.rows)
        try check(notSet.build(), .script(), .accepts(showing: ["1\n2\n\\.\n"]))
        // The data entry is the last in the TOC: its flag is offSize + 1 bytes before the TOC's end.
        let flagOffset = Self.tocEnd(of: builder) - 9
        #expect(bytes[flagOffset] == 2)
        for flag: UInt8 in [0, 4, 255] {
            try check(Self.patched(bytes, at: flagOffset, with: [flag]), .refuses("unexpected data offset flag \(flag)"))
        }
        // A 9-byte offset whose ninth byte is not zero.
        var wide = builder
        wide.header.offSize = 9
        let wideBytes = wide.build()
        try check(wideBytes, .script(), .accepts(showing: ["1\n2\n\\.\n"]))
        try check(
            Self.patched(wideBytes, at: Self.tocEnd(of: wide) - 1, with: [1]),
            .refuses("file offset in dump file is too large"))
        // An offset with the top bit set is a negative pgoff_t: nothing checks it until the data is sought.
        try check(
            Self.patched(bytes, at: flagOffset + 8, with: [0x80]), .list(), .accepts(),
            knownIssue: "readPGOffset refuses an offset above Int64.max when reading the TOC (\"file offset in dump file is too large\"); pg_restore 18 lists the archive")
        // K_OFFSET_NO_DATA on an entry that had a dumper: the data is silently empty.
        let noData = Self.archive(.v1_12, data: nil).build()
        try check(
            noData, .script(), .accepts(showing: ["COPY items (id) FROM stdin;\n--\n-- PostgreSQL database dump complete\n"]),
            knownIssue: "CustomArchiveReader.readHeaderOfBlock throws \"entry has no data\" for an entry with hadDumper and K_OFFSET_NO_DATA; pg_restore 18's _PrintTocData returns, leaving the COPY statement with no data")
    }

    // pg_backup_archiver.c, ReadOffset: if (AH->version < K_VERS_1_7) { i = ReadInt(AH);
    //   if (i < 0) return K_OFFSET_POS_NOT_SET; else if (i == 0) return K_OFFSET_NO_DATA; *o = i; return K_OFFSET_POS_SET; }
    // pg_backup_custom.c, _ReadExtraToc: if (AH->version < K_VERS_1_7) ReadInt(AH);  (the unused data length)
    @Test("ReadOffset: offsets before 1.7 are integers, followed by a length")
    func offsetsBefore1_7() throws {
        let builder = Self.archive(ArchiveVersion(1, 6))
        let reader = try Archive.open(source: MemoryByteSource(builder.build(), name: "v1.6.dump"))
        #expect(reader.entries[1].dataLocation == .offset(Int64(Self.tocEnd(of: builder))))
        try check(builder.build(), .script(), .accepts(warnings: [Self.withOidsWarning], showing: ["1\n2\n\\.\n"]))
        var notSet = builder
        notSet.recordsOffsets = false
        let bytes = notSet.build()
        let width = Self.intWidth(builder)
        #expect(Array(bytes[(Self.tocEnd(of: builder) - 2 * width)...].prefix(width)) == builder.encodedInt(-1))
        try check(bytes, .script(), .accepts(warnings: [Self.withOidsWarning], showing: ["1\n2\n\\.\n"]))
        try check(
            Self.archive(ArchiveVersion(1, 6), data: nil).build(), .script(),
            .accepts(warnings: [Self.withOidsWarning], showing: ["COPY items (id) FROM stdin;\n--\n"]),
            knownIssue: "CustomArchiveReader.readHeaderOfBlock throws \"entry has no data\" for an entry with hadDumper and offset 0 (K_OFFSET_NO_DATA); pg_restore 18 writes the COPY statement with no data")
    }

    // MARK: - Data blocks (pg_backup_custom.c)

    // pg_backup_custom.c, _readBlockHeader: if (AH->version < K_VERS_1_3) *type = BLK_DATA;
    //   else { byt = getc(AH->FH); *type = byt; if (byt == EOF) { *id = 0; return; } } *id = ReadInt(AH);
    // _PrintTocData, scanning: if (blkType == EOF || id == te->dumpId) break; … switch (blkType) { case BLK_DATA:
    //   _skipData; case BLK_BLOBS: _skipLOs; default: pg_fatal("unrecognized data block type (%d) while searching archive", blkType); }
    //   if (blkType == EOF) pg_fatal("could not find block ID %d in archive -- possibly corrupt archive", te->dumpId);
    //   if (id != te->dumpId) pg_fatal("found unexpected block ID (%d) when reading data -- expected %d", id, te->dumpId);
    //   switch (blkType) { case BLK_DATA: _PrintData; case BLK_BLOBS: _LoadLOs;
    //   default: pg_fatal("unrecognized data block type %d while restoring archive", blkType); }
    // pg_backup_archiver.h: #define BLK_DATA 1, #define BLK_BLOBS 3.
    @Test("_readBlockHeader: block type byte from 1.3, block IDs")
    func dataBlockHeaders() throws {
        for version in [ArchiveVersion(1, 2), .v1_3] {
            for recorded in [true, false] {
                var builder = Self.archive(version)
                builder.recordsOffsets = recorded
                try check(builder.build(), .script(), .accepts(warnings: [Self.withOidsWarning], showing: ["1\n2\n\\.\n"]),
                          undated: true)
            }
        }
        let builder = Self.archive(.v1_12)
        let blockStart = Self.tocEnd(of: builder)
        var scanning = builder
        scanning.recordsOffsets = false
        for (name, bytes) in [("seeking", builder.build()), ("scanning", scanning.build())] {
            #expect(bytes[blockStart] == 1, "\(name)")
            try check(
                Self.patched(bytes, at: blockStart, with: [2]), .script(),
                .refuses("unrecognized data block type 2 while restoring archive"),
                knownIssue: name == "seeking"
                    ? "CustomArchiveReader.readHeaderOfBlock says \"unrecognized data block type\" without the number"
                    : "CustomArchiveReader.readHeaderOfBlock, scanning, says \"unrecognized data block type while searching archive\" for the wanted block itself; pg_restore 18 compares the ID first and says \"unrecognized data block type 2 while restoring archive\"")
        }
        try check(
            Self.patched(builder.build(), at: blockStart + 2, with: [9]), .script(),
            .refuses("found unexpected block ID (9) when reading data -- expected 4"))
        try check(
            Self.patched(scanning.build(), at: blockStart + 2, with: [9]), .script(),
            .refuses("could not find block ID 4 in archive -- possibly corrupt archive"))
        // Scanning past another entry's block of an unknown type.
        let other = TOCEntry(
            dumpID: 7, hadDumper: true, tableOIDText: "0", oidText: "16390", tag: "more", desc: "TABLE DATA",
            section: .data, copyStmt: "COPY more (id) FROM stdin;\n", owner: "alice")
        var two = ArchiveBuilder(
            version: .v1_12, entries: [(Self.table, nil), (other, Self.rows), (Self.tableData, Self.rows)])
        two.recordsOffsets = false
        var foreign = two.build()
        let firstBlock = Self.tocEnd(of: two)
        foreign[firstBlock] = 2
        foreign[firstBlock + 2] = 99  // no entry has this ID
        try check(
            foreign, .script(), .refuses("unrecognized data block type (2) while searching archive"),
            knownIssue: "CustomArchiveReader.readHeaderOfBlock says \"unrecognized data block type while searching archive\" without \"(2)\"")
    }

    // pg_backup_archiver.c, StartRestoreLO: bool old_lo_style = (AH->version < K_VERS_1_12);
    //   if (old_lo_style && drop) DropLOIfExists(AH, oid);
    //   if (old_lo_style) ahprintf(AH, "SELECT pg_catalog.lo_open(pg_catalog.lo_create('%u'), %d);\n", oid, INV_WRITE);
    //   else ahprintf(AH, "SELECT pg_catalog.lo_open('%u', %d);\n", oid, INV_WRITE);
    // pg_backup_custom.c, _LoadLOs: oid = ReadInt(AH); while (oid != 0) { StartRestoreLO; _PrintData; EndRestoreLO; oid = ReadInt(AH); }
    // Before 1.3 there is no block type: a BLOBS block is read as BLK_DATA, its first OID as a chunk length.
    @Test("Large objects before 1.12 are created by the BLOBS data itself")
    func largeObjectsBefore1_12() throws {
        let objects: [(oid: UInt32, bytes: [UInt8])] = [(16401, Array("hello".utf8)), (16402, []), (16403, [0, 1, 0x27, 0x5C, 0x78])]
        let blobs = TOCEntry(
            dumpID: 6, hadDumper: true, tableOIDText: "0", oidText: "0", tag: "BLOBS", desc: "BLOBS", section: .data,
            owner: "alice")
        for version in [ArchiveVersion.v1_3, .v1_4, ArchiveVersion(1, 10), .v1_11] {
            var builder = ArchiveBuilder(version: version, entries: [(Self.table, nil), (blobs, nil)])
            builder.largeObjects = [6: objects]
            let reader = try Archive.open(source: MemoryByteSource(builder.build(), name: "lo.dump"))
            #expect(reader.entries[1].section == .data)
            var sink = CollectingSink()
            try reader.streamData(of: reader.entries[1], into: &sink)
            #expect(sink.largeObjects.map(\.oid) == objects.map(\.oid), "\(version)")
            #expect(sink.largeObjects.map(\.bytes) == objects.map(\.bytes), "\(version)")
            let warnings = Self.oidWarnings(version)
            try check(
                builder.build(), .script(),
                .accepts(warnings: warnings, showing: [
                    "SELECT pg_catalog.lo_open(pg_catalog.lo_create('16401'), 131072);\nSELECT pg_catalog.lowrite(0, '\\\\x68656c6c6f');\nSELECT pg_catalog.lo_close(0);\n",
                    "SELECT pg_catalog.lo_open(pg_catalog.lo_create('16402'), 131072);\nSELECT pg_catalog.lo_close(0);\n",
                ]), undated: version < .v1_4)
            try check(
                builder.build(), .script(clean: true),
                .accepts(warnings: warnings, showing: [
                    "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '16403';\nSELECT pg_catalog.lo_open(pg_catalog.lo_create('16403'), 131072);\n",
                ]), undated: version < .v1_4)
            builder.recordsOffsets = false
            try check(builder.build(), .script(), .accepts(warnings: warnings), undated: version < .v1_4)
        }
        // 1.12: a BLOB entry creates each object; the data only opens it.
        let blob = TOCEntry(
            dumpID: 5, tableOIDText: "2613", oidText: "16401", tag: "16401", desc: "BLOB", section: .preData,
            defn: "SELECT pg_catalog.lo_create('16401');\n", dropStmt: "SELECT pg_catalog.lo_unlink('16401');\n",
            owner: "alice")
        var current = ArchiveBuilder(version: .v1_12, entries: [(Self.table, nil), (blob, nil), (blobs, nil)])
        current.largeObjects = [6: [objects[0]]]
        try check(current.build(), .script(), .accepts(showing: ["SELECT pg_catalog.lo_open('16401', 131072);\n"]))
        // 1.2: no block type byte, so the BLOBS block is read as table data.
        var tooOld = ArchiveBuilder(version: ArchiveVersion(1, 2), entries: [(Self.table, nil), (blobs, nil)])
        tooOld.largeObjects = [6: objects]
        try check(
            tooOld.build(), .script(), .refuses("could not read from input file: end of file"), undated: true,
            knownIssue: Self.truncationIssue)
    }
}
