import PGDumpCore
@testable import PGDumpRemote
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Where `s3://` URLs go and with which credentials, resolved from the same places as the AWS CLI.
@Suite struct S3ConfigurationTests {
    /// A scratch folder with the given AWS files; removed by the caller.
    private func folder(credentials: String? = nil, config: String? = nil) throws -> String {
        var template = Array("/tmp/pgdumpkit-aws-XXXXXX".utf8CString)
        let path = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        for (name, text) in [("credentials", credentials), ("config", config)] {
            guard let text else { continue }
            let file = try #require(fopen(path + "/" + name, "w"))
            fputs(text, file)
            fclose(file)
        }
        return path
    }

    private func resolve(_ variables: [String: String], endpoint: String? = nil) throws -> S3Configuration {
        try S3Configuration.resolve(endpointURL: endpoint, environment: { variables[$0] })
    }

    @Test("the environment's keys come before the profiles'; the profile's come from credentials, then config")
    func credentials() throws {
        let home = try folder(
            credentials: "[default]\naws_access_key_id = fromfile\naws_secret_access_key = s1\n\n[other]\naws_access_key_id=k2\naws_secret_access_key=s2\naws_session_token=t2\n",
            config: "[profile third]\naws_access_key_id = k3\naws_secret_access_key = s3\nregion = eu-west-3\n")
        defer { _ = system("rm -rf '\(home)'") }
        let files = ["AWS_SHARED_CREDENTIALS_FILE": home + "/credentials", "AWS_CONFIG_FILE": home + "/config"]
        let fromEnvironment = try resolve(files.merging(["AWS_ACCESS_KEY_ID": "env", "AWS_SECRET_ACCESS_KEY": "envs"]) { $1 })
        #expect(fromEnvironment.credentials?.accessKeyID == "env")
        #expect(try resolve(files).credentials?.accessKeyID == "fromfile")
        let other = try resolve(files.merging(["AWS_PROFILE": "other"]) { $1 })
        #expect(other.credentials?.accessKeyID == "k2" && other.credentials?.sessionToken == "t2")
        let third = try resolve(files.merging(["AWS_PROFILE": "third"]) { $1 })
        #expect(third.credentials?.accessKeyID == "k3" && third.region == "eu-west-3")
        #expect(throws: PGDumpError.self) { try resolve(files.merging(["AWS_PROFILE": "none"]) { $1 }) }
        let nothing = try resolve(["HOME": home + "/missing"])
        #expect(nothing.credentials == nil && nothing.region == "us-east-1" && nothing.endpoint == nil)
    }

    @Test("region and endpoint: variables, then the profile; --endpoint-url first; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
    func regionAndEndpoint() throws {
        let home = try folder(config: "[default]\nregion = ap-south-1\nendpoint_url = http://profile:9000\ns3 =\n  addressing_style = virtual\n")
        defer { _ = system("rm -rf '\(home)'") }
        let files = ["AWS_CONFIG_FILE": home + "/config", "AWS_SHARED_CREDENTIALS_FILE": home + "/none"]
        let profile = try resolve(files)
        #expect(profile.region == "ap-south-1" && profile.endpoint == "http://profile:9000" && profile.addressing == .virtual)
        let variables = try resolve(files.merging([
            "AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "x", "AWS_ENDPOINT_URL": "http://general:1",
            "AWS_ENDPOINT_URL_S3": "https://s3-only:2/",
        ]) { $1 })
        #expect(variables.region == "eu-north-1" && variables.endpoint == "https://s3-only:2")
        #expect(try resolve(files.merging(["AWS_ENDPOINT_URL": "http://general:1"]) { $1 }, endpoint: "http://option:3").endpoint == "http://option:3")
        #expect(try resolve(files.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 }).endpoint == nil)
        #expect(throws: PGDumpError.self) { try resolve([:], endpoint: "ftp://host") }
        #expect(throws: PGDumpError.self) { try resolve(["AWS_REGION": "us-east-1/../x"]) }
    }

    @Test("virtual-hosted on AWS, path-style elsewhere and for dotted buckets; keys percent-encoded but for /")
    func addressing() throws {
        let aws = try resolve(["AWS_REGION": "eu-central-1"])
        let key = try #require(try S3Location("s3://my-bucket/db/2026 12/a+b.dump"))
        #expect(aws.requestURL(for: key) == "https://my-bucket.s3.eu-central-1.amazonaws.com/db/2026%2012/a%2Bb.dump")
        let dotted = try #require(try S3Location("s3://my.bucket/k"))
        #expect(aws.requestURL(for: dotted, query: "uploads=") == "https://s3.eu-central-1.amazonaws.com/my.bucket/k?uploads=")
        let minio = try resolve(["AWS_ENDPOINT_URL": "http://127.0.0.1:9000"])
        #expect(minio.requestURL(for: key) == "http://127.0.0.1:9000/my-bucket/db/2026%2012/a%2Bb.dump")
        var virtual = minio
        virtual.addressing = .virtual
        #expect(virtual.requestURL(for: key) == "http://my-bucket.127.0.0.1:9000/db/2026%2012/a%2Bb.dump")
        #expect(try S3Location("https://x/y") == nil)
        #expect(throws: PGDumpError.self) { try S3Location("s3://UPPER/k") }
        #expect(throws: PGDumpError.self) { try S3Location("s3://ab/k") }
    }

    @Test("an S3 error document gives its code and message; XML text is unescaped")
    func errorDocuments() {
        let document = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Access &amp; more</Message></Error>"
        #expect(HTTPRequestClient.s3ErrorDetail(document) == "AccessDenied: Access & more")
        #expect(HTTPRequestClient.s3ErrorDetail("<html>oops</html>") == nil)
        #expect(XMLText.element("UploadId", in: "<X><UploadId>a&lt;b</UploadId></X>") == "a<b")
    }
}
