import Foundation
import PGDumpTestSupport
import Testing

/// `sql`, `convert` and `list` with `--target-version`, against real pg_restore's output and real pg_restore 15.
@Suite struct TargetVersionCLITests {
    static let fixture18 = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump").path
    static let features = Fixtures.testdata.appendingPathComponent("target/features.dump").path

    static func run(_ arguments: [String]) throws -> CommandResult {
        try CommandRunner.run(CommandRunner.pgdumpkit, arguments)
    }

    static func replacing(_ bytes: [UInt8], _ old: String, _ new: String = "") -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: old, with: new).utf8)
    }

    /// The fixture's pg_dump 18 archive (of a PostgreSQL 15 server) differs for older targets only in what
    /// pg_dump 17/18 and pg_restore 18 add: the script must be real pg_restore 18's output with exactly those
    /// lines changed, and nothing else.
    @Test("sql --target-version N is pg_restore 18's script less what N does not accept", arguments: [17, 16, 15])
    func fixtureScript(target: Int) throws {
        let full = try ExpectedOutput.read(Fixtures.testdata.appendingPathComponent("expected/pg18/custom-default/sql/full.sql"))
        var expected = full
        if target < 17 { expected = Self.replacing(expected, "SET transaction_timeout = 0;\n") }
        if target < 16 { expected = Self.replacing(expected, ", run_as_owner = true") }
        #expect(target == 17 ? expected == full : expected != full)
        let result = try Self.run(["sql", "--target-version", "\(target)", "--restrict-key=TESTKEY", Self.fixture18])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(ByteComparison.difference(actual: result.standardOutput, expected: expected) == nil,
                "\(ByteComparison.difference(actual: result.standardOutput, expected: expected) ?? "")")
    }

    @Test("unrenderable entries fail the command, each named, unless left out by the selection or --omit-unrenderable")
    func unrenderable() throws {
        let refused = try Self.run(["sql", "--target-version", "16", Self.features])
        #expect(refused.status == 1)
        #expect(refused.standardOutput.isEmpty)
        #expect(refused.standardError.contains(
            "pgdumpkit: error: PostgreSQL 16 cannot express entry") && refused.standardError.contains("VIEW feat json17: JSON_TABLE(…): JSON_TABLE is 17+"))
        #expect(refused.standardError.contains("cannot be written for PostgreSQL 16; leave them out (-L, -T, -t, -n…) or give --omit-unrenderable"))

        // Only tables the target can express: nothing to refuse.
        let selected = try Self.run(["sql", "--target-version", "16", "-t", "pk", "-t", "u15", Self.features])
        #expect(selected.status == 0, "\(selected.standardError)")
        #expect(String(decoding: selected.standardOutput, as: UTF8.self).contains("CREATE TABLE feat.pk ("))

        let omitted = try Self.run(["sql", "--target-version", "16", "--omit-unrenderable", Self.features])
        #expect(omitted.status == 0, "\(omitted.standardError)")
        let script = String(decoding: omitted.standardOutput, as: UTF8.self)
        #expect(!script.contains("CREATE VIEW feat.json17") && !script.contains("MAINTAIN") && !script.contains("transaction_timeout"))
        // The function body that only mentions JSON_TABLE in a string is kept.
        #expect(script.contains("/* RETURN BEGIN ATOMIC JSON_TABLE( */"))
        #expect(omitted.standardError.contains("JSON_TABLE(…) (17+) omitted"))
    }

    @Test("the fixture's 14 and 15 constructs are unrenderable for 13: each named")
    func fixtureFor13() throws {
        let refused = try Self.run(["sql", "--target-version", "13", Self.fixture18])
        #expect(refused.status == 1)
        for named in [
            "FUNCTION app add_tax(numeric, numeric): RETURN", "PUBLICATION TABLE app fixture_pub customers: column list",
            "PUBLICATION TABLE app fixture_pub_filtered events: WHERE",
            "PUBLICATION TABLES IN SCHEMA history fixture_pub_schema history: ADD TABLES IN SCHEMA",
        ] {
            #expect(refused.standardError.contains(named), "\(named)")
        }
        #expect(refused.standardError.contains("4 entries cannot be written for PostgreSQL 13"))
    }

    /// 19 has standard_conforming_strings always on. pg_restore 18's script of an archive written with it off,
    /// and the script for 19, must be the same once `E'` is read as `'`, apart from the two SET lines; and the
    /// script for 19 must not turn it off. (That the literals mean
    /// the same with it on is checked on a real server by scripts/check-restore.sh.)
    @Test("sql --target-version 19 of archives written with standard_conforming_strings off", arguments: [
        "pg13/scs-off-inserts", "pg13/scs-off-column-inserts", "pg13/scs-off-custom",
    ])
    func standardConformingStrings(archive: String) throws {
        let path = Fixtures.testdata.appendingPathComponent("archives/\(archive).dump").path
        let expected = String(decoding: try ExpectedOutput.read(
            Fixtures.testdata.appendingPathComponent("expected/\(archive)/sql/full.sql")), as: UTF8.self)
        let result = try Self.run(["sql", "--target-version", "19", "--restrict-key=TESTKEY", path])
        #expect(result.status == 0, "\(result.standardError)")
        let script = String(decoding: result.standardOutput, as: UTF8.self)
        #expect(script.contains("SET standard_conforming_strings = on;\n"))
        #expect(!script.contains("standard_conforming_strings = off") && !script.contains("escape_string_warning"))
        func plain(_ text: String) -> String { text.replacingOccurrences(of: "E'", with: "'") }
        #expect(plain(script) == plain(expected
            .replacingOccurrences(of: "SET standard_conforming_strings = off;\n", with: "SET standard_conforming_strings = on;\n")
            .replacingOccurrences(of: "SET escape_string_warning = off;\n", with: "")))
        // Definitions: a comment whose literal holds a backslash.
        #expect(script.contains("COMMENT ON SCHEMA app IS E'Awkward data; comment with a quote '' and a backslash \\\\';"))
        if archive.hasSuffix("inserts") { #expect(script.contains("E'back\\\\slash")) }
    }

    @Test("convert --target-version 19 refuses INSERT data written with standard_conforming_strings off")
    func convertStandardConformingStrings() throws {
        let path = Fixtures.testdata.appendingPathComponent("archives/pg13/scs-off-inserts.dump").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("target19-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.dump").path
        let refused = try Self.run(["convert", "--target-version", "19", path, "--to", "c", "-o", output])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("use sql --target-version 19"))
        #expect(!FileManager.default.fileExists(atPath: output))
        let copy = Fixtures.testdata.appendingPathComponent("archives/pg13/scs-off-custom.dump").path
        let converted = try Self.run(["convert", "--target-version", "19", copy, "--to", "c", "-o", output])
        #expect(converted.status == 0, "\(converted.standardError)")
        let pgRestore = try #require(Fixtures.pgRestore(major: "18"))
        let rendered = String(decoding: try CommandRunner.run(pgRestore, ["-f", "-", output]).standardOutput, as: UTF8.self)
        #expect(rendered.contains("SET standard_conforming_strings = on;") && !rendered.contains("escape_string_warning"))
    }

    @Test("-L lists read against the archive: entries --target-version leaves out are passed over")
    func useList() throws {
        let archive = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-statistics.dump").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("target-L-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("all.list")
        try Data(try Self.run(["list", archive]).standardOutput).write(to: list)
        let listed = try Self.run(["sql", "--target-version", "17", "--restrict-key=K", "-L", list.path, archive])
        #expect(listed.status == 0, "\(listed.standardError)")
        #expect(!listed.standardError.contains("line ignored"))
        let whole = try Self.run(["sql", "--target-version", "17", "--restrict-key=K", archive])
        #expect(listed.standardOutput == whole.standardOutput)
        // Warnings name only what the selection restores.
        let one = try Self.run(["sql", "--target-version", "17", "-t", "pk", Self.features])
        #expect(one.status == 0)
        #expect(one.standardError.contains("entry") && !one.standardError.contains("entries ("), "\(one.standardError)")
    }

    @Test("bad option values are usage errors")
    func usage() throws {
        #expect(try Self.run(["sql", "--target-version", "11", Self.fixture18]).status == 2)
        #expect(try Self.run(["sql", "--target-version", "20", Self.fixture18]).status == 2)
        #expect(try Self.run(["sql", "--omit-unrenderable", Self.fixture18]).status == 2)
    }

    @Test("convert --target-version 15 writes an archive pg_restore 15 reads, without what 15 rejects")
    func convertForPG15() throws {
        let pgRestore15 = try #require(Fixtures.pgRestore(major: "15"), "needs the pg15 oracle")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("target-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("for15.dump").path
        let converted = try Self.run(["convert", "--target-version", "15", "--omit-unrenderable", Self.features, "--to", "c", "-o", output])
        #expect(converted.status == 0, "\(converted.standardError)")
        let rendered = try CommandRunner.run(pgRestore15, ["-f", "-", output])
        #expect(rendered.status == 0, "\(rendered.standardError)")
        let script = String(decoding: rendered.standardOutput, as: UTF8.self)
        #expect(script.contains("CREATE TABLE feat.pk ("))
        for construct in ["MAINTAIN", "pg_restore_relation_stats", "VIRTUAL", "NOT ENFORCED", "run_as_owner", "streaming = parallel"] {
            #expect(!script.contains(construct), "\(construct)")
        }
    }

    @Test("list --target-version lists the entries as written for the target; --json names every finding")
    func listing() throws {
        let listed = try Self.run(["list", "--target-version", "17", Self.features])
        #expect(listed.status == 0)
        let text = String(decoding: listed.standardOutput, as: UTF8.self)
        #expect(!text.contains("STATISTICS DATA"))
        #expect(listed.standardError.contains("unrenderable: virtual generated columns are 18+"))
        let json = try Self.run(["list", "--json", "--target-version", "17", Self.features])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput)) as? [String: Any])
        let target = try #require(object["targetVersion"] as? [String: Any])
        #expect(target["major"] as? Int == 17)
        let findings = try #require(target["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["tag"] as? String == "t18" && $0["action"] as? String == "unrenderable" && $0["since"] as? Int == 18 })
        #expect(findings.allSatisfy { $0["dumpId"] is Int && $0["construct"] is String && $0["detail"] is String })
    }
}
