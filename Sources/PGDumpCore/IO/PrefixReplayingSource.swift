/// A pipe whose first bytes were already read (to detect the format), handing them back before the rest.
package final class PrefixReplayingSource: ByteSource {
    private let prefix: [UInt8]
    private let base: ByteSource
    private var prefixOffset = 0
    package private(set) var position: Int64 = 0

    package init(prefix: [UInt8], base: ByteSource) {
        self.prefix = prefix
        self.base = base
    }

    package var name: String { base.name }
    package var size: Int64? { nil }
    package var isSeekable: Bool { false }
    /// The prefix was counted when it was read from the base.
    package var bytesRead: Int64 { base.bytesRead }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count: Int
        if prefixOffset < prefix.count {
            count = min(buffer.count, prefix.count - prefixOffset)
            prefix.withUnsafeBytes {
                buffer.baseAddress!.copyMemory(from: $0.baseAddress! + prefixOffset, byteCount: count)
            }
            prefixOffset += count
        } else {
            count = try base.read(into: buffer)
        }
        position += Int64(count)
        return count
    }

    package func seek(to offset: Int64) throws {
        throw PGDumpError(.io, "cannot seek in a pipe", file: name)
    }
}
