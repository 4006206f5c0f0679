import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

extension TOCEntry {
    /// The entry's object as SQL names it, `schema.name` with quotes where SQL needs them (`fmtQualifiedId`), so
    /// that names holding dots, quotes or spaces read unambiguously; control characters are shown escaped (`\n`)
    /// so that a name never breaks a line of a report or message. `-t` accepts this spelling back as a pattern
    /// (`--patterns`, `NameMatching.patterns`), for names without control characters.
    public var qualifiedDisplayName: String {
        Self.escapingControlCharacters(SQLQuoting.qualifiedIdentifier(namespace, tag))
    }

    /// `TABLE DATA app.orders`, `BLOBS 16889..16892`: the entry's type and what it is about, for messages.
    public var displayLabel: String {
        if isLargeObjectData || namespace == nil || namespace?.isEmpty == true {
            return desc.string + " " + Self.escapingControlCharacters(tag?.bytes ?? [])
        }
        return desc.string + " " + qualifiedDisplayName
    }

    /// The bytes as UTF-8 text with control characters written as C escapes.
    static func escapingControlCharacters(_ bytes: [UInt8]) -> String {
        guard bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return String(decoding: bytes, as: UTF8.self) }
        var escaped: [UInt8] = []
        let hex = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case 0x0A: escaped += Array("\\n".utf8)
            case 0x0D: escaped += Array("\\r".utf8)
            case 0x09: escaped += Array("\\t".utf8)
            case 0..<0x20, 0x7F: escaped += [UInt8(ascii: "\\"), UInt8(ascii: "x"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}
