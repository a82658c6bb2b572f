#!/usr/bin/env bash
# tix side by side with Fossil's ticket system (SQLite), the peer to beat.
# Not a test: figures go to docs/performance.md with the machine, the date
# and the load.
#
#   benches/fossil.sh build [N]   build N tickets (default 10000) through
#                                 each CLI: a creation and two comments
#                                 each; every 1,000 tickets print the rate
#                                 of the last 1,000 and tix's .git size
#                                 against the size a `git gc` would leave
#   benches/fossil.sh ops [N]     generated stores of N tickets (default
#                                 10000; examples/gen_store.rs and
#                                 benches/gen_fossil.py), then create,
#                                 comment, show / ticket history of a
#                                 200-entry ticket and list, side by side
#
# Needs fossil, hyperfine (Debian: apt-get install fossil hyperfine),
# python3 and git. TIX=path uses that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-ops}
n=${2:-10000}
root=$PWD
if [ -z "${TIX:-}" ]; then
    cargo build --release --locked --bin tix --example gen_store
    TIX=$root/target/release/tix
fi
gen=${GEN:-$root/target/release/examples/gen_store}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export TIX_AGENT= USER=bench

new_tix_store() {
    mkdir -p "$1"
    (cd "$1" && git init -q && git config user.email bench@example.com &&
        git config user.name bench && "$TIX" init >/dev/null)
}

# Fossil's ticket change id is the last word of "ticket add succeeded for ID".
fossil_add() {
    fossil ticket add title "$2" status Open comment "$3" -R "$1" | awk '{print $NF}'
}

kib() { du -sk "$1" | cut -f1; }

# tix may have started git's maintenance in the background: wait for it.
gc_now() {
    local tries=0
    until git -C "$1" gc -q --prune=now 2>/dev/null; do
        tries=$((tries + 1))
        if ((tries > 300)); then
            echo "git gc in $1 keeps failing" >&2
            exit 1
        fi
        sleep 1
    done
}

# What `git gc` would leave, measured on a copy so the build is untouched.
post_gc_kib() {
    rm -rf "$work/gc-copy"
    cp -a "$1" "$work/gc-copy"
    rm -f "$work/gc-copy/.git/gc.pid"
    git -C "$work/gc-copy" gc -q --prune=now
    kib "$work/gc-copy/.git"
    rm -rf "$work/gc-copy"
}

build() {
    local store=$work/tix repo=$work/fossil.fossil
    new_tix_store "$store"
    fossil init "$repo" >/dev/null
    echo "tickets,tix_per_s,fossil_per_s,tix_git_kib,tix_git_after_gc_kib,ratio,fossil_kib"
    local i t0 t1 f0 f1 id uuid
    for ((i = 1; i <= n; i++)); do
        if ((i % 1000 == 1)); then t0=$(date +%s.%N); fi
        id=$("$TIX" -C "$store" create --customer "c$i@example.com" \
            --subject "Printer error $i" -m "The printer in room 4 says error 42.")
        "$TIX" -C "$store" comment "$id" -m "Please try turning it off and on again." >/dev/null
        "$TIX" -C "$store" comment "$id" -m "Customer is on the old firmware." >/dev/null
        if ((i % 1000 == 0)); then
            t1=$(date +%s.%N)
            f0=$(date +%s.%N)
            for ((j = i - 999; j <= i; j++)); do
                uuid=$(fossil_add "$repo" "Printer error $j" "The printer in room 4 says error 42.")
                fossil ticket change "$uuid" icomment "Please try turning it off and on again." -R "$repo" >/dev/null
                fossil ticket change "$uuid" icomment "Customer is on the old firmware." -R "$repo" >/dev/null
            done
            f1=$(date +%s.%N)
            local size after
            size=$(kib "$store/.git")
            after=$(post_gc_kib "$store")
            echo "$i,$(echo "1000 / ($t1 - $t0)" | bc -l | xargs printf %.1f),$(echo "1000 / ($f1 - $f0)" | bc -l | xargs printf %.1f),$size,$after,$(echo "$size / $after" | bc -l | xargs printf %.2f),$(kib "$repo")"
        fi
    done
}

ops() {
    local store=$work/tix repo=$work/fossil.fossil
    new_tix_store "$store"
    "$gen" "$store" "$n" >/dev/null
    gc_now "$store"
    python3 benches/gen_fossil.py "$work/artifacts" "$n" 4
    fossil reconstruct "$repo" "$work/artifacts" >/dev/null
    rm -rf "$work/artifacts"
    # One ticket of 200 entries on each side, written through the CLI.
    local id uuid
    id=$("$TIX" -C "$store" create --customer long@example.com --subject "A long one" -m first)
    uuid=$(fossil_add "$repo" "A long one" first)
    for ((i = 2; i <= 200; i++)); do
        "$TIX" -C "$store" comment "$id" -m "Comment number $i on the long ticket." >/dev/null
        fossil ticket change "$uuid" icomment "Comment number $i on the long ticket." -R "$repo" >/dev/null
    done
    local some
    some=$("$TIX" -C "$store" list --all --format ids | sed -n 50p)
    local fsome
    fsome=$(fossil sql -R "$repo" "select tkt_uuid from ticket limit 1 offset 7" | tr -d "'")
    echo "== $n tickets (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    hyperfine -N --warmup 3 --runs 20 --style basic \
        "$TIX -C $store create --customer bench@example.com --subject bench -m x" \
        "fossil ticket add title bench status Open comment x -R $repo" \
        "$TIX -C $store comment $some -m benchmark" \
        "fossil ticket change $fsome icomment benchmark -R $repo" \
        "$TIX -C $store show $id" \
        "fossil ticket history $uuid -R $repo" \
        "$TIX -C $store list" \
        "fossil ticket show 0 -R $repo"
}

case $mode in
build) build ;;
ops) ops ;;
*)
    echo "usage: benches/fossil.sh build|ops [N]" >&2
    exit 2
    ;;
esac
