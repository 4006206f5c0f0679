import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// An algorithm and an optional level, as pg_dump's `-Z` takes them.
public struct CompressionChoice: Hashable, Sendable, CustomStringConvertible {
    public var algorithm: CompressionAlgorithm
    /// The level, or `nil` for the library's default.
    public var level: Int?

    public init(algorithm: CompressionAlgorithm, level: Int? = nil) {
        self.algorithm = algorithm
        self.level = level
    }

    public var description: String {
        level.map { "\(algorithm):\($0)" } ?? algorithm.description
    }

    /// Parses pg_dump's `-Z` argument: `none`, `0`–`9` (gzip level; 0 means none), `gzip[:N]`, `lz4[:N]`,
    /// `zstd[:N]`, and the `level=N` detail form (`gzip:level=9`).
    public init(pgDumpSpec text: String) throws {
        func invalid(_ detail: String) -> PGDumpError {
            PGDumpError(.invalidRequest, "invalid compression specification: \(detail)")
        }
        if let number = Int(text) {
            guard (0...9).contains(number) else { throw invalid("compression level \(number) is outside 0..9") }
            self.init(algorithm: number == 0 ? .none : .gzip, level: number == 0 ? nil : number)
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first?.lowercased() ?? ""
        guard let algorithm = CompressionAlgorithm.allCases.first(where: { $0.description == name }) else {
            throw invalid("unrecognized compression algorithm \"\(name)\"")
        }
        var level: Int?
        if parts.count == 2 {
            var detail = parts[1]
            if detail.hasPrefix("level=") { detail = String(detail.dropFirst(6)) }
            guard let parsed = Int(detail) else { throw invalid("compression level \"\(parts[1])\" is not a number") }
            let range: ClosedRange<Int>
            switch algorithm {
            case .none: range = 0...0
            case .gzip: range = 1...9
            case .lz4: range = 1...12
            case .zstd: range = -131072...22
            }
            guard range.contains(parsed) else {
                throw invalid("compression algorithm \"\(name)\" expects a compression level between \(range.lowerBound) and \(range.upperBound) (default at \(Self.defaultLevel(algorithm)))")
            }
            level = algorithm == .none ? nil : parsed
        }
        self.init(algorithm: algorithm, level: level)
    }

    static func defaultLevel(_ algorithm: CompressionAlgorithm) -> Int {
        switch algorithm {
        case .none: return 0
        case .gzip: return 6
        case .lz4: return 0
        case .zstd: return 3
        }
    }
}
