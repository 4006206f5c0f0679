#if canImport(Glibc)
import Glibc
#endif

/// The few directory operations that writing and cleaning up a directory archive needs: its directories hold
/// flat files only.
package enum FileTree {
    /// Whether `path` is a directory with nothing in it.
    package static func isEmptyDirectory(_ path: String) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        while let item = readdir(directory) {
            let name = entryName(item)
            if name != "." && name != ".." { return false }
        }
        return true
    }

    /// Removes a directory with the flat files in it.
    package static func removeTree(_ path: String) {
        removeFiles(in: path)
        rmdir(path)
    }

    /// Removes the flat files in a directory, leaving the directory.
    package static func removeFiles(in path: String) {
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while let item = readdir(directory) {
            let name = entryName(item)
            if name != "." && name != ".." { unlink(path + "/" + name) }
        }
    }

    /// The name of a `readdir` entry.
    package static func entryName(_ item: UnsafeMutablePointer<dirent>) -> String {
        withUnsafeBytes(of: item.pointee.d_name) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
