import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// Reads entries' data on worker threads ahead of the caller, which receives it strictly in the order it asks
/// for it, through the same `ArchiveReader` interface: operations stay unaware that reading is parallel.
///
/// The caller names the order it will read data in. Each worker has a reader of its own
/// (`makeIndependentDataReader()`) and decodes the next entry of that order not yet taken. What workers produce
/// is held in a reorder buffer bounded in bytes: the entries after the one the caller is reading (the head)
/// share it, and a worker that would exceed it waits until the caller has written enough. Once the caller has
/// written what was buffered for the head, it lends its sink to the head's worker, which writes the rest of the
/// entry straight from its decompressor, whatever the entry's size. Memory is so bounded by the buffer, the
/// workers' own buffers and nothing the archive decides.
///
/// An entry asked for out of order is read by the original reader on the caller's thread; the entries of the
/// order it skips are dropped. Output is byte-identical whatever the number of workers.
public final class ParallelDataReader: WrappingArchiveReader {
    /// The reader the caller opened: everything but data comes from it.
    public let base: any ArchiveReader
    private let prefetcher: DataPrefetcher

    /// Workers when none are asked for: one per online CPU.
    public static var defaultJobs: Int { max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1) }

    /// Workers started whatever `-j` asks (pg_restore accepts up to 2^31 - 1): each holds a reader, with its
    /// file descriptors, and the reorder buffer, not the workers, bounds what more of them could read ahead.
    public static let maximumWorkers = 64

    /// The reorder buffer's default size: entries decoded ahead of the one being written.
    public static let defaultBufferLimit = 16 << 20

    /// What each worker costs beyond the reorder buffer, for the documentation: its reader's buffer (1 MiB), a
    /// decompressor's output (256 KiB) and window, a directory file's compressed input (256 KiB), the piece it is
    /// filling (256 KiB) and its thread's stack; while it reads a large compressed entry, the pieces its decoding
    /// thread hands over add up to 5 MiB more (`DecodingAheadReader`).
    public static let approximateCostPerWorker = 7 << 20

    /// Runs `body` with a reader of `base` whose data is read ahead on `jobs` workers in `order`; with fewer
    /// than two workers `body` gets `base` itself, and with fewer than two entries or an input that cannot be read
    /// at two places at once (a pipe) `base` inflating large entries on a second thread (`DecodingAheadReader`).
    /// With two workers or more, each worker's reader does the same. `decodingAhead: false` keeps each entry on
    /// one thread: worth it only where using the data costs about as much as inflating it (converting,
    /// checking), not where it is passed on (`sql`). The workers are stopped when `body` returns or throws.
    public static func withReader<Result>(
        _ base: any ArchiveReader, readingInOrder order: [TOCEntry], jobs: Int, decodingAhead: Bool = true,
        bufferLimit: Int = defaultBufferLimit, _ body: (any ArchiveReader) throws -> Result
    ) throws -> Result {
        try withReader(
            base, order: order, jobs: jobs, mode: .streaming, decodingAhead: decodingAhead, bufferLimit: bufferLimit, body)
    }

    /// Runs `body` with a reader of `base` that runs `work` on `jobs` workers for each entry of `order`, each
    /// worker with a reader of its own; `computedResult(for:)` hands the results over in order. At most `ahead`
    /// entries past the one asked for are worked on or waiting, so memory stays bounded by `ahead` results.
    /// With fewer than two workers `body` gets `base`; with an input that cannot be read at two places at once,
    /// `base` inflating large entries on a second thread.
    public static func withReader<Result>(
        _ base: any ArchiveReader, computingInOrder order: [TOCEntry], jobs: Int, ahead: Int = 64,
        work: @escaping (any ArchiveReader, TOCEntry) -> Any, _ body: (any ArchiveReader) throws -> Result
    ) throws -> Result {
        try withReader(
            base, order: order, jobs: jobs, mode: .computing(ahead: max(ahead, jobs), work: work), decodingAhead: true,
            bufferLimit: defaultBufferLimit, body)
    }

    private static func withReader<Result>(
        _ base: any ArchiveReader, order: [TOCEntry], jobs: Int, mode: DataPrefetcher.Mode, decodingAhead: Bool,
        bufferLimit: Int, _ body: (any ArchiveReader) throws -> Result
    ) throws -> Result {
        guard jobs > 1 else { return try body(base) }
        // With a second core, a large compressed entry is inflated on a thread of its own while its data is used.
        let base = decodingAhead ? DecodingAheadReader.wrapping(base) : base
        let schedule = order.filter { $0.dataLocation != .none }
        guard schedule.count > 1 else { return try body(base) }
        var workerReaders: [any ArchiveReader] = []
        for _ in 0..<min(jobs, schedule.count, maximumWorkers) {
            // Out of file descriptors or memory after a few readers: go on with those.
            let reader: (any ArchiveReader)?
            do { reader = try base.makeIndependentDataReader() } catch where !workerReaders.isEmpty { break }
            guard let reader else { break }
            workerReaders.append(reader)
        }
        guard !workerReaders.isEmpty else { return try body(base) }
        let prefetcher = DataPrefetcher(schedule: schedule, mode: mode, bufferLimit: bufferLimit)
        defer { prefetcher.shutDown() }
        prefetcher.start(workerReaders)
        return try body(ParallelDataReader(base: base, prefetcher: prefetcher))
    }

    /// The result of the work a worker did on `entry` (`withReader(_:computingInOrder:…)`), waiting for it;
    /// `nil` when `entry` was not ahead in the order, or the workers stream data: the caller then does the work.
    public func computedResult(for entry: TOCEntry) -> Any? {
        prefetcher.result(for: entry)
    }

    /// The bytes of the pieces workers hand over: the unit the buffer is counted in.
    package static var pieceSize: Int { DataPrefetcher.pieceSize }

    /// The most the reorder buffer has held so far.
    package var peakBufferedBytes: Int { prefetcher.peakBufferedBytes }

    private init(base: any ArchiveReader, prefetcher: DataPrefetcher) {
        self.base = base
        self.prefetcher = prefetcher
    }

    /// The original reader's bytes and the workers'.
    public var storedBytesRead: Int64 { base.storedBytesRead + prefetcher.storedBytesRead }

    public func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        if try !prefetcher.deliver(entry, into: &sink) {
            try base.streamData(of: entry, into: &sink)
        }
    }
}
