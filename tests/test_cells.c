/* Tests of the numerics, the cells, BPTT and learning (compiled with
   RNN_REAL double, so gradients can be checked to 1e-6 and better). */
#define RNN_REAL double
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static const char *out_name(rnn_output o)
{
    static const char *n[] = {"default", "softmax+ce", "sigmoid+bce", "linear+mse"};
    return n[o];
}

/* random values in [-s, s] */
static void fill(double *v, size_t n, double s, rnn_rng *r)
{
    size_t i;
    for (i = 0; i < n; i++) v[i] = s * (2 * rnn_rng_uniform(r) - 1);
}

/* A batch of random inputs and targets for model m. */
typedef struct { double x[512], y[512]; int xt[64], yt[64]; rnn_batch b; } data;
static void make_data(data *d, const rnn_model *m, int T, int B, int tokens, rnn_rng *r)
{
    int i, X = m->desc.input_size, Y = m->desc.output_size;
    memset(d, 0, sizeof *d);
    d->b.T = T; d->b.B = B;
    if (tokens) { for (i = 0; i < T * B; i++) d->xt[i] = (int)(rnn_rng_next(r) % X); d->b.x_tokens = d->xt; }
    else { fill(d->x, (size_t)T * B * X, 1, r); d->b.x = d->x; }
    if (m->desc.output == RNN_SOFTMAX) { for (i = 0; i < T * B; i++) d->yt[i] = (int)(rnn_rng_next(r) % Y); d->b.y_tokens = d->yt; }
    else if (m->desc.output == RNN_SIGMOID) { for (i = 0; i < T * B * Y; i++) d->y[i] = (double)(rnn_rng_next(r) % 2); d->b.y = d->y; }
    else { fill(d->y, (size_t)T * B * Y, 1, r); d->b.y = d->y; }
}

/* every parameter random (biases too), and a random initial state */
static void randomise(rnn_model *m, int B, rnn_rng *r)
{
    int l;
    fill(m->params, (size_t)m->n_params, 0.6, r);
    rnn_reserve(m, 1, B);
    for (l = 0; l < m->L; l++) {
        fill(m->layers[l].h, (size_t)B * m->layers[l].H, 0.8, r);
        fill(m->layers[l].c, (size_t)B * m->layers[l].H, 0.8, r);
    }
}

/* The fast product against the reference one, at sizes that reach every
   road through rnn_gemm: K < 4 (plain loop), tb = 1 with M < 8 (dot
   products), M not a multiple of 4 (leftover rows), N not a multiple of 32
   (narrow panel), K > 128 (several panels); strided rows; beta 0, 0.5, 1.
   Entries outside the M x N block of C must not change. Every kernel
   compiled in (>>speed: the build's own, and on x86-64 with GCC or Clang the
   AVX2+FMA and AVX-512 copies) that this CPU can run, each forced in turn. */
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
#define TEST_KERNELS RNN__GEMM_KERNELS
#define TEST_KERNEL_NAME(k) rnn__gemm_names[k]
#else
#define TEST_KERNELS 1
#define TEST_KERNEL_NAME(k) "rnn_gemm"
#endif
static void test_gemm_kernel(const char *kname);
static void test_gemm(void)
{
    int k;
    for (k = 0; k < TEST_KERNELS; k++) {
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
        if (rnn__gemm_force(k) != 0) { printf("# kernel %s not run: this CPU lacks its instructions\n", TEST_KERNEL_NAME(k)); continue; }
#endif
        test_gemm_kernel(TEST_KERNEL_NAME(k));
    }
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
    rnn__gemm_force(-1);
#endif
}
static void test_gemm_kernel(const char *kname)
{
    static const int Ms[] = {1, 3, 9, 37}, Ns[] = {1, 7, 32, 70}, Ks[] = {1, 3, 6, 130, 300};
    rnn_rng r; int ta, tb, beta;
    rnn_rng_seed(&r, 7);
    for (ta = 0; ta < 2; ta++) for (tb = 0; tb < 2; tb++) for (beta = 0; beta < 3; beta++) {
        double worst = 0, outside = 0;
        int mi, ni, ki, cases = 0;
        for (mi = 0; mi < 4; mi++) for (ni = 0; ni < 4; ni++) for (ki = 0; ki < 5; ki++) {
            int M = Ms[mi], N = Ns[ni], K = Ks[ki];
            int lda = ta ? M + 1 : K + 2, ldb = tb ? K + 3 : N + 1, ldc = N + 4, i;
            size_t na = (size_t)(ta ? K : M) * lda, nb = (size_t)(tb ? N : K) * ldb, nc = (size_t)M * ldc;
            double *A = (double *)malloc(sizeof(double) * na), *Bm = (double *)malloc(sizeof(double) * nb);
            double *C1 = (double *)malloc(sizeof(double) * nc), *C2 = (double *)malloc(sizeof(double) * nc);
            fill(A, na, 1, &r); fill(Bm, nb, 1, &r); fill(C1, nc, 1, &r); memcpy(C2, C1, sizeof(double) * nc);
            rnn_gemm(ta, tb, M, N, K, A, lda, Bm, ldb, (double)beta * 0.5, C1, ldc);
            rnn_gemm_ref(ta, tb, M, N, K, A, lda, Bm, ldb, (double)beta * 0.5, C2, ldc);
            for (i = 0; i < (int)nc; i++) {
                double d = fabs(C1[i] - C2[i]) / (1 + fabs(C2[i]));
                if (i % ldc >= N) { if (d > outside) outside = d; }
                else if (d > worst) worst = d;
            }
            cases++;
            free(A); free(Bm); free(C1); free(C2);
        }
        CHECK(worst < 1e-12 && outside == 0,
              "fast gemm (%s) = reference gemm (ta=%d tb=%d beta=%.1f, %d sizes, strided): max relative diff %.2e",
              kname, ta, tb, beta * 0.5, cases, worst);
    }
}

#ifdef _OPENMP
/* The threaded build (-fopenmp): rnn_gemm shares the columns of C among
   threads, never a sum, so 1 and 2 threads must give the same bits as the
   kernel run on the whole product at once, for every kernel this CPU runs,
   on shapes big enough to be shared and reaching each way of the kernel
   (tiles of rows, the transposed recurrent product, dot products at
   B = 1, vector times matrix, the last slice narrower than the others). */
static void test_threads(void)
{
    static const int shapes[][5] = {{0, 1, 32, 512, 128}, {1, 0, 300, 96, 64}, {0, 0, 70, 200, 130},
                                    {0, 1, 1, 1024, 256}, {0, 0, 1, 700, 512}, {1, 1, 40, 50, 600},
                                    {0, 1, 40, 200, 300}}; /* the last: a slice of 8 columns, fewer than M */
    int kern, s;
    rnn_rng r;
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
    static const rnn__gemm_fn whole[TEST_KERNELS] = {
        rnn__gemm_base,
#ifdef RNN__GEMM_DISPATCH
        rnn__gemm_avx2, rnn__gemm_avx512
#endif
    };
#endif
    rnn_rng_seed(&r, 5);
    for (kern = 0; kern < TEST_KERNELS; kern++) {
        int same = 1, used = 0;
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
        if (rnn__gemm_force(kern) != 0) continue; /* said in test_gemm */
#endif
        for (s = 0; s < 7; s++) {
            int ta = shapes[s][0], tb = shapes[s][1], M = shapes[s][2], N = shapes[s][3], K = shapes[s][4];
            size_t na = (size_t)M * K, nb = (size_t)K * N, nc = (size_t)M * N;
            double *A = (double *)malloc(sizeof(double) * na), *Bm = (double *)malloc(sizeof(double) * nb);
            double *C1 = (double *)malloc(sizeof(double) * nc), *C2 = (double *)malloc(sizeof(double) * nc);
            double *C0 = (double *)malloc(sizeof(double) * nc);
            fill(A, na, 1, &r); fill(Bm, nb, 1, &r); fill(C1, nc, 1, &r); memcpy(C2, C1, sizeof(double) * nc);
            memcpy(C0, C1, sizeof(double) * nc);
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
            whole[kern](ta, tb, M, N, N, K, A, ta ? M : K, Bm, tb ? K : N, 1, C0, N); /* not sliced */
#endif
            omp_set_num_threads(1);
            rnn_gemm(ta, tb, M, N, K, A, ta ? M : K, Bm, tb ? K : N, 1, C1, N);
            omp_set_num_threads(2);
            if (omp_get_max_threads() == 2) used++;
            rnn_gemm(ta, tb, M, N, K, A, ta ? M : K, Bm, tb ? K : N, 1, C2, N);
            if (memcmp(C1, C2, sizeof(double) * nc) != 0) same = 0;
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
            if (memcmp(C0, C2, sizeof(double) * nc) != 0) same = 0;
#endif
            free(A); free(Bm); free(C0); free(C1); free(C2);
        }
        CHECK(same && used == 7, "threads: rnn_gemm (%s) with 1 and 2 OpenMP threads gives the bits of the whole product in 7 shapes",
              TEST_KERNEL_NAME(kern));
    }
#if !defined(RNN_REFERENCE) && !defined(RNN_USE_CBLAS)
    rnn__gemm_force(-1);
#endif
}
#endif

/* Every cell of the table, every valid combination of its flags, every
   output, one and two layers: the gradient against centred differences. */
static void test_gradients(void)
{
    static const rnn_output outs[] = {RNN_SOFTMAX, RNN_SIGMOID, RNN_LINEAR};
    size_t o;
    int c, flags, layers;
    rnn_rng r;
    rnn_rng_seed(&r, 42);
    for (c = 1; c < RNN_CELL_COUNT; c++)
        for (flags = 0; flags < 8; flags++) {
            rnn_cell cell = (rnn_cell)c;
            /* the GRU reads RESET_BEFORE and UPDATE_DECK; the simplified GRU UPDATE_KEEP */
            if (cell == RNN_GRU ? flags > 3 : cell == RNN_GRU_SIMPLE ? flags != 0 && flags != RNN_GRU_UPDATE_KEEP : flags != 0)
                continue;
            for (o = 0; o < 3; o++)
                for (layers = 1; layers <= 2; layers++) {
                    rnn_model m; rnn_model_desc d; data dat;
                    double worst_t[RNN_MAX_TENSORS + 2 * RNN_MAX_LAYERS], worst = 1;
                    int k, bad = -1;
                    rnn_status st;
                    memset(&d, 0, sizeof d);
                    d.cell = cell; d.gru_flags = flags; d.output = outs[o]; d.num_layers = layers;
                    d.input_size = 3; d.hidden_size = 4; d.output_size = 3;
                    if (rnn_model_init(&m, &d) != RNN_OK) { CHECK(0, "init"); continue; }
                    randomise(&m, 3, &r);
                    make_data(&dat, &m, 4, 3, 0, &r);
                    st = rnn_grad_check(&m, &dat.b, 1e-5, &worst, worst_t);
                    for (k = 0; k < m.n_tensors + 2 * m.L; k++) if (worst_t[k] == worst) bad = k;
                    CHECK(st == RNN_OK && worst < 1e-6, "gradient check %s%s%s%s, %s, %d layer(s), B=3 T=4: worst relative error %.2e (at %s)",
                          rnn_cell_name(cell), flags & RNN_GRU_RESET_BEFORE ? " reset-before" : "",
                          flags & RNN_GRU_UPDATE_DECK ? " update-deck" : "", flags & RNN_GRU_UPDATE_KEEP ? " update-keep" : "",
                          out_name(outs[o]), layers, worst,
                          bad < 0 ? "-" : bad < m.n_tensors ? m.tensors[bad].name : (bad - m.n_tensors) % 2 ? "c0" : "h0");
                    rnn_model_free(&m);
                }
        }
    /* token input and the loss on the last step only */
    {
        rnn_model m; rnn_model_desc d; data dat; double worst = 1; rnn_status st;
        memset(&d, 0, sizeof d);
        d.cell = RNN_LSTM; d.input_size = 5; d.hidden_size = 4; d.output_size = 5; d.loss_last_only = 1;
        rnn_model_init(&m, &d); randomise(&m, 2, &r);
        make_data(&dat, &m, 5, 2, 1, &r);
        st = rnn_grad_check(&m, &dat.b, 1e-5, &worst, NULL);
        CHECK(st == RNN_OK && worst < 1e-6, "gradient check lstm with token input and loss on the last step only: %.2e", worst);
        rnn_model_free(&m);
    }
}

/* [gru.state] z -> 1 - z with negated update-gate weights: the same model. */
static void test_gru_conventions(void)
{
    int before;
    rnn_rng r;
    rnn_rng_seed(&r, 3);
    for (before = 0; before < 3; before++) { /* 0, 1: GRU after/before; 2: simplified GRU */
        rnn_model a, b; rnn_model_desc d; data dat; double la, lb, diff = 0;
        int l, H = 5, j, i, zrow = before == 2 ? 0 : 1; /* z is gate 1 of r,z,n and gate 0 of z,n */
        size_t n;
        memset(&d, 0, sizeof d);
        /* a: z keeps h<t-1> (D4, PyTorch); b: z weights the candidate (D1, D2) */
        d.cell = before == 2 ? RNN_GRU_SIMPLE : RNN_GRU;
        d.gru_flags = before == 1 ? RNN_GRU_RESET_BEFORE : before == 2 ? RNN_GRU_UPDATE_KEEP : 0;
        d.input_size = 3; d.hidden_size = H; d.output_size = 4; d.num_layers = 2;
        rnn_model_init(&a, &d); randomise(&a, 2, &r);
        d.gru_flags = before == 1 ? RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK : before == 2 ? 0 : RNN_GRU_UPDATE_DECK;
        rnn_model_init(&b, &d);
        memcpy(b.params, a.params, sizeof(double) * a.n_params);
        rnn_reserve(&b, 1, 2);
        for (l = 0; l < 2; l++) {
            rnn_layer *L = &b.layers[l];
            memcpy(L->h, a.layers[l].h, sizeof(double) * 2 * H);
            for (j = zrow * H; j < (zrow + 1) * H; j++) {
                for (i = 0; i < L->X; i++) L->W_ih[j * L->X + i] = -L->W_ih[j * L->X + i];
                for (i = 0; i < H; i++) L->W_hh[j * H + i] = -L->W_hh[j * H + i];
                L->b_ih[j] = -L->b_ih[j]; L->b_hh[j] = -L->b_hh[j];
            }
        }
        make_data(&dat, &a, 6, 2, 0, &r);
        rnn_forward(&a, &dat.b, &la); rnn_forward(&b, &dat.b, &lb);
        for (n = 0; n < (size_t)6 * 2 * 4; n++) if (fabs(a.y[n] - b.y[n]) > diff) diff = fabs(a.y[n] - b.y[n]);
        CHECK(diff < 1e-12 && fabs(la - lb) < 1e-12,
              "%s: the decks' update convention with negated z weights = PyTorch's convention (max output diff %.1e)",
              before == 2 ? "simplified GRU" : before ? "GRU reset-before" : "GRU reset-after", diff);
        rnn_model_free(&a); rnn_model_free(&b);
    }
}

/* runs one batch through the model and returns the loss (grads accumulated) */
static double fwd_bwd(rnn_model *m, const rnn_batch *b)
{
    double loss;
    rnn_forward(m, b, &loss);
    rnn_backward(m);
    return loss;
}

static double max_diff(const double *a, const double *b, size_t n)
{
    double w = 0; size_t i;
    for (i = 0; i < n; i++) if (fabs(a[i] - b[i]) > w) w = fabs(a[i] - b[i]);
    return w;
}

/* [tbptt] */
static void test_tbptt(void)
{
    rnn_model m; rnn_model_desc d; data dat; rnn_rng r;
    rnn_batch c1, c2;
    double *g_full, *g1, *g_tb, *g_tb2, loss_full, l1, l2, h0[8], h_end_full[8];
    int T = 8, B = 2, H = 4, yt2[64], i;
    memset(&d, 0, sizeof d);
    d.cell = RNN_LSTM; d.input_size = 3; d.hidden_size = H; d.output_size = 3;
    rnn_rng_seed(&r, 11);
    rnn_model_init(&m, &d); randomise(&m, B, &r);
    memcpy(h0, m.layers[0].h, sizeof h0);
    make_data(&dat, &m, T, B, 0, &r);
    g_full = (double *)malloc(sizeof(double) * m.n_params); g1 = (double *)malloc(sizeof(double) * m.n_params);
    g_tb = (double *)malloc(sizeof(double) * m.n_params); g_tb2 = (double *)malloc(sizeof(double) * m.n_params);

    /* full BPTT over T steps */
    rnn_zero_grad(&m); loss_full = fwd_bwd(&m, &dat.b);
    memcpy(g_full, m.grads, sizeof(double) * m.n_params);
    memcpy(h_end_full, m.layers[0].h + (size_t)T * B * H, sizeof h_end_full);
    /* one chunk of T: truncated BPTT is full BPTT */
    memcpy(m.layers[0].h, h0, sizeof h0); memset(m.layers[0].c, 0, sizeof(double) * B * H);
    randomise(&m, B, &r); /* restore params and state exactly: re-seed below instead */
    rnn_model_free(&m);
    rnn_rng_seed(&r, 11); rnn_model_init(&m, &d); randomise(&m, B, &r);
    make_data(&dat, &m, T, B, 0, &r);
    rnn_zero_grad(&m); fwd_bwd(&m, &dat.b);
    CHECK(max_diff(m.grads, g_full, m.n_params) == 0, "truncated BPTT with one chunk equals full BPTT exactly");

    /* two chunks of T/2, the state carried across */
    c1 = dat.b; c1.T = T / 2;
    c2 = dat.b; c2.T = T / 2; c2.x = dat.x + (size_t)(T / 2) * B * 3; c2.y_tokens = dat.yt + (T / 2) * B;
    rnn_rng_seed(&r, 11); rnn_model_free(&m); rnn_model_init(&m, &d); randomise(&m, B, &r);
    rnn_zero_grad(&m); l1 = fwd_bwd(&m, &c1);
    memcpy(g1, m.grads, sizeof(double) * m.n_params);
    rnn_carry_state(&m);
    l2 = fwd_bwd(&m, &c2);
    memcpy(g_tb, m.grads, sizeof(double) * m.n_params);
    CHECK(fabs(l1 + l2 - loss_full) < 1e-12, "carried state: chunk losses add up to the full loss (%.12f vs %.12f)", l1 + l2, loss_full);
    CHECK(max_diff(m.layers[0].h + (size_t)(T / 2) * B * H, h_end_full, B * H) < 1e-14,
          "carried state: the last state after two chunks equals the full forward's");
    CHECK(max_diff(g_tb, g_full, m.n_params) > 1e-6, "two chunks differ from full BPTT (gradient stopped at the boundary): %.2e",
          max_diff(g_tb, g_full, m.n_params));
    /* the first chunk's gradient does not depend on the loss of later chunks:
       change the second chunk's targets; the first chunk's part is the same */
    for (i = 0; i < (T / 2) * B; i++) yt2[i] = (dat.yt[(T / 2) * B + i] + 1) % 3;
    rnn_rng_seed(&r, 11); rnn_model_free(&m); rnn_model_init(&m, &d); randomise(&m, B, &r);
    rnn_zero_grad(&m); fwd_bwd(&m, &c1);
    CHECK(max_diff(m.grads, g1, m.n_params) == 0, "first chunk's gradient computed alone is reproducible");
    rnn_carry_state(&m);
    c2.y_tokens = yt2;
    {
        /* the second chunk alone, from the carried state */
        double *g2 = g_tb2;
        memcpy(g2, m.grads, sizeof(double) * m.n_params);
        rnn_zero_grad(&m); fwd_bwd(&m, &c2);
        for (i = 0; i < m.n_params; i++) g2[i] = g1[i] + m.grads[i];
        /* and now chunk 2 accumulated on chunk 1 once more, from scratch */
        rnn_rng_seed(&r, 11); rnn_model_free(&m); rnn_model_init(&m, &d); randomise(&m, B, &r);
        rnn_zero_grad(&m); fwd_bwd(&m, &c1); rnn_carry_state(&m); fwd_bwd(&m, &c2);
        CHECK(max_diff(m.grads, g2, m.n_params) < 1e-14,
              "truncated BPTT: total = first chunk's gradient + second chunk's own (nothing flows back across the boundary)");
    }
    free(g_full); free(g1); free(g_tb); free(g_tb2);
    rnn_model_free(&m);
}

/* [teacher-forcing] */
static void test_teacher_forcing(void)
{
    rnn_model m; rnn_model_desc d; rnn_rng r;
    int T = 6, B = 2, V = 5, first[2] = {1, 3}, gen[12], gen2[12], in[12], t, b, same = 1;
    double o_free[12 * 5], diff;
    rnn_batch bt;
    memset(&d, 0, sizeof d);
    d.cell = RNN_GRU; d.input_size = V; d.hidden_size = 6; d.output_size = V; d.num_layers = 2;
    rnn_model_init(&m, &d); rnn_rng_seed(&r, 5);
    fill(m.params, (size_t)m.n_params, 1.0, &r);
    /* free running, greedy: each output fed back as the next input */
    rnn_reserve(&m, 1, B); rnn_reset_state(&m);
    for (t = 0; t < T; t++) {
        rnn_step(&m, B, NULL, t == 0 ? first : gen + (t - 1) * B);
        for (b = 0; b < B; b++) gen[t * B + b] = rnn_argmax(m.o + b * V, V);
        memcpy(o_free + t * B * V, m.o, sizeof(double) * B * V);
    }
    rnn_reset_state(&m);
    rnn_generate(&m, B, T, first, gen2, 0, &r);
    for (t = 0; t < T * B; t++) if (gen[t] != gen2[t]) same = 0;
    CHECK(same, "rnn_generate at temperature 0 = greedy feedback with rnn_step");
    /* teacher forcing with targets equal to the model's own predictions */
    for (b = 0; b < B; b++) in[b] = first[b];
    for (t = 1; t < T; t++) for (b = 0; b < B; b++) in[t * B + b] = gen[(t - 1) * B + b];
    memset(&bt, 0, sizeof bt);
    bt.T = T; bt.B = B; bt.x_tokens = in; bt.y_tokens = gen;
    rnn_reset_state(&m);
    rnn_forward(&m, &bt, NULL);
    diff = max_diff(m.o, o_free, (size_t)T * B * V);
    /* the same up to rounding: the forward pass computes the input side of
       all steps in one product, rnn_step one step at a time, and the fast
       product may add in another order for another shape (with FMA, say) */
    CHECK(diff < 1e-12, "teacher forcing and free running give the same outputs when the predictions equal the targets (diff %.1e)", diff);
    rnn_model_free(&m);
}

static void test_optimizers(void)
{
    static const rnn_optim_kind kinds[] = {RNN_SGD, RNN_ADAGRAD, RNN_RMSPROP, RNN_ADAM};
    static const char *names[] = {"SGD lr 0.1 momentum 0.9", "Adagrad lr 0.1", "RMSprop lr 0.01", "Adam lr 0.1"};
    static const double lr[] = {0.1, 0.1, 0.01, 0.1};
    /* after two steps with g = (0.5, -1) from p = (1, -2), computed by hand:
       SGD: v1 = g, p1 = p - 0.1 g; v2 = 0.9 g + g = 1.9 g, p2 = p1 - 0.19 g
       Adagrad: p1 = p - 0.1 sign(g); p2 = p1 - 0.1 g / (sqrt(2) |g|)
       RMSprop: s1 = 0.01 g^2, p1 = p - 0.01 g / (0.1 |g|) = p - 0.1 sign(g);
                s2 = 0.0199 g^2, p2 = p1 - 0.01 / sqrt(0.0199) sign(g)
       Adam: m-hat = g and v-hat = g^2 at both steps: p2 = p - 0.2 sign(g) */
    double expect[4][2] = {{1 - 0.05 - 0.095, -2 + 0.1 + 0.19},
                           {1 - 0.1 - 0.1 / 1.4142135623730951, -2 + 0.1 + 0.1 / 1.4142135623730951},
                           {1 - 0.1 - 0.01 / 0.14106735979665885, -2 + 0.1 + 0.01 / 0.14106735979665885},
                           {0.8, -1.8}};
    size_t k;
    for (k = 0; k < 4; k++) {
        rnn_optim o; rnn_optim_desc d; double p[2] = {1, -2}, g[2] = {0.5, -1}, err;
        memset(&d, 0, sizeof d);
        d.kind = kinds[k]; d.lr = lr[k]; d.momentum = 0.9;
        rnn_optim_init(&o, &d, 2);
        rnn_optim_step(&o, p, g); rnn_optim_step(&o, p, g);
        err = fabs(p[0] - expect[k][0]) + fabs(p[1] - expect[k][1]);
        CHECK(err < 1e-7, "%s, two steps: (%.9f, %.9f), by hand (%.9f, %.9f)", names[k], p[0], p[1], expect[k][0], expect[k][1]);
        rnn_optim_free(&o);
    }
}

static void test_clipping(void)
{
    rnn_model m; rnn_model_desc d;
    double g0[6] = {3, 4, 0, 0, 0, 12}, norm;
    memset(&d, 0, sizeof d);
    d.cell = RNN_TANH; d.input_size = 1; d.hidden_size = 1; d.output_size = 1; d.output = RNN_LINEAR;
    rnn_model_init(&m, &d);
    CHECK(m.n_params == 6 && m.n_tensors == 6, "a 1-1-1 tanh model has 6 parameters in 6 tensors");
    memcpy(m.grads, g0, sizeof g0);
    norm = rnn_clip_by_global_norm(&m, 6.5);
    CHECK(norm == 13 && m.grads[0] == 1.5 && m.grads[1] == 2 && m.grads[5] == 6,
          "clip by global norm: ||(3,4,0,0,0,12)|| = 13 clipped to 6.5 halves every entry");
    memcpy(m.grads, g0, sizeof g0);
    norm = rnn_clip_by_global_norm(&m, 20);
    CHECK(norm == 13 && memcmp(m.grads, g0, sizeof g0) == 0, "clip by global norm: a norm under the limit changes nothing");
    memcpy(m.grads, g0, sizeof g0);
    rnn_clip_by_tensor_norm(&m, 2);
    CHECK(m.grads[0] == 2 && m.grads[1] == 2 && m.grads[5] == 2 && m.grads[2] == 0,
          "clip by each tensor's norm: (3), (4), (12) each become 2");
    memcpy(m.grads, g0, sizeof g0);
    rnn_clip_by_value(&m, 3.5);
    CHECK(m.grads[0] == 3 && m.grads[1] == 3.5 && m.grads[5] == 3.5, "clip by value 3.5: (3, 4, 12) -> (3, 3.5, 3.5)");
    rnn_model_free(&m);
}

static void test_initial_loss(void)
{
    rnn_model m; rnn_model_desc d; rnn_batch b; rnn_rng r;
    int T = 25, B = 8, V = 65, x[200], y[200], i;
    double loss, expect = T * log((double)V);
    memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
    d.cell = RNN_LSTM; d.input_size = V; d.hidden_size = 128; d.output_size = V;
    rnn_model_init(&m, &d); rnn_rng_seed(&r, 9);
    for (i = 0; i < T * B; i++) { x[i] = (int)(rnn_rng_next(&r) % V); y[i] = (int)(rnn_rng_next(&r) % V); }
    b.T = T; b.B = B; b.x_tokens = x; b.y_tokens = y;
    rnn_forward(&m, &b, &loss);
    CHECK(fabs(loss - expect) / expect < 0.05, "initial loss of a fresh softmax model %.3f is close to T ln V = %.3f", loss, expect);
    rnn_model_free(&m);
}

static void test_bad_input(void)
{
    rnn_model m; rnn_model_desc d; rnn_batch b; double loss, x[6] = {0, 1, 2, 3, 4, 5};
    int tok[3] = {0, 1, 7}, tgt[3] = {0, 1, 2}, bad_tgt[3] = {0, 9, 1};
    memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
    d.cell = RNN_GRU; d.input_size = 4; d.hidden_size = 3; d.output_size = 4;
    CHECK(rnn_model_init(&m, &d) == RNN_OK, "a valid description initialises");
    b.T = 3; b.B = 1; b.x_tokens = tok; b.y_tokens = tgt;
    CHECK(rnn_forward(&m, &b, &loss) == RNN_ERR_TOKEN, "an input token outside the vocabulary: %s", rnn_status_string(RNN_ERR_TOKEN));
    tok[2] = 3; b.y_tokens = bad_tgt;
    CHECK(rnn_forward(&m, &b, &loss) == RNN_ERR_TOKEN, "a target outside the vocabulary is refused");
    CHECK(rnn_backward(&m) == RNN_ERR_ARG, "backward after a refused forward is refused");
    b.y_tokens = tgt; b.T = 0;
    CHECK(rnn_forward(&m, &b, &loss) == RNN_ERR_ARG, "T = 0 is refused");
    b.T = 3; b.x = x;
    CHECK(rnn_forward(&m, &b, &loss) == RNN_ERR_ARG, "both a dense and a token input is refused");
    b.x_tokens = NULL; x[1] = NAN; b.T = 1; b.B = 1;
    m.desc.input_size = 4;
    {
        double xx[4] = {0, NAN, 0, 0};
        b.x = xx;
        CHECK(rnn_forward(&m, &b, &loss) == RNN_ERR_NAN, "a NaN in the input gives %s", rnn_status_string(RNN_ERR_NAN));
    }
    rnn_model_free(&m);
    d.hidden_size = 0;
    CHECK(rnn_model_init(&m, &d) == RNN_ERR_ARG, "hidden size 0 is refused");
    d.hidden_size = 3; d.num_layers = RNN_MAX_LAYERS + 1;
    CHECK(rnn_model_init(&m, &d) == RNN_ERR_ARG, "more than RNN_MAX_LAYERS layers is refused");
    CHECK(strcmp(rnn_status_string((rnn_status)99), "unknown status") == 0, "an unknown status has a message");
}

/* ---- each deck's GRU, from the deck's own formulas ----------------------
   The recipes rnn.h gives (next to RNN_GRU_RESET_BEFORE): D1's GRU is
   RESET_BEFORE | UPDATE_DECK, D4's RESET_BEFORE alone, the decks'
   simplified GRU RNN_GRU_SIMPLE with flags 0. Here each deck's formulas are
   written out by hand, in the deck's letters, on weights read out of the
   model (W_u = [W_hz | W_iz] and b_u = b_iz + b_hz: the decks have one
   matrix on [c<t-1>, x<t>] and one bias), and the model must agree. */
enum { DECK_D1_GRU, DECK_D4_GRU, DECK_SIMPLE };
static double sig(double a) { return 1 / (1 + exp(-a)); }
/* W [c, x] + b for gate block g of a layer: its rows of W_hh and W_ih, one bias */
static double deck_affine(const rnn_layer *L, int g, int j, const double *c, const double *x)
{
    int H = L->H, X = L->X, k, row = g * H + j;
    double s = L->b_ih[row] + L->b_hh[row];
    for (k = 0; k < H; k++) s += L->W_hh[(size_t)row * H + k] * c[k];
    for (k = 0; k < X; k++) s += L->W_ih[(size_t)row * X + k] * x[k];
    return s;
}
/* one step of the deck's GRU for one sequence: c (H) in, c_new (H) out */
static void deck_gru_step(int deck, const rnn_layer *L, const double *c, const double *x, double *c_new)
{
    double rc[64], u[64], gr[64];
    int H = L->H, j;
    for (j = 0; j < H; j++) {
        if (deck == DECK_SIMPLE) { /* D1 6.3 (l. 104-108): gates u (block 0), c~ (block 1) */
            u[j] = sig(deck_affine(L, 0, j, c, x));                  /* Gamma_u = sigma(W_u [c<t-1>, x<t>] + b_u) */
        } else {                   /* gates r (0), z/u (1), candidate (2) */
            gr[j] = sig(deck_affine(L, 0, j, c, x));                 /* Gamma_r, r_t */
            u[j] = sig(deck_affine(L, 1, j, c, x));                  /* Gamma_u, z_t */
        }
    }
    for (j = 0; j < H; j++) rc[j] = deck == DECK_SIMPLE ? c[j] : gr[j] * c[j]; /* Gamma_r * c<t-1> */
    for (j = 0; j < H; j++) {
        double cand = tanh(deck_affine(L, deck == DECK_SIMPLE ? 1 : 2, j, rc, x)); /* c~ = tanh(W_c [Gamma_r * c, x] + b_c) */
        if (deck == DECK_D4_GRU) c_new[j] = u[j] * c[j] + (1 - u[j]) * cand;    /* D4: h_t = z h_{t-1} + (1 - z) h~_t */
        else c_new[j] = u[j] * cand + (1 - u[j]) * c[j];                         /* D1: c<t> = Gamma_u c~ + (1 - Gamma_u) c<t-1> */
    }
}
static void test_deck_grus(void)
{
    static const char *names[] = {"D1's GRU (6.3, l. 114-120) = RNN_GRU, RESET_BEFORE | UPDATE_DECK",
                                  "D4's GRU (l. 536) = RNN_GRU, RESET_BEFORE",
                                  "the decks' simplified GRU (D1 l. 104-108) = RNN_GRU_SIMPLE, 0"};
    static const int flags[] = {RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK, RNN_GRU_RESET_BEFORE, 0};
    int deck;
    rnn_rng r;
    rnn_rng_seed(&r, 31);
    for (deck = 0; deck < 3; deck++) {
        enum { T = 6, B = 2, X = 3, H = 5 };
        rnn_model m; rnn_model_desc d; rnn_batch b;
        double x[T * B * X], c[B][H], c_new[H], diff = 0, other = 0;
        int t, bi, j;
        memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
        d.cell = deck == DECK_SIMPLE ? RNN_GRU_SIMPLE : RNN_GRU; d.gru_flags = flags[deck];
        d.input_size = X; d.hidden_size = H;
        rnn_model_init(&m, &d); randomise(&m, B, &r);
        fill(x, (size_t)T * B * X, 1.5, &r);
        for (bi = 0; bi < B; bi++) for (j = 0; j < H; j++) c[bi][j] = m.layers[0].h[bi * H + j]; /* c<0> */
        b.T = T; b.B = B; b.x = x;
        rnn_forward(&m, &b, NULL);
        for (t = 0; t < T; t++)
            for (bi = 0; bi < B; bi++) {
                deck_gru_step(deck, &m.layers[0], c[bi], x + ((size_t)t * B + bi) * X, c_new);
                for (j = 0; j < H; j++) {
                    double e = fabs(c_new[j] - m.layers[0].h[((size_t)(t + 1) * B + bi) * H + j]);
                    if (e > diff) diff = e;
                    c[bi][j] = c_new[j];
                }
            }
        CHECK(diff < 1e-12, "%s: the deck's formulas by hand, %d steps, give rnn.h's h (max diff %.1e)", names[deck], T, diff);
        /* and the recipes matter: the same weights with the other update convention */
        m.layers[0].flags = deck == DECK_SIMPLE ? RNN_GRU_UPDATE_KEEP : flags[deck] ^ RNN_GRU_UPDATE_DECK;
        rnn_reserve(&m, T, B);
        for (bi = 0; bi < B; bi++) for (j = 0; j < H; j++) m.layers[0].h[bi * H + j] = c[bi][j]; /* any start */
        {
            double h_deck[B * H];
            for (bi = 0; bi < B; bi++) for (j = 0; j < H; j++) h_deck[bi * H + j] = c[bi][j];
            rnn_forward(&m, &b, NULL);
            for (t = 0; t < T; t++)
                for (bi = 0; bi < B; bi++) {
                    deck_gru_step(deck, &m.layers[0], h_deck + bi * H, x + ((size_t)t * B + bi) * X, c_new);
                    for (j = 0; j < H; j++) {
                        double e = fabs(c_new[j] - m.layers[0].h[((size_t)(t + 1) * B + bi) * H + j]);
                        if (e > other) other = e;
                        h_deck[bi * H + j] = c_new[j];
                    }
                }
        }
        CHECK(other > 0.05, "%s: with the other update convention the same weights give another h (max diff %.2f)", names[deck], other);
        rnn_model_free(&m);
    }
}

/* ---- the per-step cell API, by hand ---------------------------------------
   A loop over T steps written with the public functions alone (rnn_gemm for
   the input side, rnn_cell_forward, rnn_cell_backward,
   rnn_cell_weight_grads one step at a time) gives the states and every
   gradient of the model's own loop, which does the weight sums for all steps
   at once. For every cell of the table (and both GRU placements). */
static void test_cell_api(void)
{
    int c, v;
    rnn_rng r;
    rnn_rng_seed(&r, 17);
    for (c = 1; c < RNN_CELL_COUNT; c++)
        for (v = 0; v < 2; v++) {
            enum { T = 5, B = 3, X = 4, H = 6, Y = 2 };
            rnn_cell cell = (rnn_cell)c;
            int G = rnn_cell_gates(cell), W = rnn_cell_cache_width(cell), GH = G * H, t, i;
            rnn_model m; rnn_model_desc d; data dat;
            rnn_layer *L;
            double h[(T + 1) * B * H], cs[(T + 1) * B * H], dh[(T + 1) * B * H], dc[(T + 1) * B * H];
            double gx[T * B * 4 * H], dgx[B * 4 * H], dgh[B * 4 * H], cache[T * B * 5 * H];
            double dW_ih[4 * H * X], dW_hh[4 * H * H], db_ih[4 * H], db_hh[4 * H], dp[3 * H], dx[T * B * X];
            double e_h, e_w, e_x;
            rnn_cell_io io;
            if (v && cell != RNN_GRU) continue; /* the GRU once more, with the reset gate before the product */
            memset(&d, 0, sizeof d);
            d.cell = cell; d.gru_flags = v ? RNN_GRU_RESET_BEFORE : 0; d.input_size = X; d.hidden_size = H;
            d.output_size = Y; d.output = RNN_LINEAR;
            rnn_model_init(&m, &d); randomise(&m, B, &r);
            make_data(&dat, &m, T, B, 0, &r);
            L = &m.layers[0];
            memcpy(h, L->h, sizeof(double) * B * H); memcpy(cs, L->c, sizeof(double) * B * H);
            rnn_zero_grad(&m);
            rnn_forward(&m, &dat.b, NULL); rnn_backward(&m);
            /* forward by hand */
            memset(&io, 0, sizeof io);
            io.cell = cell; io.flags = L->flags; io.B = B; io.H = H; io.W_hh = L->W_hh; io.b_hh = L->b_hh; io.p = L->p;
            for (t = 0; t < T; t++) {
                double *g = gx + (size_t)t * B * GH;
                rnn_gemm(0, 1, B, GH, X, dat.x + (size_t)t * B * X, X, L->W_ih, X, 0, g, GH); /* gx = x W_ih^T */
                for (i = 0; i < B * GH; i++) g[i] += L->b_ih[i % GH];                        /*      + b_ih */
                io.gx = g; io.h_prev = h + t * B * H; io.c_prev = cs + t * B * H;
                io.h = h + (t + 1) * B * H; io.c = cs + (t + 1) * B * H; io.cache = cache + (size_t)t * B * W * H;
                rnn_cell_forward(&io);
            }
            e_h = max_diff(h, L->h, (size_t)(T + 1) * B * H);
            /* backward by hand: dL/dh from the head (d_o W_hy), then the steps from the last */
            memset(dh, 0, sizeof dh); memset(dc, 0, sizeof dc); memset(dW_ih, 0, sizeof dW_ih); memset(dW_hh, 0, sizeof dW_hh);
            memset(db_ih, 0, sizeof db_ih); memset(db_hh, 0, sizeof db_hh); memset(dp, 0, sizeof dp); memset(dx, 0, sizeof dx);
            rnn_gemm(0, 0, T * B, H, Y, m.d_o, Y, m.W_hy, H, 0, dh + B * H, H);
            io.dgx = dgx; io.dgh = dgh; io.dp = L->p ? dp : NULL;
            for (t = T - 1; t >= 0; t--) {
                const double *xt = dat.x + (size_t)t * B * X;
                io.gx = gx + (size_t)t * B * GH; io.h_prev = h + t * B * H; io.c_prev = cs + t * B * H;
                io.h = h + (t + 1) * B * H; io.c = cs + (t + 1) * B * H; io.cache = cache + (size_t)t * B * W * H;
                io.dh = dh + (t + 1) * B * H; io.dc = dc + (t + 1) * B * H;
                io.dh_prev = dh + t * B * H; io.dc_prev = dc + t * B * H;
                rnn_cell_backward(&io);
                rnn_cell_weight_grads(&io, dW_hh, db_hh);                               /* [bptt.dW], [bptt.db] */
                rnn_gemm(1, 0, GH, X, B, dgx, GH, xt, X, 1, dW_ih, X);                  /* [bptt.dU] */
                for (i = 0; i < B * GH; i++) db_ih[i % GH] += dgx[i];
                rnn_gemm(0, 0, B, X, GH, dgx, GH, L->W_ih, X, 1, dx + (size_t)t * B * X, X);
            }
            e_w = max_diff(dW_hh, L->dW_hh, (size_t)GH * H);
            if (max_diff(db_hh, L->db_hh, GH) > e_w) e_w = max_diff(db_hh, L->db_hh, GH);
            if (max_diff(dW_ih, L->dW_ih, (size_t)GH * X) > e_w) e_w = max_diff(dW_ih, L->dW_ih, (size_t)GH * X);
            if (max_diff(db_ih, L->db_ih, GH) > e_w) e_w = max_diff(db_ih, L->db_ih, GH);
            if (L->p && max_diff(dp, L->dp, 3 * H) > e_w) e_w = max_diff(dp, L->dp, 3 * H);
            e_x = max_diff(dx, m.dx, (size_t)T * B * X);
            if (max_diff(dh, L->dh, B * H) > e_x) e_x = max_diff(dh, L->dh, B * H);
            CHECK(e_h < 1e-13 && e_w < 1e-12 && e_x < 1e-12,
                  "%s%s by hand with the public per-step functions = the model's loop: states %.1e, weight gradients %.1e, dL/dx and dL/dh<0> %.1e",
                  rnn_cell_name(cell), v ? " (reset before)" : "", e_h, e_w, e_x);
            rnn_model_free(&m);
        }
}

/* the table of cells: names both ways, sizes, and what is out of range */
static void test_cell_table(void)
{
    int c, round = 1;
    for (c = 1; c < RNN_CELL_COUNT; c++)
        if (rnn_cell_from_name(rnn_cell_name((rnn_cell)c)) != (rnn_cell)c) round = 0;
    CHECK(round, "rnn_cell_from_name(rnn_cell_name(c)) = c for the %d cells of the table", RNN_CELL_COUNT - 1);
    CHECK(rnn_cell_from_name("gru") == RNN_GRU && rnn_cell_from_name("GRU") == RNN_CELL_DEFAULT &&
          rnn_cell_from_name(NULL) == RNN_CELL_DEFAULT && rnn_cell_from_name("default") == RNN_CELL_DEFAULT,
          "rnn_cell_from_name: \"gru\" is RNN_GRU; an unknown name, NULL and \"default\" give RNN_CELL_DEFAULT");
    CHECK(!strcmp(rnn_cell_name(RNN_CELL_DEFAULT), "default") && !strcmp(rnn_cell_name((rnn_cell)99), "unknown") &&
          !strcmp(rnn_cell_name((rnn_cell)-1), "unknown"),
          "rnn_cell_name: \"default\" for 0, \"unknown\" out of range");
    CHECK(rnn_cell_gates(RNN_GRU) == 3 && rnn_cell_cache_width(RNN_GRU) == 5 && rnn_cell_has_state(RNN_PEEPHOLE) &&
          !rnn_cell_has_state(RNN_GRU) && rnn_cell_gates(RNN_CELL_DEFAULT) == 4 && rnn_cell_gates((rnn_cell)99) == 0,
          "the table's columns: GRU G 3, cache 5, no cell state; peephole LSTM has one; the default is the LSTM's; 0 out of range");
}

/* [teacher-forcing] the three ways of making the next input */
static void test_next_input(void)
{
    int y[3] = {2, -1, 0}, next[3] = {9, 9, 9}, ok;
    double o[3 * 4] = {0, 1, 5, 2,  3, 0, 0, 0,  0, 0, 0, 7};
    rnn_status st = rnn_next_input(next, RNN_TEACHER_FORCING, y, NULL, 3, 4, 1);
    CHECK(st == RNN_OK && next[0] == 2 && next[1] == 1 && next[2] == 0,
          "rnn_next_input, teacher forcing: the targets (2, -1, 0) become the inputs (2, start 1, 0)");
    st = rnn_next_input(next, RNN_FREE_RUNNING, NULL, o, 3, 4, 1);
    CHECK(st == RNN_OK && next[0] == 2 && next[1] == 0 && next[2] == 3, "rnn_next_input, free running: the argmax of each row (2, 0, 3)");
    st = rnn_next_input(next, RNN_NO_FEEDBACK, NULL, NULL, 3, 4, 1);
    CHECK(st == RNN_OK && next[0] == 1 && next[1] == 1 && next[2] == 1, "rnn_next_input, no feedback: the start token everywhere");
    y[1] = 4;
    ok = rnn_next_input(next, RNN_TEACHER_FORCING, y, NULL, 3, 4, 1) == RNN_ERR_TOKEN && next[0] == 1 &&
         rnn_next_input(next, RNN_FREE_RUNNING, NULL, NULL, 3, 4, 1) == RNN_ERR_ARG &&
         rnn_next_input(next, (rnn_feedback)7, y, o, 3, 4, 1) == RNN_ERR_ARG &&
         rnn_next_input(next, RNN_NO_FEEDBACK, NULL, NULL, 3, 4, 4) == RNN_ERR_TOKEN &&
         rnn_next_input(next, RNN_NO_FEEDBACK, NULL, NULL, 0, 4, 1) == RNN_ERR_ARG;
    CHECK(ok, "rnn_next_input refuses a target or start outside the vocabulary (RNN_ERR_TOKEN, nothing written), "
              "a missing array, an unknown mode and B = 0 (RNN_ERR_ARG)");
}

/* rnn_grad_check reports a failed forward or backward as a status */
static void test_grad_check_status(void)
{
    rnn_model m; rnn_model_desc d; rnn_batch b; double x[4] = {0, 1, 0, 1}, worst = 7;
    memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
    d.cell = RNN_TANH; d.input_size = 2; d.hidden_size = 2; d.output_size = 2;
    rnn_model_init(&m, &d);
    b.T = 2; b.B = 1; b.x = x; /* no targets: nothing to differentiate */
    CHECK(rnn_grad_check(&m, &b, 1e-5, &worst, NULL) == RNN_ERR_ARG && worst == 0,
          "rnn_grad_check on a batch without targets: RNN_ERR_ARG, worst 0");
    b.T = 0;
    CHECK(rnn_grad_check(&m, &b, 1e-5, &worst, NULL) == RNN_ERR_ARG, "rnn_grad_check with T = 0: RNN_ERR_ARG");
    rnn_model_free(&m);
}

int main(void)
{
    test_gemm();
#ifdef _OPENMP
    test_threads();
#endif
    test_gradients();
    test_gru_conventions();
    test_deck_grus();
    test_cell_api();
    test_cell_table();
    test_next_input();
    test_grad_check_status();
    test_tbptt();
    test_teacher_forcing();
    test_optimizers();
    test_clipping();
    test_initial_loss();
    test_bad_input();
    return test_done();
}
