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
        try Self.writeAll(bytes, to: descriptor, name: name)
    }

    /// Writes all of `bytes` to `descriptor`, looping over short writes and retrying interrupted ones; errors name
    /// the file as `name`. Shared with `OutputFile`.
    package static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, name: String) throws {
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
