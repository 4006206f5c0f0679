#if canImport(Glibc)
import Glibc
#endif

/// The front door: opens an archive of any format from a path, a directory or standard input.
public enum Archive {
    /// Opens the archive at `path` (`-` for standard input), detecting its format as pg_restore does, or using
    /// `format` when given (pg_restore's `-F`).
    ///
    /// Mirrors `_discoverArchiveFormat`: a directory is a directory archive; a file starting with `PGDMP` is a
    /// custom archive; a file whose first 512 bytes are a valid tar header is a tar archive. Anything else gets an
    /// error that says what the input seems to be.
    public static func open(
        path: String, format: ArchiveFormat? = nil, limits: ArchiveLimits = .default
    ) throws -> any ArchiveReader {
        if path != "-" {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw PGDumpError(.io, "could not open input file: \(SystemError.describe(errno))", file: path)
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                if let format, format != .directory {
                    throw PGDumpError(.invalidRequest, "is a directory, not a \(format) archive", file: path)
                }
                return try DirectoryArchiveReader(path: path, limits: limits)
            }
            if format == .directory {
                throw PGDumpError(.invalidRequest, "is not a directory; a directory archive is a directory", file: path)
            }
        }
        let source: ByteSource = path == "-" ? try FileByteSource.standardInput() : try FileByteSource(path: path)
        return try open(source: source, format: format, limits: limits)
    }

    /// Opens a custom or tar archive from a byte source (a file, a pipe, memory) at its current position.
    public static func open(
        source: ByteSource, format: ArchiveFormat? = nil, limits: ArchiveLimits = .default
    ) throws -> any ArchiveReader {
        let (prefix, input) = try readPrefix(of: source)
        let chosen = try format ?? classify(prefix, name: source.name) { count in
            try readPrefix(of: input, count: count).0
        }
        switch chosen {
        case .custom: return try CustomArchiveReader(source: input, limits: limits)
        case .tar: return try TarArchiveReader(source: input, limits: limits)
        case .directory:
            throw PGDumpError(.invalidRequest, "a directory archive must be opened by its path", file: source.name)
        }
    }

    /// Reads the first bytes of `source` for detection and returns them with a source positioned where `source`
    /// was (a pipe's bytes are replayed), so that detection consumes nothing.
    static func readPrefix(of source: ByteSource, count wanted: Int = 4096) throws -> ([UInt8], ByteSource) {
        let start = source.position
        var prefix = [UInt8](repeating: 0, count: wanted)
        var count = 0
        while count < prefix.count {
            let read = try prefix.withUnsafeMutableBytes {
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[count...]))
            }
            if read == 0 { break }
            count += read
        }
        prefix.removeSubrange(count...)
        let input: ByteSource
        if source.isSeekable {
            try source.seek(to: start)
            input = source
        } else {
            input = PrefixReplayingSource(prefix: prefix, base: source)
        }
        return (prefix, input)
    }

    /// Mirrors the checks of `_discoverArchiveFormat`, with better advice for inputs that are not archives.
    static func classify(
        _ prefix: [UInt8], name: String, readMore: (Int) throws -> [UInt8]
    ) throws -> ArchiveFormat {
        if prefix.count < 5 {
            throw PGDumpError(.notAnArchive, "input file is too short (read \(prefix.count), expected 5)", file: name)
        }
        if prefix.starts(with: HeaderReader.magic) { return .custom }
        if let diagnosis = try ContentSniffer.diagnose(prefix, readMore: readMore) {
            throw PGDumpError(.notAnArchive, diagnosis, file: name)
        }
        if prefix.count < TarHeader.blockSize {
            throw PGDumpError(.notAnArchive, "input file does not appear to be a valid archive (too short?)", file: name)
        }
        let isTar = prefix.withUnsafeBytes {
            TarHeader.isValidArchiveHeader(UnsafeRawBufferPointer(rebasing: $0[0..<TarHeader.blockSize]))
        }
        if isTar { return .tar }
        throw PGDumpError(.notAnArchive, "input file does not appear to be a valid tar archive", file: name)
    }
}
