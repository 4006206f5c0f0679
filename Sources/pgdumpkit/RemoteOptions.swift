import ArgumentParser

/// Where `s3://` URLs point, for every command that reads or writes archives at URLs.
struct RemoteOptions: ParsableArguments {
    static let optionNames = OptionNames(long: ["endpoint-url"])

    @Option(
        name: .customLong("endpoint-url"),
        help: ArgumentHelp(
            "The URL of an S3-compatible store (MinIO, Ceph, R2, moto) for s3:// URLs, addressed path-style; before AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL.",
            valueName: "url"))
    var endpointURL: String?

    /// The endpoint given to the command being run: one command per process, and its options are parsed
    /// (and validated) before it opens anything.
    nonisolated(unsafe) private(set) static var s3Endpoint: String?

    mutating func validate() throws {
        Self.s3Endpoint = endpointURL
    }
}

extension RemoteOptions: FastParsable {
    static var fastArguments: [FastArgument<Self>] {
        [.option(nil, "endpoint-url") { $0.endpointURL = $1 }]
    }
}
