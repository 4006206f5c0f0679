import PGDumpKit

/// Reads a whole small file (a list or filter file), or fails with pg_restore's message.
func readFile(_ path: String, describedAs what: String) throws -> [UInt8] {
    do {
        guard let bytes = try FileByteSource(path: path).readRemaining(upTo: 256 << 20) else {
            throw CommandFailure(message: "\(path): file is too large")
        }
        return bytes
    } catch let error as PGDumpError {
        let prefix = "could not open for reading: "
        let reason = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
        throw CommandFailure(message: "could not open \(what) \"\(path)\": \(reason)")
    }
}
