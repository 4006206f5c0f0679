import PGDumpCore

/// A pg_dumpall script (`pg_dumpall.c`): the cluster's globals (roles, role settings and memberships,
/// tablespaces), then, for each database, pg_dump's plain script of it (`-C` but for template1 and postgres),
/// each after a `-- Database "NAME" dump` comment.
///
/// One pass finds the parts; a database's part is then read as any pg_dump script, from its byte range. A pipe
/// or a decompressed stream is first copied to an unlinked temporary file (memory stays flat), so that the
/// parts can be read in any order.
public final class PlainClusterScript {
    /// One titled group of the globals (`-- Roles`, `-- Role memberships`, `-- User Config "NAME"`…) and its
    /// statements, one a line as pg_dumpall prints them.
    public struct GlobalsGroup: Sendable {
        public var title: String
        public var statements: [[UInt8]]
    }

    /// One database's pg_dump script within the cluster script.
    public struct DatabasePart: Sendable {
        /// The name pg_dumpall printed in `-- Database "NAME" dump`.
        public var name: String
        var start: Int64
        var end: Int64
        /// The script's size in bytes.
        public var size: Int64 { end - start }
    }

    public let name: String
    public let globals: [GlobalsGroup]
    public let databases: [DatabasePart]
    /// Set when the script ends without `-- PostgreSQL database cluster dump complete`.
    public let truncation: PGDumpError?
    private let source: ByteSource
    private let limits: ArchiveLimits

    static let clusterTrailer = Array("-- PostgreSQL database cluster dump complete\n".utf8)

    /// Reads the parts of the cluster script `source` starts with.
    package init(source: ByteSource, limits: ArchiveLimits = .default) throws {
        self.limits = limits
        name = source.name
        if source.isSeekable {
            self.source = source
        } else {
            let spool = try ScriptSpool()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = try source.read(into: buffer)
                if count == 0 { break }
                try spool.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
            self.source = SpoolByteSource(spool: spool, name: source.name)
        }
        let scanner = ScriptScanner(source: self.source)
        var globals: [GlobalsGroup] = []
        var databases: [DatabasePart] = []
        var line: [UInt8] = []
        var lineStart: Int64 = 0
        var previousWasDashes = false
        var previousStart: Int64 = 0
        var inGlobals = true
        var pendingName: String?
        var sawTrailer = false
        let lineLimit = max(1 << 20, min(limits.maxStringBytes, 256 << 20))
        func text(after prefix: String) -> String? {
            guard PlainScriptText.starts(line, with: prefix) else { return nil }
            return String(decoding: line.dropFirst(prefix.utf8.count).dropLast(), as: UTF8.self)
        }
        func closeDatabase(at end: Int64) {
            if var last = databases.last, last.end < 0 {
                last.end = end
                databases[databases.count - 1] = last
            }
        }
        while true {
            lineStart = scanner.position
            line.removeAll(keepingCapacity: true)
            guard try scanner.readLine(into: &line, limit: lineLimit) else { break }
            let isDashes = line == [0x2D, 0x2D, 0x0A]
            defer {
                previousWasDashes = isDashes
                previousStart = lineStart
            }
            if previousWasDashes, let title = text(after: "-- ") {
                if title == "Databases" {
                    inGlobals = false
                } else if title.hasPrefix("Database \""), title.hasSuffix("\" dump") {
                    closeDatabase(at: previousStart)
                    pendingName = String(title.dropFirst("Database \"".count).dropLast("\" dump".count))
                } else if title == "PostgreSQL database dump", let name = pendingName {
                    databases.append(DatabasePart(name: name, start: previousStart, end: -1))
                    pendingName = nil
                } else if title == "PostgreSQL database cluster dump complete" {
                    closeDatabase(at: previousStart)
                    sawTrailer = true
                    break
                } else if inGlobals {
                    // The script's own header comment opens the SET lines that precede the roles.
                    globals.append(GlobalsGroup(
                        title: title == "PostgreSQL database cluster dump" ? "Settings" : title, statements: []))
                }
                continue
            }
            if inGlobals {
                guard !isDashes, line != [0x0A], !line.starts(with: [0x5C]), !line.starts(with: [0x2D, 0x2D]) else { continue }
                if globals.isEmpty { globals.append(GlobalsGroup(title: "Settings", statements: [])) }
                globals[globals.count - 1].statements.append(Array(line.dropLast(line.last == 0x0A ? 1 : 0)))
            } else if line.count > 13, line.suffix(13).elementsEqual(" FROM stdin;\n".utf8) {
                // Skim COPY data: its lines are not comments.
                _ = try scanner.scanCopyData { _ in }
            }
        }
        closeDatabase(at: scanner.position)
        self.globals = globals
        self.databases = databases
        truncation = sawTrailer
            ? nil
            : PGDumpError(
                .truncated, "the pg_dumpall script ends without \"-- PostgreSQL database cluster dump complete\": it is truncated",
                file: source.name, offset: scanner.position)
    }

    /// The names of the databases, in script order.
    public var databaseNames: [String] { databases.map(\.name) }

    /// The script of database `name`, read as a pg_dump script.
    public func reader(forDatabase name: String) throws -> any ArchiveReader {
        guard let part = databases.first(where: { $0.name == name }) else {
            throw PGDumpError(
                .invalidRequest,
                "database \"\(name)\" is not in this pg_dumpall script; it holds \(databaseNames.map { "\"\($0)\"" }.joined(separator: ", "))",
                file: self.name)
        }
        return try PlainScriptReader(
            source: RangeByteSource(base: source, start: part.start, end: part.end), limits: limits,
            databaseName: ArchiveText(name))
    }
}

/// A byte range of a seekable source, read as a source of its own (offsets relative to the range).
final class RangeByteSource: ByteSource {
    let base: ByteSource
    let start: Int64
    let end: Int64
    private(set) var position: Int64 = 0
    private let baseBytesReadAtStart: Int64

    init(base: ByteSource, start: Int64, end: Int64) throws {
        self.base = base
        self.start = start
        self.end = end
        try base.seek(to: start)
        baseBytesReadAtStart = base.bytesRead
    }

    var name: String { base.name }
    var size: Int64? { end - start }
    var isSeekable: Bool { true }
    var bytesRead: Int64 { base.bytesRead - baseBytesReadAtStart }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = Int(min(Int64(buffer.count), end - start - position))
        guard wanted > 0 else { return 0 }
        let count = try base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]))
        position += Int64(count)
        return count
    }

    func seek(to offset: Int64) throws {
        try base.seek(to: start + offset)
        position = offset
    }
}

/// The spool file read back as a seekable source.
final class SpoolByteSource: ByteSource {
    let spool: ScriptSpool
    let name: String
    private(set) var position: Int64 = 0
    private(set) var bytesRead: Int64 = 0

    init(spool: ScriptSpool, name: String) {
        self.spool = spool
        self.name = name
    }

    var size: Int64? { spool.size }
    var isSeekable: Bool { true }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try spool.read(at: position, into: buffer)
        position += Int64(count)
        bytesRead += Int64(count)
        return count
    }

    func seek(to offset: Int64) throws { position = offset }
}
