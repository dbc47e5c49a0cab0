#!/bin/sh
# make bench: rnn.h against PyTorch on the same work, in the same run.
#
#   sh tests/bench/run.sh [--quick] [--out FILE] [--only grid|minchar|keras]
#
# Compiles tests/bench/bench.c with -O2 -std=c99, the build a user gets
# (rnn.h picks its kernels for this CPU at run time), and, rnn.h alone, with
# -march=native and with -DRNN_NO_DISPATCH beside it, and with -fopenmp on
# every core against PyTorch at its default thread count; finds a python that
# imports torch (PYTHON if set, then /usr/bin/python3, then python3), starts
# tests/bench/bench_torch.py as a server on two named pipes and lets the C
# bench drive both sides in alternating rounds, one thread each. Without
# torch it says the comparison was skipped and measures rnn.h alone.
# Then the matrix-product micro-bench (tests/bench/gemm_bench.c: rnn.h's
# rnn_gemm against the plain loops it replaced, tests/bench/gemm_plain.h),
# and, where `perf` works, a profile of rnn.h's training (build/bench
# --profile, and the anbn lab). The tables are printed and written to
# docs/perf.md. Times are CPU time. About 5 to 10 minutes.
#
# Environment: CC; BENCH_QUICK=1 (few rounds: checks the script, numbers not
# worth keeping); BENCH_COMPARE=0 (no other builds); BENCH_CFLAGS (default
# -O2 -std=c99); BENCH_LIBS,
# added to the link line (with BENCH_CFLAGS="... -DRNN_USE_CBLAS" and
# BENCH_LIBS=-lopenblas, rnn.h does its products with OpenBLAS); BENCH_PIN;
# PYTHON; BENCH_TORCH_LIBS, a directory put first on the torch server's
# LD_LIBRARY_PATH, e.g. /usr/lib/x86_64-linux-gnu/openblas-serial to measure
# PyTorch with OpenBLAS when Debian's default libblas.so.3 is the reference
# BLAS (the report names the BLAS library torch loaded).
cd "$(dirname "$0")/../.." || exit 1
CC=${CC:-cc}
BENCH_LIBS=${BENCH_LIBS:-}
BENCH_CFLAGS=${BENCH_CFLAGS:--O2 -std=c99}
# BENCH_QUICK=1: few rounds per point (to check the script, not to measure)
[ -n "${BENCH_QUICK:-}" ] && set -- --quick "$@"
WARN="-Wall -Wextra -pedantic"
mkdir -p build docs

build() { # build SOURCE OUTPUT: with BENCH_CFLAGS, or without -march=native if the compiler refuses it
    if ! $CC $BENCH_CFLAGS $WARN -I. -Itests/bench "$1" -o "$2" -lm $BENCH_LIBS; then
        BENCH_CFLAGS=$(echo "$BENCH_CFLAGS" | sed 's/-march=native//')
        echo "bench: compiling again without -march=native: $BENCH_CFLAGS"
        $CC $BENCH_CFLAGS $WARN -I. -Itests/bench "$1" -o "$2" -lm $BENCH_LIBS || exit 1
    fi
}
build tests/bench/bench.c build/bench
build tests/bench/gemm_bench.c build/gemm_bench

# The same bench built with other flags, rnn.h alone, before the main run:
# -march=native (this CPU's instructions everywhere: what the default build
# is measured against), and -DRNN_NO_DISPATCH (the x86-64 baseline alone,
# SSE2 without FMA: plain -O2 before the run-time dispatch). Their times go
# to files that the main run reports beside its own (--compare). Skipped
# when only a part is measured (--only) or with BENCH_COMPARE=0 (make
# bench-cblas, whose flags are not the default build's).
compare=
only=
quickarg=; for a in "$@"; do [ "$a" = --quick ] && quickarg=--quick; done
for a in "$@"; do case "$a" in --only) only=1;; esac; done
if [ -z "$only" ] && [ "${BENCH_COMPARE:-1}" != 0 ]; then
    for v in "native:-march=native" "baseline:-DRNN_NO_DISPATCH"; do
        name=${v%%:*}; flag=${v#*:}
        if $CC $BENCH_CFLAGS $flag $WARN -I. -Itests/bench tests/bench/bench.c -o build/bench_$name -lm $BENCH_LIBS; then
            echo "bench: rnn.h alone, built with $BENCH_CFLAGS $flag..."
            if ./build/bench_$name --times build/bench_$name.times $quickarg; then
                compare="$compare --compare \"$BENCH_CFLAGS $flag\" build/bench_$name.times"
            fi
        fi
    done
fi

export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
PY=
for p in ${PYTHON:-} /usr/bin/python3 python3; do
    if "$p" -c 'import torch, numpy' >/dev/null 2>&1; then PY=$p; break; fi
done

# BENCH_PIN=N puts both processes on core N: they take turns (each waits on
# the pipe while the other measures), so they never compete. Off by default:
# on a machine that others use, a fixed core may be the busy one.
PIN=
if [ -n "${BENCH_PIN:-}" ] && command -v taskset >/dev/null 2>&1; then PIN="taskset -c $BENCH_PIN"; fi

if [ -n "$PY" ]; then
    tmp=$(mktemp -d) || exit 1
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 130' INT TERM
    mkfifo "$tmp/to_py" "$tmp/from_py" || exit 1
    if [ -n "${BENCH_TORCH_LIBS:-}" ]; then
        LD_LIBRARY_PATH="$BENCH_TORCH_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
            $PIN "$PY" tests/bench/bench_torch.py < "$tmp/to_py" > "$tmp/from_py" &
    else
        $PIN "$PY" tests/bench/bench_torch.py < "$tmp/to_py" > "$tmp/from_py" &
    fi
    server=$!
    # All cores: rnn.h built with -fopenmp against PyTorch at its default
    # thread count (a second server), B = 32 and H >= 128, by the wall clock;
    # before the main run, which reports it (--threaded-times)
    if [ -z "$only" ] && [ "${BENCH_COMPARE:-1}" != 0 ] &&
       $CC $BENCH_CFLAGS -fopenmp $WARN -I. -Itests/bench tests/bench/bench.c -o build/bench_omp -lm $BENCH_LIBS; then
        echo "bench: all cores: rnn.h with -fopenmp against PyTorch at its default thread count..."
        mkfifo "$tmp/to_thr" "$tmp/from_thr" || exit 1
        env -u OMP_NUM_THREADS -u MKL_NUM_THREADS -u OPENBLAS_NUM_THREADS BENCH_TORCH_THREADS=default \
            "$PY" tests/bench/bench_torch.py < "$tmp/to_thr" > "$tmp/from_thr" &
        thr=$!
        if env -u OMP_NUM_THREADS ./build/bench_omp --torch "$tmp/to_thr" "$tmp/from_thr" --threaded \
               --times build/bench_omp.times $quickarg; then
            compare="$compare --threaded-times build/bench_omp.times"
        fi
        wait "$thr"
    fi
    eval "\$PIN ./build/bench --torch \"\$tmp/to_py\" \"\$tmp/from_py\" --cflags \"\$BENCH_CFLAGS\" $compare \"\$@\""
    rc=$?
    wait "$server"
else
    echo "bench: the comparison with PyTorch was skipped: no python that imports torch" \
         "(tried ${PYTHON:+$PYTHON, }/usr/bin/python3, python3; apt-get install python3-torch). rnn.h alone:"
    eval "\$PIN ./build/bench --cflags \"\$BENCH_CFLAGS\" $compare \"\$@\""
    rc=$?
fi
[ $rc -eq 0 ] || exit $rc

# the matrix product on its own: rnn_gemm_ref, the plain loops, rnn_gemm
quick=; md=docs/perf.md; prev=
for a in "$@"; do
    [ "$a" = --quick ] && quick=--quick
    [ "$prev" = --out ] && md=$a
    case "$a" in --only) md=/dev/null;; esac # a part alone leaves docs/perf.md as it is
    prev=$a
done
echo
out=$($PIN ./build/gemm_bench $quick); rc=$?
printf '%s\n' "$out"
{
    echo
    echo "## The matrix product: rnn_gemm against the plain loops it replaced"
    echo
    echo "From \`build/gemm_bench\` (tests/bench/gemm_bench.c), same flags; GFLOP/s = 2MNK / CPU time, median of repeats."
    echo "rnn_gemm is rnn.h's blocked kernel; plain_gemm (tests/bench/gemm_plain.h, kept in the bench only) is the"
    echo "rnn_gemm rnn.h had before it: rows of \`c[j] += a * b[j]\` for tb = 0, four dot products at a time for tb = 1;"
    echo "rnn_gemm_ref is the definition, one double-precision dot product per entry. The last column is what the kernel gains;"
    echo "below 1x, the plain loops are the faster on that shape."
    echo "ta = 1: A stored transposed; tb = 1: B stored transposed (C = A B^T is what the forward pass does)."
    echo
    printf '%s\n' "$out" | grep -E '^(\||ok|FAIL)'
} >> "$md"
[ $rc -eq 0 ] || exit $rc

# A profile of rnn.h's training, with perf where it works (Linux perf_event;
# the samples are per function: what is not rnn_gemm is overhead to shrink).
if command -v perf >/dev/null 2>&1 && perf record -q -o build/perf.probe -- true >/dev/null 2>&1; then
    secs=4; [ -n "$quick" ] && secs=1
    prof() { # prof TITLE COMMAND...: a short profile as a Markdown table of the 8 busiest functions
        title=$1; shift
        if ! perf record -q -F 2000 -o build/perf.data -- "$@" > build/perf.out 2>&1; then
            echo "($title: the run failed)"; return
        fi
        rep=$(perf report -i build/perf.data --stdio --no-children --sort sym -q 2>/dev/null)
        # the matrix product: rnn_gemm and its kernels (rnn__gemm_*), or the BLAS's *gemm* routines
        gemm=$(printf '%s\n' "$rep" | awk '$1 ~ /%$/ && $3 ~ /gemm/ && $3 != "rnn_gemm_ref" { s += $1 + 0 } END { printf "%.2f%%", s }')
        line=
        [ "$1" = ./build/bench ] && line=" ($(head -n 1 build/perf.out))"
        share=${gemm%\%}; share=${share%%.*}; verdict="not limited by the matrix products: the rest outweighs them"
        [ "${share:-0}" -ge 50 ] && verdict="limited by the matrix products"
        echo "**$title**$line: the matrix product ${gemm:-0%} of the samples, $verdict."
        echo
        echo "| samples | function |"
        echo "|--:|---|"
        printf '%s\n' "$rep" | awk 'NF >= 3 && $1 ~ /%$/ { n++; if (n <= 8) printf "| %s | %s |\n", $1, $3 }'
        echo
    }
    echo "bench: profiling with perf..."
    out=$( {
        echo
        echo "## Profile: where rnn.h's training spends its time"
        echo
        echo "From \`perf record\` (samples of CPU time, per function; static functions that the compiler inlined count in"
        echo "their caller). The matrix product is every function with gemm in its name: rnn_gemm and its kernels"
        echo "(rnn__gemm_blocked, rnn__gemm_dots, ...), or the BLAS's routines with RNN_USE_CBLAS. rnn__sigmoid_v and"
        echo "rnn__tanh_v are the activations; \`__memset_*\` and \`__memmove_*\` are memset and memcpy."
        echo "Issue 9 asks that training be limited by the matrix products: that is so where they have most of the samples."
        echo
        prof "LSTM H=128 B=1 T=25, training steps" ./build/bench --profile lstm 128 1 25 $secs
        prof "LSTM H=128 B=32 T=25, training steps" ./build/bench --profile lstm 128 32 25 $secs
        prof "tanh RNN H=100 B=1 T=25 (min-char-rnn's size), training steps" ./build/bench --profile tanh 100 1 25 $secs
        if $CC $BENCH_CFLAGS -I. examples/anbn.c -o build/anbn_prof -lm $BENCH_LIBS >/dev/null 2>&1; then
            steps=300000; [ -n "$quick" ] && steps=60000
            prof "The anbn lab (examples/anbn.c): LSTM H=3, B=1, one string per update, Adam, $steps updates" \
                ./build/anbn_prof --cells lstm --seeds 1 --steps $steps --test-max 50 --no-images --quiet
        fi
        # the other labs, when they are in the repository (and sentiment's data is at hand)
        if [ -f examples/charlm.c ] && $CC $BENCH_CFLAGS -I. examples/charlm.c -o build/charlm_prof -lm $BENCH_LIBS >/dev/null 2>&1; then
            steps=60; [ -n "$quick" ] && steps=10
            prof "The charlm lab (examples/charlm.c, its defaults: LSTM H=256, B=32, T=64, Adam, learning rnn.h's text), $steps updates, with its n-gram baselines and validation" \
                ./build/charlm_prof --steps $steps --no-images --eval-every 100000 --print-every 100000 --save-every 100000 \
                    --checkpoint build/charlm_prof.safetensors --log build/charlm_prof.csv
            rm -f build/charlm_prof.safetensors build/charlm_prof.csv
        else
            echo "The charlm lab (examples/charlm.c) is not in the repository or does not compile: not profiled."
            echo
        fi
        data=${RNN_DATA:-examples/data}/rt-polarity
        if [ -f examples/sentiment.c ] && [ -d "$data" ] &&
           $CC $BENCH_CFLAGS -I. examples/sentiment.c -o build/sentiment_prof -lm $BENCH_LIBS >/dev/null 2>&1; then
            prof "The sentiment lab (examples/sentiment.c, its defaults: embedding 64 + LSTM H=64, B=32, up to 60 words, Adam), one epoch" \
                ./build/sentiment_prof --epochs 1 --no-images --quiet --data "$data"
        else
            echo "The sentiment lab: not profiled (examples/sentiment.c or its data, $data, is missing)."
            echo
        fi
    } )
    printf '%s\n' "$out"
    printf '%s\n' "$out" >> "$md"
    rm -f build/perf.data build/perf.data.old build/perf.probe build/perf.out
else
    echo "bench: no profile (perf is missing or not allowed here)"
fi
exit 0
