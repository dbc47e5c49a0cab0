#!/bin/sh
# grade.sh - builds an exercise against rnn.h and runs its checks.
#   sh examples/exercises/grade.sh NAME [FILE]   every check of one exercise, on FILE
#                                               (default examples/exercises/NAME.c)
#   sh examples/exercises/grade.sh --all         every exercise, one line each
#   sh examples/exercises/grade.sh --build NAME FILE OUT [CFLAGS...]
#                                               only build (the tests use it)
# (make exercise EX=NAME [SRC=FILE] and make exercises call it.)
# The grader's part (rnn.h in double, the checks) is compiled once into
# build/exercises/; your file is compiled each time, with warnings shown.
EXERCISES="rnn_cell rnn_cell_backward losses bptt gru_forward lstm_forward lstm_backward clip_adam sampling"
here=$(pwd)
cd "$(dirname "$0")/../.." || exit 2
CC=${CC:-cc}
B=build/exercises
D=examples/exercises
FLAGS="-std=c99 -Wall -Wextra -pedantic -Wno-unused-parameter -g -O1 -I$D"
mkdir -p "$B" || exit 2
# an rnn.h without the per-step API (rnn_cell_io) gets it from cell_shim.h
grep -q 'rnn_cell_io' rnn.h || FLAGS="$FLAGS -DRNN_CELL_SHIM"
GFLAGS="$FLAGS -Wno-unused-function"

# newer TARGET DEPS...: true if TARGET is missing or older than a DEP
newer() { t=$1; shift; [ -f "$t" ] || return 0; for d in "$@"; do [ "$d" -nt "$t" ] && return 0; done; return 1; }

# the grader's objects for exercise $1 (quietly; an error here is ours, not the student's)
grader_objects() {
    if newer "$B/impl.o" rnn.h "$D/grader/impl.c" "$D/cell_shim.h"; then
        $CC $FLAGS -O2 -c "$D/grader/impl.c" -o "$B/impl.o.$$" && mv "$B/impl.o.$$" "$B/impl.o" || return 1
    fi
    if newer "$B/check_$1.o" "$D/grader/$1.c" "$D/grader/grader.h" "$D/exercises.h" "$D/cell_shim.h" rnn.h; then
        $CC $GFLAGS -c "$D/grader/$1.c" -o "$B/check_$1.o.$$" && mv "$B/check_$1.o.$$" "$B/check_$1.o" || return 1
    fi
}

# build NAME FILE OUT [CFLAGS...]: the compiler's messages go to $B/NAME.log
build() {
    name=$1; file=$2; out=$3; shift 3
    [ -f "$D/grader/$name.c" ] || { echo "grade.sh: no exercise '$name' (the exercises: $EXERCISES)"; return 2; }
    [ -f "$file" ] || { echo "grade.sh: $file: no such file"; return 2; }
    grader_objects "$name" || { echo "grade.sh: the grader of $name does not build"; return 2; }
    # shellcheck disable=SC2086 # FLAGS and the extra CFLAGS are lists of words
    $CC $FLAGS "$@" -c "$file" -o "$out.o" > "$B/$name.log" 2>&1 &&
        $CC "$out.o" "$B/check_$name.o" "$B/impl.o" -o "$out" -lm >> "$B/$name.log" 2>&1
}

abs() { case $1 in /*) echo "$1";; *) echo "$here/$1";; esac; }

case ${1:-} in
--build)
    [ $# -ge 4 ] || { echo "usage: grade.sh --build NAME FILE OUT [CFLAGS...]"; exit 2; }
    name=$2; file=$(abs "$3"); out=$(abs "$4"); shift 4
    build "$name" "$file" "$out" "$@"; st=$?
    cat "$B/$name.log"
    exit $st;;
--all)
    done=0; n=0
    for name in $EXERCISES; do
        n=$((n+1))
        build "$name" "$D/$name.c" "$B/$name" > "$B/all.log"; st=$?
        if [ $st -eq 0 ]; then
            "./$B/$name" --brief && done=$((done+1))
        elif [ $st -eq 1 ]; then
            printf '%-18s does not compile: %s\n' "$name" "$(grep -m1 'error' "$B/$name.log" || head -n1 "$B/$name.log")"
        else
            printf '%-18s %s\n' "$name" "$(cat "$B/all.log")"
        fi
    done
    echo "$done of $n exercises done"
    [ $done -eq $n ];;
''|-h|--help)
    echo "usage: make exercise EX=NAME [SRC=FILE]   or   make exercises"
    echo "the exercises, in course order: $EXERCISES"
    exit 2;;
*)
    name=$1; file=$D/$1.c
    [ -n "${2:-}" ] && file=$(abs "$2")
    build "$name" "$file" "$B/$name"; st=$?
    if [ $st -ne 0 ]; then
        cat "$B/$name.log"
        [ $st -eq 1 ] && echo "$name: $file does not compile (the compiler's messages are above)"
        exit 1
    fi
    cat "$B/$name.log" # warnings, if any
    "./$B/$name" --file "$file";;
esac
