import CCurl
import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An archive file at an `http://` or `https://` URL, read with range requests.
///
/// Each read outside the bytes already fetched asks for a window (`Range: bytes=a-b`) starting there: 64 KiB
/// after a seek, doubling while reads continue where the last window ended, up to 8 MiB. A TOC thus costs a few
/// requests, and one table's data block costs about its own size. From 1 MiB on, the next window is asked for
/// while the current one arrives, on a second connection, so a long read does not stop for a round trip
/// between windows. Windows go through the session's two libcurl handles, so connections are reused. A server
/// that answers the first range with the whole file (200, not 206) is read as a stream: the source is then not
/// seekable, and readers scan forward as on a pipe.
///
/// Failures name the URL without credentials or query string. 5xx answers, dropped connections and stalls are
/// retried with a doubling pause, resuming at the first byte not yet received.
public final class HTTPByteSource: ByteSource {
    /// The URL without user, password or query string, for messages.
    public let name: String
    public private(set) var size: Int64?
    public private(set) var isSeekable = true
    public private(set) var position: Int64 = 0
    public private(set) var bytesRead: Int64 = 0
    /// How many requests this source made (windows and retries), for tests and progress displays.
    public private(set) var requestCount = 0

    private let url: String
    private let session: HTTPSession
    /// The offset of the first byte of this source's transfer, and the end (exclusive) of the window it asked
    /// for; `owning` says whether the session's transfer is still this source's to read.
    private var transferStart: Int64 = 0
    private var transferEnd: Int64?
    private var owning = false
    private var window = HTTPByteSource.firstWindow
    private var failuresInARow = 0
    /// Whether the answer of the transfer being read was found to be the range asked for.
    private var answerChecked = false
    /// The file's strong ETag from the first answer: later windows ask for that version only (`If-Match`), so a
    /// file replaced between two requests is an error, not a mix of two files.
    private var etag: String?

    static let firstWindow: Int64 = 64 << 10
    static let largestWindow: Int64 = 8 << 20
    /// The window from which the next one is fetched ahead.
    static let prefetchFrom: Int64 = 1 << 20
    /// The window fetched ahead, if any (file offsets, end exclusive).
    private var prefetch: (start: Int64, end: Int64)?

    /// Opens `url`, asking for its first window to learn its size and whether the server honours ranges.
    public convenience init(url: String) throws {
        let s3 = RemoteURL.isS3(url) ? try S3Configuration.resolve() : nil
        try self.init(url: url, session: HTTPSession(s3: s3))
    }

    /// Opens `url` through `session`, whose connection other sources may share.
    package init(url: String, session: HTTPSession) throws {
        self.url = url
        self.name = RemoteURL.redacted(url)
        self.session = session
        var answer: (seekable: Bool, size: Int64?)?
        while answer == nil {
            startTransfer(at: 0, range: "0-\(Self.firstWindow - 1)")
            try session.pump()
            // A failure after some bytes arrived is the reads' to handle: they resume after those bytes.
            if session.pendingCount == 0, let failure = finishedFailure() {
                // An empty file cannot satisfy any range.
                if session.status == 416 {
                    // Nothing to read: the failed transfer is not one to report or retry.
                    owning = false
                    answer = (true, 0)
                    break
                }
                try recover(from: failure)
                continue
            }
            // The version later requests ask for (a weak ETag cannot be matched byte for byte).
            if let tag = session.etag, !tag.hasPrefix("W/") { etag = tag }
            switch session.status {
            case 206:
                guard let total = Self.totalSize(contentRange: session.contentRange) else {
                    throw PGDumpError(
                        .io, "server answered a range request without a usable Content-Range (\(session.contentRange ?? "none"))",
                        file: name)
                }
                answer = (true, total)
                transferEnd = min(Self.firstWindow, total)
            case 200:
                // The server ignored the range and sends the whole file, which is read as it comes; a restart
                // after a dropped connection asks for the same version.
                answer = (false, session.contentLength)
                transferEnd = nil
            default:
                // A redirect without a place to go (S3 answers 301 for a bucket in another region).
                session.abandon()
                owning = false
                throw PGDumpError(.io, Self.statusText(session: session), file: name)
            }
        }
        isSeekable = answer!.seekable
        size = answer!.size
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if owning, session.owner === self {
                // Every transfer's answer is checked before its first byte is used, a prefetched one too (it
                // may hold its whole window by the time it is adopted).
                if !answerChecked, session.pendingCount > 0 {
                    try checkAnswer()
                    answerChecked = true
                }
                let count = session.take(into: buffer)
                if count > 0 {
                    position += Int64(count)
                    bytesRead += Int64(count)
                    failuresInARow = 0
                    prefetchNextWindow()
                    return count
                }
                if session.isActive {
                    try session.pump()
                    continue
                }
                owning = false
                if let failure = finishedFailure() {
                    try recover(from: failure)
                    continue
                }
                let expectedEnd = transferEnd ?? size
                if let expectedEnd, position < expectedEnd {
                    try recover(from: "the connection ended \(expectedEnd - position) bytes early")
                    continue
                }
                if !isSeekable { return 0 }
            }
            if let size, position >= size { return 0 }
            startWindow(at: position)
        }
    }

    public func seek(to offset: Int64) throws {
        guard isSeekable else {
            throw PGDumpError(
                .io,
                "cannot seek: the server ignores Range requests (it answered 200, not 206), so seeking would mean downloading the whole file again",
                file: name)
        }
        guard offset >= 0 else { throw PGDumpError(.corrupt, "negative file offset \(offset)", file: name) }
        guard offset != position else { return }
        position = offset
        // Bytes of this transfer still held are read again without a request (detection reads the first bytes,
        // then seeks back to 0); otherwise the next read asks for a window at the new place.
        guard session.owner === self else {
            owning = false
            return
        }
        if session.rewind(toTransferOffset: offset - transferStart) {
            owning = true
        } else if owning, session.isActive, let transferEnd, offset > transferStart + session.received, offset < transferEnd {
            // Ahead in the window still arriving (the TOC was read from its first bytes): wait for it rather than
            // ask again.
            session.skipAhead(offset - transferStart - session.received)
        } else {
            owning = false
        }
    }

    /// The size of the file at `url` from a HEAD request, or `nil` when the server says it does not exist
    /// (404, 410, or 403, which S3-like stores answer for a missing key).
    package static func probeSize(url: String, session: HTTPSession) throws -> Int64? {
        let name = RemoteURL.redacted(url)
        var failures = 0
        while true {
            session.start(url: url, range: nil, headOnly: true, for: nil)
            try session.pump()
            guard let result = session.result else { continue }
            if result == CURLE_OK {
                guard (200..<300).contains(session.status) else {
                    throw PGDumpError(.io, statusText(session: session), file: name)
                }
                return session.contentLength
            }
            if result == CURLE_HTTP_RETURNED_ERROR, [403, 404, 410].contains(session.status) { return nil }
            let failure = describe(result, session: session)
            guard failure.retryable, failures < session.options.retries else {
                throw PGDumpError(.io, failure.text, file: name)
            }
            failures += 1
            pause(beforeRetry: failures, session: session)
        }
    }

    // MARK: - Transfers

    private func startWindow(at offset: Int64) {
        guard isSeekable else {
            // A stream read again from its start, dropping what was already read.
            startTransfer(at: 0, range: nil, discarding: offset)
            return
        }
        if let prefetch, prefetch.start == offset, session.adoptPrefetch(for: self, url: url, start: offset) {
            transferStart = offset
            transferEnd = prefetch.end
            window = prefetch.end - offset
            owning = true
            answerChecked = false
            self.prefetch = nil
            return
        }
        window = offset == transferEnd ? min(window * 2, Self.largestWindow) : Self.firstWindow
        var end = offset + window
        if let size { end = min(end, size) }
        startTransfer(at: offset, range: "\(offset)-\(end - 1)")
        transferEnd = end
    }

    /// While a long read goes on (windows of 1 MiB and more), asks for the next window beside the current one, so
    /// that it is arriving when the reader gets there instead of after another round trip.
    private func prefetchNextWindow() {
        guard isSeekable, window >= Self.prefetchFrom, let transferEnd, let size, transferEnd < size else { return }
        if let prefetch, prefetch.start == transferEnd, session.hasPrefetch(for: self, url: url, start: transferEnd) {
            return
        }
        let end = min(transferEnd + min(window * 2, Self.largestWindow), size)
        session.prefetch(url: url, range: "\(transferEnd)-\(end - 1)", start: transferEnd, ifMatch: etag, for: self)
        prefetch = (transferEnd, end)
        requestCount += 1
    }

    private func startTransfer(at offset: Int64, range: String?, discarding: Int64 = 0) {
        session.start(url: url, range: range, discarding: discarding, ifMatch: etag, for: self)
        transferStart = offset
        owning = true
        answerChecked = false
        requestCount += 1
    }

    /// Throws when the answer to a range request is not the range asked for.
    private func checkAnswer() throws {
        guard isSeekable, session.pendingCount > 0 else { return }
        let expected = "bytes \(transferStart)-"
        guard session.status == 206, session.contentRange?.hasPrefix(expected) == true else {
            session.abandon()
            owning = false
            throw PGDumpError(
                .io,
                "server answered a request for bytes from \(transferStart) with HTTP \(session.status) (\(session.contentRange ?? "no Content-Range")), not 206 with those bytes: the file may have changed",
                file: name, offset: transferStart)
        }
    }

    /// What went wrong with the finished transfer, or `nil` when it succeeded.
    private func finishedFailure() -> (text: String, retryable: Bool)? {
        guard let result = session.result, result != CURLE_OK else { return nil }
        return Self.describe(result, session: session)
    }

    private func recover(from failure: String) throws {
        try recover(from: (failure, true))
    }

    /// Retries after a pause when `failure` is worth retrying and retries remain; throws otherwise.
    private func recover(from failure: (text: String, retryable: Bool)) throws {
        owning = false
        guard failure.retryable else {
            throw PGDumpError(.io, failure.text, file: name)
        }
        guard failuresInARow < session.options.retries else {
            throw PGDumpError(
                .io, "\(failure.text) (gave up after \(failuresInARow) retries)", file: name, offset: position)
        }
        failuresInARow += 1
        Self.pause(beforeRetry: failuresInARow, session: session)
    }

    static func pause(beforeRetry attempt: Int, session: some TransferState) {
        let milliseconds = session.options.retryDelayMilliseconds << min(attempt - 1, 10)
        usleep(useconds_t(min(milliseconds, 30_000) * 1000))
    }

    /// A one-line description of a failed transfer, and whether trying again may help.
    static func describe(_ result: CURLcode, session: some TransferState) -> (text: String, retryable: Bool) {
        switch result {
        case CURLE_HTTP_RETURNED_ERROR:
            let status = session.status
            return (statusText(session: session), status >= 500 || status == 429)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return ("could not resolve host: \(session.failureText(result))", false)
        case CURLE_COULDNT_CONNECT:
            return ("could not connect: \(session.failureText(result))", false)
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_OPERATION_TIMEDOUT,
            CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SEND_FAIL_REWIND:
            return ("transfer failed: \(session.failureText(result))", true)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER:
            return ("TLS failed: \(session.failureText(result))", false)
        default:
            return (session.failureText(result), false)
        }
    }

    /// "server answered HTTP N (reason)", with what S3 says about where the bucket is or about missing credentials.
    static func statusText(session: some TransferState) -> String {
        let status = session.status
        let reason = [
            301: "moved permanently", 400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found",
            410: "gone", 412: "precondition failed: the file changed while it was being read",
            416: "range not satisfiable", 429: "too many requests", 500: "internal server error",
            502: "bad gateway", 503: "service unavailable", 504: "gateway timeout",
        ][status]
        var text = "server answered HTTP \(status)\(reason.map { " (\($0))" } ?? "")"
        if let s3 = session.s3 {
            if let region = session.bucketRegion, region != s3.region {
                text += ": the bucket is in region \(region), not \(s3.region) (set AWS_REGION=\(region))"
            } else if (status == 401 || status == 403), s3.credentials == nil {
                text += ": no AWS credentials were found, so the request was not signed"
            }
        }
        return text
    }

    /// The total of a `Content-Range: bytes a-b/total` value.
    static func totalSize(contentRange: String?) -> Int64? {
        guard let contentRange, let slash = contentRange.lastIndex(of: "/") else { return nil }
        guard let total = Int64(contentRange[contentRange.index(after: slash)...]), total >= 0 else { return nil }
        return total
    }
}
