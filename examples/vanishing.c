/* vanishing.c - the vanishing gradient of the course, measured.

   Deck D0 ("RNN: Vanishing Gradient Problem"), D2 ("desvanecimiento del
   gradiente") and D4 ("El problema viene de la multiplicación continua por
   los elementos de la matriz W ... Si está entre 0 y 1, obtenemos valores más
   cercanos a 0: vanishing gradient") say that in backpropagation through
   time the gradient that reaches a state far from the loss shrinks
   geometrically, and that the LSTM's cell state is an "autopista de la
   información" that lets it through. This program measures it, per cell,
   before and after training.

   The task (many-to-one, [arch.many-to-one], desc.loss_last_only): T = 100
   tokens; the first is a key, one of K = 4 symbols, the other 99 random
   distractors; at the last step the network names the key (softmax, the
   loss on the last step only). Only the gradient that travels back 99
   steps to the key can teach it.

   What is measured: after rnn_backward, m.layers[0].dh holds dL/dh<k>,
   (T+1, B, H), row k the state after step k, at distance d = T - k from the
   loss. Per sequence, g(d) = |dL/dh<T-d>| / |dL/dh<T>|, averaged as a
   geometric mean over the same 128 sequences for every cell and over the
   weight seeds, at initialisation and after a few hundred updates. The
   cells: tanh RNN, GRU, LSTM with forget-gate bias 0, 1 and 3. For the
   LSTMs also |dL/dc<T-d>| / |dL/dh<T>| (the cell state), the mean forget
   gate and the mean |c|. --w-scale X multiplies every W_hh by X: D4's "si es
   mayor que 1 ... exploding gradient".

   rnn.h is compiled here in double (RNN_REAL): with --w-scale 0.5 the tanh
   RNN keeps 7e-33 of the gradient after 99 steps, below what a float holds.

   Picture (in --out, default build/): vanishing_gradient.png, g(d) on a log
   scale at initialisation and after training. docs/guide/vanishing.md.

   Build and run (about 40 s of CPU; --help lists the options):
       make build/vanishing && ./build/vanishing */
#define RNN_REAL double
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "lab.h"            /* options, outputs, cell names */
#include "lab_pictures.h"   /* pictures */

#define MAX_KINDS 10
typedef struct config {
    char cells[160];        /* comma-separated, e.g. tanh,gru,lstm:0,lstm:3   */
    int T, symbols, distractors, hidden, seeds, seed, steps, batch, measure;
    double lr, clip, w_scale;
    char png[64];
    lab_common lab;
} config;

#define LAB_OPTIONS_VANISHING
#include "lab_options.h"   /* the option table: options, N_OPTIONS, intro (--help) */

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

/* ---- the measurement ------------------------------------------------------ */

typedef struct curve {
    double *logg;           /* (T+1) mean log10 g(d) over sequences and seeds */
    double *logc;           /* (T+1) LSTM: the same for |dL/dc<T-d>| / |dL/dh<T>| */
    double logn0;           /* mean log10 |dL/dh<T>|                          */
    double acc;             /* right answers (a share after the division)     */
    double inside[4];       /* LSTM: mean forget gate; mean |c| at 1, T/2, T   */
} curve;

/* log10 of a norm, with a norm of exactly 0 (underflowed) as 1e-400 */
static double log10_or_low(double v) { return v > 0 ? log10(v) : -400; }

/* Adds one batch's measurement into cv: for every sequence b and distance
   d = 0..T, log10 |dL/dh<T-d>|_b / |dL/dh<T>|_b to logg[d]; the right answers
   to acc; for the LSTMs the cell state's share and what is inside. */
static rnn_status measure_batch(rnn_model *m, const config *c, const int *x, const int *y, curve *cv)
{
    int T = c->T, B = c->batch, H = c->hidden, K = c->symbols, b, d, j, t, kk;
    const rnn_layer *Ly = &m->layers[0];
    rnn_batch bt = {0};
    rnn_real loss;
    rnn_status st;
    const rnn_real *dh;
    bt.T = T; bt.B = B; bt.x_tokens = x; bt.y_tokens = y;
    rnn_reset_state(m);                 /* h<0> = c<0> = 0 */
    rnn_zero_grad(m);
    if ((st = rnn_forward(m, &bt, &loss)) != RNN_OK) return st;
    if ((st = rnn_backward(m)) != RNN_OK) return st;     /* [bptt.*] */
    dh = Ly->dh;                        /* (T+1, B, H): row k is dL/dh<k> */
    for (b = 0; b < B; b++) {
        double n0 = 0;
        for (d = 0; d <= T; d++) {
            const rnn_real *row = dh + ((size_t)(T - d) * B + b) * H;
            double s = 0, n;
            for (j = 0; j < H; j++) s += (double)row[j] * (double)row[j];
            n = sqrt(s) * B;            /* the sequence's own gradient (the loss is a mean over B) */
            if (d == 0) { n0 = n; cv->logn0 += log10_or_low(n); }
            cv->logg[d] += (n > 0 && n0 > 0) ? log10(n / n0) : -400;
        }
        cv->acc += rnn_argmax(m->y + ((size_t)(T - 1) * B + b) * K, K) == x[b];
    }
    if (Ly->cell != RNN_LSTM && Ly->cell != RNN_PEEPHOLE) return RNN_OK;
    /* dL/dc<k>, everything that reaches the cell state: after backward, row
       k of dc holds only what came back along the cell from step k+1
       (f<k+1> * dL/dc<k+1>, [lstm.cell]); the part through h<k> = o tanh(c<k>)
       is dL/dh<k> o (1 - tanh^2 c<k>), with o from the cache of the step that
       made c<k> (i, f, g, o of every step, (T, B, 4H)); the peephole LSTM's o
       also sees c<k>, which adds dL/dh<k> tanh(c<k>) o (1 - o) p_o. */
    for (b = 0; b < B; b++) {
        double n0 = 0;
        for (d = 0; d <= T; d++) {
            size_t row = ((size_t)(T - d) * B + b) * H;
            double s2 = 0;
            for (j = 0; j < H; j++) {
                double g = Ly->dc[row + j];
                if (T - d > 0) {
                    double o = Ly->cache[((size_t)(T - d - 1) * B + b) * 4 * H + 3 * H + j], tc = tanh((double)Ly->c[row + j]);
                    g += (double)dh[row + j] * o * (1 - tc * tc);
                    if (Ly->p) g += (double)dh[row + j] * tc * o * (1 - o) * (double)Ly->p[2 * H + j];
                }
                s2 += g * g;
            }
            if (d == 0) {               /* the norm of dL/dh<T> of this sequence */
                for (j = 0; j < H; j++) n0 += (double)dh[row + j] * (double)dh[row + j];
                n0 = sqrt(n0);
            }
            cv->logc[d] += (s2 > 0 && n0 > 0) ? log10(sqrt(s2) / n0) : -400;
        }
    }
    /* the forget gate f of every step, and |c<k>| at k = 1, T/2, T */
    for (t = 0; t < T; t++) for (b = 0; b < B; b++) for (j = 0; j < H; j++)
        cv->inside[0] += Ly->cache[((size_t)t * B + b) * 4 * H + H + j];
    for (kk = 0; kk < 3; kk++) for (b = 0; b < B; b++) for (j = 0; j < H; j++)
        cv->inside[1 + kk] += fabs(Ly->c[((size_t)(kk == 0 ? 1 : kk == 1 ? T / 2 : T) * B + b) * H + j]);
    return RNN_OK;
}

/* One cell (with one forget-gate bias), every seed: measure at
   initialisation, train, measure again. The curves are summed here and
   divided by the sequences in main. RNN_ERR_NAN: diverged (said). */
static rnn_status run_cell(const config *c, rnn_cell cell, double bias, const char *name,
                           const int *mx, const int *my, curve *init, curve *trained)
{
    int s, i, step, T = c->T, B = c->batch;
    size_t per = (size_t)T * B;
    int *x = (int *)malloc(sizeof(int) * per * 2), *y = x + per;
    rnn_status st = RNN_OK;
    if (!x) return RNN_ERR_NOMEM;
    for (s = 0; s < c->seeds && st == RNN_OK; s++) {
        rnn_model m;
        rnn_model_desc d = {0};
        rnn_optim opt;
        rnn_optim_desc od = {0};
        rnn_rng rng;
        rnn_real loss = 0;
        double loss_sum = 0, r0 = lab_cpu_seconds(), a_init = init->acc, a_trained = trained->acc;
        int recent = 0;
        d.cell = cell;
        d.input_size = c->symbols + c->distractors;   /* one-hot tokens ([onehot]) */
        d.hidden_size = c->hidden;
        d.output_size = c->symbols;
        d.output = RNN_SOFTMAX;
        d.loss_last_only = 1;                         /* L = L(tau) ([loss.sum]) */
        d.seed = (uint64_t)(c->seed + s);
        if ((st = rnn_model_init(&m, &d)) != RNN_OK) break;
        if (cell == RNN_LSTM || cell == RNN_PEEPHOLE) rnn_model_set_forget_bias(&m, (rnn_real)bias);
        if (c->w_scale != 1) { /* rnn.h's W_hh is orthogonal per gate: every singular value is 1 */
            int l;
            size_t j;
            for (l = 0; l < m.L; l++)
                for (j = 0; j < (size_t)m.layers[l].G * m.layers[l].H * m.layers[l].H; j++) m.layers[l].W_hh[j] *= (rnn_real)c->w_scale;
        }
        od.kind = RNN_ADAM;
        od.lr = (rnn_real)c->lr;
        if ((st = rnn_optim_init(&opt, &od, m.n_params)) != RNN_OK) { rnn_model_free(&m); break; }
        rnn_rng_seed(&rng, (uint64_t)(c->seed + s) * 7919u + 17u);   /* the training sequences */
        for (i = 0; i < c->measure && st == RNN_OK; i++) st = measure_batch(&m, c, mx + i * per, my + i * per, init);
        for (step = 1; step <= c->steps && st == RNN_OK; step++) {
            rnn_batch bt = {0};
            make_batch(c, &rng, x, y);
            bt.T = T; bt.B = B; bt.x_tokens = x; bt.y_tokens = y;
            rnn_reset_state(&m);
            rnn_zero_grad(&m);
            st = rnn_forward(&m, &bt, &loss);           /* the loss of the last step, a mean over B */
            if (lab_diverged(name, step, st, (double)loss, 100 * log((double)c->symbols))) st = RNN_ERR_NAN;
            if (st != RNN_OK || (st = rnn_backward(&m)) != RNN_OK) break;
            rnn_clip_by_global_norm(&m, (rnn_real)c->clip);     /* [clip.norm] */
            rnn_optim_step(&opt, m.params, m.grads);
            if (step > c->steps - 50) { loss_sum += loss; recent++; }
        }
        for (i = 0; i < c->measure && st == RNN_OK && c->steps > 0; i++)
            st = measure_batch(&m, c, mx + i * per, my + i * per, trained);
        if (!c->lab.quiet && st == RNN_OK) {
            printf("%-12s seed %3d  accuracy %.3f -> %.3f after %d updates, loss %.4f (mean of the last 50)  %.1f s CPU\n",
                   name, c->seed + s, (init->acc - a_init) / ((double)c->measure * B),
                   c->steps > 0 ? (trained->acc - a_trained) / ((double)c->measure * B) : (init->acc - a_init) / ((double)c->measure * B),
                   c->steps, recent ? loss_sum / recent : 0.0, lab_cpu_seconds() - r0);
            fflush(stdout);
        }
        rnn_optim_free(&opt);
        rnn_model_free(&m);
    }
    free(x);
    return st;
}

#define LAB_REPORT_VANISHING
#include "lab_report.h"   /* print_tables: g(d) by cell, and inside the LSTMs */

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    config c = {"tanh,gru,lstm:0,lstm:1,lstm:3", .T = 100, .symbols = 4, .distractors = 4, .hidden = 32, .seeds = 3,
                .seed = 1, .steps = 300, .batch = 32, .measure = 4, .lr = 0.001, .clip = 1, .w_scale = 1,
                .png = "vanishing_gradient.png", .lab.out = LAB_DEFAULT_OUT};
    static const int want[] = {1, 5, 10, 25, 50, 75};
    rnn_cell cells[MAX_KINDS];
    double bias[MAX_KINDS], *curves[MAX_KINDS][2], n_seq;
    char names[MAX_KINDS][24], labels[MAX_KINDS][40], w_note[64] = "";
    const char *label_ptr[MAX_KINDS];
    curve cv[MAX_KINDS][2];
    int n, i, s, d, rc, status = 0, ds[8], nd = 0;
    int *mx, *my;
    rnn_rng mr;
    size_t per;

    if ((rc = lab_options("vanishing", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, NULL)) != LAB_GO) return rc;
    if ((n = lab_cell_list("--cells", c.cells, cells, bias, MAX_KINDS)) < 0) return 2;
    for (i = 0; i < n; i++) {   /* "lstm:1" and "LSTM, forget bias 1"; "tanh" and "simple RNN" */
        int lstm = cells[i] == RNN_LSTM || cells[i] == RNN_PEEPHOLE;
        if (lstm) snprintf(names[i], sizeof names[i], "%s:%g", lab_cell_name(cells[i]), bias[i]);
        else snprintf(names[i], sizeof names[i], "%s", lab_cell_name(cells[i]));
        if (lstm) snprintf(labels[i], sizeof labels[i], "%s, forget bias %g", lab_cell_label(cells[i]), bias[i]);
        else snprintf(labels[i], sizeof labels[i], "%s", lab_cell_label(cells[i]));
        label_ptr[i] = labels[i];
    }
    for (i = 0; i < LAB_COUNT(want); i++) if (want[i] < c.T - 1) ds[nd++] = want[i];
    ds[nd++] = c.T - 1;                 /* h<1>: the state that has just read the key */

    if (c.w_scale != 1) snprintf(w_note, sizeof w_note, "; W_hh x %g at initialisation", c.w_scale);
    printf("The vanishing gradient (decks D0, D2, D4), measured.\n"
           "Task: %d steps; step 1 shows a key (1 of %d symbols), steps 2..%d show random\n"
           "distractors (%d symbols); at the last step the network names the key (chance %.3f).\n"
           "Hidden %d, Adam lr %g, clip %g, batch %d, %d updates; seeds %d..%d%s.\n"
           "g(d) = |dL/dh<T-d>| / |dL/dh<T>|: the share of the gradient at the loss that reaches\n"
           "the state d steps earlier (geometric mean over %d sequences x %d seeds).\n\n",
           c.T, c.symbols, c.T, c.distractors, 1.0 / c.symbols, c.hidden, c.lr, c.clip, c.batch,
           c.steps, c.seed, c.seed + c.seeds - 1, w_note, c.measure * c.batch, c.seeds);
    fflush(stdout);

    /* the measurement sequences: the same for every cell and seed */
    per = (size_t)c.T * c.batch;
    mx = (int *)malloc(sizeof(int) * per * c.measure);
    my = (int *)malloc(sizeof(int) * per * c.measure);
    if (!mx || !my) { fprintf(stderr, "vanishing: out of memory\n"); return 1; }
    rnn_rng_seed(&mr, 0x76616e6973680000u + (uint64_t)c.seed);
    for (i = 0; i < c.measure; i++) make_batch(&c, &mr, mx + i * per, my + i * per);

    memset(cv, 0, sizeof cv);
    n_seq = (double)c.measure * c.batch * c.seeds;
    for (i = 0; i < n; i++) {
        rnn_status st = RNN_ERR_NOMEM;
        for (s = 0; s < 2; s++) {
            cv[i][s].logg = (double *)calloc((size_t)c.T + 1, sizeof(double));
            cv[i][s].logc = (double *)calloc((size_t)c.T + 1, sizeof(double));
        }
        if (cv[i][0].logg && cv[i][0].logc && cv[i][1].logg && cv[i][1].logc)
            st = run_cell(&c, cells[i], bias[i], names[i], mx, my, &cv[i][0], &cv[i][1]);
        if (st == RNN_ERR_NAN) return 1;   /* diverged: said why */
        if (st != RNN_OK) { fprintf(stderr, "vanishing: %s: %s\n", names[i], rnn_status_string(st)); return 1; }
        for (s = 0; s < 2; s++) {   /* sums into means */
            for (d = 0; d <= c.T; d++) { cv[i][s].logg[d] /= n_seq; cv[i][s].logc[d] /= n_seq; }
            cv[i][s].logn0 /= n_seq; cv[i][s].acc /= n_seq;
            cv[i][s].inside[0] /= n_seq * c.T * c.hidden;
            for (d = 1; d < 4; d++) cv[i][s].inside[d] /= n_seq * c.hidden;
            curves[i][s] = cv[i][s].logg;
        }
    }
    print_tables(&c, names, cells, n, cv, ds, nd);
    if (!c.lab.no_images && lab_picture_vanishing(lab_images_dir(&c.lab), c.png, c.T, n, label_ptr, curves,
                                                   c.steps, c.measure * c.batch, c.seeds, c.w_scale)) status = 1;
    printf("\ntime: %.1f s CPU\n", lab_cpu_seconds());
    for (i = 0; i < n; i++) for (s = 0; s < 2; s++) { free(cv[i][s].logg); free(cv[i][s].logc); }
    free(mx); free(my);
    return status;
}
