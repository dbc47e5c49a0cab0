/* Exercise "losses": the output layer and its loss, and the gradient that
   starts backpropagation.                       make exercise EX=losses

   [rnn.output] y<t> = g2(W_ya a<t> + b_y), g2 in {softmax, sigmoid, linear}.
   The model computes the logits o = W_ya a<t> + b_y of every step; the three
   functions below apply g2, add up the loss over n rows, and write
   d_o = scale * dL/do, the gradient at the logits (the model passes
   scale = 1/B: its loss is the mean over the B sequences of a batch).
   Each pair (g2, loss) is chosen so that dL/do is simply y - target.

   Shapes: o, y and d_o are (n, V) (or (n, Y)), row-major: row r starts at
   o + r * V. Return the loss summed over the rows (not times scale).
   A NULL target means "compute y only": d_o all 0, return 0. */
#include "exercises.h"
#include <math.h>

/* Softmax and cross-entropy, for a class target[r] in 0..V-1 per row.
   D3 "Redes Neuronales Recurrentes" (the BPTT slide "Si las ecuaciones de
   update son"):   y^(t) = softmax(o(t)),  and the BPTT slides use
                   grad_o(t) L = y^(t) - onehot(y(t))
   D1 "6.6.1. Celda RNN":   y^(t) = softmax(W_ya a(t) + b_y)
   rnn.h [loss.ce]:  y[r][k] = e^{o_k} / sum_j e^{o_j}
                     loss   += -log y[r][target[r]]
                     d_o[r][k] = scale * (y[r][k] - (k == target[r] ? 1 : 0))
   A row with target[r] = -1 has no loss: its d_o row is 0 (y is still
   computed). Careful: e^o overflows for o > 709; softmax(o) is the same as
   softmax(o - max_k o_k), and -log y_t = log sum_k e^{o_k - max} + max - o_t
   never takes the log of 0. */
rnn_real my_softmax_ce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const int *target,
                       int n, int V, rnn_real scale)
{
    /* TODO */
    return 0;
}

/* Sigmoid and binary cross-entropy, a target in [0, 1] per output.
   D1 "6.2. Recurrent Neural Network (RNN)" ("Backpropagation through time"):
       L<t>(y^<t>, y<t>) = -y<t> log(y^<t>) - (1 - y<t>) log(1 - y^<t>)
   rnn.h [loss.bce]:  y[i] = sigma(o[i]) = 1 / (1 + e^{-o[i]})
                      loss += -t log y - (1 - t) log(1 - y),  t = target[i]
                      d_o[i] = scale * (y[i] - t)
   Careful: for o = 40, y rounds to exactly 1 and log(1 - y) = -inf. The same
   loss written with the logit a = o[i] is always finite:
       -t log y - (1-t) log(1-y) = max(a, 0) - a t + log(1 + e^{-|a|}). */
rnn_real my_sigmoid_bce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                        int n, int Y, rnn_real scale)
{
    /* TODO */
    return 0;
}

/* Linear output and squared error, a real target per output.
   D3 "Método de retropropagación de errores (back-propagation)":
       E(X, Theta) = (1/2P) sum_i |y'_i(x_i, Theta) - y_i|^2
   rnn.h [loss.mse]:  y[i] = o[i]
                      loss += (1/2) (o[i] - target[i])^2   (the 1/P is scale)
                      d_o[i] = scale * (o[i] - target[i]) */
rnn_real my_linear_mse(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                       int n, int Y, rnn_real scale)
{
    /* TODO */
    return 0;
}
