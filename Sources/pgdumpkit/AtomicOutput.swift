import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

/// Output files are written under a temporary name in the same directory and renamed into place only when
/// complete, so a failure never leaves a half-written file where the output should be.
enum AtomicOutput {
    /// Calls `body` with a sink for `path` (`-`: standard output, written directly).
    static func write(to path: String, replacing: Bool, _ body: (ByteSink) throws -> Void) throws {
        try withDescriptor(for: path, replacing: replacing) { descriptor, name in
            try body(FileDescriptorSink(descriptor: descriptor, name: name))
        }
    }

    /// Calls `body` with a descriptor open for writing `path` (`-`: standard output), renaming the temporary
    /// file into place only when `body` returns.
    static func withDescriptor(
        for path: String, replacing: Bool, _ body: (Int32, String) throws -> Void
    ) throws {
        if path == "-" {
            try body(STDOUT_FILENO, "standard output")
            return
        }
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) != S_IFREG {
                // A device or FIFO (/dev/null, a named pipe): written to directly, never replaced.
                guard (info.st_mode & S_IFMT) != S_IFDIR else {
                    throw CommandFailure(message: "\(path): is a directory")
                }
                let descriptor = open(path, O_WRONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    throw CommandFailure(message: "\(path): could not open for writing: \(String(cString: strerror(errno)))")
                }
                defer { close(descriptor) }
                try body(descriptor, path)
                return
            }
            if !replacing {
                throw CommandFailure(message: "\(path): file exists; use --force to replace it")
            }
        }
        var descriptor: Int32 = -1
        let temporary = try TemporaryPaths.create(isDirectory: false) {
            var template = Array((path + ".pgdumpkit-XXXXXX").utf8CString)
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else {
                throw CommandFailure(message: "\(path): could not create output file: \(String(cString: strerror(errno)))")
            }
            return String(cString: template)
        }
        defer { TemporaryPaths.unregister(temporary) }
        do {
            try body(descriptor, path)
            guard fsync(descriptor) == 0 || errno == EINVAL, close(descriptor) == 0 else {
                throw CommandFailure(message: "\(path): could not write output file: \(String(cString: strerror(errno)))")
            }
            fchmodUmask(temporary)
            guard rename(temporary, path) == 0 else {
                throw CommandFailure(message: "\(path): could not rename output file: \(String(cString: strerror(errno)))")
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
    }

    /// mkstemp creates files with mode 0600; give the output the mode a new file would have had.
    private static func fchmodUmask(_ path: String) {
        let mask = umask(0)
        umask(mask)
        chmod(path, 0o666 & ~mask)
    }
}
