/* seq2seq.c - an encoder-decoder ([arch.seq2seq]) that translates dates
   written in words, English or Spanish, into ISO 8601:
       "twenty-third of march, nineteen eighty-four"             -> 1984-03-23
       "veintitrés de marzo de mil novecientos ochenta y cuatro"  -> 1984-03-23
   The decks draw it (D3: "Otras arquitecturas: Encoder-Decoder"; D1:
   Traducción, "I am hungry" -> "Tengo hambre"): one network reads the whole
   sentence into its state, a second one starts from that state and writes
   the answer one symbol at a time.

   The task is generated (lab_data.h), so it needs no data: every day from
   1900 to 2099 (73049 dates) is shuffled (--seed); the first --test dates
   are the test set, the next --dev the dev set, training draws from the
   rest, so a test date is never seen in training in any wording.
   Source: WORDS, split at spaces and hyphens (about 120 of them). Target:
   CHARACTERS, the 10 of "1984-03-23" then </s>.

     encoder   an rnn_model with an embedding ([embed.lookup]) and no output;
               source sentences padded at the end, the mask keeps the
               padding from changing the state ([embed.pad]);
     bridge    rnn_state_copy(dec, enc): the decoder's h<0> (and c<0>) is the
               encoder's final state; backward, rnn_backward(dec) then
               rnn_backward_from(enc, dec) carries dL/dh<0> into the encoder;
     decoder   an rnn_model over the 13 target symbols, softmax output:
               input <s> y1 .. y10, target y1 .. y10 </s>.
   Training, two ways and a control, same budget, same seed: teacher
   forcing ([teacher-forcing], deck D3: "reemplazar el feedback real ...
   por la salida deseada"), or free running: the decoder reads its OWN
   previous prediction (greedy, rnn_step), then a second pass over those
   inputs gives the loss (no gradient through the argmax); and a control
   with no feedback at all.
   Decoding: greedy and beam search (rnn_beam_search). The score: exact match.

   Pictures (in --out, default build/): seq2seq_curves.png, seq2seq_errors.png.
   docs/guide/seq2seq.md shows and explains the results.

   Build and run (about a minute and a half on one core; --help lists the options):
       make build/seq2seq && ./build/seq2seq
       ./build/seq2seq --translate "march fifth, two thousand twenty-four" */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "lab.h"            /* options, outputs, cell names */
#include "lab_data.h"       /* dates in words */
#include "lab_pictures.h"   /* pictures */

typedef struct config {
    char cell[16], lang[8], mode[8], translate[512];
    int embed, hidden, layers, batch, steps, eval_every, beam, errors_at, n_test, n_dev, seed, reverse_source;
    double lr, clip;
    lab_common lab;
} config;

#define LAB_OPTIONS_SEQ2SEQ
#include "lab_options.h"   /* the option table: options, N_OPTIONS, intro (--help) */

/* target symbols: '0'..'9' are 0..9, '-' 10, <s> 11, </s> 12 */
enum { TGT_DASH = 10, TGT_BOS = 11, TGT_EOS = 12, N_TGT = 13, TGT_LEN = 10, DEC_T = TGT_LEN + 1, MAX_SRC = LAB_MAX_SRC, SRC_PAD = 0 };
static int tgt_id(char ch) { return ch == '-' ? TGT_DASH : ch - '0'; }

typedef lab_date_example example;   /* source tokens, and the date they say */
typedef lab_seq_buffers buffers;    /* source, mask, decoder input, target, tokens read */

/* ---- the two models ----------------------------------------------------------------- */

typedef struct s2s {
    rnn_model enc, dec;
    rnn_optim oe, od;
    int no_feedback;        /* the control: the decoder reads <s> at every step */
} s2s;

static rnn_status s2s_init(s2s *s, const config *c, int V_src, uint64_t seed)
{
    rnn_model_desc d = {0};
    rnn_optim_desc o = {0};
    rnn_status st;
    memset(s, 0, sizeof *s);
    d.cell = lab_cell_from_name(c->cell);
    d.input_size = V_src; d.embed_size = c->embed; d.hidden_size = c->hidden; d.num_layers = c->layers;
    d.output_size = 0;                   /* the encoder only reads            */
    d.seed = seed;
    if ((st = rnn_model_init(&s->enc, &d)) != RNN_OK) return st;
    d.input_size = N_TGT; d.embed_size = 0; /* the decoder reads one-hot symbols */
    d.output_size = N_TGT; d.output = RNN_SOFTMAX;
    d.seed = seed + 1;
    if ((st = rnn_model_init(&s->dec, &d)) != RNN_OK) return st;
    o.kind = RNN_ADAM; o.lr = (rnn_real)c->lr;
    if ((st = rnn_optim_init(&s->oe, &o, s->enc.n_params)) != RNN_OK) return st;
    return rnn_optim_init(&s->od, &o, s->dec.n_params);
}
static void s2s_free(s2s *s) { rnn_model_free(&s->enc); rnn_model_free(&s->dec); rnn_optim_free(&s->oe); rnn_optim_free(&s->od); }

/* The encoder reads the batch idx[0..B-1] (padded at the end, masked); the
   decoder starts from its final state. */
static rnn_status encode(s2s *s, const config *c, const example *ex, const int *idx, int B, buffers *w)
{
    rnn_batch be = {0};
    rnn_status st;
    int T = 1, b, t;
    for (b = 0; b < B; b++) if (ex[idx[b]].len > T) T = ex[idx[b]].len;
    for (b = 0; b < B; b++)
        for (t = 0; t < T; t++) {
            const example *e = &ex[idx[b]];
            int in = t < e->len;
            w->x[t * B + b] = !in ? SRC_PAD : c->reverse_source ? e->src[e->len - 1 - t] : e->src[t];
            w->mask[t * B + b] = in;            /* [embed.pad] padding leaves the state alone */
        }
    be.T = T; be.B = B; be.x_tokens = w->x; be.mask = w->mask;
    if ((st = rnn_reserve(&s->enc, T, B)) != RNN_OK) return st;
    rnn_reset_state(&s->enc);                            /* h<0> = c<0> = 0  */
    if ((st = rnn_forward(&s->enc, &be, NULL)) != RNN_OK) return st;
    return rnn_state_copy(&s->dec, &s->enc);             /* [arch.seq2seq] the bridge */
}

/* the decoder's target y1..y10 </s> and input (DEC_T, B): <s>, then step t's
   input from step t-1's target, [teacher-forcing] x(t) = y(t-1) (deck D3),
   or <s> again for the control with no feedback (rnn_next_input) */
static void fill_target(const example *ex, const int *idx, int B, int *din, int *dout, int no_feedback)
{
    int b, t;
    char s[24];
    for (b = 0; b < B; b++)
        for (lab_date_iso(s, ex[idx[b]].t), t = 0; t < DEC_T; t++) dout[t * B + b] = t < TGT_LEN ? tgt_id(s[t]) : TGT_EOS;
    for (b = 0; b < B; b++) din[b] = TGT_BOS;
    for (t = 1; t < DEC_T; t++)
        rnn_next_input(din + (size_t)t * B, no_feedback ? RNN_NO_FEEDBACK : RNN_TEACHER_FORCING,
                       dout + (size_t)(t - 1) * B, NULL, B, N_TGT, TGT_BOS);
}

/* Greedy free-running decoding from the bridged state: DEC_T steps, each fed
   the argmax of the step before (rnn_next_input, RNN_FREE_RUNNING). tok
   (DEC_T, B): the inputs read, <s> first; out (DEC_T, B): the symbols produced. */
static rnn_status greedy(s2s *s, int B, int *tok, int *out)
{
    int t, b;
    rnn_status st;
    for (b = 0; b < B; b++) tok[b] = TGT_BOS;
    for (t = 0; t < DEC_T; t++) {
        if ((st = rnn_step(&s->dec, B, NULL, tok + (size_t)t * B)) != RNN_OK) return st;
        for (b = 0; b < B; b++) out[(size_t)t * B + b] = rnn_argmax(s->dec.o + (size_t)b * N_TGT, N_TGT);
        if (t + 1 < DEC_T &&
            (st = rnn_next_input(tok + (size_t)(t + 1) * B, s->no_feedback ? RNN_NO_FEEDBACK : RNN_FREE_RUNNING,
                                 NULL, s->dec.o, B, N_TGT, TGT_BOS)) != RNN_OK) return st;
    }
    return RNN_OK;
}

/* One update on the batch idx[0..B-1]. free_running 0: teacher forcing, the
   decoder reads <s> y1 .. y10; 1: <s> and its own greedy predictions. The
   loss per symbol goes to *loss. */
static rnn_status train_step(s2s *s, const config *c, const example *ex, const int *idx, int B,
                             int free_running, buffers *w, double *loss)
{
    rnn_batch bd = {0};
    rnn_real l;
    rnn_status st;
    fill_target(ex, idx, B, w->din, w->dout, s->no_feedback);
    if ((st = encode(s, c, ex, idx, B, w)) != RNN_OK) return st;
    if (free_running) { /* the model's own inputs, then back to the bridged state */
        if ((st = greedy(s, B, w->din, w->tok)) != RNN_OK) return st;
        if ((st = rnn_state_copy(&s->dec, &s->enc)) != RNN_OK) return st;
    }
    bd.T = DEC_T; bd.B = B; bd.x_tokens = w->din; bd.y_tokens = w->dout;
    rnn_zero_grad(&s->enc); rnn_zero_grad(&s->dec);
    if ((st = rnn_forward(&s->dec, &bd, &l)) != RNN_OK) return st;   /* [loss.sum] over the 11 symbols */
    *loss = (double)l / DEC_T;
    if ((st = rnn_backward(&s->dec)) != RNN_OK) return st;
    if ((st = rnn_backward_from(&s->enc, &s->dec)) != RNN_OK) return st; /* through the bridge */
    { rnn_model *both[2]; both[0] = &s->enc; both[1] = &s->dec; lab_clip_models(both, 2, (rnn_real)c->clip); }   /* [clip.norm] both as one */
    rnn_optim_step(&s->oe, s->enc.params, s->enc.grads);
    rnn_optim_step(&s->od, s->dec.params, s->dec.grads);
    return RNN_OK;
}

/* ---- evaluation -------------------------------------------------------------------- */

/* Beam search for one example, from the bridged state: out gets the best
   hypothesis (without </s>), its length is returned in *len. The scores:
   rnn.h's log-softmax (log_probs NULL); the feed: rnn_step on the chosen
   symbols, or on <s> for the control with no feedback. */
static rnn_status beam_feed(rnn_model *m, int n, const int *tok, void *ctx)
{
    int bos[64], i;
    for (i = 0; i < n; i++) bos[i] = TGT_BOS;
    return rnn_step(m, n, NULL, *(int *)ctx ? bos : tok);   /* the control reads <s> only */
}
static rnn_status beam_search(s2s *s, const config *c, const example *e, buffers *w, int K, int *out, int *len)
{
    rnn_beam bm = {0};
    int zero = 0, bos = TGT_BOS;
    rnn_status st;
    bm.width = K; bm.max_len = DEC_T + 1; bm.end = TGT_EOS; bm.force_end = 0;
    bm.feed = beam_feed; bm.ctx = &s->no_feedback;
    if ((st = encode(s, c, e, &zero, 1, w)) != RNN_OK || (st = rnn_step(&s->dec, 1, NULL, &bos)) != RNN_OK) return st;
    return rnn_beam_search(&s->dec, &bm, out, len);
}

/* Teacher-forced and greedy decoding of the examples idx[0..n-1], `chunk` at
   a time, then beam search (beam > 0) one at a time. The score: exact match. */
static rnn_status evaluate(s2s *s, const config *c, const example *ex, const int *idx, int n, buffers *w,
                           int chunk, int beam, lab_seq_scores *sc)
{
    int i, b, t, out[DEC_T * 500 + 2], len;
    rnn_status st;
    memset(sc, 0, sizeof *sc);
    for (i = 0; i < n; i += chunk) {
        int B = n - i < chunk ? n - i : chunk;
        rnn_batch bd = {0};
        rnn_real l;
        fill_target(ex, idx + i, B, w->din, w->dout, s->no_feedback);
        /* teacher forcing: the true previous symbol at every step */
        if ((st = encode(s, c, ex, idx + i, B, w)) != RNN_OK) return st;
        bd.T = DEC_T; bd.B = B; bd.x_tokens = w->din; bd.y_tokens = w->dout;
        if ((st = rnn_forward(&s->dec, &bd, &l)) != RNN_OK) return st;
        for (t = 0; t < DEC_T; t++) /* the teacher-forced predictions, into w->tok */
            for (b = 0; b < B; b++) w->tok[t * B + b] = rnn_argmax(s->dec.y + ((size_t)t * B + b) * N_TGT, N_TGT);
        for (b = 0; b < B; b++) lab_seq_score_column(sc, w->tok, w->dout, DEC_T, B, b, 0, TGT_LEN, ex[idx[i + b]].lang);
        /* free running: greedy from the same bridged state */
        if ((st = rnn_state_copy(&s->dec, &s->enc)) != RNN_OK || (st = greedy(s, B, w->tok, out)) != RNN_OK) return st;
        for (b = 0; b < B; b++) lab_seq_score_column(sc, out, w->dout, DEC_T, B, b, 1, TGT_LEN, ex[idx[i + b]].lang);
        sc->n += B;
    }
    for (i = 0; i < n && beam > 0; i++) {   /* beam search: exact match against y1 .. y10 */
        fill_target(ex, idx + i, 1, w->din, w->dout, 0);
        if ((st = beam_search(s, c, &ex[idx[i]], w, beam, out, &len)) != RNN_OK) return st;
        lab_seq_score_beam(sc, out, len, w->dout, TGT_LEN, ex[idx[i]].lang);
    }
    return RNN_OK;
}

#define LAB_REPORT_SEQ2SEQ
#include "lab_report.h"   /* what is printed: the setup, progress, sample dates, --translate */

/* ---- main ------------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    config c = {"lstm", "both", "all", "", .embed = 32, .hidden = 64, .layers = 1, .batch = 64, .steps = 1500, .eval_every = 100,
                .beam = 5, .errors_at = 300, .n_test = 1000, .n_dev = 250, .seed = 1, .lr = 0.005, .clip = 5,
                .lab.out = LAB_DEFAULT_OUT};
    static const char *const mode_names[3] = {"teacher forcing", "own predictions", "no feedback"};
    static lab_dates_task d;   /* the data: every date, the split, the held-out examples */
    static lab_seq_scores sc[3], early[3];   /* the test set; the dev set after --errors-at updates */
    static s2s models[3];      /* (static: they start zeroed) */
    int k, rc, status = 0, n_modes, modes[3];
    buffers w;
    rnn_rng rng;
    double *curve[3], train_cpu;   /* per evaluation: step, dev exact match, training loss */
    const char *names[3];
    time_t wall0 = time(NULL);
    rnn_status st;

    if ((rc = lab_options("seq2seq", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, NULL)) != LAB_GO) return rc;
    if (c.errors_at % c.eval_every) { fprintf(stderr, "seq2seq: --errors-at %d must be a multiple of --eval-every %d\n", c.errors_at, c.eval_every); return 2; }
    if (c.errors_at > c.steps) c.errors_at = c.steps;   /* a short run: its last point (evaluated too) */
    n_modes = strcmp(c.mode, "all") ? 1 : 3;
    modes[0] = !strcmp(c.mode, "free") ? 1 : !strcmp(c.mode, "none") ? 2 : 0; modes[1] = 1; modes[2] = 2;

    if ((rc = lab_dates_task_make(&d, c.lang, c.n_test, c.n_dev, c.batch, c.seed)) != 0) return rc;
    { example e; if (c.translate[0] && lab_dates_parse(&d.v, c.translate, &e)) return 2; }   /* a typo: before training */
    if (lab_seq_buffers_alloc(&w, MAX_SRC, DEC_T, c.batch > 500 ? c.batch : 500)) return 1;
    print_setup(&c, &d);

    for (k = 0; k < n_modes; k++) {
        int fr = modes[k], step, n_pts = 0, loss_n = 0;
        double loss_sum = 0, t0 = lab_cpu_seconds();
        names[k] = mode_names[fr];
        curve[k] = (double *)malloc(sizeof(double) * 3 * (size_t)(c.steps / c.eval_every + 3));
        if (!curve[k] || (st = s2s_init(&models[k], &c, d.v.n, (uint64_t)c.seed * 100)) != RNN_OK)
            return lab_failed(curve[k] ? st : RNN_ERR_NOMEM);
        models[k].no_feedback = fr == 2;
        print_training(fr, names[k]);
        rnn_rng_seed(&rng, (uint64_t)c.seed * 977 + 1);  /* the same batches for every way of training */
        for (step = 0; step <= c.steps; step++) {
            double loss = 0;
            if (step % c.eval_every == 0 || step == c.steps) {   /* the dev set, greedy */
                lab_seq_scores e;
                if ((st = evaluate(&models[k], &c, d.dev, d.idx, d.n_dev, &w, 500, 0, &e)) != RNN_OK) return lab_failed(st);
                if (step == c.errors_at) early[k] = e;
                lab_seq2seq_point(curve[k], &n_pts, step, (double)e.exact / e.n, loss_n ? loss_sum / loss_n : 0);
                print_progress(&c, step, loss_n ? loss_sum / loss_n : 0, &e, lab_cpu_seconds() - t0);
                loss_sum = 0; loss_n = 0;
            }
            if (step == c.steps) break;
            lab_dates_batch(d.train, c.batch, d.days + c.n_test + c.n_dev, d.n_train, d.langs, d.n_langs, &d.v, &rng);
            st = train_step(&models[k], &c, d.train, d.idx, c.batch, fr == 1, &w, &loss);
            if (lab_diverged(names[k], step + 1, st, loss, 100 * log((double)N_TGT))) return 1;
            if (st != RNN_OK) { fprintf(stderr, "seq2seq: update %d: %s\n", step, rnn_status_string(st)); return 1; }
            loss_sum += loss; loss_n++;
        }
        train_cpu = lab_cpu_seconds() - t0;
        if ((st = evaluate(&models[k], &c, d.test, d.idx, d.n_test, &w, 500, c.beam, &sc[k])) != RNN_OK) return lab_failed(st);   /* the test set */
        print_trained(&c, train_cpu);
    }

    lab_seq_report(sc, names, n_modes, d.n_test, c.n_test, d.n_langs, c.beam, DEC_T);
    print_samples(&models[0], &c, &d, names[0], &w);   /* as the first model translates them */
    if (c.translate[0] && print_translation(models, n_modes, names, &c, &d, &w)) status = 1;
    if (!c.lab.no_images && status == 0 && draw_pictures(&c, n_modes, names, curve, early)) status = 1;
    printf("\ntime: %.0f s wall, %.1f s CPU\n", difftime(time(NULL), wall0), lab_cpu_seconds());
    for (k = 0; k < n_modes; k++) { s2s_free(&models[k]); free(curve[k]); }
    lab_dates_task_free(&d); free(w.x);
    return status;
}
