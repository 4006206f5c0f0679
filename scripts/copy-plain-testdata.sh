#!/usr/bin/env bash
# Copies the plain-script cases the tests use from the shared sample corpus into testdata/plain/:
# chinook's plain.sql (pg_dump 15-18) with pg_restore 18's renderings of the paired custom.dump (for 15-17 the
# listing, the full script and the small selections; for 18 all of them), and for pg_dump 18 the paired
# custom.dump and the script written with -v, --inserts, -c --if-exists and -C, and compressed (gzip, zstd, xz,
# bzip2, pg_dump -Z gzip:5). To keep testdata small, only pg18/plain.sql is stored as it is: the other scripts are
# gzipped (gzip -9 -n), and the tests decompress them into a temporary file; identical expected outputs are
# symlinks to one copy.
# Usage: scripts/copy-plain-testdata.sh [corpus]   (default: ../shared/sample-corpus)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-$root/../shared/sample-corpus}
target=$root/testdata/plain/chinook
rm -rf "$target"
for version in 15 16 17 18; do
    from=$corpus/plain/chinook/pg$version
    to=$target/pg$version
    mkdir -p "$to/expected"
    cp "$from/DUMPED.tsv" "$to/"
    if [ "$version" = 18 ]; then
        cp "$from/plain.sql" "$to/"
        cp "$from"/expected/* "$to/expected/"
    else
        gzip -9 -n -c "$from/plain.sql" > "$to/plain.sql.gz"
        for name in commands.txt list.txt full.sql.gz schema-only.sql one-table.sql section-pre-data.sql \
            section-post-data.sql; do
            cp "$from/expected/$name" "$to/expected/"
        done
    fi
    # One copy of identical outputs.
    (cd "$to/expected" && for file in *.gz; do
        for other in *.gz; do
            if [ "$other" \< "$file" ] && [ ! -L "$other" ] && cmp -s "$other" "$file"; then
                ln -sf "$other" "$file"
                break
            fi
        done
    done)
done
from=$corpus/plain/chinook/pg18
cp "$from"/custom.dump "$from"/plain.sql.gz "$from"/plain.sql.zst "$from"/plain.sql.xz "$from"/plain-gzip.sql.gz \
    "$target/pg18/"
# The corpus has no bzip2 script: made here, with the bzip2 tool or else Python's bz2 module.
if command -v bzip2 >/dev/null; then
    bzip2 -9 -c "$from/plain.sql" > "$target/pg18/plain.sql.bz2"
else
    python3 -c 'import bz2, sys; sys.stdout.buffer.write(bz2.compress(open(sys.argv[1], "rb").read(), 9))' \
        "$from/plain.sql" > "$target/pg18/plain.sql.bz2"
fi
for name in plain-verbose plain-inserts plain-clean plain-create; do
    gzip -9 -n -c "$from/$name.sql" > "$target/pg18/$name.sql.gz"
done
chmod -R u+w "$target"
echo "copied into ${target#"$root"/}"
