import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// File names for `extract --all`: `schema.table.csv`, built so that any schema and table name gives a safe,
/// distinct name.
///
/// Every byte outside `[A-Za-z0-9_-]` is percent-encoded (`%2E` for a dot, `%2F` for a slash), so a name can never
/// climb out of the output directory, hide as a dot file, or make two tables collide; the schema and table are
/// separated by the only unencoded dot. This is the naming of `testdata/expected-csv`.
package enum ExtractFileName {
    /// The longest file name most file systems accept.
    static let maximumLength = 255

    /// The file name for `entry`'s table in `format`; with a `disambiguator` above 1, the name for the same
    /// table's `disambiguator`th occurrence (`schema.table~2.csv`), for archives that hold a table twice.
    package static func name(for entry: TOCEntry, format: TableDataFormat, disambiguator: Int = 1) -> String {
        var name: [UInt8] = []
        if let schema = entry.namespace, !schema.isEmpty {
            name = encoded(schema.bytes)
            name.append(UInt8(ascii: "."))
        }
        name += encoded(entry.tag?.bytes ?? [])
        if disambiguator > 1 { name += Array("~\(disambiguator)".utf8) }
        let suffix = Array(("." + format.fileExtension).utf8)
        if name.count + suffix.count > maximumLength {
            // Too long once encoded (long multi-byte names): keep a prefix and make it unique with the dump ID.
            let unique = Array("~\(entry.dumpID)".utf8) + (disambiguator > 1 ? Array("~\(disambiguator)".utf8) : [])
            name = Array(name.prefix(maximumLength - suffix.count - unique.count))
            // Do not cut a %XX escape in half.
            if let percent = name.suffix(2).lastIndex(of: UInt8(ascii: "%")) { name.removeSubrange(percent...) }
            name += unique
        }
        return String(decoding: name + suffix, as: UTF8.self)
    }

    private static func encoded(_ bytes: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                result.append(byte)
            default:
                result += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return result
    }
}
