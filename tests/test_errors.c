/* Errors that name the mistake: every misuse the docs list, the status it
   returns (unchanged by the messages) and the one line it leaves in
   m.error or opt.error, word for word. Then: a call that succeeds clears
   the message, and a failing call leaves the model usable. */
#include <string.h>
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"

static rnn_model_desc desc(rnn_cell cell, int X, int H, int Y)
{
    rnn_model_desc d = {0};
    d.cell = cell; d.input_size = X; d.hidden_size = H; d.output_size = Y;
    return d;
}

static void expect(const char *what, rnn_status got, rnn_status want, const char *msg, const char *want_msg)
{
    CHECK(got == want && strcmp(msg, want_msg) == 0, "%s: %s, \"%s\"%s%s", what, rnn_status_string(got), msg,
          got == want ? "" : " (wrong status)", strcmp(msg, want_msg) == 0 ? "" : " (wanted another message)");
}

int main(void)
{
    rnn_model m, dec; rnn_model_desc d; rnn_batch b = {0}; rnn_optim opt; rnn_optim_desc od = {0};
    rnn_status st; rnn_real loss, x[2 * 3 * 4] = {0}, y[2 * 3 * 5] = {0};
    int tok[6] = {0, 1, 2, 3, 0, 1}, bad_tok[6] = {0, 1, 9, 3, 0, 1}, rows[2] = {0, 7};

    /* rnn_model_init */
    d = desc((rnn_cell)42, 4, 3, 4);
    st = rnn_model_init(&m, &d);
    expect("cell = 42", st, RNN_ERR_ARG, m.error, "rnn_model_init: cell is 42; expected 0 (RNN_LSTM) or RNN_TANH..RNN_PEEPHOLE (1..6)");
    d = desc(RNN_GRU, 0, 3, 4);
    st = rnn_model_init(&m, &d);
    expect("input_size forgotten", st, RNN_ERR_ARG, m.error,
           "rnn_model_init: input_size is 0; set it to the features per step, or the vocabulary size for x_tokens (1..16777216)");
    d = desc(RNN_GRU, 4, 3, 4); d.dropout = 1;
    st = rnn_model_init(&m, &d);
    expect("dropout 1", st, RNN_ERR_ARG, m.error, "rnn_model_init: dropout is 1; expected in [0, 1)");
    d = desc(RNN_GRU, 4, 3, 4); d.gru_flags = RNN_GRU_UPDATE_DECK | RNN_GRU_UPDATE_KEEP;
    st = rnn_model_init(&m, &d);
    expect("both GRU update conventions", st, RNN_ERR_ARG, m.error,
           "rnn_model_init: gru_flags has both RNN_GRU_UPDATE_DECK and RNN_GRU_UPDATE_KEEP; choose one");

    /* output_size forgotten: the model is legal (no output layer), the batch's targets are not */
    d = desc(RNN_LSTM, 4, 3, 0);
    st = rnn_model_init(&m, &d);
    CHECK(st == RNN_OK && m.error[0] == 0, "a model without an output layer builds, m.error empty");
    b.T = 2; b.B = 3; b.x_tokens = tok; b.y_tokens = tok;
    st = rnn_forward(&m, &b, &loss);
    expect("output_size forgotten", st, RNN_ERR_SIZE, m.error,
           "rnn_forward: batch has y_tokens but output_size is 0 (no output layer); set output_size to the number of classes");
    rnn_model_free(&m);

    d = desc(RNN_LSTM, 4, 3, 4);
    rnn_model_init(&m, &d);
    memset(&b, 0, sizeof b); b.T = 2; b.B = 3;
    st = rnn_forward(&m, &b, &loss);
    expect("neither x nor x_tokens", st, RNN_ERR_ARG, m.error, "rnn_forward: batch has neither x nor x_tokens; set one of them");
    b.x = x; b.x_tokens = tok;
    st = rnn_forward(&m, &b, &loss);
    expect("both x and x_tokens", st, RNN_ERR_ARG, m.error, "rnn_forward: batch has both x and x_tokens; set only one");
    b.x = NULL; b.x_tokens = bad_tok;
    st = rnn_forward(&m, &b, &loss);
    expect("a token past the vocabulary", st, RNN_ERR_TOKEN, m.error,
           "rnn_forward: x_tokens[2] is 9; expected 0..3 (input_size 4, the vocabulary)");
    b.x_tokens = tok; b.y = y;
    st = rnn_forward(&m, &b, &loss);
    expect("dense b.y for a softmax model", st, RNN_ERR_SIZE, m.error,
           "rnn_forward: batch has dense y but the model's output is RNN_SOFTMAX; give the classes in y_tokens");
    b.y = NULL; b.y_tokens = bad_tok;
    st = rnn_forward(&m, &b, &loss);
    expect("a target past the classes", st, RNN_ERR_TOKEN, m.error,
           "rnn_forward: y_tokens[2] is 9; expected -1 (no target) or 0..3 (output_size 4)");

    /* backward after a forward without targets */
    b.y_tokens = NULL;
    st = rnn_forward(&m, &b, &loss);
    CHECK(st == RNN_OK && m.error[0] == 0, "a forward without targets succeeds and clears m.error");
    st = rnn_backward(&m);
    expect("backward after a forward without targets", st, RNN_ERR_ARG, m.error,
           "rnn_backward: the last rnn_forward had no targets (y or y_tokens); give the batch targets");

    /* the rest of the model's calls */
    st = rnn_reserve(&m, 0, 3);
    expect("rnn_reserve T = 0", st, RNN_ERR_ARG, m.error, "rnn_reserve: T = 0, B = 3; expected T in 1..16777216, B in 1..1048576, T*B <= 2147483647");
    st = rnn_state_select(&m, rows, 2);
    expect("rnn_state_select, a row past B", st, RNN_ERR_ARG, m.error, "rnn_state_select: rows[1] is 7; expected 0..2 (the model's B is 3)");
    st = rnn_generate(&m, 1, 4, tok, tok, (rnn_real)0.5, NULL);
    expect("rnn_generate sampling without a generator", st, RNN_ERR_ARG, m.error,
           "rnn_generate: temperature 0.5 samples but r is NULL; give a generator or temperature 0");
    st = rnn_step(&m, 3, NULL, NULL);
    expect("rnn_step without input", st, RNN_ERR_ARG, m.error, "rnn_step: batch has neither x nor x_tokens; set one of them");
    st = rnn_generate(&m, 1, 4, bad_tok + 2, tok, 0, NULL);
    expect("rnn_generate from a token past the vocabulary", st, RNN_ERR_TOKEN, m.error,
           "rnn_generate: x_tokens[0] is 9; expected 0..3 (input_size 4, the vocabulary)");
    {   /* rnn_grad_check names itself */
        rnn_real worst;
        b.y_tokens = NULL;
        st = rnn_grad_check(&m, &b, 1e-5, &worst, NULL);
        expect("rnn_grad_check on a batch without targets", st, RNN_ERR_ARG, m.error,
               "rnn_grad_check: the last rnn_forward had no targets (y or y_tokens); give the batch targets");
        b.x_tokens = NULL;
        st = rnn_grad_check(&m, &b, 1e-5, &worst, NULL);
        expect("rnn_grad_check on a batch without input", st, RNN_ERR_ARG, m.error,
               "rnn_grad_check: batch has neither x nor x_tokens; set one of them");
        b.x_tokens = tok; b.y_tokens = tok;
        st = rnn_grad_check(&m, &b, 0, &worst, NULL);
        expect("rnn_grad_check with eps 0", st, RNN_ERR_ARG, m.error,
               "rnn_grad_check: eps is 0; expected a step in (0, 1), about 1e-5 in double");
        st = rnn_grad_check(&m, &b, 1e-5, NULL, NULL);
        expect("rnn_grad_check with worst NULL", st, RNN_ERR_ARG, m.error,
               "rnn_grad_check: worst is NULL; give a place for the largest relative error");
        b.y_tokens = NULL;
    }
    {   /* the backward from the outputs, on a model with a head */
        rnn_real d_out[2 * 3 * 3] = {0};
        st = rnn_backward_outputs(&m, d_out);
        expect("rnn_backward_outputs on a model with a head", st, RNN_ERR_SIZE, m.error,
               "rnn_backward_outputs: the model has an output layer (output_size 4); use rnn_backward, or output_size 0");
    }
    st = rnn_clip_by_value(&m, -1);
    expect("rnn_clip_by_value -1", st, RNN_ERR_ARG, m.error, "rnn_clip_by_value: v is -1; expected a bound >= 0");
    CHECK(rnn_clip_by_global_norm(&m, -2) == -1 && strcmp(m.error, "rnn_clip_by_global_norm: c is -2; expected a bound >= 0 (nothing clipped, -1 returned)") == 0,
          "rnn_clip_by_global_norm -2: -1, \"%s\"", m.error);
    st = rnn_clip_by_tensor_norm(&m, -3);
    expect("rnn_clip_by_tensor_norm -3", st, RNN_ERR_ARG, m.error, "rnn_clip_by_tensor_norm: c is -3; expected a bound >= 0");
    d = desc(RNN_LSTM, 4, 5, 4);
    rnn_model_init(&dec, &d);
    st = rnn_state_copy(&dec, &m);
    expect("rnn_state_copy between hidden sizes", st, RNN_ERR_SIZE, dec.error, "rnn_state_copy: dst layer 0 has H = 5, src 3; they must match");
    rnn_model_free(&dec);

    /* a model with no head: its outputs, and the backward from them */
    d = desc(RNN_GRU, 4, 3, 0);
    rnn_model_init(&dec, &d);
    {
        rnn_real d_out[2 * 3 * 3] = {0};
        CHECK(rnn_outputs(&dec) == NULL && strcmp(dec.error, "rnn_outputs: no forward yet; call rnn_forward first") == 0,
              "rnn_outputs before any forward: NULL, \"%s\"", dec.error);
        st = rnn_backward_outputs(&dec, d_out);
        expect("rnn_backward_outputs before any forward", st, RNN_ERR_ARG, dec.error,
               "rnn_backward_outputs: no forward to differentiate; call rnn_forward first");
        b.y_tokens = NULL;
        st = rnn_forward(&dec, &b, NULL);
        CHECK(st == RNN_OK && rnn_outputs(&dec) != NULL && dec.error[0] == 0, "a headless forward without targets: rnn_outputs gives its outputs");
        st = rnn_backward_outputs(&dec, NULL);
        expect("rnn_backward_outputs with d_out NULL", st, RNN_ERR_ARG, dec.error,
               "rnn_backward_outputs: d_out is NULL; give dL/dout<t>, (T, B, D*H) numbers");
        st = rnn_backward(&dec);
        expect("rnn_backward on a model with no head", st, RNN_ERR_ARG, dec.error,
               "rnn_backward: the model has no output layer (output_size 0); give dL/dout<t> to rnn_backward_outputs");
        CHECK(rnn_backward_outputs(&dec, d_out) == RNN_OK && dec.error[0] == 0, "... and rnn_backward_outputs with d_out works, m.error empty");
    }
    rnn_model_free(&dec);

    /* the model still works after its mistakes */
    b.y_tokens = tok;
    st = rnn_forward(&m, &b, &loss);
    CHECK(st == RNN_OK && m.error[0] == 0 && rnn_backward(&m) == RNN_OK, "after the mistakes, forward and backward work and m.error is empty");

    /* the optimizer */
    od.kind = RNN_ADAM; od.lr = -1;
    st = rnn_optim_init(&opt, &od, m.n_params);
    expect("a negative learning rate", st, RNN_ERR_ARG, opt.error, "rnn_optim_init: lr is -1; expected a finite number > 0");
    od.lr = 0;
    st = rnn_optim_init(&opt, &od, 0);
    expect("n = 0 parameters", st, RNN_ERR_ARG, opt.error, "rnn_optim_init: n is 0; expected the number of parameters (m.n_params)");
    st = rnn_optim_init(&opt, &od, m.n_params);
    opt.desc.beta2 = 1;
    st = rnn_optim_step(&opt, m.params, m.grads);
    expect("beta2 changed to 1 after init", st, RNN_ERR_ARG, opt.error, "rnn_optim_step: beta2 is 1; expected in [0, 1)");
    rnn_optim_free(&opt);
    st = rnn_optim_step(&opt, m.params, m.grads);
    expect("a step of a freed optimizer", st, RNN_ERR_ARG, opt.error, "rnn_optim_step: the optimizer has no moments; call rnn_optim_init first");
    rnn_model_free(&m);

    /* loss_last_only ignores (does not range-check) the targets it does not use */
    d = desc(RNN_GRU, 4, 3, 4); d.loss_last_only = 1;
    rnn_model_init(&m, &d);
    {
        int early_junk[6] = {99, -5, 7, 1, 2, 3}; /* step 0 unused, step 1 (last) in range */
        int last_bad[6] = {0, 1, 2, 3, 9, 1};
        rnn_real l1, l2;
        memset(&b, 0, sizeof b); b.T = 2; b.B = 3; b.x_tokens = tok; b.y_tokens = early_junk;
        st = rnn_forward(&m, &b, &l1);
        CHECK(st == RNN_OK, "loss_last_only: out-of-range targets at the unused step are ignored (%s)", rnn_status_string(st));
        early_junk[0] = 0; early_junk[1] = 0; early_junk[2] = 0;
        st = rnn_forward(&m, &b, &l2);
        CHECK(st == RNN_OK && l1 == l2, "loss_last_only: the unused targets change nothing (loss %g and %g)", (double)l1, (double)l2);
        b.y_tokens = last_bad;
        st = rnn_forward(&m, &b, &l1);
        expect("loss_last_only: a bad target at the last step is still refused", st, RNN_ERR_TOKEN, m.error,
               "rnn_forward: y_tokens[4] is 9; expected -1 (no target) or 0..3 (output_size 4)");
    }
    rnn_model_free(&m);

    /* the loss's scale (api.md's first page): summed over T, averaged over B;
       PyTorch's mean over the N targets is L * B / N */
    {
        int xt[6] = {0, 1, 2, 3, 0, 1}, yt[6] = {1, 2, 3, -1, 1, 2}, i, N = 0;
        double sum = 0;
        d = desc(RNN_GRU, 4, 3, 4);
        rnn_model_init(&m, &d);
        memset(&b, 0, sizeof b); b.T = 2; b.B = 3; b.x_tokens = xt; b.y_tokens = yt;
        st = rnn_forward(&m, &b, &loss);
        for (i = 0; i < 6; i++) if (yt[i] >= 0) { sum -= log((double)m.y[i * 4 + yt[i]]); N++; }
        CHECK(st == RNN_OK && fabs((double)loss * 3 / N - sum / N) < 1e-5 && fabs((double)loss * 3 - sum) < 1e-5,
              "the loss is summed over T, averaged over B: L*B = %g = the sum of -log y over the %d targets (%g); PyTorch's mean L*B/N = %g",
              (double)loss * 3, N, sum, (double)loss * 3 / N);
        rnn_model_free(&m);
    }
    return test_done();
}
