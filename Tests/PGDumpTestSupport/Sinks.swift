import PGDumpKit

/// A sink that keeps a running digest and counts, for comparing data streams without holding them.
public struct DigestSink: DataSink {
    public private(set) var byteCount: Int64 = 0
    public private(set) var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    public private(set) var largeObjects: [UInt32] = []
    /// The last bytes seen, to check how a stream ends.
    public private(set) var tail: [UInt8] = []
    private var insideLargeObject = false

    public init() {}

    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        // FNV-1a over the bytes: order-sensitive, independent of how the stream was cut into pieces.
        for byte in bytes {
            digest = (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        byteCount += Int64(bytes.count)
        tail.append(contentsOf: bytes.suffix(8))
        if tail.count > 8 { tail.removeFirst(tail.count - 8) }
    }

    public mutating func beginLargeObject(oid: UInt32) throws {
        precondition(!insideLargeObject, "nested large object")
        insideLargeObject = true
        largeObjects.append(oid)
        digest = (digest ^ UInt64(oid)) &* 0x0000_0100_0000_01b3
    }

    public mutating func endLargeObject() throws {
        precondition(insideLargeObject, "endLargeObject without begin")
        insideLargeObject = false
    }
}

/// A sink that keeps every byte; for small test streams only.
public struct CollectingSink: DataSink {
    public var bytes: [UInt8] = []
    public var largeObjects: [(oid: UInt32, bytes: [UInt8])] = []
    private var current: [UInt8]?

    public init() {}

    public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        if current != nil { current!.append(contentsOf: bytes) } else { self.bytes.append(contentsOf: bytes) }
    }

    public mutating func beginLargeObject(oid: UInt32) throws {
        current = []
        largeObjects.append((oid, []))
    }

    public mutating func endLargeObject() throws {
        largeObjects[largeObjects.count - 1].bytes = current ?? []
        current = nil
    }
}
