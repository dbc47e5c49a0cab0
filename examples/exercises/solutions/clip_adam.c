/* A solution of the exercise "clip_adam". The MISTAKE_ macros turn it into
   a typical wrong answer (tests/test_exercises.sh). */
#include "../exercises.h"
#include <math.h>

void my_clip_by_value(rnn_model *m, rnn_real v)
{
    int i;
    for (i = 0; i < m->n_params; i++) {
        if (m->grads[i] > v) m->grads[i] = v;
#ifndef MISTAKE_ONE_SIDE
        else if (m->grads[i] < -v) m->grads[i] = -v;
#endif
    }
}

rnn_real my_clip_norm(rnn_real *g, size_t n, rnn_real c)
{
    double s = 0;
    size_t i;
    for (i = 0; i < n; i++) s += g[i] * g[i];
    s = sqrt(s);
#ifdef MISTAKE_ALWAYS_SCALE
    if (s > 0)
#else
    if (s > c)
#endif
        for (i = 0; i < n; i++) g[i] *= c / s;
    return s;
}

rnn_real my_clip_by_global_norm(rnn_model *m, rnn_real c)
{
    return my_clip_norm(m->grads, (size_t)m->n_params, c);
}

void my_clip_by_tensor_norm(rnn_model *m, rnn_real c)
{
    int k;
    for (k = 0; k < m->n_tensors; k++)
        my_clip_norm(m->tensors[k].grad, (size_t)m->tensors[k].rows * m->tensors[k].cols, c);
}

void my_optim_step(rnn_optim *o, rnn_real *params, const rnn_real *grads)
{
    double b1 = o->desc.beta1, b2 = o->desc.beta2, lr = o->desc.lr, eps = o->desc.eps;
    double c1, c2;
    int i;
    o->step++;
    c1 = 1 - pow(b1, (double)o->step);
    c2 = 1 - pow(b2, (double)o->step);
#ifdef MISTAKE_NO_CORRECTION
    c1 = c2 = 1;
#endif
    for (i = 0; i < o->n; i++) {
        double g = grads[i];
        o->m1[i] = b1 * o->m1[i] + (1 - b1) * g;
        o->m2[i] = b2 * o->m2[i] + (1 - b2) * g * g;
#ifdef MISTAKE_EPS_INSIDE
        params[i] -= lr * (o->m1[i] / c1) / sqrt(o->m2[i] / c2 + eps);
#else
        params[i] -= lr * (o->m1[i] / c1) / (sqrt(o->m2[i] / c2) + eps);
#endif
    }
}
