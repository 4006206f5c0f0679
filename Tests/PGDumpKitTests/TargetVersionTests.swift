import Foundation
@testable import PGDumpKit
import PGDumpTestSupport
import Testing

/// `--target-version`: the SQL lexer the rewrites stand on, and the catalogue applied to a real pg_dump 18
/// archive of a database holding what releases 13–18 added (`testdata/target/features.dump`, from
/// `fixture/target-features.sql`). That the rewritten scripts restore into real 15, 16 and 17 servers is
/// checked by `scripts/check-restore.sh`.
@Suite struct TargetVersionTests {
    static let features = Fixtures.testdata.appendingPathComponent("target/features.dump").path
    static let featuresCreate = Fixtures.testdata.appendingPathComponent("target/features-create.dump").path

    static func words(_ sql: String, standardConformingStrings: Bool = true) -> [String] {
        let bytes = Array(sql.utf8)
        return SQLLexer.tokens(of: bytes, standardConformingStrings: standardConformingStrings)
            .map { String(decoding: bytes[$0.range], as: UTF8.self) }
    }

    @Test("strings, quoted names, dollar quotes and nested comments are one token or none")
    func lexer() {
        #expect(Self.words("SELECT 'it''s', \"a \"\"b\"\"\" FROM t;") == ["SELECT", "'it''s'", ",", "\"a \"\"b\"\"\"", "FROM", "t", ";"])
        #expect(Self.words("AS $f$ RETURN $x$ $f$ LANGUAGE sql") == ["AS", "$f$ RETURN $x$ $f$", "LANGUAGE", "sql"])
        #expect(Self.words("AS $$a$$; $1") == ["AS", "$$a$$", ";", "$1"])
        #expect(Self.words("a /* x /* y */ z */ b -- c\nd") == ["a", "b", "d"])
        #expect(Self.words("E'\\'' x") == ["E'\\''", "x"])
        // standard_conforming_strings off: a backslash escapes in '…' too.
        #expect(Self.words("'a\\'b' c", standardConformingStrings: false) == ["'a\\'b'", "c"])
        #expect(Self.words("'a\\'b' c") == ["'a\\'", "b"])
        // What does not end ends the tokens: nothing after it is taken for SQL.
        #expect(Self.words("x 'open") == ["x"])
        #expect(Self.words("x $q$ open") == ["x"])
        #expect(Self.words("x /* open") == ["x"])
    }

    static func adaptation(_ target: Int, path: String = features) throws -> TargetAdaptation {
        let reader = try Archive.open(path: path)
        return TargetAdaptation(
            entries: reader.entries, targetMajor: target,
            standardConformingStrings: reader.sessionSettings.standardConformingStrings)
    }

    /// "desc schema tag: construct" of each finding with `action`.
    static func findings(_ adaptation: TargetAdaptation, _ action: TargetFinding.Action) -> Set<String> {
        Set(adaptation.findings.filter { $0.action == action }.map {
            "\($0.desc) \($0.namespace?.string ?? "-") \($0.tag?.string ?? "-"): \($0.construct)"
        })
    }

    // What each release added, as the fixture's comments group it; a target lacks every group above it.
    static let added: [Int: Set<String>] = [
        18: [
            "TABLE feat t18: GENERATED ALWAYS AS (…) VIRTUAL",
            "TABLE feat not_inherited: NOT NULL NO INHERIT",
            "CONSTRAINT feat not_inherited not_inherited_y: ADD CONSTRAINT … NOT NULL",
            "CHECK CONSTRAINT feat t18 t18_a_positive: NOT ENFORCED",
            "FK CONSTRAINT feat fk_not_enforced fk_not_enforced_pid: NOT ENFORCED",
            "CONSTRAINT feat booking booking_pk: WITHOUT OVERLAPS",
            "FK CONSTRAINT feat booking_use booking_use_fk: PERIOD",
            "PUBLICATION - feat_pub: publish_generated_columns = stored",
        ],
        17: [
            "COLLATION feat builtin_c: provider = builtin",
            "VIEW feat json17: JSON_TABLE(…)",
            "EVENT TRIGGER - feat_login: ON login",
            "SUBSCRIPTION - feat_sub_options: failover = true",
        ],
        16: [
            "VIEW feat json16: JSON_OBJECT(…)", "VIEW feat json16: IS JSON", "VIEW feat json16: SYSTEM_USER",
            "VIEW feat any_value16: any_value(…)",
            "SUBSCRIPTION - feat_sub_options: origin = none",
        ],
        15: [
            "CONSTRAINT feat u15 u15_a_key: NULLS NOT DISTINCT",
            "INDEX feat u15_b: NULLS NOT DISTINCT",
            "FK CONSTRAINT feat fk_set_null fk_set_null_pid_x_fkey: ON DELETE SET NULL/DEFAULT (columns)",
            "PUBLICATION TABLE feat feat_pub pk: column list",
            "PUBLICATION TABLES IN SCHEMA feat feat_pub_schema feat: ADD TABLES IN SCHEMA",
            "SUBSCRIPTION - feat_sub_options: two_phase = on",
            "SUBSCRIPTION - feat_sub_options: disable_on_error = true",
        ],
        14: [
            "FUNCTION feat atomic_add(integer, integer): BEGIN ATOMIC",
            "FUNCTION feat return_add(integer, integer): RETURN",
            "STATISTICS feat t18_expression: CREATE STATISTICS ON (expression)",
            "SUBSCRIPTION - feat_sub_options: binary = true",
            "ACL feat TABLE u15: pg_read_all_data",
        ],
        13: ["PUBLICATION - feat_pub: publish_via_partition_root = true"],
    ]

    @Test("each target finds unrenderable exactly what the releases after it added", arguments: 12...19)
    func unrenderablePerTarget(target: Int) throws {
        let expected = Self.added.filter { $0.key > target }.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        #expect(Self.findings(try Self.adaptation(target), .unrenderable) == expected)
    }

    @Test("rewrites keep the meaning where the target can express it")
    func rewrites() throws {
        let for15 = try Self.adaptation(15)
        let rewritten = Self.findings(for15, .rewritten)
        #expect(rewritten.isSuperset(of: [
            "TABLE feat t18: CONSTRAINT t18_id_named NOT NULL",
            "TABLE feat child: CONSTRAINT child_other_nn NOT NULL",
            "TABLE feat part: ALTER TABLE … SET ACCESS METHOD (partitioned table)",
            "ACL feat TABLE pk: MAINTAIN", "ACL feat TABLE fk_not_enforced: MAINTAIN",
            "SUBSCRIPTION - feat_sub_defaults: streaming = parallel",
            "SUBSCRIPTION - feat_sub_options: run_as_owner = true",
            "SUBSCRIPTION - feat_sub_options: password_required = false",
        ]))
        func defn(_ adaptation: TargetAdaptation, _ desc: String, _ tag: String) -> String? {
            adaptation.entries.first { $0.desc.string == desc && $0.tag?.string == tag }?.defn?.string
        }
        let child = try #require(defn(for15, "TABLE", "child"))
        #expect(!child.contains("CONSTRAINT child_other_nn"))
        #expect(child.contains("CREATE TABLE feat.child (\n    extra integer\n)\nINHERITS (feat.parent);\nALTER TABLE ONLY feat.child ALTER COLUMN other SET NOT NULL;"))
        #expect(try #require(defn(for15, "TABLE", "t18")).contains("    id integer NOT NULL,\n"))
        #expect(try #require(defn(for15, "SUBSCRIPTION", "feat_sub_defaults")).hasSuffix("WITH (connect = false, slot_name = NONE, streaming = on);\n"))
        #expect(for15.entries.first { $0.desc.string == "TABLE" && $0.tag?.string == "part" }?.tableam == nil)
        let grants = for15.entries.filter { $0.desc.string == "ACL" || $0.desc.string == "DEFAULT ACL" }
            .compactMap { $0.defn?.string }.joined()
        #expect(!grants.contains("MAINTAIN"))
        #expect(grants.contains("GRANT SELECT ON TABLE feat.pk TO target_reader;"))
        #expect(!grants.contains("ON TABLE feat.fk_not_enforced"))
        #expect(!for15.entries.contains { $0.desc.string == "STATISTICS DATA" })

        // 13: streaming, binary and the multirange name go; 12: LOCALE is spelt out.
        let for13 = try Self.adaptation(13)
        #expect(try #require(defn(for13, "SUBSCRIPTION", "feat_sub_defaults")).hasSuffix("WITH (connect = false, slot_name = NONE);\n"))
        #expect(try !#require(defn(for13, "TYPE", "floatrange")).contains("multirange_type_name"))
        #expect(try !#require(defn(for13, "TABLE", "t18")).contains("SET COMPRESSION"))
        #expect(try !#require(defn(for13, "SEQUENCE", "unlogged_seq")).contains("UNLOGGED"))
        let database12 = try #require(defn(try Self.adaptation(12, path: Self.featuresCreate), "DATABASE", "pgdumpkit_target"))
        #expect(database12.contains("LC_COLLATE = 'C' LC_CTYPE = 'C'"))
        #expect(!database12.contains("LOCALE_PROVIDER"))
        let database14 = try #require(defn(try Self.adaptation(14, path: Self.featuresCreate), "DATABASE", "pgdumpkit_target"))
        #expect(!database14.contains("LOCALE_PROVIDER") && database14.contains("LOCALE = 'C'"))

        // 18 and 19 take the archive as it is.
        for target in [18, 19] {
            let same = try Self.adaptation(target)
            #expect(same.findings.isEmpty)
            #expect(same.entries == (try Archive.open(path: Self.features)).entries)
        }
    }

    static func adapted(_ defn: String, desc: String = "TABLE", target: Int) -> (defn: String, findings: [TargetFinding]) {
        let entry = TOCEntry(dumpID: 1, tag: "c", desc: ArchiveText(desc), section: .preData, defn: ArchiveText(defn))
        let adaptation = TargetAdaptation(entries: [entry], targetMajor: target, standardConformingStrings: true)
        return (adaptation.entries.first?.defn?.string ?? "", adaptation.findings)
    }

    @Test("several items of one list removed together take exactly their commas")
    func listRemovals() {
        // Both table-level not-null constraints first: a run at the list's start.
        let child = Self.adapted(
            "CREATE TABLE c (\n    CONSTRAINT a_nn NOT NULL x,\n    CONSTRAINT b_nn NOT NULL y,\n    z integer\n)\nINHERITS (p);\n",
            target: 17)
        #expect(child.defn == """
            CREATE TABLE c (
                z integer
            )
            INHERITS (p);
            ALTER TABLE ONLY c ALTER COLUMN x SET NOT NULL;
            ALTER TABLE ONLY c ALTER COLUMN y SET NOT NULL;

            """)
        // Removed items before, between and after kept ones.
        let subscription = Self.adapted(
            "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (binary = false, streaming = off, connect = false, two_phase = off, slot_name = NONE, disable_on_error = false, origin = any);\n",
            desc: "SUBSCRIPTION", target: 13)
        #expect(subscription.defn == "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false, slot_name = NONE);\n")
        #expect(subscription.findings.count == 5)
        let grant = Self.adapted("GRANT MAINTAIN,SELECT,MAINTAIN ON TABLE t TO r;\n", desc: "ACL", target: 16)
        #expect(grant.defn == "GRANT SELECT ON TABLE t TO r;\n")
        #expect(grant.findings.count == 1)
    }

    /// Definitions come from untrusted archives: every rule must cope with SQL cut anywhere. Each definition of
    /// the fixtures is cut after every token (and inside each) and adapted for every target.
    @Test("truncated definitions never trip a rule")
    func truncatedDefinitions() throws {
        let readers = [try Archive.open(path: Self.features), try Archive.open(path: Self.featuresCreate)]
        var cuts = 0
        for reader in readers {
            for entry in reader.entries {
                guard let defn = entry.defn?.bytes, !defn.isEmpty else { continue }
                let tokens = SQLLexer.tokens(of: defn, standardConformingStrings: true)
                var ends = Set(tokens.flatMap { [$0.range.lowerBound + 1, $0.range.upperBound] })
                ends.insert(defn.count)
                var truncated: [TOCEntry] = []
                for end in ends.sorted() where end <= defn.count {
                    var cut = entry
                    cut.defn = ArchiveText(bytes: Array(defn[..<end]))
                    truncated.append(cut)
                }
                cuts += truncated.count
                for target in TargetAdaptation.supportedMajors {
                    for scs in [true, false] {
                        _ = TargetAdaptation(entries: truncated, targetMajor: target, standardConformingStrings: scs)
                            .omittingUnrenderable()
                    }
                }
            }
        }
        #expect(cuts > 1000)
    }

    @Test("--omit-unrenderable leaves out the unrenderable entries and everything that depends on them")
    func omitting() throws {
        let omitted = try Self.adaptation(17).omittingUnrenderable()
        #expect(omitted.findings.allSatisfy { $0.action != .unrenderable })
        let gone = Set(try Self.adaptation(17).entries.map(\.dumpID)).subtracting(omitted.entries.map(\.dumpID))
        let kept = Set(omitted.entries.map(\.dumpID))
        for entry in omitted.entries { #expect(entry.dependencies.allSatisfy { !gone.contains($0) }, "\(entry.dumpID)") }
        // The table's data and the view over it go with the table.
        #expect(!omitted.entries.contains { $0.desc.string == "TABLE DATA" && $0.tag?.string == "t18" })
        #expect(!omitted.entries.contains { $0.desc.string == "VIEW" && $0.tag?.string == "any_value16" })
        #expect(omitted.entries.contains { $0.desc.string == "TABLE" && $0.tag?.string == "pk" })
        #expect(!kept.isEmpty)
    }
}
