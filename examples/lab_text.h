/* lab_text.h - text for the labs: whole files, words with ids (a hash
   table), vocabularies by frequency, and UTF-8 (code points in, code points
   out). Include it after lab.h. */
#ifndef LAB_TEXT_H
#define LAB_TEXT_H
#include "lab.h"
#include <stdint.h>

/* Reads a whole file into memory, 0-terminated (its length, without the 0,
   into *len). NULL, after a one-line message naming the file, when it
   cannot. Free it with free(). */
LAB_FN char *lab_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!f) { fprintf(stderr, "%s: cannot open %s\n", lab_program, path); return NULL; }
    for (;;) {
        if (n + 65536 + 1 > cap) {
            char *nb;
            cap = 2 * cap + 65536 + 1;
            if (!(nb = (char *)realloc(buf, cap))) { fprintf(stderr, "%s: out of memory reading %s\n", lab_program, path); free(buf); fclose(f); return NULL; }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        fprintf(stderr, "%s: cannot read %s\n", lab_program, path);
        free(buf); fclose(f); return NULL;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* ---- words: every distinct word gets an id (a hash table) --------------------------- */

typedef struct lab_dict {
    char **word;            /* word[id]                                       */
    int n, cap;             /* words, room in word[]                          */
    int *slot;              /* open addressing: id + 1, 0 = empty             */
    size_t n_slots;         /* a power of 2, at most half full                */
} lab_dict;

LAB_FN uint64_t lab_hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;          /* FNV-1a */
    for (; *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211ull; }
    return h;
}

LAB_FN int lab_dict_find(const lab_dict *d, const char *w)
{
    size_t i;
    if (!d->n_slots) return -1;
    i = (size_t)lab_hash_str(w) & (d->n_slots - 1);
    while (d->slot[i]) {
        if (!strcmp(d->word[d->slot[i] - 1], w)) return d->slot[i] - 1;
        i = (i + 1) & (d->n_slots - 1);
    }
    return -1;
}

/* the id of w, added if new; -1 when out of memory */
LAB_FN int lab_dict_add(lab_dict *d, const char *w)
{
    size_t i, len;
    int id = lab_dict_find(d, w);
    if (id >= 0) return id;
    if (2 * (size_t)(d->n + 1) > d->n_slots) { /* grow the table and rehash */
        size_t ns = d->n_slots ? 2 * d->n_slots : 1024, k;
        int *s = (int *)calloc(ns, sizeof(int));
        if (!s) return -1;
        for (k = 0; k < (size_t)d->n; k++) {
            size_t j = (size_t)lab_hash_str(d->word[k]) & (ns - 1);
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
    i = (size_t)lab_hash_str(w) & (d->n_slots - 1);
    while (d->slot[i]) i = (i + 1) & (d->n_slots - 1);
    d->slot[i] = d->n + 1;
    return d->n++;
}

LAB_FN void lab_dict_free(lab_dict *d)
{
    int i;
    for (i = 0; i < d->n; i++) free(d->word[i]);
    free(d->word); free(d->slot);
    memset(d, 0, sizeof *d);
}

/* ---- UTF-8 ------------------------------------------------------------------
   A code point takes 1 to 4 bytes: 0xxxxxxx, 110xxxxx 10xxxxxx,
   1110xxxx 10xxxxxx 10xxxxxx, 11110xxx 10xxxxxx 10xxxxxx 10xxxxxx.
   Refused: a stray continuation byte, a sequence cut short, an overlong form
   (a code point written with more bytes than it needs), the surrogates
   U+D800..U+DFFF, anything above U+10FFFF. */

/* Decodes the code point at s[*pos] (n bytes in all) and moves *pos past it.
   Returns 1, or 0 for invalid UTF-8 (then *pos is the bad byte). */
LAB_FN int lab_utf8_decode(const unsigned char *s, size_t n, size_t *pos, int32_t *cp)
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
LAB_FN int lab_utf8_encode(int32_t cp, char *out)
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

LAB_FN void lab_put_cp(FILE *f, int32_t cp)
{
    char b[4];
    fwrite(b, 1, (size_t)lab_utf8_encode(cp, b), f);
}

/* s, then spaces up to cols characters (not UTF-8 bytes): a column of text. */
LAB_FN void lab_print_padded(FILE *f, const char *s, int cols)
{
    const char *q;
    int n = 0;
    for (q = s; *q; q++) n += (*q & 0xC0) != 0x80;
    fprintf(f, "%s%*s", s, n < cols ? cols - n : 0, "");
}

/* ---- a text as code points (charlm.c) ------------------------------------------- */

#define LAB_MAX_CODE_POINTS (1 << 16) /* distinct code points a model may have */

typedef struct lab_corpus {
    int32_t *cp;            /* (n) the code points of the text               */
    int *ids;               /* (n) their token ids: index into vocab          */
    int n;
    int32_t *vocab;         /* (V) the distinct code points, ascending        */
    int V;
    size_t bytes;           /* the file's size                                */
    int project;            /* 1: the project's own file (found from any folder), read with a hint */
} lab_corpus;

LAB_FN int lab__cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* the token id of code point cp, or -1 */
LAB_FN int lab_vocab_id(const int32_t *vocab, int V, int32_t cp)
{
    int lo = 0, hi = V - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (vocab[mid] == cp) return mid;
        if (vocab[mid] < cp) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

LAB_FN void lab_corpus_free(lab_corpus *c) { free(c->cp); free(c->ids); free(c->vocab); memset(c, 0, sizeof *c); }

/* Reads a UTF-8 text file into code points and builds its vocabulary.
   Returns 1, or 0 after a one-line error naming the file (hint is added
   to a "cannot open"; a hint is given for the project's own file, which
   lab_corpus_print then says). */
LAB_FN int lab_corpus_read(lab_corpus *c, const char *path, const char *hint)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0, pos = 0, got, line = 1;
    int k;
    memset(c, 0, sizeof *c);
    c->project = hint && hint[0];
    if (!f) { fprintf(stderr, "%s: cannot open '%s'%s\n", lab_program, path, hint); return 0; }
    for (;;) {
        if (n == cap) {
            unsigned char *nb;
            if (cap >= ((size_t)1 << 30)) { fprintf(stderr, "%s: '%s' is larger than 1 GiB\n", lab_program, path); fclose(f); free(buf); return 0; }
            cap = cap ? 2 * cap : 1 << 16;
            nb = (unsigned char *)realloc(buf, cap);
            if (!nb) { fprintf(stderr, "%s: out of memory reading '%s'\n", lab_program, path); fclose(f); free(buf); return 0; }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) { fprintf(stderr, "%s: cannot read '%s'\n", lab_program, path); fclose(f); free(buf); return 0; }
    fclose(f);
    c->bytes = n;
    if (n == 0) { fprintf(stderr, "%s: '%s' is empty\n", lab_program, path); free(buf); return 0; }
    c->cp = (int32_t *)malloc(sizeof(int32_t) * n); /* at most one code point per byte */
    c->ids = (int *)malloc(sizeof(int) * n);
    if (!c->cp || !c->ids) { fprintf(stderr, "%s: out of memory reading '%s'\n", lab_program, path); free(buf); lab_corpus_free(c); return 0; }
    while (pos < n) {
        if (!lab_utf8_decode(buf, n, &pos, &c->cp[c->n])) {
            fprintf(stderr, "%s: '%s' is not valid UTF-8: byte %lu (line %lu) is 0x%02X\n", lab_program,
                    path, (unsigned long)pos, (unsigned long)line, buf[pos]);
            free(buf); lab_corpus_free(c); return 0;
        }
        if (c->cp[c->n++] == '\n') line++;
    }
    /* the round trip: encoding the code points again gives the file's bytes */
    {
        size_t at = 0;
        char b[4];
        int i, len;
        for (i = 0; i < c->n; i++) {
            len = lab_utf8_encode(c->cp[i], b);
            if (at + (size_t)len > n || memcmp(b, buf + at, (size_t)len)) break;
            at += (size_t)len;
        }
        if (i < c->n || at != n) { fprintf(stderr, "%s: '%s': UTF-8 round trip failed at code point %d\n", lab_program, path, i); free(buf); lab_corpus_free(c); return 0; }
    }
    free(buf);
    /* the vocabulary: sort a copy, keep each code point once */
    c->vocab = (int32_t *)malloc(sizeof(int32_t) * (size_t)c->n);
    if (!c->vocab) { fprintf(stderr, "%s: out of memory\n", lab_program); lab_corpus_free(c); return 0; }
    memcpy(c->vocab, c->cp, sizeof(int32_t) * (size_t)c->n);
    qsort(c->vocab, (size_t)c->n, sizeof(int32_t), lab__cmp_i32);
    for (k = 0; k < c->n; k++)
        if (k == 0 || c->vocab[k] != c->vocab[c->V - 1]) c->vocab[c->V++] = c->vocab[k];
    if (c->V > LAB_MAX_CODE_POINTS) { fprintf(stderr, "%s: '%s' has %d distinct characters (at most %d)\n", lab_program, path, c->V, LAB_MAX_CODE_POINTS); lab_corpus_free(c); return 0; }
    for (k = 0; k < c->n; k++) c->ids[k] = lab_vocab_id(c->vocab, c->V, c->cp[k]);
    return 1;
}

/* The text in one line: its name, bytes, code points and vocabulary. */
LAB_FN void lab_corpus_print(const lab_corpus *c, const char *name)
{
    printf("text: %s%s, %lu bytes, %d characters (code points), vocabulary of %d\n", name,
           c->project ? " (the project's, whatever the folder)" : "", (unsigned long)c->bytes, c->n, c->V);
}

/* A UTF-8 string into token ids; -1 (after an error) for an unknown character */
LAB_FN int lab_utf8_tokens(const char *s, const int32_t *vocab, int V, int *ids, int cap, const char *what)
{
    size_t pos = 0, n = strlen(s);
    int k = 0;
    while (pos < n) {
        int32_t cp;
        if (!lab_utf8_decode((const unsigned char *)s, n, &pos, &cp)) { fprintf(stderr, "%s: %s is not valid UTF-8\n", lab_program, what); return -1; }
        if (k == cap) { fprintf(stderr, "%s: %s is too long\n", lab_program, what); return -1; }
        if ((ids[k] = lab_vocab_id(vocab, V, cp)) < 0) {
            fprintf(stderr, "%s: %s has a character the model does not know: U+%04X\n", lab_program, what, (unsigned)cp);
            return -1;
        }
        k++;
    }
    return k;
}

/* "\n", "\t" and "\\" in a priming or stop text; the rest is kept as it is */
LAB_FN void lab_unescape(char *s)
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

/* ---- a CSV log of the losses (charlm.c) ---------------------------------------------
   One row per validation: the step, the epoch, the training and validation
   loss (nats per character), bits per character, perplexity, CPU seconds. */

typedef struct lab_log_row { long step; double epoch, train, val, bpc, ppl, cpu; } lab_log_row;
typedef struct lab_log { lab_log_row *rows; int n, cap; } lab_log;

LAB_FN int lab_log_add(lab_log *g, lab_log_row r)
{
    if (g->n == g->cap) {
        int cap = g->cap ? 2 * g->cap : 256;
        lab_log_row *nr = (lab_log_row *)realloc(g->rows, sizeof(lab_log_row) * (size_t)cap);
        if (!nr) return 0;
        g->rows = nr; g->cap = cap;
    }
    g->rows[g->n++] = r;
    return 1;
}

static const char *const LAB_LOG_HEADER = "step,epoch,train_loss,val_loss,val_bpc,val_ppl,cpu_seconds\n";

LAB_FN void lab_log_print(FILE *f, const lab_log_row *r)
{
    fprintf(f, "%ld,%.4f,%.6f,%.6f,%.6f,%.6f,%.2f\n", r->step, r->epoch, r->train, r->val, r->bpc, r->ppl, r->cpu);
}

/* On resume: the rows of the old log up to the checkpoint's step (a run
   that went on after its last checkpoint wrote rows that never happened
   now), written back so the log reads as one run. */
LAB_FN int lab_log_reload(lab_log *g, const char *path, long upto)
{
    FILE *f = fopen(path, "r");
    char ln[512];
    if (!f) return 1; /* no log yet: start one */
    while (fgets(ln, sizeof ln, f)) {
        lab_log_row r;
        if (sscanf(ln, "%ld,%lf,%lf,%lf,%lf,%lf,%lf", &r.step, &r.epoch, &r.train, &r.val, &r.bpc, &r.ppl, &r.cpu) == 7 &&
            r.step <= upto && !lab_log_add(g, r)) { fclose(f); return 0; }
    }
    fclose(f);
    return 1;
}

/* Does a text of n characters, its last share val held out, give lanes of
   B x T characters (two chunks at least: one step per epoch)? Returns 1,
   or 0 after saying how large it must be. */
LAB_FN int lab_lm_fits(const char *text, int n, int B, int T, double val)
{
    int n_val = (int)(n * val);
    if (n_val >= 2 && (n - n_val) / B >= 2 * T) return 1;
    fprintf(stderr, "%s: '%s' is too small: %d characters; with --batch %d, --seq %d and --val %g "
            "it needs at least %d (a larger text, or a smaller --batch or --seq)\n",
            lab_program, text, n, B, T, val, (int)ceil((2.0 * T * B + 1) / (1 - val)) + 2);
    return 0;
}

/* Opens the log at path for a run that starts at step `from` (0: a new
   run): the old log's rows up to `from` are read into g and written back
   first. Returns the file, or NULL after a one-line error. */
LAB_FN FILE *lab_log_open(lab_log *g, const char *path, long from)
{
    FILE *f;
    int t;
    if (from > 0 && !lab_log_reload(g, path, from)) { fprintf(stderr, "%s: out of memory\n", lab_program); return NULL; }
    if (lab_make_parent(path) || !(f = fopen(path, "w"))) { fprintf(stderr, "%s: cannot write the log '%s'\n", lab_program, path); return NULL; }
    fputs(LAB_LOG_HEADER, f);
    for (t = 0; t < g->n; t++) lab_log_print(f, &g->rows[t]);
    fflush(f);
    return f;
}

/* One row (losses in nats per character) into g and the file f. Returns 0
   when out of memory (said). */
LAB_FN int lab_log_write(lab_log *g, FILE *f, long step, double epoch, double train, double val, double cpu)
{
    lab_log_row r;
    r.step = step; r.epoch = epoch; r.train = train; r.val = val; r.bpc = val / log(2.0); r.ppl = exp(val); r.cpu = cpu;
    if (!lab_log_add(g, r)) { fprintf(stderr, "%s: out of memory\n", lab_program); return 0; }
    lab_log_print(f, &r);
    fflush(f);
    return 1;
}

/* The progress line of a language model's training: the mean training
   loss since the last line, the last validation loss (NAN: none yet) in
   nats, bits per character and perplexity, the speed and the time left
   (from the `updates` updates of `chars` characters in `cpu` seconds). */
LAB_FN void lab_lm_progress(long step, int steps, double epoch, double train, double val, long chars, long updates, double cpu)
{
    char vs[64] = "", ls[32];
    double chars_per_s = (double)chars / (cpu > 0 ? cpu : 1e-9), left = cpu / (double)updates * (double)(steps - step);
    if (val == val)   /* (a perplexity of 1e5 or more in powers of ten: it would not fit) */
        snprintf(vs, sizeof vs, exp(val) < 1e5 ? "  val %.3f (%.2f bpc, ppl %.2f)" : "  val %.3f (%.2f bpc, ppl %.2e)",
                 val, val / log(2.0), exp(val));
    if (left >= 3600) snprintf(ls, sizeof ls, "%dh%02dm", (int)(left / 3600), (int)fmod(left / 60, 60));
    else snprintf(ls, sizeof ls, "%dm%02ds", (int)(left / 60), (int)fmod(left, 60));
    printf("step %6ld/%d  epoch %5.2f  train %.3f%s  %.1fk chars/s  left %s\n", step, steps, epoch, train, vs, chars_per_s / 1000, ls);
    fflush(stdout);
}

/* What a language model's run is, before it starts: the model, the
   optimizer and its schedule, the lanes of truncated BPTT. */
LAB_FN void lab_lm_describe(const rnn_model *m, const char *optim, double lr, double lr_decay, double clip,
                            int B, int lane, int T, int steps_per_epoch, int steps)
{
    const rnn_model_desc *d = &m->desc;
    printf("model: %s, %d layer%s of %d, %s input, %d parameters; %s, lr %g (x %g per epoch), clip %g\n",
           lab_cell_name(d->cell), d->num_layers, d->num_layers > 1 ? "s" : "", d->hidden_size,
           d->embed_size ? "embedded" : "one-hot", m->n_params, optim, lr, lr_decay, clip);
    if (d->dropout > 0 || d->dropout_input > 0 || d->dropout_recurrent > 0)
        printf("dropout: between layers %g, input %g, recurrent %g (training only)\n",
               (double)d->dropout, (double)d->dropout_input, (double)d->dropout_recurrent);
    printf("truncated BPTT: %d lanes of %d characters, chunks of %d, %d steps per epoch; %d steps in all\n",
           B, lane, T, steps_per_epoch, steps);
    printf("(loss: nats per character; bpc: bits per character; ppl: perplexity; CPU time)\n");
    fflush(stdout);
}

/* [lm.sample] the next token from the outputs o (V): argmax when greedy
   (or temperature 0), else drawn from softmax(o / temperature) restricted
   to the top_k likeliest tokens (0: all of them). keep (V) and order (V)
   are scratch. */
LAB_FN int lab_pick(const rnn_real *o, int V, int greedy, double temperature, int top_k, rnn_rng *rng, rnn_real *keep, int *order)
{
    int k, j;
    if (greedy || temperature <= 0) return rnn_argmax(o, V);
    if (top_k <= 0 || top_k >= V) return rnn_sample_logits(o, V, (rnn_real)temperature, rng);
    for (k = 0; k < V; k++) order[k] = k;   /* the top_k ids by a partial selection sort (ties: the lower id first) */
    for (k = 0; k < top_k; k++) {
        int best = k;
        for (j = k + 1; j < V; j++)
            if (o[order[j]] > o[order[best]] || (o[order[j]] == o[order[best]] && order[j] < order[best])) best = j;
        j = order[k]; order[k] = order[best]; order[best] = j;
    }
    for (k = 0; k < V; k++) keep[k] = (rnn_real)-1e30; /* exp(-1e30 / T) is exactly 0 */
    for (k = 0; k < top_k; k++) keep[order[k]] = o[order[k]];
    return rnn_sample_logits(keep, V, (rnn_real)temperature, rng);
}

/* The priming text and the stop string of a sample (both with \n \t \\
   unescaped, in place) as ids of the vocabulary: prime (room 512) gets at
   least one, a newline (or id 0) when there is no priming text, which is
   otherwise written to standard output; stop (room 128). Returns 1, or 0
   after an error naming the option. */
LAB_FN int lab_char_prime(char *prime_text, char *stop_text, const int32_t *vocab, int V, int *prime, int *n_prime, int *stop, int *n_stop)
{
    int k;
    lab_unescape(prime_text); lab_unescape(stop_text);
    *n_stop = 0;
    if ((*n_prime = lab_utf8_tokens(prime_text, vocab, V, prime, 512, "--prime")) < 0) return 0;
    if (stop_text[0] && (*n_stop = lab_utf8_tokens(stop_text, vocab, V, stop, 128, "--stop")) < 0) return 0;
    if (*n_prime == 0) { /* no priming text: start as after a newline (or the first character) */
        prime[0] = lab_vocab_id(vocab, V, '\n') >= 0 ? lab_vocab_id(vocab, V, '\n') : 0;
        *n_prime = 1;
    } else for (k = 0; k < *n_prime; k++) lab_put_cp(stdout, vocab[prime[k]]);
    return 1;
}

/* Do the n tokens of out end with the n_stop tokens of stop? (n_stop 0: no) */
LAB_FN int lab_ends_with(const int *out, int n, const int *stop, int n_stop)
{
    return n_stop && n >= n_stop && !memcmp(out + n - n_stop, stop, sizeof(int) * (size_t)n_stop);
}

/* --trace: the character w just picked from row 0 of the model's outputs,
   its rank among them (1: the likeliest; ties: the lower id first) and its
   probability (rnn_beam_log_softmax, what the beam scores with), on stderr. */
LAB_FN void lab_trace_pick(int i, const rnn_model *m, int w, const int32_t *vocab)
{
    int k, V = m->desc.output_size, rank = 1;
    double *lp = (double *)malloc(sizeof(double) * (size_t)V);
    if (!lp) { fprintf(stderr, "%s: out of memory\n", lab_program); return; }
    rnn_beam_log_softmax(m, 0, lp, NULL);
    for (k = 0; k < V; k++) rank += m->o[k] > m->o[w] || (m->o[k] == m->o[w] && k < w);
    fprintf(stderr, "trace %d U+%04X rank %d p %.6f\n", i, (unsigned)vocab[w], rank, exp(lp[w]));
    free(lp);
}

/* ---- a character model's checkpoint (charlm.c) ------------------------------------- */

/* Loads the checkpoint of a character model (charlm.c) at path: the model,
   with opt (not NULL) the optimizer and the state too (to go on training),
   and the vocabulary of code points into *vocab (malloc'd; free it), its
   size into *V. Returns 1, or 0 after an error message that starts with
   `what` ("cannot load"). */
LAB_FN int lab_char_model_load(const char *path, const char *what, rnn_model *m, rnn_optim *opt, rnn_checkpoint *ck, int32_t **vocab, int *V)
{
    rnn_status st;
    memset(ck, 0, sizeof *ck);
    if (!(*vocab = (int32_t *)malloc(sizeof(int32_t) * LAB_MAX_CODE_POINTS))) { fprintf(stderr, "%s: out of memory\n", lab_program); return 0; }
    ck->optim = opt; ck->with_state = opt != NULL; ck->vocab = *vocab; ck->vocab_cap = LAB_MAX_CODE_POINTS; ck->refuse_nonfinite = 1;
    if ((st = rnn_load(path, m, ck)) != RNN_OK) {
        fprintf(stderr, "%s: %s '%s': %s%s%s\n", lab_program, what, path, rnn_status_string(st), ck->error[0] ? ": " : "", ck->error);
        free(*vocab); *vocab = NULL; return 0;
    }
    if (ck->vocab_len < 1 || ck->vocab_len != m->desc.input_size || m->desc.output_size != m->desc.input_size ||
        m->desc.output != RNN_SOFTMAX || m->D != 1) {
        fprintf(stderr, "%s: '%s' is not a character model (no vocabulary of %d code points)\n", lab_program, path, m->desc.input_size);
        rnn_model_free(m); free(*vocab); *vocab = NULL; return 0;
    }
    *V = ck->vocab_len;
    return 1;
}

/* --resume: the checkpoint at path with the optimizer and the state, for a
   run on the text cor in B lanes (lab_char_model_load). Returns 1, or 0
   after a one-line error: the vocabularies differ, or the checkpoint has no
   optimizer, no state, another --batch, no step yet. */
LAB_FN int lab_char_model_resume(const char *path, rnn_model *m, rnn_optim *opt, rnn_checkpoint *ck, int32_t **vocab,
                                 const lab_corpus *cor, int B)
{
    int V, other;
    if (!lab_char_model_load(path, "cannot resume from", m, opt, ck, vocab, &V)) return 0;
    if ((other = V != cor->V || memcmp(*vocab, cor->vocab, sizeof(int32_t) * (size_t)V)) || !opt->m1 || m->B != B || ck->step < 1) {
        fprintf(stderr, "%s: cannot resume from '%s': %s\n", lab_program, path, other ? "the vocabularies differ" : "optimizer, state or --batch differ");
        return 0;
    }
    return 1;
}

/* Saves the model m and ck (what goes on from here: the optimizer, the
   state, the step ...) at path, unless a weight is NaN or infinite: a
   diverged model is never saved over the last good one. Returns 1, or 0
   after a one-line error. */
LAB_FN int lab_char_model_save(const char *path, const rnn_model *m, rnn_checkpoint *ck)
{
    rnn_status st = RNN_OK;
    if (!lab_all_finite(m->params, m->n_params)) {
        fprintf(stderr, "%s: step %ld: a weight is NaN or infinite (try a smaller --lr or a --clip); '%s' keeps the last checkpoint\n",
                lab_program, (long)ck->step, path);
        return 0;
    }
    if (lab_make_parent(path) || (st = rnn_save(path, m, ck)) != RNN_OK) {
        fprintf(stderr, "%s: cannot save '%s': %s%s%s\n", lab_program, path, rnn_status_string(st), ck->error[0] ? ": " : "", ck->error);
        return 0;
    }
    return 1;
}

#endif /* LAB_TEXT_H */
