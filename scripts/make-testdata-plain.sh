# make-testdata-plain.sh — step 9 of scripts/make-testdata.sh (`--plain`), sourced by it with its
# tools (ORACLES, FAKETIME_LIB, FAKE_TIME, WORK, STAGE, as_pg, cleanup) set up: real pg_dump -Fp
# scripts of databases the plain-script reader was not written against, each with the custom
# archive the same pg_dump wrote of the same (unchanging) database, and pg_dumpall scripts.
#
# testdata/plain-real/ (replaced whole):
#   <database>/pg<V>/<variant>.sql.gz   pg_dump V -Fp <variant options> (gzip -9 -n)
#   <database>/pg<V>/<name>.dump.gz     pg_dump V -Fc <the variant's archive options> (gzip -9 -n
#                                       of the archive); identical archives are stored once
#                                       (CASES.tsv names the one to use)
#   dumpall/pg<V>/dumpall.sql.gz        pg_dumpall V --no-tablespaces of the 15 server, and
#   dumpall/pg<V>/<database>.dump.gz    pg_dump V -Fc --no-tablespaces of each of its databases
#   CASES.tsv    script, custom archive, pg_dump version, database, variant, the script's options
#   COMMANDS.txt every command run (connection options omitted), with the file it wrote before
#                gzip
# Dump IDs: pg_dump -Fp creates the DATABASE entries only with -C (archive formats always), and the
# comment and ACL entries made after them are numbered from there: a -v script's IDs are those of the
# paired archive only when it was written with -C (verbose-create).
# pg_dump 17 and 18 run with --restrict-key=TESTKEY. Everything runs with TZ=UTC and the frozen
# clock of step 3, so that the -Fp and -Fc runs see the same database at the "same" time.

PLAIN_KEY=TESTKEY
# variant        script options (_ = space)                 archive options   versions   databases
PLAIN_VARIANTS=(
  "default         -                                          -                 15,16,17,18  all"
  "verbose         -v                                         -                 15,16,17,18  fixture,legacy"
  "verbose-create  -v_-C                                      -                 16,18        fixture,legacy"
  "inserts         --inserts                                  --inserts         15,16,17,18  all"
  "column-inserts  --column-inserts                           --column-inserts  16,18        fixture,latin1"
  "rows-per-insert --rows-per-insert=3                        --rows-per-insert=3 17,18      fixture,scs-off"
  "clean           -c_--if-exists                             -                 15,16,17,18  fixture,legacy"
  "create          -C                                         -                 15,16,17,18  fixture,legacy"
  "session-auth    --use-set-session-authorization            -                 16,18        fixture"
  "no-owner-acl    -O_-x                                      -x                15,18        fixture"
  "schema-blobs    -n_app_-b                                  -n_app_-b         17,18        fixture,legacy"
  "statistics      --statistics                               --statistics      18           fixture"
)
# short name   server  database             encoding   fixture file
PLAIN_DBS=(
  "fixture     15      pgdumpkit_fixture    UTF8       fixture.sql"
  "legacy      13      pgdumpkit_legacy     UTF8       legacy.sql"
  "scs-off     13      pgdumpkit_scs_off    UTF8       legacy-data.sql"
  "latin1      13      pgdumpkit_latin1     LATIN1     legacy-data.sql"
  "sql-ascii   13      pgdumpkit_sql_ascii  SQL_ASCII  legacy-data.sql"
)

plain_pg_dump() {   # VERSION ARGS...: frozen clock, the database's own encoding
  local v="$1"; shift
  env -u PGCLIENTENCODING LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$FAKE_TIME" \
    FAKETIME_DONT_FAKE_MONOTONIC=1 "$ORACLES/pg$v/bin/$PLAIN_TOOL" "$@"
}

# plain_server VERSION BIN: initdb and start a throw-away server; sets PGHOST/PGPORT.
plain_server() {
  local sv="$1" bin="$2" dir="$WORK/plain-pg$1"
  export PGHOST="$dir/sock" PGPORT="$((54400 + sv))" PGUSER=postgres
  (cd "$WORK" && as_pg mkdir -p "$dir/sock" "$dir/tblspc")
  log "initdb + start PostgreSQL $sv in $dir"
  (cd "$WORK" && as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
    --no-sync) >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb $sv failed"; }
  LEGACY_STARTED+=("$bin $dir/data")
  (cd "$WORK" && as_pg env -u PGCLIENTENCODING "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "\
 -c listen_addresses='' -c port=$PGPORT -c unix_socket_directories='$dir/sock'\
 -c fsync=off -c autovacuum=off -c wal_level=logical -c max_wal_senders=0\
 -c timezone=UTC -c log_timezone=UTC" start) >/dev/null \
    || { cat "$dir/server.log" >&2; die "PostgreSQL $sv did not start"; }
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -v tablespace_dir="$dir/tblspc" \
    -f "$FIXTURE_DIR/roles.sql"
}

# plain_run OUT SHOWN COMMAND...: runs COMMAND into OUT, logs it in COMMANDS.txt as writing SHOWN.
plain_run() {
  local out="$1" shown="$2"; shift 2
  local status=0 command="$*"
  "$@" >"$out" 2>"$WORK/err" || status=$?
  [ "$status" -eq 0 ] || { cat "$WORK/err" >&2; die "${*##*/} failed (exit $status)"; }
  printf '%s-%s > %s\n' "$PLAIN_TOOL" "${command#plain_pg_dump }" "$shown" >>"$STAGE/plain-real/COMMANDS.txt"
}

cd "$STAGE"
mkdir -p plain-real
printf 'script\tcustom\tpg_dump_version\tdatabase\tvariant\toptions\n' >plain-real/CASES.tsv
: >plain-real/COMMANDS.txt
declare -A PLAIN_SERVER_BIN=([15]="$PG15_BIN" [13]="$(readlink -f "$ORACLES/pg13")/bin")
for f in "$FIXTURE_DIR"/legacy-extension/*; do
  cmp -s "$f" "${PLAIN_SERVER_BIN[13]}/../share/extension/${f##*/}" \
    || cp "$f" "${PLAIN_SERVER_BIN[13]}/../share/extension/" || die "cannot install the legacy extension"
done
for sv in 15 13; do
  bin="${PLAIN_SERVER_BIN[$sv]}"
  plain_server "$sv" "$bin"
  for spec in "${PLAIN_DBS[@]}"; do
    read -r short server dbname encoding file <<<"$spec"
    [ "$server" = "$sv" ] || continue
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres \
      -c "CREATE DATABASE $dbname TEMPLATE template0 ENCODING '$encoding' LC_COLLATE 'C' LC_CTYPE 'C'"
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$dbname" -f "$FIXTURE_DIR/$file" >/dev/null
    [ "$short" = scs-off ] && "$bin/psql" -X -q -d postgres \
      -c "ALTER DATABASE $dbname SET standard_conforming_strings = off"
    for v in "${VERSIONS[@]}"; do
      dir="plain-real/$short/pg$v"
      mkdir -p "$dir"
      dump_version="$(tool_version "$ORACLES/pg$v/bin/pg_dump")"
      key=(); [ "$v" -ge 17 ] && key=("--restrict-key=$PLAIN_KEY")
      for variant in "${PLAIN_VARIANTS[@]}"; do
        read -r name sopts copts versions dbs <<<"$variant"
        [[ ",$versions," == *",$v,"* ]] || continue
        [ "$dbs" = all ] || [[ ",$dbs," == *",$short,"* ]] || continue
        [ "$sopts" = - ] && sopts=""; sopts="${sopts//_/ }"
        [ "$copts" = - ] && copts=""; copts="${copts//_/ }"
        PLAIN_TOOL=pg_dump
        # shellcheck disable=SC2086  # the options are deliberately split into words
        plain_run "$WORK/script.sql" "$dir/$name.sql" plain_pg_dump "$v" -d "$dbname" -Fp "${key[@]}" $sopts
        gzip -9 -n -c "$WORK/script.sql" >"$dir/$name.sql.gz"
        # shellcheck disable=SC2086
        plain_run "$WORK/custom.dump" "$dir/$name.dump" plain_pg_dump "$v" -d "$dbname" -Fc $copts
        custom="$name.dump.gz"
        for other in "$dir"/*.dump.gz; do
          if [ -e "$other" ] && gzip -dc "$other" | cmp -s - "$WORK/custom.dump"; then custom="${other##*/}"; break; fi
        done
        [ -e "$dir/$custom" ] || gzip -9 -n -c "$WORK/custom.dump" >"$dir/$custom"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${dir#plain-real/}/$name.sql.gz" "${dir#plain-real/}/$custom" "$dump_version" "$dbname" \
          "$name" "$sopts" >>plain-real/CASES.tsv
      done
    done
  done
  if [ "$sv" = 15 ]; then
    # pg_dumpall of the whole 15 server: one more database, small, besides the fixture and postgres.
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres \
      -c "CREATE DATABASE pgdumpkit_small TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d pgdumpkit_small -f "$FIXTURE_DIR/legacy-data.sql" >/dev/null
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
CREATE ROLE dumpall_login LOGIN CONNECTION LIMIT 3 VALID UNTIL '2030-01-01 00:00:00+00';
CREATE ROLE dumpall_group NOLOGIN;
GRANT dumpall_group TO dumpall_login;
ALTER ROLE dumpall_login SET search_path = app, public;
ALTER ROLE dumpall_login IN DATABASE pgdumpkit_small SET work_mem = '8MB';
ALTER DATABASE pgdumpkit_small SET DateStyle = 'ISO, DMY';
CREATE TABLE public.postgres_note (id int PRIMARY KEY, note text);
INSERT INTO public.postgres_note VALUES (1, 'in the postgres database');
SQL
    for v in "${VERSIONS[@]}"; do
      dir="plain-real/dumpall/pg$v"
      mkdir -p "$dir"
      dump_version="$(tool_version "$ORACLES/pg$v/bin/pg_dumpall")"
      key=(); [ "$v" -ge 17 ] && key=("--restrict-key=$PLAIN_KEY")
      PLAIN_TOOL=pg_dumpall
      plain_run "$WORK/script.sql" "$dir/dumpall.sql" plain_pg_dump "$v" --no-tablespaces --no-role-passwords "${key[@]}"
      gzip -9 -n -c "$WORK/script.sql" >"$dir/dumpall.sql.gz"
      PLAIN_TOOL=pg_dump
      for dbname in postgres pgdumpkit_fixture pgdumpkit_small; do
        plain_run "$WORK/custom.dump" "$dir/$dbname.dump" plain_pg_dump "$v" -d "$dbname" -Fc --no-tablespaces
        gzip -9 -n -c "$WORK/custom.dump" >"$dir/$dbname.dump.gz"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${dir#plain-real/}/dumpall.sql.gz" "${dir#plain-real/}/$dbname.dump.gz" "$dump_version" "$dbname" \
          dumpall "" >>plain-real/CASES.tsv
      done
    done
  fi
done

chmod -R u+rwX,go+rX,go-w plain-real
rm -rf "$TESTDATA/plain-real"
cp -R plain-real "$TESTDATA/"
log "wrote $(($(wc -l <"$TESTDATA/plain-real/CASES.tsv") - 1)) plain-script cases;" \
    "testdata/plain-real is $(du -sh --apparent-size "$TESTDATA/plain-real" | cut -f1) (took $((SECONDS - START_SECONDS)) s)"
