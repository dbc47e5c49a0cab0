/* Misuse of the API: sizes at and past the limits, a zeroed model or
   optimizer, settings that cannot train, models that do not fit together.
   Each case must return a status and change nothing; none may crash or be
   undefined behaviour (make test-sanitize runs this under ASan and UBSan).
   The allocator refuses blocks over 256 MB, so a size that passes a limit
   it should not have passed shows as RNN_ERR_NOMEM, not as a machine out
   of memory. */
#include <stdlib.h>
#include <string.h>
#include <limits.h>
static size_t test_biggest_asked;
static void *test_malloc(size_t n)
{
    if (n > test_biggest_asked) test_biggest_asked = n;
    return n > ((size_t)256 << 20) ? NULL : malloc(n);
}
#define RNN_MALLOC(n) test_malloc(n)
#define RNN_FREE(p) free(p)
#define RNN_ASSERT(x) do { if (!(x)) abort(); } while (0)
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"

static rnn_status build(rnn_model *m, rnn_cell cell, int X, int H, int Y)
{
    rnn_model_desc d;
    memset(&d, 0, sizeof d);
    d.cell = cell; d.input_size = X; d.hidden_size = H; d.output_size = Y;
    return rnn_model_init(m, &d);
}

static void test_sizes(void)
{
    rnn_model m; rnn_model_desc d; rnn_status st;
    memset(&d, 0, sizeof d);
    d.cell = RNN_LSTM; d.input_size = 4; d.hidden_size = 3; d.output_size = 4;
    d.num_layers = INT_MAX; d.bidirectional = 1;
    st = rnn_model_init(&m, &d);
    CHECK(st == RNN_ERR_ARG, "num_layers INT_MAX, bidirectional: %s (num_layers * 2 overflowed an int)", rnn_status_string(st));
    d.num_layers = 5;
    CHECK(rnn_model_init(&m, &d) == RNN_ERR_ARG, "num_layers 5, bidirectional: 10 layers > RNN_MAX_LAYERS");
    d.num_layers = 4;
    st = rnn_model_init(&m, &d);
    CHECK(st == RNN_OK && m.L == 8, "num_layers 4, bidirectional: the 8 layers of RNN_MAX_LAYERS");
    if (st == RNN_OK) {
        st = rnn_reserve(&m, 1 << 24, 1 << 20);
        CHECK(st == RNN_ERR_ARG, "rnn_reserve(T = 2^24, B = 2^20): %s (T*B rows does not fit an int)", rnn_status_string(st));
        rnn_model_free(&m);
    }
    d.num_layers = 1; d.bidirectional = 0; d.gru_flags = 8;
    CHECK(rnn_model_init(&m, &d) == RNN_ERR_ARG, "gru_flags 8 (no such flag) is refused");
    /* LSTM, H = 512, X = 2^20 - 514: 4 * 512 * (X + 512 + 2) = 2^31 parameters,
       one more than n_params (an int) can count */
    st = build(&m, RNN_LSTM, (1 << 20) - 514, 512, 0);
    CHECK(st == RNN_ERR_ARG, "exactly 2^31 parameters: %s (n_params is an int)", rnn_status_string(st));
    if (st == RNN_OK) rnn_model_free(&m);
    test_biggest_asked = 0;
    st = build(&m, RNN_LSTM, (1 << 20) - 515, 512, 0);
    CHECK(st == RNN_ERR_NOMEM && test_biggest_asked == sizeof(rnn_real) * (((size_t)1 << 31) - 2048),
          "2^31 - 2048 parameters pass the limit (here the allocator refuses %zu bytes)", test_biggest_asked);
    if (st == RNN_OK) rnn_model_free(&m);
}

static void test_zeroed(void)
{
    rnn_model z; rnn_optim o; rnn_real p[3] = {1, 2, 3}, g[3] = {1, 1, 1};
    memset(&z, 0, sizeof z);
    rnn_zero_grad(&z); /* memset(NULL, 0, 0) was undefined behaviour */
    CHECK(1, "rnn_zero_grad on a zeroed model does nothing");
    memset(&o, 0, sizeof o);
    CHECK(rnn_optim_step(&o, p, g) == RNN_ERR_ARG && p[0] == 1, "rnn_optim_step with a zeroed optimizer: %s, nothing changed",
          rnn_status_string(RNN_ERR_ARG));
}

static void test_optim(void)
{
    static const struct { const char *what; rnn_optim_kind kind; float lr, momentum, beta1, beta2, alpha, eps; } bad[] = {
        {"kind -3", (rnn_optim_kind)-3, 0, 0, 0, 0, 0, 0}, {"kind 9", (rnn_optim_kind)9, 0, 0, 0, 0, 0, 0},
        {"lr NaN", RNN_ADAM, NAN, 0, 0, 0, 0, 0}, {"lr -1", RNN_SGD, -1, 0, 0, 0, 0, 0},
        {"lr Inf", RNN_SGD, INFINITY, 0, 0, 0, 0, 0}, {"eps NaN", RNN_ADAM, 0, 0, 0, 0, 0, NAN},
        {"eps -1e-8", RNN_RMSPROP, 0, 0, 0, 0, 0, -1e-8f}, {"beta1 2", RNN_ADAM, 0, 0, 2, 0, 0, 0},
        {"beta2 1", RNN_ADAM, 0, 0, 0, 1, 0, 0}, {"momentum -0.5", RNN_SGD, 0, -0.5f, 0, 0, 0, 0},
        {"momentum 1", RNN_SGD, 0, 1, 0, 0, 0, 0}, {"alpha 1.5", RNN_RMSPROP, 0, 0, 0, 0, 1.5f, 0},
    };
    rnn_optim o; rnn_optim_desc od; rnn_model m; rnn_real *before; size_t i;
    int x[2] = {0, 1}, y[2] = {1, 0};
    rnn_batch b;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rnn_status st;
        memset(&od, 0, sizeof od);
        od.kind = bad[i].kind; od.lr = bad[i].lr; od.momentum = bad[i].momentum; od.beta1 = bad[i].beta1;
        od.beta2 = bad[i].beta2; od.alpha = bad[i].alpha; od.eps = bad[i].eps;
        st = rnn_optim_init(&o, &od, 10);
        CHECK(st == RNN_ERR_ARG && !o.m1, "rnn_optim_init with %s: %s", bad[i].what, rnn_status_string(st));
        rnn_optim_free(&o);
    }
    memset(&od, 0, sizeof od);
    CHECK(rnn_optim_init(&o, &od, 10) == RNN_OK && o.desc.kind == RNN_ADAM, "rnn_optim_init with every default: Adam");
    rnn_optim_free(&o);
    /* a NaN learning rate set after init is refused at the step that would
       use it, before it makes every weight NaN */
    build(&m, RNN_GRU, 2, 3, 2);
    memset(&od, 0, sizeof od); memset(&b, 0, sizeof b);
    rnn_optim_init(&o, &od, m.n_params);
    b.T = 2; b.B = 1; b.x_tokens = x; b.y_tokens = y;
    rnn_forward(&m, &b, NULL); rnn_backward(&m);
    before = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)m.n_params);
    memcpy(before, m.params, sizeof(rnn_real) * (size_t)m.n_params);
    o.desc.lr = (rnn_real)NAN;
    CHECK(rnn_optim_step(&o, m.params, m.grads) == RNN_ERR_ARG && o.step == 0 &&
          memcmp(before, m.params, sizeof(rnn_real) * (size_t)m.n_params) == 0,
          "a NaN lr set after init: the step returns %s and changes no weight", rnn_status_string(RNN_ERR_ARG));
    o.desc.lr = (rnn_real)0.01;
    CHECK(rnn_optim_step(&o, m.params, m.grads) == RNN_OK && o.step == 1, "with lr 0.01 again the step is taken");
    free(before);
    rnn_optim_free(&o); rnn_model_free(&m);
}

static void test_clip(void)
{
    rnn_model m; rnn_real g0, norm; int i, same = 1;
    build(&m, RNN_TANH, 2, 2, 2);
    for (i = 0; i < m.n_params; i++) m.grads[i] = (rnn_real)(i % 3 - 1) * 2;
    g0 = m.grads[2];
    CHECK(rnn_clip_by_value(&m, -1) == RNN_ERR_ARG && rnn_clip_by_value(&m, (rnn_real)NAN) == RNN_ERR_ARG &&
          m.grads[2] == g0, "clip by value -1 or NaN: %s, the gradient keeps its sign (%g)", rnn_status_string(RNN_ERR_ARG), (double)m.grads[2]);
    norm = rnn_clip_by_global_norm(&m, -1);
    CHECK(norm == -1 && m.grads[2] == g0, "clip by global norm -1: returns -1 and changes nothing (it flipped the sign)");
    CHECK(rnn_clip_by_tensor_norm(&m, -1) == RNN_ERR_ARG && m.grads[2] == g0, "clip by tensor norm -1: %s", rnn_status_string(RNN_ERR_ARG));
    CHECK(rnn_clip_by_value(&m, 0) == RNN_OK, "clip by value 0 is allowed (every gradient becomes 0)");
    for (i = 0; i < m.n_params; i++) if (m.grads[i] != 0) same = 0;
    CHECK(same, "... and does that");
    rnn_model_free(&m);
}

static void test_forward_inputs(void)
{
    rnn_model m; rnn_batch b; rnn_real x[6] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, y[6] = {0, 1, 0, 1, 0, 1};
    rnn_status st;
    rnn_model_desc d;
    memset(&d, 0, sizeof d);
    d.cell = RNN_LSTM; d.input_size = 2; d.hidden_size = 3; d.output_size = 2; d.output = RNN_LINEAR;
    rnn_model_init(&m, &d);
    memset(&b, 0, sizeof b);
    b.T = 3; b.B = 1; b.x = x; b.y = y;
    x[3] = (rnn_real)INFINITY;
    st = rnn_forward(&m, &b, NULL);
    CHECK(st == RNN_ERR_NAN && rnn_backward(&m) == RNN_ERR_ARG, "an Inf input: the forward returns %s (it was OK, with NaN gradients)",
          rnn_status_string(st));
    x[3] = 0.4f; y[4] = (rnn_real)NAN;
    st = rnn_forward(&m, &b, NULL);
    CHECK(st == RNN_ERR_NAN, "a NaN target: %s", rnn_status_string(st));
    y[4] = 0;
    CHECK(rnn_forward(&m, &b, NULL) == RNN_OK && rnn_backward(&m) == RNN_OK, "finite again: OK");
    rnn_model_free(&m);
}

/* rnn_backward_from between models that do not fit: it read past a buffer */
static void test_bridge(void)
{
    rnn_model enc, dec, dec_unrun; rnn_batch b; int x[3] = {0, 1, 2}, y[3] = {1, 2, 0};
    rnn_status st;
    build(&enc, RNN_GRU, 3, 64, 0);
    build(&dec, RNN_GRU, 3, 1, 3);
    build(&dec_unrun, RNN_GRU, 3, 64, 3);
    memset(&b, 0, sizeof b);
    b.T = 3; b.B = 1; b.x_tokens = x;
    rnn_forward(&enc, &b, NULL);
    b.y_tokens = y;
    rnn_forward(&dec, &b, NULL); rnn_backward(&dec);
    st = rnn_backward_from(&enc, &dec);
    CHECK(st == RNN_ERR_SIZE, "rnn_backward_from an encoder of H 64 and a decoder of H 1: %s", rnn_status_string(st));
    st = rnn_backward_from(&enc, &dec_unrun);
    CHECK(st == RNN_ERR_SIZE || st == RNN_ERR_ARG, "... and from a decoder that never ran: %s", rnn_status_string(st));
    rnn_model_free(&enc); rnn_model_free(&dec); rnn_model_free(&dec_unrun);
}

static void test_generate(void)
{
    rnn_model m; int first = 0, out[4] = {-7, -7, -7, -7}; rnn_rng r; rnn_status st;
    build(&m, RNN_TANH, 4, 3, 4);
    st = rnn_generate(&m, 1, 4, &first, out, (rnn_real)0.8, NULL);
    CHECK(st == RNN_ERR_ARG && out[0] == -7, "rnn_generate with temperature 0.8 and no generator: %s (it crashed)", rnn_status_string(st));
    CHECK(rnn_generate(&m, 1, 4, &first, out, 0, NULL) == RNN_OK, "greedy (temperature 0) needs no generator");
    rnn_rng_seed(&r, 1);
    CHECK(rnn_generate(&m, 1, 4, &first, out, (rnn_real)0.8, &r) == RNN_OK && out[3] >= 0 && out[3] < 4, "with one it samples");
    rnn_model_free(&m);
}

/* rnn_backward_outputs refused: the status, and not one gradient changed */
static void test_backward_outputs(void)
{
    rnn_model m, head; rnn_batch b; int x[3] = {0, 1, 2}, i, untouched = 1;
    rnn_real d_out[3 * 2 * 4];
    rnn_status st1, st2, st3;
    for (i = 0; i < 3 * 2 * 4; i++) d_out[i] = 1;
    build(&m, RNN_LSTM, 3, 4, 0);
    build(&head, RNN_LSTM, 3, 4, 3);
    memset(&b, 0, sizeof b);
    b.T = 3; b.B = 1; b.x_tokens = x;
    st1 = rnn_backward_outputs(&m, d_out);        /* no forward yet */
    rnn_forward(&m, &b, NULL);
    st2 = rnn_backward_outputs(&m, NULL);         /* no gradient given */
    rnn_forward(&head, &b, NULL);
    st3 = rnn_backward_outputs(&head, d_out);     /* a model with a head */
    for (i = 0; i < m.n_params; i++) if (m.grads[i] != 0) untouched = 0;
    for (i = 0; i < head.n_params; i++) if (head.grads[i] != 0) untouched = 0;
    CHECK(st1 == RNN_ERR_ARG && st2 == RNN_ERR_ARG && st3 == RNN_ERR_SIZE && untouched,
          "rnn_backward_outputs before a forward, with d_out NULL, on a model with a head: %s, %s, %s, no gradient changed",
          rnn_status_string(st1), rnn_status_string(st2), rnn_status_string(st3));
    rnn_model_free(&m); rnn_model_free(&head);
}

static void test_beam(void)
{
    rnn_model m, lin; rnn_beam b; rnn_batch bt; int out[4] = {-7, -7, -7, -7}, len = -7, tok[2] = {0, 1}, start = 0;
    rnn_status st;
    rnn_model_desc d;
    build(&m, RNN_TANH, 4, 3, 4);
    memset(&b, 0, sizeof b);
    b.width = 2; b.max_len = 4; b.end = 3;
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_ERR_ARG && len == 0 && out[0] == -7 && strstr(m.error, "no step yet"),
          "rnn_beam_search before any step: %s, \"%s\"", rnn_status_string(st), m.error);
    memset(&bt, 0, sizeof bt);
    bt.T = 2; bt.B = 1; bt.x_tokens = tok;
    rnn_forward(&m, &bt, NULL);
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_ERR_ARG && strstr(m.error, "T = 2"), "... after a forward of T = 2: %s, \"%s\"", rnn_status_string(st), m.error);
    rnn_step(&m, 1, NULL, &start);
    st = rnn_beam_search(&m, NULL, out, &len);
    CHECK(st == RNN_ERR_ARG && strstr(m.error, "b NULL"), "... with b NULL: \"%s\"", m.error);
    st = rnn_beam_search(&m, &b, NULL, &len);
    CHECK(st == RNN_ERR_ARG && strstr(m.error, "out NULL"), "... with out NULL: \"%s\"", m.error);
    st = rnn_beam_search(&m, &b, out, NULL);
    CHECK(st == RNN_ERR_ARG && strstr(m.error, "len NULL"), "... with len NULL: \"%s\"", m.error);
    b.width = 0;
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_ERR_ARG && strstr(m.error, "width = 0"), "... width 0: \"%s\"", m.error);
    b.width = (1 << 20) + 1;
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_ERR_ARG && strstr(m.error, "width = 1048577"), "... width 2^20 + 1: \"%s\"", m.error);
    b.width = 2; b.max_len = 0;
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_ERR_ARG && strstr(m.error, "max_len = 0"), "... max_len 0: \"%s\"", m.error);
    b.max_len = 4; b.end = 4;
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_ERR_TOKEN && strstr(m.error, "end = 4"), "... end token 4 of 4: %s, \"%s\"", rnn_status_string(st), m.error);
    b.end = -1; b.force_end = 1;
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_ERR_ARG && strstr(m.error, "force_end"), "... force_end without an end token: \"%s\"", m.error);
    b.force_end = 0; b.width = 1 << 20; b.max_len = 1 << 24;
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_ERR_NOMEM && strstr(m.error, "out of memory"), "... width 2^20, max_len 2^24: %s (refused by the allocator)", rnn_status_string(st));
    CHECK(out[0] == -7, "... and none of these wrote out");
    b.width = 2; b.max_len = 4; b.end = 3;
    st = rnn_beam_search(&m, &b, out, &len);
    CHECK(st == RNN_OK && m.error[0] == 0 && len >= 0 && len <= 4, "a valid search succeeds and clears m.error (%d tokens)", len);
    memset(&d, 0, sizeof d);
    d.cell = RNN_TANH; d.input_size = 4; d.hidden_size = 3; d.output_size = 4; d.output = RNN_LINEAR;
    rnn_model_init(&lin, &d);
    rnn_step(&lin, 1, NULL, &start);
    st = rnn_beam_search(&lin, &b, out, &len);
    CHECK(st == RNN_ERR_SIZE && strstr(lin.error, "not RNN_SOFTMAX"), "... on a linear output without log_probs: %s, \"%s\"", rnn_status_string(st), lin.error);
    rnn_model_free(&m); rnn_model_free(&lin);
}

int main(void)
{
    test_sizes();
    test_zeroed();
    test_optim();
    test_clip();
    test_forward_inputs();
    test_bridge();
    test_generate();
    test_backward_outputs();
    test_beam();
    return test_done();
}
