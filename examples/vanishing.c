/* vanishing.c - the "vanishing gradient" slide of the course, measured.

   Decks D0 ("RNN: Vanishing Gradient Problem"), D2 ("desvanecimiento del
   gradiente") and D4 ("El problema viene de la multiplicación continua por
   los elementos de la matriz W ... Si está entre 0 y 1, obtenemos valores más
   cercanos a 0: vanishing gradient") say that in backpropagation through
   time the gradient that reaches a state far from the loss shrinks
   geometrically, and that the LSTM's cell state is an "autopista de la
   información" that lets it through. This program measures how fast it
   shrinks, for each cell, before and after training.

   The task (many-to-one, [arch.many-to-one], desc.loss_last_only):
     a sequence of T = 100 tokens; the first is a key, one of K = 4 symbols;
     the other 99 are random distractors (4 other symbols); at the last step
     the network must name the key (softmax over K, cross-entropy, the loss
     on the last step only: L = L(tau) of [loss.sum]). Chance is 1/K. Only
     the gradient that travels back 99 steps to the key can teach it.

   What is measured: after rnn_forward and rnn_backward, m.layers[0].dh
   holds dL/dh<k> for every state, shape (T+1, B, H), row k = the state
   after step k, row 0 the initial state h<0>; the loss reads h<T>, so row
   k is at distance d = T - k from the loss. For each sequence of the batch
   the program takes the norm of its row and divides by the norm at d = 0:
       g(d) = |dL/dh<T-d>| / |dL/dh<T>|
   (the loss is a mean over the B sequences, so each sequence's rows are
   its own gradient divided by B; the ratio does not care). g(d) is
   averaged as a geometric mean (the mean of log10 g) over the same 128
   sequences for every cell and over several weight seeds, at
   initialisation and after a few hundred updates of training. The cells:
   the simple tanh RNN, the GRU, and the LSTM with a forget-gate bias of 0,
   1 and 3 (rnn_model_set_forget_bias; rnn.h's default is 1).

   It prints a table of g(d) at a few distances and the accuracy on the
   task, and draws docs/images/vanishing_gradient.png: g(d) against d on a
   log scale, at initialisation (left) and after training (right).
   docs/guide/vanishing.md shows the numbers and explains them.

   For the LSTMs it also prints the same ratio for the cell state,
   |dL/dc<T-d>| / |dL/dh<T>| (the "autopista de la información" of deck
   D4), the mean forget gate and the mean |c|. --w-scale X multiplies every
   W_hh by X at initialisation: D4's "si es mayor que 1 ... exploding
   gradient; si está entre 0 y 1 ... vanishing gradient".

   rnn.h is compiled here with RNN_REAL double: with --w-scale 0.5 the tanh
   RNN keeps 7e-33 of the gradient after 99 steps, and longer sequences go
   below 1e-38, the smallest normal float; in float those numbers would be
   rounded to denormals or to 0.

   Build and run (about 40 s of CPU; --help lists the options):
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/vanishing.c -o build/vanishing -lm
       ./build/vanishing
   The picture is written with stb_image_write (Debian: libstb-dev). */
#define RNN_REAL double
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
#include "lab_plot.h"

/* ---- the options ------------------------------------------------------- */

typedef struct config {
    char cells[160];        /* comma-separated, e.g. tanh,gru,lstm:0,lstm:3   */
    int T;                  /* sequence length (steps)                        */
    int symbols, distractors;
    int hidden, seeds, seed, steps, batch, measure;
    double lr, clip, w_scale;
    int quiet, no_images;
    char images[256], png[64];
} config;

#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--cells", "LIST", LAB_TEXT, OFF(cells), 0, 160,
     "cells, comma-separated: tanh relu gru_simple gru lstm:B peephole:B (B = forget-gate bias)", 0},
    {"--T", "N", LAB_INT, OFF(T), 2, 2000, "steps per sequence: the key, then N-1 distractors", 0},
    {"--symbols", "K", LAB_INT, OFF(symbols), 2, 64, "key symbols (chance is 1/K)", 0},
    {"--distractors", "N", LAB_INT, OFF(distractors), 1, 64, "distractor symbols", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 512, "hidden units", 0},
    {"--seeds", "N", LAB_INT, OFF(seeds), 1, 100, "weight seeds per cell (averaged)", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the first seed", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 0, 1e7, "training updates per run (0: initialisation only)", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "sequences per update and per measured batch", 0},
    {"--measure", "N", LAB_INT, OFF(measure), 1, 1000, "batches measured (the same sequences for every cell)", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-7, 10, "Adam's learning rate", 0},
    {"--w-scale", "X", LAB_REAL, OFF(w_scale), 0, 100, "multiply every recurrent matrix W_hh by X at initialisation", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e9, "clip the gradient's global norm to X", 0},
    {"--images", "DIR", LAB_TEXT, OFF(images), 0, 256, "where the picture goes", 0},
    {"--png", "NAME", LAB_TEXT, OFF(png), 0, 64, "the picture's file name", 0},
    {"--no-images", NULL, LAB_FLAG, OFF(no_images), 0, 1, "draw no picture", 0},
    {"--quiet", NULL, LAB_FLAG, OFF(quiet), 0, 1, "no line per run, only the tables", 0},
    {"--help", NULL, LAB_FLAG, 0, 0, 0, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

static const char intro[] =
    "usage: vanishing [options]\n"
    "Measures |dL/dh<t>| against the distance from the loss for each cell, at\n"
    "initialisation and after training, on a task that needs a long memory.\n"
    "Options (default in brackets):\n";

/* ---- the cells compared ------------------------------------------------ */

typedef struct run_kind {
    char name[24];          /* as given: tanh, lstm:3 ...                     */
    char label[40];         /* for the table and the legend                   */
    rnn_cell cell;
    double forget_bias;     /* LSTM and peephole only                         */
} run_kind;
#define MAX_KINDS 10

static const struct { const char *name, *label; rnn_cell cell; int has_bias; } cell_names[] = {
    {"tanh", "tanh RNN", RNN_TANH, 0}, {"relu", "ReLU RNN", RNN_RELU, 0},
    {"gru_simple", "simplified GRU", RNN_GRU_SIMPLE, 0}, {"gru", "GRU", RNN_GRU, 0},
    {"lstm", "LSTM", RNN_LSTM, 1}, {"peephole", "peephole LSTM", RNN_PEEPHOLE, 1},
};
#define N_CELL_NAMES ((int)(sizeof cell_names / sizeof cell_names[0]))

/* "tanh,lstm:3" -> kinds; returns how many, or -1 after saying why */
static int parse_cells(const char *list, run_kind *out)
{
    char buf[160], *tok;
    int n = 0, k;
    strcpy(buf, list);
    for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *colon = strchr(tok, ':'), *end;
        double bias = 1;
        if (colon) *colon = 0;
        for (k = 0; k < N_CELL_NAMES && strcmp(cell_names[k].name, tok); k++) {}
        if (k == N_CELL_NAMES) {
            fprintf(stderr, "vanishing: unknown cell '%s' in --cells (tanh relu gru_simple gru lstm:B peephole:B)\n", tok);
            return -1;
        }
        if (colon && !cell_names[k].has_bias) {
            fprintf(stderr, "vanishing: '%s' has no forget gate, so no ':bias' in --cells\n", tok);
            return -1;
        }
        if (colon) {
            bias = strtod(colon + 1, &end);
            if (end == colon + 1 || *end || !(bias >= -20 && bias <= 20)) {
                fprintf(stderr, "vanishing: the forget-gate bias of '%s' in --cells needs a number from -20 to 20, not '%s'\n",
                        tok, colon + 1);
                return -1;
            }
        }
        if (n == MAX_KINDS) { fprintf(stderr, "vanishing: at most %d cells in --cells\n", MAX_KINDS); return -1; }
        out[n].cell = cell_names[k].cell;
        out[n].forget_bias = bias;
        if (cell_names[k].has_bias) {
            snprintf(out[n].name, sizeof out[n].name, "%s:%g", tok, bias);
            snprintf(out[n].label, sizeof out[n].label, "%s, forget bias %g", cell_names[k].label, bias);
        } else {
            snprintf(out[n].name, sizeof out[n].name, "%s", tok);
            snprintf(out[n].label, sizeof out[n].label, "%s", cell_names[k].label);
        }
        n++;
    }
    if (n == 0) { fprintf(stderr, "vanishing: --cells names no cell\n"); return -1; }
    return n;
}

/* ---- the task ---------------------------------------------------------- */

/* One batch of B sequences, (T, B) tokens: step 0 is the key (0..K-1),
   steps 1..T-1 are distractors (K..K+D-1). The target is the key at the
   last step and "none" (-1) elsewhere: with loss_last_only only the last
   row is read. */
static void make_batch(const config *c, rnn_rng *r, int *x, int *y)
{
    int T = c->T, B = c->batch, K = c->symbols, t, b;
    for (b = 0; b < B; b++) {
        x[b] = (int)(rnn_rng_uniform(r) * K);
        for (t = 1; t < T; t++) x[(size_t)t * B + b] = K + (int)(rnn_rng_uniform(r) * c->distractors);
        for (t = 0; t < T - 1; t++) y[(size_t)t * B + b] = -1;
        y[(size_t)(T - 1) * B + b] = x[b];
    }
}

/* The measurement: for every sequence b of the batch and distance d = 0..T,
   adds log10 |dL/dh<T-d>|_b / |dL/dh<T>|_b to logg[d], and the right
   answers to *right. Returns the status of the forward/backward pass. */
static rnn_status measure_batch(rnn_model *m, const config *c, const int *x, const int *y,
                                double *logg, double *logn0, int *right, double *inside, double *logc)
{
    int T = c->T, B = c->batch, H = c->hidden, K = c->symbols, b, d, j;
    rnn_batch bt = {0};
    rnn_real loss;
    rnn_status st;
    const rnn_real *dh;
    bt.T = T; bt.B = B; bt.x_tokens = x; bt.y_tokens = y;
    rnn_reset_state(m);                 /* h<0> = c<0> = 0 */
    rnn_zero_grad(m);
    if ((st = rnn_forward(m, &bt, &loss)) != RNN_OK) return st;
    if ((st = rnn_backward(m)) != RNN_OK) return st;     /* [bptt.*] */
    dh = m->layers[0].dh;               /* (T+1, B, H): row k is dL/dh<k> */
    for (b = 0; b < B; b++) {
        double n0 = 0;
        for (d = 0; d <= T; d++) {
            const rnn_real *row = dh + ((size_t)(T - d) * B + b) * H;
            double s = 0, n;
            for (j = 0; j < H; j++) s += (double)row[j] * (double)row[j];
            n = sqrt(s) * B;            /* the sequence's own gradient */
            if (d == 0) { n0 = n; *logn0 += n > 0 ? log10(n) : -400; }
            /* a norm of exactly 0 (it has underflowed, or the loss is exactly
               0) counts as 1e-400, below anything a double holds */
            logg[d] += (n > 0 && n0 > 0) ? log10(n / n0) : -400;
        }
        *right += rnn_argmax(m->y + ((size_t)(T - 1) * B + b) * K, K) == x[b];
    }
    if (m->layers[0].cell == RNN_LSTM || m->layers[0].cell == RNN_PEEPHOLE) {
        const rnn_layer *Ly = &m->layers[0];
        int t, kk;
        const int at[3] = {1, T / 2, T};
        /* dL/dc<k>, everything that reaches the cell state: after backward,
           row k of dc holds only what came back along the cell from step
           k+1 (f<k+1> * dL/dc<k+1>); the part through h<k> = o tanh(c<k>)
           is dL/dh<k> o (1 - tanh^2 c<k>), with o from the cache of the
           step that made c<k> (the cache holds i, f, g, o of every step,
           (T, B, 4H)); the peephole LSTM's o also sees c<k>, which adds
           dL/dh<k> tanh(c<k>) o (1 - o) p_o. Row 0, c<0>, has no such part. */
        for (b = 0; b < B; b++) {
            double n0 = 0;
            for (d = 0; d <= T; d++) {
                size_t row = ((size_t)(T - d) * B + b) * H;
                double s2 = 0;
                for (j = 0; j < H; j++) {
                    double g = Ly->dc[row + j];
                    if (T - d > 0) {
                        double o = Ly->cache[((size_t)(T - d - 1) * B + b) * 4 * H + 3 * H + j];
                        double tc = tanh((double)Ly->c[row + j]);
                        g += (double)dh[row + j] * o * (1 - tc * tc);
                        if (Ly->p) g += (double)dh[row + j] * tc * o * (1 - o) * (double)Ly->p[2 * H + j];
                    }
                    s2 += g * g;
                }
                if (d == 0) {           /* the norm of dL/dh<T> of this sequence */
                    for (j = 0; j < H; j++) n0 += (double)dh[row + j] * (double)dh[row + j];
                    n0 = sqrt(n0);
                }
                logc[d] += (s2 > 0 && n0 > 0) ? log10(sqrt(s2) / n0) : -400;
            }
        }
        /* the forget gate f of every step, and |c<k>| at k = 1, T/2, T */
        for (t = 0; t < T; t++)
            for (b = 0; b < B; b++)
                for (j = 0; j < H; j++) inside[0] += Ly->cache[((size_t)t * B + b) * 4 * H + H + j];
        for (kk = 0; kk < 3; kk++)
            for (b = 0; b < B; b++)
                for (j = 0; j < H; j++) inside[1 + kk] += fabs(Ly->c[((size_t)at[kk] * B + b) * H + j]);
    }
    return RNN_OK;
}

typedef struct curve {
    double *logg;           /* (T+1) mean log10 g(d) over sequences and seeds */
    double *logc;           /* (T+1) LSTM: the same for |dL/dc<T-d>| / |dL/dh<T>| */
    double logn0;           /* mean log10 |dL/dh<T>|                          */
    double acc;             /* share of right answers                         */
    double inside[4];       /* LSTM: mean f; mean |c<k>| at k = 1, T/2, T     */
} curve;

typedef struct run_stats {
    curve init, trained;
    double final_loss;      /* mean loss of the last 50 updates, mean over seeds */
    double cpu;             /* seconds of CPU                                  */
    int diverged;           /* seeds whose loss became NaN                     */
} run_stats;

/* Measures the model on the measurement batches, adding into cv (divided
   by the number of sequences times seeds later). */
static rnn_status measure(rnn_model *m, const config *c, const int *mx, const int *my, curve *cv)
{
    int i, right = 0;
    rnn_status st;
    size_t per = (size_t)c->T * c->batch;
    for (i = 0; i < c->measure; i++)
        if ((st = measure_batch(m, c, mx + i * per, my + i * per, cv->logg, &cv->logn0, &right, cv->inside, cv->logc)) != RNN_OK)
            return st;
    cv->acc += right;
    return RNN_OK;
}

static rnn_status run_kind_all_seeds(const config *c, const run_kind *k, const int *mx, const int *my,
                                     run_stats *rs)
{
    int s, step, T = c->T, B = c->batch;
    int *x = (int *)malloc(sizeof(int) * (size_t)T * B), *y = (int *)malloc(sizeof(int) * (size_t)T * B);
    rnn_status st = RNN_OK;
    clock_t t0 = clock();
    double n_seq = (double)c->measure * B * c->seeds;
    if (!x || !y) { free(x); free(y); return RNN_ERR_NOMEM; }
    for (s = 0; s < c->seeds && st == RNN_OK; s++) {
        rnn_model m;
        rnn_model_desc d;
        rnn_optim opt;
        rnn_optim_desc od;
        rnn_rng rng;
        rnn_real loss = 0;
        double loss_sum = 0;
        int recent = 0, diverged = 0;
        double a_init, a_trained = 0;
        clock_t r0 = clock();
        memset(&d, 0, sizeof d);
        memset(&od, 0, sizeof od);
        d.cell = k->cell;
        d.input_size = c->symbols + c->distractors;   /* one-hot tokens ([onehot]) */
        d.hidden_size = c->hidden;
        d.output_size = c->symbols;
        d.output = RNN_SOFTMAX;
        d.loss_last_only = 1;                         /* L = L(tau) ([loss.sum]) */
        d.seed = (uint64_t)(c->seed + s);
        if ((st = rnn_model_init(&m, &d)) != RNN_OK) break;
        if (k->cell == RNN_LSTM || k->cell == RNN_PEEPHOLE) rnn_model_set_forget_bias(&m, (rnn_real)k->forget_bias);
        if (c->w_scale != 1) { /* rnn.h's W_hh is orthogonal per gate: every singular value is 1 */
            int l;
            size_t j;
            for (l = 0; l < m.L; l++)
                for (j = 0; j < (size_t)m.layers[l].G * m.layers[l].H * m.layers[l].H; j++)
                    m.layers[l].W_hh[j] *= (rnn_real)c->w_scale;
        }
        od.kind = RNN_ADAM;
        od.lr = (rnn_real)c->lr;
        if ((st = rnn_optim_init(&opt, &od, m.n_params)) != RNN_OK) { rnn_model_free(&m); break; }
        rnn_rng_seed(&rng, (uint64_t)(c->seed + s) * 7919u + 17u);   /* the training sequences */

        a_init = rs->init.acc;
        st = measure(&m, c, mx, my, &rs->init);
        a_init = (rs->init.acc - a_init) / ((double)c->measure * B);
        for (step = 1; step <= c->steps && st == RNN_OK; step++) {
            rnn_batch bt = {0};
            make_batch(c, &rng, x, y);
            bt.T = T; bt.B = B; bt.x_tokens = x; bt.y_tokens = y;
            rnn_reset_state(&m);
            rnn_zero_grad(&m);
            st = rnn_forward(&m, &bt, &loss);
            if (st == RNN_ERR_NAN) { diverged = 1; st = RNN_OK; break; }   /* a failed run, not an error */
            if (st != RNN_OK) break;
            if ((st = rnn_backward(&m)) != RNN_OK) break;
            rnn_clip_by_global_norm(&m, (rnn_real)c->clip);     /* [clip.norm] */
            rnn_optim_step(&opt, m.params, m.grads);
            if (step > c->steps - 50) { loss_sum += loss; recent++; }
        }
        if (st == RNN_OK && c->steps > 0) {
            /* a diverged model is measured as it stands (its numbers say so) */
            a_trained = rs->trained.acc;
            st = measure(&m, c, mx, my, &rs->trained);
            a_trained = (rs->trained.acc - a_trained) / ((double)c->measure * B);
        }
        rs->diverged += diverged;
        rs->final_loss += recent ? loss_sum / recent : 0;
        if (!c->quiet && st == RNN_OK) {
            printf("%-12s seed %3d  accuracy %.3f -> %.3f after %d updates, loss %.4f (mean of the last 50)  %.1f s CPU%s\n",
                   k->name, c->seed + s, a_init, c->steps > 0 ? a_trained : a_init, c->steps,
                   recent ? loss_sum / recent : 0.0, (double)(clock() - r0) / CLOCKS_PER_SEC,
                   diverged ? "  (diverged: NaN loss)" : "");
            fflush(stdout);
        }
        rnn_optim_free(&opt);
        rnn_model_free(&m);
    }
    free(x); free(y);
    if (st == RNN_OK) {
        int dd;
        for (dd = 0; dd <= T; dd++) {
            rs->init.logg[dd] /= n_seq; rs->trained.logg[dd] /= n_seq;
            rs->init.logc[dd] /= n_seq; rs->trained.logc[dd] /= n_seq;
        }
        rs->init.logn0 /= n_seq; rs->trained.logn0 /= n_seq;
        rs->init.acc /= n_seq; rs->trained.acc /= n_seq;
        rs->init.inside[0] /= n_seq * T * c->hidden; rs->trained.inside[0] /= n_seq * T * c->hidden;
        for (dd = 1; dd < 4; dd++) { rs->init.inside[dd] /= n_seq * c->hidden; rs->trained.inside[dd] /= n_seq * c->hidden; }
        rs->final_loss /= c->seeds;
    }
    rs->cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    return st;
}

/* ---- pictures (the canvas and the font are in lab.h) --------------------- */

static const lab_rgb WHITE = {255, 255, 255}, BLACK = {25, 25, 25}, GRID = {228, 228, 228};
static const lab_rgb colours[MAX_KINDS] = {
    {210, 40, 40}, {150, 60, 170}, {0, 110, 220}, {0, 160, 120}, {230, 140, 0},
    {110, 110, 110}, {140, 90, 40}, {0, 170, 200}, {200, 60, 150}, {90, 140, 0}};

/* One panel: g(d) of every kind against d on a log10 axis from ylo to yhi
   (whole decades). (px, py) is the top left corner of the plotting box. */
static void draw_panel(lab_image *im, int px, int py, int pw, int ph, const config *c, int n_kinds,
                       const run_stats *rs, int trained, double ylo, double yhi, const char *title)
{
    int T = c->T, i, d, step = 1, xs;
    char label[64];
    double span = yhi - ylo;
#define XD(d) (px + (int)floor((double)(d) * (pw - 1) / T + 0.5))
#define YL(v) lab_px(py + (yhi - (v)) * (ph - 1) / span, py, py + ph - 1)
    /* decades: a grid line at each, a label every `step` decades */
    while (span / step > 10) step = step == 1 ? 2 : step == 2 ? 5 : step * 2;
    for (i = (int)ylo; i <= (int)yhi; i++) {
        lab_rect(im, px, YL(i), px + pw, YL(i) + 1, GRID);
        if (i % step) continue;
        lab_rect(im, px - 6, YL(i), px, YL(i) + 1, BLACK);
        if (i == 0) snprintf(label, sizeof label, "1");
        else snprintf(label, sizeof label, "1e%d", i);
        lab_text(im, px - 10 - lab_text_width(label, 2), YL(i) - 7, label, BLACK, 2);
    }
    /* distances: a tick every T/10 rounded to a nice number */
    xs = T <= 10 ? 1 : T <= 20 ? 2 : T <= 50 ? 5 : T <= 100 ? 10 : T <= 200 ? 20 : T <= 500 ? 50 : 100;
    for (d = 0; d <= T; d += xs) {
        lab_rect(im, XD(d), py + ph, XD(d) + 1, py + ph + 6, BLACK);
        snprintf(label, sizeof label, "%d", d);
        lab_text(im, XD(d) - lab_text_width(label, 2) / 2, py + ph + 10, label, BLACK, 2);
    }
    lab_rect(im, px, py, px + 1, py + ph, BLACK);               /* the axes */
    lab_rect(im, px, py + ph - 1, px + pw, py + ph, BLACK);
    lab_text(im, px, py - 24, title, BLACK, 2);
    for (i = 0; i < n_kinds; i++) {
        const double *g = trained ? rs[i].trained.logg : rs[i].init.logg;
        for (d = 1; d <= T; d++)
            lab_line(im, XD(d - 1), YL(g[d - 1]), XD(d), YL(g[d]), colours[i], 3, 0);
    }
#undef XD
#undef YL
}

static int draw_picture(const config *c, const run_kind *kinds, int n_kinds, const run_stats *rs)
{
    const int pw = 500, ph = 420, left = 90, top = 70, gap = 110, panels = c->steps > 0 ? 2 : 1;
    lab_image im;
    int i, d, x, y, ok;
    double lo = 0, hi = 0;
    char title[128];
    for (i = 0; i < n_kinds; i++)
        for (d = 0; d <= c->T; d++) {
            double a = rs[i].init.logg[d], b = panels == 2 ? rs[i].trained.logg[d] : a;
            if (a < lo) lo = a;
            if (b < lo) lo = b;
            if (a > hi) hi = a;
            if (b > hi) hi = b;
        }
    lo = floor(lo); hi = ceil(hi);
    if (hi - lo < 1) hi = lo + 1;
    if (lab_image_new(&im, left + panels * pw + (panels - 1) * gap + 30,
                      top + ph + 70 + 24 * ((n_kinds + 1) / 2) + 20, WHITE)) return 0;
    lab_text(&im, 10, 8, "|dL/dh<t>| / |dL/dh<T>| against the distance T - t from the loss (log scale)", BLACK, 2);

    draw_panel(&im, left, top, pw, ph, c, n_kinds, rs, 0, lo, hi, "at initialisation");
    if (panels == 2) {
        snprintf(title, sizeof title, "after %d updates", c->steps);
        draw_panel(&im, left + pw + gap, top, pw, ph, c, n_kinds, rs, 1, lo, hi, title);
    }
    snprintf(title, sizeof title, "distance from the loss (steps); T = %d, mean of %d sequences x %d seeds",
             c->T, c->measure * c->batch, c->seeds);
    if (c->w_scale != 1)
        snprintf(title + strlen(title), sizeof title - strlen(title), "; W_hh x %g", c->w_scale);
    lab_text(&im, left, top + ph + 34, title, BLACK, 2);
    for (i = 0; i < n_kinds; i++) { /* the legend, two columns */
        x = left + (i % 2) * (pw + gap);
        y = top + ph + 64 + 24 * (i / 2);
        lab_rect(&im, x, y + 5, x + 36, y + 9, colours[i]);
        lab_text(&im, x + 46, y, kinds[i].label, BLACK, 2);
    }
    ok = !lab_save_png(&im, c->images, c->png);
    lab_image_free(&im);
    return ok;
}

/* ---- the table ----------------------------------------------------------- */

/* The row label of a table: "at initialisation" or "after N updates". */
static void when_label(char *out, size_t n, int trained, int steps)
{
    if (trained) snprintf(out, n, "after %d updates", steps);
    else snprintf(out, n, "at initialisation");
}

static void print_table(const config *c, const run_kind *kinds, int n_kinds, const run_stats *rs, int trained)
{
    static const int want[] = {1, 5, 10, 25, 50, 75};
    int i, j, n_want = 0, T = c->T;
    int ds[8];
    for (j = 0; j < LAB_COUNT(want); j++) if (want[j] < T - 1) ds[n_want++] = want[j];
    ds[n_want++] = T - 1;               /* h<1>: the state that has just read the key */
    if (trained) printf("\nafter %d updates:\n", c->steps);
    else printf("\nat initialisation:\n");
    printf("%-12s %8s %9s ", "cell", "accuracy", "|dL/dh<T>|");
    for (j = 0; j < n_want; j++) { char h[16]; snprintf(h, sizeof h, "d=%d", ds[j]); printf(" %8s", h); }
    printf("  %s\n", T >= 4 ? "per step" : "");
    for (i = 0; i < n_kinds; i++) {
        const curve *cv = trained ? &rs[i].trained : &rs[i].init;
        printf("%-12s %8.3f %10.2e ", kinds[i].name, cv->acc, pow(10, cv->logn0));
        for (j = 0; j < n_want; j++) {
            double v = cv->logg[ds[j]];
            if (v < -300) printf(" %8s", "<1e-300");
            else printf(" %8.1e", pow(10, v));
        }
        /* the factor one step back multiplies g by, in the middle half of
           the sequence: (g(3T/4) / g(T/4))^(1 / (3T/4 - T/4)) */
        if (T >= 4) printf("  %8.3f", pow(10, (cv->logg[3 * T / 4] - cv->logg[T / 4]) / (3 * T / 4 - T / 4)));
        printf("\n");
    }
}

/* the forget gate and the cell state of the LSTMs, which explain their rows */
static void print_inside(const config *c, const run_kind *kinds, int n_kinds, const run_stats *rs)
{
    int i, s, any = 0;
    for (i = 0; i < n_kinds; i++) any |= kinds[i].cell == RNN_LSTM || kinds[i].cell == RNN_PEEPHOLE;
    if (!any) return;
    printf("\nalong the LSTMs' cell state: |dL/dc<T-d>| / |dL/dh<T>| (geometric mean)\n%-12s %-17s", "cell", "");
    {
        static const int want[] = {1, 5, 10, 25, 50, 75};
        int ds[8], n_want = 0, j;
        for (j = 0; j < LAB_COUNT(want); j++) if (want[j] < c->T - 1) ds[n_want++] = want[j];
        ds[n_want++] = c->T - 1;
        for (j = 0; j < n_want; j++) { char h[16]; snprintf(h, sizeof h, "d=%d", ds[j]); printf(" %8s", h); }
        printf("\n");
        for (i = 0; i < n_kinds; i++) {
            if (kinds[i].cell != RNN_LSTM && kinds[i].cell != RNN_PEEPHOLE) continue;
            for (s = 0; s < 1 + (c->steps > 0); s++) {
                const curve *cv = s ? &rs[i].trained : &rs[i].init;
                char when[32];
                when_label(when, sizeof when, s, c->steps);
                printf("%-12s %-17s", s ? "" : kinds[i].name, when);
                for (j = 0; j < n_want; j++) {
                    double v = cv->logc[ds[j]];
                    if (v < -300) printf(" %8s", "<1e-300");
                    else printf(" %8.1e", pow(10, v));
                }
                printf("\n");
            }
        }
    }
    printf("\ninside the LSTMs: the forget gate f (mean over units, steps, sequences) and the mean |c<k>|\n"
           "%-12s %-17s %6s %8s %8s %8s\n", "cell", "", "f", "|c<1>|", "|c<T/2>|", "|c<T>|");
    for (i = 0; i < n_kinds; i++) {
        if (kinds[i].cell != RNN_LSTM && kinds[i].cell != RNN_PEEPHOLE) continue;
        for (s = 0; s < 1 + (c->steps > 0); s++) {
            const curve *cv = s ? &rs[i].trained : &rs[i].init;
            char when[32];
            when_label(when, sizeof when, s, c->steps);
            printf("%-12s %-17s %6.3f %8.3f %8.3f %8.3f\n", s ? "" : kinds[i].name, when, cv->inside[0],
                   cv->inside[1], cv->inside[2], cv->inside[3]);
        }
    }
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    config c, defaults;
    run_kind kinds[MAX_KINDS];
    run_stats rs[MAX_KINDS];
    int n_kinds, i, pr, status = 0;
    int *mx, *my;
    rnn_rng mr;
    size_t per;
    clock_t cpu0 = clock();
    char w_note[64] = "";

    memset(&c, 0, sizeof c);
    strcpy(c.cells, "tanh,gru,lstm:0,lstm:1,lstm:3");
    c.T = 100; c.symbols = 4; c.distractors = 4; c.hidden = 32;
    c.seeds = 3; c.seed = 1; c.steps = 300; c.batch = 32; c.measure = 4;
    c.lr = 0.001; c.clip = 1; c.w_scale = 1;
    strcpy(c.images, "docs/images");
    strcpy(c.png, "vanishing_gradient.png");
    defaults = c;
    pr = lab_parse_options("vanishing", options, N_OPTIONS, &c, argc, argv, NULL);
    if (pr == LAB_OPTIONS_HELP) { lab_usage(stdout, intro, options, N_OPTIONS, &defaults); return 0; }
    if (pr) return 1;   /* this lab exits with 1 on any bad input */
    if ((n_kinds = parse_cells(c.cells, kinds)) < 0) return 1;

    if (c.w_scale != 1) snprintf(w_note, sizeof w_note, "; W_hh x %g at initialisation", c.w_scale);
    printf("The vanishing gradient (decks D0, D2, D4), measured.\n"
           "Task: %d steps; step 1 shows a key (1 of %d symbols), steps 2..%d show random\n"
           "distractors (%d symbols); at the last step the network names the key (chance %.3f).\n"
           "Hidden %d, Adam lr %g, clip %g, batch %d, %d updates; seeds %d..%d%s.\n"
           "g(d) = |dL/dh<T-d>| / |dL/dh<T>|: the share of the gradient at the loss that reaches\n"
           "the state d steps earlier (geometric mean over %d sequences x %d seeds).\n\n",
           c.T, c.symbols, c.T, c.distractors, 1.0 / c.symbols, c.hidden, c.lr, c.clip, c.batch,
           c.steps, c.seed, c.seed + c.seeds - 1, w_note,
           c.measure * c.batch, c.seeds);
    fflush(stdout);

    /* the measurement sequences: the same for every cell and seed */
    per = (size_t)c.T * c.batch;
    mx = (int *)malloc(sizeof(int) * per * c.measure);
    my = (int *)malloc(sizeof(int) * per * c.measure);
    if (!mx || !my) { fprintf(stderr, "vanishing: out of memory\n"); return 1; }
    rnn_rng_seed(&mr, 0x76616e6973680000u + (uint64_t)c.seed);
    for (i = 0; i < c.measure; i++) make_batch(&c, &mr, mx + i * per, my + i * per);

    memset(rs, 0, sizeof rs);
    for (i = 0; i < n_kinds; i++) {
        rnn_status st;
        rs[i].init.logg = (double *)calloc((size_t)c.T + 1, sizeof(double));
        rs[i].trained.logg = (double *)calloc((size_t)c.T + 1, sizeof(double));
        rs[i].init.logc = (double *)calloc((size_t)c.T + 1, sizeof(double));
        rs[i].trained.logc = (double *)calloc((size_t)c.T + 1, sizeof(double));
        if (!rs[i].init.logg || !rs[i].trained.logg || !rs[i].init.logc || !rs[i].trained.logc) { fprintf(stderr, "vanishing: out of memory\n"); return 1; }
        st = run_kind_all_seeds(&c, &kinds[i], mx, my, &rs[i]);
        if (st != RNN_OK) {
            fprintf(stderr, "vanishing: %s: %s\n", kinds[i].name, rnn_status_string(st));
            return 1;
        }
    }
    print_table(&c, kinds, n_kinds, rs, 0);
    if (c.steps > 0) print_table(&c, kinds, n_kinds, rs, 1);
    printf("(accuracy: share of the %d measured sequences named right, chance %.3f;\n"
           " |dL/dh<T>|: the gradient at the loss, geometric mean; d=k: g(k), the ratio of the\n"
           " gradient k steps before the loss to it; d=%d is h<1>, the state that has just read the key;\n"
           " per step: (g(3T/4) / g(T/4))^(1/(T/2)), the factor one step back multiplies g by)\n",
           c.measure * c.batch, 1.0 / c.symbols, c.T - 1);
    print_inside(&c, kinds, n_kinds, rs);
    for (i = 0; i < n_kinds; i++)
        if (rs[i].diverged) printf("note: %s diverged (NaN loss) in %d of %d seeds\n", kinds[i].name, rs[i].diverged, c.seeds);
    if (!c.no_images && !draw_picture(&c, kinds, n_kinds, rs)) status = 1;
    printf("\ntime: %.1f s CPU\n", (double)(clock() - cpu0) / CLOCKS_PER_SEC);
    for (i = 0; i < n_kinds; i++) {
        free(rs[i].init.logg); free(rs[i].trained.logg); free(rs[i].init.logc); free(rs[i].trained.logc);
    }
    free(mx); free(my);
    return status;
}
