import PGDumpCore
import PGDumpCodecs

#if canImport(Glibc)
import Glibc
#endif

/// Writes directory-format archives (`pg_dump -Fd`). Mirrors `pg_backup_directory.c`'s writing side.
///
/// A new target is written as a fresh temporary directory beside it, renamed into place by `finish()`, so it
/// never holds a partial archive. The target must not exist or be empty, as with pg_dump; an existing empty
/// directory is filled in place, as pg_dump fills it (it may be a mount point, or `.`, which cannot be renamed
/// over, and it keeps its inode, owner and mode), with `toc.dat` written last and everything written removed
/// again on failure. Data files are compressed files (`N.dat.gz`, `.lz4`, `.zst`); large-object TOCs are plain text.
package final class DirectoryArchiveWriter: ArchiveWriter {
    package let path: String
    /// The directory written until `finish()` renames it to `path` (or `path` itself when filled in place);
    /// callers that must clean up on a signal register it.
    package let temporaryPath: String
    /// Whether `path` is an existing empty directory being filled, rather than a new one renamed into place.
    package let fillsInPlace: Bool
    private let header: ArchiveHeader
    private let entries: [TOCEntry]
    private let compression: CompressionChoice
    private let jobs: Int
    private var state = WriterState()
    private var file: MemberWriter?
    private var largeObjectTOC: MemberWriter?
    private var committed = false
    /// Whether the current entry's bytes come compressed already.
    private var storing = false
    private var fileCompression: CompressionChoice? { storing ? nil : compression }

    /// Creates the temporary directory. `entries` must carry the file names this format records
    /// (`N.dat`, `blobs_N.toc` or `blobs.toc`). `jobs`: threads that compress each data file.
    package init(
        path: String, header: ArchiveHeader, entries: [TOCEntry], compression: CompressionChoice,
        jobs: Int = Codecs.defaultCompressionJobs
    ) throws {
        self.path = path
        self.header = header
        self.entries = entries
        self.compression = compression
        self.jobs = jobs
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR, FileTree.isEmptyDirectory(path) else {
                throw PGDumpError(.invalidRequest, "cannot write a directory archive here: it exists and is not an empty directory", file: path)
            }
            guard access(path, W_OK) == 0 else {
                throw PGDumpError(.io, "cannot write into the directory: \(SystemError.describe(errno))", file: path)
            }
            fillsInPlace = true
            temporaryPath = path
            return
        }
        fillsInPlace = false
        var template = Array((path + ".pgdumpkit-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw PGDumpError(.io, "could not create directory: \(SystemError.describe(errno))", file: path)
        }
        temporaryPath = String(nulTerminated: template)
        chmod(temporaryPath, 0o700)
    }

    deinit {
        if !committed { removeWritten() }
    }

    package var scratchOutput: ScratchOutput? {
        ScratchOutput(path: temporaryPath, fillsExistingDirectory: fillsInPlace)
    }

    /// Removes everything written so far (after an error).
    package func abandon() {
        file = nil
        largeObjectTOC = nil
        if !committed { removeWritten() }
    }

    private func removeWritten() {
        if fillsInPlace {
            FileTree.removeFiles(in: temporaryPath)
        } else {
            FileTree.removeTree(temporaryPath)
        }
    }

    package func beginData(of entry: TOCEntry) throws {
        storing = false
        try begin(entry)
    }

    package func beginStoredData(of entry: TOCEntry) throws {
        storing = true
        try begin(entry)
    }

    private func begin(_ entry: TOCEntry) throws {
        try state.begin(entry)
        try state.run {
            guard case .file(let name) = entry.dataLocation else {
                throw PGDumpError(.invalidRequest, "entry has no data file name", dumpID: entry.dumpID)
            }
            if entry.isLargeObjectData {
                // ≤ 1.15 archives share one blobs.toc; append to it if an earlier BLOBS entry created it.
                largeObjectTOC = try MemberWriter(path: temporaryPath + "/" + name.string, compression: nil, append: true)
            } else {
                file = try MemberWriter(
                    path: temporaryPath + "/" + name.string + compression.algorithm.fileSuffix,
                    compression: fileCompression, jobs: jobs)
            }
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        _ = try state.requireData()
        try state.run {
            guard let file else { throw PGDumpError(.invalidRequest, "large-object data outside a large object") }
            try file.write(bytes)
        }
    }

    package func beginLargeObject(oid: UInt32) throws {
        try state.beginLargeObject()
        try state.run {
            let name = DataMemberName.largeObject(oid: oid)
            file = try MemberWriter(
                path: temporaryPath + "/" + name + compression.algorithm.fileSuffix, compression: fileCompression,
                jobs: jobs)
            try largeObjectTOC?.write(Array("\(oid) \(name)\n".utf8))
        }
    }

    package func endLargeObject() throws {
        try state.endLargeObject()
        try state.run {
            try file?.close()
            file = nil
        }
    }

    package func endData() throws {
        _ = try state.end()
        try state.run {
            try file?.close()
            file = nil
            try largeObjectTOC?.close()
            largeObjectTOC = nil
        }
    }

    /// Writes toc.dat and renames the directory into place.
    package func finish() throws {
        try state.finish()
        try state.run {
            let toc = try MemberWriter(path: temporaryPath + "/toc.dat", compression: nil)
            try toc.write(TOCWriter.encodeWithFileNames(entries, header: header))
            try toc.close()
            // A new target: nothing was at `path` when init looked; rename(2) fails if a non-empty directory
            // appeared there since.
            if !fillsInPlace && rename(temporaryPath, path) != 0 {
                throw PGDumpError(.io, "could not move the archive into place: \(SystemError.describe(errno))", file: path)
            }
            committed = true
        }
        state.markFinished()
    }
}

/// One file of a directory archive being written, compressed as a file (gzip files, lz4 and zstd frames).
final class MemberWriter {
    private let descriptor: Int32
    private let output: OutputFile
    private let compressor: Compressor?
    private var closed = false

    init(path: String, compression: CompressionChoice?, append: Bool = false, jobs: Int = 1) throws {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_EXCL)
        descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else {
            throw PGDumpError(.io, "could not create file: \(SystemError.describe(errno))", file: path)
        }
        output = OutputFile(descriptor: descriptor, name: path)
        compressor = try compression.flatMap { try Codecs.compressor(for: $0, deflateFraming: .gzipFile, jobs: jobs) }
    }

    deinit {
        if !closed { Glibc.close(descriptor) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if let compressor {
            try compressor.compress(bytes) { try output.write($0) }
        } else {
            try output.write(bytes)
        }
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    func close() throws {
        guard !closed else { return }
        try compressor?.finish { try output.write($0) }
        try output.flush()
        closed = true
        guard Glibc.close(descriptor) == 0 else {
            throw PGDumpError(.io, "could not close file: \(SystemError.describe(errno))", file: output.name)
        }
    }
}
