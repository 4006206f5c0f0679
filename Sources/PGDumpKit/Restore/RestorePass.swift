import PGDumpCore

extension TOCEntry {
    /// relkind 'p'.
    var isPartitionedTable: Bool { relkind == Int32(UInt8(ascii: "p")) }
}
