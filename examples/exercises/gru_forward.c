/* Exercise "gru_forward": one step of the GRU with its relevance (reset)
   gate, in both conventions the course uses.   make exercise EX=gru_forward

   Read (row-major; the three gates side by side in rnn.h's order r, z, n,
   which is PyTorch's):
       io->gx      (B, 3H)  the input side: columns [0,H) of r, [H,2H) of z,
                            [2H,3H) of the candidate n
       io->h_prev  (B, H)   h<t-1>
       io->W_hh    (3H, H)  rows [0,H) are W_hr, [H,2H) W_hz, [2H,3H) W_hn
       io->b_hh    (3H)     b_hr, b_hz, b_hn
       io->flags            RNN_GRU_RESET_BEFORE, RNN_GRU_UPDATE_DECK bits
       io->B, io->H
   Write:
       io->h       (B, H)   h<t>
       io->cache   (B, 5H)  row b = [r, z, n, hn, u]; the grader checks r, z
                            and n (after their activations). hn and u are
                            what rnn_gru_backward reads: u = r * h_prev (reset
                            before) or h_prev, and hn = u W_hn^T + b_hn.

   The decks, each in its own notation:
     D1 "6.3. Gated Recurrent Unit (GRU)" (c<t> = a<t> is the state):
         Gamma_r = sigma(W_r[c<t-1>, x<t>] + b_r)
         Gamma_u = sigma(W_u[c<t-1>, x<t>] + b_u)
         c~<t> = tanh(W_c[Gamma_r * c<t-1>, x<t>] + b_c)
         c<t> = Gamma_u * c~<t> + (1 - Gamma_u) * c<t-1>
     D2 "GRU (GATED RECURRENT UNITS)": the same with z<t>, r<t>, h~<t>:
         h<t> = (1 - z<t>) * h<t-1> + z<t> * h~<t>
     D4 "3. Arquitecturas LSTM y GRU":
         r_t = sigma(W_xr x_t + W_hr h_{t-1} + b_r),  z_t = sigma(W_xz x_t + W_hz h_{t-1} + b_z)
         h~_t = tanh(W_xh x_t + W_hh (r_t * h_{t-1}) + b_h)
         h_t = z_t * h_{t-1} + (1 - z_t) * h~_t
   rnn.h, for row b and unit j ("W_hr h_prev" is sum_k W_hr[j][k] h_prev[b][k]):
     [gru.relevance]  r = sigma(gx_r + W_hr h_prev + b_hr)
     [gru.update]     z = sigma(gx_z + W_hz h_prev + b_hz)
     [gru.candidate]  where r acts, two placements:
         default (PyTorch, cuDNN):            n = tanh(gx_n + r * (W_hn h_prev + b_hn))
         flags & RNN_GRU_RESET_BEFORE (decks): n = tanh(gx_n + W_hn (r * h_prev) + b_hn)
     [gru.state]      what z weights, two conventions:
         default (D4, PyTorch):                h = z * h_prev + (1 - z) * n
         flags & RNN_GRU_UPDATE_DECK (D1, D2): h = z * n + (1 - z) * h_prev
   So D1's and D2's GRU is flags = RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK,
   D4's is RNN_GRU_RESET_BEFORE alone. The two conventions for z are one model
   (z -> 1 - z); the two placements of r are two different models.
   sigma(a) = 1 / (1 + e^-a), or rnn_sigmoid(a). */
#include "exercises.h"
#include <math.h>

void my_gru_forward(const rnn_cell_io *io)
{
    /* TODO */
}
