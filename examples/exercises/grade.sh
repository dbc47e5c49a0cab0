#!/bin/sh
# grade.sh - builds an exercise against rnn.h and runs its checks.
#   sh examples/exercises/grade.sh NAME [FILE]   every check of one exercise, on FILE
#                                               (default examples/exercises/NAME.c)
#   sh examples/exercises/grade.sh --all         every exercise, one line each
#   sh examples/exercises/grade.sh --train rnn|lstm [DIR]
#                                               your cell trains the hello model
#                                               (your files in DIR, default examples/exercises)
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
FLAGS="-std=c99 -Wall -Wextra -pedantic -Wno-unused-parameter -g ${EX_OPT:--O1} -I$D"
mkdir -p "$B" || exit 2
GFLAGS="$FLAGS -Wno-unused-function"

# newer TARGET DEPS...: true if TARGET is missing or older than a DEP
newer() { t=$1; shift; [ -f "$t" ] || return 0; for d in "$@"; do [ "$d" -nt "$t" ] && return 0; done; return 1; }

# the grader's objects for exercise $1 (quietly; an error here is ours, not the student's)
grader_objects() {
    if newer "$B/impl.o" rnn.h "$D/grader/impl.c"; then
        $CC $FLAGS -c "$D/grader/impl.c" -o "$B/impl.o.$$" && mv "$B/impl.o.$$" "$B/impl.o" || return 1
    fi
    if newer "$B/check_$1.o" "$D/grader/$1.c" "$D/grader/grader.h" "$D/exercises.h" rnn.h; then
        $CC $GFLAGS -c "$D/grader/$1.c" -o "$B/check_$1.o.$$" && mv "$B/check_$1.o.$$" "$B/check_$1.o" || return 1
    fi
}

# rnn.h's own functions an exercise asks you to write: a call to one of them
# is renamed ex_forbidden_..., so it cannot link, and said so
forbidden() {
    case $1 in
    rnn_cell) echo rnn_simple_forward rnn_cell_forward;;
    rnn_cell_backward) echo rnn_simple_backward rnn_cell_backward rnn_cell_weight_grads;;
    losses) echo rnn_softmax_ce rnn_sigmoid_bce rnn_linear_mse;;
    gru_forward) echo rnn_gru_forward rnn_cell_forward;;
    lstm_forward) echo rnn_lstm_forward rnn_cell_forward;;
    lstm_backward) echo rnn_lstm_backward rnn_cell_backward;;
    clip_adam) echo rnn_clip_by_value rnn_clip_norm rnn_clip_by_global_norm rnn_clip_by_tensor_norm rnn_optim_step;;
    sampling) echo rnn_sample_logits rnn_generate rnn_next_input;;
    esac
}

# build NAME FILE OUT [CFLAGS...]: the compiler's messages go to OUT.log
build() {
    name=$1; file=$2; out=$3; shift 3
    [ -f "$D/grader/$name.c" ] || { echo "grade.sh: no exercise '$name' (the exercises: $EXERCISES)"; return 2; }
    [ -f "$file" ] || { echo "grade.sh: $file: no such file"; return 2; }
    grader_objects "$name" || { echo "grade.sh: the grader of $name does not build"; return 2; }
    rename=
    for f in $(forbidden "$name"); do rename="$rename -D$f=ex_forbidden_$f"; done
    # shellcheck disable=SC2086 # FLAGS, the renames and the extra CFLAGS are lists of words
    rm -f "$out.link"
    if $CC $FLAGS $rename "$@" -c "$file" -o "$out.o" > "$out.log" 2>&1 &&
       $CC "$out.o" "$B/check_$name.o" "$B/impl.o" -o "$out" -lm > "$out.link" 2>&1; then return 0; fi
    [ -f "$out.link" ] && cat "$out.link" >> "$out.log"
    for f in $(forbidden "$name"); do
        grep -q "ex_forbidden_$f" "$out.log" &&
            echo "$file calls $f: that is rnn.h's own answer to this exercise; write it yourself" > "$out.log"
    done
    return 1
}

abs() { case $1 in /*) echo "$1";; *) echo "$here/$1";; esac; }

case ${1:-} in
--build)
    [ $# -ge 4 ] || { echo "usage: grade.sh --build NAME FILE OUT [CFLAGS...]"; exit 2; }
    name=$2; file=$(abs "$3"); out=$(abs "$4"); shift 4
    build "$name" "$file" "$out" "$@"; st=$?
    cat "$out.log"
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
--train)
    # your cell in a whole model: examples/exercises/train.c with your files
    cell=${2:-rnn}; dir=$(abs "${3:-$D}")
    case $cell in
    rnn) files="rnn_cell.c rnn_cell_backward.c"; def=;;
    lstm) files="lstm_forward.c lstm_backward.c rnn_cell_backward.c"; def=-DTRAIN_LSTM;;
    *) echo "grade.sh: CELL is rnn or lstm, not '$cell'"; exit 2;;
    esac
    if newer "$B/impl.o" rnn.h "$D/grader/impl.c"; then
        $CC $FLAGS -c "$D/grader/impl.c" -o "$B/impl.o.$$" && mv "$B/impl.o.$$" "$B/impl.o" || exit 2
    fi
    srcs="$D/train.c"
    for f in $files; do srcs="$srcs $dir/$f"; done
    # shellcheck disable=SC2086 # lists of words
    $CC $FLAGS $def $srcs "$B/impl.o" -o "$B/train_$cell" -lm || { echo "the training lab does not build (above)"; exit 1; }
    "./$B/train_$cell";;
''|-h|--help)
    echo "usage: make exercise EX=NAME [SRC=FILE]   or   make exercises"
    echo "the exercises, in course order: $EXERCISES"
    exit 2;;
*)
    name=$1; file=$D/$1.c
    [ -n "${2:-}" ] && file=$(abs "$2")
    build "$name" "$file" "$B/$name"; st=$?
    [ $st -eq 2 ] && exit 2
    if [ $st -ne 0 ]; then
        cat "$B/$name.log"
        echo "$name: $file does not compile (the compiler's messages are above)"
        exit 1
    fi
    cat "$B/$name.log" # warnings, if any
    "./$B/$name" --file "$file";;
esac
