/// A source of archive bytes: a file, a pipe, a decompressed stream or memory.
///
/// Reads are sequential from the current position. Sources that can seek say so; a pipe cannot, and skipping over
/// its bytes means reading them.
public protocol ByteSource: AnyObject {
    /// A name for messages: the path, `-` for standard input, or a member name.
    var name: String { get }
    /// The total size, when it is known without reading (regular files, memory).
    var size: Int64? { get }
    /// Whether `seek(to:)` works.
    var isSeekable: Bool { get }
    /// The offset of the next byte `read(into:)` returns.
    var position: Int64 { get }
    /// The bytes taken from storage so far, for progress displays: read from the file or pipe, or, for a source
    /// that decompresses another, the compressed bytes taken from that one. Seeking does not count.
    var bytesRead: Int64 { get }
    /// Reads up to `buffer.count` bytes; returns 0 only at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Moves to an absolute offset. Only valid when `isSeekable`.
    func seek(to offset: Int64) throws
    /// A second source over the same bytes with a position of its own, for reading elsewhere on another thread
    /// (a regular file's descriptor, shared through `pread`); `nil` when the bytes can be read only once (a pipe).
    func makeIndependentSource() -> ByteSource?
}

extension ByteSource {
    public func makeIndependentSource() -> ByteSource? { nil }

    /// Everything left to read, for small files (a list, a filter file, a configuration file); `nil` when there
    /// are more than `limit` bytes, which the caller reports as it sees fit.
    public func readRemaining(upTo limit: Int) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { return nil }
            bytes += chunk[0..<count]
        }
    }
}

/// An in-memory source, for tests and fuzzing. It can pretend to be a pipe and can return short reads.
package final class MemoryByteSource: ByteSource {
    package let name: String
    private let bytes: [UInt8]
    private let maximumReadSize: Int
    package let isSeekable: Bool
    package private(set) var position: Int64 = 0
    package private(set) var bytesRead: Int64 = 0

    /// - Parameters:
    ///   - seekable: `false` makes it behave like a pipe (no size, no seeking).
    ///   - maximumReadSize: the most bytes one `read` returns, to exercise refill paths.
    package init(_ bytes: [UInt8], name: String = "<memory>", seekable: Bool = true, maximumReadSize: Int = .max) {
        self.bytes = bytes
        self.name = name
        self.isSeekable = seekable
        self.maximumReadSize = max(1, maximumReadSize)
    }

    package var size: Int64? { isSeekable ? Int64(bytes.count) : nil }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let start = Int(position)
        let count = min(buffer.count, bytes.count - start, maximumReadSize)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + start, byteCount: count)
        }
        position += Int64(count)
        bytesRead += Int64(count)
        return count
    }

    /// The array is shared, not copied: it is never written.
    package func makeIndependentSource() -> ByteSource? {
        guard isSeekable else { return nil }
        return MemoryByteSource(bytes, name: name, seekable: true, maximumReadSize: maximumReadSize)
    }

    package func seek(to offset: Int64) throws {
        guard isSeekable else { throw PGDumpError(.io, "cannot seek in this input", file: name) }
        guard offset >= 0, offset <= Int64(bytes.count) else {
            throw PGDumpError(.truncated, "seek to offset \(offset) beyond the end of the input", file: name)
        }
        position = offset
    }
}
