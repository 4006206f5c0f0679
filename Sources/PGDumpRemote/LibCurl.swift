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

extension LibCurl {
    /// The functions, for code that runs after `api()` succeeded (every handle is made after it).
    static var table: pgdk_curl_api {
        guard case .success(let api) = loaded else { preconditionFailure("libcurl used before it was loaded") }
        return api
    }

    // Typed calls of the variadic curl_easy_setopt and curl_easy_getinfo.
    @discardableResult
    static func set(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) -> CURLcode {
        var api = table
        return pgdk_curl_setopt_long(&api, easy, option, value)
    }

    @discardableResult
    static func set(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, offset value: Int64) -> CURLcode {
        var api = table
        return pgdk_curl_setopt_offset(&api, easy, option, curl_off_t(value))
    }

    @discardableResult
    static func set(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) -> CURLcode {
        var api = table
        return pgdk_curl_setopt_string(&api, easy, option, value)
    }

    @discardableResult
    static func set(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, pointer value: UnsafeMutableRawPointer?) -> CURLcode {
        var api = table
        return pgdk_curl_setopt_pointer(&api, easy, option, value)
    }

    @discardableResult
    static func set(
        _ easy: UnsafeMutableRawPointer, _ option: CURLoption,
        function: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int
    ) -> CURLcode {
        var api = table
        return pgdk_curl_setopt_write_function(&api, easy, option, function)
    }

    @discardableResult
    static func set(
        _ easy: UnsafeMutableRawPointer, _ option: CURLoption,
        seek function: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, Int32) -> Int32
    ) -> CURLcode {
        var api = table
        return pgdk_curl_setopt_seek_function(&api, easy, option, function)
    }

    static func info(_ easy: UnsafeMutableRawPointer, _ info: CURLINFO) -> Int {
        var api = table
        var value = 0
        _ = pgdk_curl_getinfo_long(&api, easy, info, &value)
        return value
    }

    static func info(_ easy: UnsafeMutableRawPointer, offset info: CURLINFO) -> Int64? {
        var api = table
        var value: curl_off_t = -1
        guard pgdk_curl_getinfo_offset(&api, easy, info, &value) == CURLE_OK else { return nil }
        return Int64(value)
    }

    /// `lines` as a header list (to free with `freeList`).
    static func headerList(_ lines: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines { list = table.slist_append!(list, line) }
        return list
    }

    static func freeList(_ list: UnsafeMutablePointer<curl_slist>?) {
        guard let list else { return }
        table.slist_free_all!(list)
    }
}

/// Where libcurl writes its message for a failed transfer (`CURLOPT_ERRORBUFFER`); allocated, so that its address
/// stays valid for as long as the handle that writes there.
final class CurlErrorBuffer {
    private let bytes: UnsafeMutablePointer<CChar>

    /// A buffer that `easy` writes its failures into.
    init(for easy: UnsafeMutableRawPointer) {
        bytes = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        bytes.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        LibCurl.set(easy, CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(bytes))
    }

    /// Free it only after the handle: libcurl keeps the address.
    deinit { bytes.deallocate() }

    /// Forgets the last message, before a new transfer.
    func clear() { bytes[0] = 0 }

    /// libcurl's message for a failure with `code`: the buffer when it says something, else the code's text.
    func message(for code: CURLcode) -> String {
        let detail = String(cString: bytes)
        return detail.isEmpty ? String(cString: LibCurl.table.easy_strerror!(code)!) : detail
    }
}
