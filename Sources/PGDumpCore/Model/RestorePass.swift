/// The pass an entry is restored in, by the renderer and in the order a plain script prints entries (which its
/// reader undoes). Mirrors `_tocEntryRestorePass` of pg_restore 18 (and 19, unchanged).
package enum RestorePass: Hashable, Sendable {
    case main, acl, postACL

    package static func of(_ entry: TOCEntry) -> RestorePass {
        let desc = entry.desc
        if desc.equals("ACL") || desc.equals("ACL LANGUAGE") || desc.equals("DEFAULT ACL") { return .acl }
        if desc.equals("EVENT TRIGGER") || desc.equals("MATERIALIZED VIEW DATA") { return .postACL }
        if desc.equals("COMMENT") && (entry.tag?.hasPrefix("EVENT TRIGGER ") ?? false) { return .postACL }
        // Only STATISTICS DATA: pg_restore 19's _tocEntryRestorePass does not name EXTENDED STATISTICS DATA, so
        // that entry is restored in the main pass, in TOC order, after the CREATE STATISTICS it depends on.
        if desc.equals("STATISTICS DATA") && entry.section == .postData { return .postACL }
        return .main
    }
}
