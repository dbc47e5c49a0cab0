#!/bin/sh
# Builds examples/shapes.c and examples/caption.c (warning-free) and checks
# the captioning lab on a tiny data set it makes itself: the generator is
# deterministic and writes PNGs and five references per image; a short
# training run prints BLEU-1..4 for the baseline, greedy and beam search,
# and beats the baseline; with one caption for every image it equals it;
# beam width 1 is greedy decoding; the pictures are written; a run is
# deterministic; missing, corrupt and wrong-size images and broken caption
# files give one-line errors that name the file (exit 1); bad options exit 2.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
build_example shapes
build_example caption

# --help lists every option of the table
./build/caption --help >"$tmp/help" 2>&1; rc=$?
missing=""
for o in --data --test --encoder --blind --filters --hidden --steps --batch --lr --clip --beam --seed \
         --samples --images --no-images --quiet --help; do
    grep -q -- "^  $o" "$tmp/help" || missing="$missing $o"
done
[ $rc -eq 0 ] && [ -z "$missing" ] && ok "caption --help exits 0 and lists every option" \
                                    || no "caption --help exited $rc; missing:$missing"
./build/shapes --help >"$tmp/help" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q -- "^  --out" "$tmp/help" && grep -q -- "^  --count" "$tmp/help" && grep -q -- "^  --seed" "$tmp/help" \
    && ok "shapes --help exits 0 and lists --out, --count, --seed" || no "shapes --help exited $rc"

# bad options: a clear message on stderr and exit status 2
bad() { # program, expected words in the message, then the arguments
    prog=$1; words=$2; shift 2
    ./build/$prog "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$words" "$tmp/err"; then ok "$prog $* exits 2: $(head -n 1 "$tmp/err")"
    else no "$prog $* exited with $rc, message '$(head -c 200 "$tmp/err")'"; fi
}
bad caption "unknown option" --bogus
bad caption "--encoder must be conv or pool, not 'vgg'" --encoder vgg
bad caption "needs a whole number" --beam 0
bad caption "needs a number" --lr fast
bad caption "lacks its value" --steps
bad caption "takes no value" --blind=yes
bad shapes "needs a whole number" --count many

# the generator: PNGs, five references per image, the same files for the same seed
mkdir -p "$tmp/d" "$tmp/d2"
./build/shapes --out "$tmp/d" --count 300 --seed 3 >"$tmp/gen" 2>&1; rc=$?
n_png=$(ls "$tmp/d" | grep -c '^img_.*\.png$')
n_cap=$(grep -vc '^#' "$tmp/d/captions.txt" 2>/dev/null)
[ $rc -eq 0 ] && [ "$n_png" -eq 300 ] && [ "$n_cap" -eq 1500 ] && ok "shapes writes 300 images and 1500 captions" \
    || no "shapes exited $rc, wrote $n_png images and $n_cap captions (want 300, 1500)"
sig=$(od -An -tx1 -N8 "$tmp/d/img_00007.png" 2>/dev/null | tr -d ' \n')
[ "$sig" = 89504e470d0a1a0a ] && ok "the images are PNG files" || no "img_00007.png is not a PNG ($sig)"
refs=$(awk -F'\t' '$1 == "img_00007.png"' "$tmp/d/captions.txt" | sort -u | wc -l)
[ "$refs" -eq 5 ] && ok "an image has 5 different reference captions" || no "img_00007.png has $refs different references"
./build/shapes --out "$tmp/d2" --count 300 --seed 3 >/dev/null 2>&1
if cmp -s "$tmp/d/captions.txt" "$tmp/d2/captions.txt" && cmp -s "$tmp/d/img_00123.png" "$tmp/d2/img_00123.png"; then
    ok "the same seed gives the same captions and images"; else no "two runs of shapes with seed 3 differ"; fi
./build/shapes --out "$tmp/d2" --count 300 --seed 4 >/dev/null 2>&1
cmp -s "$tmp/d/captions.txt" "$tmp/d2/captions.txt" && no "seeds 3 and 4 give the same captions" \
    || ok "another seed gives other scenes"
: > "$tmp/file"
./build/shapes --out "$tmp/file/dir" --count 2 >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "cannot make the directory $tmp/file" "$tmp/err" \
    && ok "shapes into an impossible directory is an error naming it" || no "shapes into an impossible directory: exit $rc, '$(head -c 200 "$tmp/err")'"
./build/shapes --out "$tmp/new/dir" --count 3 >/dev/null 2>&1 && [ -f "$tmp/new/dir/img_00002.png" ] \
    && ok "shapes makes a missing output directory" || no "shapes did not make $tmp/new/dir"

# without --data, caption makes the 2000 scenes of 'shapes' (seed 1) in memory: the same numbers
./build/shapes --out "$tmp/s2000" >/dev/null 2>&1
set -- --test 100 --batch 8 --hidden 16 --steps 40 --samples 3 --no-images --quiet
./build/caption "$@" --data "$tmp/s2000" 2>&1 | grep -v '^time:\|^data:' >"$tmp/files"
./build/caption "$@" 2>&1 | grep -v '^time:\|^data:' >"$tmp/memory"
[ -s "$tmp/files" ] && cmp -s "$tmp/files" "$tmp/memory" && ok "the scenes made in memory give the numbers of shapes' files" \
    || no "caption without --data differs from caption --data (shapes' files): $(diff "$tmp/files" "$tmp/memory" | head -3)"

# a short training run: BLEU-1..4 for the three rows, and the model beats the baseline
common="--data $tmp/d --test 60 --batch 16 --hidden 48 --samples 4"
./build/caption $common --steps 600 --images "$tmp" >"$tmp/run" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "a short training run exits 0" || no "the short run exited $rc: $(tail -n 3 "$tmp/run")"
row() { # the four BLEU numbers of a row of the table: baseline, greedy or beam
    awk -v r="$2" '($1 == r && NF == 6) || (r == "beam" && $1 == "beam" && $2 == "search,") {
        n = NF; print $(n-4), $(n-3), $(n-2), $(n-1) }' "$1"
}
base=$(row "$tmp/run" baseline); greedy=$(row "$tmp/run" greedy); beam=$(row "$tmp/run" beam)
fourn() { echo "$1" | awk 'NF == 4 { for (i = 1; i <= 4; i++) if ($i !~ /^[01]\.[0-9][0-9][0-9]$/) exit 1; exit 0 } { exit 1 }'; }
fourn "$base" && fourn "$greedy" && fourn "$beam" && ok "BLEU-1..4 printed for the baseline ($base), greedy ($greedy), beam ($beam)" \
    || no "the BLEU table is incomplete: baseline '$base', greedy '$greedy', beam '$beam'"
b4() { echo "$1" | awk '{ print $4 }'; }
awk -v m="$(b4 "$beam")" -v b="$(b4 "$base")" 'BEGIN { exit !(m != "" && b != "" && m > b + 0.1) }' \
    && ok "trained, beam search beats the baseline: BLEU-4 $(b4 "$beam") > $(b4 "$base") + 0.1" \
    || no "trained, beam search's BLEU-4 $(b4 "$beam") does not beat the baseline's $(b4 "$base") by 0.1"
awk -v m="$(b4 "$greedy")" -v b="$(b4 "$base")" 'BEGIN { exit !(m != "" && b != "" && m > b + 0.1) }' \
    && ok "trained, greedy decoding beats the baseline: BLEU-4 $(b4 "$greedy") > $(b4 "$base") + 0.1" \
    || no "trained, greedy decoding's BLEU-4 $(b4 "$greedy") does not beat the baseline's $(b4 "$base") by 0.1"
n_s=$(awk '/^held-out samples/ { on = 1; next } on && /^  img_[0-9]*\.png  [a-z]/ { n++ } END { print n + 0 }' "$tmp/run")
[ "$n_s" -eq 4 ] && ok "4 held-out sample captions are printed" || no "$n_s sample captions printed (want 4)"
for p in caption_sheet.png caption_filters.png; do
    sig=$(od -An -tx1 -N8 "$tmp/$p" 2>/dev/null | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] && ok "$p is written and is a PNG" || no "$p is missing or not a PNG"
done

# when the caption does not depend on the image, the model can only equal the
# baseline, and it does: every image of a copy of the data gets one caption
mkdir -p "$tmp/same"; cp "$tmp/d"/img_000[0-3]*.png "$tmp/same/"
awk -F'\t' 'NR > 1 && $1 ~ /^img_000[0-3]/ { print $1 "\ta blue square above a red circle" }' "$tmp/d/captions.txt" >"$tmp/same/captions.txt"
./build/caption --data "$tmp/same" --test 8 --batch 16 --hidden 16 --steps 150 --no-images --quiet >"$tmp/same.out" 2>&1; rc=$?
sb=$(row "$tmp/same.out" baseline); sg=$(row "$tmp/same.out" greedy); sk=$(row "$tmp/same.out" beam)
[ $rc -eq 0 ] && fourn "$sb" && [ "$sb" = "$sg" ] && [ "$sb" = "$sk" ] \
    && ok "one caption for every image: greedy and beam equal the baseline ($sb)" \
    || no "one caption for every image: exit $rc, baseline '$sb', greedy '$sg', beam '$sk' (want equal)"

# beam width 1 is greedy decoding; two runs with one seed print the same
set -- $common --steps 60 --beam 1 --no-images --quiet
./build/caption "$@" | grep -v '^time:' >"$tmp/a"; ./build/caption "$@" | grep -v '^time:' >"$tmp/b"
g=$(row "$tmp/a" greedy); k1=$(row "$tmp/a" beam)
[ -n "$g" ] && [ "$g" = "$k1" ] && ok "beam search with k = 1 scores as greedy decoding ($g)" \
    || no "beam k = 1 '$k1' differs from greedy '$g'"
[ -s "$tmp/a" ] && cmp -s "$tmp/a" "$tmp/b" && ok "two runs with the same seed print the same" || no "two runs with the same seed differ"
./build/caption $common --steps 60 --beam 1 --no-images --quiet --seed 2 | grep -v '^time:' >"$tmp/c"
cmp -s "$tmp/a" "$tmp/c" && no "seeds 1 and 2 print the same" || ok "another seed prints other numbers"

# bad data: one-line errors that name the file, exit 1
badd() { # what, expected words in the message, data directory
    ./build/caption --data "$3" --steps 1 --no-images >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq 1 ] && grep -q -- "$2" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then ok "$1: exit 1, $(cat "$tmp/err")"
    else no "$1: exit $rc, message '$(head -c 300 "$tmp/err")'"; fi
}
mk() { rm -rf "$tmp/e"; mkdir -p "$tmp/e"; cp "$tmp/d"/img_0000*.png "$tmp/e/"; grep '^img_0000' "$tmp/d/captions.txt" >"$tmp/e/captions.txt"; }
badd "no captions.txt" "cannot open $tmp/nodir/captions.txt" "$tmp/nodir"
mk; rm "$tmp/e/img_00004.png"
badd "a missing image" "cannot open $tmp/e/img_00004.png" "$tmp/e"
mk; head -c 100 "$tmp/d/img_00004.png" >"$tmp/e/img_00004.png"
badd "a truncated (corrupt) image" "cannot read $tmp/e/img_00004.png" "$tmp/e"
mk; echo "this is not a picture" >"$tmp/e/img_00006.png"
badd "a text file named .png" "cannot read $tmp/e/img_00006.png" "$tmp/e"
mk; cp "$tmp/caption_filters.png" "$tmp/e/img_00002.png"
badd "an image of the wrong size" "$tmp/e/img_00002.png is [0-9]*x[0-9]* pixels; the images must be 32x32" "$tmp/e"
mk; printf '# nothing here\n' >"$tmp/e/captions.txt"
badd "a captions file without captions" "$tmp/e/captions.txt has no captions" "$tmp/e"
mk; printf 'img_00001.png a red circle\n' >"$tmp/e/captions.txt"
badd "a line without a tab" "$tmp/e/captions.txt line 1: no tab" "$tmp/e"
mk; printf 'img_00001.png\t   \n' >"$tmp/e/captions.txt"
badd "an empty caption" "$tmp/e/captions.txt line 1: the caption of img_00001.png is empty" "$tmp/e"
mk; grep '^img_00000' "$tmp/d/captions.txt" >"$tmp/e/captions.txt"
badd "one image, none left to hold out" "has 1 images: too few" "$tmp/e"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
