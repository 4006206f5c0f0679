import Foundation
import PGDumpTestSupport
import Testing

/// `pgdumpkit diff` on pairs of real dumps of one database before and after known changes (testdata/diff/): it
/// reports exactly the entries that real pg_restore 18 renders differently (each folder's truth), and nothing,
/// with exit status 0, for the same content in another format.
@Suite struct DiffCLITests {
    struct Pair: CustomTestStringConvertible, Sendable {
        var folder: String
        var old: String
        var new: String
        /// The truth file, or `nil` when the two hold the same content.
        var truth: String?
        var testDescription: String { "\(folder): \(old) → \(new)" }
        func path(_ name: String) -> String { CLITests.path("diff/\(folder)/\(name)") }
    }

    /// Every line of every testdata/diff/*/PAIRS.tsv.
    static let pairs: [Pair] = {
        let root = Fixtures.testdata.appendingPathComponent("diff")
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        var pairs: [Pair] = []
        for folder in folders {
            let list = root.appendingPathComponent(folder).appendingPathComponent("PAIRS.tsv")
            guard let text = try? String(contentsOf: list, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 3 else { continue }
                pairs.append(Pair(folder: folder, old: fields[0], new: fields[1], truth: fields[2] == "-" ? nil : fields[2]))
            }
        }
        return pairs
    }()

    /// A truth file's entries: `change<TAB>desc schema tag owner`, as pg_restore -l prints an entry after the IDs.
    static func truth(_ path: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
    }

    /// `diff --json`'s changes in the truth's form.
    static func reported(_ output: [UInt8]) throws -> [String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
        #expect(object["formatVersion"] as? Int == 1)
        let changes = try #require(object["changes"] as? [[String: Any]])
        return changes.map { change in
            let fields = [change["desc"], change["schema"], change["tag"], change["owner"]].map { ($0 as? String) ?? "-" }
            return "\(change["change"] as? String ?? "?")\t\(fields.joined(separator: " "))"
        }
    }

    @Test("diff --json reports exactly the entries pg_restore 18 renders differently", arguments: pairs)
    func truth(_ pair: Pair) throws {
        let result = try CLITests.pgdumpkit(["diff", "--json", pair.path(pair.old), pair.path(pair.new)])
        #expect(result.standardError.isEmpty, "\(result.standardError)")
        let reported = try Self.reported(result.standardOutput)
        #expect(reported.count == Set(reported).count, "an entry reported twice: \(reported)")
        let expected = try pair.truth.map { try Self.truth(pair.path($0)) } ?? []
        #expect(Set(reported) == expected, "missing \(expected.subtracting(reported).sorted()), extra \(Set(reported).subtracting(expected).sorted())")
        #expect(result.status == (expected.isEmpty ? 0 : 1))
    }

    @Test("without --json: a summary line per change, then unified diffs; nothing when equal", arguments: pairs)
    func text(_ pair: Pair) throws {
        let result = try CLITests.pgdumpkit(["diff", pair.path(pair.old), pair.path(pair.new)])
        let output = String(decoding: result.standardOutput, as: UTF8.self)
        guard let truth = pair.truth else {
            #expect(result.status == 0 && output.isEmpty)
            return
        }
        let expected = try Self.truth(pair.path(truth))
        #expect(result.status == 1)
        let summary = output.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.isEmpty }
        #expect(summary.count == expected.count + 1)
        #expect(summary.last?.contains("\(expected.count) entr") == true)
        for line in expected where !line.hasPrefix("changed") {
            // Every entry added or removed appears in full on one side of a unified diff.
            let label = String(line.split(separator: "\t")[1])
            #expect(output.contains("\t\(label)\n"), "\(label)")
        }
    }

    @Test("--rows shows the changed row by its primary key, the old then the new")
    func rows() throws {
        let pair = try #require(Self.pairs.first { $0.folder == "northwind" && $0.truth != nil })
        let result = try CLITests.pgdumpkit(["diff", "--rows", "-t", "customers", pair.path(pair.old), pair.path(pair.new)])
        #expect(result.status == 1)
        let output = String(decoding: result.standardOutput, as: UTF8.self)
        #expect(output.contains("@@ rows matched by primary key (customer_id) @@\n-ALFKI\tAlfreds Futterkiste\tMaria Anders\t"))
        #expect(output.contains("\n+ALFKI\tAlfreds Futterkiste\tChanged Name\t"))
    }

    @Test("--rows with an archive through a pipe is refused before anything is printed")
    func rowsFromPipe() throws {
        let pair = try #require(Self.pairs.first { $0.folder == "northwind" && $0.truth != nil })
        let result = try CLITests.pgdumpkit(
            ["diff", "--rows", pair.path(pair.old), "-"], inputFile: CLITests.path("diff/northwind/a.dump"), throughPipe: true)
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("--rows reads changed tables' data a second time"), "\(result.standardError)")
        // Without --rows a pipe is fine: the same archive on both sides is equal.
        let plain = try CLITests.pgdumpkit(
            ["diff", pair.path(pair.old), "-"], inputFile: CLITests.path("diff/northwind/a.dump"), throughPipe: true)
        #expect(plain.status == 0, "\(plain.standardError)")
    }

    @Test("--rows on the shop pair: by a primary key, a two-column one, and whole rows without one")
    func shopRows() throws {
        let folder = "diff/shop/"
        let result = try CLITests.pgdumpkit([
            "diff", "--rows", "--json", "-t", "customers", "-t", "orders", "-t", "events", "--data-only",
            CLITests.path(folder + "before.tar"), CLITests.path(folder + "after-dir"),
        ])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String: Any])
        let changes = try #require(object["changes"] as? [[String: Any]])
        var rows: [String: [String]] = [:]
        for change in changes {
            let table = try #require(change["tag"] as? String)
            rows[table] = (change["rowChanges"] as? [[String: Any]] ?? []).map { row in
                ["change", "key", "oldRow", "newRow"].map { (row[$0] as? String) ?? "-" }.joined(separator: "|")
            }.sorted()
            if table == "events" { #expect(change["primaryKey"] == nil) }
        }
        #expect(rows["customers"] == [
            "added|201|-|201\tnewcomer\t\\N", "changed|7|7\tcustomer 7\tc7@example.com|7\tcustomer 7\tnew7@example.com",
            "changed|8|8\tcustomer 8\tc8@example.com|8\tcustomer 8\tnew8@example.com",
        ])
        #expect(rows["orders"] == [
            "added|201\t3001|-|201\t3001\t2025-12-24\t99.99",
            "changed|101\t100|101\t100\t2025-04-11\t419.00|101\t100\t2025-04-11\t420.00",
            "removed|11\t10|11\t10\t2025-01-11\t291.90|-", "removed|12\t11|12\t11\t2025-01-12\t371.09|-",
            "removed|13\t12|13\t12\t2025-01-13\t450.28|-",
        ])
        #expect(rows["events"] == [
            "added|-|-|2025-07-01 00:00:00+00\tnew event", "removed|-|2025-06-01 12:00:00+00\ttwice|-",
        ])
        // --rows-memory takes MiB; the smallest budget gives the same rows (the library test spills over many buckets).
        let spilled = try CLITests.pgdumpkit([
            "diff", "--rows", "--rows-memory", "1", "-t", "orders", "--data-only",
            CLITests.path(folder + "before.tar"), CLITests.path(folder + "after-dir"),
        ])
        #expect(spilled.status == 1)
        let text = String(decoding: spilled.standardOutput, as: UTF8.self)
        #expect(text.contains("-101\t100\t2025-04-11\t419.00\n+101\t100\t2025-04-11\t420.00\n"))
    }

    /// `diff --rows --json --data-only`: each changed table's row changes (`change|key|oldRow|newRow`, sorted) and
    /// primary key, by "schema.table"; and each changed table's row counts.
    static func rowChanges(_ folder: String, _ old: String, _ new: String) throws
        -> (rows: [String: [String]], counts: [String: String])
    {
        let result = try CLITests.pgdumpkit([
            "diff", "--rows", "--json", "--data-only", CLITests.path("diff/\(folder)/\(old)"), CLITests.path("diff/\(folder)/\(new)"),
        ])
        #expect(result.status == 1, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String: Any])
        var rows: [String: [String]] = [:], counts: [String: String] = [:]
        for change in try #require(object["changes"] as? [[String: Any]]) where change["change"] as? String == "changed" {
            let table = "\(change["schema"] as? String ?? "-").\(change["tag"] as? String ?? "-")"
            counts[table] = "\(change["oldRows"] ?? "-") -> \(change["newRows"] ?? "-")"
            let changed = (change["rowChanges"] as? [[String: Any]] ?? []).map { row in
                ["change", "key", "oldRow", "newRow"].map { (row[$0] as? String) ?? "-" }.joined(separator: "|")
            }
            guard !changed.isEmpty else { continue }
            let key = (change["primaryKey"] as? [String])?.joined(separator: ",") ?? "-"
            rows[table] = ["primary key \(key)"] + changed.sorted()
        }
        return (rows, counts)
    }

    @Test("--rows on INSERT data (--column-inserts, --rows-per-insert): the rows, keys and row counts of the COPY data")
    func insertRows() throws {
        let copy = try Self.rowChanges("library", "before.dump", "after-dir")
        let inserts = try Self.rowChanges("library", "before-column-inserts.dump", "after-rows-per-insert.dump")
        #expect(copy.rows.count >= 3 && copy.rows.values.contains { !$0[0].hasSuffix(" -") && $0.count > 2 })
        #expect(inserts.rows == copy.rows)
        for (table, count) in copy.counts { #expect(inserts.counts[table] == count, "\(table)") }
        // The same state as COPY data and as INSERT statements: every table's data is stored otherwise, no row differs.
        let stored = try Self.rowChanges("library", "before.dump", "before-column-inserts.dump")
        #expect(stored.rows.isEmpty, "\(stored.rows)")
        #expect(stored.counts.count >= 5)
        for (table, count) in stored.counts {
            let parts = count.components(separatedBy: " -> ")
            #expect(parts.count == 2 && parts[0] == parts[1] && parts[0] != "-", "\(table): \(count)")
        }
        let text = try CLITests.pgdumpkit([
            "diff", "--data-only", CLITests.path("diff/library/before.dump"), CLITests.path("diff/library/before-column-inserts.dump"),
        ])
        #expect(String(decoding: text.standardOutput, as: UTF8.self).contains(", the same rows stored otherwise\n"))
    }

    @Test("narrowing: -t, --schema-only, --ignore-owner")
    func narrowing() throws {
        let pair = try #require(Self.pairs.first { $0.folder == "northwind" && $0.truth != nil })
        func changes(_ options: [String]) throws -> (Int32, [String]) {
            let result = try CLITests.pgdumpkit(["diff", "--json"] + options + [pair.path(pair.old), pair.path(pair.new)])
            return (result.status, try Self.reported(result.standardOutput))
        }
        #expect(try changes(["-t", "orders"]) == (0, []))
        #expect(try changes(["-t", "customers"]).1 == ["changed\tTABLE DATA public customers postgres"])
        let schemaOnly = try changes(["--schema-only"]).1
        #expect(!schemaOnly.contains { $0.contains("TABLE DATA") } && schemaOnly.count == 3)
        #expect(try changes(["--data-only"]).1.count == 2)
        #expect(try changes(["--ignore-owner"]).1.count == 5)
    }

    @Test("every key diff --json --rows prints is in the README's JSON section")
    func documented() throws {
        let documented = try JSONVocabularyTests.documentedNames()
        let pair = try #require(Self.pairs.first { $0.folder == "northwind" && $0.truth != nil })
        let result = try CLITests.pgdumpkit(["diff", "--json", "--rows", pair.path(pair.old), pair.path(pair.new)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String: Any])
        let keys = JSONVocabularyTests.keys(of: object)
        #expect(keys.contains { $0.key == "rowChanges" })
        for (parent, key) in keys {
            #expect(documented.contains(key), "diff --json prints \(parent.isEmpty ? key : parent + "." + key), which the README does not document")
        }
    }

    @Test("either side unreadable: exit status 2 and one clear line")
    func trouble() throws {
        let good = CLITests.path("diff/northwind/a.dump")
        let bad = CLITests.path("fixture/roles.sql")
        for arguments in [[good, "/nonexistent/x.dump"], ["/nonexistent/x.dump", good], [good, bad], [bad, good]] {
            let result = try CLITests.pgdumpkit(["diff"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.standardError.hasPrefix("pgdumpkit: error: "), "\(result.standardError)")
            #expect(result.standardOutput.isEmpty)
        }
        let usage = try CLITests.pgdumpkit(["diff", good])
        #expect(usage.status == 2)
        let list = try CLITests.pgdumpkit(["diff", "-L", "x", good, good])
        #expect(list.status == 2)
    }
}
