#!/usr/bin/env bash
# Compares what two tix builds print for the same store: the check that a
# restructuring changed no output. Not a test: run it by hand before and
# after a change that should be invisible.
#
#   benches/compare_output.sh OLD_TIX NEW_TIX [MESSAGES]
#
# OLD_TIX builds one store (a team config with groups, fields, business
# hours; MESSAGES real messages from ../shared/corpus, 300 by default,
# imported one by one as the MTA would; a day of agent work), which is
# then copied so each build reads its own copy (their index formats may
# differ). Every read command below runs on both at a fixed TIX_NOW; their
# standard output, standard error and exit code must be identical. A
# second pass runs the same writes on both copies and compares what they
# print and what they leave (`list --all --format json`, every `show`).
# Exit 0 when all are identical, 1 with the differences otherwise.
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
count=${3:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${TIX_CORPUS:-$root/../shared/corpus}
[ -f "$corpus/INDEX.tsv" ] || { echo "no corpus at $corpus (set TIX_CORPUS)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=alice GIT_AUTHOR_EMAIL=alice@example.com
export GIT_COMMITTER_NAME=alice GIT_COMMITTER_EMAIL=alice@example.com
export TIX_AGENT=alice TZ=UTC
unset VISUAL EDITOR

store=$work/a
mkdir -p "$store"
cd "$store"
git init -q
git config user.email alice@example.com
git config user.name alice
"$old" init >/dev/null
cat > .tix/config.yaml <<'EOF'
format: 1
name: Support
agents:
- {handle: alice, name: Alice Admin, email: alice@example.com, roles: [admin]}
- {handle: bob, email: bob@example.com}
- {handle: carol, email: carol@example.com}
groups:
- {name: first, agents: [alice, bob]}
- {name: second, agents: [carol]}
fields:
- {name: product, type: choice, choices: [printer, scanner]}
- {name: units, type: number}
mail:
  addresses: [support@example.com]
  from: support@example.com
  outgoing: {transport: file, dir: outgoing-mail}
sla:
  urgent: {first_response: 1h, resolution: 1d}
  normal: {first_response: 8h, resolution: 5d}
  low: {first_response: 2d}
  calendar: business
  business_hours:
    timezone: Europe/Berlin
    days:
      mon: 09:00-17:00
      tue: 09:00-17:00
      wed: "09:00-12:00,13:00-17:00"
      thu: 09:00-17:00
      fri: 09:00-15:00
    holidays: [2026-12-24, 2026-12-25]
  pause_on: [pending]
  warn_before: 20%
EOF
if ! "$old" check >/dev/null 2>"$work/config-err"; then
    # A build whose config grammar differs: fall back to its own default.
    echo "OLD_TIX refuses the comparison config:" >&2
    cat "$work/config-err" >&2
    exit 2
fi
git add -A && git commit -qm config

# Real mail, one message per `import eml`, with import time spread over
# two weeks so SLA clocks and reports have something to say.
i=0
while IFS=$'\t' read -r path _source _category _note kind; do
    [ "$kind" = message ] || continue
    [ -f "$corpus/$path" ] || continue
    i=$((i + 1))
    [ "$i" -le "$count" ] || break
    day=$(( (i % 14) + 1 ))
    hour=$(( (i * 7) % 24 ))
    TIX_NOW=$(printf '2026-11-%02dT%02d:%02d:00Z' "$day" "$hour" $((i % 60))) \
        "$old" import eml < "$corpus/$path" >/dev/null 2>&1 || true
done < <(tail -n +2 "$corpus/INDEX.tsv")

# A day of agent work on the first tickets.
mapfile -t ids < <("$old" list --all --format ids | head -40)
n=0
for id in "${ids[@]}"; do
    n=$((n + 1))
    at=$(printf '2026-11-16T%02d:%02d:00Z' $((8 + n % 9)) $((n % 60)))
    export TIX_NOW=$at
    case $((n % 8)) in
        0) "$old" reply "$id" -m "We are looking into it ($n)." ;;
        1) "$old" comment "$id" -m "Internal note $n" && "$old" assign "$id" bob ;;
        2) "$old" priority "$id" urgent && "$old" tag "$id" billing vip ;;
        3) "$old" status "$id" pending ;;
        4) "$old" close "$id" -m "Solved" ;;
        5) "$old" field "$id" product printer && "$old" assign "$id" carol ;;
        6) "$old" escalate "$id" -m "Needs second level" || true ;;
        7) "$old" snooze "$id" --until 2026-11-20T09:00:00Z || true ;;
    esac >/dev/null 2>&1 || true
done
unset TIX_NOW
if [ "${#ids[@]}" -ge 2 ]; then
    TIX_NOW=2026-11-16T18:00:00Z "$old" link "${ids[0]}" "${ids[1]}" --relation related >/dev/null 2>&1 || true
fi

cp -a "$store" "$work/b"
rm -rf "$store/.git/tix" "$work/b/.git/tix"

reads=(
    "list"
    "list --all"
    "list --all --format json"
    "list --all --format tsv"
    "list --all --format ids"
    "list --status pending"
    "list --assignee bob --all"
    "list --tag vip --all"
    "list --sort priority --all"
    "list --limit 5 --wide"
    "sla"
    "sla --format json"
    "report summary --since 2026-11-01 --until 2026-12-01"
    "report summary --since 2026-11-01 --until 2026-12-01 --format json"
    "report agents --since 2026-11-01 --until 2026-12-01"
    "report agents --since 2026-11-01 --until 2026-12-01 --format csv"
    "report trend --since 2026-11-01 --until 2026-12-01"
    "report trend --since 2026-11-01 --until 2026-12-01 --format json"
    "report breakdown --by tag --since 2026-11-01 --until 2026-12-01"
    "report breakdown --by priority --since 2026-11-01 --until 2026-12-01 --format csv"
    "report sla --since 2026-11-01 --until 2026-12-01"
    "report sla --since 2026-11-01 --until 2026-12-01 --format json"
    "quarantine list"
    "outbox list"
    "agent list"
    "blacklist list"
    "check"
    "tick --dry-run"
    "log"
    "show NOPE"
    "list --status nonsense"
)
for id in "${ids[@]:0:12}"; do
    reads+=("show $id" "show $id --format json" "log $id")
done
mbox=$(find "$corpus" -name '*.mbox' -size -2M | sort | head -1)
[ -n "$mbox" ] && reads+=("import mbox --dry-run $mbox")

failed=0
succeeded=0
# Entry file names carry a random part, so what two separate writes leave
# is compared without them.
without_file_names() { grep -v '"entry_file"' "$1" > "$1.f" || true; mv "$1.f" "$1"; }
compare() { # label, command words...
    local label=$1
    shift
    (cd "$store" && "$old" "$@" >"$work/o.out" 2>"$work/o.err"; echo "exit $?" >>"$work/o.err") || true
    (cd "$work/b" && "$new" "$@" >"$work/n.out" 2>"$work/n.err"; echo "exit $?" >>"$work/n.err") || true
    if [ -n "${AFTER_WRITES:-}" ]; then
        without_file_names "$work/o.out"
        without_file_names "$work/n.out"
    fi
    if [ "$(tail -1 "$work/o.err")" = "exit 0" ]; then
        succeeded=$((succeeded + 1))
    fi
    if ! cmp -s "$work/o.out" "$work/n.out" || ! cmp -s "$work/o.err" "$work/n.err"; then
        failed=$((failed + 1))
        echo "DIFFERENT: $label"
        diff <(cat "$work/o.out" "$work/o.err") <(cat "$work/n.out" "$work/n.err") | head -20
    fi
}

export TIX_NOW=2026-11-18T10:30:00Z
for cmd in "${reads[@]}"; do
    # shellcheck disable=SC2086
    compare "$cmd" $cmd
done
# Writes: each prints its confirmation; afterwards both stores must read
# the same.
writes=()
for id in "${ids[@]:12:6}"; do
    writes+=("comment $id -m compared" "assign $id alice" "close $id -m done" "reopen $id")
done
for cmd in "${writes[@]}"; do
    # shellcheck disable=SC2086
    compare "$cmd" $cmd
done
AFTER_WRITES=1
compare "list after writes" list --all --format json
for id in "${ids[@]:12:6}"; do
    compare "show $id after writes" show "$id" --format json
    compare "show $id after writes" show "$id"
done

total=$(( ${#reads[@]} + ${#writes[@]} + 13 ))
if [ "$failed" -eq 0 ]; then
    echo "identical: $total commands ($succeeded exit 0) over $(cd "$store" && "$old" list --all --format ids | wc -l) tickets"
else
    echo "$failed of $total commands differ"
    exit 1
fi
