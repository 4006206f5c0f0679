// One import gives a library user the whole API: the archive model and byte I/O, the codecs, the format drivers
// and the operations. Each layer is its own target so that the compiler keeps lower layers from reaching up.
@_exported import PGDumpCore
@_exported import PGDumpCodecs
@_exported import PGDumpFormats
