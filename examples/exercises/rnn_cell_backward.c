/* Exercise "rnn_cell_backward": one step of backpropagation through time
   for the simple RNN, as deck D3 writes it.
                                           make exercise EX=rnn_cell_backward
   The step of the exercise rnn_cell was  h = g(a),  a = gx + W_hh h_prev + b_hh.
   Going back, the step receives dh = dL/dh<t>, all of it: what the output
   at t sends (V^T grad_o(t) L) plus what step t+1 sent back.

   D3 "Redes Neuronales Recurrentes" (the BPTT slides "En el cálculo de las
   derivadas ..." and "Las derivadas de la función de costo ..."), with
   W = W_hh, U = W_ih, b = b_ih + b_hh:
       grad_h(t) L = W^T diag(1 - (h(t+1))^2) (grad_h(t+1) L) + V^T (grad_o(t) L)
       grad_W L = sum_t diag(1 - (h(t))^2) (grad_h(t) L) h(t-1)^T
       grad_b L = sum_t diag(1 - (h(t))^2) grad_h(t) L
   All three share  da(t) = diag(1 - h(t)^2) grad_h(t) L,  the gradient at
   the pre-activation a(t) (tanh' written from h itself; ReLU': h > 0). */
#include "exercises.h"
#include <math.h>

/* The step's own gradients.
   Read:  io->dh (B, H) dL/dh<t>;  io->h (B, H) h<t>;  io->W_hh (H, H);
          io->cell (RNN_TANH or RNN_RELU);  io->B, io->H.
   Write (=):   io->dgx (B, H)  da:  dgx[b][j] = dh[b][j] * (1 - h[b][j]^2)
                                     (ReLU: dh[b][j] if h[b][j] > 0, else 0)
                                     the input side gx gets exactly this;
                io->dgh (B, H)  the same numbers (the hidden side's
                                pre-activation is the same a).
   Add (+=):    io->dh_prev (B, H)  dL/dh<t-1>: the first term of
                grad_h(t-1) L above,  dh_prev[b][k] += sum_j da[b][j] W_hh[j][k]
                (+= because other paths may add to it too). */
void my_simple_backward(const rnn_cell_io *io)
{
    /* TODO */
}

/* The step's term of the weight gradients [bptt.dW] and [bptt.db]: one term
   of the sums over t above, added (+=) so that the sum builds up step by step:
       dW_hh[j][k] += sum_b dgh[b][j] h_prev[b][k]        (W_hh is (G*H, H))
       db_hh[j]    += sum_b dgh[b][j]                     (b_hh is (G*H))
   for j < G*H, G = rnn_cell_gates(io->cell): 1 for the simple RNN, 4 for the
   LSTM, whose dgh (B, 4H) has the four gates side by side. Read io->dgh,
   io->h_prev, io->cell, io->B, io->H. (The GRU is different: its candidate's
   rows multiply r * h_prev; you may leave it out.) */
void my_cell_weight_grads(const rnn_cell_io *io, rnn_real *dW_hh, rnn_real *db_hh)
{
    /* TODO */
}
