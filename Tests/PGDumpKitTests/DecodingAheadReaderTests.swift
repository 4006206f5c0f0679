import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// `DecodingAheadReader`: an entry inflated on a second thread arrives as the archive's own reader gives it —
/// bytes, large objects, and a failure after the data before it — and a caller that stops leaves no thread behind.
@Suite struct DecodingAheadReaderTests {
    /// `ParallelDataReaderTests.archive()` converted to a custom archive compressed with `algorithm`.
    static func compressedArchive(_ algorithm: CompressionAlgorithm, in folder: URL) throws -> String {
        let source = try Archive.open(source: MemoryByteSource(ParallelDataReaderTests.archive()))
        let path = folder.appendingPathComponent("\(algorithm).dump").path
        _ = try ConvertRoundTripTests.convert(
            source, .init(format: .custom, compression: .init(algorithm: algorithm)), to: path)
        return path
    }

    static func withFolder<Result>(_ body: (URL) throws -> Result) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decoding-ahead-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    @Test("every entry reads the same through a second thread", arguments: [CompressionAlgorithm.gzip, .lz4, .zstd])
    func sameData(_ algorithm: CompressionAlgorithm) throws {
        try Self.withFolder { folder in
            let path = try Self.compressedArchive(algorithm, in: folder)
            let base = try Archive.open(path: path)
            let order = ParallelDataReaderTests.dataEntries(of: base)
            let expected = ParallelDataReaderTests.read(order, from: base)
            let ahead = DecodingAheadReader.wrapping(try Archive.open(path: path), minimumStoredSize: 0)
            #expect(ahead is DecodingAheadReader)
            #expect(ParallelDataReaderTests.read(order, from: ahead) == expected)
            // The bytes read are the base reader's once each entry is done.
            #expect(ahead.storedBytesRead == base.storedBytesRead)
        }
    }

    @Test("a failure arrives after the data decoded before it, as the reader throws it")
    func failureAfterData() throws {
        try Self.withFolder { folder in
            let path = try Self.compressedArchive(.gzip, in: folder)
            let clean = try Archive.open(path: path)
            let order = ParallelDataReaderTests.dataEntries(of: clean)
            // Damage the middle of the fourth table's stored data.
            guard case .offset(let start) = order[3].dataLocation, let size = try clean.storedSize(of: order[3])
            else { Issue.record("no offset"); return }
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            for index in 0..<64 { bytes[Int(start + size / 2) + index] ^= 0x5A }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let expected = ParallelDataReaderTests.read(order, from: try Archive.open(path: path))
            #expect(expected[3].contains("then"))
            let ahead = DecodingAheadReader.wrapping(try Archive.open(path: path), minimumStoredSize: 0)
            #expect(ParallelDataReaderTests.read(order, from: ahead) == expected)
        }
    }

    @Test("a sink that fails stops the decoding thread, and the reader goes on with the next entry")
    func sinkFailure() throws {
        struct Full: Error {}
        struct FailingSink: DataSink {
            var left: Int
            mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
                left -= bytes.count
                if left < 0 { throw Full() }
            }
        }
        try Self.withFolder { folder in
            let path = try Self.compressedArchive(.zstd, in: folder)
            let base = try Archive.open(path: path)
            let order = ParallelDataReaderTests.dataEntries(of: base)
            let expected = ParallelDataReaderTests.read(order, from: base)
            let ahead = DecodingAheadReader.wrapping(try Archive.open(path: path), minimumStoredSize: 0)
            for entry in order.prefix(3) {
                var sink = FailingSink(left: 300_000)
                #expect(throws: Full.self) { try ahead.streamData(of: entry, into: &sink) }
            }
            #expect(ParallelDataReaderTests.read(order, from: ahead) == expected)
        }
    }

    @Test("small, uncompressed and piped entries stay on the caller's thread, with the same data")
    func notDecodedAhead() throws {
        let bytes = ParallelDataReaderTests.archive(tables: 3)
        let base = try Archive.open(source: MemoryByteSource(bytes))
        let order = ParallelDataReaderTests.dataEntries(of: base)
        let expected = ParallelDataReaderTests.read(order, from: base)
        let ahead = DecodingAheadReader.wrapping(try Archive.open(source: MemoryByteSource(bytes)), minimumStoredSize: 0)
        #expect(ParallelDataReaderTests.read(order, from: ahead) == expected)
        let piped = DecodingAheadReader.wrapping(
            try Archive.open(source: MemoryByteSource(bytes, seekable: false)), minimumStoredSize: 0)
        #expect(ParallelDataReaderTests.read(order, from: piped) == expected)
        #expect(DecodingAheadReader.wrapping(ahead) === ahead)
    }

    @Test("parallel reading on readers that decode ahead gives the same data", arguments: [2, 4])
    func withParallelReading(jobs: Int) throws {
        try Self.withFolder { folder in
            let path = try Self.compressedArchive(.lz4, in: folder)
            let base = try Archive.open(path: path)
            let order = ParallelDataReaderTests.dataEntries(of: base)
            let expected = ParallelDataReaderTests.read(order, from: base)
            let actual = try ParallelDataReader.withReader(
                DecodingAheadReader.wrapping(try Archive.open(path: path), minimumStoredSize: 0),
                readingInOrder: order, jobs: jobs, bufferLimit: 256 << 10
            ) { ParallelDataReaderTests.read(order, from: $0) }
            #expect(actual == expected)
        }
    }
}
