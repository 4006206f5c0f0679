import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// `extract --all`, `convert` and `diff` with `-j N`: what they write (every file, byte for byte), print and
/// exit with must not depend on N, for every testdata archive; a pipe is read by one thread with the same result;
/// a damaged archive fails with the same message, status and files written at any N.
extension ParallelReadingCLITests {
    static let jobCounts = ["1", "2", "4"]

    /// The archives to read through a pipe (a directory cannot be).
    static let pipeable = Fixtures.archiveCases.filter { $0.format != "directory" }.map(\.path)

    /// What one run left: its status, standard output and error (the output path written as OUT), and every
    /// file it wrote (relative path → bytes), hidden files included, so that a temporary file left over shows.
    struct Outcome: Equatable, CustomStringConvertible {
        var status: Int32
        var standardOutput: [UInt8]
        var standardError: String
        var files: [String: [UInt8]]

        var description: String {
            "status \(status), \(files.count) files (\(files.keys.sorted().joined(separator: ", "))), stderr: \(standardError)"
        }
    }

    /// Runs `arguments` with `OUT` replaced by a fresh path and collects what it wrote there.
    static func run(_ arguments: [String], inputFile: String? = nil, throughPipe: Bool = false) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-parallel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("out").path
        let result = try CLITests.pgdumpkit(
            arguments.map { $0 == "OUT" ? output : $0 }, inputFile: inputFile, throughPipe: throughPipe)
        return Outcome(
            status: result.status, standardOutput: result.standardOutput,
            standardError: result.standardError.replacingOccurrences(of: output, with: "OUT"),
            files: try files(under: scratch))
    }

    /// Every regular file under `root`, by path relative to it; a tar file's member times (and so its header
    /// checksums), which are the time of writing, are blanked.
    static func files(under root: URL) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        let prefix = root.path + "/"
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [:] }
        while let relative = walker.nextObject() as? String {
            let path = prefix + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            blankTarTimes(&bytes)
            found[relative] = bytes
        }
        return found
    }

    /// Zeroes the mtime and checksum fields of every ustar header in `bytes`.
    static func blankTarTimes(_ bytes: inout [UInt8]) {
        let magic = Array("ustar".utf8)
        var offset = 0
        while offset + 512 <= bytes.count {
            if Array(bytes[(offset + 257)..<(offset + 262)]) == magic {
                for index in (offset + 136)..<(offset + 156) { bytes[index] = 0 }
            }
            offset += 512
        }
    }

    /// Runs `arguments` plus `-j N` for each of `jobs`, and expects every run to leave what the first left.
    static func expectSameOutcome(
        _ arguments: [String], jobs: [String] = jobCounts, inputFile: String? = nil, throughPipe: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Outcome {
        let first = try run(arguments + ["-j", jobs[0]], inputFile: inputFile, throughPipe: throughPipe)
        for count in jobs.dropFirst() {
            let other = try run(arguments + ["-j", count], inputFile: inputFile, throughPipe: throughPipe)
            #expect(other.status == first.status, "-j \(count): \(other.standardError)", sourceLocation: sourceLocation)
            #expect(other.standardError == first.standardError, "-j \(count)", sourceLocation: sourceLocation)
            #expect(
                ByteComparison.difference(actual: other.standardOutput, expected: first.standardOutput) == nil,
                "-j \(count)", sourceLocation: sourceLocation)
            #expect(other.files.keys.sorted() == first.files.keys.sorted(), "-j \(count)", sourceLocation: sourceLocation)
            for (name, bytes) in first.files {
                #expect(other.files[name] == bytes, "-j \(count): \(name) differs", sourceLocation: sourceLocation)
            }
        }
        return first
    }

    /// A copy of a testdata archive with two bytes of its data damaged: the largest data file of a directory
    /// archive, or four fifths into a file. The caller removes it.
    static func damagedCopy(of relative: String) throws -> URL {
        let source = Fixtures.testdata.appendingPathComponent(relative)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-parallel-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        var target = copy
        if (try? copy.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            let files = try FileManager.default.contentsOfDirectory(at: copy, includingPropertiesForKeys: [.fileSizeKey])
                .filter { $0.lastPathComponent != "toc.dat" }
            target = try #require(files.max {
                (try? $0.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) ?? 0
                    < (try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) ?? 0
            })
        }
        var bytes = try [UInt8](Data(contentsOf: target))
        let position = target == copy ? bytes.count * 4 / 5 : bytes.count / 2
        bytes[position] ^= 0x5A
        bytes[position + 1] ^= 0xA5
        try Data(bytes).write(to: target)
        return copy
    }

    /// Archives whose damage is found (gzip checks its data; zstd and lz4 frames without checksums and
    /// uncompressed data may read damaged bytes as data).
    static let damageable = [
        "archives/pg18/custom-default.dump", "archives/pg16/custom-default.dump", "archives/pg17/directory-default",
        "archives/pg15/directory-default",
    ]

    // MARK: - extract --all

    @Test("extract --all writes the same files at -j 1, 2 and 4, in every output format", arguments: archives)
    func extractAll(_ archive: String) throws {
        for format in [["--to", "csv", "--header"], ["--to", "tsv"], ["--to", "jsonl", "--typed"], ["--to", "copy"]] {
            let outcome = try Self.expectSameOutcome(["extract", "-q", "--all", "-o", "OUT"] + format + [archive])
            if outcome.status == 0 { #expect(!outcome.files.isEmpty, "\(format) wrote nothing") }
        }
    }

    @Test("extract --all through a pipe at -j 4 writes what -j 1 writes from the file", arguments: pipeable)
    func extractAllThroughPipe(_ archive: String) throws {
        let fromFile = try Self.run(["extract", "-q", "--all", "-o", "OUT", "-j", "1", archive])
        let piped = try Self.run(["extract", "-q", "--all", "-o", "OUT", "-j", "4", "-"], inputFile: archive, throughPipe: true)
        #expect(piped.status == fromFile.status, "\(piped.standardError)")
        #expect(piped.files == fromFile.files)
    }

    @Test("extract --all of a damaged archive stops at the same table with the same error at any -j", arguments: damageable)
    func extractAllDamaged(_ relative: String) throws {
        let copy = try Self.damagedCopy(of: relative)
        defer { try? FileManager.default.removeItem(at: copy) }
        for format in ["csv", "copy"] {
            let outcome = try Self.expectSameOutcome(["extract", "-q", "--all", "--to", format, "-o", "OUT", copy.path])
            #expect(outcome.status != 0, "the damage is found (\(format))")
            #expect(!outcome.files.keys.contains { $0.contains(".pgdumpkit-") }, "no temporary file is left")
        }
    }

    @Test("extract --all into a directory with a file in the way fails at that table, with the same files, at any -j")
    func extractAllExistingFile() throws {
        let archive = CLITests.path("archives/pg18/custom-default.dump")
        let first = try Self.run(["extract", "-q", "--all", "-o", "OUT", "-j", "1", archive])
        let names = first.files.keys.sorted()
        try #require(names.count > 3)
        let blocker = String(names[names.count / 2].dropFirst("out/".count))
        var listings: [[String]] = []
        for count in ["1", "2", "4"] {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-parallel-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let directory = scratch.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data("keep".utf8).write(to: directory.appendingPathComponent(blocker))
            let result = try CLITests.pgdumpkit(["extract", "-q", "--all", "-o", directory.path, "-j", count, archive])
            #expect(result.status == 1)
            #expect(result.standardError.contains("\(blocker): file exists; use --force to replace it"), "\(result.standardError)")
            #expect(try String(contentsOf: directory.appendingPathComponent(blocker), encoding: .utf8) == "keep")
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(!left.contains { $0.hasPrefix(".pgdumpkit-") }, "no temporary file is left at -j \(count)")
            listings.append(left)
        }
        #expect(listings.allSatisfy { $0 == listings[0] }, "\(listings)")
        #expect(listings[0].count < names.count, "the tables after the one in the way are not written")
    }

    @Test("extract and diff take -j as pg_restore does: a bad value gets its message")
    func jobsValues() throws {
        let archive = CLITests.path("archives/pg18/custom-default.dump")
        for (value, message) in [("0", "-j/--jobs must be in range 1..2147483647"), ("x", "invalid value \"x\" for option -j/--jobs")] {
            let extract = try CLITests.pgdumpkit(["extract", "--all", "-o", "/nonexistent/out", "-j", value, archive])
            #expect(extract.status == 1)
            #expect(extract.standardError.contains(message))
            let diff = try CLITests.pgdumpkit(["diff", "-j", value, archive, archive])
            #expect(diff.status == 2)
            #expect(diff.standardError.contains(message))
        }
        let spaced = try CLITests.pgdumpkit(["diff", "-j", " 3 ", archive, archive])
        #expect(spaced.status == 0, "\(spaced.standardError)")
    }

    // MARK: - convert

    /// Targets that decompress the data and write it again (a level names the compression, so it is never
    /// copied as stored).
    static let convertTargets: [[String]] = [
        ["--to", "c", "-Z", "0"], ["--to", "c", "-Z", "lz4"], ["--to", "c", "-Z", "gzip:1"], ["--to", "d", "-Z", "gzip:6"],
        ["--to", "d", "-Z", "lz4:1"], ["--to", "t"], ["--to", "p", "--restrict-key", restrictKey],
    ]

    @Test("convert writes the same archive at -j 1, 2 and 4 to each format and compression", arguments: archives)
    func convertArchive(_ archive: String) throws {
        for target in Self.convertTargets {
            let outcome = try Self.expectSameOutcome(["convert", "-q", "-o", "OUT"] + target + [archive])
            #expect(outcome.status == 0, "\(target): \(outcome.standardError)")
            #expect(!outcome.files.isEmpty)
        }
        // zstd compresses on libzstd's workers from -j 2 on, which frame the data otherwise than one thread does.
        for target in [["--to", "c", "-Z", "zstd:3"], ["--to", "d", "-Z", "zstd:3"]] {
            let outcome = try Self.expectSameOutcome(["convert", "-q", "-o", "OUT"] + target + [archive], jobs: ["2", "4"])
            #expect(outcome.status == 0, "\(target): \(outcome.standardError)")
        }
    }

    @Test("convert through a pipe at -j 4 writes what -j 1 writes from the file", arguments: pipeable)
    func convertThroughPipe(_ archive: String) throws {
        for target in [["--to", "c", "-Z", "lz4"], ["--to", "d", "-Z", "gzip:1"]] {
            let fromFile = try Self.run(["convert", "-q", "-o", "OUT"] + target + ["-j", "1", archive])
            let piped = try Self.run(["convert", "-q", "-o", "OUT"] + target + ["-j", "4", "-"], inputFile: archive, throughPipe: true)
            #expect(piped.status == fromFile.status, "\(piped.standardError)")
            #expect(piped.files == fromFile.files)
        }
    }

    @Test("convert of a damaged archive fails with the same error and leaves nothing at any -j", arguments: damageable)
    func convertDamaged(_ relative: String) throws {
        let copy = try Self.damagedCopy(of: relative)
        defer { try? FileManager.default.removeItem(at: copy) }
        for target in [["--to", "c", "-Z", "lz4"], ["--to", "d", "-Z", "gzip:1"]] {
            let outcome = try Self.expectSameOutcome(["convert", "-q", "-o", "OUT"] + target + [copy.path])
            #expect(outcome.status != 0, "the damage is found")
            #expect(outcome.files.isEmpty, "nothing is left: \(outcome.files.keys.sorted())")
        }
    }

    // MARK: - diff

    @Test("diff reports the same at -j 1, 2 and 4: text, JSON and --rows", arguments: DiffCLITests.pairs)
    func diffPair(_ pair: DiffCLITests.Pair) throws {
        for options in [[], ["--json"], ["--rows"], ["--json", "--rows"]] {
            let outcome = try Self.expectSameOutcome(["diff"] + options + [pair.path(pair.old), pair.path(pair.new)])
            #expect(outcome.status == (pair.truth == nil ? 0 : 1), "\(options): \(outcome.standardError)")
        }
    }

    @Test("diff of every testdata archive with itself and with the sample, at -j 1, 2 and 4", arguments: archives)
    func diffArchives(_ archive: String) throws {
        let same = try Self.expectSameOutcome(["diff", archive, archive])
        #expect(same.status == 0, "\(same.standardError)")
        let sample = Fixtures.testdata.appendingPathComponent("sample/chinook.dump").path
        _ = try Self.expectSameOutcome(["diff", "--json", sample, archive])
    }

    @Test("diff with one archive through a pipe at -j 4 reports what -j 1 reports from files", arguments: DiffCLITests.pairs.filter {
        !$0.old.hasSuffix("-dir")
    })
    func diffThroughPipe(_ pair: DiffCLITests.Pair) throws {
        let fromFiles = try Self.run(["diff", "--json", "-j", "1", pair.path(pair.old), pair.path(pair.new)])
        let piped = try Self.run(["diff", "--json", "-j", "4", "-", pair.path(pair.new)], inputFile: pair.path(pair.old), throughPipe: true)
        #expect(piped.status == fromFiles.status, "\(piped.standardError)")
        // The old archive is named - rather than by its path.
        let named = String(decoding: fromFiles.standardOutput, as: UTF8.self)
            .replacingOccurrences(of: "\"\(pair.path(pair.old))\"", with: "\"-\"")
        #expect(String(decoding: piped.standardOutput, as: UTF8.self) == named)
    }

    @Test("diff with a damaged archive fails with the same message and status 2 at any -j", arguments: damageable)
    func diffDamaged(_ relative: String) throws {
        let copy = try Self.damagedCopy(of: relative)
        defer { try? FileManager.default.removeItem(at: copy) }
        let original = CLITests.path(relative)
        for sides in [[original, copy.path], [copy.path, original], [copy.path, copy.path]] {
            let outcome = try Self.expectSameOutcome(["diff"] + sides)
            #expect(outcome.status == 2, "\(outcome.standardError)")
        }
    }
}

/// The testdata archives' tables are small: each fits one piece of what the workers hand over. These tests run
/// the same matrix on an archive built here whose tables span many pieces and several of libzstd's 1 MiB jobs
/// (up to 2.4 MB of COPY data), so that entries are decoded ahead and are lent the writer's sink mid-way.
@Suite(.serialized) struct ParallelLargeTablesCLITests {
    /// The built archive (uncompressed custom), its gzip custom and zstd directory conversions, and a copy with
    /// one table's rows changed; removed by `cleanUp`.
    struct Archives {
        var directory: URL
        var none: String
        var gzip: String
        var zstdDirectory: String
        var changed: String
    }

    static let sizes = [2_400_000, 150_000, 1_300_000, 600_000, 1_700_000, 30_000, 900_000]

    /// COPY rows of three columns, different in every table and hard enough to compress that the compressed
    /// data spans many pieces too.
    static func rows(table: Int, bytes: Int, changedRow: Int? = nil) -> [UInt8] {
        var data: [UInt8] = []
        data.reserveCapacity(bytes + 64)
        var state = UInt64(table + 1) &* 0x9E37_79B9_7F4A_7C15
        var row = 0
        while data.count < bytes {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let note = row == changedRow ? "changed" : String(state >> 20, radix: 36)
            data += Array("\(row)\tname \(table)-\(row % 977)\t\(note)\n".utf8)
            row += 1
        }
        data += Array("\\.\n\n".utf8)
        return data
    }

    static func build(changed: Bool) -> [UInt8] {
        var entries: [(TOCEntry, [UInt8]?)] = []
        for (number, size) in sizes.enumerated() {
            var entry = TOCEntry(
                dumpID: Int32(100 + number), hadDumper: true, tag: ArchiveText("t\(number)"), desc: "TABLE DATA",
                section: .data)
            entry.namespace = "public"
            entry.owner = "postgres"
            entry.copyStmt = ArchiveText("COPY public.t\(number) (id, name, note) FROM stdin;\n")
            entries.append((entry, rows(table: number, bytes: size, changedRow: changed && number == 2 ? 5000 : nil)))
        }
        return ArchiveBuilder(version: .v1_16, entries: entries).build()
    }

    static func makeArchives() throws -> Archives {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-parallel-large-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let none = directory.appendingPathComponent("none.dump").path
        let changed = directory.appendingPathComponent("changed.dump").path
        try Data(build(changed: false)).write(to: URL(fileURLWithPath: none))
        try Data(build(changed: true)).write(to: URL(fileURLWithPath: changed))
        let gzip = directory.appendingPathComponent("gzip.dump").path
        let zstdDirectory = directory.appendingPathComponent("zstd-dir").path
        for (target, path) in [(["--to", "c", "-Z", "gzip:1"], gzip), (["--to", "d", "-Z", "zstd:1"], zstdDirectory)] {
            let result = try CLITests.pgdumpkit(["convert", "-q", "-j", "1", "-o", path] + target + [none])
            try #require(result.status == 0, "\(result.standardError)")
        }
        return Archives(directory: directory, none: none, gzip: gzip, zstdDirectory: zstdDirectory, changed: changed)
    }

    @Test("extract --all, convert and diff of large tables: the same at -j 1, 2 and 4")
    func largeTables() throws {
        let archives = try Self.makeArchives()
        defer { try? FileManager.default.removeItem(at: archives.directory) }
        for input in [archives.none, archives.gzip, archives.zstdDirectory] {
            for format in ["csv", "jsonl"] {
                let outcome = try ParallelReadingCLITests.expectSameOutcome(["extract", "-q", "--all", "--to", format, "-o", "OUT", input])
                #expect(outcome.status == 0, "\(outcome.standardError)")
                #expect(outcome.files.count == Self.sizes.count)
            }
            for target in [["--to", "c", "-Z", "lz4"], ["--to", "c", "-Z", "0"], ["--to", "d", "-Z", "gzip:1"]] {
                let outcome = try ParallelReadingCLITests.expectSameOutcome(["convert", "-q", "-o", "OUT"] + target + [input])
                #expect(outcome.status == 0, "\(outcome.standardError)")
            }
            let zstd = try ParallelReadingCLITests.expectSameOutcome(
                ["convert", "-q", "-o", "OUT", "--to", "c", "-Z", "zstd:1", input], jobs: ["2", "4"])
            #expect(zstd.status == 0, "\(zstd.standardError)")
        }
        // Equal pairs in other formats and compressions, and a pair with one row changed.
        for (old, new, status) in [
            (archives.none, archives.zstdDirectory, Int32(0)), (archives.gzip, archives.none, 0),
            (archives.gzip, archives.changed, 1),
        ] {
            for options in [[], ["--json"], ["--rows"]] {
                let outcome = try ParallelReadingCLITests.expectSameOutcome(["diff"] + options + [old, new])
                #expect(outcome.status == status, "\(options): \(outcome.standardError)")
                if status == 1 && options == ["--rows"] {
                    #expect(String(decoding: outcome.standardOutput, as: UTF8.self).contains("\tchanged"))
                }
            }
        }
    }
}
