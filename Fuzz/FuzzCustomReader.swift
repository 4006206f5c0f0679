// libFuzzer target: the custom-format reader (header, TOC, data blocks, every codec) from arbitrary bytes,
// read both as a seekable file and as a pipe. Built by scripts/fuzz.sh together with the library's sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCustomReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for seekable in [true, false] {
        let source = MemoryByteSource(bytes, name: "fuzz", seekable: seekable, maximumReadSize: seekable ? .max : 4093)
        FuzzSupport.exercise { try CustomArchiveReader(source: source, limits: FuzzSupport.limits) }
    }
    return 0
}
