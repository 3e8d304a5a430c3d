#!/usr/bin/env bash
# Tags end to end: the real binary in a private tmux server on a copy of the spam sample.
# Tags a few cases and writes a note (each confirmed "(saved)" on the status line), kills
# the process with SIGKILL, reopens it and finds every confirmed tag on the screen and in
# `faultline tags FILE`; then `faultline review` resumes at the first case without a tag or
# note, tags and skips, quits, and resumes at the skipped case. Needs FAULTLINE (the binary)
# and FL_SOURCE_DIR; skips without tmux.
set -euo pipefail
if ! command -v tmux >/dev/null 2>&1; then
    echo "tmux is not installed: tags end-to-end test skipped"
    exit 0
fi
SOCK="fltags$$"
. "$(dirname "$0")/tmux_lib.sh"
DATA="$WORK/spam.csv"
JOURNAL="$DATA.tags.jsonl"
cp "$FL_SOURCE_DIR/samples/spam_predictions.csv" "$DATA"

start_app() { # start_app COLS ROWS ARGS...: faultline ARGS in the work directory
    local c=$1 r=$2
    shift 2
    tmux_start "$c" "$r" "'$FAULTLINE' $* --reviewer e2e"
}
# The id the last status line names: "tagged mislabeled (saved): spam-2:00789"
saved_id() { screen | tail -1 | sed -n 's/.*(saved): \([^ ]*\).*/\1/p'; }
in_export() { grep -q "$1" <<<"$EXPORT"; }
quits_cleanly() { # q was pressed: exit status 0 and nothing on standard error
    check test "$(wait_exit 10)" = 0
    check test ! -s "$EXITF.err"
}

# --- tag five cases and note a sixth, each confirmed on the status line ---
start_app 100 30 "'$DATA'"
check wait_for "Slices (q-value" 20
keys E
check wait_for "Error cases · 70"
declare -a IDS TAGS
n=0
for t in 1:mislabeled 2:ambiguous 1:mislabeled 4:model-error 3:needs-context; do
    ((n > 0)) && keys j
    keys "${t%%:*}"
    check wait_for "tagged ${t#*:} (saved)"
    IDS[n]="$(saved_id)"
    TAGS[n]="${t#*:}"
    check test -n "${IDS[n]}"
    n=$((n + 1))
done
keys j n "relabel: newsletter, not spam" Enter
check wait_for "note saved: "
NOTE_ID="$(screen | tail -1 | sed -n 's/.*note saved: \([^ ]*\).*/\1/p')"
check test -n "$NOTE_ID"
check test "$(wc -l <"$JOURNAL")" -eq 6

# --- kill -9: nothing confirmed may be lost ---
pid="$(T display -p -t app '#{pane_pid}')"
pkid="$(pgrep -P "$pid" -f faultline | head -1 || true)"
check test -n "$pkid"
[[ -n "$pkid" ]] && kill -KILL "$pkid"
check test "$(wait_exit 10)" = 137

start_app 100 30 "'$DATA'"
check wait_for "Slices (q-value" 20
keys E
check wait_for "Error cases · 70"
for i in "${!IDS[@]}"; do
    check on_screen "${IDS[i]}"
done
check on_screen "mislabeled"
check on_screen "model-error"
check on_screen "✎"
keys T
check wait_for "Tags · 6 rows reviewed · 1 note"
check on_screen "e2e"
keys q
quits_cleanly

EXPORT="$("$FAULTLINE" tags "$DATA" -q)"
for i in "${!IDS[@]}"; do
    check in_export "${IDS[i]}.*${TAGS[i]}"
done
check in_export "$NOTE_ID.*relabel: newsletter, not spam"
check test "$(grep -c . <<<"$EXPORT")" -eq 7 # the header and six rows

# --- review mode resumes at the first case without a tag or note ---
start_app 100 30 review "'$DATA'"
check wait_for "Review 7 / 70 · by loss" 20
check on_screen "resuming at 7 / 70"
keys 5
check wait_for "tagged data-issue (saved)"
check wait_for "Review 8 / 70"
keys Space
check wait_for "Review 9 / 70"
keys q
quits_cleanly
start_app 100 30 review --order loss "'$DATA'"
check wait_for "Review 8 / 70" 20
check on_screen "not reviewed yet"
keys Left
check wait_for "Review 7 / 70"
check wait_for "by e2e · last change"
keys q
quits_cleanly

# --- a sample of the errors, seeded ---
start_app 100 30 review --order random --sample 10 --seed 3 "'$DATA'"
check wait_for "Review 1 / 10 · by random" 20
check on_screen "a sample of 10 of 70 errors (seed 3)"
keys q
quits_cleanly

# --- review needs a terminal ---
set +e
"$FAULTLINE" review "$DATA" </dev/null >"$WORK/out" 2>"$WORK/err"
status=$?
set -e
check test "$status" = 2
check grep -q "review needs a terminal" "$WORK/err"

echo "$pass passed, $fail failed"
((fail == 0))
