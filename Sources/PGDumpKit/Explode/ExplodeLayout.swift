import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Where `explode` puts each entry: `schema/kind/name.sql`, every component ASCII and safe in any file system.
///
/// - A name is percent-encoded as `extract --all` encodes file names (`ExtractFileName`): every byte outside
///   `[A-Za-z0-9_-]` becomes `%XX`, so a name that is not valid UTF-8 (a LATIN1 or SQL_ASCII archive), holds a
///   slash, or starts with a dot still gives one safe component, and different names give different components.
///   A NULL name is `%none` and an empty one `%empty`: a `%` not followed by two hexadecimal digits never comes
///   out of the encoding.
/// - The kind is the entry's type in lower case with `-` for a space (`table-data`, `default-acl`); any other
///   byte is percent-encoded, lower-case letters included, so that two types never share a folder.
/// - A DEFAULT ACL entry's name is its tag and its owner (`DEFAULT%20PRIVILEGES%20FOR%20TABLES~alice`): each
///   role has its own in a schema. `~` is encoded in names, so it never appears otherwise.
/// - A component longer than 255 bytes keeps a prefix and ends with `~h` and 16 hexadecimal digits of a hash of
///   the whole (SipHash with a fixed key): the same name always gives the same component.
/// - Paths that are still alike, compared without case (for case-insensitive file systems), get `~2`, `~3`…
///   in TOC order, which is the same in every format pg_dump writes.
package enum ExplodeLayout {
    static let maximumComponent = 255
    /// Room left in a file name for the longest suffix (`.data.sql`, `.blobs`) and a `~N`.
    static let suffixRoom = 16

    static func encodedName(_ text: ArchiveText?) -> [UInt8] {
        guard let text else { return Array("%none".utf8) }
        guard !text.isEmpty else { return Array("%empty".utf8) }
        return percentEncoded(text.bytes) { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    static func encodedKind(_ desc: ArchiveText) -> [UInt8] {
        guard !desc.isEmpty else { return Array("%empty".utf8) }
        var result: [UInt8] = []
        for byte in desc.bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): result.append(byte + 0x20)
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): result.append(byte)
            case UInt8(ascii: " "): result.append(UInt8(ascii: "-"))
            default: result += percentEncoded([byte]) { _ in false }
            }
        }
        return result
    }

    private static func percentEncoded(_ bytes: [UInt8], keeping: (UInt8) -> Bool) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        for byte in bytes {
            if keeping(byte) {
                result.append(byte)
            } else {
                result += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return result
    }

    /// `component` cut to fit a file name with room for a suffix, made unique by a hash of the whole.
    static func fitted(_ component: [UInt8], room: Int = suffixRoom) -> [UInt8] {
        let limit = maximumComponent - room
        guard component.count > limit else { return component }
        let hash = SipHash128.hash(component, key: SipHash128.Key(k0: 0, k1: 0))
        let tail = Array("~h".utf8) + Array(hash.description.prefix(16).utf8)
        var prefix = Array(component.prefix(limit - tail.count))
        // Do not cut a %XX escape in half.
        if let percent = prefix.suffix(2).lastIndex(of: UInt8(ascii: "%")) { prefix.removeSubrange(percent...) }
        return prefix + tail
    }

    /// The base path (without suffix) of every entry, in TOC order: `schema/kind/name`, unique even without case.
    package static func basePaths(of entries: [TOCEntry]) -> [String] {
        var taken: Set<[UInt8]> = []
        var result: [String] = []
        result.reserveCapacity(entries.count)
        for entry in entries {
            var name = encodedName(entry.tag)
            if entry.desc.equals("DEFAULT ACL") { name += [UInt8(ascii: "~")] + encodedName(entry.owner) }
            let directory = fitted(encodedName(entry.namespace), room: 0) + [UInt8(ascii: "/")]
                + fitted(encodedKind(entry.desc), room: 0) + [UInt8(ascii: "/")]
            name = fitted(name)
            var path = directory + name
            var attempt = 1
            while !taken.insert(path.map(lowercased)).inserted {
                attempt += 1
                path = directory + name + Array("~\(attempt)".utf8)
            }
            result.append(String(decoding: path, as: UTF8.self))
        }
        return result
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 0x20 : byte
    }
}
