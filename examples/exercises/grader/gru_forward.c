/* The checks of the exercise "gru_forward": my_gru_forward against
   rnn_gru_forward in both update conventions and both reset placements. */
#include "grader.h"

typedef struct { int B, H, flags, zero; const char *what; } gcase;

static const char *const hint =
    "[gru.*] r = sigma(gx_r + W_hr h_prev + b_hr); z = sigma(gx_z + W_hz h_prev + b_hz);\n"
    "  n = tanh(gx_n + r * (W_hn h_prev + b_hn)), or with RNN_GRU_RESET_BEFORE\n"
    "  n = tanh(gx_n + W_hn (r * h_prev) + b_hn); h = z * h_prev + (1 - z) * n, or with\n"
    "  RNN_GRU_UPDATE_DECK h = z * n + (1 - z) * h_prev. The gates in the order r, z, n.\n"
    "  Usual mistakes: the other GRU convention (z weighting n instead of h_prev, or the\n"
    "  reset gate on the wrong side of W_hn); the gates read in the order z, r, n.";

static double sig(double a) { return 1 / (1 + exp(-a)); }

/* the step written out with given flags and gate positions (R, Z: where r
   and z sit); h (B,H), rzn (B,3H) */
static void gru(double *h, double *rzn, const rnn_cell_io *io, int flags, int R, int Z)
{
    int B = io->B, H = io->H, b, j, k, before = (flags & RNN_GRU_RESET_BEFORE) != 0;
    int deck = (flags & RNN_GRU_UPDATE_DECK) != 0;
    for (b = 0; b < B; b++) {
        const double *gx = io->gx + (size_t)b * 3 * H, *hp = io->h_prev + (size_t)b * H;
        double *r = rzn + (size_t)b * 3 * H, *z = r + H, *n = z + H, *u = ex_new((size_t)H);
        for (j = 0; j < H; j++) {
            double ar = gx[R + j] + io->b_hh[R + j], az = gx[Z + j] + io->b_hh[Z + j];
            for (k = 0; k < H; k++) { ar += io->W_hh[(R + j) * H + k] * hp[k]; az += io->W_hh[(Z + j) * H + k] * hp[k]; }
            r[j] = sig(ar); z[j] = sig(az);
        }
        for (j = 0; j < H; j++) u[j] = before ? r[j] * hp[j] : hp[j];
        for (j = 0; j < H; j++) {
            double hn = io->b_hh[2 * H + j];
            for (k = 0; k < H; k++) hn += io->W_hh[(2 * H + j) * H + k] * u[k];
            n[j] = tanh(gx[2 * H + j] + (before ? hn : r[j] * hn));
            h[b * H + j] = deck ? z[j] * n[j] + (1 - z[j]) * hp[j] : z[j] * hp[j] + (1 - z[j]) * n[j];
        }
    }
}

static int check(const void *arg)
{
    const gcase *c = (const gcase *)arg;
    int B = c->B, H = c->H, b;
    size_t n = (size_t)B * H;
    rnn_cell_io io, ref;
    double *mine3 = ex_new(3 * n), *want3 = ex_new(3 * n), *want = ex_new(n), *wcache = ex_new(5 * n);
    ex_tensor th = ex_t("h", B, H), tc = ex_tg("cache", B, 5 * H, "r z n hn u", H), tc3 = ex_tg("cache", B, 3 * H, "r z n", H);
    rnn_rng r;
    rnn_rng_seed(&r, (uint64_t)(100 * B + 10 * H + c->flags));
    memset(&io, 0, sizeof io);
    io.cell = RNN_GRU; io.flags = c->flags; io.B = B; io.H = H;
    io.gx = ex_new_rand(3 * n, 1, &r);
    io.h_prev = c->zero ? ex_new(n) : ex_new_rand(n, 0.9, &r);
    io.W_hh = ex_new_rand((size_t)3 * H * H, 0.8, &r);
    io.b_hh = ex_new_rand((size_t)3 * H, 0.5, &r);
    io.h = ex_out(n); io.cache = ex_out(5 * n);
    ref = io; ref.h = want; ref.cache = wcache;
    my_gru_forward(&io);
    if (!ex_fenced(&th, io.h) || !ex_fenced(&tc, io.cache)) return 0;
    rnn_gru_forward(&ref);
    for (b = 0; b < B; b++) { /* r, z, n of each row, side by side */
        memcpy(mine3 + (size_t)b * 3 * H, io.cache + (size_t)b * 5 * H, sizeof(double) * 3 * H);
        memcpy(want3 + (size_t)b * 3 * H, wcache + (size_t)b * 5 * H, sizeof(double) * 3 * H);
    }
    if (ex_same(&th, io.h, want, 1e-9)) {
        if (ex_same(&tc3, mine3, want3, 1e-9)) return 1;
        ex_say("  h is right, but the cache must hold r, z and n after their activations.\n");
    } else if (!ex_unset(io.h, n)) {
        static const struct { int flip, R, Z; const char *say; } ways[] = {
            {RNN_GRU_UPDATE_DECK, 0, 0, "diagnosis: the other convention for the update gate z. %s\n"},
            {RNN_GRU_RESET_BEFORE, 0, 0, "diagnosis: the reset gate r on the other side of W_hn. %s\n"},
            {RNN_GRU_UPDATE_DECK | RNN_GRU_RESET_BEFORE, 0, 0, "diagnosis: both of the other conventions. %s\n"},
            {0, 1, 0, "diagnosis: the gates were read in the order z, r, n; rnn.h (and PyTorch) stack them\n"
                      "  r, z, n: r in columns [0,H) of gx and rows [0,H) of W_hh, z in [H,2H).%s\n"}};
        int w;
        for (w = 0; w < 4; w++) {
            double *alt = ex_new(n), *alt3 = ex_new(3 * n);
            char why[200];
            int f = c->flags ^ ways[w].flip;
            gru(alt, alt3, &io, f, ways[w].R ? H : 0, ways[w].R ? 0 : H);
            if (!ex_match(io.h, alt, n, 1e-9) || ex_match(alt, want, n, 1e-9)) continue;
            if (w == 3) why[0] = 0;
            else snprintf(why, sizeof why, "With these flags (%s%s%s):\n    h = %s\n    n = %s",
                          c->flags & RNN_GRU_RESET_BEFORE ? "RESET_BEFORE" : "",
                          c->flags == 3 ? " | " : "", c->flags & RNN_GRU_UPDATE_DECK ? "UPDATE_DECK" : c->flags ? "" : "none",
                          c->flags & RNN_GRU_UPDATE_DECK ? "z * n + (1 - z) * h_prev" : "z * h_prev + (1 - z) * n",
                          c->flags & RNN_GRU_RESET_BEFORE ? "tanh(gx_n + W_hn (r * h_prev) + b_hn)"
                                                         : "tanh(gx_n + r * (W_hn h_prev + b_hn))");
            ex_say(ways[w].say, why);
        }
    }
    ex_hint(hint);
    return 0;
}

int main(int argc, char **argv)
{
    static const gcase cases[] = {
        {3, 4, 0, 0, "flags 0 (PyTorch's GRU), B=3 H=4: h and r, z, n against rnn_gru_forward"},
        {2, 3, RNN_GRU_UPDATE_DECK, 0, "RNN_GRU_UPDATE_DECK (the decks' update gate), B=2 H=3"},
        {2, 3, RNN_GRU_RESET_BEFORE, 0, "RNN_GRU_RESET_BEFORE (D4's GRU), B=2 H=3"},
        {3, 2, RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK, 0, "both flags (D1's and D2's GRU), B=3 H=2"},
        {1, 1, RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK, 0, "both flags, B=1 H=1"},
        {2, 5, 0, 1, "zero state h<t-1> = 0, flags 0, B=2 H=5"}};
    int i;
    ex_begin(argc, argv, "gru_forward", "one step of the GRU, both conventions [gru.*]");
    for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) ex_check(cases[i].what, check, &cases[i]);
    return ex_end();
}
