// libFuzzer target: the tar reader (member headers, toc.dat, members, large-object runs), seekable and piped.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTarReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzSupport.exerciseSeekableAndPiped(data, size, pipeReadSize: 511) {
        try TarArchiveReader(source: $0, limits: FuzzSupport.limits)
    }
    return 0
}
