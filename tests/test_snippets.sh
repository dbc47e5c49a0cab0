#!/bin/sh
# Every ```c block of README.md, docs/*.md and docs/guide/*.md compiles as
# C99 and as C++11, with gcc and clang, -Wall -Wextra -pedantic -Werror
# (in C++ also -Wno-missing-field-initializers: C++ -Wextra warns about = {0}).
# A block is one of three kinds:
#   - a program (it has a main): compiled as it is;
#   - file scope (its first line starts with #, RNNDEF or static):
#     placed after #include "rnn.h" (a declaration repeated word for word
#     is legal; one that differs from the header is an error);
#   - a fragment (anything else): the body of its own function, after the
#     names the docs use without declaring them (m a model, d its
#     description, b a batch, B, H, X, T sizes, check() ...); a fragment may
#     declare its own, which hide those (a type repeated from the header
#     is legal there too). Unused names are not warned about.
# File-scope blocks and fragments of all pages go into one file, with #line
# so that a compiler error names the page and line of the block. The blocks
# of docs/contributing.md are pieces of rnn.h (a new cell), compiled inside
# rnn.h by tests/test_contributing.sh; they are counted here, not compiled.
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { echo "ok   - $*"; pass=$((pass+1)); }
no() { echo "FAIL - $*"; fail=$((fail+1)); }

# split every page's C blocks: $tmp/b/N.c with $tmp/b/N.where ("page line")
mkdir -p "$tmp/b"
n=0
for md in README.md docs/*.md docs/guide/*.md; do
    [ -f "$md" ] || continue
    n=$(awk -v dir="$tmp/b" -v md="$md" -v n="$n" '
        /^```c[ \t]*$/ { n++; f = dir "/" n ".c"; printf "%s %d\n", md, NR + 1 > (dir "/" n ".where"); close(dir "/" n ".where"); inside = 1; next }
        /^```/ { if (inside) close(f); inside = 0; next }
        inside { print > f }
        END { print n }' "$md")
done
[ "$n" -gt 0 ] || { no "no \`\`\`c block found in README.md and docs"; echo "$pass passed, $fail failed"; exit 1; }

progs=""; nprog=0; nscope=0; nfrag=0; nelse=0
{
    cat <<'CTX'
#include "rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
static void check(rnn_status s, const char *what) { if (s != RNN_OK) { fprintf(stderr, "%s: %s\n", what, rnn_status_string(s)); exit(1); } }
static void send(const unsigned char *p, size_t n) { (void)p; (void)n; }
#define DOC_NAMES \
    rnn_model m, enc, dec; rnn_model_desc d = {0}; rnn_batch b = {0}, chunk = {0}; rnn_real loss = 0; \
    rnn_status st; rnn_optim opt; rnn_optim_desc od = {0}; rnn_rng r, rng; rnn_checkpoint ck = {0}; \
    rnn_bleu bl = {0}; rnn_ngram lm; rnn_ngram_desc nd = {0}; rnn_cell_io io = {0}; \
    int B = 2, H = 3, X = 4, G = 4, Y = 4, T = 5, V = 4, t = 0, first = 0, sample[4]; \
    rnn_real *x = 0, *gx = 0, *h = 0, *h_prev = 0, *W_hh = 0, *b_hh = 0, *cache = 0, *dgx = 0, \
             *dh_prev = 0, *dW_hh = 0, *db_hh = 0, *dh = 0, *dgh = 0, *c = 0, *c_prev = 0, \
             *dc_prev = 0, *dc = 0; \
    int *targets = 0, in[4] = {0}, out[4] = {0}; \
    (void)check; (void)send;
CTX
} > "$tmp/all.c"
i=0
while [ $i -lt "$n" ]; do
    i=$((i+1))
    set -- $(cat "$tmp/b/$i.where"); page=$1; line=$2
    src="$tmp/b/$i.c"
    [ -f "$src" ] || : > "$src"
    if [ "$page" = docs/contributing.md ]; then nelse=$((nelse+1)); continue; fi
    if grep -q '\bmain *(' "$src"; then
        nprog=$((nprog+1)); progs="$progs $i"; continue
    fi
    firstline=$(grep -v '^[ \t]*$' "$src" | head -n 1)
    case "$firstline" in
        '#'*|RNNDEF*|static*)
            nscope=$((nscope+1))
            printf '#line %d "%s"\n' "$line" "$page" >> "$tmp/all.c"; cat "$src" >> "$tmp/all.c";;
        *)
            nfrag=$((nfrag+1))
            printf 'void doc_block_%d(void);\nvoid doc_block_%d(void)\n{\n    DOC_NAMES\n    {\n#line %d "%s"\n' "$i" "$i" "$line" "$page" >> "$tmp/all.c"
            cat "$src" >> "$tmp/all.c"
            printf '    }\n}\n' >> "$tmp/all.c";;
    esac
done
printf 'int main(void) { return 0; }\n' >> "$tmp/all.c"

W="-Wall -Wextra -pedantic -Werror -I$PWD"
FRAG="-Wno-unused-variable -Wno-unused-but-set-variable -Wno-unused-function -Wno-unused-local-typedefs"
for cc in "gcc -x c -std=c99" "clang -x c -std=c99" "g++ -x c++ -std=c++11" "clang++ -x c++ -std=c++11"; do
    set -- $cc; exe=$1
    command -v "$exe" >/dev/null || { no "$exe is not installed"; continue; }
    lang=$(echo "$cc" | sed 's/.*-std=//')
    # C++ warns about = {0} under -Wextra (= {} is its spelling); the docs write C
    case $lang in c++*) X="-Wno-missing-field-initializers";; *) X="";; esac
    if $cc $W $X $FRAG -fsyntax-only "$tmp/all.c" 2>"$tmp/log"; then
        ok "$exe, $lang: the $nfrag fragments and $nscope file-scope blocks compile"
    else
        no "$exe, $lang: blocks that do not compile: $(grep -m 4 'error' "$tmp/log" | sed "s|$tmp/||g" | tr '\n' ' ' | head -c 600)"
    fi
    bad=""
    for i in $progs; do
        $cc $W $X -fsyntax-only "$tmp/b/$i.c" 2>"$tmp/log" || bad="$bad $(cat "$tmp/b/$i.where" | tr ' ' ':'): $(grep -m 2 'error' "$tmp/log" | sed "s|$tmp/b/||g" | tr '\n' ' ' | head -c 300)"
    done
    [ -z "$bad" ] && ok "$exe, $lang: the $nprog whole programs compile" || no "$exe, $lang: programs that do not compile:$bad"
done
echo "# $n blocks: $nprog programs, $nscope file scope, $nfrag fragments, $nelse pieces of rnn.h (tests/test_contributing.sh)"
[ $((nprog + nscope + nfrag + nelse)) -eq "$n" ] && ok "every block was sorted into a kind" || no "blocks unaccounted for"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
