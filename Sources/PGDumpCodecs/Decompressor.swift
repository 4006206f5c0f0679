import PGDumpCore

/// The outcome of one decompression step.
package struct DecompressionStep: Sendable {
    /// Input bytes used.
    package var consumed: Int
    /// Output bytes written.
    package var produced: Int
    /// Whether the compressed stream ended; any input after it is not part of the stream.
    package var finished: Bool
}

/// A streaming decompressor. Knows nothing about archives: framing belongs to the formats.
package protocol Decompressor: AnyObject {
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
    package enum DeflateFraming: Sendable {
        case zlib
        case gzipFile
    }

    /// A decompressor for `algorithm`, or `nil` for `.none`.
    package static func decompressor(
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
        /// Bytes past the stream's end that the inflater had taken in earlier calls and gives back now.
        var readAhead: [UInt8] = []
    }

    let framing: Codecs.DeflateFraming
    private var sawInput = false
    private var betweenMembers = false
    /// Bytes after a member not yet handed on: a possible start of the next member, read ahead or held until
    /// the next input decides.
    private var held: [UInt8] = []

    init(framing: Codecs.DeflateFraming) { self.framing = framing }

    mutating func reset() { self = GzipMemberSequence(framing: framing) }

    /// One decompression step around the inflater's: `restart` readies it for a new member, `inflate` decodes.
    mutating func step(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, restart: () -> Void,
        inflate: (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) throws -> Inflated
    ) throws -> DecompressionStep {
        let ended = DecompressionStep(consumed: 0, produced: 0, finished: true)
        if input.count == 0 && !sawInput && framing == .gzipFile {
            // No stored bytes at all: pg_dump writes an empty file for an empty large object. (An empty zlib
            // stream in a custom archive is an error, as in pg_restore.)
            return ended
        }
        sawInput = true
        if betweenMembers {
            // The next two bytes, held ones first, decide: the magic 1f 8b starts another member.
            let wanted = max(0, 2 - held.count)
            let magic = held + input.prefix(wanted)
            if magic.count < 2 {
                guard !input.isEmpty, magic.first == 0x1f else { return ended }
                held.append(contentsOf: input)
                return DecompressionStep(consumed: input.count, produced: 0, finished: false)
            }
            guard magic[0] == 0x1f, magic[1] == 0x8b else { return ended }
            betweenMembers = false
            restart()
            let replayed = held
            held = []
            if !replayed.isEmpty {
                // Bytes of the next member taken in earlier calls: the inflater reads them first (no output,
                // they are header bytes).
                let result = try replayed.withUnsafeBytes { try inflate($0, output) }
                guard result.consumed == replayed.count, result.produced == 0, !result.streamEnded else {
                    throw codecError("gzip", "invalid gzip member header")
                }
            }
        }
        let result = try inflate(input, output)
        guard result.streamEnded else {
            return DecompressionStep(consumed: result.consumed, produced: result.produced, finished: false)
        }
        guard framing == .gzipFile else {
            // A zlib stream ends here; bytes after it are damage, as the pump reports for those still unread.
            if !result.readAhead.isEmpty {
                throw codecError("gzip", "unexpected data after the end of the compressed stream")
            }
            return DecompressionStep(consumed: result.consumed, produced: result.produced, finished: true)
        }
        // A gzip file may go on with another member.
        betweenMembers = true
        held = result.readAhead
        return DecompressionStep(consumed: result.consumed, produced: result.produced, finished: false)
    }
}
