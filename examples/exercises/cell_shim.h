/* cell_shim.h - TEMPORARY: the per-step cell API of rnn.h (rnn_cell_io,
   rnn_cell_weight_grads, rnn_next_input), written on top of an rnn.h that
   does not have it yet. grade.sh and the Makefile use it only when rnn.h
   does not declare rnn_cell_io; once it does, this file is dead and goes.

   Include it after rnn.h. In one file, define RNN_CELL_SHIM_IMPLEMENTATION
   first (beside RNN_IMPLEMENTATION). Afterwards rnn_simple_forward and
   friends name the new one-struct functions. */
#ifndef RNN_CELL_SHIM_H
#define RNN_CELL_SHIM_H

typedef struct rnn_cell_io {
    rnn_cell cell;
    int flags;
    int B, H;
    const rnn_real *W_hh, *b_hh, *p;
    const rnn_real *gx, *h_prev, *c_prev, *h_rec;
    rnn_real *h, *c, *cache;
    const rnn_real *dh, *dc;
    rnn_real *dgx, *dgh;
    rnn_real *dh_prev, *dc_prev, *dh_rec, *dp;
} rnn_cell_io;

typedef enum rnn_feedback { RNN_TEACHER_FORCING = 0, RNN_FREE_RUNNING, RNN_NO_FEEDBACK } rnn_feedback;

void rnn_shim_simple_forward(const rnn_cell_io *io);
void rnn_shim_simple_backward(const rnn_cell_io *io);
void rnn_shim_gru_forward(const rnn_cell_io *io);
void rnn_shim_gru_backward(const rnn_cell_io *io);
void rnn_shim_lstm_forward(const rnn_cell_io *io);
void rnn_shim_lstm_backward(const rnn_cell_io *io);
void rnn_shim_cell_forward(const rnn_cell_io *io);
void rnn_shim_cell_backward(const rnn_cell_io *io);
void rnn_shim_cell_weight_grads(const rnn_cell_io *io, rnn_real *dW_hh, rnn_real *db_hh);
int rnn_shim_cell_cache_width(rnn_cell cell);
rnn_status rnn_shim_next_input(int *x_next, rnn_feedback mode, const int *y,
                               const rnn_real *o, int B, int V, int start);

#ifdef RNN_CELL_SHIM_IMPLEMENTATION
#include <stdlib.h>
#include <string.h>

static rnn_real *rnn_shim__scratch(size_t n)
{
    rnn_real *p = (rnn_real *)calloc(n ? n : 1, sizeof(rnn_real));
    if (!p) abort();
    return p;
}

void rnn_shim_simple_forward(const rnn_cell_io *io)
{
    rnn_simple_forward(io->h, io->gx, io->h_prev, io->W_hh, io->b_hh, io->cell == RNN_RELU, io->B, io->H);
}
void rnn_shim_simple_backward(const rnn_cell_io *io)
{
    rnn_real *db = rnn_shim__scratch((size_t)io->H);
    rnn_simple_backward(io->dgx, io->dh_prev, NULL, db, io->dh, io->h, io->h_prev, io->W_hh,
                        io->cell == RNN_RELU, io->B, io->H);
    if (io->dgh != io->dgx) memcpy(io->dgh, io->dgx, sizeof(rnn_real) * (size_t)io->B * io->H);
    free(db);
}

/* the old GRU cache row [r, z, n, e] <-> the new [r, z, n, hn, u] */
void rnn_shim_gru_forward(const rnn_cell_io *io)
{
    int B = io->B, H = io->H, b, j, before = (io->flags & RNN_GRU_RESET_BEFORE) != 0;
    rnn_real *old = rnn_shim__scratch((size_t)B * 4 * H);
    rnn_gru_forward(io->h, old, io->gx, io->h_prev, io->W_hh, io->b_hh, io->flags, B, H);
    for (b = 0; b < B; b++) {
        rnn_real *c = io->cache + (size_t)b * 5 * H;
        const rnn_real *o = old + (size_t)b * 4 * H, *hp = io->h_prev + (size_t)b * H;
        memcpy(c, o, sizeof(rnn_real) * 3 * (size_t)H);
        for (j = 0; j < H; j++) c[4 * H + j] = before ? o[j] * hp[j] : hp[j]; /* u */
        for (j = 0; j < H; j++) c[3 * H + j] = io->b_hh[2 * H + j];           /* hn = u W_hn^T + b_hn */
    }
    rnn_gemm(0, 1, B, H, H, io->cache + 4 * H, 5 * H, io->W_hh + (size_t)2 * H * H, H, 1, io->cache + 3 * H, 5 * H);
    free(old);
}
void rnn_shim_gru_backward(const rnn_cell_io *io)
{
    int B = io->B, H = io->H, b, j, before = (io->flags & RNN_GRU_RESET_BEFORE) != 0;
    rnn_real *old = rnn_shim__scratch((size_t)B * 4 * H), *work = rnn_shim__scratch((size_t)B * H);
    rnn_real *dW = rnn_shim__scratch((size_t)3 * H * H), *db = rnn_shim__scratch((size_t)3 * H);
    for (b = 0; b < B; b++) {
        const rnn_real *c = io->cache + (size_t)b * 5 * H;
        rnn_real *o = old + (size_t)b * 4 * H;
        memcpy(o, c, sizeof(rnn_real) * 3 * (size_t)H);
        memcpy(o + 3 * H, c + (before ? 4 : 3) * H, sizeof(rnn_real) * (size_t)H);
    }
    rnn_gru_backward(io->dgx, io->dh_prev, dW, db, work, io->dh, old, io->h_prev, io->W_hh, io->flags, B, H);
    for (b = 0; b < B; b++)
        for (j = 0; j < 3 * H; j++) {
            size_t k = (size_t)b * 3 * H + j;
            io->dgh[k] = io->dgx[k] * (j >= 2 * H && !before ? io->cache[(size_t)b * 5 * H + j - 2 * H] : 1);
        }
    free(old); free(work); free(dW); free(db);
}

void rnn_shim_lstm_forward(const rnn_cell_io *io)
{
    rnn_lstm_forward(io->h, io->c, io->cache, io->gx, io->h_prev, io->c_prev, io->W_hh, io->b_hh, io->p,
                     io->B, io->H);
}
void rnn_shim_lstm_backward(const rnn_cell_io *io)
{
    rnn_real *db = rnn_shim__scratch((size_t)4 * io->H);
    rnn_lstm_backward(io->dgx, io->dh_prev, io->dc_prev, NULL, db, io->dp, io->dh, io->dc, io->cache,
                      io->h_prev, io->c_prev, io->c, io->W_hh, io->p, io->B, io->H);
    if (io->dgh != io->dgx) memcpy(io->dgh, io->dgx, sizeof(rnn_real) * (size_t)io->B * 4 * io->H);
    free(db);
}

void rnn_shim_cell_forward(const rnn_cell_io *io)
{
    switch (io->cell) {
    case RNN_TANH: case RNN_RELU: rnn_shim_simple_forward(io); break;
    case RNN_GRU: rnn_shim_gru_forward(io); break;
    case RNN_LSTM: case RNN_PEEPHOLE: case RNN_CELL_DEFAULT: rnn_shim_lstm_forward(io); break;
    default: abort(); /* the simplified GRU: not needed here */
    }
}
void rnn_shim_cell_backward(const rnn_cell_io *io)
{
    switch (io->cell) {
    case RNN_TANH: case RNN_RELU: rnn_shim_simple_backward(io); break;
    case RNN_GRU: rnn_shim_gru_backward(io); break;
    case RNN_LSTM: case RNN_PEEPHOLE: case RNN_CELL_DEFAULT: rnn_shim_lstm_backward(io); break;
    default: abort();
    }
}

void rnn_shim_cell_weight_grads(const rnn_cell_io *io, rnn_real *dW_hh, rnn_real *db_hh)
{
    int B = io->B, H = io->H, G = rnn_cell_gates(io->cell), b, j;
    const rnn_real *u = io->h_rec ? io->h_rec : io->h_prev;
    int gru = io->cell == RNN_GRU, rows = gru ? 2 * H : G * H;
    rnn_gemm(1, 0, rows, H, B, io->dgh, G * H, u, H, 1, dW_hh, H);
    if (gru) rnn_gemm(1, 0, H, H, B, io->dgh + 2 * H, 3 * H, io->cache + 4 * H, 5 * H, 1, dW_hh + (size_t)2 * H * H, H);
    for (b = 0; b < B; b++)
        for (j = 0; j < G * H; j++) db_hh[j] += io->dgh[(size_t)b * G * H + j];
}

int rnn_shim_cell_cache_width(rnn_cell cell) { return cell == RNN_GRU ? 5 : rnn_cell_cache_width(cell); }

rnn_status rnn_shim_next_input(int *x_next, rnn_feedback mode, const int *y,
                               const rnn_real *o, int B, int V, int start)
{
    int b;
    if ((int)mode < 0 || (int)mode > RNN_NO_FEEDBACK || B < 1 || V < 1 || !x_next) return RNN_ERR_ARG;
    if ((mode == RNN_TEACHER_FORCING && !y) || (mode == RNN_FREE_RUNNING && !o)) return RNN_ERR_ARG;
    if (start < 0 || start >= V) return RNN_ERR_TOKEN;
    for (b = 0; b < B; b++)
        if (mode == RNN_TEACHER_FORCING && (y[b] < -1 || y[b] >= V)) return RNN_ERR_TOKEN;
    for (b = 0; b < B; b++)
        x_next[b] = mode == RNN_TEACHER_FORCING ? (y[b] < 0 ? start : y[b])
                  : mode == RNN_FREE_RUNNING ? rnn_argmax(o + (size_t)b * V, V) : start;
    return RNN_OK;
}
#endif /* RNN_CELL_SHIM_IMPLEMENTATION */

#ifndef rnn_simple_forward
#define rnn_simple_forward rnn_shim_simple_forward
#endif
#ifndef rnn_simple_backward
#define rnn_simple_backward rnn_shim_simple_backward
#endif
#ifndef rnn_gru_forward
#define rnn_gru_forward rnn_shim_gru_forward
#endif
#ifndef rnn_gru_backward
#define rnn_gru_backward rnn_shim_gru_backward
#endif
#ifndef rnn_lstm_forward
#define rnn_lstm_forward rnn_shim_lstm_forward
#endif
#ifndef rnn_lstm_backward
#define rnn_lstm_backward rnn_shim_lstm_backward
#endif
#ifndef rnn_cell_forward
#define rnn_cell_forward rnn_shim_cell_forward
#endif
#ifndef rnn_cell_backward
#define rnn_cell_backward rnn_shim_cell_backward
#endif
#ifndef rnn_cell_weight_grads
#define rnn_cell_weight_grads rnn_shim_cell_weight_grads
#endif
#ifndef rnn_cell_cache_width
#define rnn_cell_cache_width rnn_shim_cell_cache_width
#endif
#ifndef rnn_next_input
#define rnn_next_input rnn_shim_next_input
#endif
#endif
