/// A large reused buffer over a `ByteSource`, with pg_dump's primitive decoders on top.
///
/// Naming follows ByteBuffer: `read*` consumes, `peek*` does not. "Need more bytes" (a refill) is kept apart from
/// "the bytes are wrong" (a thrown `PGDumpError`). An optional limit makes everything past an offset look like the
/// end of the input, so a tar member can be parsed in place.
package final class BufferedReader {
    package let source: ByteSource
    private var storage: UnsafeMutableRawBufferPointer
    /// Readable window is `storage[start..<end]`; `storage[0]` is at `origin` in the source.
    private var start = 0
    private var end = 0
    private var origin: Int64
    /// Offset past which the reader reports end of input.
    package var limit: Int64?
    /// The most a refill asks the source for when less is needed; by default the whole free space. The TOC reader
    /// lowers it so that opening an archive reads little past the TOC, as pg_restore's stdio buffer does.
    package var preferredReadSize: Int

    package init(source: ByteSource, capacity: Int = 1 << 20) {
        self.source = source
        self.storage = .allocate(byteCount: max(capacity, 4096), alignment: 16)
        self.origin = source.position
        self.preferredReadSize = storage.count
    }

    deinit { storage.deallocate() }

    /// The source offset of the next unread byte.
    package var position: Int64 { origin + Int64(start) }

    /// Bytes left before the known end (size or limit), or `nil` when unknown.
    package var remainingBytes: Int64? {
        var bound: Int64? = source.size
        if let limit { bound = min(bound ?? limit, limit) }
        return bound.map { max(0, $0 - position) }
    }

    private var bufferedCount: Int { end - start }

    /// The most bytes the buffer can hold: the largest `fill(minimum:)` request.
    package var capacity: Int { storage.count }

    /// The bytes already buffered and readable (none past `limit`), without reading more. They stay valid until
    /// the next call that reads, consumes or moves.
    package var bufferedBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[start..<(start + clampedCount())])
    }

    /// Makes at least `minimum` bytes readable, unless the input ends first. Returns the readable count.
    @discardableResult
    package func fill(minimum: Int) throws -> Int {
        precondition(minimum <= storage.count, "fill request exceeds the buffer")
        if bufferedCount >= minimum { return clampedCount() }
        if start > 0 {
            // Compact: move the unread tail to the front.
            if bufferedCount > 0 {
                storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: bufferedCount)
            }
            origin += Int64(start)
            end -= start
            start = 0
        }
        while end < minimum {
            var room = min(storage.count - end, max(minimum - end, preferredReadSize))
            if let limit {
                let allowed = limit - (origin + Int64(end))
                if allowed <= 0 { break }
                room = Int(min(Int64(room), allowed))
            }
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end..<(end + room)]))
            if count == 0 { break }
            end += count
        }
        return clampedCount()
    }

    /// The readable count, with bytes past `limit` hidden.
    private func clampedCount() -> Int {
        guard let limit else { return bufferedCount }
        return Int(max(0, min(Int64(bufferedCount), limit - position)))
    }

    /// Returns the next `count` bytes without consuming them, or `nil` if the input ends first.
    package func peekBytes(count: Int) throws -> UnsafeRawBufferPointer? {
        guard try fill(minimum: count) >= count else { return nil }
        return UnsafeRawBufferPointer(rebasing: storage[start..<(start + count)])
    }

    /// Calls `body` with the readable bytes (at least one, at most `maximum`) and consumes what it returns.
    /// Returns `nil` at the end of input.
    package func withReadableBytes<T>(
        maximum: Int, _ body: (UnsafeRawBufferPointer) throws -> (consumed: Int, result: T)
    ) throws -> T? {
        let available = bufferedCount > 0 ? clampedCount() : try fill(minimum: 1)
        guard available > 0 else { return nil }
        let count = min(available, maximum)
        let (consumed, result) = try body(UnsafeRawBufferPointer(rebasing: storage[start..<(start + count)]))
        precondition(consumed >= 0 && consumed <= count)
        start += consumed
        return result
    }

    /// Consumes `count` bytes that were peeked.
    package func consume(_ count: Int) {
        precondition(count <= bufferedCount)
        start += count
    }

    package func readByte(_ what: @autoclosure () -> String) throws -> UInt8 {
        if bufferedCount == 0 || clampedCount() == 0 {
            guard try fill(minimum: 1) >= 1 else { throw truncated(what()) }
        }
        let byte = storage[start]
        start += 1
        return byte
    }

    /// Skips `count` bytes, seeking where the source allows it and reading otherwise.
    package func skip(_ count: Int64, _ what: @autoclosure () -> String) throws {
        precondition(count >= 0)
        if count <= Int64(clampedCount()) {
            start += Int(count)
            return
        }
        if let remaining = remainingBytes, count > remaining { throw truncated(what()) }
        let (target, overflow) = position.addingReportingOverflow(count)
        if overflow { throw truncated(what()) }
        if source.isSeekable {
            try seek(to: target)
            return
        }
        var left = count
        while left > 0 {
            let skipped = try withReadableBytes(maximum: Int(min(left, Int64(Int.max)))) { ($0.count, $0.count) }
            guard let skipped else { throw truncated(what()) }
            left -= Int64(skipped)
        }
    }

    /// Moves to an absolute offset, reusing buffered bytes when the target is inside the buffer.
    package func seek(to offset: Int64) throws {
        if offset >= origin && offset <= origin + Int64(end) {
            start = Int(offset - origin)
            return
        }
        guard source.isSeekable else {
            throw PGDumpError(.outOfOrder, "cannot move to offset \(offset) in a non-seekable input", file: source.name)
        }
        try source.seek(to: offset)
        origin = offset
        start = 0
        end = 0
    }

    /// An error for input that ended before `what` was complete.
    package func truncated(_ what: String) -> PGDumpError {
        PGDumpError(.truncated, "unexpected end of file while reading \(what)", file: source.name, offset: position)
    }
}
