import Foundation
import PGDumpTestSupport
import Testing

/// A real nginx serving testdata/ on a loopback port, with an access log of every request's Range and the body
/// bytes it sent. Started in a temporary directory, stopped when released.
final class NginxServer {
    let port: Int
    let root: URL
    private let process: Process

    init(serving testdata: URL) throws {
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let binary = try #require(nginx, "nginx is not installed (scripts/install-deps.sh installs it)")
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
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
                        listen 127.0.0.1:\(port);
                        root \(testdata.path);
                        access_log \(root.path)/access.log bytes;
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

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: root)
    }

    func url(_ relative: String) -> String { "http://127.0.0.1:\(port)/\(relative)" }

    /// The access log's lines so far, and then an empty log.
    func takeAccessLog() throws -> [String] {
        let log = root.appendingPathComponent("access.log")
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try Data().write(to: log)
        return text.split(separator: "\n").map(String.init)
    }

    /// The body bytes sent for `lines` (the log's fourth field).
    static func bodyBytes(_ lines: [String]) -> Int {
        lines.reduce(0) { $0 + (Int($1.split(separator: " ")[3]) ?? 0) }
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
}
