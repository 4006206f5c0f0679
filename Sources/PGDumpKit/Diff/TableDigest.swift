import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// The content of one entry's data: how many rows (or large objects) it has and the sum modulo 2^128 of their keyed
/// SipHash-2-4-128 hashes (`SipHash128`), which does not depend on the rows' order.
///
/// Data stored as INSERT statements is digested by the rows they hold, as COPY text (so `rows` counts rows, not
/// statements or lines), and `statements` digests its lines the same way: the same rows written as other
/// statements (`--column-inserts` against `--inserts`, another `--rows-per-insert`) render otherwise, so they
/// differ.
public struct TableDigest: Hashable, Sendable {
    /// Rows of COPY data or of INSERT statements, or large objects.
    public var rows: Int64 = 0
    public var sum: Digest128 = .zero
    /// For INSERT statements, the sum of the keyed hashes of their lines; zero for COPY data.
    public var statements: Digest128 = .zero
    /// Decompressed bytes of data: sizes the partitions of `--rows`. Not part of the comparison.
    public var bytes: Int64 = 0

    public init() {}

    /// Whether the two hold the same rows, in any order.
    public func sameContent(as other: TableDigest) -> Bool {
        rows == other.rows && sum == other.sum && statements == other.statements
    }
}

/// Digests an entry's data as a reader streams it.
///
/// COPY data is cut into rows at each newline (COPY text escapes the newlines inside values), up to the `\.` line
/// that ends it; what follows that line is not data. Data stored as INSERT statements is cut the same way, each
/// non-empty line a unit (`InsertDataRows` gives this sink the statements' rows as COPY text, and another the
/// statements). A large object is one unit: its OID (4 bytes, little-endian) then its bytes.
struct TableDigestSink: DataSink {
    private let key: SipHash128.Key
    private var hasher: SipHash128
    private(set) var digest = TableDigest()
    /// Bytes of the current line so far, and its first two.
    private var lineLength = 0
    private var lineStart: UInt16 = 0
    /// The `\.` line was seen: the rest is not rows.
    private var ended = false
    private var inLargeObject = false
    /// COPY data, where an empty line is a row (one empty string); INSERT statements are separated by them.
    private let copyData: Bool

    init(key: SipHash128.Key, copyData: Bool) {
        self.key = key
        self.copyData = copyData
        hasher = SipHash128(key: key)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        digest.bytes &+= Int64(bytes.count)
        if inLargeObject {
            hasher.update(bytes)
            return
        }
        guard !ended else { return }
        var start = 0
        while start < bytes.count {
            let remaining = bytes.count - start
            guard let found = memchr(base + start, 0x0A, remaining) else {
                take(UnsafeRawBufferPointer(start: base + start, count: remaining))
                return
            }
            let end = UnsafeRawPointer(found) - base
            take(UnsafeRawBufferPointer(start: base + start, count: end - start))
            endLine()
            if ended { return }
            start = end + 1
        }
    }

    /// Part of the current line.
    @inline(__always)
    private mutating func take(_ part: UnsafeRawBufferPointer) {
        guard part.count > 0 else { return }
        var index = 0
        while lineLength + index < 2 && index < part.count {
            lineStart = lineStart << 8 | UInt16(part[index])
            index += 1
        }
        lineLength += part.count
        hasher.update(part)
    }

    private mutating func endLine() {
        // "\." alone on its line ends COPY data.
        if lineLength == 2 && lineStart == 0x5C2E {
            ended = true
            return
        }
        if !copyData && lineLength == 0 { return }
        addRow()
    }

    private mutating func addRow() {
        digest.rows += 1
        digest.sum = digest.sum &+ hasher.finalize()
        hasher = SipHash128(key: key)
        lineLength = 0
        lineStart = 0
    }

    /// Ends the data: a last line without a newline is a row too.
    mutating func finish() {
        if !ended && !inLargeObject && lineLength > 0 { endLine() }
    }

    mutating func beginLargeObject(oid: UInt32) throws {
        hasher = SipHash128(key: key)
        withUnsafeBytes(of: oid.littleEndian) { hasher.update($0) }
        inLargeObject = true
    }

    mutating func endLargeObject() throws {
        inLargeObject = false
        addRow()
    }
}
