/* The checks of the exercise "sampling": my_sample_logits by the frequencies
   of many draws against softmax(o / T); my_generate and my_next_input
   against rnn_generate and rnn_next_input. */
#include "grader.h"

enum { SAMPLE, GREEDY, SAMPLE_BIG, SAMPLE_ONE, GENERATE, GENERATE_ONE, GENERATE_T1, NEXT_TF, NEXT_FREE,
       NEXT_NONE, NEXT_ERRORS };
typedef struct { int kind; double T; const char *what; } scase;

static const char *const hint_sample =
    "[lm.sample] p_k = e^{(o_k - max)/T} / sum_j e^{(o_j - max)/T}; draw k with\n"
    "  probability p_k (u = rnn_rng_uniform(r) * sum, then subtract the terms until u < 0);\n"
    "  T <= 0: the argmax.\n"
    "  Usual mistakes: o * T instead of o / T; the temperature ignored; no max subtracted\n"
    "  (e^1000 overflows); an index outside 0..n-1 when u rounds past the end.";
static const char *const hint_generate =
    "for t = 0..T-1: rnn_step(m, B, NULL, t == 0 ? first : out + (t-1)*B); then\n"
    "  out[t*B + b] = sample of m->o + b*V for each b. Do not reset the state.\n"
    "  Usual mistakes: feeding first at every step (each step reads the step before's\n"
    "  output); resetting the state; out row t holding the input instead of the prediction.";
static const char *const hint_next =
    "[teacher-forcing] teacher forcing: x_next = y (a -1 gives start); free running:\n"
    "  x_next = argmax of the row of o; no feedback: x_next = start. Errors before any write:\n"
    "  RNN_ERR_ARG (bad mode, B < 1, V < 1, a NULL array the mode needs), RNN_ERR_TOKEN\n"
    "  (start outside 0..V-1, a target outside -1..V-1).";

static void softmax_T(double *p, const double *o, int n, double T)
{
    double mx = o[0], s = 0;
    int k;
    for (k = 1; k < n; k++) if (o[k] > mx) mx = o[k];
    for (k = 0; k < n; k++) s += p[k] = exp((o[k] - mx) / T);
    for (k = 0; k < n; k++) p[k] /= s;
}
static double dist(const double *a, const double *b, int n)
{
    double d = 0;
    int k;
    for (k = 0; k < n; k++) if (fabs(a[k] - b[k]) > d) d = fabs(a[k] - b[k]);
    return d;
}

static int check_sample(const scase *c)
{
    static const double base[5] = {2.0, 1.0, 0.2, -0.5, -1.5};
    double o[5], p[5], f[5] = {0, 0, 0, 0, 0}, alt[5];
    int n = 5, i, k, N = 20000;
    rnn_rng r;
    rnn_rng_seed(&r, 99);
    for (k = 0; k < n; k++) o[k] = c->kind == SAMPLE_BIG ? 1000 - 400 * k + (k == 1 ? 399 : 0) : base[(k + 2) % 5];
    if (c->kind == SAMPLE_ONE) n = 1;
    if (c->kind == GREEDY) { /* the argmax, on a few vectors */
        for (i = 0; i < 5; i++) {
            int got, want;
            for (k = 0; k < n; k++) o[k] = base[(k + i) % 5];
            got = my_sample_logits(o, n, 0, &r);
            want = rnn_argmax(o, n);
            if (got != want) {
                ex_say("temperature 0, logits (%.1f, %.1f, %.1f, %.1f, %.1f): got %d, expected %d,\n"
                       "  the argmax (temperature 0 means greedy: no sampling).\n", o[0], o[1], o[2], o[3], o[4], got, want);
                ex_hint(hint_sample);
                return 0;
            }
        }
        o[0] = 3;
        for (i = 0; i < 20; i++)
            if ((k = my_sample_logits(o, 1, 1, &r)) != 0) {
                ex_say("n = 1, temperature 1: got %d; with one logit the only answer is 0.\n", k);
                ex_hint(hint_sample);
                return 0;
            }
        return 1;
    }
    for (i = 0; i < N; i++) {
        k = my_sample_logits(o, n, c->T, &r);
        if (k < 0 || k >= n) {
            ex_say("draw %d returned %d, outside 0..%d.\n", i + 1, k, n - 1);
            if (c->kind == SAMPLE_BIG)
                ex_say("diagnosis: with logits near 1000, e^o overflows (inf, then inf/inf = NaN and no\n"
                       "  k is ever chosen): subtract the max before exp.\n");
            ex_hint(hint_sample);
            return 0;
        }
        f[k] += 1.0 / N;
    }
    softmax_T(p, o, n, c->T);
    if (dist(f, p, n) < 0.02) return 1;
    if (f[0] > 0.9999) {
        ex_say("all %d draws returned 0 (is the TODO still empty?); softmax(o / %g) is\n"
               "  (%.3f, %.3f, %.3f, %.3f, %.3f).\n", N, c->T, p[0], p[1], p[2], p[3], p[4]);
        ex_hint(hint_sample);
        return 0;
    }
    ex_say("over %d draws the frequencies are (%.3f, %.3f, %.3f, %.3f, %.3f);\n"
           "  softmax(o / %g) is (%.3f, %.3f, %.3f, %.3f, %.3f).\n", N, f[0], f[1], f[2], f[3], f[4], c->T,
           p[0], p[1], p[2], p[3], p[4]);
    if (c->T != 1) {
        softmax_T(alt, o, n, 1 / c->T);
        if (dist(f, alt, n) < 0.02) ex_say("diagnosis: that is softmax(o * T): divide the logits by the temperature.\n");
        softmax_T(alt, o, n, 1);
        if (dist(f, alt, n) < 0.02) ex_say("diagnosis: that is softmax(o): the temperature was ignored.\n");
    }
    for (k = 0; k < n; k++) alt[k] = 0;
    alt[rnn_argmax(o, n)] = 1;
    if (dist(f, alt, n) < 0.02) ex_say("diagnosis: always the argmax: sample (draw a random number), do not pick the largest.\n");
    ex_hint(hint_sample);
    return 0;
}

static void model(rnn_model *m)
{
    rnn_model_desc d;
    memset(&d, 0, sizeof d);
    d.cell = RNN_LSTM; d.input_size = 5; d.hidden_size = 6; d.output_size = 5; d.seed = 11;
    if (rnn_model_init(m, &d) != RNN_OK) exit(3);
}

/* greedy generation by hand, with a known mistake */
static void generate_wrong(rnn_model *m, int B, int T, const int *first, int *out, int feed_first)
{
    int t, b;
    for (t = 0; t < T; t++) {
        rnn_step(m, B, NULL, feed_first || t == 0 ? first : out + (t - 1) * B);
        for (b = 0; b < B; b++) out[t * B + b] = rnn_argmax(m->o + b * 5, 5);
    }
}

static int check_generate(const scase *c)
{
    int B = c->kind == GENERATE_ONE ? 1 : c->kind == GENERATE_T1 ? 3 : 2, T = c->kind == GENERATE_ONE ? 1 : 6;
    int first[3] = {1, 3, 4}, prompt[3] = {2, 0, 3}, mine[32], want[32], alt[32], i;
    rnn_model a, b, w;
    rnn_status st;
    rnn_rng r1, r2;
    model(&a); model(&b); model(&w);
    rnn_step(&a, B, NULL, prompt); rnn_step(&b, B, NULL, prompt); rnn_step(&w, B, NULL, prompt); /* a prompt was read */
    rnn_rng_seed(&r1, 5); rnn_rng_seed(&r2, 5);
    for (i = 0; i < 32; i++) mine[i] = -99;
    st = my_generate(&a, B, T, first, mine, c->kind == GENERATE_T1 ? 1 : 0, &r1);
    if (st != RNN_OK) { ex_say("my_generate returned %s, expected ok.\n", rnn_status_string(st)); ex_hint(hint_generate); return 0; }
    if (c->kind == GENERATE_T1) {
        for (i = 0; i < B * T; i++)
            if (mine[i] < 0 || mine[i] >= 5) {
                ex_say("out[t=%d][b=%d] = %d: %s.\n", i / B, i % B, mine[i], mine[i] == -99 ? "not written" : "outside 0..V-1");
                ex_hint(hint_generate);
                return 0;
            }
        if (a.T != 1 || a.B != B) { ex_say("the model did not step (use rnn_step).\n"); ex_hint(hint_generate); return 0; }
        return 1;
    }
    rnn_generate(&b, B, T, first, want, 0, &r2);
    for (i = 0; i < B * T; i++)
        if (mine[i] != want[i]) {
            ex_say("out[t=%d][b=%d]: got %d, expected %d (greedy, temperature 0).\n", i / B, i % B, mine[i], want[i]);
            if (mine[i] == -99) ex_say("  out was not written (is the TODO still empty?).\n");
            generate_wrong(&w, B, T, first, alt, 1);
            if (!memcmp(alt, mine, sizeof(int) * (size_t)(B * T)))
                ex_say("diagnosis: every step read first; step t > 0 reads what step t-1 produced\n"
                       "  (out row t-1): that is free running.\n");
            model(&w); rnn_reset_state(&w);
            rnn_generate(&w, B, T, first, alt, 0, &r2);
            if (!memcmp(alt, mine, sizeof(int) * (size_t)(B * T)))
                ex_say("diagnosis: the state was reset: generation continues from the model's state\n"
                       "  (here the state after a prompt).\n");
            ex_hint(hint_generate);
            return 0;
        }
    return 1;
}

static int check_next(const scase *c)
{
    int B = 4, V = 5, y[4] = {3, -1, 0, 4}, mine[4], want[4], b;
    double o[20];
    rnn_status s1, s2;
    rnn_feedback mode = c->kind == NEXT_TF ? RNN_TEACHER_FORCING : c->kind == NEXT_FREE ? RNN_FREE_RUNNING : RNN_NO_FEEDBACK;
    rnn_rng r;
    rnn_rng_seed(&r, 3);
    ex_rand(o, 20, 2, &r);
    if (c->kind == NEXT_ERRORS) {
        static const struct { int mode, B, V, start, ynull, onull, ybad; rnn_status want; const char *what; } e[] = {
            {7, 4, 5, 0, 0, 0, 0, RNN_ERR_ARG, "mode 7 (no such mode)"},
            {RNN_TEACHER_FORCING, 0, 5, 0, 0, 0, 0, RNN_ERR_ARG, "B = 0"},
            {RNN_NO_FEEDBACK, 4, 0, 0, 0, 0, 0, RNN_ERR_ARG, "V = 0"},
            {RNN_TEACHER_FORCING, 4, 5, 0, 1, 0, 0, RNN_ERR_ARG, "teacher forcing with y = NULL"},
            {RNN_FREE_RUNNING, 4, 5, 0, 0, 1, 0, RNN_ERR_ARG, "free running with o = NULL"},
            {RNN_NO_FEEDBACK, 4, 5, 5, 0, 0, 0, RNN_ERR_TOKEN, "start = V (outside 0..V-1)"},
            {RNN_TEACHER_FORCING, 4, 5, 0, 0, 0, 1, RNN_ERR_TOKEN, "a target of 5 with V = 5"}};
        int i;
        for (i = 0; i < (int)(sizeof e / sizeof e[0]); i++) {
            int yy[4] = {3, -1, 0, 4}, out[4] = {-7, -7, -7, -7};
            if (e[i].ybad) yy[2] = 5;
            s1 = my_next_input(out, (rnn_feedback)e[i].mode, e[i].ynull ? NULL : yy, e[i].onull ? NULL : o,
                               e[i].B, e[i].V, e[i].start);
            if (s1 != e[i].want) {
                ex_say("%s: returned %s (%d), expected %s.\n", e[i].what, rnn_status_string(s1), (int)s1,
                       rnn_status_string(e[i].want));
                ex_hint(hint_next);
                return 0;
            }
            for (b = 0; b < 4; b++)
                if (out[b] != -7) { ex_say("%s: x_next was written although the call failed.\n", e[i].what); ex_hint(hint_next); return 0; }
        }
        return 1;
    }
    for (b = 0; b < B; b++) mine[b] = -7;
    s1 = my_next_input(mine, mode, y, o, B, V, 2);
    s2 = rnn_next_input(want, mode, y, o, B, V, 2);
    if (s1 != s2) { ex_say("returned %s, expected %s.\n", rnn_status_string(s1), rnn_status_string(s2)); ex_hint(hint_next); return 0; }
    for (b = 0; b < B; b++)
        if (mine[b] != want[b]) {
            ex_say("x_next[%d]: got %d, expected %d.\n", b, mine[b], want[b]);
            if (mine[b] == -7) ex_say("  x_next was not written (is the TODO still empty?).\n");
            else if (mode == RNN_TEACHER_FORCING && y[b] == -1 && mine[b] == -1)
                ex_say("diagnosis: a target of -1 means \"no target at this step\": feed start instead.\n");
            else if (mode == RNN_TEACHER_FORCING)
                ex_say("  teacher forcing feeds the target y[b] (the desired output), not the model's own.\n");
            else if (mode == RNN_FREE_RUNNING)
                ex_say("  free running feeds the model's own prediction: argmax of o row b.\n");
            ex_hint(hint_next);
            return 0;
        }
    return 1;
}

static int check(const void *arg)
{
    const scase *c = (const scase *)arg;
    if (c->kind <= SAMPLE_ONE) return check_sample(c);
    if (c->kind <= GENERATE_T1) return check_generate(c);
    return check_next(c);
}

int main(int argc, char **argv)
{
    static const scase cases[] = {
        {SAMPLE, 1, "my_sample_logits: temperature 1, 20000 draws against softmax(o)"},
        {SAMPLE, 0.5, "my_sample_logits: temperature 0.5 (sharper)"},
        {SAMPLE, 2, "my_sample_logits: temperature 2 (flatter)"},
        {GREEDY, 0, "my_sample_logits: temperature 0 is the argmax; n = 1 gives 0"},
        {SAMPLE_BIG, 1, "my_sample_logits: logits near 1000 (no overflow)"},
        {GENERATE, 0, "my_generate: greedy, B=2 T=6, after a prompt, against rnn_generate"},
        {GENERATE_ONE, 0, "my_generate: B=1 T=1"},
        {GENERATE_T1, 1, "my_generate: temperature 1, B=3 T=6: tokens in range"},
        {NEXT_TF, 0, "my_next_input: teacher forcing (a target -1 gives start)"},
        {NEXT_FREE, 0, "my_next_input: free running"},
        {NEXT_NONE, 0, "my_next_input: no feedback"},
        {NEXT_ERRORS, 0, "my_next_input: bad arguments give a status and write nothing"}};
    int i;
    ex_begin(argc, argv, "sampling", "sampling with temperature, free running, teacher forcing [lm.sample] [teacher-forcing]");
    for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) ex_check(cases[i].what, check, &cases[i]);
    return ex_end();
}
