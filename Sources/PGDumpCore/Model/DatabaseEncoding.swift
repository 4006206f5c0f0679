/// A PostgreSQL character encoding, as named in an archive's ENCODING entry.
///
/// Names are matched as `pg_char_to_encoding` matches them: letters and digits only, case-insensitive, through
/// the aliases of `pg_encname_tbl` (`encnames.c`); the canonical name is `pg_encoding_to_char`'s.
public struct DatabaseEncoding: Hashable, Sendable, CustomStringConvertible {
    /// The canonical name, e.g. `UTF8`, `LATIN1`, `SQL_ASCII`.
    public let name: String

    public var description: String { name }

    public static let sqlASCII = DatabaseEncoding(name: "SQL_ASCII")
    public static let utf8 = DatabaseEncoding(name: "UTF8")

    /// The encoding an alias names, or `nil` when PostgreSQL does not know it.
    public init?(named alias: String) {
        guard !alias.isEmpty, alias.utf8.count < 64 else { return nil }
        let key = String(alias.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
        guard let canonical = Self.aliases[key] else { return nil }
        name = canonical
    }

    private init(name: String) { self.name = name }

    /// `pg_encname_tbl`: cleaned alias → canonical name.
    private static let aliases: [String: String] = [
        "abc": "WIN1258", "alt": "WIN866", "big5": "BIG5", "euccn": "EUC_CN", "eucjis2004": "EUC_JIS_2004",
        "eucjp": "EUC_JP", "euckr": "EUC_KR", "euctw": "EUC_TW", "gb18030": "GB18030", "gbk": "GBK",
        "iso88591": "LATIN1", "iso885910": "LATIN6", "iso885913": "LATIN7", "iso885914": "LATIN8",
        "iso885915": "LATIN9", "iso885916": "LATIN10", "iso88592": "LATIN2", "iso88593": "LATIN3",
        "iso88594": "LATIN4", "iso88595": "ISO_8859_5", "iso88596": "ISO_8859_6", "iso88597": "ISO_8859_7",
        "iso88598": "ISO_8859_8", "iso88599": "LATIN5", "johab": "JOHAB", "koi8": "KOI8R", "koi8r": "KOI8R",
        "koi8u": "KOI8U", "latin1": "LATIN1", "latin10": "LATIN10", "latin2": "LATIN2", "latin3": "LATIN3",
        "latin4": "LATIN4", "latin5": "LATIN5", "latin6": "LATIN6", "latin7": "LATIN7", "latin8": "LATIN8",
        "latin9": "LATIN9", "mskanji": "SJIS", "muleinternal": "MULE_INTERNAL", "shiftjis": "SJIS",
        "shiftjis2004": "SHIFT_JIS_2004", "sjis": "SJIS", "sqlascii": "SQL_ASCII", "tcvn": "WIN1258",
        "tcvn5712": "WIN1258", "uhc": "UHC", "unicode": "UTF8", "utf8": "UTF8", "vscii": "WIN1258",
        "win": "WIN1251", "win1250": "WIN1250", "win1251": "WIN1251", "win1252": "WIN1252", "win1253": "WIN1253",
        "win1254": "WIN1254", "win1255": "WIN1255", "win1256": "WIN1256", "win1257": "WIN1257",
        "win1258": "WIN1258", "win866": "WIN866", "win874": "WIN874", "win932": "SJIS", "win936": "GBK",
        "win949": "UHC", "win950": "BIG5", "windows1250": "WIN1250", "windows1251": "WIN1251",
        "windows1252": "WIN1252", "windows1253": "WIN1253", "windows1254": "WIN1254", "windows1255": "WIN1255",
        "windows1256": "WIN1256", "windows1257": "WIN1257", "windows1258": "WIN1258", "windows866": "WIN866",
        "windows874": "WIN874", "windows932": "SJIS", "windows936": "GBK", "windows949": "UHC",
        "windows950": "BIG5",
    ]
}

/// The session settings an archive carries in its ENCODING, STDSTRINGS and SEARCHPATH entries, checked as
/// pg_restore checks them right after reading each one (`processEncodingEntry` and friends).
public struct ArchiveSessionSettings: Hashable, Sendable {
    /// From ENCODING; SQL_ASCII when the archive has none.
    public var encoding: DatabaseEncoding = .sqlASCII
    /// From STDSTRINGS; off when the archive has none.
    public var standardConformingStrings = false
    /// The SEARCHPATH entry's definition, printed verbatim.
    public var searchPath: ArchiveText?

    public init() {}

    /// Applies one special entry, throwing pg_restore's error for a malformed one.
    package mutating func apply(_ entry: TOCEntry) throws {
        // Every entry passes through here; most are none of the three.
        guard entry.desc.equals("ENCODING") || entry.desc.equals("STDSTRINGS") || entry.desc.equals("SEARCHPATH")
        else { return }
        let defn = entry.defn ?? ArchiveText(bytes: [])
        if entry.desc.equals("ENCODING") {
            // `SET client_encoding = 'foo';`: the text between the first two quotes.
            let bytes = defn.bytes
            guard let first = bytes.firstIndex(of: 0x27),
                let second = bytes[(first + 1)...].firstIndex(of: 0x27)
            else {
                throw PGDumpError(.corrupt, "invalid ENCODING item: \(defn.string)", dumpID: entry.dumpID)
            }
            let name = String(decoding: bytes[(first + 1)..<second], as: UTF8.self)
            guard let encoding = DatabaseEncoding(named: name) else {
                throw PGDumpError(.corrupt, "unrecognized encoding \"\(name)\"", dumpID: entry.dumpID)
            }
            self.encoding = encoding
        } else if entry.desc.equals("STDSTRINGS") {
            // `SET standard_conforming_strings = 'on';`
            let bytes = defn.bytes
            guard let quote = bytes.firstIndex(of: 0x27) else {
                throw PGDumpError(.corrupt, "invalid STDSTRINGS item: \(defn.string)", dumpID: entry.dumpID)
            }
            let rest = ArchiveText(bytes: Array(bytes[quote...]))
            if rest.hasPrefix("'on'") {
                standardConformingStrings = true
            } else if rest.hasPrefix("'off'") {
                standardConformingStrings = false
            } else {
                throw PGDumpError(.corrupt, "invalid STDSTRINGS item: \(defn.string)", dumpID: entry.dumpID)
            }
        } else if entry.desc.equals("SEARCHPATH") {
            searchPath = entry.defn
        }
    }
}
