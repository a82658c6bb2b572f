#!/usr/bin/env bash
# Finding things at size: `tix search`, `tix customer`, `tix similar`,
# bringing the search index up to date after one commit, its cold build
# (wall time, peak memory) and size, against `git grep` and
# `tix list --text` over the same store. Not a test: figures go to
# docs/performance.md with the machine, the date and the load.
#
#   benches/search.sh STORE [RUNS]
#
# STORE is a store made by benches/search-store.sh (varied text, repeat
# customers, near-duplicate pairs). It is copied first (the copy gets
# comments and a search index), so STORE itself is left as it was.
# TIX=path uses that binary instead of building one; OLD=path adds
# `tix list --text` of another build (the one before the search index).
# Needs hyperfine (Debian: apt-get install hyperfine).
set -euo pipefail
src=$(cd "$1" && pwd)
runs=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${TIX:-}" ]; then
    (cd "$root" && cargo build --release --locked --bin tix)
    TIX=$root/target/release/tix
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a --reflink=auto "$src" "$work/store"
cd "$work/store"
export TIX_AGENT=bench USER=bench
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)   $(nproc) cpus   $(date -u +%F)"
tickets=$("$TIX" list --all --format ids --limit 10000000 | wc -l)
echo "tickets: $tickets"

rm -rf .git/tix/search
/usr/bin/time -f "cold build of the search index: %e s wall, %U s user, %M KB peak RSS" \
    "$TIX" search printer --limit 1 >/dev/null
bytes=$(du -sb .git/tix/search | cut -f1)
echo "search index: $bytes bytes, $((bytes / tickets)) bytes per ticket"

three='toner tray printer status:closed tag:billing'
heavy=$("$TIX" customers --sort tickets --format tsv | sed -n 2p | cut -f1)
light=$("$TIX" customers --sort tickets --format tsv | awk -F'\t' 'NR > 1 && $4 == 3 { print $1; exit }')
pair=$(sed -n 2p "$src.pairs.tsv" 2>/dev/null | cut -f1 || true)
cmds=("$TIX search printer" "$TIX search kerberos" "$TIX search '$three'"
    "$TIX search '\"toner cartridge\"'" "$TIX customer $light" "$TIX customer $heavy")
if [ -n "$pair" ] && "$TIX" similar --help >/dev/null 2>&1; then
    cmds+=("$TIX similar $pair")
fi
hyperfine -N --warmup 3 --runs "$runs" --style basic "${cmds[@]}"

id=$("$TIX" list --all --format ids --limit 1)
# Each run: one comment, then the search that brings the index up to it.
hyperfine -N --runs "$runs" --style basic \
    --prepare "$TIX comment $id -m 'kerberos renewal failed again'" "$TIX search kerberos"

# The same word three other ways: the work tree, and a scan of every
# ticket (before and after).
grep_cmds=("git grep -l -i -w kerberos -- tickets" "$TIX list --all --text kerberos")
if [ -n "${OLD:-}" ]; then
    grep_cmds+=("$OLD list --all --text kerberos")
fi
hyperfine -N --warmup 1 --runs 5 --style basic "${grep_cmds[@]}"
