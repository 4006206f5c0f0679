import ArgumentParser
import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

/// `--progress` and `-q`/`--quiet`, for the commands that read data.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .customLong("progress"), help: "Show progress on standard error even when it is not a terminal (a line a second).")
    var always = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No progress on standard error.")
    var quiet = false
}

extension ProgressOptions: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [
            .flag(nil, "progress") { $0.always = $1 },
            .flag("q", "quiet") { $0.quiet = $1 },
        ]
    }
}

/// Progress on standard error while a command reads an archive's data: how much of the archive has been read (and
/// of how much, as a percentage, where the stored sizes are known), the rate, the time left and the entry being
/// read. How far the archive has been read is `ArchiveReader.storedBytesRead`, so the figures follow the archive
/// as stored (compressed), whatever the command makes of it, and advance inside a large entry.
///
/// On a terminal the line is redrawn in place five times a second, from a quarter of a second after the start (a
/// command that ends sooner shows nothing), and erased when done or failed. Elsewhere nothing is shown unless `--progress`
/// asks for a plain line a second and a last line when the command completes. `--quiet` silences it all.
final class ProgressDisplay: DataProgressObserver {
    private enum Mode { case off, terminal, lines }

    private let mode: Mode
    private let verb: String
    private let pastVerb: String
    private let reader: any ArchiveReader
    /// `storedBytesRead` when the command began reading data, and the bytes it will read, if known.
    private let base: Int64
    private let total: Int64?
    private let started: Double
    private var lastDraw: Double
    private var drawn = false
    private var entryName = ""
    private var entryIndex = 0
    private var entryCount = 0

    /// - Parameters:
    ///   - verb: what the command is doing ("converting"), and `pastVerb` what it did ("converted").
    ///   - dataEntries: the entries whose data the command reads, when it reads a selection; `nil` when it reads
    ///     the whole archive.
    ///   - terminalAllowed: `false` where the terminal shows the command's own output (a script on standard
    ///     output), or its stderr lines (`sql -v`): no line is drawn there, though `--progress` still prints lines.
    init(
        _ options: ProgressOptions, verb: String, pastVerb: String, reader: any ArchiveReader,
        dataEntries: @autoclosure () -> [TOCEntry]? = nil, terminalAllowed: Bool = true
    ) {
        if options.quiet {
            mode = .off
        } else if isatty(STDERR_FILENO) == 1 {
            mode = terminalAllowed ? .terminal : (options.always ? .lines : .off)
        } else {
            mode = options.always ? .lines : .off
        }
        self.verb = verb
        self.pastVerb = pastVerb
        self.reader = reader
        var planned: Int64? = nil
        if mode != .off, let dataEntries = dataEntries() {
            planned = 0
            for entry in dataEntries {
                guard let size = try? reader.storedSize(of: entry) else {
                    planned = nil
                    break
                }
                planned! += size
            }
        }
        if let planned {
            base = reader.storedBytesRead
            total = planned
        } else {
            // The whole archive, or a selection whose sizes are unknown (read by scanning): the archive's size.
            base = 0
            total = mode == .off ? nil : ((try? reader.sizeOnDisk()) ?? nil)
        }
        started = Self.now()
        lastDraw = started
    }

    /// The observer to hand to an operation: none when nothing is shown, so that the data path stays as it is.
    var observer: (any DataProgressObserver)? { mode == .off ? nil : self }

    func willRead(entry: TOCEntry, index: Int, of count: Int) {
        guard mode != .off else { return }
        entryName = entry.desc.equals("BLOBS") ? "large objects" : entry.qualifiedDisplayName
        entryIndex = index
        entryCount = count
        tick()
    }

    func dataProgress(entry: TOCEntry, bytes: Int64, rows: Int64?) {
        guard mode != .off else { return }
        tick()
    }

    private func tick() {
        let now = Self.now()
        switch mode {
        case .off: return
        case .terminal:
            guard now - started >= 0.25, now - lastDraw >= 0.2 || !drawn else { return }
            var line = describe(at: now)
            let width = Self.terminalColumns()
            if line.unicodeScalars.count >= width { line = String(String.UnicodeScalarView(line.unicodeScalars.prefix(width - 1))) }
            FileOutput.standardError.writeText("\r\u{1B}[K" + line)
        case .lines:
            guard now - lastDraw >= 1 else { return }
            FileOutput.standardError.writeText(describe(at: now) + "\n")
        }
        lastDraw = now
        drawn = true
    }

    /// "converting 42%  512.0 MiB of 1.2 GiB  98.3 MiB/s  0:07 left  public.orders (3/12)"
    private func describe(at now: Double) -> String {
        let done = max(0, reader.storedBytesRead - base)
        let elapsed = now - started
        var parts = [verb]
        if let total, total > 0 {
            // Read-ahead can reach the end before the last entry is written: 100% only when complete.
            parts.append("\(min(99, done * 100 / total))%")
            parts.append("\(Self.size(min(done, total))) of \(Self.size(total))")
        } else {
            parts.append(Self.size(done))
        }
        if elapsed >= 1, done > 0 {
            let rate = Double(done) / elapsed
            parts.append("\(Self.size(Int64(rate)))/s")
            if let total, total > done { parts.append("\(Self.duration(Double(total - done) / rate)) left") }
        }
        if !entryName.isEmpty { parts.append("\(entryName) (\(entryIndex + 1)/\(entryCount))") }
        return parts.joined(separator: "  ")
    }

    /// Erases the line; called however the command ends (idempotent).
    func end() {
        guard mode == .terminal, drawn else { return }
        FileOutput.standardError.writeText("\r\u{1B}[K")
        drawn = false
    }

    /// The command completed: with `--progress` off a terminal, a last line says what was read and how fast.
    func complete() {
        if mode == .lines {
            let elapsed = Self.now() - started
            // Complete: all that was planned has been read, though read-ahead may have taken it before the start.
            let read = max(0, reader.storedBytesRead - base)
            let done = total.map { max($0, read) } ?? read
            var line = "\(pastVerb) 100%  \(Self.size(done)) in \(Self.oneDecimal(elapsed)) s"
            if elapsed > 0 { line += "  \(Self.size(Int64(Double(done) / elapsed)))/s" }
            FileOutput.standardError.writeText(line + "\n")
        }
        end()
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 else { return 80 }
        return Int(size.ws_col)
    }

    /// 512 B, 12.5 KiB, 340 MiB, 1.2 GiB.
    static func size(_ bytes: Int64) -> String {
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes)
        var unit = "B"
        for next in ["KiB", "MiB", "GiB", "TiB"] where value >= 1024 {
            value /= 1024
            unit = next
        }
        return value < 100 ? "\(oneDecimal(value)) \(unit)" : "\(Int(value)) \(unit)"
    }

    /// 12.3
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// 0:07, 12:34, 1:02:03.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" : "\(minutes):\(twoDigits(secs))"
    }
}
