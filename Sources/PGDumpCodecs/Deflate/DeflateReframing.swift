import CIsal
import PGDumpCore

/// Moves gzip-compressed data between the custom format (zlib streams) and the directory format (gzip files)
/// without recompressing it.
///
/// Both framings wrap the same raw deflate data; only the header and the trailer differ: a zlib stream ends with
/// the Adler-32 of the data, a gzip file with its CRC-32 and length. The deflate bytes are copied as they are and
/// the new trailer's checksum comes from inflating the data once — which also checks the old checksum, so damage
/// is caught exactly as when reading. Inflating is several times cheaper than deflating again.
enum DeflateReframing {
    /// The headers written: those of zlib's default level. A gzip header read must be this plain one (no name,
    /// comment, extra field or header CRC) to be replaced blindly.
    static let gzipHeader = DeflateWrapper.header(.gzipFile, level: 6)
    static let zlibHeader = DeflateWrapper.header(.zlib, level: 6)
    /// The zlib stream of no data, for an empty gzip file (pg_dump writes one for an empty large object).
    static let emptyZlibStream = zlibHeader + [0x03, 0x00] + DeflateWrapper.trailer(.zlib, check: 1, length: 0)
}

/// A sink that sees where each compressed stream begins and ends: table data is one stream, and each large
/// object is one (the sink's `beginLargeObject`/`endLargeObject` begin and end it).
package protocol ReframingSink: DataSink {
    mutating func beginStream() throws
    mutating func endStream() throws
}

/// A reframing sink that hands what it writes to another sink, large-object brackets included.
package protocol ForwardingReframingSink: ReframingSink {
    associatedtype Inner: DataSink
    var inner: Inner { get set }
}

extension ForwardingReframingSink {
    package mutating func beginLargeObject(oid: UInt32) throws {
        try inner.beginLargeObject(oid: oid)
        try beginStream()
    }

    package mutating func endLargeObject() throws {
        try endStream()
        try inner.endLargeObject()
    }
}

/// Rewrites zlib streams (custom format) as gzip files (directory format) in one pass: the 2-byte zlib header
/// is replaced, the deflate data copied, and the 4-byte Adler-32 trailer (held back as it arrives) replaced by
/// the CRC-32 and length of the inflated data.
package struct ZlibToGzipSink<Inner: DataSink>: ForwardingReframingSink {
    package var inner: Inner
    private let pump: DecodingPump
    private var checksum = ChecksumSink()
    /// Bytes of the zlib header not yet skipped, and the last bytes seen (the trailer, when the stream ends).
    private var headerToSkip = 0
    private var tail: [UInt8] = []

    package init(into inner: Inner) throws {
        self.inner = inner
        pump = DecodingPump(decompressor: try IgzipDecompressor(framing: .zlib))
    }

    /// Starts a stream: the gzip header goes out, the zlib header will be skipped.
    package mutating func beginStream() throws {
        try pump.reset()
        checksum = ChecksumSink()
        headerToSkip = DeflateReframing.zlibHeader.count
        tail.removeAll(keepingCapacity: true)
        try DeflateReframing.gzipHeader.withUnsafeBytes { try inner.write($0) }
    }

    /// Ends a stream: checks it ended where the stored bytes end, then writes the gzip trailer.
    package mutating func endStream() throws {
        try pump.finish(into: &checksum)
        let trailer = DeflateWrapper.trailer(.gzipFile, check: checksum.crc32, length: UInt64(checksum.length))
        try trailer.withUnsafeBytes { try inner.write($0) }
    }

    package mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        try pump.feed(bytes, into: &checksum)
        var rest = bytes[...]
        let skipped = min(headerToSkip, rest.count)
        headerToSkip -= skipped
        rest = rest.dropFirst(skipped)
        // Whatever is more than 4 bytes from the end so far is deflate data.
        let trailerSize = 4
        if tail.count + rest.count <= trailerSize {
            tail.append(contentsOf: rest)
            return
        }
        let fromTail = min(tail.count, tail.count + rest.count - trailerSize)
        if fromTail > 0 {
            try tail.withUnsafeBytes { try inner.write(UnsafeRawBufferPointer(rebasing: $0[0..<fromTail])) }
            tail.removeFirst(fromTail)
        }
        let fromRest = rest.count - (trailerSize - tail.count)
        if fromRest > 0 { try inner.write(UnsafeRawBufferPointer(rebasing: rest.prefix(fromRest))) }
        tail.append(contentsOf: rest.dropFirst(max(fromRest, 0)))
    }

}

/// What a first pass over gzip files learns: for each stream in order, the Adler-32 of its data, or that it
/// cannot be copied as one zlib stream (a header with optional fields, several members, bytes after the end).
package final class GzipFileSurvey: ReframingSink {
    package enum Stream: Equatable {
        case empty
        case copyable(storedSize: Int64, adler32: UInt32)
        case notCopyable
    }

    package private(set) var streams: [Stream] = []
    private let decompressor: IgzipDecompressor
    private let output: UnsafeMutableRawBufferPointer
    private var storedSize: Int64 = 0
    private var adler: UInt32 = 1
    private var header: [UInt8] = []
    private var copyable = true
    private var open = false

    package init() throws {
        decompressor = try IgzipDecompressor(framing: .gzipFile)
        output = .allocate(byteCount: 256 << 10, alignment: 16)
    }

    deinit { output.deallocate() }

    package var allCopyable: Bool { !streams.contains(.notCopyable) }

    package func beginStream() throws {
        try decompressor.reset()
        storedSize = 0
        adler = 1
        header.removeAll(keepingCapacity: true)
        copyable = true
        open = true
    }

    package func endStream() throws {
        guard open else { return }
        open = false
        if storedSize == 0 {
            streams.append(.empty)
            return
        }
        while copyable && decompressor.completedMembers == 0 {
            let step = try decompressor.decompress(UnsafeRawBufferPointer(start: nil, count: 0), into: output)
            absorb(step.produced)
            if step.finished { break }
            if step.produced == 0 { throw codecError("gzip", "compressed data is truncated") }
        }
        let oneMember = decompressor.completedMembers == 1 && decompressor.bytesReadPastLastMember == 0
        streams.append(copyable && oneMember ? .copyable(storedSize: storedSize, adler32: adler) : .notCopyable)
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard copyable else { return }
        if header.count < DeflateReframing.gzipHeader.count {
            header.append(contentsOf: bytes.prefix(DeflateReframing.gzipHeader.count - header.count))
            // Only a plain header (flags 0) is replaced blindly.
            if header.count >= 4 && header[3] != 0 { copyable = false }
        }
        storedSize += Int64(bytes.count)
        var offset = 0
        while offset < bytes.count && copyable {
            // Bytes after the first member (a second member, or bytes gzread would ignore): not one zlib stream.
            guard decompressor.completedMembers == 0 else {
                copyable = false
                break
            }
            let step = try decompressor.decompress(UnsafeRawBufferPointer(rebasing: bytes[offset...]), into: output)
            absorb(step.produced)
            offset += step.consumed
        }
    }

    private func absorb(_ count: Int) {
        guard count > 0 else { return }
        adler = UInt32(truncatingIfNeeded: isal_adler32(adler, output.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(count)))
    }

    package func beginLargeObject(oid: UInt32) throws { try beginStream() }
    package func endLargeObject() throws { try endStream() }
}

/// The second pass: writes each surveyed gzip file as a zlib stream — zlib header, the deflate data between the
/// 10-byte gzip header and the 8-byte trailer, and the Adler-32 the survey computed.
package struct GzipToZlibSink<Inner: DataSink>: ForwardingReframingSink {
    package var inner: Inner
    private var streams: IndexingIterator<[GzipFileSurvey.Stream]>
    private var current: GzipFileSurvey.Stream?
    private var position: Int64 = 0

    package init(into inner: Inner, survey: [GzipFileSurvey.Stream]) {
        self.inner = inner
        streams = survey.makeIterator()
    }

    package mutating func beginStream() throws {
        guard let next = streams.next() else {
            throw PGDumpError(.corrupt, "the data changed between two reads of it")
        }
        current = next
        position = 0
        switch next {
        case .empty: try DeflateReframing.emptyZlibStream.withUnsafeBytes { try inner.write($0) }
        case .copyable: try DeflateReframing.zlibHeader.withUnsafeBytes { try inner.write($0) }
        case .notCopyable: throw PGDumpError(.invalidRequest, "gzip data that is not one plain member cannot be reframed")
        }
    }

    package mutating func endStream() throws {
        guard case .copyable(let size, let adler) = current else { return }
        guard position == size else { throw PGDumpError(.corrupt, "the data changed between two reads of it") }
        try DeflateWrapper.trailer(.zlib, check: adler, length: 0).withUnsafeBytes { try inner.write($0) }
    }

    package mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard case .copyable(let size, _) = current else {
            if bytes.count > 0 { throw PGDumpError(.corrupt, "the data changed between two reads of it") }
            return
        }
        let start = position, end = position + Int64(bytes.count)
        position = end
        let deflateStart = Int64(DeflateReframing.gzipHeader.count), deflateEnd = size - 8
        let from = max(start, deflateStart), to = min(end, deflateEnd)
        guard from < to else { return }
        try inner.write(UnsafeRawBufferPointer(rebasing: bytes[Int(from - start)..<Int(to - start)]))
    }

}

/// Counts and checksums inflated bytes (CRC-32 as gzip computes it).
private struct ChecksumSink: DataSink {
    private(set) var crc32: UInt32 = 0
    private(set) var length: Int64 = 0

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        crc32 = crc32_gzip_refl(crc32, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
        length += Int64(bytes.count)
    }
}
