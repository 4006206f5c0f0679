import PGDumpKit

/// Damaged copies of archives, for the sweeps that check that every layer answers each with an error or a result
/// and never crashes or hangs: every truncation and every single-byte change (to 0x00, 0xff, 0x7f and the byte
/// with its low bit flipped) of small built archives (versions 1.16 and 1.8), and single-byte changes at a
/// stride through the header and TOC region of real custom, lz4 and tar archives.
public enum ArchiveSweep {
    /// Calls `body` with each damaged copy and whether to read it as a seekable file (else as a pipe).
    public static func forEachDamagedCopy(_ body: (_ bytes: [UInt8], _ seekable: Bool) -> Void) throws {
        let small = ArchiveBuilder(version: .v1_16, entries: SampleTOC.smallDatabase()).build()
        let old = ArchiveBuilder(version: .v1_8, entries: SampleTOC.smallDatabase()).build()
        for archive in [small, old] {
            for cut in 0..<archive.count { body(Array(archive[0..<cut]), cut % 2 == 0) }
            for position in 0..<archive.count {
                for value: UInt8 in [0x00, 0xff, 0x7f, archive[position] ^ 0x01] where value != archive[position] {
                    var changed = archive
                    changed[position] = value
                    body(changed, position % 2 == 0)
                }
            }
        }
        // Real archives: the header and TOC region of each format, single-byte changes at a stride.
        for relativePath in ["archives/pg18/custom-none.dump", "archives/pg17/custom-lz4.dump", "archives/pg15/tar.tar"] {
            let archive = try CraftedBytes.testdata(relativePath)
            let region = min(archive.count, 80_000)
            for position in stride(from: 0, to: region, by: 389) {
                var changed = archive
                changed[position] ^= 0xA5
                body(changed, true)
            }
        }
    }
}
