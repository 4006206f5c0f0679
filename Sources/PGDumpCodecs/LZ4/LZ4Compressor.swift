import CLZ4
import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// LZ4's frame format, with pg_dump's defaults (linked 64 KiB blocks, no checksums).
package final class LZ4Compressor: Compressor {
    package let codecName = "lz4"
    private var context: OpaquePointer?
    private var preferences = LZ4F_preferences_t()
    private var output: UnsafeMutableRawBufferPointer
    private var started = false
    private let chunk = 64 << 10

    package init(level: Int) throws {
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

    package func reset() throws { started = false }

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

    package func compress(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
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

    package func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try begin(emit: emit)
        let written = try check(LZ4F_compressEnd(context, output.baseAddress, output.count, nil))
        if written > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<written])) }
        started = false
    }
}
