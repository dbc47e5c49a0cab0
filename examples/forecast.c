/* forecast.c - deck D2's lab "Forecasting con LSTM": "Utilizar una red
   recurrente LSTM para predecir el número de pasajeros aéreos futuros."

   The data: monthly totals of international airline passengers (thousands),
   January 1949 to December 1960, the Box & Jenkins "series G" that R ships
   as AirPassengers; examples/data/airline_passengers.csv, with its source
   in the header. A trend (3.8 times as many passengers in 1960 as in
   1949) and a yearly season (summer peaks) that grows with the level.

   The lab, set up as Keras-style tutorials of this exercise usually do:
     - split in time: train on 1949-1958, forecast 1959-1960 (24 months);
     - scale the series to [0, 1] with the minimum and maximum of the
       training years only (the test years must not leak in);
     - sliding windows: the last W = 12 months are a sequence of 12 steps
       of one number each; the target is the next month; many-to-one
       ([arch.many-to-one]: desc.loss_last_only, a linear output, squared
       error: [loss.mse]); an LSTM with 16 units, Adam.
   Two ways of forecasting the test years are reported:
     one step ahead   each month from the 12 true months before it (what
                      such tutorials report);
     free-running     24 months from the end of 1958 on, each prediction
                      fed back as an input of the next window (training's
                      [teacher-forcing] switched off): a real forecast,
                      made without seeing 1959-1960.
   Beside two baselines that any model must beat:
     seasonal naive   the same month one year earlier (free-running: the
                      same month of 1958);
     linear trend     a least-squares line through the training months.
   The error is the RMSE in thousands of passengers, and the mean absolute
   percentage error, for each of several seeds.
   With --diff the network reads and predicts the change from one month to
   the next instead of the level, which a network trained on the levels of
   1949-1958 cannot reach in 1960 (the guide measures both).

   It draws docs/images/forecast_series.png (the series, the fit on the
   training years and the forecasts) and docs/images/forecast_test.png
   (the test years, closer). docs/guide/forecast.md shows the numbers and
   explains them.

   Build and run (a few seconds of CPU; --help lists the options):
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/forecast.c -o build/forecast -lm
       ./build/forecast
   The pictures are written with stb_image_write (Debian: libstb-dev). */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <ctype.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>
#include "lab.h"   /* options, pictures, PNG files: what every lab needs */
#include "lab_plot.h"

/* ---- the options ------------------------------------------------------- */

typedef struct config {
    char data[256];         /* the CSV file                                   */
    char cell[16];          /* lstm, gru, tanh                                */
    int test_months;        /* the last N months are the test period          */
    int window, hidden, epochs, batch, seeds, seed;
    double lr, clip;
    int log_scale;          /* model log(passengers) instead of passengers    */
    int diff;               /* model the month-to-month changes               */
    int quiet, no_images;
    char images[256];
} config;

#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--data", "FILE", LAB_TEXT, OFF(data), 0, 256, "the series: a CSV of month,value rows (# starts a comment)", 0},
    {"--test-months", "N", LAB_INT, OFF(test_months), 1, 1200, "forecast the last N months, train on the rest", 0},
    {"--window", "W", LAB_INT, OFF(window), 1, 240, "months in each input window (steps of the RNN)", 0},
    {"--cell", "NAME", LAB_TEXT, OFF(cell), 0, 16, "the recurrent cell: lstm, gru or tanh", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 512, "hidden units", 0},
    {"--epochs", "N", LAB_INT, OFF(epochs), 1, 1e6, "passes over the training windows", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "windows per update", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-7, 10, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e9, "clip the gradient's global norm to X", 0},
    {"--log", NULL, LAB_FLAG, OFF(log_scale), 0, 1, "model the logarithm of the series (then scale it)", 0},
    {"--diff", NULL, LAB_FLAG, OFF(diff), 0, 1, "model the change from one month to the next, not the level", 0},
    {"--seeds", "N", LAB_INT, OFF(seeds), 1, 1000, "runs, one per seed", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the first seed (weights and the order of the windows)", 0},
    {"--images", "DIR", LAB_TEXT, OFF(images), 0, 256, "where forecast_series.png and forecast_test.png go", 0},
    {"--no-images", NULL, LAB_FLAG, OFF(no_images), 0, 1, "draw no pictures", 0},
    {"--quiet", NULL, LAB_FLAG, OFF(quiet), 0, 1, "no progress lines, only the tables", 0},
    {"--help", NULL, LAB_FLAG, 0, 0, 0, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

static const char intro[] =
    "usage: forecast [options]\n"
    "Trains an RNN on sliding windows of a monthly series (the airline passengers of\n"
    "deck D2) and forecasts its last months; compares with a seasonal-naive forecast\n"
    "and a linear trend. Options (default in brackets):\n";

/* ---- the data ---------------------------------------------------------- */

#define MAX_MONTHS 100000

typedef struct series {
    int n;                  /* months                                         */
    int year0, month0;      /* the first month (month 1..12)                  */
    double *v;              /* (n) the values                                 */
} series;

/* the start of a line as printable text, for an error message */
static const char *excerpt(const char *p)
{
    static char buf[44];
    int i;
    for (i = 0; i < 40 && p[i]; i++) buf[i] = isprint((unsigned char)p[i]) ? p[i] : '?';
    buf[i] = 0;
    return buf;
}

/* Reads "YYYY-MM,value" rows; blank lines and lines starting with # are
   skipped, and so is one header line before the first row (a line that
   does not start with a digit). The months must follow each other without
   a gap and the values must be positive numbers. Returns 0, or 1 after
   printing one line that names the file and the problem. */
static int read_series(const char *path, series *s)
{
    FILE *f = fopen(path, "rb");
    char line[512];
    int lineno = 0, rows = 0, header_seen = 0, cap = 256;
    memset(s, 0, sizeof *s);
    if (!f) { fprintf(stderr, "forecast: cannot open %s\n", path); return 1; }
    s->v = (double *)malloc(sizeof(double) * (size_t)cap);
    if (!s->v) { fclose(f); fprintf(stderr, "forecast: out of memory\n"); return 1; }
    while (fgets(line, sizeof line, f)) {
        char *p = line, *end;
        int year, month, used = 0;
        double v;
        size_t len = strlen(line);
        lineno++;
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            fprintf(stderr, "forecast: %s:%d: line too long\n", path, lineno); goto fail;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ')) line[--len] = 0;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') continue;
        if (!isdigit((unsigned char)*p)) {
            if (header_seen || rows) {
                fprintf(stderr, "forecast: %s:%d: expected a row YYYY-MM,value, found '%s'\n", path, lineno, excerpt(p));
                goto fail;
            }
            header_seen = 1;
            continue;
        }
        if (sscanf(p, "%4d-%2d,%n", &year, &month, &used) != 2 || used == 0 || month < 1 || month > 12) {
            fprintf(stderr, "forecast: %s:%d: expected a row YYYY-MM,value, found '%s'\n", path, lineno, excerpt(p));
            goto fail;
        }
        v = strtod(p + used, &end);
        while (*end == ' ' || *end == '\t') end++;
        if (end == p + used || *end || !(v > 0) || !(v < 1e300)) {
            fprintf(stderr, "forecast: %s:%d: the value '%s' is not a positive number\n", path, lineno, excerpt(p + used));
            goto fail;
        }
        if (rows == 0) { s->year0 = year; s->month0 = month; }
        else if (year * 12 + month - 1 != s->year0 * 12 + s->month0 - 1 + rows) {
            fprintf(stderr, "forecast: %s:%d: month %04d-%02d does not follow the previous row (no gaps allowed)\n",
                    path, lineno, year, month);
            goto fail;
        }
        if (rows == MAX_MONTHS) { fprintf(stderr, "forecast: %s: more than %d rows\n", path, MAX_MONTHS); goto fail; }
        if (rows == cap) {
            double *nv = (double *)realloc(s->v, sizeof(double) * (size_t)cap * 2);
            if (!nv) { fprintf(stderr, "forecast: out of memory\n"); goto fail; }
            s->v = nv; cap *= 2;
        }
        s->v[rows++] = v;
    }
    if (ferror(f)) { fprintf(stderr, "forecast: %s: read error\n", path); goto fail; }
    fclose(f);
    if (rows == 0) { fprintf(stderr, "forecast: %s: no data rows (expected YYYY-MM,value)\n", path); free(s->v); s->v = NULL; return 1; }
    s->n = rows;
    return 0;
fail:
    fclose(f);
    free(s->v);
    s->v = NULL;
    return 1;
}

/* the name of month i of the series, "1959-01" */
static void month_name(const series *s, int i, char *out, size_t size)
{
    int k = s->year0 * 12 + s->month0 - 1 + i;
    snprintf(out, size, "%04d-%02d", k / 12, k % 12 + 1);
}

/* ---- errors and the baselines ------------------------------------------ */

typedef struct score { double rmse, mape; } score;

/* RMSE and mean absolute percentage error of pred against truth over
   months [from, to) */
static score score_range(const double *pred, const double *truth, int from, int to)
{
    score r = {0, 0};
    int i;
    for (i = from; i < to; i++) {
        double e = pred[i] - truth[i];
        r.rmse += e * e;
        r.mape += fabs(e) / truth[i];
    }
    r.rmse = sqrt(r.rmse / (to - from));
    r.mape = 100 * r.mape / (to - from);
    return r;
}

/* ---- the model ---------------------------------------------------------- */

typedef struct scaler { double lo, hi; int log_scale; } scaler;

static double scale_in(const scaler *z, double v)
{
    double u = z->log_scale ? log(v) : v;
    return (u - z->lo) / (z->hi - z->lo);
}
static double scale_out(const scaler *z, double u)
{
    double v = z->lo + u * (z->hi - z->lo);
    return z->log_scale ? exp(v) : v;
}

typedef struct run_result {
    double *onestep;        /* (n) one-step-ahead predictions (0 where none)  */
    double *free_run;       /* (n) the free-running forecast of the test part */
    score fit, one, fr;     /* training windows; test one-step; test free     */
    double final_loss;      /* mean squared error (scaled) of the last epoch  */
    double cpu;
    int diverged;
} run_result;

static rnn_cell cell_of(const char *name)
{
    if (!strcmp(name, "lstm")) return RNN_LSTM;
    if (!strcmp(name, "gru")) return RNN_GRU;
    if (!strcmp(name, "tanh")) return RNN_TANH;
    return RNN_CELL_DEFAULT;
}

/* Predicts the next value for B windows at once: x is (W, B, 1) scaled
   inputs; the predictions (scaled) go to out (B). */
static rnn_status predict(rnn_model *m, int W, int B, const rnn_real *x, rnn_real *out)
{
    rnn_batch bt = {0};
    rnn_status st;
    int b;
    bt.T = W; bt.B = B; bt.x = x;
    if ((st = rnn_reserve(m, W, B)) != RNN_OK) return st;
    rnn_reset_state(m);
    if ((st = rnn_forward(m, &bt, NULL)) != RNN_OK) return st;   /* no targets: y only */
    for (b = 0; b < B; b++) out[b] = m->y[(size_t)(W - 1) * B + b];
    return RNN_OK;
}

/* One run: train on the windows whose target lies before n_train, then
   predict. The network works on r, the series in "model space": the
   scaled values u, or with --diff their month-to-month changes
   r[t] = (u[t] - u[t-1]) / ds (ds: the largest training change), so that
   a prediction of r[t] means the level u[t-1] + ds r[t]. */
static rnn_status run_once(const config *c, const series *s, const scaler *z, int n_train,
                           uint64_t seed, run_result *res, int verbose)
{
    int W = c->window, n = s->n, start = c->diff ? 1 : 0, first = start + W;
    int n_win = n_train - first, B, epoch, i, t, k;
    rnn_model m;
    rnn_model_desc d;
    rnn_optim opt;
    rnn_optim_desc od;
    rnn_rng rng;
    rnn_status st;
    double ds = 1;
    int *order = (int *)malloc(sizeof(int) * (size_t)n);
    double *u = (double *)malloc(sizeof(double) * (size_t)n);       /* the scaled series */
    double *r = (double *)malloc(sizeof(double) * (size_t)n);       /* what the network reads */
    double *up = (double *)malloc(sizeof(double) * (size_t)n);      /* free-running levels */
    rnn_real *x = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)W * n), *y = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)W * n);
    rnn_real *out = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)n);
    clock_t t0 = clock();

    memset(&d, 0, sizeof d);
    memset(&od, 0, sizeof od);
    if (!order || !u || !r || !up || !x || !y || !out) { st = RNN_ERR_NOMEM; goto out_free; }
    for (i = 0; i < n; i++) u[i] = scale_in(z, s->v[i]);
    if (c->diff) {
        ds = 0;
        for (t = 1; t < n_train; t++) if (fabs(u[t] - u[t - 1]) > ds) ds = fabs(u[t] - u[t - 1]);
        if (!(ds > 0)) ds = 1;
        r[0] = 0;
        for (t = 1; t < n; t++) r[t] = (u[t] - u[t - 1]) / ds;
    } else {
        for (t = 0; t < n; t++) r[t] = u[t];
    }
#define LEVEL(prev_u, rhat) (c->diff ? (prev_u) + ds * (rhat) : (rhat))  /* back to the scaled level */
    d.cell = cell_of(c->cell);
    d.input_size = 1;                    /* one number per step: this month */
    d.hidden_size = c->hidden;
    d.output_size = 1;
    d.output = RNN_LINEAR;               /* [loss.mse] on a linear output */
    d.loss_last_only = 1;                /* many-to-one: the next month only */
    d.seed = seed;
    if ((st = rnn_model_init(&m, &d)) != RNN_OK) goto out_free;
    od.kind = RNN_ADAM;
    od.lr = (rnn_real)c->lr;
    if ((st = rnn_optim_init(&opt, &od, m.n_params)) != RNN_OK) { rnn_model_free(&m); goto out_free; }
    rnn_rng_seed(&rng, seed * 2654435761u + 12345u);   /* the order of the windows */
    for (i = 0; i < n_win; i++) order[i] = first + i;  /* the month each window predicts */

    /* training: the window for month t holds r[t-W..t-1] and predicts r[t] */
    res->final_loss = 0;
    for (epoch = 1; epoch <= c->epochs; epoch++) {
        double sum = 0;
        for (i = n_win - 1; i > 0; i--) {       /* shuffle (Fisher-Yates) */
            int j = (int)(rnn_rng_uniform(&rng) * (i + 1)), tmp = order[i];
            order[i] = order[j]; order[j] = tmp;
        }
        for (k = 0; k < n_win; k += c->batch) {
            rnn_batch bt = {0};
            rnn_real loss;
            B = n_win - k < c->batch ? n_win - k : c->batch;
            for (t = 0; t < W; t++)
                for (i = 0; i < B; i++) {
                    x[(size_t)t * B + i] = (rnn_real)r[order[k + i] - W + t];  /* (W, B, 1) */
                    y[(size_t)t * B + i] = (rnn_real)r[order[k + i]];          /* read at the last step only */
                }
            bt.T = W; bt.B = B; bt.x = x; bt.y = y;
            rnn_reset_state(&m);
            rnn_zero_grad(&m);
            st = rnn_forward(&m, &bt, &loss);
            if (st == RNN_ERR_NAN) { res->diverged = 1; st = RNN_OK; break; }
            if (st != RNN_OK) break;
            if ((st = rnn_backward(&m)) != RNN_OK) break;
            rnn_clip_by_global_norm(&m, (rnn_real)c->clip);     /* [clip.norm] */
            rnn_optim_step(&opt, m.params, m.grads);
            sum += (double)loss * B;
        }
        if (st != RNN_OK || res->diverged) break;
        res->final_loss = sum / n_win;
        if (verbose && (epoch % 50 == 0 || epoch == c->epochs)) {
            fprintf(stderr, "\r  seed %llu  epoch %d/%d  loss %.5f   ", (unsigned long long)seed, epoch, c->epochs,
                    res->final_loss);
            fflush(stderr);
        }
    }
    if (verbose) fprintf(stderr, "\r%60s\r", "");

    /* one step ahead: month t from the true months before it, t >= first */
    if (st == RNN_OK) {
        int nw = n - first;
        for (t = 0; t < W; t++)
            for (i = 0; i < nw; i++) x[(size_t)t * nw + i] = (rnn_real)r[first + i - W + t];
        st = predict(&m, W, nw, x, out);
        for (t = 0; t < n; t++)
            res->onestep[t] = t < first ? 0 : scale_out(z, LEVEL(u[t - 1], out[t - first]));
    }
    /* free-running: from n_train on, each prediction becomes the newest
       month of the next window (and, with --diff, the level it builds on) */
    for (t = 0; t < n_train; t++) up[t] = u[t];
    for (t = n_train; t < n && st == RNN_OK; t++) {
        for (i = 0; i < W; i++) x[i] = (rnn_real)r[t - W + i];
        if ((st = predict(&m, W, 1, x, out)) != RNN_OK) break;
        r[t] = out[0];                   /* r beyond n_train is overwritten by the forecast */
        up[t] = LEVEL(up[t - 1], out[0]);
        res->free_run[t] = scale_out(z, up[t]);
    }
#undef LEVEL
    for (t = 0; t < n_train; t++) res->free_run[t] = 0;
    if (st == RNN_OK) {
        res->fit = score_range(res->onestep, s->v, first, n_train);
        res->one = score_range(res->onestep, s->v, n_train, n);
        res->fr = score_range(res->free_run, s->v, n_train, n);
    }
    rnn_optim_free(&opt);
    rnn_model_free(&m);
out_free:
    free(order); free(u); free(r); free(up); free(x); free(y); free(out);
    res->cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    return st;
}

/* ---- pictures (the canvas and the font are in lab.h) --------------------- */

static const lab_rgb WHITE = {255, 255, 255}, BLACK = {25, 25, 25}, GRID = {230, 230, 230},
                 TEST_BACK = {246, 242, 230}, C_FIT = {0, 110, 220}, C_ONE = {210, 40, 40},
                 C_FREE = {230, 140, 0}, C_NAIVE = {0, 150, 90}, C_TREND = {130, 130, 130};

typedef struct plot_line { const double *v; int from, to; lab_rgb colour; int width, dash; const char *label; } plot_line;

/* The months [from, to) of the series on the x axis, thousands on the y
   axis; the test months on a tinted background; the lines; a legend in
   the top left corner. */
static int draw_series(const config *c, const series *s, int n_train, int from, int to,
                       const plot_line *lines, int n_lines, double headroom, const char *title, const char *file)
{
    const int left = 80, top = 46, pw = 1000, ph = 460;
    lab_image im;
    double lo = 1e300, hi = -1e300, ystep;
    int i, k, t, ok, lx, ly;
    char label[64];
    for (k = 0; k < n_lines; k++)
        for (t = lines[k].from > from ? lines[k].from : from; t < lines[k].to && t < to; t++) {
            if (lines[k].v[t] < lo) lo = lines[k].v[t];
            if (lines[k].v[t] > hi) hi = lines[k].v[t];
        }
    if (!(hi > lo)) { lo = 0; hi = 1; }
    hi += headroom * (hi - lo);                       /* room for the legend above the lines */
    ystep = pow(10, floor(log10(hi - lo)));           /* a grid of 1, 2 or 5 x 10^k */
    if ((hi - lo) / ystep < 2.5) ystep /= 5; else if ((hi - lo) / ystep < 5) ystep /= 2;
    lo = floor(lo / ystep) * ystep; hi = ceil(hi / ystep) * ystep;
#define XM(t) (left + (int)floor(((double)(t) - from) * (pw - 1) / (to - 1 - from) + 0.5))
#define YV(v) lab_px(top + (hi - (v)) * (ph - 1) / (hi - lo), top, top + ph - 1)
    if (lab_image_new(&im, left + pw + 30, top + ph + 60, WHITE)) return 0;
    if (n_train < to) lab_rect(&im, XM(n_train > from ? n_train : from), top, left + pw, top + ph, TEST_BACK);
    for (i = 0; lo + i * ystep <= hi + ystep / 2; i++) {           /* y grid and labels */
        double v = lo + i * ystep;
        lab_rect(&im, left, YV(v), left + pw, YV(v) + 1, GRID);
        lab_rect(&im, left - 6, YV(v), left, YV(v) + 1, BLACK);
        snprintf(label, sizeof label, "%g", v);
        lab_text(&im, left - 10 - lab_text_width(label, 2), YV(v) - 7, label, BLACK, 2);
    }
    for (t = from; t < to; t++) {                                     /* x: every January */
        int mo = (s->month0 - 1 + t) % 12, yr = s->year0 + (s->month0 - 1 + t) / 12;
        if (mo != 0) continue;
        lab_rect(&im, XM(t), top, XM(t) + 1, top + ph, GRID);
        lab_rect(&im, XM(t), top + ph, XM(t) + 1, top + ph + 6, BLACK);
        snprintf(label, sizeof label, "%d", yr);
        if (XM(t) + lab_text_width(label, 2) < left + pw + 20) lab_text(&im, XM(t) + 3, top + ph + 10, label, BLACK, 2);
    }
    lab_rect(&im, left, top, left + 1, top + ph, BLACK);
    lab_rect(&im, left, top + ph - 1, left + pw, top + ph, BLACK);
    for (k = 0; k < n_lines; k++) {
        int a = lines[k].from > from ? lines[k].from : from, b = lines[k].to < to ? lines[k].to : to;
        for (t = a + 1; t < b; t++)
            lab_line(&im, XM(t - 1), YV(lines[k].v[t - 1]), XM(t), YV(lines[k].v[t]), lines[k].colour,
                      lines[k].width, lines[k].dash);
    }
    lab_text(&im, 10, 10, title, BLACK, 2);
    lab_text(&im, left, top + ph + 34, "thousands of passengers per month; tinted: the test months, not seen in training", BLACK, 2);
    lx = left + 16; ly = top + 12;                                     /* the legend */
    lab_rect(&im, lx - 8, ly - 8, lx + 470, ly + 22 * n_lines, WHITE);
    for (k = 0; k < n_lines; k++) {
        lab_line(&im, lx, ly + 7, lx + 40, ly + 7, lines[k].colour, lines[k].width, lines[k].dash);
        lab_text(&im, lx + 52, ly, lines[k].label, BLACK, 2);
        ly += 22;
    }
#undef XM
#undef YV
    ok = !lab_save_png(&im, c->images, file);
    lab_image_free(&im);
    return ok;
}

/* ---- main ------------------------------------------------------------------ */

static void mean_sd(const run_result *r, int n, int which, int rmse, double *mean, double *sd)
{
    int i;
    double s = 0, s2 = 0;
    for (i = 0; i < n; i++) {
        const score *sc = which == 0 ? &r[i].fit : which == 1 ? &r[i].one : &r[i].fr;
        double v = rmse ? sc->rmse : sc->mape;
        s += v; s2 += v * v;
    }
    *mean = s / n;
    *sd = n > 1 ? sqrt((s2 - s * s / n) / (n - 1) > 0 ? (s2 - s * s / n) / (n - 1) : 0) : 0;
}

int main(int argc, char **argv)
{
    config c, defaults;
    series s;
    scaler z;
    run_result *res;
    double *naive_one, *naive_free, *trend, a = 0, b = 0, mt = 0, mv = 0, sxx = 0, sxy = 0;
    int pr, i, t, n, n_train, status = 0;
    char m0[16], m1[16], m2[16];
    score sn1, snf, st1;
    clock_t cpu0 = clock();

    memset(&c, 0, sizeof c);
    strcpy(c.data, "examples/data/airline_passengers.csv");
    strcpy(c.cell, "lstm");
    c.test_months = 24; c.window = 12; c.hidden = 16; c.epochs = 500; c.batch = 8;
    c.lr = 0.005; c.clip = 1; c.seeds = 5; c.seed = 1;
    strcpy(c.images, "docs/images");
    defaults = c;
    pr = lab_parse_options("forecast", options, N_OPTIONS, &c, argc, argv, NULL);
    if (pr == LAB_OPTIONS_HELP) { lab_usage(stdout, intro, options, N_OPTIONS, &defaults); return 0; }
    if (pr) return 1;   /* this lab exits with 1 on any bad input */
    if (cell_of(c.cell) == RNN_CELL_DEFAULT) {
        fprintf(stderr, "forecast: --cell needs lstm, gru or tanh, not '%s'\n", c.cell);
        return 1;
    }
    if (read_series(c.data, &s)) return 1;
    n = s.n;
    n_train = n - c.test_months;
    if (n_train < c.window + 1 + c.diff || n_train < 12) {
        fprintf(stderr, "forecast: %s has %d months; with --test-months %d and --window %d that leaves %d for"
                " training, and at least %d are needed\n", c.data, n, c.test_months, c.window,
                n_train > 0 ? n_train : 0, c.window + 1 + c.diff > 12 ? c.window + 1 + c.diff : 12);
        free(s.v);
        return 1;
    }
    month_name(&s, 0, m0, sizeof m0);
    month_name(&s, n_train, m1, sizeof m1);
    month_name(&s, n - 1, m2, sizeof m2);

    /* the scaler sees the training months only */
    z.log_scale = c.log_scale; z.lo = 1e300; z.hi = -1e300;
    for (i = 0; i < n_train; i++) {
        double u = c.log_scale ? log(s.v[i]) : s.v[i];
        if (u < z.lo) z.lo = u;
        if (u > z.hi) z.hi = u;
    }
    if (!(z.hi > z.lo)) z.hi = z.lo + 1;        /* a flat series: any scale will do */

    printf("Forecasting (deck D2): %s, %d months from %s to %s.\n", c.data, n, m0, m2);
    printf("train on the %d months before %s, forecast the last %d (%s to %s);\n"
           "input: windows of %d months, %sscaled to [0, 1] by the training months (min %g, max %g)%s;\n"
           "model: %s, %d hidden units, linear output, squared error on the next month;\n"
           "Adam lr %g, batch %d, %d epochs, clip %g; seeds %d..%d.\n\n",
           n_train, m1, c.test_months, m1, m2, c.window, c.log_scale ? "log of the values, " : "",
           c.log_scale ? exp(z.lo) : z.lo, c.log_scale ? exp(z.hi) : z.hi,
           c.diff ? ",\n  then differenced: the network reads and predicts the change from one month to the next" : "",
           c.cell, c.hidden, c.lr, c.batch, c.epochs, c.clip, c.seed, c.seed + c.seeds - 1);
    fflush(stdout);

    /* the baselines */
    naive_one = (double *)calloc((size_t)n, sizeof(double));
    naive_free = (double *)calloc((size_t)n, sizeof(double));
    trend = (double *)calloc((size_t)n, sizeof(double));
    res = (run_result *)calloc((size_t)c.seeds, sizeof(run_result));
    if (!naive_one || !naive_free || !trend || !res) { fprintf(stderr, "forecast: out of memory\n"); return 1; }
    for (t = 12; t < n; t++) naive_one[t] = s.v[t - 12];              /* same month last year */
    for (t = n_train; t < n; t++) naive_free[t] = s.v[t - 12 * ((t - n_train) / 12 + 1)]; /* last known year */
    for (t = 0; t < n_train; t++) { mt += t; mv += s.v[t]; }
    mt /= n_train; mv /= n_train;
    for (t = 0; t < n_train; t++) { sxx += (t - mt) * (t - mt); sxy += (t - mt) * (s.v[t] - mv); }
    b = sxy / sxx; a = mv - b * mt;                                    /* least squares */
    for (t = 0; t < n; t++) trend[t] = a + b * t;
    sn1 = score_range(naive_one, s.v, n_train, n);
    snf = score_range(naive_free, s.v, n_train, n);
    st1 = score_range(trend, s.v, n_train, n);

    for (i = 0; i < c.seeds; i++) {
        rnn_status st;
        res[i].onestep = (double *)calloc((size_t)n, sizeof(double));
        res[i].free_run = (double *)calloc((size_t)n, sizeof(double));
        if (!res[i].onestep || !res[i].free_run) { fprintf(stderr, "forecast: out of memory\n"); return 1; }
        st = run_once(&c, &s, &z, n_train, (uint64_t)(c.seed + i), &res[i], !c.quiet);
        if (st != RNN_OK) { fprintf(stderr, "forecast: seed %d: %s\n", c.seed + i, rnn_status_string(st)); return 1; }
        if (!c.quiet)
            printf("seed %d: fit RMSE %.1f; test RMSE one step ahead %.1f (%.1f%%), free-running %.1f (%.1f%%); %.1f s CPU%s\n",
                   c.seed + i, res[i].fit.rmse, res[i].one.rmse, res[i].one.mape, res[i].fr.rmse, res[i].fr.mape,
                   res[i].cpu, res[i].diverged ? "  (diverged: NaN loss)" : "");
    }

    {
        double m1v, s1v, m2v, s2v, m3v, s3v, p1, p2, q1, q2;
        printf("\nforecast of %s..%s (%d months): RMSE in thousands of passengers (MAPE)\n", m1, m2, c.test_months);
        printf("%-26s %-22s %-22s %s\n", "method", "one step ahead", "free-running", "fit (training)");
        printf("%-26s %6.1f (%4.1f%%)          %6.1f (%4.1f%%)\n", "seasonal naive", sn1.rmse, sn1.mape, snf.rmse, snf.mape);
        printf("%-26s %6.1f (%4.1f%%)          %6.1f (%4.1f%%)\n", "linear trend", st1.rmse, st1.mape, st1.rmse, st1.mape);
        mean_sd(res, c.seeds, 1, 1, &m1v, &s1v); mean_sd(res, c.seeds, 1, 0, &p1, &q1);
        mean_sd(res, c.seeds, 2, 1, &m2v, &s2v); mean_sd(res, c.seeds, 2, 0, &p2, &q2);
        mean_sd(res, c.seeds, 0, 1, &m3v, &s3v);
        {
            char lab[64];
            snprintf(lab, sizeof lab, "%s, mean of %d seeds", c.cell, c.seeds);
            printf("%-26s %6.1f +- %4.1f (%4.1f%%)  %6.1f +- %4.1f (%4.1f%%)  %6.1f +- %.1f\n", lab,
                   m1v, s1v, p1, m2v, s2v, p2, m3v, s3v);
        }
        printf("(+- : the standard deviation over the seeds. One step ahead: each month from the true\n"
               " months before it; seasonal naive there is the same month of the year before.\n"
               " Free-running: from %s on, nothing after it is seen; the network feeds its own\n"
               " predictions back, seasonal naive repeats the last training year.)\n", m1);
    }

    /* the months of the test period, for the first seed */
    printf("\nthe test months, seed %d:\n%-8s %7s %9s %9s %9s %9s\n", c.seed, "month", "actual",
           "one-step", "free-run", "naive", "trend");
    for (t = n_train; t < n; t++) {
        char mn[16];
        month_name(&s, t, mn, sizeof mn);
        printf("%-8s %7.0f %9.1f %9.1f %9.0f %9.1f\n", mn, s.v[t], res[0].onestep[t], res[0].free_run[t],
               naive_one[t], trend[t]);
    }

    if (!c.no_images) {
        plot_line L[6];
        char l_fit[64], l_one[64], l_free[64], title[400];
        int from;
        snprintf(l_fit, sizeof l_fit, "%s, fit on the training months", c.cell);
        snprintf(l_one, sizeof l_one, "%s, one step ahead", c.cell);
        snprintf(l_free, sizeof l_free, "%s, free-running from %s", c.cell, m1);
        L[0].v = s.v; L[0].from = 0; L[0].to = n; L[0].colour = BLACK; L[0].width = 2; L[0].dash = 0; L[0].label = "the data";
        L[1].v = res[0].onestep; L[1].from = c.window + c.diff; L[1].to = n_train; L[1].colour = C_FIT; L[1].width = 2; L[1].dash = 0; L[1].label = l_fit;
        L[2].v = res[0].onestep; L[2].from = n_train; L[2].to = n; L[2].colour = C_ONE; L[2].width = 3; L[2].dash = 0; L[2].label = l_one;
        L[3].v = res[0].free_run; L[3].from = n_train; L[3].to = n; L[3].colour = C_FREE; L[3].width = 3; L[3].dash = 6; L[3].label = l_free;
        L[4].v = naive_one; L[4].from = n_train; L[4].to = n; L[4].colour = C_NAIVE; L[4].width = 2; L[4].dash = 4; L[4].label = "seasonal naive (same month last year)";
        L[5].v = trend; L[5].from = 0; L[5].to = n; L[5].colour = C_TREND; L[5].width = 2; L[5].dash = 0; L[5].label = "linear trend (fit on the training months)";
        snprintf(title, sizeof title, "%s: %s to %s, %s seed %d; test from %s", c.data, m0, m2, c.cell, c.seed, m1);
        if (!draw_series(&c, &s, n_train, 0, n, L, 6, 0, title, "forecast_series.png")) status = 1;
        from = n_train - 12 > 0 ? n_train - 12 : 0;
        L[1].from = from;
        snprintf(title, sizeof title, "the test months, closer: %s to %s (%s seed %d)", m1, m2, c.cell, c.seed);
        if (status == 0 && !draw_series(&c, &s, n_train, from, n, L, 6, 0.5, title, "forecast_test.png")) status = 1;
    }
    printf("\ntime: %.1f s CPU\n", (double)(clock() - cpu0) / CLOCKS_PER_SEC);
    for (i = 0; i < c.seeds; i++) { free(res[i].onestep); free(res[i].free_run); }
    free(res); free(naive_one); free(naive_free); free(trend); free(s.v);
    return status;
}
