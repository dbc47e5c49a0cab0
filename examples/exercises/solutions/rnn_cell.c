/* A solution of the exercise "rnn_cell". The MISTAKE_ macros turn it into a
   typical wrong answer (tests/test_exercises.sh). */
#include "../exercises.h"
#include <math.h>

void my_simple_forward(const rnn_cell_io *io)
{
    int B = io->B, H = io->H, b, j, k;
    for (b = 0; b < B; b++)
        for (j = 0; j < H; j++) {
            double a = io->gx[b * H + j] + io->b_hh[j];
            for (k = 0; k < H; k++)
#ifdef MISTAKE_TRANSPOSED
                a += io->W_hh[k * H + j] * io->h_prev[b * H + k];   /* column j: W_hh^T */
#else
                a += io->W_hh[j * H + k] * io->h_prev[b * H + k];
#endif
#ifdef MISTAKE_NO_ACTIVATION
            io->h[b * H + j] = a;
#else
            io->h[b * H + j] = io->cell == RNN_RELU ? (a > 0 ? a : 0) : tanh(a);
#endif
        }
#ifdef MISTAKE_ENDLESS
    if (B == 1 && H == 1) { volatile int spin = 1; while (spin) {} } /* never returns */
#endif
#ifdef MISTAKE_SEGFAULT
    io->h[(size_t)1 << 40] = 0; /* far outside any array */
#endif
}
