/* A solution of the exercise "sampling". The MISTAKE_ macros turn it into
   a typical wrong answer (tests/test_exercises.sh). */
#include "../exercises.h"
#include <math.h>

int my_sample_logits(const rnn_real *o, int n, rnn_real temperature, rnn_rng *r)
{
    double mx = o[0], s = 0, u;
    int k;
    if (temperature <= 0) return rnn_argmax(o, n);
    for (k = 1; k < n; k++) if (o[k] > mx) mx = o[k];
#ifdef MISTAKE_TIMES_T
    temperature = 1 / temperature;                  /* o * T instead of o / T */
#endif
    for (k = 0; k < n; k++) s += exp((o[k] - mx) / temperature);
    u = rnn_rng_uniform(r) * s;
    for (k = 0; k < n; k++) {
        u -= exp((o[k] - mx) / temperature);
        if (u < 0) return k;
    }
    return n - 1; /* u rounded past the end */
}

rnn_status my_generate(rnn_model *m, int B, int T, const int *first,
                       int *out, rnn_real temperature, rnn_rng *r)
{
    int t, b, V = m->desc.output_size;
    for (t = 0; t < T; t++) {
#ifdef MISTAKE_FEED_FIRST
        rnn_status st = rnn_step(m, B, NULL, first);  /* the first token at every step */
#else
        rnn_status st = rnn_step(m, B, NULL, t == 0 ? first : out + (size_t)(t - 1) * B);
#endif
        if (st != RNN_OK) return st;
        for (b = 0; b < B; b++)
            out[(size_t)t * B + b] = my_sample_logits(m->o + (size_t)b * V, V, temperature, r);
    }
    return RNN_OK;
}

rnn_status my_next_input(int *x_next, rnn_feedback mode, const int *y,
                         const rnn_real *o, int B, int V, int start)
{
    int b;
    if ((int)mode < (int)RNN_TEACHER_FORCING || (int)mode > (int)RNN_NO_FEEDBACK || B < 1 || V < 1 || !x_next)
        return RNN_ERR_ARG;
    if ((mode == RNN_TEACHER_FORCING && !y) || (mode == RNN_FREE_RUNNING && !o)) return RNN_ERR_ARG;
    if (start < 0 || start >= V) return RNN_ERR_TOKEN;
    if (mode == RNN_TEACHER_FORCING)
        for (b = 0; b < B; b++) if (y[b] < -1 || y[b] >= V) return RNN_ERR_TOKEN;
    for (b = 0; b < B; b++) {
        if (mode == RNN_TEACHER_FORCING) {
#ifdef MISTAKE_KEEP_MINUS_ONE
            x_next[b] = y[b];                            /* -1 passed on as a token */
#else
            x_next[b] = y[b] < 0 ? start : y[b];
#endif
        } else if (mode == RNN_FREE_RUNNING) x_next[b] = rnn_argmax(o + (size_t)b * V, V);
        else x_next[b] = start;
    }
    return RNN_OK;
}
