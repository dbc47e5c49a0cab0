/* charlm.c - a character language model on any UTF-8 text: the lab of decks
   D0 and D4, where an LSTM writes Shakespeare and Linux kernel code.

   Deck D4 builds the language model in two steps. First the chain rule
   [lm.chain], P(w_1..w_n) = prod_i P(w_i | w_1..w_i-1), and the n-gram
   approximation [lm.ngram] that keeps only the last n-1 symbols and counts.
   Then the RNN, which keeps the whole past in its state and is trained to
   predict the next symbol at every step (many-to-many, [loss.sum]). This
   program does both on the same text and prints their perplexities side by
   side, so the claim "the RNN beats counting" is measured, not told.

     the symbols   the code points of the text (not its bytes): "é" is one
                   symbol, read from UTF-8 and checked (invalid UTF-8 is an
                   error that names the byte); the vocabulary is the sorted
                   set of code points of the file; inputs are one-hot
                   ([onehot]), outputs a softmax over the vocabulary.
     the split     the last --val of the text is held out (validation); the
                   rest is the training text.
     the batches   the training text is cut into B lanes (B = --batch), one
                   contiguous stretch each, read side by side T characters
                   at a time (T = --seq). After each chunk the state is
                   carried over to the next ([tbptt], rnn_carry_state), so
                   the network sees the whole past of its lane while the
                   gradient flows back at most T steps. Each epoch starts the
                   lanes at a random offset in 0..T-1, so chunk borders move.
     the numbers   loss in nats per character; bits per character = loss /
                   ln 2; perplexity = exp(loss): the number of equally
                   likely characters the model is, on average, as unsure
                   as.
     the baseline  n-gram models for n = 1..5 (rnn_ngram_*, add-k smoothing
                   interpolated with the order below), fitted on the
                   training text. Their k and lambda are tuned on the
                   validation text itself, which flatters the baseline.

   Modes (the same option table for all; --help lists every option):
     charlm [FILE]             train on FILE (default: rnn.h, the header this
                               lab is built on, so the network learns to write C);
                               checkpoints, a CSV log and three pictures
     charlm --resume [FILE]    continue from --checkpoint, exactly as if the
                               run had not stopped (the same options again)
     charlm --sample           write text from --checkpoint: temperature,
                               top-k, priming text, stop string, greedy, beam
     charlm --draw [FILE]      the pictures of a --checkpoint only
     charlm --ngram [FILE]     the n-gram baselines only
   The pictures (stb_image_write; Debian: libstb-dev):
     charlm_loss.png   training and validation loss against the step, with
                       the best n-gram as a line to get under;
     charlm_cells.png  passages of the validation text, each character on
                       the colour of one cell's state after reading it (red
                       positive, blue negative), as in Karpathy, Johnson and
                       Fei-Fei, "Visualizing and understanding recurrent
                       networks" (2015); the cells are the ones that
                       correlate best with something a reader of C tracks;
     charlm_gates.png  the gates of those cells, step by step.
   docs/guide/charlm.md shows a default run and what its numbers mean.

   Build and run (a default run is under 5 minutes of CPU time on one core):
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/charlm.c -o build/charlm -lm
       ./build/charlm
       ./build/charlm --sample --prime "static int " --temperature 0.7 */
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

#define MAX_VOCAB (1 << 16) /* distinct code points a model may have */


/* ---- UTF-8 ------------------------------------------------------------------
   A code point takes 1 to 4 bytes: 0xxxxxxx, 110xxxxx 10xxxxxx,
   1110xxxx 10xxxxxx 10xxxxxx, 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx.
   Refused: a stray continuation byte, a sequence cut short, an overlong form
   (a code point written with more bytes than it needs), the surrogates
   U+D800..U+DFFF, anything above U+10FFFF. */

/* Decodes the code point at s[*pos] (n bytes in all) and moves *pos past it.
   Returns 1, or 0 for invalid UTF-8 (then *pos is the bad byte). */
static int utf8_decode(const unsigned char *s, size_t n, size_t *pos, int32_t *cp)
{
    size_t i = *pos, len, k;
    uint32_t c = s[i], min;
    if (c < 0x80) { *cp = (int32_t)c; *pos = i + 1; return 1; }
    if ((c & 0xE0) == 0xC0) { len = 2; c &= 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; c &= 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; c &= 0x07; min = 0x10000; }
    else return 0;
    if (i + len > n) return 0;
    for (k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = (int32_t)c; *pos = i + len;
    return 1;
}

/* Writes the UTF-8 bytes of cp into out (at least 4 bytes); returns how many. */
static int utf8_encode(int32_t cp, char *out)
{
    uint32_t c = (uint32_t)cp;
    if (c < 0x80) { out[0] = (char)c; return 1; }
    if (c < 0x800) { out[0] = (char)(0xC0 | (c >> 6)); out[1] = (char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12)); out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F)); return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18)); out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F)); out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static void put_cp(FILE *f, int32_t cp)
{
    char b[4];
    fwrite(b, 1, (size_t)utf8_encode(cp, b), f);
}

/* ---- the corpus ---------------------------------------------------------- */

typedef struct corpus {
    int32_t *cp;            /* (n) the code points of the text               */
    int *ids;               /* (n) their token ids: index into vocab          */
    int n;
    int32_t *vocab;         /* (V) the distinct code points, ascending        */
    int V;
    size_t bytes;           /* the file's size                                */
} corpus;

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* the token id of code point cp, or -1 */
static int vocab_id(const int32_t *vocab, int V, int32_t cp)
{
    int lo = 0, hi = V - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (vocab[mid] == cp) return mid;
        if (vocab[mid] < cp) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

static void corpus_free(corpus *c) { free(c->cp); free(c->ids); free(c->vocab); memset(c, 0, sizeof *c); }

/* Reads a UTF-8 text file into code points and builds its vocabulary.
   Returns 1, or 0 after a one-line error naming the file (hint is added
   to a "cannot open"). */
static int corpus_read(corpus *c, const char *path, const char *hint)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0, pos = 0, got, line = 1;
    int k;
    memset(c, 0, sizeof *c);
    if (!f) { fprintf(stderr, "charlm: cannot open '%s'%s\n", path, hint); return 0; }
    for (;;) {
        if (n == cap) {
            unsigned char *nb;
            if (cap >= ((size_t)1 << 30)) { fprintf(stderr, "charlm: '%s' is larger than 1 GiB\n", path); fclose(f); free(buf); return 0; }
            cap = cap ? 2 * cap : 1 << 16;
            nb = (unsigned char *)realloc(buf, cap);
            if (!nb) { fprintf(stderr, "charlm: out of memory reading '%s'\n", path); fclose(f); free(buf); return 0; }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) { fprintf(stderr, "charlm: cannot read '%s'\n", path); fclose(f); free(buf); return 0; }
    fclose(f);
    c->bytes = n;
    if (n == 0) { fprintf(stderr, "charlm: '%s' is empty\n", path); free(buf); return 0; }
    c->cp = (int32_t *)malloc(sizeof(int32_t) * n); /* at most one code point per byte */
    c->ids = (int *)malloc(sizeof(int) * n);
    if (!c->cp || !c->ids) { fprintf(stderr, "charlm: out of memory reading '%s'\n", path); free(buf); corpus_free(c); return 0; }
    while (pos < n) {
        if (!utf8_decode(buf, n, &pos, &c->cp[c->n])) {
            fprintf(stderr, "charlm: '%s' is not valid UTF-8: byte %lu (line %lu) is 0x%02X\n",
                    path, (unsigned long)pos, (unsigned long)line, buf[pos]);
            free(buf); corpus_free(c); return 0;
        }
        if (c->cp[c->n++] == '\n') line++;
    }
    /* the round trip: encoding the code points again gives the file's bytes */
    {
        size_t at = 0;
        char b[4];
        int i, len;
        for (i = 0; i < c->n; i++) {
            len = utf8_encode(c->cp[i], b);
            if (at + (size_t)len > n || memcmp(b, buf + at, (size_t)len)) break;
            at += (size_t)len;
        }
        if (i < c->n || at != n) { fprintf(stderr, "charlm: '%s': UTF-8 round trip failed at code point %d\n", path, i); free(buf); corpus_free(c); return 0; }
    }
    free(buf);
    /* the vocabulary: sort a copy, keep each code point once */
    c->vocab = (int32_t *)malloc(sizeof(int32_t) * (size_t)c->n);
    if (!c->vocab) { fprintf(stderr, "charlm: out of memory\n"); corpus_free(c); return 0; }
    memcpy(c->vocab, c->cp, sizeof(int32_t) * (size_t)c->n);
    qsort(c->vocab, (size_t)c->n, sizeof(int32_t), cmp_i32);
    for (k = 0; k < c->n; k++)
        if (k == 0 || c->vocab[k] != c->vocab[c->V - 1]) c->vocab[c->V++] = c->vocab[k];
    if (c->V > MAX_VOCAB) { fprintf(stderr, "charlm: '%s' has %d distinct characters (at most %d)\n", path, c->V, MAX_VOCAB); corpus_free(c); return 0; }
    for (k = 0; k < c->n; k++) c->ids[k] = vocab_id(c->vocab, c->V, c->cp[k]);
    return 1;
}

/* ---- the options ---------------------------------------------------------- */

typedef struct config {
    char text[512];         /* the training text                             */
    char cell[16], optim[16];
    int layers, hidden, embed, seq, batch, steps, seed;
    double dropout, dropout_input, dropout_recurrent;
    double lr, lr_decay, momentum, clip, val;
    int eval_every, print_every, save_every;
    char checkpoint[512], log[512], images[512];
    int resume, sample, draw, ngram_only, no_images;
    double ngram_k, ngram_lambda;
    /* sampling */
    int length, top_k, greedy, beam, trace, sample_seed;
    double temperature;
    char prime[512], stop[128];
    /* pictures */
    char units[128];
    int passage, analyse;
} config;

#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--text", "FILE", LAB_TEXT, OFF(text), 0, 512, "the UTF-8 text to learn (also: the first plain argument)", 0},
    {"--cell", "NAME", LAB_TEXT, OFF(cell), 0, 16, "lstm, gru or rnn (the simple tanh RNN)", 0},
    {"--layers", "N", LAB_INT, OFF(layers), 1, RNN_MAX_LAYERS, "stacked recurrent layers", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 4096, "hidden units per layer", 0},
    {"--embed", "E", LAB_INT, OFF(embed), 0, 4096, "a learned embedding of E numbers per character (0: one-hot input)", 0},
    {"--dropout", "P", LAB_REAL, OFF(dropout), 0, 0.95, "dropout between stacked layers (with --layers 2 or more)", 0},
    {"--dropout-input", "P", LAB_REAL, OFF(dropout_input), 0, 0.95, "dropout on the input of every layer (needs --embed)", 0},
    {"--dropout-recurrent", "P", LAB_REAL, OFF(dropout_recurrent), 0, 0.95, "dropout on h<t-1> in the recurrent products", 0},
    {"--seq", "T", LAB_INT, OFF(seq), 2, 10000, "truncated BPTT: characters per chunk", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "lanes of text read side by side", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 1, 1e9, "updates in all (a resumed run counts from the start)", 0},
    {"--optim", "NAME", LAB_TEXT, OFF(optim), 0, 16, "adam, rmsprop, adagrad or sgd", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-7, 100, "learning rate", 0},
    {"--lr-decay", "X", LAB_REAL, OFF(lr_decay), 0.01, 1, "the learning rate is multiplied by X after each epoch", 0},
    {"--momentum", "X", LAB_REAL, OFF(momentum), 0, 0.999, "SGD's momentum", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 0, 1e9, "clip the gradient's global norm to X (0: no clipping)", 0},
    {"--val", "F", LAB_REAL, OFF(val), 0.001, 0.5, "the share of the text held out for validation (its end)", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "initial weights and the epochs' offsets", 0},
    {"--eval-every", "N", LAB_INT, OFF(eval_every), 1, 1e9, "steps between validation losses (and CSV rows)", 0},
    {"--print-every", "N", LAB_INT, OFF(print_every), 1, 1e9, "steps between progress lines", 0},
    {"--save-every", "N", LAB_INT, OFF(save_every), 1, 1e9, "steps between checkpoints (one is saved at the end too)", 0},
    {"--checkpoint", "PATH", LAB_TEXT, OFF(checkpoint), 0, 512, "the checkpoint written, or read by --resume, --sample, --draw", 0},
    {"--log", "PATH", LAB_TEXT, OFF(log), 0, 512, "the CSV log of the losses", 0},
    {"--images", "DIR", LAB_TEXT, OFF(images), 0, 512, "where the charlm_*.png pictures go", 0},
    {"--no-images", NULL, LAB_FLAG, OFF(no_images), 0, 1, "draw no pictures", 0},
    {"--resume", NULL, LAB_FLAG, OFF(resume), 0, 1, "continue training from --checkpoint", 0},
    {"--ngram", NULL, LAB_FLAG, OFF(ngram_only), 0, 1, "only fit and print the n-gram baselines", 0},
    {"--ngram-k", "X", LAB_REAL, OFF(ngram_k), 0, 1e6, "the n-grams' add-k (default: tuned on the validation text)", 0},
    {"--ngram-lambda", "X", LAB_REAL, OFF(ngram_lambda), 0, 1, "the n-grams' interpolation weight (default: tuned)", 0},
    {"--sample", NULL, LAB_FLAG, OFF(sample), 0, 1, "write text from --checkpoint to standard output", 0},
    {"--length", "N", LAB_INT, OFF(length), 1, 1e8, "sample: characters to write after the priming text", 0},
    {"--temperature", "X", LAB_REAL, OFF(temperature), 0, 100, "sample: softmax(o / X); below 1 safer, above 1 wilder, 0 greedy", 0},
    {"--top-k", "K", LAB_INT, OFF(top_k), 0, MAX_VOCAB, "sample: draw only from the K likeliest characters (0: all)", 0},
    {"--greedy", NULL, LAB_FLAG, OFF(greedy), 0, 1, "sample: always the likeliest character", 0},
    {"--beam", "K", LAB_INT, OFF(beam), 0, 256, "sample: beam search with K hypotheses (0: no beam search)", 0},
    {"--prime", "TEXT", LAB_TEXT, OFF(prime), 0, 512, "sample: the text read before writing (\\n \\t \\\\ understood)", 0},
    {"--stop", "TEXT", LAB_TEXT, OFF(stop), 0, 128, "sample: stop after writing TEXT (\\n \\t \\\\ understood)", 0},
    {"--sample-seed", "S", LAB_INT, OFF(sample_seed), 1, 1e9, "sample: the random generator's seed", 0},
    {"--trace", NULL, LAB_FLAG, OFF(trace), 0, 1, "sample: print each character's rank and probability on stderr", 0},
    {"--draw", NULL, LAB_FLAG, OFF(draw), 0, 1, "only draw charlm_cells.png and charlm_gates.png from --checkpoint", 0},
    {"--units", "LIST", LAB_TEXT, OFF(units), 0, 128, "pictures: units of the top layer to show, e.g. 3,17 (default: the best correlated)", 0},
    {"--passage", "N", LAB_INT, OFF(passage), 0, 1e9, "pictures: where the passage starts, in characters into the validation text (default: the 9 lines where comments, strings and braces change most)", 0},
    {"--analyse", "N", LAB_INT, OFF(analyse), 100, 1e8, "pictures: validation characters read to find the cells", 0},
    {"--help", NULL, LAB_FLAG, 0, 0, 0, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

static const char intro[] =
    "usage: charlm [options] [FILE]\n"
    "Trains a character language model on a UTF-8 text (default: rnn.h), compares it\n"
    "with n-gram models, samples from it and draws what its cells do (decks D0, D4).\n"
    "Options (default in brackets):\n";

static int option_seen(const char *name) { return lab_option_seen(options, N_OPTIONS, name); }

/* "\n", "\t" and "\\" in a priming or stop text; the rest is kept as it is */
static void unescape(char *s)
{
    char *w = s;
    for (; *s; s++) {
        if (s[0] == '\\' && (s[1] == 'n' || s[1] == 't' || s[1] == '\\')) {
            *w++ = s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' : '\\';
            s++;
        } else *w++ = *s;
    }
    *w = 0;
}

static rnn_cell cell_of(const char *name)
{
    return !strcmp(name, "lstm") ? RNN_LSTM : !strcmp(name, "gru") ? RNN_GRU : !strcmp(name, "rnn") ? RNN_TANH : RNN_CELL_DEFAULT;
}
static const char *cell_name(rnn_cell c)
{
    return c == RNN_LSTM ? "lstm" : c == RNN_GRU ? "gru" : c == RNN_TANH ? "rnn" : c == RNN_PEEPHOLE ? "peephole"
         : c == RNN_GRU_SIMPLE ? "gru_simple" : "relu";
}
static rnn_optim_kind optim_of(const char *name)
{
    return !strcmp(name, "adam") ? RNN_ADAM : !strcmp(name, "rmsprop") ? RNN_RMSPROP
         : !strcmp(name, "adagrad") ? RNN_ADAGRAD : !strcmp(name, "sgd") ? RNN_SGD : RNN_OPTIM_DEFAULT;
}
static const char *optim_name(rnn_optim_kind k)
{
    return k == RNN_ADAM ? "adam" : k == RNN_RMSPROP ? "rmsprop" : k == RNN_ADAGRAD ? "adagrad" : "sgd";
}

/* ---- the n-gram baseline ([lm.ngram]) -------------------------------------- */

typedef struct ngram_result { double k, lambda, ppl; } ngram_result;

/* Fits n = 1..5 on the training text and scores the validation text.
   Unless --ngram-k / --ngram-lambda fix them, k and lambda are picked from a
   small grid by the validation perplexity. The counts do not depend on k or
   lambda, so one fit per order serves the whole grid (the grid changes the
   resolved desc in place). Returns 0 after an error. */
static int ngram_baselines(const config *c, const int *train, int n_train, const int *val, int n_val,
                           int V, ngram_result *res)
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
            fprintf(stderr, "charlm: n-gram model: %s\n", rnn_status_string(st));
            if (st != RNN_ERR_ARG) rnn_ngram_free(&lm);
            return 0;
        }
        res[n - 1].ppl = HUGE_VAL;
        for (a = 0; a < (int)(sizeof ks / sizeof ks[0]); a++)
            for (b = 0; b < (int)(sizeof lambdas / sizeof lambdas[0]); b++) {
                double lp = 0, ppl;
                long long cnt = 0;
                lm.desc.k = option_seen("--ngram-k") ? c->ngram_k : ks[a];
                lm.desc.lambda = option_seen("--ngram-lambda") ? c->ngram_lambda : lambdas[b];
                if (n == 1) lm.desc.lambda = 1; /* nothing below the unigram */
                rnn_ngram_log_prob_sequence(&lm, val, n_val, &lp, &cnt); /* [lm.chain] */
                ppl = exp(-lp / (double)cnt);
                if (ppl < res[n - 1].ppl) { res[n - 1].ppl = ppl; res[n - 1].k = lm.desc.k; res[n - 1].lambda = lm.desc.lambda; }
            }
        rnn_ngram_free(&lm);
    }
    return 1;
}

static void print_ngrams(const ngram_result *res, int n_train, int n_val)
{
    int n;
    printf("n-gram baselines (rnn_ngram_*), fitted on the %d training characters, scored on\n"
           "the %d validation characters:\n"
           "   n  add-k    lambda   val perplexity  bits/char\n", n_train, n_val);
    for (n = 1; n <= RNN_NGRAM_MAX_ORDER; n++)
        printf("  %2d  %-7g  %-7g  %14.3f  %9.3f\n", n, res[n - 1].k, res[n - 1].lambda,
               res[n - 1].ppl, log(res[n - 1].ppl) / log(2.0));
}

static int best_ngram(const ngram_result *res)
{
    int n, best = 0;
    for (n = 1; n < RNN_NGRAM_MAX_ORDER; n++) if (res[n].ppl < res[best].ppl) best = n;
    return best;
}

/* ---- pictures (the canvas and the 5x7 font are in lab.h) ----------------- */

static const lab_rgb WHITE = {255, 255, 255}, BLACK = {0, 0, 0}, GREY = {150, 150, 150}, LIGHT = {225, 225, 225};
static const lab_rgb RED = {200, 30, 30}, BLUE = {30, 80, 200};

/* ---- the log --------------------------------------------------------------- */

typedef struct log_row { long step; double epoch, train, val, bpc, ppl, cpu; } log_row;
typedef struct loss_log { log_row *rows; int n, cap; } loss_log;

static int log_add(loss_log *g, log_row r)
{
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 256;
        log_row *nr = (log_row *)realloc(g->rows, sizeof(log_row) * (size_t)cap);
        if (!nr) return 0;
        g->rows = nr; g->cap = cap;
    }
    g->rows[g->n++] = r;
    return 1;
}

static const char *LOG_HEADER = "step,epoch,train_loss,val_loss,val_bpc,val_ppl,cpu_seconds\n";

static void log_print(FILE *f, const log_row *r)
{
    fprintf(f, "%ld,%.4f,%.6f,%.6f,%.6f,%.6f,%.2f\n", r->step, r->epoch, r->train, r->val, r->bpc, r->ppl, r->cpu);
}

/* On resume: the rows of the old log up to the checkpoint's step (a run
   that went on after its last checkpoint wrote rows that never happened
   now), written back so the log reads as one run. */
static int log_reload(loss_log *g, const char *path, long upto)
{
    FILE *f = fopen(path, "r");
    char ln[512];
    if (!f) return 1; /* no log yet: start one */
    while (fgets(ln, sizeof ln, f)) {
        log_row r;
        if (sscanf(ln, "%ld,%lf,%lf,%lf,%lf,%lf,%lf", &r.step, &r.epoch, &r.train, &r.val, &r.bpc, &r.ppl, &r.cpu) == 7 &&
            r.step <= upto && !log_add(g, r)) { fclose(f); return 0; }
    }
    fclose(f);
    return 1;
}

/* charlm_loss.png: bits per character against the step */
static int draw_loss(const config *c, const loss_log *g, double ngram_bpc, int ngram_n)
{
    const int L = 90, W = 760, top = 40, H = 380;
    lab_image im;
    double lo = ngram_bpc, hi = ngram_bpc, s_max = 1, v;
    int i, ok, x, y, xt;
    char label[96];
    if (g->n < 1) return 1;
    for (i = 0; i < g->n; i++) {
        const double vals[2] = {g->rows[i].train / log(2.0), g->rows[i].val / log(2.0)};
        int k;
        for (k = 0; k < 2; k++) { if (vals[k] < lo) lo = vals[k]; if (vals[k] > hi) hi = vals[k]; }
        if (g->rows[i].step > s_max) s_max = (double)g->rows[i].step;
    }
    lo = floor(lo * 2) / 2; hi = ceil(hi * 2) / 2;
    if (hi - lo < 0.5) hi = lo + 0.5;
#define XS(s) (L + (int)((double)(s) / s_max * (W - 1)))
#define YV(v) (top + (int)((hi - (v)) / (hi - lo) * (H - 1)))
    if (lab_image_new(&im, L + W + 30, top + H + 70, WHITE)) return 0;
    snprintf(label, sizeof label, "%s, %d x %d: loss in bits per character", cell_name(cell_of(c->cell)), c->layers, c->hidden);
    lab_text(&im, L, 10, label, BLACK, 2);
    for (v = lo; v <= hi + 1e-9; v += 0.5) { /* grid and labels every 0.5 bit */
        lab_rect(&im, L, YV(v), L + W, YV(v) + 1, LIGHT);
        snprintf(label, sizeof label, "%.1f", v);
        lab_text(&im, L - 8 - (int)strlen(label) * 12, YV(v) - 7, label, BLACK, 2);
    }
    for (i = 0; i <= 4; i++) {
        long s = (long)(s_max * i / 4);
        x = XS(s);
        lab_rect(&im, x, top + H, x + 1, top + H + 6, BLACK);
        snprintf(label, sizeof label, "%ld", s);
        lab_text(&im, x - (int)strlen(label) * 6, top + H + 10, label, BLACK, 2);
    }
    lab_rect(&im, L, top, L + 1, top + H, BLACK);
    lab_rect(&im, L, top + H, L + W, top + H + 1, BLACK);
    for (x = L; x < L + W; x += 12) lab_rect(&im, x, YV(ngram_bpc), x + 6, YV(ngram_bpc) + 2, GREY);
    for (i = 1; i < g->n; i++) {
        lab_line(&im, XS(g->rows[i - 1].step), YV(g->rows[i - 1].train / log(2.0)), XS(g->rows[i].step), YV(g->rows[i].train / log(2.0)), BLUE, 2, 0);
        lab_line(&im, XS(g->rows[i - 1].step), YV(g->rows[i - 1].val / log(2.0)), XS(g->rows[i].step), YV(g->rows[i].val / log(2.0)), RED, 2, 0);
    }
    if (g->n == 1) { /* one row: dots */
        lab_rect(&im, XS(g->rows[0].step) - 2, YV(g->rows[0].train / log(2.0)) - 2, XS(g->rows[0].step) + 3, YV(g->rows[0].train / log(2.0)) + 3, BLUE);
        lab_rect(&im, XS(g->rows[0].step) - 2, YV(g->rows[0].val / log(2.0)) - 2, XS(g->rows[0].step) + 3, YV(g->rows[0].val / log(2.0)) + 3, RED);
    }
    y = top + H + 34;
    xt = lab_text(&im, L, y, "step", BLACK, 2);
    xt = lab_text(&im, xt + 40, y, "training", BLUE, 2);
    xt = lab_text(&im, xt + 24, y, "validation", RED, 2);
    snprintf(label, sizeof label, "best n-gram (n = %d) on validation", ngram_n);
    lab_text(&im, xt + 24, y, label, GREY, 2);
#undef XS
#undef YV
    ok = !lab_save_png(&im, c->images, "charlm_loss.png");
    lab_image_free(&im);
    return ok;
}

/* ---- training -------------------------------------------------------------- */

/* The validation loss in nats per character. The n_val characters give
   n_val - 1 predictions, cut into Bv lanes of P each, read T at a time with
   the state carried. ev is a second model of the same shape (its batch size
   differs from training's, and a change of batch size resets a state). */
static double evaluate(rnn_model *ev, const rnn_model *m, const int *val, int n_val, int T, int *x, int *y)
{
    int Bv = (n_val - 1) / T, P, off, t, b;
    double total = 0;
    rnn_batch bt;
    if (Bv > 32) Bv = 32;
    if (Bv < 1) Bv = 1;
    P = (n_val - 1) / Bv;
    memcpy(ev->params, m->params, sizeof(rnn_real) * (size_t)m->n_params);
    if (rnn_reserve(ev, T, Bv) != RNN_OK) return NAN;
    rnn_reset_state(ev);
    for (off = 0; off < P; off += T) {
        int Tc = P - off < T ? P - off : T;
        rnn_real loss;
        for (t = 0; t < Tc; t++)
            for (b = 0; b < Bv; b++) {
                x[t * Bv + b] = val[b * P + off + t];
                y[t * Bv + b] = val[b * P + off + t + 1];
            }
        memset(&bt, 0, sizeof bt);
        bt.T = Tc; bt.B = Bv; bt.x_tokens = x; bt.y_tokens = y;
        if (rnn_forward(ev, &bt, &loss) != RNN_OK) return NAN;
        total += (double)loss * Bv; /* rnn_forward averages over the Bv rows */
        rnn_carry_state(ev);
    }
    return total / ((double)P * Bv);
}

static void fmt_time(char *out, size_t cap, double s)
{
    if (s < 0) s = 0;
    if (s >= 3600) snprintf(out, cap, "%dh%02dm", (int)(s / 3600), (int)fmod(s / 60, 60));
    else snprintf(out, cap, "%dm%02ds", (int)(s / 60), (int)fmod(s, 60));
}

static int draw_pictures(const config *c, rnn_model *m, const corpus *cor, int n_train);

static int train(config *c, const corpus *cor)
{
    int n_val = (int)(cor->n * c->val), n_train = cor->n - n_val;
    const int *trn = cor->ids, *val = cor->ids + n_train;
    int B = c->batch, T = c->seq, lane, steps_per_epoch, t, b, status = 1;
    long step = 0, pos = 0;
    rnn_model m, ev;
    rnn_model_desc d;
    rnn_optim opt;
    rnn_optim_desc od;
    rnn_checkpoint ck;
    rnn_rng rng;
    rnn_status st;
    ngram_result ng[RNN_NGRAM_MAX_ORDER];
    loss_log g = {NULL, 0, 0};
    int *x = NULL, *y = NULL, *xv = NULL, *yv = NULL, best;
    double sum_loss = 0, cpu0, cpu_start, cpu_resumed, last_val = NAN;
    long sum_steps = 0, chars_done = 0;
    FILE *logf = NULL;
    clock_t clk0 = clock();

    memset(&m, 0, sizeof m); memset(&ev, 0, sizeof ev); memset(&opt, 0, sizeof opt);
    /* a lane must hold two chunks: one step per epoch at least */
    if (n_val < 2 || n_train / B < 2 * T) {
        fprintf(stderr, "charlm: '%s' is too small: %d characters; with --batch %d, --seq %d and --val %g "
                "it needs at least %d (a larger text, or a smaller --batch or --seq)\n",
                c->text, cor->n, B, T, c->val, (int)ceil((2.0 * T * B + 1) / (1 - c->val)) + 2);
        return 1;
    }
    lane = n_train / B;
    steps_per_epoch = (lane - T) / T;
    printf("text: %s, %lu bytes, %d characters (code points), vocabulary of %d\n",
           c->text, (unsigned long)cor->bytes, cor->n, cor->V);
    printf("split: %d characters to train on, the last %d (%g) to validate on\n", n_train, n_val, c->val);

    if (!ngram_baselines(c, trn, n_train, val, n_val, cor->V, ng)) return 1;
    print_ngrams(ng, n_train, n_val);
    best = best_ngram(ng);
    printf("\n");

    rnn_rng_seed(&rng, (uint64_t)c->seed * 0x9E3779B97F4A7C15ull + 7);
    memset(&ck, 0, sizeof ck);
    if (c->resume) {
        int32_t *vocab = (int32_t *)malloc(sizeof(int32_t) * MAX_VOCAB);
        if (!vocab) { fprintf(stderr, "charlm: out of memory\n"); return 1; }
        ck.optim = &opt; ck.with_state = 1; ck.vocab = vocab; ck.vocab_cap = MAX_VOCAB; ck.refuse_nonfinite = 1;
        st = rnn_load(c->checkpoint, &m, &ck);
        if (st != RNN_OK) {
            fprintf(stderr, "charlm: cannot resume from '%s': %s%s%s\n", c->checkpoint, rnn_status_string(st),
                    ck.error[0] ? ": " : "", ck.error);
            free(vocab); rnn_optim_free(&opt); return 1;
        }
        if (ck.vocab_len != cor->V || memcmp(vocab, cor->vocab, sizeof(int32_t) * (size_t)cor->V) ||
            m.desc.input_size != cor->V || m.desc.output_size != cor->V) {
            fprintf(stderr, "charlm: '%s' was not trained on '%s' (the vocabularies differ)\n", c->checkpoint, c->text);
            free(vocab); goto done;
        }
        free(vocab); ck.vocab = NULL;
        if (!opt.m1 || m.B != B || m.T_cap < 1 || ck.step < 1) {
            fprintf(stderr, "charlm: '%s' is not a training checkpoint of this run (optimizer, state or --batch %d differ)\n", c->checkpoint, B);
            goto done;
        }
        if ((option_seen("--cell") && cell_of(c->cell) != m.desc.cell) || (option_seen("--hidden") && c->hidden != m.desc.hidden_size) ||
            (option_seen("--layers") && c->layers != m.desc.num_layers) || (option_seen("--optim") && optim_of(c->optim) != opt.desc.kind) ||
            (option_seen("--embed") && c->embed != m.desc.embed_size) ||
            (option_seen("--dropout") && (rnn_real)c->dropout != m.desc.dropout) ||
            (option_seen("--dropout-input") && (rnn_real)c->dropout_input != m.desc.dropout_input) ||
            (option_seen("--dropout-recurrent") && (rnn_real)c->dropout_recurrent != m.desc.dropout_recurrent)) {
            fprintf(stderr, "charlm: '%s' holds a %s %d x %d trained with %s: the options ask for another\n", c->checkpoint,
                    cell_name(m.desc.cell), m.desc.num_layers, m.desc.hidden_size, optim_name(opt.desc.kind));
            goto done;
        }
        if (ck.step > c->steps) { fprintf(stderr, "charlm: '%s' is at step %ld, past --steps %d\n", c->checkpoint, (long)ck.step, c->steps); goto done; }
        strcpy(c->cell, cell_name(m.desc.cell)); c->hidden = m.desc.hidden_size; c->layers = m.desc.num_layers;
        c->embed = m.desc.embed_size; c->dropout = m.desc.dropout;
        c->dropout_input = m.desc.dropout_input; c->dropout_recurrent = m.desc.dropout_recurrent;
        strcpy(c->optim, optim_name(opt.desc.kind));
        step = (long)ck.step; pos = (long)ck.data_pos; rng.state = ck.rng_state;
        if (!log_reload(&g, c->log, step)) { fprintf(stderr, "charlm: out of memory\n"); goto done; }
        printf("resumed from %s at step %ld\n", c->checkpoint, step);
    } else {
        memset(&d, 0, sizeof d);
        d.cell = cell_of(c->cell); d.input_size = cor->V; d.hidden_size = c->hidden; d.output_size = cor->V;
        d.num_layers = c->layers; d.output = RNN_SOFTMAX; d.seed = (uint64_t)c->seed;
        d.embed_size = c->embed; d.dropout = (rnn_real)c->dropout;
        d.dropout_input = (rnn_real)c->dropout_input; d.dropout_recurrent = (rnn_real)c->dropout_recurrent;
        if ((st = rnn_model_init(&m, &d)) != RNN_OK) { fprintf(stderr, "charlm: the model: %s\n", rnn_status_string(st)); return 1; }
        memset(&od, 0, sizeof od);
        od.kind = optim_of(c->optim); od.lr = (rnn_real)c->lr; od.momentum = (rnn_real)c->momentum;
        if ((st = rnn_optim_init(&opt, &od, m.n_params)) != RNN_OK) { fprintf(stderr, "charlm: the optimizer: %s\n", rnn_status_string(st)); goto done; }
    }
    if ((st = rnn_model_init(&ev, &m.desc)) != RNN_OK || (st = rnn_reserve(&m, T, B)) != RNN_OK) {
        fprintf(stderr, "charlm: the model: %s\n", rnn_status_string(st)); goto done;
    }
    /* [dropout] training mode: the masks come from the run's generator, which
       the checkpoint saves, so a resumed run draws the same masks */
    rnn_set_training(&m, &rng);
    x = (int *)malloc(sizeof(int) * (size_t)T * B); y = (int *)malloc(sizeof(int) * (size_t)T * B);
    xv = (int *)malloc(sizeof(int) * (size_t)T * 32); yv = (int *)malloc(sizeof(int) * (size_t)T * 32);
    if (!x || !y || !xv || !yv) { fprintf(stderr, "charlm: out of memory\n"); goto done; }
    logf = fopen(c->log, "w");
    if (!logf) { fprintf(stderr, "charlm: cannot write the log '%s'\n", c->log); goto done; }
    fputs(LOG_HEADER, logf);
    for (t = 0; t < g.n; t++) log_print(logf, &g.rows[t]);
    fflush(logf);

    printf("model: %s, %d layer%s of %d, %s input, %d parameters; %s, lr %g (x %g per epoch), clip %g\n",
           cell_name(m.desc.cell), m.desc.num_layers, m.desc.num_layers > 1 ? "s" : "", m.desc.hidden_size,
           m.desc.embed_size ? "embedded" : "one-hot", m.n_params, optim_name(opt.desc.kind), c->lr, c->lr_decay, c->clip);
    if (m.desc.dropout > 0 || m.desc.dropout_input > 0 || m.desc.dropout_recurrent > 0)
        printf("dropout: between layers %g, input %g, recurrent %g (training only)\n",
               (double)m.desc.dropout, (double)m.desc.dropout_input, (double)m.desc.dropout_recurrent);
    printf("truncated BPTT: %d lanes of %d characters, chunks of %d, %d steps per epoch; %d steps in all\n",
           B, lane, T, steps_per_epoch, c->steps);
    printf("(loss: nats per character; bpc: bits per character; ppl: perplexity; CPU time)\n");
    fflush(stdout);

    cpu0 = lab_cpu_seconds(); cpu_start = cpu0;
    cpu_resumed = g.n ? g.rows[g.n - 1].cpu : 0; /* the CPU column counts on from the old log */
    while (step < c->steps) {
        long epoch = step / steps_per_epoch;
        rnn_batch bt;
        rnn_real loss;
        if (step % steps_per_epoch == 0) { /* a new epoch: new offsets, a fresh state */
            pos = (long)(rnn_rng_next(&rng) % (uint64_t)T);
            rnn_reset_state(&m);
        }
        for (t = 0; t < T; t++)
            for (b = 0; b < B; b++) {
                const int *ln = trn + (size_t)b * lane + pos + t;
                x[t * B + b] = ln[0];      /* the input: the character at t       */
                y[t * B + b] = ln[1];      /* the target: the character after it  */
            }
        memset(&bt, 0, sizeof bt);
        bt.T = T; bt.B = B; bt.x_tokens = x; bt.y_tokens = y;
        rnn_zero_grad(&m);
        st = rnn_forward(&m, &bt, &loss);        /* [loss.sum] over the chunk     */
        if (st == RNN_OK) st = rnn_backward(&m); /* [bptt.*], stopped at row 0    */
        if (st != RNN_OK) {
            fprintf(stderr, "charlm: step %ld: %s (try a smaller --lr or a --clip)\n", step + 1, rnn_status_string(st));
            goto done;
        }
        if (c->clip > 0) rnn_clip_by_global_norm(&m, (rnn_real)c->clip); /* [clip.norm] */
        opt.desc.lr = (rnn_real)(c->lr * pow(c->lr_decay, (double)epoch));
        rnn_optim_step(&opt, m.params, m.grads);
        rnn_carry_state(&m);                     /* [tbptt] the next chunk starts here */
        pos += T;
        step++;
        sum_loss += (double)loss / T; sum_steps++;  /* loss: summed over T, averaged over B */
        chars_done += (long)T * B;

        if (step % c->eval_every == 0 || step == c->steps) {
            log_row r;
            last_val = evaluate(&ev, &m, val, n_val, T, xv, yv);
            r.step = step; r.epoch = (double)step / steps_per_epoch; r.train = sum_loss / sum_steps;
            r.val = last_val; r.bpc = last_val / log(2.0); r.ppl = exp(last_val);
            r.cpu = lab_cpu_seconds() - cpu_start + cpu_resumed;
            if (!log_add(&g, r)) { fprintf(stderr, "charlm: out of memory\n"); goto done; }
            log_print(logf, &r); fflush(logf);
        }
        if (step % c->print_every == 0 || step == c->steps) {
            double cpu = lab_cpu_seconds() - cpu0, per_step = cpu / (double)sum_steps;
            char left[32], vs[64] = "";
            fmt_time(left, sizeof left, per_step * (double)(c->steps - step));
            if (last_val == last_val) snprintf(vs, sizeof vs, "  val %.3f (%.2f bpc, ppl %.2f)", last_val, last_val / log(2.0), exp(last_val));
            printf("step %6ld/%d  epoch %5.2f  train %.3f%s  %.1fk chars/s  left %s\n", step, c->steps,
                   (double)step / steps_per_epoch, sum_loss / sum_steps, vs,
                   (double)chars_done / (cpu > 0 ? cpu : 1e-9) / 1000, left);
            fflush(stdout);
        }
        if (step % c->eval_every == 0) { sum_loss = 0; sum_steps = 0; chars_done = 0; cpu0 = lab_cpu_seconds(); }
        if (step % c->save_every == 0 || step == c->steps) {
            memset(&ck, 0, sizeof ck);
            ck.optim = &opt; ck.with_state = 1; ck.rng_state = rng.state; ck.step = step; ck.data_pos = pos;
            ck.vocab = cor->vocab; ck.vocab_len = cor->V;
            if ((st = rnn_save(c->checkpoint, &m, &ck)) != RNN_OK) {
                fprintf(stderr, "charlm: cannot save '%s': %s%s%s\n", c->checkpoint, rnn_status_string(st), ck.error[0] ? ": " : "", ck.error);
                goto done;
            }
        }
    }
    {
        double v = last_val == last_val ? last_val : evaluate(&ev, &m, val, n_val, T, xv, yv);
        printf("\ncheckpoint: %s (step %ld)\n", c->checkpoint, step);
        printf("validation, %d characters:\n", n_val);
        printf("  %-22s %10s %10s\n", "model", "perplexity", "bits/char");
        printf("  %-22s %10.3f %10.3f\n", "uniform over the vocab", (double)cor->V, log((double)cor->V) / log(2.0));
        for (t = 0; t < RNN_NGRAM_MAX_ORDER; t++) {
            char nm[32];
            snprintf(nm, sizeof nm, "%d-gram%s", t + 1, t == best ? " (best)" : "");
            printf("  %-22s %10.3f %10.3f\n", nm, ng[t].ppl, log(ng[t].ppl) / log(2.0));
        }
        {
            char nm[48];
            snprintf(nm, sizeof nm, "%s %dx%d (this run)", cell_name(m.desc.cell), m.desc.num_layers, m.desc.hidden_size);
            printf("  %-22s %10.3f %10.3f\n", nm, exp(v), v / log(2.0));
        }
        printf("the %s's validation perplexity is %s the best n-gram's (%.3f %s %.3f)\n", cell_name(m.desc.cell),
               exp(v) < ng[best].ppl ? "lower than" : "NOT lower than", exp(v), exp(v) < ng[best].ppl ? "<" : ">=", ng[best].ppl);
    }
    status = 0;
    if (!c->no_images) {
        if (!draw_loss(c, &g, log(ng[best].ppl) / log(2.0), best + 1)) status = 1;
        if (!draw_pictures(c, &m, cor, n_train)) status = 1;
    }
    printf("time: %.1f s CPU\n", (double)(clock() - clk0) / CLOCKS_PER_SEC);
done:
    if (logf) fclose(logf);
    free(x); free(y); free(xv); free(yv); free(g.rows);
    rnn_optim_free(&opt);
    rnn_model_free(&m); rnn_model_free(&ev);
    return status;
}

/* ---- sampling ([lm.sample]) ------------------------------------------------- */

/* Loads a checkpoint for sampling or drawing; vocab gets the code points.
   Returns 1, or 0 after an error message. */
static int load_model(const char *path, rnn_model *m, int32_t **vocab, int *V)
{
    rnn_checkpoint ck;
    rnn_status st;
    memset(&ck, 0, sizeof ck);
    *vocab = (int32_t *)malloc(sizeof(int32_t) * MAX_VOCAB);
    if (!*vocab) { fprintf(stderr, "charlm: out of memory\n"); return 0; }
    ck.vocab = *vocab; ck.vocab_cap = MAX_VOCAB; ck.refuse_nonfinite = 1;
    st = rnn_load(path, m, &ck);
    if (st != RNN_OK) {
        fprintf(stderr, "charlm: cannot load '%s': %s%s%s\n", path, rnn_status_string(st), ck.error[0] ? ": " : "", ck.error);
        free(*vocab); *vocab = NULL; return 0;
    }
    if (ck.vocab_len < 1 || ck.vocab_len != m->desc.input_size || m->desc.output_size != m->desc.input_size ||
        m->desc.output != RNN_SOFTMAX || m->D != 1) {
        fprintf(stderr, "charlm: '%s' is not a character model (no vocabulary of %d code points)\n", path, m->desc.input_size);
        rnn_model_free(m); free(*vocab); *vocab = NULL; return 0;
    }
    *V = ck.vocab_len;
    return 1;
}

/* A UTF-8 string into token ids; -1 (after an error) for an unknown character */
static int encode_text(const char *s, const int32_t *vocab, int V, int *ids, int cap, const char *what)
{
    size_t pos = 0, n = strlen(s);
    int k = 0;
    while (pos < n) {
        int32_t cp;
        if (!utf8_decode((const unsigned char *)s, n, &pos, &cp)) { fprintf(stderr, "charlm: %s is not valid UTF-8\n", what); return -1; }
        if (k == cap) { fprintf(stderr, "charlm: %s is too long\n", what); return -1; }
        if ((ids[k] = vocab_id(vocab, V, cp)) < 0) {
            fprintf(stderr, "charlm: %s has a character the model does not know: U+%04X\n", what, (unsigned)cp);
            return -1;
        }
        k++;
    }
    return k;
}

/* the rank of token w among the logits (1 = the largest; ties to the lower id) */
static int rank_of(const rnn_real *o, int V, int w)
{
    int k, r = 1;
    for (k = 0; k < V; k++) if (o[k] > o[w] || (o[k] == o[w] && k < w)) r++;
    return r;
}

/* The next token: argmax when greedy, else drawn from softmax(o / temperature)
   restricted to the top_k likeliest tokens (0: all of them). keep (V) is
   scratch for the masked logits. */
static int pick(const rnn_real *o, int V, const config *c, rnn_rng *rng, rnn_real *keep, int *order)
{
    int k, j;
    if (c->greedy || c->temperature <= 0) return rnn_argmax(o, V);
    if (c->top_k <= 0 || c->top_k >= V) return rnn_sample_logits(o, V, (rnn_real)c->temperature, rng);
    /* the top_k ids by a partial selection sort (ties: the lower id first) */
    for (k = 0; k < V; k++) order[k] = k;
    for (k = 0; k < c->top_k; k++) {
        int best = k;
        for (j = k + 1; j < V; j++)
            if (o[order[j]] > o[order[best]] || (o[order[j]] == o[order[best]] && order[j] < order[best])) best = j;
        j = order[k]; order[k] = order[best]; order[best] = j;
    }
    for (k = 0; k < V; k++) keep[k] = (rnn_real)-1e30; /* exp(-1e30 / T) is exactly 0 */
    for (k = 0; k < c->top_k; k++) keep[order[k]] = o[order[k]];
    return rnn_sample_logits(keep, V, (rnn_real)c->temperature, rng);
}

static void log_softmax(double *lp, const rnn_real *o, int V)
{
    int k;
    double mx = o[rnn_argmax(o, V)], s = 0;
    for (k = 0; k < V; k++) s += exp((double)o[k] - mx);
    for (k = 0; k < V; k++) lp[k] = (double)o[k] - mx - log(s);
}

/* 1 if the n code points ending at out[len-1] spell stop (ns code points) */
static int ends_with(const int *out, int len, const int *stop, int ns)
{
    return ns > 0 && len >= ns && !memcmp(out + len - ns, stop, sizeof(int) * (size_t)ns);
}

static int sample(config *c)
{
    rnn_model m;
    int32_t *vocab;
    int V, n_prime, n_stop = 0, k, status = 1, *prime_ids = NULL, stop_ids[128], *out = NULL, n_out = 0, *order = NULL;
    rnn_real *keep = NULL;
    double *lps = NULL;
    rnn_rng rng;
    rnn_status st;
    if (!load_model(c->checkpoint, &m, &vocab, &V)) return 1;
    unescape(c->prime); unescape(c->stop);
    prime_ids = (int *)malloc(sizeof(int) * 512);
    out = (int *)malloc(sizeof(int) * (size_t)c->length);
    keep = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)V);
    order = (int *)malloc(sizeof(int) * (size_t)V);
    lps = (double *)malloc(sizeof(double) * (size_t)V);
    if (!prime_ids || !out || !keep || !order || !lps) { fprintf(stderr, "charlm: out of memory\n"); goto done; }
    if ((n_prime = encode_text(c->prime, vocab, V, prime_ids, 512, "--prime")) < 0) goto done;
    if (c->stop[0] && (n_stop = encode_text(c->stop, vocab, V, stop_ids, 128, "--stop")) < 0) goto done;
    if (n_prime == 0) { /* no priming text: start as after a newline (or the first character) */
        int nl = vocab_id(vocab, V, '\n');
        prime_ids[0] = nl >= 0 ? nl : 0;
        n_prime = 1;
    } else for (k = 0; k < n_prime; k++) put_cp(stdout, vocab[prime_ids[k]]);
    rnn_rng_seed(&rng, (uint64_t)c->sample_seed);
    fprintf(stderr, "charlm: sampling from %s: %s %dx%d, %s, %d characters%s%s\n", c->checkpoint,
            cell_name(m.desc.cell), m.desc.num_layers, m.desc.hidden_size,
            c->beam > 0 ? "beam search" : c->greedy || c->temperature <= 0 ? "greedy" : "temperature sampling",
            c->length, n_stop ? ", stop string " : "", n_stop ? "given" : "");
    /* read the priming text: one step per character, the state carried on */
    for (k = 0; k < n_prime; k++)
        if ((st = rnn_step(&m, 1, NULL, &prime_ids[k])) != RNN_OK) { fprintf(stderr, "charlm: %s\n", rnn_status_string(st)); goto done; }
    if (c->beam <= 0) {
        /* [lm.sample] pick from the output, feed it back as the next input */
        for (n_out = 0; n_out < c->length; ) {
            int w = pick(m.o, V, c, &rng, keep, order);
            if (c->trace) {
                log_softmax(lps, m.o, V);
                fprintf(stderr, "trace %d U+%04X rank %d p %.6f\n", n_out, (unsigned)vocab[w], rank_of(m.o, V, w), exp(lps[w]));
            }
            out[n_out++] = w;
            put_cp(stdout, vocab[w]);
            if (ends_with(out, n_out, stop_ids, n_stop)) break;
            if ((st = rnn_step(&m, 1, NULL, &w)) != RNN_OK) { fprintf(stderr, "charlm: %s\n", rnn_status_string(st)); goto done; }
        }
    } else {
        /* Beam search: K hypotheses, each a row of the batch. At every step
           each row's log-probabilities extend its score; of the K x V
           extensions the K best survive, and rnn_state_select moves the
           state rows of their parents into place. After the length, the
           best is written (cut after the stop string, if it appears). */
        int K = c->beam, rows = 1, j, s;
        double *score = (double *)malloc(sizeof(double) * (size_t)K), *nscore = (double *)malloc(sizeof(double) * (size_t)K);
        double *lp = (double *)malloc(sizeof(double) * (size_t)V * K);
        int *hist = (int *)malloc(sizeof(int) * (size_t)K * c->length), *nhist = (int *)malloc(sizeof(int) * (size_t)K * c->length);
        int *parent = (int *)malloc(sizeof(int) * (size_t)K), *tok = (int *)malloc(sizeof(int) * (size_t)K);
        int ok = score && nscore && lp && hist && nhist && parent && tok;
        if (!ok) fprintf(stderr, "charlm: out of memory\n");
        if (ok) score[0] = 0;
        for (s = 0; ok && s < c->length; s++) {
            int nk = 0;
            for (j = 0; j < rows; j++) log_softmax(lp + (size_t)j * V, m.o + (size_t)j * V, V);
            /* the K best (row, token) pairs by score, ties to the lower index */
            for (nk = 0; nk < K && nk < rows * V; nk++) {
                int bj = -1, bw = -1;
                double bs = -HUGE_VAL;
                for (j = 0; j < rows; j++)
                    for (k = 0; k < V; k++) {
                        double v = score[j] + lp[(size_t)j * V + k];
                        int taken = 0, q;
                        if (!(v > bs)) continue;
                        for (q = 0; q < nk; q++) if (parent[q] == j && tok[q] == k) taken = 1;
                        if (!taken) { bs = v; bj = j; bw = k; }
                    }
                if (bj < 0) break;
                parent[nk] = bj; tok[nk] = bw; nscore[nk] = bs;
            }
            for (j = 0; j < nk; j++) {
                if (s) memcpy(nhist + (size_t)j * c->length, hist + (size_t)parent[j] * c->length, sizeof(int) * (size_t)s);
                nhist[(size_t)j * c->length + s] = tok[j];
                score[j] = nscore[j];
            }
            memcpy(hist, nhist, sizeof(int) * (size_t)nk * c->length);
            rows = nk;
            if (c->trace) fprintf(stderr, "trace beam step %d best score %.4f\n", s, score[0]);
            if ((st = rnn_state_select(&m, parent, rows)) != RNN_OK ||
                (st = rnn_step(&m, rows, NULL, tok)) != RNN_OK) {
                fprintf(stderr, "charlm: %s\n", rnn_status_string(st)); ok = 0;
            }
        }
        if (ok) {
            for (n_out = 0; n_out < c->length; ) { /* hypothesis 0 has the best score */
                out[n_out] = hist[n_out];
                put_cp(stdout, vocab[out[n_out]]);
                n_out++;
                if (ends_with(out, n_out, stop_ids, n_stop)) break;
            }
        }
        free(score); free(nscore); free(lp); free(hist); free(nhist); free(parent); free(tok);
        if (!ok) goto done;
    }
    if (n_out == 0 || vocab[out[n_out - 1]] != '\n') putchar('\n'); /* end the last line */
    status = 0;
done:
    fflush(stdout);
    free(prime_ids); free(out); free(keep); free(order); free(lps); free(vocab);
    rnn_model_free(&m);
    return status;
}

/* ---- what the cells do --------------------------------------------------------

   The model reads the validation text (B = 1, T characters at a time, the
   state carried). For every character we keep each unit's state in the top
   layer (tanh(c) for an LSTM, h otherwise, both in -1..1) and the gates.
   Then, for a few things a reader of C keeps track of, the unit whose state
   correlates best with it (Pearson's r) is picked and drawn. */

enum { F_COMMENT, F_STRING, F_BRACES, F_COLUMN, N_FEATURES };
static const char *feature_names[N_FEATURES] = {"inside a comment", "inside a string or quote", "brace depth", "column in the line"};

/* the features after reading each character: a small C lexer */
static void features(const int32_t *cp, int n, float *f)
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
        f[(size_t)i * N_FEATURES + F_COMMENT] = comment ? 1.0f : 0.0f;
        f[(size_t)i * N_FEATURES + F_STRING] = str > 0 || str < 0 ? 1.0f : 0.0f;
        f[(size_t)i * N_FEATURES + F_BRACES] = (float)depth;
        f[(size_t)i * N_FEATURES + F_COLUMN] = (float)col;
        if (str < 0) str = 0; /* the closing quote itself counts as inside */
    }
}

static double pearson(const float *a, int sa, const float *b, int sb, int n)
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
static int read_along(rnn_model *m, const int *ids, int n, float *act, float *gates, int G)
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
static int draw_cells(const config *c, const int32_t *cp, int n, const float *act, int H,
                      const int *units, const char *const *labels, int n_units)
{
    const int S = 2, cw = LAB_GLYPH_W * S, chh = LAB_GLYPH_H * S + 2, cols = 100, max_lines = 9, L = 10;
    int u, i, lines = 1, col = 0, y, ok, panel_h;
    lab_image im;
    for (i = 0; i < n && lines <= max_lines; i++) { /* how many lines the passage takes */
        if (cp[i] == '\n' || ++col >= cols) { lines++; col = 0; }
    }
    if (lines > max_lines) lines = max_lines;
    panel_h = 30 + lines * chh + 14;
    if (lab_image_new(&im, 2 * L + cols * cw, n_units * panel_h + 30, WHITE)) return 0;
    lab_text(&im, L, 8, "each character on the colour of one cell after reading it: red +1, white 0, blue -1", BLACK, 2);
    for (u = 0; u < n_units; u++) {
        int y0 = 30 + u * panel_h, line_no = 0;
        lab_text(&im, L, y0 + 6, labels[u], BLACK, 2);
        col = 0; y = y0 + 30;
        for (i = 0; i < n && line_no < lines; i++) {
            double v = act[(size_t)i * H + units[u]];
            lab_rgb bg = v >= 0 ? lab_mix(WHITE, RED, v) : lab_mix(WHITE, BLUE, -v);
            int x = L + col * cw;
            lab_rect(&im, x, y, x + cw, y + chh, bg);
            lab_glyph(&im, x + S / 2, y + 2, cp[i], BLACK, S);
            if (cp[i] == '\n' || ++col >= cols) { col = 0; y += chh; line_no++; }
        }
    }
    ok = !lab_save_png(&im, c->images, "charlm_cells.png");
    lab_image_free(&im);
    return ok;
}

/* charlm_gates.png: for the picked units, each gate's value (0..1) at every
   step of the first characters of the passage */
static int draw_gates(const config *c, rnn_cell cell, const int32_t *cp, int n, const float *gates, const float *act,
                      int G, int H, const int *units, int n_units)
{
    static const char *lstm_gates[] = {"input gate i", "forget gate f", "candidate g", "output gate o"};
    static const char *gru_gates[] = {"reset gate r", "update gate z", "candidate n"};
    const int S = 2, cw = LAB_GLYPH_W * S, rh = 14, L = 130, top = 30;
    int steps = n < 100 ? n : 100, panels, p, u, t, ok, y, x;
    lab_image im;
    char label[64];
    /* LSTM: i, f, o and the state tanh(c); GRU: r, z and h; simple RNN: h */
    int which[4], n_which = 0;
    if (cell == RNN_LSTM) { which[0] = 0; which[1] = 1; which[2] = 3; n_which = 3; }
    else if (cell == RNN_GRU) { which[0] = 0; which[1] = 1; n_which = 2; }
    panels = n_which + 1;
    if (lab_image_new(&im, L + steps * cw + 10, top + panels * (n_units * rh + 30) + LAB_GLYPH_H * S + 40, WHITE)) return 0;
    lab_text(&im, 10, 8, "gates of the picked units along the passage: white 0, dark 1 (state: red +1, blue -1)", BLACK, 2);
    y = top;
    for (p = 0; p < panels; p++) {
        const char *name = p < n_which ? (cell == RNN_LSTM ? lstm_gates[which[p]] : gru_gates[which[p]])
                                       : cell == RNN_LSTM ? "state tanh(c)" : "state h";
        lab_text(&im, 10, y + 4, name, BLACK, 2);
        y += 22;
        for (u = 0; u < n_units; u++) {
            snprintf(label, sizeof label, "unit %d", units[u]);
            lab_text(&im, 10, y + u * rh + 1, label, GREY, 1);
            for (t = 0; t < steps; t++) {
                lab_rgb col;
                if (p < n_which) col = lab_mix(WHITE, BLACK, gates[((size_t)t * G + which[p]) * H + units[u]]);
                else {
                    double v = act[(size_t)t * H + units[u]];
                    col = v >= 0 ? lab_mix(WHITE, RED, v) : lab_mix(WHITE, BLUE, -v);
                }
                lab_rect(&im, L + t * cw, y + u * rh, L + (t + 1) * cw - 1, y + (u + 1) * rh - 1, col);
            }
        }
        y += n_units * rh + 8;
    }
    for (t = 0; t < steps; t++) { /* the characters, one per column */
        x = L + t * cw;
        if (t % 2 == 0) lab_rect(&im, x, y, x + cw, y + LAB_GLYPH_H * S + 2, LIGHT);
        lab_glyph(&im, x + S / 2, y + 2, cp[t], BLACK, S);
    }
    lab_text(&im, 10, y + 4, "text", BLACK, 2);
    ok = !lab_save_png(&im, c->images, "charlm_gates.png");
    lab_image_free(&im);
    return ok;
}

/* Finds the cells, prints what they track, draws both pictures. */
static int draw_pictures(const config *c, rnn_model *trained, const corpus *cor, int n_train)
{
    rnn_model m;
    const rnn_layer *top;
    int n = cor->n - n_train, H, G, units[N_FEATURES + 8], n_units = 0, k, j, ok = 0, start, len;
    float *act = NULL, *gates = NULL, *f = NULL;
    char label_buf[N_FEATURES + 8][96];
    const char *labels[N_FEATURES + 8];
    if (n > c->analyse) n = c->analyse;
    if (rnn_model_init(&m, &trained->desc) != RNN_OK) { fprintf(stderr, "charlm: out of memory\n"); return 0; }
    memcpy(m.params, trained->params, sizeof(rnn_real) * (size_t)m.n_params);
    top = &m.layers[m.L - 1];
    H = top->H;
    G = top->cell == RNN_LSTM ? 4 : top->cell == RNN_GRU ? 3 : 0;
    act = (float *)malloc(sizeof(float) * (size_t)n * H);
    gates = (float *)malloc(sizeof(float) * (size_t)n * (G ? G : 1) * H);
    f = (float *)malloc(sizeof(float) * (size_t)n * N_FEATURES);
    if (!act || !gates || !f) { fprintf(stderr, "charlm: out of memory\n"); goto done; }
    if (!read_along(&m, cor->ids + n_train, n, act, gates, G)) { fprintf(stderr, "charlm: the forward pass failed\n"); goto done; }
    features(cor->cp + n_train, n, f);
    if (c->units[0]) { /* the units asked for */
        char buf[128], *tok;
        strcpy(buf, c->units);
        for (tok = strtok(buf, ","); tok && n_units < N_FEATURES + 8; tok = strtok(NULL, ",")) {
            char *end;
            long u = strtol(tok, &end, 10);
            if (*end || u < 0 || u >= H) { fprintf(stderr, "charlm: --units: '%s' is not a unit 0..%d\n", tok, H - 1); goto done; }
            units[n_units] = (int)u;
            snprintf(label_buf[n_units], sizeof label_buf[0], "unit %ld of layer %d", u, m.desc.num_layers);
            n_units++;
        }
    } else { /* the best unit for each feature that varies */
        printf("\nthe cells of the top layer that track what a reader of C tracks (Pearson r over\n"
               "%d validation characters; the state is %s):\n", n, top->cell == RNN_LSTM ? "tanh(c)" : "h");
        for (k = 0; k < N_FEATURES; k++) {
            int best = -1;
            double br = 0;
            for (j = 0; j < H; j++) {
                double r = pearson(act + j, H, f + k, N_FEATURES, n);
                if (fabs(r) > fabs(br)) { br = r; best = j; }
            }
            if (best < 0) { printf("  %-26s (does not vary in this text)\n", feature_names[k]); continue; }
            printf("  %-26s unit %4d   r = %+.3f\n", feature_names[k], best, br);
            units[n_units] = best;
            snprintf(label_buf[n_units], sizeof label_buf[0], "unit %d: %s (r = %+.2f)", best, feature_names[k], br);
            n_units++;
        }
    }
    for (k = 0; k < n_units; k++) labels[k] = label_buf[k];
    if (n_units == 0) { ok = 1; goto done; }
    /* the passage: from --passage, moved to the start of a line; by default
       the 9 lines where the features change most often (a comment, a
       string and a brace or two make a better picture than plain code) */
    if (option_seen("--passage")) {
        start = c->passage < n ? c->passage : 0;
        while (start > 0 && cor->cp[n_train + start - 1] != '\n') start--;
    } else {
        int best_score = -1, s0, i, lines_seen, score, changed[F_COLUMN];
        start = 0;
        for (s0 = 0; s0 < n; s0++) {
            if (s0 > 0 && cor->cp[n_train + s0 - 1] != '\n') continue;
            memset(changed, 0, sizeof changed);
            for (i = s0 + 1, lines_seen = 0; i < n && lines_seen < 9 && i - s0 < 900; i++) {
                for (k = 0; k < F_COLUMN; k++) changed[k] += f[(size_t)i * N_FEATURES + k] != f[(size_t)(i - 1) * N_FEATURES + k];
                lines_seen += cor->cp[n_train + i] == '\n';
            }
            /* every kind of change present first, then as few string toggles
               as possible beyond that (escaped quotes make a noisy picture) */
            for (k = 0, score = 0; k < F_COLUMN; k++) score += changed[k] > 0 ? 1000 : 0;
            score += changed[F_COMMENT] * 10 + changed[F_BRACES] * 10 - changed[F_STRING];
            if (score > best_score) { best_score = score; start = s0; }
        }
    }
    len = n - start;
    ok = draw_cells(c, cor->cp + n_train + start, len, act + (size_t)start * H, H, units, labels, n_units);
    ok = draw_gates(c, top->cell, cor->cp + n_train + start, len, gates + (size_t)start * (G ? G : 1) * H,
                    act + (size_t)start * H, G, H, units, n_units) && ok;
done:
    free(act); free(gates); free(f);
    rnn_model_free(&m);
    return ok;
}

/* ---- main -------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    config c, defaults;
    corpus cor;
    int pr, status;
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress lines appear as they are printed */
    memset(&c, 0, sizeof c);
    strcpy(c.text, "rnn.h");
    strcpy(c.cell, "lstm"); strcpy(c.optim, "adam");
    c.layers = 1; c.hidden = 128; c.seq = 64; c.batch = 32; c.steps = 3000; c.seed = 1;
    c.dropout_recurrent = 0.25;
    c.lr = 0.006; c.lr_decay = 0.97; c.momentum = 0; c.clip = 5; c.val = 0.1;
    c.eval_every = 100; c.print_every = 100; c.save_every = 500;
    strcpy(c.checkpoint, "build/charlm.safetensors");
    strcpy(c.log, "build/charlm_log.csv");
    strcpy(c.images, "docs/images");
    c.length = 500; c.temperature = 0.8; c.top_k = 0; c.beam = 0; c.sample_seed = 1;
    c.passage = 0; c.analyse = 20000;
    defaults = c;
    pr = lab_parse_options("charlm", options, N_OPTIONS, &c, argc, argv, "--text");
    if (pr == LAB_OPTIONS_HELP) { lab_usage(stdout, intro, options, N_OPTIONS, &defaults); return 0; }
    if (pr) return 2;
    if (cell_of(c.cell) == RNN_CELL_DEFAULT) { fprintf(stderr, "charlm: unknown cell '%s' (lstm, gru or rnn)\n", c.cell); return 2; }
    if (optim_of(c.optim) == RNN_OPTIM_DEFAULT) { fprintf(stderr, "charlm: unknown optimizer '%s' (adam, rmsprop, adagrad or sgd)\n", c.optim); return 2; }
    if (c.sample + c.draw + c.ngram_only + c.resume > 1) { fprintf(stderr, "charlm: --sample, --draw, --ngram and --resume are different modes: pick one\n"); return 2; }
    if (c.dropout_input > 0 && c.embed == 0) { fprintf(stderr, "charlm: --dropout-input needs --embed (dropping a one-hot input drops the whole character)\n"); return 2; }
    if (c.beam > 0 && (c.top_k || c.greedy)) { fprintf(stderr, "charlm: --beam searches; it does not sample (no --top-k or --greedy with it)\n"); return 2; }
    if (c.sample) return sample(&c);

    if (!corpus_read(&cor, c.text, option_seen("--text") ? ""
                     : " (the default text: run from the repository's root, or name a file)")) return 1;
    if (c.ngram_only) {
        int n_val = (int)(cor.n * c.val), n_train = cor.n - n_val;
        ngram_result ng[RNN_NGRAM_MAX_ORDER];
        status = 1;
        printf("text: %s, %lu bytes, %d characters (code points), vocabulary of %d\n",
               c.text, (unsigned long)cor.bytes, cor.n, cor.V);
        if (n_val < 1 || n_train < 1) fprintf(stderr, "charlm: '%s' is too small to split (%d characters)\n", c.text, cor.n);
        else if (ngram_baselines(&c, cor.ids, n_train, cor.ids + n_train, n_val, cor.V, ng)) {
            print_ngrams(ng, n_train, n_val);
            status = 0;
        }
    } else if (c.draw) {
        rnn_model m;
        int32_t *vocab;
        int V, n_val = (int)(cor.n * c.val);
        status = 1;
        if (load_model(c.checkpoint, &m, &vocab, &V)) {
            if (V != cor.V || memcmp(vocab, cor.vocab, sizeof(int32_t) * (size_t)V))
                fprintf(stderr, "charlm: '%s' was not trained on '%s' (the vocabularies differ)\n", c.checkpoint, c.text);
            else if (n_val < 2) fprintf(stderr, "charlm: '%s' is too small\n", c.text);
            else status = !draw_pictures(&c, &m, &cor, cor.n - n_val);
            rnn_model_free(&m);
            free(vocab);
        }
    } else status = train(&c, &cor);
    corpus_free(&cor);
    return status;
}
