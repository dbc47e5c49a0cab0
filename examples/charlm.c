/* charlm.c - a character language model on any UTF-8 text: the lab of decks
   D0 ("LSTM: Sampled Linux source code") and D4 ("2. Modelos del lenguaje
   con RNNs"), where an LSTM writes Shakespeare and Linux kernel code.

   Deck D4 builds the language model in two steps: the chain rule [lm.chain],
   P(w_1..w_n) = prod_i P(w_i | w_1..w_i-1), with the n-gram approximation
   [lm.ngram] that keeps the last n-1 symbols and counts (lab_base.h); then
   the RNN, which keeps the whole past in its state and is trained to predict
   the next symbol at every step (many-to-many, [loss.sum]). This program
   does both on the same text and prints their perplexities side by side.

     the symbols   the code points of the text (lab_text.h reads UTF-8); the
                   vocabulary is their sorted set; one-hot inputs ([onehot]),
                   a softmax over the vocabulary;
     the batches   the training text (all but the last --val) is cut into B
                   lanes read side by side T characters at a time; after each
                   chunk the state is carried over ([tbptt], rnn_carry_state),
                   so the network sees the whole past of its lane while the
                   gradient flows back at most T steps;
     the numbers   loss in nats per character; bits per character = loss /
                   ln 2; perplexity = exp(loss).

   Modes: charlm [FILE] trains (default: rnn.h: the network learns to write
   C), writing into --out (default build/) a checkpoint, which keeps the
   run's options, a CSV log and three pictures; --resume goes on from the
   checkpoint as if the run had not stopped; --sample writes text
   ([lm.sample]); --draw, --ngram: only the pictures, the n-gram baselines.
   docs/guide/charlm.md shows a default run.

   Build and run (a default run is under 5 minutes of CPU time on one core):
       make build/charlm && ./build/charlm
       ./build/charlm --sample --prime "static int " --temperature 0.7 */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "lab.h"            /* options, outputs, cell names, kept options */
#include "lab_text.h"       /* UTF-8, the text as code points, the CSV log */
#include "lab_base.h"       /* the n-gram baselines */
#include "lab_pictures.h"   /* pictures */

typedef struct config {
    char text[512], cell[16], optim[16], checkpoint[512], log[512];
    int layers, hidden, embed, seq, batch, steps, seed, eval_every, print_every, save_every;
    double dropout, dropout_input, dropout_recurrent, lr, lr_decay, momentum, clip, val, ngram_k, ngram_lambda;
    int resume, force, sample, draw, ngram_only;
    int length, top_k, greedy, beam, trace, sample_seed;  /* sampling */
    double temperature;
    char prime[512], stop[128], units[128];
    int passage, analyse;                                  /* pictures */
    lab_common lab;
} config;

#define LAB_OPTIONS_CHARLM
#include "lab_options.h"   /* the option table: options, N_OPTIONS, intro (--help) */
#define SEEN(name) lab_option_seen(options, N_OPTIONS, name)

/* The options that define a run: the checkpoint keeps them (as user settings,
   rnn_checkpoint_set), --resume takes them from it; of those, the ones a
   resumed run may change (how long it goes on, how often it reports). */
static const char *const run_options[] = {"--text", "--cell", "--layers", "--hidden", "--embed", "--dropout", "--dropout-input",
    "--dropout-recurrent", "--seq", "--batch", "--steps", "--optim", "--lr", "--lr-decay", "--momentum", "--clip", "--val",
    "--seed", "--eval-every", "--print-every", "--save-every", NULL};
static const char *const may_change[] = {"--steps", "--eval-every", "--print-every", "--save-every", NULL};

/* The validation loss in nats per character. The n_val characters give
   n_val - 1 predictions, cut into Bv lanes of P each, read T at a time with
   the state carried. ev is a second model of the same shape (its batch size
   differs from training's, and a change of batch size resets a state). */
static double evaluate(rnn_model *ev, const rnn_model *m, const int *val, int n_val, int T, int *x, int *y)
{
    int Bv = (n_val - 1) / T, P, off, t, b;
    double total = 0;
    if (Bv > 32) Bv = 32;
    if (Bv < 1) Bv = 1;
    P = (n_val - 1) / Bv;
    memcpy(ev->params, m->params, sizeof(rnn_real) * (size_t)m->n_params);
    if (rnn_reserve(ev, T, Bv) != RNN_OK) return NAN;
    rnn_reset_state(ev);
    for (off = 0; off < P; off += T) {
        int Tc = P - off < T ? P - off : T;
        rnn_batch bt = {0};
        rnn_real loss;
        for (t = 0; t < Tc; t++)
            for (b = 0; b < Bv; b++) { x[t * Bv + b] = val[b * P + off + t]; y[t * Bv + b] = val[b * P + off + t + 1]; }
        bt.T = Tc; bt.B = Bv; bt.x_tokens = x; bt.y_tokens = y;
        if (rnn_forward(ev, &bt, &loss) != RNN_OK) return NAN;
        total += (double)loss * Bv; /* rnn_forward averages over the Bv rows */
        rnn_carry_state(ev);
    }
    return total / ((double)P * Bv);
}

/* ---- training ---------------------------------------------------------------- */

static int train(config *c, const lab_corpus *cor)
{
    int n_val = (int)(cor->n * c->val), n_train = cor->n - n_val;
    const int *trn = cor->ids, *val = cor->ids + n_train;
    int B = c->batch, T = c->seq, lane, steps_per_epoch, t, b, status = 1, best;
    long step = 0, pos = 0, sum_steps = 0, chars_done = 0;
    rnn_model m, ev;
    rnn_model_desc d = {0};
    rnn_optim opt;
    rnn_optim_desc od = {0};
    rnn_checkpoint ck;
    rnn_rng rng;
    rnn_status st;
    lab_ngram_result ng[RNN_NGRAM_MAX_ORDER];
    lab_log g = {NULL, 0, 0};
    int *x = NULL, *y = NULL, *xv = NULL, *yv = NULL;
    int32_t *vocab = NULL;
    double sum_loss = 0, cpu0, cpu_start, cpu_resumed, last_val = NAN, bound = 10 * log((double)cor->V);
    FILE *logf = NULL;

    memset(&m, 0, sizeof m); memset(&ev, 0, sizeof ev); memset(&opt, 0, sizeof opt);
    if (!lab_lm_fits(c->text, cor->n, B, T, c->val)) return 1;
    lane = n_train / B;                    /* B lanes read side by side, T characters at a time */
    steps_per_epoch = (lane - T) / T;
    /* the checkpoint: one of another run is someone's trained model, kept unless --force */
    if (!lab_may_replace(c->checkpoint, options, N_OPTIONS, c, run_options, may_change, c->steps, c->force, c->resume)) return 1;
    memset(&ck, 0, sizeof ck);
    if (!lab_options_save(&ck, options, N_OPTIONS, c, run_options)) return 1;   /* can the checkpoint keep them? (a long --text) */
    lab_corpus_print(cor, c->text);
    printf("split: %d characters to train on, the last %d (%g) to validate on\n", n_train, n_val, c->val);
    if ((best = lab_ngram_report(SEEN("--ngram-k") ? c->ngram_k : -1, SEEN("--ngram-lambda") ? c->ngram_lambda : -1,
                                 trn, n_train, val, n_val, cor->V, ng)) < 0) return 1;
    printf("\n");

    rnn_rng_seed(&rng, (uint64_t)c->seed * 0x9E3779B97F4A7C15ull + 7);
    if (c->resume) {  /* the model, optimizer, state, generator and counters of the checkpoint (main took its options) */
        if (!lab_char_model_resume(c->checkpoint, &m, &opt, &ck, &vocab, cor, B)) goto done;
        strcpy(c->cell, lab_cell_name(m.desc.cell)); c->hidden = m.desc.hidden_size; c->layers = m.desc.num_layers;
        strcpy(c->optim, lab_optim_name(opt.desc.kind));
        step = (long)ck.step; pos = (long)ck.data_pos; rng.state = ck.rng_state;
        printf("resumed from %s at step %ld%s\n", c->checkpoint, step, step >= c->steps ? " (--steps is not more: nothing to train)" : "");
    } else {
        d.cell = lab_cell_from_name(c->cell); d.input_size = cor->V; d.hidden_size = c->hidden; d.output_size = cor->V;
        d.num_layers = c->layers; d.output = RNN_SOFTMAX; d.seed = (uint64_t)c->seed;
        d.embed_size = c->embed; d.dropout = (rnn_real)c->dropout;
        d.dropout_input = (rnn_real)c->dropout_input; d.dropout_recurrent = (rnn_real)c->dropout_recurrent;
        if ((st = rnn_model_init(&m, &d)) != RNN_OK) { fprintf(stderr, "charlm: the model: %s\n", rnn_status_string(st)); return 1; }
        od.kind = lab_optim_from_name(c->optim); od.lr = (rnn_real)c->lr; od.momentum = (rnn_real)c->momentum;
        if ((st = rnn_optim_init(&opt, &od, m.n_params)) != RNN_OK) { fprintf(stderr, "charlm: the optimizer: %s\n", rnn_status_string(st)); goto done; }
    }
    if ((st = rnn_model_init(&ev, &m.desc)) != RNN_OK || (st = rnn_reserve(&m, T, B)) != RNN_OK) {
        fprintf(stderr, "charlm: the model: %s\n", rnn_status_string(st)); goto done;
    }
    /* [dropout] training mode: the masks come from the run's generator, which the checkpoint saves */
    rnn_set_training(&m, &rng);
    x = (int *)malloc(sizeof(int) * (size_t)T * (2 * B + 64)); y = x + (size_t)T * B; xv = y + (size_t)T * B; yv = xv + (size_t)T * 32;
    if (!x) { fprintf(stderr, "charlm: out of memory\n"); goto done; }
    if (!(logf = lab_log_open(&g, c->log, step))) goto done;

    lab_lm_describe(&m, lab_optim_name(opt.desc.kind), c->lr, c->lr_decay, c->clip, B, lane, T, steps_per_epoch, c->steps);

    cpu0 = lab_cpu_seconds(); cpu_start = cpu0;
    cpu_resumed = g.n ? g.rows[g.n - 1].cpu : 0; /* the CPU column counts on from the old log */
    while (step < c->steps) {
        long epoch = step / steps_per_epoch;
        rnn_batch bt = {0};
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
        bt.T = T; bt.B = B; bt.x_tokens = x; bt.y_tokens = y;
        rnn_zero_grad(&m);
        st = rnn_forward(&m, &bt, &loss);        /* [loss.sum] over the chunk     */
        if (lab_diverged(NULL, step + 1, st, (double)loss / T, bound)) goto done;   /* 10 times a uniform guess */
        if (st == RNN_OK) st = rnn_backward(&m); /* [bptt.*], stopped at row 0    */
        if (st != RNN_OK) { fprintf(stderr, "charlm: step %ld: %s\n", step + 1, rnn_status_string(st)); goto done; }
        if (c->clip > 0) rnn_clip_by_global_norm(&m, (rnn_real)c->clip); /* [clip.norm] */
        opt.desc.lr = (rnn_real)(c->lr * pow(c->lr_decay, (double)epoch));
        if ((st = rnn_optim_step(&opt, m.params, m.grads)) != RNN_OK) {
            fprintf(stderr, "charlm: step %ld: the optimizer: %s (lr %g)\n", step + 1, rnn_status_string(st), (double)opt.desc.lr);
            goto done;
        }
        rnn_carry_state(&m);                     /* [tbptt] the next chunk starts here */
        pos += T;
        step++;
        sum_loss += (double)loss / T; sum_steps++;  /* loss: summed over T, averaged over B */
        chars_done += (long)T * B;

        if (step % c->eval_every == 0 || step == c->steps) {
            last_val = evaluate(&ev, &m, val, n_val, T, xv, yv);
            if (lab_diverged("validation", step, RNN_OK, last_val, bound) ||
                !lab_log_write(&g, logf, step, (double)step / steps_per_epoch, sum_loss / sum_steps, last_val,
                               lab_cpu_seconds() - cpu_start + cpu_resumed)) goto done;
        }
        if (step % c->print_every == 0 || step == c->steps)
            lab_lm_progress(step, c->steps, (double)step / steps_per_epoch, sum_loss / sum_steps, last_val, chars_done, sum_steps,
                            lab_cpu_seconds() - cpu0);
        if (step % c->eval_every == 0) { sum_loss = 0; sum_steps = 0; chars_done = 0; cpu0 = lab_cpu_seconds(); }
        if (step % c->save_every == 0 || step == c->steps) {
            memset(&ck, 0, sizeof ck);  /* everything that goes on from here, and the options of the run */
            ck.optim = &opt; ck.with_state = 1; ck.rng_state = rng.state; ck.step = step; ck.data_pos = pos;
            ck.vocab = cor->vocab; ck.vocab_len = cor->V;
            if (!lab_options_save(&ck, options, N_OPTIONS, c, run_options) || !lab_char_model_save(c->checkpoint, &m, &ck)) goto done;
        }
    }
    if (last_val != last_val) last_val = evaluate(&ev, &m, val, n_val, T, xv, yv);   /* no step ran: resumed at the end */
    printf("\ncheckpoint: %s (step %ld)\n", c->checkpoint, step);
    lab_print_lm_table(ng, cor->V, n_val, lab_cell_name(m.desc.cell), m.desc.num_layers, m.desc.hidden_size, last_val);
    status = c->lab.no_images ? 0 : lab_pictures_charlm(lab_images_dir(&c->lab), &g, ng, best, &m, cor, n_train, c->analyse, c->units,
                                                        SEEN("--passage") ? c->passage : -1);
    printf("time: %.1f s CPU\n", lab_cpu_seconds());
done:
    if (logf) fclose(logf);
    free(x); free(g.rows); free(vocab);
    rnn_optim_free(&opt);
    rnn_model_free(&m); rnn_model_free(&ev);
    return status;
}

/* ---- sampling ([lm.sample]) ------------------------------------------------- */

static int sample(config *c)
{
    rnn_model m;
    rnn_checkpoint ck;
    int32_t *vocab;
    int V, n_prime, n_stop, k, status = 1, prime_ids[512], stop_ids[128], *out, n_out = 0, *order;
    rnn_real *keep;
    rnn_rng rng;
    rnn_status st = RNN_OK;
    if (!lab_char_model_load(c->checkpoint, "cannot load", &m, NULL, &ck, &vocab, &V)) return 1;
    out = (int *)malloc(sizeof(int) * ((size_t)c->length + 2 * (size_t)V));
    keep = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)V);
    if (!out || !keep) { fprintf(stderr, "charlm: out of memory\n"); goto done; }
    order = out + c->length;
    if (!lab_char_prime(c->prime, c->stop, vocab, V, prime_ids, &n_prime, stop_ids, &n_stop)) goto done;
    rnn_rng_seed(&rng, (uint64_t)c->sample_seed);
    fprintf(stderr, "charlm: sampling from %s: %s %dx%d, %s, %d characters%s%s\n", c->checkpoint,
            lab_cell_name(m.desc.cell), m.desc.num_layers, m.desc.hidden_size,
            c->beam > 0 ? "beam search" : c->greedy || c->temperature <= 0 ? "greedy" : "temperature sampling",
            c->length, n_stop ? ", stop string " : "", n_stop ? "given" : "");
    for (k = 0; k < n_prime && st == RNN_OK; k++) st = rnn_step(&m, 1, NULL, &prime_ids[k]);   /* read the priming text */
    if (c->beam <= 0) {  /* pick from the output, feed it back as the next input */
        for (n_out = 0; n_out < c->length && st == RNN_OK; ) {
            int w = lab_pick(m.o, V, c->greedy, c->temperature, c->top_k, &rng, keep, order);  /* [lm.sample] */
            if (c->trace) lab_trace_pick(n_out, &m, w, vocab);
            out[n_out++] = w;
            lab_put_cp(stdout, vocab[w]);
            if (lab_ends_with(out, n_out, stop_ids, n_stop)) break;
            st = rnn_step(&m, 1, NULL, &w);
        }
    } else {             /* beam search (rnn_beam_search): the likeliest text of --length characters, cut after the stop string */
        rnn_beam bm = {0};
        bm.width = c->beam; bm.max_len = c->length; bm.end = -1;   /* log_probs, feed NULL: log-softmax, rnn_step */
        if (st == RNN_OK && (st = rnn_beam_search(&m, &bm, out, &k)) == RNN_OK)
            for (n_out = 0; n_out < k; ) {
                lab_put_cp(stdout, vocab[out[n_out++]]);
                if (lab_ends_with(out, n_out, stop_ids, n_stop)) break;
            }
    }
    if (st != RNN_OK) { fprintf(stderr, "charlm: %s\n", rnn_status_string(st)); goto done; }
    if (n_out == 0 || vocab[out[n_out - 1]] != '\n') putchar('\n'); /* end the last line */
    status = 0;
done:
    fflush(stdout);
    free(out); free(keep); free(vocab);
    rnn_model_free(&m);
    return status;
}

/* ---- main -------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    config c = {"rnn.h", "lstm", "adam", "", "", .layers = 1, .hidden = 128, .seq = 64, .batch = 32, .steps = 3000, .seed = 1,
                .eval_every = 100, .print_every = 100, .save_every = 500, .dropout_recurrent = 0.25, .lr = 0.006,
                .lr_decay = 0.97, .clip = 5, .val = 0.1, .length = 500, .sample_seed = 1, .temperature = 0.8,
                .analyse = 20000, .lab.out = LAB_DEFAULT_OUT};
    lab_corpus cor;
    int rc, status;
    char path[512];
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress lines appear as they are printed */
    if ((rc = lab_options("charlm", intro, options, N_OPTIONS, &c, sizeof c, argc, argv, "--text")) != LAB_GO) return rc;
    if (c.sample + c.draw + c.ngram_only + c.resume > 1) { fprintf(stderr, "charlm: --sample, --draw, --ngram and --resume are different modes: pick one\n"); return 2; }
    if (c.dropout_input > 0 && c.embed == 0) { fprintf(stderr, "charlm: --dropout-input needs --embed (dropping a one-hot input drops the whole character)\n"); return 2; }
    if (c.beam > 0 && (c.top_k || c.greedy || SEEN("--temperature"))) { fprintf(stderr, "charlm: --beam searches; it does not sample (no --top-k, --greedy or --temperature with it)\n"); return 2; }
    if (!c.checkpoint[0] && !lab_out_name(c.checkpoint, sizeof c.checkpoint, c.lab.out, "charlm.safetensors")) return 2;
    if (!c.log[0] && !lab_out_name(c.log, sizeof c.log, c.checkpoint, "_log.csv")) return 2;   /* x.safetensors -> x_log.csv */
    if (c.sample) return sample(&c);
    if (c.resume && !lab_resume_options(c.checkpoint, options, N_OPTIONS, &c, run_options, may_change, c.force)) return 1;
    if (!lab_corpus_read(&cor, SEEN("--text") ? c.text : lab_project_file(c.text, path, sizeof path),
                         SEEN("--text") ? "" : " (the default text of the project)")) return 1;
    if (c.ngram_only)
        status = lab_ngram_only(&cor, c.text, c.val, SEEN("--ngram-k") ? c.ngram_k : -1, SEEN("--ngram-lambda") ? c.ngram_lambda : -1);
    else if (c.draw)
        status = lab_draw_charlm(lab_images_dir(&c.lab), c.checkpoint, &cor, c.text, c.val, c.analyse, c.units, SEEN("--passage") ? c.passage : -1);
    else status = train(&c, &cor);
    lab_corpus_free(&cor);
    return status;
}
