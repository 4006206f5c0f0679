#!/usr/bin/env bash
# list-scaling.sh — shows that `pgdumpkit list` reads only the header and TOC: its time does not grow with the
# size of the archive's data. Builds (once) a multi-gigabyte custom archive from a throw-away PostgreSQL 15
# server, then times `pgdumpkit list` against `pg_restore -l` (pg_restore 17) on a small and on the big
# archive, with hyperfine, and records peak memory with /usr/bin/time. Results go to bench/results/.
#
#   bench/list-scaling.sh [GIGABYTES]        (default 3; data lives under ${BENCH_DIR:-/tmp/pgdumpkit-bench})
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GIGABYTES="${1:-3}"
BENCH_DIR="${BENCH_DIR:-/tmp/pgdumpkit-bench}"
PG15_BIN=/usr/lib/postgresql/15/bin
PORT=54339
log() { printf 'list-scaling: %s\n' "$*" >&2; }

"$REPO/scripts/install-deps.sh"
ORACLES="$("$REPO/scripts/install-oracles.sh" | tail -n 1)"
for tool in hyperfine time strace; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/bin/$tool" ] || {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >&2; }
done
PG_DUMP="$ORACLES/pg17/bin/pg_dump"
PG_RESTORE="$ORACLES/pg17/bin/pg_restore"

log "building pgdumpkit (release)"
(cd "$REPO" && swift build -c release >&2)
PGDUMPKIT="$REPO/.build/release/pgdumpkit"

mkdir -p "$BENCH_DIR"
BIG="$BENCH_DIR/big-${GIGABYTES}g-none.dump"
BIG_GZ="$BENCH_DIR/big-${GIGABYTES}g-gzip.dump"
if [ ! -s "$BIG" ] || [ ! -s "$BIG_GZ" ]; then
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/pgdumpkit-bench-server.XXXXXX")"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$WORK"; as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
  stop() { as_pg "$PG15_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
  trap stop EXIT
  as_pg mkdir -p "$WORK/sock"
  as_pg "$PG15_BIN/initdb" -D "$WORK/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >/dev/null
  as_pg "$PG15_BIN/pg_ctl" -D "$WORK/data" -w -l "$WORK/server.log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$WORK/sock' -p $PORT -c fsync=off -c max_wal_size=8GB" start >/dev/null
  export PGHOST="$WORK/sock" PGPORT="$PORT" PGUSER=postgres
  ROWS=$((GIGABYTES * 1000000))
  log "loading ~${GIGABYTES} GB ($ROWS rows of ~1 kB)"
  "$PG15_BIN/createdb" bench
  "$PG15_BIN/psql" -q -v ON_ERROR_STOP=1 -d bench <<SQL
CREATE TABLE big (id bigint, body text);
INSERT INTO big SELECT i, repeat(md5(i::text), 31) FROM generate_series(1, $ROWS) AS i;
CREATE TABLE small (id int PRIMARY KEY, note text);
INSERT INTO small SELECT i, 'row ' || i FROM generate_series(1, 1000) AS i;
SQL
  log "dumping with pg_dump 17 (-Z 0 and default gzip)"
  TMP_DUMP="$BIG.tmp"; "$PG_DUMP" -Fc -Z 0 -d bench -f "$TMP_DUMP" && mv "$TMP_DUMP" "$BIG"
  TMP_DUMP="$BIG_GZ.tmp"; "$PG_DUMP" -Fc -d bench -f "$TMP_DUMP" && mv "$TMP_DUMP" "$BIG_GZ"
  stop; trap - EXIT
fi
SMALL="$REPO/testdata/archives/pg17/custom-default.dump"

RESULTS="$REPO/bench/results"
mkdir -p "$RESULTS"
OUT="$RESULTS/list-scaling.md"
{
  echo "# list on small and multi-gigabyte custom archives"
  echo
  echo "Made by \`bench/list-scaling.sh $GIGABYTES\` on $(date -u +%Y-%m-%d) at commit $(git -C "$REPO" rev-parse --short HEAD)."
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)."
  echo "Page cache warm (hyperfine warm-up runs). Times are hyperfine means of 20 runs; memory is peak RSS;"
  echo "bytes read are the sum of what read/pread returned to the process (strace), shared libraries included."
  echo
  echo "| archive | size | command | mean time | ± | peak RSS | bytes read |"
  echo "|---|---|---|---|---|---|---|"
} >"$OUT"
for archive in "$SMALL" "$BIG" "$BIG_GZ"; do
  size=$(stat -c %s "$archive")
  for tool in pgdumpkit pg_restore; do
    if [ "$tool" = pgdumpkit ]; then cmd=("$PGDUMPKIT" list "$archive"); else cmd=("$PG_RESTORE" -l "$archive"); fi
    json="$(mktemp)"
    hyperfine -N --warmup 3 --runs 20 --export-json "$json" "${cmd[*]}" >/dev/null 2>&1
    read -r mean stddev < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f %.2f" % (r["mean"]*1000, r["stddev"]*1000))' "$json")
    rss=$(/usr/bin/time -f %M "${cmd[@]}" 2>&1 >/dev/null | tail -n 1)
    trace="$(mktemp)"
    strace -f -e trace=read,pread64 -o "$trace" "${cmd[@]}" >/dev/null 2>&1
    bytes=$(awk '$NF ~ /^[0-9]+$/ && $(NF-1) == "=" { sum += $NF } END { print sum + 0 }' "$trace")
    rm -f "$json" "$trace"
    label=$([ "$tool" = pgdumpkit ] && echo "pgdumpkit list" || echo "pg_restore 17 -l")
    printf '| %s | %s kB | %s | %s ms | %s ms | %s MiB | %s kB |\n' "$(basename "$archive")" "$((size / 1000))" \
      "$label" "$mean" "$stddev" "$((rss / 1024))" "$((bytes / 1000))" >>"$OUT"
  done
done
cat "$OUT"
