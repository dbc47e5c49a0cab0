/* The checks of the exercise "clip_adam": each clipping and Adam against
   rnn.h's own on the same numbers. */
#include "grader.h"

enum { VALUE, NORM_ABOVE, NORM_BELOW, NORM_ZERO, NORM_ONE, GLOBAL, TENSOR, ADAM1, ADAM5 };

static const char *const hint_value =
    "[clip.value] g_i <- min(max(g_i, -v), v) for every i < m->n_params.\n"
    "  Usual mistakes: only the positive side clipped; every number set to +-v.";
static const char *const hint_norm =
    "[clip.norm] ||g|| = sqrt(sum_i g_i^2); only if ||g|| > c: g_i <- g_i * c / ||g||;\n"
    "  return ||g|| from before the clipping.\n"
    "  Usual mistakes: scaling when ||g|| <= c (that lengthens a short gradient);\n"
    "  returning the norm after clipping; dividing by ||g|| when it is 0.";
static const char *const hint_adam =
    "Adam: t = ++o->step; m1 = b1 m1 + (1-b1) g; m2 = b2 m2 + (1-b2) g^2;\n"
    "  params -= lr (m1 / (1 - b1^t)) / (sqrt(m2 / (1 - b2^t)) + eps).\n"
    "  Usual mistakes: no bias correction; t = 0 on the first step (then 1 - b^t = 0);\n"
    "  eps inside the square root; g instead of g^2 in m2.";

static rnn_model *model(rnn_rng *r)
{
    static rnn_model m;
    rnn_model_desc d;
    memset(&d, 0, sizeof d);
    d.cell = RNN_LSTM; d.input_size = 3; d.hidden_size = 4; d.output_size = 2;
    if (rnn_model_init(&m, &d) != RNN_OK) { ex_say("the grader could not build its model\n"); exit(3); }
    ex_rand(m.grads, (size_t)m.n_params, 1, r);
    return &m;
}

/* "m->grads[37] is in the tensor weight_hh_l0" */
static void which_tensor(const rnn_model *m, const double *got, const double *want)
{
    int i, k;
    for (i = 0; i < m->n_params; i++)
        if (!ex_close(got[i], want[i], 1e-9)) break;
    for (k = 0; k < m->n_tensors; k++) {
        const rnn_tensor *t = &m->tensors[k];
        long at = (long)(t->grad - m->grads), len = (long)t->rows * t->cols;
        if (i >= at && i < at + len) {
            ex_say("  (m->grads[%d] is number %ld of the tensor %s, %d x %d)\n", i, i - at, t->name, t->rows, t->cols);
            return;
        }
    }
}

/* Adam as the exercise writes it, with a known mistake or none */
enum { RIGHT, NO_CORRECTION, EPS_INSIDE, G_NOT_SQUARED };
static void adam(rnn_optim *o, double *p, const double *g, int how)
{
    double b1 = o->desc.beta1, b2 = o->desc.beta2, c1, c2;
    int i;
    o->step++;
    c1 = how == NO_CORRECTION ? 1 : 1 - pow(b1, (double)o->step);
    c2 = how == NO_CORRECTION ? 1 : 1 - pow(b2, (double)o->step);
    for (i = 0; i < o->n; i++) {
        o->m1[i] = b1 * o->m1[i] + (1 - b1) * g[i];
        o->m2[i] = b2 * o->m2[i] + (1 - b2) * (how == G_NOT_SQUARED ? g[i] : g[i] * g[i]);
        if (how == EPS_INSIDE) p[i] -= o->desc.lr * (o->m1[i] / c1) / sqrt(o->m2[i] / c2 + o->desc.eps);
        else p[i] -= o->desc.lr * (o->m1[i] / c1) / (sqrt(o->m2[i] / c2) + o->desc.eps);
    }
}

static int check_clip(int kind)
{
    rnn_rng r;
    rnn_model *m;
    double *want, *before;
    size_t n;
    rnn_rng_seed(&r, (uint64_t)(7 + kind));
    m = model(&r);
    n = (size_t)m->n_params;
    if (kind == VALUE) for (n = 0; n < (size_t)m->n_params; n++) m->grads[n] *= 2;
    n = (size_t)m->n_params;
    before = ex_copy(m->grads, n);
    want = ex_copy(m->grads, n);
    {
        ex_tensor t = ex_t("m->grads", 1, (int)n);
        rnn_model ref = *m;
        double norm = 0, want_norm = 0;
        int ok;
        ref.grads = want;
        if (kind == VALUE) { my_clip_by_value(m, 0.5); rnn_clip_by_value(&ref, 0.5); }
        else if (kind == GLOBAL) { norm = my_clip_by_global_norm(m, 1); want_norm = rnn_clip_by_global_norm(&ref, 1); }
        else {
            /* the tensors of ref point into m's block: move them to want */
            int k;
            for (k = 0; k < ref.n_tensors; k++) ref.tensors[k].grad = want + (m->tensors[k].grad - m->grads);
            my_clip_by_tensor_norm(m, 0.5); rnn_clip_by_tensor_norm(&ref, 0.5);
        }
        if (ex_match(m->grads, before, n, 1e-12) && !ex_match(want, before, n, 1e-12)) {
            ex_say("m->grads is unchanged: nothing was clipped (is the TODO still empty?).\n");
            ex_hint(kind == VALUE ? hint_value : hint_norm);
            return 0;
        }
        ok = ex_same(&t, m->grads, want, 1e-9);
        if (!ok) which_tensor(m, m->grads, want);
        if (ok && kind == GLOBAL && !ex_close(norm, want_norm, 1e-9)) {
            ex_say("the returned norm: got %.9g, expected %.9g (the norm before clipping).\n", norm, want_norm);
            ok = 0;
        }
        if (ok) return 1;
        if (kind == VALUE) {
            size_t i;
            double *alt = ex_copy(before, n);
            for (i = 0; i < n; i++) if (alt[i] > 0.5) alt[i] = 0.5;
            if (ex_match(m->grads, alt, n, 1e-12))
                ex_say("diagnosis: only the positive side was clipped: numbers below -v must become -v.\n");
            for (i = 0; i < n; i++) alt[i] = before[i] > 0 ? 0.5 : -0.5;
            if (ex_match(m->grads, alt, n, 1e-12))
                ex_say("diagnosis: every number became +-v: only those outside [-v, v] change.\n");
            ex_hint(hint_value);
            return 0;
        }
        {   /* global for per-tensor, or the other way round? */
            rnn_model other = ref;
            int k;
            double *alt = ex_copy(before, n);
            other.grads = alt;
            for (k = 0; k < other.n_tensors; k++) other.tensors[k].grad = alt + (m->tensors[k].grad - m->grads);
            if (kind == GLOBAL) rnn_clip_by_tensor_norm(&other, 1);
            else rnn_clip_by_global_norm(&other, 0.5);
            if (ex_match(m->grads, alt, n, 1e-9))
                ex_say(kind == GLOBAL ? "diagnosis: that is one norm per tensor; the global norm is one norm over\n"
                                        "  all m->n_params numbers of m->grads at once.\n"
                                      : "diagnosis: that is one norm over all of m->grads; here each tensor\n"
                                        "  m->tensors[k].grad is clipped by its own norm.\n");
        }
        ex_hint(hint_norm);
        return 0;
    }
}

static int check_norm(int kind)
{
    static const int sizes[] = {0, 10, 10, 6, 1};
    int n = sizes[kind], i;
    double c = kind == NORM_ABOVE ? 0.7 : kind == NORM_BELOW ? 100 : kind == NORM_ONE ? 0.25 : 1;
    double norm, want_norm, *g, *want;
    ex_tensor t = ex_t("g", 1, n);
    rnn_rng r;
    rnn_rng_seed(&r, (uint64_t)(20 + kind));
    want = ex_new_rand((size_t)n, 2, &r);
    if (kind == NORM_ZERO) for (i = 0; i < n; i++) want[i] = 0;
    g = ex_out_copy(want, (size_t)n);
    norm = my_clip_norm(g, (size_t)n, c);
    if (!ex_fenced(&t, g)) return 0;
    want_norm = rnn_clip_norm(want, (size_t)n, c);
    if (ex_same(&t, g, want, 1e-9) && ex_close(norm, want_norm, 1e-9)) {
        double v[2] = {3, 4};
        if (kind != NORM_ZERO) return 1;
        /* and then a gradient that is clipped: (3, 4) has norm 5 */
        norm = my_clip_norm(v, 2, 1);
        if (ex_close(v[0], 0.6, 1e-9) && ex_close(v[1], 0.8, 1e-9) && ex_close(norm, 5, 1e-9)) return 1;
        ex_say("g = (3, 4), c = 1: got g = (%.6g, %.6g) and the norm %.6g; expected (0.6, 0.8) and 5.\n",
               v[0], v[1], norm);
        ex_hint(hint_norm);
        return 0;
    }
    if (ex_close(norm, want_norm, 1e-9) || ex_match(g, want, (size_t)n, 1e-9)) {
        if (!ex_close(norm, want_norm, 1e-9))
            ex_say("the returned norm: got %.9g, expected %.9g.\n", norm, want_norm);
        if (ex_close(norm, c, 1e-9) && want_norm > c)
            ex_say("diagnosis: you returned the norm after clipping (= c); return ||g|| from before.\n");
    }
    if (kind == NORM_BELOW && !ex_match(g, want, (size_t)n, 1e-9))
        ex_say("diagnosis: ||g|| = %.4g is below c = %g, so g must stay as it is: clipping only\n"
               "  ever shortens a gradient.\n", want_norm, c);
    if (kind == NORM_ZERO && g[0] != g[0])
        ex_say("diagnosis: g = 0 has norm 0: dividing by it gives NaN. Clip only if ||g|| > c.\n");
    ex_hint(hint_norm);
    return 0;
}

static int check_adam(int kind)
{
    int steps = kind == ADAM1 ? 1 : 5, s, n;
    rnn_rng r;
    rnn_optim mine, ref;
    rnn_optim_desc d;
    double *p, *pr, *g;
    ex_tensor tp, t1, t2;
    rnn_rng_seed(&r, (uint64_t)(30 + kind));
    n = kind == ADAM1 ? 7 : 12;
    memset(&d, 0, sizeof d);
    d.kind = RNN_ADAM; d.lr = 0.01;
    if (kind == ADAM5) { d.eps = 1e-3; d.beta1 = 0.8; }
    if (rnn_optim_init(&mine, &d, n) != RNN_OK || rnn_optim_init(&ref, &d, n) != RNN_OK) exit(3);
    pr = ex_new_rand((size_t)n, 1, &r);
    p = ex_out_copy(pr, (size_t)n);
    g = ex_new((size_t)n);
    tp = ex_t("params", 1, n); t1 = ex_t("o->m1", 1, n); t2 = ex_t("o->m2", 1, n);
    for (s = 1; s <= steps; s++) {
        rnn_optim alt;
        double *pa;
        int how;
        ex_rand(g, (size_t)n, s == 3 ? 0.01 : 1, &r);
        pa = ex_copy(p, (size_t)n);
        alt = mine; /* the student's state before this step, for the diagnosis */
        alt.m1 = ex_copy(mine.m1, (size_t)n); alt.m2 = ex_copy(mine.m2, (size_t)n);
        my_optim_step(&mine, p, g);
        rnn_optim_step(&ref, pr, g);
        if (!ex_fenced(&tp, p)) return 0;
        if (mine.step != ref.step) {
            ex_say("after update %d, o->step is %ld, expected %ld: count every update in o->step\n"
                   "  (o->step++ first, so that t = 1 on the first update).\n", s, mine.step, ref.step);
            ex_hint(hint_adam);
            return 0;
        }
        if (ex_same(&t1, mine.m1, ref.m1, 1e-9) && ex_same(&t2, mine.m2, ref.m2, 1e-9) &&
            ex_same(&tp, p, pr, 1e-9))
            continue;
        ex_say("  (at update %d of %d)\n", s, steps);
        for (how = NO_CORRECTION; how <= G_NOT_SQUARED; how++) {
            rnn_optim a = alt;
            double *q = ex_copy(pa, (size_t)n);
            a.m1 = ex_copy(alt.m1, (size_t)n); a.m2 = ex_copy(alt.m2, (size_t)n);
            adam(&a, q, g, how);
            if (ex_match(p, q, (size_t)n, 1e-9) && ex_match(mine.m2, a.m2, (size_t)n, 1e-9))
                ex_say(how == NO_CORRECTION ? "diagnosis: these are the numbers without the bias corrections: divide m1 by\n"
                                              "  1 - beta1^t and m2 by 1 - beta2^t (the moments start at 0).\n"
                       : how == EPS_INSIDE ? "diagnosis: eps is inside the square root: sqrt(v^) + eps, not sqrt(v^ + eps).\n"
                                           : "diagnosis: m2 is the running mean of g^2, not of g.\n");
        }
        ex_hint(hint_adam);
        return 0;
    }
    return 1;
}

static int check(const void *arg)
{
    int kind = *(const int *)arg;
    if (kind == VALUE || kind == GLOBAL || kind == TENSOR) return check_clip(kind);
    if (kind == ADAM1 || kind == ADAM5) return check_adam(kind);
    return check_norm(kind);
}

int main(int argc, char **argv)
{
    static const int kinds[] = {VALUE, NORM_ABOVE, NORM_BELOW, NORM_ZERO, NORM_ONE, GLOBAL, TENSOR, ADAM1, ADAM5};
    static const char *const what[] = {
        "my_clip_by_value: v = 0.5 on an LSTM's gradients",
        "my_clip_norm: ||g|| above c: g shortened to length c",
        "my_clip_norm: ||g|| below c: g unchanged",
        "my_clip_norm: g = 0 (no 0/0), then g = (3, 4)",
        "my_clip_norm: n = 1",
        "my_clip_by_global_norm: one norm over all the gradients",
        "my_clip_by_tensor_norm: one norm per tensor",
        "my_optim_step: one Adam update from zero moments",
        "my_optim_step: five Adam updates (beta1 0.8, eps 1e-3)"};
    int i;
    ex_begin(argc, argv, "clip_adam", "gradient clipping and the Adam update");
    for (i = 0; i < (int)(sizeof kinds / sizeof kinds[0]); i++) ex_check(what[i], check, &kinds[i]);
    return ex_end();
}
