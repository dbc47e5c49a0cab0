/* The checks of the exercise "rnn_cell": my_simple_forward against
   rnn_simple_forward on random cases of several sizes. */
#include "grader.h"

typedef struct { int B, H, relu, zero; const char *what; } fcase;
enum { RIGHT, TRANSPOSED, NO_BIAS, NO_GX, NO_ACT, OTHER_ACT, ROW0, N_WAYS };

static const char *const diagnosis[N_WAYS] = {
    "",
    "diagnosis: you multiplied by W_hh transposed. Row j of W_hh holds the weights\n"
    "  into unit j: sum_k W_hh[j*H + k] h_prev[b*H + k] (one matrix, W_hh h<t-1>).",
    "diagnosis: the recurrent bias b_hh is missing.",
    "diagnosis: the input side io->gx (W_ax x<t> + b_a) is missing.",
    "diagnosis: g was not applied: h = g(a) with g = tanh (ReLU when io->cell is RNN_RELU).",
    "diagnosis: tanh and ReLU are swapped: io->cell == RNN_RELU asks for ReLU, RNN_TANH for tanh.",
    "diagnosis: every row used row 0 of h_prev: row b of h comes from row b of h_prev\n"
    "  (h_prev[b*H + k]); the B rows are B independent sequences."};

static const char *const hint =
    "[rnn.state] h[b][j] = g(gx[b][j] + sum_k W_hh[j][k] h_prev[b][k] + b_hh[j]),\n"
    "  W_hh[j][k] = W_hh[j*H + k]; g = tanh, or ReLU when io->cell == RNN_RELU.\n"
    "  Usual mistakes: W_hh transposed; b_hh or gx left out; g not applied; the rows\n"
    "  of the batch mixed up.";

/* the step written out, right or with one known mistake */
static void variant(double *h, const rnn_cell_io *io, int how)
{
    int B = io->B, H = io->H, b, j, k, relu = (io->cell == RNN_RELU) != (how == OTHER_ACT);
    for (b = 0; b < B; b++)
        for (j = 0; j < H; j++) {
            double a = (how == NO_GX ? 0 : io->gx[b * H + j]) + (how == NO_BIAS ? 0 : io->b_hh[j]);
            for (k = 0; k < H; k++)
                a += (how == TRANSPOSED ? io->W_hh[k * H + j] : io->W_hh[j * H + k]) *
                     io->h_prev[(how == ROW0 ? 0 : b) * H + k];
            h[b * H + j] = how == NO_ACT ? a : relu ? (a > 0 ? a : 0) : tanh(a);
        }
}

static int check(const void *arg)
{
    const fcase *c = (const fcase *)arg;
    int B = c->B, H = c->H, how;
    size_t n = (size_t)B * H;
    rnn_cell_io io, ref;
    double *want = ex_new(n);
    ex_tensor th = ex_t("h", B, H);
    rnn_rng r;
    rnn_rng_seed(&r, (uint64_t)(B * 100 + H * 10 + c->relu));
    memset(&io, 0, sizeof io);
    io.cell = c->relu ? RNN_RELU : RNN_TANH; io.B = B; io.H = H;
    io.gx = ex_new_rand(n, 1, &r);
    io.h_prev = c->zero ? ex_new(n) : ex_new_rand(n, 0.9, &r);
    io.W_hh = ex_new_rand((size_t)H * H, 0.8, &r);
    io.b_hh = ex_new_rand((size_t)H, 0.5, &r);
    io.h = ex_out(n);
    ref = io; ref.h = want;
    my_simple_forward(&io);
    if (!ex_fenced(&th, io.h)) return 0;
    rnn_simple_forward(&ref);
    if (ex_same(&th, io.h, want, 1e-9)) return 1;
    if (!ex_unset(io.h, n))
        for (how = TRANSPOSED; how < N_WAYS; how++) {
            double *alt = ex_new(n);
            variant(alt, &io, how);
            if (!ex_match(alt, want, n, 1e-9) && ex_match(io.h, alt, n, 1e-9)) ex_say("%s\n", diagnosis[how]);
        }
    ex_hint(hint);
    return 0;
}

int main(int argc, char **argv)
{
    static const fcase cases[] = {
        {3, 4, 0, 0, "B=3 H=4, tanh: h against rnn_simple_forward"},
        {2, 5, 1, 0, "B=2 H=5, ReLU"},
        {1, 1, 0, 0, "B=1 H=1, tanh"},
        {4, 1, 1, 0, "B=4 H=1, ReLU"},
        {2, 3, 0, 1, "zero state h<t-1> = 0, B=2 H=3"},
        {5, 8, 0, 0, "B=5 H=8, tanh"}};
    int i;
    ex_begin(argc, argv, "rnn_cell", "one step of the simple RNN, forward [rnn.state]");
    for (i = 0; i < (int)(sizeof cases / sizeof cases[0]); i++) ex_check(cases[i].what, check, &cases[i]);
    return ex_end();
}
