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

/// What every inflater does around the members of a gzip file, as gzread does: an empty file is an empty
/// result; after a member another may follow (it starts with the magic bytes 1f 8b), anything else ends the
/// file and is ignored. The input may come a byte at a time, so a first magic byte is held until the next one
/// decides. zlib streams (custom format) have none of this: their end is the end.
struct GzipMemberSequence {
    /// What the inflater did with one call: bytes used and made, and whether its stream ended.
    struct Inflated {
        var consumed: Int
        var produced: Int
        var streamEnded: Bool
    }

    /// The magic byte a held decision replays.
    private static let heldFirstByte: [UInt8] = [0x1f]

    let framing: Codecs.DeflateFraming
    private var sawInput = false
    private var betweenMembers = false
    private var holdsFirstByte = false

    init(framing: Codecs.DeflateFraming) { self.framing = framing }

    mutating func reset() { self = GzipMemberSequence(framing: framing) }

    /// One decompression step around the inflater's: `restart` readies it for a new member, `inflate` decodes.
    mutating func step(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, restart: () -> Void,
        inflate: (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) throws -> Inflated
    ) rethrows -> DecompressionStep {
        let ended = DecompressionStep(consumed: 0, produced: 0, finished: true)
        if input.count == 0 && !sawInput && framing == .gzipFile {
            // No stored bytes at all: pg_dump writes an empty file for an empty large object. (An empty zlib
            // stream in a custom archive is an error, as in pg_restore.)
            return ended
        }
        sawInput = true
        if betweenMembers {
            let replaysFirstByte: Bool
            if holdsFirstByte {
                guard input.count >= 1, input[0] == 0x8b else { return ended }
                replaysFirstByte = true
            } else {
                guard input.count >= 1, input[0] == 0x1f else { return ended }
                if input.count == 1 {
                    holdsFirstByte = true
                    return DecompressionStep(consumed: 1, produced: 0, finished: false)
                }
                guard input[1] == 0x8b else { return ended }
                replaysFirstByte = false
            }
            betweenMembers = false
            holdsFirstByte = false
            restart()
            if replaysFirstByte {
                // The header's first byte came in an earlier call: the inflater reads it first (no output).
                _ = try Self.heldFirstByte.withUnsafeBytes { try inflate($0, output) }
            }
        }
        let result = try inflate(input, output)
        guard result.streamEnded else {
            return DecompressionStep(consumed: result.consumed, produced: result.produced, finished: false)
        }
        // A gzip file may go on with another member; a zlib stream ends here.
        betweenMembers = framing == .gzipFile
        return DecompressionStep(consumed: result.consumed, produced: result.produced, finished: framing == .zlib)
    }
}
