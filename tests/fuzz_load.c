/* libFuzzer target for the checkpoint loader:  make fuzz FUZZ_SECONDS=60
   Every input is loaded twice: by rnn_load_memory (the model the file
   describes, with its optimizer, state and vocabulary) and by
   rnn_load_weights_memory into a fixed small LSTM with a live optimizer.
   A model that loads is then used as a program would use it: a forward and
   a backward pass on a small batch (tokens, targets, a mask), in training
   mode and in evaluation mode, clipping, an optimizer step, generation. The
   build makes every sanitizer report fatal, so UB in any of it is a crash.
   Built with -DMAKE_SEEDS (no fuzzer) it writes the seed corpus instead:
   valid checkpoints of every cell with the model's options in turn, with
   optimizer state, the carried state and a vocabulary (make fuzz adds the
   crafted files of tests/test_checkpoint.c). */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MAKE_SEEDS
int main(int argc, char **argv)
{
    int c, v;
    const char *dir = argc > 1 ? argv[1] : ".";
    for (c = RNN_TANH; c <= RNN_PEEPHOLE; c++)
        for (v = 0; v < 4; v++) {
            rnn_model m; rnn_model_desc d; rnn_optim o; rnn_optim_desc od; rnn_checkpoint ck; rnn_batch b;
            int32_t vocab[3] = {97, 98, 99};
            int x[4] = {0, 1, 2, 0}, y[4] = {1, 2, 0, 1};
            char path[512];
            memset(&d, 0, sizeof d); memset(&od, 0, sizeof od); memset(&ck, 0, sizeof ck); memset(&b, 0, sizeof b);
            d.cell = (rnn_cell)c; d.input_size = 3; d.hidden_size = 2; d.output_size = 3; d.num_layers = 1 + c % 2;
            if (v == 1) { d.bidirectional = 1; d.loss_last_only = 1; d.output = RNN_SIGMOID; }
            if (v == 2) { d.embed_size = 2; d.skip_delay = 2; d.leak = (rnn_real)0.5; d.dropout_input = (rnn_real)0.1; }
            if (v == 3) { d.output = RNN_LINEAR; d.dropout_recurrent = (rnn_real)0.2; d.gru_flags = c % 4; od.kind = (rnn_optim_kind)(1 + c % 4); }
            rnn_model_init(&m, &d);
            rnn_optim_init(&o, &od, m.n_params);
            b.T = 2; b.B = 2; b.x_tokens = x;
            rnn_forward(&m, &b, NULL); rnn_carry_state(&m); /* a state to save */
            (void)y;
            ck.optim = (c + v) % 2 ? &o : NULL; ck.with_state = v != 1; ck.vocab = vocab; ck.vocab_len = 3;
            snprintf(path, sizeof path, "%s/seed_%d_%d.safetensors", dir, c, v);
            if (rnn_save(path, &m, &ck) != RNN_OK) { fprintf(stderr, "cannot write %s: %s\n", path, ck.error); return 1; }
            rnn_optim_free(&o); rnn_model_free(&m);
        }
    return 0;
}
#else
/* what a program does with a model it has loaded */
static void use(rnn_model *m, rnn_optim *o)
{
    enum { T = 3, B = 2 };
    int X = m->desc.input_size, Y = m->desc.output_size, i, x[T * B], y[T * B], mask[T * B], out[T];
    rnn_real *yd = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)T * B * (Y > 0 ? Y : 1));
    rnn_batch b;
    rnn_rng r;
    rnn_real loss;
    int pass;
    if (!yd) return;
    for (i = 0; i < T * B; i++) { x[i] = (i * 7 + 1) % X; y[i] = Y > 0 ? (i * 5) % Y : -1; mask[i] = i != 1; }
    for (i = 0; i < T * B * (Y > 0 ? Y : 1); i++) yd[i] = (rnn_real)(i % 2);
    rnn_rng_seed(&r, 7);
    for (pass = 0; pass < 2; pass++) { /* training mode (dropout), then evaluation mode */
        memset(&b, 0, sizeof b);
        b.T = T; b.B = B; b.x_tokens = x; b.mask = pass ? mask : NULL;
        if (Y > 0 && m->desc.output == RNN_SOFTMAX) b.y_tokens = y;
        else if (Y > 0) b.y = yd;
        rnn_set_training(m, pass ? NULL : &r);
        rnn_zero_grad(m);
        if (rnn_forward(m, &b, &loss) == RNN_OK && Y > 0 && rnn_backward(m) == RNN_OK) {
            rnn_clip_by_global_norm(m, 1);
            if (o && o->m1) rnn_optim_step(o, m->params, m->grads);
        }
        rnn_carry_state(m);
    }
    rnn_set_training(m, NULL);
    rnn_reset_state(m);
    i = 0;
    rnn_generate(m, 1, T, &i, out, (rnn_real)0.7, &r); /* RNN_ERR_SIZE unless X == Y, softmax, one way */
    free(yd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rnn_model m, fixed;
    rnn_model_desc d;
    rnn_optim o, live;
    rnn_optim_desc od;
    rnn_checkpoint ck;
    int32_t vocab[16];
    memset(&ck, 0, sizeof ck);
    ck.optim = &o; ck.with_state = 1; ck.vocab = vocab; ck.vocab_cap = 16; ck.refuse_nonfinite = 1;
    if (rnn_load_memory(&m, &ck, data, size) == RNN_OK) {
        use(&m, &o);
        rnn_model_free(&m);
    }
    rnn_optim_free(&o); /* always freeable after a load */
    memset(&d, 0, sizeof d); memset(&od, 0, sizeof od);
    d.cell = RNN_LSTM; d.input_size = 3; d.hidden_size = 2; d.output_size = 3;
    rnn_model_init(&fixed, &d);
    rnn_optim_init(&live, &od, fixed.n_params); /* live: replaced on success, kept on failure */
    memset(&ck, 0, sizeof ck);
    ck.optim = &live; ck.with_state = 1; ck.vocab = vocab; ck.vocab_cap = 2;
    if (rnn_load_weights_memory(&fixed, &ck, data, size) == RNN_OK) use(&fixed, &live);
    rnn_optim_free(&live);
    rnn_model_free(&fixed);
    return 0;
}
#endif
