import PGDumpCore
import PGDumpCodecs

extension ArchiveFormat {
    /// `pg_dump -Ft`: a tar file whose first member is `toc.dat`.
    public static let tar = ArchiveFormat(
        name: "tar", listName: "TAR", commandLineNames: ["t", "tar"], headerFormatByte: 3,
        isDirectory: false, locatesDataByOffset: false, storesCompressedData: false, gzipFraming: nil)
}

/// The tar format's driver (`pg_backup_tar.c`).
package enum TarFormatDriver: ArchiveFormatDriver {
    package static var format: ArchiveFormat { .tar }

    /// A tar archive starts with a valid ustar header block (`isValidTarHeader`).
    package static var recognition: FormatRecognition { .structure }

    package static func recognizes(prefix: [UInt8]) -> Bool {
        guard prefix.count >= TarHeader.blockSize else { return false }
        return prefix.withUnsafeBytes {
            TarHeader.isValidArchiveHeader(UnsafeRawBufferPointer(rebasing: $0[0..<TarHeader.blockSize]))
        }
    }

    package static func openReader(_ input: ArchiveInput, limits: ArchiveLimits) throws -> any ArchiveReader {
        switch input {
        case .stream(let source): return try TarArchiveReader(source: source, limits: limits)
        case .directory(let path):
            throw PGDumpError(.invalidRequest, "is a directory, not a tar archive", file: path)
        }
    }

    package static func createWriter(
        _ destination: ArchiveDestination, header: ArchiveHeader, entries: [TOCEntry], compression: CompressionChoice,
        jobs: Int
    ) throws -> any ArchiveWriter {
        guard case .file(let output) = destination else {
            throw PGDumpError(.invalidRequest, "a tar archive is written to a file")
        }
        return try TarArchiveWriter(output: output, header: header, entries: entries)
    }

    /// Every entry's data is a member named in the TOC: `N.dat` (a BLOBS entry's list is found by position).
    package static func dataLocation(for entry: TOCEntry, version: ArchiveVersion) -> DataLocation {
        .file(ArchiveText(DataMemberName.tableData(dumpID: entry.dumpID)))
    }
}
