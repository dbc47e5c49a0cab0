#!/bin/sh
# Builds examples/names.c (warning-free) and checks it without the network,
# on corpora made here in the Brown corpus's format (word/tag, one sentence
# a line, files ca01 .. ca10: the 9th is validation, the 10th test):
#   - a generated stand-in where a capitalised first name after `` is a name
#     only if a surname follows it (Teddy Roosevelt / Teddy bears): both
#     taggers train, and only the bidirectional one can be right at the
#     first name, so it must beat the one-way tagger there;
#   - padded positions: a padded batch gives the same P(name), loss and
#     gradient as each sentence alone, and without the mask it does not;
#   - F1 by hand: a hand-made test file on which the "capitalised and not
#     sentence-initial" baseline's precision, recall and F1 are counted
#     below, which also checks which tags count as names;
#   - bad options and bad files are refused with a message.
# The real corpus (make build/brown) is read only if it is there.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

build_example names
N=./build/names

# the stand-in: 10 files of 60 sentences, three kinds in turn
mkdir "$tmp/toy"
awk -v dir="$tmp/toy" 'BEGIN { srand(18); q = "\047\047"
    split("Teddy Rose Jack Harry Mary Bill", first, " ")
    split("Roosevelt Kennedy Potter Smith Jones Granger", last, " ")
    split("bears bushes rabbits bread cakes toys", thing, " ")
    split("city farm school river market church", place, " ")
    for (f = 1; f <= 10; f++) {
        file = sprintf("%s/ca%02d", dir, f)
        for (i = 0; i < 60; i++) {
            x = first[1 + int(rand() * 6)]; k = i % 3
            if (k == 0) s = "He/pps said/vbd ``/`` " x "/np " last[1 + int(rand() * 6)] "/np was/bedz a/at great/jj man/nn " q "/" q " ./."
            else if (k == 1) s = "He/pps said/vbd ``/`` " x "/nn " thing[1 + int(rand() * 6)] "/nns are/ber on/in sale/nn !/. " q "/" q
            else s = "the/at man/nn met/vbd " x "/np " last[1 + int(rand() * 6)] "/np in/in the/at " place[1 + int(rand() * 6)] "/nn ./."
            printf "\n\t%s\n", s > file
        }
        close(file)
    } }'
small="--data $tmp/toy --embed 16 --hidden 16 --epochs 10 --batch 16 --lr 0.01 --seeds 1 --evals 4"

# --help lists every option of the table
$N --help >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "--help exits 0" || no "--help exited with $rc"
missing=""
for o in --data --cell --embed --hidden --min-count --unknown --word-dropout --epochs --batch --lr --clip \
         --seeds --seed --evals --sentence --out --no-images --quiet --check-mask --help; do
    grep -q -- "^  $o" "$tmp/help" || missing="$missing $o"
done
[ -z "$missing" ] && ok "--help lists every option" || no "--help does not list:$missing"

# the tagger trains on the stand-in, and reading both ways pays
$N $small --out "$tmp" >"$tmp/run" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "the stand-in run exits 0" || no "the stand-in run exited with $rc: $(tail -n 3 "$tmp/run")"
grep -q "10 files, 600 sentences, 6000 words (40 distinct)" "$tmp/run" && ok "the stand-in is read: 10 files, 600 sentences, 6000 words" \
    || no "the stand-in's summary: $(head -n 1 "$tmp/run")"
grep -q "^  training     8 files    480 sentences" "$tmp/run" && grep -q "^  test         1 files     60 sentences" "$tmp/run" \
    && ok "split by file: 8 training files, 1 validation, 1 test" || no "the split: $(grep -E '^  (training|test) ' "$tmp/run")"
f1() { sed -n "s/^  $1 LSTM, 1 seed  *[0-9.]*  *[0-9.]*  *\([0-9.]*\) .*/\1/p" "$tmp/run"; }
one=$(f1 one-way); bi=$(f1 bidirectional)
awk -v a="$bi" 'BEGIN { exit !(a != "" && a >= 97) }' && ok "the bidirectional tagger learns the stand-in: test F1 $bi% >= 97%" \
    || no "the bidirectional tagger's test F1 on the stand-in is '$bi' (want >= 97)"
awk -v a="$one" 'BEGIN { exit !(a != "" && a >= 80 && a <= 93) }' \
    && ok "the one-way tagger learns what it can: F1 $one% in [80, 93] (it cannot see the surname)" \
    || no "the one-way tagger's F1 on the stand-in is '$one' (want 80..93)"
# at "Teddy" the one-way tagger has read the same words in both slide sentences
at=$(grep '^  at "Teddy"' "$tmp/run" | head -n 2)
o1=$(printf '%s\n' "$at" | sed -n '1s/.*one-way \([0-9.]*\),.*/\1/p'); o2=$(printf '%s\n' "$at" | sed -n '2s/.*one-way \([0-9.]*\),.*/\1/p')
b1=$(printf '%s\n' "$at" | sed -n '1s/.*bidirectional \([0-9.]*\)$/\1/p'); b2=$(printf '%s\n' "$at" | sed -n '2s/.*bidirectional \([0-9.]*\)$/\1/p')
[ -n "$o1" ] && [ "$o1" = "$o2" ] && ok "one-way P(name) at Teddy is the same before Roosevelt and before bears ($o1)" \
    || no "one-way P(name) at Teddy: '$o1' and '$o2'"
awk -v a="$b1" -v b="$b2" 'BEGIN { exit !(a != "" && b != "" && a > 0.9 && b < 0.1) }' \
    && ok "bidirectional P(name) at Teddy: $b1 before Roosevelt, $b2 before bears" \
    || no "bidirectional P(name) at Teddy: '$b1' and '$b2'"
for p in names_f1_time.png names_words.png; do
    sig=$(od -An -tx1 -N8 "$tmp/$p" 2>/dev/null | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] && ok "$p is written and is a PNG" || no "$p is missing or not a PNG"
done

# padded positions change nothing (and without the mask they do)
$N $small --check-mask >"$tmp/mask" 2>&1; rc=$?
with=$(sed -n 's/.*with the mask: *P(name) differs by at most \([0-9.e+-]*\), the loss by \([0-9.e+-]*\), the gradient by \([0-9.e+-]*\) .*/\1 \2 \3/p' "$tmp/mask")
nomask=$(sed -n '/^mask check, bidirectional/,$ s/.*without the mask: *P(name) differs by at most \([0-9.e+-]*\),.*/\1/p' "$tmp/mask")
[ $rc -eq 0 ] && [ "$(printf '%s\n' "$with" | awk 'NF == 3 && $1 < 1e-5 && $2 < 1e-5 && $3 < 1e-5' | wc -l)" -eq 2 ] \
    && ok "with the mask a padded batch gives each sentence's P(name), loss and gradient (< 1e-5), one-way and bidirectional" \
    || no "the mask check: exit $rc, differences '$(printf '%s ' $with)'"
awk -v a="$nomask" 'BEGIN { exit !(a != "" && a + 0 > 1e-3) }' && ok "without the mask the bidirectional tagger reads the padding: P(name) moves by $nomask" \
    || no "without the mask P(name) moved by '$nomask' (want > 1e-3)"

# F1 by hand. The test file, and what the capital baseline does with it:
#   Yesterday , Harry Potter met Hermione Granger .   4 names found (Yesterday is first)    tp 4
#   He said `` Teddy Roosevelt was a great President ''  Teddy, Roosevelt found;
#                                                      President (nn-tl) is no name        tp 2, fp 1
#   `` Mr. Smith went to paris .                     Mr. is first (`` is skipped), paris
#                                                      is lower-case                       tp 1, fn 2
#   The Americans won .                              Americans is nps: no name             fp 1
#   Fulton County voted for Kennedy's plan .         Fulton is first, County is nn-tl,
#                                                      Kennedy's (np$) found               tp 1, fp 1, fn 1
#   It rained in boston and new york .               boston, york (np-tl) lower-case       fn 2
# tp 8, fp 3, fn 5: precision 8/11 = 72.7%, recall 8/13 = 61.5%, F1 16/24 = 66.7%
mkdir "$tmp/hand"
cp "$tmp"/toy/ca0[1-9] "$tmp/hand/"
cat >"$tmp/hand/ca10" <<'EOF'

	Yesterday/nr ,/, Harry/np Potter/np met/vbd Hermione/np Granger/np ./.

	He/pps said/vbd ``/`` Teddy/np Roosevelt/np was/bedz a/at great/jj President/nn-tl ''/'' 
	``/`` Mr./np Smith/np went/vbd to/in paris/np ./.
	The/at Americans/nps won/vbd ./.

	Fulton/np-tl County/nn-tl voted/vbd for/in Kennedy's/np$ plan/nn ./.
	It/pps rained/vbd in/in boston/np-tl and/cc new/jj-tl york/np-tl ./.
EOF
$N --data "$tmp/hand" --embed 4 --hidden 4 --epochs 1 --seeds 1 --evals 1 --no-images >"$tmp/hand.out" 2>&1; rc=$?
row=$(grep '^  capitalised and not sentence-initial' "$tmp/hand.out" | awk '{ print $5, $6, $7 }')
[ $rc -eq 0 ] && [ "$row" = "72.7 61.5 66.7" ] && ok "the capital baseline on the hand-made file: precision, recall, F1 = 72.7 61.5 66.7 (counted by hand)" \
    || no "the capital baseline on the hand-made file: exit $rc, '$row' (want 72.7 61.5 66.7)"
grep -q "^  test         1 files      6 sentences       44 words,     13 names" "$tmp/hand.out" \
    && ok "the hand-made file has 13 names by the tag rule (np, np\$, np-tl; not nps, not nn-tl)" \
    || no "the hand-made file's count: $(grep '^  test ' "$tmp/hand.out")"

# bad options: exit 2 and a message; bad data: exit 1 and a message naming the file
bad() { words=$1; code=$2; shift 2
    $N "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq "$code" ] && grep -q -- "$words" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 2 ]; then
        ok "names $(printf '%s' "$*" | sed "s|$tmp/||g") exits $code: $(head -n 1 "$tmp/err" | sed "s|$tmp/||g")"
    else no "names $* exited with $rc, message '$(head -c 200 "$tmp/err")'"; fi
}
bad "unknown option" 2 --bogus
bad "must be lstm or gru" 2 --cell rnn
bad "must be shape or one" 2 --unknown two
bad "needs a whole number" 2 --seeds 0
bad "no Brown corpus file (ca01 .. cr99) in $tmp/none; 'make build/brown' fetches it" 1 --data "$tmp/none"
mkdir "$tmp/notag"; cp "$tmp"/toy/ca* "$tmp/notag/"; printf '\tThe/at man/nn said\n' >>"$tmp/notag/ca03"
bad "notag/ca03:121: 'said' is not word/tag" 1 --data "$tmp/notag"
mkdir "$tmp/few"; cp "$tmp"/toy/ca0[1-5] "$tmp/few/"
bad "give no validation sentence" 1 --data "$tmp/few"
: > "$tmp/afile"
$N $small --epochs 1 --out "$tmp/afile/dir" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot" "$tmp/err" && ok "an unwritable picture is an error (exit 1)" \
    || no "an unwritable picture gave exit $rc, '$(head -c 200 "$tmp/err")'"

# the real corpus, only where it is (the make target fetches it)
if [ -f build/brown/ca01 ] && [ -f build/brown/cr09 ]; then
    $N --data build/brown --check-mask >"$tmp/real" 2>&1; rc=$?
    [ $rc -eq 0 ] && grep -q "500 files, 57340 sentences, 1161192 words" "$tmp/real" \
        && ok "the Brown corpus: 500 files, 57340 sentences, 1161192 words; padding checked on it" \
        || no "the Brown corpus: exit $rc, $(head -n 1 "$tmp/real")"
else
    sk "the Brown corpus is not in build/brown ('make build/brown' fetches it)"
fi

if [ $skip -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ $fail -eq 0 ]
