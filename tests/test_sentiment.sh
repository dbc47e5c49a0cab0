#!/bin/sh
# Builds examples/sentiment.c (warning-free) and checks it on a small data set
# made here: sentences of neutral filler words where the label depends on one
# word (great/superb: 1, awful/terrible: 0) at a random place. The network and
# the baseline must learn it; padding at the start or the end must give the
# same numbers (the mask); the bidirectional model's own head must have the
# right gradient; both file formats load; bad files and options are refused
# with a clear message. The real Pang & Lee data is used only if present.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

build_example sentiment
S=./build/sentiment

# the data: 600 sentences, 3 to 14 filler words and one word that decides
awk 'BEGIN { srand(7)
    split("the a film movie story plot actor scene it is was very quite and but of with this that its", f, " ")
    split("great superb", p, " "); split("awful terrible", n, " ")
    for (i = 0; i < 600; i++) {
        len = 3 + int(rand() * 12); at = int(rand() * len); lab = i % 2; s = ""
        for (j = 0; j < len; j++) {
            w = (j == at) ? (lab ? p[1 + int(rand() * 2)] : n[1 + int(rand() * 2)]) : f[1 + int(rand() * 20)]
            s = s (j ? " " : "") w
        }
        print s "\t" lab
    } }' >"$tmp/toy.tsv"
small="--data $tmp/toy.tsv --fold 0 --embed 16 --hidden 16 --min-count 1 --epochs 6 --batch 16 --lr 0.01 --nn-min-count 5 --words great,awful"

# --help lists every option of the table
$S --help >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "--help exits 0" || no "--help exited with $rc"
missing=""
for o in --data --cell --bidirectional --layers --embed --hidden --vocab --min-count --max-len --pad \
         --truncate --no-mask --no-buckets --dropout-input --dropout-recurrent --batch --epochs --lr --clip --embed-scale --folds --fold --show-fold --seed \
         --words --nn-min-count --images --no-images --quiet --check-gradient --help; do
    grep -q -- "^  $o" "$tmp/help" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help lists every option" || no "--help does not list:$missing"

# bad options: exit 2 and a message
bad() { words=$1; code=$2; shift 2
    $S "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq "$code" ] && grep -q -- "$words" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 3 ]; then
        ok "sentiment ${*#--data $tmp/} exits $code: $(head -n 1 "$tmp/err" | sed "s|$tmp/||g")"
    else no "sentiment $* exited with $rc, message '$(head -c 200 "$tmp/err")'"; fi
}
bad "unknown option" 2 --bogus
bad "must be tanh, relu, gru_simple, gru, lstm or peephole" 2 --cell rnn
bad "must be start or end" 2 --pad middle
bad "must be below --folds" 2 --fold 10
bad "needs a whole number" 2 --epochs 0

# bad data: exit 1 and a one-line message naming the file
: >"$tmp/empty.tsv"
printf 'a fine film\t1\nan awful film\tpositive\n' >"$tmp/label.tsv"
printf 'a fine film\t1\nan awful film without a label\n' >"$tmp/notab.tsv"
printf 'a fine film\t1\nanother fine film\t1\n' >"$tmp/one.tsv"
printf 'a fine film\t1\nan awful film\t0\n' >"$tmp/few.tsv"
bad "cannot open $tmp/missing.tsv" 1 --data "$tmp/missing.tsv"
bad "empty.tsv has no reviews" 1 --data "$tmp/empty.tsv"
bad "label.tsv:2: the label must be 0 or 1, not 'positive'" 1 --data "$tmp/label.tsv"
bad "notab.tsv:2: no tab" 1 --data "$tmp/notab.tsv"
bad "only positive reviews" 1 --data "$tmp/one.tsv"
bad "too few for 10 folds" 1 --data "$tmp/few.tsv"
mkdir "$tmp/halfdir"; cp "$tmp/toy.tsv" "$tmp/halfdir/rt-polarity.pos"
bad "cannot open $tmp/halfdir/rt-polarity.neg" 1 --data "$tmp/halfdir"

# the gradient of both heads: the library's, and the bidirectional model's own
for o in "" "--bidirectional" "--bidirectional --cell gru --layers 2"; do
    w=$($S --data "$tmp/toy.tsv" --check-gradient --quiet --embed 8 --hidden 8 --min-count 1 $o | sed -n 's/.*worst relative difference //p')
    awk -v w="$w" 'BEGIN { exit !(w != "" && w < 0.02) }' && ok "gradient check${o:+ ($o)}: backprop matches finite differences ($w < 0.02)" \
        || no "gradient check${o:+ ($o)}: worst relative difference '$w'"
done

# the small run: the network and the baseline learn the deciding word
$S $small --images "$tmp" >"$tmp/run" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "the small run exits 0" || no "the small run exited with $rc: $(tail -n 3 "$tmp/run")"
net=$(sed -n 's/^  the network  *\([0-9.]*\)%$/\1/p' "$tmp/run")
nb=$(sed -n 's/^  naive Bayes, unigrams + bigrams  *\([0-9.]*\)%$/\1/p' "$tmp/run")
awk -v a="$net" 'BEGIN { exit !(a != "" && a >= 90) }' && ok "the LSTM learns the toy task: test accuracy $net% >= 90%" \
    || no "the LSTM's test accuracy on the toy task is '$net' (want >= 90)"
awk -v a="$nb" 'BEGIN { exit !(a != "" && a >= 90) }' && ok "naive Bayes learns it too: $nb% >= 90%" \
    || no "naive Bayes' test accuracy is '$nb' (want >= 90)"
grep -q "vocabulary 24 words + <pad> <unk>" "$tmp/run" && ok "the vocabulary has the 24 words of the toy set" \
    || no "the vocabulary line: $(grep vocabulary "$tmp/run" | head -n 1)"
# the deciding words of one class lie together in the embedding
gl=$(grep '^  great ' "$tmp/run"); al=$(grep '^  awful ' "$tmp/run")
first_g=$(printf '%s\n' "$gl" | awk '{ print $2 }'); first_a=$(printf '%s\n' "$al" | awk '{ print $2 }')
[ "$first_g" = superb ] && [ "$first_a" = terrible ] && ok "nearest words: great -> superb, awful -> terrible" \
    || no "nearest words: '$gl' / '$al'"
for p in sentiment_curves.png sentiment_embedding.png; do
    sig=$(od -An -tx1 -N8 "$tmp/$p" 2>/dev/null | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] && ok "$p is written and is a PNG" || no "$p is missing or not a PNG"
done
: > "$tmp/file"
$S $small --epochs 1 --images "$tmp/file/dir" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot make the directory" "$tmp/err" && ok "an unwritable picture is an error (exit 1)" \
    || no "an unwritable picture gave exit $rc, '$(head -c 200 "$tmp/err")'"

# [embed.pad] with the mask, padding at the start or the end changes nothing
epochs() { grep -E '^  epoch|^  the network' "$1" | sed 's/  [0-9.]* s CPU//'; }
$S $small --no-images --pad start >"$tmp/start" 2>&1
epochs "$tmp/run" >"$tmp/e1"; epochs "$tmp/start" >"$tmp/e2"
[ -s "$tmp/e1" ] && cmp -s "$tmp/e1" "$tmp/e2" && ok "padding at the start gives the same losses and accuracies as at the end" \
    || no "padding at the start and at the end differ: $(diff "$tmp/e1" "$tmp/e2" | head -n 4)"
$S $small --no-images --no-mask >"$tmp/nomask" 2>&1
epochs "$tmp/nomask" >"$tmp/e3"
[ -s "$tmp/e3" ] && ! cmp -s "$tmp/e1" "$tmp/e3" && ok "without the mask the padding is read, and the numbers change" \
    || no "--no-mask gives the same numbers as the mask"

# deterministic
$S $small --images "$tmp" >"$tmp/again" 2>&1
grep -v -e 's CPU' -e '^time:' "$tmp/run" >"$tmp/a"; grep -v -e 's CPU' -e '^time:' "$tmp/again" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" && ok "two runs with the same seed print the same numbers" || no "two runs with the same seed differ"

# 10-fold cross-validation (the default): every fold is the test fold once
$S $(printf '%s\n' "$small" | sed 's/--fold 0 //') --epochs 3 --no-images --quiet >"$tmp/cv" 2>&1; rc=$?
folds=$(grep -c '^fold [0-9]: network' "$tmp/cv")
mean=$(sed -n 's/^  the network  *\([0-9.]*\)% (.*/\1/p' "$tmp/cv")
[ $rc -eq 0 ] && [ "$folds" -eq 10 ] && awk -v a="$mean" 'BEGIN { exit !(a != "" && a >= 90) }' \
    && ok "10-fold cross-validation: 10 folds, mean test accuracy $mean% >= 90%" \
    || no "10-fold cross-validation: exit $rc, $folds folds, mean '$mean'"

# bidirectional, GRU, and Pang & Lee's two-file format
mkdir "$tmp/pl"
awk -F '\t' '$2 == 1 { print $1 }' "$tmp/toy.tsv" >"$tmp/pl/rt-polarity.pos"
awk -F '\t' '$2 == 0 { print $1 }' "$tmp/toy.tsv" >"$tmp/pl/rt-polarity.neg"
$S $small --data "$tmp/pl" --bidirectional --cell gru --no-images >"$tmp/bi" 2>&1; rc=$?
net=$(sed -n 's/^  the network  *\([0-9.]*\)%$/\1/p' "$tmp/bi")
grep -q "600 reviews (300 positive, 300 negative)" "$tmp/bi" && ok "a directory of rt-polarity.pos/.neg loads (300 + 300 reviews)" \
    || no "the two-file format: $(grep -m1 '^data' "$tmp/bi")"
[ $rc -eq 0 ] && awk -v a="$net" 'BEGIN { exit !(a != "" && a >= 90) }' && ok "a bidirectional GRU learns the toy task: $net% >= 90%" \
    || no "the bidirectional GRU: exit $rc, accuracy '$net'"

# the real data, only where it is
# the shipped data: Pang & Lee's sentence polarity data, the default --data
real=examples/data/rt-polarity
if [ -f "$real/rt-polarity.pos" ] && [ -f "$real/rt-polarity.neg" ] && [ -f "$real/README.md" ]; then
    grep -q "Pang" "$real/README.md" && grep -q "ACL" "$real/README.md" && ok "$real/README.md cites Pang & Lee (ACL 2005)" \
        || no "$real/README.md does not cite the data"
    $S --fold 0 --epochs 2 --embed 16 --hidden 16 --no-images --words good >"$tmp/real" 2>&1; rc=$?
    net=$(sed -n 's/^  the network  *\([0-9.]*\)%$/\1/p' "$tmp/real")
    nb=$(sed -n 's/^  naive Bayes, unigrams + bigrams  *\([0-9.]*\)%$/\1/p' "$tmp/real")
    grep -q "10662 reviews (5331 positive, 5331 negative)" "$tmp/real" && [ $rc -eq 0 ] \
        && awk -v a="$net" -v b="$nb" 'BEGIN { exit !(a >= 65 && b >= 74) }' \
        && ok "Pang & Lee's data: 10662 reviews; two epochs $net% (>= 65), naive Bayes $nb% (>= 74)" \
        || no "Pang & Lee's data: exit $rc, network '$net', baseline '$nb'"
else
    no "the sentence polarity data is not shipped in $real (with its README.md)"
fi

if [ $skip -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ $fail -eq 0 ]
