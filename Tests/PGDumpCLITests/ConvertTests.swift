import Foundation
import PGDumpTestSupport
import Testing

/// `convert` checked with the real pg_restore: what it writes restores exactly as its input does.
@Suite(.enabled(if: Fixtures.pgRestore(major: "18") != nil, "pg_restore oracles are not installed"))
struct ConvertTests {
    static let targets: [(format: String, compression: String?)] = [
        ("c", "none"), ("c", "gzip"), ("c", "lz4"), ("c", "zstd:5"), ("d", "0"), ("d", "6"), ("d", "lz4"),
        ("d", "zstd"), ("t", nil),
    ]

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The newest pg_restore that reads an archive of this compression and version (18.6 lacks lz4 and zstd).
    static func oracle(compression: String, version: String) -> URL? {
        let major = (compression == "lz4" || compression == "zstd") ? "17" : "18"
        return Fixtures.pgRestore(major: major)
    }

    static func listing(_ oracle: URL, _ path: String) throws -> [String] {
        let result = try CommandRunner.run(oracle, ["-l", path])
        return String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    @Test("every archive to every format and compression restores as its input", arguments: Fixtures.archiveCases)
    func everyTarget(_ archive: Fixtures.ArchiveCase) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        for (index, target) in Self.targets.enumerated() {
            let output = scratch.appendingPathComponent("out-\(index)").path
            var arguments = ["convert", archive.path, "-o", output, "--to", target.format]
            if let compression = target.compression { arguments += ["-Z", compression] }
            let converted = try CLITests.pgdumpkit(arguments)
            try #require(converted.status == 0, "\(arguments): \(converted.standardError)")
            let outputCompression = String((target.compression ?? "none").prefix { $0 != ":" })
            // Read both with one pg_restore that reads both.
            let needs17 = ["lz4", "zstd"].contains(outputCompression) || ["lz4", "zstd"].contains(archive.compression)
            let oracle = try #require(Fixtures.pgRestore(major: needs17 ? "17" : "18"))
            let expected = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", archive.path])
            let actual = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", output])
            #expect(actual.status == 0, "\(archive.relativePath) → \(target): \(actual.standardError)")
            #expect(ByteComparison.difference(actual: actual.standardOutput, expected: expected.standardOutput) == nil,
                    "\(archive.relativePath) → \(target)")
            // pg_restore -l differs only in the Format and Compression lines.
            let before = try Self.listing(oracle, archive.path)
            let after = try Self.listing(oracle, output)
            #expect(before.count == after.count)
            for (old, new) in zip(before, after) where old != new {
                #expect(old.hasPrefix(";     Format: ") || old.hasPrefix(";     Compression: ")
                        || old.hasPrefix(";     Dump Version: "), "\(archive.relativePath) → \(target): \(old) / \(new)")
            }
            // pg_restore 15 reads what stays at version 1.14.
            if archive.pgDumpVersion.hasPrefix("15"), !needs17, let old = Fixtures.pgRestore(major: "15") {
                let theirs = try CommandRunner.run(old, ["-f", "-", "--restrict-key=K", archive.path])
                let ours = try CommandRunner.run(old, ["-f", "-", "--restrict-key=K", output])
                #expect(ByteComparison.difference(actual: ours.standardOutput, expected: theirs.standardOutput) == nil,
                        "pg_restore 15: \(archive.relativePath) → \(target)")
            }
        }
    }

    @Test("subsets restore as pg_restore restores the input with the same options", arguments: [
        ["-t", "orders"], ["-n", "app"], ["-s"], ["-a"], ["--section=pre-data"], ["-x", "--no-comments"],
        ["-t", "Table With Spaces", "-P", "add_tax(numeric, numeric)"],
    ])
    func subsets(_ options: [String]) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        for (relative, format) in [("archives/pg18/custom-default.dump", "d"), ("archives/pg16/tar.tar", "c")] {
            let input = CLITests.path(relative)
            let output = scratch.appendingPathComponent("subset-\(format)").path
            let converted = try CLITests.pgdumpkit(["convert", input, "-o", output, "--to", format] + options)
            try #require(converted.status == 0, "\(converted.standardError)")
            let expected = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K"] + options + [input])
            let actual = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", output])
            #expect(ByteComparison.difference(actual: actual.standardOutput, expected: expected.standardOutput) == nil,
                    "\(relative) \(options)")
            // pg_restore -C of the subset still finds the database entry.
            #expect(try CommandRunner.run(oracle, ["-C", "-f", "/dev/null", output]).status == 0)
            try FileManager.default.removeItem(atPath: output)
        }
    }

    @Test("a subset cut with -L restores as pg_restore -L restores the input")
    func useListSubset() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let input = CLITests.path("archives/pg18/custom-default.dump")
        // The list file the matrix used for this archive (lists are stored once per pg_dump version's dump IDs).
        let row = try #require(SQLMatrixTests.rows.first {
            $0.archive == "archives/pg18/custom-default.dump" && $0.optionSet == "use-list"
        })
        let listArgument = try #require(row.arguments.firstIndex(of: "-L").map { row.arguments[$0 + 1] })
        let list = Fixtures.testdata.appendingPathComponent(listArgument).path
        let output = scratch.appendingPathComponent("listed.dump").path
        #expect(try CLITests.pgdumpkit(["convert", input, "-o", output, "-F", "c", "-L", list]).status == 0)
        let expected = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", "-L", list, input])
        let actual = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", output])
        #expect(ByteComparison.difference(actual: actual.standardOutput, expected: expected.standardOutput) == nil)
    }

    /// COPY blocks of a script: every table's data, whatever else changed around it.
    static func copyBlocks(_ script: [UInt8]) -> [String] {
        let text = String(decoding: script, as: UTF8.self)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("COPY ") && line.hasSuffix(" FROM stdin;") { current = [line] }
            else if current != nil {
                current!.append(line)
                if line == "\\." { blocks.append(current!.joined(separator: "\n")); current = nil }
            }
        }
        return blocks.sorted()
    }

    @Test("archives from pg_dump 17 and 18 written for pg_restore 15 are read by the real pg_restore 15",
          .enabled(if: Fixtures.pgRestore(major: "15") != nil),
          arguments: ["archives/pg17/custom-default.dump", "archives/pg18/directory-default", "archives/pg18/tar.tar",
                      "archives/pg17/custom-zstd.dump", "archives/pg18/custom-statistics.dump"])
    func forOldPgRestore(_ relative: String) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let old = try #require(Fixtures.pgRestore(major: "15"))
        let input = CLITests.path(relative)
        let output = scratch.appendingPathComponent("for15.dump").path
        let zstdInput = relative.contains("zstd")
        let converted = try CLITests.pgdumpkit(
            ["convert", input, "-o", output, "-F", "c", "--for-pg-restore", "15"] + (zstdInput ? ["-Z", "gzip"] : []))
        try #require(converted.status == 0, "\(converted.standardError)")
        #expect(converted.standardError.contains("has no relkind field"))
        // pg_restore 15 refuses the original and reads the conversion.
        #expect(try CommandRunner.run(old, ["-l", input]).standardError.contains("unsupported version (1.16)"))
        let listing = try CommandRunner.run(old, ["-l", output])
        #expect(listing.status == 0, "\(listing.standardError)")
        #expect(String(decoding: listing.standardOutput, as: UTF8.self).contains(";     Dump Version: 1.14-0"))
        let script = try CommandRunner.run(old, ["-f", "-", output])
        #expect(script.status == 0, "\(script.standardError)")
        // The data is all there, unchanged.
        let reference = try CommandRunner.run(
            try #require(Fixtures.pgRestore(major: zstdInput ? "17" : "18")), ["-f", "-", "-a", input])
        #expect(Self.copyBlocks(script.standardOutput) == Self.copyBlocks(reference.standardOutput))
        #expect(String(decoding: script.standardOutput, as: UTF8.self).contains("SELECT pg_catalog.lo_create('16889');"))
    }

    @Test("lz4 or zstd below archive version 1.15 is refused")
    func compressionNeedsVersion() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try CLITests.pgdumpkit([
            "convert", CLITests.path("archives/pg18/custom-none.dump"), "-o", scratch.appendingPathComponent("x").path,
            "-F", "c", "-Z", "lz4", "--for-pg-restore", "15",
        ])
        #expect(result.status == 1)
        #expect(result.standardError.contains("lz4 compression cannot be expressed in archive version 1.14"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    }

    @Test("standard input to standard output: a custom archive without offsets that pg_restore reads")
    func pipes() throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = CLITests.path("archives/pg18/custom-pipe.dump")
        let result = try CLITests.pgdumpkit(["convert", "-", "-o", "-", "-F", "c", "-Z", "gzip:1"], inputFile: input, throughPipe: true)
        #expect(result.status == 0, "\(result.standardError)")
        let output = scratch.appendingPathComponent("piped.dump").path
        try Data(result.standardOutput).write(to: URL(fileURLWithPath: output))
        let expected = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", input])
        let actual = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", output])
        #expect(ByteComparison.difference(actual: actual.standardOutput, expected: expected.standardOutput) == nil)
        let tar = try CLITests.pgdumpkit(["convert", "-", "-o", "-", "-F", "t"], inputFile: input, throughPipe: true)
        try Data(tar.standardOutput).write(to: URL(fileURLWithPath: output + ".tar"))
        let fromTar = try CommandRunner.run(oracle, ["-f", "-", "--restrict-key=K", output + ".tar"])
        #expect(ByteComparison.difference(actual: fromTar.standardOutput, expected: expected.standardOutput) == nil)
    }

    @Test("outputs are never half-written and never replace anything by surprise")
    func safety() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = CLITests.path("archives/pg18/custom-default.dump")
        let existing = scratch.appendingPathComponent("existing.dump").path
        _ = FileManager.default.createFile(atPath: existing, contents: Data("keep me".utf8))
        let refused = try CLITests.pgdumpkit(["convert", input, "-o", existing, "-F", "c"])
        #expect(refused.status == 1)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
        #expect(try CLITests.pgdumpkit(["convert", input, "-o", existing, "-F", "c", "--force"]).status == 0)

        let directory = scratch.appendingPathComponent("dir")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.appendingPathComponent("other").path, contents: Data())
        #expect(try CLITests.pgdumpkit(["convert", input, "-o", directory.path, "-F", "d"]).status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["other"])

        let original = try Data(contentsOf: URL(fileURLWithPath: input))
        let broken = scratch.appendingPathComponent("broken.dump").path
        _ = FileManager.default.createFile(atPath: broken, contents: original.prefix(original.count * 2 / 3))
        for format in ["c", "d", "t"] {
            let target = scratch.appendingPathComponent("never-\(format)").path
            #expect(try CLITests.pgdumpkit(["convert", broken, "-o", target, "-F", format]).status == 1)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        #expect(left == ["broken.dump", "dir", "existing.dump"])

        let itself = try CLITests.pgdumpkit(["convert", existing, "-o", existing, "-F", "c", "--force"])
        #expect(itself.status == 1)
        #expect(itself.standardError.contains("is an input of this command"))
    }
}
