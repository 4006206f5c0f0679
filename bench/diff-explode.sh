#!/usr/bin/env bash
# diff-explode.sh — speed and memory of `pgdumpkit diff`, `explode` and `implode` on the data set of
# bench/dataset.sh (1.3 GB of COPY data, ~4200 TOC entries). diff reads both archives at once, one thread each:
# its time should be at most that of reading both (verify of each), its memory flat. A changed copy of the
# archive (explode, three rows of pgbench_accounts edited in the CSV, a table's rows deleted, implode) gives a
# diff with differences, and `diff --rows` on it partitions the 10-million-row table into bucket files.
# Results go to bench/results/diff-explode.md.
#
#   bench/diff-explode.sh [--runs N]        (data under ${BENCH_DIR:-/tmp/pgdumpkit-bench}; default 3 runs)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/pgdumpkit-bench}"
RUNS=3
[ "${1:-}" = --runs ] && RUNS="$2"
log() { printf 'diff-explode: %s\n' "$*" >&2; }

[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2
"$REPO/bench/dataset.sh" >&2
SET="$BENCH_DIR/set"
A="$SET/custom-gzip.dump"
B="$SET/dir-gzip"
Z="$SET/custom-zstd.dump"

log "building pgdumpkit (release)"
(cd "$REPO" && swift build -c release --product pgdumpkit >&2)
PGDUMPKIT="$REPO/.build/release/pgdumpkit"
WORK="$BENCH_DIR/diff-explode"
rm -rf "$WORK"
mkdir -p "$WORK"

# One run: wall seconds, CPU seconds (user + system: writing files is mostly system time), peak RSS (MiB), exit
# status.
measure() {
  local status=0
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || status=$?
  # (A non-zero status adds a line before the figures.)
  tail -n 1 "$WORK/time" | awk -v s="$status" '{ printf "%.2f %.2f %.0f %d\n", $1, $2 + $3, $4 / 1024, s }'
}
# The median of RUNS runs (by wall time); "cleanup" runs before each (e.g. removing an output).
median() {
  local cleanup="$1" i
  shift
  for ((i = 0; i < RUNS; i++)); do eval "$cleanup"; measure "$@"; done | sort -n | awk -v n="$RUNS" 'NR == int((n + 1) / 2)'
}
ROWS=()
row() {   # description, command words...
  local what="$1" result
  shift
  result="$(median "${CLEANUP:-:}" "$@")"
  read -r wall cpu rss status <<<"$result"
  log "$what: ${wall}s wall, ${cpu}s CPU, ${rss} MiB, exit $status"
  ROWS+=("| $what | ${wall} s | ${cpu} s | ${rss} MiB | $status |")
}

log "reading each archive once (verify)"
row "\`verify\` custom-gzip.dump" "$PGDUMPKIT" verify -q "$A"
row "\`verify\` dir-gzip" "$PGDUMPKIT" verify -q "$B"
row "\`verify\` custom-zstd.dump" "$PGDUMPKIT" verify -q "$Z"
log "diff of identical content"
row "\`diff\` custom-gzip.dump dir-gzip" "$PGDUMPKIT" diff "$A" "$B"
row "\`diff\` custom-gzip.dump custom-zstd.dump" "$PGDUMPKIT" diff "$A" "$Z"
row "\`diff --schema-only\` custom-gzip.dump dir-gzip" "$PGDUMPKIT" diff --schema-only "$A" "$B"

log "explode and implode"
CLEANUP="rm -rf '$WORK/tree'" row "\`explode\` custom-gzip.dump (CSV)" "$PGDUMPKIT" explode "$A" -o "$WORK/tree"
CLEANUP="rm -rf '$WORK/tree-copy'" row "\`explode --copy\` custom-gzip.dump" "$PGDUMPKIT" explode --copy "$A" -o "$WORK/tree-copy"
rm -rf "$WORK/tree-copy" "$WORK/tree"
"$PGDUMPKIT" explode "$A" -o "$WORK/tree"
TREE_SIZE="$(du -sh --apparent-size "$WORK/tree" | cut -f1)"
TREE_FILES="$(find "$WORK/tree" -type f | wc -l)"
CLEANUP="rm -f '$WORK/back.dump'" row "\`implode\` the tree (custom, gzip)" "$PGDUMPKIT" implode "$WORK/tree" -o "$WORK/back.dump"
CLEANUP="rm -f '$WORK/back-none.dump'" row "\`implode -Z 0\` the tree (custom, uncompressed)" "$PGDUMPKIT" implode -Z 0 "$WORK/tree" -o "$WORK/back-none.dump"
rm -f "$WORK/back-none.dump"
row "\`diff\` custom-gzip.dump and its exploded-imploded copy" "$PGDUMPKIT" diff "$A" "$WORK/back.dump"

log "a changed copy"
accounts="$WORK/tree/public/table-data/pgbench_accounts.csv"
# Three rows edited (keys 5, 500000, 9999999), one deleted (key 77); pgbench_history emptied.
awk -F, 'BEGIN { OFS = "," }
  NR > 1 && ($1 == 5 || $1 == 500000 || $1 == 9999999) { $3 = $3 + 1 }
  NR > 1 && $1 == 77 { next }
  { print }' "$accounts" >"$accounts.new" && mv "$accounts.new" "$accounts"
[ -f "$WORK/tree/public/table-data/pgbench_history.csv" ] && head -n 1 "$WORK/tree/public/table-data/pgbench_history.csv" >"$WORK/h" \
  && mv "$WORK/h" "$WORK/tree/public/table-data/pgbench_history.csv"
rm -f "$WORK/changed.dump"
"$PGDUMPKIT" implode "$WORK/tree" -o "$WORK/changed.dump"
rm -rf "$WORK/tree"
row "\`diff\` custom-gzip.dump changed.dump" "$PGDUMPKIT" diff "$A" "$WORK/changed.dump"
row "\`diff --rows\` custom-gzip.dump changed.dump (default 64 MiB budget)" "$PGDUMPKIT" diff --rows "$A" "$WORK/changed.dump"
row "\`diff --rows --rows-memory 16\` custom-gzip.dump changed.dump" "$PGDUMPKIT" diff --rows --rows-memory 16 "$A" "$WORK/changed.dump"
"$PGDUMPKIT" diff --rows "$A" "$WORK/changed.dump" >"$WORK/rows.txt" || true

{
  printf '# diff, explode and implode on the bench data set\n\n'
  printf 'Made by `bench/diff-explode.sh` on %s at commit %s%s.\n' "$(date -u +%Y-%m-%d)" \
    "$(git -C "$REPO" rev-parse --short HEAD)" "$(git -C "$REPO" diff --quiet HEAD -- Sources || echo ' + uncommitted changes')"
  printf 'Machine: %s cores, %s GiB, Linux %s; load average %s when it ended.\n' "$(nproc)" \
    "$(awk '/MemTotal/ { printf "%d", $2 / 1048576 + 0.5 }' /proc/meminfo)" "$(uname -r)" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'Data set: `bench/dataset.sh`, %s.\n' "$(head -n 1 "$SET/SIZES.txt" | sed -n 's/.*(\(pg_dump [^)]*\)).*/dumped by \1/p')"
  printf 'Median of %s runs (one run each is /usr/bin/time: wall, user + system CPU, peak RSS); page cache warm;\n' "$RUNS"
  printf 'output to /dev/null. The exploded tree: %s in %s files.\n\n' "$TREE_SIZE" "$TREE_FILES"
  printf '| command | wall | CPU | peak RSS | exit |\n|---|---|---|---|---|\n'
  printf '%s\n' "${ROWS[@]}"
  printf '\nWhat `diff --rows` printed for the changed copy (summary lines and rows):\n\n```\n'
  grep -v '^[-+@ ]-' "$WORK/rows.txt" | grep -E '^( |@@|[-+][0-9])' | head -n 20
  printf '```\n'
} >"$REPO/bench/results/diff-explode.md"
rm -rf "$WORK"
log "wrote bench/results/diff-explode.md"
