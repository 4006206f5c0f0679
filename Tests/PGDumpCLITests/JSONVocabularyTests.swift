import Foundation
import PGDumpTestSupport
import Testing

/// `list --json`, `info --json --tables` and `verify --json` speak one vocabulary, and every key they print is in
/// the README's "JSON output" section.
@Suite struct JSONVocabularyTests {
    static let archives = [
        "archives/pg18/custom-default.dump", "archives/pg18/directory-default", "archives/pg18/tar.tar",
        "archives/pg11/custom-default.dump", "sample/chinook.dump",
    ]

    static let commands: [(name: String, arguments: [String])] = [
        ("list", ["list", "--json"]), ("info", ["info", "--json", "--tables"]), ("verify", ["verify", "--json", "-q"]),
        ("list --with-deps", ["list", "--json", "--with-deps", "-t", "orders", "-t", "album"]),
    ]

    /// The backticked names in the README's JSON section: a key is documented when its name, or `parent.name`,
    /// appears there.
    static func documentedNames() throws -> Set<String> {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "### JSON output"))
        let rest = readme[start.upperBound...]
        let section = rest[..<(rest.range(of: "\n### ")?.lowerBound ?? rest.endIndex)]
        var names: Set<String> = []
        for piece in section.split(separator: "`").enumerated() where piece.offset % 2 == 1 {
            for part in piece.element.split(separator: ".") { names.insert(String(part)) }
        }
        return names
    }

    /// Every key in `value`, with the path of objects and arrays it is in.
    static func keys(of value: Any, path: String = "") -> [(path: String, key: String)] {
        if let object = value as? [String: Any] {
            return object.flatMap { key, child in
                [(path, key)] + keys(of: child, path: path.isEmpty ? key : path + "." + key)
            }
        }
        if let array = value as? [Any] { return array.flatMap { keys(of: $0, path: path) } }
        return []
    }

    @Test("every key printed is documented, and each document says its layout version", arguments: archives)
    func documented(_ archive: String) throws {
        let documented = try Self.documentedNames()
        let path = Fixtures.testdata.appendingPathComponent(archive).path
        for command in Self.commands {
            let result = try CLITests.pgdumpkit(command.arguments + [path])
            #expect(result.status == 0, "\(command.name) \(archive)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String: Any])
            #expect(object["formatVersion"] as? Int == 1, "\(command.name)")
            // Counts by section and by type are keyed by values (section names, descs), not by vocabulary.
            let keys = Self.keys(of: object).filter { !["entriesBySection", "entriesByType"].contains($0.path) }
            for (parent, key) in keys {
                #expect(documented.contains(key), "\(command.name) --json prints \(parent.isEmpty ? key : parent + "." + key), which the README does not document")
            }
        }
    }

    @Test("entries are named the same everywhere: dumpId, desc, schema, tag; times are ISO 8601 UTC")
    func sameNames() throws {
        let path = Fixtures.testdata.appendingPathComponent("archives/pg18/custom-default.dump").path
        var documents: [String: [String: Any]] = [:]
        for command in Self.commands {
            let result = try CLITests.pgdumpkit(command.arguments + [path])
            documents[command.name] = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String: Any])
        }
        let listed = try #require(documents["list"]?["entries"] as? [[String: Any]])
        let verified = try #require(documents["verify"]?["entries"] as? [[String: Any]])
        let tables = try #require(documents["info"]?["tables"] as? [[String: Any]])
        for entry in verified + tables {
            let id = try #require(entry["dumpId"] as? Int)
            let same = try #require(listed.first { $0["dumpId"] as? Int == id })
            for key in ["desc", "schema", "tag"] {
                #expect(entry[key] as? String == same[key] as? String, "\(key) of entry \(id)")
            }
        }
        #expect(listed.allSatisfy { $0["namespace"] == nil && $0.keys.contains("schema") })
        for name in ["list", "info"] {
            let header = try #require(documents[name]?["header"] as? [String: Any])
            let created = try #require(header["created"] as? String)
            #expect(created.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil, "\(created)")
        }
    }

    @Test("the ISO creation time is the stored local time converted to UTC, as pg_restore reads it")
    func creationTimeInUTC() throws {
        let path = Fixtures.testdata.appendingPathComponent("sample/chinook.dump").path
        let utc = try CLITests.pgdumpkit(["list", "--json", path])
        let header = try #require((try JSONSerialization.jsonObject(with: Data(utc.standardOutput)) as? [String: Any])?["header"] as? [String: Any])
        let stored = try #require(header["creationTime"] as? [String: Int])
        // The tool runs with TZ=UTC here (CommandRunner), so the stored fields are read as UTC.
        let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", stored["year"]!, stored["month"]!, stored["day"]!,
                              stored["hour"]!, stored["minute"]!, stored["second"]!)
        #expect(header["created"] as? String == expected)
    }
}
