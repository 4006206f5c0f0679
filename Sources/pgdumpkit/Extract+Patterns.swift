import PGDumpKit

#if canImport(Glibc)
import Glibc
#endif

extension PGDumpKitCommand.Extract {
    /// Refuses, as a usage error, to write the several tables one `--patterns` pattern selected anywhere but into
    /// a directory: one that exists, or a name ending in `/` (created). A file name given to `-o` is not turned
    /// into a directory because a pattern matched more than expected.
    static func checkDirectory(_ output: String?, for selected: [TOCEntry], pattern: String) throws {
        var info = stat()
        if let output, output.hasSuffix("/") || (stat(output, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR) {
            return
        }
        let names = selected.prefix(5).map(\.qualifiedDisplayName).joined(separator: ", ")
            + (selected.count > 5 ? " and \(selected.count - 5) more" : "")
        var message = "pattern \(pattern.debugDescription) matches \(selected.count) tables (\(names)), written one file each"
        if let output, output != "-" {
            message += ": \(output) is not a directory; name an existing directory with -o, or end the name with /"
        } else {
            message += ": name a directory with -o"
        }
        throw CommandFailure(message: message, exitCode: 2)
    }
}
