import PGDumpKit

/// A small TOC for archives built with `ArchiveBuilder`.
public enum SampleTOC {
    /// Every archive version pg_restore 18 reads that pg_dump ever wrote: 1.0, and 1.2 to 1.16
    /// (`pg_backup_archiver.h` has no `K_VERS_1_1`).
    public static let archiveVersions: [ArchiveVersion] =
        (0...16).filter { $0 != 1 }.map { ArchiveVersion(1, UInt8($0)) }

    /// A small database: ENCODING, schema, table, comment, data, index; with the data of the one entry that has
    /// some.
    public static func smallDatabase() -> [(TOCEntry, [UInt8]?)] {
        [
            (TOCEntry(dumpID: 9, tag: "ENCODING", desc: "ENCODING", section: .preData,
                      defn: "SET client_encoding = 'UTF8';\n"), nil),
            (TOCEntry(dumpID: 3, tableOIDText: "2615", oidText: "16385", tag: "app", desc: "SCHEMA", section: .preData,
                      defn: "CREATE SCHEMA app;\n", dropStmt: "DROP SCHEMA app;\n", owner: "alice"), nil),
            (TOCEntry(dumpID: 4, tableOIDText: "1259", oidText: "16386", tag: "items", desc: "TABLE", section: .preData,
                      defn: "CREATE TABLE app.items (id integer);\n", dropStmt: "DROP TABLE app.items;\n",
                      namespace: "app", tablespace: "", tableam: "heap", relkind: 114, owner: "alice",
                      dependencies: [3]), nil),
            (TOCEntry(dumpID: 7, tableOIDText: "0", oidText: "0", tag: "TABLE items", desc: "COMMENT", section: .none,
                      defn: "COMMENT ON TABLE app.items IS 'things';\n", namespace: "app", owner: "alice",
                      dependencies: [4]), nil),
            (TOCEntry(dumpID: 8, hadDumper: true, tableOIDText: "0", oidText: "16386", tag: "items", desc: "TABLE DATA",
                      section: .data, copyStmt: "COPY app.items (id) FROM stdin;\n", namespace: "app", owner: "alice",
                      dependencies: [4]), Array("1\n2\n\\.\n\n\n".utf8)),
            (TOCEntry(dumpID: 5, tableOIDText: "1259", oidText: "16390", tag: "items_idx", desc: "INDEX",
                      section: .postData, defn: "CREATE INDEX items_idx ON app.items (id);\n",
                      dropStmt: "DROP INDEX app.items_idx;\n", namespace: "app", tablespace: "", owner: "alice",
                      dependencies: [4]), nil),
        ]
    }
}
