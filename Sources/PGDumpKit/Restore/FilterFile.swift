import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// A `--filter` file: lines of `include|exclude OBJECT_TYPE PATTERN`. Mirrors `fe_utils/filter.c` and
/// pg_restore's `read_restore_filters`.
///
/// pg_restore compares the names exactly, quotes included: a pattern written `"My Table"` is the name with its
/// quotes, as in pg_restore. With `nameMatching` `.patterns` the names are patterns, as in pg_dump's filter files,
/// and the quotes are the pattern's.
package struct FilterFile: Sendable {
    package enum Command: Sendable { case include, exclude }

    package struct Item: Sendable, Equatable {
        package var command: Command
        /// The object type as pg names it: `table`, `schema`, `table data`…
        package var objectType: String
        package var pattern: String
        package var line: Int
    }

    package var items: [Item] = []
    package let name: String

    /// Parses the file; `name` is used in messages (`-` is standard input).
    package init(contents: [UInt8], name: String) throws {
        self.name = name
        var lines = contents.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        if contents.last == 0x0A { lines.removeLast() }
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            var text = lines[index][...]
            index += 1
            while let first = text.first, Self.isSpace(first) { text = text.dropFirst() }
            if text.isEmpty || text.first == UInt8(ascii: "#") { continue }
            guard let command = Self.keyword(&text) else {
                throw error(line: lineNumber, "no filter command found (expected \"include\" or \"exclude\")")
            }
            let parsedCommand: Command
            switch command.lowercased() {
            case "include": parsedCommand = .include
            case "exclude": parsedCommand = .exclude
            default: throw error(line: lineNumber, "invalid filter command (expected \"include\" or \"exclude\")")
            }
            guard let type = Self.keyword(&text) else { throw error(line: lineNumber, "missing filter object type") }
            guard let objectType = Self.objectTypes[type.lowercased()] else {
                throw error(line: lineNumber, "unsupported filter object type: \"\(type)\"")
            }
            var pattern: [UInt8] = []
            var currentLine = lineNumber
            try Self.readPattern(&text, into: &pattern) {
                // A quoted name may go on over the next lines.
                guard index < lines.count else { throw self.error(line: currentLine, "unexpected end of file") }
                currentLine = index + 1
                defer { index += 1 }
                return lines[index][...]
            } missing: {
                self.error(line: lineNumber, "missing object name pattern")
            }
            items.append(Item(
                command: parsedCommand, objectType: objectType, pattern: String(decoding: pattern, as: UTF8.self),
                line: lineNumber))
        }
    }

    /// Adds the file's names to the selection, rejecting the types pg_restore cannot filter on.
    package func apply(to selection: inout RestoreOptions) throws {
        for item in items {
            let name = ArchiveText(item.pattern)
            switch (item.command, item.objectType) {
            case (.include, "function"): selection.functionNames.append(name)
            case (.include, "index"): selection.indexNames.append(name)
            case (.include, "schema"): selection.schemaNames.append(name)
            case (.include, "table"): selection.tableNames.append(name)
            case (.include, "trigger"): selection.triggerNames.append(name)
            case (.exclude, "schema"): selection.excludeSchemaNames.append(name)
            default:
                let verb = item.command == .include ? "include" : "exclude"
                throw error(line: item.line, "\(verb) filter for \"\(item.objectType)\" is not allowed")
            }
        }
    }

    private func error(line: Int, _ message: String) -> PGDumpError {
        let source = name == "-" ? "standard input" : "file \"\(name)\""
        return PGDumpError(.invalidRequest, "invalid format in filter read from \(source) on line \(line): \(message)")
    }

    /// Keywords as they are written → the name pg uses in messages.
    static let objectTypes: [String: String] = [
        "function": "function", "index": "index", "schema": "schema", "table": "table", "trigger": "trigger",
        "table_and_children": "table and children", "table_data": "table data",
        "table_data_and_children": "table data and children", "database": "database", "extension": "extension",
        "foreign_data": "foreign data",
    ]

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// A keyword: letters and underscores after optional whitespace. Mirrors `filter_get_keyword`.
    static func keyword(_ text: inout ArraySlice<UInt8>) -> String? {
        while let first = text.first, isSpace(first) { text = text.dropFirst() }
        guard let first = text.first, isLetter(first) else { return nil }
        let word = text.prefix { isLetter($0) || $0 == UInt8(ascii: "_") }
        text = text.dropFirst(word.count)
        return String(decoding: word, as: UTF8.self)
    }

    static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

    /// Mirrors `read_pattern`: words joined by single spaces, `,` becoming `, `, `.()` kept tight, quoted parts
    /// kept with their quotes, a `#` ending the pattern.
    static func readPattern(
        _ text: inout ArraySlice<UInt8>, into pattern: inout [UInt8],
        nextLine: () throws -> ArraySlice<UInt8>, missing: () -> PGDumpError
    ) throws {
        while let first = text.first, isSpace(first) { text = text.dropFirst() }
        guard !text.isEmpty else { throw missing() }
        var skipSpace = true
        var foundSpace = false
        let special = Array("#,.()\"".utf8)
        while let first = text.first, first != UInt8(ascii: "#") {
            while let byte = text.first, !isSpace(byte), !special.contains(byte) {
                if !skipSpace && foundSpace {
                    pattern.append(0x20)
                    skipSpace = true
                }
                pattern.append(byte)
                text = text.dropFirst()
            }
            skipSpace = false
            if text.first == UInt8(ascii: "\"") {
                if foundSpace { pattern.append(0x20) }
                try readQuoted(&text, into: &pattern, nextLine: nextLine)
            } else if text.first == UInt8(ascii: ",") {
                pattern += Array(", ".utf8)
                skipSpace = true
                text = text.dropFirst()
            } else if let byte = text.first, Array(".()".utf8).contains(byte) {
                pattern.append(byte)
                skipSpace = true
                text = text.dropFirst()
            }
            foundSpace = false
            while let byte = text.first, isSpace(byte) {
                foundSpace = true
                text = text.dropFirst()
            }
        }
    }

    /// Mirrors `read_quoted_string`: `""` is a quote, `\n` and `\\` are escapes, and a quoted name may span lines.
    static func readQuoted(
        _ text: inout ArraySlice<UInt8>, into pattern: inout [UInt8], nextLine: () throws -> ArraySlice<UInt8>
    ) throws {
        pattern.append(UInt8(ascii: "\""))
        text = text.dropFirst()
        while true {
            guard let byte = text.first else {
                text = try nextLine()
                pattern.append(0x0A)
                continue
            }
            if byte == 0x0D || byte == 0x0A {
                text = text.dropFirst()
                continue
            }
            if byte == UInt8(ascii: "\"") {
                pattern.append(byte)
                text = text.dropFirst()
                if text.first == UInt8(ascii: "\"") {
                    pattern.append(byte)
                    text = text.dropFirst()
                } else {
                    return
                }
            } else if byte == UInt8(ascii: "\\") {
                text = text.dropFirst()
                if text.first == UInt8(ascii: "n") {
                    pattern.append(0x0A)
                } else if text.first == UInt8(ascii: "\\") {
                    pattern.append(UInt8(ascii: "\\"))
                }
                text = text.dropFirst()
            } else {
                pattern.append(byte)
                text = text.dropFirst()
            }
        }
    }
}
