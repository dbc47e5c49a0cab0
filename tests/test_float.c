/* Tests of the numerics in the default float build, where rnn.h uses its
   own tanh (one expf) instead of libm's tanhf: accuracy against tanh in
   double, symmetry, saturation, and NaN passing through; and every
   matrix-product kernel this CPU runs against the reference product. */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <math.h>
#include <stdlib.h>

/* Every matrix-product kernel compiled in that this CPU runs (>>speed), in
   float, forced in turn, against rnn_gemm_ref: every ta, tb, beta, sizes
   that reach each road and leftover tile (tiles are 8, 16 or 32 floats
   wide); |C - C_ref| / (K + 1) below 1e-6 (entries in [-1, 1], so K + 1
   bounds the sum of |A(i,k) B(k,j)| and |beta C|, which bounds the rounding). */
static void test_gemm_kernels(void)
{
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
    static const int Ms[] = {1, 2, 7, 13, 40}, Ns[] = {1, 9, 31, 33, 65}, Ks[] = {2, 5, 17, 129, 520};
    int kern, ta, tb, beta, mi, ni, ki;
    for (kern = 0; kern < RNN__GEMM_KERNELS; kern++) {
        double worst = 0;
        int cases = 0;
        rnn_rng r;
        if (rnn__gemm_force(kern) != 0) { printf("# kernel %s not run: this CPU lacks its instructions\n", rnn__gemm_names[kern]); continue; }
        rnn_rng_seed(&r, 11);
        for (ta = 0; ta < 2; ta++) for (tb = 0; tb < 2; tb++) for (beta = 0; beta < 3; beta++)
        for (mi = 0; mi < 5; mi++) for (ni = 0; ni < 5; ni++) for (ki = 0; ki < 5; ki++) {
            int M = Ms[mi], N = Ns[ni], K = Ks[ki], i, j;
            int lda = ta ? M + 3 : K + 1, ldb = tb ? K + 2 : N + 5, ldc = N + 1;
            size_t na = (size_t)(ta ? K : M) * lda, nb = (size_t)(tb ? N : K) * ldb, nc = (size_t)M * ldc, q;
            float *A = (float *)malloc(sizeof(float) * na), *Bm = (float *)malloc(sizeof(float) * nb);
            float *C1 = (float *)malloc(sizeof(float) * nc), *C2 = (float *)malloc(sizeof(float) * nc);
            double d = 0;
            if (!A || !Bm || !C1 || !C2) { CHECK(0, "out of memory"); return; }
            for (q = 0; q < na; q++) A[q] = (float)(2 * rnn_rng_uniform(&r) - 1);
            for (q = 0; q < nb; q++) Bm[q] = (float)(2 * rnn_rng_uniform(&r) - 1);
            for (q = 0; q < nc; q++) C1[q] = C2[q] = (float)(2 * rnn_rng_uniform(&r) - 1);
            rnn_gemm(ta, tb, M, N, K, A, lda, Bm, ldb, 0.5f * (float)beta, C1, ldc);
            rnn_gemm_ref(ta, tb, M, N, K, A, lda, Bm, ldb, 0.5f * (float)beta, C2, ldc);
            for (i = 0; i < M; i++)
                for (j = 0; j < ldc; j++) {
                    double a = C1[(size_t)i * ldc + j], b = C2[(size_t)i * ldc + j];
                    if (j >= N) { if (a != b) d = HUGE_VAL; continue; } /* outside C: untouched */
                    if (fabs(a - b) > d || a != a) d = a != a ? HUGE_VAL : fabs(a - b);
                }
            d /= K + 1;
            if (d > worst) worst = d;
            cases++;
            free(A); free(Bm); free(C1); free(C2);
        }
        CHECK(worst < 1e-6, "float gemm kernel %s = rnn_gemm_ref in %d products (ta, tb, beta 0/0.5/1, leftover tiles, strides): worst %.2e",
              rnn__gemm_names[kern], cases, worst);
    }
    rnn__gemm_force(-1);
#endif
}

/* The activations over a whole gate (rnn__sigmoid_v, rnn__tanh_v,
   rnn__mul_tanh), in every copy this CPU runs, give the numbers of the
   one-number functions: to the bit in the build's own copy; in the AVX2 and
   AVX-512 copies within 1e-6 relative, since a compiler that fuses a * b + c
   by itself (Clang, C++) rounds some steps once instead of twice there.
   n = 1000 covers whole chunks and the rest. */
static void test_act_kernels(void)
{
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
    enum { N = 1000 };
    static float x[N], s[N], t[N], o[N], h[N];
    int kern, i;
    for (kern = 0; kern < RNN__GEMM_KERNELS; kern++) {
        double worst = 0;
        if (rnn__gemm_force(kern) != 0) continue; /* said above */
        for (i = 0; i < N; i++) { x[i] = (float)(i - N / 2) / 37.0f; s[i] = t[i] = x[i]; o[i] = (float)i / N; }
        rnn__sigmoid_v(s, N); rnn__tanh_v(t, N); rnn__mul_tanh(h, o, x, N);
        rnn__gemm_force(-1); /* the one-number functions, as the library computes them */
        for (i = 0; i < N; i++) {
            double e1 = fabs((double)s[i] - rnn_sigmoid(x[i])) / (fabs((double)rnn_sigmoid(x[i])) + 1e-30);
            double e2 = fabs((double)t[i] - rnn_tanh(x[i])) / (fabs((double)rnn_tanh(x[i])) + 1e-30);
            double e3 = fabs((double)h[i] - o[i] * rnn_tanh(x[i])) / (fabs((double)o[i] * rnn_tanh(x[i])) + 1e-30);
            if (e1 > worst) worst = e1;
            if (e2 > worst) worst = e2;
            if (e3 > worst) worst = e3;
        }
        CHECK(kern == 0 ? worst == 0 : worst < 1e-6,
              "activations over a gate (%s copy) = rnn_sigmoid, rnn_tanh, o * rnn_tanh one by one on 1000 numbers: worst relative %.2e",
              rnn__gemm_names[kern], worst);
    }
    rnn__gemm_force(-1);
#endif
}

/* The output's softmax (rnn__softmax_exp, then rnn__divide), in every copy
   this CPU runs, against the formula in double, p_k = e^{o_k - max} /
   sum_j e^{o_j - max}, on n = 1000 and n = 61 logits (whole chunks and a
   rest): within 2e-6 relative, a few float roundings (rnn.h's e^x is good
   to about 2 ulp, and the sum is kept in lanes). */
static void test_softmax_kernels(void)
{
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
    static float o[1000], p[1000];
    static const int sizes[2] = {1000, 61};
    int kern, i, z;
    for (i = 0; i < 1000; i++) o[i] = (float)((i * 37) % 101 - 50) / 7.0f;
    for (kern = 0; kern < RNN__GEMM_KERNELS; kern++) {
        double worst = 0;
        if (rnn__gemm_force(kern) != 0) continue; /* said above */
        for (z = 0; z < 2; z++) {
            int n = sizes[z];
            double mx = o[0], sum = 0;
            float fmx, s;
            for (i = 1; i < n; i++) if (o[i] > mx) mx = o[i];
            for (i = 0; i < n; i++) sum += exp((double)o[i] - mx);
            s = rnn__softmax_exp(p, o, n, &fmx);
            rnn__divide(p, n, s);
            if ((double)fmx != mx) worst = 1;
            for (i = 0; i < n; i++) {
                double want = exp((double)o[i] - mx) / sum, e = fabs((double)p[i] - want) / want;
                if (e > worst) worst = e;
            }
        }
        CHECK(worst < 2e-6, "softmax of the output (%s copy) = e^(o_k - max) / sum in double on 1000 and 61 logits: worst relative %.2e",
              rnn__gemm_names[kern], worst);
    }
    rnn__gemm_force(-1);
#endif
}

/* rnn_optim_step of each kind, in every copy of the chunked loops this CPU
   runs (>>speed), against the formulas of >>learning written out here, one
   number at a time with libm's sqrtf, on n = 53 parameters (three chunks of
   16 and a rest of 5), three steps from the same start: to the bit in the
   build's own copy; in the AVX2 and AVX-512 copies |difference| / (|x| + 1)
   below 1e-6 for the parameters and the first moment (a compiler that fuses
   a * b + c by itself does so there, and a moment near 0 can lose all its
   digits to the sum b1 m + (1 - b1) g either way). */
static void test_optim_kernels(void)
{
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
    enum { N = 53 };
    static const rnn_optim_kind kinds[] = {RNN_SGD, RNN_ADAGRAD, RNN_RMSPROP, RNN_ADAM};
    static const char *const names[] = {"SGD with momentum", "Adagrad", "RMSprop", "Adam"};
    int kern, k, i, step;
    for (kern = 0; kern < RNN__GEMM_KERNELS; kern++) {
        if (rnn__gemm_force(kern) != 0) continue; /* said above */
        for (k = 0; k < 4; k++) {
            rnn_optim o; rnn_optim_desc d;
            float p[N], g[N], q[N], m[N], v[N], worst = 0;
            rnn_rng r;
            memset(&d, 0, sizeof d);
            d.kind = kinds[k]; d.momentum = 0.9f;
            rnn_optim_init(&o, &d, N);
            rnn_rng_seed(&r, 5 + k);
            for (i = 0; i < N; i++) { p[i] = q[i] = (float)(2 * rnn_rng_uniform(&r) - 1); m[i] = v[i] = 0; }
            for (step = 1; step <= 3; step++) {
                const float lr = o.desc.lr, eps = o.desc.eps, a = o.desc.alpha, b1 = o.desc.beta1, b2 = o.desc.beta2;
                float step_size = (float)(lr / (1 - pow((double)b1, step)));
                float inv_sqrt_c2 = (float)(1 / sqrt(1 - pow((double)b2, step)));
                for (i = 0; i < N; i++) g[i] = (float)(2 * rnn_rng_uniform(&r) - 1);
                rnn_optim_step(&o, p, g);
                for (i = 0; i < N; i++) {
                    if (k == 0) { m[i] = o.desc.momentum * m[i] + g[i]; q[i] -= lr * m[i]; }
                    else if (k == 1) { m[i] += g[i] * g[i]; q[i] -= lr * g[i] / (sqrtf(m[i]) + eps); }
                    else if (k == 2) { m[i] = a * m[i] + (1 - a) * g[i] * g[i]; q[i] -= lr * g[i] / (sqrtf(m[i]) + eps); }
                    else {
                        m[i] = b1 * m[i] + (1 - b1) * g[i];
                        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                        q[i] -= step_size * m[i] / (sqrtf(v[i]) * inv_sqrt_c2 + eps);
                    }
                }
            }
            for (i = 0; i < N; i++) {
                float e = fabsf(p[i] - q[i]) / (fabsf(q[i]) + 1), e1 = fabsf(o.m1[i] - m[i]) / (fabsf(m[i]) + 1);
                if (e > worst || e != e) worst = e;
                if (e1 > worst || e1 != e1) worst = e1;
            }
            CHECK(kern == 0 ? worst == 0 : worst < 1e-6f,
                  "%s, 3 steps of 53 parameters (%s copy) = the formula one number at a time: worst %.2e",
                  names[k], rnn__gemm_names[kern], (double)worst);
            rnn_optim_free(&o);
        }
    }
    rnn__gemm_force(-1);
#endif
}

int main(void)
{
    double worst = 0, worst_at = 0, a;
    int odd = 1, bounded = 1, monotone = 1;
    float prev = -2;
    for (a = -12; a <= 12; a += 1.0 / 4096) {
        float x = (float)a, t = rnn_tanh(x);
        double ref = tanh((double)x), e = fabs((double)t - ref) / (fabs(ref) > 1e-30 ? fabs(ref) : 1);
        if (e > worst) { worst = e; worst_at = x; }
        if (rnn_tanh(-x) != -t) odd = 0;
        if (t > 1 || t < -1) bounded = 0;
        if (t < prev) monotone = 0;
        prev = t;
    }
    CHECK(worst < 5e-7, "rnn_tanh in float against tanh in double on [-12, 12]: worst relative error %.2e (at %.4f)", worst, worst_at);
    CHECK(odd && bounded && monotone, "rnn_tanh is odd, within [-1, 1] and never decreasing");
    {
        float tiny = 1e-30f, big = 1e30f;
        CHECK(rnn_tanh(0) == 0 && rnn_tanh(tiny) == tiny && rnn_tanh(big) == 1 && rnn_tanh(-big) == -1 &&
              rnn_tanh((float)HUGE_VAL) == 1, "rnn_tanh(0) = 0, tanh of a tiny number is itself, of a huge one +-1");
        CHECK(rnn_tanh((float)NAN) != rnn_tanh((float)NAN), "rnn_tanh(NaN) is NaN (training can notice it)");
    }
    test_gemm_kernels();
    test_act_kernels();
    test_softmax_kernels();
    test_optim_kernels();
    return test_done();
}
