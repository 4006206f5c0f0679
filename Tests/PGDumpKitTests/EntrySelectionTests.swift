import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Which entries pg_restore's selection options select, entry by entry, on a small TOC of every kind of entry
/// they treat differently. The expected requirements follow `_tocEntryRequired` of pg_restore 18 (and
/// `ProcessArchiveRestoreOptions`, whose marking loop gives an entry of section NONE the section of the entry
/// before it); where pg_restore 18 is installed, `pg_restore -l` with the same options must list exactly the
/// entries expected to be selected.
@Suite struct EntrySelectionTests {
    /// The TOC, in file order.
    static let entries: [TOCEntry] = {
        func entry(
            _ dumpID: Int32, _ desc: ArchiveText, _ tag: ArchiveText, _ section: Section, namespace: ArchiveText? = nil,
            defn: ArchiveText? = "-- definition\n", hadDumper: Bool = false, dependencies: [Int32] = []
        ) -> TOCEntry {
            TOCEntry(
                dumpID: dumpID, hadDumper: hadDumper, tag: tag, desc: desc, section: section, defn: defn,
                namespace: namespace, owner: "alice", dependencies: dependencies)
        }
        return [
            entry(100, "ENCODING", "ENCODING", .preData, defn: "SET client_encoding = 'UTF8';\n"),
            entry(101, "STDSTRINGS", "STDSTRINGS", .preData, defn: "SET standard_conforming_strings = 'on';\n"),
            entry(102, "SEARCHPATH", "SEARCHPATH", .preData,
                  defn: "SELECT pg_catalog.set_config('search_path', '', false);\n"),
            entry(103, "DATABASE", "shop", .preData, defn: "CREATE DATABASE shop WITH TEMPLATE = template0;\n"),
            entry(104, "COMMENT", "DATABASE shop", .none, defn: "COMMENT ON DATABASE shop IS 'x';\n",
                  dependencies: [103]),
            entry(1, "SCHEMA", "app", .preData, defn: "CREATE SCHEMA app;\n"),
            entry(2, "ACL", "SCHEMA app", .none, defn: "GRANT USAGE ON SCHEMA app TO bob;\n", dependencies: [1]),
            entry(3, "SCHEMA", "other", .preData, defn: "CREATE SCHEMA other;\n"),
            entry(4, "FUNCTION", "add1(integer)", .preData, namespace: "app", dependencies: [1]),
            entry(5, "TABLE", "items", .preData, namespace: "app", dependencies: [1]),
            entry(6, "COMMENT", "TABLE items", .none, namespace: "app", dependencies: [5]),
            entry(7, "ACL", "TABLE items", .none, namespace: "app", dependencies: [5]),
            entry(8, "SEQUENCE", "items_id_seq", .preData, namespace: "app", dependencies: [1]),
            entry(9, "TABLE", "items", .preData, namespace: "other", dependencies: [3]),
            entry(10, "TABLE DATA", "items", .data, namespace: "app", defn: nil, hadDumper: true, dependencies: [5]),
            entry(11, "TABLE DATA", "items", .data, namespace: "other", defn: nil, hadDumper: true, dependencies: [9]),
            entry(12, "SEQUENCE SET", "items_id_seq", .data, namespace: "app",
                  defn: "SELECT pg_catalog.setval('app.items_id_seq', 5, true);\n", dependencies: [8]),
            entry(13, "BLOB METADATA", "16400", .data, defn: "16400\n"),
            entry(14, "COMMENT", "LARGE OBJECT 16400", .none, dependencies: [13]),
            entry(15, "BLOBS", "16400", .data, defn: nil, hadDumper: true, dependencies: [13]),
            entry(16, "STATISTICS DATA", "items", .data, namespace: "app", dependencies: [5]),
            entry(17, "INDEX", "items_idx", .postData, namespace: "app", dependencies: [5]),
            entry(18, "COMMENT", "INDEX items_idx", .none, namespace: "app", dependencies: [17]),
            entry(19, "TRIGGER", "items items_trg", .postData, namespace: "app", dependencies: [5, 4]),
            entry(20, "CONSTRAINT", "items items_pkey", .postData, namespace: "app", dependencies: [5]),
        ]
    }()

    /// The entries of each kind, as pg_restore restores them with no options.
    static let schemaEntries: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 17, 18, 19, 20]
    static let dataEntries: [Int32] = [10, 11, 12, 13, 14, 15]
    static let statisticsEntries: [Int32] = [16]

    /// A selection case: pg_restore's arguments and the entries expected to get each requirement. ENCODING,
    /// STDSTRINGS and SEARCHPATH are always `.special`; every other entry not named gets nothing.
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var schema: [Int32] = []
        var data: [Int32] = []
        var statistics: [Int32] = []
        var useList: [Int32]?
        var testDescription: String {
            (arguments + (useList.map { ["-L \($0.map(String.init).joined(separator: ","))"] } ?? []))
                .joined(separator: " ")
        }
    }

    static let cases: [Case] = [
        Case(arguments: [], schema: schemaEntries, data: dataEntries, statistics: statisticsEntries),
        // DATABASE entries, and comments on the database, follow -C and nothing else.
        Case(arguments: ["-C"], schema: schemaEntries + [103, 104], data: dataEntries, statistics: statisticsEntries),
        // -n: objects in the schema (not the schema itself, which has no namespace), and the comments and ACLs of
        // the objects selected.
        Case(arguments: ["-n", "app"], schema: [4, 5, 6, 7, 8, 17, 18, 19, 20], data: [10, 12], statistics: [16]),
        // -N: everything but the objects in the schema; large objects and schemas have none.
        Case(arguments: ["-N", "app"], schema: [1, 2, 3, 9], data: [11, 13, 14, 15]),
        Case(arguments: ["-n", "app", "-N", "app"]),
        // -t names tables, views and sequences by tag alone, in any schema, with their data.
        Case(arguments: ["-t", "items"], schema: [5, 6, 7, 9], data: [10, 11], statistics: [16]),
        Case(arguments: ["-n", "app", "-t", "items"], schema: [5, 6, 7], data: [10], statistics: [16]),
        Case(arguments: ["-t", "items_id_seq"], schema: [8], data: [12]),
        Case(arguments: ["-t", "app.items"]),
        Case(arguments: ["-I", "items_idx"], schema: [17, 18]),
        Case(arguments: ["-P", "add1(integer)"], schema: [4]),
        Case(arguments: ["-P", "add1"]),
        Case(arguments: ["-T", "items items_trg"], schema: [19]),
        Case(arguments: ["-t", "items", "-I", "items_idx"], schema: [5, 6, 7, 9, 17, 18], data: [10, 11],
             statistics: [16]),
        // --section: a COMMENT or ACL (section NONE) belongs to the section of the entry before it.
        Case(arguments: ["--section=pre-data"], schema: [1, 2, 3, 4, 5, 6, 7, 8, 9]),
        Case(arguments: ["--section=data"], data: dataEntries, statistics: statisticsEntries),
        Case(arguments: ["--section=post-data"], schema: [17, 18, 19, 20]),
        Case(arguments: ["--section=pre-data", "--section=post-data"], schema: schemaEntries),
        // -s, -a and --statistics-only keep one kind each.
        Case(arguments: ["-s"], schema: schemaEntries),
        Case(arguments: ["-a"], data: dataEntries),
        Case(arguments: ["--statistics-only"], statistics: statisticsEntries),
        Case(arguments: ["-a", "-t", "items"], data: [10, 11]),
        Case(arguments: ["-s", "-n", "app"], schema: [4, 5, 6, 7, 8, 17, 18, 19, 20]),
        Case(arguments: ["-x"], schema: [1, 3, 4, 5, 6, 8, 9, 17, 18, 19, 20], data: dataEntries,
             statistics: statisticsEntries),
        Case(arguments: ["--no-comments"], schema: [1, 2, 3, 4, 5, 7, 8, 9, 17, 19, 20], data: [10, 11, 12, 13, 15],
             statistics: statisticsEntries),
        // -L: only the listed entries, whatever else they are.
        Case(arguments: [], schema: [5], data: [10], useList: [5, 10]),
        Case(arguments: ["-a"], data: [10], useList: [5, 10]),
    ]

    /// pg_restore's arguments parsed into the command line, and resolved as pg_restore's `main` resolves them.
    static func options(_ selectionCase: Case) throws -> RestoreOptions {
        var commandLine = PGRestoreCommandLine()
        commandLine.restrictKey = "K"
        var arguments = selectionCase.arguments[...]
        while let argument = arguments.popFirst() {
            func value() throws -> ArchiveText {
                let next = arguments.popFirst()
                return ArchiveText(try #require(next, "\(argument) needs a value"))
            }
            switch argument {
            case "--patterns": commandLine.selection.nameMatching = .patterns
            case "-C": commandLine.create = true
            case "-s": commandLine.schemaOnly = true
            case "-a": commandLine.dataOnly = true
            case "--statistics-only": commandLine.statisticsOnly = true
            case "-x": commandLine.selection.aclsSkip = true
            case "--no-comments": commandLine.selection.noComments = true
            case "-n": commandLine.selection.schemaNames.append(try value())
            case "-N": commandLine.selection.excludeSchemaNames.append(try value())
            case "-t": commandLine.selection.tableNames.append(try value())
            case "-I": commandLine.selection.indexNames.append(try value())
            case "-P": commandLine.selection.functionNames.append(try value())
            case "-T": commandLine.selection.triggerNames.append(try value())
            default:
                let section = try #require(argument.split(separator: "=").last.map(String.init))
                #expect(argument.hasPrefix("--section="))
                commandLine.sections.append(section)
            }
        }
        var (selection, _) = try commandLine.resolve()
        selection.useList = selectionCase.useList
        return selection
    }

    @Test("the requirements of every entry", arguments: cases)
    func requirements(_ selectionCase: Case) throws {
        let requirements = try EntrySelection.requirements(of: Self.entries, options: try Self.options(selectionCase))
        for (entry, requirement) in zip(Self.entries, requirements) {
            var expected: Requirement = []
            if [100, 101, 102].contains(entry.dumpID) { expected = .special }
            if selectionCase.schema.contains(entry.dumpID) { expected.insert(.schema) }
            if selectionCase.data.contains(entry.dumpID) { expected.insert(.data) }
            if selectionCase.statistics.contains(entry.dumpID) { expected.insert(.statistics) }
            #expect(requirement == expected, "entry \(entry.dumpID) (\(entry.desc.string) \(entry.tag?.string ?? ""))")
        }
    }

    @Test("a comment is selected with its parent only when the parent comes before it")
    func parentsComeFirst() throws {
        let comment = Self.entries.first { $0.dumpID == 6 }!, table = Self.entries.first { $0.dumpID == 5 }!
        var options = RestoreOptions()
        #expect(try EntrySelection.requirements(of: [comment, table], options: options) == [.schema, .schema])
        options.schemaNames = ["app"]
        #expect(try EntrySelection.requirements(of: [comment, table], options: options) == [[], .schema])
        #expect(try EntrySelection.requirements(of: [table, comment], options: options) == [.schema, .schema])
    }

    @Test("--strict-names: the first name of -n, -t, -I, -P, -T that matched nothing, schemas first")
    func strictNames() throws {
        func error(_ arguments: [String]) throws -> String? {
            let plan = try RestorePlan(
                entries: Self.entries, selection: try Self.options(Case(arguments: arguments)),
                script: ScriptOptions(restrictKey: "K"), strictNames: false, useList: nil)
            return plan.strictNamesError()?.message
        }
        #expect(try error(["-n", "app", "-t", "items", "-I", "items_idx", "-P", "add1(integer)",
                           "-T", "items items_trg"]) == nil)
        #expect(try error(["-t", "items", "-t", "nosuch"]) == "table \"nosuch\" not found")
        #expect(try error(["-t", "nosuch", "-n", "nowhere"]) == "schema \"nowhere\" not found")
        #expect(try error(["-P", "add1"]) == "function \"add1\" not found")
        #expect(try error(["-I", "nosuch_idx"]) == "index \"nosuch_idx\" not found")
        #expect(try error(["-T", "items_trg"]) == "trigger \"items_trg\" not found")
        // -N is not checked.
        #expect(try error(["-N", "nowhere"]) == nil)
        // pg_restore marks only the first of equal names (simple_string_list_member), so a name given twice
        // fails (verified against pg_restore 18.6: `-t orders -t orders --strict-names`).
        #expect(try error(["-t", "items", "-t", "items"]) == "table \"items\" not found")
        // Patterns get pg_dump's wording, each pattern checked on its own; -P and -T stay exact.
        #expect(try error(["--patterns", "-t", "item*", "-t", "ITEMS", "-n", "app", "-I", "*_idx"]) == nil)
        #expect(try error(["--patterns", "-t", "item*", "-t", "zz*"]) == "no matching tables were found for pattern \"zz*\"")
        #expect(try error(["--patterns", "-n", "x*"]) == "no matching schemas were found for pattern \"x*\"")
        #expect(try error(["--patterns", "-I", "*_pkey"]) == "no matching indexes were found for pattern \"*_pkey\"")
        #expect(try error(["--patterns", "-P", "add1*"]) == "function \"add1*\" not found")
        // A pattern is looked for only where pg_restore would look for the name: -n app excludes other.items.
        #expect(try error(["--patterns", "-n", "app", "-t", "other.*"]) == "no matching tables were found for pattern \"other.*\"")
    }

    /// Patterns and the exact names they select: with `--patterns`, the selection is pg_restore's for those names.
    static let patternCases: [(patterns: [String], exact: [String])] = [
        (["-t", "ITEM?"], ["-t", "items"]),
        (["-t", #""items""#], ["-t", "items"]),
        (["-t", #""Items""#], ["-t", "Items"]),
        (["-t", "*.items"], ["-t", "items"]),
        (["-t", "app.item*"], ["-n", "app", "-t", "items", "-t", "items_id_seq"]),
        (["-t", "items*"], ["-t", "items", "-t", "items_id_seq"]),
        (["-t", "items[_a-z]*"], ["-t", "items_id_seq"]),
        (["-n", "a*"], ["-n", "app"]),
        (["-N", "?THER"], ["-N", "other"]),
        (["-n", "*", "-N", "(other|x)"], ["-n", "app", "-n", "other", "-N", "other"]),
        (["-I", "*_idx"], ["-I", "items_idx"]),
        (["-I", "other.*"], ["-I", "nosuch"]),
        (["-t", "items", "-P", "add1(integer)"], ["-t", "items", "-P", "add1(integer)"]),
        (["-a", "-t", "i*"], ["-a", "-t", "items", "-t", "items_id_seq"]),
    ]

    @Test("with --patterns, what the matched names select exactly", arguments: patternCases)
    func patterns(_ patternArguments: [String], _ exactArguments: [String]) throws {
        let ours = try EntrySelection.requirements(
            of: Self.entries, options: try Self.options(Case(arguments: ["--patterns"] + patternArguments)))
        let exact = try EntrySelection.requirements(of: Self.entries, options: try Self.options(Case(arguments: exactArguments)))
        #expect(ours == exact)
    }

    @Test("with --patterns, the listing equals pg_restore 18 -l given the matched names",
          .enabled(if: Fixtures.pgRestore(major: "18") != nil), arguments: patternCases)
    func patternsMatchPgRestore(_ patternArguments: [String], _ exactArguments: [String]) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-patterns-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = scratch.appendingPathComponent("toc.dump")
        try Data(ArchiveBuilder(version: .v1_16, entries: Self.entries.map { ($0, nil) }).build()).write(to: archive)
        let result = try CommandRunner.run(oracle, ["-l"] + exactArguments + [archive.path])
        #expect(result.status == 0, "\(result.standardError)")
        let reader = try Archive.open(path: archive.path)
        let plan = try RestorePlan(
            entries: reader.entries, selection: try Self.options(Case(arguments: ["--patterns"] + patternArguments)),
            script: ScriptOptions(restrictKey: "K"), strictNames: false, useList: nil)
        #expect(ByteComparison.difference(actual: plan.renderListing(of: reader), expected: result.standardOutput) == nil)
    }

    @Test("pg_restore 18 -l lists exactly the entries expected to be selected",
          .enabled(if: Fixtures.pgRestore(major: "18") != nil), arguments: cases)
    func matchesPgRestore(_ selectionCase: Case) throws {
        let oracle = try #require(Fixtures.pgRestore(major: "18"))
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-select-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = scratch.appendingPathComponent("toc.dump")
        try Data(ArchiveBuilder(version: .v1_16, entries: Self.entries.map { ($0, nil) }).build()).write(to: archive)
        var arguments = ["-l"] + selectionCase.arguments
        if let useList = selectionCase.useList {
            let list = scratch.appendingPathComponent("list.txt")
            try Data(useList.map { "\($0)\n" }.joined().utf8).write(to: list)
            arguments += ["-L", list.path]
        }
        let result = try CommandRunner.run(oracle, arguments + [archive.path])
        try #require(result.status == 0, "\(result.standardError)")
        let listed = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n")
            .filter { !$0.hasPrefix(";") }
            .compactMap { Int32($0.prefix { $0 != ";" }) }
        #expect(Set(listed) == Set(selectionCase.schema + selectionCase.data + selectionCase.statistics))
    }
}
