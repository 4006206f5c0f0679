import PGDumpCore
import PGDumpCodecs
import PGDumpRemote

#if canImport(Glibc)
import Glibc
#endif

/// Reads directory-format archives (`pg_dump -Fd`). Mirrors `pg_backup_directory.c`.
///
/// Every file is found the way pg_restore finds it (`InitDiscoverCompressFileHandle`): the name as recorded, or
/// with `.gz`, `.lz4` or `.zst` appended, and decompressed by what its name says. Only names of the shapes pg_dump
/// writes are ever opened, so an archive cannot make the reader leave its directory.
///
/// The directory may be an `http(s)://` URL (`remote`): each file is then fetched by its URL relative to it,
/// through one connection.
package final class DirectoryArchiveReader: ArchiveReader {
    package let format = ArchiveFormat.directory
    package let header: ArchiveHeader
    package let entries: [TOCEntry]
    package private(set) var warnings: [ArchiveWarning] = []
    package let sessionSettings: ArchiveSessionSettings
    package let path: String
    package let supportsRandomAccess = true
    /// The connection of a directory at a URL; `nil` for a local directory.
    let remote: HTTPSession?
    /// Where the files are: `path`, or the URL with any credentials `path` leaves out.
    private let root: String

    /// Bytes read from the files finished so far, and the file being read.
    private var finishedBytesRead: Int64 = 0
    private var currentSource: ByteSource?
    package var storedBytesRead: Int64 { finishedBytesRead + (currentSource?.bytesRead ?? 0) }

    /// Opens the directory at `path`, reading `toc.dat` (or a compressed variant).
    package init(path: String, limits: ArchiveLimits = .default, remote: HTTPSession? = nil) throws {
        self.root = path
        self.path = remote == nil ? path : RemoteURL.redacted(path)
        self.remote = remote
        if let link = MemberFile.refusedLink(directory: root, name: "toc.dat", remote: remote) {
            throw PGDumpError(.corrupt, "refusing to read a symbolic link or special file in a directory archive", file: link)
        }
        guard let tocFile = try MemberFile.locate(directory: root, name: "toc.dat", remote: remote) else {
            throw PGDumpError(
                .missingMember, "directory does not appear to be a valid archive (\"toc.dat\" does not exist)",
                file: path)
        }
        let toc: TableOfContents
        do {
            let source = try tocFile.open()
            toc = try TOCReader.readHeaderAndTOC(
                from: BufferedReader(source: source), expecting: .directory, limits: limits,
                dataLocation: .fileName)
            finishedBytesRead = source.bytesRead
        } catch let error as PGDumpError {
            throw error.inFile(tocFile.path)
        }
        header = toc.header
        entries = toc.header.version < .v1_16 ? toc.entries.map(Self.withSingleLargeObjectList) : toc.entries
        warnings = toc.warnings
        sessionSettings = toc.settings
    }

    /// A reader of the same TOC: each entry's data is a file of its own, opened when it is read.
    private init(sharing original: DirectoryArchiveReader) {
        root = original.root
        path = original.path
        remote = nil
        header = original.header
        entries = original.entries
        warnings = original.warnings
        sessionSettings = original.sessionSettings
    }

    /// A local directory only: a URL's files come through one connection.
    package func makeIndependentDataReader() throws -> (any ArchiveReader)? {
        remote == nil ? DirectoryArchiveReader(sharing: self) : nil
    }

    /// Before archive 1.16 a directory archive has one large-object list, always `blobs.toc`, and pg_restore up to
    /// 16 reads that name whatever the BLOBS entry records: pg_dump 11 records `N.dat` there (its BLOBS entry has a
    /// data dumper, which named the file first), pg_dump 12–16 record `blobs.toc`.
    private static func withSingleLargeObjectList(_ entry: TOCEntry) -> TOCEntry {
        guard entry.desc.equals("BLOBS"), case .file = entry.dataLocation else { return entry }
        var entry = entry
        entry.dataLocation = .file("blobs.toc")
        return entry
    }

    package var tocPath: String {
        ((try? MemberFile.locate(directory: root, name: "toc.dat", remote: remote)) ?? nil)?.path ?? path + "/toc.dat"
    }

    /// The problem's place is the data file, with the offset where the file is stored uncompressed.
    package func placeDataProblem(_ error: PGDumpError, in entry: TOCEntry, decodedOffset: Int64?) -> PGDumpError {
        var placed = error.located(in: entry, of: self)
        if case .file(let name) = entry.dataLocation,
            let member = (try? MemberFile.locate(directory: root, name: name.string, remote: remote)) ?? nil
        {
            placed.file = member.path
            if member.compression == .none { placed.offset = decodedOffset }
        }
        return placed
    }

    package func sizeOnDisk() throws -> Int64? {
        var total: Int64 = 0
        if remote != nil {
            // A URL cannot be listed: the files the TOC names, which is all pg_dump writes there, each once.
            var sizes: [String: Int64] = [:]
            if let toc = try MemberFile.locate(directory: root, name: "toc.dat", remote: remote) { sizes[toc.path] = toc.size }
            for entry in entries {
                guard case .file(let name) = entry.dataLocation else { continue }
                let member = try requireMember(name.string, for: entry)
                sizes[member.path] = member.size
                guard entry.isLargeObjectData else { continue }
                for line in try largeObjectList(member, for: entry) {
                    let object = try requireMember(line.fileName, for: entry)
                    sizes[object.path] = object.size
                }
            }
            return sizes.values.reduce(0) { $0.saturatingAdding($1) }
        }
        guard let directory = opendir(path) else {
            throw PGDumpError(.io, "could not open directory: \(SystemError.describe(errno))", file: path)
        }
        defer { closedir(directory) }
        while let item = readdir(directory) {
            let name = FileTree.entryName(item)
            if name == "." || name == ".." { continue }
            var info = stat()
            if lstat(path + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                total = total.saturatingAdding(Int64(info.st_size))
            }
        }
        return total
    }

    package func storedSize(of entry: TOCEntry) throws -> Int64? {
        guard case .file(let name) = entry.dataLocation else { return nil }
        let member = try requireMember(name.string, for: entry)
        guard entry.isLargeObjectData else { return member.size }
        var total: Int64 = 0
        for line in try largeObjectList(member, for: entry) {
            total = total.saturatingAdding(try requireMember(line.fileName, for: entry).size)
        }
        return total
    }

    package func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        try stream(entry, decompressing: true, into: &sink)
    }

    package func storedCompression(of entry: TOCEntry) throws -> CompressionAlgorithm? {
        guard case .file(let name) = entry.dataLocation else { return nil }
        let member = try requireMember(name.string, for: entry)
        guard entry.isLargeObjectData else { return member.compression }
        let kinds = Set(try largeObjectList(member, for: entry).map { try requireMember($0.fileName, for: entry).compression })
        return kinds.count <= 1 ? (kinds.first ?? header.compression.algorithm) : nil
    }

    package func streamStoredData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        try stream(entry, decompressing: false, into: &sink)
    }

    private func stream<Sink: DataSink>(_ entry: TOCEntry, decompressing: Bool, into sink: inout Sink) throws {
        guard case .file(let name) = entry.dataLocation else {
            throw PGDumpError(.invalidRequest, "entry has no data", file: path, dumpID: entry.dumpID)
        }
        let member = try requireMember(name.string, for: entry)
        guard entry.isLargeObjectData else {
            try stream(member, decompressing: decompressing, into: &sink, entry: entry)
            return
        }
        for item in try largeObjectList(member, for: entry) {
            try sink.beginLargeObject(oid: item.oid)
            try stream(try requireMember(item.fileName, for: entry), decompressing: decompressing, into: &sink, entry: entry)
            try sink.endLargeObject()
        }
    }

    /// Copies one member's bytes, decompressed or as stored, into the sink.
    private func stream<Sink: DataSink>(
        _ member: MemberFile, decompressing: Bool, into sink: inout Sink, entry: TOCEntry
    ) throws {
        do {
            let source = decompressing ? try member.open() : try member.openStored()
            currentSource = source
            defer {
                finishedBytesRead += source.bytesRead
                currentSource = nil
            }
            let reader = BufferedReader(source: source)
            while try reader.withReadableBytes(maximum: Int.max, { bytes in
                try sink.write(bytes)
                return (bytes.count, ())
            }) != nil {}
        } catch let error as PGDumpError {
            throw error.inFile(member.path).forEntry(entry.dumpID)
        }
    }

    private func requireMember(_ name: String, for entry: TOCEntry) throws -> MemberFile {
        guard MemberFile.isAllowedName(name) else {
            throw PGDumpError(
                .corrupt, "refusing data file name \(name.debugDescription): not a name pg_dump writes",
                file: path, dumpID: entry.dumpID)
        }
        if let link = MemberFile.refusedLink(directory: root, name: name, remote: remote) {
            throw PGDumpError(
                .corrupt, "refusing to read a symbolic link or special file in a directory archive", file: link,
                dumpID: entry.dumpID)
        }
        guard let member = try MemberFile.locate(directory: root, name: name, remote: remote) else {
            throw PGDumpError(
                .missingMember,
                "data file \(name) is missing (also looked for \(name).gz, \(name).lz4 and \(name).zst)",
                file: path, dumpID: entry.dumpID)
        }
        return member
    }

    /// One line of a large-object TOC file: `<oid> <file name>`.
    struct LargeObjectItem {
        var oid: UInt32
        var fileName: String
    }

    /// Reads a `blobs.toc` / `blobs_N.toc` file. Mirrors `_LoadLOs`.
    private func largeObjectList(_ member: MemberFile, for entry: TOCEntry) throws -> [LargeObjectItem] {
        let reader = BufferedReader(source: try member.open(), capacity: 64 << 10)
        var items: [LargeObjectItem] = []
        var line: [UInt8] = []
        var lineOffset: Int64 = 0
        func finishLine() throws {
            defer { line.removeAll(keepingCapacity: true) }
            guard let item = Self.parseLargeObjectLine(line) else {
                throw PGDumpError(
                    .corrupt,
                    "invalid line in large object TOC file: \(String(decoding: line, as: UTF8.self).debugDescription)",
                    file: member.path, offset: lineOffset, dumpID: entry.dumpID)
            }
            items.append(item)
        }
        while try reader.peekBytes(count: 1) != nil {
            let byte = try reader.readByte("a large object TOC line")
            if byte == UInt8(ascii: "\n") {
                try finishLine()
                lineOffset = reader.position
                continue
            }
            guard line.count < 4096 else {
                throw PGDumpError(.limitExceeded, "line in large object TOC file is too long", file: member.path,
                                  offset: lineOffset, dumpID: entry.dumpID)
            }
            line.append(byte)
        }
        if !line.isEmpty { try finishLine() }
        return items
    }

    /// Parses `"%u %s"` as pg does, accepting only file names pg_dump writes.
    static func parseLargeObjectLine(_ line: [UInt8]) -> LargeObjectItem? {
        let text = String(decoding: line, as: UTF8.self)
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        guard fields.count == 2, let oid = UInt32(fields[0]), MemberFile.isAllowedName(String(fields[1])) else {
            return nil
        }
        return LargeObjectItem(oid: oid, fileName: String(fields[1]))
    }
}

/// A file inside a directory archive, with the compression its name implies.
package struct MemberFile {
    package let path: String
    package let compression: CompressionAlgorithm
    let size: Int64
    /// The connection when the file is at a URL (`path` is then the URL without credentials).
    let remote: HTTPSession?
    var url: String? = nil

    /// Whether `name` has a shape pg_dump writes: `toc.dat`, `N.dat`, `blob_N.dat`, `blobs.toc`, `blobs_N.toc`,
    /// each optionally with `.gz`, `.lz4` or `.zst`.
    static func isAllowedName(_ name: String) -> Bool {
        var base = Substring(name)
        for suffix in [".gz", ".lz4", ".zst"] where base.hasSuffix(suffix) {
            base = base.dropLast(suffix.count)
            break
        }
        func digits(_ text: Substring) -> Bool { !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } }
        if base == "toc.dat" || base == "blobs.toc" { return true }
        if base.hasSuffix(".dat") {
            let stem = base.dropLast(4)
            return digits(stem) || (stem.hasPrefix("blob_") && digits(stem.dropFirst(5)))
        }
        if base.hasSuffix(".toc"), base.hasPrefix("blobs_") {
            return digits(base.dropFirst(6).dropLast(4))
        }
        return false
    }

    /// Finds `name` in `directory` as `InitDiscoverCompressFileHandle` does. `nil` when no variant exists. In a
    /// directory at a URL, each variant is asked for with a HEAD request.
    package static func locate(directory: String, name: String, remote: HTTPSession? = nil) throws -> MemberFile? {
        if let remote {
            let base = RemoteURL.member(name, of: directory)
            let variants: [(String, CompressionAlgorithm)] = name.hasSuffix(".gz")
                ? [(base, .gzip)]
                : [(base, .none)] + [CompressionAlgorithm.gzip, .lz4, .zstd].map { (base + $0.fileSuffix, $0) }
            for (url, compression) in variants {
                if let size = try HTTPByteSource.probeSize(url: url, session: remote) {
                    return MemberFile(
                        path: RemoteURL.redacted(url), compression: compression, size: size, remote: remote, url: url)
                }
            }
            return nil
        }
        let base = directory + "/" + name
        if name.hasSuffix(".gz") { return regularFile(base, .gzip) }
        if let plain = regularFile(base, .none) { return plain }
        for algorithm in [CompressionAlgorithm.gzip, .lz4, .zstd] {
            if let found = regularFile(base + algorithm.fileSuffix, algorithm) { return found }
        }
        return nil
    }

    /// A regular file, or `nil`. Symbolic links are never followed: an archive could point one anywhere on the
    /// machine (`refusedLink` says why a name was not found).
    private static func regularFile(_ path: String, _ compression: CompressionAlgorithm) -> MemberFile? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return MemberFile(path: path, compression: compression, size: Int64(info.st_size), remote: nil)
    }

    /// The first of the names `locate` tries that is a symbolic link or another non-regular file, if any.
    static func refusedLink(directory: String, name: String, remote: HTTPSession? = nil) -> String? {
        guard remote == nil else { return nil }
        let base = directory + "/" + name
        let candidates = name.hasSuffix(".gz") ? [base] : [base, base + ".gz", base + ".lz4", base + ".zst"]
        for path in candidates {
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG { return path }
        }
        return nil
    }

    /// Opens the file for reading, decompressing it as its name implies.
    func open() throws -> ByteSource {
        let file = try openStored()
        guard let decompressor = try Codecs.decompressor(for: compression, deflateFraming: .gzipFile) else {
            return file
        }
        return DecompressingByteSource(
            base: file, decompressor: decompressor, ignoresTrailingBytes: compression == .gzip)
    }
}

extension MemberFile {
    /// Opens the file's bytes as stored (compressed or not).
    func openStored() throws -> ByteSource {
        if let remote, let url { return try HTTPByteSource(url: url, session: remote) }
        return try FileByteSource(path: path)
    }
}
