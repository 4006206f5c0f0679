import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

/// A failure the CLI reports with its own exit status.
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32 = 1
}

/// Messages on standard error, in pg_restore's style: `pgdumpkit: error: ...`.
enum Diagnostics {
    static func error(_ message: String) {
        FileOutput.standardError.writeText("pgdumpkit: error: \(message)\n")
    }

    static func warning(_ message: String) {
        FileOutput.standardError.writeText("pgdumpkit: warning: \(message)\n")
    }

    static func report(_ warnings: [ArchiveWarning]) {
        for warning in warnings { self.warning(warning.message) }
    }
}

/// Unbuffered writes to a descriptor, looping over short writes.
struct FileOutput {
    let descriptor: Int32

    static let standardOutput = FileOutput(descriptor: STDOUT_FILENO)
    static let standardError = FileOutput(descriptor: STDERR_FILENO)

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw CommandFailure(message: "could not write output: \(String(cString: strerror(errno)))")
                }
                offset += count
            }
        }
    }

    func writeText(_ text: String) {
        try? write(Array(text.utf8))
    }
}
