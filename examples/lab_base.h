/* lab_base.h - the baselines a network must beat, and the scores they share:
   a forecast that repeats last year and a straight line (forecast.c), the
   most frequent caption (caption.c), naive Bayes on words (sentiment.c),
   n-gram language models by counting (charlm.c). Include it after lab.h. */
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

/* ---- the bag-of-words baseline: multinomial naive Bayes (sentiment.c) ----------
   Features: the unigrams and bigrams of a review, each counted once per
   review ("binarized", which Wang & Manning 2012 found better for short
   reviews). P(class | review) is proportional to
       P(class) prod_f P(f | class),  P(f | c) = (n_c(f) + 1) / (N_c + |F|)
   (Laplace smoothing), over the features f of the review that were seen in
   training. Keys: (w1, w2) with w2 = -1 for a unigram, in a hash table. */

typedef struct lab_nbayes {
    uint64_t *key; int *cnt;  /* key + 1 (0 = empty); cnt[2 * slot + class]    */
    size_t n_slots, used;
    double total[2];          /* N_c: feature occurrences per class           */
    double prior[2];          /* log P(class)                                 */
} lab_nbayes;

LAB_FN uint64_t lab_nb_key(int a, int b) { return ((uint64_t)(unsigned)a << 32 | (uint64_t)(unsigned)(b + 1)) + 1; }

LAB_FN size_t lab_nb_slot(const lab_nbayes *nb, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h ^ (h >> 29)) & (nb->n_slots - 1);
    while (nb->key[i] && nb->key[i] != key) i = (i + 1) & (nb->n_slots - 1);
    return i;
}

LAB_FN int lab_nb_grow(lab_nbayes *nb)
{
    lab_nbayes g = *nb;
    size_t k;
    g.n_slots = nb->n_slots ? 2 * nb->n_slots : 1 << 16;
    g.key = (uint64_t *)calloc(g.n_slots, sizeof(uint64_t));
    g.cnt = (int *)calloc(2 * g.n_slots, sizeof(int));
    if (!g.key || !g.cnt) { free(g.key); free(g.cnt); return 0; }
    for (k = 0; k < nb->n_slots; k++)
        if (nb->key[k]) {
            size_t j = lab_nb_slot(&g, nb->key[k]);
            g.key[j] = nb->key[k]; g.cnt[2 * j] = nb->cnt[2 * k]; g.cnt[2 * j + 1] = nb->cnt[2 * k + 1];
        }
    free(nb->key); free(nb->cnt);
    *nb = g;
    return 1;
}

/* the distinct features of a review, into f (room for 2 len) */
LAB_FN int lab_nb_features(const lab_review *r, uint64_t *f)
{
    int n = 0, i, j;
    for (i = 0; i < r->len; i++) {
        uint64_t k[2];
        int m = 1;
        k[0] = lab_nb_key(r->w[i], -1);
        if (i + 1 < r->len) k[m++] = lab_nb_key(r->w[i], r->w[i + 1]);
        while (m-- > 0) {
            for (j = 0; j < n && f[j] != k[m]; j++) {}
            if (j == n) f[n++] = k[m];
        }
    }
    return n;
}

LAB_FN int lab_nb_train(lab_nbayes *nb, const lab_reviews *c, const int *idx, int n)
{
    int i, k, nf, count[2] = {0, 0};
    uint64_t *f = (uint64_t *)malloc(sizeof(uint64_t) * 2 * 4096);
    memset(nb, 0, sizeof *nb);
    if (!f || !lab_nb_grow(nb)) { free(f); return 0; }
    for (i = 0; i < n; i++) {
        const lab_review *r = &c->r[idx[i]];
        count[r->label]++;
        nf = lab_nb_features(r, f);
        for (k = 0; k < nf; k++) {
            size_t s;
            if (2 * (nb->used + 1) > nb->n_slots && !lab_nb_grow(nb)) { free(f); return 0; }
            s = lab_nb_slot(nb, f[k]);
            if (!nb->key[s]) { nb->key[s] = f[k]; nb->used++; }
            nb->cnt[2 * s + r->label]++;
            nb->total[r->label] += 1;
        }
    }
    nb->prior[0] = log((count[0] + 1.0) / (n + 2.0));
    nb->prior[1] = log((count[1] + 1.0) / (n + 2.0));
    free(f);
    return 1;
}

/* log P(f | positive) - log P(f | negative) of one feature */
LAB_FN double lab_nb_log_ratio(const lab_nbayes *nb, size_t s)
{
    double F = (double)nb->used;
    return log((nb->cnt[2 * s + 1] + 1.0) / (nb->total[1] + F)) - log((nb->cnt[2 * s] + 1.0) / (nb->total[0] + F));
}

/* the share of the reviews idx[0..n-1] the baseline gets right */
LAB_FN double lab_nb_accuracy(const lab_nbayes *nb, const lab_reviews *c, const int *idx, int n)
{
    int i, k, nf, right = 0;
    uint64_t f[2 * 4096];
    for (i = 0; i < n; i++) {
        const lab_review *r = &c->r[idx[i]];
        double score = nb->prior[1] - nb->prior[0];
        nf = lab_nb_features(r, f);
        for (k = 0; k < nf; k++) {
            size_t s = lab_nb_slot(nb, f[k]);
            if (nb->key[s]) score += lab_nb_log_ratio(nb, s);
        }
        right += (score > 0) == (r->label == 1);
    }
    return n ? (double)right / n : 0;
}

LAB_FN void lab_nb_free(lab_nbayes *nb) { free(nb->key); free(nb->cnt); memset(nb, 0, sizeof *nb); }

/* ---- n-gram language models ([lm.ngram], charlm.c) ---------------------------------- */

typedef struct lab_ngram_result { double k, lambda, ppl; } lab_ngram_result;

/* Fits n = 1..5 on the training text and scores the validation text.
   Unless k >= 0 / lambda >= 0 fix them, k and lambda are picked from a
   small grid by the validation perplexity (which flatters the baseline). The counts do not depend on k or
   lambda, so one fit per order serves the whole grid (the grid changes the
   resolved desc in place). Returns 0 after an error. */
LAB_FN int lab_ngram_baselines(double k_fixed, double lambda_fixed, const int *train, int n_train, const int *val, int n_val,
                           int V, lab_ngram_result *res)
{
    static const double ks[] = {0.0001, 0.001, 0.01, 0.1, 1}, lambdas[] = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.97, 1};
    int n, a, b;
    for (n = 1; n <= RNN_NGRAM_MAX_ORDER; n++) {
        rnn_ngram lm;
        rnn_ngram_desc d;
        rnn_status st;
        memset(&d, 0, sizeof d);
        d.order = n; d.vocab_size = V; d.k = 1; d.lambda = 1;
        if ((st = rnn_ngram_init(&lm, &d)) != RNN_OK || (st = rnn_ngram_fit(&lm, train, n_train)) != RNN_OK) {
            fprintf(stderr, "%s: n-gram model: %s\n", lab_program, rnn_status_string(st));
            if (st != RNN_ERR_ARG) rnn_ngram_free(&lm);
            return 0;
        }
        res[n - 1].ppl = HUGE_VAL;
        for (a = 0; a < (int)(sizeof ks / sizeof ks[0]); a++)
            for (b = 0; b < (int)(sizeof lambdas / sizeof lambdas[0]); b++) {
                double lp = 0, ppl;
                long long cnt = 0;
                lm.desc.k = k_fixed >= 0 ? k_fixed : ks[a];
                lm.desc.lambda = lambda_fixed >= 0 ? lambda_fixed : lambdas[b];
                if (n == 1) lm.desc.lambda = 1; /* nothing below the unigram */
                rnn_ngram_log_prob_sequence(&lm, val, n_val, &lp, &cnt); /* [lm.chain] */
                ppl = exp(-lp / (double)cnt);
                if (ppl < res[n - 1].ppl) { res[n - 1].ppl = ppl; res[n - 1].k = lm.desc.k; res[n - 1].lambda = lm.desc.lambda; }
            }
        rnn_ngram_free(&lm);
    }
    return 1;
}

LAB_FN void lab_print_ngrams(const lab_ngram_result *res, int n_train, int n_val)
{
    int n;
    printf("n-gram baselines (rnn_ngram_*), fitted on the %d training characters, scored on\n"
           "the %d validation characters:\n"
           "   n  add-k    lambda   val perplexity  bits/char\n", n_train, n_val);
    for (n = 1; n <= RNN_NGRAM_MAX_ORDER; n++)
        printf("  %2d  %-7g  %-7g  %14.3f  %9.3f\n", n, res[n - 1].k, res[n - 1].lambda,
               res[n - 1].ppl, log(res[n - 1].ppl) / log(2.0));
}

LAB_FN int lab_best_ngram(const lab_ngram_result *res)
{
    int n, best = 0;
    for (n = 1; n < RNN_NGRAM_MAX_ORDER; n++) if (res[n].ppl < res[best].ppl) best = n;
    return best;
}

/* The baselines of a language model's run: the n-grams fitted on train
   (n_train symbols) and scored on val (n_val), with k and lambda fixed
   when >= 0, else tuned, printed as a table. Returns the best n - 1 (into
   res), or -1 after an error. */
LAB_FN int lab_ngram_report(double k_fixed, double lambda_fixed, const int *train, int n_train, const int *val, int n_val,
                            int V, lab_ngram_result *res)
{
    if (!lab_ngram_baselines(k_fixed, lambda_fixed, train, n_train, val, n_val, V, res)) return -1;
    lab_print_ngrams(res, n_train, n_val);
    return lab_best_ngram(res);
}

/* --ngram: only the text (lab_corpus_print, as `name`) and its n-gram
   baselines, the last share val of it held out; k and lambda as for
   lab_ngram_report. Returns the exit status: 0, or 1 after an error. */
LAB_FN int lab_ngram_only(const lab_corpus *c, const char *name, double val, double k_fixed, double lambda_fixed)
{
    lab_ngram_result ng[RNN_NGRAM_MAX_ORDER];
    int n_val = (int)(c->n * val);
    lab_corpus_print(c, name);
    if (n_val < 1 || c->n - n_val < 1) { fprintf(stderr, "%s: '%s' is too small to split (%d characters)\n", lab_program, name, c->n); return 1; }
    return lab_ngram_report(k_fixed, lambda_fixed, c->ids, c->n - n_val, c->ids + c->n - n_val, n_val, c->V, ng) < 0;
}

/* A perplexity exp(loss) in 10 columns into s (24 bytes): a diverging
   model's would not fit ("%10.3f" of exp(45) has 24 characters). */
LAB_FN const char *lab_ppl_text(double loss, char *s)
{
    snprintf(s, 24, exp(loss) < 1e6 ? "%10.3f" : "%10.3e", exp(loss));
    return s;
}

/* The table of the end of a language model's run: perplexity and bits per
   character on the n_val validation characters of a uniform guess over the
   V symbols, of each n-gram, and of the network (its cell, layers, hidden
   size and validation loss in nats), then whether it beats the best n-gram. */
LAB_FN void lab_print_lm_table(const lab_ngram_result *ng, int V, int n_val, const char *cell, int layers, int hidden, double loss)
{
    int t, best = lab_best_ngram(ng);
    char nm[48], p1[24], p2[24];
    printf("validation, %d characters:\n", n_val);
    printf("  %-22s %10s %10s\n", "model", "perplexity", "bits/char");
    printf("  %-22s %10.3f %10.3f\n", "uniform over the vocab", (double)V, log((double)V) / log(2.0));
    for (t = 0; t < RNN_NGRAM_MAX_ORDER; t++) {
        snprintf(nm, sizeof nm, "%d-gram%s", t + 1, t == best ? " (best)" : "");
        printf("  %-22s %10.3f %10.3f\n", nm, ng[t].ppl, log(ng[t].ppl) / log(2.0));
    }
    snprintf(nm, sizeof nm, "%s %dx%d (this run)", cell, layers, hidden);
    printf("  %-22s %s %10.3f\n", nm, lab_ppl_text(loss, p1), loss / log(2.0));
    printf("the %s's validation perplexity is %s the best n-gram's (%s %s %.3f)\n", cell,
           exp(loss) < ng[best].ppl ? "lower than" : "NOT lower than", lab_ppl_text(loss, p2) + strspn(p2, " "),
           exp(loss) < ng[best].ppl ? "<" : ">=", ng[best].ppl);
}

#endif /* LAB_BASE_H */
