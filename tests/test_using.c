/* Tests of using a model's output: BLEU against the paper's and NLTK's
   numbers, the count-based n-gram language model against hand counts, and
   the embedding utilities on a hand-made embedding whose answers are known.
   Runs with rnn_real float (the default) or double. */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <stdlib.h>
#include <string.h>

/* ---- words to token ids: split on spaces, case-sensitive ---- */
#define MAX_WORDS 256
#define MAX_TOKENS 64
typedef struct vocab { char word[MAX_WORDS][32]; int n; } vocab;
typedef struct sentence { int tok[MAX_TOKENS]; int len; } sentence;

static int word_id(vocab *v, const char *w, size_t n)
{
    int i;
    for (i = 0; i < v->n; i++)
        if (strlen(v->word[i]) == n && memcmp(v->word[i], w, n) == 0) return i;
    memcpy(v->word[v->n], w, n);
    v->word[v->n][n] = 0;
    return v->n++;
}

static sentence tokens(vocab *v, const char *s)
{
    sentence out;
    out.len = 0;
    while (*s) {
        size_t n = strcspn(s, " ");
        if (n > 0) out.tok[out.len++] = word_id(v, s, n);
        s += n;
        while (*s == ' ') s++;
    }
    return out;
}

/* BLEU of one candidate against up to 3 references */
static rnn_status bleu1(rnn_bleu *b, const sentence *c, const sentence *r, int n_refs,
                        rnn_bleu_smoothing sm, double eps)
{
    const int *refs[3];
    int lens[3], j;
    rnn_status st;
    memset(b, 0, sizeof *b);
    for (j = 0; j < n_refs; j++) { refs[j] = r[j].tok; lens[j] = r[j].len; }
    st = rnn_bleu_add(b, c->tok, c->len, refs, lens, n_refs);
    if (st != RNN_OK) return st;
    return rnn_bleu_score(b, sm, eps);
}

static int near(double a, double b, double tol) { return fabs(a - b) <= tol; }

static void test_bleu_examples(void)
{
    vocab v;
    rnn_bleu b;
    sentence c, r[3];
    int n;
    rnn_status st;
    v.n = 0;

    /* Papineni's first example: a repeated right word is clipped */
    c = tokens(&v, "the the the the the the the");
    r[0] = tokens(&v, "the cat is on the mat");
    r[1] = tokens(&v, "there is a cat on the mat");
    st = bleu1(&b, &c, r, 2, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(st == RNN_OK && b.match[0] == 2 && b.total[0] == 7 &&
          near(b.p[0], 2.0 / 7, 1e-15),
          "bleu: 'the the the ...' has modified unigram precision 2/7 (%lld/%lld)", b.match[0], b.total[0]);

    /* deck D0: candidate 1 against the three references */
    c = tokens(&v, "I always invariably perpetually do .");
    r[0] = tokens(&v, "I always do .");
    r[1] = tokens(&v, "I invariably do .");
    r[2] = tokens(&v, "I perpetually do .");
    bleu1(&b, &c, r, 3, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(b.match[0] == 6 && b.total[0] == 6 && b.match[1] == 3 && b.total[1] == 5 &&
          b.match[2] == 1 && b.total[2] == 4 && b.match[3] == 0 && b.total[3] == 3,
          "bleu: deck D0 'I always invariably perpetually do.' has p1..p4 = 6/6 3/5 1/4 0/3 "
          "(%lld/%lld %lld/%lld %lld/%lld %lld/%lld)", b.match[0], b.total[0], b.match[1], b.total[1],
          b.match[2], b.total[2], b.match[3], b.total[3]);
    CHECK(b.bp == 1 && b.cand_len == 6 && b.ref_len == 4, "bleu: longer than every reference, BP = 1 (c %lld, r %lld)",
          b.cand_len, b.ref_len);
    /* NLTK corpus_bleu with weights of 1, 2, 3, 4 orders */
    CHECK(near(b.bleu[0], 1.0, 1e-12) && near(b.bleu[1], 0.7745966692414834, 1e-12) &&
          near(b.bleu[2], 0.5313292845913056, 1e-12) && b.bleu[3] == 0,
          "bleu: deck D0 BLEU-1..4 = 1, 0.7746, 0.5313, 0 unsmoothed (%.10f %.10f %.10f %g)",
          b.bleu[0], b.bleu[1], b.bleu[2], b.bleu[3]);
    bleu1(&b, &c, r, 3, RNN_BLEU_SMOOTH_FLOOR, 0);
    CHECK(near(b.bleu[3], 0.2659147948472494, 1e-12) && near(b.p[3], 0.1 / 3, 1e-15) &&
          near(b.bleu[2], 0.5313292845913056, 1e-12),
          "bleu: floor smoothing (epsilon 0 means 0.1) turns the 0 into NLTK method1's 0.2659147948 (%.10f)", b.bleu[3]);
    bleu1(&b, &c, r, 3, RNN_BLEU_SMOOTH_FLOOR, 0.2);
    CHECK(near(b.p[3], 0.2 / 3, 1e-15), "bleu: floor smoothing uses the epsilon given (p4 %.6f)", b.p[3]);
    bleu1(&b, &c, r, 3, RNN_BLEU_SMOOTH_EXP, 0);
    CHECK(near(b.bleu[3], 0.3976353643835253, 1e-12) && near(b.p[3], 1.0 / 6, 1e-15),
          "bleu: NIST exp smoothing gives NLTK method3's 0.3976353644 (%.10f)", b.bleu[3]);
    c = tokens(&v, "I always do .");
    bleu1(&b, &c, r, 3, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(b.bleu[0] == 1 && b.bleu[3] == 1, "bleu: deck D0 candidate 2 equals reference 1: BLEU-4 = 1 (%g)", b.bleu[3]);

    /* Papineni's example 1, NLTK's doctest */
    c = tokens(&v, "It is a guide to action which ensures that the military always obeys the commands of the party");
    r[0] = tokens(&v, "It is a guide to action that ensures that the military will forever heed Party commands");
    r[1] = tokens(&v, "It is the guiding principle which guarantees the military forces always being under the command of the Party");
    r[2] = tokens(&v, "It is the practical guide for the army always to heed the directions of the party");
    bleu1(&b, &c, r, 3, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(near(b.bleu[3], 0.5045666840058485, 1e-12) && b.match[0] == 17 && b.total[0] == 18 &&
          b.match[3] == 4 && b.total[3] == 15,
          "bleu: Papineni's candidate 1 has BLEU-4 0.5045666840 as NLTK (%.10f, p1 %lld/%lld, p4 %lld/%lld)",
          b.bleu[3], b.match[0], b.total[0], b.match[3], b.total[3]);
    {   /* Papineni's candidate 2: no trigram matches */
        sentence c2 = tokens(&v, "It is to insure the troops forever hearing the activity guidebook that party direct");
        double none, floor_, exp_;
        bleu1(&b, &c2, r, 3, RNN_BLEU_SMOOTH_NONE, 0); none = b.bleu[3];
        CHECK(b.match[2] == 0 && none == 0 && b.bleu[1] > 0,
              "bleu: Papineni's candidate 2 has no trigram match: BLEU-4 = 0 unsmoothed (%g)", none);
        bleu1(&b, &c2, r, 3, RNN_BLEU_SMOOTH_FLOOR, 0.1); floor_ = b.bleu[3];
        bleu1(&b, &c2, r, 3, RNN_BLEU_SMOOTH_EXP, 0); exp_ = b.bleu[3];
        CHECK(floor_ > 0 && near(floor_, 0.03703131191121491, 1e-12) && near(exp_, 0.06963003305718092, 1e-12),
              "bleu: smoothed it is positive, as NLTK method1 0.0370313119 and method3 0.0696300331 (%.10f %.10f)",
              floor_, exp_);
    }

    /* brevity penalty: closest reference length, ties to the shorter */
    c = tokens(&v, "the cat");
    r[0] = tokens(&v, "the cat is on the mat");
    bleu1(&b, &c, r, 1, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(near(b.bp, exp(-2.0), 1e-15) && near(b.bleu[0], 0.1353352832366127, 1e-15),
          "bleu: 'the cat' against a 6-word reference: BP = exp(1 - 6/2) (%.10f)", b.bp);
    c = tokens(&v, "a b c d e");
    r[0] = tokens(&v, "a b c d e f");
    r[1] = tokens(&v, "a b c d");
    bleu1(&b, &c, r, 2, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(b.ref_len == 4 && b.bp == 1, "bleu: references of 6 and 4 words are as close to 5: r is the shorter (%lld)", b.ref_len);
    r[1] = tokens(&v, "a b c d e f g");
    bleu1(&b, &c, r, 2, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(b.ref_len == 6 && near(b.bp, exp(1 - 6.0 / 5), 1e-15), "bleu: r is the closest reference length (%lld)", b.ref_len);

    /* nothing in common: 0 whatever the smoothing, as NLTK */
    c = tokens(&v, "zebra yak");
    bleu1(&b, &c, r, 2, RNN_BLEU_SMOOTH_EXP, 0);
    CHECK(b.match[0] == 0 && b.bleu[0] == 0 && b.bleu[3] == 0, "bleu: no word in common scores 0 even smoothed");
    /* a candidate shorter than n has no n-gram: p_n stays 0, never NaN */
    c = tokens(&v, "a b");
    r[0] = tokens(&v, "a b");
    bleu1(&b, &c, r, 1, RNN_BLEU_SMOOTH_FLOOR, 0);
    CHECK(b.total[2] == 0 && b.p[2] == 0 && b.bleu[1] == 1 && b.bleu[2] == 0 && b.bleu[3] == 0,
          "bleu: a 2-word candidate has BLEU-2 1 and BLEU-3, -4 0 (%g %g)", b.bleu[1], b.bleu[2]);
    /* an empty candidate: BP 0, scores 0 */
    c.len = 0;
    st = bleu1(&b, &c, r, 1, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(st == RNN_OK && b.bp == 0 && b.bleu[0] == 0,
          "bleu: an empty candidate scores 0 with no NaN");
    for (n = 0; n < 4; n++) if (b.bleu[n] != b.bleu[n]) break;
    CHECK(n == 4, "bleu: no NaN anywhere");
}

static void test_bleu_corpus(void)
{
    vocab v;
    rnn_bleu b, acc, before;
    sentence h[3], pr[3], dr[3];
    const int *cands[3], *refs_pap[3], *refs_deck[3];
    const int *const *refs[3];
    int cand_len[3], len_pap[3], len_deck[3], n_refs[3] = {3, 3, 3}, j, ok;
    const int *len_of[3];
    rnn_status st;
    v.n = 0;
    h[0] = tokens(&v, "It is a guide to action which ensures that the military always obeys the commands of the party");
    h[1] = tokens(&v, "It is to insure the troops forever hearing the activity guidebook that party direct");
    h[2] = tokens(&v, "I always do .");
    pr[0] = tokens(&v, "It is a guide to action that ensures that the military will forever heed Party commands");
    pr[1] = tokens(&v, "It is the guiding principle which guarantees the military forces always being under the command of the Party");
    pr[2] = tokens(&v, "It is the practical guide for the army always to heed the directions of the party");
    dr[0] = tokens(&v, "I always do .");
    dr[1] = tokens(&v, "I invariably do .");
    dr[2] = tokens(&v, "I perpetually do .");
    for (j = 0; j < 3; j++) {
        cands[j] = h[j].tok; cand_len[j] = h[j].len;
        refs_pap[j] = pr[j].tok; len_pap[j] = pr[j].len;
        refs_deck[j] = dr[j].tok; len_deck[j] = dr[j].len;
    }
    refs[0] = refs[1] = refs_pap; refs[2] = refs_deck;
    len_of[0] = len_of[1] = len_pap; len_of[2] = len_deck;

    st = rnn_bleu_corpus(&b, cands, cand_len, refs, len_of, n_refs, 3, RNN_BLEU_SMOOTH_NONE, 0);
    CHECK(st == RNN_OK && near(b.bleu[0], 0.7620229055082277, 1e-12) && near(b.bleu[1], 0.5530027936213876, 1e-12) &&
          near(b.bleu[2], 0.44274073122083196, 1e-12) && near(b.bleu[3], 0.3511412095147909, 1e-12),
          "bleu corpus: three sentences give NLTK corpus_bleu's 0.7620 0.5530 0.4427 0.3511 (%.10f %.10f %.10f %.10f)",
          b.bleu[0], b.bleu[1], b.bleu[2], b.bleu[3]);
    CHECK(b.n_sentences == 3 && b.cand_len == 18 + 14 + 4 && b.match[2] == 7 + 0 + 2,
          "bleu corpus: counts are sums over the sentences (c %lld, trigram matches %lld)", b.cand_len, b.match[2]);
    /* the corpus p_3 is not 0 although sentence 2 has no trigram: sums first */
    CHECK(b.bleu[3] > 0, "bleu corpus: a sentence without trigram matches does not zero the corpus score");

    memset(&acc, 0, sizeof acc);
    for (j = 0; j < 3; j++) rnn_bleu_add(&acc, cands[j], cand_len[j], refs[j], len_of[j], 3);
    rnn_bleu_score(&acc, RNN_BLEU_SMOOTH_NONE, 0);
    ok = 1;
    for (j = 0; j < 4; j++) if (acc.bleu[j] != b.bleu[j] || acc.p[j] != b.p[j]) ok = 0;
    CHECK(ok, "bleu: rnn_bleu_add over the sentences then rnn_bleu_score equals rnn_bleu_corpus");

    /* bad input */
    before = acc;
    CHECK(rnn_bleu_add(&acc, cands[0], -1, refs[0], len_of[0], 3) == RNN_ERR_ARG &&
          memcmp(&acc, &before, sizeof acc) == 0,
          "bleu: a negative candidate length is RNN_ERR_ARG and changes nothing");
    {
        int bad_len[3] = {3, -2, 4};
        CHECK(rnn_bleu_add(&acc, cands[0], cand_len[0], refs[0], bad_len, 3) == RNN_ERR_ARG &&
              memcmp(&acc, &before, sizeof acc) == 0,
              "bleu: a negative reference length is RNN_ERR_ARG and changes nothing");
    }
    CHECK(rnn_bleu_add(&acc, cands[0], cand_len[0], refs[0], len_of[0], 0) == RNN_ERR_ARG,
          "bleu: no reference is RNN_ERR_ARG");
    CHECK(rnn_bleu_corpus(&b, cands, cand_len, refs, len_of, n_refs, 0, RNN_BLEU_SMOOTH_NONE, 0) == RNN_ERR_ARG,
          "bleu corpus: zero sentences is RNN_ERR_ARG");
    memset(&b, 0, sizeof b);
    CHECK(rnn_bleu_score(&b, RNN_BLEU_SMOOTH_NONE, 0) == RNN_ERR_ARG, "bleu: scoring an empty corpus is RNN_ERR_ARG");
    CHECK(rnn_bleu_score(&acc, RNN_BLEU_SMOOTH_FLOOR, -0.1) == RNN_ERR_ARG &&
          rnn_bleu_score(&acc, (rnn_bleu_smoothing)7, 0) == RNN_ERR_ARG,
          "bleu: a negative epsilon or an unknown smoothing is RNN_ERR_ARG");
}

/* ---- the n-gram language model ---- */

static int char_tokens(int *out, const char *s, const char *alphabet)
{
    int n = 0;
    for (; *s; s++) out[n++] = (int)(strchr(alphabet, *s) - alphabet);
    return n;
}

static double perplexity(const rnn_ngram *lm, const int *t, int n)
{
    double lp = 0;
    long long cnt = 0;
    rnn_ngram_log_prob_sequence(lm, t, n, &lp, &cnt);
    return exp(-lp / (double)cnt);
}

/* [lm.ngram] against D4's own formula, p(w_2|w_1) = count(w_1, w_2) /
   count(w_1), computed by hand from the counts. On "a b a" they differ (the
   last 'a' ends the text: D4 counts it, rnn.h counts only the 'a's that a
   token follows, so that p(.|a) sums to 1); with an end token they agree. */
static void test_ngram_deck_formula(void)
{
    rnn_ngram lm;
    rnn_ngram_desc d;
    int aba[3] = {0, 1, 0}, aba_end[4] = {0, 1, 0, 2}, a = 0, ab[2] = {0, 1}, w; /* a=0 b=1 </s>=2 */
    double d4, sum = 0;
    memset(&d, 0, sizeof d);
    d.vocab_size = 3;
    rnn_ngram_init(&lm, &d);
    rnn_ngram_fit(&lm, aba, 3);
    d4 = (double)rnn_ngram_count(&lm, ab, 2) / (double)rnn_ngram_count(&lm, &a, 1); /* 1 / 2 */
    for (w = 0; w < 3; w++) sum += rnn_ngram_prob(&lm, &a, 1, w);
    CHECK(d4 == 0.5 && rnn_ngram_prob(&lm, &a, 1, 1) == 1.0 && sum == 1.0,
          "ngram on 'a b a': D4's count(a, b) / count(a) = %.2f; rnn.h p(b|a) = %.2f, count(a, b) / count(a .), "
          "and p(.|a) sums to %.2f (docs/errata.md, entry 28)", d4, rnn_ngram_prob(&lm, &a, 1, 1), sum);
    rnn_ngram_free(&lm);
    rnn_ngram_init(&lm, &d);
    rnn_ngram_fit(&lm, aba_end, 4);
    d4 = (double)rnn_ngram_count(&lm, ab, 2) / (double)rnn_ngram_count(&lm, &a, 1);
    CHECK(d4 == 0.5 && rnn_ngram_prob(&lm, &a, 1, 1) == d4,
          "ngram on 'a b a </s>': rnn.h p(b|a) = %.2f = D4's count(a, b) / count(a) = %.2f",
          rnn_ngram_prob(&lm, &a, 1, 1), d4);
    rnn_ngram_free(&lm);
}

static void test_ngram_counts(void)
{
    rnn_ngram lm;
    rnn_ngram_desc d;
    int t[16], n = char_tokens(t, "abab ba", "ab "); /* a=0 b=1 ' '=2 */
    int a = 0, b = 1, sp = 2, ab[2] = {0, 1}, ba[2] = {1, 0}, aa[2] = {0, 0};
    rnn_status st;
    memset(&d, 0, sizeof d);
    d.vocab_size = 3;
    st = rnn_ngram_init(&lm, &d);
    CHECK(st == RNN_OK && lm.desc.order == 2 && lm.desc.k == 0 && lm.desc.lambda == 1,
          "ngram: a zero description resolves to the plain bigram (order %d, k %g, lambda %g)",
          lm.desc.order, lm.desc.k, lm.desc.lambda);
    CHECK(rnn_ngram_fit(&lm, t, n) == RNN_OK, "ngram: fit 'abab ba'");
    CHECK(rnn_ngram_count(&lm, NULL, 0) == 7 && rnn_ngram_count(&lm, &a, 1) == 3 &&
          rnn_ngram_count(&lm, &b, 1) == 3 && rnn_ngram_count(&lm, &sp, 1) == 1 &&
          rnn_ngram_count(&lm, ab, 2) == 2 && rnn_ngram_count(&lm, ba, 2) == 2 && rnn_ngram_count(&lm, aa, 2) == 0,
          "ngram: counts of 'abab ba': N 7, a 3, b 3, ' ' 1, ab 2, ba 2, aa 0");
    /* [lm.ngram] by hand. count(h) is the times h is followed by a token:
       the last 'a' ends the text, so 'a' is a context twice, 'b' 3 times */
    CHECK(near(rnn_ngram_prob(&lm, &a, 1, b), 2.0 / 2, 1e-15) && rnn_ngram_prob(&lm, &a, 1, a) == 0 &&
          near(rnn_ngram_prob(&lm, &b, 1, a), 2.0 / 3, 1e-15) && near(rnn_ngram_prob(&lm, &b, 1, sp), 1.0 / 3, 1e-15) &&
          rnn_ngram_prob(&lm, &b, 1, b) == 0 && near(rnn_ngram_prob(&lm, &sp, 1, b), 1.0, 1e-15),
          "ngram: unsmoothed bigram p(b|a) = 2/2, p(a|b) = 2/3, p(' '|b) = 1/3, p(b|' ') = 1");
    CHECK(near(rnn_ngram_prob(&lm, NULL, 0, a), 3.0 / 7, 1e-15) && near(rnn_ngram_prob(&lm, NULL, 0, sp), 1.0 / 7, 1e-15),
          "ngram: with no context, p(a) = 3/7, p(' ') = 1/7");
    {   /* [lm.chain] P(a b ' ') = p(a) p(b|a) p(' '|b) */
        int s[3] = {0, 1, 2};
        double lp = 0;
        long long cnt = 0;
        rnn_ngram_log_prob_sequence(&lm, s, 3, &lp, &cnt);
        rnn_ngram_log_prob_sequence(&lm, s, 3, &lp, &cnt);
        CHECK(near(lp, 2 * log(3.0 / 7 * 1.0 * 1.0 / 3), 1e-12) && cnt == 6,
              "ngram: log P('ab ') = log(3/7 * 1 * 1/3), added to the totals on each call (%.6f, %lld)", lp, cnt);
        s[1] = 0;
        lp = 0; cnt = 0;
        rnn_ngram_log_prob_sequence(&lm, s, 3, &lp, &cnt);
        CHECK(lp < 0 && isinf(lp), "ngram: an unseen bigram without smoothing has probability 0, log -inf");
    }
    {   /* fits do not cross: 'b' then 'b' in two calls is no bigram 'bb' */
        int one = 1, bb[2] = {1, 1};
        rnn_ngram_fit(&lm, &one, 1);
        rnn_ngram_fit(&lm, &one, 1);
        CHECK(rnn_ngram_count(&lm, bb, 2) == 0 && rnn_ngram_count(&lm, NULL, 0) == 9,
              "ngram: n-grams do not cross from one fit to the next");
    }
    {   /* bad input */
        int bad[3] = {0, 3, 1};
        long long used = (long long)lm.used, N = lm.n_tokens;
        double lp = 0;
        long long cnt = 0;
        CHECK(rnn_ngram_fit(&lm, bad, 3) == RNN_ERR_TOKEN && (long long)lm.used == used && lm.n_tokens == N,
              "ngram: fit with a token outside the vocabulary is RNN_ERR_TOKEN and counts nothing");
        CHECK(rnn_ngram_log_prob_sequence(&lm, bad, 3, &lp, &cnt) == RNN_ERR_TOKEN && lp == 0 && cnt == 0,
              "ngram: scoring it is RNN_ERR_TOKEN and adds nothing");
        CHECK(rnn_ngram_fit(&lm, t, -1) == RNN_ERR_ARG, "ngram: a negative length is RNN_ERR_ARG");
    }
    rnn_ngram_free(&lm);
    CHECK(lm.table == NULL, "ngram: free leaves the struct empty");
    {
        rnn_ngram_desc e;
        int st_ok = 1;
        memset(&e, 0, sizeof e); e.vocab_size = 3; e.order = 6;
        if (rnn_ngram_init(&lm, &e) != RNN_ERR_ARG) st_ok = 0;
        e.order = 3; e.vocab_size = 0;
        if (rnn_ngram_init(&lm, &e) != RNN_ERR_ARG) st_ok = 0;
        e.vocab_size = 3; e.k = -1;
        if (rnn_ngram_init(&lm, &e) != RNN_ERR_ARG) st_ok = 0;
        e.k = 0; e.lambda = 1.5;
        if (rnn_ngram_init(&lm, &e) != RNN_ERR_ARG) st_ok = 0;
        e.lambda = -0.5;
        if (rnn_ngram_init(&lm, &e) != RNN_ERR_ARG) st_ok = 0;
        CHECK(st_ok, "ngram: order 6, V 0, k < 0, lambda outside (0, 1] are RNN_ERR_ARG");
    }
}

static void test_ngram_distribution(void)
{
    static const char *alpha = "abcdefghijklmnopqrstuvwxyz ";
    static const char *text = "the cat sat on the mat and the dog sat on the log the cat saw the dog";
    static const double ks[] = {0, 0.5, 0, 0.1, 1}, lambdas[] = {1, 1, 0.7, 0.5, 0.9};
    int t[128], n = char_tokens(t, text, alpha), V = 27, order, s, c, w;
    int contexts[5][4] = {{19, 7, 4, 26}, {26, 26, 26, 26}, {0, 19, 26, 2}, {4, 16, 16, 16}, {3, 14, 6, 26}};
    int ctx_len[5] = {4, 4, 4, 4, 2};
    double worst = 0, ppl[6];
    rnn_ngram lm;
    rnn_ngram_desc d;
    for (order = 1; order <= RNN_NGRAM_MAX_ORDER; order++)
        for (s = 0; s < 5; s++) {
            memset(&d, 0, sizeof d);
            d.order = order; d.vocab_size = V; d.k = ks[s]; d.lambda = lambdas[s];
            rnn_ngram_init(&lm, &d);
            rnn_ngram_fit(&lm, t, n);
            for (c = 0; c < 6; c++) { /* seen, unseen, partly seen contexts, and none */
                double sum = 0;
                for (w = 0; w < V; w++)
                    sum += c < 5 ? rnn_ngram_prob(&lm, contexts[c], ctx_len[c], w) : rnn_ngram_prob(&lm, NULL, 0, w);
                if (fabs(sum - 1) > worst) worst = fabs(sum - 1);
            }
            rnn_ngram_free(&lm);
        }
    CHECK(worst < 1e-12, "ngram: P(. | context) sums to 1 over V for orders 1-5, 5 smoothings, 6 contexts (worst |sum-1| %.2e)", worst);

    for (s = 0; s < 2; s++) {
        int dec = 1;
        for (order = 1; order <= 5; order++) {
            memset(&d, 0, sizeof d);
            d.order = order; d.vocab_size = V;
            if (s == 1) { d.k = 0.01; d.lambda = 0.9; }
            rnn_ngram_init(&lm, &d);
            rnn_ngram_fit(&lm, t, n);
            ppl[order] = perplexity(&lm, t, n);
            /* [lm.chain] with longer contexts fits the training text better:
               strictly up to n = 3 here; past it the text is already
               determined and the perplexity may stay */
            if (order > 1 && !(order <= 3 ? ppl[order] < ppl[order - 1] : ppl[order] <= ppl[order - 1] * (1 + 1e-12))) dec = 0;
            rnn_ngram_free(&lm);
        }
        CHECK(dec, "ngram: training perplexity falls from n=1 to n=3 (%s): %.3f, %.3f, %.3f (n=4 %.3f, n=5 %.3f)",
              s ? "k 0.01, lambda 0.9" : "plain counts", ppl[1], ppl[2], ppl[3], ppl[4], ppl[5]);
    }
    {   /* with add-k, new text has a finite perplexity; interpolation helps it */
        int u[64], nu = char_tokens(u, "the dog sat on a cat", alpha);
        double plain, smooth;
        memset(&d, 0, sizeof d); d.order = 3; d.vocab_size = V; d.k = 1;
        rnn_ngram_init(&lm, &d); rnn_ngram_fit(&lm, t, n);
        plain = perplexity(&lm, u, nu);
        rnn_ngram_free(&lm);
        CHECK(plain > 1 && plain < V && !isinf(plain), "ngram: Laplace trigram on unseen text has a finite perplexity (%.3f)", plain);
        d.k = 0.01; d.lambda = 0.7;
        rnn_ngram_init(&lm, &d); rnn_ngram_fit(&lm, t, n);
        smooth = perplexity(&lm, u, nu);
        rnn_ngram_free(&lm);
        CHECK(smooth < plain, "ngram: interpolated add-0.01 beats Laplace there (%.3f < %.3f)", smooth, plain);
    }
}

/* the table grows: a long pseudo-random text, counts checked by brute force */
static void test_ngram_table(void)
{
    enum { N = 20000, V = 40 };
    int *t = (int *)malloc(sizeof(int) * N), i, j, n, bad = 0;
    rnn_ngram lm;
    rnn_ngram_desc d;
    rnn_rng r;
    double lp = 0;
    long long cnt = 0, sum_ctx = 0;
    rnn_rng_seed(&r, 7);
    for (i = 0; i < N; i++) t[i] = (int)(rnn_rng_uniform(&r) * rnn_rng_uniform(&r) * V); /* skewed */
    memset(&d, 0, sizeof d);
    d.order = 5; d.vocab_size = V; d.k = 0.1; d.lambda = 0.8;
    CHECK(rnn_ngram_init(&lm, &d) == RNN_OK && rnn_ngram_fit(&lm, t, N) == RNN_OK, "ngram: fit 20000 tokens, order 5");
    CHECK(lm.cap > 64 && (lm.cap & (lm.cap - 1)) == 0 && 2 * lm.used <= lm.cap,
          "ngram: the table grew to %lu slots, a power of 2, at most half used (%lu)",
          (unsigned long)lm.cap, (unsigned long)lm.used);
    for (j = 0; j < 200; j++) { /* 200 n-grams of the text, and their counts */
        int at = (int)(rnn_rng_uniform(&r) * (N - 5));
        long long want = 0;
        n = 1 + j % 5;
        for (i = 0; i + n <= N; i++) if (memcmp(t + i, t + at, sizeof(int) * (size_t)n) == 0) want++;
        if (rnn_ngram_count(&lm, t + at, n) != want) bad++;
    }
    CHECK(bad == 0, "ngram: 200 n-gram counts equal a brute-force count (%d differ)", bad);
    for (i = 0; i < (int)lm.cap; i++) /* count(h .) summed over the one-token contexts */
        if (lm.table[i].len == 2 && lm.table[i].key[1] == -1) sum_ctx += lm.table[i].count;
    CHECK(sum_ctx == N - 1, "ngram: the one-token contexts were followed N-1 times in all (%lld)", sum_ctx);
    rnn_ngram_log_prob_sequence(&lm, t, 1000, &lp, &cnt);
    CHECK(cnt == 1000 && lp < 0 && !isinf(lp) && lp == lp, "ngram: log P of 1000 tokens is finite (%.2f nats)", lp);
    rnn_ngram_free(&lm);
    free(t);
}

/* ---- embeddings ---- */

static void test_embeddings(void)
{
    /* features: royalty, gender (+male), fruit, age */
    enum { KING, QUEEN, MAN, WOMAN, PRINCE, PRINCESS, APPLE, ORANGE, V };
    static const rnn_real E[V * 4] = {
        1, 1, 0, 0.5f,    /* king     */
        1, -1, 0, 0.5f,   /* queen    */
        0, 1, 0, 0.3f,    /* man      */
        0, -1, 0, 0.3f,   /* woman    */
        1, 1, 0, -0.5f,   /* prince   */
        1, -1, 0, -0.5f,  /* princess */
        0, 0, 1, 0,       /* apple    */
        0, 0, 1, 0.1f     /* orange   */
    };
    const int D = 4;
    rnn_real u[3] = {1, 0, 0}, v[3] = {1, 1, 0}, w[3] = {-2, 0, 0}, z[3] = {0, 0, 0}, o[3] = {0, 3, 0};
    rnn_real sims[8];
    int out[8], ex[3] = {APPLE, 99, -5};
    rnn_status st;

    CHECK(near(rnn_cosine(u, v, 3), 1 / sqrt(2.0), 1e-6) && near(rnn_cosine(u, u, 3), 1, 1e-6) &&
          near(rnn_cosine(u, w, 3), -1, 1e-6) && rnn_cosine(u, o, 3) == 0,
          "cosine: 45 degrees 1/sqrt(2), itself 1, opposite -1, orthogonal 0");
    CHECK(rnn_cosine(u, z, 3) == 0 && rnn_cosine(z, z, 3) == 0 && rnn_cosine(u, v, 0) == 0,
          "cosine: 0 when a norm is 0");

    st = rnn_analogy(out, sims, 2, E, V, D, MAN, KING, WOMAN);
    CHECK(st == RNN_OK && out[0] == QUEEN &&
          near(sims[0], 1, 1e-6) && out[1] == PRINCESS && near(sims[1], 1.75 / 2.25, 1e-6),
          "analogy: king - man + woman ~ queen (%d, %.4f), then princess (%d, %.4f)", out[0], sims[0], out[1], sims[1]);
    st = rnn_analogy(out, sims, 1, E, V, D, KING, PRINCE, QUEEN);
    CHECK(st == RNN_OK && out[0] == PRINCESS,
          "analogy: prince - king + queen ~ princess (%d)", out[0]);
    st = rnn_analogy(out, sims, 1, E, V, D, MAN, MAN, WOMAN);
    CHECK(st == RNN_OK && out[0] != WOMAN && out[0] != MAN,
          "analogy: a, b and c are never the answer (man - man + woman gives %d, not woman)", out[0]);

    st = rnn_nearest(out, sims, 3, E, V, D, E + APPLE * D, NULL, 0);
    CHECK(st == RNN_OK && out[0] == APPLE &&
          near(sims[0], 1, 1e-6) && out[1] == ORANGE && sims[1] < sims[0] && sims[2] <= sims[1],
          "nearest: apple's nearest are apple itself, then orange (%d %d %d)", out[0], out[1], out[2]);
    CHECK(rnn_nearest(out, sims, 1, E, V, D, E + APPLE * D, ex, 3) == RNN_OK && out[0] == ORANGE,
          "nearest: excluding apple (ids outside 0..V-1 in exclude are ignored) gives orange");
    CHECK(rnn_nearest(out, sims, 8, E, V, D, E + KING * D, ex, 3) == RNN_OK && out[0] == KING && out[6] >= 0 &&
          out[7] == -1 && sims[7] == 0,
          "nearest: asking for more rows than remain fills the rest with -1");
    {
        static const rnn_real tie[3 * 2] = {0, 1, 1, 0, 1, 0};
        rnn_real q[2] = {1, 0.01f};
        st = rnn_nearest(out, sims, 2, tie, 3, 2, q, NULL, 0);
        CHECK(st == RNN_OK && out[0] == 1 && out[1] == 2,
              "nearest: equal rows come lower index first (%d %d)", out[0], out[1]);
    }
    CHECK(rnn_nearest(out, sims, 0, E, V, D, E, NULL, 0) == RNN_OK, "nearest: k = 0 is fine");
    CHECK(rnn_nearest(out, sims, -1, E, V, D, E, NULL, 0) == RNN_ERR_ARG &&
          rnn_analogy(out, sims, 1, E, V, -1, 0, 1, 2) == RNN_ERR_ARG,
          "nearest, analogy: a negative size is RNN_ERR_ARG");
    CHECK(rnn_analogy(out, sims, 1, E, V, D, -1, KING, WOMAN) == RNN_ERR_TOKEN &&
          rnn_analogy(out, sims, 1, E, V, D, MAN, KING, V) == RNN_ERR_TOKEN,
          "analogy: a word outside 0..V-1 is RNN_ERR_TOKEN");
}

/* rnn_log_softmax: log of rnn_softmax where that is representable, in
   place, and finite where softmax underflows to 0 */
static void test_log_softmax(void)
{
    rnn_real o[5] = {(rnn_real)1.5, (rnn_real)-2, (rnn_real)0.25, 3, (rnn_real)-0.5}, p[5], lp[5], big[2] = {0, 1000};
    double worst = 0, sum = 0;
    int k;
    rnn_softmax(p, o, 5);
    rnn_log_softmax(lp, o, 5);
    for (k = 0; k < 5; k++) {
        double d = fabs((double)lp[k] - log((double)p[k]));
        if (d > worst) worst = d;
        sum += exp((double)lp[k]);
    }
    CHECK(worst < 1e-6 && fabs(sum - 1) < 1e-6, "rnn_log_softmax = log(rnn_softmax) (largest difference %.2g), exp sums to 1 (%.9f)", worst, sum);
    rnn_log_softmax(o, o, 5);
    CHECK(memcmp(o, lp, sizeof o) == 0, "rnn_log_softmax in place gives the same numbers");
    rnn_softmax(p, big, 2);
    rnn_log_softmax(big, big, 2);
    CHECK(p[0] < 1e-30 && !(fabs(log((double)p[0]) + 1000) < 1) && big[0] == -1000 && big[1] == 0,
          "logits {0, 1000}: softmax underflows (p = %g, log p = %g), rnn_log_softmax gives the true %g and %g",
          (double)p[0], log((double)p[0]), (double)big[0], (double)big[1]);
}

/* ---- beam search: against greedy decoding and an exhaustive search ---- */
#define BV 4 /* the tiny model's vocabulary */
#define BL 4 /* max_len */
static rnn_status beam_model(rnn_model *m)
{
    rnn_model_desc d;
    memset(&d, 0, sizeof d);
    rnn_status st;
    int k;
    d.cell = RNN_TANH; d.input_size = BV; d.hidden_size = 6; d.output_size = BV; d.seed = 5;
    if ((st = rnn_model_init(m, &d)) != RNN_OK) return st;
    /* sharper predictions, and an end token less likely than the rest, so
       that the best sequences are of several lengths */
    for (k = 0; k < BV * 6; k++) m->W_hy[k] *= 4;
    m->b_y[3] = -1;
    return RNN_OK;
}
/* The model reads the start token 0 from a zero state: the prefix. */
static rnn_status beam_prefix(rnn_model *m)
{
    int start = 0;
    rnn_status st = rnn_reserve(m, 1, 1);
    if (st != RNN_OK) return st;
    rnn_reset_state(m);
    return rnn_step(m, 1, NULL, &start);
}
/* The score of a sequence, computed alone: the sum of log p(token) along
   it (plus log p(end) when end >= 0), one row, from the prefix. */
static double beam_score(rnn_model *m, const int *s, int n, int end)
{
    double lp[BV], sc = 0, mx, z;
    int t, j;
    beam_prefix(m);
    for (t = 0; t <= n; t++) {
        int w = t < n ? s[t] : end;
        if (w < 0) break;
        for (mx = m->o[0], j = 1; j < BV; j++) if (m->o[j] > mx) mx = m->o[j];
        for (z = 0, j = 0; j < BV; j++) z += exp(m->o[j] - mx);
        for (j = 0; j < BV; j++) lp[j] = m->o[j] - mx - log(z);
        sc += lp[w];
        if (t < n) rnn_step(m, 1, NULL, &w);
    }
    return sc;
}
/* The best sequence by brute force over every sequence of the tokens other
   than end and forbid: mode 0, exactly BL tokens (no end); mode 1, 0..BL-1
   tokens then end (force_end 0); mode 2, 0..BL tokens then end (force_end 1). */
static double beam_brute(rnn_model *m, int mode, int end, int forbid, int *best, int *best_len)
{
    int n, s[BL], code, total, t, lo = mode == 0 ? BL : 0, hi = mode == 1 ? BL - 1 : BL;
    double top = -HUGE_VAL;
    for (n = lo; n <= hi; n++) {
        for (total = 1, t = 0; t < n; t++) total *= BV;
        for (code = 0; code < total; code++) {
            int c = code, okay = 1;
            double sc;
            for (t = 0; t < n; t++) { s[t] = c % BV; c /= BV; if (s[t] == end || s[t] == forbid) okay = 0; }
            if (!okay) continue;
            sc = beam_score(m, s, n, mode == 0 ? -1 : end);
            if (sc > top) { top = sc; *best_len = n; memcpy(best, s, sizeof(int) * (size_t)n); }
        }
    }
    return top;
}
static void beam_forbid_1(const rnn_model *m, int r, double *lp, void *ctx)
{
    rnn_beam_log_softmax(m, r, lp, NULL);
    lp[1] = -HUGE_VAL;
    ++*(int *)ctx;
}
static rnn_status beam_count_feed(rnn_model *m, int n, const int *tokens, void *ctx)
{
    ++*((int *)ctx + 1);
    return rnn_step(m, n, NULL, tokens);
}

static void test_beam_search(void)
{
    rnn_model m;
    rnn_beam b;
    int out[BL], len = -1, ref[BL], ref_len = -1, greedy[BL], g_len = 0, t, mode, same, calls[2] = {0, 0};
    double top, got, top_full = 0;
    if (beam_model(&m) != RNN_OK) { CHECK(0, "beam: the tiny model could not be made"); return; }
    /* the default log_probs is the log-softmax of the row, in double */
    beam_prefix(&m);
    {
        double lp[BV], sum = 0, worst = 0;
        rnn_real lr[BV];
        rnn_beam_log_softmax(&m, 0, lp, NULL);
        rnn_log_softmax(lr, m.o, BV);
        for (t = 0; t < BV; t++) { sum += exp(lp[t]); if (fabs(lp[t] - (double)lr[t]) > worst) worst = fabs(lp[t] - (double)lr[t]); }
        CHECK(fabs(sum - 1) < 1e-12 && worst < 1e-6, "rnn_beam_log_softmax: exp sums to 1 (%.15f), = rnn_log_softmax (largest difference %.2g)", sum, worst);
    }
    /* width 1 is greedy decoding: the argmax fed back, until the end token 3 */
    for (t = 0; t < BL; t++) {
        int w = rnn_argmax(m.o, BV);
        if (w == 3) break;
        greedy[g_len++] = w;
        rnn_step(&m, 1, NULL, &w);
    }
    memset(&b, 0, sizeof b);
    b.width = 1; b.max_len = BL; b.end = 3;
    beam_prefix(&m);
    same = rnn_beam_search(&m, &b, out, &len) == RNN_OK && len == g_len && !memcmp(out, greedy, sizeof(int) * (size_t)len);
    CHECK(same, "beam: width 1 is greedy decoding (%d tokens, greedy %d)", len, g_len);
    /* wide enough to keep every hypothesis (3^4 = 81 > 64), it is exhaustive:
       the best sequence of a brute force over all of them, in each mode */
    for (mode = 0; mode < 3; mode++) {
        const char *name[3] = {"no end token, 4 tokens", "end token 3, force_end 0", "end token 3, force_end 1"};
        int end = mode == 0 ? -1 : 3, w, all_le = 1;
        top = beam_brute(&m, mode, end, -1, ref, &ref_len);
        b.width = 81; b.end = end; b.force_end = mode == 2;
        beam_prefix(&m);
        same = rnn_beam_search(&m, &b, out, &len) == RNN_OK && len == ref_len && !memcmp(out, ref, sizeof(int) * (size_t)len);
        got = same ? beam_score(&m, out, len, end) : -HUGE_VAL;
        if (mode == 0) top_full = top;
        CHECK(same && fabs(got - top) < 1e-9, "beam: %s, width 81 finds the brute-force best (%d tokens, score %.6f = %.6f)",
              name[mode], len, got, top);
        for (w = 1; w <= 8; w++) {   /* a narrower beam finds a sequence, never a better one */
            b.width = w;
            beam_prefix(&m);
            if (rnn_beam_search(&m, &b, out, &len) != RNN_OK || len < 0 || len > BL) all_le = 0;
            else if (mode == 1 && len == BL) {   /* none finished: the best unfinished, scored without the end */
                if (beam_score(&m, out, len, -1) > top_full + 1e-9) all_le = 0;
            } else if (beam_score(&m, out, len, end) > top + 1e-9) all_le = 0;
            for (t = 0; t < len; t++) if (out[t] == end) all_le = 0;
        }
        CHECK(all_le, "beam: %s, widths 1..8 give sequences without the end token, none scoring above the best", name[mode]);
    }
    /* the callbacks: a log_probs that forbids token 1, and a counting feed */
    top = beam_brute(&m, 2, 3, 1, ref, &ref_len);
    b.width = 81; b.end = 3; b.force_end = 1; b.log_probs = beam_forbid_1; b.feed = beam_count_feed; b.ctx = calls;
    beam_prefix(&m);
    same = rnn_beam_search(&m, &b, out, &len) == RNN_OK && len == ref_len && !memcmp(out, ref, sizeof(int) * (size_t)len);
    CHECK(same && calls[0] > 0 && calls[1] > 0 && calls[1] <= BL,
          "beam: a log_probs forbidding token 1 gives the best sequence without it (%d tokens); log_probs ran %d times, feed %d",
          len, calls[0], calls[1]);
    rnn_model_free(&m);
}

int main(void)
{
    test_log_softmax();
    test_bleu_examples();
    test_bleu_corpus();
    test_ngram_counts();
    test_ngram_deck_formula();
    test_ngram_distribution();
    test_ngram_table();
    test_embeddings();
    test_beam_search();
    return test_done();
}
