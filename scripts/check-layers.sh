#!/usr/bin/env bash
# Holds the library's layers: a target imports only the targets below it, and each system library is imported
# only by the layer that owns it. Run by `make test`; exits 1 naming every import that breaks a rule.
#
#   PGDumpCore     the archive model and byte I/O               (nothing of ours)
#   PGDumpCodecs   zlib/gzip framing, ISA-L, lz4, zstd          (Core; CZlib CIsal CLZ4 CZstd)
#   PGDumpRemote   archives at http(s) URLs (range requests)   (Core; CCurl)
#   PGDumpFormats  one driver per format, Archive.open/create   (Core, Codecs, Remote; CArchive)
#   PGDumpKit      restore/SQL, list, extract, convert, verify   (Core, Codecs, Formats; CCopyScan)
#   pgdumpkit      the command-line tool                        (PGDumpKit; ArgumentParser)
set -euo pipefail
cd "$(dirname "$0")/.."

targets="PGDumpCore PGDumpCodecs PGDumpRemote PGDumpFormats PGDumpKit pgdumpkit"

allowed_imports() {
    case "$1" in
        PGDumpCore) echo "" ;;
        PGDumpCodecs) echo "PGDumpCore CZlib CIsal CLZ4 CZstd" ;;
        PGDumpRemote) echo "PGDumpCore CCurl" ;;
        PGDumpFormats) echo "PGDumpCore PGDumpCodecs PGDumpRemote CArchive" ;;
        PGDumpKit) echo "PGDumpCore PGDumpCodecs PGDumpFormats CCopyScan" ;;
        pgdumpkit) echo "PGDumpKit ArgumentParser" ;;
    esac
}
# Modules every layer may use: the platform's C library and Foundation.
common="Glibc Darwin Foundation"

# An import line: attributes (@_exported, @testable, @preconcurrency), an access level, an import kind
# (`import struct M.Type`), then the module.
import_line='^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*((public|package|internal|fileprivate|private)[[:space:]]+)?import[[:space:]]+((typealias|struct|class|enum|protocol|let|var|func)[[:space:]]+)?[A-Za-z_]'

status=0
for target in $targets; do
    if [[ ! -d "Sources/$target" ]]; then
        echo "layer check: Sources/$target does not exist (update scripts/check-layers.sh)"
        status=1
        continue
    fi
    allowed="$(allowed_imports "$target")"
    while IFS= read -r hit; do
        [[ -z "$hit" ]] && continue
        file="${hit%%:*}"
        module="$(sed -E 's/^[^:]*:[0-9]+://; s/^.*import[[:space:]]+((typealias|struct|class|enum|protocol|let|var|func)[[:space:]]+)?([A-Za-z0-9_]+).*/\3/' <<<"$hit")"
        case " $allowed $common " in
            *" $module "*) ;;
            *)
                echo "layer violation: $file imports $module (target $target may import: ${allowed:-nothing of ours})"
                status=1
                ;;
        esac
    done < <(grep -rnE "$import_line" "Sources/$target" --include='*.swift' || true)
done
if [[ $status -eq 0 ]]; then echo "layers: every import follows the layer order"; fi
exit $status
