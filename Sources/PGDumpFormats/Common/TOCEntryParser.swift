import PGDumpCore
import PGDumpCodecs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
