#!/bin/sh
# The live cross-check with PyTorch (when an interpreter that imports torch is
# found): fresh random cases made by torch now (every cell, 1 and 2 layers,
# one and two directions), run through rnn.h in double and in float; and
# rnn.h's checkpoints (among them a bidirectional GRU and LSTM) loaded into
# torch.nn modules. Without torch it says so and counts the check as
# skipped, not passed.
# PYTHON: the interpreter (the Makefile sets it; empty = none has torch).
# When PYTHON is not set at all, /usr/bin/python3 and python3 are tried.
cd "$(dirname "$0")/.." || exit 1
if [ -z "${PYTHON+set}" ]; then
    PYTHON=
    for p in /usr/bin/python3 python3; do
        if "$p" -c 'import torch' >/dev/null 2>&1; then PYTHON=$p; break; fi
    done
fi
if [ -z "$PYTHON" ] || ! "$PYTHON" -c 'import torch' >/dev/null 2>&1; then
    echo "skip - live cross-check with PyTorch: no python3 with torch (apt-get install python3-torch)"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
seed=$(date +%s)
pass=0; fail=0
CC=${CC:-cc}
mkdir -p build
# the two comparison programs, built here when missing or older than their sources
for prog in build/test_torch build/test_torch_float; do
    if [ ! -x $prog ] || [ -n "$(find rnn.h tests/test_torch.c tests/harness.h -newer $prog)" ]; then
        real=""; [ $prog = build/test_torch_float ] && real="-DRNN_REAL=float"
        if ! $CC -O2 -std=c99 -Wall -Wextra -pedantic $real -I. tests/test_torch.c -o $prog -lm 2>"$tmp/cc"; then
            echo "FAIL - tests/test_torch.c does not compile ($prog): $(head -c 300 "$tmp/cc")"
            echo "0 passed, 1 failed"; exit 1
        fi
    fi
done
if "$PYTHON" tests/fixtures/make_fixtures.py --out "$tmp/cases" --seed "$seed" --small > "$tmp/log" 2>&1; then
    echo "ok   - torch made fresh random cases (seed $seed)"; pass=$((pass+1))
else
    echo "FAIL - make_fixtures.py failed: $(tail -n 5 "$tmp/log")"; fail=$((fail+1))
fi
nbi=$(cat "$tmp"/cases/*.txt 2>/dev/null | grep -c '^config .* bidirectional=1')
if [ "$nbi" -gt 0 ]; then
    echo "ok   - $nbi of the fresh cases are bidirectional"; pass=$((pass+1))
else
    echo "FAIL - no bidirectional case among the fresh cases"; fail=$((fail+1))
fi
for prog in build/test_torch build/test_torch_float; do
    out=$(./$prog "$tmp/cases" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v '^[0-9]* passed' | sed "s|^\(....\) - |\1 - live ($prog): |"
    line=$(printf '%s\n' "$out" | tail -n 1)
    case "$line" in
        *passed*) p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*};;
        *) p=0; f=1; echo "FAIL - $prog ended without its closing line (exit status $rc)";;
    esac
    pass=$((pass+p)); fail=$((fail+f)); [ $rc -ne 0 ] && [ "$f" = 0 ] && fail=$((fail+1))
done
# rnn.h's checkpoints (double and float) into torch.nn, in one python run
dirs=""
for prog in build/test_torch build/test_torch_float; do
    dir="$tmp/export_${prog#build/}"
    mkdir -p "$dir"
    if ./$prog --export "$dir"; then dirs="$dirs $dir"
    else echo "FAIL - $prog --export"; fail=$((fail+1)); fi
done
if [ -n "$dirs" ]; then
    # shellcheck disable=SC2086 # the directories have no spaces (mktemp)
    out=$("$PYTHON" tests/torch_roundtrip.py $dirs 2>&1); rc=$?
    printf '%s\n' "$out" | grep -v '^[0-9]* passed'
    line=$(printf '%s\n' "$out" | tail -n 1)
    case "$line" in *passed*) p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*};;
                    *) p=0; f=1; echo "FAIL - torch_roundtrip.py: $line";; esac
    pass=$((pass+p)); fail=$((fail+f)); [ $rc -ne 0 ] && [ "$f" = 0 ] && fail=$((fail+1))
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
