import Testing

@testable import PGDumpKit

/// igzip (ISA-L) replaced zlib's inflate for reading: it must accept and refuse exactly what zlib does.
@Suite("Inflate: igzip against zlib")
struct InflateTests {
    /// Varied, partly compressible bytes.
    static func sample(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        let words = ["alpha\t", "beta\\n", "gamma 'q' ", "\u{1}", "delta\n", "0123456789"].map { Array($0.utf8) }
        while bytes.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            if state >> 60 < 3 {
                bytes.append(UInt8(truncatingIfNeeded: state >> 33))
            } else {
                bytes.append(contentsOf: words[Int(state >> 40) % words.count])
            }
        }
        return Array(bytes.prefix(count))
    }

    static func compress(_ data: [UInt8], framing: Codecs.DeflateFraming, level: Int = 6) throws -> [UInt8] {
        let compressor = try ZlibCompressor(level: level, framing: framing)
        var out: [UInt8] = []
        try data.withUnsafeBytes { try compressor.compress($0) { out.append(contentsOf: $0) } }
        try compressor.finish { out.append(contentsOf: $0) }
        return out
    }

    /// Decompresses `stored` fed in pieces of `piece` bytes; returns the output or the error's message.
    static func inflate(_ decompressor: Decompressor, _ stored: [UInt8], piece: Int, gzipFile: Bool) -> Result<[UInt8], PGDumpError> {
        let pump = DecodingPump(decompressor: decompressor, ignoresTrailingBytes: gzipFile, outputCapacity: 1000)
        var sink = CollectingSink()
        do {
            var offset = 0
            while offset < stored.count {
                let end = min(stored.count, offset + piece)
                try stored[offset..<end].withUnsafeBytes { try pump.feed($0, into: &sink) }
                offset = end
            }
            try pump.finish(into: &sink)
            return .success(sink.bytes)
        } catch let error as PGDumpError {
            return .failure(error)
        } catch {
            return .failure(PGDumpError(.codec, "\(error)"))
        }
    }

    struct CollectingSink: DataSink {
        var bytes: [UInt8] = []
        mutating func write(_ piece: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: piece) }
    }

    /// Both inflaters on the same input: same output, or both refuse it.
    static func agree(_ stored: [UInt8], framing: Codecs.DeflateFraming, expected: [UInt8]?) throws {
        for piece in [1, 2, 3, 5, 7, 9, 4096, 1 << 20] {
            let isal = inflate(try IgzipDecompressor(framing: framing), stored, piece: piece, gzipFile: framing == .gzipFile)
            let zlib = inflate(try ZlibDecompressor(framing: framing), stored, piece: piece, gzipFile: framing == .gzipFile)
            switch (isal, zlib) {
            case (.success(let a), .success(let b)):
                // Compared outside #expect, which would print the whole arrays on a mismatch.
                let same = a == b, asExpected = expected.map { a == $0 } ?? true
                #expect(same, "piece \(piece): igzip gave \(a.count) bytes, zlib \(b.count)")
                #expect(asExpected, "piece \(piece): \(a.count) bytes, expected \(expected?.count ?? 0)")
            case (.failure, .failure):
                #expect(expected == nil, "piece \(piece): both refused valid data")
            default:
                Issue.record("piece \(piece): igzip \(isal) but zlib \(zlib)")
            }
        }
    }

    @Test("valid streams of many sizes", arguments: [0, 1, 100, 70_000, 300_000])
    func validStreams(size: Int) throws {
        let data = Self.sample(size, seed: UInt64(size) + 3)
        for framing in [Codecs.DeflateFraming.zlib, .gzipFile] {
            for level in [1, 6, 9] {
                try Self.agree(Self.compress(data, framing: framing, level: level), framing: framing, expected: data)
            }
        }
    }

    @Test("gzip files: several members, trailing bytes, an empty file")
    func gzipFileShapes() throws {
        let a = Self.sample(50_000, seed: 5), b = Self.sample(3000, seed: 6)
        let first = try Self.compress(a, framing: .gzipFile), second = try Self.compress(b, framing: .gzipFile)
        try Self.agree(first + second, framing: .gzipFile, expected: a + b)
        try Self.agree(first + [0, 0, 0, 0, 0], framing: .gzipFile, expected: a)
        try Self.agree(first + [0x1f], framing: .gzipFile, expected: a)
        try Self.agree(first + [0x1f, 0x8c, 1, 2], framing: .gzipFile, expected: a)
        for junk in 1...9 {
            try Self.agree(first + Array(repeating: 0x58, count: junk), framing: .gzipFile, expected: a)
        }
        try Self.agree([], framing: .gzipFile, expected: [])
    }

    @Test("damage is refused by both: truncation, a flipped byte, a wrong checksum")
    func damage() throws {
        let data = Self.sample(200_000, seed: 9)
        for framing in [Codecs.DeflateFraming.zlib, .gzipFile] {
            let good = try Self.compress(data, framing: framing)
            for cut in [1, 5, good.count / 2, good.count - 1] {
                try Self.agree(Array(good.prefix(cut)), framing: framing, expected: nil)
            }
            var checksum = good
            checksum[checksum.count - (framing == .zlib ? 1 : 5)] ^= 0x40
            try Self.agree(checksum, framing: framing, expected: nil)
            var header = good
            header[framing == .zlib ? 0 : 2] ^= 0x01
            try Self.agree(header, framing: framing, expected: nil)
            if framing == .zlib {
                // Bytes after the stream's end (igzip reads ahead eight bytes at a time and must give them back).
                for junk in 1...9 {
                    try Self.agree(good + Array(repeating: 0x58, count: junk), framing: framing, expected: nil)
                }
            }
        }
    }

    @Test("an empty zlib stream in a custom archive is an error")
    func emptyZlibStream() throws {
        let result = Self.inflate(try IgzipDecompressor(framing: .zlib), [], piece: 1, gzipFile: false)
        guard case .failure(let error) = result else {
            Issue.record("accepted")
            return
        }
        #expect(error.description.contains("truncated"))
    }
}
