import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// Table data goes to the script as stored: COPY rows with their terminator, or INSERT statements.
struct VerbatimScriptSink: DataSink {
    let output: OutputBuffer
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws { try output.append(bytes) }
}

/// INSERT statements written with `standard_conforming_strings = off`, made right for a server where it is always
/// on (PostgreSQL 19): every `'…'` literal becomes `E'…'` (with or without backslashes: a streamed literal's end
/// is not known when its quote is written), which reads backslashes as the original did. Literals after a letter
/// (`B'0101'`, `E'…'`) and quoted names are left alone. A byte at a time, but only on this path.
struct EscapeStringLiteralSink: DataSink {
    let output: OutputBuffer
    private enum State { case code, literal, literalBackslash, literalQuote, identifier }
    private var state = State.code
    private var previous: UInt8 = 0x0A
    private var chunk: [UInt8] = []

    init(output: OutputBuffer) { self.output = output }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        chunk.removeAll(keepingCapacity: true)
        chunk.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            switch state {
            case .code:
                if byte == UInt8(ascii: "'") {
                    if !SQLLexer.prefixesLiteral(previous) { chunk.append(UInt8(ascii: "E")) }
                    state = .literal
                } else if byte == UInt8(ascii: "\"") {
                    state = .identifier
                }
            case .literal:
                if byte == UInt8(ascii: "\\") { state = .literalBackslash }
                else if byte == UInt8(ascii: "'") { state = .literalQuote }
            case .literalBackslash:
                state = .literal
            case .literalQuote:
                // '' inside a literal, or the literal's end.
                if byte == UInt8(ascii: "'") {
                    state = .literal
                } else {
                    state = .code
                    if byte == UInt8(ascii: "\"") { state = .identifier }
                }
            case .identifier:
                if byte == UInt8(ascii: "\"") { state = .code }
            }
            chunk.append(byte)
            previous = byte
        }
        try chunk.withUnsafeBytes { try output.append($0) }
    }

}

/// Large objects become `lo_open`, one `lowrite` per 16384 bytes, and `lo_close`. Mirrors `StartRestoreLO`,
/// `dump_lo_buf` and `EndRestoreLO`.
struct LargeObjectScriptSink: DataSink {
    static let bufferSize = 16384
    let output: OutputBuffer
    let oldStyle: Bool
    let clean: Bool
    let standardConformingStrings: Bool
    /// pg_restore -v's "restoring large object with OID N" lines, and how many each object gets.
    let log: (([UInt8]) -> Void)?
    let logLinesPerObject: Int
    private(set) var largeObjectCount = 0
    private var pending: [UInt8] = []
    private var line: [UInt8] = []

    init(
        output: OutputBuffer, oldStyle: Bool, clean: Bool, standardConformingStrings: Bool,
        log: (([UInt8]) -> Void)? = nil, logLinesPerObject: Int = 1
    ) {
        self.logLinesPerObject = logLinesPerObject
        self.output = output
        self.oldStyle = oldStyle
        self.clean = clean
        self.standardConformingStrings = standardConformingStrings
        self.log = log
        pending.reserveCapacity(Self.bufferSize)
    }

    mutating func beginLargeObject(oid: UInt32) throws {
        pending.removeAll(keepingCapacity: true)
        largeObjectCount += 1
        for _ in 0..<logLinesPerObject { log?(Array("restoring large object with OID \(oid)".utf8)) }
        if oldStyle {
            if clean {
                output.append(
                    "SELECT pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata WHERE oid = '\(oid)';\n")
            }
            output.append("SELECT pg_catalog.lo_open(pg_catalog.lo_create('\(oid)'), 131072);\n")
        } else {
            output.append("SELECT pg_catalog.lo_open('\(oid)', 131072);\n")
        }
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes[...]
        // A full buffer is written only when more bytes arrive, so the last piece is never empty.
        while pending.count + rest.count > Self.bufferSize {
            let take = Self.bufferSize - pending.count
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            try flushPending()
        }
        pending.append(contentsOf: rest)
    }

    mutating func endLargeObject() throws {
        if !pending.isEmpty { try flushPending() }
        output.append("SELECT pg_catalog.lo_close(0);\n\n")
        try output.flushIfFull()
    }

    private mutating func flushPending() throws {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: "SELECT pg_catalog.lowrite(0, ".utf8)
        pending.withUnsafeBytes {
            SQLQuoting.appendByteaLiteral($0, standardConformingStrings: standardConformingStrings, to: &line)
        }
        line.append(contentsOf: ");\n".utf8)
        try line.withUnsafeBytes { try output.append($0) }
        pending.removeAll(keepingCapacity: true)
    }
}
