import PGDumpKit
import PGDumpTestSupport
import Testing

/// `--filter` files, read as pg_restore 18 reads them (`fe_utils/filter.c` and `read_restore_filters`):
/// `include|exclude OBJECT_TYPE PATTERN` lines, comments, quoted names over several lines, and pg's messages.
/// The expected messages and line numbers are those pg_restore 18.6 prints for the same files; the patterns follow
/// `read_pattern` and `read_quoted_string`.
@Suite struct FilterFileTests {
    static func parse(_ text: String, name: String = "filter.txt") throws -> FilterFile {
        try FilterFile(contents: Array(text.utf8), name: name)
    }

    static func patterns(_ text: String) throws -> [String] { try parse(text).items.map(\.pattern) }

    /// The message of the error reading `text` (and applying it, when it parses).
    static func failure(_ text: String, name: String = "filter.txt") -> String? {
        do {
            var selection = RestoreOptions()
            try parse(text, name: name).apply(to: &selection)
            return nil
        } catch let error as PGDumpError {
            #expect(error.kind == .invalidRequest)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("commands and object types in any case, comments and blank lines")
    func items() throws {
        let filter = try Self.parse("""
            # tables to restore
            include table items

              exclude schema  other   # not this one
            INCLUDE Function add1( integer , text )
            include index "My Index"
            Include TRIGGER items items_trg
            include table_data t
            """)
        #expect(filter.items.map(\.command) == [.include, .exclude, .include, .include, .include, .include])
        #expect(filter.items.map(\.objectType) == ["table", "schema", "function", "index", "trigger", "table data"])
        #expect(filter.items.map(\.pattern) == [
            "items", "other", "add1(integer, text)", "\"My Index\"", "items items_trg", "t",
        ])
        #expect(filter.items.map(\.line) == [2, 4, 5, 6, 7, 8])
    }

    @Test("every object type pg knows, by the name its messages use", arguments: [
        ("function", "function"), ("index", "index"), ("schema", "schema"), ("table", "table"),
        ("trigger", "trigger"), ("table_and_children", "table and children"), ("table_data", "table data"),
        ("table_data_and_children", "table data and children"), ("database", "database"),
        ("extension", "extension"), ("foreign_data", "foreign data"),
    ])
    func objectTypes(_ keyword: String, _ name: String) throws {
        #expect(try Self.parse("exclude \(keyword) x\n").items.map(\.objectType) == [name])
    }

    /// `read_pattern` normalises what is outside quotes: words joined by one space, `,` followed by one space,
    /// nothing around `.`, `(` and `)`; a `#` outside quotes ends the pattern.
    @Test("patterns are normalised as pg_restore normalises them", arguments: [
        ("my    table  ", "my table"), ("app . items", "app.items"), ("f( a ,b,  c )", "f(a, b, c)"),
        ("public.\"My Table\"", "public.\"My Table\""), ("\"a#b\" # comment", "\"a#b\""), ("t\r", "t"),
        ("\"a\"\"b\"", "\"a\"\"b\""), ("x # y", "x"),
    ])
    func normalisedPatterns(_ written: String, _ pattern: String) throws {
        #expect(try Self.patterns("include table \(written)\n") == [pattern])
    }

    /// `read_quoted_string`: `""` stays a doubled quote, `\n` is a newline, `\\` a backslash, and a backslash
    /// before anything else is dropped together with that character.
    @Test("escapes inside quotes")
    func quotedEscapes() throws {
        #expect(try Self.patterns(#"include table "x\ny""#) == ["\"x\ny\""])
        #expect(try Self.patterns(#"include table "x\\y""#) == ["\"x\\y\""])
        #expect(try Self.patterns(#"include table "x\qy""#) == ["\"xy\""])
    }

    @Test("a quoted name goes on over the following lines, which count as lines")
    func multiLineQuotes() throws {
        let filter = try Self.parse("include table \"first\nsecond\"\ninclude schema s\n")
        #expect(filter.items.map(\.pattern) == ["\"first\nsecond\"", "s"])
        #expect(filter.items.map(\.line) == [1, 3])
    }

    @Test("a pattern that is only a comment is an empty name, as pg_restore reads it")
    func emptyPattern() throws {
        #expect(try Self.patterns("include table # nothing\n") == [""])
    }

    @Test("syntax errors name the file and the line, in pg's words", arguments: [
        ("foo table t", 1, "invalid filter command (expected \"include\" or \"exclude\")"),
        ("# ok\n\n  in-clude table t", 3, "invalid filter command (expected \"include\" or \"exclude\")"),
        ("include", 1, "missing filter object type"),
        ("include   ", 1, "missing filter object type"),
        ("include tables t", 1, "unsupported filter object type: \"tables\""),
        ("include table_ t", 1, "unsupported filter object type: \"table_\""),
        ("include table", 1, "missing object name pattern"),
        ("include table   \n", 1, "missing object name pattern"),
        ("include table \"abc", 1, "unexpected end of file"),
        ("include table t\ninclude table \"abc\nmore\n", 3, "unexpected end of file"),
    ])
    func syntaxErrors(_ text: String, _ line: Int, _ message: String) {
        #expect(Self.failure(text)
            == "invalid format in filter read from file \"filter.txt\" on line \(line): \(message)")
    }

    @Test("standard input is named as such")
    func standardInput() {
        #expect(Self.failure("nonsense\n", name: "-")
            == "invalid format in filter read from standard input on line 1: invalid filter command (expected \"include\" or \"exclude\")")
    }

    @Test("pg_restore takes -n, -N, -t, -I, -P and -T from a filter, in order")
    func appliedToTheSelection() throws {
        var selection = RestoreOptions()
        try Self.parse("""
            include schema app
            exclude schema old
            include table items
            include table "Odd"
            include index items_idx
            include function add1(integer)
            include trigger items items_trg
            include schema more
            """).apply(to: &selection)
        #expect(selection.schemaNames == ["app", "more"])
        #expect(selection.excludeSchemaNames == ["old"])
        #expect(selection.tableNames == ["items", "\"Odd\""])
        #expect(selection.indexNames == ["items_idx"])
        #expect(selection.functionNames == ["add1(integer)"])
        #expect(selection.triggerNames == ["items items_trg"])
    }

    /// pg_restore can include schemas, tables, indexes, functions and triggers, and exclude only schemas.
    @Test("what pg_restore cannot filter on is refused, naming the line", arguments: [
        ("include table_data t", "include filter for \"table data\" is not allowed"),
        ("include table_data_and_children t", "include filter for \"table data and children\" is not allowed"),
        ("include table_and_children t", "include filter for \"table and children\" is not allowed"),
        ("include database d", "include filter for \"database\" is not allowed"),
        ("include extension e", "include filter for \"extension\" is not allowed"),
        ("include foreign_data f", "include filter for \"foreign data\" is not allowed"),
        ("exclude table t", "exclude filter for \"table\" is not allowed"),
        ("exclude index i", "exclude filter for \"index\" is not allowed"),
        ("exclude function f()", "exclude filter for \"function\" is not allowed"),
        ("exclude trigger t", "exclude filter for \"trigger\" is not allowed"),
        ("exclude table_data t", "exclude filter for \"table data\" is not allowed"),
    ])
    func notAllowed(_ line: String, _ message: String) {
        #expect(Self.failure("include table fine\n# comment\n" + line + "\n")
            == "invalid format in filter read from file \"filter.txt\" on line 3: \(message)")
    }

    /// pg_restore 18 reads a command or an object type as everything up to the next blank, so a word with other
    /// characters than letters and underscores is an unknown command or type, named whole. pgdumpkit's
    /// `FilterFile.keyword` reads letters and underscores only.
    @Test("a keyword is everything up to the next blank", arguments: [
        ("123", "invalid filter command (expected \"include\" or \"exclude\")"),
        ("\"x\" table t", "invalid filter command (expected \"include\" or \"exclude\")"),
        ("include, table t", "invalid filter command (expected \"include\" or \"exclude\")"),
        ("include 5 t", "unsupported filter object type: \"5\""),
        ("include _table t", "unsupported filter object type: \"_table\""),
        ("include tab1e t", "unsupported filter object type: \"tab1e\""),
        ("include table1 t", "unsupported filter object type: \"table1\""),
        ("include table-data t", "unsupported filter object type: \"table-data\""),
    ])
    func keywordsEndAtBlanks(_ text: String, _ message: String) {
        withKnownIssue("FilterFile.keyword stops at the first character that is not a letter or an underscore") {
            #expect(Self.failure(text + "\n")
                == "invalid format in filter read from file \"filter.txt\" on line 1: \(message)")
        }
    }

    /// pg_restore acts on each item as it reads it, so an item it refuses stops it before a later line is read;
    /// and it counts the lines a quoted name spans. pgdumpkit reads the whole file first and names an item by its
    /// first line.
    @Test("pg_restore reports a refused item before a later syntax error, at the line the item ends")
    func errorOrder() {
        withKnownIssue("FilterFile parses the whole file before applying it, and names an item by its first line") {
            #expect(Self.failure("include table_data t\nbogus line\n")
                == "invalid format in filter read from file \"filter.txt\" on line 1: include filter for \"table data\" is not allowed")
            #expect(Self.failure("exclude table \"a\nb\"\n")
                == "invalid format in filter read from file \"filter.txt\" on line 2: exclude filter for \"table\" is not allowed")
        }
    }
}
