# check-common.sh — what scripts/check-restore.sh and scripts/check-with-deps.sh share, sourced by
# both after they define log, die and WORK: the pgdumpkit binary to test, the oracles, the OS user
# that runs the servers, a fixed client environment, and the ok/fail report lines.
#
#   check_tools "$@"   the script's arguments: [PGDUMPKIT]. Sets PGDUMPKIT (an absolute path; without
#                      the argument, `swift build` with --scratch-path $SCRATCH_PATH when set, and its
#                      debug binary), ORACLES (scripts/install-oracles.sh, run: it installs nothing when
#                      all is there) and as_pg (runuser -u postgres as root), and clears PG* variables.
#   ok NAME / fail NAME REASON [FILE]   one report line, counted in PASSED / FAILED (FAIL lines are
#                      followed by REASON and the first lines of FILE, indented).

check_tools() {
  if [ "$#" -eq 1 ]; then
    PGDUMPKIT="$1"
  else
    local scratch=()
    [ -n "${SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$SCRATCH_PATH")
    log "swift build ${scratch[*]}"
    (cd "$REPO" && swift build "${scratch[@]}" >&2)
    PGDUMPKIT="$(cd "$REPO" && swift build "${scratch[@]}" --show-bin-path)/pgdumpkit"
  fi
  [ -x "$PGDUMPKIT" ] || die "$PGDUMPKIT is not an executable"
  case "$PGDUMPKIT" in /*) ;; *) PGDUMPKIT="$PWD/$PGDUMPKIT" ;; esac

  "$REPO/scripts/install-oracles.sh" >"$WORK/oracles.out" 2>"$WORK/oracles.err" \
    || { cat "$WORK/oracles.err" >&2; die "scripts/install-oracles.sh failed"; }
  ORACLES="$(tail -n 1 "$WORK/oracles.out")"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (is postgresql-15 installed?)"
    as_pg() { runuser -u postgres -- "$@"; }
  else
    as_pg() { "$@"; }
  fi

  # A clean, fixed client environment: no stray PG* settings, UTC, C locale, UTF8.
  local v
  for v in $(env | sed -n 's/^\(PG[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
  export LC_ALL=C TZ=UTC PGTZ=UTC PGCLIENTENCODING=UTF8
}

ok() { printf 'ok %s\n' "$1"; PASSED=$((PASSED + 1)); }
fail() {
  printf 'FAIL %s\n' "$1"
  printf '    %s\n' "$2"
  if [ -n "${3:-}" ] && [ -s "$3" ]; then head -n 40 "$3" | sed 's/^/    | /'; fi
  FAILED=$((FAILED + 1))
}
