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
/// memory: each side's rows are read whole and listed by hash (`bucketRowBytes` a row besides its bytes), the
/// two lists sorted and merged: rows in both (as a multiset) are equal, the others removed or added, and a
/// removed and an added row with the same key are one changed row.
///
/// What is held is accounted against `memoryBudget`: the partitions' write buffers while both sides are read
/// (`BucketFiles.bufferSize(buckets:budget:)`, three quarters of the budget at most, one block per side, freed
/// before the comparison), then one bucket pair with its row lists. The number of buckets is chosen from the
/// larger side's bytes and rows so that a bucket pair fits three quarters of the budget; the rest is slack for
/// uneven buckets and for the rows that differ (about 24 bytes each, plus its key's bytes, until its bucket is
/// reported; each is copied out only while it is reported). At most 256 buckets (512 open files): beyond about
/// 256 × budget of data, or when one key holds most rows, a bucket outgrows the budget.
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

    /// Bytes a row of a bucket costs besides its own in the comparison: its 4-byte length in the bucket file, its
    /// entry in the list of rows (`BucketRow`, 32 bytes), and the scratch space sorting that list may take.
    static let bucketRowBytes = 4 + 2 * MemoryLayout<BucketRow>.stride

    /// How many buckets make one bucket pair (both sides' rows and row lists) fit three quarters of `budget`,
    /// from the larger side's bytes and rows; at least 1, at most `maximumBuckets`.
    static func bucketCount(bytes: Int64, rows: Int64, budget: Int) -> Int {
        let pair = 2 * (max(bytes, 0) + max(rows, 0) * Int64(bucketRowBytes))
        let usable = Int64(max(budget / 4 * 3, 1))
        return Int(min(max((pair + usable - 1) / usable, 1), Int64(maximumBuckets)))
    }

    /// Compares the rows of `oldEntry` (in `oldReader`) and `newEntry`, calling `report` for each row that
    /// differs, bucket by bucket, sorted by key (or row) within a bucket.
    ///
    /// - Parameters:
    ///   - oldEntries, newEntries: each archive's entries, where the table's primary key is looked for.
    ///   - sizeHint, rowsHint: the larger side's data bytes and rows (from its `TableDigest`), which size the
    ///     buckets.
    public static func compare(
        old oldReader: any ArchiveReader, entry oldEntry: TOCEntry, entries oldEntries: [TOCEntry],
        new newReader: any ArchiveReader, entry newEntry: TOCEntry, entries newEntries: [TOCEntry],
        sizeHint: Int64, rowsHint: Int64 = 0, options: Options, report: (RowChange) throws -> Void
    ) throws -> Statistics {
        var statistics = Statistics()
        let match = primaryKey(
            old: oldEntry, version: oldReader.header.version, entries: oldEntries, new: newEntry,
            version: newReader.header.version, entries: newEntries)
        let keyPositions = match?.positions
        statistics.keyColumns = match?.columns
        let buckets = bucketCount(bytes: sizeHint, rows: rowsHint, budget: options.memoryBudget)
        statistics.buckets = buckets
        let hashKey = SipHash128.Key.random()
        let bufferSize = BucketFiles.bufferSize(buckets: buckets, budget: options.memoryBudget)
        let oldFiles = try BucketFiles(directory: options.spillDirectory, prefix: "old", count: buckets, bufferSize: bufferSize)
        defer { oldFiles.remove() }
        let newFiles = try BucketFiles(directory: options.spillDirectory, prefix: "new", count: buckets, bufferSize: bufferSize)
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
        // The write buffers go back before any bucket is read.
        oldFiles.releaseBuffers()
        newFiles.releaseBuffers()
        for bucket in 0..<buckets {
            let oldRows = try oldFiles.read(bucket)
            let newRows = try newFiles.read(bucket)
            statistics.largestBucket = max(statistics.largestBucket, oldRows.count + newRows.count)
            statistics.rowChanges += try compareBucket(old: oldRows, new: newRows, keyPositions: keyPositions, report: report)
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

    /// A row of a bucket: the keyed hash of its bytes and where they are in the bucket.
    struct BucketRow {
        var hash: Digest128
        var start: Int32
        var end: Int32
        var range: Range<Int> { Int(start)..<Int(end) }
    }

    /// The rows of a bucket file, each stored as 4 bytes of length (little-endian), then the row; a bucket of
    /// 2 GiB or more is refused by `BucketFiles.read`.
    static func bucketRows(_ buffer: [UInt8], key: SipHash128.Key) -> [BucketRow] {
        buffer.withUnsafeBytes { bytes in
            var result: [BucketRow] = []
            var position = 0
            while position + 4 <= bytes.count {
                let length = Int(bytes[position]) | Int(bytes[position + 1]) << 8 | Int(bytes[position + 2]) << 16
                    | Int(bytes[position + 3]) << 24
                position += 4
                let end = min(position + length, bytes.count)
                let hash = SipHash128.hash(UnsafeRawBufferPointer(rebasing: bytes[position..<end]), key: key)
                result.append(BucketRow(hash: hash, start: Int32(truncatingIfNeeded: position), end: Int32(truncatingIfNeeded: end)))
                position = end
            }
            return result
        }
    }

    /// Where a row (or a key, in `compareBucket`'s key bytes) is in its bucket.
    struct RowSpan {
        var start: Int32
        var end: Int32
    }

    /// Compares one bucket of each side and reports the rows that differ, sorted by key (then row) or, without a
    /// key, by row; returns how many. Only the rows that differ are copied, one at a time as they are reported.
    static func compareBucket(
        old oldBuffer: [UInt8], new newBuffer: [UInt8], keyPositions: [Int]?, report: (RowChange) throws -> Void
    ) throws -> Int {
        // Rows are matched by their keyed 128-bit hash, cheaper to compare than the bytes: two different rows
        // hash alike with negligible probability (2^-128 per pair, the key being secret). Each side's rows are
        // listed flat (24 bytes a row, no allocation per row) and sorted by hash, and the two lists merged.
        let key = SipHash128.Key.random()
        var removed: [RowSpan] = []
        var added: [RowSpan] = []
        do {
            var oldRows = bucketRows(oldBuffer, key: key)
            oldRows.sort { $0.hash < $1.hash }
            var newRows = bucketRows(newBuffer, key: key)
            newRows.sort { $0.hash < $1.hash }
            var o = 0, n = 0
            while o < oldRows.count || n < newRows.count {
                if n == newRows.count || (o < oldRows.count && oldRows[o].hash < newRows[n].hash) {
                    removed.append(RowSpan(start: oldRows[o].start, end: oldRows[o].end))
                    o += 1
                } else if o == oldRows.count || newRows[n].hash < oldRows[o].hash {
                    added.append(RowSpan(start: newRows[n].start, end: newRows[n].end))
                    n += 1
                } else {
                    o += 1
                    n += 1
                }
            }
        }
        return try oldBuffer.withUnsafeBytes { old in
            try newBuffer.withUnsafeBytes { new in
                try reportDifferences(
                    removed: removed, of: old, added: added, of: new, keyPositions: keyPositions, report: report)
            }
        }
    }

    /// Orders two byte strings as `lexicographicallyPrecedes` does: -1, 0 or 1.
    static func order(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0, let x = a.baseAddress, let y = b.baseAddress {
            let result = memcmp(x, y, common)
            if result != 0 { return result < 0 ? -1 : 1 }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Reports the rows of one bucket found on one side only: without a key, each as removed or added, in row
    /// order; with one, a removed and an added row of the same key as one changed row (several of one key, where
    /// the key is not really unique, paired in row order), in key order.
    private static func reportDifferences(
        removed: [RowSpan], of old: UnsafeRawBufferPointer, added: [RowSpan], of new: UnsafeRawBufferPointer,
        keyPositions: [Int]?, report: (RowChange) throws -> Void
    ) throws -> Int {
        func bytes(_ buffer: UnsafeRawBufferPointer, _ span: RowSpan) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: buffer[Int(span.start)..<Int(span.end)])
        }
        guard let keyPositions else {
            let removed = removed.sorted { order(bytes(old, $0), bytes(old, $1)) < 0 }
            let added = added.sorted { order(bytes(new, $0), bytes(new, $1)) < 0 }
            var r = 0, a = 0
            while r < removed.count || a < added.count {
                if a == added.count || (r < removed.count && order(bytes(old, removed[r]), bytes(new, added[a])) <= 0) {
                    try report(RowChange(kind: .removed, key: nil, old: Array(bytes(old, removed[r])), new: nil))
                    r += 1
                } else {
                    try report(RowChange(kind: .added, key: nil, old: nil, new: Array(bytes(new, added[a]))))
                    a += 1
                }
            }
            return removed.count + added.count
        }
        // Each differing row's key, in one buffer.
        var keys: [UInt8] = []
        func keyed(_ spans: [RowSpan], of buffer: UnsafeRawBufferPointer) -> [(row: RowSpan, key: RowSpan)] {
            spans.map { span in
                let start = Int32(truncatingIfNeeded: keys.count)
                keys += keyFields(bytes(buffer, span), keyPositions)
                return (span, RowSpan(start: start, end: Int32(truncatingIfNeeded: keys.count)))
            }
        }
        var olds = keyed(removed, of: old)
        var news = keyed(added, of: new)
        return try keys.withUnsafeBytes { keyBytes in
            func precedes(_ a: (row: RowSpan, key: RowSpan), _ b: (row: RowSpan, key: RowSpan), _ rows: UnsafeRawBufferPointer) -> Bool {
                let byKey = order(bytes(keyBytes, a.key), bytes(keyBytes, b.key))
                return byKey != 0 ? byKey < 0 : order(bytes(rows, a.row), bytes(rows, b.row)) < 0
            }
            olds.sort { precedes($0, $1, old) }
            news.sort { precedes($0, $1, new) }
            var r = 0, a = 0, count = 0
            while r < olds.count || a < news.count {
                let byKey = r == olds.count ? 1 : a == news.count ? -1
                    : order(bytes(keyBytes, olds[r].key), bytes(keyBytes, news[a].key))
                if byKey < 0 {
                    try report(RowChange(
                        kind: .removed, key: Array(bytes(keyBytes, olds[r].key)), old: Array(bytes(old, olds[r].row)), new: nil))
                    r += 1
                } else if byKey > 0 {
                    try report(RowChange(
                        kind: .added, key: Array(bytes(keyBytes, news[a].key)), old: nil, new: Array(bytes(new, news[a].row))))
                    a += 1
                } else {
                    try report(RowChange(
                        kind: .changed, key: Array(bytes(keyBytes, news[a].key)), old: Array(bytes(old, olds[r].row)),
                        new: Array(bytes(new, news[a].row))))
                    r += 1
                    a += 1
                }
                count += 1
            }
            return count
        }
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

/// The bucket files of one side of a row comparison, each written through its own buffer: one block of
/// `count × bufferSize` bytes, one allocation (large enough to be mapped and unmapped on its own, so that freeing
/// it gives the memory back).
final class BucketFiles: @unchecked Sendable {
    private let paths: [String]
    private var descriptors: [Int32]
    private var block: UnsafeMutableRawPointer?
    private var fill: [Int]
    private let bufferSize: Int

    /// The write buffer of each bucket file: both sides' buffers together take at most three quarters of
    /// `budget` (they are freed before any bucket is compared), and each is 4 to 32 KiB.
    static func bufferSize(buckets: Int, budget: Int) -> Int {
        min(max(budget / 4 * 3 / (2 * max(buckets, 1)), 4 << 10), 32 << 10)
    }

    init(directory: String, prefix: String, count: Int, bufferSize: Int = 32 << 10) throws {
        self.bufferSize = bufferSize
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
        block = UnsafeMutableRawPointer.allocate(byteCount: count * bufferSize, alignment: 16)
        fill = Array(repeating: 0, count: count)
    }

    deinit { block?.deallocate() }

    var count: Int { paths.count }

    func append(_ row: UnsafeRawBufferPointer, to bucket: Int) throws {
        let length = UInt32(truncatingIfNeeded: row.count)
        let header: (UInt8, UInt8, UInt8, UInt8) = (
            UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8),
            UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 24))
        if fill[bucket] + 4 + row.count > bufferSize { try flush(bucket) }
        guard let block, 4 + row.count <= bufferSize else {
            // A row longer than the buffer goes straight to the file.
            try withUnsafeBytes(of: header) { try FileDescriptorSink.writeAll($0, to: descriptors[bucket], name: paths[bucket]) }
            try FileDescriptorSink.writeAll(row, to: descriptors[bucket], name: paths[bucket])
            return
        }
        let target = block + bucket * bufferSize + fill[bucket]
        withUnsafeBytes(of: header) { target.copyMemory(from: $0.baseAddress!, byteCount: 4) }
        if let base = row.baseAddress { (target + 4).copyMemory(from: base, byteCount: row.count) }
        fill[bucket] += 4 + row.count
    }

    func flush(_ bucket: Int) throws {
        guard let block, fill[bucket] > 0 else { return }
        try FileDescriptorSink.writeAll(
            UnsafeRawBufferPointer(start: block + bucket * bufferSize, count: fill[bucket]), to: descriptors[bucket],
            name: paths[bucket])
        fill[bucket] = 0
    }

    func flushAll() throws {
        for bucket in 0..<count { try flush(bucket) }
    }

    /// Frees the write buffers (after `flushAll`): the comparison that follows has the memory.
    func releaseBuffers() {
        block?.deallocate()
        block = nil
    }

    /// The whole of one bucket file.
    func read(_ bucket: Int) throws -> [UInt8] {
        let descriptor = descriptors[bucket]
        let size = Int(lseek(descriptor, 0, SEEK_END))
        guard size > 0 else { return [] }
        guard size < Int(Int32.max) else {
            throw PGDumpError(
                .limitExceeded,
                "a bucket of --rows holds \(size) bytes, more than 2 GiB: one key holds most of the table's rows, or the table is far larger than 256 times --rows-memory",
                file: paths[bucket])
        }
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
