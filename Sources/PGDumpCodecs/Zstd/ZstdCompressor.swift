import CZstd
import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// zstd's streaming compressor.
package final class ZstdCompressor: Compressor {
    package let codecName = "zstd"
    private let context: OpaquePointer
    private let output: UnsafeMutableRawBufferPointer
    static let jobSize = 1 << 20
    /// Above this level, compression runs on one thread with capped window and tables (see `init`).
    static let highestParallelLevel = 9

    /// The value `level` gives `parameter` by default (`ZSTD_getCParams` for an unknown size).
    static func levelDefault(_ parameter: ZSTD_cParameter, level: Int) -> Int32 {
        let parameters = ZSTD_getCParams(Int32(level), 0, 0)
        switch parameter {
        case ZSTD_c_windowLog: return Int32(parameters.windowLog)
        case ZSTD_c_chainLog: return Int32(parameters.chainLog)
        case ZSTD_c_hashLog: return Int32(parameters.hashLog)
        default: return 0
        }
    }

    /// - Parameter jobs: above 1, zstd's own worker threads (`ZSTD_c_nbWorkers`); ignored when libzstd was
    ///   built without them.
    package init(level: Int, jobs: Int = 1) throws {
        guard let context = ZSTD_createCCtx() else { throw PGDumpError(.codec, "could not initialize zstd compression") }
        self.context = context
        output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 16)
        let status = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level))
        if ZSTD_isError(status) != 0 {
            throw PGDumpError(.codec, "could not set zstd compression level \(level): \(String(cString: ZSTD_getErrorName(status)))")
        }
        if level > Self.highestParallelLevel {
            // The high levels' defaults take 100–700 MB (a 128 MiB window at 22, match tables of 2^24–2^27
            // entries, per worker). With a 1 MiB window and tables of 2^20 and 2^19 entries on one thread, a whole
            // convert stays under 32 MiB at every level (measured: 28.8 MB at 19 and 22, against 28.9 MB at 3
            // with two workers), for output a little larger than the level's own.
            for (parameter, ceiling) in [(ZSTD_c_windowLog, Int32(20)), (ZSTD_c_chainLog, 20), (ZSTD_c_hashLog, 19)] {
                _ = ZSTD_CCtx_setParameter(context, parameter, min(ceiling, Self.levelDefault(parameter, level: level)))
            }
            return
        }
        if jobs > 1 {
            // An error here means a single-threaded libzstd, which still compresses, only on this thread.
            if ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(min(jobs, 200)))) == 0 {
                // The default job (4 windows, 8 MiB at level 3) took 73 MB of RSS with 2 workers; 1 MiB jobs
                // keep the whole convert under 30 MB for about 1.5 % more output.
                _ = ZSTD_CCtx_setParameter(context, ZSTD_c_jobSize, Int32(Self.jobSize))
            }
        }
    }

    deinit {
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    package func reset() throws { ZSTD_CCtx_reset(context, ZSTD_reset_session_only) }

    package func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while inBuffer.pos < inBuffer.size {
            try step(&inBuffer, ZSTD_e_continue, emit: emit)
        }
    }

    package func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try step(&inBuffer, ZSTD_e_end, emit: emit) != 0 {}
    }

    @discardableResult
    private func step(
        _ inBuffer: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective, emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let remaining = ZSTD_compressStream2(context, &outBuffer, &inBuffer, directive)
        if ZSTD_isError(remaining) != 0 {
            throw PGDumpError(.codec, "could not compress zstd data: \(String(cString: ZSTD_getErrorName(remaining)))")
        }
        if outBuffer.pos > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<outBuffer.pos])) }
        return remaining
    }
}
