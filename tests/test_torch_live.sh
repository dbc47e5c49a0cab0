#!/bin/sh
# The live cross-check with PyTorch (when an interpreter that imports torch is
# found; PYTHON is set by the Makefile): fresh random cases made by torch now,
# run through rnn.h; and rnn.h's checkpoints loaded into torch.nn modules.
# Without torch it says so and counts the check as skipped, not passed.
cd "$(dirname "$0")/.." || exit 1
if [ -z "${PYTHON:-}" ] || ! "$PYTHON" -c 'import torch' >/dev/null 2>&1; then
    echo "skip - live cross-check with PyTorch: no python3 with torch (apt-get install python3-torch)"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
seed=$(date +%s)
pass=0; fail=0
if "$PYTHON" tests/fixtures/make_fixtures.py --out "$tmp/cases" --seed "$seed" --small > "$tmp/log" 2>&1; then
    echo "ok   - torch made fresh random cases (seed $seed)"; pass=$((pass+1))
else
    echo "FAIL - make_fixtures.py failed: $(tail -n 5 "$tmp/log")"; fail=$((fail+1))
fi
for prog in build/test_torch build/test_torch_float; do
    out=$(./$prog "$tmp/cases" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v '^[0-9]* passed' | sed "s|^\(....\) - |\1 - live ($prog): |"
    line=$(printf '%s\n' "$out" | tail -n 1)
    p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
    pass=$((pass+p)); fail=$((fail+f)); [ $rc -ne 0 ] && [ "$f" = 0 ] && fail=$((fail+1))
done
for prog in build/test_torch build/test_torch_float; do
mkdir -p "$tmp/export_${prog#build/}"
if ./$prog --export "$tmp/export_${prog#build/}"; then
    out=$("$PYTHON" tests/torch_roundtrip.py "$tmp/export_${prog#build/}" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v '^[0-9]* passed'
    line=$(printf '%s\n' "$out" | tail -n 1)
    case "$line" in *passed*) p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*};;
                    *) p=0; f=1; echo "FAIL - torch_roundtrip.py: $line";; esac
    pass=$((pass+p)); fail=$((fail+f))
else
    echo "FAIL - $prog --export"; fail=$((fail+1))
fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
