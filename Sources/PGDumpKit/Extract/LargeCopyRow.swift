import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// Where a decoder keeps a row too large to hold in memory: an unlinked temporary file, reused row after row.
///
/// A field may be as large as PostgreSQL allows (1 GB); writing it as CSV needs all of it (whether to quote it is
/// known only at its end), so a row past `CopyTextDecoder.spillThreshold` goes here instead of into memory, and
/// the writers read it back in pieces. The disk holds at most one row at a time.
final class RowSpillFile {
    private let file: TemporaryFile
    /// Bytes of the current row written so far.
    var size: Int64 { file.size }
    /// The buffer pieces are read into.
    private let scratch: UnsafeMutableRawBufferPointer
    static let pieceSize = 1 << 20

    init() throws {
        file = try TemporaryFile(purpose: "a large row", prefix: "pgdumpkit-row")
        scratch = .allocate(byteCount: Self.pieceSize, alignment: 16)
    }

    deinit { scratch.deallocate() }

    /// Appends bytes to the current row.
    func append(_ bytes: UnsafeRawBufferPointer) throws { try file.append(bytes) }

    /// Calls `body` with the bytes from `start` to `end`, a piece at a time.
    func read(from start: Int64, to end: Int64, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var position = start
        while position < end {
            let wanted = Int(min(Int64(scratch.count), end - position))
            let count = try file.read(at: position, into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<wanted]))
            guard count > 0 else { throw PGDumpError(.io, "a large row's temporary file ended early") }
            try body(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            position += Int64(count)
        }
    }

    /// Forgets the current row, giving its disk space back.
    func reset() { file.truncate() }
}

/// A row whose values were too large to hold in memory: its fields are read in pieces from the decoder's spill
/// file. Valid only during the `CopyRowHandler.handleLargeRow` call that receives it.
package struct LargeCopyRow {
    /// The number of fields.
    package let count: Int
    /// The line of the data the row starts on (1-based).
    package let lineNumber: Int64
    let file: RowSpillFile
    /// Field `i` spans `bounds[2i]..<bounds[2i+1]` of the row's bytes; a start of -1 marks NULL.
    let bounds: UnsafePointer<Int>

    /// The whole row read back into memory: its fields' bytes one after another, and each field's span in them
    /// (`bounds[2i]..<bounds[2i+1]`, -1 for NULL), as `CopyRow` lays a row out.
    package func readWhole() throws -> (values: [UInt8], bounds: [Int]) {
        var values: [UInt8] = []
        var bounds: [Int] = []
        bounds.reserveCapacity(2 * count)
        for index in 0..<count {
            if let field = try field(index) {
                bounds.append(values.count)
                values += field
                bounds.append(values.count)
            } else {
                bounds += [-1, -1]
            }
        }
        return (values, bounds)
    }

    /// Whether field `index` is NULL.
    package func isNull(_ index: Int) -> Bool { bounds[2 * index] < 0 }

    /// The length of field `index` in bytes (0 for NULL).
    package func length(of index: Int) -> Int {
        isNull(index) ? 0 : bounds[2 * index + 1] - bounds[2 * index]
    }

    /// Calls `body` with field `index`'s bytes, a piece of at most 1 MiB at a time (never for NULL).
    package func forEachPiece(of index: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !isNull(index) else { return }
        try file.read(from: Int64(bounds[2 * index]), to: Int64(bounds[2 * index + 1]), body)
    }

    /// Field `index` whole, for a handler that needs it so: small fields of a large row.
    package func field(_ index: Int) throws -> [UInt8]? {
        guard !isNull(index) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(length(of: index))
        try forEachPiece(of: index) { bytes.append(contentsOf: $0) }
        return bytes
    }
}

extension CopyRowHandler {
    /// By default a large row is read back into memory whole and handled as any other row; the writers of
    /// `extract` stream it instead.
    package mutating func handleLargeRow(_ row: LargeCopyRow) throws {
        let (values, bounds) = try row.readWhole()
        try values.withUnsafeBytes { valueBytes in
            try bounds.withUnsafeBufferPointer { boundBuffer in
                try handleRow(CopyRow(
                    count: row.count, lineNumber: row.lineNumber, values: valueBytes.baseAddress ?? emptyRowValues,
                    bounds: boundBuffer.baseAddress))
            }
        }
    }
}
