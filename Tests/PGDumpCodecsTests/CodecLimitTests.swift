import Foundation
import PGDumpCodecs
import PGDumpCore
import Testing

/// The memory bounds of the codecs: zstd windows up to what pg_dump writes, and no further.
@Suite struct CodecLimitTests {
    /// A zstd frame with the given window (`2^windowLog` bytes) holding one raw byte, built by hand: magic,
    /// frame header descriptor 0 (no content size, no checksum), window descriptor, one last raw block.
    static func frame(windowLog: Int) -> [UInt8] {
        [0x28, 0xB5, 0x2F, 0xFD, 0x00, UInt8((windowLog - 10) << 3), 0x09, 0x00, 0x00, UInt8(ascii: "x")]
    }

    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        let decompressor = try ZstdDecompressor()
        var output = [UInt8](repeating: 0, count: 64)
        var produced: [UInt8] = []
        var consumedTotal = 0
        while true {
            let step = try input[consumedTotal...].withUnsafeBytes { inputBytes in
                try output.withUnsafeMutableBytes { try decompressor.decompress(inputBytes, into: $0) }
            }
            produced += output[0..<step.produced]
            consumedTotal += step.consumed
            if step.finished || (step.consumed == 0 && step.produced == 0) { break }
        }
        return produced
    }

    @Test("zstd data with pg_dump's largest window (-Z zstd:long, 128 MiB) is read; a larger window is refused")
    func zstdWindow() throws {
        #expect(ZstdDecompressor.maximumWindowLog == 27)
        #expect(try Self.decompress(Self.frame(windowLog: 27)) == Array("x".utf8))
        let error = try #require(throws: PGDumpError.self) { _ = try Self.decompress(Self.frame(windowLog: 28)) }
        #expect(error.message.contains("window larger than 128 MiB"), "\(error.message)")
    }

    @Test("every zstd level compresses, high levels within the capped window, and decompresses to the input")
    func zstdLevels() throws {
        var input: [UInt8] = []
        for index in 0..<200_000 { input += Array("row \(index % 977) \(index)\n".utf8) }
        for level in [1, 3, 9, 10, 19, 22] {
            let compressor = try ZstdCompressor(level: level, jobs: 2)
            var compressed: [UInt8] = []
            try input.withUnsafeBytes { bytes in try compressor.compress(bytes) { compressed += Array($0) } }
            try compressor.finish { compressed += Array($0) }
            #expect(try Self.decompress(compressed) == input, "level \(level)")
            // The frame header's window: at most 1 MiB above level 9.
            let descriptor = compressed[4]
            let hasWindowDescriptor = descriptor & 0x20 == 0
            if level > 9 && hasWindowDescriptor {
                #expect(Int(compressed[5] >> 3) + 10 <= 20, "level \(level)")
            }
        }
    }
}
