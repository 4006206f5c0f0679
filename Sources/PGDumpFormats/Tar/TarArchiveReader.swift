import PGDumpCore
import PGDumpCodecs

/// Reads tar-format archives (`pg_dump -Ft`) from a file or a pipe. Mirrors `pg_backup_tar.c`.
///
/// `toc.dat` must be the first member. Members are found by exact name, as pg_restore finds them. On a seekable
/// file any member can be reached through an index of headers built on demand; on a pipe members are read strictly
/// forward, and asking for one already passed is an error.
package final class TarArchiveReader: ArchiveReader {
    package let format = ArchiveFormat.tar
    package let header: ArchiveHeader
    package let entries: [TOCEntry]
    package private(set) var warnings: [ArchiveWarning] = []
    package let sessionSettings: ArchiveSessionSettings
    package var path: String { reader.source.name }
    private let reader: BufferedReader

    /// A member whose header has been read.
    struct Member {
        var name: String
        var dataOffset: Int64
        var size: Int64
    }

    /// Members seen so far, in archive order.
    private var members: [Member] = []
    /// Where the next unread header starts.
    private var nextHeaderOffset: Int64
    /// Whether the end of the archive has been reached while scanning.
    private var reachedEnd = false
    /// Pipe only: a member whose header was read but whose data was not consumed.
    private var pending: Member?

    /// Opens the archive at the source's current position.
    package init(source: ByteSource, limits: ArchiveLimits = .default) throws {
        let reader = BufferedReader(source: source)
        self.reader = reader
        // Small refills until the TOC is read, so that opening reads little more than the headers and the TOC;
        // members' data is read later with the whole buffer.
        let preferredReadSize = reader.preferredReadSize
        reader.preferredReadSize = min(preferredReadSize, 64 << 10)
        defer { reader.preferredReadSize = preferredReadSize }
        // pg_dump writes toc.dat first; like pg_restore's _tarPositionTo, skip members before it (a directory
        // entry added by another tar program, say). Nothing skipped is ever followed or written anywhere.
        var skipped: [Member] = []
        var found: Member?
        while let member = try Self.readMemberHeader(reader, allowingAnyType: true) {
            if member.name == "toc.dat" {
                found = member
                break
            }
            skipped.append(member)
            try reader.skip(member.size + TarHeader.padding(after: member.size), "tar member \(member.name)")
        }
        guard let tocMember = found else {
            throw PGDumpError(.corrupt, "could not find header for file \"toc.dat\" in tar archive", file: source.name)
        }
        let memberEnd = tocMember.dataOffset + tocMember.size
        reader.limit = memberEnd
        let toc: TableOfContents
        do {
            toc = try TOCReader.readHeaderAndTOC(
                from: reader, expecting: .tar, limits: limits, dataLocation: .fileName)
        } catch let error as PGDumpError {
            var located = error
            if located.kind == .truncated { located.message += " in member toc.dat" }
            throw located
        }
        reader.limit = nil
        header = toc.header
        entries = toc.entries
        warnings = toc.warnings
        sessionSettings = toc.settings
        members = skipped + [tocMember]
        nextHeaderOffset = memberEnd + TarHeader.padding(after: tocMember.size)
        if !source.isSeekable {
            try reader.skip(nextHeaderOffset - reader.position, "the toc.dat member")
        }
    }

    /// A reader of the same TOC over a second cursor on the file, knowing the members `members` lists.
    private init(sharing original: TarArchiveReader, source: ByteSource, members: [Member], complete: Bool) {
        reader = BufferedReader(source: source)
        header = original.header
        entries = original.entries
        warnings = original.warnings
        sessionSettings = original.sessionSettings
        self.members = members
        nextHeaderOffset = original.nextHeaderOffset
        reachedEnd = complete
    }

    /// Every member's header, read once by a reader of its own (this one's position and state stay as they are)
    /// for the independent readers; `nil` when a header cannot be read: the damage is then met, and reported, as
    /// a single reader meets it.
    private var completeMemberIndex: [Member]??

    /// On a seekable file, with every member header readable: a reader that knows all members, so that it
    /// never scans.
    package func makeIndependentDataReader() throws -> (any ArchiveReader)? {
        guard reader.source.isSeekable else { return nil }
        if completeMemberIndex == nil {
            guard let source = reader.source.makeIndependentSource() else { return nil }
            let scanner = TarArchiveReader(sharing: self, source: source, members: members, complete: reachedEnd)
            do {
                while try scanner.nextMember() != nil {}
                completeMemberIndex = .some(scanner.members)
            } catch {
                completeMemberIndex = .some(nil)
            }
        }
        guard let index = completeMemberIndex ?? nil, let source = reader.source.makeIndependentSource() else {
            return nil
        }
        return TarArchiveReader(sharing: self, source: source, members: index, complete: true)
    }

    package var supportsRandomAccess: Bool { reader.source.isSeekable }

    package func sizeOnDisk() throws -> Int64? { reader.source.size }

    package var storedBytesRead: Int64 { reader.source.bytesRead }

    package func storedSize(of entry: TOCEntry) throws -> Int64? {
        guard reader.source.isSeekable, case .file(let name) = entry.dataLocation else { return nil }
        if entry.isLargeObjectData {
            return try largeObjectRun(for: entry).reduce(0) { $0.saturatingAdding($1.size) }
        }
        return try findMember(named: name.string)?.size
    }

    /// Tar archives store data uncompressed.
    package func storedCompression(of entry: TOCEntry) throws -> CompressionAlgorithm? { CompressionAlgorithm.none }

    package func streamStoredData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        try streamData(of: entry, into: &sink)
    }

    package func streamData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        // On a pipe a failure leaves the reader inside a member: every later request fails the same way.
        if let stickyFailure { throw stickyFailure }
        do {
            try streamMemberData(of: entry, into: &sink)
        } catch let error as PGDumpError {
            if !reader.source.isSeekable { stickyFailure = error }
            throw error
        }
    }

    /// The first error met on a non-seekable input.
    private var stickyFailure: PGDumpError?

    private func streamMemberData<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        guard case .file(let name) = entry.dataLocation else {
            throw PGDumpError(.invalidRequest, "entry has no data", file: path, dumpID: entry.dumpID)
        }
        guard header.compression.algorithm == .none else {
            throw PGDumpError(
                .corrupt, "compression is not supported by tar archive format", file: path, dumpID: entry.dumpID)
        }
        do {
            if entry.isLargeObjectData {
                try streamLargeObjects(of: entry, into: &sink)
                return
            }
            guard let member = try findMember(named: name.string) else {
                if !reader.source.isSeekable, members.contains(where: { $0.name == name.string }) {
                    throw PGDumpError(
                        .outOfOrder,
                        "restoring data out of order is not supported in this archive format: \"\(name)\" comes before the current position in the archive file")
                }
                throw PGDumpError(.missingMember, "could not find header for file \"\(name)\" in tar archive")
            }
            try stream(member, into: &sink)
        } catch let error as PGDumpError {
            throw error.inFile(path).forEntry(entry.dumpID)
        }
    }

    // MARK: - Members

    /// Reads the header at the reader's position, skipping all-zero blocks; `nil` at the end of the archive.
    /// Members other than regular files are refused unless `allowingAnyType` (they are then only skipped).
    private static func readMemberHeader(_ reader: BufferedReader, allowingAnyType: Bool = false) throws -> Member? {
        while true {
            let headerOffset = reader.position
            guard let block = try reader.peekBytes(count: TarHeader.blockSize) else {
                if try reader.peekBytes(count: 1) != nil {
                    throw PGDumpError(
                        .truncated, "incomplete tar header found", file: reader.source.name, offset: headerOffset)
                }
                return nil
            }
            let parsed = TarHeader.parse(block)
            reader.consume(TarHeader.blockSize)
            switch parsed {
            case .zeroBlock:
                // Two zero blocks in a row end the archive, as for tar itself: an endless stream of zeros (or a
                // tar followed by them) must not be read forever.
                if let next = try reader.peekBytes(count: TarHeader.blockSize), case .zeroBlock = TarHeader.parse(next) {
                    return nil
                }
                continue
            case .badChecksum(let expected, let computed):
                throw PGDumpError(
                    .corrupt, "corrupt tar header found (expected \(expected), computed \(computed))",
                    file: reader.source.name, offset: headerOffset)
            case .header(let header):
                // pg_dump names members toc.dat, N.dat, blob_N.dat, blobs[_N].toc, restore.sql: never a path.
                let components = header.name.split(separator: "/", omittingEmptySubsequences: false)
                guard !header.name.hasPrefix("/"), !components.contains("..") else {
                    throw PGDumpError(
                        .corrupt,
                        "tar member name \(header.name.debugDescription) leaves the archive (an absolute path or \"..\"); pg_dump never writes one",
                        file: reader.source.name, offset: headerOffset)
                }
                guard allowingAnyType || header.typeFlag == UInt8(ascii: "0") || header.typeFlag == 0 else {
                    throw PGDumpError(
                        .corrupt,
                        "tar member \(header.name.debugDescription) is not a regular file (type \(Character(Unicode.Scalar(header.typeFlag)))); pg_dump writes only regular files",
                        file: reader.source.name, offset: headerOffset)
                }
                guard header.size >= 0 else {
                    throw PGDumpError(
                        .corrupt, "tar member \(header.name.debugDescription) has an invalid size",
                        file: reader.source.name, offset: headerOffset)
                }
                let dataOffset = reader.position
                // Offsets past the member must stay representable, whatever size a hostile header declares.
                guard header.size <= Int64.max - dataOffset - Int64(TarHeader.blockSize) else {
                    throw PGDumpError(
                        .corrupt, "tar member \(header.name.debugDescription) declares an impossible size \(header.size)",
                        file: reader.source.name, offset: headerOffset)
                }
                if let total = reader.source.size, header.size > total - dataOffset {
                    throw PGDumpError(
                        .truncated,
                        "tar member \(header.name.debugDescription) of \(header.size) bytes extends past the end of the file",
                        file: reader.source.name, offset: headerOffset)
                }
                return Member(name: header.name, dataOffset: dataOffset, size: header.size)
            }
        }
    }

    /// The next member after those already seen, or `nil` at the end. On a pipe the reader is left at its data.
    private func nextMember() throws -> Member? {
        if let pending {
            self.pending = nil
            return pending
        }
        guard !reachedEnd else { return nil }
        if reader.source.isSeekable { try reader.seek(to: nextHeaderOffset) }
        guard let member = try Self.readMemberHeader(reader) else {
            reachedEnd = true
            return nil
        }
        members.append(member)
        nextHeaderOffset = member.dataOffset + member.size + TarHeader.padding(after: member.size)
        return member
    }

    package var logsLargeObjectsWhileReading: Bool { true }

    /// Reads every remaining member header and checks that the last member's data and padding are all there, as
    /// tar itself does ("Unexpected EOF in archive"): pg_restore never looks past the members it needs.
    package func checkContainerEnd() throws {
        do {
            while let member = try nextMember() { try skipData(of: member) }
            if let last = members.last, let size = reader.source.size {
                let end = last.dataOffset + last.size + TarHeader.padding(after: last.size)
                if end > size {
                    throw PGDumpError(
                        .truncated,
                        "tar member \(last.name.debugDescription) ends \(end - size) bytes past the end of the file: the archive is truncated",
                        offset: last.dataOffset)
                }
            }
        } catch let error as PGDumpError {
            throw error.inFile(path)
        }
    }

    /// Pipe only: moves past a member's data that will not be read.
    private func skipData(of member: Member) throws {
        guard !reader.source.isSeekable else { return }
        try reader.skip(member.dataOffset + member.size - reader.position, "tar member \(member.name)")
        try reader.skip(TarHeader.padding(after: member.size), "tar padding")
    }

    /// Finds a member by exact name. On a pipe only members ahead of the current position can be found.
    private func findMember(named name: String) throws -> Member? {
        if reader.source.isSeekable, let known = members.first(where: { $0.name == name }) { return known }
        if let pending, pending.name == name {
            self.pending = nil
            return pending
        }
        while let member = try nextMember() {
            if member.name == name { return member }
            try skipData(of: member)
        }
        return nil
    }

    /// Streams a member's bytes; on a pipe the reader must be at its data.
    private func stream<Sink: DataSink>(_ member: Member, into sink: inout Sink) throws {
        if reader.source.isSeekable { try reader.seek(to: member.dataOffset) }
        var left = member.size
        while left > 0 {
            let read = try reader.withReadableBytes(maximum: Int(min(left, Int64(Int.max)))) { bytes in
                try sink.write(bytes)
                return (bytes.count, bytes.count)
            }
            guard let read else { throw reader.truncated("tar member \(member.name)") }
            left -= Int64(read)
        }
        if !reader.source.isSeekable { try reader.skip(TarHeader.padding(after: member.size), "tar padding") }
    }

    /// The OID in a `blob_<oid>.dat` member name, or `nil` for other members. Mirrors `_LoadLOs`.
    private static func largeObjectOID(_ name: String) -> UInt32? {
        guard name.hasPrefix("blob_") else { return nil }
        let digits = name.dropFirst(5).prefix { $0.isASCII && $0.isNumber }
        guard let oid = UInt32(digits), oid != 0 else { return nil }
        return oid
    }

    /// Seekable only: the run of `blob_` members that belongs to a BLOBS entry. pg_dump writes each BLOBS
    /// entry's large objects as one run, in TOC order, so the n-th BLOBS entry owns the n-th run.
    private func largeObjectRun(for entry: TOCEntry) throws -> [Member] {
        while try nextMember() != nil {}
        var runs: [[Member]] = []
        var current: [Member] = []
        for member in members {
            if Self.largeObjectOID(member.name) != nil {
                current.append(member)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        let blobsEntries = entries.filter { $0.isLargeObjectData && $0.hasData }
        guard let index = blobsEntries.firstIndex(where: { $0.dumpID == entry.dumpID }) else { return [] }
        return index < runs.count ? runs[index] : []
    }

    /// Streams a BLOBS entry's large objects.
    private func streamLargeObjects<Sink: DataSink>(of entry: TOCEntry, into sink: inout Sink) throws {
        if reader.source.isSeekable {
            for member in try largeObjectRun(for: entry) {
                try sink.beginLargeObject(oid: Self.largeObjectOID(member.name)!)
                try stream(member, into: &sink)
                try sink.endLargeObject()
            }
            return
        }
        // A pipe: from here, skip to the first blob_ member, then read members while they are blob_ ones.
        var foundAny = false
        while let member = try nextMember() {
            guard let oid = Self.largeObjectOID(member.name) else {
                if foundAny {
                    pending = member
                    return
                }
                try skipData(of: member)
                continue
            }
            foundAny = true
            try sink.beginLargeObject(oid: oid)
            try stream(member, into: &sink)
            try sink.endLargeObject()
        }
    }
}
