/* minchar.c - Karpathy's min-char-rnn (2015, 112 lines of Python and numpy)
   in C, with rnn.h doing the forward pass, backpropagation through time, the
   clipping and Adagrad. The same model and settings: a character-level tanh
   RNN, h_t = tanh(W_hh h_{t-1} + W_xh x_t), y_t = W_hy h_t (deck D4, "1.
   Entrenamiento Recurrent Neural Networks"), 100 hidden units, chunks of 25
   characters with the state carried over, weights N(0, 0.01^2), biases 0,
   every gradient clipped to [-5, 5], Adagrad with learning rate 0.1. Every
   100 updates it prints a 200-character sample and the smoothed loss.
       make build/minchar && ./build/minchar input.txt --steps 20000 */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "lab.h"        /* options */
#include "lab_text.h"   /* the text as code points */

typedef struct config { char text[512]; int steps, seed, help; } config;
static lab_option options[] = {{"--text", "FILE", LAB_TEXT, offsetof(config, text), 0, 512, "the text (also: the plain argument)", 0},
    {"--steps", "N", LAB_INT, offsetof(config, steps), 1, 1e9, "updates, 25 characters each", 0},
    {"--seed", "S", LAB_INT, offsetof(config, seed), 1, 1e9, "the weights and the samples", 0},
    {"--help", NULL, LAB_FLAG, offsetof(config, help), 0, 1, "show this help and exit (also -h)", 0}};

int main(int argc, char **argv)
{
    enum { H = 100, T = 25, SAMPLE = 200 };
    config c = {"rnn.h", 100000, 1, 0};
    lab_corpus text;
    rnn_model m, s;                        /* the model, and a copy that samples */
    rnn_model_desc d = {0};
    rnn_optim_desc od = {0};
    rnn_optim opt;
    rnn_rng rng;
    rnn_real loss;
    double smooth;
    int n, p = 0, i, k, out[SAMPLE], rc;
    char path[512];
    if ((rc = lab_options("minchar", "usage: minchar [options] [FILE]\nmin-char-rnn: a tanh RNN learns a text character by character.\n",
                          options, LAB_COUNT(options), &c, sizeof c, argc, argv, "--text")) != LAB_GO) return rc;
    if (!lab_corpus_read(&text, lab_option_seen(options, 4, "--text") ? c.text : lab_project_file(c.text, path, sizeof path), "")) return 1;
    if (text.n < T + 2) return fprintf(stderr, "minchar: '%s' is too small: %d characters, %d at least\n", c.text, text.n, T + 2), 1;
    printf("data has %d characters, %d unique.\n", text.n, text.V);
    d.cell = RNN_TANH; d.input_size = d.output_size = text.V; d.hidden_size = H; d.output = RNN_SOFTMAX;
    od.kind = RNN_ADAGRAD; od.lr = 0.1f; od.eps = 1e-4f;  /* min-char-rnn divides by sqrt(mem + 1e-8) */
    if (rnn_model_init(&m, &d) || rnn_model_init(&s, &d) || rnn_optim_init(&opt, &od, m.n_params)) return fprintf(stderr, "minchar: out of memory\n"), 1;
    rnn_rng_seed(&rng, (uint64_t)c.seed);
    for (k = 0; k < m.n_tensors; k++)                  /* W ~ N(0, 0.01^2), b = 0 */
        for (i = 0; i < m.tensors[k].rows * m.tensors[k].cols; i++)
            m.tensors[k].data[i] = m.tensors[k].ndim == 1 ? 0 : (rnn_real)(0.01 * rnn_rng_normal(&rng));
    smooth = -log(1.0 / text.V) * T;                   /* the loss of a uniform guess at iteration 0 */
    for (n = 0; n < c.steps; n++, p += T) {
        rnn_batch b = {0};
        if (p + T + 1 >= text.n || n == 0) { rnn_reset_state(&m); p = 0; }   /* from the start, h = 0 */
        if (n % 100 == 0) {  /* a sample from the state before this chunk, read from its first character */
            memcpy(s.params, m.params, sizeof(rnn_real) * (size_t)m.n_params);
            if (p == 0) rnn_reset_state(&s); else rnn_state_copy(&s, &m);
            rnn_generate(&s, 1, SAMPLE, &text.ids[p], out, 1, &rng);   /* [lm.sample] at temperature 1 */
            for (printf("----\n "), i = 0; i < SAMPLE; i++) lab_put_cp(stdout, text.vocab[out[i]]);
            printf(" \n----\n");
        }
        b.T = T; b.B = 1; b.x_tokens = text.ids + p; b.y_tokens = text.ids + p + 1;   /* targets: the next characters */
        rnn_zero_grad(&m);
        rc = rnn_forward(&m, &b, &loss);                /* [loss.sum] over the 25 characters */
        if (lab_diverged(NULL, n + 1, (rnn_status)rc, (double)loss / T, 10 * log((double)text.V))) return 1;
        rnn_backward(&m);                               /* [bptt.*] */
        rnn_clip_by_value(&m, 5);                       /* np.clip(dparam, -5, 5) */
        rnn_optim_step(&opt, m.params, m.grads);        /* Adagrad */
        rnn_carry_state(&m);                            /* hprev: the next chunk starts here ([tbptt]) */
        smooth = smooth * 0.999 + (double)loss * 0.001;
        if (n % 100 == 0) printf("iter %d, loss: %f\n", n, smooth);
    }
    rnn_model_free(&m); rnn_model_free(&s); rnn_optim_free(&opt); lab_corpus_free(&text);
    return 0;
}
