#if canImport(Glibc)
import Glibc
#endif

/// Where an output that is not a descriptor goes (an object being uploaded): its bytes in order, after a head
/// that is held back until the end, so that a writer can still rewrite it (a custom archive's TOC, whose offsets
/// are known last).
public protocol OutputStreamTarget: AnyObject {
    /// The smallest head the target wants held (S3's multipart parts but the last are at least 5 MiB).
    var minimumHead: Int { get }
    /// The output's next bytes after the head.
    func append(_ bytes: UnsafeRawBufferPointer) throws
    /// Ends the output with its head, now final; the output exists, whole, only once this returns.
    func complete(head: [UInt8]) throws
    /// Gives the output up, leaving nothing of it behind; best effort: what it could not clean up is returned as
    /// a warning to show.
    func abort() -> String?
}

/// A file being written: buffered sequential writes, and positional rewrites where the file allows them.
///
/// The descriptor belongs to the caller (the command line's atomic output creates and renames files); this type only writes.
/// An output to an `OutputStreamTarget` is sequential but for its head: `reserveRewritable(through:)` asks for
/// the first bytes to stay rewritable.
public final class OutputFile: ByteSink {
    public let name: String
    /// Whether earlier bytes can be rewritten anywhere (a regular file, not a pipe or an upload).
    public let isSeekable: Bool
    /// Bytes written so far, from where the file was when writing began.
    public private(set) var position: Int64 = 0
    private let descriptor: Int32
    private let startOffset: Int64
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    private let stream: (any OutputStreamTarget)?
    /// A stream's first bytes, held until `completeStream()`; `headLimit` of them at most.
    private var head: [UInt8] = []
    private var headLimit = 0
    /// How many bytes went past the head to the stream.
    private var released: Int64 = 0

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        self.stream = nil
        var info = stat()
        let regular = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        let offset = lseek(descriptor, 0, SEEK_CUR)
        isSeekable = regular && offset >= 0
        startOffset = isSeekable ? Int64(offset) : 0
        buffer.reserveCapacity(capacity)
    }

    /// An output sent to `stream`, holding at least its `minimumHead` first bytes until `completeStream()`.
    public init(stream: any OutputStreamTarget, name: String) {
        self.descriptor = -1
        self.name = name
        self.stream = stream
        isSeekable = false
        startOffset = 0
        headLimit = stream.minimumHead
        head.reserveCapacity(headLimit)
        buffer.reserveCapacity(capacity)
    }

    /// Asks for the bytes before `end` to stay rewritable until the output is finished: always so on a seekable
    /// file; on a stream while none of them has been sent (the head then grows to `end`); never on a pipe.
    public func reserveRewritable(through end: Int64) -> Bool {
        if isSeekable { return true }
        guard stream != nil, released == 0 else { return false }
        headLimit = max(headLimit, Int(end))
        return true
    }

    /// Flushes a stream output and completes it with its head: the output is whole once this returns.
    public func completeStream() throws {
        guard let stream else { return }
        try flush()
        try stream.complete(head: head)
    }

    /// Gives up a stream output (nothing of it is left); returns a warning when that failed.
    public func abortStream() -> String? {
        stream?.abort()
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

    /// Overwrites bytes already written, at `offset` from where writing began. Only for seekable files, and
    /// within what `reserveRewritable(through:)` granted.
    public func rewrite(_ bytes: [UInt8], at offset: Int64) throws {
        precondition(offset + Int64(bytes.count) <= position)
        try flush()
        if stream != nil {
            precondition(offset + Int64(bytes.count) <= Int64(head.count))
            head.replaceSubrange(Int(offset)..<Int(offset) + bytes.count, with: bytes)
            return
        }
        precondition(isSeekable)
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
        guard let stream else {
            try FileDescriptorSink.writeAll(bytes, to: descriptor, name: name)
            return
        }
        var rest = bytes
        if head.count < headLimit {
            let taken = min(headLimit - head.count, rest.count)
            head.append(contentsOf: rest.prefix(taken))
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(taken))
        }
        guard !rest.isEmpty else { return }
        released += Int64(rest.count)
        try stream.append(rest)
    }
}
