import CArchive

/// Says what an input that is not a pg_dump archive seems to be, so the error can say what to do.
///
/// Compressed inputs are identified with libarchive's filter bidders (every filter, the raw format only, from a
/// memory copy of the first bytes), and the first decompressed bytes are classified in turn: a gzipped custom
/// archive and a gzipped plain SQL dump need different advice.
enum ContentSniffer {
    static let textDumpHeader = Array("--\n-- PostgreSQL database dump\n--\n\n".utf8)
    static let textDumpAllHeader = Array("--\n-- PostgreSQL database cluster dump\n--\n\n".utf8)

    /// A message for a recognised non-archive, or `nil` when the bytes may still be a tar archive.
    static func diagnose(_ prefix: [UInt8]) -> String? {
        if prefix.starts(with: textDumpHeader) || prefix.starts(with: textDumpAllHeader) {
            return "input file appears to be a text format dump. Please use psql."
        }
        guard let (filter, inner) = decompressedPrefix(prefix) else { return nil }
        let content: String
        if inner.starts(with: HeaderReader.magic) {
            content = "a custom-format pg_dump archive; decompress it first, then read the result"
        } else if inner.starts(with: textDumpHeader) || inner.starts(with: textDumpAllHeader) {
            content = "a plain-text SQL dump; restore it with psql after decompressing it"
        } else if inner.count >= TarHeader.blockSize,
            inner.withUnsafeBytes({ TarHeader.isValidArchiveHeader(UnsafeRawBufferPointer(rebasing: $0[0..<512])) })
        {
            content = "a tar file; decompress it first (pg_restore reads only uncompressed tar archives)"
        } else {
            content = "data that is not a pg_dump archive"
        }
        return "input file is \(filter)-compressed and holds \(content)"
    }

    /// Decompresses the first bytes with libarchive: the outermost filter's name and what came out, or `nil` when
    /// no compression filter recognises the input.
    static func decompressedPrefix(_ prefix: [UInt8]) -> (String, [UInt8])? {
        guard let handle = archive_read_new() else { return nil }
        defer { archive_read_free(handle) }
        archive_read_support_filter_all(handle)
        archive_read_support_format_raw(handle)
        return prefix.withUnsafeBytes { bytes -> (String, [UInt8])? in
            guard archive_read_open_memory(handle, bytes.baseAddress, bytes.count) == ARCHIVE_OK else { return nil }
            // Filter 0 is the outermost; "none" is the identity filter, meaning nothing was recognised.
            guard archive_filter_count(handle) > 1, let name = archive_filter_name(handle, 0) else { return nil }
            var inner = [UInt8](repeating: 0, count: 1024)
            var entry: OpaquePointer?
            var produced = 0
            if archive_read_next_header(handle, &entry) == ARCHIVE_OK {
                let count = inner.withUnsafeMutableBytes { archive_read_data(handle, $0.baseAddress, $0.count) }
                produced = max(0, count)
            }
            return (String(cString: name), Array(inner[0..<produced]))
        }
    }
}
