#!/bin/sh
# Builds examples/charlm.c (warning-free) and checks it on a tiny corpus the
# test writes itself: UTF-8 (multi-byte code points read and written back,
# bad bytes refused), the errors (empty file, too small, bad checkpoint, bad
# options), the n-gram perplexities against counts done here in awk, that
# the loss goes down, that the CSV and the pictures are written, that a run
# stopped and resumed ends in the same checkpoint, byte for byte, as one that
# never stopped, and the sampling modes: temperature -> 0 is greedy, a beam
# of 1 is greedy, top-k never writes a character outside the top k, the
# priming text and the stop string.
# CFLAGS_EXTRA adds flags (e.g. -fsanitize=address,undefined).
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
bin=build/charlm_test

build_example charlm "${CFLAGS_EXTRA:-}" "$bin"

# --help lists every option of the table
$bin --help >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "--help exits 0" || no "--help exited with $rc"
missing=""
for o in --text --cell --layers --hidden --embed --dropout --dropout-input --dropout-recurrent --seq --batch --steps --optim --lr --lr-decay --momentum --clip \
         --val --seed --eval-every --print-every --save-every --checkpoint --log --images --no-images \
         --resume --ngram --ngram-k --ngram-lambda --sample --length --temperature --top-k --greedy --beam \
         --prime --stop --sample-seed --trace --draw --units --passage --analyse --help; do
    grep -q -- "^  $o" "$tmp/help" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help lists every option" || no "--help does not list:$missing"

# a one-line error, exit status $1, the message containing $2
err() {
    want=$1; words=$2; shift 2
    $bin "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq "$want" ] && grep -q -- "$words" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 2 ]; then
        ok "charlm $* exits $want: $(head -n 1 "$tmp/err")"
    else no "charlm $* exited with $rc, message '$(head -c 200 "$tmp/err")'"; fi
}
err 2 "unknown option" --bogus
err 2 "needs a whole number" --hidden 0
err 2 "\-\-cell must be tanh, relu, gru_simple, gru, lstm or peephole, not 'lstm2'" --cell lstm2
err 2 "\-\-optim must be adam, rmsprop, adagrad or sgd, not 'adamw'" --optim adamw
err 2 "different modes" --sample --draw
err 2 "no --top-k, --greedy or --temperature with it" --sample --beam 3 --temperature 0.5
err 1 "cannot open" "$tmp/no_such_file.txt"

# the tiny corpus: C-like lines with multi-byte characters (2, 3 and 4 bytes)
i=0
while [ $i -lt 60 ]; do
    printf 'int f%d(int x) { return x + %d; } /* é中😀 */\n' $((i % 7)) $((i % 5))
    i=$((i+1))
done >"$tmp/c.txt"
# its vocabulary, counted by hand: i n t f, 0-6, ( x ) {, r e u, + ; }, / *, é 中 😀, space, newline
V_want=28
bytes=$(wc -c <"$tmp/c.txt" | tr -d ' ')
# code points: every byte that is not a continuation byte 10xxxxxx
chars=$(od -An -v -tu1 "$tmp/c.txt" | awk '{ for (i = 1; i <= NF; i++) if ($i < 128 || $i >= 192) n++ } END { print n }')

: >"$tmp/empty.txt"
err 1 "is empty" "$tmp/empty.txt"
printf 'abc\377def\n' >"$tmp/bad1.txt"
err 1 "not valid UTF-8: byte 3 (line 1) is 0xFF" "$tmp/bad1.txt"
printf 'ok\n\300\257\n' >"$tmp/bad2.txt"      # an overlong '/'
err 1 "not valid UTF-8: byte 3 (line 2)" "$tmp/bad2.txt"
printf 'a\355\240\200b\n' >"$tmp/bad3.txt"   # a surrogate, U+D800
err 1 "not valid UTF-8: byte 1" "$tmp/bad3.txt"
printf 'cut \342\202' >"$tmp/bad4.txt"       # a euro sign cut short at the end
err 1 "not valid UTF-8: byte 4" "$tmp/bad4.txt"
printf 'int x;\n' >"$tmp/small.txt"
err 1 "is too small" "$tmp/small.txt"

small="--hidden 24 --seq 16 --batch 4 --eval-every 10 --print-every 10 --save-every 10 --lr 0.01"
$bin "$tmp/c.txt" $small --steps 60 --checkpoint "$tmp/a.st" --log "$tmp/a.csv" --images "$tmp" >"$tmp/a.out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "a tiny training run exits 0" || no "a tiny training run exited with $rc: $(tail -n 3 "$tmp/a.out")"

# UTF-8: bytes and code points as counted here, the vocabulary as made by hand
line=$(grep '^text:' "$tmp/a.out")
echo "$line" | grep -q "$bytes bytes, $chars characters (code points), vocabulary of $V_want\$" \
    && ok "UTF-8: $bytes bytes read as $chars code points, vocabulary of $V_want" \
    || no "UTF-8: want $bytes bytes, $chars characters, vocabulary $V_want; got '$line'"

# the log and the pictures
rows=$(awk -F, 'NR > 1' "$tmp/a.csv" | wc -l)
head -n 1 "$tmp/a.csv" | grep -q '^step,epoch,train_loss,val_loss,val_bpc,val_ppl' && [ "$rows" -eq 6 ] \
    && ok "the CSV log has its header and one row per 10 steps" || no "the CSV log: $(head -c 200 "$tmp/a.csv")"
first=$(awk -F, 'NR == 2 { print $3 }' "$tmp/a.csv"); last=$(awk -F, 'END { print $3 }' "$tmp/a.csv")
vfirst=$(awk -F, 'NR == 2 { print $4 }' "$tmp/a.csv"); vlast=$(awk -F, 'END { print $4 }' "$tmp/a.csv")
awk -v a="$first" -v b="$last" -v c="$vfirst" -v d="$vlast" 'BEGIN { exit !(b < 0.7 * a && d < c) }' \
    && ok "the loss goes down: training $first -> $last, validation $vfirst -> $vlast" \
    || no "the loss does not go down: training $first -> $last, validation $vfirst -> $vlast"
for p in charlm_loss.png charlm_cells.png charlm_gates.png; do
    sig=$(od -An -tx1 -N8 "$tmp/$p" 2>/dev/null | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] && ok "$p is written and is a PNG" || no "$p is missing or not a PNG"
done
grep -q "lstm 1x24 (this run)" "$tmp/a.out" && grep -q "5-gram" "$tmp/a.out" \
    && ok "the final table puts the LSTM beside the n-grams" || no "no final table with the LSTM and the n-grams"

# exact resume: 30 steps, then a resume to 60, gives the checkpoint and the
# log of the run that did 60 at once (the log up to its CPU-time column)
$bin "$tmp/c.txt" $small --steps 30 --checkpoint "$tmp/b.st" --log "$tmp/b.csv" --no-images >"$tmp/b.out" 2>&1 &&
$bin "$tmp/c.txt" $small --steps 60 --checkpoint "$tmp/b.st" --log "$tmp/b.csv" --no-images --resume >"$tmp/b2.out" 2>&1; rc=$?
if [ $rc -eq 0 ] && cmp -s "$tmp/a.st" "$tmp/b.st"; then ok "a run resumed at step 30 ends in the same checkpoint, byte for byte"
else no "the resumed run (exit $rc) ends in another checkpoint: $(tail -n 2 "$tmp/b2.out")"; fi
cut -d, -f1-6 "$tmp/a.csv" >"$tmp/a.cut"; cut -d, -f1-6 "$tmp/b.csv" >"$tmp/b.cut"
cmp -s "$tmp/a.cut" "$tmp/b.cut" && ok "the resumed run's log equals the uninterrupted log" || no "the resumed run's log differs"
grep -q "resumed from .* at step 30" "$tmp/b2.out" && ok "the resumed run says where it resumed" || no "the resumed run does not say it resumed"
# the same with dropout: its masks come from the generator the checkpoint saves
dr="--embed 8 --dropout-input 0.1 --dropout-recurrent 0.3 --no-images"
$bin "$tmp/c.txt" $small $dr --steps 40 --checkpoint "$tmp/d1.st" --log "$tmp/d1.csv" >"$tmp/out" 2>&1 &&
$bin "$tmp/c.txt" $small $dr --steps 20 --checkpoint "$tmp/d2.st" --log "$tmp/d2.csv" >"$tmp/out" 2>&1 &&
$bin "$tmp/c.txt" $small --steps 40 --checkpoint "$tmp/d2.st" --log "$tmp/d2.csv" --resume --no-images >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && cmp -s "$tmp/d1.st" "$tmp/d2.st" && ! cmp -s "$tmp/d1.st" "$tmp/a.st"; then
    ok "with dropout too, a resumed run ends in the same checkpoint"
else no "with dropout, the resumed run (exit $rc) ends in another checkpoint: $(tail -n 2 "$tmp/out")"; fi
err 2 "needs --embed" "$tmp/c.txt" --dropout-input 0.2
# a resume with --steps not above the checkpoint's step says there is nothing to train
cp "$tmp/d1.st" "$tmp/d3.st"
$bin --resume --steps 20 --checkpoint "$tmp/d3.st" --log "$tmp/d3.csv" --no-images >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q "at step 40 (--steps is not more: nothing to train)" "$tmp/out" && cmp -s "$tmp/d1.st" "$tmp/d3.st" \
    && ok "--resume --steps 20 at step 40 says there is nothing to train, and leaves the checkpoint" \
    || no "--resume --steps 20 at step 40: exit $rc, $(grep resumed "$tmp/out")"
cp "$tmp/a.st" "$tmp/c.st"
$bin "$tmp/c.txt" $small --steps 60 --checkpoint "$tmp/c.st" --log "$tmp/c.csv" --no-images --resume --hidden 32 >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "was trained with --hidden 24, not 32 (leave the option out, or --force)" "$tmp/err" && ok "resuming with another --hidden is refused: $(cat "$tmp/err")" \
    || no "resuming with another --hidden: exit $rc, '$(head -c 200 "$tmp/err")'"

# bad checkpoints
head -c 300 "$tmp/a.st" >"$tmp/cut.st"
err 1 "cannot load '$tmp/cut.st'" --sample --checkpoint "$tmp/cut.st"
err 1 "cannot load" --sample --checkpoint "$tmp/c.txt"
err 1 "cannot load" --sample --checkpoint "$tmp/none.st"
err 1 "cannot resume" "$tmp/c.txt" $small --resume --checkpoint "$tmp/cut.st" --log "$tmp/x.csv"
i=0; while [ $i -lt 80 ]; do echo "another text, other letters: QWERTY $i"; i=$((i+1)); done >"$tmp/other.txt"
err 1 "was trained with --text $tmp/c.txt, not $tmp/other.txt" "$tmp/other.txt" $small --resume --steps 60 --checkpoint "$tmp/a.st" --log "$tmp/x.csv"
err 1 "vocabularies differ" "$tmp/other.txt" $small --resume --steps 60 --checkpoint "$tmp/a.st" --log "$tmp/x.csv" --force

# the checkpoint keeps the run's options: --resume with none of them goes on
# with the same settings (--seq, --clip, --lr ... as the first run had them),
# and ends in the checkpoint of the run that never stopped, byte for byte
o2="--hidden 20 --seq 12 --batch 3 --lr 0.02 --clip 0.5 --lr-decay 0.9 --val 0.2 --seed 3 --eval-every 5 --print-every 5 --save-every 5 --no-images"
$bin "$tmp/c.txt" $o2 --steps 30 --checkpoint "$tmp/o1.st" --log "$tmp/o1.csv" >"$tmp/o1.out" 2>&1 &&
$bin "$tmp/c.txt" $o2 --steps 15 --checkpoint "$tmp/o2.st" --log "$tmp/o2.csv" >"$tmp/out" 2>&1 &&
$bin --resume --steps 30 --checkpoint "$tmp/o2.st" --log "$tmp/o2.csv" --no-images >"$tmp/o2.out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q "^model: lstm, 1 layer of 20, one-hot input, [0-9]* parameters; adam, lr 0.02 (x 0.9 per epoch), clip 0.5\$" "$tmp/o2.out" \
    && grep -q "^truncated BPTT: 3 lanes of [0-9]* characters, chunks of 12, " "$tmp/o2.out" && grep -q "^split: .*(0.2) to validate on" "$tmp/o2.out" \
    && ok "--resume with no options takes them from the checkpoint: $(grep '^model:' "$tmp/o2.out")" \
    || no "--resume with no options: exit $rc, $(grep -E '^(model|truncated|split)' "$tmp/o2.out" | tr '\n' ' ') $(tail -n 2 "$tmp/o2.out")"
cmp -s "$tmp/o1.st" "$tmp/o2.st" && grep -q "^step     30/30 " "$tmp/o2.out" \
    && ok "... and training goes on to step 30, to the checkpoint of the run that never stopped, byte for byte" \
    || no "the resumed run without options ends in another checkpoint"
if [ -x "${PYTHON:-/usr/bin/python3}" ]; then
    "${PYTHON:-/usr/bin/python3}" - "$tmp/o1.st" >"$tmp/meta" 2>&1 <<'PY'
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
meta = json.loads(raw[8:8 + struct.unpack("<Q", raw[:8])[0]])["__metadata__"]
print(" ".join(f"{k}={v}" for k, v in sorted(meta.items()) if k.startswith("user.")))
PY
    grep -q "user.clip=0.5 .*user.lr=0.02 .*user.seq=12 " "$tmp/meta" && ok "Python's json reads the options in __metadata__: $(cut -c1-150 "$tmp/meta")" \
        || no "the options in __metadata__: $(head -c 300 "$tmp/meta")"
fi
err 1 "was trained with --seq 12, not 16 (leave the option out, or --force)" --resume --seq 16 --checkpoint "$tmp/o2.st" --log "$tmp/x.csv"
err 1 "was trained with --clip 0.5, not 1" --resume --clip 1 --checkpoint "$tmp/o2.st" --log "$tmp/x.csv"
long=$(printf 'x%.0s' $(seq 1 130))
cp "$tmp/c.txt" "$tmp/$long.txt"
err 1 "cannot keep --text in the checkpoint: rnn_checkpoint_set: the value is longer than 127 bytes" "$tmp/$long.txt" $small --steps 10 --checkpoint "$tmp/long.st" --no-images
[ ! -e "$tmp/long.st" ] && ok "... before any training: no checkpoint written" || no "a checkpoint was written for a --text too long to keep"
cp "$tmp/o2.st" "$tmp/o3.st"
$bin --resume --clip 1 --steps 35 --force --checkpoint "$tmp/o3.st" --log "$tmp/o3.csv" --no-images >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q "clip 1\$" "$tmp/out" && grep -q "^step     35/35 " "$tmp/out" \
    && ok "--force takes a contradicting --clip (the rest from the checkpoint)" || no "--resume --clip 1 --force: exit $rc $(tail -n 2 "$tmp/out")"

# sampling
S="--sample --checkpoint $tmp/a.st --length 80"
$bin $S --greedy >"$tmp/greedy" 2>/dev/null; rc1=$?
$bin $S --temperature 0.00001 --sample-seed 3 >"$tmp/cold" 2>/dev/null; rc2=$?
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ -s "$tmp/greedy" ] && cmp -s "$tmp/greedy" "$tmp/cold" \
    && ok "temperature -> 0 writes the greedy text" || no "temperature 0.00001 differs from greedy (exit $rc1 $rc2)"
$bin $S --beam 1 >"$tmp/beam1" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && cmp -s "$tmp/greedy" "$tmp/beam1" && ok "a beam of width 1 writes the greedy text" || no "beam 1 differs from greedy (exit $rc)"
$bin $S --beam 4 >"$tmp/beam4" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && [ -s "$tmp/beam4" ] && ok "a beam of width 4 runs" || no "beam 4 exited with $rc"
$bin $S --temperature 3 --top-k 3 --trace --length 300 >/dev/null 2>"$tmp/trace"; rc=$?
n=$(grep -c '^trace [0-9]' "$tmp/trace"); worst=$(awk '$1 == "trace" && $4 == "rank" { if ($5 > w) w = $5 } END { print w + 0 }' "$tmp/trace")
[ $rc -eq 0 ] && [ "$n" -eq 300 ] && [ "$worst" -le 3 ] && [ "$worst" -ge 2 ] \
    && ok "top-k 3 at temperature 3: 300 characters, all of rank <= 3 (worst $worst)" \
    || no "top-k 3: exit $rc, $n characters, worst rank $worst"
$bin $S --temperature 3 --trace --length 300 >/dev/null 2>"$tmp/trace"
worst=$(awk '$1 == "trace" && $4 == "rank" { if ($5 > w) w = $5 } END { print w + 0 }' "$tmp/trace")
[ "$worst" -gt 3 ] && ok "without top-k the same run writes characters of rank > 3 (worst $worst): the check above can fail" \
    || no "without top-k the worst rank is $worst (want > 3)"
$bin $S --prime 'int f3(' --temperature 0.5 >"$tmp/p" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && [ "$(head -c 7 "$tmp/p")" = "int f3(" ] && ok "the priming text is written first" || no "priming: exit $rc, '$(head -c 40 "$tmp/p")'"
$bin $S --prime '/* é中😀' --greedy --length 10 >"$tmp/p" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && [ "$(head -c 12 "$tmp/p")" = "/* é中😀" ] && ok "a multi-byte priming text comes back byte for byte" || no "multi-byte priming: exit $rc, '$(head -c 40 "$tmp/p")'"
$bin $S --length 2000 --stop '\n' --temperature 0.5 --prime 'int' >"$tmp/p" 2>/dev/null; rc=$?
lines=$(wc -l <"$tmp/p"); len=$(wc -c <"$tmp/p")
[ $rc -eq 0 ] && [ "$lines" -eq 1 ] && [ "$len" -lt 2000 ] && [ "$(tail -c 1 "$tmp/p" | od -An -tu1 | tr -d ' ')" = 10 ] \
    && ok "the stop string (a newline) ends the text" || no "--stop: exit $rc, $lines lines, $len bytes"
$bin $S --length 37 --greedy --prime 'int' --trace >"$tmp/p" 2>"$tmp/trace"; rc=$?
n=$(grep -c '^trace [0-9]' "$tmp/trace")
[ $rc -eq 0 ] && [ "$n" -eq 37 ] && [ "$(head -c 3 "$tmp/p")" = int ] \
    && ok "--length 37 writes 37 characters after the priming text" || no "--length 37: exit $rc, $n characters"
err 1 "does not know: U+00DF" --sample --checkpoint "$tmp/a.st" --prime 'xß'

# the n-gram models against counts done here: Laplace (k = 1), no interpolation
$bin "$tmp/c.txt" --ngram --ngram-k 1 --ngram-lambda 1 --val 0.2 >"$tmp/ng" 2>&1; rc=$?
od -An -v -tu1 "$tmp/c.txt" | awk -v val=0.2 '
    { for (i = 1; i <= NF; i++) b[nb++] = $i }
    END {
        # code points: a lead byte starts one, continuation bytes extend it
        for (i = 0; i < nb; i++) { if (b[i] < 128 || b[i] >= 192) n++; t[n - 1] = t[n - 1] "." b[i] }
        nv = int(n * val); nt = n - nv
        for (i = 0; i < n; i++) if (!(t[i] in seen)) { seen[t[i]] = 1; V++ }
        for (i = 0; i < nt; i++) { c1[t[i]]++; if (i + 1 < nt) { c2[t[i] SUBSEP t[i + 1]]++; ch[t[i]]++ } }
        for (i = nt; i < n; i++) {
            p1 = (c1[t[i]] + 1) / (nt + V)
            l1 += log(p1)
            l2 += i == nt ? log(p1) : log((c2[t[i - 1] SUBSEP t[i]] + 1) / (ch[t[i - 1]] + V))
        }
        printf "%.3f %.3f\n", exp(-l1 / nv), exp(-l2 / nv)
    }' >"$tmp/hand"
want1=$(cut -d' ' -f1 "$tmp/hand"); want2=$(cut -d' ' -f2 "$tmp/hand")
got1=$(awk '$1 == 1 && NF == 5 { print $4 }' "$tmp/ng"); got2=$(awk '$1 == 2 && NF == 5 { print $4 }' "$tmp/ng")
[ $rc -eq 0 ] && [ "$got1" = "$want1" ] && [ "$got2" = "$want2" ] \
    && ok "n-gram perplexities equal the hand count: unigram $got1, bigram $got2" \
    || no "n-gram perplexities: want $want1 $want2, got '$got1' '$got2' (exit $rc)"

# the pictures from a checkpoint, with chosen units
: >"$tmp/file"
$bin "$tmp/c.txt" --draw --checkpoint "$tmp/a.st" --units 0,5 --images "$tmp/file/d" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot make the directory" "$tmp/err" && ok "an unwritable picture is an error (exit 1)" || no "an unwritable picture gave exit $rc"
$bin "$tmp/c.txt" --draw --checkpoint "$tmp/a.st" --units 0,5 --images "$tmp/d" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 0 ] && [ -s "$tmp/d/charlm_cells.png" ] && [ -s "$tmp/d/charlm_gates.png" ] \
    && ok "--draw --units 0,5 draws both pictures" || no "--draw exited with $rc: $(head -c 200 "$tmp/out")"
err 1 "is not a unit 0..23" "$tmp/c.txt" --draw --checkpoint "$tmp/a.st" --units 0,99 --images "$tmp/d"

# the other cells and optimizers run
i=0
for v in "--cell gru --optim rmsprop" "--cell tanh --optim sgd --momentum 0.9 --lr 0.05" "--layers 2 --optim adagrad --lr 0.05"; do
    i=$((i+1))
    $bin "$tmp/c.txt" $small --steps 20 $v --checkpoint "$tmp/v$i.st" --no-images >"$tmp/out" 2>&1; rc=$?
    [ $rc -eq 0 ] && [ "$(awk -F, 'END { print $1 }' "$tmp/v${i}_log.csv")" = 20 ] && ok "training with $v runs (its log: v${i}_log.csv)" \
        || no "training with $v: exit $rc $(tail -n 2 "$tmp/out")"
done

# a trained model is not replaced by another run: refused with the reason unless --force
cp "$tmp/a.st" "$tmp/keep.st"
$bin "$tmp/c.txt" $small --lr 0.02 --steps 60 --checkpoint "$tmp/a.st" --log "$tmp/x.csv" --no-images >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "holds another run (lstm 1x24, step 60; another --lr): not replaced" "$tmp/err" && cmp -s "$tmp/a.st" "$tmp/keep.st" \
    && [ ! -e "$tmp/x.csv" ] && ok "another run's checkpoint is refused, untouched: $(head -c 150 "$tmp/err")" \
    || no "another run's checkpoint: exit $rc, '$(head -c 200 "$tmp/err")'"
for o in "--seq 8" "--clip 1"; do   # the options the checkpoint did not keep before it kept the run's options
    # shellcheck disable=SC2086 # $o is two words
    $bin "$tmp/c.txt" $small $o --steps 60 --checkpoint "$tmp/a.st" --log "$tmp/x.csv" --no-images >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ $rc -eq 1 ] && grep -q "another ${o% *}): not replaced" "$tmp/err" && cmp -s "$tmp/a.st" "$tmp/keep.st" \
        && ok "another ${o% *} is another run: not replaced" || no "another ${o% *}: exit $rc, '$(head -c 200 "$tmp/err")'"
done
$bin "$tmp/c.txt" $small --steps 20 --checkpoint "$tmp/a.st" --log "$tmp/x.csv" --no-images >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "more steps than --steps" "$tmp/err" && cmp -s "$tmp/a.st" "$tmp/keep.st" \
    && ok "a shorter run does not replace a model trained for longer" || no "a shorter run: exit $rc, '$(head -c 200 "$tmp/err")'"
$bin "$tmp/c.txt" $small --steps 60 --checkpoint "$tmp/a.st" --log "$tmp/x.csv" --no-images >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && cmp -s "$tmp/a.st" "$tmp/keep.st" && ok "the same run again may replace its own checkpoint (with the same bytes)" \
    || no "the same run again: exit $rc, '$(head -c 200 "$tmp/err")'"
$bin "$tmp/c.txt" $small --lr 0.02 --steps 20 --checkpoint "$tmp/a.st" --log "$tmp/x.csv" --no-images --force >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 0 ] && ! cmp -s "$tmp/a.st" "$tmp/keep.st" && ok "--force replaces it" || no "--force: exit $rc"
printf 'not a checkpoint\n' >"$tmp/notck.st"
$bin "$tmp/c.txt" $small --steps 20 --checkpoint "$tmp/notck.st" --no-images >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "not replaced" "$tmp/err" && grep -q "^not a checkpoint" "$tmp/notck.st" \
    && ok "a file that is not a checkpoint is not replaced either" || no "a file that is not a checkpoint: exit $rc, '$(head -c 200 "$tmp/err")'"

# a diverging run stops: one line, what to try, exit 1 (on rnn.h, the default text)
$bin --lr 5 --steps 50 --out "$tmp/div" --no-images >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "training diverged at update .*try a lower --lr" "$tmp/err" \
    && ! grep -q "ppl inf\|e+[0-9][0-9]" "$tmp/out" && ok "--lr 5 diverges and stops (exit 1): $(cat "$tmp/err")" \
    || no "--lr 5: exit $rc, '$(head -c 200 "$tmp/err")'"
# the sample ends with a newline
$bin --sample --checkpoint "$tmp/keep.st" --length 5 --prime 'int' >"$tmp/p" 2>/dev/null
[ "$(tail -c 1 "$tmp/p" | od -An -tu1 | tr -d ' ')" = 10 ] && ok "--sample ends with a newline" || no "--sample does not end with a newline"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
