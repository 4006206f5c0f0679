import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// `--with-deps`: the selection closed over the archive's dependencies and each entry's own parts
/// (`DependencyClosure`), on a crafted TOC whose expected closures follow the documented rule, and on every
/// testdata archive, where the closure of each table alone must be closed, explained and stable.
@Suite struct DependencyClosureTests {
    /// A small shop: schemas, a type, a function used by a trigger, two tables joined by a foreign key, a
    /// partitioned table with one partition, a view, and a cycle between two entries.
    static let entries: [TOCEntry] = {
        func entry(
            _ dumpID: Int32, _ desc: ArchiveText, _ tag: ArchiveText, _ section: Section, namespace: ArchiveText? = "shop",
            hadDumper: Bool = false, dependencies: [Int32] = []
        ) -> TOCEntry {
            TOCEntry(
                dumpID: dumpID, hadDumper: hadDumper, tag: tag, desc: desc, section: section,
                defn: hadDumper ? nil : ArchiveText("-- \(desc.string) \(tag.string)\n"), namespace: namespace, owner: "alice",
                dependencies: dependencies)
        }
        return [
            entry(100, "ENCODING", "ENCODING", .preData, namespace: nil),
            entry(1, "SCHEMA", "shop", .preData, namespace: nil),
            entry(2, "ACL", "SCHEMA shop", .none, namespace: nil, dependencies: [1]),
            entry(3, "SCHEMA", "other", .preData, namespace: nil),
            entry(4, "TYPE", "mood", .preData, dependencies: [1]),
            entry(5, "FUNCTION", "audit()", .preData, dependencies: [1]),
            entry(6, "COMMENT", "FUNCTION audit()", .none, dependencies: [5]),
            entry(7, "SEQUENCE", "invoice_seq", .preData, dependencies: [1]),
            entry(8, "TABLE", "customers", .preData, dependencies: [1, 4]),
            entry(9, "ACL", "TABLE customers", .none, dependencies: [8]),
            entry(10, "TABLE", "orders", .preData, dependencies: [1, 7, 999]),
            entry(11, "SEQUENCE", "orders_id_seq", .preData, dependencies: [1, 10]),
            entry(12, "SEQUENCE OWNED BY", "orders_id_seq", .preData, dependencies: [11]),
            entry(13, "DEFAULT", "orders id", .preData, dependencies: [10, 11]),
            entry(14, "TABLE", "measurements", .preData, dependencies: [1]),
            entry(15, "TABLE", "measurements_2024", .preData, dependencies: [14, 1]),
            entry(16, "TABLE ATTACH", "measurements_2024", .preData, dependencies: [15, 14]),
            entry(17, "VIEW", "big_orders", .preData, dependencies: [10, 1]),
            entry(18, "TABLE", "notes", .preData, namespace: "other", dependencies: [3]),
            entry(19, "FUNCTION", "ping()", .preData, dependencies: [20]),
            entry(20, "FUNCTION", "pong()", .preData, dependencies: [19]),
            entry(30, "TABLE DATA", "customers", .data, hadDumper: true, dependencies: [8]),
            entry(31, "TABLE DATA", "orders", .data, hadDumper: true, dependencies: [10]),
            entry(32, "TABLE DATA", "measurements_2024", .data, hadDumper: true, dependencies: [15]),
            entry(33, "TABLE DATA", "notes", .data, namespace: "other", hadDumper: true, dependencies: [18]),
            entry(34, "SEQUENCE SET", "orders_id_seq", .data, dependencies: [11]),
            entry(35, "SEQUENCE SET", "invoice_seq", .data, dependencies: [7]),
            entry(40, "CONSTRAINT", "customers customers_pkey", .postData, dependencies: [8]),
            entry(41, "CONSTRAINT", "orders orders_pkey", .postData, dependencies: [10]),
            entry(42, "INDEX", "orders_placed_idx", .postData, dependencies: [10]),
            entry(43, "COMMENT", "INDEX orders_placed_idx", .none, dependencies: [42]),
            entry(44, "TRIGGER", "orders orders_audit", .postData, dependencies: [10, 5]),
            entry(45, "FK CONSTRAINT", "orders orders_customer_fk", .postData, dependencies: [8, 40, 10]),
            entry(46, "INDEX", "measurements_v_idx", .postData, dependencies: [14]),
        ]
    }()

    /// The dump IDs the plan restores (schema, data or statistics), in plan order, and the reasons.
    static func closure(
        _ arguments: [String], useList: String? = nil
    ) throws -> (ids: [Int32], reasons: [Int32: DependencyReason]) {
        var options = try EntrySelectionTests.options(EntrySelectionTests.Case(arguments: arguments))
        options.withDependencies = true
        let plan = try RestorePlan(
            entries: entries, selection: options, script: ScriptOptions(restrictKey: "K"), strictNames: true,
            useList: useList.map { Array($0.utf8) })
        let requirements = try EntrySelection.requirements(of: plan.entries, options: plan.selection)
        #expect(Set(plan.entries.map(\.dumpID)).count == entries.count && plan.entries.count == entries.count)
        let ids = zip(plan.entries, requirements).filter { !$0.1.isDisjoint(with: [.schema, .data, .statistics]) }
            .map(\.0.dumpID)
        return (ids, plan.dependencyReasons)
    }

    @Test("a table brings what it needs and what is its own, never a table that only refers to it")
    func table() throws {
        let (ids, reasons) = try Self.closure(["-t", "customers"])
        // Schema (and its ACL), the column type; its own ACL, data and primary key. Not orders, whose foreign key
        // refers to customers.
        #expect(ids == [1, 2, 4, 8, 9, 30, 40])
        #expect(reasons[1] == DependencyReason(kind: .dependency, through: 8, neededBy: 8))
        #expect(reasons[2] == DependencyReason(kind: .part, through: 1, neededBy: 8))
        #expect(reasons[40] == DependencyReason(kind: .part, through: 8, neededBy: 8))
        // Selected entries have no reason.
        #expect(reasons[8] == nil && reasons[30] == nil && reasons[9] == nil)
    }

    @Test("a foreign key brings the table it references, with its rows; a default its sequence, with its value")
    func foreignKey() throws {
        let (ids, reasons) = try Self.closure(["-t", "orders"])
        #expect(ids == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 30, 31, 34, 35, 40, 41, 42, 43, 44, 45])
        #expect(reasons[45] == DependencyReason(kind: .part, through: 10, neededBy: 10))
        #expect(reasons[8] == DependencyReason(kind: .dependency, through: 45, neededBy: 10))
        #expect(reasons[30] == DependencyReason(kind: .part, through: 8, neededBy: 10))
        #expect(reasons[5] == DependencyReason(kind: .dependency, through: 44, neededBy: 10))
        // The view on orders and the other schema stay out; the dangling dependency 999 is skipped.
        #expect(!ids.contains(17) && !ids.contains(18) && !ids.contains(3))
    }

    @Test("a partition brings its parent and its ATTACH; a parent brings neither its partitions nor their ATTACH")
    func partitions() throws {
        #expect(try Self.closure(["-t", "measurements_2024"]).ids == [1, 2, 14, 15, 16, 32, 46])
        #expect(try Self.closure(["-t", "measurements"]).ids == [1, 2, 14, 46])
    }

    @Test("a cycle ends; a view brings its tables")
    func cyclesAndViews() throws {
        #expect(try Self.closure(["-P", "ping()"]).ids == [19, 20])
        let view = try Self.closure(["-t", "big_orders"]).ids
        #expect(view.contains(17) && view.contains(10) && view.contains(31) && view.contains(8))
    }

    @Test("the kind options decide what of the closure is restored; the walk goes through what they leave out")
    func kindOptions() throws {
        #expect(try Self.closure(["-s", "-t", "orders"]).ids == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 40, 41, 42, 43, 44, 45])
        // -a: the data of orders, of the customers its foreign key refers to, and of its sequences.
        #expect(try Self.closure(["-a", "-t", "orders"]).ids == [30, 31, 34, 35])
        #expect(try Self.closure(["-x", "--no-comments", "-t", "customers"]).ids == [1, 4, 8, 30, 40])
        #expect(try Self.closure(["--section=pre-data", "-t", "customers"]).ids == [1, 2, 4, 8, 9])
        // -N does not stop the closure: what the selected entries need is brought in from any schema.
        #expect(try Self.closure(["-N", "shop", "-t", "notes"]).ids == [3, 18, 33])
        #expect(try Self.closure(["-n", "other"]).ids == [3, 18, 33])
    }

    @Test("with -L the added entries take their archive places among the listed ones")
    func useList() throws {
        // In the archive's order: the archive's order.
        #expect(try Self.closure([], useList: "8\n40\n").ids == [1, 2, 4, 8, 9, 30, 40])
        // Reordered (the key before its table): what the table needs still precedes the first listed entry, and
        // its parts (ACL, data) still follow it.
        #expect(try Self.closure([], useList: "40\n8\n").ids == [1, 2, 4, 40, 8, 9, 30])
        // A listed entry that -t does not select but the closure needs keeps its place, once.
        #expect(try Self.closure(["-t", "customers"], useList: "1\n8\n").ids == [1, 2, 4, 8, 9, 30, 40])
    }

    @Test("without --with-deps nothing changes")
    func unchanged() throws {
        let options = try EntrySelectionTests.options(EntrySelectionTests.Case(arguments: ["-t", "orders"]))
        let plain = try EntrySelection.requirements(of: Self.entries, options: options)
        let closed = EntrySelection.closedSelection(
            of: Self.entries, options: options, names: SelectionNames(matchingExactly: options))
        #expect(closed.requirements == plain && closed.reasons.isEmpty)
    }

    /// Every custom archive of testdata (pg_dump 11 to 18).
    static let archives = Fixtures.archiveCases.filter { $0.format == "custom" && !$0.piped }.map(\.relativePath)

    @Test("every table alone: the closure is closed under dependencies and parts, and every addition explained",
          arguments: archives)
    func realArchives(_ path: String) throws {
        let reader = try Archive.open(path: Fixtures.testdata.appendingPathComponent(path).path)
        let entries = reader.entries
        var byDumpID: [Int32: Int] = [:]
        for (index, entry) in entries.enumerated() { byDumpID[entry.dumpID] = index }
        let tables = entries.filter { $0.desc.equals("TABLE") }
        #expect(!tables.isEmpty)
        let restored: Requirement = [.schema, .data, .statistics]
        for table in tables {
            var options = RestoreOptions()
            options.schemaNames = [table.namespace ?? ""]
            options.tableNames = [table.tag ?? ""]
            options.withDependencies = true
            let names = SelectionNames(matchingExactly: options)
            let closed = EntrySelection.closedSelection(of: entries, options: options, names: names)
            let included = Set(entries.indices.filter { !closed.requirements[$0].isDisjoint(with: restored) })
            let name = "\(table.namespace?.string ?? "-").\(table.tag?.string ?? "")"
            #expect(included.contains(byDumpID[table.dumpID]!), "\(path) \(name)")
            for index in included {
                // Closed: every recorded dependency that is an entry of the archive is in (DATABASE aside).
                for dependency in entries[index].dependencies {
                    guard let target = byDumpID[dependency], !entries[target].desc.equals("DATABASE") else { continue }
                    #expect(included.contains(target), "\(path) \(name): \(entries[index].dumpID) needs \(dependency)")
                }
            }
            // Explained: an added entry's reason names an entry of the closure it is joined to, and a selected
            // entry it serves.
            var seedOptions = options
            seedOptions.withDependencies = false
            let seeds = EntrySelection.requirements(of: entries, options: seedOptions, names: names)
            for (index, reason) in closed.reasons {
                #expect(included.contains(index) && seeds[index].isDisjoint(with: restored))
                let through = try #require(byDumpID[reason.through])
                #expect(included.contains(through), "\(path) \(name): \(entries[index].dumpID) through \(reason.through)")
                switch reason.kind {
                case .dependency: #expect(entries[through].dependencies.contains(entries[index].dumpID))
                case .part: #expect(entries[index].dependencies.contains(reason.through))
                }
                let root = try #require(byDumpID[reason.neededBy])
                #expect(!seeds[root].isDisjoint(with: restored), "\(path) \(name): \(entries[index].dumpID) needed by \(reason.neededBy)")
            }
            // Nothing comes in that refers to the table without belonging to it: no view, no other table's data.
            for index in included where entries[index].desc.equals("VIEW") {
                #expect(closed.reasons[index]?.kind == .dependency, "\(path) \(name): view \(entries[index].dumpID)")
            }
        }
    }
}
