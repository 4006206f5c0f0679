/// The section of a TOC entry. Mirrors `teSection` (the stored value starts at 1).
public enum Section: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case none = 1
    case preData = 2
    case data = 3
    case postData = 4

    /// The spelling of `--section` and of `info`.
    public var description: String {
        switch self {
        case .none: return "none"
        case .preData: return "pre-data"
        case .data: return "data"
        case .postData: return "post-data"
        }
    }

    /// The section archives before 1.11 imply from an entry's type (`ReadToc`).
    static func inferred(fromDesc desc: ArchiveText) -> Section {
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
