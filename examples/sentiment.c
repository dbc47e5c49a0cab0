/* sentiment.c - the sentiment lab of decks D0 and D3: is a movie review
   positive or negative? Embedding + LSTM (or GRU) + one sigmoid, trained
   with Adam on binary cross-entropy, read many-to-one over reviews of
   different lengths in one batch.

   Deck D0 ("Ejemplo en Keras") builds exactly this network for IMDB:
       model.add(Embedding(max_features, embedding_dim, ...))
       model.add(LSTM(output_dim=embedding_dim, ...))
       model.add(Dense(1, activation='sigmoid'))
       model.compile(loss='binary_crossentropy', optimizer='adam', ...)
   and deck D3 points at the Rotten Tomatoes reviews of Pang and Lee. This
   program runs it on their "sentence polarity dataset v1.0": 5331 positive
   and 5331 negative one-sentence reviews (rt-polarity.pos, rt-polarity.neg).

   What rnn.h does and what this file does:
     [embed.lookup] e<t> = E[token]: the model's first layer (desc.embed_size),
                    a table learned by backprop like any weight;
     [arch.many-to-one] desc.loss_last_only: one output y = sigma(W h + b) at
                    the last step and the loss L = L(tau) there only;
     [embed.pad]    reviews of different lengths share a batch: the short
                    ones are padded (at the start or the end, --pad) and the
                    batch's mask marks the padded steps, which change nothing,
                    so where the padding goes does not change the answer;
     [loss.bce]     -y log y^ - (1-y) log(1-y^), and Adam;
     [dropout]      deck D0's dropout_W = dropout_U = 0.2: desc.dropout_input
                    on the LSTM's inputs, desc.dropout_recurrent on h<t-1>,
                    in training only (rnn_set_training).
   The file itself: the vocabulary (the most frequent words of the training
   part; every other word becomes <unk>), batches of reviews of similar
   length, the folds, a bag-of-words baseline (multinomial naive Bayes on
   unigrams and bigrams), nearest neighbours in the learned embedding
   ([embed.cosine], rnn_nearest) and two pictures:
     docs/images/sentiment_curves.png     accuracy per epoch (train, dev,
                                          test) beside the baseline;
     docs/images/sentiment_embedding.png  the learned embedding of the
                                          frequent words in 2-D (PCA),
                                          coloured by the baseline's view of
                                          each word.

   The split: the reviews are shuffled (--seed) and dealt into 10 folds.
   Each fold in turn is the test set, the next fold the dev set (it picks
   the epoch whose weights are kept: early stopping), the other 8 train both
   the network and the baseline: 10-fold cross-validation, as the
   literature reports (Kim 2014: 76.1% for a CNN with random embeddings).
   --fold F runs fold F alone (ten times faster).

   --bidirectional reads every review both ways ([birnn]); with
   loss_last_only, rnn.h's head then reads the two directions' final
   states, [h->(T), h<-(T)] (PyTorch's h_n), so each direction has read the
   whole review.

   Build and run (about three minutes on one core; --help lists the options):
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/sentiment.c -o build/sentiment -lm
       ./build/sentiment --data ../shared/data/rt-polarity
   --data takes a directory with rt-polarity.pos and rt-polarity.neg, or a
   file of lines "sentence<TAB>label" with label 0 (negative) or 1.
   The pictures are written with stb_image_write (Debian: libstb-dev). */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>
#include "lab.h"   /* options, pictures, PNG files: what every lab needs */
#include "lab_plot.h"

#define PROG "sentiment"
#define PAD_ID 0      /* model vocabulary: 0 <pad>, 1 <unk>, then the words */
#define UNK_ID 1

/* ---- options --------------------------------------------------------------- */

typedef struct config {
    char data[512];         /* directory with rt-polarity.pos/.neg, or a TSV  */
    char cell[16];          /* lstm or gru                                    */
    char pad[8], truncate[8]; /* start or end                                 */
    int bidirectional, layers, embed, hidden, batch, epochs, max_len;
    int vocab, min_count;   /* vocabulary: at most N words seen >= min_count  */
    int folds, fold, show_fold, seed, no_mask, no_buckets;
    double lr, clip, embed_scale, dropout_input, dropout_recurrent;
    char words[256];        /* words whose neighbours are printed             */
    int nn_min_count;       /* neighbours only among words this frequent      */
    int quiet, no_images, check_gradient;
    char images[256];
} config;

#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--data", "PATH", LAB_TEXT, OFF(data), 0, 512,
     "a directory with rt-polarity.pos/.neg, or a file of 'sentence<TAB>0|1' lines", 0},
    {"--cell", "lstm|gru", LAB_CHOICE, OFF(cell), 0, 16, "the recurrent cell", 0},
    {"--bidirectional", NULL, LAB_FLAG, OFF(bidirectional), 0, 1, "read each review both ways ([birnn])", 0},
    {"--layers", "N", LAB_INT, OFF(layers), 1, 4, "stacked recurrent layers ([deep])", 0},
    {"--embed", "E", LAB_INT, OFF(embed), 1, 1024, "embedding size (desc.embed_size)", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 1024, "hidden units", 0},
    {"--vocab", "N", LAB_INT, OFF(vocab), 1, 1000000, "keep at most the N most frequent training words", 0},
    {"--min-count", "N", LAB_INT, OFF(min_count), 1, 1000000, "keep only words seen at least N times in training", 0},
    {"--max-len", "N", LAB_INT, OFF(max_len), 1, 100000, "cut longer reviews to N words", 0},
    {"--pad", "start|end", LAB_CHOICE, OFF(pad), 0, 8, "pad short reviews at the start or the end", 0},
    {"--truncate", "start|end", LAB_CHOICE, OFF(truncate), 0, 8, "cut long reviews at the start or the end", 0},
    {"--no-mask", NULL, LAB_FLAG, OFF(no_mask), 0, 1, "read the padding as words (to see what the mask buys)", 0},
    {"--no-buckets", NULL, LAB_FLAG, OFF(no_buckets), 0, 1,
     "train on batches of random reviews, not of similar length (more padding)", 0},
    {"--dropout-input", "P", LAB_REAL, OFF(dropout_input), 0, 0.95,
     "dropout on the LSTM's inputs, one mask per review (deck D0's dropout_W)", 0},
    {"--dropout-recurrent", "P", LAB_REAL, OFF(dropout_recurrent), 0, 0.95,
     "dropout on h<t-1> in the recurrent product (deck D0's dropout_U)", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "reviews per update", 0},
    {"--epochs", "N", LAB_INT, OFF(epochs), 1, 1000, "passes over the training reviews", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e6, "clip the gradient's global norm to X", 0},
    {"--embed-scale", "X", LAB_REAL, OFF(embed_scale), 1e-6, 10,
     "initial embedding: N(0, 1) times X (rnn.h's N(0,1) is PyTorch's)", 0},
    {"--folds", "K", LAB_INT, OFF(folds), 3, 100, "folds the reviews are dealt into", 0},
    {"--fold", "F", LAB_INT, OFF(fold), -1, 99,
     "run only fold F as the test fold (the next one is dev); -1: every fold in turn", 0},
    {"--show-fold", "F", LAB_INT, OFF(show_fold), 0, 99, "the fold whose curves and embedding are shown", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "shuffles the reviews and seeds the weights", 0},
    {"--words", "LIST", LAB_TEXT, OFF(words), 0, 256, "comma-separated words whose nearest neighbours are printed", 0},
    {"--nn-min-count", "N", LAB_INT, OFF(nn_min_count), 1, 1000000,
     "neighbours only among words seen at least N times", 0},
    {"--images", "DIR", LAB_TEXT, OFF(images), 0, 256,
     "where to write sentiment_curves.png and sentiment_embedding.png", 0},
    {"--no-images", NULL, LAB_FLAG, OFF(no_images), 0, 1, "draw no pictures", 0},
    {"--quiet", NULL, LAB_FLAG, OFF(quiet), 0, 1, "no line per epoch", 0},
    {"--check-gradient", NULL, LAB_FLAG, OFF(check_gradient), 0, 1,
     "compare the gradient with finite differences on 4 reviews, then exit", 0},
    {"--help", NULL, LAB_FLAG, 0, 0, 0, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

static const char intro[] =
    "usage: " PROG " [options]\n"
    "Embedding + LSTM + sigmoid on the sentence polarity data of Pang & Lee\n"
    "(decks D0, D3), beside a naive Bayes baseline. Options (default in brackets):\n";

/* ---- words: every distinct word of the file gets an id (a hash table) ---- */

typedef struct dict {
    char **word;            /* word[id]                                       */
    int n, cap;             /* words, room in word[]                          */
    int *slot;              /* open addressing: id + 1, 0 = empty             */
    size_t n_slots;         /* a power of 2, at most half full                */
} dict;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;          /* FNV-1a */
    for (; *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211ull; }
    return h;
}

static int dict_find(const dict *d, const char *w)
{
    size_t i;
    if (!d->n_slots) return -1;
    i = (size_t)hash_str(w) & (d->n_slots - 1);
    while (d->slot[i]) {
        if (!strcmp(d->word[d->slot[i] - 1], w)) return d->slot[i] - 1;
        i = (i + 1) & (d->n_slots - 1);
    }
    return -1;
}

/* the id of w, added if new; -1 when out of memory */
static int dict_add(dict *d, const char *w)
{
    size_t i, len;
    int id = dict_find(d, w);
    if (id >= 0) return id;
    if (2 * (size_t)(d->n + 1) > d->n_slots) { /* grow the table and rehash */
        size_t ns = d->n_slots ? 2 * d->n_slots : 1024, k;
        int *s = (int *)calloc(ns, sizeof(int));
        if (!s) return -1;
        for (k = 0; k < (size_t)d->n; k++) {
            size_t j = (size_t)hash_str(d->word[k]) & (ns - 1);
            while (s[j]) j = (j + 1) & (ns - 1);
            s[j] = (int)k + 1;
        }
        free(d->slot); d->slot = s; d->n_slots = ns;
    }
    if (d->n == d->cap) {
        int nc = d->cap ? 2 * d->cap : 1024;
        char **nw = (char **)realloc(d->word, sizeof(char *) * (size_t)nc);
        if (!nw) return -1;
        d->word = nw; d->cap = nc;
    }
    len = strlen(w);
    if (!(d->word[d->n] = (char *)malloc(len + 1))) return -1;
    memcpy(d->word[d->n], w, len + 1);
    i = (size_t)hash_str(w) & (d->n_slots - 1);
    while (d->slot[i]) i = (i + 1) & (d->n_slots - 1);
    d->slot[i] = d->n + 1;
    return d->n++;
}

static void dict_free(dict *d)
{
    int i;
    for (i = 0; i < d->n; i++) free(d->word[i]);
    free(d->word); free(d->slot);
    memset(d, 0, sizeof *d);
}

/* ---- the reviews ------------------------------------------------------------ */

typedef struct review { int *w; int len, label; } review; /* w: dict ids */
typedef struct corpus {
    dict words;
    review *r;
    int n, cap;
    long long tokens;
} corpus;

/* Reads a whole file. NULL (and a message) when it cannot. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) { fprintf(stderr, PROG ": cannot open %s\n", path); return NULL; }
    for (;;) {
        if (n + 65536 + 1 > cap) {
            char *nb;
            cap = 2 * cap + 65536 + 1;
            if (!(nb = (char *)realloc(buf, cap))) { fprintf(stderr, PROG ": out of memory reading %s\n", path); free(buf); fclose(f); return NULL; }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        fprintf(stderr, PROG ": cannot read %s (is it a directory without rt-polarity.pos and .neg?)\n", path);
        free(buf); fclose(f); return NULL;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Splits one sentence (s, n bytes) into words at white space, lower-cases
   ASCII letters, and adds it with its label. 0 on success, -1 out of memory;
   a sentence without words is skipped (1). */
static int add_review(corpus *c, char *s, size_t n, int label)
{
    int ids[4096], k = 0;
    size_t i = 0;
    review *r;
    while (i < n) {
        size_t j;
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
        if (i == n) break;
        for (j = i; j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '\r'; j++)
            if (s[j] >= 'A' && s[j] <= 'Z') s[j] = (char)(s[j] - 'A' + 'a');
        {
            char keep = s[j];
            int id;
            s[j] = 0;
            id = dict_add(&c->words, s + i);
            s[j] = keep;
            if (id < 0) return -1;
            if (k < (int)(sizeof ids / sizeof ids[0])) ids[k++] = id; /* longer: cut at 4096 words */
        }
        i = j;
    }
    if (k == 0) return 1;
    if (c->n == c->cap) {
        int nc = c->cap ? 2 * c->cap : 1024;
        review *nr = (review *)realloc(c->r, sizeof(review) * (size_t)nc);
        if (!nr) return -1;
        c->r = nr; c->cap = nc;
    }
    r = &c->r[c->n];
    if (!(r->w = (int *)malloc(sizeof(int) * (size_t)k))) return -1;
    memcpy(r->w, ids, sizeof(int) * (size_t)k);
    r->len = k; r->label = label;
    c->n++;
    c->tokens += k;
    return 0;
}

/* One review per line, all with one label (rt-polarity.pos or .neg), or
   (label < 0) lines "sentence<TAB>label" with label 0 or 1. */
static int read_reviews(corpus *c, const char *path, int label)
{
    size_t len, a = 0;
    int line = 0, before = c->n;
    char *buf = read_file(path, &len);
    if (!buf) return 0;
    if (memchr(buf, 0, len)) { fprintf(stderr, PROG ": %s is not a text file (it has a zero byte)\n", path); free(buf); return 0; }
    while (a < len) {
        size_t b = a, end;
        int lab = label, rc;
        while (b < len && buf[b] != '\n') b++;
        end = b;
        line++;
        if (label < 0) { /* the label after the last tab */
            size_t t = end, s, e;
            while (t > a && buf[t - 1] != '\t') t--;
            for (s = a; s < end && (buf[s] == ' ' || buf[s] == '\r'); s++) {}
            if (s == end) { a = b + 1; continue; }                 /* a blank line */
            if (t == a) {
                fprintf(stderr, PROG ": %s:%d: no tab: a line must be 'sentence<TAB>label'\n", path, line);
                free(buf); return 0;
            }
            for (s = t; s < end && buf[s] == ' '; s++) {}
            for (e = end; e > s && (buf[e - 1] == ' ' || buf[e - 1] == '\r'); e--) {}
            if (e - s != 1 || (buf[s] != '0' && buf[s] != '1')) {
                char shown[32];
                size_t k = e - s < sizeof shown - 1 ? e - s : sizeof shown - 1;
                memcpy(shown, buf + s, k); shown[k] = 0;
                fprintf(stderr, PROG ": %s:%d: the label must be 0 or 1, not '%s'\n", path, line, shown);
                free(buf); return 0;
            }
            lab = buf[s] - '0';
            end = t - 1;                                            /* the sentence */
        }
        rc = add_review(c, buf + a, end - a, lab);
        if (rc < 0) { fprintf(stderr, PROG ": out of memory reading %s\n", path); free(buf); return 0; }
        a = b + 1;
    }
    free(buf);
    if (c->n == before) { fprintf(stderr, PROG ": %s has no reviews (no line with a word in it)\n", path); return 0; }
    return 1;
}

static int load_corpus(corpus *c, const char *path, int *pos_neg_files)
{
    char p[600];
    FILE *f;
    snprintf(p, sizeof p, "%s/rt-polarity.pos", path);
    if ((f = fopen(p, "rb")) != NULL) { /* a directory of Pang & Lee's two files */
        fclose(f);
        *pos_neg_files = 1;
        if (!read_reviews(c, p, 1)) return 0;
        snprintf(p, sizeof p, "%s/rt-polarity.neg", path);
        return read_reviews(c, p, 0);
    }
    *pos_neg_files = 0;
    return read_reviews(c, path, -1);
}

static void corpus_free(corpus *c)
{
    int i;
    for (i = 0; i < c->n; i++) free(c->r[i].w);
    free(c->r);
    dict_free(&c->words);
    memset(c, 0, sizeof *c);
}

/* ---- the bag-of-words baseline: multinomial naive Bayes ----------------------
   Features: the unigrams and bigrams of a review, each counted once per
   review ("binarized", which Wang & Manning 2012 found better for short
   reviews). P(class | review) is proportional to
       P(class) prod_f P(f | class),  P(f | c) = (n_c(f) + 1) / (N_c + |F|)
   (Laplace smoothing), over the features f of the review that were seen in
   training. Keys: (w1, w2) with w2 = -1 for a unigram, in a hash table. */

typedef struct nbayes {
    uint64_t *key; int *cnt;  /* key + 1 (0 = empty); cnt[2 * slot + class]    */
    size_t n_slots, used;
    double total[2];          /* N_c: feature occurrences per class           */
    double prior[2];          /* log P(class)                                 */
} nbayes;

static uint64_t nb_key(int a, int b) { return ((uint64_t)(unsigned)a << 32 | (uint64_t)(unsigned)(b + 1)) + 1; }

static size_t nb_slot(const nbayes *nb, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h ^ (h >> 29)) & (nb->n_slots - 1);
    while (nb->key[i] && nb->key[i] != key) i = (i + 1) & (nb->n_slots - 1);
    return i;
}

static int nb_grow(nbayes *nb)
{
    nbayes g = *nb;
    size_t k;
    g.n_slots = nb->n_slots ? 2 * nb->n_slots : 1 << 16;
    g.key = (uint64_t *)calloc(g.n_slots, sizeof(uint64_t));
    g.cnt = (int *)calloc(2 * g.n_slots, sizeof(int));
    if (!g.key || !g.cnt) { free(g.key); free(g.cnt); return 0; }
    for (k = 0; k < nb->n_slots; k++)
        if (nb->key[k]) {
            size_t j = nb_slot(&g, nb->key[k]);
            g.key[j] = nb->key[k]; g.cnt[2 * j] = nb->cnt[2 * k]; g.cnt[2 * j + 1] = nb->cnt[2 * k + 1];
        }
    free(nb->key); free(nb->cnt);
    *nb = g;
    return 1;
}

/* the distinct features of a review, into f (room for 2 len) */
static int nb_features(const review *r, uint64_t *f)
{
    int n = 0, i, j;
    for (i = 0; i < r->len; i++) {
        uint64_t k[2];
        int m = 1;
        k[0] = nb_key(r->w[i], -1);
        if (i + 1 < r->len) k[m++] = nb_key(r->w[i], r->w[i + 1]);
        while (m-- > 0) {
            for (j = 0; j < n && f[j] != k[m]; j++) {}
            if (j == n) f[n++] = k[m];
        }
    }
    return n;
}

static int nb_train(nbayes *nb, const corpus *c, const int *idx, int n)
{
    int i, k, nf, count[2] = {0, 0};
    uint64_t *f = (uint64_t *)malloc(sizeof(uint64_t) * 2 * 4096);
    memset(nb, 0, sizeof *nb);
    if (!f || !nb_grow(nb)) { free(f); return 0; }
    for (i = 0; i < n; i++) {
        const review *r = &c->r[idx[i]];
        count[r->label]++;
        nf = nb_features(r, f);
        for (k = 0; k < nf; k++) {
            size_t s;
            if (2 * (nb->used + 1) > nb->n_slots && !nb_grow(nb)) { free(f); return 0; }
            s = nb_slot(nb, f[k]);
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
static double nb_log_ratio(const nbayes *nb, size_t s)
{
    double F = (double)nb->used;
    return log((nb->cnt[2 * s + 1] + 1.0) / (nb->total[1] + F)) - log((nb->cnt[2 * s] + 1.0) / (nb->total[0] + F));
}

/* the share of the reviews idx[0..n-1] the baseline gets right */
static double nb_accuracy(const nbayes *nb, const corpus *c, const int *idx, int n)
{
    int i, k, nf, right = 0;
    uint64_t f[2 * 4096];
    for (i = 0; i < n; i++) {
        const review *r = &c->r[idx[i]];
        double score = nb->prior[1] - nb->prior[0];
        nf = nb_features(r, f);
        for (k = 0; k < nf; k++) {
            size_t s = nb_slot(nb, f[k]);
            if (nb->key[s]) score += nb_log_ratio(nb, s);
        }
        right += (score > 0) == (r->label == 1);
    }
    return n ? (double)right / n : 0;
}

static void nb_free(nbayes *nb) { free(nb->key); free(nb->cnt); memset(nb, 0, sizeof *nb); }

/* ---- the vocabulary of the network --------------------------------------------
   From the training reviews only (the dev and test reviews must not choose
   it): the words seen at least min_count times, at most max_words of them,
   most frequent first. to_model[dict id] = model id (UNK_ID if cut). */

typedef struct vocab {
    int V;                  /* model vocabulary size, with <pad> and <unk>    */
    int *to_model;          /* (dict n)                                       */
    int *from_model;        /* (V) dict id; -1 for <pad>, <unk>               */
    int *count;             /* (dict n) occurrences in the training reviews   */
} vocab;

static const int *sort_count; /* the key of cmp_by_count (qsort has no context) */
static int cmp_by_count(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    if (sort_count[x] != sort_count[y]) return sort_count[y] - sort_count[x];
    return x - y; /* ties: the word seen first */
}

static int vocab_build(vocab *v, const corpus *c, const int *idx, int n, int max_words, int min_count)
{
    int i, k, *order, kept = 0;
    memset(v, 0, sizeof *v);
    v->to_model = (int *)malloc(sizeof(int) * (size_t)c->words.n);
    v->count = (int *)calloc((size_t)c->words.n, sizeof(int));
    order = (int *)malloc(sizeof(int) * (size_t)c->words.n);
    if (!v->to_model || !v->count || !order) { free(order); return 0; }
    for (i = 0; i < n; i++)
        for (k = 0; k < c->r[idx[i]].len; k++) v->count[c->r[idx[i]].w[k]]++;
    for (i = 0; i < c->words.n; i++) { order[i] = i; v->to_model[i] = UNK_ID; }
    sort_count = v->count;
    qsort(order, (size_t)c->words.n, sizeof(int), cmp_by_count);
    while (kept < max_words && kept < c->words.n && v->count[order[kept]] >= min_count) kept++;
    v->V = kept + 2;
    if (!(v->from_model = (int *)malloc(sizeof(int) * (size_t)v->V))) { free(order); return 0; }
    v->from_model[PAD_ID] = v->from_model[UNK_ID] = -1;
    for (i = 0; i < kept; i++) { v->to_model[order[i]] = i + 2; v->from_model[i + 2] = order[i]; }
    free(order);
    return 1;
}

static void vocab_free(vocab *v) { free(v->to_model); free(v->from_model); free(v->count); memset(v, 0, sizeof *v); }

/* ---- batches of reviews -------------------------------------------------------- */

/* Fills the batch of the reviews idx[0..B-1] (T = their longest length,
   at most max_len): x (T, B) model ids, mask (T, B), y (T, B, 1) labels.
   [embed.pad] A review shorter than T is padded with <pad> at the start or
   the end, its mask 0 there; one longer than max_len is cut at the start or
   the end. Returns T. */
static int fill_batch(const config *cf, const corpus *c, const vocab *v, const int *idx, int B,
                      int *x, int *mask, rnn_real *y)
{
    int T = 1, b, t;
    int pad_start = !strcmp(cf->pad, "start"), cut_start = !strcmp(cf->truncate, "start");
    for (b = 0; b < B; b++) {
        int len = c->r[idx[b]].len;
        if (len > cf->max_len) len = cf->max_len;
        if (len > T) T = len;
    }
    for (b = 0; b < B; b++) {
        const review *r = &c->r[idx[b]];
        int len = r->len < cf->max_len ? r->len : cf->max_len;
        int skip = r->len - len;                   /* words cut off            */
        int first = cut_start ? skip : 0;          /* the first word kept      */
        int off = pad_start ? T - len : 0;         /* where the words start    */
        for (t = 0; t < T; t++) {
            size_t i = (size_t)t * B + b;
            int j = t - off;
            int in = j >= 0 && j < len;
            x[i] = in ? v->to_model[r->w[first + j]] : PAD_ID;
            mask[i] = in;
            y[i] = (rnn_real)r->label;
        }
    }
    return T;
}

/* ---- the network ------------------------------------------------------------------
   The library's many-to-one: desc.output_size 1, sigmoid, loss_last_only.
   Bidirectional, the head reads [h->(T), h<-(T)], the final state of each
   direction of the top level. */

typedef struct net {
    rnn_model m;
    rnn_optim opt;
} net;

static rnn_status net_init(net *n, const config *cf, const vocab *v, uint64_t seed)
{
    rnn_model_desc d;
    rnn_optim_desc od;
    rnn_status st;
    size_t i;
    memset(n, 0, sizeof *n);
    memset(&d, 0, sizeof d);
    d.cell = !strcmp(cf->cell, "gru") ? RNN_GRU : RNN_LSTM;
    d.input_size = v->V;
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
    if ((st = rnn_model_init(&n->m, &d)) != RNN_OK) return st;
    for (i = 0; i < (size_t)v->V * cf->embed; i++) n->m.E[i] *= (rnn_real)cf->embed_scale;
    memset(&od, 0, sizeof od);
    od.kind = RNN_ADAM; od.lr = (rnn_real)cf->lr;
    return rnn_optim_init(&n->opt, &od, n->m.n_params);
}

static void net_free(net *n)
{
    rnn_model_free(&n->m); rnn_optim_free(&n->opt);
    memset(n, 0, sizeof *n);
}

/* One forward pass over a batch; p[b] = P(positive). With y: the loss, and
   the caches for net_backward. */
static rnn_status net_forward(net *n, rnn_batch *b, const rnn_real *y, rnn_real *p, rnn_real *loss)
{
    rnn_status st;
    int B = b->B, T = b->T, i;
    b->y = y;
    st = rnn_forward(&n->m, b, loss);             /* [arch.many-to-one] y = sigma(W h<T> + b) */
    for (i = 0; i < B; i++) p[i] = n->m.y[(size_t)(T - 1) * B + i];
    return st;
}

static rnn_status net_backward(net *n) { return rnn_backward(&n->m); }

static void net_update(net *n, rnn_real clip)
{
    rnn_clip_by_global_norm(&n->m, clip);        /* [clip.norm] */
    rnn_optim_step(&n->opt, n->m.params, n->m.grads);
}

/* ---- the gradient, checked ------------------------------------------------------
   Backprop against centred finite differences (L(w + eps) - L(w - eps)) / 2 eps
   for the 3 entries of largest gradient in every tensor, on a batch of the
   first 4 reviews. In float,
   agreement to a few per cent is what to expect. Returns the worst
   relative difference. */
static double batch_loss(net *nt, rnn_batch *b, const rnn_real *y, rnn_real *p)
{
    rnn_real loss = 0;
    rnn_reset_state(&nt->m);
    net_forward(nt, b, y, p, &loss);
    return (double)loss;
}

static rnn_status check_gradient(const config *cf, const corpus *c, double *worst_out)
{
    int idx[4] = {0, 0, 0, 0}, i, k, t, B = c->n < 4 ? c->n : 4, *all = (int *)malloc(sizeof(int) * (size_t)c->n);
    int x[4 * 4096], mask[4 * 4096];
    rnn_real y[4 * 4096], p[4];
    double worst = 0;
    vocab v;
    net nt;
    rnn_batch b;
    rnn_status st;
    const double eps = 3e-3;
    if (!all) return RNN_ERR_NOMEM;
    for (i = 0; i < c->n; i++) all[i] = i;
    if (!vocab_build(&v, c, all, c->n, cf->vocab, 1)) { free(all); return RNN_ERR_NOMEM; }
    free(all);
    if ((st = net_init(&nt, cf, &v, (uint64_t)cf->seed)) != RNN_OK) { vocab_free(&v); return st; }
    for (i = 0; i < B; i++) idx[i] = i * (c->n / B);        /* both labels, usually */
    memset(&b, 0, sizeof b);
    b.T = fill_batch(cf, c, &v, idx, B, x, mask, y);
    b.B = B; b.x_tokens = x; b.mask = cf->no_mask ? NULL : mask;
    rnn_zero_grad(&nt.m);
    batch_loss(&nt, &b, y, p);
    if ((st = net_backward(&nt)) != RNN_OK) { net_free(&nt); vocab_free(&v); return st; }
    for (t = 0; t < nt.m.n_tensors; t++) {
        int n;
        rnn_real *data, *grad;
        int best[3] = {-1, -1, -1};
        data = nt.m.tensors[t].data;
        grad = nt.m.tensors[t].grad;
        n = nt.m.tensors[t].rows * nt.m.tensors[t].cols;
        for (i = 0; i < n; i++) /* the 3 largest |gradient| */
            for (k = 0; k < 3; k++)
                if (best[k] < 0 || fabs((double)grad[i]) > fabs((double)grad[best[k]])) {
                    int j;
                    for (j = 2; j > k; j--) best[j] = best[j - 1];
                    best[k] = i;
                    break;
                }
        for (k = 0; k < 3 && best[k] >= 0; k++) {
            rnn_real keep = data[best[k]];
            double a = (double)grad[best[k]], lp, lm, num, rel;
            data[best[k]] = (rnn_real)(keep + eps); lp = batch_loss(&nt, &b, y, p);
            data[best[k]] = (rnn_real)(keep - eps); lm = batch_loss(&nt, &b, y, p);
            data[best[k]] = keep;
            num = (lp - lm) / (2 * eps);
            rel = fabs(a - num) / (fabs(a) > fabs(num) ? fabs(a) : fabs(num) > 1e-4 ? fabs(num) : 1e-4);
            if (rel > worst) worst = rel;
            if (!cf->quiet)
                printf("  %-22s [%6d]  backprop %+.6f  finite differences %+.6f  relative difference %.1e\n",
                       nt.m.tensors[t].name, best[k], a, num, rel);
        }
    }
    *worst_out = worst;
    net_free(&nt);
    vocab_free(&v);
    return RNN_OK;
}

/* ---- training on one fold ------------------------------------------------------- */

typedef struct fold_result {
    double nb_test, nb_dev;          /* baseline accuracies                       */
    double test, dev;                /* the network at the epoch kept             */
    int best_epoch;
    double *curve;                   /* per epoch: train acc, dev acc, test acc   */
    double train_cpu;                /* seconds of CPU                            */
    long long tokens;                /* training tokens read                      */
} fold_result;

static int *sort_len_key;
static int cmp_by_len(const void *a, const void *b)
{
    int x = sort_len_key[*(const int *)a], y = sort_len_key[*(const int *)b];
    return x != y ? x - y : *(const int *)a - *(const int *)b;
}

typedef struct work {
    int *x, *mask; rnn_real *y, *p; int *lens;
} work;

/* accuracy of the network on the reviews idx[0..n-1] (batches of reviews of
   similar length, so little padding is read) */
static rnn_status net_accuracy(net *nt, const config *cf, const corpus *c, const vocab *v,
                               const int *idx, int n, work *w, int eval_B, double *acc)
{
    int *order = (int *)malloc(sizeof(int) * (size_t)n), i, right = 0, k;
    rnn_status st = RNN_OK;
    if (!order) return RNN_ERR_NOMEM;
    for (i = 0; i < n; i++) { order[i] = idx[i]; w->lens[idx[i]] = c->r[idx[i]].len; }
    sort_len_key = w->lens;
    qsort(order, (size_t)n, sizeof(int), cmp_by_len);
    for (i = 0; i < n && st == RNN_OK; i += eval_B) {
        int B = n - i < eval_B ? n - i : eval_B;
        rnn_batch b;
        memset(&b, 0, sizeof b);
        b.T = fill_batch(cf, c, v, order + i, B, w->x, w->mask, w->y);
        b.B = B; b.x_tokens = w->x; b.mask = cf->no_mask ? NULL : w->mask;
        rnn_reset_state(&nt->m);
        if ((st = net_forward(nt, &b, NULL, w->p, NULL)) != RNN_OK) break;
        for (k = 0; k < B; k++) right += (w->p[k] > (rnn_real)0.5) == (c->r[order[i + k]].label == 1);
    }
    free(order);
    *acc = n ? (double)right / n : 0;
    return st;
}

static rnn_status run_fold(const config *cf, const corpus *c, const int *fold_of, int f, fold_result *res,
                           net *keep, vocab *vkeep, nbayes *nbkeep)
{
    int K = cf->folds, n_tr = 0, n_dev = 0, n_te = 0, i, e, eval_B = 256;
    int *tr = (int *)malloc(sizeof(int) * (size_t)c->n * 3), *dev = tr + c->n, *te = dev + c->n;
    int Bmax = cf->batch > eval_B ? cf->batch : eval_B;
    int Tmax = cf->max_len;
    int *batches = NULL, n_batches;
    vocab v;
    nbayes nb;
    net nt;
    work w;
    rnn_real *best = NULL;
    rnn_rng rng;
    rnn_status st = RNN_OK;
    clock_t cpu0;
    memset(&w, 0, sizeof w);
    memset(&nt, 0, sizeof nt);
    memset(&v, 0, sizeof v);
    memset(&nb, 0, sizeof nb);
    if (!tr) return RNN_ERR_NOMEM;
    for (i = 0; i < c->n; i++) {
        if (fold_of[i] == f) te[n_te++] = i;
        else if (fold_of[i] == (f + 1) % K) dev[n_dev++] = i;
        else tr[n_tr++] = i;
    }
    /* the baseline */
    if (!nb_train(&nb, c, tr, n_tr)) { st = RNN_ERR_NOMEM; goto done; }
    res->nb_test = nb_accuracy(&nb, c, te, n_te);
    res->nb_dev = nb_accuracy(&nb, c, dev, n_dev);
    /* the network */
    if (!vocab_build(&v, c, tr, n_tr, cf->vocab, cf->min_count)) { st = RNN_ERR_NOMEM; goto done; }
    for (i = 0; i < c->n; i++) if (c->r[i].len > Tmax) Tmax = c->r[i].len;
    if (Tmax > cf->max_len) Tmax = cf->max_len;
    w.x = (int *)malloc(sizeof(int) * (size_t)Tmax * Bmax);
    w.mask = (int *)malloc(sizeof(int) * (size_t)Tmax * Bmax);
    w.y = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)Tmax * Bmax);
    w.p = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)Bmax);
    w.lens = (int *)malloc(sizeof(int) * (size_t)c->n);
    batches = (int *)malloc(sizeof(int) * (size_t)n_tr);
    if (!w.x || !w.mask || !w.y || !w.p || !w.lens || !batches) { st = RNN_ERR_NOMEM; goto done; }
    if ((st = net_init(&nt, cf, &v, (uint64_t)cf->seed * 1000 + (uint64_t)f)) != RNN_OK) goto done;
    best = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)nt.m.n_params);
    if (!best) { st = RNN_ERR_NOMEM; goto done; }
    if (!cf->quiet)
        printf("fold %d: %d training, %d dev, %d test reviews; vocabulary %d words + <pad> <unk>"
               " (of %d seen in training)\n"
               "  baseline (naive Bayes, unigrams + bigrams): dev %.1f%%, test %.1f%%\n",
               f, n_tr, n_dev, n_te, v.V - 2, c->words.n, 100 * res->nb_dev, 100 * res->nb_test);
    rnn_rng_seed(&rng, (uint64_t)cf->seed * 7919 + (uint64_t)f);
    res->dev = -1;
    res->tokens = 0;
    cpu0 = clock();
    for (e = 1; e <= cf->epochs; e++) {
        double loss_sum = 0, dev_acc, test_acc;
        long right = 0, seen = 0;
        int bi, window = 32 * cf->batch;
        clock_t e0 = clock();
        /* batches of similar length: shuffle, sort windows of 32 batches by
           length, cut them into batches, then shuffle the batches */
        for (i = n_tr - 1; i > 0; i--) {
            int j = (int)(rnn_rng_uniform(&rng) * (i + 1)), t = tr[i];
            tr[i] = tr[j]; tr[j] = t;
        }
        for (i = 0; i < n_tr; i++) w.lens[tr[i]] = c->r[tr[i]].len;
        sort_len_key = w.lens;
        for (i = 0; i < n_tr && !cf->no_buckets; i += window)
            qsort(tr + i, (size_t)(n_tr - i < window ? n_tr - i : window), sizeof(int), cmp_by_len);
        n_batches = (n_tr + cf->batch - 1) / cf->batch;
        for (i = 0; i < n_batches; i++) batches[i] = i * cf->batch;
        for (i = n_batches - 1; i > 0; i--) {
            int j = (int)(rnn_rng_uniform(&rng) * (i + 1)), t = batches[i];
            batches[i] = batches[j]; batches[j] = t;
        }
        for (bi = 0; bi < n_batches; bi++) {
            int s = batches[bi], B = n_tr - s < cf->batch ? n_tr - s : cf->batch, k;
            rnn_batch b;
            rnn_real loss;
            memset(&b, 0, sizeof b);
            b.T = fill_batch(cf, c, &v, tr + s, B, w.x, w.mask, w.y);
            b.B = B; b.x_tokens = w.x; b.mask = cf->no_mask ? NULL : w.mask;
            rnn_reset_state(&nt.m);                  /* h<0> = c<0> = 0 */
            rnn_zero_grad(&nt.m);
            rnn_set_training(&nt.m, &rng);           /* dropout on, if asked for */
            st = net_forward(&nt, &b, w.y, w.p, &loss);
            rnn_set_training(&nt.m, NULL);           /* evaluation: no dropout */
            if (st != RNN_OK) goto done;
            if ((st = net_backward(&nt)) != RNN_OK) goto done;
            net_update(&nt, (rnn_real)cf->clip);
            loss_sum += (double)loss * B;
            for (k = 0; k < B; k++) right += (w.p[k] > (rnn_real)0.5) == (c->r[tr[s + k]].label == 1);
            seen += B;
            res->tokens += (long long)b.T * B;
        }
        if ((st = net_accuracy(&nt, cf, c, &v, dev, n_dev, &w, eval_B, &dev_acc)) != RNN_OK) goto done;
        if ((st = net_accuracy(&nt, cf, c, &v, te, n_te, &w, eval_B, &test_acc)) != RNN_OK) goto done;
        res->curve[3 * e] = (double)right / seen;
        res->curve[3 * e + 1] = dev_acc;
        res->curve[3 * e + 2] = test_acc;
        if (dev_acc > res->dev) { /* early stopping: keep the weights of the best dev epoch */
            res->dev = dev_acc; res->test = test_acc; res->best_epoch = e;
            memcpy(best, nt.m.params, sizeof(rnn_real) * (size_t)nt.m.n_params);
        }
        if (!cf->quiet) {
            double sec = (double)(clock() - e0) / CLOCKS_PER_SEC;
            printf("  epoch %2d  loss %.4f  train %.1f%%  dev %.1f%%  test %.1f%%  %.1f s CPU%s\n", e,
                   loss_sum / seen, 100.0 * right / seen, 100 * dev_acc, 100 * test_acc, sec,
                   res->best_epoch == e ? "  (best dev so far)" : "");
            fflush(stdout);
        }
    }
    res->train_cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
    res->curve[0] = res->curve[1] = res->curve[2] = 0.5;
    memcpy(nt.m.params, best, sizeof(rnn_real) * (size_t)nt.m.n_params);
    if (keep) { *keep = nt; memset(&nt, 0, sizeof nt); *vkeep = v; memset(&v, 0, sizeof v); *nbkeep = nb; memset(&nb, 0, sizeof nb); }
done:
    net_free(&nt);
    vocab_free(&v);
    nb_free(&nb);
    free(best);
    free(w.x); free(w.mask); free(w.y); free(w.p); free(w.lens); free(batches);
    free(tr);
    return st;
}

/* ---- pictures (the canvas and the font are in lab.h) ----------------------- */

static const lab_rgb WHITE = {255, 255, 255}, BLACK = {30, 30, 30}, GREY = {150, 150, 150},
                 LIGHT = {225, 225, 225}, GREEN = {40, 150, 60}, RED = {210, 50, 40},
                 BLUE = {40, 90, 200}, ORANGE = {230, 130, 0}, PURPLE = {150, 60, 170};

/* sentiment_curves.png: accuracy per epoch of the kept fold's network on
   the training batches (as they were read), the dev fold and the test fold,
   with the baseline's test accuracy and Kim's 76.1% as flat lines. */
static int draw_curves(const config *cf, const fold_result *r)
{
    const int L = 70, W = 640, top = 40, ph = 360;
    lab_image im;
    int e, k, ok, y;
    double lo = 0.5, hi = 1.0;
    char label[96];
    static const double grid[] = {0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    lab_rgb col[3];
#define XE(e) (L + (int)((double)(e) * (W - 1) / cf->epochs))
#define YA(a) (top + (int)((hi - (a)) * (ph - 1) / (hi - lo)))
    col[0] = ORANGE; col[1] = BLUE; col[2] = RED;
    im.w = L + W + 30; im.h = top + ph + 80;
    if (!(im.p = (unsigned char *)malloc((size_t)im.w * im.h * 3))) return 0;
    lab_rect(&im, 0, 0, im.w, im.h, WHITE);
    snprintf(label, sizeof label, "accuracy per epoch, fold %d (%s%s, E %d, H %d)", cf->show_fold,
             cf->bidirectional ? "bidirectional " : "", cf->cell, cf->embed, cf->hidden);
    lab_text(&im, L, 10, label, BLACK, 1);
    for (k = 0; k < 6; k++) {
        y = YA(grid[k]);
        lab_rect(&im, L, y, L + W, y + 1, LIGHT);
        snprintf(label, sizeof label, "%.0f%%", 100 * grid[k]);
        lab_text(&im, L - 8 - lab_text_width(label, 1), y - 5, label, BLACK, 1);
    }
    for (e = 0; e <= cf->epochs; e++) {
        lab_rect(&im, XE(e), top + ph, XE(e) + 1, top + ph + 5, BLACK);
        if (cf->epochs <= 20 || e % 5 == 0) {
            snprintf(label, sizeof label, "%d", e);
            lab_text(&im, XE(e) - lab_text_width(label, 1) / 2, top + ph + 9, label, BLACK, 1);
        }
    }
    lab_text(&im, L + W - lab_text_width("epoch", 1), top + ph + 24, "epoch", BLACK, 1);
    lab_rect(&im, L, top + ph, L + W, top + ph + 1, BLACK);
    lab_line(&im, L, YA(r->nb_test), L + W, YA(r->nb_test), GREEN, 2, 6);   /* the baseline */
    lab_line(&im, L, YA(0.761), L + W, YA(0.761), PURPLE, 2, 6);           /* Kim 2014 */
    for (k = 0; k < 3; k++)
        for (e = 1; e <= cf->epochs; e++) {
            int x0 = XE(e - 1), x1 = XE(e);
            if (e == 1) { lab_rect(&im, x1 - 2, YA(r->curve[3 * e + k]) - 2, x1 + 3, YA(r->curve[3 * e + k]) + 3, col[k]); continue; }
            lab_line(&im, x0, YA(r->curve[3 * (e - 1) + k]), x1, YA(r->curve[3 * e + k]), col[k], 2, 0);
            lab_rect(&im, x1 - 2, YA(r->curve[3 * e + k]) - 2, x1 + 3, YA(r->curve[3 * e + k]) + 3, col[k]);
        }
    lab_rect(&im, XE(r->best_epoch), top, XE(r->best_epoch) + 1, top + ph, GREY);
    y = top + ph + 42;
    e = lab_text(&im, L, y, "train   ", ORANGE, 1);
    e = lab_text(&im, e, y, "dev   ", BLUE, 1);
    e = lab_text(&im, e, y, "test   ", RED, 1);
    snprintf(label, sizeof label, "naive Bayes test %.1f%%   ", 100 * r->nb_test);
    e = lab_text(&im, e, y, label, GREEN, 1);
    lab_text(&im, e, y, "Kim 2014 76.1%", PURPLE, 1);
    snprintf(label, sizeof label, "grey line: the epoch kept (best dev), %d", r->best_epoch);
    lab_text(&im, L, y + 16, label, GREY, 1);
#undef XE
#undef YA
    ok = !lab_save_png(&im, cf->images, "sentiment_curves.png");
    free(im.p);
    return ok;
}

/* The two leading principal components of the rows X (n, D), centred:
   power iteration on the covariance, the second after deflating the first. */
static void pca2(const double *X, int n, int D, double *pc /* (2, D) */)
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

/* sentiment_embedding.png: every word seen at least nn_min_count times in
   training, as a dot at its first two principal components; the colour is
   the baseline's log-ratio log P(w|pos) - log P(w|neg) (red negative, green
   positive), which the network never saw. The query words are labelled. */
static int draw_embedding(const config *cf, const net *nt, const vocab *v, const corpus *c,
                          const nbayes *nb, const int *query, int n_query)
{
    const int S = 620, M = 40;
    int D = cf->embed, n = 0, i, j, ok;
    int *rows = (int *)malloc(sizeof(int) * (size_t)v->V);
    double *X = (double *)malloc(sizeof(double) * (size_t)v->V * D), pc[2 * 1024];
    double *px = (double *)malloc(sizeof(double) * 2 * (size_t)v->V), xlo = 1e300, xhi = -1e300, ylo = 1e300, yhi = -1e300;
    lab_image im;
    char label[128];
    if (!rows || !X || !px || D > 1024) { free(rows); free(X); free(px); return 0; }
    for (i = 2; i < v->V; i++)
        if (v->count[v->from_model[i]] >= cf->nn_min_count) {
            for (j = 0; j < D; j++) X[(size_t)n * D + j] = (double)nt->m.E[(size_t)i * D + j];
            rows[n++] = i;
        }
    pca2(X, n, D, pc);
    for (i = 0; i < n; i++) {
        double a = 0, b = 0;
        for (j = 0; j < D; j++) { a += X[(size_t)i * D + j] * pc[j]; b += X[(size_t)i * D + j] * pc[D + j]; }
        px[2 * i] = a; px[2 * i + 1] = b;
        if (a < xlo) xlo = a;
        if (a > xhi) xhi = a;
        if (b < ylo) ylo = b;
        if (b > yhi) yhi = b;
    }
    if (xhi - xlo < 1e-9) xhi = xlo + 1;
    if (yhi - ylo < 1e-9) yhi = ylo + 1;
    im.w = S + 2 * M + 140; im.h = S + 2 * M + 60;
    if (!(im.p = (unsigned char *)malloc((size_t)im.w * im.h * 3))) { free(rows); free(X); free(px); return 0; }
    lab_rect(&im, 0, 0, im.w, im.h, WHITE);
    snprintf(label, sizeof label, "the learned embedding (E = %d) of the %d words seen %d+ times, by PCA", D, n, cf->nn_min_count);
    lab_text(&im, M, 10, label, BLACK, 1);
#define PX(a) (M + (int)(((a) - xlo) * (S - 1) / (xhi - xlo)))
#define PY(b) (M + 20 + (int)((yhi - (b)) * (S - 1) / (yhi - ylo)))
    for (i = 0; i < n; i++) {
        size_t s = nb_slot(nb, nb_key(v->from_model[rows[i]], -1));
        double lr = nb->key[s] ? nb_log_ratio(nb, s) : 0, f = lr / 2;
        lab_rgb col;
        if (f > 1) f = 1;
        if (f < -1) f = -1;
        col = f > 0 ? lab_mix(LIGHT, GREEN, f) : lab_mix(LIGHT, RED, -f);
        lab_rect(&im, PX(px[2 * i]) - 2, PY(px[2 * i + 1]) - 2, PX(px[2 * i]) + 3, PY(px[2 * i + 1]) + 3, col);
    }
    for (j = 0; j < n_query; j++)
        for (i = 0; i < n; i++)
            if (rows[i] == query[j]) {
                const char *w = c->words.word[v->from_model[rows[i]]];
                lab_rect(&im, PX(px[2 * i]) - 3, PY(px[2 * i + 1]) - 3, PX(px[2 * i]) + 4, PY(px[2 * i + 1]) + 4, BLACK);
                lab_text(&im, PX(px[2 * i]) + 6, PY(px[2 * i + 1]) - 5, w, BLACK, 1);
            }
    lab_text(&im, M, S + M + 30, "first principal component", BLACK, 1);
    lab_text(&im, M, S + M + 46, "colour: naive Bayes log-ratio of the word, red negative, green positive", BLACK, 1);
#undef PX
#undef PY
    ok = !lab_save_png(&im, cf->images, "sentiment_embedding.png");
    free(im.p); free(rows); free(X); free(px);
    return ok;
}

/* ---- main ------------------------------------------------------------------------ */

/* the query words (model ids) from the comma-separated list; unknown ones are said */
static int query_words(const config *cf, const corpus *c, const vocab *v, int *q, int cap)
{
    char buf[256], *tok;
    int n = 0;
    strcpy(buf, cf->words);
    for (tok = strtok(buf, ","); tok && n < cap; tok = strtok(NULL, ",")) {
        int id = dict_find(&c->words, tok);
        int mid = id >= 0 ? v->to_model[id] : UNK_ID;
        if (mid == UNK_ID) { printf("  (%s is not in the vocabulary)\n", tok); continue; }
        q[n++] = mid;
    }
    return n;
}

/* [embed.cosine] the nearest words of each query, among the words seen at
   least nn_min_count times (rarely seen words keep much of their random
   initial vector, so their cosines say little) */
static void print_neighbours(const config *cf, const net *nt, const vocab *v, const corpus *c,
                             const int *q, int n_q)
{
    int D = cf->embed, n = 0, i, j, k = 6;
    int *rows = (int *)malloc(sizeof(int) * (size_t)v->V), out[6];
    rnn_real *E = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)v->V * D), sims[6];
    if (!rows || !E) { free(rows); free(E); return; }
    for (i = 2; i < v->V; i++)
        if (v->count[v->from_model[i]] >= cf->nn_min_count) {
            memcpy(E + (size_t)n * D, nt->m.E + (size_t)i * D, sizeof(rnn_real) * D);
            rows[n++] = i;
        }
    printf("\nNearest words in the learned embedding of fold %d (cosine; among the %d words seen %d+ times):\n",
           cf->show_fold, n, cf->nn_min_count);
    for (j = 0; j < n_q; j++) {
        int self = -1;
        for (i = 0; i < n; i++) if (rows[i] == q[j]) self = i;
        rnn_nearest(out, sims, k, E, n, D, nt->m.E + (size_t)q[j] * D, self >= 0 ? &self : NULL, self >= 0);
        printf("  %-12s", c->words.word[v->from_model[q[j]]]);
        for (i = 0; i < k && out[i] >= 0; i++)
            printf(" %s (%.2f)", c->words.word[v->from_model[rows[out[i]]]], (double)sims[i]);
        printf("\n");
    }
    free(rows); free(E);
}

int main(int argc, char **argv)
{
    config c, defaults;
    corpus cp;
    int *fold_of = NULL, i, pr, status = 0, pos_neg = 0, n_pos = 0, f, f0, f1;
    fold_result *res = NULL;
    net keep;
    vocab vkeep;
    nbayes nbkeep;
    rnn_rng rng;
    rnn_status st;
    time_t wall0 = time(NULL);
    clock_t cpu0 = clock();

    memset(&c, 0, sizeof c);
    strcpy(c.data, "../shared/data/rt-polarity");
    strcpy(c.cell, "lstm"); strcpy(c.pad, "end"); strcpy(c.truncate, "end");
    c.layers = 1; c.embed = 64; c.hidden = 64; c.batch = 32; c.epochs = 6; c.max_len = 60;
    c.vocab = 20000; c.min_count = 2; c.folds = 10; c.fold = -1; c.show_fold = 0; c.seed = 1;
    c.lr = 0.001; c.clip = 5; c.embed_scale = 0.1; c.dropout_input = 0.2; c.dropout_recurrent = 0.2; c.nn_min_count = 20;
    strcpy(c.words, "good,bad,funny,boring,beautiful,worst,masterpiece,mess");
    strcpy(c.images, "docs/images");
    defaults = c;
    pr = lab_parse_options(PROG, options, N_OPTIONS, &c, argc, argv, NULL);
    if (pr == LAB_OPTIONS_HELP) { lab_usage(stdout, intro, options, N_OPTIONS, &defaults); return 0; }
    if (pr) return 2;
    if (c.fold >= c.folds) { fprintf(stderr, PROG ": --fold %d must be below --folds %d\n", c.fold, c.folds); return 2; }
    if (c.show_fold >= c.folds) { fprintf(stderr, PROG ": --show-fold %d must be below --folds %d\n", c.show_fold, c.folds); return 2; }
    if (c.fold >= 0) c.show_fold = c.fold;

    memset(&cp, 0, sizeof cp);
    if (!load_corpus(&cp, c.data, &pos_neg)) {
        if (pos_neg == 0 && !strcmp(c.data, defaults.data))
            fprintf(stderr, PROG ": (get the \"sentence polarity dataset v1.0\" of Pang & Lee from\n"
                            "  https://www.cs.cornell.edu/people/pabo/movie-review-data/ and give its\n"
                            "  directory with --data)\n");
        corpus_free(&cp);
        return 1;
    }
    for (i = 0; i < cp.n; i++) n_pos += cp.r[i].label;
    if (n_pos == 0 || n_pos == cp.n) {
        fprintf(stderr, PROG ": %s has only %s reviews; both labels are needed\n", c.data, n_pos ? "positive" : "negative");
        corpus_free(&cp); return 1;
    }
    if (cp.n < 2 * c.folds) {
        fprintf(stderr, PROG ": %s has %d reviews, too few for %d folds (at least %d)\n", c.data, cp.n, c.folds, 2 * c.folds);
        corpus_free(&cp); return 1;
    }
    if (c.check_gradient) {
        double worst;
        if ((st = check_gradient(&c, &cp, &worst)) != RNN_OK) { fprintf(stderr, PROG ": %s\n", rnn_status_string(st)); return 1; }
        printf("gradient check (%s%s): worst relative difference %.2e\n", c.bidirectional ? "bidirectional " : "",
               c.cell, worst);
        corpus_free(&cp);
        return 0;
    }
    printf("Sentiment (decks D0, D3): Embedding + %s%s + sigmoid, Adam, binary cross-entropy,\n"
           "many-to-one over reviews of different lengths (padded at the %s, masked%s).\n",
           c.bidirectional ? "bidirectional " : "", !strcmp(c.cell, "gru") ? "GRU" : "LSTM", c.pad,
           c.no_mask ? ": NO, --no-mask" : "");
    printf("data: %s: %d reviews (%d positive, %d negative), %lld words, %d distinct\n",
           c.data, cp.n, n_pos, cp.n - n_pos, cp.tokens, cp.words.n);
    printf("model: E %d, H %d, %d layer%s, dropout %g on inputs and %g on h<t-1>; vocabulary: words\n"
           "seen %d+ times in training (at most %d); reviews cut to %d words; batch %d, %d epochs,\n"
           "Adam lr %g, clip %g; %d folds, seed %d\n\n",
           c.embed, c.hidden, c.layers, c.layers > 1 ? "s" : "", c.dropout_input, c.dropout_recurrent,
           c.min_count, c.vocab, c.max_len, c.batch, c.epochs, c.lr, c.clip, c.folds, c.seed);
    fflush(stdout);

    /* deal the shuffled reviews into the folds */
    fold_of = (int *)malloc(sizeof(int) * (size_t)cp.n);
    res = (fold_result *)calloc((size_t)c.folds, sizeof(fold_result));
    if (!fold_of || !res) { fprintf(stderr, PROG ": out of memory\n"); return 1; }
    {
        int *perm = (int *)malloc(sizeof(int) * (size_t)cp.n);
        if (!perm) { fprintf(stderr, PROG ": out of memory\n"); return 1; }
        rnn_rng_seed(&rng, (uint64_t)c.seed);
        for (i = 0; i < cp.n; i++) perm[i] = i;
        for (i = cp.n - 1; i > 0; i--) {
            int j = (int)(rnn_rng_uniform(&rng) * (i + 1)), t = perm[i];
            perm[i] = perm[j]; perm[j] = t;
        }
        for (i = 0; i < cp.n; i++) fold_of[perm[i]] = i % c.folds;
        free(perm);
    }
    f0 = c.fold < 0 ? 0 : c.fold; f1 = c.fold < 0 ? c.folds - 1 : c.fold;
    memset(&keep, 0, sizeof keep);
    memset(&vkeep, 0, sizeof vkeep);
    memset(&nbkeep, 0, sizeof nbkeep);
    for (f = f0; f <= f1; f++) {
        if (!(res[f].curve = (double *)calloc((size_t)3 * (c.epochs + 1), sizeof(double)))) {
            fprintf(stderr, PROG ": out of memory\n"); return 1;
        }
        st = run_fold(&c, &cp, fold_of, f, &res[f], f == c.show_fold ? &keep : NULL, &vkeep, &nbkeep);
        if (st != RNN_OK) {
            fprintf(stderr, PROG ": fold %d: %s\n", f, rnn_status_string(st));
            return 1;
        }
        printf("fold %d: network %.1f%% (epoch %d, chosen on dev), baseline %.1f%%; %.1f s CPU, %.0f words/s\n",
               f, 100 * res[f].test, res[f].best_epoch, 100 * res[f].nb_test, res[f].train_cpu,
               res[f].tokens / (res[f].train_cpu > 0 ? res[f].train_cpu : 1e-9));
        fflush(stdout);
    }
    if (c.fold < 0) {
        double s[2] = {0, 0}, s2[2] = {0, 0};
        for (f = 0; f < c.folds; f++) {
            s[0] += res[f].test; s2[0] += res[f].test * res[f].test;
            s[1] += res[f].nb_test; s2[1] += res[f].nb_test * res[f].nb_test;
        }
        printf("\n%d-fold cross-validation, test accuracy, mean (standard deviation over folds):\n", c.folds);
        for (i = 0; i < 2; i++) {
            double m = s[i] / c.folds, sd = sqrt(fabs(s2[i] / c.folds - m * m) * c.folds / (c.folds - 1));
            printf("  %-34s %.1f%% (%.1f)\n", i ? "naive Bayes, unigrams + bigrams" : "the network", 100 * m, 100 * sd);
        }
    } else {
        printf("\ntest accuracy on fold %d of %d (%d reviews), the epoch chosen on fold %d:\n",
               c.fold, c.folds, (cp.n + c.folds - 1 - c.fold) / c.folds, (c.fold + 1) % c.folds);
        printf("  %-34s %.1f%%\n  %-34s %.1f%%\n", "the network", 100 * res[c.fold].test,
               "naive Bayes, unigrams + bigrams", 100 * res[c.fold].nb_test);
    }
    printf("  %-34s 76.1%% (10-fold, Kim 2014)\n", "CNN, random embeddings");

    printf("(the network's number is at the epoch of best dev accuracy, chosen on the dev fold)\n");
    {   /* what the embedding learned (the network of fold --show-fold) */
        int q[64], nq = query_words(&c, &cp, &vkeep, q, 64);
        print_neighbours(&c, &keep, &vkeep, &cp, q, nq);
        if (!c.no_images) {
            printf("\n");
            if (!draw_curves(&c, &res[c.show_fold])) status = 1;
            if (!draw_embedding(&c, &keep, &vkeep, &cp, &nbkeep, q, nq)) status = 1;
        }
    }
    printf("\ntime: %.0f s wall, %.1f s CPU\n", difftime(time(NULL), wall0), (double)(clock() - cpu0) / CLOCKS_PER_SEC);
    net_free(&keep); vocab_free(&vkeep); nb_free(&nbkeep);
    for (f = 0; f < c.folds; f++) free(res[f].curve);
    free(res); free(fold_of);
    corpus_free(&cp);
    return status;
}
