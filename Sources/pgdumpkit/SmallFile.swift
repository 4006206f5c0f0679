import PGDumpKit

/// Reads a whole small file (a list or filter file), or fails with pg_restore's message.
func readFile(_ path: String, describedAs what: String) throws -> [UInt8] {
    do {
        let source = try FileByteSource(path: path)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > 256 << 20 { throw CommandFailure(message: "\(path): file is too large") }
        }
        return bytes
    } catch let error as PGDumpError {
        let prefix = "could not open for reading: "
        let reason = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
        throw CommandFailure(message: "could not open \(what) \"\(path)\": \(reason)")
    }
}
