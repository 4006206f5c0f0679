import Foundation
import PGDumpTestSupport
import Testing

/// `pgdumpkit extract`, run as a program: the server's CSV for every table, names, files and errors.
@Suite struct ExtractCLITests {
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-extract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let expectedCSV = Fixtures.testdata.appendingPathComponent("expected-csv")

    /// The file names a `MANIFEST.tsv` of the server's CSV lists (`testdata/expected-csv` by default).
    static func expectedFiles(in directory: URL = expectedCSV) throws -> [String] {
        // The names are in the database's encoding (LATIN1 for some); the file names are ASCII.
        try Fixtures.bytes(directory.appendingPathComponent("MANIFEST.tsv"))
            .split(separator: 0x0A).map { String(decoding: $0.split(separator: 0x09).last!, as: UTF8.self) }
    }

    @Test("extract --all --format csv --header writes the server's CSV of every table, file for file",
          arguments: Fixtures.archiveCases)
    func everyTable(_ archive: Fixtures.ArchiveCase) throws {
        let output = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try CLITests.pgdumpkit(
            ["extract", archive.path, "--all", "-o", output.path, "--format", "csv", "--header"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError == "" || !archive.isFixture)
        #expect(result.standardOutput.isEmpty)
        let written = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        let expected = try Self.expectedFiles(in: archive.expectedCSV).sorted()
        #expect(written == expected)
        for name in expected where written.contains(name) {
            let actual = try Fixtures.bytes(output.appendingPathComponent(name))
            let server = ExpectedOutput.withOIDHeader(
                try Fixtures.bytes(archive.expectedCSV.appendingPathComponent(name)), like: actual)
            #expect(ByteComparison.difference(actual: actual, expected: server) == nil, "\(archive) \(name)")
        }
    }

    @Test("names with dots, quotes, spaces and newlines, given every way", arguments: [
        (["-n", #"Odd "Schema" Name"#, "-t", "Dotted.Table Name"], "Odd%20%22Schema%22%20Name.Dotted%2ETable%20Name.csv"),
        (["-t", #"Odd "Schema" Name.Dotted.Table Name"#], "Odd%20%22Schema%22%20Name.Dotted%2ETable%20Name.csv"),
        (["--patterns", "-t", #""Odd ""Schema"" Name"."Table With Spaces""#], "Odd%20%22Schema%22%20Name.Table%20With%20Spaces.csv"),
        (["-t", "app.new\nline"], "app.new%0Aline.csv"),
        (["--patterns", "-t", #"app."Regions EU""#], "app.Regions%20EU.csv"),
        (["-t", "Regions EU"], "app.Regions%20EU.csv"),
        (["-t", "all_types"], "app.all_types.csv"),
        (["-n", "history", "-t", "vehicles"], "history.vehicles.csv"),
    ])
    func names(_ arguments: [String], _ file: String) throws {
        let archive = CLITests.path("archives/pg17/custom-zstd.dump")
        let result = try CLITests.pgdumpkit(["extract", archive, "--header"] + arguments)
        #expect(result.status == 0, "\(result.standardError)")
        let expected = try Fixtures.bytes(Self.expectedCSV.appendingPathComponent(file))
        #expect(ByteComparison.difference(actual: result.standardOutput, expected: expected) == nil)
    }

    @Test("extract reads custom and tar archives from standard input, also through a pipe", arguments: [
        "archives/pg18/custom-pipe.dump", "archives/pg16/tar.tar",
    ])
    func standardInput(_ relative: String) throws {
        for throughPipe in [false, true] {
            let result = try CLITests.pgdumpkit(
                ["extract", "-", "-t", "orders", "--header"], inputFile: CLITests.path(relative), throughPipe: throughPipe)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardOutput == (try Fixtures.bytes(Self.expectedCSV.appendingPathComponent("app.orders.csv"))))
        }
    }

    @Test("the other formats: tsv with a header, jsonl with --typed, copy as stored")
    func otherFormats() throws {
        let archive = CLITests.path("archives/pg18/directory-default")
        let tsv = try CLITests.pgdumpkit(["extract", archive, "-t", "order", "--format", "tsv", "--header"])
        #expect(String(decoding: tsv.standardOutput, as: UTF8.self) == "user\tgroup\nme\t1\n")
        let jsonl = try CLITests.pgdumpkit(["extract", archive, "-t", "order", "--format", "jsonl", "--typed"])
        #expect(String(decoding: jsonl.standardOutput, as: UTF8.self) == "{\"user\":\"me\",\"group\":1}\n")
        let copy = try CLITests.pgdumpkit(["extract", archive, "-t", "order", "--format", "copy"])
        #expect(String(decoding: copy.standardOutput, as: UTF8.self) == "me\t1\n")
        let events = try CLITests.pgdumpkit(["extract", archive, "-t", "events", "--format", "jsonl"])
        let lines = events.standardOutput.split(separator: 0x0A)
        #expect(lines.count == 2000)
        for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line)) }
    }

    @Test("-o writes a file under a temporary name; an existing one is replaced only with --force")
    func outputFile() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("orders.csv").path
        let archive = CLITests.path("archives/pg15/custom-default.dump")
        #expect(try CLITests.pgdumpkit(["extract", archive, "-t", "orders", "-o", file]).status == 0)
        let again = try CLITests.pgdumpkit(["extract", archive, "-t", "orders", "-o", file])
        #expect(again.status == 1)
        #expect(again.standardError == "pgdumpkit: error: \(file): file exists; use --force to replace it\n")
        let forced = try CLITests.pgdumpkit(["extract", archive, "-t", "customers", "-o", file, "--force"])
        #expect(forced.status == 0)
        var expected = try Fixtures.bytes(Self.expectedCSV.appendingPathComponent("app.customers.csv"))
        expected = Array(expected.drop { $0 != 0x0A }.dropFirst())  // no --header
        #expect(try Fixtures.bytes(URL(fileURLWithPath: file)) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["orders.csv"])
        // Several -t into a directory that -o names.
        let directory = scratch.appendingPathComponent("tables").path
        let several = try CLITests.pgdumpkit(["extract", archive, "-t", "orders", "-t", "history.cars", "-o", directory, "--format", "jsonl"])
        #expect(several.status == 0, "\(several.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["app.orders.jsonl", "history.cars.jsonl"])
        // A device is written to, never replaced.
        let device = try CLITests.pgdumpkit(["extract", archive, "-t", "orders", "-o", "/dev/null"])
        #expect(device.status == 0, "\(device.standardError)")
        let type = (try FileManager.default.attributesOfItem(atPath: "/dev/null"))[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
        let notDirectory = try CLITests.pgdumpkit(["extract", archive, "--all", "-o", file])
        #expect(notDirectory.status == 1)
        #expect(notDirectory.standardError.contains("not a directory"))
    }

    @Test("tables that do not fit get one line listing the candidates, and exit status 1", arguments: [
        (["-t", "ordrs"], #"pgdumpkit: error: the archive has no data for a table named "ordrs"; did you mean app.orders, app."order"?"#),
        (["-t", "measurements"], "pgdumpkit: error: table app.measurements has no data in the archive: it is a partitioned table; its rows are in its partitions: app.measurements_2023, "),
        (["-n", "nosuch", "--all", "-o", "/nonexistent"], #"pgdumpkit: error: no table in schema "nosuch" has data in the archive"#),
    ])
    func lookupErrors(_ arguments: [String], _ message: String) throws {
        let result = try CLITests.pgdumpkit(["extract", CLITests.path("archives/pg18/custom-default.dump")] + arguments)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.hasPrefix(message), "\(result.standardError)")
        #expect(result.standardError.filter { $0 == "\n" }.count == 1)
    }

    @Test("usage errors exit with status 2", arguments: [
        (["-t", "orders", "--to", "jsonl", "--header"], "--header applies only to --to csv and --to tsv"),
        (["-t", "orders", "--typed"], "--typed applies only to --to jsonl"),
        (["-t", "orders", "-t", "customers"], "several tables are written one file each: name a directory with -o"),
        (["--all"], "several tables are written one file each: name a directory with -o"),
        ([], "name a table with -t, or give --all"),
        (["-t", "orders", "--all", "-o", "x"], "-t and --all cannot be used together"),
        (["-t", "orders", "--to", "xml"], "xml"),
    ])
    func usageErrors(_ arguments: [String], _ message: String) throws {
        let result = try CLITests.pgdumpkit(["extract", CLITests.path("archives/pg18/custom-default.dump")] + arguments)
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("pgdumpkit: error: "))
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test("an unknown input format fails as pg_restore's -F check does, with status 1")
    func unknownInputFormat() throws {
        let result = try CLITests.pgdumpkit(
            ["extract", CLITests.path("archives/pg18/custom-default.dump"), "-t", "orders", "--input-format", "x"])
        #expect(result.status == 1)
        #expect(result.standardError
            == "pgdumpkit: error: unrecognized archive format \"x\"; please specify \"c\", \"d\", or \"t\"\n")
    }

    @Test("damaged data fails the extract, naming file, entry and line, and leaves no output file")
    func damagedData() throws {
        let scratch = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let directory = scratch.appendingPathComponent("archive")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: CLITests.path("archives/pg18/directory-none")), to: directory)
        let data = directory.appendingPathComponent("3782.dat")
        let bytes = try Fixtures.bytes(data)
        try Data(bytes.prefix(bytes.count / 2)).write(to: data)
        let output = scratch.appendingPathComponent("orders.csv").path
        let result = try CLITests.pgdumpkit(["extract", directory.path, "-t", "orders", "-o", output])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("pgdumpkit: error: \(data.path): line "), "\(result.standardError)")
        #expect(result.standardError.contains("the data ends in the middle of a row: it is truncated (at offset "))
        #expect(result.standardError.hasSuffix(", entry 3782)\n"))
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["archive"])
    }
}
