/* Exercise "sampling": using a model. Sampling with a temperature, the
   free-running loop that feeds each output back, and what a decoder reads
   at the next step while it trains (teacher forcing).
                                                    make exercise EX=sampling */
#include "exercises.h"
#include <math.h>

/* Sampling with temperature [lm.sample].
   D4 "2. Modelos del lenguaje con RNNs": "A partir de las probabilidades de
   la capa softmax, muestreamos el siguiente carácter" (sampled, not the
   argmax: the text does not fall into loops).
   rnn.h: draw k in 0..n-1 with probability
       p_k = e^{o_k / T} / sum_j e^{o_j / T},   T = temperature
   (T < 1 sharpens the distribution, T > 1 flattens it). One way: s =
   sum_j e^{(o_j - max)/T}, u = rnn_rng_uniform(r) * s (uniform in [0, s)),
   then walk k = 0, 1, ... subtracting e^{(o_k - max)/T} from u and return
   the first k where u < 0. temperature <= 0 means the argmax (greedy).
   Subtract max_k o_k before exp: e^{1000/T} overflows, e^{(o - max)/T} <= 1.
   Graded by the frequencies of many draws: any right way to draw passes. */
int my_sample_logits(const rnn_real *o, int n, rnn_real temperature, rnn_rng *r)
{
    /* TODO */
    return 0;
}

/* Free-running generation: each output becomes the next input.
   D4 "2. Modelos del lenguaje con RNNs": "El carácter de output de cada time
   step se convierte en el input del siguiente."
   For t = 0..T-1: one step of the model from its current state,
       rnn_step(m, B, NULL, tokens)     (tokens: B input ids; returns a status)
   reading first (B tokens) at t = 0 and out row t-1 at t > 0; then, for each
   row b, out[t*B + b] = my_sample_logits(m->o + b*V, V, temperature, r)
   (V = m->desc.output_size). Do not reset the state: generation goes on
   from where the model is (a prompt may have been read). Return RNN_OK, or
   the first status that is not RNN_OK. (This is rnn_generate.) */
rnn_status my_generate(rnn_model *m, int B, int T, const int *first,
                       int *out, rnn_real temperature, rnn_rng *r)
{
    /* TODO */
    return RNN_OK;
}

/* What the input of step t+1 is, for B rows, in the three ways a decoder
   can be run. D3 "Redes Neuronales Recurrentes" (after BPTT): "Se puede
   utilizar teacher forcing (es decir reemplazar el feedback real o(t) por la
   salida deseada y(t))" [teacher-forcing].
       RNN_TEACHER_FORCING: x_next[b] = y[b], the target of step t (a target
                            of -1, "no target here", gives start)
       RNN_FREE_RUNNING:    x_next[b] = argmax_k o[b*V + k], the model's own
                            prediction (rnn_argmax)
       RNN_NO_FEEDBACK:     x_next[b] = start, the same token at every step
   Check first, and write nothing on an error:
       RNN_ERR_ARG    mode not one of the three; B < 1; V < 1; x_next NULL;
                      y NULL for teacher forcing; o NULL for free running
       RNN_ERR_TOKEN  start outside 0..V-1; for teacher forcing a target
                      outside -1..V-1
   else RNN_OK. (This is rnn_next_input.) */
rnn_status my_next_input(int *x_next, rnn_feedback mode, const int *y,
                         const rnn_real *o, int B, int V, int start)
{
    /* TODO */
    return RNN_OK;
}
