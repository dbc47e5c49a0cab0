/* A solution of the exercise "lstm_backward". The MISTAKE_ macros turn it
   into a typical wrong answer (tests/test_exercises.sh). */
#include "../exercises.h"
#include <math.h>

void my_lstm_backward(const rnn_cell_io *io)
{
    int B = io->B, H = io->H, b, j, k, q;
    for (b = 0; b < B; b++) {
        const rnn_real *i = io->cache + (size_t)b * 4 * H, *f = i + H, *g = f + H, *o = g + H;
        const rnn_real *c = io->c + (size_t)b * H, *cp = io->c_prev + (size_t)b * H;
        const rnn_real *dh = io->dh + (size_t)b * H, *dc = io->dc + (size_t)b * H;
        rnn_real *da = io->dgx + (size_t)b * 4 * H, *dcp = io->dc_prev + (size_t)b * H;
        for (j = 0; j < H; j++) {
            double tc = tanh(c[j]);
            double dao = dh[j] * tc * o[j] * (1 - o[j]);           /* h = o tanh(c) */
#if defined(MISTAKE_NO_DC)
            double dct = dh[j] * o[j] * (1 - tc * tc);              /* what came from step t+1 forgotten */
            (void)dc;
#elif defined(MISTAKE_NO_DTANH_C)
            double dct = dc[j] + dh[j] * o[j];                      /* tanh' of c forgotten */
#else
            double dct = dc[j] + dh[j] * o[j] * (1 - tc * tc);      /* all of dL/dc<t> */
#endif
            da[j] = dct * g[j] * i[j] * (1 - i[j]);                 /* c = f c_prev + i g */
            da[H + j] = dct * cp[j] * f[j] * (1 - f[j]);
            da[2 * H + j] = dct * i[j] * (1 - g[j] * g[j]);
            da[3 * H + j] = dao;
            dcp[j] += dct * f[j];
        }
        for (q = 0; q < 4 * H; q++) io->dgh[(size_t)b * 4 * H + q] = da[q];
        for (k = 0; k < H; k++) {
            double s = 0;
            for (q = 0; q < 4 * H; q++) s += da[q] * io->W_hh[(size_t)q * H + k];
            io->dh_prev[(size_t)b * H + k] += s;
        }
    }
}
