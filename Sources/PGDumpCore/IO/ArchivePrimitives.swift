/// How integers and offsets are stored in one archive. Derived from the header.
public struct IntegerLayout: Sendable, Hashable {
    /// Bytes of magnitude in each integer.
    public var intSize: Int
    /// Bytes in each file offset.
    public var offSize: Int
    /// Whether integers carry a sign byte (every version after 1.0).
    public var hasSignByte: Bool
    /// Whether offsets are a flag byte plus `offSize` bytes (1.7+) rather than a plain integer.
    public var hasOffsetFlags: Bool

    public static let current = IntegerLayout(intSize: 4, offSize: 8, hasSignByte: true, hasOffsetFlags: true)

    public init(intSize: Int, offSize: Int, hasSignByte: Bool, hasOffsetFlags: Bool) {
        self.intSize = intSize
        self.offSize = offSize
        self.hasSignByte = hasSignByte
        self.hasOffsetFlags = hasOffsetFlags
    }
}

/// The state of a custom-format data offset. Mirrors `K_OFFSET_*`.
public enum StoredOffset: Hashable, Sendable {
    case notSet
    case set(Int64)
    case noData
}

extension IntegerLayout {
    /// Bytes in one stored integer: the sign byte, if any, and the magnitude.
    @inlinable
    public var intWidth: Int { intSize + (hasSignByte ? 1 : 0) }
}

extension BufferedReader {
    /// Reads an archive integer: a sign byte (after 1.0), then `intSize` bytes little-endian. Mirrors `ReadInt`.
    package func readPGInt(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32 {
        let decoder = PrimitiveDecoder(layout)
        let at = position
        guard let bytes = try peekBytes(count: decoder.intWidth) else { throw truncated(what()) }
        return try take(decoder.int(in: bytes), what(), at: at)
    }

    /// Reads an archive string: an integer length (negative means NULL), then the bytes. Mirrors `ReadStr`.
    ///
    /// The length is checked against `limit` and against what the input can still hold before anything is
    /// allocated; on a pipe, memory grows only as bytes actually arrive.
    package func readPGString(
        _ layout: IntegerLayout, limit: Int, _ what: @autoclosure () -> String
    ) throws -> ArchiveText? {
        let at = position
        let length = try readPGInt(layout, what())
        if length < 0 { return nil }
        let count = Int(length)
        if count > limit {
            throw PGDumpError(
                .limitExceeded, "length \(count) of \(what()) exceeds the limit of \(limit) bytes",
                file: source.name, offset: at)
        }
        if let remaining = remainingBytes, Int64(count) > remaining {
            throw PGDumpError(
                .truncated, "length \(count) of \(what()) exceeds the \(remaining) bytes left in the file",
                file: source.name, offset: at)
        }
        if count == 0 { return ArchiveText(bytes: []) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(remainingBytes == nil ? min(count, 1 << 20) : count)
        while bytes.count < count {
            let appended = try withReadableBytes(maximum: count - bytes.count) { chunk in
                bytes.append(contentsOf: chunk)
                return (chunk.count, chunk.count)
            }
            guard appended != nil else { throw truncated(what()) }
        }
        let visible = bytes.withUnsafeBytes { PrimitiveDecoder.visiblePrefix($0).count }
        if visible < bytes.count { bytes.removeSubrange(visible...) }
        return ArchiveText(bytes: bytes)
    }

    /// Reads a custom-format data offset. Mirrors `ReadOffset`.
    package func readPGOffset(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> StoredOffset {
        // Before 1.7 an offset is a plain integer, read (and refused) as one.
        guard layout.hasOffsetFlags else {
            let value = try readPGInt(layout, what())
            return value < 0 ? .notSet : value == 0 ? .noData : .set(Int64(value))
        }
        let decoder = PrimitiveDecoder(layout)
        let at = position
        guard let bytes = try peekBytes(count: decoder.offsetWidth) else {
            // Fail where the file ends, as pg_restore's byte-at-a-time reads do.
            for _ in 0..<decoder.offsetWidth { _ = try readByte(what()) }
            throw truncated(what())
        }
        return try take(decoder.offset(in: bytes), what(), at: at)
    }

    /// A value decoded from the peeked bytes, consumed; otherwise the error pg_restore would report.
    private func take<Value>(
        _ outcome: PrimitiveDecoder.Outcome<Value>, _ what: @autoclosure () -> String, at offset: Int64
    ) throws -> Value {
        switch outcome {
        case .value(let value, let count):
            consume(count)
            return value
        case .needsBytes:
            throw truncated(what())
        case .invalid(let problem):
            throw error(problem, what(), at: offset)
        }
    }

    /// A decoding problem, worded as pg_restore words it.
    private func error(_ problem: PrimitiveDecoder.Problem, _ what: String, at offset: Int64) -> PGDumpError {
        switch problem {
        case .integerTooWide:
            return PGDumpError(.corrupt, "integer for \(what) does not fit in 32 bits", file: source.name, offset: offset)
        case .integerOutOfRange:
            return PGDumpError(.corrupt, "integer for \(what) is out of range", file: source.name, offset: offset)
        case .offsetTooLarge:
            return PGDumpError(.corrupt, "file offset in dump file is too large", file: source.name, offset: offset)
        case .unknownOffsetFlag(let flag):
            return PGDumpError(.corrupt, "unexpected data offset flag \(flag)", file: source.name, offset: offset)
        case .stringTooLong(let count):
            // readPGString checks the limit itself, before reading the bytes; kept for completeness.
            return PGDumpError(.limitExceeded, "length \(count) of \(what) exceeds the limit", file: source.name, offset: offset)
        }
    }
}
