/// Receives an entry's data as it is decompressed, a piece at a time.
///
/// Pieces are pushed, never collected, so memory stays flat whatever the entry's size. For a BLOBS entry each large
/// object's bytes are bracketed by `beginLargeObject`/`endLargeObject`.
public protocol DataSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws
    mutating func beginLargeObject(oid: UInt32) throws
    mutating func endLargeObject() throws
}

extension DataSink {
    public mutating func beginLargeObject(oid: UInt32) throws {}
    public mutating func endLargeObject() throws {}
}
