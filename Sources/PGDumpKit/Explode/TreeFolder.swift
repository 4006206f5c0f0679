import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// The folder operations an exploded tree needs beyond `FileTree` (whose archives hold flat files only).
package enum TreeFolder {
    /// The names in a folder, `.` and `..` left out.
    package static func names(in path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw PGDumpError(.io, "could not open directory: \(SystemError.describe(errno))", file: path)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let item = readdir(directory) {
            let name = FileTree.entryName(item)
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path` and everything below it, never following a symbolic link.
    package static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in (try? names(in: path)) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
