// libFuzzer target: the COPY-text decoder and the CSV, TSV and JSON Lines writers, fed arbitrary bytes in
// pieces whose sizes the input itself chooses (so that rows, escapes and the end marker split anywhere).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCopyDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    // The first byte picks the column count and the piece size.
    let columns = (0..<Int(data[0] % 5)).map { ArchiveText("c\($0)") }
    let piece = Int(data[0] / 5) % 17 + 1
    let sink = MemoryByteSink()
    let output = OutputBuffer(sink: sink)
    feed(bytes, piece: piece, CopyTextDecoder(columns: columns, handler: CopyRowCounter(), stopsAtFirstProblem: false,
                                             maximumRowBytes: 1 << 16))
    feed(bytes, piece: piece, CopyTextDecoder(columns: columns, handler: CSVRowWriter(output: output, columnCount: columns.count),
                                             maximumRowBytes: 1 << 16))
    feed(bytes, piece: piece, CopyTextDecoder(columns: nil, handler: TextRowWriter(output: output), maximumRowBytes: 1 << 16))
    if let writer = try? JSONLinesRowWriter(output: output, columns: columns, kinds: columns.map { _ in .string }) {
        feed(bytes, piece: piece, CopyTextDecoder(columns: columns, handler: writer, maximumRowBytes: 1 << 16))
    }
    // Rows past a tiny spill threshold go to the temporary file and come back in pieces.
    feed(bytes, piece: piece, CopyTextDecoder(columns: columns, handler: CSVRowWriter(output: output, columnCount: columns.count),
                                             maximumRowBytes: 1 << 16, spillThreshold: 4096))
    if let writer = try? JSONLinesRowWriter(output: output, columns: columns, kinds: columns.map { _ in .string }) {
        feed(bytes, piece: piece, CopyTextDecoder(columns: columns, handler: writer, maximumRowBytes: 1 << 16,
                                                 spillThreshold: 4096))
    }
    // The same bytes as INSERT statements (pg_dump --inserts), with and without backslash escapes, held and
    // spilled.
    for escapes in [false, true] {
        feed(bytes, piece: piece, InsertStatementDecoder(
            handler: CSVRowWriter(output: output, columnCount: columns.count), backslashEscapesInStrings: escapes,
            maximumRowBytes: 1 << 16))
        feed(bytes, piece: piece, InsertStatementDecoder(
            handler: TextRowWriter(output: output), backslashEscapesInStrings: escapes, maximumRowBytes: 1 << 16,
            spillThreshold: 4096))
    }
    return 0
}

private func feed<Handler: CopyRowHandler>(_ bytes: [UInt8], piece: Int, _ decoder: InsertStatementDecoder<Handler>) {
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let end = min(raw.count, offset + piece)
            if (try? decoder.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))) == nil { return }
            offset = end
        }
        _ = try? decoder.finish()
    }
}

private func feed<Handler: CopyRowHandler>(_ bytes: [UInt8], piece: Int, _ decoder: CopyTextDecoder<Handler>) {
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let end = min(raw.count, offset + piece)
            if (try? decoder.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))) == nil { return }
            offset = end
        }
        _ = try? decoder.finish()
    }
}
