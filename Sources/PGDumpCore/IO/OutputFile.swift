#if canImport(Glibc)
import Glibc
#endif

/// A file being written: buffered sequential writes, and positional rewrites where the file allows them.
///
/// The descriptor belongs to the caller (the command line's atomic output creates and renames files); this type only writes.
public final class OutputFile {
    public let descriptor: Int32
    public let name: String
    /// Whether earlier bytes can be rewritten (a regular file, not a pipe).
    public let isSeekable: Bool
    /// Bytes written so far, from where the file was when writing began.
    public private(set) var position: Int64 = 0
    private let startOffset: Int64
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        var info = stat()
        let regular = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        let offset = lseek(descriptor, 0, SEEK_CUR)
        isSeekable = regular && offset >= 0
        startOffset = isSeekable ? Int64(offset) : 0
        buffer.reserveCapacity(capacity)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
        position += Int64(bytes.count)
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Overwrites bytes already written, at `offset` from where writing began. Only for seekable files.
    public func rewrite(_ bytes: [UInt8], at offset: Int64) throws {
        precondition(isSeekable && offset + Int64(bytes.count) <= position)
        try flush()
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let count = pwrite(descriptor, raw.baseAddress! + done, raw.count - done, off_t(startOffset + offset) + off_t(done))
                if count < 0 {
                    if errno == EINTR { continue }
                    throw PGDumpError(.io, "could not write: \(SystemError.describe(errno))", file: name, offset: offset)
                }
                done += count
            }
        }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        try FileDescriptorSink.writeAll(bytes, to: descriptor, name: name)
    }
}
