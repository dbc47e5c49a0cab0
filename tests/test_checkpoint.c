/* Checkpoints: round trips, exact resume, safe saving, and hostile files. */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void make_model(rnn_model *m, rnn_cell cell, int layers, int gru_flags, uint64_t seed)
{
    rnn_model_desc d;
    memset(&d, 0, sizeof d);
    d.cell = cell; d.input_size = 5; d.hidden_size = 6; d.output_size = 5; d.num_layers = layers;
    d.gru_flags = gru_flags; d.seed = seed;
    rnn_model_init(m, &d);
}

static void test_round_trip(void)
{
    int c;
    for (c = 1; c < RNN_CELL_COUNT; c++) { /* every cell of the table */
        rnn_model a, b; unsigned char *buf; size_t len; rnn_checkpoint ck; rnn_status st;
        int x[6] = {0, 1, 2, 3, 4, 0}, same;
        rnn_batch bt;
        memset(&ck, 0, sizeof ck); memset(&bt, 0, sizeof bt);
        make_model(&a, (rnn_cell)c, 2, RNN_GRU_RESET_BEFORE, 3);
        st = rnn_save_memory(&a, NULL, &buf, &len);
        st = st == RNN_OK ? rnn_load_memory(&b, &ck, buf, len) : st;
        same = st == RNN_OK && b.n_params == a.n_params && memcmp(a.params, b.params, sizeof(rnn_real) * a.n_params) == 0 &&
               a.desc.cell == b.desc.cell && a.desc.output == b.desc.output && a.desc.num_layers == b.desc.num_layers &&
               a.desc.input_size == b.desc.input_size && a.desc.hidden_size == b.desc.hidden_size &&
               a.desc.output_size == b.desc.output_size && a.desc.gru_flags == b.desc.gru_flags; /* not the seed: not saved */
        if (same) {
            rnn_real ya[30];
            bt.T = 3; bt.B = 2; bt.x_tokens = x;
            rnn_forward(&a, &bt, NULL); memcpy(ya, a.y, sizeof ya);
            rnn_forward(&b, &bt, NULL);
            same = memcmp(ya, b.y, sizeof ya) == 0;
        }
        CHECK(same, "%s, 2 layers: save then load gives the same description, weights and outputs (%s%s%s)",
              rnn_cell_name((rnn_cell)c), rnn_status_string(st), ck.error[0] ? ": " : "", ck.error);
        rnn_free_buffer(buf);
        rnn_model_free(&a); rnn_model_free(&b);
    }
}

/* Trains n steps of truncated BPTT over a token stream, with random chunk
   starts drawn from rng every 5 steps (so the rng and data position matter). */
static void train(rnn_model *m, rnn_optim *o, rnn_rng *r, int64_t *pos, int64_t *step, int n)
{
    static int stream[200];
    int i, T = 7, B = 2, x[14], y[14], k;
    rnn_batch b;
    for (i = 0; i < 200; i++) stream[i] = (i * 7 + i / 3) % 5;
    memset(&b, 0, sizeof b);
    b.T = T; b.B = B; b.x_tokens = x; b.y_tokens = y;
    for (k = 0; k < n; k++, (*step)++) {
        if (*step % 5 == 0) { *pos = (int64_t)(rnn_rng_next(r) % 150); rnn_reset_state(m); }
        for (i = 0; i < T * B; i++) {
            int t = i / B, bb = i % B;
            x[i] = stream[*pos + t + 20 * bb]; y[i] = stream[*pos + t + 1 + 20 * bb];
        }
        rnn_zero_grad(m);
        rnn_forward(m, &b, NULL);
        rnn_backward(m);
        rnn_clip_by_global_norm(m, 1);
        rnn_optim_step(o, m->params, m->grads);
        rnn_carry_state(m);
        *pos += 1;
    }
}

static void test_exact_resume(void)
{
    static const rnn_optim_kind kinds[] = {RNN_SGD, RNN_ADAGRAD, RNN_RMSPROP, RNN_ADAM};
    size_t k;
    for (k = 0; k < 4; k++) {
        rnn_model a, b; rnn_optim oa, ob; rnn_optim_desc od; rnn_rng ra, rb;
        rnn_checkpoint ck; int64_t pa = 0, sa = 0, pb = 0, sb = 0; rnn_status st; int same;
        memset(&od, 0, sizeof od); od.kind = kinds[k]; od.momentum = (rnn_real)0.9; od.lr = (rnn_real)0.01;
        /* 2N steps straight */
        make_model(&a, RNN_LSTM, 2, 0, 5); rnn_optim_init(&oa, &od, a.n_params); rnn_rng_seed(&ra, 77);
        train(&a, &oa, &ra, &pa, &sa, 24);
        /* N steps, save, load into fresh structs, N more */
        make_model(&b, RNN_LSTM, 2, 0, 5); rnn_optim_init(&ob, &od, b.n_params); rnn_rng_seed(&rb, 77);
        train(&b, &ob, &rb, &pb, &sb, 12);
        memset(&ck, 0, sizeof ck);
        ck.optim = &ob; ck.with_state = 1; ck.rng_state = rb.state; ck.step = sb; ck.data_pos = pb;
        st = rnn_save("build/resume_test.safetensors", &b, &ck);
        rnn_model_free(&b); rnn_optim_free(&ob);
        memset(&ck, 0, sizeof ck);
        ck.optim = &ob; ck.with_state = 1;
        if (st == RNN_OK) st = rnn_load("build/resume_test.safetensors", &b, &ck);
        if (st == RNN_OK) {
            rb.state = ck.rng_state; sb = ck.step; pb = ck.data_pos;
            train(&b, &ob, &rb, &pb, &sb, 12);
        }
        same = st == RNN_OK && memcmp(a.params, b.params, sizeof(rnn_real) * a.n_params) == 0 &&
               memcmp(oa.m1, ob.m1, sizeof(rnn_real) * a.n_params) == 0 && oa.step == ob.step;
        CHECK(same, "exact resume (%s): 24 steps straight = 12, save, load, 12 more, bit for bit (%s %s)",
              kinds[k] == RNN_SGD ? "SGD momentum" : kinds[k] == RNN_ADAGRAD ? "Adagrad" : kinds[k] == RNN_RMSPROP ? "RMSprop" : "Adam",
              rnn_status_string(st), ck.error);
        rnn_model_free(&a); rnn_optim_free(&oa);
        if (st == RNN_OK) { rnn_model_free(&b); rnn_optim_free(&ob); }
    }
    remove("build/resume_test.safetensors");
}

static void test_safe_save(void)
{
    rnn_model a, b, c; rnn_checkpoint ck; rnn_status st;
    const char *path = "build/safe_test.safetensors";
    make_model(&a, RNN_GRU, 1, 0, 1);
    make_model(&b, RNN_GRU, 1, 0, 2);
    memset(&ck, 0, sizeof ck);
    CHECK(rnn_save(path, &a, &ck) == RNN_OK, "save a checkpoint");
    mkdir("build/safe_test.safetensors.tmp", 0700); /* the temporary file cannot be created */
    st = rnn_save(path, &b, &ck);
    CHECK(st == RNN_ERR_IO, "a save that cannot write returns %s (\"%s\")", rnn_status_string(st), ck.error);
    st = rnn_load(path, &c, &ck);
    CHECK(st == RNN_OK && memcmp(c.params, a.params, sizeof(rnn_real) * a.n_params) == 0,
          "after the failed save, the old checkpoint is intact");
    if (st == RNN_OK) rnn_model_free(&c);
    rmdir("build/safe_test.safetensors.tmp");
    CHECK(rnn_save(path, &b, &ck) == RNN_OK && rnn_load(path, &c, &ck) == RNN_OK &&
          memcmp(c.params, b.params, sizeof(rnn_real) * b.n_params) == 0, "a save that can write replaces the checkpoint");
    rnn_model_free(&c);
    CHECK(rnn_load("build/no_such_file.safetensors", &c, &ck) == RNN_ERR_IO, "a missing file: %s (%s)", rnn_status_string(RNN_ERR_IO), ck.error);
    remove(path);
    rnn_model_free(&a); rnn_model_free(&b);
}

/* -- hostile files: a valid small checkpoint, edited -- */
static unsigned char *file_with_header(const char *json, const unsigned char *data, size_t dlen, size_t *len)
{
    size_t N = strlen(json), k;
    unsigned char *f = (unsigned char *)malloc(8 + N + dlen + 1);
    for (k = 0; k < 8; k++) f[k] = (unsigned char)((uint64_t)N >> (8 * k));
    memcpy(f + 8, json, N);
    if (dlen) memcpy(f + 8 + N, data, dlen);
    *len = 8 + N + dlen;
    return f;
}

static void test_hostile(void)
{
    rnn_model m, target; unsigned char *good; size_t glen, cut; rnn_checkpoint ck; rnn_status st;
    int crashes_avoided = 1, i;
    unsigned char zeros[4096];
    char nest[2200];
    struct { const char *what; const char *json; size_t dlen; rnn_status expect; } table[] = {
        {"an empty header", "", 0, RNN_ERR_FORMAT},
        {"a header that is not JSON", "hello world", 0, RNN_ERR_FORMAT},
        {"a JSON array instead of an object", "[1,2,3]", 0, RNN_ERR_FORMAT},
        {"an unterminated string", "{\"weight_ih_l0", 0, RNN_ERR_FORMAT},
        {"deeply nested JSON", NULL, 0, RNN_ERR_FORMAT},
        {"an unknown dtype", "{\"head.bias\":{\"dtype\":\"Q7\",\"shape\":[5],\"data_offsets\":[0,20]}}", 20, RNN_ERR_FORMAT},
        {"BF16 (not read)", "{\"head.bias\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[0,10]}}", 10, RNN_ERR_FORMAT},
        {"a shape that disagrees with the data size", "{\"head.bias\":{\"dtype\":\"F32\",\"shape\":[6],\"data_offsets\":[0,20]}}", 20, RNN_ERR_FORMAT},
        {"offsets past the end", "{\"head.bias\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[0,20]}}", 8, RNN_ERR_FORMAT},
        {"offsets reversed", "{\"head.bias\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[20,0]}}", 20, RNN_ERR_FORMAT},
        {"overlapping tensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[0,20]},\"b\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[4,24]}}", 24, RNN_ERR_FORMAT},
        {"a hole between tensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, RNN_ERR_FORMAT},
        {"a duplicate tensor", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, RNN_ERR_FORMAT},
        {"a shape whose product overflows", "{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,0]}}", 0, RNN_ERR_FORMAT},
        {"a dimension with 20 digits", "{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}", 4, RNN_ERR_FORMAT},
        {"a negative offset", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4, RNN_ERR_FORMAT},
        {"a missing field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, RNN_ERR_FORMAT},
        {"an unknown field", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":[1]}}", 4, RNN_ERR_FORMAT},
        {"trailing text after the JSON", "{} extra", 0, RNN_ERR_FORMAT},
        {"a metadata value that is not a string", "{\"__metadata__\":{\"format\":1}}", 0, RNN_ERR_FORMAT},
        {"no rnn.h metadata (a valid but foreign file)", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, RNN_ERR_FORMAT},
        {"a model with an impossible size", "{\"__metadata__\":{\"format\":\"rnn.h\",\"cell\":\"lstm\",\"output\":\"softmax\",\"input_size\":\"4\",\"hidden_size\":\"2000000000\",\"output_size\":\"4\"}}", 0, RNN_ERR_ARG},
        {"missing tensors", "{\"__metadata__\":{\"format\":\"rnn.h\",\"cell\":\"lstm\",\"output\":\"softmax\",\"input_size\":\"4\",\"hidden_size\":\"3\",\"output_size\":\"4\"}}", 0, RNN_ERR_FORMAT},
    };
    memset(zeros, 0, sizeof zeros);
    for (i = 0; i < 1000; i++) nest[i] = '[';
    for (i = 1000; i < 2000; i++) nest[i] = ']';
    nest[0] = '{'; nest[1] = '"'; nest[2] = 'a'; nest[3] = '"'; nest[4] = ':'; nest[2000] = 0;
    table[4].json = nest;
    for (i = 0; i < (int)(sizeof table / sizeof *table); i++) {
        size_t len; unsigned char *f = file_with_header(table[i].json, zeros, table[i].dlen, &len);
        memset(&ck, 0, sizeof ck);
        st = rnn_load_memory(&m, &ck, f, len);
        CHECK(st == table[i].expect, "hostile file, %s: %s (\"%s\")", table[i].what, rnn_status_string(st), ck.error);
        if (st == RNN_OK) rnn_model_free(&m);
        free(f);
    }
    {   /* header length past the end, and absurd */
        unsigned char f[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '{', '}'};
        CHECK(rnn_load_memory(&m, &ck, f, 10) == RNN_ERR_FORMAT, "hostile file, header length 2^64-1: %s", ck.error);
        f[0] = 3; f[1] = 0; f[2] = 0; f[3] = 0; f[4] = 0; f[5] = 0; f[6] = 0; f[7] = 0;
        CHECK(rnn_load_memory(&m, &ck, f, 10) == RNN_ERR_FORMAT, "hostile file, header length 3 in a 10-byte file: %s", ck.error);
    }
    /* a valid checkpoint cut at every byte offset */
    make_model(&target, RNN_PEEPHOLE, 2, 0, 9);
    rnn_save_memory(&target, NULL, &good, &glen);
    for (cut = 0; cut < glen; cut++) {
        unsigned char *f = (unsigned char *)malloc(cut ? cut : 1); /* exactly cut bytes, so ASan sees any overread */
        memcpy(f, good, cut);
        st = rnn_load_memory(&m, &ck, f, cut);
        if (st == RNN_OK) { crashes_avoided = 0; rnn_model_free(&m); }
        free(f);
    }
    CHECK(crashes_avoided, "a valid checkpoint (%zu bytes) truncated at every byte offset is refused every time", glen);
    st = rnn_load_memory(&m, &ck, good, glen);
    CHECK(st == RNN_OK, "the same checkpoint whole loads");
    if (st == RNN_OK) rnn_model_free(&m);
    {   /* every byte flipped in turn: never a crash (ASan watches); most are refused */
        size_t k; int ok_count = 0;
        unsigned char *f = (unsigned char *)malloc(glen);
        for (k = 0; k < glen; k++) {
            memcpy(f, good, glen); f[k] ^= 0x5a;
            if (rnn_load_memory(&m, &ck, f, glen) == RNN_OK) { ok_count++; rnn_model_free(&m); }
        }
        free(f);
        CHECK(1, "every byte of a checkpoint flipped in turn: no crash (%d of %zu flips still load: they hit weight bytes)", ok_count, glen);
    }
    {   /* a file for another model: shapes disagree */
        rnn_model other; make_model(&other, RNN_PEEPHOLE, 2, 0, 9);
        rnn_model_free(&other);
        {
            rnn_model_desc d; memset(&d, 0, sizeof d);
            d.cell = RNN_PEEPHOLE; d.input_size = 5; d.hidden_size = 7; d.output_size = 5; d.num_layers = 2;
            rnn_model_init(&other, &d);
            st = rnn_load_weights_memory(&other, &ck, good, glen);
            CHECK(st == RNN_ERR_SIZE, "loading weights of hidden size 6 into a model of 7: %s (\"%s\")", rnn_status_string(st), ck.error);
            rnn_model_free(&other);
            d.num_layers = 1; d.hidden_size = 6;
            rnn_model_init(&other, &d);
            st = rnn_load_weights_memory(&other, &ck, good, glen);
            CHECK(st == RNN_ERR_SIZE, "loading a 2-layer file into a 1-layer model: %s (\"%s\")", rnn_status_string(st), ck.error);
            rnn_model_free(&other);
        }
    }
    {   /* NaN in the weights: refused on request */
        rnn_model nanm; unsigned char *buf; size_t len;
        make_model(&nanm, RNN_GRU, 1, 0, 4);
        nanm.params[3] = (rnn_real)NAN;
        rnn_save_memory(&nanm, NULL, &buf, &len);
        memset(&ck, 0, sizeof ck); ck.refuse_nonfinite = 1;
        st = rnn_load_memory(&m, &ck, buf, len);
        CHECK(st == RNN_ERR_NAN, "a NaN weight with refuse_nonfinite: %s (\"%s\")", rnn_status_string(st), ck.error);
        ck.refuse_nonfinite = 0;
        st = rnn_load_memory(&m, &ck, buf, len);
        CHECK(st == RNN_OK, "the same file without refuse_nonfinite loads (the NaN is the user's to see)");
        if (st == RNN_OK) rnn_model_free(&m);
        rnn_free_buffer(buf); rnn_model_free(&nanm);
    }
    rnn_free_buffer(good);
    rnn_model_free(&target);
}

static void test_vocab(void)
{
    rnn_model a, b; rnn_checkpoint ck; unsigned char *buf; size_t len;
    int32_t v[4] = {104, 233, 0x1F600, 10}, back[4] = {0}, small[2];
    make_model(&a, RNN_TANH, 1, 0, 1);
    memset(&ck, 0, sizeof ck); ck.vocab = v; ck.vocab_len = 4;
    rnn_save_memory(&a, &ck, &buf, &len);
    memset(&ck, 0, sizeof ck); ck.vocab = back; ck.vocab_cap = 4;
    CHECK(rnn_load_memory(&b, &ck, buf, len) == RNN_OK && ck.vocab_len == 4 && memcmp(v, back, sizeof v) == 0,
          "a vocabulary of code points (h, e-acute, an emoji, newline) round-trips as an I32 tensor");
    rnn_model_free(&b);
    memset(&ck, 0, sizeof ck); ck.vocab = small; ck.vocab_cap = 2;
    CHECK(rnn_load_memory(&b, &ck, buf, len) == RNN_ERR_SIZE, "a vocabulary larger than vocab_cap is refused, not overflowed");
    rnn_free_buffer(buf); rnn_model_free(&a);
}


/* Loading weights is all or nothing, an empty __metadata__ is valid JSON,
   and descriptions with an unknown output or a NaN leak are refused. */
static void test_load_weights_whole(void)
{
    rnn_model m, other; rnn_checkpoint ck; unsigned char *buf = NULL, *bad; size_t len = 0, blen, i;
    rnn_real *before; int same = 1; rnn_status st; rnn_model_desc d;
    char *json, *p;
    make_model(&m, RNN_LSTM, 1, 0, 3);
    make_model(&other, RNN_LSTM, 1, 0, 4);
    memset(&ck, 0, sizeof ck);
    rnn_save_memory(&other, &ck, &buf, &len);
    rnn_model_free(&other);
    /* the same file with head.bias's shape changed to [4]: all other tensors are fine */
    json = (char *)malloc(len + 1);
    {
        size_t N = 0; int k;
        for (k = 7; k >= 0; k--) N = (N << 8) | buf[k];
        memcpy(json, buf + 8, N); json[N] = 0;
        p = strstr(json, "\"head.bias\":{\"dtype\":\"F32\",\"shape\":[5]");
        if (p) p[strlen("\"head.bias\":{\"dtype\":\"F32\",\"shape\":[")] = '4';
        bad = file_with_header(json, buf + 8 + N, len - 8 - N, &blen);
    }
    before = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)m.n_params);
    memcpy(before, m.params, sizeof(rnn_real) * (size_t)m.n_params);
    memset(&ck, 0, sizeof ck);
    st = rnn_load_weights_memory(&m, &ck, bad, blen);
    for (i = 0; i < (size_t)m.n_params; i++) if (m.params[i] != before[i]) same = 0;
    CHECK(p && st != RNN_OK && same, "a failed rnn_load_weights leaves every weight as it was (%s: \"%s\")",
          rnn_status_string(st), ck.error);
    free(json); free(bad); free(before); free(buf);
    {   /* an empty __metadata__ object is valid: the error is the missing tensors */
        size_t flen; unsigned char *f = file_with_header("{\"__metadata__\":{},\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                                                        (const unsigned char *)"\0\0\0\0", 4, &flen);
        memset(&ck, 0, sizeof ck);
        st = rnn_load_weights_memory(&m, &ck, f, flen);
        CHECK(st == RNN_ERR_FORMAT && strstr(ck.error, "missing") != NULL,
              "an empty __metadata__ is read as JSON (the error is: \"%s\")", ck.error);
        free(f);
    }
    memset(&d, 0, sizeof d); d.input_size = 3; d.hidden_size = 2; d.output_size = 3;
    d.output = (rnn_output)-1;
    st = rnn_model_init(&other, &d) == RNN_OK ? RNN_OK : RNN_ERR_ARG;
    if (st == RNN_OK) rnn_model_free(&other);
    d.output = RNN_SOFTMAX; d.leak = (rnn_real)NAN;
    CHECK(st == RNN_ERR_ARG && rnn_model_init(&other, &d) == RNN_ERR_ARG, "an unknown output kind and a NaN leak are refused");
    rnn_model_free(&m);
}

int main(void)
{
    mkdir("build", 0755);
    test_round_trip();
    test_exact_resume();
    test_safe_save();
    test_hostile();
    test_vocab();
    test_load_weights_whole();
    return test_done();
}
