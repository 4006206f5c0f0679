import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

/// The one rule every command's output follows: it never resolves to something pgdumpkit is reading.
///
/// Inputs are recorded by device and inode when they are opened (the archive file or directory, and the file
/// standard input reads when it is one), so a different spelling, a symbolic or hard link, or `/proc/self/fd/0`
/// of the same file is recognised. An output is refused when it is an input, or when it would be created inside
/// an input directory archive.
enum InputFiles {
    struct Identity: Equatable {
        var device: UInt
        var inode: UInt
        var isDirectory: Bool
    }

    nonisolated(unsafe) private(set) static var identities: [Identity] = []

    /// Records the input `path` (`-`: standard input, when it is a regular file).
    static func register(_ path: String) {
        var info = stat()
        let found = path == "-" ? fstat(STDIN_FILENO, &info) == 0 : stat(path, &info) == 0
        guard found else { return }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFDIR else { return }
        identities.append(Identity(device: UInt(info.st_dev), inode: UInt(info.st_ino), isDirectory: kind == S_IFDIR))
    }

    static func identity(of info: stat) -> Identity {
        Identity(device: UInt(info.st_dev), inode: UInt(info.st_ino), isDirectory: (info.st_mode & S_IFMT) == S_IFDIR)
    }

    /// Throws when a file at `path` would overwrite an input or be created inside an input directory.
    static func checkOutput(_ path: String) throws { try check(path, verb: "overwrite it") }

    /// Throws when the directory `path` (an output directory) is an input or lies inside an input directory.
    static func checkOutputDirectory(_ path: String) throws { try check(path, verb: "write into it") }

    private static func check(_ path: String, verb: String) throws {
        guard !identities.isEmpty else { return }
        var info = stat()
        guard stat(path, &info) == 0 else {
            try checkNotInsideInputDirectory(parentDirectory(of: path), output: path)
            return
        }
        if identities.contains(identity(of: info)) {
            throw CommandFailure(message: "\(path): is an input of this command; refusing to \(verb)")
        }
        // Where it really is, whatever links lead there.
        var start = parentDirectory(of: path)
        if let resolved = realpath(path, nil) {
            start = parentDirectory(of: String(cString: resolved))
            free(resolved)
        }
        try checkNotInsideInputDirectory(start, output: path)
    }

    /// Walks from `directory` up to the root, comparing each existing ancestor with the input directories.
    private static func checkNotInsideInputDirectory(_ directory: String, output: String) throws {
        guard identities.contains(where: \.isDirectory) else { return }
        var current = directory
        for _ in 0..<4096 {
            var info = stat()
            if stat(current, &info) == 0 {
                if identities.contains(identity(of: info)) {
                    throw CommandFailure(
                        message: "\(output): is inside the input directory archive; refusing to write into it")
                }
                // The real parent, wherever links led.
                guard let resolved = realpath(current, nil) else { return }
                defer { free(resolved) }
                let real = String(cString: resolved)
                if real == "/" { return }
                current = parentDirectory(of: real)
            } else {
                if current == "/" || current == "." { return }
                current = parentDirectory(of: current)
            }
        }
    }

    /// The directory a path names a file in (`.` for a bare name).
    static func parentDirectory(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == 0 { return "/" }
        return String(decoding: bytes[..<slash], as: UTF8.self)
    }
}

/// Where an output path really leads. A symbolic link is followed to the file it names, which pg_restore writes
/// through and which `--force` replaces, keeping the link; a device, FIFO or `/proc/self/fd/N` is written
/// directly; a link whose target does not exist yet leads to where that target would be created.
struct OutputDestination {
    enum Kind {
        /// Nothing is there: a new file is created at `path`.
        case new
        /// A regular file is there (`existing`), replaced only with `--force`.
        case regularFile(stat)
        /// A device, FIFO, socket or terminal, or an open descriptor's name: written directly, never replaced.
        case special
    }

    /// The path written: the output path, or where its links lead.
    var path: String
    var kind: Kind
    /// The output path is a symbolic link whose target is missing.
    var isDanglingLink = false

    /// Whether `path` names an open descriptor (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`), through links.
    /// Such a name is written through as pg_restore's `fopen(…, "w")` writes it, even when the descriptor is a
    /// regular file: the shell chose that file, and replacing it would break the redirection.
    static func namesDescriptor(_ original: String) -> Bool {
        var path = original
        for _ in 0..<40 {
            if path == "/dev/stdout" || path == "/dev/stderr" || path.hasPrefix("/dev/fd/")
                || (path.hasPrefix("/proc/") && path.contains("/fd/"))
            {
                return true
            }
            var link = stat()
            guard lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK else { return false }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(path, &buffer, buffer.count - 1)
            guard count > 0 else { return false }
            let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            path = target.hasPrefix("/") ? target : InputFiles.parentDirectory(of: path) + "/" + target
        }
        return false
    }

    init(resolving original: String) throws {
        var info = stat()
        if Self.namesDescriptor(original), stat(original, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
            path = original
            kind = .special
            if (info.st_mode & S_IFMT) == S_IFREG && InputFiles.identities.contains(InputFiles.identity(of: info)) {
                throw CommandFailure(message: "\(original): is an input of this command; refusing to overwrite it")
            }
            return
        }
        if stat(original, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw CommandFailure(message: "\(original): is a directory")
            case S_IFREG:
                path = original
                var link = stat()
                if lstat(original, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK, let real = realpath(original, nil) {
                    path = String(cString: real)
                    free(real)
                }
                kind = .regularFile(info)
            default:
                path = original
                kind = .special
            }
            return
        }
        // Nothing there, or a link to nothing: follow the links by hand to the name that would be created.
        path = original
        kind = .new
        for _ in 0..<40 {
            var link = stat()
            guard lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK else { return }
            isDanglingLink = true
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(path, &buffer, buffer.count - 1)
            guard count > 0 else {
                throw CommandFailure(message: "\(original): could not read the symbolic link: \(String(cString: strerror(errno)))")
            }
            let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            path = target.hasPrefix("/") ? target : InputFiles.parentDirectory(of: path) + "/" + target
        }
        throw CommandFailure(message: "\(original): too many levels of symbolic links")
    }
}
