/// Splits the SQL of one TOC entry into tokens, the way PostgreSQL's scanner sees them, so that rewrites for an
/// older server touch keywords and never the inside of a string, a quoted name, a comment or a function body.
///
/// Only what is needed to find constructs is told apart: words (keywords and unquoted names), quoted names,
/// string literals (standard, `E'…'`, dollar-quoted), numbers, and single punctuation or operator bytes.
/// White space and comments are skipped; each token keeps its byte range in the text.
struct SQLLexer {
    enum Kind: Equatable {
        case word
        case quotedIdentifier
        case string
        case number
        /// One byte of punctuation or an operator: `(`, `)`, `,`, `;`, `=`, `.`, …
        case symbol(UInt8)
    }

    struct Token: Equatable {
        var kind: Kind
        var range: Range<Int>
    }

    /// Tokens of `text`. `standardConformingStrings` off makes a backslash escape the next byte in `'…'`, as
    /// pg_dump's scripts for such databases are written. Text that does not scan (an unterminated string) ends
    /// the token list where it starts: what follows is never mistaken for SQL.
    static func tokens(of text: [UInt8], standardConformingStrings: Bool = true) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        let count = text.count
        func at(_ position: Int) -> UInt8 { position < count ? text[position] : 0 }
        while index < count {
            let byte = text[index]
            let start = index
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                index += 1
                continue
            case UInt8(ascii: "-") where at(index + 1) == UInt8(ascii: "-"):
                while index < count && text[index] != 0x0A { index += 1 }
                continue
            case UInt8(ascii: "/") where at(index + 1) == UInt8(ascii: "*"):
                // Block comments nest in PostgreSQL.
                var depth = 0
                while index < count {
                    if text[index] == UInt8(ascii: "/") && at(index + 1) == UInt8(ascii: "*") {
                        depth += 1
                        index += 2
                    } else if text[index] == UInt8(ascii: "*") && at(index + 1) == UInt8(ascii: "/") {
                        depth -= 1
                        index += 2
                        if depth == 0 { break }
                    } else {
                        index += 1
                    }
                }
                if depth != 0 { return tokens }
                continue
            case UInt8(ascii: "'"):
                guard let end = quotedEnd(text, from: index, backslashEscapes: !standardConformingStrings) else {
                    return tokens
                }
                index = end
                tokens.append(Token(kind: .string, range: start..<index))
                continue
            case UInt8(ascii: "\""):
                guard let end = quotedEnd(text, from: index, backslashEscapes: false, quote: UInt8(ascii: "\"")) else {
                    return tokens
                }
                index = end
                tokens.append(Token(kind: .quotedIdentifier, range: start..<index))
                continue
            case UInt8(ascii: "$"):
                if let end = dollarQuotedEnd(text, from: index) {
                    index = end
                    tokens.append(Token(kind: .string, range: start..<index))
                    continue
                }
                if isDollarTagStart(at(index + 1)) { return tokens }  // an unterminated $tag$ body
                // $1: a parameter reference.
                index += 1
                while index < count && isDigit(text[index]) { index += 1 }
                tokens.append(Token(kind: .word, range: start..<index))
                continue
            default:
                break
            }
            if (byte == UInt8(ascii: "E") || byte == UInt8(ascii: "e")) && at(index + 1) == UInt8(ascii: "'") {
                guard let end = quotedEnd(text, from: index + 1, backslashEscapes: true) else { return tokens }
                index = end
                tokens.append(Token(kind: .string, range: start..<index))
            } else if isWordStart(byte) {
                index += 1
                while index < count && isWordByte(text[index]) { index += 1 }
                tokens.append(Token(kind: .word, range: start..<index))
            } else if isDigit(byte) {
                index += 1
                while index < count && (isDigit(text[index]) || text[index] == UInt8(ascii: ".")) { index += 1 }
                tokens.append(Token(kind: .number, range: start..<index))
            } else {
                index += 1
                tokens.append(Token(kind: .symbol(byte), range: start..<index))
            }
        }
        return tokens
    }

    /// The index just past a `'…'` (or `"…"`) string starting at `start`, doubled quotes inside; `nil` when it
    /// does not end.
    private static func quotedEnd(
        _ text: [UInt8], from start: Int, backslashEscapes: Bool, quote: UInt8 = UInt8(ascii: "'")
    ) -> Int? {
        var index = start + 1
        while index < text.count {
            let byte = text[index]
            if backslashEscapes && byte == UInt8(ascii: "\\") {
                index += 2
            } else if byte == quote {
                if index + 1 < text.count && text[index + 1] == quote {
                    index += 2
                } else {
                    return index + 1
                }
            } else {
                index += 1
            }
        }
        return nil
    }

    /// The index just past a `$tag$…$tag$` string starting at `start`, or `nil` when none starts or ends there.
    private static func dollarQuotedEnd(_ text: [UInt8], from start: Int) -> Int? {
        var tagEnd = start + 1
        while tagEnd < text.count && text[tagEnd] != UInt8(ascii: "$") {
            guard isDollarTagByte(text[tagEnd]) && !(tagEnd == start + 1 && isDigit(text[tagEnd])) else { return nil }
            tagEnd += 1
        }
        guard tagEnd < text.count else { return nil }
        let tag = text[start...tagEnd]
        var index = tagEnd + 1
        while index + tag.count <= text.count {
            if text[index] == UInt8(ascii: "$") && text[index..<(index + tag.count)].elementsEqual(tag) {
                return index + tag.count
            }
            index += 1
        }
        return nil
    }

    /// Whether `byte`, just before a quote, makes the quote part of another token (`E'…'`, `B'…'`, `U&'…'`, a
    /// name): then no `E` may be put before the quote.
    static func prefixesLiteral(_ byte: UInt8) -> Bool {
        isWordStart(byte) || isDigit(byte) || byte == UInt8(ascii: "&")
    }

    private static func isDollarTagStart(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "$") || (isWordStart(byte)) }
    private static func isDollarTagByte(_ byte: UInt8) -> Bool { isWordByte(byte) && byte != UInt8(ascii: "$") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_") || byte >= 0x80
    }
    private static func isWordByte(_ byte: UInt8) -> Bool {
        isWordStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
    }
}

/// The text of one entry with its tokens, and the edits planned on it; `edited()` applies them.
struct SQLText {
    let bytes: [UInt8]
    let tokens: [SQLLexer.Token]
    private(set) var edits: [(range: Range<Int>, replacement: [UInt8])] = []

    init(_ bytes: [UInt8], standardConformingStrings: Bool) {
        self.bytes = bytes
        tokens = SQLLexer.tokens(of: bytes, standardConformingStrings: standardConformingStrings)
    }

    /// Whether token `index` is the word `keyword` (ASCII letters, any case).
    func isWord(_ index: Int, _ keyword: String) -> Bool {
        guard index >= 0, index < tokens.count, tokens[index].kind == .word else { return false }
        let range = tokens[index].range
        guard range.count == keyword.utf8.count else { return false }
        for (byte, expected) in zip(bytes[range], keyword.utf8) where byte | 0x20 != expected | 0x20 {
            return false
        }
        return true
    }

    /// Whether the tokens from `index` on are the words `keywords`.
    func isWords(_ index: Int, _ keywords: [String]) -> Bool {
        keywords.enumerated().allSatisfy { isWord(index + $0.offset, $0.element) }
    }

    func isSymbol(_ index: Int, _ symbol: Character) -> Bool {
        guard index >= 0, index < tokens.count else { return false }
        return tokens[index].kind == .symbol(symbol.asciiValue!)
    }

    func text(of index: Int) -> [UInt8] { Array(bytes[tokens[index].range]) }

    /// The text of token `index` as a word compared without case, for values such as `on`/`off`.
    func lowercasedWord(_ index: Int) -> String? {
        guard index < tokens.count else { return nil }
        let token = tokens[index]
        switch token.kind {
        case .word, .number: return String(decoding: bytes[token.range], as: UTF8.self).lowercased()
        case .string:
            // 'value' as pg_dump quotes some option values.
            let inner = bytes[(token.range.lowerBound + 1)..<(token.range.upperBound - 1)]
            return String(decoding: inner, as: UTF8.self).lowercased()
        default: return nil
        }
    }

    /// The index of the `)` closing the `(` at `open`, or `nil`.
    func closingParenthesis(of open: Int) -> Int? {
        var depth = 0
        for index in open..<tokens.count {
            if isSymbol(index, "(") { depth += 1 }
            if isSymbol(index, ")") {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    /// The statements of the text: token index ranges ending before each top-level `;`.
    var statements: [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        var depth = 0
        for index in tokens.indices {
            if isSymbol(index, "(") { depth += 1 }
            if isSymbol(index, ")") { depth -= 1 }
            if depth == 0 && isSymbol(index, ";") {
                if index > start { result.append(start..<index) }
                start = index + 1
            }
        }
        if start < tokens.count { result.append(start..<tokens.count) }
        return result
    }

    /// The byte range from the start of token `first` to the end of token `last`.
    func byteRange(_ first: Int, through last: Int) -> Range<Int> {
        tokens[first].range.lowerBound..<tokens[last].range.upperBound
    }

    /// The byte range of a whole statement with its `;`, from the start of its line when only indentation
    /// precedes it, through the newline after it: removing it leaves the neighbouring statements as they were.
    func statementByteRange(_ statement: Range<Int>) -> Range<Int> {
        var start = tokens[statement.lowerBound].range.lowerBound
        while start > 0 && (bytes[start - 1] == 0x20 || bytes[start - 1] == 0x09) { start -= 1 }
        if start > 0 && bytes[start - 1] != 0x0A { start = tokens[statement.lowerBound].range.lowerBound }
        let last = statement.upperBound < tokens.count ? statement.upperBound : statement.upperBound - 1
        var end = tokens[last].range.upperBound
        while end < bytes.count && (bytes[end] == 0x20 || bytes[end] == 0x09) { end += 1 }
        if end < bytes.count && bytes[end] == 0x0A { end += 1 }
        return start..<end
    }

    mutating func replace(_ range: Range<Int>, with replacement: String) {
        edits.append((range, Array(replacement.utf8)))
    }

    mutating func remove(_ range: Range<Int>) { edits.append((range, [])) }

    /// Removes `item` (token indices) from the comma-separated `list` it belongs to, with the comma joining it to
    /// its neighbours. Resolved when the text is edited, so that several items of one list, adjacent or not,
    /// take exactly their commas: a run of removed items goes with the comma before it, or, at the list's start,
    /// with the comma after it.
    mutating func removeItem(_ item: Range<Int>, from list: [Range<Int>]) {
        listRemovals[list, default: []].insert(item)
    }

    private var listRemovals: [[Range<Int>]: Set<Range<Int>>] = [:]

    var isEdited: Bool { !edits.isEmpty || !listRemovals.isEmpty }

    /// The byte ranges the list removals take.
    private var listRemovalRanges: [Range<Int>] {
        var ranges: [Range<Int>] = []
        func start(_ item: Range<Int>) -> Int { tokens[item.lowerBound].range.lowerBound }
        func end(_ item: Range<Int>) -> Int { tokens[item.upperBound - 1].range.upperBound }
        for (list, removed) in listRemovals {
            var position = 0
            while position < list.count {
                guard removed.contains(list[position]) else {
                    position += 1
                    continue
                }
                var last = position
                while last + 1 < list.count && removed.contains(list[last + 1]) { last += 1 }
                if position > 0 {
                    ranges.append(end(list[position - 1])..<end(list[last]))
                } else if last + 1 < list.count {
                    ranges.append(start(list[position])..<start(list[last + 1]))
                } else {
                    ranges.append(start(list[position])..<end(list[last]))
                }
                position = last + 1
            }
        }
        return ranges
    }

    /// The text with every edit applied. Rules never plan overlapping edits (list items go through
    /// `removeItem`); should two overlap, the one starting first is applied and the other dropped.
    func edited() -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var position = 0
        let all = edits + listRemovalRanges.map { (range: $0, replacement: [UInt8]()) }
        for edit in all.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where edit.range.lowerBound >= position {
            result.append(contentsOf: bytes[position..<edit.range.lowerBound])
            result.append(contentsOf: edit.replacement)
            position = edit.range.upperBound
        }
        result.append(contentsOf: bytes[position...])
        return result
    }
}
