/* Exercise "rnn_cell": one time step of the simple (Elman) RNN, forward.
                                                    make exercise EX=rnn_cell
   Deck D1's "paso a paso" lab starts here (slide "6.6. Recurrent Neural
   Network – Paso a Paso"): "1. Implementar los cálculos necesarios para una
   sola celda."

   One step for a batch of B rows. The struct io names every array of the
   step (rnn.h's rnn_cell_io); all arrays are row-major, so element [r][c]
   of an array with C columns is at [r * C + c]. You read:
       io->gx      (B, H)  the input side x<t> W_ih^T + b_ih, already computed
                           (the model does it for all T steps in one product)
       io->h_prev  (B, H)  h<t-1>
       io->W_hh    (H, H)  recurrent weights: row j holds the weights INTO unit j
       io->b_hh    (H)     recurrent bias
       io->cell            RNN_TANH or RNN_RELU: which g
       io->B, io->H
   You write:
       io->h       (B, H)  h<t>

   The formula in each deck's notation:
     D1 "6.6.1. Celda RNN":       a<t> = tanh(W_ax x<t> + W_aa a<t-1> + b_a)
     D2 "REDES RECURRENTE — BACKPROPAGATION THROUGH TIME":
                                  a<t> = g_1(W_aa a<t-1> + W_ax x<t> + b_a),  g_1 tanh or ReLU
     D3 "Redes Neuronales Recurrentes" (BPTT, "Si las ecuaciones de update son"):
                                  a(t) = b + W h(t-1) + U x(t),  h(t) = tanh(a(t))
     D4 "1. Entrenamiento Recurrent Neural Networks.":
                                  h_t = tanh(W_hh h_{t-1} + W_xh x_t)
   and in rnn.h's names ([rnn.state]), for row b and unit j:
       h[b][j] = g( gx[b][j] + sum_k W_hh[j][k] h_prev[b][k] + b_hh[j] )
   W_ax x<t> + b_a is gx (plus b_hh: rnn.h keeps two biases, as PyTorch);
   W_aa = D3's W = D4's W_hh = W_hh. ReLU: g(a) = a > 0 ? a : 0. */
#include "exercises.h"
#include <math.h>

void my_simple_forward(const rnn_cell_io *io)
{
    /* TODO */
}
