import Foundation
@testable import PGDumpKit
import PGDumpTestSupport
import Testing

/// `extract --to jsonl --typed` and `TableRow.typedValue` for array columns: PostgreSQL's array text read as
/// `array_in` reads it and written as JSON arrays, checked against crafted values and against the server's own
/// `row_to_json` of the same data (`testdata/typed-arrays/`, from `scripts/make-testdata.sh --typed-arrays`).
@Suite struct TypedArrayTests {
    /// One array text as COPY decodes it, typed as a value of `type`: what the JSON Lines writer writes, and the
    /// row API's value. The writer runs twice, with room to write in one pass (and take back malformed text) and
    /// with an output buffer that hands every piece straight to its sink (checked first, then written), and
    /// must write the same either way.
    static func typed(_ text: String, as type: String, domains: [String: String] = [:]) throws -> (json: String, value: RowValue) {
        let kind = TableDefinition.jsonKind(ofType: Array(type.utf8), domains: domainMap(domains))
        let bytes = Array(text.utf8)
        var results: [String] = []
        for passThroughSize in [nil, 1] {
            let sink = MemoryByteSink()
            let output = OutputBuffer(sink: sink, capacity: 1 << 20, passThroughSize: passThroughSize)
            try output.append(UInt8(ascii: "<"))
            var scratch: [UInt8] = []
            try bytes.withUnsafeBytes { try JSONLinesRowWriter.writeValue($0, as: kind, to: output, scratch: &scratch) }
            try output.append(UInt8(ascii: ">"))
            try output.flush()
            #expect(output.totalBytes == Int64(sink.bytes.count))
            results.append(String(decoding: sink.bytes.dropFirst().dropLast(), as: UTF8.self))
        }
        #expect(results[0] == results[1], "\(text.debugDescription)")
        let value = bytes.withUnsafeBytes { RowValue(field: $0, kind: kind) }
        return (results[0], value)
    }

    static func domainMap(_ domains: [String: String]) -> [[UInt8]: [UInt8]] {
        Dictionary(uniqueKeysWithValues: domains.map { (Array($0.key.utf8), Array($0.value.utf8)) })
    }

    @Test("array text becomes a JSON array, elements typed by the element type", arguments: [
        // (type, array text after COPY's decoding, JSON)
        ("integer[]", "{1,2,3}", "[1,2,3]"),
        ("integer[]", "{}", "[]"),
        ("integer[]", "{1,NULL,null,NuLl}", "[1,null,null,null]"),
        ("integer[]", " { 1 ,\t2 } ", "[1,2]"),
        ("integer[]", "{007,x,-0,\"5\"}", #"["007","x",-0,5]"#),
        ("int[][]", "{{1,2},{3,NULL}}", "[[1,2],[3,null]]"),
        ("integer[]", "{{{1},{2}},{{3},{4}}}", "[[[1],[2]],[[3],[4]]]"),
        ("integer[]", "{{{{{{6}}}}}}", "[[[[[[6]]]]]]"),
        ("bigint[]", "{-9223372036854775808,9223372036854775807}", "[-9223372036854775808,9223372036854775807]"),
        ("numeric(10,2)[]", "{1.50,NaN,-0.25,Infinity,-Infinity}", #"[1.50,"NaN",-0.25,"Infinity","-Infinity"]"#),
        ("double precision[]", "{1e+300,-0,Infinity,NaN,1.5,1e-05}", #"[1e+300,-0,"Infinity","NaN",1.5,1e-05]"#),
        ("boolean[]", "{t,f,NULL,maybe}", #"[true,false,null,"maybe"]"#),
        ("text[]", #"{NULL,"NULL","null","",plain}"#, #"[null,"NULL","null","","plain"]"#),
        ("text[]", #"{"a,b","{c}","say \"hi\"","back\\slash"," padded "}"#,
         #"["a,b","{c}","say \"hi\"","back\\slash"," padded "]"#),
        ("text[]", "{  a b  ,c}", #"["a b","c"]"#),
        ("text[]", #"{a\,b,\NULL,c\ ,\"q}"#, #"["a,b","NULL","c ","\"q"]"#),
        ("text[]", "{\"tab\there\",\"line\nbreak\",ünï,🐘}", #"["tab\there","line\nbreak","ünï","🐘"]"#),
        ("character varying(20)[]", #"{"ab ",xyz}"#, #"["ab ","xyz"]"#),
        ("json[]", #"{"{\"a\": [1, 2]}",NULL,"null","\"s\"",5,"{bad"}"#, #"[{"a": [1, 2]},null,null,"s",5,"{bad"]"#),
        ("jsonb[]", "{\"[1,\n2]\",[]}", "[[1, 2],[]]"),
        ("box[]", "{(1,1),(0,0);(3,3),(2,2)}", #"["(1,1),(0,0)","(3,3),(2,2)"]"#),
        ("pg_catalog.box[]", "{(1,1),(0,0)}", #"["(1,1),(0,0)"]"#),
        ("date[]", "{2024-02-29,infinity}", #"["2024-02-29","infinity"]"#),
        ("bytea[]", #"{"\\x0102",NULL}"#, #"["\\x0102",null]"#),
        ("_int4", "{1,2}", "[1,2]"),
        ("pg_catalog._numeric", "{1.5}", "[1.5]"),
        ("integer ARRAY", "{1}", "[1]"),
        ("integer ARRAY[3]", "{1}", "[1]"),
        ("integer[3]", "{1}", "[1]"),
        // Lower bounds other than 1 are dropped, as array_to_json drops them.
        ("integer[]", "[0:1]={7,8}", "[7,8]"),
        ("integer[]", "[2]={7,8}", "[7,8]"),
        ("integer[]", " [0:1] [-1:1] = {{1,2,3},{4,5,6}}", "[[1,2,3],[4,5,6]]"),
        ("integer[]", "[+1:+2]={7,8}", "[7,8]"),
    ])
    func arrays(_ type: String, _ text: String, _ json: String) throws {
        let typed = try Self.typed(text, as: type)
        #expect(typed.json == json)
        #expect(typed.value.jsonText == json)
        _ = try JSONSerialization.jsonObject(with: Data(typed.json.utf8), options: .fragmentsAllowed)
    }

    @Test("malformed array text (a damaged archive) is written whole as a string", arguments: [
        "", "1,2", "{1,2", "{1,2}x", "{1,,2}", "{,1}", "{1,}", "{{1,2},{3}}", "{{1},2}", "{1,{2}}", "{{}}",
        "{{1},{}}", "{\"a}", "{a\"b\"}", "{\"a\"b}", "{a\\}", "{a{b}", "{1}}", "{{1}", "{{{{{{{1}}}}}}}",
        "[0:2]={7,8}", "[1:0]={}", "[2:1]={1}", "[0:1]{7,8}", "[0:1]={{1},{2}}", "[1:1][1:1]={1}", "[x]={1}",
        "[1:]={1}", "[1:1={1}", "[1234567890]={1}", "[1]=", "{1;2}x", "{(1,1);}",
    ])
    func malformed(_ text: String) throws {
        let type = text.contains(";") ? "box[]" : "integer[]"
        let typed = try Self.typed(text, as: type)
        #expect(typed.json == RowValue.string(text).jsonText, "\(text)")
        #expect(typed.value == .string(text), "\(text)")
    }

    @Test("any bytes: always valid JSON, the writer and the row API agree, nothing crashes")
    func anyBytes() throws {
        let alphabet = Array(#"{}{}"",,;\\ \tNULLnul1-0.5e[]:=x"#.utf8) + [0x0A, 0xC3, 0xA9, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let types = ["integer[]", "text[]", "boolean[]", "jsonb[]", "box[]", "app.lists[]"]
        var arrays = 0
        for _ in 0..<4000 {
            var bytes = [UInt8(ascii: "{")]
            for _ in 0..<next(24) { bytes.append(alphabet[next(alphabet.count)]) }
            if next(2) == 0 { bytes.append(UInt8(ascii: "}")) }
            // Valid UTF-8 only: the row API's strings replace invalid sequences, the writer invalid bytes.
            let text = String(decoding: bytes, as: UTF8.self)
            let typed = try Self.typed(
                text, as: types[next(types.count)], domains: ["app.lists": "integer[]"])
            #expect(typed.json == typed.value.jsonText, "\(text.debugDescription)")
            _ = try JSONSerialization.jsonObject(with: Data(typed.json.utf8), options: .fragmentsAllowed)
            if typed.json.hasPrefix("[") { arrays += 1 }
        }
        #expect(arrays > 400)
    }

    @Test("the row API's arrays: nested .array values, elements typed as columns of the element type")
    func rowValues() throws {
        #expect(try Self.typed("{{1,2},{3,NULL}}", as: "integer[]").value
            == .array([.array([.integer(1), .integer(2)]), .array([.integer(3), .null])]))
        #expect(try Self.typed("{}", as: "text[]").value == .array([]))
        #expect(try Self.typed(#"{1.50,NaN}"#, as: "numeric[]").value == .array([.number("1.50"), .string("NaN")]))
        #expect(try Self.typed(#"{t,NULL,"NULL"}"#, as: "boolean[]").value == .array([.boolean(true), .null, .string("NULL")]))
        #expect(try Self.typed(#"{"{\"k\": 1}"}"#, as: "jsonb[]").value == .array([.json(#"{"k": 1}"#)]))
        // A domain over an array, an array of domains, an array of a domain over an array.
        let domains = ["app.int_list": "integer[]", "app.positive_int": "integer", "app.boxed": "box"]
        #expect(try Self.typed("{4,5}", as: "app.int_list", domains: domains).value == .array([.integer(4), .integer(5)]))
        #expect(try Self.typed("{1,NULL}", as: "app.positive_int[]", domains: domains).value == .array([.integer(1), .null]))
        let lists = try Self.typed(#"{"{1,2}","{3}",NULL}"#, as: "app.int_list[]", domains: domains)
        #expect(lists.value == .array([.array([.integer(1), .integer(2)]), .array([.integer(3)]), .null]))
        #expect(lists.json == "[[1,2],[3],null]")
        #expect(try Self.typed("{(1,1),(0,0);(2,2),(1,1)}", as: "app.boxed[]", domains: domains).json
            == #"["(1,1),(0,0)","(2,2),(1,1)"]"#)
        // An element that is not well-formed array text stays a string inside the outer array.
        #expect(try Self.typed(#"{"{1,2",NULL}"#, as: "app.int_list[]", domains: domains).json == #"["{1,2",null]"#)
    }

    @Test("column types: arrays as format_type writes them, domains resolved for the array and its element")
    func kinds() {
        func kind(_ type: String, _ domains: [String: String] = [:]) -> JSONValueKind {
            TableDefinition.jsonKind(ofType: Array(type.utf8), domains: Self.domainMap(domains))
        }
        let comma = UInt8(ascii: ","), semicolon = UInt8(ascii: ";")
        #expect(kind("integer[]") == .array(element: .integer, delimiter: comma))
        #expect(kind("numeric(10,2)[]") == .array(element: .number, delimiter: comma))
        #expect(kind("character varying(20)[]") == .array(element: .string, delimiter: comma))
        #expect(kind("timestamp(3) with time zone[]") == .array(element: .string, delimiter: comma))
        #expect(kind("pg_catalog.box[]") == .array(element: .string, delimiter: semicolon))
        #expect(kind("_box") == .array(element: .string, delimiter: semicolon))
        #expect(kind("json[]") == .array(element: .json, delimiter: comma))
        #expect(kind("_mood") == .string)
        #expect(kind("app.\"odd[]\"") == .string)
        #expect(kind("text") == .string)
        #expect(kind("app.list", ["app.list": "app.positive_int[]", "app.positive_int": "bigint"])
            == .array(element: .integer, delimiter: comma))
        #expect(kind("app.lists[]", ["app.lists": "app.list", "app.list": "boolean[]"])
            == .array(element: .array(element: .boolean, delimiter: comma), delimiter: comma))
        // Domains that refer to each other (only a damaged archive has them) end as strings, without looping.
        let cycle = kind("app.a", ["app.a": "app.b[]", "app.b": "app.a[]"])
        var depth = 0
        var current = cycle
        while case .array(let element, _) = current {
            depth += 1
            current = element
        }
        #expect(current == .string && depth <= 8)
    }

    @Test("a row too large for memory: an array up to a piece is typed, a larger one is a string")
    func largeRow() throws {
        let filler = String(repeating: "0123456789abcdef", count: (8 << 20) / 16)
        let large = "{" + String(repeating: "1,", count: 600_000) + "1}"
        let columns: [(name: String, type: String)] = [("t", "text"), ("small", "integer[]"), ("big", "integer[]")]
        let jsonl = try CraftedTable.extract(
            columns: columns, copyText: "\(filler)\t{1,NULL}\t\(large)\n", ExtractOptions(format: .jsonl, typed: true))
        #expect(jsonl.hasSuffix(#","small":[1,null],"big":"\#(large)"}"# + "\n"))
    }

    @Test("extract --typed and the row API give the server's own JSON (row_to_json) for array columns")
    func serverJSON() throws {
        let directory = Fixtures.testdata.appendingPathComponent("typed-arrays")
        let reader = try Archive.open(path: directory.appendingPathComponent("arrays.dump").path)
        let entry = try #require(reader.entries.first { $0.kind == .tableData && $0.tag == "arrays" })
        let sink = MemoryByteSink()
        _ = try TableExtractor.extract(entry, from: reader, options: ExtractOptions(format: .jsonl, typed: true), to: sink)
        let ours = sink.bytes.split(separator: 0x0A)
        let server = try Fixtures.bytes(directory.appendingPathComponent("server.jsonl")).split(separator: 0x0A)
        try #require(ours.count == 3 && server.count == 3)

        // The row API writes the same bytes.
        let rows = try reader.rows(of: entry)
        var rowLines: [UInt8] = []
        while let row = try rows.next() {
            let columns = try #require(row.columns)
            let members = (0..<row.count).map { RowValue.string(columns[$0]).jsonText + ":" + row.typedValue(at: $0).jsonText }
            rowLines += Array(("{" + members.joined(separator: ",") + "}\n").utf8)
        }
        #expect(rowLines == sink.bytes)
        #expect(rows.columnKinds[rows.columns!.firstIndex(of: "boxed")!]
            == .array(element: .string, delimiter: UInt8(ascii: ";")))
        #expect(rows.columnKinds[rows.columns!.firstIndex(of: "lists")!]
            == .array(element: .array(element: .integer, delimiter: UInt8(ascii: ",")), delimiter: UInt8(ascii: ",")))

        var compared = 0
        for (ourLine, serverLine) in zip(ours, server) {
            let our = try #require(try JSONSerialization.jsonObject(with: Data(ourLine)) as? [String: Any])
            let theirs = try #require(try JSONSerialization.jsonObject(with: Data(serverLine)) as? [String: Any])
            #expect(Set(our.keys) == Set(theirs.keys))
            for (key, value) in theirs {
                let mine = try #require(our[key])
                // The one difference, the same for arrays as for columns: timestamps stay in the dump's text
                // form (`2024-01-01 12:00:00+00`); the server's JSON writes ISO 8601 (`2024-01-01T12:00:00+00:00`).
                let expected = key == "stamps" || key == "stamp" ? Self.isoTimestamps(mine) : mine
                #expect(Self.canonical(expected) == Self.canonical(value), "row \(our["id"] ?? "?"), \(key)")
                compared += 1
            }
        }
        #expect(compared == 3 * 26)
    }

    /// A parsed JSON value as text that tells every JSON type apart (`true` is not `1`) and ignores key order.
    static func canonical(_ value: Any) -> String {
        switch value {
        case is NSNull:
            return "null"
        case let text as String:
            return text.debugDescription
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
            return "number " + number.description
        case let array as [Any]:
            return "[" + array.map(canonical).joined(separator: ",") + "]"
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { $0.debugDescription + ":" + canonical(object[$0]!) }
                .joined(separator: ",") + "}"
        default:
            return "? \(value)"
        }
    }

    /// The server's JSON form of the UTC timestamps in `value` (a string or an array of them).
    static func isoTimestamps(_ value: Any) -> Any {
        if let array = value as? [Any] { return array.map(isoTimestamps) }
        guard let text = value as? String, text.contains(" ") else { return value }
        return text.replacingOccurrences(of: " ", with: "T") + (text.hasSuffix("+00") ? ":00" : "")
    }
}
