/* The checks of the exercise "losses": my_softmax_ce, my_sigmoid_bce and
   my_linear_mse against rnn.h's, and d_o against finite differences. */
#include "grader.h"

enum { SOFTMAX, SIGMOID, MSE };
enum { COMPARE, FINITE, LARGE, NO_TARGET };
typedef struct { int kind, mode, n, V; double big; } lcase;

static const char hint_ce[] =
    "[loss.ce] y = softmax(o): y_k = e^{o_k - max} / sum_j e^{o_j - max};\n"
    "  loss += -log y_t (the sum over rows, not times scale); d_o = scale * (y - onehot(t)).\n"
    "  Usual mistakes: no max subtracted (e^800 overflows), scale left out, the sign\n"
    "  of y - onehot, a row with target -1 given a loss or a non-zero d_o.";
static const char hint_bce[] =
    "[loss.bce] y = sigma(o); loss += -t log y - (1-t) log(1-y), written as\n"
    "  max(a,0) - a t + log(1 + e^{-|a|}) so that it stays finite; d_o = scale * (y - t).\n"
    "  Usual mistakes: log(1 - y) with y rounded to 1, scale left out.";
static const char hint_mse[] =
    "[loss.mse] y = o; loss += (1/2) (o - t)^2; d_o = scale * (o - t).\n"
    "  Usual mistakes: the 1/2 left out, scale left out, t - o instead of o - t.";
static const char *const hints[] = {hint_ce, hint_bce, hint_mse};

static double call(int mine, int kind, double *y, double *d_o, const double *o, const int *ti,
                   const double *td, int n, int V, double scale)
{
    switch (kind) {
    case SOFTMAX: return mine ? my_softmax_ce(y, d_o, o, ti, n, V, scale) : rnn_softmax_ce(y, d_o, o, ti, n, V, scale);
    case SIGMOID: return mine ? my_sigmoid_bce(y, d_o, o, td, n, V, scale) : rnn_sigmoid_bce(y, d_o, o, td, n, V, scale);
    default: return mine ? my_linear_mse(y, d_o, o, td, n, V, scale) : rnn_linear_mse(y, d_o, o, td, n, V, scale);
    }
}

/* the reference loss as a function of o, for finite differences */
typedef struct { int kind, n, V; double *o, *y, *d; const int *ti; const double *td; } fdctx;
static double fd_loss(void *p)
{
    fdctx *c = (fdctx *)p;
    return call(0, c->kind, c->y, c->d, c->o, c->ti, c->td, c->n, c->V, 1);
}

static int check(const void *arg)
{
    const lcase *c = (const lcase *)arg;
    int n = c->n, V = c->V, i, ok = 1;
    size_t N = (size_t)n * V;
    double scale = 1.0 / n, loss, want_loss;
    double *o, *y, *d_o, *ry = ex_new(N), *rd = ex_new(N), *td = ex_new(N);
    int *ti = (int *)malloc(sizeof(int) * (size_t)n);
    const int *tip;
    const double *tdp;
    ex_tensor ty = ex_t("y", n, V), tg = ex_t("d_o", n, V);
    rnn_rng r;
    rnn_rng_seed(&r, (uint64_t)(100 * c->kind + 10 * c->mode + n));
    o = ex_new_rand(N, c->big, &r);
    if (c->mode == LARGE) /* magnitudes between big - 10 and big, either sign */
        for (i = 0; i < (int)N; i++) o[i] = (o[i] < 0 ? -1 : 1) * (c->big - 10 * rnn_rng_uniform(&r));
    for (i = 0; i < n; i++) ti[i] = (int)(rnn_rng_next(&r) % (uint64_t)V);
    for (i = 0; i < (int)N; i++) td[i] = c->kind == SIGMOID ? (double)(rnn_rng_next(&r) % 2) : 2 * rnn_rng_uniform(&r) - 1;
    if (c->mode == NO_TARGET && c->kind == SOFTMAX) ti[n - 1] = -1; /* a row with no loss */
    tip = c->mode == NO_TARGET && c->kind != SOFTMAX ? NULL : ti;
    tdp = c->mode == NO_TARGET ? NULL : td;
    y = ex_out(N); d_o = ex_out(N);
    loss = call(1, c->kind, y, d_o, o, tip, tdp, n, V, scale);
    if (!ex_fenced(&ty, y) || !ex_fenced(&tg, d_o)) return 0;
    want_loss = call(0, c->kind, ry, rd, o, tip, tdp, n, V, scale);

    if (c->mode == FINITE) { /* d_o against scale * dL/do of rnn.h's loss */
        fdctx f;
        double *fd = ex_new(N);
        f.kind = c->kind; f.n = n; f.V = V; f.o = o; f.y = ex_new(N); f.d = ex_new(N); f.ti = tip; f.td = tdp;
        ex_fd(fd, o, N, fd_loss, &f);
        for (i = 0; i < (int)N; i++) fd[i] *= scale;
        if (!ex_same(&tg, d_o, fd, 1e-6)) {
            ex_say("  (expected: scale times the derivative of the loss, by finite differences)\n");
            ok = 0;
        }
    } else {
        if (!ex_same(&ty, y, ry, 1e-9)) ok = 0;
        else if (!ex_same(&tg, d_o, rd, 1e-9)) ok = 0;
        else if (!ex_close(loss, want_loss, 1e-9)) {
            ex_say("the loss: got %.9g, expected %.9g.\n", loss, want_loss);
            ok = 0;
        }
    }
    if (ok) return 1;
    if (!ex_unset(y, N) && !ex_unset(d_o, N)) { /* which known mistake is it? */
        double *alt = ex_new(N);
        for (i = 0; i < (int)N; i++) alt[i] = rd[i] / scale;
        if (c->mode != FINITE && !ex_match(d_o, rd, N, 1e-9) && ex_match(d_o, alt, N, 1e-9))
            ex_say("diagnosis: d_o is the gradient without the factor scale: multiply by scale\n"
                   "  (the model passes 1/B, the mean over the batch).\n");
        for (i = 0; i < (int)N; i++) alt[i] = -rd[i];
        if (ex_match(d_o, alt, N, 1e-9) && !ex_match(d_o, rd, N, 1e-9))
            ex_say("diagnosis: d_o has the wrong sign: it is y - target, not target - y.\n");
        if (c->kind == SOFTMAX && c->mode == LARGE) {
            int bad = !(loss == loss && fabs(loss) < 1e300);
            for (i = 0; i < (int)N; i++) if (!(y[i] == y[i])) bad = 1;
            if (bad) ex_say("diagnosis: with logits near 800, e^o overflowed (inf, then inf/inf = NaN).\n"
                            "  Subtract the max of the row before exp: softmax(o) = softmax(o - max).\n");
        }
        if (c->kind == SIGMOID && c->mode == LARGE && !(loss == loss && fabs(loss) < 1e300))
            ex_say("diagnosis: with logits of +-50 your loss is %g: y rounded to 0 or 1 and\n"
                   "  log(0) = -inf. Write the loss with the logit: max(a,0) - a t + log(1 + e^{-|a|}).\n", loss);
        if (c->kind == MSE && ex_close(loss, 2 * want_loss, 1e-9) && want_loss != 0)
            ex_say("diagnosis: your loss is twice rnn.h's: the 1/2 of [loss.mse] is missing\n"
                   "  (with it, the derivative of (1/2)(o - t)^2 is just o - t).\n");
        if (c->mode != FINITE && ex_close(loss, scale * want_loss, 1e-9) && want_loss != 0 && scale != 1)
            ex_say("diagnosis: your loss is rnn.h's times scale: return the plain sum over the rows\n"
                   "  (the model multiplies by scale itself).\n");
        if (c->kind == SOFTMAX && c->mode == NO_TARGET && !ex_match(d_o + (size_t)(n - 1) * V, rd + (size_t)(n - 1) * V, (size_t)V, 1e-9))
            ex_say("diagnosis: the last row has target -1 (no loss there): its d_o row must be 0\n"
                   "  and it adds nothing to the loss.\n");
        if (c->kind != SOFTMAX && c->mode == NO_TARGET)
            ex_say("  (this check passes target = NULL: compute y only, d_o = 0, return 0)\n");
    }
    ex_hint(hints[c->kind]);
    return 0;
}

int main(int argc, char **argv)
{
    static const lcase cases[] = {
        {SOFTMAX, COMPARE, 3, 5, 2}, {SOFTMAX, FINITE, 2, 4, 2}, {SOFTMAX, LARGE, 2, 3, 800},
        {SOFTMAX, NO_TARGET, 3, 4, 2}, {SOFTMAX, COMPARE, 1, 1, 1},
        {SIGMOID, COMPARE, 3, 2, 3}, {SIGMOID, FINITE, 2, 3, 2}, {SIGMOID, LARGE, 2, 3, 50},
        {SIGMOID, NO_TARGET, 2, 2, 2},
        {MSE, COMPARE, 4, 3, 2}, {MSE, FINITE, 2, 2, 2}, {MSE, COMPARE, 1, 1, 1}};
    static const char *const what[] = {
        "my_softmax_ce: n=3 V=5, y, d_o and the loss against rnn_softmax_ce",
        "my_softmax_ce: d_o is scale * dL/do (finite differences)",
        "my_softmax_ce: logits near +-800 (no overflow)",
        "my_softmax_ce: a row with target -1 has no loss",
        "my_softmax_ce: n=1 V=1",
        "my_sigmoid_bce: n=3 Y=2 against rnn_sigmoid_bce",
        "my_sigmoid_bce: d_o is scale * dL/do (finite differences)",
        "my_sigmoid_bce: logits near +-50 (no log(0))",
        "my_sigmoid_bce: target NULL: y only",
        "my_linear_mse: n=4 Y=3 against rnn_linear_mse",
        "my_linear_mse: d_o is scale * dL/do (finite differences)",
        "my_linear_mse: n=1 Y=1"};
    int i;
    ex_begin(argc, argv, "losses", "softmax + cross-entropy, sigmoid + binary cross-entropy, linear + squared error");
    for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) ex_check(what[i], check, &cases[i]);
    return ex_end();
}
