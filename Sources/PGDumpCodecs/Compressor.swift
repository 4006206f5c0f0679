import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// A streaming compressor. Like the decompressors it knows no archive; the formats frame what it produces.
package protocol Compressor: AnyObject {
    var codecName: String { get }
    /// Compresses `input`, handing every piece of output to `emit`.
    func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Ends the stream, emitting what remains (trailers, end marks).
    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Prepares for a new, independent stream.
    func reset() throws
}

extension Codecs {
    /// A compressor for `spec`, or `nil` for no compression.
    ///
    /// - Parameter jobs: threads that compress (gzip and zstd); 1 compresses on the caller's thread. gzip
    ///   output is the same for every value; zstd's is the same for every value from 2 on.
    package static func compressor(
        for spec: CompressionChoice, deflateFraming: DeflateFraming, jobs: Int = defaultCompressionJobs
    ) throws -> Compressor? {
        switch spec.algorithm {
        case .none: return nil
        case .gzip: return try ParallelDeflateCompressor(level: spec.level ?? -1, framing: deflateFraming, jobs: jobs)
        case .lz4: return try LZ4Compressor(level: spec.level ?? 0)
        case .zstd: return try ZstdCompressor(level: spec.level ?? 3, jobs: jobs)
        }
    }

    /// The online CPUs, at most 8: beyond that the reader, not compression, sets the pace, and every thread
    /// costs a few chunks of memory.
    public static var defaultCompressionJobs: Int {
        min(max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1), 8)
    }
}
