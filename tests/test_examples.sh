#!/bin/sh
# Runs the examples and checks what they must show.
cd "$(dirname "$0")/.." || exit 1
pass=0; fail=0
ok() { echo "ok   - $*"; pass=$((pass+1)); }
no() { echo "FAIL - $*"; fail=$((fail+1)); }

out=$(./build/hello 2>&1); rc=$?
[ $rc -eq 0 ] && ok "hello runs (exit 0)" || no "hello exited with $rc"
loss=$(printf '%s\n' "$out" | sed -n 's/^final loss //p')
awk -v l="$loss" 'BEGIN { exit !(l != "" && l < 0.01) }' && ok "hello reaches near-zero loss ($loss < 0.01)" || no "hello's final loss is '$loss'"
printf '%s\n' "$out" | grep -q "^sample from 'h': hello$" && ok "hello samples \"hello\" from \"h\"" || no "hello did not sample hello: $(printf '%s\n' "$out" | grep sample)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
