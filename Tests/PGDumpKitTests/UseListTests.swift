import PGDumpKit
import PGDumpTestSupport
import Testing

/// `-L` list files, read as pg_restore's `SortTocFromFile` reads them: each line cut at its first `;`, blank
/// lines skipped, a leading dump ID read with `strtol` into an `int`, lines without a usable ID ignored with a
/// warning, an ID in range that no entry has refused; listed entries moved to the end in list order.
@Suite struct UseListTests {
    /// A TOC in file order (not dump-ID order), with gaps: the largest dump ID is 8; 4, 6 and 7 are unused.
    static let entries: [TOCEntry] = [5, 1, 8, 3, 2].map {
        TOCEntry(dumpID: $0, tag: ArchiveText("e\($0)"), desc: "TABLE", section: .preData, defn: "CREATE TABLE;\n")
    }

    static func list(_ text: String) throws -> UseList {
        try UseList(contents: Array(text.utf8), entries: entries)
    }

    @Test("lines as pg_restore -l prints them select their entries, in list order")
    func listedLines() throws {
        let list = try Self.list("""
            ;
            ; Archive created at 2025-01-02 03:04:05 UTC
            ;     dbname: shop
            ;
            3; 1259 16386 TABLE public e3 alice
            1; 1259 16387 TABLE public e1 alice

            """)
        #expect(list.dumpIDs == [3, 1])
        #expect(list.ignoredLines == [])
    }

    @Test("comments and blank lines are skipped without a warning")
    func commentsAndBlanks() throws {
        let list = try Self.list("; a comment\n\n   \n\t \r\n;3 is commented out\n   ; 2 as well\n5\n")
        #expect(list.dumpIDs == [5])
        #expect(list.ignoredLines == [])
    }

    @Test("the ID is read as strtol reads it: leading blanks and a sign, then digits; the rest of the line is ignored")
    func strtolRules() throws {
        #expect(try Self.list("  2abc\n+8\n\t3 TABLE whatever\n5\r\n").dumpIDs == [2, 8, 3, 5])
        // strtol returns a long; pg stores it in an int, which keeps the low 32 bits: 2^32 + 1 is dump ID 1.
        #expect(try Self.list("4294967297\n").dumpIDs == [1])
    }

    @Test("a line without an ID in range, or with one already listed, is ignored with a warning")
    func ignoredLines() throws {
        let list = try Self.list("x\n0\n-3\n9\n3\n3\n0x5\n2; y\nTABLE 5; z\n")
        #expect(list.dumpIDs == [3, 2])
        // The warning shows the line as read: with its newline, unless the cut at ';' removed it.
        #expect(list.ignoredLines == ["x\n", "0\n", "-3\n", "9\n", "3\n", "0x5\n", "TABLE 5"])
    }

    @Test("the largest dump ID of the archive bounds the range, even with gaps below it")
    func rangeIsTheArchiveLargestID() throws {
        #expect(try Self.list("8\n").dumpIDs == [8])
        #expect(try Self.list("9\n").ignoredLines == ["9\n"])
        let gap = #expect(throws: PGDumpError.self) { _ = try Self.list("3\n4\n") }
        #expect(gap?.message == "could not find entry for ID 4")
        #expect(gap?.kind == .invalidRequest)
    }

    @Test("a last line without a newline is read, and an empty list selects nothing")
    func edges() throws {
        #expect(try Self.list("3\n5").dumpIDs == [3, 5])
        #expect(try Self.list("").dumpIDs == [])
        #expect(try UseList(contents: Array("1\n".utf8), entries: []).ignoredLines == ["1\n"])
    }

    @Test("listed entries go to the end in list order; the others keep their TOC order before them")
    func arrangement() throws {
        #expect(try Self.list("8\n2\n").arrange(Self.entries).map(\.dumpID) == [5, 1, 3, 8, 2])
        #expect(try Self.list("2\n5\n1\n8\n3\n").arrange(Self.entries).map(\.dumpID) == [2, 5, 1, 8, 3])
        #expect(try Self.list("").arrange(Self.entries).map(\.dumpID) == [5, 1, 8, 3, 2])
    }

    @Test("a restore plan with a list restores only the listed entries, in list order, and keeps the warnings")
    func restorePlan() throws {
        var commandLine = PGRestoreCommandLine()
        commandLine.restrictKey = "K"
        let (selection, script) = try commandLine.resolve()
        let plan = try RestorePlan(
            entries: Self.entries, selection: selection, script: script, strictNames: false,
            useList: Array("8\nnope\n2\n".utf8))
        #expect(plan.entries.map(\.dumpID) == [5, 1, 3, 8, 2])
        #expect(plan.selection.useList == [8, 2])
        #expect(plan.ignoredListLines == ["nope\n"])
        let requirements = EntrySelection.requirements(of: plan.entries, options: plan.selection, names: plan.names)
        #expect(zip(plan.entries, requirements).filter { !$0.1.isEmpty }.map(\.0.dumpID) == [8, 2])
    }
}
