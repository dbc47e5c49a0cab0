/* lab_options.h - the option tables of the labs: one row per option, from
   which examples/lab.h makes both the parser and --help (with each
   option's range and default). A lab defines its config struct, names
   itself, and includes this file:

       typedef struct config { ...; lab_common lab; } config;
       #define LAB_OPTIONS_ANBN
       #include "lab_options.h"

   and gets `options` (its table, ending with the options every lab shares),
   N_OPTIONS and `intro` (the top of --help). There is no include guard:
   each lab includes it once, for its own table. */
#include "lab.h"
#define OFF(f) offsetof(config, f)

/* ---- anbn.c ---- */
#ifdef LAB_OPTIONS_ANBN
static lab_option options[] = {
    {"--cells", "LIST", LAB_TEXT, OFF(cells), 0, 128, "cells to compare, comma-separated: " LAB_CELLS, 0},
    {"--seeds", "N", LAB_INT, OFF(seeds), 1, 1000, "runs per cell, one per seed", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the first seed (weights and string order)", 0},
    {"--train-max", "N", LAB_INT, OFF(train_max), 1, 100, "train on n = 1..N (the deck's range)", 0},
    {"--paper", NULL, LAB_FLAG, OFF(paper), 0, 1, "train on n = 1..10, as Gers & Schmidhuber 2001", 0},
    {"--test-max", "N", LAB_INT, OFF(test_max), 18, 100000, "test every n = 1..N", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 64, "hidden units (LSTM: memory cells)", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 1, 1e8, "updates per run, one random training string each", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e6, "clip the gradient's global norm to X", 0},
    {"--forget-bias", "X", LAB_REAL, OFF(forget_bias), -20, 20, "initial forget-gate bias of the LSTMs", 0},
    {"--stop-at-fit", NULL, LAB_FLAG, OFF(stop_at_fit), 0, 1, "stop a run once it fits the training set (checked every 100 updates)", 0},
    {"--full", NULL, LAB_FLAG, OFF(full), 0, 1, "30 seeds per cell (about three times as long)", 0},
    {"--state-n", "N", LAB_INT, OFF(state_n), 1, 100000, "n of the string in the cell-state picture", 0},
    LAB_COMMON_OPTIONS(config, lab),
};

static const char intro[] =
    "usage: anbn [options]\n"
    "Trains each cell on S a^n b^n for n = 1..11 and tests every n up to 1000\n"
    "(deck D0, Gers & Schmidhuber 2001). Options (default in brackets):\n";
#endif

/* ---- forecast.c ---- */
#ifdef LAB_OPTIONS_FORECAST
static lab_option options[] = {
    {"--data", "FILE", LAB_TEXT, OFF(data), 0, 256, "the series: a CSV of month,value rows (# starts a comment)", 0},
    {"--test-months", "N", LAB_INT, OFF(test_months), 1, 1200, "forecast the last N months, train on the rest", 0},
    {"--window", "W", LAB_INT, OFF(window), 1, 240, "months in each input window (steps of the RNN)", 0},
    {"--cell", LAB_CELLS, LAB_CHOICE, OFF(cell), 0, 16, "the recurrent cell", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 512, "hidden units", 0},
    {"--epochs", "N", LAB_INT, OFF(epochs), 1, 1e6, "passes over the training windows", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "windows per update", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-7, 10, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e9, "clip the gradient's global norm to X", 0},
    {"--log", NULL, LAB_FLAG, OFF(log_scale), 0, 1, "model the logarithm of the series (then scale it)", 0},
    {"--diff", NULL, LAB_FLAG, OFF(diff), 0, 1, "model the change from one month to the next, not the level", 0},
    {"--seeds", "N", LAB_INT, OFF(seeds), 1, 1000, "runs, one per seed", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the first seed (weights and the order of the windows)", 0},
    LAB_COMMON_OPTIONS(config, lab),
};

static const char intro[] =
    "usage: forecast [options]\n"
    "Trains an RNN on sliding windows of a monthly series (the airline passengers of\n"
    "deck D2) and forecasts its last months; compares with a seasonal-naive forecast\n"
    "and a linear trend. Options (default in brackets):\n";
#endif

/* ---- vanishing.c ---- */
#ifdef LAB_OPTIONS_VANISHING
static lab_option options[] = {
    {"--cells", "LIST", LAB_TEXT, OFF(cells), 0, 160, "cells, comma-separated, of " LAB_CELLS "; lstm:B, peephole:B set the forget-gate bias", 0},
    {"--T", "N", LAB_INT, OFF(T), 2, 2000, "steps per sequence: the key, then N-1 distractors", 0},
    {"--symbols", "K", LAB_INT, OFF(symbols), 2, 64, "key symbols (chance is 1/K)", 0},
    {"--distractors", "N", LAB_INT, OFF(distractors), 1, 64, "distractor symbols", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 512, "hidden units", 0},
    {"--seeds", "N", LAB_INT, OFF(seeds), 1, 100, "weight seeds per cell (averaged)", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the first seed", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 0, 1e7, "training updates per run (0: initialisation only)", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "sequences per update and per measured batch", 0},
    {"--measure", "N", LAB_INT, OFF(measure), 1, 1000, "batches measured (the same sequences for every cell)", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-7, 10, "Adam's learning rate", 0},
    {"--w-scale", "X", LAB_REAL, OFF(w_scale), 0, 100, "multiply every recurrent matrix W_hh by X at initialisation", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e9, "clip the gradient's global norm to X", 0},
    {"--png", "NAME", LAB_TEXT, OFF(png), 0, 64, "the picture's file name", 0},
    LAB_COMMON_OPTIONS(config, lab),
};

static const char intro[] =
    "usage: vanishing [options]\n"
    "Measures |dL/dh<t>| against the distance from the loss for each cell, at\n"
    "initialisation and after training, on a task that needs a long memory.\n"
    "Options (default in brackets):\n";
#endif

/* ---- caption.c ---- */
#ifdef LAB_OPTIONS_CAPTION
static lab_option options[] = {
    {"--data", "DIR", LAB_TEXT, OFF(data), 0, 200, "read captions.txt and its images from DIR (shapes --out DIR); none: make them", 0},
    {"--test", "N", LAB_INT, OFF(test), 0, 1e7, "hold out the last N images for the test; 0: a fifth of them", 0},
    {"--encoder", "conv|pool", LAB_CHOICE, OFF(encoder), 0, 16, "a learned convolution, or mean colours", 0},
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
    LAB_COMMON_OPTIONS(config, lab),
};

static const char intro[] =
    "usage: caption [options]\n"
    "Trains an image encoder and an LSTM to caption scenes of two shapes (made in\n"
    "memory, or read with --data), then scores greedy and beam-search captions of\n"
    "held-out images with BLEU-1..4 beside a baseline. Options (default in brackets):\n";
#endif

/* ---- seq2seq.c ---- */
#ifdef LAB_OPTIONS_SEQ2SEQ
static lab_option options[] = {
    {"--lang", "en|es|both", LAB_CHOICE, OFF(lang), 0, 8, "source language", 0},
    {"--mode", "teacher|free|none|all", LAB_CHOICE, OFF(mode), 0, 8,
     "train with teacher forcing (teacher), on its own predictions (free), with no feedback (none), or all", 0},
    {"--cell", LAB_CELLS, LAB_CHOICE, OFF(cell), 0, 16, "the cell of encoder and decoder", 0},
    {"--embed", "E", LAB_INT, OFF(embed), 1, 1024, "embedding size of the source words", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 1024, "hidden units of encoder and decoder", 0},
    {"--layers", "N", LAB_INT, OFF(layers), 1, 4, "stacked layers in each", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "dates per update", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 1, 1e7, "updates", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e6, "clip the global norm of both models' gradient to X", 0},
    {"--eval-every", "N", LAB_INT, OFF(eval_every), 1, 1e7, "updates between two dev evaluations", 0},
    {"--beam", "K", LAB_INT, OFF(beam), 1, 64, "beam width", 0},
    {"--errors-at", "N", LAB_INT, OFF(errors_at), 0, 1e7,
     "seq2seq_errors.png shows the dev errors after N updates (a multiple of --eval-every)", 0},
    {"--test", "N", LAB_INT, OFF(n_test), 1, 20000, "held-out test dates (each in every language)", 0},
    {"--dev", "N", LAB_INT, OFF(n_dev), 1, 20000, "held-out dev dates for the curves", 0},
    {"--reverse-source", NULL, LAB_FLAG, OFF(reverse_source), 0, 1, "feed the source words last to first (Sutskever et al. 2014)", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "splits the dates, seeds the weights and the batches", 0},
    {"--translate", "TEXT", LAB_TEXT, OFF(translate), 0, 512, "after training, translate TEXT (greedy and beam)", 0},
    LAB_COMMON_OPTIONS(config, lab),
};

static const char intro[] =
    "usage: seq2seq [options]\n"
    "An encoder-decoder translates dates in English or Spanish words into YYYY-MM-DD,\n"
    "trained with and without teacher forcing. Options (default in brackets):\n";
#endif

/* ---- sentiment.c ---- */
#ifdef LAB_OPTIONS_SENTIMENT
static lab_option options[] = {
    {"--data", "PATH", LAB_TEXT, OFF(data), 0, 512, "a directory with rt-polarity.pos/.neg, or a file of 'sentence<TAB>0|1' lines", 0},
    {"--cell", LAB_CELLS, LAB_CHOICE, OFF(cell), 0, 16, "the recurrent cell", 0},
    {"--bidirectional", NULL, LAB_FLAG, OFF(bidirectional), 0, 1, "read each review both ways ([birnn])", 0},
    {"--layers", "N", LAB_INT, OFF(layers), 1, 4, "stacked recurrent layers ([deep])", 0},
    {"--embed", "E", LAB_INT, OFF(embed), 1, 1024, "embedding size (desc.embed_size)", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 1024, "hidden units", 0},
    {"--vocab", "N", LAB_INT, OFF(vocab), 1, 1000000, "keep at most the N most frequent training words", 0},
    {"--min-count", "N", LAB_INT, OFF(min_count), 1, 1000000, "keep only words seen at least N times in training", 0},
    {"--max-len", "N", LAB_INT, OFF(max_len), 1, 100000, "cut longer reviews to N words", 0},
    {"--pad", "start|end", LAB_CHOICE, OFF(pad), 0, 8, "pad short reviews at the start or the end", 0},
    {"--truncate", "start|end", LAB_CHOICE, OFF(truncate), 0, 8, "cut long reviews at the start or the end", 0},
    {"--no-mask", NULL, LAB_FLAG, OFF(no_mask), 0, 1, "read the padding as words (to see what the mask buys)", 0},
    {"--no-buckets", NULL, LAB_FLAG, OFF(no_buckets), 0, 1, "train on batches of random reviews, not of similar length (more padding)", 0},
    {"--dropout-input", "P", LAB_REAL, OFF(dropout_input), 0, 0.95, "dropout on the LSTM's inputs, one mask per review (deck D0's dropout_W)", 0},
    {"--dropout-recurrent", "P", LAB_REAL, OFF(dropout_recurrent), 0, 0.95, "dropout on h<t-1> in the recurrent product (deck D0's dropout_U)", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "reviews per update", 0},
    {"--epochs", "N", LAB_INT, OFF(epochs), 1, 1000, "passes over the training reviews", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-6, 1e6, "clip the gradient's global norm to X", 0},
    {"--embed-scale", "X", LAB_REAL, OFF(embed_scale), 1e-6, 10, "initial embedding: N(0, 1) times X (rnn.h's N(0,1) is PyTorch's)", 0},
    {"--folds", "K", LAB_INT, OFF(folds), 3, 100, "folds the reviews are dealt into", 0},
    {"--fold", "F", LAB_INT, OFF(fold), -1, 99, "run only fold F as the test fold (the next one is dev); -1: every fold in turn", 0},
    {"--show-fold", "F", LAB_INT, OFF(show_fold), 0, 99, "the fold whose curves and embedding are shown", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "shuffles the reviews and seeds the weights", 0},
    {"--words", "LIST", LAB_TEXT, OFF(words), 0, 256, "comma-separated words whose nearest neighbours are printed", 0},
    {"--nn-min-count", "N", LAB_INT, OFF(nn_min_count), 1, 1000000, "neighbours only among words seen at least N times", 0},
    {"--check-gradient", NULL, LAB_FLAG, OFF(check_gradient), 0, 1, "compare the gradient with finite differences on 4 reviews, then exit", 0},
    LAB_COMMON_OPTIONS(config, lab),
};

static const char intro[] =
    "usage: sentiment [options]\n"
    "Embedding + LSTM + sigmoid on the sentence polarity data of Pang & Lee\n"
    "(decks D0, D3), beside a naive Bayes baseline. Options (default in brackets):\n";
#endif

/* ---- names.c ---- */
#ifdef LAB_OPTIONS_NAMES
static lab_option options[] = {
    {"--data", "DIR", LAB_TEXT, OFF(data), 0, 512, "the Brown corpus: files ca01 .. cr09 (make build/brown)", 0},
    {"--cell", "lstm|gru", LAB_CHOICE, OFF(cell), 0, 8, "the recurrent cell of both models", 0},
    {"--embed", "E", LAB_INT, OFF(embed), 1, 512, "word embedding size", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 512, "hidden units (per direction)", 0},
    {"--min-count", "N", LAB_INT, OFF(min_count), 1, 1000, "a word is in the vocabulary if seen N times in training", 0},
    {"--unknown", "shape|one", LAB_CHOICE, OFF(unknown), 0, 8,
     "unknown words: <unk> <Unk> <UNK> <unk0> by their shape, or one <unk>", 0},
    {"--word-dropout", "A", LAB_REAL, OFF(word_dropout), 0, 1000,
     "in training, a word seen n times is shown as unknown with probability A/(A+n)", 0},
    {"--epochs", "N", LAB_INT, OFF(epochs), 1, 100, "passes over the training sentences", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 1024, "sentences per update", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-6, 1, "Adam's learning rate", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 1e-3, 1e6, "clip the gradient's global norm to X", 0},
    {"--seeds", "N", LAB_INT, OFF(seeds), 1, MAX_SEEDS, "train each model from N seeds", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "the first seed (weights and batch order)", 0},
    {"--evals", "N", LAB_INT, OFF(evals), 1, MAX_EVALS, "validation F1 measured N times per run (the curve)", 0},
    {"--sentence", "N", LAB_INT, OFF(sentence), -1, 1e9,
     "the test sentence of the word picture (-1: where the two models differ most)", 0},
    {"--check-mask", NULL, LAB_FLAG, OFF(check_mask), 0, 1,
     "check that padding changes nothing ([embed.pad]), then exit", 0},
    LAB_COMMON_OPTIONS(config, lab),
};

static const char intro[] =
    "usage: names [options]\n"
    "Name recognition on the tagged Brown corpus (deck D1): a one-way and a\n"
    "bidirectional LSTM tag every word as a name or not. Options (default in brackets):\n";
#endif

/* ---- charlm.c ---- */
#ifdef LAB_OPTIONS_CHARLM
static lab_option options[] = {
    {"--text", "FILE", LAB_TEXT, OFF(text), 0, 512, "the UTF-8 text to learn (also: the first plain argument)", 0},
    {"--cell", LAB_CELLS, LAB_CHOICE, OFF(cell), 0, 16, "the recurrent cell (tanh: the simple RNN)", 0},
    {"--layers", "N", LAB_INT, OFF(layers), 1, RNN_MAX_LAYERS, "stacked recurrent layers", 0},
    {"--hidden", "H", LAB_INT, OFF(hidden), 1, 4096, "hidden units per layer", 0},
    {"--embed", "E", LAB_INT, OFF(embed), 0, 4096, "a learned embedding of E numbers per character (0: one-hot input)", 0},
    {"--dropout", "P", LAB_REAL, OFF(dropout), 0, 0.95, "dropout between stacked layers (with --layers 2 or more)", 0},
    {"--dropout-input", "P", LAB_REAL, OFF(dropout_input), 0, 0.95, "dropout on the input of every layer (needs --embed)", 0},
    {"--dropout-recurrent", "P", LAB_REAL, OFF(dropout_recurrent), 0, 0.95, "dropout on h<t-1> in the recurrent products", 0},
    {"--seq", "T", LAB_INT, OFF(seq), 2, 10000, "truncated BPTT: characters per chunk", 0},
    {"--batch", "B", LAB_INT, OFF(batch), 1, 4096, "lanes of text read side by side", 0},
    {"--steps", "N", LAB_INT, OFF(steps), 1, 1e9, "updates in all (a resumed run counts from the start)", 0},
    {"--optim", LAB_OPTIMS, LAB_CHOICE, OFF(optim), 0, 16, "the optimizer", 0},
    {"--lr", "X", LAB_REAL, OFF(lr), 1e-7, 100, "learning rate", 0},
    {"--lr-decay", "X", LAB_REAL, OFF(lr_decay), 0.01, 1, "the learning rate is multiplied by X after each epoch", 0},
    {"--momentum", "X", LAB_REAL, OFF(momentum), 0, 0.999, "SGD's momentum", 0},
    {"--clip", "X", LAB_REAL, OFF(clip), 0, 1e9, "clip the gradient's global norm to X (0: no clipping)", 0},
    {"--val", "F", LAB_REAL, OFF(val), 0.001, 0.5, "the share of the text held out for validation (its end)", 0},
    {"--seed", "S", LAB_INT, OFF(seed), 1, 1e9, "initial weights and the epochs' offsets", 0},
    {"--eval-every", "N", LAB_INT, OFF(eval_every), 1, 1e9, "steps between validation losses (and CSV rows)", 0},
    {"--print-every", "N", LAB_INT, OFF(print_every), 1, 1e9, "steps between progress lines", 0},
    {"--save-every", "N", LAB_INT, OFF(save_every), 1, 1e9, "steps between checkpoints (one is saved at the end too)", 0},
    {"--checkpoint", "PATH", LAB_TEXT, OFF(checkpoint), 0, 512, "the checkpoint written, or read by --resume, --sample, --draw (default: --out/charlm.safetensors)", 0},
    {"--log", "PATH", LAB_TEXT, OFF(log), 0, 512, "the CSV log of the losses (default: the checkpoint's name, _log.csv)", 0},
    {"--force", NULL, LAB_FLAG, OFF(force), 0, 1, "replace a checkpoint of another run", 0},
    {"--resume", NULL, LAB_FLAG, OFF(resume), 0, 1, "continue training from --checkpoint", 0},
    {"--ngram", NULL, LAB_FLAG, OFF(ngram_only), 0, 1, "only fit and print the n-gram baselines", 0},
    {"--ngram-k", "X", LAB_REAL, OFF(ngram_k), 0, 1e6, "the n-grams' add-k (default: tuned on the validation text)", 0},
    {"--ngram-lambda", "X", LAB_REAL, OFF(ngram_lambda), 0, 1, "the n-grams' interpolation weight (default: tuned)", 0},
    {"--sample", NULL, LAB_FLAG, OFF(sample), 0, 1, "write text from --checkpoint to standard output", 0},
    {"--length", "N", LAB_INT, OFF(length), 1, 1e8, "sample: characters to write after the priming text", 0},
    {"--temperature", "X", LAB_REAL, OFF(temperature), 0, 100, "sample: softmax(o / X); below 1 safer, above 1 wilder, 0 greedy", 0},
    {"--top-k", "K", LAB_INT, OFF(top_k), 0, LAB_MAX_CODE_POINTS, "sample: draw only from the K likeliest characters (0: all)", 0},
    {"--greedy", NULL, LAB_FLAG, OFF(greedy), 0, 1, "sample: always the likeliest character", 0},
    {"--beam", "K", LAB_INT, OFF(beam), 0, 256, "sample: beam search with K hypotheses (0: no beam search)", 0},
    {"--prime", "TEXT", LAB_TEXT, OFF(prime), 0, 512, "sample: the text read before writing (\\n \\t \\\\ understood)", 0},
    {"--stop", "TEXT", LAB_TEXT, OFF(stop), 0, 128, "sample: stop after writing TEXT (\\n \\t \\\\ understood)", 0},
    {"--sample-seed", "S", LAB_INT, OFF(sample_seed), 1, 1e9, "sample: the random generator's seed", 0},
    {"--trace", NULL, LAB_FLAG, OFF(trace), 0, 1, "sample: print each character's rank and probability on stderr", 0},
    {"--draw", NULL, LAB_FLAG, OFF(draw), 0, 1, "only draw charlm_cells.png and charlm_gates.png from --checkpoint", 0},
    {"--units", "LIST", LAB_TEXT, OFF(units), 0, 128, "pictures: units of the top layer to show, e.g. 3,17 (default: the best correlated)", 0},
    {"--passage", "N", LAB_INT, OFF(passage), 0, 1e9, "pictures: where the passage starts, in characters into the validation text (default: the 9 lines where comments, strings and braces change most)", 0},
    {"--analyse", "N", LAB_INT, OFF(analyse), 100, 1e8, "pictures: validation characters read to find the cells", 0},
    LAB_COMMON_OPTIONS(config, lab),
};

static const char intro[] =
    "usage: charlm [options] [FILE]\n"
    "Trains a character language model on a UTF-8 text (default: rnn.h), compares it\n"
    "with n-gram models, samples from it and draws what its cells do (decks D0, D4).\n"
    "Options (default in brackets):\n";
#endif

#define N_OPTIONS LAB_COUNT(options)
