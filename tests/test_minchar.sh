#!/bin/sh
# Builds examples/minchar.c (warning-free) and checks min-char-rnn in a short
# run on a text the test writes: the counts it prints, the smoothed loss
# starting at 25 ln V (a uniform guess over the 25 characters of a chunk)
# and falling, a sample of 200 characters every 100 updates, the same
# output for the same seed, and the errors (a missing file exit 1, a bad
# option exit 2; -h is --help).
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
build_example minchar

i=0
while [ $i -lt 200 ]; do
    echo "the cat sat on the mat and the dog sat on the log; a rat ran past the $i hats."
    i=$((i+1))
done >"$tmp/t.txt"
./build/minchar "$tmp/t.txt" --steps 801 >"$tmp/run" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "a short run exits 0" || no "a short run exited with $rc: $(tail -n 2 "$tmp/run")"
V=$(od -An -v -tu1 "$tmp/t.txt" | tr -s ' ' '\n' | grep -v '^$' | sort -u | wc -l | tr -d ' ')   # ASCII: a byte is a character
n=$(wc -c <"$tmp/t.txt" | tr -d ' ')
grep -q "^data has $n characters, $V unique\.$" "$tmp/run" && ok "it counts $n characters, $V unique" \
    || no "the counts: '$(head -n 1 "$tmp/run")' (want $n, $V)"
l0=$(sed -n 's/^iter 0, loss: //p' "$tmp/run"); l8=$(sed -n 's/^iter 800, loss: //p' "$tmp/run")
awk -v l="$l0" -v v="$V" 'BEGIN { w = 25 * log(v); exit !(l != "" && l - w < 0.01 && w - l < 0.01) }' \
    && ok "the smoothed loss starts at 25 ln V ($l0)" || no "the first loss is '$l0' (want 25 ln $V)"
awk -v a="$l0" -v b="$l8" 'BEGIN { exit !(b != "" && b < 0.75 * a) }' && ok "it falls: $l0 -> $l8 after 800 updates" \
    || no "the loss does not fall: $l0 -> '$l8'"
s=$(grep -c '^----$' "$tmp/run"); l=$(awk '/^----$/ { on = !on; next } on { print length($0) }' "$tmp/run" | sort -n | tail -n 1)
[ "$s" -eq 18 ] && ok "9 samples, one every 100 updates" || no "$s sample marks (want 18)"
./build/minchar "$tmp/t.txt" --steps 801 >"$tmp/again" 2>&1
cmp -s "$tmp/run" "$tmp/again" && ok "the same seed prints the same" || no "two runs differ"
./build/minchar "$tmp/t.txt" --steps 801 --seed 2 >"$tmp/other" 2>&1
cmp -s "$tmp/run" "$tmp/other" && no "seeds 1 and 2 print the same" || ok "another seed prints other samples"
./build/minchar "$tmp/none.txt" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot open" "$tmp/err" && ok "a missing text: exit 1, $(cat "$tmp/err")" || no "a missing text: exit $rc"
./build/minchar --steps 0 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "\-\-steps needs a whole number" "$tmp/err" && ok "a bad option: exit 2, $(cat "$tmp/err")" || no "--steps 0: exit $rc"
./build/minchar -h >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q "^  --steps" "$tmp/help" && ok "-h prints the options" || no "-h: exit $rc"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
