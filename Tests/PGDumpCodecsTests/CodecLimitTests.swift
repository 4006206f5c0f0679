import Foundation
import PGDumpCodecs
import PGDumpCore
import Testing

/// The memory bounds of the codecs: zstd windows up to what pg_dump writes, and no further. (Frames that ask for
/// a larger window are refused in `CodecBadInputTests`.)
@Suite struct CodecLimitTests {
    @Test("every zstd level compresses, high levels within the capped window, and decompresses to the input")
    func zstdLevels() throws {
        var input: [UInt8] = []
        for index in 0..<200_000 { input += Array("row \(index % 977) \(index)\n".utf8) }
        for level in [1, 3, 9, 10, 19, 22] {
            let compressor = try ZstdCompressor(level: level, jobs: 2)
            var compressed: [UInt8] = []
            try input.withUnsafeBytes { bytes in try compressor.compress(bytes) { compressed += Array($0) } }
            try compressor.finish { compressed += Array($0) }
            #expect(try ZstdFrames.decompress(compressed) == input, "level \(level)")
            // The frame header's window: at most 1 MiB above level 9.
            let descriptor = compressed[4]
            let hasWindowDescriptor = descriptor & 0x20 == 0
            if level > 9 && hasWindowDescriptor {
                #expect(Int(compressed[5] >> 3) + 10 <= 20, "level \(level)")
            }
        }
    }
}
