/* Tests of the layers and architectures: embeddings, padding masks, leaky
   units, skip connections, bidirectional and stacked layers, and the
   encoder-decoder bridge. Double precision, so gradients check to 1e-6. */
#define RNN_REAL double
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <stdlib.h>
#include <string.h>

static const char *cell_name(rnn_cell c)
{
    static const char *n[] = {"default", "tanh", "relu", "gru_simple", "gru", "lstm", "peephole"};
    return n[c];
}
static void fill(double *v, size_t n, double s, rnn_rng *r)
{
    size_t i;
    for (i = 0; i < n; i++) v[i] = s * (2 * rnn_rng_uniform(r) - 1);
}
static void randomise(rnn_model *m, int B, rnn_rng *r)
{
    int l;
    fill(m->params, (size_t)m->n_params, 0.6, r);
    rnn_reserve(m, 1, B);
    for (l = 0; l < m->L; l++) {
        fill(m->layers[l].h, (size_t)B * m->layers[l].H, 0.8, r);
        fill(m->layers[l].c, (size_t)B * m->layers[l].H, 0.8, r);
    }
}

/* a model with one option set, checked by finite differences */
static void check_variant(const char *what, rnn_model_desc d, int tokens, const int *mask, rnn_rng *r)
{
    rnn_model m; rnn_batch b; double x[4 * 3 * 5]; int xt[12], yt[12], i; double worst;
    int T = 4, B = 3;
    d.input_size = 5; d.hidden_size = 3; d.output_size = 5;
    if (rnn_model_init(&m, &d) != RNN_OK) { CHECK(0, "%s: init", what); return; }
    randomise(&m, B, r);
    memset(&b, 0, sizeof b);
    b.T = T; b.B = B; b.mask = mask;
    for (i = 0; i < T * B; i++) { xt[i] = (int)(rnn_rng_next(r) % 5); yt[i] = (int)(rnn_rng_next(r) % 5); }
    fill(x, sizeof x / sizeof *x, 1, r);
    if (tokens) b.x_tokens = xt; else b.x = x;
    b.y_tokens = yt;
    worst = rnn_grad_check(&m, &b, 1e-5, NULL);
    CHECK(worst < 1e-6, "gradient check, %s (%s): worst relative error %.2e", what, cell_name(m.desc.cell), worst);
    rnn_model_free(&m);
}

static void test_variants(void)
{
    static const rnn_cell cells[] = {RNN_TANH, RNN_GRU, RNN_LSTM, RNN_PEEPHOLE, RNN_GRU_SIMPLE};
    static const int mask_end[12] = {1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0};   /* rows padded at the end */
    static const int mask_start[12] = {0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1}; /* rows padded at the start */
    rnn_rng r; size_t c;
    rnn_rng_seed(&r, 21);
    for (c = 0; c < sizeof cells / sizeof *cells; c++) {
        rnn_model_desc d;
        memset(&d, 0, sizeof d); d.cell = cells[c];
        d.embed_size = 4; check_variant("embedding of size 4 [embed.lookup]", d, 1, NULL, &r);
        d.embed_size = 0; check_variant("padded at the end [embed.pad]", d, 0, mask_end, &r);
        check_variant("padded at the start [embed.pad]", d, 0, mask_start, &r);
        d.loss_last_only = 1; check_variant("many-to-one, padded at the end", d, 0, mask_end, &r);
        d.loss_last_only = 0; d.leak = 0.3; check_variant("leaky units alpha 0.3 [leaky]", d, 0, NULL, &r);
        d.leak = 0; d.skip_delay = 2; check_variant("skip connections from h(t-2) [skip]", d, 0, NULL, &r);
        d.skip_delay = 0; d.bidirectional = 1; check_variant("bidirectional [birnn]", d, 0, NULL, &r);
        d.num_layers = 2; check_variant("bidirectional, 2 levels", d, 0, mask_end, &r);
        d.embed_size = 3; d.leak = 0.5; d.skip_delay = 3; check_variant("everything at once: embedding, 2 bidirectional levels, leak, skip, mask", d, 1, mask_start, &r);
    }
}

/* [embed.pad] a sequence padded (at either end) gives what it gives alone */
static void test_padding(void)
{
    rnn_model m; rnn_model_desc d; rnn_batch b; rnn_rng r;
    int seq[3] = {2, 0, 3}, x_end[5], x_start[5], mask_end[5] = {1, 1, 1, 0, 0}, mask_start[5] = {0, 0, 1, 1, 1};
    int y3[3] = {1, 1, 4}, y_end[5], y_start[5], i;
    double h_alone[4], loss_alone, loss_pad, o_last[5];
    memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
    d.cell = RNN_LSTM; d.input_size = 5; d.hidden_size = 4; d.output_size = 5; d.loss_last_only = 1;
    rnn_model_init(&m, &d); rnn_rng_seed(&r, 4);
    for (i = 0; i < 5; i++) { x_end[i] = i < 3 ? seq[i] : 4; x_start[i] = i < 2 ? 1 : seq[i - 2]; }
    for (i = 0; i < 5; i++) { y_end[i] = i < 3 ? y3[i] : y3[2]; y_start[i] = i < 2 ? 0 : y3[i - 2]; }
    b.T = 3; b.B = 1; b.x_tokens = seq; b.y_tokens = y3;
    rnn_reset_state(&m); rnn_forward(&m, &b, &loss_alone);
    memcpy(h_alone, m.layers[0].h + 3 * 4, sizeof h_alone);
    memcpy(o_last, m.o + 2 * 5, sizeof o_last);
    b.T = 5; b.x_tokens = x_end; b.y_tokens = y_end; b.mask = mask_end;
    rnn_reset_state(&m); rnn_forward(&m, &b, &loss_pad);
    CHECK(memcmp(h_alone, m.layers[0].h + 5 * 4, sizeof h_alone) == 0 && loss_pad == loss_alone,
          "padding at the end: final state and many-to-one loss equal the unpadded sequence's (%.6f)", loss_pad);
    b.x_tokens = x_start; b.y_tokens = y_start; b.mask = mask_start;
    rnn_reset_state(&m); rnn_forward(&m, &b, &loss_pad);
    CHECK(memcmp(h_alone, m.layers[0].h + 5 * 4, sizeof h_alone) == 0 && loss_pad == loss_alone,
          "padding at the start: final state and many-to-one loss equal the unpadded sequence's");
    x_start[0] = 3; x_start[1] = 2; /* other tokens under the padding */
    rnn_reset_state(&m); rnn_forward(&m, &b, &loss_pad);
    CHECK(loss_pad == loss_alone, "the tokens under the padding change nothing");
    (void)o_last;
    rnn_model_free(&m);
}

/* [arch.seq2seq] the encoder's gradient, through the bridge, by finite
   differences over the encoder's parameters */
static double seq2seq_loss(rnn_model *enc, rnn_model *dec, const rnn_batch *be, const rnn_batch *bd)
{
    double loss;
    rnn_reset_state(enc);
    rnn_forward(enc, be, NULL);
    rnn_state_copy(dec, enc);
    rnn_forward(dec, bd, &loss);
    return loss;
}

static void test_seq2seq(void)
{
    static const rnn_cell cells[] = {RNN_GRU, RNN_LSTM};
    size_t c;
    for (c = 0; c < 2; c++) {
        rnn_model enc, dec; rnn_model_desc d; rnn_batch be, bd; rnn_rng r;
        int xe[10] = {0, 1, 2, 3, 1, 0, 2, 2, 3, 1}, xd[6] = {4, 4, 0, 1, 2, 3}, yd[6] = {0, 1, 2, 3, 4, 4}, k;
        double worst = 0;
        memset(&d, 0, sizeof d); memset(&be, 0, sizeof be); memset(&bd, 0, sizeof bd);
        d.cell = cells[c]; d.input_size = 4; d.hidden_size = 3; d.output_size = 0; d.num_layers = 2; d.seed = 3;
        rnn_model_init(&enc, &d);
        d.input_size = 5; d.output_size = 5; d.seed = 4;
        rnn_model_init(&dec, &d);
        rnn_rng_seed(&r, 8); fill(enc.params, (size_t)enc.n_params, 0.7, &r); fill(dec.params, (size_t)dec.n_params, 0.7, &r);
        be.T = 5; be.B = 2; be.x_tokens = xe;
        bd.T = 3; bd.B = 2; bd.x_tokens = xd; bd.y_tokens = yd;
        rnn_zero_grad(&enc); rnn_zero_grad(&dec);
        seq2seq_loss(&enc, &dec, &be, &bd);
        CHECK(rnn_backward(&dec) == RNN_OK && rnn_backward_from(&enc, &dec) == RNN_OK,
              "seq2seq (%s): decoder backward, then encoder backward through the bridge", cell_name(cells[c]));
        for (k = 0; k < enc.n_params; k++) {
            double keep = enc.params[k], lp, lm, num, a = enc.grads[k], den;
            enc.params[k] = keep + 1e-5; lp = seq2seq_loss(&enc, &dec, &be, &bd);
            enc.params[k] = keep - 1e-5; lm = seq2seq_loss(&enc, &dec, &be, &bd);
            enc.params[k] = keep;
            num = (lp - lm) / 2e-5;
            den = fabs(a) > fabs(num) ? fabs(a) : fabs(num); if (den < 1e-3) den = 1e-3;
            if (fabs(a - num) / den > worst) worst = fabs(a - num) / den;
        }
        CHECK(worst < 1e-6, "seq2seq (%s, 2 layers): the encoder's gradient through the bridge matches finite differences (%.2e)",
              cell_name(cells[c]), worst);
        CHECK(rnn_backward(&enc) == RNN_ERR_ARG, "an encoder without targets cannot run backward on its own");
        rnn_model_free(&enc); rnn_model_free(&dec);
    }
}

/* [birnn] the reverse direction of a bidirectional layer is the forward
   direction run on the reversed sequence */
static void test_bidirectional_reverse(void)
{
    rnn_model bi, uni; rnn_model_desc d; rnn_batch b; rnn_rng r;
    int x[6] = {0, 1, 2, 3, 2, 1}, xr[6], t, k; double diff = 0;
    memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
    d.cell = RNN_GRU; d.input_size = 4; d.hidden_size = 3; d.output_size = 0; d.bidirectional = 1;
    rnn_model_init(&bi, &d);
    d.bidirectional = 0;
    rnn_model_init(&uni, &d);
    rnn_rng_seed(&r, 2); fill(bi.params, (size_t)bi.n_params, 0.7, &r);
    /* the uni model gets the reverse layer's weights */
    memcpy(uni.layers[0].W_ih, bi.layers[1].W_ih, sizeof(double) * 9 * 4);
    memcpy(uni.layers[0].W_hh, bi.layers[1].W_hh, sizeof(double) * 9 * 3);
    memcpy(uni.layers[0].b_ih, bi.layers[1].b_ih, sizeof(double) * 9);
    memcpy(uni.layers[0].b_hh, bi.layers[1].b_hh, sizeof(double) * 9);
    for (t = 0; t < 6; t++) xr[t] = x[5 - t];
    b.T = 6; b.B = 1; b.x_tokens = x; rnn_forward(&bi, &b, NULL);
    b.x_tokens = xr; rnn_forward(&uni, &b, NULL);
    for (t = 0; t < 6; t++)
        for (k = 0; k < 3; k++) {
            double a = bi.layers[0].out[t * 6 + 3 + k], u = uni.layers[0].h[(6 - t) * 3 + k];
            if (fabs(a - u) > diff) diff = fabs(a - u);
        }
    CHECK(diff == 0, "bidirectional: the second half of the output at time t is the reversed sequence's state at T-t");
    CHECK(bi.n_tensors == 8 && strcmp(bi.tensors[4].name, "weight_ih_l0_reverse") == 0,
          "bidirectional tensors carry PyTorch's names (%s)", bi.tensors[4].name);
    rnn_model_free(&bi); rnn_model_free(&uni);
}


/* rnn_state_select: after selecting rows {1, 1, 0} of a batch of 2, the
   next steps equal those of single-row models that carried each row. */
static void test_state_select(void)
{
    rnn_model m, one; rnn_model_desc d; rnn_rng r;
    int first[2] = {0, 3}, rows[3] = {1, 1, 0}, next[3] = {2, 1, 1}, t, b, k, bad;
    int bad_rows[1] = {3};
    double diff = 0;
    memset(&d, 0, sizeof d);
    d.cell = RNN_LSTM; d.input_size = 4; d.hidden_size = 3; d.output_size = 4; d.num_layers = 2;
    rnn_model_init(&m, &d); rnn_model_init(&one, &d);
    rnn_rng_seed(&r, 5); fill(m.params, (size_t)m.n_params, 0.7, &r);
    memcpy(one.params, m.params, sizeof(double) * (size_t)m.n_params);
    rnn_step(&m, 2, NULL, first);
    CHECK(rnn_state_select(&m, rows, 3) == RNN_OK && m.B == 3, "rnn_state_select grows the batch from 2 to 3 rows");
    for (t = 0; t < 2; t++) rnn_step(&m, 3, NULL, next);
    for (b = 0; b < 3; b++) {
        rnn_reset_state(&one);
        rnn_step(&one, 1, NULL, &first[rows[b]]);
        for (t = 0; t < 2; t++) rnn_step(&one, 1, NULL, &next[b]);
        for (k = 0; k < 4; k++) {
            double u = fabs(m.o[b * 4 + k] - one.o[k]);
            if (u > diff) diff = u;
        }
    }
    CHECK(diff == 0, "after rnn_state_select, each row continues its chosen hypothesis exactly (%.3g)", diff);
    bad = rnn_state_select(&m, bad_rows, 1) == RNN_OK;
    bad_rows[0] = -1;
    bad |= rnn_state_select(&m, bad_rows, 1) == RNN_OK;
    CHECK(!bad && m.B == 3, "a row outside the batch is refused and changes nothing");
    rnn_model_free(&m); rnn_model_free(&one);
}

int main(void)
{
    test_variants();
    test_padding();
    test_seq2seq();
    test_bidirectional_reverse();
    test_state_select();
    return test_done();
}
