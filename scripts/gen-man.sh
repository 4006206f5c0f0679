#!/usr/bin/env bash
# gen-man.sh — regenerate man/ from the pgdumpkit CLI with swift-argument-parser's
# "generate-manual" command plugin: one page for pgdumpkit and one per subcommand.
#
# The plugin (swift-argument-parser 1.8.x) builds the package in release mode, runs the
# generate-manual tool on the pgdumpkit executable and writes the pages into its own work
# directory, <scratch>/plugins/GenerateManual/outputs/pgdumpkit/; this script then replaces
# man/*.1 with them. The plugin sets the output directory itself, so none is passed here.
#
# Environment:
#   SCRATCH_PATH  SwiftPM scratch directory (default .build, as for `swift build`)
#   MAN_DATE      date printed in the pages, yyyy-mm-dd (default: the date of the last commit
#                 that touched Sources/pgdumpkit, so that regenerating is reproducible)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
SCRATCH_PATH="${SCRATCH_PATH:-.build}"
case "$SCRATCH_PATH" in /*) ;; *) SCRATCH_PATH="$REPO/$SCRATCH_PATH" ;; esac

log() { printf 'gen-man: %s\n' "$*" >&2; }

if [ -z "${MAN_DATE:-}" ]; then
  MAN_DATE="$(git log -1 --format=%cs -- Sources/pgdumpkit 2>/dev/null || true)"
  [ -n "$MAN_DATE" ] || MAN_DATE="$(date +%F)"
fi

OUT="$SCRATCH_PATH/plugins/GenerateManual/outputs/pgdumpkit"
rm -rf "$OUT"

log "swift package generate-manual --multi-page --date $MAN_DATE"
# The plugin writes only inside the scratch directory, so it needs no
# --allow-writing-to-package-directory.
swift package --scratch-path "$SCRATCH_PATH" \
  generate-manual --multi-page --date "$MAN_DATE" >&2

pages=("$OUT"/*.1)
[ -e "${pages[0]}" ] || { log "error: the plugin wrote no pages into $OUT"; exit 1; }

mkdir -p man
rm -f man/*.1
cp "${pages[@]}" man/
log "wrote $(cd man && printf '%s ' *.1)"
