import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// scripts/s3-test-server.py: moto's S3 server on a loopback port, checking every request's signature against
/// an access key of its own, with testdata's archives uploaded to the bucket "pgdumpkit-tests" under their paths.
final class S3TestServer {
    let port: Int
    let accessKey: String
    let secretKey: String
    let root: URL
    private let process: Process

    static let bucket = "pgdumpkit-tests"

    init(uploading paths: [String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let script = Fixtures.testdata.deletingLastPathComponent().appendingPathComponent("scripts/s3-test-server.py")
        let state = root.appendingPathComponent("state")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, state.path, Fixtures.testdata.path] + paths
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var fields: [Substring] = []
        var waited = 0
        while fields.count != 3, process.isRunning, waited < 1500 {
            fields = ((try? String(contentsOf: state, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace)
            if fields.count != 3 { usleep(20_000) }
            waited += 1
        }
        guard fields.count == 3, let port = Int(fields[0]) else {
            TestServerProcess.stop(process, root: root)
            throw S3TestError("the S3 test server (moto) did not start: is moto[server] installed? (scripts/install-deps.sh)")
        }
        self.port = port
        accessKey = String(fields[1])
        secretKey = String(fields[2])
    }

    deinit { TestServerProcess.stop(process, root: root) }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    func url(_ key: String) -> String { "s3://\(Self.bucket)/\(key)" }

    /// The environment of a command that reaches this server with its key, and nothing from the machine's AWS
    /// settings.
    var environment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_SESSION_TOKEN": "",
            "AWS_ENDPOINT_URL": endpoint, "AWS_ENDPOINT_URL_S3": "", "AWS_PROFILE": "", "AWS_REGION": "us-east-1",
            "AWS_SHARED_CREDENTIALS_FILE": root.appendingPathComponent("none").path,
            "AWS_CONFIG_FILE": root.appendingPathComponent("none").path,
        ]
    }

    func pgdumpkit(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.run(CommandRunner.pgdumpkit, arguments, environment: environment.merging(extra) { $1 })
    }

    /// An object's bytes, or nil when there is none; and the multipart uploads in progress (through boto3).
    func object(_ key: String) throws -> Data? {
        let file = root.appendingPathComponent("object-\(UUID().uuidString)")
        let result = try python("""
            try:
                s3.download_file(bucket, sys.argv[1], sys.argv[2])
            except botocore.exceptions.ClientError:
                pass
            """, [key, file.path])
        try #require(result.status == 0, "\(result.standardError)")
        defer { try? FileManager.default.removeItem(at: file) }
        return FileManager.default.fileExists(atPath: file.path) ? try Data(contentsOf: file) : nil
    }

    func uploadsInProgress() throws -> Int {
        let result = try python("print(len(s3.list_multipart_uploads(Bucket=bucket).get('Uploads', [])))", [])
        try #require(result.status == 0, "\(result.standardError)")
        return Int(String(decoding: result.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    private func python(_ body: String, _ arguments: [String]) throws -> CommandResult {
        let program = """
            import sys, boto3, botocore
            s3 = boto3.client("s3", endpoint_url="\(endpoint)", region_name="us-east-1",
                              aws_access_key_id="\(accessKey)", aws_secret_access_key="\(secretKey)")
            bucket = "\(Self.bucket)"
            \(body)
            """
        return try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", program] + arguments)
    }
}

struct S3TestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Every command reads archives at s3:// URLs from a real S3-compatible server that checks signatures, with the
/// same output as for the local file; convert writes to s3:// with a multipart upload.
@Suite(.serialized) struct S3Tests {
    static let archives = [
        "archives/pg17/custom-none.dump", "archives/pg16/custom-default.dump", "archives/pg17/custom-zstd.dump",
        "archives/pg17/directory-none", "archives/pg15/directory-default", "archives/pg17/tar.tar",
        "sample/chinook.dump",
    ]

    @Test("list, sql -t, extract -t, info and verify over S3 equal local reads, for every format")
    func sameAsLocal() throws {
        let server = try S3TestServer(uploading: Self.archives)
        for archive in Self.archives {
            // A directory archive at its key prefix, with and without the trailing slash.
            let keys = archive.contains("directory") ? [archive, archive + "/"] : [archive]
            for key in keys {
                for command in HTTPInputTests.commands {
                    let local = try CLITests.pgdumpkit(command + [CLITests.path(archive)])
                    let remote = try server.pgdumpkit(command + [server.url(key)])
                    #expect(remote.status == local.status, "\(command) \(key): \(remote.standardError)")
                    let named = command == ["info"] || command == ["verify"]
                    func body(_ output: [UInt8]) -> ArraySlice<UInt8> { named ? output.drop { $0 != 0x0A } : output[...] }
                    let same = body(remote.standardOutput) == body(local.standardOutput)
                    #expect(same, "\(command) \(key): outputs differ")
                }
            }
        }
    }

    @Test("credentials and endpoint from profile files, --endpoint-url, and one-line errors that print no secret")
    func configurationAndErrors() throws {
        let server = try S3TestServer(uploading: ["sample/chinook.dump"])
        let expected = try CLITests.pgdumpkit(["list", CLITests.path("sample/chinook.dump")])
        let key = "sample/chinook.dump"

        // A named profile in a credentials file and an endpoint in the config file; no key in the environment.
        let credentials = server.root.appendingPathComponent("credentials")
        let config = server.root.appendingPathComponent("config")
        try "[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n[tests]\naws_access_key_id = \(server.accessKey)\naws_secret_access_key = \(server.secretKey)\n"
            .write(to: credentials, atomically: true, encoding: .utf8)
        try "# the tests' store\n[profile tests]\nregion = us-east-1\nendpoint_url = \(server.endpoint)\ns3 =\n    addressing_style = path\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let profiles: [String: String] = [
            "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_ENDPOINT_URL": "", "AWS_REGION": "",
            "AWS_PROFILE": "tests", "AWS_SHARED_CREDENTIALS_FILE": credentials.path, "AWS_CONFIG_FILE": config.path,
        ]
        let viaProfile = try server.pgdumpkit(["list", server.url(key)], environment: profiles)
        #expect(viaProfile.status == 0, "\(viaProfile.standardError)")
        #expect(viaProfile.standardOutput == expected.standardOutput)

        // --endpoint-url comes before AWS_ENDPOINT_URL.
        let viaOption = try server.pgdumpkit(
            ["list", "--endpoint-url", server.endpoint, server.url(key)],
            environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:1"])
        #expect(viaOption.status == 0, "\(viaOption.standardError)")
        #expect(viaOption.standardOutput == expected.standardOutput)

        func expectOneLine(_ result: CommandResult, _ fragments: [String], _ label: String) {
            let text = result.standardError
            #expect(result.status == 1, "\(label): \(text)")
            #expect(text.split(separator: "\n").count == 1, "\(label): \(text)")
            for fragment in fragments { #expect(text.contains(fragment), "\(label): \(text)") }
            #expect(!text.contains(server.secretKey), "\(label) printed the secret key")
            #expect(result.standardOutput.isEmpty, "\(label)")
        }
        let wrongSecret = try server.pgdumpkit(["list", server.url(key)], environment: ["AWS_SECRET_ACCESS_KEY": "not-the-key"])
        expectOneLine(wrongSecret, ["403", server.url(key)], "a wrong secret")
        let missingKey = try server.pgdumpkit(["sql", "-t", "genre", server.url("sample/none.dump")])
        expectOneLine(missingKey, ["404", server.url("sample/none.dump")], "a missing key")
        let missingBucket = try server.pgdumpkit(["list", "s3://no-such-bucket/x.dump"])
        expectOneLine(missingBucket, ["404", "s3://no-such-bucket/x.dump"], "a missing bucket")
        let unsigned = try server.pgdumpkit(
            ["list", server.url(key)], environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""])
        expectOneLine(unsigned, ["403", "no AWS credentials"], "no credentials")
        let unknownProfile = try server.pgdumpkit(["list", server.url(key)], environment: ["AWS_PROFILE": "nobody"])
        expectOneLine(unknownProfile, ["\"nobody\""], "an unknown profile")
        let badBucket = try server.pgdumpkit(["list", "s3://Bad_Bucket/x.dump"])
        expectOneLine(badBucket, ["not a valid S3 bucket name"], "an invalid bucket name")
        let refused = try server.pgdumpkit(["list", "--endpoint-url", "http://127.0.0.1:1", server.url(key)])
        expectOneLine(refused, ["could not connect"], "a refused connection")
    }

    /// A custom archive of `megabytes` of table data, uncompressed, built in `folder`.
    static func largeArchive(megabytes: Int, in folder: URL) throws -> URL {
        var rows: [UInt8] = []
        rows.reserveCapacity(megabytes << 20 + 64)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var id = 0
        while rows.count < megabytes << 20 {
            // Numbers from a xorshift generator: data that a compressor cannot shrink much.
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            id += 1
            rows += Array("\(id)\t\(state)\t\(state &* 31)\n".utf8)
        }
        rows += Array("\\.\n\n\n".utf8)
        var entries = SampleTOC.smallDatabase()
        for index in entries.indices where entries[index].1 != nil {
            entries[index].0.copyStmt = "COPY app.items (id, a, b) FROM stdin;\n"
            entries[index].1 = rows
        }
        let path = folder.appendingPathComponent("large-\(megabytes).dump")
        try Data(ArchiveBuilder(version: .v1_16, entries: entries).build()).write(to: path)
        return path
    }

    @Test("convert -o s3:// uploads the same bytes as a local convert: one PUT when small, a multipart upload when large")
    func convertUploads() throws {
        let server = try S3TestServer(uploading: [])
        let large = try Self.largeArchive(megabytes: 40, in: server.root)
        let cases: [(input: String, arguments: [String], key: String)] = [
            (CLITests.path("sample/chinook.dump"), ["--to", "c"], "out/chinook.dump"),
            (CLITests.path("archives/pg17/directory-zstd"), ["--to", "t"], "out/fixture.tar"),
            (large.path, ["--to", "c", "-Z", "0"], "out/large.dump"),
            (large.path, ["--to", "c", "-Z", "gzip:1"], "out/large-gzip.dump"),
            (large.path, ["--to", "p", "--restrict-key=k"], "out/large.sql"),
        ]
        for (input, arguments, key) in cases {
            let local = server.root.appendingPathComponent("local-\(UUID().uuidString)")
            let made = try CLITests.pgdumpkit(["convert"] + arguments + ["-o", local.path, input])
            #expect(made.status == 0, "\(made.standardError)")
            let uploaded = try server.pgdumpkit(["convert"] + arguments + ["-o", server.url(key), input])
            #expect(uploaded.status == 0, "\(key): \(uploaded.standardError)")
            let object = try server.object(key)
            if arguments.contains("t") {
                // A tar archive records when it was written: compare what it holds.
                let objectFile = server.root.appendingPathComponent("object.tar")
                try #require(object).write(to: objectFile)
                let fromObject = try CLITests.pgdumpkit(["sql", "--restrict-key=k", objectFile.path])
                let fromLocal = try CLITests.pgdumpkit(["sql", "--restrict-key=k", local.path])
                let same = fromObject.status == 0 && fromObject.standardOutput == fromLocal.standardOutput
                #expect(same, "\(key): the object holds other SQL than the local output")
            } else {
                let same = object == (try Data(contentsOf: local))
                #expect(same, "\(key): the object differs from the local output")
            }
            // Read back over S3: the archive's offsets were written into its TOC, so one table is read alone.
            if arguments.contains("c") {
                let back = try server.pgdumpkit(["list", server.url(key)])
                let direct = try CLITests.pgdumpkit(["list", local.path])
                let same = back.standardOutput == direct.standardOutput
                #expect(same, "\(key): list differs")
            }
        }
        #expect(try server.uploadsInProgress() == 0)

        // An existing object is replaced only with --force, as a file is.
        let again = try server.pgdumpkit(["convert", "--to", "c", "-o", server.url("out/chinook.dump"), CLITests.path("sample/chinook.dump")])
        #expect(again.status == 1)
        #expect(again.standardError.contains("--force"), "\(again.standardError)")
        let forced = try server.pgdumpkit(
            ["convert", "--to", "t", "--force", "-o", server.url("out/chinook.dump"), CLITests.path("sample/chinook.dump")])
        #expect(forced.status == 0, "\(forced.standardError)")
        // Every output file may be a URL: sql -f, list -f, extract -o; a directory of files may not.
        let chinook = CLITests.path("sample/chinook.dump")
        for (arguments, key, expected) in [
            (["sql", "--restrict-key=k", "-f"], "out/chinook.sql", ["sql", "--restrict-key=k", chinook]),
            (["list", "-f"], "out/chinook.list", ["list", chinook]),
            (["extract", "-t", "genre", "-o"], "out/genre.csv", ["extract", "-t", "genre", chinook]),
        ] {
            let written = try server.pgdumpkit(arguments + [server.url(key), chinook])
            #expect(written.status == 0, "\(key): \(written.standardError)")
            let same = try server.object(key) == Data(try CLITests.pgdumpkit(expected).standardOutput)
            #expect(same, "\(key): the object differs from the command's output")
        }
        let all = try server.pgdumpkit(["extract", "--all", "-o", server.url("out/all/"), chinook])
        #expect(all.status == 2 && all.standardError.contains("not to a URL"), "\(all.standardError)")
        let directory = try server.pgdumpkit(["convert", "--to", "d", "-o", server.url("out/dir"), CLITests.path("sample/chinook.dump")])
        #expect(directory.status != 0)
        #expect(directory.standardError.contains("cannot be written to a URL"), "\(directory.standardError)")
    }

    @Test("a conversion that fails midway leaves no object and no multipart upload behind")
    func failedConversionLeavesNothing() throws {
        let server = try S3TestServer(uploading: [])
        let large = try Self.largeArchive(megabytes: 40, in: server.root)
        // Cut inside the table's data, past the first parts.
        let truncated = server.root.appendingPathComponent("truncated.dump")
        try Data(contentsOf: large).prefix(34 << 20).write(to: truncated)
        let result = try server.pgdumpkit(["convert", "--to", "c", "-Z", "0", "-o", server.url("out/broken.dump"), truncated.path])
        #expect(result.status == 1, "\(result.standardError)")
        #expect(try server.object("out/broken.dump") == nil)
        #expect(try server.uploadsInProgress() == 0)
    }

    @Test("a conversion stopped by a signal aborts its multipart upload: no object and no upload are left")
    func interruptedConversionLeavesNothing() throws {
        let server = try S3TestServer(uploading: [])
        let large = try Data(contentsOf: Self.largeArchive(megabytes: 40, in: server.root))
        let process = Process()
        process.executableURL = CommandRunner.pgdumpkit
        process.arguments = ["convert", "-", "--to", "c", "-Z", "0", "-o", server.url("out/stopped.dump")]
        process.environment = ProcessInfo.processInfo.environment.merging(server.environment) { $1 }
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Enough for the head and a first part; then nothing more, so the command waits with its upload open.
        try input.fileHandleForWriting.write(contentsOf: large.prefix(30 << 20))
        var waited = 0
        while waited < 500, try server.uploadsInProgress() == 0 {
            usleep(20_000)
            waited += 1
        }
        #expect(try server.uploadsInProgress() == 1, "the upload is in progress while the command runs")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        #expect(process.terminationStatus == 128 + SIGTERM)
        #expect(try server.uploadsInProgress() == 0)
        #expect(try server.object("out/stopped.dump") == nil)
    }
}
