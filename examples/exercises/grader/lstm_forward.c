/* The checks of the exercise "lstm_forward": my_lstm_forward against
   rnn_lstm_forward, plain and with peepholes. */
#include "grader.h"

typedef struct { int B, H, peep, zero; const char *what; } lcase;

static const char *const hint =
    "[lstm.*] i = sigma(a_i), f = sigma(a_f), g = tanh(a_g), o = sigma(a_o), where\n"
    "  a_q = gx_q + W_hq h_prev + b_hq and the gates sit in the order i, f, g, o;\n"
    "  c = f * c_prev + i * g; h = o * tanh(c). Peepholes: a_i += p_i * c_prev,\n"
    "  a_f += p_f * c_prev, a_o += p_o * c (the new c).\n"
    "  Usual mistakes: the gate order i, f, o, g of deck D4's slide; sigma on the\n"
    "  candidate g (deck D3); h = o * c without the tanh; the output peephole on c_prev.";

static double sig(double a) { return 1 / (1 + exp(-a)); }

enum { RIGHT, ORDER_IFOG, SIGMOID_G, NO_TANH_C, PEEP_O_ON_CPREV, N_WAYS };
static const char *const diagnosis[N_WAYS] = {
    "",
    "diagnosis: the gates were read in the order i, f, o, g (deck D4's slide); rnn.h (and\n"
    "  PyTorch) stack them i, f, g, o: g in columns [2H,3H) of gx and rows [2H,3H) of W_hh.",
    "diagnosis: the candidate g went through sigma, as deck D3 writes it; rnn.h (with D0, D1,\n"
    "  D2, D4 and PyTorch) uses tanh: g = tanh(a_g), values in (-1, 1).",
    "diagnosis: h = o * c: the tanh is missing, h = o * tanh(c) [lstm.hidden].",
    "diagnosis: the output gate's peephole used c_prev; it looks at the new cell state:\n"
    "  a_o += p_o * c<t> (Gers and Schmidhuber; deck D2 writes c<t-1>, see docs/errata.md)."};

/* the step written out, right or with a known mistake; h, c (B,H), ifgo (B,4H) */
static void lstm(double *h, double *c, double *ifgo, const rnn_cell_io *io, int how)
{
    int B = io->B, H = io->H, b, j, k, q, at[4];
    const double *p = io->p;
    at[0] = 0; at[1] = H; at[2] = how == ORDER_IFOG ? 3 * H : 2 * H; at[3] = how == ORDER_IFOG ? 2 * H : 3 * H;
    for (b = 0; b < B; b++)
        for (j = 0; j < H; j++) {
            const double *hp = io->h_prev + (size_t)b * H, *cp = io->c_prev + (size_t)b * H;
            double a[4], *g4 = ifgo + (size_t)b * 4 * H;
            for (q = 0; q < 4; q++) {
                a[q] = io->gx[(size_t)b * 4 * H + at[q] + j] + io->b_hh[at[q] + j];
                for (k = 0; k < H; k++) a[q] += io->W_hh[(size_t)(at[q] + j) * H + k] * hp[k];
            }
            g4[j] = sig(a[0] + (p ? p[j] * cp[j] : 0));
            g4[H + j] = sig(a[1] + (p ? p[H + j] * cp[j] : 0));
            g4[2 * H + j] = how == SIGMOID_G ? sig(a[2]) : tanh(a[2]);
            c[b * H + j] = g4[H + j] * cp[j] + g4[j] * g4[2 * H + j];
            g4[3 * H + j] = sig(a[3] + (p ? p[2 * H + j] * (how == PEEP_O_ON_CPREV ? cp[j] : c[b * H + j]) : 0));
            h[b * H + j] = g4[3 * H + j] * (how == NO_TANH_C ? c[b * H + j] : tanh(c[b * H + j]));
        }
}

static int check(const void *arg)
{
    const lcase *k = (const lcase *)arg;
    int B = k->B, H = k->H, how;
    size_t n = (size_t)B * H;
    rnn_cell_io io, ref;
    double *wh = ex_new(n), *wc = ex_new(n), *wcache = ex_new(4 * n);
    ex_tensor th = ex_t("h", B, H), tcc = ex_t("c", B, H), tk = ex_tg("cache", B, 4 * H, "i f g o", H);
    rnn_rng r;
    rnn_rng_seed(&r, (uint64_t)(100 * B + 10 * H + k->peep));
    memset(&io, 0, sizeof io);
    io.cell = k->peep ? RNN_PEEPHOLE : RNN_LSTM; io.B = B; io.H = H;
    io.gx = ex_new_rand(4 * n, 1, &r);
    io.h_prev = k->zero ? ex_new(n) : ex_new_rand(n, 0.9, &r);
    io.c_prev = k->zero ? ex_new(n) : ex_new_rand(n, 1.5, &r);
    io.W_hh = ex_new_rand((size_t)4 * H * H, 0.8, &r);
    io.b_hh = ex_new_rand((size_t)4 * H, 0.5, &r);
    io.p = k->peep ? ex_new_rand((size_t)3 * H, 0.8, &r) : NULL;
    io.h = ex_out(n); io.c = ex_out(n); io.cache = ex_out(4 * n);
    ref = io; ref.h = wh; ref.c = wc; ref.cache = wcache;
    my_lstm_forward(&io);
    if (!ex_fenced(&th, io.h) || !ex_fenced(&tcc, io.c) || !ex_fenced(&tk, io.cache)) return 0;
    rnn_lstm_forward(&ref);
    if (ex_same(&tk, io.cache, wcache, 1e-9) && ex_same(&tcc, io.c, wc, 1e-9) && ex_same(&th, io.h, wh, 1e-9))
        return 1;
    if (!ex_unset(io.h, n) || !ex_unset(io.cache, 4 * n))
        for (how = ORDER_IFOG; how < N_WAYS; how++) {
            double *ah = ex_new(n), *ac = ex_new(n), *ak = ex_new(4 * n);
            if (how == PEEP_O_ON_CPREV && !k->peep) continue;
            lstm(ah, ac, ak, &io, how);
            if (!ex_match(ah, wh, n, 1e-9) && ex_match(io.h, ah, n, 1e-9)) ex_say("%s\n", diagnosis[how]);
        }
    if (k->peep && ex_unset(io.h, n) == 0) {
        double *ah = ex_new(n), *ac = ex_new(n), *ak = ex_new(4 * n);
        rnn_cell_io plain = io;
        plain.p = NULL;
        lstm(ah, ac, ak, &plain, RIGHT);
        if (ex_match(io.h, ah, n, 1e-9))
            ex_say("diagnosis: these are the plain LSTM's numbers: io->p is not NULL here, so add the\n"
                   "  peephole terms p_i * c_prev, p_f * c_prev and p_o * c.\n");
    }
    ex_hint(hint);
    return 0;
}

int main(int argc, char **argv)
{
    static const lcase cases[] = {
        {3, 4, 0, 0, "B=3 H=4: h, c and the gates i, f, g, o against rnn_lstm_forward"},
        {1, 1, 0, 0, "B=1 H=1"},
        {2, 5, 0, 1, "zero state h<t-1> = c<t-1> = 0, B=2 H=5"},
        {4, 2, 0, 0, "B=4 H=2"},
        {2, 3, 1, 0, "peephole LSTM (io->p != NULL), B=2 H=3"},
        {1, 1, 1, 0, "peephole LSTM, B=1 H=1"}};
    int i;
    ex_begin(argc, argv, "lstm_forward", "one step of the LSTM and the peephole LSTM [lstm.*] [peephole.*]");
    for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) ex_check(cases[i].what, check, &cases[i]);
    return ex_end();
}
