import PGDumpCore

/// The one output buffer: collects small writes into one large buffer and hands it to a sink when full, so output
/// costs one system call per buffer, not per line or row.
///
/// The storage is raw memory rather than an array: appending a byte (the row writers do, around escapes and
/// quotes) is a store and a compare, with no uniqueness or capacity check in the per-byte path. Text assembled
/// between flush points (the SQL script's statements) is appended without throwing and may grow the buffer past
/// its nominal size until the next `flushIfFull()`.
package final class OutputBuffer {
    private let sink: ByteSink
    private var storage: UnsafeMutableRawPointer
    /// The allocated size; at least `capacity`.
    private var allocated: Int
    /// The nominal size: the buffer is handed over when it holds this much.
    private let capacity: Int
    /// Pieces at least this large are handed to the sink as they are, not copied.
    private let passThroughSize: Int
    private var count = 0
    /// Bytes handed to the sink or still buffered.
    package private(set) var totalBytes: Int64 = 0
    /// How many times bytes were handed to the sink: a `Mark` is good only while this stays the same.
    private var handOvers = 0

    /// - Parameter passThroughSize: pieces this large or larger skip the buffer (default: a quarter of it).
    package init(sink: ByteSink, capacity: Int = 256 << 10, passThroughSize: Int? = nil) {
        self.sink = sink
        self.capacity = max(capacity, 4096)
        self.passThroughSize = passThroughSize ?? self.capacity / 4
        allocated = self.capacity
        storage = .allocate(byteCount: allocated, alignment: 16)
    }

    deinit { storage.deallocate() }

    /// One store and a compare per byte.
    @inline(__always)
    package func append(_ byte: UInt8) throws {
        if count >= capacity { try flush() }
        storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
        totalBytes += 1
    }

    /// Appends data; a large piece (a decompressor's output) goes to the sink as it is, after what is buffered,
    /// rather than being copied once more: a system call per 64 KiB costs less than the copy.
    @inline(__always)
    package func append(_ bytes: UnsafeRawBufferPointer) throws {
        // The common case, inlined into the writers' loops: a small piece that fits.
        if let base = bytes.baseAddress, bytes.count < passThroughSize, bytes.count <= capacity - count {
            (storage + count).copyMemory(from: base, byteCount: bytes.count)
            count += bytes.count
            totalBytes += Int64(bytes.count)
            return
        }
        try appendLarge(bytes)
    }

    @inline(never)
    private func appendLarge(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count >= passThroughSize {
            try flush()
            totalBytes += Int64(bytes.count)
            handOvers += 1
            try sink.write(bytes)
            return
        }
        if count + bytes.count > capacity { try flush() }
        copy(base, bytes.count)
    }

    /// Appends text without flushing (see `flushIfFull()`).
    package func append(_ text: String) {
        var text = text
        text.withUTF8 { copy(UnsafeRawBufferPointer($0)) }
    }

    /// Appends bytes without flushing (see `flushIfFull()`).
    package func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { copy($0) }
    }

    /// Appends an archive string's bytes without flushing (see `flushIfFull()`).
    package func append(_ text: ArchiveText) {
        append(text.bytes)
    }

    /// Hands the buffer to the sink when it holds its nominal size or more.
    package func flushIfFull() throws {
        if count >= capacity { try flush() }
    }

    package func flush() throws {
        guard count > 0 else { return }
        handOvers += 1
        try sink.write(UnsafeRawBufferPointer(start: storage, count: count))
        count = 0
    }

    /// Room for up to `byteCount` bytes written straight into the buffer, handing what is buffered to the sink
    /// first if they would not fit: where to write them, then `commit` how many were written. `nil` when
    /// `byteCount` is more than the buffer holds.
    @inline(__always)
    package func room(for byteCount: Int) throws -> UnsafeMutableRawPointer? {
        if byteCount > capacity &- count {
            guard byteCount <= capacity else { return nil }
            try flush()
        }
        return storage + count
    }

    /// Counts `byteCount` bytes written where `room(for:)` said (no more than it was asked for).
    @inline(__always)
    package func commit(_ byteCount: Int) {
        count &+= byteCount
        totalBytes &+= Int64(byteCount)
    }

    /// A place in the buffered output to go back to (`rewind(to:)`).
    package struct Mark {
        fileprivate let count: Int
        fileprivate let handOvers: Int
    }

    /// Makes room for `byteCount` more bytes, handing what is buffered to the sink first if they would not fit,
    /// and returns a mark to go back to: appending up to `byteCount` bytes (in pieces each shorter than that)
    /// then hands nothing to the sink, so a writer can take back a value it finds malformed halfway. `nil` when
    /// `byteCount` is too large for that (it must fit in the buffer and be shorter than a pass-through piece).
    package func reserve(_ byteCount: Int) throws -> Mark? {
        guard byteCount >= 0, byteCount <= capacity, byteCount < passThroughSize else { return nil }
        if capacity - count < byteCount { try flush() }
        return Mark(count: count, handOvers: handOvers)
    }

    /// Takes back every byte appended since `reserve` returned `mark`.
    package func rewind(to mark: Mark) {
        precondition(mark.handOvers == handOvers && mark.count <= count, "output was handed over since the mark")
        totalBytes -= Int64(count - mark.count)
        count = mark.count
    }

    private func copy(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        copy(base, bytes.count)
    }

    @inline(__always)
    private func copy(_ base: UnsafeRawPointer, _ length: Int) {
        if count + length > allocated {
            // Grows only between flush points, for text appended without flushing.
            let grown = max(allocated * 2, count + length)
            let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            larger.copyMemory(from: storage, byteCount: count)
            storage.deallocate()
            storage = larger
            allocated = grown
        }
        (storage + count).copyMemory(from: base, byteCount: length)
        count += length
        totalBytes += Int64(length)
    }
}
