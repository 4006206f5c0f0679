#!/usr/bin/env bash
# Holds the library's layers: a target imports only the targets below it, and each system library is imported
# only by the layer that owns it. Run by `make test`; exits 1 naming every import that breaks a rule.
#
#   PGDumpCore     the archive model and byte I/O               (nothing of ours)
#   PGDumpCodecs   zlib/gzip framing, ISA-L, lz4, zstd          (Core; CZlib CIsal CLZ4 CZstd)
#   PGDumpFormats  one driver per format, Archive.open/create   (Core, Codecs; CArchive)
#   PGDumpKit      restore/SQL, list, extract, convert, verify   (Core, Codecs, Formats)
#   pgdumpkit      the command-line tool                        (PGDumpKit; ArgumentParser)
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
    [PGDumpCore]=""
    [PGDumpCodecs]="PGDumpCore CZlib CIsal CLZ4 CZstd"
    [PGDumpFormats]="PGDumpCore PGDumpCodecs CArchive"
    [PGDumpKit]="PGDumpCore PGDumpCodecs PGDumpFormats"
    [pgdumpkit]="PGDumpKit ArgumentParser"
)
# Modules every layer may use: the platform's C library and Foundation.
common="Glibc Darwin Foundation"

status=0
for target in "${!allowed[@]}"; do
    while IFS= read -r hit; do
        file="${hit%%:*}"
        module="$(sed -E 's/^[^:]*:[0-9]+:[[:space:]]*(@_exported[[:space:]]+|@testable[[:space:]]+)?import[[:space:]]+([A-Za-z0-9_]+).*/\2/' <<<"$hit")"
        case " ${allowed[$target]} $common " in
            *" $module "*) ;;
            *)
                echo "layer violation: $file imports $module (target $target may import: ${allowed[$target]:-nothing of ours})"
                status=1
                ;;
        esac
    done < <(grep -rnE '^[[:space:]]*(@_exported[[:space:]]+|@testable[[:space:]]+)?import[[:space:]]+[A-Za-z]' "Sources/$target" --include='*.swift' || true)
done
if [[ $status -eq 0 ]]; then echo "layers: every import follows the layer order"; fi
exit $status
