/// The section of a TOC entry. Mirrors `teSection` (the stored value starts at 1).
///
/// A struct rather than an enum because archives may store any integer here and pg_restore accepts it: an
/// entry of an unknown section is simply never selected.
public struct Section: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let none = Section(rawValue: 1)
    public static let preData = Section(rawValue: 2)
    public static let data = Section(rawValue: 3)
    public static let postData = Section(rawValue: 4)

    /// The spelling of `--section` and of `info`; `unknown (N)` for values pg_dump never writes.
    public var description: String {
        switch self {
        case .none: return "none"
        case .preData: return "pre-data"
        case .data: return "data"
        case .postData: return "post-data"
        default: return "unknown (\(rawValue))"
        }
    }

    /// The section archives before 1.11 imply from an entry's type (`ReadToc`).
    package static func inferred(fromDesc desc: ArchiveText) -> Section {
        switch desc.string {
        case "COMMENT", "ACL", "ACL LANGUAGE":
            return .none
        case "TABLE DATA", "BLOBS", "BLOB COMMENTS":
            return .data
        case "CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT", "INDEX", "RULE", "TRIGGER":
            return .postData
        default:
            return .preData
        }
    }
}
