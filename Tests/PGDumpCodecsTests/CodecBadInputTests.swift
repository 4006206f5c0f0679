import PGDumpCodecs
import PGDumpCore
import PGDumpTestSupport
import Testing

/// Bad input to the codecs: damaged deflate data, which igzip must refuse exactly as zlib does, and zstd frames
/// that ask for more memory than pg_dump ever makes them need. Each is refused with an error, never a crash.
///
/// Damaged compressed data inside an archive is in `FormatBadInputTests`.
@Suite struct CodecBadInputTests {
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
                    try DeflateSamples.agree(
                        good + Array(repeating: 0x58, count: junk), framing: framing, expected: nil)
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

    @Test("zstd data with pg_dump's largest window (-Z zstd:long, 128 MiB) is read; a larger window is refused")
    func zstdWindow() throws {
        #expect(ZstdDecompressor.maximumWindowLog == 27)
        #expect(try ZstdFrames.decompress(ZstdFrames.frame(windowLog: 27)) == Array("x".utf8))
        let error = try #require(throws: PGDumpError.self) {
            _ = try ZstdFrames.decompress(ZstdFrames.frame(windowLog: 28))
        }
        #expect(error.message.contains("window larger than 128 MiB"), "\(error.message)")
    }
}
