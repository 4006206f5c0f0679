import PGDumpKit

/// `-j/--jobs N` as pg_restore reads it (`option_parse_int`): strtol with isspace around the digits, an empty
/// value is 0, and the range is 1 to INT_MAX. The value is taken as a string so that a bad one gets pg_restore's
/// message rather than a usage error.
enum JobsOption {
    /// The number `value` names, or pg_restore's "invalid value" message; the range is not checked.
    static func parseNumber(_ value: String) throws -> Int {
        let isSpace: (Character) -> Bool = { " \t\n\u{0B}\u{0C}\r".contains($0) }
        let trimmed = String(value.trimmingPrefix(while: isSpace).reversed().trimmingPrefix(while: isSpace).reversed())
        guard let count = trimmed.isEmpty ? 0 : Int(trimmed) else {
            throw CommandFailure(message: "invalid value \"\(value)\" for option -j/--jobs")
        }
        return count
    }

    /// The threads `value` asks for, checked as pg_restore checks -j; without a value, one per online CPU.
    static func threads(_ value: String?) throws -> Int {
        guard let value else { return ParallelDataReader.defaultJobs }
        let count = try parseNumber(value)
        guard count >= 1 && count <= Int(Int32.max) else {
            throw CommandFailure(message: "-j/--jobs must be in range 1..2147483647")
        }
        return count
    }
}
