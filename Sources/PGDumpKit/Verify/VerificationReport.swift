import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// What `verify` found: each data entry's rows and sizes, the problems, notes, and totals.
public struct VerificationReport: Sendable {
    /// The archive as given.
    public var path: String
    /// `nil` when the archive could not be opened.
    public var format: ArchiveFormat?
    /// The archive's header; `nil` when it could not be opened.
    public var header: ArchiveHeader?
    /// The number of TOC entries.
    public var tocCount = 0
    /// Every entry with data, in the order read.
    public var entries: [DataEntryReport] = []
    /// Everything wrong, each with its location.
    public var problems: [VerificationProblem] = []
    /// Things worth knowing that are not wrong: reader warnings, dependencies a partial dump leaves dangling.
    public var notes: [String] = []

    /// A report on the archive at `path`, with no entries read yet.
    public init(path: String, format: ArchiveFormat? = nil, header: ArchiveHeader? = nil,
                problems: [VerificationProblem] = [])
    {
        self.path = path
        self.format = format
        self.header = header
        self.problems = problems
    }

    /// Whether nothing is wrong.
    public var isValid: Bool { problems.isEmpty }

    /// Totals over the entries.
    public struct Totals: Sendable, Equatable {
        /// Entries with table data, and their rows and decompressed bytes.
        public var tables = 0
        public var rows: Int64 = 0
        public var tableBytes: Int64 = 0
        /// BLOBS entries, the large objects in them and their bytes.
        public var largeObjectEntries = 0
        public var largeObjects = 0
        public var largeObjectBytes: Int64 = 0
    }

    /// The totals over `entries`.
    public var totals: Totals {
        var totals = Totals()
        for entry in entries {
            if entry.content == .largeObjects {
                totals.largeObjectEntries += 1
                totals.largeObjects += entry.largeObjects ?? 0
                totals.largeObjectBytes += entry.uncompressedBytes
            } else {
                totals.tables += 1
                totals.rows += entry.rows ?? 0
                totals.tableBytes += entry.uncompressedBytes
            }
        }
        return totals
    }

    /// The report for people: a line about the archive, a table of the data entries (rows, decompressed bytes,
    /// stored bytes), one line per problem and note, and a summary line starting `ok:` or `FAILED:`.
    public func text() -> String {
        var lines: [String] = []
        if let format, let header {
            lines.append(
                "Archive: \(path) (\(format), \(header.compression.algorithm), archive version \(header.version), \(tocCount) TOC entries)")
        } else {
            lines.append("Archive: \(path)")
        }
        if !entries.isEmpty { lines += DataEntryReport.table(entries, entryHeading: "entry") }
        lines += problems.map { "problem: \($0)" }
        lines += notes.map { "note: \($0)" }
        let totals = self.totals
        var summary = "\(entries.count) data entr\(entries.count == 1 ? "y" : "ies") read: \(totals.tables) table\(totals.tables == 1 ? "" : "s"), \(totals.rows) row\(totals.rows == 1 ? "" : "s"), \(ArchiveSummary.formatBytes(totals.tableBytes))"
        if totals.largeObjectEntries > 0 {
            summary += "; \(totals.largeObjects) large object\(totals.largeObjects == 1 ? "" : "s"), \(ArchiveSummary.formatBytes(totals.largeObjectBytes))"
        }
        if isValid {
            lines.append("ok: \(summary); no problems")
        } else {
            lines.append("FAILED: \(problems.count) problem\(problems.count == 1 ? "" : "s"); \(summary)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as one JSON object.
    public func json() -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("formatVersion", ArchiveJSON.formatVersion)
        json.field("path", path)
        json.field("format", format?.rawValue)
        json.field("archiveVersion", header?.version.description)
        json.field("compression", header?.compression.algorithm.description)
        json.field("tocCount", tocCount)
        json.field("ok", isValid)
        json.beginArray("entries")
        for entry in entries { entry.writeJSON(into: &json) }
        json.endArray()
        json.beginArray("problems")
        for problem in problems {
            json.beginObject()
            json.field("dumpId", problem.error.dumpID)
            json.field("entry", problem.entryLabel)
            json.field("file", problem.error.file)
            json.field("offset", problem.error.offset)
            json.field("message", problem.error.message)
            if let hint = problem.error.hint { json.field("hint", hint) }
            json.endObject()
        }
        json.endArray()
        json.beginArray("notes")
        for note in notes { json.element(note) }
        json.endArray()
        let totals = self.totals
        json.beginObject("summary")
        json.field("dataEntries", entries.count)
        json.field("tables", totals.tables)
        json.field("rows", totals.rows)
        json.field("tableBytes", totals.tableBytes)
        json.field("largeObjectEntries", totals.largeObjectEntries)
        json.field("largeObjects", totals.largeObjects)
        json.field("largeObjectBytes", totals.largeObjectBytes)
        json.field("problems", problems.count)
        json.endObject()
        json.endObject()
        return json.finished()
    }
}
