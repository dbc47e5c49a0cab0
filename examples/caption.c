/* caption.c - image captioning, the one-to-many architecture of decks D0
   ("Image Captioning": "Estructura general", "Cómo funciona en test") and
   D3 ("Entrada: valor constante; salida: secuencia (captioning de
   imágenes)"), after Show and Tell (Vinyals et al. 2015): an image encoder
   turns the picture into a vector, the vector is the LSTM's first input, and
   the LSTM writes the caption one word at a time. Scored with BLEU-1..4
   (Papineni et al. 2002; [bleu] in rnn.h) on images it never saw.

   The data: scenes of two coloured shapes, 32 x 32 pixels, five reference
   captions each ("a red circle left of a blue square", "a blue square right
   of a red circle", ...), as MS COCO gives five per photo (lab_data.h). By
   default the 2000 scenes of `shapes` are made in memory; --data DIR reads
   the files `shapes --out DIR` writes (or any captions.txt and PNGs).

     encoder  a convolutional layer, learned from the captions (lab_cnn.h;
              --encoder pool: mean colours; --blind: no image at all);
     decoder  an LSTM whose input at each step is [features; word]: step 0
              reads the image (features, no word), step t >= 1 the one-hot
              word t; the softmax of step t predicts word t+1, and the last
              step the end mark <end>. "The image is the first word".
     training teacher forcing ([teacher-forcing]): the true previous word
              is the next input. Each update takes 32 training images and
              one of their five references; Adam; [loss.sum] over the words.
     decoding greedy (the likeliest word at each step, fed back) and beam
              search (rnn_beam_search).

   It prints corpus BLEU-1..4 of the held-out images for greedy and beam
   decoding beside a baseline that writes the training set's most frequent
   caption for every image. Pictures (in --out, default build/):
   caption_sheet.png, caption_filters.png. docs/guide/caption.md.

   Build and run (45 s of CPU; --help lists the options):
       make build/caption && ./build/caption */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "lab.h"            /* options, outputs */
#define LAB_READ_PNG        /* lab_data.h: read PNG files (--data) */
#include "lab_data.h"       /* the scenes and their captions */
#include "lab_cnn.h"        /* the image encoder */
#include "lab_base.h"       /* the most frequent caption */
#include "lab_pictures.h"   /* pictures */

#define PIX(d, i) ((d)->pix + (size_t)(i) * LAB_SHAPES_SIZE * LAB_SHAPES_SIZE * 3)

typedef struct config {
    char data[256], encoder[16];
    int test, filters, hidden, steps, batch, beam, seed, samples, blind;
    double lr, clip;
    lab_common lab;
} config;

#define LAB_OPTIONS_CAPTION
#include "lab_options.h"   /* the option table: options, N_OPTIONS, intro (--help) */

/* ---- the captioner: encoder + LSTM decoder ------------------------------------ */

typedef struct captioner {
    lab_encoder enc;
    rnn_model m;            /* input F + V, output V (softmax)                */
    int F, V, X;            /* features, words, decoder input = F + V         */
    rnn_real *feat, *x;     /* (B, F) features; (T_max, B, X) decoder inputs  */
    int *y;                 /* (T_max, B) targets                             */
} captioner;

/* The first step of decoding n images: h<0> = c<0> = 0, x<0> = [features; 0] */
static rnn_status read_images(captioner *c, int n, const rnn_real *const *pix)
{
    int b;
    rnn_status st;
    if (!lab_encode(&c->enc, n, pix, c->feat, c->F)) return RNN_ERR_NOMEM;
    if ((st = rnn_reserve(&c->m, 1, n)) != RNN_OK) return st;
    rnn_reset_state(&c->m);
    memset(c->x, 0, sizeof(rnn_real) * (size_t)n * c->X);
    for (b = 0; b < n; b++) memcpy(c->x + (size_t)b * c->X, c->feat + (size_t)b * c->F, sizeof(rnn_real) * c->F);
    return rnn_step(&c->m, n, c->x, NULL);
}

/* One step of the decoder: row i reads word w[i], x<t> = [0; one-hot w] (the beam's feed) */
static rnn_status read_words(rnn_model *m, int n, const int *w, void *ctx)
{
    captioner *c = (captioner *)ctx;
    int i;
    memset(c->x, 0, sizeof(rnn_real) * (size_t)n * c->X);
    for (i = 0; i < n; i++) if (w[i] >= 0) c->x[(size_t)i * c->X + c->F + w[i]] = 1;
    return rnn_step(m, n, c->x, NULL);
}

/* Greedy decoding of n images at once: the likeliest word at each step
   becomes the next step's input, until <end> or LAB_MAX_WORDS words. */
static rnn_status decode_greedy(captioner *c, int n, const rnn_real *const *pix, lab_caption *out)
{
    int t, b, live = n, w[1024];
    rnn_status st;
    if ((st = read_images(c, n, pix)) != RNN_OK) return st;   /* step 0 reads the image */
    for (b = 0; b < n; b++) out[b].len = 0;
    for (t = 0; t < LAB_MAX_WORDS && live > 0; t++) {
        for (b = 0; b < n; b++) {
            w[b] = -1;
            if (out[b].len < t) continue;           /* this one has ended */
            w[b] = rnn_argmax(c->m.o + (size_t)b * c->V, c->V);
            if (w[b] == LAB_END) { live--; w[b] = -1; continue; }
            out[b].w[out[b].len++] = w[b];          /* the next input is the word just said */
        }
        if (t + 1 < LAB_MAX_WORDS && live > 0 && (st = read_words(&c->m, n, w, c)) != RNN_OK) return st;
    }
    return RNN_OK;
}

/* Beam search for one image (k hypotheses; k = 1 is greedy decoding) */
static rnn_status decode_beam(captioner *c, int k, const rnn_real *pix, lab_caption *out)
{
    rnn_beam bm = {0};
    rnn_status st;
    bm.width = k; bm.max_len = LAB_MAX_WORDS; bm.end = LAB_END; bm.force_end = 1;
    bm.feed = read_words; bm.ctx = c;   /* log_probs NULL: the log-softmax of the logits */
    if ((st = read_images(c, 1, &pix)) != RNN_OK) return st;
    return rnn_beam_search(&c->m, &bm, out->w, &out->len);
}

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    config c = {"", "conv", .filters = 8, .hidden = 64, .steps = 4000, .batch = 32, .beam = 3, .seed = 1, .samples = 12,
                .lr = 0.005, .clip = 5, .lab.out = LAB_DEFAULT_OUT};
    lab_captions d;
    captioner cap;
    rnn_model_desc md = {0};
    rnn_optim opt, eopt;
    rnn_optim_desc od = {0};
    rnn_rng rng;
    rnn_status st = RNN_OK;
    int i, k, t, b, rc, n_train, n_test, status = 1, step, base_count, exact, T_max = LAB_MAX_WORDS + 1;
    const rnn_real **pix = NULL;
    lab_caption *greedy = NULL, *beam = NULL, *baseline = NULL, base;
    rnn_bleu bl;
    double loss_sum = 0, words_sum = 0, train_cpu, tr0;
    char s[256], title[160];

    if ((rc = lab_options("caption", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, NULL)) != LAB_GO) return rc;
    if (c.data[0] ? lab_captions_read(&d, c.data) : lab_shapes_make(&d, 2000, 1)) return 1;
    n_test = c.test ? c.test : d.n / 5;
    n_train = d.n - n_test;
    if (n_test < 1 || n_train < 1) {
        fprintf(stderr, "caption: %s has %d images: too few to hold out %d for the test and train on the rest\n",
                c.data[0] ? c.data : "the data", d.n, n_test);
        return 1;
    }
    memset(&cap, 0, sizeof cap); memset(&opt, 0, sizeof opt); memset(&eopt, 0, sizeof eopt);
    pix = (const rnn_real **)malloc(sizeof *pix * (size_t)(c.batch > n_test ? c.batch : n_test));
    greedy = (lab_caption *)calloc((size_t)n_test * 3, sizeof(lab_caption));
    rnn_rng_seed(&rng, (uint64_t)c.seed);
    if (!pix || !greedy || !lab_encoder_init(&cap.enc, !strcmp(c.encoder, "conv"), c.filters, &rng)) goto nomem;
    beam = greedy + n_test; baseline = beam + n_test;
    cap.enc.blind = c.blind;

    /* the decoder: input [features; one-hot word], softmax over the words */
    cap.F = cap.enc.F; cap.V = d.V; cap.X = cap.F + cap.V;
    md.cell = RNN_LSTM; md.input_size = cap.X; md.hidden_size = c.hidden; md.output_size = cap.V;
    md.output = RNN_SOFTMAX; md.seed = (uint64_t)c.seed;
    od.kind = RNN_ADAM; od.lr = (rnn_real)c.lr;
    if ((st = rnn_model_init(&cap.m, &md)) != RNN_OK || (st = rnn_optim_init(&opt, &od, cap.m.n_params)) != RNN_OK ||
        (cap.enc.conv && (st = rnn_optim_init(&eopt, &od, cap.enc.n_params)) != RNN_OK)) goto fail;
    i = c.batch > n_test ? c.batch : n_test;
    cap.feat = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)i * cap.F);
    cap.x = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)T_max * i * cap.X);
    cap.y = (int *)malloc(sizeof(int) * (size_t)T_max * i);
    if (!cap.feat || !cap.x || !cap.y) goto nomem;

    printf("Image captioning (decks D0, D3; Show and Tell): an encoder turns the image into\n"
           "features, the features are the LSTM's first input, the LSTM writes the caption.\n");
    if (c.data[0]) printf("data:    %s/captions.txt: %d images %dx%d, %d words (with <end>)\n", c.data, d.n, LAB_SHAPES_SIZE, LAB_SHAPES_SIZE, d.V);
    else printf("data:    %d scenes of shapes (made in memory, seed 1): %d images %dx%d, %d words (with <end>)\n",
                d.n, d.n, LAB_SHAPES_SIZE, LAB_SHAPES_SIZE, d.V);
    printf("split:   %d training images, the last %d held out for the test\n", n_train, n_test);
    if (c.blind) printf("encoder: none (--blind): the %d features are always 0, the image is never seen\n", cap.F);
    else if (cap.enc.conv) printf("encoder: conv, %d filters 5x5x3, ReLU, max over a %dx%d grid -> %d features (learned)\n",
                                  cap.enc.K, LAB_GRID, LAB_GRID, cap.F);
    else printf("encoder: pool, the mean colour of each cell of a %dx%d grid -> %d features (fixed)\n", LAB_GRID, LAB_GRID, cap.F);
    printf("decoder: LSTM, hidden %d; input %d features + %d one-hot words = %d; softmax over %d words\n",
           c.hidden, cap.F, cap.V, cap.X, cap.V);
    printf("train:   %d updates of %d images (one random reference each), teacher forcing,\n"
           "         Adam lr %g, clip %g, seed %d\n\n", c.steps, c.batch, c.lr, c.clip, c.seed);
    fflush(stdout);

    /* ---- training: the first n_train images ---- */
    tr0 = lab_cpu_seconds();
    for (step = 1; step <= c.steps; step++) {
        int T = 1, B = c.batch, X = cap.X;
        rnn_batch batch = {0};
        rnn_real loss;
        const lab_caption *ref[1024];
        for (b = 0; b < B; b++) {
            int im = (int)(rnn_rng_uniform(&rng) * n_train);
            ref[b] = &d.refs[(size_t)im * LAB_MAX_REFS + (int)(rnn_rng_uniform(&rng) * d.n_refs[im])];
            pix[b] = PIX(&d, im);
            if (ref[b]->len + 1 > T) T = ref[b]->len + 1;
        }
        /* x<0> = [features; 0], x<t> = [0; one-hot word t] (teacher forcing);
           y<t> = word t+1, the end mark after the last word, then -1 (no target) */
        memset(cap.x, 0, sizeof(rnn_real) * (size_t)T * B * X);
        if (!lab_encode(&cap.enc, B, pix, cap.x, X)) goto nomem;
        for (t = 0; t < T; t++)
            for (b = 0; b < B; b++) {
                const lab_caption *r = ref[b];
                if (t >= 1 && t <= r->len) cap.x[((size_t)t * B + b) * X + cap.F + r->w[t - 1]] = 1;
                cap.y[t * B + b] = t < r->len ? r->w[t] : t == r->len ? LAB_END : -1;
                words_sum += t <= r->len;
            }
        batch.T = T; batch.B = B; batch.x = cap.x; batch.y_tokens = cap.y;
        if ((st = rnn_reserve(&cap.m, T, B)) != RNN_OK) break;
        rnn_reset_state(&cap.m);                  /* h<0> = c<0> = 0 */
        rnn_zero_grad(&cap.m);
        st = rnn_forward(&cap.m, &batch, &loss);  /* [loss.sum] / B */
        if (lab_diverged(NULL, step, st, (double)loss / T, 100 * log((double)cap.V))) { st = RNN_ERR_NAN; break; }
        if (st != RNN_OK || (st = rnn_backward(&cap.m)) != RNN_OK) break;   /* [bptt.*] */
        loss_sum += (double)loss * B;
        if (cap.enc.conv) {   /* m.dx row t = 0 holds dL/dx<0>; its first F columns are dL/dfeatures */
            memset(cap.enc.grads, 0, sizeof(rnn_real) * (size_t)cap.enc.n_params);
            lab_encoder_backward(&cap.enc, B, cap.m.dx, X);
            rnn_clip_norm(cap.enc.grads, (size_t)cap.enc.n_params, (rnn_real)c.clip);
            rnn_optim_step(&eopt, cap.enc.params, cap.enc.grads);
        }
        rnn_clip_by_global_norm(&cap.m, (rnn_real)c.clip);               /* [clip.norm] */
        rnn_optim_step(&opt, cap.m.params, cap.m.grads);
        if (!c.lab.quiet && (step % (c.steps / 10 > 0 ? c.steps / 10 : 1) == 0 || step == c.steps)) {
            double sec = lab_cpu_seconds() - tr0;
            printf("step %5d/%d  loss per word %.3f  %.0f updates/s (CPU)\n", step, c.steps,
                   loss_sum / words_sum, step / (sec > 0 ? sec : 1e-9));
            fflush(stdout);
            loss_sum = words_sum = 0;
        }
    }
    train_cpu = lab_cpu_seconds() - tr0;
    if (st == RNN_ERR_NAN) goto out;   /* diverged: said why */
    if (st != RNN_OK) goto fail;

    /* ---- the test: greedy, beam, and the baseline, on the held-out images ---- */
    for (i = 0; i < n_test; i++) pix[i] = PIX(&d, n_train + i);
    if ((st = decode_greedy(&cap, n_test, pix, greedy)) != RNN_OK) goto fail;
    for (i = 0; i < n_test; i++) if ((st = decode_beam(&cap, c.beam, pix[i], &beam[i])) != RNN_OK) goto fail;
    {
        int *idx = (int *)malloc(sizeof(int) * (size_t)d.n);
        if (!idx) goto nomem;
        for (i = 0; i < d.n; i++) idx[i] = i;
        base = lab_most_frequent_caption(&d, idx, n_train, &base_count);
        for (i = 0; i < n_test; i++) baseline[i] = base;
        lab_caption_text(&d, &base, s, sizeof s);
        printf("\nheld-out images: %d, %d references each; corpus BLEU, unsmoothed\n", n_test, d.n_refs[n_train]);
        printf("baseline: the most frequent training caption (%d of %d), for every image:\n  \"%s\"\n",
               base_count, n_train * d.n_refs[0], s);
        lab_print_bleu_row(NULL, NULL, 0, 0);
        snprintf(title, sizeof title, "beam search, k = %d", c.beam);
        for (k = 0; k < 3; k++) {   /* [bleu] corpus BLEU of each way of captioning */
            lab_captions_bleu(&d, idx + n_train, n_test, k == 0 ? baseline : k == 1 ? greedy : beam, &bl, &exact);
            lab_print_bleu_row(k == 0 ? "baseline" : k == 1 ? "greedy" : title, &bl, exact, n_test);
        }
        printf("(exact: the caption is one of the image's references, word for word)\n");
        if (c.samples > 0 && n_test > 0) printf("\nheld-out samples (beam search):\n");
        for (i = 0; i < c.samples && i < n_test; i++) {
            lab_caption_text(&d, &beam[i], s, sizeof s);
            printf("  %s  %s\n", d.name[n_train + i], s);
        }
        status = 0;
        snprintf(title, sizeof title, "held-out images, beam search k = %d (%s encoder)", c.beam, c.blind ? "no" : c.encoder);
        if (!c.lab.no_images && c.samples > 0 &&
            lab_picture_caption_sheet(lab_images_dir(&c.lab), title, &d, idx + n_train, c.samples < n_test ? c.samples : n_test, beam))
            status = 1;
        if (!c.lab.no_images && cap.enc.conv && !c.blind &&
            lab_picture_caption_filters(lab_images_dir(&c.lab), &cap.enc, &d, idx + n_train, n_test < 4 ? n_test : 4)) status = 1;
        free(idx);
    }
    printf("\ntime: %.1f s CPU (training %.1f s)\n", lab_cpu_seconds(), train_cpu);
    goto out;
nomem:
    st = RNN_ERR_NOMEM;
fail:
    fprintf(stderr, "caption: %s\n", rnn_status_string(st));
out:
    rnn_optim_free(&opt); rnn_optim_free(&eopt);
    rnn_model_free(&cap.m);
    lab_encoder_free(&cap.enc);
    free(cap.feat); free(cap.x); free(cap.y);
    free((void *)pix); free(greedy);
    lab_captions_free(&d);
    return status;
}
