#!/usr/bin/env bash
# fuzz.sh TARGET SECONDS [libFuzzer options...] — build and run one libFuzzer target with AddressSanitizer.
#
# Targets: custom (FuzzCustomReader), tar (FuzzTarReader), toc (FuzzTOCReader), copy (FuzzCopyDecoder, when present).
# Each is the library's sources compiled with one file from Fuzz/ by swiftc -sanitize=fuzzer,address (not by
# SwiftPM, which cannot build libFuzzer executables). The corpus lives in ${FUZZ_DIR:-/tmp/pgdumpkit-fuzz}/TARGET,
# seeded from testdata; crashes are written there as crash-*; copy a fixed crash into testdata/malformed/ as a
# regression test.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${1:?usage: fuzz.sh custom|tar|toc|copy SECONDS}"
SECONDS_TO_RUN="${2:?usage: fuzz.sh TARGET SECONDS}"
shift 2
case "$TARGET" in
  custom) FILE=FuzzCustomReader.swift ;;
  tar) FILE=FuzzTarReader.swift ;;
  toc) FILE=FuzzTOCReader.swift ;;
  copy) FILE=FuzzCopyDecoder.swift ;;
  *) echo "fuzz.sh: unknown target $TARGET" >&2; exit 2 ;;
esac
"$REPO/scripts/install-deps.sh"
WORK="${FUZZ_DIR:-/tmp/pgdumpkit-fuzz}"
CORPUS="$WORK/$TARGET"
mkdir -p "$CORPUS" "$WORK/bin"
BIN="$WORK/bin/fuzz-$TARGET"

# Build from a snapshot of the committed sources (FUZZ_SOURCE=worktree: of the working tree), so that edits
# made meanwhile cannot break the build: every library source plus the target and the shared support file, in
# one module.
SNAPSHOT="$WORK/src-$TARGET"
rm -rf "$SNAPSHOT" && mkdir -p "$SNAPSHOT"
if [ "${FUZZ_SOURCE:-head}" = head ] && git -C "$REPO" rev-parse HEAD >/dev/null 2>&1; then
  git -C "$REPO" archive HEAD Sources Fuzz | tar -x -C "$SNAPSHOT"
else
  cp -r "$REPO/Sources" "$REPO/Fuzz" "$SNAPSHOT/"
fi
# The library's layers are compiled into the one fuzzing module: their imports of each other and the re-exports
# are dropped from the snapshot.
LAYERS=(PGDumpCore PGDumpCodecs PGDumpFormats PGDumpKit)
rm -f "$SNAPSHOT/Sources/PGDumpKit/Exports.swift"
mapfile -t SOURCES < <(for layer in "${LAYERS[@]}"; do find "$SNAPSHOT/Sources/$layer" -name '*.swift'; done | sort)
sed -i -E '/^import (PGDumpCore|PGDumpCodecs|PGDumpFormats)$/d' "${SOURCES[@]}"
echo "fuzz.sh: building $BIN" >&2
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name PGDumpKitFuzz -package-name pgdumpkit \
  -I "$SNAPSHOT/Sources/CZlib" -I "$SNAPSHOT/Sources/CZstd" -I "$SNAPSHOT/Sources/CLZ4" -I "$SNAPSHOT/Sources/CArchive" -I "$SNAPSHOT/Sources/CIsal" \
  "${SOURCES[@]}" "$SNAPSHOT/Fuzz/FuzzSupport.swift" "$SNAPSHOT/Fuzz/$FILE" \
  -lz -lzstd -llz4 -larchive -lisal -o "$BIN"

# Seed from testdata the first time: whole small archives, toc.dat files, tar files, COPY data.
if [ -z "$(ls -A "$CORPUS")" ]; then
  case "$TARGET" in
    custom) find "$REPO/testdata/archives" -name '*.dump' -size -400k -exec cp {} "$CORPUS/" \; ;;
    tar) for f in "$REPO"/testdata/archives/*/tar.tar; do cp "$f" "$CORPUS/$(basename "$(dirname "$f")")-tar"; done ;;
    toc) for f in "$REPO"/testdata/archives/*/directory-*/toc.dat; do cp "$f" "$CORPUS/$(echo "$f" | md5sum | cut -c1-12)"; done ;;
    copy) find "$REPO/testdata/archives" -path '*directory-none*' -name '[0-9]*.dat' -size -64k -exec cp {} "$CORPUS/" \; ;;
  esac
  [ -d "$REPO/testdata/malformed" ] && cp "$REPO"/testdata/malformed/* "$CORPUS/" 2>/dev/null || true
fi

cd "$WORK"
echo "fuzz.sh: running $TARGET for $SECONDS_TO_RUN s (corpus $CORPUS)" >&2
exec "$BIN" "$CORPUS" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
  -artifact_prefix="$WORK/$TARGET-" -print_final_stats=1 "$@"
