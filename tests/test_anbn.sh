#!/bin/sh
# Builds examples/anbn.c (warning-free) and checks what it must show, in a
# shortened run with fixed seeds: the peephole LSTM and the LSTM learn the
# training range n = 1..11 and accept strings past n = 18, the simple RNN
# does not; the table and both pictures are written; a run is deterministic;
# --help comes from the option table and bad options exit with status 2.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

build_example anbn

# --help lists every option of the table, and the parser takes each of them
./build/anbn --help >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "--help exits 0" || no "--help exited with $rc"
missing=""
for o in --cells --seeds --seed --train-max --paper --test-max --hidden --steps --lr --clip \
         --forget-bias --stop-at-fit --full --state-n --images --no-images --quiet --help; do
    grep -q -- "^  $o" "$tmp/help" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help lists every option" || no "--help does not list:$missing"

# bad options: a clear message on stderr and exit status 2
bad() { # expected words in the message, then the arguments
    words=$1; shift
    ./build/anbn "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$words" "$tmp/err"; then ok "anbn $* exits 2: $(head -n 1 "$tmp/err")"
    else no "anbn $* exited with $rc, message '$(head -c 200 "$tmp/err")'"; fi
}
bad "unknown option" --bogus
bad "needs a whole number" --seeds 0
bad "needs a number" --lr fast
bad "lacks its value" --steps
bad "unknown cell 'lstm2'" --cells tanh,lstm2
bad "takes no value" --paper=yes
bad "must be at least" --train-max 50 --test-max 40
bad "but --train-max says 11" --paper --train-max 11

# the shortened experiment: 3 seeds of three cells, 30000 updates, every n up to 1000
./build/anbn --cells tanh,lstm,peephole --seeds 3 --steps 30000 --state-n 200 --images "$tmp" >"$tmp/run" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "the shortened run exits 0" || no "the shortened run exited with $rc: $(tail -n 3 "$tmp/run")"
# a run's line: cell seed S fit yes|no 12..18 K/7 N n ...
field() { awk -v c="$1" -v s="$2" -v f="$3" '$1 == c && $2 == "seed" && $3 == s { print $f }' "$tmp/run"; }
fit=$(field peephole 1 5); N=$(field peephole 1 9)
if [ "$fit" = yes ] && [ -n "$N" ] && [ "$N" -gt 18 ]; then
    ok "the peephole LSTM of seed 1 fits n = 1..11 and accepts every n up to $N (> 18)"
else no "the peephole LSTM of seed 1: fit '$fit', N '$N' (want yes and > 18)"; fi
fit=$(field lstm 1 5); N=$(field lstm 1 9)
if [ "$fit" = yes ] && [ -n "$N" ] && [ "$N" -gt 18 ]; then
    ok "the LSTM of seed 1 fits n = 1..11 and accepts every n up to $N (> 18)"
else no "the LSTM of seed 1: fit '$fit', N '$N' (want yes and > 18)"; fi
all=$(awk '($1 == "lstm" || $1 == "peephole") && $2 == "seed" && $5 == "yes" && $7 == "7/7"' "$tmp/run" | wc -l)
[ "$all" -ge 4 ] && ok "most LSTM and peephole runs ($all of 6) fit n = 1..11 and accept every n = 12..18" \
                 || no "only $all of the 6 LSTM and peephole runs fit and accept every n = 12..18 (want most)"
tanh=$(awk '$1 == "tanh" && $2 == "seed" && $7 == "7/7"' "$tmp/run" | wc -l)
runs=$(awk '$1 == "tanh" && $2 == "seed"' "$tmp/run" | wc -l)
[ "$runs" -eq 3 ] && [ "$tanh" -eq 0 ] && ok "no simple RNN run accepts every n = 12..18" \
                 || no "$tanh of $runs simple RNN runs accept every n = 12..18 (want 0 of 3)"
for row in "simple RNN" "LSTM" "peephole LSTM"; do
    grep -q "^$row  *[0-9]*/3 " "$tmp/run" && ok "the table has a row for the $row" || no "the table has no row for the $row"
done
for p in anbn_accept.png anbn_state.png; do
    sig=$(od -An -tx1 -N8 "$tmp/$p" 2>/dev/null | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] && ok "$p is written and is a PNG" || no "$p is missing or not a PNG"
done
: > "$tmp/file"
./build/anbn --cells lstm --seeds 1 --steps 100 --test-max 20 --images "$tmp/file/dir" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot make the directory" "$tmp/err" && ok "an unwritable picture is an error (exit 1)" \
              || no "an unwritable picture gave exit $rc, '$(head -c 200 "$tmp/err")'"

# deterministic: the same seed gives the same numbers
set -- --cells gru,peephole --seeds 1 --seed 7 --steps 3000 --test-max 60 --no-images --quiet
./build/anbn "$@" | grep -v '^time:' >"$tmp/a"; ./build/anbn "$@" | grep -v '^time:' >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" && ok "two runs with the same seed print the same table" || no "two runs with the same seed differ"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
