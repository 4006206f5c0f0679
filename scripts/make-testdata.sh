#!/usr/bin/env bash
# make-testdata.sh — regenerate testdata/{archives,expected,expected-csv,MANIFEST.tsv} from
# testdata/fixture/*.sql with real PostgreSQL tools. Nothing else in testdata/ is touched.
#
#  1. scripts/install-oracles.sh makes pg_dump/pg_restore 15, 16, 17 and 18 available.
#  2. A throw-away PostgreSQL 15 server (Debian's) is started in a temp dir (no TCP, private
#     socket) and loaded with testdata/fixture/roles.sql and fixture.sql.
#  3. Every pg_dump writes every format/compression it supports into testdata/archives/pgNN/
#     (see DUMPED.tsv there; unsupported combinations are recorded as "SKIPPED: ...").
#     pg_dump runs with TZ=UTC and a frozen clock (libfaketime, $FAKE_TIME) so that the archives
#     and their "Archive created at" line are reproducible byte for byte.
#  4. pg_restore -l of every archive (pg_restore 18; 17 for lz4/zstd, which the 18.6 build
#     lacks) goes to testdata/expected/pgNN/<archive>/list.txt, the command to commands.txt.
#  5. The server's own CSV of every table with data goes to testdata/expected-csv/.
#  6. testdata/MANIFEST.tsv lists every archive with sizes and checksums.
#
# Needs root (to run the server as the "postgres" OS user and to apt-get what is missing) or,
# when run as an ordinary user, the Debian packages postgresql-15 and libfaketime installed.
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

# ---- tools --------------------------------------------------------------------------------
ORACLES="$("$REPO/scripts/install-oracles.sh" | tail -n 1)"
[ -d "$ORACLES/pg18/bin" ] || die "install-oracles.sh did not give an oracle root"

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

# A clean, fixed client environment: no stray PG* settings, UTC, C locale, UTF8.
for v in $(env | sed -n 's/^\(PG[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export LC_ALL=C TZ=UTC PGTZ=UTC PGCLIENTENCODING=UTF8

# ---- throw-away server --------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pgdumpkit-server.XXXXXX")"
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/pgdumpkit-testdata.XXXXXX")"
SERVER_STARTED=no
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (is postgresql-15 installed?)"
  chown postgres: "$WORK"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
cleanup() {
  local rc=$?
  if [ "$SERVER_STARTED" = yes ]; then
    as_pg "$PG15_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK" "$STAGE"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

tool_version() { "$1" --version | awk '{print $3}'; }   # "pg_dump (PostgreSQL) 16.2" -> 16.2

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

# ---- swap the staged output into testdata/ ------------------------------------------------
chmod -R u+rwX,go+rX,go-w "$STAGE"
rm -rf "$TESTDATA/archives" "$TESTDATA/expected" "$TESTDATA/expected-csv" "$TESTDATA/MANIFEST.tsv"
cp -R archives expected expected-csv MANIFEST.tsv "$TESTDATA/"

log "wrote $(($(wc -l <"$TESTDATA/MANIFEST.tsv") - 1)) archives, $(wc -l <"$TESTDATA/expected-csv/MANIFEST.tsv") CSVs;" \
    "testdata is $(du -sh --apparent-size "$TESTDATA" | cut -f1) (took $((SECONDS - START_SECONDS)) s)"
