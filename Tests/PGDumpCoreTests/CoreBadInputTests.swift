import PGDumpCore
import Testing

/// Bad input to pg_dump's primitives: integers wider than 32 bits, and string lengths beyond what the input or
/// the limit allows, refused before anything is allocated. (Truncations and unknown flags of each primitive are
/// checked beside its valid forms, in `PrimitiveTests`.)
@Suite struct CoreBadInputTests {
    /// A reader over `bytes` that behaves as a pipe returning one byte at a time.
    static func reader(_ bytes: [UInt8]) -> BufferedReader {
        BufferedReader(source: MemoryByteSource(bytes, seekable: false, maximumReadSize: 1))
    }

    @Test func integersTooWide() throws {
        let layout = IntegerLayout(intSize: 8, offSize: 8, hasSignByte: true, hasOffsetFlags: true)
        #expect(try Self.reader([0, 5, 0, 0, 0, 0, 0, 0, 0]).readPGInt(layout, "x") == 5)
        #expect(throws: PGDumpError.self) { try Self.reader([0, 0, 0, 0, 0, 1, 0, 0, 0]).readPGInt(layout, "x") }
    }

    @Test func stringLengthsAreCheckedBeforeAllocation() throws {
        // A length of 2^31-1 on a 9-byte seekable input: refused from the size, nothing allocated.
        let seekable = BufferedReader(source: MemoryByteSource([0, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4]))
        let error = #expect(throws: PGDumpError.self) { try seekable.readPGString(.current, limit: .max, "a tag") }
        #expect(error?.kind == .truncated)
        let limited = #expect(throws: PGDumpError.self) {
            try Self.reader([0, 0, 1, 0, 0]).readPGString(.current, limit: 100, "a tag")
        }
        #expect(limited?.kind == .limitExceeded)
        // On a pipe the length cannot be checked against a size; the read fails when the bytes run out.
        let piped = #expect(throws: PGDumpError.self) {
            try Self.reader([0, 0xff, 0xff, 0xff, 0x7f, 1, 2]).readPGString(.current, limit: .max, "a tag")
        }
        #expect(piped?.kind == .truncated)
    }
}
