/* lab_pictures.h - the pictures the labs draw, one function each, grouped
   by lab. Each takes plain numbers (arrays, sizes, labels), draws with
   lab_plot.h and writes a PNG into `dir` ("wrote dir/name" on stdout).
   Each returns 0, or 1 after a one-line error (out of memory, a file that
   cannot be written). Include it after lab_plot.h. */
#ifndef LAB_PICTURES_H
#define LAB_PICTURES_H
#include "lab_plot.h"

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
   b-steps on orange; above the box a strip, green at a step where every
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
    if (lab_image_new(&im, w, h + 14, LAB_WHITE)) { free(v); return 1; }
    p = lab_chart_draw(&im, 0, 14, &ch);
    lab_text(&im, 4, p.top - 11, "right", LAB_BLACK, 1);
    for (t = 0; t < T; t++)
        lab_rect(&im, lab_plot_px(&p, t), p.top - 10, t + 1 < T ? lab_plot_px(&p, t + 1) : lab_plot_px(&p, t) + 2,
                 p.top - 3, right[t] ? LAB_GREEN : LAB_RED);
    st = lab_save_png_free(&im, dir, "anbn_state.png");
    free(v);
    return st;
}

#endif /* LAB_PICTURES_H */
