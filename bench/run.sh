#!/usr/bin/env bash
# The load-and-report benchmark: generates prediction files of 1,000,000 and (with --big)
# 10,000,000 rows in a scratch directory, then runs `faultline bench` on each and prints
# its JSON figures. Usage: bench/run.sh [--big] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
big=0; [[ "${1:-}" == "--big" ]] && { big=1; shift; }
build=${1:-build}
scratch=${BENCH_DIR:-/tmp/faultline-bench}
mkdir -p "$scratch"
sizes=(1000000); ((big)) && sizes+=(10000000)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
for n in "${sizes[@]}"; do
    f="$scratch/predictions_$n.csv"
    [[ -s $f ]] || "$build/gen_predictions" "$n" "$f" 42
    ls -l "$f" | awk '{printf "file: %s, %.0f MB\n", $9, $5 / 1e6}'
    sync; cat "$f" >/dev/null   # warm page cache: measure parsing, not the disk
    for run in 1 2 3; do "$build/faultline" bench --quiet "$f"; done
done
echo "error clustering, 100,000 generated error texts and 100,000 tabular error rows:"
"$build/cluster_bench" 100000
echo "tag journal, operations written and fsync'ed one by one, on the disk of this checkout:"
"$build/tag_bench" 2000 .
if command -v tmux >/dev/null; then
    echo "explorer keystroke-to-screen latency on the 1M-row file (through tmux):"
    bash bench/explorer_latency.sh "$scratch/predictions_1000000.csv" "$build"
fi
