#!/usr/bin/env bash
# oracle.sh VERSION TOOL [ARGS...] — run a real PostgreSQL tool from the oracles installed by
# scripts/install-oracles.sh, e.g. `scripts/oracle.sh 18 pg_restore -l x.dump`.
# VERSION is 11, 13, 15, 16, 17 or 18 (a leading "pg" is accepted). Honors $PGDUMPKIT_ORACLES.
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 VERSION TOOL [ARGS...]   (VERSION: 11|13|15|16|17|18)" >&2
  exit 2
fi
ROOT="${PGDUMPKIT_ORACLES:-${XDG_CACHE_HOME:-$HOME/.cache}/pgdumpkit/oracles}"
version="${1#pg}"; tool="$2"; shift 2
bin="$ROOT/pg$version/bin/$tool"
if [ ! -x "$bin" ]; then
  echo "oracle.sh: $bin not found; run scripts/install-oracles.sh first" >&2
  exit 127
fi
exec "$bin" "$@"
