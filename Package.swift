// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "pgdumpkit",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PGDumpKit", targets: ["PGDumpKit"]),
        .executable(name: "pgdumpkit", targets: ["pgdumpkit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries, found with pkg-config (Debian: zlib1g-dev, libzstd-dev, liblz4-dev, libarchive-dev,
        // libisal-dev, libcurl4-openssl-dev). ISA-L's igzip inflates deflate data several times faster than zlib; zlib still compresses.
        // libarchive and libcurl are opened with dlopen when first needed (their shim.h looks their functions up),
        // so their targets give the headers only: no pkg-config, whose flags would link them, and with them their
        // chains of libraries (libxml2, ICU, OpenSSL, Kerberos...), into every run.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CArchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CIsal", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // The layers, lowest first; a target imports only those below it (scripts/check-layers.sh and
        // --explicit-target-dependency-import-check hold that in make test).
        // The archive model (TOC entries, header, versions, errors) and byte I/O.
        .target(name: "PGDumpCore"),
        // Compression: zlib/gzip framing, ISA-L inflate, lz4, zstd, the parallel compressors.
        .target(name: "PGDumpCodecs", dependencies: ["PGDumpCore", "CZlib", "CZstd", "CLZ4", "CIsal"]),
        // Archives at http(s) URLs: a ByteSource of range requests through libcurl.
        .target(name: "PGDumpRemote", dependencies: ["PGDumpCore", "CCurl"]),
        // One driver per archive format (custom, directory, tar) behind ArchiveReader/ArchiveWriter, and the
        // registry that chooses one (Archive.open/create).
        .target(name: "PGDumpFormats", dependencies: ["PGDumpCore", "PGDumpCodecs", "PGDumpRemote", "CArchive"]),
        // The operations, which see only the reader and writer interfaces: restore/SQL rendering and list,
        // extract, convert, verify, inspect.
        .target(name: "PGDumpKit", dependencies: ["PGDumpCore", "PGDumpCodecs", "PGDumpFormats", "CCopyScan"]),
        // The COPY row count of verify and `extract --format copy` with AVX2, chosen at run time (C: Swift cannot
        // compile one function for a newer CPU than the rest).
        .target(name: "CCopyScan"),
        // The command-line tool: one file per subcommand, parsing and printing only.
        .executableTarget(
            name: "pgdumpkit",
            dependencies: [
                "PGDumpKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Metadata of generic types (ArgumentParser's property wrappers over pgdumpkit's option groups) through
            // accessors that pass protocol conformances along, not looked up by mangled name: each lookup scans
            // every conformance record of the binary at start-up.
            swiftSettings: [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]
        ),
        // The library guide's example (Sources/PGDumpKit/PGDumpKit.docc): built by `swift build`, run by a test.
        .executableTarget(name: "pgdumpkit-example", dependencies: ["PGDumpKit"]),
        .target(
            name: "PGDumpTestSupport",
            dependencies: ["PGDumpKit"],
            path: "Tests/PGDumpTestSupport"
        ),
        // One test target per library target, and the CLI's.
        .testTarget(name: "PGDumpCoreTests", dependencies: ["PGDumpCore", "PGDumpTestSupport"]),
        .testTarget(name: "PGDumpCodecsTests", dependencies: ["PGDumpCodecs", "PGDumpTestSupport", "CZlib"]),
        .testTarget(name: "PGDumpRemoteTests", dependencies: ["PGDumpRemote", "PGDumpCore"]),
        .testTarget(name: "PGDumpFormatsTests", dependencies: ["PGDumpFormats", "PGDumpTestSupport"]),
        .testTarget(name: "PGDumpKitTests", dependencies: ["PGDumpKit", "PGDumpTestSupport"]),
        .testTarget(name: "PGDumpCLITests", dependencies: ["PGDumpKit", "PGDumpTestSupport"]),
        // The command-line tool's own code, in process: its fast argument parser against ArgumentParser.
        .testTarget(
            name: "pgdumpkitTests",
            dependencies: [
                "pgdumpkit", "PGDumpTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
