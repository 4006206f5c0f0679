// Shared by the fuzz targets: small limits, and a walk through everything a reader offers.

enum FuzzSupport {
    /// Limits small enough that a fuzzer's inputs cannot make the library allocate much.
    static let limits = ArchiveLimits(maxTOCEntries: 10_000, maxStringBytes: 1 << 20, maxDependencies: 10_000)

    /// Exercises a reader over `data` twice: as a seekable file, and as a pipe that returns at most
    /// `pipeReadSize` bytes a read.
    static func exerciseSeekableAndPiped(
        _ data: UnsafePointer<UInt8>, _ size: Int, pipeReadSize: Int,
        _ open: (MemoryByteSource) throws -> any ArchiveReader
    ) {
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        for seekable in [true, false] {
            let source = MemoryByteSource(
                bytes, name: "fuzz", seekable: seekable, maximumReadSize: seekable ? .max : pipeReadSize)
            exercise { try open(source) }
        }
    }

    /// Opens a reader, lists it, and streams every entry's data (in TOC order and then backwards), ignoring
    /// the errors a hostile input is expected to produce: only crashes, hangs and leaks are findings.
    static func exercise(_ open: () throws -> any ArchiveReader) {
        guard let reader = try? open() else { return }
        _ = ListPrinter.render(header: reader.header, format: reader.format, entries: reader.entries, tocCount: reader.entries.count)
        _ = try? reader.storedSizes()
        var sink = CountingSink()
        for entry in reader.entries where entry.hasData {
            _ = try? reader.streamData(of: entry, into: &sink)
            if sink.count > 64 << 20 { return }
        }
        for entry in reader.entries.reversed() where entry.hasData {
            _ = try? reader.streamData(of: entry, into: &sink)
            if sink.count > 64 << 20 { return }
        }
    }
}

struct CountingSink: DataSink {
    var count = 0
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws { count += bytes.count }
}
