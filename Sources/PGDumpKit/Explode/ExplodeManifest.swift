import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// `MANIFEST.tsv`, the index of an exploded archive: what the archive was (the versions pg_dump recorded) and
/// every entry in restore order (TOC order) with every field of its TOC entry except the dump ID, the OIDs and
/// where the data was, so that `implode` can write the archive again.
///
/// Tab-separated, one record a line, every field in COPY text format (`\t`, `\n`, `\\` escaped, `\N` for NULL):
///
///     pgdumpkit-explode   1
///     archive   <key>   <value>                          archiveVersion, databaseName, serverVersion, pgDumpVersion
///     entry     <fields, as `EntryRecord.fieldNames`>
///
/// An entry's `file` is its definition (`defn`) file, `\N` when the definition is NULL and empty when it is
/// empty; `dependencies` are positions of other entries (1-based, in this file's order), since dump IDs are not
/// kept; `dataFile` and `dataFormat` say where its data is and how: `csv` (with a header line), `csv-noheader`,
/// `copy` (COPY data as stored), `raw` (INSERT statements, or other data, as stored), `blobs` (a folder of large
/// objects, one file per OID).
package struct ExplodeManifest: Equatable {
    package static let fileName = "MANIFEST.tsv"
    package static let layoutVersion = 1

    package struct EntryRecord: Equatable {
        package static let fieldNames = [
            "position", "file", "desc", "schema", "tag", "owner", "section", "tablespace", "tableam", "relkind",
            "withOids", "hadDumper", "dependencies", "dropStmt", "copyStmt", "dataFile", "dataFormat",
        ]
        package var file: String?
        package var entry: TOCEntry
        /// Positions (1-based) of the entries this one depends on.
        package var dependencies: [Int]
        package var dataFile: String?
        package var dataFormat: String?
    }

    package var archiveVersion: ArchiveVersion
    package var databaseName: ArchiveText?
    package var serverVersion: ArchiveText?
    package var pgDumpVersion: ArchiveText?
    package var records: [EntryRecord]

    // MARK: - Writing

    package func encoded() -> [UInt8] {
        var output: [UInt8] = []
        func line(_ fields: [[UInt8]?]) {
            for (index, field) in fields.enumerated() {
                if index > 0 { output.append(0x09) }
                Self.escape(field, into: &output)
            }
            output.append(0x0A)
        }
        func text(_ string: String) -> [UInt8] { Array(string.utf8) }
        line([text("pgdumpkit-explode"), text(String(Self.layoutVersion))])
        line([text("archive"), text("archiveVersion"), text(archiveVersion.shortDescription)])
        line([text("archive"), text("databaseName"), databaseName?.bytes])
        line([text("archive"), text("serverVersion"), serverVersion?.bytes])
        line([text("archive"), text("pgDumpVersion"), pgDumpVersion?.bytes])
        line([text("fields")] + EntryRecord.fieldNames.map(text))
        for (position, record) in records.enumerated() {
            let entry = record.entry
            line([
                text("entry"), text(String(position + 1)), record.file.map(text), entry.desc.bytes,
                entry.namespace?.bytes, entry.tag?.bytes, entry.owner?.bytes,
                text((1...4).contains(entry.section.rawValue) ? entry.section.description : String(entry.section.rawValue)), entry.tablespace?.bytes, entry.tableam?.bytes,
                text(String(entry.relkind)), entry.withOids?.bytes, text(entry.hadDumper ? "true" : "false"),
                text(record.dependencies.map(String.init).joined(separator: ",")), entry.dropStmt?.bytes,
                entry.copyStmt?.bytes, record.dataFile.map(text), record.dataFormat.map(text),
            ])
        }
        return output
    }

    /// COPY text: NULL as `\N`; backslash, tab, newline and carriage return escaped.
    static func escape(_ field: [UInt8]?, into output: inout [UInt8]) {
        guard let field else {
            output += [0x5C, UInt8(ascii: "N")]
            return
        }
        for byte in field {
            switch byte {
            case 0x5C: output += [0x5C, 0x5C]
            case 0x09: output += [0x5C, UInt8(ascii: "t")]
            case 0x0A: output += [0x5C, UInt8(ascii: "n")]
            case 0x0D: output += [0x5C, UInt8(ascii: "r")]
            default: output.append(byte)
            }
        }
    }

    // MARK: - Reading

    package init(
        archiveVersion: ArchiveVersion, databaseName: ArchiveText?, serverVersion: ArchiveText?,
        pgDumpVersion: ArchiveText?, records: [EntryRecord]
    ) {
        self.archiveVersion = archiveVersion
        self.databaseName = databaseName
        self.serverVersion = serverVersion
        self.pgDumpVersion = pgDumpVersion
        self.records = records
    }

    /// Reads a manifest; entries get dump IDs 1, 2, … in order and OIDs 0.
    package init(parsing bytes: [UInt8], name: String) throws {
        func failure(_ line: Int, _ message: String) -> PGDumpError {
            PGDumpError(.corrupt, "line \(line): \(message)", file: name)
        }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first, try Self.fields(first) == [Array("pgdumpkit-explode".utf8), Array("\(Self.layoutVersion)".utf8)] else {
            throw failure(1, "not a pgdumpkit explode manifest (layout \(Self.layoutVersion))")
        }
        var archive: [String: [UInt8]?] = [:]
        var records: [EntryRecord] = []
        for (number, line) in lines.enumerated().dropFirst() {
            let fields = try Self.fields(line)
            guard let kind = fields.first.flatMap({ $0 }).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw failure(number + 1, "empty line")
            }
            switch kind {
            case "archive":
                guard fields.count == 3, let key = fields[1] else { throw failure(number + 1, "expected: archive, key, value") }
                archive[String(decoding: key, as: UTF8.self)] = fields[2]
            case "fields":
                guard fields.dropFirst().map({ $0.map { String(decoding: $0, as: UTF8.self) } }) == EntryRecord.fieldNames else {
                    throw failure(number + 1, "unexpected entry fields")
                }
            case "entry":
                guard fields.count == EntryRecord.fieldNames.count + 1 else {
                    throw failure(number + 1, "expected \(EntryRecord.fieldNames.count) entry fields, found \(fields.count - 1)")
                }
                records.append(try Self.record(Array(fields.dropFirst()), position: records.count + 1) {
                    failure(number + 1, $0)
                })
            default:
                throw failure(number + 1, "unknown record \"\(kind)\"")
            }
        }
        guard let versionText = archive["archiveVersion"] ?? nil,
            let version = ArchiveVersion(shortDescription: String(decoding: versionText, as: UTF8.self))
        else {
            throw failure(1, "no archiveVersion")
        }
        for record in records {
            for dependency in record.dependencies where !(1...records.count).contains(dependency) {
                throw PGDumpError(.corrupt, "entry \(record.entry.dumpID): dependency \(dependency) is not an entry", file: name)
            }
        }
        self.archiveVersion = version
        databaseName = (archive["databaseName"] ?? nil).map { ArchiveText(bytes: $0) }
        serverVersion = (archive["serverVersion"] ?? nil).map { ArchiveText(bytes: $0) }
        pgDumpVersion = (archive["pgDumpVersion"] ?? nil).map { ArchiveText(bytes: $0) }
        self.records = records
    }

    private static func record(
        _ fields: [[UInt8]?], position: Int, failure: (String) -> PGDumpError
    ) throws -> EntryRecord {
        func string(_ index: Int) -> String? { fields[index].map { String(decoding: $0, as: UTF8.self) } }
        func text(_ index: Int) -> ArchiveText? { fields[index].map { ArchiveText(bytes: $0) } }
        guard string(0) == String(position) else { throw failure("entries must be numbered 1, 2, … in order") }
        guard let desc = text(2) else { throw failure("an entry needs a desc") }
        guard let sectionName = string(6), let section = Section(named: sectionName) else {
            throw failure("unknown section \(string(6) ?? "NULL")")
        }
        guard let relkind = string(9).flatMap({ Int32($0) }) else { throw failure("relkind is not a number") }
        var dependencies: [Int] = []
        if let list = string(12), !list.isEmpty {
            for item in list.split(separator: ",") {
                guard let value = Int(item) else { throw failure("dependency \(item) is not a number") }
                dependencies.append(value)
            }
        }
        let dataFile = string(15)
        let entry = TOCEntry(
            dumpID: Int32(position), hadDumper: string(11) == "true", tableOIDText: "0", oidText: "0",
            tag: text(4), desc: desc, section: section, defn: nil, dropStmt: text(13), copyStmt: text(14),
            namespace: text(3), tablespace: text(7), tableam: text(8), relkind: relkind, owner: text(5),
            withOids: text(10), dependencies: dependencies.map { Int32($0) },
            dataLocation: dataFile == nil ? .none : .file("data"))
        return EntryRecord(file: string(1), entry: entry, dependencies: dependencies, dataFile: dataFile, dataFormat: string(16))
    }

    /// The fields of one line, unescaped.
    static func fields(_ line: ArraySlice<UInt8>) throws -> [[UInt8]?] {
        var result: [[UInt8]?] = []
        for raw in line.split(separator: 0x09, omittingEmptySubsequences: false) {
            if raw.elementsEqual([0x5C, UInt8(ascii: "N")]) {
                result.append(nil)
                continue
            }
            var field: [UInt8] = []
            var escaped = false
            for byte in raw {
                if escaped {
                    switch byte {
                    case UInt8(ascii: "t"): field.append(0x09)
                    case UInt8(ascii: "n"): field.append(0x0A)
                    case UInt8(ascii: "r"): field.append(0x0D)
                    default: field.append(byte)
                    }
                    escaped = false
                } else if byte == 0x5C {
                    escaped = true
                } else {
                    field.append(byte)
                }
            }
            result.append(field)
        }
        return result
    }
}

extension Section {
    /// The section named as `description` names it (`pre-data`…), or by its number.
    init?(named name: String) {
        switch name {
        case "none": self = .none
        case "pre-data": self = .preData
        case "data": self = .data
        case "post-data": self = .postData
        default:
            guard let value = Int32(name) else { return nil }
            self.init(rawValue: value)
        }
    }
}

extension ArchiveVersion {
    /// `1.16` (as `shortDescription` writes it) → 1.16.0.
    init?(shortDescription text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let major = UInt8(parts[0]), let minor = UInt8(parts[1]) else { return nil }
        self.init(major, minor)
    }
}
