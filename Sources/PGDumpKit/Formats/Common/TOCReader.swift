/// Everything read from the start of an archive: header, TOC and what its special entries set.
struct TableOfContents {
    var header: ArchiveHeader
    var entries: [TOCEntry]
    var settings: ArchiveSessionSettings
    var warnings: [ArchiveWarning]
}

/// Reads the table of contents shared by all formats. Mirrors `ReadToc`.
enum TOCReader {
    /// Reads the header, then the TOC, at the reader's position; `readDataLocation` reads each entry's
    /// format-specific tail, given the header.
    static func readHeaderAndTOC(
        from reader: BufferedReader, expecting format: ArchiveFormat, limits: ArchiveLimits,
        readDataLocation: (ArchiveHeader) -> (BufferedReader, IntegerLayout) throws -> DataLocation
    ) throws -> TableOfContents {
        var warnings: [ArchiveWarning] = []
        var settings = ArchiveSessionSettings()
        let header = try HeaderReader.read(from: reader, expecting: format, warnings: &warnings)
        let entries = try read(
            from: reader, header: header, limits: limits, warnings: &warnings, settings: &settings,
            readDataLocation: readDataLocation(header))
        return TableOfContents(header: header, entries: entries, settings: settings, warnings: warnings)
    }

    /// Reads the entry count and every entry; `readDataLocation` reads the format-specific tail of each entry
    /// (`ReadExtraTocPtr`).
    static func read(
        from reader: BufferedReader, header: ArchiveHeader, limits: ArchiveLimits,
        warnings: inout [ArchiveWarning], settings: inout ArchiveSessionSettings,
        readDataLocation: (BufferedReader, IntegerLayout) throws -> DataLocation
    ) throws -> [TOCEntry] {
        let layout = header.integerLayout
        let version = header.version
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
        entries.reserveCapacity(min(Int(count), 4096))
        var warnedAboutOids = false
        let stringLimit = limits.maxStringBytes
        for index in 0..<Int(count) {
            let entryOffset = reader.position
            let dumpID = try reader.readPGInt(layout, "the dump ID of TOC entry \(index + 1)")
            guard dumpID > 0 else {
                throw PGDumpError(
                    .corrupt, "entry ID \(dumpID) out of range -- perhaps a corrupt TOC", file: file,
                    offset: entryOffset)
            }
            do {
                let what = "TOC entry \(dumpID)"
                let hadDumper = try reader.readPGInt(layout, what) != 0
                let tableOID = version >= .v1_8 ? try reader.readPGString(layout, limit: stringLimit, what) : nil
                let oid = try reader.readPGString(layout, limit: stringLimit, what)
                let tag = try reader.readPGString(layout, limit: stringLimit, what)
                let descOffset = reader.position
                guard let desc = try reader.readPGString(layout, limit: stringLimit, what) else {
                    throw PGDumpError(.corrupt, "entry type is NULL", file: file, offset: descOffset)
                }
                var section: Section
                var sectionIsStored = false
                if version >= .v1_11 {
                    section = Section(rawValue: try reader.readPGInt(layout, what))
                    sectionIsStored = true
                } else {
                    section = Section.inferred(fromDesc: desc)
                }
                let defn = try reader.readPGString(layout, limit: stringLimit, what)
                let dropStmt = try reader.readPGString(layout, limit: stringLimit, what)
                let copyStmt = version >= .v1_3 ? try reader.readPGString(layout, limit: stringLimit, what) : nil
                let namespace = version >= .v1_6 ? try reader.readPGString(layout, limit: stringLimit, what) : nil
                let tablespace = version >= .v1_10 ? try reader.readPGString(layout, limit: stringLimit, what) : nil
                let tableam = version >= .v1_14 ? try reader.readPGString(layout, limit: stringLimit, what) : nil
                let relkind = version >= .v1_16 ? try reader.readPGInt(layout, what) : 0
                let owner = try reader.readPGString(layout, limit: stringLimit, what)
                var withOids: ArchiveText?
                var supported = version >= .v1_9
                if version >= .v1_9 {
                    withOids = try reader.readPGString(layout, limit: stringLimit, what)
                    if withOids?.equals("true") == true { supported = false }
                }
                if !supported && !warnedAboutOids {
                    // pg_restore warns once per entry; one line says the same.
                    warnings.append(ArchiveWarning("restoring tables WITH OIDS is not supported anymore"))
                    warnedAboutOids = true
                }
                var dependencies: [Int32] = []
                if version >= .v1_5 {
                    while let dependency = try reader.readPGString(layout, limit: 64, what) {
                        guard dependencies.count < limits.maxDependencies else {
                            throw PGDumpError(
                                .limitExceeded,
                                "more than \(limits.maxDependencies) dependencies", file: file, offset: reader.position)
                        }
                        // sscanf("%d") leaves the value at 0 when there are no digits.
                        dependencies.append(dependency.scannedInt32 ?? 0)
                    }
                }
                let dataLocation = try readDataLocation(reader, layout)
                let entry = TOCEntry(
                        dumpID: dumpID, hadDumper: hadDumper, tableOIDText: tableOID, oidText: oid, tag: tag,
                        desc: desc, section: section, sectionIsStored: sectionIsStored, defn: defn,
                        dropStmt: dropStmt, copyStmt: copyStmt, namespace: namespace, tablespace: tablespace,
                        tableam: tableam, relkind: relkind, owner: owner, withOids: withOids,
                        dependencies: dependencies, dataLocation: dataLocation)
                // ENCODING, STDSTRINGS and SEARCHPATH are checked as soon as they are read, as ReadToc does.
                try settings.apply(entry)
                entries.append(entry)
            } catch let error as PGDumpError {
                throw error.inFile(file).forEntry(dumpID)
            }
        }
        return entries
    }

    /// The directory and tar formats store a file name per entry; empty means no data. Mirrors their
    /// `_ReadExtraToc`.
    static func readFileName(from reader: BufferedReader, layout: IntegerLayout) throws -> DataLocation {
        guard let name = try reader.readPGString(layout, limit: 4096, "a data file name"), !name.isEmpty else {
            return .none
        }
        return .file(name)
    }
}
