/* sentiment.c - the sentiment lab of decks D0 and D3: is a movie review
   positive or negative? Embedding + LSTM (or GRU) + one sigmoid, trained
   with Adam on binary cross-entropy, read many-to-one over reviews of
   different lengths in one batch.

   Deck D0 ("Ejemplo en Keras") builds exactly this network for IMDB:
       model.add(Embedding(max_features, embedding_dim, ...))
       model.add(LSTM(output_dim=embedding_dim, ...))
       model.add(Dense(1, activation='sigmoid'))
       model.compile(loss='binary_crossentropy', optimizer='adam', ...)
   and deck D3 ("Movie Reviews Sentiment Analysis") points at the Rotten
   Tomatoes reviews of Pang and Lee: their "sentence polarity dataset
   v1.0", 5331 positive and 5331 negative one-sentence reviews, shipped in
   examples/data/rt-polarity/ with its citation.

   What rnn.h does:
     [embed.lookup] e<t> = E[token]: the model's first layer (desc.embed_size);
     [arch.many-to-one] desc.loss_last_only: one output y = sigma(W h + b) at
                    the last step and the loss there only;
     [embed.pad]    reviews of different lengths share a batch: the short
                    ones are padded (at the start or the end, --pad) and the
                    batch's mask marks the padded steps, which change nothing;
     [loss.bce]     -y log y^ - (1-y) log(1-y^), and Adam;
     [dropout]      deck D0's dropout_W = dropout_U = 0.2: desc.dropout_input
                    and desc.dropout_recurrent, in training only.
   The vocabulary is the most frequent words of the training part (every
   other word is <unk>); a bag-of-words naive Bayes (lab_base.h) is the
   baseline; [embed.cosine] finds nearest words in the learned embedding.

   The split: the reviews are shuffled (--seed) and dealt into 10 folds; each
   fold in turn is the test set, the next one the dev set (it picks the epoch
   whose weights are kept: early stopping), the other 8 train: 10-fold
   cross-validation, as the literature reports (Kim 2014: 76.1% for a CNN
   with random embeddings). --fold F runs fold F alone (ten times faster).
   --bidirectional reads every review both ways ([birnn]).

   Pictures (in --out, default build/): sentiment_curves.png,
   sentiment_embedding.png. docs/guide/sentiment.md explains the results.

   Build and run (about three minutes on one core; --help lists the options):
       make build/sentiment && ./build/sentiment */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "lab.h"            /* options, outputs, gradient check */
#include "lab_data.h"       /* the reviews, the vocabulary */
#include "lab_base.h"       /* naive Bayes */
#include "lab_pictures.h"   /* pictures */

typedef struct config {
    char data[512], cell[16], pad[8], truncate[8], words[256];
    int bidirectional, layers, embed, hidden, batch, epochs, max_len, vocab, min_count;
    int folds, fold, show_fold, seed, no_mask, no_buckets, nn_min_count, check_gradient;
    double lr, clip, embed_scale, dropout_input, dropout_recurrent;
    lab_common lab;
} config;

#define LAB_OPTIONS_SENTIMENT
#include "lab_options.h"   /* the option table: options, N_OPTIONS, intro (--help) */

/* ---- batches of reviews -------------------------------------------------------- */

typedef struct work { int *x, *mask; rnn_real *y, *p; int *lens; } work;

/* The batch of the reviews idx[0..B-1] (T = their longest length, at most
   max_len): x (T, B) model ids, mask (T, B), y (T, B, 1) labels. [embed.pad]
   A review shorter than T is padded with <pad> at the start or the end, its
   mask 0 there; one longer than max_len is cut at the start or the end. */
static void fill_batch(const config *cf, const lab_reviews *c, const lab_vocab *v, const int *idx, int B, work *w, rnn_batch *b)
{
    int T = 1, i, t, pad_start = !strcmp(cf->pad, "start"), cut_start = !strcmp(cf->truncate, "start");
    for (i = 0; i < B; i++) if ((c->r[idx[i]].len < cf->max_len ? c->r[idx[i]].len : cf->max_len) > T)
        T = c->r[idx[i]].len < cf->max_len ? c->r[idx[i]].len : cf->max_len;
    for (i = 0; i < B; i++) {
        const lab_review *r = &c->r[idx[i]];
        int len = r->len < cf->max_len ? r->len : cf->max_len;
        int first = cut_start ? r->len - len : 0;  /* the first word kept */
        int off = pad_start ? T - len : 0;         /* where the words start */
        for (t = 0; t < T; t++) {
            size_t k = (size_t)t * B + i;
            int j = t - off, in = j >= 0 && j < len;
            w->x[k] = in ? v->to_model[r->w[first + j]] : LAB_PAD_ID;
            w->mask[k] = in;
            w->y[k] = (rnn_real)r->label;
        }
    }
    memset(b, 0, sizeof *b);
    b->T = T; b->B = B; b->x_tokens = w->x; b->mask = cf->no_mask ? NULL : w->mask; b->y = w->y;
}

/* ---- the network: Embedding + LSTM + Dense(1, sigmoid) ------------------------------ */

static rnn_status net_init(rnn_model *m, rnn_optim *opt, const config *cf, int V, uint64_t seed)
{
    rnn_model_desc d = {0};
    rnn_optim_desc od = {0};
    rnn_status st;
    size_t i;
    d.cell = lab_cell_from_name(cf->cell);
    d.input_size = V;
    d.embed_size = cf->embed;                     /* [embed.lookup]           */
    d.hidden_size = cf->hidden;
    d.num_layers = cf->layers;
    d.bidirectional = cf->bidirectional;          /* [birnn]                  */
    d.output = RNN_SIGMOID;                       /* [loss.bce]               */
    d.output_size = 1;
    d.loss_last_only = 1;                         /* [arch.many-to-one]       */
    d.dropout_input = (rnn_real)cf->dropout_input;         /* [dropout], in training only */
    d.dropout_recurrent = (rnn_real)cf->dropout_recurrent;
    d.seed = seed;
    if ((st = rnn_model_init(m, &d)) != RNN_OK) return st;
    for (i = 0; i < (size_t)V * cf->embed; i++) m->E[i] *= (rnn_real)cf->embed_scale;
    od.kind = RNN_ADAM; od.lr = (rnn_real)cf->lr;
    return opt ? rnn_optim_init(opt, &od, m->n_params) : RNN_OK;
}

/* The accuracy on the reviews idx[0..n-1], in batches of reviews of similar
   length (little padding is read). y = P(positive) at the last step. */
static rnn_status net_accuracy(rnn_model *m, const config *cf, const lab_reviews *c, const lab_vocab *v,
                               const int *idx, int n, work *w, double *acc)
{
    int *order = (int *)malloc(sizeof(int) * (size_t)n), i, right = 0, k, B;
    rnn_status st = RNN_OK;
    if (!order) return RNN_ERR_NOMEM;
    memcpy(order, idx, sizeof(int) * (size_t)n);
    lab_sort_by_length(order, n, c);
    for (i = 0; i < n && st == RNN_OK; i += B) {
        rnn_batch b;
        B = n - i < 256 ? n - i : 256;
        fill_batch(cf, c, v, order + i, B, w, &b);
        b.y = NULL;                               /* no targets: y only */
        rnn_reset_state(m);
        if ((st = rnn_forward(m, &b, NULL)) != RNN_OK) break;
        for (k = 0; k < B; k++) right += (m->y[(size_t)(b.T - 1) * B + k] > (rnn_real)0.5) == (c->r[order[i + k]].label == 1);
    }
    free(order);
    *acc = n ? (double)right / n : 0;
    return st;
}

/* ---- one fold: train, keep the epoch of the best dev accuracy ---------------------- */

typedef struct fold_result {
    double nb_test, nb_dev;          /* baseline accuracies                       */
    double test, dev;                /* the network at the epoch kept             */
    int best_epoch;
    double *curve;                   /* per epoch: train, dev, test accuracy      */
    double train_cpu;                /* seconds of CPU                            */
    long long tokens;                /* training tokens read                      */
    rnn_model m;                     /* the network kept (for the pictures)       */
    lab_vocab v;
    lab_nbayes nb;
} fold_result;

#define LAB_REPORT_SENTIMENT
#include "lab_report.h"   /* what is printed: the settings, progress, results, nearest words ([embed.cosine]) */

static rnn_status run_fold(const config *cf, const lab_reviews *c, const int *fold_of, int f, fold_result *res)
{
    int K = cf->folds, n_tr = 0, n_dev = 0, n_te = 0, i, e, Bmax = cf->batch > 256 ? cf->batch : 256, Tmax = 1;
    int *tr = (int *)malloc(sizeof(int) * (size_t)c->n * 4), *dev = tr + c->n, *te = dev + c->n, *starts = te + c->n;
    work w;
    rnn_optim opt;
    rnn_real *best = NULL;
    rnn_rng rng;
    rnn_status st = RNN_ERR_NOMEM;
    double cpu0;
    memset(&opt, 0, sizeof opt);
    if (!tr) return st;
    for (i = 0; i < c->n; i++) {
        if (fold_of[i] == f) te[n_te++] = i;
        else if (fold_of[i] == (f + 1) % K) dev[n_dev++] = i;
        else tr[n_tr++] = i;
    }
    if (!lab_nb_train(&res->nb, c, tr, n_tr)) goto done;   /* the baseline */
    res->nb_test = lab_nb_accuracy(&res->nb, c, te, n_te);
    res->nb_dev = lab_nb_accuracy(&res->nb, c, dev, n_dev);
    if (!lab_vocab_build(&res->v, c, tr, n_tr, cf->vocab, cf->min_count)) goto done;   /* from the training reviews only */
    for (i = 0; i < c->n; i++) if (c->r[i].len > Tmax) Tmax = c->r[i].len;   /* the longest batch */
    if (Tmax > cf->max_len) Tmax = cf->max_len;
    w.x = (int *)malloc(sizeof(int) * (size_t)Tmax * Bmax * 2); w.mask = w.x + (size_t)Tmax * Bmax;
    w.y = (rnn_real *)malloc(sizeof(rnn_real) * ((size_t)Tmax * Bmax + Bmax)); w.p = w.y + (size_t)Tmax * Bmax;
    if (!w.x || !w.y || (st = net_init(&res->m, &opt, cf, res->v.V, (uint64_t)cf->seed * 1000 + (uint64_t)f)) != RNN_OK) goto done;
    if (!(best = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)res->m.n_params))) { st = RNN_ERR_NOMEM; goto done; }
    print_fold(cf, c, f, n_tr, n_dev, n_te, res);
    rnn_rng_seed(&rng, (uint64_t)cf->seed * 7919 + (uint64_t)f);
    res->dev = -1;
    cpu0 = lab_cpu_seconds();
    for (e = 1; e <= cf->epochs; e++) {
        double loss_sum = 0, dev_acc, test_acc, e0 = lab_cpu_seconds();
        long right = 0, seen = 0;
        int bi, n_batches = (n_tr + cf->batch - 1) / cf->batch;
        /* batches of similar length: shuffle, sort windows of 32 batches by length, cut into batches, shuffle them */
        lab_length_batches(tr, n_tr, cf->batch, !cf->no_buckets, c, starts, n_batches, &rng);
        for (bi = 0; bi < n_batches; bi++) {
            int s = starts[bi], B = n_tr - s < cf->batch ? n_tr - s : cf->batch, k;
            rnn_batch b;
            rnn_real loss;
            fill_batch(cf, c, &res->v, tr + s, B, &w, &b);
            rnn_reset_state(&res->m);                /* h<0> = c<0> = 0 */
            rnn_zero_grad(&res->m);
            rnn_set_training(&res->m, &rng);         /* dropout on, if asked for */
            st = rnn_forward(&res->m, &b, &loss);    /* [arch.many-to-one] y = sigma(W h<T> + b), [loss.bce] */
            rnn_set_training(&res->m, NULL);         /* evaluation: no dropout */
            if (lab_diverged(NULL, (long)(e - 1) * n_batches + bi + 1, st, (double)loss, 100 * log(2.0))) { st = RNN_ERR_NAN; goto done; }
            if (st != RNN_OK || (st = rnn_backward(&res->m)) != RNN_OK) goto done;   /* [bptt.*] */
            rnn_clip_by_global_norm(&res->m, (rnn_real)cf->clip);      /* [clip.norm] */
            rnn_optim_step(&opt, res->m.params, res->m.grads);
            loss_sum += (double)loss * B;
            for (k = 0; k < B; k++) right += (res->m.y[(size_t)(b.T - 1) * B + k] > (rnn_real)0.5) == (c->r[tr[s + k]].label == 1);
            seen += B;
            res->tokens += (long long)b.T * B;
        }
        if ((st = net_accuracy(&res->m, cf, c, &res->v, dev, n_dev, &w, &dev_acc)) != RNN_OK) goto done;
        if ((st = net_accuracy(&res->m, cf, c, &res->v, te, n_te, &w, &test_acc)) != RNN_OK) goto done;
        res->curve[3 * e] = (double)right / seen; res->curve[3 * e + 1] = dev_acc; res->curve[3 * e + 2] = test_acc;
        if (dev_acc > res->dev) { /* early stopping: keep the weights of the best dev epoch */
            res->dev = dev_acc; res->test = test_acc; res->best_epoch = e;
            memcpy(best, res->m.params, sizeof(rnn_real) * (size_t)res->m.n_params);
        }
        print_epoch(cf, e, loss_sum / seen, 100.0 * right / seen, dev_acc, test_acc, lab_cpu_seconds() - e0, res->best_epoch == e);
    }
    res->train_cpu = lab_cpu_seconds() - cpu0;
    res->curve[0] = res->curve[1] = res->curve[2] = 0.5;
    memcpy(res->m.params, best, sizeof(rnn_real) * (size_t)res->m.n_params);
done:
    rnn_optim_free(&opt);
    free(best); free(w.x); free(w.y); free(tr);
    return st;
}

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    config c = {"examples/data/rt-polarity", "lstm", "end", "end", "good,bad,funny,boring,beautiful,worst,masterpiece,mess",
                .layers = 1, .embed = 64, .hidden = 64, .batch = 32, .epochs = 6, .max_len = 60, .vocab = 20000,
                .min_count = 2, .folds = 10, .fold = -1, .seed = 1, .nn_min_count = 20, .lr = 0.001, .clip = 5,
                .embed_scale = 0.1, .dropout_input = 0.2, .dropout_recurrent = 0.2, .lab.out = LAB_DEFAULT_OUT};
    lab_reviews cp;
    int *fold_of, i, rc, status = 0, pos_neg = 0, n_pos = 0, f, q[64], nq = 0;
    fold_result *res;
    rnn_status st;
    char path[600];
    time_t wall0 = time(NULL);

    if ((rc = lab_options("sentiment", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, NULL)) != LAB_GO) return rc;
    if (c.fold >= c.folds) { fprintf(stderr, "sentiment: --fold %d must be below --folds %d\n", c.fold, c.folds); return 2; }
    if (c.show_fold >= c.folds) { fprintf(stderr, "sentiment: --show-fold %d must be below --folds %d\n", c.show_fold, c.folds); return 2; }
    if (c.fold >= 0) c.show_fold = c.fold;
    memset(&cp, 0, sizeof cp);
    if (lab_read_reviews(&cp, lab_option_seen(options, N_OPTIONS, "--data") ? c.data : lab_project_file(c.data, path, sizeof path),
                         &pos_neg)) return 1;
    if ((n_pos = lab_reviews_check(&cp, c.data, c.folds)) < 0) return 1;   /* both labels, 2 reviews per fold */
    if (c.check_gradient) { /* 4 reviews, both labels usually, every word in the vocabulary */
        rnn_model m;
        lab_vocab v;
        work w;
        rnn_batch b;
        int idx[4] = {0, 0, 0, 0}, x[2 * 4 * 4096], *all = (int *)malloc(sizeof(int) * (size_t)cp.n), B = cp.n < 4 ? cp.n : 4;
        rnn_real y[4 * 4097];
        double worst;
        for (i = 0; i < cp.n && all; i++) all[i] = i;
        if (!all || !lab_vocab_build(&v, &cp, all, cp.n, c.vocab, 1)) { fprintf(stderr, "sentiment: out of memory\n"); return 1; }
        for (i = 0; i < B; i++) idx[i] = i * (cp.n / B);
        w.x = x; w.mask = x + 4 * 4096; w.y = y;
        fill_batch(&c, &cp, &v, idx, B, &w, &b);
        if ((st = net_init(&m, NULL, &c, v.V, (uint64_t)c.seed)) != RNN_OK || (st = lab_check_gradient(&m, &b, 3e-3, c.lab.quiet, &worst)) != RNN_OK) {
            fprintf(stderr, "sentiment: %s\n", rnn_status_string(st)); return 1;
        }
        printf("gradient check (%s%s): worst relative difference %.2e\n", c.bidirectional ? "bidirectional " : "", c.cell, worst);
        return 0;
    }
    print_setup(&c, &cp, n_pos);
    fflush(stdout);

    /* deal the shuffled reviews into the folds */
    fold_of = (int *)malloc(sizeof(int) * (size_t)cp.n * 2);
    res = (fold_result *)calloc((size_t)c.folds, sizeof(fold_result));
    if (!fold_of || !res) { fprintf(stderr, "sentiment: out of memory\n"); return 1; }
    lab_deal_folds(fold_of, fold_of + cp.n, cp.n, c.folds, (uint64_t)c.seed);
    for (f = c.fold < 0 ? 0 : c.fold; f <= (c.fold < 0 ? c.folds - 1 : c.fold); f++) {
        if (!(res[f].curve = (double *)calloc((size_t)3 * (c.epochs + 1), sizeof(double)))) { fprintf(stderr, "sentiment: out of memory\n"); return 1; }
        if ((st = run_fold(&c, &cp, fold_of, f, &res[f])) == RNN_ERR_NAN) return 1;   /* diverged: said why */
        if (st != RNN_OK) { fprintf(stderr, "sentiment: fold %d: %s\n", f, rnn_status_string(st)); return 1; }
        print_fold_result(f, &res[f]);
    }
    print_results(&c, &cp, res);

    nq = print_neighbours(&c, &res[c.show_fold], &cp, q);   /* what the embedding learned (the network of fold --show-fold) */
    if (!c.lab.no_images) {
        printf("\n");
        if (lab_picture_sentiment(lab_images_dir(&c.lab), &res[c.show_fold].m, &res[c.show_fold].v, &res[c.show_fold].nb,
                                  &cp, c.nn_min_count, q, nq, res[c.show_fold].curve, c.epochs, res[c.show_fold].best_epoch,
                                  res[c.show_fold].nb_test)) status = 1;
    }
    printf("\ntime: %.0f s wall, %.1f s CPU\n", difftime(time(NULL), wall0), lab_cpu_seconds());
    for (f = 0; f < c.folds; f++) { free(res[f].curve); rnn_model_free(&res[f].m); lab_vocab_free(&res[f].v); lab_nb_free(&res[f].nb); }
    free(res); free(fold_of);
    lab_reviews_free(&cp);
    return status;
}
