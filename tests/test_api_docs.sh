#!/bin/sh
# docs/api.md and docs/pytorch.md cannot drift from rnn.h. The checks: every
# RNNDEF function of the header has an entry "### rnn_name" in docs/api.md
# and no entry names a function the header does not declare; no function has
# two entries; the entries come in the header's order; each entry's ```c
# block is the header's declaration (whitespace aside); each entry has the
# fields Shapes, Caches/allocates, Status and Example; every public type of
# the header has an entry "### type rnn_name"; every status code is in the
# table; every rnn_* / RNN_* name the page mentions exists in rnn.h; and the
# one-line examples compile. Then the same checkers run on broken copies of
# the page (an entry removed, an entry for a function that does not exist, a
# changed declaration, a missing field, entries swapped, ...) and must fail
# on each. Last, the programs of docs/pytorch.md compile without warnings
# and, where a python3 with torch is found (PYTHON, else /usr/bin/python3),
# run both ways and print the same numbers in rnn.h and in torch.nn;
# without torch that part is counted as skipped. And the program of
# docs/guide/hello.md that draws docs/images/hello_unrolled.png compiles
# without warnings, writes a PNG and fails cleanly on an unwritable path.
cd "$(dirname "$0")/.." || exit 1
LC_ALL=C; export LC_ALL
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { echo "ok   - $*"; pass=$((pass+1)); }
no() { echo "FAIL - $*"; fail=$((fail+1)); }

# the header's declarations, one per line: name <TAB> declaration, in order
# (only the part before the implementation; the declaration ends at ';')
header_decls() {
    awk '
    function norm(s) { gsub(/[ \t]+/, " ", s); gsub(/\( /, "(", s); gsub(/ \)/, ")", s)
                       sub(/^ /, "", s); sub(/ $/, "", s); return s }
    /^#ifdef RNN_IMPLEMENTATION/ { exit }
    /^RNNDEF / { on = 1; s = "" }
    on { s = s " " $0
         if (index($0, ";")) { sub(/;.*/, ";", s); s = norm(s)
             if (match(s, /rnn_[a-z0-9_]*\(/)) print substr(s, RSTART, RLENGTH - 1) "\t" s
             on = 0 } }' "$1"
}
# the page's function entries: name <TAB> first ```c block after the heading
doc_entries() {
    awk '
    function norm(s) { gsub(/[ \t]+/, " ", s); gsub(/\( /, "(", s); gsub(/ \)/, ")", s)
                       sub(/^ /, "", s); sub(/ $/, "", s); return s }
    function flush() { if (name != "") { sub(/;.*/, ";", sig); print name "\t" norm(sig) } name = "" }
    /^### rnn_[a-z0-9_]+[ \t]*$/ { flush(); name = $2; sig = ""; state = 0; next }
    /^##/ { flush(); next }
    name != "" && state == 0 && /^```c/ { state = 1; next }
    name != "" && state == 1 && /^```/ { state = 2; next }
    name != "" && state == 1 { sig = sig " " $0 }
    END { flush() }' "$1"
}
# entries lacking one of the four fields: prints "name field"
doc_missing_fields() {
    awk '
    function flush(  i) { if (name != "") for (i = 1; i <= 4; i++) if (!seen[i]) print name " " label[i]; name = "" }
    BEGIN { label[1] = "Shapes"; label[2] = "Caches/allocates"; label[3] = "Status"; label[4] = "Example" }
    /^### rnn_[a-z0-9_]+[ \t]*$/ { flush(); name = $2; for (i = 1; i <= 4; i++) seen[i] = 0; next }
    /^##/ { flush(); next }
    name != "" { for (i = 1; i <= 4; i++) if (index($0, "- **" label[i] ":**") == 1) seen[i] = 1 }
    END { flush() }' "$1"
}
# the header's public type names (typedef ... rnn_x; and } rnn_x;)
header_types() {
    awk '/^#ifdef RNN_IMPLEMENTATION/ { exit }
         /^typedef [^(]* rnn_[a-z0-9_]+;/ || /^} rnn_[a-z0-9_]+;/ {
             s = $0; sub(/;[^;]*$/, "", s); n = split(s, w, /[ }]+/); print w[n] }' "$1" | sort -u
}

# check HEADER DOC: prints ok/FAIL lines (through ok/no)
check() {
    h=$1; d=$2
    header_decls "$h" > "$tmp/h"; doc_entries "$d" > "$tmp/d"
    cut -f1 "$tmp/h" > "$tmp/hn"; cut -f1 "$tmp/d" > "$tmp/dn"
    nh=$(wc -l < "$tmp/hn" | tr -d ' ')
    sort -u "$tmp/dn" > "$tmp/dns"
    missing=$(sort -u "$tmp/hn" | comm -23 - "$tmp/dns" | tr '\n' ' ')
    [ "$nh" -gt 0 ] && [ -z "$missing" ] && ok "all $nh RNNDEF functions of rnn.h have an entry in docs/api.md" \
        || no "RNNDEF functions of rnn.h without an entry in docs/api.md: ${missing:-(none found in rnn.h)}"
    stale=$(sort -u "$tmp/hn" | comm -13 - "$tmp/dns" | tr '\n' ' ')
    [ -z "$stale" ] && ok "every function entry of docs/api.md names a function rnn.h declares" \
        || no "docs/api.md has entries for functions rnn.h does not declare: $stale"
    dup=$(sort "$tmp/dn" | uniq -d | tr '\n' ' ')
    [ -z "$dup" ] && ok "no function has two entries" || no "functions with two entries: $dup"
    # order: the page's entries, restricted to declared names, in the header's order
    grep -Fxf "$tmp/hn" "$tmp/dn" | awk '!seen[$0]++' > "$tmp/do"
    grep -Fxf "$tmp/do" "$tmp/hn" > "$tmp/ho"
    if cmp -s "$tmp/do" "$tmp/ho"; then ok "the entries follow the order of the header"
    else
        first=$(paste "$tmp/ho" "$tmp/do" | awk -F'\t' '$1 != $2 { print "header has " $1 " where the page has " $2; exit }')
        no "the entries are not in the header's order: $first"
    fi
    bad=$(awk -F'\t' 'NR == FNR { want[$1] = $2; next } ($1 in want) && want[$1] != $2 { print $1 }' "$tmp/h" "$tmp/d" | tr '\n' ' ')
    [ -z "$bad" ] && ok "each entry's declaration is the header's, word for word" \
        || no "declarations that differ from rnn.h (copy them again from the header): $bad"
    nofield=$(doc_missing_fields "$d" | tr '\n' ',' | sed 's/,$//; s/,/, /g')
    [ -z "$nofield" ] && ok "every entry has Shapes, Caches/allocates, Status and Example" \
        || no "entries without a field: $nofield"
    header_types "$h" > "$tmp/ht"
    grep '^### type rnn_[a-z0-9_]*[ \t]*$' "$d" | awk '{ print $3 }' | sort -u > "$tmp/dt"
    mt=$(comm -23 "$tmp/ht" "$tmp/dt" | tr '\n' ' '); st=$(comm -13 "$tmp/ht" "$tmp/dt" | tr '\n' ' ')
    [ -s "$tmp/ht" ] && [ -z "$mt$st" ] && ok "all $(wc -l < "$tmp/ht" | tr -d ' ') public types have an entry \"### type\", and no other" \
        || no "types without an entry: ${mt:-none}; type entries rnn.h does not define: ${st:-none}"
    codes=$(awk '/^#define RNN__STATUS_LIST/ { on = 1 } on && /X\(RNN_/ { s = $0; sub(/.*X\(/, "", s); sub(/,.*/, "", s); print s }
                 on && !/\\$/ { if (n++) exit }' "$h")
    nocode=""; for c in $codes; do grep -q "| \`$c\` |" "$d" || nocode="$nocode $c"; done
    [ -n "$codes" ] && [ -z "$nocode" ] && ok "the status table has all $(echo $codes | wc -w) codes" \
        || no "status codes missing from the table:${nocode:- (no codes found in rnn.h)}"
    grep -o '\b[Rr][Nn][Nn]_[A-Za-z0-9_]*' "$d" | sort -u > "$tmp/words"
    grep -owF -f "$tmp/words" "$h" | sort -u > "$tmp/found"
    unknown=$(comm -23 "$tmp/words" "$tmp/found" | tr '\n' ' ' | sed 's/ $//; s/^/ /; s/^ $//')
    [ -z "$unknown" ] && ok "every rnn_* and RNN_* name in docs/api.md exists in rnn.h" \
        || no "names in docs/api.md that rnn.h does not have:$unknown"
}

if [ ! -f docs/api.md ]; then no "docs/api.md is missing"; echo "$pass passed, $fail failed"; exit 1; fi
check rnn.h docs/api.md

# the checker must catch each kind of drift: run it on broken copies
first=$(header_decls rnn.h | head -n 1 | cut -f1)
second=$(header_decls rnn.h | sed -n 2p | cut -f1)
mutant() { # description, the start of the FAIL line it must cause, a sed script for docs/api.md
    what=$1; sed "$3" docs/api.md > "$tmp/mut.md"
    if cmp -s "$tmp/mut.md" docs/api.md; then no "the broken copy for $what is not broken (the sed script found nothing)"
    elif ( pass=0; fail=0; check rnn.h "$tmp/mut.md" ) | grep -q "^FAIL - $2"; then ok "the check fails on $what"
    else no "the check does not notice $what"; fi
}
mutant "a missing entry ($first)" "RNNDEF functions of rnn.h without" "s/^### $first\$/### removed/"
mutant "an entry for a function rnn.h lacks" "docs/api.md has entries for functions" "s/^### $first\$/### $first\\
### rnn_no_such_function/"
mutant "a declaration that differs from the header" "declarations that differ" "/^### $first\$/,/^\`\`\`\$/ s/RNNDEF /RNNDEF static /"
mutant "an entry without its Example" "entries without a field" "/^### $first\$/,/^### / { /^- \*\*Example:\*\*/d; }"
mutant "two entries in the wrong order" "the entries are not in the header's order" "s/^### $first\$/### PLACEHOLDER/; s/^### $second\$/### $first/; s/^### PLACEHOLDER\$/### $second/"
mutant "a function with two entries" "functions with two entries" "s/^### $second\$/### $first/"
mutant "a misspelt name in the text" "names in docs/api.md that rnn.h does not have" "s/rnn_zero_grad(&m);/rnn_zero_grads(\&m);/"
mutant "a status code missing from the table" "status codes missing" "s/^| \`RNN_ERR_IO\` |/| IO |/"
mutant "a type without an entry" "types without an entry" "s/^### type rnn_batch/### the batch/"

# the one-line examples of docs/api.md compile, each in its own block, with
# the variables the page's conventions give them (m a model, b a batch ...)
examples() { # DOC: prints one ok/FAIL line
grep '^- \*\*Example:\*\* `' "$1" | sed 's/^- \*\*Example:\*\* `//; s/`$//' > "$tmp/ex.txt"
{
    cat <<'CTX'
#define RNN_IMPLEMENTATION
#include "rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
static void send(const unsigned char *p, size_t n) { (void)p; (void)n; }
int examples(void);
int examples(void)
{
    rnn_model m, enc, dec; rnn_model_desc d; rnn_batch b, chunk, src_batch; rnn_real loss = 0; rnn_status st; rnn_optim opt;
    rnn_optim_desc od; rnn_rng r, rng; rnn_checkpoint ck; rnn_bleu bl; rnn_ngram lm; rnn_ngram_desc nd; rnn_cell_io io;
    int B = 2, H = 3, X = 4, G = 4, Y = 4, T = 5, M = 2, N = 2, K = 2, V = 4, D = 3, w = 0, w1 = 0, w2 = 1;
    int t = 0, n = 1, first = 0, tok = 0, next, best, man = 0, king = 1, woman = 2, ids[5], out[20], flip = 0;
    int *targets = 0, *cand = 0, *ref_len = 0, *text = 0, *train = 0, *test = 0, n_train = 0, n_test = 0, i = 0;
    const int *const *refs = 0; const int *const *cands = 0; const int *cand_lens = 0;
    const int *const *const *nested_refs = 0; const int *const *ref_lens = 0; const int *n_refs = 0;
    double lp = 0, ppl; long long cnt = 0;
    rnn_real *x = 0, *W_ih = 0, *gx = 0, *h = 0, *h_prev = 0, *W_hh = 0, *b_hh = 0, *cache = 0, *dgx = 0,
             *dh_prev = 0, *dW_hh = 0, *db_hh = 0, *dh = 0, *dgh = 0, *work = 0, *c = 0, *c_prev = 0, *dc_prev = 0,
             *dc = 0, *y = 0, *d_o = 0, *d_out = 0, *o = 0, *target = 0, *probs = 0, *A = 0, *Bm = 0, *C_ref = 0, sims[5];
    unsigned char *buf = 0; size_t len = 0;
CTX
    while IFS= read -r line; do printf '    { %s }\n' "$line"; done < "$tmp/ex.txt"
    echo '    return 0;'; echo '}'
} | sed 's/(&bl, cands, cand_lens, refs, ref_lens,/(\&bl, cands, cand_lens, nested_refs, ref_lens,/' > "$tmp/ex.c"
nex=$(wc -l < "$tmp/ex.txt" | tr -d ' ')
if [ "$nex" -gt 0 ] && ${CC:-cc} -std=c99 -fsyntax-only -Werror=implicit-function-declaration -Werror=int-conversion \
        -Werror=incompatible-pointer-types -I"$PWD" "$tmp/ex.c" 2>"$tmp/excc"; then
    ok "the $nex one-line examples of docs/api.md compile against rnn.h"
else
    no "one-line examples of docs/api.md that do not compile: $(grep -m 3 'error' "$tmp/excc" | sed "s|$tmp/||g" | tr '\n' ' ')"
fi
}
examples docs/api.md
sed 's/`rnn_zero_grad(&m);`/`rnn_zero_gradd(\&m);`/' docs/api.md > "$tmp/mut.md"
if cmp -s "$tmp/mut.md" docs/api.md; then no "the broken copy for the example check is not broken"
elif ( pass=0; fail=0; examples "$tmp/mut.md" ) | grep -q '^FAIL - one-line examples'; then
    ok "the example check fails on an example that calls a function rnn.h lacks"
else no "the example check does not notice an example that calls a function rnn.h lacks"; fi

# docs/pytorch.md: its programs (each after a line "<!-- file: NAME -->")
# compile without warnings and, where torch is installed, print what the
# page says: PyTorch's numbers equal rnn.h's in both directions
skip=0
mkdir -p "$tmp/pt"
awk -v dir="$tmp/pt" '/^<!-- file: [A-Za-z0-9_.]+ -->$/ { name = $3; next }
     name != "" && /^```/ { if (out) { close(out); out = ""; name = "" } else out = dir "/" name; next }
     out { print > out }' docs/pytorch.md
CC=${CC:-cc}
for c in save_hello load_gru; do
    if [ ! -s "$tmp/pt/$c.c" ]; then no "docs/pytorch.md has no program $c.c"; continue; fi
    if $CC -std=c99 -Wall -Wextra -pedantic -I"$PWD" "$tmp/pt/$c.c" -o "$tmp/pt/$c" -lm 2>"$tmp/cc" && [ ! -s "$tmp/cc" ]; then
        ok "docs/pytorch.md: $c.c compiles without warnings"
    else no "docs/pytorch.md: $c.c does not compile cleanly: $(head -c 300 "$tmp/cc")"; fi
done
py=""
for p in ${PYTHON:-} /usr/bin/python3; do "$p" -c 'import torch' >/dev/null 2>&1 && { py=$p; break; }; done
# prints the largest difference between the numbers of two files (same count), or "count"
numdiff() { awk 'function nums(s, arr,   k, w, i, c) { gsub(/[^-0-9.eE+]/, " ", s); k = split(s, w, " ")
                       for (i = 1; i <= k; i++) if (w[i] ~ /^-?[0-9]+\.[0-9]+$/) arr[c++] = w[i] + 0; return c }
                 NR == FNR { n += nums($0, t); for (i in t) a[n - length(t) + i] = t[i]; delete t; next }
                 { m += nums($0, t); for (i in t) b[m - length(t) + i] = t[i]; delete t }
                 END { if (n != m || n == 0) { print "count " n " " m; exit }
                       for (i = 0; i < n; i++) { d = a[i] - b[i]; if (d < 0) d = -d; if (d > w) w = d } print w + 0 }' "$1" "$2"; }
if [ -z "$py" ]; then
    echo "skip - docs/pytorch.md's round trips: no python3 with torch (apt-get install python3-torch)"; skip=1
elif [ -x "$tmp/pt/save_hello" ] && [ -x "$tmp/pt/load_gru" ]; then
    ( cd "$tmp/pt" && ./save_hello > c_out && "$py" rnnh_to_torch.py > py_out 2>&1 ) || true
    tail -n +2 "$tmp/pt/py_out" > "$tmp/pt/py_nums"
    d=$(numdiff "$tmp/pt/c_out" "$tmp/pt/py_nums")
    case "$d" in count*|"") no "docs/pytorch.md, rnn.h to PyTorch: the outputs do not line up ($d): $(head -c 300 "$tmp/pt/py_out")";;
        *) awk -v d="$d" 'BEGIN { exit !(d <= 2e-6) }' && ok "docs/pytorch.md, rnn.h to PyTorch: torch.nn gives rnn.h's 16 probabilities (largest difference $d)" \
               || no "docs/pytorch.md, rnn.h to PyTorch: the probabilities differ by $d";; esac
    ( cd "$tmp/pt" && "$py" torch_to_rnnh.py > py_out2 2>&1 && ./load_gru > c_out2 2>&1 ) || true
    grep '^torch y' "$tmp/pt/py_out2" > "$tmp/pt/a"; grep '^rnn.h y' "$tmp/pt/c_out2" > "$tmp/pt/b"
    d=$(numdiff "$tmp/pt/a" "$tmp/pt/b")
    case "$d" in count*|"") no "docs/pytorch.md, PyTorch to rnn.h: no outputs to compare: $(cat "$tmp/pt/py_out2" "$tmp/pt/c_out2" | head -c 300)";;
        *) awk -v d="$d" 'BEGIN { exit !(d <= 2e-6) }' && ok "docs/pytorch.md, PyTorch to rnn.h: rnn_load_weights gives torch's 6 outputs (largest difference $d)" \
               || no "docs/pytorch.md, PyTorch to rnn.h: the outputs differ by $d";; esac
    grep -q '^rnn_load: ok, cell 4, 2 layers of 8$' "$tmp/pt/c_out2" && ok "docs/pytorch.md: rnn_load builds the GRU from the metadata torch wrote" \
        || no "docs/pytorch.md: rnn_load of the torch file: $(grep rnn_load "$tmp/pt/c_out2")"
fi

# docs/guide/hello.md: the program that draws docs/images/hello_unrolled.png
mkdir -p "$tmp/hello"
awk -v dir="$tmp/hello" '/^<!-- file: [A-Za-z0-9_.]+ -->$/ { name = $3; next }
     name != "" && /^```/ { if (out) { close(out); out = ""; name = "" } else out = dir "/" name; next }
     out { print > out }' docs/guide/hello.md
if [ ! -s "$tmp/hello/hello_picture.c" ]; then no "docs/guide/hello.md has no program hello_picture.c"
elif ! $CC -std=c99 -Wall -Wextra -pedantic -I"$PWD" "$tmp/hello/hello_picture.c" -o "$tmp/hello/pic" -lm 2>"$tmp/cc" || [ -s "$tmp/cc" ]; then
    no "docs/guide/hello.md: hello_picture.c does not compile cleanly: $(head -c 300 "$tmp/cc")"
else
    ok "docs/guide/hello.md: hello_picture.c compiles without warnings"
    "$tmp/hello/pic" "$tmp/hello/h.png" > "$tmp/hello/out" 2>&1
    sig=$(od -An -tx1 -N8 "$tmp/hello/h.png" 2>/dev/null | tr -d ' \n')
    after=$(awk '$1 == "after" && $NF + 0 >= 0.99' "$tmp/hello/out" | wc -l | tr -d ' ')
    if [ "$sig" = 89504e470d0a1a0a ] && [ "$after" -eq 4 ]; then
        ok "hello_picture.c writes a PNG, and after training the target's probability is >= 0.99 at all 4 steps"
    else no "hello_picture.c: PNG signature '$sig', $after of 4 trained steps at >= 0.99: $(tail -n 2 "$tmp/hello/out")"; fi
    "$tmp/hello/pic" "$tmp/no/such/dir/h.png" > /dev/null 2>"$tmp/hello/err"; rc=$?
    [ $rc -eq 1 ] && grep -q "cannot write" "$tmp/hello/err" && ok "hello_picture.c: an unwritable path is a one-line error, exit 1" \
        || no "hello_picture.c with an unwritable path: exit $rc, '$(head -c 200 "$tmp/hello/err")'"
fi

if [ $skip -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ $fail -eq 0 ]
