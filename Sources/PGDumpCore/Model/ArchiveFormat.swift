/// The container an archive is stored in: what the model needs to know of a format, with no behaviour.
///
/// The values (`.custom`, `.directory`, `.tar`, `.plain`) are declared by the format drivers, one per folder of
/// PGDumpFormats, so that a new format adds a value without touching this type.
public struct ArchiveFormat: Hashable, Sendable, CustomStringConvertible {
    /// The name used in messages and JSON: `custom`, `directory`, `tar`.
    public let name: String
    /// The name `pg_restore -l` prints on its `Format:` line.
    public let listName: String
    /// The names pg_restore's `-F` accepts (compared case-insensitively).
    public let commandLineNames: [String]
    /// The format byte the header must carry (directory archives store the tar value in `toc.dat`).
    package let headerFormatByte: UInt8
    /// Whether the archive is a directory of files rather than one file.
    public let isDirectory: Bool
    /// Whether entries' data is located by offsets into the file (rather than by member names).
    public let locatesDataByOffset: Bool
    /// Whether data can be stored compressed (tar archives store it as it is).
    public let storesCompressedData: Bool
    /// How gzip data is framed when stored: converting between two formats with the same framing copies it.
    public let gzipFraming: GzipFraming?
    /// Whether this is a script rather than an archive (pg_dump's plain format): read like an archive, never
    /// written as one (`convert --to p` renders a script instead).
    public let isScript: Bool

    /// How a format stores gzip-compressed data.
    public enum GzipFraming: Sendable, Hashable {
        /// One zlib stream per table or large object (custom archives).
        case zlibStreams
        /// One gzip file per table or large object (directory archives).
        case gzipFiles
    }

    package init(
        name: String, listName: String, commandLineNames: [String], headerFormatByte: UInt8, isDirectory: Bool,
        locatesDataByOffset: Bool, storesCompressedData: Bool, gzipFraming: GzipFraming?, isScript: Bool = false
    ) {
        self.name = name
        self.listName = listName
        self.commandLineNames = commandLineNames
        self.headerFormatByte = headerFormatByte
        self.isDirectory = isDirectory
        self.locatesDataByOffset = locatesDataByOffset
        self.storesCompressedData = storesCompressedData
        self.gzipFraming = gzipFraming
        self.isScript = isScript
    }

    /// The name, as JSON and messages print it.
    public var rawValue: String { name }
    public var description: String { name }

    public static func == (lhs: ArchiveFormat, rhs: ArchiveFormat) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
