import ArgumentParser
import PGDumpKit

// Typed values of the options that name formats, compressions and archive versions. Each parses every string
// (init never fails) and keeps what it could not understand, so that the command refuses it later with the
// words and exit status pg_restore or pg_dump use, in their order of checks; ArgumentParser's own refusal would
// word it differently and exit 2.

/// An archive format given with `-F` (`c`, `custom`, `d`, `directory`, `t`, `tar`; `p`, `plain` for a script).
/// A plain script is read like an archive; as an output (`convert --to p`) it is rendered, not written as one.
enum FormatArgument: ExpressibleByArgument, Equatable {
    case archive(ArchiveFormat)
    case unrecognized(String)

    /// Shell completion offers the names pg_restore and pg_dump take.
    static var defaultCompletionKind: CompletionKind {
        .list(Archive.formats.flatMap(\.commandLineNames))
    }

    init(argument: String) {
        if let format = Archive.format(named: argument) {
            self = .archive(format)
        } else {
            self = .unrecognized(argument)
        }
    }
}

/// A compression given with `-Z`, as pg_dump takes it: `none`, `0`-`9`, `gzip[:N]`, `lz4[:N]`, `zstd[:N]`.
struct CompressionArgument: ExpressibleByArgument {
    let text: String
    private let parsed: Result<CompressionChoice, any Error>

    static var defaultCompletionKind: CompletionKind {
        .list(["none", "gzip", "lz4", "zstd"] + (0...9).map(String.init) + ["gzip:9", "lz4:9", "zstd:19"])
    }

    init(argument: String) {
        text = argument
        parsed = Result { try CompressionChoice(pgDumpSpec: argument) }
    }

    /// The compression, or the error that names what is wrong with it.
    func choice() throws -> CompressionChoice { try parsed.get() }
}

/// An archive version given with `--archive-version`: 1.14, 1.15 or 1.16.
enum ArchiveVersionArgument: ExpressibleByArgument, Equatable {
    case version(ArchiveVersion)
    case unrecognized(String)

    static let writable: [ArchiveVersion] = [.v1_14, .v1_15, .v1_16]

    static var defaultCompletionKind: CompletionKind { .list(writable.map(\.shortDescription)) }

    init(argument: String) {
        if let version = Self.writable.first(where: { $0.shortDescription == argument }) {
            self = .version(version)
        } else {
            self = .unrecognized(argument)
        }
    }
}
