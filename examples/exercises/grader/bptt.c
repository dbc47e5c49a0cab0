/* The checks of the exercise "bptt": the loop over T steps and (truncated)
   BPTT against a loop over rnn.h's per-step functions, and against finite
   differences of L = sum_t dh_out(t) . h<t> (for truncated BPTT: with the
   state at every cut held fixed, which is what truncation differentiates). */
#include "grader.h"

enum { FORWARD, BPTT, BPTT_FD };
typedef struct { int kind, T, B, X, H, K, zero; const char *what; } lcase;

static const char *const hint_forward =
    "[rnn.state] for t = 1..T: gx = x<t> W_ih^T + b_ih (x<t> is row t-1 of x), then\n"
    "  h<t> = tanh(gx + W_hh h<t-1> + b_hh) into row t of h; row 0 is h<0>, given.\n"
    "  Usual mistakes: x<t> taken from row t (one step late); h<t-1> and h<t> rows\n"
    "  swapped; b_ih left out of gx; row 0 overwritten.";
static const char *const hint_bptt =
    "[bptt.dh] dh<t> = dh_out(t) + W^T da(t+1), da(t) = (1 - h<t>^2) * dh<t>, t = T down to 1;\n"
    "  dh<0> = W^T da(1). Sums over t: dW_hh += da(t)^T h<t-1>, dW_ih += da(t)^T x<t>,\n"
    "  db_hh and db_ih += sum_b da(t). Truncated: step jK+1 sends nothing back to h<jK>.\n"
    "  Usual mistakes: no term sent back (that is not through time); h<t> for h<t-1> in\n"
    "  dW_hh; the loop run forwards; the cut in the wrong place, or no cut.";

typedef struct {
    int T, B, X, H, K;
    double *x, *W_ih, *b_ih, *W_hh, *b_hh, *h, *dh_out, *hfix, *work;
} seq;

/* the forward pass with rnn.h's cell; with fix != NULL, a step that starts
   a chunk of K reads its h<t-1> from fix (held constant) instead */
static void forward(seq *s, double *h, const double *fix)
{
    int T = s->T, B = s->B, X = s->X, H = s->H, t, b, j;
    size_t BH = (size_t)B * H;
    rnn_cell_io io;
    memset(&io, 0, sizeof io);
    io.cell = RNN_TANH; io.B = B; io.H = H; io.W_hh = s->W_hh; io.b_hh = s->b_hh; io.gx = s->work;
    for (t = 1; t <= T; t++) {
        rnn_gemm(0, 1, B, H, X, s->x + (size_t)(t - 1) * B * X, X, s->W_ih, X, 0, s->work, H);
        for (b = 0; b < B; b++) for (j = 0; j < H; j++) s->work[b * H + j] += s->b_ih[j];
        io.h_prev = fix && t - 1 > 0 && (t - 1) % s->K == 0 ? fix + (t - 1) * BH : h + (t - 1) * BH;
        io.h = h + t * BH;
        rnn_simple_forward(&io);
    }
}

static double seq_loss(void *p)
{
    seq *s = (seq *)p;
    size_t i, n = (size_t)s->T * s->B * s->H;
    double L = 0;
    forward(s, s->h, s->hfix);
    for (i = 0; i < n; i++) L += s->dh_out[i] * s->h[s->B * s->H + i];
    return L;
}

/* BPTT by rnn.h's per-step functions, or a known mistake */
enum { RIGHT, NO_TIME, H_FOR_H_PREV, NO_CUT, CUT_LATE };
static void bptt(seq *s, double *dh, double *dWih, double *dbih, double *dWhh, double *dbhh, int how)
{
    int T = s->T, B = s->B, X = s->X, H = s->H, K = how == NO_CUT ? T + 1 : how == NO_TIME ? 1 : s->K, t, b, j;
    size_t BH = (size_t)B * H;
    double *dgx = ex_new(BH), *lost = ex_new(BH);
    rnn_cell_io io;
    memset(&io, 0, sizeof io);
    io.cell = RNN_TANH; io.B = B; io.H = H; io.W_hh = s->W_hh; io.dgx = dgx; io.dgh = dgx;
    memset(dh, 0, sizeof(double) * BH);
    memcpy(dh + BH, s->dh_out, sizeof(double) * BH * T);
    for (t = T; t >= 1; t--) {
        int cut = how == CUT_LATE ? t % K == 0 && t < T : t - 1 > 0 && (t - 1) % K == 0;
        io.dh = dh + t * BH; io.h = s->h + t * BH; io.h_prev = s->h + (t - 1) * BH;
        io.dh_prev = cut ? lost : dh + (t - 1) * BH;
        if (how == NO_TIME && t == 1) io.dh_prev = lost;
        rnn_simple_backward(&io);
        if (how == H_FOR_H_PREV) io.h_prev = s->h + t * BH;
        rnn_cell_weight_grads(&io, dWhh, dbhh);
        rnn_gemm(1, 0, H, X, B, dgx, H, s->x + (size_t)(t - 1) * B * X, X, 1, dWih, X);
        for (b = 0; b < B; b++) for (j = 0; j < H; j++) dbih[j] += dgx[b * H + j];
    }
}

static void make(seq *s, const lcase *c, rnn_rng *r)
{
    size_t BH = (size_t)c->B * c->H;
    s->T = c->T; s->B = c->B; s->X = c->X; s->H = c->H; s->K = c->K;
    s->x = ex_new_rand((size_t)c->T * c->B * c->X, 1, r);
    s->W_ih = ex_new_rand((size_t)c->H * c->X, 0.8, r); s->b_ih = ex_new_rand((size_t)c->H, 0.4, r);
    s->W_hh = ex_new_rand((size_t)c->H * c->H, 0.8, r); s->b_hh = ex_new_rand((size_t)c->H, 0.4, r);
    s->h = ex_new((c->T + 1) * BH);
    if (!c->zero) ex_rand(s->h, BH, 0.9, r);
    s->dh_out = ex_new_rand((size_t)c->T * BH, 1, r);
    s->hfix = NULL; s->work = ex_new(BH);
    forward(s, s->h, NULL);
}

static int check_forward(const lcase *c, rnn_rng *r)
{
    seq s;
    size_t BH = (size_t)c->B * c->H, n = (c->T + 1) * BH;
    double *h;
    ex_tensor th = ex_t("h", (c->T + 1) * c->B, c->H);
    th.steps_B = c->B;
    make(&s, c, r);
    h = ex_out(n);
    memcpy(h, s.h, sizeof(double) * BH); /* row 0: the initial state */
    my_rnn_forward_loop(h, s.x, s.W_ih, s.b_ih, s.W_hh, s.b_hh, c->T, c->B, c->X, c->H);
    if (!ex_fenced(&th, h)) return 0;
    if (ex_unset(h + BH, n - BH)) {
        ex_say("h rows 1..T were not written (is the TODO still empty?).\n");
        ex_hint(hint_forward);
        return 0;
    }
    if (ex_same(&th, h, s.h, 1e-9)) return 1;
    if (!ex_match(h, s.h, BH, 0)) ex_say("  row 0 (h<0>, the initial state) was changed: it is an input.\n");
    ex_hint(hint_forward);
    return 0;
}

static int check_bptt(const lcase *c, rnn_rng *r)
{
    seq s;
    int T = c->T, B = c->B, X = c->X, H = c->H, how, i;
    size_t BH = (size_t)B * H, nh = (size_t)(T + 1) * BH, nih = (size_t)H * X, nhh = (size_t)H * H;
    double *dh, *dWih, *dbih, *dWhh, *dbhh, *w[5], *g0[5];
    size_t sz[5];
    ex_tensor t[5];
    int ok = 1;
    make(&s, c, r);
    sz[0] = nh; sz[1] = nih; sz[2] = (size_t)H; sz[3] = nhh; sz[4] = (size_t)H;
    t[0] = ex_t("dh", (T + 1) * B, H); t[0].steps_B = B;
    t[1] = ex_t("dW_ih", H, X); t[2] = ex_t("db_ih", 1, H); t[3] = ex_t("dW_hh", H, H); t[4] = ex_t("db_hh", 1, H);
    for (i = 1; i < 5; i++) g0[i] = ex_new_rand(sz[i], 1, r); /* the gradients already hold something */
    dh = ex_out(nh); dWih = ex_out_copy(g0[1], nih); dbih = ex_out_copy(g0[2], (size_t)H);
    dWhh = ex_out_copy(g0[3], nhh); dbhh = ex_out_copy(g0[4], (size_t)H);
    my_bptt(dh, dWih, dbih, dWhh, dbhh, s.dh_out, s.h, s.x, s.W_hh, T, B, X, H, c->K);
    if (!ex_fenced(&t[0], dh) || !ex_fenced(&t[1], dWih) || !ex_fenced(&t[2], dbih) ||
        !ex_fenced(&t[3], dWhh) || !ex_fenced(&t[4], dbhh)) return 0;
    for (i = 0; i < 5; i++) w[i] = i ? ex_copy(g0[i], sz[i]) : ex_new(nh);
    if (c->kind == BPTT_FD) { /* the weights and dL/dh<0> by finite differences */
        double *fd = ex_new(nhh > nih ? nhh : nih);
        double *par[5];
        size_t k;
        par[0] = s.h; par[1] = s.W_ih; par[2] = s.b_ih; par[3] = s.W_hh; par[4] = s.b_hh;
        s.hfix = ex_copy(s.h, nh);
        bptt(&s, w[0], ex_new(nih), ex_new((size_t)H), ex_new(nhh), ex_new((size_t)H), RIGHT); /* dh rows */
        for (i = 0; i < 5; i++) {
            ex_fd(fd, par[i], i ? sz[i] : BH, seq_loss, &s);
            if (i == 0) for (k = 0; k < BH; k++) w[0][k] = fd[k];
            else for (k = 0; k < sz[i]; k++) w[i][k] += fd[k];
        }
        seq_loss(&s);
        for (i = 0; i < 5 && ok; i++) ok = i ? ex_added(&t[i], i == 1 ? dWih : i == 2 ? dbih : i == 3 ? dWhh : dbhh,
                                                         g0[i], w[i], 1e-6)
                                          : ex_same(&t[0], dh, w[0], 1e-6);
        if (ok) return 1;
        ex_say("  (expected: the derivatives of L = sum_t dh_out(t) . h<t> by finite differences%s)\n",
               c->K < T ? ",\n  with h<t> held fixed at each cut" : "");
        ex_hint(hint_bptt);
        return 0;
    }
    bptt(&s, w[0], w[1], w[2], w[3], w[4], RIGHT);
    if (ex_unset(dh, nh) && ex_match(dWhh, g0[3], nhh, 0)) {
        ex_say("dh was not written and nothing was added to dW_hh (is the TODO still empty?).\n");
        ex_hint(hint_bptt);
        return 0;
    }
    ok = ex_same(&t[0], dh, w[0], 1e-9) && ex_added(&t[1], dWih, g0[1], w[1], 1e-9) &&
         ex_added(&t[2], dbih, g0[2], w[2], 1e-9) && ex_added(&t[3], dWhh, g0[3], w[3], 1e-9) &&
         ex_added(&t[4], dbhh, g0[4], w[4], 1e-9);
    if (ok) return 1;
    for (how = NO_TIME; how <= CUT_LATE; how++) {
        double *a[5];
        for (i = 0; i < 5; i++) a[i] = i ? ex_copy(g0[i], sz[i]) : ex_new(nh);
        bptt(&s, a[0], a[1], a[2], a[3], a[4], how);
        if (ex_match(a[3], w[3], nhh, 1e-9) && ex_match(a[0], w[0], nh, 1e-9)) continue; /* not a different answer here */
        if (ex_match(dh, a[0], nh, 1e-9) && ex_match(dWhh, a[3], nhh, 1e-9) && ex_match(dWih, a[1], nih, 1e-9))
            ex_say(how == NO_TIME ? "diagnosis: no gradient flows back through time: each step must add\n"
                                    "  W^T da(t) into dh<t-1> (the first term of [bptt.dh]).\n"
                   : how == H_FOR_H_PREV ? "diagnosis: dW_hh used h<t> where [bptt.dW] has h<t-1>: da(t)^T h<t-1>.\n"
                   : how == NO_CUT ? "diagnosis: this is plain BPTT: with truncation the gradient of step jK+1\n"
                                     "  must not reach h<jK> (the state is carried, the gradient is not).\n"
                                   : "diagnosis: the cut is one step off: chunks are steps 1..K, K+1..2K, ...;\n"
                                     "  step K+1 (not step K) sends nothing back to h<K>.\n");
    }
    ex_hint(hint_bptt);
    return 0;
}

static int check(const void *arg)
{
    const lcase *c = (const lcase *)arg;
    rnn_rng r;
    rnn_rng_seed(&r, (uint64_t)(1000 * c->kind + 100 * c->T + 10 * c->B + c->K));
    return c->kind == FORWARD ? check_forward(c, &r) : check_bptt(c, &r);
}

int main(int argc, char **argv)
{
    static const lcase cases[] = {
        {FORWARD, 5, 2, 3, 4, 99, 0, "my_rnn_forward_loop: T=5 B=2 X=3 H=4 against rnn_simple_forward step by step"},
        {FORWARD, 1, 1, 1, 1, 99, 0, "my_rnn_forward_loop: T=1 B=1 X=1 H=1"},
        {BPTT, 4, 2, 3, 4, 99, 0, "my_bptt: T=4 B=2 X=3 H=4, dh and the weight gradients"},
        {BPTT_FD, 4, 2, 2, 3, 99, 0, "my_bptt: against finite differences"},
        {BPTT, 1, 1, 2, 1, 99, 0, "my_bptt: T=1 B=1 H=1"},
        {BPTT, 6, 3, 2, 3, 99, 1, "my_bptt: zero initial state, T=6 B=3"},
        {BPTT, 6, 2, 3, 3, 2, 0, "my_bptt: truncated, chunks of K=2 steps, T=6"},
        {BPTT_FD, 7, 2, 2, 3, 3, 0, "my_bptt: truncated (K=3, T=7) against finite differences"}};
    int i;
    ex_begin(argc, argv, "bptt", "the loop over T steps, BPTT and truncated BPTT [bptt.*] [tbptt]");
    for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) ex_check(cases[i].what, check, &cases[i]);
    return ex_end();
}
