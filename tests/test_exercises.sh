#!/bin/sh
# The graded exercises stay honest (examples/exercises/, docs/exercises.md):
# `make exercises` reports each untouched skeleton as not yet done; every
# untouched skeleton compiles without warnings and fails its grading with a
# first message that says what to do; every solution passes; typical wrong
# answers (the solutions' MISTAKE_ variants) fail with the diagnosis that
# names the mistake; a segmentation fault and an endless loop in the
# student's code are caught and reported, and the grading goes on; and the
# training lab learns "hello" with the solutions' cells.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
G=examples/exercises/grade.sh
D=examples/exercises
B=build/exercises
EX_OPT=-O0; export EX_OPT                  # quicker to compile; the checks are tiny
list=$(sed -n 's/^EXERCISES="\(.*\)"$/\1/p' $G)
[ -n "$list" ] || { no "cannot read the list of exercises from $G"; echo "$pass passed, $fail failed"; exit 1; }

# 1. make exercises (grade.sh --all) on the skeletons: it builds the grader
#    and every exercise's file, and says "not yet done" for each untouched one
sh $G --all > "$tmp/all" 2>&1
untouched=0
for n in $list; do grep -q '/\* TODO \*/' "$D/$n.c" && untouched=$((untouched+1)); done
nyd=$(grep -c 'not yet done$' "$tmp/all")
if [ "$untouched" -eq "$(echo $list | wc -w)" ]; then
    if [ "$nyd" -eq "$untouched" ] && grep -q "^0 of $untouched exercises done$" "$tmp/all"; then
        ok "make exercises: each of the $untouched skeletons \"not yet done\" with its first failure, then \"0 of $untouched exercises done\""
    else no "make exercises: $(head -c 600 "$tmp/all")"; fi
else sk "make exercises: some exercises are filled in (your work?), so its summary is not checked"; fi

# 2. each untouched skeleton compiled without a warning, fails every check,
#    and its first failure says what to do
for n in $list; do
    if ! grep -q '/\* TODO \*/' "$D/$n.c"; then sk "$D/$n.c has no /* TODO */ left (your work?): not graded as a skeleton"; continue; fi
    if [ ! -x "$B/$n" ]; then no "skeleton $n does not compile: $(head -c 300 "$B/$n.log")"; continue; fi
    [ -s "$B/$n.log" ] && no "skeleton $n compiles with warnings: $(head -c 300 "$B/$n.log")"
    "./$B/$n" > "$tmp/out" 2>&1; st=$?
    total=$(sed -n 's/^0 of \([0-9]*\) passed$/\1/p' "$tmp/out")
    if [ $st -eq 1 ] && [ -n "$total" ] && grep -m1 -A2 'FAIL' "$tmp/out" | grep -q 'TODO'; then
        ok "skeleton $n compiles, fails all $total checks; first: $(grep -m1 -A1 'FAIL' "$tmp/out" | tail -n1 | sed 's/^ *//' | cut -c1-58)..."
    else no "skeleton $n: status $st, output: $(head -c 400 "$tmp/out")"; fi
done

# 3. the solutions pass; the typical wrong answers fail with the right diagnosis
if [ ! -d $D/solutions ]; then
    sk "examples/exercises/solutions/ is not here (a student's copy): solutions and wrong answers not checked"
    echo "$pass passed, $fail failed, $skip skipped"; [ $fail -eq 0 ]; exit
fi
# exercise | MISTAKE_ macro | what the grader must say (the wrong answer's diagnosis)
cat > "$tmp/mistakes" <<'END'
rnn_cell|TRANSPOSED|you multiplied by W_hh transposed
rnn_cell|NO_ACTIVATION|g was not applied
rnn_cell_backward|NO_DTANH|the (1 - h^2) factor (tanh') is missing
rnn_cell_backward|OVERWRITE|dh_prev holds this step's part alone: you overwrote it (=)
rnn_cell_backward|H_FOR_H_PREV|dW_hh used h<t> (io->h)
losses|NO_MAX|Subtract the max of the row before exp
losses|NO_SCALE|d_o is the gradient without the factor scale
losses|BCE_NAIVE|Write the loss with the logit
losses|NO_HALF|the 1/2 of [loss.mse] is missing
bptt|NO_TIME|no gradient flows back through time
bptt|H_FOR_H_PREV|dW_hh used h<t> where [bptt.dW] has h<t-1>
bptt|NO_TRUNCATION|this is plain BPTT
gru_forward|OTHER_CONVENTION|the other convention for the update gate z
gru_forward|GATE_ORDER|the gates were read in the order z, r, n
lstm_forward|GATE_ORDER|the gates were read in the order i, f, o, g (deck D4's slide)
lstm_forward|SIGMOID_CANDIDATE|the candidate g went through sigma, as deck D3 writes it
lstm_backward|NO_DC|io->dc is missing
lstm_backward|NO_DTANH_C|the factor (1 - tanh(c)^2) is missing
clip_adam|ONE_SIDE|only the positive side was clipped
clip_adam|ALWAYS_SCALE|so g must stay as it is
clip_adam|NO_CORRECTION|without the bias corrections
clip_adam|EPS_INSIDE|eps is inside the square root
sampling|TIMES_T|that is softmax(o * T)
sampling|FEED_FIRST|every step read first
sampling|KEEP_MINUS_ONE|a target of -1 means
END
# build them all, two at a time (the grader's objects exist since step 1)
{
    for n in $list; do echo "$n $D/solutions/$n.c $B/sol_$n"; done
    while IFS='|' read -r n m say; do echo "$n $D/solutions/$n.c $B/mis_${n}_$m -DMISTAKE_$m"; done < "$tmp/mistakes"
    echo "rnn_cell $D/solutions/rnn_cell.c $B/mis_segv -DMISTAKE_SEGFAULT"
    echo "rnn_cell $D/solutions/rnn_cell.c $B/mis_loop -DMISTAKE_ENDLESS"
} | xargs -P 2 -L 1 sh $G --build > /dev/null 2>&1

for n in $list; do
    "./$B/sol_$n" > "$tmp/out" 2>&1; st=$?
    line=$(tail -n1 "$tmp/out")
    case "$line" in
    *" passed: well done") if [ $st -eq 0 ] && [ ! -s "$B/sol_$n.log" ]; then ok "solution of $n: $line"
                           else no "solution of $n: status $st, warnings: $(head -c 200 "$B/sol_$n.log")"; fi;;
    *) no "solution of $n: $(grep -A3 FAIL "$tmp/out" | head -c 500) ($line) $(head -c 300 "$B/sol_$n.log")";;
    esac
done
nm=0
while IFS='|' read -r n m say; do
    "./$B/mis_${n}_$m" > "$tmp/out" 2>&1; st=$?
    if [ $st -eq 1 ] && grep -qF "$say" "$tmp/out" && tail -n1 "$tmp/out" | grep -q ' passed$'; then
        ok "$n with MISTAKE_$m fails ($(tail -n1 "$tmp/out")), saying \"$say\""; nm=$((nm+1))
    else no "$n with MISTAKE_$m: status $st, expected \"$say\" in: $(grep -A4 FAIL "$tmp/out" | head -c 600)"; fi
done < "$tmp/mistakes"
for n in $list; do
    c=$(grep -c "^$n|" "$tmp/mistakes")
    [ "$c" -ge 2 ] || no "exercise $n has $c typical wrong answers in this test (at least 2)"
done

# 4. a crash and an endless loop end one check each, and the grading goes on
"./$B/mis_segv" > "$tmp/out" 2>&1
c=$(grep -c 'your code crashed: a segmentation fault' "$tmp/out")
if [ "$c" -eq 6 ] && tail -n1 "$tmp/out" | grep -q '^0 of 6 passed$'; then
    ok "a segmentation fault in the student's code: each of the 6 checks reports it, the grader ends with \"0 of 6 passed\""
else no "segmentation fault: $c reports; $(tail -n3 "$tmp/out")"; fi
EX_TIMEOUT=1 "./$B/mis_loop" > "$tmp/out" 2>&1
if grep -q 'no answer within the time limit' "$tmp/out" && tail -n1 "$tmp/out" | grep -q '^5 of 6 passed$'; then
    ok "an endless loop (on B=1 H=1 only) is stopped after EX_TIMEOUT=1 s and reported; the other 5 checks pass"
else no "endless loop: $(tail -n4 "$tmp/out")"; fi

# a file that calls rnn.h's own answer does not build, and is told why
printf '#include "exercises.h"\nvoid my_lstm_backward(const rnn_cell_io *io) { rnn_lstm_backward(io); }\n' > "$tmp/cheat.c"
out=$(sh $G lstm_backward "$tmp/cheat.c" 2>&1); st=$?
if [ $st -ne 0 ] && printf '%s\n' "$out" | grep -q "calls rnn_lstm_backward: that is rnn.h's own answer"; then
    ok "a file whose my_lstm_backward calls rnn_lstm_backward is refused: \"calls rnn_lstm_backward: that is rnn.h's own answer ...\""
else no "the file that calls rnn_lstm_backward: status $st: $(printf '%s\n' "$out" | head -c 300)"; fi

# 5. finishing ends with a network learning: the lab trains hello with the solutions' cells
for cell in rnn lstm; do
    out=$(sh $G --train $cell $D/solutions 2>&1); st=$?
    loss=$(printf '%s\n' "$out" | sed -n 's/.*learned hello: loss //p')
    if [ $st -eq 0 ] && [ -n "$loss" ]; then ok "make exercise-train CELL=$cell with the solutions: the model learns hello (loss $loss)"
    else no "exercise-train CELL=$cell: status $st: $(printf '%s\n' "$out" | tail -n3)"; fi
done
if grep -q '/\* TODO \*/' $D/rnn_cell.c; then
    out=$(sh $G --train rnn 2>&1); st=$?
    if [ $st -eq 1 ] && printf '%s\n' "$out" | grep -q 'make exercise EX=rnn_cell'; then
        ok "make exercise-train on the skeletons does not learn, exits 1 and says which exercises to grade"
    else no "exercise-train on the skeletons: status $st: $(printf '%s\n' "$out" | tail -n2)"; fi
fi
if [ $skip -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ $fail -eq 0 ]
