/* Tests of the layers and architectures: embeddings, padding masks, leaky
   units, skip connections, bidirectional and stacked layers, and the
   encoder-decoder bridge. Double precision, so gradients check to 1e-6. */
#define RNN_REAL double
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <stdlib.h>
#include <string.h>

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

/* with it set, check_variant runs in training mode (dropout on) */
static rnn_rng *train_rng;

/* a model with one option set, checked by finite differences */
static void check_variant(const char *what, rnn_model_desc d, int tokens, const int *mask, rnn_rng *r)
{
    rnn_model m; rnn_batch b; double x[4 * 3 * 5]; int xt[12], yt[12], i; double worst = 1; rnn_status st;
    int T = 4, B = 3;
    d.input_size = 5; d.hidden_size = 3; d.output_size = 5;
    if (rnn_model_init(&m, &d) != RNN_OK) { CHECK(0, "%s: init", what); return; }
    randomise(&m, B, r);
    rnn_set_training(&m, train_rng);
    memset(&b, 0, sizeof b);
    b.T = T; b.B = B; b.mask = mask;
    for (i = 0; i < T * B; i++) { xt[i] = (int)(rnn_rng_next(r) % 5); yt[i] = (int)(rnn_rng_next(r) % 5); }
    fill(x, sizeof x / sizeof *x, 1, r);
    if (tokens) b.x_tokens = xt; else b.x = x;
    b.y_tokens = yt;
    st = rnn_grad_check(&m, &b, 1e-5, &worst, NULL);
    CHECK(st == RNN_OK && worst < 1e-6, "gradient check, %s (%s): worst relative error %.2e", what, rnn_cell_name(m.desc.cell), worst);
    rnn_model_free(&m);
}

/* masks of T = 4 steps for B = 3 rows (step-major): rows padded at the
   end, and at the start */
static const int mask_end[12] = {1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0};
static const int mask_start[12] = {0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1};

static void test_variants(void)
{
    rnn_rng r; int c;
    rnn_rng_seed(&r, 21);
    for (c = 1; c < RNN_CELL_COUNT; c++) { /* every cell of the table */
        rnn_model_desc d;
        memset(&d, 0, sizeof d); d.cell = (rnn_cell)c;
        d.embed_size = 4; check_variant("embedding of size 4 [embed.lookup]", d, 1, NULL, &r);
        d.embed_size = 0; check_variant("padded at the end [embed.pad]", d, 0, mask_end, &r);
        check_variant("padded at the start [embed.pad]", d, 0, mask_start, &r);
        d.loss_last_only = 1; check_variant("many-to-one, padded at the end", d, 0, mask_end, &r);
        d.loss_last_only = 0; d.leak = 0.3; check_variant("leaky units alpha 0.3 [leaky]", d, 0, NULL, &r);
        d.leak = 0; d.skip_delay = 2; check_variant("skip connections from h(t-2) [skip]", d, 0, NULL, &r);
        d.skip_delay = 0; d.bidirectional = 1; check_variant("bidirectional [birnn]", d, 0, NULL, &r);
        d.num_layers = 2; check_variant("bidirectional, 2 levels", d, 0, mask_end, &r);
        d.loss_last_only = 1; check_variant("bidirectional many-to-one (head on both final states), padded at the end", d, 0, mask_end, &r);
        d.num_layers = 1; check_variant("bidirectional many-to-one, padded at the start", d, 0, mask_start, &r);
        d.num_layers = 2; d.loss_last_only = 0;
        d.embed_size = 3; d.leak = 0.5; d.skip_delay = 3; check_variant("everything at once: embedding, 2 bidirectional levels, leak, skip, mask", d, 1, mask_start, &r);
    }
    /* [dropout] in training mode the masks are part of the function; the
       gradient check holds them fixed (rnn_grad_check restarts the generator) */
    for (c = 1; c < RNN_CELL_COUNT; c++) {
        rnn_model_desc d; rnn_rng tr;
        rnn_rng_seed(&tr, 77 + (uint64_t)c);
        train_rng = &tr;
        memset(&d, 0, sizeof d); d.cell = (rnn_cell)c; d.num_layers = 2;
        d.dropout = 0.4; check_variant("dropout 0.4 between 2 levels [dropout]", d, 0, NULL, &r);
        d.dropout = 0; d.dropout_input = 0.4; check_variant("input dropout 0.4, dense input [dropout]", d, 0, NULL, &r);
        d.dropout_input = 0; d.dropout_recurrent = 0.4; check_variant("recurrent dropout 0.4 [dropout]", d, 0, mask_end, &r);
        d.gru_flags = RNN_GRU_RESET_BEFORE; d.num_layers = 1;
        check_variant("recurrent dropout 0.4, reset gate before the product", d, 0, NULL, &r);
        d.gru_flags = 0; d.num_layers = 2; d.dropout = 0.3; d.dropout_input = 0.2; d.embed_size = 4; d.bidirectional = 1;
        check_variant("all three dropouts, embedding, 2 bidirectional levels", d, 1, mask_start, &r);
        train_rng = NULL;
    }
}

/* [dropout] what the masks are: the share dropped is p, the kept units are
   scaled by 1/(1-p); the input and recurrent masks stay the same over the
   steps of a sequence, the between-levels one does not; evaluation mode
   gives exactly the model without dropout; the generator makes it
   repeatable; bad probabilities and a one-hot input with input dropout are
   refused. */
static void test_dropout(void)
{
    rnn_model m, plain; rnn_model_desc d; rnn_batch b; rnn_rng r, tr;
    enum { T = 20, B = 16, X = 30, H = 40 };
    static double x[T * B * X]; int yt[T * B], xt[T * B], i, t, same_over_t = 1, varies_over_t = 0;
    size_t zeros = 0, n = 0, bad_values = 0;
    double l1, l2, l3, le, lp, share;
    memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
    d.cell = RNN_LSTM; d.input_size = X; d.hidden_size = H; d.output_size = 5; d.num_layers = 2;
    d.dropout = 0.5; d.dropout_input = 0.25; d.dropout_recurrent = 0.5;
    CHECK(rnn_model_init(&m, &d) == RNN_OK, "a model with all three dropouts builds");
    rnn_rng_seed(&r, 3);
    fill(x, (size_t)T * B * X, 1, &r);
    for (i = 0; i < T * B; i++) { yt[i] = (int)(rnn_rng_next(&r) % 5); xt[i] = (int)(rnn_rng_next(&r) % X); }
    b.T = T; b.B = B; b.x = x; b.y_tokens = yt;
    rnn_rng_seed(&tr, 9); rnn_set_training(&m, &tr);
    rnn_forward(&m, &b, NULL); l1 = 0;
    /* level 0: the input mask, one per sequence */
    for (t = 0; t < T; t++)
        for (i = 0; i < B * X; i++) {
            double v = m.layers[0].xmask[(size_t)t * B * X + i];
            if (v != m.layers[0].xmask[i]) same_over_t = 0;
            if (t == 0) { n++; if (v == 0) zeros++; else if (fabs(v - 1 / 0.75) > 1e-12) bad_values++; }
        }
    share = (double)zeros / (double)n;
    CHECK(same_over_t && bad_values == 0 && fabs(share - 0.25) < 0.05,
          "input dropout 0.25: the same mask at every step, %.3f of %zu units dropped, the rest times 1/0.75", share, n);
    /* level 1: between levels (per step) times input (per sequence) */
    zeros = n = 0;
    for (t = 1; t < T; t++)
        for (i = 0; i < B * H; i++) if (m.layers[1].xmask[(size_t)t * B * H + i] != m.layers[1].xmask[i]) varies_over_t = 1;
    for (i = 0; i < T * B * H; i++) { n++; if (m.layers[1].xmask[i] == 0) zeros++; }
    share = (double)zeros / (double)n;
    CHECK(varies_over_t && fabs(share - (1 - 0.5 * 0.75)) < 0.03,
          "between levels: a new mask every step; %.3f dropped (expected 1 - 0.5 x 0.75 = 0.625)", share);
    zeros = n = 0;
    for (i = 0; i < B * H; i++) { n++; if (m.layers[0].rmask[i] == 0) zeros++; }
    share = (double)zeros / (double)n;
    CHECK(fabs(share - 0.5) < 0.08, "recurrent dropout 0.5: %.3f of h<t-1>'s units dropped", share);
    /* repeatable from the generator, different from another state */
    rnn_rng_seed(&tr, 9); { rnn_real v; rnn_forward(&m, &b, &v); l1 = v; }
    rnn_rng_seed(&tr, 9); { rnn_real v; rnn_forward(&m, &b, &v); l2 = v; }
    { rnn_real v; rnn_forward(&m, &b, &v); l3 = v; }
    CHECK(l1 == l2 && l1 != l3, "training mode: the same generator state gives the same loss (%.6f), another state another (%.6f)", l1, l3);
    /* evaluation mode = no dropout at all */
    rnn_set_training(&m, NULL);
    { rnn_real v; rnn_forward(&m, &b, &v); le = v; }
    d.dropout = d.dropout_input = d.dropout_recurrent = 0;
    rnn_model_init(&plain, &d);
    memcpy(plain.params, m.params, sizeof(double) * (size_t)m.n_params);
    { rnn_real v; rnn_forward(&plain, &b, &v); lp = v; }
    CHECK(le == lp && le != l1, "evaluation mode gives exactly the model without dropout (%.6f)", le);
    /* refused */
    b.x = NULL; b.x_tokens = xt; rnn_set_training(&m, &tr);
    CHECK(rnn_forward(&m, &b, NULL) == RNN_ERR_ARG, "input dropout on a one-hot input (no embedding) is refused in training");
    rnn_set_training(&m, NULL);
    CHECK(rnn_forward(&m, &b, NULL) == RNN_OK, "and allowed in evaluation mode, where it does nothing");
    rnn_model_free(&m); rnn_model_free(&plain);
    {
        rnn_model z; int bad = 0;
        double probs[] = {1.0, -0.1, 1.5};
        memset(&d, 0, sizeof d); d.input_size = 3; d.hidden_size = 2; d.output_size = 3;
        for (i = 0; i < 3; i++) {
            d.dropout = probs[i]; bad |= rnn_model_init(&z, &d) == RNN_OK;
            d.dropout = 0; d.dropout_recurrent = probs[i]; bad |= rnn_model_init(&z, &d) == RNN_OK;
            d.dropout_recurrent = 0; d.dropout_input = probs[i]; bad |= rnn_model_init(&z, &d) == RNN_OK;
            d.dropout_input = 0;
        }
        d.dropout_input = NAN; bad |= rnn_model_init(&z, &d) == RNN_OK;
        CHECK(!bad, "dropout probabilities outside [0, 1), or NaN, are refused");
    }
    /* the checkpoint keeps the probabilities */
    {
        rnn_model a, c; unsigned char *buf = NULL; size_t len = 0; rnn_checkpoint ck;
        memset(&d, 0, sizeof d); d.input_size = 3; d.hidden_size = 2; d.output_size = 3; d.num_layers = 2;
        d.dropout = 0.1; d.dropout_input = 0.2; d.dropout_recurrent = 0.3;
        rnn_model_init(&a, &d);
        memset(&ck, 0, sizeof ck);
        CHECK(rnn_save_memory(&a, &ck, &buf, &len) == RNN_OK && rnn_load_memory(&c, &ck, buf, len) == RNN_OK &&
              c.desc.dropout == a.desc.dropout && c.desc.dropout_input == a.desc.dropout_input &&
              c.desc.dropout_recurrent == a.desc.dropout_recurrent,
              "a checkpoint keeps the three dropout probabilities");
        free(buf); rnn_model_free(&a); rnn_model_free(&c);
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
              "seq2seq (%s): decoder backward, then encoder backward through the bridge", rnn_cell_name(cells[c]));
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
              rnn_cell_name(cells[c]), worst);
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



/* [birnn] many-to-one: the head reads [h->(T), h<-(T)], the final states of
   both directions; built here by hand from two one-way models. */
static void test_bidirectional_many_to_one(void)
{
    rnn_model bi, f, r; rnn_model_desc d; rnn_batch b; rnn_rng g;
    int x[5 * 2] = {0, 3, 1, 2, 2, 2, 3, 0, 1, 1}, xr[5 * 2], t, i, k, j, yt[5 * 2];
    double diff = 0, o[3], fin[6];
    memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
    d.cell = RNN_LSTM; d.input_size = 4; d.hidden_size = 3; d.output_size = 3; d.bidirectional = 1; d.loss_last_only = 1;
    rnn_model_init(&bi, &d);
    d.bidirectional = 0; d.output_size = 0; d.loss_last_only = 0;
    rnn_model_init(&f, &d); rnn_model_init(&r, &d);
    rnn_rng_seed(&g, 4); fill(bi.params, (size_t)bi.n_params, 0.7, &g);
    for (k = 0; k < 2; k++) { /* f gets the forward layer's weights, r the reverse one's */
        rnn_model *u = k ? &r : &f;
        memcpy(u->layers[0].W_ih, bi.layers[k].W_ih, sizeof(double) * 12 * 4);
        memcpy(u->layers[0].W_hh, bi.layers[k].W_hh, sizeof(double) * 12 * 3);
        memcpy(u->layers[0].b_ih, bi.layers[k].b_ih, sizeof(double) * 12);
        memcpy(u->layers[0].b_hh, bi.layers[k].b_hh, sizeof(double) * 12);
    }
    for (t = 0; t < 5; t++) for (i = 0; i < 2; i++) { xr[t * 2 + i] = x[(4 - t) * 2 + i]; yt[t * 2 + i] = (t + i) % 3; }
    b.T = 5; b.B = 2; b.x_tokens = x; b.y_tokens = yt; rnn_forward(&bi, &b, NULL);
    b.y_tokens = NULL; rnn_forward(&f, &b, NULL);
    b.x_tokens = xr; rnn_forward(&r, &b, NULL);
    for (i = 0; i < 2; i++) {
        double mx = -1e300, s = 0;
        for (j = 0; j < 3; j++) { fin[j] = f.layers[0].h[(5 * 2 + i) * 3 + j]; fin[3 + j] = r.layers[0].h[(5 * 2 + i) * 3 + j]; }
        for (k = 0; k < 3; k++) {
            o[k] = bi.b_y[k];
            for (j = 0; j < 6; j++) o[k] += bi.W_hy[k * 6 + j] * fin[j];
            if (o[k] > mx) mx = o[k];
        }
        for (k = 0; k < 3; k++) s += exp(o[k] - mx);
        for (k = 0; k < 3; k++) {
            double p = exp(o[k] - mx) / s, u = fabs(p - bi.y[(4 * 2 + i) * 3 + k]);
            if (u > diff) diff = u;
        }
    }
    CHECK(diff < 1e-14, "bidirectional many-to-one: the head reads [h->(T), h<-(T)] (largest difference %.2e)", diff);
    rnn_model_free(&bi); rnn_model_free(&f); rnn_model_free(&r);
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

/* [bptt.dh] A model with no head, under a loss of the test's own on its
   outputs: L = sum(W .* out) for a fixed random W, so dL/dout = W, and
   rnn_backward_outputs(m, W) must give what centred differences of L give,
   for every parameter, every entry of dL/dx (dense input) and of dL/dh<0>
   (dL/dc<0>). */
static double out_loss(rnn_model *m, const rnn_batch *b, const double *W)
{
    const double *out;
    double L = 0;
    size_t i, n;
    if (rnn_forward(m, b, NULL) != RNN_OK || !(out = rnn_outputs(m))) return NAN;
    n = (size_t)b->T * b->B * m->D * m->desc.hidden_size;
    for (i = 0; i < n; i++) L += W[i] * out[i];
    return L;
}
/* |a - numeric| / max(|a|, |numeric|, 1e-3) for one number theta */
static double fd_error(rnn_model *m, const rnn_batch *b, const double *W, double *theta, double a)
{
    double keep = *theta, lp, lm, num, den, eps = 1e-5;
    *theta = keep + eps; lp = out_loss(m, b, W);
    *theta = keep - eps; lm = out_loss(m, b, W);
    *theta = keep;
    num = (lp - lm) / (2 * eps);
    den = fabs(a) > fabs(num) ? fabs(a) : fabs(num);
    return fabs(a - num) / (den > 1e-3 ? den : 1e-3);
}
static void check_outputs_variant(const char *what, rnn_model_desc d, int tokens, const int *mask, rnn_rng *r)
{
    enum { T = 4, B = 3, X = 5, H = 3 };
    rnn_model m; rnn_batch b; double x[T * B * X], W[T * B * 2 * H], *dx, *dh0, worst = 0, e;
    int xt[T * B], i, l; size_t k, BH = (size_t)B * H;
    rnn_status st;
    d.input_size = X; d.hidden_size = H; d.output_size = 0;
    if (rnn_model_init(&m, &d) != RNN_OK) { CHECK(0, "%s: init", what); return; }
    randomise(&m, B, r);
    memset(&b, 0, sizeof b);
    b.T = T; b.B = B; b.mask = mask;
    for (i = 0; i < T * B; i++) xt[i] = (int)(rnn_rng_next(r) % X);
    fill(x, sizeof x / sizeof *x, 1, r);
    fill(W, sizeof W / sizeof *W, 1, r);
    if (tokens) b.x_tokens = xt; else b.x = x;
    rnn_zero_grad(&m);
    st = rnn_forward(&m, &b, NULL); /* no targets: the model has none */
    if (st == RNN_OK) st = rnn_backward_outputs(&m, W);
    if (st != RNN_OK) { CHECK(0, "%s: %s (%s)", what, rnn_status_string(st), m.error); rnn_model_free(&m); return; }
    /* keep the analytic dL/dx and dL/dh<0>, dL/dc<0> (the forwards below overwrite no gradient, but be plain) */
    dx = (double *)malloc(sizeof(double) * T * B * X);
    dh0 = (double *)malloc(sizeof(double) * 2 * BH * m.L);
    memcpy(dx, m.dx, sizeof(double) * T * B * X);
    for (l = 0; l < m.L; l++) {
        memcpy(dh0 + 2 * l * BH, m.layers[l].dh, sizeof(double) * BH);
        memcpy(dh0 + (2 * l + 1) * BH, m.layers[l].dc, sizeof(double) * BH);
    }
    for (k = 0; k < (size_t)m.n_params; k++)
        if ((e = fd_error(&m, &b, W, &m.params[k], m.grads[k])) > worst) worst = e;
    for (k = 0; !tokens && k < (size_t)T * B * X; k++)
        if ((e = fd_error(&m, &b, W, &x[k], dx[k])) > worst) worst = e;
    for (l = 0; l < m.L; l++)
        for (k = 0; k < BH; k++) {
            if ((e = fd_error(&m, &b, W, &m.layers[l].h[k], dh0[2 * l * BH + k])) > worst) worst = e;
            if (rnn_cell_has_state(m.desc.cell) &&
                (e = fd_error(&m, &b, W, &m.layers[l].c[k], dh0[(2 * l + 1) * BH + k])) > worst) worst = e;
        }
    CHECK(worst < 1e-6, "rnn_backward_outputs, L = sum(W .* out), %s (%s): every parameter%s and h<0> against finite differences, worst relative error %.2e",
          what, rnn_cell_name(m.desc.cell), tokens ? "" : ", dL/dx", worst);
    free(dx); free(dh0);
    rnn_model_free(&m);
}

static void test_backward_outputs(void)
{
    rnn_rng r; int c;
    rnn_rng_seed(&r, 33);
    for (c = 1; c < RNN_CELL_COUNT; c++) { /* every cell of the table */
        rnn_model_desc d;
        memset(&d, 0, sizeof d); d.cell = (rnn_cell)c;
        check_outputs_variant("1 level", d, 0, NULL, &r);
        d.num_layers = 2; check_outputs_variant("2 levels", d, 0, NULL, &r);
        d.num_layers = 1; d.bidirectional = 1; check_outputs_variant("bidirectional", d, 0, NULL, &r);
        d.num_layers = 2; check_outputs_variant("bidirectional, 2 levels, padded at the end", d, 0, mask_end, &r);
        d.bidirectional = 0; d.embed_size = 4; check_outputs_variant("embedding of size 4, 2 levels", d, 1, NULL, &r);
        d.num_layers = 1; d.embed_size = 0; check_outputs_variant("one-hot tokens, padded at the end", d, 1, mask_end, &r);
        d.gru_flags = c == RNN_GRU ? RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK : c == RNN_GRU_SIMPLE ? RNN_GRU_UPDATE_KEEP : 0;
        if (d.gru_flags) check_outputs_variant("the other GRU conventions", d, 0, NULL, &r);
    }
}

int main(void)
{
    test_variants();
    test_padding();
    test_seq2seq();
    test_bidirectional_reverse();
    test_state_select();
    test_dropout();
    test_bidirectional_many_to_one();
    test_backward_outputs();
    return test_done();
}
