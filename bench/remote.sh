#!/usr/bin/env bash
# remote.sh — archives at URLs (issue 19): one small table, the list and the whole script of the bench data set
# read over HTTP from nginx on loopback (and over S3 from moto's server), against downloading the whole file with
# curl. For each case: median wall time of RUNS runs, peak RSS, and the bytes the server sent (nginx's access log,
# $body_bytes_sent summed over the run's requests) as a share of the archive. Also `convert -o s3://`: the time to
# upload the gzip archive as a multipart upload against writing the same conversion to a local file.
# Release build (`.build-release`), page cache warm. Writes bench/results/remote.md.
#
#   bench/remote.sh            (BENCH_DIR as dataset.sh; RUNS=3; NO_BUILD=1 keeps the current release build)
set -euo pipefail
# shellcheck source=bench/release-set.sh
source "$(dirname "${BASH_SOURCE[0]}")/release-set.sh"
"$REPO/scripts/install-deps.sh"
OUT="$REPO/bench/results/remote.md"
SCRATCH="$(mktemp -d)"
NGINX_PID=""
MOTO_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  [ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# nginx on a free loopback port, serving the data set, logging the body bytes of every request.
PORT=""
for _ in $(seq 20); do
  candidate=$((20000 + RANDOM % 40000))
  mkdir -p "$SCRATCH/tmp"
  # pg_dump makes a directory archive's folder 0700: the workers must run as its owner to read it.
  user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat >"$SCRATCH/nginx.conf" <<EOF
$user_line
daemon off;
pid $SCRATCH/nginx.pid;
error_log $SCRATCH/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
    log_format bytes '\$request_method \$request_uri \$status \$body_bytes_sent';
    client_body_temp_path $SCRATCH/tmp; proxy_temp_path $SCRATCH/tmp;
    fastcgi_temp_path $SCRATCH/tmp; uwsgi_temp_path $SCRATCH/tmp; scgi_temp_path $SCRATCH/tmp;
    sendfile on;
    server { listen 127.0.0.1:$candidate; root $SET; access_log $SCRATCH/access.log bytes; }
}
EOF
  nginx -c "$SCRATCH/nginx.conf" -p "$SCRATCH" 2>/dev/null &
  NGINX_PID=$!
  for _ in $(seq 100); do [ -e "$SCRATCH/nginx.pid" ] && break; kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.05; done
  if [ -e "$SCRATCH/nginx.pid" ]; then PORT=$candidate; break; fi
done
[ -n "$PORT" ] || { echo "remote.sh: nginx did not start" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"

# measure LABEL SIZE COMMAND...: RUNS runs; prints a table row: median wall, CPU, peak RSS, bytes sent per run
# and their share of SIZE.
measure() {
  local label="$1" size="$2"; shift 2
  : >"$SCRATCH/times"
  : >"$SCRATCH/access.log"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %U %S %M' -o "$SCRATCH/one" "$@" >/dev/null 2>"$SCRATCH/err" || { cat "$SCRATCH/err" >&2; exit 1; }
    cat "$SCRATCH/one" >>"$SCRATCH/times"
  done
  local sent requests
  sent=$(awk -v n="$RUNS" '{ s += $4 } END { printf "%d", s / n }' "$SCRATCH/access.log")
  requests=$(awk -v n="$RUNS" 'END { printf "%d", NR / n }' "$SCRATCH/access.log")
  sort -n "$SCRATCH/times" | awk -v n="$RUNS" -v label="$label" -v sent="$sent" -v size="$size" -v requests="$requests" \
    'NR == int((n + 1) / 2) {
      if (requests == 0) printf "| %s | %.3f | %.2f | %.0f | — | — | — |\n", label, $1, $2 + $3, $4 / 1024
      else printf "| %s | %.3f | %.2f | %.0f | %d | %s | %.2f %% |\n", label, $1, $2 + $3, $4 / 1024, requests, sent, 100 * sent / size }'
}

size_of() { if [ -d "$1" ]; then du -sb "$1" | cut -f1; else stat -c %s "$1"; fi; }

small=small_001
{
  echo "# Archives at URLs: one table out of the bench set over HTTP and S3"
  echo
  echo "$(date -u +%F) · commit $(git -C "$REPO" rev-parse --short HEAD) · $(nproc) cores · load average $(cut -d' ' -f1-3 /proc/loadavg) at the start · bench/remote.sh (RUNS=$RUNS, median) · nginx on loopback"
  echo
  echo "Bytes sent: nginx's \`\$body_bytes_sent\` summed over one run's requests (HEAD probes send none). Share: of the archive's size on disk (a directory archive: all its files)."
  echo
  echo "| case | wall s | CPU s | peak RSS MiB | requests | bytes sent | share of the archive |"
  echo "|---|---|---|---|---|---|---|"
  for archive in custom-none.dump custom-gzip.dump custom-zstd.dump dir-gzip archive.tar; do
    size=$(size_of "$SET/$archive")
    url="$BASE/$archive"
    [ -d "$SET/$archive" ] && url="$url/"
    measure "\`list\` $archive" "$size" "$BIN" list "$url"
    measure "\`sql -t $small\` $archive" "$size" "$BIN" sql --restrict-key=k -t "$small" "$url"
    measure "\`extract -t $small\` $archive" "$size" "$BIN" extract -t "$small" -o /dev/null "$url"
  done
  for archive in custom-none.dump custom-gzip.dump archive.tar; do
    size=$(size_of "$SET/$archive")
    measure "download: \`curl -o /dev/null\` $archive" "$size" curl -sS -o /dev/null "$BASE/$archive"
    measure "\`sql\` (everything) $archive" "$size" "$BIN" sql --restrict-key=k "$BASE/$archive"
    measure "local \`sql\` (everything) $archive" "$size" "$BIN" sql --restrict-key=k "$SET/$archive"
  done
} >"$OUT.tmp"

# S3: moto's server (Python, in-process storage) holding the gzip archives; signatures checked.
python3 "$REPO/scripts/s3-test-server.py" "$SCRATCH/s3state" "$SET" custom-gzip.dump dir-gzip >/dev/null 2>&1 &
MOTO_PID=$!
for _ in $(seq 1200); do [ -s "$SCRATCH/s3state" ] && break; sleep 0.1; done
read -r S3PORT S3KEY S3SECRET <"$SCRATCH/s3state"
export AWS_ACCESS_KEY_ID="$S3KEY" AWS_SECRET_ACCESS_KEY="$S3SECRET" AWS_REGION=us-east-1 AWS_ENDPOINT_URL="http://127.0.0.1:$S3PORT"
{
  echo
  echo "S3 (moto's server on loopback; bytes sent are not logged by it):"
  echo
  echo "| case | wall s | CPU s | peak RSS MiB | requests | bytes sent | share of the archive |"
  echo "|---|---|---|---|---|---|---|"
  size=$(size_of "$SET/custom-gzip.dump")
  measure "\`list\` s3 custom-gzip.dump" "$size" "$BIN" list s3://pgdumpkit-tests/custom-gzip.dump
  measure "\`sql -t $small\` s3 custom-gzip.dump" "$size" "$BIN" sql --restrict-key=k -t "$small" s3://pgdumpkit-tests/custom-gzip.dump
  measure "\`sql -t $small\` s3 dir-gzip/" "$size" "$BIN" sql --restrict-key=k -t "$small" s3://pgdumpkit-tests/dir-gzip/
  measure "\`convert --to c\` custom-gzip.dump to a local file" "$size" "$BIN" convert --to c --force -o "$SCRATCH/converted.dump" "$SET/custom-gzip.dump"
  measure "\`convert --to c\` custom-gzip.dump to s3 (multipart)" "$size" "$BIN" convert --to c --force -o s3://pgdumpkit-tests/converted.dump "$SET/custom-gzip.dump"
} >>"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
