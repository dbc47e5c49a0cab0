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
   to a "cannot open"). */
LAB_FN int lab_corpus_read(lab_corpus *c, const char *path, const char *hint)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0, pos = 0, got, line = 1;
    int k;
    memset(c, 0, sizeof *c);
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

#endif /* LAB_TEXT_H */
