// libFuzzer target: the custom-format reader (header, TOC, data blocks, every codec) from arbitrary bytes,
// read both as a seekable file and as a pipe. Built by scripts/fuzz.sh together with the library's sources.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCustomReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzSupport.exerciseSeekableAndPiped(data, size, pipeReadSize: 4093) {
        try CustomArchiveReader(source: $0, limits: FuzzSupport.limits)
    }
    return 0
}
