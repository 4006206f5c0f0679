import PGDumpCore
import PGDumpCodecs

/// The bytes of one cached plain-script index (`ScriptIndexCache`).
///
/// ```
/// "PGDKPIX\n"  u32 format version  u32 CRC-32 of the body  u64 body length      (little-endian)
/// body: the script's identity (device, inode, size, times), the CRC-32s of its first and last 64 KiB, the
///       running binary's identity, the script's real path; flags; the archive header's fields; the TOC as
///       archive 1.16 stores it (every field, the data offset in the script); the data ranges
///       (dump ID, kind, start, end)
/// ```
///
/// Integers and strings in the body are pg_dump's (`WriteInt`, `WriteStr`), so the TOC is read back by the same
/// parser as an archive's, with the same limits. Any change to what the indexer produces must raise
/// `formatVersion`; a new build of pgdumpkit ignores older indexes anyway (the binary's identity is recorded).
package enum PlainIndexFile {
    /// Why an index file was not used.
    package struct Problem: Error {
        package var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    static let magic: [UInt8] = Array("PGDKPIX\n".utf8)
    static let formatVersion: UInt32 = 1
    /// Magic, version, CRC-32 and body length.
    package static let prefixSize = 24
    /// The largest index file read for a script of `scriptSize` bytes. An index holds the script's definitions
    /// and, per entry, less than its header comment takes in the script; a larger file is not read.
    static func maximumSize(forScriptOf scriptSize: Int64) -> Int64 {
        min(1 << 30, scriptSize.multipliedReportingOverflow(by: 4).overflow ? .max : scriptSize * 4 + (1 << 20))
    }
    private static let layout = IntegerLayout.current
    /// The TOC is written as archive 1.16 writes it, whatever the script's version: no field is left out.
    private static let tocHeader = ArchiveHeader(
        version: .v1_16, formatByte: ArchiveFormat.plain.headerFormatByte, compression: CompressionSpec(algorithm: .none),
        creationTime: nil, databaseName: nil, serverVersion: nil, pgDumpVersion: nil)

    // MARK: - Encoding

    /// The file's bytes, or `nil` when the index is one not to cache (the script is truncated, the pass warned,
    /// or the index would not read back identical).
    static func encode(_ index: PlainScriptIndex, for script: CachedScript, limits: ArchiveLimits) -> [UInt8]? {
        guard index.truncation == nil, index.warnings.isEmpty,
            index.dataRanges.values.allSatisfy({ $0.truncation == nil })
        else { return nil }
        var body = ArchiveEncoder(layout: layout)
        writeIdentity(script.identity, to: &body)
        writeUInt32(script.headCRC, to: &body)
        writeUInt32(script.tailCRC, to: &body)
        body.writeByte(script.executable == nil ? 0 : 1)
        writeIdentity(script.executable ?? FileIdentity(
            device: 0, inode: 0, size: 0, modificationSeconds: 0, modificationNanoseconds: 0, changeSeconds: 0,
            changeNanoseconds: 0), to: &body)
        body.writePGString(ArchiveText(script.path))
        body.writeByte(
            (index.hasDumpIDs ? 1 : 0) | (index.recordsDropStatements ? 2 : 0) | (index.recordsDatabaseCreation ? 4 : 0))

        let header = index.header
        body.writeBytes([header.version.major, header.version.minor, header.version.revision])
        body.writeBytes([header.intSize, header.offSize, header.formatByte, header.compression.algorithm.rawValue])
        body.writeByte(header.compression.storedLevel == nil ? 0 : 1)
        body.writePGInt(header.compression.storedLevel ?? 0)
        if let time = header.creationTime {
            body.writeByte(1)
            for field in [time.second, time.minute, time.hour, time.dayOfMonth, time.month, time.yearsSince1900, time.isDST] {
                body.writePGInt(field)
            }
        } else {
            body.writeByte(0)
        }
        body.writePGString(header.databaseName)
        body.writePGString(header.serverVersion)
        body.writePGString(header.pgDumpVersion)

        var locatable = true
        body.writeBytes(TOCWriter.encodeTOC(index.entries, header: tocHeader) { entry, encoder in
            switch entry.dataLocation {
            case .none: encoder.writePGOffset(.noData)
            case .offset(let offset): encoder.writePGOffset(.set(offset))
            default:
                locatable = false
                encoder.writePGOffset(.notSet)
            }
        })
        guard locatable else { return nil }
        body.writePGInt(Int32(index.dataRanges.count))
        for (dumpID, range) in index.dataRanges.sorted(by: { $0.key < $1.key }) {
            body.writePGInt(dumpID)
            body.writeByte(kindCode(range.kind))
            for value in [range.start, range.end, range.scriptOffset] { writeUInt64(UInt64(bitPattern: value), to: &body) }
        }

        var file = ArchiveEncoder(layout: layout)
        file.writeBytes(magic)
        writeUInt32(formatVersion, to: &file)
        writeUInt32(body.bytes.withUnsafeBytes { Checksum.crc32($0) }, to: &file)
        writeUInt64(UInt64(body.bytes.count), to: &file)
        file.writeBytes(body.bytes)
        // Only what reads back as it was is cached.
        guard let decoded = try? decode(file.bytes, for: script, limits: limits), decoded.matches(index) else { return nil }
        return file.bytes
    }

    private static func kindCode(_ kind: PlainDataRange.Kind) -> UInt8 {
        switch kind {
        case .copy: return 0
        case .inserts: return 1
        case .largeObjects: return 2
        }
    }

    private static func writeUInt32(_ value: UInt32, to encoder: inout ArchiveEncoder) {
        withUnsafeBytes(of: value.littleEndian) { encoder.writeBytes($0) }
    }

    private static func writeUInt64(_ value: UInt64, to encoder: inout ArchiveEncoder) {
        withUnsafeBytes(of: value.littleEndian) { encoder.writeBytes($0) }
    }

    private static func writeIdentity(_ identity: FileIdentity, to encoder: inout ArchiveEncoder) {
        for value in [
            identity.device, identity.inode, UInt64(bitPattern: identity.size),
            UInt64(bitPattern: identity.modificationSeconds), UInt64(bitPattern: identity.modificationNanoseconds),
            UInt64(bitPattern: identity.changeSeconds), UInt64(bitPattern: identity.changeNanoseconds),
        ] {
            writeUInt64(value, to: &encoder)
        }
    }

    // MARK: - Decoding

    /// Throws why `bytes` are not an intact index of `script` as it is now, if they are not.
    package static func check(_ bytes: [UInt8], for script: CachedScript, limits: ArchiveLimits = .default) throws {
        _ = try decode(bytes, for: script, limits: limits)
    }

    /// The index in `bytes`, when they are an intact index of `script` as it is now; otherwise throws the
    /// reason (`Problem`, or the TOC parser's `PGDumpError`).
    static func decode(_ bytes: [UInt8], for script: CachedScript, limits: ArchiveLimits) throws -> PlainScriptIndex {
        guard bytes.count >= prefixSize, bytes.starts(with: magic) else { throw Problem("not an index file") }
        let version = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian }
        guard version == formatVersion else { throw Problem("format version \(version), expected \(formatVersion)") }
        let checksum = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian }
        let length = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian }
        guard length == UInt64(bytes.count - prefixSize) else {
            throw Problem("body length \(length), but \(bytes.count - prefixSize) bytes follow")
        }
        let actual = bytes.withUnsafeBytes { Checksum.crc32(UnsafeRawBufferPointer(rebasing: $0[prefixSize...])) }
        guard actual == checksum else { throw Problem("CRC-32 mismatch") }

        // The body is read in place (the array is shared, not copied), through a small buffer.
        let body = MemoryByteSource(bytes, name: "the index")
        try body.seek(to: Int64(prefixSize))
        let reader = BufferedReader(source: body, capacity: 64 << 10)
        guard try readIdentity(reader) == script.identity else {
            throw Problem("the script changed (size, times, device or inode)")
        }
        guard try readUInt32(reader) == script.headCRC, try readUInt32(reader) == script.tailCRC else {
            throw Problem("the script's first or last 64 KiB changed")
        }
        let hasExecutable = try reader.readByte("the index")
        let executable = try readIdentity(reader)
        guard (hasExecutable == 0 ? nil : executable) == script.executable else {
            throw Problem("written by another build of pgdumpkit")
        }
        guard try reader.readPGString(layout, limit: 1 << 16, "the script's path")?.bytes == Array(script.path.utf8) else {
            throw Problem("written for another path")
        }
        let flags = try reader.readByte("the index")
        guard flags & ~7 == 0 else { throw Problem("unknown flags \(flags)") }

        let versionBytes = try [reader.readByte("the header"), reader.readByte("the header"), reader.readByte("the header")]
        let sizes = try [reader.readByte("the header"), reader.readByte("the header"), reader.readByte("the header")]
        guard let algorithm = CompressionAlgorithm(rawValue: try reader.readByte("the header")) else {
            throw Problem("unknown compression")
        }
        let hasLevel = try reader.readByte("the header")
        let level = try reader.readPGInt(layout, "the header")
        var creationTime: CreationTime?
        if try reader.readByte("the header") != 0 {
            var fields: [Int32] = []
            for _ in 0..<7 { fields.append(try reader.readPGInt(layout, "the creation time")) }
            creationTime = CreationTime(
                second: fields[0], minute: fields[1], hour: fields[2], dayOfMonth: fields[3], month: fields[4],
                yearsSince1900: fields[5], isDST: fields[6])
        }
        let stringLimit = limits.maxStringBytes
        let header = ArchiveHeader(
            version: ArchiveVersion(versionBytes[0], versionBytes[1], versionBytes[2]), intSize: sizes[0],
            offSize: sizes[1], formatByte: sizes[2],
            compression: CompressionSpec(algorithm: algorithm, storedLevel: hasLevel == 0 ? nil : level),
            creationTime: creationTime, databaseName: try reader.readPGString(layout, limit: stringLimit, "the header"),
            serverVersion: try reader.readPGString(layout, limit: stringLimit, "the header"),
            pgDumpVersion: try reader.readPGString(layout, limit: stringLimit, "the header"))

        var warnings: [ArchiveWarning] = []
        var settings = ArchiveSessionSettings()
        let entries = try TOCReader.read(
            from: reader, header: tocHeader, limits: limits, warnings: &warnings, settings: &settings,
            dataLocation: .offset)
        guard warnings.isEmpty else { throw Problem("its TOC gives warnings") }

        // Every data range belongs to an entry whose data offset is the range's, and lies inside the script.
        var offsets: [Int32: Int64] = [:]
        for entry in entries {
            switch entry.dataLocation {
            case .none: continue
            case .offset(let offset):
                guard offsets.updateValue(offset, forKey: entry.dumpID) == nil else {
                    throw Problem("dump ID \(entry.dumpID) appears twice")
                }
            default: throw Problem("entry \(entry.dumpID) has no data offset")
            }
        }
        let count = try reader.readPGInt(layout, "the data ranges")
        guard count >= 0, Int(count) == offsets.count else { throw Problem("\(count) data ranges for \(offsets.count) entries with data") }
        let size = script.identity.size
        var ranges: [Int32: PlainDataRange] = [:]
        for _ in 0..<Int(count) {
            let dumpID = try reader.readPGInt(layout, "a data range")
            let kind: PlainDataRange.Kind
            switch try reader.readByte("a data range") {
            case 0: kind = .copy
            case 1: kind = .inserts
            case 2: kind = .largeObjects
            case let code: throw Problem("unknown data kind \(code)")
            }
            let start = Int64(bitPattern: try readUInt64(reader))
            let end = Int64(bitPattern: try readUInt64(reader))
            let scriptOffset = Int64(bitPattern: try readUInt64(reader))
            guard let offset = offsets[dumpID], offset == scriptOffset, ranges[dumpID] == nil else {
                throw Problem("the data range of dump ID \(dumpID) matches no entry")
            }
            guard start >= 0, start <= end, end <= size, scriptOffset >= 0, scriptOffset <= size else {
                throw Problem("the data range \(start)..<\(end) of dump ID \(dumpID) is outside the script's \(size) bytes")
            }
            ranges[dumpID] = PlainDataRange(kind: kind, start: start, end: end, scriptOffset: scriptOffset)
        }
        guard try reader.fill(minimum: 1) == 0 else { throw Problem("bytes after the data ranges") }
        return PlainScriptIndex(
            header: header, entries: entries, settings: settings, dataRanges: ranges, warnings: [],
            hasDumpIDs: flags & 1 != 0, recordsDropStatements: flags & 2 != 0, recordsDatabaseCreation: flags & 4 != 0,
            truncation: nil)
    }

    private static func readUInt32(_ reader: BufferedReader) throws -> UInt32 {
        guard let bytes = try reader.peekBytes(count: 4) else { throw Problem("it ends early") }
        let value = bytes.loadUnaligned(as: UInt32.self).littleEndian
        reader.consume(4)
        return value
    }

    private static func readUInt64(_ reader: BufferedReader) throws -> UInt64 {
        guard let bytes = try reader.peekBytes(count: 8) else { throw Problem("it ends early") }
        let value = bytes.loadUnaligned(as: UInt64.self).littleEndian
        reader.consume(8)
        return value
    }

    private static func readIdentity(_ reader: BufferedReader) throws -> FileIdentity {
        var values: [UInt64] = []
        for _ in 0..<7 { values.append(try readUInt64(reader)) }
        return FileIdentity(
            device: values[0], inode: values[1], size: Int64(bitPattern: values[2]),
            modificationSeconds: Int64(bitPattern: values[3]), modificationNanoseconds: Int64(bitPattern: values[4]),
            changeSeconds: Int64(bitPattern: values[5]), changeNanoseconds: Int64(bitPattern: values[6]))
    }
}

extension PlainScriptIndex {
    /// Whether `other` holds the same header, entries, settings, data ranges and flags (an index read back from
    /// its file must).
    func matches(_ other: PlainScriptIndex) -> Bool {
        header == other.header && entries == other.entries && settings == other.settings
            && hasDumpIDs == other.hasDumpIDs && recordsDropStatements == other.recordsDropStatements
            && recordsDatabaseCreation == other.recordsDatabaseCreation && warnings == other.warnings
            && (truncation == nil) == (other.truncation == nil) && dataRanges.count == other.dataRanges.count
            && dataRanges.allSatisfy { dumpID, range in
                guard let theirs = other.dataRanges[dumpID] else { return false }
                return range.kind == theirs.kind && range.start == theirs.start && range.end == theirs.end
                    && range.scriptOffset == theirs.scriptOffset && range.truncation == nil && theirs.truncation == nil
            }
    }
}
