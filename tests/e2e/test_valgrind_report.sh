#!/usr/bin/env bash
# The engine is leak-free and reads no uninitialised memory: the whole report pipeline on
# every sample, under valgrind. Skipped in sanitizer builds (the two tools do not mix).
set -euo pipefail
: "${FAULTLINE:?path of the faultline binary}" "${FL_SOURCE_DIR:?source tree}"
if [[ "${FL_SANITIZE:-}" != "" ]]; then echo "0 passed, 0 failed, 1 skipped: sanitizer build"; exit 0; fi
if ! command -v valgrind >/dev/null; then echo "valgrind missing" >&2; exit 1; fi
pass=0 fail=0
for f in "$FL_SOURCE_DIR"/samples/*.csv; do
    for fmt in md json; do
        log=$(mktemp)
        if valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
            --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
            --log-file="$log" "$FAULTLINE" report --quiet --format "$fmt" "$f" >/dev/null; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1)); echo "FAILED: valgrind on $(basename "$f") --format $fmt" >&2
            cat "$log" >&2
        fi
        rm -f "$log"
    done
done
echo "$pass passed, $fail failed"
((fail == 0))
