import Foundation
import PGDumpCore
import PGDumpFormats
import PGDumpTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The plain-script index cache (`ScriptIndexCache`): an index read back from the cache gives exactly what a
/// pass over the script gives, a changed script or a damaged index file is never used, and a cache that cannot
/// be written changes nothing but speed. Every test uses a cache folder of its own, removed at its end.
@Suite struct PlainIndexCacheTests {
    /// A temporary folder, removed when released.
    final class Scratch {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-index-cache-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        var cache: ScriptIndexCache { ScriptIndexCache(directory: url.appendingPathComponent("cache").path) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    }

    /// A script of `testdata/plain` or `testdata/plain-real`.
    struct Script: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var resolve: @Sendable () throws -> String
    }

    static let scripts: [Script] = {
        var scripts: [Script] = []
        for version in PlainScripts.versions {
            scripts.append(Script(testDescription: "chinook pg\(version) plain") { try PlainScripts.script(version: version) })
        }
        for name in ["plain-verbose", "plain-inserts", "plain-clean", "plain-create"] {
            scripts.append(Script(testDescription: "chinook pg18 \(name)") { try PlainScripts.script(name) })
        }
        for real in PlainRealDumps.scriptCases {
            scripts.append(Script(testDescription: real.script) { try real.scriptPath })
        }
        return scripts
    }()

    static func open(_ path: String, cache: ScriptIndexCache?) throws -> PlainScriptReader {
        try PlainScriptReader(source: FileByteSource(path: path), cache: cache)
    }

    /// Everything a command sees of a reader: header, entries, settings, notes, warnings and every entry's data.
    static func expectSame(_ actual: PlainScriptReader, _ expected: PlainScriptReader, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(actual.header == expected.header, sourceLocation: sourceLocation)
        #expect(actual.entries == expected.entries, sourceLocation: sourceLocation)
        #expect(actual.sessionSettings == expected.sessionSettings, sourceLocation: sourceLocation)
        #expect(actual.warnings == expected.warnings, sourceLocation: sourceLocation)
        #expect(actual.sourceNotes == expected.sourceNotes, sourceLocation: sourceLocation)
        #expect(actual.unrecordedInformation == expected.unrecordedInformation, sourceLocation: sourceLocation)
        for entry in expected.entries where entry.hasData {
            #expect(try actual.storedSize(of: entry) == expected.storedSize(of: entry), sourceLocation: sourceLocation)
        }
        #expect(try ArchiveDigests.of(actual) == ArchiveDigests.of(expected), sourceLocation: sourceLocation)
    }

    @Test("a second open reads the index the first wrote, and it gives what a pass over the script gives",
          arguments: scripts)
    func reuse(_ script: Script) throws {
        let path = try script.resolve()
        let scratch = try Scratch()
        let fresh = try Self.open(path, cache: nil)
        let first = try Self.open(path, cache: scratch.cache)
        #expect(first.indexOrigin == .pass)
        try Self.expectSame(first, fresh)
        let cacheable = fresh.warnings.isEmpty && (try? fresh.checkContainerEnd()) != nil
        #expect(cacheable, "every test script is complete and gives no warning")
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.cache.directory)
        #expect(files.count == (cacheable ? 1 : 0), "\(files)")
        #expect(files.allSatisfy { $0.hasSuffix(".idx") }, "no temporary file is left: \(files)")
        let second = try Self.open(path, cache: scratch.cache)
        #expect(second.indexOrigin == (cacheable ? .cache : .pass))
        try Self.expectSame(second, fresh)
    }

    /// A copy of chinook's pg_dump 18 script in `scratch`, indexed once into its cache.
    static func indexedCopy(in scratch: Scratch) throws -> String {
        let copy = scratch.path("chinook.sql")
        try FileManager.default.copyItem(atPath: try PlainScripts.script(), toPath: copy)
        #expect(try open(copy, cache: scratch.cache).indexOrigin == .pass)
        #expect(try open(copy, cache: scratch.cache).indexOrigin == .cache)
        return copy
    }

    static func setModificationTime(_ path: String, seconds: Int, nanoseconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    static func modificationTime(_ path: String) -> timespec {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mtim
    }

    @Test("a script whose size changed is indexed again")
    func sizeChange() throws {
        let scratch = try Scratch()
        let copy = try Self.indexedCopy(in: scratch)
        let handle = try #require(FileHandle(forWritingAtPath: copy))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\n".utf8))
        try handle.close()
        let changed = try Self.open(copy, cache: scratch.cache)
        #expect(changed.indexOrigin == .pass)
        try Self.expectSame(changed, try Self.open(copy, cache: nil))
        #expect(try Self.open(copy, cache: scratch.cache).indexOrigin == .cache, "the new index is used next")
    }

    @Test("a script whose modification time changed, even by a nanosecond, is indexed again")
    func modificationTimeChange() throws {
        let scratch = try Scratch()
        let copy = try Self.indexedCopy(in: scratch)
        let time = Self.modificationTime(copy)
        Self.setModificationTime(copy, seconds: time.tv_sec, nanoseconds: (time.tv_nsec + 1) % 1_000_000_000)
        #expect(try Self.open(copy, cache: scratch.cache).indexOrigin == .pass)
    }

    @Test("a script rewritten in place with the same size and modification time is indexed again")
    func sameSizeRewrite() throws {
        let scratch = try Scratch()
        let copy = try Self.indexedCopy(in: scratch)
        let time = Self.modificationTime(copy)
        var bytes = try Fixtures.bytes(URL(fileURLWithPath: copy))
        // A digit in the middle of the data changes, nothing else.
        let middle = try #require((bytes.count / 2..<bytes.count).first { bytes[$0] >= 0x30 && bytes[$0] < 0x39 })
        bytes[middle] += 1
        let descriptor = Glibc.open(copy, O_WRONLY)
        #expect(descriptor >= 0)
        _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, $0.count, 0) }
        close(descriptor)
        Self.setModificationTime(copy, seconds: time.tv_sec, nanoseconds: time.tv_nsec)
        #expect(Self.modificationTime(copy).tv_nsec == time.tv_nsec)
        let reread = try Self.open(copy, cache: scratch.cache)
        #expect(reread.indexOrigin == .pass)
        try Self.expectSame(reread, try Self.open(copy, cache: nil))
    }

    @Test("an index whose recorded first or last 64 KiB differ from the script's is not used")
    func contentCheck() throws {
        let scratch = try Scratch()
        let copy = try Self.indexedCopy(in: scratch)
        let script = try #require(try CachedScript(source: FileByteSource(path: copy)))
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.cache.directory).first)
        let bytes = try Fixtures.bytes(URL(fileURLWithPath: scratch.cache.directory + "/" + file))
        #expect(throws: Never.self) { try PlainIndexFile.check(bytes, for: script) }
        for change in [\CachedScript.headCRC, \CachedScript.tailCRC] {
            var changed = script
            changed[keyPath: change] ^= 1
            #expect(throws: PlainIndexFile.Problem.self) { try PlainIndexFile.check(bytes, for: changed) }
        }
        var moved = script
        moved.path += ".moved"
        #expect(throws: PlainIndexFile.Problem.self) { try PlainIndexFile.check(bytes, for: moved) }
        var rebuilt = script
        rebuilt.executable = nil
        #expect(throws: PlainIndexFile.Problem.self) { try PlainIndexFile.check(bytes, for: rebuilt) }
    }

    /// The damage done to an index file in `corruption`.
    struct Corruption: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var apply: @Sendable ([UInt8]) -> [UInt8]
    }

    /// `bytes` with the body's CRC-32 made right again, so that only the checks after it can catch the damage.
    static func withValidChecksum(_ bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        let body = Array(bytes[PlainIndexFile.prefixSize...])
        let crc = crc32(body)
        withUnsafeBytes(of: crc.littleEndian) { result.replaceSubrange(12..<16, with: $0) }
        return result
    }

    /// CRC-32 (gzip's), bit by bit: the index's checksum computed independently.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("the index's checksum is gzip's CRC-32 of its body")
    func checksum() throws {
        let scratch = try Scratch()
        _ = try Self.indexedCopy(in: scratch)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.cache.directory).first)
        let bytes = try Fixtures.bytes(URL(fileURLWithPath: scratch.cache.directory + "/" + name))
        #expect(Self.withValidChecksum(bytes) == bytes)
    }

    static func settingUInt64(_ value: UInt64, atEndOffset fromEnd: Int, in bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        withUnsafeBytes(of: value.littleEndian) { result.replaceSubrange((bytes.count - fromEnd)..<(bytes.count - fromEnd + 8), with: $0) }
        return result
    }

    static let corruptions: [Corruption] = {
        var list: [Corruption] = [
            Corruption(testDescription: "empty") { _ in [] },
            Corruption(testDescription: "magic only") { Array($0.prefix(8)) },
            Corruption(testDescription: "prefix only") { Array($0.prefix(PlainIndexFile.prefixSize)) },
            Corruption(testDescription: "half") { Array($0.prefix($0.count / 2)) },
            Corruption(testDescription: "last byte missing") { Array($0.dropLast()) },
            Corruption(testDescription: "a byte appended") { $0 + [0] },
            Corruption(testDescription: "another format version") { bytes in
                var copy = bytes
                copy[8] &+= 1
                return copy
            },
            Corruption(testDescription: "body length off by one, CRC right") { bytes in
                var copy = bytes
                copy[16] &+= 1
                return copy
            },
            Corruption(testDescription: "bytes after the ranges, CRC and length right") { bytes in
                var copy = bytes + [0]
                withUnsafeBytes(of: UInt64(copy.count - PlainIndexFile.prefixSize).littleEndian) {
                    copy.replaceSubrange(16..<24, with: $0)
                }
                return withValidChecksum(copy)
            },
            // The last data range ends with its start, end and script offset (8 bytes each).
            Corruption(testDescription: "a data range past the script's end, CRC right") { bytes in
                withValidChecksum(settingUInt64(UInt64.max >> 1, atEndOffset: 16, in: bytes))
            },
            Corruption(testDescription: "a data range ending before it starts, CRC right") { bytes in
                withValidChecksum(settingUInt64(0, atEndOffset: 16, in: bytes))
            },
            Corruption(testDescription: "a negative data range start, CRC right") { bytes in
                withValidChecksum(settingUInt64(UInt64.max, atEndOffset: 24, in: bytes))
            },
            Corruption(testDescription: "a data range at another offset than its entry's, CRC right") { bytes in
                withValidChecksum(settingUInt64(1, atEndOffset: 8, in: bytes))
            },
        ]
        for offset in [0, 9, 13, 20, 40, 100, 1000] {
            list.append(Corruption(testDescription: "byte \(offset) flipped") { bytes in
                var copy = bytes
                if offset < copy.count { copy[offset] ^= 0x40 }
                return copy
            })
        }
        return list
    }()

    @Test("a damaged index file is ignored and replaced, and the script read as if there were none",
          arguments: corruptions)
    func corruptIndex(_ corruption: Corruption) throws {
        let scratch = try Scratch()
        let copy = try Self.indexedCopy(in: scratch)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.cache.directory).first)
        let file = scratch.cache.directory + "/" + name
        let damaged = corruption.apply(try Fixtures.bytes(URL(fileURLWithPath: file)))
        try Data(damaged).write(to: URL(fileURLWithPath: file))
        let reread = try Self.open(copy, cache: scratch.cache)
        #expect(reread.indexOrigin == .pass)
        try Self.expectSame(reread, try Self.open(copy, cache: nil))
        #expect(try Self.open(copy, cache: scratch.cache).indexOrigin == .cache, "the index was written again")
    }

    @Test("an index file that is a directory or a symbolic link is not used")
    func notARegularFile() throws {
        let scratch = try Scratch()
        let copy = try Self.indexedCopy(in: scratch)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.cache.directory).first)
        let file = scratch.cache.directory + "/" + name
        let elsewhere = scratch.path("elsewhere.idx")
        try FileManager.default.moveItem(atPath: file, toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: elsewhere)
        #expect(try Self.open(copy, cache: scratch.cache).indexOrigin == .pass)
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
        let reread = try Self.open(copy, cache: scratch.cache)
        #expect(reread.indexOrigin == .pass)
        try Self.expectSame(reread, try Self.open(copy, cache: nil))
    }

    @Test("an index file larger than any index of the script can be is not read")
    func oversizedIndex() throws {
        let scratch = try Scratch()
        let copy = try Self.indexedCopy(in: scratch)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: scratch.cache.directory).first)
        let scriptSize = try #require(try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int)
        // Sparse: nothing is written, and nothing must be read.
        #expect(truncate(scratch.cache.directory + "/" + name, off_t(scriptSize * 4 + (2 << 20))) == 0)
        let notes = NoteLog()
        let cache = ScriptIndexCache(directory: scratch.cache.directory, log: notes.record)
        #expect(try Self.open(copy, cache: cache).indexOrigin == .pass)
        #expect(notes.lines.contains { $0.contains("is impossible") }, "\(notes.lines)")
    }

    @Test("a cache that cannot be written changes nothing but speed")
    func unwritableCache() throws {
        let scratch = try Scratch()
        let script = try PlainScripts.script()
        let fresh = try Self.open(script, cache: nil)
        var directories: [String] = []
        // Beneath a regular file: the folder cannot be created.
        _ = FileManager.default.createFile(atPath: scratch.path("file"), contents: Data())
        directories.append(scratch.path("file") + "/cache")
        #if os(Linux)
        // A folder that exists but takes no new files, even from root.
        directories.append("/proc/self/fdinfo")
        #endif
        if geteuid() != 0 {
            let readOnly = scratch.path("read-only")
            try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: false)
            #expect(chmod(readOnly, 0o500) == 0)
            directories.append(readOnly)
        }
        for directory in directories {
            let notes = NoteLog()
            let cache = ScriptIndexCache(directory: directory, log: notes.record)
            for _ in 0..<2 {
                let reader = try Self.open(script, cache: cache)
                #expect(reader.indexOrigin == .pass, "\(directory)")
                try Self.expectSame(reader, fresh)
            }
            #expect(notes.lines.contains { $0.hasPrefix("not cached: ") }, "\(directory): \(notes.lines)")
        }
        _ = chmod(scratch.path("read-only"), 0o700)
    }

    @Test("pipes and compressed scripts are not cached")
    func notCached() throws {
        let scratch = try Scratch()
        let bytes = try Fixtures.bytes(URL(fileURLWithPath: try PlainScripts.script()))
        let pipe = MemoryByteSource(bytes, name: "-", seekable: false)
        #expect(try PlainScriptReader(source: pipe, cache: scratch.cache).indexOrigin == .pass)
        let compressed = PlainScripts.folder("18").appendingPathComponent("plain.sql.gz").path
        _ = try Archive.open(path: compressed, indexCache: scratch.cache)
        _ = try Archive.open(path: compressed, indexCache: scratch.cache)
        #expect(!FileManager.default.fileExists(atPath: scratch.cache.directory))
    }
}

/// Collects a cache's notes.
final class NoteLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    var record: @Sendable (String) -> Void { { [self] line in lock.withLock { stored.append(line) } } }
}
