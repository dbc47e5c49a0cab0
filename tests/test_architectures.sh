#!/bin/sh
# Every C block of docs/architectures.md is a whole program: compile it
# strictly, run it, and check that it learned (prints "learned", exit 0).
cd "$(dirname "$0")/.." || exit 1
CC=${CC:-cc}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '/^```c$/ { n++; f = dir "/arch" n ".c"; inside = 1; next }
                   /^```$/ { inside = 0; next }
                   inside { print > f }' docs/architectures.md
pass=0; fail=0
[ -f "$tmp/arch1.c" ] || { echo "FAIL - docs/architectures.md has no C block"; echo "0 passed, 1 failed"; exit 1; }
# rnn.h's implementation is compiled once (the same strict flags) and linked
# into each program, which is compiled with RNN_IMPLEMENTATION_DONE: its own
# "#define RNN_IMPLEMENTATION" then adds nothing (3.5 s less per program)
STRICT="-O2 -std=c99 -Wall -Wextra -pedantic -Werror -I."
printf '#define RNN_IMPLEMENTATION\n#include "rnn.h"\n' > "$tmp/impl.c"
if ! $CC $STRICT -c "$tmp/impl.c" -o "$tmp/impl.o" 2>"$tmp/log"; then
    echo "FAIL - rnn.h does not compile with $STRICT: $(head -c 300 "$tmp/log")"; echo "0 passed, 1 failed"; exit 1
fi
for src in "$tmp"/arch*.c; do
    what=$(head -1 "$src" | sed 's|^/\* *||; s| *\*/$||')
    if ! $CC $STRICT -DRNN_IMPLEMENTATION_DONE "$src" "$tmp/impl.o" -o "$src.bin" -lm 2>"$tmp/log"; then
        echo "FAIL - $what: does not compile: $(head -c 300 "$tmp/log")"; fail=$((fail+1)); continue
    fi
    out=$("$src.bin" 2>&1); st=$?
    if [ $st -eq 0 ] && echo "$out" | grep -q ": learned"; then echo "ok   - $what ($out)"; pass=$((pass+1))
    else echo "FAIL - $what: exit $st, printed: $out"; fail=$((fail+1)); fi
done
[ $((pass + fail)) -eq 5 ] || { echo "FAIL - expected 5 programs, found $((pass + fail))"; fail=$((fail+1)); }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
