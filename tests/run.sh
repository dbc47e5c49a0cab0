#!/bin/sh
# Runs every test program given on the command line, JOBS at a time (default:
# the number of cores), shows their outputs in the order given, each headed
# by its name and how long it took, and ends with the suite's closing line
# "N passed, N failed" (the sum of theirs).
# Exits non-zero if any check failed or any program crashed.
# The programs must not write to the same files: each test keeps its files
# in its own mktemp folder or under a name of its own in build/.
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)}
case $jobs in ''|*[!0-9]*|0) jobs=1;; esac
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
trap 'exit 130' INT TERM

# one program: its output in $out/N.out, its exit status and seconds in $out/N.done
run_one() { # N program
    s=$(date +%s)
    ./"$2" > "$out/$1.out" 2>&1; rc=$?
    echo "$rc $(( $(date +%s) - s ))" > "$out/$1.tmp" && mv "$out/$1.tmp" "$out/$1.done"
}

passed=0; failed=0; skipped=0; status=0
report() { # N program: its part of the suite's output and sums
    read -r rc secs < "$out/$1.done"
    echo "== $2 ($secs s)"
    grep -v '^[0-9]* passed, [0-9]* failed' "$out/$1.out"
    line=$(grep '^[0-9]* passed, [0-9]* failed' "$out/$1.out" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL - $2 ended without its closing line (exit status $rc)"; failed=$((failed+1)); status=1; return
    fi
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    case "$line" in *skipped*) s=${line#*failed, }; s=${s%% skipped*}; skipped=$((skipped+s));; esac
    passed=$((passed+p)); failed=$((failed+f))
    [ "$rc" -ne 0 ] && status=1
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && { echo "FAIL - $2 exited with status $rc"; failed=$((failed+1)); }
}

# start the programs, at most $jobs running; report each one, in order, as
# soon as it and every one before it have ended
n=$#; started=0; shown=0; running=0
while [ $shown -lt $n ]; do
    while [ $running -lt "$jobs" ] && [ $started -lt $n ]; do
        started=$((started+1)); eval "prog=\${$started}"
        run_one $started "$prog" &
        running=$((running+1))
    done
    next=$((shown+1))
    if [ -f "$out/$next.done" ]; then
        eval "prog=\${$next}"; report $next "$prog"; shown=$next
        continue
    fi
    sleep 0.2
    running=0; i=1
    while [ $i -le $started ]; do [ -f "$out/$i.done" ] || running=$((running+1)); i=$((i+1)); done
done
wait
if [ $skipped -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"
else echo "$passed passed, $failed failed"; fi
exit $status
