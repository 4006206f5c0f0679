import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// Told which entry's data an operation reads and how far it has come, for a progress display: `sql`'s script,
/// `convert`, `verify`, `extract` and `info --tables` report through it. How far the archive has been read is
/// `ArchiveReader.storedBytesRead`, comparable with `sizeOnDisk()` and `storedSize(of:)`.
///
/// `dataProgress` is called once per chunk a reader delivers (tens to hundreds of kilobytes), never per row, so an
/// implementation may look at the clock each time.
public protocol DataProgressObserver: AnyObject {
    /// Entry `index` (0-based) of `count` entries with data is about to be read.
    func willRead(entry: TOCEntry, index: Int, of count: Int)
    /// `bytes` of `entry`'s data have been read (decompressed, or as stored where the operation copies stored
    /// data), making `rows` rows (`nil` when not decoding COPY data).
    func dataProgress(entry: TOCEntry, bytes: Int64, rows: Int64?)
}

extension DataProgressObserver {
    public func willRead(entry: TOCEntry, index: Int, of count: Int) {}
}

/// The earlier name of `DataProgressObserver`, when only `verify` announced entries.
public typealias VerificationProgressObserver = DataProgressObserver

/// A sink that counts what passes through it, for progress reports.
protocol ProgressCounting {
    /// Rows decoded so far, or `nil` when the sink does not decode rows.
    var rowsSoFar: Int64? { get }
}

extension CopyTextDecoder: ProgressCounting {
    var rowsSoFar: Int64? { rowCount }
}

/// Forwards everything to `inner`, telling `observer` after each chunk; the rows come from a `ProgressCounting`
/// inner sink.
struct ProgressReportingSink<Inner: DataSink>: DataSink {
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
        guard let observer else { return }
        observer.dataProgress(entry: entry, bytes: bytes, rows: (inner as? any ProgressCounting)?.rowsSoFar)
    }

    mutating func beginLargeObject(oid: UInt32) throws { try inner.beginLargeObject(oid: oid) }
    mutating func endLargeObject() throws { try inner.endLargeObject() }
}
