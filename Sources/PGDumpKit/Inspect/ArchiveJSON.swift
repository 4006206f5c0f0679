import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// JSON renderings of an archive's header and TOC (`list --json`), and the vocabulary `info --json` and
/// `verify --json` share: every document starts with `formatVersion`, an entry is named by `dumpId`, `desc`,
/// `schema`, `tag` and `owner`, times are ISO 8601 in UTC. The README's "JSON output" section lists every key;
/// a test holds the outputs to it.
///
/// Other keys use pg's field names (`tableoid`, `defn`, `dropStmt`…) so they can be looked up in the C source.
/// Strings are the archive's bytes decoded as UTF-8.
package enum ArchiveJSON {
    /// The layout version of every JSON document pgdumpkit prints; raised when a key changes meaning or goes.
    package static let formatVersion = 1

    /// A pg_dumpall script's parts: its globals (each group's statements) and its databases' names and sizes;
    /// `list --json --database NAME` lists one database.
    package static func clusterListing(of cluster: PlainClusterScript) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("formatVersion", formatVersion)
        json.field("path", cluster.name)
        json.field("format", "pg_dumpall")
        json.beginArray("globals")
        for group in cluster.globals {
            json.beginObject()
            json.field("title", group.title)
            json.beginArray("statements")
            for statement in group.statements { json.element(String(decoding: statement, as: UTF8.self)) }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.beginArray("databases")
        for database in cluster.databases {
            json.beginObject()
            json.field("name", database.name)
            json.field("size", database.size)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.finished()
    }

    /// The header and every TOC entry with all its fields. With `closedPlan` (a `--with-deps` plan), each entry
    /// also says whether that plan restores it and why: `selected`, then `reason` (`selected` by the options, or
    /// added as a `dependency` or a `part`), `through` (the entry it was reached from) and `neededBy` (the selected
    /// entry it serves). With an `adaptation` (`--target-version`), its entries (rewritten, omitted ones gone)
    /// and a `targetVersion` object with every finding.
    package static func listing(
        of reader: any ArchiveReader, closedPlan: RestorePlan? = nil, adaptation: TargetAdaptation? = nil
    ) throws -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("formatVersion", formatVersion)
        json.field("path", reader.path)
        json.field("format", reader.format.rawValue)
        writeHeader(reader.header, into: &json)
        json.field("tocCount", reader.entries.count)
        let storedSizes = try reader.storedSizes().sizes
        var restored: Set<Int32> = []
        var reasons: [Int32: DependencyReason] = [:]
        var byDumpID: [Int32: TOCEntry] = [:]
        if let closedPlan {
            let selection = EntrySelection.closedSelection(
                of: closedPlan.entries, options: closedPlan.selection, names: closedPlan.names)
            for (index, requirement) in selection.requirements.enumerated()
            where !requirement.isDisjoint(with: [.schema, .data, .statistics]) {
                restored.insert(closedPlan.entries[index].dumpID)
            }
            for (index, reason) in selection.reasons { reasons[closedPlan.entries[index].dumpID] = reason }
            for entry in reader.entries { byDumpID[entry.dumpID] = entry }
        }
        if let adaptation {
            json.beginObject("targetVersion")
            json.field("major", adaptation.targetMajor)
            json.beginArray("findings")
            for finding in adaptation.findings {
                json.beginObject()
                json.field("dumpId", finding.dumpID)
                json.field("desc", finding.desc)
                json.field("schema", finding.namespace)
                json.field("tag", finding.tag)
                json.field("construct", finding.construct)
                json.field("since", finding.since)
                json.field("action", finding.action.rawValue)
                json.field("detail", finding.detail)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.beginArray("entries")
        for entry in adaptation?.entries ?? reader.entries {
            json.beginObject()
            json.field("dumpId", entry.dumpID)
            json.field("tableoid", entry.tableOID)
            json.field("oid", entry.oid)
            json.field("desc", entry.desc)
            json.field("tag", entry.tag)
            json.field("section", entry.section.description)
            json.field("schema", entry.namespace)
            json.field("tablespace", entry.tablespace)
            json.field("tableam", entry.tableam)
            if reader.header.version >= .v1_16 {
                json.field("relkind", entry.relkindCharacter.map(String.init))
            }
            json.field("owner", entry.owner)
            json.beginArray("dependencies")
            for dependency in entry.dependencies { json.element(dependency) }
            json.endArray()
            json.field("defn", entry.defn)
            json.field("dropStmt", entry.dropStmt)
            json.field("copyStmt", entry.copyStmt)
            json.field("hadDumper", entry.hadDumper)
            json.field("hasData", entry.hasData)
            switch entry.dataLocation {
            case .none: break
            case .offset(let offset): json.field("dataOffset", offset)
            case .offsetNotSet: json.field("dataOffset", nil as Int64?)
            case .file(let name): json.field("dataFile", name)
            }
            if entry.hasData { json.field("storedSize", storedSizes[entry.dumpID]) }
            if closedPlan != nil {
                json.field("selected", restored.contains(entry.dumpID))
                if let reason = reasons[entry.dumpID] {
                    json.field("reason", reason.kind.rawValue)
                    writeEntryName("through", reason.through, byDumpID: byDumpID, into: &json)
                    writeEntryName("neededBy", reason.neededBy, byDumpID: byDumpID, into: &json)
                } else if restored.contains(entry.dumpID) {
                    json.field("reason", "selected")
                }
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.finished()
    }

    /// `key`: an object naming the entry with `dumpID` by `dumpId`, `desc`, `schema` and `tag`.
    private static func writeEntryName(
        _ key: String, _ dumpID: Int32, byDumpID: [Int32: TOCEntry], into json: inout JSONWriter
    ) {
        json.beginObject(key)
        json.field("dumpId", dumpID)
        if let entry = byDumpID[dumpID] {
            json.field("desc", entry.desc)
            json.field("schema", entry.namespace)
            json.field("tag", entry.tag)
        }
        json.endObject()
    }

    static func writeHeader(_ header: ArchiveHeader, into json: inout JSONWriter) {
        json.beginObject("header")
        json.field("archiveVersion", header.version.description)
        json.field("intSize", header.intSize)
        json.field("offSize", header.offSize)
        json.field("formatByte", header.formatByte)
        json.field("compression", header.compression.algorithm.description)
        if let level = header.compression.storedLevel { json.field("compressionLevel", level) }
        if let time = header.creationTime {
            json.beginObject("creationTime")
            json.field("year", Int(time.yearsSince1900) + 1900)
            json.field("month", Int(time.month) + 1)
            json.field("day", time.dayOfMonth)
            json.field("hour", time.hour)
            json.field("minute", time.minute)
            json.field("second", time.second)
            json.field("isDST", time.isDST)
            json.endObject()
        }
        json.field("created", ListPrinter.isoCreationTime(header))
        json.field("databaseName", header.databaseName)
        json.field("serverVersion", header.serverVersion)
        json.field("pgDumpVersion", header.pgDumpVersion)
        json.endObject()
    }
}

extension ArchiveReader {
    /// `storedSize(of:)` for every entry with data, by dump ID. An entry whose data file or member is missing has
    /// no size and its error is in `missing`: a description of the archive should not fail on what only a restore
    /// of that entry would need.
    package func storedSizes() throws -> (sizes: [Int32: Int64], missing: [PGDumpError]) {
        var sizes: [Int32: Int64] = [:]
        var missing: [PGDumpError] = []
        for entry in entries where entry.hasData {
            do {
                if let size = try storedSize(of: entry) { sizes[entry.dumpID] = size }
            } catch let error as PGDumpError where error.kind == .missingMember {
                missing.append(error)
            }
        }
        return (sizes, missing)
    }
}
