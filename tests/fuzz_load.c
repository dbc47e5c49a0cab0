/* libFuzzer target for the checkpoint loader:  make fuzz FUZZ_SECONDS=60
   Built with -DMAKE_SEEDS (no fuzzer) it writes the seed corpus instead:
   valid checkpoints of every cell, with optimizer state and a vocabulary. */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <string.h>

#ifdef MAKE_SEEDS
int main(int argc, char **argv)
{
    int c;
    const char *dir = argc > 1 ? argv[1] : ".";
    for (c = RNN_TANH; c <= RNN_PEEPHOLE; c++) {
        rnn_model m; rnn_model_desc d; rnn_optim o; rnn_optim_desc od; rnn_checkpoint ck;
        int32_t vocab[3] = {97, 98, 99};
        char path[512];
        memset(&d, 0, sizeof d); memset(&od, 0, sizeof od); memset(&ck, 0, sizeof ck);
        d.cell = (rnn_cell)c; d.input_size = 3; d.hidden_size = 2; d.output_size = 3; d.num_layers = 1 + c % 2;
        rnn_model_init(&m, &d);
        rnn_optim_init(&o, &od, m.n_params);
        ck.optim = c % 2 ? &o : NULL; ck.vocab = vocab; ck.vocab_len = 3;
        snprintf(path, sizeof path, "%s/seed_%d.safetensors", dir, c);
        if (rnn_save(path, &m, &ck) != RNN_OK) { fprintf(stderr, "cannot write %s\n", path); return 1; }
        rnn_optim_free(&o); rnn_model_free(&m);
    }
    return 0;
}
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rnn_model m, fixed;
    rnn_model_desc d;
    rnn_optim o;
    rnn_checkpoint ck;
    int32_t vocab[16];
    memset(&ck, 0, sizeof ck);
    ck.optim = &o; ck.with_state = 1; ck.vocab = vocab; ck.vocab_cap = 16; ck.refuse_nonfinite = 1;
    if (rnn_load_memory(&m, &ck, data, size) == RNN_OK) rnn_model_free(&m);
    rnn_optim_free(&o); /* always freeable after a load */
    memset(&d, 0, sizeof d);
    d.cell = RNN_LSTM; d.input_size = 3; d.hidden_size = 2; d.output_size = 3;
    rnn_model_init(&fixed, &d);
    memset(&ck, 0, sizeof ck);
    rnn_load_weights_memory(&fixed, &ck, data, size);
    rnn_model_free(&fixed);
    return 0;
}
#endif
