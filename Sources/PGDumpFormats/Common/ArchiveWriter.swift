import PGDumpCore
import PGDumpCodecs

/// A writer of one archive format, symmetric with `ArchiveReader`.
///
/// A writer is created with the final header and TOC; data is then written entry by entry in TOC order:
/// `beginData(of:)`, any number of `write(_:)` (large objects bracketed by `beginLargeObject`/`endLargeObject`),
/// `endData()`; `finish()` completes the archive. Data is given uncompressed; the writer compresses and frames it
/// for its format. Errors are sticky: after one, every call rethrows it.
public protocol ArchiveWriter: AnyObject {
    func beginData(of entry: TOCEntry) throws
    /// Like `beginData(of:)`, but the bytes that follow are already compressed the way this writer compresses
    /// (same algorithm, same framing): they are stored as they come, without recompressing.
    func beginStoredData(of entry: TOCEntry) throws
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func beginLargeObject(oid: UInt32) throws
    func endLargeObject() throws
    func endData() throws
    func finish() throws
    /// Where the writer puts the archive until `finish()` commits it, when that is not a file the caller gave it
    /// (a directory archive's temporary directory): callers that clean up after a signal register it.
    var scratchOutput: ScratchOutput? { get }
    /// Removes what was written, after an error; `finish()` is not called after it.
    func abandon()
}

extension ArchiveWriter {
    public var scratchOutput: ScratchOutput? { nil }
    public func abandon() {}
}

/// A directory a writer fills before committing it.
public struct ScratchOutput: Sendable {
    public let path: String
    /// Whether `path` is an existing empty directory being filled (cleanup removes its files, not it).
    public let fillsExistingDirectory: Bool
}

/// Streams a reader's data into a writer.
package struct WriterDataSink: DataSink {
    let writer: any ArchiveWriter
    /// Told the bytes written so far after each chunk, for progress displays.
    let onWrite: ((Int64) -> Void)?
    package private(set) var byteCount: Int64 = 0
    package init(writer: any ArchiveWriter, onWrite: ((Int64) -> Void)? = nil) {
        self.writer = writer
        self.onWrite = onWrite
    }
    package mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        byteCount += Int64(bytes.count)
        try writer.write(bytes)
        onWrite?(byteCount)
    }
    package mutating func beginLargeObject(oid: UInt32) throws { try writer.beginLargeObject(oid: oid) }
    package mutating func endLargeObject() throws { try writer.endLargeObject() }
}

/// State every writer keeps: which entry's data is open, and the first error.
struct WriterState {
    private(set) var current: TOCEntry?
    private(set) var insideLargeObject = false
    private(set) var finished = false
    var failure: Error?

    /// Runs one step of writing; its first error is kept and rethrown by every later call.
    mutating func run<T>(_ body: () throws -> T) throws -> T {
        try check()
        do {
            return try body()
        } catch {
            failure = error
            throw error
        }
    }

    mutating func check() throws {
        if let failure { throw failure }
        if finished { throw PGDumpError(.invalidRequest, "the archive is already finished") }
    }

    mutating func begin(_ entry: TOCEntry) throws {
        try check()
        guard current == nil else {
            throw PGDumpError(.invalidRequest, "data of entry \(current!.dumpID) was not ended", dumpID: entry.dumpID)
        }
        current = entry
    }

    mutating func requireData() throws -> TOCEntry {
        try check()
        guard let current else { throw PGDumpError(.invalidRequest, "data written outside an entry") }
        return current
    }

    mutating func beginLargeObject() throws {
        let entry = try requireData()
        guard entry.isLargeObjectData, !insideLargeObject else {
            throw PGDumpError(.invalidRequest, "large object outside a BLOBS entry", dumpID: entry.dumpID)
        }
        insideLargeObject = true
    }

    mutating func endLargeObject() throws {
        guard insideLargeObject else { throw PGDumpError(.invalidRequest, "no large object to end") }
        insideLargeObject = false
    }

    mutating func end() throws -> TOCEntry {
        let entry = try requireData()
        guard !insideLargeObject else {
            throw PGDumpError(.invalidRequest, "large object not ended", dumpID: entry.dumpID)
        }
        current = nil
        return entry
    }

    /// Checks that the archive can be finished now.
    mutating func finish() throws {
        try check()
        guard current == nil else { throw PGDumpError(.invalidRequest, "data of entry \(current!.dumpID) was not ended") }
    }

    /// Records that the archive is complete: every later call fails.
    mutating func markFinished() { finished = true }
}
