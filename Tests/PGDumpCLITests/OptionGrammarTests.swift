import Foundation
import PGDumpTestSupport
import Testing

/// pg_restore's option grammar: attached short values, -?, -V, list -f, and usage hints.
@Suite struct OptionGrammarTests {
    static let archive = CLITests.path("archives/pg18/custom-default.dump")

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-grammar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs both spellings and expects the same status and output.
    static func expectSame(_ attached: [String], _ separate: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let one = try CLITests.pgdumpkit(attached)
        let other = try CLITests.pgdumpkit(separate)
        #expect(one.status == 0, "\(attached): \(one.standardError)", sourceLocation: sourceLocation)
        #expect(one.status == other.status, "\(attached) vs \(separate)", sourceLocation: sourceLocation)
        #expect(one.standardOutput == other.standardOutput, "\(attached) vs \(separate)", sourceLocation: sourceLocation)
        #expect(one.standardError == other.standardError, sourceLocation: sourceLocation)
    }

    @Test("attached values read as separate ones in list, sql and verify/info", arguments: [
        (["list", "-Fc"], ["list", "-F", "c"]),
        (["list", "-Fcustom", "-torders"], ["list", "--format", "custom", "--table=orders"]),
        (["list", "-napp", "-Napp"], ["list", "-n", "app", "-N", "app"]),
        (["list", "-xtorders"], ["list", "-x", "-t", "orders"]),
        (["list", "-sxnapp"], ["list", "-s", "-x", "-n", "app"]),
        (["list", "-j4", "-Spostgres"], ["list", "-j", "4", "-S", "postgres"]),
        (["sql", "--restrict-key=K", "-torders"], ["sql", "--restrict-key", "K", "-t", "orders"]),
        (["sql", "--restrict-key=K", "-Of-", "-Torders orders_bump_version"],
         ["sql", "--restrict-key=K", "-O", "-f", "-", "-T", "orders orders_bump_version"]),
        (["sql", "--restrict-key=K", "-Iorders_open_idx", "-Padd_tax(numeric, numeric)"],
         ["sql", "--restrict-key=K", "-I", "orders_open_idx", "-P", "add_tax(numeric, numeric)"]),
        (["verify", "-q", "-Fc"], ["verify", "-q", "-F", "c"]),
        (["info", "-Fc"], ["info", "--format=c"]),
    ])
    func attachedValues(_ attached: [String], _ separate: [String]) throws {
        try Self.expectSame(attached + [Self.archive], separate + [Self.archive])
    }

    @Test("-L takes an attached file name")
    func attachedUseList() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let list = scratch.appendingPathComponent("toc.list")
        let listing = try CLITests.pgdumpkit(["list", "-torders", Self.archive])
        try Data(listing.standardOutput).write(to: list)
        try Self.expectSame(["sql", "--restrict-key=K", "-L\(list.path)", Self.archive],
                            ["sql", "--restrict-key=K", "-L", list.path, Self.archive])
    }

    @Test("convert -Fd -Zzstd writes what -F d -Z zstd writes")
    func convertAttached() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let attached = scratch.appendingPathComponent("attached").path
        let separate = scratch.appendingPathComponent("separate").path
        let one = try CLITests.pgdumpkit(["convert", "-q", "-Fd", "-Zzstd", "-j2", "-o\(attached)", "-torders", Self.archive])
        #expect(one.status == 0, "\(one.standardError)")
        let other = try CLITests.pgdumpkit(["convert", "-q", "-F", "d", "-Z", "zstd", "-j", "2", "-o", separate, "-t", "orders", Self.archive])
        #expect(other.status == 0, "\(other.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: attached).sorted()
        #expect(files == (try FileManager.default.contentsOfDirectory(atPath: separate).sorted()))
        for file in files {
            #expect(FileManager.default.contents(atPath: attached + "/" + file) == FileManager.default.contents(atPath: separate + "/" + file), "\(file)")
        }
        let info = try CLITests.pgdumpkit(["info", attached])
        #expect(String(decoding: info.standardOutput, as: UTF8.self).contains("zstd"))
        // A compression level attached, as pg_dump's -Z9.
        let custom = scratch.appendingPathComponent("custom.dump").path
        let gzip = try CLITests.pgdumpkit(["convert", "-q", "-Fc", "-Z9", "-o", custom, Self.archive])
        #expect(gzip.status == 0, "\(gzip.standardError)")
    }

    @Test("extract with attached values writes the same table")
    func extractAttachedOutput() throws {
        try Self.expectSame(["extract", "-q", "-torders", "-o-", Self.archive], ["extract", "-q", "-t", "orders", "-o", "-", Self.archive])
        try Self.expectSame(["extract", "-q", "-napp", "-torders", "--format", "jsonl", Self.archive],
                            ["extract", "-q", "--schema=app", "--table", "orders", "--format=jsonl", Self.archive])
    }

    @Test("a value is taken whatever it starts with; -- ends the options; - is standard input")
    func valuesAndOperands() throws {
        // -j -1 reaches pg_restore's own range check, as in pg_restore.
        let jobs = try CLITests.pgdumpkit(["list", "-j", "-1", Self.archive])
        #expect(jobs.status == 1)
        #expect(jobs.standardError.contains("-j/--jobs must be in range"))
        let major = try CLITests.pgdumpkit(["convert", "-Fc", "-o", "-", "--for-pg-restore", "-1", Self.archive])
        #expect(major.status == 2)
        #expect(major.standardError.contains("--for-pg-restore must be between 12 and 19"))
        // A table named like an option.
        let odd = try CLITests.pgdumpkit(["list", "-t", "-x", Self.archive])
        #expect(odd.status == 0)
        try Self.expectSame(["list", "--", Self.archive], ["list", Self.archive])
    }

    @Test("- reads standard input with attached options")
    func standardInput() throws {
        let piped = try CLITests.pgdumpkit(["list", "-Fc", "-torders", "-"], inputFile: Self.archive)
        let direct = try CLITests.pgdumpkit(["list", "-t", "orders", Self.archive])
        #expect(piped.status == 0)
        #expect(piped.standardOutput == direct.standardOutput)
    }

    @Test("-V and --version, on the root and every subcommand", arguments: [
        ["-V"], ["--version"], ["list", "-V"], ["sql", "--version"], ["convert", "-V"], ["extract", "-V"],
        ["verify", "--version"], ["info", "-V"], ["list", "-sV"],
    ])
    func version(_ arguments: [String]) throws {
        let result = try CLITests.pgdumpkit(arguments)
        #expect(result.status == 0)
        #expect(result.standardError == "")
        let text = String(decoding: result.standardOutput, as: UTF8.self)
        #expect(text.hasPrefix("pgdumpkit 0."))
        #expect(text.contains("Reads archive versions 1.0 to 1.16"))
        #expect(text.contains("Writes archive versions 1.14, 1.15 and 1.16"))
        #expect(text.contains("pg_restore 12 to 19"))
        #expect(text.contains("Checked against pg_dump and pg_restore 11, 13, 15, 16, 17 and 18."))
    }

    @Test("-? shows help as --help does", arguments: [[], ["list"], ["sql"], ["convert"], ["extract"], ["verify"], ["info"]])
    func questionMark(_ command: [String]) throws {
        let question = try CLITests.pgdumpkit(command + ["-?"])
        let help = try CLITests.pgdumpkit(command + ["--help"])
        #expect(question.status == 0)
        #expect(question.standardOutput == help.standardOutput)
        #expect(String(decoding: help.standardOutput, as: UTF8.self).contains("-V, --version"))
    }

    @Test("list -f writes the listing stdout shows, atomically and not over an existing file without --force")
    func listToFile() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("toc.list").path
        let standardOutput = try CLITests.pgdumpkit(["list", Self.archive])
        let written = try CLITests.pgdumpkit(["list", "-f", file, Self.archive])
        #expect(written.status == 0)
        #expect(written.standardOutput.isEmpty)
        #expect(FileManager.default.contents(atPath: file).map { [UInt8]($0) } == standardOutput.standardOutput)
        let again = try CLITests.pgdumpkit(["list", "-f\(file)", Self.archive])
        #expect(again.status == 1)
        #expect(again.standardError.contains("file exists; use --force"))
        let forced = try CLITests.pgdumpkit(["list", "--force", "--file=\(file)", "-torders", Self.archive])
        #expect(forced.status == 0)
        let selected = try CLITests.pgdumpkit(["list", "-torders", Self.archive])
        #expect(FileManager.default.contents(atPath: file).map { [UInt8]($0) } == selected.standardOutput)
        let json = scratch.appendingPathComponent("toc.json").path
        #expect(try CLITests.pgdumpkit(["list", "--json", "-f", json, Self.archive]).status == 0)
        let jsonOut = try CLITests.pgdumpkit(["list", "--json", Self.archive])
        #expect(FileManager.default.contents(atPath: json).map { [UInt8]($0) } == jsonOut.standardOutput)
        // The archive itself is never an output.
        let overInput = try CLITests.pgdumpkit(["list", "--force", "-f", Self.archive, Self.archive])
        #expect(overInput.status == 1)
    }

    @Test("usage errors point at the subcommand's help", arguments: [
        (["list", "--bogus"], "pgdumpkit list"), (["sql", "-F"], "pgdumpkit sql"),
        (["convert", "x"], "pgdumpkit convert"), (["extract", "--format=xml"], "pgdumpkit extract"),
        (["verify", "a", "b"], "pgdumpkit verify"), (["info", "--bogus"], "pgdumpkit info"), (["bogus"], "pgdumpkit"),
    ])
    func hint(_ arguments: [String], _ command: String) throws {
        let result = try CLITests.pgdumpkit(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.hasSuffix("pgdumpkit: hint: Try \"\(command) --help\" for more information.\n"),
                "\(result.standardError)")
    }

    /// The declarations `OptionGrammar` reads (`optionNames`) against the options ArgumentParser knows.
    @Test("each command declares exactly its options that take a value", arguments: ["list", "sql", "convert", "extract", "verify", "info"])
    func declarationsMatchArgumentParser(_ command: String) throws {
        let dump = try CLITests.pgdumpkit([command, "--experimental-dump-help"])
        #expect(dump.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.standardOutput)) as? [String: Any])
        let info = try #require(root["command"] as? [String: Any])
        let arguments = try #require(info["arguments"] as? [[String: Any]])
        var short: Set<String> = [], long: Set<String> = []
        for argument in arguments where argument["kind"] as? String == "option" {
            for name in argument["names"] as? [[String: Any]] ?? [] {
                let value = name["name"] as? String ?? ""
                switch name["kind"] as? String {
                case "short": short.insert(value)
                case "long": long.insert(value)
                default: break
                }
            }
        }
        // The rewriting spells each attached value as --long=value: show what it declares by running it.
        for letter in short {
            let rewritten = try CLITests.pgdumpkit([command, "-\(letter)", "-?", "/nonexistent/archive"])
            // With a value declared, "-?" is the option's value, not a request for help.
            #expect(!String(decoding: rewritten.standardOutput, as: UTF8.self).hasPrefix("OVERVIEW"),
                    "\(command) -\(letter) is not declared as taking a value")
        }
        for name in long {
            let rewritten = try CLITests.pgdumpkit([command, "--\(name)", "-?", "/nonexistent/archive"])
            #expect(!String(decoding: rewritten.standardOutput, as: UTF8.self).hasPrefix("OVERVIEW"),
                    "\(command) --\(name) is not declared as taking a value")
        }
        // And no flag is taken for one that takes a value.
        for argument in arguments where argument["kind"] as? String == "flag" {
            for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "short" {
                let letter = name["name"] as? String ?? ""
                if letter == "h" || letter == "V" { continue }
                let result = try CLITests.pgdumpkit([command, "-\(letter)", "-?", "/nonexistent/archive"])
                #expect(String(decoding: result.standardOutput, as: UTF8.self).hasPrefix("OVERVIEW"),
                        "\(command) -\(letter) is a flag but declared as taking a value")
            }
        }
    }
}
