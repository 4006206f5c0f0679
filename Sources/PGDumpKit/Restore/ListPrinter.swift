#if canImport(Glibc)
import Glibc
#endif

/// Renders the table of contents exactly as `pg_restore -l` does. Mirrors `PrintTOCSummary`.
public enum ListPrinter {
    /// The listing of `entries` (TOC order, or `-L` order) under `options`, as bytes.
    ///
    /// - Parameter format: the container format, which the `Format:` line names.
    public static func render(
        header: ArchiveHeader, format: ArchiveFormat, entries: [TOCEntry], tocCount: Int,
        options: RestoreOptions = RestoreOptions()
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + entries.count * 64)
        func put(_ text: String) { out.append(contentsOf: text.utf8) }
        func put(_ text: ArchiveText) { out.append(contentsOf: text.bytes) }

        put(";\n; Archive created at \(formattedCreationTime(header))\n")
        put(";     dbname: ")
        put(sanitized(header.databaseName, nullAs: ""))
        put("\n;     TOC Entries: \(tocCount)\n")
        put(";     Compression: \(header.compression.algorithm)\n")
        put(";     Dump Version: \(header.version)\n")
        put(";     Format: \(format.listName)\n")
        put(";     Integer: \(header.intSize) bytes\n")
        put(";     Offset: \(header.offSize) bytes\n")
        if let server = header.serverVersion {
            put(";     Dumped from database version: ")
            put(server)
            put("\n")
        }
        // Archives before 1.10 do not store pg_dump's version; pg_restore then prints its own (`_allocAH` sets
        // `archiveDumpVersion = PG_VERSION` and only `ReadHead` of 1.10+ replaces it, possibly with NULL).
        let pgDumpVersion = header.version < .v1_10 ? ArchiveText(PGRestoreEmulation.version) : header.pgDumpVersion
        if let pgDumpVersion {
            put(";     Dumped by pg_dump version: ")
            put(pgDumpVersion)
            put("\n")
        }
        put(";\n;\n; Selected TOC Entries:\n;\n")

        let requirements = EntrySelection.requirements(of: entries, options: options)
        for (entry, requirement) in zip(entries, requirements) {
            if options.verbose || !requirement.intersection([.schema, .data, .statistics]).isEmpty {
                put("\(entry.dumpID); \(entry.tableOID) \(entry.oid) ")
                put(entry.desc)
                put(" ")
                put(sanitized(entry.namespace, nullAs: "-"))
                put(" ")
                put(sanitized(entry.tag, nullAs: ""))
                put(" ")
                put(sanitized(entry.owner, nullAs: ""))
                put("\n")
            }
            if options.verbose && !entry.dependencies.isEmpty {
                put(";\tdepends on:")
                for dependency in entry.dependencies { put(" \(dependency)") }
                put("\n")
            }
        }
        return out
    }

    /// Replaces newlines and carriage returns with spaces; NULL becomes `nullAs`. Mirrors `sanitize_line`.
    static func sanitized(_ text: ArchiveText?, nullAs replacement: String) -> ArchiveText {
        guard let text else { return ArchiveText(replacement) }
        guard text.bytes.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return text }
        return ArchiveText(bytes: text.bytes.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
    }

    /// The creation time as pg_restore prints it: the stored fields read as local time by `mktime`, then
    /// `strftime("%Y-%m-%d %H:%M:%S %Z")`. Mirrors `ReadHead` and `PrintTOCSummary`.
    public static func formattedCreationTime(_ header: ArchiveHeader) -> String {
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
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return "[unknown]" }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S %Z", &local)
        guard count > 0 else { return "[unknown]" }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
