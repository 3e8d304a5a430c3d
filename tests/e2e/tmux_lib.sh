# tmux_lib: what the explorer's end-to-end scripts share, sourced after they set SOCK (the
# private server's name). A private tmux server with a plain configuration in a temporary
# WORK directory (removed with the server on exit), the screen of the window "app", waits
# that poll the screen against a deadline (scaled by SLOW under sanitizers, never fixed
# sleeps for results), and check/pass/fail counting.
# Needs FAULTLINE (the binary) and FL_SOURCE_DIR; the caller skips when tmux is missing.
: "${FAULTLINE:?FAULTLINE must name the faultline binary}"
: "${FL_SOURCE_DIR:?FL_SOURCE_DIR must name the source tree}"
FAULTLINE="$(realpath "$FAULTLINE")"
SLOW=1
[[ -n "${FL_SANITIZE:-}" ]] && SLOW=6 # sanitizer builds run several times slower

WORK="$(mktemp -d)"
CONF="$WORK/tmux.conf"
EXITF="$WORK/exit" # the program's exit status appears here when it ends
printf '%s\n' 'set -g remain-on-exit on' 'set -g status off' 'set -g exit-empty off' \
    'set -g default-terminal tmux-256color' 'set -g escape-time 0' >"$CONF"
T() { tmux -L "$SOCK" -f "$CONF" "$@"; }
trap 'T kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT

# tmux_start COLS ROWS COMMAND: runs COMMAND (a shell string) in the window "app" of the work
# directory, in a UTF-8 xterm-256color terminal, with its stderr in $EXITF.err and its exit
# status in $EXITF once it ends.
tmux_start() {
    local c=$1 r=$2
    rm -f "$EXITF"
    T kill-session -t app 2>/dev/null || true
    T new-session -d -s app -c "$WORK" -x "$c" -y "$r" \
        "env -u COLUMNS -u LINES XDG_CONFIG_HOME='$WORK/cfg' LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color ESCDELAY=25 $3 2>'$EXITF.err'; echo \$? >'$EXITF.tmp' && mv '$EXITF.tmp' '$EXITF'"
}
screen() { T capture-pane -p -t app "$@"; }
_now() { date +%s%N; }
wait_for() { # wait_for TEXT [SECONDS]
    local dl=$(($(_now) + ${2:-5} * SLOW * 1000000000)) s
    while (($(_now) < dl)); do
        s="$(screen)"
        [[ $s == *"$1"* ]] && return 0
        sleep 0.05
    done
    echo "TIMEOUT waiting for: $1" >&2
    screen >&2
    return 1
}
wait_exit() { # prints the exit status once the program has ended
    local dl=$(($(_now) + ${1:-5} * SLOW * 1000000000))
    while (($(_now) < dl)); do
        [[ -s $EXITF ]] && {
            cat "$EXITF"
            return 0
        }
        sleep 0.05
    done
    echo "TIMEOUT: faultline is still running" >&2
    return 1
}
keys() { T send-keys -t app "$@"; }
pass=0 fail=0
check() {
    if "$@"; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAILED: $*" >&2
    fi
}
on_screen() { [[ "$(screen)" == *"$1"* ]]; }
