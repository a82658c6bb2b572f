#!/usr/bin/env bash
# Makes a store to measure search on (examples/gen_store.rs, `search`
# mode): varied multilingual text, repeat customers, near-duplicate
# pairs listed in DIR.pairs.tsv. Eight agents and a `product` choice
# field are declared first, so tickets are spread over agents and carry
# the field.
#
#   benches/search-store.sh DIR N [SEED]     e.g. /work/bench/s100s 100000
set -euo pipefail
dir=$1
n=$2
seed=${3:-14}
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${TIX:-}" ]; then
    (cd "$root" && cargo build --release --locked --bin tix --example gen_store)
    TIX=$root/target/release/tix
fi
gen=${GEN:-$root/target/release/examples/gen_store}
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export TIX_AGENT= USER=bench
[ ! -e "$dir" ] || { echo "$dir exists" >&2; exit 2; }
mkdir -p "$dir"
cd "$dir"
git init -q
git config user.email bench@example.com
git config user.name bench
"$TIX" init >/dev/null
{
    echo "format: 1"
    echo "agents:"
    for a in bench ann bob chen dana emil fatima goran; do
        echo "- handle: $a"
        echo "  name: $a"
        echo "  email: $a@helpdesk.example"
        echo "  roles: [admin]"
    done
    echo "fields:"
    echo "- name: product"
    echo "  type: choice"
    echo "  choices: [laptop, printer, phone, router, software, service]"
} >.tix/config.yaml
git commit -q -am "bench: agents and a product field"
/usr/bin/time -f "generated in %e s, %M KB peak RSS" "$gen" . "$n" search "$seed"
# tix may have started git maintenance in the background.
while [ -e .git/gc.pid ]; do sleep 1; done
git gc -q
