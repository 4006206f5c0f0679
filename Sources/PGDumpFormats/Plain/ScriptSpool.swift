import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An unlinked temporary file that holds the data blocks of a script read from a pipe or through a decompressor,
/// so that memory stays flat while the one forward pass indexes the script. It disappears with its descriptor.
final class ScriptSpool {
    private let descriptor: Int32
    /// Bytes written so far: the offset of the next write.
    private(set) var size: Int64 = 0

    /// Creates the file in `$TMPDIR` (or `/tmp`), unlinked at once.
    init() throws {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(directory)/pgdumpkit-spool-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw PGDumpError(
                .io, "could not create a temporary file in \(directory) to hold the script's data: \(SystemError.describe(errno))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Appends `bytes`.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset, off_t(size))
            if written < 0 {
                if errno == EINTR { continue }
                throw PGDumpError(.io, "could not write the temporary file holding the script's data: \(SystemError.describe(errno))")
            }
            offset += written
            size += Int64(written)
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw PGDumpError(.io, "could not read the temporary file holding the script's data: \(SystemError.describe(errno))")
        }
    }
}
