/// Receives an entry's data as it is decompressed, a piece at a time.
///
/// Pieces are pushed, never collected, so memory stays flat whatever the entry's size. For a BLOBS entry each large
/// object's bytes are bracketed by `beginLargeObject`/`endLargeObject`.
public protocol DataSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
    mutating func beginLargeObject(oid: UInt32) throws
    mutating func endLargeObject() throws
}

extension DataSink {
    public mutating func beginLargeObject(oid: UInt32) throws {}
    public mutating func endLargeObject() throws {}
}

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
    /// Streams the decompressed data of `entry` into `sink`.
    func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws
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
}

extension ArchiveReader {
    /// Nothing follows the data in custom and directory archives that the data checks do not cover.
    public func checkContainerEnd() throws {}

    public var logsLargeObjectsWhileReading: Bool { false }

    /// The entry with `dumpID`, if the TOC has one.
    public func entry(withDumpID dumpID: Int32) -> TOCEntry? {
        entries.first { $0.dumpID == dumpID }
    }
}
