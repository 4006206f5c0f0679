/// An error from reading an archive, carrying where it happened.
///
/// The description reads like a Unix tool's message: `FILE: what is wrong (at offset N, entry ID)`, followed by
/// `; hint: what to do instead` when there is advice.
public struct PGDumpError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, in categories a caller can act on.
    public enum Kind: Sendable, Hashable {
        /// The input is not a pg_dump archive (a plain SQL dump, a compressed file, something else).
        case notAnArchive
        /// The file ended before the structure it promised.
        case truncated
        /// The archive version is outside what pg_restore 18 reads.
        case unsupportedVersion
        /// A structure holds values it cannot hold.
        case corrupt
        /// A length or count exceeds `ArchiveLimits` or what the file can still hold.
        case limitExceeded
        /// Compressed data failed to decompress.
        case codec
        /// A file or member the archive needs is missing.
        case missingMember
        /// Data was asked for in an order the input cannot serve (a pipe or tar stream).
        case outOfOrder
        /// An operating-system call failed.
        case io
        /// The caller asked for something that does not exist or is not supported.
        case invalidRequest
    }

    public var kind: Kind
    /// What is wrong, lower case, no trailing period.
    public var message: String
    /// The file concerned: the archive, or a member relative to a directory archive.
    public var file: String?
    /// The byte offset in `file` where the problem was found.
    public var offset: Int64?
    /// The dump ID of the TOC entry concerned.
    public var dumpID: Int32?
    /// Advice on what the caller probably meant (lower case, no trailing period), e.g. to give a directory
    /// archive's directory rather than its `toc.dat`.
    public var hint: String?

    public init(
        _ kind: Kind, _ message: String, file: String? = nil, offset: Int64? = nil, dumpID: Int32? = nil,
        hint: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.file = file
        self.offset = offset
        self.dumpID = dumpID
        self.hint = hint
    }

    public var description: String {
        var text = ""
        if let file { text += "\(file): " }
        text += message
        var context: [String] = []
        if let offset { context.append("at offset \(offset)") }
        if let dumpID { context.append("entry \(dumpID)") }
        if !context.isEmpty { text += " (" + context.joined(separator: ", ") + ")" }
        // One line: the CLI prints every message on one line.
        if let hint { text += "; hint: \(hint)" }
        return text
    }

    /// The same error with a file name filled in where none was known yet.
    package func inFile(_ name: String) -> PGDumpError {
        var copy = self
        if copy.file == nil { copy.file = name }
        return copy
    }

    /// The same error with `hint` as its advice, where it had none yet.
    package func withHint(_ hint: String) -> PGDumpError {
        var copy = self
        if copy.hint == nil { copy.hint = hint }
        return copy
    }

    /// The same error attributed to a TOC entry.
    package func forEntry(_ dumpID: Int32) -> PGDumpError {
        var copy = self
        if copy.dumpID == nil { copy.dumpID = dumpID }
        return copy
    }
}

/// A non-fatal problem noticed while reading, reported the way pg_restore reports its warnings.
public struct ArchiveWarning: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
