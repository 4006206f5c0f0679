import Foundation
import PGDumpKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// pg_dump patterns: the translation `patternToSQLRegex` (`fe_utils/string_utils.c`) makes, what the compiled
/// expressions match, the errors, and `NameMatcher`'s two rules.
@Suite struct NamePatternTests {
    /// The expressions of a pattern: schema (or `-` for none) and name, as text.
    static func expressions(
        _ pattern: String, form: NamePattern.Form = .qualified, encoding: DatabaseEncoding = .utf8
    ) throws -> [String] {
        let compiled = try NamePattern(pattern, form: form, encoding: encoding)
        return [compiled.schemaExpression?.string ?? "-", compiled.nameExpression.string]
    }

    static func matches(
        _ pattern: String, _ name: String, schema: String? = nil, encoding: DatabaseEncoding = .utf8
    ) throws -> Bool {
        try NamePattern(pattern, encoding: encoding).matches(schema: schema.map { ArchiveText($0) }, name: ArchiveText(name))
    }

    @Test("translation as psql's: folding, quotes, wildcards, dots, $, [], regular-expression characters", arguments: [
        ("Orders", ["-", "^(orders)$"]),
        (#""Orders""#, ["-", "^(Orders)$"]),
        (#"My"Big"Table"#, ["-", "^(myBigtable)$"]),
        (#""a""b""#, ["-", #"^(a"b)$"#]),
        (#""""#, ["-", "^()$"]),
        ("logs_*", ["-", "^(logs_.*)$"]),
        ("Sales.Orders_*", ["^(sales)$", "^(orders_.*)$"]),
        (#""Sales"."Q1"*"#, ["^(Sales)$", "^(Q1.*)$"]),
        (#""a.b".c"#, [#"^(a\.b)$"#, "^(c)$"]),
        (#""x*?""#, ["-", #"^(x\*\?)$"#]),
        (#""|+()[]{}^$\""#, ["-", #"^(\|\+\(\)\[\]\{\}\^\$\\)$"#]),
        ("x[0-9]+", ["-", "^(x[0-9]+)$"]),
        ("(a|b)", ["-", "^((a|b))$"]),
        ("a$b", ["-", #"^(a\$b)$"#]),
        ("int[]", ["-", #"^(int\[])$"#]),
        (".t", ["^()$", "^(t)$"]),
        ("app.", ["^(app)$", "^()$"]),
        ("*.*", ["^(.*)$", "^(.*)$"]),
        ("Straße", ["-", "^(straße)$"]),
    ])
    func translation(_ pattern: String, _ expected: [String]) throws {
        #expect(try Self.expressions(pattern) == expected)
    }

    @Test("? is one character in UTF8 archives and one byte in any other encoding")
    func anyCharacter() throws {
        #expect(try Self.expressions("t?", encoding: .sqlASCII) == ["-", "^(t.)$"])
        // In UTF8: a byte that does not continue a character, then the bytes that do (\x80-\xBF), grouped.
        let continuation: [UInt8] = [0x80, UInt8(ascii: "-"), 0xBF]
        let character = Array("([^".utf8) + continuation + Array("][".utf8) + continuation + Array("]*)".utf8)
        #expect(try NamePattern("t?").nameExpression.bytes == Array("^(t".utf8) + character + Array(")$".utf8))
        let latin1 = try #require(DatabaseEncoding(named: "LATIN1"))
        #expect(try Self.matches(#""S"tra?e"#, "Straße"))
        #expect(try !Self.matches(#""S"tra??e"#, "Straße"))
        #expect(try Self.matches(#""S"tra??e"#, "Straße", encoding: .sqlASCII))
        #expect(try !Self.matches(#""S"tra?e"#, "Straße", encoding: .sqlASCII))
        let latin1Name = ArchiveText(bytes: Array("Stra".utf8) + [0xDF] + Array("e".utf8))
        #expect(try NamePattern(#""S"tra?e"#, encoding: latin1).matches(schema: nil, name: latin1Name))
        #expect(try NamePattern("?", encoding: .utf8).matches(name: "é"))
        #expect(try NamePattern("??", encoding: .utf8).matches(name: "a€"))
        #expect(try NamePattern("?{3}", encoding: .utf8).matches(name: "ü€x"))
        // A bracket expression matches one byte.
        #expect(try Self.matches("stra[^a-z][^a-z]e", "straße"))
    }

    @Test("matching: whole names, bytes compared, a schema part only where the pattern has one")
    func matching() throws {
        #expect(try Self.matches("logs_*", "logs_2024"))
        #expect(try Self.matches("logs_*", "logs_"))
        #expect(try !Self.matches("logs_*", "Logs_2024"))
        #expect(try !Self.matches("logs_*", "old_logs_2024"))
        #expect(try Self.matches("ORDERS", "orders"))
        #expect(try !Self.matches("ORDERS", "ORDERS"))
        #expect(try Self.matches(#""ORDERS""#, "ORDERS"))
        #expect(try Self.matches(#""Q1*""#, "Q1*"))
        #expect(try !Self.matches(#""Q1*""#, "Q1 sales"))
        #expect(try Self.matches(#""Q1"*"#, "Q1 sales"))
        #expect(try Self.matches("x[0-9]", "x5"))
        #expect(try !Self.matches("x[0-9]", "xa"))
        #expect(try Self.matches("a$b", "a$b"))
        #expect(try !Self.matches("a$", "a"))
        #expect(try Self.matches("(orders|customers)", "customers"))
        #expect(try !Self.matches("(orders|customers)", "orders_customers"))
        #expect(try Self.matches("new?line", "new\nline"))
        #expect(try Self.matches("app.orders", "orders", schema: "app"))
        #expect(try !Self.matches("app.orders", "orders", schema: "application"))
        #expect(try !Self.matches("app.orders", "orders"))
        #expect(try Self.matches("orders", "orders", schema: "anything"))
        #expect(try Self.matches("orders", "orders"))
        #expect(try Self.matches(#""""#, ""))
        #expect(try !Self.matches(#""""#, "x"))
        #expect(try Self.matches("*", ""))
    }

    @Test("too many dots, a zero byte and an invalid expression are errors in pg_dump's words")
    func errors() {
        func message(_ pattern: String, form: NamePattern.Form = .qualified) -> String? {
            do {
                _ = try NamePattern(pattern, form: form)
                return nil
            } catch {
                #expect(error.kind == .invalidRequest)
                return error.message
            }
        }
        #expect(message("db.app.orders") == "improper relation name (too many dotted names): db.app.orders")
        #expect(message("a.b", form: .unqualified) == "improper qualified name (too many dotted names): a.b")
        #expect(message(#""a.b""#, form: .unqualified) == nil)
        #expect(message(#""a.b"."c.d""#) == nil)
        #expect(message("orders(") == #"invalid regular expression in pattern "orders(": unmatched ( or \("#)
        #expect(message("[")?.hasPrefix(#"invalid regular expression in pattern "[": unmatched ["#) == true)
        #expect(message("x\0y") == #"pattern "x\0y" holds a zero byte"#)
        #expect(message(#"a\.b"#)?.hasPrefix(#"invalid regular expression in pattern "a\\.b": "#) == true)
    }

    @Test("the expressions run in the C locale whatever the thread's locale is", .enabled(if: newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) != nil))
    func locale() throws {
        let utf8 = try #require(newlocale(LC_CTYPE_MASK | LC_COLLATE_MASK, "C.UTF-8", nil))
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        let latin1Name = ArchiveText(bytes: Array("Stra".utf8) + [0xDF] + Array("e".utf8))
        #expect(try NamePattern(#""S"tra?e"#, encoding: .sqlASCII).matches(name: latin1Name))
        #expect(try NamePattern(#""S"tra?e"#).matches(name: "Straße"))
        #expect(try NamePattern("stra[^a-z][^a-z]e").matches(name: "straße"))
    }

    @Test("equal patterns are equal values; the pattern prints as given")
    func values() throws {
        #expect(try NamePattern("a*") == NamePattern("a*"))
        #expect(try NamePattern("a*") != NamePattern("a*", form: .unqualified))
        #expect(try NamePattern("a*") != NamePattern("a*", encoding: .sqlASCII))
        #expect(try Set([NamePattern("a*"), NamePattern("a*")]).count == 1)
        #expect(try NamePattern(#""Q1"*"#).description == #""Q1"*"#)
    }

    @Test("NameMatcher: exact names are compared whole and alone; patterns with their schema part")
    func matchers() throws {
        let exact = try NameMatcher(["orders", "Orders", "orders"], rule: .exact, form: .qualified)
        #expect(exact.patterns.isEmpty)
        #expect(exact.matches("orders", inSchema: "app"))
        #expect(!exact.matches("ORDERS"))
        #expect(!exact.matches("app.orders"))
        var matched: Set<Int> = []
        #expect(exact.matches("orders", recordingIn: &matched))
        #expect(exact.matches("Orders", recordingIn: &matched))
        // pg_restore's simple_string_list_member: only the first of equal names is marked.
        #expect(matched == [0, 1])

        let patterns = try NameMatcher(["ord*", "app.*", "x*"], rule: .patterns, form: .qualified)
        #expect(patterns.patterns.count == 3)
        matched = []
        #expect(patterns.matches("orders", inSchema: "app", recordingIn: &matched))
        #expect(matched == [0, 1])
        #expect(!patterns.matches("items", inSchema: "other", recordingIn: &matched))
        #expect(patterns.matches("items", inSchema: "app"))
        #expect(!patterns.matches("items"))

        #expect(NameMatcher(exactly: []).isEmpty)
        #expect(throws: PGDumpError.self) { try NameMatcher(["a.b"], rule: .patterns, form: .unqualified) }
        #expect(try NameMatcher(["a.b"], rule: .exact, form: .unqualified).matches("a.b"))
    }
}
