import CZlib
import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// zlib's deflate, split into fixed-size chunks that worker threads compress at once, as pigz does.
///
/// Each chunk is raw deflate primed with the 32 KiB of input before it (`deflateSetDictionary`) and ended
/// with `Z_SYNC_FLUSH` (the last with `Z_FINISH`), so the chunks concatenate into one deflate stream; the
/// zlib or gzip header and trailer are added here and the checksum is combined from per-chunk checksums.
/// Chunk boundaries depend only on the input, never on timing or the number of threads, so the output is
/// the same for every `jobs`. Output is emitted in order from the caller's thread; at most `2 × jobs`
/// chunks are in flight, so memory stays bounded.
package final class ParallelDeflateCompressor: Compressor {
    package let codecName = "gzip"
    /// 128 KiB, pigz's default: larger chunks gained under 0.1 % in size and cost memory per thread.
    package static let defaultChunkSize = 128 << 10
    /// The level when none is asked for (-1). zlib's own default is 6; 5 searches shorter match chains: on the
    /// benchmark data it costs 0.53× the CPU of 6 for 1.5–1.8 % more output (pigz -5 against pigz -6, one thread).
    package static let defaultLevel: Int32 = 5
    /// deflate's window: how much earlier input each chunk is primed with.
    static let windowSize = 32 << 10

    private let level: Int32
    private let framing: Codecs.DeflateFraming
    private let chunkSize: Int
    private let maximumInFlight: Int
    /// Workers, started with the first stream longer than one chunk; `nil` when `jobs` is 1.
    private var pool: DeflateWorkerPool?
    /// The caller's own engine, for `jobs` 1, for one-chunk streams and if no thread could be started.
    private var engine: DeflateEngine?
    private var filling: DeflateChunk?
    private var inFlight: [DeflateChunk] = []
    private var inFlightHead = 0
    private var spare: [DeflateChunk] = []
    /// The last `windowSize` bytes of the stream so far: the next chunk's dictionary.
    private let window: UnsafeMutableRawBufferPointer
    private var windowCount = 0
    private var submittedInStream = false
    private var headerWritten = false
    private var check: UInt
    private var totalIn: UInt64 = 0

    /// - Parameters:
    ///   - level: 1–9, or -1 for `defaultLevel`.
    ///   - jobs: worker threads; 1 compresses on the caller's thread.
    ///   - chunkSize: bytes per chunk; the output depends on it (tests use small ones).
    package init(
        level: Int, framing: Codecs.DeflateFraming, jobs: Int, chunkSize: Int = ParallelDeflateCompressor.defaultChunkSize
    ) throws {
        guard level == -1 || (0...9).contains(level) else {
            throw PGDumpError(.codec, "could not initialize gzip compression: level \(level) is outside 0..9")
        }
        guard chunkSize > 0 else {
            throw PGDumpError(.codec, "could not initialize gzip compression: chunk size \(chunkSize) is not positive")
        }
        self.level = level == -1 ? Self.defaultLevel : Int32(level)
        self.framing = framing
        self.chunkSize = chunkSize
        let jobs = max(1, jobs)
        maximumInFlight = 2 * jobs
        window = .allocate(byteCount: Self.windowSize, alignment: 16)
        check = Self.initialCheck(framing)
        if jobs > 1 { pool = DeflateWorkerPool(threads: jobs, level: self.level, framing: framing) }
    }

    deinit {
        // Workers finish the chunk they hold before they exit, so nothing is freed under them.
        pool?.shutdown()
        window.deallocate()
    }

    private static func initialCheck(_ framing: Codecs.DeflateFraming) -> UInt {
        framing == .zlib ? adler32(0, nil, 0) : crc32(0, nil, 0)
    }

    package func reset() throws {
        drain()
        if let filling { recycle(filling) }
        filling = nil
        windowCount = 0
        submittedInStream = false
        headerWritten = false
        check = Self.initialCheck(framing)
        totalIn = 0
    }

    package func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var offset = 0
        while offset < input.count {
            if let full = filling, full.inputCount == chunkSize {
                // Sealed only once more input arrives, so that a stream's last chunk always ends with Z_FINISH.
                filling = nil
                try submit(full, last: false, emit: emit)
            }
            let chunk = filling ?? takeSpare()
            filling = chunk
            let take = min(chunkSize - chunk.inputCount, input.count - offset)
            (chunk.input.baseAddress! + chunk.inputCount).copyMemory(from: input.baseAddress! + offset, byteCount: take)
            chunk.inputCount += take
            offset += take
        }
    }

    package func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let last = filling ?? takeSpare()  // an empty stream still needs its final block
        filling = nil
        try submit(last, last: true, emit: emit)
        while inFlightHead < inFlight.count {
            try emitHead(emit: emit)
        }
        let trailer = DeflateWrapper.trailer(framing, check: UInt32(truncatingIfNeeded: check), length: totalIn)
        try trailer.withUnsafeBytes { try emit($0) }
        try reset()
    }

    private func takeSpare() -> DeflateChunk {
        if let chunk = spare.popLast() { return chunk }
        return DeflateChunk(capacity: chunkSize)
    }

    private func recycle(_ chunk: DeflateChunk) {
        chunk.inputCount = 0
        chunk.outputCount = 0
        chunk.failure = nil
        spare.append(chunk)
    }

    /// Gives `chunk` its dictionary, then compresses it here or hands it to a worker.
    private func submit(_ chunk: DeflateChunk, last: Bool, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        chunk.isLast = last
        chunk.dictionaryCount = windowCount
        chunk.dictionary.baseAddress!.copyMemory(from: window.baseAddress!, byteCount: windowCount)
        if !last { slideWindow(over: chunk) }
        if !headerWritten {
            headerWritten = true
            try DeflateWrapper.header(framing, level: level).withUnsafeBytes { try emit($0) }
        }
        let firstAndLast = last && !submittedInStream
        submittedInStream = true
        inFlight.append(chunk)
        // A one-chunk stream gains nothing from a thread: the caller must wait for it anyway.
        if let pool, !firstAndLast, pool.start() {
            pool.submit(chunk)
            while inFlightHead < inFlight.count, pool.isDone(inFlight[inFlightHead]) {
                try emitHead(emit: emit)
            }
            while inFlight.count - inFlightHead >= maximumInFlight {
                try emitHead(emit: emit)
            }
        } else {
            if engine == nil { engine = try DeflateEngine(level: level) }
            engine!.compress(chunk, framing: framing)
            chunk.done = true
            try emitHead(emit: emit)
        }
    }

    /// Keeps the last `windowSize` bytes of all input so far, even when chunks are smaller than that.
    private func slideWindow(over chunk: DeflateChunk) {
        let base = window.baseAddress!
        let count = chunk.inputCount
        if count >= Self.windowSize {
            base.copyMemory(from: chunk.input.baseAddress! + (count - Self.windowSize), byteCount: Self.windowSize)
            windowCount = Self.windowSize
            return
        }
        let keep = min(windowCount, Self.windowSize - count)
        if keep > 0 { memmove(base, base + (windowCount - keep), keep) }
        (base + keep).copyMemory(from: chunk.input.baseAddress!, byteCount: count)
        windowCount = keep + count
    }

    /// Waits for the oldest chunk in flight and emits it.
    private func emitHead(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        let chunk = inFlight[inFlightHead]
        pool?.wait(for: chunk)
        inFlightHead += 1
        if inFlightHead == inFlight.count {
            inFlight.removeAll(keepingCapacity: true)
            inFlightHead = 0
        }
        defer { recycle(chunk) }
        if let failure = chunk.failure {
            throw PGDumpError(.codec, "could not compress data: \(failure)")
        }
        try emit(UnsafeRawBufferPointer(rebasing: chunk.output[0..<chunk.outputCount]))
        check = framing == .zlib
            ? adler32_combine(check, chunk.check, Int(chunk.inputCount))
            : crc32_combine(check, chunk.check, Int(chunk.inputCount))
        totalIn &+= UInt64(chunk.inputCount)
    }

    /// Waits for every chunk in flight and drops its output (after an error, or on reset).
    private func drain() {
        while inFlightHead < inFlight.count {
            let chunk = inFlight[inFlightHead]
            pool?.wait(for: chunk)
            recycle(chunk)
            inFlightHead += 1
        }
        inFlight.removeAll(keepingCapacity: true)
        inFlightHead = 0
    }
}
