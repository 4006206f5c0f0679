import PGDumpCore
import Testing

/// pg_dump's integer, string and offset encodings. (Integers too wide and strings too long are in
/// `CoreBadInputTests`.)
@Suite struct PrimitiveTests {
    static func reader(_ bytes: [UInt8]) -> BufferedReader {
        BufferedReader(source: MemoryByteSource(bytes, seekable: false, maximumReadSize: 1))
    }

    @Test func integers() throws {
        let bytes: [UInt8] = [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0x3b, 0x0d, 0, 0, 1, 0, 0, 0, 0]
        let reader = Self.reader(bytes)
        #expect(try reader.readPGInt(.current, "a") == 0)
        #expect(try reader.readPGInt(.current, "b") == -1)
        #expect(try reader.readPGInt(.current, "c") == 3387)
        #expect(try reader.readPGInt(.current, "d") == 0)  // negative zero
        let error = #expect(throws: PGDumpError.self) { try reader.readPGInt(.current, "the count") }
        #expect(error?.kind == .truncated)
        #expect(error?.message == "unexpected end of file while reading the count")
    }

    @Test func integersWithoutSignByteBefore1_1() throws {
        let layout = IntegerLayout(intSize: 4, offSize: 4, hasSignByte: false, hasOffsetFlags: false)
        #expect(try Self.reader([0x3b, 0x0d, 0, 0]).readPGInt(layout, "x") == 3387)
    }

    @Test func nullIsNotEmpty() throws {
        let reader = Self.reader([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0x68, 0x69])
        #expect(try reader.readPGString(.current, limit: 100, "a") == nil)
        #expect(try reader.readPGString(.current, limit: 100, "b") == ArchiveText(bytes: []))
        #expect(try reader.readPGString(.current, limit: 100, "c") == "hi")
    }

    @Test func offsets() throws {
        let reader = Self.reader(
            [2, 0x05, 0x22, 0, 0, 0, 0, 0, 0] + [1] + Array(repeating: 0, count: 8) + [3] + Array(repeating: 0, count: 8)
                + [9] + Array(repeating: 0, count: 8))
        #expect(try reader.readPGOffset(.current, "o") == .set(8709))
        #expect(try reader.readPGOffset(.current, "o") == .notSet)
        #expect(try reader.readPGOffset(.current, "o") == .noData)
        let error = #expect(throws: PGDumpError.self) { try reader.readPGOffset(.current, "o") }
        #expect(error?.message == "unexpected data offset flag 9")
    }

    @Test func versionsCompareAndPrint() {
        #expect(ArchiveVersion.v1_14 < .v1_16)
        #expect(ArchiveVersion(1, 16, 255) == .newestReadable)
        #expect(ArchiveVersion(1, 16, 0).description == "1.16-0")
    }
}
