import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// JSON text written and checked by hand, byte by byte, for JSON Lines output (no Foundation in the row path).
enum JSONText {
    /// Appends `bytes` as a JSON string. Bytes that are not valid UTF-8 (an archive in another encoding, or damaged)
    /// become U+FFFD, so the output is always valid JSON.
    static func appendString(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) throws {
        try output.append(UInt8(ascii: "\""))
        try appendStringContent(bytes, to: output)
        try output.append(UInt8(ascii: "\""))
    }

    /// A string given in pieces (a large field read back from disk), quoted once around all of them. The bytes of a
    /// UTF-8 character cut by a piece's end are held until the next piece, so pieces escape as the whole would.
    struct PieceEncoder {
        private var carry: [UInt8] = []

        mutating func begin(to output: OutputBuffer) throws { try output.append(UInt8(ascii: "\"")) }

        mutating func append(_ piece: UnsafeRawBufferPointer, to output: OutputBuffer) throws {
            var bytes = carry
            bytes.append(contentsOf: piece)
            // A lead byte among the last three whose character would run past the end waits for the next piece.
            var keep = bytes.count
            for index in max(0, bytes.count - 3)..<bytes.count {
                let expected: Int
                switch bytes[index] {
                case 0xC2...0xDF: expected = 2
                case 0xE0...0xEF: expected = 3
                case 0xF0...0xF4: expected = 4
                default: continue
                }
                if index + expected > bytes.count {
                    keep = index
                    break
                }
            }
            carry = Array(bytes[keep...])
            try bytes.withUnsafeBytes { try JSONText.appendStringContent(UnsafeRawBufferPointer(rebasing: $0[0..<keep]), to: output) }
        }

        mutating func end(to output: OutputBuffer) throws {
            try carry.withUnsafeBytes { try JSONText.appendStringContent($0, to: output) }
            carry = []
            try output.append(UInt8(ascii: "\""))
        }
    }

    /// Writes a value as a JSON string, quotes included, at `target`, which has room for six times its length
    /// and two (every byte a `\u00XX` escape), and returns where the next byte goes: what `appendString` appends.
    /// Sixteen bytes are copied at a time while no byte of them needs a look (a control byte, a quote, a
    /// backslash, a byte that is not ASCII); the others one by one.
    @inline(__always)
    static func writeString(_ value: UnsafeRawPointer, _ length: Int, at target: UnsafeMutableRawPointer)
        -> UnsafeMutableRawPointer
    {
        let spaces = SIMD16<UInt8>(repeating: 0x20), firstHigh = SIMD16<UInt8>(repeating: 0x80)
        let quotes = SIMD16<UInt8>(repeating: 0x22), backslashes = SIMD16<UInt8>(repeating: 0x5C)
        @inline(__always) func isPlain(_ block: SIMD16<UInt8>) -> Bool {
            let looked = (block .< spaces) .| (block .>= firstHigh) .| (block .== quotes) .| (block .== backslashes)
            let lanes = unsafeBitCast(SIMD16<Int8>(repeating: 0).replacing(with: -1, where: looked), to: SIMD2<UInt64>.self)
            return lanes[0] | lanes[1] == 0
        }
        target.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
        var next = target + 1
        var index = 0
        let bytes = UnsafeRawBufferPointer(start: value, count: length)
        while index < length {
            while index &+ 16 <= length {
                let block = value.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                guard isPlain(block) else { break }
                next.storeBytes(of: block, as: SIMD16<UInt8>.self)
                next += 16
                index &+= 16
            }
            if index < length && index &+ 16 > length && length >= 16 {
                // The last bytes: the block that ends with them, written over the copied bytes it overlaps (copied
                // as they are, since the block needs no look).
                let block = value.loadUnaligned(fromByteOffset: length &- 16, as: SIMD16<UInt8>.self)
                if isPlain(block) {
                    next.storeBytes(of: block, toByteOffset: length &- 16 &- index, as: SIMD16<UInt8>.self)
                    next += length &- index
                    break
                }
            }
            // Up to sixteen bytes one by one, then blocks again.
            let end = min(length, index &+ 16)
            while index < end {
                let byte = value.load(fromByteOffset: index, as: UInt8.self)
                if byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    next.storeBytes(of: byte, as: UInt8.self)
                    next += 1
                    index &+= 1
                    continue
                }
                if byte >= 0x80 {
                    let sequence = utf8SequenceLength(bytes, at: index)
                    if sequence > 0 {
                        next.copyMemory(from: value + index, byteCount: sequence)
                        next += sequence
                        index &+= sequence
                        continue
                    }
                }
                emitEscape(for: byte) { escaped in
                    next.storeBytes(of: escaped, as: UInt8.self)
                    next += 1
                }
                index &+= 1
            }
        }
        next.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
        return next + 1
    }

    /// A string's content, escaped, without the quotes.
    static func appendStringContent(_ bytes: UnsafeRawBufferPointer, to output: OutputBuffer) throws {
        var runStart = 0
        var index = 0
        let count = bytes.count
        while index < count {
            // Plain ASCII (most text) is skipped eight bytes at a time.
            while index &+ 8 <= count, !mayNeedEscape(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index &+= 8
            }
            guard index < count else { break }
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if byte >= 0x80 {
                let length = utf8SequenceLength(bytes, at: index)
                if length > 0 {
                    index += length
                    continue
                }
            }
            try output.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            try appendEscape(for: byte, to: output)
            index += 1
            runStart = index
        }
        try output.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<count]))
    }

    /// Whether any of the eight bytes in `word` is a control byte, a quote, a backslash or not ASCII: the bytes
    /// a JSON string cannot hold as they are, or that start a UTF-8 sequence to check.
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highBits != 0 }
        let belowSpace = (word &- 0x20 &* ones) & ~word & highBits != 0
        return word & highBits != 0 || belowSpace
            || hasZeroByte(word ^ (UInt64(UInt8(ascii: "\"")) &* ones))
            || hasZeroByte(word ^ (UInt64(UInt8(ascii: "\\")) &* ones))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The escape for a byte that cannot appear as it is in a JSON string, or U+FFFD for a byte that is not UTF-8.
    /// Kept out of line: escapes are rare, and the scanning loop stays small.
    @inline(never)
    private static func appendEscape(for byte: UInt8, to output: OutputBuffer) throws {
        try emitEscape(for: byte) { try output.append($0) }
    }

    /// The one rule for escaping in JSON strings, for the streaming row writers and for `JSONWriter`: the short
    /// escapes, `\u00XX` for other control bytes, U+FFFD for a byte that does not start valid UTF-8. The
    /// listings (`list`/`info`/`verify --json`) have always written backspace and form feed as `\u0008` and
    /// `\u000c` (`shortControlEscapes: false`), the rows as `\b` and `\f`; both are kept byte for byte.
    @inline(__always)
    static func emitEscape(for byte: UInt8, shortControlEscapes: Bool = true, _ emit: (UInt8) throws -> Void) rethrows {
        let short: UInt8?
        switch byte {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 0x08 where shortControlEscapes: short = UInt8(ascii: "b")
        case 0x09: short = UInt8(ascii: "t")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0C where shortControlEscapes: short = UInt8(ascii: "f")
        case 0x0D: short = UInt8(ascii: "r")
        default: short = nil
        }
        if let short {
            try emit(UInt8(ascii: "\\"))
            try emit(short)
        } else if byte < 0x20 {
            for character in [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                              hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            {
                try emit(character)
            }
        } else {
            for character: UInt8 in [0xEF, 0xBF, 0xBD] { try emit(character) }
        }
    }

    /// Appends `value` as a JSON string, quotes included (a Swift string is valid UTF-8: only quotes, backslashes
    /// and control bytes are escaped).
    static func appendString(_ value: String, to bytes: inout [UInt8], shortControlEscapes: Bool = true) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                emitEscape(for: byte, shortControlEscapes: shortControlEscapes) { bytes.append($0) }
            } else {
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The length of the well-formed UTF-8 sequence starting at `index` (Unicode table 3-7: no overlong forms, no
    /// surrogates, nothing above U+10FFFF), or 0 when there is none.
    @inline(__always)
    static func utf8SequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        let count = bytes.count
        @inline(__always) func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            index + offset < count && range.contains(bytes[index + offset])
        }
        switch bytes[index] {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }

    // MARK: - Validation

    /// Whether `text` is a JSON number (RFC 8259): PostgreSQL's `NaN` and `Infinity` are not.
    static func isNumber(_ text: UnsafeRawBufferPointer, integerOnly: Bool = false) -> Bool {
        var index = 0
        return scanNumber(text, &index, integerOnly: integerOnly) && index == text.count
    }

    /// Whether `text` is one JSON value, with nothing but whitespace around it, in UTF-8, nested at most
    /// `maximumDepth` deep.
    static func isDocument(_ text: UnsafeRawBufferPointer, maximumDepth: Int = 1000) -> Bool {
        var index = 0
        skipWhitespace(text, &index)
        guard scanValue(text, &index, depth: maximumDepth) else { return false }
        skipWhitespace(text, &index)
        return index == text.count
    }

    private static func skipWhitespace(_ text: UnsafeRawBufferPointer, _ index: inout Int) {
        while index < text.count, text[index] == 0x20 || text[index] == 0x09 || text[index] == 0x0A
            || text[index] == 0x0D
        {
            index += 1
        }
    }

    private static func scanValue(_ text: UnsafeRawBufferPointer, _ index: inout Int, depth: Int) -> Bool {
        guard index < text.count, depth > 0 else { return false }
        switch text[index] {
        case UInt8(ascii: "{"):
            index += 1
            skipWhitespace(text, &index)
            if index < text.count && text[index] == UInt8(ascii: "}") {
                index += 1
                return true
            }
            while true {
                guard index < text.count, text[index] == UInt8(ascii: "\""), scanString(text, &index) else {
                    return false
                }
                skipWhitespace(text, &index)
                guard index < text.count, text[index] == UInt8(ascii: ":") else { return false }
                index += 1
                skipWhitespace(text, &index)
                guard scanValue(text, &index, depth: depth - 1) else { return false }
                skipWhitespace(text, &index)
                guard index < text.count else { return false }
                if text[index] == UInt8(ascii: "}") {
                    index += 1
                    return true
                }
                guard text[index] == UInt8(ascii: ",") else { return false }
                index += 1
                skipWhitespace(text, &index)
            }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace(text, &index)
            if index < text.count && text[index] == UInt8(ascii: "]") {
                index += 1
                return true
            }
            while true {
                guard scanValue(text, &index, depth: depth - 1) else { return false }
                skipWhitespace(text, &index)
                guard index < text.count else { return false }
                if text[index] == UInt8(ascii: "]") {
                    index += 1
                    return true
                }
                guard text[index] == UInt8(ascii: ",") else { return false }
                index += 1
                skipWhitespace(text, &index)
            }
        case UInt8(ascii: "\""):
            return scanString(text, &index)
        case UInt8(ascii: "t"):
            return scanLiteral("true", text, &index)
        case UInt8(ascii: "f"):
            return scanLiteral("false", text, &index)
        case UInt8(ascii: "n"):
            return scanLiteral("null", text, &index)
        default:
            return scanNumber(text, &index, integerOnly: false)
        }
    }

    private static func scanLiteral(_ literal: StaticString, _ text: UnsafeRawBufferPointer, _ index: inout Int)
        -> Bool
    {
        let count = literal.utf8CodeUnitCount
        guard text.count - index >= count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where text[index + offset] != pointer[offset] { return false }
        index += count
        return true
    }

    /// A string starting at the opening quote.
    private static func scanString(_ text: UnsafeRawBufferPointer, _ index: inout Int) -> Bool {
        index += 1
        while index < text.count {
            let byte = text[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"):
                guard index + 1 < text.count else { return false }
                switch text[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 5 < text.count else { return false }
                    for offset in 2...5 where !isHexDigit(text[index + offset]) { return false }
                    index += 6
                default:
                    return false
                }
            case 0..<0x20:
                return false
            case 0x80...:
                let length = utf8SequenceLength(text, at: index)
                guard length > 0 else { return false }
                index += length
            default:
                index += 1
            }
        }
        return false
    }

    private static func scanNumber(_ text: UnsafeRawBufferPointer, _ index: inout Int, integerOnly: Bool) -> Bool {
        let count = text.count
        func digits() -> Int {
            let start = index
            while index < count, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        if index < count && text[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count else { return false }
        if text[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if integerOnly { return true }
        if index < count && text[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < count && (text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E")) {
            index += 1
            if index < count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) { index += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
