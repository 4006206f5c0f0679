#!/usr/bin/env bash
# jobs.sh — what `-j` buys (issue 18): each command that reads entries' data on workers, timed at -j 1 and -j 2
# on dataset.sh's archives, with its CPU time and peak RSS, beside the codec tool that bounds it (igzip -dc,
# zstd -dc, lz4 -dc of the same data, pigz -6 -p 1 for compression). Release build (`.build-release`), page cache
# warm; verify and extract beside pg_restore 17 doing the same (-f /dev/null, -a -t); RUNS runs each (median wall time, its user+sys CPU time, the largest peak RSS from /usr/bin/time).
# Writes bench/results/jobs.md.
#
#   bench/jobs.sh            (BENCH_DIR as dataset.sh; RUNS=3; NO_BUILD=1 keeps the current release build;
#                             ONLY=REGEX measures the matching rows only)
set -euo pipefail
# shellcheck source=bench/release-set.sh
source "$(dirname "${BASH_SOURCE[0]}")/release-set.sh"
OUT="$REPO/bench/results/jobs.md"
SCRATCH="$(mktemp -d)"
WRITE="${WRITE_DIR:-/dev/shm}/pgdumpkit-jobs-$$"
trap 'rm -rf "$SCRATCH" "$WRITE"' EXIT
mkdir -p "$WRITE"

# measure COMMAND...: RUNS runs; prints "wall cpu rss_mib" (median wall, its CPU, the largest RSS). The write
# folder is emptied before each run.
measure() {
  : >"$SCRATCH/times"
  for _ in $(seq "$RUNS"); do
    rm -rf "${WRITE:?}"/*
    /usr/bin/time -f '%e %U %S %M' -o "$SCRATCH/one" bash -c "$*" >/dev/null 2>"$SCRATCH/err" ||
      { [ "${ALLOW_EXIT_1:-0}" = 1 ] && tail -n 1 "$SCRATCH/one" | grep -q '^[0-9]'; } ||
      { cat "$SCRATCH/err" >&2; exit 1; }
    tail -n 1 "$SCRATCH/one" >>"$SCRATCH/times"
  done
  local rss
  rss="$(awk '{ if ($4 > m) m = $4 } END { printf "%.0f", m / 1024 }' "$SCRATCH/times")"
  sort -n "$SCRATCH/times" | awk -v n="$RUNS" -v rss="$rss" 'NR == int((n + 1) / 2) { printf "%.2f %.2f %s", $1, $2 + $3, rss }'
}

# row LABEL LIMIT_COMMAND COMMAND_WITH_{J}: one line of the table; {J} is replaced by the -j value.
row() {
  local label="$1" limit="$2" command="$3"
  if [ -n "${ONLY:-}" ] && ! [[ "$label" =~ $ONLY ]]; then return; fi
  echo "jobs: $label" >&2
  read -r w1 c1 r1 <<<"$(measure "${command//\{J\}/1}")"
  read -r w2 c2 r2 <<<"$(measure "${command//\{J\}/2}")"
  local lw="" ratio=""
  if [ -n "$limit" ]; then
    read -r lw _ _ <<<"$(measure "$limit")"
    ratio="$(awk -v a="$w2" -v b="$lw" 'BEGIN { printf "%.2f", a / b }')"
  fi
  printf '| %s | %s s (%s), %s MiB | %s s (%s), %s MiB | %s | %s | %s |\n' "$label" "$w1" "$c1" "$r1" "$w2" "$c2" "$r2" \
    "$(awk -v a="$w2" -v b="$w1" 'BEGIN { printf "%.2f", a / b }')" "${lw:+$lw s}" "$ratio" >>"$SCRATCH/table"
}

P="$BIN"
ORACLES="$("$REPO/scripts/install-oracles.sh" 2>/dev/null | tail -n 1)"
R17="$ORACLES/pg17/bin/pg_restore"
: >"$SCRATCH/table"
IGZ="igzip -dc $SET/copydata.sql.gz"
ZST="zstd -dc $SET/copydata.sql.zst"
LZ4="lz4 -dc $SET/copydata.sql.lz4"
row "sql custom-gzip" "$IGZ" "$P sql -j {J} --restrict-key=K $SET/custom-gzip.dump"
row "sql dir-gzip" "$IGZ" "$P sql -j {J} --restrict-key=K $SET/dir-gzip"
row "sql custom-zstd" "$ZST" "$P sql -j {J} --restrict-key=K $SET/custom-zstd.dump"
row "sql custom-lz4" "$LZ4" "$P sql -j {J} --restrict-key=K $SET/custom-lz4.dump"
row "sql custom-none" "" "$P sql -j {J} --restrict-key=K $SET/custom-none.dump"
row "sql tar" "" "$P sql -j {J} --restrict-key=K $SET/archive.tar"
for a in custom-gzip.dump dir-gzip custom-zstd.dump custom-lz4.dump custom-none.dump archive.tar; do
  row "verify ${a%.dump}" "$R17 -f /dev/null $SET/$a" "$P verify -j {J} $SET/$a"
done
for a in custom-gzip.dump dir-gzip custom-zstd.dump custom-lz4.dump custom-none.dump archive.tar; do
  row "extract copy -t pgbench_accounts ${a%.dump}" "$R17 -a -t pgbench_accounts -f /dev/null $SET/$a" \
    "$P extract -q -j {J} --format copy -t pgbench_accounts $SET/$a"
  row "extract csv -t pgbench_accounts ${a%.dump}" "$R17 -a -t pgbench_accounts -f /dev/null $SET/$a" \
    "$P extract -q -j {J} --format csv -t pgbench_accounts $SET/$a"
done
row "extract --all (csv) custom-gzip" "" "$P extract -q -j {J} --all -o $WRITE/all $SET/custom-gzip.dump"
row "convert custom-none → custom gzip" "pigz -6 -p 1 -c $SET/copydata.sql" \
  "$P convert -q -j {J} --to c -Z gzip $SET/custom-none.dump -o $WRITE/out.dump"
row "convert custom-gzip → custom zstd" "" "$P convert -q -j {J} --to c -Z zstd $SET/custom-gzip.dump -o $WRITE/out.dump"
row "convert custom-gzip → tar" "" "$P convert -q -j {J} --to t $SET/custom-gzip.dump -o $WRITE/out.tar"
ALLOW_EXIT_1=1 row "diff custom-gzip dir-gzip" "" "$P diff -j {J} $SET/custom-gzip.dump $SET/dir-gzip"

{
  echo "# -j 1 against -j 2 (bench/jobs.sh)"
  echo
  echo "Made on $(date -u '+%Y-%m-%d %H:%M') UTC at pgdumpkit $(git -C "$REPO" rev-parse --short HEAD), $(nproc) cores,"
  echo "load average at the start $(cut -d' ' -f1 /proc/loadavg); $RUNS runs each, median wall time (its CPU time), largest"
  echo "peak RSS. Limit: the codec tool alone on the same data (igzip, zstd, lz4 -dc of copydata.sql; pigz -6 -p 1 compressing it),"
  echo "or pg_restore 17 doing the same job (-f /dev/null for verify, -a -t for extract)."
  echo
  echo "| command | -j 1 | -j 2 | -j 2 / -j 1 | limit | -j 2 / limit |"
  echo "|---|---|---|---|---|---|"
  cat "$SCRATCH/table"
} >"$OUT"
cat "$OUT"
