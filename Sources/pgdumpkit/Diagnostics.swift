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
        // C0 controls, DEL, and the C1 controls (U+0080–U+009F), which some terminals also obey.
        func isControl(_ value: UInt32) -> Bool { value < 0x20 || (value >= 0x7F && value <= 0x9F) }
        guard message.unicodeScalars.contains(where: { isControl($0.value) }) else { return message }
        var result = ""
        for scalar in message.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D:
                result += " "
            case let value where isControl(value):
                let hex = String(value, radix: 16)
                result += (value > 0xFF ? "\\u" : "\\x") + (hex.count == 1 ? "0" : "") + hex
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

    nonisolated(unsafe) private static var standardOutputChecked = false

    /// Standard output redirected onto an input (`pgdumpkit list a.dump >> a.dump`) is refused before the first
    /// byte, as every other output that resolves to an input is.
    private func checkNotAnInput() throws {
        guard descriptor == STDOUT_FILENO, !Self.standardOutputChecked else { return }
        Self.standardOutputChecked = true
        var info = stat()
        if fstat(STDOUT_FILENO, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
            InputFiles.identities.contains(InputFiles.identity(of: info))
        {
            throw CommandFailure(message: "standard output is an input of this command; refusing to write to it")
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try checkNotAnInput()
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
