import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

/// Output files are written under a temporary name in the same directory and moved into place only when
/// complete, so a failure never leaves a half-written file where the output should be.
///
/// The rules, the same for every command: an output never resolves to an input (`InputFiles`); an existing file
/// is replaced only with `--force`, keeping its owner and mode, and a file that appears at the output path while
/// pgdumpkit runs is never replaced without it (the finished file is linked into place, which fails if the name
/// is taken, rather than renamed over it); a symbolic link is written through; devices, FIFOs and `/proc/self/fd/N`
/// are written directly.
enum AtomicOutput {
    /// Writes a new archive of `format` at `output`, whole or not at all: a directory archive is built under a
    /// temporary name beside its target (or fills an existing empty directory) and abandoned on failure; a
    /// single-file archive goes through `withDescriptor`. `create` makes the writer for a destination, `body`
    /// writes the entries' data and finishes it.
    static func writeArchive(
        _ format: ArchiveFormat, to output: String, replacing: Bool,
        create: (ArchiveDestination) throws -> any ArchiveWriter, _ body: (any ArchiveWriter) throws -> Void
    ) throws {
        if Archive.isURL(output) {
            guard !format.isDirectory else {
                throw CommandFailure(
                    message: "a \(format) archive cannot be written to a URL; write a custom or tar archive there", exitCode: 2)
            }
            try withUpload(to: output, replacing: replacing) { file in try body(try create(.file(file))) }
            return
        }
        guard format.isDirectory else {
            try withDescriptor(for: output, replacing: replacing) { descriptor, name in
                try body(try create(.file(OutputFile(descriptor: descriptor, name: name))))
            }
            return
        }
        guard output != "-" else {
            throw CommandFailure(message: "a \(format) archive cannot be written to standard output", exitCode: 2)
        }
        guard !output.isEmpty else {
            throw CommandFailure(message: "the output directory name is empty", exitCode: 2)
        }
        try InputFiles.checkOutputDirectory(output)
        var created: (any ArchiveWriter)?
        let temporary = try TemporaryPaths.create {
            let writer = try create(.directory(path: output))
            created = writer
            let scratch = writer.scratchOutput!
            return (scratch.path, scratch.fillsExistingDirectory ? .directoryContents : .directory)
        }
        defer { TemporaryPaths.unregister(temporary) }
        let writer = created!
        do {
            try body(writer)
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Calls `body` with a sink for `path` (`-`: standard output, written directly; a URL: uploaded).
    static func write(to path: String, replacing: Bool, _ body: (ByteSink) throws -> Void) throws {
        if Archive.isURL(path) {
            try withUpload(to: path, replacing: replacing, body)
            return
        }
        try withDescriptor(for: path, replacing: replacing) { descriptor, name in
            try body(FileDescriptorSink(descriptor: descriptor, name: name))
        }
    }

    /// Calls `body` with an output uploaded to `url` (`Archive.remoteOutput`), completed only when `body` returns
    /// and aborted when it throws or a signal stops pgdumpkit, so that nothing partial is left there.
    static func withUpload(to url: String, replacing: Bool, _ body: (OutputFile) throws -> Void) throws {
        let target = try Archive.remoteOutput(to: url, replacing: replacing, s3Endpoint: RemoteOptions.s3Endpoint)
        let file = OutputFile(stream: target, name: Archive.redactedURL(url))
        let cleanup = TemporaryPaths.registerCleanup {
            if let warning = target.abort() { Diagnostics.warning(warning) }
        }
        defer { TemporaryPaths.unregisterCleanup(cleanup) }
        do {
            try body(file)
            try file.completeStream()
        } catch {
            if let warning = file.abortStream() { Diagnostics.warning(warning) }
            throw error
        }
    }

    /// Calls `body` with a descriptor open for writing `path` (`-`: standard output), moving the temporary file
    /// into place only when `body` returns.
    static func withDescriptor(
        for path: String, replacing: Bool, _ body: (Int32, String) throws -> Void
    ) throws {
        guard !path.isEmpty else {
            throw CommandFailure(message: "the output file name is empty; name a file, or - for standard output", exitCode: 2)
        }
        if path == "-" {
            var info = stat()
            if fstat(STDOUT_FILENO, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
                InputFiles.identities.contains(InputFiles.identity(of: info))
            {
                throw CommandFailure(message: "standard output is an input of this command; refusing to write to it")
            }
            try body(STDOUT_FILENO, "standard output")
            return
        }
        let destination = try OutputDestination(resolving: path)
        if case .special = destination.kind {
            // O_TRUNC as fopen's "w": a regular file behind /dev/stdout is rewritten; devices ignore it.
            let descriptor = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC)
            guard descriptor >= 0 else {
                throw CommandFailure(message: "\(path): could not open for writing: \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }
            try body(descriptor, path)
            return
        }
        try stage(destination, shownAs: path, replacing: replacing, body).commit()
    }

    /// Writes a regular file at `path` completely under a temporary name beside it, for the caller to move into
    /// place later (`StagedFile.commit`) or drop: what `write(to:replacing:_:)` does in two steps, so that files
    /// written on several threads appear in the order the caller chooses. `nil`, with `body` not called, for
    /// what is written directly rather than replaced whole (standard output, a device or FIFO, a URL): the
    /// caller then writes it with `write(to:replacing:_:)`.
    static func stage(to path: String, replacing: Bool, _ body: (ByteSink) throws -> Void) throws -> StagedFile? {
        guard !path.isEmpty, path != "-", !Archive.isURL(path) else { return nil }
        let destination = try OutputDestination(resolving: path)
        if case .special = destination.kind { return nil }
        return try stage(destination, shownAs: path, replacing: replacing) { descriptor, name in
            try body(FileDescriptorSink(descriptor: descriptor, name: name))
        }
    }

    /// A complete file under a temporary name, not yet in place.
    final class StagedFile: @unchecked Sendable {
        let temporary: String
        let target: String
        let replacing: Bool
        let shownAs: String
        private var settled = false

        fileprivate init(temporary: String, target: String, replacing: Bool, shownAs: String) {
            self.temporary = temporary
            self.target = target
            self.replacing = replacing
            self.shownAs = shownAs
        }

        /// Moves the file into place (linked without `--force`, so that a file that appeared meanwhile is kept).
        func commit() throws {
            guard !settled else { return }
            settled = true
            defer { TemporaryPaths.unregister(temporary) }
            do {
                try AtomicOutput.moveIntoPlace(temporary, target, replacing: replacing, shownAs: shownAs)
            } catch {
                unlink(temporary)
                throw error
            }
        }

        /// Removes the file, which is not wanted after all.
        func discard() {
            guard !settled else { return }
            settled = true
            unlink(temporary)
            TemporaryPaths.unregister(temporary)
        }
    }

    /// Writes the regular file `destination` under a temporary name: checked, written by `body`, given its mode
    /// and synced; still registered for removal on a signal until it is committed or discarded.
    private static func stage(
        _ destination: OutputDestination, shownAs path: String, replacing: Bool, _ body: (Int32, String) throws -> Void
    ) throws -> StagedFile {
        let existing: stat?
        switch destination.kind {
        case .special:
            preconditionFailure("a special file is written directly")
        case .regularFile(let info):
            try InputFiles.checkOutput(destination.path)
            if !replacing { throw CommandFailure(message: "\(path): file exists; use --force to replace it") }
            existing = info
        case .new:
            try InputFiles.checkOutput(destination.path)
            if destination.isDanglingLink && !replacing {
                throw CommandFailure(
                    message: "\(path): is a symbolic link to a file that does not exist; use --force to write through it")
            }
            existing = nil
        }
        let target = destination.path
        var descriptor: Int32 = -1
        // A short name: the output's own name may already be as long as a file name can be.
        let directory = InputFiles.parentDirectory(of: target)
        let temporary = try TemporaryPaths.create(isDirectory: false) {
            var template = Array((directory + "/.pgdumpkit-XXXXXX").utf8CString)
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else {
                throw CommandFailure(message: "\(path): could not create output file: \(String(cString: strerror(errno)))")
            }
            return String(nulTerminated: template)
        }
        do {
            try body(descriptor, path)
            if let existing {
                // The replacement keeps the replaced file's owner and mode. chown needs privileges: without them
                // the owner is ours (the group too, unless we belong to the old one), and the set-user and
                // set-group bits, which would now name us, are dropped.
                var mode = existing.st_mode & 0o7777
                if fchown(descriptor, existing.st_uid, existing.st_gid) != 0 {
                    mode &= 0o777
                    _ = fchown(descriptor, uid_t.max, existing.st_gid)
                }
                fchmod(descriptor, mode)
            } else {
                fchmodUmask(descriptor)
            }
            let synced = fsync(descriptor) == 0 || errno == EINVAL
            let closed = close(descriptor) == 0
            // Closed either way: a failed close must not be retried on a descriptor that may be reused.
            descriptor = -1
            guard synced, closed else {
                throw CommandFailure(message: "\(path): could not write output file: \(String(cString: strerror(errno)))")
            }
            return StagedFile(temporary: temporary, target: target, replacing: replacing, shownAs: path)
        } catch {
            if descriptor >= 0 { close(descriptor) }
            unlink(temporary)
            TemporaryPaths.unregister(temporary)
            throw error
        }
    }

    /// Renames with `--force`; otherwise links, which fails rather than replace a file that appeared meanwhile.
    fileprivate static func moveIntoPlace(_ temporary: String, _ target: String, replacing: Bool, shownAs path: String) throws {
        if replacing {
            guard rename(temporary, target) == 0 else {
                throw CommandFailure(message: "\(path): could not rename output file: \(String(cString: strerror(errno)))")
            }
            return
        }
        if link(temporary, target) == 0 {
            unlink(temporary)
            return
        }
        let linkError = errno
        if linkError == EEXIST {
            throw CommandFailure(message: "\(path): a file appeared there while the output was written; use --force to replace it")
        }
        // File systems without hard links: check, then rename (the window is as small as it can be made there).
        guard linkError == EPERM || linkError == ENOTSUP || linkError == EOPNOTSUPP || linkError == EMLINK else {
            throw CommandFailure(message: "\(path): could not move output file into place: \(String(cString: strerror(linkError)))")
        }
        var info = stat()
        if lstat(target, &info) == 0 {
            throw CommandFailure(message: "\(path): a file appeared there while the output was written; use --force to replace it")
        }
        guard rename(temporary, target) == 0 else {
            throw CommandFailure(message: "\(path): could not rename output file: \(String(cString: strerror(errno)))")
        }
    }

    /// The process's umask, read once before any thread starts (`main()`): reading it means setting it, and
    /// workers staging files at once (`extract --all -j`) could otherwise leave it at 0 for the rest of the run.
    static let processUmask: mode_t = {
        let mask = umask(0)
        umask(mask)
        return mask
    }()

    /// mkstemp creates files with mode 0600; give the output the mode a new file would have had.
    private static func fchmodUmask(_ descriptor: Int32) {
        fchmod(descriptor, 0o666 & ~processUmask)
    }
}

