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

#endif /* LAB_TEXT_H */
