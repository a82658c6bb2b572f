#!/usr/bin/env bash
# The first `tix list` after a pull: a 10,000-ticket store, a clone that
# makes 1,000 commits (500 new tickets, 500 comments), a pull of them,
# then the list that brings the index up to date, timed RUNS times (each
# on a fresh copy of the store as it was before the pull).
#
#   benches/pull.sh [RUNS]     default 5
#
# TIX=path and GEN=path (examples/gen_store) use those binaries instead of
# building them. Not a test: figures go to docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if [ -z "${TIX:-}" ] || [ -z "${GEN:-}" ]; then
    cargo build --release --locked --bin tix --example gen_store
    TIX=${TIX:-$PWD/target/release/tix}
    GEN=${GEN:-$PWD/target/release/examples/gen_store}
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/home"
export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 LC_ALL=C TIX_AGENT=
git config --global user.name Lead
git config --global user.email lead@example.com
git config --global init.defaultBranch main
mkdir "$work/a"
cd "$work/a"
git init -q
"$TIX" init --name Support >/dev/null
"$GEN" "$work/a" 10000 >/dev/null
# tix may have started git's maintenance in the background: wait for it.
for _ in $(seq 300); do git gc -q 2>/dev/null && break; sleep 1; done
"$TIX" list >/dev/null
git clone -q "$work/a" "$work/b"
cd "$work/b"
mapfile -t ids < <("$TIX" list --all --format ids | head -n 500)
for i in $(seq 0 499); do
    "$TIX" create --customer "C$i <c$i@example.com>" --subject "New $i" -m "body $i" >/dev/null
    "$TIX" comment "${ids[$i]}" -m "comment $i" >/dev/null
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$runs"); do
    rm -rf "$work/c"
    cp -a "$work/a" "$work/c"
    cd "$work/c"
    git pull -q --no-rebase "$work/b" main
    start=$(date +%s%N)
    "$TIX" list >/dev/null
    end=$(date +%s%N)
    echo "run $r: first list after pulling $(git rev-list --count ORIG_HEAD..HEAD) commits: $(((end - start) / 1000000)) ms"
done
