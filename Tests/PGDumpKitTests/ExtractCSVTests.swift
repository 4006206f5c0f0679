import Foundation
import PGDumpKit
import PGDumpTestSupport
import Testing

/// What the real server printed for `COPY table TO STDOUT WITH (FORMAT csv, HEADER)`: an `expected-csv` directory
/// with its `MANIFEST.tsv` (schema, table, file, in COPY text format).
struct ExpectedCSV {
    struct Table: Hashable, CustomStringConvertible {
        var schema: [UInt8]
        var table: [UInt8]
        var file: String
        var description: String { String(decoding: schema + [UInt8(ascii: ".")] + table, as: UTF8.self) }
    }

    let directory: URL
    let tables: [Table]

    init(directory: URL) throws {
        self.directory = directory
        let text = try Fixtures.bytes(directory.appendingPathComponent("MANIFEST.tsv"))
        tables = text.split(separator: 0x0A).map { line in
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false).map { Self.unescape(Array($0)) }
            return Table(schema: fields[0], table: fields[1], file: String(decoding: fields[2], as: UTF8.self))
        }
    }

    static let testdata = Result { try ExpectedCSV(directory: Fixtures.testdata.appendingPathComponent("expected-csv")) }

    /// Undoes COPY text escaping (`\n`, `\t`, `\\`), the only escapes names need.
    static func unescape(_ field: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < field.count {
            if field[index] == UInt8(ascii: "\\"), index + 1 < field.count {
                switch field[index + 1] {
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "r"): result.append(0x0D)
                default: result.append(field[index + 1])
                }
                index += 2
            } else {
                result.append(field[index])
                index += 1
            }
        }
        return result
    }

    func expected(_ table: Table) throws -> [UInt8] {
        try ExpectedOutput.read(directory.appendingPathComponent(table.file))
    }

    /// Extracts every table of the manifest from `reader` as CSV with a header and compares it with the server's
    /// bytes; checks that the archive's tables with data are exactly the manifest's. Returns the tables compared.
    @discardableResult
    func compareEveryTable(of reader: any ArchiveReader, name: String) throws -> Int {
        let withData = reader.entries.filter { $0.desc.equals("TABLE DATA") && $0.hasData }
        let inArchive = Set(withData.map { Table(schema: $0.namespace?.bytes ?? [], table: $0.tag?.bytes ?? [], file: "") })
        let inManifest = Set(tables.map { Table(schema: $0.schema, table: $0.table, file: "") })
        #expect(inArchive == inManifest, "\(name): tables with data differ from the manifest")
        var compared = 0
        for entry in TableLookup.inStorageOrder(withData, entries: reader.entries) {
            guard let table = tables.first(where: { $0.schema == entry.namespace?.bytes && $0.table == entry.tag?.bytes })
            else { continue }
            let sink = MemoryByteSink()
            let summary = try TableExtractor.extract(
                entry, from: reader, options: ExtractOptions(format: .csv, header: true), to: sink)
            let expected = ExpectedOutput.withOIDHeader(try expected(table), like: sink.bytes)
            let difference = ByteComparison.difference(actual: sink.bytes, expected: expected)
            #expect(difference == nil, "\(name) \(table): \(difference ?? "")")
            #expect(summary.outputBytes == Int64(sink.bytes.count))
            compared += 1
        }
        return compared
    }
}

/// The acceptance test of `extract`: its CSV is the server's, byte for byte, for every table of every archive.
@Suite struct ExtractCSVTests {
    @Test("CSV with a header equals the server's COPY ... (FORMAT csv, HEADER) for every table",
          arguments: Fixtures.archiveCases)
    func everyTableMatchesTheServer(_ archive: Fixtures.ArchiveCase) throws {
        let expected = try ExpectedCSV(directory: archive.expectedCSV)
        let compared = try expected.compareEveryTable(of: try Archive.open(path: archive.path), name: archive.relativePath)
        #expect(compared == expected.tables.count)
    }

    @Test("the same through a pipe, tables read in archive order",
          arguments: Fixtures.archiveCases.filter { $0.format != "directory" })
    func everyTableThroughAPipe(_ archive: Fixtures.ArchiveCase) throws {
        let pipe = MemoryByteSource(
            try Fixtures.bytes(URL(fileURLWithPath: archive.path)), name: "-", seekable: false, maximumReadSize: 4093)
        let expected = try ExpectedCSV(directory: archive.expectedCSV)
        #expect(try expected.compareEveryTable(of: try Archive.open(source: pipe), name: archive.relativePath)
            == expected.tables.count)
    }

    /// Archives of the public sample databases (pagila, chinook, northwind) beside the repository, with what the
    /// server printed for each of their tables.
    static let corpusArchives: [String] = {
        guard let corpus = Fixtures.sharedCorpus else { return [] }
        let archives = corpus.appendingPathComponent("archives")
        var found: [String] = []
        for database in (try? FileManager.default.contentsOfDirectory(atPath: archives.path)) ?? [] {
            for version in (try? FileManager.default.contentsOfDirectory(atPath: archives.appendingPathComponent(database).path)) ?? [] {
                let directory = archives.appendingPathComponent("\(database)/\(version)")
                for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
                where !name.hasSuffix(".tsv") {
                    found.append("\(database)/\(version)/\(name)")
                }
            }
        }
        return found.sorted()
    }()

    @Test("CSV equals the server's for every table of the shared sample corpus",
          .enabled(if: Fixtures.sharedCorpus != nil, Fixtures.sharedCorpusSkipped), arguments: corpusArchives)
    func sampleCorpus(_ relative: String) throws {
        let corpus = try #require(Fixtures.sharedCorpus)
        let database = String(relative.split(separator: "/")[0])
        let expected = try ExpectedCSV(directory: corpus.appendingPathComponent("expected-csv/\(database)"))
        let reader = try Archive.open(path: corpus.appendingPathComponent("archives/\(relative)").path)
        #expect(try expected.compareEveryTable(of: reader, name: relative) == expected.tables.count)
    }
}
