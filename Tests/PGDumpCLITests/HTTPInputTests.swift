import Foundation
import PGDumpTestSupport
import Testing

/// A real nginx serving testdata/ on a loopback port, with an access log of every request's Range and the body
/// bytes it sent. Started in a temporary directory, stopped when released.
final class NginxServer {
    let port: Int
    let root: URL
    private let process: Process

    /// With `tls`, the server speaks HTTPS with a throw-away self-signed certificate for 127.0.0.1 (`certificate`,
    /// made here with openssl).
    private(set) var certificate: URL?

    /// With `uploads`, PUT requests below `/uploads/` write files under `root/uploads` (nginx's WebDAV module).
    init(serving testdata: URL, tls: Bool = false, uploads: Bool = false) throws {
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let binary = try #require(nginx, "nginx is not installed (scripts/install-deps.sh installs it)")
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        if uploads {
            // nginx's workers may run as another user than the tests: they write the uploads and their bodies.
            for folder in ["uploads", "tmp"] {
                try FileManager.default.createDirectory(
                    at: root.appendingPathComponent(folder), withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o777])
            }
        }
        var listen = ""
        if tls {
            let certificate = root.appendingPathComponent("cert.pem")
            let key = root.appendingPathComponent("key.pem")
            let made = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/openssl"), [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path, "-out", certificate.path,
                "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
            try #require(made.status == 0, "openssl could not make a certificate: \(made.standardError)")
            self.certificate = certificate
            listen = " ssl;\n                        ssl_certificate \(certificate.path);\n                        ssl_certificate_key \(key.path)"
        }
        var started: (Process, Int)?
        for _ in 0..<20 where started == nil {
            let port = Int.random(in: 20_000..<60_000)
            let config = """
                daemon off;
                pid \(root.path)/nginx.pid;
                error_log \(root.path)/error.log;
                worker_processes 1;
                events { worker_connections 64; }
                http {
                    log_format bytes '$request_method $request_uri $status $body_bytes_sent "$http_range"';
                    client_body_temp_path \(root.path)/tmp; proxy_temp_path \(root.path)/tmp;
                    fastcgi_temp_path \(root.path)/tmp; uwsgi_temp_path \(root.path)/tmp; scgi_temp_path \(root.path)/tmp;
                    server {
                        listen 127.0.0.1:\(port)\(listen);
                        root \(testdata.path);
                        access_log \(root.path)/access.log bytes;
                        \(uploads ? "location /uploads/ { root \(root.path); dav_methods PUT; create_full_put_path on; client_max_body_size 0; }" : "")
                    }
                }
                """
            try config.write(to: root.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["-c", root.appendingPathComponent("nginx.conf").path, "-p", root.path]
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The pid file appears once the port is bound; nginx exits when the port is taken.
            var waited = 0
            while process.isRunning, waited < 250,
                !FileManager.default.fileExists(atPath: root.appendingPathComponent("nginx.pid").path)
            {
                usleep(20_000)
                waited += 1
            }
            if process.isRunning { started = (process, port) }
        }
        let (process, port) = try #require(started, "nginx did not start on a loopback port")
        self.process = process
        self.port = port
    }

    deinit { TestServerProcess.stop(process, root: root) }

    func url(_ relative: String) -> String { "\(certificate == nil ? "http" : "https")://127.0.0.1:\(port)/\(relative)" }

    /// The access log's lines so far, and then an empty log.
    func takeAccessLog() throws -> [String] {
        try TestServerProcess.takeLines(of: root.appendingPathComponent("access.log"))
    }

    /// The body bytes sent for `lines` (the log's fourth field).
    static func bodyBytes(_ lines: [String]) -> Int {
        lines.reduce(0) { $0 + (Int($1.split(separator: " ")[3]) ?? 0) }
    }
}

/// scripts/faulty-http-server.py: testdata over HTTP with a fault chosen by the URL's first segment (`ok`,
/// `flaky500`, `drop`, `norange`), logging `METHOD PATH RANGE STATUS BYTES` per request.
final class FaultyServer {
    let port: Int
    let root: URL
    private let process: Process

    init(serving testdata: URL) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-faulty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let script = testdata.deletingLastPathComponent().appendingPathComponent("scripts/faulty-http-server.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, testdata.path, root.appendingPathComponent("port").path,
                             root.appendingPathComponent("requests.log").path]
        try process.run()
        var port: Int?
        var waited = 0
        while port == nil, process.isRunning, waited < 250 {
            port = (try? String(contentsOf: root.appendingPathComponent("port"), encoding: .utf8)).flatMap { Int($0) }
            if port == nil { usleep(20_000) }
            waited += 1
        }
        self.port = try #require(port, "the faulty HTTP server did not start")
    }

    deinit { TestServerProcess.stop(process, root: root) }

    func url(_ mode: String, _ relative: String) -> String { "http://127.0.0.1:\(port)/\(mode)/\(relative)" }

    /// The GET requests logged so far (HEAD probes left out), and then an empty log.
    func takeGETs() throws -> [String] {
        try TestServerProcess.takeLines(of: root.appendingPathComponent("requests.log")).filter { $0.hasPrefix("GET ") }
    }
}

enum TestServerProcess {
    /// Stops the server: SIGTERM, then SIGKILL after two seconds, so a test can never hang here.
    static func stop(_ process: Process, root: URL) {
        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: root)
    }

    static func takeLines(of log: URL) throws -> [String] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try Data().write(to: log)
        return text.split(separator: "\n").map(String.init)
    }
}

/// Every command reads archives at http:// URLs, with the same output as for the local file.
@Suite(.serialized) struct HTTPInputTests {
    static let archives = [
        "archives/pg17/custom-none.dump", "archives/pg16/custom-default.dump", "archives/pg17/custom-zstd.dump",
        "archives/pg17/directory-none", "archives/pg17/directory-zstd/", "archives/pg15/directory-default",
        "archives/pg17/tar.tar", "sample/chinook.dump",
    ]

    static let commands: [[String]] = [
        ["list"], ["sql", "--restrict-key=k", "-t", "employees"], ["extract", "-t", "orders"], ["info"],
        ["verify"],
    ]

    @Test("list, sql -t, extract -t, info and verify over HTTP equal local reads", arguments: archives)
    func sameAsLocal(_ archive: String) throws {
        let server = try NginxServer(serving: Fixtures.testdata)
        for command in Self.commands {
            let local = try CLITests.pgdumpkit(command + [CLITests.path(archive)])
            let remote = try CLITests.pgdumpkit(command + [server.url(archive)])
            #expect(remote.status == local.status, "\(command) \(archive): \(remote.standardError)")
            // info and verify name their input on their first line: compare the rest.
            let named = command == ["info"] || command == ["verify"]
            func body(_ output: [UInt8]) -> ArraySlice<UInt8> {
                named ? output.drop { $0 != 0x0A } : output[...]
            }
            let same = body(remote.standardOutput) == body(local.standardOutput)
            #expect(same, "\(command) \(archive): outputs differ")
        }
    }

    @Test("convert and diff read URLs: the converted archive and the differences equal those of local reads")
    func convertAndDiff() throws {
        let server = try NginxServer(serving: Fixtures.testdata)
        let archive = "archives/pg17/directory-lz4"
        let local = server.root.appendingPathComponent("local.dump").path
        let remote = server.root.appendingPathComponent("remote.dump").path
        #expect(try CLITests.pgdumpkit(["convert", "--to", "c", "-o", local, CLITests.path(archive)]).status == 0)
        let converted = try CLITests.pgdumpkit(["convert", "--to", "c", "-o", remote, server.url(archive)])
        #expect(converted.status == 0, "\(converted.standardError)")
        #expect(FileManager.default.contentsEqual(atPath: local, andPath: remote))
        let other = "archives/pg17/custom-zstd.dump"
        let localDiff = try CLITests.pgdumpkit(["diff", CLITests.path(archive), CLITests.path(other)])
        let remoteDiff = try CLITests.pgdumpkit(["diff", server.url(archive), server.url(other)])
        #expect(remoteDiff.status == localDiff.status, "\(remoteDiff.standardError)")
        #expect(remoteDiff.standardOutput == localDiff.standardOutput)
    }

    @Test("convert -o http:// PUTs the whole archive once it is complete; a failed conversion sends nothing")
    func convertUploads() throws {
        let server = try NginxServer(serving: Fixtures.testdata, uploads: true)
        let local = server.root.appendingPathComponent("local.dump")
        let input = CLITests.path("archives/pg17/directory-zstd")
        #expect(try CLITests.pgdumpkit(["convert", "--to", "c", "-o", local.path, input]).status == 0)
        let uploaded = try CLITests.pgdumpkit(["convert", "--to", "c", "-o", server.url("uploads/a/fixture.dump"), input])
        #expect(uploaded.status == 0, "\(uploaded.standardError)")
        let stored = server.root.appendingPathComponent("uploads/a/fixture.dump")
        #expect(FileManager.default.contentsEqual(atPath: stored.path, andPath: local.path))
        // Replaced only with --force.
        let again = try CLITests.pgdumpkit(["convert", "--to", "c", "-o", server.url("uploads/a/fixture.dump"), input])
        #expect(again.status == 1)
        #expect(again.standardError.contains("--force"), "\(again.standardError)")
        #expect(try CLITests.pgdumpkit(["convert", "--to", "c", "--force", "-o", server.url("uploads/a/fixture.dump"), input]).status == 0)
        // A truncated input: the conversion fails before anything is sent.
        let truncated = server.root.appendingPathComponent("truncated.dump")
        try Data(contentsOf: local).prefix(20_000).write(to: truncated)
        let failed = try CLITests.pgdumpkit(["convert", "--to", "c", "-o", server.url("uploads/broken.dump"), truncated.path])
        #expect(failed.status == 1)
        #expect(!FileManager.default.fileExists(atPath: server.root.appendingPathComponent("uploads/broken.dump").path))
        let puts = try server.takeAccessLog().filter { $0.hasPrefix("PUT ") }
        #expect(puts.count == 2, "\(puts)")
    }

    @Test("a long read fetches the next window while the current one arrives: same output, each byte sent about once")
    func longRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-long-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = try S3Tests.largeArchive(megabytes: 30, in: folder)
        let server = try NginxServer(serving: folder)
        let url = server.url(archive.lastPathComponent)
        for command in [["sql", "--restrict-key=k"], ["verify"]] {
            let local = try CLITests.pgdumpkit(command + [archive.path])
            let remote = try CLITests.pgdumpkit(command + [url])
            #expect(remote.status == 0 && local.status == 0, "\(command): \(remote.standardError)")
            let named = command == ["verify"]
            let same = (named ? remote.standardOutput.drop { $0 != 0x0A } : remote.standardOutput[...])
                == (named ? local.standardOutput.drop { $0 != 0x0A } : local.standardOutput[...])
            #expect(same, "\(command): outputs differ")
            let log = try server.takeAccessLog()
            let size = try FileManager.default.attributesOfItem(atPath: archive.path)[.size] as! Int
            let sent = NginxServer.bodyBytes(log)
            // The whole file once, plus at most one window fetched ahead and not needed.
            #expect(sent >= size - (1 << 20) && sent <= size + (8 << 20), "\(command): sent \(sent) of \(size)")
            #expect(log.contains { $0.contains("\"bytes=") && $0.contains(" \(8 << 20) ") }, "\(command): no 8 MiB window: \(log)")
        }
    }

    @Test("sql -t of one small table fetches one 64 KiB window of a custom archive, not the file")
    func fewBytes() throws {
        let server = try NginxServer(serving: Fixtures.testdata)
        let result = try CLITests.pgdumpkit(["sql", "--restrict-key=k", "-t", "genre", server.url("sample/chinook.dump")])
        #expect(result.status == 0, "\(result.standardError)")
        let size = try FileManager.default.attributesOfItem(atPath: CLITests.path("sample/chinook.dump"))[.size] as! Int
        let log = try server.takeAccessLog()
        let sent = NginxServer.bodyBytes(log)
        #expect(sent <= 65536, "\(log)")
        #expect(sent * 2 < size, "sent \(sent) of \(size) bytes: \(log)")
        #expect(log.allSatisfy { $0.contains(" 206 ") && $0.contains("\"bytes=") }, "\(log)")
    }

    @Test("a missing file, a refused connection and an unknown host: one line naming the URL, exit status 1")
    func failures() throws {
        let server = try NginxServer(serving: Fixtures.testdata)
        let cases = [
            (server.url("archives/none.dump"), "server answered HTTP 404 (not found)"),
            ("http://127.0.0.1:1/a.dump", "could not connect: "),
            ("http://user:secret@127.0.0.1:\(server.port)/none.dump?signature=hidden", "HTTP 404"),
        ]
        for (url, expected) in cases {
            let result = try CLITests.pgdumpkit(["list", url])
            let text = result.standardError
            #expect(result.status == 1)
            #expect(text.hasPrefix("pgdumpkit: error: http://"), "\(text)")
            #expect(text.contains(expected), "\(text)")
            #expect(text.filter { $0 == "\n" }.count == 1, "\(text)")
            #expect(!text.contains("secret") && !text.contains("signature"), "\(text)")
        }
    }

    @Test("HTTPS with a certificate the environment names (CURL_CA_BUNDLE): the same as local; without: a TLS error")
    func https() throws {
        let server = try NginxServer(serving: Fixtures.testdata, tls: true)
        let certificate = try #require(server.certificate)
        let archive = "archives/pg17/custom-none.dump"
        let local = try CLITests.pgdumpkit(["sql", "--restrict-key=k", "-t", "employees", Fixtures.testdata.appendingPathComponent(archive).path])
        for variable in ["CURL_CA_BUNDLE", "SSL_CERT_FILE"] {
            // The other variable emptied: a machine may name the system's bundle in both.
            var environment = ["CURL_CA_BUNDLE": "", "SSL_CERT_FILE": ""]
            environment[variable] = certificate.path
            let remote = try CommandRunner.run(
                CommandRunner.pgdumpkit, ["sql", "--restrict-key=k", "-t", "employees", server.url(archive)],
                environment: environment)
            #expect(remote.status == 0, "\(variable): \(remote.standardError)")
            #expect(remote.standardOutput == local.standardOutput, "\(variable)")
        }
        #expect(try server.takeAccessLog().count >= 2)
        // The system's authorities do not know the throw-away certificate.
        let refused = try CommandRunner.run(
            CommandRunner.pgdumpkit, ["list", server.url(archive)], environment: ["CURL_CA_BUNDLE": "", "SSL_CERT_FILE": ""])
        #expect(refused.status == 1)
        #expect(refused.standardError.hasPrefix("pgdumpkit: error: https://127.0.0.1:"), "\(refused.standardError)")
        #expect(refused.standardError.contains("TLS failed"), "\(refused.standardError)")
        #expect(refused.standardError.filter { $0 == "\n" }.count == 1)
    }

    /// `sql -t employees` of `archive` through `server`'s `mode`, compared with the local read; the GETs made.
    private func sqlThroughFault(_ server: FaultyServer, _ mode: String, _ archive: String) throws -> [String] {
        let command = ["sql", "--restrict-key=k", "-t", "employees"]
        let local = try CLITests.pgdumpkit(command + [CLITests.path(archive)])
        let remote = try CLITests.pgdumpkit(command + [server.url(mode, archive)])
        #expect(remote.status == 0, "\(mode) \(archive): \(remote.standardError)")
        let same = remote.standardOutput == local.standardOutput
        #expect(same, "\(mode) \(archive): outputs differ")
        return try server.takeGETs()
    }

    @Test("a 500 is retried, and the output equals the local read")
    func serverError() throws {
        let server = try FaultyServer(serving: Fixtures.testdata)
        for archive in ["archives/pg17/custom-none.dump", "archives/pg17/tar.tar"] {
            let requests = try sqlThroughFault(server, "flaky500", archive)
            #expect(requests.first?.hasSuffix(" 500 0") == true, "\(requests)")
            #expect(requests.dropFirst().allSatisfy { $0.contains(" 206 ") }, "\(requests)")
        }
    }

    @Test("a connection dropped mid-body resumes at the first byte not received")
    func droppedConnection() throws {
        let server = try FaultyServer(serving: Fixtures.testdata)
        let requests = try sqlThroughFault(server, "drop", "archives/pg17/tar.tar")
        #expect(requests.count >= 2, "\(requests)")
        #expect(requests.first?.hasSuffix("bytes=0-65535 206 32768") == true, "\(requests)")
        #expect(requests.dropFirst().first?.contains(" bytes=32768-") == true, "\(requests)")
    }

    @Test("a file replaced between two requests is an error, not a mix of two files (If-Match with the first ETag)")
    func fileChanged() throws {
        let server = try FaultyServer(serving: Fixtures.testdata)
        // More than the first window: the TOC needs a second request.
        let result = try CLITests.pgdumpkit(["sql", "--restrict-key=k", server.url("changing", "sample/chinook.dump")])
        #expect(result.status == 1)
        #expect(result.standardError.contains("412") && result.standardError.contains("changed"), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
    }

    @Test("a server that ignores Range is read as one stream, for every format")
    func rangeIgnored() throws {
        let server = try FaultyServer(serving: Fixtures.testdata)
        for archive in ["archives/pg17/custom-none.dump", "archives/pg17/tar.tar", "archives/pg17/directory-zstd/"] {
            let requests = try sqlThroughFault(server, "norange", archive)
            #expect(!requests.isEmpty && requests.allSatisfy { $0.contains(" 200 ") }, "\(requests)")
            // One GET per file: nothing is downloaded twice.
            #expect(Set(requests.map { $0.split(separator: " ")[1] }).count == requests.count, "\(requests)")
        }
    }
}
