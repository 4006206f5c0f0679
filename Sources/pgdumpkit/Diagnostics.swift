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
///
/// A message is always one line, whatever bytes a hostile archive put in the names it quotes: line ends become
/// spaces, as pg_restore -l's `sanitize_line` makes them in listings, and other control bytes (ESC, BEL, …) are
/// written as `\xNN`, so that no message can split itself or drive the terminal.
enum Diagnostics {
    static func error(_ message: String) {
        FileOutput.standardError.writeText("pgdumpkit: error: \(oneLine(message))\n")
    }

    static func warning(_ message: String) {
        FileOutput.standardError.writeText("pgdumpkit: warning: \(oneLine(message))\n")
    }

    /// `message` with its control characters made harmless.
    static func oneLine(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return message }
        var result = ""
        for scalar in message.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D:
                result += " "
            case 0..<0x20, 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" : "") + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
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
                    let target = descriptor == STDOUT_FILENO ? "standard output" : "descriptor \(descriptor)"
                    throw CommandFailure(message: "\(target): could not write: \(SystemError.describe(errno))")
                }
                offset += count
            }
        }
    }

    func writeText(_ text: String) {
        try? write(Array(text.utf8))
    }
}
