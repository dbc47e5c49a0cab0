/* gemm_plain.h - the plain loops that rnn.h's rnn_gemm replaced, kept for
   the bench only, so tests/bench/bench.c and gemm_bench.c can show what the
   blocked kernel gains.  Not used by rnn.h.

   plain_gemm has rnn_gemm's signature and meaning:
     C (M,N) = beta * C + op(A) op(B), op(A) (M,K), op(B) (K,N);
     ta = 1: A is stored (K,M); tb = 1: B is stored (N,K).
   Include it after rnn.h (it needs rnn_real).

   Two loops, one per layout of B:
     tb = 0  row i of C gets a multiple of row k of B for each k:
             c[j] += A(i,k) * B[k][j]; an A(i,k) of zero is skipped (a
             one-hot row, or a ReLU's zero, costs nothing);
     tb = 1  each entry of C is a dot product of a row of A with a row of
             B, four rows of B at a time, so each A(i,k) is loaded once
             for four sums; each sum runs in the plain order k = 0, 1, ...
   At -O2 GCC vectorises neither: the first needs a run-time check that c
   and B do not overlap, the second would reorder a float sum (see the
   comment above rnn_gemm in rnn.h). */
#ifndef GEMM_PLAIN_H
#define GEMM_PLAIN_H

#include <stddef.h>

static void plain_gemm(int ta, int tb, int M, int N, int K,
                       const rnn_real *A, int lda, const rnn_real *B, int ldb,
                       rnn_real beta, rnn_real *C, int ldc)
{
    int i, j, k;
    for (i = 0; i < M; i++) {
        rnn_real *c = C + (size_t)i * ldc;
        if (beta == 0) for (j = 0; j < N; j++) c[j] = 0; /* not 0 * c: C may hold garbage */
        else if (beta != 1) for (j = 0; j < N; j++) c[j] *= beta;
        if (!tb) {
            for (k = 0; k < K; k++) {
                rnn_real a = ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
                const rnn_real *b = B + (size_t)k * ldb;
                if (a == 0) continue;
                for (j = 0; j < N; j++) c[j] += a * b[j];
            }
        } else {
            for (j = 0; j + 4 <= N; j += 4) {
                const rnn_real *b0 = B + (size_t)j * ldb, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
                rnn_real s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (k = 0; k < K; k++) {
                    rnn_real a = ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
                    s0 += a * b0[k]; s1 += a * b1[k]; s2 += a * b2[k]; s3 += a * b3[k];
                }
                c[j] += s0; c[j + 1] += s1; c[j + 2] += s2; c[j + 3] += s3;
            }
            for (; j < N; j++) { /* the last N mod 4 columns, one at a time */
                const rnn_real *b = B + (size_t)j * ldb;
                rnn_real s = 0;
                for (k = 0; k < K; k++)
                    s += (ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k]) * b[k];
                c[j] += s;
            }
        }
    }
}

#endif /* GEMM_PLAIN_H */
