import Foundation
import PGDumpCodecs
import PGDumpCore
import PGDumpFormats
import PGDumpTestSupport
import Testing

/// Archives whose data spans many deflate chunks, written with 1 and 2 threads, read back by the real pg_restore.
@Suite(.enabled(if: Fixtures.pgRestore(major: "17") != nil, "pg_restore oracles are not installed"))
struct ParallelDeflateArchiveTests {
    static func rows(_ count: Int) -> [UInt8] {
        var text = ""
        for index in 0..<count { text += "\(index)\titem \(index * 7919 % 100_003)\t\(index % 97 == 0 ? "\\N" : "x\(index)")\n" }
        return Array(text.utf8)
    }

    @Test("custom and directory archives with multi-chunk gzip data restore with pg_restore 17",
          arguments: ["c", "d"])
    func pgRestoreReadsMultiChunkData(_ format: String) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("pgdumpkit-pdeflate-\(UUID())")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let data = Self.rows(60_000)  // about 1.7 MB: 13 chunks
        let header = ArchiveHeader(
            version: .v1_16, formatByte: format == "c" ? 1 : 3, compression: CompressionSpec(algorithm: .gzip),
            creationTime: nil, databaseName: "chunks", serverVersion: "17", pgDumpVersion: "17")
        let table = TOCEntry(
            dumpID: 4, tableOIDText: "1259", oidText: "16386", tag: "items", desc: "TABLE", section: .preData,
            defn: "CREATE TABLE public.items (id integer, name text, note text);\n",
            dropStmt: "DROP TABLE public.items;\n", namespace: "public", tablespace: "", tableam: "heap", relkind: 114,
            owner: "alice")
        var tableData = TOCEntry(
            dumpID: 8, hadDumper: true, tableOIDText: "0", oidText: "16386", tag: "items", desc: "TABLE DATA",
            section: .data, copyStmt: "COPY public.items (id, name, note) FROM stdin;\n", namespace: "public",
            owner: "alice", dependencies: [4])
        tableData.dataLocation = format == "c" ? .offsetNotSet : .file("8.dat")
        var outputs: [Data] = []
        for jobs in [1, 2] {
            let path = base.appendingPathComponent("jobs\(jobs)").path
            let writer: any ArchiveWriter
            var handle: FileHandle?
            if format == "c" {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                writer = try CustomArchiveWriter(
                    output: OutputFile(descriptor: handle!.fileDescriptor, name: path), header: header,
                    entries: [table, tableData], compression: CompressionChoice(algorithm: .gzip), jobs: jobs)
            } else {
                writer = try DirectoryArchiveWriter(
                    path: path, header: header, entries: [table, tableData],
                    compression: CompressionChoice(algorithm: .gzip), jobs: jobs)
            }
            try writer.beginData(of: tableData)
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {  // in COPY-row-sized pieces, as conversion writes
                    let take = min(4000, raw.count - offset)
                    try writer.write(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + take)]))
                    offset += take
                }
            }
            try writer.endData()
            try writer.finish()
            try handle?.close()
            let dataFile = format == "c" ? path : path + "/8.dat.gz"
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: dataFile)))

            let oracle = try #require(Fixtures.pgRestore(major: "17"))
            let restored = try CommandRunner.run(oracle, ["-f", "-", "-a", path])
            #expect(restored.status == 0, "\(restored.standardError)")
            let script = restored.standardOutput
            let copy = Array("COPY public.items (id, name, note) FROM stdin;\n".utf8)
            let start = try #require(script.firstRange(of: copy)).upperBound
            #expect(Array(script[start..<(start + data.count)]) == data, "jobs \(jobs)")
        }
        #expect(outputs[0] == outputs[1], "identical archives for 1 and 2 threads")
    }
}
