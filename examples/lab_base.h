/* lab_base.h - the baselines a network must beat, and the scores they share:
   a forecast that repeats last year and a straight line (forecast.c), the
   most frequent caption (caption.c), ... Include it after lab.h. */
#ifndef LAB_BASE_H
#define LAB_BASE_H
#include "lab.h"
#include "lab_data.h"

/* ---- forecasts (forecast.c) ------------------------------------------------------- */

typedef struct lab_score { double rmse, mape; } lab_score;

/* The RMSE and the mean absolute percentage error of pred against truth
   over [from, to). */
LAB_FN lab_score lab_forecast_score(const double *pred, const double *truth, int from, int to)
{
    lab_score r = {0, 0};
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

/* Seasonal naive forecasts of a monthly series v (n months, the first
   n_train known): one step ahead, each month is the same month a year
   earlier (one[t], t >= 12); free-running from n_train on, the same month
   of the last known year (free[t], t >= n_train). Other entries are 0. */
LAB_FN void lab_seasonal_naive(const double *v, int n, int n_train, double *one, double *free_run)
{
    int t;
    for (t = 0; t < n; t++) { one[t] = t >= 12 ? v[t - 12] : 0; free_run[t] = 0; }
    for (t = n_train; t < n; t++) free_run[t] = v[t - 12 * ((t - n_train) / 12 + 1)];
}

/* The least-squares line through the first n_train values of v, evaluated
   at every t = 0..n-1 into out. */
LAB_FN void lab_linear_trend(const double *v, int n, int n_train, double *out)
{
    double mt = 0, mv = 0, sxx = 0, sxy = 0, a, b;
    int t;
    for (t = 0; t < n_train; t++) { mt += t; mv += v[t]; }
    mt /= n_train; mv /= n_train;
    for (t = 0; t < n_train; t++) { sxx += (t - mt) * (t - mt); sxy += (t - mt) * (v[t] - mv); }
    b = sxy / sxx; a = mv - b * mt;
    for (t = 0; t < n; t++) out[t] = a + b * t;
}

/* ---- captions (caption.c) ----------------------------------------------------------- */

LAB_FN int lab__cmp_caption(const void *a, const void *b)
{
    const lab_caption *x = *(const lab_caption *const *)a, *y = *(const lab_caption *const *)b;
    int i;
    for (i = 0; i < x->len && i < y->len; i++) if (x->w[i] != y->w[i]) return x->w[i] - y->w[i];
    return x->len - y->len;
}

/* The most frequent reference among the images idx[0..n-1] (ties: the first
   in the sort order), the caption a model that ignores the image would
   write every time; *count: how often it occurs. */
LAB_FN lab_caption lab_most_frequent_caption(const lab_captions *d, const int *idx, int n, int *count)
{
    int i, j, total = 0, run = 0;
    lab_caption best = {0, {0}};
    const lab_caption **all;
    for (i = 0; i < n; i++) total += d->n_refs[idx[i]];
    all = (const lab_caption **)malloc(sizeof *all * (size_t)total);
    *count = 0;
    if (!all) return best;
    for (total = 0, i = 0; i < n; i++)
        for (j = 0; j < d->n_refs[idx[i]]; j++) all[total++] = &d->refs[(size_t)idx[i] * LAB_MAX_REFS + j];
    qsort(all, (size_t)total, sizeof *all, lab__cmp_caption);
    for (i = 0; i < total; i++) {
        run = i > 0 && !lab__cmp_caption(&all[i], &all[i - 1]) ? run + 1 : 1;
        if (run > *count) { *count = run; best = *all[i]; }
    }
    free(all);
    return best;
}

#endif /* LAB_BASE_H */
