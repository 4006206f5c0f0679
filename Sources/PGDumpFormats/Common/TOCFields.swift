import PGDumpCore
import PGDumpCodecs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The archive primitives a TOC entry is made of.
protocol TOCFields {
    /// The archive offset of the next field.
    var position: Int64 { get }
    mutating func readInt(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32
    /// A string; when `recent` holds the same bytes, that value itself, else a new one that replaces it.
    mutating func readString(
        _ layout: IntegerLayout, limit: Int, reusing recent: inout ArchiveText?, _ what: @autoclosure () -> String
    ) throws -> ArchiveText?
    /// One dependency, a dump ID stored as text and parsed as `sscanf("%d")` does (0 with no digits); `nil` at
    /// the NULL string that ends the list.
    mutating func readDependency(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32?
    mutating func readOffset(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> StoredOffset
}

extension TOCFields {
    /// A string that rarely repeats.
    mutating func readString(
        _ layout: IntegerLayout, limit: Int, _ what: @autoclosure () -> String
    ) throws -> ArchiveText? {
        var unused: ArchiveText?
        return try readString(layout, limit: limit, reusing: &unused, what())
    }
}

/// Fields read through the `BufferedReader`: refills as needed and throws the error pg_restore would report.
struct ReaderFields: TOCFields {
    let reader: BufferedReader

    var position: Int64 { reader.position }

    func readInt(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32 {
        try reader.readPGInt(layout, what())
    }

    func readString(
        _ layout: IntegerLayout, limit: Int, reusing recent: inout ArchiveText?, _ what: @autoclosure () -> String
    ) throws -> ArchiveText? {
        guard let text = try reader.readPGString(layout, limit: limit, what()) else { return nil }
        if text == recent { return recent }
        recent = text
        return text
    }

    func readDependency(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32? {
        try reader.readPGString(layout, limit: 64, what()).map { $0.scannedInt32 ?? 0 }
    }

    func readOffset(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> StoredOffset {
        try reader.readPGOffset(layout, what())
    }
}

/// Fields parsed straight from bytes in memory, with no refills and no bookkeeping. It never reports a problem:
/// it stops where the bytes run out or a value is out of the ordinary, and the entry is then read again
/// through the reader, which refills and throws the exact error.
struct BufferedFields: TOCFields {
    let bytes: UnsafeRawBufferPointer
    /// The archive offset of `bytes[0]`.
    let origin: Int64
    /// Bytes parsed so far.
    var offset = 0

    enum Stop: Error {
        /// The entry needs at least this many bytes from the start of `bytes`.
        case needsBytes(Int)
        /// A value the reader should read, to report it or to handle a rare layout.
        case unusual
    }

    var position: Int64 { origin + Int64(offset) }

    @inline(__always)
    private var remaining: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[offset...]) }

    /// The decoded value, advancing past it; otherwise how the entry stops.
    @inline(__always)
    private mutating func take<Value>(_ outcome: PrimitiveDecoder.Outcome<Value>) throws -> Value {
        switch outcome {
        case .value(let value, let count):
            offset += count
            return value
        case .needsBytes(let count): throw Stop.needsBytes(offset + count)
        case .invalid: throw Stop.unusual
        }
    }

    mutating func readInt(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32 {
        try take(PrimitiveDecoder(layout).int(in: remaining))
    }

    /// The bytes of a string, up to an embedded NUL as pg reads them; `nil` for NULL.
    private mutating func readStringBytes(_ layout: IntegerLayout, limit: Int) throws -> UnsafeRawBufferPointer? {
        try take(PrimitiveDecoder(layout).string(in: remaining, limit: limit))
    }

    mutating func readString(
        _ layout: IntegerLayout, limit: Int, reusing recent: inout ArchiveText?, _ what: @autoclosure () -> String
    ) throws -> ArchiveText? {
        guard let stored = try readStringBytes(layout, limit: limit) else { return nil }
        if stored.isEmpty { return ArchiveText(bytes: []) }
        if let recent, recent.count == stored.count,
            recent.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, stored.baseAddress!, stored.count) == 0 })
        {
            return recent
        }
        let text = ArchiveText(bytes: [UInt8](stored))
        recent = text
        return text
    }

    mutating func readDependency(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32? {
        try readStringBytes(layout, limit: 64).map { ArchiveText.scanInt32($0) ?? 0 }
    }

    mutating func readOffset(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> StoredOffset {
        try take(PrimitiveDecoder(layout).offset(in: remaining))
    }
}
