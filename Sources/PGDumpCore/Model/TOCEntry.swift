/// One entry of an archive's table of contents.
///
/// Field names follow pg's `TocEntry` (`pg_backup_archiver.h`) so the C source can be searched directly. Fields
/// that a version of the archive cannot hold are `nil` (or 0 for `relkind`). The TOC keeps file order, which is not
/// dump-ID order. Mirrors `ReadToc`.
public struct TOCEntry: Hashable, Sendable {
    /// The entry's dump ID, unique within the archive and always positive.
    public var dumpID: Int32
    /// Whether pg_dump ran a data dumper for the entry: TABLE DATA, BLOBS and old BLOB COMMENTS have data.
    public var hadDumper: Bool
    /// The catalog table of the object, as stored (decimal text; `nil` before 1.8).
    public var tableOIDText: ArchiveText?
    /// The object's OID, as stored (decimal text).
    public var oidText: ArchiveText?
    /// The object's name as shown in listings, e.g. `items`, `add1(integer)`, `items trg`.
    public var tag: ArchiveText?
    /// The entry type: `TABLE`, `TABLE DATA`, `ACL`, `BLOB METADATA`…
    public var desc: ArchiveText
    /// The section as stored (1.11+) or as inferred from `desc` for older archives.
    public var section: Section
    /// Whether `section` was stored in the archive (1.11+) rather than inferred.
    public var sectionIsStored: Bool
    /// The SQL that creates the object.
    public var defn: ArchiveText?
    /// The SQL that drops the object.
    public var dropStmt: ArchiveText?
    /// `COPY ... FROM stdin;` for COPY data (1.3+).
    public var copyStmt: ArchiveText?
    /// The object's schema (1.6+).
    public var namespace: ArchiveText?
    /// NULL when not applicable; empty for the database default (1.10+).
    public var tablespace: ArchiveText?
    /// The table access method (1.14+).
    public var tableam: ArchiveText?
    /// The pg_class relkind as a character code, 0 for non-relations (1.16+).
    public var relkind: Int32
    /// The object's owner.
    public var owner: ArchiveText?
    /// "true" or "false" (1.9+); pg_dump 12 and later always write "false".
    public var withOids: ArchiveText?
    /// Dump IDs this entry depends on (1.5+). They may name entries that are not in the archive.
    public var dependencies: [Int32]
    /// Where the entry's data is stored.
    public var dataLocation: DataLocation

    public init(
        dumpID: Int32, hadDumper: Bool = false, tableOIDText: ArchiveText? = "0", oidText: ArchiveText? = "0",
        tag: ArchiveText?, desc: ArchiveText, section: Section, sectionIsStored: Bool = true,
        defn: ArchiveText? = nil, dropStmt: ArchiveText? = nil, copyStmt: ArchiveText? = nil,
        namespace: ArchiveText? = nil, tablespace: ArchiveText? = nil, tableam: ArchiveText? = nil,
        relkind: Int32 = 0, owner: ArchiveText? = nil, withOids: ArchiveText? = "false",
        dependencies: [Int32] = [], dataLocation: DataLocation = .none
    ) {
        self.dumpID = dumpID
        self.hadDumper = hadDumper
        self.tableOIDText = tableOIDText
        self.oidText = oidText
        self.tag = tag
        self.desc = desc
        self.section = section
        self.sectionIsStored = sectionIsStored
        self.defn = defn
        self.dropStmt = dropStmt
        self.copyStmt = copyStmt
        self.namespace = namespace
        self.tablespace = tablespace
        self.tableam = tableam
        self.relkind = relkind
        self.owner = owner
        self.withOids = withOids
        self.dependencies = dependencies
        self.dataLocation = dataLocation
    }

    /// The catalog table OID, parsed as pg does (`%u`).
    public var tableOID: UInt32 { tableOIDText?.scannedUInt32 ?? 0 }
    /// The object OID, parsed as pg does (`%u`).
    public var oid: UInt32 { oidText?.scannedUInt32 ?? 0 }

    /// Whether the entry has a data part that a reader can stream.
    public var hasData: Bool {
        switch dataLocation {
        case .none: return false
        case .offset, .offsetNotSet, .file: return true
        }
    }

    /// Whether this is a BLOBS entry (large-object contents) rather than a table's COPY data.
    public var isLargeObjectData: Bool { desc.equals("BLOBS") }

    /// The relkind as a character (`r`, `p`, `v`…), `nil` when 0 or not stored.
    public var relkindCharacter: Character? {
        guard relkind > 0, relkind < 128, let scalar = Unicode.Scalar(UInt32(relkind)) else { return nil }
        return Character(scalar)
    }
}

/// Where an entry's data lives in its archive.
public enum DataLocation: Hashable, Sendable {
    /// The entry has no data.
    case none
    /// Custom format: the absolute offset of the entry's data block.
    case offset(Int64)
    /// Custom format: the entry has data, but pg_dump could not record where (it wrote to a pipe).
    case offsetNotSet
    /// Directory and tar formats: the file name recorded in the TOC, e.g. `3387.dat` or `blobs_3395.toc`.
    case file(ArchiveText)
}
