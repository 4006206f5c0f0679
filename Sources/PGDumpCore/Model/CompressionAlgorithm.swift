/// How an archive's data is compressed. Mirrors `pg_compress_algorithm`.
public enum CompressionAlgorithm: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case gzip = 1
    case lz4 = 2
    case zstd = 3

    /// The name pg_dump and pg_restore use (`get_compress_algorithm_name`).
    public var description: String {
        switch self {
        case .none: return "none"
        case .gzip: return "gzip"
        case .lz4: return "lz4"
        case .zstd: return "zstd"
        }
    }

    /// The suffix pg_dump gives compressed files in a directory archive.
    public var fileSuffix: String {
        switch self {
        case .none: return ""
        case .gzip: return ".gz"
        case .lz4: return ".lz4"
        case .zstd: return ".zst"
        }
    }
}

/// The compression recorded in an archive header.
///
/// From archive version 1.15 on the header stores only the algorithm; before that it stored a gzip level, where
/// 0 meant none and any other value (−1 being zlib's default) meant gzip.
public struct CompressionSpec: Hashable, Sendable, CustomStringConvertible {
    public var algorithm: CompressionAlgorithm
    /// The level stored by archives older than 1.15, `nil` for newer ones.
    public var storedLevel: Int32?

    public init(algorithm: CompressionAlgorithm, storedLevel: Int32? = nil) {
        self.algorithm = algorithm
        self.storedLevel = storedLevel
    }

    public var description: String { algorithm.description }
}
