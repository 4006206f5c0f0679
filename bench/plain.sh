#!/usr/bin/env bash
# plain.sh — plain SQL scripts against the custom archive of the same data (issue 15): `list`, `sql`,
# `extract -t` (a big and a small table) on dataset.sh's plain.sql (a real pg_dump 17 -Fp of the bench database),
# plain.sql.gz, and plain.sql compressed by xz and bzip2 here, against custom-none.dump (the uncompressed custom
# archive pg_dump wrote of the same database). plain.sql is measured twice: first runs (the index cache emptied
# before each: the script is read whole and its index written) and runs with the index the first one wrote
# (ScriptIndexCache; the cache folder is the run's own XDG_CACHE_HOME). Release build (`.build-release`), page
# cache warm, RUNS runs each (median wall time, its CPU time, peak RSS from /usr/bin/time). Writes
# bench/results/plain.md.
#
#   bench/plain.sh            (BENCH_DIR as dataset.sh; RUNS=3; NO_BUILD=1 keeps the current release build)
set -euo pipefail
# shellcheck source=bench/release-set.sh
source "$(dirname "${BASH_SOURCE[0]}")/release-set.sh"
for ext in "xz|xz -T1 -6 -c" "bz2|bzip2 -9 -c"; do
  [ -e "$SET/plain.sql.${ext%%|*}" ] || ${ext#*|} "$SET/plain.sql" >"$SET/plain.sql.${ext%%|*}"
done
OUT="$REPO/bench/results/plain.md"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT

# The plain-script index cache (ScriptIndexCache) lives in a folder of this run, never the user's.
export XDG_CACHE_HOME="$SCRATCH/cache"
unset PGDUMPKIT_NO_CACHE PGDUMPKIT_DEBUG_CACHE

# measure LABEL COMMAND...: RUNS runs; prints "median_wall user+sys peak_rss_MB". With FRESH=1 the index cache
# is emptied before each run (a first run: the script is indexed and its index written).
measure() {
  local label="$1"; shift
  : >"$SCRATCH/times"
  for _ in $(seq "$RUNS"); do
    [ "${FRESH:-0}" = 1 ] && rm -rf "$XDG_CACHE_HOME"
    /usr/bin/time -f '%e %U %S %M' -o "$SCRATCH/one" "$@" >/dev/null 2>"$SCRATCH/err" || { cat "$SCRATCH/err" >&2; exit 1; }
    cat "$SCRATCH/one" >>"$SCRATCH/times"
  done
  sort -n "$SCRATCH/times" | awk -v n="$RUNS" -v label="$label" 'NR == int((n + 1) / 2) {
    printf "| %s | %.2f | %.2f | %.0f |\n", label, $1, $2 + $3, $4 / 1024 }'
}

big=pgbench_accounts
small=small_001
{
  echo "# Plain scripts against the custom archive of the same data"
  echo
  echo "$(date -u +%F) · commit $(git -C "$REPO" rev-parse --short HEAD) · $(nproc) cores · $(uname -m) · load average $(cut -d' ' -f1-3 /proc/loadavg) at the start · bench/plain.sh (RUNS=$RUNS, median)"
  echo
  echo "Inputs (bench/dataset.sh${PGBENCH_SCALE:+, PGBENCH_SCALE=$PGBENCH_SCALE TEXT_MB=${TEXT_MB:-300}}): plain.sql $(du -h "$SET/plain.sql" | cut -f1) (pg_dump 17 -Fp),"
  echo "custom-none.dump $(du -h "$SET/custom-none.dump" | cut -f1) (pg_dump 17 -Fc -Z 0), plain.sql.gz $(du -h "$SET/plain.sql.gz" | cut -f1) (gzip -6),"
  echo "plain.sql.xz $(du -h "$SET/plain.sql.xz" | cut -f1) (xz -6), plain.sql.bz2 $(du -h "$SET/plain.sql.bz2" | cut -f1) (bzip2 -9)."
  echo
  echo "\"first run\": the index cache emptied before each run; \"indexed\": with the index the first run wrote."
  echo
  echo "| command | wall s | CPU s | peak RSS MB |"
  echo "|---|---:|---:|---:|"
  # The commands on one input; $1 labels it, $2 is its file.
  commands() {
    measure "list $1" "$BIN" list "$SET/$2"
    measure "sql $1 > /dev/null" "$BIN" sql -f /dev/null "$SET/$2"
    measure "sql -t $big $1" "$BIN" sql -t "$big" -f /dev/null "$SET/$2"
    measure "extract -t $big $1" "$BIN" extract -t "$big" --to csv -o /dev/null --force "$SET/$2"
    measure "extract -t $small $1" "$BIN" extract -t "$small" --to csv -o /dev/null --force "$SET/$2"
  }
  commands custom-none.dump custom-none.dump
  # A script read from a file: first runs (no index yet: the whole script is read, then its index written),
  # then runs that find the index the first one wrote.
  FRESH=1 commands "plain.sql (first run)" plain.sql
  rm -rf "$XDG_CACHE_HOME"
  "$BIN" list "$SET/plain.sql" >/dev/null
  commands "plain.sql (indexed)" plain.sql
  # Compressed scripts are never indexed: every run decompresses and reads the whole script.
  commands plain.sql.gz plain.sql.gz
  for input in plain.sql.xz plain.sql.bz2; do
    measure "list $input" "$BIN" list "$SET/$input"
  done
  measure "cat plain.sql" cat "$SET/plain.sql"
  measure "gzip -dc plain.sql.gz" gzip -dc "$SET/plain.sql.gz"
  measure "xz -dc plain.sql.xz" xz -dc "$SET/plain.sql.xz"
  measure "bzip2 -dc plain.sql.bz2" bzip2 -dc "$SET/plain.sql.bz2"
} | tee "$OUT"
