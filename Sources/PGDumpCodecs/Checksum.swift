import CIsal
import PGDumpCore

/// Checksums over byte buffers, for files pgdumpkit writes for itself (the plain-script index cache).
package enum Checksum {
    /// CRC-32 as gzip computes it (ISA-L's `crc32_gzip_refl`), continuing from `previous` (0 to start).
    package static func crc32(_ bytes: UnsafeRawBufferPointer, continuing previous: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return previous }
        return crc32_gzip_refl(previous, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count))
    }
}
