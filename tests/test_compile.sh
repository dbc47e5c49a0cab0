#!/bin/sh
# The header compiles without warnings as C99 (gcc and clang, float and
# double), as C++, with RNN_STATIC, with RNN_REFERENCE (no >>speed section),
# and in two translation units linked together, with -fopenmp; and RNN_MALLOC without
# RNN_FREE is refused at compile time.
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0; skip=0
check() { # name, command...
    name=$1; shift
    if "$@" >"$tmp/log" 2>&1; then echo "ok   - $name"; pass=$((pass+1));
    else echo "FAIL - $name: $(head -c 400 "$tmp/log")"; fail=$((fail+1)); fi
}
printf '#define RNN_IMPLEMENTATION\n#include "rnn.h"\nint main(void){return 0;}\n' > "$tmp/one.c"
printf '#define RNN_REAL double\n#define RNN_IMPLEMENTATION\n#include "rnn.h"\nint main(void){return 0;}\n' > "$tmp/dbl.c"
printf '#define RNN_STATIC\n#define RNN_IMPLEMENTATION\n#include "rnn.h"\nint main(void){return 0;}\n' > "$tmp/static.c"
printf '#include "rnn.h"\nint other(void){ rnn_rng r; rnn_rng_seed(&r, 1); return (int)(rnn_rng_next(&r) & 1); }\n' > "$tmp/a.c"
printf '#define RNN_IMPLEMENTATION\n#include "rnn.h"\nint other(void);\nint main(void){ return other() * 0; }\n' > "$tmp/b.c"
printf '#include <stdlib.h>\n#define RNN_MALLOC(n) malloc(n)\n#define RNN_IMPLEMENTATION\n#include "rnn.h"\nint main(void){return 0;}\n' > "$tmp/half.c"
cp "$tmp/one.c" "$tmp/one.cpp"
W="-Wall -Wextra -pedantic -Werror -I."
for cc in gcc clang; do
    command -v $cc >/dev/null || { echo "FAIL - $cc is not installed"; fail=$((fail+1)); continue; }
    check "$cc -std=c99 $W" $cc -std=c99 $W -c "$tmp/one.c" -o "$tmp/o.o"
    check "$cc -std=c99 with RNN_REAL double" $cc -std=c99 $W -c "$tmp/dbl.c" -o "$tmp/o.o"
    check "$cc -std=c99 with RNN_STATIC" $cc -std=c99 $W -Wno-unused-function -c "$tmp/static.c" -o "$tmp/o.o"
    check "$cc -std=c99 with RNN_REFERENCE, float and double" sh -c "$cc -std=c99 $W -DRNN_REFERENCE -c $tmp/one.c -o $tmp/o.o && $cc -std=c99 $W -DRNN_REFERENCE -c $tmp/dbl.c -o $tmp/o.o"
    check "$cc: two translation units link" $cc -std=c99 $W "$tmp/a.c" "$tmp/b.c" -o "$tmp/ab" -lm
    if $cc -std=c99 -I. -c "$tmp/half.c" -o "$tmp/o.o" >/dev/null 2>&1; then
        echo "FAIL - $cc accepted RNN_MALLOC without RNN_FREE"; fail=$((fail+1))
    else echo "ok   - $cc refuses RNN_MALLOC without RNN_FREE and RNN_ASSERT"; pass=$((pass+1)); fi
done
check "g++ -std=c++11 -Wall -Wextra -pedantic" g++ -std=c++11 $W -c "$tmp/one.cpp" -o "$tmp/o.o"
check "clang++ -std=c++11" clang++ -std=c++11 $W -c "$tmp/one.cpp" -o "$tmp/o.o"
check "g++ -std=c++11 with RNN_REFERENCE" g++ -std=c++11 $W -DRNN_REFERENCE -c "$tmp/one.cpp" -o "$tmp/o.o"
# every public struct of the header (the list read from rnn.h, so a new one
# is covered) zeroes with = {0} in C and in C++: its first member is a number
# or a pointer, not an enum (C++ will not turn the 0 into an enum: an error,
# not a warning). clang's -Wmissing-braces about rnn_model and rnn_tensor,
# whose first member is a struct or an array, is style: they are zeroed.
structs=$(sed -n 's/^typedef struct \(rnn_[a-z0-9][a-z0-9_]*\) {.*/\1/p' rnn.h)
{ printf '#define RNN_IMPLEMENTATION\n#include "rnn.h"\nint main(void)\n{\n'
  for s in $structs; do printf '    { %s v = {0}; (void)v; }\n' "$s"; done
  printf '    return 0;\n}\n'; } > "$tmp/zero.c"
cp "$tmp/zero.c" "$tmp/zero.cpp"
nstructs=$(echo $structs | wc -w | tr -d ' ')
check "= {0} zeroes all $nstructs public structs in C99 and C++11 (gcc, g++, clang++)" sh -c "[ $nstructs -ge 10 ] &&
    gcc -std=c99 $W -c $tmp/zero.c -o $tmp/o.o && g++ -std=c++11 $W -Wno-missing-field-initializers -c $tmp/zero.cpp -o $tmp/o.o &&
    clang++ -std=c++11 $W -Wno-missing-field-initializers -Wno-missing-braces -c $tmp/zero.cpp -o $tmp/o.o"
# OpenMP: the pragmas of >>speed compile clean with -fopenmp (C and C++),
# and without it are not there at all (no -Wunknown-pragmas above)
check "gcc -std=c99 -fopenmp" gcc -std=c99 $W -fopenmp -c "$tmp/one.c" -o "$tmp/o.o"
check "g++ -std=c++11 -fopenmp" g++ -std=c++11 $W -fopenmp -c "$tmp/one.cpp" -o "$tmp/o.o"
if printf 'int main(void){return 0;}\n' > "$tmp/omp.c" && clang -fopenmp "$tmp/omp.c" -o "$tmp/omp" >/dev/null 2>&1; then
    check "clang -std=c99 -fopenmp" clang -std=c99 $W -fopenmp -c "$tmp/one.c" -o "$tmp/o.o"
else
    echo "skip - clang -fopenmp: clang has no OpenMP runtime here (apt-get install libomp-dev)"; skip=$((skip+1))
fi

# RNN_USE_CBLAS: the products by a BLAS library (OpenBLAS, or the reference
# libblas), checked by the cell tests in double (the BLAS product against
# rnn_gemm_ref, every gradient) and the PyTorch fixtures in float
blas=
for lib in -lopenblas -lblas; do
    if printf '#include <cblas.h>\nint main(void){float a=1,c=0; cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,1,1,1,1.0f,&a,1,&a,1,0.0f,&c,1); return c != 1;}\n' > "$tmp/blas.c" &&
       gcc -std=c99 "$tmp/blas.c" -o "$tmp/blas" $lib >/dev/null 2>&1 && "$tmp/blas"; then blas=$lib; break; fi
done
if [ -n "$blas" ]; then
    check "RNN_USE_CBLAS ($blas, double): compiles clean, the cell tests pass (products, every gradient)" \
        sh -c "gcc -std=c99 $W -DRNN_USE_CBLAS tests/test_cells.c -o $tmp/cells_blas -lm $blas && $tmp/cells_blas | tail -1 | grep -q ' 0 failed'"
    check "RNN_USE_CBLAS ($blas, float): compiles clean, PyTorch fixtures match" \
        sh -c "gcc -std=c99 $W -DRNN_USE_CBLAS -DRNN_REAL=float tests/test_torch.c -o $tmp/torch_blas -lm $blas && $tmp/torch_blas | tail -1 | grep -q ' 0 failed'"
else
    echo "skip - RNN_USE_CBLAS: no <cblas.h> and BLAS library here (apt-get install libopenblas-dev)"; skip=$((skip+1))
fi
if [ $skip -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ $fail -eq 0 ]
