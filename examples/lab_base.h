/* lab_base.h - the baselines a network must beat, and the scores they share:
   a forecast that repeats last year and a straight line (forecast.c), ...
   Include it after lab.h. */
#ifndef LAB_BASE_H
#define LAB_BASE_H
#include "lab.h"

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

#endif /* LAB_BASE_H */
