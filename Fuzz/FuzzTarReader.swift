// libFuzzer target: the tar reader (member headers, toc.dat, members, large-object runs), seekable and piped.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTarReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for seekable in [true, false] {
        let source = MemoryByteSource(bytes, name: "fuzz", seekable: seekable, maximumReadSize: seekable ? .max : 511)
        FuzzSupport.exercise { try TarArchiveReader(source: source, limits: FuzzSupport.limits) }
    }
    return 0
}
