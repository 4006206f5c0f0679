import PGDumpCore
import PGDumpCodecs

extension ArchiveFormat {
    /// `pg_dump -Fd`: a directory with `toc.dat` and one file per data entry.
    public static let directory = ArchiveFormat(
        name: "directory", listName: "DIRECTORY", commandLineNames: ["d", "directory"], headerFormatByte: 3,
        isDirectory: true, locatesDataByOffset: false, storesCompressedData: true, gzipFraming: .gzipFiles)
}

/// The directory format's driver (`pg_backup_directory.c`).
package enum DirectoryFormatDriver: ArchiveFormatDriver {
    package static var format: ArchiveFormat { .directory }

    /// Directory archives are recognised by being directories.
    package static func recognizes(prefix: [UInt8]) -> Bool { false }
    package static var recognition: FormatRecognition { .none }

    package static func openReader(_ input: ArchiveInput, limits: ArchiveLimits) throws -> any ArchiveReader {
        switch input {
        case .directory(let path): return try DirectoryArchiveReader(path: path, limits: limits)
        case .stream(let source):
            throw PGDumpError(.invalidRequest, "a directory archive must be opened by its path", file: source.name)
        }
    }

    package static func createWriter(
        _ destination: ArchiveDestination, header: ArchiveHeader, entries: [TOCEntry], compression: CompressionChoice,
        jobs: Int
    ) throws -> any ArchiveWriter {
        guard case .directory(let path) = destination else {
            throw PGDumpError(.invalidRequest, "a directory archive cannot be written to standard output")
        }
        return try DirectoryArchiveWriter(path: path, header: header, entries: entries, compression: compression, jobs: jobs)
    }

    /// `N.dat` for tables; a BLOBS entry names its large-object list.
    package static func dataLocation(for entry: TOCEntry, version: ArchiveVersion) -> DataLocation {
        .file(ArchiveText(
            entry.isLargeObjectData
                ? DataMemberName.largeObjectList(dumpID: entry.dumpID, version: version)
                : DataMemberName.tableData(dumpID: entry.dumpID)))
    }
}
