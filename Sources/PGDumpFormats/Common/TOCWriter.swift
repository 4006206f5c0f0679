import PGDumpCore
import PGDumpCodecs

/// Writes the header and TOC shared by all formats, for a given archive version. Mirrors `WriteHead` and
/// `WriteToc`: every field is written only when the version has it.
enum TOCWriter {
    /// The header bytes.
    static func encodeHeader(_ header: ArchiveHeader) -> [UInt8] {
        var encoder = ArchiveEncoder(layout: header.integerLayout)
        let version = header.version
        encoder.writeBytes(HeaderReader.magic)
        encoder.writeByte(version.major)
        encoder.writeByte(version.minor)
        if version > .v1_0 { encoder.writeByte(version.revision) }
        encoder.writeByte(header.intSize)
        if version >= .v1_7 { encoder.writeByte(header.offSize) }
        encoder.writeByte(header.formatByte)
        if version >= .v1_15 {
            encoder.writeByte(header.compression.algorithm.rawValue)
        } else if version >= .v1_4 {
            encoder.writePGInt(header.compression.storedLevel ?? 0)
        } else if version >= .v1_2 {
            encoder.writeByte(UInt8(truncatingIfNeeded: header.compression.storedLevel ?? 0))
        }
        if version >= .v1_4 {
            let time = header.creationTime
                ?? CreationTime(second: 0, minute: 0, hour: 0, dayOfMonth: 1, month: 0, yearsSince1900: 70, isDST: 0)
            for field in [time.second, time.minute, time.hour, time.dayOfMonth, time.month, time.yearsSince1900,
                          time.isDST]
            {
                encoder.writePGInt(field)
            }
            encoder.writePGString(header.databaseName)
        }
        if version >= .v1_10 {
            encoder.writePGString(header.serverVersion)
            encoder.writePGString(header.pgDumpVersion)
        }
        return encoder.bytes
    }

    /// The TOC bytes: the entry count and every entry, `encodeDataLocation` writing each entry's format tail.
    static func encodeTOC(
        _ entries: [TOCEntry], header: ArchiveHeader, encodeDataLocation: (TOCEntry, inout ArchiveEncoder) -> Void
    ) -> [UInt8] {
        var encoder = ArchiveEncoder(layout: header.integerLayout)
        let version = header.version
        encoder.writePGInt(Int32(entries.count))
        for entry in entries {
            encoder.writePGInt(entry.dumpID)
            encoder.writePGInt(entry.hadDumper ? 1 : 0)
            if version >= .v1_8 { encoder.writePGString(entry.tableOIDText) }
            encoder.writePGString(entry.oidText)
            encoder.writePGString(entry.tag)
            encoder.writePGString(entry.desc)
            if version >= .v1_11 { encoder.writePGInt(entry.section.rawValue) }
            encoder.writePGString(entry.defn)
            encoder.writePGString(entry.dropStmt)
            if version >= .v1_3 { encoder.writePGString(entry.copyStmt) }
            if version >= .v1_6 { encoder.writePGString(entry.namespace) }
            if version >= .v1_10 { encoder.writePGString(entry.tablespace) }
            if version >= .v1_14 { encoder.writePGString(entry.tableam) }
            if version >= .v1_16 { encoder.writePGInt(entry.relkind) }
            encoder.writePGString(entry.owner)
            if version >= .v1_9 { encoder.writePGString(entry.withOids ?? "false") }
            if version >= .v1_5 {
                for dependency in entry.dependencies { encoder.writePGString(ArchiveText("\(dependency)")) }
                encoder.writePGString(nil)
            }
            encodeDataLocation(entry, &encoder)
        }
        return encoder.bytes
    }

    /// The header and TOC of the formats that name data members (directory `toc.dat`, tar's `toc.dat` member):
    /// each entry ends with its data file's name, empty when it has no data (`_WriteExtraToc`).
    static func encodeWithFileNames(_ entries: [TOCEntry], header: ArchiveHeader) -> [UInt8] {
        encodeHeader(header) + encodeTOC(entries, header: header) { entry, encoder in
            if case .file(let name) = entry.dataLocation {
                encoder.writePGString(name)
            } else {
                encoder.writePGString(ArchiveText(bytes: []))
            }
        }
    }
}
