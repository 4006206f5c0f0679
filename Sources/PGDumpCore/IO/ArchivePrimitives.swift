/// How integers and offsets are stored in one archive. Derived from the header.
package struct IntegerLayout: Sendable, Hashable {
    /// Bytes of magnitude in each integer.
    package var intSize: Int
    /// Bytes in each file offset.
    package var offSize: Int
    /// Whether integers carry a sign byte (every version after 1.0).
    package var hasSignByte: Bool
    /// Whether offsets are a flag byte plus `offSize` bytes (1.7+) rather than a plain integer.
    package var hasOffsetFlags: Bool

    package static let current = IntegerLayout(intSize: 4, offSize: 8, hasSignByte: true, hasOffsetFlags: true)

    package init(intSize: Int, offSize: Int, hasSignByte: Bool, hasOffsetFlags: Bool) {
        self.intSize = intSize
        self.offSize = offSize
        self.hasSignByte = hasSignByte
        self.hasOffsetFlags = hasOffsetFlags
    }
}

/// The state of a custom-format data offset. Mirrors `K_OFFSET_*`.
package enum StoredOffset: Hashable, Sendable {
    case notSet
    case set(Int64)
    case noData
}

extension IntegerLayout {
    /// Bytes in one stored integer: the sign byte, if any, and the magnitude.
    package var intWidth: Int { intSize + (hasSignByte ? 1 : 0) }

    /// An integer decoded from its stored bytes, or why it does not fit in 32 bits.
    package enum DecodedInt {
        case value(Int32)
        case tooWide
        case outOfRange
    }

    /// Decodes one integer from exactly `intWidth` bytes. Mirrors `ReadInt`.
    package func decodeInt(_ bytes: UnsafeRawBufferPointer) -> DecodedInt {
        if hasSignByte && intSize == 4 {
            // What every pg_dump since 7.1 writes, read in one load.
            let magnitude = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt32.self))
            if bytes[0] == 0 {
                return magnitude <= UInt32(Int32.max) ? .value(Int32(magnitude)) : .outOfRange
            }
            return magnitude <= UInt32(1) << 31 ? .value(Int32(truncatingIfNeeded: 0 &- Int64(magnitude))) : .outOfRange
        }
        var index = 0
        var negative = false
        if hasSignByte {
            negative = bytes[0] != 0
            index = 1
        }
        var magnitude: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            let byte = UInt64(bytes[index])
            if byte != 0 {
                guard shift < 32 else { return .tooWide }
                magnitude |= byte << shift
            }
            shift += 8
            index += 1
        }
        if !hasSignByte {
            // Version 1.0 stored two's complement with no sign byte; pg reads it into an int, wrapping.
            return .value(Int32(truncatingIfNeeded: magnitude))
        }
        if negative {
            guard magnitude <= UInt64(Int32.max) + 1 else { return .outOfRange }
            return .value(Int32(truncatingIfNeeded: 0 &- Int64(magnitude)))
        }
        guard magnitude <= UInt64(Int32.max) else { return .outOfRange }
        return .value(Int32(magnitude))
    }
}

extension BufferedReader {
    /// Reads an archive integer: a sign byte (after 1.0), then `intSize` bytes little-endian. Mirrors `ReadInt`.
    package func readPGInt(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32 {
        let width = layout.intWidth
        let at = position
        guard let bytes = try peekBytes(count: width) else { throw truncated(what()) }
        switch layout.decodeInt(bytes) {
        case .value(let value):
            consume(width)
            return value
        case .tooWide:
            throw PGDumpError(.corrupt, "integer for \(what()) does not fit in 32 bits", file: source.name, offset: at)
        case .outOfRange:
            throw PGDumpError(.corrupt, "integer for \(what()) is out of range", file: source.name, offset: at)
        }
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
        // pg reads strings as C strings: everything after an embedded NUL is invisible to it.
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        return ArchiveText(bytes: bytes)
    }

    /// Reads a custom-format data offset. Mirrors `ReadOffset`.
    package func readPGOffset(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> StoredOffset {
        let at = position
        if !layout.hasOffsetFlags {
            // Before 1.7: a plain integer; negative means not set, zero means no data.
            let value = try readPGInt(layout, what())
            if value < 0 { return .notSet }
            if value == 0 { return .noData }
            return .set(Int64(value))
        }
        let flag = try readByte(what())
        var value: UInt64 = 0
        for index in 0..<layout.offSize {
            let byte = UInt64(try readByte(what()))
            if index < 8 {
                value |= byte << UInt64(index * 8)
            } else if byte != 0 {
                throw PGDumpError(.corrupt, "file offset in dump file is too large", file: source.name, offset: at)
            }
        }
        switch flag {
        case 1: return .notSet
        case 2:
            guard value <= UInt64(Int64.max) else {
                throw PGDumpError(.corrupt, "file offset in dump file is too large", file: source.name, offset: at)
            }
            return .set(Int64(value))
        case 3: return .noData
        default:
            throw PGDumpError(.corrupt, "unexpected data offset flag \(flag)", file: source.name, offset: at)
        }
    }
}
