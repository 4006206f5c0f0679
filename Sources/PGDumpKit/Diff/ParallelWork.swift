import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs two pieces of work at once: the second on a thread of its own, the first on the caller's. Each piece
/// owns what it touches (one archive reader each), so nothing is shared while they run.
enum ParallelWork {
    /// `@unchecked Sendable`: the thread is the only one touching `work` and `result` until it is joined, and
    /// the caller reads `result` only after the join.
    private final class Task: @unchecked Sendable {
        let work: () throws -> Void
        var failure: (any Error)?

        init(_ work: @escaping () throws -> Void) { self.work = work }

        func run() {
            do { try work() } catch { failure = error }
        }
    }

    /// Runs `first` and `second` concurrently and waits for both; rethrows the first's error, else the second's.
    static func run(_ first: () throws -> Void, _ second: @escaping () throws -> Void) throws {
        let task = Task(second)
        let context = Unmanaged.passRetained(task).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { raw in
            Unmanaged<Task>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            // No thread: run the two one after the other.
            Unmanaged<Task>.fromOpaque(context).release()
            try first()
            try second()
            return
        }
        var firstFailure: (any Error)?
        do { try first() } catch { firstFailure = error }
        pthread_join(thread, nil)
        if let firstFailure { throw firstFailure }
        if let failure = task.failure { throw failure }
    }
}
