#!/bin/sh
# The examples check every status they receive: hello, built with an
# allocator that fails at the k-th allocation, for every k, stops with a
# one-line message (never a crash, never "loss -nan"); charlm refuses an
# unwritable --checkpoint before training, leaving its log as it was, and a
# crafted checkpoint (num_layers 2147483647, bidirectional) with a message.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

build_example hello "-include tests/fail_alloc.h" "$tmp/hello_fa"
FAIL_ALLOC=0 "$tmp/hello_fa" >"$tmp/out" 2>"$tmp/err"; rc=$?
n=$(sed -n 's/^allocations: //p' "$tmp/err")
if [ $rc -eq 0 ] && [ -n "$n" ] && [ "$n" -gt 0 ]; then ok "hello with the counting allocator runs and allocates $n times"
else no "hello with the counting allocator: exit $rc, '$(head -c 200 "$tmp/err")'"; n=0; fi
bad=""
k=1
while [ "$k" -le "$n" ]; do
    FAIL_ALLOC=$k "$tmp/hello_fa" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -ne 1 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -q '^hello: .*out of memory$' "$tmp/err"; then
        bad="$bad $k(exit $rc: $(head -c 80 "$tmp/err"))"
    fi
    k=$((k+1))
done
[ -z "$bad" ] && [ "$n" -gt 0 ] && ok "hello stops with one line 'hello: ...: out of memory' and exit 1 when any of its $n allocations fails" \
    || no "hello with a failing allocation:$bad"

bin=build/charlm
[ -x "$bin" ] || build_example charlm
i=0
while [ $i -lt 60 ]; do printf 'int f%d(int x) { return x + %d; }\n' $((i % 7)) $((i % 5)); i=$((i+1)); done >"$tmp/c.txt"
printf 'step,kept\n1,2\n' >"$tmp/log.csv"
cp "$tmp/log.csv" "$tmp/log.keep"
: > "$tmp/afile" # a file where the checkpoint's folder should be: no folder can be made there
$bin "$tmp/c.txt" --hidden 8 --seq 8 --batch 2 --steps 200 --checkpoint "$tmp/afile/c.st" --log "$tmp/log.csv" --no-images \
    >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "cannot write the checkpoint" "$tmp/err" && ! grep -q '^step' "$tmp/out" && cmp -s "$tmp/log.csv" "$tmp/log.keep"; then
    ok "charlm refuses an unwritable --checkpoint before training, its log untouched: $(head -n 1 "$tmp/err")"
else no "charlm with an unwritable --checkpoint: exit $rc, trained: $(grep -c '^step' "$tmp/out") progress lines, log kept: $(cmp -s "$tmp/log.csv" "$tmp/log.keep" && echo yes || echo no), '$(head -c 200 "$tmp/err")'"; fi

if ./build/test_checkpoint --write-crafted "$tmp" >/dev/null 2>&1 && [ -f "$tmp/crafted_00.safetensors" ]; then
    $bin "$tmp/c.txt" --batch 2 --seq 8 --resume --checkpoint "$tmp/crafted_00.safetensors" --log "$tmp/r.csv" --no-images >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq 1 ] && grep -q "cannot resume from .*num_layers" "$tmp/err"; then
        ok "charlm --resume from a checkpoint with num_layers 2147483647, bidirectional: exit 1, $(head -n 1 "$tmp/err")"
    else no "charlm --resume from the num_layers 2147483647 checkpoint: exit $rc, '$(head -c 200 "$tmp/err")'"; fi
else no "build/test_checkpoint --write-crafted did not write the crafted files"; fi

# a run that diverges never saves its weights over the last good checkpoint:
# SGD's velocity set to 3e38 in a checkpoint (finite, so it loads), then one
# step at --lr 100 makes every weight infinite
cat >"$tmp/velocity.c" <<'CEOF'
#define RNN_IMPLEMENTATION
#include "rnn.h"
int main(int argc, char **argv)
{
    rnn_model m; rnn_optim o; rnn_checkpoint ck; int32_t vocab[64]; int i;
    memset(&ck, 0, sizeof ck); ck.optim = &o; ck.with_state = 1; ck.vocab = vocab; ck.vocab_cap = 64;
    if (argc != 2 || rnn_load(argv[1], &m, &ck) != RNN_OK || !o.m1) return 1;
    for (i = 0; i < o.n; i++) o.m1[i] = (rnn_real)3e38;
    return rnn_save(argv[1], &m, &ck) != RNN_OK;
}
CEOF
sv="--hidden 8 --seq 8 --batch 2 --optim sgd --momentum 0.5 --no-images --checkpoint $tmp/v.st --log $tmp/v.csv"
if $CC -std=c99 -I. "$tmp/velocity.c" -o "$tmp/velocity" -lm && $bin "$tmp/c.txt" $sv --steps 10 --save-every 5 >/dev/null 2>&1 &&
   "$tmp/velocity" "$tmp/v.st" && cp "$tmp/v.st" "$tmp/v.keep"; then
    $bin "$tmp/c.txt" $sv --steps 20 --save-every 1 --lr 100 --resume --force >"$tmp/out" 2>"$tmp/err"; rc=$?  # --force: another --lr
    if [ $rc -eq 1 ] && grep -q "NaN or infinite.*keeps the last checkpoint" "$tmp/err" && cmp -s "$tmp/v.st" "$tmp/v.keep"; then
        ok "charlm stops a run whose weights became infinite without saving them over the checkpoint: $(head -n 1 "$tmp/err")"
    else no "charlm with infinite weights: exit $rc, checkpoint kept: $(cmp -s "$tmp/v.st" "$tmp/v.keep" && echo yes || echo no), '$(head -c 200 "$tmp/err")'"; fi
else no "could not make the checkpoint with SGD's velocity at 3e38"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
