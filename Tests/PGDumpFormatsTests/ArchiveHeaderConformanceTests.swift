import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Each check pg_restore 18 makes while reading a custom archive's header, TOC and data block headers, with
/// archives crafted byte by byte for the versions no installed pg_dump writes (1.0–1.12) as well as newer ones: one
/// archive that passes the check and, where it can fail, one that fails it.
///
/// What pg_restore 18 does is written down here from its source (`pg_backup_archiver.c`, `pg_backup_archiver.h`,
/// `pg_backup_custom.c`), so that the tests run without it, and pgdumpkit must do the same: accept (with the same
/// warnings) or refuse (with pg's words in its message). Where the real pg_restore 18 is installed
/// (`Fixtures.pgRestore(major: "18")`), it runs on the same bytes and must do what is written down as well: exit 0
/// with those warnings, or exit non-zero with exactly that error; and when both accept, `pg_restore -l` or
/// `pg_restore -f -` must print what pgdumpkit prints.
///
/// Where pgdumpkit is known to do otherwise, its half of the check runs inside `withKnownIssue`, which says what
/// differs (`KnownIssue`). When pgdumpkit is changed to agree, that test fails until the known issue is removed.
@Suite struct ArchiveHeaderConformanceTests {
    init() { TimeZoneSetting.useUTC() }

    // MARK: - Known disagreements

    /// How pgdumpkit differs from pg_restore 18, each where a test shows it.
    enum KnownIssue {
        static let signedVersionMessage = """
            HeaderReader.read prints the version bytes unsigned, "(1.200)", where pg_restore 18 prints the signed \
            chars it reads them into, "(1.-56)"
            """
        static let signedRevision = """
            HeaderReader.read reads the revision byte unsigned; pg_restore 18 reads it into a signed char, so that a \
            revision of 128 or more lowers the version (1.16-255 is 1.15-255, with 1.15's layout)
            """
        static let zeroIntegerSize = """
            HeaderReader.read refuses an integer size of 0 ("integer size 0 in file header"); pg_restore 18 reads \
            every integer as 0, so the TOC is empty
            """
        static let zeroOffsetSize = """
            HeaderReader.read refuses an offset size of 0 ("offset size 0 in file header"); pg_restore 18 reads the \
            flag byte alone
            """
        static let unknownCompression = """
            HeaderReader.read refuses an unknown compression algorithm at once ("unknown compression algorithm 99 \
            in file header"); pg_restore 18 warns, lists it as ???, and refuses only to restore data
            """
        static let endOfFile = """
            pgdumpkit says what it was reading ("unexpected end of file while reading …", "… exceeds the N bytes \
            left in the file") where pg_restore 18 says "could not read from input file: end of file"
            """
        static let stringLimit = """
            pgdumpkit refuses a string longer than ArchiveLimits.maxStringBytes before reading it ("length … exceeds \
            the limit of 268435456 bytes"); pg_restore 18 tries to read it and says "could not read from input \
            file: end of file"
            """
        static let negativeCount = """
            TOCReader.read refuses a negative entry count ("negative TOC entry count -1"); pg_restore 18 reads no \
            entry and lists "TOC Entries: -1"
            """
        static let wrappingMagnitude = """
            PrimitiveDecoder.int refuses a magnitude above Int32.max ("integer for TOC entry 9 is out of \
            range"); pg_restore 18's ReadInt sums it into an int, so that 0xFFFFFFFF with a plus sign is -1
            """
        static let wrappingDumpID = """
            PrimitiveDecoder.int refuses the magnitude 0x80000000 ("integer for the dump ID of TOC entry 1 is \
            out of range") where pg_restore 18 reads INT_MIN and fails the dump ID check
            """
        static let negativeOffset = """
            readPGOffset refuses an offset above Int64.max while reading the TOC ("file offset in dump file is too \
            large"); pg_restore 18 reads a negative pgoff_t and lists the archive
            """
        static let noDataWithDumper = """
            CustomArchiveReader.readHeaderOfBlock throws "entry has no data" for an entry with hadDumper whose \
            offset is K_OFFSET_NO_DATA; pg_restore 18's _PrintTocData returns at once, leaving the COPY statement \
            with no data
            """
    }

    // MARK: - Archives

    static let table = TOCEntry(
        dumpID: 3, tableOIDText: "1259", oidText: "16386", tag: "items", desc: "TABLE", section: .preData,
        defn: "CREATE TABLE items (id integer);\n", dropStmt: "DROP TABLE items;\n", tablespace: "", tableam: "heap",
        relkind: 114, owner: "alice")
    static let tableData = TOCEntry(
        dumpID: 4, hadDumper: true, tableOIDText: "0", oidText: "16386", tag: "items", desc: "TABLE DATA",
        section: .data, copyStmt: "COPY items (id) FROM stdin;\n", owner: "alice", dependencies: [3])
    static let rows = Array("1\n2\n\\.\n\n\n".utf8)
    static let copied = "1\n2\n\\.\n"

    /// A table and its data: raw, for 1.2+ archives (whose header says no compression), unless given.
    static func archive(_ version: ArchiveVersion, data: [UInt8]? = rows) -> ArchiveBuilder {
        ArchiveBuilder(version: version, entries: [(table, nil), (tableData, data)])
    }

    static let withOidsWarning = "restoring tables WITH OIDS is not supported anymore"
    static let largerIntegersWarning =
        "archive was made on a machine with larger integers, some operations might fail"

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

    /// Where the TOC ends and the data blocks begin: a TOC's length does not depend on its offsets' values.
    static func tocEnd(of builder: ArchiveBuilder) -> Int {
        var copy = builder
        copy.entries = copy.entries.map { (entry: $0.entry, data: nil) }
        copy.largeObjects = [:]
        return copy.build().count
    }

    /// The width of a stored integer: the sign byte (after 1.0) and the magnitude.
    static func intWidth(_ builder: ArchiveBuilder) -> Int { builder.encodedInt(0).count }

    /// Whether C's `char` is signed here, as on x86-64 and Apple arm64 (not Linux arm64): ReadHead reads the
    /// version bytes into `char` variables, so there a byte of 128 or more is negative.
    static let charIsSigned = CChar.isSigned

    // MARK: - Running both programs

    /// What pg_restore 18 does with an archive, from its source.
    struct Expectation: CustomStringConvertible {
        var accepted: Bool
        /// The error pg_restore prints, without `pg_restore: error: `.
        var error: String?
        /// Its warnings, without `pg_restore: warning: `, each once.
        var warnings: Set<String> = []
        /// Text the listing or script contains.
        var showing: [String] = []

        static func accepts(warnings: [String] = [], showing: [String] = []) -> Expectation {
            Expectation(accepted: true, error: nil, warnings: Set(warnings), showing: showing)
        }

        static func refuses(_ message: String) -> Expectation {
            Expectation(accepted: false, error: message)
        }

        var description: String { accepted ? "accepted" : "refused: \(error ?? "")" }
    }

    /// What both programs are asked to do.
    enum Run {
        /// `pg_restore -l`; `Archive.open` and `ListPrinter.render`.
        case list(verbose: Bool = false)
        /// `pg_restore -f -`; `Archive.open` and `RestorePlan.renderScript`, which reads data with `streamData`.
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
        return PgRestoreResult(
            status: result.status, output: result.standardOutput, errors: errors, warnings: warnings)
    }

    /// The output without the lines that show when it ran: `-- Completed on` (-v), and for archives before 1.4,
    /// which store no creation time, the one pg_restore makes up (`time(NULL)` in `_allocAH`).
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
        return (0...(output.count - needle.count)).contains {
            output[$0..<($0 + needle.count)].elementsEqual(needle)
        }
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
                #expect(
                    theirs.warnings == expected.warnings, "pg_restore 18's warnings", sourceLocation: sourceLocation)
                for text in expected.showing {
                    let shown = Self.contains(theirs.output, text)
                    #expect(
                        shown, "pg_restore 18 did not print \(text.debugDescription)", sourceLocation: sourceLocation)
                }
            } else {
                #expect(
                    theirs.status != 0, "pg_restore 18 accepted, expected \(expected)", sourceLocation: sourceLocation)
                #expect(
                    theirs.errors == [expected.error ?? ""], "pg_restore 18's error", sourceLocation: sourceLocation)
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
                    #expect(shown, "pgdumpkit did not print \(text.debugDescription)", sourceLocation: sourceLocation)
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
                    error.message.contains(message),
                    "pgdumpkit said \"\(error.message)\"; pg_restore 18 says \"\(message)\"",
                    sourceLocation: sourceLocation)
            }
        }
        if let knownIssue {
            withKnownIssue(Comment(rawValue: knownIssue), sourceLocation: sourceLocation) { compare() }
        } else {
            compare()
        }
    }

    // MARK: - ReadHead (pg_backup_archiver.c)

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->version < K_VERS_1_0 || AH->version > K_VERS_MAX)
    //       pg_fatal("unsupported version (%d.%d) in file header", vmaj, vmin);
    // pg_backup_archiver.h: K_VERS_MAX is MAKE_ARCHIVE_VERSION(K_VERS_MAJOR, K_VERS_MINOR, 255), 1.16-255.
    // vmaj and vmin are `char`: where it is signed, %d prints a minor version of 200 as -56, and since -56 is not
    // above 0 no revision byte is read (`if (vmaj > 1 || (vmaj == 1 && vmin > 0)) vrev = AH->ReadBytePtr(AH)`).
    @Test("ReadHead: versions below 1.0 or above 1.16 are unsupported")
    func unsupportedVersion() throws {
        try check(
            Self.archive(ArchiveVersion(1, 0), data: try Self.zlib(Self.rows)).build(),
            .accepts(warnings: [Self.withOidsWarning], showing: [";     Dump Version: 1.0-0\n"]), undated: true)
        try check(Self.archive(.v1_16).build(), .accepts(showing: [";     Dump Version: 1.16-0\n"]))
        try check(
            Self.archive(ArchiveVersion(1, 16, 127)).build(), .accepts(showing: [";     Dump Version: 1.16-127\n"]))
        try check(Self.archive(ArchiveVersion(0, 9)).build(), .refuses("unsupported version (0.9) in file header"))
        try check(Self.archive(ArchiveVersion(1, 17)).build(), .refuses("unsupported version (1.17) in file header"))
        try check(Self.archive(ArchiveVersion(2, 0)).build(), .refuses("unsupported version (2.0) in file header"))
        try check(
            Self.archive(ArchiveVersion(1, 200)).build(),
            .refuses("unsupported version (1.\(Self.charIsSigned ? "-56" : "200")) in file header"),
            knownIssue: Self.charIsSigned ? KnownIssue.signedVersionMessage : nil)
    }

    // pg_backup_archiver.c, ReadHead: `char vmaj, vmin, vrev;` …
    //   AH->version = MAKE_ARCHIVE_VERSION(vmaj, vmin, vrev);
    // Where char is signed, a revision of 128 or more is negative and takes one off the minor version: the bytes
    // 1.16-255 are version 1.15-255 and 1.7-128 is 1.6-128, and every K_VERS_* gate follows (no relkind in the
    // TOC, no offset size in the header).
    @Test("ReadHead: the version bytes are C chars, so a revision of 128 or more lowers the version")
    func versionBytesAreChars() throws {
        var laidOutAs1_15 = Self.archive(ArchiveVersion(1, 15, 255)).build()
        laidOutAs1_15[6] = 16
        try check(
            laidOutAs1_15,
            Self.charIsSigned
                ? .accepts(showing: [";     Dump Version: 1.15-255\n", "3; 1259 16386 TABLE - items alice\n"])
                : .accepts(showing: [";     Dump Version: 1.16-255\n"]),
            knownIssue: Self.charIsSigned ? KnownIssue.signedRevision : nil)
        var laidOutAs1_6 = Self.archive(ArchiveVersion(1, 6, 128)).build()
        laidOutAs1_6[6] = 7
        try check(
            laidOutAs1_6,
            Self.charIsSigned
                ? .accepts(warnings: [Self.withOidsWarning], showing: [";     Dump Version: 1.6-128\n"])
                : .refuses("expected format (1) differs from format found in file (0)"),
            knownIssue: Self.charIsSigned ? KnownIssue.signedRevision : nil)
    }

    // pg_backup_archiver.h has no K_VERS_1_1: a 1.1 archive passes ReadHead's range check and every gate reads it
    // as 1.0 but the two that test `> K_VERS_1_0`: ReadHead reads a revision byte
    // (`if (vmaj > 1 || (vmaj == 1 && vmin > 0))`) and ReadInt a sign byte (`if (AH->version > K_VERS_1_0)`).
    // Before K_VERS_1_2, ReadHead reads no compression and sets PG_COMPRESSION_GZIP.
    @Test("ReadHead: 1.0 and 1.1 archives are accepted, their data zlib-compressed")
    func versions1_0And1_1() throws {
        for version in [ArchiveVersion(1, 0), ArchiveVersion(1, 1)] {
            let bytes = Self.archive(version, data: try Self.zlib(Self.rows)).build()
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "v\(version).dump"))
            #expect(reader.header.version == version)
            #expect(reader.header.compression.algorithm == .gzip)
            var sink = CollectingSink()
            try reader.streamData(of: reader.entries[1], into: &sink)
            #expect(sink.bytes == Self.rows)
            let shown = [";     Compression: gzip\n;     Dump Version: \(version)\n"]
            try check(bytes, .list(), .accepts(warnings: [Self.withOidsWarning], showing: shown), undated: true)
            try check(
                bytes, .script(), .accepts(warnings: [Self.withOidsWarning], showing: [Self.copied]), undated: true)
        }
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->intSize > 32) pg_fatal("sanity check on integer size (%lu) failed", (unsigned long) AH->intSize);
    //   if (AH->intSize > sizeof(int))
    //       pg_log_warning("archive was made on a machine with larger integers, some operations might fail");
    // Nothing refuses 0: ReadInt then reads sign bytes only, every integer is 0, and the TOC is empty.
    @Test("ReadHead: integer sizes above 32 are refused, above 4 warned about")
    func integerSize() throws {
        // Every integer of this archive fits in one byte.
        for size: UInt8 in [1, 2, 4, 8, 32] {
            var builder = Self.archive(.v1_12)
            builder.header.intSize = size
            let warnings = size > 4 ? [Self.largerIntegersWarning] : []
            let shown = [";     Integer: \(size) bytes\n"]
            try check(builder.build(), .list(), .accepts(warnings: warnings, showing: shown))
            try check(builder.build(), .script(), .accepts(warnings: warnings, showing: [Self.copied]))
        }
        var tooLarge = Self.archive(.v1_12)
        tooLarge.header.intSize = 33
        try check(tooLarge.build(), .refuses("sanity check on integer size (33) failed"))
        var zero = Self.archive(.v1_12)
        zero.header.intSize = 0
        try check(
            zero.build(), .accepts(showing: [";     TOC Entries: 0\n", ";     Integer: 0 bytes\n"]),
            knownIssue: KnownIssue.zeroIntegerSize)
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->version >= K_VERS_1_7) AH->offSize = AH->ReadBytePtr(AH); else AH->offSize = AH->intSize;
    // ReadOffset then reads offSize bytes after the flag (1.7+); nothing refuses 0. Offsets wider than pgoff_t
    // are in offsetFlags.
    @Test("ReadHead: the offset size is stored from 1.7, the integer size before")
    func offsetSize() throws {
        let oids = [Self.withOidsWarning]
        try check(
            Self.archive(ArchiveVersion(1, 6)).build(), .accepts(warnings: oids, showing: [";     Offset: 4 bytes\n"]))
        var eightByteInts = Self.archive(ArchiveVersion(1, 6))
        eightByteInts.header.intSize = 8
        let warnings = oids + [Self.largerIntegersWarning]
        try check(eightByteInts.build(), .list(), .accepts(warnings: warnings, showing: [";     Offset: 8 bytes\n"]))
        try check(eightByteInts.build(), .script(), .accepts(warnings: warnings, showing: [Self.copied]))
        for size: UInt8 in [4, 8, 16] {
            var builder = Self.archive(.v1_7)
            builder.header.offSize = size
            try check(builder.build(), .list(), .accepts(warnings: oids, showing: [";     Offset: \(size) bytes\n"]))
            try check(builder.build(), .script(), .accepts(warnings: oids, showing: [Self.copied]))
        }
        var zero = ArchiveBuilder(version: .v1_12, entries: [(Self.table, nil)])
        zero.header.offSize = 0
        try check(zero.build(), .accepts(showing: [";     Offset: 0 bytes\n"]), knownIssue: KnownIssue.zeroOffsetSize)
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->format != fmt)
    //       pg_fatal("expected format (%d) differs from format found in file (%d)", AH->format, fmt);
    // pg_backup.h: archCustom is 1 (archTar 3, archDirectory 5).
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
    //       if (AH->version < K_VERS_1_4) AH->compression_spec.level = AH->ReadBytePtr(AH);
    //       else AH->compression_spec.level = ReadInt(AH);
    //       if (AH->compression_spec.level != 0) AH->compression_spec.algorithm = PG_COMPRESSION_GZIP; }
    //   else AH->compression_spec.algorithm = PG_COMPRESSION_GZIP;
    //   errmsg = supports_compression(AH->compression_spec);
    //   if (errmsg) pg_log_warning("archive is compressed, but this installation does not support compression
    //       (%s) -- no data will be available", errmsg);
    // An unknown algorithm is only warned about (compress_io.c, supports_compression: "this build does not
    // support compression with %s", with get_compress_algorithm_name's "???"). RestoreArchive refuses it once an
    // entry's data is to be restored: pg_fatal("cannot restore from compressed archive (%s)", errmsg).
    @Test("ReadHead: the compression field, by version")
    func compressionField() throws {
        let compressed = try Self.zlib(Self.rows)
        let levels: [(ArchiveVersion, Int32, CompressionAlgorithm)] = [
            (.v1_2, 0, .none), (.v1_2, 6, .gzip), (.v1_3, 255, .gzip), (.v1_4, 0, .none), (.v1_4, -1, .gzip),
            (.v1_14, 9, .gzip),
        ]
        for (version, level, algorithm) in levels {
            var builder = Self.archive(version, data: algorithm == .none ? Self.rows : compressed)
            builder.header.compression = CompressionSpec(algorithm: algorithm, storedLevel: level)
            let bytes = builder.build()
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "level.dump"))
            #expect(reader.header.compression.algorithm == algorithm, "\(version) level \(level)")
            var sink = CollectingSink()
            try reader.streamData(of: reader.entries[1], into: &sink)
            #expect(sink.bytes == Self.rows, "\(version) level \(level)")
            let warnings = Self.oidWarnings(version)
            let undated = version < .v1_4
            try check(
                bytes, .list(), .accepts(warnings: warnings, showing: [";     Compression: \(algorithm)\n"]),
                undated: undated)
            try check(bytes, .script(), .accepts(warnings: warnings, showing: [Self.copied]), undated: undated)
        }
        for algorithm in [CompressionAlgorithm.none, .gzip] {
            var builder = Self.archive(.v1_15, data: algorithm == .none ? Self.rows : compressed)
            builder.header.compression = CompressionSpec(algorithm: algorithm)
            try check(builder.build(), .script(), .accepts(showing: [Self.copied]))
        }
        for algorithm in [CompressionAlgorithm.lz4, .zstd] {
            var builder = ArchiveBuilder(version: .v1_15, entries: [(Self.table, nil)])
            builder.header.compression = CompressionSpec(algorithm: algorithm)
            try check(builder.build(), .list(), .accepts(showing: [";     Compression: \(algorithm)\n"]))
        }
        // Algorithm 99, in the byte after the format byte (magic, 3 version bytes, intSize, offSize, format).
        let unsupported = """
            archive is compressed, but this installation does not support compression (this build does not \
            support compression with ???) -- no data will be available
            """
        let unknown = Self.patched(Self.archive(.v1_15).build(), at: 11, with: [99])
        try check(
            unknown, .list(), .accepts(warnings: [unsupported], showing: [";     Compression: ???\n"]),
            knownIssue: KnownIssue.unknownCompression)
        try check(
            unknown, .script(),
            .refuses("cannot restore from compressed archive (this build does not support compression with ???)"),
            knownIssue: KnownIssue.unknownCompression)
        let schemaOnly = Self.patched(
            ArchiveBuilder(version: .v1_15, entries: [(Self.table, nil)]).build(), at: 11, with: [99])
        try check(
            schemaOnly, .script(), .accepts(warnings: [unsupported], showing: ["CREATE TABLE items (id integer);\n"]),
            knownIssue: KnownIssue.unknownCompression)
    }

    // pg_backup_archiver.c, ReadHead: if (AH->version >= K_VERS_1_4) { crtm.tm_sec = ReadInt(AH); … crtm.tm_isdst;
    //   AH->createDate = mktime(&crtm);
    //   if (AH->createDate == (time_t) -1) { crtm.tm_isdst = -1; AH->createDate = mktime(&crtm);
    //       if (AH->createDate == (time_t) -1) pg_log_warning("invalid creation date in header"); } }
    // Before 1.4, _allocAH's `AH->createDate = time(NULL)` stands.
    @Test("ReadHead: the creation date, from 1.4")
    func creationDate() throws {
        try check(
            Self.archive(.v1_4).build(),
            .accepts(warnings: [Self.withOidsWarning], showing: ["; Archive created at 2025-01-02 03:04:05 UTC\n"]))
        let undated = Self.archive(.v1_3).build()
        let reader = try Archive.open(source: MemoryByteSource(undated, name: "v1.3.dump"))
        #expect(reader.header.creationTime == nil)
        try check(undated, .accepts(warnings: [Self.withOidsWarning]), undated: true)
        // tm_isdst = 1 in a zone without DST: the first mktime may fail, the retry does not.
        var summer = Self.archive(.v1_12)
        summer.header.creationTime = CreationTime(
            second: 5, minute: 4, hour: 3, dayOfMonth: 2, month: 6, yearsSince1900: 125, isDST: 1)
        try check(summer.build(), .accepts())
        // A date mktime cannot represent: both attempts fail, and createDate is -1.
        var impossible = Self.archive(.v1_12)
        impossible.header.creationTime = CreationTime(
            second: 5, minute: 4, hour: 3, dayOfMonth: 2, month: .max, yearsSince1900: .max, isDST: 0)
        try check(
            impossible.build(),
            .accepts(
                warnings: ["invalid creation date in header"],
                showing: ["; Archive created at 1969-12-31 23:59:59 UTC\n"]))
    }

    // pg_backup_archiver.c, ReadHead: if (AH->version >= K_VERS_1_4) AH->archdbname = ReadStr(AH);
    // ReadStr: l = ReadInt(AH); if (l < 0) buf = NULL;
    //   else { buf = (char *) pg_malloc(l + 1); AH->ReadBufPtr(AH, (void *) buf, l); buf[l] = '\0'; }
    @Test("ReadHead: the database name, from 1.4")
    func databaseName() throws {
        let oids = [Self.withOidsWarning]
        try check(Self.archive(.v1_4).build(), .accepts(warnings: oids, showing: [";     dbname: olddb\n"]))
        try check(Self.archive(.v1_3).build(), .accepts(warnings: oids, showing: [";     dbname: \n"]), undated: true)
        var null = Self.archive(.v1_12)
        null.header.databaseName = nil
        try check(null.build(), .list(), .accepts(showing: [";     dbname: \n"]))
        try check(null.build(), .script(), .accepts())
        var newline = Self.archive(.v1_12)
        newline.header.databaseName = "old\ndb"
        try check(newline.build(), .accepts(showing: [";     dbname: old db\n"]))
        // A name longer than the file: _ReadBuf reads past its end. The name follows 11 bytes (magic, 3 version
        // bytes, intSize, offSize, format), the compression level and the 7 creation time integers.
        let builder = Self.archive(.v1_12)
        let nameOffset = 11 + 8 * Self.intWidth(builder)
        #expect(Array(builder.build()[nameOffset...].prefix(10)) == builder.encodedString("olddb"))
        let long = Self.patched(builder.build(), at: nameOffset, with: builder.encodedInt(100_000))
        try check(long, .refuses("could not read from input file: end of file"), knownIssue: KnownIssue.endOfFile)
    }

    // pg_backup_archiver.c, ReadHead:
    //   if (AH->version >= K_VERS_1_10) {
    //       AH->archiveRemoteVersion = ReadStr(AH); AH->archiveDumpVersion = ReadStr(AH); }
    // Before 1.10, _allocAH's `AH->archiveDumpVersion = PG_VERSION` stands: pg_restore prints its own version.
    // PrintTOCSummary and RestoreArchive print each only when it is not NULL.
    @Test("ReadHead: the server and pg_dump versions, from 1.10")
    func serverAndPgDumpVersions() throws {
        let ownVersion = ";     Offset: 8 bytes\n;     Dumped by pg_dump version: \(PGRestoreEmulation.version)\n"
        try check(Self.archive(.v1_9).build(), .accepts(showing: [ownVersion]))
        let stored = ";     Dumped from database version: 9.6.24\n;     Dumped by pg_dump version: 9.6.24\n"
        try check(Self.archive(.v1_10).build(), .accepts(showing: [stored]))
        try check(
            Self.archive(.v1_10).build(), .script(), .accepts(showing: ["-- Dumped from database version 9.6.24\n"]))
        var null = Self.archive(.v1_10)
        null.header.serverVersion = nil
        null.header.pgDumpVersion = nil
        try check(null.build(), .list(), .accepts(showing: [";     Offset: 8 bytes\n;\n"]))
        try check(null.build(), .script(), .accepts())
    }

    // pg_backup_custom.c, _ReadByte and _ReadBuf: READ_ERROR_EXIT(AH->FH), pg_backup_archiver.h:
    //   if (feof(fd)) pg_fatal("could not read from input file: end of file");
    // pg_backup_archiver.c, _discoverArchiveFormat, before ReadHead:
    //   pg_fatal("input file is too short (read %lu, expected 5)", (unsigned long) cnt);
    @Test("_ReadByte and _ReadBuf: an archive that ends early")
    func endOfFile() throws {
        let whole = Self.archive(.v1_12).build()
        try check(Array(whole.prefix(3)), .refuses("input file is too short (read 3, expected 5)"))
        // In the version, the header's integers, the TOC.
        for length in [5, 7, 40, ArchiveBuilder.headerLength(version: .v1_12) + 30] {
            try check(
                Array(whole.prefix(length)), .refuses("could not read from input file: end of file"),
                knownIssue: KnownIssue.endOfFile)
        }
        try check(
            Array(whole.dropLast(3)), .script(), .refuses("could not read from input file: end of file"),
            knownIssue: KnownIssue.endOfFile)
    }

    // MARK: - ReadToc and ReadInt (pg_backup_archiver.c)

    // pg_backup_archiver.c, ReadToc: AH->tocCount = ReadInt(AH); … for (i = 0; i < AH->tocCount; i++) { … }
    // Nothing checks the count: a negative one reads no entry; one larger than the TOC reads on, into the data
    // blocks or past the end of the file.
    @Test("ReadToc: the entry count")
    func tocCount() throws {
        let builder = ArchiveBuilder(version: .v1_12, entries: [(Self.table, nil)])
        let countOffset = ArchiveBuilder.headerLength(version: .v1_12)
        #expect(Array(builder.build()[countOffset...].prefix(5)) == builder.encodedInt(1))
        func counting(_ count: Int32) -> [UInt8] {
            Self.patched(builder.build(), at: countOffset, with: builder.encodedInt(count))
        }
        try check(counting(1), .accepts(showing: [";     TOC Entries: 1\n", "3; 1259 16386 TABLE - items alice\n"]))
        try check(counting(0), .accepts(showing: [";     TOC Entries: 0\n"]))
        try check(counting(-1), .accepts(showing: [";     TOC Entries: -1\n"]), knownIssue: KnownIssue.negativeCount)
        try check(
            counting(2), .refuses("could not read from input file: end of file"), knownIssue: KnownIssue.endOfFile)
    }

    // pg_backup_archiver.c, ReadToc: te->dumpId = ReadInt(AH); …
    //   if (te->dumpId <= 0) pg_fatal("entry ID %d out of range -- perhaps a corrupt TOC", te->dumpId);
    @Test("ReadToc: dump IDs must be positive")
    func dumpIDRange() throws {
        try check(Self.archive(.v1_12).build(), .accepts())
        for id: Int32 in [0, -5] {
            var builder = Self.archive(.v1_12)
            builder.entries[0].entry.dumpID = id
            try check(builder.build(), .refuses("entry ID \(id) out of range -- perhaps a corrupt TOC"))
        }
        // 1.0 has no sign byte: -5 is stored in two's complement.
        var old = ArchiveBuilder(version: ArchiveVersion(1, 0), entries: [(Self.table, nil)])
        old.entries[0].entry.dumpID = -5
        #expect(old.encodedInt(-5) == [0xFB, 0xFF, 0xFF, 0xFF])
        try check(old.build(), .refuses("entry ID -5 out of range -- perhaps a corrupt TOC"))
    }

    // pg_backup_archiver.c, ReadInt:
    //   if (AH->version > K_VERS_1_0) sign = AH->ReadBytePtr(AH);
    //   for (b = 0; b < AH->intSize; b++) { bv = AH->ReadBytePtr(AH) & 0xFF;
    //       if (bv != 0) res = res + (bv << bitShift); bitShift += 8; }
    //   if (sign) res = -res;
    // Any sign byte but 0 is negative; the magnitude is summed into an int, so 0xFFFFFFFF with a plus sign is -1
    // (for ReadStr, a NULL string) and 0x80000000 is INT_MIN.
    @Test("ReadInt: the sign byte and the magnitude")
    func readInt() throws {
        let note = TOCEntry(dumpID: 9, tag: "note", desc: "COMMENT", section: .none, defn: "@@@@", owner: "alice")
        let builder = ArchiveBuilder(version: .v1_12, entries: [(Self.table, nil), (note, nil)])
        let marker = builder.encodedString("@@@@")
        // The comment, with no definition, has nothing to restore: neither lists it.
        let tableOnly = "3; 1259 16386 TABLE - items alice\n"
        // Sign byte 7, magnitude 1: -1, a NULL definition.
        let signSeven = try Self.replacing(marker, with: [7, 1, 0, 0, 0], in: builder.build())
        let reader = try Archive.open(source: MemoryByteSource(signSeven, name: "sign.dump"))
        #expect(reader.entries[1].defn == nil)
        try check(signSeven, .list(), .accepts(showing: [tableOnly]))
        try check(signSeven, .script(), .accepts())
        // A plus sign and the magnitude 0xFFFFFFFF: -1 again.
        let wrapped = try Self.replacing(marker, with: [0, 0xFF, 0xFF, 0xFF, 0xFF], in: builder.build())
        try check(wrapped, .accepts(showing: [tableOnly]), knownIssue: KnownIssue.wrappingMagnitude)
        // A dump ID of magnitude 0x80000000: INT_MIN, which fails the dump ID check.
        let idOffset = ArchiveBuilder.headerLength(version: .v1_12) + Self.intWidth(builder)
        let minimum = Self.patched(builder.build(), at: idOffset, with: [0, 0, 0, 0, 0x80])
        try check(
            minimum, .refuses("entry ID -2147483648 out of range -- perhaps a corrupt TOC"),
            knownIssue: KnownIssue.wrappingDumpID)
    }

    /// Entries with every field a TOC version gate controls.
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

    /// The gate entries at `version`, their TOC laid out for `layout` when given.
    static func gateArchive(_ version: ArchiveVersion, layout: ArchiveVersion? = nil) -> [UInt8] {
        var builder = ArchiveBuilder(
            version: version, entries: [(schema, nil), (appTable, nil), (appData, rows), (appIndex, nil)])
        builder.tocVersion = layout
        return builder.build()
    }

    /// A TOC field's version gate: at the gate and the version before it, the field is read exactly from the
    /// gate on (`isRead` tells from the entries), and `-l -v` and `-f - -v` print what pg_restore 18 prints (which
    /// shows the field: tableoid and dependencies in the listing, the others in the script, withOids as a
    /// warning). Then an archive whose header says one version while its TOC is laid out for the other, so that
    /// the field is missing or extra, must meet the same fate in both: a misread that is accepted, or the first
    /// check the misread fails. (That one is listed without -v: a dependency read from a string that is not a
    /// number is uninitialized memory in pg_restore, whose `sscanf(tmp, "%d", &deps[depIdx])` then assigns nothing.)
    func checkGate(
        _ gate: ArchiveVersion, isRead: ([TOCEntry]) -> Bool,
        mismatched: (header: ArchiveVersion, layout: ArchiveVersion), expect expected: Expectation,
        knownIssue: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = ArchiveVersion(gate.major, gate.minor - 1)
        for version in [before, gate] {
            let bytes = Self.gateArchive(version)
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "v\(version).dump"))
            #expect(isRead(reader.entries) == (version >= gate), "\(version)", sourceLocation: sourceLocation)
            let warnings = Self.oidWarnings(version)
            let undated = version < .v1_4
            try check(
                bytes, .list(verbose: true), .accepts(warnings: warnings), undated: undated,
                sourceLocation: sourceLocation)
            try check(
                bytes, .script(verbose: true), .accepts(warnings: warnings, showing: [Self.copied]), undated: undated,
                sourceLocation: sourceLocation)
        }
        try check(
            Self.gateArchive(mismatched.header, layout: mismatched.layout), .list(), expected,
            undated: mismatched.header < .v1_4, knownIssue: knownIssue, sourceLocation: sourceLocation)
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_3) te->copyStmt = ReadStr(AH);
    @Test("ReadToc: copyStmt from 1.3")
    func copyStatementGate() throws {
        try checkGate(
            .v1_3, isRead: { $0[2].copyStmt != nil }, mismatched: (header: .v1_3, layout: .v1_2),
            expect: .refuses("entry ID 0 out of range -- perhaps a corrupt TOC"))
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_5) { … for (;;) { tmp = ReadStr(AH);
    //   if (!tmp) break; … sscanf(tmp, "%d", &deps[depIdx]); … } }
    @Test("ReadToc: dependencies from 1.5")
    func dependenciesGate() throws {
        try checkGate(
            .v1_5, isRead: { $0[2].dependencies == [3] }, mismatched: (header: .v1_4, layout: .v1_5),
            expect: .refuses("entry ID 0 out of range -- perhaps a corrupt TOC"))
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_6) te->namespace = ReadStr(AH);
    @Test("ReadToc: namespace from 1.6")
    func namespaceGate() throws {
        try checkGate(
            .v1_6, isRead: { $0[1].namespace == "app" }, mismatched: (header: .v1_5, layout: .v1_6),
            expect: .accepts(warnings: [Self.withOidsWarning]))
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_8) { tmp = ReadStr(AH);
    //   sscanf(tmp, "%u", &te->catalogId.tableoid); … } else te->catalogId.tableoid = InvalidOid;
    @Test("ReadToc: tableoid from 1.8")
    func tableOIDGate() throws {
        try checkGate(
            .v1_8, isRead: { $0[1].tableOID == 1259 }, mismatched: (header: .v1_8, layout: .v1_7),
            expect: .refuses("unexpected data offset flag 54"))
    }

    // pg_backup_archiver.c, ReadToc: is_supported = true; if (AH->version < K_VERS_1_9) is_supported = false;
    //   else { tmp = ReadStr(AH); if (strcmp(tmp, "true") == 0) is_supported = false; … }
    //   if (!is_supported) pg_log_warning("restoring tables WITH OIDS is not supported anymore");
    @Test("ReadToc: withOids from 1.9, and its warning")
    func withOidsGate() throws {
        try checkGate(
            .v1_9, isRead: { $0[1].withOids != nil }, mismatched: (header: .v1_8, layout: .v1_9),
            expect: .accepts(warnings: [Self.withOidsWarning]))
        var withOids = Self.archive(.v1_9)
        withOids.entries[0].entry.withOids = "true"
        try check(withOids.build(), .accepts(warnings: [Self.withOidsWarning]))
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_10) te->tablespace = ReadStr(AH);
    @Test("ReadToc: tablespace from 1.10")
    func tablespaceGate() throws {
        try checkGate(
            .v1_10, isRead: { $0[1].tablespace == "fast" }, mismatched: (header: .v1_9, layout: .v1_10),
            expect: .accepts())
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_11) te->section = ReadInt(AH);
    //   else { /* Rules for pre-8.4 archives */ COMMENT, ACL, ACL LANGUAGE: SECTION_NONE; TABLE DATA, BLOBS,
    //   BLOB COMMENTS: SECTION_DATA; CONSTRAINT, CHECK CONSTRAINT, FK CONSTRAINT, INDEX, RULE, TRIGGER:
    //   SECTION_POST_DATA; anything else: SECTION_PRE_DATA }
    @Test("ReadToc: section from 1.11, inferred from the type before")
    func sectionGate() throws {
        try checkGate(
            .v1_11, isRead: { $0[3].sectionIsStored }, mismatched: (header: .v1_10, layout: .v1_11),
            expect: .refuses("could not read from input file: end of file"), knownIssue: KnownIssue.stringLimit)
        let kinds: [(String, Section)] = [
            ("COMMENT", .none), ("ACL", .none), ("ACL LANGUAGE", .none), ("TABLE DATA", .data), ("BLOBS", .data),
            ("BLOB COMMENTS", .data), ("CONSTRAINT", .postData), ("CHECK CONSTRAINT", .postData),
            ("FK CONSTRAINT", .postData), ("INDEX", .postData), ("RULE", .postData), ("TRIGGER", .postData),
            ("SEQUENCE SET", .preData), ("TABLE", .preData),
        ]
        // Each stored with a section its type does not imply, to see which one is used.
        let entries: [(TOCEntry, [UInt8]?)] = kinds.enumerated().map { index, kind in
            let entry = TOCEntry(
                dumpID: Int32(index + 1), tag: ArchiveText("o\(index)"), desc: ArchiveText(kind.0),
                section: kind.1 == .preData ? .postData : .preData, defn: ArchiveText("-- \(kind.0) \(index);\n"),
                owner: "alice")
            return (entry, nil)
        }
        for version in [ArchiveVersion.v1_10, .v1_11] {
            let bytes = ArchiveBuilder(version: version, entries: entries).build()
            let reader = try Archive.open(source: MemoryByteSource(bytes, name: "sections.dump"))
            let stored = entries.map(\.0.section)
            #expect(reader.entries.map(\.section) == (version < .v1_11 ? kinds.map(\.1) : stored), "\(version)")
            for section in ["pre-data", "data", "post-data"] {
                try check(bytes, .script(sections: [section]), .accepts())
            }
        }
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_14) te->tableam = ReadStr(AH);
    @Test("ReadToc: tableam from 1.14")
    func tableAccessMethodGate() throws {
        try checkGate(
            .v1_14, isRead: { $0[1].tableam == "heap" }, mismatched: (header: .v1_13, layout: .v1_14),
            expect: .accepts())
    }

    // pg_backup_archiver.c, ReadToc: if (AH->version >= K_VERS_1_16) te->relkind = ReadInt(AH);
    @Test("ReadToc: relkind from 1.16")
    func relkindGate() throws {
        try checkGate(
            .v1_16, isRead: { $0[1].relkind == 112 }, mismatched: (header: .v1_16, layout: .v1_15),
            expect: .accepts())
    }

    // MARK: - _ReadExtraToc and ReadOffset

    // pg_backup_custom.c, _ReadExtraToc: ctx->dataState = ReadOffset(AH, &(ctx->dataPos));
    // pg_backup_archiver.c, ReadOffset (1.7+): offsetFlg = AH->ReadBytePtr(AH) & 0xFF;
    //   switch (offsetFlg) { case K_OFFSET_POS_NOT_SET: case K_OFFSET_NO_DATA: case K_OFFSET_POS_SET: break;
    //       default: pg_fatal("unexpected data offset flag %d", offsetFlg); }
    //   for (off = 0; off < AH->offSize; off++) { if (off < sizeof(pgoff_t)) *o |= … << (off * 8);
    //       else if (AH->ReadBytePtr(AH) != 0) pg_fatal("file offset in dump file is too large"); }
    // pg_backup_archiver.h: K_OFFSET_POS_NOT_SET 1, K_OFFSET_POS_SET 2, K_OFFSET_NO_DATA 3.
    // pg_backup_custom.c, _PrintTocData: if (tctx->dataState == K_OFFSET_NO_DATA) return;
    //   if (!ctx->hasSeek || tctx->dataState == K_OFFSET_POS_NOT_SET) { scan the blocks from lastFilePos }
    //   else fseeko(AH->FH, tctx->dataPos, SEEK_SET) and _readBlockHeader.
    @Test("ReadOffset: the custom format's offset flags (1.7+)")
    func offsetFlags() throws {
        let builder = Self.archive(.v1_12)
        let bytes = builder.build()
        try check(bytes, .script(), .accepts(showing: [Self.copied]))
        var notSet = builder
        notSet.recordsOffsets = false
        let reader = try Archive.open(source: MemoryByteSource(notSet.build(), name: "notset.dump"))
        #expect(reader.entries[1].dataLocation == .offsetNotSet)
        var sink = CollectingSink()
        try reader.streamData(of: reader.entries[1], into: &sink)
        #expect(sink.bytes == Self.rows)
        try check(notSet.build(), .script(), .accepts(showing: [Self.copied]))
        // The data entry is the TOC's last: its flag is offSize + 1 bytes before the TOC's end.
        let flagOffset = Self.tocEnd(of: builder) - 9
        #expect(bytes[flagOffset] == 2)
        for flag: UInt8 in [0, 4, 255] {
            try check(
                Self.patched(bytes, at: flagOffset, with: [flag]), .refuses("unexpected data offset flag \(flag)"))
        }
        // Offsets of 9 bytes: the ninth must be 0.
        var wide = builder
        wide.header.offSize = 9
        try check(wide.build(), .script(), .accepts(showing: [Self.copied]))
        try check(
            Self.patched(wide.build(), at: Self.tocEnd(of: wide) - 1, with: [1]),
            .refuses("file offset in dump file is too large"))
        // The top bit set makes a negative pgoff_t, which nothing checks until the data is sought.
        try check(
            Self.patched(bytes, at: flagOffset + 8, with: [0x80]), .list(), .accepts(),
            knownIssue: KnownIssue.negativeOffset)
        // K_OFFSET_NO_DATA for an entry that had a dumper.
        try check(
            Self.archive(.v1_12, data: nil).build(), .script(),
            .accepts(showing: ["COPY items (id) FROM stdin;\n--\n-- PostgreSQL database dump complete\n"]),
            knownIssue: KnownIssue.noDataWithDumper)
    }

    // pg_backup_archiver.c, ReadOffset: if (AH->version < K_VERS_1_7) { i = ReadInt(AH);
    //   if (i < 0) return K_OFFSET_POS_NOT_SET; else if (i == 0) return K_OFFSET_NO_DATA;
    //   *o = (pgoff_t) i; return K_OFFSET_POS_SET; }
    // pg_backup_custom.c, _ReadExtraToc: if (AH->version < K_VERS_1_7) ReadInt(AH);  (the data length, unused)
    @Test("ReadOffset: before 1.7, an integer offset and a length")
    func offsetsBefore1_7() throws {
        let oids = [Self.withOidsWarning]
        let builder = Self.archive(ArchiveVersion(1, 6))
        let reader = try Archive.open(source: MemoryByteSource(builder.build(), name: "v1.6.dump"))
        #expect(reader.entries[1].dataLocation == .offset(Int64(Self.tocEnd(of: builder))))
        try check(builder.build(), .script(), .accepts(warnings: oids, showing: [Self.copied]))
        var notSet = builder
        notSet.recordsOffsets = false
        let bytes = notSet.build()
        let width = Self.intWidth(builder)
        #expect(Array(bytes[(Self.tocEnd(of: builder) - 2 * width)...].prefix(width)) == builder.encodedInt(-1))
        try check(bytes, .script(), .accepts(warnings: oids, showing: [Self.copied]))
        try check(
            Self.archive(ArchiveVersion(1, 6), data: nil).build(), .script(),
            .accepts(warnings: oids, showing: ["COPY items (id) FROM stdin;\n--\n-- PostgreSQL database dump"]),
            knownIssue: KnownIssue.noDataWithDumper)
    }

    // MARK: - Data blocks (pg_backup_custom.c)

    // pg_backup_custom.c, _readBlockHeader: if (AH->version < K_VERS_1_3) *type = BLK_DATA;
    //   else { byt = getc(AH->FH); *type = byt; if (byt == EOF) { *id = 0; return; } }  *id = ReadInt(AH);
    // _PrintTocData, scanning: if (blkType == EOF || id == te->dumpId) break; …
    //   switch (blkType) { case BLK_DATA: _skipData(AH); case BLK_BLOBS: _skipLOs(AH);
    //       default: pg_fatal("unrecognized data block type (%d) while searching archive", blkType); }
    // then: if (blkType == EOF) pg_fatal("could not find block ID %d in archive -- possibly corrupt archive", …);
    //   if (id != te->dumpId) pg_fatal("found unexpected block ID (%d) when reading data -- expected %d", …);
    //   switch (blkType) { case BLK_DATA: _PrintData(AH); case BLK_BLOBS: _LoadLOs(AH, te);
    //       default: pg_fatal("unrecognized data block type %d while restoring archive", blkType); }
    // pg_backup_archiver.h: BLK_DATA 1, BLK_BLOBS 3.
    @Test("_readBlockHeader: the block type byte from 1.3, and the block ID")
    func dataBlockHeaders() throws {
        for version in [ArchiveVersion.v1_2, .v1_3] {
            for recorded in [true, false] {
                var builder = Self.archive(version)
                builder.recordsOffsets = recorded
                try check(
                    builder.build(), .script(), .accepts(warnings: [Self.withOidsWarning], showing: [Self.copied]),
                    undated: true)
            }
        }
        let seeking = Self.archive(.v1_12)
        var scanning = seeking
        scanning.recordsOffsets = false
        let blockStart = Self.tocEnd(of: seeking)
        for bytes in [seeking.build(), scanning.build()] {
            #expect(bytes[blockStart] == 1)
            try check(
                Self.patched(bytes, at: blockStart, with: [2]), .script(),
                .refuses("unrecognized data block type 2 while restoring archive"))
        }
        // The ID's magnitude starts after the type and sign bytes.
        try check(
            Self.patched(seeking.build(), at: blockStart + 2, with: [9]), .script(),
            .refuses("found unexpected block ID (9) when reading data -- expected 4"))
        try check(
            Self.patched(scanning.build(), at: blockStart + 2, with: [9]), .script(),
            .refuses("could not find block ID 4 in archive -- possibly corrupt archive"))
        // Scanning past a block of an unknown type that is not the one sought.
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
            foreign, .script(), .refuses("unrecognized data block type (2) while searching archive"))
    }

    // pg_backup_archiver.c, StartRestoreLO: bool old_lo_style = (AH->version < K_VERS_1_12); …
    //   if (old_lo_style && drop) DropLOIfExists(AH, oid); …
    //   if (old_lo_style) ahprintf(AH, "SELECT pg_catalog.lo_open(pg_catalog.lo_create('%u'), %d);\n", oid, INV_WRITE);
    //   else ahprintf(AH, "SELECT pg_catalog.lo_open('%u', %d);\n", oid, INV_WRITE);
    // pg_backup_custom.c, _LoadLOs: oid = ReadInt(AH); while (oid != 0) { StartRestoreLO(AH, oid, drop);
    //   _PrintData(AH); EndRestoreLO(AH, oid); oid = ReadInt(AH); }
    // Before 1.3 there is no block type (_readBlockHeader): a BLOBS block is read as BLK_DATA, its first OID as
    // a chunk length.
    @Test("Large objects before 1.12 are created by the BLOBS entry's data")
    func largeObjectsBefore1_12() throws {
        let objects: [(oid: UInt32, bytes: [UInt8])] = [
            (16401, Array("hello".utf8)), (16402, []), (16403, [0, 1, 0x27, 0x5C, 0x78]),
        ]
        let blobs = TOCEntry(
            dumpID: 6, hadDumper: true, tableOIDText: "0", oidText: "0", tag: "BLOBS", desc: "BLOBS", section: .data,
            owner: "alice")
        let created = """
            SELECT pg_catalog.lo_open(pg_catalog.lo_create('16401'), 131072);
            SELECT pg_catalog.lowrite(0, '\\\\x68656c6c6f');
            SELECT pg_catalog.lo_close(0);

            SELECT pg_catalog.lo_open(pg_catalog.lo_create('16402'), 131072);
            SELECT pg_catalog.lo_close(0);

            """
        let dropped = """
            SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '16403';
            SELECT pg_catalog.lo_open(pg_catalog.lo_create('16403'), 131072);

            """
        for version in [ArchiveVersion.v1_3, .v1_4, .v1_10, .v1_11] {
            var builder = ArchiveBuilder(version: version, entries: [(Self.table, nil), (blobs, nil)])
            builder.largeObjects = [6: objects]
            let reader = try Archive.open(source: MemoryByteSource(builder.build(), name: "lo.dump"))
            #expect(reader.entries[1].section == .data)
            var sink = CollectingSink()
            try reader.streamData(of: reader.entries[1], into: &sink)
            #expect(sink.largeObjects.map(\.oid) == objects.map(\.oid), "\(version)")
            #expect(sink.largeObjects.map(\.bytes) == objects.map(\.bytes), "\(version)")
            let warnings = Self.oidWarnings(version)
            let undated = version < .v1_4
            try check(builder.build(), .script(), .accepts(warnings: warnings, showing: [created]), undated: undated)
            try check(
                builder.build(), .script(clean: true), .accepts(warnings: warnings, showing: [dropped]),
                undated: undated)
            builder.recordsOffsets = false
            try check(builder.build(), .script(), .accepts(warnings: warnings, showing: [created]), undated: undated)
        }
        // From 1.12 a BLOB entry creates each object; the data only opens it.
        let blob = TOCEntry(
            dumpID: 5, tableOIDText: "2613", oidText: "16401", tag: "16401", desc: "BLOB", section: .preData,
            defn: "SELECT pg_catalog.lo_create('16401');\n", dropStmt: "SELECT pg_catalog.lo_unlink('16401');\n",
            owner: "alice")
        var current = ArchiveBuilder(version: .v1_12, entries: [(Self.table, nil), (blob, nil), (blobs, nil)])
        current.largeObjects = [6: [objects[0]]]
        try check(current.build(), .script(), .accepts(showing: ["SELECT pg_catalog.lo_open('16401', 131072);\n"]))
        // 1.2: no block type byte, so the BLOBS block is read as table data and 16401 as a chunk length.
        var tooOld = ArchiveBuilder(version: .v1_2, entries: [(Self.table, nil), (blobs, nil)])
        tooOld.largeObjects = [6: objects]
        try check(
            tooOld.build(), .script(), .refuses("could not read from input file: end of file"), undated: true,
            knownIssue: KnownIssue.endOfFile)
    }
}
