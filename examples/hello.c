/* hello.c - the "hello" character model of deck D4, the first program to read.
   Vocabulary h, e, l, o (one-hot inputs); a simple tanh RNN with hidden size 3;
   it learns to predict the next letter of "hello":  h e l l -> e l l o.
   Build and run:  make demo   (or: cc -O2 -I. examples/hello.c -lm && ./a.out) */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char vocab[4] = {'h', 'e', 'l', 'o'};

/* every rnn.h function that can fail returns a status: stop at the first one */
static void check(rnn_status st, const char *what)
{
    if (st != RNN_OK) { fprintf(stderr, "hello: %s: %s\n", what, rnn_status_string(st)); exit(1); }
}

/* the table of the slide: for each step, the input, the target and p(next letter) */
static void print_table(rnn_model *m, const rnn_batch *b, const char *title)
{
    rnn_real loss; int t, k;
    rnn_reset_state(m);                          /* h<0> = 0 */
    check(rnn_forward(m, b, &loss), "forward");
    printf("%s (loss %.4f)\n  in  target    p(h)   p(e)   p(l)   p(o)\n", title, (double)loss);
    for (t = 0; t < b->T; t++) {
        printf("  %c   %c       ", vocab[b->x_tokens[t]], vocab[b->y_tokens[t]]);
        for (k = 0; k < 4; k++) printf(" %6.3f", (double)m->y[t * 4 + k]);
        printf("\n");
    }
}

static void print_matrix(const char *name, const rnn_real *W, int rows, int cols)
{
    int i, j;
    printf("%s (%d x %d):\n", name, rows, cols);
    for (i = 0; i < rows; i++) {
        for (j = 0; j < cols; j++) printf(" %7.3f", (double)W[i * cols + j]);
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    int in[4] = {0, 1, 2, 2}, out[4] = {1, 2, 2, 3};  /* h e l l -> e l l o */
    int first = 0, sample[4], step, t;
    rnn_model m; rnn_model_desc d = {0};
    rnn_optim opt; rnn_optim_desc od = {0};
    rnn_batch b = {0};
    rnn_rng rng;
    rnn_real loss = 0;

    if (argc > 1) { /* hello takes no options; -h and --help say so */
        int help = argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
        if (help) printf("usage: hello\nTrains the \"hello\" character model of deck D4 and prints what it learned.\n");
        else fprintf(stderr, "hello: unknown option '%s' (hello takes none; try --help)\n", argv[1]);
        return help ? 0 : 2;
    }
    d.cell = RNN_TANH; d.input_size = 4; d.hidden_size = 3; d.output_size = 4;
    d.output = RNN_SOFTMAX;                              /* [rnn.output] y = softmax(W_hy h + b_y) */
    check(rnn_model_init(&m, &d), "the model");
    od.kind = RNN_ADAM; od.lr = 0.05f;
    check(rnn_optim_init(&opt, &od, m.n_params), "the optimizer");
    b.T = 4; b.B = 1; b.x_tokens = in; b.y_tokens = out;

    print_table(&m, &b, "Before training");
    for (step = 1; step <= 500; step++) {
        rnn_reset_state(&m);
        rnn_zero_grad(&m);
        check(rnn_forward(&m, &b, &loss), "forward");   /* L = sum over the 4 steps */
        check(rnn_backward(&m), "backward");             /* backpropagation through time */
        rnn_clip_by_global_norm(&m, 5);
        check(rnn_optim_step(&opt, m.params, m.grads), "optimizer step");
        if (step % 100 == 0) printf("step %3d  loss %.5f\n", step, (double)loss);
    }
    print_table(&m, &b, "After training");
    /* deck D4's names: W_xh = weight_ih_l0, W_hh = weight_hh_l0, W_hy = head.weight */
    print_matrix("W_xh", m.layers[0].W_ih, 3, 4);
    print_matrix("W_hh", m.layers[0].W_hh, 3, 3);
    print_matrix("W_hy", m.W_hy, 4, 3);

    rnn_rng_seed(&rng, 1);
    rnn_reset_state(&m);
    check(rnn_generate(&m, 1, 4, &first, sample, 0, &rng), "generate"); /* greedy: feed each letter back */
    printf("sample from 'h': h");
    for (t = 0; t < 4; t++) putchar(vocab[sample[t]]);
    printf("\nfinal loss %.5f\n", (double)loss);
    rnn_optim_free(&opt);
    rnn_model_free(&m);
    return 0;
}
