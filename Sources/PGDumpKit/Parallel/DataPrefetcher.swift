import PGDumpCore
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// The worker threads and the reorder buffer behind `ParallelDataReader`.
///
/// Workers either stream each entry's data into pieces for the caller to write (`.streaming`), or run a piece
/// of work per entry whose small result the caller takes (`.computing`: `verify` checks rows on the workers).
///
/// Once the caller has written everything buffered for the entry it reads, it lends its sink to that entry's
/// worker and waits: the rest of the entry is written straight from the decompressor's output, with no copy,
/// which keeps the head entry as fast as a sequential read.
///
/// `@unchecked Sendable`: every mutable property is touched only under `lock`, except a worker's reader and the
/// piece it is filling, which belong to that worker alone, and a lent sink, which the caller does not touch
/// until the worker has finished with it; pieces and the sink change hands under the lock.
final class DataPrefetcher: @unchecked Sendable {
    /// What a worker produces: bytes, or the brackets of a large object.
    enum Piece {
        case bytes(PieceBuffer)
        case beginLargeObject(UInt32)
        case endLargeObject
    }

    /// One entry of the schedule: what its worker produced and the caller has not yet taken.
    final class Slot {
        let entry: TOCEntry
        let index: Int
        var pieces: [Piece] = []
        var firstPiece = 0
        var bufferedBytes = 0
        var finished = false
        var failure: (any Error)?
        var result: Any?
        /// The caller's sink, lent to the worker once everything buffered was written.
        var lentSink: LentSink?
        /// The caller will not read this entry: its worker stops at its next piece.
        var discarded = false

        init(entry: TOCEntry, index: Int) {
            self.entry = entry
            self.index = index
        }
    }

    /// What the workers do with each entry.
    enum Mode {
        case streaming
        /// At most `ahead` entries past the one the caller waits for are worked on or waiting.
        case computing(ahead: Int, work: (any ArchiveReader, TOCEntry) -> Any)
    }

    /// The caller's sink, as the worker writes to it.
    struct LentSink {
        let write: (UnsafeRawBufferPointer) throws -> Void
        let beginLargeObject: (UInt32) throws -> Void
        let endLargeObject: () throws -> Void
    }

    /// A worker's signal to itself that its entry was dropped.
    struct Discarded: Error {}

    /// Bytes per piece: large enough that handing one over costs little, small enough to bound the head's share.
    static let pieceSize = 256 << 10

    private let mode: Mode
    private let schedule: [Slot]
    private let scheduleIndex: [Int32: Int]
    private let bufferLimit: Int
    /// What the head entry may hold whatever the others hold, so that it always makes progress.
    private let headLimit = 2 * DataPrefetcher.pieceSize

    private let lock = ConditionLock()
    private var nextJob = 0
    private var head = 0
    private var bufferedBytes = 0
    /// The most `bufferedBytes` has been, for tests of the bound.
    private var peakBufferedBytesSeen = 0
    private var stopping = false
    private var threads: [pthread_t] = []
    private var spareBuffers: [PieceBuffer] = []
    /// Each worker's stored bytes read, published with each piece.
    private var workerBytesRead: [Int64] = []

    init(schedule entries: [TOCEntry], mode: Mode = .streaming, bufferLimit: Int) {
        self.mode = mode
        schedule = entries.enumerated().map { Slot(entry: $1, index: $0) }
        var index: [Int32: Int] = [:]
        for (position, entry) in entries.enumerated() where index[entry.dumpID] == nil { index[entry.dumpID] = position }
        scheduleIndex = index
        self.bufferLimit = max(bufferLimit, DataPrefetcher.pieceSize)
    }

    /// A worker's reader, handed to its thread.
    private final class WorkerContext: @unchecked Sendable {
        let prefetcher: DataPrefetcher
        let reader: any ArchiveReader
        let number: Int
        init(prefetcher: DataPrefetcher, reader: any ArchiveReader, number: Int) {
            self.prefetcher = prefetcher
            self.reader = reader
            self.number = number
        }
    }

    /// Starts one thread per reader. If none can be started, `deliver` finds nothing produced and the caller's
    /// reader reads everything.
    func start(_ readers: [any ArchiveReader]) {
        workerBytesRead = Array(repeating: 0, count: readers.count)
        for (number, reader) in readers.enumerated() {
            let context = Unmanaged.passRetained(WorkerContext(prefetcher: self, reader: reader, number: number))
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.prefetcher.work(reader: context.reader, number: context.number)
                return nil
            }, context.toOpaque())
            if status == 0 {
                threads.append(thread)
            } else {
                context.release()
                break
            }
        }
        if threads.isEmpty {
            lock.lock()
            stopping = true
            lock.unlock()
        }
    }

    /// Stops the workers (dropping what they hold) and waits for them.
    func shutDown() {
        lock.lock()
        stopping = true
        for slot in schedule[head...] { drop(slot) }
        lock.broadcast()
        lock.unlock()
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    var peakBufferedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return peakBufferedBytesSeen
    }

    var storedBytesRead: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return workerBytesRead.reduce(0, +)
    }

    // MARK: - Workers

    private func work(reader: any ArchiveReader, number: Int) {
        lock.lock()
        while !stopping && nextJob < schedule.count {
            if case .computing(let ahead, _) = mode, nextJob - head > ahead {
                lock.wait()
                continue
            }
            let slot = schedule[nextJob]
            nextJob += 1
            if slot.discarded { continue }
            lock.unlock()
            var failure: (any Error)?
            var result: Any?
            switch mode {
            case .streaming:
                var sink = PieceSink(prefetcher: self, slot: slot, worker: number, reader: reader)
                do {
                    try reader.streamData(of: slot.entry, into: &sink)
                    try sink.flush()
                } catch is Discarded {
                } catch {
                    failure = error
                }
            case .computing(_, let work):
                result = work(reader, slot.entry)
            }
            lock.lock()
            workerBytesRead[number] = reader.storedBytesRead
            slot.failure = failure
            if !slot.discarded { slot.result = result }
            slot.finished = true
            lock.broadcast()
        }
        lock.unlock()
    }

    /// Records a worker's stored bytes read, for progress displays, while it writes to a lent sink.
    fileprivate func publish(bytesRead: Int64, worker: Int) {
        lock.lock()
        workerBytesRead[worker] = bytesRead
        lock.unlock()
    }

    /// A buffer to fill, reused when one is spare.
    fileprivate func takeBuffer() -> PieceBuffer {
        lock.lock()
        defer { lock.unlock() }
        return spareBuffers.popLast() ?? PieceBuffer(capacity: Self.pieceSize)
    }

    /// Adds a piece to `slot`, first waiting while the buffer is full; throws `Discarded` when the entry was
    /// dropped. Returns the caller's sink instead, without adding the piece, once the caller has lent it: the
    /// worker then writes the piece and the rest of the entry to it.
    fileprivate func append(_ piece: Piece, size: Int, to slot: Slot, worker: Int, bytesRead: Int64) throws -> LentSink? {
        lock.lock()
        defer { lock.unlock() }
        workerBytesRead[worker] = bytesRead
        if let lent = slot.lentSink { return lent }
        while !slot.discarded && slot.lentSink == nil && mustWait(slot, adding: size) {
            lock.wait()
        }
        if let lent = slot.lentSink { return lent }
        if slot.discarded {
            if case .bytes(let buffer) = piece { recycle(buffer) }
            throw Discarded()
        }
        slot.pieces.append(piece)
        slot.bufferedBytes += size
        bufferedBytes += size
        peakBufferedBytesSeen = max(peakBufferedBytesSeen, bufferedBytes)
        lock.broadcast()
        return nil
    }

    /// The head may hold `headLimit` and at least one piece; the others share what the buffer has left.
    private func mustWait(_ slot: Slot, adding size: Int) -> Bool {
        if slot.index == head { return slot.bufferedBytes > 0 && slot.bufferedBytes + size > headLimit }
        return bufferedBytes + size > bufferLimit
    }

    // MARK: - The caller

    /// With `.computing`: the result of the work on `entry`, waiting for it; `nil` when `entry` is not ahead in
    /// the schedule (the caller then does the work itself).
    func result(for entry: TOCEntry) -> Any? {
        lock.lock()
        defer { lock.unlock() }
        guard case .computing = mode, let slot = headSlot(for: entry) else { return nil }
        while !slot.finished { lock.wait() }
        let result = slot.result
        slot.result = nil
        head = slot.index + 1
        lock.broadcast()
        return result
    }

    /// Under the lock: `entry`'s slot made the head, the slots before it dropped; `nil` when it is not ahead.
    private func headSlot(for entry: TOCEntry) -> Slot? {
        guard !threads.isEmpty, let index = scheduleIndex[entry.dumpID], index >= head,
            schedule[index].entry.dataLocation == entry.dataLocation
        else { return nil }
        for skipped in schedule[head..<index] { drop(skipped) }
        head = index
        lock.broadcast()
        return schedule[index]
    }

    /// Writes `entry`'s data into `sink` as its worker produces it; `false` when `entry` is not ahead in the
    /// schedule (the caller then reads it itself). Rethrows the worker's error after the data before it.
    func deliver<Sink: DataSink>(_ entry: TOCEntry, into sink: inout Sink) throws -> Bool {
        lock.lock()
        guard case .streaming = mode, let slot = headSlot(for: entry) else {
            lock.unlock()
            return false
        }
        let index = slot.index
        var delivered = false
        defer {
            // Whether it ended or the sink failed, the entry is done with: the next one becomes the head.
            if !delivered { drop(slot) }
            slot.lentSink = nil
            head = index + 1
            lock.broadcast()
            lock.unlock()
        }
        while true {
            if slot.firstPiece == slot.pieces.count && !slot.finished {
                // Everything buffered is written: lend the sink and wait for the worker to finish the entry.
                withUnsafeMutablePointer(to: &sink) { pointer in
                    slot.lentSink = LentSink(
                        write: { try pointer.pointee.write($0) },
                        beginLargeObject: { try pointer.pointee.beginLargeObject(oid: $0) },
                        endLargeObject: { try pointer.pointee.endLargeObject() })
                    lock.broadcast()
                    // A worker waiting to add a piece takes the sink instead; none is added after this.
                    while !slot.finished { lock.wait() }
                    slot.lentSink = nil
                }
            }
            if slot.firstPiece == slot.pieces.count {
                delivered = true
                if let failure = slot.failure { throw failure }
                return true
            }
            let piece = slot.pieces[slot.firstPiece]
            slot.firstPiece += 1
            if slot.firstPiece == slot.pieces.count {
                slot.pieces.removeAll(keepingCapacity: true)
                slot.firstPiece = 0
            }
            lock.unlock()
            var size = 0
            var sinkFailure: (any Error)?
            do {
                switch piece {
                case .bytes(let buffer):
                    size = buffer.count
                    try sink.write(buffer.bytes)
                case .beginLargeObject(let oid):
                    try sink.beginLargeObject(oid: oid)
                case .endLargeObject:
                    try sink.endLargeObject()
                }
            } catch {
                sinkFailure = error
            }
            lock.lock()
            if case .bytes(let buffer) = piece { recycle(buffer) }
            slot.bufferedBytes -= size
            bufferedBytes -= size
            lock.broadcast()
            if let sinkFailure { throw sinkFailure }
        }
    }

    /// Under the lock: marks `slot` dropped and frees what it holds.
    private func drop(_ slot: Slot) {
        slot.discarded = true
        for piece in slot.pieces[slot.firstPiece...] {
            if case .bytes(let buffer) = piece { recycle(buffer) }
        }
        bufferedBytes -= slot.bufferedBytes
        slot.bufferedBytes = 0
        slot.pieces = []
        slot.firstPiece = 0
        slot.result = nil
    }

    /// Under the lock: keeps a few buffers for reuse; the others are freed.
    private func recycle(_ buffer: PieceBuffer) {
        buffer.count = 0
        if spareBuffers.count < 8 { spareBuffers.append(buffer) }
    }
}

/// A piece's bytes: raw memory, filled by one worker and then read by the caller.
final class PieceBuffer {
    let storage: UnsafeMutableRawPointer
    let capacity: Int
    var count = 0

    init(capacity: Int) {
        storage = .allocate(byteCount: capacity, alignment: 16)
        self.capacity = capacity
    }

    deinit { storage.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }
}

/// Collects a worker's output into pieces and hands each to the prefetcher when full.
private struct PieceSink: DataSink {
    let prefetcher: DataPrefetcher
    let slot: DataPrefetcher.Slot
    let worker: Int
    let reader: any ArchiveReader
    var buffer: PieceBuffer?
    /// The caller's sink, once lent: everything from then on is written to it directly.
    var lent: DataPrefetcher.LentSink?
    /// Bytes written to the lent sink since the bytes read were last published.
    var unpublished = 0

    init(prefetcher: DataPrefetcher, slot: DataPrefetcher.Slot, worker: Int, reader: any ArchiveReader) {
        self.prefetcher = prefetcher
        self.slot = slot
        self.worker = worker
        self.reader = reader
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        if lent != nil { return try writeToLentSink(bytes) }
        guard var source = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let target = buffer ?? prefetcher.takeBuffer()
            buffer = target
            let count = min(left, target.capacity - target.count)
            (target.storage + target.count).copyMemory(from: source, byteCount: count)
            target.count += count
            source += count
            left -= count
            if target.count == target.capacity {
                try flush()
                // Lent while this piece was handed over: the rest goes to the caller's sink.
                if lent != nil, left > 0 { return try writeToLentSink(UnsafeRawBufferPointer(start: source, count: left)) }
            }
        }
    }

    mutating func beginLargeObject(oid: UInt32) throws {
        try flush()
        if lent == nil { lent = try hand(.beginLargeObject(oid), size: 0) }
        try lent?.beginLargeObject(oid)
    }

    mutating func endLargeObject() throws {
        try flush()
        if lent == nil { lent = try hand(.endLargeObject, size: 0) }
        try lent?.endLargeObject()
    }

    /// Writes to the lent sink: large pieces (a decompressor's output) as they are, small ones (a row per chunk in
    /// an uncompressed archive) gathered into a piece first, so that the sink is called once per piece.
    private mutating func writeToLentSink(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        // The common case for small writes, without touching the lent sink: a copy into the piece.
        if let target = buffer, bytes.count < DataPrefetcher.pieceSize / 4, bytes.count <= target.capacity - target.count {
            (target.storage + target.count).copyMemory(from: base, byteCount: bytes.count)
            target.count += bytes.count
            return
        }
        let target = buffer ?? prefetcher.takeBuffer()
        buffer = target
        if target.count > 0 {
            try lent!.write(target.bytes)
            unpublished += target.count
            target.count = 0
        }
        if bytes.count >= DataPrefetcher.pieceSize / 4 {
            try lent!.write(bytes)
            unpublished += bytes.count
        } else {
            (target.storage + target.count).copyMemory(from: base, byteCount: bytes.count)
            target.count += bytes.count
        }
        if unpublished >= DataPrefetcher.pieceSize {
            unpublished = 0
            prefetcher.publish(bytesRead: reader.storedBytesRead, worker: worker)
        }
    }

    /// Hands over the piece being filled, if it holds anything; once the caller's sink is lent, writes it there.
    mutating func flush() throws {
        guard let full = buffer, full.count > 0 else { return }
        buffer = nil
        if lent == nil { lent = try hand(.bytes(full), size: full.count) }
        try lent?.write(full.bytes)
    }

    /// Adds `piece` to the entry's buffer; the caller's sink instead when it was lent (the piece is then not
    /// added, and the caller writes it).
    private func hand(_ piece: DataPrefetcher.Piece, size: Int) throws -> DataPrefetcher.LentSink? {
        try prefetcher.append(piece, size: size, to: slot, worker: worker, bytesRead: reader.storedBytesRead)
    }
}
