import Foundation
import PGDumpTestSupport
import Testing

/// `--with-deps` through the built binary: the listing explains each added entry and still works as a `-L` list,
/// `convert` keeps exactly the closure, `--json` marks it, and inputs without a dependency graph are refused.
@Suite struct WithDepsCLITests {
    static let archive = CLITests.path("archives/pg18/custom-default.dump")

    /// The dump IDs of a listing's entry lines, in order.
    static func listedIDs(_ listing: [UInt8]) -> [Int32] {
        String(decoding: listing, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let semicolon = line.firstIndex(of: ";"), semicolon != line.startIndex else { return nil }
            return Int32(line[..<semicolon])
        }
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-with-deps-\(UUID().uuidString)-\(name)").path
    }

    @Test("list --with-deps -v: the selection's entries, and after each added one why it came in",
          arguments: [["-t", "orders"], ["-t", "sensor_notes"], ["-n", "history"], ["-P", "orders_by_status(text)"]])
    func explained(_ selection: [String]) throws {
        let plain = try CLITests.pgdumpkit(["list"] + selection + [Self.archive])
        let closed = try CLITests.pgdumpkit(["list", "--with-deps", "-v"] + selection + [Self.archive])
        #expect(plain.status == 0 && closed.status == 0)
        let selected = Set(Self.listedIDs(plain.standardOutput))
        let lines = String(decoding: closed.standardOutput, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var added = 0
        for (index, line) in lines.enumerated() {
            guard let semicolon = line.firstIndex(of: ";"), let id = Int32(line[..<semicolon]) else { continue }
            let next = index + 1 < lines.count ? lines[index + 1] : ""
            let explainedLine = next.hasPrefix(";\tneeded by ") || next.hasPrefix(";\tpart of ")
            #expect(explainedLine == !selected.contains(id), "entry \(id): \(next)")
            if explainedLine { added += 1 }
        }
        #expect(added > 0)
        #expect(selected.isSubset(of: Set(Self.listedIDs(closed.standardOutput))))
    }

    @Test("the -v listing given back with -L gives the same script, as does convert --with-deps rendered whole")
    func listAndConvertRoundTrip() throws {
        let listFile = Self.temporaryPath("list")
        let converted = Self.temporaryPath("orders.dump")
        defer { try? FileManager.default.removeItem(atPath: listFile); try? FileManager.default.removeItem(atPath: converted) }
        let listing = try CLITests.pgdumpkit(["list", "--with-deps", "-v", "-t", "orders", "-f", listFile, Self.archive])
        #expect(listing.status == 0)
        let direct = try CLITests.pgdumpkit(["sql", "--with-deps", "-t", "orders", "--restrict-key", "K", Self.archive])
        let viaList = try CLITests.pgdumpkit(["sql", "-L", listFile, "--restrict-key", "K", Self.archive])
        #expect(direct.status == 0 && viaList.status == 0)
        #expect(ByteComparison.difference(actual: viaList.standardOutput, expected: direct.standardOutput) == nil)
        // Without --with-deps the script is pg_restore -t's, which lacks the schema the table is in.
        let bare = try CLITests.pgdumpkit(["sql", "-t", "orders", "--restrict-key", "K", Self.archive])
        #expect(!String(decoding: bare.standardOutput, as: UTF8.self).contains("CREATE SCHEMA app;"))
        #expect(String(decoding: direct.standardOutput, as: UTF8.self).contains("CREATE SCHEMA app;"))

        let convert = try CLITests.pgdumpkit(["convert", "-q", "--with-deps", "-t", "orders", "--to", "c", "-o", converted, Self.archive])
        #expect(convert.status == 0, "\(convert.standardError)")
        let rendered = try CLITests.pgdumpkit(["sql", "--restrict-key", "K", converted])
        #expect(ByteComparison.difference(actual: rendered.standardOutput, expected: direct.standardOutput) == nil)
    }

    @Test("real pg_restore 18 given the --with-deps listing as -L writes the script sql --with-deps writes",
          .enabled(if: Fixtures.pgRestore(major: "18") != nil, "pg_restore oracles are not installed"),
          arguments: [["-t", "orders"], ["-t", "sensor_notes"], ["-n", "history"], ["-s", "-t", "measurements_2024_h0"]])
    func pgRestoreAcceptsTheListing(_ selection: [String]) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let listFile = Self.temporaryPath("list")
        defer { try? FileManager.default.removeItem(atPath: listFile) }
        #expect(try CLITests.pgdumpkit(["list", "--with-deps", "-v"] + selection + ["-f", listFile, Self.archive]).status == 0)
        // The kind options (-s) are given to both: a -L list names entries, not what of them to restore.
        let kindOptions = selection.filter { $0 == "-s" }
        let expected = try CommandRunner.run(oracle, ["-L", listFile, "-f", "-", "--restrict-key", "K"] + kindOptions + [Self.archive])
        let actual = try CLITests.pgdumpkit(["sql", "--with-deps", "--restrict-key", "K"] + selection + [Self.archive])
        #expect(expected.status == 0 && actual.status == 0, "\(expected.standardError)")
        #expect(ByteComparison.difference(actual: actual.standardOutput, expected: expected.standardOutput) == nil)
    }

    @Test("list --json --with-deps: every entry, the closure's marked selected with its reason")
    func json() throws {
        let result = try CLITests.pgdumpkit(["list", "--json", "--with-deps", "-t", "orders", Self.archive])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        let listed = Set(Self.listedIDs(try CLITests.pgdumpkit(["list", "--with-deps", "-t", "orders", Self.archive]).standardOutput))
        let plain = Set(Self.listedIDs(try CLITests.pgdumpkit(["list", "-t", "orders", Self.archive]).standardOutput))
        #expect(entries.count == object["tocCount"] as? Int)
        for entry in entries {
            let id = try #require((entry["dumpId"] as? Int).map(Int32.init))
            #expect(entry["selected"] as? Bool == listed.contains(id), "entry \(id)")
            let reason = entry["reason"] as? String
            if !listed.contains(id) {
                #expect(reason == nil)
            } else if plain.contains(id) {
                #expect(reason == "selected")
            } else {
                #expect(reason == "dependency" || reason == "part", "entry \(id)")
                let through = try #require(entry["through"] as? [String: Any])
                let neededBy = try #require(entry["neededBy"] as? [String: Any])
                #expect(through["desc"] is String && through["dumpId"] is Int)
                #expect(plain.contains(Int32(try #require(neededBy["dumpId"] as? Int))))
            }
        }
    }

    @Test("inputs that record no dependency graph are refused, saying why", arguments: [
        "plain-real/fixture/pg18/verbose.sql.gz", "plain-real/fixture/pg18/default.sql.gz",
    ])
    func refused(_ input: String) throws {
        for command in ["list", "sql"] {
            let result = try CLITests.pgdumpkit([command, "--with-deps", "-t", "orders", CLITests.path(input)])
            #expect(result.status == 1)
            #expect(result.standardOutput.isEmpty)
            #expect(result.standardError.contains("--with-deps: a plain SQL script does not record the dependencies"), "\(result.standardError)")
        }
        // Nor does an archive converted from a script.
        let converted = Self.temporaryPath("from-plain.dump")
        defer { try? FileManager.default.removeItem(atPath: converted) }
        #expect(try CLITests.pgdumpkit(["convert", "-q", "--to", "c", "-o", converted, CLITests.path(input)]).status == 0)
        let result = try CLITests.pgdumpkit(["sql", "--with-deps", "-t", "orders", converted])
        #expect(result.status == 1)
        #expect(result.standardError.contains("holds no dependency graph"), "\(result.standardError)")
        // Without --with-deps both still work.
        #expect(try CLITests.pgdumpkit(["list", "-t", "orders", converted]).status == 0)
    }

    /// extract's companion script is `sql`'s rendering of the tables' own entries, less their extracted data:
    /// real pg_restore 18 given the same selection as a `-L` list (the TABLE entries and, with --with-deps, the
    /// closure `list --with-deps` prints, the extracted TABLE DATA taken out) writes the same script.
    @Test("extract --schema-script writes what pg_restore writes for the tables, less their data",
          arguments: [false, true])
    func companionScript(withDependencies: Bool) throws {
        let pgRestore = try #require(Fixtures.pgRestore(major: "18"))
        let script = Self.temporaryPath("schema.sql")
        let csv = Self.temporaryPath("orders.csv")
        let list = Self.temporaryPath("orders.list")
        defer { for path in [script, csv, list] { try? FileManager.default.removeItem(atPath: path) } }
        let extracted = try CLITests.pgdumpkit(
            ["extract", "-t", "orders", "--schema-script", script, "-o", csv] + (withDependencies ? ["--with-deps"] : [])
                + [Self.archive])
        #expect(extracted.status == 0, "\(extracted.standardError)")
        let written = String(decoding: try Data(contentsOf: URL(fileURLWithPath: script)), as: UTF8.self)
        // The same selection as a list: the table (and its closure), without the table's own data.
        let listed = try CLITests.pgdumpkit(["list", "-t", "orders"] + (withDependencies ? ["--with-deps"] : []) + [Self.archive])
        let lines = String(decoding: listed.standardOutput, as: UTF8.self).split(separator: "\n")
            .filter { !$0.contains(" TABLE DATA app orders ") && !$0.contains(" STATISTICS DATA ") }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: list))
        let key = try #require(written.split(separator: "\n").first { $0.hasPrefix("\\restrict ") }).dropFirst(10)
        let expected = try CommandRunner.run(pgRestore, ["-f", "-", "--restrict-key=\(key)", "-L", list, Self.archive])
        #expect(expected.status == 0)
        #expect(written == String(decoding: expected.standardOutput, as: UTF8.self))
        #expect(written.contains("CREATE TABLE app.orders (") && !written.contains("COPY app.orders "))
        #expect(written.contains("COPY app.customers ") == withDependencies)
    }

    @Test("extract's --with-deps needs --schema-script, which cannot share standard output with the data")
    func companionScriptUsage() throws {
        #expect(try CLITests.pgdumpkit(["extract", "-t", "orders", "--with-deps", Self.archive]).status == 2)
        #expect(try CLITests.pgdumpkit(["extract", "-t", "orders", "--schema-script", "-", Self.archive]).status == 2)
    }
}
