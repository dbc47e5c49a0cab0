/* step_by_step.c - deck D1's "paso a paso" lab (slide "6.6. Recurrent Neural
   Network – Paso a Paso"): "1. Implementar los cálculos necesarios para una
   sola celda. 2. Implementar un loop sobre todos los T_x tiempos para
   procesar todos los inputs."
   An LSTM and a GRU over T steps, written out with rnn.h's per-step cell
   functions: the forward pass one step at a time, then backpropagation
   through time one step at a time, backwards, as deck D3's BPTT slides write
   it. An rnn_model holds the weights; its rnn_forward and rnn_backward, and
   finite differences of its loss, check every number the hand loop made.
   Build and run:  make build/step_by_step && ./build/step_by_step */
#define RNN_REAL double /* finite differences want double */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <string.h>
#include <math.h>

enum { T = 5, B = 2, X = 3, H = 4, Y = 2 }; /* steps, sequences, inputs, hidden, outputs */

/* The model's loss and every gradient, by hand. x (T,B,X), y (T,B,Y); the
   gradients go into g, laid out as m->grads. Returns the loss. */
static double by_hand(const rnn_model *m, const double *x, const double *y, double *g)
{
    const rnn_layer *L = &m->layers[0];
    const int GH = L->G * H;
    double h[T + 1][B * H], c[T + 1][B * H];         /* row t is h<t>; row 0 is h<0> = 0 */
    double gx[T][B * 4 * H], cache[T][B * 5 * H], o[B * Y], yhat[B * Y], d_o[T][B * Y];
    double dh[B * H], dc[B * H], dh_prev[B * H], dc_prev[B * H], dgx[B * 4 * H], dgh[B * 4 * H];
    double *dW_ih = g + (L->dW_ih - m->grads), *db_ih = g + (L->db_ih - m->grads);
    double *dW_hh = g + (L->dW_hh - m->grads), *db_hh = g + (L->db_hh - m->grads);
    double *dW_hy = g + (m->dW_hy - m->grads), *db_y = g + (m->db_y - m->grads);
    double loss = 0;
    int t, b, j, k;
    rnn_cell_io io;
    memset(g, 0, sizeof(double) * (size_t)m->n_params);
    memset(h, 0, sizeof h); memset(c, 0, sizeof c);
    memset(&io, 0, sizeof io);
    io.cell = L->cell; io.flags = L->flags; io.B = B; io.H = H; io.W_hh = L->W_hh; io.b_hh = L->b_hh;

    /* forward: step t reads x<t>, h<t-1> (and c<t-1>), writes h<t> (and c<t>) */
    for (t = 0; t < T; t++) {
        for (b = 0; b < B; b++) memcpy(gx[t] + b * GH, L->b_ih, sizeof(double) * GH);
        rnn_gemm(0, 1, B, GH, X, x + t * B * X, X, L->W_ih, X, 1, gx[t], GH); /* gx = x W_ih^T + b_ih */
        io.gx = gx[t]; io.h_prev = h[t]; io.c_prev = c[t];
        io.h = h[t + 1]; io.c = c[t + 1]; io.cache = cache[t];
        rnn_cell_forward(&io);                        /* one step of the cell: [lstm.*] or [gru.*] */
        for (b = 0; b < B; b++)                       /* [rnn.output] o = W_hy h<t> + b_y */
            for (k = 0; k < Y; k++) {
                o[b * Y + k] = m->b_y[k];
                for (j = 0; j < H; j++) o[b * Y + k] += m->W_hy[k * H + j] * h[t + 1][b * H + j];
            }
        /* [loss.mse] and [loss.sum]: the model's loss is the mean over the B rows */
        loss += rnn_linear_mse(yhat, d_o[t], o, y + t * B * Y, B, Y, 1.0 / B) / B;
    }

    /* backward: t = T-1 down to 0; dh_prev holds what step t+1 sent back */
    memset(dh_prev, 0, sizeof dh_prev); memset(dc_prev, 0, sizeof dc_prev);
    for (t = T - 1; t >= 0; t--) {
        /* [bptt.dh] grad_h(t) L = V^T grad_o(t) L + (the term step t+1 sent back) */
        for (b = 0; b < B; b++)
            for (j = 0; j < H; j++) {
                dh[b * H + j] = dh_prev[b * H + j];
                for (k = 0; k < Y; k++) dh[b * H + j] += m->W_hy[k * H + j] * d_o[t][b * Y + k];
            }
        memcpy(dc, dc_prev, sizeof dc);               /* dL/dc<t> along the cell (LSTM) */
        rnn_gemm(1, 0, Y, H, B, d_o[t], Y, h[t + 1], H, 1, dW_hy, H); /* [bptt.dV] += grad_o h^T */
        for (b = 0; b < B; b++)
            for (k = 0; k < Y; k++) db_y[k] += d_o[t][b * Y + k];      /* [bptt.dc] */
        memset(dh_prev, 0, sizeof dh_prev); memset(dc_prev, 0, sizeof dc_prev);
        io.gx = gx[t]; io.h_prev = h[t]; io.c_prev = c[t]; io.h = h[t + 1]; io.c = c[t + 1]; io.cache = cache[t];
        io.dh = dh; io.dc = dc; io.dgx = dgx; io.dgh = dgh; io.dh_prev = dh_prev; io.dc_prev = dc_prev;
        rnn_cell_backward(&io);                       /* the step's own gradients; dh<t-1> += ... */
        rnn_cell_weight_grads(&io, dW_hh, db_hh);     /* [bptt.dW] [bptt.db] this step's terms */
        rnn_gemm(1, 0, GH, X, B, dgx, GH, x + t * B * X, X, 1, dW_ih, X); /* [bptt.dU] += dgx^T x<t> */
        for (b = 0; b < B; b++)
            for (j = 0; j < GH; j++) db_ih[j] += dgx[b * GH + j];
    }
    return loss;
}

/* largest |a - b| over n numbers */
static double maxdiff(const double *a, const double *b, int n)
{
    double d = 0;
    int i;
    for (i = 0; i < n; i++) if (fabs(a[i] - b[i]) > d) d = fabs(a[i] - b[i]);
    return d;
}

static int run(rnn_cell cell, int flags, const char *title, rnn_rng *r)
{
    rnn_model m;
    rnn_model_desc d;
    rnn_batch bt;
    double x[T * B * X], y[T * B * Y], hand[512], fd[512], loss_hand, loss, lp, lm;
    int i, k, ok = 1;
    memset(&d, 0, sizeof d);
    d.cell = cell; d.gru_flags = flags; d.input_size = X; d.hidden_size = H; d.output_size = Y;
    d.output = RNN_LINEAR;
    if (rnn_model_init(&m, &d) != RNN_OK || m.n_params > 512) { fprintf(stderr, "step_by_step: cannot build the model\n"); return 0; }
    for (i = 0; i < m.n_params; i++) m.params[i] += 0.3 * (2 * rnn_rng_uniform(r) - 1); /* biases not 0 */
    for (i = 0; i < T * B * X; i++) x[i] = 2 * rnn_rng_uniform(r) - 1;
    for (i = 0; i < T * B * Y; i++) y[i] = 2 * rnn_rng_uniform(r) - 1;
    memset(&bt, 0, sizeof bt);
    bt.T = T; bt.B = B; bt.x = x; bt.y = y;

    loss_hand = by_hand(&m, x, y, hand);
    rnn_zero_grad(&m);
    rnn_forward(&m, &bt, &loss);
    rnn_backward(&m);
    for (i = 0; i < m.n_params; i++) { /* centred differences of rnn_forward's loss */
        double keep = m.params[i];
        m.params[i] = keep + 1e-6; rnn_forward(&m, &bt, &lp);
        m.params[i] = keep - 1e-6; rnn_forward(&m, &bt, &lm);
        m.params[i] = keep;
        fd[i] = (lp - lm) / 2e-6;
    }
    printf("%s: T=%d steps, B=%d, X=%d, H=%d, Y=%d\n", title, T, B, X, H, Y);
    printf("  loss: by hand %.12f, rnn_forward %.12f\n", loss_hand, loss);
    printf("  %-14s %22s %26s\n", "gradient of", "|hand - rnn_backward|", "|hand - finite differences|");
    for (k = 0; k < m.n_tensors; k++) {
        const rnn_tensor *t = &m.tensors[k];
        int off = (int)(t->grad - m.grads), n = t->rows * t->cols;
        double e1 = maxdiff(hand + off, m.grads + off, n), e2 = maxdiff(hand + off, fd + off, n);
        printf("  %-14s %22.1e %26.1e\n", t->name, e1, e2);
        if (!(e1 < 1e-12) || !(e2 < 1e-7)) ok = 0;
    }
    ok = ok && fabs(loss_hand - loss) < 1e-12;
    printf("  %s\n", ok ? "the hand loop and the model agree" : "FAIL: the hand loop and the model differ");
    rnn_model_free(&m);
    return ok;
}

int main(int argc, char **argv)
{
    rnn_rng r;
    int ok;
    if (argc > 1) {
        int help = !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help");
        fprintf(help ? stdout : stderr, "%susage: step_by_step (no options)\n",
                help ? "" : "step_by_step: unknown option; ");
        return help ? 0 : 2;
    }
    rnn_rng_seed(&r, 1);
    ok = run(RNN_LSTM, 0, "LSTM", &r);
    ok = run(RNN_GRU, RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK, "GRU as deck D1 writes it", &r) && ok;
    return ok ? 0 : 1;
}
