/* seq2seq.c - an encoder-decoder ([arch.seq2seq]) that translates dates
   written in words, in English or Spanish, into ISO 8601:
       "twenty-third of march, nineteen eighty-four"               -> 1984-03-23
       "veintitrés de marzo de mil novecientos ochenta y cuatro"    -> 1984-03-23
   The decks draw the encoder-decoder (D3: "Otras arquitecturas:
   Encoder-Decoder"; D1: Traducción, "I am hungry" -> "Tengo hambre"): one
   network reads the whole sentence into its state, a second one starts
   from that state and writes the answer one symbol at a time.

   The task is generated here, so it needs no data: every day from
   1900-01-01 to 2099-12-31 (73049 dates) is shuffled (--seed); the first
   --test dates are the test set, the next --dev the dev set, and training
   draws from the rest, so a test date is never seen in training in any
   language or wording. English comes in two word orders ("twenty-third of
   march, ..." and "march twenty-third, ...") and two ways of saying years
   after 2010 ("twenty twenty-four", "two thousand twenty-four"); Spanish
   says day 1 as "uno" or "primero".

   Tokens. Source: WORDS, split at spaces and hyphens, commas dropped
   ("twenty-third" is "twenty" "third"). A date is then 5 to 11 tokens and
   the vocabulary about 120 words, each of which means something whole (a
   number word stands for one or two digits); read as characters it would be
   about 45 steps for the encoder to carry through. Target: CHARACTERS, the
   10 of "1984-03-23" (digits and '-') plus </s>: eleven symbols of 11+2,
   where a word-level target would need a class per year and per day and
   could not share what "4" means between them.

   What rnn.h does and what this file does:
     encoder   an rnn_model with an embedding ([embed.lookup]) and no output
               layer; the batch's source sentences are padded at the end,
               the mask keeps the padding from changing the state
               ([embed.pad]), so row T of its state is each sentence's last;
     bridge    rnn_state_copy(dec, enc): the decoder's h<0> (and c<0>) is
               the encoder's final state; backward, rnn_backward(dec) then
               rnn_backward_from(enc, dec) carries dL/dh<0> back into the
               encoder (tests/test_layers.c checks it against finite
               differences);
     decoder   an rnn_model over the 13 target symbols, softmax output:
               input <s> y1 .. y10, target y1 .. y10 </s>.
   Training, two ways, same budget, same seed:
     teacher forcing ([teacher-forcing], deck D3: "reemplazar el feedback
               real ... por la salida deseada"): the decoder reads the true
               previous symbol;
     free running: the decoder reads its OWN previous prediction (greedy,
               rnn_step one step at a time), then a second pass over those
               inputs computes the loss and gradient (no gradient flows
               through the argmax).
   Decoding: greedy (rnn_step, the argmax fed back) and beam search
   (--beam K hypotheses; rnn_state_select keeps the state rows of the
   survivors). The score is exact match: all ten characters right.

   It writes docs/images/seq2seq_curves.png (dev exact match and training
   loss against updates, for both ways of training) and
   docs/images/seq2seq_errors.png (where in "YYYY-MM-DD" the errors are).

   Build and run (about a minute and a half on one core; --help lists the
   options):
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/seq2seq.c -o build/seq2seq -lm
       ./build/seq2seq
       ./build/seq2seq --translate "march fifth, two thousand twenty-four"
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

#define PROG "seq2seq"

/* ---- options --------------------------------------------------------------- */

typedef struct config {
    char cell[16];
    int embed, hidden, layers, batch, steps, eval_every, beam, errors_at;
    int n_test, n_dev, seed, reverse_source;
    char lang[8];           /* en, es or both                                 */
    char mode[8];           /* both, teacher or free                          */
    double lr, clip;
    char translate[512];
    int quiet, no_images;
    char images[256];
} config;

#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--lang", "en|es|both", LAB_CHOICE, OFF(lang), 0, 8, "source language", 0},
    {"--mode", "teacher|free|none|all", LAB_CHOICE, OFF(mode), 0, 8,
     "train with teacher forcing (teacher), on its own predictions (free), with no feedback (none), or all", 0},
    {"--cell", "lstm|gru", LAB_CHOICE, OFF(cell), 0, 16, "the cell of encoder and decoder", 0},
    {"--embed", "E", LAB_INT, OFF(embed), 1, 1024, "embedding size of the source words", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 1024, "hidden units of encoder and decoder", 0},
    {"--layers", "N", LAB_INT, OFF(layers), 1, 4, "stacked layers in each", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "dates per update", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 1, 1e7, "updates", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e6, "clip the global norm of both models' gradient to X", 0},
    {"--eval-every", "N", LAB_INT, OFF(eval_every), 1, 1e7, "updates between two dev evaluations", 0},
    {"--beam", "K", LAB_INT, OFF(beam), 1, 64, "beam width", 0},
    {"--errors-at", "N", LAB_INT, OFF(errors_at), 0, 1e7,
     "seq2seq_errors.png shows the dev errors after N updates (a multiple of --eval-every)", 0},
    {"--test", "N", LAB_INT, OFF(n_test), 1, 20000, "held-out test dates (each in every language)", 0},
    {"--dev", "N", LAB_INT, OFF(n_dev), 1, 20000, "held-out dev dates for the curves", 0},
    {"--reverse-source", NULL, LAB_FLAG, OFF(reverse_source), 0, 1,
     "feed the source words last to first (Sutskever et al. 2014)", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "splits the dates, seeds the weights and the batches", 0},
    {"--translate", "TEXT", LAB_TEXT, OFF(translate), 0, 512, "after training, translate TEXT (greedy and beam)", 0},
    {"--images", "DIR", LAB_TEXT, OFF(images), 0, 256, "where to write seq2seq_curves.png and seq2seq_errors.png", 0},
    {"--no-images", NULL, LAB_FLAG, OFF(no_images), 0, 1, "draw no pictures", 0},
    {"--quiet", NULL, LAB_FLAG, OFF(quiet), 0, 1, "no progress lines", 0},
    {"--help", NULL, LAB_FLAG, 0, 0, 0, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

static const char intro[] =
    "usage: " PROG " [options]\n"
    "An encoder-decoder translates dates in English or Spanish words into YYYY-MM-DD,\n"
    "trained with and without teacher forcing. Options (default in brackets):\n";

/* ---- dates in words ------------------------------------------------------------ */

typedef struct date { short y, m, d; } date;

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int days_in(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return n[m - 1] + (m == 2 && leap(y));
}

static const char *const en_units[20] = {"", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const en_tens[10] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
static const char *const en_ord_units[20] = {"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
    "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth"};
static const char *const en_months[12] = {"january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"};
static const char *const es_units[30] = {"", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho",
    "nueve", "diez", "once", "doce", "trece", "catorce", "quince", "diecis\xc3\xa9is", "diecisiete", "dieciocho",
    "diecinueve", "veinte", "veintiuno", "veintid\xc3\xb3s", "veintitr\xc3\xa9s", "veinticuatro", "veinticinco",
    "veintis\xc3\xa9is", "veintisiete", "veintiocho", "veintinueve"};
static const char *const es_tens[10] = {"", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta",
    "ochenta", "noventa"};
static const char *const es_months[12] = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
    "agosto", "septiembre", "octubre", "noviembre", "diciembre"};

/* 1..99 in words, appended to out */
static void en_number(char *out, int n)
{
    if (n < 20) { strcat(out, en_units[n]); return; }
    strcat(out, en_tens[n / 10]);
    if (n % 10) { strcat(out, "-"); strcat(out, en_units[n % 10]); }
}
static void en_ordinal(char *out, int n)
{
    if (n < 20) { strcat(out, en_ord_units[n]); return; }
    if (n % 10 == 0) { strcat(out, n == 20 ? "twentieth" : "thirtieth"); return; }
    strcat(out, en_tens[n / 10]); strcat(out, "-"); strcat(out, en_ord_units[n % 10]);
}
static void es_number(char *out, int n)
{
    if (n < 30) { strcat(out, es_units[n]); return; }
    strcat(out, es_tens[n / 10]);
    if (n % 10) { strcat(out, " y "); strcat(out, es_units[n % 10]); }
}

/* The date in words. lang 0 English, 1 Spanish; `variant` picks the
   wording (bit 0: English word order, bit 1: English years 2010-2099 as
   "twenty ..." or "two thousand ..."; bit 0 for Spanish: day 1 as "primero"
   or "uno"). */
static void render(char *out, date t, int lang, int variant)
{
    int yy = t.y % 100;
    out[0] = 0;
    if (lang == 0) {
        char day[32] = "";
        en_ordinal(day, t.d);
        if (variant & 1) { strcat(out, en_months[t.m - 1]); strcat(out, " "); strcat(out, day); }
        else { strcat(out, day); strcat(out, " of "); strcat(out, en_months[t.m - 1]); }
        strcat(out, ", ");
        if (t.y < 2000) {
            strcat(out, "nineteen ");
            if (yy == 0) strcat(out, "hundred");
            else if (yy < 10) { strcat(out, "oh-"); strcat(out, en_units[yy]); }
            else en_number(out, yy);
        } else if (yy == 0) strcat(out, "two thousand");
        else if (yy >= 10 && (variant & 2)) { strcat(out, "twenty "); en_number(out, yy); }
        else { strcat(out, "two thousand "); en_number(out, yy); }
    } else {
        if (t.d == 1 && (variant & 1)) strcat(out, "primero");
        else es_number(out, t.d);
        strcat(out, " de "); strcat(out, es_months[t.m - 1]); strcat(out, " de ");
        strcat(out, t.y < 2000 ? "mil novecientos" : "dos mil");
        if (yy) { strcat(out, " "); es_number(out, yy); }
    }
}

/* out must have room for 24 bytes */
static void iso(char *out, date t) { snprintf(out, 24, "%04d-%02d-%02d", (int)t.y, (int)t.m, (int)t.d); }

/* ---- vocabularies ------------------------------------------------------------------ */

#define MAX_WORDS 256
#define MAX_SRC 24            /* source tokens of a date, at most              */
#define SRC_PAD 0             /* source id 0: padding (never read: masked)     */
typedef struct vocab { char word[MAX_WORDS][24]; int n; } vocab;

static int vocab_find(const vocab *v, const char *w)
{
    int i;
    for (i = 1; i < v->n; i++) if (!strcmp(v->word[i], w)) return i;
    return -1;
}

/* Splits text into words at spaces and hyphens (commas dropped), lower-
   cased. add: new words join v; otherwise an unknown word is an error
   (its text into bad). Returns the number of tokens, or -1. */
static int tokenize(vocab *v, const char *text, int *ids, int cap, int add, char *bad, size_t bad_len)
{
    int n = 0;
    const char *s = text;
    while (*s) {
        char w[24];
        size_t k = 0;
        int id;
        while (*s == ' ' || *s == '-' || *s == ',' || *s == '\t' || *s == '\n' || *s == '\r') s++;
        if (!*s) break;
        while (*s && *s != ' ' && *s != '-' && *s != ',' && *s != '\t' && *s != '\n' && *s != '\r') {
            if (k + 1 < sizeof w) w[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
            s++;
        }
        w[k] = 0;
        id = vocab_find(v, w);
        if (id < 0) {
            if (!add || v->n == MAX_WORDS) { if (bad) snprintf(bad, bad_len, "%s", w); return -1; }
            strcpy(v->word[v->n], w);
            id = v->n++;
        }
        if (n == cap) { if (bad) snprintf(bad, bad_len, "(more than %d words)", cap); return -1; }
        ids[n++] = id;
    }
    return n;
}

/* target symbols: '0'..'9' are 0..9, '-' 10, <s> 11, </s> 12 */
enum { TGT_DASH = 10, TGT_BOS = 11, TGT_EOS = 12, N_TGT = 13, TGT_LEN = 10, DEC_T = TGT_LEN + 1 };
static int tgt_id(char ch) { return ch == '-' ? TGT_DASH : ch - '0'; }
static char tgt_char(int id) { return id < 10 ? (char)('0' + id) : id == TGT_DASH ? '-' : id == TGT_BOS ? '^' : '$'; }

/* one example: source tokens, and the date */
typedef struct example { int src[MAX_SRC]; int len, lang, variant; date t; } example;

/* ---- the two models --------------------------------------------------------------- */

typedef struct s2s {
    rnn_model enc, dec;
    rnn_optim oe, od;
    int no_feedback;        /* the control: the decoder reads <s> at every step */
} s2s;

static rnn_status s2s_init(s2s *s, const config *c, int V_src, uint64_t seed)
{
    rnn_model_desc d;
    rnn_optim_desc o;
    rnn_status st;
    memset(s, 0, sizeof *s);
    memset(&d, 0, sizeof d);
    d.cell = !strcmp(c->cell, "gru") ? RNN_GRU : RNN_LSTM;
    d.input_size = V_src; d.embed_size = c->embed; d.hidden_size = c->hidden; d.num_layers = c->layers;
    d.output_size = 0;                   /* the encoder only reads            */
    d.seed = seed;
    if ((st = rnn_model_init(&s->enc, &d)) != RNN_OK) return st;
    d.input_size = N_TGT; d.embed_size = 0; /* the decoder reads one-hot symbols */
    d.output_size = N_TGT; d.output = RNN_SOFTMAX;
    d.seed = seed + 1;
    if ((st = rnn_model_init(&s->dec, &d)) != RNN_OK) return st;
    memset(&o, 0, sizeof o);
    o.kind = RNN_ADAM; o.lr = (rnn_real)c->lr;
    if ((st = rnn_optim_init(&s->oe, &o, s->enc.n_params)) != RNN_OK) return st;
    return rnn_optim_init(&s->od, &o, s->dec.n_params);
}

static void s2s_free(s2s *s)
{
    rnn_model_free(&s->enc); rnn_model_free(&s->dec);
    rnn_optim_free(&s->oe); rnn_optim_free(&s->od);
}

/* the batch's source (T, B) padded at the end, and its mask; returns T */
static int fill_source(const config *c, const example *ex, const int *idx, int B, int *x, int *mask)
{
    int T = 1, b, t;
    for (b = 0; b < B; b++) if (ex[idx[b]].len > T) T = ex[idx[b]].len;
    for (b = 0; b < B; b++) {
        const example *e = &ex[idx[b]];
        for (t = 0; t < T; t++) {
            int in = t < e->len;
            x[t * B + b] = !in ? SRC_PAD : c->reverse_source ? e->src[e->len - 1 - t] : e->src[t];
            mask[t * B + b] = in;   /* [embed.pad] padding leaves the state alone */
        }
    }
    return T;
}

/* teacher forcing's decoder input <s> y1..y10 and target y1..y10 </s>, (DEC_T, B);
   no_feedback: the input is <s> at every step */
static void fill_target(const example *ex, const int *idx, int B, int *din, int *dout, int no_feedback)
{
    int b, t;
    for (b = 0; b < B; b++) {
        char s[24];
        iso(s, ex[idx[b]].t);
        for (t = 0; t < DEC_T; t++) {
            din[t * B + b] = t == 0 || no_feedback ? TGT_BOS : tgt_id(s[t - 1]);
            dout[t * B + b] = t < TGT_LEN ? tgt_id(s[t]) : TGT_EOS;
        }
    }
}

typedef struct buffers { int *x, *mask, *din, *dout, *tok; } buffers;

/* The encoder reads the batch; the decoder starts from its final state. */
static rnn_status encode(s2s *s, const config *c, const example *ex, const int *idx, int B, buffers *w)
{
    rnn_batch be;
    rnn_status st;
    memset(&be, 0, sizeof be);
    be.T = fill_source(c, ex, idx, B, w->x, w->mask);
    be.B = B; be.x_tokens = w->x; be.mask = w->mask;
    if ((st = rnn_reserve(&s->enc, be.T, B)) != RNN_OK) return st;
    rnn_reset_state(&s->enc);                            /* h<0> = c<0> = 0  */
    if ((st = rnn_forward(&s->enc, &be, NULL)) != RNN_OK) return st;
    return rnn_state_copy(&s->dec, &s->enc);             /* [arch.seq2seq] the bridge */
}

/* Greedy free-running decoding from the bridged state: DEC_T steps, each
   fed the argmax of the step before. tok (DEC_T, B): the inputs read,
   <s> first; out (DEC_T, B): the symbols produced. */
static rnn_status greedy(s2s *s, int B, int *tok, int *out)
{
    int t, b;
    rnn_status st;
    for (b = 0; b < B; b++) tok[b] = TGT_BOS;
    for (t = 0; t < DEC_T; t++) {
        if ((st = rnn_step(&s->dec, B, NULL, tok + (size_t)t * B)) != RNN_OK) return st;
        for (b = 0; b < B; b++) {
            int k = rnn_argmax(s->dec.o + (size_t)b * N_TGT, N_TGT);
            out[(size_t)t * B + b] = k;
            if (t + 1 < DEC_T) tok[(size_t)(t + 1) * B + b] = s->no_feedback ? TGT_BOS : k;
        }
    }
    return RNN_OK;
}

/* [clip.norm] over the gradients of both models together (rnn_clip_by_global_norm
   sees one model): g <- g c / ||g|| when ||g|| > c */
static void clip_both(s2s *s, rnn_real c)
{
    double n2 = 0;
    int i;
    for (i = 0; i < s->enc.n_params; i++) n2 += (double)s->enc.grads[i] * s->enc.grads[i];
    for (i = 0; i < s->dec.n_params; i++) n2 += (double)s->dec.grads[i] * s->dec.grads[i];
    if (sqrt(n2) > c) {
        rnn_real f = (rnn_real)(c / sqrt(n2));
        for (i = 0; i < s->enc.n_params; i++) s->enc.grads[i] *= f;
        for (i = 0; i < s->dec.n_params; i++) s->dec.grads[i] *= f;
    }
}

/* One update on the batch idx[0..B-1]. free_running 0: teacher forcing,
   the decoder reads <s> y1 .. y9 y10; 1: it reads <s> and its own greedy
   predictions. Returns the loss per symbol in *loss. */
static rnn_status train_step(s2s *s, const config *c, const example *ex, const int *idx, int B,
                             int free_running, buffers *w, double *loss)
{
    rnn_batch bd;
    rnn_real l;
    rnn_status st;
    fill_target(ex, idx, B, w->din, w->dout, s->no_feedback);
    if ((st = encode(s, c, ex, idx, B, w)) != RNN_OK) return st;
    if (free_running) { /* the model's own inputs, then back to the bridged state */
        if ((st = greedy(s, B, w->din, w->tok)) != RNN_OK) return st;
        if ((st = rnn_state_copy(&s->dec, &s->enc)) != RNN_OK) return st;
    }
    memset(&bd, 0, sizeof bd);
    bd.T = DEC_T; bd.B = B; bd.x_tokens = w->din; bd.y_tokens = w->dout;
    rnn_zero_grad(&s->enc); rnn_zero_grad(&s->dec);
    st = rnn_forward(&s->dec, &bd, &l);                  /* [loss.sum] over the 11 symbols */
    if (st != RNN_OK) return st;
    if ((st = rnn_backward(&s->dec)) != RNN_OK) return st;
    if ((st = rnn_backward_from(&s->enc, &s->dec)) != RNN_OK) return st; /* through the bridge */
    clip_both(s, (rnn_real)c->clip);
    rnn_optim_step(&s->oe, s->enc.params, s->enc.grads);
    rnn_optim_step(&s->od, s->dec.params, s->dec.grads);
    *loss = (double)l / DEC_T;
    return RNN_OK;
}

/* ---- evaluation -------------------------------------------------------------------- */

typedef struct scores {
    int n, exact;               /* examples; all 11 symbols right, greedy      */
    int tf_exact;               /* all right under teacher forcing: always equal
                                   to exact (if every prediction is right, the
                                   fed-back symbols ARE the true ones)          */
    long tf_sym, fr_sym;        /* symbols right: teacher-forced, free running */
    long after_n[2], after_bad[2]; /* symbols after the first wrong one, and how
                                   many of them are wrong: [0] teacher-forced,
                                   [1] free running                            */
    int lang_n[2], lang_exact[2];
    int pos_err[TGT_LEN];       /* greedy: wrong characters at each position  */
    double tf_loss;             /* loss per symbol under teacher forcing      */
} scores;

/* symbols after the first wrong one in pred vs want (column b of (DEC_T, B)) */
static void after_first_error(const int *pred, const int *want, int B, int b, long *n, long *bad)
{
    int t, first = -1;
    for (t = 0; t < DEC_T; t++)
        if (pred[t * B + b] != want[t * B + b]) {
            if (first < 0) first = t;
            else (*bad)++;
        }
    if (first >= 0) *n += DEC_T - 1 - first;
}

/* greedy decoding (and teacher-forced scoring) of the examples idx[0..n-1] */
static rnn_status eval_greedy(s2s *s, const config *c, const example *ex, const int *idx, int n,
                              buffers *w, int chunk, scores *sc)
{
    int i, b, t;
    rnn_status st;
    int *out = (int *)malloc(sizeof(int) * (size_t)DEC_T * chunk);
    memset(sc, 0, sizeof *sc);
    if (!out) return RNN_ERR_NOMEM;
    for (i = 0; i < n; i += chunk) {
        int B = n - i < chunk ? n - i : chunk;
        rnn_batch bd;
        rnn_real l;
        fill_target(ex, idx + i, B, w->din, w->dout, s->no_feedback);
        /* teacher forcing: the true previous symbol at every step */
        if ((st = encode(s, c, ex, idx + i, B, w)) != RNN_OK) goto fail;
        memset(&bd, 0, sizeof bd);
        bd.T = DEC_T; bd.B = B; bd.x_tokens = w->din; bd.y_tokens = w->dout;
        if ((st = rnn_forward(&s->dec, &bd, &l)) != RNN_OK) goto fail;
        sc->tf_loss += (double)l * B / DEC_T;
        for (t = 0; t < DEC_T; t++) /* the teacher-forced predictions, into w->tok */
            for (b = 0; b < B; b++) w->tok[t * B + b] = rnn_argmax(s->dec.y + ((size_t)t * B + b) * N_TGT, N_TGT);
        for (b = 0; b < B; b++) {
            int right = 1;
            for (t = 0; t < DEC_T; t++)
                if (w->tok[t * B + b] != w->dout[t * B + b]) right = 0; else sc->tf_sym++;
            sc->tf_exact += right;
            after_first_error(w->tok, w->dout, B, b, &sc->after_n[0], &sc->after_bad[0]);
        }
        /* free running: greedy from the same bridged state */
        if ((st = rnn_state_copy(&s->dec, &s->enc)) != RNN_OK) goto fail;
        if ((st = greedy(s, B, w->tok, out)) != RNN_OK) goto fail;
        for (b = 0; b < B; b++) {
            int right = 1;
            const example *e = &ex[idx[i + b]];
            for (t = 0; t < DEC_T; t++)
                if (out[t * B + b] != w->dout[t * B + b]) { right = 0; if (t < TGT_LEN) sc->pos_err[t]++; }
                else sc->fr_sym++;
            sc->exact += right;
            after_first_error(out, w->dout, B, b, &sc->after_n[1], &sc->after_bad[1]);
            sc->lang_n[e->lang]++;
            sc->lang_exact[e->lang] += right;
        }
        sc->n += B;
    }
    sc->tf_loss /= n;
    free(out);
    return RNN_OK;
fail:
    free(out);
    return st;
}

/* Beam search for one example: K hypotheses, each a state row of the
   decoder. At every step each live hypothesis is extended by every symbol
   (score: the sum of log-probabilities), the K best extensions survive,
   rnn_state_select moves their parents' state rows into place, and a
   hypothesis that ends with </s> is finished. The search stops when the
   best finished score beats every live one (scores only go down). out gets
   the best finished hypothesis (without </s>); its length is returned. */
static rnn_status beam_search(s2s *s, const config *c, const example *ex, int idx, buffers *w,
                              int K, int *out, int *out_len)
{
    enum { MAXLEN = DEC_T + 1 };
    int seq[64][MAXLEN], nseq[64][MAXLEN], len = 0, alive = 1, t, b, v, i;
    double score[64], nscore[64], best_done = -1e300;
    int best_len = 0, best[MAXLEN], parent[64], last[64];
    rnn_status st;
    if ((st = encode(s, c, ex, &idx, 1, w)) != RNN_OK) return st;
    score[0] = 0; last[0] = TGT_BOS;
    for (t = 0; t < MAXLEN && alive > 0; t++) {
        double cand_s[64 * N_TGT];
        int cand_b[64 * N_TGT], cand_v[64 * N_TGT], nc = 0, keep = 0;
        if ((st = rnn_step(&s->dec, alive, NULL, last)) != RNN_OK) return st;
        for (b = 0; b < alive; b++) {
            rnn_real p[N_TGT];
            rnn_softmax(p, s->dec.o + (size_t)b * N_TGT, N_TGT);
            for (v = 0; v < N_TGT; v++) {
                if (v == TGT_BOS) continue;
                cand_s[nc] = score[b] + log((double)p[v] + 1e-30);
                cand_b[nc] = b; cand_v[nc] = v; nc++;
            }
        }
        /* the K best candidates: a partial selection sort (K is small) */
        for (i = 0; i < K && i < nc; i++) {
            int j, m = i;
            for (j = i + 1; j < nc; j++)
                if (cand_s[j] > cand_s[m] || (cand_s[j] == cand_s[m] && (cand_b[j] < cand_b[m] ||
                    (cand_b[j] == cand_b[m] && cand_v[j] < cand_v[m])))) m = j;
            if (m != i) {
                double ts = cand_s[i]; int tb = cand_b[i], tv = cand_v[i];
                cand_s[i] = cand_s[m]; cand_b[i] = cand_b[m]; cand_v[i] = cand_v[m];
                cand_s[m] = ts; cand_b[m] = tb; cand_v[m] = tv;
            }
            if (cand_v[i] == TGT_EOS) {                   /* a finished hypothesis */
                if (cand_s[i] > best_done) {
                    best_done = cand_s[i]; best_len = len;
                    memcpy(best, seq[cand_b[i]], sizeof(int) * (size_t)len);
                }
                continue;
            }
            memcpy(nseq[keep], seq[cand_b[i]], sizeof(int) * (size_t)len);
            nseq[keep][len] = cand_v[i];
            nscore[keep] = cand_s[i];
            parent[keep] = cand_b[i];
            keep++;
        }
        len++;
        if (keep == 0 || len >= MAXLEN) { alive = 0; break; }
        if (best_done >= nscore[0]) { alive = 0; break; } /* nothing live can win */
        if ((st = rnn_state_select(&s->dec, parent, keep)) != RNN_OK) return st;
        for (b = 0; b < keep; b++) {
            memcpy(seq[b], nseq[b], sizeof(int) * (size_t)len);
            score[b] = nscore[b]; last[b] = s->no_feedback ? TGT_BOS : nseq[b][len - 1];
        }
        alive = keep;
    }
    if (best_done == -1e300) { /* nothing finished: the best live hypothesis */
        best_len = len < MAXLEN ? len : MAXLEN;
        memcpy(best, nseq[0], sizeof(int) * (size_t)best_len);
    }
    memcpy(out, best, sizeof(int) * (size_t)best_len);
    *out_len = best_len;
    return RNN_OK;
}

static rnn_status eval_beam(s2s *s, const config *c, const example *ex, const int *idx, int n,
                            buffers *w, int K, int *exact, int *lang_exact)
{
    int i, t, out[DEC_T + 1], len;
    rnn_status st;
    *exact = 0; lang_exact[0] = lang_exact[1] = 0;
    for (i = 0; i < n; i++) {
        char want[24];
        int right;
        iso(want, ex[idx[i]].t);
        if ((st = beam_search(s, c, ex, idx[i], w, K, out, &len)) != RNN_OK) return st;
        right = len == TGT_LEN;
        for (t = 0; t < len && right; t++) right = tgt_char(out[t]) == want[t];
        *exact += right;
        lang_exact[ex[idx[i]].lang] += right;
    }
    return RNN_OK;
}

/* ---- pictures (the canvas and the font are in lab.h) ---------------------------- */

static const lab_rgb WHITE = {255, 255, 255}, BLACK = {30, 30, 30}, LIGHT = {225, 225, 225};


typedef struct curve { int n; int *step; double *exact, *loss; } curve;

/* seq2seq_curves.png: two panels against updates, for each way of
   training: the dev set's greedy exact match (top) and the training loss
   per symbol, averaged over the updates since the point before (bottom,
   log scale). */
static int draw_curves(const config *c, const curve *cv, const char *const *names, int n_modes)
{
    const int L = 80, W = 640, top = 40, ph = 260, gap = 70;
    lab_image im;
    int k, i, y, ok, x;
    double lmin = 1e300, lmax = 0, l0, l1;
    char label[96];
    static const lab_rgb cols[3] = {{40, 90, 200}, {210, 50, 40}, {40, 150, 60}};
#define XS(s) (L + (int)((double)(s) * (W - 1) / c->steps))
#define YE(a) (top + (int)((1.0 - (a)) * (ph - 1)))
#define YL(v) (top + ph + gap + (int)((l1 - log10(v)) * (ph - 1) / (l1 - l0)))
    for (k = 0; k < n_modes; k++)
        for (i = 0; i < cv[k].n; i++)
            if (cv[k].loss[i] > 0) {
                if (cv[k].loss[i] < lmin) lmin = cv[k].loss[i];
                if (cv[k].loss[i] > lmax) lmax = cv[k].loss[i];
            }
    if (lmax <= 0) { lmin = 0.01; lmax = 1; }
    l0 = floor(log10(lmin)); l1 = ceil(log10(lmax));
    if (l1 <= l0) l1 = l0 + 1;
    im.w = L + W + 30; im.h = top + 2 * ph + gap + 70;
    if (!(im.p = (unsigned char *)malloc((size_t)im.w * im.h * 3))) return 0;
    lab_rect(&im, 0, 0, im.w, im.h, WHITE);
    lab_text(&im, L, 10, "dev exact match (greedy decoding)", BLACK, 1);
    for (i = 0; i <= 4; i++) {
        y = YE(i / 4.0);
        lab_rect(&im, L, y, L + W, y + 1, LIGHT);
        snprintf(label, sizeof label, "%d%%", 25 * i);
        lab_text(&im, L - 8 - lab_text_width(label, 1), y - 5, label, BLACK, 1);
    }
    lab_text(&im, L, top + ph + gap - 26, "training loss per symbol (log scale)", BLACK, 1);
    for (i = (int)l0; i <= (int)l1; i++) {
        y = YL(pow(10, i));
        lab_rect(&im, L, y, L + W, y + 1, LIGHT);
        snprintf(label, sizeof label, "%g", pow(10, i));
        lab_text(&im, L - 8 - lab_text_width(label, 1), y - 5, label, BLACK, 1);
    }
    for (k = 0; k < n_modes; k++)
        for (i = 1; i < cv[k].n; i++) {
            lab_line(&im, XS(cv[k].step[i - 1]), YE(cv[k].exact[i - 1]), XS(cv[k].step[i]), YE(cv[k].exact[i]), cols[k], 2, 0);
            if (i > 1 && cv[k].loss[i - 1] > 0 && cv[k].loss[i] > 0)
                lab_line(&im, XS(cv[k].step[i - 1]), YL(cv[k].loss[i - 1]), XS(cv[k].step[i]), YL(cv[k].loss[i]), cols[k], 2, 0);
        }
    y = top + 2 * ph + gap;
    lab_rect(&im, L, y, L + W, y + 1, BLACK);
    for (i = 0; i <= 4; i++) {
        int s = (int)((double)c->steps * i / 4);
        snprintf(label, sizeof label, "%d", s);
        lab_text(&im, XS(s) - lab_text_width(label, 1) / 2, y + 8, label, BLACK, 1);
    }
    lab_text(&im, L + W - lab_text_width("updates", 1), y + 24, "updates", BLACK, 1);
    x = L;
    for (k = 0; k < n_modes; k++) { x = lab_text(&im, x, y + 44, names[k], cols[k], 1); x = lab_text(&im, x, y + 44, "   ", BLACK, 1); }
#undef XS
#undef YE
#undef YL
    ok = !lab_save_png(&im, c->images, "seq2seq_curves.png");
    free(im.p);
    return ok;
}

/* seq2seq_errors.png: the share of dev dates whose character at each
   position of YYYY-MM-DD is wrong under greedy decoding, per model, early
   in training (--errors-at): at the end there may be no error to show */
static int draw_errors(const config *c, const scores *sc, const char *const *names, int n_modes)
{
    const int L = 80, W = 640, top = 40, ph = 260;
    lab_image im;
    int k, i, ok, x;
    double hi = 0;
    char label[96];
    static const lab_rgb cols[3] = {{40, 90, 200}, {210, 50, 40}, {40, 150, 60}};
    for (k = 0; k < n_modes; k++)
        for (i = 0; i < TGT_LEN; i++) if (sc[k].n && (double)sc[k].pos_err[i] / sc[k].n > hi) hi = (double)sc[k].pos_err[i] / sc[k].n;
    hi = hi <= 0 ? 0.01 : hi * 1.1;
    im.w = L + W + 30; im.h = top + ph + 80;
    if (!(im.p = (unsigned char *)malloc((size_t)im.w * im.h * 3))) return 0;
    lab_rect(&im, 0, 0, im.w, im.h, WHITE);
    snprintf(label, sizeof label, "dev dates with a wrong character at each position, after %d updates (greedy)",
             c->errors_at);
    lab_text(&im, L, 10, label, BLACK, 1);
    for (i = 0; i <= 4; i++) {
        int y = top + (int)((1 - i / 4.0) * (ph - 1));
        lab_rect(&im, L, y, L + W, y + 1, LIGHT);
        snprintf(label, sizeof label, "%.1f%%", 100 * hi * i / 4);
        lab_text(&im, L - 8 - lab_text_width(label, 1), y - 5, label, BLACK, 1);
    }
    for (i = 0; i < TGT_LEN; i++) {
        int x0 = L + i * W / TGT_LEN, bw = W / TGT_LEN / (n_modes + 1);
        const char *pos = "YYYY-MM-DD";
        char s[2];
        for (k = 0; k < n_modes; k++) {
            double f = sc[k].n ? (double)sc[k].pos_err[i] / sc[k].n : 0;
            int h = (int)(f / hi * (ph - 1));
            lab_rect(&im, x0 + bw / 2 + k * bw, top + ph - h, x0 + bw / 2 + (k + 1) * bw - 2, top + ph, cols[k]);
        }
        s[0] = pos[i]; s[1] = 0;
        lab_text(&im, x0 + W / TGT_LEN / 2 - 3, top + ph + 8, s, BLACK, 1);
    }
    lab_rect(&im, L, top + ph, L + W, top + ph + 1, BLACK);
    x = L;
    for (k = 0; k < n_modes; k++) { x = lab_text(&im, x, top + ph + 40, names[k], cols[k], 1); x = lab_text(&im, x, top + ph + 40, "   ", BLACK, 1); }
    ok = !lab_save_png(&im, c->images, "seq2seq_errors.png");
    free(im.p);
    return ok;
}

/* ---- main ------------------------------------------------------------------------------ */

static void print_tokens(const int *t, int n)
{
    int i;
    for (i = 0; i < n && t[i] != TGT_EOS; i++) putchar(tgt_char(t[i]));
}

int main(int argc, char **argv)
{
    config c, defaults;
    vocab v;
    date *days = NULL;
    int n_days = 0, y, m, d, i, k, pr, status = 0, n_langs, langs[2], n_modes, modes[3];
    example *test = NULL, *dev = NULL, *train_ex = NULL;
    int *test_idx = NULL, *dev_idx = NULL, n_test = 0, n_dev = 0, n_train, Bmax;
    buffers w;
    rnn_rng rng;
    curve cv[3];
    scores sc[3], early[3];
    int beam_exact[3], beam_lang[3][2];
    double train_cpu[3];
    static const char *const mode_names[3] = {"teacher forcing", "own predictions", "no feedback"};
    static const char *const mode_says[3] = {" (the decoder reads the true previous symbol)",
        " (the decoder reads its own previous output, as when it is used)",
        " (the control: the decoder reads <s> at every step, never a symbol)"};
    const char *names[3];
    s2s models[3];
    time_t wall0 = time(NULL);
    clock_t cpu0 = clock();
    rnn_status st;
    char bad[64];

    memset(&c, 0, sizeof c);
    strcpy(c.cell, "lstm"); strcpy(c.lang, "both"); strcpy(c.mode, "all");
    c.embed = 32; c.hidden = 64; c.layers = 1; c.batch = 64; c.steps = 1500; c.eval_every = 100;
    c.beam = 5; c.errors_at = 300; c.n_test = 1000; c.n_dev = 250; c.seed = 1; c.lr = 0.005; c.clip = 5;
    strcpy(c.images, "docs/images");
    defaults = c;
    pr = lab_parse_options(PROG, options, N_OPTIONS, &c, argc, argv, NULL);
    if (pr == LAB_OPTIONS_HELP) { lab_usage(stdout, intro, options, N_OPTIONS, &defaults); return 0; }
    if (pr) return 2;
    if (!strcmp(c.lang, "en")) { n_langs = 1; langs[0] = 0; }
    else if (!strcmp(c.lang, "es")) { n_langs = 1; langs[0] = 1; }
    else { n_langs = 2; langs[0] = 0; langs[1] = 1; }     /* both (the parser let no other word through) */
    if (c.errors_at % c.eval_every) {
        fprintf(stderr, PROG ": --errors-at %d must be a multiple of --eval-every %d\n", c.errors_at, c.eval_every);
        return 2;
    }
    if (c.errors_at > c.steps) c.errors_at = c.steps - c.steps % c.eval_every; /* a short run: its last point */
    if (!strcmp(c.mode, "teacher")) { n_modes = 1; modes[0] = 0; }
    else if (!strcmp(c.mode, "free")) { n_modes = 1; modes[0] = 1; }
    else if (!strcmp(c.mode, "none")) { n_modes = 1; modes[0] = 2; }
    else { n_modes = 3; modes[0] = 0; modes[1] = 1; modes[2] = 2; }   /* all */

    /* every date, and every word of every wording (the source vocabulary) */
    days = (date *)malloc(sizeof(date) * 80000);
    if (!days) { fprintf(stderr, PROG ": out of memory\n"); return 1; }
    memset(&v, 0, sizeof v);
    strcpy(v.word[0], "<pad>"); v.n = 1;
    for (y = 1900; y <= 2099; y++)
        for (m = 1; m <= 12; m++)
            for (d = 1; d <= days_in(y, m); d++) {
                date t; char s[160]; int ids[MAX_SRC], var, lang;
                t.y = (short)y; t.m = (short)m; t.d = (short)d;
                days[n_days++] = t;
                for (lang = 0; lang < 2; lang++)
                    for (var = 0; var < 4; var++) {
                        render(s, t, lang, var);
                        if (tokenize(&v, s, ids, MAX_SRC, 1, NULL, 0) < 0) { fprintf(stderr, PROG ": internal: '%s'\n", s); return 1; }
                    }
            }
    if (2 * (c.n_test + c.n_dev) > n_days) {
        fprintf(stderr, PROG ": --test %d and --dev %d leave too few of the %d dates for training (keep half)\n",
                c.n_test, c.n_dev, n_days);
        free(days);
        return 2;
    }
    /* the split: shuffle every day, then test, dev, and training dates */
    rnn_rng_seed(&rng, (uint64_t)c.seed);
    for (i = n_days - 1; i > 0; i--) {
        int j = (int)(rnn_rng_uniform(&rng) * (i + 1));
        date t = days[i]; days[i] = days[j]; days[j] = t;
    }
    n_train = n_days - c.n_test - c.n_dev;
    Bmax = c.batch > 500 ? c.batch : 500;
    test = (example *)malloc(sizeof(example) * (size_t)c.n_test * 2);
    dev = (example *)malloc(sizeof(example) * (size_t)c.n_dev * 2);
    train_ex = (example *)malloc(sizeof(example) * (size_t)c.batch);
    test_idx = (int *)malloc(sizeof(int) * (size_t)(c.n_test + c.n_dev) * 2 + sizeof(int) * (size_t)c.batch);
    w.x = (int *)malloc(sizeof(int) * MAX_SRC * (size_t)Bmax);
    w.mask = (int *)malloc(sizeof(int) * MAX_SRC * (size_t)Bmax);
    w.din = (int *)malloc(sizeof(int) * DEC_T * (size_t)Bmax);
    w.dout = (int *)malloc(sizeof(int) * DEC_T * (size_t)Bmax);
    w.tok = (int *)malloc(sizeof(int) * DEC_T * (size_t)Bmax);
    if (!test || !dev || !train_ex || !test_idx || !w.x || !w.mask || !w.din || !w.dout || !w.tok) {
        fprintf(stderr, PROG ": out of memory\n"); return 1;
    }
    dev_idx = test_idx + (size_t)c.n_test * 2;
    /* each held-out date in each language, in a wording drawn once */
    rnn_rng_seed(&rng, (uint64_t)c.seed * 31 + 7);
    for (k = 0; k < n_langs; k++)
        for (i = 0; i < c.n_test + c.n_dev; i++) {
            int held = i < c.n_test;
            example *e = held ? &test[n_test] : &dev[n_dev];
            char s[160];
            e->t = days[i]; e->lang = langs[k]; e->variant = (int)(rnn_rng_next(&rng) & 3);
            render(s, e->t, e->lang, e->variant);
            e->len = tokenize(&v, s, e->src, MAX_SRC, 0, NULL, 0);
            if (held) { test_idx[n_test] = n_test; n_test++; }
            else { dev_idx[n_dev] = n_dev; n_dev++; }
        }

    printf("seq2seq ([arch.seq2seq], deck D3): dates in words -> YYYY-MM-DD\n"
           "task: %d dates 1900-01-01 .. 2099-12-31 in %s; %d held out for test, %d for dev,\n"
           "      %d for training (a test date is never trained on, in any language or wording)\n"
           "source: %d words (split at spaces and hyphens); target: 13 symbols (0-9, -, <s>, </s>)\n"
           "model: encoder embedding %d + %s %d, decoder %s %d + softmax, %d layer%s; Adam lr %g,\n"
           "       clip %g, %d updates of %d dates, seed %d%s\n",
           n_days, n_langs == 2 ? "English and Spanish" : langs[0] ? "Spanish" : "English",
           c.n_test, c.n_dev, n_train, v.n - 1, c.embed, c.cell, c.hidden, c.cell, c.hidden,
           c.layers, c.layers > 1 ? "s" : "", c.lr, c.clip, c.steps, c.batch, c.seed,
           c.reverse_source ? ", source reversed" : "");
    printf("example: \"");
    {
        char s[160];
        render(s, test[0].t, test[0].lang, test[0].variant); printf("%s\" -> ", s);
        iso(s, test[0].t); printf("%s\n\n", s);
    }
    fflush(stdout);

    memset(cv, 0, sizeof cv);
    memset(early, 0, sizeof early);
    memset(models, 0, sizeof models);
    for (k = 0; k < n_modes; k++) {
        int fr = modes[k], step, *bidx = test_idx + (size_t)(c.n_test + c.n_dev) * 2;
        double loss_sum = 0;
        int loss_n = 0;
        clock_t t0;
        names[k] = mode_names[fr];
        cv[k].step = (int *)malloc(sizeof(int) * (size_t)(c.steps / c.eval_every + 2));
        cv[k].exact = (double *)malloc(sizeof(double) * (size_t)(c.steps / c.eval_every + 2));
        cv[k].loss = (double *)malloc(sizeof(double) * (size_t)(c.steps / c.eval_every + 2));
        if (!cv[k].step || !cv[k].exact || !cv[k].loss) { fprintf(stderr, PROG ": out of memory\n"); return 1; }
        if ((st = s2s_init(&models[k], &c, v.n, (uint64_t)c.seed * 100)) != RNN_OK) {
            fprintf(stderr, PROG ": %s\n", rnn_status_string(st)); return 1;
        }
        models[k].no_feedback = fr == 2;
        printf("training with %s%s\n", mode_names[fr], mode_says[fr]);
        rnn_rng_seed(&rng, (uint64_t)c.seed * 977 + 1);  /* the same batches for both */
        t0 = clock();
        for (step = 0; step <= c.steps; step++) {
            double loss;
            if (step % c.eval_every == 0 || step == c.steps) {
                scores s;
                if ((st = eval_greedy(&models[k], &c, dev, dev_idx, n_dev, &w, 500, &s)) != RNN_OK) {
                    fprintf(stderr, PROG ": %s\n", rnn_status_string(st)); return 1;
                }
                if (step == c.errors_at) early[k] = s;
                cv[k].step[cv[k].n] = step;
                cv[k].exact[cv[k].n] = (double)s.exact / s.n;
                cv[k].loss[cv[k].n] = loss_n ? loss_sum / loss_n : 0;
                cv[k].n++;
                if (!c.quiet)
                    printf("  update %5d  loss/symbol %.4f  dev: exact %5.1f%%, symbols right %5.1f%% free running,"
                           " %5.1f%% teacher-forced  %.1f s CPU\n",
                           step, loss_n ? loss_sum / loss_n : 0, 100.0 * s.exact / s.n, 100.0 * s.fr_sym / (s.n * DEC_T),
                           100.0 * s.tf_sym / (s.n * DEC_T), (double)(clock() - t0) / CLOCKS_PER_SEC);
                fflush(stdout);
                loss_sum = 0; loss_n = 0;
            }
            if (step == c.steps) break;
            for (i = 0; i < c.batch; i++) { /* a batch of training dates, languages and wordings */
                example *e = &train_ex[i];
                char s[160];
                e->t = days[c.n_test + c.n_dev + (int)(rnn_rng_uniform(&rng) * n_train)];
                e->lang = langs[n_langs == 2 ? (int)(rnn_rng_next(&rng) & 1) : 0];
                render(s, e->t, e->lang, (int)(rnn_rng_next(&rng) & 3));
                e->len = tokenize(&v, s, e->src, MAX_SRC, 0, NULL, 0);
                bidx[i] = i;
            }
            if ((st = train_step(&models[k], &c, train_ex, bidx, c.batch, fr == 1, &w, &loss)) != RNN_OK) {
                fprintf(stderr, PROG ": update %d: %s\n", step, rnn_status_string(st)); return 1;
            }
            loss_sum += loss; loss_n++;
        }
        train_cpu[k] = (double)(clock() - t0) / CLOCKS_PER_SEC;
        /* the test set: greedy, and beam search */
        if ((st = eval_greedy(&models[k], &c, test, test_idx, n_test, &w, 500, &sc[k])) != RNN_OK ||
            (st = eval_beam(&models[k], &c, test, test_idx, n_test, &w, c.beam, &beam_exact[k], beam_lang[k])) != RNN_OK) {
            fprintf(stderr, PROG ": %s\n", rnn_status_string(st)); return 1;
        }
        printf("  %.1f s CPU for %d updates (%.0f dates/s)\n\n", train_cpu[k], c.steps,
               c.steps * (double)c.batch / (train_cpu[k] > 0 ? train_cpu[k] : 1e-9));
        fflush(stdout);
    }

    printf("exact match on the %d test examples (%d dates x %d language%s):\n", n_test, c.n_test, n_langs, n_langs > 1 ? "s" : "");
    printf("  %-18s %9s %9s   %14s %14s %15s\n", "trained with", "greedy", "beam", "symbols right:",
           "teacher-forced", "free running");
    for (k = 0; k < n_modes; k++)
        printf("  %-18s %8.1f%% %8.1f%%   %14s %13.2f%% %14.2f%%\n", names[k], 100.0 * sc[k].exact / sc[k].n,
               100.0 * beam_exact[k] / n_test, "", 100.0 * sc[k].tf_sym / (sc[k].n * DEC_T),
               100.0 * sc[k].fr_sym / (sc[k].n * DEC_T));
    printf("  (beam: width %d; symbols: the 11 of YYYY-MM-DD</s>; teacher-forced: the decoder reads the\n"
           "   TRUE previous symbols, which it never has in use; free running: its own, greedy)\n", c.beam);
    for (k = 0; k < n_modes; k++)
        printf("  %-18s exact match under teacher forcing %.1f%%: %s\n", names[k], 100.0 * sc[k].tf_exact / sc[k].n,
               sc[k].tf_exact == sc[k].exact ? "the greedy number, as it must be" : "NOT the greedy number (a bug)");
    printf("after the first wrong symbol of a date, the share of the later symbols also wrong:\n");
    for (k = 0; k < n_modes; k++)
        printf("  %-18s teacher-forced %5.1f%% of %ld   free running %5.1f%% of %ld\n", names[k],
               sc[k].after_n[0] ? 100.0 * sc[k].after_bad[0] / sc[k].after_n[0] : 0.0, sc[k].after_n[0],
               sc[k].after_n[1] ? 100.0 * sc[k].after_bad[1] / sc[k].after_n[1] : 0.0, sc[k].after_n[1]);
    if (n_langs == 2) {
        printf("by language (greedy / beam):\n");
        for (k = 0; k < n_modes; k++)
            printf("  %-26s English %.1f%% / %.1f%%   Spanish %.1f%% / %.1f%%\n", names[k],
                   100.0 * sc[k].lang_exact[0] / sc[k].lang_n[0], 100.0 * beam_lang[k][0] / sc[k].lang_n[0],
                   100.0 * sc[k].lang_exact[1] / sc[k].lang_n[1], 100.0 * beam_lang[k][1] / sc[k].lang_n[1]);
    }
    if (n_modes == 3)
        printf("gap, greedy exact match: teacher forcing %.1f%% - own predictions %.1f%% = %+.1f points"
               " (no feedback at all: %.1f%%)\n",
               100.0 * sc[0].exact / sc[0].n, 100.0 * sc[1].exact / sc[1].n,
               100.0 * sc[0].exact / sc[0].n - 100.0 * sc[1].exact / sc[1].n, 100.0 * sc[2].exact / sc[2].n);

    /* a few test dates, as the first model translates them */
    printf("\nsome test dates (%s, greedy):\n", names[0]);
    for (i = 0; i < 6 && i < n_test; i++) {
        int j = (int)((long)i * n_test / 6), out[DEC_T];
        char s[160], want[24];
        render(s, test[j].t, test[j].lang, test[j].variant);
        iso(want, test[j].t);
        if (encode(&models[0], &c, test, &j, 1, &w) != RNN_OK || greedy(&models[0], 1, w.tok, out) != RNN_OK) break;
        {   /* pad to 60 columns: count characters, not the bytes of UTF-8 */
            int cols = 0; const char *q;
            for (q = s; *q; q++) cols += (*q & 0xC0) != 0x80;
            printf("  %s%*s -> ", s, cols < 60 ? 60 - cols : 0, "");
        }
        print_tokens(out, DEC_T);
        printf("  (%s)\n", want);
    }

    if (c.translate[0]) { /* the user's sentence */
        example e;
        int out[DEC_T + 1], len, zero = 0;
        memset(&e, 0, sizeof e);
        e.len = tokenize(&v, c.translate, e.src, MAX_SRC, 0, bad, sizeof bad);
        if (e.len <= 0) {
            if (e.len == 0) fprintf(stderr, PROG ": --translate: no words in '%s'\n", c.translate);
            else fprintf(stderr, PROG ": --translate: unknown word '%s' (the source vocabulary has %d words: "
                                 "dates in English or Spanish)\n", bad, v.n - 1);
            status = 1;
        } else {
            printf("\n\"%s\"\n", c.translate);
            for (k = 0; k < n_modes; k++) {
                if (encode(&models[k], &c, &e, &zero, 1, &w) != RNN_OK || greedy(&models[k], 1, w.tok, out) != RNN_OK) break;
                printf("  %-16s greedy ", names[k]); print_tokens(out, DEC_T);
                if (beam_search(&models[k], &c, &e, 0, &w, c.beam, out, &len) != RNN_OK) break;
                out[len] = TGT_EOS;
                printf("   beam ");
                print_tokens(out, len);
                printf("\n");
            }
        }
    }
    if (!c.no_images && status == 0) {
        printf("\n");
        if (!draw_curves(&c, cv, names, n_modes)) status = 1;
        if (!draw_errors(&c, early, names, n_modes)) status = 1;
    }
    printf("\ntime: %.0f s wall, %.1f s CPU\n", difftime(time(NULL), wall0), (double)(clock() - cpu0) / CLOCKS_PER_SEC);
    for (k = 0; k < n_modes; k++) { s2s_free(&models[k]); free(cv[k].step); free(cv[k].exact); free(cv[k].loss); }
    free(days); free(test); free(dev); free(train_ex); free(test_idx);
    free(w.x); free(w.mask); free(w.din); free(w.dout); free(w.tok);
    return status;
}
