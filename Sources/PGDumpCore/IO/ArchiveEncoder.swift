/// Encodes pg_dump's primitives into a byte buffer: the writing side of `PrimitiveDecoder`. Mirrors
/// `WriteInt`, `WriteStr`, `WriteOffset`.
package struct ArchiveEncoder {
    package private(set) var bytes: [UInt8] = []
    package let layout: IntegerLayout

    package init(layout: IntegerLayout) { self.layout = layout }

    package mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }

    package mutating func writeBytes<S: Sequence>(_ data: S) where S.Element == UInt8 { bytes.append(contentsOf: data) }

    /// A sign byte (after 1.0), then `intSize` bytes of the magnitude, little-endian. Version 1.0 stores two's
    /// complement without a sign byte.
    package mutating func writePGInt(_ value: Int32) {
        var magnitude: UInt64
        if layout.hasSignByte {
            bytes.append(value < 0 ? 1 : 0)
            magnitude = UInt64(value.magnitude)
        } else {
            magnitude = UInt64(UInt32(bitPattern: value))
        }
        for _ in 0..<layout.intSize {
            bytes.append(UInt8(truncatingIfNeeded: magnitude))
            magnitude >>= 8
        }
    }

    /// A length and the bytes; NULL is length −1.
    package mutating func writePGString(_ text: ArchiveText?) {
        guard let text else {
            writePGInt(-1)
            return
        }
        writePGInt(Int32(text.count))
        bytes.append(contentsOf: text.bytes)
    }

    /// A custom-format data offset: a flag byte and `offSize` bytes (1.7+), or a plain integer before.
    package mutating func writePGOffset(_ offset: StoredOffset) {
        if !layout.hasOffsetFlags {
            switch offset {
            case .notSet: writePGInt(-1)
            case .noData: writePGInt(0)
            case .set(let position): writePGInt(Int32(clamping: position))
            }
            return
        }
        var value: UInt64 = 0
        switch offset {
        case .notSet: bytes.append(1)
        case .set(let position):
            bytes.append(2)
            value = UInt64(position)
        case .noData: bytes.append(3)
        }
        for _ in 0..<layout.offSize {
            bytes.append(UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
    }
}
