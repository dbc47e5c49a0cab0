/* lab_beam.h - beam search over an rnn.h model, for the labs that write
   sequences (caption.c, seq2seq.c, charlm.c).

   Greedy decoding keeps the one likeliest token at each step; beam search
   keeps the `width` likeliest partial sequences ("hypotheses"), scored by
   the sum of their tokens' log-probabilities. Each step extends every
   hypothesis by every token, keeps the best `width` of those extensions
   (ties: the lower hypothesis, then the lower token), and moves the model's
   state rows along with rnn_state_select: a survivor's state is the state
   of the hypothesis it extends (two survivors may extend the same one).
   An extension by the end token is finished and leaves the beam; since
   log-probabilities only fall as tokens are added, once the best finished
   hypothesis beats every survivor nothing can overtake it, and the search
   stops. Width 1 is greedy decoding.

   The model must have read the prefix already (the image, the source
   sentence, the priming text): row 0 of m->o holds the logits of the first
   token. Include it after lab.h. */
#ifndef LAB_BEAM_H
#define LAB_BEAM_H
#include "lab.h"

typedef struct lab_beam {
    int width;              /* hypotheses kept (1: greedy)                    */
    int max_len;            /* tokens in a hypothesis, the end token aside    */
    int end;                /* the end token; -1: none (run max_len steps)    */
    int force_end;          /* at max_len: 1, every hypothesis ends there (its
                               score gets the end token's log-probability);
                               0, the best finished one wins, else the best
                               unfinished one                                  */
    /* the log-probabilities of the V tokens after row r of the last step
       (m->o); a token that may not come next gets -HUGE_VAL */
    void (*log_probs)(const rnn_model *m, int r, double *lp, void *ctx);
    /* one step of the model: row i reads token tokens[i], i < n */
    rnn_status (*feed)(rnn_model *m, int n, const int *tokens, void *ctx);
    void *ctx;
} lab_beam;

/* The log-softmax of row r of the last step's logits, in double: the usual
   log_probs. */
LAB_FN void lab_log_softmax(const rnn_model *m, int r, double *lp, void *ctx)
{
    int V = m->desc.output_size, j;
    const rnn_real *o = m->o + (size_t)r * V;
    double mx = o[0], s = 0;
    (void)ctx;
    for (j = 1; j < V; j++) if (o[j] > mx) mx = o[j];
    for (j = 0; j < V; j++) s += exp(o[j] - mx);
    for (j = 0; j < V; j++) lp[j] = o[j] - mx - log(s);
}

/* The usual feed: the tokens as one-hot inputs (or embedding ids). */
LAB_FN rnn_status lab_feed_tokens(rnn_model *m, int n, const int *tokens, void *ctx)
{
    (void)ctx;
    return rnn_step(m, n, NULL, tokens);
}

/* Runs the search; the best hypothesis (its tokens, the end token left
   out) goes to out (room for max_len) and its length to *len. */
LAB_FN rnn_status lab_beam_search(rnn_model *m, const lab_beam *bm, int *out, int *len)
{
    int K = bm->width, L = bm->max_len, V = m->desc.output_size, n_live = 1, t, i, j, w, best_len = -1;
    double *lp = (double *)malloc(sizeof(double) * (size_t)K * V), best = -HUGE_VAL;
    double *score = (double *)malloc(sizeof(double) * (size_t)K * 2), *nscore = score + K;
    int *hyp = (int *)malloc(sizeof(int) * ((size_t)K * (L + 1) * 2 + 2 * (size_t)K));
    int *nhyp = hyp + (size_t)K * (L + 1), *rows = nhyp + (size_t)K * (L + 1), *tok = rows + K;
    rnn_status st = RNN_OK;
    if (!lp || !score || !hyp) { free(lp); free(score); free(hyp); return RNN_ERR_NOMEM; }
    score[0] = 0;
    for (t = 0; ; t++) {
        int n_new = 0;
        for (i = 0; i < n_live; i++) bm->log_probs(m, i, lp + (size_t)i * V, bm->ctx);
        if (t == L) {               /* force_end: no room for another token */
            for (i = 0; i < n_live; i++)
                if (score[i] + lp[(size_t)i * V + bm->end] > best) {
                    best = score[i] + lp[(size_t)i * V + bm->end]; best_len = L;
                    memcpy(out, hyp + (size_t)i * (L + 1), sizeof(int) * (size_t)L);
                }
            break;
        }
        for (j = 0; j < K; j++) {   /* the best K of the n_live * V extensions, by selection (K is small) */
            int bi = -1, bw = -1;
            double bs = -HUGE_VAL;
            for (i = 0; i < n_live; i++)
                for (w = 0; w < V; w++) {
                    double s = score[i] + lp[(size_t)i * V + w];
                    if (s > bs && lp[(size_t)i * V + w] > -HUGE_VAL) { bs = s; bi = i; bw = w; }
                }
            if (bi < 0) break;
            lp[(size_t)bi * V + bw] = -HUGE_VAL;   /* taken */
            if (bw == bm->end) {                   /* finished */
                if (bs > best) { best = bs; best_len = t; memcpy(out, hyp + (size_t)bi * (L + 1), sizeof(int) * (size_t)t); }
                continue;
            }
            memcpy(nhyp + (size_t)n_new * (L + 1), hyp + (size_t)bi * (L + 1), sizeof(int) * (size_t)t);
            nhyp[(size_t)n_new * (L + 1) + t] = bw;
            nscore[n_new] = bs; rows[n_new] = bi; tok[n_new] = bw;
            n_new++;
        }
        if (n_new == 0 || best >= nscore[0]) break;   /* nscore[0] is the best survivor */
        if (t + 1 == L && !bm->force_end) {           /* full length: the best unfinished one, if none finished */
            if (best_len < 0) { best_len = L; memcpy(out, nhyp, sizeof(int) * (size_t)L); }
            break;
        }
        if ((st = rnn_state_select(m, rows, n_new)) != RNN_OK) break;
        if ((st = bm->feed(m, n_new, tok, bm->ctx)) != RNN_OK) break;
        memcpy(hyp, nhyp, sizeof(int) * (size_t)n_new * (L + 1));
        memcpy(score, nscore, sizeof(double) * (size_t)n_new);
        n_live = n_new;
    }
    *len = best_len < 0 ? 0 : best_len;
    free(lp); free(score); free(hyp);
    return st;
}

#endif /* LAB_BEAM_H */
