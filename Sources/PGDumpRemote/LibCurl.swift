import CCurl
import PGDumpCore

/// libcurl's functions, from the library opened at first use (`SharedLibrary`): only archives at URLs need it.
enum LibCurl {
    /// The functions, with `curl_global_init` done, or why libcurl could not be loaded; loaded once, by the
    /// first caller.
    // Function pointers, written once before any reader sees them.
    nonisolated(unsafe) static let loaded: Result<pgdk_curl_api, PGDumpError> = Result { () throws(PGDumpError) in
        let library = try SharedLibrary.open(
            ["libcurl.so.4", "libcurl.so", "libcurl.4.dylib"], purpose: "to read archives at URLs",
            package: "libcurl4")
        var api = pgdk_curl_api()
        if let missing = pgdk_curl_load(&api, library.handle) { throw library.missing(String(cString: missing)) }
        guard api.global_init!(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK else {
            throw PGDumpError(.io, "could not initialise libcurl")
        }
        return api
    }

    /// The functions; throws when libcurl cannot be loaded.
    static func api() throws(PGDumpError) -> pgdk_curl_api { try loaded.get() }
}
