/* caption.c - image captioning, the one-to-many architecture of decks D0
   and D3 ("Entrada: valor constante; salida: secuencia (captioning de
   imágenes)"), after Show and Tell (Vinyals et al. 2015): an image encoder
   turns the picture into a vector, the vector is the LSTM's first input, and
   the LSTM writes the caption one word at a time. Scored with BLEU-1..4
   (Papineni et al. 2002; [bleu] in rnn.h) on images it never saw.

   The data: scenes of two coloured shapes made by examples/shapes.c, 32 x
   32 PNG files read with stb_image, five reference captions each
   ("a red circle left of a blue square", "a blue square right of a red
   circle", ...), as MS COCO gives five per photo.

   The model, as small as it can be and still be the real thing:

     encoder  --encoder conv (default): one convolutional layer a student
              can follow. K filters of 5 x 5 x 3 slide over the image (a
              matrix product of every 5x5 patch with the filters, rnn_gemm),
              ReLU, then the largest response of each filter in each cell of
              a 4 x 4 grid: 16 K features that say "filter k fired
              somewhere in this part of the picture". The filters are
              learned from the captions alone: the LSTM's backward pass
              leaves dL/dx in m->dx, and its first row is dL/dfeatures,
              which flows back through the max and the ReLU into the filters.
              --encoder pool: no learning at all, the mean colour of each
              cell of a 4 x 4 grid (48 features). It sees colour and place,
              and shape only through how a colour spreads over the cells:
              the comparison shows what the convolution adds.
              --blind: every feature is 0, a control that shows how far a
              decoder gets from the captions alone.
     decoder  an LSTM (rnn.h) whose input at each step is [features; word]:
              step 0 reads the image (features, no word), step t >= 1 reads
              the one-hot word t of the caption; the softmax of step t
              predicts word t+1, and the last step predicts the end mark
              <end>. "The image is the first word" (Show and Tell).
     training teacher forcing ([teacher-forcing]): the true previous word is
              the next input, whatever the model would have said. Each
              update takes 32 training images and one of their five
              references at random; Adam; the loss is [loss.sum] over the
              words.
     decoding greedy (the most likely word at each step, fed back) and beam
              search (keep the k most likely partial captions; the LSTM
              states of the survivors are picked with rnn_state_select).

   It prints corpus BLEU-1..4 on the held-out images for greedy and beam
   decoding beside a baseline that writes the training set's most frequent
   caption for every image, and draws
     docs/images/caption_sheet.png    held-out images with their captions
     docs/images/caption_filters.png  the learned 5 x 5 filters (conv only)
   with the 5x7 font of examples/lab.h. docs/guide/caption.md explains the
   results and what attention (Show, Attend and Tell) would add.

   Build and run (45 s of CPU on our machine; --help lists the options):
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/shapes.c -o build/shapes -lm
       cc -O2 -std=c99 -Wall -Wextra -pedantic -I. examples/caption.c -o build/caption -lm
       mkdir -p build/shapes_data && ./build/shapes --out build/shapes_data
       ./build/caption --data build/shapes_data
   stb_image and stb_image_write come with Debian's libstb-dev. */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>
#include "lab.h"   /* options, pictures, PNG files: what every lab needs */
#include "lab_plot.h"

#define SIZE 32          /* every image is SIZE x SIZE, as examples/shapes.c draws them */
#define MAX_WORDS 16     /* words in one caption */
#define MAX_REFS 8       /* references of one image */
#define MAX_VOCAB 500
#define MAX_WORD_LEN 32
#define END 0            /* word 0 is the end mark, the last target of every caption */
#define GRID 4           /* the encoders pool over a GRID x GRID grid */
#define KS 5             /* the convolution's filters are KS x KS x 3 */
#define CONV_OUT (SIZE - KS + 1)   /* 28: "valid" positions along each side */
#define CELL (CONV_OUT / GRID)     /* 7: conv positions per grid cell along a side */

/* ---- the data ------------------------------------------------------------- */

typedef struct caption { int len; int w[MAX_WORDS]; } caption;

typedef struct dataset {
    int n;                  /* images */
    char (*name)[64];       /* (n) file names                                 */
    rnn_real *pix;             /* (n, SIZE, SIZE, 3) pixels in [-0.5, 0.5]       */
    int *n_refs;            /* (n)                                            */
    caption *refs;          /* (n, MAX_REFS)                                  */
    int V;                  /* words, with <end> as word 0                    */
    char words[MAX_VOCAB][MAX_WORD_LEN];
} dataset;

static void dataset_free(dataset *d)
{
    free(d->name); free(d->pix); free(d->n_refs); free(d->refs);
    memset(d, 0, sizeof *d);
}

static int word_id(dataset *d, const char *w) /* adds a new word; -1 if full */
{
    int i;
    for (i = 0; i < d->V; i++) if (!strcmp(d->words[i], w)) return i;
    if (d->V == MAX_VOCAB) return -1;
    strcpy(d->words[d->V], w);
    return d->V++;
}

/* The whole of a small file, 0-terminated; NULL (said why) on failure. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    long n;
    if (!f) { fprintf(stderr, "caption: cannot open %s (no such file?)\n", path); return NULL; }
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (s = (char *)malloc((size_t)n + 1)) != NULL && fread(s, 1, (size_t)n, f) == (size_t)n) {
        s[n] = 0;
        fclose(f);
        return s;
    }
    fprintf(stderr, "caption: cannot read %s\n", path);
    free(s);
    fclose(f);
    return NULL;
}

/* Reads DIR/captions.txt ("file<TAB>caption" per line, the lines of one
   image together, '#' starts a comment line) and every image it names.
   The vocabulary is every word of the file, held-out captions included (a
   word that only they use is never a target, so the model never writes
   it). Returns 1, or 0 after a one-line message naming the file. */
static int load_dataset(dataset *d, const char *dir)
{
    char path[512], *text, *line, *next;
    int lineno = 0, cap = 0;
    memset(d, 0, sizeof *d);
    strcpy(d->words[0], "<end>");
    d->V = 1;
    snprintf(path, sizeof path, "%s/captions.txt", dir);
    if (!(text = read_file(path))) return 0;
    for (line = text; line && *line; line = next) {
        char *tab, *w, *end;
        caption *c;
        lineno++;
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        end = line + strlen(line);
        if (end > line && end[-1] == '\r') *--end = 0;
        if (!*line || *line == '#') continue;
        if (!(tab = strchr(line, '\t'))) {
            fprintf(stderr, "caption: %s line %d: no tab between the file name and the caption\n", path, lineno);
            goto fail;
        }
        *tab = 0;
        if (tab - line >= 64 || tab == line) {
            fprintf(stderr, "caption: %s line %d: the file name is empty or longer than 63 characters\n", path, lineno);
            goto fail;
        }
        if (d->n == 0 || strcmp(d->name[d->n - 1], line)) { /* a new image */
            if (d->n == cap) {
                int nc = cap ? 2 * cap : 256;
                void *a = realloc(d->name, sizeof *d->name * (size_t)nc);
                if (a) d->name = (char (*)[64])a;
                a = a ? realloc(d->n_refs, sizeof(int) * (size_t)nc) : NULL;
                if (a) d->n_refs = (int *)a;
                a = a ? realloc(d->refs, sizeof(caption) * MAX_REFS * (size_t)nc) : NULL;
                if (!a) { fprintf(stderr, "caption: out of memory\n"); goto fail; }
                d->refs = (caption *)a;
                cap = nc;
            }
            strcpy(d->name[d->n], line);
            d->n_refs[d->n] = 0;
            d->n++;
        }
        if (d->n_refs[d->n - 1] == MAX_REFS) {
            fprintf(stderr, "caption: %s line %d: %s has more than %d captions\n", path, lineno, line, MAX_REFS);
            goto fail;
        }
        c = &d->refs[(size_t)(d->n - 1) * MAX_REFS + d->n_refs[d->n - 1]++];
        c->len = 0;
        for (w = strtok(tab + 1, " \t"); w; w = strtok(NULL, " \t")) {
            int id;
            if (c->len == MAX_WORDS) {
                fprintf(stderr, "caption: %s line %d: a caption of more than %d words\n", path, lineno, MAX_WORDS);
                goto fail;
            }
            if (strlen(w) >= MAX_WORD_LEN || !strcmp(w, "<end>")) {
                fprintf(stderr, "caption: %s line %d: the word '%.40s' is too long or reserved\n", path, lineno, w);
                goto fail;
            }
            if ((id = word_id(d, w)) < 0) {
                fprintf(stderr, "caption: %s line %d: more than %d different words\n", path, lineno, MAX_VOCAB - 1);
                goto fail;
            }
            c->w[c->len++] = id;
        }
        if (c->len == 0) {
            fprintf(stderr, "caption: %s line %d: the caption of %s is empty\n", path, lineno, d->name[d->n - 1]);
            goto fail;
        }
    }
    free(text);
    text = NULL;
    if (d->n == 0) { fprintf(stderr, "caption: %s has no captions\n", path); goto fail; }
    if (!(d->pix = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)d->n * SIZE * SIZE * 3))) {
        fprintf(stderr, "caption: out of memory\n"); goto fail;
    }
    for (lineno = 0; lineno < d->n; lineno++) {
        int w, h, comp, i;
        unsigned char *p;
        FILE *f;
        snprintf(path, sizeof path, "%s/%s", dir, d->name[lineno]);
        if (!(f = fopen(path, "rb"))) { fprintf(stderr, "caption: cannot open %s (no such file?)\n", path); goto fail; }
        p = stbi_load_from_file(f, &w, &h, &comp, 3);  /* 3: convert to RGB whatever the file has */
        fclose(f);
        if (!p) { fprintf(stderr, "caption: cannot read %s: %s\n", path, stbi_failure_reason()); goto fail; }
        if (w != SIZE || h != SIZE) {
            fprintf(stderr, "caption: %s is %dx%d pixels; the images must be %dx%d\n", path, w, h, SIZE, SIZE);
            stbi_image_free(p);
            goto fail;
        }
        for (i = 0; i < SIZE * SIZE * 3; i++) d->pix[(size_t)lineno * SIZE * SIZE * 3 + i] = p[i] / (rnn_real)255 - (rnn_real)0.5;
        stbi_image_free(p);
    }
    return 1;
fail:
    free(text);
    dataset_free(d);
    return 0;
}

/* ---- the encoders ------------------------------------------------------------ */

typedef struct encoder {
    int conv;               /* 1: the learned convolution; 0: pooled colours  */
    int blind;              /* 1: every feature is 0 (the decoder is blind)   */
    int K;                  /* filters                                        */
    int F;                  /* features out: GRID*GRID*K, or GRID*GRID*3      */
    int n_params;           /* K*(KS*KS*3) weights + K biases                 */
    rnn_real *params, *grads;  /* W (K, 75) then b (K); gradients alike          */
    /* buffers for a batch of up to B_cap images: */
    int B_cap;
    rnn_real *patches;         /* (B, 28*28, 75) every 5x5x3 patch, one per row  */
    rnn_real *act;             /* (B, 28*28, K) ReLU(conv)                       */
    rnn_real *dact;            /* (B, 28*28, K) its gradient                     */
    int *arg;               /* (B, F) which position won each max             */
} encoder;

static int encoder_init(encoder *e, int conv, int K, rnn_rng *rng)
{
    int i, fan_in = KS * KS * 3;
    memset(e, 0, sizeof *e);
    e->conv = conv;
    e->K = conv ? K : 3;
    e->F = GRID * GRID * e->K;
    if (!conv) return 1;
    e->n_params = K * fan_in + K;
    e->params = (rnn_real *)calloc((size_t)e->n_params, sizeof(rnn_real));
    e->grads = (rnn_real *)calloc((size_t)e->n_params, sizeof(rnn_real));
    if (!e->params || !e->grads) return 0;
    /* He initialisation for a ReLU layer: N(0, 2 / fan_in); biases 0 */
    for (i = 0; i < K * fan_in; i++) e->params[i] = (rnn_real)(rnn_rng_normal(rng) * sqrt(2.0 / fan_in));
    return 1;
}

static void encoder_free(encoder *e)
{
    free(e->params); free(e->grads); free(e->patches); free(e->act); free(e->dact); free(e->arg);
    memset(e, 0, sizeof *e);
}

static int encoder_reserve(encoder *e, int B)
{
    size_t P = (size_t)CONV_OUT * CONV_OUT;
    if (!e->conv || B <= e->B_cap) return 1;
    free(e->patches); free(e->act); free(e->dact); free(e->arg);
    e->patches = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)B * P * KS * KS * 3);
    e->act = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)B * P * e->K);
    e->dact = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)B * P * e->K);
    e->arg = (int *)malloc(sizeof(int) * (size_t)B * e->F);
    e->B_cap = B;
    return e->patches && e->act && e->dact && e->arg;
}

/* The features of B images (pix: B pointers to SIZE*SIZE*3 pixels) into
   feat, row b at feat + b * ld. Returns 0 if out of memory. */
static int encode(encoder *e, int B, const rnn_real *const *pix, rnn_real *feat, int ld)
{
    int b, gy, gx, y, x, k, c;
    if (e->blind) { /* the control experiment: no information about the image */
        for (b = 0; b < B; b++) memset(feat + (size_t)b * ld, 0, sizeof(rnn_real) * e->F);
        return 1;
    }
    if (!e->conv) { /* the mean colour of each grid cell (8 x 8 pixels) */
        int cs = SIZE / GRID;
        for (b = 0; b < B; b++)
            for (gy = 0; gy < GRID; gy++)
                for (gx = 0; gx < GRID; gx++)
                    for (c = 0; c < 3; c++) {
                        double s = 0;
                        for (y = 0; y < cs; y++)
                            for (x = 0; x < cs; x++) s += pix[b][((gy * cs + y) * SIZE + gx * cs + x) * 3 + c];
                        feat[(size_t)b * ld + (gy * GRID + gx) * 3 + c] = (rnn_real)(s / (cs * cs));
                    }
        return 1;
    }
    {
        const int P = CONV_OUT * CONV_OUT, PW = KS * KS * 3, K = e->K;
        const rnn_real *W = e->params, *bias = e->params + K * PW;
        if (!encoder_reserve(e, B)) return 0;
        /* im2col: row (b, oy, ox) of `patches` is the 5x5x3 patch whose top
           left corner is pixel (oy, ox), so that the convolution is ONE
           matrix product: act = patches W^T + b, (B*P, 75) x (75, K) */
        for (b = 0; b < B; b++)
            for (y = 0; y < CONV_OUT; y++)
                for (x = 0; x < CONV_OUT; x++) {
                    rnn_real *row = e->patches + ((size_t)b * P + y * CONV_OUT + x) * PW;
                    int dy;
                    for (dy = 0; dy < KS; dy++)
                        memcpy(row + dy * KS * 3, pix[b] + ((y + dy) * SIZE + x) * 3, sizeof(rnn_real) * KS * 3);
                }
        rnn_gemm(0, 1, B * P, K, PW, e->patches, PW, W, PW, 0, e->act, K);
        for (b = 0; b < B * P; b++)
            for (k = 0; k < K; k++) {
                rnn_real v = e->act[(size_t)b * K + k] + bias[k];
                e->act[(size_t)b * K + k] = v > 0 ? v : 0;            /* ReLU */
            }
        /* max pooling: feature (cell, k) is the largest act of filter k in the
           cell's 7 x 7 positions; arg remembers where, for backward */
        for (b = 0; b < B; b++)
            for (gy = 0; gy < GRID; gy++)
                for (gx = 0; gx < GRID; gx++)
                    for (k = 0; k < K; k++) {
                        int best = -1;
                        rnn_real v = -1;
                        for (y = gy * CELL; y < (gy + 1) * CELL; y++)
                            for (x = gx * CELL; x < (gx + 1) * CELL; x++) {
                                int p = y * CONV_OUT + x;
                                rnn_real a = e->act[((size_t)b * P + p) * K + k];
                                if (a > v) { v = a; best = p; }
                            }
                        feat[(size_t)b * ld + (gy * GRID + gx) * K + k] = v;
                        e->arg[(size_t)b * e->F + (gy * GRID + gx) * K + k] = best;
                    }
    }
    return 1;
}

/* Backward of the last encode(): dfeat (B rows, ld apart) is dL/dfeatures,
   which the LSTM left in m->dx. Accumulates into e->grads. */
static void encoder_backward(encoder *e, int B, const rnn_real *dfeat, int ld)
{
    const int P = CONV_OUT * CONV_OUT, PW = KS * KS * 3, K = e->K;
    int b, j, k;
    size_t i, n = (size_t)B * P * K;
    if (!e->conv || e->blind) return;
    memset(e->dact, 0, sizeof(rnn_real) * n);
    /* the max sends the gradient to the position that won; the ReLU lets it
       through only where the response was positive */
    for (b = 0; b < B; b++)
        for (j = 0; j < e->F; j++) {
            size_t at = ((size_t)b * P + e->arg[(size_t)b * e->F + j]) * K + j % K;
            if (e->act[at] > 0) e->dact[at] += dfeat[(size_t)b * ld + j];
        }
    /* dW += dact^T patches, (K, B*P) x (B*P, 75); db += the column sums */
    rnn_gemm(1, 0, K, PW, B * P, e->dact, K, e->patches, PW, 1, e->grads, PW);
    for (i = 0; i < (size_t)B * P; i++)
        for (k = 0; k < K; k++) e->grads[K * PW + k] += e->dact[i * K + k];
}

/* ---- the captioner: encoder + LSTM decoder ------------------------------------ */

typedef struct captioner {
    encoder enc;
    rnn_model m;            /* input F + V, output V (softmax)                */
    int F, V, X;
    rnn_real *feat;            /* (B_cap, F) scratch for decoding                */
    rnn_real *x;               /* (T_max, B_cap, X) the decoder's input          */
    int *y;                 /* (T_max, B_cap) targets                         */
    int B_cap;
} captioner;

static int captioner_reserve(captioner *c, int B)
{
    if (B <= c->B_cap) return 1;
    free(c->feat); free(c->x); free(c->y);
    c->feat = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)B * c->F);
    c->x = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)(MAX_WORDS + 1) * B * c->X);
    c->y = (int *)malloc(sizeof(int) * (size_t)(MAX_WORDS + 1) * B);
    c->B_cap = B;
    return c->feat && c->x && c->y;
}

/* log p(word) of row b of the last step's logits (a log-softmax) */
static void log_probs(const rnn_model *m, int b, double *lp)
{
    int V = m->desc.output_size, j;
    const rnn_real *o = m->o + (size_t)b * V;
    double mx = o[0], s = 0;
    for (j = 1; j < V; j++) if (o[j] > mx) mx = o[j];
    for (j = 0; j < V; j++) s += exp(o[j] - mx);
    for (j = 0; j < V; j++) lp[j] = o[j] - mx - log(s);
}

/* Greedy decoding of n images at once: the most likely word at each step
   becomes the next step's input, until <end> or MAX_WORDS words. */
static rnn_status decode_greedy(captioner *c, int n, const rnn_real *const *pix, caption *out)
{
    int t, b, V = c->V, X = c->X, live = n;
    rnn_status st;
    if (!captioner_reserve(c, n) || !encode(&c->enc, n, pix, c->feat, c->F)) return RNN_ERR_NOMEM;
    if ((st = rnn_reserve(&c->m, 1, n)) != RNN_OK) return st;
    rnn_reset_state(&c->m);                         /* h<0> = c<0> = 0 */
    memset(c->x, 0, sizeof(rnn_real) * (size_t)n * X);
    for (b = 0; b < n; b++) { memcpy(c->x + (size_t)b * X, c->feat + (size_t)b * c->F, sizeof(rnn_real) * c->F); out[b].len = 0; }
    if ((st = rnn_step(&c->m, n, c->x, NULL)) != RNN_OK) return st;   /* step 0 reads the image */
    for (t = 0; t < MAX_WORDS && live > 0; t++) {
        memset(c->x, 0, sizeof(rnn_real) * (size_t)n * X);
        for (b = 0; b < n; b++) {
            int w;
            if (out[b].len < t) continue;           /* this one has ended */
            w = rnn_argmax(c->m.o + (size_t)b * V, V);
            if (w == END) { live--; continue; }
            out[b].w[out[b].len++] = w;
            c->x[(size_t)b * X + c->F + w] = 1;     /* the next input is the word just said */
        }
        if (t + 1 < MAX_WORDS && live > 0 && (st = rnn_step(&c->m, n, c->x, NULL)) != RNN_OK) return st;
    }
    return RNN_OK;
}

/* Beam search for one image: keep the k partial captions with the highest
   log probability. Each step extends every survivor by every word, keeps
   the best k of those k*V candidates, and moves the LSTM states along with
   rnn_state_select (a survivor's state is the state of the caption it
   extends; two survivors may extend the same one). A candidate that ends
   with <end> is finished and leaves the beam. Log probabilities only fall
   as words are added, so once the best finished caption beats every
   survivor, nothing can overtake it: stop. k = 1 is greedy decoding. */
typedef struct hyp { caption c; double score; int row; } hyp;

static rnn_status decode_beam(captioner *c, int k, const rnn_real *pix, caption *out)
{
    int t, i, j, w, V = c->V, X = c->X, n_live = 1, n_new, rows[64];
    hyp live[64], next[64], best;
    double *lp = (double *)malloc(sizeof(double) * (size_t)k * V);
    rnn_status st = RNN_OK;
    if (!lp || !captioner_reserve(c, k) || !encode(&c->enc, 1, &pix, c->feat, c->F)) { free(lp); return RNN_ERR_NOMEM; }
    best.score = -HUGE_VAL; best.c.len = 0;
    live[0].c.len = 0; live[0].score = 0;
    if ((st = rnn_reserve(&c->m, 1, 1)) != RNN_OK) goto done;
    rnn_reset_state(&c->m);
    memset(c->x, 0, sizeof(rnn_real) * X);
    memcpy(c->x, c->feat, sizeof(rnn_real) * c->F);
    if ((st = rnn_step(&c->m, 1, c->x, NULL)) != RNN_OK) goto done;
    for (t = 0; t <= MAX_WORDS && n_live > 0; t++) {
        for (i = 0; i < n_live; i++) log_probs(&c->m, i, lp + (size_t)i * V);
        if (t == MAX_WORDS) { /* no room for another word: every survivor ends here */
            for (i = 0; i < n_live; i++)
                if (live[i].score + lp[(size_t)i * V + END] > best.score) {
                    best.c = live[i].c; best.score = live[i].score + lp[(size_t)i * V + END];
                }
            break;
        }
        /* the best k of the n_live * V extensions, by selection (k is small) */
        n_new = 0;
        for (j = 0; j < k; j++) {
            int bi = -1, bw = -1;
            double bs = -HUGE_VAL;
            for (i = 0; i < n_live; i++)
                for (w = 0; w < V; w++) {
                    double s = live[i].score + lp[(size_t)i * V + w];
                    if (s > bs && lp[(size_t)i * V + w] > -HUGE_VAL) { bs = s; bi = i; bw = w; }
                }
            if (bi < 0) break;
            lp[(size_t)bi * V + bw] = -HUGE_VAL;   /* taken */
            if (bw == END) {                       /* finished */
                if (bs > best.score) { best.c = live[bi].c; best.score = bs; }
                continue;
            }
            next[n_new].c = live[bi].c;
            next[n_new].c.w[next[n_new].c.len++] = bw;
            next[n_new].score = bs;
            rows[n_new] = bi;
            n_new++;
        }
        if (n_new == 0 || best.score >= next[0].score) break;  /* next[0] is the best survivor */
        if ((st = rnn_state_select(&c->m, rows, n_new)) != RNN_OK) goto done;
        memset(c->x, 0, sizeof(rnn_real) * (size_t)n_new * X);
        for (i = 0; i < n_new; i++) {
            live[i] = next[i];
            c->x[(size_t)i * X + c->F + live[i].c.w[live[i].c.len - 1]] = 1;
        }
        n_live = n_new;
        if ((st = rnn_step(&c->m, n_live, c->x, NULL)) != RNN_OK) goto done;
    }
    *out = best.c;
done:
    free(lp);
    return st;
}

/* ---- BLEU and the baseline ---------------------------------------------------- */

/* Corpus BLEU of one caption per image against the image's references
   (rnn_bleu_add does the counting: [bleu]), unsmoothed as in the paper.
   Also counts the captions equal to one of their references. */
static void score(const dataset *d, const int *idx, int n, const caption *cand, rnn_bleu *b, int *exact)
{
    int i, j;
    memset(b, 0, sizeof *b);
    *exact = 0;
    for (i = 0; i < n; i++) {
        const int *refs[MAX_REFS];
        int lens[MAX_REFS], hit = 0;
        const caption *r = &d->refs[(size_t)idx[i] * MAX_REFS];
        for (j = 0; j < d->n_refs[idx[i]]; j++) {
            refs[j] = r[j].w; lens[j] = r[j].len;
            if (r[j].len == cand[i].len && !memcmp(r[j].w, cand[i].w, sizeof(int) * (size_t)r[j].len)) hit = 1;
        }
        rnn_bleu_add(b, cand[i].w, cand[i].len, refs, lens, d->n_refs[idx[i]]);
        *exact += hit;
    }
    rnn_bleu_score(b, RNN_BLEU_SMOOTH_NONE, 0);
}

static int cmp_caption(const void *a, const void *b)
{
    const caption *x = *(const caption *const *)a, *y = *(const caption *const *)b;
    int i;
    for (i = 0; i < x->len && i < y->len; i++) if (x->w[i] != y->w[i]) return x->w[i] - y->w[i];
    return x->len - y->len;
}

/* The most frequent reference among the training images (ties: the first
   in the sort order), the caption a model that ignores the image would
   write every time. */
static caption most_frequent(const dataset *d, const int *idx, int n, int *count)
{
    int i, j, total = 0, run = 0;
    caption best = {0, {0}};
    const caption **all;
    for (i = 0; i < n; i++) total += d->n_refs[idx[i]];
    all = (const caption **)malloc(sizeof *all * (size_t)total);
    *count = 0;
    if (!all) return best;
    for (total = 0, i = 0; i < n; i++)
        for (j = 0; j < d->n_refs[idx[i]]; j++) all[total++] = &d->refs[(size_t)idx[i] * MAX_REFS + j];
    qsort(all, (size_t)total, sizeof *all, cmp_caption);
    for (i = 0; i < total; i++) {
        run = i > 0 && !cmp_caption(&all[i], &all[i - 1]) ? run + 1 : 1;
        if (run > *count) { *count = run; best = *all[i]; }
    }
    free(all);
    return best;
}

static void caption_text(const dataset *d, const caption *c, char *s, size_t cap)
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

/* ---- pictures (the canvas and the 5x7 font are in lab.h) ------------------------ */

/* caption_sheet.png: held-out images, each magnified 3 times, beside the
   beam-search caption (green if it is one of the references word for word,
   red if not) and the image's first reference (grey). */
static int draw_sheet(const dataset *d, const int *idx, int n, const caption *beam, const char *dir,
                      const char *title)
{
    const int Z = 3, cols = 2, cw = 440, ch = SIZE * Z + 10, top = 26;
    int rows = (n + cols - 1) / cols, i, ok, x, y, c;
    char s[256], t[300];
    lab_image im;
    if (lab_image_new(&im, cols * cw + 10, top + rows * ch + 6, lab_colour(255, 255, 255))) return 0;
    lab_text(&im, 10, 8, title, lab_colour(30, 30, 30), 2);
    for (i = 0; i < n; i++) {
        int x0 = 10 + (i % cols) * cw, y0 = top + (i / cols) * ch, hit = 0, j;
        const rnn_real *p = d->pix + (size_t)idx[i] * SIZE * SIZE * 3;
        for (y = 0; y < SIZE; y++)
            for (x = 0; x < SIZE; x++) {
                int v[3];
                for (c = 0; c < 3; c++) v[c] = (int)((p[(y * SIZE + x) * 3 + c] + (rnn_real)0.5) * 255 + (rnn_real)0.5);
                lab_rect(&im, x0 + x * Z, y0 + y * Z, x0 + (x + 1) * Z, y0 + (y + 1) * Z, lab_colour(v[0], v[1], v[2]));
            }
        for (j = 0; j < d->n_refs[idx[i]]; j++) {
            const caption *r = &d->refs[(size_t)idx[i] * MAX_REFS + j];
            if (r->len == beam[i].len && !memcmp(r->w, beam[i].w, sizeof(int) * (size_t)r->len)) hit = 1;
        }
        lab_text(&im, x0 + SIZE * Z + 8, y0 + 6, d->name[idx[i]], lab_colour(120, 120, 120), 1);
        caption_text(d, &beam[i], s, sizeof s);
        lab_text(&im, x0 + SIZE * Z + 8, y0 + 24, s, lab_colour(hit ? 20 : 200, hit ? 130 : 30, hit ? 50 : 30), 1);
        caption_text(d, &d->refs[(size_t)idx[i] * MAX_REFS], s, sizeof s);
        snprintf(t, sizeof t, "ref: %s", s);
        lab_text(&im, x0 + SIZE * Z + 8, y0 + 42, t, lab_colour(120, 120, 120), 1);
    }
    ok = !lab_save_png(&im, dir, "caption_sheet.png");
    lab_image_free(&im);
    return ok;
}

/* caption_filters.png: what the convolution learned. The top row shows
   each 5 x 5 x 3 filter as a colour patch (grey = 0, each filter stretched
   to full contrast on its own). Below, for a few held-out images, the
   image and each filter's ReLU response over it (black = 0, white = the
   filter's largest response over these images), placed so that a
   response sits over the centre of the patch it was computed from. The
   max over each 7 x 7 block of these maps is what the LSTM reads. */
static int draw_filters(encoder *e, const dataset *d, const int *idx, int n, const char *dir)
{
    const int Z = 3, col = SIZE * Z + 8, top = 26, wz = 12, wrow = KS * wz + 24;
    const int P = CONV_OUT * CONV_OUT, PW = KS * KS * 3, K = e->K;
    const rnn_real *pix[8];
    int k, i, x, y, c, ok, r;
    rnn_real *feat, mx[64];
    char label[32];
    lab_image im;
    if (n > 8) n = 8;
    for (r = 0; r < n; r++) pix[r] = d->pix + (size_t)idx[r] * SIZE * SIZE * 3;
    feat = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)n * e->F);
    if (!feat || !encode(e, n, pix, feat, e->F)) { free(feat); return 0; }
    free(feat);
    if (lab_image_new(&im, 10 + (K + 1) * col, top + wrow + n * col + 4, lab_colour(255, 255, 255))) return 0;
    lab_text(&im, 10, 8, "the learned filters (top) and their responses to held-out images", lab_colour(30, 30, 30), 2);
    lab_text(&im, 10, top + 20, "weights", lab_colour(90, 90, 90), 1);
    for (k = 0; k < K; k++) {
        const rnn_real *W = e->params + k * PW;
        rnn_real wmax = (rnn_real)1e-12;
        int x0 = 10 + (k + 1) * col + (col - 8 - KS * wz) / 2;
        for (i = 0; i < PW; i++) if ((rnn_real)fabs(W[i]) > wmax) wmax = (rnn_real)fabs(W[i]);
        for (y = 0; y < KS; y++)
            for (x = 0; x < KS; x++) {
                int v[3];
                for (c = 0; c < 3; c++) v[c] = (int)((rnn_real)127.5 + (rnn_real)127.5 * W[(y * KS + x) * 3 + c] / wmax);
                lab_rect(&im, x0 + x * wz, top + y * wz, x0 + (x + 1) * wz, top + (y + 1) * wz, lab_colour(v[0], v[1], v[2]));
            }
        snprintf(label, sizeof label, "filter %d", k + 1);
        lab_text(&im, 10 + (k + 1) * col, top + KS * wz + 6, label, lab_colour(90, 90, 90), 1);
        mx[k] = (rnn_real)1e-12;
        for (i = 0; i < n * P; i++) if (e->act[(size_t)i * K + k] > mx[k]) mx[k] = e->act[(size_t)i * K + k];
    }
    for (r = 0; r < n; r++) {
        int y0 = top + wrow + r * col;
        for (y = 0; y < SIZE; y++)
            for (x = 0; x < SIZE; x++) {
                int v[3];
                for (c = 0; c < 3; c++) v[c] = (int)((pix[r][(y * SIZE + x) * 3 + c] + (rnn_real)0.5) * 255 + (rnn_real)0.5);
                lab_rect(&im, 10 + x * Z, y0 + y * Z, 10 + (x + 1) * Z, y0 + (y + 1) * Z, lab_colour(v[0], v[1], v[2]));
            }
        for (k = 0; k < K; k++) {
            int x0 = 10 + (k + 1) * col + (KS / 2) * Z, yy0 = y0 + (KS / 2) * Z;
            lab_rect(&im, x0 - (KS / 2) * Z, y0, x0 - (KS / 2) * Z + SIZE * Z, y0 + SIZE * Z, lab_colour(235, 235, 235));
            for (y = 0; y < CONV_OUT; y++)
                for (x = 0; x < CONV_OUT; x++) {
                    int v = (int)(255 * e->act[((size_t)r * P + y * CONV_OUT + x) * K + k] / mx[k] + (rnn_real)0.5);
                    lab_rect(&im, x0 + x * Z, yy0 + y * Z, x0 + (x + 1) * Z, yy0 + (y + 1) * Z, lab_colour(v, v, v));
                }
        }
    }
    ok = !lab_save_png(&im, dir, "caption_filters.png");
    lab_image_free(&im);
    return ok;
}

/* ---- options: one table gives the parser and --help ----------------------------- */

typedef struct config {
    char data[256], encoder[16], images[256];
    int test, filters, hidden, steps, batch, beam, seed, samples, blind, no_images, quiet;
    double lr, clip;
} config;

#define OFF(f) offsetof(config, f)
static lab_option options[] = {
    {"--data", "DIR", LAB_TEXT, OFF(data), 0, 200, "the directory with captions.txt and the images (examples/shapes.c)", 0},
    {"--test", "N", LAB_INT, OFF(test), 0, 1e7, "hold out the last N images for the test; 0: a fifth of them", 0},
    {"--encoder", "NAME", LAB_TEXT, OFF(encoder), 0, 16, "conv (a learned convolution) or pool (mean colours)", 0},
    {"--blind", NULL, LAB_FLAG, OFF(blind), 0, 1, "a control: the features are all 0, the decoder never sees the image", 0},
    {"--filters", "K", LAB_INT, OFF(filters), 1, 64, "filters of the convolution", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 1024, "LSTM hidden units", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 1, 1e7, "updates", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 1024, "images per update", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate (decoder and encoder)", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e6, "clip each gradient's global norm to X", 0},
    {"--beam", "K", LAB_INT, OFF(beam), 1, 64, "beam width (1 is greedy decoding)", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "seed of the weights and of the order of the batches", 0},
    {"--samples", "N", LAB_INT, OFF(samples), 0, 1000, "held-out captions to print and draw", 0},
    {"--images", "DIR", LAB_TEXT, OFF(images), 0, 200, "where to write caption_sheet.png and caption_filters.png", 0},
    {"--no-images", NULL, LAB_FLAG, OFF(no_images), 0, 1, "draw no pictures", 0},
    {"--quiet", NULL, LAB_FLAG, OFF(quiet), 0, 1, "no progress lines", 0},
    {"--help", NULL, LAB_FLAG, 0, 0, 0, "show this help and exit", 0},
};
#define N_OPTIONS LAB_COUNT(options)

static const char intro[] =
    "usage: caption [options]\n"
    "Trains an image encoder and an LSTM to caption the images of --data (made by\n"
    "examples/shapes.c), then scores greedy and beam-search captions of held-out\n"
    "images with BLEU-1..4 beside a baseline. Options (default in brackets):\n";

/* ---- main ------------------------------------------------------------------------ */

static void print_bleu_row(const char *label, const rnn_bleu *b, int exact, int n)
{
    printf("%-26s %6.3f %6.3f %6.3f %6.3f  %5.1f%%\n", label, b->bleu[0], b->bleu[1], b->bleu[2],
           b->bleu[3], 100.0 * exact / n);
}

int main(int argc, char **argv)
{
    config c, defaults;
    dataset d;
    captioner cap;
    rnn_model_desc md;
    rnn_optim opt, eopt;
    rnn_optim_desc od;
    rnn_rng rng;
    rnn_status st;
    int i, t, b, pr, n_train, n_test, *train_idx = NULL, *test_idx = NULL, status = 0, step, base_count, exact;
    int n_samples;
    const rnn_real **pix = NULL;
    caption *greedy = NULL, *beam = NULL, *baseline = NULL, base;
    rnn_bleu bl;
    double loss_sum = 0, words_sum = 0, train_cpu;
    char s[256], title[160];
    clock_t cpu0 = clock(), tr0;

    memset(&c, 0, sizeof c);
    strcpy(c.data, "build/shapes_data"); strcpy(c.encoder, "conv"); strcpy(c.images, "docs/images");
    c.filters = 8; c.hidden = 64; c.steps = 4000; c.batch = 32; c.beam = 3; c.seed = 1; c.samples = 12;
    c.lr = 0.005; c.clip = 5;
    defaults = c;
    pr = lab_parse_options("caption", options, N_OPTIONS, &c, argc, argv, NULL);
    if (pr == LAB_OPTIONS_HELP) { lab_usage(stdout, intro, options, N_OPTIONS, &defaults); return 0; }
    if (pr) return 2;
    if (strcmp(c.encoder, "conv") && strcmp(c.encoder, "pool")) {
        fprintf(stderr, "caption: unknown encoder '%s' (conv or pool)\n", c.encoder);
        return 2;
    }

    if (!load_dataset(&d, c.data)) return 1;
    n_test = c.test ? c.test : d.n / 5;
    n_train = d.n - n_test;
    if (n_test < 1 || n_train < 1) {
        fprintf(stderr, "caption: %s has %d images: too few to hold out %d for the test and train on the rest\n",
                c.data, d.n, n_test);
        dataset_free(&d);
        return 1;
    }
    memset(&cap, 0, sizeof cap);
    memset(&md, 0, sizeof md);
    memset(&opt, 0, sizeof opt); memset(&eopt, 0, sizeof eopt);
    train_idx = (int *)malloc(sizeof(int) * (size_t)n_train);
    test_idx = (int *)malloc(sizeof(int) * (size_t)n_test);
    pix = (const rnn_real **)malloc(sizeof *pix * (size_t)(c.batch > n_test ? c.batch : n_test));
    greedy = (caption *)calloc((size_t)n_test, sizeof(caption));
    beam = (caption *)calloc((size_t)n_test, sizeof(caption));
    baseline = (caption *)calloc((size_t)n_test, sizeof(caption));
    rnn_rng_seed(&rng, (uint64_t)c.seed);
    if (!train_idx || !test_idx || !pix || !greedy || !beam || !baseline ||
        !encoder_init(&cap.enc, !strcmp(c.encoder, "conv"), c.filters, &rng)) {
        fprintf(stderr, "caption: out of memory\n"); status = 1; goto out;
    }
    cap.enc.blind = c.blind;
    for (i = 0; i < n_train; i++) train_idx[i] = i;
    for (i = 0; i < n_test; i++) test_idx[i] = n_train + i;

    /* the decoder: input [features; one-hot word], softmax over the words */
    cap.F = cap.enc.F; cap.V = d.V; cap.X = cap.F + cap.V;
    md.cell = RNN_LSTM; md.input_size = cap.X; md.hidden_size = c.hidden; md.output_size = cap.V;
    md.output = RNN_SOFTMAX; md.seed = (uint64_t)c.seed;
    memset(&od, 0, sizeof od);
    od.kind = RNN_ADAM; od.lr = (rnn_real)c.lr;
    if ((st = rnn_model_init(&cap.m, &md)) != RNN_OK || (st = rnn_optim_init(&opt, &od, cap.m.n_params)) != RNN_OK ||
        (cap.enc.conv && (st = rnn_optim_init(&eopt, &od, cap.enc.n_params)) != RNN_OK) ||
        !captioner_reserve(&cap, c.batch)) {
        fprintf(stderr, "caption: %s\n", st != RNN_OK ? rnn_status_string(st) : "out of memory");
        status = 1; goto out;
    }

    printf("Image captioning (decks D0, D3; Show and Tell): an encoder turns the image into\n"
           "features, the features are the LSTM's first input, the LSTM writes the caption.\n");
    printf("data:    %s/captions.txt: %d images %dx%d, %d words (with <end>)\n", c.data, d.n, SIZE, SIZE, d.V);
    printf("split:   %d training images, the last %d held out for the test\n", n_train, n_test);
    if (c.blind)
        printf("encoder: none (--blind): the %d features are always 0, the image is never seen\n", cap.F);
    else if (cap.enc.conv)
        printf("encoder: conv, %d filters 5x5x3, ReLU, max over a %dx%d grid -> %d features (learned)\n",
               cap.enc.K, GRID, GRID, cap.F);
    else
        printf("encoder: pool, the mean colour of each cell of a %dx%d grid -> %d features (fixed)\n",
               GRID, GRID, cap.F);
    printf("decoder: LSTM, hidden %d; input %d features + %d one-hot words = %d; softmax over %d words\n",
           c.hidden, cap.F, cap.V, cap.X, cap.V);
    printf("train:   %d updates of %d images (one random reference each), teacher forcing,\n"
           "         Adam lr %g, clip %g, seed %d\n\n", c.steps, c.batch, c.lr, c.clip, c.seed);
    fflush(stdout);

    /* ---- training ---- */
    tr0 = clock();
    for (step = 1; step <= c.steps; step++) {
        int T = 1, B = c.batch, X = cap.X;
        rnn_batch batch;
        rnn_real loss;
        const caption *ref[1024];
        for (b = 0; b < B; b++) {
            int im = train_idx[(int)(rnn_rng_uniform(&rng) * n_train)];
            ref[b] = &d.refs[(size_t)im * MAX_REFS + (int)(rnn_rng_uniform(&rng) * d.n_refs[im])];
            pix[b] = d.pix + (size_t)im * SIZE * SIZE * 3;
            if (ref[b]->len + 1 > T) T = ref[b]->len + 1;
        }
        /* x<0> = [features; 0], x<t> = [0; one-hot word t] (teacher forcing);
           y<t> = word t+1, the end mark after the last word, then -1 (no target) */
        memset(cap.x, 0, sizeof(rnn_real) * (size_t)T * B * X);
        if (!encode(&cap.enc, B, pix, cap.x, X)) { fprintf(stderr, "caption: out of memory\n"); status = 1; goto out; }
        for (t = 0; t < T; t++)
            for (b = 0; b < B; b++) {
                const caption *r = ref[b];
                if (t >= 1 && t <= r->len) cap.x[((size_t)t * B + b) * X + cap.F + r->w[t - 1]] = 1;
                cap.y[t * B + b] = t < r->len ? r->w[t] : t == r->len ? END : -1;
                words_sum += t <= r->len;
            }
        memset(&batch, 0, sizeof batch);
        batch.T = T; batch.B = B; batch.x = cap.x; batch.y_tokens = cap.y;
        if ((st = rnn_reserve(&cap.m, T, B)) != RNN_OK) break;
        rnn_reset_state(&cap.m);                  /* h<0> = c<0> = 0 */
        rnn_zero_grad(&cap.m);
        if ((st = rnn_forward(&cap.m, &batch, &loss)) != RNN_OK) break;   /* [loss.sum] / B */
        if ((st = rnn_backward(&cap.m)) != RNN_OK) break;                 /* [bptt.*] */
        loss_sum += (double)loss * B;
        if (cap.enc.conv) {
            /* m.dx row t = 0 holds dL/dx<0>; its first F columns are dL/dfeatures */
            memset(cap.enc.grads, 0, sizeof(rnn_real) * (size_t)cap.enc.n_params);
            encoder_backward(&cap.enc, B, cap.m.dx, X);
            rnn_clip_norm(cap.enc.grads, (size_t)cap.enc.n_params, (rnn_real)c.clip);
            rnn_optim_step(&eopt, cap.enc.params, cap.enc.grads);
        }
        rnn_clip_by_global_norm(&cap.m, (rnn_real)c.clip);               /* [clip.norm] */
        rnn_optim_step(&opt, cap.m.params, cap.m.grads);
        if (!c.quiet && (step % (c.steps / 10 > 0 ? c.steps / 10 : 1) == 0 || step == c.steps)) {
            double sec = (double)(clock() - tr0) / CLOCKS_PER_SEC;
            printf("step %5d/%d  loss per word %.3f  %.0f updates/s (CPU)\n", step, c.steps,
                   loss_sum / words_sum, step / (sec > 0 ? sec : 1e-9));
            fflush(stdout);
            loss_sum = words_sum = 0;
        }
    }
    train_cpu = (double)(clock() - tr0) / CLOCKS_PER_SEC;
    if (st != RNN_OK) { fprintf(stderr, "caption: training stopped at update %d: %s\n", step, rnn_status_string(st)); status = 1; goto out; }

    /* ---- the test: greedy, beam, and the baseline, on the held-out images ---- */
    for (i = 0; i < n_test; i++) pix[i] = d.pix + (size_t)test_idx[i] * SIZE * SIZE * 3;
    if ((st = decode_greedy(&cap, n_test, pix, greedy)) != RNN_OK) {
        fprintf(stderr, "caption: greedy decoding: %s\n", rnn_status_string(st)); status = 1; goto out;
    }
    for (i = 0; i < n_test; i++)
        if ((st = decode_beam(&cap, c.beam, pix[i], &beam[i])) != RNN_OK) {
            fprintf(stderr, "caption: beam search: %s\n", rnn_status_string(st)); status = 1; goto out;
        }
    base = most_frequent(&d, train_idx, n_train, &base_count);
    for (i = 0; i < n_test; i++) baseline[i] = base;
    caption_text(&d, &base, s, sizeof s);
    printf("\nheld-out images: %d, %d references each; corpus BLEU, unsmoothed\n",
           n_test, d.n_refs[test_idx[0]]);
    printf("baseline: the most frequent training caption (%d of %d), for every image:\n  \"%s\"\n",
           base_count, n_train * d.n_refs[train_idx[0]], s);
    printf("%-26s %6s %6s %6s %6s  %6s\n", "", "BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "exact");
    score(&d, test_idx, n_test, baseline, &bl, &exact);
    print_bleu_row("baseline", &bl, exact, n_test);
    score(&d, test_idx, n_test, greedy, &bl, &exact);
    print_bleu_row("greedy", &bl, exact, n_test);
    snprintf(title, sizeof title, "beam search, k = %d", c.beam);
    score(&d, test_idx, n_test, beam, &bl, &exact);
    print_bleu_row(title, &bl, exact, n_test);
    printf("(exact: the caption is one of the image's references, word for word)\n");

    n_samples = c.samples < n_test ? c.samples : n_test;
    if (n_samples > 0) printf("\nheld-out samples (beam search):\n");
    for (i = 0; i < n_samples; i++) {
        caption_text(&d, &beam[i], s, sizeof s);
        printf("  %s  %s\n", d.name[test_idx[i]], s);
    }
    if (!c.no_images) {
        snprintf(title, sizeof title, "held-out images, beam search k = %d (%s encoder)", c.beam,
                 c.blind ? "no" : c.encoder);
        if (n_samples > 0 && !draw_sheet(&d, test_idx, n_samples, beam, c.images, title)) status = 1;
        if (cap.enc.conv && !c.blind && !draw_filters(&cap.enc, &d, test_idx, n_test < 4 ? n_test : 4, c.images)) status = 1;
    }
    printf("\ntime: %.1f s CPU (training %.1f s)\n", (double)(clock() - cpu0) / CLOCKS_PER_SEC, train_cpu);
out:
    rnn_optim_free(&opt); rnn_optim_free(&eopt);
    rnn_model_free(&cap.m);
    encoder_free(&cap.enc);
    free(cap.feat); free(cap.x); free(cap.y);
    free(train_idx); free(test_idx); free((void *)pix); free(greedy); free(beam); free(baseline);
    dataset_free(&d);
    return status;
}
