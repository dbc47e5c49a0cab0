/* A solution of the exercise "gru_forward". The MISTAKE_ macros turn it
   into a typical wrong answer (tests/test_exercises.sh). */
#include "../exercises.h"
#include <math.h>

static double sigmoid(double a) { return 1 / (1 + exp(-a)); }

/* sum_k W[j][k] v[k] for a block of H rows starting at row j0 */
static double dot(const rnn_real *W, int j, const rnn_real *v, int H)
{
    double s = 0;
    int k;
    for (k = 0; k < H; k++) s += W[(size_t)j * H + k] * v[k];
    return s;
}

void my_gru_forward(const rnn_cell_io *io)
{
    int B = io->B, H = io->H, b, j, k;
    int before = (io->flags & RNN_GRU_RESET_BEFORE) != 0, deck = (io->flags & RNN_GRU_UPDATE_DECK) != 0;
    int R = 0, Z = H; /* where r and z sit in gx, W_hh, b_hh */
#ifdef MISTAKE_GATE_ORDER
    R = H; Z = 0;     /* read as z, r, n */
#endif
#ifdef MISTAKE_OTHER_CONVENTION
    deck = !deck;     /* the decks' update convention for the default, and the other way */
#endif
    for (b = 0; b < B; b++) {
        const rnn_real *gx = io->gx + (size_t)b * 3 * H, *hp = io->h_prev + (size_t)b * H;
        rnn_real *r = io->cache + (size_t)b * 5 * H, *z = r + H, *n = z + H, *hn = n + H, *u = hn + H;
        for (j = 0; j < H; j++) {
            r[j] = sigmoid(gx[R + j] + dot(io->W_hh, R + j, hp, H) + io->b_hh[R + j]);   /* [gru.relevance] */
            z[j] = sigmoid(gx[Z + j] + dot(io->W_hh, Z + j, hp, H) + io->b_hh[Z + j]);   /* [gru.update] */
        }
        for (j = 0; j < H; j++) u[j] = before ? r[j] * hp[j] : hp[j];
        for (j = 0; j < H; j++) {
            hn[j] = io->b_hh[2 * H + j];
            for (k = 0; k < H; k++) hn[j] += io->W_hh[(size_t)(2 * H + j) * H + k] * u[k];
            n[j] = tanh(gx[2 * H + j] + (before ? hn[j] : r[j] * hn[j]));           /* [gru.candidate] */
        }
        for (j = 0; j < H; j++)                                                       /* [gru.state] */
            io->h[(size_t)b * H + j] = deck ? z[j] * n[j] + (1 - z[j]) * hp[j] : z[j] * hp[j] + (1 - z[j]) * n[j];
    }
}
