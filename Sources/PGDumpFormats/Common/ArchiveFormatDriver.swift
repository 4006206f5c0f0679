import PGDumpCore
import PGDumpCodecs

/// Everything that differs between archive formats, behind one interface: one conformance per format folder,
/// listed in `Archive.drivers`. Modelled on pg_dump's per-format callbacks (`_ArchiveHandle`'s function pointers)
/// and libarchive's format modules; only `Archive.open` and `Archive.create` choose a driver.
package protocol ArchiveFormatDriver: SendableMetatype {
    /// The format's description (name, header byte, capabilities).
    static var format: ArchiveFormat { get }

    /// Whether `prefix`, the first bytes of a file (at least 5, up to 4096), starts an archive of this format.
    /// Formats stored as directories are recognised by being directories and return `false`.
    static func recognizes(prefix: [UInt8]) -> Bool

    /// What `recognizes(prefix:)` checks, which orders detection as `_discoverArchiveFormat` does: signatures
    /// first, then the diagnosis of inputs that are not archives (a plain script, a compressed file), then
    /// structural checks.
    static var recognition: FormatRecognition { get }

    /// Opens an archive: a directory's path for formats stored as directories, a byte source otherwise.
    static func openReader(_ input: ArchiveInput, limits: ArchiveLimits) throws -> any ArchiveReader

    /// Opens an archive as `openReader(_:limits:)` does, looking for (and keeping) what opening it finds in
    /// `cache`. Only formats without a table of contents of their own (a plain script) have a use for one.
    static func openReader(
        _ input: ArchiveInput, limits: ArchiveLimits, cache: ScriptIndexCache?
    ) throws -> any ArchiveReader

    /// Creates a writer of a new archive with its final header and TOC (entries located by
    /// `dataLocation(for:version:)`), writing to a file for single-file formats or to a directory path.
    static func createWriter(
        _ destination: ArchiveDestination, header: ArchiveHeader, entries: [TOCEntry], compression: CompressionChoice,
        jobs: Int
    ) throws -> any ArchiveWriter

    /// Where this format's TOC records an entry's data: an offset to be filled in, or a member's name.
    static func dataLocation(for entry: TOCEntry, version: ArchiveVersion) -> DataLocation
}

extension ArchiveFormatDriver {
    package static func openReader(
        _ input: ArchiveInput, limits: ArchiveLimits, cache: ScriptIndexCache?
    ) throws -> any ArchiveReader {
        try openReader(input, limits: limits)
    }
}

/// How a format is recognised from a file's first bytes.
package enum FormatRecognition {
    /// By a magic signature (`PGDMP`).
    case signature
    /// By the structure of the first block (a tar header's checksum), weaker than any signature.
    case structure
    /// Not from a file's bytes (a directory).
    case none
}

/// What an archive is opened from.
package enum ArchiveInput {
    /// A directory (formats stored as directories).
    case directory(path: String)
    /// A file, a pipe or memory, positioned at the archive's first byte.
    case stream(ByteSource)
}

/// Where a new archive is written.
public enum ArchiveDestination {
    /// An open file (custom, tar), written from its current position.
    case file(OutputFile)
    /// A directory to create, or an existing empty one to fill (directory archives).
    case directory(path: String)
}

/// The member names pg_dump gives data in directory and tar archives (`pg_backup_directory.c`, `pg_backup_tar.c`).
package enum DataMemberName {
    /// A table's data: `N.dat`.
    static func tableData(dumpID: Int32) -> String { "\(dumpID).dat" }
    /// One large object's data: `blob_OID.dat`.
    static func largeObject(oid: UInt32) -> String { "blob_\(oid).dat" }
    /// A BLOBS entry's list of large objects: `blobs_N.toc` from archive 1.16 on, one shared `blobs.toc` before.
    static func largeObjectList(dumpID: Int32, version: ArchiveVersion) -> String {
        version >= .v1_16 ? "blobs_\(dumpID).toc" : "blobs.toc"
    }
}
