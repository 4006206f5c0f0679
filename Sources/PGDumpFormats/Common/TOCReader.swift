import PGDumpCore
import PGDumpCodecs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything read from the start of an archive: header, TOC and what its special entries set.
struct TableOfContents {
    var header: ArchiveHeader
    var entries: [TOCEntry]
    var settings: ArchiveSessionSettings
    var warnings: [ArchiveWarning]
}

/// Reads the table of contents shared by all formats. Mirrors `ReadToc`.
enum TOCReader {
    /// What each entry stores after the common fields (`ReadExtraTocPtr`).
    enum DataLocationField {
        /// Custom format: a data offset (and, before 1.7, an unused data length).
        case offset
        /// Directory and tar formats: a file name; empty means no data.
        case fileName
    }

    /// Reads the header, then the TOC, at the reader's position.
    static func readHeaderAndTOC(
        from reader: BufferedReader, expecting format: ArchiveFormat, limits: ArchiveLimits,
        dataLocation: DataLocationField
    ) throws -> TableOfContents {
        var warnings: [ArchiveWarning] = []
        var settings = ArchiveSessionSettings()
        // Small refills while reading the TOC: the data after it is read, if at all, from elsewhere.
        let preferredReadSize = reader.preferredReadSize
        reader.preferredReadSize = min(preferredReadSize, 64 << 10)
        defer { reader.preferredReadSize = preferredReadSize }
        let header = try HeaderReader.read(from: reader, expecting: format, warnings: &warnings)
        let entries = try read(
            from: reader, header: header, limits: limits, warnings: &warnings, settings: &settings,
            dataLocation: dataLocation)
        return TableOfContents(header: header, entries: entries, settings: settings, warnings: warnings)
    }

    /// Reads the entry count and every entry.
    static func read(
        from reader: BufferedReader, header: ArchiveHeader, limits: ArchiveLimits,
        warnings: inout [ArchiveWarning], settings: inout ArchiveSessionSettings, dataLocation: DataLocationField
    ) throws -> [TOCEntry] {
        let layout = header.integerLayout
        let file = reader.source.name
        let countOffset = reader.position
        let count = try reader.readPGInt(layout, "the TOC entry count")
        guard count >= 0 else {
            throw PGDumpError(.corrupt, "negative TOC entry count \(count)", file: file, offset: countOffset)
        }
        guard Int(count) <= limits.maxTOCEntries else {
            throw PGDumpError(
                .limitExceeded, "TOC entry count \(count) exceeds the limit of \(limits.maxTOCEntries)",
                file: file, offset: countOffset)
        }
        // Each entry takes at least a few integers, so the file's size bounds the count before we reserve.
        let minimumEntryBytes = Int64(layout.intSize + 1) * 4
        if let remaining = reader.remainingBytes, Int64(count) * minimumEntryBytes > remaining {
            throw PGDumpError(
                .truncated, "TOC entry count \(count) is more than the remaining \(remaining) bytes can hold",
                file: file, offset: countOffset)
        }
        var entries: [TOCEntry] = []
        // Reserve only what the input can be trusted to hold; a pipe's count is not checked above.
        entries.reserveCapacity(min(Int(count), reader.remainingBytes == nil ? 4096 : Int(count)))
        var parser = EntryParser(
            version: header.version, layout: layout, limits: limits, dataLocation: dataLocation, file: file)
        var warnedAboutOids = false
        for index in 0..<Int(count) {
            let entry = try parser.readEntry(index: index, from: reader)
            // Archives before 1.9 do not say, and pg_restore warns for them too.
            let withOids = header.version < .v1_9 || entry.withOids?.equals("true") == true
            if withOids && !warnedAboutOids {
                // pg_restore warns once per entry; one line says the same.
                warnings.append(ArchiveWarning("restoring tables WITH OIDS is not supported anymore"))
                warnedAboutOids = true
            }
            do {
                // ENCODING, STDSTRINGS and SEARCHPATH are checked as soon as they are read, as ReadToc does.
                try settings.apply(entry)
            } catch let error as PGDumpError {
                throw error.inFile(file).forEntry(entry.dumpID)
            }
            entries.append(entry)
        }
        return entries
    }
}
