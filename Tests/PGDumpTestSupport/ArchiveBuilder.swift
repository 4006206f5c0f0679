import PGDumpKit

/// Writes small custom-format archives byte by byte, for any archive version, so that tests can exercise the
/// version gates (and hostile inputs) that no installed pg_dump writes any more. Data is stored uncompressed.
///
/// This is test scaffolding, not the library's writer: it writes exactly what it is told, valid or not.
public struct ArchiveBuilder {
    public var header: ArchiveHeader
    /// The entries and, for those with data, the bytes of their single data chunk.
    public var entries: [(entry: TOCEntry, data: [UInt8]?)]
    /// The version whose TOC entry layout is written, when it should differ from the header's: lets a test write
    /// entries that lack a field the header's version stores, or carry one it does not. `nil`: the header's.
    public var tocVersion: ArchiveVersion?
    /// Whether the data offsets are recorded in the TOC. `false` writes what pg_dump writes to a pipe:
    /// `K_OFFSET_POS_NOT_SET` (1.7+) or -1 (before 1.7) for every entry with data.
    public var recordsOffsets = true
    /// Entries whose data block is a `BLK_BLOBS` block holding these large objects (each as one chunk, none for
    /// an empty one), instead of a `BLK_DATA` block; such an entry gets a block whatever its `data` is.
    public var largeObjects: [Int32: [(oid: UInt32, bytes: [UInt8])]] = [:]

    public init(version: ArchiveVersion, databaseName: String = "olddb", entries: [(TOCEntry, [UInt8]?)]) {
        header = ArchiveHeader(
            version: version, intSize: 4, offSize: version >= .v1_7 ? 8 : 4, formatByte: 1,
            compression: CompressionSpec(algorithm: .none, storedLevel: version < .v1_15 ? 0 : nil),
            creationTime: CreationTime(
                second: 5, minute: 4, hour: 3, dayOfMonth: 2, month: 0, yearsSince1900: 125, isDST: 0),
            databaseName: ArchiveText(databaseName), serverVersion: "9.6.24", pgDumpVersion: "9.6.24")
        self.entries = entries.map { (entry: $0.0, data: $0.1) }
    }

    var layout: IntegerLayout { header.integerLayout }

    /// The length of the header alone for a version, as the builder writes it.
    public static func headerLength(version: ArchiveVersion) -> Int {
        var builder = ArchiveBuilder(version: version, entries: [])
        builder.entries = []
        return builder.build().count - 5  // less the entry count
    }

    /// A directory archive's toc.dat: header and TOC with each entry's data file name (`dataLocation`).
    public func buildTOCFile(entries tocEntries: [TOCEntry]) -> [UInt8] {
        var copy = self
        copy.entries = tocEntries.map { (entry: $0, data: nil) }
        return copy.writeHeaderAndTOC(offsets: [:], fileNames: true)
    }

    /// The archive's bytes: header, TOC with offsets, data blocks.
    public func build() -> [UInt8] {
        // Two passes: the TOC's length does not depend on the offset values, so measure, then write.
        let headerAndTOC = writeHeaderAndTOC(offsets: [:])
        var offsets: [Int32: Int64] = [:]
        var position = Int64(headerAndTOC.count)
        var blocks: [UInt8] = []
        for (entry, data) in entries {
            let objects = largeObjects[entry.dumpID]
            guard data != nil || objects != nil else { continue }
            offsets[entry.dumpID] = position
            var block: [UInt8] = []
            if header.version >= .v1_3 { block.append(objects == nil ? 1 : 3) }
            appendInt(entry.dumpID, to: &block)
            if let objects {
                // _StartLOs/_StartLO/_EndLO/_EndLOs: each object's OID, its chunks, a zero length; a zero OID.
                for object in objects {
                    appendInt(Int32(bitPattern: object.oid), to: &block)
                    if !object.bytes.isEmpty {
                        appendInt(Int32(object.bytes.count), to: &block)
                        block.append(contentsOf: object.bytes)
                    }
                    appendInt(0, to: &block)
                }
            } else if let data, !data.isEmpty {
                appendInt(Int32(data.count), to: &block)
                block.append(contentsOf: data)
            }
            appendInt(0, to: &block)
            blocks.append(contentsOf: block)
            position += Int64(block.count)
        }
        return writeHeaderAndTOC(offsets: offsets) + blocks
    }

    private func writeHeaderAndTOC(offsets: [Int32: Int64], fileNames: Bool = false) -> [UInt8] {
        var out = Array("PGDMP".utf8)
        let version = header.version
        out.append(version.major)
        out.append(version.minor)
        if version > .v1_0 { out.append(version.revision) }
        out.append(header.intSize)
        if version >= .v1_7 { out.append(header.offSize) }
        out.append(header.formatByte)
        if version >= .v1_15 {
            out.append(header.compression.algorithm.rawValue)
        } else if version >= .v1_4 {
            appendInt(header.compression.storedLevel ?? 0, to: &out)
        } else if version >= .v1_2 {
            out.append(UInt8(truncatingIfNeeded: header.compression.storedLevel ?? 0))
        }
        if version >= .v1_4, let time = header.creationTime {
            for field in [time.second, time.minute, time.hour, time.dayOfMonth, time.month, time.yearsSince1900,
                          time.isDST]
            {
                appendInt(field, to: &out)
            }
            appendString(header.databaseName, to: &out)
        }
        if version >= .v1_10 {
            appendString(header.serverVersion, to: &out)
            appendString(header.pgDumpVersion, to: &out)
        }
        appendInt(Int32(entries.count), to: &out)
        // The TOC's own version gates, which a test may set apart from the header's.
        let entryVersion = tocVersion ?? version
        for (entry, data) in entries {
            let hasBlock = data != nil || largeObjects[entry.dumpID] != nil
            appendInt(entry.dumpID, to: &out)
            appendInt(entry.hadDumper ? 1 : 0, to: &out)
            if entryVersion >= .v1_8 { appendString(entry.tableOIDText, to: &out) }
            appendString(entry.oidText, to: &out)
            appendString(entry.tag, to: &out)
            appendString(entry.desc, to: &out)
            if entryVersion >= .v1_11 { appendInt(entry.section.rawValue, to: &out) }
            appendString(entry.defn, to: &out)
            appendString(entry.dropStmt, to: &out)
            if entryVersion >= .v1_3 { appendString(entry.copyStmt, to: &out) }
            if entryVersion >= .v1_6 { appendString(entry.namespace, to: &out) }
            if entryVersion >= .v1_10 { appendString(entry.tablespace, to: &out) }
            if entryVersion >= .v1_14 { appendString(entry.tableam, to: &out) }
            if entryVersion >= .v1_16 { appendInt(entry.relkind, to: &out) }
            appendString(entry.owner, to: &out)
            if entryVersion >= .v1_9 { appendString(entry.withOids, to: &out) }
            if entryVersion >= .v1_5 {
                for dependency in entry.dependencies { appendString(ArchiveText("\(dependency)"), to: &out) }
                appendString(nil, to: &out)
            }
            if fileNames {
                if case .file(let name) = entry.dataLocation {
                    appendString(name, to: &out)
                } else {
                    appendString(ArchiveText(""), to: &out)
                }
            } else if entryVersion >= .v1_7 {
                if !hasBlock {
                    out.append(3)
                    out.append(contentsOf: [UInt8](repeating: 0, count: Int(header.offSize)))
                } else {
                    let offset = recordsOffsets ? offsets[entry.dumpID] : nil
                    out.append(offset == nil ? 1 : 2)
                    var value = UInt64(offset ?? 0)
                    for _ in 0..<header.offSize {
                        out.append(UInt8(truncatingIfNeeded: value))
                        value >>= 8
                    }
                }
            } else {
                // Before 1.7: the offset as a plain integer (0 = no data), then an unused length.
                appendInt(!hasBlock ? 0 : Int32(recordsOffsets ? offsets[entry.dumpID] ?? -1 : -1), to: &out)
                appendInt(0, to: &out)
            }
        }
        return out
    }

    /// The bytes of `value` as this archive stores an integer (`WriteInt`), for tests that patch or append bytes.
    public func encodedInt(_ value: Int32) -> [UInt8] {
        var out: [UInt8] = []
        appendInt(value, to: &out)
        return out
    }

    /// The bytes of `text` as this archive stores a string (`WriteStr`; `nil` is the NULL string).
    public func encodedString(_ text: ArchiveText?) -> [UInt8] {
        var out: [UInt8] = []
        appendString(text, to: &out)
        return out
    }

    private func appendInt(_ value: Int32, to out: inout [UInt8]) {
        // Version 1.0 has no sign byte: the value is stored in two's complement.
        if header.version > .v1_0 { out.append(value < 0 ? 1 : 0) }
        var magnitude = header.version > .v1_0 ? UInt32(value.magnitude) : UInt32(bitPattern: value)
        for _ in 0..<header.intSize {
            out.append(UInt8(truncatingIfNeeded: magnitude))
            magnitude >>= 8
        }
    }

    private func appendString(_ text: ArchiveText?, to out: inout [UInt8]) {
        guard let text else {
            appendInt(-1, to: &out)
            return
        }
        appendInt(Int32(text.count), to: &out)
        out.append(contentsOf: text.bytes)
    }
}
