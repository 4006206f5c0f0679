import PGDumpCore

/// A `ByteSource` that yields the decompressed bytes of another source, for compressed files in a directory
/// archive (`toc.dat.gz`, `3387.dat.zst`…).
package final class DecompressingByteSource: ByteSource {
    package let name: String
    package let size: Int64? = nil
    package let isSeekable = false
    package private(set) var position: Int64 = 0
    private let base: BufferedReader
    package var bytesRead: Int64 { base.source.bytesRead }
    private let decompressor: Decompressor
    private let ignoresTrailingBytes: Bool
    private var finished = false

    package init(base: ByteSource, decompressor: Decompressor, ignoresTrailingBytes: Bool) {
        self.base = BufferedReader(source: base, capacity: 256 << 10)
        self.name = base.name
        self.decompressor = decompressor
        self.ignoresTrailingBytes = ignoresTrailingBytes
    }

    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while !finished {
            let inputOffset = base.position
            do {
                // Two bytes at least, so that a gzip member boundary can be told from trailing bytes.
                try base.fill(minimum: 2)
                let step: DecompressionStep
                if let produced = try base.withReadableBytes(maximum: Int.max, { input in
                    let step = try decompressor.decompress(input, into: buffer)
                    return (step.consumed, step)
                }) {
                    step = produced
                    if step.consumed == 0 && step.produced == 0 && !step.finished {
                        throw codecError(decompressor.codecName, "the decompressor made no progress")
                    }
                } else {
                    step = try decompressor.decompress(UnsafeRawBufferPointer(start: nil, count: 0), into: buffer)
                    if !step.finished && step.produced == 0 {
                        throw codecError(decompressor.codecName, "compressed data is truncated")
                    }
                }
                if step.finished {
                    finished = true
                    if !ignoresTrailingBytes, try base.peekBytes(count: 1) != nil {
                        throw codecError(decompressor.codecName, "unexpected data after the end of the compressed stream")
                    }
                }
                if step.produced > 0 {
                    position += Int64(step.produced)
                    return step.produced
                }
            } catch let error as PGDumpError {
                var located = error.inFile(name)
                if located.offset == nil { located.offset = inputOffset }
                throw located
            }
        }
        return 0
    }

    package func seek(to offset: Int64) throws {
        throw PGDumpError(.io, "cannot seek in compressed data", file: name)
    }
}
