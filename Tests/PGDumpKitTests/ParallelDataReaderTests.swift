import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// `ParallelDataReader`: data read ahead on workers arrives as the archive's own reader gives it, in any order
/// the caller asks, errors included, while the reorder buffer stays within its bound.
@Suite struct ParallelDataReaderTests {
    /// A custom archive (uncompressed, offsets recorded) of `count` tables of a few hundred kilobytes to a few
    /// megabytes each, different in every table, and one BLOBS entry.
    static func archive(tables count: Int = 8) -> [UInt8] {
        var entries: [(TOCEntry, [UInt8]?)] = []
        for number in 0..<count {
            let dumpID = Int32(100 + number)
            let entry = TOCEntry(dumpID: dumpID, hadDumper: true, tag: ArchiveText("t\(number)"), desc: "TABLE DATA", section: .data)
            let size = (number % 3 + 1) * 700_000 + number
            let data = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ number &* 7) }
            entries.append((entry, data))
        }
        let blobs = TOCEntry(dumpID: 200, hadDumper: true, tag: "BLOBS", desc: "BLOBS", section: .data)
        entries.append((blobs, nil))
        var builder = ArchiveBuilder(version: .v1_16, entries: entries)
        builder.largeObjects[200] = [(oid: 16385, bytes: Array(repeating: 7, count: 600_000)), (oid: 16386, bytes: [])]
        return builder.build()
    }

    static func dataEntries(of reader: any ArchiveReader) -> [TOCEntry] {
        reader.entries.filter { $0.dataLocation != .none }
    }

    /// Each entry's bytes and large objects, read one after the other by `reader`; a failure's message instead.
    static func read(_ entries: [TOCEntry], from reader: any ArchiveReader) -> [String] {
        entries.map { entry in
            var sink = DigestSink()
            do {
                try reader.streamData(of: entry, into: &sink)
                return "\(entry.dumpID): \(sink.byteCount) bytes, digest \(sink.digest), objects \(sink.largeObjects)"
            } catch {
                return "\(entry.dumpID): \(sink.byteCount) bytes, then \(error)"
            }
        }
    }

    @Test("reading in the scheduled order gives what the reader gives, within the buffer's bound", arguments: [1, 2, 4])
    func scheduledOrder(jobs: Int) throws {
        let bytes = Self.archive()
        let sequential = try Archive.open(source: MemoryByteSource(bytes))
        let order = Self.dataEntries(of: sequential)
        let expected = Self.read(order, from: sequential)
        let base = try Archive.open(source: MemoryByteSource(bytes))
        let bufferLimit = 512 << 10
        let (actual, peak) = try ParallelDataReader.withReader(
            base, readingInOrder: order, jobs: jobs, bufferLimit: bufferLimit
        ) { reader in
            (Self.read(order, from: reader), (reader as? ParallelDataReader)?.peakBufferedBytes)
        }
        #expect(actual == expected)
        if jobs > 1 {
            let peak = try #require(peak, "with \(jobs) jobs the data is read ahead")
            // The others share the limit; the head may hold two pieces beyond it.
            #expect(peak <= bufferLimit + 2 * ParallelDataReader.pieceSize)
        } else {
            #expect(peak == nil)
        }
    }

    @Test("entries asked out of order, skipped or repeated come from the archive's own reader")
    func otherOrders() throws {
        let bytes = Self.archive()
        let sequential = try Archive.open(source: MemoryByteSource(bytes))
        let order = Self.dataEntries(of: sequential)
        let asked = [order[2], order[0], order[5], order[5], order[8], order[1], order[7]]
        let expected = Self.read(asked, from: sequential)
        let actual = try ParallelDataReader.withReader(
            try Archive.open(source: MemoryByteSource(bytes)), readingInOrder: order, jobs: 3, bufferLimit: 256 << 10
        ) { Self.read(asked, from: $0) }
        #expect(actual == expected)
    }

    @Test("a worker's error arrives after the data before it, as the reader would throw it")
    func workerError() throws {
        var bytes = Self.archive()
        let sequential = try Archive.open(source: MemoryByteSource(bytes))
        let order = Self.dataEntries(of: sequential)
        // The fourth table's block names another dump ID.
        guard case .offset(let offset) = order[3].dataLocation else { Issue.record("no offset"); return }
        bytes[Int(offset) + 2] ^= 0x40
        let damaged = try Archive.open(source: MemoryByteSource(bytes))
        let expected = Self.read(order, from: damaged)
        #expect(expected[3].contains("unexpected block ID"))
        let actual = try ParallelDataReader.withReader(
            try Archive.open(source: MemoryByteSource(bytes)), readingInOrder: order, jobs: 4, bufferLimit: 256 << 10
        ) { Self.read(order, from: $0) }
        #expect(actual == expected)
    }

    @Test("a caller that stops early leaves no worker behind")
    func earlyStop() throws {
        let bytes = Self.archive(tables: 12)
        let base = try Archive.open(source: MemoryByteSource(bytes))
        let order = Self.dataEntries(of: base)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try ParallelDataReader.withReader(base, readingInOrder: order, jobs: 4, bufferLimit: 256 << 10) { reader in
                _ = Self.read(Array(order.prefix(2)), from: reader)
                throw Stop()
            }
        }
    }

    @Test("work done on the workers comes back in order, equal to the work done by the caller", arguments: [2, 4])
    func computedInOrder(jobs: Int) throws {
        let bytes = Self.archive(tables: 10)
        let sequential = try Archive.open(source: MemoryByteSource(bytes))
        let order = Self.dataEntries(of: sequential)
        let expected = Self.read(order, from: sequential)
        let actual = try ParallelDataReader.withReader(
            try Archive.open(source: MemoryByteSource(bytes)), computingInOrder: order, jobs: jobs, ahead: 2,
            work: { reader, entry in Self.read([entry], from: reader)[0] }
        ) { reader in
            try order.map { entry in
                try #require((reader as? ParallelDataReader)?.computedResult(for: entry) as? String)
            }
        }
        #expect(actual == expected)
    }

    @Test("a pipe is read by the caller alone")
    func pipeIsSequential() throws {
        let bytes = Self.archive(tables: 3)
        let base = try Archive.open(source: MemoryByteSource(bytes, seekable: false))
        let order = Self.dataEntries(of: base)
        let parallel = try ParallelDataReader.withReader(base, readingInOrder: order, jobs: 4) { $0 is ParallelDataReader }
        #expect(!parallel)
    }
}
