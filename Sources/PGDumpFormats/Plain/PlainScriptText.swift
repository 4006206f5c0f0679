import PGDumpCore

/// Byte-level helpers for reading pg_dump's script text.
enum PlainScriptText {
    static let dumpHeader = Array("--\n-- PostgreSQL database dump\n--\n\n".utf8)
    static let dumpAllHeader = Array("--\n-- PostgreSQL database cluster dump\n--\n\n".utf8)
    static let trailer = Array("--\n-- PostgreSQL database dump complete\n--\n".utf8)

    /// The second lines that make a `--` line the start of an entry's header comment (`_printTocEntry`), or of
    /// the closing comment.
    static let headerSecondLines: [[UInt8]] = [
        "-- Name: ", "-- Data for Name: ", "-- Statistics for Name: ", "-- TOC entry ",
        "-- PostgreSQL database dump complete\n",
    ].map { Array($0.utf8) }

    /// The statements `_becomeUser`, `_selectOutputSchema`, `_selectTablespace` and `_selectTableAccessMethod`
    /// print before an entry when the session must change: regenerated on output, never part of a definition.
    static let sessionPrefixes: [[UInt8]] = [
        "SET default_tablespace = ", "SET default_table_access_method = ", "SET SESSION AUTHORIZATION ",
        "SET search_path = ",
    ].map { Array($0.utf8) }

    static func starts(_ bytes: ArraySlice<UInt8>, with prefix: [UInt8]) -> Bool {
        bytes.count >= prefix.count && bytes.prefix(prefix.count).elementsEqual(prefix)
    }

    static func starts(_ bytes: [UInt8], with prefix: String) -> Bool {
        starts(bytes[...], with: Array(prefix.utf8))
    }

    /// The first occurrence of `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The name a `SET … = name;` statement gives: `''` is empty, a double-quoted identifier loses its quotes.
    /// Mirrors the quoting of `fmtId` in reverse.
    static func unquotedIdentifier(_ text: ArraySlice<UInt8>) -> [UInt8] {
        if text.elementsEqual([0x27, 0x27]) { return [] }
        guard text.count >= 2, text.first == 0x22, text.last == 0x22 else { return Array(text) }
        var result: [UInt8] = []
        var index = text.startIndex + 1
        let end = text.endIndex - 1
        while index < end {
            result.append(text[index])
            if text[index] == 0x22 && index + 1 < end && text[index + 1] == 0x22 { index += 1 }
            index += 1
        }
        return result
    }

    /// `name` as `fmtId` would quote it if needed: double quotes doubled inside double quotes.
    static func quoted(_ name: [UInt8]) -> [UInt8] {
        var result: [UInt8] = [0x22]
        for byte in name {
            result.append(byte)
            if byte == 0x22 { result.append(0x22) }
        }
        result.append(0x22)
        return result
    }

    /// Whether the tag of a COMMENT, SECURITY LABEL or ACL entry (`TABLE orders`, `COLUMN orders.id`,
    /// `FUNCTION f(a integer)`, `CONSTRAINT c ON t`) names the object whose tag is `name`.
    static func tag(_ tag: [UInt8], refersTo name: [UInt8]) -> Bool {
        guard !name.isEmpty else { return false }
        let forms = [name, quoted(name)]
        let baseName = name.firstIndex(of: 0x28).map { Array(name[..<$0]) }
        // Every split after a run of upper-case words is a candidate object name.
        var index = 0
        while index < tag.count {
            guard let space = tag[index...].firstIndex(of: 0x20) else { break }
            let word = tag[index..<space]
            guard !word.isEmpty, word.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x5F }) else { break }
            let rest = Array(tag[(space + 1)...])
            for form in forms {
                if rest == form { return true }
                if starts(rest[...], with: form + [0x2E]) { return true }  // COLUMN t.c
            }
            if let baseName, let open = rest.firstIndex(of: 0x28) {
                let restBase = Array(rest[..<open])
                if restBase == baseName || restBase == quoted(baseName) { return true }
            }
            if let on = find(Array(" ON ".utf8), in: rest[...]) {
                let target = Array(rest[(on + 4)...])
                if forms.contains(target) { return true }
            }
            index = space + 1
        }
        return false
    }
}
