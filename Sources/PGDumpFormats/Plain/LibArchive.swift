import CArchive
import PGDumpCore

/// libarchive's read functions, from the library opened at first use (`SharedLibrary`): only compressed scripts
/// (xz, bzip2) and the diagnosis of compressed inputs that are not archives need it.
enum LibArchive {
    /// The functions, or why libarchive could not be loaded; loaded once, by the first caller.
    static let loaded: Result<pgdk_archive_api, PGDumpError> = Result { () throws(PGDumpError) in
        let library = try SharedLibrary.open(
            ["libarchive.so.13", "libarchive.so", "libarchive.13.dylib"], purpose: "to decompress this input",
            package: "libarchive13")
        var api = pgdk_archive_api()
        if let missing = pgdk_archive_load(&api, library.handle) { throw library.missing(String(cString: missing)) }
        return api
    }

    /// The functions; throws when libarchive cannot be loaded.
    static func api() throws(PGDumpError) -> pgdk_archive_api { try loaded.get() }
}
