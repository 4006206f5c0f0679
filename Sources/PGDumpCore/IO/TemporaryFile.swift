#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An unlinked temporary file: written by appending, read at any offset, gone with its descriptor whatever
/// happens. Where data must leave memory (a script's data read from a pipe, a row too large to hold), it goes here.
package final class TemporaryFile {
    private let descriptor: Int32
    /// What the file holds, for messages ("the script's data").
    private let purpose: String
    /// Bytes written so far: the offset of the next append.
    package private(set) var size: Int64 = 0

    /// Creates the file in `$TMPDIR`, else `/var/tmp` (on disk where `/tmp` may be memory), else `/tmp`, and
    /// unlinks it at once.
    package init(purpose: String, prefix: String) throws {
        let candidates = (getenv("TMPDIR").map { [String(cString: $0)] } ?? []).filter { !$0.isEmpty }
            + ["/var/tmp", "/tmp"]
        var opened: Int32 = -1
        var lastError: Int32 = 0
        for directory in candidates {
            var template = Array((directory + "/" + prefix + "-XXXXXX").utf8CString)
            opened = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if opened >= 0 {
                unlink(String(nulTerminated: template))
                break
            }
            lastError = errno
        }
        guard opened >= 0 else {
            throw PGDumpError(
                .io, "could not create a temporary file for \(purpose): \(SystemError.describe(lastError))",
                file: candidates[0])
        }
        descriptor = opened
        self.purpose = purpose
    }

    deinit { close(descriptor) }

    /// Appends `bytes`.
    package func append(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = pwrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset, off_t(size))
            if written < 0 {
                if errno == EINTR { continue }
                throw PGDumpError(.io, "could not write the temporary file for \(purpose): \(SystemError.describe(errno))")
            }
            offset += written
            size += Int64(written)
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end.
    package func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress!, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw PGDumpError(.io, "could not read the temporary file for \(purpose): \(SystemError.describe(errno))")
        }
    }

    /// Empties the file, to be written again from the start.
    package func truncate() {
        size = 0
        _ = ftruncate(descriptor, 0)
    }
}
