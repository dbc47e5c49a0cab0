#!/bin/sh
# examples/step_by_step.c, deck D1's "paso a paso" lab: it compiles without
# warnings, and its LSTM and GRU written out step by step with the per-step
# cell functions agree with rnn_forward / rnn_backward (to 1e-12) and with
# finite differences (to 1e-7) for every gradient tensor; -h and a bad
# option behave as in every lab.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
build_example step_by_step "" "$tmp/step_by_step"
out=$("$tmp/step_by_step" 2>&1); st=$?
n=$(printf '%s\n' "$out" | grep -c 'the hand loop and the model agree')
if [ $st -eq 0 ] && [ "$n" -eq 2 ]; then
    ok "step_by_step: the LSTM and the GRU by hand agree with rnn_forward/rnn_backward and finite differences"
else no "step_by_step: status $st: $(printf '%s\n' "$out" | tail -n 12)"; fi
rows=$(printf '%s\n' "$out" | grep -c '^  [a-z_.0-9]* *[0-9.e+-]* *[0-9.e+-]*$')
[ "$rows" -eq 12 ] && ok "step_by_step: 12 gradient tensors compared (6 per model)" || no "step_by_step: $rows gradient rows, expected 12"
"$tmp/step_by_step" -h > "$tmp/h" 2>&1 && grep -q usage "$tmp/h" && ok "step_by_step -h prints the usage, exit 0" || no "step_by_step -h"
"$tmp/step_by_step" --bogus > /dev/null 2>&1; st=$?
[ $st -eq 2 ] && ok "step_by_step --bogus: exit 2" || no "step_by_step --bogus: exit $st"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
