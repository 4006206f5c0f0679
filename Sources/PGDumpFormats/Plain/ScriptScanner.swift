import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a SQL script a line at a time over one large reused buffer, and skims data blocks without splitting
/// them into lines: `memchr`/`memmem` over whole buffers, never a byte at a time through Foundation.
///
/// Every method starts at a line start and leaves the scanner at one.
final class ScriptScanner {
    let reader: BufferedReader

    init(source: ByteSource) {
        reader = BufferedReader(source: source, capacity: 1 << 20)
    }

    /// The source offset of the next unread byte.
    var position: Int64 { reader.position }

    var name: String { reader.source.name }

    /// Whether the input has ended.
    func atEnd() throws -> Bool { try reader.fill(minimum: 1) == 0 }

    /// Up to `count` of the next bytes, without consuming them (fewer at the end of the input). Valid until the
    /// next call that reads or consumes.
    func peek(_ count: Int) throws -> UnsafeRawBufferPointer {
        let available = try reader.fill(minimum: count)
        return UnsafeRawBufferPointer(rebasing: reader.bufferedBytes[0..<min(count, available)])
    }

    /// Whether the next bytes are `prefix`.
    func startsWith(_ prefix: [UInt8]) throws -> Bool {
        let bytes = try peek(prefix.count)
        return bytes.count == prefix.count && memcmp(bytes.baseAddress!, prefix, prefix.count) == 0
    }

    /// Appends the next line, its newline included, to `line`; `false` at the end of the input. A line longer
    /// than `limit` is an error.
    @discardableResult
    func readLine(into line: inout [UInt8], limit: Int) throws -> Bool {
        let start = position
        var readAny = false
        while true {
            let done = try reader.withReadableBytes(maximum: Int.max) { bytes -> (consumed: Int, result: Bool) in
                let base = bytes.baseAddress!
                if let newline = memchr(base, 0x0A, bytes.count) {
                    let count = base.distance(to: UnsafeRawPointer(newline)) + 1
                    line.append(contentsOf: UnsafeRawBufferPointer(start: base, count: count))
                    return (count, true)
                }
                line.append(contentsOf: bytes)
                return (bytes.count, false)
            }
            guard let done else { return readAny }
            readAny = true
            if done { return true }
            if position - start > Int64(limit) {
                throw PGDumpError(
                    .limitExceeded, "a line of the script is longer than the limit of \(limit) bytes", file: name,
                    offset: start)
            }
        }
    }

    /// Skips the next line; `false` at the end of the input.
    @discardableResult
    func skipLine() throws -> Bool {
        var readAny = false
        while true {
            let done = try reader.withReadableBytes(maximum: Int.max) { bytes -> (consumed: Int, result: Bool) in
                if let newline = memchr(bytes.baseAddress!, 0x0A, bytes.count) {
                    return (bytes.baseAddress!.distance(to: UnsafeRawPointer(newline)) + 1, true)
                }
                return (bytes.count, false)
            }
            guard let done else { return readAny }
            readAny = true
            if done { return true }
        }
    }

    /// Passes COPY data to `body` up to and including its end-of-data line `\.`; returns `false` when the input
    /// ends first (everything read was passed on). COPY text escapes every backslash in data, so a line that is
    /// exactly `\.` can only be the terminator.
    func scanCopyData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let terminator: [UInt8] = [0x5C, 0x2E, 0x0A]
        while true {
            // At a line start: the terminator, or the end of the input.
            let next = try peek(3)
            if next.count == 3 && memcmp(next.baseAddress!, terminator, 3) == 0 {
                try body(next)
                reader.consume(3)
                return true
            }
            if next.isEmpty { return false }
            // Whole lines of the buffer, one memchr per line, up to a line that starts with the terminator or
            // too near the buffer's end to tell.
            let read = try reader.withReadableBytes(maximum: Int.max) { bytes -> (consumed: Int, result: Bool) in
                let base = bytes.baseAddress!
                let count = bytes.count
                var lineEnd = 0  // the start of the line after the last whole line seen
                while let newline = memchr(base + lineEnd, 0x0A, count - lineEnd) {
                    let next = base.distance(to: UnsafeRawPointer(newline)) + 1
                    lineEnd = next
                    if next + 3 > count { break }
                    if bytes[next] == 0x5C && bytes[next + 1] == 0x2E && bytes[next + 2] == 0x0A { break }
                }
                if lineEnd == 0 {
                    // One line longer than what is buffered: pass it on and go on inside it.
                    try body(bytes)
                    return (count, false)
                }
                try body(UnsafeRawBufferPointer(start: base, count: lineEnd))
                return (lineEnd, true)
            }
            guard let read else { return false }
            if !read {
                // Inside a long line: go on to its end.
                while true {
                    let found = try reader.withReadableBytes(maximum: Int.max) { bytes -> (consumed: Int, result: Bool) in
                        if let newline = memchr(bytes.baseAddress!, 0x0A, bytes.count) {
                            let count = bytes.baseAddress!.distance(to: UnsafeRawPointer(newline)) + 1
                            try body(UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
                            return (count, true)
                        }
                        try body(bytes)
                        return (bytes.count, false)
                    }
                    guard let found else { return false }
                    if found { break }
                }
            }
        }
    }

    /// Passes to `body` the blank lines at the scanner's position (the blank lines pg_dump ends data with).
    func scanBlankLines(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            let next = try peek(1)
            guard next.count == 1, next[0] == 0x0A else { return }
            try body(next)
            reader.consume(1)
        }
    }

    /// Passes to `body` the lines of INSERT data: lines that start with `INSERT ` or a tab (`--rows-per-insert`)
    /// and blank lines, with any line inside a quoted literal or identifier that spans lines. Stops at the first
    /// other line outside quotes (the next entry's header or a `SET`), leaving it unread. Returns `true` when the
    /// input ended inside a quoted literal.
    func scanInsertData(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let insert = Array("INSERT ".utf8)
        var quote: UInt8 = 0
        while true {
            if quote == 0 {
                let next = try peek(insert.count)
                if next.isEmpty { return false }
                let isData = next[0] == 0x0A || next[0] == 0x09
                    || (next.count == insert.count && memcmp(next.baseAddress!, insert, insert.count) == 0)
                if !isData { return false }
            }
            // One line, tracking quotes so that a literal spanning lines is not taken for the end of the data.
            var lineEnded = false
            while !lineEnded {
                let read = try reader.withReadableBytes(maximum: Int.max) { bytes -> (consumed: Int, result: Bool) in
                    var index = 0
                    let count = bytes.count
                    while index < count {
                        let byte = bytes[index]
                        if byte == 0x0A {
                            index += 1
                            try body(UnsafeRawBufferPointer(rebasing: bytes[0..<index]))
                            return (index, true)
                        }
                        if quote == 0 {
                            if byte == 0x27 || byte == 0x22 { quote = byte }
                        } else if byte == quote {
                            quote = 0
                        }
                        index += 1
                    }
                    try body(bytes)
                    return (count, false)
                }
                guard let read else { return quote != 0 }
                lineEnded = read
            }
        }
    }
}
