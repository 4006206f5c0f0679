/// Receives the parts of an array literal from `ArrayLiteral.walk`, in order. Visitors are generic parameters,
/// never existentials, so the calls specialise; a visitor that cannot fail has `Failure == Never`.
protocol ArrayLiteralVisitor {
    associatedtype Failure: Error
    /// A `{`: an array, or a sub-array of a multidimensional one.
    mutating func beginArray() throws(Failure)
    /// The `}` that closes the latest `{`.
    mutating func endArray() throws(Failure)
    /// An element: its bytes between the double quotes or, unquoted, without the white space around it. With
    /// `escaped`, they hold backslashes, each escaping the byte after it (`ArrayLiteral.unescape` removes them).
    mutating func element(_ raw: UnsafeRawBufferPointer, escaped: Bool) throws(Failure)
    /// An unquoted `NULL` (in any case): an SQL null element.
    mutating func null() throws(Failure)
}

/// PostgreSQL's text form of an array, as `array_out` writes it and COPY stores it (with COPY's own escapes
/// already undone): `{1,2,NULL}`, `{{1,2},{3,4}}`, `{"a b","say \"hi\"",NULL,"NULL"}`, `{}`, and, when a lower
/// bound is not 1, dimension decorations: `[0:1]={7,8}`.
///
/// Read as arrayfuncs.c `array_in` reads it (`ReadArrayDimensions`, `ReadArrayStr`, `ReadArrayToken`): elements
/// are separated by the element type's delimiter (`typdelim`: `;` for `box`, `,` for every other type); an
/// element in double quotes may hold anything, with `\` escaping the next byte; an unquoted element runs to the
/// delimiter or `}`, loses the white space around it, may escape bytes with `\` too, and is an SQL null when it
/// is `NULL` in any case; sub-arrays nest to at most 6 dimensions (`MAXDIM`), and every sub-array of one
/// dimension has the same length; decorations (`[lower:upper]` or `[upper]`, one per dimension, then `=`) must
/// agree with the braces. Anything else (a damaged archive; `array_out` never writes it) is malformed.
///
/// One scan over the bytes, with no allocation: the nesting is counted in fixed-size vectors.
enum ArrayLiteral {
    /// `MAXDIM` in PostgreSQL's `utils/array.h`.
    static let maximumDimensions = 6

    /// The delimiter between the elements of an array of `box` (its `typdelim`).
    static let boxDelimiter = UInt8(ascii: ";")

    /// Walks `text`, handing each brace, element and NULL to `visitor` in order. Returns `false` when `text` is
    /// not a well-formed array literal, found at the first byte that shows it, after the visitor has seen the
    /// parts before it: a visitor that writes output should check the text first with `isWellFormed`.
    static func walk<Visitor: ArrayLiteralVisitor>(
        _ text: UnsafeRawBufferPointer, delimiter: UInt8, _ visitor: inout Visitor
    ) throws(Visitor.Failure) -> Bool {
        let count = text.count
        var index = 0
        skipSpace(text, &index)

        // Decorations: `[lower:upper]` or `[upper]` per dimension, white space allowed between them, then `=`.
        var declaredLengths = SIMD8<Int>(repeating: 0)
        var declared = 0
        while index < count && text[index] == UInt8(ascii: "[") {
            guard declared < maximumDimensions else { return false }
            index += 1
            guard var upper = readBound(text, &index) else { return false }
            var lower = 1
            if index < count && text[index] == UInt8(ascii: ":") {
                index += 1
                lower = upper
                guard let bound = readBound(text, &index) else { return false }
                upper = bound
            }
            guard index < count, text[index] == UInt8(ascii: "]"), upper >= lower else { return false }
            index += 1
            declaredLengths[declared] = upper - lower + 1
            declared += 1
            skipSpace(text, &index)
        }
        if declared > 0 {
            guard index < count, text[index] == UInt8(ascii: "=") else { return false }
            index += 1
            skipSpace(text, &index)
        }
        guard index < count, text[index] == UInt8(ascii: "{") else { return false }

        // The braces. `depth` is the number of open braces; `counts[d]` the items (elements or sub-arrays) so
        // far in the open array at depth d, `lengths[d]` the length every array at depth d must have (that of
        // the first one closed there), and `leafDepth` the depth of every element (0: none seen yet).
        var depth = 0
        var leafDepth = 0
        var counts = SIMD8<Int>(repeating: 0)
        var lengths = SIMD8<Int>(repeating: -1)
        var expecting = Expecting.item
        while true {
            guard index < count else { return false }
            let byte = text[index]
            if isSpace(byte) {
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "{"):
                // Not after an item, not deeper than the elements, not inside an array of elements.
                guard expecting != .delimiterOrEnd, depth < maximumDimensions, leafDepth == 0 || depth < leafDepth
                else { return false }
                depth += 1
                counts[depth] = 0
                expecting = .itemOrEnd
                index += 1
                try visitor.beginArray()
            case UInt8(ascii: "}"):
                switch expecting {
                case .item:
                    return false  // after a delimiter
                case .itemOrEnd:
                    // Only the whole array may be empty (`{}`), and then without decorations.
                    guard depth == 1, declared == 0 else { return false }
                case .delimiterOrEnd:
                    break
                }
                if lengths[depth] < 0 {
                    lengths[depth] = counts[depth]
                } else if lengths[depth] != counts[depth] {
                    return false  // sub-arrays of different lengths
                }
                depth -= 1
                index += 1
                try visitor.endArray()
                if depth == 0 {
                    // Only white space may follow; decorations must describe what the braces hold.
                    skipSpace(text, &index)
                    guard index == count else { return false }
                    if declared > 0 {
                        guard leafDepth == declared else { return false }
                        for dimension in 0..<declared where declaredLengths[dimension] != lengths[dimension + 1] {
                            return false
                        }
                    }
                    return true
                }
                counts[depth] += 1
                expecting = .delimiterOrEnd
            case delimiter:
                guard expecting == .delimiterOrEnd else { return false }
                expecting = .item
                index += 1
            default:
                guard expecting != .delimiterOrEnd else { return false }
                // Every element sits at the same depth, in an array of elements only.
                if leafDepth == 0 {
                    leafDepth = depth
                } else if leafDepth != depth {
                    return false
                }
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    let start = index
                    var escaped = false
                    while index < count && text[index] != UInt8(ascii: "\"") {
                        if text[index] == UInt8(ascii: "\\") {
                            escaped = true
                            index += 1
                        }
                        index += 1
                    }
                    guard index < count else { return false }  // no closing quote
                    try visitor.element(UnsafeRawBufferPointer(rebasing: text[start..<index]), escaped: escaped)
                    index += 1
                } else {
                    // To the delimiter or `}`; trailing white space is not part of it, an escaped byte is.
                    let start = index
                    var end = index
                    var escaped = false
                    while index < count {
                        let current = text[index]
                        // Most bytes are none of the special ones (all of which are ASCII punctuation or space).
                        if current > UInt8(ascii: "\"") && current != delimiter && current != UInt8(ascii: "\\")
                            && current != UInt8(ascii: "{") && current != UInt8(ascii: "}")
                        {
                            index += 1
                            end = index
                            continue
                        }
                        if current == UInt8(ascii: "\\") {
                            guard index + 1 < count else { return false }
                            escaped = true
                            index += 2
                            end = index
                            continue
                        }
                        if current == delimiter || current == UInt8(ascii: "}") { break }
                        if current == UInt8(ascii: "{") || current == UInt8(ascii: "\"") { return false }
                        index += 1
                        if !isSpace(current) { end = index }
                    }
                    let element = UnsafeRawBufferPointer(rebasing: text[start..<end])
                    if !escaped && isNullMarker(element) {
                        try visitor.null()
                    } else {
                        try visitor.element(element, escaped: escaped)
                    }
                }
                counts[depth] += 1
                expecting = .delimiterOrEnd
            }
        }
    }

    /// Whether `text` is a well-formed array literal (see `ArrayLiteral`).
    static func isWellFormed(_ text: UnsafeRawBufferPointer, delimiter: UInt8) -> Bool {
        var check = Check()
        return walk(text, delimiter: delimiter, &check)
    }

    /// Appends an element's bytes with its escaping backslashes removed (each keeps the byte after it) to
    /// `bytes`, which it empties first, keeping its capacity.
    static func unescape(_ raw: UnsafeRawBufferPointer, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "\\") && index + 1 < raw.count { index += 1 }
            bytes.append(raw[index])
            index += 1
        }
    }

    /// What may come next inside the braces.
    private enum Expecting {
        /// An element or `{`: after a delimiter.
        case item
        /// An element, `{` or `}`: after `{`.
        case itemOrEnd
        /// The delimiter or `}`: after an element or a sub-array.
        case delimiterOrEnd
    }

    /// The visitor of `isWellFormed`: checks only.
    private struct Check: ArrayLiteralVisitor {
        typealias Failure = Never
        mutating func beginArray() {}
        mutating func endArray() {}
        mutating func element(_ raw: UnsafeRawBufferPointer, escaped: Bool) {}
        mutating func null() {}
    }

    /// `array_in`'s white space (`scanner_isspace`).
    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func skipSpace(_ text: UnsafeRawBufferPointer, _ index: inout Int) {
        while index < text.count && isSpace(text[index]) { index += 1 }
    }

    /// A dimension bound: an optional sign and at most 9 digits (an `int`; `array_out` writes at most 11
    /// characters, and anything near 2^31 cannot be a real array's bound).
    private static func readBound(_ text: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        var negative = false
        if index < text.count && (text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+")) {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var value = 0
        var digits = 0
        while index < text.count, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") {
            guard digits < 9 else { return nil }
            value = value * 10 + Int(text[index] - UInt8(ascii: "0"))
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }

    /// Whether an unquoted element is `NULL`, in any case.
    private static func isNullMarker(_ element: UnsafeRawBufferPointer) -> Bool {
        guard element.count == 4 else { return false }
        return element[0] | 0x20 == UInt8(ascii: "n") && element[1] | 0x20 == UInt8(ascii: "u")
            && element[2] | 0x20 == UInt8(ascii: "l") && element[3] | 0x20 == UInt8(ascii: "l")
    }
}
