#!/bin/sh
# docs/contributing.md says a new cell is three places in rnn.h: its two
# declarations, one row of the table of cells, its two functions. This takes
# the minimal gated unit of that page, adds it to a copy of rnn.h by exactly
# those three steps, and runs the cell, layer and checkpoint tests (which
# loop over the table) on the copy: the new cell must be gradient-checked,
# run by hand with the per-step functions, tried with every model option,
# and saved and loaded by name, with nothing else changed.
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { echo "ok   - $*"; pass=$((pass+1)); }
no() { echo "FAIL - $*"; fail=$((fail+1)); }
CC=${CC:-cc}
# the page's three blocks, each the ```c block after "<!-- add: NAME -->"
for part in declarations row functions; do
    awk -v want="$part" '$0 == "<!-- add: " want " -->" { on = 1; next }
         on == 1 && /^```c$/ { on = 2; next } on == 2 && /^```$/ { exit } on == 2 { print }' docs/contributing.md > "$tmp/$part"
    [ -s "$tmp/$part" ] || no "docs/contributing.md has no block <!-- add: $part -->"
done
awk -v decl="$tmp/declarations" -v row="$tmp/row" -v fns="$tmp/functions" '
    function cat(f,   l) { while ((getline l < f) > 0) print l; close(f) }
    index($0, "/* a new cell: its row above this line") { cat(row); n++ }
    /^\/\* >>deeper =/ { cat(fns); n++ }
    { print }
    $0 == "RNNDEF void rnn_lstm_backward(const rnn_cell_io *io);" { cat(decl); n++ }
    END { if (n != 3) exit 1 }' rnn.h > "$tmp/rnn.h" || no "the three places of docs/contributing.md are not all in rnn.h"
cp tests/harness.h "$tmp/"
for t in test_cells test_layers test_checkpoint; do
    sed 's|#include "\.\./rnn\.h"|#include "rnn.h"|' tests/$t.c > "$tmp/$t.c"
done
if $CC -std=c99 -Wall -Wextra -pedantic -O1 -I"$tmp" "$tmp/test_cells.c" -o "$tmp/test_cells" -lm 2> "$tmp/cc" && [ ! -s "$tmp/cc" ]; then
    ok "rnn.h with the minimal gated unit of docs/contributing.md compiles without warnings"
else no "rnn.h with the page's cell does not compile cleanly: $(head -c 400 "$tmp/cc")"; fi
$CC -std=c99 -O1 -I"$tmp" "$tmp/test_layers.c" -o "$tmp/test_layers" -lm 2>/dev/null
$CC -std=c99 -O1 -I"$tmp" "$tmp/test_checkpoint.c" -o "$tmp/test_checkpoint" -lm 2>/dev/null
for t in test_cells test_layers test_checkpoint; do
    if [ ! -x "$tmp/$t" ]; then no "$t does not build with the page's cell"; continue; fi
    ( cd "$tmp" && ./$t ) > "$tmp/$t.out" 2>&1
    mgu_ok=$(grep -c '^ok .*mgu' "$tmp/$t.out"); mgu_bad=$(grep -c '^FAIL .*mgu' "$tmp/$t.out")
    line=$(tail -n 1 "$tmp/$t.out")
    case "$t" in test_cells) want=7;; test_layers) want=16;; *) want=1;; esac
    if [ "$mgu_bad" -eq 0 ] && [ "$mgu_ok" -ge "$want" ] && echo "$line" | grep -q ' 0 failed$'; then
        ok "$t with the page's cell: $mgu_ok checks of the cell \"mgu\" pass, and all the rest ($line)"
    else no "$t with the page's cell: $mgu_ok checks of mgu pass, $mgu_bad fail; $line $(grep '^FAIL' "$tmp/$t.out" | head -n 3)"; fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
