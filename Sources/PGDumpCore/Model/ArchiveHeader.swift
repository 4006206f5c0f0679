/// The header at the start of a custom archive and of `toc.dat`. Mirrors `ReadHead`/`WriteHead`.
public struct ArchiveHeader: Hashable, Sendable {
    public var version: ArchiveVersion
    /// Bytes in a stored integer (4 in every pg_dump).
    public var intSize: UInt8
    /// Bytes in a stored file offset (8 in every pg_dump since 1.7; `intSize` before).
    public var offSize: UInt8
    /// The stored format byte: 1 for custom, 3 for tar and for a directory's `toc.dat`.
    public var formatByte: UInt8
    public var compression: CompressionSpec
    /// When the dump started, as stored (1.4+).
    public var creationTime: CreationTime?
    /// The dumped database (1.4+).
    public var databaseName: ArchiveText?
    /// The server's version string (1.10+), e.g. `15.18 (Debian 15.18-0+deb12u1)`.
    public var serverVersion: ArchiveText?
    /// pg_dump's version string (1.10+), e.g. `18.6`.
    public var pgDumpVersion: ArchiveText?

    public init(
        version: ArchiveVersion, intSize: UInt8 = 4, offSize: UInt8 = 8, formatByte: UInt8,
        compression: CompressionSpec, creationTime: CreationTime?, databaseName: ArchiveText?,
        serverVersion: ArchiveText?, pgDumpVersion: ArchiveText?
    ) {
        self.version = version
        self.intSize = intSize
        self.offSize = offSize
        self.formatByte = formatByte
        self.compression = compression
        self.creationTime = creationTime
        self.databaseName = databaseName
        self.serverVersion = serverVersion
        self.pgDumpVersion = pgDumpVersion
    }
}

/// The creation time as pg_dump stores it: the fields of a C `struct tm` from `localtime()`, with no zone.
///
/// Kept raw so that it can be written back exactly; readers interpret it in their own local time zone, as
/// pg_restore does.
public struct CreationTime: Hashable, Sendable {
    public var second: Int32
    public var minute: Int32
    public var hour: Int32
    public var dayOfMonth: Int32
    /// 0-based month, as in `struct tm`.
    public var month: Int32
    /// Years since 1900, as in `struct tm`.
    public var yearsSince1900: Int32
    public var isDST: Int32

    public init(
        second: Int32, minute: Int32, hour: Int32, dayOfMonth: Int32, month: Int32, yearsSince1900: Int32,
        isDST: Int32
    ) {
        self.second = second
        self.minute = minute
        self.hour = hour
        self.dayOfMonth = dayOfMonth
        self.month = month
        self.yearsSince1900 = yearsSince1900
        self.isDST = isDST
    }
}
