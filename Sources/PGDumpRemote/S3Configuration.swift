import PGDumpCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How to reach the objects of `s3://bucket/key` URLs: endpoint, region, addressing style and credentials,
/// resolved from the places the AWS CLI reads, in its order.
///
/// - Credentials: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`), else the profile
///   `AWS_PROFILE` names (or `default`) in `AWS_SHARED_CREDENTIALS_FILE` (`~/.aws/credentials`), then in
///   `AWS_CONFIG_FILE` (`~/.aws/config`, where it is `[profile NAME]`). None: requests go unsigned, which public
///   buckets accept.
/// - Region: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`.
/// - Endpoint: the command's `--endpoint-url`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's
///   `endpoint_url` (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else AWS's own for the region.
/// - Addressing: virtual-hosted (`bucket.s3.region.amazonaws.com`) on AWS, path-style (`endpoint/bucket/key`) on
///   another endpoint (MinIO, Ceph, R2, moto) and for bucket names with dots; the profile's
///   `s3 = addressing_style = path|virtual` decides otherwise.
///
/// Requests are signed with AWS Signature Version 4 by libcurl (`CURLOPT_AWS_SIGV4`).
package struct S3Configuration: Sendable {
    package struct Credentials: Sendable {
        package var accessKeyID: String
        package var secretAccessKey: String
        package var sessionToken: String?
    }

    package enum AddressingStyle: Sendable {
        case automatic, path, virtual
    }

    /// `scheme://host[:port]` of a store other than AWS, or `nil` for AWS itself.
    package var endpoint: String?
    package var region: String
    package var credentials: Credentials?
    package var addressing: AddressingStyle

    /// Resolves the configuration from the environment and the AWS configuration files. `endpointURL` is the
    /// command line's `--endpoint-url`, which comes before every other source.
    package static func resolve(endpointURL: String? = nil) throws -> S3Configuration {
        try resolve(endpointURL: endpointURL, environment: { name in getenv(name).map { String(cString: $0) } })
    }

    package static func resolve(
        endpointURL: String?, environment: (String) -> String?
    ) throws -> S3Configuration {
        func variable(_ name: String) -> String? {
            guard let value = environment(name), !value.isEmpty else { return nil }
            return value
        }
        let home = variable("HOME") ?? "."
        let explicitProfile = variable("AWS_PROFILE")
        let profileName = explicitProfile ?? "default"
        let credentialsFile = variable("AWS_SHARED_CREDENTIALS_FILE") ?? home + "/.aws/credentials"
        let configFile = variable("AWS_CONFIG_FILE") ?? home + "/.aws/config"
        let fromCredentials = try AWSConfigFile.read(credentialsFile)?.section(profileName)
        let fromConfig = try AWSConfigFile.read(configFile)?.section(
            profileName == "default" ? "default" : "profile " + profileName)
        if let explicitProfile, fromCredentials == nil, fromConfig == nil {
            throw PGDumpError(
                .invalidRequest,
                "the AWS profile \"\(explicitProfile)\" (AWS_PROFILE) is in neither \(credentialsFile) nor \(configFile)")
        }
        func setting(_ key: String) -> String? { fromCredentials?[key] ?? fromConfig?[key] }

        var credentials: Credentials?
        if let key = variable("AWS_ACCESS_KEY_ID"), let secret = variable("AWS_SECRET_ACCESS_KEY") {
            credentials = Credentials(accessKeyID: key, secretAccessKey: secret, sessionToken: variable("AWS_SESSION_TOKEN"))
        } else if let profile = [fromCredentials, fromConfig].first(where: {
            $0?["aws_access_key_id"] != nil && $0?["aws_secret_access_key"] != nil
        }) ?? nil {
            credentials = Credentials(
                accessKeyID: profile["aws_access_key_id"]!, secretAccessKey: profile["aws_secret_access_key"]!,
                sessionToken: profile["aws_session_token"])
        }

        let region = variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION") ?? setting("region") ?? "us-east-1"
        guard region.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) })
        else {
            throw PGDumpError(.invalidRequest, "invalid AWS region \"\(region)\"")
        }
        let ignoreConfigured = variable("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() == "true"
        let configured = ignoreConfigured
            ? nil : variable("AWS_ENDPOINT_URL_S3") ?? variable("AWS_ENDPOINT_URL") ?? setting("endpoint_url")
        var endpoint: String?
        if let given = endpointURL ?? configured {
            endpoint = try Self.checkedEndpoint(given)
        }
        let addressing: AddressingStyle
        switch fromConfig?["s3.addressing_style"]?.lowercased() {
        case "path": addressing = .path
        case "virtual": addressing = .virtual
        default: addressing = .automatic
        }
        return S3Configuration(endpoint: endpoint, region: region, credentials: credentials, addressing: addressing)
    }

    /// `scheme://host[:port]` of an endpoint URL, without a trailing slash; http or https only.
    static func checkedEndpoint(_ url: String) throws -> String {
        var text = Substring(url)
        while text.hasSuffix("/") { text = text.dropLast() }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
            !text.drop(while: { $0 != ":" }).dropFirst(3).isEmpty
        else {
            throw PGDumpError(.invalidRequest, "the S3 endpoint \"\(RemoteURL.redacted(url))\" is not an http:// or https:// URL")
        }
        return String(text)
    }

    /// The HTTP(S) URL of `s3://bucket/key` (`query`, when given, without its `?`).
    package func requestURL(for location: S3Location, query: String? = nil) -> String {
        let path = location.key.isEmpty ? "" : Self.encodePath(location.key)
        let pathStyle: Bool
        switch addressing {
        case .path: pathStyle = true
        case .virtual: pathStyle = false
        case .automatic: pathStyle = endpoint != nil || location.bucket.contains(".")
        }
        var url: String
        if let endpoint {
            if pathStyle {
                url = endpoint + "/" + location.bucket + "/" + path
            } else {
                // checkedEndpoint made sure of the "://".
                let scheme = endpoint.prefix(while: { $0 != ":" })
                let host = endpoint.dropFirst(scheme.count + 3)
                url = String(scheme) + "://" + location.bucket + "." + String(host) + "/" + path
            }
        } else if pathStyle {
            url = "https://s3.\(region).amazonaws.com/\(location.bucket)/\(path)"
        } else {
            url = "https://\(location.bucket).s3.\(region).amazonaws.com/\(path)"
        }
        if let query { url += "?" + query }
        return url
    }

    /// `CURLOPT_AWS_SIGV4`'s provider string.
    var signingScope: String { "aws:amz:\(region):s3" }

    /// A key as a URL path: every byte but the unreserved ones and `/` percent-encoded, as Signature Version 4
    /// encodes the canonical URI of S3 requests; with `keepingSlashes` false, `/` too (a query value).
    static func encodePath(_ key: String, keepingSlashes: Bool = true) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            case UInt8(ascii: "/") where keepingSlashes:
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A bucket and key of an `s3://bucket/key` URL.
package struct S3Location: Sendable, Equatable {
    package var bucket: String
    package var key: String

    /// Parses `s3://bucket/key`; `nil` when `url` is not an s3 URL. A bucket name is checked as S3 names them
    /// (3–63 lowercase letters, digits, dots and hyphens); the key is everything after the first `/`.
    package init?(_ url: String) throws {
        guard url.prefix(5).lowercased() == "s3://" else { return nil }
        let rest = url.dropFirst(5)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        bucket = String(rest[..<slash])
        key = slash == rest.endIndex ? "" : String(rest[rest.index(after: slash)...])
        let validBucket = (3...63).contains(bucket.utf8.count)
            && bucket.utf8.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-")
            }
        guard validBucket else {
            throw PGDumpError(.invalidRequest, "\"\(bucket)\" is not a valid S3 bucket name", file: url)
        }
    }
}

/// The INI files of the AWS CLI: `[section]` headers, `key = value` lines, `#` and `;` comments, and nested
/// settings (`s3 =` followed by indented `key = value` lines, stored as `s3.key`).
struct AWSConfigFile {
    private var sections: [String: [String: String]] = [:]

    func section(_ name: String) -> [String: String]? { sections[name] }

    /// The file at `path`, or `nil` when it does not exist.
    static func read(_ path: String) throws -> AWSConfigFile? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw PGDumpError(.io, "could not read AWS configuration: \(SystemError.describe(errno))", file: path)
        }
        // A configuration file is small; a huge one is not one.
        guard let bytes = try FileByteSource(path: path).readRemaining(upTo: 1 << 20) else {
            throw PGDumpError(.invalidRequest, "AWS configuration file larger than 1 MiB", file: path)
        }
        return AWSConfigFile(text: String(decoding: bytes, as: UTF8.self))
    }

    init(text: String) {
        var current: String?
        var nestedUnder: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let indented = rawLine.first == " " || rawLine.first == "\t"
            let line = rawLine.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: " \t")
                nestedUnder = nil
                if let current, sections[current] == nil { sections[current] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: " \t").lowercased()
            let value = String(line[line.index(after: equals)...]).trimmingCharacters(in: " \t")
            if indented, let nestedUnder {
                sections[current]![nestedUnder + "." + key] = value
            } else if value.isEmpty {
                nestedUnder = key
            } else {
                nestedUnder = nil
                sections[current]![key] = value
            }
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = Substring(self)
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
