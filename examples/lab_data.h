/* lab_data.h - the data sets of the labs: readers for the files the labs
   learn from and generators for the ones they make themselves. A reader
   checks what it reads and fails with one line on stderr that names the
   file, the line and the problem; each returns 0 on success, 1 after such
   a message. Include it after lab.h. */
#ifndef LAB_DATA_H
#define LAB_DATA_H
#include "lab.h"
#include "lab_text.h"
#include <ctype.h>

/* The start of a line as printable text (at most 40 characters), for an
   error message. */
LAB_FN const char *lab_excerpt(const char *p)
{
    static char buf[44];
    int i;
    for (i = 0; i < 40 && p[i]; i++) buf[i] = isprint((unsigned char)p[i]) ? p[i] : '?';
    buf[i] = 0;
    return buf;
}

/* ---- a monthly series (forecast.c) ----------------------------------------------- */

#define LAB_MAX_MONTHS 100000

typedef struct lab_series {
    int n;                  /* months                                         */
    int year0, month0;      /* the first month (month 1..12)                  */
    double *v;              /* (n) the values                                 */
} lab_series;

/* Reads "YYYY-MM,value" rows into s; blank lines and lines starting with #
   are skipped, and so is one header line before the first row (a line that
   does not start with a digit). The months must follow each other without
   a gap and the values must be positive numbers. */
LAB_FN int lab_read_series(const char *path, lab_series *s)
{
    FILE *f = fopen(path, "rb");
    char line[512];
    int lineno = 0, rows = 0, header_seen = 0, cap = 256;
    memset(s, 0, sizeof *s);
    if (!f) { fprintf(stderr, "%s: cannot open %s\n", lab_program, path); return 1; }
    s->v = (double *)malloc(sizeof(double) * (size_t)cap);
    if (!s->v) { fclose(f); fprintf(stderr, "%s: out of memory\n", lab_program); return 1; }
    while (fgets(line, sizeof line, f)) {
        char *p = line, *end;
        int year, month, used = 0;
        double v;
        size_t len = strlen(line);
        lineno++;
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            fprintf(stderr, "%s: %s:%d: line too long\n", lab_program, path, lineno); goto fail;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ')) line[--len] = 0;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') continue;
        if (!isdigit((unsigned char)*p)) {
            if (header_seen || rows) {
                fprintf(stderr, "%s: %s:%d: expected a row YYYY-MM,value, found '%s'\n", lab_program, path, lineno, lab_excerpt(p));
                goto fail;
            }
            header_seen = 1;
            continue;
        }
        if (sscanf(p, "%4d-%2d,%n", &year, &month, &used) != 2 || used == 0 || month < 1 || month > 12) {
            fprintf(stderr, "%s: %s:%d: expected a row YYYY-MM,value, found '%s'\n", lab_program, path, lineno, lab_excerpt(p));
            goto fail;
        }
        v = strtod(p + used, &end);
        while (*end == ' ' || *end == '\t') end++;
        if (end == p + used || *end || !(v > 0) || !(v < 1e300)) {
            fprintf(stderr, "%s: %s:%d: the value '%s' is not a positive number\n", lab_program, path, lineno, lab_excerpt(p + used));
            goto fail;
        }
        if (rows == 0) { s->year0 = year; s->month0 = month; }
        else if (year * 12 + month - 1 != s->year0 * 12 + s->month0 - 1 + rows) {
            fprintf(stderr, "%s: %s:%d: month %04d-%02d does not follow the previous row (no gaps allowed)\n",
                    lab_program, path, lineno, year, month);
            goto fail;
        }
        if (rows == LAB_MAX_MONTHS) { fprintf(stderr, "%s: %s: more than %d rows\n", lab_program, path, LAB_MAX_MONTHS); goto fail; }
        if (rows == cap) {
            double *nv = (double *)realloc(s->v, sizeof(double) * (size_t)cap * 2);
            if (!nv) { fprintf(stderr, "%s: out of memory\n", lab_program); goto fail; }
            s->v = nv; cap *= 2;
        }
        s->v[rows++] = v;
    }
    if (ferror(f)) { fprintf(stderr, "%s: %s: read error\n", lab_program, path); goto fail; }
    fclose(f);
    if (rows == 0) { fprintf(stderr, "%s: %s: no data rows (expected YYYY-MM,value)\n", lab_program, path); free(s->v); s->v = NULL; return 1; }
    s->n = rows;
    return 0;
fail:
    fclose(f);
    free(s->v);
    s->v = NULL;
    return 1;
}

/* The name of month i of the series, "1959-01" (out: 16 bytes or more). */
LAB_FN void lab_month_name(const lab_series *s, int i, char *out, size_t size)
{
    int k = s->year0 * 12 + s->month0 - 1 + i;
    snprintf(out, size, "%04d-%02d", k / 12, k % 12 + 1);
}

/* ---- scenes of two shapes, and their captions (shapes.c, caption.c) ---------------
   One scene: a dark, slightly noisy background and two shapes, each one of
   4 colours (red, green, blue, yellow; every pixel jittered) and 3 shapes
   (circle, square, triangle; sizes vary), side by side (one clearly left of
   the other) or one above the other; the two never share both colour and
   shape. Five references per scene, in different words, as MS COCO gives
   five per photo (deck D0, "Image Captioning"), for "a red circle" (L, the
   left or upper one) and "a blue square" (R):
     side by side: L left of R, R right of L, L to the left of R,
                   R is to the right of L, L beside R (vaguer than the picture);
     one above the other: L above R, R below L, L on top of R, R is under L,
                   L over R. */

#define LAB_SHAPES_SIZE 32   /* every image is 32 x 32 pixels, RGB */
#define LAB_SHAPES_REFS 5

static const char *const lab_colour_names[] = {"red", "green", "blue", "yellow"};
static const unsigned char lab_shape_rgb[][3] = {{215, 45, 40}, {45, 165, 70}, {55, 90, 225}, {230, 200, 45}};
static const char *const lab_shape_names[] = {"circle", "square", "triangle"};
enum { LAB_N_COLOURS = 4, LAB_N_SHAPES = 3, LAB_CIRCLE = 0, LAB_SQUARE = 1, LAB_TRIANGLE = 2 };

typedef struct lab_shape { int colour, shape; double x, y, r; } lab_shape;

/* Is the point (px, py) inside the shape? r is the circle's radius, half
   the square's side (times 0.9, so the areas are alike), and half the base
   of the triangle, which points up and is 2r high. */
LAB_FN int lab_shape_inside(const lab_shape *o, double px, double py)
{
    double dx = px - o->x, dy = py - o->y;
    switch (o->shape) {
    case LAB_CIRCLE: return dx * dx + dy * dy <= o->r * o->r;
    case LAB_SQUARE: return fabs(dx) <= 0.9 * o->r && fabs(dy) <= 0.9 * o->r;
    default: /* apex (0, -r), base from (-r, r) to (r, r) */
        return dy <= o->r && dy >= -o->r && fabs(dx) <= (dy + o->r) * 0.5;
    }
}

/* A random scene into obj[0..1]; returns the relation: 0 side by side, 1
   one above the other; obj[0] is the left (upper) one. Centres are drawn
   until the two are apart along the relation's axis and roughly level
   along the other. */
LAB_FN int lab_shape_scene(lab_shape *obj, rnn_rng *rng)
{
    int rel = rnn_rng_uniform(rng) < 0.5 ? 0 : 1, k;
    do {
        obj[0].colour = (int)(rnn_rng_uniform(rng) * LAB_N_COLOURS);
        obj[0].shape = (int)(rnn_rng_uniform(rng) * LAB_N_SHAPES);
        obj[1].colour = (int)(rnn_rng_uniform(rng) * LAB_N_COLOURS);
        obj[1].shape = (int)(rnn_rng_uniform(rng) * LAB_N_SHAPES);
    } while (obj[0].colour == obj[1].colour && obj[0].shape == obj[1].shape);
    for (;;) {
        double along, across;
        for (k = 0; k < 2; k++) {
            obj[k].r = 4.5 + 2.0 * rnn_rng_uniform(rng);
            obj[k].x = obj[k].r + 1 + (LAB_SHAPES_SIZE - 2 * obj[k].r - 2) * rnn_rng_uniform(rng);
            obj[k].y = obj[k].r + 1 + (LAB_SHAPES_SIZE - 2 * obj[k].r - 2) * rnn_rng_uniform(rng);
        }
        along = rel == 0 ? obj[1].x - obj[0].x : obj[1].y - obj[0].y;  /* > 0: obj[0] first */
        across = rel == 0 ? obj[1].y - obj[0].y : obj[1].x - obj[0].x;
        if (along >= obj[0].r + obj[1].r + 2 && fabs(across) <= 0.5 * along) break;
    }
    return rel;
}

/* Draws the scene into img (32 x 32 x 3 bytes): each pixel is the share of
   its 4 x 4 sub-samples inside a shape times the shape's colour (jittered),
   over the background: anti-aliased edges. */
LAB_FN void lab_shape_draw(unsigned char *img, const lab_shape *obj, int n, rnn_rng *rng)
{
    int x, y, k, c, sx, sy;
    double jit[2][3];
    for (k = 0; k < n; k++)
        for (c = 0; c < 3; c++) jit[k][c] = 30 * (rnn_rng_uniform(rng) - 0.5);
    for (y = 0; y < LAB_SHAPES_SIZE; y++)
        for (x = 0; x < LAB_SHAPES_SIZE; x++) {
            double bg = 38 + 14 * (rnn_rng_uniform(rng) - 0.5), v[3];
            for (c = 0; c < 3; c++) v[c] = bg;
            for (k = 0; k < n; k++) {
                int hits = 0;
                for (sy = 0; sy < 4; sy++)
                    for (sx = 0; sx < 4; sx++)
                        hits += lab_shape_inside(&obj[k], x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
                for (c = 0; c < 3; c++) {
                    double col = lab_shape_rgb[obj[k].colour][c] + jit[k][c];
                    v[c] = v[c] + hits / 16.0 * (col - v[c]);
                }
            }
            for (c = 0; c < 3; c++)
                img[3 * (y * LAB_SHAPES_SIZE + x) + c] = (unsigned char)(v[c] < 0 ? 0 : v[c] > 255 ? 255 : v[c] + 0.5);
        }
}

/* The five references of a scene as lines "name<TAB>caption\n", appended to
   out (room for 600 more bytes). */
LAB_FN void lab_shape_refs(char *out, const char *name, const lab_shape *obj, int rel)
{
    static const char *const side[5][2] = {{"%s left of %s", "ab"}, {"%s right of %s", "ba"}, {"%s to the left of %s", "ab"},
                                           {"%s is to the right of %s", "ba"}, {"%s beside %s", "ab"}};
    static const char *const above[5][2] = {{"%s above %s", "ab"}, {"%s below %s", "ba"}, {"%s on top of %s", "ab"},
                                            {"%s is under %s", "ba"}, {"%s over %s", "ab"}};
    char a[32], b[32];
    int k;
    sprintf(a, "a %s %s", lab_colour_names[obj[0].colour], lab_shape_names[obj[0].shape]);
    sprintf(b, "a %s %s", lab_colour_names[obj[1].colour], lab_shape_names[obj[1].shape]);
    for (k = 0; k < LAB_SHAPES_REFS; k++) {
        const char *const *f = rel == 0 ? side[k] : above[k];
        out += strlen(out);
        out += sprintf(out, "%s\t", name);
        sprintf(out, f[0], f[1][0] == 'a' ? a : b, f[1][0] == 'a' ? b : a);
        strcat(out, "\n");
    }
}

/* The seed of the scenes' generator for --seed s */
#define LAB_SHAPES_RNG(s) ((uint64_t)(s) * 0x9e3779b97f4a7c15u + 0x5348u)

/* ---- a captioning data set (caption.c) ----------------------------------------------- */

#define LAB_MAX_WORDS 16     /* words in one caption */
#define LAB_MAX_REFS 8       /* references of one image */
#define LAB_MAX_VOCAB 500
#define LAB_END 0            /* word 0 is the end mark <end> */

typedef struct lab_caption { int len; int w[LAB_MAX_WORDS]; } lab_caption;

typedef struct lab_captions {
    int n;                  /* images                                          */
    char (*name)[64];       /* (n) file names                                  */
    rnn_real *pix;          /* (n, 32, 32, 3) pixels in [-0.5, 0.5]            */
    int *n_refs;            /* (n)                                             */
    lab_caption *refs;      /* (n, LAB_MAX_REFS)                               */
    int V;                  /* words, with <end> as word 0                     */
    char words[LAB_MAX_VOCAB][32];
} lab_captions;

LAB_FN void lab_captions_free(lab_captions *d)
{
    free(d->name); free(d->pix); free(d->n_refs); free(d->refs);
    memset(d, 0, sizeof *d);
}

/* The words of a caption, separated by spaces, into s (cap bytes). */
LAB_FN void lab_caption_text(const lab_captions *d, const lab_caption *c, char *s, size_t cap)
{
    int i;
    size_t k = 0;
    s[0] = 0;
    for (i = 0; i < c->len && k + 1 < cap; i++) {
        int r = snprintf(s + k, cap - k, "%s%s", i ? " " : "", d->words[c->w[i]]);
        if (r < 0) break;
        k += (size_t)r;
    }
}

/* Is caption c one of image i's references, word for word? */
LAB_FN int lab_caption_exact(const lab_captions *d, int i, const lab_caption *c)
{
    int j;
    for (j = 0; j < d->n_refs[i]; j++) {
        const lab_caption *r = &d->refs[(size_t)i * LAB_MAX_REFS + j];
        if (r->len == c->len && !memcmp(r->w, c->w, sizeof(int) * (size_t)r->len)) return 1;
    }
    return 0;
}

/* Corpus BLEU ([bleu], unsmoothed as in the paper) of one caption cand[i]
   per image idx[i] against the image's references, into b, and in *exact
   how many are a reference word for word. */
LAB_FN void lab_captions_bleu(const lab_captions *d, const int *idx, int n, const lab_caption *cand, rnn_bleu *b, int *exact)
{
    int i, j;
    memset(b, 0, sizeof *b);
    for (*exact = 0, i = 0; i < n; i++) {
        const int *refs[LAB_MAX_REFS];
        int lens[LAB_MAX_REFS];
        for (j = 0; j < d->n_refs[idx[i]]; j++) {
            refs[j] = d->refs[(size_t)idx[i] * LAB_MAX_REFS + j].w; lens[j] = d->refs[(size_t)idx[i] * LAB_MAX_REFS + j].len;
        }
        rnn_bleu_add(b, cand[i].w, cand[i].len, refs, lens, d->n_refs[idx[i]]);
        *exact += lab_caption_exact(d, idx[i], &cand[i]);
    }
    rnn_bleu_score(b, RNN_BLEU_SMOOTH_NONE, 0);
}

/* One row of a BLEU table: BLEU-1..4 and the share of exact captions
   (label NULL: the header row). */
LAB_FN void lab_print_bleu_row(const char *label, const rnn_bleu *b, int exact, int n)
{
    if (!label) printf("%-26s %6s %6s %6s %6s  %6s\n", "", "BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "exact");
    else printf("%-26s %6.3f %6.3f %6.3f %6.3f  %5.1f%%\n", label, b->bleu[0], b->bleu[1], b->bleu[2], b->bleu[3], 100.0 * exact / n);
}

/* Reads the text of a captions.txt ("file<TAB>caption" per line, the lines
   of one image together, '#' starts a comment line) into d (no pixels yet).
   The vocabulary is every word of the file, held-out captions included (a
   word only they use is never a target, so the model never writes it).
   `path` names the file in messages; text is changed. */
LAB_FN int lab_captions_parse(lab_captions *d, char *text, const char *path)
{
    char *line, *next;
    int lineno = 0, cap = 0;
    memset(d, 0, sizeof *d);
    strcpy(d->words[0], "<end>");
    d->V = 1;
    for (line = text; line && *line; line = next) {
        char *tab, *w, *end;
        lab_caption *c;
        lineno++;
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        end = line + strlen(line);
        if (end > line && end[-1] == '\r') *--end = 0;
        if (!*line || *line == '#') continue;
        if (!(tab = strchr(line, '\t'))) {
            fprintf(stderr, "%s: %s line %d: no tab between the file name and the caption\n", lab_program, path, lineno);
            goto fail;
        }
        *tab = 0;
        if (tab - line >= 64 || tab == line) {
            fprintf(stderr, "%s: %s line %d: the file name is empty or longer than 63 characters\n", lab_program, path, lineno);
            goto fail;
        }
        if (d->n == 0 || strcmp(d->name[d->n - 1], line)) { /* a new image */
            if (d->n == cap) {
                int nc = cap ? 2 * cap : 256;
                void *a = realloc(d->name, sizeof *d->name * (size_t)nc);
                if (a) d->name = (char (*)[64])a;
                a = a ? realloc(d->n_refs, sizeof(int) * (size_t)nc) : NULL;
                if (a) d->n_refs = (int *)a;
                a = a ? realloc(d->refs, sizeof(lab_caption) * LAB_MAX_REFS * (size_t)nc) : NULL;
                if (!a) { fprintf(stderr, "%s: out of memory\n", lab_program); goto fail; }
                d->refs = (lab_caption *)a;
                cap = nc;
            }
            strcpy(d->name[d->n], line);
            d->n_refs[d->n++] = 0;
        }
        if (d->n_refs[d->n - 1] == LAB_MAX_REFS) {
            fprintf(stderr, "%s: %s line %d: %s has more than %d captions\n", lab_program, path, lineno, line, LAB_MAX_REFS);
            goto fail;
        }
        c = &d->refs[(size_t)(d->n - 1) * LAB_MAX_REFS + d->n_refs[d->n - 1]++];
        c->len = 0;
        for (w = strtok(tab + 1, " \t"); w; w = strtok(NULL, " \t")) {
            int id;
            if (c->len == LAB_MAX_WORDS) {
                fprintf(stderr, "%s: %s line %d: a caption of more than %d words\n", lab_program, path, lineno, LAB_MAX_WORDS);
                goto fail;
            }
            if (strlen(w) >= 32 || !strcmp(w, "<end>")) {
                fprintf(stderr, "%s: %s line %d: the word '%.40s' is too long or reserved\n", lab_program, path, lineno, w);
                goto fail;
            }
            for (id = 0; id < d->V && strcmp(d->words[id], w); id++) {}
            if (id == d->V && d->V == LAB_MAX_VOCAB) {
                fprintf(stderr, "%s: %s line %d: more than %d different words\n", lab_program, path, lineno, LAB_MAX_VOCAB - 1);
                goto fail;
            }
            if (id == d->V) strcpy(d->words[d->V++], w);
            c->w[c->len++] = id;
        }
        if (c->len == 0) {
            fprintf(stderr, "%s: %s line %d: the caption of %s is empty\n", lab_program, path, lineno, d->name[d->n - 1]);
            goto fail;
        }
    }
    if (d->n == 0) { fprintf(stderr, "%s: %s has no captions\n", lab_program, path); goto fail; }
    if (!(d->pix = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)d->n * LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3))) {
        fprintf(stderr, "%s: out of memory\n", lab_program); goto fail;
    }
    return 0;
fail:
    lab_captions_free(d);
    return 1;
}

/* Image i's pixels from 32 x 32 x 3 bytes, into [-0.5, 0.5]. */
LAB_FN void lab_captions_set_image(lab_captions *d, int i, const unsigned char *p)
{
    int k;
    for (k = 0; k < LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3; k++)
        d->pix[(size_t)i * LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3 + k] = p[k] / (rnn_real)255 - (rnn_real)0.5;
}

/* The scenes of shapes.c made in memory: the same captions and pixels as
   `shapes --count count --seed seed` writes, without the files. */
LAB_FN int lab_shapes_make(lab_captions *d, int count, int seed)
{
    size_t cap = (size_t)count * 600 + 200, len = 0;
    char *text = (char *)malloc(cap), name[32];
    unsigned char *img = (unsigned char *)malloc((size_t)count * LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3);
    lab_shape obj[2];
    rnn_rng rng;
    int i;
    if (!text || !img) { free(text); free(img); fprintf(stderr, "%s: out of memory\n", lab_program); return 1; }
    text[0] = 0;
    rnn_rng_seed(&rng, LAB_SHAPES_RNG(seed));
    for (i = 0; i < count; i++) {
        int rel = lab_shape_scene(obj, &rng);
        lab_shape_draw(img + (size_t)i * LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3, obj, 2, &rng);
        sprintf(name, "img_%05d.png", i);
        lab_shape_refs(text + len, name, obj, rel);
        len += strlen(text + len);
    }
    if (lab_captions_parse(d, text, "the scenes")) { free(text); free(img); return 1; }
    for (i = 0; i < d->n; i++) lab_captions_set_image(d, i, img + (size_t)i * LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3);
    free(text); free(img);
    return 0;
}

#ifdef LAB_READ_PNG   /* define it before including lab_data.h to read images */
#if !defined(LAB_NO_STB) && defined(__has_include)
#if !__has_include(<stb/stb_image.h>)
#define LAB_NO_STB
#endif
#endif
#ifndef LAB_NO_STB
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>
#endif

/* Reads DIR/captions.txt and every image it names (32 x 32 PNG files, read
   with stb_image). */
LAB_FN int lab_captions_read(lab_captions *d, const char *dir)
{
    char path[512], *text = NULL;
    long n = -1;
    int i;
    FILE *f;
    memset(d, 0, sizeof *d);
    snprintf(path, sizeof path, "%s/captions.txt", dir);
    if (!(f = fopen(path, "rb"))) { fprintf(stderr, "%s: cannot open %s (no such file?)\n", lab_program, path); return 1; }
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (text = (char *)malloc((size_t)n + 1)) != NULL && fread(text, 1, (size_t)n, f) == (size_t)n) text[n] = 0;
    else { free(text); text = NULL; }
    fclose(f);
    if (!text) { fprintf(stderr, "%s: cannot read %s\n", lab_program, path); return 1; }
    if (lab_captions_parse(d, text, path)) { free(text); return 1; }
    free(text);
#ifdef LAB_NO_STB
    fprintf(stderr, "%s: cannot read the images of %s: built without stb_image.h (Debian: apt-get install libstb-dev)\n",
            lab_program, dir);
    lab_captions_free(d);
    return 1;
#else
    for (i = 0; i < d->n; i++) {
        int w, h, comp;
        unsigned char *p;
        snprintf(path, sizeof path, "%s/%s", dir, d->name[i]);
        if (!(f = fopen(path, "rb"))) { fprintf(stderr, "%s: cannot open %s (no such file?)\n", lab_program, path); goto fail; }
        p = stbi_load_from_file(f, &w, &h, &comp, 3);  /* 3: convert to RGB whatever the file has */
        fclose(f);
        if (!p) { fprintf(stderr, "%s: cannot read %s: %s\n", lab_program, path, stbi_failure_reason()); goto fail; }
        if (w != LAB_SHAPES_SIZE || h != LAB_SHAPES_SIZE) {
            fprintf(stderr, "%s: %s is %dx%d pixels; the images must be %dx%d\n", lab_program, path, w, h,
                    LAB_SHAPES_SIZE, LAB_SHAPES_SIZE);
            stbi_image_free(p);
            goto fail;
        }
        lab_captions_set_image(d, i, p);
        stbi_image_free(p);
    }
    return 0;
fail:
    lab_captions_free(d);
    return 1;
#endif
}
#endif /* LAB_READ_PNG */

/* ---- dates in words, English and Spanish (seq2seq.c) ------------------------------
   Every day from 1900-01-01 to 2099-12-31, written out: English in two word
   orders ("twenty-third of march, ..." and "march twenty-third, ...") and
   two ways of saying the years after 2010 ("twenty twenty-four", "two
   thousand twenty-four"); Spanish says day 1 as "uno" or "primero". The
   words of a sentence are split at spaces and hyphens, commas dropped. */
typedef struct lab_date { short y, m, d; } lab_date;

LAB_FN int lab_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
LAB_FN int lab_days_in(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return n[m - 1] + (m == 2 && lab_leap(y));
}

static const char *const lab_en_units[20] = {"", "one", "two", "three", "four", "five", "six", "seven", "eight",
    "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const lab_en_tens[10] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
static const char *const lab_en_ord_units[20] = {"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
    "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth"};
static const char *const lab_en_months[12] = {"january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"};
static const char *const lab_es_units[30] = {"", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho",
    "nueve", "diez", "once", "doce", "trece", "catorce", "quince", "diecis\xc3\xa9is", "diecisiete", "dieciocho",
    "diecinueve", "veinte", "veintiuno", "veintid\xc3\xb3s", "veintitr\xc3\xa9s", "veinticuatro", "veinticinco",
    "veintis\xc3\xa9is", "veintisiete", "veintiocho", "veintinueve"};
static const char *const lab_es_tens[10] = {"", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta",
    "ochenta", "noventa"};
static const char *const lab_es_months[12] = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
    "agosto", "septiembre", "octubre", "noviembre", "diciembre"};

/* 1..99 in words, appended to out */
LAB_FN void lab_en_number(char *out, int n)
{
    if (n < 20) { strcat(out, lab_en_units[n]); return; }
    strcat(out, lab_en_tens[n / 10]);
    if (n % 10) { strcat(out, "-"); strcat(out, lab_en_units[n % 10]); }
}
LAB_FN void lab_en_ordinal(char *out, int n)
{
    if (n < 20) { strcat(out, lab_en_ord_units[n]); return; }
    if (n % 10 == 0) { strcat(out, n == 20 ? "twentieth" : "thirtieth"); return; }
    strcat(out, lab_en_tens[n / 10]); strcat(out, "-"); strcat(out, lab_en_ord_units[n % 10]);
}
LAB_FN void lab_es_number(char *out, int n)
{
    if (n < 30) { strcat(out, lab_es_units[n]); return; }
    strcat(out, lab_es_tens[n / 10]);
    if (n % 10) { strcat(out, " y "); strcat(out, lab_es_units[n % 10]); }
}

/* The date in words. lang 0 English, 1 Spanish; `variant` picks the
   wording (bit 0: English word order, bit 1: English years 2010-2099 as
   "twenty ..." or "two thousand ..."; bit 0 for Spanish: day 1 as "primero"
   or "uno"). */
LAB_FN void lab_date_words(char *out, lab_date t, int lang, int variant)
{
    int yy = t.y % 100;
    out[0] = 0;
    if (lang == 0) {
        char day[32] = "";
        lab_en_ordinal(day, t.d);
        if (variant & 1) { strcat(out, lab_en_months[t.m - 1]); strcat(out, " "); strcat(out, day); }
        else { strcat(out, day); strcat(out, " of "); strcat(out, lab_en_months[t.m - 1]); }
        strcat(out, ", ");
        if (t.y < 2000) {
            strcat(out, "nineteen ");
            if (yy == 0) strcat(out, "hundred");
            else if (yy < 10) { strcat(out, "oh-"); strcat(out, lab_en_units[yy]); }
            else lab_en_number(out, yy);
        } else if (yy == 0) strcat(out, "two thousand");
        else if (yy >= 10 && (variant & 2)) { strcat(out, "twenty "); lab_en_number(out, yy); }
        else { strcat(out, "two thousand "); lab_en_number(out, yy); }
    } else {
        if (t.d == 1 && (variant & 1)) strcat(out, "primero");
        else lab_es_number(out, t.d);
        strcat(out, " de "); strcat(out, lab_es_months[t.m - 1]); strcat(out, " de ");
        strcat(out, t.y < 2000 ? "mil novecientos" : "dos mil");
        if (yy) { strcat(out, " "); lab_es_number(out, yy); }
    }
}

/* out must have room for 24 bytes */
LAB_FN void lab_date_iso(char *out, lab_date t) { snprintf(out, 24, "%04d-%02d-%02d", (int)t.y, (int)t.m, (int)t.d); }


#define LAB_MAX_SRC_WORDS 256
typedef struct lab_words { char word[LAB_MAX_SRC_WORDS][24]; int n; } lab_words;  /* word 0: padding */

LAB_FN int lab_words_find(const lab_words *v, const char *w)
{
    int i;
    for (i = 1; i < v->n; i++) if (!strcmp(v->word[i], w)) return i;
    return -1;
}

/* Splits text into words at spaces and hyphens (commas dropped), lower-
   cased. add: new words join v; otherwise an unknown word is an error
   (its text into bad). Returns the number of tokens, or -1. */
LAB_FN int lab_words_split(lab_words *v, const char *text, int *ids, int cap, int add, char *bad, size_t bad_len)
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
        id = lab_words_find(v, w);
        if (id < 0) {
            if (!add || v->n == LAB_MAX_SRC_WORDS) { if (bad) snprintf(bad, bad_len, "%s", w); return -1; }
            strcpy(v->word[v->n], w);
            id = v->n++;
        }
        if (n == cap) { if (bad) snprintf(bad, bad_len, "(more than %d words)", cap); return -1; }
        ids[n++] = id;
    }
    return n;
}

/* Every day from 1900-01-01 to 2099-12-31 into days (room for 73049), in
   order, and every word of every wording into v (word 0: <pad>). Returns
   how many days, or -1 (said why). */
LAB_FN int lab_dates_all(lab_date *days, lab_words *v)
{
    int n = 0, y, m, d, lang, var, ids[32];
    char s[160];
    memset(v, 0, sizeof *v);
    strcpy(v->word[0], "<pad>"); v->n = 1;
    for (y = 1900; y <= 2099; y++)
        for (m = 1; m <= 12; m++)
            for (d = 1; d <= lab_days_in(y, m); d++) {
                days[n].y = (short)y; days[n].m = (short)m; days[n].d = (short)d;
                for (lang = 0; lang < 2; lang++)
                    for (var = 0; var < 4; var++) {
                        lab_date_words(s, days[n], lang, var);
                        if (lab_words_split(v, s, ids, 32, 1, NULL, 0) < 0) { fprintf(stderr, "%s: internal: '%s'\n", lab_program, s); return -1; }
                    }
                n++;
            }
    return n;
}

/* One example of the task: a date, its wording and its source tokens. */
#define LAB_MAX_SRC 24
typedef struct lab_date_example { int src[LAB_MAX_SRC]; int len, lang, variant; lab_date t; } lab_date_example;

/* The held-out examples: the first n_test of the (shuffled) days into test,
   the next n_dev into dev, each in every language of langs[0..n_langs-1],
   in a wording drawn once (seed); returns how many test examples
   (n_test * n_langs; dev gets n_dev * n_langs). */
LAB_FN int lab_dates_held_out(const lab_date *days, int n_test, int n_dev, const int *langs, int n_langs, uint64_t seed,
                              lab_words *v, lab_date_example *test, lab_date_example *dev)
{
    int i, k, nt = 0, nd = 0;
    char s[160];
    rnn_rng rng;
    rnn_rng_seed(&rng, seed);
    for (k = 0; k < n_langs; k++)
        for (i = 0; i < n_test + n_dev; i++) {
            lab_date_example *e = i < n_test ? &test[nt++] : &dev[nd++];
            e->t = days[i]; e->lang = langs[k]; e->variant = (int)(rnn_rng_next(&rng) & 3);
            lab_date_words(s, e->t, e->lang, e->variant);
            e->len = lab_words_split(v, s, e->src, LAB_MAX_SRC, 0, NULL, 0);
        }
    return nt;
}

/* A batch of B training examples: dates drawn from days[0..n-1], languages
   from langs[0..n_langs-1], wordings at random (generator r). */
LAB_FN void lab_dates_batch(lab_date_example *ex, int B, const lab_date *days, int n, const int *langs, int n_langs,
                            lab_words *v, rnn_rng *r)
{
    int i;
    char s[160];
    for (i = 0; i < B; i++) {
        lab_date_example *e = &ex[i];
        e->t = days[(int)(rnn_rng_uniform(r) * n)];
        e->lang = langs[n_langs == 2 ? (int)(rnn_rng_next(r) & 1) : 0];
        lab_date_words(s, e->t, e->lang, (int)(rnn_rng_next(r) & 3));
        e->len = lab_words_split(v, s, e->src, LAB_MAX_SRC, 0, NULL, 0);
    }
}

/* Every day of days[0..n-1] in a random order (Fisher-Yates, seed): the
   first ones become the held-out dates. */
LAB_FN void lab_dates_shuffle(lab_date *days, int n, uint64_t seed)
{
    rnn_rng rng;
    int i;
    rnn_rng_seed(&rng, seed);
    for (i = n - 1; i > 0; i--) {
        int j = (int)(rnn_rng_uniform(&rng) * (i + 1));
        lab_date t = days[i]; days[i] = days[j]; days[j] = t;
    }
}

/* The whole task, made once: every date (days), the source vocabulary (v),
   the days shuffled (seed) into n_test test dates, n_dev dev dates and the
   rest for training; the held-out examples in every language asked for
   (lang "en", "es" or "both"), and room for a training batch. */
#define LAB_MAX_DAYS 80000
typedef struct lab_dates_task {
    lab_words v;
    lab_date days[LAB_MAX_DAYS];
    int n_days, n_train;            /* every date; the training dates          */
    int n_test, n_dev;              /* held-out examples: dates x languages    */
    int langs[2], n_langs;
    lab_date_example *test, *dev, *train;   /* train: room for one batch        */
    int *idx;                       /* 0, 1, 2, ...: every example, in order   */
} lab_dates_task;

LAB_FN void lab_dates_task_free(lab_dates_task *d) { free(d->test); free(d->idx); d->test = NULL; d->idx = NULL; }

/* Returns 0, or an exit status after a one-line message: 2, --test and
   --dev leave too few dates for training; 1, out of memory. */
LAB_FN int lab_dates_task_make(lab_dates_task *d, const char *lang, int n_test, int n_dev, int batch, int seed)
{
    size_t n_ex = (size_t)(n_test + n_dev) * 2 + (size_t)batch;
    size_t i;
    d->n_langs = strcmp(lang, "both") ? 1 : 2;
    d->langs[0] = !strcmp(lang, "es"); d->langs[1] = 1;
    if ((d->n_days = lab_dates_all(d->days, &d->v)) < 0) return 1;
    if (2 * (n_test + n_dev) > d->n_days) {
        fprintf(stderr, "%s: --test %d and --dev %d leave too few of the %d dates for training (keep half)\n",
                lab_program, n_test, n_dev, d->n_days);
        return 2;
    }
    lab_dates_shuffle(d->days, d->n_days, (uint64_t)seed);   /* the split: test, dev, then training dates */
    d->n_train = d->n_days - n_test - n_dev;
    d->test = (lab_date_example *)malloc(sizeof(lab_date_example) * n_ex);
    d->idx = (int *)malloc(sizeof(int) * n_ex);
    if (!d->test || !d->idx) { fprintf(stderr, "%s: out of memory\n", lab_program); lab_dates_task_free(d); return 1; }
    d->dev = d->test + (size_t)n_test * 2; d->train = d->dev + (size_t)n_dev * 2;
    d->n_test = lab_dates_held_out(d->days, n_test, n_dev, d->langs, d->n_langs, (uint64_t)seed * 31 + 7, &d->v, d->test, d->dev);
    d->n_dev = n_dev * d->n_langs;
    for (i = 0; i < n_ex; i++) d->idx[i] = (int)i;
    return 0;
}

/* The task in three lines (n_test, n_dev: dates). */
LAB_FN void lab_dates_task_print(const lab_dates_task *d, int n_test, int n_dev)
{
    printf("task: %d dates 1900-01-01 .. 2099-12-31 in %s; %d held out for test, %d for dev,\n"
           "      %d for training (a test date is never trained on, in any language or wording)\n"
           "source: %d words (split at spaces and hyphens); target: 13 symbols (0-9, -, <s>, </s>)\n",
           d->n_days, d->n_langs == 2 ? "English and Spanish" : d->langs[0] ? "Spanish" : "English",
           n_test, n_dev, d->n_train, d->v.n - 1);
}

/* A sentence of the user's into e; 0, or 1 after a one-line message (no
   words, or a word the source vocabulary lacks). */
LAB_FN int lab_dates_parse(lab_words *v, const char *text, lab_date_example *e)
{
    char bad[64];
    memset(e, 0, sizeof *e);
    e->len = lab_words_split(v, text, e->src, LAB_MAX_SRC, 0, bad, sizeof bad);
    if (e->len > 0) return 0;
    if (e->len == 0) fprintf(stderr, "%s: --translate: no words in '%s'\n", lab_program, text);
    else fprintf(stderr, "%s: --translate: unknown word '%s' (the source vocabulary has %d words: "
                         "dates in English or Spanish)\n", lab_program, bad, v->n - 1);
    return 1;
}

/* ---- scores of a decoder that writes T symbols (seq2seq.c) ---------------------------
   Exact match (every symbol right) greedy and by beam search, by language;
   the symbols right when the decoder reads the TRUE previous symbols
   (teacher-forced) and its own (free running); and how errors follow
   errors: of the symbols after the first wrong one, how many are wrong. */
#define LAB_SEQ_MAX 16
typedef struct lab_seq_scores {
    int n, exact;               /* examples; all T symbols right, greedy       */
    int tf_exact;               /* all right under teacher forcing: always equal to exact
                                   (if every prediction is right, the fed-back symbols ARE the true ones) */
    long tf_sym, fr_sym;        /* symbols right: teacher-forced, free running */
    long after_n[2], after_bad[2]; /* symbols after the first wrong one, and how many of
                                   them are wrong: [0] teacher-forced, [1] free running */
    int lang_n[2], lang_exact[2], beam_exact, beam_lang[2];
    int pos_err[LAB_SEQ_MAX];   /* free running: wrong symbols at each position */
} lab_seq_scores;

/* Scores column b of the predictions pred (T, B) against want: the symbols
   right, the symbols after the first wrong one and how many of them are
   wrong, and exact match (all T right): mode 0 teacher-forced (tf_exact),
   1 free running (exact, and by the example's language lang; positions
   below n_pos counted in pos_err). Returns 1 if all are right. */
LAB_FN int lab_seq_score_column(lab_seq_scores *sc, const int *pred, const int *want, int T, int B, int b, int mode, int n_pos, int lang)
{
    int t, first = -1;
    for (t = 0; t < T; t++) {
        if (pred[t * B + b] == want[t * B + b]) { if (mode) sc->fr_sym++; else sc->tf_sym++; continue; }
        if (mode && t < n_pos && t < LAB_SEQ_MAX) sc->pos_err[t]++;
        if (first < 0) first = t; else sc->after_bad[mode]++;
    }
    if (first >= 0) sc->after_n[mode] += T - 1 - first;
    if (mode == 0) sc->tf_exact += first < 0;
    else { sc->exact += first < 0; sc->lang_n[lang]++; sc->lang_exact[lang] += first < 0; }
    return first < 0;
}

/* Scores a beam search's answer out (len symbols, the end symbol left out)
   against want (n symbols): exact match, by the example's language. */
LAB_FN void lab_seq_score_beam(lab_seq_scores *sc, const int *out, int len, const int *want, int n, int lang)
{
    int right = len == n && !memcmp(out, want, sizeof(int) * (size_t)n);
    sc->beam_exact += right;
    sc->beam_lang[lang] += right;
}

/* The token buffers of an encoder-decoder on batches of up to B examples:
   the source (max_src, B) and its mask, the decoder's input, its target
   and the tokens it read (T, B) each. One block: free(w->x) frees it.
   Returns 0, or 1 after a one-line message. */
typedef struct lab_seq_buffers { int *x, *mask, *din, *dout, *tok; } lab_seq_buffers;

LAB_FN int lab_seq_buffers_alloc(lab_seq_buffers *w, int max_src, int T, int B)
{
    w->x = (int *)malloc(sizeof(int) * (2 * (size_t)max_src + 3 * (size_t)T) * (size_t)B);
    if (!w->x) { fprintf(stderr, "%s: out of memory\n", lab_program); return 1; }
    w->mask = w->x + (size_t)max_src * B; w->din = w->mask + (size_t)max_src * B;
    w->dout = w->din + (size_t)T * B; w->tok = w->dout + (size_t)T * B;
    return 0;
}

/* The tables of the test set for the n_modes ways of training names[k]:
   n_test examples (n_dates dates in n_langs languages), beam width beam,
   T symbols per answer. */
LAB_FN void lab_seq_report(const lab_seq_scores *sc, const char *const *names, int n_modes, int n_test, int n_dates,
                           int n_langs, int beam, int T)
{
    int k;
    printf("exact match on the %d test examples (%d dates x %d language%s):\n", n_test, n_dates, n_langs, n_langs > 1 ? "s" : "");
    printf("  %-18s %9s %9s   %14s %14s %15s\n", "trained with", "greedy", "beam", "symbols right:", "teacher-forced", "free running");
    for (k = 0; k < n_modes; k++)
        printf("  %-18s %8.1f%% %8.1f%%   %14s %13.2f%% %14.2f%%\n", names[k], 100.0 * sc[k].exact / sc[k].n,
               100.0 * sc[k].beam_exact / n_test, "", 100.0 * sc[k].tf_sym / (sc[k].n * T), 100.0 * sc[k].fr_sym / (sc[k].n * T));
    printf("  (beam: width %d; symbols: the 11 of YYYY-MM-DD</s>; teacher-forced: the decoder reads the\n"
           "   TRUE previous symbols, which it never has in use; free running: its own, greedy)\n", beam);
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
                   100.0 * sc[k].lang_exact[0] / sc[k].lang_n[0], 100.0 * sc[k].beam_lang[0] / sc[k].lang_n[0],
                   100.0 * sc[k].lang_exact[1] / sc[k].lang_n[1], 100.0 * sc[k].beam_lang[1] / sc[k].lang_n[1]);
    }
    if (n_modes == 3)
        printf("gap, greedy exact match: teacher forcing %.1f%% - own predictions %.1f%% = %+.1f points"
               " (no feedback at all: %.1f%%)\n", 100.0 * sc[0].exact / sc[0].n, 100.0 * sc[1].exact / sc[1].n,
               100.0 * sc[0].exact / sc[0].n - 100.0 * sc[1].exact / sc[1].n, 100.0 * sc[2].exact / sc[2].n);
}

/* ---- sentences with a label: the sentence polarity data (sentiment.c) ------------- */

typedef struct lab_review { int *w; int len, label; } lab_review; /* w: lab_dict ids */
typedef struct lab_reviews {
    lab_dict words;
    lab_review *r;
    int n, cap;
    long long tokens;
} lab_reviews;

/* Splits one sentence (s, n bytes) into words at white space, lower-cases
   ASCII letters, and adds it with its label. 0 on success, -1 out of memory;
   a sentence without words is skipped (1). */
LAB_FN int lab__add_review(lab_reviews *c, char *s, size_t n, int label)
{
    int ids[4096], k = 0;
    size_t i = 0;
    lab_review *r;
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
            id = lab_dict_add(&c->words, s + i);
            s[j] = keep;
            if (id < 0) return -1;
            if (k < (int)(sizeof ids / sizeof ids[0])) ids[k++] = id; /* longer: cut at 4096 words */
        }
        i = j;
    }
    if (k == 0) return 1;
    if (c->n == c->cap) {
        int nc = c->cap ? 2 * c->cap : 1024;
        lab_review *nr = (lab_review *)realloc(c->r, sizeof(lab_review) * (size_t)nc);
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
LAB_FN int lab__read_reviews(lab_reviews *c, const char *path, int label)
{
    size_t len, a = 0;
    int line = 0, before = c->n;
    char *buf = lab_read_file(path, &len);
    if (!buf) return 0;
    if (memchr(buf, 0, len)) { fprintf(stderr, "%s: %s is not a text file (it has a zero byte)\n", lab_program, path); free(buf); return 0; }
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
                fprintf(stderr, "%s: %s:%d: no tab: a line must be 'sentence<TAB>label'\n", lab_program, path, line);
                free(buf); return 0;
            }
            for (s = t; s < end && buf[s] == ' '; s++) {}
            for (e = end; e > s && (buf[e - 1] == ' ' || buf[e - 1] == '\r'); e--) {}
            if (e - s != 1 || (buf[s] != '0' && buf[s] != '1')) {
                char shown[32];
                size_t k = e - s < sizeof shown - 1 ? e - s : sizeof shown - 1;
                memcpy(shown, buf + s, k); shown[k] = 0;
                fprintf(stderr, "%s: %s:%d: the label must be 0 or 1, not '%s'\n", lab_program, path, line, shown);
                free(buf); return 0;
            }
            lab = buf[s] - '0';
            end = t - 1;                                            /* the sentence */
        }
        rc = lab__add_review(c, buf + a, end - a, lab);
        if (rc < 0) { fprintf(stderr, "%s: out of memory reading %s\n", lab_program, path); free(buf); return 0; }
        a = b + 1;
    }
    free(buf);
    if (c->n == before) { fprintf(stderr, "%s: %s has no reviews (no line with a word in it)\n", lab_program, path); return 0; }
    return 1;
}

/* Reads labelled sentences: from a directory with Pang & Lee's two files
   rt-polarity.pos and rt-polarity.neg (*pos_neg_files = 1), or from a file
   of lines "sentence<TAB>label", label 0 or 1 (*pos_neg_files = 0). The
   words are split at white space and lower-cased (ASCII). Returns 0, or 1
   after a one-line message. */
LAB_FN int lab_read_reviews(lab_reviews *c, const char *path, int *pos_neg_files)
{
    char p[640];
    FILE *f;
    snprintf(p, sizeof p, "%s/rt-polarity.pos", path);
    if ((f = fopen(p, "rb")) != NULL) { /* a directory of Pang & Lee's two files */
        fclose(f);
        *pos_neg_files = 1;
        if (!lab__read_reviews(c, p, 1)) return 1;
        snprintf(p, sizeof p, "%s/rt-polarity.neg", path);
        return !lab__read_reviews(c, p, 0);
    }
    *pos_neg_files = 0;
    return !lab__read_reviews(c, path, -1);
}

LAB_FN void lab_reviews_free(lab_reviews *c)
{
    int i;
    for (i = 0; i < c->n; i++) free(c->r[i].w);
    free(c->r);
    lab_dict_free(&c->words);
    memset(c, 0, sizeof *c);
}

#define LAB_PAD_ID 0      /* model vocabulary: 0 <pad>, 1 <unk>, then the words */
#define LAB_UNK_ID 1

/* ---- the vocabulary of a network reading reviews ----------------------------------
   From the training reviews only (the dev and test reviews must not choose
   it): the words seen at least min_count times, at most max_words of them,
   most frequent first. to_model[dict id] = model id (LAB_UNK_ID if cut). */

typedef struct lab_vocab {
    int V;                  /* model vocabulary size, with <pad> and <unk>    */
    int *to_model;          /* (dict n)                                       */
    int *from_model;        /* (V) dict id; -1 for <pad>, <unk>               */
    int *count;             /* (dict n) occurrences in the training reviews   */
} lab_vocab;

static const int *lab__sort_count; /* the key of cmp_by_count (qsort has no context) */
LAB_FN int lab__cmp_by_count(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    if (lab__sort_count[x] != lab__sort_count[y]) return lab__sort_count[y] - lab__sort_count[x];
    return x - y; /* ties: the word seen first */
}

/* Builds v from the reviews idx[0..n-1]. Returns 1, or 0 when out of memory. */
LAB_FN int lab_vocab_build(lab_vocab *v, const lab_reviews *c, const int *idx, int n, int max_words, int min_count)
{
    int i, k, *order, kept = 0;
    memset(v, 0, sizeof *v);
    v->to_model = (int *)malloc(sizeof(int) * (size_t)c->words.n);
    v->count = (int *)calloc((size_t)c->words.n, sizeof(int));
    order = (int *)malloc(sizeof(int) * (size_t)c->words.n);
    if (!v->to_model || !v->count || !order) { free(order); return 0; }
    for (i = 0; i < n; i++)
        for (k = 0; k < c->r[idx[i]].len; k++) v->count[c->r[idx[i]].w[k]]++;
    for (i = 0; i < c->words.n; i++) { order[i] = i; v->to_model[i] = LAB_UNK_ID; }
    lab__sort_count = v->count;
    qsort(order, (size_t)c->words.n, sizeof(int), lab__cmp_by_count);
    while (kept < max_words && kept < c->words.n && v->count[order[kept]] >= min_count) kept++;
    v->V = kept + 2;
    if (!(v->from_model = (int *)malloc(sizeof(int) * (size_t)v->V))) { free(order); return 0; }
    v->from_model[LAB_PAD_ID] = v->from_model[LAB_UNK_ID] = -1;
    for (i = 0; i < kept; i++) { v->to_model[order[i]] = i + 2; v->from_model[i + 2] = order[i]; }
    free(order);
    return 1;
}

LAB_FN void lab_vocab_free(lab_vocab *v) { free(v->to_model); free(v->from_model); free(v->count); memset(v, 0, sizeof *v); }

/* Are the reviews fit for `folds` folds: both labels, at least two reviews
   per fold? Returns how many are positive, or -1 after a message that names
   the data (path). */
LAB_FN int lab_reviews_check(const lab_reviews *c, const char *path, int folds)
{
    int i, n_pos = 0;
    for (i = 0; i < c->n; i++) n_pos += c->r[i].label;
    if (n_pos == 0 || n_pos == c->n) {
        fprintf(stderr, "%s: %s has only %s reviews; both labels are needed\n", lab_program, path, n_pos ? "positive" : "negative");
        return -1;
    }
    if (c->n < 2 * folds) {
        fprintf(stderr, "%s: %s has %d reviews, too few for %d folds (at least %d)\n", lab_program, path, c->n, folds, 2 * folds);
        return -1;
    }
    return n_pos;
}

/* Sorts the review indices idx[0..n-1] by the reviews' lengths (ties: the
   lower index first), so that a batch of neighbours needs little padding. */
static const lab_reviews *lab__sort_reviews;
LAB_FN int lab__cmp_by_length(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b, x = lab__sort_reviews->r[i].len, y = lab__sort_reviews->r[j].len;
    return x != y ? x - y : i - j;
}
LAB_FN void lab_sort_by_length(int *idx, int n, const lab_reviews *c)
{
    lab__sort_reviews = c;
    qsort(idx, (size_t)n, sizeof(int), lab__cmp_by_length);
}

/* The order of one epoch in batches of reviews of similar length (little
   padding): shuffles idx[0..n-1], sorts each window of 32 batches by length
   (unless `sort` is 0: batches of random reviews), and writes the first
   index of every batch, in a shuffled order, to starts (n_batches of them). */
LAB_FN void lab_length_batches(int *idx, int n, int batch, int sort, const lab_reviews *c, int *starts, int n_batches, rnn_rng *rng)
{
    int i, window = 32 * batch;
    lab_shuffle(idx, n, rng);
    for (i = 0; i < n && sort; i += window) lab_sort_by_length(idx + i, n - i < window ? n - i : window, c);
    for (i = 0; i < n_batches; i++) starts[i] = i * batch;
    lab_shuffle(starts, n_batches, rng);
}

/* Deals n items, shuffled by `seed`, into `folds` folds of equal size (one
   more in the first n % folds): fold_of[i] is item i's fold. work: n ints. */
LAB_FN void lab_deal_folds(int *fold_of, int *work, int n, int folds, uint64_t seed)
{
    rnn_rng rng;
    int i;
    rnn_rng_seed(&rng, seed);
    for (i = 0; i < n; i++) work[i] = i;
    lab_shuffle(work, n, &rng);
    for (i = 0; i < n; i++) fold_of[work[i]] = i % folds;
}

#endif /* LAB_DATA_H */
