import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// A reader that changes only how data is read (on other threads: `ParallelDataReader`, `DecodingAheadReader`) and
/// passes everything else to the reader it wraps.
public protocol WrappingArchiveReader: ArchiveReader {
    /// The reader the caller opened.
    var base: any ArchiveReader { get }
}

extension WrappingArchiveReader {
    public var format: ArchiveFormat { base.format }
    public var header: ArchiveHeader { base.header }
    public var entries: [TOCEntry] { base.entries }
    public var sessionSettings: ArchiveSessionSettings { base.sessionSettings }
    public var warnings: [ArchiveWarning] { base.warnings }
    public var path: String { base.path }
    public var supportsRandomAccess: Bool { base.supportsRandomAccess }
    public func sizeOnDisk() throws -> Int64? { try base.sizeOnDisk() }
    public func storedSize(of entry: TOCEntry) throws -> Int64? { try base.storedSize(of: entry) }
    public func storedCompression(of entry: TOCEntry) throws -> CompressionAlgorithm? {
        try base.storedCompression(of: entry)
    }
    public func streamStoredData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        try base.streamStoredData(of: entry, into: &sink)
    }
    public func checkContainerEnd() throws { try base.checkContainerEnd() }
    public var logsLargeObjectsWhileReading: Bool { base.logsLargeObjectsWhileReading }
    public var tocPath: String { base.tocPath }
    public func dataLocationComment(for entry: TOCEntry) -> String? { base.dataLocationComment(for: entry) }
    public func placeDataProblem(_ error: PGDumpError, in entry: TOCEntry, decodedOffset: Int64?) -> PGDumpError {
        base.placeDataProblem(error, in: entry, decodedOffset: decodedOffset)
    }
    public var unrecordedInformation: UnrecordedInformation { base.unrecordedInformation }
    public var sourceNotes: [String] { base.sourceNotes }
}
