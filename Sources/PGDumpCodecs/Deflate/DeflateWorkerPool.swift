import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// Worker threads that compress submitted chunks in any order; the compressor restores the order.
final class DeflateWorkerPool: @unchecked Sendable {
    private let threadCount: Int
    private let level: Int32
    private let framing: Codecs.DeflateFraming
    // Allocated, because pthread objects must not move once initialised.
    private let lock: UnsafeMutablePointer<pthread_mutex_t>
    private let workReady: UnsafeMutablePointer<pthread_cond_t>
    private let workDone: UnsafeMutablePointer<pthread_cond_t>
    private var queue: [DeflateChunk] = []
    private var queueHead = 0
    private var stopping = false
    private var threads: [pthread_t] = []
    private var startAttempted = false

    init(threads: Int, level: Int32, framing: Codecs.DeflateFraming) {
        threadCount = threads
        self.level = level
        self.framing = framing
        lock = .allocate(capacity: 1)
        workReady = .allocate(capacity: 1)
        workDone = .allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(workReady, nil)
        pthread_cond_init(workDone, nil)
    }

    deinit {
        pthread_mutex_destroy(lock)
        pthread_cond_destroy(workReady)
        pthread_cond_destroy(workDone)
        lock.deallocate()
        workReady.deallocate()
        workDone.deallocate()
    }

    /// Starts the threads on first use; `false` if none could be started (the caller then compresses itself).
    func start() -> Bool {
        if !startAttempted {
            startAttempted = true
            for _ in 0..<threadCount {
                // Each thread holds the pool until it exits; `shutdown` joins them.
                let context = Unmanaged.passRetained(self).toOpaque()
                var thread = pthread_t()
                let status = pthread_create(&thread, nil, { raw in
                    Unmanaged<DeflateWorkerPool>.fromOpaque(raw!).takeRetainedValue().work()
                    return nil
                }, context)
                if status == 0 {
                    threads.append(thread)
                } else {
                    Unmanaged<DeflateWorkerPool>.fromOpaque(context).release()
                    break
                }
            }
        }
        return !threads.isEmpty
    }

    func submit(_ chunk: DeflateChunk) {
        pthread_mutex_lock(lock)
        chunk.done = false
        queue.append(chunk)
        pthread_cond_signal(workReady)
        pthread_mutex_unlock(lock)
    }

    func isDone(_ chunk: DeflateChunk) -> Bool {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return chunk.done
    }

    func wait(for chunk: DeflateChunk) {
        pthread_mutex_lock(lock)
        while !chunk.done { pthread_cond_wait(workDone, lock) }
        pthread_mutex_unlock(lock)
    }

    /// Stops and joins the threads. Queued chunks are dropped; a chunk being compressed is finished first.
    func shutdown() {
        pthread_mutex_lock(lock)
        stopping = true
        queue.removeAll()
        queueHead = 0
        pthread_cond_broadcast(workReady)
        pthread_mutex_unlock(lock)
        for thread in threads { pthread_join(thread, nil) }
        threads.removeAll()
    }

    private func work() {
        var engine: DeflateEngine?
        var engineFailure: String?
        do {
            engine = try DeflateEngine(level: level)
        } catch {
            engineFailure = error.message
        }
        pthread_mutex_lock(lock)
        while true {
            while queueHead == queue.count && !stopping { pthread_cond_wait(workReady, lock) }
            if stopping { break }
            let chunk = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            pthread_mutex_unlock(lock)
            if let engine {
                engine.compress(chunk, framing: framing)
            } else {
                chunk.failure = engineFailure
            }
            pthread_mutex_lock(lock)
            chunk.done = true
            // The caller is the only waiter, but it may wait for any chunk, so wake it for each.
            pthread_cond_broadcast(workDone)
        }
        pthread_mutex_unlock(lock)
    }
}
