import PGDumpCore
import PGDumpCodecs

#if canImport(Glibc)
import Glibc
#endif

/// Writes tar-format archives (`pg_dump -Ft`). Mirrors `pg_backup_tar.c`'s writing side.
///
/// Members come in pg_dump's order: `toc.dat`, each entry's data as `N.dat`, each BLOBS entry's large objects as
/// `blob_OID.dat` followed by their list (`blobs_N.toc`, or `blobs.toc` before 1.16), then two zero blocks. Data is
/// stored uncompressed, as pg_dump stores it. A member's size must precede its data: on a seekable file the header
/// is written afterwards in place; on a pipe each member is first spooled to an unlinked temporary file.
/// (`restore.sql`, which pg_dump adds for people and pg_restore never reads, is not written.)
package final class TarArchiveWriter: ArchiveWriter {
    private let output: OutputFile
    private let header: ArchiveHeader
    private var state = WriterState()
    private var member: TarMemberWriter?
    private var largeObjectList: [UInt8] = []
    private var largeObjectListName: String?
    private let modificationTime = Int64(time(nil))

    /// Writes toc.dat. `entries` must carry this format's file names (`N.dat` for every entry with data).
    package init(output: OutputFile, header: ArchiveHeader, entries: [TOCEntry]) throws {
        self.output = output
        self.header = header
        try writeWholeMember(name: "toc.dat", contents: TOCWriter.encodeWithFileNames(entries, header: header))
    }

    /// Tar stores data uncompressed, so stored data is plain data.
    package func beginStoredData(of entry: TOCEntry) throws { try beginData(of: entry) }

    package func beginData(of entry: TOCEntry) throws {
        try state.begin(entry)
        try state.run {
            if entry.isLargeObjectData {
                largeObjectList = []
                largeObjectListName = DataMemberName.largeObjectList(dumpID: entry.dumpID, version: header.version)
            } else {
                member = try TarMemberWriter(name: DataMemberName.tableData(dumpID: entry.dumpID), output: output, time: modificationTime)
            }
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        _ = try state.requireData()
        try state.run {
            guard let member else { throw PGDumpError(.invalidRequest, "large-object data outside a large object") }
            try member.write(bytes)
        }
    }

    package func beginLargeObject(oid: UInt32) throws {
        try state.beginLargeObject()
        try state.run {
            let name = DataMemberName.largeObject(oid: oid)
            largeObjectList += Array("\(oid) \(name)\n".utf8)
            member = try TarMemberWriter(name: name, output: output, time: modificationTime)
        }
    }

    package func endLargeObject() throws {
        try state.endLargeObject()
        try state.run {
            try member?.finish()
            member = nil
        }
    }

    package func endData() throws {
        _ = try state.end()
        try state.run {
            try member?.finish()
            member = nil
            if let name = largeObjectListName {
                try writeWholeMember(name: name, contents: largeObjectList)
                largeObjectListName = nil
            }
        }
    }

    package func finish() throws {
        try state.finish()
        try state.run {
            try output.write([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
            try output.flush()
        }
        state.markFinished()
    }

    private func writeWholeMember(name: String, contents: [UInt8]) throws {
        try output.write(TarHeader.encode(name: name, size: Int64(contents.count), modificationTime: modificationTime))
        try output.write(contents)
        try output.write([UInt8](repeating: 0, count: Int(TarHeader.padding(after: Int64(contents.count)))))
    }
}

/// One member whose size is known only at its end.
final class TarMemberWriter {
    private let name: String
    private let output: OutputFile
    private let time: Int64
    private var size: Int64 = 0
    /// Seekable output: where the header goes. Otherwise the member is gathered in `spool` until its size is
    /// known.
    private let headerOffset: Int64
    private let spool: TemporaryFile?
    /// Bytes for the spool, written to it a megabyte at a time.
    private var spoolBuffer: [UInt8] = []

    init(name: String, output: OutputFile, time: Int64) throws {
        self.name = name
        self.output = output
        self.time = time
        headerOffset = output.position
        if output.isSeekable {
            spool = nil
            try output.write([UInt8](repeating: 0, count: TarHeader.blockSize))
        } else {
            spool = try TemporaryFile(purpose: "a tar member", prefix: "pgdumpkit-tar")
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        size += Int64(bytes.count)
        if let spool {
            spoolBuffer.append(contentsOf: bytes)
            if spoolBuffer.count >= 1 << 20 { try flushSpool(spool) }
        } else {
            try output.write(bytes)
        }
    }

    func finish() throws {
        let header = TarHeader.encode(name: name, size: size, modificationTime: time)
        let padding = [UInt8](repeating: 0, count: Int(TarHeader.padding(after: size)))
        if let spool {
            try flushSpool(spool)
            try output.write(header)
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var offset: Int64 = 0
            while true {
                let count = try buffer.withUnsafeMutableBytes { try spool.read(at: offset, into: $0) }
                if count == 0 { break }
                try buffer.withUnsafeBytes { try output.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                offset += Int64(count)
            }
        } else {
            try output.rewrite(header, at: headerOffset)
        }
        try output.write(padding)
    }

    private func flushSpool(_ spool: TemporaryFile) throws {
        try spoolBuffer.withUnsafeBytes { try spool.append($0) }
        spoolBuffer.removeAll(keepingCapacity: true)
    }
}
