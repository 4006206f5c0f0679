#!/usr/bin/env bash
# dataset.sh — builds the benchmark data set of issue 7 from scratch on this machine, under
# ${BENCH_DIR:-/tmp/pgdumpkit-bench}/set (never in the repository):
#
#   database  a throw-away PostgreSQL 15 server from Debian (private port and socket directory, fsync off)
#             loaded with
#               - pgbench -i -s 100: 10 M rows of pgbench_accounts (~1.3 GB of COPY text, mostly blank filler)
#               - prose: ~300 MB of varied text (words and stock phrases drawn from a fixed vocabulary by
#                 hashint8, with commas, sentences, tabs, newlines, "quotes", it's-apostrophes and
#                 C:\back\slashes) that gzip -6 compresses about 3:1; generated in SQL, deterministic
#               - 400 small tables (small_001..small_400: serial key, index, comments, 25 rows each) and 100
#                 views with comments, so the TOC holds a few thousand entries
#   archives  written by pg_dump 17 (the oracle from scripts/install-oracles.sh):
#               custom-gzip.dump  -Fc                  custom-none.dump  -Fc -Z 0
#               custom-lz4.dump   -Fc -Z lz4           custom-zstd.dump  -Fc -Z zstd
#               dir-gzip/         -Fd                  archive.tar       -Ft
#               custom-pipe.dump  pg_dump -Fc | cat > custom-pipe.dump (no data offsets)
#               plain.sql         -Fp (the plain rendering: a real pg_dump script, not pg_restore -f of an archive),
#                                 and plain.sql.gz made from it with gzip -6
#   reference streams for the codec limits (bench/run): copydata.sql = pg_restore 17 -a of custom-none.dump
#             (every table's COPY data as one stream), and copydata.sql.gz / .zst / .lz4 made from it with
#             gzip -6, zstd -3 and lz4 -1.
#
# Idempotent: every step leaves a marker in set/.done/ and is skipped when its marker exists; the server is
# started only when some archive is still missing, and its data directory (set/pgdata) is removed once every
# archive is written (KEEP_SERVER=1 keeps it). Prints the sizes at the end.
#
#   bench/dataset.sh                    (PGBENCH_SCALE=100 TEXT_MB=300 SMALL_TABLES=400 VIEWS=100 by default)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/pgdumpkit-bench}"
SET="$BENCH_DIR/set"
DONE="$SET/.done"
PGBENCH_SCALE="${PGBENCH_SCALE:-100}"
TEXT_MB="${TEXT_MB:-300}"
SMALL_TABLES="${SMALL_TABLES:-400}"
VIEWS="${VIEWS:-100}"
PG15_BIN=/usr/lib/postgresql/15/bin
PORT="${BENCH_PG_PORT:-54341}"
START=$(date +%s)
log() { printf 'dataset: [%4ss] %s\n' "$(($(date +%s) - START))" "$*" >&2; }
done_() { [ -e "$DONE/$1" ]; }
mark() { date -u +%FT%TZ >"$DONE/$1"; }

"$REPO/scripts/install-deps.sh" >/dev/null
ORACLES="$("$REPO/scripts/install-oracles.sh" | tail -n 1)"
PG_DUMP="$ORACLES/pg17/bin/pg_dump"
PG_RESTORE="$ORACLES/pg17/bin/pg_restore"
for pair in gzip:gzip zstd:zstd lz4:lz4; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pair#*:}" >&2
done
[ -x "$PG15_BIN/pgbench" ] || { log "error: $PG15_BIN/pgbench missing (Debian postgresql-15)"; exit 1; }

mkdir -p "$SET" "$DONE"
chmod 755 "$BENCH_DIR" "$SET"

# ---- archives still to write ------------------------------------------------------------------------
# name | pg_dump arguments (the output path is appended with -f, except for the pipe)
DUMPS=(
  "custom-gzip.dump|-Fc"
  "custom-none.dump|-Fc -Z 0"
  "custom-lz4.dump|-Fc -Z lz4"
  "custom-zstd.dump|-Fc -Z zstd"
  "dir-gzip|-Fd -j 2"
  "archive.tar|-Ft"
  "custom-pipe.dump|PIPE"
  "plain.sql|-Fp"
)
missing=()
for d in "${DUMPS[@]}"; do done_ "dump-${d%%|*}" || missing+=("$d"); done

if [ "${#missing[@]}" -gt 0 ]; then
  PGDATA_DIR="$SET/pgdata"
  SOCK="$SET/sock"
  if [ "$(id -u)" -eq 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
  stop() {
    as_pg "$PG15_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  }
  trap stop EXIT
  trap 'exit 130' INT TERM
  if ! done_ initdb || [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    rm -rf "$PGDATA_DIR" "$DONE"/db-*
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$PGDATA_DIR"
    log "initdb (PostgreSQL 15) in $PGDATA_DIR"
    as_pg "$PG15_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >/dev/null
    mark initdb
  fi
  mkdir -p "$SOCK"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$SOCK"
  log "starting the server (port $PORT, socket $SOCK, fsync off)"
  as_pg "$PG15_BIN/pg_ctl" -D "$PGDATA_DIR" -w -t 120 -l "$PGDATA_DIR/server.log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$SOCK' -p $PORT -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_wal_size=8GB -c checkpoint_timeout=30min -c shared_buffers=512MB \
        -c maintenance_work_mem=512MB -c work_mem=64MB -c autovacuum=off" start >/dev/null
  export PGHOST="$SOCK" PGPORT="$PORT" PGUSER=postgres PGOPTIONS="-c client_min_messages=warning"
  PSQL=("$PG15_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d bench)

  if ! done_ db-created; then
    "$PG15_BIN/dropdb" --if-exists bench
    "$PG15_BIN/createdb" bench
    mark db-created
  fi

  if ! done_ db-pgbench; then
    log "pgbench -i -s $PGBENCH_SCALE"
    "$PG15_BIN/pgbench" -i -q -s "$PGBENCH_SCALE" bench 2>&1 | tail -n 1 >&2
    mark db-pgbench
  fi

  if ! done_ db-prose; then
    log "prose: ~$TEXT_MB MB of generated text"
    # Rows of ~1.7 kB on average (40-480 words); the row count is derived from the wanted size.
    "${PSQL[@]}" -v text_mb="$TEXT_MB" <<'SQL'
DROP TABLE IF EXISTS prose, prose_vocab;
-- The vocabulary: common English words first (drawn most often), then pseudo-words made of syllables,
-- and a few words carrying the characters COPY has to escape or quote: backslashes, quotes, apostrophes.
CREATE TABLE prose_vocab (i int PRIMARY KEY, w text NOT NULL);
INSERT INTO prose_vocab
SELECT row_number() OVER () - 1, w FROM unnest(string_to_array(
  'the of and to a in is it that was for on as with he be at by his this had not are but from or have an they '
  'which one you were her all she there would their we him been has when who will more no if out so said what '
  'up its about into than them can only other new some could time these two may then do first any my now such '
  'like our over man me even most made after also did many before must through back years where much your way '
  'well down should because each just those people how too little state good very make world still own see men '
  'work long get here between both life being under never day same another know while last might us great old '
  'year off come since against go came right used take three house himself few during without again place '
  'around however home small found thought went say part once general high upon school every don''t does got '
  'united left number course war until always away something fact though water less public put think almost '
  'hand enough far took head yet government system better set told nothing night end why called didn''t eyes '
  'find going look asked later knew point next program city business give group toward young days let room '
  'president side social given present several order national possible rather second face per among form '
  'important often things looked early white case john become large big need four within felt along children '
  'saw best church ever least power development light thing seemed family interest want members mind country '
  'area others done turned although open god service problem certain kind different thus began door help sense '
  'means whole matter perhaps itself it''s york times human law line above name example action company hands '
  'local show whether five history gave today either act feet across taken past quite anything seen having '
  'death experience body word half really week free car field information data schema table index column row '
  '"quoted" "so-called" O''Brien can''t won''t C:\Users\data C:\Program\ Files\ \\server\share\file a\b\c '
  'path\to\file regex\d+ \N 50% $5.00 #hash e-mail user@example.com 3.14159 2024-01-31 12:30:45',
  ' ')) AS w;
INSERT INTO prose_vocab
SELECT 1000 + g,
       (ARRAY['ka','lo','mi','ne','ra','to','shu','ven','dor','al','ex','im','pre','con','der','ing','tion','ly',
              'ber','mon','gra','fis','plo','que','zen','ath','ur','ost','ble','ant','ess','ive','ous','ic'])
         [1 + abs(hashint4(g * 3)) % 34] ||
       (ARRAY['ka','lo','mi','ne','ra','to','shu','ven','dor','al','ex','im','pre','con','der','ing','tion','ly',
              'ber','mon','gra','fis','plo','que','zen','ath','ur','ost','ble','ant','ess','ive','ous','ic'])
         [1 + abs(hashint4(g * 3 + 1)) % 34] ||
       CASE WHEN g % 3 = 0 THEN '' ELSE
       (ARRAY['ka','lo','mi','ne','ra','to','shu','ven','dor','al','ex','im','pre','con','der','ing','tion','ly',
              'ber','mon','gra','fis','plo','que','zen','ath','ur','ost','ble','ant','ess','ive','ous','ic'])
         [1 + abs(hashint4(g * 3 + 2)) % 34] END
FROM generate_series(0, 5999) AS g;
-- Stock phrases of 3-6 common words (vocabulary entries 10000-10399): real prose repeats word sequences.
INSERT INTO prose_vocab
SELECT 10000 + j, (SELECT string_agg(w, ' ' ORDER BY k) FROM generate_series(1, 3 + j % 4) AS k
                   JOIN prose_vocab ON i = abs(hashint4(j * 8 + k)) % (SELECT count(*) FROM prose_vocab WHERE i < 1000))
FROM generate_series(0, 399) AS j;
-- Word k of row r: h = hashint8(r * 1000 + k). One word in 32 is a pseudo-word, one in 16 a stock phrase, the
-- rest common words drawn Zipf-like (u^3 over the list); bits 20-29 pick the separator after it. Measured on a
-- sample: gzip -6 3.2:1, zstd -3 3.1:1, lz4 -1 1.9:1.
CREATE TABLE prose (
  id integer PRIMARY KEY,
  title text NOT NULL,
  written date NOT NULL,
  words integer NOT NULL,
  body text NOT NULL
);
CREATE TEMP TABLE vocab_common AS SELECT count(*)::int AS n FROM prose_vocab WHERE i < 1000;
INSERT INTO prose
SELECT r,
       initcap(t.title),
       date '2000-01-01' + (abs(hashint4(r)) % 9000),
       n.nw,
       b.body
FROM generate_series(1, (:text_mb * 1048576 / 1700)::int) AS r
CROSS JOIN LATERAL (SELECT 40 + abs(hashint4(r + 7)) % 441 AS nw) AS n
CROSS JOIN LATERAL (
  SELECT string_agg(v.w || CASE
           WHEN s < 780 THEN ' '
           WHEN s < 840 THEN ', '
           WHEN s < 905 THEN '. '
           WHEN s < 935 THEN E'.\n'
           WHEN s < 955 THEN E'\t'
           WHEN s < 965 THEN E'.\n\n\t'
           WHEN s < 980 THEN '; '
           WHEN s < 990 THEN ': "'
           ELSE '" ' END, '' ORDER BY k) AS body
  FROM (SELECT k, (abs(h) >> 20) % 1000 AS s,
               CASE WHEN (abs(h) >> 40) % 32 = 0 THEN 1000 + abs(h) % 6000
                    WHEN (abs(h) >> 48) % 16 = 0 THEN 10000 + (abs(h) >> 10) % 400
                    ELSE floor(((abs(h) % 1000003) / 1000003.0::float8) ^ 3.0 * (SELECT n FROM vocab_common))::int
               END AS wi
        FROM (SELECT k, hashint8(r::bigint * 1000 + k) AS h FROM generate_series(1, n.nw) AS k) AS hk) AS x
  JOIN prose_vocab AS v ON v.i = x.wi
) AS b
CROSS JOIN LATERAL (
  SELECT string_agg(v.w, ' ' ORDER BY k) AS title
  FROM generate_series(1, 3 + abs(hashint4(r + 11)) % 5) AS k
  JOIN prose_vocab AS v ON v.i = abs(hashint8(-(r::bigint * 1000 + k))) % (SELECT n FROM vocab_common)
) AS t;
DROP TABLE prose_vocab;
SQL
    "${PSQL[@]}" -At -c "SELECT 'prose: ' || count(*) || ' rows, ' || pg_size_pretty(sum(octet_length(body))::bigint) || ' of body text' FROM prose" >&2
    mark db-prose
  fi

  if ! done_ db-small; then
    log "$SMALL_TABLES small tables with indexes and comments, $VIEWS views"
    "${PSQL[@]}" -v ntables="$SMALL_TABLES" -v nviews="$VIEWS" <<'SQL'
SET bench.ntables = :'ntables';
SET bench.nviews = :'nviews';
DO $$
DECLARE
  n int := current_setting('bench.ntables')::int;
  v int := current_setting('bench.nviews')::int;
  t text;
  u text;
BEGIN
  FOR i IN 1..n LOOP
    t := format('small_%s', lpad(i::text, 3, '0'));
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t);
    EXECUTE format($f$CREATE TABLE %I (
        id serial PRIMARY KEY,
        code text NOT NULL,
        qty integer NOT NULL DEFAULT 0,
        price numeric(10,2),
        note text,
        created timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00')$f$, t);
    EXECUTE format('CREATE INDEX %I ON %I (code)', t || '_code_idx', t);
    EXECUTE format('COMMENT ON TABLE %I IS %L', t, format('Small table number %s: codes, quantities and prices.', i));
    EXECUTE format('COMMENT ON COLUMN %I.code IS %L', t, 'The item''s code, unique per batch.');
    EXECUTE format($f$INSERT INTO %I (code, qty, price, note, created)
        SELECT 'C' || lpad((g * %s)::text, 6, '0'), g %% 17, (g * 1.25)::numeric(10,2),
               CASE WHEN g %% 5 = 0 THEN NULL ELSE E'note\t' || g || E' for\\table ' || %L END,
               timestamptz '2024-01-01 00:00:00+00' + g * interval '1 hour'
        FROM generate_series(1, 25) AS g$f$, t, i, t);
  END LOOP;
  FOR i IN 1..v LOOP
    t := format('small_%s', lpad(i::text, 3, '0'));
    u := format('small_%s', lpad((n + 1 - i)::text, 3, '0'));
    EXECUTE format('CREATE OR REPLACE VIEW %I AS SELECT a.id, a.code, a.qty * b.price AS amount, b.note '
                   'FROM %I AS a JOIN %I AS b ON b.id = a.id WHERE a.qty > %s',
                   format('view_%s', lpad(i::text, 3, '0')), t, u, i % 7);
    EXECUTE format('COMMENT ON VIEW %I IS %L', format('view_%s', lpad(i::text, 3, '0')),
                   format('Amounts of %s priced from %s.', t, u));
  END LOOP;
END
$$;
SQL
    mark db-small
  fi

  if ! done_ db-analyzed; then
    log "vacuum analyze"
    "${PSQL[@]}" -c "VACUUM ANALYZE"
    "${PSQL[@]}" -At -c "SELECT 'database size: ' || pg_size_pretty(pg_database_size('bench'))" >&2
    mark db-analyzed
  fi

  for d in "${missing[@]}"; do
    name="${d%%|*}" args="${d#*|}"
    out="$SET/$name"
    rm -rf "$out" "$out.tmp"
    log "pg_dump 17 ${args/PIPE/-Fc | cat >} -> $name"
    t0=$(date +%s.%N)
    if [ "$args" = PIPE ]; then
      "$PG_DUMP" -Fc -d bench | cat >"$out.tmp"
    else
      # shellcheck disable=SC2086
      "$PG_DUMP" $args -d bench -f "$out.tmp"
    fi
    mv "$out.tmp" "$out"
    printf '%s %.1f\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)" >>"$DONE/dump-times"
    mark "dump-$name"
  done
  stop
  trap - EXIT INT TERM
  if [ "${KEEP_SERVER:-0}" != 1 ]; then
    log "removing the server's data directory"
    rm -rf "$PGDATA_DIR" "$SOCK" "$DONE"/initdb "$DONE"/db-*
  fi
fi

# ---- reference streams for the codec limits ----------------------------------------------------------
if ! done_ ref-copydata; then
  log "copydata.sql: pg_restore 17 -a of custom-none.dump"
  "$PG_RESTORE" -a -f "$SET/copydata.sql.tmp" "$SET/custom-none.dump"
  mv "$SET/copydata.sql.tmp" "$SET/copydata.sql"
  mark ref-copydata
fi
if ! done_ ref-plain-gz; then
  log "plain.sql.gz (gzip -6)"
  gzip -6 -c "$SET/plain.sql" >"$SET/plain.sql.gz.tmp"
  mv "$SET/plain.sql.gz.tmp" "$SET/plain.sql.gz"
  mark ref-plain-gz
fi
for ref in "gz|gzip -6 -c" "zst|zstd -q -3 -T1 -c" "lz4|lz4 -q -1 -c"; do
  ext="${ref%%|*}" cmd="${ref#*|}"
  if ! done_ "ref-$ext"; then
    log "copydata.sql.$ext ($cmd)"
    # shellcheck disable=SC2086
    $cmd "$SET/copydata.sql" >"$SET/copydata.sql.$ext.tmp"
    mv "$SET/copydata.sql.$ext.tmp" "$SET/copydata.sql.$ext"
    mark "ref-$ext"
  fi
done

# ---- sizes -------------------------------------------------------------------------------------------
{
  echo "data set in $SET (pg_dump 17: $("$PG_DUMP" --version | awk '{print $3}'))"
  for f in custom-gzip.dump custom-none.dump custom-lz4.dump custom-zstd.dump dir-gzip archive.tar custom-pipe.dump \
           copydata.sql copydata.sql.gz copydata.sql.zst copydata.sql.lz4; do
    printf '  %-18s %12s bytes  %s\n' "$f" "$(du -sb "$SET/$f" | cut -f1)" "$(du -sh --apparent-size "$SET/$f" | cut -f1)"
  done
  [ ! -s "$DONE/dump-times" ] || { echo "pg_dump times (s):"; sed 's/^/  /' "$DONE/dump-times"; }
} | tee "$SET/SIZES.txt"
log "done"
