import PGDumpCore

/// An unlinked temporary file that holds the data blocks of a script read from a pipe or through a decompressor,
/// so that memory stays flat while the one forward pass indexes the script. It disappears with its descriptor.
final class ScriptSpool {
    private let file: TemporaryFile
    /// Bytes written so far: the offset of the next write.
    var size: Int64 { file.size }

    init() throws {
        file = try TemporaryFile(purpose: "the script's data", prefix: "pgdumpkit-spool")
    }

    /// Appends `bytes`.
    func append(_ bytes: UnsafeRawBufferPointer) throws { try file.append(bytes) }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try file.read(at: offset, into: buffer)
    }
}
