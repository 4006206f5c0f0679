#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one decoder of pg_dump's primitives (`ReadInt`, `ReadStr`, `ReadOffset`) from bytes in memory.
///
/// Like swift-nio's `readInteger` returning `nil`, a decode that runs out of bytes says how many it needs rather
/// than failing, so the same code serves the careful reader (`BufferedReader.readPGInt` and friends, which
/// refill, or report the truncation, and word each problem as pg_restore would) and the fast TOC path (which
/// parses straight from its buffer and hands anything unusual to the careful one).
///
/// Public, with its `IntegerLayout` and `StoredOffset`, for one reason: it runs per TOC field and per data chunk
/// from the format drivers, another module, and Swift 6.3 inlines `@inlinable` bodies across modules only for
/// public declarations (as `package` ones, `list` ran 6 % more instructions than before the split). It is also
/// what a new format driver decodes pg_dump's primitives with.
public struct PrimitiveDecoder {
    public let layout: IntegerLayout

    @inlinable @inline(__always)
    public init(_ layout: IntegerLayout) { self.layout = layout }

    /// What a decode found.
    public enum Outcome<Value> {
        /// The value, and the bytes it occupied.
        case value(Value, byteCount: Int)
        /// At least this many bytes (from the start of the bytes given) are needed.
        case needsBytes(Int)
        /// The bytes hold no valid value.
        case invalid(Problem)
    }

    /// Why stored bytes hold no valid value.
    public enum Problem: Hashable, Sendable {
        /// An integer with non-zero bytes beyond 32 bits.
        case integerTooWide
        /// An integer whose magnitude does not fit in an `Int32`.
        case integerOutOfRange
        /// An offset beyond 2^63 - 1, or with non-zero bytes beyond 8.
        case offsetTooLarge
        /// An offset flag other than 1, 2 or 3.
        case unknownOffsetFlag(UInt8)
        /// A string longer than the caller's limit.
        case stringTooLong(Int)
    }

    /// Bytes in one stored integer: the sign byte, if any, and the magnitude.
    @inlinable @inline(__always)
    public var intWidth: Int { layout.intWidth }

    /// Bytes in one stored offset.
    @inlinable @inline(__always)
    public var offsetWidth: Int { layout.hasOffsetFlags ? 1 + layout.offSize : layout.intWidth }

    /// An integer. Mirrors `ReadInt`.
    @inlinable @inline(__always)
    public func int(in bytes: UnsafeRawBufferPointer) -> Outcome<Int32> {
        let width = layout.intWidth
        guard bytes.count >= width else { return .needsBytes(width) }
        if layout.hasSignByte && layout.intSize == 4 {
            // What every pg_dump since 7.1 writes, read in one load.
            let magnitude = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt32.self))
            if bytes[0] == 0 {
                return magnitude <= UInt32(Int32.max)
                    ? .value(Int32(magnitude), byteCount: width) : .invalid(.integerOutOfRange)
            }
            return magnitude <= UInt32(1) << 31
                ? .value(Int32(truncatingIfNeeded: 0 &- Int64(magnitude)), byteCount: width) : .invalid(.integerOutOfRange)
        }
        var index = 0
        var negative = false
        if layout.hasSignByte {
            negative = bytes[0] != 0
            index = 1
        }
        var magnitude: UInt64 = 0
        var shift: UInt64 = 0
        while index < width {
            let byte = UInt64(bytes[index])
            if byte != 0 {
                guard shift < 32 else { return .invalid(.integerTooWide) }
                magnitude |= byte << shift
            }
            shift += 8
            index += 1
        }
        if !layout.hasSignByte {
            // Version 1.0 stored two's complement with no sign byte; pg reads it into an int, wrapping.
            return .value(Int32(truncatingIfNeeded: magnitude), byteCount: width)
        }
        if negative {
            guard magnitude <= UInt64(Int32.max) + 1 else { return .invalid(.integerOutOfRange) }
            return .value(Int32(truncatingIfNeeded: 0 &- Int64(magnitude)), byteCount: width)
        }
        guard magnitude <= UInt64(Int32.max) else { return .invalid(.integerOutOfRange) }
        return .value(Int32(magnitude), byteCount: width)
    }

    /// A custom-format data offset. Mirrors `ReadOffset`: before 1.7 a plain integer (negative: not set, zero: no
    /// data); since, a flag byte and `offSize` bytes little-endian.
    @inlinable @inline(__always)
    public func offset(in bytes: UnsafeRawBufferPointer) -> Outcome<StoredOffset> {
        guard layout.hasOffsetFlags else {
            switch int(in: bytes) {
            case .value(let value, let count):
                return .value(value < 0 ? .notSet : value == 0 ? .noData : .set(Int64(value)), byteCount: count)
            case .needsBytes(let count): return .needsBytes(count)
            case .invalid(let problem): return .invalid(problem)
            }
        }
        let width = offsetWidth
        guard bytes.count >= width else { return .needsBytes(width) }
        var value: UInt64 = 0
        for index in 0..<layout.offSize {
            let byte = UInt64(bytes[1 + index])
            if index < 8 {
                value |= byte << UInt64(index * 8)
            } else if byte != 0 {
                return .invalid(.offsetTooLarge)
            }
        }
        switch bytes[0] {
        case 1: return .value(.notSet, byteCount: width)
        case 2:
            guard value <= UInt64(Int64.max) else { return .invalid(.offsetTooLarge) }
            return .value(.set(Int64(value)), byteCount: width)
        case 3: return .value(.noData, byteCount: width)
        case let flag: return .invalid(.unknownOffsetFlag(flag))
        }
    }

    /// A string held whole in `bytes`: its length, then its bytes up to an embedded NUL (pg reads strings as C
    /// strings, so everything after one is invisible to it); `nil` for NULL (a negative length). Mirrors `ReadStr`.
    @inlinable @inline(__always)
    public func string(in bytes: UnsafeRawBufferPointer, limit: Int) -> Outcome<UnsafeRawBufferPointer?> {
        let length: Int32
        let width: Int
        switch int(in: bytes) {
        case .value(let value, let count): (length, width) = (value, count)
        case .needsBytes(let count): return .needsBytes(count)
        case .invalid(let problem): return .invalid(problem)
        }
        if length < 0 { return .value(nil, byteCount: width) }
        let count = Int(length)
        guard count <= limit else { return .invalid(.stringTooLong(count)) }
        guard bytes.count - width >= count else { return .needsBytes(width + count) }
        return .value(Self.visiblePrefix(UnsafeRawBufferPointer(rebasing: bytes[width..<(width + count)])), byteCount: width + count)
    }

    /// A stored string's bytes as pg sees them: up to the first NUL.
    @inlinable @inline(__always)
    public static func visiblePrefix(_ stored: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard !stored.isEmpty, let nul = memchr(stored.baseAddress!, 0, stored.count) else { return stored }
        return UnsafeRawBufferPointer(rebasing: stored[..<(UnsafeRawPointer(nul) - stored.baseAddress!)])
    }
}
