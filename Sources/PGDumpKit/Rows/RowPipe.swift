import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// A bounded queue of row batches between the thread that decodes a table's data and the caller that reads its
/// rows: the decoder waits while `capacity` batches are queued, so at most that many (plus the one being filled
/// and the one being read) are ever in memory, whatever the size of the table.
final class RowPipe: @unchecked Sendable {
    enum Item {
        case batch([TableRow])
        case end
        case failure(any Error)
    }

    /// Batches the queue holds before the decoder waits.
    let capacity: Int
    private let lock = ConditionLock()
    private var queue: [[TableRow]] = []
    private var head = 0
    private var ended = false
    private var failure: (any Error)?
    private var cancelled = false

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// Decoder side: queues a batch, waiting for room. `false` when the reader has gone (`cancel`): the batch is
    /// dropped.
    func put(_ batch: [TableRow]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while queue.count - head >= capacity && !cancelled { lock.wait() }
        guard !cancelled else { return false }
        queue.append(batch)
        lock.broadcast()
        return true
    }

    /// Decoder side: no more batches; `failure` is what stopped the decoding, if anything.
    func finish(failure: (any Error)?) {
        lock.lock()
        ended = true
        self.failure = failure
        lock.broadcast()
        lock.unlock()
    }

    /// Reader side: the next batch, waiting for one; then the end or the failure, once.
    func take() -> Item {
        lock.lock()
        defer { lock.unlock() }
        while head == queue.count && !ended { lock.wait() }
        if head < queue.count {
            let batch = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            lock.broadcast()
            return .batch(batch)
        }
        if let failure {
            self.failure = nil
            return .failure(failure)
        }
        return .end
    }

    /// Reader side: the reader stops; queued batches are dropped and the decoder's next `put` returns `false`.
    func cancel() {
        lock.lock()
        cancelled = true
        queue.removeAll()
        head = 0
        lock.broadcast()
        lock.unlock()
    }
}

/// Runs a `RowDecoding` on its own thread, feeding a `RowPipe` batch by batch.
final class RowProducer {
    /// A batch is handed over at this many rows, or sooner at `batchBytes` bytes of field data.
    static let batchRows = 256
    static let batchBytes = 256 << 10
    /// Batches queued before the decoder waits.
    static let queuedBatches = 4

    let pipe = RowPipe(capacity: RowProducer.queuedBatches)
    private let decoding: RowDecoding
    private var batch: [TableRow] = []
    private var batchByteCount = 0

    /// Thrown through the decoder to stop it once nobody reads the rows.
    private struct Stopped: Error {}

    init(decoding: RowDecoding) {
        self.decoding = decoding
    }

    /// Starts the thread; it holds the producer until it ends.
    func start() throws -> pthread_t {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            Unmanaged<RowProducer>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<RowProducer>.fromOpaque(context).release()
            throw PGDumpError(.io, "could not start a thread to read table data: \(SystemError.describe(status))")
        }
        return thread
    }

    private func run() {
        // Without random access, stopping inside the data would leave the reader in the middle of it: the rest
        // is read and dropped instead, so that the reader stays in step for whatever is read next.
        let drainsWhenStopped = !decoding.reader.supportsRandomAccess
        do {
            try decoding.run { [self] row in
                batch.append(row)
                batchByteCount += row.values.count + 8 * row.bounds.count + 64
                guard batch.count >= Self.batchRows || batchByteCount >= Self.batchBytes else { return true }
                return try handOver(drainsWhenStopped: drainsWhenStopped)
            }
            if !batch.isEmpty { _ = pipe.put(batch) }
            batch = []
            pipe.finish(failure: nil)
        } catch is Stopped {
            pipe.finish(failure: nil)
        } catch {
            // The rows before the problem are read first, then the problem.
            if !batch.isEmpty { _ = pipe.put(batch) }
            batch = []
            pipe.finish(failure: error)
        }
    }

    /// Queues the batch being filled; `false` (drop the remaining rows) or `Stopped` once the reader has gone.
    private func handOver(drainsWhenStopped: Bool) throws -> Bool {
        let delivered = pipe.put(batch)
        batch = []
        batchByteCount = 0
        if delivered { return true }
        if drainsWhenStopped { return false }
        throw Stopped()
    }
}
