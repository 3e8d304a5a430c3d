#!/usr/bin/env bash
# Black-box end-to-end test of tagging and review in the explorer, driven through tmux
# (docs: issue 6, /work/shared/docs/UI.md, man/faultline.1; recipe: TOOLCHAIN.md section 5).
# Written from the documentation only, without reading the implementation.
#
# Environment (CMakeLists.txt): FAULTLINE = the binary, FL_SOURCE_DIR = the source tree,
# FL_SANITIZE non-empty under sanitizers (every deadline is then multiplied by 6).
#
# Part 1, explorer on a copy of samples/spam_predictions.csv at 80x24:
#   E (error cases), tag three different rows with 1, 2, 1, a note with n; wait for each
#   "... (saved)"; kill -9; every confirmed operation is in `faultline tags` and on screen after
#   reopening; a new tag then u: the journal grows by the inverse line and the export loses it;
#   dive into a confusion cell: the header count equals the cell count computed with awk from
#   the CSV, the cases pane lists that cell's errors; a bad filter at / shows a caret error;
#   resize to 160x48 and back; q exits 0.
# Part 2, review mode: `faultline review COPY --order loss --sample 5 --seed 3` shows "1 / 5",
#   a tag key goes to "2 / 5", Space skips; after q and reopening, the queue starts at the
#   first case with neither a tag nor a note.
set -uo pipefail

if ! command -v tmux >/dev/null 2>&1; then
  echo "SKIP: tmux is not installed"
  exit 0
fi

SRC=${FL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
APP=${FAULTLINE:-$SRC/build/faultline}
[[ -x $APP ]] || { echo "FAIL: no binary at $APP (set FAULTLINE)"; exit 1; }
M=1; [[ -n ${FL_SANITIZE:-} ]] && M=6          # sanitizer builds are several times slower
dl() { echo $(( $1 * M )); }                    # a deadline in seconds, scaled

WORK=$(mktemp -d /tmp/fl_bbreview.XXXXXX)
SOCK="bb$$"
TMUX_CONF="$WORK/tmux.conf"
EXITF="$WORK/exit"; PIDF="$WORK/pid"
printf '%s\n' 'set -g remain-on-exit on' 'set -g status off' 'set -g exit-empty off' \
  'set -g escape-time 0' > "$TMUX_CONF"
T() { tmux -L "$SOCK" -f "$TMUX_CONF" "$@"; }
cleanup() { T kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# start_app DIR COLS ROWS ARGS...: runs faultline in DIR; its pid goes to $PIDF (the shell
# execs it), its stderr to $EXITF.err, its exit status to $EXITF.
start_app() {
  local dir=$1 c=$2 r=$3; shift 3
  rm -f "$EXITF" "$PIDF"
  T kill-session -t app 2>/dev/null || true
  local q; q=$(printf '%q ' "$@")
  T new-session -d -s app -x "$c" -y "$r" -c "$dir" \
    "cd $(printf %q "$dir") && env -u COLUMNS -u LINES TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY=25 sh -c 'echo \$\$ > $PIDF; exec \"\$0\" \"\$@\"' $(printf %q "$APP") $q 2>$EXITF.err; echo \$? > $EXITF.tmp && mv $EXITF.tmp $EXITF"
}
screen() { T capture-pane -p -t app "$@"; }
_now() { date +%s%N; }
wait_for() {   # wait_for TEXT [TIMEOUT_S]: TEXT somewhere on the screen
  local d; d=$(dl "${2:-10}"); local end=$(( $(_now) + d * 1000000000 ))
  while (( $(_now) < end )); do [[ "$(screen)" == *"$1"* ]] && return 0; sleep 0.05; done
  echo "TIMEOUT waiting for: $1" >&2; screen >&2; return 1; }
wait_status() {  # wait_status REGEX [TIMEOUT_S]: the last screen line matches REGEX
  local d; d=$(dl "${2:-10}"); local end=$(( $(_now) + d * 1000000000 )) s
  while (( $(_now) < end )); do
    s=$(screen); s=${s##*$'\n'}
    [[ $s =~ $1 ]] && return 0; sleep 0.05; done
  echo "TIMEOUT waiting for status /$1/, screen:" >&2; screen >&2; return 1; }
wait_stable() {  # 4 identical captures 100 ms apart
  local d; d=$(dl "${1:-10}"); local end=$(( $(_now) + d * 1000000000 )) prev= cur same=0
  while (( $(_now) < end )); do cur=$(screen -e)
    if [[ $cur == "$prev" ]]; then (( ++same >= 4 )) && return 0; else same=0; fi
    prev=$cur; sleep 0.1; done; return 1; }
wait_exit() {
  local d; d=$(dl "${1:-10}"); local end=$(( $(_now) + d * 1000000000 ))
  while (( $(_now) < end )); do [[ -s $EXITF ]] && { cat "$EXITF"; return 0; }; sleep 0.05; done
  echo "TIMEOUT: app still running" >&2; return 1; }
wait_lines() {  # wait_lines FILE N: FILE has at least N lines
  local d; d=$(dl "${3:-10}"); local end=$(( $(_now) + d * 1000000000 ))
  while (( $(_now) < end )); do
    (( $(wc -l < "$1" 2>/dev/null || echo 0) >= $2 )) && return 0; sleep 0.05; done
  return 1; }

pass=0 fail=0
check() { if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAILED: $*" >&2; fi; }
ok()    { pass=$((pass+1)); }
bad()   { fail=$((fail+1)); echo "FAILED: $*" >&2; }
on_screen() { [[ "$(screen)" == *"$1"* ]]; }
cursor_line() { screen | grep -m1 '▶' || true; }     # the Error cases row under the cursor
cursor_id() {  # the id of the case under the cursor: first token after the marker
  local l; l=$(cursor_line); l=${l#*▶}; read -r id _ <<< "$l"; echo "$id"; }
san_check() {  # after an exit: no sanitizer report in the app's stderr
  if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$EXITF.err" 2>/dev/null; then
    bad "sanitizer report:"; cat "$EXITF.err" >&2; fi; }
screen_line_with() { screen | grep -F -m1 -- "$1" || true; }

# ------------------------------------------------------------------------------------------
# Part 1: the explorer
D1="$WORK/explore"; mkdir -p "$D1"
cp "$SRC/samples/spam_predictions.csv" "$D1/"
CSV="$D1/spam_predictions.csv"; J="$CSV.tags.jsonl"
export USER=bbtester   # the default reviewer ($USER); --reviewer is passed anyway

start_app "$D1" 80 24 --reviewer bb spam_predictions.csv
check wait_for "2,419" 20          # header: rows selected / total (2,419 rows, README)
wait_stable 20 || true
T send-keys -t app E               # UI.md: E jumps to the Error cases pane
check wait_for "▶" 10
check wait_stable 10

# three tags on three different rows: 1 (mislabeled) on row 1, 2 (ambiguous) on row 2,
# 1 (mislabeled) on row 3 -- the default tag set, in order: mislabeled, ambiguous, ...
ID1=$(cursor_id)
T send-keys -t app 1
check wait_status 'tagged mislabeled \(saved\)'
T send-keys -t app j
wait_stable 5 || true
ID2=$(cursor_id)
T send-keys -t app 2
check wait_status 'tagged ambiguous \(saved\)'
T send-keys -t app j
wait_stable 5 || true
ID3=$(cursor_id)
T send-keys -t app 1
check wait_status 'tagged mislabeled \(saved\)'
echo "tagged: $ID1 (mislabeled), $ID2 (ambiguous), $ID3 (mislabeled + note)"
if [[ -z $ID1 || -z $ID2 || -z $ID3 || $ID1 == "$ID2" || $ID2 == "$ID3" || $ID1 == "$ID3" ]]; then
  bad "three different cases expected under the cursor, got '$ID1' '$ID2' '$ID3'"
fi
NOTE="second look needed"
T send-keys -t app n               # note prompt on ID3 (the cursor did not move)
sleep 0.2                          # (typing into a prompt that is still opening is fine: keys queue)
T send-keys -t app -l "$NOTE"
T send-keys -t app Enter
# the confirmation of the note: the status line says it was saved
check wait_status '[Nn]ote.*saved|saved.*[Nn]ote'
LINES_BEFORE_KILL=$(wc -l < "$J" 2>/dev/null || echo 0)
# 4 operations were confirmed: 3 adds and a note, one journal line each
check test "$LINES_BEFORE_KILL" -ge 4

# kill -9: no chance to flush anything that was not already on disk
PID=$(cat "$PIDF")
kill -9 "$PID"
check test "$(wait_exit 10)" = 137        # 128 + SIGKILL: the shell reports the kill

# the export: every confirmed tag and the note survived
EXPORT=$("$APP" tags "$CSV" --format csv 2>"$WORK/tags.err"); rc=$?
check test "$rc" = 0
line_of() { grep -F -- ",$1," <<< "$EXPORT" || true; }   # a CSV line is row,id,...
L1=$(line_of "$ID1"); L2=$(line_of "$ID2"); L3=$(line_of "$ID3")
[[ $L1 == *mislabeled* && $L1 != *ambiguous* ]] && ok || bad "export, $ID1 mislabeled: '$L1'"
[[ $L2 == *ambiguous* && $L2 != *mislabeled* ]] && ok || bad "export, $ID2 ambiguous: '$L2'"
[[ $L3 == *mislabeled* && $L3 == *"$NOTE"* ]] && ok || bad "export, $ID3 mislabeled + note: '$L3'"
check test "$(grep -c . <<< "$EXPORT")" = 4   # header + 3 rows

# reopen: the tags are on screen
start_app "$D1" 80 24 --reviewer bb spam_predictions.csv
check wait_for "2,419" 20
wait_stable 20 || true
T send-keys -t app E
check wait_for "$ID1" 10
wait_stable 10 || true
S1=$(screen_line_with "$ID1"); S2=$(screen_line_with "$ID2"); S3=$(screen_line_with "$ID3")
[[ $S1 == *mislabeled* ]] && ok || bad "after reopening, $ID1 shows no mislabeled: '$S1'"
[[ $S2 == *ambiguous* ]] && ok || bad "after reopening, $ID2 shows no ambiguous: '$S2'"
[[ $S3 == *mislabeled* ]] && ok || bad "after reopening, $ID3 shows no mislabeled: '$S3'"

# undo: a fourth row gets tag 3 (needs-context), then u. The manual: "a tag is undone by
# writing its inverse to the journal", so the journal grows by one line, op remove.
# (Undo across a restart is not specified, so the undone tag is made in this session.)
T send-keys -t app j j j
wait_stable 5 || true
ID4=$(cursor_id)
N0=$(wc -l < "$J")
T send-keys -t app 3
check wait_status 'tagged needs-context \(saved\)'
N1=$(wc -l < "$J")
check test "$N1" = $((N0 + 1))
EXP4=$("$APP" tags "$CSV" --format csv 2>/dev/null)
grep -F -- ",$ID4," <<< "$EXP4" | grep -q needs-context && ok || bad "export lacks $ID4 needs-context before undo"
T send-keys -t app u
wait_lines "$J" $((N1 + 1)) 10 || true
N2=$(wc -l < "$J")
check test "$N2" = $((N1 + 1))
LAST=$(tail -n 1 "$J")
[[ $LAST == *'"op":"remove"'* && $LAST == *needs-context* && $LAST == *"$ID4"* ]] && ok \
  || bad "the undo line is not the inverse remove of needs-context on $ID4: $LAST"
EXP5=$("$APP" tags "$CSV" --format csv 2>/dev/null)
grep -F -- ",$ID4," <<< "$EXP5" | grep -q needs-context && bad "export still has $ID4 needs-context after undo" || ok
# the three earlier tags are untouched by the undo
check test "$(grep -c . <<< "$EXP5")" = 4
check wait_status '[Uu]ndo|[Uu]ndone'

# dive into a confusion cell: C, one row down, Enter (UI.md: "dive: label == a && pred == b")
T send-keys -t app C
check wait_for "Confusion" 10
wait_stable 10 || true
T send-keys -t app j Enter
check wait_for "label ==" 10
wait_stable 10 || true
FILTER=$(screen | sed -n 2p)
if [[ $FILTER =~ label\ ==\ \"([a-z]+)\".*==\ \"([a-z]+)\" ]]; then
  CL=${BASH_REMATCH[1]}; CP=${BASH_REMATCH[2]}
  if [[ $CL == "$CP" ]]; then   # the cursor started elsewhere: pop and take the other column
    T send-keys -t app BSpace; wait_stable 10 || true
    T send-keys -t app l Enter; wait_stable 10 || true
    FILTER=$(screen | sed -n 2p)
    [[ $FILTER =~ label\ ==\ \"([a-z]+)\".*==\ \"([a-z]+)\" ]] && { CL=${BASH_REMATCH[1]}; CP=${BASH_REMATCH[2]}; }
  fi
else
  CL=; CP=
  bad "the filter line after a confusion dive names no label == a && prediction == b: '$FILTER'"
fi
# the cell's count, from the CSV itself. Records may span lines (body holds line breaks
# inside quotes, CRLF ends records: data README); a record is complete when its quotes are
# balanced. Every column after body (corpus_group ... prob_ham) is unquoted and comma-free,
# so label and prediction are found by counting fields from the end of the record's last line.
COUNTS=$(awk -v L="$CL" -v P="$CP" '
  NR == 1 { sub(/\r$/, ""); H = split($0, h, ",")
            for (i = 1; i <= H; i++) { if (h[i] == "label") li = i; if (h[i] == "prediction") pi = i }
            next }
  { q += gsub(/"/, "\""); if (q % 2) next; q = 0; sub(/\r$/, ""); n = split($0, f, ",")
    rows++; if (f[n - (H - li)] == L && f[n - (H - pi)] == P) c++ }
  END { print rows + 0, c + 0 }' "$CSV")
read -r NROWS CELL <<< "$COUNTS"
check test "$NROWS" = 2419        # the awk reads the file right (README: 2,419 rows)
HDR=$(screen | sed -n 1p)
SEL=
if [[ $HDR =~ ([0-9][0-9,]*)/2,419 ]]; then SEL=${BASH_REMATCH[1]//,/}
elif [[ $HDR =~ selected\ ([0-9][0-9,]*)\ of ]]; then SEL=${BASH_REMATCH[1]//,/}; fi
echo "confusion cell $CL -> $CP: $CELL rows by awk, header: $HDR"
[[ -n $CL && $SEL == "$CELL" ]] && ok || bad "header count '$SEL' != cell count $CELL ($CL -> $CP)"
# the cases pane shows that cell's errors only: each listed case reads "CL → CP"
if [[ -n $CL && $CL != "$CP" ]]; then
  T send-keys -t app E
  check wait_for "→" 10
  wait_stable 10 || true
  NCASE=$(screen | grep -c "→" || true)
  NGOOD=$(screen | grep -c "$CL → $CP" || true)
  (( NCASE > 0 && NCASE == NGOOD )) && ok || bad "cases pane: $NGOOD of $NCASE rows are $CL → $CP"
  # and when the pane title states a count, it is the cell's count (capped by nothing)
  TITLE=$(screen | grep -m1 "Error cases" || true)
  if [[ $TITLE =~ ([0-9][0-9,]*) ]]; then
    [[ ${BASH_REMATCH[1]//,/} == "$CELL" ]] && ok || bad "cases pane title '$TITLE' vs cell $CELL"
  fi
fi

# a bad filter at /: an error with a caret under the mistake, as the user types
T send-keys -t app /
sleep 0.2
T send-keys -t app -l 'body_length >> 3'
check wait_for "^" 10
SCR=$(screen)
PROMPT=$(grep -F -m1 'body_length >> 3' <<< "$SCR" || true)
CARET=$(grep -m1 '^ *\^' <<< "$SCR" || true)
if [[ -n $PROMPT && -n $CARET ]]; then
  pre=${CARET%%^*}; col=${#pre}
  ch=${PROMPT:$col:1}
  # "body_length >> 3": the mistake is the second '>' (an operator where a value belongs);
  # any caret under one of the two '>' is accepted
  [[ $ch == ">" ]] && ok || bad "caret at column $col is under '$ch', not under '>': $PROMPT / $CARET"
else
  bad "no prompt line with the text and a caret line: $SCR"
fi
T send-keys -t app Escape         # leave the prompt; the filter stack is unchanged
wait_stable 10 || true
[[ "$(screen | sed -n 2p)" == "$FILTER" ]] && ok || bad "the filter line changed after Esc"

# resize to 160x48: several panes at once (UI.md: wide terminals show several panes), the
# selection kept; then back to 80x24
T resize-window -t app -x 160 -y 48
check wait_stable 10
W=$(screen)
npanes=0
for t in Slices Heatmap Confusion Clusters "Error cases"; do [[ $W == *"$t"* ]] && npanes=$((npanes+1)); done
(( npanes >= 2 )) && ok || bad "160x48 shows $npanes panes: $W"
[[ $W == *"$CELL"* ]] && ok || bad "160x48 lost the selection count $CELL"
T resize-window -t app -x 80 -y 24
check wait_stable 10
N=$(screen)
(( $(wc -l <<< "$N") <= 24 )) && ok || bad "more than 24 lines after resizing back"
[[ "$(sed -n 2p <<< "$N")" == *"label =="* ]] && ok || bad "the filter was lost across resizes"
HDR=$(sed -n 1p <<< "$N")
commafy() { sed -E ':a;s/^([0-9]+)([0-9]{3})/\1,\2/;ta' <<< "$1"; }   # 1412 -> 1,412
[[ $HDR == *"$(commafy "$CELL")/"* || $HDR == *"selected $(commafy "$CELL") of"* ]] && ok \
  || bad "80x24 header after resizes does not show the selection $CELL: $HDR"

# q quits (on the main screen) with status 0
T send-keys -t app q
check test "$(wait_exit 15)" = 0
san_check
san_check

# ------------------------------------------------------------------------------------------
# Part 2: review mode
D2="$WORK/review"; mkdir -p "$D2"
cp "$SRC/samples/spam_predictions.csv" "$D2/"   # a fresh copy: no journal, nothing reviewed
CSV2="$D2/spam_predictions.csv"
RARGS=(review spam_predictions.csv --order loss --sample 5 --seed 3 --reviewer bb)
case_id() {  # the id of the case shown: the first id-like token "part:number" on screen
  screen | grep -oE '(easy-ham-[12]|hard-ham-1|spam-[12]):[0-9]{5}' | head -n1; }
case_loss() { screen | grep -oE 'loss [0-9.]+' | head -n1 | cut -d' ' -f2; }

start_app "$D2" 80 24 "${RARGS[@]}"
check wait_for "1 / 5" 20         # issue 6: shows "37 / 200"; 5 sampled, at the first
wait_stable 10 || true
R1=$(case_id); LOSS1=$(case_loss)
T send-keys -t app 1              # tag and advance
check wait_for "2 / 5" 10
wait_stable 10 || true
R2=$(case_id); LOSS2=$(case_loss)
T send-keys -t app Space          # skip case 2: it stays unreviewed
check wait_for "3 / 5" 10
wait_stable 10 || true
R3=$(case_id)
T send-keys -t app 2              # tag case 3
check wait_for "4 / 5" 10
echo "review queue: 1=$R1 (loss $LOSS1) 2=$R2 (loss $LOSS2) 3=$R3"
[[ -n $R1 && -n $R2 && -n $R3 && $R1 != "$R2" && $R2 != "$R3" ]] && ok || bad "queue cases '$R1' '$R2' '$R3'"
# --order loss: highest loss first
if [[ -n $LOSS1 && -n $LOSS2 ]]; then
  awk -v a="$LOSS1" -v b="$LOSS2" 'BEGIN { exit !(a + 0 >= b + 0) }' && ok || bad "loss order: $LOSS1 then $LOSS2"
fi
T send-keys -t app q
check test "$(wait_exit 15)" = 0
san_check
EXPR=$("$APP" tags "$CSV2" --format csv 2>/dev/null)
grep -F -- ",$R1," <<< "$EXPR" | grep -q mislabeled && ok || bad "review tag on $R1 not in the export"
grep -F -- ",$R3," <<< "$EXPR" | grep -q ambiguous && ok || bad "review tag on $R3 not in the export"
grep -qF -- ",$R2," <<< "$EXPR" && bad "skipped case $R2 was tagged" || ok

# reopen: the same seed gives the same queue, and it starts at its first case with neither a
# tag nor a note, which is case 2 (skipped), not case 4 (where the reviewer stopped)
start_app "$D2" 80 24 "${RARGS[@]}"
check wait_for " / 5" 20
wait_stable 10 || true
on_screen "2 / 5" && ok || bad "reopened review does not resume at 2 / 5: $(screen | sed -n 4,6p)"
[[ "$(case_id)" == "$R2" ]] && ok || bad "reopened review shows $(case_id), expected the skipped $R2"
T send-keys -t app q
check test "$(wait_exit 15)" = 0
san_check

# ------------------------------------------------------------------------------------------
# Part 3: toggling, one undo history for filters and tags, redo, another reviewer's tags,
# tagging in the case detail (issue 6, UI.md keys, man KEYS)
D3="$WORK/history"; mkdir -p "$D3"
cp "$SRC/samples/spam_predictions.csv" "$D3/"
CSV3="$D3/spam_predictions.csv"; J3="$CSV3.tags.jsonl"
jl() { wc -l < "$J3" 2>/dev/null || echo 0; }
start_app "$D3" 80 24 --reviewer bb spam_predictions.csv
check wait_for "2,419" 20
wait_stable 20 || true
T send-keys -t app E
check wait_for "▶" 10
wait_stable 10 || true
A=$(cursor_id)
T send-keys -t app 1
check wait_status 'tagged mislabeled \(saved\)'
# 1 again toggles the tag off ("keys 1-9 toggle"): one more journal line, op remove
n=$(jl)
T send-keys -t app 1
wait_lines "$J3" $((n + 1)) 10 || true
L=$(tail -n 1 "$J3")
[[ $(jl) == $((n + 1)) && $L == *'"op":"remove"'* && $L == *mislabeled* && $L == *"$A"* ]] && ok \
  || bad "toggling mislabeled off on $A did not append a remove: $L"
check wait_status 'saved'
"$APP" tags "$CSV3" --format csv 2>/dev/null | grep -qF -- ",$A," && bad "$A still exported after toggling off" || ok
T send-keys -t app 1                       # on again
check wait_status 'tagged mislabeled \(saved\)'
# one history: a dive after the tag; u undoes the dive first (journal untouched), then the tag
T send-keys -t app C
check wait_for "Confusion" 10
wait_stable 10 || true
T send-keys -t app j Enter
check wait_for "label ==" 10
wait_stable 10 || true
n=$(jl)
T send-keys -t app u
check wait_for "none: every row" 10 || true
[[ "$(screen | sed -n 1p)" == *"2,419/2,419"* || "$(screen | sed -n 1p)" == *"2,419 of 2,419"* ]] && ok \
  || bad "u after a dive did not undo the dive: $(screen | sed -n 1,2p)"
check test "$(jl)" = "$n"                  # undoing a filter writes nothing
T send-keys -t app u
wait_lines "$J3" $((n + 1)) 10 || true
L=$(tail -n 1 "$J3")
[[ $(jl) == $((n + 1)) && $L == *'"op":"remove"'* && $L == *"$A"* ]] && ok \
  || bad "second u did not undo the tag on $A: $L"
# Ctrl-R redoes it: an add line again
T send-keys -t app C-r
wait_lines "$J3" $((n + 2)) 10 || true
L=$(tail -n 1 "$J3")
[[ $(jl) == $((n + 2)) && $L == *'"op":"add"'* && $L == *mislabeled* && $L == *"$A"* ]] && ok \
  || bad "Ctrl-R did not redo the tag on $A: $L"
"$APP" tags "$CSV3" --format csv 2>/dev/null | grep -F -- ",$A," | grep -q mislabeled && ok \
  || bad "$A not mislabeled in the export after redo"

# another reviewer appends to the journal (same format, same fingerprint as our own lines);
# Ctrl-L re-reads the journal (man: redraw ... "the tag journal is read for other reviewers'
# operations"), so the second case shows the tag without restarting
T send-keys -t app E
wait_stable 10 || true
T send-keys -t app g j
wait_stable 10 || true
B=$(cursor_id)
FP=$(tail -n 1 "$J3" | grep -oE '"fp":"[^"]*"' | head -n1)
# its 1-based data row, from the report's worst list of a selection holding only that row
ROWB=$("$APP" report "$CSV3" --format json --levels 0 --clusters 0 --filter "msg_id == \"$B\"" 2>/dev/null \
  | tr -d ' \n' | grep -oE '"worst":\[\{"row":[0-9]+' | grep -oE '[0-9]+$')
[[ -n $ROWB ]] || { bad "cannot find the row of $B"; ROWB=0; }
printf '{"key":"id:%s","row":'"$ROWB"',"op":"add","tag":"model-error","note":null,"reviewer":"zoe","ts":"2026-01-02T10:00:00Z",%s}\n' \
  "$B" "$FP" >> "$J3"
T send-keys -t app C-l
check wait_for "model-error" 10
SB=$(screen_line_with "$B")
[[ $SB == *model-error* ]] && ok || bad "another reviewer's tag on $B not shown after Ctrl-L: '$SB'"

# tagging in the case detail: Enter opens it, 5 toggles data-issue, q closes it
T send-keys -t app j
wait_stable 10 || true
Cc=$(cursor_id)
T send-keys -t app Enter
wait_stable 10 || true
T send-keys -t app 5
check wait_status 'tagged data-issue \(saved\)'
T send-keys -t app q
check wait_for "▶" 10
"$APP" tags "$CSV3" --format csv 2>/dev/null | grep -F -- ",$Cc," | grep -q data-issue && ok \
  || bad "the tag made in the case detail on $Cc is not in the export"
T send-keys -t app q
check test "$(wait_exit 15)" = 0
san_check

# review without a terminal: status 2 (manual, EXIT STATUS)
"$APP" review "$CSV2" </dev/null >/dev/null 2>"$WORK/rv.err"; rc=$?
check test "$rc" = 2

echo "$pass passed, $fail failed"
(( fail == 0 ))
