import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// Decompresses a large entry's data on a thread of its own while the caller's sink consumes what was decompressed
/// before it, through the same `ArchiveReader` interface.
///
/// A table stored in one compressed stream can only be inflated on one core, but what is done with the data
/// (checking its rows, converting them, compressing them again) need not wait for it: on two cores an entry then
/// costs the larger of the two halves instead of their sum. Where the data is only passed on (`sql`), the handing
/// over costs more than it saves (bench/results/jobs.md). Entries stored uncompressed, small entries (a thread would cost
/// more than it saves) and entries of unknown size (a pipe) are read on the caller's thread as before.
///
/// Memory: `queuedPieces` pieces of `pieceSize` bytes, plus the one each side holds, per entry being read.
public final class DecodingAheadReader: WrappingArchiveReader {
    public let base: any ArchiveReader
    /// Entries with less stored data than this are read on the caller's thread.
    let minimumStoredSize: Int64
    /// The reader's bytes read as the decoding thread last published them, while one runs.
    private let progress = ConditionLock()
    private var decodingThreadBytesRead: Int64?

    /// 1 MiB: with 256 KiB pieces the two threads woke each other 18,800 times for the 1.3 GB of the benchmark
    /// archive (`perf stat`, `sql -j 2`), 5,200 times with 1 MiB, for 4 % less CPU time.
    static let pieceSize = 1 << 20
    static let queuedPieces = 3
    /// Below this, starting and joining a thread and handing pieces over is not repaid.
    public static let defaultMinimumStoredSize: Int64 = 1 << 20

    /// `base` reading ahead on a second thread; `base` itself when it is one already.
    public static func wrapping(_ base: any ArchiveReader, minimumStoredSize: Int64 = defaultMinimumStoredSize)
        -> any ArchiveReader
    {
        if base is DecodingAheadReader { return base }
        return DecodingAheadReader(base: base, minimumStoredSize: minimumStoredSize)
    }

    init(base: any ArchiveReader, minimumStoredSize: Int64) {
        self.base = base
        self.minimumStoredSize = minimumStoredSize
    }

    /// While an entry is decoded ahead, the base reader belongs to the decoding thread: its count is the one the
    /// thread published with its last piece.
    public var storedBytesRead: Int64 {
        progress.withLock { decodingThreadBytesRead } ?? base.storedBytesRead
    }

    public func makeIndependentDataReader() throws -> (any ArchiveReader)? {
        try base.makeIndependentDataReader().map { DecodingAheadReader(base: $0, minimumStoredSize: minimumStoredSize) }
    }

    /// Whether `entry` is worth a second thread: compressed, and at least `minimumStoredSize` bytes stored.
    private func decodesAhead(_ entry: TOCEntry) -> Bool {
        guard let compression = try? base.storedCompression(of: entry), compression != .none,
            let size = try? base.storedSize(of: entry)
        else { return false }
        return size >= minimumStoredSize
    }

    public func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        guard decodesAhead(entry) else { return try base.streamData(of: entry, into: &sink) }
        // From here until the thread is joined the base reader is the thread's: its count is read as published.
        publish(bytesRead: base.storedBytesRead)
        let channel = PieceChannel(capacity: Self.queuedPieces)
        let job = DecodingJob(reader: self, entry: entry, channel: channel)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job)
        guard pthread_create(&thread, nil, { raw in
            Unmanaged<DecodingJob>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context.toOpaque()) == 0 else {
            context.release()
            progress.withLock { decodingThreadBytesRead = nil }
            return try base.streamData(of: entry, into: &sink)
        }
        defer {
            pthread_join(thread, nil)
            progress.withLock { decodingThreadBytesRead = nil }
        }
        do {
            while let piece = try channel.take() {
                switch piece {
                case .bytes(let buffer):
                    try sink.write(buffer.bytes)
                    channel.recycle(buffer)
                case .beginLargeObject(let oid):
                    try sink.beginLargeObject(oid: oid)
                case .endLargeObject:
                    try sink.endLargeObject()
                }
            }
        } catch {
            // The sink failed (or the decoding did, after everything before it was written): stop the thread.
            channel.cancel()
            throw error
        }
    }

    fileprivate func publish(bytesRead: Int64) {
        progress.withLock { decodingThreadBytesRead = bytesRead }
    }
}

/// One entry decoded on its own thread into a channel.
private final class DecodingJob: @unchecked Sendable {
    let reader: DecodingAheadReader
    let entry: TOCEntry
    let channel: PieceChannel

    init(reader: DecodingAheadReader, entry: TOCEntry, channel: PieceChannel) {
        self.reader = reader
        self.entry = entry
        self.channel = channel
    }

    func run() {
        var sink = ChannelSink(channel: channel, reader: reader)
        do {
            try reader.base.streamData(of: entry, into: &sink)
            try sink.flush()
            channel.finish(failure: nil)
        } catch is PieceChannel.Cancelled {
            channel.finish(failure: nil)
        } catch {
            // What was decoded before the failure reaches the caller first, as it would from the reader itself.
            if (try? sink.flush()) != nil {
                channel.finish(failure: error)
            } else {
                channel.finish(failure: nil)
            }
        }
    }
}

/// Gathers the decoder's output into pieces and queues each when full.
private struct ChannelSink: DataSink {
    let channel: PieceChannel
    let reader: DecodingAheadReader
    var buffer: PieceBuffer?

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var source = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let target = try currentPiece()
            let count = min(left, target.capacity - target.count)
            (target.storage + target.count).copyMemory(from: source, byteCount: count)
            target.count += count
            source += count
            left -= count
            if target.count == target.capacity { try flush() }
        }
    }

    /// The rest of the current piece, or a fresh one when less than `minimum` is left: the decompressor writes
    /// into the pieces themselves.
    mutating func writableSpace(minimum: Int) throws -> UnsafeMutableRawBufferPointer? {
        if let target = buffer, target.capacity - target.count < minimum { try flush() }
        let target = try currentPiece()
        guard target.capacity - target.count >= minimum else { return nil }
        return UnsafeMutableRawBufferPointer(start: target.storage + target.count, count: target.capacity - target.count)
    }

    mutating func didWrite(count: Int) throws {
        guard let target = buffer else { preconditionFailure("didWrite without writableSpace") }
        target.count += count
        if target.count == target.capacity { try flush() }
    }

    /// The piece being filled, or a spare one, which is then the piece being filled (never taken and dropped:
    /// the spares are the channel's bound on memory).
    private mutating func currentPiece() throws -> PieceBuffer {
        if let buffer { return buffer }
        let spare = try channel.takeSpare()
        buffer = spare
        return spare
    }

    mutating func beginLargeObject(oid: UInt32) throws {
        try flush()
        try channel.put(.beginLargeObject(oid))
    }

    mutating func endLargeObject() throws {
        try flush()
        try channel.put(.endLargeObject)
    }

    mutating func flush() throws {
        guard let full = buffer, full.count > 0 else { return }
        buffer = nil
        reader.publish(bytesRead: reader.base.storedBytesRead)
        try channel.put(.bytes(full))
    }
}

/// A bounded queue of pieces from one producing thread to one consuming thread, with the consumed buffers handed
/// back for reuse: at most `capacity` queued, so memory is bounded whatever the entry's size.
final class PieceChannel: @unchecked Sendable {
    /// The producer's signal to itself that the consumer has gone.
    struct Cancelled: Error {}

    private let capacity: Int
    private let lock = ConditionLock()
    private var queue: [DataPrefetcher.Piece] = []
    private var head = 0
    private var spares: [PieceBuffer] = []
    private var buffersMade = 0
    private var ended = false
    private var failure: (any Error)?
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// Producer: a buffer to fill, a spare one when there is one; throws `Cancelled` once the consumer has gone.
    func takeSpare() throws -> PieceBuffer {
        lock.lock()
        defer { lock.unlock() }
        if cancelled { throw Cancelled() }
        if let spare = spares.popLast() { return spare }
        buffersMade += 1
        return PieceBuffer(capacity: DecodingAheadReader.pieceSize)
    }

    /// Producer: queues a piece, waiting for room.
    func put(_ piece: DataPrefetcher.Piece) throws {
        lock.lock()
        defer { lock.unlock() }
        while queue.count - head >= capacity && !cancelled { lock.wait() }
        if cancelled { throw Cancelled() }
        queue.append(piece)
        lock.broadcast()
    }

    /// Producer: nothing more; `failure` is what stopped it, if anything.
    func finish(failure: (any Error)?) {
        lock.lock()
        ended = true
        self.failure = failure
        lock.broadcast()
        lock.unlock()
    }

    /// Consumer: the next piece, waiting for one; `nil` at the end; the producer's failure once all pieces before
    /// it were taken.
    func take() throws -> DataPrefetcher.Piece? {
        lock.lock()
        defer { lock.unlock() }
        while head == queue.count && !ended { lock.wait() }
        if head < queue.count {
            let piece = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            lock.broadcast()
            return piece
        }
        if let failure {
            self.failure = nil
            throw failure
        }
        return nil
    }

    /// Consumer: a buffer written out, for the producer to fill again.
    func recycle(_ buffer: PieceBuffer) {
        buffer.count = 0
        lock.withLock { spares.append(buffer) }
    }

    /// Consumer: stops the producer at its next piece.
    func cancel() {
        lock.lock()
        cancelled = true
        lock.broadcast()
        lock.unlock()
    }
}
