import PGDumpCore
import PGDumpFormats

/// A decoder of table data — COPY text or INSERT statements — that stops at its first problem and throws it,
/// keeping it (with where in the decoded data it lies) so that the caller can place it in the archive.
package protocol TableDataDecoder: AnyObject {
    var problem: PGDumpError? { get }
    var problemByteOffset: Int64? { get }
}

extension CopyTextDecoder: TableDataDecoder {}
extension InsertStatementDecoder: TableDataDecoder {}

extension ArchiveReader {
    /// Runs `body`, which streams `entry`'s data through `decoder`; when the decoder found a problem, that
    /// problem is thrown placed in the archive (`placeDataProblem`), whatever error it surfaced as.
    package func placingProblems(
        of decoder: some TableDataDecoder, in entry: TOCEntry, _ body: () throws -> Void
    ) throws {
        do {
            try body()
        } catch let error as PGDumpError {
            guard let problem = decoder.problem else { throw error }
            throw placeDataProblem(problem, in: entry, decodedOffset: decoder.problemByteOffset)
        }
    }
}
