/* A solution of the exercise "bptt", with rnn.h's per-step functions. The
   MISTAKE_ macros turn it into a typical wrong answer (tests/test_exercises.sh). */
#include "../exercises.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* gx = x_t W_ih^T + b_ih for the B rows of one step */
static void input_side(rnn_real *gx, const rnn_real *x_t, const rnn_real *W_ih, const rnn_real *b_ih,
                       int B, int X, int H)
{
    int b, j;
    rnn_gemm(0, 1, B, H, X, x_t, X, W_ih, X, 0, gx, H);
    for (b = 0; b < B; b++)
        for (j = 0; j < H; j++) gx[b * H + j] += b_ih[j];
}

void my_rnn_forward_loop(rnn_real *h, const rnn_real *x, const rnn_real *W_ih, const rnn_real *b_ih,
                         const rnn_real *W_hh, const rnn_real *b_hh, int T, int B, int X, int H)
{
    size_t BH = (size_t)B * H;
    rnn_real *gx = (rnn_real *)malloc(sizeof(rnn_real) * BH);
    rnn_cell_io io;
    int t;
    memset(&io, 0, sizeof io);
    io.cell = RNN_TANH; io.B = B; io.H = H; io.W_hh = W_hh; io.b_hh = b_hh; io.gx = gx;
    for (t = 1; t <= T; t++) {
        input_side(gx, x + (size_t)(t - 1) * B * X, W_ih, b_ih, B, X, H);
        io.h_prev = h + (size_t)(t - 1) * BH;
        io.h = h + (size_t)t * BH;
        rnn_simple_forward(&io);                     /* h<t> = tanh(gx + W_hh h<t-1> + b_hh) */
    }
    free(gx);
}

void my_bptt(rnn_real *dh, rnn_real *dW_ih, rnn_real *db_ih, rnn_real *dW_hh, rnn_real *db_hh,
             const rnn_real *dh_out, const rnn_real *h, const rnn_real *x,
             const rnn_real *W_hh, int T, int B, int X, int H, int K)
{
    size_t BH = (size_t)B * H;
    rnn_real *dgx = (rnn_real *)malloc(sizeof(rnn_real) * BH), *lost = (rnn_real *)malloc(sizeof(rnn_real) * BH);
    rnn_cell_io io;
    int t, b, j;
    memset(&io, 0, sizeof io);
    io.cell = RNN_TANH; io.B = B; io.H = H; io.W_hh = W_hh; io.dgx = dgx; io.dgh = dgx;
    memset(dh, 0, sizeof(rnn_real) * BH);                    /* row 0: only what step 1 sends */
    memcpy(dh + BH, dh_out, sizeof(rnn_real) * BH * T);      /* rows 1..T: V^T grad_o(t) L */
    for (t = T; t >= 1; t--) {
        const rnn_real *x_t = x + (size_t)(t - 1) * B * X;
        int cut = t - 1 > 0 && (t - 1) % K == 0;             /* step t starts a chunk */
#ifdef MISTAKE_NO_TRUNCATION
        cut = 0;
#endif
        io.dh = dh + (size_t)t * BH;                         /* complete: step t+1 has added its term */
        io.h = (rnn_real *)(h + (size_t)t * BH);
        io.h_prev = h + (size_t)(t - 1) * BH;
        memset(lost, 0, sizeof(rnn_real) * BH);
        io.dh_prev = cut ? lost : dh + (size_t)(t - 1) * BH;
#ifdef MISTAKE_NO_TIME
        io.dh_prev = lost;                                   /* nothing flows back through time */
#endif
        rnn_simple_backward(&io);                            /* dgx = da(t); dh<t-1> += W^T da(t) */
#ifdef MISTAKE_H_FOR_H_PREV
        io.h_prev = h + (size_t)t * BH;
#endif
        rnn_cell_weight_grads(&io, dW_hh, db_hh);            /* [bptt.dW] [bptt.db] */
        rnn_gemm(1, 0, H, X, B, dgx, H, x_t, X, 1, dW_ih, X); /* [bptt.dU] dW_ih += da^T x<t> */
        for (b = 0; b < B; b++)
            for (j = 0; j < H; j++) db_ih[j] += dgx[b * H + j];
    }
    free(dgx); free(lost);
}
