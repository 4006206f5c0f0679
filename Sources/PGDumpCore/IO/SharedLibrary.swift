#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A shared library opened with `dlopen` when first needed, for a dependency only some inputs use (libarchive for
/// compressed scripts, libcurl for URLs): a linked library is loaded, relocated and initialised on every run,
/// along with everything it links in turn, before `main` starts.
///
/// The handle is never closed: a library opened once is kept for the life of the process.
package struct SharedLibrary: @unchecked Sendable {
    package let handle: UnsafeMutableRawPointer
    /// The file name that was opened.
    package let name: String

    /// Opens the first of `names` (sonames, most specific first) that the dynamic loader finds.
    ///
    /// - Parameter purpose: what the library is needed for, for the error ("to read xz-compressed scripts").
    /// - Parameter package: the Debian package that installs it, for the hint.
    package static func open(_ names: [String], purpose: String, package: String) throws(PGDumpError) -> SharedLibrary {
        var failure = ""
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) {
                return SharedLibrary(handle: handle, name: name)
            }
            if failure.isEmpty, let message = dlerror() { failure = String(cString: message) }
        }
        throw PGDumpError(
            .io, "\(names[0]) is needed \(purpose) and could not be loaded: \(failure)",
            hint: "install it (Debian: apt-get install \(package))")
    }

    /// The error for a library that lacks `symbol` (a version too old).
    package func missing(_ symbol: String) -> PGDumpError {
        PGDumpError(.io, "\(name) has no function \(symbol): it is too old")
    }
}
