import CCurl
import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a failed transfer's description needs to know (`HTTPByteSource.describe`).
package protocol TransferState: AnyObject {
    var options: HTTPSession.Options { get }
    var s3: S3Configuration? { get }
    var status: Int { get }
    var bucketRegion: String? { get }
    func failureText(_ code: CURLcode) -> String
}

/// Requests sent and answered whole, one at a time (`curl_easy_perform`): what uploads need. A body is read
/// from a closure by offset, so a request can be sent again from its start after a failure; the answer's body is
/// kept up to 1 MiB (S3's XML answers and errors). Every request goes through one handle, reusing its connection.
package final class HTTPRequestClient: TransferState {
    package struct Response {
        package var status: Int
        package var etag: String?
        package var body: [UInt8]
        package var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A request's body: its size, and a read of up to `buffer.count` bytes at `offset`.
    package struct Body {
        package var size: Int64
        package var read: (_ buffer: UnsafeMutableRawBufferPointer, _ offset: Int64) throws -> Int

        package static var empty: Body { Body(size: 0) { _, _ in 0 } }

        package static func bytes(_ bytes: [UInt8]) -> Body {
            Body(size: Int64(bytes.count)) { buffer, offset in
                let count = min(buffer.count, bytes.count - Int(offset))
                bytes.withUnsafeBytes { source in
                    buffer.baseAddress!.copyMemory(from: source.baseAddress! + Int(offset), byteCount: count)
                }
                return count
            }
        }
    }

    package let options: HTTPSession.Options
    package let s3: S3Configuration?
    package private(set) var status = 0
    package private(set) var bucketRegion: String?
    private let easy: UnsafeMutableRawPointer
    private var headers: UnsafeMutablePointer<curl_slist>?
    /// For POSTs: the same and a content type (without one, a body may be taken for a form and lost).
    private var postHeaders: UnsafeMutablePointer<curl_slist>?
    private let errors: CurlErrorBuffer
    private var responseBody: [UInt8] = []
    private var etag: String?
    private var body = Body.empty
    private var bodyOffset: Int64 = 0
    private var bodyError: Error?
    private static let responseLimit = 1 << 20
    /// libcurl's `CURL_READFUNC_ABORT`, a macro Swift does not import.
    private static let readAbort = 0x1000_0000

    package init(options: HTTPSession.Options = HTTPSession.Options(), s3: S3Configuration?) throws {
        guard let easy = try LibCurl.api().easy_init!() else { throw PGDumpError(.io, "could not initialise libcurl") }
        self.easy = easy
        errors = CurlErrorBuffer(for: easy)
        self.options = options
        self.s3 = s3
        HTTPSession.applyCommonOptions(easy, options: options, s3: s3)
        // Not "Expect:" to skip "100 Continue": libcurl would sign the header it then leaves out. A server that
        // does not answer 100 gets the body after a short wait instead.
        let lines = HTTPSession.signedHeaderLines(for: s3)
        headers = LibCurl.headerList(lines)
        postHeaders = LibCurl.headerList(lines + ["Content-Type: application/xml"])
        LibCurl.set(easy, CURLOPT_EXPECT_100_TIMEOUT_MS, 300)
        let context = Unmanaged.passUnretained(self).toOpaque()
        LibCurl.set(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let client = Unmanaged<HTTPRequestClient>.fromOpaque(context).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            client.responseBody.append(contentsOf: bytes.prefix(max(0, HTTPRequestClient.responseLimit - client.responseBody.count)))
            return size * count
        }
        LibCurl.set(easy, CURLOPT_WRITEDATA, pointer: context)
        LibCurl.set(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            Unmanaged<HTTPRequestClient>.fromOpaque(context).takeUnretainedValue()
                .receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        LibCurl.set(easy, CURLOPT_HEADERDATA, pointer: context)
        // The read function has the write function's C type.
        LibCurl.set(easy, CURLOPT_READFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            return Unmanaged<HTTPRequestClient>.fromOpaque(context).takeUnretainedValue()
                .supply(UnsafeMutableRawBufferPointer(start: data, count: size * count))
        }
        LibCurl.set(easy, CURLOPT_READDATA, pointer: context)
        // A body is read by offset, so libcurl may send it again from its start (a reused connection found
        // closed, a redirect) instead of failing the request.
        LibCurl.set(easy, CURLOPT_SEEKFUNCTION, seek: { context, offset, origin in
            guard let context, origin == SEEK_SET else { return 2 }  // CURL_SEEKFUNC_CANTSEEK
            Unmanaged<HTTPRequestClient>.fromOpaque(context).takeUnretainedValue().bodyOffset = Int64(offset)
            return 0  // CURL_SEEKFUNC_OK
        })
        LibCurl.set(easy, CURLOPT_SEEKDATA, pointer: context)
    }

    deinit {
        LibCurl.table.easy_cleanup!(easy)
        LibCurl.freeList(headers)
        LibCurl.freeList(postHeaders)
    }

    package func failureText(_ code: CURLcode) -> String {
        errors.message(for: code)
    }

    /// Sends `method` to `url` (an `s3://` URL is addressed and signed as the configuration says) with `body`,
    /// retrying 5xx answers, 429 and dropped connections with a doubling pause, until it gets an answer
    /// `accepting` takes (by default 2xx). Throws a one-line error naming `name` for any other failure, with S3's
    /// error code and message when the answer carries them.
    package func send(
        _ method: String, _ url: String, query: String? = nil, body: Body = .empty, name: String,
        accepting: (Int) -> Bool = { $0 < 300 }
    ) throws -> Response {
        var failures = 0
        while true {
            let failure: (text: String, retryable: Bool)
            switch try sendOnce(method, url, query: query, body: body) {
            case .success(let answer) where accepting(answer.status):
                return answer
            case .success(let answer):
                var text = HTTPByteSource.statusText(session: self)
                if let detail = Self.s3ErrorDetail(answer.text) { text += ": " + detail }
                failure = (text, answer.status >= 500 || answer.status == 429)
            case .failure(let code):
                failure = HTTPByteSource.describe(code, session: self)
            }
            guard failure.retryable, failures < options.retries else { throw PGDumpError(.io, failure.text, file: name) }
            failures += 1
            HTTPByteSource.pause(beforeRetry: failures, session: self)
        }
    }

    /// The status a HEAD request for `url` gets (404 included), retrying 5xx answers and dropped connections.
    package func headStatus(_ url: String, name: String) throws -> Int {
        try send("HEAD", url, name: name, accepting: { $0 < 500 && $0 != 429 }).status
    }

    private enum Outcome {
        case success(Response)
        case failure(CURLcode)
    }

    private func sendOnce(_ method: String, _ url: String, query: String?, body: Body) throws -> Outcome {
        // The body's closure may hold a large buffer (an upload's part): let it go with the request, so the
        // caller can reuse that buffer in place.
        defer { self.body = .empty }
        let requestURL = HTTPSession.requestURL(url, query: query, s3: s3)
        status = 0
        bucketRegion = nil
        etag = nil
        responseBody.removeAll(keepingCapacity: true)
        errors.clear()
        self.body = body
        bodyOffset = 0
        bodyError = nil
        LibCurl.set(easy, CURLOPT_URL, requestURL)
        LibCurl.set(easy, CURLOPT_CUSTOMREQUEST, pointer: nil)
        LibCurl.set(easy, CURLOPT_HTTPGET, 1)
        LibCurl.set(easy, CURLOPT_HTTPHEADER, pointer: method == "POST" ? postHeaders : headers)
        switch method {
        case "HEAD":
            LibCurl.set(easy, CURLOPT_NOBODY, 1)
        case "PUT":
            LibCurl.set(easy, CURLOPT_UPLOAD, 1)
            LibCurl.set(easy, CURLOPT_INFILESIZE_LARGE, offset: Int64(body.size))
        case "POST":
            // A POST's body (S3's small XML documents) is handed over whole.
            var bytes = [UInt8](repeating: 0, count: Int(body.size))
            var filled = 0
            while filled < bytes.count {
                let count = try bytes.withUnsafeMutableBytes {
                    try body.read(UnsafeMutableRawBufferPointer(rebasing: $0[filled...]), Int64(filled))
                }
                guard count > 0 else { break }
                filled += count
            }
            LibCurl.set(easy, CURLOPT_POST, 1)
            LibCurl.set(easy, CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(filled))
            _ = bytes.withUnsafeMutableBytes { LibCurl.set(easy, CURLOPT_COPYPOSTFIELDS, pointer: $0.baseAddress) }
        default:
            LibCurl.set(easy, CURLOPT_CUSTOMREQUEST, method)
        }
        let code = LibCurl.table.easy_perform!(easy)
        if let bodyError { throw bodyError }
        let answer = LibCurl.info(easy, CURLINFO_RESPONSE_CODE)
        status = answer
        guard code == CURLE_OK else { return .failure(code) }
        return .success(Response(status: answer, etag: etag, body: responseBody))
    }

    private func supply(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard bodyOffset < body.size else { return 0 }
        do {
            let count = try body.read(UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(Int(min(Int64(buffer.count), body.size - bodyOffset)))), bodyOffset)
            bodyOffset += Int64(count)
            return count
        } catch {
            bodyError = error
            return Self.readAbort
        }
    }

    private func receiveHeader(_ line: UnsafeRawBufferPointer) {
        let header = HTTPHeaderLine(line)
        if header.startsResponse { etag = nil }
        if let value = header.value(of: "etag:") { etag = value }
        if let region = header.value(of: "x-amz-bucket-region:") { bucketRegion = region }
        if status == 0 { status = LibCurl.info(easy, CURLINFO_RESPONSE_CODE) }
    }

    /// "Code: Message" of an S3 error document, if `text` is one.
    static func s3ErrorDetail(_ text: String) -> String? {
        guard let code = XMLText.element("Code", in: text) else { return nil }
        return XMLText.element("Message", in: text).map { "\(code): \($0)" } ?? code
    }
}

/// The little XML S3's answers need: the text of the first element of a name.
enum XMLText {
    static func element(_ name: String, in text: String) -> String? {
        let bytes = Array(text.utf8)
        let open = Array("<\(name)>".utf8)
        let close = Array("</\(name)>".utf8)
        guard let start = find(open, in: bytes, from: 0) else { return nil }
        let contentStart = start + open.count
        guard let end = find(close, in: bytes, from: contentStart) else { return nil }
        return unescape(String(decoding: bytes[contentStart..<end], as: UTF8.self))
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            rest = rest[amp...]
            let entities = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&apos;": "'"]
            if let (entity, character) = entities.first(where: { rest.hasPrefix($0.key) }) {
                result += character
                rest = rest.dropFirst(entity.count)
            } else {
                result += "&"
                rest = rest.dropFirst()
            }
        }
        return result + rest
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
