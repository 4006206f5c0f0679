import PGDumpCore
import PGDumpCodecs

extension ArchiveFormat {
    /// `pg_dump -Fc`: one file, header + TOC + data blocks.
    public static let custom = ArchiveFormat(
        name: "custom", listName: "CUSTOM", commandLineNames: ["c", "custom"], headerFormatByte: 1,
        isDirectory: false, locatesDataByOffset: true, storesCompressedData: true, gzipFraming: .zlibStreams)
}

/// The custom format's driver (`pg_backup_custom.c`).
package enum CustomFormatDriver: ArchiveFormatDriver {
    package static var format: ArchiveFormat { .custom }

    /// A custom archive starts with `PGDMP` (`_discoverArchiveFormat`).
    package static func recognizes(prefix: [UInt8]) -> Bool { prefix.starts(with: HeaderReader.magic) }
    package static var recognition: FormatRecognition { .signature }

    package static func openReader(_ input: ArchiveInput, limits: ArchiveLimits) throws -> any ArchiveReader {
        switch input {
        case .stream(let source): return try CustomArchiveReader(source: source, limits: limits)
        case .directory(let path):
            throw PGDumpError(.invalidRequest, "is a directory, not a custom archive", file: path)
        }
    }

    package static func createWriter(
        _ destination: ArchiveDestination, header: ArchiveHeader, entries: [TOCEntry], compression: CompressionChoice,
        jobs: Int
    ) throws -> any ArchiveWriter {
        guard case .file(let output) = destination else {
            throw PGDumpError(.invalidRequest, "a custom archive is written to a file")
        }
        return try CustomArchiveWriter(output: output, header: header, entries: entries, compression: compression, jobs: jobs)
    }

    /// Data blocks are located by offsets, filled in once the data is written.
    package static func dataLocation(for entry: TOCEntry, version: ArchiveVersion) -> DataLocation { .offsetNotSet }
}
