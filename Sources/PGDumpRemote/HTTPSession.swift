import CCurl
import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libcurl easy handle driven through a multi handle, so its bytes can be pulled as a reader needs them
/// instead of pushed into a callback. Every transfer of the sources that share a session goes through the same
/// handle, so libcurl keeps the connection open between them (a directory archive's `toc.dat` and data files).
///
/// A session runs one transfer at a time; starting another abandons the one in progress. It belongs to one task.
package final class HTTPSession {
    /// Timeouts and retries, with the defaults the command-line tool uses.
    package struct Options: Sendable {
        /// Seconds to wait for a connection (DNS, TCP and TLS).
        package var connectTimeout: Int = 30
        /// A transfer that receives nothing for this many seconds is dropped (and retried).
        package var stallTimeout: Int = 60
        /// How many times a failed transfer is tried again: on 5xx answers, dropped connections and stalls.
        package var retries: Int = 4
        /// The first pause before a retry, in milliseconds; each later pause doubles it.
        package var retryDelayMilliseconds: Int = 250

        package init() {}
    }

    let options: Options
    private var curl: pgdk_curl_api
    private let easy: UnsafeMutableRawPointer
    private let multi: UnsafeMutableRawPointer
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    /// The transfer in progress: its bytes not yet taken (`pending[pendingStart...]`), how many it received, the
    /// HTTP status and `Content-Range` seen, and its result once libcurl reports it done.
    private(set) var isActive = false
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// The body bytes received so far, dropped ones included: the held ones are the last `pending.count`.
    private(set) var received: Int64 = 0
    private var discardRemaining: Int64 = 0
    private var paused = false
    private(set) var status = 0
    private(set) var contentRange: String?
    private(set) var result: CURLcode?
    /// The source the transfer in progress belongs to.
    private(set) weak var owner: HTTPByteSource?

    /// Above this many bytes not yet taken, the transfer is paused until the reader catches up.
    private static let pendingLimit = 8 << 20
    /// libcurl's `CURL_WRITEFUNC_PAUSE`, a macro Swift does not import.
    private static let writePause = 0x1000_0001

    package init(options: Options = Options()) throws {
        curl = try LibCurl.api()
        guard let easy = curl.easy_init!() else { throw PGDumpError(.io, "could not initialise libcurl") }
        guard let multi = curl.multi_init!() else {
            curl.easy_cleanup!(easy)
            throw PGDumpError(.io, "could not initialise libcurl")
        }
        self.options = options
        self.easy = easy
        self.multi = multi
        let context = Unmanaged.passUnretained(self).toOpaque()
        // Only HTTP and HTTPS, also across redirects: a URL from a user must not reach file:// or other protocols.
        _ = pgdk_curl_setopt_string(&curl, easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = pgdk_curl_setopt_string(&curl, easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_FOLLOWLOCATION, 1)
        _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_MAXREDIRS, 10)
        _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_NOSIGNAL, 1)
        _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_FAILONERROR, 1)
        _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_CONNECTTIMEOUT, options.connectTimeout)
        // A stall: less than one byte a second for stallTimeout seconds.
        _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_LOW_SPEED_TIME, options.stallTimeout)
        _ = pgdk_curl_setopt_string(&curl, easy, CURLOPT_USERAGENT, "pgdumpkit")
        // The certificate authorities to trust: the system's, or the bundle the environment names, as the curl
        // tool reads CURL_CA_BUNDLE (and OpenSSL's tools SSL_CERT_FILE): a private CA, a test's own certificate.
        let names: [String] = ["CURL_CA_BUNDLE", "SSL_CERT_FILE"]
        let bundles = names.compactMap { name -> String? in getenv(name).map { String(cString: $0) } }
        if let bundle = bundles.first(where: { !$0.isEmpty }) {
            _ = pgdk_curl_setopt_string(&curl, easy, CURLOPT_CAINFO, bundle)
        }
        _ = errorBuffer.withUnsafeMutableBufferPointer { pgdk_curl_setopt_pointer(&curl, easy, CURLOPT_ERRORBUFFER, $0.baseAddress) }
        _ = pgdk_curl_setopt_write_function(&curl, easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<HTTPSession>.fromOpaque(context).takeUnretainedValue()
                .receive(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        _ = pgdk_curl_setopt_pointer(&curl, easy, CURLOPT_WRITEDATA, context)
        _ = pgdk_curl_setopt_write_function(&curl, easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            Unmanaged<HTTPSession>.fromOpaque(context).takeUnretainedValue()
                .receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        _ = pgdk_curl_setopt_pointer(&curl, easy, CURLOPT_HEADERDATA, context)
    }

    deinit {
        if isActive { _ = curl.multi_remove_handle!(multi, easy) }
        _ = curl.multi_cleanup!(multi)
        curl.easy_cleanup!(easy)
    }

    /// Starts a GET of `url` for `owner`, of the bytes `range` (`a-b`, `a-`) or the whole body (`nil`), or only
    /// its headers (`headOnly`). `discarding` bytes are dropped from the start of the body (a stream read again
    /// from its start after a dropped connection). Abandons any transfer in progress.
    func start(url: String, range: String?, headOnly: Bool = false, discarding: Int64 = 0, for owner: HTTPByteSource?) {
        abandon()
        pending.removeAll(keepingCapacity: true)
        pendingStart = 0
        received = 0
        discardRemaining = discarding
        paused = false
        status = 0
        contentRange = nil
        result = nil
        errorBuffer[0] = 0
        self.owner = owner
        _ = pgdk_curl_setopt_string(&curl, easy, CURLOPT_URL, url)
        if let range {
            _ = pgdk_curl_setopt_string(&curl, easy, CURLOPT_RANGE, range)
        } else {
            _ = pgdk_curl_setopt_pointer(&curl, easy, CURLOPT_RANGE, nil)
        }
        if headOnly {
            _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_NOBODY, 1)
        } else {
            _ = pgdk_curl_setopt_long(&curl, easy, CURLOPT_HTTPGET, 1)
        }
        _ = curl.multi_add_handle!(multi, easy)
        isActive = true
    }

    /// Stops the transfer in progress, if any; libcurl closes its connection when the body was not finished.
    func abandon() {
        guard isActive else { return }
        _ = curl.multi_remove_handle!(multi, easy)
        isActive = false
        owner = nil
    }

    /// Bytes received and not yet taken.
    var pendingCount: Int { pending.count - pendingStart }

    /// Copies up to `buffer.count` received bytes into `buffer`; 0 when none are waiting.
    func take(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, pendingCount)
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        pending.withUnsafeBytes { bytes in
            base.copyMemory(from: bytes.baseAddress! + pendingStart, byteCount: count)
        }
        pendingStart += count
        return count
    }

    /// Drops what is held and the next `count` bytes the transfer receives, so that `take` gives the byte
    /// `count` after the last one received.
    func skipAhead(_ count: Int64) {
        pending.removeAll(keepingCapacity: true)
        pendingStart = 0
        discardRemaining = count
    }

    /// Moves the next byte `take` gives to `offset` bytes after the transfer's first, when that byte is still
    /// held (taken bytes stay until the held ones would pass `pendingLimit`); false otherwise.
    func rewind(toTransferOffset offset: Int64) -> Bool {
        let firstHeld = received - Int64(pending.count)
        guard offset >= firstHeld, offset <= received else { return false }
        pendingStart = Int(offset - firstHeld)
        return true
    }

    /// Drives the transfer until bytes are waiting or it has finished (`result` set). Polls at most a second at
    /// a time; libcurl's own timeouts end a transfer that hangs.
    func pump() throws {
        while isActive, pendingCount == 0, result == nil {
            if paused {
                paused = false
                _ = curl.easy_pause!(easy, 0)  // CURLPAUSE_CONT: may deliver the held bytes before returning
                continue
            }
            var running: Int32 = 0
            let code = curl.multi_perform!(multi, &running)
            guard code == CURLM_OK else {
                throw PGDumpError(.io, "libcurl failed: \(curl.multi_strerror!(code).map { String(cString: $0) } ?? "code \(code.rawValue)")")
            }
            var left: Int32 = 0
            while let message = curl.multi_info_read!(multi, &left) {
                if message.pointee.msg == CURLMSG_DONE { result = message.pointee.data.result }
            }
            if result != nil {
                var code = 0
                _ = pgdk_curl_getinfo_long(&curl, easy, CURLINFO_RESPONSE_CODE, &code)
                status = code
                _ = curl.multi_remove_handle!(multi, easy)
                isActive = false
                break
            }
            if pendingCount == 0 {
                _ = curl.multi_poll!(multi, nil, 0, 1000, nil)
            }
        }
    }

    /// The size of the body from `Content-Length`, once headers arrived.
    var contentLength: Int64? {
        var length: curl_off_t = -1
        guard pgdk_curl_getinfo_offset(&curl, easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK, length >= 0
        else { return nil }
        return Int64(length)
    }

    /// The status of the transfer in progress (0 before its headers).
    func currentStatus() -> Int {
        var code = 0
        _ = pgdk_curl_getinfo_long(&curl, easy, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// libcurl's message for the last failure: the error buffer when it says more than the code's text.
    func failureText(_ code: CURLcode) -> String {
        let detail = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return detail.isEmpty ? (curl.easy_strerror!(code).map { String(cString: $0) } ?? "code \(code.rawValue)") : detail
    }

    private func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        if status == 0 { status = currentStatus() }
        // A range answered with the whole body is the owner's to judge; it sees `status` before taking bytes.
        let delivered = bytes.count
        if pendingCount > 0, pendingCount + delivered > Self.pendingLimit {
            paused = true
            return Self.writePause
        }
        var bytes = bytes
        if discardRemaining > 0 {
            let dropped = Int(min(Int64(bytes.count), discardRemaining))
            discardRemaining -= Int64(dropped)
            received += Int64(dropped)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[dropped...])
            if bytes.isEmpty { return delivered }
        }
        if pendingStart > 0, pending.count + bytes.count > Self.pendingLimit {
            pending.removeSubrange(0..<pendingStart)
            pendingStart = 0
        }
        pending.append(contentsOf: bytes)
        received += Int64(bytes.count)
        return delivered
    }

    private func receiveHeader(_ line: UnsafeRawBufferPointer) {
        // Bytes, not Characters: "\r\n" is one Character, which a trim by Character would miss.
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        let end = (line.lastIndex(where: { !isSpace($0) }) ?? -1) + 1
        let text = String(decoding: line[..<end], as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            // A new response (after a redirect or a 100): forget the previous one's headers.
            contentRange = nil
            status = 0
            return
        }
        let field = "content-range:"
        if text.count > field.count, text.prefix(field.count).lowercased() == field {
            contentRange = String(text.dropFirst(field.count).drop(while: { $0 == " " || $0 == "\t" }))
        }
    }
}
