import PGDumpCore
import PGDumpCodecs

extension ArchiveFormat {
    /// `pg_dump -Fp`, pg_dump's default: a SQL script. Read as an archive (its entries recovered from the header
    /// comments pg_dump writes before each one); never written as one: `convert --to p` renders a script.
    public static let plain = ArchiveFormat(
        name: "plain", listName: "PLAIN", commandLineNames: ["p", "plain"], headerFormatByte: 4,
        isDirectory: false, locatesDataByOffset: false, storesCompressedData: false, gzipFraming: nil,
        isScript: true)
}

/// The plain format's driver: pg_dump's script output (`pg_backup_null.c` with `RestoreArchive`), read back.
package enum PlainFormatDriver: ArchiveFormatDriver {
    package static var format: ArchiveFormat { .plain }

    /// A script starts with pg_dump's header comment (`TEXT_DUMP_HEADER`).
    package static func recognizes(prefix: [UInt8]) -> Bool { prefix.starts(with: PlainScriptText.dumpHeader) }
    package static var recognition: FormatRecognition { .signature }

    package static func openReader(_ input: ArchiveInput, limits: ArchiveLimits) throws -> any ArchiveReader {
        try openReader(input, limits: limits, cache: nil)
    }

    package static func openReader(
        _ input: ArchiveInput, limits: ArchiveLimits, cache: ScriptIndexCache?
    ) throws -> any ArchiveReader {
        switch input {
        case .stream(let source): return try PlainScriptReader(source: source, limits: limits, cache: cache)
        case .directory(let path):
            throw PGDumpError(.invalidRequest, "is a directory, not a plain SQL script", file: path)
        }
    }

    package static func createWriter(
        _ destination: ArchiveDestination, header: ArchiveHeader, entries: [TOCEntry], compression: CompressionChoice,
        jobs: Int
    ) throws -> any ArchiveWriter {
        throw PGDumpError(
            .invalidRequest, "a plain SQL script is not written as an archive; it is rendered as a script (sql, convert --to p)")
    }

    /// A script's data is located by its offset in the script.
    package static func dataLocation(for entry: TOCEntry, version: ArchiveVersion) -> DataLocation { .offsetNotSet }
}
