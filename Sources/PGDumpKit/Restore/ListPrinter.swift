import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// Renders the table of contents exactly as `pg_restore -l` does. Mirrors `PrintTOCSummary`.
package enum ListPrinter {
    /// The listing of `entries` (TOC order, or `-L` order) under `options`, as bytes.
    ///
    /// - Parameters:
    ///   - format: the container format, which the `Format:` line names.
    ///   - names: the selection's names, compiled (`RestorePlan.names`); without, the names of `options` are
    ///     compared exactly.
    ///   - notes: lines added to the header comment (`ArchiveReader.sourceNotes`).
    package static func render(
        header: ArchiveHeader, format: ArchiveFormat, entries: [TOCEntry], tocCount: Int,
        options: RestoreOptions = RestoreOptions(), names: SelectionNames? = nil, notes: [String] = []
    ) -> [UInt8] {
        var out = ListingBuffer(capacity: 512 + entries.count * 80)

        out.append(";\n; Archive created at ")
        out.append(string: formattedCreationTime(header))
        out.append("\n;     dbname: ")
        out.append(sanitized: header.databaseName, nullAs: "")
        out.append("\n;     TOC Entries: ")
        out.append(decimal: tocCount)
        out.append("\n;     Compression: ")
        out.append(string: header.compression.algorithm.description)
        out.append("\n;     Dump Version: ")
        out.append(string: header.version.description)
        out.append("\n;     Format: ")
        out.append(string: format.listName)
        out.append("\n;     Integer: ")
        out.append(decimal: header.intSize)
        out.append(" bytes\n;     Offset: ")
        out.append(decimal: header.offSize)
        out.append(" bytes\n")
        if let server = header.serverVersion {
            out.append(";     Dumped from database version: ")
            out.append(text: server)
            out.append("\n")
        }
        // Archives before 1.10 do not store pg_dump's version; pg_restore then prints its own (`_allocAH` sets
        // `archiveDumpVersion = PG_VERSION` and only `ReadHead` of 1.10+ replaces it, possibly with NULL).
        let pgDumpVersion = header.version < .v1_10 ? ArchiveText(PGRestoreEmulation.version) : header.pgDumpVersion
        if let pgDumpVersion {
            out.append(";     Dumped by pg_dump version: ")
            out.append(text: pgDumpVersion)
            out.append("\n")
        }
        // What an input that is not an archive (a plain script) could not record: never in pg_restore's listings.
        for note in notes {
            out.append(";     ")
            out.append(string: note)
            out.append("\n")
        }
        out.append(";\n;\n; Selected TOC Entries:\n;\n")

        let selection = EntrySelection.closedSelection(
            of: entries, options: options, names: names ?? SelectionNames(matchingExactly: options))
        let requirements = selection.requirements
        let shown: Requirement = [.schema, .data, .statistics]
        // --with-deps -v lists what the script restores, with why each added entry came in, so that the listing
        // still works as a -L list; pg_restore's -v lists every entry.
        let listsEverything = options.verbose && !options.withDependencies
        // By buffer and index: a TOCEntry passed by value would be copied, all its strings retained and released.
        entries.withUnsafeBufferPointer { entries in
            var byDumpID: [Int32: Int] = [:]
            if options.verbose && !selection.reasons.isEmpty {
                for index in entries.indices { byDumpID[entries[index].dumpID] = index }
            }
            for index in entries.indices {
                let isShown = listsEverything || !requirements[index].isDisjoint(with: shown)
                if isShown {
                    out.appendLine(of: index, in: entries)
                }
                if options.verbose, isShown, let reason = selection.reasons[index] {
                    out.appendReason(reason, entries: entries, byDumpID: byDumpID)
                }
                if options.verbose && isShown && !entries[index].dependencies.isEmpty {
                    out.append(";\tdepends on:")
                    for dependency in entries[index].dependencies {
                        out.append(" ")
                        out.append(decimal: dependency)
                    }
                    out.append("\n")
                }
            }
        }
        return out.finish()
    }

    /// Replaces newlines and carriage returns with spaces; NULL becomes `nullAs`. Mirrors `sanitize_line`.
    static func sanitized(_ text: ArchiveText?, nullAs replacement: String) -> ArchiveText {
        guard let text else { return ArchiveText(replacement) }
        guard text.bytes.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return text }
        return ArchiveText(bytes: text.bytes.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
    }

    /// The creation time as pg_restore prints it: the stored fields read as local time by `mktime`, then
    /// `strftime("%Y-%m-%d %H:%M:%S %Z")`. Mirrors `ReadHead` and `PrintTOCSummary`.
    package static func formattedCreationTime(_ header: ArchiveHeader) -> String {
        var seconds = creationSeconds(header)
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return "[unknown]" }
        return format(local, "%Y-%m-%d %H:%M:%S %Z") ?? "[unknown]"
    }

    /// The creation time in ISO 8601, UTC (`2026-11-21T08:25:42Z`), for JSON: the stored fields read as local time
    /// as pg_restore reads them; `nil` for archives before 1.4, which carry no date.
    package static func isoCreationTime(_ header: ArchiveHeader) -> String? {
        guard header.creationTime != nil else { return nil }
        var seconds = creationSeconds(header)
        var utc = tm()
        guard gmtime_r(&seconds, &utc) != nil else { return nil }
        return format(utc, "%Y-%m-%dT%H:%M:%SZ")
    }

    /// `fields` formatted by `strftime` with `pattern`; `nil` when it produces nothing.
    package static func format(_ fields: tm, _ pattern: String) -> String? {
        var fields = fields
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, pattern, &fields)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The creation time in seconds since the epoch: the stored fields as local time (`mktime`), or now.
    private static func creationSeconds(_ header: ArchiveHeader) -> time_t {
        var seconds: time_t
        if let stored = header.creationTime {
            var fields = tm()
            fields.tm_sec = stored.second
            fields.tm_min = stored.minute
            fields.tm_hour = stored.hour
            fields.tm_mday = stored.dayOfMonth
            fields.tm_mon = stored.month
            fields.tm_year = stored.yearsSince1900
            fields.tm_isdst = stored.isDST
            seconds = mktime(&fields)
            if seconds == -1 {
                // glibc rejects a DST flag that the local zone contradicts; pg retries with "unknown".
                fields.tm_isdst = -1
                seconds = mktime(&fields)
            }
        } else {
            // Archives before 1.4 carry no date; pg_restore shows the time it started.
            seconds = time(nil)
        }
        return seconds
    }
}

/// The listing's bytes, written through a pointer: a listing is tens of thousands of short pieces, and
/// `Array.append(contentsOf:)` costs a generic call and a uniqueness check for each.
struct ListingBuffer: ~Copyable {
    private var storage: UnsafeMutableRawBufferPointer
    private var count = 0

    init(capacity: Int) {
        storage = .allocate(byteCount: max(capacity, 256), alignment: 1)
    }

    deinit { storage.deallocate() }

    /// The bytes written.
    consuming func finish() -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(rebasing: storage[..<count]))
    }

    /// Makes room for `extra` more bytes.
    private mutating func reserve(_ extra: Int) {
        guard storage.count - count < extra else { return }
        let grown = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(storage.count * 2, count + extra), alignment: 1)
        grown.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: count)
        storage.deallocate()
        storage = grown
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        reserve(bytes.count)
        (storage.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    mutating func append(_ literal: StaticString) {
        append(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    mutating func append(string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    mutating func append(text: ArchiveText) {
        text.bytes.withUnsafeBytes { append($0) }
    }

    /// `ID; tableoid oid desc namespace tag owner`, as `PrintTOCSummary` prints an entry.
    mutating func appendLine(of index: Int, in entries: UnsafeBufferPointer<TOCEntry>) {
        append(decimal: entries[index].dumpID)
        append("; ")
        append(decimal: entries[index].tableOID)
        append(" ")
        append(decimal: entries[index].oid)
        append(" ")
        appendKind(of: entries[index])
        append(" ")
        append(sanitized: entries[index].owner, nullAs: "")
        append("\n")
    }

    /// `DESC SCHEMA TAG`, as an entry's listing line has them.
    private mutating func appendKind(of entry: borrowing TOCEntry) {
        append(text: entry.desc)
        append(" ")
        append(sanitized: entry.namespace, nullAs: "-")
        append(" ")
        append(sanitized: entry.tag, nullAs: "")
    }

    /// `;\tneeded by ID DESC SCHEMA TAG` (or `part of`), and `, for ID DESC SCHEMA TAG` naming the selected entry
    /// when that is not the one it was reached from: why `--with-deps` added an entry, as a comment line.
    mutating func appendReason(
        _ reason: DependencyReason, entries: UnsafeBufferPointer<TOCEntry>, byDumpID: [Int32: Int]
    ) {
        append(reason.kind == .dependency ? ";\tneeded by " : ";\tpart of ")
        appendName(of: reason.through, entries: entries, byDumpID: byDumpID)
        if reason.neededBy != reason.through {
            append(", for ")
            appendName(of: reason.neededBy, entries: entries, byDumpID: byDumpID)
        }
        append("\n")
    }

    /// `ID DESC SCHEMA TAG` of the entry with `dumpID`, as its listing line names it.
    private mutating func appendName(of dumpID: Int32, entries: UnsafeBufferPointer<TOCEntry>, byDumpID: [Int32: Int]) {
        append(decimal: dumpID)
        guard let index = byDumpID[dumpID] else { return }
        append(" ")
        appendKind(of: entries[index])
    }

    /// `text` with newlines and carriage returns as spaces, or `nullAs` for NULL. Mirrors `sanitize_line`.
    mutating func append(sanitized text: ArchiveText?, nullAs replacement: StaticString) {
        guard let text else { return append(replacement) }
        let start = count
        append(text: text)
        for index in start..<count where storage[index] == 0x0A || storage[index] == 0x0D {
            storage[index] = 0x20
        }
    }

    /// The decimal digits of `value`, as `%d` and `%u` print them.
    mutating func append<Value: BinaryInteger>(decimal value: Value) {
        reserve(21)
        if value < 0 {
            storage[count] = UInt8(ascii: "-")
            count += 1
        }
        var magnitude = UInt64(value.magnitude)
        var digits = 1
        var power: UInt64 = 10
        while digits < 20 && magnitude >= power {
            digits += 1
            power = power &* 10
        }
        var index = count + digits
        repeat {
            index -= 1
            storage[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        count += digits
    }
}
