import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output to an `s3://bucket/key` URL, as a multipart upload that becomes an object only when completed.
///
/// The output streams: every 8 MiB (more for very large outputs: `partSize`) go up as a part while the rest is
/// written. The first 8 MiB (more when the writer asks to keep a longer head rewritable: a custom archive's TOC)
/// are held back and go up last as part 1, so the TOC can be rewritten with the data offsets at the end as on a
/// local file. An output smaller than the head goes up with one PUT.
/// Until `complete` succeeds nothing is visible under the key; `abort` deletes the parts uploaded so far.
///
/// A full part goes up on a thread of its own (`PartUploader`) while the writer fills the next one, so writing
/// waits for the network only when a part is ready before the previous one has gone: memory is the head and
/// two parts (24 MiB for outputs under 16 GB).
package final class S3MultipartUpload: OutputStreamTarget {
    package let minimumHead = 8 << 20
    private let url: String
    private let name: String
    private let client: HTTPRequestClient
    private var etags: [Int: String] = [:]
    private var pending: [UInt8] = []
    private var nextPart = 2
    private var uploader: PartUploader?
    /// What `abort` may read from another thread (a signal's cleanup), under `stateLock`: the upload's id, and
    /// whether it was completed (or is being completed) or aborted.
    private let stateLock = ConditionLock()
    private var uploadID: String?
    private var completing = false
    private var aborted = false

    /// S3 refuses more parts than this.
    private static let partLimit = 10_000

    package init(url: String, s3: S3Configuration) throws {
        guard let location = try S3Location(url), !location.key.isEmpty, !location.key.hasSuffix("/") else {
            throw PGDumpError(.invalidRequest, "an s3:// output names a bucket and a key: s3://bucket/key", file: url)
        }
        self.url = url
        name = RemoteURL.redacted(url)
        client = try HTTPRequestClient(s3: s3)
    }

    deinit {
        // Neither completed nor aborted (an error path that forgot to): leave no upload behind.
        _ = abort()
    }

    /// 8 MiB parts for the first 16 GB, then 32 MiB up to ~140 GB, then 128 MiB: 10,000 parts hold ~650 GB,
    /// and memory grows only for outputs that large.
    private var partSize: Int {
        switch nextPart {
        case ..<2_000: return 8 << 20
        case ..<6_000: return 32 << 20
        default: return 128 << 20
        }
    }

    package func append(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while !rest.isEmpty {
            if pending.isEmpty { pending.reserveCapacity(partSize) }
            let taken = min(partSize - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(taken))
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(taken))
            if pending.count == partSize {
                let uploadID = try startedUpload()
                if uploader == nil {
                    uploader = PartUploader { [client, url, name] number, bytes in
                        try Self.uploadPart(number, bytes, uploadID: uploadID, client: client, url: url, name: name)
                    }
                }
                try uploader!.hand(number: nextPart, pending)
                nextPart += 1
                pending = []
            }
        }
    }

    package func complete(head: [UInt8]) throws {
        guard let uploadID = lockedState().uploadID else {
            // Small enough for one request.
            try markCompleting()
            _ = try client.send("PUT", url, body: .bytes(head + pending), name: name)
            return
        }
        // The parts gone up meanwhile; from here on this thread alone uses the client.
        if let uploader { etags = try uploader.finish() }
        if !pending.isEmpty {
            etags[nextPart] = try Self.uploadPart(nextPart, pending, uploadID: uploadID, client: client, url: url, name: name)
            pending = []
            nextPart += 1
        }
        etags[1] = try Self.uploadPart(1, head, uploadID: uploadID, client: client, url: url, name: name)
        // Every part, or no object: a part missing would make a shorter archive that still completes.
        guard etags.keys.sorted() == Array(1..<nextPart) else {
            throw PGDumpError(.io, "the upload lacks parts (\(etags.count) of \(nextPart - 1)); not completing it", file: name)
        }
        var document = "<CompleteMultipartUpload>"
        for number in etags.keys.sorted() {
            document += "<Part><PartNumber>\(number)</PartNumber><ETag>\(XMLText.escape(etags[number]!))</ETag></Part>"
        }
        document += "</CompleteMultipartUpload>"
        try markCompleting()
        let answer = try client.send(
            "POST", url, query: "uploadId=" + Self.encodeQueryValue(uploadID), body: .bytes(Array(document.utf8)),
            name: name)
        // S3 may answer 200 and report a failure in the body.
        if answer.text.contains("<Error>") {
            throw PGDumpError(
                .io, "completing the upload failed: \(HTTPRequestClient.s3ErrorDetail(answer.text) ?? "an error without a code")",
                file: name)
        }
    }

    /// Deletes the parts sent so far. May run on another thread than the upload (a signal's cleanup): it stops
    /// the part thread without waiting for it and sends its request on a handle of its own, with short timeouts.
    /// Once the upload is being completed there is nothing to abort: the object will be whole or not exist.
    package func abort() -> String? {
        stateLock.lock()
        let uploadID = self.uploadID
        let skip = completing || aborted
        aborted = true
        stateLock.unlock()
        guard !skip, let uploadID else { return nil }
        uploader?.abandon()
        var options = HTTPSession.Options()
        options.connectTimeout = 5
        options.stallTimeout = 10
        options.totalTimeout = 20
        options.retries = 1
        do {
            let client = try HTTPRequestClient(options: options, s3: client.s3)
            _ = try client.send("DELETE", url, query: "uploadId=" + Self.encodeQueryValue(uploadID), name: name)
            return nil
        } catch {
            return "\(name): the incomplete upload \(uploadID) could not be aborted (\(error)); its parts are kept (and billed) until it is: aws s3api abort-multipart-upload, or a lifecycle rule"
        }
    }

    private func lockedState() -> (uploadID: String?, aborted: Bool) {
        stateLock.lock()
        defer { stateLock.unlock() }
        return (uploadID, aborted)
    }

    /// From here on `abort` leaves the upload alone; throws if it was aborted already.
    private func markCompleting() throws {
        stateLock.lock()
        defer { stateLock.unlock() }
        guard !aborted else { throw PGDumpError(.io, "the upload was aborted", file: name) }
        completing = true
    }

    /// Sends part `number`; returns its ETag.
    private static func uploadPart(
        _ number: Int, _ bytes: [UInt8], uploadID: String, client: HTTPRequestClient, url: String, name: String
    ) throws -> String {
        guard number <= partLimit else {
            throw PGDumpError(.io, "the output needs more than \(partLimit) parts, S3's limit for one object", file: name)
        }
        let answer = try client.send(
            "PUT", url, query: "partNumber=\(number)&uploadId=" + encodeQueryValue(uploadID),
            body: .bytes(bytes), name: name)
        guard let etag = answer.etag else {
            throw PGDumpError(.io, "the server answered an uploaded part without an ETag", file: name)
        }
        return etag
    }

    private func startedUpload() throws -> String {
        if let uploadID = lockedState().uploadID { return uploadID }
        // The empty value spelled out: SigV4 signs "uploads=", and libcurl signs the query as written.
        let answer = try client.send("POST", url, query: "uploads=", name: name)
        guard let id = XMLText.element("UploadId", in: answer.text), !id.isEmpty else {
            throw PGDumpError(.io, "the server did not start a multipart upload (no UploadId in its answer)", file: name)
        }
        stateLock.lock()
        uploadID = id
        let wasAborted = aborted
        stateLock.unlock()
        // Aborted while the upload was being started: abort it now that it has an id.
        if wasAborted {
            aborted = false
            _ = abort()
            throw PGDumpError(.io, "the upload was aborted", file: name)
        }
        return id
    }

    static func encodeQueryValue(_ value: String) -> String {
        S3Configuration.encodePath(value, keepingSlashes: false)
    }
}

/// One thread that sends the parts handed to it, one at a time, while the writer fills the next: a hand-off
/// waits while the previous part is still going up, so at most one part is held besides the one being filled.
///
/// `@unchecked Sendable`: every field is guarded by `lock`, but `send`, which only the thread calls.
private final class PartUploader: @unchecked Sendable {
    private let send: (Int, [UInt8]) throws -> String
    private let lock = ConditionLock()
    private var queued: (number: Int, bytes: [UInt8])?
    private var busy = false
    private var stopping = false
    private var failure: (any Error)?
    private var etags: [Int: String] = [:]
    private var thread = pthread_t()
    private var started = false

    init(send: @escaping (Int, [UInt8]) throws -> String) {
        self.send = send
    }

    deinit { stop() }

    /// Queues part `number`, waiting while another is queued; rethrows an earlier part's failure.
    func hand(number: Int, _ bytes: [UInt8]) throws {
        lock.lock()
        defer { lock.unlock() }
        if !started {
            let context = Unmanaged.passRetained(self).toOpaque()
            guard pthread_create(&thread, nil, { raw in
                Unmanaged<PartUploader>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, context) == 0 else {
                Unmanaged<PartUploader>.fromOpaque(context).release()
                throw PGDumpError(.io, "could not start a thread for the upload")
            }
            started = true
        }
        while queued != nil || busy, failure == nil, !stopping { lock.wait() }
        if let failure { throw failure }
        guard !stopping else { throw PGDumpError(.io, "the upload was aborted") }
        queued = (number, bytes)
        lock.broadcast()
    }

    /// Waits for the parts handed over to be sent and ends the thread; returns their ETags or the first failure.
    func finish() throws -> [Int: String] {
        lock.lock()
        while (queued != nil || busy), failure == nil, !stopping { lock.wait() }
        let result = failure ?? (stopping ? PGDumpError(.io, "the upload was aborted") : nil)
        let sent = etags
        lock.unlock()
        stop()
        if let result { throw result }
        return sent
    }

    /// Tells the thread to end after the part going up, without waiting for it; parts queued are dropped, and
    /// `hand` and `finish` fail from now on.
    func abandon() {
        lock.lock()
        stopping = true
        queued = nil
        lock.broadcast()
        lock.unlock()
    }

    /// Ends the thread after the part going up, if any; parts still queued are dropped.
    func stop() {
        abandon()
        // Joined once, whoever stops it first.
        let joinable = lock.withLock {
            defer { started = false }
            return started
        }
        if joinable { pthread_join(thread, nil) }
    }

    private func run() {
        lock.lock()
        while true {
            while queued == nil, !stopping { lock.wait() }
            guard !stopping, let part = queued else { break }
            queued = nil
            busy = true
            lock.broadcast()
            lock.unlock()
            let outcome = Result { try send(part.number, part.bytes) }
            lock.lock()
            busy = false
            switch outcome {
            case .success(let etag): etags[part.number] = etag
            case .failure(let error): failure = failure ?? error
            }
            lock.broadcast()
            if failure != nil { break }
        }
        lock.unlock()
    }
}

/// Output to an `http(s)://` URL with one PUT, for servers that take uploads (WebDAV, nginx's `dav_methods PUT`):
/// the output is gathered in an unlinked temporary file and sent once whole, so an interrupted conversion sends
/// nothing, and a server that writes the body to a temporary name first (nginx does) never shows a partial file.
package final class HTTPPutUpload: OutputStreamTarget {
    package let minimumHead = 1 << 20
    private let url: String
    private let name: String
    private let client: HTTPRequestClient
    private let spool: TemporaryFile

    package init(url: String) throws {
        self.url = url
        name = RemoteURL.redacted(url)
        client = try HTTPRequestClient(s3: nil)
        spool = try TemporaryFile(purpose: "the output to upload", prefix: "pgdumpkit-upload")
    }

    package func append(_ bytes: UnsafeRawBufferPointer) throws {
        try spool.append(bytes)
    }

    package func complete(head: [UInt8]) throws {
        let headSize = Int64(head.count)
        let spool = self.spool
        let body = HTTPRequestClient.Body(size: headSize + spool.size) { buffer, offset in
            if offset < headSize {
                let count = min(buffer.count, Int(headSize - offset))
                head.withUnsafeBytes { source in
                    buffer.baseAddress!.copyMemory(from: source.baseAddress! + Int(offset), byteCount: count)
                }
                return count
            }
            return try spool.read(at: offset - headSize, into: buffer)
        }
        _ = try client.send("PUT", url, body: body, name: name)
    }

    package func abort() -> String? { nil }
}

/// The upload for an output URL: a multipart upload for `s3://`, one PUT for `http(s)://`.
package enum RemoteOutput {
    /// The upload to `url`. Unless `replacing`, an object already there is an error, as an existing file is for
    /// a local output (a HEAD request asks).
    package static func target(for url: String, replacing: Bool, s3Endpoint: String?) throws -> any OutputStreamTarget {
        let s3 = RemoteURL.isS3(url) ? try S3Configuration.resolve(endpointURL: s3Endpoint) : nil
        let target: any OutputStreamTarget = try s3.map { try S3MultipartUpload(url: url, s3: $0) } ?? HTTPPutUpload(url: url)
        if !replacing {
            let name = RemoteURL.redacted(url)
            switch try HTTPRequestClient(s3: s3).headStatus(url, name: name) {
            case 200..<300:
                throw PGDumpError(.invalidRequest, "already exists; use --force to replace it", file: name)
            case 404, 410:
                break
            case 401, 403:
                // A role that may write but not read gets 403 for a key that exists as for one that does not.
                throw PGDumpError(
                    .invalidRequest,
                    "cannot tell whether something is there (HEAD answered 403: no permission to read it); use --force to write anyway",
                    file: name)
            case let status:
                throw PGDumpError(.io, "server answered HEAD with HTTP \(status)", file: name)
            }
        }
        return target
    }
}
