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

/// Parses TOC entries, one layout for two sources of fields: the bytes already in the reader's buffer (the fast
/// path, `BufferedFields`) and the reader itself (`ReaderFields`), which refills and reports every problem.
struct EntryParser {
    /// The fields the archive's version stores, decided once rather than per entry.
    let stores: StoredFields
    let layout: IntegerLayout
    let limits: ArchiveLimits
    let dataLocation: TOCReader.DataLocationField
    let file: String
    /// The last value of each field that often repeats, shared by the entries that store the same bytes: a
    /// TOC of thousands of entries holds a few owners, schemas and types, and one copy of each is enough.
    var recent = RecentValues()
    /// Dependencies of the entry being read, collected here so that each entry's list is allocated once.
    var dependencies: [Int32] = []

    /// Which of the fields added over the versions an archive stores.
    struct StoredFields {
        var tableOID, copyStmt, namespace, dependencies, dataLength, withOids, tablespace, section, tableam, relkind: Bool

        init(_ version: ArchiveVersion) {
            copyStmt = version >= .v1_3
            dependencies = version >= .v1_5
            namespace = version >= .v1_6
            dataLength = version < .v1_7
            tableOID = version >= .v1_8
            withOids = version >= .v1_9
            tablespace = version >= .v1_10
            section = version >= .v1_11
            tableam = version >= .v1_14
            relkind = version >= .v1_16
        }
    }

    struct RecentValues {
        var tableOID: ArchiveText?
        var desc: ArchiveText?
        var namespace: ArchiveText?
        var tablespace: ArchiveText?
        var tableam: ArchiveText?
        var owner: ArchiveText?
        var withOids: ArchiveText?
    }

    init(
        version: ArchiveVersion, layout: IntegerLayout, limits: ArchiveLimits,
        dataLocation: TOCReader.DataLocationField, file: String
    ) {
        self.stores = StoredFields(version)
        self.layout = layout
        self.limits = limits
        self.dataLocation = dataLocation
        self.file = file
    }

    /// Reads the entry at the reader's position: from the buffered bytes when they hold all of it (refilling
    /// a couple of times while it can fit in the buffer), otherwise field by field through the reader.
    mutating func readEntry(index: Int, from reader: BufferedReader) throws -> TOCEntry {
        // Each refill restarts the entry; a pipe that delivers little at a time would make a huge entry of
        // small fields restart again and again, so after two the careful path takes over.
        var refills = 0
        while true {
            var fields = BufferedFields(bytes: reader.bufferedBytes, origin: reader.position)
            do {
                let entry = try readEntry(index: index, from: &fields)
                reader.consume(fields.offset)
                return entry
            } catch let stop as BufferedFields.Stop {
                guard refills < 2, case .needsBytes(let needed) = stop, needed <= reader.capacity,
                    try reader.fill(minimum: needed) >= needed
                else { break }
                refills += 1
            }
        }
        var fields = ReaderFields(reader: reader)
        return try readEntry(index: index, from: &fields)
    }

    /// A copy with no spare capacity, so that the scratch array stays with the parser.
    private func exactCopy(of values: [Int32]) -> [Int32] {
        if values.isEmpty { return [] }
        return [Int32](unsafeUninitializedCapacity: values.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: values)
        }
    }

    /// One entry's fields, in `ReadToc`'s order.
    private mutating func readEntry<Fields: TOCFields>(index: Int, from fields: inout Fields) throws -> TOCEntry {
        let entryOffset = fields.position
        let dumpID = try fields.readInt(layout, "the dump ID of TOC entry \(index + 1)")
        guard dumpID > 0 else {
            throw PGDumpError(
                .corrupt, "entry ID \(dumpID) out of range -- perhaps a corrupt TOC", file: file, offset: entryOffset)
        }
        do {
            let stringLimit = limits.maxStringBytes
            let hadDumper = try fields.readInt(layout, "TOC entry \(dumpID)") != 0
            let tableOID = stores.tableOID
                ? try fields.readString(layout, limit: stringLimit, reusing: &recent.tableOID, "TOC entry \(dumpID)")
                : nil
            let oid = try fields.readString(layout, limit: stringLimit, "TOC entry \(dumpID)")
            let tag = try fields.readString(layout, limit: stringLimit, "TOC entry \(dumpID)")
            let descOffset = fields.position
            guard let desc = try fields.readString(
                layout, limit: stringLimit, reusing: &recent.desc, "TOC entry \(dumpID)")
            else {
                throw PGDumpError(.corrupt, "entry type is NULL", file: file, offset: descOffset)
            }
            var section: Section
            var sectionIsStored = false
            if stores.section {
                section = Section(rawValue: try fields.readInt(layout, "TOC entry \(dumpID)"))
                sectionIsStored = true
            } else {
                section = Section.inferred(fromDesc: desc)
            }
            let defn = try fields.readString(layout, limit: stringLimit, "TOC entry \(dumpID)")
            let dropStmt = try fields.readString(layout, limit: stringLimit, "TOC entry \(dumpID)")
            let copyStmt = stores.copyStmt
                ? try fields.readString(layout, limit: stringLimit, "TOC entry \(dumpID)") : nil
            let namespace = stores.namespace
                ? try fields.readString(layout, limit: stringLimit, reusing: &recent.namespace, "TOC entry \(dumpID)")
                : nil
            let tablespace = stores.tablespace
                ? try fields.readString(layout, limit: stringLimit, reusing: &recent.tablespace, "TOC entry \(dumpID)")
                : nil
            let tableam = stores.tableam
                ? try fields.readString(layout, limit: stringLimit, reusing: &recent.tableam, "TOC entry \(dumpID)")
                : nil
            let relkind = stores.relkind ? try fields.readInt(layout, "TOC entry \(dumpID)") : 0
            let owner = try fields.readString(layout, limit: stringLimit, reusing: &recent.owner, "TOC entry \(dumpID)")
            let withOids = stores.withOids
                ? try fields.readString(layout, limit: stringLimit, reusing: &recent.withOids, "TOC entry \(dumpID)")
                : nil
            dependencies.removeAll(keepingCapacity: true)
            if stores.dependencies {
                while let dependency = try fields.readDependency(layout, "TOC entry \(dumpID)") {
                    guard dependencies.count < limits.maxDependencies else {
                        throw PGDumpError(
                            .limitExceeded, "more than \(limits.maxDependencies) dependencies", file: file,
                            offset: fields.position)
                    }
                    dependencies.append(dependency)
                }
            }
            let location: DataLocation
            switch dataLocation {
            case .offset:
                let offset = try fields.readOffset(layout, "a data offset")
                if stores.dataLength {
                    _ = try fields.readInt(layout, "a data length")  // stored before 1.7, never used
                }
                switch offset {
                case .noData: location = .none
                case .notSet: location = .offsetNotSet
                case .set(let position): location = .offset(position)
                }
            case .fileName:
                if let name = try fields.readString(layout, limit: 4096, "a data file name"), !name.isEmpty {
                    location = .file(name)
                } else {
                    location = .none
                }
            }
            return TOCEntry(
                dumpID: dumpID, hadDumper: hadDumper, tableOIDText: tableOID, oidText: oid, tag: tag, desc: desc,
                section: section, sectionIsStored: sectionIsStored, defn: defn, dropStmt: dropStmt,
                copyStmt: copyStmt, namespace: namespace, tablespace: tablespace, tableam: tableam,
                relkind: relkind, owner: owner, withOids: withOids,
                dependencies: exactCopy(of: dependencies), dataLocation: location)
        } catch let error as PGDumpError {
            throw error.inFile(file).forEntry(dumpID)
        }
    }
}

/// The archive primitives a TOC entry is made of.
protocol TOCFields {
    /// The archive offset of the next field.
    var position: Int64 { get }
    mutating func readInt(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32
    /// A string; when `recent` holds the same bytes, that value itself, else a new one that replaces it.
    mutating func readString(
        _ layout: IntegerLayout, limit: Int, reusing recent: inout ArchiveText?, _ what: @autoclosure () -> String
    ) throws -> ArchiveText?
    /// One dependency, a dump ID stored as text and parsed as `sscanf("%d")` does (0 with no digits); `nil` at
    /// the NULL string that ends the list.
    mutating func readDependency(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32?
    mutating func readOffset(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> StoredOffset
}

extension TOCFields {
    /// A string that rarely repeats.
    mutating func readString(
        _ layout: IntegerLayout, limit: Int, _ what: @autoclosure () -> String
    ) throws -> ArchiveText? {
        var unused: ArchiveText?
        return try readString(layout, limit: limit, reusing: &unused, what())
    }
}

/// Fields read through the `BufferedReader`: refills as needed and throws the error pg_restore would report.
struct ReaderFields: TOCFields {
    let reader: BufferedReader

    var position: Int64 { reader.position }

    func readInt(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32 {
        try reader.readPGInt(layout, what())
    }

    func readString(
        _ layout: IntegerLayout, limit: Int, reusing recent: inout ArchiveText?, _ what: @autoclosure () -> String
    ) throws -> ArchiveText? {
        guard let text = try reader.readPGString(layout, limit: limit, what()) else { return nil }
        if text == recent { return recent }
        recent = text
        return text
    }

    func readDependency(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32? {
        try reader.readPGString(layout, limit: 64, what()).map { $0.scannedInt32 ?? 0 }
    }

    func readOffset(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> StoredOffset {
        try reader.readPGOffset(layout, what())
    }
}

/// Fields parsed straight from bytes in memory, with no refills and no bookkeeping. It never reports a problem:
/// it stops where the bytes run out or a value is out of the ordinary, and the entry is then read again
/// through the reader, which refills and throws the exact error.
struct BufferedFields: TOCFields {
    let bytes: UnsafeRawBufferPointer
    /// The archive offset of `bytes[0]`.
    let origin: Int64
    /// Bytes parsed so far.
    var offset = 0

    enum Stop: Error {
        /// The entry needs at least this many bytes from the start of `bytes`.
        case needsBytes(Int)
        /// A value the reader should read, to report it or to handle a rare layout.
        case unusual
    }

    var position: Int64 { origin + Int64(offset) }

    mutating func readInt(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32 {
        let width = layout.intWidth
        guard width <= bytes.count - offset else { throw Stop.needsBytes(offset + width) }
        guard case .value(let value) = layout.decodeInt(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + width)]))
        else { throw Stop.unusual }
        offset += width
        return value
    }

    /// The bytes of a string, up to an embedded NUL as pg reads them; `nil` for NULL.
    private mutating func readStringBytes(
        _ layout: IntegerLayout, limit: Int, _ what: () -> String
    ) throws -> UnsafeRawBufferPointer? {
        let length = try readInt(layout, what())
        if length < 0 { return nil }
        let count = Int(length)
        guard count <= limit else { throw Stop.unusual }
        guard count <= bytes.count - offset else { throw Stop.needsBytes(offset + count) }
        var stored = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        if count > 0, let nul = memchr(stored.baseAddress!, 0, count) {
            stored = UnsafeRawBufferPointer(rebasing: stored[..<(UnsafeRawPointer(nul) - stored.baseAddress!)])
        }
        return stored
    }

    mutating func readString(
        _ layout: IntegerLayout, limit: Int, reusing recent: inout ArchiveText?, _ what: @autoclosure () -> String
    ) throws -> ArchiveText? {
        guard let stored = try readStringBytes(layout, limit: limit, what) else { return nil }
        if stored.isEmpty { return ArchiveText(bytes: []) }
        if let recent, recent.count == stored.count,
            recent.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, stored.baseAddress!, stored.count) == 0 })
        {
            return recent
        }
        let text = ArchiveText(bytes: [UInt8](stored))
        recent = text
        return text
    }

    mutating func readDependency(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> Int32? {
        try readStringBytes(layout, limit: 64, what).map { ArchiveText.scanInt32($0) ?? 0 }
    }

    /// The offset layout of every pg_dump since 8.1 (1.7+, offsets of at most 8 bytes); older or odder ones, and
    /// unknown flags, are left to `readPGOffset`.
    mutating func readOffset(_ layout: IntegerLayout, _ what: @autoclosure () -> String) throws -> StoredOffset {
        guard layout.hasOffsetFlags, layout.offSize <= 8 else { throw Stop.unusual }
        let width = 1 + layout.offSize
        guard width <= bytes.count - offset else { throw Stop.needsBytes(offset + width) }
        var value: UInt64 = 0
        for index in 0..<layout.offSize {
            value |= UInt64(bytes[offset + 1 + index]) << UInt64(index * 8)
        }
        let result: StoredOffset
        switch bytes[offset] {
        case 1: result = .notSet
        case 2 where value <= UInt64(Int64.max): result = .set(Int64(value))
        case 3: result = .noData
        default: throw Stop.unusual
        }
        offset += width
        return result
    }
}
