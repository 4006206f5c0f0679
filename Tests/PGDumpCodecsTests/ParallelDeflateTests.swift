import CZlib
import Foundation
import PGDumpCodecs
import PGDumpCore
import Testing

/// The chunked, threaded deflate: one valid zlib or gzip stream, the same bytes for any number of threads.
@Suite struct ParallelDeflateTests {
    /// A small chunk keeps the many-chunk cases fast; it is below deflate's 32 KiB window, so the dictionary
    /// spans several earlier chunks.
    static let smallChunk = 5000

    enum Content: String, CaseIterable { case random, text }

    static func data(_ content: Content, count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> UInt64 {  // xorshift64*, so failures reproduce
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        switch content {
        case .random:
            return (0..<count).map { _ in UInt8(truncatingIfNeeded: next() >> 32) }
        case .text:
            let words = ["alpha", "beta", "gamma", "\\N", "2024-01-01", "42", "Zürich", "\t", "\n"]
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count + 16)
            while bytes.count < count { bytes += Array(words[Int(next() % UInt64(words.count))].utf8) }
            return Array(bytes.prefix(count))
        }
    }

    /// Compresses `input`, fed in uneven pieces, as one stream.
    static func compress(
        _ input: [UInt8], framing: Codecs.DeflateFraming, jobs: Int, chunkSize: Int, level: Int = 6,
        using existing: ParallelDeflateCompressor? = nil
    ) throws -> [UInt8] {
        let compressor = try existing
            ?? ParallelDeflateCompressor(level: level, framing: framing, jobs: jobs, chunkSize: chunkSize)
        var output: [UInt8] = []
        try input.withUnsafeBytes { raw in
            var offset = 0
            var piece = 1
            while offset < raw.count {
                let take = min(piece, raw.count - offset)
                try compressor.compress(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + take)])) {
                    output += $0
                }
                offset += take
                piece = piece * 3 + 7  // 1, 10, 37, … up to far more than a chunk
            }
        }
        try compressor.finish { output += $0 }
        return output
    }

    /// Inflates with zlib; fails unless the input is exactly one complete stream with a correct trailer.
    static func inflateSingleStream(_ compressed: [UInt8], framing: Codecs.DeflateFraming) throws -> [UInt8] {
        var stream = z_stream()
        let windowBits: Int32 = framing == .zlib ? 15 : 15 + 16
        try #require(inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var status: Int32 = Z_OK
        var remaining = 0
        compressed.withUnsafeBytes { raw in
            stream.next_in = UnsafeMutablePointer(mutating: raw.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(raw.count)
            repeat {
                buffer.withUnsafeMutableBytes { out in
                    stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output += out.prefix(out.count - Int(stream.avail_out))
                }
            } while status == Z_OK
            remaining = Int(stream.avail_in)
            stream.next_in = nil
        }
        #expect(status == Z_STREAM_END, "inflate ended with \(status)")
        #expect(remaining == 0, "\(remaining) bytes after the end of the stream")
        return output
    }

    static let sizes = [0, 1, smallChunk - 1, smallChunk, smallChunk + 1, 37 * smallChunk + 123]

    @Test("round trip through zlib's inflate, one stream, the same bytes for 1, 2 and 3 threads",
          arguments: [Codecs.DeflateFraming.zlib, .gzipFile], Content.allCases)
    func roundTrip(_ framing: Codecs.DeflateFraming, _ content: Content) throws {
        for size in Self.sizes {
            let input = Self.data(content, count: size, seed: UInt64(size))
            let single = try Self.compress(input, framing: framing, jobs: 1, chunkSize: Self.smallChunk)
            #expect(try Self.inflateSingleStream(single, framing: framing) == input, "size \(size)")
            for jobs in [2, 3] {
                let parallel = try Self.compress(input, framing: framing, jobs: jobs, chunkSize: Self.smallChunk)
                #expect(parallel == single, "size \(size), \(jobs) threads")
            }
        }
    }

    @Test("default chunk size: many chunks round-trip and match across thread counts",
          arguments: [Codecs.DeflateFraming.zlib, .gzipFile])
    func defaultChunks(_ framing: Codecs.DeflateFraming) throws {
        let chunk = ParallelDeflateCompressor.defaultChunkSize
        for (content, size) in [(Content.text, 9 * chunk + 5), (.random, 3 * chunk), (.text, chunk), (.text, chunk + 1)] {
            let input = Self.data(content, count: size)
            let single = try Self.compress(input, framing: framing, jobs: 1, chunkSize: chunk)
            let parallel = try Self.compress(input, framing: framing, jobs: 2, chunkSize: chunk)
            #expect(parallel == single, "\(content) \(size)")
            #expect(try Self.inflateSingleStream(parallel, framing: framing) == input, "\(content) \(size)")
        }
    }

    @Test("a stream of one chunk is what zlib's own deflate writes; no level means defaultLevel (5), not zlib's 6",
          arguments: [Codecs.DeflateFraming.zlib, .gzipFile])
    func oneChunkMatchesZlib(_ framing: Codecs.DeflateFraming) throws {
        #expect(ParallelDeflateCompressor.defaultLevel == 5)
        for level in [1, 5, 6, 9, -1] {
            for size in [0, 1, 1000, Self.smallChunk] {
                let input = Self.data(.text, count: size)
                let zlib = try ZlibCompressor(
                    level: level == -1 ? Int(ParallelDeflateCompressor.defaultLevel) : level, framing: framing)
                var expected: [UInt8] = []
                try input.withUnsafeBytes { raw in try zlib.compress(raw) { expected += $0 } }
                try zlib.finish { expected += $0 }
                let actual = try Self.compress(input, framing: framing, jobs: 2, chunkSize: Self.smallChunk, level: level)
                #expect(actual == expected, "level \(level), size \(size)")
            }
        }
    }

    @Test("levels 1 and 9 round-trip over many chunks")
    func levels() throws {
        let input = Self.data(.text, count: 20 * Self.smallChunk)
        for level in [1, 9] {
            let single = try Self.compress(input, framing: .zlib, jobs: 1, chunkSize: Self.smallChunk, level: level)
            let parallel = try Self.compress(input, framing: .zlib, jobs: 2, chunkSize: Self.smallChunk, level: level)
            #expect(single == parallel)
            #expect(try Self.inflateSingleStream(parallel, framing: .zlib) == input)
        }
    }

    @Test("finish and reset start independent streams, even with chunks still in flight")
    func streamsAreIndependent() throws {
        let first = Self.data(.text, count: 30 * Self.smallChunk, seed: 7)
        let second = Self.data(.random, count: 4 * Self.smallChunk + 9, seed: 8)
        let fresh = try Self.compress(second, framing: .gzipFile, jobs: 2, chunkSize: Self.smallChunk)

        let compressor = try ParallelDeflateCompressor(level: 6, framing: .gzipFile, jobs: 2, chunkSize: Self.smallChunk)
        _ = try Self.compress(first, framing: .gzipFile, jobs: 2, chunkSize: Self.smallChunk, using: compressor)
        #expect(try Self.compress(second, framing: .gzipFile, jobs: 2, chunkSize: Self.smallChunk, using: compressor) == fresh)

        // Abandoned half way: reset drops what is in flight.
        try first.withUnsafeBytes { try compressor.compress($0) { _ in } }
        try compressor.reset()
        #expect(try Self.compress(second, framing: .gzipFile, jobs: 2, chunkSize: Self.smallChunk, using: compressor) == fresh)
    }

    @Test("an error from the output stops the stream; after reset the compressor works again")
    func emitErrors() throws {
        struct Refused: Error {}
        let input = Self.data(.text, count: 50 * Self.smallChunk)
        let compressor = try ParallelDeflateCompressor(level: 6, framing: .zlib, jobs: 2, chunkSize: Self.smallChunk)
        var calls = 0
        #expect(throws: Refused.self) {
            try input.withUnsafeBytes { raw in
                try compressor.compress(raw) { _ in
                    calls += 1
                    if calls == 3 { throw Refused() }
                }
            }
        }
        try compressor.reset()
        let again = try Self.compress(input, framing: .zlib, jobs: 2, chunkSize: Self.smallChunk, using: compressor)
        #expect(again == (try Self.compress(input, framing: .zlib, jobs: 1, chunkSize: Self.smallChunk)))
        // Dropped with chunks in flight: deinit waits for the workers, so nothing is freed under them.
        for _ in 0..<20 {
            let dropped = try ParallelDeflateCompressor(level: 6, framing: .zlib, jobs: 2, chunkSize: Self.smallChunk)
            try input.withUnsafeBytes { try dropped.compress($0) { _ in } }
        }
    }

    @Test("invalid levels are refused")
    func invalidLevel() {
        #expect(throws: PGDumpError.self) { _ = try ParallelDeflateCompressor(level: 10, framing: .zlib, jobs: 2) }
    }

    @Test("the codec factory's gzip output is the same for any number of jobs", arguments: [1, 2, 4])
    func factory(_ jobs: Int) throws {
        let input = Self.data(.text, count: 3 * ParallelDeflateCompressor.defaultChunkSize + 17)
        func run(_ jobs: Int) throws -> [UInt8] {
            let compressor = try #require(try Codecs.compressor(
                for: CompressionChoice(algorithm: .gzip), deflateFraming: .zlib, jobs: jobs))
            var output: [UInt8] = []
            try input.withUnsafeBytes { raw in try compressor.compress(raw) { output += $0 } }
            try compressor.finish { output += $0 }
            return output
        }
        #expect(try run(jobs) == (try run(1)))
    }

    @Test("zstd with worker threads round-trips", arguments: [1, 2])
    func zstdJobs(_ jobs: Int) throws {
        let input = Self.data(.text, count: 3 << 20)
        let compressor = try #require(try Codecs.compressor(
            for: CompressionChoice(algorithm: .zstd), deflateFraming: .zlib, jobs: jobs))
        var compressed: [UInt8] = []
        for _ in 0..<2 {  // two streams, as for two tables
            compressed.removeAll()
            try compressor.reset()
            try input.withUnsafeBytes { raw in try compressor.compress(raw) { compressed += $0 } }
            try compressor.finish { compressed += $0 }
            let decompressor = try #require(try Codecs.decompressor(for: .zstd, deflateFraming: .zlib))
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var offset = 0
            var finished = false
            while !finished {
                let step = try compressed.withUnsafeBytes { raw in
                    try buffer.withUnsafeMutableBytes { out in
                        try decompressor.decompress(UnsafeRawBufferPointer(rebasing: raw[offset...]), into: out)
                    }
                }
                output += buffer.prefix(step.produced)
                offset += step.consumed
                finished = step.finished
                if step.consumed == 0 && step.produced == 0 && !finished { break }
            }
            #expect(finished && offset == compressed.count)
            #expect(output == input)
        }
    }
}
