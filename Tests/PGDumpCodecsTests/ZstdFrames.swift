import PGDumpCodecs

/// zstd frames for the codec tests: one built by hand, and a whole-input decompression.
enum ZstdFrames {
    /// A zstd frame with the given window (`2^windowLog` bytes) holding one raw byte, built by hand: magic,
    /// frame header descriptor 0 (no content size, no checksum), window descriptor, one last raw block.
    static func frame(windowLog: Int) -> [UInt8] {
        [0x28, 0xB5, 0x2F, 0xFD, 0x00, UInt8((windowLog - 10) << 3), 0x09, 0x00, 0x00, UInt8(ascii: "x")]
    }

    /// `input` decompressed through a small output buffer, up to the end of the first frame.
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
}
