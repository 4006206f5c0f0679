import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The output rules every command follows: inputs are never modified, existing files are replaced only with
/// --force (keeping owner and mode), a file that appears meanwhile is not clobbered, links are written through.
@Suite struct OutputSafetyTests {
    /// A scratch directory holding `a.dump` (a custom archive) and `c.dir` (a directory archive).
    static func workspace() throws -> URL {
        let scratch = try ExtractCLITests.scratchDirectory()
        try FileManager.default.copyItem(
            at: Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump"),
            to: scratch.appendingPathComponent("a.dump"))
        try FileManager.default.copyItem(
            at: Fixtures.testdata.appendingPathComponent("archives/pg18/directory-default"),
            to: scratch.appendingPathComponent("c.dir"))
        return scratch
    }

    /// Runs pgdumpkit in `directory`.
    static func run(_ arguments: [String], in directory: URL, inputFile: String? = nil) throws -> CommandResult {
        try CommandRunner.run(CommandRunner.pgdumpkit, arguments, inputFile: inputFile, workingDirectory: directory)
    }

    static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }
    static func digest(_ url: URL) throws -> [UInt8] { try bytes(url) }

    static func tree(_ url: URL) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory)
            files[name] = isDirectory.boolValue ? [] : try Self.bytes(url.appendingPathComponent(name))
        }
        return files
    }

    @Test("an output that resolves to an input is refused, however it is spelled", arguments: [
        ["sql", "a.dump", "-f", "a.dump", "--force"],
        ["sql", "a.dump", "-f", "./a.dump", "--force"],
        ["sql", "a.dump", "-f", "hard.dump", "--force"],
        ["sql", "a.dump", "-f", "link.dump", "--force"],
        ["extract", "a.dump", "-t", "orders", "-o", "a.dump", "--force"],
        ["convert", "a.dump", "-o", "a.dump", "-F", "t", "--force"],
        ["convert", "c.dir", "-o", "c.dir/toc.dat", "-F", "c", "--force"],
        ["sql", "c.dir", "-f", "c.dir/toc.dat", "--force"],
        ["sql", "c.dir", "-f", "c.dir/new.sql"],
        ["convert", "c.dir", "-o", "c.dir/3778.dat.gz", "-F", "c", "--force"],
        ["extract", "c.dir", "--all", "-o", "c.dir"],
        ["extract", "c.dir", "--all", "-o", "c.dir/sub"],
        ["convert", "c.dir", "-o", "c.dir", "-F", "d"],
        ["convert", "c.dir", "-o", "into-input", "-F", "d"],
    ])
    func inputsAreNeverOutputs(_ arguments: [String]) throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        link(scratch.appendingPathComponent("a.dump").path, scratch.appendingPathComponent("hard.dump").path)
        symlink("a.dump", scratch.appendingPathComponent("link.dump").path)
        // A link to an empty directory inside the input directory archive.
        try FileManager.default.createDirectory(
            at: scratch.appendingPathComponent("c.dir/sub"), withIntermediateDirectories: false)
        symlink("c.dir/sub", scratch.appendingPathComponent("into-input").path)
        let archive = try Self.digest(scratch.appendingPathComponent("a.dump"))
        let directory = try Self.tree(scratch.appendingPathComponent("c.dir"))

        let result = try Self.run(arguments, in: scratch)
        #expect(result.status == 1)
        #expect(result.standardError.contains("is an input of this command")
            || result.standardError.contains("is inside the input directory archive"), "\(result.standardError)")
        #expect(try Self.digest(scratch.appendingPathComponent("a.dump")) == archive)
        #expect(try Self.tree(scratch.appendingPathComponent("c.dir")) == directory)
    }

    @Test("standard input's file is an input too")
    func standardInputIsAnInput() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("a.dump")
        let before = try Self.digest(input)
        let result = try Self.run(["convert", "-", "-o", "a.dump", "-F", "c", "--force"], in: scratch, inputFile: input.path)
        #expect(result.status == 1)
        #expect(result.standardError.contains("is an input of this command"))
        #expect(try Self.digest(input) == before)
    }

    @Test("--force keeps the replaced file's mode; without it an existing file is kept")
    func replacing() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("out.sql")
        try Data("old".utf8).write(to: output)
        chmod(output.path, 0o640)
        let refused = try Self.run(["sql", "a.dump", "-f", "out.sql"], in: scratch)
        #expect(refused.status == 1)
        #expect(try Data(contentsOf: output) == Data("old".utf8))
        // Owned by someone else (where the tests may give files away): the replacement keeps the owner too.
        let givenAway = getuid() == 0 && chown(output.path, 65534, 65534) == 0
        let replaced = try Self.run(["sql", "a.dump", "-f", "out.sql", "--force", "--restrict-key=K"], in: scratch)
        #expect(replaced.status == 0)
        var info = stat()
        stat(output.path, &info)
        #expect(info.st_mode & 0o777 == 0o640)
        if givenAway {
            #expect(info.st_uid == 65534)
            #expect(info.st_gid == 65534)
        }
        #expect(try Data(contentsOf: output).count > 1000)
    }

    @Test("symbolic links: a dangling one needs --force and is written through; a link to a file keeps the link")
    func links() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        symlink("target.sql", scratch.appendingPathComponent("dangling.sql").path)
        let refused = try Self.run(["sql", "a.dump", "-f", "dangling.sql"], in: scratch)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("symbolic link to a file that does not exist"))
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("target.sql").path))
        let forced = try Self.run(["sql", "a.dump", "-f", "dangling.sql", "--force"], in: scratch)
        #expect(forced.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.appendingPathComponent("dangling.sql").path)
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("target.sql").path))
        // A link to standard output (/proc/self/fd/1) is written through, as pg_restore writes through it.
        symlink("/proc/self/fd/1", scratch.appendingPathComponent("stdout.sql").path)
        let throughLink = try Self.run(["sql", "a.dump", "-f", "stdout.sql", "--restrict-key=K"], in: scratch)
        #expect(throughLink.status == 0, "\(throughLink.standardError)")
        #expect(throughLink.standardOutput.starts(with: Array("--\n-- PostgreSQL database dump\n".utf8)))
        // Written through again, the link stays a link.
        #expect(try Self.run(["sql", "a.dump", "-f", "dangling.sql", "--force"], in: scratch).status == 0)
        let again = try FileManager.default.attributesOfItem(atPath: scratch.appendingPathComponent("dangling.sql").path)
        #expect(again[.type] as? FileAttributeType == .typeSymbolicLink)
    }

    @Test("-f '' and -o '' are usage errors that write nothing", arguments: [
        ["sql", "a.dump", "-f", ""], ["convert", "a.dump", "-o", "", "-F", "c"], ["convert", "a.dump", "-o", "", "-F", "d"],
        ["extract", "a.dump", "-t", "orders", "-o", ""], ["extract", "a.dump", "--all", "-o", ""],
    ])
    func emptyOutputName(_ arguments: [String]) throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try Self.run(arguments, in: scratch)
        #expect(result.status == 2, "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == ["a.dump", "c.dir"])
    }

    @Test("a file that appears at the output path while pgdumpkit writes is not replaced")
    func fileAppearingMeanwhile() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = try Self.bytes(scratch.appendingPathComponent("a.dump"))
        let process = Process()
        process.executableURL = CommandRunner.pgdumpkit
        process.arguments = ["sql", "-", "-f", "late.sql", "--restrict-key=K"]
        process.currentDirectoryURL = scratch
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        try process.run()
        // The TOC, then wait until the output's temporary file exists: the output was checked and opened.
        let split = archive.count - 2000
        input.fileHandleForWriting.write(Data(archive[..<split]))
        var waited = 0
        while waited < 500, !(try FileManager.default.contentsOfDirectory(atPath: scratch.path).contains { $0.hasPrefix(".pgdumpkit-") }) {
            usleep(10_000)
            waited += 1
        }
        try Data("mine".utf8).write(to: scratch.appendingPathComponent("late.sql"))
        input.fileHandleForWriting.write(Data(archive[split...]))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(message.contains("a file appeared there while the output was written"), "\(message)")
        #expect(try Data(contentsOf: scratch.appendingPathComponent("late.sql")) == Data("mine".utf8))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: scratch.path).contains { $0.hasPrefix(".pgdumpkit-") }))
    }

    @Test("convert -F d fills an existing empty directory in place, keeping its inode and mode; on failure it is emptied again")
    func fillsEmptyDirectory() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let target = scratch.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        chmod(target.path, 0o750)
        var before = stat()
        stat(target.path, &before)
        let result = try Self.run(["convert", "../a.dump", "-F", "d", "-o", ".", "-q"], in: target)
        #expect(result.status == 0, "\(result.standardError)")
        var after = stat()
        stat(target.path, &after)
        #expect(after.st_ino == before.st_ino)
        #expect(after.st_mode & 0o777 == 0o750)
        #expect(try CLITests.pgdumpkit(["list", target.path]).status == 0)

        // A conversion that fails part way leaves the empty directory as it was.
        let second = scratch.appendingPathComponent("second")
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: false)
        let damaged = scratch.appendingPathComponent("damaged.dump")
        var bytes = try Self.bytes(scratch.appendingPathComponent("a.dump"))
        bytes.removeLast(bytes.count / 3)
        try Data(bytes).write(to: damaged)
        let failed = try Self.run(["convert", "damaged.dump", "-F", "d", "-o", "second", "-q"], in: scratch)
        #expect(failed.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: second.path).isEmpty)
    }

    @Test("extract --all never writes two tables to one file, even with --force")
    func duplicateTableNames() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // A directory archive whose TOC holds one table's data entry twice, under two dump IDs.
        let source = Fixtures.testdata.appendingPathComponent("archives/pg18/directory-none")
        let reader = try Archive.open(path: source.path)
        let table = try #require(reader.entries.first { $0.desc.equals("TABLE DATA") && $0.tag == "orders" })
        var twin = table
        twin.dumpID = 9999
        let copy = scratch.appendingPathComponent("twice")
        try FileManager.default.copyItem(at: source, to: copy)
        var builder = ArchiveBuilder(version: reader.header.version, entries: [])
        builder.header = reader.header
        try Data(builder.buildTOCFile(entries: reader.entries + [twin])).write(to: copy.appendingPathComponent("toc.dat"))
        let out = scratch.appendingPathComponent("out")
        let result = try CLITests.pgdumpkit(["extract", copy.path, "--all", "-o", out.path, "--force", "-q"])
        #expect(result.status == 0, "\(result.standardError)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(names.contains("app.orders.csv"))
        #expect(names.contains("app.orders~2.csv"))
        let first = try Self.bytes(out.appendingPathComponent("app.orders.csv"))
        #expect(!first.isEmpty)
        #expect(try Self.bytes(out.appendingPathComponent("app.orders~2.csv")) == first)
    }

    @Test("a full disk is reported against the output that could not be written", arguments: [
        (["list"], "pgdumpkit: error: standard output: could not write: no space left on device\n"),
        (["sql", "-f", "/dev/full"], "pgdumpkit: error: /dev/full: could not write: no space left on device\n"),
        (["extract", "-t", "orders", "-o", "/dev/full"], "pgdumpkit: error: /dev/full: could not write: no space left on device"),
    ])
    func fullDisk(_ arguments: [String], _ expected: String) throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let process = Process()
        process.executableURL = CommandRunner.pgdumpkit
        process.arguments = [arguments[0], CLITests.path("archives/pg18/custom-none.dump")] + arguments.dropFirst()
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.hasPrefix(expected), "\(message)")
        #expect(message.filter { $0 == "\n" }.count == 1)
    }

    @Test("messages are one line whatever bytes the names they quote hold")
    func oneLineMessages() throws {
        let name = "/nonexistent/a\nb\u{1B}[31mc\u{07}"
        let result = try CLITests.pgdumpkit(["list", name])
        #expect(result.status == 1)
        #expect(result.standardError
            == "pgdumpkit: error: /nonexistent/a b\\x1b[31mc\\x07: could not open input file: no such file or directory\n")
    }

    @Test("-f /dev/stdout writes through to the file standard output is, as pg_restore's fopen does")
    func standardOutputByName() throws {
        let scratch = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let target = scratch.appendingPathComponent("redirected.sql")
        _ = FileManager.default.createFile(atPath: target.path, contents: Data("old contents".utf8))
        let process = Process()
        process.executableURL = CommandRunner.pgdumpkit
        process.arguments = ["sql", scratch.appendingPathComponent("a.dump").path, "-f", "/dev/stdout", "--restrict-key=K"]
        process.standardOutput = try FileHandle(forWritingTo: target)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let written = try Data(contentsOf: target)
        #expect(written.starts(with: Data("--\n-- PostgreSQL database dump\n".utf8)))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: scratch.path).contains { $0.hasPrefix(".pgdumpkit-") }))
    }
}
