# release-set.sh — sourced by the bench scripts that time the release build on dataset.sh's data set (plain.sh,
# remote.sh): sets REPO, BENCH_DIR, SET (the data set), RUNS (default 3) and BIN, builds pgdumpkit in release mode
# into .build-release unless NO_BUILD=1 (which keeps the current build), and makes the data set if missing.
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/pgdumpkit-bench}"
SET="$BENCH_DIR/set"
RUNS="${RUNS:-3}"
[ "${NO_BUILD:-0}" = 1 ] || make -C "$REPO" build SCRATCH_PATH=.build-release >&2
BIN="$REPO/.build-release/release/pgdumpkit"
"$REPO/bench/dataset.sh" >&2
