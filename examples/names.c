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
   vocabulary, F1, the baselines, what is printed and the pictures;
   lab_options.h the options; docs/guide/names.md the results. Build and run (a few minutes of one core; --help lists options):
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
    char data[512], cell[8], unknown[8];
    int embed, hidden, min_count, epochs, batch, seeds, seed, evals, sentence;
    double lr, clip, word_dropout;
    int check_mask;
    lab_common lab;                       /* --out, --images, --no-images, --quiet, --help */
} config;

#define LAB_OPTIONS_NAMES
#include "lab_options.h"   /* the option table: options, N_OPTIONS, intro (--help) */

/* The slide's two sentences, six made for this lab, and the example of
   slide 6.1 in English; tokenised as Brown is (quotes are `` and ''). `at`
   is the word to decide, `name` its answer. */
static const teddy_sentence teddy[] = {
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
    char what[32];
    memset(&od, 0, sizeof od);
    od.kind = RNN_ADAM; od.lr = (rnn_real)c->lr;
    snprintf(what, sizeof what, "%s seed %d", r->bi ? "bidirectional" : "one-way", r->seed);
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
            st = rnn_forward(&r->m, &bt, &loss);   /* [loss.sum] over the words, a mean over B */
            /* a sound run stays near ln 2 per word: 100 times that is far above */
            if (lab_diverged(what, step + 1, st, (double)loss, 100 * log(2.0) * bt.T)) st = RNN_ERR_NAN;
            if (st != RNN_OK) break;
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

/* The slide's experiment: P(name) at every word of the Teddy sentences,
   the mean over the seeds (mean[i][0] one-way, mean[i][1] bidirectional),
   and P(name) at the word to decide, seed by seed (at[i][bi][s]). The
   one-way model's P(name) at "Teddy" depends on the words up to "Teddy"
   only, so it is the same in both sentences of a pair; the bidirectional
   model has read the next word. */
static void run_teddy(const names_data *d, run *const *runs, int seeds, double mean[][2][64],
                      char words[][64][32], int *len, double at[][2][MAX_SEEDS])
{
    int i, s, bi, t;
    double p[64];
    for (i = 0; i < N_TEDDY; i++)
        for (bi = 0; bi < 2; bi++)
            for (s = 0; s < seeds; s++) {
                len[i] = tag_text(&runs[bi][s].m, d, teddy[i].text, words[i], p);
                for (t = 0; t < len[i]; t++) mean[i][bi][t] = (s ? mean[i][bi][t] : 0) + p[t] / seeds;
                at[i][bi][s] = p[teddy[i].at];
            }
}

int main(int argc, char **argv)
{
    config c = {"build/brown", "lstm", "shape", .embed = 32, .hidden = 32, .min_count = 2, .epochs = 3, .batch = 64,
                .seeds = 3, .seed = 1, .evals = 8, .sentence = -1, .lr = 0.01, .clip = 5, .word_dropout = 1,
                .lab.out = LAB_DEFAULT_OUT};
    names_data d;
    batch_buf bb;
    run *runs[2];
    score capital, frequent;
    static double teddy_p[N_TEDDY][2][64], teddy_at[N_TEDDY][2][MAX_SEEDS];
    static char teddy_words[N_TEDDY][64][32];
    static unsigned char teddy_gold[N_TEDDY][64];  /* the names: the word to decide and the next */
    int teddy_len[N_TEDDY], s, bi, rc, status = 0;
    const char *cell;
    double cpu0 = lab_cpu_seconds();

    if ((rc = lab_options("names", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, NULL)) != LAB_GO) return rc;
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
    runs[0] = (run *)calloc((size_t)c.seeds, sizeof(run)); runs[1] = (run *)calloc((size_t)c.seeds, sizeof(run));
    if (!batch_buf_alloc(&bb, (size_t)d.max_len * (size_t)(c.batch > 64 ? c.batch : 64)) || !runs[0] || !runs[1]) {
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
                if (st != RNN_ERR_NAN) fprintf(stderr, "names: %s\n", rnn_status_string(st));   /* diverged: said why */
                free_all(runs, c.seeds, &bb, &d);
                return 1;
            }
            if (!c.lab.quiet) print_run(r, c.epochs * (double)d.n_words[PART_TRAIN]);
        }
    print_table(&d, &capital, &frequent, runs, c.seeds, cell);
    run_teddy(&d, runs, c.seeds, teddy_p, teddy_words, teddy_len, teddy_at);
    print_teddy(teddy, N_TEDDY, c.seeds, teddy_p, teddy_words, teddy_len, teddy_at);
    if (!c.lab.no_images) {
        const char *titles[2];
        for (s = 0; s < N_TEDDY; s++) teddy_gold[s][teddy[s].at] = teddy_gold[s][teddy[s].at + 1] = (unsigned char)teddy[s].name;
        titles[0] = "the slide: He said \"Teddy Roosevelt was a great President\"";
        titles[1] = "the slide: He said \"Teddy bears are on sale!\"";
        status |= draw_pictures(lab_images_dir(&c.lab), c.sentence, &d, runs, c.seeds, cell, teddy_p, teddy_words, teddy_len, teddy_gold, titles);
    }
    printf("time: %.1f s CPU\n", lab_cpu_seconds() - cpu0);
    free_all(runs, c.seeds, &bb, &d);
    return status;
}
