/* A solution of the exercise "lstm_forward". The MISTAKE_ macros turn it
   into a typical wrong answer (tests/test_exercises.sh). */
#include "../exercises.h"
#include <math.h>

static double sigmoid(double a) { return 1 / (1 + exp(-a)); }

void my_lstm_forward(const rnn_cell_io *io)
{
    int B = io->B, H = io->H, b, j, k, q;
    const rnn_real *p = io->p;
    int I = 0, F = H, G = 2 * H, O = 3 * H;   /* where each gate sits in gx, W_hh, b_hh */
#ifdef MISTAKE_GATE_ORDER
    G = 3 * H; O = 2 * H;                      /* read as i, f, o, g (deck D4's slide) */
#endif
    for (b = 0; b < B; b++) {
        const rnn_real *gx = io->gx + (size_t)b * 4 * H, *hp = io->h_prev + (size_t)b * H;
        const rnn_real *cp = io->c_prev + (size_t)b * H;
        rnn_real *i = io->cache + (size_t)b * 4 * H, *f = i + H, *g = f + H, *o = g + H;
        rnn_real *c = io->c + (size_t)b * H, *h = io->h + (size_t)b * H;
        double a[4];
        for (j = 0; j < H; j++) {
            int at[4];
            at[0] = I; at[1] = F; at[2] = G; at[3] = O;
            for (q = 0; q < 4; q++) {   /* the pre-activations: gx + W_h* h_prev + b_h* */
                a[q] = gx[at[q] + j] + io->b_hh[at[q] + j];
                for (k = 0; k < H; k++) a[q] += io->W_hh[(size_t)(at[q] + j) * H + k] * hp[k];
            }
            i[j] = sigmoid(a[0] + (p ? p[j] * cp[j] : 0));          /* [lstm.input]  (+ peephole) */
            f[j] = sigmoid(a[1] + (p ? p[H + j] * cp[j] : 0));      /* [lstm.forget] (+ peephole) */
#ifdef MISTAKE_SIGMOID_CANDIDATE
            g[j] = sigmoid(a[2]);                                    /* deck D3's sigma */
#else
            g[j] = tanh(a[2]);                                       /* [lstm.candidate] */
#endif
            c[j] = f[j] * cp[j] + i[j] * g[j];                       /* [lstm.cell] */
            o[j] = sigmoid(a[3] + (p ? p[2 * H + j] * c[j] : 0));   /* [lstm.output] (+ peephole on c<t>) */
            h[j] = o[j] * tanh(c[j]);                                /* [lstm.hidden] */
        }
    }
}
