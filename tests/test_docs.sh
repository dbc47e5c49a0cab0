#!/bin/sh
# The docs cannot point at nothing, and the README's quick start is real code:
# every relative link of README.md and docs/**/*.md names a file of the
# repository; the quick start compiles strictly, trains, and reaches a small loss.
cd "$(dirname "$0")/.." || exit 1
CC=${CC:-cc}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0; docs=0; bad=0
for md in README.md docs/*.md docs/guide/*.md; do
    [ -f "$md" ] || continue
    dir=$(dirname "$md")
    broken=""
    # links written ](target) or ](target#anchor), not http(s) and not pure anchors
    for target in $(grep -o '](\([^)#: ]*\)[)#]' "$md" | sed 's/^](//; s/[)#]$//' | sort -u); do
        [ -n "$target" ] || continue
        [ -e "$dir/$target" ] || broken="$broken $target"
    done
    docs=$((docs+1))
    if [ -n "$broken" ]; then echo "FAIL - $md links to missing files:$broken"; bad=$((bad+1)); fi
done
if [ $bad -eq 0 ]; then echo "ok   - $docs documents: every relative link names a file that exists"; pass=$((pass+1))
else fail=$((fail+1)); fi
# the quick start: the first C block of README.md, inside a main that checks the loss
awk '/^```c$/ { if (!done) on = 1; next } /^```$/ { if (on) { on = 0; done = 1 } next } on' README.md > "$tmp/body.c"
{
    printf '#define RNN_IMPLEMENTATION\n#include "rnn.h"\n#include <stdio.h>\nint main(void)\n{\n'
    cat "$tmp/body.c"
    printf 'printf("%%f\\n", (double)loss);\nreturn !(loss < 0.05);\n}\n'
} > "$tmp/quick.c"
lines=$(wc -l < "$tmp/body.c")
if $CC -std=c99 -Wall -Wextra -pedantic -Werror -I. "$tmp/quick.c" -o "$tmp/quick" -lm 2> "$tmp/log" && out=$("$tmp/quick"); then
    echo "ok   - the README's quick start ($lines lines) compiles with -Werror and trains the hello model to loss $out"; pass=$((pass+1))
else
    echo "FAIL - the README's quick start: $(head -c 400 "$tmp/log") ${out:-}"; fail=$((fail+1))
fi
[ "$lines" -le 20 ] && { echo "ok   - the quick start is at most 20 lines"; pass=$((pass+1)); } || { echo "FAIL - the quick start is $lines lines (at most 20)"; fail=$((fail+1)); }
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
