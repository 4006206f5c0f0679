#!/usr/bin/env bash
# check-with-deps.sh — end-to-end check that `pgdumpkit sql --with-deps` scripts restore into an
# EMPTY database: every table of the fixture alone (-t NAME), and every schema alone (-n NAME); and
# the same for extract's companion script (--schema-script) and convert.
#
#   scripts/check-with-deps.sh [PGDUMPKIT]
#
# PGDUMPKIT is the pgdumpkit binary to test (`make test` passes the one it built); without it
# the script runs `swift build` (with --scratch-path $SCRATCH_PATH when that is set) and uses
# its debug binary.
#
# Server (as in scripts/check-restore.sh: temp dir, no TCP, private socket, run as the
# "postgres" OS user when root): PostgreSQL 17 from the pg17 oracle (the pg18 oracle has no
# pgcrypto, which the fixture uses), with only the fixture's roles and tablespace
# (testdata/fixture/roles.sql): nothing of the archive is there before a restore.
#
# For ARCHIVE (pg18/custom-default.dump, the fixture dumped by pg_dump 18):
#  reference  `pgdumpkit sql ARCHIVE | psql -X -1 -v ON_ERROR_STOP=1` into a fresh database; the
#             row count of every table and materialized view (FROM ONLY) is recorded.
#  -t T       for every table T of the reference (relkind r or p, every schema):
#             `pgdumpkit sql --with-deps -t T ARCHIVE | psql -X -1 -v ON_ERROR_STOP=1` into a fresh,
#             empty database must succeed, T must be there, and every table the script restored
#             (T and whatever came with it) must have the reference's row count.
#  -n S       the same for every schema S of the reference that holds a table, and for the same
#             fixture dumped by pg_dump 15 (pg15/custom-default.dump, archive version 1.14).
#  extract    `pgdumpkit extract --with-deps --schema-script S.sql -t T --to csv -o T.csv`: S.sql
#             restored with psql -1 into a fresh, empty database, then T.csv loaded with \copy; the
#             same checks.
#  convert    `pgdumpkit convert --with-deps -t T --to d` (and -n S) restored by pg_restore 18
#             -d --exit-on-error -1 into a fresh, empty database: the same checks.
#
# Prints "ok NAME" or "FAIL NAME" (details indented below) per check, then "N passed, M failed";
# exits non-zero when anything failed. The server and all temp files are removed on exit.
# Takes 10-20 s.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTDATA="$REPO/testdata"
ARCHIVE="$TESTDATA/archives/pg18/custom-default.dump"
OLD_ARCHIVE="$TESTDATA/archives/pg15/custom-default.dump"
PORT=54351
KEY=CHECKWITHDEPSKEY                 # sql --restrict-key, so that runs are reproducible

log() { printf 'check-with-deps: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }
START_SECONDS=$SECONDS

[ "$#" -le 1 ] || die "usage: $0 [PGDUMPKIT]"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pgdumpkit-check-with-deps.XXXXXX")"
chmod 711 "$WORK"                           # the server's OS user must reach $WORK/srv
STARTED=no
PASSED=0
FAILED=0
SUMMARY=no
cleanup() {
  local rc=$?
  if [ "$SUMMARY" = no ]; then             # aborted: still a FAIL line and a summary for CI
    [ "$rc" -ne 0 ] || rc=1
    printf 'FAIL check-with-deps.sh aborted (exit %d, see the messages above)\n' "$rc"
    printf '%d passed, %d failed\n' "$PASSED" "$((FAILED + 1))"
  fi
  if [ "$STARTED" = yes ]; then
    as_pg "$BIN/pg_ctl" -D "$WORK/srv/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- tools --------------------------------------------------------------------------------
# shellcheck source=scripts/check-common.sh
. "$REPO/scripts/check-common.sh"
check_tools "$@"
[ -x "$ORACLES/pg17/bin/postgres" ] || die "no PostgreSQL 17 server under $ORACLES"
[ -x "$ORACLES/pg18/bin/pg_restore" ] || die "no pg_restore 18 under $ORACLES"

# ---- throw-away server --------------------------------------------------------------------
# The pg17 oracle's tree is copied into $WORK, where the server's OS user can reach it.
mkdir -p "$WORK/log" "$WORK/srv"
cp -a "$(readlink -f "$ORACLES/pg17")" "$WORK/pg17-install"
BIN="$WORK/pg17-install/bin"
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/srv"
as_pg mkdir -p "$WORK/srv/sock" "$WORK/srv/tblspc"
as_pg "$BIN/initdb" -D "$WORK/srv/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
  --no-sync >"$WORK/log/initdb.log" 2>&1 || { cat "$WORK/log/initdb.log" >&2; die "initdb failed"; }
STARTED=yes
as_pg "$BIN/pg_ctl" -D "$WORK/srv/data" -l "$WORK/srv/server.log" -w -t 60 -o "\
 -c listen_addresses='' -c port=$PORT -c unix_socket_directories='$WORK/srv/sock'\
 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off\
 -c max_wal_senders=0 -c wal_level=minimal -c timezone=UTC -c log_timezone=UTC" start >/dev/null \
  || { cat "$WORK/srv/server.log" >&2; die "the server did not start"; }
export PGHOST="$WORK/srv/sock" PGPORT="$PORT" PGUSER=postgres
psql_() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_ -d postgres -v tablespace_dir="$WORK/srv/tblspc" -f "$TESTDATA/fixture/roles.sql" >/dev/null

# ---- checks -------------------------------------------------------------------------------

DB_SEQ=0
# new_db: a fresh, empty database (template0); its name in DB. The previous one is dropped.
new_db() {
  [ -z "${DB:-}" ] || [ "$DB" = ref ] || psql_ -d postgres -c "DROP DATABASE $DB"
  DB_SEQ=$((DB_SEQ + 1))
  DB="deps_$DB_SEQ"
  psql_ -d postgres \
    -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' STRATEGY FILE_COPY"
}

# counts DB OUT: one line "schema.name rows" per table and materialized view that holds rows
# (FROM ONLY: a parent's count leaves its partitions and children out), newlines in names as \n.
cat >"$WORK/counts.sql" <<'SQL'
SELECT CASE WHEN c.relispopulated
         THEN format($q$SELECT %L, count(*) FROM ONLY %I.%I$q$,
                     replace(format('%I.%I', n.nspname, c.relname), E'\n', '\n'), n.nspname, c.relname)
         ELSE format($q$SELECT %L, 'not populated'$q$, replace(format('%I.%I', n.nspname, c.relname), E'\n', '\n'))
       END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"
\gexec
SQL
counts() { psql_ -d "$1" -At -F ' ' -f "$WORK/counts.sql" >"$2"; }

# The reference: the whole archive.
DB=ref
psql_ -d postgres -c "CREATE DATABASE ref TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' STRATEGY FILE_COPY"
"$PGDUMPKIT" sql --restrict-key "$KEY" "$ARCHIVE" >"$WORK/ref.sql"
psql_ -1 -d ref -f "$WORK/ref.sql" >"$WORK/log/ref.log" 2>&1 \
  || { cat "$WORK/log/ref.log" >&2; die "the reference restore of the whole archive failed"; }
counts ref "$WORK/ref.counts"

# check NAME EXPECTED HOW ARCHIVE OPTIONS...: restores the selection OPTIONS of ARCHIVE with
# --with-deps into a fresh, empty database and compares row counts with the reference. HOW is
#   sql      `pgdumpkit sql --with-deps OPTIONS ARCHIVE | psql -X -1 -v ON_ERROR_STOP=1`
#   convert  `pgdumpkit convert --with-deps OPTIONS ARCHIVE --to d`, then
#            `pg_restore 18 -d DB --exit-on-error -1` of the result
# EXPECTED is the "schema.name" that must be there (or "" for none in particular).
check() {
  local name="$1" expected="$2" how="$3" archive="$4" logf="$WORK/log/check-$((PASSED + FAILED + 1)).log"
  shift 4
  case "$how" in
    sql)
      if ! "$PGDUMPKIT" sql --restrict-key "$KEY" --with-deps "$@" "$archive" >"$WORK/script.sql" 2>"$logf"; then
        fail "$name" "pgdumpkit sql --with-deps $* failed" "$logf"; return
      fi
      new_db
      if ! psql_ -1 -d "$DB" -f "$WORK/script.sql" >"$logf" 2>&1; then
        fail "$name" "psql -X -1 -v ON_ERROR_STOP=1 of the script failed (into an empty database)" "$logf"
        return
      fi ;;
    convert)
      rm -rf "$WORK/converted"
      if ! "$PGDUMPKIT" convert -q --with-deps "$@" "$archive" -o "$WORK/converted" --to d >"$logf" 2>&1; then
        fail "$name" "pgdumpkit convert --with-deps $* failed" "$logf"; return
      fi
      new_db
      if ! "$ORACLES/pg18/bin/pg_restore" -d "$DB" --exit-on-error -1 "$WORK/converted" >"$logf" 2>&1; then
        fail "$name" "pg_restore 18 -d --exit-on-error -1 of the converted archive failed (into an empty database)" "$logf"
        return
      fi ;;
    extract)
      # The companion script, then the extracted CSV loaded into its table: OPTIONS are -n SCHEMA -t TABLE.
      if ! "$PGDUMPKIT" extract --with-deps --schema-script "$WORK/schema.sql" --to csv -o "$WORK/table.csv" \
        --force "$@" "$archive" >"$logf" 2>&1; then
        fail "$name" "pgdumpkit extract --with-deps --schema-script $* failed" "$logf"; return
      fi
      new_db
      if ! psql_ -1 -d "$DB" -f "$WORK/schema.sql" >"$logf" 2>&1 \
        || ! psql_ -d "$DB" -c "\\copy $expected FROM '$WORK/table.csv' WITH (FORMAT csv)" >>"$logf" 2>&1; then
        fail "$name" "psql of the companion script, then \\copy of the CSV, failed (into an empty database)" "$logf"
        return
      fi ;;
    *) die "bad check kind $how" ;;
  esac
  counts "$DB" "$WORK/counts"
  if [ ! -s "$WORK/counts" ]; then fail "$name" "the script restored no table"; return; fi
  if [ -n "$expected" ] && ! grep -q -F -- "$expected " "$WORK/counts"; then
    fail "$name" "$expected is not in the restored database" "$WORK/counts"; return
  fi
  # Every table restored has the reference's rows.
  if ! grep -v -x -F -f "$WORK/ref.counts" "$WORK/counts" >"$logf.diff"; then
    ok "$name ($(wc -l <"$WORK/counts") tables and materialized views, rows as in the full restore)"
  else
    fail "$name" "row counts differ from the full restore (restored, not as in the reference):" "$logf.diff"
  fi
}

# Every table (plain and partitioned) and every schema holding one, from the reference; names
# are NUL-separated, so a name with a newline is passed as it is.
mapfile -d '' TABLES < <(psql_ -d ref -At --field-separator-zero --record-separator-zero -c "
  SELECT n.nspname, c.relname, replace(format('%I.%I', n.nspname, c.relname), E'\n', '\n')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    AND n.nspname !~ '^pg_(toast|temp)'
  ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"")
[ "${#TABLES[@]}" -ge 3 ] || die "the reference has no tables"
SCHEMAS=()
for ((i = 0; i + 2 < ${#TABLES[@]}; i += 3)); do
  schema="${TABLES[i]}" table="${TABLES[i + 1]}" shown="${TABLES[i + 2]}"
  check "sql --with-deps -t $shown | psql -1" "$shown" sql "$ARCHIVE" -n "$schema" -t "$table"
  if [ "${#SCHEMAS[@]}" -eq 0 ] || [ "${SCHEMAS[-1]}" != "$schema" ]; then SCHEMAS+=("$schema"); fi
done
for schema in "${SCHEMAS[@]}"; do
  check "sql --with-deps -n $schema | psql -1" "" sql "$ARCHIVE" -n "$schema"
done
# The same fixture dumped by pg_dump 15 (archive 1.14, no relkind): every schema alone.
for schema in "${SCHEMAS[@]}"; do
  check "sql --with-deps -n $schema pg15/custom-default.dump | psql -1" "" sql "$OLD_ARCHIVE" -n "$schema"
done
# extract's companion script: the tables' schema and what it needs, then the extracted CSV loads.
check "extract --with-deps --schema-script -t orders | psql -1, \\copy" "app.orders" extract "$ARCHIVE" -n app -t orders
check "extract --with-deps --schema-script -t order_lines | psql -1, \\copy" "app.order_lines" extract "$ARCHIVE" -n app -t order_lines
check "extract --with-deps --schema-script -t sensor_notes | psql -1, \\copy" "app.sensor_notes" extract "$ARCHIVE" -n app -t sensor_notes
# convert keeps the same closure: the converted archives restore alone with real pg_restore.
check "convert --with-deps -t sensor_notes | pg_restore 18 -1" "app.sensor_notes" convert "$ARCHIVE" -t sensor_notes
check "convert --with-deps -t order_lines | pg_restore 18 -1" "app.order_lines" convert "$ARCHIVE" -t order_lines
check "convert --with-deps -n history | pg_restore 18 -1" "history.cars" convert "$ARCHIVE" -n history

log "took $((SECONDS - START_SECONDS)) s"
printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
SUMMARY=yes
[ "$FAILED" -eq 0 ]
