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

build_example() {
    be_out=${3:-build/$1}
    # shellcheck disable=SC2086 # FLAGS is a list of words
    if $CC -O2 -std=c99 -Wall -Wextra -pedantic ${2:-} -I. "$PWD/examples/$1.c" -o "$be_out" -lm 2>"$tmp/cc"; then
        if [ -s "$tmp/cc" ]; then no "$1.c compiles with warnings: $(head -c 300 "$tmp/cc")"
        else ok "$1.c compiles without warnings ($CC -std=c99 -Wall -Wextra -pedantic)"; fi
    else
        no "$1.c does not compile: $(head -c 300 "$tmp/cc")"
        echo "$pass passed, $fail failed"; exit 1
    fi
}
