import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// Archives written by the writers read back with the readers: the same TOC (but for how data is located),
/// the same data, and the same SQL script.
@Suite struct ConvertRoundTripTests {
    init() { TimeZoneSetting.useUTC() }

    static let targets: [ArchiveConversion.Target] = [
        .init(format: .custom, compression: .init(algorithm: .none)),
        .init(format: .custom, compression: .init(algorithm: .gzip)),
        .init(format: .custom, compression: .init(algorithm: .lz4)),
        .init(format: .custom, compression: .init(algorithm: .zstd)),
        .init(format: .directory, compression: .init(algorithm: .none)),
        .init(format: .directory, compression: .init(algorithm: .gzip)),
        .init(format: .directory, compression: .init(algorithm: .gzip, level: 1)),
        .init(format: .directory, compression: .init(algorithm: .lz4)),
        .init(format: .directory, compression: .init(algorithm: .zstd)),
        .init(format: .tar),
    ]

    /// Converts with the library alone, into a fresh scratch path.
    static func convert(_ reader: any ArchiveReader, _ target: ArchiveConversion.Target, to path: String,
                        entries: [TOCEntry]? = nil, seekable: Bool = true) throws -> ArchiveConversion {
        let conversion = try ArchiveConversion(
            inputHeader: reader.header, entries: entries ?? reader.entries, target: target)
        if target.format.isDirectory {
            let writer = try Archive.create(
                target.format, at: .directory(path: path), header: conversion.header, entries: conversion.entries,
                compression: conversion.compression)
            try conversion.write(from: reader, to: writer)
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let file = OutputFile(descriptor: handle.fileDescriptor, name: path)
            let writer = try Archive.create(
                target.format, at: .file(file), header: conversion.header, entries: conversion.entries,
                compression: conversion.compression)
            try conversion.write(from: reader, to: writer)
        }
        return conversion
    }

    static func script(_ reader: any ArchiveReader) throws -> [UInt8] {
        var commandLine = PGRestoreCommandLine()
        commandLine.restrictKey = "K"
        let (selection, script) = try commandLine.resolve()
        let plan = try RestorePlan(
            entries: reader.entries, selection: selection, script: script, strictNames: false, useList: nil)
        let sink = MemoryByteSink()
        _ = try plan.renderScript(from: reader, to: sink)
        return sink.bytes
    }

    @Test("every archive converts to every format and compression and reads back the same",
          arguments: Fixtures.archiveCases.filter { !$0.piped })
    func roundTrip(_ archive: Fixtures.ArchiveCase) throws {
        let input = try Archive.open(path: archive.path)
        let inputScript = try Self.script(input)
        let inputData = try ArchiveDigests.of(input)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-rt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for (index, target) in Self.targets.enumerated() {
            let path = scratch.appendingPathComponent("out-\(index)").path
            let conversion = try Self.convert(try Archive.open(path: archive.path), target, to: path)
            let output = try Archive.open(path: path)
            let label = "\(archive.relativePath) → \(target.format) \(target.compression?.description ?? "")"
            #expect(output.format == target.format, "\(label)")
            #expect(output.header == conversion.header, "\(label)")
            #expect(output.header.creationTime == input.header.creationTime, "\(label)")
            #expect(output.header.databaseName == input.header.databaseName, "\(label)")
            #expect(output.header.pgDumpVersion == input.header.pgDumpVersion, "\(label)")
            var expectedEntries = input.entries
            var actualEntries = output.entries
            for index in expectedEntries.indices { expectedEntries[index].dataLocation = .none }
            for index in actualEntries.indices { actualEntries[index].dataLocation = .none }
            #expect(actualEntries == expectedEntries, "\(label)")
            #expect(try ArchiveDigests.of(output) == inputData, "\(label)")
            #expect(ByteComparison.difference(actual: try Self.script(output), expected: inputScript) == nil, "\(label)")
        }
    }

    @Test("a custom archive written to a pipe has no offsets, as pg_dump's, and reads back the same")
    func customToPipe() throws {
        let input = try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg17/custom-zstd.dump").path)
        var pipeEnds: [Int32] = [0, 0]
        #expect(pipe(&pipeEnds) == 0)
        let conversion = try ArchiveConversion(
            inputHeader: input.header, entries: input.entries, target: .init(format: .custom))
        let collected = Mutex<[UInt8]>([])
        let readEnd = pipeEnds[0]
        let readerThread = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                collected.withLock { $0 += buffer[0..<count] }
            }
        }
        readerThread.start()
        let file = OutputFile(descriptor: pipeEnds[1], name: "pipe")
        #expect(!file.isSeekable)
        try conversion.write(from: input, to: try CustomArchiveWriter(
            output: file, header: conversion.header, entries: conversion.entries, compression: conversion.compression))
        close(pipeEnds[1])
        while !readerThread.isFinished { usleep(1000) }
        close(pipeEnds[0])
        let bytes = collected.withLock { $0 }
        let output = try Archive.open(source: MemoryByteSource(bytes))
        #expect(output.entries.filter(\.hasData).allSatisfy { $0.dataLocation == .offsetNotSet })
        #expect(try ArchiveDigests.of(output) == ArchiveDigests.of(input))
    }

    @Test("lz4 and zstd raise a 1.14 archive to 1.15; below 1.15 they are refused")
    func versionRules() throws {
        let input = try Archive.open(path: Fixtures.testdata.appendingPathComponent("archives/pg15/custom-default.dump").path)
        let raised = try ArchiveConversion(
            inputHeader: input.header, entries: input.entries,
            target: .init(format: .custom, compression: .init(algorithm: .zstd)))
        #expect(raised.header.version == .v1_15)
        #expect(raised.notices.contains { $0.contains("pg_restore older than 16 cannot read the result") })
        let kept = try ArchiveConversion(
            inputHeader: input.header, entries: input.entries, target: .init(format: .directory))
        #expect(kept.header.version == .v1_14)
        #expect(kept.header.compression.storedLevel == -1)
        let error = #expect(throws: PGDumpError.self) {
            _ = try ArchiveConversion(
                inputHeader: input.header, entries: input.entries,
                target: .init(format: .custom, compression: .init(algorithm: .lz4), archiveVersion: .v1_14))
        }
        #expect(error?.message.contains("needs 1.15 or later") == true)
        #expect(throws: PGDumpError.self) {
            _ = try ArchiveConversion(
                inputHeader: input.header, entries: input.entries,
                target: .init(format: .tar, compression: .init(algorithm: .gzip)))
        }
    }

    @Test("pg_dump's -Z specifications", arguments: [
        ("none", CompressionAlgorithm.none, nil as Int?), ("0", .none, nil), ("6", .gzip, 6), ("gzip", .gzip, nil),
        ("gzip:9", .gzip, 9), ("lz4", .lz4, nil), ("lz4:3", .lz4, 3), ("zstd:19", .zstd, 19), ("zstd:level=5", .zstd, 5),
    ])
    func compressionSpecs(_ text: String, _ algorithm: CompressionAlgorithm, _ level: Int?) throws {
        let choice = try CompressionChoice(pgDumpSpec: text)
        #expect(choice.algorithm == algorithm)
        #expect(choice.level == level)
    }

    @Test("invalid -Z specifications are refused", arguments: ["brotli", "gzip:10", "10", "zstd:x"])
    func invalidCompressionSpecs(_ text: String) {
        #expect(throws: PGDumpError.self) { _ = try CompressionChoice(pgDumpSpec: text) }
    }
}

/// A value shared with a thread, behind a lock.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
