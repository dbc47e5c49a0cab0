/* gemm_bench.c - rnn.h's rnn_gemm (the blocked kernel) against the plain
   loops it replaced (plain_gemm, tests/bench/gemm_plain.h) and against
   rnn_gemm_ref, on the shapes rnn.h's passes use.

       cc -O2 -std=c99 -march=native -I. tests/bench/gemm_bench.c -o build/gemm_bench -lm
       ./build/gemm_bench [--quick | --check]     (--check: correctness only)

   First a correctness pass, for rnn_gemm and for plain_gemm: every ta, tb,
   beta and awkward sizes (1..257, strides wider than the rows), each
   compared with rnn_gemm_ref to 1e-4 relative (max |C - C_ref| / max |C_ref|)
   in float. Then the timings: GFLOP/s = 2 M N K / CPU seconds (the
   process's CPU time, so other work on a shared machine counts less), the
   median of repeated runs.  Prints "N passed, N failed" last, like the
   tests. */
#define _POSIX_C_SOURCE 199309L
#define RNN_IMPLEMENTATION
#include "rnn.h"
#include "gemm_plain.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

typedef void (*gemm_fn)(int, int, int, int, int, const rnn_real *, int, const rnn_real *, int,
                        rnn_real, rnn_real *, int);

/* the process's CPU time in seconds (one thread: the time it ran) */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static rnn_real *rand_matrix(size_t n, rnn_rng *r)
{
    rnn_real *p = (rnn_real *)malloc(sizeof(rnn_real) * (n ? n : 1));
    size_t i;
    if (!p) { fprintf(stderr, "out of memory\n"); exit(2); }
    for (i = 0; i < n; i++) p[i] = (rnn_real)(2 * rnn_rng_uniform(r) - 1);
    return p;
}

/* max |x - y| / max |y| over an M x N block with row stride ld */
static double rel_diff(const rnn_real *x, const rnn_real *y, int M, int N, int ld)
{
    double d = 0, s = 0;
    int i, j;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++) {
            double a = x[(size_t)i * ld + j], b = y[(size_t)i * ld + j], e = a > b ? a - b : b - a;
            if (e > d || e != e) d = e;
            if ((b < 0 ? -b : b) > s) s = b < 0 ? -b : b;
        }
    return s > 0 ? d / s : d;
}

static int passed, failed;

/* one product with fn and with the reference, on fresh random data with
   padded strides; the part of C outside the M x N block must be untouched */
static double check_one(gemm_fn fn, int ta, int tb, int M, int N, int K, rnn_real beta, rnn_rng *r)
{
    int pad = 3, lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad;
    size_t na = (size_t)(ta ? K : M) * lda, nb = (size_t)(tb ? N : K) * ldb, nc = (size_t)M * ldc;
    rnn_real *A = rand_matrix(na, r), *B = rand_matrix(nb, r), *C0 = rand_matrix(nc, r);
    rnn_real *C1 = (rnn_real *)malloc(sizeof(rnn_real) * (nc ? nc : 1));
    double d;
    size_t i;
    if (beta == 0) for (i = 0; i < nc; i++) if ((int)(i % (size_t)ldc) < N) C0[i] = (rnn_real)NAN; /* garbage that beta = 0 must ignore */
    memcpy(C1, C0, sizeof(rnn_real) * nc);
    rnn_gemm_ref(ta, tb, M, N, K, A, lda, B, ldb, beta, C0, ldc);
    fn(ta, tb, M, N, K, A, lda, B, ldb, beta, C1, ldc);
    d = rel_diff(C1, C0, M, ldc, ldc); /* the whole rows, padding included */
    free(A); free(B); free(C0); free(C1);
    return d;
}

static void correctness(gemm_fn fn, const char *name)
{
    static const int sizes[] = {1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 63, 65, 130, 257};
    static const rnn_real betas[] = {0, 1, (rnn_real)0.5};
    int ns = (int)(sizeof sizes / sizeof sizes[0]), ta, tb, a, b, c, q, bad = 0, count = 0;
    double worst = 0;
    rnn_rng r;
    rnn_rng_seed(&r, 7);
    for (ta = 0; ta < 2; ta++)
        for (tb = 0; tb < 2; tb++)
            for (a = 0; a < ns; a += 1)
                for (b = 0; b < ns; b += 2)
                    for (c = 0; c < ns; c += 3)
                        for (q = 0; q < 3; q++) {
                            int M = sizes[a], N = sizes[(b + q) % ns], K = sizes[(c + a) % ns];
                            double d = check_one(fn, ta, tb, M, N, K, betas[q], &r);
                            count++;
                            if (!(d <= 1e-4)) {
                                if (bad < 5) printf("FAIL - %s: ta=%d tb=%d M=%d N=%d K=%d beta=%g: rel diff %.3g\n",
                                                    name, ta, tb, M, N, K, (double)betas[q], d);
                                bad++;
                            }
                            if (d > worst) worst = d;
                        }
    /* K = 0: C = beta C */
    {
        rnn_real C[6] = {1, 2, 3, 4, 5, 6};
        fn(0, 1, 2, 3, 0, C, 1, C, 1, (rnn_real)0.5, C, 3);
        if (C[0] != (rnn_real)0.5 || C[5] != 3) { printf("FAIL - %s: K = 0 must scale C by beta\n", name); bad++; }
        count++;
    }
    printf("%s - %s equals rnn_gemm_ref to 1e-4 relative in %d products "
           "(every ta, tb, beta 0/1/0.5, sizes 1..257, padded strides); worst %.2g\n",
           bad ? "FAIL" : "ok  ", name, count, worst);
    if (bad) failed++; else passed++;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* median seconds of one product, repeated until about `budget` seconds */
static double time_gemm(gemm_fn fn, int ta, int tb, int M, int N, int K, const rnn_real *A,
                        const rnn_real *B, rnn_real *C, double budget)
{
    double t[31], t0, first;
    int n = 0, lda = ta ? M : K, ldb = tb ? K : N, reps;
    t0 = now();
    fn(ta, tb, M, N, K, A, lda, B, ldb, 0, C, N); /* warm-up */
    first = now() - t0;
    reps = first > 0 ? (int)(budget / first) : 31;
    if (reps < 3) reps = 3;
    if (reps > 31) reps = 31;
    for (n = 0; n < reps; n++) {
        int inner = first < 1e-3 ? (int)(1e-3 / (first + 1e-9)) + 1 : 1, s;
        t0 = now();
        for (s = 0; s < inner; s++) fn(ta, tb, M, N, K, A, lda, B, ldb, 0, C, N);
        t[n] = (now() - t0) / inner;
    }
    qsort(t, (size_t)reps, sizeof t[0], cmp_double);
    return t[reps / 2];
}

struct shape { int ta, tb, M, N, K; const char *what; };

int main(int argc, char **argv)
{
    static const struct shape shapes[] = {
        {0, 1, 32, 2048, 512, "A B^T: LSTM H=512 B=32, gates' hidden side h W_hh^T"},
        {0, 1, 800, 2048, 512, "A B^T: input side of all T*B=800 rows, x W_ih^T (X=512)"},
        {0, 1, 800, 65, 512, "A B^T: output head of all 800 rows, h W_hy^T (V=65)"},
        {0, 1, 32, 512, 128, "A B^T: LSTM H=128 B=32, hidden side"},
        {1, 0, 2048, 512, 800, "A^T B: weight gradient dW = dA^T x over T*B=800 rows"},
        {1, 0, 2048, 512, 32, "A^T B: per-step dW_hh += da^T h_prev, B=32"},
        {1, 0, 65, 512, 800, "A^T B: head gradient dW_hy (V=65, H=512, T*B=800)"},
        {0, 0, 32, 512, 2048, "A B: dh_prev = da W_hh, B=32 H=512"},
        {0, 0, 32, 128, 512, "A B: dh_prev = da W_hh, B=32 H=128"},
        {0, 1, 1, 2048, 512, "B=1  A B^T: matrix-vector, hidden side H=512"},
        {0, 1, 1, 512, 128, "B=1  A B^T: matrix-vector, hidden side H=128"},
        {1, 0, 2048, 512, 1, "B=1  A^T B: outer product dW_hh += da^T h_prev"},
        {0, 0, 1, 512, 2048, "B=1  A B: vector-matrix dh_prev = da W_hh"}
    };
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0, s;
    double budget = quick ? 0.05 : 0.3;
    rnn_rng r;
    correctness(rnn_gemm, "rnn_gemm");
    correctness(plain_gemm, "plain_gemm");
    if (argc > 1 && strcmp(argv[1], "--check") == 0) {
        printf("%d passed, %d failed\n", passed, failed);
        return failed ? 1 : 0;
    }
    rnn_rng_seed(&r, 11);
    printf("\nGFLOP/s = 2 M N K / CPU time, median of repeats, 1 thread, rnn_real = %s\n",
           sizeof(rnn_real) == sizeof(float) ? "float" : "double");
    printf("| shape (ta tb M N K) | what | rnn_gemm_ref | plain_gemm | rnn_gemm | rnn_gemm / plain_gemm |\n");
    printf("|---|---|---:|---:|---:|---:|\n");
    for (s = 0; s < (int)(sizeof shapes / sizeof shapes[0]); s++) {
        const struct shape *p = &shapes[s];
        size_t na = (size_t)p->M * p->K, nb = (size_t)p->K * p->N, nc = (size_t)p->M * p->N;
        rnn_real *A = rand_matrix(na, &r), *B = rand_matrix(nb, &r), *C = rand_matrix(nc, &r);
        double flop = 2.0 * p->M * p->N * p->K;
        double tr = time_gemm(rnn_gemm_ref, p->ta, p->tb, p->M, p->N, p->K, A, B, C, budget / 3);
        double tp = time_gemm(plain_gemm, p->ta, p->tb, p->M, p->N, p->K, A, B, C, budget);
        double tg = time_gemm(rnn_gemm, p->ta, p->tb, p->M, p->N, p->K, A, B, C, budget);
        printf("| %d %d %d %d %d | %s | %.2f | %.2f | %.2f | %.1fx |\n", p->ta, p->tb, p->M, p->N, p->K,
               p->what, flop / tr * 1e-9, flop / tp * 1e-9, flop / tg * 1e-9, tp / tg);
        fflush(stdout);
        free(A); free(B); free(C);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
