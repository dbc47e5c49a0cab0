/* Parity with PyTorch: runs every case of a fixture directory (default
   tests/fixtures, made by tests/fixtures/make_fixtures.py) through rnn.h and
   compares outputs, states, loss and every gradient, tensor by tensor,
   printing the largest difference. Bidirectional cases (config key
   bidirectional=1; a fixture without the key is unidirectional) also
   compare the reverse layers' states and the gradients named *_reverse.
   Cases with no head (output=none, Y=0) carry dout, the gradient at the
   outputs that torch gave out.backward(dout): rnn.h runs a forward without
   targets and rnn_backward_outputs(dout), and the loss compared is
   sum(dout .* out).
     test_torch [DIR]            compare with the fixtures in DIR
     test_torch --export DIR     write rnn.h checkpoints and their outputs for
                                 tests/torch_roundtrip.py (the other direction)
   Built twice: with RNN_REAL double (tolerance 1e-12) and float (1e-5), both
   relative to max(1, the largest |value| of the tensor). */
#ifndef RNN_REAL
#define RNN_REAL double
#endif
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <stdlib.h>
#include <string.h>

#define TOL (sizeof(rnn_real) == sizeof(double) ? 1e-12 : 1e-5)
#define MAXT 128

typedef struct { char name[64]; int ndim, dims[4]; size_t n; double *v; } fx_tensor;
typedef struct {
    char cell[16], output[16];
    int layers, X, H, Y, B, T, reset_before, update_deck, bidirectional;
    int nt; fx_tensor t[MAXT];
} fx_case;

static const fx_tensor *fx_get(const fx_case *c, const char *name)
{
    int k;
    for (k = 0; k < c->nt; k++) if (strcmp(c->t[k].name, name) == 0) return &c->t[k];
    return NULL;
}

static void fx_free(fx_case *c) { int k; for (k = 0; k < c->nt; k++) free(c->t[k].v); c->nt = 0; }

/* reads one fixture file; 0 on any format problem */
static int fx_read(fx_case *c, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512], word[64];
    const char *bi;
    int version = 0;
    memset(c, 0, sizeof *c);
    if (!f) return 0;
    if (fscanf(f, "rnnfix %d\n", &version) != 1 || version != 1 || !fgets(line, sizeof line, f)) { fclose(f); return 0; }
    if (sscanf(line, "config cell=%15s layers=%d X=%d H=%d Y=%d B=%d T=%d reset_before=%d update_deck=%d output=%15s",
               c->cell, &c->layers, &c->X, &c->H, &c->Y, &c->B, &c->T, &c->reset_before, &c->update_deck, c->output) != 10) {
        fclose(f); return 0;
    }
    /* Y = 0 only with no head (output=none) */
    if (c->layers < 1 || c->X < 1 || c->H < 1 || c->Y < (strcmp(c->output, "none") ? 1 : 0) || c->B < 1 || c->T < 1 ||
        c->X > 4096 || c->H > 4096 || c->Y > 4096 || c->B > 4096 || c->T > 4096) { fclose(f); return 0; }
    /* a later key: absent in the fixtures made before it (they mean 0) */
    if ((bi = strstr(line, " bidirectional=")) != NULL &&
        (sscanf(bi, " bidirectional=%d", &c->bidirectional) != 1 || c->bidirectional < 0 || c->bidirectional > 1)) {
        fclose(f); return 0;
    }
    while (fscanf(f, "%63s", word) == 1) {
        fx_tensor *t = &c->t[c->nt];
        size_t i;
        int d;
        if (c->nt == MAXT || strcmp(word, "tensor") != 0 || fscanf(f, "%63s %d", t->name, &t->ndim) != 2 ||
            t->ndim < 1 || t->ndim > 4) { fclose(f); return 0; }
        t->n = 1;
        for (d = 0; d < t->ndim; d++) {
            /* fixtures are small: no dimension past 2^16, no tensor past 2^24 values */
            if (fscanf(f, "%d", &t->dims[d]) != 1 || t->dims[d] < 0 || t->dims[d] > (1 << 16)) { fclose(f); return 0; }
            t->n *= (size_t)t->dims[d];
            if (t->n > ((size_t)1 << 24)) { fclose(f); return 0; }
        }
        t->v = (double *)malloc(sizeof(double) * (t->n ? t->n : 1));
        if (!t->v) { fclose(f); return 0; }
        for (i = 0; i < t->n; i++) if (fscanf(f, "%lf", &t->v[i]) != 1) { fclose(f); free(t->v); return 0; }
        c->nt++;
    }
    fclose(f);
    return c->nt > 0;
}

static rnn_output output_of(const char *s)
{
    return !strcmp(s, "softmax") ? RNN_SOFTMAX : !strcmp(s, "sigmoid") ? RNN_SIGMOID : !strcmp(s, "linear") ? RNN_LINEAR : RNN_OUTPUT_DEFAULT;
}

/* the largest |a - ref| relative to max(1, max |ref|) */
static double diff_rel(const rnn_real *a, size_t stride_a, const double *ref, size_t n)
{
    double w = 0, scale = 1;
    size_t i;
    for (i = 0; i < n; i++) if (fabs(ref[i]) > scale) scale = fabs(ref[i]);
    for (i = 0; i < n; i++) { double d = fabs((double)a[i * stride_a] - ref[i]); if (d > w) w = d; }
    return w / scale;
}

/* builds the model of a case and sets its weights and initial state */
static int fx_model(rnn_model *m, const fx_case *c)
{
    rnn_model_desc d;
    int k, l;
    size_t i;
    memset(&d, 0, sizeof d);
    d.cell = rnn_cell_from_name(c->cell); d.output = output_of(c->output);
    d.input_size = c->X; d.hidden_size = c->H; d.output_size = c->Y; d.num_layers = c->layers;
    /* update_deck 0 in a fixture is z keeping h<t-1> (PyTorch's way) for both GRUs; it is
       the full GRU's default, while the simplified GRU's default is the decks' */
    d.gru_flags = (c->reset_before ? RNN_GRU_RESET_BEFORE : 0) |
                  (c->update_deck ? (d.cell == RNN_GRU ? RNN_GRU_UPDATE_DECK : 0)
                                  : (d.cell == RNN_GRU_SIMPLE ? RNN_GRU_UPDATE_KEEP : 0));
    d.bidirectional = c->bidirectional;
    if (rnn_model_init(m, &d) != RNN_OK) return 0;
    for (k = 0; k < m->n_tensors; k++) {
        const fx_tensor *t = fx_get(c, m->tensors[k].name);
        if (!t || t->n != (size_t)m->tensors[k].rows * m->tensors[k].cols) { rnn_model_free(m); return 0; }
        for (i = 0; i < t->n; i++) m->tensors[k].data[i] = (rnn_real)t->v[i];
    }
    if (rnn_reserve(m, c->T, c->B) != RNN_OK) { rnn_model_free(m); return 0; }
    {   /* the initial states: (L*D, B, H), ordered level*D + direction as m->layers */
        const fx_tensor *h0 = fx_get(c, "h0"), *c0 = fx_get(c, "c0");
        size_t want = (size_t)m->L * c->B * c->H;
        if (!h0 || h0->n != want || (c0 && c0->n != want)) { rnn_model_free(m); return 0; }
    }
    for (l = 0; l < m->L; l++) {
        const fx_tensor *h0 = fx_get(c, "h0"), *c0 = fx_get(c, "c0");
        size_t BH = (size_t)c->B * c->H;
        for (i = 0; i < BH; i++) {
            m->layers[l].h[i] = h0 ? (rnn_real)h0->v[l * BH + i] : 0;
            m->layers[l].c[i] = c0 ? (rnn_real)c0->v[l * BH + i] : 0;
        }
    }
    return 1;
}

static void run_case(const char *dir, const char *file)
{
    fx_case c; rnn_model m; rnn_batch b; rnn_real loss;
    rnn_real *x = NULL, *y = NULL, *dout = NULL; int *yt = NULL;
    char path[1024], what[1200], worst_grad[80];
    double worst = 0, dl;
    const char *worst_name = "-";
    const fx_tensor *t;
    size_t i, n;
    int k, l, failed0 = test_failed; /* a missing or misshapen tensor fails the case too */
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (!fx_read(&c, path)) { CHECK(0, "%s: cannot read the fixture", file); fx_free(&c); return; }
    if (!fx_model(&m, &c)) { CHECK(0, "%s: the fixture does not fit an rnn.h model", file); fx_free(&c); return; }
    n = (size_t)c.T * c.B;
    {   /* a headless case has dout (T, B, D*H) in place of the target */
        const fx_tensor *tx = fx_get(&c, "x"), *ty = fx_get(&c, c.Y ? "target" : "dout");
        size_t ny = !c.Y ? n * c.H * m.D : m.desc.output == RNN_SOFTMAX ? n : n * c.Y;
        if (!tx || tx->n != n * c.X || !ty || ty->n != ny) {
            CHECK(0, "%s: x or target (dout) is missing or has the wrong size", file);
            rnn_model_free(&m); fx_free(&c); return;
        }
    }
    memset(&b, 0, sizeof b);
    b.T = c.T; b.B = c.B;
    t = fx_get(&c, "x");
    x = (rnn_real *)malloc(sizeof(rnn_real) * n * c.X);
    for (i = 0; i < n * c.X; i++) x[i] = (rnn_real)t->v[i];
    b.x = x;
    t = fx_get(&c, c.Y ? "target" : "dout");
    if (!c.Y) {
        dout = (rnn_real *)malloc(sizeof(rnn_real) * t->n);
        for (i = 0; i < t->n; i++) dout[i] = (rnn_real)t->v[i];
    } else if (m.desc.output == RNN_SOFTMAX) {
        yt = (int *)malloc(sizeof(int) * n);
        for (i = 0; i < n; i++) yt[i] = (int)t->v[i];
        b.y_tokens = yt;
    } else {
        y = (rnn_real *)malloc(sizeof(rnn_real) * n * c.Y);
        for (i = 0; i < n * c.Y; i++) y[i] = (rnn_real)t->v[i];
        b.y = y;
    }
    rnn_zero_grad(&m);
    rnn_forward(&m, &b, &loss);
    if (dout) { /* no head: torch's out.backward(dout), and its "loss" sum(dout .* out) */
        const rnn_real *out = rnn_outputs(&m);
        rnn_status st = rnn_backward_outputs(&m, dout);
        CHECK(st == RNN_OK, "%s: rnn_backward_outputs returns %s %s", file, rnn_status_string(st), m.error);
        for (loss = 0, i = 0; out && i < n * c.H * m.D; i++) loss += dout[i] * out[i];
    } else rnn_backward(&m);
#define COMPARE(label, ptr, count, name) do { \
        const fx_tensor *r_ = fx_get(&c, name); double d_; \
        if (!r_) { CHECK(0, "%s: the fixture has no %s", file, name); break; } \
        if (r_->n != (size_t)(count)) { CHECK(0, "%s: %s has %lu values, the model %lu", file, name, (unsigned long)r_->n, (unsigned long)(count)); break; } \
        d_ = diff_rel(ptr, 1, r_->v, r_->n); \
        if (d_ > worst || worst_name[0] == '-') { if (d_ >= worst) { worst = d_; worst_name = label; } } \
    } while (0)
    {
        /* the top level's output: its state rows 1..T, or for two directions
           [h->(t), h<-(t)] side by side in the forward layer's `out` buffer */
        const rnn_layer *top = &m.layers[m.L - 1];
        const rnn_real *out = m.D == 2 ? m.layers[m.L - 2].out : top->h + (size_t)c.B * c.H;
        size_t BH = (size_t)c.B * c.H;
        COMPARE("out", out, n * c.H * m.D, "out");
        if (c.Y) COMPARE("y", m.y, n * c.Y, "y");
        else CHECK(out == rnn_outputs(&m), "%s: rnn_outputs is the top level's output", file);
        COMPARE("grad.x", m.dx, n * c.X, "grad.x");
        for (k = 0; k < 4; k++) {
            static const char *sn[] = {"h_n", "c_n", "grad.h0", "grad.c0"};
            const fx_tensor *r = fx_get(&c, sn[k]);
            int lstm = m.desc.cell == RNN_LSTM || m.desc.cell == RNN_PEEPHOLE;
            if (!r && (k % 2 == 0 || lstm)) { CHECK(0, "%s: the fixture has no %s", file, sn[k]); continue; }
            if (r && r->n != (size_t)m.L * BH) { CHECK(0, "%s: %s has %lu values, the model %lu", file, sn[k], (unsigned long)r->n, (unsigned long)(m.L * BH)); continue; }
        }
        for (l = 0; l < m.L; l++) {
            const fx_tensor *hn = fx_get(&c, "h_n"), *cn = fx_get(&c, "c_n"), *g0 = fx_get(&c, "grad.h0"), *gc0 = fx_get(&c, "grad.c0");
            size_t BH = (size_t)c.B * c.H;
            double d;
            /* row T of a layer's state is where it ended: for a reverse layer
               that is time 0, which is torch's h_n for that direction */
            if (hn && hn->n == (size_t)m.L * BH && (d = diff_rel(m.layers[l].h + (size_t)c.T * BH, 1, hn->v + l * BH, BH)) > worst) { worst = d; worst_name = "h_n"; }
            if (cn && cn->n == (size_t)m.L * BH && (d = diff_rel(m.layers[l].c + (size_t)c.T * BH, 1, cn->v + l * BH, BH)) > worst) { worst = d; worst_name = "c_n"; }
            if (g0 && g0->n == (size_t)m.L * BH && (d = diff_rel(m.layers[l].dh, 1, g0->v + l * BH, BH)) > worst) { worst = d; worst_name = "grad.h0"; }
            if (gc0 && gc0->n == (size_t)m.L * BH && (d = diff_rel(m.layers[l].dc, 1, gc0->v + l * BH, BH)) > worst) { worst = d; worst_name = "grad.c0"; }
        }
    }
    for (k = 0; k < m.n_tensors; k++) {
        static char gname[80];
        const fx_tensor *g;
        double d;
        snprintf(gname, sizeof gname, "grad.%s", m.tensors[k].name);
        g = fx_get(&c, gname);
        if (!g) { CHECK(0, "%s: the fixture has no %s", file, gname); continue; }
        if (g->n != (size_t)m.tensors[k].rows * m.tensors[k].cols) { CHECK(0, "%s: %s has the wrong size", file, gname); continue; }
        d = diff_rel(m.tensors[k].grad, 1, g->v, g->n);
        if (d > worst) { worst = d; snprintf(worst_grad, sizeof worst_grad, "%s", gname); worst_name = worst_grad; }
    }
    {   /* no gradient of the fixture is left out: one per parameter tensor,
           and those of x, h0 (and c0) */
        int ngrad = 0, want = m.n_tensors + 2 + (fx_get(&c, "c0") != NULL);
        for (k = 0; k < c.nt; k++) ngrad += strncmp(c.t[k].name, "grad.", 5) == 0;
        if (ngrad != want) CHECK(0, "%s: the fixture has %d gradients, the model %d", file, ngrad, want);
    }
    t = fx_get(&c, "loss");
    dl = t ? fabs((double)loss - t->v[0]) / (fabs(t->v[0]) > 1 ? fabs(t->v[0]) : 1) : 1;
    if (dl > worst) { worst = dl; worst_name = "loss"; }
    snprintf(what, sizeof what, "%s: outputs, states, loss and %d gradients match PyTorch (largest relative difference %.2e at %s, tolerance %.0e)",
             file, m.n_tensors + 2 + (fx_get(&c, "c0") != NULL), worst, worst_name, TOL);
    CHECK(worst < TOL && test_failed == failed0, "%s", what);
    free(x); free(y); free(yt); free(dout);
    rnn_model_free(&m);
    fx_free(&c);
}

/* A state dict written by torch (safetensors, float32) loads into rnn.h and
   gives the outputs the companion fixture says torch computed. */
static void torch_written(const char *dir)
{
    fx_case c; rnn_model m, mine; rnn_checkpoint ck; char path[1024], fpath[1024]; rnn_status st;
    snprintf(fpath, sizeof fpath, "%s/torch_lstm_l2.txt", dir);
    snprintf(path, sizeof path, "%s/torch_lstm_l2.safetensors", dir);
    if (!fx_read(&c, fpath)) { CHECK(0, "torch_lstm_l2.txt: cannot read"); return; }
    if (!fx_model(&mine, &c)) { CHECK(0, "torch_lstm_l2.txt does not fit a model"); fx_free(&c); return; }
    {
        rnn_model_desc d = mine.desc;
        d.seed = 99; /* different initial weights, to be overwritten */
        rnn_model_init(&m, &d);
    }
    memset(&ck, 0, sizeof ck);
    st = rnn_load_weights(path, &m, &ck);
    CHECK(st == RNN_OK, "a PyTorch state dict in safetensors (nn.LSTM 2 layers + nn.Linear) loads: %s %s", rnn_status_string(st), ck.error);
    if (st == RNN_OK) {
        int k; double w = 0;
        for (k = 0; k < m.n_params; k++) { double d = fabs((double)m.params[k] - (double)mine.params[k]); if (d > w) w = d; }
        CHECK(w == 0, "its weights are the fixture's, bit for bit (float32 in both)");
    }
    rnn_model_free(&m); rnn_model_free(&mine); fx_free(&c);
    run_case(dir, "torch_lstm_l2.txt");
}

/* writes checkpoints of RNN, GRU and LSTM models (2 levels; the GRU and
   LSTM also bidirectional) and, for each, a text file with the input,
   initial state and rnn.h's outputs */
static int export_models(const char *dir)
{
    static const rnn_cell cells[] = {RNN_TANH, RNN_RELU, RNN_GRU, RNN_LSTM, RNN_GRU, RNN_LSTM};
    static const char *cellname[] = {"tanh", "relu", "gru", "lstm", "gru", "lstm"};
    static const char *names[] = {"tanh", "relu", "gru", "lstm", "gru_bi", "lstm_bi"};
    static const int bidir[] = {0, 0, 0, 0, 1, 1};
    size_t k;
    for (k = 0; k < sizeof cells / sizeof *cells; k++) {
        rnn_model m; rnn_model_desc d; rnn_batch b; rnn_rng r; char path[1024]; FILE *f;
        rnn_real x[4 * 3 * 5]; size_t i; int l;
        memset(&d, 0, sizeof d); memset(&b, 0, sizeof b);
        d.cell = cells[k]; d.input_size = 5; d.hidden_size = 6; d.output_size = 4; d.num_layers = 2; d.seed = 1000 + k;
        d.output = RNN_LINEAR; d.bidirectional = bidir[k];
        if (rnn_model_init(&m, &d) != RNN_OK) { fprintf(stderr, "cannot make the %s model\n", names[k]); return 1; }
        rnn_rng_seed(&r, 5 + k);
        /* every weight random, biases too (the initial ones are mostly 0,
           which would hide a b_ih / b_hh or forward / reverse mix-up) */
        for (i = 0; i < (size_t)m.n_params; i++) m.params[i] = (rnn_real)(0.4 * rnn_rng_normal(&r));
        for (i = 0; i < sizeof x / sizeof *x; i++) x[i] = (rnn_real)rnn_rng_normal(&r);
        b.T = 4; b.B = 3; b.x = x;
        if (rnn_reserve(&m, 4, 3) != RNN_OK) { rnn_model_free(&m); return 1; }
        for (l = 0; l < m.L; l++) for (i = 0; i < 18; i++) { m.layers[l].h[i] = (rnn_real)(0.3 * rnn_rng_normal(&r)); m.layers[l].c[i] = (rnn_real)(0.3 * rnn_rng_normal(&r)); }
        snprintf(path, sizeof path, "%s/rnnh_%s.safetensors", dir, names[k]);
        {   /* user settings: torch_roundtrip.py reads them back from __metadata__ with Python's json */
            rnn_checkpoint ck;
            memset(&ck, 0, sizeof ck);
            if (rnn_checkpoint_set(&ck, "model", names[k]) != RNN_OK ||
                rnn_checkpoint_set(&ck, "note", "say \"hi\" C:\\ caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\n\ttab\x01\x7f") != RNN_OK ||
                rnn_save(path, &m, &ck) != RNN_OK) { fprintf(stderr, "cannot write %s: %s\n", path, ck.error); return 1; }
        }
        if (rnn_forward(&m, &b, NULL) != RNN_OK) { fprintf(stderr, "the %s model's forward failed\n", names[k]); rnn_model_free(&m); return 1; }
        snprintf(path, sizeof path, "%s/rnnh_%s.txt", dir, names[k]);
        f = fopen(path, "w");
        if (!f) { rnn_model_free(&m); return 1; }
        fprintf(f, "cell %s layers 2 X 5 H 6 Y 4 B 3 T 4 bidirectional %d\nx", cellname[k], bidir[k]);
        for (i = 0; i < sizeof x / sizeof *x; i++) fprintf(f, " %.17g", (double)x[i]);
        fprintf(f, "\nh0");
        for (l = 0; l < m.L; l++) for (i = 0; i < 18; i++) fprintf(f, " %.17g", (double)m.layers[l].h[i]);
        fprintf(f, "\nc0");
        for (l = 0; l < m.L; l++) for (i = 0; i < 18; i++) fprintf(f, " %.17g", (double)m.layers[l].c[i]);
        fprintf(f, "\ny");
        for (i = 0; i < 4 * 3 * 4; i++) fprintf(f, " %.17g", (double)m.y[i]);
        /* the final states, ordered as torch's h_n: level*D + direction */
        fprintf(f, "\nhn");
        for (l = 0; l < m.L; l++) for (i = 0; i < 18; i++) fprintf(f, " %.17g", (double)m.layers[l].h[4 * 18 + i]);
        fprintf(f, "\ncn");
        for (l = 0; l < m.L; l++) for (i = 0; i < 18; i++) fprintf(f, " %.17g", (double)m.layers[l].c[4 * 18 + i]);
        fprintf(f, "\n");
        fclose(f);
        rnn_model_free(&m);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = "tests/fixtures";
    char path[1024], name[256];
    FILE *idx;
    int cases = 0;
    if (argc > 2 && strcmp(argv[1], "--export") == 0) return export_models(argv[2]);
    if (argc > 1) dir = argv[1];
    snprintf(path, sizeof path, "%s/index.txt", dir);
    idx = fopen(path, "r");
    CHECK(idx != NULL, "fixture index %s is there", path);
    if (idx) {
        while (fscanf(idx, "%255s", name) == 1) {
            if (strcmp(name, "torch_lstm_l2.txt") == 0) continue;
            run_case(dir, name);
            cases++;
        }
        fclose(idx);
    }
    CHECK(cases >= 10, "%d fixture cases were compared", cases);
    snprintf(path, sizeof path, "%s/torch_lstm_l2.safetensors", dir);
    idx = fopen(path, "rb");
    if (idx) { fclose(idx); torch_written(dir); }
    else if (argc == 1) CHECK(0, "the committed fixtures include torch_lstm_l2.safetensors");
    return test_done();
}
