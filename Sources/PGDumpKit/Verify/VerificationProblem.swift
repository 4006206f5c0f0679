import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// One thing `verify` found wrong, located by file, offset and TOC entry.
public struct VerificationProblem: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and where: `file`, `offset`, `dumpID`.
    public var error: PGDumpError
    /// The entry concerned, as `TABLE DATA app.orders`, when there is one.
    public var entryLabel: String?

    /// A problem described by `error`, about the entry labelled `entryLabel`.
    public init(_ error: PGDumpError, entryLabel: String? = nil) {
        self.error = error
        self.entryLabel = entryLabel
    }

    /// `file: offset N: entry ID (LABEL): message`, the location first, as every pgdumpkit message reads; parts
    /// that are not known are left out. A hint follows as `; hint: ...`.
    public var description: String {
        var text = ""
        if let file = error.file { text += file + ": " }
        if let offset = error.offset { text += "offset \(offset): " }
        if let dumpID = error.dumpID {
            text += "entry \(dumpID)"
            if let entryLabel { text += " (\(entryLabel))" }
            text += ": "
        }
        text += error.message
        if let hint = error.hint { text += "; hint: \(hint)" }
        return text
    }
}
