import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// The rows that differ between two versions of a table's data (`diff --rows`), in bounded memory.
///
/// Both sides' COPY rows are hash-partitioned into bucket files (grace hash join): a row goes to the bucket of
/// its primary key's hash, or of the whole row's when the table has no primary key, so that a row and its
/// changed version always meet in the same bucket. Buckets are then compared one at a time, old against new, in
/// memory: rows in both (as a multiset) are equal, the others removed or added, and a removed and an added row
/// with the same key are one changed row. The number of buckets is chosen from the data's size so that a bucket
/// of each side fits `memoryBudget` (at most 256 buckets; beyond 256 × budget, or when one key holds most rows,
/// a bucket can outgrow it).
public enum RowComparison {
    public struct Options: Sendable {
        /// Bytes of rows one bucket pair may hold in memory.
        public var memoryBudget: Int
        /// An existing directory for the bucket files, which are removed as soon as each table is compared.
        public var spillDirectory: String

        public init(memoryBudget: Int = 64 << 20, spillDirectory: String) {
            self.memoryBudget = max(memoryBudget, 1 << 10)
            self.spillDirectory = spillDirectory
        }
    }

    /// One row that differs.
    public struct RowChange: Sendable {
        public enum Kind: String, Sendable {
            case added, removed, changed
        }

        public var kind: Kind
        /// The primary key's fields as COPY text, tab-separated; `nil` without a primary key.
        public var key: [UInt8]?
        /// The row as COPY text (without its newline) before and after.
        public var old: [UInt8]?
        public var new: [UInt8]?
    }

    /// How a comparison went: for tests and the curious.
    public struct Statistics: Sendable {
        public var buckets = 0
        /// The primary key's columns, when one was found.
        public var keyColumns: [[UInt8]]?
        public var rowChanges = 0
        /// The most bytes of rows (both sides) one bucket held in memory.
        public var largestBucket = 0
    }

    static let maximumBuckets = 256

    /// Compares the rows of `oldEntry` (in `oldReader`) and `newEntry`, calling `report` for each row that
    /// differs, bucket by bucket, sorted by key (or row) within a bucket.
    ///
    /// - Parameters:
    ///   - oldEntries, newEntries: each archive's entries, where the table's primary key is looked for.
    ///   - sizeHint: the larger side's data bytes, which sizes the buckets.
    public static func compare(
        old oldReader: any ArchiveReader, entry oldEntry: TOCEntry, entries oldEntries: [TOCEntry],
        new newReader: any ArchiveReader, entry newEntry: TOCEntry, entries newEntries: [TOCEntry],
        sizeHint: Int64, options: Options, report: (RowChange) throws -> Void
    ) throws -> Statistics {
        var statistics = Statistics()
        let match = primaryKey(
            old: oldEntry, version: oldReader.header.version, entries: oldEntries, new: newEntry,
            version: newReader.header.version, entries: newEntries)
        let keyPositions = match?.positions
        statistics.keyColumns = match?.columns
        let wanted = (sizeHint * 4 + Int64(options.memoryBudget) - 1) / Int64(options.memoryBudget)
        let buckets = Int(min(max(wanted, 1), Int64(maximumBuckets)))
        statistics.buckets = buckets
        let hashKey = SipHash128.Key.random()
        let oldFiles = try BucketFiles(directory: options.spillDirectory, prefix: "old", count: buckets)
        defer { oldFiles.remove() }
        let newFiles = try BucketFiles(directory: options.spillDirectory, prefix: "new", count: buckets)
        defer { newFiles.remove() }
        // Keyed rows must hold the columns the key's positions were found in.
        let oldColumns = match == nil ? nil : dataColumns(of: oldEntry, version: oldReader.header.version, entries: oldEntries)
        let newColumns = match == nil ? nil : dataColumns(of: newEntry, version: newReader.header.version, entries: newEntries)
        try ParallelWork.run(
            {
                var sink = PartitionSink(files: oldFiles, key: hashKey, keyPositions: keyPositions)
                try partition(oldEntry, from: oldReader, columns: oldColumns, into: &sink)
            },
            {
                var sink = PartitionSink(files: newFiles, key: hashKey, keyPositions: keyPositions)
                try partition(newEntry, from: newReader, columns: newColumns, into: &sink)
            })
        for bucket in 0..<buckets {
            let oldRows = try oldFiles.read(bucket)
            let newRows = try newFiles.read(bucket)
            statistics.largestBucket = max(statistics.largestBucket, oldRows.count + newRows.count)
            var changes = compareBucket(old: oldRows, new: newRows, keyPositions: keyPositions)
            changes.sort { a, b in
                let left = a.key ?? a.old ?? a.new ?? [], right = b.key ?? b.old ?? b.new ?? []
                if left != right { return left.lexicographicallyPrecedes(right) }
                return (a.old ?? a.new ?? []).lexicographicallyPrecedes(b.old ?? b.new ?? [])
            }
            statistics.rowChanges += changes.count
            for change in changes { try report(change) }
        }
        return statistics
    }

    /// Streams one side's rows, as COPY text lines, into its partitions: COPY data as stored, INSERT statements
    /// decoded (`InsertDataRows`), checked against `columns` when rows are keyed.
    private static func partition(
        _ entry: TOCEntry, from reader: any ArchiveReader, columns: [ArchiveText]?, into sink: inout PartitionSink
    ) throws {
        if entry.storesInsertStatements {
            try InsertDataRows.stream(entry, from: reader, columns: columns, rows: &sink)
        } else {
            try reader.streamData(of: entry, into: &sink)
        }
        try sink.finish()
    }

    /// The columns of a TABLE DATA entry's rows: those its COPY statement names or, for data stored as INSERT
    /// statements, its table's (as `extract` reads them).
    static func dataColumns(of entry: TOCEntry, version: ArchiveVersion, entries: [TOCEntry]) -> [ArchiveText]? {
        if entry.storesInsertStatements { return TableDefinition.dataColumns(ofDataEntry: entry, entries: entries) }
        return entry.copyStmt.flatMap { CopyStatement(parsing: $0, archiveVersion: version)?.columns }
    }

    /// The primary key rows are matched by, and its columns' positions in the rows: the new table's, else the old
    /// one's; `nil` when neither has one or the two sides' rows hold different columns (`dataColumns`).
    public static func primaryKey(
        old oldEntry: TOCEntry, version oldVersion: ArchiveVersion, entries oldEntries: [TOCEntry],
        new newEntry: TOCEntry, version newVersion: ArchiveVersion, entries newEntries: [TOCEntry]
    ) -> (columns: [[UInt8]], positions: [Int])? {
        let oldColumns = dataColumns(of: oldEntry, version: oldVersion, entries: oldEntries)
        let newColumns = dataColumns(of: newEntry, version: newVersion, entries: newEntries)
        guard let oldColumns, let newColumns, oldColumns == newColumns,
            let key = PrimaryKey.columns(of: newEntry, in: newEntries) ?? PrimaryKey.columns(of: oldEntry, in: oldEntries)
        else { return nil }
        let positions = key.compactMap { name in oldColumns.firstIndex { $0.bytes == name } }
        guard positions.count == key.count && !positions.isEmpty else { return nil }
        return (key, positions)
    }

    /// The records of a bucket file: each row as 4 bytes of length (little-endian), then the row.
    static func records(_ buffer: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var position = 0
        while position + 4 <= buffer.count {
            let length = Int(buffer[position]) | Int(buffer[position + 1]) << 8 | Int(buffer[position + 2]) << 16
                | Int(buffer[position + 3]) << 24
            position += 4
            let end = min(position + length, buffer.count)
            result.append(buffer[position..<end])
            position = end
        }
        return result
    }

    static func compareBucket(old oldBuffer: [UInt8], new newBuffer: [UInt8], keyPositions: [Int]?) -> [RowChange] {
        // Rows are matched by their keyed 128-bit hash, cheaper to look up than the bytes: two different rows
        // hash alike with negligible probability (2^-128 per pair, the key being secret).
        let key = SipHash128.Key.random()
        var counts: [Digest128: (count: Int, row: ArraySlice<UInt8>)] = [:]
        let oldRows = records(oldBuffer)
        counts.reserveCapacity(oldRows.count)
        for row in oldRows {
            let hash = row.withUnsafeBytes { SipHash128.hash($0, key: key) }
            counts[hash, default: (0, row)].count += 1
        }
        var added: [ArraySlice<UInt8>] = []
        for row in records(newBuffer) {
            let hash = row.withUnsafeBytes { SipHash128.hash($0, key: key) }
            if let found = counts[hash], found.count > 0 {
                counts[hash] = found.count == 1 ? nil : (found.count - 1, found.row)
            } else {
                added.append(row)
            }
        }
        var removed: [ArraySlice<UInt8>] = []
        for (_, value) in counts { removed += repeatElement(value.row, count: value.count) }
        guard let keyPositions else {
            return removed.map { RowChange(kind: .removed, key: nil, old: Array($0), new: nil) }
                + added.map { RowChange(kind: .added, key: nil, old: nil, new: Array($0)) }
        }
        // Rows with a key that was removed and added are changed; several per key (no real primary key) pair in
        // row order.
        removed.sort { $0.lexicographicallyPrecedes($1) }
        var removedByKey: [[UInt8]: [ArraySlice<UInt8>]] = [:]
        for row in removed.reversed() { removedByKey[keyFields(row, keyPositions), default: []].append(row) }
        var changes: [RowChange] = []
        added.sort { $0.lexicographicallyPrecedes($1) }
        for row in added {
            let key = keyFields(row, keyPositions)
            if var olds = removedByKey[key], let old = olds.popLast() {
                removedByKey[key] = olds.isEmpty ? nil : olds
                changes.append(RowChange(kind: .changed, key: key, old: Array(old), new: Array(row)))
            } else {
                changes.append(RowChange(kind: .added, key: key, old: nil, new: Array(row)))
            }
        }
        for (key, olds) in removedByKey {
            for old in olds { changes.append(RowChange(kind: .removed, key: key, old: Array(old), new: nil)) }
        }
        return changes
    }

    /// The hash of `keyFields(row, positions)`, without building it.
    static func keyHash(_ row: UnsafeRawBufferPointer, _ positions: [Int], key: SipHash128.Key) -> Digest128 {
        // Where each field starts and ends, up to the last one the key needs.
        let last = positions.max() ?? 0
        var starts: [Int] = [0]
        var ends: [Int] = []
        var index = 0
        while ends.count <= last, index <= row.count {
            if index == row.count || row[index] == 0x09 {
                ends.append(index)
                starts.append(index + 1)
            }
            index += 1
        }
        var hasher = SipHash128(key: key)
        for (number, position) in positions.enumerated() {
            if number > 0 { withUnsafeBytes(of: UInt8(0x09)) { hasher.update($0) } }
            if position < ends.count, let base = row.baseAddress {
                hasher.update(UnsafeRawBufferPointer(start: base + starts[position], count: ends[position] - starts[position]))
            }
        }
        return hasher.finalize()
    }

    /// The fields at `positions` of a COPY text row, tab-separated.
    static func keyFields<Row: Collection<UInt8>>(_ row: Row, _ positions: [Int]) -> [UInt8] where Row.Index == Int {
        var fields: [Range<Int>] = []
        var start = row.startIndex
        var index = row.startIndex
        while index < row.endIndex {
            if row[index] == 0x09 {
                fields.append(start..<index)
                start = index + 1
            }
            index += 1
        }
        fields.append(start..<row.endIndex)
        var key: [UInt8] = []
        for (number, position) in positions.enumerated() {
            if number > 0 { key.append(0x09) }
            if position < fields.count { key += row[fields[position]] }
        }
        return key
    }
}

/// A table's primary key, as pg_dump writes it: a CONSTRAINT entry `ALTER TABLE ONLY schema.table ADD CONSTRAINT
/// name PRIMARY KEY (columns);`, or a `PRIMARY KEY (columns)` inside the CREATE TABLE.
enum PrimaryKey {
    /// The columns of the primary key of `dataEntry`'s table, or `nil` when none is found.
    static func columns(of dataEntry: TOCEntry, in entries: [TOCEntry]) -> [[UInt8]]? {
        guard let table = dataEntry.tag?.bytes else { return nil }
        let schema = dataEntry.namespace?.bytes
        let prefix = table + [0x20]
        for entry in entries where entry.desc.equals("CONSTRAINT") && entry.namespace?.bytes == schema {
            guard let tag = entry.tag?.bytes, tag.starts(with: prefix), let defn = entry.defn?.bytes else { continue }
            var scanner = SQLNameScanner(defn)
            guard scanner.consumeKeyword("ALTER"), scanner.consumeKeyword("TABLE") else { continue }
            _ = scanner.consumeKeyword("ONLY")
            guard let name = scanner.readQualifiedName(), name.name == table, name.schema == nil || name.schema == schema,
                scanner.consumeKeyword("ADD"), scanner.consumeKeyword("CONSTRAINT"), scanner.readIdentifier() != nil,
                scanner.consumeKeyword("PRIMARY"), scanner.consumeKeyword("KEY"), scanner.consume(UInt8(ascii: "("))
            else { continue }
            var columns: [[UInt8]] = []
            repeat {
                guard let column = scanner.readIdentifier() else { return nil }
                columns.append(column)
            } while scanner.consume(UInt8(ascii: ","))
            return columns
        }
        return nil
    }
}

/// The bucket files of one side of a row comparison, each written through its own buffer.
final class BucketFiles: @unchecked Sendable {
    private let paths: [String]
    private var descriptors: [Int32]
    private var buffers: [[UInt8]]
    private static let bufferSize = 32 << 10

    init(directory: String, prefix: String, count: Int) throws {
        var paths: [String] = []
        var descriptors: [Int32] = []
        for bucket in 0..<count {
            let path = directory + "/" + prefix + "-" + String(bucket)
            let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                let message = SystemError.describe(errno)
                for (open, path) in zip(descriptors, paths) {
                    close(open)
                    unlink(path)
                }
                throw PGDumpError(.io, "could not create a temporary file: \(message)", file: path)
            }
            paths.append(path)
            descriptors.append(descriptor)
        }
        self.paths = paths
        self.descriptors = descriptors
        buffers = Array(repeating: [], count: count)
    }

    var count: Int { paths.count }

    func append(_ row: UnsafeRawBufferPointer, to bucket: Int) throws {
        let length = UInt32(truncatingIfNeeded: row.count)
        buffers[bucket].append(UInt8(truncatingIfNeeded: length))
        buffers[bucket].append(UInt8(truncatingIfNeeded: length >> 8))
        buffers[bucket].append(UInt8(truncatingIfNeeded: length >> 16))
        buffers[bucket].append(UInt8(truncatingIfNeeded: length >> 24))
        buffers[bucket].append(contentsOf: row)
        if buffers[bucket].count >= Self.bufferSize { try flush(bucket) }
    }

    func flush(_ bucket: Int) throws {
        try buffers[bucket].withUnsafeBytes {
            try FileDescriptorSink.writeAll($0, to: descriptors[bucket], name: paths[bucket])
        }
        buffers[bucket].removeAll(keepingCapacity: true)
    }

    func flushAll() throws {
        for bucket in 0..<count { try flush(bucket) }
    }

    /// The whole of one bucket file.
    func read(_ bucket: Int) throws -> [UInt8] {
        let descriptor = descriptors[bucket]
        let size = Int(lseek(descriptor, 0, SEEK_END))
        guard size > 0 else { return [] }
        var result = [UInt8](repeating: 0, count: size)
        var offset = 0
        try result.withUnsafeMutableBytes { buffer in
            while offset < size {
                let count = pread(descriptor, buffer.baseAddress! + offset, size - offset, off_t(offset))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    throw PGDumpError(.io, "could not read a temporary file: \(SystemError.describe(errno))", file: paths[bucket])
                }
                offset += count
            }
        }
        // Read once: the file's space goes back at once.
        _ = ftruncate(descriptor, 0)
        return result
    }

    /// Closes and removes every file.
    func remove() {
        for (descriptor, path) in zip(descriptors, paths) {
            close(descriptor)
            unlink(path)
        }
        descriptors = []
    }
}

/// Cuts COPY data into rows and writes each to its bucket.
struct PartitionSink: DataSink {
    let files: BucketFiles
    let key: SipHash128.Key
    let keyPositions: [Int]?
    private var line: [UInt8] = []
    private var ended = false

    init(files: BucketFiles, key: SipHash128.Key, keyPositions: [Int]?) {
        self.files = files
        self.key = key
        self.keyPositions = keyPositions
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !ended, let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            guard let found = memchr(base + start, 0x0A, bytes.count - start) else {
                line.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: bytes.count - start))
                return
            }
            let end = UnsafeRawPointer(found) - base
            if line.isEmpty {
                try endLine(UnsafeRawBufferPointer(start: base + start, count: end - start))
            } else {
                line.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: end - start))
                let complete = line
                line.removeAll(keepingCapacity: true)
                try complete.withUnsafeBytes { try endLine($0) }
            }
            if ended { return }
            start = end + 1
        }
    }

    private mutating func endLine(_ row: UnsafeRawBufferPointer) throws {
        if row.count == 2 && row[0] == 0x5C && row[1] == 0x2E {
            ended = true
            return
        }
        let hash = keyPositions.map { RowComparison.keyHash(row, $0, key: key) } ?? SipHash128.hash(row, key: key)
        try files.append(row, to: Int(hash.low % UInt64(files.count)))
    }

    mutating func finish() throws {
        if !ended && !line.isEmpty {
            let complete = line
            line.removeAll()
            try complete.withUnsafeBytes { try endLine($0) }
        }
        try files.flushAll()
    }
}
