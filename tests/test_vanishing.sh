#!/bin/sh
# Builds examples/vanishing.c (warning-free) and checks, in small fast runs,
# what the lab must show and how it must fail: the LSTM with forget-gate
# bias 3 keeps more gradient 50 steps from the loss than the tanh RNN and
# than the LSTM with bias 0 (as measured by the program itself); it learns
# the long-memory task where the tanh RNN stays at chance; the picture is a
# PNG; a seed gives the same table twice; bad options exit 2 with a message;
# a diverging run stops with exit 1.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

build_example vanishing
V=${VANISHING:-./build/vanishing}   # another build (e.g. with sanitizers) may be tested the same way

# --help comes from the option table
$V --help >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "--help exits 0" || no "--help exited with $rc"
missing=""
for o in --cells --T --symbols --distractors --hidden --seeds --seed --steps --batch --measure \
         --lr --w-scale --clip --images --png --no-images --quiet --help; do
    grep -q -- "^  $o " "$tmp/help" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help lists every option" || no "--help does not list:$missing"

# bad options: one line on stderr, exit status 2
bad() { # expected words in the message, then the arguments
    words=$1; shift
    $V "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$words" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
        ok "vanishing $* exits 2: $(cat "$tmp/err")"
    else no "vanishing $* exited with $rc, message '$(head -c 200 "$tmp/err")'"; fi
}
bad "unknown option" --bogus
bad "needs a whole number" --T 1
bad "needs a whole number" --hidden 2.5
bad "needs a number" --lr fast
bad "lacks its value" --steps
bad "takes no value" --quiet=yes
bad "unknown cell 'lstm2'" --cells tanh,lstm2
bad "has no forget gate" --cells tanh:3
bad "forget-gate bias of 'lstm'" --cells lstm:x
bad "names no cell" --cells ,

# at initialisation only (no training): the long-memory property
$V --cells tanh,gru,lstm:0,lstm:3 --T 60 --hidden 16 --seeds 2 --steps 0 --measure 1 --no-images >"$tmp/init" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "an initialisation-only run exits 0" || no "the initialisation-only run exited with $rc: $(tail -n 2 "$tmp/init")"
# the value of column "d=50" in the row of a cell, in table $2 (1: at initialisation, 2: after training)
col() { awk -v cell="$1" -v which="$2" '
    /^cell .*d=/ { tab++; for (i = 1; i <= NF; i++) if ($i == "d=50") c = i }   # rows have the fields of the header
    tab == which && $1 == cell && c { print $c; exit }' "$3"; }
t50=$(col tanh 1 "$tmp/init"); l0=$(col lstm:0 1 "$tmp/init"); l3=$(col lstm:3 1 "$tmp/init")
if [ -n "$t50" ] && [ -n "$l3" ] && awk -v a="$l3" -v b="$t50" 'BEGIN { exit !(a + 0 > b + 0) }'; then
    ok "at initialisation g(50) of the LSTM with forget bias 3 ($l3) exceeds the tanh RNN's ($t50)"
else no "g(50) at initialisation: lstm:3 '$l3', tanh '$t50' (want lstm:3 larger)"; fi
if [ -n "$l0" ] && [ -n "$l3" ] && awk -v a="$l3" -v b="$l0" 'BEGIN { exit !(a + 0 > 1000 * b) }'; then
    ok "at initialisation g(50) of the LSTM with forget bias 3 ($l3) is over 1000 times bias 0's ($l0)"
else no "g(50) at initialisation: lstm:3 '$l3', lstm:0 '$l0' (want a factor over 1000)"; fi
grep -q "^after" "$tmp/init" && no "--steps 0 still printed an 'after training' table" \
                             || ok "--steps 0 measures the initialisation only"

# a short training: the LSTM with bias 3 learns to remember the key, the tanh RNN does not
$V --cells tanh,lstm:3 --T 60 --hidden 16 --seeds 1 --steps 250 --measure 2 --images "$tmp" >"$tmp/run" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "a short training run exits 0" || no "the short training run exited with $rc: $(tail -n 2 "$tmp/run")"
acc() { awk -v cell="$1" -v which="$2" '/^cell .*d=/ { tab++ } tab == which && $1 == cell { print $2; exit }' "$tmp/run"; }
a3=$(acc lstm:3 2); at=$(acc tanh 2)
awk -v a="$a3" 'BEGIN { exit !(a != "" && a + 0 >= 0.8) }' && ok "after 250 updates the LSTM (bias 3) names the key of 60 steps before ($a3 right)" \
    || no "after 250 updates the LSTM (bias 3) has accuracy '$a3' (want >= 0.8)"
awk -v a="$at" 'BEGIN { exit !(a != "" && a + 0 <= 0.5) }' && ok "after 250 updates the tanh RNN is near chance ($at right, chance 0.25)" \
    || no "after 250 updates the tanh RNN has accuracy '$at' (want <= 0.5)"
sig=$(od -An -tx1 -N8 "$tmp/vanishing_gradient.png" 2>/dev/null | tr -d ' \n')
[ "$sig" = 89504e470d0a1a0a ] && ok "vanishing_gradient.png is written and is a PNG" || no "vanishing_gradient.png is missing or not a PNG"
: > "$tmp/file"
$V --cells tanh --T 10 --seeds 1 --steps 0 --measure 1 --images "$tmp/file/dir" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot make the directory" "$tmp/err" && ok "an unwritable picture is an error (exit 1)" \
              || no "an unwritable picture gave exit $rc, '$(head -c 200 "$tmp/err")'"
# exploding weights and a huge learning rate without clipping: the run stops with a message, exit 1
$V --cells relu --T 20 --hidden 8 --seeds 1 --steps 200 --measure 1 --w-scale 3 --lr 1 --clip 1e9 --no-images --quiet \
    >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "training diverged at update" "$tmp/err" && ok "a diverging run stops (exit 1): $(head -c 140 "$tmp/err")" \
              || no "a diverging run: exit $rc, '$(head -c 200 "$tmp/err")'"

# deterministic: the same seed gives the same tables; another seed does not
set -- --cells gru,lstm:1 --T 30 --hidden 8 --seeds 1 --steps 30 --measure 1 --no-images --quiet
$V "$@" --seed 5 | grep -v '^time:' >"$tmp/a"; $V "$@" --seed 5 | grep -v '^time:' >"$tmp/b"
$V "$@" --seed 6 | grep -v '^time:' >"$tmp/c"
cmp -s "$tmp/a" "$tmp/b" && ok "two runs with the same seed print the same tables" || no "two runs with the same seed differ"
cmp -s "$tmp/a" "$tmp/c" && no "seeds 5 and 6 print the same tables" || ok "another seed gives other numbers"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
