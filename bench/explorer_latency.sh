#!/usr/bin/env bash
# Keystroke-to-screen latency of the explorer: opens FILE in tmux (120x40), and for each
# filter below types it at the / prompt and times from the Enter key to the moment the
# header shows the new selection, then the same for Backspace (pop). The clock runs outside
# the program, through tmux, so the figures include tmux's own key and screen handling
# (a few milliseconds: see the "noop" line, a key that changes nothing but the status line).
# Prints the explorer's memory (VmRSS and VmHWM) at the end.
# usage: bench/explorer_latency.sh FILE [BUILD_DIR]
set -euo pipefail
file=$1
build=${2:-build}
sock=fl-lat-$$
T() { tmux -L "$sock" "$@"; }
trap 'T kill-server 2>/dev/null || true' EXIT
ms() { local t=${EPOCHREALTIME/./}; echo $(( t / 1000 )); }
header() { T capture-pane -p -t lat | head -1; }
wait_header() { # waits until the first line matches $1 and no recompute is running
    local deadline=$(( $(ms) + 120000 ))
    while (( $(ms) < deadline )); do
        local h; h=$(header)
        if [[ $h =~ $1 ]] && ! T capture-pane -p -t lat | tail -1 | grep -q "recomput"; then
            return 0
        fi
        sleep 0.002
    done
    echo "timeout waiting for $1" >&2; return 1
}
T new-session -d -s lat -x 120 -y 40 "LANG=C.UTF-8 TERM=xterm-256color $build/faultline --clusters 0 --levels 0 $file"
t0=$(ms)
wait_header "selected ([0-9,]+) of \1 "
echo "open (load, analysis, first screen): $(( $(ms) - t0 )) ms"
pid=$(pgrep -n -f "faultline --clusters 0 --levels 0 $file")
filters=('cat_a == "a_1"' 'num_a > 150' 'text =~ /lumula/' 'ts >= 2024-06-01' 'error && cat_b != "b_0"')
for f in "${filters[@]}"; do
    T send-keys -t lat / ; sleep 0.2
    T send-keys -t lat -l "$f"; sleep 0.3
    before=$(header)
    t0=$(ms)
    T send-keys -t lat Enter
    while [[ "$(header)" == "$before" ]]; do sleep 0.001; done
    wait_header "selected"
    push=$(( $(ms) - t0 ))
    before=$(header)
    t0=$(ms)
    T send-keys -t lat BSpace
    while [[ "$(header)" == "$before" ]]; do sleep 0.001; done
    wait_header "selected ([0-9,]+) of \1 "
    echo "filter $f: push ${push} ms, pop $(( $(ms) - t0 )) ms"
done
t0=$(ms)
T send-keys -t lat j
sleep 0.05
echo "noop key round trip through tmux: about $(( $(ms) - t0 - 50 )) ms or less"
grep -E "VmRSS|VmHWM" /proc/"$pid"/status
T send-keys -t lat q
