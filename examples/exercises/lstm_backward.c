/* Exercise "lstm_backward": one step of the LSTM, backward.
                                                 make exercise EX=lstm_backward
   The decks write the LSTM's forward pass only (exercise lstm_forward); its
   backward pass is the chain rule through those six lines, in reverse.
   Read (row-major):
       io->dh      (B, H)   dL/dh<t>: all of it (the output at t and step t+1)
       io->dc      (B, H)   dL/dc<t> that came back along the cell from step
                            t+1 (f<t+1> * ...); NOT the part through h<t>,
                            which you add
       io->cache   (B, 4H)  [i, f, g, o] after their activations (the forward's)
       io->c       (B, H)   c<t>
       io->c_prev  (B, H)   c<t-1>
       io->W_hh    (4H, H)  rows [0,H) W_hi, then W_hf, W_hg, W_ho
       io->B, io->H         (io->p is NULL here: the plain LSTM)
   Write (=):
       io->dgx     (B, 4H)  the gradient at the four gates' pre-activations,
                            in the order i, f, g, o (what gx and W_ih get)
       io->dgh     (B, 4H)  the same numbers (what W_hh and b_hh get)
   Add (+=):
       io->dh_prev (B, H)   dL/dh<t-1> += sum over the 4H rows: dgx W_hh
       io->dc_prev (B, H)   dL/dc<t-1> += (all of dL/dc<t>) * f

   Backwards through the forward's lines, per row b and unit j:
     [lstm.hidden] h = o * tanh(c):
         da_o = dh * tanh(c) * o (1 - o)             (sigma' = s (1 - s))
         dct  = dc + dh * o * (1 - tanh(c)^2)         all of dL/dc<t>
     [lstm.cell]   c = f * c_prev + i * g:
         da_i = dct * g * i (1 - i)
         da_f = dct * c_prev * f (1 - f)
         da_g = dct * i * (1 - g^2)                   (tanh' = 1 - t^2)
         dc_prev += dct * f
     the pre-activations a = gx + W_hh h_prev + b_hh:
         dh_prev[b][k] += sum_{q < 4H} da[b][q] W_hh[q][k]
   (the same delta rule as deck D3's "Método de retropropagación de errores":
   delta_i = f'(h_i) sum_k delta_k w_ki). */
#include "exercises.h"
#include <math.h>

void my_lstm_backward(const rnn_cell_io *io)
{
    /* TODO */
}
