import PGDumpCore
import PGDumpCodecs
import PGDumpRemote

#if canImport(Glibc)
import Glibc
#endif

/// The front door: opens an archive of any format from a path, a directory or standard input, and creates new
/// ones. The only place that chooses a format driver.
public enum Archive {
    /// The formats pgdumpkit reads and writes, in detection order. A new format is a folder with its driver and
    /// one line here.
    package static let drivers: [any ArchiveFormatDriver.Type] = [
        CustomFormatDriver.self,
        DirectoryFormatDriver.self,
        TarFormatDriver.self,
        PlainFormatDriver.self,
    ]

    /// Every format, in registry order.
    public static var formats: [ArchiveFormat] { drivers.map { $0.format } }

    /// The format whose command-line name (pg_restore's `-F`: `c`, `custom`, `d`, …) is `name`, ignoring case.
    public static func format(named name: String) -> ArchiveFormat? {
        let lowered = name.lowercased()
        return formats.first { $0.commandLineNames.contains(lowered) }
    }

    package static func driver(for format: ArchiveFormat) -> any ArchiveFormatDriver.Type {
        guard let driver = drivers.first(where: { $0.format == format }) else {
            preconditionFailure("no driver registered for the \(format) format")
        }
        return driver
    }

    /// Opens the archive at `path` (`-` for standard input), detecting its format as pg_restore does, or using
    /// `format` when given (pg_restore's `-F`).
    ///
    /// Mirrors `_discoverArchiveFormat`: a directory is a directory archive; a file is offered to each driver's
    /// `recognizes(prefix:)` (a custom archive starts with `PGDMP`, a tar archive with a valid tar header), by
    /// signature first, then, after the diagnosis of inputs that are not archives, by structure.
    /// Anything else gets an error that says what the input seems to be.
    ///
    /// `database` picks one database of a pg_dumpall script (which cannot be read whole as one archive); it is
    /// an error for any other input. `indexCache` keeps the index of a plain script read from a regular file for
    /// the next open (`ScriptIndexCache`); without one, a script is read whole each time.
    ///
    /// `path` may also be an `http://`, `https://` or `s3://bucket/key` URL (`s3Endpoint`: an S3-compatible
    /// store's URL, before `AWS_ENDPOINT_URL`; see `S3Configuration`).
    public static func open(
        path: String, format: ArchiveFormat? = nil, limits: ArchiveLimits = .default, database: String? = nil,
        indexCache: ScriptIndexCache? = nil, s3Endpoint: String? = nil
    ) throws -> any ArchiveReader {
        switch try openInput(path: path, format: format, limits: limits, indexCache: indexCache, s3Endpoint: s3Endpoint) {
        case .archive(let reader):
            if let database {
                throw PGDumpError(
                    .invalidRequest,
                    "--database \"\(database)\" picks a database of a pg_dumpall script; this input is a single database's \(reader.format) archive",
                    file: path)
            }
            return reader
        case .cluster(let cluster):
            guard let database else {
                throw PGDumpError(
                    .invalidRequest,
                    "a pg_dumpall script holds several databases: choose one with --database NAME (\(cluster.databaseNames.map { "\"\($0)\"" }.joined(separator: ", ")))",
                    file: path)
            }
            return try cluster.reader(forDatabase: database)
        }
    }

    /// What an input is: one archive (or pg_dump script), or a pg_dumpall script of several databases.
    public enum Input {
        case archive(any ArchiveReader)
        case cluster(PlainClusterScript)
    }

    /// Opens the input at `path` as `open(path:format:limits:database:)` does, giving a pg_dumpall script as
    /// its parts.
    public static func openInput(
        path: String, format: ArchiveFormat? = nil, limits: ArchiveLimits = .default,
        indexCache: ScriptIndexCache? = nil, s3Endpoint: String? = nil
    ) throws -> Input {
        if RemoteURL.isURL(path) {
            return try openRemoteInput(url: path, format: format, limits: limits, s3Endpoint: s3Endpoint)
        }
        if path != "-" {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw PGDumpError(.io, "could not open input file: \(SystemError.describe(errno))", file: path)
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                if let format, !format.isDirectory {
                    throw PGDumpError(.invalidRequest, "is a directory, not a \(format) archive", file: path)
                }
                let driver = format.map(driver(for:)) ?? drivers.first { $0.format.isDirectory }!
                return .archive(try driver.openReader(.directory(path: path), limits: limits))
            }
            if format?.isDirectory == true {
                throw PGDumpError(.invalidRequest, "is not a directory; a directory archive is a directory", file: path)
                    .withTOCFileHint(path: path)
            }
        }
        let source: ByteSource = path == "-" ? try FileByteSource.standardInput() : try FileByteSource(path: path)
        do {
            return try openInput(source: source, format: format, limits: limits, indexCache: indexCache)
        } catch let error as PGDumpError where path != "-" {
            throw error.withTOCFileHint(path: path)
        }
    }

    /// Opens the archive at an `http(s)://` or `s3://` URL: a directory archive when the URL ends with `/`, when
    /// `format` says so, or when the URL itself cannot be fetched but `toc.dat` below it can; otherwise a file
    /// read with range requests. A script's index is not cached for URLs.
    static func openRemoteInput(
        url: String, format: ArchiveFormat?, limits: ArchiveLimits, s3Endpoint: String?
    ) throws -> Input {
        let s3: S3Configuration?
        if RemoteURL.isS3(url) {
            guard let location = try S3Location(url), !location.key.isEmpty || url.hasSuffix("/") else {
                throw PGDumpError(.invalidRequest, "an s3:// URL names a bucket and a key: s3://bucket/key", file: url)
            }
            s3 = try S3Configuration.resolve(endpointURL: s3Endpoint)
        } else {
            s3 = nil
        }
        let session = try HTTPSession(s3: s3)
        func directory() throws -> Input {
            if let format, !format.isDirectory {
                throw PGDumpError(
                    .invalidRequest, "is a directory archive, not a \(format) archive", file: RemoteURL.redacted(url))
            }
            return .archive(try DirectoryArchiveReader(path: url, limits: limits, remote: session))
        }
        if url.hasSuffix("/") || format?.isDirectory == true { return try directory() }
        let source: HTTPByteSource
        do {
            source = try HTTPByteSource(url: url, session: session)
        } catch let error as PGDumpError {
            // A directory served without a listing answers 403 or 404 for itself, but its toc.dat is there.
            let tocSize = try? HTTPByteSource.probeSize(url: RemoteURL.member("toc.dat", of: url), session: session)
            if tocSize != nil { return try directory() }
            throw error
        }
        do {
            return try openInput(source: source, format: format, limits: limits)
        } catch let error as PGDumpError {
            throw error.withTOCFileHint(path: RemoteURL.redacted(url))
        }
    }

    /// Whether `path` is an `http://`, `https://` or `s3://` URL rather than a file.
    public static func isURL(_ path: String) -> Bool { RemoteURL.isURL(path) }

    /// `url` as messages may show it: without credentials, query string or fragment.
    public static func redactedURL(_ url: String) -> String { RemoteURL.redacted(url) }

    /// Where an output at `url` goes: a multipart upload for `s3://bucket/key` (`s3Endpoint` as for inputs), one
    /// PUT of the whole output for `http(s)://`. Unless `replacing`, an object already at `url` is an error.
    /// Write through `OutputFile(stream:name:)`; the object exists once `completeStream()` returns.
    public static func remoteOutput(
        to url: String, replacing: Bool, s3Endpoint: String? = nil
    ) throws -> any OutputStreamTarget {
        try RemoteOutput.target(for: url, replacing: replacing, s3Endpoint: s3Endpoint)
    }

    /// The directory of `path` when `path` names a directory archive's `toc.dat` (`dir/toc.dat` gives `dir`,
    /// `toc.dat` gives `.`), else nil. A `toc.dat` starts like a custom archive but its header says
    /// "directory", so opening it as a file fails with a bare format mismatch; this lets the error say which
    /// path to give instead.
    static func directoryOfTOCFile(_ path: String) -> String? {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let slash = trimmed.lastIndex(of: "/")
        let name = slash.map { trimmed[trimmed.index(after: $0)...] } ?? trimmed
        guard name == "toc.dat" else { return nil }
        guard let slash else { return "." }
        let directory = trimmed[..<slash]
        return directory.isEmpty ? "/" : String(directory)
    }

    /// Opens an archive stored as one file from a byte source (a file, a pipe, memory) at its current position.
    public static func open(
        source: ByteSource, format: ArchiveFormat? = nil, limits: ArchiveLimits = .default
    ) throws -> any ArchiveReader {
        switch try openInput(source: source, format: format, limits: limits) {
        case .archive(let reader): return reader
        case .cluster(let cluster):
            throw PGDumpError(
                .invalidRequest,
                "a pg_dumpall script holds several databases: choose one with --database NAME (\(cluster.databaseNames.map { "\"\($0)\"" }.joined(separator: ", ")))",
                file: source.name)
        }
    }

    static func openInput(
        source: ByteSource, format: ArchiveFormat?, limits: ArchiveLimits, indexCache: ScriptIndexCache? = nil
    ) throws -> Input {
        let (prefix, input) = try readPrefix(of: source)
        if format == nil || format == .plain {
            if let script = try openCompressedScript(prefix: prefix, input: input, limits: limits) { return script }
            if prefix.starts(with: PlainScriptText.dumpAllHeader) {
                return .cluster(try PlainClusterScript(source: input, limits: limits))
            }
        }
        let chosen = try format.map(driver(for:)) ?? classify(prefix, name: source.name) { count in
            try readPrefix(of: input, count: count).0
        }
        return .archive(try chosen.openReader(.stream(input), limits: limits, cache: indexCache))
    }

    /// Creates a new archive of `format` at `destination` with its final header and TOC. `entries` must locate
    /// their data as `format` does (`dataLocation(for:in:version:)`); data is then written entry by entry.
    /// `jobs`: threads that compress.
    public static func create(
        _ format: ArchiveFormat, at destination: ArchiveDestination, header: ArchiveHeader, entries: [TOCEntry],
        compression: CompressionChoice, jobs: Int = Codecs.defaultCompressionJobs
    ) throws -> any ArchiveWriter {
        try driver(for: format).createWriter(
            destination, header: header, entries: entries, compression: compression, jobs: jobs)
    }

    /// Where `format`'s TOC records the data of `entry` in an archive of `version`.
    public static func dataLocation(for entry: TOCEntry, in format: ArchiveFormat, version: ArchiveVersion) -> DataLocation {
        driver(for: format).dataLocation(for: entry, version: version)
    }

    /// A plain script compressed by gzip, zstd, lz4 (piped through the tool, or `pg_dump -Fp -Z`), xz or bzip2,
    /// read as a stream (gzip, zstd and lz4 through the codecs, xz and bzip2 through libarchive's filters); `nil`
    /// when `prefix` does not start such a file. Whether the compressed file holds a script is decided from the
    /// prefix alone (decompressed in memory), so a pipe is not consumed otherwise.
    static func openCompressedScript(
        prefix: [UInt8], input: ByteSource, limits: ArchiveLimits
    ) throws -> Input? {
        enum Decoder { case codec(CompressionAlgorithm), filter(FilteredByteSource.Filter) }
        let decoders: [(Decoder, [UInt8])] = [
            (.codec(.gzip), [0x1f, 0x8b]), (.codec(.zstd), [0x28, 0xb5, 0x2f, 0xfd]), (.codec(.lz4), [0x04, 0x22, 0x4d, 0x18]),
            (.filter(.xz), [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), (.filter(.bzip2), Array("BZh".utf8)),
        ]
        guard let decoder = decoders.first(where: { prefix.starts(with: $0.1) })?.0 else { return nil }
        // libarchive's filters decompress the start reliably from a larger piece than the detection prefix.
        let (start, replay) = try readPrefix(of: input, count: 1 << 20)
        guard let inner = ContentSniffer.decompressedPrefix(start),
            inner.starts(with: PlainScriptText.dumpHeader) || inner.starts(with: PlainScriptText.dumpAllHeader)
        else {
            if !input.isSeekable {
                // The pipe's first megabyte was read: the caller's detection must see it again.
                throw PGDumpError(
                    .notAnArchive, ContentSniffer.diagnose(start, readMore: { _ in start }) ?? "input file is compressed",
                    file: input.name)
            }
            return nil
        }
        let decompressed: ByteSource
        switch decoder {
        case .codec(let algorithm):
            guard let decompressor = try Codecs.decompressor(for: algorithm, deflateFraming: .gzipFile) else { return nil }
            decompressed = DecompressingByteSource(base: replay, decompressor: decompressor, ignoresTrailingBytes: false)
        case .filter(let filter):
            decompressed = try FilteredByteSource(base: replay, filter: filter)
        }
        if inner.starts(with: PlainScriptText.dumpAllHeader) {
            return .cluster(try PlainClusterScript(source: decompressed, limits: limits))
        }
        return .archive(try PlainFormatDriver.openReader(.stream(decompressed), limits: limits))
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
    ) throws -> any ArchiveFormatDriver.Type {
        if prefix.count < 5 {
            throw PGDumpError(.notAnArchive, "input file is too short (read \(prefix.count), expected 5)", file: name)
        }
        func recognizing(by recognition: FormatRecognition) -> (any ArchiveFormatDriver.Type)? {
            drivers.first { $0.recognition == recognition && $0.recognizes(prefix: prefix) }
        }
        if let driver = recognizing(by: .signature) { return driver }
        if let diagnosis = try ContentSniffer.diagnose(prefix, readMore: readMore) {
            throw PGDumpError(.notAnArchive, diagnosis, file: name)
        }
        if let driver = recognizing(by: .structure) { return driver }
        if prefix.count < TarHeader.blockSize {
            throw PGDumpError(.notAnArchive, "input file does not appear to be a valid archive (too short?)", file: name)
        }
        throw PGDumpError(.notAnArchive, "input file does not appear to be a valid tar archive", file: name)
    }
}

extension PGDumpError {
    /// This error with a hint to give the directory when `path` is a directory archive's `toc.dat`.
    fileprivate func withTOCFileHint(path: String) -> PGDumpError {
        guard let directory = Archive.directoryOfTOCFile(path) else { return self }
        return withHint("toc.dat belongs to a directory archive: give the directory \"\(directory)\"")
    }
}
