/// The container an archive is stored in.
public enum ArchiveFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// `pg_dump -Fc`: one file, header + TOC + data blocks.
    case custom
    /// `pg_dump -Fd`: a directory with `toc.dat` and one file per data entry.
    case directory
    /// `pg_dump -Ft`: a tar file whose first member is `toc.dat`.
    case tar

    /// The format byte the header must carry. Directory archives store 3, the tar value, in `toc.dat`.
    var headerFormatByte: UInt8 {
        switch self {
        case .custom: return 1
        case .directory, .tar: return 3
        }
    }

    /// The name `pg_restore -l` prints on its `Format:` line.
    public var listName: String {
        switch self {
        case .custom: return "CUSTOM"
        case .directory: return "DIRECTORY"
        case .tar: return "TAR"
        }
    }

    public var description: String { rawValue }

    /// Parses pg_restore's `-F` argument: `c`, `custom`, `d`, `directory`, `t`, `tar`, case-insensitive.
    public init?(pgRestoreName name: String) {
        switch name.lowercased() {
        case "c", "custom": self = .custom
        case "d", "directory": self = .directory
        case "t", "tar": self = .tar
        default: return nil
        }
    }
}
