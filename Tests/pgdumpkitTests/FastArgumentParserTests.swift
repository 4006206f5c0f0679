import ArgumentParser
import Foundation
import PGDumpTestSupport
import Testing

@testable import pgdumpkit

/// The fast path (`FastArgumentParser`) against ArgumentParser: the same arguments declared, the same values
/// parsed, and everything else left to ArgumentParser.
@Suite struct FastArgumentParserTests {
    /// The commands the fast path parses, with their tables.
    static let commands: [(name: String, arguments: [FastArgumentDescription])] = [
        ("list", PGDumpKitCommand.List.fastArgumentDescriptions),
        ("sql", PGDumpKitCommand.SQL.fastArgumentDescriptions),
        ("info", PGDumpKitCommand.Info.fastArgumentDescriptions),
        ("verify", PGDumpKitCommand.Verify.fastArgumentDescriptions),
        ("extract", PGDumpKitCommand.Extract.fastArgumentDescriptions),
    ]

    // MARK: Reading both parsers' results

    /// Every wrapped value of a parsed command, one line each, nested groups included (`input.archive = "x"`).
    /// Reflection is fine here: it reads ArgumentParser's property wrappers, whose storage is internal.
    static func wrappedValues(_ subject: Any, path: String = "") -> [String] {
        var lines: [String] = []
        for child in Mirror(reflecting: subject).children {
            let name = path + (child.label ?? "?")
            guard let parsed = Mirror(reflecting: child.value).children.first(where: { $0.label == "_parsedValue" })
            else {
                lines.append("\(name) = \(String(reflecting: child.value))")
                continue
            }
            guard let payload = Mirror(reflecting: parsed.value).children.first, payload.label == "value" else {
                lines.append("\(name) = <unassigned>")
                continue
            }
            if payload.value is any ParsableArguments {
                lines += wrappedValues(payload.value, path: name + ".")
            } else {
                lines.append("\(name) = \(String(reflecting: payload.value))")
            }
        }
        return lines
    }

    /// The arguments as `main()` hands them to the parsers: through `OptionGrammar`.
    static func rewritten(_ arguments: [String]) -> [String] { OptionGrammar.rewrite(arguments).arguments }

    /// What ArgumentParser makes of `arguments`: the command's type and values, or the error's message and exit
    /// code.
    static func argumentParserReading(_ arguments: [String]) -> Result<(String, [String]), ReadingError> {
        do {
            let command = try PGDumpKitCommand.parseAsRoot(arguments)
            return .success(("\(type(of: command))", wrappedValues(command)))
        } catch {
            return .failure(ReadingError(
                message: PGDumpKitCommand.message(for: error), exitCode: PGDumpKitCommand.exitCode(for: error).rawValue))
        }
    }

    struct ReadingError: Error, Equatable {
        var message: String
        var exitCode: Int32
    }

    // MARK: Argument vectors

    /// A sample value for an option, one its type accepts.
    static func sample(forLong name: String) -> String {
        switch name {
        case "target-version": "17"
        case "transaction-size": "100"
        case "jobs": "3"
        case "format", "input-format": "c"
        case "to": "tsv"
        case "section": "pre-data"
        case "endpoint-url": "http://localhost:9000"
        default: "some value"
        }
    }

    /// Command lines the fast path reads, in pg_restore's spellings (before `OptionGrammar`).
    static func acceptedVectors(of command: String, _ arguments: [FastArgumentDescription]) -> [[String]] {
        var vectors: [[String]] = [[command], [command, "archive.dump"], [command, "-"], [command, "--", "archive.dump"],
                                   [command, "--", "-"], [command, "--", "--odd-name"]]
        var allFlagsShort = "", allFlagsLong: [String] = [], allOptions: [String] = []
        for argument in arguments {
            switch argument.kind {
            case .flag:
                if argument.longNames == ["version"] { continue }  // main() answers -V before parsing
                for short in argument.shortNames {
                    vectors.append([command, "-\(short)", "archive.dump"])
                    allFlagsShort.append(short)
                }
                for long in argument.longNames { vectors.append([command, "--\(long)", "archive.dump"]) }
                allFlagsLong.append("--" + argument.longNames[0])
            case .option, .repeatedOption:
                let long = argument.longNames[0]
                let value = sample(forLong: long)
                vectors.append([command, "--\(long)=\(value)", "archive.dump"])
                vectors.append([command, "archive.dump", "--\(long)", value])
                for short in argument.shortNames {
                    vectors.append([command, "-\(short)", value, "archive.dump"])
                    vectors.append([command, "-\(short)\(value)", "-"])
                    if value == "some value" {  // a value is taken as it is, whatever it starts with
                        vectors.append([command, "-\(short)", "-odd", "archive.dump"])
                    }
                }
                if argument.kind == .repeatedOption {
                    // extract -F names the archive's format and the output's, each once.
                    let values = long == "format" ? ["c", "csv"] : [value, value + "2", "x"]
                    vectors.append([command, "archive.dump"] + values.flatMap { ["--\(long)", $0] })
                    vectors.append([command, "archive.dump"] + values.map { "--\(long)=\($0)" })
                }
                allOptions += ["--\(long)", value]
            case .operand, .group:
                break
            }
        }
        // extract's options exclude one another (its combinations are among sharedVectors).
        guard command != "extract" else { return vectors }
        vectors.append([command] + allFlagsLong + allOptions + ["archive.dump"])
        if !allFlagsShort.isEmpty {
            vectors.append([command, "-" + allFlagsShort, "archive.dump"] + allOptions)
            // Flags clustered before an option's attached value, as getopt reads them.
            let shortValued = arguments.first { $0.kind != .flag && !$0.shortNames.isEmpty }
            if let shortValued, let letter = shortValued.shortNames.first {
                vectors.append([command, "-" + allFlagsShort + String(letter) + sample(forLong: shortValued.longNames[0]), "x"])
            }
        }
        return vectors
    }

    /// `vector` with what its command's validation needs for it to be valid: a table for extract, and the options
    /// some flags apply to. Added right after the command's name, before any `--`.
    static func completed(_ vector: [String]) -> [String] {
        let given = vector.dropFirst()
        func has(_ prefixes: String...) -> Bool { given.contains { argument in prefixes.contains { argument.hasPrefix($0) } } }
        var added: [String] = []
        if vector[0] == "extract" {
            if !has("--all", "-t", "--table") { added += ["-t", "orders"] }
            if !has("-o", "--output") { added += ["-o", "dir"] }
            if has("--typed") && !has("--to") { added += ["--to=jsonl"] }
            if has("--with-deps") && !has("--schema-script") { added += ["--schema-script=s.sql"] }
        }
        if has("--omit-unrenderable") && !has("--target-version") { added += ["--target-version=17"] }
        return [vector[0]] + added + given
    }

    static let sharedVectors: [[String]] = [
        ["list", "-t", "small_200", "-t", "orders", "-n", "public", "-napp", "-N", "audit", "big.dump"],
        ["sql", "-s", "--restrict-key=K", "big.dump"],
        ["sql", "-t", "small_200", "--restrict-key", "K", "big.dump"],
        ["sql", "-xOtorders", "-f-", "--section", "data", "--section=post-data", "-j4", "a"],
        ["sql", "--if-exists", "-c", "-1", "--role", "r", "-S", "postgres", "--use-list", "toc.list", "a"],
        ["list", "--json", "--with-deps", "-v", "--target-version", "16", "--omit-unrenderable", "a"],
        ["list", "--filter=filter.txt", "--patterns", "--strict-names", "-t", "a*", "a"],
        ["list", "--database", "app", "--endpoint-url=http://x", "s3://bucket/key"],
        ["sql", "-q", "--progress", "-v", "--format=directory", "dir"],
        ["verify", "-j", "2", "--json", "-q", "a"], ["info", "--tables", "--json", "a"],
        ["extract", "-q", "--progress", "--patterns", "--header", "--force", "-Fc", "-Fcsv", "-n", "public", "-t", "a*",
         "-tb", "-o", "dir", "--schema-script=s.sql", "--with-deps", "--database", "db", "--endpoint-url=http://x", "a"],
        ["extract", "--all", "-odir", "--to", "jsonl", "--typed", "--input-format=d", "-"],
        ["extract", "-torders", "-o-", "--format=jsonl", "--", "a"],
    ]

    // MARK: Tests

    @Test("each fast table declares exactly the arguments ArgumentParser reports", arguments: commands.map(\.name))
    func tablesMatchArgumentParser(_ command: String) throws {
        let tables = Dictionary(uniqueKeysWithValues: Self.commands.map { ($0.name, $0.arguments) })
        let table = try #require(tables[command])
        let dump = try CommandRunner.run(CommandRunner.pgdumpkit, [command, "--experimental-dump-help"])
        #expect(dump.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.standardOutput)) as? [String: Any])
        let info = try #require(root["command"] as? [String: Any])
        let reported = try #require(info["arguments"] as? [[String: Any]])
        var expected: [String] = []
        for argument in reported {
            let names = argument["names"] as? [[String: Any]] ?? []
            var short: [String] = [], long: [String] = []
            for name in names {
                switch name["kind"] as? String {
                case "short": short.append(name["name"] as? String ?? "")
                case "long": long.append(name["name"] as? String ?? "")
                default: Issue.record("\(command): a name the fast path does not read: \(name)")
                }
            }
            if long.contains("help") { continue }  // ArgumentParser's own, never on the fast path
            #expect(argument["parsingStrategy"] as? String == "default", "\(command) \(long)")
            let repeating = argument["isRepeating"] as? Bool ?? false
            let kind: FastArgumentDescription.Kind
            switch argument["kind"] as? String {
            case "flag": kind = repeating ? .repeatedOption : .flag
            case "option": kind = repeating ? .repeatedOption : .option
            case "positional": kind = repeating ? .repeatedOption : .operand
            default: kind = .group
            }
            expected.append("\(kind) -\(short.sorted()) --\(long.sorted())")
        }
        let declared = table.map { "\($0.kind) -\($0.shortNames.map(String.init).sorted()) --\($0.longNames.sorted())" }
        #expect(declared.sorted() == expected.sorted())
        // Each name once (the fast path hands every occurrence of a name to one argument).
        let names = table.flatMap { $0.shortNames.map { "-\($0)" } + $0.longNames.map { "--\($0)" } }
        #expect(Set(names).count == names.count)
    }

    @Test("the fast path reads every option, alone and combined, as ArgumentParser does", arguments: commands.map(\.name))
    func sameValues(_ command: String) throws {
        let table = try #require(Self.commands.first { $0.name == command }).arguments
        let vectors = (Self.acceptedVectors(of: command, table) + Self.sharedVectors.filter { $0[0] == command })
            .map(Self.completed)
        for vector in vectors {
            let arguments = Self.rewritten(vector)
            let fast = try #require(FastArgumentParser.parse(arguments), "declined: \(vector)")
            let reading = Self.argumentParserReading(arguments)
            guard case .success(let (type, values)) = reading else {
                Issue.record("\(vector): ArgumentParser refuses what the fast path read: \(reading)")
                continue
            }
            #expect("\(Swift.type(of: fast))" == type, "\(vector)")
            let fastValues = Self.wrappedValues(fast)
            #expect(fastValues == values, "\(vector)")
            #expect(!fastValues.contains { $0.hasSuffix("<unassigned>") }, "\(vector)")
        }
    }

    /// Each of these goes to ArgumentParser, which reads or refuses it as it always did.
    @Test("what the fast path does not read is left to ArgumentParser", arguments: [
        // Help, the version, completion scripts and other commands.
        ["list", "--help"], ["sql", "-h"], ["list", "-?"], ["sql", "--experimental-dump-help"],
        ["list", "--generate-completion-script", "bash"], ["convert", "-Fc", "-o", "x", "a"],
        ["diff", "a", "b"], ["help", "list"], ["--version"], [], ["-s", "list"], ["bogus"],
        // Usage errors.
        ["list", "--bogus", "a"], ["sql", "-k", "a"], ["list", "-t"], ["sql", "--table"], ["list", "a", "b"],
        ["list", "--", "a", "b"], ["list", "--json=yes", "a"], ["list", "-sk", "a"], ["info", "--target-version=17", "a"],
        ["list", "--target-version=x", "a"], ["list", "--transaction-size=1.5", "a"], ["verify", "-j", "many", "a"],
        ["list", ""], ["list", "--", ""],
        ["list", "-t", "", "a"],  // OptionGrammar makes it --table=, which ArgumentParser reads as --table a
        // Validation errors (option groups' and commands').
        ["list", "--target-version=5", "a"], ["sql", "--omit-unrenderable", "a"], ["verify", "-j", "0", "a"],
        ["extract", "a"], ["extract", "--all", "-t", "x", "-o", "d", "a"], ["extract", "-t", "x", "--typed", "a"],
        ["extract", "-t", "x", "--to=xml", "a"], ["extract", "-Fc", "-Fd", "-t", "x", "a"],
        // Options given twice: ArgumentParser decides.
        ["list", "--json", "--json", "a"], ["list", "-ss", "a"], ["sql", "-f", "a", "-f", "b", "c"],
        ["list", "--format=c", "-Fd", "a"], ["list", "-x", "--no-acl", "a"], ["list", "-q", "a"],
    ])
    func declined(_ vector: [String]) throws {
        let arguments = Self.rewritten(vector)
        #expect(FastArgumentParser.parse(arguments) == nil, "\(vector)")
        // The binary answers as ArgumentParser's reading says: help and the like with status 0, a refusal with
        // its message on one line and status 2.
        guard case .failure(let error) = Self.argumentParserReading(arguments) else { return }
        let result = try CommandRunner.run(CommandRunner.pgdumpkit, vector)
        if error.exitCode == 0 {
            #expect(result.status == 0, "\(vector): \(result.standardError)")
        } else {
            let line = String(error.message.prefix { $0 != "\n" })
            #expect(result.status == 2, "\(vector)")
            #expect(result.standardError.hasPrefix("pgdumpkit: error: " + line.prefix(1).lowercased() + line.dropFirst()),
                    "\(vector): \(result.standardError)")
        }
    }

    @Test("usage errors keep ArgumentParser's message and exit status", arguments: [
        (["list", "--bogus", "a"], "Unknown option '--bogus'. Did you mean '--jobs'?", Int32(64)),
        (["list", "a", "b"], "Unexpected argument 'b'", 64),
        (["list", "--target-version=5", "a"], "--target-version must be between 12 and 19", 64),
        (["verify", "-j", "0", "a"], "-j/--jobs must be at least 1", 64),
    ])
    func usageErrors(_ vector: [String], _ message: String, _ exitCode: Int32) throws {
        let reading = Self.argumentParserReading(Self.rewritten(vector))
        guard case .failure(let error) = reading else {
            Issue.record("\(vector) was read: \(reading)")
            return
        }
        #expect(error.message == message)
        #expect(error.exitCode == exitCode)
        // And the binary says so as before: one line, the hint, exit status 2.
        let result = try CommandRunner.run(CommandRunner.pgdumpkit, vector)
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("pgdumpkit: error: " + message.prefix(1).lowercased() + message.dropFirst()))
    }
}
