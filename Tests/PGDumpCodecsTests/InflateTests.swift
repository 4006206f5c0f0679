import PGDumpCodecs
import PGDumpCore
import PGDumpTestSupport
import Testing

/// igzip (ISA-L) replaced zlib's inflate for reading: it must accept and refuse exactly what zlib does. (Damaged
/// streams, which both must refuse, are in `CodecBadInputTests`.)
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
}
