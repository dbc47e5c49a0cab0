#!/bin/sh
# Runs every test program given on the command line, shows their output, and
# ends with the suite's closing line "N passed, N failed" (the sum of theirs).
# Exits non-zero if any check failed or any program crashed.
passed=0; failed=0; skipped=0; status=0
for t in "$@"; do
    echo "== $t"
    out=$(./"$t" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v '^[0-9]* passed, [0-9]* failed'
    line=$(printf '%s\n' "$out" | grep '^[0-9]* passed, [0-9]* failed' | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL - $t ended without its closing line (exit status $rc)"; failed=$((failed+1)); status=1; continue
    fi
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    case "$line" in *skipped*) s=${line#*failed, }; s=${s%% skipped*}; skipped=$((skipped+s));; esac
    passed=$((passed+p)); failed=$((failed+f))
    [ "$rc" -ne 0 ] && status=1
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && { echo "FAIL - $t exited with status $rc"; failed=$((failed+1)); }
done
if [ $skipped -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"
else echo "$passed passed, $failed failed"; fi
exit $status
