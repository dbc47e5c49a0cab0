#!/bin/sh
# Builds examples/seq2seq.c (warning-free) and checks it in short runs: a
# teacher-forced encoder-decoder learns most held-out dates in 400 updates,
# beam search is at least about as good as greedy, exact match under teacher
# forcing equals greedy exact match, --translate works and refuses unknown
# words, the three ways of training give different models from the same
# batches, runs are deterministic, pictures are written, bad options exit 2.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

build_example seq2seq
S=./build/seq2seq

$S --help >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "--help exits 0" || no "--help exited with $rc"
missing=""
for o in --lang --mode --cell --embed --hidden --layers --batch --steps --lr --clip --eval-every --beam \
         --errors-at --test --dev --reverse-source --seed --translate --images --no-images --quiet --help; do
    grep -q -- "^  $o" "$tmp/help" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help lists every option" || no "--help does not list:$missing"

bad() { words=$1; code=$2; shift 2
    $S "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq "$code" ] && grep -q -- "$words" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 2 ]; then
        ok "seq2seq $* exits $code: $(head -n 1 "$tmp/err")"
    else no "seq2seq $* exited with $rc, message '$(head -c 200 "$tmp/err")'"; fi
}
bad "unknown option" 2 --bogus
bad "must be en, es or both" 2 --lang fr
bad "must be teacher, free, none or all" 2 --mode greedy
bad "must be tanh, relu, gru_simple, gru, lstm or peephole" 2 --cell rnn
bad "needs a whole number from 1 to 64" 2 --beam 0
bad "leave too few" 2 --test 20000 --dev 20000
bad "must be a multiple of --eval-every 100" 2 --errors-at 150
# a typo in --translate is found before any training (the default 1500 updates would take a minute)
bad "unknown word 'quatorze'" 2 --test 10 --dev 10 --mode teacher --no-images --translate "quatorze juillet"
grep -q "training with" "$tmp/out" && no "--translate's typo was found only after training" || ok "--translate's typo is found before training"

# a short teacher-forced run learns most held-out dates
$S --mode teacher --steps 400 --test 200 --dev 50 --images "$tmp" \
   --translate "march fifth, two thousand twenty-four" >"$tmp/run" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "the short run exits 0" || no "the short run exited with $rc: $(tail -n 3 "$tmp/run")"
row=$(grep '^  teacher forcing  *[0-9.]*%  *[0-9.]*%' "$tmp/run")
g=$(printf '%s\n' "$row" | awk '{ sub("%", "", $3); print $3 }')
b=$(printf '%s\n' "$row" | awk '{ sub("%", "", $4); print $4 }')
awk -v g="$g" 'BEGIN { exit !(g != "" && g >= 50) }' && ok "after 400 updates, greedy exact match on 400 held-out dates is $g% (>= 50%)" \
    || no "greedy exact match after 400 updates is '$g' (want >= 50)"
awk -v g="$g" -v b="$b" 'BEGIN { exit !(b != "" && b >= g - 1) }' && ok "beam search ($b%) is not worse than greedy ($g%) by more than a point" \
    || no "beam '$b' vs greedy '$g'"
grep -q "exact match under teacher forcing [0-9.]*%: the greedy number, as it must be" "$tmp/run" \
    && ok "exact match under teacher forcing equals greedy exact match" || no "teacher-forced and greedy exact match differ"
grep -q "^  teacher forcing  greedy [0-9-]*   beam [0-9-]*$" "$tmp/run" \
    && ok "--translate prints greedy and beam: $(grep '^  teacher forcing  greedy' "$tmp/run" | sed 's/^  teacher forcing  //')" \
    || no "--translate printed nothing usable"
grep -q "source: 117 words" "$tmp/run" && ok "the source vocabulary has the 117 words of both languages" \
    || no "source vocabulary: $(grep '^source' "$tmp/run")"
for p in seq2seq_curves.png seq2seq_errors.png; do
    sig=$(od -An -tx1 -N8 "$tmp/$p" 2>/dev/null | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] && ok "$p is written and is a PNG" || no "$p is missing or not a PNG"
done

# the three ways of training, tiny: deterministic, and different from each other
set -- --steps 30 --test 20 --dev 10 --hidden 16 --eval-every 10 --no-images --lang es
$S "$@" >"$tmp/a1" 2>&1; rc1=$?; $S "$@" >"$tmp/a2" 2>&1
grep -v 's CPU' "$tmp/a1" | grep -v '^time:' >"$tmp/b1"; grep -v 's CPU' "$tmp/a2" | grep -v '^time:' >"$tmp/b2"
[ $rc1 -eq 0 ] && cmp -s "$tmp/b1" "$tmp/b2" && ok "two runs with the same seed print the same numbers" || no "two runs with the same seed differ (exit $rc1)"
grep -q "dates 1900-01-01 .. 2099-12-31 in Spanish" "$tmp/a1" && ok "--lang es: Spanish only" || no "--lang es: $(grep '^task' "$tmp/a1")"
l1=$(awk '/^training with teacher/ { f = 1 } f && /update    30/ { print $4; exit }' "$tmp/a1")
l2=$(awk '/^training with own/ { f = 1 } f && /update    30/ { print $4; exit }' "$tmp/a1")
l3=$(awk '/^training with no feedback/ { f = 1 } f && /update    30/ { print $4; exit }' "$tmp/a1")
[ -n "$l1" ] && [ -n "$l2" ] && [ -n "$l3" ] && [ "$l1" != "$l2" ] && [ "$l2" != "$l3" ] && [ "$l1" != "$l3" ] \
    && ok "teacher forcing, own predictions and no feedback train differently from the same batches (loss $l1, $l2, $l3)" \
    || no "the three ways of training: losses '$l1' '$l2' '$l3'"
: > "$tmp/file"
$S --steps 1 --test 10 --dev 10 --mode free --images "$tmp/file/dir" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot make the directory" "$tmp/err" && ok "an unwritable picture is an error (exit 1)" \
    || no "an unwritable picture gave exit $rc, '$(head -c 200 "$tmp/err")'"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
