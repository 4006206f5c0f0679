import PGDumpCore

/// How the names given to the selection options `-t`, `-n`, `-N` and `-I` (and a filter file's) are compared with
/// an archive's names.
public enum NameMatching: Sendable, Hashable {
    /// Byte for byte, the whole name, as pg_restore compares them (`strcmp` in `_tocEntryRequired`): no case
    /// folding, no wildcards, and a `-t` or `-I` name is the object's own name, in whatever schema.
    case exact
    /// As pg_dump patterns (`NamePattern`): `*` and `?`, case folding outside double quotes, `schema.name`.
    case patterns
}

/// The names given to one selection option, ready to compare with an archive's names under one `NameMatching`
/// rule.
///
/// Selecting entries (`RestorePlan`, for `list`, `sql` and `convert`) and finding tables (`TableLookup`, for
/// `extract` and `rows(of:)`) both compare names through this type, so that every command reads a name alike.
/// Under `.patterns` each name is compiled once, here.
public struct NameMatcher: Sendable {
    /// The names as given.
    public let names: [ArchiveText]
    public let rule: NameMatching
    /// Under `.patterns`, one compiled pattern per name, in the same order; empty under `.exact`.
    public let patterns: [NamePattern]

    /// - Parameters:
    ///   - form: whether a pattern may name a schema (`schema.name`): `.qualified` for relations and indexes,
    ///     `.unqualified` for schemas. Exact names are never split.
    ///   - encoding: the archive's encoding (see `NamePattern`).
    /// - Throws: a `PGDumpError` of kind `invalidRequest` for a pattern that is not valid (see `NamePattern`).
    public init(
        _ names: [ArchiveText], rule: NameMatching, form: NamePattern.Form, encoding: DatabaseEncoding = .utf8
    ) throws(PGDumpError) {
        self.names = names
        self.rule = rule
        var patterns: [NamePattern] = []
        if rule == .patterns {
            for name in names { patterns.append(try NamePattern(name, form: form, encoding: encoding)) }
        }
        self.patterns = patterns
    }

    /// Names compared exactly, which cannot fail.
    public init(exactly names: [ArchiveText]) {
        self.names = names
        rule = .exact
        patterns = []
    }

    /// Whether no name was given.
    public var isEmpty: Bool { names.isEmpty }

    /// Whether some name matches the object `name` (in `schema`). Exact names are compared with `name` alone;
    /// a pattern's schema part, if it has one, with `schema`.
    public func matches(_ name: ArchiveText, inSchema schema: ArchiveText? = nil) -> Bool {
        switch rule {
        case .exact: names.contains(name)
        case .patterns: patterns.contains { $0.matches(schema: schema, name: name) }
        }
    }

    /// `matches(_:inSchema:)`, also recording in `matched` the positions (in `names`) of the names that matched:
    /// under `.exact` the first equal name only, as pg_restore's `simple_string_list_member` marks only the first
    /// (so a name given twice never has its second copy matched, which `--strict-names` reports, as pg_restore
    /// does); under `.patterns` every pattern that matches, as pg_dump looks each pattern up on its own.
    public func matches(_ name: ArchiveText, inSchema schema: ArchiveText? = nil, recordingIn matched: inout Set<Int>) -> Bool {
        switch rule {
        case .exact:
            guard let position = names.firstIndex(of: name) else { return false }
            matched.insert(position)
            return true
        case .patterns:
            var found = false
            for (position, pattern) in patterns.enumerated() where pattern.matches(schema: schema, name: name) {
                matched.insert(position)
                found = true
            }
            return found
        }
    }
}

extension DatabaseEncoding {
    /// The encoding the archive's ENCODING entry names; SQL_ASCII (names as plain bytes) when there is none or it
    /// cannot be read, as pg_restore assumes.
    package static func of(_ entries: [TOCEntry]) -> DatabaseEncoding {
        guard let entry = entries.first(where: { $0.desc.equals("ENCODING") }) else { return .sqlASCII }
        var settings = ArchiveSessionSettings()
        do { try settings.apply(entry) } catch { return .sqlASCII }
        return settings.encoding
    }
}
