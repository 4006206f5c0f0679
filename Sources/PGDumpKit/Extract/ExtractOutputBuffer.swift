import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// A large output buffer for the row writers, handed to a `ByteSink` one buffer at a time.
///
/// The writers append a byte at a time around escapes and quotes, so unlike `OutputBuffer` (which is made of
/// `[UInt8]` appends for SQL text) this keeps a raw buffer: appending a byte is a store and a compare, with no
/// uniqueness or capacity check of an array in the per-byte path.
final class ExtractOutputBuffer {
    private let sink: ByteSink
    private let storage: UnsafeMutableRawPointer
    private let capacity: Int
    private var count = 0
    /// Bytes handed to the sink or still buffered.
    private(set) var totalBytes: Int64 = 0

    init(sink: ByteSink, capacity: Int = 1 << 20) {
        self.sink = sink
        self.capacity = max(capacity, 4096)
        storage = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    @inline(__always)
    func append(_ byte: UInt8) throws {
        if count == capacity { try flush() }
        storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
        totalBytes += 1
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        totalBytes += Int64(bytes.count)
        if bytes.count <= capacity - count {
            (storage + count).copyMemory(from: base, byteCount: bytes.count)
            count += bytes.count
            return
        }
        try flush()
        if bytes.count >= capacity {
            // Larger than the buffer: hand it over without copying.
            try sink.write(bytes)
        } else {
            storage.copyMemory(from: base, byteCount: bytes.count)
            count = bytes.count
        }
    }

    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    func flush() throws {
        guard count > 0 else { return }
        try sink.write(UnsafeRawBufferPointer(start: storage, count: count))
        count = 0
    }
}
