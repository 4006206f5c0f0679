import PGDumpKit
import Testing

/// Digests of every entry's data, to compare what two readers (or two archives) hold without keeping the data.
public enum ArchiveDigests {
    /// What a `DigestSink` saw of one entry's data.
    public struct Digest: Equatable, CustomStringConvertible {
        public var byteCount: Int64
        public var digest: UInt64
        public var largeObjects: [UInt32]

        public init(byteCount: Int64, digest: UInt64, largeObjects: [UInt32]) {
            self.byteCount = byteCount
            self.digest = digest
            self.largeObjects = largeObjects
        }

        public init(_ sink: DigestSink) {
            self.init(byteCount: sink.byteCount, digest: sink.digest, largeObjects: sink.largeObjects)
        }

        public var description: String { "\(byteCount) bytes, digest \(digest), LOs \(largeObjects)" }
    }

    /// Data digests by dump ID, reading entries in TOC order. Checks on the way that each entry of COPY data
    /// ends as pg_dump ends it.
    public static func of(
        _ reader: any ArchiveReader, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [Int32: Digest] {
        var result: [Int32: Digest] = [:]
        for entry in reader.entries where entry.hasData {
            var sink = DigestSink()
            try reader.streamData(of: entry, into: &sink)
            result[entry.dumpID] = Digest(sink)
            if entry.desc.equals("TABLE DATA") && entry.copyStmt != nil {
                // pg_dump stores COPY data with its end-of-data marker and two blank lines.
                #expect(sink.tail.suffix(5) == Array("\\.\n\n\n".utf8), "entry \(entry.dumpID) ends with \(sink.tail)",
                        sourceLocation: sourceLocation)
            }
        }
        return result
    }
}
