import PGDumpKit
import Testing

/// Deflate data for the codec tests: varied sample bytes, zlib's own compression of them, and the two
/// inflaters (ISA-L's igzip and zlib) run side by side.
public enum DeflateSamples {
    /// Varied, partly compressible bytes.
    package static func sample(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
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

    /// `data` compressed by zlib as one zlib stream or one gzip member.
    package static func compress(_ data: [UInt8], framing: Codecs.DeflateFraming, level: Int = 6) throws -> [UInt8] {
        let compressor = try ZlibCompressor(level: level, framing: framing)
        var out: [UInt8] = []
        try data.withUnsafeBytes { try compressor.compress($0) { out.append(contentsOf: $0) } }
        try compressor.finish { out.append(contentsOf: $0) }
        return out
    }

    /// Decompresses `stored` fed in pieces of `piece` bytes; returns the output or the error.
    package static func inflate(
        _ decompressor: any Decompressor, _ stored: [UInt8], piece: Int, gzipFile: Bool
    ) -> Result<[UInt8], PGDumpError> {
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

    /// Both inflaters on the same input, fed in pieces of many sizes: the same output (`expected`, when given),
    /// or both refuse it (`expected` is `nil`).
    package static func agree(
        _ stored: [UInt8], framing: Codecs.DeflateFraming, expected: [UInt8]?,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for piece in [1, 2, 3, 5, 7, 9, 4096, 1 << 20] {
            let isal = inflate(try IgzipDecompressor(framing: framing), stored, piece: piece, gzipFile: framing == .gzipFile)
            let zlib = inflate(try ZlibDecompressor(framing: framing), stored, piece: piece, gzipFile: framing == .gzipFile)
            switch (isal, zlib) {
            case (.success(let a), .success(let b)):
                // Compared outside #expect, which would print the whole arrays on a mismatch.
                let same = a == b, asExpected = expected.map { a == $0 } ?? true
                #expect(same, "piece \(piece): igzip gave \(a.count) bytes, zlib \(b.count)", sourceLocation: sourceLocation)
                #expect(asExpected, "piece \(piece): \(a.count) bytes, expected \(expected?.count ?? 0)",
                        sourceLocation: sourceLocation)
            case (.failure, .failure):
                #expect(expected == nil, "piece \(piece): both refused valid data", sourceLocation: sourceLocation)
            default:
                Issue.record("piece \(piece): igzip \(isal) but zlib \(zlib)", sourceLocation: sourceLocation)
            }
        }
    }
}
