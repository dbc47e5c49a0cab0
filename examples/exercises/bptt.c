/* Exercise "bptt": the loop over T steps, backpropagation through time
   (BPTT), and truncated BPTT.                    make exercise EX=bptt

   D1 "6.6. Recurrent Neural Network – Paso a Paso": "2. Implementar un loop
   sobre todos los T_x tiempos para procesar todos los inputs."
   D4 "1. Entrenamiento Recurrent Neural Networks.": "Backpropagation through
   time (BPTT): Se hace forward pass a lo largo de toda la secuencia ... Se
   hace backward pass a lo largo de toda la secuencia." and "Truncated
   Backpropagation through time. La secuencia se parte en trozos y se hace
   backpropagation en un pequeño número de steps, trozo a trozo."
   D3 "Redes Neuronales Recurrentes" (BPTT): "El tiempo de cálculo es O(tau) y
   no se puede paralelizar en tiempo."

   A tanh RNN over T steps, for B sequences at once. The steps are
   t = 1..T, as the decks count them. All arrays row-major:
       x     (T, B, X)     x<t> is row t-1:  x + (t-1)*B*X
       h     (T+1, B, H)   h<t> is row t;    row 0 is h<0>, the initial state
       W_ih  (H, X)  b_ih (H)  W_hh (H, H)  b_hh (H)
   One step is a cell call: your functions of the exercises rnn_cell and
   rnn_cell_backward, or rnn.h's, which take the same rnn_cell_io:
       rnn_cell_io io = {0};          (C++: rnn_cell_io io = {};)
       io.cell = RNN_TANH; io.B = B; io.H = H; io.W_hh = W_hh; io.b_hh = b_hh;
       io.gx = gx; io.h_prev = ...; io.h = ...;   rnn_simple_forward(&io);
   and rnn_simple_backward(&io), rnn_cell_weight_grads(&io, dW_hh, db_hh)
   (in my_bptt, h is const and io.h is not: io.h = (rnn_real *)(h + ...)).
   The input side of a step, gx = x<t> W_ih^T + b_ih (B, H), you compute
   (a loop, or rnn_gemm(0, 1, B, H, X, x_t, X, W_ih, X, 0, gx, H) and then
   + b_ih). You may malloc scratch arrays for gx and dgx. */
#include "exercises.h"
#include <stdlib.h>
#include <math.h>

/* The forward pass: for t = 1..T,
       h<t> = tanh(W_ih x<t> + b_ih + W_hh h<t-1> + b_hh)     [rnn.state]
   Write rows 1..T of h; row 0 is given (leave it). */
void my_rnn_forward_loop(rnn_real *h, const rnn_real *x, const rnn_real *W_ih, const rnn_real *b_ih,
                         const rnn_real *W_hh, const rnn_real *b_hh, int T, int B, int X, int H)
{
    /* TODO */
}

/* Backpropagation through time, from what the outputs send:
       dh_out (T, B, H): row t-1 is V^T grad_o(t) L, the part of dL/dh<t>
                         that comes from the output at step t.
   Write dh (T+1, B, H): row t is grad_h(t) L, all of dL/dh<t> (D3, [bptt.dh]):
       grad_h(t) L = W^T diag(1 - h(t+1)^2) grad_h(t+1) L + V^T grad_o(t) L
   (at t = T only the second term; row 0, dL/dh<0>, only the first: h<0> has
   no output). Add (+=) the weight gradients, each a sum over t = 1..T:
       [bptt.dW] dW_hh += sum_t da(t)^T h<t-1>    [bptt.db] db_hh += sum_t da(t)
       [bptt.dU] dW_ih += sum_t da(t)^T x<t>                db_ih += sum_t da(t)
   where da(t) = diag(1 - h(t)^2) grad_h(t) L is the dgx of step t (B, H).
   The loop runs backwards, t = T down to 1: step t needs grad_h(t) L
   complete, which it is once step t+1 has sent its term back.

   Truncated BPTT [tbptt] with chunks of K steps (K >= T: plain BPTT): the
   steps are cut into chunks 1..K, K+1..2K, ... The forward pass saw the
   whole sequence (the state is carried across a cut), but the gradient is
   not carried back across it: the first step of a chunk, t = jK+1 (j >= 1),
   sends nothing to h<jK>. So row jK of dh holds only its dh_out term, and
   the weight gradients get the sum of each chunk's own BPTT. */
void my_bptt(rnn_real *dh, rnn_real *dW_ih, rnn_real *db_ih, rnn_real *dW_hh, rnn_real *db_hh,
             const rnn_real *dh_out, const rnn_real *h, const rnn_real *x,
             const rnn_real *W_hh, int T, int B, int X, int H, int K)
{
    /* TODO */
}
