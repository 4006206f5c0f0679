/// The version of the archive layout, as stored in the header (`vmaj.vmin-vrev`).
///
/// Every field that pg_dump added over the years is read only when the version allows it; each gate has a named
/// constant here. Mirrors `K_VERS_*` in `pg_backup_archiver.h`.
public struct ArchiveVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var major: UInt8
    public var minor: UInt8
    public var revision: UInt8

    public init(_ major: UInt8, _ minor: UInt8, _ revision: UInt8 = 0) {
        self.major = major
        self.minor = minor
        self.revision = revision
    }

    /// `(major * 256 + minor) * 256 + revision`, as `MAKE_ARCHIVE_VERSION` computes it.
    public var encoded: Int { (Int(major) * 256 + Int(minor)) * 256 + Int(revision) }

    public static func < (lhs: ArchiveVersion, rhs: ArchiveVersion) -> Bool { lhs.encoded < rhs.encoded }

    /// `1.16-0`, the spelling `pg_restore -l` uses.
    public var description: String { "\(major).\(minor)-\(revision)" }

    /// Integers carry no sign byte before 1.1 (`ReadInt`).
    public static let v1_0 = ArchiveVersion(1, 0)
    /// A compression byte in the header.
    public static let v1_2 = ArchiveVersion(1, 2)
    /// Block-type bytes before data blocks; `copyStmt` in the TOC.
    public static let v1_3 = ArchiveVersion(1, 3)
    /// Creation date and database name in the header; the compression level becomes an int.
    public static let v1_4 = ArchiveVersion(1, 4)
    /// Dependency lists in TOC entries.
    public static let v1_5 = ArchiveVersion(1, 5)
    /// `namespace` in TOC entries.
    public static let v1_6 = ArchiveVersion(1, 6)
    /// `offSize` in the header; custom-format offsets become flag + bytes.
    public static let v1_7 = ArchiveVersion(1, 7)
    /// Dump IDs instead of OIDs; `tableoid` in TOC entries.
    public static let v1_8 = ArchiveVersion(1, 8)
    /// `withOids` in TOC entries.
    public static let v1_9 = ArchiveVersion(1, 9)
    /// `tablespace` in TOC entries; server and pg_dump versions in the header.
    public static let v1_10 = ArchiveVersion(1, 10)
    /// `section` in TOC entries.
    public static let v1_11 = ArchiveVersion(1, 11)
    /// One `BLOB` entry per large object.
    public static let v1_12 = ArchiveVersion(1, 12)
    /// `SEARCHPATH` entries replace per-object `SET search_path`.
    public static let v1_13 = ArchiveVersion(1, 13)
    /// `tableam` in TOC entries.
    public static let v1_14 = ArchiveVersion(1, 14)
    /// A compression-algorithm byte replaces the level in the header.
    public static let v1_15 = ArchiveVersion(1, 15)
    /// `relkind` in TOC entries; `BLOB METADATA` and several `BLOBS` entries.
    public static let v1_16 = ArchiveVersion(1, 16)

    /// The oldest version pg_restore 18 reads.
    public static let oldestReadable = v1_0
    /// The newest version pg_restore 18 reads (`K_VERS_MAX`).
    public static let newestReadable = ArchiveVersion(1, 16, 255)
}
