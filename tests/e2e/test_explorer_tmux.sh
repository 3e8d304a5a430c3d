#!/usr/bin/env bash
# The explorer end to end: the real binary in a private tmux server at 80x24 and 160x48.
# Moves through every pane, dives into a confusion cell and checks that the header and the
# cases pane agree with the cell, types a bad filter and expects the caret, resizes, cancels
# with Ctrl-C without quitting, and quits - checking that the terminal is given back, also
# after SIGTERM. Needs FAULTLINE (the binary) and FL_SOURCE_DIR; skips without tmux.
set -euo pipefail
if ! command -v tmux >/dev/null 2>&1; then
    echo "tmux is not installed: explorer end-to-end test skipped"
    exit 0
fi
SOCK="fl$$"
. "$(dirname "$0")/tmux_lib.sh"
SPAM="$FL_SOURCE_DIR/samples/spam_predictions.csv"
LETTERS="$FL_SOURCE_DIR/samples/letters_predictions.csv"
# The explorer's first tag creates the journal beside its file: work on copies.
cp "$SPAM" "$LETTERS" "$WORK/"
SPAM="$WORK/spam_predictions.csv"
LETTERS="$WORK/letters_predictions.csv"

ARGS=""
start_app() { # start_app COLS ROWS FILE [VAR=value ...]; options of the binary in $ARGS
    local c=$1 r=$2 f=$3
    shift 3
    tmux_start "$c" "$r" "NCURSES_NO_UTF8_ACS=1 $* '$FAULTLINE' $ARGS '$f'"
}
wait_gone() { # wait_gone TEXT [SECONDS]
    local dl=$(($(_now) + ${2:-5} * SLOW * 1000000000)) s
    while (($(_now) < dl)); do
        s="$(screen)"
        [[ $s != *"$1"* ]] && return 0
        sleep 0.05
    done
    echo "TIMEOUT waiting for '$1' to go" >&2
    return 1
}
restored() { [[ "$(T display -p -t app '#{alternate_on}')" == 0 ]]; }
has_color() { [[ "$(screen -e)" == *$'\e['*m* && "$(screen -e)" == *$'\e[3'[0-9]m* || "$(screen -e)" == *$'\e[38;5;'* ]]; }

# --- 80x24: one pane at a time ---
start_app 80 24 "$SPAM"
check wait_for "Slices (q-value" 20
check on_screen "[S]lices [H]eatmap [C]onfusion [K]lusters [E]rrors [B]ins [R] [T] [D]"
check on_screen "2,419/2,419"
check on_screen "┌"
for p in "H:Heatmap" "C:Confusion (counts)" "K:Clusters (" "D:Decisions · [Next steps]" "E:Error cases" "B:Calibration" "R:Column ranking" "S:Slices ("; do
    keys "${p%%:*}"
    check wait_for "${p#*:}"
done
keys Tab
check wait_for "Heatmap"
keys BTab   # tmux names Shift-Tab BTab ("S-Tab" would type S - T a b)
check wait_for "Slices ("

# dive into the confusion cell label spam, predicted ham
keys C
check wait_for "Confusion (counts)"
row="$(screen | grep -E '^│ spam ' | head -1)"
cell="$(awk '{print $3}' <<<"$row")"
check test -n "$cell"
keys j Enter
check wait_for 'filter  label == "spam" && prediction == "ham"'
check wait_for "$cell/2,419"
check wait_for "dived: label == \"spam\" && prediction == \"ham\" ($cell rows)"
keys E
check wait_for "Error cases · $cell ("
check on_screen "spam → ham"
# the case detail, then back
keys Enter
check wait_for "Why it matters"
check on_screen "Class scores"
keys q
check wait_for "Error cases · $cell ("
# Backspace pops the filter, u brings it back, Ctrl-R redoes the pop
keys BSpace
check wait_for "none: every row"
check wait_for "2,419/2,419"
keys u
check wait_for "$cell/2,419"
keys C-r
check wait_for "none: every row"

# a bad filter: the caret under the unknown column, as the user types
keys / "prob_spma > 0.5"
check wait_for "^^^^^^^^^ unknown column 'prob_spma'"
keys Escape
check wait_gone "unknown column"
# a good one applies on Enter; Tab completes a column name
keys / "has_h" Tab "== 1" Enter
check wait_for "filter  has_html == 1"
check wait_for "503/2,419"

# help and the palette
keys "?"
check wait_for "Global keys"
keys q
check wait_gone "Global keys"
keys C : "cm-co"
check wait_for "cm-col"
keys Enter
check wait_for "Confusion (column %)"

# Ctrl-C never quits
keys C-c
sleep 0.3
check on_screen "Confusion (column %)"

# resize: the grid, too small, back
T resize-window -t app -x 160 -y 48
check wait_for "selected 503 of 2,419"
check on_screen "Heatmap"
check on_screen "Slices ("
check on_screen "Error cases"
T resize-window -t app -x 50 -y 12
check wait_for "terminal too small: 50x12, need 60x16"
T resize-window -t app -x 80 -y 24
check wait_for "[S]lices"
check has_color
keys q
check test "$(wait_exit 10)" = 0
check restored
check test ! -s "$EXITF.err"

# --- 160x48: several panes; the discovered slices ---
start_app 160 48 "$SPAM"
check wait_for "selected 2,419 of 2,419" 20
check on_screen "Confusion (counts)"
check wait_for "Clusters (12 of 60 errors, text)" 30
keys B
check wait_for "Calibration"
keys S t
check wait_for "Slices · Discovered"
check wait_gone "searching slices" 60
check wait_for " and " 10
keys q
check test "$(wait_exit 10)" = 0

# --- 26 classes at 80x24: the matrix scrolls ---
start_app 80 24 "$LETTERS"
check wait_for "Slices (q-value" 20
keys C
check wait_for "Confusion (counts)"
check on_screen "more ▾"
keys G
check wait_for "│ Z "
keys q
check test "$(wait_exit 10)" = 0

# --- no colours with NO_COLOR; ASCII with --ascii ---
start_app 80 24 "$SPAM" NO_COLOR=1
check wait_for "Slices (q-value" 20
check test "$(screen -e | grep -c $'\e\\[3[0-7]m' || true)" = 0
keys q
check test "$(wait_exit 10)" = 0

# --- SIGTERM gives the terminal back ---
start_app 80 24 "$SPAM"
check wait_for "Slices (q-value" 20
pid="$(T display -p -t app '#{pane_pid}')"
pkid="$(pgrep -P "$pid" -f faultline | head -1 || true)"
check test -n "$pkid"
[[ -n "$pkid" ]] && kill -TERM "$pkid"
check test "$(wait_exit 10)" = 143
check restored

# --- export, and a user theme with a bad line ---
mkdir -p "$WORK/cfg/faultline"
{ for i in $(seq 11); do echo "# line $i"; done; echo "color bar purpel default"; } \
    >"$WORK/cfg/faultline/light.theme"
ARGS="--theme light"
start_app 80 24 "$SPAM"
check wait_for "light.theme:12: unknown colour 'purpel'" 20
ARGS=""
keys E e C-u "$WORK/cases.md" Enter
check wait_for "exported 70 rows to $WORK/cases.md"
check test "$(head -c 6 "$WORK/cases.md")" = "| row "
keys e C-u "$WORK/rows.csv" Enter
check wait_for "exported 2419 rows"
keys q
check test "$(wait_exit 10)" = 0

# --- not a terminal: the report, as before ---
out="$("$FAULTLINE" "$SPAM" </dev/null 2>/dev/null | head -1 || true)"
check test "${out:0:1}" = "#"

echo "$pass passed, $fail failed"
((fail == 0))
