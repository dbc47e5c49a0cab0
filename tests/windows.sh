#!/bin/sh
# make test-windows: the C test programs (and hello) built for Windows with
# mingw-w64 and run under Wine. What differs there: rename() does not
# replace a file (rnn_save uses MoveFileEx), no POSIX calls (the tests that
# need fork, symbolic links or modes say "skip"), text and binary files,
# msvcrt's printf. Skips, with the command that installs them, when the
# compiler or Wine is missing. Usage: sh tests/windows.sh test_cells ...
cd "$(dirname "$0")/.." || exit 1
MINGW=${MINGW:-x86_64-w64-mingw32-gcc}
if ! command -v "$MINGW" >/dev/null 2>&1 || ! command -v wine >/dev/null 2>&1; then
    echo "skip - make test-windows needs mingw-w64 and Wine: apt-get install gcc-mingw-w64-x86-64 wine wine64"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
mkdir -p build/win
WINEPREFIX="$(pwd)/build/wine"; WINEDEBUG=-all; export WINEPREFIX WINEDEBUG
wineboot --init >/dev/null 2>&1 # a fresh prefix: once, and quietly
pass=0; fail=0
progs=""
for t in "$@" hello; do
    src=tests/$t.c; [ "$t" = hello ] && src=examples/hello.c
    flags=""; case $t in *_float) src=tests/test_torch.c; flags="-DRNN_REAL=float";; esac
    # shellcheck disable=SC2086 # flags is a list of words
    if $MINGW -O2 -std=c99 -Wall -Wextra -pedantic $flags -I. "$src" -o "build/win/$t.exe" -lm 2>build/win/cc.txt && [ ! -s build/win/cc.txt ]; then
        printf '#!/bin/sh\nexec wine build/win/%s.exe "$@"\n' "$t" >"build/win/$t"; chmod +x "build/win/$t"
        [ "$t" = hello ] || progs="$progs build/win/$t"
    else
        echo "FAIL - $src does not compile cleanly with $MINGW: $(head -c 300 build/win/cc.txt)"; fail=$((fail+1))
    fi
done
# hello: the same loss, to the last digit, as the native build
if [ -x build/hello ] && [ -x build/win/hello ]; then
    native=$(./build/hello | sed -n 's/^final loss //p'); win=$(build/win/hello 2>&1 | tr -d '\r' | sed -n 's/^final loss //p')
    if [ -n "$win" ] && [ "$win" = "$native" ]; then echo "ok   - hello under Wine: final loss $win, as the native build"; pass=$((pass+1))
    else echo "FAIL - hello under Wine: final loss '$win', native '$native'"; fail=$((fail+1)); fi
fi
# shellcheck disable=SC2086 # progs is a list of words
out=$(sh tests/run.sh $progs 2>&1 | tr -d '\r'); rc=$?
printf '%s\n' "$out" | sed '$d'
last=$(printf '%s\n' "$out" | tail -n 1)
p=${last%% passed*}; f=${last#*passed, }; f=${f%% failed*}
[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
echo "$((pass + p)) passed, $((fail + f)) failed"
[ $((fail + f)) -eq 0 ]
