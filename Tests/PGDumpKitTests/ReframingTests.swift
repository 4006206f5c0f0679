import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// gzip data moves between custom (zlib streams) and directory (gzip files) archives without recompressing:
/// the deflate bytes are kept, only headers and checksums change. Files that are not one plain gzip member are
/// recompressed instead; damaged data is refused as when reading.
@Suite struct ReframingTests {
    init() { TimeZoneSetting.useUTC() }

    static let directory = Fixtures.testdata.appendingPathComponent("archives/pg18/directory-default")
    static let custom = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump")

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-reframe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The deflate data of a stored stream: between the 2-byte zlib header and the Adler-32, or the 10-byte gzip
    /// header and the CRC-32 and length.
    static func deflatePayload(zlib bytes: [UInt8]) -> [UInt8] { Array(bytes[2..<(bytes.count - 4)]) }
    static func deflatePayload(gzip bytes: [UInt8]) -> [UInt8] { Array(bytes[10..<(bytes.count - 8)]) }

    struct StoredStreams: DataSink {
        var streams: [[UInt8]] = [[]]
        mutating func write(_ bytes: UnsafeRawBufferPointer) throws { streams[streams.count - 1] += bytes }
        mutating func beginLargeObject(oid: UInt32) throws { streams.append([]) }
    }

    static func storedStreams(_ reader: any ArchiveReader) throws -> [Int32: [[UInt8]]] {
        var result: [Int32: [[UInt8]]] = [:]
        for entry in reader.entries where entry.hasData {
            var sink = StoredStreams()
            try reader.streamStoredData(of: entry, into: &sink)
            result[entry.dumpID] = entry.isLargeObjectData ? Array(sink.streams.dropFirst()) : sink.streams
        }
        return result
    }

    @Test("custom → directory → custom keeps every stream's deflate data and reads back the same")
    func roundTripKeepsDeflateData() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = try Archive.open(path: Self.custom.path)
        let directory = scratch.appendingPathComponent("d").path
        _ = try ConvertRoundTripTests.convert(input, .init(format: .directory), to: directory)
        let back = scratch.appendingPathComponent("c.dump").path
        _ = try ConvertRoundTripTests.convert(try Archive.open(path: directory), .init(format: .custom), to: back)

        let original = try Self.storedStreams(input)
        let viaDirectory = try Self.storedStreams(try Archive.open(path: directory))
        let returned = try Self.storedStreams(try Archive.open(path: back))
        #expect(original.keys == viaDirectory.keys && original.keys == returned.keys)
        var streams = 0
        for (dumpID, zlibStreams) in original {
            let gzipFiles = viaDirectory[dumpID] ?? []
            #expect(gzipFiles.count == zlibStreams.count, "entry \(dumpID)")
            for (zlib, gzip) in zip(zlibStreams, gzipFiles) {
                #expect(Self.deflatePayload(zlib: zlib) == Self.deflatePayload(gzip: gzip), "entry \(dumpID)")
                streams += 1
            }
            // zlib → gzip → zlib: the same bytes but for the header's level bits.
            for (zlib, again) in zip(zlibStreams, returned[dumpID] ?? []) {
                #expect(zlib.dropFirst(2) == again.dropFirst(2), "entry \(dumpID)")
            }
        }
        #expect(streams > 20)
        let expected = try ArchiveDigests.of(input)
        #expect(try ArchiveDigests.of(try Archive.open(path: directory)) == expected)
        #expect(try ArchiveDigests.of(try Archive.open(path: back)) == expected)
    }

    /// A copy of the pg18 directory archive in which one file holds two gzip members and another has a file
    /// name in its header: both valid for gzread, neither one plain member.
    static func directoryWithUnusualFiles(in scratch: URL) throws -> (path: String, changed: [String]) {
        let copy = scratch.appendingPathComponent("unusual")
        try FileManager.default.copyItem(at: Self.directory, to: copy)
        let files = try FileManager.default.contentsOfDirectory(atPath: copy.path).filter { $0.hasSuffix(".dat.gz") }
            .sorted()
        var sizes: [(String, Int)] = []
        for name in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: copy.appendingPathComponent(name).path)
            sizes.append((name, (attributes[.size] as? Int) ?? 0))
        }
        let big = sizes.filter { $0.1 > 200 }.map(\.0)
        let (twoMembers, named) = (big[0], big[1])

        // Two members: the data split in two, each compressed as its own gzip member.
        let twoMembersURL = copy.appendingPathComponent(twoMembers)
        let stored = Array(try Data(contentsOf: twoMembersURL))
        let plain = try DeflateSamples.inflate(
            try ZlibDecompressor(framing: .gzipFile), stored, piece: stored.count, gzipFile: true).get()
        let half = plain.count / 2
        let rewritten = try DeflateSamples.compress(Array(plain[..<half]), framing: .gzipFile)
            + DeflateSamples.compress(Array(plain[half...]), framing: .gzipFile)
        try Data(rewritten).write(to: twoMembersURL)

        // A name in the header: FLG.FNAME and a NUL-terminated name after the 10 fixed bytes.
        let namedURL = copy.appendingPathComponent(named)
        var bytes = Array(try Data(contentsOf: namedURL))
        bytes[3] |= 0x08
        bytes.insert(contentsOf: Array("table.dat\0".utf8), at: 10)
        try Data(bytes).write(to: namedURL)
        return (copy.path, [twoMembers, named])
    }

    @Test("gzip files that are not one plain member are recompressed; the rest keep their deflate data")
    func unusualFilesAreRecompressed() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (path, changed) = try Self.directoryWithUnusualFiles(in: scratch)
        let input = try Archive.open(path: path)
        let expected = try ArchiveDigests.of(try Archive.open(path: Self.directory.path))
        #expect(try ArchiveDigests.of(input) == expected)

        let output = scratch.appendingPathComponent("c.dump").path
        _ = try ConvertRoundTripTests.convert(input, .init(format: .custom), to: output)
        let converted = try Archive.open(path: output)
        #expect(try ArchiveDigests.of(converted) == expected)

        let inputStreams = try Self.storedStreams(input), outputStreams = try Self.storedStreams(converted)
        for entry in input.entries where entry.hasData && !entry.isLargeObjectData {
            guard case .file(let name) = entry.dataLocation,
                  let gzip = inputStreams[entry.dumpID]?.first, let zlib = outputStreams[entry.dumpID]?.first,
                  !gzip.isEmpty
            else { continue }
            let kept = Self.deflatePayload(gzip: gzip) == Self.deflatePayload(zlib: zlib)
            #expect(kept == !changed.contains(name.string + ".gz"), "\(name.string)")
        }
    }

    @Test("a damaged stream is refused when reframed, both ways",
          arguments: ["custom", "directory"])
    func damageIsRefused(_ source: String) throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let damaged: String
        if source == "custom" {
            // A flipped byte near the end of the biggest data block: the Adler-32 no longer matches.
            let reader = try Archive.open(path: Self.custom.path)
            let entry = try #require(reader.entries.filter { $0.hasData && !$0.isLargeObjectData }
                .max { (try reader.storedSize(of: $0) ?? 0) < (try reader.storedSize(of: $1) ?? 0) })
            guard case .offset(let offset) = entry.dataLocation else { Issue.record("no offset"); return }
            let size = try #require(try reader.storedSize(of: entry))
            var bytes = Array(try Data(contentsOf: Self.custom))
            bytes[Int(offset + size) - 12] ^= 0x20
            damaged = scratch.appendingPathComponent("damaged.dump").path
            try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        } else {
            let copy = scratch.appendingPathComponent("damaged")
            try FileManager.default.copyItem(at: Self.directory, to: copy)
            let file = copy.appendingPathComponent("3782.dat.gz")
            var bytes = Array(try Data(contentsOf: file))
            bytes[bytes.count - 6] ^= 0x20  // inside the CRC-32
            try Data(bytes).write(to: file)
            damaged = copy.path
        }
        let target = ArchiveConversion.Target(format: source == "custom" ? .directory : .custom)
        let output = scratch.appendingPathComponent("out").path
        #expect(throws: PGDumpError.self) {
            _ = try ConvertRoundTripTests.convert(try Archive.open(path: damaged), target, to: output)
        }
    }
}
