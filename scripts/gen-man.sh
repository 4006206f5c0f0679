#!/usr/bin/env bash
# gen-man.sh — regenerate man/ from the pgdumpkit CLI with swift-argument-parser's
# "generate-manual" command plugin: one page for pgdumpkit and one per subcommand.
#
# The plugin (swift-argument-parser 1.8.x) builds the package in release mode, runs the
# generate-manual tool on the pgdumpkit executable and writes the pages into its own work
# directory, <scratch>/plugins/GenerateManual/outputs/pgdumpkit/; this script then replaces
# man/*.1 with them. The plugin sets the output directory itself, so none is passed here.
#
# The plugin copies each help text into the mdoc source as it is, which mandoc -T lint and
# groff -ww warn about; tidy_page fixes that in the copies (see below), so that the pages
# render without warnings. `scripts/gen-man.sh --tidy FILE...` applies only that step, in place.
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

# Rewrites one generated mdoc page in place, changing its markup and not its text:
#  - a blank line (a paragraph break in the help text) becomes .Pp, and a .Pp or blank line that
#    mdoc would skip (first in a section, or before .It, .El, .Sh, .Ss or another break) is dropped
#    ("blank line in fill mode", groff's "Empty input line");
#  - a text line holding several sentences is split after each sentence's full stop, one sentence
#    per line, as mdoc expects ("new sentence, new line"); a line that would then start with a dot
#    or an apostrophe gets a \& so that it stays text. Literal displays (.Bd ... .Ed) are left alone;
#  - the trailing full stop of .Nd goes ("trailing delimiter").
tidy_page() {
  local page="$1" tmp
  tmp="$(mktemp "$page.XXXXXX")"
  awk '
    function emit(line) { print line; last = line }
    function flush_break() {
      if (pending && last !~ /^\.(Sh|Ss|Pp|Bl|It)( |$)/ && last != "") emit(".Pp")
      pending = 0
    }
    BEGIN { literal = 0; pending = 0; last = "" }
    /^\.Bd/ { literal = 1 }
    literal { flush_break(); emit($0); if ($0 ~ /^\.Ed/) literal = 0; next }
    $0 == "" || $0 == ".Pp" { pending = 1; next }
    /^\.(It|El|Sh|Ss)( |$)/ { pending = 0; emit($0); next }
    /^\.Nd / {
      flush_break()
      line = $0
      if (line ~ /\."$/) line = substr(line, 1, length(line) - 2) "\""; else sub(/\.$/, "", line)
      emit(line)
      next
    }
    /^[.\047]/ { flush_break(); emit($0); next }
    {
      flush_break()
      rest = $0
      out = ""
      # mandoc: a full stop after two letters or digits, then a space, with more text after it.
      while (match(rest, /[[:alnum:]][[:alnum:]]\. +[^ ]/)) {
        word = substr(rest, RSTART, 2)
        if (word == "nc" || word == "vs") {
          out = out substr(rest, 1, RSTART + 2)
          rest = substr(rest, RSTART + 3)
          continue
        }
        sentence = out substr(rest, 1, RSTART + 2)
        emit(sentence)
        out = ""
        rest = substr(rest, RSTART + 3)
        sub(/^ +/, "", rest)
        if (rest ~ /^[.\047]/) rest = "\\&" rest
      }
      emit(out rest)
    }
  ' "$page" >"$tmp"
  chmod --reference="$page" "$tmp" 2>/dev/null || chmod 644 "$tmp"
  mv "$tmp" "$page"
}

if [ "${1:-}" = --tidy ]; then
  shift
  for page in "$@"; do tidy_page "$page"; done
  exit 0
fi

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
for page in man/*.1; do tidy_page "$page"; done
log "wrote $(cd man && printf '%s ' *.1)"
