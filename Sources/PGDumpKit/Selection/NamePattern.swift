import PGDumpCore

#if canImport(Glibc)
import Glibc
#endif

/// A name pattern as pg_dump and psql read one: `-t 'sales.orders_*'`, `-n 'app?'`, `-t '"Mixed Case"'`.
///
/// Mirrors `patternToSQLRegex` (`fe_utils/string_utils.c`), which `processSQLNamePattern` uses for pg_dump's
/// `-t`/`-n` and psql's `\d` patterns. The pattern becomes one anchored regular expression for the name and, when
/// it has an unquoted dot, one for the schema:
/// - unquoted ASCII letters fold to lower case;
/// - double quotes keep what they hold as written, and make `*`, `?`, `.` and every other regular-expression
///   character stand for itself; `""` inside quotes is one quote;
/// - `*` matches any sequence of characters, `?` any one character;
/// - an unquoted `.` separates the schema from the name (`Form.qualified`); more dots than the form allows is an
///   error, with pg_dump's message;
/// - `$` always stands for itself; the other regular-expression characters keep their meaning outside quotes
///   (`[0-9]`, `(a|b)`, `+`, `{2}`), except `[]`, which stands for itself (psql's rule, for array type names).
///
/// An empty part matches only an empty name (`-t 'app.'`), as in pg_dump.
///
/// Matching differs from pg_dump's where there is no server to ask:
/// - the expressions are POSIX extended regular expressions, run by the C library in the C locale, not
///   PostgreSQL's advanced ones (`\d` is not a digit class there);
/// - names are compared as bytes, so a pattern must be spelled in the archive's encoding; `?` matches one UTF-8
///   character in a UTF8 archive and one byte in any other encoding, and a bracket expression matches one byte;
/// - a pattern without a schema part matches in every schema: pg_dump takes only the tables visible on its
///   search_path, which an archive does not record. A database part (`db.schema.table`), which pg_dump accepts
///   when it names the database dumped, is an error here.
///
/// Each pattern is compiled once, when it is made; matching does not allocate.
public struct NamePattern: Sendable, Hashable, CustomStringConvertible {
    /// How many dot-separated parts a pattern may have.
    public enum Form: Sendable, Hashable {
        /// `[schema.]name`: relations and indexes (`-t`, `-I`).
        case qualified
        /// `name`: schemas (`-n`, `-N`).
        case unqualified
    }

    /// The pattern as given.
    public let pattern: ArchiveText
    public let form: Form
    /// The encoding of the names it is compared with, which decides what `?` matches.
    public let encoding: DatabaseEncoding
    /// The regular expression (POSIX extended) for the schema part, or `nil` when the pattern has none and so
    /// matches in every schema.
    public let schemaExpression: ArchiveText?
    /// The regular expression (POSIX extended) for the name.
    public let nameExpression: ArchiveText

    private let schemaRegex: CompiledExpression?
    private let nameRegex: CompiledExpression

    /// Translates and compiles `pattern`.
    ///
    /// Throws a `PGDumpError` of kind `invalidRequest` when the pattern has more dots than `form` allows, holds
    /// a zero byte, or is not a valid regular expression (`-t 'orders('`).
    public init(_ pattern: ArchiveText, form: Form = .qualified, encoding: DatabaseEncoding = .utf8) throws(PGDumpError) {
        self.pattern = pattern
        self.form = form
        self.encoding = encoding
        guard !pattern.bytes.contains(0) else {
            throw PGDumpError(.invalidRequest, "pattern \(pattern.debugDescription) holds a zero byte")
        }
        var parts = Self.translate(pattern.bytes, anyCharacter: encoding == .utf8 ? Self.anyUTF8Character : Array(".".utf8))
        switch (form, parts.count) {
        case (.qualified, 1...2), (.unqualified, 1):
            break
        case (.qualified, _):
            // pg_dump's wording for -t (expand_table_name_patterns).
            throw PGDumpError(.invalidRequest, "improper relation name (too many dotted names): \(pattern.string)")
        case (.unqualified, _):
            // pg_dump's wording for -n (expand_schema_name_patterns).
            throw PGDumpError(.invalidRequest, "improper qualified name (too many dotted names): \(pattern.string)")
        }
        let name = parts.removeLast()
        nameExpression = ArchiveText(bytes: name)
        nameRegex = try CompiledExpression(name, pattern: pattern)
        if let schema = parts.last {
            schemaExpression = ArchiveText(bytes: schema)
            schemaRegex = try CompiledExpression(schema, pattern: pattern)
        } else {
            schemaExpression = nil
            schemaRegex = nil
        }
    }

    /// Translates and compiles `pattern` (see `init(_:form:encoding:)`).
    public init(_ pattern: String, form: Form = .qualified, encoding: DatabaseEncoding = .utf8) throws(PGDumpError) {
        try self.init(ArchiveText(pattern), form: form, encoding: encoding)
    }

    /// Whether an object named `name` in schema `schema` matches: the name always, the schema when the pattern
    /// has a schema part (an object with no schema then never matches).
    public func matches(schema: ArchiveText?, name: ArchiveText) -> Bool {
        if let schemaRegex {
            guard let schema, schemaRegex.matches(schema.bytes) else { return false }
        }
        return nameRegex.matches(name.bytes)
    }

    /// Whether `name` matches, whatever the schema part says: for an `unqualified` pattern, the whole test.
    public func matches(name: ArchiveText) -> Bool {
        nameRegex.matches(name.bytes)
    }

    public var description: String { pattern.string }

    public static func == (left: NamePattern, right: NamePattern) -> Bool {
        left.pattern == right.pattern && left.form == right.form && left.encoding == right.encoding
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(form)
        hasher.combine(encoding)
    }

    /// What `?` becomes in a UTF8 archive: a byte that does not continue a character, then the bytes that do.
    /// Grouped, so that a quantifier after `?` applies to the whole character.
    private static let anyUTF8Character: [UInt8] = {
        let continuation: [UInt8] = [0x80, UInt8(ascii: "-"), 0xBF]
        return Array("([^".utf8) + continuation + Array("][".utf8) + continuation + Array("]*)".utf8)
    }()

    /// The regular expressions of the pattern's parts, split at unquoted dots, each anchored as `^(…)$`.
    /// Mirrors `patternToSQLRegex` with `force_escape` off.
    static func translate(_ pattern: [UInt8], anyCharacter: [UInt8]) -> [[UInt8]] {
        let open = Array("^(".utf8), close = Array(")$".utf8)
        // Characters a backslash makes literal inside quotes (psql's list).
        let special = Array("|*+?()[]{}.^$\\".utf8)
        var parts: [[UInt8]] = []
        var current = open
        var inQuotes = false
        var index = 0
        while index < pattern.count {
            let byte = pattern[index]
            let next = index + 1 < pattern.count ? pattern[index + 1] : nil
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                if inQuotes && next == UInt8(ascii: "\"") {
                    current.append(byte)
                    index += 1
                } else {
                    inQuotes.toggle()
                }
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where !inQuotes:
                current.append(byte + 0x20)
            case UInt8(ascii: "*") where !inQuotes:
                current += Array(".*".utf8)
            case UInt8(ascii: "?") where !inQuotes:
                current += anyCharacter
            case UInt8(ascii: ".") where !inQuotes:
                parts.append(current + close)
                current = open
            case UInt8(ascii: "$"):
                // Always literal: `$` is allowed in identifiers, and the expression is anchored anyway.
                current += Array("\\$".utf8)
            default:
                if inQuotes && special.contains(byte) {
                    current.append(UInt8(ascii: "\\"))
                } else if byte == UInt8(ascii: "[") && next == UInt8(ascii: "]") {
                    current.append(UInt8(ascii: "\\"))
                }
                current.append(byte)
            }
        }
        parts.append(current + close)
        return parts
    }
}

/// One compiled POSIX extended regular expression, freed with its owner.
///
/// `@unchecked Sendable`: nothing changes the `regex_t` after `regcomp`, and glibc's `regexec` may run on one
/// pattern from several threads at once (it takes the pattern's own lock).
private final class CompiledExpression: @unchecked Sendable {
    private let regex: UnsafeMutablePointer<regex_t>

    /// The C locale, in which expressions are compiled and run: bytes are characters, whatever `LC_CTYPE` the
    /// process runs with (the command-line tool takes the environment's, for times).
    nonisolated(unsafe) private static let cLocale = newlocale(LC_CTYPE_MASK | LC_COLLATE_MASK, "C", nil)

    /// - Parameter pattern: the pattern the expression came from, for the message of an invalid one.
    init(_ expression: [UInt8], pattern: ArchiveText) throws(PGDumpError) {
        // Compiled before `self.regex` is set: a class whose stored properties are all set runs `deinit` even
        // when its initializer throws, and a failed `regcomp` leaves nothing to free.
        let regex = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
        let status = Self.inCLocale {
            (expression + [0]).withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { regcomp(regex, $0.baseAddress, REG_EXTENDED | REG_NOSUB) }
            }
        }
        guard status == 0 else {
            var buffer = [CChar](repeating: 0, count: 256)
            regerror(status, regex, &buffer, buffer.count)
            regex.deallocate()
            var reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let first = reason.first { reason = first.lowercased() + reason.dropFirst() }
            throw PGDumpError(
                .invalidRequest, "invalid regular expression in pattern \(pattern.debugDescription): \(reason)")
        }
        self.regex = regex
    }

    deinit {
        regfree(regex)
        regex.deallocate()
    }

    /// Whether the whole of `bytes` matches (the expression is anchored).
    func matches(_ bytes: [UInt8]) -> Bool {
        guard let end = regoff_t(exactly: bytes.count) else { return false }
        // REG_STARTEND: the subject is the range given, with no terminating zero needed.
        var range = regmatch_t(rm_so: 0, rm_eo: end)
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                Self.inCLocale {
                    guard let start = characters.baseAddress else {
                        // An empty array may have no storage; the empty name needs some address.
                        return "".withCString { regexec(regex, $0, 1, &range, REG_STARTEND) }
                    }
                    return regexec(regex, start, 1, &range, REG_STARTEND)
                }
            }
        }
        return status == 0
    }

    private static func inCLocale<T>(_ body: () -> T) -> T {
        guard let cLocale else { return body() }
        let previous = uselocale(cLocale)
        defer { uselocale(previous) }
        return body()
    }
}
