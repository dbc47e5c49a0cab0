# tests/lib.sh - what the test scripts share; each one sources it after
# cd'ing to the repository's root:  . tests/lib.sh
#   ok TEXT / no TEXT      one check passed / failed (a line each, counted)
#   sk TEXT                a check that could not run here (counted as skipped)
#   $tmp                   a scratch directory, removed on exit
#   build_example NAME [FLAGS] [OUTPUT]
#                          compiles examples/NAME.c strictly into build/NAME
#                          (or OUTPUT); a warning is a failed check, and a
#                          failed compile ends the script with its closing line
pass=0; fail=0; skip=0
ok() { echo "ok   - $*"; pass=$((pass+1)); }
no() { echo "FAIL - $*"; fail=$((fail+1)); }
sk() { echo "skip - $*"; skip=$((skip+1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
mkdir -p build

# rnn.h's implementation for build_example, compiled once per kind of
# rnn_real into build/lib_rnn_float.o or build/lib_rnn_double.o (again when
# rnn.h is newer) and linked into each example, which is compiled with
# RNN_IMPLEMENTATION_DONE (its own #define RNN_IMPLEMENTATION then adds
# nothing): the same program, 3 s less per example. Written under a
# temporary name in build/ and renamed, so that scripts running side by side
# never link half a file. With FLAGS, the whole example is compiled.
impl_object() { # REAL: prints the object's path
    io=build/lib_rnn_$1.o
    if [ ! -s "$io" ] || [ rnn.h -nt "$io" ]; then
        printf '#define RNN_REAL %s\n#define RNN_IMPLEMENTATION\n#include "rnn.h"\n' "$1" >"$tmp/impl_$1.c"
        $CC -O2 -std=c99 -Wall -Wextra -pedantic -I. -c "$tmp/impl_$1.c" -o "$io.$$" 2>>"$tmp/cc" || return 1
        mv "$io.$$" "$io" || return 1
    fi
    echo "$io"
}
build_example() {
    be_out=${3:-build/$1}
    be_real=float; grep -q '^#define RNN_REAL double' "examples/$1.c" && be_real=double
    : >"$tmp/cc"
    if [ -z "${2:-}" ] && be_impl=$(impl_object $be_real); then
        be_whole="-DRNN_IMPLEMENTATION_DONE $be_impl"
    else be_whole=""; fi
    # shellcheck disable=SC2086 # FLAGS and be_whole are lists of words
    if $CC -O2 -std=c99 -Wall -Wextra -pedantic ${2:-} -I. "$PWD/examples/$1.c" $be_whole -o "$be_out" -lm 2>>"$tmp/cc"; then
        if [ -s "$tmp/cc" ]; then no "$1.c compiles with warnings: $(head -c 300 "$tmp/cc")"
        else ok "$1.c compiles without warnings ($CC -std=c99 -Wall -Wextra -pedantic)"; fi
    else
        no "$1.c does not compile: $(head -c 300 "$tmp/cc")"
        echo "$pass passed, $fail failed"; exit 1
    fi
}
