/* lab_pictures.h - the pictures the labs draw, one function each, grouped
   by lab. Each takes plain numbers (arrays, sizes, labels), draws with
   lab_plot.h and writes a PNG into `dir` ("wrote dir/name" on stdout).
   Each returns 0, or 1 after a one-line error (out of memory, a file that
   cannot be written). Include it after lab_plot.h. */
#ifndef LAB_PICTURES_H
#define LAB_PICTURES_H
#include "lab_plot.h"
#include "lab_data.h"
#include "lab_cnn.h"
#include "lab_base.h"
#include "lab_text.h"

/* ---- anbn.c ---------------------------------------------------------------------- */

/* anbn_accept.png: one row per run (ok[r * (test_max + 1) + n] = 1 if run r
   accepted string n, n = 1..test_max), `per` rows per cell, the cells named by labels; n on a
   log axis, each pixel column green where every n in it was accepted, red
   where none was, a mix between. */
LAB_FN int lab_picture_anbn_accept(const char *dir, int n_cells, const char *const *labels, int per,
                                   const unsigned char *ok, int train_max, int test_max)
{
    static const int ticks[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000};
    const int rowh = 6, gap = 12, runs_h = n_cells * per * rowh + (n_cells - 1) * gap;
    lab_image im;
    lab_plot p = {NULL, 96, 44, 800, 0, 0, 0, 0, 1, 0};
    int x, i, s, n;
    char label[64];
    if (lab_image_new(&im, 912, 44 + runs_h + 56, LAB_WHITE)) return 1;
    p.im = &im; p.h = runs_h; p.x1 = log((double)test_max + 1);
    /* the ranges of the slide above the runs */
    lab_rect(&im, lab_plot_px(&p, 0), 8, lab_plot_px(&p, log(train_max + 1.0)), 22, LAB_LIGHT);
    snprintf(label, sizeof label, "train 1-%d", train_max);
    lab_text(&im, p.left + 4, 11, label, LAB_BLACK, 1);
    lab_rect(&im, lab_plot_px(&p, log(12.0)), 26, lab_plot_px(&p, log(19.0)), 40, LAB_LIGHT);
    lab_text(&im, lab_plot_px(&p, log(19.0)) + 4, 29, "deck test 12-18", LAB_BLACK, 1);
    for (i = 0; i < n_cells; i++) {
        int y0 = p.top + i * (per * rowh + gap);
        lab_text(&im, 4, y0 + per * rowh / 2 - 5, labels[i], LAB_BLACK, 1);
        for (s = 0; s < per; s++) {
            const unsigned char *run = ok + (size_t)(i * per + s) * (test_max + 1);
            for (x = 0, n = 1; x < p.w; x++) {   /* the n that fall into column x */
                int total = 0, good = 0;
                while (n <= test_max && lab_plot_px(&p, log((double)n)) <= p.left + x) { total++; good += run[n++]; }
                if (!total) { total = 1; good = run[n - 1]; }   /* a wide column of small n: the n to its left */
                lab_rect(&im, p.left + x, y0 + s * rowh, p.left + x + 1, y0 + (s + 1) * rowh - 1,
                         lab_mix(lab_colour(235, 150, 140), LAB_GREEN, (double)good / total));
            }
        }
    }
    p.top += 6;                                   /* the n axis under the runs */
    lab_rect(&im, p.left, p.top + p.h, p.left + p.w, p.top + p.h + 1, LAB_BLACK);
    for (i = 0; i < LAB_COUNT(ticks) && ticks[i] <= test_max; i++) {
        snprintf(label, sizeof label, "%d", ticks[i]);
        lab_plot_xtick(&p, log((double)ticks[i]), label, 0, 1);
    }
    x = lab_text(&im, p.left, p.top + p.h + 26, "n    green: accepted   ", LAB_GREEN, 1);
    x = lab_text(&im, x, p.top + p.h + 26, "red: rejected   ", LAB_RED, 1);
    snprintf(label, sizeof label, "one row per seed (%d per cell)", per);
    lab_text(&im, x, p.top + p.h + 26, label, LAB_BLACK, 1);
    return lab_save_png_free(&im, dir, "anbn_accept.png");
}

/* anbn_state.png: the cell state of each of H units along S a^n b^n, c
   (T+1, H) with T = 2n+1 (row t+1: after step t), the a-steps on blue, the
   b-steps on orange; below the box a strip, green at a step where every
   output is right (right[t]), red where one is wrong. */
LAB_FN int lab_picture_anbn_state(const char *dir, const char *title, const rnn_real *c, int H, int n,
                                  const unsigned char *right)
{
    int T = 2 * n + 1, t, j, w, h, st;
    double *v = (double *)malloc(sizeof(double) * (size_t)T * H);
    lab_curve cv[16];
    char names[16][8];
    lab_chart ch;
    lab_image im;
    lab_plot p;
    if (!v || H > 16) { free(v); fprintf(stderr, "%s: cannot draw anbn_state.png\n", lab_program); return 1; }
    memset(&ch, 0, sizeof ch);
    memset(cv, 0, sizeof cv);
    for (j = 0; j < H; j++) {
        for (t = 0; t < T; t++) v[(size_t)j * T + t] = (double)c[(size_t)(t + 1) * H + j];
        snprintf(names[j], sizeof names[j], "c%d", j + 1);
        cv[j].y = v + (size_t)j * T; cv[j].n = T; cv[j].colour = lab_palette[j]; cv[j].width = 2; cv[j].label = names[j];
    }
    ch.title = title; ch.x_label = "step t: S, then the a's (blue), then the b's (orange)";
    ch.w = 820; ch.h = 260; ch.x_step = n >= 50 ? 100 : 10; ch.curves = cv; ch.n_curves = H;
    ch.band[0].x0 = 0; ch.band[0].x1 = n; ch.band[0].colour = lab_colour(226, 236, 250);
    ch.band[1].x0 = n; ch.band[1].x1 = 2 * n; ch.band[1].colour = lab_colour(252, 236, 218);
    lab_chart_size(&ch, &w, &h);
    if (lab_image_new(&im, w, h, LAB_WHITE)) { free(v); return 1; }
    p = lab_chart_draw(&im, 0, 0, &ch);
    lab_text(&im, 4, p.top + p.h + 1, "right", LAB_BLACK, 1);   /* the strip, over the ticks */
    for (t = 0; t < T; t++)
        lab_rect(&im, lab_plot_px(&p, t), p.top + p.h + 1, t + 1 < T ? lab_plot_px(&p, t + 1) : lab_plot_px(&p, t) + 2,
                 p.top + p.h + 8, right[t] ? LAB_GREEN : LAB_RED);
    st = lab_save_png_free(&im, dir, "anbn_state.png");
    free(v);
    return st;
}

/* ---- forecast.c ------------------------------------------------------------------- */

/* One picture of the series s from month `from` on: the data, the fit on the
   training months (onestep before n_train, from fit_from on), the one-step
   and free-running forecasts of the test months (tinted), the seasonal
   naive forecast and the linear trend; x ticks at every January. */
LAB_FN int lab__forecast_chart(const char *dir, const char *file, const char *title, const lab_series *s, int n_train,
                               int from, int fit_from, const double *onestep, const double *free_run,
                               const double *naive, const double *trend, const char *cell)
{
    int n = s->n, t, k = 0, nt = 0, st;
    double *x = (double *)malloc(sizeof(double) * (size_t)n), ticks[200];
    char years[200][8], l_fit[64], l_one[64], l_free[64], m1[16];
    const char *tick_labels[200];
    lab_curve cv[6];
    lab_chart ch;
    if (!x) { fprintf(stderr, "%s: out of memory\n", lab_program); return 1; }
    for (t = 0; t < n; t++) x[t] = t;
    for (t = from; t < n && nt < 200; t++)           /* every January */
        if ((s->month0 - 1 + t) % 12 == 0) {
            snprintf(years[nt], sizeof years[nt], "%d", s->year0 + (s->month0 - 1 + t) / 12);
            ticks[nt] = t; tick_labels[nt] = years[nt]; nt++;
        }
    lab_month_name(s, n_train, m1, sizeof m1);
    snprintf(l_fit, sizeof l_fit, "%s, fit on the training months", cell);
    snprintf(l_one, sizeof l_one, "%s, one step ahead", cell);
    snprintf(l_free, sizeof l_free, "%s, free-running from %s", cell, m1);
    memset(cv, 0, sizeof cv);
    memset(&ch, 0, sizeof ch);
#define CURVE(v, a, b, col, wd, ds, lab) \
    (cv[k].x = x + (a), cv[k].y = (v) + (a), cv[k].n = (b) - (a), cv[k].colour = (col), cv[k].width = (wd), \
     cv[k].dash = (ds), cv[k].label = (lab), k++)
    CURVE(s->v, from, n, LAB_BLACK, 2, 0, "the data");
    CURVE(onestep, fit_from > from ? fit_from : from, n_train, lab_colour(0, 110, 220), 2, 0, l_fit);
    CURVE(onestep, n_train, n, lab_colour(210, 40, 40), 3, 0, l_one);
    CURVE(free_run, n_train, n, lab_colour(230, 140, 0), 3, 6, l_free);
    CURVE(naive, n_train, n, lab_colour(0, 150, 90), 2, 4, "seasonal naive (same month last year)");
    CURVE(trend, from, n, LAB_GREY, 2, 0, "linear trend (fit on the training months)");
#undef CURVE
    ch.title = title; ch.x_label = "thousands of passengers per month; tinted: the test months, not seen in training";
    ch.w = 1000; ch.h = 460; ch.x0 = from; ch.x1 = n - 1; ch.scale = 2;
    ch.x_ticks = ticks; ch.x_tick_labels = tick_labels; ch.n_x_ticks = nt;
    ch.band[0].x0 = n_train; ch.band[0].x1 = n - 1; ch.band[0].colour = lab_colour(246, 242, 230);
    ch.curves = cv; ch.n_curves = k;
    st = lab_charts_save(&ch, 1, 0, NULL, dir, file);
    free(x);
    return st;
}

/* forecast_series.png (the whole series) and forecast_test.png (the last
   training year and the test months): see lab__forecast_chart. */
LAB_FN int lab_picture_forecast(const char *dir, const char *data, const char *cell, int seed, const lab_series *s,
                                int n_train, int fit_from, const double *onestep, const double *free_run,
                                const double *naive, const double *trend)
{
    char title[400], m0[16], m1[16], m2[16];
    lab_month_name(s, 0, m0, sizeof m0); lab_month_name(s, n_train, m1, sizeof m1); lab_month_name(s, s->n - 1, m2, sizeof m2);
    snprintf(title, sizeof title, "%s: %s to %s, %s seed %d; test from %s", data, m0, m2, cell, seed, m1);
    if (lab__forecast_chart(dir, "forecast_series.png", title, s, n_train, 0, fit_from, onestep, free_run, naive, trend, cell))
        return 1;
    snprintf(title, sizeof title, "the test months, closer: %s to %s (%s seed %d)", m1, m2, cell, seed);
    return lab__forecast_chart(dir, "forecast_test.png", title, s, n_train, n_train - 12 > 0 ? n_train - 12 : 0, fit_from,
                               onestep, free_run, naive, trend, cell);
}

/* ---- vanishing.c ------------------------------------------------------------------- */

/* vanishing_gradient.png: log10 g(d) against the distance d = 0..T of each
   of n cells (logg[i][0] at initialisation, logg[i][1] after `steps`
   updates; one panel each, the second only when steps > 0), on one scale. */
LAB_FN int lab_picture_vanishing(const char *dir, const char *file, int T, int n, const char *const *labels,
                                 double *(*logg)[2], int steps, int sequences, int seeds, double w_scale)
{
    lab_curve cv[2][16];
    lab_chart ch[2];
    double lo = 0, hi = 0;
    int i, k, panels = steps > 0 ? 2 : 1;
    char title[2][160], note[200];
    memset(cv, 0, sizeof cv);
    memset(ch, 0, sizeof ch);
    for (k = 0; k < panels; k++) for (i = 0; i < n && i < 16; i++) {
        lab_range_of(logg[i][k], T + 1, 0, &lo, &hi);
        cv[k][i].y = logg[i][k]; cv[k][i].n = T + 1; cv[k][i].colour = lab_palette[i % 10]; cv[k][i].width = 3;
        cv[k][i].label = k == 0 ? labels[i] : NULL;
    }
    snprintf(title[0], sizeof title[0], "at initialisation");
    snprintf(title[1], sizeof title[1], "after %d updates", steps);
    snprintf(note, sizeof note, "|dL/dh<t>| / |dL/dh<T>|, log scale; T = %d, mean of %d sequences x %d seeds", T, sequences, seeds);
    if (w_scale != 1) snprintf(note + strlen(note), sizeof note - strlen(note), "; W_hh x %g", w_scale);
    for (k = 0; k < panels; k++) {
        ch[k].title = title[k]; ch[k].x_label = "distance T - t from the loss (steps)"; ch[k].w = 500; ch[k].h = 420; ch[k].scale = 2;
        ch[k].ylog = 2; ch[k].y0 = floor(lo); ch[k].y1 = ceil(hi) > floor(lo) ? ceil(hi) : floor(lo) + 1;
        ch[k].x0 = 0; ch[k].x1 = T; ch[k].x_step = T <= 10 ? 1 : T <= 20 ? 2 : T <= 50 ? 5 : T <= 100 ? 10 : T <= 200 ? 20 : T <= 500 ? 50 : 100;
        ch[k].curves = cv[k]; ch[k].n_curves = n < 16 ? n : 16;
    }
    return lab_charts_save(ch, panels, 0, note, dir, file);
}

/* ---- caption.c ----------------------------------------------------------------------- */

/* caption_sheet.png: held-out images, each magnified 3 times, beside the
   beam-search caption (green if it is one of the references word for word,
   red if not) and the image's first reference (grey). */
LAB_FN int lab_picture_caption_sheet(const char *dir, const char *title, const lab_captions *d, const int *idx, int n,
                                     const lab_caption *beam)
{
    const int Z = 3, cols = 2, cw = 440, ch = LAB_SHAPES_SIZE * Z + 10, top = 26;
    int rows = (n + cols - 1) / cols, i, x, y, c;
    char s[256], t[300];
    lab_image im;
    if (lab_image_new(&im, cols * cw + 10, top + rows * ch + 6, lab_colour(255, 255, 255))) return 1;
    lab_text(&im, 10, 8, title, lab_colour(30, 30, 30), 2);
    for (i = 0; i < n; i++) {
        int x0 = 10 + (i % cols) * cw, y0 = top + (i / cols) * ch, hit;
        const rnn_real *p = d->pix + (size_t)idx[i] * LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3;
        for (y = 0; y < LAB_SHAPES_SIZE; y++)
            for (x = 0; x < LAB_SHAPES_SIZE; x++) {
                int v[3];
                for (c = 0; c < 3; c++) v[c] = (int)((p[(y * LAB_SHAPES_SIZE + x) * 3 + c] + (rnn_real)0.5) * 255 + (rnn_real)0.5);
                lab_rect(&im, x0 + x * Z, y0 + y * Z, x0 + (x + 1) * Z, y0 + (y + 1) * Z, lab_colour(v[0], v[1], v[2]));
            }
        hit = lab_caption_exact(d, idx[i], &beam[i]);
        lab_text(&im, x0 + LAB_SHAPES_SIZE * Z + 8, y0 + 6, d->name[idx[i]], lab_colour(120, 120, 120), 1);
        lab_caption_text(d, &beam[i], s, sizeof s);
        lab_text(&im, x0 + LAB_SHAPES_SIZE * Z + 8, y0 + 24, s, lab_colour(hit ? 20 : 200, hit ? 130 : 30, hit ? 50 : 30), 1);
        lab_caption_text(d, &d->refs[(size_t)idx[i] * LAB_MAX_REFS], s, sizeof s);
        snprintf(t, sizeof t, "ref: %s", s);
        lab_text(&im, x0 + LAB_SHAPES_SIZE * Z + 8, y0 + 42, t, lab_colour(120, 120, 120), 1);
    }
    return lab_save_png_free(&im, dir, "caption_sheet.png");
}

/* caption_filters.png: what the convolution learned. The top row shows
   each 5 x 5 x 3 filter as a colour patch (grey = 0, each filter stretched
   to full contrast on its own). Below, for a few held-out images, the
   image and each filter's ReLU response over it (black = 0, white = the
   filter's largest response over these images), placed so that a
   response sits over the centre of the patch it was computed from. The
   max over each 7 x 7 block of these maps is what the LSTM reads. */
LAB_FN int lab_picture_caption_filters(const char *dir, lab_encoder *e, const lab_captions *d, const int *idx, int n)
{
    const int Z = 3, col = LAB_SHAPES_SIZE * Z + 8, top = 26, wz = 12, wrow = LAB_KS * wz + 24;
    const int P = LAB_CONV_OUT * LAB_CONV_OUT, PW = LAB_KS * LAB_KS * 3, K = e->K;
    const rnn_real *pix[8];
    int k, i, x, y, c, r;
    rnn_real *feat, mx[64];
    char label[32];
    lab_image im;
    if (n > 8) n = 8;
    for (r = 0; r < n; r++) pix[r] = d->pix + (size_t)idx[r] * LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3;
    feat = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)n * e->F);
    if (!feat || !lab_encode(e, n, pix, feat, e->F)) { free(feat); fprintf(stderr, "%s: out of memory\n", lab_program); return 1; }
    free(feat);
    if (lab_image_new(&im, 10 + (K + 1) * col, top + wrow + n * col + 4, lab_colour(255, 255, 255))) return 1;
    lab_text(&im, 10, 8, "the learned filters (top) and their responses to held-out images", lab_colour(30, 30, 30), 2);
    lab_text(&im, 10, top + 20, "weights", lab_colour(90, 90, 90), 1);
    for (k = 0; k < K; k++) {
        const rnn_real *W = e->params + k * PW;
        rnn_real wmax = (rnn_real)1e-12;
        int x0 = 10 + (k + 1) * col + (col - 8 - LAB_KS * wz) / 2;
        for (i = 0; i < PW; i++) if ((rnn_real)fabs(W[i]) > wmax) wmax = (rnn_real)fabs(W[i]);
        for (y = 0; y < LAB_KS; y++)
            for (x = 0; x < LAB_KS; x++) {
                int v[3];
                for (c = 0; c < 3; c++) v[c] = (int)((rnn_real)127.5 + (rnn_real)127.5 * W[(y * LAB_KS + x) * 3 + c] / wmax);
                lab_rect(&im, x0 + x * wz, top + y * wz, x0 + (x + 1) * wz, top + (y + 1) * wz, lab_colour(v[0], v[1], v[2]));
            }
        snprintf(label, sizeof label, "filter %d", k + 1);
        lab_text(&im, 10 + (k + 1) * col, top + LAB_KS * wz + 6, label, lab_colour(90, 90, 90), 1);
        mx[k] = (rnn_real)1e-12;
        for (i = 0; i < n * P; i++) if (e->act[(size_t)i * K + k] > mx[k]) mx[k] = e->act[(size_t)i * K + k];
    }
    for (r = 0; r < n; r++) {
        int y0 = top + wrow + r * col;
        for (y = 0; y < LAB_SHAPES_SIZE; y++)
            for (x = 0; x < LAB_SHAPES_SIZE; x++) {
                int v[3];
                for (c = 0; c < 3; c++) v[c] = (int)((pix[r][(y * LAB_SHAPES_SIZE + x) * 3 + c] + (rnn_real)0.5) * 255 + (rnn_real)0.5);
                lab_rect(&im, 10 + x * Z, y0 + y * Z, 10 + (x + 1) * Z, y0 + (y + 1) * Z, lab_colour(v[0], v[1], v[2]));
            }
        for (k = 0; k < K; k++) {
            int x0 = 10 + (k + 1) * col + (LAB_KS / 2) * Z, yy0 = y0 + (LAB_KS / 2) * Z;
            lab_rect(&im, x0 - (LAB_KS / 2) * Z, y0, x0 - (LAB_KS / 2) * Z + LAB_SHAPES_SIZE * Z, y0 + LAB_SHAPES_SIZE * Z, lab_colour(235, 235, 235));
            for (y = 0; y < LAB_CONV_OUT; y++)
                for (x = 0; x < LAB_CONV_OUT; x++) {
                    int v = (int)(255 * e->act[((size_t)r * P + y * LAB_CONV_OUT + x) * K + k] / mx[k] + (rnn_real)0.5);
                    lab_rect(&im, x0 + x * Z, yy0 + y * Z, x0 + (x + 1) * Z, yy0 + (y + 1) * Z, lab_colour(v, v, v));
                }
        }
    }
    return lab_save_png_free(&im, dir, "caption_filters.png");
}

/* ---- seq2seq.c -------------------------------------------------------------------- */

/* One point of a curve of lab_picture_seq2seq: (update, exact, loss) as
   point *n of curve, then the end mark after it (room for *n + 2 triples). */
LAB_FN void lab_seq2seq_point(double *curve, int *n, double update, double exact, double loss)
{
    curve[3 * *n] = update; curve[3 * *n + 1] = exact; curve[3 * *n + 2] = loss;
    curve[3 * ++*n] = -1;
}

/* seq2seq_curves.png: for each way of training k (named names[k]), the dev
   set's greedy exact match (top) and the training loss per symbol (bottom,
   log scale) against updates; curve[k] holds (update, exact, loss) triples,
   ended by an update of -1. seq2seq_errors.png: the share of dev dates whose
   character at each position of YYYY-MM-DD is wrong after `errors_at`
   updates (early[k]: the scores of the dev set then). */
LAB_FN int lab_picture_seq2seq(const char *dir, int n_modes, const char *const *names, double *const *curve, int steps,
                               const lab_seq_scores *early, int errors_at)
{
    static const char *const pos[10] = {"Y", "Y", "Y", "Y", "-", "M", "M", "-", "D", "D"};
    double x[3][2000], ex[3][2000], loss[3][2000], err[3][10], at[10];
    lab_curve cv[2][3], bars[3];
    lab_chart ch[2], eb;
    char title[128];
    int k, i;
    memset(cv, 0, sizeof cv); memset(bars, 0, sizeof bars); memset(ch, 0, sizeof ch); memset(&eb, 0, sizeof eb);
    for (k = 0; k < n_modes && k < 3; k++) {
        for (i = 0; i < 2000 && curve[k][3 * i] >= 0; i++) {
            x[k][i] = curve[k][3 * i]; ex[k][i] = curve[k][3 * i + 1]; loss[k][i] = curve[k][3 * i + 2];
        }
        cv[0][k].x = cv[1][k].x = x[k]; cv[0][k].n = cv[1][k].n = i; cv[0][k].y = ex[k]; cv[1][k].y = loss[k];
        cv[0][k].colour = cv[1][k].colour = bars[k].colour = k == 0 ? LAB_BLUE : k == 1 ? LAB_RED : LAB_GREEN;
        cv[1][k].label = names[k];
        for (i = 0; i < 10; i++) { err[k][i] = early[k].n ? (double)early[k].pos_err[i] / early[k].n : 0; at[i] = i; }
        bars[k].x = at; bars[k].y = err[k]; bars[k].n = 10; bars[k].style = LAB_BARS; bars[k].label = names[k];
        bars[k].width = 60 / (n_modes + 1); bars[k].dash = -30 + k * 60 / (n_modes + 1);
    }
    ch[0].title = "dev exact match (greedy decoding)"; ch[0].y0 = 0; ch[0].y1 = 1; ch[0].y_step = 0.25; ch[0].y_percent = 1;
    ch[1].title = "training loss per symbol (log scale)"; ch[1].ylog = 1; ch[1].x_label = "updates";
    for (k = 0; k < 2; k++) {
        ch[k].w = 640; ch[k].h = 260; ch[k].x0 = 0; ch[k].x1 = steps; ch[k].x_step = steps / 4.0;
        ch[k].curves = cv[k]; ch[k].n_curves = n_modes;
    }
    if (lab_charts_save(ch, 2, 1, NULL, dir, "seq2seq_curves.png")) return 1;
    snprintf(title, sizeof title, "dev dates with a wrong character at each position, after %d updates (greedy)", errors_at);
    eb.title = title; eb.w = 640; eb.h = 260; eb.x0 = -0.5; eb.x1 = 9.5; eb.y_percent = 1;
    eb.x_ticks = at; eb.x_tick_labels = pos; eb.n_x_ticks = 10; eb.curves = bars; eb.n_curves = n_modes;
    return lab_charts_save(&eb, 1, 0, NULL, dir, "seq2seq_errors.png");
}

/* ---- sentiment.c ------------------------------------------------------------------ */

/* The two leading principal components of the rows X (n, D), centred:
   power iteration on the covariance, the second after deflating the first. */
LAB_FN void lab_pca2(const double *X, int n, int D, double *pc /* (2, D) */)
{
    double *C = (double *)calloc((size_t)D * D, sizeof(double)), *mean = (double *)calloc((size_t)D, sizeof(double));
    double *v = (double *)malloc(sizeof(double) * (size_t)D);
    int i, j, k, it, comp;
    if (!C || !mean || !v) { free(C); free(mean); free(v); memset(pc, 0, sizeof(double) * 2 * D); return; }
    for (i = 0; i < n; i++) for (j = 0; j < D; j++) mean[j] += X[(size_t)i * D + j] / n;
    for (i = 0; i < n; i++)
        for (j = 0; j < D; j++)
            for (k = 0; k < D; k++)
                C[(size_t)j * D + k] += (X[(size_t)i * D + j] - mean[j]) * (X[(size_t)i * D + k] - mean[k]);
    for (comp = 0; comp < 2; comp++) {
        double *u = pc + (size_t)comp * D, norm, lambda = 0;
        for (j = 0; j < D; j++) u[j] = 1.0 / sqrt((double)D) + 0.01 * j; /* a fixed start */
        for (it = 0; it < 500; it++) {
            for (j = 0; j < D; j++) { v[j] = 0; for (k = 0; k < D; k++) v[j] += C[(size_t)j * D + k] * u[k]; }
            for (norm = 0, j = 0; j < D; j++) norm += v[j] * v[j];
            norm = sqrt(norm);
            if (norm == 0) break;
            for (j = 0; j < D; j++) u[j] = v[j] / norm;
            lambda = norm;
        }
        for (j = 0; j < D; j++) for (k = 0; k < D; k++) C[(size_t)j * D + k] -= lambda * u[j] * u[k];
    }
    free(C); free(mean); free(v);
}

/* sentiment_curves.png: the accuracy per epoch (curve: train, dev, test for
   epochs 0..E) beside naive Bayes and Kim 2014, the epoch kept marked.
   sentiment_embedding.png: every word seen at least min_count times in
   training, a dot at its first two principal components in the learned
   embedding of m, coloured by the naive Bayes log-ratio of the word (red
   negative, green positive), which the network never saw; the query words
   q[0..nq-1] (model ids) named. */
LAB_FN int lab_picture_sentiment(const char *dir, const rnn_model *m, const lab_vocab *v, const lab_nbayes *nb,
                                 const lab_reviews *c, int min_count, const int *q, int nq, const double *curve, int E,
                                 int best_epoch, double nb_test)
{
    int D = m->desc.embed_size, n = 0, i, j, st = 1;
    double ep[1001], acc[3][1001], ref[2][2], ex[2], *X = (double *)malloc(sizeof(double) * (size_t)v->V * (D + 2));
    double *px = X ? X + (size_t)v->V * D : NULL, *pc = (double *)malloc(sizeof(double) * 2 * (size_t)D);
    lab_rgb *col = (lab_rgb *)malloc(sizeof(lab_rgb) * (size_t)v->V);
    const char **names = (const char **)calloc((size_t)v->V, sizeof(char *));
    lab_curve cv[5];
    lab_chart ch;
    char title[160];
    memset(cv, 0, sizeof cv); memset(&ch, 0, sizeof ch);
    if (!X || !pc || !col || !names || E > 1000) { fprintf(stderr, "%s: out of memory\n", lab_program); goto done; }
    for (i = 0; i <= E; i++) { ep[i] = i; for (j = 0; j < 3; j++) acc[j][i] = curve[3 * i + j]; }
    ex[0] = 0; ex[1] = E; ref[0][0] = ref[0][1] = nb_test; ref[1][0] = ref[1][1] = 0.761;
    for (j = 0; j < 3; j++) {
        static const char *const lab[3] = {"train", "dev", "test"};
        cv[j].x = ep + 1; cv[j].y = acc[j] + 1; cv[j].n = E; cv[j].label = lab[j];
        cv[j].colour = j == 0 ? LAB_ORANGE : j == 1 ? LAB_BLUE : LAB_RED;
    }
    snprintf(title, sizeof title, "naive Bayes test %.1f%%", 100 * nb_test);
    cv[3].x = ex; cv[3].y = ref[0]; cv[3].n = 2; cv[3].colour = LAB_GREEN; cv[3].dash = 6; cv[3].label = title;
    cv[4].x = ex; cv[4].y = ref[1]; cv[4].n = 2; cv[4].colour = LAB_PURPLE; cv[4].dash = 6; cv[4].label = "Kim 2014 76.1%";
    ch.title = "accuracy per epoch (the grey line: the epoch kept, best on dev)"; ch.x_label = "epoch";
    ch.w = 640; ch.h = 360; ch.x0 = 0; ch.x1 = E; ch.x_step = E <= 20 ? 1 : 5; ch.y0 = 0.5; ch.y1 = 1; ch.y_step = 0.1;
    ch.y_percent = 1; ch.curves = cv; ch.n_curves = 5;
    {
        lab_image im;
        lab_plot p;
        int w, h;
        lab_chart_size(&ch, &w, &h);
        if (lab_image_new(&im, w, h, LAB_WHITE)) goto done;
        p = lab_chart_draw(&im, 0, 0, &ch);
        lab_plot_vline(&p, best_epoch, LAB_GREY, 1, 0);
        if (lab_save_png_free(&im, dir, "sentiment_curves.png")) goto done;
    }
    for (i = 2; i < v->V; i++)   /* the embedding: the frequent words */
        if (v->count[v->from_model[i]] >= min_count) {
            for (j = 0; j < D; j++) X[(size_t)n * D + j] = (double)m->E[(size_t)i * D + j];
            names[n] = NULL;
            for (j = 0; j < nq; j++) if (q[j] == i) names[n] = c->words.word[v->from_model[i]];
            {
                size_t s = lab_nb_slot(nb, lab_nb_key(v->from_model[i], -1));
                double f = (nb->key[s] ? lab_nb_log_ratio(nb, s) : 0) / 2;
                f = f > 1 ? 1 : f < -1 ? -1 : f;
                col[n] = f > 0 ? lab_mix(lab_colour(225, 225, 225), LAB_GREEN, f) : lab_mix(lab_colour(225, 225, 225), LAB_RED, -f);
            }
            n++;
        }
    lab_pca2(X, n, D, pc);
    for (i = 0; i < n; i++) {
        double a = 0, b = 0;
        for (j = 0; j < D; j++) { a += X[(size_t)i * D + j] * pc[j]; b += X[(size_t)i * D + j] * pc[D + j]; }
        X[i] = a; px[i] = b;   /* (X's row i is read before it is written: i <= i * D) */
    }
    memset(cv, 0, sizeof cv); memset(&ch, 0, sizeof ch);
    cv[0].x = X; cv[0].y = px; cv[0].n = n; cv[0].style = LAB_DOTS; cv[0].colours = col; cv[0].names = names;
    snprintf(title, sizeof title, "the learned embedding (E = %d) of the %d words seen %d+ times, by PCA", D, n, min_count);
    ch.title = title; ch.x_label = "first principal component; colour: naive Bayes log-ratio, red negative, green positive";
    ch.w = 620; ch.h = 620; ch.curves = cv; ch.n_curves = 1;
    st = lab_charts_save(&ch, 1, 0, NULL, dir, "sentiment_embedding.png");
done:
    free(X); free(pc); free(col); free(names);
    return st;
}

/* ---- charlm.c ------------------------------------------------------------------------ */

/* charlm_loss.png: the training and validation loss of the log in bits per
   character against the step, with the best n-gram's as a line to get under. */
LAB_FN int lab_picture_charlm_loss(const char *dir, const lab_log *g, double ngram_bpc, int ngram_n, const char *title)
{
    double *v = (double *)malloc(sizeof(double) * (size_t)(3 * g->n + 4)), *tr, *va, ref[2], ex[2];
    lab_curve cv[3];
    lab_chart ch;
    char label[96];
    int i, st;
    if (g->n < 1) { free(v); return 0; }
    if (!v) { fprintf(stderr, "%s: out of memory\n", lab_program); return 1; }
    tr = v + g->n; va = tr + g->n;
    for (i = 0; i < g->n; i++) { v[i] = (double)g->rows[i].step; tr[i] = g->rows[i].train / log(2.0); va[i] = g->rows[i].val / log(2.0); }
    ex[0] = 0; ex[1] = v[g->n - 1]; ref[0] = ref[1] = ngram_bpc;
    memset(cv, 0, sizeof cv); memset(&ch, 0, sizeof ch);
    snprintf(label, sizeof label, "best n-gram (n = %d) on validation", ngram_n);
    cv[0].x = v; cv[0].y = tr; cv[0].n = g->n; cv[0].colour = lab_colour(30, 80, 200); cv[0].label = "training";
    cv[1].x = v; cv[1].y = va; cv[1].n = g->n; cv[1].colour = lab_colour(200, 30, 30); cv[1].label = "validation";
    cv[2].x = ex; cv[2].y = ref; cv[2].n = 2; cv[2].colour = LAB_GREY; cv[2].dash = 6; cv[2].label = label;
    ch.title = title; ch.x_label = "step"; ch.w = 760; ch.h = 380; ch.x0 = 0; ch.x1 = ex[1] > 0 ? ex[1] : 1; ch.y_step = 0.5;
    ch.scale = 2; ch.curves = cv; ch.n_curves = 3;
    st = lab_charts_save(&ch, 1, 0, NULL, dir, "charlm_loss.png");
    free(v);
    return st;
}

/* ---- charlm.c: what the cells do --------------------------------------------------------

   The model reads the validation text (B = 1, T characters at a time, the
   state carried). For every character we keep each unit's state in the top
   layer (tanh(c) for an LSTM, h otherwise, both in -1..1) and the gates.
   Then, for a few things a reader of C keeps track of, the unit whose state
   correlates best with it (Pearson's r) is picked and drawn. */

enum { LAB_F_COMMENT, LAB_F_STRING, LAB_F_BRACES, LAB_F_COLUMN, LAB_N_FEATURES };
static const char *const lab_feature_names[LAB_N_FEATURES] = {"inside a comment", "inside a string or quote", "brace depth", "column in the line"};

/* the features after reading each character: a small C lexer */
LAB_FN void lab_c_features(const int32_t *cp, int n, float *f)
{
    int i, comment = 0, str = 0, depth = 0, col = 0;
    for (i = 0; i < n; i++) {
        int32_t ch = cp[i], prev = i ? cp[i - 1] : 0;
        if (comment == 1 && ch == '/' && prev == '*' && i >= 2) comment = 0;  /* the end of a block comment */
        else if (comment == 2 && ch == '\n') comment = 0;                     /* the end of a line comment  */
        else if (!comment && str && ch == str && prev != '\\') str = -str;      /* the closing quote          */
        else if (!comment && !str && ch == '*' && prev == '/') comment = 1;
        else if (!comment && !str && ch == '/' && prev == '/') comment = 2;
        else if (!comment && !str && (ch == '"' || ch == '\'')) str = ch;
        else if (!comment && !str && ch == 0x201C) str = 0x201D;              /* prose: curly quotes */
        else if (!comment && !str && ch == '{') depth++;
        else if (!comment && !str && ch == '}' && depth > 0) depth--;
        col = ch == '\n' ? 0 : col + 1;
        f[(size_t)i * LAB_N_FEATURES + LAB_F_COMMENT] = comment ? 1.0f : 0.0f;
        f[(size_t)i * LAB_N_FEATURES + LAB_F_STRING] = str > 0 || str < 0 ? 1.0f : 0.0f;
        f[(size_t)i * LAB_N_FEATURES + LAB_F_BRACES] = (float)depth;
        f[(size_t)i * LAB_N_FEATURES + LAB_F_COLUMN] = (float)col;
        if (str < 0) str = 0; /* the closing quote itself counts as inside */
    }
}

LAB_FN double lab_pearson(const float *a, int sa, const float *b, int sb, int n)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    int i;
    for (i = 0; i < n; i++) { ma += a[(size_t)i * sa]; mb += b[(size_t)i * sb]; }
    ma /= n; mb /= n;
    for (i = 0; i < n; i++) {
        double da = a[(size_t)i * sa] - ma, db = b[(size_t)i * sb] - mb;
        sab += da * db; saa += da * da; sbb += db * db;
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

/* Reads n characters (ids) with B = 1; act (n, H): the top layer's states;
   gates (n, G, H): its gates (LSTM i,f,g,o; GRU r,z,n; none for the RNN). */
LAB_FN int lab_read_along(rnn_model *m, const int *ids, int n, float *act, float *gates, int G)
{
    enum { T = 100 };
    const rnn_layer *L = &m->layers[m->L - 1];
    int H = L->H, off, t, j, tok[T];
    int cw = rnn_cell_cache_width(L->cell);
    rnn_reset_state(m);
    for (off = 0; off < n; off += T) {
        int Tc = n - off < T ? n - off : T;
        rnn_batch b;
        memset(&b, 0, sizeof b);
        for (t = 0; t < Tc; t++) tok[t] = ids[off + t];
        b.T = Tc; b.B = 1; b.x_tokens = tok;
        if (rnn_forward(m, &b, NULL) != RNN_OK) return 0;
        for (t = 0; t < Tc; t++) {
            const rnn_real *h = L->h + (size_t)(t + 1) * H, *c = L->c + (size_t)(t + 1) * H;
            const rnn_real *cache = L->cache + (size_t)t * cw * H;
            for (j = 0; j < H; j++) {
                act[(size_t)(off + t) * H + j] = (float)(L->cell == RNN_LSTM ? rnn_tanh(c[j]) : h[j]);
                if (G) { int q; for (q = 0; q < G; q++) gates[((size_t)(off + t) * G + q) * H + j] = (float)cache[(size_t)q * H + j]; }
            }
        }
        rnn_carry_state(m);
    }
    return 1;
}

/* charlm_cells.png: the passage once per picked unit, each character on the
   colour of the unit's state after reading it */
LAB_FN int lab__draw_cells(const char *dir, const int32_t *cp, int n, const float *act, int H,
                      const int *units, const char *const *labels, int n_units)
{
    const int S = 2, cw = LAB_GLYPH_W * S, chh = LAB_GLYPH_H * S + 2, cols = 100, max_lines = 9, L = 10;
    int u, i, lines = 1, col = 0, y, panel_h;
    lab_image im;
    for (i = 0; i < n && lines <= max_lines; i++) { /* how many lines the passage takes */
        if (cp[i] == '\n' || ++col >= cols) { lines++; col = 0; }
    }
    if (lines > max_lines) lines = max_lines;
    panel_h = 30 + lines * chh + 14;
    if (lab_image_new(&im, 2 * L + cols * cw, n_units * panel_h + 30, LAB_WHITE)) return 1;
    lab_text(&im, L, 8, "each character on the colour of one cell after reading it: red +1, white 0, blue -1", LAB_BLACK, 2);
    for (u = 0; u < n_units; u++) {
        int y0 = 30 + u * panel_h, line_no = 0;
        lab_text(&im, L, y0 + 6, labels[u], LAB_BLACK, 2);
        col = 0; y = y0 + 30;
        for (i = 0; i < n && line_no < lines; i++) {
            double v = act[(size_t)i * H + units[u]];
            lab_rgb bg = v >= 0 ? lab_mix(LAB_WHITE, lab_colour(200, 30, 30), v) : lab_mix(LAB_WHITE, lab_colour(30, 80, 200), -v);
            int x = L + col * cw;
            lab_rect(&im, x, y, x + cw, y + chh, bg);
            lab_glyph(&im, x + S / 2, y + 2, cp[i], LAB_BLACK, S);
            if (cp[i] == '\n' || ++col >= cols) { col = 0; y += chh; line_no++; }
        }
    }
    return lab_save_png_free(&im, dir, "charlm_cells.png");
}

/* charlm_gates.png: for the picked units, each gate's value (0..1) at every
   step of the first characters of the passage */
LAB_FN int lab__draw_gates(const char *dir, rnn_cell cell, const int32_t *cp, int n, const float *gates, const float *act,
                      int G, int H, const int *units, int n_units)
{
    static const char *lstm_gates[] = {"input gate i", "forget gate f", "candidate g", "output gate o"};
    static const char *gru_gates[] = {"reset gate r", "update gate z", "candidate n"};
    const int S = 2, cw = LAB_GLYPH_W * S, rh = 14, L = 130, top = 30;
    int steps = n < 100 ? n : 100, panels, p, u, t, y, x;
    lab_image im;
    char label[64];
    /* LSTM: i, f, o and the state tanh(c); GRU: r, z and h; simple RNN: h */
    int which[4], n_which = 0;
    if (cell == RNN_LSTM) { which[0] = 0; which[1] = 1; which[2] = 3; n_which = 3; }
    else if (cell == RNN_GRU) { which[0] = 0; which[1] = 1; n_which = 2; }
    panels = n_which + 1;
    if (lab_image_new(&im, L + steps * cw + 10, top + panels * (n_units * rh + 30) + LAB_GLYPH_H * S + 40, LAB_WHITE)) return 1;
    lab_text(&im, 10, 8, "gates of the picked units along the passage: white 0, dark 1 (state: red +1, blue -1)", LAB_BLACK, 2);
    y = top;
    for (p = 0; p < panels; p++) {
        const char *name = p < n_which ? (cell == RNN_LSTM ? lstm_gates[which[p]] : gru_gates[which[p]])
                                       : cell == RNN_LSTM ? "state tanh(c)" : "state h";
        lab_text(&im, 10, y + 4, name, LAB_BLACK, 2);
        y += 22;
        for (u = 0; u < n_units; u++) {
            snprintf(label, sizeof label, "unit %d", units[u]);
            lab_text(&im, 10, y + u * rh + 1, label, LAB_GREY, 1);
            for (t = 0; t < steps; t++) {
                lab_rgb col;
                if (p < n_which) col = lab_mix(LAB_WHITE, LAB_BLACK, gates[((size_t)t * G + which[p]) * H + units[u]]);
                else {
                    double v = act[(size_t)t * H + units[u]];
                    col = v >= 0 ? lab_mix(LAB_WHITE, lab_colour(200, 30, 30), v) : lab_mix(LAB_WHITE, lab_colour(30, 80, 200), -v);
                }
                lab_rect(&im, L + t * cw, y + u * rh, L + (t + 1) * cw - 1, y + (u + 1) * rh - 1, col);
            }
        }
        y += n_units * rh + 8;
    }
    for (t = 0; t < steps; t++) { /* the characters, one per column */
        x = L + t * cw;
        if (t % 2 == 0) lab_rect(&im, x, y, x + cw, y + LAB_GLYPH_H * S + 2, LAB_LIGHT);
        lab_glyph(&im, x + S / 2, y + 2, cp[t], LAB_BLACK, S);
    }
    lab_text(&im, 10, y + 4, "text", LAB_BLACK, 2);
    return lab_save_png_free(&im, dir, "charlm_gates.png");
}

/* Finds the cells, prints what they track, draws both pictures. */
LAB_FN int lab_picture_charlm_cells(const char *dir, const rnn_model *trained, const lab_corpus *cor, int n_train,
                                    int analyse, const char *unit_list, int passage)
{
    rnn_model m;
    const rnn_layer *top;
    int n = cor->n - n_train, H, G, units[LAB_N_FEATURES + 8], n_units = 0, k, j, ok = 0, start, len;
    float *act = NULL, *gates = NULL, *f = NULL;
    char label_buf[LAB_N_FEATURES + 8][96];
    const char *labels[LAB_N_FEATURES + 8];
    if (n > analyse) n = analyse;
    if (rnn_model_init(&m, &trained->desc) != RNN_OK) { fprintf(stderr, "%s: out of memory\n", lab_program); return 0; }
    memcpy(m.params, trained->params, sizeof(rnn_real) * (size_t)m.n_params);
    top = &m.layers[m.L - 1];
    H = top->H;
    G = top->cell == RNN_LSTM ? 4 : top->cell == RNN_GRU ? 3 : 0;
    act = (float *)malloc(sizeof(float) * (size_t)n * H);
    gates = (float *)malloc(sizeof(float) * (size_t)n * (G ? G : 1) * H);
    f = (float *)malloc(sizeof(float) * (size_t)n * LAB_N_FEATURES);
    if (!act || !gates || !f) { fprintf(stderr, "%s: out of memory\n", lab_program); goto done; }
    if (!lab_read_along(&m, cor->ids + n_train, n, act, gates, G)) { fprintf(stderr, "%s: the forward pass failed\n", lab_program); goto done; }
    lab_c_features(cor->cp + n_train, n, f);
    if (unit_list[0]) { /* the units asked for */
        char buf[128], *tok;
        snprintf(buf, sizeof buf, "%s", unit_list);
        for (tok = strtok(buf, ","); tok && n_units < LAB_N_FEATURES + 8; tok = strtok(NULL, ",")) {
            char *end;
            long u = strtol(tok, &end, 10);
            if (*end || u < 0 || u >= H) { fprintf(stderr, "%s: --units: '%s' is not a unit 0..%d\n", lab_program, tok, H - 1); goto done; }
            units[n_units] = (int)u;
            snprintf(label_buf[n_units], sizeof label_buf[0], "unit %ld of layer %d", u, m.desc.num_layers);
            n_units++;
        }
    } else { /* the best unit for each feature that varies */
        printf("\nthe cells of the top layer that track what a reader of C tracks (Pearson r over\n"
               "%d validation characters; the state is %s):\n", n, top->cell == RNN_LSTM ? "tanh(c)" : "h");
        for (k = 0; k < LAB_N_FEATURES; k++) {
            int best = -1;
            double br = 0;
            for (j = 0; j < H; j++) {
                double r = lab_pearson(act + j, H, f + k, LAB_N_FEATURES, n);
                if (fabs(r) > fabs(br)) { br = r; best = j; }
            }
            if (best < 0) { printf("  %-26s (does not vary in this text)\n", lab_feature_names[k]); continue; }
            printf("  %-26s unit %4d   r = %+.3f\n", lab_feature_names[k], best, br);
            units[n_units] = best;
            snprintf(label_buf[n_units], sizeof label_buf[0], "unit %d: %s (r = %+.2f)", best, lab_feature_names[k], br);
            n_units++;
        }
    }
    for (k = 0; k < n_units; k++) labels[k] = label_buf[k];
    if (n_units == 0) { ok = 1; goto done; }
    /* the passage: from --passage, moved to the start of a line; by default
       the 9 lines where the features change most often (a comment, a
       string and a brace or two make a better picture than plain code) */
    if (passage >= 0) {
        start = passage < n ? passage : 0;
        while (start > 0 && cor->cp[n_train + start - 1] != '\n') start--;
    } else {
        int best_score = -1, s0, i, lines_seen, score, changed[LAB_F_COLUMN];
        start = 0;
        for (s0 = 0; s0 < n; s0++) {
            if (s0 > 0 && cor->cp[n_train + s0 - 1] != '\n') continue;
            memset(changed, 0, sizeof changed);
            for (i = s0 + 1, lines_seen = 0; i < n && lines_seen < 9 && i - s0 < 900; i++) {
                for (k = 0; k < LAB_F_COLUMN; k++) changed[k] += f[(size_t)i * LAB_N_FEATURES + k] != f[(size_t)(i - 1) * LAB_N_FEATURES + k];
                lines_seen += cor->cp[n_train + i] == '\n';
            }
            /* every kind of change present first, then as few string toggles
               as possible beyond that (escaped quotes make a noisy picture) */
            for (k = 0, score = 0; k < LAB_F_COLUMN; k++) score += changed[k] > 0 ? 1000 : 0;
            score += changed[LAB_F_COMMENT] * 10 + changed[LAB_F_BRACES] * 10 - changed[LAB_F_STRING];
            if (score > best_score) { best_score = score; start = s0; }
        }
    }
    len = n - start;
    ok = !lab__draw_cells(dir, cor->cp + n_train + start, len, act + (size_t)start * H, H, units, labels, n_units);
    ok = !lab__draw_gates(dir, top->cell, cor->cp + n_train + start, len, gates + (size_t)start * (G ? G : 1) * H,
                    act + (size_t)start * H, G, H, units, n_units) && ok;
done:
    free(act); free(gates); free(f);
    rnn_model_free(&m);
    return !ok;
}

/* The pictures at the end of a charlm run: the losses of the log against the
   best n-gram's (ng, best: its n - 1), and the cells of the trained model m
   on the validation text (after n_train characters). Returns 1 if one failed. */
LAB_FN int lab_pictures_charlm(const char *dir, const lab_log *g, const lab_ngram_result *ng, int best, const rnn_model *m,
                               const lab_corpus *cor, int n_train, int analyse, const char *units, int passage)
{
    char title[96];
    int failed;
    snprintf(title, sizeof title, "%s, %d x %d: loss in bits per character", lab_cell_name(m->desc.cell), m->desc.num_layers, m->desc.hidden_size);
    failed = lab_picture_charlm_loss(dir, g, log(ng[best].ppl) / log(2.0), best + 1, title) != 0;
    return lab_picture_charlm_cells(dir, m, cor, n_train, analyse, units, passage) != 0 || failed;
}

/* charlm --draw: the pictures of the cells of the checkpoint at path,
   read along the validation part (its last share val) of the text cor.
   Returns the exit status. */
LAB_FN int lab_draw_charlm(const char *dir, const char *path, const lab_corpus *cor, const char *text, double val,
                           int analyse, const char *units, int passage)
{
    rnn_model m;
    rnn_checkpoint ck;
    int32_t *vocab;
    int V, n_val = (int)(cor->n * val), status = 1;
    if (!lab_char_model_load(path, "cannot load", &m, NULL, &ck, &vocab, &V)) return 1;
    if (V != cor->V || memcmp(vocab, cor->vocab, sizeof(int32_t) * (size_t)V))
        fprintf(stderr, "%s: '%s' was not trained on '%s' (the vocabularies differ)\n", lab_program, path, text);
    else if (n_val < 2) fprintf(stderr, "%s: '%s' is too small\n", lab_program, text);
    else status = lab_picture_charlm_cells(dir, &m, cor, cor->n - n_val, analyse, units, passage);
    rnn_model_free(&m);
    free(vocab);
    return status;
}

#endif /* LAB_PICTURES_H */
