import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// What an entry is, independent of the dump that holds it: its type, schema and name as pg_dump writes them in
/// the TOC (`desc`, `namespace`, `tag`), never its dump ID or OID.
///
/// pg_dump makes the tag unique within a type and schema by putting what tells objects apart into it: a
/// function's argument types (`add(integer, integer)`), a constraint's, trigger's, rule's or policy's table
/// (`orders orders_pkey`), the object a COMMENT, ACL or SECURITY LABEL belongs to (`TABLE orders`,
/// `COLUMN orders.id`, `FUNCTION add(integer, integer)`). One type needs more: a DEFAULT ACL's tag names only what
/// it applies to (`DEFAULT PRIVILEGES FOR TABLES`), and each role has its own in a schema, so its owner is part of
/// its identity. Entries that are still alike (two providers' security labels on one object) are told apart by
/// their rendering, deterministically (`ArchiveComparison`).
package struct EntryIdentity: Hashable, Sendable, Comparable {
    package var desc: [UInt8]
    package var schema: [UInt8]?
    package var tag: [UInt8]?
    /// The owner, for the types whose tag does not name a single object (DEFAULT ACL).
    package var owner: [UInt8]?

    package init(_ entry: TOCEntry) {
        desc = entry.desc.bytes
        schema = entry.namespace?.bytes
        tag = entry.tag?.bytes
        owner = entry.desc.equals("DEFAULT ACL") ? entry.owner?.bytes : nil
    }

    /// Sorted by schema, then name, then type, so that a table, its data and what belongs to it sort together.
    package static func < (lhs: EntryIdentity, rhs: EntryIdentity) -> Bool {
        func less(_ a: [UInt8]?, _ b: [UInt8]?) -> Bool? {
            switch (a, b) {
            case (nil, nil): return nil
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?): return a == b ? nil : a.lexicographicallyPrecedes(b)
            }
        }
        if let order = less(lhs.schema, rhs.schema) { return order }
        if let order = less(lhs.tag, rhs.tag) { return order }
        if lhs.desc != rhs.desc { return lhs.desc.lexicographicallyPrecedes(rhs.desc) }
        return less(lhs.owner, rhs.owner) ?? false
    }
}
