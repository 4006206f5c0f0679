/// A pipe whose first bytes were already read (to detect the format), handing them back before the rest.
final class PrefixReplayingSource: ByteSource {
    private let prefix: [UInt8]
    private let base: ByteSource
    private var prefixOffset = 0
    private(set) var position: Int64 = 0

    init(prefix: [UInt8], base: ByteSource) {
        self.prefix = prefix
        self.base = base
    }

    var name: String { base.name }
    var size: Int64? { nil }
    var isSeekable: Bool { false }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
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

    func seek(to offset: Int64) throws {
        throw PGDumpError(.io, "cannot seek in a pipe", file: name)
    }
}
