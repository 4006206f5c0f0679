#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or pipe read through its descriptor.
///
/// Regular files are read with `pread` at a tracked position, so the descriptor's own offset is never relied on;
/// pipes and terminals are read with `read`. The descriptor is closed when the source is released, unless it was
/// borrowed (standard input).
public final class FileByteSource: ByteSource {
    public let name: String
    public let size: Int64?
    public let isSeekable: Bool
    public private(set) var position: Int64 = 0
    public private(set) var bytesRead: Int64 = 0
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The source that owns a shared descriptor, kept alive (and the descriptor open) while this one reads it.
    private let descriptorOwner: FileByteSource?

    /// Opens `path` for reading. The file is never opened for writing.
    public convenience init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw PGDumpError(.io, "could not open for reading: \(SystemError.describe(errno))", file: path)
        }
        do {
            try self.init(descriptor: fd, name: path, ownsDescriptor: true)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Reads standard input, which may be a pipe or a redirected file.
    public static func standardInput() throws -> FileByteSource {
        try FileByteSource(descriptor: STDIN_FILENO, name: "-", ownsDescriptor: false)
    }

    private init(descriptor: Int32, name: String, ownsDescriptor: Bool) throws {
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        descriptorOwner = nil
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw PGDumpError(.io, "could not stat: \(SystemError.describe(errno))", file: name)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw PGDumpError(.io, "is a directory", file: name)
        }
        // Only regular files are treated as seekable: pg_restore's checkSeek does the same in effect, and a
        // pipe's lseek may appear to succeed.
        if (info.st_mode & S_IFMT) == S_IFREG {
            let start = lseek(descriptor, 0, SEEK_CUR)
            isSeekable = start >= 0
            size = isSeekable ? Int64(info.st_size) : nil
            position = max(0, Int64(start))
        } else {
            isSeekable = false
            size = nil
        }
    }

    /// A regular file's second cursor: the same descriptor, read with `pread` at a position of its own.
    private init(sharing owner: FileByteSource) {
        descriptor = owner.descriptor
        name = owner.name
        size = owner.size
        isSeekable = true
        position = owner.position
        ownsDescriptor = false
        descriptorOwner = owner.descriptorOwner ?? owner
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Only a regular file: it is read with `pread`, which leaves the descriptor's offset alone.
    public func makeIndependentSource() -> ByteSource? {
        isSeekable ? FileByteSource(sharing: self) : nil
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = isSeekable ? pread(descriptor, base, buffer.count, off_t(position)) : Glibc.read(descriptor, base, buffer.count)
            if count >= 0 {
                position += Int64(count)
                bytesRead += Int64(count)
                return count
            }
            if errno == EINTR { continue }
            throw PGDumpError(.io, "could not read: \(SystemError.describe(errno))", file: name, offset: position)
        }
    }

    public func seek(to offset: Int64) throws {
        guard isSeekable else { throw PGDumpError(.io, "cannot seek in a pipe", file: name) }
        guard offset >= 0 else { throw PGDumpError(.corrupt, "negative file offset \(offset)", file: name) }
        position = offset
    }

    /// Reads up to `buffer.count` bytes at `offset` of a regular file (pread), leaving `position` alone; 0 at
    /// the end.
    package func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard isSeekable else { throw PGDumpError(.io, "cannot read at an offset of a pipe", file: name) }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = pread(descriptor, base, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw PGDumpError(.io, "could not read: \(SystemError.describe(errno))", file: name, offset: offset)
        }
    }

    /// What identifies the open regular file and its version now (`fstat` of the descriptor); `nil` for a pipe
    /// or when `fstat` fails.
    package func identity() -> FileIdentity? {
        guard isSeekable else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(info)
    }
}

/// A regular file's device, inode, size and times (nanoseconds), as `stat` gives them: what tells that a file
/// is the one seen before, unchanged.
package struct FileIdentity: Hashable, Sendable {
    package var device: UInt64
    package var inode: UInt64
    package var size: Int64
    package var modificationSeconds: Int64
    package var modificationNanoseconds: Int64
    package var changeSeconds: Int64
    package var changeNanoseconds: Int64

    package init(
        device: UInt64, inode: UInt64, size: Int64, modificationSeconds: Int64, modificationNanoseconds: Int64,
        changeSeconds: Int64, changeNanoseconds: Int64
    ) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modificationSeconds = modificationSeconds
        self.modificationNanoseconds = modificationNanoseconds
        self.changeSeconds = changeSeconds
        self.changeNanoseconds = changeNanoseconds
    }

    package init(_ info: stat) {
        #if canImport(Darwin)
        let modification = info.st_mtimespec, change = info.st_ctimespec
        #else
        let modification = info.st_mtim, change = info.st_ctim
        #endif
        self.init(
            device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino),
            size: Int64(info.st_size), modificationSeconds: Int64(modification.tv_sec),
            modificationNanoseconds: Int64(modification.tv_nsec), changeSeconds: Int64(change.tv_sec),
            changeNanoseconds: Int64(change.tv_nsec))
    }

    /// The identity of the file at `path` (following symbolic links), or `nil`.
    package static func of(path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(info)
    }
}

/// Text for `errno` values.
public enum SystemError {
    public static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }
}
