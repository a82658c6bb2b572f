#!/usr/bin/env bash
# Benchmarks tix on generated stores. Not a test: figures go to
# docs/performance.md with the machine and the date.
#
#   benches/run.sh [SIZES...]        default: 1000 10000
#
# Needs hyperfine (Debian: apt-get install hyperfine) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
# shellcheck disable=SC2206
sizes=(${sizes[*]})
cargo build --release --locked --bin tix --example gen_store
tix=$PWD/target/release/tix
gen=$PWD/target/release/examples/gen_store
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export TIX_AGENT=

for n in "${sizes[@]}"; do
    store=$work/store-$n
    mkdir -p "$store"
    (cd "$store" && git init -q && git config user.email bench@example.com &&
        git config user.name bench && "$tix" init >/dev/null && "$gen" . "$n" >/dev/null && git gc -q)
    id=$(cd "$store" && "$tix" list --all --format ids --limit 1)
    echo "== $n tickets"
    (cd "$store" && hyperfine -N --warmup 2 --runs 10 --style basic \
        "$tix show $id" \
        "$tix comment $id -m benchmark" \
        "$tix create --customer bench@example.com --subject bench -m x" \
        "$tix list" \
        "$tix report summary --since 365d" \
        "$tix report agents --since 365d" \
        "$tix reindex")
    # The first list after a commit also brings the index up to date.
    (cd "$store" && hyperfine -N --runs 10 --style basic \
        --prepare "$tix comment $id -m benchmark" "$tix list")
    du -sh "$store/.git/tix/index"
    du -sh "$store/.git"
done

echo "== import of 10,000 generated messages"
python3 benches/gen_mbox.py "$work/10k.mbox" 10000
mkdir -p "$work/import"
(cd "$work/import" && git init -q && git config user.email bench@example.com &&
    git config user.name bench && "$tix" init >/dev/null &&
    /usr/bin/time -f "%e s, %M KB peak RSS" "$tix" import mbox "$work/10k.mbox")
