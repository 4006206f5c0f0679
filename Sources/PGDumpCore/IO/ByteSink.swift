#if canImport(Glibc)
import Glibc
#endif

/// A destination for output bytes: a file descriptor or memory.
public protocol ByteSink: AnyObject {
    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Collects output in memory, for tests and small outputs.
public final class MemoryByteSink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
}

/// Writes to a file descriptor, looping over short writes and retrying interrupted ones.
public final class FileDescriptorSink: ByteSink {
    public let descriptor: Int32
    public let name: String

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw PGDumpError(.io, "could not write: \(SystemError.describe(errno))", file: name)
            }
            offset += count
        }
    }
}

/// Collects small writes into one large buffer and hands it to a sink when full, so output costs one system call
/// per buffer, not per line.
package final class OutputBuffer {
    private let sink: ByteSink
    private var buffer: [UInt8] = []
    private let capacity: Int

    package init(sink: ByteSink, capacity: Int = 256 << 10) {
        self.sink = sink
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    package func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    package func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    package func append(_ text: ArchiveText) {
        buffer.append(contentsOf: text.bytes)
    }

    /// Appends data; a large piece (a decompressor's output) goes to the sink as it is, after what is buffered,
    /// rather than being copied once more: a system call per 64 KiB costs less than the copy.
    package func append(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= capacity / 4 {
            try flush()
            try sink.write(bytes)
            return
        }
        if buffer.count + bytes.count > capacity { try flush() }
        buffer.append(contentsOf: bytes)
    }

    /// Writes what is buffered when the buffer is full.
    package func flushIfFull() throws {
        if buffer.count >= capacity { try flush() }
    }

    package func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
