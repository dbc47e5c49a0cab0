/* anbn.c - the A^nB^n experiment of deck D0, slide "RNN: Problems": a simple
   RNN trained on short strings a^n b^n fails on longer ones; an LSTM counts.

   The slide: "Train: n hasta 11. Test: n hasta 18. Resultado: Calamitoso,
   20% accuracy ... Veremos un modelo que logra 100% accuracy con n = 1000".
   It comes from Gers & Schmidhuber, "LSTM recurrent networks learn simple
   context-free and context-sensitive languages", IEEE TNN 12(6), 2001; this
   program repeats their protocol with every cell of rnn.h:

     the stream    S a^n b^n, one symbol per step, one-hot (S, a, b);
     the targets   at every step the set of legal next symbols, one sigmoid
                   output per symbol (a, b, T) and binary cross-entropy;
     accepted      a string is accepted only if at every step every output,
                   thresholded at 0.5, equals its target. "Learned up to N":
                   every n <= N is accepted.

   For each cell and seed it trains on n = 1..11 (one random string per
   update, Adam), tests every n up to 1000, and prints the table the slide
   implies. Pictures (in --out, default build/): anbn_accept.png, accepted
   or rejected for every n, run by run; anbn_state.png, the cell state of
   the best LSTM along a long string: a counter. docs/guide/anbn.md shows
   and explains the results.

   Build and run (about 30 s on one core; --help lists the options):
       make build/anbn && ./build/anbn */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "lab.h"        /* options, outputs, cell names */
#include "lab_pictures.h"   /* pictures */

/* ---- the task ------------------------------------------------------------ */

enum { SYM_S, SYM_A, SYM_B, N_SYM };  /* the inputs: T ends a string and is never read */
enum { OUT_A, OUT_B, OUT_T, N_OUT };  /* the outputs: may the next symbol be a, b, T?  */

/* the input at step t of S a^n b^n (2n+1 steps: t = 0 reads S) */
static int symbol_at(int n, int t) { return t == 0 ? SYM_S : t <= n ? SYM_A : SYM_B; }

/* the target at step t: the set of symbols that may come next */
static void target_at(int n, int t, rnn_real *y)
{
    y[OUT_A] = (rnn_real)(t <= n);              /* after S or an a, another a may come */
    y[OUT_B] = (rnn_real)(t >= 1 && t < 2 * n); /* after an a, or the k-th b with k < n */
    y[OUT_T] = (rnn_real)(t == 2 * n);          /* after the n-th b, only the end */
}

/* Is every output of step t of string n right? y: that step's N_OUT outputs. */
static int step_right(const rnn_real *y, int n, int t)
{
    rnn_real want[N_OUT];
    int k;
    target_at(n, t, want);
    for (k = 0; k < N_OUT; k++)
        if ((y[k] > (rnn_real)0.5) != (want[k] > (rnn_real)0.5)) return 0;
    return 1;
}

/* Is string n accepted? y: the outputs of B strings, (T, B, N_OUT), T >= 2n+1;
   the string is row r. Every step must be right. */
static int accepted(const rnn_real *y, int B, int r, int n)
{
    int t;
    for (t = 0; t <= 2 * n; t++)
        if (!step_right(y + ((size_t)t * B + r) * N_OUT, n, t)) return 0;
    return 1;
}

/* Tests every n = 1..n_max: ok[n] = 1 if string n is accepted. Strings of
   neighbouring n share one forward pass as the rows of a batch; each row is
   read only up to its own end, and the padding after it (b's) changes
   nothing before it. The work is done by copies of the trained model: a
   model keeps buffers for the largest T and B it has seen, so one copy
   takes batches of 16 strings up to n = 1024 and another the longer strings
   one at a time. */
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
        if ((st = rnn_forward(e, &b, NULL)) != RNN_OK) break;   /* no targets: y only */
        for (r = 0; r < B; r++) ok[n0 + r] = (unsigned char)accepted(e->y, B, r, n0 + r);
        n0 += B;
    }
    rnn_model_free(&m[0]); rnn_model_free(&m[1]);
    free(x);
    return st;
}

/* ---- the options ----------------------------------------------------------- */

#define MAX_CELLS 16
typedef struct config {
    char cells[128];                      /* comma-separated cell names         */
    int seeds, seed, train_max, paper, test_max, hidden, steps;
    double lr, clip, forget_bias;
    int stop_at_fit, full, state_n;
    lab_common lab;                       /* --out, --images, --no-images, --quiet, --help */
} config;

#define LAB_OPTIONS_ANBN
#include "lab_options.h"   /* the option table: options, N_OPTIONS, intro (--help) */

/* ---- one run: train one cell from one seed, then test it ----------------- */

typedef struct run_result {
    int fit, test_ok, N;    /* fits 1..train_max; accepted of 12..18; every n <= N accepted */
    int steps;              /* updates done                                  */
    double loss;            /* mean loss per step, last 1000 updates         */
    double train_seconds, seconds; /* training; training and testing */
    unsigned char *ok;      /* ok[n], n = 1..test_max                        */
    rnn_model m;            /* the trained model (kept for the picture)      */
} run_result;

/* RNN_ERR_NAN: the run diverged (said already) */
static rnn_status train_and_test(const config *c, rnn_cell cell, uint64_t seed, run_result *res)
{
    rnn_model *m = &res->m;
    rnn_model_desc d = {0};
    rnn_optim opt;
    rnn_optim_desc od = {0};
    rnn_rng rng;
    rnn_status st;
    int step, t, n, recent = 0;
    int x[201];                  /* a string of n <= 100 (--train-max) */
    rnn_real y[201 * N_OUT], loss;
    double loss_sum = 0, t0 = lab_cpu_seconds();
    char what[48];

    d.cell = cell;
    d.input_size = N_SYM;       /* one-hot S, a, b ([onehot]: read as tokens) */
    d.hidden_size = c->hidden;
    d.output_size = N_OUT;
    d.output = RNN_SIGMOID;     /* [rnn.output] one sigmoid per symbol, [loss.bce] */
    d.seed = seed;
    if ((st = rnn_model_init(m, &d)) != RNN_OK) return st;
    if (cell == RNN_LSTM || cell == RNN_PEEPHOLE) rnn_model_set_forget_bias(m, (rnn_real)c->forget_bias);
    od.kind = RNN_ADAM;
    od.lr = (rnn_real)c->lr;
    if ((st = rnn_optim_init(&opt, &od, m->n_params)) != RNN_OK) return st;
    rnn_rng_seed(&rng, seed ^ 0x616e626eu);       /* the order of the strings */
    snprintf(what, sizeof what, "%s seed %d", lab_cell_name(cell), (int)seed);

    for (step = 1; step <= c->steps; step++) {
        rnn_batch b = {0};
        /* one training string, n uniform in 1..train_max (online learning:
           there is only one string of each length, so a batch of one) */
        n = 1 + (int)(rnn_rng_uniform(&rng) * c->train_max);
        for (t = 0; t <= 2 * n; t++) { x[t] = symbol_at(n, t); target_at(n, t, y + t * N_OUT); }
        b.T = 2 * n + 1; b.B = 1; b.x_tokens = x; b.y = y;
        rnn_reset_state(m);                       /* h<0> = c<0> = 0 */
        rnn_zero_grad(m);
        st = rnn_forward(m, &b, &loss);           /* [loss.sum] over the 2n+1 steps */
        /* a sound run may spike to 10 times chance (3 ln 2 per step) and recover: the bound is far above */
        if (lab_diverged(what, step, st, (double)loss / b.T, 1e4)) st = RNN_ERR_NAN;
        if (st != RNN_OK) break;
        rnn_backward(m);                          /* [bptt.*] through the whole string */
        rnn_clip_by_global_norm(m, (rnn_real)c->clip);     /* [clip.norm] */
        rnn_optim_step(&opt, m->params, m->grads);
        if (step > c->steps - 1000) { loss_sum += (double)loss / b.T; recent++; }
        if (c->stop_at_fit && step % 100 == 0) { /* does it accept every training string? */
            if ((st = test_strings(m, c->train_max, res->ok)) != RNN_OK) break;
            for (n = 1; n <= c->train_max && res->ok[n]; n++) {}
            if (n > c->train_max) { loss_sum = (double)loss / b.T; recent = 1; break; }
        }
    }
    rnn_optim_free(&opt);
    res->steps = step > c->steps ? c->steps : step;
    res->train_seconds = lab_cpu_seconds() - t0;
    res->loss = recent ? loss_sum / recent : 0;
    if (st == RNN_OK) st = test_strings(m, c->test_max, res->ok);   /* generalisation: every n */
    if (st == RNN_OK) {
        res->N = 0;
        while (res->N < c->test_max && res->ok[res->N + 1]) res->N++;
        res->fit = res->N >= c->train_max;
        for (n = 12; n <= 18; n++) res->test_ok += res->ok[n];   /* the deck's test */
    }
    res->seconds = lab_cpu_seconds() - t0;
    return st;
}

#define LAB_REPORT_ANBN
#include "lab_report.h"   /* print_table: the results, by cell */

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    config c = {"tanh,gru_simple,gru,lstm,peephole", .seeds = 10, .seed = 1, .train_max = 11, .test_max = 1000,
                .hidden = 3, .steps = 100000, .lr = 0.01, .clip = 1, .forget_bias = 1, .state_n = 500,
                .lab.out = LAB_DEFAULT_OUT};
    rnn_cell cells[MAX_CELLS];
    int n_cells, i, r, rc, status = 0, best = -1;
    run_result *res;
    unsigned char *ok;
    time_t wall0 = time(NULL);

    if ((rc = lab_options("anbn", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, NULL)) != LAB_GO) return rc;
    if (c.paper && lab_option_seen(options, N_OPTIONS, "--train-max") && c.train_max != 10) {
        fprintf(stderr, "anbn: --paper trains on n = 1..10, but --train-max says %d\n", c.train_max);
        return 2;
    }
    if (c.paper) c.train_max = 10;
    if (c.full && !lab_option_seen(options, N_OPTIONS, "--seeds")) c.seeds = 30;
    if (c.test_max < c.train_max) {
        fprintf(stderr, "anbn: --test-max (%d) must be at least --train-max (%d)\n", c.test_max, c.train_max);
        return 2;
    }
    if ((n_cells = lab_cell_list("--cells", c.cells, cells, NULL, MAX_CELLS)) < 0) return 2;

    printf("A^nB^n (deck D0; Gers & Schmidhuber 2001): strings S a^n b^n, one symbol per step.\n"
           "At every step the network predicts the set of legal next symbols (a, b, T), one\n"
           "sigmoid each; a string is accepted only if every output at every step is right.\n");
    printf("train: n = 1..%d, %d updates of one random string, Adam lr %g, clip %g, hidden %d%s\n"
           "test:  every n = 1..%d; seeds %d..%d for each cell\n\n",
           c.train_max, c.steps, c.lr, c.clip, c.hidden, c.stop_at_fit ? ", stop when fit" : "",
           c.test_max, c.seed, c.seed + c.seeds - 1);
    fflush(stdout);

    /* run r = (cell r / seeds, seed r % seeds); ok[r * (test_max + 1) + n]: string n accepted */
    res = (run_result *)calloc((size_t)n_cells * c.seeds, sizeof(run_result));
    ok = (unsigned char *)calloc((size_t)n_cells * c.seeds * (c.test_max + 1), 1);
    if (!res || !ok) { fprintf(stderr, "anbn: out of memory\n"); return 1; }
    for (r = 0; r < n_cells * c.seeds; r++) {
        rnn_cell cell = cells[r / c.seeds];
        int seed = c.seed + r % c.seeds;
        rnn_status st;
        res[r].ok = ok + (size_t)r * (c.test_max + 1);
        if ((st = train_and_test(&c, cell, (uint64_t)seed, &res[r])) == RNN_ERR_NAN) return 1;   /* diverged: said why */
        if (st != RNN_OK) { fprintf(stderr, "anbn: %s seed %d: %s\n", lab_cell_name(cell), seed, rnn_status_string(st)); return 1; }
        if (!c.lab.quiet)
            printf("%-10s seed %3d  fit %-3s  12..18 %d/7  N %6d  loss/step %.1e  %d updates %.0f/s  %.1f s\n",
                   lab_cell_name(cell), seed, res[r].fit ? "yes" : "no", res[r].test_ok, res[r].N, res[r].loss,
                   res[r].steps, res[r].steps / (res[r].train_seconds > 0 ? res[r].train_seconds : 1e-9), res[r].seconds);
        fflush(stdout);
        /* for the cell-state picture: the LSTM (or peephole LSTM) that learned the most, the later cell on a tie */
        if ((cell == RNN_LSTM || cell == RNN_PEEPHOLE) &&
            (best < 0 || res[r].N > res[best].N || (res[r].N == res[best].N && r / c.seeds != best / c.seeds))) best = r;
    }
    print_table(&c, cells, n_cells, res);

    if (best >= 0) { /* the counter inside the best LSTM */
        rnn_model *m = &res[best].m;
        int n = c.state_n, T = 2 * n + 1, t, j, H = c.hidden;
        int *x = (int *)malloc(sizeof(int) * (size_t)T);
        unsigned char *right = (unsigned char *)malloc((size_t)T);
        const rnn_real *cs;                       /* (T+1, H): row t+1 is the state after step t */
        rnn_batch b = {0};
        char title[128];
        if (!x || !right || rnn_reserve(m, T, 1) != RNN_OK) { fprintf(stderr, "anbn: out of memory\n"); return 1; }
        for (t = 0; t < T; t++) x[t] = symbol_at(n, t);
        b.T = T; b.B = 1; b.x_tokens = x;
        rnn_reset_state(m);
        rnn_forward(m, &b, NULL);
        cs = m->layers[0].c;
        printf("\nInside the %s of seed %d (N = %d), reading S a^%d b^%d: the cell state c of each unit\n"
               "  unit   after S   after the a's   after the b's   (string %s)\n",
               lab_cell_label(cells[best / c.seeds]), c.seed + best % c.seeds, res[best].N, n, n,
               accepted(m->y, 1, 0, n) ? "accepted" : "rejected");
        for (j = 0; j < H; j++)
            printf("  c%-4d %8.3f %15.3f %15.3f\n", j + 1, (double)cs[(size_t)1 * H + j],
                   (double)cs[(size_t)(n + 1) * H + j], (double)cs[(size_t)(2 * n + 1) * H + j]);
        snprintf(title, sizeof title, "cell state c of the %s (seed %d) along S a^%d b^%d",
                 lab_cell_label(cells[best / c.seeds]), c.seed + best % c.seeds, n, n);
        for (t = 0; t < T; t++) right[t] = (unsigned char)step_right(m->y + (size_t)t * N_OUT, n, t);
        if (!c.lab.no_images && lab_picture_anbn_state(lab_images_dir(&c.lab), title, cs, H, n, right)) status = 1;
        free(x); free(right);
    }
    if (!c.lab.no_images) {
        const char *labels[MAX_CELLS];
        for (i = 0; i < n_cells; i++) labels[i] = lab_cell_label(cells[i]);
        if (lab_picture_anbn_accept(lab_images_dir(&c.lab), n_cells, labels, c.seeds, ok, c.train_max, c.test_max)) status = 1;
    }
    printf("\ntime: %.0f s wall, %.1f s CPU\n", difftime(time(NULL), wall0), lab_cpu_seconds());
    for (r = 0; r < n_cells * c.seeds; r++) rnn_model_free(&res[r].m);
    free(res); free(ok);
    return status;
}
