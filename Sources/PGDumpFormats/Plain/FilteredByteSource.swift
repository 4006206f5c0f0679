import CArchive
import PGDumpCore

/// The decompressed bytes of an xz or bzip2 stream, decoded by libarchive's read filter (with its `raw` format,
/// which passes the filtered bytes through as one entry) as another source is read: one forward pass, memory
/// flat. libarchive pulls the compressed bytes through `readCallback`; only the one filter is enabled, as the
/// input is untrusted.
final class FilteredByteSource: ByteSource {
    enum Filter: String {
        case xz, bzip2
    }

    let name: String
    let size: Int64? = nil
    let isSeekable = false
    private(set) var position: Int64 = 0
    var bytesRead: Int64 { base.bytesRead }
    private let base: ByteSource
    private let filter: Filter
    private let archive: pgdk_archive_api
    private var handle: OpaquePointer?
    private var block: UnsafeMutableRawBufferPointer
    /// An error the base source threw inside the callback, rethrown from `read`.
    fileprivate var pendingError: Error?
    private var finished = false
    /// Whether the base source has ended: libarchive failing then means the stream was cut short.
    private var baseEnded = false

    init(base: ByteSource, filter: Filter) throws {
        self.base = base
        self.filter = filter
        name = base.name
        archive = try LibArchive.api()
        block = .allocate(byteCount: 1 << 20, alignment: 16)
        guard let handle = archive.read_new!() else {
            block.deallocate()
            throw PGDumpError(.codec, "\(filter.rawValue): could not set up libarchive's decoder", file: base.name)
        }
        self.handle = handle
        _ = filter == .xz ? archive.read_support_filter_xz!(handle) : archive.read_support_filter_bzip2!(handle)
        _ = archive.read_support_format_raw!(handle)
        let context = Unmanaged.passUnretained(self).toOpaque()
        let status = archive.read_open!(handle, context, nil, { _, context, buffer in
            let source = Unmanaged<FilteredByteSource>.fromOpaque(context!).takeUnretainedValue()
            return source.fillBlock(buffer)
        }, nil)
        var entry: OpaquePointer?
        guard status == ARCHIVE_OK, archive.read_next_header!(handle, &entry) == ARCHIVE_OK else {
            let error = failure(at: 0)
            _ = archive.read_free!(handle)
            self.handle = nil
            block.deallocate()
            throw error
        }
    }

    deinit {
        if let handle { _ = archive.read_free!(handle) }
        if handle != nil { block.deallocate() }
    }

    /// libarchive's read callback: the next compressed block of the base source (0 at its end, -1 on error).
    fileprivate func fillBlock(_ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        do {
            let count = try base.read(into: block)
            if count == 0 { baseEnded = true }
            buffer?.pointee = UnsafeRawPointer(block.baseAddress)
            return count
        } catch {
            pendingError = error
            return Int(ARCHIVE_FATAL)
        }
    }

    private func failure(at offset: Int64) -> PGDumpError {
        if let error = pendingError as? PGDumpError { return error }
        if baseEnded {
            return PGDumpError(
                .truncated, "the \(filter.rawValue)-compressed stream ends early (after \(offset) decompressed bytes): it is truncated",
                file: name)
        }
        let message = handle.flatMap { archive.error_string!($0) }.map { String(cString: $0) } ?? "the stream is damaged"
        return PGDumpError(
            .codec, "\(filter.rawValue): \(message) (after \(offset) decompressed bytes)", file: name, offset: offset)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0, !finished, let handle else { return 0 }
        let count = archive.read_data!(handle, buffer.baseAddress, buffer.count)
        if count < 0 { throw failure(at: position) }
        if count == 0 { finished = true }
        position += Int64(count)
        return count
    }

    func seek(to offset: Int64) throws {
        throw PGDumpError(.invalidRequest, "a \(filter.rawValue)-compressed script cannot be read out of order", file: name)
    }
}
