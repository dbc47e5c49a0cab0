/* The checks of the exercise "rnn_cell_backward": my_simple_backward against
   rnn_simple_backward and finite differences, my_cell_weight_grads against
   rnn_cell_weight_grads and finite differences. */
#include "grader.h"

enum { BACKWARD, BACKWARD_FD, WEIGHTS, WEIGHTS_FD };
typedef struct { int kind, B, H; rnn_cell cell; const char *what; } bcase;

static const char *const hint_backward =
    "one step of BPTT (D3): da = diag(1 - h(t)^2) grad_h(t) L, i.e.\n"
    "  dgx[b][j] = dgh[b][j] = dh[b][j] * (1 - h[b][j]^2)   (ReLU: dh if h > 0, else 0);\n"
    "  dh_prev[b][k] += sum_j da[b][j] W_hh[j][k]   (W^T da: the term sent back to step t-1).\n"
    "  Usual mistakes: the (1 - h^2) factor left out; h<t-1> used where the derivative needs\n"
    "  h<t>; W_hh not transposed in dh_prev; dh_prev overwritten (=) instead of added to.";
static const char *const hint_weights =
    "[bptt.dW] dW_hh[j][k] += sum_b dgh[b][j] h_prev[b][k];  [bptt.db] db_hh[j] += sum_b dgh[b][j],\n"
    "  for j < G*H, G = rnn_cell_gates(io->cell).\n"
    "  Usual mistakes: h<t> (io->h) where the formula has h<t-1> (io->h_prev); the sum over\n"
    "  the B rows left out; = instead of +=; only H rows of W_hh for the LSTM's 4H.";

/* one step, its inputs random (the state and gates of a real step) */
typedef struct { rnn_cell_io io; double *gx, *h_prev, *W_hh, *b_hh, *h, *dh, *cache, *c; } step;
static void make_step(step *s, const bcase *k, rnn_rng *r)
{
    int B = k->B, H = k->H, G = rnn_cell_gates(k->cell);
    size_t n = (size_t)B * H;
    memset(s, 0, sizeof *s);
    s->gx = ex_new_rand(n * G, 1, r); s->h_prev = ex_new_rand(n, 0.9, r);
    s->W_hh = ex_new_rand((size_t)G * H * H, 0.7, r); s->b_hh = ex_new_rand((size_t)G * H, 0.5, r);
    s->h = ex_new(n); s->dh = ex_new_rand(n, 1, r);
    s->cache = ex_new(n * (size_t)rnn_cell_cache_width(k->cell) + 1); s->c = ex_new(n);
    s->io.cell = k->cell; s->io.B = B; s->io.H = H;
    s->io.W_hh = s->W_hh; s->io.b_hh = s->b_hh; s->io.gx = s->gx; s->io.h_prev = s->h_prev;
    s->io.c_prev = ex_new_rand(n, 0.9, r);
    s->io.h = s->h; s->io.c = s->c; s->io.cache = s->cache; s->io.dh = s->dh;
    s->io.dc = ex_new(n);
    if (k->cell == RNN_LSTM) rnn_lstm_forward(&s->io); else rnn_simple_forward(&s->io);
}

/* L = sum dh * h(t), a function of gx, h_prev, W_hh, b_hh (for finite differences) */
static double step_loss(void *p)
{
    step *s = (step *)p;
    size_t i, n = (size_t)s->io.B * s->io.H;
    double L = 0;
    if (s->io.cell == RNN_LSTM) rnn_lstm_forward(&s->io); else rnn_simple_forward(&s->io);
    for (i = 0; i < n; i++) L += s->dh[i] * s->h[i];
    return L;
}

static int check_backward(const bcase *k, rnn_rng *r)
{
    int B = k->B, H = k->H, b, j, q;
    size_t n = (size_t)B * H;
    step s;
    rnn_cell_io mine, ref;
    double *dhp0, *want_dgx = ex_new(n), *want_dgh = ex_new(n), *want_dhp;
    ex_tensor tx = ex_t("dgx", B, H), tg = ex_t("dgh", B, H), tp = ex_t("dh_prev", B, H);
    make_step(&s, k, r);
    dhp0 = ex_new_rand(n, 1, r); /* dh_prev already holds something: backward adds */
    mine = s.io;
    mine.dgx = ex_out(n); mine.dgh = ex_out(n); mine.dh_prev = ex_out_copy(dhp0, n);
    my_simple_backward(&mine);
    if (!ex_fenced(&tx, mine.dgx) || !ex_fenced(&tg, mine.dgh) || !ex_fenced(&tp, mine.dh_prev)) return 0;
    ref = s.io;
    ref.dgx = want_dgx; ref.dgh = want_dgh; ref.dh_prev = want_dhp = ex_copy(dhp0, n);
    rnn_simple_backward(&ref);
    if (k->kind == BACKWARD_FD) { /* the same gradients, by finite differences of L */
        double *fd = ex_new(n);
        ex_fd(fd, s.gx, n, step_loss, &s);
        memcpy(want_dgx, fd, sizeof(double) * n);
        ex_fd(fd, s.h_prev, n, step_loss, &s);
        for (j = 0; j < (int)n; j++) want_dhp[j] = dhp0[j] + fd[j];
        if (ex_same(&tx, mine.dgx, want_dgx, 1e-6) && ex_added(&tp, mine.dh_prev, dhp0, want_dhp, 1e-6)) return 1;
        ex_say("  (expected: the derivatives of L = sum dh * h(t) by finite differences)\n");
    } else {
        if (ex_same(&tx, mine.dgx, want_dgx, 1e-9) && ex_same(&tg, mine.dgh, want_dgh, 1e-9) &&
            ex_added(&tp, mine.dh_prev, dhp0, want_dhp, 1e-9))
            return 1;
        if (ex_match(mine.dgx, want_dgx, n, 1e-9) && ex_unset(mine.dgh, n))
            ex_say("  dgx is right; dgh must hold the same numbers (the hidden side's gradient).\n");
    }
    if (!ex_unset(mine.dgx, n)) { /* which known mistake? */
        double *alt = ex_new(n);
        for (q = 0; q < 2; q++) {
            for (b = 0; b < (int)n; b++) {
                double h = q ? s.h_prev[b] : 1e300;
                alt[b] = q ? s.dh[b] * (k->cell == RNN_RELU ? (h > 0) : 1 - h * h) : s.dh[b];
            }
            if (ex_match(mine.dgx, alt, n, 1e-9) && !ex_match(alt, want_dgx, n, 1e-9))
                ex_say(q ? "diagnosis: the derivative was taken at h<t-1> (io->h_prev): it is\n"
                           "  1 - h<t>^2, from io->h, the output of this step.\n"
                         : k->cell == RNN_RELU ? "diagnosis: dgx equals dh: ReLU's derivative is missing (dh where h > 0, else 0).\n"
                                               : "diagnosis: dgx equals dh: the (1 - h^2) factor (tanh') is missing.\n");
        }
        for (b = 0; b < B; b++) /* dh_prev with W_hh transposed */
            for (j = 0; j < H; j++) {
                double t = dhp0[b * H + j];
                for (q = 0; q < H; q++) t += want_dgx[b * H + q] * s.W_hh[j * H + q];
                alt[b * H + j] = t;
            }
        if (ex_match(mine.dh_prev, alt, n, 1e-9) && !ex_match(alt, want_dhp, n, 1e-9))
            ex_say("diagnosis: dh_prev used W_hh transposed: dh_prev[b][k] += sum_j da[b][j] W_hh[j][k]\n"
                   "  (W^T da: column k of W_hh, the weights out of unit k).\n");
    }
    ex_hint(hint_backward);
    return 0;
}

static int check_weights(const bcase *k, rnn_rng *r)
{
    int B = k->B, H = k->H, G = rnn_cell_gates(k->cell), b, j, q;
    size_t nW = (size_t)G * H * H, nb = (size_t)G * H;
    step s;
    double *W0, *b0, *dW, *db, *wW, *wb;
    ex_tensor tW = ex_tg("dW_hh", G * H, H, G == 4 ? "i f g o" : NULL, H), tb = ex_tg("db_hh", 1, G * H, G == 4 ? "i f g o" : NULL, H);
    if (G == 1) tW.gates = NULL;
    tW.gate_rows = 1;
    make_step(&s, k, r);
    s.io.dgh = ex_new_rand((size_t)B * G * H, 1, r); /* a gradient at the gates, as backward leaves it */
    W0 = ex_new_rand(nW, 1, r); b0 = ex_new_rand(nb, 1, r);
    dW = ex_out_copy(W0, nW); db = ex_out_copy(b0, nb);
    my_cell_weight_grads(&s.io, dW, db);
    if (!ex_fenced(&tW, dW) || !ex_fenced(&tb, db)) return 0;
    wW = ex_copy(W0, nW); wb = ex_copy(b0, nb);
    if (k->kind == WEIGHTS_FD) {
        /* dgh from rnn.h's backward of L = sum dh * h(t); then dW, db by finite differences */
        double *fd = ex_new(nW);
        rnn_cell_io io = s.io;
        io.dgx = ex_new((size_t)B * G * H); io.dgh = s.io.dgh; io.dh_prev = ex_new((size_t)B * H);
        io.dc_prev = ex_new((size_t)B * H);
        if (k->cell == RNN_LSTM) rnn_lstm_backward(&io); else rnn_simple_backward(&io);
        dW = ex_out_copy(W0, nW); db = ex_out_copy(b0, nb);
        my_cell_weight_grads(&io, dW, db);
        ex_fd(fd, s.W_hh, nW, step_loss, &s);
        for (j = 0; j < (int)nW; j++) wW[j] += fd[j];
        ex_fd(fd, s.b_hh, nb, step_loss, &s);
        for (j = 0; j < (int)nb; j++) wb[j] += fd[j];
        if (ex_added(&tW, dW, W0, wW, 1e-6) && ex_added(&tb, db, b0, wb, 1e-6)) return 1;
        ex_say("  (expected: the derivatives of L = sum dh * h(t) by finite differences)\n");
        ex_hint(hint_weights);
        return 0;
    }
    rnn_cell_weight_grads(&s.io, wW, wb);
    if (ex_added(&tW, dW, W0, wW, 1e-9) && ex_added(&tb, db, b0, wb, 1e-9)) return 1;
    {   /* h<t> for h<t-1>? */
        double *alt = ex_copy(W0, nW);
        for (b = 0; b < B; b++)
            for (j = 0; j < G * H; j++)
                for (q = 0; q < H; q++) alt[j * H + q] += s.io.dgh[b * G * H + j] * s.h[b * H + q];
        if (ex_match(dW, alt, nW, 1e-9))
            ex_say("diagnosis: dW_hh used h<t> (io->h); [bptt.dW] multiplies by h<t-1> (io->h_prev),\n"
                   "  the input that W_hh saw in this step.\n");
    }
    ex_hint(hint_weights);
    return 0;
}

static int check(const void *arg)
{
    const bcase *k = (const bcase *)arg;
    rnn_rng r;
    rnn_rng_seed(&r, (uint64_t)(1000 * k->kind + 100 * k->B + 10 * k->H + k->cell));
    return k->kind == BACKWARD || k->kind == BACKWARD_FD ? check_backward(k, &r) : check_weights(k, &r);
}

int main(int argc, char **argv)
{
    static const bcase cases[] = {
        {BACKWARD, 3, 4, RNN_TANH, "my_simple_backward: B=3 H=4, tanh: dgx, dgh, dh_prev against rnn_simple_backward"},
        {BACKWARD_FD, 2, 3, RNN_TANH, "my_simple_backward: dgx and dh_prev against finite differences"},
        {BACKWARD, 2, 5, RNN_RELU, "my_simple_backward: B=2 H=5, ReLU"},
        {BACKWARD, 1, 1, RNN_TANH, "my_simple_backward: B=1 H=1"},
        {WEIGHTS, 3, 4, RNN_TANH, "my_cell_weight_grads: B=3 H=4 against rnn_cell_weight_grads"},
        {WEIGHTS_FD, 2, 3, RNN_TANH, "my_cell_weight_grads: dW_hh and db_hh against finite differences"},
        {WEIGHTS, 2, 3, RNN_LSTM, "my_cell_weight_grads: an LSTM step (G = 4 gates)"},
        {WEIGHTS, 1, 1, RNN_TANH, "my_cell_weight_grads: B=1 H=1"}};
    int i;
    ex_begin(argc, argv, "rnn_cell_backward", "one step of backpropagation through time [bptt.*]");
    for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) ex_check(cases[i].what, check, &cases[i]);
    return ex_end();
}
