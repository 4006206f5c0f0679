import CArchive
import PGDumpCore
import PGDumpCodecs

/// Says what an input that is not a pg_dump archive seems to be, so the error can say what to do.
///
/// Compressed inputs are identified with libarchive's filter bidders (every filter, the raw format only, from a
/// memory copy of the first bytes), and the first decompressed bytes are classified in turn: a gzipped custom
/// archive and a gzipped plain SQL dump need different advice.
enum ContentSniffer {
    static let textDumpHeader = Array("--\n-- PostgreSQL database dump\n--\n\n".utf8)
    static let textDumpAllHeader = Array("--\n-- PostgreSQL database cluster dump\n--\n\n".utf8)

    /// A message for a recognised non-archive, or `nil` when the bytes may still be a tar archive.
    ///
    /// - Parameter readMore: returns up to the given number of the input's first bytes; called only for
    ///   compressed inputs, since decompressing enough to look inside needs more than the detection prefix.
    static func diagnose(_ prefix: [UInt8], readMore: (Int) throws -> [UInt8]) rethrows -> String? {
        // Scripts of pg_dump and pg_dumpall are read as scripts before this diagnosis (unless -F names another
        // format).
        if prefix.starts(with: textDumpAllHeader) {
            return "input file is a pg_dumpall script (a cluster dump): read it as a script (-F p) with --database NAME"
        }
        if prefix.count < textDumpHeader.count, textDumpHeader.starts(with: prefix) {
            return "input file ends inside the header comment of a pg_dump script: it is truncated"
        }
        if prefix.starts(with: textDumpHeader) {
            return "input file appears to be a text format dump. Please use psql."
        }
        guard let compression = compressionName(prefix) else {
            return looksLikeText(prefix)
                ? "input file is text but not a pg_dump script: a script written by pg_dump starts with \"--\\n-- PostgreSQL database dump\\n--\"; the archives pg_restore reads (custom, directory, tar) are not text"
                : nil
        }
        guard let inner = decompressedPrefix(try readMore(1 << 20)) else {
            if ["gzip", "zstd", "lz4", "xz", "bzip2"].contains(compression) {
                // Scripts so compressed are read; this one's start did not decompress (a bzip2 block is up to
                // 900 kB of text: a file cut inside its first block gives nothing).
                return "input file is \(compression)-compressed, but its start does not decompress: it is damaged or truncated"
            }
            return "input file is \(compression)-compressed; decompress it first"
        }
        let content: String
        if inner.starts(with: HeaderReader.magic) {
            content = "a custom-format pg_dump archive; decompress it first, then read the result"
        } else if inner.starts(with: textDumpAllHeader) {
            content = "a pg_dumpall script; read it as a script (-F p) with --database NAME"
        } else if inner.starts(with: textDumpHeader) {
            content = "a plain-text SQL dump; read it as a script (-F p)"
        } else if inner.count >= TarHeader.blockSize,
            inner.withUnsafeBytes({ TarHeader.isValidArchiveHeader(UnsafeRawBufferPointer(rebasing: $0[0..<512])) })
        {
            content = "a tar file; decompress it first (pg_restore reads only uncompressed tar archives)"
        } else {
            content = "data that is not a pg_dump archive"
        }
        return "input file is \(compression)-compressed and holds \(content)"
    }

    /// Whether `prefix` looks like lines of text: a newline, no NUL bytes and few control characters (a tar
    /// header has NULs).
    static func looksLikeText(_ prefix: [UInt8]) -> Bool {
        guard prefix.contains(0x0A), !prefix.contains(0) else { return false }
        let controls = prefix.filter { $0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0x0C }.count
        return controls * 100 <= prefix.count
    }

    /// The compressor whose magic number starts `prefix`.
    static func compressionName(_ prefix: [UInt8]) -> String? {
        let magics: [(String, [UInt8])] = [
            ("gzip", [0x1f, 0x8b]), ("zstd", [0x28, 0xb5, 0x2f, 0xfd]), ("lz4", [0x04, 0x22, 0x4d, 0x18]),
            ("xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), ("bzip2", Array("BZh".utf8)), ("lzip", Array("LZIP".utf8)),
            ("compress", [0x1f, 0x9d]),
        ]
        return magics.first { prefix.starts(with: $0.1) }?.0
    }

    /// The first decompressed bytes, through libarchive's filters (raw format only); `nil` when
    /// libarchive cannot decompress the start of the input (or cannot be loaded).
    static func decompressedPrefix(_ input: [UInt8]) -> [UInt8]? {
        guard let archive = try? LibArchive.api(), let handle = archive.read_new!() else { return nil }
        defer { _ = archive.read_free!(handle) }
        // Only the decompression filters named above: no external programs, no other formats.
        for enable in [archive.read_support_filter_gzip, archive.read_support_filter_zstd,
                       archive.read_support_filter_lz4, archive.read_support_filter_xz,
                       archive.read_support_filter_bzip2, archive.read_support_filter_lzip,
                       archive.read_support_filter_compress]
        {
            _ = enable!(handle)
        }
        _ = archive.read_support_format_raw!(handle)
        return input.withUnsafeBytes { bytes -> [UInt8]? in
            guard archive.read_open_memory!(handle, bytes.baseAddress, bytes.count) == ARCHIVE_OK else { return nil }
            var entry: OpaquePointer?
            guard archive.read_next_header!(handle, &entry) == ARCHIVE_OK else { return nil }
            var inner = [UInt8](repeating: 0, count: 1024)
            let count = inner.withUnsafeMutableBytes { archive.read_data!(handle, $0.baseAddress, $0.count) }
            return count > 0 ? Array(inner[0..<count]) : nil
        }
    }
}
