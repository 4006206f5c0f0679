import Foundation

/// Byte-for-byte comparison with a report that says where and how two outputs differ.
public enum ByteComparison {
    /// `nil` when equal; otherwise the first differing offset, its line, and both lines.
    public static func difference(actual: [UInt8], expected: [UInt8]) -> String? {
        if actual == expected { return nil }
        let common = min(actual.count, expected.count)
        var offset = 0
        while offset < common && actual[offset] == expected[offset] { offset += 1 }
        let lineNumber = expected[0..<offset].filter { $0 == 0x0A }.count + 1
        func line(_ bytes: [UInt8]) -> String {
            var start = min(offset, bytes.count)
            while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
            var end = min(offset, bytes.count)
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self).debugDescription
        }
        return """
            outputs differ at byte \(offset) (line \(lineNumber)); sizes \(actual.count) actual vs \(expected.count) expected
              actual:   \(line(actual))
              expected: \(line(expected))
            """
    }
}

/// Reads an expected-output file. The shared corpus stores identical outputs as a file holding a relative path
/// to the original, and large ones gzipped; both are resolved here.
public enum ExpectedOutput {
    public static func read(_ url: URL) throws -> [UInt8] {
        var url = url
        if !FileManager.default.fileExists(atPath: url.path),
           FileManager.default.fileExists(atPath: url.path + ".gz")
        {
            url = URL(fileURLWithPath: url.path + ".gz")
        }
        var bytes = Array(try Data(contentsOf: url))
        let isGzip = bytes.starts(with: [0x1f, 0x8b])
        if !isGzip, bytes.count < 256, let text = String(bytes: bytes, encoding: .utf8), !text.contains("\n") {
            // A reference to an identical output stored elsewhere.
            let target = url.deletingLastPathComponent().appendingPathComponent(text)
            if FileManager.default.fileExists(atPath: target.path) { return try read(target) }
        }
        if isGzip { bytes = try gunzip(url) }
        return bytes
    }

    static func gunzip(_ url: URL) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// The server's `COPY … (FORMAT csv, HEADER, OIDS)` (PostgreSQL 11) writes rows that start with the OID under a
    /// header that does not name it; extract names it (`oid`), so that the header matches the rows. `expected`
    /// with `oid,` put before its header, when that is what `actual` starts with.
    public static func withOIDHeader(_ expected: [UInt8], like actual: [UInt8]) -> [UInt8] {
        let prefix = Array("oid,".utf8)
        guard actual.starts(with: prefix), !expected.starts(with: prefix),
            actual.dropFirst(prefix.count).starts(with: expected.prefix { $0 != 0x0A })
        else { return expected }
        return prefix + expected
    }
}
