import PGDumpCore
import PGDumpCodecs

#if canImport(Glibc)
import Glibc
#endif

/// Reads the archive header shared by all formats. Mirrors `ReadHead`.
enum HeaderReader {
    static let magic: [UInt8] = Array("PGDMP".utf8)

    /// Whether `mktime` accepts the stored date, first with its DST flag, then letting mktime decide, as
    /// `ReadHead` tries it before warning.
    static func isRepresentable(_ fields: [Int32]) -> Bool {
        var time = tm()
        time.tm_sec = fields[0]
        time.tm_min = fields[1]
        time.tm_hour = fields[2]
        time.tm_mday = fields[3]
        time.tm_mon = fields[4]
        time.tm_year = fields[5]
        time.tm_isdst = fields[6]
        var first = time
        if mktime(&first) != -1 { return true }
        time.tm_isdst = -1
        return mktime(&time) != -1
    }

    /// Reads the header at the reader's position, checking the magic and the format byte.
    static func read(
        from reader: BufferedReader, expecting format: ArchiveFormat, warnings: inout [ArchiveWarning]
    ) throws -> ArchiveHeader {
        let file = reader.source.name
        guard let magicBytes = try reader.peekBytes(count: 5) else { throw reader.truncated("the archive header") }
        guard magicBytes.elementsEqual(magic) else {
            throw PGDumpError(.notAnArchive, "did not find magic string in file header", file: file, offset: reader.position)
        }
        reader.consume(5)
        let versionOffset = reader.position
        let major = try reader.readByte("the archive version")
        let minor = try reader.readByte("the archive version")
        let revision: UInt8 = (major > 1 || (major == 1 && minor > 0)) ? try reader.readByte("the archive version") : 0
        let version = ArchiveVersion(major, minor, revision)
        guard version >= .oldestReadable, version <= .newestReadable else {
            throw PGDumpError(
                .unsupportedVersion, "unsupported version (\(major).\(minor)) in file header", file: file,
                offset: versionOffset)
        }
        let intSize = try reader.readByte("the integer size")
        guard intSize <= 32 else {
            throw PGDumpError(.corrupt, "sanity check on integer size (\(intSize)) failed", file: file)
        }
        guard intSize >= 1 else {
            throw PGDumpError(.corrupt, "integer size 0 in file header", file: file)
        }
        if intSize > 4 {
            warnings.append(ArchiveWarning("archive was made on a machine with larger integers, some operations might fail"))
        }
        let offSize = version >= .v1_7 ? try reader.readByte("the offset size") : intSize
        guard offSize >= 1 else { throw PGDumpError(.corrupt, "offset size 0 in file header", file: file) }
        let formatOffset = reader.position
        let formatByte = try reader.readByte("the format byte")
        guard formatByte == format.headerFormatByte else {
            throw PGDumpError(
                .corrupt,
                "expected format (\(format.headerFormatByte)) differs from format found in file (\(formatByte))",
                file: file, offset: formatOffset)
        }
        let layout = IntegerLayout(
            intSize: Int(intSize), offSize: Int(offSize), hasSignByte: version > .v1_0,
            hasOffsetFlags: version >= .v1_7)

        let compression: CompressionSpec
        if version >= .v1_15 {
            let algorithmOffset = reader.position
            let byte = try reader.readByte("the compression algorithm")
            guard let algorithm = CompressionAlgorithm(rawValue: byte) else {
                throw PGDumpError(.corrupt, "unknown compression algorithm \(byte) in file header", file: file,
                                  offset: algorithmOffset)
            }
            compression = CompressionSpec(algorithm: algorithm)
        } else if version >= .v1_2 {
            let level: Int32 = version < .v1_4
                ? Int32(try reader.readByte("the compression level"))
                : try reader.readPGInt(layout, "the compression level")
            compression = CompressionSpec(algorithm: level != 0 ? .gzip : .none, storedLevel: level)
        } else {
            compression = CompressionSpec(algorithm: .gzip)
        }

        var creationTime: CreationTime?
        var databaseName: ArchiveText?
        if version >= .v1_4 {
            var fields: [Int32] = []
            for _ in 0..<7 { fields.append(try reader.readPGInt(layout, "the creation time")) }
            creationTime = CreationTime(
                second: fields[0], minute: fields[1], hour: fields[2], dayOfMonth: fields[3], month: fields[4],
                yearsSince1900: fields[5], isDST: fields[6])
            if !Self.isRepresentable(fields) {
                warnings.append(ArchiveWarning("invalid creation date in header"))
            }
            databaseName = try reader.readPGString(layout, limit: 1 << 20, "the database name")
        }
        var serverVersion: ArchiveText?
        var pgDumpVersion: ArchiveText?
        if version >= .v1_10 {
            serverVersion = try reader.readPGString(layout, limit: 1 << 20, "the server version")
            pgDumpVersion = try reader.readPGString(layout, limit: 1 << 20, "the pg_dump version")
        }
        return ArchiveHeader(
            version: version, intSize: intSize, offSize: offSize, formatByte: formatByte, compression: compression,
            creationTime: creationTime, databaseName: databaseName, serverVersion: serverVersion,
            pgDumpVersion: pgDumpVersion)
    }
}

extension ArchiveHeader {
    /// How this archive stores integers and offsets.
    package var integerLayout: IntegerLayout {
        IntegerLayout(
            intSize: Int(intSize), offSize: Int(offSize), hasSignByte: version > .v1_0,
            hasOffsetFlags: version >= .v1_7)
    }
}
