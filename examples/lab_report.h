/* lab_report.h - the tables and reports the labs print: what a run
   measured, laid out in columns with their legends. They are not the
   lesson, so they live here, out of the way of the lab's data, model,
   training and evaluation. Like lab_options.h, a lab defines its own types
   (config, and what a run returns), names itself, and includes this file:

       typedef struct config { ...; lab_common lab; } config;
       typedef struct run_result { ... } run_result;
       #define LAB_REPORT_ANBN
       #include "lab_report.h"

   and gets its printing functions, which read those types. (seq2seq.c's
   part also decodes the dates it prints, with the lab's own encode, greedy
   and beam_search: it is included after them.) There is no include guard:
   each lab includes it once, for its own section. */
#include "lab.h"

/* ---- anbn.c ---------------------------------------------------------------------- */
#ifdef LAB_REPORT_ANBN

/* The table the slide implies: per cell, the runs that fit the training
   strings, pass the deck's test (n = 12..18), and the largest N up to which
   every n is accepted (the median, the best, every seed). */
static void print_table(const config *c, const rnn_cell *cells, int n_cells, const run_result *res)
{
    int i, s;
    char head[32], top[32];
    printf("\n%-15s %-11s %-23s %s\n", "", "training", "the deck's test", "largest N: every n <= N accepted");
    snprintf(head, sizeof head, "fit 1..%d", c->train_max);
    snprintf(top, sizeof top, "N=%d", c->test_max);
    printf("%-15s %-11s %-10s %-12s %6s %6s %9s  %s\n", "cell", head, "all 12..18", "strings",
           "median", "best", top, "every seed");
    for (i = 0; i < n_cells; i++) {
        const run_result *r = res + i * c->seeds;
        int fit = 0, all = 0, strings = 0, best = 0, full = 0;
        double Ns[1000];
        char a[16], b[16], d[24];
        for (s = 0; s < c->seeds; s++) {
            fit += r[s].fit; all += r[s].test_ok == 7; strings += r[s].test_ok;
            if (r[s].N > best) best = r[s].N;
            full += r[s].N >= c->test_max;
            Ns[s] = r[s].N;
        }
        snprintf(a, sizeof a, "%d/%d", fit, c->seeds);
        snprintf(b, sizeof b, "%d/%d", all, c->seeds);
        snprintf(d, sizeof d, "%d%%", (int)floor(100.0 * strings / (7 * c->seeds) + 0.5));
        printf("%-15s %-11s %-10s %-12s %6g %6d %5d/%-3d  ", lab_cell_label(cells[i]), a, b, d,
               lab_median(Ns, c->seeds), best, full, c->seeds);
        for (s = 0; s < c->seeds; s++) printf(" %d", r[s].N);
        printf("\n");
    }
    printf("(fit: runs that accept every training string; all 12..18: runs that accept every\n"
           " n = 12..18; strings: the share of those %d strings accepted over all runs;\n"
           " N: tested for every n up to %d, so N = %d means no n up to there was rejected)\n",
           7 * c->seeds, c->test_max, c->test_max);
}
#endif

/* ---- vanishing.c ------------------------------------------------------------------- */
#ifdef LAB_REPORT_VANISHING

/* one row of g(d) (or the cell state's share) at the distances ds[0..n-1] */
static void print_row(const double *logg, const int *ds, int n)
{
    int j;
    for (j = 0; j < n; j++) {
        if (logg[ds[j]] < -300) printf(" %8s", "<1e-300");
        else printf(" %8.1e", pow(10, logg[ds[j]]));
    }
}

static void print_tables(const config *c, char (*names)[24], const rnn_cell *cells, int n, curve (*cv)[2], const int *ds, int nd)
{
    int i, j, s, T = c->T, lstm = 0;
    char h[16], when[32];
    for (s = 0; s < 1 + (c->steps > 0); s++) {
        if (s) printf("\nafter %d updates:\n", c->steps); else printf("\nat initialisation:\n");
        printf("%-12s %8s %9s ", "cell", "accuracy", "|dL/dh<T>|");
        for (j = 0; j < nd; j++) { snprintf(h, sizeof h, "d=%d", ds[j]); printf(" %8s", h); }
        printf("  %s\n", T >= 4 ? "per step" : "");
        for (i = 0; i < n; i++) {
            printf("%-12s %8.3f %10.2e ", names[i], cv[i][s].acc, pow(10, cv[i][s].logn0));
            print_row(cv[i][s].logg, ds, nd);
            /* the factor one step back multiplies g by, in the middle half: (g(3T/4) / g(T/4))^(1 / (T/2)) */
            if (T >= 4) printf("  %8.3f", pow(10, (cv[i][s].logg[3 * T / 4] - cv[i][s].logg[T / 4]) / (3 * T / 4 - T / 4)));
            printf("\n");
        }
    }
    printf("(accuracy: share of the %d measured sequences named right, chance %.3f;\n"
           " |dL/dh<T>|: the gradient at the loss, geometric mean; d=k: g(k), the ratio of the\n"
           " gradient k steps before the loss to it; d=%d is h<1>, the state that has just read the key;\n"
           " per step: (g(3T/4) / g(T/4))^(1/(T/2)), the factor one step back multiplies g by)\n",
           c->measure * c->batch, 1.0 / c->symbols, T - 1);
    for (i = 0; i < n; i++) lstm |= cells[i] == RNN_LSTM || cells[i] == RNN_PEEPHOLE;
    if (!lstm) return;
    printf("\nalong the LSTMs' cell state: |dL/dc<T-d>| / |dL/dh<T>| (geometric mean)\n%-12s %-17s", "cell", "");
    for (j = 0; j < nd; j++) { snprintf(h, sizeof h, "d=%d", ds[j]); printf(" %8s", h); }
    printf("\n");
    for (i = 0; i < n; i++)
        for (s = 0; s < 1 + (c->steps > 0) && (cells[i] == RNN_LSTM || cells[i] == RNN_PEEPHOLE); s++) {
            if (s) snprintf(when, sizeof when, "after %d updates", c->steps); else snprintf(when, sizeof when, "at initialisation");
            printf("%-12s %-17s", s ? "" : names[i], when);
            print_row(cv[i][s].logc, ds, nd);
            printf("\n");
        }
    printf("\ninside the LSTMs: the forget gate f (mean over units, steps, sequences) and the mean |c<k>|\n"
           "%-12s %-17s %6s %8s %8s %8s\n", "cell", "", "f", "|c<1>|", "|c<T/2>|", "|c<T>|");
    for (i = 0; i < n; i++)
        for (s = 0; s < 1 + (c->steps > 0) && (cells[i] == RNN_LSTM || cells[i] == RNN_PEEPHOLE); s++) {
            if (s) snprintf(when, sizeof when, "after %d updates", c->steps); else snprintf(when, sizeof when, "at initialisation");
            printf("%-12s %-17s %6.3f %8.3f %8.3f %8.3f\n", s ? "" : names[i], when, cv[i][s].inside[0],
                   cv[i][s].inside[1], cv[i][s].inside[2], cv[i][s].inside[3]);
        }
}
#endif

/* ---- seq2seq.c -------------------------------------------------------------------- */
#ifdef LAB_REPORT_SEQ2SEQ

/* What the run is: the task, the model, the first test date. */
static void print_setup(const config *c, const lab_dates_task *d)
{
    char s[160];
    printf("seq2seq ([arch.seq2seq], deck D3): dates in words -> YYYY-MM-DD\n");
    lab_dates_task_print(d, c->n_test, c->n_dev);
    printf("model: encoder embedding %d + %s %d, decoder %s %d + softmax, %d layer%s; Adam lr %g,\n"
           "       clip %g, %d updates of %d dates, seed %d%s\n", c->embed, c->cell, c->hidden, c->cell, c->hidden,
           c->layers, c->layers > 1 ? "s" : "", c->lr, c->clip, c->steps, c->batch, c->seed, c->reverse_source ? ", source reversed" : "");
    lab_date_words(s, d->test[0].t, d->test[0].lang, d->test[0].variant);
    printf("example: \"%s\" -> ", s);
    lab_date_iso(s, d->test[0].t);
    printf("%s\n\n", s);
    fflush(stdout);
}

/* The progress line of a dev evaluation e after `step` updates: the mean
   training loss per symbol since the last line, exact match, the symbols
   right free running and teacher-forced, the CPU time of this training. */
static void print_progress(const config *c, int step, double loss, const lab_seq_scores *e, double cpu)
{
    char l[16] = "     -";   /* no update yet, no training loss */
    if (step > 0) snprintf(l, sizeof l, "%.4f", loss);
    if (!c->lab.quiet)
        printf("  update %5d  loss/symbol %s  dev: exact %5.1f%%, symbols right %5.1f%% free running,"
               " %5.1f%% teacher-forced  %.1f s CPU\n", step, l, 100.0 * e->exact / e->n,
               100.0 * e->fr_sym / (e->n * DEC_T), 100.0 * e->tf_sym / (e->n * DEC_T), cpu);
    fflush(stdout);
}

/* Before training one way (fr: 0 teacher forcing, 1 own predictions, 2 no
   feedback), what the decoder reads; after it, the CPU time and speed. */
static void print_training(int fr, const char *name)
{
    static const char *const says[3] = {" (the decoder reads the true previous symbol)",
        " (the decoder reads its own previous output, as when it is used)",
        " (the control: the decoder reads <s> at every step, never a symbol)"};
    printf("training with %s%s\n", name, says[fr]);
}

static void print_trained(const config *c, double train_cpu)
{
    printf("  %.1f s CPU for %d updates (%.0f dates/s)\n\n", train_cpu, c->steps,
           c->steps * (double)c->batch / (train_cpu > 0 ? train_cpu : 1e-9));
    fflush(stdout);
}

/* the target symbols as characters, up to </s> */
static char tgt_char(int id) { return id < 10 ? (char)('0' + id) : id == TGT_DASH ? '-' : id == TGT_BOS ? '^' : '$'; }
static void print_tokens(const int *t, int n) { int i; for (i = 0; i < n && t[i] != TGT_EOS; i++) putchar(tgt_char(t[i])); }

/* Six test dates, spread over the test set, as the model s (trained the
   way `name` says) translates them, greedy, beside the right answer. */
static void print_samples(s2s *s, const config *c, const lab_dates_task *d, const char *name, buffers *w)
{
    int i, n_test = d->n_test;
    char words[160], want[24];
    printf("\nsome test dates (%s, greedy):\n", name);
    for (i = 0; i < 6 && i < n_test; i++) {
        int j = (int)((long)i * n_test / 6), out[DEC_T];
        lab_date_words(words, d->test[j].t, d->test[j].lang, d->test[j].variant);
        lab_date_iso(want, d->test[j].t);
        if (encode(s, c, d->test, &j, 1, w) != RNN_OK || greedy(s, 1, w->tok, out) != RNN_OK) break;
        printf("  "); lab_print_padded(stdout, words, 60); printf(" -> ");
        print_tokens(out, DEC_T);
        printf("  (%s)\n", want);
    }
}

/* --translate: the user's sentence c->translate, greedy and by beam
   search, by each of the n_modes models. Returns 0, or 1 after a one-line
   message (a word the source vocabulary lacks). */
static int print_translation(s2s *models, int n_modes, const char *const *names, const config *c, lab_dates_task *d, buffers *w)
{
    example e;
    int out[DEC_T + 1], len, zero = 0, k;
    if (lab_dates_parse(&d->v, c->translate, &e)) return 1;
    printf("\n\"%s\"\n", c->translate);
    for (k = 0; k < n_modes; k++) {
        if (encode(&models[k], c, &e, &zero, 1, w) != RNN_OK || greedy(&models[k], 1, w->tok, out) != RNN_OK) break;
        printf("  %-16s greedy ", names[k]); print_tokens(out, DEC_T);
        if (beam_search(&models[k], c, &e, w, c->beam, out, &len) != RNN_OK) break;
        out[len] = TGT_EOS;
        printf("   beam "); print_tokens(out, len); printf("\n");
    }
    return 0;
}

/* The pictures (lab_picture_seq2seq), after a blank line. Returns 0, or 1
   after an error. */
static int draw_pictures(const config *c, int n_modes, const char *const *names, double *const *curve, const lab_seq_scores *early)
{
    printf("\n");
    return lab_picture_seq2seq(lab_images_dir(&c->lab), n_modes, names, curve, c->steps, early, c->errors_at);
}
#endif

/* ---- sentiment.c ------------------------------------------------------------------ */
#ifdef LAB_REPORT_SENTIMENT

/* The run's settings: the network, the data, the training. */
static void print_setup(const config *c, const lab_reviews *cp, int n_pos)
{
    printf("Sentiment (decks D0, D3): Embedding + %s%s + sigmoid, Adam, binary cross-entropy,\n"
           "many-to-one over reviews of different lengths (padded at the %s, masked%s).\n",
           c->bidirectional ? "bidirectional " : "", lab_cell_label(lab_cell_from_name(c->cell)), c->pad, c->no_mask ? ": NO, --no-mask" : "");
    printf("data: %s: %d reviews (%d positive, %d negative), %lld words, %d distinct\n",
           c->data, cp->n, n_pos, cp->n - n_pos, cp->tokens, cp->words.n);
    printf("model: E %d, H %d, %d layer%s, dropout %g on inputs and %g on h<t-1>; vocabulary: words\n"
           "seen %d+ times in training (at most %d); reviews cut to %d words; batch %d, %d epochs,\n"
           "Adam lr %g, clip %g; %d folds, seed %d\n\n",
           c->embed, c->hidden, c->layers, c->layers > 1 ? "s" : "", c->dropout_input, c->dropout_recurrent,
           c->min_count, c->vocab, c->max_len, c->batch, c->epochs, c->lr, c->clip, c->folds, c->seed);
}

/* Progress: a fold's split, vocabulary and baseline (before training), each
   epoch (the loss and the accuracies), and the fold's result. */
static void print_fold(const config *cf, const lab_reviews *c, int f, int n_tr, int n_dev, int n_te, const fold_result *res)
{
    if (!cf->lab.quiet)
        printf("fold %d: %d training, %d dev, %d test reviews; vocabulary %d words + <pad> <unk> (of %d seen in training)\n"
               "  baseline (naive Bayes, unigrams + bigrams): dev %.1f%%, test %.1f%%\n",
               f, n_tr, n_dev, n_te, res->v.V - 2, c->words.n, 100 * res->nb_dev, 100 * res->nb_test);
}

static void print_epoch(const config *cf, int e, double loss, double train_pct, double dev_acc, double test_acc, double cpu, int best)
{
    if (cf->lab.quiet) return;
    printf("  epoch %2d  loss %.4f  train %.1f%%  dev %.1f%%  test %.1f%%  %.1f s CPU%s\n", e, loss,
           train_pct, 100 * dev_acc, 100 * test_acc, cpu, best ? "  (best dev so far)" : "");
    fflush(stdout);
}

static void print_fold_result(int f, const fold_result *r)
{
    printf("fold %d: network %.1f%% (epoch %d, chosen on dev), baseline %.1f%%; %.1f s CPU, %.0f words/s\n",
           f, 100 * r->test, r->best_epoch, 100 * r->nb_test, r->train_cpu,
           r->tokens / (r->train_cpu > 0 ? r->train_cpu : 1e-9));
    fflush(stdout);
}

/* The test accuracies: over every fold (the mean and the standard deviation)
   or on the one --fold, beside naive Bayes and the number of the literature. */
static void print_results(const config *c, const lab_reviews *cp, const fold_result *res)
{
    double acc[2][100], mean, sd;
    int i, f;
    for (f = 0; f < c->folds && c->fold < 0; f++) { acc[0][f] = res[f].test; acc[1][f] = res[f].nb_test; }
    if (c->fold < 0) {
        printf("\n%d-fold cross-validation, test accuracy, mean (standard deviation over folds):\n", c->folds);
        for (i = 0; i < 2; i++) {
            lab_mean_sd(acc[i], c->folds, &mean, &sd);
            printf("  %-34s %.1f%% (%.1f)\n", i ? "naive Bayes, unigrams + bigrams" : "the network", 100 * mean, 100 * sd);
        }
    } else {
        printf("\ntest accuracy on fold %d of %d (%d reviews), the epoch chosen on fold %d:\n",
               c->fold, c->folds, (cp->n + c->folds - 1 - c->fold) / c->folds, (c->fold + 1) % c->folds);
        printf("  %-34s %.1f%%\n  %-34s %.1f%%\n", "the network", 100 * res[c->fold].test,
               "naive Bayes, unigrams + bigrams", 100 * res[c->fold].nb_test);
    }
    printf("  %-34s 76.1%% (10-fold, Kim 2014)\n", "CNN, random embeddings");
    printf("(the network's number is at the epoch of best dev accuracy, chosen on the dev fold)\n");
}

/* [embed.cosine] the nearest words of each query word (--words, made model
   ids in q; a word not in the vocabulary is said), among the words seen at
   least nn_min_count times (rarely seen words keep much of their random
   initial vector, so their cosines say little). Returns how many are in q
   (at most 64). */
static int print_neighbours(const config *cf, const fold_result *r, const lab_reviews *c, int *q)
{
    int D = cf->embed, n = 0, i, j, out[6], n_q = 0;
    int *rows = (int *)malloc(sizeof(int) * (size_t)r->v.V);
    rnn_real *E = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)r->v.V * D), sims[6];
    char buf[256], *tok;
    strcpy(buf, cf->words);
    for (tok = strtok(buf, ","); tok && n_q < 64; tok = strtok(NULL, ",")) {
        int id = lab_dict_find(&c->words, tok), mid = id >= 0 ? r->v.to_model[id] : LAB_UNK_ID;
        if (mid == LAB_UNK_ID) printf("  (%s is not in the vocabulary)\n", tok);
        else q[n_q++] = mid;
    }
    if (!rows || !E) { free(rows); free(E); return n_q; }
    for (i = 2; i < r->v.V; i++)
        if (r->v.count[r->v.from_model[i]] >= cf->nn_min_count) {
            memcpy(E + (size_t)n * D, r->m.E + (size_t)i * D, sizeof(rnn_real) * D);
            rows[n++] = i;
        }
    printf("\nNearest words in the learned embedding of fold %d (cosine; among the %d words seen %d+ times):\n",
           cf->show_fold, n, cf->nn_min_count);
    for (j = 0; j < n_q; j++) {
        int self = -1;
        for (i = 0; i < n; i++) if (rows[i] == q[j]) self = i;
        rnn_nearest(out, sims, 6, E, n, D, r->m.E + (size_t)q[j] * D, self >= 0 ? &self : NULL, self >= 0);
        printf("  %-12s", c->words.word[r->v.from_model[q[j]]]);
        for (i = 0; i < 6 && out[i] >= 0; i++) printf(" %s (%.2f)", c->words.word[r->v.from_model[rows[out[i]]]], (double)sims[i]);
        printf("\n");
    }
    free(rows); free(E);
    return n_q;
}
#endif
