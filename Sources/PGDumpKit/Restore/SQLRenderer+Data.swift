import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// Table data and large objects in the script, bracketed by the trigger commands of `--disable-triggers`.
extension SQLRenderer {
    // MARK: - Data

    /// The data part of an entry: COPY data verbatim, or large objects as lo_open/lowrite/lo_close.
    func printData(of entry: TOCEntry) throws {
        try printEntry(entry, prefix: "Data for ")
        if entry.desc.equals("BLOBS") || entry.desc.equals("BLOB COMMENTS") {
            info(Array("processing ".utf8), entry.desc.bytes)
            selectOutputSchema(Array("pg_catalog".utf8))
            if entry.desc.equals("BLOBS") {
                let inTransaction = script.singleTransaction || script.transactionSize > 0
                if !inTransaction { put("BEGIN;\n\n") }
                var sink = LargeObjectScriptSink(
                    output: output, oldStyle: reader.header.version < .v1_12, clean: script.clean,
                    standardConformingStrings: scriptStandardConformingStrings, log: script.verbose ? verboseLog : nil,
                    logLinesPerObject: reader.logsLargeObjectsWhileReading ? 2 : 1)
                try streamData(of: entry, into: &sink)
                let count = sink.largeObjectCount
                info(Array("restored \(count) large object\(count == 1 ? "" : "s")".utf8))
                if !inTransaction { put("COMMIT;\n\n") }
            } else {
                var sink = VerbatimScriptSink(output: output)
                try streamData(of: entry, into: &sink)
            }
            return
        }
        disableTriggersIfNecessary(entry)
        becomeOwner(entry)
        selectOutputSchema(entry.namespace?.bytes)
        info(Array("processing data for table \"".utf8), entry.namespace?.bytes, [0x2E], entry.tag?.bytes, [0x22])
        if let copyStmt = entry.copyStmt, !copyStmt.isEmpty { put(copyStmt) }
        if entry.copyStmt?.isEmpty ?? true, !settings.standardConformingStrings && scriptStandardConformingStrings {
            // INSERT statements of an archive written with standard_conforming_strings off, for a server that
            // has it always on: their '…' literals become E'…'.
            var sink = EscapeStringLiteralSink(output: output)
            try streamData(of: entry, into: &sink)
        } else {
            var sink = VerbatimScriptSink(output: output)
            try streamData(of: entry, into: &sink)
        }
        enableTriggersIfNecessary(entry)
    }

    /// Streams the entry's data into `sink`, telling the progress observer, if any, as it goes.
    private func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        guard let progress else { return try reader.streamData(of: entry, into: &sink) }
        progress.willRead(entry: entry, index: dataEntriesStarted, of: dataEntriesPlanned)
        dataEntriesStarted += 1
        var reporting = ProgressReportingSink(sink, observer: progress, entry: entry)
        defer { sink = reporting.inner }
        try reader.streamData(of: entry, into: &reporting)
    }

    /// Mirrors `_disableTriggersIfNecessary`.
    func disableTriggersIfNecessary(_ entry: TOCEntry) {
        guard !selection.dumpSchema && script.disableTriggers else { return }
        info(Array("disabling triggers for ".utf8), entry.tag?.bytes)
        becomeUser(script.superuser.map { Array($0.utf8) })
        put("ALTER TABLE ")
        put(SQLQuoting.qualifiedIdentifier(entry.namespace, entry.tag, encoding: settings.encoding))
        put(" DISABLE TRIGGER ALL;\n\n")
    }

    /// Mirrors `_enableTriggersIfNecessary`.
    func enableTriggersIfNecessary(_ entry: TOCEntry) {
        guard !selection.dumpSchema && script.disableTriggers else { return }
        info(Array("enabling triggers for ".utf8), entry.tag?.bytes)
        becomeUser(script.superuser.map { Array($0.utf8) })
        put("ALTER TABLE ")
        put(SQLQuoting.qualifiedIdentifier(entry.namespace, entry.tag, encoding: settings.encoding))
        put(" ENABLE TRIGGER ALL;\n\n")
    }

    static func formattedNow() -> String {
        var now = time(nil)
        var local = tm()
        localtime_r(&now, &local)
        return ListPrinter.format(local, "%Y-%m-%d %H:%M:%S %Z") ?? ""
    }
}
