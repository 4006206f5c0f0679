/// Receives an entry's data as it is decompressed, a piece at a time.
///
/// Pieces are pushed, never collected, so memory stays flat whatever the entry's size. For a BLOBS entry each large
/// object's bytes are bracketed by `beginLargeObject`/`endLargeObject`.
public protocol DataSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
    mutating func beginLargeObject(oid: UInt32) throws
    mutating func endLargeObject() throws
    /// Memory of its own, at least `minimum` bytes, that a decompressor may write the next bytes into directly
    /// (then `didWrite`), saving the copy `write` makes; `nil` (the default) when the sink has none. A sink that
    /// only passes the bytes on (a channel to another thread) offers its buffer.
    mutating func writableSpace(minimum: Int) throws -> UnsafeMutableRawBufferPointer?
    /// Takes the first `count` bytes of the space `writableSpace` last returned as written.
    mutating func didWrite(count: Int) throws
}

extension DataSink {
    public mutating func beginLargeObject(oid: UInt32) throws {}
    public mutating func endLargeObject() throws {}
    public mutating func writableSpace(minimum: Int) throws -> UnsafeMutableRawBufferPointer? { nil }
    public mutating func didWrite(count: Int) throws {
        preconditionFailure("didWrite without writableSpace")
    }
}
