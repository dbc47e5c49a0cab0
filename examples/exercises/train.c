/* train.c - your cell in a whole model. The "hello" character model of deck
   D4 (vocabulary h, e, l, o; hidden size 3; h e l l -> e l l o), trained by
   a loop over the T steps written out by hand, where every step calls YOUR
   functions:
       make exercise-train CELL=rnn    my_simple_forward, my_simple_backward,
                                       my_cell_weight_grads
       make exercise-train CELL=lstm   my_lstm_forward, my_lstm_backward,
                                       my_cell_weight_grads
   rnn.h does the rest: the softmax and its loss (rnn_softmax_ce), clipping
   and Adam. This is what rnn_forward and rnn_backward do inside. */
#include "exercises.h"
#include <stdio.h>
#include <string.h>

#ifdef TRAIN_LSTM /* grade.sh defines it for CELL=lstm */
#define LSTM 1
#define CELL_FORWARD my_lstm_forward
#define CELL_BACKWARD my_lstm_backward
#else
#define LSTM 0
#define CELL_FORWARD my_simple_forward
#define CELL_BACKWARD my_simple_backward
#endif

enum { V = 4, H = 3, T = 4, G_MAX = 4 };
static const char letters[V] = {'h', 'e', 'l', 'o'};

int main(void)
{
    int lstm = LSTM, G = lstm ? 4 : 1, GH = G * H;
    int in[T] = {0, 1, 2, 2}, target[T] = {1, 2, 2, 3}, step, t, j, k;
    /* the parameters in one block (and the gradients in the same layout), so
       that clipping and Adam are one loop over it */
    enum { N = G_MAX * H * V + G_MAX * H + G_MAX * H * H + G_MAX * H + V * H + V };
    rnn_real params[N], grads[N];
    rnn_real *W_ih = params, *b_ih = W_ih + GH * V, *W_hh = b_ih + GH, *b_hh = W_hh + GH * H;
    rnn_real *W_hy = b_hh + GH, *b_y = W_hy + V * H;
    rnn_real *dW_ih = grads, *db_ih = dW_ih + GH * V, *dW_hh = db_ih + GH, *db_hh = dW_hh + GH * H;
    rnn_real *dW_hy = db_hh + GH, *db_y = dW_hy + V * H;
    int n = (int)(b_y + V - params);
    /* per step: state rows 0..T (row 0 = h<0> = 0), gates, outputs */
    rnn_real h[T + 1][H], c[T + 1][H], cache[T][G_MAX * H], gx[T][G_MAX * H], o[T][V], y[T][V], d_o[T][V];
    rnn_real dh[H], dc[H], dh_prev[H], dc_prev[H], dgx[G_MAX * H], dgh[G_MAX * H];
    rnn_real loss = 0;
    rnn_optim opt; rnn_optim_desc od;
    rnn_rng rng;
    rnn_cell_io io;

    rnn_rng_seed(&rng, 3);
    rnn_init_xavier(W_ih, GH, V, &rng); rnn_init_xavier(W_hh, GH, H, &rng); rnn_init_xavier(W_hy, V, H, &rng);
    memset(b_ih, 0, sizeof(rnn_real) * GH); memset(b_hh, 0, sizeof(rnn_real) * GH); memset(b_y, 0, sizeof(rnn_real) * V);
    if (lstm) for (j = 0; j < H; j++) b_ih[H + j] = 1;       /* forget-gate bias 1 */
    memset(&od, 0, sizeof od); od.kind = RNN_ADAM; od.lr = 0.05;
    if (rnn_optim_init(&opt, &od, n) != RNN_OK) return 1;
    memset(&io, 0, sizeof io);
    io.cell = lstm ? RNN_LSTM : RNN_TANH; io.B = 1; io.H = H; io.W_hh = W_hh; io.b_hh = b_hh;
    printf("training the hello model with your %s cell (my_%s_forward, my_%s_backward)\n",
           lstm ? "LSTM" : "simple RNN", lstm ? "lstm" : "simple", lstm ? "lstm" : "simple");

    for (step = 1; step <= 300; step++) {
        memset(grads, 0, sizeof grads);
        memset(h, 0, sizeof h); memset(c, 0, sizeof c);     /* h<0> = c<0> = 0 */
        loss = 0;
        for (t = 0; t < T; t++) {                            /* forward, one step at a time */
            for (j = 0; j < GH; j++) gx[t][j] = W_ih[j * V + in[t]] + b_ih[j]; /* one-hot x: a column of W_ih */
            io.gx = gx[t]; io.h_prev = h[t]; io.c_prev = c[t];
            io.h = h[t + 1]; io.c = c[t + 1]; io.cache = cache[t];
            CELL_FORWARD(&io);                               /* your cell, one step */
            for (k = 0; k < V; k++) {                        /* [rnn.output] o = W_hy h + b_y */
                o[t][k] = b_y[k];
                for (j = 0; j < H; j++) o[t][k] += W_hy[k * H + j] * h[t + 1][j];
            }
            loss += rnn_softmax_ce(y[t], d_o[t], o[t], &target[t], 1, V, 1); /* y = softmax(o), d_o = y - onehot */
        }
        memset(dh_prev, 0, sizeof dh_prev); memset(dc_prev, 0, sizeof dc_prev);
        for (t = T - 1; t >= 0; t--) {                       /* backward, T-1 down to 0 */
            for (j = 0; j < H; j++) {                        /* dh = W_hy^T d_o + what step t+1 sent */
                dh[j] = dh_prev[j];
                for (k = 0; k < V; k++) dh[j] += W_hy[k * H + j] * d_o[t][k];
                dc[j] = dc_prev[j];
            }
            for (k = 0; k < V; k++) {                        /* [bptt.dV] [bptt.dc] */
                db_y[k] += d_o[t][k];
                for (j = 0; j < H; j++) dW_hy[k * H + j] += d_o[t][k] * h[t + 1][j];
            }
            memset(dh_prev, 0, sizeof dh_prev); memset(dc_prev, 0, sizeof dc_prev);
            io.gx = gx[t]; io.h_prev = h[t]; io.c_prev = c[t]; io.h = h[t + 1]; io.c = c[t + 1]; io.cache = cache[t];
            io.dh = dh; io.dc = dc; io.dgx = dgx; io.dgh = dgh; io.dh_prev = dh_prev; io.dc_prev = dc_prev;
            CELL_BACKWARD(&io);                              /* your backward, one step */
            my_cell_weight_grads(&io, dW_hh, db_hh);         /* [bptt.dW] [bptt.db] */
            for (j = 0; j < GH; j++) { dW_ih[j * V + in[t]] += dgx[j]; db_ih[j] += dgx[j]; } /* [bptt.dU] */
        }
        if (!(loss == loss) || loss > 1e6) {
            printf("step %d: the loss is %s: training diverged. Grade your cell first:\n"
                   "  make exercise EX=%s and EX=%s\n", step, loss == loss ? "huge" : "NaN",
                   lstm ? "lstm_forward" : "rnn_cell", lstm ? "lstm_backward" : "rnn_cell_backward");
            return 1;
        }
        rnn_clip_norm(grads, (size_t)n, 5);                  /* [clip.norm] */
        rnn_optim_step(&opt, params, grads);                 /* Adam */
        if (step % 50 == 0 || step == 1) printf("step %3d  loss %.4f\n", step, (double)loss);
    }
    printf("after training: in  target  predicted  p(target)\n");
    for (t = 0; t < T; t++)
        printf("                %c   %c       %c          %.3f\n", letters[in[t]], letters[target[t]],
               letters[rnn_argmax(y[t], V)], (double)y[t][target[t]]);
    rnn_optim_free(&opt);
    if (loss > 0.1) {
        printf("the loss is still %.3f: the network did not learn hello. Grade your cell:\n"
               "  make exercise EX=%s and EX=%s\n", (double)loss,
               lstm ? "lstm_forward" : "rnn_cell", lstm ? "lstm_backward" : "rnn_cell_backward");
        return 1;
    }
    printf("your %s learned hello: loss %.4f\n", lstm ? "LSTM" : "RNN", (double)loss);
    return 0;
}
