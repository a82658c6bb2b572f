#!/usr/bin/env bash
# Makes the README's pictures: a small demo store with two agents, its
# dashboard and one customer's history page, photographed by headless
# Chromium. Run from the repository root after `cargo build`:
#   bash docs/images/make.sh
set -euo pipefail
tix="$PWD/target/debug/tix"
out="$PWD/docs/images"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p "$HOME"
git config --global user.name "Alice Admin"
git config --global user.email alice@example.com
git config --global init.defaultBranch main
mkdir "$work/store" && cd "$work/store"
git init -q
"$tix" init >/dev/null
"$tix" agent add bob --email bob@example.com >/dev/null
"$tix" agent add carol --email carol@example.com >/dev/null
at() { TIX_NOW="$1" "${@:2}" >/dev/null; }
new() {
    TIX_NOW="$1" "$tix" create --customer "$2" --subject "$3" -m "$4" "${@:5}"
}
day=2026-11-
t1=$(new ${day}02T09:00:00Z "Ann Lee <ann@example.com>" "Printer prints blank pages" \
    "Since Monday every page comes out blank." --assign bob)
at ${day}02T10:10:00Z env TIX_AGENT=bob "$tix" reply "$t1" -m "Could you send a photo of the printer's display?"
at ${day}02T12:00:00Z env TIX_AGENT=bob "$tix" comment "$t1" -m "Probably the toner recall batch."
at ${day}03T08:30:00Z "$tix" log-chat "$t1" -m "Ann: it says 'toner low'. Agent: a new cartridge is on its way."
at ${day}04T09:00:00Z env TIX_AGENT=bob "$tix" reply "$t1" -m "The new cartridge was delivered this morning; pages print again?"
at ${day}04T15:00:00Z env TIX_AGENT=bob "$tix" close "$t1"
t2=$(new ${day}03T11:00:00Z "Ann Lee <ann@example.com>" "Invoice for October" "Please send the October invoice again.")
at ${day}03T11:40:00Z "$tix" reply "$t2" -m "Attached again; it went to the old address."
for i in 1 2 3 4 5 6; do
    who=$([ $((i % 2)) = 0 ] && echo bob || echo carol)
    t=$(new ${day}0$((i + 1))T0$((i + 2)):00:00Z "Customer $i <c$i@acme.test>" "Question $i" "Help with $i" --assign "$who")
    [ $i -le 4 ] && at ${day}0$((i + 1))T1$i:00:00Z env TIX_AGENT=$who "$tix" reply "$t" -m "Answer $i"
    [ $i -le 2 ] && at ${day}0$((i + 2))T10:00:00Z env TIX_AGENT=$who "$tix" close "$t"
done
TIX_NOW=${day}09T00:00:00Z "$tix" report dashboard --since 2026-11-02 --until 2026-11-09 > "$work/dashboard.html"
TIX_NOW=${day}09T00:00:00Z "$tix" export customer ann@example.com --html "$work/site" >/dev/null
shot() {
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$work/chrome" --window-size="$2" \
        --screenshot="$3" "file://$1" 2>/dev/null
}
shot "$work/dashboard.html" 1000,1000 "$out/dashboard.png"
shot "$work/site/ticket-$t1.html" 1000,800 "$out/customer-history.png"
ls -l "$out"/*.png
