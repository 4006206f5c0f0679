#if canImport(Glibc)
import Glibc
#endif

/// A progress line on standard error, redrawn in place, shown only when standard error is a terminal.
final class ProgressLine {
    private let enabled: Bool
    private let verb: String
    private var lastDraw: Double = 0
    private var drawn = false

    init(enabled: Bool, verb: String) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
        self.verb = verb
    }

    /// Redraws at most ten times a second.
    func update(done: Int, total: Int, bytes: Int64) {
        guard enabled else { return }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let seconds = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        guard seconds - lastDraw >= 0.1 || done == total else { return }
        lastDraw = seconds
        let megabytes = Double(bytes) / 1_048_576
        FileOutput.standardError.writeText(
            "\r\u{1B}[K\(verb): \(done)/\(total) entries, \(Int(megabytes)) MiB")
        drawn = true
    }

    /// Clears the line.
    func finish() {
        guard drawn else { return }
        FileOutput.standardError.writeText("\r\u{1B}[K")
        drawn = false
    }
}
