/* The checks of the exercise "lstm_backward": my_lstm_backward against
   rnn_lstm_backward and against finite differences of
   L = sum dh * h<t> + sum dc * c<t>. */
#include "grader.h"

typedef struct { int B, H, fd, no_dc, zero; const char *what; } bcase;

static const char *const hint =
    "dct = dc + dh * o * (1 - tanh(c)^2); da_o = dh * tanh(c) * o(1-o);\n"
    "  da_i = dct * g * i(1-i); da_f = dct * c_prev * f(1-f); da_g = dct * i * (1 - g^2);\n"
    "  dgx = dgh = [da_i, da_f, da_g, da_o];\n"
    "  dc_prev += dct * f; dh_prev[k] += sum_q da[q] W_hh[q][k] over the 4H rows.\n"
    "  Usual mistakes: io->dc (what step t+1 sent along the cell) left out of dct; the\n"
    "  (1 - tanh(c)^2) factor left out; the gates written in the order i, f, o, g;\n"
    "  dc_prev without the factor f.";

enum { RIGHT, NO_DC, NO_DTANH_C, ORDER_IFOG, DCPREV_NO_F, N_WAYS };
static const char *const diagnosis[N_WAYS] = {
    "",
    "diagnosis: io->dc is missing: dL/dc<t> = io->dc (from step t+1, along the cell) plus\n"
    "  dh * o * (1 - tanh(c)^2) (through h<t>). The cell's path is what carries gradients far.",
    "diagnosis: the factor (1 - tanh(c)^2) is missing: h = o * tanh(c), so the part of\n"
    "  dL/dc through h is dh * o * tanh'(c).",
    "diagnosis: the gradients were written in the order i, f, o, g; dgx keeps the forward's\n"
    "  order i, f, g, o (g in columns [2H,3H), o in [3H,4H)).",
    "diagnosis: dc_prev got dct without the factor f: c = f * c_prev + ..., so\n"
    "  dc_prev += dct * f."};

/* the backward written out; da (B,4H) =, dhp and dcp += */
static void lstm_back(double *da, double *dhp, double *dcp, const rnn_cell_io *io, int how)
{
    int B = io->B, H = io->H, b, j, k, q;
    for (b = 0; b < B; b++) {
        const double *i = io->cache + (size_t)b * 4 * H, *f = i + H, *g = f + H, *o = g + H;
        double *d = da + (size_t)b * 4 * H;
        for (j = 0; j < H; j++) {
            double c = io->c[b * H + j], tc = tanh(c), dh = io->dh[b * H + j];
            double dct = (how == NO_DC ? 0 : io->dc[b * H + j]) + dh * o[j] * (how == NO_DTANH_C ? 1 : 1 - tc * tc);
            d[j] = dct * g[j] * i[j] * (1 - i[j]);
            d[H + j] = dct * io->c_prev[b * H + j] * f[j] * (1 - f[j]);
            d[(how == ORDER_IFOG ? 3 : 2) * H + j] = dct * i[j] * (1 - g[j] * g[j]);
            d[(how == ORDER_IFOG ? 2 : 3) * H + j] = dh * tc * o[j] * (1 - o[j]);
            dcp[b * H + j] += how == DCPREV_NO_F ? dct : dct * f[j];
        }
        for (k = 0; k < H; k++)
            for (q = 0; q < 4 * H; q++) dhp[b * H + k] += d[q] * io->W_hh[q * H + k];
    }
}

typedef struct { rnn_cell_io io; double *dc; } fdctx;
static double step_loss(void *p)
{
    fdctx *s = (fdctx *)p;
    size_t i, n = (size_t)s->io.B * s->io.H;
    double L = 0;
    rnn_lstm_forward(&s->io);
    for (i = 0; i < n; i++) L += s->io.dh[i] * s->io.h[i] + s->dc[i] * s->io.c[i];
    return L;
}

static int check(const void *arg)
{
    const bcase *k = (const bcase *)arg;
    int B = k->B, H = k->H, how;
    size_t n = (size_t)B * H;
    rnn_cell_io io, mine, ref;
    double *dhp0, *dcp0, *wx = ex_new(4 * n), *wg = ex_new(4 * n), *whp, *wcp;
    ex_tensor tx = ex_tg("dgx", B, 4 * H, "i f g o", H), tg = ex_tg("dgh", B, 4 * H, "i f g o", H);
    ex_tensor tp = ex_t("dh_prev", B, H), tc = ex_t("dc_prev", B, H);
    rnn_rng r;
    rnn_rng_seed(&r, (uint64_t)(100 * B + 10 * H + k->fd + 2 * k->no_dc));
    memset(&io, 0, sizeof io);
    io.cell = RNN_LSTM; io.B = B; io.H = H;
    io.gx = ex_new_rand(4 * n, 1, &r);
    io.h_prev = k->zero ? ex_new(n) : ex_new_rand(n, 0.9, &r);
    io.c_prev = k->zero ? ex_new(n) : ex_new_rand(n, 1.5, &r);
    io.W_hh = ex_new_rand((size_t)4 * H * H, 0.8, &r);
    io.b_hh = ex_new_rand((size_t)4 * H, 0.5, &r);
    io.h = ex_new(n); io.c = ex_new(n); io.cache = ex_new(4 * n);
    rnn_lstm_forward(&io);
    io.dh = ex_new_rand(n, 1, &r);
    io.dc = k->no_dc ? ex_new(n) : ex_new_rand(n, 1, &r);
    dhp0 = ex_new_rand(n, 1, &r); dcp0 = ex_new_rand(n, 1, &r);
    mine = io;
    mine.dgx = ex_out(4 * n); mine.dgh = ex_out(4 * n);
    mine.dh_prev = ex_out_copy(dhp0, n); mine.dc_prev = ex_out_copy(dcp0, n);
    my_lstm_backward(&mine);
    if (!ex_fenced(&tx, mine.dgx) || !ex_fenced(&tg, mine.dgh) || !ex_fenced(&tp, mine.dh_prev) ||
        !ex_fenced(&tc, mine.dc_prev)) return 0;
    whp = ex_copy(dhp0, n); wcp = ex_copy(dcp0, n);
    ref = io; ref.dgx = wx; ref.dgh = wg; ref.dh_prev = whp; ref.dc_prev = wcp;
    rnn_lstm_backward(&ref);
    if (k->fd) {
        fdctx s;
        double *fd = ex_new(4 * n);
        size_t i;
        s.io = io; s.dc = (double *)io.dc;
        s.io.gx = ex_copy(io.gx, 4 * n); s.io.h_prev = ex_copy(io.h_prev, n); s.io.c_prev = ex_copy(io.c_prev, n);
        s.io.h = ex_new(n); s.io.c = ex_new(n); s.io.cache = ex_new(4 * n);
        ex_fd(wx, (double *)s.io.gx, 4 * n, step_loss, &s);
        ex_fd(fd, (double *)s.io.h_prev, n, step_loss, &s);
        for (i = 0; i < n; i++) whp[i] = dhp0[i] + fd[i];
        ex_fd(fd, (double *)s.io.c_prev, n, step_loss, &s);
        for (i = 0; i < n; i++) wcp[i] = dcp0[i] + fd[i];
        if (ex_same(&tx, mine.dgx, wx, 1e-6) && ex_added(&tp, mine.dh_prev, dhp0, whp, 1e-6) &&
            ex_added(&tc, mine.dc_prev, dcp0, wcp, 1e-6)) return 1;
        ex_say("  (expected: the derivatives of L = sum dh * h<t> + sum dc * c<t> by finite differences)\n");
    } else {
        if (ex_same(&tx, mine.dgx, wx, 1e-9) && ex_same(&tg, mine.dgh, wg, 1e-9) &&
            ex_added(&tp, mine.dh_prev, dhp0, whp, 1e-9) && ex_added(&tc, mine.dc_prev, dcp0, wcp, 1e-9))
            return 1;
        if (ex_match(mine.dgx, wx, 4 * n, 1e-9) && ex_unset(mine.dgh, 4 * n))
            ex_say("  dgx is right; dgh must hold the same numbers (the hidden side's gradient).\n");
    }
    if (!ex_unset(mine.dgx, 4 * n))
        for (how = NO_DC; how < N_WAYS; how++) {
            double *da = ex_new(4 * n), *hp = ex_copy(dhp0, n), *cp = ex_copy(dcp0, n);
            lstm_back(da, hp, cp, &io, how);
            if (ex_match(da, wx, 4 * n, 1e-9) && ex_match(cp, wcp, n, 1e-9)) continue; /* the same here */
            if (ex_match(mine.dgx, da, 4 * n, 1e-9) && ex_match(mine.dc_prev, cp, n, 1e-9))
                ex_say("%s\n", diagnosis[how]);
        }
    ex_hint(hint);
    return 0;
}

int main(int argc, char **argv)
{
    static const bcase cases[] = {
        {3, 4, 0, 0, 0, "B=3 H=4: dgx, dgh, dh_prev, dc_prev against rnn_lstm_backward"},
        {2, 3, 1, 0, 0, "against finite differences of L = sum dh * h + sum dc * c"},
        {2, 3, 0, 1, 0, "the last step (io->dc = 0), B=2 H=3"},
        {1, 1, 0, 0, 0, "B=1 H=1"},
        {2, 5, 0, 0, 1, "zero state h<t-1> = c<t-1> = 0, B=2 H=5"},
        {4, 2, 0, 0, 0, "B=4 H=2"}};
    int i;
    ex_begin(argc, argv, "lstm_backward", "one step of the LSTM, backward");
    for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) ex_check(cases[i].what, check, &cases[i]);
    return ex_end();
}
