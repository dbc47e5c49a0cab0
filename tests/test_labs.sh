#!/bin/sh
# What every lab does the same way (examples/lab.h): -h and --help print the
# usage and exit 0; a usage error exits 2 with one line naming the option
# (an option followed by another lacks its value); run from any folder with
# its defaults, a lab reads the project's data and writes only under build/
# of that folder, never into the repository (git status stays the same);
# built without stb_image_write.h a lab still runs and says once that
# pictures are off; the README's demo block is what `make demo` prints and
# its install command works as root and as a user.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
root=$(pwd)
labs="hello anbn forecast vanishing caption seq2seq sentiment names charlm minchar shapes"
for l in $labs; do [ -x "build/$l" ] || { no "build/$l is not built (make)"; }; done

# -h and --help, and usage errors
for l in $labs; do
    ./build/$l -h >"$tmp/h1" 2>&1; r1=$?; ./build/$l --help >"$tmp/h2" 2>&1; r2=$?
    if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && grep -q "^usage: $l" "$tmp/h1" && cmp -s "$tmp/h1" "$tmp/h2"; then ok "$l -h and --help print its usage (exit 0)"
    else no "$l -h / --help: exit $r1 / $r2, '$(head -c 100 "$tmp/h1")'"; fi
    ./build/$l --bogus >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "^$l: .*'--bogus'" "$tmp/err" \
        && ok "$l --bogus: exit 2, $(cat "$tmp/err")" || no "$l --bogus: exit $rc, '$(head -c 200 "$tmp/err")'"
done
./build/forecast --data --epochs 20 >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^forecast: --data lacks its value (FILE), before --epochs$" "$tmp/err" \
    && ok "forecast --data --epochs 20: exit 2, $(cat "$tmp/err")" || no "forecast --data --epochs 20: exit $rc, '$(cat "$tmp/err")'"
./build/anbn --seeds >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^anbn: --seeds lacks its value (N)$" "$tmp/err" && ok "anbn --seeds: exit 2, $(cat "$tmp/err")" \
    || no "anbn --seeds: exit $rc, '$(cat "$tmp/err")'"
for l in forecast seq2seq sentiment charlm; do
    ./build/$l --cell rnn >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ $rc -eq 2 ] && grep -q "^$l: --cell must be tanh, relu, gru_simple, gru, lstm or peephole, not 'rnn'$" "$tmp/err" \
        && ok "$l --cell takes the one list of cell names" || no "$l --cell rnn: exit $rc, '$(cat "$tmp/err")'"
done

# run from another folder with the defaults: the project's data is found, the
# files land in that folder's build/, the repository does not change
before=$(git status --porcelain 2>/dev/null | sort)
mkdir -p "$tmp/away"
run() { # lab, files it must write under build/, then its options
    l=$1; files=$2; shift 2
    (cd "$tmp/away" && "$root/build/$l" "$@" >"$tmp/$l.out" 2>&1); rc=$?
    missing=""
    for f in $files; do [ -s "$tmp/away/build/$f" ] || missing="$missing $f"; done
    if [ $rc -eq 0 ] && [ -z "$missing" ]; then ok "$l runs from another folder and writes build/{$(echo $files | tr ' ' ',')}"
    else no "$l from another folder: exit $rc, missing:$missing; $(tail -n 2 "$tmp/$l.out")"; fi
}
run hello ""
run anbn "anbn_accept.png anbn_state.png" --cells lstm --seeds 1 --steps 200 --test-max 20 --state-n 20
run forecast "forecast_series.png forecast_test.png" --epochs 5 --seeds 1
run vanishing "vanishing_gradient.png" --cells tanh --T 10 --seeds 1 --steps 5 --measure 1 --hidden 8
run caption "caption_sheet.png caption_filters.png" --steps 5 --hidden 8 --test 20 --samples 2
run seq2seq "seq2seq_curves.png seq2seq_errors.png" --steps 2 --test 10 --dev 10 --hidden 8 --eval-every 1 --mode teacher --beam 2
run sentiment "sentiment_curves.png sentiment_embedding.png" --fold 0 --epochs 1 --embed 4 --hidden 4 --max-len 8 --nn-min-count 200
# names: the Brown corpus is downloaded (make build/brown), so a small one in its format stands in
mkdir -p "$tmp/brownish"
for f in 01 02 03 04 05 06 07 08 09 10; do
    printf '\n\tHe/pps said/vbd Teddy/np Roosevelt/np was/bedz here/rb ./.\n\n\tThe/at bears/nns are/ber on/in sale/nn ./.\n' >"$tmp/brownish/ca$f"
done
run names "names_f1_time.png names_words.png" --data "$tmp/brownish" --embed 4 --hidden 4 --epochs 1 --seeds 1 --evals 1
run charlm "charlm.safetensors charlm_log.csv charlm_loss.png charlm_cells.png charlm_gates.png" --steps 3 --hidden 8 --analyse 300
run minchar "" --steps 101
run shapes "shapes_data/captions.txt shapes_data/img_00002.png" --count 3
grep -q "^data: examples/data/rt-polarity\|^data: /.*/examples/data/rt-polarity" "$tmp/sentiment.out" \
    && ok "sentiment finds the shipped sentence polarity data from another folder" || no "sentiment's data: $(grep '^data' "$tmp/sentiment.out")"
others=$(cd "$tmp/away" && ls -A | grep -v '^build$')
[ -z "$others" ] && ok "nothing was written beside build/" || no "files beside build/: $others"
after=$(git status --porcelain 2>/dev/null | sort)
[ "$before" = "$after" ] && ok "git status is the same after every lab ran (nothing written into the repository)" \
    || no "the labs changed the repository: $(printf '%s\n' "$after" | head -n 5)"

# built without libstb-dev: it compiles, runs, and says once that pictures are off
if $CC -O2 -std=c99 -Wall -Wextra -pedantic -DLAB_NO_STB -I. "$root/examples/anbn.c" -o "$tmp/anbn_nostb" -lm 2>"$tmp/cc" && [ ! -s "$tmp/cc" ]; then
    (cd "$tmp" && ./anbn_nostb --cells lstm --seeds 1 --steps 100 --test-max 20 --state-n 20 --out "$tmp/nostb" >"$tmp/out" 2>"$tmp/err"); rc=$?
    [ $rc -eq 0 ] && [ "$(grep -c 'pictures are off' "$tmp/err")" -eq 1 ] && ! ls "$tmp/nostb"/*.png >/dev/null 2>&1 \
        && ok "without stb_image_write.h a lab builds warning-free and runs: $(cat "$tmp/err")" \
        || no "without stb: exit $rc, '$(head -c 200 "$tmp/err")'"
else no "anbn.c with -DLAB_NO_STB does not compile clean: $(head -c 300 "$tmp/cc")"; fi

# the README: its demo block is what `make demo` prints (each line, in order; "..." skips lines)
awk '/^\$ make demo$/ { on = 1; next } on && /^```$/ { exit } on' README.md >"$tmp/demo_readme"
./build/hello >"$tmp/demo_out" 2>&1
if [ -s "$tmp/demo_readme" ] && awk 'NR == FNR { want[n++] = $0; next }
        { got[m++] = $0 }
        END { j = 0; for (i = 0; i < n; i++) { if (want[i] ~ /^ *\.\.\. *$/) continue
                  while (j < m && got[j] != want[i]) j++
                  if (j == m) { print "missing: " want[i]; exit 1 }
                  j++ } }' "$tmp/demo_readme" "$tmp/demo_out" >"$tmp/why"; then
    ok "the README's demo block ($(wc -l <"$tmp/demo_readme") lines) is what make demo prints"
else no "the README's demo block is not what make demo prints: $(cat "$tmp/why")"; fi
cmd=$(grep -n 'apt-get install' README.md | head -n 1)
case "$cmd" in
    *"sudo apt-get"*) no "the README's install command starts with sudo, which fails where there is none: $cmd" ;;
    *apt-get*) grep -q "as root, or prefix" README.md && ok "the README's install command works as root, and says to prefix sudo as a user" \
                   || no "the README does not say to run the install command as root or with sudo" ;;
    *) no "no install command in the README" ;;
esac

# the labs' cell names are rnn.h's: LAB_CELLS (the help's constant string) lists the table's names in its order
cat > "$tmp/cells.c" <<'EOF2'
#define RNN_IMPLEMENTATION
#include "rnn.h"
#include "examples/lab.h"
#include <stdio.h>
int main(void)
{
    char all[256] = "";
    int k;
    for (k = 1; k < (int)RNN_CELL_COUNT; k++) {
        if (k > 1) strcat(all, "|");
        strcat(all, rnn_cell_name((rnn_cell)k));
        if (lab_cell_from_name(rnn_cell_name((rnn_cell)k)) != (rnn_cell)k) { printf("lookup of %s\n", rnn_cell_name((rnn_cell)k)); return 1; }
    }
    if (strcmp(all, LAB_CELLS) != 0) { printf("LAB_CELLS is '%s', rnn.h's table '%s'\n", LAB_CELLS, all); return 1; }
    return 0;
}
EOF2
if ${CC:-cc} -std=c99 -I. "$tmp/cells.c" -o "$tmp/cells" -lm 2>"$tmp/cells.err" && "$tmp/cells" >"$tmp/cells.out"; then
    ok "the labs' cell names (LAB_CELLS, lab_cell_from_name) are rnn.h's table of cells"
else no "the labs' cell names are not rnn.h's: $(cat "$tmp/cells.out" "$tmp/cells.err" | head -c 300)"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
