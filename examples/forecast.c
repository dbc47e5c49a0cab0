/* forecast.c - deck D2's lab, slide "FORECASTING CON LSTM": "Utilizar una
   red recurrente LSTM para predecir el número de pasajeros aéreos futuros."

   The data: monthly international airline passengers (thousands), 1949 to
   1960, Box & Jenkins' "series G" (R's AirPassengers), in
   examples/data/airline_passengers.csv with its source. A trend (3.8 times
   as many passengers in 1960 as in 1949) and a yearly season that grows.

   The lab, as Keras-style tutorials of this exercise set it up:
     - split in time: train on 1949-1958, forecast 1959-1960 (24 months);
     - scale to [0, 1] by the training years only (the test must not leak);
     - sliding windows: the last W = 12 months are 12 steps of one number,
       the target is the next month: many-to-one ([arch.many-to-one],
       desc.loss_last_only), a linear output and squared error
       ([loss.mse]); an LSTM with 16 units, Adam.
   Two forecasts of the test years: one step ahead (each month from the 12
   true months before it) and free-running (24 months from the end of 1958,
   each prediction fed back as the newest month: [teacher-forcing] switched
   off). Beside two baselines (lab_base.h): seasonal naive (the same month a
   year earlier) and a linear trend. The scores: RMSE in thousands of
   passengers and the mean absolute percentage error, over several seeds.
   With --diff the network reads and predicts the month-to-month change.

   Pictures (in --out, default build/): forecast_series.png, forecast_test.png.
   docs/guide/forecast.md shows the numbers and explains them.

   Build and run (a few seconds of CPU; --help lists the options):
       make build/forecast && ./build/forecast */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "lab.h"            /* options, outputs, cell names */
#include "lab_data.h"       /* the CSV reader */
#include "lab_base.h"       /* the baselines and the scores */
#include "lab_pictures.h"   /* pictures */

typedef struct config {
    char data[256], cell[16];
    int test_months, window, hidden, epochs, batch, seeds, seed;
    double lr, clip;
    int log_scale, diff;    /* model log(passengers); model the monthly changes */
    lab_common lab;
} config;

#define LAB_OPTIONS_FORECAST
#include "lab_options.h"   /* the option table: options, N_OPTIONS, intro (--help) */

/* ---- the scaling: [0, 1] by the training months ------------------------ */

typedef struct scaler { double lo, hi; int log_scale; } scaler;
static double scale_in(const scaler *z, double v) { return ((z->log_scale ? log(v) : v) - z->lo) / (z->hi - z->lo); }
static double scale_out(const scaler *z, double u)
{
    double v = z->lo + u * (z->hi - z->lo);
    return z->log_scale ? exp(v) : v;
}

/* ---- one run: train, then forecast --------------------------------------- */

typedef struct run_result {
    double *onestep;        /* (n) one-step-ahead predictions (0 where none)  */
    double *free_run;       /* (n) the free-running forecast of the test part */
    lab_score fit, one, fr; /* training windows; test one-step; test free     */
    double cpu;
} run_result;

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
    for (b = 0; b < B; b++) out[b] = m->y[(size_t)(W - 1) * B + b];   /* the last step's output */
    return RNN_OK;
}

/* One run: train on the windows whose target lies before n_train, then
   predict. The network works on r, the series in "model space": the
   scaled values u, or with --diff their month-to-month changes
   r[t] = (u[t] - u[t-1]) / ds (ds: the largest training change), so that
   a prediction of r[t] means the level u[t-1] + ds r[t].
   RNN_ERR_NAN: the run diverged (said already). */
static rnn_status run_once(const config *c, const lab_series *s, const scaler *z, int n_train,
                           uint64_t seed, run_result *res)
{
    int W = c->window, n = s->n, first = (c->diff ? 1 : 0) + W, n_win = n_train - first, epoch, i, t, k;
    long update = 0;
    rnn_model m;
    rnn_model_desc d = {0};
    rnn_optim opt;
    rnn_optim_desc od = {0};
    rnn_rng rng;
    rnn_status st = RNN_OK;
    double ds = 1, t0 = lab_cpu_seconds(), final_loss = 0;
    int *order = (int *)malloc(sizeof(int) * (size_t)n);
    double *u = (double *)malloc(sizeof(double) * (size_t)n * 3), *r = u + n, *up = r + n; /* scaled, read, free levels */
    rnn_real *x = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)(2 * W + 1) * n), *y = x + (size_t)W * n, *out = y + (size_t)W * n;

    if (!order || !u || !x) { free(order); free(u); free(x); return RNN_ERR_NOMEM; }
    for (i = 0; i < n; i++) u[i] = scale_in(z, s->v[i]);
    if (c->diff) {
        for (ds = 0, t = 1; t < n_train; t++) if (fabs(u[t] - u[t - 1]) > ds) ds = fabs(u[t] - u[t - 1]);
        if (!(ds > 0)) ds = 1;
        for (r[0] = 0, t = 1; t < n; t++) r[t] = (u[t] - u[t - 1]) / ds;
    } else for (t = 0; t < n; t++) r[t] = u[t];
#define LEVEL(prev_u, rhat) (c->diff ? (prev_u) + ds * (rhat) : (rhat))  /* back to the scaled level */
    d.cell = lab_cell_from_name(c->cell);
    d.input_size = 1;                    /* one number per step: this month */
    d.hidden_size = c->hidden;
    d.output_size = 1;
    d.output = RNN_LINEAR;               /* [loss.mse] on a linear output */
    d.loss_last_only = 1;                /* [arch.many-to-one]: the next month only */
    d.seed = seed;
    if ((st = rnn_model_init(&m, &d)) != RNN_OK) goto out_free;
    od.kind = RNN_ADAM;
    od.lr = (rnn_real)c->lr;
    if ((st = rnn_optim_init(&opt, &od, m.n_params)) != RNN_OK) { rnn_model_free(&m); goto out_free; }
    rnn_rng_seed(&rng, seed * 2654435761u + 12345u);   /* the order of the windows */
    for (i = 0; i < n_win; i++) order[i] = first + i;  /* the month each window predicts */

    /* training: the window for month t holds r[t-W..t-1] and predicts r[t] */
    for (epoch = 1; epoch <= c->epochs && st == RNN_OK; epoch++) {
        double sum = 0;
        lab_shuffle(order, n_win, &rng);
        for (k = 0; k < n_win && st == RNN_OK; k += c->batch) {
            rnn_batch bt = {0};
            rnn_real loss;
            int B = n_win - k < c->batch ? n_win - k : c->batch;
            for (t = 0; t < W; t++)
                for (i = 0; i < B; i++) {
                    x[(size_t)t * B + i] = (rnn_real)r[order[k + i] - W + t];  /* (W, B, 1) */
                    y[(size_t)t * B + i] = (rnn_real)r[order[k + i]];          /* read at the last step only */
                }
            bt.T = W; bt.B = B; bt.x = x; bt.y = y;
            rnn_reset_state(&m);                                /* h<0> = c<0> = 0: windows are independent */
            rnn_zero_grad(&m);
            st = rnn_forward(&m, &bt, &loss);                   /* [loss.mse] at the last step */
            if (lab_diverged(NULL, ++update, st, (double)loss, 100)) st = RNN_ERR_NAN; /* a sound run: < 0.1 */
            if (st != RNN_OK || (st = rnn_backward(&m)) != RNN_OK) break;   /* [bptt.*] */
            rnn_clip_by_global_norm(&m, (rnn_real)c->clip);     /* [clip.norm] */
            rnn_optim_step(&opt, m.params, m.grads);
            sum += (double)loss * B;
        }
        final_loss = sum / n_win;
        if (!c->lab.quiet && (epoch % 50 == 0 || epoch == c->epochs)) {
            fprintf(stderr, "\r  seed %llu  epoch %d/%d  loss %.5f   ", (unsigned long long)seed, epoch, c->epochs, final_loss);
            fflush(stderr);
        }
    }
    if (!c->lab.quiet) fprintf(stderr, "\r%60s\r", "");

    /* one step ahead: month t from the true months before it, t >= first */
    if (st == RNN_OK) {
        int nw = n - first;
        for (t = 0; t < W; t++)
            for (i = 0; i < nw; i++) x[(size_t)t * nw + i] = (rnn_real)r[first + i - W + t];
        st = predict(&m, W, nw, x, out);
        for (t = 0; t < n; t++) res->onestep[t] = t < first ? 0 : scale_out(z, LEVEL(u[t - 1], out[t - first]));
    }
    /* free-running: from n_train on, each prediction becomes the newest
       month of the next window (and, with --diff, the level it builds on) */
    for (t = 0; t < n_train; t++) { up[t] = u[t]; res->free_run[t] = 0; }
    for (t = n_train; t < n && st == RNN_OK; t++) {
        for (i = 0; i < W; i++) x[i] = (rnn_real)r[t - W + i];
        if ((st = predict(&m, W, 1, x, out)) != RNN_OK) break;
        r[t] = out[0];                   /* r beyond n_train is overwritten by the forecast */
        up[t] = LEVEL(up[t - 1], out[0]);
        res->free_run[t] = scale_out(z, up[t]);
    }
#undef LEVEL
    if (st == RNN_OK) {
        res->fit = lab_forecast_score(res->onestep, s->v, first, n_train);
        res->one = lab_forecast_score(res->onestep, s->v, n_train, n);
        res->fr = lab_forecast_score(res->free_run, s->v, n_train, n);
    }
    rnn_optim_free(&opt);
    rnn_model_free(&m);
out_free:
    free(order); free(u); free(x);
    res->cpu = lab_cpu_seconds() - t0;
    return st;
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    config c = {"examples/data/airline_passengers.csv", "lstm", .test_months = 24, .window = 12, .hidden = 16,
                .epochs = 500, .batch = 8, .seeds = 5, .seed = 1, .lr = 0.005, .clip = 1, .lab.out = LAB_DEFAULT_OUT};
    lab_series s;
    scaler z;
    run_result *res;
    double *naive_one, *naive_free, *trend, v[6][1000];
    int rc, i, t, n, n_train, status = 0;
    char m0[16], m1[16], m2[16], path[512];
    lab_score sn1, snf, st1;

    if ((rc = lab_options("forecast", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, NULL)) != LAB_GO) return rc;
    if (lab_read_series(lab_option_seen(options, N_OPTIONS, "--data") ? c.data : lab_project_file(c.data, path, sizeof path), &s))
        return 1;
    n = s.n;
    n_train = n - c.test_months;
    if (n_train < c.window + 1 + c.diff || n_train < 12) {
        fprintf(stderr, "forecast: %s has %d months; with --test-months %d and --window %d that leaves %d for"
                " training, and at least %d are needed\n", c.data, n, c.test_months, c.window,
                n_train > 0 ? n_train : 0, c.window + 1 + c.diff > 12 ? c.window + 1 + c.diff : 12);
        return 1;
    }
    lab_month_name(&s, 0, m0, sizeof m0); lab_month_name(&s, n_train, m1, sizeof m1); lab_month_name(&s, n - 1, m2, sizeof m2);

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
    naive_one = (double *)calloc((size_t)n * 3, sizeof(double));
    res = (run_result *)calloc((size_t)c.seeds, sizeof(run_result));
    if (!naive_one || !res) { fprintf(stderr, "forecast: out of memory\n"); return 1; }
    naive_free = naive_one + n; trend = naive_free + n;
    lab_seasonal_naive(s.v, n, n_train, naive_one, naive_free);
    lab_linear_trend(s.v, n, n_train, trend);
    sn1 = lab_forecast_score(naive_one, s.v, n_train, n);
    snf = lab_forecast_score(naive_free, s.v, n_train, n);
    st1 = lab_forecast_score(trend, s.v, n_train, n);

    for (i = 0; i < c.seeds; i++) {
        rnn_status st = RNN_ERR_NOMEM;
        res[i].onestep = (double *)calloc((size_t)n, sizeof(double));
        res[i].free_run = (double *)calloc((size_t)n, sizeof(double));
        if (res[i].onestep && res[i].free_run) st = run_once(&c, &s, &z, n_train, (uint64_t)(c.seed + i), &res[i]);
        if (st == RNN_ERR_NAN) return 1;   /* diverged: said why */
        if (st != RNN_OK) { fprintf(stderr, "forecast: seed %d: %s\n", c.seed + i, rnn_status_string(st)); return 1; }
        if (!c.lab.quiet)
            printf("seed %d: fit RMSE %.1f; test RMSE one step ahead %.1f (%.1f%%), free-running %.1f (%.1f%%); %.1f s CPU\n",
                   c.seed + i, res[i].fit.rmse, res[i].one.rmse, res[i].one.mape, res[i].fr.rmse, res[i].fr.mape, res[i].cpu);
    }
    for (i = 0; i < c.seeds; i++) {   /* per seed: one-step RMSE, MAPE; free RMSE, MAPE; fit RMSE */
        v[0][i] = res[i].one.rmse; v[1][i] = res[i].one.mape; v[2][i] = res[i].fr.rmse; v[3][i] = res[i].fr.mape; v[4][i] = res[i].fit.rmse;
    }
    {
        double mean[5], sd[5];
        char label[64];
        for (i = 0; i < 5; i++) lab_mean_sd(v[i], c.seeds, &mean[i], &sd[i]);
        printf("\nforecast of %s..%s (%d months): RMSE in thousands of passengers (MAPE)\n", m1, m2, c.test_months);
        printf("%-26s %-22s %-22s %s\n", "method", "one step ahead", "free-running", "fit (training)");
        printf("%-26s %6.1f (%4.1f%%)          %6.1f (%4.1f%%)\n", "seasonal naive", sn1.rmse, sn1.mape, snf.rmse, snf.mape);
        printf("%-26s %6.1f (%4.1f%%)          %6.1f (%4.1f%%)\n", "linear trend", st1.rmse, st1.mape, st1.rmse, st1.mape);
        snprintf(label, sizeof label, "%s, mean of %d seeds", c.cell, c.seeds);
        printf("%-26s %6.1f +- %4.1f (%4.1f%%)  %6.1f +- %4.1f (%4.1f%%)  %6.1f +- %.1f\n", label,
               mean[0], sd[0], mean[1], mean[2], sd[2], mean[3], mean[4], sd[4]);
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
        lab_month_name(&s, t, mn, sizeof mn);
        printf("%-8s %7.0f %9.1f %9.1f %9.0f %9.1f\n", mn, s.v[t], res[0].onestep[t], res[0].free_run[t],
               naive_one[t], trend[t]);
    }
    if (!c.lab.no_images &&
        lab_picture_forecast(lab_images_dir(&c.lab), c.data, c.cell, c.seed, &s, n_train, c.window + c.diff,
                             res[0].onestep, res[0].free_run, naive_one, trend)) status = 1;
    printf("\ntime: %.1f s CPU\n", lab_cpu_seconds());
    for (i = 0; i < c.seeds; i++) { free(res[i].onestep); free(res[i].free_run); }
    free(res); free(naive_one); free(s.v);
    return status;
}
