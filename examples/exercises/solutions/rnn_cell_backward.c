/* A solution of the exercise "rnn_cell_backward". The MISTAKE_ macros turn
   it into a typical wrong answer (tests/test_exercises.sh). */
#include "../exercises.h"
#include <math.h>

void my_simple_backward(const rnn_cell_io *io)
{
    int B = io->B, H = io->H, b, j, k;
    for (b = 0; b < B; b++)
        for (j = 0; j < H; j++) {
            double h = io->h[b * H + j], d = io->dh[b * H + j];
#ifdef MISTAKE_NO_DTANH
            double da = d;                            /* the (1 - h^2) forgotten */
            (void)h;
#else
            double da = io->cell == RNN_RELU ? (h > 0 ? d : 0) : d * (1 - h * h);
#endif
            io->dgx[b * H + j] = io->dgh[b * H + j] = da;
        }
    for (b = 0; b < B; b++)
        for (k = 0; k < H; k++) {
            double s = 0;
            for (j = 0; j < H; j++) s += io->dgx[b * H + j] * io->W_hh[j * H + k];
#ifdef MISTAKE_OVERWRITE
            io->dh_prev[b * H + k] = s;
#else
            io->dh_prev[b * H + k] += s;
#endif
        }
}

void my_cell_weight_grads(const rnn_cell_io *io, rnn_real *dW_hh, rnn_real *db_hh)
{
    int B = io->B, H = io->H, GH = rnn_cell_gates(io->cell) * io->H, b, j, k;
    for (b = 0; b < B; b++)
        for (j = 0; j < GH; j++) {
            double d = io->dgh[b * GH + j];
            for (k = 0; k < H; k++)
#ifdef MISTAKE_H_FOR_H_PREV
                dW_hh[j * H + k] += d * io->h[b * H + k];  /* h<t> where h<t-1> belongs */
#else
                dW_hh[j * H + k] += d * io->h_prev[b * H + k];
#endif
            db_hh[j] += d;
        }
}
