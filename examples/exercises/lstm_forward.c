/* Exercise "lstm_forward": one step of the LSTM, and of the peephole LSTM.
                                                  make exercise EX=lstm_forward
   Read (row-major; the four gates side by side in rnn.h's order i, f, g, o,
   which is PyTorch's; deck D4's slide stacks them i, f, o, g):
       io->gx      (B, 4H)  the input side: columns [0,H) of i, [H,2H) of f,
                            [2H,3H) of g (the candidate), [3H,4H) of o
       io->h_prev  (B, H)   h<t-1>
       io->c_prev  (B, H)   c<t-1>, the cell state
       io->W_hh    (4H, H)  rows [0,H) are W_hi, then W_hf, W_hg, W_ho
       io->b_hh    (4H)
       io->p       (3, H)   peepholes p_i, p_f, p_o, or NULL (the plain LSTM)
       io->B, io->H
   Write:
       io->h, io->c (B, H)  h<t>, c<t>
       io->cache   (B, 4H)  row b = [i, f, g, o] after their activations
                            (what backward needs)

   The decks, each in its own notation:
     D0 "LSTM: Long Short-Term Memory" (colah's):
         f_t = sigma(W_f . [h_{t-1}, x_t] + b_f)      i_t = sigma(W_i . [h_{t-1}, x_t] + b_i)
         C~_t = tanh(W_C . [h_{t-1}, x_t] + b_C)       C_t = f_t * C_{t-1} + i_t * C~_t
         o_t = sigma(W_o [h_{t-1}, x_t] + b_o)        h_t = o_t * tanh(C_t)
     D1 "6.6.3. Celda LSTM" (Ng's; Gamma_u is the input gate):
         Gamma_f = sigma(W_f[a<t-1>, x<t>] + b_f)     Gamma_u = sigma(W_u[a<t-1>, x<t>] + b_u)
         c~<t> = tanh(W_c[a<t-1>, x<t>] + b_c)        c<t> = Gamma_f o c<t-1> + Gamma_u o c~<t>
         Gamma_o = sigma(W_o[a<t-1>, x<t>] + b_o)     a<t> = Gamma_o o tanh(c<t>)
     D2 "LSTM (LONG SHORT-TERM MEMORY)": f<t>, i<t>, c~<t>, o<t> as D0;
         c<t> = f<t> * c<t-1> + i<t> * c~<t>,  h<t> = o<t> * tanh(c<t>)
     D3 "LSTM (Long Short Term Memory)": s_i(t) = f_i(t) s_i(t-1) + g_i(t) sigma(b_i + ...),
         h_i(t) = tanh(s_i(t)) q_i(t)   (D3 puts sigma on the candidate; the
         other decks and rnn.h put tanh)
     D4 "3. Arquitecturas LSTM y GRU":
         (i; f; o; g) = (sigma; sigma; sigma; tanh) W (h_{t-1}; x_t)
         c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)
   rnn.h, for row b and unit j ("W_hi h_prev" is sum_k W_hi[j][k] h_prev[b][k]):
     [lstm.input]     i = sigma(gx_i + W_hi h_prev + b_hi)     (+ p_i * c_prev)
     [lstm.forget]    f = sigma(gx_f + W_hf h_prev + b_hf)     (+ p_f * c_prev)
     [lstm.candidate] g = tanh(gx_g + W_hg h_prev + b_hg)
     [lstm.cell]      c = f * c_prev + i * g
     [lstm.output]    o = sigma(gx_o + W_ho h_prev + b_ho)     (+ p_o * c: the new c)
     [lstm.hidden]    h = o * tanh(c)
   The terms in brackets only when io->p != NULL (the last two checks): the
   peephole LSTM of Gers and Schmidhuber, [peephole.*]; p_i is p[0..H), p_f
   p[H..2H), p_o p[2H..3H), one weight per unit. Deck D2 ("LSTM PEEP-HOLE")
   writes its gates on [h<t-1>, c<t-1>]; rnn.h follows the original, where the
   output gate looks at the new c<t> (docs/errata.md).
   sigma(a) = 1 / (1 + e^-a), or rnn_sigmoid(a). */
#include "exercises.h"
#include <math.h>

void my_lstm_forward(const rnn_cell_io *io)
{
    /* TODO */
}
