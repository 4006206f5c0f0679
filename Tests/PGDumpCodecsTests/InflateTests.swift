import PGDumpCodecs
import PGDumpCore
import PGDumpTestSupport
import Testing

/// igzip (ISA-L) replaced zlib's inflate for reading: it must accept and refuse exactly what zlib does.
@Suite("Inflate: igzip against zlib")
struct InflateTests {
    @Test("valid streams of many sizes", arguments: [0, 1, 100, 70_000, 300_000])
    func validStreams(size: Int) throws {
        let data = DeflateSamples.sample(size, seed: UInt64(size) + 3)
        for framing in [Codecs.DeflateFraming.zlib, .gzipFile] {
            for level in [1, 6, 9] {
                let stored = try DeflateSamples.compress(data, framing: framing, level: level)
                try DeflateSamples.agree(stored, framing: framing, expected: data)
            }
        }
    }

    @Test("gzip files: several members, trailing bytes, an empty file")
    func gzipFileShapes() throws {
        let a = DeflateSamples.sample(50_000, seed: 5), b = DeflateSamples.sample(3000, seed: 6)
        let first = try DeflateSamples.compress(a, framing: .gzipFile)
        let second = try DeflateSamples.compress(b, framing: .gzipFile)
        try DeflateSamples.agree(first + second, framing: .gzipFile, expected: a + b)
        try DeflateSamples.agree(first + [0, 0, 0, 0, 0], framing: .gzipFile, expected: a)
        try DeflateSamples.agree(first + [0x1f], framing: .gzipFile, expected: a)
        try DeflateSamples.agree(first + [0x1f, 0x8c, 1, 2], framing: .gzipFile, expected: a)
        for junk in 1...9 {
            try DeflateSamples.agree(first + Array(repeating: 0x58, count: junk), framing: .gzipFile, expected: a)
        }
        try DeflateSamples.agree([], framing: .gzipFile, expected: [])
    }

    @Test("damage is refused by both: truncation, a flipped byte, a wrong checksum")
    func damage() throws {
        let data = DeflateSamples.sample(200_000, seed: 9)
        for framing in [Codecs.DeflateFraming.zlib, .gzipFile] {
            let good = try DeflateSamples.compress(data, framing: framing)
            for cut in [1, 5, good.count / 2, good.count - 1] {
                try DeflateSamples.agree(Array(good.prefix(cut)), framing: framing, expected: nil)
            }
            var checksum = good
            checksum[checksum.count - (framing == .zlib ? 1 : 5)] ^= 0x40
            try DeflateSamples.agree(checksum, framing: framing, expected: nil)
            var header = good
            header[framing == .zlib ? 0 : 2] ^= 0x01
            try DeflateSamples.agree(header, framing: framing, expected: nil)
            if framing == .zlib {
                // Bytes after the stream's end (igzip reads ahead eight bytes at a time and must give them back).
                for junk in 1...9 {
                    try DeflateSamples.agree(good + Array(repeating: 0x58, count: junk), framing: framing, expected: nil)
                }
            }
        }
    }

    @Test("an empty zlib stream in a custom archive is an error")
    func emptyZlibStream() throws {
        let result = DeflateSamples.inflate(try IgzipDecompressor(framing: .zlib), [], piece: 1, gzipFile: false)
        guard case .failure(let error) = result else {
            Issue.record("accepted")
            return
        }
        #expect(error.description.contains("truncated"))
    }
}
