#!/bin/sh
# docs/equations.md cannot drift from rnn.h: regenerating its last column
# from the header must change nothing, every tag it names must be computed
# in rnn.h (a tag counts only on or directly above the statement that
# computes it, never in a comment alone: two broken copies of rnn.h check
# that the tool notices), and every tag of the course's catalogue of
# formulas (a copy in tests/course_equations.md) must be in both.
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0; skip=0
ok() { echo "ok   - $*"; pass=$((pass+1)); }
no() { echo "FAIL - $*"; fail=$((fail+1)); }
if awk -f tools/equations.awk rnn.h docs/equations.md > "$tmp/eq.md" 2> "$tmp/err"; then
    ok "every tag of docs/equations.md is computed in rnn.h, and every tag of rnn.h is in the docs"
else
    no "$(cat "$tmp/err")"
fi
# the check must reject a tag that only sits in a comment: take away the
# tag of the statement that computes [tbptt] (a comment above the function
# still names it), and of the one that computes [bptt.dU]
sed 's|/\* \[tbptt\] h<0> of the next chunk = h<T> \*/||' rnn.h > "$tmp/mut.h"
if cmp -s "$tmp/mut.h" rnn.h; then no "the broken copy for [tbptt] is not broken (the sed script found nothing)"
elif awk -f tools/equations.awk "$tmp/mut.h" docs/equations.md > /dev/null 2> "$tmp/err2"; then
    no "equations.awk accepts [tbptt] named only in a comment above rnn_carry_state"
elif grep -q 'only in comments.*tbptt' "$tmp/err2"; then ok "equations.awk rejects a tag named only in a comment, with no computing statement next to it ([tbptt])"
else no "equations.awk fails on the broken copy, but not for [tbptt]: $(cat "$tmp/err2")"; fi
awk '/\[bptt.dU\] grad_U L = sum_t diag/ && !done { print "        /* the input side'"'"'s weights: dW_ih += dgx^T x */"; getline; print; print ""; done = 1; next } { print }' rnn.h > "$tmp/mut2.h"
if cmp -s "$tmp/mut2.h" rnn.h; then no "the broken copy for [bptt.dU] is not broken"
elif awk -f tools/equations.awk "$tmp/mut2.h" docs/equations.md > /dev/null 2> "$tmp/err3"; then
    no "equations.awk accepts rnn.h without a statement tagged [bptt.dU]"
elif grep -q 'bptt.dU' "$tmp/err3"; then ok "equations.awk rejects rnn.h when no statement computes [bptt.dU]"
else no "equations.awk fails on the copy without [bptt.dU], but not for it: $(cat "$tmp/err3")"; fi
if cmp -s "$tmp/eq.md" docs/equations.md; then ok "docs/equations.md points at the right functions and lines (run 'make equations' after editing rnn.h)"
else no "docs/equations.md is out of date: run 'make equations' ($(diff docs/equations.md "$tmp/eq.md" | grep -c '^>') rows differ)"; fi
catalogue=tests/course_equations.md
if [ -f "$catalogue" ]; then
    tags=$(awk -F'|' '/^\|/ { t=$2; gsub(/ /,"",t); if (t=="tag") { on=1; next } if (on && t !~ /^-+$/) print t; next } { on=0 }' "$catalogue" | grep -v '^exp\.' | sort -u)
    missing=""
    for t in $tags; do grep -qF "\`$t\`" docs/equations.md || missing="$missing $t"; done
    [ -z "$missing" ] && ok "all $(echo $tags | wc -w) tags of the course catalogue are mapped" || no "catalogue tags not mapped:$missing"
    exps=$(awk -F'|' '/^\|/ { t=$2; gsub(/ /,"",t); if (t ~ /^exp\./) print t }' "$catalogue" | sort -u)
    missing=""
    for t in $exps; do grep -q "^| $t |" docs/equations.md || missing="$missing $t"; done
    [ -z "$missing" ] && ok "all $(echo $exps | wc -w) experiments of the catalogue are listed with the program that repeats them" || no "experiments not listed:$missing"
else
    no "the course catalogue $catalogue is missing"
fi
# every relative link of the page points at a file of the repository
broken=""
for f in $(grep -o '](\(\.\./\)*[A-Za-z][^)#]*' docs/equations.md | sed 's/^](//' | sort -u); do
    [ -e "docs/$f" ] || broken="$broken $f"
done
[ -z "$broken" ] && ok "every file docs/equations.md links to exists" || no "docs/equations.md links to missing files:$broken"
n=$(grep -c '^RNNDEF' rnn.h)
echo "$pass passed, $fail failed$( [ $skip -gt 0 ] && echo ", $skip skipped")"
[ $fail -eq 0 ]
