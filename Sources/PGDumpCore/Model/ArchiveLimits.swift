/// Bounds on what an archive may make the reader allocate.
///
/// Every length or count read from an archive is checked against these (and, where the input's size is known,
/// against what the input can still hold) before anything is allocated.
public struct ArchiveLimits: Sendable, Hashable {
    /// Most TOC entries accepted.
    public var maxTOCEntries: Int
    /// Longest single TOC string accepted (a function body or view definition can be large).
    public var maxStringBytes: Int
    /// Most dependencies accepted on one entry.
    public var maxDependencies: Int

    /// The defaults allow TOCs of millions of entries and definitions of 256 MiB, far beyond what pg_dump writes
    /// for real databases, while keeping what a hostile archive can make the reader hold bounded.
    public init(maxTOCEntries: Int = 10_000_000, maxStringBytes: Int = 256 << 20, maxDependencies: Int = 1_000_000) {
        self.maxTOCEntries = maxTOCEntries
        self.maxStringBytes = maxStringBytes
        self.maxDependencies = maxDependencies
    }

    public static let `default` = ArchiveLimits()
}
