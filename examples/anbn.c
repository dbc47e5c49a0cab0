/* anbn.c - the A^nB^n experiment of deck D0 ("RNN: Problems"): a simple RNN
   trained on short strings a^n b^n fails on longer ones; an LSTM counts.

   The slide: "Train: n hasta 11. Test: n hasta 18. Resultado: Calamitoso,
   20% accuracy ... Veremos un modelo que logra 100% accuracy con n = 1000".
   It comes from Gers & Schmidhuber, "LSTM recurrent networks learn simple
   context-free and context-sensitive languages", IEEE TNN 12(6), 2001, and
   this program repeats their protocol with every cell of rnn.h:

     the stream    S a^n b^n, one symbol per step, one-hot (S, a, b);
     the targets   at every step, the set of legal next symbols, one sigmoid
                   output per symbol (a, b, T) and binary cross-entropy:
                   after S {a}; after an a {a, b}; after the k-th b {b} if
                   k < n, else {T} (the end of the string);
     accepted      a string is accepted only if at every step every output,
                   thresholded at 0.5, equals its target: one wrong bit
                   rejects it. "Learned up to N": every n <= N is accepted.

   For each cell (simple RNN, simplified GRU, GRU, LSTM, peephole LSTM) and
   each seed it trains on n = 1..11 (one random string per update, Adam),
   then tests every n up to 1000 and prints the table the slide implies:
   the share of runs that fit the training range, the share of the deck's
   test strings n = 12..18 accepted, and the largest N learned (median and
   best over the seeds, and every seed). It draws two pictures:
     docs/images/anbn_accept.png  accepted/rejected for every n, run by run;
     docs/images/anbn_state.png   the cell state of the best LSTM over a long
                                  string: a counter that goes one way on the
                                  a's and back on the b's.
   docs/guide/anbn.md shows the results and explains them.

   What it shows, measured (docs/guide/anbn.md has the table): the simple
   RNN fails the deck's test in every run; the GRUs stop just past the
   training range; the LSTM passes n = 12..18 and reaches tens to a hundred
   or so; the peephole LSTM's best runs are right for every n up to 1000.

   Build and run (about 30 s on one core; --help lists the options):
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/anbn.c -o build/anbn -lm
       ./build/anbn
   The pictures are written with stb_image_write (Debian: libstb-dev). */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>
#include "lab.h"   /* options, pictures, PNG files: what every lab needs */

/* ---- the task ------------------------------------------------------------ */

enum { SYM_S, SYM_A, SYM_B, N_SYM };  /* the inputs: T ends a string and is never read */
enum { OUT_A, OUT_B, OUT_T, N_OUT };  /* the outputs: may the next symbol be a, b, T?  */

/* the input at step t of S a^n b^n (2n+1 steps: t = 0 reads S) */
static int symbol_at(int n, int t) { return t == 0 ? SYM_S : t <= n ? SYM_A : SYM_B; }

/* the target at step t: the set of symbols that may come next */
static void target_at(int n, int t, rnn_real *y)
{
    y[OUT_A] = (rnn_real)(t <= n);          /* after S or an a, another a may come */
    y[OUT_B] = (rnn_real)(t >= 1 && t < 2 * n); /* after an a, or the k-th b with k < n */
    y[OUT_T] = (rnn_real)(t == 2 * n);      /* after the n-th b, only the end */
}

/* Is string n accepted? y holds the model's outputs for T >= 2n+1 steps of
   B strings, (T, B, N_OUT); the string is row r. Every output of every step,
   thresholded at 0.5, must equal the target. */
static int accepted(const rnn_real *y, int B, int r, int n)
{
    rnn_real want[N_OUT];
    int t, k;
    for (t = 0; t <= 2 * n; t++) {
        const rnn_real *yt = y + ((size_t)t * B + r) * N_OUT;
        target_at(n, t, want);
        for (k = 0; k < N_OUT; k++)
            if ((yt[k] > (rnn_real)0.5) != (want[k] > (rnn_real)0.5)) return 0;
    }
    return 1;
}

/* Tests every n = 1..n_max: ok[n] = 1 if string n is accepted. Strings of
   neighbouring n share one forward pass as the rows of a batch; each row
   is read only up to its own end, and what follows it (padding with b) can
   change nothing before it. No targets: rnn_forward only computes y.
   The work is done by copies of the trained model: a model keeps buffers
   for the largest T and the largest B it has seen (T_cap x B_cap rows), so
   one copy takes batches of 16 strings up to n = 1024 and another takes
   the longer strings one at a time. */
static rnn_status test_strings(const rnn_model *trained, int n_max, unsigned char *ok)
{
    enum { GROUP = 16, GROUP_MAX_N = 1024 };
    rnn_model m[2];
    int n0, r, t, k;
    rnn_status st = RNN_OK;
    int *x = (int *)malloc(sizeof(int) * (size_t)(2 * n_max + 1) * GROUP);
    if (!x) return RNN_ERR_NOMEM;
    for (k = 0; k < 2; k++) {
        if ((st = rnn_model_init(&m[k], &trained->desc)) != RNN_OK) { free(x); if (k) rnn_model_free(&m[0]); return st; }
        memcpy(m[k].params, trained->params, sizeof(rnn_real) * (size_t)trained->n_params);
    }
    for (n0 = 1; n0 <= n_max && st == RNN_OK; ) {
        int group = n0 <= GROUP_MAX_N, B = group ? GROUP : 1, T;
        rnn_model *e = &m[!group];
        rnn_batch b = {0};
        if (n0 + B - 1 > n_max) B = n_max - n0 + 1;
        T = 2 * (n0 + B - 1) + 1;
        for (t = 0; t < T; t++)
            for (r = 0; r < B; r++) x[t * B + r] = symbol_at(n0 + r, t);
        b.T = T; b.B = B; b.x_tokens = x;
        if ((st = rnn_reserve(e, T, B)) != RNN_OK) break;
        rnn_reset_state(e);                  /* h<0> = c<0> = 0 for every string */
        if ((st = rnn_forward(e, &b, NULL)) != RNN_OK) break;
        for (r = 0; r < B; r++) ok[n0 + r] = (unsigned char)accepted(e->y, B, r, n0 + r);
        n0 += B;
    }
    rnn_model_free(&m[0]); rnn_model_free(&m[1]);
    free(x);
    return st;
}

/* ---- the cells and the options ------------------------------------------ */

typedef struct cell_kind { const char *name, *label, *short_label; rnn_cell cell; } cell_kind;
static const cell_kind kinds[] = {
    {"tanh", "simple RNN", "simple rnn", RNN_TANH},
    {"relu", "ReLU RNN", "relu rnn", RNN_RELU},
    {"gru_simple", "simplified GRU", "simpl. gru", RNN_GRU_SIMPLE},
    {"gru", "GRU", "gru", RNN_GRU},
    {"lstm", "LSTM", "lstm", RNN_LSTM},
    {"peephole", "peephole LSTM", "peephole", RNN_PEEPHOLE},
};
#define N_KINDS ((int)(sizeof kinds / sizeof kinds[0]))
#define MAX_CELLS 16

typedef struct config {
    char cells[128];        /* comma-separated names of kinds[]              */
    int seeds, seed;        /* seeds seed, seed+1, ... per cell              */
    int train_max, paper;   /* train on n = 1..train_max                     */
    int test_max;           /* test every n = 1..test_max                    */
    int hidden, steps;      /* hidden size H; updates (one string each)      */
    double lr, clip, forget_bias;
    int stop_at_fit;        /* stop a run when it fits the training set      */
    int full, quiet, no_images, state_n;
    char images[256];       /* where the pictures go                         */
} config;

/* One table drives both the parser and --help (lab.h). */
#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--cells", "LIST", LAB_TEXT, OFF(cells), 0, 128,
     "cells to compare, comma-separated: tanh relu gru_simple gru lstm peephole", 0},
    {"--seeds", "N", LAB_INT, OFF(seeds), 1, 1000, "runs per cell, one per seed", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the first seed (weights and string order)", 0},
    {"--train-max", "N", LAB_INT, OFF(train_max), 1, 100, "train on n = 1..N (the deck's range)", 0},
    {"--paper", NULL, LAB_FLAG, OFF(paper), 0, 1, "train on n = 1..10, as Gers & Schmidhuber 2001", 0},
    {"--test-max", "N", LAB_INT, OFF(test_max), 18, 100000, "test every n = 1..N", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 64, "hidden units (LSTM: memory cells)", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 1, 1e8, "updates per run, one random training string each", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e6, "clip the gradient's global norm to X", 0},
    {"--forget-bias", "X", LAB_REAL, OFF(forget_bias), -20, 20, "initial forget-gate bias of the LSTMs", 0},
    {"--stop-at-fit", NULL, LAB_FLAG, OFF(stop_at_fit), 0, 1,
     "stop a run as soon as it fits the training set (checked every 100 updates)", 0},
    {"--full", NULL, LAB_FLAG, OFF(full), 0, 1, "30 seeds per cell (about three times as long)", 0},
    {"--state-n", "N", LAB_INT, OFF(state_n), 1, 100000, "n of the string in the cell-state picture", 0},
    {"--images", "DIR", LAB_TEXT, OFF(images), 0, 256, "where to write anbn_accept.png and anbn_state.png", 0},
    {"--no-images", NULL, LAB_FLAG, OFF(no_images), 0, 1, "draw no pictures", 0},
    {"--quiet", NULL, LAB_FLAG, OFF(quiet), 0, 1, "print only the table, not a line per run", 0},
    {"--help", NULL, LAB_FLAG, 0, 0, 0, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

static const char intro[] =
    "usage: anbn [options]\n"
    "Trains each cell on S a^n b^n for n = 1..11 and tests every n up to 1000\n"
    "(deck D0, Gers & Schmidhuber 2001). Options (default in brackets):\n";

static int option_seen(const char *name) { return lab_option_seen(options, N_OPTIONS, name); }

/* "tanh,lstm" -> indices into kinds[]; returns the count, or -1 (said why) */
static int parse_cells(const char *list, int *out)
{
    char buf[128], *tok;
    int n = 0, k;
    strcpy(buf, list);
    for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        for (k = 0; k < N_KINDS && strcmp(kinds[k].name, tok); k++) {}
        if (k == N_KINDS) {
            fprintf(stderr, "anbn: unknown cell '%s' in --cells; the cells are", tok);
            for (k = 0; k < N_KINDS; k++) fprintf(stderr, " %s", kinds[k].name);
            fprintf(stderr, "\n");
            return -1;
        }
        if (n == MAX_CELLS) { fprintf(stderr, "anbn: at most %d cells in --cells\n", MAX_CELLS); return -1; }
        out[n++] = k;
    }
    if (n == 0) { fprintf(stderr, "anbn: --cells names no cell\n"); return -1; }
    return n;
}

/* ---- one run: train one cell from one seed, then test it ----------------- */

typedef struct run_result {
    int fit;                /* every training string is accepted at the end  */
    int test_ok;            /* strings accepted among n = 12..18             */
    int N;                  /* largest N with every n <= N accepted          */
    int steps;              /* updates done                                  */
    int diverged;           /* the loss became NaN or infinite: training stopped */
    double loss;            /* mean loss per step, last 1000 updates         */
    double train_seconds, seconds; /* training; training and testing */
    unsigned char *ok;      /* ok[n], n = 1..test_max                        */
    rnn_real *params;       /* the trained weights (kept for the picture)    */
} run_result;

static rnn_model_desc model_desc(const config *c, rnn_cell cell, uint64_t seed)
{
    rnn_model_desc d;
    memset(&d, 0, sizeof d);
    d.cell = cell;
    d.input_size = N_SYM;       /* one-hot S, a, b ([onehot]: read as tokens) */
    d.hidden_size = c->hidden;
    d.output_size = N_OUT;
    d.output = RNN_SIGMOID;     /* one sigmoid per symbol, binary cross-entropy */
    d.seed = seed;
    return d;
}

static rnn_status train_and_test(const config *c, rnn_cell cell, uint64_t seed, run_result *res)
{
    rnn_model m;
    rnn_model_desc d = model_desc(c, cell, seed);
    rnn_optim opt;
    rnn_optim_desc od;
    rnn_rng rng;
    rnn_status st;
    int Tmax = 2 * c->train_max + 1, step, t, n, recent = 0;
    int *x = (int *)malloc(sizeof(int) * (size_t)Tmax);
    rnn_real *y = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)Tmax * N_OUT), loss;
    double loss_sum = 0;
    clock_t t0 = clock();

    memset(&od, 0, sizeof od);
    if (!x || !y) { free(x); free(y); return RNN_ERR_NOMEM; }
    if ((st = rnn_model_init(&m, &d)) != RNN_OK) { free(x); free(y); return st; }
    if (cell == RNN_LSTM || cell == RNN_PEEPHOLE) rnn_model_set_forget_bias(&m, (rnn_real)c->forget_bias);
    od.kind = RNN_ADAM;
    od.lr = (rnn_real)c->lr;
    if ((st = rnn_optim_init(&opt, &od, m.n_params)) != RNN_OK) goto done;
    rnn_rng_seed(&rng, seed ^ 0x616e626eu);       /* the order of the strings */

    for (step = 1; step <= c->steps; step++) {
        rnn_batch b = {0};
        /* one training string, n uniform in 1..train_max (online learning:
           there is only one string of each length, so a batch of one) */
        n = 1 + (int)(rnn_rng_uniform(&rng) * c->train_max);
        for (t = 0; t <= 2 * n; t++) { x[t] = symbol_at(n, t); target_at(n, t, y + t * N_OUT); }
        b.T = 2 * n + 1; b.B = 1; b.x_tokens = x; b.y = y;
        rnn_reset_state(&m);                      /* h<0> = c<0> = 0 */
        rnn_zero_grad(&m);
        if ((st = rnn_forward(&m, &b, &loss)) != RNN_OK) {        /* [loss.sum] over the 2n+1 steps */
            if (st == RNN_ERR_NAN) { res->diverged = 1; st = RNN_OK; } /* a failed run, not an error */
            break;
        }
        rnn_backward(&m);                         /* [bptt.*] through the whole string */
        rnn_clip_by_global_norm(&m, (rnn_real)c->clip);
        rnn_optim_step(&opt, m.params, m.grads);
        if (step > c->steps - 1000) { loss_sum += (double)loss / b.T; recent++; }
        if (c->stop_at_fit && step % 100 == 0) { /* does it accept every training string? */
            if ((st = test_strings(&m, c->train_max, res->ok)) != RNN_OK) break;
            for (n = 1; n <= c->train_max && res->ok[n]; n++) {}
            if (n > c->train_max) { loss_sum = (double)loss / b.T; recent = 1; break; }
        }
    }
    res->steps = step > c->steps ? c->steps : step;
    res->train_seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    res->loss = recent ? loss_sum / recent : 0;
    if (st == RNN_OK) st = test_strings(&m, c->test_max, res->ok);
    if (st == RNN_OK) {
        res->N = 0;
        while (res->N < c->test_max && res->ok[res->N + 1]) res->N++;
        res->fit = res->N >= c->train_max;
        res->test_ok = 0;
        for (n = 12; n <= 18; n++) res->test_ok += res->ok[n];
        res->params = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)m.n_params);
        if (res->params) memcpy(res->params, m.params, sizeof(rnn_real) * (size_t)m.n_params);
        else st = RNN_ERR_NOMEM;
    }
    rnn_optim_free(&opt);
done:
    rnn_model_free(&m);
    free(x); free(y);
    res->seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    return st;
}

/* ---- pictures (the canvas and the font are in lab.h) ---------------------- */

static const lab_rgb WHITE = {255, 255, 255}, BLACK = {30, 30, 30}, GREY = {150, 150, 150},
                     LIGHT = {225, 225, 225}, GREEN = {40, 150, 60}, RED = {235, 150, 140},
                     A_BACK = {226, 236, 250}, B_BACK = {252, 236, 218};

/* a coordinate, kept inside [lo, hi] (a NaN goes to lo) */
static int clamp_px(double v, int lo, int hi) { return !(v >= lo) ? lo : v > hi ? hi : (int)v; }

/* anbn_accept.png: one row per run, runs grouped by cell; one column per
   pixel of a log axis of n from 1 to test_max; green where every n that
   falls in the column was accepted, red where none was, a mix between. */
static int draw_accept(const config *c, const int *cells, int n_cells, run_result *const *res)
{
    const int L = 96, W = 800, top = 44, rowh = 6, gap = 12;
    int runs_h = n_cells * (c->seeds * rowh) + (n_cells - 1) * gap;
    lab_image im;
    int x, i, s, k, ok, xt;
    double lmax = log((double)c->test_max + 1);
    static const int ticks[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000};
    char label[64];
#define XN(n) (L + (int)floor(W * log((double)(n)) / lmax)) /* left edge of n */
    im.w = L + W + 16; im.h = top + runs_h + 56;
    im.p = (unsigned char *)malloc((size_t)im.w * im.h * 3);
    if (!im.p) return 0;
    lab_rect(&im, 0, 0, im.w, im.h, WHITE);
    /* the ranges of the slide above the runs */
    lab_rect(&im, XN(1), 8, XN(c->train_max + 1), 22, LIGHT);
    snprintf(label, sizeof label, "train 1-%d", c->train_max);
    lab_text(&im, XN(1) + 4, 11, label, BLACK, 1);
    lab_rect(&im, XN(12), 26, XN(19), 40, LIGHT);
    lab_text(&im, XN(19) + 4, 29, "deck test 12-18", BLACK, 1);
    for (i = 0; i < n_cells; i++) {
        int y0 = top + i * (c->seeds * rowh + gap);
        lab_text(&im, 4, y0 + (c->seeds * rowh) / 2 - 5, kinds[cells[i]].short_label, BLACK, 1);
        for (s = 0; s < c->seeds; s++) {
            const unsigned char *okn = res[i][s].ok;
            int n = 1;
            for (x = 0; x < W; x++) { /* the n with XN(n) == L + x */
                int total = 0, good = 0;
                while (n <= c->test_max && XN(n) <= L + x) { total++; good += okn[n]; n++; }
                if (total == 0) { /* a wide column of small n: the n to its left */
                    int m = n - 1;
                    total = 1; good = okn[m];
                }
                lab_rect(&im, L + x, y0 + s * rowh, L + x + 1, y0 + (s + 1) * rowh - 1,
                     lab_mix(RED, GREEN, (double)good / total));
            }
        }
    }
    /* the axis */
    k = top + runs_h + 6;
    lab_rect(&im, L, k, L + W, k + 1, BLACK);
    for (i = 0; i < (int)(sizeof ticks / sizeof ticks[0]) && ticks[i] <= c->test_max; i++) {
        x = XN(ticks[i]);
        lab_rect(&im, x, k, x + 1, k + 6, BLACK);
        snprintf(label, sizeof label, "%d", ticks[i]);
        lab_text(&im, x - lab_text_width(label, 1) / 2, k + 10, label, BLACK, 1);
    }
    lab_text(&im, L + W - lab_text_width("n", 1), k + 24, "n", BLACK, 1);
    xt = lab_text(&im, L, k + 36, "green: accepted   ", GREEN, 1);
    xt = lab_text(&im, xt, k + 36, "red: rejected   ", lab_mix(RED, BLACK, 0.3), 1);
    snprintf(label, sizeof label, "one row per seed (%d per cell)", c->seeds);
    lab_text(&im, xt, k + 36, label, BLACK, 1);
#undef XN
    ok = !lab_save_png(&im, c->images, "anbn_accept.png");
    free(im.p);
    return ok;
}

/* anbn_state.png: the cell state c<t> of every unit along one long string,
   a-steps on blue, b-steps on orange; below, a strip that is green where
   every output was right and red where one was wrong. */
static int draw_state(const config *c, const rnn_model *m, int n, const char *title)
{
    static const lab_rgb colours[] = {{200, 40, 40}, {40, 90, 200}, {20, 150, 60}, {150, 60, 170},
                                  {230, 130, 0}, {0, 150, 160}, {120, 90, 40}, {90, 90, 90}};
    const rnn_layer *Ly = &m->layers[0];
    int H = Ly->H, T = 2 * n + 1, L = 70, W = 820, top = 34, ph = 260, t, j, x, ok;
    double lo = 0, hi = 0;
    lab_image im;
    char label[96];
    rnn_real want[N_OUT];
#define XT(t) (L + (int)((double)(t) * (W - 1) / (T - 1)))
#define YC(v) clamp_px(top + (hi - (v)) * (ph - 1) / (hi - lo), top, top + ph - 1)
    for (t = 1; t <= T; t++)
        for (j = 0; j < H; j++) {
            double v = (double)Ly->c[(size_t)t * H + j];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
    if (hi - lo < 1e-6) hi = lo + 1;
    im.w = L + W + 20; im.h = top + ph + 70;
    im.p = (unsigned char *)malloc((size_t)im.w * im.h * 3);
    if (!im.p) return 0;
    lab_rect(&im, 0, 0, im.w, im.h, WHITE);
    lab_text(&im, L, 8, title, BLACK, 1);
    /* the point at XT(t) is the state after step t, the segment that ends
       there is step t: steps 1..n read the a's, n+1..2n the b's */
    lab_rect(&im, XT(0), top, XT(n), top + ph, A_BACK);
    lab_rect(&im, XT(n), top, XT(2 * n) + 2, top + ph, B_BACK);
    lab_rect(&im, L, YC(0.0), L + W, YC(0.0) + 1, GREY);            /* c = 0 */
    snprintf(label, sizeof label, "%.0f", hi);
    lab_text(&im, L - 6 - lab_text_width(label, 1), top, label, BLACK, 1);
    snprintf(label, sizeof label, "%.0f", lo);
    lab_text(&im, L - 6 - lab_text_width(label, 1), top + ph - 10, label, BLACK, 1);
    lab_text(&im, L - 6 - lab_text_width("0", 1), YC(0.0) - 5, "0", BLACK, 1);
    lab_text(&im, 4, top + ph / 2 - 5, "c", BLACK, 1);
    for (j = 0; j < H; j++)
        for (t = 2; t <= T; t++) /* c after step t-1, row t of the state */
            lab_line(&im, XT(t - 2), YC((double)Ly->c[(size_t)(t - 1) * H + j]),
                 XT(t - 1), YC((double)Ly->c[(size_t)t * H + j]), colours[j % 8], 2, 0);
    /* right or wrong at every step */
    for (t = 0; t < T; t++) {
        int good = 1, k;
        target_at(n, t, want);
        for (k = 0; k < N_OUT; k++)
            if ((m->y[(size_t)t * N_OUT + k] > (rnn_real)0.5) != (want[k] > (rnn_real)0.5)) good = 0;
        lab_rect(&im, XT(t), top + ph + 6, t + 1 < T ? XT(t + 1) : XT(t) + 2, top + ph + 14, good ? GREEN : RED);
    }
    lab_text(&im, 4, top + ph + 6, "right", BLACK, 1);
    snprintf(label, sizeof label, "step t = 0 .. %d:  S  then %d a (blue)  then %d b (orange)", 2 * n, n, n);
    lab_text(&im, L, top + ph + 24, label, BLACK, 1);
    x = lab_text(&im, L, top + ph + 42, "units: ", BLACK, 1);
    for (j = 0; j < H; j++) {
        snprintf(label, sizeof label, "c%d  ", j + 1);
        x = lab_text(&im, x, top + ph + 42, label, colours[j % 8], 1);
    }
#undef XT
#undef YC
    ok = !lab_save_png(&im, c->images, "anbn_state.png");
    free(im.p);
    return ok;
}

/* ---- the table ------------------------------------------------------------ */

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static double median(const run_result *r, int count)
{
    int *v = (int *)malloc(sizeof(int) * (size_t)count), i;
    double med;
    if (!v) return 0;
    for (i = 0; i < count; i++) v[i] = r[i].N;
    qsort(v, (size_t)count, sizeof(int), cmp_int);
    med = count % 2 ? v[count / 2] : 0.5 * (v[count / 2 - 1] + v[count / 2]);
    free(v);
    return med;
}

static void print_table(const config *c, const int *cells, int n_cells, run_result *const *res)
{
    int i, s;
    char head[32], top[32];
    printf("\n%-15s %-11s %-23s %s\n", "", "training", "the deck's test",
           "largest N: every n <= N accepted");
    snprintf(head, sizeof head, "fit 1..%d", c->train_max);
    snprintf(top, sizeof top, "N=%d", c->test_max);
    printf("%-15s %-11s %-10s %-12s %6s %6s %9s  %s\n", "cell", head, "all 12..18", "strings",
           "median", "best", top, "every seed");
    for (i = 0; i < n_cells; i++) {
        const run_result *r = res[i];
        int fit = 0, all = 0, strings = 0, best = 0, full = 0;
        char a[16], b[16], d[24];
        for (s = 0; s < c->seeds; s++) {
            fit += r[s].fit; all += r[s].test_ok == 7; strings += r[s].test_ok;
            if (r[s].N > best) best = r[s].N;
            full += r[s].N >= c->test_max;
        }
        snprintf(a, sizeof a, "%d/%d", fit, c->seeds);
        snprintf(b, sizeof b, "%d/%d", all, c->seeds);
        snprintf(d, sizeof d, "%d%%", (int)floor(100.0 * strings / (7 * c->seeds) + 0.5));
        printf("%-15s %-11s %-10s %-12s %6g %6d %5d/%-3d  ", kinds[cells[i]].label, a, b, d,
               median(r, c->seeds), best, full, c->seeds);
        for (s = 0; s < c->seeds; s++) printf(" %d", r[s].N);
        printf("\n");
    }
    printf("(fit: runs that accept every training string; all 12..18: runs that accept every\n"
           " n = 12..18; strings: the share of those %d strings accepted over all runs;\n"
           " N: tested for every n up to %d, so N = %d means no n up to there was rejected)\n",
           7 * c->seeds, c->test_max, c->test_max);
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    config c, defaults;
    int cells[MAX_CELLS], n_cells, i, s, pr, status = 0, best_i = -1, best_s = -1;
    run_result *res[MAX_CELLS];
    time_t wall0 = time(NULL);
    clock_t cpu0 = clock();

    memset(&c, 0, sizeof c);
    strcpy(c.cells, "tanh,gru_simple,gru,lstm,peephole");
    c.seeds = 10; c.seed = 1; c.train_max = 11; c.test_max = 1000;
    c.hidden = 3; c.steps = 100000; c.lr = 0.01; c.clip = 1; c.forget_bias = 1;
    c.state_n = 500;
    strcpy(c.images, "docs/images");
    defaults = c;
    pr = lab_parse_options("anbn", options, N_OPTIONS, &c, argc, argv, NULL);
    if (pr == LAB_OPTIONS_HELP) { lab_usage(stdout, intro, options, N_OPTIONS, &defaults); return 0; }
    if (pr) return 2;
    if (c.paper) {
        if (option_seen("--train-max") && c.train_max != 10) {
            fprintf(stderr, "anbn: --paper trains on n = 1..10, but --train-max says %d\n", c.train_max);
            return 2;
        }
        c.train_max = 10;
    }
    if (c.full && !option_seen("--seeds")) c.seeds = 30;
    if (c.test_max < c.train_max) {
        fprintf(stderr, "anbn: --test-max (%d) must be at least --train-max (%d)\n", c.test_max, c.train_max);
        return 2;
    }
    if ((n_cells = parse_cells(c.cells, cells)) < 0) return 2;

    printf("A^nB^n (deck D0; Gers & Schmidhuber 2001): strings S a^n b^n, one symbol per step.\n"
           "At every step the network predicts the set of legal next symbols (a, b, T), one\n"
           "sigmoid each; a string is accepted only if every output at every step is right.\n");
    printf("train: n = 1..%d, %d updates of one random string, Adam lr %g, clip %g, hidden %d%s\n"
           "test:  every n = 1..%d; seeds %d..%d for each cell\n\n",
           c.train_max, c.steps, c.lr, c.clip, c.hidden, c.stop_at_fit ? ", stop when fit" : "",
           c.test_max, c.seed, c.seed + c.seeds - 1);
    fflush(stdout);

    for (i = 0; i < n_cells; i++) {
        res[i] = (run_result *)calloc((size_t)c.seeds, sizeof(run_result));
        if (!res[i]) { fprintf(stderr, "anbn: out of memory\n"); return 1; }
        for (s = 0; s < c.seeds; s++) {
            run_result *r = &res[i][s];
            rnn_status st;
            r->ok = (unsigned char *)calloc((size_t)c.test_max + 1, 1);
            if (!r->ok) { fprintf(stderr, "anbn: out of memory\n"); return 1; }
            st = train_and_test(&c, kinds[cells[i]].cell, (uint64_t)c.seed + (uint64_t)s, r);
            if (st != RNN_OK) {
                fprintf(stderr, "anbn: %s seed %d: %s\n", kinds[cells[i]].name, c.seed + s, rnn_status_string(st));
                return 1;
            }
            if (!c.quiet) {
                printf("%-10s seed %3d  fit %-3s  12..18 %d/7  N %6d  loss/step %.1e  %d updates %.0f/s  %.1f s%s\n",
                       kinds[cells[i]].name, c.seed + s, r->fit ? "yes" : "no", r->test_ok, r->N, r->loss,
                       r->steps, r->steps / (r->train_seconds > 0 ? r->train_seconds : 1e-9), r->seconds,
                       r->diverged ? "  (diverged: the loss became NaN)" : "");
                fflush(stdout);
            }
            /* the run for the cell-state picture: the LSTM (or peephole LSTM)
               that learned the most, the later cell on a tie */
            if ((kinds[cells[i]].cell == RNN_LSTM || kinds[cells[i]].cell == RNN_PEEPHOLE) &&
                (best_i < 0 || r->N > res[best_i][best_s].N || (r->N == res[best_i][best_s].N && i != best_i))) {
                best_i = i; best_s = s;
            }
        }
    }
    print_table(&c, cells, n_cells, res);

    if (best_i >= 0) { /* the counter inside the best LSTM */
        rnn_model m;
        rnn_model_desc d = model_desc(&c, kinds[cells[best_i]].cell, (uint64_t)(c.seed + best_s));
        int n = c.state_n, T = 2 * n + 1, t, j, H = c.hidden;
        int *x = (int *)malloc(sizeof(int) * (size_t)T);
        rnn_batch b = {0};
        char title[128];
        if (!x || rnn_model_init(&m, &d) != RNN_OK) { fprintf(stderr, "anbn: out of memory\n"); return 1; }
        memcpy(m.params, res[best_i][best_s].params, sizeof(rnn_real) * (size_t)m.n_params);
        for (t = 0; t < T; t++) x[t] = symbol_at(n, t);
        b.T = T; b.B = 1; b.x_tokens = x;
        if (rnn_reserve(&m, T, 1) != RNN_OK) { fprintf(stderr, "anbn: out of memory\n"); return 1; }
        rnn_reset_state(&m);
        rnn_forward(&m, &b, NULL);
        printf("\nInside the %s of seed %d (N = %d), reading S a^%d b^%d: the cell state c of each unit\n"
               "  unit   after S   after the a's   after the b's   (string %s)\n",
               kinds[cells[best_i]].label, c.seed + best_s, res[best_i][best_s].N, n, n,
               accepted(m.y, 1, 0, n) ? "accepted" : "rejected");
        for (j = 0; j < H; j++) /* row t+1 of c is the state after step t */
            printf("  c%-4d %8.3f %15.3f %15.3f\n", j + 1, (double)m.layers[0].c[(size_t)1 * H + j],
                   (double)m.layers[0].c[(size_t)(n + 1) * H + j], (double)m.layers[0].c[(size_t)(2 * n + 1) * H + j]);
        if (!c.no_images) {
            snprintf(title, sizeof title, "cell state c of the %s (seed %d) along S a^%d b^%d",
                     kinds[cells[best_i]].label, c.seed + best_s, n, n);
            if (!draw_state(&c, &m, n, title)) status = 1;
        }
        rnn_model_free(&m);
        free(x);
    }
    if (!c.no_images && !draw_accept(&c, cells, n_cells, res)) status = 1;

    printf("\ntime: %.0f s wall, %.1f s CPU\n", difftime(time(NULL), wall0), (double)(clock() - cpu0) / CLOCKS_PER_SEC);
    for (i = 0; i < n_cells; i++) {
        for (s = 0; s < c.seeds; s++) { free(res[i][s].ok); free(res[i][s].params); }
        free(res[i]);
    }
    return status;
}
