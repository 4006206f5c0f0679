import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Told how far the streaming of an entry's data has come, for a progress display.
///
/// Called once per chunk a reader delivers (tens to hundreds of kilobytes), never per row, so an implementation
/// may look at the clock each time.
public protocol DataProgressObserver: AnyObject {
    /// `bytes` of `entry`'s data have been read (decompressed), making `rows` rows (`nil` when not COPY data).
    func dataProgress(entry: TOCEntry, bytes: Int64, rows: Int64?)
}

/// A sink that counts what passes through it, for progress reports.
protocol ProgressCounting {
    /// Rows decoded so far, or `nil` when the sink does not decode rows.
    var rowsSoFar: Int64? { get }
}

extension CopyTextDecoder: ProgressCounting {
    var rowsSoFar: Int64? { rowCount }
}

/// Forwards everything to `inner`, telling `observer` after each chunk.
struct ProgressReportingSink<Inner: DataSink & ProgressCounting>: DataSink {
    var inner: Inner
    let observer: (any DataProgressObserver)?
    let entry: TOCEntry
    private(set) var bytes: Int64 = 0

    init(_ inner: Inner, observer: (any DataProgressObserver)?, entry: TOCEntry) {
        self.inner = inner
        self.observer = observer
        self.entry = entry
    }

    mutating func write(_ chunk: UnsafeRawBufferPointer) throws {
        try inner.write(chunk)
        bytes += Int64(chunk.count)
        observer?.dataProgress(entry: entry, bytes: bytes, rows: inner.rowsSoFar)
    }

    mutating func beginLargeObject(oid: UInt32) throws { try inner.beginLargeObject(oid: oid) }
    mutating func endLargeObject() throws { try inner.endLargeObject() }
}
