#!/usr/bin/env bash
# Runs every test twice: in the optimised build (build/, with the valgrind checks) and in
# a build with AddressSanitizer and UndefinedBehaviorSanitizer (build-san/).
# Assumes .ci/setup.sh has run (the README's test command runs both).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
status=0
ctest --test-dir build --output-on-failure --no-tests=error -j2 || status=1
cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSANITIZE=address,undefined >/dev/null
cmake --build build-san
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-san --output-on-failure --no-tests=error -j2 || status=1
if ((status == 0)); then echo "all tests passed in both builds"; else echo "TESTS FAILED"; fi
exit $status
