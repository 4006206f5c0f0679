import CCurl
import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libcurl easy handles driven through a multi handle, so their bytes can be pulled as a reader needs them
/// instead of pushed into a callback. Every transfer of the sources that share a session goes through the same
/// two handles, so libcurl keeps their connections open between them (a directory archive's `toc.dat` and data
/// files).
///
/// One transfer is the current one, read through the properties below; a second may run beside it, asked for
/// ahead of need (`prefetch`), and becomes current when the reader gets to it (`adoptPrefetch`), so a long
/// sequential read never waits for a request's round trip between two windows. Starting a transfer abandons
/// both. A session belongs to one task.
package final class HTTPSession: TransferState {
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
        /// Seconds a whole request may take (none: as long as it makes progress).
        package var totalTimeout: Int?

        package init() {}
    }

    package let options: Options
    /// How `s3://` URLs are reached and signed, for a session that reads them.
    package let s3: S3Configuration?
    /// The headers every request carries (S3's).
    private var headerLines: [String] = []
    private let multi: UnsafeMutableRawPointer
    private var current: HTTPTransfer
    private var spare: HTTPTransfer
    /// What the spare transfer fetches ahead: for whom, and the file offset of its first byte.
    private var prefetched: (owner: ObjectIdentifier, url: String, start: Int64)?

    package init(options: Options = Options(), s3: S3Configuration? = nil) throws {
        guard let multi = try LibCurl.api().multi_init!() else {
            throw PGDumpError(.io, "could not initialise libcurl")
        }
        self.options = options
        self.s3 = s3
        self.multi = multi
        do {
            current = try HTTPTransfer(options: options, s3: s3)
            spare = try HTTPTransfer(options: options, s3: s3)
        } catch {
            _ = LibCurl.table.multi_cleanup!(multi)
            throw error
        }
        headerLines = Self.signedHeaderLines(for: s3)
    }

    deinit {
        for transfer in [current, spare] where transfer.isActive { _ = LibCurl.table.multi_remove_handle!(multi, transfer.easy) }
        _ = LibCurl.table.multi_cleanup!(multi)
    }

    // The current transfer, as the byte sources read it.
    var isActive: Bool { current.isActive }
    var received: Int64 { current.received }
    package var status: Int { current.status }
    var contentRange: String? { current.contentRange }
    var etag: String? { current.etag }
    package var bucketRegion: String? { current.bucketRegion }
    var result: CURLcode? { current.result }
    var owner: HTTPByteSource? { current.owner }
    var pendingCount: Int { current.pendingCount }
    var contentLength: Int64? { current.contentLength }
    package func failureText(_ code: CURLcode) -> String { current.failureText(code) }
    func take(into buffer: UnsafeMutableRawBufferPointer) -> Int { current.take(into: buffer) }
    func skipAhead(_ count: Int64) { current.skipAhead(count) }
    func rewind(toTransferOffset offset: Int64) -> Bool { current.rewind(toTransferOffset: offset) }

    /// What every handle of pgdumpkit's is set to: protocols, redirects, timeouts, user agent, trusted CAs, and
    /// for S3 the signature.
    static func applyCommonOptions(_ easy: UnsafeMutableRawPointer, options: Options, s3 configuration: S3Configuration?) {
        let s3 = configuration != nil
        if s3 {
            // A key's "." and ".." segments are part of the key, not a path to normalise.
            LibCurl.set(easy, CURLOPT_PATH_AS_IS, 1)
        }
        // Only HTTP and HTTPS, also across redirects: a URL from a user must not reach file:// or other protocols.
        LibCurl.set(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        LibCurl.set(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // S3 needs no redirects (its signature would not follow one), and a session token in a header of its own
        // must not go to another host.
        LibCurl.set(easy, CURLOPT_FOLLOWLOCATION, s3 ? 0 : 1)
        LibCurl.set(easy, CURLOPT_MAXREDIRS, 10)
        LibCurl.set(easy, CURLOPT_NOSIGNAL, 1)
        LibCurl.set(easy, CURLOPT_CONNECTTIMEOUT, options.connectTimeout)
        // A stall: less than one byte a second for stallTimeout seconds.
        LibCurl.set(easy, CURLOPT_LOW_SPEED_LIMIT, 1)
        LibCurl.set(easy, CURLOPT_LOW_SPEED_TIME, options.stallTimeout)
        if let totalTimeout = options.totalTimeout { LibCurl.set(easy, CURLOPT_TIMEOUT, totalTimeout) }
        LibCurl.set(easy, CURLOPT_USERAGENT, "pgdumpkit")
        // The certificate authorities to trust: the system's, or the bundle the environment names, as the curl
        // tool reads CURL_CA_BUNDLE (and OpenSSL's tools SSL_CERT_FILE): a private CA, a test's own certificate.
        // For S3, the AWS CLI's AWS_CA_BUNDLE first.
        let names: [String] = (s3 ? ["AWS_CA_BUNDLE"] : []) + ["CURL_CA_BUNDLE", "SSL_CERT_FILE"]
        let bundles = names.compactMap { name -> String? in getenv(name).map { String(cString: $0) } }
        if let bundle = bundles.first(where: { !$0.isEmpty }) {
            LibCurl.set(easy, CURLOPT_CAINFO, bundle)
        }
        // Every request signed with AWS Signature Version 4 when there are credentials (libcurl computes it).
        if let credentials = configuration?.credentials {
            LibCurl.set(easy, CURLOPT_AWS_SIGV4, configuration!.signingScope)
            LibCurl.set(easy, CURLOPT_USERNAME, credentials.accessKeyID)
            LibCurl.set(easy, CURLOPT_PASSWORD, credentials.secretAccessKey)
        }
    }

    /// The header lines signed S3 requests carry besides the signature.
    static func signedHeaderLines(for s3: S3Configuration?) -> [String] {
        guard let credentials = s3?.credentials else { return [] }
        // S3 wants the payload's hash in a header of its own; bodies are not hashed (they may be large), which
        // S3 allows over any connection it accepts. libcurl signs the header with the others.
        var lines = ["x-amz-content-sha256: UNSIGNED-PAYLOAD"]
        if let token = credentials.sessionToken { lines.append("x-amz-security-token: \(token)") }
        return lines
    }

    /// The URL a request for `url` goes to: `s3://bucket/key` as `s3` addresses it (the URL was checked when
    /// opened), anything else as it is; `query` appended.
    static func requestURL(_ url: String, query: String? = nil, s3: S3Configuration?) -> String {
        if let s3, let location = try? S3Location(url) { return s3.requestURL(for: location, query: query) }
        guard let query else { return url }
        return url + (url.contains("?") ? "&" : "?") + query
    }

    /// Starts a GET of `url` for `owner`, of the bytes `range` (`a-b`, `a-`) or the whole body (`nil`), or only
    /// its headers (`headOnly`). `discarding` bytes are dropped from the start of the body (a stream read again
    /// from its start after a dropped connection). With `ifMatch`, the server is to answer 412 unless the file
    /// still has that ETag. Abandons the transfers in progress.
    func start(
        url: String, range: String?, headOnly: Bool = false, discarding: Int64 = 0, ifMatch: String? = nil,
        for owner: HTTPByteSource?
    ) {
        abandon()
        current.prepare(
            url: Self.requestURL(url, s3: s3), range: range, headOnly: headOnly, discarding: discarding,
            headers: headerLines + (ifMatch.map { ["If-Match: \($0)"] } ?? []), owner: owner)
        _ = LibCurl.table.multi_add_handle!(multi, current.easy)
        current.isActive = true
    }

    /// Starts fetching `range` of `url` for `owner` beside the current transfer, whose bytes from file offset
    /// `start` on the owner will want next. Replaces an earlier prefetch.
    func prefetch(url: String, range: String, start: Int64, ifMatch: String?, for owner: HTTPByteSource) {
        abandon(spare)
        spare.prepare(
            url: Self.requestURL(url, s3: s3), range: range, headOnly: false, discarding: 0,
            headers: headerLines + (ifMatch.map { ["If-Match: \($0)"] } ?? []), owner: owner)
        _ = LibCurl.table.multi_add_handle!(multi, spare.easy)
        spare.isActive = true
        prefetched = (ObjectIdentifier(owner), url, start)
    }

    /// Whether `owner` has a prefetch of `url` starting at file offset `start`.
    func hasPrefetch(for owner: HTTPByteSource, url: String, start: Int64) -> Bool {
        guard let prefetched else { return false }
        return prefetched.owner == ObjectIdentifier(owner) && prefetched.url == url && prefetched.start == start
    }

    /// Makes the prefetch of `url` from `start` for `owner` the current transfer, abandoning the current one;
    /// false when there is no such prefetch.
    func adoptPrefetch(for owner: HTTPByteSource, url: String, start: Int64) -> Bool {
        guard hasPrefetch(for: owner, url: url, start: start) else { return false }
        abandon(current)
        swap(&current, &spare)
        prefetched = nil
        return true
    }

    /// Stops the transfers in progress; libcurl closes a connection whose body was not finished.
    func abandon() {
        abandon(current)
        abandon(spare)
    }

    private func abandon(_ transfer: HTTPTransfer) {
        if transfer === spare { prefetched = nil }
        guard transfer.isActive else { return }
        _ = LibCurl.table.multi_remove_handle!(multi, transfer.easy)
        transfer.isActive = false
        transfer.owner = nil
    }

    /// Drives the transfers until the current one has bytes waiting or has finished (`result` set). Polls at
    /// most a second at a time; libcurl's own timeouts end a transfer that hangs.
    func pump() throws {
        while current.isActive, current.pendingCount == 0, current.result == nil {
            if current.paused {
                current.paused = false
                _ = LibCurl.table.easy_pause!(current.easy, 0)  // CURLPAUSE_CONT: may deliver the held bytes before returning
                continue
            }
            var running: Int32 = 0
            let code = LibCurl.table.multi_perform!(multi, &running)
            guard code == CURLM_OK else {
                throw PGDumpError(.io, "libcurl failed: \(String(cString: LibCurl.table.multi_strerror!(code)!))")
            }
            var left: Int32 = 0
            while let message = LibCurl.table.multi_info_read!(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE else { continue }
                let handle = UnsafeMutableRawPointer(message.pointee.easy_handle)
                for transfer in [current, spare] where transfer.isActive && transfer.easy == handle {
                    transfer.finish(message.pointee.data.result)
                    _ = LibCurl.table.multi_remove_handle!(multi, transfer.easy)
                    transfer.isActive = false
                }
            }
            if current.result != nil { break }
            if current.pendingCount == 0 {
                _ = LibCurl.table.multi_poll!(multi, nil, 0, 1000, nil)
            }
        }
    }

}

/// One easy handle and what its transfer received: the bytes not yet taken (`pending[pendingStart...]`), how
/// many arrived, the HTTP status and headers seen, and the result once libcurl reports it done.
final class HTTPTransfer {
    let easy: UnsafeMutableRawPointer
    private let errors: CurlErrorBuffer
    private var headers: UnsafeMutablePointer<curl_slist>?

    var isActive = false
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// The body bytes received so far, dropped ones included: the held ones are the last `pending.count`.
    private(set) var received: Int64 = 0
    private var discardRemaining: Int64 = 0
    var paused = false
    private(set) var status = 0
    private(set) var contentRange: String?
    /// The `ETag` of the answer.
    private(set) var etag: String?
    /// The region S3 names in `x-amz-bucket-region` when a bucket is elsewhere than the request was sent.
    private(set) var bucketRegion: String?
    private(set) var result: CURLcode?
    /// The source the transfer belongs to.
    weak var owner: HTTPByteSource?

    /// Above this many bytes not yet taken, the transfer is paused until the reader catches up.
    private static let pendingLimit = 8 << 20
    /// libcurl's `CURL_WRITEFUNC_PAUSE`, a macro Swift does not import.
    private static let writePause = 0x1000_0001

    init(options: HTTPSession.Options, s3: S3Configuration?) throws {
        guard let easy = try LibCurl.api().easy_init!() else { throw PGDumpError(.io, "could not initialise libcurl") }
        self.easy = easy
        errors = CurlErrorBuffer(for: easy)
        let context = Unmanaged.passUnretained(self).toOpaque()
        HTTPSession.applyCommonOptions(easy, options: options, s3: s3)
        LibCurl.set(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<HTTPTransfer>.fromOpaque(context).takeUnretainedValue()
                .receive(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        LibCurl.set(easy, CURLOPT_WRITEDATA, pointer: context)
        LibCurl.set(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            Unmanaged<HTTPTransfer>.fromOpaque(context).takeUnretainedValue()
                .receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        LibCurl.set(easy, CURLOPT_HEADERDATA, pointer: context)
        LibCurl.set(easy, CURLOPT_FAILONERROR, 1)
    }

    deinit {
        LibCurl.table.easy_cleanup!(easy)
        LibCurl.freeList(headers)
    }

    /// Sets the handle up for a new request (the caller adds it to the multi handle).
    func prepare(
        url: String, range: String?, headOnly: Bool, discarding: Int64, headers lines: [String], owner: HTTPByteSource?
    ) {
        pending.removeAll(keepingCapacity: true)
        pendingStart = 0
        received = 0
        discardRemaining = discarding
        paused = false
        status = 0
        contentRange = nil
        etag = nil
        bucketRegion = nil
        result = nil
        errors.clear()
        self.owner = owner
        // The handle is out of the multi handle, so its old list is no longer in use.
        LibCurl.freeList(headers)
        headers = LibCurl.headerList(lines)
        LibCurl.set(easy, CURLOPT_HTTPHEADER, pointer: headers)
        LibCurl.set(easy, CURLOPT_URL, url)
        if let range {
            LibCurl.set(easy, CURLOPT_RANGE, range)
        } else {
            LibCurl.set(easy, CURLOPT_RANGE, pointer: nil)
        }
        if headOnly {
            LibCurl.set(easy, CURLOPT_NOBODY, 1)
        } else {
            LibCurl.set(easy, CURLOPT_HTTPGET, 1)
        }
    }

    /// Records the transfer's end.
    func finish(_ code: CURLcode) {
        result = code
        status = currentStatus()
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
        // A skip asked for earlier is void: the next byte is the one asked for now.
        discardRemaining = 0
        return true
    }

    /// The size of the body from `Content-Length`, once headers arrived.
    var contentLength: Int64? {
        guard let length = LibCurl.info(easy, offset: CURLINFO_CONTENT_LENGTH_DOWNLOAD_T), length >= 0 else { return nil }
        return length
    }

    /// The status of the answer (0 before its headers).
    func currentStatus() -> Int {
        let code = LibCurl.info(easy, CURLINFO_RESPONSE_CODE)
        return code
    }

    /// libcurl's message for the last failure: the error buffer when it says more than the code's text.
    func failureText(_ code: CURLcode) -> String {
        errors.message(for: code)
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
        let header = HTTPHeaderLine(line)
        if header.startsResponse {
            // A new response (after a redirect or a 100): forget the previous one's headers.
            contentRange = nil
            etag = nil
            status = 0
            return
        }
        if let range = header.value(of: "content-range:") { contentRange = range }
        if let region = header.value(of: "x-amz-bucket-region:") { bucketRegion = region }
        if let tag = header.value(of: "etag:") { etag = tag }
    }
}

/// One line of an answer's header, as libcurl's header callback gives it.
struct HTTPHeaderLine {
    let text: String

    init(_ line: UnsafeRawBufferPointer) {
        // Bytes, not Characters: "\r\n" is one Character, which a trim by Character would miss.
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        let end = (line.lastIndex(where: { !isSpace($0) }) ?? -1) + 1
        text = String(decoding: line[..<end], as: UTF8.self)
    }

    /// The status line of a new answer (after a redirect or a 100 Continue).
    var startsResponse: Bool { text.hasPrefix("HTTP/") }

    /// The value of `field` (lowercase, with its colon), if the line is that field.
    func value(of field: String) -> String? {
        guard text.count > field.count, text.prefix(field.count).lowercased() == field else { return nil }
        return String(text.dropFirst(field.count).drop(while: { $0 == " " || $0 == "\t" }))
    }
}
