import Foundation
@testable import PGDumpKit
import PGDumpTestSupport
import Testing

/// The parts of `diff`: the row hash and digest, the line diff, matching entries by identity, and `--rows` in
/// bounded memory on tables built in code.
@Suite struct DiffTests {
    // MARK: - SipHash-2-4-128

    /// The reference vectors (veorq/SipHash `vectors.h`, `vectors_sip128`): key 00…0f, message 00…(n-1).
    static let vectors: [(length: Int, hash: [UInt8])] = [
        (0, [0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6, 0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55, 0x02, 0x93]),
        (1, [0xda, 0x87, 0xc1, 0xd8, 0x6b, 0x99, 0xaf, 0x44, 0x34, 0x76, 0x59, 0x11, 0x9b, 0x22, 0xfc, 0x45]),
        (2, [0x81, 0x77, 0x22, 0x8d, 0xa4, 0xa4, 0x5d, 0xc7, 0xfc, 0xa3, 0x8b, 0xde, 0xf6, 0x0a, 0xff, 0xe4]),
        (8, [0x3b, 0x62, 0xa9, 0xba, 0x62, 0x58, 0xf5, 0x61, 0x0f, 0x83, 0xe2, 0x64, 0xf3, 0x14, 0x97, 0xb4]),
        (15, [0x54, 0x93, 0xe9, 0x99, 0x33, 0xb0, 0xa8, 0x11, 0x7e, 0x08, 0xec, 0x0f, 0x97, 0xcf, 0xc3, 0xd9]),
        (63, [0x51, 0x50, 0xd1, 0x77, 0x2f, 0x50, 0x83, 0x4a, 0x50, 0x3e, 0x06, 0x9a, 0x97, 0x3f, 0xbd, 0x7c]),
    ]

    static let referenceKey = SipHash128.Key(k0: 0x0706_0504_0302_0100, k1: 0x0f0e_0d0c_0b0a_0908)

    static func bytes(_ digest: Digest128) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: digest.low >> (8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: digest.high >> (8 * $0)) }
    }

    @Test("SipHash-2-4-128 gives the reference vectors, whole and fed in pieces of every size")
    func sipHashVectors() {
        for (length, expected) in Self.vectors {
            let message = (0..<length).map { UInt8($0) }
            #expect(Self.bytes(SipHash128.hash(message, key: Self.referenceKey)) == expected, "length \(length)")
            for piece in 1...max(1, length) {
                var hasher = SipHash128(key: Self.referenceKey)
                var start = 0
                while start < length {
                    hasher.update(Array(message[start..<min(length, start + piece)]))
                    start += piece
                }
                #expect(Self.bytes(hasher.finalize()) == expected, "length \(length) in pieces of \(piece)")
            }
        }
    }

    // MARK: - Digests

    static func digest(_ data: String, chunk: Int = 7, copyData: Bool = true, key: SipHash128.Key = referenceKey) throws
        -> TableDigest
    {
        var sink = TableDigestSink(key: key, copyData: copyData)
        let bytes = Array(data.utf8)
        var start = 0
        while start < bytes.count {
            let piece = Array(bytes[start..<min(bytes.count, start + chunk)])
            try piece.withUnsafeBytes { try sink.write($0) }
            start += chunk
        }
        sink.finish()
        return sink.digest
    }

    @Test("a table's digest counts rows up to \\., ignores their order and what follows, and sees duplicates")
    func digests() throws {
        let base = try Self.digest("1\ta\n2\tb\n3\tc\n\\.\n\n")
        #expect(base.rows == 3)
        for chunk in [1, 2, 3, 64] {
            #expect(try Self.digest("3\tc\n1\ta\n2\tb\n\\.\n\n", chunk: chunk).sameContent(as: base))
        }
        #expect(try !Self.digest("1\ta\n2\tb\n3\td\n\\.\n\n").sameContent(as: base))
        #expect(try !Self.digest("1\ta\n2\tb\n\\.\n\n").sameContent(as: base))
        // An exclusive or would cancel equal rows; the sum does not.
        #expect(try !Self.digest("x\nx\n\\.\n").sameContent(as: Self.digest("y\ny\n\\.\n")))
        // An empty line is a row of COPY data (one empty string), not of INSERT statements.
        #expect(try Self.digest("\n\\.\n").rows == 1)
        #expect(try Self.digest("INSERT 1;\n\nINSERT 2;\n", copyData: false).rows == 2)
        // A row cut short at the end is a row; what follows \. is not.
        #expect(try Self.digest("1\n2").rows == 2)
        #expect(try Self.digest("1\n\\.\n2\n3\n").rows == 1)
        // `\.` inside a row is escaped by COPY: `\\.` is a row.
        #expect(try Self.digest("\\\\.\n\\.\n").rows == 1)
    }

    // MARK: - Line diff

    static func unified(_ old: String, _ new: String) -> String {
        String(decoding: LineDiff.unified(Array(old.utf8), Array(new.utf8)), as: UTF8.self)
    }

    @Test("unified diffs as diff -u writes them")
    func unifiedDiff() {
        #expect(Self.unified("a\nb\nc\n", "a\nb\nc\n").isEmpty)
        #expect(Self.unified("a\nb\nc\n", "a\nx\nc\n") == "@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n")
        #expect(Self.unified("", "a\nb\n") == "@@ -0,0 +1,2 @@\n+a\n+b\n")
        #expect(Self.unified("a\n", "") == "@@ -1 +0,0 @@\n-a\n")
        let old = (1...20).map { "line \($0)\n" }.joined()
        var lines = (1...20).map { "line \($0)\n" }
        lines[1] = "two\n"
        lines[17] = "eighteen\n"
        #expect(Self.unified(old, lines.joined()) == """
            @@ -1,5 +1,5 @@
             line 1
            -line 2
            +two
             line 3
             line 4
             line 5
            @@ -15,6 +15,6 @@
             line 15
             line 16
             line 17
            -line 18
            +eighteen
             line 19
             line 20

            """)
    }

    @Test("the edit script is minimal on small cases and always turns old into new", arguments: 0..<200)
    func editScripts(_ seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let old = (0..<Int.random(in: 0..<30, using: &generator)).map { _ in Int.random(in: 0..<5, using: &generator) }
        let new = (0..<Int.random(in: 0..<30, using: &generator)).map { _ in Int.random(in: 0..<5, using: &generator) }
        for maximum in [LineDiff.maximumEdits, 3] {
            let script = LineDiff.edits(old, new, maximumEdits: maximum)
            var o = 0, n = 0
            var rebuilt: [Int] = []
            for operation in script {
                switch operation {
                case .equal:
                    #expect(old[o] == new[n])
                    rebuilt.append(old[o]); o += 1; n += 1
                case .delete: o += 1
                case .insert: rebuilt.append(new[n]); n += 1
                }
            }
            #expect(o == old.count && n == new.count && rebuilt == new)
            if maximum == LineDiff.maximumEdits {
                let kept = script.count { $0 == .equal }
                #expect(kept == Self.longestCommonSubsequence(old, new))
            }
        }
    }

    static func longestCommonSubsequence(_ a: [Int], _ b: [Int]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }

    // MARK: - Comparing archives built in code

    /// A small database: schema app, table app.big (id, v) with `rows` rows, and its primary key when `key`.
    static func archive(rows: [String], key: Bool = true, comment: String = "things", owner: ArchiveText = "alice")
        throws -> any ArchiveReader
    {
        var entries: [(TOCEntry, [UInt8]?)] = [
            (TOCEntry(dumpID: 1, tag: "ENCODING", desc: "ENCODING", section: .preData,
                      defn: "SET client_encoding = 'UTF8';\n"), nil),
            (TOCEntry(dumpID: 2, tableOIDText: "2615", oidText: "16385", tag: "app", desc: "SCHEMA", section: .preData,
                      defn: "CREATE SCHEMA app;\n", dropStmt: "DROP SCHEMA app;\n", owner: owner), nil),
            (TOCEntry(dumpID: 3, tableOIDText: "1259", oidText: "16386", tag: "big", desc: "TABLE", section: .preData,
                      defn: "CREATE TABLE app.big (id integer NOT NULL, v text);\n", dropStmt: "DROP TABLE app.big;\n",
                      namespace: "app", tablespace: "", tableam: "heap", relkind: 114, owner: owner,
                      dependencies: [2]), nil),
            (TOCEntry(dumpID: 4, tag: "TABLE big", desc: "COMMENT", section: .none,
                      defn: ArchiveText("COMMENT ON TABLE app.big IS '\(comment)';\n"), namespace: "app", owner: owner,
                      dependencies: [3]), nil),
            (TOCEntry(dumpID: 5, hadDumper: true, oidText: "16386", tag: "big", desc: "TABLE DATA",
                      section: .data, copyStmt: "COPY app.big (id, v) FROM stdin;\n", namespace: "app", owner: owner,
                      dependencies: [3]), Array((rows.map { $0 + "\n" }.joined() + "\\.\n\n").utf8)),
        ]
        if key {
            entries.append((TOCEntry(
                dumpID: 6, tableOIDText: "2606", oidText: "16390", tag: "big big_pkey", desc: "CONSTRAINT",
                section: .postData, defn: "ALTER TABLE ONLY app.big\n    ADD CONSTRAINT big_pkey PRIMARY KEY (id);\n",
                dropStmt: "ALTER TABLE ONLY app.big DROP CONSTRAINT big_pkey;\n", namespace: "app", tablespace: "",
                owner: owner, dependencies: [3]), nil))
        }
        return try Archive.open(source: MemoryByteSource(ArchiveBuilder(version: .v1_16, entries: entries).build()))
    }

    static func plan(_ reader: any ArchiveReader, _ configure: (inout PGRestoreCommandLine) -> Void = { _ in }) throws
        -> RestorePlan
    {
        var commandLine = PGRestoreCommandLine()
        configure(&commandLine)
        let (selection, script) = try commandLine.resolve()
        return try RestorePlan(entries: reader.entries, selection: selection, script: script, strictNames: false, useList: nil)
    }

    static func compare(_ old: any ArchiveReader, _ new: any ArchiveReader) throws -> ArchiveComparison {
        try ArchiveComparison(old: old, plan: plan(old), new: new, plan: plan(new))
    }

    static func summary(_ comparison: ArchiveComparison) -> [String] {
        comparison.changes.map { "\($0.kind.rawValue) \($0.entry.desc) \($0.entry.tag?.string ?? "")" }
    }

    static let rows = (1...3000).map { "\($0)\tvalue \($0)" }

    @Test("the comparison is the same whatever the threads digesting data: 1, 2, 3 or 4", arguments: [
        ("library", "before.dump", "after-dir"), ("library", "before-lz4.dump", "after-zstd.dump"),
        ("library", "after-dir", "after.tar"), ("shop", "before.dump", "after-none.dump"),
    ])
    func sameAtAnyJobs(_ folder: String, _ old: String, _ new: String) throws {
        let root = Fixtures.testdata.appendingPathComponent("diff/\(folder)")
        func outcome(_ jobs: Int) throws -> [String] {
            let oldReader = try Archive.open(path: root.appendingPathComponent(old).path)
            let newReader = try Archive.open(path: root.appendingPathComponent(new).path)
            let comparison = try ArchiveComparison(
                old: oldReader, plan: Self.plan(oldReader), new: newReader, plan: Self.plan(newReader), jobs: jobs)
            // Digests are keyed anew for each comparison: rows and bytes are compared, and whether data changed.
            return comparison.changes.map { change in
                "\(change.kind.rawValue) \(change.entry.desc) \(change.entry.tag?.string ?? "") text \(change.definitionChanged) data \(change.dataChanged) rows \(change.oldData?.rows ?? -1) -> \(change.newData?.rows ?? -1) bytes \(change.oldData?.bytes ?? -1) -> \(change.newData?.bytes ?? -1)"
            }
        }
        let sequential = try outcome(1)
        for jobs in [2, 3, 4] { #expect(try outcome(jobs) == sequential, "jobs \(jobs)") }
    }

    @Test("the same content in another order is equal; a changed comment, owner or row is a change")
    func comparisons() throws {
        #expect(try Self.compare(Self.archive(rows: Self.rows), Self.archive(rows: Self.rows.reversed())).isEqual)
        #expect(try Self.summary(Self.compare(Self.archive(rows: Self.rows), Self.archive(rows: Self.rows, comment: "stuff")))
            == ["changed COMMENT TABLE big"])
        var changed = Self.rows
        changed[10] = "11\tchanged"
        let data = try Self.compare(Self.archive(rows: Self.rows), Self.archive(rows: changed))
        #expect(Self.summary(data) == ["changed TABLE DATA big"])
        #expect(data.changes.first?.definitionChanged == false && data.changes.first?.dataChanged == true)
        let owners = try Self.compare(Self.archive(rows: Self.rows), Self.archive(rows: Self.rows, owner: "bob"))
        #expect(owners.changes.count == 5)
        let ignoringOwner = try ArchiveComparison(
            old: Self.archive(rows: Self.rows), plan: Self.plan(Self.archive(rows: Self.rows)) { $0.script.noOwner = true },
            new: Self.archive(rows: Self.rows, owner: "bob"),
            plan: Self.plan(Self.archive(rows: Self.rows, owner: "bob")) { $0.script.noOwner = true })
        #expect(ignoringOwner.isEqual)
        let keyDropped = try Self.compare(Self.archive(rows: Self.rows), Self.archive(rows: Self.rows, key: false))
        #expect(Self.summary(keyDropped) == ["removed CONSTRAINT big big_pkey"])
    }

    // MARK: - Rows

    static func rowChanges(
        old: [String], new: [String], key: Bool, budget: Int
    ) throws -> (changes: [String], statistics: RowComparison.Statistics) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let oldReader = try archive(rows: old, key: key), newReader = try archive(rows: new, key: key)
        let comparison = try ArchiveComparison(old: oldReader, plan: plan(oldReader), new: newReader, plan: plan(newReader))
        let change = try #require(comparison.changes.first { $0.entry.desc.equals("TABLE DATA") })
        var changes: [String] = []
        let statistics = try comparison.compareRows(
            of: change, options: RowComparison.Options(memoryBudget: budget, spillDirectory: directory.path)
        ) { row in
            let text = { (bytes: [UInt8]?) in bytes.map { String(decoding: $0, as: UTF8.self) } ?? "-" }
            changes.append("\(row.kind.rawValue) \(text(row.key)) \(text(row.old)) \(text(row.new))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty, "bucket files left behind")
        return (changes.sorted(), statistics)
    }

    static func editedRows() -> [String] {
        var rows = Self.rows
        rows[99] = "100\tchanged"
        rows.remove(at: 2000)
        rows.append("5000\tnew")
        rows.append("5001\tnew")
        return rows.shuffled()
    }

    @Test("--rows: changed, added and removed rows by primary key, with the table spilled over many buckets")
    func rowsByKey() throws {
        let (changes, statistics) = try Self.rowChanges(old: Self.rows, new: Self.editedRows(), key: true, budget: 8 << 10)
        #expect(changes == [
            "added 5000 - 5000\tnew", "added 5001 - 5001\tnew", "changed 100 100\tvalue 100 100\tchanged",
            "removed 2001 2001\tvalue 2001 -",
        ])
        #expect(statistics.keyColumns == [Array("id".utf8)])
        #expect(statistics.buckets > 8)
        // Each bucket pair held in memory stays within the budget.
        #expect(statistics.largestBucket <= 8 << 10)
    }

    @Test("--rows without a primary key: rows compared whole, duplicates counted")
    func rowsWithoutKey() throws {
        let old = Self.rows + ["1\tvalue 1"]
        let (changes, statistics) = try Self.rowChanges(old: old, new: Self.editedRows(), key: false, budget: 1 << 20)
        #expect(statistics.keyColumns == nil && statistics.buckets == 1)
        #expect(changes == [
            "added - - 100\tchanged", "added - - 5000\tnew", "added - - 5001\tnew", "removed - 1\tvalue 1 -",
            "removed - 100\tvalue 100 -", "removed - 2001\tvalue 2001 -",
        ])
    }
}

/// A small deterministic generator for property tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
