/* names.c - name recognition, the many-to-many task of deck D1 ("6.1.
   Aplicaciones", "6.2. Recurrent Neural Network"): tag every word of a
   sentence as part of a name or not, with a one-way and a bidirectional
   LSTM, and see why the slide needs the second.

   The slide lists "Reconocimiento de nombres": "Ayer, Harry Potter conoció
   a Hermione Granger", one label per word (Tx = Ty), and then shows
       He said "Teddy Roosevelt was a great President"
       He said "Teddy bears are on sale!"
   An RNN that reads from left to right must say whether "Teddy" is a name
   when it has read "He said Teddy", before "Roosevelt" or "bears"; a
   bidirectional RNN says it after reading the whole sentence both ways.

   The data: the tagged Brown corpus (make build/brown); a word is a name
   when its tag is a proper noun (names_data.h says exactly which tags).
   Words are ids in a vocabulary of the training files; a word outside it
   is <Unk> if capitalised (<unk>, <UNK>, <unk0> for the other shapes), so
   the network still sees the capital of a name it has never met, and in
   training a word seen n times is shown as unknown with probability
   A/(A+n) (word dropout, Kiperwasser & Goldberg 2016), so that it learns
   what to do with one. What rnn.h does:
     [embed.lookup]      e<t> = E[word], a table learned from scratch;
     [arch.many-to-many] an output y^<t> = sigma(W a<t> + b) at every word;
     [birnn]             y^<t> = sigma(W [a->(t), a<-(t)] + b) when the
                         model is bidirectional (desc.bidirectional);
     [loss.bce]          the slide's loss, L<t> = -y log y^ - (1-y) log(1-y^),
                         summed over the words ([loss.sum]);
     [embed.pad]         sentences of different lengths share a batch: the
                         short ones are padded and the batch's mask marks the
                         padding, which changes no state and has no loss
                         (--check-mask shows it).
   names_data.h holds what is not the lesson: the corpus reader, the
   vocabulary, F1, the baselines and the pictures; docs/guide/names.md the
   results. Build and run (a few minutes of one core; --help lists options):
       make build/brown build/names && ./build/names */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "lab.h"          /* options, outputs, cell names, CPU time    */
#include "lab_plot.h"     /* the canvas and PNG files                  */
#include "names_data.h"   /* the corpus, F1, baselines, the pictures   */

typedef struct config {
    char data[512], out[512], cell[8], unknown[8];
    int embed, hidden, min_count, epochs, batch, seeds, seed, evals, sentence;
    double lr, clip, word_dropout;
    int no_images, quiet, check_mask, help;
} config;

#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--data", "DIR", LAB_TEXT, OFF(data), 0, 512, "the Brown corpus: files ca01 .. cr09 (make build/brown)", 0},
    {"--cell", "lstm|gru", LAB_CHOICE, OFF(cell), 0, 8, "the recurrent cell of both models", 0},
    {"--embed", "E", LAB_INT, OFF(embed), 1, 512, "word embedding size", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 512, "hidden units (per direction)", 0},
    {"--min-count", "N", LAB_INT, OFF(min_count), 1, 1000, "a word is in the vocabulary if seen N times in training", 0},
    {"--unknown", "shape|one", LAB_CHOICE, OFF(unknown), 0, 8,
     "unknown words: <unk> <Unk> <UNK> <unk0> by their shape, or one <unk>", 0},
    {"--word-dropout", "A", LAB_REAL, OFF(word_dropout), 0, 1000,
     "in training, a word seen n times is shown as unknown with probability A/(A+n)", 0},
    {"--epochs", "N", LAB_INT, OFF(epochs), 1, 100, "passes over the training sentences", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 1024, "sentences per update", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-3, 1e6, "clip the gradient's global norm to X", 0},
    {"--seeds", "N", LAB_INT, OFF(seeds), 1, MAX_SEEDS, "train each model from N seeds", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the first seed (weights and batch order)", 0},
    {"--evals", "N", LAB_INT, OFF(evals), 1, MAX_EVALS, "validation F1 measured N times per run (the curve)", 0},
    {"--sentence", "N", LAB_INT, OFF(sentence), -1, 1e9,
     "the test sentence of the word picture (-1: where the two models differ most)", 0},
    {"--out", "DIR", LAB_TEXT, OFF(out), 0, 512, "where the pictures go", 0},
    {"--no-images", NULL, LAB_FLAG, OFF(no_images), 0, 1, "draw no pictures", 0},
    {"--quiet", NULL, LAB_FLAG, OFF(quiet), 0, 1, "no line per run", 0},
    {"--check-mask", NULL, LAB_FLAG, OFF(check_mask), 0, 1,
     "check that padding changes nothing ([embed.pad]), then exit", 0},
    {"--help", NULL, LAB_FLAG, OFF(help), 0, 1, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

/* The slide's two sentences, six made for this lab, and the example of
   slide 6.1 in English; tokenised as Brown is (quotes are `` and ''). `at`
   is the word to decide, `name` its answer. */
static const struct { const char *text; int at, name; const char *from; } teddy[] = {
    {"He said `` Teddy Roosevelt was a great President ''", 3, 1, "slide 6.2"},
    {"He said `` Teddy bears are on sale ! ''", 3, 0, "slide 6.2"},
    {"Teddy Roosevelt was a great President .", 0, 1, "lab"},
    {"Teddy bears are on sale !", 0, 0, "lab"},
    {"She said `` Rose Kennedy was a great mother ''", 3, 1, "lab"},
    {"She said `` Rose bushes are on sale ! ''", 3, 0, "lab"},
    {"He said `` Jack Kennedy was a great President ''", 3, 1, "lab"},
    {"He said `` Jack rabbits are on sale ! ''", 3, 0, "lab"},
    {"Yesterday , Harry Potter met Hermione Granger .", 2, 1, "slide 6.1"},
};
#define N_TEDDY LAB_COUNT(teddy)

/* [embed.pad] The sentences rows[0..B-1] as one batch: x (T, B) word ids,
   y (T, B, 1) 1 for a name, mask (T, B) 0 past the end of a sentence
   shorter than T, the longest. Returns T. */
static int fill_batch(const names_data *d, const int *rows, int B, batch_buf *bb)
{
    int T = 0, b, t;
    for (b = 0; b < B; b++) if (d->s[rows[b]].len > T) T = d->s[rows[b]].len;
    for (t = 0; t < T; t++)
        for (b = 0; b < B; b++) {
            const sentence *s = &d->s[rows[b]];
            size_t i = (size_t)t * B + b;
            bb->mask[i] = t < s->len;
            bb->x[i] = bb->mask[i] ? token_of(d, s->w[t]) : PAD_ID;
            bb->y[i] = bb->mask[i] ? s->name[t] : 0;
        }
    return T;
}

/* Tags every sentence of a part, B at a time: a forward without targets
   leaves P(name) in m->y, (T, B, 1). A word is tagged a name when P >= 0.5.
   Scores the part; keeps each word's P in p (if not NULL). */
static rnn_status tag_part(rnn_model *m, const names_data *d, int part, int B, batch_buf *bb, score *sc, float *p)
{
    int i, b, t, n = d->n_sent[part];
    rnn_status st;
    memset(sc, 0, sizeof *sc);
    for (i = 0; i < n; i += B) {
        const int *rows = d->order[part] + i;
        rnn_batch bt = {0};
        bt.B = n - i < B ? n - i : B;
        bt.T = fill_batch(d, rows, bt.B, bb);
        bt.x_tokens = bb->x; bt.mask = bb->mask;
        rnn_reset_state(m);                          /* h<0> = c<0> = 0: new sentences */
        if ((st = rnn_forward(m, &bt, NULL)) != RNN_OK) return st;
        for (b = 0; b < bt.B; b++)
            for (t = 0; t < d->s[rows[b]].len; t++) {
                double pn = m->y[(size_t)t * bt.B + b];
                score_add(sc, d->s[rows[b]].name[t], pn >= 0.5, bb->x[(size_t)t * bt.B + b] < FIRST_WORD_ID,
                          t > 0 && d->s[rows[b]].name[t - 1]);
                if (p) p[d->at[rows[b]] + t] = (float)pn;
            }
    }
    score_finish(sc);
    return RNN_OK;
}

static rnn_model_desc model_desc(const config *c, const names_data *d, int bi, int seed)
{
    rnn_model_desc md;
    memset(&md, 0, sizeof md);
    md.cell = !strcmp(c->cell, "gru") ? RNN_GRU : RNN_LSTM;
    md.input_size = d->V;            /* word ids 0 .. V-1                         */
    md.embed_size = c->embed;        /* [embed.lookup] learned from scratch        */
    md.hidden_size = c->hidden;      /* per direction                             */
    md.bidirectional = bi;           /* [birnn]                                   */
    md.output_size = 1;              /* [arch.many-to-many] one P(name) per word   */
    md.output = RNN_SIGMOID;         /* [loss.bce], as on the slide               */
    md.seed = (uint64_t)seed;
    return md;
}

/* Trains one model: epochs over the training batches (in an order drawn
   from the seed, the same for both models), Adam with a learning rate that
   falls linearly to 0, clipping; validation F1 c->evals times along the
   way. Both models get the same updates on the same batches: the same
   budget. */
static rnn_status train(run *r, const config *c, const names_data *d, batch_buf *bb)
{
    rnn_model_desc md = model_desc(c, d, r->bi, r->seed);
    rnn_optim opt;
    rnn_optim_desc od;
    rnn_rng rng;
    rnn_status st;
    int B = c->batch, n = d->n_sent[PART_TRAIN], nb = (n + B - 1) / B, e, k, step = 0, *perm;
    long steps = (long)c->epochs * nb;
    double words = 0, loss_sum = 0;
    score v;
    memset(&od, 0, sizeof od);
    od.kind = RNN_ADAM; od.lr = (rnn_real)c->lr;
    if ((st = rnn_model_init(&r->m, &md)) != RNN_OK) return st;
    if ((st = rnn_optim_init(&opt, &od, r->m.n_params)) != RNN_OK) return st;
    if (!(perm = (int *)malloc(sizeof(int) * (size_t)nb))) return RNN_ERR_NOMEM;
    rnn_rng_seed(&rng, (uint64_t)r->seed);
    for (k = 0; k < nb; k++) perm[k] = k;
    for (e = 0; e < c->epochs; e++) {
        for (k = nb - 1; k > 0; k--) {               /* shuffle the batches */
            int j = (int)(rnn_rng_next(&rng) % (uint64_t)(k + 1)), tmp = perm[k];
            perm[k] = perm[j]; perm[j] = tmp;
        }
        words = loss_sum = 0;
        for (k = 0; k < nb; k++) {
            double t0 = lab_cpu_seconds();
            rnn_batch bt = {0};
            rnn_real loss;
            int first = perm[k] * B, w;
            bt.B = n - first < B ? n - first : B;
            bt.T = fill_batch(d, d->order[PART_TRAIN] + first, bt.B, bb);
            bt.x_tokens = bb->x; bt.y = bb->y; bt.mask = bb->mask;
            if (c->word_dropout > 0) /* word dropout: a rare word is shown as unknown now and then */
                for (w = 0; w < bt.B; w++) {
                    const sentence *s = &d->s[d->order[PART_TRAIN][first + w]];
                    int t;
                    for (t = 0; t < s->len; t++)
                        if (rnn_rng_uniform(&rng) < c->word_dropout / (c->word_dropout + d->count[s->w[t]]))
                            bb->x[(size_t)t * bt.B + w] = unknown_token(d, s->w[t]);
                }
            rnn_reset_state(&r->m);
            rnn_zero_grad(&r->m);
            if ((st = rnn_forward(&r->m, &bt, &loss)) != RNN_OK) break; /* RNN_ERR_NAN: diverged */
            rnn_backward(&r->m);                                       /* [bptt.*] */
            rnn_clip_by_global_norm(&r->m, (rnn_real)c->clip);         /* [clip.norm] */
            opt.desc.lr = (rnn_real)(c->lr * (1 - (double)step / steps)); /* falls linearly to 0 */
            rnn_optim_step(&opt, r->m.params, r->m.grads);
            r->cpu += lab_cpu_seconds() - t0;
            for (w = 0; w < bt.B; w++) words += d->s[d->order[PART_TRAIN][first + w]].len;
            loss_sum += (double)loss * bt.B;                            /* the loss is a mean over B */
            if (++step * (long)c->evals >= (r->n_evals + 1) * steps) { /* a point of the curve */
                if ((st = tag_part(&r->m, d, PART_VALID, 64, bb, &v, NULL)) != RNN_OK) break;
                r->t[r->n_evals] = r->cpu; r->f1[r->n_evals++] = 100 * v.f1;
            }
        }
        if (st != RNN_OK) break;
    }
    r->loss = words > 0 ? loss_sum / words : 0;
    free(perm);
    rnn_optim_free(&opt);
    if (st == RNN_OK && !(r->p = (float *)malloc(sizeof(float) * (size_t)d->n_words[PART_TEST]))) st = RNN_ERR_NOMEM;
    if (st == RNN_OK) st = tag_part(&r->m, d, PART_TEST, 64, bb, &r->test, r->p);
    return st;
}

/* P(name) of each word of one sentence (words split at spaces) into p. */
static int tag_text(rnn_model *m, const names_data *d, const char *text, char words[][32], double *p)
{
    int x[64], n = 0, t;
    const char *s = text;
    rnn_batch bt = {0};
    while (*s && n < 64) {
        size_t len = strcspn(s, " ");
        snprintf(words[n], 32, "%.*s", (int)len, s);
        x[n] = token_of_text(d, words[n]);
        n++;
        s += len + (s[len] == ' ');
    }
    bt.T = n; bt.B = 1; bt.x_tokens = x;
    rnn_reset_state(m);
    if (rnn_forward(m, &bt, NULL) != RNN_OK) return 0;
    for (t = 0; t < n; t++) p[t] = m->y[t];
    return n;
}


/* The slide's experiment: P(name) at every word of the Teddy sentences,
   the mean over the seeds, one-way above bidirectional; then P(name) at
   the word to decide, seed by seed. The one-way model's P(name) at "Teddy"
   depends on the words up to "Teddy" only, so it is the same in both
   sentences of a pair; the bidirectional model has read the next word. */
static void print_teddy(const names_data *d, run *const *runs, int seeds, double mean[][2][64],
                        char words[][64][32], int *len)
{
    int i, s, bi, t;
    double p[64], at[2][MAX_SEEDS];
    printf("\nTeddy: P(name) at each word, mean over %d seed%s (the word to decide in [ ])\n", seeds, seeds > 1 ? "s" : "");
    for (i = 0; i < N_TEDDY; i++) {
        for (bi = 0; bi < 2; bi++)
            for (s = 0; s < seeds; s++) {
                len[i] = tag_text(&runs[bi][s].m, d, teddy[i].text, words[i], p);
                for (t = 0; t < len[i]; t++) mean[i][bi][t] = (s ? mean[i][bi][t] : 0) + p[t] / seeds;
                at[bi][s] = p[teddy[i].at];
            }
        print_tagged(teddy[i].from, words[i], len[i], teddy[i].at, mean[i][0], mean[i][1]);
        printf("  at \"%s\" (%s), seed by seed: one-way", words[i][teddy[i].at], teddy[i].name ? "a name" : "not a name");
        for (s = 0; s < seeds; s++) printf(" %.2f", at[0][s]);
        printf(", bidirectional");
        for (s = 0; s < seeds; s++) printf(" %.2f", at[1][s]);
        printf("\n\n");
    }
}

int main(int argc, char **argv)
{
    config c, defaults;
    names_data d;
    batch_buf bb;
    run *runs[2];
    score capital, frequent;
    static double teddy_p[N_TEDDY][2][64];
    static char teddy_words[N_TEDDY][64][32];
    static unsigned char teddy_gold[N_TEDDY][64];  /* the names: the word to decide and the next */
    int teddy_len[N_TEDDY], s, bi, pr, status = 0;
    size_t cap;
    const char *cell;
    double cpu0 = lab_cpu_seconds();

    memset(&c, 0, sizeof c);
    strcpy(c.data, "build/brown"); strcpy(c.out, "build"); strcpy(c.cell, "lstm"); strcpy(c.unknown, "shape");
    c.embed = 32; c.hidden = 32; c.min_count = 2; c.epochs = 3; c.batch = 64; c.seeds = 3; c.seed = 1;
    c.evals = 8; c.sentence = -1; c.lr = 0.01; c.clip = 5; c.word_dropout = 1;
    defaults = c;
    pr = lab_parse_options("names", options, N_OPTIONS, &c, argc, argv, NULL);
    if (pr == LAB_OPTIONS_HELP) {
        lab_usage(stdout, "usage: names [options]\nName recognition on the tagged Brown corpus (deck D1): a one-way and a\n"
                  "bidirectional LSTM tag every word as a name or not. Options (default in brackets):\n",
                  options, N_OPTIONS, &defaults);
        return 0;
    }
    if (pr) return 2;
    if (!strcmp(c.data, "build/brown")) { /* the default: the project's build/brown, from any folder */
        char p[600];
        size_t n = strlen(lab_project_file("build/brown/CONTENTS", p, sizeof p)) - strlen("/CONTENTS");
        if (n < sizeof c.data) { p[n] = 0; strcpy(c.data, p); }
    }
    cell = !strcmp(c.cell, "gru") ? "GRU" : "LSTM";
    if (!read_brown(&d, c.data) || !build_vocab(&d, c.min_count, !strcmp(c.unknown, "one"))) {
        names_data_free(&d);
        return 1;
    }
    cap = (size_t)d.max_len * (size_t)(c.batch > 64 ? c.batch : 64);
    bb.x = (int *)malloc(sizeof(int) * cap); bb.mask = (int *)malloc(sizeof(int) * cap);
    bb.y = (rnn_real *)malloc(sizeof(rnn_real) * cap);
    runs[0] = (run *)calloc((size_t)c.seeds, sizeof(run)); runs[1] = (run *)calloc((size_t)c.seeds, sizeof(run));
    if (!bb.x || !bb.mask || !bb.y || !runs[0] || !runs[1]) {
        fprintf(stderr, "names: out of memory\n");
        free_all(runs, c.seeds, &bb, &d);
        return 1;
    }
    print_data(&d, c.data, c.min_count);
    if (c.check_mask) {
        for (bi = 0; bi < 2; bi++) {
            rnn_model_desc md = model_desc(&c, &d, bi, c.seed);
            status |= check_mask(&d, &md, bi ? "bidirectional" : "one-way", &bb);
        }
        free_all(runs, c.seeds, &bb, &d);
        return status;
    }

    capital = score_baseline(&d, PART_TEST, tag_capital);
    frequent = score_baseline(&d, PART_TEST, tag_frequent);
    printf("model: embedding %d + %s %d per direction + sigmoid; Adam lr %g falling to 0, clip %g, %d epochs of batches of %d sentences,\n"
           "       word dropout A/(A+n) with A = %g\n", c.embed, cell, c.hidden, c.lr, c.clip, c.epochs, c.batch, c.word_dropout);
    for (s = 0; s < c.seeds; s++)
        for (bi = 0; bi < 2; bi++) {
            run *r = &runs[bi][s];
            rnn_status st;
            r->bi = bi; r->seed = c.seed + s;
            if ((st = train(r, &c, &d, &bb)) != RNN_OK) {
                if (st == RNN_ERR_NAN) fprintf(stderr, "names: the %s model of seed %d diverged (the loss is not finite); try a smaller --lr\n", bi ? "bidirectional" : "one-way", r->seed);
                else fprintf(stderr, "names: %s\n", rnn_status_string(st));
                free_all(runs, c.seeds, &bb, &d);
                return 1;
            }
            if (!c.quiet)
                printf("  %-13s seed %d: %d parameters, %.1f s CPU (%.0f words/s), loss per word %.4f, validation F1 %.1f%%, test F1 %.1f%%\n",
                       bi ? "bidirectional" : "one-way", r->seed, r->m.n_params, r->cpu,
                       c.epochs * (double)d.n_words[PART_TRAIN] / (r->cpu > 0 ? r->cpu : 1e-9), r->loss,
                       r->f1[r->n_evals - 1], 100 * r->test.f1);
            fflush(stdout);
        }
    print_table(&d, &capital, &frequent, runs, c.seeds, cell);
    print_teddy(&d, runs, c.seeds, teddy_p, teddy_words, teddy_len);
    if (!c.no_images) {
        const char *titles[2];
        for (s = 0; s < N_TEDDY; s++) teddy_gold[s][teddy[s].at] = teddy_gold[s][teddy[s].at + 1] = (unsigned char)teddy[s].name;
        titles[0] = "the slide: He said \"Teddy Roosevelt was a great President\"";
        titles[1] = "the slide: He said \"Teddy bears are on sale!\"";
        status |= draw_pictures(c.out, c.sentence, &d, runs, c.seeds, cell, teddy_p, teddy_words, teddy_len, teddy_gold, titles);
    }
    printf("time: %.1f s CPU\n", lab_cpu_seconds() - cpu0);
    free_all(runs, c.seeds, &bb, &d);
    return status;
}
