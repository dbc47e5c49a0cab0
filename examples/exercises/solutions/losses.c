/* A solution of the exercise "losses". The MISTAKE_ macros turn it into a
   typical wrong answer, which tests/test_exercises.sh grades to check that
   the grader recognises it and gives the right hint. */
#include "../exercises.h"
#include <math.h>

rnn_real my_softmax_ce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const int *target,
                       int n, int V, rnn_real scale)
{
    double loss = 0;
    int r, k;
    for (r = 0; r < n; r++) {
        const rnn_real *orow = o + (size_t)r * V;
        rnn_real *yrow = y + (size_t)r * V, *drow = d_o + (size_t)r * V;
        int t = target ? target[r] : -1;
        double mx = orow[0], s = 0;
        for (k = 1; k < V; k++) if (orow[k] > mx) mx = orow[k];
#ifdef MISTAKE_NO_MAX
        mx = 0;                       /* then e^o overflows for large logits */
#endif
        for (k = 0; k < V; k++) s += exp(orow[k] - mx);
        for (k = 0; k < V; k++) yrow[k] = exp(orow[k] - mx) / s;
        for (k = 0; k < V; k++) drow[k] = 0;
        if (t < 0) continue;
        loss += log(s) + mx - orow[t];                 /* -log y[t] */
        for (k = 0; k < V; k++) {
#ifdef MISTAKE_NO_SCALE
            drow[k] = yrow[k] - (k == t ? 1 : 0);
#else
            drow[k] = scale * (yrow[k] - (k == t ? 1 : 0));
#endif
        }
    }
    return (rnn_real)loss;
}

rnn_real my_sigmoid_bce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                        int n, int Y, rnn_real scale)
{
    double loss = 0;
    size_t i;
    for (i = 0; i < (size_t)n * Y; i++) {
        double a = o[i], t;
        y[i] = 1 / (1 + exp(-a));
        if (!target) { d_o[i] = 0; continue; }
        t = target[i];
#ifdef MISTAKE_BCE_NAIVE
        loss += -t * log(y[i]) - (1 - t) * log(1 - y[i]);
#else
        loss += (a > 0 ? a : 0) - a * t + log(1 + exp(-fabs(a)));
#endif
        d_o[i] = scale * (y[i] - t);
    }
    return (rnn_real)loss;
}

rnn_real my_linear_mse(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                       int n, int Y, rnn_real scale)
{
    double loss = 0;
    size_t i;
    for (i = 0; i < (size_t)n * Y; i++) {
        y[i] = o[i];
        if (!target) { d_o[i] = 0; continue; }
#ifdef MISTAKE_NO_HALF
        loss += (o[i] - target[i]) * (o[i] - target[i]);
#else
        loss += 0.5 * (o[i] - target[i]) * (o[i] - target[i]);
#endif
        d_o[i] = scale * (o[i] - target[i]);
    }
    return (rnn_real)loss;
}
