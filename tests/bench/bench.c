/* bench.c - rnn.h against PyTorch on the same work, in the same run.

   Run it as `sh tests/bench/run.sh` (what `make bench` does): the script
   compiles this file with -O2 -std=c99 (and, for rnn.h alone, with
   -march=native and -DRNN_NO_DISPATCH, whose times this run reports beside
   its own: --times, --compare), starts
   tests/bench/bench_torch.py (PyTorch and numpy, one thread) as a server on
   two named pipes, and runs this program, which drives both.  Alone, with
   no --torch, it measures rnn.h only.

       build/bench [--torch TO_PY FROM_PY] [--out docs/perf.md] [--quick]
                   [--cflags "the flags it was compiled with"]
                   [--only grid|minchar|keras]   (one part, printed, not saved)
                   [--compare LABEL TIMES_FILE]...  (other builds' times, beside)
       build/bench --times FILE [--quick]   (rnn.h alone: grid, min-char-rnn)
       build/bench --profile CELL H B T SECONDS   (rnn.h alone, for perf)

   Three parts: the grid against PyTorch (below), min-char-rnn against the
   same model in numpy, and Keras' three ways to run an LSTM (deck D0):
   the input product hoisted out of the time loop or not, gates fused or
   not.  The report is Markdown, printed and written to docs/perf.md.

   The work (one grid point = a cell, a hidden size H, a batch B, T steps,
   a vocabulary V = 65 of one-hot inputs and softmax outputs):
     training step  forward over T steps, cross-entropy at every step,
                    backward through time, one SGD update
     inference      forward over T steps and the softmax, no gradient
   For each point the two sides are measured in alternating rounds (rnn.h
   training, torch training, rnn.h inference, torch inference; again), so
   a change in the machine's load hits both; each number is the median of
   the rounds, after a warm-up.  Times are CPU time (each process measures
   its own), so on a shared machine the time spent waiting for a core is
   not counted; the report records the load average and says when the
   machine was loaded.  The report also checks issue 9's goals against the
   measured ratios, one by one.

   FLOP count (the same nominal count for both sides, so a ratio of times is
   a ratio of GFLOP/s): 2 M N K for every matrix product of the model, per
   step, with G gates (tanh 1, GRU 3, LSTM 4), X = V = 65:
     forward   2 B (X G H + H G H + H V)        input side, hidden side, head
     backward  2 B (X G H + 2 H G H + 2 H V)    dW_ih; dW_hh and dh; dW_hy and dh
   (no dL/dx: the input is data).  Element-wise work (activations, softmax,
   the update) is not counted.  rnn.h reads a one-hot input as a column of
   W_ih instead of multiplying, so it does less than the count says.

   Peak: the machine's single-core FMA peak is measured here by a loop of
   independent multiply-adds (8 chains per element, 256 elements, so the
   compiler's vectors are all busy), compiled for the build's flags and, by
   target attributes, for AVX2+FMA and AVX-512: the best copy the CPU runs,
   so the peak does not depend on the flags of the code under test.
   "% peak" is GFLOP/s over that number. */
#define _POSIX_C_SOURCE 199309L
#define RNN_IMPLEMENTATION
#include "rnn.h"
#include "gemm_plain.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <math.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>

#define V_CHARS 65 /* vocabulary of the grid: one-hot inputs, softmax outputs */

/* the process's CPU time in seconds: this program runs one thread, so it is
   the time rnn.h ran, whatever else the machine does (the torch server
   measures its own CPU time likewise, time.process_time) */
static int use_wall; /* --threaded: the wall clock (CPU time would add up the threads) */
static double now(void)
{
    struct timespec ts;
    clock_gettime(use_wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* wall-clock seconds: only for the progress lines and the total */
static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    if (n <= 0) return -1;
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) { fprintf(stderr, "bench: out of memory\n"); exit(2); }
    return p;
}

/* ---- the single-core FMA peak ------------------------------------------- */

#define PEAK_N 256
static float peak_acc[PEAK_N];

/* 8 dependent multiply-adds per element, 256 independent elements: the
   vectorised loop keeps both FMA units busy (the chains of one vector
   overlap with the next vectors'). The loop is compiled three times, for
   the build's flags (x * m + a: a multiply and an add, so 2 flops either
   way) and with the target attributes of rnn.h's kernels, AVX2+FMA and
   AVX-512 (fmaf, one instruction there), and the peak is the best copy this
   CPU runs: the machine's, whatever flags the bench was built with. */
#define PEAK_BODY(MADD)                                                              \
    {                                                                                \
        const float m = 0.9999f, a = 1e-4f;                                          \
        int r, j;                                                                    \
        for (r = 0; r < reps; r++)                                                   \
            for (j = 0; j < PEAK_N; j++) {                                           \
                float x = peak_acc[j];                                               \
                x = MADD(x, m, a); x = MADD(x, m, a); x = MADD(x, m, a); x = MADD(x, m, a); \
                x = MADD(x, m, a); x = MADD(x, m, a); x = MADD(x, m, a); x = MADD(x, m, a); \
                peak_acc[j] = x;                                                     \
            }                                                                        \
    }
#define PEAK_MUL_ADD(x, m, a) ((x) * (m) + (a))
static void peak_loop_base(int reps) PEAK_BODY(PEAK_MUL_ADD)
#ifdef RNN__GEMM_DISPATCH
__attribute__((target("avx2,fma"))) static void peak_loop_avx2(int reps) PEAK_BODY(fmaf)
__attribute__((target("avx2,fma,avx512f"))) static void peak_loop_avx512(int reps) PEAK_BODY(fmaf)
#endif
static const char *peak_isa = "the build's own flags";

/* GFLOP/s of the best copy this CPU runs, the best of 5 tries each */
static double peak_gflops(void)
{
    void (*loops[3])(int) = {peak_loop_base, 0, 0};
    static const char *const names[3] = {"the build's own flags", "AVX2+FMA (target attribute)", "AVX-512 (target attribute)"};
    double best = 0;
    int c, t, j;
#ifdef RNN__GEMM_DISPATCH
    loops[1] = peak_loop_avx2; loops[2] = peak_loop_avx512;
#endif
    for (c = 0; c < 3; c++) {
        int reps = 20000;
        if (!loops[c] || rnn__gemm_runs(c) == 0) continue;
        for (j = 0; j < PEAK_N; j++) peak_acc[j] = (float)j / PEAK_N;
        for (t = 0; t < 5; t++) {
            double t0 = now(), s, g;
            loops[c](reps);
            s = now() - t0;
            g = s > 0 ? 16.0 * PEAK_N * reps / s * 1e-9 : 0;
            if (g > best) { best = g; peak_isa = names[c]; }
            if (s < 0.05) { reps *= 4; t--; } /* too short to time well: longer, and again */
        }
    }
    if (peak_acc[0] != peak_acc[0]) best = 0; /* keep the result alive */
    return best;
}

/* ---- the read bandwidth: B = 1's limit ------------------------------------ */

/* At B = 1 each step multiplies W_hh (G H x H) by a vector: 2 flops per
   number of W_hh read, so the step is bound by how fast W_hh streams from
   the cache (or memory) that holds it. read_gbs(bytes) measures that speed
   for a block of that many bytes: a sum over it, read again and again, in
   16 lanes (so that it vectorises), compiled like the peak for the build's
   flags and for AVX2 and AVX-512, the best copy this CPU runs. GB/s. */
#define READ_LANES 16
#define READ_BODY                                                                  \
    {                                                                              \
        float s[READ_LANES] = {0}, t = 0;                                          \
        size_t i;                                                                  \
        int r, l;                                                                  \
        for (r = 0; r < reps; r++)                                                 \
            for (i = 0; i + READ_LANES <= n; i += READ_LANES)                      \
                for (l = 0; l < READ_LANES; l++) s[l] += x[i + l];                 \
        for (l = 0; l < READ_LANES; l++) t += s[l];                                \
        return t;                                                                  \
    }
static float read_base(const float *x, size_t n, int reps) READ_BODY
#ifdef RNN__GEMM_DISPATCH
__attribute__((target("avx2,fma"))) static float read_avx2(const float *x, size_t n, int reps) READ_BODY
__attribute__((target("avx2,fma,avx512f"))) static float read_avx512(const float *x, size_t n, int reps) READ_BODY
#endif
static volatile float read_sink;
static double read_gbs(size_t bytes)
{
    float (*fns[3])(const float *, size_t, int) = {read_base, 0, 0};
    size_t n = bytes / sizeof(float), i;
    float *x = (float *)xmalloc(n * sizeof(float) + 64);
    double best = 0;
    int c, t;
#ifdef RNN__GEMM_DISPATCH
    fns[1] = read_avx2; fns[2] = read_avx512;
#endif
    for (i = 0; i < n; i++) x[i] = (float)(i % 7) * 1e-3f;
    for (c = 0; c < 3; c++) {
        int reps = (int)(1 + 4e6 / (double)(n + 1));
        if (!fns[c] || rnn__gemm_runs(c) == 0) continue;
        for (t = 0; t < 5; t++) {
            double t0 = now(), sec;
            read_sink = fns[c](x, n, reps);
            sec = now() - t0;
            if (sec > 0 && (double)n * sizeof(float) * reps / sec * 1e-9 > best) best = (double)n * sizeof(float) * reps / sec * 1e-9;
            if (sec < 0.02) { reps *= 4; t--; }
        }
    }
    free(x);
    return best;
}

/* ---- the torch server ----------------------------------------------------- */

static FILE *to_py, *from_py;
static int torch_on;
static char torch_info[512] = "";

/* one request, one reply line; a dead server turns the comparison off */
static int py_ask(char *reply, size_t cap, const char *fmt, ...)
{
    va_list ap;
    if (!torch_on) return 0;
    va_start(ap, fmt);
    vfprintf(to_py, fmt, ap);
    va_end(ap);
    fputc('\n', to_py);
    if (fflush(to_py) != 0 || !fgets(reply, (int)cap, from_py) || strncmp(reply, "error", 5) == 0) {
        fprintf(stderr, "bench: the torch server stopped answering (%s); going on with rnn.h alone\n",
                reply[0] ? reply : "no reply");
        torch_on = 0;
        return 0;
    }
    return 1;
}

static double py_time(const char *what, int k)
{
    char r[256] = "";
    if (!py_ask(r, sizeof r, "%s %d", what, k)) return -1;
    return atof(r) / k;
}

/* ---- the rnn.h side of a grid point -------------------------------------- */

typedef struct cjob {
    rnn_model m;
    rnn_optim o;
    rnn_batch train, infer;
    int *x, *y;
} cjob;

static void rand_tokens(int *t, size_t n, int V, rnn_rng *r)
{
    size_t i;
    for (i = 0; i < n; i++) t[i] = (int)(rnn_rng_next(r) % (uint64_t)V);
}

static void cjob_init(cjob *j, rnn_cell cell, int H, int B, int T)
{
    rnn_model_desc d;
    rnn_optim_desc od;
    rnn_rng r;
    memset(j, 0, sizeof *j);
    memset(&d, 0, sizeof d);
    memset(&od, 0, sizeof od);
    d.cell = cell; d.input_size = V_CHARS; d.hidden_size = H; d.output_size = V_CHARS;
    d.output = RNN_SOFTMAX;
    if (rnn_model_init(&j->m, &d) != RNN_OK) { fprintf(stderr, "bench: rnn_model_init failed\n"); exit(2); }
    od.kind = RNN_SGD; od.lr = 0.01f;
    if (rnn_optim_init(&j->o, &od, j->m.n_params) != RNN_OK) { fprintf(stderr, "bench: rnn_optim_init failed\n"); exit(2); }
    j->x = (int *)xmalloc(sizeof(int) * (size_t)T * B);
    j->y = (int *)xmalloc(sizeof(int) * (size_t)T * B);
    rnn_rng_seed(&r, 1234);
    rand_tokens(j->x, (size_t)T * B, V_CHARS, &r);
    rand_tokens(j->y, (size_t)T * B, V_CHARS, &r);
    j->train.T = T; j->train.B = B; j->train.x_tokens = j->x; j->train.y_tokens = j->y;
    j->infer = j->train; j->infer.y_tokens = NULL;
}

static void cjob_free(cjob *j)
{
    rnn_optim_free(&j->o);
    rnn_model_free(&j->m);
    free(j->x); free(j->y);
}

static void c_train(cjob *j)
{
    rnn_real loss;
    rnn_zero_grad(&j->m);
    if (rnn_forward(&j->m, &j->train, &loss) != RNN_OK || rnn_backward(&j->m) != RNN_OK) {
        fprintf(stderr, "bench: rnn_forward/rnn_backward failed\n"); exit(2);
    }
    rnn_optim_step(&j->o, j->m.params, j->m.grads);
}

static void c_infer(cjob *j)
{
    if (rnn_forward(&j->m, &j->infer, NULL) != RNN_OK) { fprintf(stderr, "bench: rnn_forward failed\n"); exit(2); }
}

/* seconds per call of f, over k calls */
static double c_time(void (*f)(cjob *), cjob *j, int k)
{
    double t0 = now();
    int i;
    for (i = 0; i < k; i++) f(j);
    return (now() - t0) / k;
}

/* warm-up: one call, then calls for 50 ms; returns seconds per call */
static double c_warm(void (*f)(cjob *), cjob *j)
{
    double t0;
    int n = 0;
    f(j);
    t0 = now();
    do { f(j); n++; } while (now() - t0 < 0.05 && n < 2000);
    return (now() - t0) / n;
}

/* calls per timed sample, so a sample lasts at least 20 ms */
static int calls_for(double per_call)
{
    double k = per_call > 0 ? ceil(0.02 / per_call) : 1;
    return k < 1 ? 1 : k > 5000 ? 5000 : (int)k;
}

/* ---- the grid ------------------------------------------------------------ */

typedef struct point {
    rnn_cell cell;
    int H, B, T;
    double c_train, c_infer, t_train, t_infer; /* seconds per call; < 0: not measured */
    int rounds;
} point;

static double flops(const point *p, int train)
{
    double G = p->cell == RNN_TANH ? 1 : p->cell == RNN_GRU ? 3 : 4;
    double H = p->H, X = V_CHARS, V = V_CHARS, GH = G * H;
    double fwd = 2.0 * p->B * (X * GH + H * GH + H * V);
    double bwd = 2.0 * p->B * (X * GH + 2 * H * GH + 2 * H * V);
    return p->T * (train ? fwd + bwd : fwd);
}

static void run_point(point *p, int quick)
{
    cjob j;
    double wc, wci, wt = -1, wti = -1, per_round;
    double ct[16], ci[16], tt[16], ti[16]; /* up to 11 rounds */
    int kc, kci, kt = 1, kti = 1, R, r, nt = 0;
    char reply[256] = "";
    cjob_init(&j, p->cell, p->H, p->B, p->T);
    wc = c_warm(c_train, &j);
    wci = c_warm(c_infer, &j);
    if (py_ask(reply, sizeof reply, "setup %s %d %d %d %d", rnn_cell_name(p->cell), p->H, p->B, p->T, V_CHARS)
        && sscanf(reply, "ok %lf %lf", &wt, &wti) != 2) { wt = wti = -1; torch_on = 0; }
    kc = calls_for(wc); kci = calls_for(wci);
    per_round = kc * wc + kci * wci;
    if (wt > 0) { kt = calls_for(wt); kti = calls_for(wti); per_round += kt * wt + kti * wti; }
    R = (int)((quick ? 1.0 : 6.0) / per_round); /* about 6 s a point; 3 rounds at least */
    if (R < 3) R = 3;
    if (R > (quick ? 3 : 11)) R = quick ? 3 : 11;
    for (r = 0; r < R; r++) {
        ct[r] = c_time(c_train, &j, kc);
        if (wt > 0 && torch_on) { tt[nt] = py_time("train", kt); if (tt[nt] < 0) break; }
        ci[r] = c_time(c_infer, &j, kci);
        if (wt > 0 && torch_on) { ti[nt] = py_time("infer", kti); if (ti[nt] < 0) break; nt++; }
    }
    p->rounds = R;
    p->c_train = median(ct, R);
    p->c_infer = median(ci, R);
    p->t_train = nt > 0 ? median(tt, nt) : -1;
    p->t_infer = nt > 0 ? median(ti, nt) : -1;
    cjob_free(&j);
}

/* ---- min-char-rnn: rnn.h against the same model in numpy ---------------- */

#define MC_H 100
#define MC_T 25
#define MC_V 80
#define MC_N 20000 /* length of the random character stream */

typedef struct mcjob {
    rnn_model m;
    rnn_optim o;
    int *data, pos;
} mcjob;

static void mc_init(mcjob *j)
{
    rnn_model_desc d;
    rnn_optim_desc od;
    rnn_rng r;
    memset(j, 0, sizeof *j);
    memset(&d, 0, sizeof d);
    memset(&od, 0, sizeof od);
    d.cell = RNN_TANH; d.input_size = MC_V; d.hidden_size = MC_H; d.output_size = MC_V;
    d.output = RNN_SOFTMAX;
    if (rnn_model_init(&j->m, &d) != RNN_OK) exit(2);
    od.kind = RNN_ADAGRAD; od.lr = 0.1f; /* min-char-rnn: learning_rate = 1e-1 */
    if (rnn_optim_init(&j->o, &od, j->m.n_params) != RNN_OK) exit(2);
    j->data = (int *)xmalloc(sizeof(int) * MC_N);
    rnn_rng_seed(&r, 99);
    rand_tokens(j->data, MC_N, MC_V, &r);
}

/* one min-char-rnn iteration: 25 characters in, the next 25 as targets,
   the hidden state carried from the last chunk, gradients clipped to
   [-5, 5], an Adagrad update; back to the start (and h = 0) at the end */
static void mc_step(mcjob *j)
{
    rnn_batch b;
    rnn_real loss;
    if (j->pos + MC_T + 1 >= MC_N) { j->pos = 0; rnn_reset_state(&j->m); }
    memset(&b, 0, sizeof b);
    b.T = MC_T; b.B = 1; b.x_tokens = j->data + j->pos; b.y_tokens = j->data + j->pos + 1;
    rnn_zero_grad(&j->m);
    if (rnn_forward(&j->m, &b, &loss) != RNN_OK || rnn_backward(&j->m) != RNN_OK) exit(2);
    rnn_clip_by_value(&j->m, 5);
    rnn_optim_step(&j->o, j->m.params, j->m.grads);
    rnn_carry_state(&j->m);
    j->pos += MC_T;
}

static void mc_free(mcjob *j)
{
    rnn_optim_free(&j->o);
    rnn_model_free(&j->m);
    free(j->data);
}

/* ---- Keras' three ways to run an LSTM (deck D0, exp.keras-modes) --------- */

typedef void (*gemm_fn)(int, int, int, int, int, const rnn_real *, int, const rnn_real *, int,
                        rnn_real, rnn_real *, int);

typedef struct kjob {
    int H, B, T, X;
    rnn_model m;               /* LSTM, dense input, no head: rnn_forward is 'cpu' */
    rnn_batch b;
    rnn_real *x;               /* (T, B, X) */
    rnn_real *W_cat, *b_cat;   /* (4H, X+H) = [W_ih | W_hh], b_ih + b_hh: 'gpu'   */
    rnn_real *gx, *a, *xh;     /* (T, B, 4H), (B, 4H), (B, X+H) */
    rnn_real *h, *c, *cache;   /* (T+1, B, H) x2, (B, 4H) */
} kjob;

static void kjob_init(kjob *k, int H, int B, int T)
{
    rnn_model_desc d;
    rnn_rng r;
    int i, X = H, G = 4 * H;
    size_t n;
    memset(k, 0, sizeof *k);
    memset(&d, 0, sizeof d);
    k->H = H; k->B = B; k->T = T; k->X = X;
    d.cell = RNN_LSTM; d.input_size = X; d.hidden_size = H; d.output_size = 0;
    if (rnn_model_init(&k->m, &d) != RNN_OK) { fprintf(stderr, "bench: kjob init failed\n"); exit(2); }
    n = (size_t)T * B * X;
    k->x = (rnn_real *)xmalloc(sizeof(rnn_real) * n);
    rnn_rng_seed(&r, 5);
    for (i = 0; i < (int)n; i++) k->x[i] = (rnn_real)(2 * rnn_rng_uniform(&r) - 1);
    k->b.T = T; k->b.B = B; k->b.x = k->x;
    k->W_cat = (rnn_real *)xmalloc(sizeof(rnn_real) * (size_t)G * (X + H));
    k->b_cat = (rnn_real *)xmalloc(sizeof(rnn_real) * (size_t)G);
    for (i = 0; i < G; i++) {
        rnn_layer *L = &k->m.layers[0];
        memcpy(k->W_cat + (size_t)i * (X + H), L->W_ih + (size_t)i * X, sizeof(rnn_real) * X);
        memcpy(k->W_cat + (size_t)i * (X + H) + X, L->W_hh + (size_t)i * H, sizeof(rnn_real) * H);
        k->b_cat[i] = L->b_ih[i] + L->b_hh[i];
    }
    k->gx = (rnn_real *)xmalloc(sizeof(rnn_real) * (size_t)T * B * G);
    k->a = (rnn_real *)xmalloc(sizeof(rnn_real) * (size_t)B * G);
    k->xh = (rnn_real *)xmalloc(sizeof(rnn_real) * (size_t)B * (X + H));
    k->h = (rnn_real *)xmalloc(sizeof(rnn_real) * (size_t)(T + 1) * B * H);
    k->c = (rnn_real *)xmalloc(sizeof(rnn_real) * (size_t)(T + 1) * B * H);
    k->cache = (rnn_real *)xmalloc(sizeof(rnn_real) * (size_t)B * G);
}

static void kjob_free(kjob *k)
{
    rnn_model_free(&k->m);
    free(k->x); free(k->W_cat); free(k->b_cat); free(k->gx); free(k->a); free(k->xh);
    free(k->h); free(k->c); free(k->cache);
}

/* the LSTM's element-wise part from complete pre-activations a (B, 4H),
   gates i, f, g, o as in PyTorch (the same formulas as rnn_lstm_forward) */
static void lstm_gates(rnn_real *h, rnn_real *c, const rnn_real *a, const rnn_real *c_prev, int B, int H)
{
    int b, j;
    for (b = 0; b < B; b++) {
        const rnn_real *ai = a + (size_t)b * 4 * H, *af = ai + H, *ag = af + H, *ao = ag + H;
        const rnn_real *cp = c_prev + (size_t)b * H;
        rnn_real *cc = c + (size_t)b * H, *hh = h + (size_t)b * H;
        for (j = 0; j < H; j++) {
            rnn_real i = rnn_sigmoid(ai[j]), f = rnn_sigmoid(af[j]), g = rnn_tanh(ag[j]), o = rnn_sigmoid(ao[j]);
            cc[j] = f * cp[j] + i * g;
            hh[j] = o * rnn_tanh(cc[j]);
        }
    }
}

static void add_bias(rnn_real *a, const rnn_real *bias, int rows, int n)
{
    int r, j;
    for (r = 0; r < rows; r++)
        for (j = 0; j < n; j++) a[(size_t)r * n + j] += bias[j];
}

/* mode 0 'cpu': the input side of all T steps in one product, then per step
   only the hidden side; mode 1 'mem': both products inside the loop, per
   step; mode 2 'gpu': per step one product of [x, h] with [W_ih | W_hh].
   gemm is every product's kernel. The state ends in k->h row T. */
static void keras_forward(kjob *k, int mode, gemm_fn gemm)
{
    int t, H = k->H, B = k->B, X = k->X, G = 4 * H, T = k->T;
    const rnn_layer *L = &k->m.layers[0];
    size_t BH = (size_t)B * H;
    memset(k->h, 0, sizeof(rnn_real) * BH);
    memset(k->c, 0, sizeof(rnn_real) * BH);
    if (mode == 0) {
        gemm(0, 1, T * B, G, X, k->x, X, L->W_ih, X, 0, k->gx, G);
        add_bias(k->gx, L->b_ih, T * B, G);
    }
    for (t = 0; t < T; t++) {
        const rnn_real *xt = k->x + (size_t)t * B * X;
        rnn_real *hp = k->h + t * BH, *cp = k->c + t * BH;
        if (mode == 2) {
            int b;
            for (b = 0; b < B; b++) {
                memcpy(k->xh + (size_t)b * (X + H), xt + (size_t)b * X, sizeof(rnn_real) * X);
                memcpy(k->xh + (size_t)b * (X + H) + X, hp + (size_t)b * H, sizeof(rnn_real) * H);
            }
            gemm(0, 1, B, G, X + H, k->xh, X + H, k->W_cat, X + H, 0, k->a, G);
            add_bias(k->a, k->b_cat, B, G);
        } else {
            if (mode == 0) memcpy(k->a, k->gx + (size_t)t * B * G, sizeof(rnn_real) * B * G);
            else {
                gemm(0, 1, B, G, X, xt, X, L->W_ih, X, 0, k->a, G);
                add_bias(k->a, L->b_ih, B, G);
            }
            gemm(0, 1, B, G, H, hp, H, L->W_hh, H, 1, k->a, G);
            add_bias(k->a, L->b_hh, B, G);
        }
        lstm_gates(hp + BH, cp + BH, k->a, cp, B, H);
    }
}

/* the brief's 'mem' with the library's own step: rnn_gemm for the input side
   of one step, then rnn_lstm_forward (which does the hidden side) */
static void keras_mem_library(kjob *k)
{
    int t, H = k->H, B = k->B, X = k->X, G = 4 * H;
    const rnn_layer *L = &k->m.layers[0];
    size_t BH = (size_t)B * H;
    rnn_cell_io io;
    memset(k->h, 0, sizeof(rnn_real) * BH);
    memset(k->c, 0, sizeof(rnn_real) * BH);
    memset(&io, 0, sizeof io);
    io.cell = RNN_LSTM; io.B = B; io.H = H; io.W_hh = L->W_hh; io.b_hh = L->b_hh;
    io.gx = k->a; io.cache = k->cache;
    for (t = 0; t < k->T; t++) {
        rnn_gemm(0, 1, B, G, X, k->x + (size_t)t * B * X, X, L->W_ih, X, 0, k->a, G);
        add_bias(k->a, L->b_ih, B, G);
        io.h_prev = k->h + t * BH; io.c_prev = k->c + t * BH;
        io.h = k->h + (t + 1) * BH; io.c = k->c + (t + 1) * BH;
        rnn_lstm_forward(&io);
    }
}

/* the eight ways, by number: 0 rnn_forward; 1 rnn_gemm + rnn_lstm_forward;
   2, 3, 4 'cpu', 'mem', 'gpu' with rnn_gemm; 5, 6, 7 the same with the plain
   loops rnn_gemm replaced (plain_gemm, tests/bench/gemm_plain.h) */
static void keras_run(kjob *k, int way)
{
    if (way == 0) { if (rnn_forward(&k->m, &k->b, NULL) != RNN_OK) exit(2); }
    else if (way == 1) keras_mem_library(k);
    else keras_forward(k, (way - 2) % 3, way < 5 ? rnn_gemm : plain_gemm);
}

static double max_diff(const rnn_real *a, const rnn_real *b, size_t n)
{
    double d = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        double e = fabs((double)a[i] - (double)b[i]);
        if (e > d || e != e) d = e;
    }
    return d;
}

/* ---- output: the same text to stdout and to docs/perf.md ---------------- */

static FILE *md;
static void out(const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    vprintf(fmt, ap);
    if (md) vfprintf(md, fmt, aq);
    va_end(aq);
    va_end(ap);
}

/* "model name" from /proc/cpuinfo, with the family and model numbers and
   the vector extensions (a virtual machine often hides the exact name) */
static void cpu_model(char *buf, size_t cap)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[4096], name[256] = "unknown", fam[32] = "?", model[32] = "?", ext[64] = "";
    snprintf(buf, cap, "unknown (no /proc/cpuinfo)");
    if (!f) return;
    while (fgets(line, sizeof line, f)) {
        char *p = strchr(line, ':');
        if (!p) continue;
        p++;
        while (*p == ' ' || *p == '\t') p++;
        p[strcspn(p, "\n")] = 0;
        if (strncmp(line, "model name", 10) == 0) snprintf(name, sizeof name, "%s", p);
        else if (strncmp(line, "cpu family", 10) == 0) snprintf(fam, sizeof fam, "%s", p);
        else if (strncmp(line, "model\t", 6) == 0) snprintf(model, sizeof model, "%s", p);
        else if (strncmp(line, "flags", 5) == 0) {
            static const char *const want[] = {" fma", " avx2", " avx512f"};
            size_t w;
            strcat(line, " ");
            for (w = 0; w < sizeof want / sizeof want[0]; w++) {
                char key[16];
                snprintf(key, sizeof key, "%s ", want[w]);
                if (strstr(p - 1, key)) strcat(ext, want[w]);
            }
            break; /* the first processor says it all */
        }
    }
    fclose(f);
    snprintf(buf, cap, "%s (family %s, model %s;%s)", name, fam, model, ext[0] ? ext : " no FMA");
}

/* the 1-minute load average, -1 where /proc/loadavg is missing: other work
   on the machine shows up here (and, through the alternation, on both sides) */
static double load_average(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double l = -1;
    if (f) { if (fscanf(f, "%lf", &l) != 1) l = -1; fclose(f); }
    return l;
}

static double load_max = -1; /* the highest 1-minute load average seen during the run */
static void note_load(void)
{
    double l = load_average();
    if (l > load_max) load_max = l;
}

static void cell_times(double s, double flop, double peak)
{
    if (s <= 0) { out(" - | - | - |"); return; }
    out(" %.3g | %.2f | %.1f%% |", s * 1e3, flop / s * 1e-9, peak > 0 ? 100 * flop / s * 1e-9 / peak : 0);
}

static void table(const point *pts, int n, int train, double peak)
{
    int i;
    out("| cell | H | B | T | MFLOP | rnn.h ms | rnn.h GFLOP/s | rnn.h %% peak | torch ms | torch GFLOP/s | torch %% peak | torch / rnn.h |\n");
    out("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (i = 0; i < n; i++) {
        const point *p = &pts[i];
        double f = flops(p, train), c = train ? p->c_train : p->c_infer, t = train ? p->t_train : p->t_infer;
        out("| %s | %d | %d | %d | %.3g |", rnn_cell_name(p->cell), p->H, p->B, p->T, f * 1e-6);
        cell_times(c, f, peak);
        cell_times(t, f, peak);
        if (c > 0 && t > 0) out(" %.2f |\n", t / c); else out(" - |\n");
    }
}

/* ---- the three parts, then the report ----------------------------------- */

#define NPOINTS 27
static point pts[NPOINTS];
static double stream_gbs[NPOINTS]; /* B = 1 points: read GB/s for a block of W_hh's size */
static double mc_c = -1, mc_t = -1;      /* min-char-rnn: seconds per step */
static const int kH[] = {128, 512}, kB[] = {1, 32};
static double kt[4][8], kd[4];           /* Keras modes: per (H, B) the 8 ways; max diff */

static int threaded_only; /* --threaded: only the points B = 32, H >= 128 */
static void run_grid(int quick, double t_start)
{
    static const rnn_cell cells[] = {RNN_TANH, RNN_GRU, RNN_LSTM};
    static const int Hs[] = {8, 32, 128, 512}, Bs[] = {1, 32};
    int i = 0, a, h, b;
    for (a = 0; a < 3; a++)
        for (h = 0; h < 4; h++)
            for (b = 0; b < 2; b++, i++) { pts[i].cell = cells[a]; pts[i].H = Hs[h]; pts[i].B = Bs[b]; pts[i].T = 25; }
    for (a = 0; a < 3; a++, i++) { pts[i].cell = cells[a]; pts[i].H = 128; pts[i].B = 32; pts[i].T = 100; }
    for (i = 0; i < NPOINTS; i++) {
        point *p = &pts[i];
        if (threaded_only && (p->B != 32 || p->H < 128)) { p->c_train = p->c_infer = p->t_train = p->t_infer = -1; continue; }
        if (p->B == 1) {
            double G = p->cell == RNN_TANH ? 1 : p->cell == RNN_GRU ? 3 : 4;
            stream_gbs[i] = read_gbs((size_t)(G * p->H * p->H * sizeof(float)));
        }
        run_point(p, quick);
        fprintf(stderr, "bench: %-4s H=%-3d B=%-2d T=%-3d train rnn.h %8.3f ms torch %8.3f ms | "
                "infer rnn.h %8.3f ms torch %8.3f ms (%d rounds, %.0f s so far; negative: skipped)\n",
                rnn_cell_name(p->cell), p->H, p->B, p->T, p->c_train * 1e3, p->t_train * 1e3,
                p->c_infer * 1e3, p->t_infer * 1e3, p->rounds, wall() - t_start);
        note_load();
    }
}

static void run_minchar(int quick)
{
    mcjob j;
    char reply[256] = "";
    double w, wt = -1, cs[16], ts[16], t0;
    int k, ktorch = 1, r, R = quick ? 3 : 7, nt = 0, n = 0, s;
    mc_init(&j);
    mc_step(&j);
    t0 = now();
    do { mc_step(&j); n++; } while (now() - t0 < 0.05);
    w = (now() - t0) / n;
    if (py_ask(reply, sizeof reply, "minchar_setup %d %d %d", MC_H, MC_T, MC_V)) wt = atof(reply + 3);
    k = calls_for(w * 10); /* 200 ms samples: these steps are short */
    if (wt > 0) ktorch = calls_for(wt * 10);
    for (r = 0; r < R; r++) {
        t0 = now();
        for (s = 0; s < k; s++) mc_step(&j);
        cs[r] = (now() - t0) / k;
        if (wt > 0 && torch_on) { ts[nt] = py_time("minchar", ktorch); if (ts[nt] < 0) break; nt++; }
    }
    mc_c = median(cs, R);
    mc_t = nt ? median(ts, nt) : -1;
    fprintf(stderr, "bench: min-char-rnn step rnn.h %.3f ms, numpy %.3f ms (negative: skipped)\n", mc_c * 1e3, mc_t * 1e3);
    note_load();
    mc_free(&j);
}

/* Keras' modes: for each (H, B), the 8 ways of keras_run measured round
   robin (one sample of each way per round, R rounds), so a change in the
   machine's load hits every way alike; the median of the rounds */
static void run_keras(int quick, double t_start)
{
    int q = 0, h, b, way, r, c, R = quick ? 3 : 7;
    for (h = 0; h < 2; h++)
        for (b = 0; b < 2; b++, q++) {
            kjob k;
            rnn_real *ref;
            size_t BH;
            double s[8][16], t0;
            int calls[8];
            kjob_init(&k, kH[h], kB[b], 25);
            BH = (size_t)k.B * k.H;
            ref = (rnn_real *)xmalloc(sizeof(rnn_real) * BH);
            if (rnn_forward(&k.m, &k.b, NULL) != RNN_OK) exit(2);
            memcpy(ref, k.m.layers[0].h + (size_t)k.T * BH, sizeof(rnn_real) * BH);
            kd[q] = 0;
            for (way = 0; way < 8; way++) { /* warm-up, a check, and the calls per sample */
                keras_run(&k, way);
                if (way >= 1) { /* the hand-written ways leave their last state in k.h row T */
                    double e = max_diff(k.h + (size_t)k.T * BH, ref, BH);
                    if (e > kd[q] || e != e) kd[q] = e;
                }
                t0 = now();
                keras_run(&k, way);
                calls[way] = calls_for(now() - t0);
            }
            for (r = 0; r < R; r++)
                for (way = 0; way < 8; way++) {
                    t0 = now();
                    for (c = 0; c < calls[way]; c++) keras_run(&k, way);
                    s[way][r] = (now() - t0) / calls[way];
                }
            for (way = 0; way < 8; way++) kt[q][way] = median(s[way], R);
            kjob_free(&k);
            free(ref);
            fprintf(stderr, "bench: keras modes H=%d B=%d done (%.0f s so far)\n", kH[h], kB[b], wall() - t_start);
            note_load();
        }
}

/* ---- the other builds: rnn.h alone, side by side with this one ---------- */

/* run.sh runs this bench also as built with other flags (-march=native; the
   baseline alone, -DRNN_NO_DISPATCH), rnn.h only, each writing its times to
   a file (--times); this run reads them (--compare LABEL FILE) and reports
   them beside its own, point by point. */
#define MAX_BUILDS 3
static int n_builds;
static char build_label[MAX_BUILDS][128];
static double build_train[MAX_BUILDS][NPOINTS], build_infer[MAX_BUILDS][NPOINTS], build_mc[MAX_BUILDS];

static void write_times(const char *path)
{
    FILE *f = fopen(path, "w");
    int i;
    if (!f) { fprintf(stderr, "bench: cannot write %s\n", path); exit(2); }
    for (i = 0; i < NPOINTS; i++)
        fprintf(f, "point %s %d %d %d %.9g %.9g %.9g %.9g\n", rnn_cell_name(pts[i].cell), pts[i].H, pts[i].B, pts[i].T,
                pts[i].c_train, pts[i].c_infer, pts[i].t_train, pts[i].t_infer);
    fprintf(f, "minchar %.9g\n", mc_c);
    fclose(f);
}

/* the threaded run (--threaded-times): rnn.h built with -fopenmp on every
   core and PyTorch at its default thread count, both by the wall clock,
   B = 32, H >= 128 */
static int thr_n;
static char thr_info[512];
static point thr_pts[NPOINTS];
static void read_threaded(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512], cell[32];
    point p;
    if (!f) { fprintf(stderr, "bench: cannot read %s (the threaded run's times)\n", path); return; }
    while (fgets(line, sizeof line, f)) {
        memset(&p, 0, sizeof p);
        if (strncmp(line, "torch ", 6) == 0) { line[strcspn(line, "\n")] = 0; snprintf(thr_info, sizeof thr_info, "%s", line + 6); }
        else if (sscanf(line, "point %31s %d %d %d %lf %lf %lf %lf", cell, &p.H, &p.B, &p.T, &p.c_train, &p.c_infer,
                        &p.t_train, &p.t_infer) == 8 && p.c_train > 0 && thr_n < NPOINTS) {
            p.cell = rnn_cell_from_name(cell);
            thr_pts[thr_n++] = p;
        }
    }
    fclose(f);
}

/* reads a --times file into build b; a point it lacks stays -1 (not measured) */
static void read_times(int b, const char *label, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256], cell[32];
    int i, H, B, T;
    double ct, ci;
    snprintf(build_label[b], sizeof build_label[b], "%s", label);
    for (i = 0; i < NPOINTS; i++) build_train[b][i] = build_infer[b][i] = -1;
    build_mc[b] = -1;
    if (!f) { fprintf(stderr, "bench: cannot read %s (the %s build's times)\n", path, label); return; }
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "point %31s %d %d %d %lf %lf", cell, &H, &B, &T, &ct, &ci) >= 6) {
            for (i = 0; i < NPOINTS; i++)
                if (strcmp(rnn_cell_name(pts[i].cell), cell) == 0 && pts[i].H == H && pts[i].B == B && pts[i].T == T) {
                    build_train[b][i] = ct; build_infer[b][i] = ci;
                }
        } else sscanf(line, "minchar %lf", &build_mc[b]);
    }
    fclose(f);
}

/* the table of builds: per point this build's time, then each other build's
   time and this build's speed relative to it (its time over this one's: above
   1, this build is faster) */
static void builds_table(int train, const char *cflags)
{
    int i, b;
    out("| cell | H | B | T | this build (`%s`) ms |", cflags);
    for (b = 0; b < n_builds; b++) out(" %s ms | %s / this |", build_label[b], build_label[b]);
    out("\n|---|--:|--:|--:|--:|");
    for (b = 0; b < n_builds; b++) out("--:|--:|");
    out("\n");
    for (i = 0; i < NPOINTS; i++) {
        const point *p = &pts[i];
        double c = train ? p->c_train : p->c_infer;
        out("| %s | %d | %d | %d | %.3g |", rnn_cell_name(p->cell), p->H, p->B, p->T, c * 1e3);
        for (b = 0; b < n_builds; b++) {
            double o = train ? build_train[b][i] : build_infer[b][i];
            if (o > 0 && c > 0) out(" %.3g | %.2f |", o * 1e3, o / c); else out(" - | - |");
        }
        out("\n");
    }
}

/* goal: this build within `slack` (0.10: 10%) of build b at every B = 32 point:
   its time at most (1 + slack) times build b's */
static void goal_builds(int b, double slack)
{
    int train, i;
    for (train = 1; train >= 0; train--) {
        int n = 0, ok = 0, wi = -1;
        double worst = -1;
        for (i = 0; i < NPOINTS; i++) {
            double c = train ? pts[i].c_train : pts[i].c_infer, o = train ? build_train[b][i] : build_infer[b][i];
            if (pts[i].B != 32 || c <= 0 || o <= 0) continue;
            n++;
            if (c <= (1 + slack) * o) ok++;
            if (worst < 0 || o / c < worst) { worst = o / c; wi = i; }
        }
        out("  - %s: ", train ? "training" : "inference");
        if (n == 0) { out("not measured.\n"); continue; }
        out("**%s**: %d of %d points within %.0f%%; the lowest %s / this is %.2f (%s H=%d T=%d).\n",
            ok == n ? "met" : "not met", ok, n, 100 * slack, build_label[b], worst,
            rnn_cell_name(pts[wi].cell), pts[wi].H, pts[wi].T);
    }
}

static double load_start;

/* one goal of issue 9 over a set of grid points (B = b; for b = 32 also the
   T = 100 points): the ratio torch / rnn.h must be at least `want` at every
   point, in training and in inference; prints the worst point and every miss */
static void goal_points_of(int b, int h, double want, int infer_only);
static void goal_points(int b, int h, double want) { goal_points_of(b, h, want, 0); }
/* the same over inference alone (infer_only), and h < 0: every H up to -h */
static void goal_points_of(int b, int h, double want, int infer_only)
{
    int train, i;
    for (train = infer_only ? 0 : 1; train >= 0; train--) {
        double worst = -1;
        int n = 0, ok = 0, wi = -1, misses = 0;
        for (i = 0; i < NPOINTS; i++) {
            const point *p = &pts[i];
            double c = train ? p->c_train : p->c_infer, t = train ? p->t_train : p->t_infer;
            if (p->B != b || (h > 0 && p->H != h) || (h < 0 && p->H > -h) || c <= 0 || t <= 0) continue;
            n++;
            if (t / c >= want) ok++;
            if (worst < 0 || t / c < worst) { worst = t / c; wi = i; }
        }
        out("  - %s: ", train ? "training" : "inference");
        if (n == 0) { out("not measured (no PyTorch in this run).\n"); continue; }
        out("**%s**: %d of %d points at %gx or more; the lowest is %.2fx (%s H=%d T=%d)",
            ok == n ? "met" : "not met", ok, n, want, worst, rnn_cell_name(pts[wi].cell), pts[wi].H, pts[wi].T);
        for (i = 0; i < NPOINTS; i++) {
            const point *p = &pts[i];
            double c = train ? p->c_train : p->c_infer, t = train ? p->t_train : p->t_infer;
            if (p->B != b || (h > 0 && p->H != h) || (h < 0 && p->H > -h) || c <= 0 || t <= 0 || t / c >= want) continue;
            out("%s%s H=%d T=%d %.2fx", misses++ ? ", " : "; below it: ", rnn_cell_name(p->cell), p->H, p->T, t / c);
        }
        out(".\n");
    }
}

/* issue 9's goals, one by one, with what this run measured */
static void goals(double peak)
{
    int i, lstm512 = -1;
    double best = 0;
    for (i = 0; i < NPOINTS; i++) {
        const point *p = &pts[i];
        if (p->cell == RNN_LSTM && p->H == 512 && p->B == 32 && p->T == 25) lstm512 = i;
        if (p->c_train > 0 && flops(p, 1) / p->c_train * 1e-9 > best) best = flops(p, 1) / p->c_train * 1e-9;
    }
    out("## Issue 9's goals against this run\n\n");
    out("Computed by the bench from the tables below (ratio = PyTorch's time over rnn.h's, the same run). ");
    if (lstm512 >= 0 && pts[lstm512].t_train > 0)
        out("The goals were set against a PyTorch with an optimised BLAS (about 39 GFLOP/s at B = 32, H = 512); "
            "the PyTorch measured here reached %.1f GFLOP/s at LSTM H = 512 B = 32 (training) with the BLAS "
            "named above, so its ratios say how rnn.h compares with this installation. ",
            flops(&pts[lstm512], 1) / pts[lstm512].t_train * 1e-9);
    out("\n\n");
#ifdef RNN_USE_CBLAS
    out("- This run built rnn.h with `RNN_USE_CBLAS` (flags above): the default-build goals are judged by the "
        "default run (`make bench`).\n");
    out("- With `RNN_USE_CBLAS` and OpenBLAS: at least 1.5x PyTorch at B = 32, H = 512.\n");
    goal_points(32, 512, 1.5);
#else
    out("- Default build (no BLAS, portable C), B = 1: at least 5x PyTorch for every H and cell.\n");
    goal_points(1, 0, 5);
    out("- Default build, B = 32: at least as fast as PyTorch (1x) for every H up to 512 (T = 25, and the T = 100 points).\n");
    goal_points(32, 0, 1);
    out("- With `RNN_USE_CBLAS` and OpenBLAS (at least 1.5x PyTorch at B = 32, H = 512): judged by the run "
        "`make bench-cblas`, which writes docs/perf-cblas.md.\n");
#endif
    out("- Each point's fraction of the machine's peak: **met**: the %% peak columns, against the FMA peak the bench "
        "measured (%.1f GFLOP/s); rnn.h's best training point reaches %.1f GFLOP/s, %.1f%% of it.\n",
        peak, best, peak > 0 ? 100 * best / peak : 0);
    if (mc_c > 0 && mc_t > 0)
        out("- min-char-rnn at least 10x faster than the same model in numpy: **%s**: %.1fx (%.3f ms against %.3f ms per step).\n",
            mc_t / mc_c >= 10 ? "met" : "not met", mc_t / mc_c, mc_c * 1e3, mc_t * 1e3);
    else
        out("- min-char-rnn at least 10x faster than numpy: not measured (no numpy in this run).\n");
    out("- Training the labs limited by the matrix products, not by overhead: see the profile at the end "
        "(written by tests/bench/run.sh when `perf` works).\n");
    out("- Threads: rnn.h has none; both sides ran one thread.\n\n");
}

/* issue 15's goals ("fast by default"), with what this run measured */
static void goals15(void)
{
    int b, native = -1;
    for (b = 0; b < n_builds; b++) if (strstr(build_label[b], "march=native")) native = b;
    out("\n## Issue 15's goals (fast by default) against this run\n\n");
    out("Computed by the bench from the tables above: \"this build\" is the flags in the table at the top, "
        "the build a user gets from a plain `cc -O2` (rnn.h picks its kernels for the CPU at run time).\n\n");
    out("- This build within 10%% of the `-march=native` build at every B = 32 point (its time at most 1.1 times):\n");
    if (native >= 0) goal_builds(native, 0.10);
    else out("  - not measured: no `-march=native` build in this run.\n");
    out("- This build at least 1.0x PyTorch (one thread each) at B = 32, H up to 512:\n");
    goal_points(32, 0, 1);
    out("- This build at least 5x PyTorch at B = 1:\n");
    goal_points(1, 0, 5);
    out("- B = 1 inference at least 5x PyTorch for H <= 128:\n");
    goal_points_of(1, -128, 5, 1);
    if (mc_c > 0 && mc_t > 0)
        out("- min-char-rnn at least 10x numpy: **%s**: %.1fx.\n", mc_t / mc_c >= 10 ? "met" : "not met", mc_t / mc_c);
    else
        out("- min-char-rnn at least 10x numpy: not measured (no numpy in this run).\n");
    out("- With `-fopenmp` on all cores, at least 1.0x PyTorch at its default thread count (B = 32, H >= 128): ");
    {
        int i, n = 0, ok = 0, wi = -1, train;
        double worst = -1;
        for (i = 0; i < thr_n; i++)
            for (train = 0; train < 2; train++) {
                const point *p = &thr_pts[i];
                double c = train ? p->c_train : p->c_infer, t = train ? p->t_train : p->t_infer;
                if (c <= 0 || t <= 0) continue;
                n++;
                if (t / c >= 1) ok++;
                if (worst < 0 || t / c < worst) { worst = t / c; wi = i; }
            }
        if (n == 0) out("not measured (no threaded run: no -fopenmp, or no PyTorch).\n");
        else out("**%s**: %d of %d (training and inference) at 1x or more; the lowest is %.2fx (%s H=%d T=%d).\n",
                 ok == n ? "met" : "not met", ok, n, worst, rnn_cell_name(thr_pts[wi].cell), thr_pts[wi].H, thr_pts[wi].T);
    }
    {
        int i, n = 0, ok = 0;
        out("- B = 1 inference at H = 512 at least 80%% of the measured streaming limit of W_hh: ");
        for (i = 0; i < NPOINTS; i++) {
            const point *p = &pts[i];
            double G = p->cell == RNN_TANH ? 1 : p->cell == RNN_GRU ? 3 : 4, bytes = G * p->H * p->H * sizeof(float), f;
            if (p->B != 1 || p->H != 512 || stream_gbs[i] <= 0 || p->c_infer <= 0) continue;
            f = p->T * bytes / (stream_gbs[i] * 1e9) / p->c_infer;
            if (f >= 0.8) ok++;
            out("%s%s %.0f%%", n++ ? ", " : "", rnn_cell_name(p->cell), 100 * f);
        }
        if (n == 0) out("not measured.\n");
        else out("; **%s** (%d of %d).\n", ok == n ? "met" : "not met", ok, n);
    }
}

static void report(int grid, int minchar, int keras, int quick, double peak, const char *cflags)
{
    char cpu[256], date[64];
    time_t tt = time(NULL);
    int q, h, b;
    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", gmtime(&tt));
    cpu_model(cpu, sizeof cpu);
    out("# rnn.h performance\n\n");
    out("Written by `sh tests/bench/run.sh` (`make bench`); every number below comes from one run of it.\n\n");
    out("| | |\n|---|---|\n");
    out("| date | %s |\n", date);
    out("| CPU | %s |\n", cpu);
    out("| single-core FMA peak | %.1f GFLOP/s, measured by the bench: a loop of independent multiply-adds, "
        "compiled for the build's flags and for AVX2+FMA and AVX-512 by target attributes, whatever the flags below; "
        "the best copy this CPU runs was %s |\n", peak, peak_isa);
#ifdef __VERSION__
    out("| compiler | %s |\n", __VERSION__);
#endif
    out("| flags | `%s` |\n", cflags);
    out("| rnn_real | %s |\n", sizeof(rnn_real) == sizeof(float) ? "float" : "double");
    out("| PyTorch | %s |\n", torch_info[0] ? torch_info : "skipped: no python that imports torch");
    note_load();
    if (load_start >= 0) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        out("| load average (1 min) | %.2f at the start, %.2f at the end, %.2f at most during the run, on %ld cores "
            "(the bench itself adds about 1; more means other work was running) |\n",
            load_start, load_average(), load_max, ncpu);
        if (load_start > 1 || load_max > 2)
            out("| **loaded machine** | other work was running during this run (load average above 1 before the bench "
                "started, or above 2 with it). Times are CPU time, which the waiting does not count, and rnn.h and "
                "PyTorch alternate, so the ratios are fair; the absolute times may still be a little slower than on "
                "an idle machine (shared caches and memory bandwidth) |\n");
    }
    out("| threads | 1 on both sides (`torch.set_num_threads(1)`, `OMP_NUM_THREADS=1`) |\n\n");
    if (grid && minchar) goals(peak);
    if (grid) {
        out("How to read it. Each row is one grid point: a cell (tanh RNN, GRU, LSTM), hidden size H, "
            "batch B, T steps, vocabulary V = 65 (one-hot inputs, softmax outputs, cross-entropy at every step). "
            "Times are CPU time (each process's own, so time spent waiting for a core on a shared machine is not counted), "
            "the median of %s rounds after a warm-up; in each round rnn.h and PyTorch run one "
            "after the other, so a change in the machine's load hits both. "
            "MFLOP is the nominal count of the model's matrix products, the same for both sides: "
            "2 M N K per product; per step, forward 2B(XGH + HGH + HV) and backward "
            "2B(XGH + 2HGH + 2HV), G gates (1, 3, 4), X = V = 65; element-wise work is not counted, and rnn.h "
            "reads a one-hot input as a column of W_ih rather than multiplying. "
            "%% peak is GFLOP/s over the measured single-core FMA peak. "
            "torch / rnn.h is PyTorch's time over rnn.h's: above 1, rnn.h is faster.\n\n",
            quick ? "3" : "3 to 11");
        out("PyTorch side: `nn.RNN(tanh)`/`nn.GRU`/`nn.LSTM` + `nn.Linear` head, the inputs as one-hot float "
            "tensors made once before timing, `F.cross_entropy(reduction='sum') / B`, `loss.backward()`, "
            "`torch.optim.SGD`; inference under `torch.inference_mode()` with the softmax. "
            "PyTorch's matrix products go to the BLAS library named above, which decides most of its numbers: "
            "Debian's default libblas.so.3 is the reference BLAS, plain loops far slower than an optimised BLAS; "
            "to measure PyTorch with OpenBLAS, `apt-get install libopenblas0-serial`, or for the bench alone "
            "`BENCH_TORCH_LIBS=/usr/lib/x86_64-linux-gnu/openblas-serial`.\n\n");
        out("## Training step (forward, loss, backward through time, SGD update)\n\n");
        table(pts, NPOINTS, 1, peak);
        out("\n## Inference (forward and softmax)\n\n");
        table(pts, NPOINTS, 0, peak);
    }
    if (minchar) {
        out("\n## min-char-rnn: rnn.h against numpy\n\n");
        out("Karpathy's min-char-rnn configuration: tanh RNN, H = %d, T = %d, V = %d, B = 1, Adagrad (lr 0.1), "
            "gradients clipped to [-5, 5], the hidden state carried from chunk to chunk. The numpy side is "
            "the same algorithm written for this bench (tests/bench/bench_torch.py), one-hot column vectors "
            "and `np.dot` as in the original.\n\n", MC_H, MC_T, MC_V);
        out("| | ms per step (25 chars) | chars/s |\n|---|--:|--:|\n");
        out("| rnn.h | %.3f | %.0f |\n", mc_c * 1e3, MC_T / mc_c);
        if (mc_t > 0) out("| numpy | %.3f | %.0f |\n\nnumpy / rnn.h: **%.1f**\n", mc_t * 1e3, MC_T / mc_t, mc_t / mc_c);
        else out("| numpy | skipped | - |\n");
    }
    if (grid && n_builds > 0) {
        int b;
        out("\n## The same rnn.h built with other flags, same run\n\n");
        out("rnn.h alone (no PyTorch), the same grid measured the same way by this bench compiled with other flags, "
            "run one after the other in this run:");
        for (b = 0; b < n_builds; b++) out(" %s%s", b ? "; " : "", build_label[b]);
        out(". The ratio columns are that build's time over this build's: above 1, this build is faster; "
            "0.91 or more means this build is within 10%% of it.\n\n");
        out("### Training step\n\n");
        builds_table(1, cflags);
        out("\n### Inference\n\n");
        builds_table(0, cflags);
        out("\nmin-char-rnn, ms per step: this build %.3f", mc_c * 1e3);
        for (b = 0; b < n_builds; b++) if (build_mc[b] > 0) out("; %s %.3f", build_label[b], build_mc[b] * 1e3);
        out(".\n");
    }
    if (grid && thr_n > 0) {
        int i;
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        out("\n## All cores: rnn.h with -fopenmp against PyTorch at its default thread count\n\n");
        out("Both at their defaults as a user meets them: rnn.h built with `%s -fopenmp` (no OMP_NUM_THREADS: "
            "every core, %ld here), PyTorch with its default thread count (%s). Times by the wall clock (CPU time "
            "would add up the threads), median of the rounds, the two sides alternating; on a machine that others "
            "use, the threads also wait for cores, so these numbers are only as good as the machine was quiet.\n\n",
            cflags, ncpu, thr_info[0] ? thr_info : "not described");
        out("| cell | H | B | T | rnn.h train ms | torch train ms | torch / rnn.h | rnn.h infer ms | torch infer ms | torch / rnn.h |\n");
        out("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (i = 0; i < thr_n; i++) {
            const point *p = &thr_pts[i];
            out("| %s | %d | %d | %d | %.3g | %.3g | %.2f | %.3g | %.3g | %.2f |\n", rnn_cell_name(p->cell), p->H, p->B, p->T,
                p->c_train * 1e3, p->t_train * 1e3, p->t_train / p->c_train, p->c_infer * 1e3, p->t_infer * 1e3,
                p->t_infer / p->c_infer);
        }
    }
    if (grid) {
        int i;
        out("\n## B = 1 against the streaming limit\n\n");
        out("At B = 1 a step multiplies W_hh (G H x H floats) by a vector, so it cannot take less than the time "
            "to read W_hh once: bytes of W_hh over the read bandwidth this bench measured for a block of that size "
            "(a vectorised sum over it, read again and again: the speed of the cache or memory that holds it). "
            "limit ms = T x that time; %% of limit = limit ms / rnn.h's inference ms (100%%: as fast as W_hh streams; "
            "the input column, the head and the activations also take time, so the small sizes stay far below).\n\n");
        out("| cell | H | W_hh KB | read GB/s | limit ms | rnn.h inference ms | %% of limit |\n|---|--:|--:|--:|--:|--:|--:|\n");
        for (i = 0; i < NPOINTS; i++) {
            const point *p = &pts[i];
            double G = p->cell == RNN_TANH ? 1 : p->cell == RNN_GRU ? 3 : 4, bytes = G * p->H * p->H * sizeof(float);
            double lim = stream_gbs[i] > 0 ? p->T * bytes / (stream_gbs[i] * 1e9) : -1;
            if (p->B != 1) continue;
            out("| %s | %d | %.0f | %.1f | %.3g | %.3g | %.0f%% |\n", rnn_cell_name(p->cell), p->H, bytes / 1024,
                stream_gbs[i], lim * 1e3, p->c_infer * 1e3, p->c_infer > 0 ? 100 * lim / p->c_infer : 0);
        }
    }
    if (keras) {
        out("\n## Keras' three modes (deck D0, exp.keras-modes): LSTM forward, T = 25, X = H, ms\n\n");
        out("'cpu': the input side of all T steps in one product before the loop (what rnn_forward does); "
            "'mem': the input product of each step inside the loop; 'gpu': per step one product of [x, h] "
            "with [W_ih | W_hh] (input and hidden side fused). The first two columns are rnn.h as it is: "
            "rnn_forward, and the 'mem' way written with the public per-step functions (rnn_gemm for the "
            "step's input side, then rnn_lstm_forward). The next six do every product with rnn.h's rnn_gemm, "
            "then with the plain loops it replaced (plain_gemm, tests/bench/gemm_plain.h: rows of "
            "`c[j] += a * b[j]`, or dot products), which shows what the blocked kernel gains. The same arithmetic in "
            "each: the last state agrees with rnn_forward's to the max difference shown. Only the input side can "
            "leave the loop: the hidden side of step t needs h<t-1>. The ways are measured round robin, "
            "the median of 7 rounds.\n\n");
        out("| H | B | rnn_forward 'cpu' | rnn_gemm + rnn_lstm_forward 'mem' | 'cpu' rnn_gemm | 'mem' rnn_gemm | 'gpu' rnn_gemm | 'cpu' plain_gemm | 'mem' plain_gemm | 'gpu' plain_gemm | max diff |\n");
        out("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (q = 0, h = 0; h < 2; h++)
            for (b = 0; b < 2; b++, q++)
                out("| %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1g |\n", kH[h], kB[b],
                    kt[q][0] * 1e3, kt[q][1] * 1e3, kt[q][2] * 1e3, kt[q][3] * 1e3, kt[q][4] * 1e3,
                    kt[q][5] * 1e3, kt[q][6] * 1e3, kt[q][7] * 1e3, kd[q]);
    }
    if (grid && minchar) goals15();
}

/* --profile CELL H B T SECONDS: rnn.h alone, training steps of one grid
   point for about SECONDS of CPU time, for a profiler (run.sh runs perf) */
static int profile_point(char **arg)
{
    point p;
    cjob j;
    double t0, limit = atof(arg[4]);
    int n = 0;
    memset(&p, 0, sizeof p);
    p.cell = rnn_cell_from_name(arg[0]);
    p.H = atoi(arg[1]); p.B = atoi(arg[2]); p.T = atoi(arg[3]);
    if (p.cell == RNN_CELL_DEFAULT || p.H < 1 || p.B < 1 || p.T < 1 || !(limit > 0)) {
        fprintf(stderr, "bench: --profile wants CELL (a cell's name: tanh, gru, lstm, ...) H B T SECONDS\n");
        return 2;
    }
    cjob_init(&j, p.cell, p.H, p.B, p.T);
    t0 = now();
    do { c_train(&j); n++; } while (now() - t0 < limit);
    printf("%s H=%d B=%d T=%d: %d training steps, %.3f ms each (CPU time)\n", arg[0], p.H, p.B, p.T, n,
           (now() - t0) / n * 1e3);
    cjob_free(&j);
    return 0;
}

int main(int argc, char **argv)
{
    int quick = 0, grid = 1, minchar = 1, keras = 1, a, write = 1;
    const char *out_path = "docs/perf.md", *cflags = "(not given)", *times_path = NULL, *threaded_path = NULL;
    const char *compare_label[MAX_BUILDS], *compare_path[MAX_BUILDS];
    char reply[512];
    double peak, t_start = wall();

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--torch") == 0 && a + 2 < argc) {
            to_py = fopen(argv[a + 1], "w");
            from_py = to_py ? fopen(argv[a + 2], "r") : NULL;
            torch_on = to_py && from_py;
            if (!torch_on) fprintf(stderr, "bench: cannot open the pipes to the torch server\n");
            a += 2;
        } else if (strcmp(argv[a], "--out") == 0 && a + 1 < argc) { out_path = argv[++a]; write = 2; }
        else if (strcmp(argv[a], "--cflags") == 0 && a + 1 < argc) cflags = argv[++a];
        else if (strcmp(argv[a], "--quick") == 0) quick = 1;
        else if (strcmp(argv[a], "--times") == 0 && a + 1 < argc) times_path = argv[++a];
        else if (strcmp(argv[a], "--threaded") == 0) threaded_only = use_wall = 1;
        else if (strcmp(argv[a], "--threaded-times") == 0 && a + 1 < argc) threaded_path = argv[++a];
        else if (strcmp(argv[a], "--compare") == 0 && a + 2 < argc) {
            if (n_builds < MAX_BUILDS) { compare_label[n_builds] = argv[a + 1]; compare_path[n_builds++] = argv[a + 2]; }
            a += 2;
        }
        else if (strcmp(argv[a], "--profile") == 0 && a + 5 < argc) return profile_point(argv + a + 1);
        else if (strcmp(argv[a], "--only") == 0 && a + 1 < argc) {
            a++;
            grid = strcmp(argv[a], "grid") == 0;
            minchar = strcmp(argv[a], "minchar") == 0;
            keras = strcmp(argv[a], "keras") == 0;
            if (write == 1) write = 0; /* a part alone does not overwrite docs/perf.md, unless --out */
        } else {
            fprintf(stderr, "usage: %s [--torch TO_PY FROM_PY] [--out FILE] [--quick] [--cflags TEXT]\n"
                            "       [--only grid|minchar|keras] [--compare LABEL TIMES_FILE]...\n"
                            "       %s --times FILE [--quick]   (rnn.h's grid and min-char-rnn alone, times to FILE)\n"
                            "       %s --profile CELL H B T SECONDS   (rnn.h's training alone, for perf)\n", argv[0], argv[0], argv[0]);
            return 2;
        }
    }
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_IGN); /* a dead server is a failed write, not the end of the bench */
#endif
    if (torch_on && py_ask(reply, sizeof reply, "hello")) {
        reply[strcspn(reply, "\n")] = 0;
        snprintf(torch_info, sizeof torch_info, "%s", reply);
    }
    load_start = load_average();
    fprintf(stderr, "bench: measuring the single-core FMA peak...\n");
    peak = peak_gflops();
    fprintf(stderr, "bench: peak %.1f GFLOP/s\n", peak);
    if (times_path) { /* another build's times, rnn.h alone, for the run that reports (--compare) */
        run_grid(quick, t_start);
        if (!threaded_only) run_minchar(quick);
        write_times(times_path);
        if (torch_on) { /* the server's description, for the report */
            FILE *f = fopen(times_path, "a");
            if (f) { fprintf(f, "torch %s\n", torch_info); fclose(f); }
            fprintf(to_py, "quit\n"); fflush(to_py);
        }
        return 0;
    }
    if (grid) run_grid(quick, t_start);
    if (minchar) run_minchar(quick);
    if (keras) run_keras(quick, t_start);

    if (write) {
        md = fopen(out_path, "w");
        if (!md) fprintf(stderr, "bench: cannot write %s; printing only\n", out_path);
    }
    for (a = 0; a < n_builds; a++) read_times(a, compare_label[a], compare_path[a]);
    if (threaded_path) read_threaded(threaded_path);
    report(grid, minchar, keras, quick, peak, cflags);
    out("\nTotal bench time: %.0f s (wall clock).\n", wall() - t_start);
    if (md) { fclose(md); fprintf(stderr, "bench: wrote %s\n", out_path); }
    if (torch_on) { fprintf(to_py, "quit\n"); fflush(to_py); }
    if (to_py) fclose(to_py);
    if (from_py) fclose(from_py);
    return 0;
}
