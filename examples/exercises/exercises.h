/* exercises.h - the functions the exercises ask you to write.

   Each has the name of rnn.h's own function with my_ in front, and the same
   parameters: the grader calls yours and rnn.h's on the same numbers and
   compares. Every exercise is built in double (RNN_REAL double), so that
   gradients can be checked against finite differences.
   Your exercise file includes this header; do not change the declarations. */
#ifndef EXERCISES_H
#define EXERCISES_H
#ifndef RNN_REAL
#define RNN_REAL double
#endif
#include "../../rnn.h"

/* rnn_cell.c: the simple RNN cell, one step forward (as rnn_simple_forward) */
void my_simple_forward(const rnn_cell_io *io);

/* rnn_cell_backward.c: its backward, one step of BPTT (as rnn_simple_backward),
   and the weight gradients of a step (as rnn_cell_weight_grads) */
void my_simple_backward(const rnn_cell_io *io);
void my_cell_weight_grads(const rnn_cell_io *io, rnn_real *dW_hh, rnn_real *db_hh);

/* losses.c: output layers and their losses (as rnn_softmax_ce, ...) */
rnn_real my_softmax_ce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const int *target,
                       int n, int V, rnn_real scale);
rnn_real my_sigmoid_bce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                        int n, int Y, rnn_real scale);
rnn_real my_linear_mse(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                       int n, int Y, rnn_real scale);

/* bptt.c: the loop over T steps, backpropagation through time, truncated */
void my_rnn_forward_loop(rnn_real *h, const rnn_real *x, const rnn_real *W_ih, const rnn_real *b_ih,
                         const rnn_real *W_hh, const rnn_real *b_hh, int T, int B, int X, int H);
void my_bptt(rnn_real *dh, rnn_real *dW_ih, rnn_real *db_ih, rnn_real *dW_hh, rnn_real *db_hh,
             const rnn_real *dh_out, const rnn_real *h, const rnn_real *x,
             const rnn_real *W_hh, int T, int B, int X, int H, int K);

/* gru_forward.c, lstm_forward.c, lstm_backward.c: the gated cells
   (as rnn_gru_forward, rnn_lstm_forward, rnn_lstm_backward) */
void my_gru_forward(const rnn_cell_io *io);
void my_lstm_forward(const rnn_cell_io *io);
void my_lstm_backward(const rnn_cell_io *io);

/* clip_adam.c: gradient clipping and Adam (as rnn_clip_by_value, ...) */
void my_clip_by_value(rnn_model *m, rnn_real v);
rnn_real my_clip_norm(rnn_real *g, size_t n, rnn_real c);
rnn_real my_clip_by_global_norm(rnn_model *m, rnn_real c);
void my_clip_by_tensor_norm(rnn_model *m, rnn_real c);
void my_optim_step(rnn_optim *o, rnn_real *params, const rnn_real *grads);

/* sampling.c: sampling with temperature, free running, teacher forcing
   (as rnn_sample_logits, rnn_generate, rnn_next_input) */
int my_sample_logits(const rnn_real *o, int n, rnn_real temperature, rnn_rng *r);
rnn_status my_generate(rnn_model *m, int B, int T, const int *first,
                       int *out, rnn_real temperature, rnn_rng *r);
rnn_status my_next_input(int *x_next, rnn_feedback mode, const int *y,
                         const rnn_real *o, int B, int V, int start);

#endif
