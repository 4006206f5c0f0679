import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// `pgdumpkit explode` and `implode`: one database dumped in every format and compression explodes to the same
/// bytes; a tree imploded again renders with real pg_restore 18 exactly as the original; odd names (quotes,
/// slashes, bytes that are not UTF-8, long names, names alike but for case) give safe, distinct paths; nothing
/// is left behind on failure.
@Suite struct ExplodeCLITests {
    /// Archives of one database by one pg_dump, in every format and compression it wrote.
    static let sameDatabase: [String: [String]] = {
        var groups: [String: [String]] = [:]
        for version in ["pg11", "pg13", "pg15", "pg16", "pg17", "pg18"] {
            let folder = Fixtures.testdata.appendingPathComponent("archives/\(version)")
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            groups[version] = names.filter { $0.hasPrefix("custom-") || $0.hasPrefix("directory-") || $0 == "tar.tar" }
                .filter { !["statistics", "oids", "quote-all", "partition-root"].contains(where: $0.contains) }
                .map { "archives/\(version)/\($0)" }
        }
        return groups
    }()

    /// Archives pg_restore 18 reads, with awkward content: large objects, INSERT data, LATIN1 and SQL_ASCII names
    /// and values, standard_conforming_strings off, statistics.
    static let roundTrips = [
        "archives/pg18/custom-default.dump", "archives/pg18/custom-statistics.dump", "archives/pg18/tar.tar",
        "archives/pg17/directory-default", "archives/pg15/custom-none.dump",
        "archives/pg13/custom-default.dump", "archives/pg13/latin1-custom.dump", "archives/pg13/sql-ascii-custom.dump",
        "archives/pg13/scs-off-inserts.dump", "archives/pg13/scs-off-rows-per-insert.dump", "archives/pg13/scs-off-custom.dump",
        "archives/pg11/latin1-custom.dump",
        "archives/pg11/custom-default.dump", "archives/pg11/latin1-inserts.dump", "archives/pg11/sql-ascii-custom.dump",
        "archives/pg11/custom-oids.dump", "archives/pg11/custom-create-quote-all.dump",
        "diff/shop/before.dump", "diff/northwind/a.dump", "typed-arrays/arrays.dump",
    ]

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-explode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every file of a tree by relative path, with its bytes; folders as nil.
    static func tree(_ root: URL) throws -> [String: Data?] {
        var files: [String: Data?] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.path))
        while let relative = enumerator.nextObject() as? String {
            let url = root.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            files[relative] = isDirectory.boolValue ? nil : try Data(contentsOf: url)
        }
        return files
    }

    static func explode(_ archive: String, into directory: URL, _ options: [String] = []) throws -> URL {
        let target = directory.appendingPathComponent("tree-\(UUID().uuidString)")
        let path = archive.hasPrefix("/") ? archive : CLITests.path(archive)
        let result = try CLITests.pgdumpkit(["explode"] + options + [path, "-o", target.path])
        #expect(result.status == 0, "explode \(archive): \(result.standardError)")
        // Only the warnings pg_restore gives for the archive (pg_dump 11's WITH OIDS).
        #expect(result.standardError.split(separator: "\n").allSatisfy { $0.hasPrefix("pgdumpkit: warning: ") }, "\(result.standardError)")
        return target
    }

    @Test("the same database in every format and compression explodes to byte-identical trees", arguments: sameDatabase.keys.sorted())
    func identicalTrees(_ version: String) throws {
        let archives = try #require(Self.sameDatabase[version])
        #expect(archives.count >= 5)
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try Self.tree(try Self.explode(archives[0], into: directory))
        #expect(first.keys.contains("MANIFEST.tsv"))
        for archive in archives.dropFirst() {
            let other = try Self.tree(try Self.explode(archive, into: directory))
            #expect(Set(other.keys) == Set(first.keys), "\(archive): other files than \(archives[0])")
            for (path, bytes) in other where first[path] != bytes {
                Issue.record("\(archive): \(path) differs from \(archives[0])'s")
            }
        }
        // --copy keeps COPY data as stored, also identical across formats.
        let copies = try archives.prefix(3).map { try Self.tree(try Self.explode($0, into: directory, ["--copy"])) }
        #expect(copies.allSatisfy { $0 == copies[0] })
    }

    @Test("sql's selection options choose the entries: those list prints, in its order, at the paths of the whole tree",
          arguments: [["-n", "archive"], ["-t", "books", "-a"], ["-s"], ["--section", "post-data"], ["-x", "--no-comments"],
                      ["--patterns", "-t", "lo*", "-N", "archive"], ["-I", "books_title", "-P", "overdue(date, date)"], ["-L"]])
    func selection(_ options: [String]) throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let archive = "diff/library/after-dir"
        var options = options
        if options == ["-L"] {
            // A use-list: every other entry of the listing, in reverse order.
            let listing = try CLITests.pgdumpkit(["list", CLITests.path(archive)])
            let lines = String(decoding: listing.standardOutput, as: UTF8.self).split(separator: "\n")
                .filter { !$0.hasPrefix(";") }.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reversed()
            let list = directory.appendingPathComponent("use.list")
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: list)
            options = ["-L", list.path]
        }
        let whole = try Self.tree(try Self.explode(archive, into: directory))
        // Without a selection, every entry: also DATABASE, which sql prints only with -C.
        #expect(whole.keys.contains { $0.hasPrefix("%none/database/") })
        let part = try Self.tree(try Self.explode(archive, into: directory, options))
        // The manifest's entries ("desc schema tag owner"), in order, are list's with the same options.
        let manifest = String(decoding: try #require(part["MANIFEST.tsv"] ?? nil), as: UTF8.self)
        let written = manifest.split(separator: "\n").filter { $0.hasPrefix("entry\t") }.map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false)[3...6].map { $0 == "\\N" ? "-" : String($0) }
                .joined(separator: " ")
        }
        let listing = try CLITests.pgdumpkit(["list"] + options + [CLITests.path(archive)])
        #expect(listing.status == 0, "\(listing.standardError)")
        let listed = String(decoding: listing.standardOutput, as: UTF8.self).split(separator: "\n")
            .filter { !$0.hasPrefix(";") && !$0.isEmpty }
            .map { line in line.split(separator: " ", maxSplits: 3).last.map(String.init) ?? "" }
        // (list leaves out the session entries, ENCODING, STDSTRINGS and SEARCHPATH, which a tree keeps.)
        let sessions = ["ENCODING", "STDSTRINGS", "SEARCHPATH"]
        #expect(written.filter { entry in !sessions.contains { entry.hasPrefix($0 + " ") } } == listed)
        #expect(!listed.isEmpty && listed.count < whole.keys.count)
        // Every file but the manifest is the whole tree's, at the same path; data only where list has TABLE DATA.
        for (path, bytes) in part where path != "MANIFEST.tsv" {
            #expect(whole.keys.contains(path), "\(path) is not in the whole tree")
            #expect(whole[path] == bytes, "\(path) differs from the whole tree's")
        }
        let dataFiles = part.keys.filter { $0.contains("/table-data/") && $0.hasSuffix(".csv") }
        #expect(dataFiles.count == listed.filter { $0.hasPrefix("TABLE DATA ") }.count)
    }

    /// The pairs of testdata/diff/*/PAIRS.tsv: one database state dumped by pg_dump 17 or 18 in two formats or
    /// compressions (`-`), or two states.
    @Test("each diff pair of the same content explodes to byte-identical trees; a changed pair does not", arguments: DiffCLITests.pairs)
    func diffPairs(_ pair: DiffCLITests.Pair) throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The manifest names the pg_dump that wrote the archive (implode writes it back): the one line allowed to
        // differ between pg_dump 17's and 18's archives of the same content.
        func tree(_ archive: String) throws -> [String: Data?] {
            var files = try Self.tree(try Self.explode(pair.path(archive), into: directory))
            let manifest = try #require(files["MANIFEST.tsv"] ?? nil)
            files["MANIFEST.tsv"] = Data(String(decoding: manifest, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("archive\tpgDumpVersion\t") }.joined(separator: "\n").utf8)
            return files
        }
        let old = try tree(pair.old), new = try tree(pair.new)
        guard pair.truth != nil else {
            #expect(Set(old.keys) == Set(new.keys), "files only in one: \(Set(old.keys).symmetricDifference(new.keys).sorted())")
            for (path, bytes) in new where old[path] != bytes { Issue.record("\(path) differs") }
            return
        }
        // Something differs; when the truth has entries added or removed, files are on one side only.
        #expect(old != new)
        let truth = try DiffCLITests.truth(pair.path(try #require(pair.truth)))
        if truth.contains(where: { $0.hasPrefix("added") || $0.hasPrefix("removed") }) {
            #expect(Set(old.keys) != Set(new.keys))
        }
    }

    @Test("a tree imploded again renders with pg_restore 18 as the original, in every format", arguments: roundTrips)
    func roundTrip(_ archive: String) throws {
        let restore = try #require(Fixtures.pgRestore(major: "18"), "pg_restore 18 is not installed (scripts/install-oracles.sh)")
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        func script(_ path: String) throws -> CommandResult {
            try CommandRunner.run(restore, ["-f", "-", "--restrict-key=TESTKEY", path])
        }
        let original = try script(CLITests.path(archive))
        #expect(original.status == 0)
        for (format, options) in [("c", ["--copy"]), ("d", []), ("t", [])] {
            let tree = try Self.explode(archive, into: directory, options)
            let output = directory.appendingPathComponent("imploded-\(format)").path
            // --to names the format written; -F, pg_dump's habit, is read alike (a tree has no format to name).
            let implode = try CLITests.pgdumpkit(["implode", tree.path, format == "t" ? "-F" : "--to", format, "-o", output])
            #expect(implode.status == 0, "\(implode.standardError)")
            let rendered = try script(output)
            #expect(rendered.status == original.status)
            #expect(rendered.standardError == original.standardError)
            if rendered.standardOutput != original.standardOutput {
                let mismatch = firstDifference(rendered.standardOutput, original.standardOutput)
                Issue.record("-F \(format) \(options): pg_restore 18's script differs at byte \(mismatch)")
            }
            // Exploding the imploded archive gives the same tree.
            #expect(try Self.tree(Self.explode(output, into: directory, options)) == Self.tree(tree))
        }
    }

    func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let index = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        let context = { (bytes: [UInt8]) in String(decoding: bytes[max(0, index - 80)..<min(bytes.count, index + 80)], as: UTF8.self) }
        return "\(index): \(context(a).debugDescription) vs \(context(b).debugDescription)"
    }

    @Test("names that are not UTF-8, hold quotes or slashes, or are long give ASCII paths of short components")
    func oddNames() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        for archive in ["archives/pg11/latin1-custom.dump", "archives/pg13/sql-ascii-custom.dump", "archives/pg18/custom-default.dump"] {
            let tree = try Self.tree(try Self.explode(archive, into: directory))
            for path in tree.keys {
                #expect(path.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }, "\(path)")
                #expect(path.split(separator: "/").allSatisfy { $0.utf8.count <= 255 && !$0.hasPrefix(".") }, "\(path)")
            }
            #expect(tree.keys.contains { $0.contains("%") })
        }
        // LATIN1 ß (0xDF) is one byte, percent-encoded as it is stored.
        let latin1 = try Self.tree(try Self.explode("archives/pg11/latin1-custom.dump", into: directory))
        #expect(latin1.keys.contains { $0.contains("Stra%DFe") }, "\(latin1.keys.sorted())")
    }

    @Test("long names are cut with a hash, names alike but for case get ~2, default privileges carry their role")
    func collisions() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let long = String(repeating: "é", count: 31) + "x"  // 63 bytes, 189 once encoded
        func table(_ id: Int32, _ name: String) -> (TOCEntry, [UInt8]?) {
            (TOCEntry(dumpID: id, tag: ArchiveText(name), desc: "TABLE", section: .preData,
                      defn: ArchiveText("CREATE TABLE public.\"\(name)\" (id integer);\n"),
                      dropStmt: ArchiveText("DROP TABLE public.\"\(name)\";\n"), namespace: "public", tablespace: "",
                      tableam: "heap", relkind: 114, owner: "alice"), nil)
        }
        var entries: [(TOCEntry, [UInt8]?)] = [
            (TOCEntry(dumpID: 1, tag: "ENCODING", desc: "ENCODING", section: .preData, defn: "SET client_encoding = 'UTF8';\n"), nil),
            table(2, long), table(3, "Orders"), table(4, "orders"),
            (TOCEntry(dumpID: 5, tag: ArchiveText("\(long) \(long)_pkey"), desc: "CONSTRAINT", section: .postData,
                      defn: ArchiveText("ALTER TABLE ONLY public.\"\(long)\" ADD CONSTRAINT \"\(long)_pkey\" PRIMARY KEY (id);\n"),
                      dropStmt: "ALTER TABLE x;\n", namespace: "public", owner: "alice", dependencies: [2]), nil),
        ]
        for (id, role) in [(Int32(6), "alice"), (7, "bob")] {
            entries.append((TOCEntry(dumpID: id, tag: "DEFAULT PRIVILEGES FOR TABLES", desc: "DEFAULT ACL", section: .none,
                                     defn: ArchiveText("ALTER DEFAULT PRIVILEGES FOR ROLE \(role) GRANT SELECT ON TABLES TO PUBLIC;\n"),
                                     namespace: "public", owner: ArchiveText(role)), nil))
        }
        let archive = directory.appendingPathComponent("odd.dump")
        try Data(ArchiveBuilder(version: .v1_16, entries: entries).build()).write(to: archive)
        let target = directory.appendingPathComponent("tree")
        let result = try CLITests.pgdumpkit(["explode", archive.path, "-o", target.path])
        #expect(result.status == 0, "\(result.standardError)")
        let paths = try Self.tree(target).keys.filter { $0.hasSuffix(".sql") }.sorted()
        let encoded = String(repeating: "%C3%A9", count: 31) + "x"
        #expect(paths.contains("public/table/\(encoded).sql"))
        #expect(paths.contains("public/table/Orders.sql") && paths.contains("public/table/orders~2.sql"))
        #expect(paths.contains("public/default-acl/DEFAULT%20PRIVILEGES%20FOR%20TABLES~alice.sql"))
        #expect(paths.contains("public/default-acl/DEFAULT%20PRIVILEGES%20FOR%20TABLES~bob.sql"))
        let constraint = try #require(paths.first { $0.hasPrefix("public/constraint/") })
        #expect(constraint.split(separator: "/").last!.utf8.count <= 255)
        #expect(constraint.contains("~h"))
        // The same archive again: the same names.
        let again = directory.appendingPathComponent("again")
        _ = try CLITests.pgdumpkit(["explode", archive.path, "-o", again.path])
        #expect(try Self.tree(again) == Self.tree(target))
    }

    /// The names beside `target` that explode's temporary directories would have.
    static func leftovers(beside target: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(target.lastPathComponent) }
    }

    @Test("bad input, a failure half-way, an existing target: nothing half-written")
    func failures() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("out")
        let notAnArchive = try CLITests.pgdumpkit(["explode", CLITests.path("fixture/roles.sql"), "-o", target.path])
        #expect(notAnArchive.status == 1 && notAnArchive.standardError.hasPrefix("pgdumpkit: error: "))
        #expect(try Self.leftovers(beside: target).isEmpty)
        // Cut in the middle of its data: the error comes after files were written, which all go.
        let whole = try Fixtures.bytes(Fixtures.testdata.appendingPathComponent("archives/pg18/custom-none.dump"))
        let cut = directory.appendingPathComponent("cut.dump")
        try Data(whole.prefix(whole.count * 3 / 4)).write(to: cut)
        let truncated = try CLITests.pgdumpkit(["explode", cut.path, "-o", target.path])
        #expect(truncated.status == 1 && truncated.standardError.hasPrefix("pgdumpkit: error: "))
        #expect(try Self.leftovers(beside: target).isEmpty)
        // An existing directory is not replaced, unless it is an exploded tree and --force is given.
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: target.appendingPathComponent("mine.txt"))
        let archive = CLITests.path("diff/northwind/a.dump")
        #expect(try CLITests.pgdumpkit(["explode", archive, "-o", target.path]).status == 1)
        #expect(try CLITests.pgdumpkit(["explode", "--force", archive, "-o", target.path]).status == 1)
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("mine.txt").path))
        let tree = directory.appendingPathComponent("tree")
        #expect(try CLITests.pgdumpkit(["explode", archive, "-o", tree.path]).status == 0)
        #expect(try CLITests.pgdumpkit(["explode", "--force", CLITests.path("diff/northwind/a.tar"), "-o", tree.path]).status == 0)
        #expect(try Self.leftovers(beside: tree) == ["tree"])
        // Writing into the input is refused.
        let inside = try CLITests.pgdumpkit(["explode", CLITests.path("archives/pg18/directory-default"), "-o", CLITests.path("archives/pg18/directory-default/x")])
        #expect(inside.status == 1)
        // implode of a damaged tree: a clear error, no archive.
        try Data("pgdumpkit-explode\t1\nentry\t1\t../../etc/passwd\n".utf8).write(to: tree.appendingPathComponent("MANIFEST.tsv"))
        let output = directory.appendingPathComponent("x.dump")
        let implode = try CLITests.pgdumpkit(["implode", tree.path, "-o", output.path])
        #expect(implode.status == 1 && implode.standardError.contains("MANIFEST.tsv"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
