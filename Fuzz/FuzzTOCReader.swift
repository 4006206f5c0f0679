// libFuzzer target: the header and TOC reader that the directory format uses for toc.dat (format byte 3), and
// the directory format's large-object TOC line parser.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTOCReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let reader = BufferedReader(source: MemoryByteSource(bytes, name: "toc.dat", seekable: false, maximumReadSize: 1021))
    if let toc = try? TOCReader.readHeaderAndTOC(
        from: reader, expecting: .directory, limits: FuzzSupport.limits, dataLocation: .fileName)
    {
        // What a TOC can make the rest of the library do without any data: selection and listing.
        _ = ListPrinter.render(header: toc.header, format: .directory, entries: toc.entries, tocCount: toc.entries.count)
        var options = RestoreOptions()
        options.tableNames = ["t"]
        _ = EntrySelection.requirements(of: toc.entries, options: options)
        // And the script and column lookups a TOC alone drives.
        for entry in toc.entries where entry.desc.equals("TABLE DATA") {
            _ = TableDefinition.dataColumns(ofDataEntry: entry, entries: toc.entries)
        }
    }
    for line in bytes.split(separator: 0x0A) {
        _ = DirectoryArchiveReader.parseLargeObjectLine(Array(line))
    }
    return 0
}
