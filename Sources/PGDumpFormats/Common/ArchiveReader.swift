import PGDumpCore
import PGDumpCodecs

/// A reader of one archive format: the header and TOC, read when the archive is opened, and each entry's data on
/// request.
///
/// A reader belongs to one task. Without random access (a pipe, a tar stream, a custom archive without offsets)
/// data must be asked for in archive order, and asking for data already passed is an error, as in pg_restore.
public protocol ArchiveReader: AnyObject {
    /// The container format.
    var format: ArchiveFormat { get }
    /// The archive's header.
    var header: ArchiveHeader { get }
    /// The TOC entries, in file order.
    var entries: [TOCEntry] { get }
    /// The encoding, standard_conforming_strings and search_path the archive's special entries set.
    var sessionSettings: ArchiveSessionSettings { get }
    /// Problems noticed while reading that pg_restore would report as warnings.
    var warnings: [ArchiveWarning] { get }
    /// The path the archive was opened from (`-` for standard input).
    var path: String { get }
    /// Whether data can be read in any order.
    var supportsRandomAccess: Bool { get }
    /// The archive's size on disk: the file, or the sum of a directory's files; `nil` for a pipe.
    func sizeOnDisk() throws -> Int64?
    /// The bytes an entry's data occupies in the archive, when that can be known without reading the data.
    func storedSize(of entry: TOCEntry) throws -> Int64?
    /// The bytes read from the archive's storage so far — header, TOC and data as stored, read ahead included —
    /// for progress displays: comparable with `sizeOnDisk()` and `storedSize(of:)`.
    var storedBytesRead: Int64 { get }
    /// Streams the decompressed data of `entry` into `sink`.
    func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws
    /// A second reader of the same archive for another thread, sharing nothing mutable with this one, so that
    /// several entries' data can be read at once; `nil` when the input cannot be read at two places at once (a
    /// pipe, a custom archive without data offsets, a tar archive with a damaged header, a script, a URL).
    func makeIndependentDataReader() throws -> (any ArchiveReader)?
    /// The compression `entry`'s data is stored with, when all of it is stored one way.
    func storedCompression(of entry: TOCEntry) throws -> CompressionAlgorithm?
    /// Streams `entry`'s data as stored, still compressed (`storedCompression(of:)`): one compressed stream per
    /// table, one per large object, so that a writer using the same framing can copy it without recompressing.
    func streamStoredData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws
    /// Checks what follows the data the TOC names, to the end of the container (`verify`, after all data was
    /// read): a tar archive's remaining members and its last member's padding. Throws the first problem.
    func checkContainerEnd() throws
    /// Whether pg_restore's reader of this format logs each large object as it finds it, before the restore's
    /// own line (pg_backup_tar.c's `_LoadLOs`): `sql -v` then prints that line twice, as pg_restore -v does.
    var logsLargeObjectsWhileReading: Bool { get }
    /// The file that holds the TOC, for messages: the archive, or a directory archive's `toc.dat`.
    var tocPath: String { get }
    /// The line `sql -v` prints in an entry's header comment saying where its data is stored, as pg_restore's
    /// format callback `PrintExtraTocPtr` does (`-- Data Pos: N`, `-- File: N.dat`), or `nil`.
    func dataLocationComment(for entry: TOCEntry) -> String?
    /// Places a problem found in `entry`'s decompressed data in the archive, for messages: a custom archive's data
    /// block offset, a directory archive's data file (with `decodedOffset` where the file is not compressed), a tar
    /// archive's member. `decodedOffset` is the offset within the decompressed data, already in the message.
    func placeDataProblem(_ error: PGDumpError, in entry: TOCEntry, decodedOffset: Int64?) -> PGDumpError
    /// What the input did not record that some restore options need (a plain script written without
    /// `pg_dump -c` has no DROP statements); empty for archives, which record everything.
    var unrecordedInformation: UnrecordedInformation { get }
    /// Lines saying how the TOC was obtained when it was not read from an archive's TOC (a plain script), for
    /// the header of `list` and for `info`; empty for archives.
    var sourceNotes: [String] { get }
}

/// Information a script may lack that an archive always records.
public struct UnrecordedInformation: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The DROP statements `--clean` prints: a script has them only when `pg_dump -c` wrote it.
    public static let dropStatements = UnrecordedInformation(rawValue: 1)
    /// The DATABASE entry `--create` restores: a script has it only when `pg_dump -C` wrote it.
    public static let databaseCreation = UnrecordedInformation(rawValue: 2)
    /// The dependencies between entries (`--with-deps` follows them): an archive has them from version 1.5; a
    /// script never has them all (with `pg_dump -v`, those of comments, ACLs and data only).
    public static let dependencies = UnrecordedInformation(rawValue: 4)
}

extension ArchiveReader {
    /// Nothing follows the data in custom and directory archives that the data checks do not cover.
    public func checkContainerEnd() throws {}

    public func makeIndependentDataReader() throws -> (any ArchiveReader)? { nil }

    public var logsLargeObjectsWhileReading: Bool { false }

    public var tocPath: String { path }

    public var unrecordedInformation: UnrecordedInformation { [] }

    public var sourceNotes: [String] { [] }

    /// Formats that name data members print the member's name (`pg_backup_directory.c`, `pg_backup_tar.c`).
    public func dataLocationComment(for entry: TOCEntry) -> String? {
        guard case .file(let name) = entry.dataLocation else { return nil }
        return "-- File: \(name.string)\n"
    }

    /// Names the member holding the data (tar); formats with more to say override this.
    public func placeDataProblem(_ error: PGDumpError, in entry: TOCEntry, decodedOffset: Int64?) -> PGDumpError {
        var placed = error.located(in: entry, of: self)
        if case .file(let name) = entry.dataLocation { placed.message = "member \(name.string): " + placed.message }
        return placed
    }

    /// The entry with `dumpID`, if the TOC has one.
    public func entry(withDumpID dumpID: Int32) -> TOCEntry? {
        entries.first { $0.dumpID == dumpID }
    }
}

extension PGDumpError {
    /// The error, moved to the archive's file and `entry`, its offset cleared (a data problem's offset is within
    /// the decompressed data, already in the message).
    package func located(in entry: TOCEntry, of reader: any ArchiveReader) -> PGDumpError {
        var error = self
        error.file = reader.path
        error.dumpID = entry.dumpID
        error.offset = nil
        return error
    }
}
