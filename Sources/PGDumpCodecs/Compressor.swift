import CLZ4
import CZlib
import CZstd
import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// A streaming compressor. Like the decompressors it knows no archive; the formats frame what it produces.
public protocol Compressor: AnyObject {
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
    public static func compressor(
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

/// An algorithm and an optional level, as pg_dump's `-Z` takes them.
public struct CompressionChoice: Hashable, Sendable, CustomStringConvertible {
    public var algorithm: CompressionAlgorithm
    /// The level, or `nil` for the library's default.
    public var level: Int?

    public init(algorithm: CompressionAlgorithm, level: Int? = nil) {
        self.algorithm = algorithm
        self.level = level
    }

    public var description: String {
        level.map { "\(algorithm):\($0)" } ?? algorithm.description
    }

    /// Parses pg_dump's `-Z` argument: `none`, `0`–`9` (gzip level; 0 means none), `gzip[:N]`, `lz4[:N]`,
    /// `zstd[:N]`, and the `level=N` detail form (`gzip:level=9`).
    public init(pgDumpSpec text: String) throws {
        func invalid(_ detail: String) -> PGDumpError {
            PGDumpError(.invalidRequest, "invalid compression specification: \(detail)")
        }
        if let number = Int(text) {
            guard (0...9).contains(number) else { throw invalid("compression level \(number) is outside 0..9") }
            self.init(algorithm: number == 0 ? .none : .gzip, level: number == 0 ? nil : number)
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first?.lowercased() ?? ""
        guard let algorithm = CompressionAlgorithm.allCases.first(where: { $0.description == name }) else {
            throw invalid("unrecognized compression algorithm \"\(name)\"")
        }
        var level: Int?
        if parts.count == 2 {
            var detail = parts[1]
            if detail.hasPrefix("level=") { detail = String(detail.dropFirst(6)) }
            guard let parsed = Int(detail) else { throw invalid("compression level \"\(parts[1])\" is not a number") }
            let range: ClosedRange<Int>
            switch algorithm {
            case .none: range = 0...0
            case .gzip: range = 1...9
            case .lz4: range = 1...12
            case .zstd: range = -131072...22
            }
            guard range.contains(parsed) else {
                throw invalid("compression algorithm \"\(name)\" expects a compression level between \(range.lowerBound) and \(range.upperBound) (default at \(Self.defaultLevel(algorithm)))")
            }
            level = algorithm == .none ? nil : parsed
        }
        self.init(algorithm: algorithm, level: level)
    }

    static func defaultLevel(_ algorithm: CompressionAlgorithm) -> Int {
        switch algorithm {
        case .none: return 0
        case .gzip: return 6
        case .lz4: return 0
        case .zstd: return 3
        }
    }
}

/// zlib's deflate in one stream: a zlib stream (custom-format chunks) or a gzip file (directory format).
///
/// Writing uses `ParallelDeflateCompressor`; this plain one is the reference its tests compare against.
public final class ZlibCompressor: Compressor {
    public let codecName = "gzip"
    private var stream = z_stream()
    private let output: UnsafeMutableRawBufferPointer

    public init(level: Int, framing: Codecs.DeflateFraming) throws {
        output = .allocate(byteCount: 256 << 10, alignment: 16)
        let windowBits: Int32 = framing == .zlib ? 15 : 15 + 16
        let status = deflateInit2_(
            &stream, Int32(level), Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            output.deallocate()
            throw PGDumpError(.codec, "could not initialize gzip compression (\(status))")
        }
    }

    deinit {
        deflateEnd(&stream)
        output.deallocate()
    }

    public func reset() throws { deflateReset(&stream) }

    public func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard input.count > 0 else { return }
        try run(input, flush: Z_NO_FLUSH, emit: emit)
    }

    public func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, emit: emit)
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32, emit: (UnsafeRawBufferPointer) throws -> Void)
        throws
    {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            let status = deflate(&stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw PGDumpError(.codec, "could not compress data: deflate returned \(status)")
            }
            let produced = output.count - Int(stream.avail_out)
            if produced > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
            if flush == Z_FINISH {
                if status == Z_STREAM_END { break }
            } else if stream.avail_in == 0 && stream.avail_out != 0 {
                break
            }
        }
        stream.next_in = nil
        stream.next_out = nil
    }
}

/// LZ4's frame format, with pg_dump's defaults (linked 64 KiB blocks, no checksums).
public final class LZ4Compressor: Compressor {
    public let codecName = "lz4"
    private var context: OpaquePointer?
    private var preferences = LZ4F_preferences_t()
    private var output: UnsafeMutableRawBufferPointer
    private var started = false
    private let chunk = 64 << 10

    public init(level: Int) throws {
        var created: OpaquePointer?
        let result = LZ4F_createCompressionContext(&created, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(result) == 0, let created else {
            throw PGDumpError(.codec, "could not initialize lz4 compression")
        }
        context = created
        preferences.compressionLevel = Int32(level)
        let bound = LZ4F_compressBound(chunk, &preferences)
        output = .allocate(byteCount: max(bound, 64) + 64, alignment: 16)
    }

    deinit {
        LZ4F_freeCompressionContext(context)
        output.deallocate()
    }

    public func reset() throws { started = false }

    private func check(_ result: Int) throws -> Int {
        if LZ4F_isError(result) != 0 {
            throw PGDumpError(.codec, "could not compress lz4 data: \(String(cString: LZ4F_getErrorName(result)))")
        }
        return result
    }

    private func begin(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !started else { return }
        started = true
        let header = try check(LZ4F_compressBegin(context, output.baseAddress, output.count, &preferences))
        try emit(UnsafeRawBufferPointer(rebasing: output[0..<header]))
    }

    public func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try begin(emit: emit)
        var offset = 0
        while offset < input.count {
            let take = min(chunk, input.count - offset)
            let written = try check(LZ4F_compressUpdate(
                context, output.baseAddress, output.count, input.baseAddress! + offset, take, nil))
            if written > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<written])) }
            offset += take
        }
    }

    public func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try begin(emit: emit)
        let written = try check(LZ4F_compressEnd(context, output.baseAddress, output.count, nil))
        if written > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<written])) }
        started = false
    }
}

/// zstd's streaming compressor.
public final class ZstdCompressor: Compressor {
    public let codecName = "zstd"
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
    public init(level: Int, jobs: Int = 1) throws {
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

    public func reset() throws { ZSTD_CCtx_reset(context, ZSTD_reset_session_only) }

    public func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while inBuffer.pos < inBuffer.size {
            try step(&inBuffer, ZSTD_e_continue, emit: emit)
        }
    }

    public func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
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
