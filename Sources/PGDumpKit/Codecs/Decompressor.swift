/// The outcome of one decompression step.
public struct DecompressionStep: Sendable {
    /// Input bytes used.
    public var consumed: Int
    /// Output bytes written.
    public var produced: Int
    /// Whether the compressed stream ended; any input after it is not part of the stream.
    public var finished: Bool
}

/// A streaming decompressor. Knows nothing about archives: framing belongs to the formats.
public protocol Decompressor: AnyObject {
    /// The codec's name for messages (`gzip`, `lz4`, `zstd`).
    var codecName: String { get }
    /// Decompresses from `input` into `output`. Call again with the unconsumed input (and more) while the step
    /// reports progress; an empty `input` asks the codec to flush what it holds.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws
        -> DecompressionStep
    /// Prepares for a new, independent stream.
    func reset() throws
}

/// Makes decompressors for an algorithm.
public enum Codecs {
    /// How gzip data is framed: a zlib stream (custom format) or a gzip file (directory format).
    public enum DeflateFraming: Sendable {
        case zlib
        case gzipFile
    }

    /// A decompressor for `algorithm`, or `nil` for `.none`.
    public static func decompressor(
        for algorithm: CompressionAlgorithm, deflateFraming: DeflateFraming
    ) throws -> Decompressor? {
        switch algorithm {
        case .none: return nil
        case .gzip: return try IgzipDecompressor(framing: deflateFraming)
        case .lz4: return try LZ4Decompressor()
        case .zstd: return try ZstdDecompressor()
        }
    }
}

/// An error a codec reported.
func codecError(_ codec: String, _ message: String) -> PGDumpError {
    PGDumpError(.codec, "could not decompress \(codec) data: \(message)")
}

/// gzread's rule for what follows a gzip member: another member, which starts with the magic bytes 1f 8b, or the
/// end of the file (any other bytes are ignored). The input may come a byte at a time, so a first magic byte is
/// held until the next one decides.
struct GzipMemberBoundary {
    enum Decision {
        /// The file ends here.
        case end
        /// A lone 1f was consumed and held; more input decides.
        case heldFirstByte
        /// A new member starts; when `replaysFirstByte`, its 1f was consumed by an earlier call and must be fed
        /// to the decompressor before `input`.
        case nextMember(replaysFirstByte: Bool)
    }

    private var holdsFirstByte = false

    mutating func decide(_ input: UnsafeRawBufferPointer) -> Decision {
        if holdsFirstByte {
            guard input.count >= 1, input[0] == 0x8b else { return .end }
            holdsFirstByte = false
            return .nextMember(replaysFirstByte: true)
        }
        guard input.count >= 1, input[0] == 0x1f else { return .end }
        if input.count == 1 {
            holdsFirstByte = true
            return .heldFirstByte
        }
        return input[1] == 0x8b ? .nextMember(replaysFirstByte: false) : .end
    }

    /// The magic byte a held decision replays.
    static let firstByte: [UInt8] = [0x1f]
}
