import Foundation

/// Byte-level helpers for tests that damage or rebuild archives: fixture bytes, tar headers and their
/// checksums, custom-format data blocks, and an outside tool run on bytes.
public enum CraftedBytes {
    /// The bytes of a file under `testdata/`.
    public static func testdata(_ relativePath: String) throws -> [UInt8] {
        try Fixtures.bytes(Fixtures.testdata.appendingPathComponent(relativePath))
    }

    /// What `tool` writes to standard output when given `input` on standard input (e.g. `/bin/gzip -c`).
    public static func run(_ tool: String, _ arguments: [String], input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(output)
    }

    /// The offset of the first 512-byte tar header that starts with `prefix` (a member name and its NUL).
    public static func tarHeader(startingWith prefix: [UInt8], in bytes: [UInt8]) -> Int? {
        guard prefix.count <= bytes.count else { return nil }
        for start in stride(from: 0, through: bytes.count - prefix.count, by: 512)
        where Array(bytes[start..<(start + prefix.count)]) == prefix {
            return start
        }
        return nil
    }

    /// Recomputes the checksum of the tar header at `start` after a test changed it.
    public static func fixTarChecksum(_ bytes: inout [UInt8], at start: Int) {
        var sum = 8 * 32
        for index in 0..<512 where index < 148 || index >= 156 { sum += Int(bytes[start + index]) }
        let field = Array(String(format: "%07o ", sum).utf8)
        for (index, byte) in field.enumerated() { bytes[start + 148 + index] = byte }
    }

    /// The offset of the custom-format data block of `dumpID` (type byte 1, then the ID as a 4-byte integer),
    /// searched from `start`.
    public static func customDataBlock(of dumpID: Int32, in bytes: [UInt8], after start: Int) -> Int? {
        let pattern: [UInt8] = [1, 0] + (0..<4).map { UInt8(truncatingIfNeeded: dumpID >> (8 * $0)) }
        return (start..<(bytes.count - pattern.count)).first { Array(bytes[$0..<($0 + pattern.count)]) == pattern }
    }
}
