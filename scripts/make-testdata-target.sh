# make-testdata-target.sh — step 11 of scripts/make-testdata.sh (`--target`), sourced by it with its
# tools (ORACLES, FAKETIME_LIB, FAKE_TIME, WORK, STAGE, oracle_server_start/stop, tool_version) set up.
#
# A throw-away PostgreSQL 18 server (the pg18 oracle, through oracle_server_start) gets
# fixture/target-features.sql — what releases 13 to 18 added to what pg_dump writes — in database
# pgdumpkit_target, and pg_dump 18 (frozen clock) writes testdata/target/ (byte-identical each time):
#   features.dump          -Fc --statistics
#   features-create.dump   -Fc -C (the DATABASE entry, with LOCALE_PROVIDER and LOCALE)
#   commands.txt           every command
# testdata/target/ is replaced whole. Not in MANIFEST.tsv.

cd "$STAGE"
mkdir -p target
GDB=pgdumpkit_target
oracle_server_start 18 54320 pg18-target
GBIN="$OBIN"
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
oracle_server_stop
chmod -R u+rwX,go+rX,go-w target
rm -rf "$TESTDATA/target"
cp -R target "$TESTDATA/"
log "wrote testdata/target: $(ls target | tr '\n' ' ')(took $((SECONDS - START_SECONDS)) s)"
