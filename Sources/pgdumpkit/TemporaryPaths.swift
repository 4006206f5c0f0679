import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

/// Output written under temporary names, removed if pgdumpkit is interrupted before renaming it into place.
///
/// SIGINT, SIGTERM and SIGHUP are blocked in every thread and received by one thread that waits for them
/// (`sigwait`), so the cleanup runs as ordinary code, not in a signal handler; it then exits with the status a
/// shell expects from the signal (128 + number).
enum TemporaryPaths {
    /// What the cleanup removes at a path.
    enum Kind {
        case file
        case directory
        /// An existing directory being filled: its files, not the directory.
        case directoryContents
    }

    nonisolated(unsafe) private static var paths: [String: Kind] = [:]
    /// Other cleanups (an upload to abort), by the number `registerCleanup` gave.
    nonisolated(unsafe) private static var cleanups: [Int: () -> Void] = [:]
    nonisolated(unsafe) private static var nextCleanup = 0
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the signal thread. Call before any other thread starts.
    static func installSignalCleanup() {
        pthread_mutex_init(&lock, nil)
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        var thread = pthread_t()
        pthread_create(&thread, nil, { _ in
            var set = sigset_t()
            sigemptyset(&set)
            for signal in TemporaryPaths.signals { sigaddset(&set, signal) }
            var received: Int32 = 0
            sigwait(&set, &received)
            TemporaryPaths.removeAll()
            _exit(128 + received)
        }, nil)
    }

    /// Runs `create`, which makes a temporary file or directory and returns its path, and registers the path,
    /// with the cleanup held off meanwhile: a signal cannot fall between creating and registering.
    static func create(isDirectory: Bool, _ create: () throws -> String) rethrows -> String {
        try Self.create { (try create(), isDirectory ? .directory : .file) }
    }

    /// `create(isDirectory:_:)` where `create` also says what the cleanup is to remove.
    static func create(_ create: () throws -> (path: String, kind: Kind)) rethrows -> String {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        let (path, kind) = try create()
        paths[path] = kind
        return path
    }

    static func unregister(_ path: String) {
        pthread_mutex_lock(&lock)
        paths[path] = nil
        pthread_mutex_unlock(&lock)
    }

    /// Registers `cleanup` to run if a signal stops pgdumpkit (on the signal thread); returns its number.
    static func registerCleanup(_ cleanup: @escaping () -> Void) -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        nextCleanup += 1
        cleanups[nextCleanup] = cleanup
        return nextCleanup
    }

    static func unregisterCleanup(_ number: Int) {
        pthread_mutex_lock(&lock)
        cleanups[number] = nil
        pthread_mutex_unlock(&lock)
    }

    /// Removes every registered path and runs the other cleanups. The lock is kept, so that nothing is
    /// registered meanwhile.
    private static func removeAll() {
        pthread_mutex_lock(&lock)
        for cleanup in cleanups.values { cleanup() }
        for (path, kind) in paths {
            if kind == .directoryContents {
                // The writer may still be adding a file: try a few times, as for a whole directory.
                for _ in 0..<5 {
                    FileTree.removeFiles(in: path)
                    if FileTree.isEmptyDirectory(path) { break }
                    usleep(10_000)
                }
            } else if kind == .directory {
                // The writer may still be adding a file: try a few times.
                for _ in 0..<5 {
                    FileTree.removeTree(path)
                    if access(path, F_OK) != 0 { break }
                    usleep(10_000)
                }
            } else {
                unlink(path)
            }
        }
    }
}
