import Foundation
import PGDumpTestSupport
import Testing

/// One rule for names in every command: exact by default, as pg_restore compares them; pg_dump patterns with
/// `--patterns`, selecting in `list`, `sql` and `convert` what the matched names would select given exactly.
@Suite struct NamePatternCLITests {
    static let archive = CLITests.path("archives/pg18/custom-default.dump")

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-patterns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The entry lines of a listing (not its header comments).
    static func entryLines(_ listing: [UInt8]) -> [Substring] {
        String(decoding: listing, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix(";") }
    }

    @Test("by default names are exact: list -t Orders selects nothing, as pg_restore -l -t Orders")
    func exactByDefault() throws {
        let listing = try CLITests.pgdumpkit(["list", "-t", "Orders", Self.archive])
        #expect(listing.status == 0)
        #expect(Self.entryLines(listing.standardOutput).isEmpty)
        #expect(!Self.entryLines(try CLITests.pgdumpkit(["list", "-t", "orders", Self.archive]).standardOutput).isEmpty)
        let strict = try CLITests.pgdumpkit(["sql", "--strict-names", "-t", "Orders", Self.archive])
        #expect(strict.status == 1)
        #expect(strict.standardError == "pgdumpkit: error: table \"Orders\" not found\n")
        if let oracle = Fixtures.pgRestore(major: "18") {
            let theirs = try CommandRunner.run(oracle, ["-l", "-t", "Orders", "-n", "App", Self.archive])
            let ours = try CLITests.pgdumpkit(["list", "-t", "Orders", "-n", "App", Self.archive])
            #expect(ByteComparison.difference(actual: ours.standardOutput, expected: theirs.standardOutput) == nil)
        }
    }

    /// `--patterns` arguments and the exact names they stand for in this archive.
    static let equivalents: [(patterns: [String], exact: [String])] = [
        (["-t", "Orders"], ["-t", "orders"]),
        (["-t", "measurements_2*"],
         ["-t", "measurements_2023", "-t", "measurements_2024", "-t", "measurements_2024_h0", "-t", "measurements_2024_h1"]),
        (["-t", #"app."Regions"*"#], ["-n", "app", "-t", "Regions EU"]),
        (["-t", "regions?*"], ["-t", "regions_other"]),
        (["-t", "history.*"], ["-t", "vehicles", "-t", "cars", "-t", "trucks"]),
        (["-n", "HIST*"], ["-n", "history"]),
        (["-n", #""Odd ""Schema"" Name""#, "-N", "app"], ["-n", #"Odd "Schema" Name"#]),
        (["-I", "app.orders_*_idx"], ["-I", "orders_customer_idx", "-I", "orders_invoice_idx", "-I", "orders_open_idx"]),
        (["-t", "order*", "-P", "add_tax(numeric, numeric)"],
         ["-t", "order", "-t", "order_lines", "-t", "order_totals", "-t", "orders", "-t", "orders_order_id_seq",
          "-P", "add_tax(numeric, numeric)"]),
    ]

    @Test("list and sql --patterns select what the matched names select exactly", arguments: equivalents)
    func listAndSQL(_ patterns: [String], _ exact: [String]) throws {
        for command in [["list"], ["sql", "--restrict-key=K"]] {
            let ours = try CLITests.pgdumpkit(command + ["--patterns"] + patterns + [Self.archive])
            #expect(ours.status == 0, "\(ours.standardError)")
            let expected = try CLITests.pgdumpkit(command + exact + [Self.archive])
            #expect(ByteComparison.difference(actual: ours.standardOutput, expected: expected.standardOutput) == nil)
            #expect(!Self.entryLines(ours.standardOutput).isEmpty)
        }
    }

    @Test("convert --patterns writes the archive the matched names write")
    func convert() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let byPattern = scratch.appendingPathComponent("pattern.dump").path
        let byNames = scratch.appendingPathComponent("names.dump").path
        let converted = try CLITests.pgdumpkit(
            ["convert", "-q", "--patterns", "-t", "history.*", Self.archive, "-o", byPattern, "--to", "c"])
        #expect(converted.status == 0, "\(converted.standardError)")
        let exact = try CLITests.pgdumpkit(
            ["convert", "-q", "-t", "vehicles", "-t", "cars", "-t", "trucks", Self.archive, "-o", byNames, "--to", "c"])
        #expect(exact.status == 0, "\(exact.standardError)")
        #expect(try Fixtures.bytes(URL(fileURLWithPath: byPattern)) == Fixtures.bytes(URL(fileURLWithPath: byNames)))
        // --patterns alone selects nothing away.
        let whole = scratch.appendingPathComponent("whole.dump").path
        let plain = scratch.appendingPathComponent("plain.dump").path
        #expect(try CLITests.pgdumpkit(["convert", "-q", "--patterns", Self.archive, "-o", whole, "--to", "c"]).status == 0)
        #expect(try CLITests.pgdumpkit(["convert", "-q", Self.archive, "-o", plain, "--to", "c"]).status == 0)
        #expect(try Fixtures.bytes(URL(fileURLWithPath: whole)) == Fixtures.bytes(URL(fileURLWithPath: plain)))
    }

    @Test("a --filter file's names are patterns under --patterns, and exact names without")
    func filterFile() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let filter = scratch.appendingPathComponent("filter.txt")
        try Data("include table measurements_2*\nexclude schema \"Odd \"\"Schema\"\" Name\"\n".utf8).write(to: filter)
        let ours = try CLITests.pgdumpkit(["list", "--patterns", "--filter", filter.path, Self.archive])
        let expected = try CLITests.pgdumpkit(
            ["list", "-t", "measurements_2023", "-t", "measurements_2024", "-t", "measurements_2024_h0", "-t",
             "measurements_2024_h1", Self.archive])
        #expect(ours.status == 0, "\(ours.standardError)")
        #expect(ByteComparison.difference(actual: ours.standardOutput, expected: expected.standardOutput) == nil)
        let exact = try CLITests.pgdumpkit(["list", "--filter", filter.path, Self.archive])
        #expect(exact.status == 0)
        #expect(Self.entryLines(exact.standardOutput).isEmpty)
    }

    @Test("--strict-names: a pattern that matches nothing gets pg_dump's message", arguments: [
        (["-t", "orders", "-t", "zz*"], #"no matching tables were found for pattern "zz*""#),
        (["-n", "nosuch*"], #"no matching schemas were found for pattern "nosuch*""#),
        (["-I", "*_nosuch"], #"no matching indexes were found for pattern "*_nosuch""#),
        (["-P", "add_tax*"], #"function "add_tax*" not found"#),
    ])
    func strictNames(_ arguments: [String], _ message: String) throws {
        let sql = try CLITests.pgdumpkit(["sql", "--patterns", "--strict-names"] + arguments + [Self.archive])
        #expect(sql.status == 1)
        #expect(sql.standardError == "pgdumpkit: error: \(message)\n")
        #expect(sql.standardOutput.isEmpty)
        // list prints the listing first, as pg_restore -l does.
        let list = try CLITests.pgdumpkit(["list", "--patterns", "--strict-names"] + arguments + [Self.archive])
        #expect(list.status == 1)
        #expect(list.standardError == "pgdumpkit: error: \(message)\n")
        #expect(!list.standardOutput.isEmpty)
        #expect(try CLITests.pgdumpkit(["list", "--patterns", "--strict-names", "-t", "ORDERS", Self.archive]).status == 0)
    }

    @Test("a pattern that is not valid is an error in every command", arguments: [
        (["-t", "a.b.c"], "improper relation name (too many dotted names): a.b.c"),
        (["-n", "a.b"], "improper qualified name (too many dotted names): a.b"),
        (["-t", "orders("], #"invalid regular expression in pattern "orders(": unmatched ( or \("#),
    ])
    func invalidPatterns(_ arguments: [String], _ message: String) throws {
        let extract = arguments[0] == "-t" ? ["extract"] : ["extract", "--all", "-o", "/nonexistent/out"]
        for command in [["list"], ["sql"], ["convert", "-o", "/nonexistent/out", "--to", "c"], extract] {
            let result = try CLITests.pgdumpkit(command + ["--patterns"] + arguments + [Self.archive])
            #expect(result.status == 1, "\(command)")
            #expect(result.standardError == "pgdumpkit: error: \(message)\n", "\(command)")
        }
    }

    @Test("extract: an exact name that fits only as a pattern says so; --patterns finds it")
    func extractExact() throws {
        let exact = try CLITests.pgdumpkit(["extract", Self.archive, "-t", "Orders"])
        #expect(exact.status == 1)
        #expect(exact.standardError == #"pgdumpkit: error: the archive has no data for a table named "Orders"; hint: names are matched exactly; with --patterns, "Orders" selects app.orders"# + "\n")
        let quoted = try CLITests.pgdumpkit(["extract", Self.archive, "-t", #"app."Regions EU""#])
        #expect(quoted.status == 1)
        #expect(quoted.standardError.contains("with --patterns"))
        let folded = try CLITests.pgdumpkit(["extract", Self.archive, "--patterns", "-t", "APP.Orders"])
        #expect(folded.status == 0, "\(folded.standardError)")
        #expect(folded.standardOutput == (try CLITests.pgdumpkit(["extract", Self.archive, "-t", "orders"])).standardOutput)
    }

    @Test("extract --patterns: several tables go one file each into the -o directory")
    func extractSeveral() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let created = scratch.appendingPathComponent("out").path + "/"
        let result = try CLITests.pgdumpkit(["extract", "-q", Self.archive, "--patterns", "-t", "measurements_2*", "-o", created])
        #expect(result.status == 0, "\(result.standardError)")
        let written = try FileManager.default.contentsOfDirectory(atPath: created).sorted()
        #expect(written == ["app.measurements_2023.csv", "app.measurements_2024_h0.csv", "app.measurements_2024_h1.csv"])
        for (file, table) in zip(written, ["measurements_2023", "measurements_2024_h0", "measurements_2024_h1"]) {
            let single = try CLITests.pgdumpkit(["extract", Self.archive, "-t", table])
            #expect(try Fixtures.bytes(URL(fileURLWithPath: created + file)) == single.standardOutput)
        }
        // An existing directory needs no trailing slash; -n takes patterns too.
        let existing = scratch.appendingPathComponent("existing").path
        try FileManager.default.createDirectory(atPath: existing, withIntermediateDirectories: false)
        let history = try CLITests.pgdumpkit(["extract", "-q", Self.archive, "--patterns", "-n", "HIST*", "-t", "*", "-o", existing])
        #expect(history.status == 0, "\(history.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: existing).sorted()
            == ["history.cars.csv", "history.trucks.csv", "history.vehicles.csv"])
        // One table matched: -o is the file.
        let file = scratch.appendingPathComponent("one.csv").path
        #expect(try CLITests.pgdumpkit(["extract", Self.archive, "--patterns", "-t", "app.order?", "-o", file]).status == 0)
        #expect(try Fixtures.bytes(URL(fileURLWithPath: file))
            == (try CLITests.pgdumpkit(["extract", Self.archive, "-t", "orders"])).standardOutput)
    }

    @Test("extract --patterns: several tables without a directory are a usage error naming them", arguments: [
        ([], ": name a directory with -o"),
        (["-o", "-"], ": name a directory with -o"),
        (["-o", "/nonexistent/tables.csv"], ": /nonexistent/tables.csv is not a directory; name an existing directory with -o, or end the name with /"),
    ])
    func extractSeveralWithoutDirectory(_ output: [String], _ ending: String) throws {
        let result = try CLITests.pgdumpkit(["extract", Self.archive, "--patterns", "-t", "measurements_2*"] + output)
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix(#"pgdumpkit: error: pattern "measurements_2*" matches 3 tables (app.measurements_2023, app.measurements_2024_h0, app.measurements_2024_h1), written one file each"# + ending + "\n"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test("? is one character of the archive's encoding, whatever the locale", arguments: [
        ("archives/pg11/scs-off-custom.dump", #""S"tra?e"#, 0),
        ("archives/pg11/latin1-custom.dump", #""S"tra?e"#, 0),
        ("archives/pg11/sql-ascii-custom.dump", #""S"tra?e"#, 1),
        ("archives/pg11/sql-ascii-custom.dump", #""S"tra??e"#, 0),
        ("archives/pg11/scs-off-custom.dump", #""S"tra??e"#, 1),
    ])
    func encodings(_ relative: String, _ pattern: String, _ status: Int32) throws {
        for locale in ["C", "C.UTF-8"] {
            let result = try CommandRunner.run(
                CommandRunner.pgdumpkit, ["extract", CLITests.path(relative), "--patterns", "-t", pattern],
                environment: ["LC_ALL": locale])
            #expect(result.status == status, "\(locale): \(result.standardError)")
        }
    }

    @Test("every command that takes names offers --patterns", arguments: ["list", "sql", "convert", "extract"])
    func help(_ command: String) throws {
        let help = try CLITests.pgdumpkit([command, "--help"])
        #expect(help.status == 0)
        let text = String(decoding: help.standardOutput, as: UTF8.self)
        #expect(text.contains("\n  --patterns "))
        // -t's help says both readings (the line may wrap anywhere).
        let table = text.components(separatedBy: "-t, --table")[1].prefix(160).split(whereSeparator: \.isWhitespace)
        #expect(table.joined(separator: " ").contains("exact name") && table.joined(separator: " ").contains("with --patterns a pg_dump pattern"))
    }
}
