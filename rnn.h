/* rnn.h - recurrent neural networks in one C header, written to be read
   beside the slides of an RNN course.                       version 0.1.0

   Do this:
       #define RNN_IMPLEMENTATION
   before you include this file in *one* C or C++ file to create the
   implementation. Every other file includes it plainly. Link with -lm.

   Compile-time options (define before the #include that has
   RNN_IMPLEMENTATION, and the same everywhere):
     RNN_REAL double      the number type (float by default; double for
                          gradient checks and exact comparisons)
     RNN_STATIC           make every function static (private to one file)
     RNN_MALLOC(n) RNN_FREE(p) RNN_ASSERT(x)
                          your allocator and assert: define all three or none
     RNN_NO_STDIO         leave out the functions that open files by name
                          (rnn_save needs POSIX or Windows to replace a
                          file safely: open with O_EXCL, fsync, rename)
     RNN_USE_CBLAS        do the matrix products with an optimised BLAS
                          (cblas_sgemm / cblas_dgemm from <cblas.h>; link
                          with -lopenblas, say). Off by default: rnn.h
                          needs only the C library and libm.
     RNN_REFERENCE        build every matrix product and activation from
                          the plain code of >>numerics, leaving out >>speed
                          (slower; the same numbers up to rounding)

   The library never prints and never exits: functions that can fail on bad
   data return an rnn_status (rnn_status_string() says what went wrong).
   RNN_ASSERT only catches programmer errors such as a NULL pointer.

   Contents, in the order of the course (grep the >>anchor). The
   declarations come first, each with its contract; the implementation
   follows in the same order:
     >>options    options, types and status codes
     >>numerics   the plain matrix product, sigmoid, tanh and their
                  derivatives, softmax, random numbers, initialisers
     >>rnn        the simple (Elman) RNN cell, one time step: tanh or ReLU
     >>outputs    the output layer and the losses: softmax + cross-entropy,
                  sigmoid + binary cross-entropy, linear + squared error
     >>time       the loop over T steps: forward, backpropagation through
                  time, truncated BPTT, teacher forcing and free running
     >>gated      the gated cells: simplified GRU, GRU, LSTM, peephole LSTM,
                  and the table of all cells
     >>deeper     stacked and bidirectional layers, leaky units, skip
                  connections, embeddings, dropout, the output head; the
                  model in one parameter block
     >>learning   zero-grad, clipping, SGD (momentum), Adagrad, RMSprop, Adam
     >>using      sampling with temperature, greedy, beam search; BLEU;
                  perplexity, n-gram counts; cosine, nearest words, analogies
     >>files      checkpoints in the safetensors format, PyTorch's names
     >>gradcheck  centred finite differences over every tensor
     >>speed      the fast matrix product and vectorised activations, kept
                  apart (leave them out with -DRNN_REFERENCE)
     >>license    MIT

   Every formula of the course carries its tag from the course's equation
   catalogue, e.g. [lstm.forget], next to the line that computes it;
   docs/equations.md maps each tag to its function and deck.

   Quick start: the "hello" model of deck D4 (vocabulary h,e,l,o; hidden 3).

       rnn_model m; rnn_model_desc d = {0}; rnn_optim opt; rnn_optim_desc od = {0};
       int in[4] = {0, 1, 2, 2}, out[4] = {1, 2, 2, 3};   // h e l l -> e l l o
       rnn_batch b = {0}; rnn_real loss; int step;
       d.cell = RNN_TANH; d.input_size = 4; d.hidden_size = 3; d.output_size = 4;
       d.output = RNN_SOFTMAX;                            // [rnn.output]
       rnn_model_init(&m, &d);
       od.kind = RNN_ADAM; od.lr = 0.05f;
       rnn_optim_init(&opt, &od, m.n_params);
       b.T = 4; b.B = 1; b.x_tokens = in; b.y_tokens = out;
       for (step = 0; step < 500; step++) {
           rnn_zero_grad(&m);
           rnn_forward(&m, &b, &loss);                    // [loss.sum]
           rnn_backward(&m);                              // [bptt.*]
           rnn_clip_by_global_norm(&m, 5);                // [clip.norm]
           rnn_optim_step(&opt, m.params, m.grads);
       }
       rnn_optim_free(&opt); rnn_model_free(&m);
*/
#ifndef RNN_H
#define RNN_H

/* >>options =============================================================== */
/*
   What you set before including rnn.h, the number type, the status codes
   every function that can fail returns, the table of cells and the GRU's
   conventions. Then the declarations of every public function, each with
   its contract, in the order of the sections below.
*/

#ifndef RNN_REAL
#define RNN_REAL float
#endif
typedef RNN_REAL rnn_real;

#ifndef RNNDEF
#ifdef RNN_STATIC
#define RNNDEF static
#else
#define RNNDEF extern
#endif
#endif

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. One list gives both the enum and the messages, so they
   cannot drift apart (an "X-macro"). */
#define RNN__STATUS_LIST(X)                                                  \
    X(RNN_OK, "ok")                                                          \
    X(RNN_ERR_NOMEM, "out of memory")                                        \
    X(RNN_ERR_ARG, "invalid argument or call order (the error message says which)")  \
    X(RNN_ERR_SIZE, "sizes do not match the model")                          \
    X(RNN_ERR_TOKEN, "a token is outside the vocabulary")                    \
    X(RNN_ERR_NAN, "the loss or a value is NaN or infinite")                 \
    X(RNN_ERR_IO, "the file could not be read or written")                   \
    X(RNN_ERR_FORMAT, "the file is not a valid checkpoint")                  \
    X(RNN_ERR_EMPTY, "the input is empty")

typedef enum rnn_status {
#define RNN__ENUM(name, text) name,
    RNN__STATUS_LIST(RNN__ENUM)
#undef RNN__ENUM
    RNN_STATUS_COUNT
} rnn_status;

/* What a status means, in words ("unknown status" out of range). */
RNNDEF const char *rnn_status_string(rnn_status s);

/* The cells of the course, in one table (an X-macro, like the status codes):
   everything the rest of rnn.h knows about a cell is in its row.
     id        its enum name; name: in checkpoints and on command lines
     G         gate blocks of H rows in W_ih, W_hh and the biases
     W         H-wide blocks of cache the cell keeps per batch row and step
     C         1: it has a cell state c besides h (the LSTMs: gates i, f, g, o,
               and rnn_model_init sets the forget gate's bias, gate 1, to 1)
     P         rows of diagonal weights beside W_hh (the peepholes), or 0
     U         the cache block that the last gate's recurrent product reads
               instead of h<t-1> (the GRU's candidate), or -1
     forward, backward   its pair of step functions (>>rnn, >>gated)
   Adding a cell is its two functions and one row here: docs/contributing.md
   walks through it. 0 in a description means the default, RNN_LSTM. */
#define RNN__CELL_LIST(X)                                                                           \
    /* id            name          G  W  C  P   U  forward                 backward                */ \
    X(RNN_TANH,       "tanh",       1, 0, 0, 0, -1, rnn_simple_forward,     rnn_simple_backward)     \
    X(RNN_RELU,       "relu",       1, 0, 0, 0, -1, rnn_simple_forward,     rnn_simple_backward)     \
    X(RNN_GRU_SIMPLE, "gru_simple", 2, 2, 0, 0, -1, rnn_gru_simple_forward, rnn_gru_simple_backward) \
    X(RNN_GRU,        "gru",        3, 5, 0, 0,  4, rnn_gru_forward,        rnn_gru_backward)        \
    X(RNN_LSTM,       "lstm",       4, 4, 1, 0, -1, rnn_lstm_forward,       rnn_lstm_backward)       \
    X(RNN_PEEPHOLE,   "peephole",   4, 4, 1, 3, -1, rnn_lstm_forward,       rnn_lstm_backward)       \
    /* a new cell: its row above this line (docs/contributing.md) */
/* tanh [rnn.state]; relu the same with ReLU; gru_simple [gru-simple.*], the
   update gate only (decks D1, D2); gru [gru.*], relevance and update gates;
   lstm [lstm.*]; peephole [peephole.*], an LSTM whose gates see the cell. */
typedef enum rnn_cell {
    RNN_CELL_DEFAULT = 0,
#define RNN__CELL_ENUM(id, name, G, W, C, P, U, forward, backward) id,
    RNN__CELL_LIST(RNN__CELL_ENUM)
#undef RNN__CELL_ENUM
    RNN_CELL_COUNT
} rnn_cell;

/* The GRUs' conventions, as bit flags (rnn_model_desc.gru_flags, and
   rnn_cell_io.flags). The exact recipe for each deck's GRU:
     D1 GRU (6.3, with Gamma_r)    RNN_GRU, RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK
     D2 GRU                        the same (D2 applies r to all of [h, x]:
                                   docs/errata.md, entry 4)
     D4 GRU (r_t, z_t, h~_t)       RNN_GRU, RNN_GRU_RESET_BEFORE
     D1, D2 simplified GRU         RNN_GRU_SIMPLE, 0
     PyTorch's torch.nn.GRU        RNN_GRU, 0
   The reset gate: before the recurrent product (the decks: W (r * h)) or
   after it (PyTorch, cuDNN, Keras' reset_after: r * (W h + b)); these are
   different models. The update gate: weighting the candidate (D1, D2:
   h = z*n + (1-z)*h_prev) or keeping the old state (D4, PyTorch:
   h = z*h_prev + (1-z)*n); these are one model with z -> 1 - z. The full
   GRU's default is PyTorch's; the simplified GRU, which PyTorch does not
   have, defaults to the decks'. */
#define RNN_GRU_RESET_BEFORE 1 /* RNN_GRU: r before the product, W_hn (r * h)   */
#define RNN_GRU_UPDATE_DECK 2  /* RNN_GRU: h = z*n + (1-z)*h_prev (D1, D2)       */
#define RNN_GRU_UPDATE_KEEP 4  /* RNN_GRU_SIMPLE: h = z*h_prev + (1-z)*n (D4's way) */

/* The output layer and, with it, the loss. 0 means RNN_SOFTMAX. */
typedef enum rnn_output {
    RNN_OUTPUT_DEFAULT = 0,
    RNN_SOFTMAX,     /* y = softmax(o), cross-entropy loss against a class    */
    RNN_SIGMOID,     /* y = sigmoid(o), binary cross-entropy per output        */
    RNN_LINEAR       /* y = o, squared error                                   */
} rnn_output;

/* ---- numerics (>>numerics) ---- */

/* An explicit-state random number generator (splitmix64): the same seed gives
   the same numbers on every machine, and there is no hidden global state. */
typedef struct rnn_rng { uint64_t state; } rnn_rng;
RNNDEF void rnn_rng_seed(rnn_rng *r, uint64_t seed);
RNNDEF uint64_t rnn_rng_next(rnn_rng *r);
RNNDEF double rnn_rng_uniform(rnn_rng *r);          /* in [0, 1)            */
RNNDEF double rnn_rng_normal(rnn_rng *r);           /* mean 0, variance 1   */

/* C (M,N) = beta * C + op(A) op(B), where op(A) is (M,K) and op(B) is (K,N).
   ta = 1 means A is stored transposed, as (K,M); tb = 1: B is stored (N,K).
   lda, ldb, ldc: the length of a stored row (the "leading dimension"), which
   lets a product read or write a block of columns of a wider matrix.
   rnn_gemm_ref is the definition, one dot product per entry; rnn_gemm the
   same numbers (up to the order of the additions) by the fast kernel of
   >>speed, or by rnn_gemm_ref itself under RNN_REFERENCE. beta = 0 ignores
   what C held (even NaN). Nothing is allocated; C must not overlap A or B. */
RNNDEF void rnn_gemm(int ta, int tb, int M, int N, int K,
                     const rnn_real *A, int lda, const rnn_real *B, int ldb,
                     rnn_real beta, rnn_real *C, int ldc);
RNNDEF void rnn_gemm_ref(int ta, int tb, int M, int N, int K,
                         const rnn_real *A, int lda, const rnn_real *B, int ldb,
                         rnn_real beta, rnn_real *C, int ldc);

/* sigma(a) = 1 / (1 + e^-a) and tanh(a); softmax: p (n) = softmax(o (n)),
   p may be o. Xavier/Glorot uniform init of a (rows, cols) matrix, and a
   random orthogonal (n, n) one; both draw from r. */
RNNDEF rnn_real rnn_sigmoid(rnn_real a);
RNNDEF rnn_real rnn_tanh(rnn_real a);
RNNDEF void rnn_softmax(rnn_real *p, const rnn_real *o, int n);
/* lp (n) = log softmax(o (n)) = o - max - log sum_j e^(o_j - max), without
   taking the log of a probability that underflowed to 0 (a beam search
   adds these; log(1e-50) is -115, log of a float 0 is -inf). lp may be o. */
RNNDEF void rnn_log_softmax(rnn_real *lp, const rnn_real *o, int n);
RNNDEF void rnn_init_xavier(rnn_real *W, int rows, int cols, rnn_rng *r);
RNNDEF void rnn_init_orthogonal(rnn_real *W, int n, rnn_rng *r);

/* ---- one time step of one cell (>>rnn, >>gated) ----
   What one step of a cell reads and writes, for a batch of B rows, named
   in one struct: zero it, set what your cell reads, call its forward, then
   (with dh, dc and the gradient arrays set) its backward. G =
   rnn_cell_gates(cell), W = rnn_cell_cache_width(cell); every array is
   row-major, (B, width); an array a function writes must not overlap one
   it reads.
   The input side of the gates, gx = x<t> W_ih^T + b_ih, comes in computed
   (the model does it for all T steps in one product before the time loop);
   the cell adds the hidden side, h<t-1> W_hh^T + b_hh. Backward computes
   the gradients of the step itself: at the gates' pre-activations (dgx,
   dgh) and at the previous state (dh_prev, dc_prev). The weights'
   gradients are sums over the steps ([bptt.dW] dW_hh += sum_t dgh_t^T
   h<t-1>, [bptt.dU] dW_ih += sum_t dgx_t^T x<t>): rnn_cell_weight_grads()
   does the recurrent one for one step or for many at once. */
typedef struct rnn_cell_io {
    int B, H;                /* batch rows, hidden size (an int first: = {0}
                                zeroes the struct in C and in C++)               */
    rnn_cell cell;           /* which cell; rnn_simple_* reads it (RNN_RELU or tanh),
                                rnn_cell_forward/backward dispatch on it          */
    int flags;               /* RNN_GRU_* bits, read by the GRUs                  */
    /* the weights */
    const rnn_real *W_hh;    /* (G*H, H)                                          */
    const rnn_real *b_hh;    /* (G*H)                                             */
    const rnn_real *p;       /* (3, H) peepholes p_i, p_f, p_o; NULL: plain LSTM  */
    /* forward reads */
    const rnn_real *gx;      /* (B, G*H) the input side x<t> W_ih^T + b_ih         */
    const rnn_real *h_prev;  /* (B, H) h<t-1>                                     */
    const rnn_real *c_prev;  /* (B, H) c<t-1>, cells with a cell state            */
    const rnn_real *h_rec;   /* (B, H) what W_hh multiplies; NULL: h_prev. (The
                                model's recurrent dropout puts h<t-1> times a mask
                                here; the GRUs' mix with h<t-1> still reads h_prev) */
    /* forward writes, backward reads */
    rnn_real *h;             /* (B, H) h<t>                                       */
    rnn_real *c;             /* (B, H) c<t>, cells with a cell state              */
    rnn_real *cache;         /* (B, W*H) what backward needs (see each cell)      */
    /* backward reads */
    const rnn_real *dh;      /* (B, H) dL/dh<t>, all of it                        */
    const rnn_real *dc;      /* (B, H) dL/dc<t> along the cell from step t+1 (not
                                the part through h<t>, which backward adds)      */
    /* backward writes (=) */
    rnn_real *dgx;           /* (B, G*H) dL/dgx, at the input side of the gates    */
    rnn_real *dgh;           /* (B, G*H) dL/d(hidden side): the same as dgx except
                                in RNN_GRU (PyTorch's candidate: r * dgx_n)      */
    /* backward adds (+=) */
    rnn_real *dh_prev;       /* (B, H) dL/dh<t-1>                                 */
    rnn_real *dc_prev;       /* (B, H) dL/dc<t-1>, cells with a cell state        */
    rnn_real *dh_rec;        /* (B, H) dL/dh_rec when h_rec is set; NULL: dh_prev */
    rnn_real *dp;            /* (3, H) the peepholes' gradient, when p is set     */
} rnn_cell_io;

/* [rnn.state] The simple (Elman) RNN cell, RNN_TANH or RNN_RELU (io->cell):
   h = g(gx + h_rec W_hh^T + b_hh), g = tanh or ReLU. Reads gx (B,H),
   h_prev (B,H), W_hh (H,H), b_hh (H); writes h (B,H). No cache (W = 0):
   backward writes the derivative from h itself.
   Backward (one step of deck D3's BPTT): reads dh, h, h_prev, W_hh; writes
   dgx = dgh = dh * g'(h) (B,H); adds dh_prev += dgx W_hh. */
RNNDEF void rnn_simple_forward(const rnn_cell_io *io);
RNNDEF void rnn_simple_backward(const rnn_cell_io *io);

/* ---- outputs and losses (>>outputs) ----
   [rnn.output] y = g2(o) for n rows of logits o (the model computes
   o = h W_hy^T + b_y). Each returns the loss summed over the rows, and
   writes y and d_o = scale * dL/do (= scale * (y - target)). A NULL target
   computes y only (d_o = 0, loss 0); a softmax target of -1 means no loss
   at that row. Targets are not checked here (rnn_forward checks them).
     rnn_softmax_ce   y, d_o, o (n, V), target (n) classes  [loss.ce]
     rnn_sigmoid_bce  y, d_o, o, target (n, Y) in [0, 1]    [loss.bce]
     rnn_linear_mse   y = o, squared error / 2              [loss.mse] */
RNNDEF rnn_real rnn_softmax_ce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const int *target,
                               int n, int V, rnn_real scale);
RNNDEF rnn_real rnn_sigmoid_bce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                                int n, int Y, rnn_real scale);
RNNDEF rnn_real rnn_linear_mse(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                               int n, int Y, rnn_real scale);

/* ---- the model, and the loop over time (>>time; its parts in >>deeper) ---- */

#define RNN_MAX_LAYERS 8
#define RNN_MAX_TENSORS (6 * RNN_MAX_LAYERS + 3)

/* A named parameter tensor: a view into the model's one block of parameters
   (data) and the block of gradients (grad) that has the same layout. */
typedef struct rnn_tensor {
    char name[32];          /* PyTorch's name: weight_ih_l0, head.weight ...  */
    rnn_real *data, *grad;
    int rows, cols;         /* a vector has cols = 1                          */
    int ndim;               /* 1 for a vector (a bias), 2 for a matrix        */
} rnn_tensor;

/* One recurrent layer: what it is, its weights, its options, and the
   buffers of its last forward and backward. The weights are stored as
   PyTorch stores them, the gates stacked in PyTorch's order so one product
   computes them all ([lstm.fused]): LSTM i,f,g,o; GRU r,z,n; simplified
   GRU z,n. The buffers hold up to T_cap steps of B_cap rows; row k of a
   state buffer is the state after the layer's k-th step (row 0: the initial
   state), and a reverse layer's step k reads time t = T-1-k. */
typedef struct rnn_layer {
    /* what it is (an int first: = {0} is valid C and C++) */
    int flags;              /* RNN_GRU_* bits                                 */
    rnn_cell cell;
    int X, H, G;            /* input size, hidden size, gates                 */
    /* weights: views into the model's parameter block; their gradients,
       the same places in the gradient block */
    rnn_real *W_ih, *W_hh;  /* (G*H, X), (G*H, H)                             */
    rnn_real *b_ih, *b_hh;  /* (G*H), (G*H)                                   */
    rnn_real *p;            /* (3, H) peepholes p_i, p_f, p_o; NULL otherwise */
    rnn_real *W_skip;       /* (G*H, H) with a skip connection; NULL otherwise */
    rnn_real *dW_ih, *dW_hh, *db_ih, *db_hh, *dp, *dW_skip;
    /* options (>>deeper), from the model's description */
    int reverse;            /* 1: reads the sequence from the end ([birnn])   */
    rnn_real leak;          /* alpha of leaky units; 0 = none ([leaky])       */
    int skip;               /* d of a skip connection h(t-d); 0 = none ([skip]) */
    rnn_real p_in;          /* [dropout] on this layer's input (0 = none):    */
    rnn_real p_step;        /*   one mask per sequence, and one per step      */
    rnn_real p_rec;         /*   on h<t-1> in the recurrent products          */
    /* buffers of the last forward and backward */
    rnn_real *gx, *dgx;     /* (T, B, G*H) input side of the gates, by time t,
                               and its gradient                               */
    rnn_real *dgh;          /* (T, B, G*H) the gradient at the gates' hidden
                               side, by step k                                */
    rnn_real *h, *c;        /* (T+1, B, H): row 0 is the initial state        */
    rnn_real *dh, *dc;      /* (T+1, B, H) after backward: dh row k is dL/dh<k>,
                               all that reaches h<k> (row 0: dL/dh<0>); dc row k
                               is only the part of dL/dc<k> that came back
                               along the cell from step k+1 (f<k+1> dL/dc<k+1>),
                               not the part through h<k>. The loss is a mean
                               over B: a row is 1/B of its sequence's gradient */
    rnn_real *cache;        /* (T, B, W*H), W = rnn_cell_cache_width(cell)    */
    rnn_real *hc;           /* (T, B, H) the cell's own output before the leak */
    rnn_real *out, *dout;   /* (T, B, 2H) a bidirectional level's output, on
                               its forward layer                              */
    rnn_real *xin, *xmask, *dxin; /* (T, B, X) input after dropout, the mask,
                               and dL/dxin; only with p_in or p_step          */
    rnn_real *rmask, *rh, *drh; /* (B, H) the recurrent mask, h<t-1> times it,
                               and its gradient; only with p_rec              */
    rnn_real *lwork;        /* (B, H) scratch: the leaky units' backward      */
    rnn_real *mwork;        /* (2, B, H) scratch for padded steps             */
} rnn_layer;

/* What a model is. Zero-initialise it and set what you need: 0 means the
   default, and rnn_model_init() stores the resolved copy in model.desc. */
typedef struct rnn_model_desc {
    int input_size;         /* X: features per step, or the vocabulary size
                               when the input is tokens ([onehot]). (An int
                               first: = {0} is valid C and C++)               */
    rnn_cell cell;          /* default RNN_LSTM                               */
    int hidden_size;        /* H                                              */
    int output_size;        /* Y: outputs per step; 0 = no output layer       */
    int num_layers;         /* default 1 ([deep] when more)                   */
    rnn_output output;      /* default RNN_SOFTMAX                            */
    int gru_flags;          /* RNN_GRU_* bits: the deck recipes above         */
    int loss_last_only;     /* 1: L = L(tau), the last step only ([loss.sum]) */
    int embed_size;         /* E: a learned embedding of the input tokens
                               ([embed.lookup]); 0 = one-hot or dense input   */
    int bidirectional;      /* 1: every level reads both ways ([birnn])       */
    rnn_real leak;          /* alpha of leaky units in (0, 1); 0 = none       */
    int skip_delay;         /* d >= 2: skip connections from h(t-d); 0 = none */
    /* [dropout] probabilities in [0, 1), used only in training mode
       (rnn_set_training); 0 = none:                                           */
    rnn_real dropout;       /* between levels, on the output of every level
                               but the last (PyTorch's nn.LSTM dropout)       */
    rnn_real dropout_input; /* on the inputs x<t> of every level, the same
                               mask at every step (Keras' dropout, deck D0's
                               dropout_W); needs dense input or an embedding  */
    rnn_real dropout_recurrent; /* on h<t-1> where it enters the recurrent
                               products, the same mask at every step (Keras'
                               recurrent_dropout, D0's dropout_U)             */
    uint64_t seed;          /* for the initial weights; default 1             */
} rnn_model_desc;

typedef struct rnn_model {
    rnn_model_desc desc;    /* resolved: no zeros left that mean "default"    */
    int n_params;           /* length of params and grads                     */
    rnn_real *params;       /* every parameter, one contiguous block          */
    rnn_real *grads;        /* the gradients, same layout                     */
    int n_tensors;
    rnn_tensor tensors[RNN_MAX_TENSORS];
    int L;                  /* number of layers: levels times directions      */
    int D;                  /* directions: 1, or 2 when bidirectional         */
    rnn_layer layers[RNN_MAX_LAYERS]; /* layers[level * D + direction]        */
    rnn_real *E, *dE;       /* (V, E) the embedding table, its gradient       */
    rnn_real *W_hy, *b_y;   /* the head: (Y, H), (Y)                          */
    rnn_real *dW_hy, *db_y;
    /* buffers sized by the last forward */
    int T, B, T_cap, B_cap;
    rnn_real *o, *y, *d_o;  /* (T, B, Y) logits, outputs, dL/do               */
    rnn_real *dx;           /* (T, B, X) dL/dx after backward (dense input)   */
    rnn_real *emb;          /* (T, B, E) the looked-up embeddings             */
    rnn_real *final, *dfinal; /* (B, 2H) a bidirectional many-to-one model's
                               head input [h->(T), h<-(T)], and its gradient  */
    const rnn_real *x_dense;/* the last forward's inputs, read by backward    */
    const int *x_tokens;
    const int *mask;        /* the last forward's mask                        */
    rnn_real *buffer;       /* the one allocation behind every buffer         */
    int has_targets;        /* the last forward had targets (backward allowed) */
    rnn_rng *train_rng;     /* training mode: dropout draws its masks here;
                               NULL: evaluation mode (rnn_set_training)       */
    int dropped;            /* the last forward applied dropout               */
    rnn_rng check_rng;      /* rnn_grad_check: the generator's state at start */
    char error[160];        /* the last failing call's mistake in one line,
                               naming the function, the field or argument,
                               its value and what was expected ("rnn_forward:
                               batch has neither x nor x_tokens"); "" after
                               a call that succeeds. Never printed by rnn.h */
} rnn_model;

/* One batch: inputs as dense features or as tokens, targets as dense values
   or as classes. Sequences run along T, rows along B; row-major (T, B, ...). */
typedef struct rnn_batch {
    int T, B;
    const rnn_real *x;      /* (T, B, X) inputs, or NULL                      */
    const int *x_tokens;    /* (T, B) token ids, a one-hot input, or NULL     */
    const rnn_real *y;      /* (T, B, Y) targets for sigmoid/linear outputs
                               (with loss_last_only still (T, B, Y): only the
                               last row is read)                              */
    const int *y_tokens;    /* (T, B) target classes for softmax; -1 = none   */
    const int *mask;        /* (T, B) 0 marks a padded step, which changes
                               nothing ([embed.pad]); NULL: every step counts */
} rnn_batch;

/* Builds the model d describes: checks it, resolves its defaults into
   m->desc, allocates one block of parameters and one of gradients (zeroed),
   names the tensors (rnn_tensor) and draws the initial weights from d->seed
   (W_ih Xavier-uniform and W_hh orthogonal per gate block; biases 0 but the
   LSTMs' forget gate, 1; peepholes and skip weights 0; embedding N(0, 1);
   head Xavier-uniform). m is overwritten. No per-step buffer yet (the first
   forward or rnn_reserve allocates them); evaluation mode.
   RNN_ERR_ARG for a field out of its range (see rnn_model_desc) or more than
   2^31 parameters, RNN_ERR_NOMEM; on failure m is left zeroed. */
RNNDEF rnn_status rnn_model_init(rnn_model *m, const rnn_model_desc *d);
/* Frees everything the model allocated and zeroes m; safe twice. */
RNNDEF void rnn_model_free(rnn_model *m);
/* In every layer with a cell state, the forget gate's block of b_ih = value
   and of b_hh = 0 (rnn_model_init uses 1). */
RNNDEF void rnn_model_set_forget_bias(rnn_model *m, rnn_real value);
/* Training mode (r != NULL): rnn_forward applies the description's dropout,
   drawing its masks from r, which must outlive the training. Evaluation
   mode (r == NULL, the default): no dropout. */
RNNDEF void rnn_set_training(rnn_model *m, rnn_rng *r);
/* The forward pass over b->T steps for b->B sequences, from the initial
   state in row 0 of every layer (never reset here: rnn_reset_state starts
   new sequences, rnn_carry_state continues them). Writes the states (rows
   1..T of each layer's h, c), the logits m->o, outputs m->y and dL/do m->d_o
   (T, B, Y), and *loss (may be NULL) = (1/B) sum_b sum_t L<t> over the steps
   with a target ([loss.sum]; the last step only with loss_last_only).
   Keeps what backward needs, and pointers to b's arrays (keep them alive
   until backward). Allocates only when T or B grows; a new B resets the
   initial state.
   RNN_ERR_ARG (T or B <= 0, not exactly one of x and x_tokens, dense input
   with an embedding, dropout_input in training on one-hot input),
   RNN_ERR_TOKEN (an input outside 0..X-1, a target outside -1..Y-1),
   RNN_ERR_SIZE (targets of the wrong kind for the output, or no head),
   RNN_ERR_NOMEM; nothing is computed then. RNN_ERR_NAN when the loss is NaN
   or beyond 1e30 (everything is computed). */
RNNDEF rnn_status rnn_forward(rnn_model *m, const rnn_batch *b, rnn_real *loss);
/* Backpropagation through time from the d_o of the last forward, over all
   levels and steps ([bptt.*]). Every gradient is ADDED to m->grads (call
   rnn_zero_grad first). Leaves dL/dh<0>, dL/dc<0> in row 0 of each layer's
   dh, dc, and dL/dx (or dL/de with an embedding) in m->dx. The gradient
   stops at row 0 ([tbptt]). RNN_ERR_ARG when the last forward had no
   targets (or there was none). */
RNNDEF rnn_status rnn_backward(rnn_model *m);
/* [arch.seq2seq] The encoder's backward after the decoder's: what reached
   the decoder's initial state (its dh, dc row 0) is added at the encoder's
   last state, then the encoder backpropagates as rnn_backward (its own loss
   too, if its forward had targets). RNN_ERR_ARG: no forward; RNN_ERR_SIZE:
   the layer counts, sizes or B differ. */
RNNDEF rnn_status rnn_backward_from(rnn_model *encoder, const rnn_model *decoder);
/* A model with no head (output_size 0) is a body that your own code puts a
   loss on: an attention, a custom head. Its outputs out<t> are the top
   level's states, (T, B, D*H) with D = 2 when bidirectional: entry
   (t*B + b)*D*H + j, the two directions side by side [h->(t), h<-(t)], as
   PyTorch's nn.LSTM / nn.GRU / nn.RNN return `output`.
   rnn_outputs: where the last forward left them (read only; they change
   with the next forward, rnn_step or rnn_reserve). NULL before any forward
   (m->error says so). Any model, with a head or not.
   rnn_backward_outputs: backpropagation through time from d_out (T, B,
   D*H) = dL/dout<t> for every step, that your head computed: the same
   BPTT as rnn_backward, with d_out in place of the head's W_hy^T dL/do.
   Works after a forward without targets. d_out is used as given (no 1/B:
   for a loss averaged over B, the 1/B is yours to put in d_out). As
   rnn_backward: every gradient ADDED to m->grads, dL/dh<0>, dL/dc<0> in
   row 0 of each layer's dh, dc, dL/dx (dL/de with an embedding) in m->dx.
   At a padded step (mask 0) out<t> is the state carried from the step
   before, so its d_out reaches that step; give 0 there to ignore it.
   RNN_ERR_ARG (d_out NULL, no forward), RNN_ERR_SIZE (the model has a
   head: use rnn_backward). */
RNNDEF const rnn_real *rnn_outputs(rnn_model *m);
RNNDEF rnn_status rnn_backward_outputs(rnn_model *m, const rnn_real *d_out);
/* [arch.seq2seq] The bridge: row T of every layer of src (the encoder,
   after its forward) into row 0 of dst (the decoder), for src's B rows.
   RNN_ERR_SIZE (layer counts or sizes differ, or src has run no forward),
   RNN_ERR_NOMEM. */
RNNDEF rnn_status rnn_state_copy(rnn_model *dst, const rnn_model *src);
/* Beam search's reordering: afterwards state row b (row 0 of every layer) is
   the old row rows[b], b < B, and the batch size is B. Allocates a copy of
   the state. RNN_ERR_ARG (B <= 0, rows NULL or out of 0..m->B-1, no state
   yet), RNN_ERR_NOMEM. */
RNNDEF rnn_status rnn_state_select(rnn_model *m, const int *rows, int B);
/* Room for T steps of B rows, and batch size B, so a training loop
   allocates once. Capacities only grow; row 0 (the initial state) survives a
   change of T, a change of B zeroes it. RNN_ERR_ARG (T or B <= 0, T > 2^24,
   B > 2^20), RNN_ERR_NOMEM. */
RNNDEF rnn_status rnn_reserve(rnn_model *m, int T, int B);
/* h<0> = c<0> = 0 in every layer for the current B rows: new sequences. */
RNNDEF void rnn_reset_state(rnn_model *m);
/* [tbptt] Row T (the last state) becomes row 0 of every layer: the next
   forward continues the sequence, and the next backward stops there. */
RNNDEF void rnn_carry_state(rnn_model *m);

/* How the input of step t+1 is made from step t ([teacher-forcing]). */
typedef enum rnn_feedback {
    RNN_TEACHER_FORCING = 0, /* the target of step t (deck D3: "la salida deseada") */
    RNN_FREE_RUNNING,        /* the model's own prediction at step t (its argmax) */
    RNN_NO_FEEDBACK          /* nothing from step t: the start token again        */
} rnn_feedback;
/* x_next (B) = the input tokens of step t+1, for B sequences: y (B) step
   t's targets (RNN_TEACHER_FORCING; a target -1, no target, gives start),
   o (B, V) step t's logits (RNN_FREE_RUNNING: the argmax of each row), or
   start (RNN_NO_FEEDBACK). The arrays a mode does not read may be NULL.
   RNN_ERR_ARG (an unknown mode, B or V < 1, a NULL array the mode reads),
   RNN_ERR_TOKEN (start or a target outside 0..V-1); x_next is then
   unchanged. */
RNNDEF rnn_status rnn_next_input(int *x_next, rnn_feedback mode, const int *y,
                                 const rnn_real *o, int B, int V, int start);
/* One step from the current state with no targets (a forward with T = 1,
   then rnn_carry_state): the outputs in m->y (B, Y), the logits in m->o.
   Exactly one of x (B, X) and x_tokens (B). Status as rnn_forward (the
   message names rnn_step). */
RNNDEF rnn_status rnn_step(rnn_model *m, int B, const rnn_real *x, const int *x_tokens);
/* Free running ([arch.one-to-many], [lm.sample]): feeds first (B tokens),
   samples the next token from softmax(o / temperature) (0: the argmax, and
   r is not used), feeds it back, T times, from the current state; out
   (T, B) the tokens produced. RNN_ERR_SIZE unless input_size ==
   output_size, a softmax output and one direction; RNN_ERR_ARG (T or B
   <= 0); RNN_ERR_TOKEN (a first token out of range). */
RNNDEF rnn_status rnn_generate(rnn_model *m, int B, int T, const int *first,
                               int *out, rnn_real temperature, rnn_rng *r);
/* Beam search: the likeliest sequence a model writes, kept as `width`
   hypotheses (partial sequences) scored by the sum of their tokens'
   log-probabilities; the search is explained at rnn_beam_search's
   definition in >>using. */
typedef struct rnn_beam {
    int width;       /* hypotheses kept, 1..2^20 (1: greedy decoding)         */
    int max_len;     /* tokens in a hypothesis, the end token aside (>= 1)    */
    int end;         /* the end token, 0..V-1; -1: none (max_len steps)       */
    int force_end;   /* at max_len, 1: every hypothesis ends there, its score
                        taking the end token's log-probability (needs end);
                        0: the best finished one wins, else the best
                        unfinished one                                        */
    /* lp (V) = the log-probabilities of the tokens after row r of the last
       step (its logits in m->o); -HUGE_VAL for a token that may not come
       next. NULL: rnn_beam_log_softmax. */
    void (*log_probs)(const rnn_model *m, int r, double *lp, void *ctx);
    /* one step of the model, row i reading tokens[i], i < n. NULL:
       rnn_step(m, n, NULL, tokens). */
    rnn_status (*feed)(rnn_model *m, int n, const int *tokens, void *ctx);
    void *ctx;       /* passed to both callbacks                              */
} rnn_beam;
/* Runs the beam search b from the model's current state: the model has
   read the prefix (the image, the source sentence, the priming text) and
   its last step (T = 1, rnn_step) left the logits of the first token in row
   0 of m->o. out (max_len) gets the best hypothesis, the end token left
   out, and *len its length. Width 1 is greedy decoding. Only row 0 is
   read (one prefix; with B > 1 the other rows are ignored). Moves the
   state rows with rnn_state_select, so the model's B changes: afterwards
   it holds the beam's last rows, not a prefix; for the next search,
   rnn_reset_state (or copy a state in) and rnn_step a prefix again. Allocates
   O(width (V + max_len)) numbers. RNN_ERR_ARG (b, out or len NULL, width
   out of 1..2^20, max_len < 1, force_end without an end token, no step
   yet or a last forward of T > 1), RNN_ERR_TOKEN (end outside -1..V-1),
   RNN_ERR_SIZE (no log_probs and the output is not RNN_SOFTMAX),
   RNN_ERR_NOMEM; or the status of a failing feed (*len is then 0). */
RNNDEF rnn_status rnn_beam_search(rnn_model *m, const rnn_beam *b, int *out, int *len);
/* The default log_probs: lp (V) = the log-softmax of row r of m->o, in
   double (ctx is not used); a log_probs of one's own may start from it. */
RNNDEF void rnn_beam_log_softmax(const rnn_model *m, int r, double *lp, void *ctx);
/* [bptt.dW] dW_hh += dgh^T h<t-1> and [bptt.db] db_hh += sum of dgh's rows,
   over the io->B rows of io (one step; or T steps at once, with io->B =
   T*B and io->dgh, io->h_prev (or io->h_rec) and io->cache pointing at the
   first of T consecutive steps, as the model does after its time loop).
   Reads io->cell, B, H, dgh, h_rec or h_prev, and cache (the GRU's
   candidate multiplies the cache's block U of the table, not h<t-1>).
   dW_hh (G*H, H), db_hh (G*H) are accumulated. */
RNNDEF void rnn_cell_weight_grads(const rnn_cell_io *io, rnn_real *dW_hh, rnn_real *db_hh);

/* ---- the gated cells (>>gated), and the table of cells ----
   Each pair reads and writes the rnn_cell_io fields named, as
   rnn_simple_forward / rnn_simple_backward do; backward writes dgx and dgh
   and adds to dh_prev (dc_prev, dp).
   rnn_gru_simple_*  [gru-simple.*] gates z, n: G = 2, cache [z, n] (W = 2).
     Reads gx (B,2H), h_prev, W_hh (2H,H), b_hh (2H), flags.
   rnn_gru_*         [gru.*] gates r, z, n: G = 3, cache [r, z, n, hn, u]
     (W = 5): hn = h_rec W_hn^T + b_hn, u = what W_hn multiplied (r * h_rec
     with RNN_GRU_RESET_BEFORE, else h_rec). Reads gx (B,3H), h_prev,
     W_hh (3H,H), b_hh (3H), flags.
   rnn_lstm_*        [lstm.*] gates i, f, g, o: G = 4, cache [i, f, g, o]
     (W = 4); with p != NULL the peephole LSTM [peephole.*]. Reads gx
     (B,4H), h_prev, c_prev, W_hh (4H,H), b_hh (4H), p; writes h and c.
     Backward also reads c and dc, adds to dc_prev and (with p) dp. */
RNNDEF void rnn_gru_simple_forward(const rnn_cell_io *io);
RNNDEF void rnn_gru_simple_backward(const rnn_cell_io *io);
RNNDEF void rnn_gru_forward(const rnn_cell_io *io);
RNNDEF void rnn_gru_backward(const rnn_cell_io *io);
RNNDEF void rnn_lstm_forward(const rnn_cell_io *io);
RNNDEF void rnn_lstm_backward(const rnn_cell_io *io);
/* The step of io->cell, through the table (RNN_CELL_DEFAULT: the LSTM). */
RNNDEF void rnn_cell_forward(const rnn_cell_io *io);
RNNDEF void rnn_cell_backward(const rnn_cell_io *io);
/* The table's columns, by cell: its name ("tanh", "relu", "gru_simple",
   "gru", "lstm", "peephole"; "default" for 0, "unknown" out of range, never
   NULL); the cell a name means (RNN_CELL_DEFAULT for NULL or an unknown
   name); G, the gate blocks; W, the cache width in blocks of H; whether it
   has a cell state. Out of range: 0. RNN_CELL_DEFAULT: the LSTM's. */
RNNDEF const char *rnn_cell_name(rnn_cell cell);
RNNDEF rnn_cell rnn_cell_from_name(const char *name);
RNNDEF int rnn_cell_gates(rnn_cell cell);
RNNDEF int rnn_cell_cache_width(rnn_cell cell);
RNNDEF int rnn_cell_has_state(rnn_cell cell);

/* ---- learning (>>learning) ---- */
/* Every gradient of the model = 0 (backward adds: call it before each
   forward/backward whose gradient you want alone). */
RNNDEF void rnn_zero_grad(rnn_model *m);
/* [clip.value] every gradient entry into [-v, v] (Keras' clipvalue).
   RNN_ERR_ARG (v < 0 or NaN: a negative bound would flip the gradient's sign). */
RNNDEF rnn_status rnn_clip_by_value(rnn_model *m, rnn_real v);
/* [clip.norm] all the model's gradients as one vector: if ||g|| > c,
   g <- g c / ||g|| (PyTorch's clip_grad_norm_). Returns ||g|| before, or -1
   (nothing changed) for c < 0 or NaN. */
RNNDEF rnn_real rnn_clip_by_global_norm(rnn_model *m, rnn_real c);
/* [clip.norm] each tensor's gradient on its own (tf.keras' clipnorm).
   RNN_ERR_ARG (c < 0 or NaN). */
RNNDEF rnn_status rnn_clip_by_tensor_norm(rnn_model *m, rnn_real c);
/* [clip.norm] on any array g (n): if ||g|| > c, g <- g c / ||g||.
   Returns ||g|| before clipping, or -1 (nothing changed) for c < 0 or NaN. */
RNNDEF rnn_real rnn_clip_norm(rnn_real *g, size_t n, rnn_real c);

typedef enum rnn_optim_kind {
    RNN_OPTIM_DEFAULT = 0, RNN_SGD, RNN_ADAGRAD, RNN_RMSPROP, RNN_ADAM
} rnn_optim_kind;

typedef struct rnn_optim_desc {
    rnn_real lr;            /* default 0.01 (SGD), 0.01 (Adagrad, RMSprop), 0.001 (Adam).
                               (A number first: = {0} is valid C and C++)     */
    rnn_optim_kind kind;    /* default RNN_ADAM                               */
    rnn_real momentum;      /* SGD only; default 0                            */
    rnn_real beta1, beta2;  /* Adam; default 0.9, 0.999                       */
    rnn_real alpha;         /* RMSprop's decay; default 0.99                  */
    rnn_real eps;           /* default 1e-8 (1e-10 for Adagrad)               */
} rnn_optim_desc;

typedef struct rnn_optim {
    rnn_optim_desc desc;    /* resolved                                       */
    int n;                  /* parameters                                     */
    long step;              /* updates done                                   */
    rnn_real *m1, *m2;      /* moments, in the layout of the parameters       */
    char error[160];        /* the last failing rnn_optim_init/step's mistake
                               in one line, like rnn_model's error          */
} rnn_optim;

/* An optimizer for n parameters (m.n_params): d's defaults resolved into
   o->desc, zeroed moments allocated. RNN_ERR_ARG (n <= 0, an unknown kind),
   RNN_ERR_NOMEM; o is left freeable. */
RNNDEF rnn_status rnn_optim_init(rnn_optim *o, const rnn_optim_desc *d, int n);
/* One update of params (o->n) from grads (o->n), one flat loop ([sgd.step]
   and its refinements, as PyTorch writes them); o->step += 1 first.
   RNN_ERR_ARG, and nothing changes, when o->desc no longer holds settings
   rnn_optim_init would accept (say a NaN lr) or o was never initialised. */
RNNDEF rnn_status rnn_optim_step(rnn_optim *o, rnn_real *params, const rnn_real *grads);
/* Frees the moments and zeroes o; safe twice. */
RNNDEF void rnn_optim_free(rnn_optim *o);

/* ---- using a model (>>using) ---- */
/* The index of the largest of v (n), the first on a tie. */
RNNDEF int rnn_argmax(const rnn_real *v, int n);
/* [lm.sample] A token drawn from softmax(o / temperature), o (n) logits
   (one uniform from r); temperature <= 0: the argmax, r unused. */
RNNDEF int rnn_sample_logits(const rnn_real *o, int n, rnn_real temperature, rnn_rng *r);

/* ---- BLEU (Papineni et al. 2002): how many of a candidate's n-grams, n =
   1..4, appear in a reference, clipped so that repeating a right word does
   not pay, with a penalty for candidates shorter than the references.
   Sentences are arrays of token ids (map words to ids first; "Party" and
   "party" are different words). The counts are summed over the corpus before
   any ratio is taken, so corpus BLEU is not the mean of sentence BLEUs.
       rnn_bleu b = {0};                         // an empty corpus
       for each sentence: rnn_bleu_add(&b, cand, cand_len, refs, ref_lens, n_refs);
       rnn_bleu_score(&b, RNN_BLEU_SMOOTH_NONE, 0);
       // b.bleu[3] is BLEU-4; b.p[n-1] = b.match[n-1] / b.total[n-1]
   or all at once with rnn_bleu_corpus(). One sentence alone is sentence
   BLEU. */
#define RNN_BLEU_MAX_N 4

typedef enum rnn_bleu_smoothing {
    RNN_BLEU_SMOOTH_NONE = 0, /* a p_n of 0 makes BLEU-n..4 zero (the paper)  */
    RNN_BLEU_SMOOTH_FLOOR,    /* a zero numerator becomes epsilon, default
                                 0.1 (NLTK method1, sacrebleu "floor")        */
    RNN_BLEU_SMOOTH_EXP       /* the k-th order with no match gets
                                 p_n = 1 / (2^k total_n) (NIST mteval, NLTK
                                 method3, sacrebleu "exp")                    */
} rnn_bleu_smoothing;

typedef struct rnn_bleu {
    /* summed by rnn_bleu_add over the sentences:                             */
    long long n_sentences;           /* (a number first: = {0} without a
                                        warning in C++)                       */
    long long match[RNN_BLEU_MAX_N]; /* clipped n-gram matches (numerator)    */
    long long total[RNN_BLEU_MAX_N]; /* candidate n-grams (denominator)       */
    long long cand_len;              /* c: candidate tokens                   */
    long long ref_len;               /* r: closest reference lengths          */
    /* set by rnn_bleu_score:                                                 */
    double p[RNN_BLEU_MAX_N];        /* modified precisions, after smoothing  */
    double bp;                       /* brevity penalty                       */
    double bleu[RNN_BLEU_MAX_N];     /* bleu[N-1] is BLEU-N                   */
} rnn_bleu;

/* Adds one candidate (cand_len tokens) scored against n_refs >= 1
   references (refs[j] has ref_len[j] tokens). A negative length or no
   reference returns RNN_ERR_ARG and leaves b as it was. */
RNNDEF rnn_status rnn_bleu_add(rnn_bleu *b, const int *cand, int cand_len,
                               const int *const *refs, const int *ref_len, int n_refs);
/* p, bp and bleu from the sums. RNN_ERR_ARG if no sentence was added, the
   smoothing is unknown or epsilon < 0. epsilon 0 means 0.1 (used by
   RNN_BLEU_SMOOTH_FLOOR only). */
RNNDEF rnn_status rnn_bleu_score(rnn_bleu *b, rnn_bleu_smoothing smoothing, double epsilon);
/* The whole corpus at once: sentence i is cand[i] (cand_len[i] tokens)
   against the n_refs[i] references refs[i][j] (ref_len[i][j] tokens).
   out is overwritten. */
RNNDEF rnn_status rnn_bleu_corpus(rnn_bleu *out, const int *const *cand, const int *cand_len,
                                  const int *const *const *refs, const int *const *ref_len,
                                  const int *n_refs, int n_sentences,
                                  rnn_bleu_smoothing smoothing, double epsilon);

/* ---- a count-based n-gram language model [lm.chain] [lm.ngram] over the
   token ids 0..V-1: the baseline an RNN language model has to beat.
   Counts live in a hash table that grows as the text needs. Smoothing
   (documented, standard, and a proper distribution: the V probabilities of
   any context sum to 1) is add-k at every order, interpolated with the order
   below (Jelinek-Mercer with one fixed lambda):
       P_1(w)     = (count(w) + k) / (N + k V)
       P_m(w | h) = lambda (count(h w) + k) / (count(h .) + k V)
                    + (1 - lambda) P_{m-1}(w | h without its first token)
   where h is the last m-1 tokens and count(h .) the times h was followed by
   a token. If count(h .) + k V = 0 (h never seen and k = 0), P_m = P_{m-1}.
   (D4 divides by count(h), all the times h occurs; the two differ only
   where h ends a text: docs/errata.md, entry 28.)
   With k = 0 and lambda = 1 (the defaults) this is the plain count model of
   [lm.ngram], backing off to a shorter context only when h was never seen;
   it can give probability 0 to new text (log_prob -inf).
       rnn_ngram lm; rnn_ngram_desc d = {0};
       d.order = 3; d.vocab_size = V; d.k = 0.1; d.lambda = 0.8;
       rnn_ngram_init(&lm, &d);
       rnn_ngram_fit(&lm, train, n_train);
       lp = 0; cnt = 0; rnn_ngram_log_prob_sequence(&lm, test, n_test, &lp, &cnt);
       perplexity = exp(-lp / cnt);
       rnn_ngram_free(&lm); */
#define RNN_NGRAM_MAX_ORDER 5

typedef struct rnn_ngram_desc {
    int order;       /* n, 1..5; default 2, the bigram of [lm.ngram]         */
    int vocab_size;  /* V: tokens are 0..V-1 (required)                      */
    double k;        /* add-k at every order: 1 Laplace, 0 < k < 1 Lidstone;
                        default 0, the plain counts                          */
    double lambda;   /* weight of each order against the order below, in
                        (0, 1]; default 1, no interpolation                  */
} rnn_ngram_desc;

/* One slot of the table. A key whose last token is -1 holds count(h .):
   how often the context h (the other len-1 tokens) was followed by a token;
   the key {-1} alone holds N. */
typedef struct rnn_ngram_entry {
    int key[RNN_NGRAM_MAX_ORDER]; /* the n-gram's tokens                      */
    int len;                      /* tokens in key; 0 marks an empty slot     */
    long long count;
} rnn_ngram_entry;

typedef struct rnn_ngram {
    rnn_ngram_desc desc;     /* resolved                                      */
    long long n_tokens;      /* N: tokens fitted                              */
    rnn_ngram_entry *table;  /* open addressing with linear probing           */
    size_t cap, used;        /* slots (a power of 2, at most half used), used */
} rnn_ngram;

/* RNN_ERR_ARG for an order outside 1..5, V < 1, k < 0 or lambda outside
   (0, 1]; RNN_ERR_NOMEM. On success m must be freed with rnn_ngram_free. */
RNNDEF rnn_status rnn_ngram_init(rnn_ngram *m, const rnn_ngram_desc *d);
/* Adds the counts of one text; n-grams do not cross from one call to the
   next, so call it once per document or sentence. RNN_ERR_TOKEN (nothing
   counted) if a token is outside 0..V-1; RNN_ERR_NOMEM (the text then is
   partly counted). */
RNNDEF rnn_status rnn_ngram_fit(rnn_ngram *m, const int *tokens, int len);
/* count(gram), for 1 <= n <= order; n = 0 gives N. */
RNNDEF long long rnn_ngram_count(const rnn_ngram *m, const int *gram, int n);
/* P(w | context): the last order-1 tokens of the context are used (fewer if
   it is shorter). w must be in 0..V-1. */
RNNDEF double rnn_ngram_prob(const rnn_ngram *m, const int *context, int context_len, int w);
/* [lm.chain] adds ln P(tokens) = sum_i ln P(w_i | the order-1 tokens before
   it) to *log_prob and len to *count, so a loop over sentences sums a corpus;
   perplexity = exp(-log_prob / count). The first tokens are predicted from
   the shorter contexts they have. RNN_ERR_TOKEN (nothing added) if a token
   is outside 0..V-1. */
RNNDEF rnn_status rnn_ngram_log_prob_sequence(const rnn_ngram *m, const int *tokens, int len,
                                              double *log_prob, long long *count);
RNNDEF void rnn_ngram_free(rnn_ngram *m);

/* ---- embeddings: rows of E (V, D) are the vectors of the V words. */
/* [embed.cosine] u.v / (|u| |v|) of two n-vectors; 0 when a norm is 0. */
RNNDEF rnn_real rnn_cosine(const rnn_real *u, const rnn_real *v, int n);
/* The k rows of E most similar to query (D) by cosine, best first, into
   out (k) with their cosines in sims (k); ties keep the lower row first.
   Rows listed in exclude (n_exclude ids; NULL if 0) are skipped. When fewer
   than k rows remain, the rest of out is -1 and of sims 0. RNN_ERR_ARG for a
   negative size. */
RNNDEF rnn_status rnn_nearest(int *out, rnn_real *sims, int k, const rnn_real *E, int V, int D,
                              const rnn_real *query, const int *exclude, int n_exclude);
/* [embed.analogy] "a is to b as c is to ?": the k rows nearest by cosine to
   E[b] - E[a] + E[c], leaving out a, b and c themselves (king - man + woman
   ~ queen is a = man, b = king, c = woman). Results as rnn_nearest.
   RNN_ERR_TOKEN if a, b or c is outside 0..V-1; RNN_ERR_ARG; RNN_ERR_NOMEM. */
RNNDEF rnn_status rnn_analogy(int *out, rnn_real *sims, int k, const rnn_real *E, int V, int D,
                              int a, int b, int c);

/* ---- files: checkpoints in the safetensors format ----
   An 8-byte little-endian header length, a JSON header naming every tensor
   (dtype, shape, byte offsets), then the raw little-endian tensors. The
   names and gate order are PyTorch's, so torch.nn.LSTM/GRU/RNN (plus an
   nn.Linear called "head") load our weights with load_state_dict, and we
   load theirs. The model's description is in "__metadata__", and so are
   your own settings (a learning rate, the text trained on, ...) as strings:
   rnn_checkpoint_set, rnn_checkpoint_get below. */
#define RNN_CK_USER_MAX 32     /* user entries in one checkpoint             */
#define RNN_CK_USER_KEY 32     /* bytes of a key with its 0: 1..31 characters */
#define RNN_CK_USER_VALUE 128  /* bytes of a value with its 0: 0..127 bytes  */
typedef struct rnn_checkpoint {
    /* what is saved beside the weights (all optional), and read back: */
    rnn_optim *optim;       /* the optimizer's moments and step; NULL: none.
                               rnn_load: *optim is overwritten (zeroed when
                               the file has none or the load fails), always
                               freeable with rnn_optim_free. rnn_load_weights:
                               *optim must be zeroed or live; the file's
                               optimizer replaces it (the old one freed) only
                               when the load succeeds                        */
    int with_state;         /* 1: the initial state rows (truncated BPTT's
                               carried state) are saved / restored           */
    uint64_t rng_state;     /* the training loop's random generator           */
    int64_t step, data_pos; /* the training loop's counters                   */
    int32_t *vocab;         /* a vocabulary (e.g. code points); may be NULL   */
    int vocab_len;          /* save: entries in vocab; load: entries read     */
    int vocab_cap;          /* load: room in vocab (>= 0)                     */
    int refuse_nonfinite;   /* load: a NaN or Inf weight (as rnn_real) is an
                               error; the optimizer's moments always are     */
    /* your own settings, key -> value (use rnn_checkpoint_set / _get):
       saved as "user.<key>" in __metadata__; a successful load replaces
       them with the file's (none: n_user 0), a failed one leaves them    */
    int n_user;
    char user_key[RNN_CK_USER_MAX][RNN_CK_USER_KEY];
    char user_value[RNN_CK_USER_MAX][RNN_CK_USER_VALUE];
    char error[160];        /* load/save: what went wrong, in words           */
} rnn_checkpoint;

/* Sets your setting key to value in ck (replacing the value it had), to be
   saved with the checkpoint; value NULL removes the key. A key is 1 to 31
   letters, digits, '_', '-' or '.' ("lr", "text.file"); a value is any
   valid UTF-8 of at most 127 bytes (quotes, backslashes, newlines and
   other control characters are escaped in the file, and read back as they
   were). At most RNN_CK_USER_MAX keys. RNN_ERR_ARG for a bad key, a value
   that is not UTF-8 or too long, one key too many: then ck is unchanged
   and ck->error says why. Numbers: write them with
   snprintf ("%.17g" keeps a double exactly), read them with strtod. */
RNNDEF rnn_status rnn_checkpoint_set(rnn_checkpoint *ck, const char *key, const char *value);
/* The value of your setting key in ck (after a load: the file's), or NULL
   when there is none. The string lives in ck. */
RNNDEF const char *rnn_checkpoint_get(const rnn_checkpoint *ck, const char *key);

/* The whole checkpoint (weights, description, what ck asks for; ck may be
   NULL) into one new buffer *out of *len bytes: free it with
   rnn_free_buffer. RNN_ERR_SIZE (ck->optim is for another model),
   RNN_ERR_ARG (with_state before any state), RNN_ERR_NOMEM. */
RNNDEF rnn_status rnn_save_memory(const rnn_model *m, rnn_checkpoint *ck,
                                  unsigned char **out, size_t *len);
/* Builds the model the file describes (m is overwritten), then reads every
   tensor into it: each tensor of the model must be there with its shape,
   and each tensor of the file must be used. RNN_ERR_FORMAT (malformed, no
   rnn.h description, a missing tensor), RNN_ERR_SIZE (a shape that
   disagrees, a tensor the model lacks), RNN_ERR_NAN (with
   refuse_nonfinite), RNN_ERR_ARG, RNN_ERR_NOMEM; m is then left empty and
   ck->error says why. */
RNNDEF rnn_status rnn_load_memory(rnn_model *m, rnn_checkpoint *ck,
                                  const unsigned char *buf, size_t len);
/* Reads the file's tensors into a model you have built (a PyTorch state
   dict, say): by names and shapes, the description is not compared. All
   or nothing: on failure the weights are as they were. Status as
   rnn_load_memory. */
RNNDEF rnn_status rnn_load_weights_memory(rnn_model *m, rnn_checkpoint *ck,
                                          const unsigned char *buf, size_t len);
#ifndef RNN_NO_STDIO
/* The same through a file: saving writes a new path.XXXXXXXX.tmp (8 random
   hex digits), syncs it and renames it over path (an old checkpoint
   survives any failure); loading reads at most 2 GiB.
   RNN_ERR_IO besides the statuses above. */
RNNDEF rnn_status rnn_save(const char *path, const rnn_model *m, rnn_checkpoint *ck);
RNNDEF rnn_status rnn_load(const char *path, rnn_model *m, rnn_checkpoint *ck);
RNNDEF rnn_status rnn_load_weights(const char *path, rnn_model *m, rnn_checkpoint *ck);
#endif
/* Frees a buffer the library allocated for you (rnn_save_memory's). */
RNNDEF void rnn_free_buffer(void *p);

/* ---- gradient check (>>gradcheck) ----
   Compares every entry of every parameter tensor's gradient, and of every
   layer's initial state h<0> (c<0>), with centred finite differences
   (L(theta + eps) - L(theta - eps)) / 2 eps, on batch b (which needs
   targets). Use RNN_REAL double and eps about 1e-5. *worst = the largest
   relative error |a - n| / max(|a|, |n|, 1e-3); worst_per_tensor (if not
   NULL, n_tensors + 2 L entries) gets it per tensor, then per layer for h<0>
   and c<0>. In training mode every pass reuses the same dropout masks.
   Leaves the analytic gradients in m->grads. RNN_ERR_ARG (worst NULL, eps
   not in (0, 1)), or the status of the first forward or backward that
   fails (*worst is then 0); m->error names rnn_grad_check either way. */
RNNDEF rnn_status rnn_grad_check(rnn_model *m, const rnn_batch *b, double eps,
                                 rnn_real *worst, rnn_real *worst_per_tensor);

#ifdef __cplusplus
}

#endif
#endif /* RNN_H */

/* ========================================================================= */
/*                             IMPLEMENTATION                                */
/* ========================================================================= */
#ifdef RNN_IMPLEMENTATION
#ifndef RNN_IMPLEMENTATION_DONE
#define RNN_IMPLEMENTATION_DONE

#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>    /* omp_get_max_threads: rnn_gemm's slices (built with -fopenmp only) */
#endif
#include <stdlib.h> /* strtod (and malloc, free unless RNN_MALLOC is given) */
#include <limits.h> /* INT_MAX, LONG_MAX: the limits sizes are checked against */
#ifndef RNN_NO_STDIO
#include <stdio.h>  /* fopen, fread, remove, and vsnprintf for the error messages */
#include <stdarg.h> /* va_list: the error messages */
#include <locale.h> /* localeconv: checkpoints write '.' in any C locale */
#include <errno.h>  /* EEXIST, EINTR: rnn_save's temporary file */
#include <time.h>   /* time, clock: a random name for that file */
#ifdef _WIN32
#include <io.h>     /* _open, _write, _commit (FlushFileBuffers), _close */
#include <fcntl.h>
#include <sys/stat.h>
#else
#include <fcntl.h>  /* open with O_CREAT | O_EXCL */
#include <unistd.h> /* write, fsync, close, getpid */
#include <sys/stat.h> /* stat, chmod: the checkpoint's mode is kept */
#endif
#endif

/* >>speed's square roots of the optimizers (rnn__sqrt_chunk): SSE2's,
   which every x86-64 CPU has, unless the build already lets the compiler
   vectorise sqrt (-fno-math-errno) */
#if !defined(RNN_REFERENCE) && !defined(__NO_MATH_ERRNO__) && (defined(__SSE2__) || defined(_M_X64))
#include <emmintrin.h>
#define RNN__SQRT_SSE2 1
#endif

#if defined(RNN_MALLOC) && defined(RNN_FREE) && defined(RNN_ASSERT)
/* all three given */
#elif !defined(RNN_MALLOC) && !defined(RNN_FREE) && !defined(RNN_ASSERT)
#include <stdlib.h>
#include <assert.h>
#define RNN_MALLOC(n) malloc(n)
#define RNN_FREE(p) free(p)
#define RNN_ASSERT(x) assert(x)
#else
#error "rnn.h: define RNN_MALLOC, RNN_FREE and RNN_ASSERT all together, or none of them"
#endif

#ifdef __cplusplus
extern "C" {
#endif

RNNDEF const char *rnn_status_string(rnn_status s)
{
    static const char *const text[] = {
#define RNN__TEXT(name, text) text,
        RNN__STATUS_LIST(RNN__TEXT)
#undef RNN__TEXT
    };
    if ((int)s < 0 || (int)s >= (int)RNN_STATUS_COUNT) return "unknown status";
    return text[s];
}

/* The table of cells (RNN__CELL_LIST, at the top), one row per cell, and
   row 0 for RNN_CELL_DEFAULT, which is the LSTM. */
typedef struct rnn__cell_row {
    const char *name;
    int G, W, C, P, U;
    void (*forward)(const rnn_cell_io *io);
    void (*backward)(const rnn_cell_io *io);
} rnn__cell_row;

static const rnn__cell_row rnn__cells[RNN_CELL_COUNT] = {
    {"default", 4, 4, 1, 0, -1, rnn_lstm_forward, rnn_lstm_backward},
#define RNN__CELL_ROW(id, name, G, W, C, P, U, forward, backward) {name, G, W, C, P, U, forward, backward},
    RNN__CELL_LIST(RNN__CELL_ROW)
#undef RNN__CELL_ROW
};

/* An error message into err (160 chars, like rnn_model's and rnn_optim's
   error), printf-style; returns st, so that a check reads
       if (bad) return rnn__fail(m->error, RNN_ERR_ARG, "rnn_x: n is %d; ...", n);
   rnn.h never prints: the caller decides what to do with the words. */
static rnn_status rnn__fail(char *err, rnn_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, 160, fmt, ap);
    va_end(ap);
    return st;
}

/* the row of a cell, or NULL out of range */
static const rnn__cell_row *rnn__cell_row_of(rnn_cell cell)
{
    return (int)cell >= 0 && (int)cell < (int)RNN_CELL_COUNT ? &rnn__cells[cell] : NULL;
}
RNNDEF const char *rnn_cell_name(rnn_cell cell)
{
    const rnn__cell_row *r = rnn__cell_row_of(cell);
    return r ? r->name : "unknown";
}
RNNDEF rnn_cell rnn_cell_from_name(const char *name)
{
    int k;
    for (k = 1; name && k < (int)RNN_CELL_COUNT; k++)
        if (strcmp(name, rnn__cells[k].name) == 0) return (rnn_cell)k;
    return RNN_CELL_DEFAULT;
}
RNNDEF int rnn_cell_gates(rnn_cell cell) { const rnn__cell_row *r = rnn__cell_row_of(cell); return r ? r->G : 0; }
RNNDEF int rnn_cell_cache_width(rnn_cell cell) { const rnn__cell_row *r = rnn__cell_row_of(cell); return r ? r->W : 0; }
RNNDEF int rnn_cell_has_state(rnn_cell cell) { const rnn__cell_row *r = rnn__cell_row_of(cell); return r ? r->C : 0; }
/* one step of io->cell: the only place where the cell is chosen */
RNNDEF void rnn_cell_forward(const rnn_cell_io *io)
{
    const rnn__cell_row *r = rnn__cell_row_of(io->cell);
    RNN_ASSERT(r != NULL);
    if (r) r->forward(io);
}
RNNDEF void rnn_cell_backward(const rnn_cell_io *io)
{
    const rnn__cell_row *r = rnn__cell_row_of(io->cell);
    RNN_ASSERT(r != NULL);
    if (r) r->backward(io);
}

/* >>numerics ============================================================== */
/*
   The arithmetic under everything: the matrix product C = A B by its
   definition (one dot product per entry), the activations sigma and tanh
   and their derivatives, the softmax, a random number generator whose
   state you hold, and the initial weights. Plain loops a student can check
   by eye; the fast versions live apart, in >>speed.
*/

/* libm in the precision of rnn_real: sizeof is known at compile time, so the
   compiler keeps only one branch. */
#define RNN__IS_FLOAT (sizeof(rnn_real) == sizeof(float))
static rnn_real rnn__exp(rnn_real a) { return RNN__IS_FLOAT ? (rnn_real)expf((float)a) : (rnn_real)exp((double)a); }
static rnn_real rnn__log(rnn_real a) { return RNN__IS_FLOAT ? (rnn_real)logf((float)a) : (rnn_real)log((double)a); }
static rnn_real rnn__sqrt(rnn_real a) { return RNN__IS_FLOAT ? (rnn_real)sqrtf((float)a) : (rnn_real)sqrt((double)a); }

RNNDEF void rnn_rng_seed(rnn_rng *r, uint64_t seed) { r->state = seed; }

/* splitmix64 (Steele, Lea, Flood 2014): add a constant, then scramble. */
RNNDEF uint64_t rnn_rng_next(rnn_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* the top 53 bits as a double in [0, 1) */
RNNDEF double rnn_rng_uniform(rnn_rng *r) { return (double)(rnn_rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

/* Box-Muller: two uniforms make one normal (the second is thrown away to
   keep the generator's state the only state). */
RNNDEF double rnn_rng_normal(rnn_rng *r)
{
    double u1 = 1.0 - rnn_rng_uniform(r); /* in (0, 1], so log(u1) is finite */
    double u2 = rnn_rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* The reference matrix product: the definition, one dot product per entry.
   Slow and obviously right; the tests compare the fast one against it. */
RNNDEF void rnn_gemm_ref(int ta, int tb, int M, int N, int K,
                         const rnn_real *A, int lda, const rnn_real *B, int ldb,
                         rnn_real beta, rnn_real *C, int ldc)
{
    int i, j, k;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++) {
            double s = 0;
            for (k = 0; k < K; k++) {
                rnn_real a = ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
                rnn_real b = tb ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
                s += (double)a * b;
            }
            C[(size_t)i * ldc + j] = (beta == 0 ? 0 : beta * C[(size_t)i * ldc + j]) + (rnn_real)s;
        }
}

/* sigma(a) = 1 / (1 + e^-a) and tanh(a), by their definitions through libm.
   sigma is written so that exp never overflows: for a < 0 it is computed as
   e^a / (1 + e^a), the same number. */
static rnn_real rnn__sigmoid_ref(rnn_real a)
{
    if (a >= 0) return 1 / (1 + rnn__exp(-a));
    else { rnn_real e = rnn__exp(a); return e / (1 + e); }
}
static rnn_real rnn__tanh_ref(rnn_real a)
{
    return RNN__IS_FLOAT ? (rnn_real)tanhf((float)a) : (rnn_real)tanh((double)a);
}

/* What the cells and the losses call. Each name has two definitions: the
   plain one right here, used when you build with -DRNN_REFERENCE, and a fast
   one in >>speed (the default), which computes the same numbers up to
   rounding (tests/test_cells.c compares the products):
     rnn_gemm                       C = beta C + op(A) op(B)  (as rnn_gemm_ref)
     rnn__sigmoid, rnn__tanh        sigma(a), tanh(a) of one number
     rnn__sigmoid_v, rnn__tanh_v    x[i] = sigma(x[i]), tanh(x[i]) for i < n,
                                    in place: a whole gate at once
     rnn__mul_tanh                  h[i] = o[i] * tanh(c[i]) for i < n
     rnn__softmax_exp               p_k = e^{o_k - max} for k < n; returns
                                    their sum, and the max in *max
     rnn__divide                    p_k = p_k / s for k < n */
static inline rnn_real rnn__sigmoid(rnn_real a);
static inline rnn_real rnn__tanh(rnn_real a);
static void rnn__sigmoid_v(rnn_real *x, size_t n);
static void rnn__tanh_v(rnn_real *x, size_t n);
static void rnn__mul_tanh(rnn_real *h, const rnn_real *o, const rnn_real *c, size_t n);
static rnn_real rnn__softmax_exp(rnn_real *p, const rnn_real *o, int n, rnn_real *max);
static void rnn__divide(rnn_real *p, int n, rnn_real s);

#ifdef RNN_REFERENCE
RNNDEF void rnn_gemm(int ta, int tb, int M, int N, int K,
                     const rnn_real *A, int lda, const rnn_real *B, int ldb,
                     rnn_real beta, rnn_real *C, int ldc)
{
    rnn_gemm_ref(ta, tb, M, N, K, A, lda, B, ldb, beta, C, ldc);
}
static inline rnn_real rnn__sigmoid(rnn_real a) { return rnn__sigmoid_ref(a); }
static inline rnn_real rnn__tanh(rnn_real a) { return rnn__tanh_ref(a); }
static void rnn__sigmoid_v(rnn_real *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) x[i] = rnn__sigmoid_ref(x[i]);
}
static void rnn__tanh_v(rnn_real *x, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) x[i] = rnn__tanh_ref(x[i]);
}
static void rnn__mul_tanh(rnn_real *h, const rnn_real *o, const rnn_real *c, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) h[i] = o[i] * rnn__tanh_ref(c[i]);
}
static rnn_real rnn__softmax_exp(rnn_real *p, const rnn_real *o, int n, rnn_real *max)
{
    rnn_real mx = o[0], sum = 0;
    int k;
    for (k = 1; k < n; k++) if (o[k] > mx) mx = o[k];
    for (k = 0; k < n; k++) { p[k] = rnn__exp(o[k] - mx); sum += p[k]; }
    *max = mx;
    return sum;
}
static void rnn__divide(rnn_real *p, int n, rnn_real s)
{
    int k;
    for (k = 0; k < n; k++) p[k] /= s;
}
#endif /* RNN_REFERENCE */

RNNDEF rnn_real rnn_sigmoid(rnn_real a) { return rnn__sigmoid(a); }
RNNDEF rnn_real rnn_tanh(rnn_real a) { return rnn__tanh(a); }
/* The derivatives are written from the function's value, which is what the
   forward pass keeps:  sigma' = s (1 - s),  tanh' = 1 - t^2,  ReLU' = [h > 0]. */
#define RNN__DSIGMOID(s) ((s) * (1 - (s)))
#define RNN__DTANH(t) (1 - (t) * (t))

/* softmax(o)_k = e^{o_k - max} / sum_j e^{o_j - max}; subtracting the max
   changes nothing mathematically and keeps exp from overflowing. */
RNNDEF void rnn_softmax(rnn_real *p, const rnn_real *o, int n)
{
    rnn_real mx, s = rnn__softmax_exp(p, o, n, &mx);
    rnn__divide(p, n, s);
}

/* max_j o_j into *mx, and sum_j e^(o_j - max), in double: the parts of
   log sum_j e^(o_j) = max + log(sum), which cannot overflow */
static double rnn__exp_sum(const rnn_real *o, int n, double *mx)
{
    double m = o[0], s = 0;
    int k;
    for (k = 1; k < n; k++) if (o[k] > m) m = o[k];
    for (k = 0; k < n; k++) s += exp((double)o[k] - m);
    *mx = m;
    return s;
}

RNNDEF void rnn_log_softmax(rnn_real *lp, const rnn_real *o, int n)
{
    double mx, s = rnn__exp_sum(o, n, &mx), log_z;
    int k;
    log_z = mx + log(s); /* log sum_j e^(o_j) */
    for (k = 0; k < n; k++) lp[k] = (rnn_real)((double)o[k] - log_z);
}


/* Xavier/Glorot uniform (Glorot & Bengio 2010): U(-a, a), a = sqrt(6 / (fan_in
   + fan_out)), so activations keep their variance from layer to layer. */
RNNDEF void rnn_init_xavier(rnn_real *W, int rows, int cols, rnn_rng *r)
{
    double a = sqrt(6.0 / (rows + cols));
    size_t i;
    for (i = 0; i < (size_t)rows * cols; i++) W[i] = (rnn_real)((2 * rnn_rng_uniform(r) - 1) * a);
}

/* A random orthogonal (n, n) matrix (Saxe et al. 2014): Gram-Schmidt on the
   rows of a Gaussian matrix. Its singular values are all 1, so the recurrent
   product neither shrinks nor grows the state at the start of training. */
RNNDEF void rnn_init_orthogonal(rnn_real *W, int n, rnn_rng *r)
{
    int i, j, k;
    for (i = 0; i < n * n; i++) W[i] = (rnn_real)rnn_rng_normal(r);
    for (i = 0; i < n; i++) {
        rnn_real *wi = W + (size_t)i * n;
        double norm = 0;
        for (j = 0; j < i; j++) { /* remove the parts along the rows before */
            const rnn_real *wj = W + (size_t)j * n;
            double d = 0;
            for (k = 0; k < n; k++) d += (double)wi[k] * wj[k];
            for (k = 0; k < n; k++) wi[k] -= (rnn_real)(d * wj[k]);
        }
        for (k = 0; k < n; k++) norm += (double)wi[k] * wi[k];
        norm = sqrt(norm);
        if (norm < 1e-6) { /* nearly dependent (vanishingly rare): a unit row */
            for (k = 0; k < n; k++) wi[k] = 0;
            wi[i] = 1; /* still orthogonal only if the rest are; try again */
            i--; if (i < -1) i = -1;
            for (k = 0; k < n; k++) wi[k] = (rnn_real)rnn_rng_normal(r);
            continue;
        }
        for (k = 0; k < n; k++) wi[k] = (rnn_real)(wi[k] / norm);
    }
}

/* >>rnn =================================================================== */
/*
   The simple (Elman) RNN: one hidden state h, fed back at every step
   through the same weights. One step of a cell, for a batch of B rows, is
   a pair of functions on an rnn_cell_io (declared above):
     forward   1. the gates' pre-activations: a = gx + h<t-1> W_hh^T + b_hh.
                  gx (B, G*H) is the input side x<t> W_ih^T + b_ih, which the
                  model computes for all T steps in one product before the
                  time loop. This is the decks' W [h<t-1>, x<t>] + b with
                  W = [W_hh | W_ih] split in two column blocks, and
                  b = b_ih + b_hh (two biases, as PyTorch has them);
               2. the activations, element by element.
     backward  receives dh = dL/dh<t> and runs the same two parts in
               reverse, down to the gradient at the pre-activations and at
               h<t-1>. The weights' gradients are left to the loop over time
               (>>time): they are sums over all the steps.
   All arrays are (B, width), row-major.
*/

/* The hidden side of the first n gate rows: out (B, n, row stride ld) =
   h W_hh^T + b_hh, with h (B, H). b_hh is copied into every row first, then
   the product adds to it (beta = 1). */
static void rnn__hidden_side(rnn_real *out, int ld, const rnn_real *h, int ldh,
                             const rnn_real *W_hh, const rnn_real *b_hh, int n, int B, int H)
{
    int b;
    for (b = 0; b < B; b++)
        memcpy(out + (size_t)b * ld, b_hh, sizeof(rnn_real) * (size_t)n);
    rnn_gemm(0, 1, B, n, H, h, ldh, W_hh, H, 1, out, ld);
}

/* h<t-1> as the recurrent product reads it, and where its gradient goes */
static const rnn_real *rnn__h_rec(const rnn_cell_io *io) { return io->h_rec ? io->h_rec : io->h_prev; }
static rnn_real *rnn__dh_rec(const rnn_cell_io *io) { return io->dh_rec ? io->dh_rec : io->dh_prev; }

/* [rnn.recurrence] h(t) = f(h(t-1), x(t); theta): the same function and the
   same weights at every step. Here f is one tanh (or ReLU) layer. */
RNNDEF void rnn_simple_forward(const rnn_cell_io *io)
{
    int H = io->H;
    size_t i, n = (size_t)io->B * H;
    rnn_real *h = io->h;
    rnn__hidden_side(h, H, rnn__h_rec(io), H, io->W_hh, io->b_hh, H, io->B, H); /* W_aa a<t-1> + b_hh */
    for (i = 0; i < n; i++) h[i] += io->gx[i];                                    /* + W_ax x<t> + b_ih */
    /* [rnn.state] a<t> = g1(W_aa a<t-1> + W_ax x<t> + b_a), g1 = tanh or ReLU
       [rnn.simple] h<t> = g(W x<t> + U h<t-1> + b)  (Keras' names)
       [rnn.state-stacked] the same as a<t> = g(W_a [a<t-1>, x<t>] + b_a) */
    if (io->cell == RNN_RELU) for (i = 0; i < n; i++) h[i] = h[i] > 0 ? h[i] : 0;
    else rnn__tanh_v(h, n);                 /* tanh over all B*H at once */
}

/* Deck D3's BPTT, one step, line by line (there h = h(t), W = W_hh, U = W_ih,
   b = b_ih + b_hh; dh already holds V^T grad_o(t) L plus the term that step
   t+1 sent back). What is left for the loop over time: [bptt.dW] grad_W L =
   sum_t da(t) h(t-1)^T, [bptt.dU] grad_U L = sum_t da(t) x(t)^T, [bptt.db]
   grad_b L = sum_t da(t), from the da of every step. */
RNNDEF void rnn_simple_backward(const rnn_cell_io *io)
{
    int H = io->H;
    size_t i, n = (size_t)io->B * H;
    const rnn_real *h = io->h, *dh = io->dh;
    rnn_real *da = io->dgx;
    for (i = 0; i < n; i++) /* da = diag(1 - h(t)^2) grad_h(t) L  (ReLU: diag([h(t) > 0])) */
        da[i] = dh[i] * (io->cell == RNN_RELU ? (h[i] > 0 ? 1 : 0) : RNN__DTANH(h[i]));
    memcpy(io->dgh, da, sizeof(rnn_real) * n); /* the hidden side's gradient is the same da */
    /* [bptt.dh] grad_h(t-1) L += W^T da: the recurrent term that goes back a step */
    rnn_gemm(0, 0, io->B, H, H, da, H, io->W_hh, H, 1, rnn__dh_rec(io), H);
}

/* >>outputs =============================================================== */
/*
   [rnn.output] y<t> = g2(W_ya a<t> + b_y), g2 in {softmax, sigmoid, linear}.
   The model computes the logits o = W_ya a<t> + b_y for all steps in one
   product; these functions apply g2, add up the loss over n rows, and write
   d_o = scale * dL/do (scale = 1/B: the loss is averaged over the batch).
   A NULL target computes y only (d_o = 0, loss 0); a softmax target of -1
   means "no loss at this step". Each pair (g2, loss) has the simple gradient
   y - target, which is why they travel together.
*/
RNNDEF rnn_real rnn_softmax_ce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const int *target,
                               int n, int V, rnn_real scale)
{
    double loss = 0;
    int r, k;
    for (r = 0; r < n; r++) {
        const rnn_real *orow = o + (size_t)r * V;
        rnn_real *yrow = y + (size_t)r * V, *drow = d_o + (size_t)r * V;
        int t = target ? target[r] : -1;
        rnn_real mx, s = rnn__softmax_exp(yrow, orow, V, &mx); /* rnn_softmax, keeping s and mx */
        rnn__divide(yrow, V, s);
        if (t < 0) { memset(drow, 0, sizeof(rnn_real) * (size_t)V); continue; }
        /* [loss.ce] L<t> = -log y^<t>_{y<t>}, computed as
           log sum_k e^{o_k - mx} + mx - o_t so a tiny probability cannot give log(0) */
        loss += (double)(rnn__log(s) + mx - orow[t]);
        /* grad_o(t) L = y^(t) - onehot(y(t)) */
        for (k = 0; k < V; k++) drow[k] = scale * (yrow[k] - (k == t ? 1 : 0));
    }
    return (rnn_real)loss;
}

RNNDEF rnn_real rnn_sigmoid_bce(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                                int n, int Y, rnn_real scale)
{
    double loss = 0;
    size_t i;
    for (i = 0; i < (size_t)n * Y; i++) {
        rnn_real a = o[i], t;
        y[i] = rnn_sigmoid(a);
        if (!target) { d_o[i] = 0; continue; }
        t = target[i];
        /* [loss.bce] L<t>(y^, y) = -y log y^ - (1-y) log(1-y^), written in
           terms of the logit: max(a,0) - a y + log(1 + e^{-|a|}) (the same
           number, but finite even when y^ rounds to 0 or 1) */
        loss += (double)((a > 0 ? a : 0) - a * t + rnn__log(1 + rnn__exp(a > 0 ? -a : a)));
        d_o[i] = scale * (y[i] - t); /* dL/da = y^ - y */
    }
    return (rnn_real)loss;
}

RNNDEF rnn_real rnn_linear_mse(rnn_real *y, rnn_real *d_o, const rnn_real *o, const rnn_real *target,
                               int n, int Y, rnn_real scale)
{
    double loss = 0;
    size_t i;
    for (i = 0; i < (size_t)n * Y; i++) {
        y[i] = o[i];
        if (!target) { d_o[i] = 0; continue; }
        /* [loss.mse] E(X, Theta) = (1/2P) sum_i |y'_i - y_i|^2: here 1/2 per
           squared error, and the 1/P is the model's 1/B (scale) */
        loss += 0.5 * (double)(o[i] - target[i]) * (o[i] - target[i]);
        d_o[i] = scale * (o[i] - target[i]);
    }
    return (rnn_real)loss;
}

/* >>time ================================================================== */
/*
   The loop over time. A model runs one cell T times, each step reading the
   state the step before left: [rnn.recurrence] h(t) = f(h(t-1), x(t)).
   rnn_forward is that loop for every layer, then the output layer and the
   loss of every step; rnn_backward runs it back (backpropagation through
   time): each step's backward gives the gradient at the step before, and
   the weights' gradients are sums over all the steps.
   The layers' options (>>deeper) are hooks around the cell call, each doing
   nothing when its option is off:
     [skip]        a skip connection adds W_skip h(t-d) to the gates' input
     [dropout]     the recurrent product reads h(t-1) times a mask
     [leaky]       h(t) = (1 - alpha) h(t-1) + alpha (the cell's output)
     [embed.pad]   a padded step (mask 0) leaves the state as it was
   and, around the loop, the embedding, the input dropout, and the merging
   of a bidirectional level's two directions.
*/

/* the hooks of >>deeper, around the cell (forward, then backward) */
static void rnn__skip(rnn_model *m, rnn_layer *L, int k);
static void rnn__dropout_recurrent(rnn_model *m, rnn_layer *L, rnn_cell_io *io);
static void rnn__leak(rnn_layer *L, rnn_cell_io *io);
static void rnn__pad(rnn_model *m, rnn_layer *L, int k);
static void rnn__pad_backward(rnn_model *m, rnn_layer *L, int k);
static void rnn__leak_backward(rnn_layer *L, rnn_cell_io *io);
static void rnn__dropout_recurrent_backward(rnn_model *m, rnn_layer *L, rnn_cell_io *io);
static void rnn__dropout_recurrent_backward_end(rnn_model *m, rnn_layer *L, const rnn_cell_io *io);
static void rnn__skip_backward(rnn_model *m, rnn_layer *L, int k);
static void rnn__pad_restore(rnn_model *m, rnn_layer *L, int k);
/* and around the loop */
static int rnn__rec_dropped(const rnn_model *m, const rnn_layer *L);
static void rnn__dropout_masks(rnn_model *m, rnn_layer *L);
static const rnn_real *rnn__layer_input(rnn_model *m, rnn_layer *L, int l, int forward);
static rnn_real *rnn__layer_dinput(rnn_model *m, int l);
static const rnn_real *rnn__top_output(const rnn_model *m);
static rnn_real *rnn__top_doutput(const rnn_model *m);
static void rnn__embed(rnn_model *m, const int *tokens);
static void rnn__embed_backward(rnn_model *m);
static void rnn__bi_merge(rnn_model *m, int l);
static void rnn__bi_split(rnn_model *m, int l);
static void rnn__bi_final(rnn_model *m);

/* The arrays of one step k of layer L, named for its cell. k counts the
   steps in the order the layer reads them: a reverse layer ([birnn]) reads
   time t = T-1-k, so gx and dgx (computed in time order, against x) are
   picked by t, the states and the cache by k. */
static void rnn__layer_io(rnn_cell_io *io, const rnn_model *m, const rnn_layer *L, int k)
{
    int B = m->B, H = L->H, t = L->reverse ? m->T - 1 - k : k;
    size_t BH = (size_t)B * H, BG = (size_t)B * L->G * H;
    io->cell = L->cell; io->flags = L->flags; io->B = B; io->H = H;
    io->W_hh = L->W_hh; io->b_hh = L->b_hh; io->p = L->p;
    io->gx = L->gx + t * BG;
    io->h_prev = L->h + k * BH;
    io->c_prev = L->c + k * BH;
    io->h_rec = NULL;                                        /* W_hh reads h_prev itself */
    io->h = L->leak ? L->hc + k * BH : L->h + (k + 1) * BH; /* a leaky layer mixes it in after */
    io->c = L->c + (k + 1) * BH;
    io->cache = L->cache + (size_t)k * B * rnn_cell_cache_width(L->cell) * H;
    io->dh = L->dh + (k + 1) * BH;
    io->dc = L->dc + (k + 1) * BH;
    io->dgx = L->dgx + t * BG;
    io->dgh = L->dgh + k * BG;
    io->dh_prev = L->dh + k * BH;
    io->dc_prev = L->dc + k * BH;
    io->dh_rec = NULL;
    io->dp = L->dp;
}

/* One step of one layer: from row k of its state to row k+1. This is the
   only place the model calls a cell, in training and in generation alike. */
static void rnn__layer_step(rnn_model *m, rnn_layer *L, int k)
{
    rnn_cell_io io;
    rnn__layer_io(&io, m, L, k);
    rnn__skip(m, L, k);                 /* skip:      gx(t) += W_skip h(t-d)             */
    rnn__dropout_recurrent(m, L, &io);  /* dropout:   W_hh reads h(t-1) * mask           */
    rnn_cell_forward(&io);              /* the cell: h(t) (and c(t)) from h(t-1) and gx(t) */
    rnn__leak(L, &io);                  /* leak:      h(t) = (1-alpha) h(t-1) + alpha h_cell */
    rnn__pad(m, L, k);                  /* padding:   a padded step keeps the state      */
}

/* The backward of rnn__layer_step: from dh row k+1 (complete by now: every
   later step has sent its part back) to dh row k. */
static void rnn__layer_step_backward(rnn_model *m, rnn_layer *L, int k)
{
    rnn_cell_io io;
    rnn__layer_io(&io, m, L, k);
    rnn__pad_backward(m, L, k);                     /* padding: a padded row passes dh, dc straight back */
    rnn__leak_backward(L, &io);                     /* leak: the cell gets alpha dh                       */
    rnn__dropout_recurrent_backward(m, L, &io);     /* dropout: the masked h(t-1) again                   */
    /* [bptt.dh] grad_h(t) L = W^T diag(1 - h(t+1)^2) grad_h(t+1) L + V^T grad_o(t) L: this
       step is the catalogue's t+1, and the cell adds the first term into dh
       row k; the head added the second before the loop (rnn__head_backward).
       The GRUs and LSTMs replace diag(1 - h^2) by their gates' derivatives. */
    rnn_cell_backward(&io);
    rnn__dropout_recurrent_backward_end(m, L, &io); /* dropout: dh(t-1) += mask * dL/d(h(t-1) * mask)    */
    rnn__skip_backward(m, L, k);                    /* skip: dW_skip, and dh(t-d)                         */
    rnn__pad_restore(m, L, k);                      /* padding: put the padded rows' dh, dc back          */
}

RNNDEF void rnn_cell_weight_grads(const rnn_cell_io *io, rnn_real *dW_hh, rnn_real *db_hh)
{
    int H = io->H, G = rnn_cell_gates(io->cell), U = rnn__cell_row_of(io->cell)->U;
    int GH = G * H, rows = U >= 0 ? GH - H : GH; /* the gate rows that multiply h<t-1> */
    size_t n = (size_t)io->B, b;
    int j;
    /* [bptt.dW] grad_W L = sum_t diag(1 - h(t)^2) (grad_h(t) L) h(t-1)^T: dW_hh += dgh^T h<t-1>
       [bp.delta] dE/dw_ij = delta_i y'_j, with delta = dgh and y' = h<t-1> */
    rnn_gemm(1, 0, rows, H, (int)n, io->dgh, GH, rnn__h_rec(io), H, 1, dW_hh, H);
    if (U >= 0) /* the last gate's rows multiplied cache block U (the GRU's u) instead */
        rnn_gemm(1, 0, H, H, (int)n, io->dgh + rows, GH, io->cache + (size_t)U * H,
                 rnn_cell_cache_width(io->cell) * H, 1, dW_hh + (size_t)rows * H, H);
    for (b = 0; b < n; b++)
        for (j = 0; j < GH; j++)
            db_hh[j] += io->dgh[b * GH + j]; /* [bptt.db] grad_b L = sum_t diag(1 - h(t)^2) grad_h(t) L */
}

/* Make room for T steps of B rows. Row 0 of the state (the initial state)
   survives a change of T; a change of B resets it to zero. No allocation
   happens when the buffers are already large enough, so a training loop
   allocates once and never inside the time loop. */
RNNDEF rnn_status rnn_reserve(rnn_model *m, int T, int B)
{
    uint64_t total = 0; /* in 64 bits, and checked against SIZE_MAX before use */
    size_t off = 0;
    int l, Y = m->desc.output_size;
    size_t Xin = (size_t)(m->desc.embed_size ? m->desc.embed_size : m->desc.input_size);
    int B_asked = B;
    rnn_real *nb;
    /* T*B rows of every buffer: the products take it as an int */
    m->error[0] = 0;
    if (T <= 0 || B <= 0 || T > (1 << 24) || B > (1 << 20) || (uint64_t)T * B > (uint64_t)INT_MAX)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_reserve: T = %d, B = %d; expected T in 1..%d, B in 1..%d, T*B <= %d",
                         T, B, 1 << 24, 1 << 20, INT_MAX);
    if (T <= m->T_cap && B <= m->B_cap) {
        if (B != m->B) { m->B = B; rnn_reset_state(m); }
        return RNN_OK;
    }
    if (T < m->T_cap) T = m->T_cap;
    if (B < m->B_cap) B = m->B_cap;
    for (l = 0; l < m->L; l++) {
        const rnn_layer *L = &m->layers[l];
        uint64_t GH = (uint64_t)L->G * L->H, H = (uint64_t)L->H;
        total += 3 * (uint64_t)T * B * GH + 4 * (uint64_t)(T + 1) * B * H
               + (uint64_t)T * B * rnn_cell_cache_width(L->cell) * H + 3 * (uint64_t)B * H
               + (L->leak ? (uint64_t)T * B * H : 0) + (m->D == 2 && !L->reverse ? 4 * (uint64_t)T * B * H : 0)
               + (L->p_in > 0 || L->p_step > 0 ? 3 * (uint64_t)T * B * L->X : 0) + (L->p_rec > 0 ? 3 * (uint64_t)B * H : 0);
    }
    total += 3 * (uint64_t)T * B * Y + 2 * (uint64_t)T * B * Xin;
    if (m->D == 2) total += 4 * (uint64_t)B * m->desc.hidden_size;
    if (total >= (uint64_t)SIZE_MAX / sizeof(rnn_real)) /* more than memory can hold */
        return rnn__fail(m->error, RNN_ERR_NOMEM, "rnn_reserve: T = %d, B = %d need more memory than can be addressed", T, B);
    nb = (rnn_real *)RNN_MALLOC(sizeof(rnn_real) * (size_t)(total ? total : 1));
    if (!nb) return rnn__fail(m->error, RNN_ERR_NOMEM, "rnn_reserve: out of memory for %.0f numbers (T = %d, B = %d)",
                              (double)total, T, B);
    memset(nb, 0, sizeof(rnn_real) * (size_t)total);
    for (l = 0; l < m->L; l++) {
        rnn_layer *L = &m->layers[l];
        size_t GH = (size_t)L->G * L->H, H = (size_t)L->H;
        rnn_real *old_h = L->h, *old_c = L->c;
        L->gx = nb + off; off += (size_t)T * B * GH;
        L->dgx = nb + off; off += (size_t)T * B * GH;
        L->dgh = nb + off; off += (size_t)T * B * GH;
        L->h = nb + off; off += (size_t)(T + 1) * B * H;
        L->c = nb + off; off += (size_t)(T + 1) * B * H;
        L->dh = nb + off; off += (size_t)(T + 1) * B * H;
        L->dc = nb + off; off += (size_t)(T + 1) * B * H;
        L->cache = nb + off; off += (size_t)T * B * rnn_cell_cache_width(L->cell) * H;
        L->lwork = nb + off; off += (size_t)B * H;
        L->mwork = nb + off; off += 2 * (size_t)B * H;
        if (L->leak) { L->hc = nb + off; off += (size_t)T * B * H; }
        if (m->D == 2 && !L->reverse) {
            L->out = nb + off; off += 2 * (size_t)T * B * H;
            L->dout = nb + off; off += 2 * (size_t)T * B * H;
        }
        if (L->p_in > 0 || L->p_step > 0) {
            L->xin = nb + off; off += (size_t)T * B * L->X;
            L->xmask = nb + off; off += (size_t)T * B * L->X;
            L->dxin = nb + off; off += (size_t)T * B * L->X;
        }
        if (L->p_rec > 0) {
            L->rmask = nb + off; off += (size_t)B * H;
            L->rh = nb + off; off += (size_t)B * H;
            L->drh = nb + off; off += (size_t)B * H;
        }
        if (old_h && m->B > 0) { /* keep the initial state of the current batch size */
            memcpy(L->h, old_h, sizeof(rnn_real) * (size_t)m->B * H);
            memcpy(L->c, old_c, sizeof(rnn_real) * (size_t)m->B * H);
        }
    }
    m->o = nb + off; off += (size_t)T * B * Y;
    m->y = nb + off; off += (size_t)T * B * Y;
    m->d_o = nb + off; off += (size_t)T * B * Y;
    m->dx = nb + off; off += (size_t)T * B * Xin;
    m->emb = nb + off; off += (size_t)T * B * Xin;
    if (m->D == 2) {
        m->final = nb + off; off += 2 * (size_t)B * m->desc.hidden_size;
        m->dfinal = nb + off; off += 2 * (size_t)B * m->desc.hidden_size;
    }
    RNN_FREE(m->buffer);
    m->buffer = nb;
    m->T_cap = T; m->B_cap = B;
    if (B_asked != m->B) { m->B = B_asked; rnn_reset_state(m); }
    return RNN_OK;
}

/* h<0> = 0 (and c<0> = 0) for every layer: the start of a new sequence.
   Only row 0 (B rows of the current batch size) is cleared; the states of
   the last forward pass, rows 1..T, stay readable. */
RNNDEF void rnn_reset_state(rnn_model *m)
{
    int l;
    for (l = 0; l < m->L; l++) {
        rnn_layer *L = &m->layers[l];
        if (!L->h) continue;
        memset(L->h, 0, sizeof(rnn_real) * (size_t)m->B * L->H);
        memset(L->c, 0, sizeof(rnn_real) * (size_t)m->B * L->H);
    }
}

/* [tbptt] Truncated BPTT: split a long sequence in chunks of T steps; after
   each chunk, the last state becomes the next chunk's initial state (row T
   is copied to row 0), so the forward pass sees the whole past. The
   backward pass stops at row 0: the copied state is a constant to the next
   chunk, and no gradient flows into the chunk before. (Only meaningful for
   one direction: a reverse layer's last state is the start of the chunk.) */
RNNDEF void rnn_carry_state(rnn_model *m)
{
    int l;
    for (l = 0; l < m->L; l++) {
        rnn_layer *L = &m->layers[l];
        size_t BH = (size_t)m->B * L->H;
        if (!L->h || m->T <= 0) continue;
        memmove(L->h, L->h + (size_t)m->T * BH, sizeof(rnn_real) * BH); /* [tbptt] h<0> of the next chunk = h<T> */
        memmove(L->c, L->c + (size_t)m->T * BH, sizeof(rnn_real) * BH);
    }
}

/* Teacher forcing and free running (deck D3): in training, the input of
   step t+1 can be the true output of step t (what the data says, whatever
   the model predicted), the model's own prediction (what it will have to
   live with when it generates), or nothing. rnn_forward reads whatever the
   batch holds; this builds that input one step at a time. */
RNNDEF rnn_status rnn_next_input(int *x_next, rnn_feedback mode, const int *y,
                                 const rnn_real *o, int B, int V, int start)
{
    int b;
    if (B < 1 || V < 1 || !x_next) return RNN_ERR_ARG;
    if (start < 0 || start >= V) return RNN_ERR_TOKEN;
    if (mode == RNN_TEACHER_FORCING) {
        if (!y) return RNN_ERR_ARG;
        for (b = 0; b < B; b++) if (y[b] < -1 || y[b] >= V) return RNN_ERR_TOKEN;
        for (b = 0; b < B; b++)
            x_next[b] = y[b] >= 0 ? y[b] : start; /* [teacher-forcing] x(t+1) = y(t), the desired output */
    } else if (mode == RNN_FREE_RUNNING) {
        if (!o) return RNN_ERR_ARG;
        for (b = 0; b < B; b++)
            x_next[b] = rnn_argmax(o + (size_t)b * V, V); /* x(t+1) = argmax o(t): free running, [arch.one-to-many] */
    } else if (mode == RNN_NO_FEEDBACK) {
        for (b = 0; b < B; b++) x_next[b] = start;
    } else return RNN_ERR_ARG;
    return RNN_OK;
}

/* The batch fits the model: exactly one kind of input, every token and
   target in range. Nothing is changed. */
static rnn_status rnn__check_batch(rnn_model *m, const rnn_batch *b, const char *fn)
{
    int X = m->desc.input_size, Y = m->desc.output_size;
    size_t i, n, first;
    int dropping = m->train_rng != NULL && m->desc.dropout_input > 0;
    static const char *out_name[] = {"default", "RNN_SOFTMAX", "RNN_SIGMOID", "RNN_LINEAR"};
    const char *out = (int)m->desc.output >= 0 && (int)m->desc.output <= 3 ? out_name[m->desc.output] : "?";
    if (b->T <= 0 || b->B <= 0)
        return rnn__fail(m->error, RNN_ERR_ARG, "%s: batch has T = %d, B = %d; both must be at least 1", fn, b->T, b->B);
    if (!b->x && !b->x_tokens) /* exactly one input */
        return rnn__fail(m->error, RNN_ERR_ARG, "%s: batch has neither x nor x_tokens; set one of them", fn);
    if (b->x && b->x_tokens)
        return rnn__fail(m->error, RNN_ERR_ARG, "%s: batch has both x and x_tokens; set only one", fn);
    if (m->desc.embed_size && !b->x_tokens) /* an embedding reads tokens */
        return rnn__fail(m->error, RNN_ERR_ARG, "%s: batch has dense x but the model has an embedding (embed_size %d); give x_tokens", fn,
                         m->desc.embed_size);
    n = (size_t)b->T * b->B;
    /* loss_last_only reads only the last step's targets: the others are not checked */
    first = m->desc.loss_last_only ? n - (size_t)b->B : 0;
    if (b->x_tokens)
        for (i = 0; i < n; i++) if (b->x_tokens[i] < 0 || b->x_tokens[i] >= X)
            return rnn__fail(m->error, RNN_ERR_TOKEN, "%s: x_tokens[%lu] is %d; expected 0..%d (input_size %d, the vocabulary)", fn,
                             (unsigned long)i, b->x_tokens[i], X - 1, X);
    if (b->y_tokens) {
        if (Y == 0)
            return rnn__fail(m->error, RNN_ERR_SIZE, "%s: batch has y_tokens but output_size is 0 (no output layer); set output_size to the number of classes", fn);
        if (m->desc.output != RNN_SOFTMAX)
            return rnn__fail(m->error, RNN_ERR_SIZE, "%s: batch has y_tokens (classes) but the model's output is %s; give dense y", fn, out);
        for (i = first; i < n; i++) if (b->y_tokens[i] < -1 || b->y_tokens[i] >= Y)
            return rnn__fail(m->error, RNN_ERR_TOKEN, "%s: y_tokens[%lu] is %d; expected -1 (no target) or 0..%d (output_size %d)", fn,
                             (unsigned long)i, b->y_tokens[i], Y - 1, Y);
    }
    if (b->y && Y == 0)
        return rnn__fail(m->error, RNN_ERR_SIZE, "%s: batch has y but output_size is 0 (no output layer); set output_size to the outputs per step", fn);
    if (b->y && m->desc.output == RNN_SOFTMAX)
        return rnn__fail(m->error, RNN_ERR_SIZE, "%s: batch has dense y but the model's output is RNN_SOFTMAX; give the classes in y_tokens", fn);
    /* a NaN or Inf input or target would give a finite-looking forward (a
       saturated tanh) and NaN gradients: refuse it here, where it is seen */
    if (b->x) for (i = 0; i < n * X; i++) if (!(b->x[i] - b->x[i] == 0))
        return rnn__fail(m->error, RNN_ERR_NAN, "%s: x[%lu] is %g; expected a finite number", fn, (unsigned long)i, (double)b->x[i]);
    if (b->y) for (i = first * Y; i < n * Y; i++) if (!(b->y[i] - b->y[i] == 0))
        return rnn__fail(m->error, RNN_ERR_NAN, "%s: y[%lu] is %g; expected a finite number", fn, (unsigned long)i, (double)b->y[i]);
    if (dropping && !m->desc.embed_size && b->x_tokens) /* dropping a one-hot input drops the whole token */
        return rnn__fail(m->error, RNN_ERR_ARG, "%s: dropout_input %g on one-hot x_tokens would drop whole tokens; use an embedding (embed_size)", fn,
                         (double)m->desc.dropout_input);
    return RNN_OK;
}

/* Buffers for T steps of B rows, and what backward will read of the batch. */
static rnn_status rnn__begin(rnn_model *m, const rnn_batch *b)
{
    rnn_status st = rnn_reserve(m, b->T, b->B);
    if (st != RNN_OK) return st;
    m->T = b->T; m->B = b->B;
    m->dropped = m->train_rng != NULL &&
                 (m->desc.dropout > 0 || m->desc.dropout_input > 0 || m->desc.dropout_recurrent > 0);
    m->mask = b->mask;
    m->x_tokens = b->x_tokens;
    m->x_dense = b->x;
    return RNN_OK;
}

/* The input side of every gate for all T steps in one product, before the
   loop (Keras' 'cpu' mode, cuDNN): gx = x W_ih^T + b_ih. Only the recurrent
   product has to wait for the step before. */
static void rnn__input_side(rnn_model *m, rnn_layer *L, int l)
{
    size_t n = (size_t)m->T * m->B, i;
    int GH = L->G * L->H, j;
    const rnn_real *x = rnn__layer_input(m, L, l, 1); /* [deep] level l reads level l-1's output */
    if (x) { /* b_ih in every row, then the product adds to it (beta = 1) */
        for (i = 0; i < n; i++) memcpy(L->gx + i * GH, L->b_ih, sizeof(rnn_real) * (size_t)GH);
        rnn_gemm(0, 1, (int)n, GH, L->X, x, L->X, L->W_ih, L->X, 1, L->gx, GH);
    } else {
        for (i = 0; i < n; i++) {
            int tok = m->x_tokens[i];
            for (j = 0; j < GH; j++) /* [onehot] W_ih times a one-hot vector is a column of W_ih */
                L->gx[i * GH + j] = L->W_ih[(size_t)j * L->X + tok] + L->b_ih[j];
        }
    }
}

/* The loop over time of one layer: the same step T times. */
static void rnn__layer_forward(rnn_model *m, rnn_layer *L)
{
    int k;
    rnn__dropout_masks(m, L); /* [dropout] the recurrent mask, one per sequence */
    for (k = 0; k < m->T; k++)
        rnn__layer_step(m, L, k); /* [rnn.recurrence] h(t) = f(h(t-1), x(t); theta), t = 1..T */
}

/* The output layer on every step and the loss. Returns the loss, averaged
   over the B sequences. */
static rnn_real rnn__head_and_loss(rnn_model *m, const rnn_batch *b)
{
    int T = m->T, B = m->B, Y = m->desc.output_size, HD = m->desc.hidden_size * m->D, j;
    size_t n = (size_t)T * B, i;
    size_t first = m->desc.loss_last_only ? (size_t)(T - 1) * B : 0; /* rows with a loss */
    rnn_real scale = (rnn_real)1 / (rnn_real)B, total = 0;
    if (Y == 0) return 0;
    /* [rnn.output] the logits of every step in one product: o = h W_hy^T + b_y */
    rnn_gemm(0, 1, (int)n, Y, HD, rnn__top_output(m), HD, m->W_hy, HD, 0, m->o, Y);
    if (m->D == 2 && m->desc.loss_last_only) {
        /* Bidirectional many-to-one: at the last step the reverse direction has
           read one token only; the summary of the whole sequence in that
           direction is its final state. So the head reads both final
           states, [h->(T), h<-(T)] (PyTorch's h_n of the top level, and
           Keras' Bidirectional without return_sequences). */
        rnn__bi_final(m);
        rnn_gemm(0, 1, B, Y, HD, m->final, HD, m->W_hy, HD, 0, m->o + (size_t)(T - 1) * B * Y, Y);
    }
    for (i = 0; i < n; i++)
        for (j = 0; j < Y; j++) m->o[i * Y + j] += m->b_y[j];
    /* row by row: a row has a loss if it is at or after `first`, has a
       target, and is not a padded step (with loss_last_only the last step
       counts even when padded: the state carried through the padding is
       the state after the last real step) */
    for (i = 0; i < n; i++) {
        int has = i >= first && (b->y || b->y_tokens) &&
                  (!m->mask || m->mask[i] || m->desc.loss_last_only);
        rnn_real *yr = m->y + i * Y, *dr = m->d_o + i * Y, l_t;
        const rnn_real *orow = m->o + i * Y;
        switch (m->desc.output) { /* L<t>, and y<t> and dL/do(t) */
        case RNN_SIGMOID: l_t = rnn_sigmoid_bce(yr, dr, orow, has ? b->y + i * Y : NULL, 1, Y, scale); break;
        case RNN_LINEAR: l_t = rnn_linear_mse(yr, dr, orow, has ? b->y + i * Y : NULL, 1, Y, scale); break;
        default: l_t = rnn_softmax_ce(yr, dr, orow, has ? b->y_tokens + i : NULL, 1, Y, scale);
        }
        /* [loss.sum] L = sum_{t=1}^{Ty} L<t>: [arch.many-to-many] a loss at every step, or
           [arch.many-to-one] with loss_last_only L = L(tau), the last step only */
        total += l_t;
    }
    m->has_targets = (b->y || b->y_tokens);
    return total * scale; /* averaged over the B sequences */
}

/* The forward pass over T steps from the initial state in row 0. The
   architectures of the course are ways of calling it: [arch.many-to-many]
   a target at every step (tagging, language models); [arch.many-to-one]
   desc.loss_last_only (sentiment); [arch.one-to-many] one input, then
   rnn_generate() feeds the outputs back (captioning, generation);
   [arch.seq2seq] two models and rnn_state_copy(). The inputs are the
   batch's: to train with teacher forcing, the batch holds the true previous
   outputs (rnn_next_input builds them). fn: the public call that runs
   it, named in the error messages. */
static rnn_status rnn__forward(rnn_model *m, const rnn_batch *b, rnn_real *loss, const char *fn)
{
    int l, d;
    rnn_status st;
    rnn_real total;
    if (loss) *loss = 0;
    m->has_targets = 0;
    m->error[0] = 0;
    if ((st = rnn__check_batch(m, b, fn)) != RNN_OK) return st; /* 1. the batch fits the model */
    if ((st = rnn__begin(m, b)) != RNN_OK) return st;       /*    buffers for T steps of B    */
    rnn__embed(m, b->x_tokens);                             /* 2. the embedding of the tokens */
    for (l = 0; l < m->desc.num_layers; l++) {              /* 3. level by level (stacked)    */
        for (d = 0; d < m->D; d++) {                        /*    each direction              */
            rnn_layer *L = &m->layers[l * m->D + d];
            rnn__input_side(m, L, l);                       /*    gx for all T steps at once  */
            rnn__layer_forward(m, L);                       /*    the loop over T             */
        }
        rnn__bi_merge(m, l);                                /*    bidirectional: [h->, h<-]   */
    }
    total = rnn__head_and_loss(m, b);                       /* 4. outputs and the loss       */
    if (loss) *loss = total;
    if (!(total == total) || total > 1e30 || total < -1e30)
        return rnn__fail(m->error, RNN_ERR_NAN, "%s: the loss is %g; the weights have diverged (lower the learning rate, clip the gradients)",
                         fn, (double)total);
    return RNN_OK;
}
RNNDEF rnn_status rnn_forward(rnn_model *m, const rnn_batch *b, rnn_real *loss)
{
    return rnn__forward(m, b, loss, "rnn_forward");
}

/* The top level's outputs out<t> (see the declaration). */
RNNDEF const rnn_real *rnn_outputs(rnn_model *m)
{
    m->error[0] = 0;
    if (m->T <= 0 || !m->layers[0].h) {
        rnn__fail(m->error, RNN_ERR_ARG, "rnn_outputs: no forward yet; call rnn_forward first");
        return NULL;
    }
    return rnn__top_output(m);
}

/* The head's backward: [bptt.dV] and [bptt.dc] for W_hy and b_y, and the
   second term of [bptt.dh], V^T grad_o(t) L, into the top level's dh. */
static void rnn__head_backward(rnn_model *m)
{
    int T = m->T, B = m->B, Y = m->desc.output_size, HD = m->desc.hidden_size * m->D, j;
    size_t n = (size_t)T * B, i;
    if (Y == 0 || !m->has_targets) return;
    if (m->D == 2 && m->desc.loss_last_only) {
        /* bidirectional many-to-one: only the last step has a loss, and its head read
           [h->(T), h<-(T)]: the same three products on that one row of B */
        const rnn_real *d_last = m->d_o + (size_t)(T - 1) * B * Y;
        rnn_layer *F = &m->layers[(m->desc.num_layers - 1) * 2], *R = F + 1;
        size_t BH = (size_t)B * F->H;
        int H = F->H;
        rnn_gemm(1, 0, Y, HD, B, d_last, Y, m->final, HD, 1, m->dW_hy, HD);
        for (i = 0; i < (size_t)B; i++)
            for (j = 0; j < Y; j++) m->db_y[j] += d_last[i * Y + j];
        rnn_gemm(0, 0, B, HD, Y, d_last, Y, m->W_hy, HD, 0, m->dfinal, HD);
        for (i = 0; i < (size_t)B; i++)
            for (j = 0; j < H; j++) {
                F->dh[(size_t)T * BH + i * H + j] += m->dfinal[i * HD + j];
                R->dh[(size_t)T * BH + i * H + j] += m->dfinal[i * HD + H + j];
            }
        return;
    }
    /* [bptt.dV] grad_V L = sum_t (grad_o(t) L) h(t)^T */
    rnn_gemm(1, 0, Y, HD, (int)n, m->d_o, Y, rnn__top_output(m), HD, 1, m->dW_hy, HD);
    for (i = 0; i < n; i++)
        for (j = 0; j < Y; j++) m->db_y[j] += m->d_o[i * Y + j]; /* [bptt.dc] grad_c L = sum_t grad_o(t) L */
    /* the second term of [bptt.dh]: V^T grad_o(t) L, for every t at once */
    rnn_gemm(0, 0, (int)n, HD, Y, m->d_o, Y, m->W_hy, HD, 1, rnn__top_doutput(m), HD);
}

/* The input side's backward, for all T steps at once (the three sums
   over t of D3's BPTT that involve x): db_ih, dW_ih, and dL/dx. */
static void rnn__input_side_backward(rnn_model *m, rnn_layer *L, int l)
{
    size_t n = (size_t)m->T * m->B, i;
    int GH = L->G * L->H, j;
    const rnn_real *x = rnn__layer_input(m, L, l, 0);
    rnn_real *dx = rnn__layer_dinput(m, l);
    for (i = 0; i < n; i++)
        for (j = 0; j < GH; j++)
            L->db_ih[j] += L->dgx[i * GH + j]; /* [bptt.db] grad_b L = sum_t diag(1 - h(t)^2) grad_h(t) L, the input side's bias */
    if (x) {
        /* [bptt.dU] grad_U L = sum_t diag(1 - h(t)^2) (grad_h(t) L) x(t)^T: dW_ih += dgx^T x */
        rnn_gemm(1, 0, GH, L->X, (int)n, L->dgx, GH, x, L->X, 1, L->dW_ih, L->X);
        if (x != L->xin) /* dL/dx = dgx W_ih: into the level below, or dL/dx of the model */
            rnn_gemm(0, 0, (int)n, L->X, GH, L->dgx, GH, L->W_ih, L->X, 1, dx, L->X);
        else { /* [dropout] xin = x * mask, so dL/dx = mask * dL/dxin */
            size_t nx = n * L->X;
            rnn_gemm(0, 0, (int)n, L->X, GH, L->dgx, GH, L->W_ih, L->X, 0, L->dxin, L->X);
            for (i = 0; i < nx; i++) dx[i] += L->dxin[i] * L->xmask[i];
        }
    } else { /* one-hot input: dW_ih gets dgx in the token's column */
        for (i = 0; i < n; i++) {
            int tok = m->x_tokens[i];
            for (j = 0; j < GH; j++) L->dW_ih[(size_t)j * L->X + tok] += L->dgx[i * GH + j];
        }
    }
}

/* Backpropagation through time of one layer: the loop over T run backwards,
   then the weights' gradients, sums over all the steps. */
static void rnn__layer_backward(rnn_model *m, rnn_layer *L, int l)
{
    int k;
    /* [bptt.cost] The loop runs backwards one step after another: time
       O(tau), and no two steps can run in parallel, because step t needs
       the gradient that step t+1 sends back. */
    for (k = m->T - 1; k >= 0; k--) rnn__layer_step_backward(m, L, k);
    if (!rnn__rec_dropped(m, L)) {
        /* [bptt.dW] dW_hh += sum_t dgh(t)^T h(t-1): all T steps in one
           product, T*B rows (the dgh, h and cache rows of step k are
           consecutive). With recurrent dropout each step's share was added
           in the loop, since h(t-1) * mask is not kept for every step. */
        rnn_cell_io all;
        rnn__layer_io(&all, m, L, 0);
        all.B = m->T * m->B;
        rnn_cell_weight_grads(&all, L->dW_hh, L->db_hh);
    }
    rnn__input_side_backward(m, L, l); /* the input side: dW_ih, db_ih, dL/dx */
}

/* Backpropagation through time (see rnn_backward). Where it starts: the
   head's dL/do of the last forward (d_out NULL), or d_out = dL/dout<t>
   given at the top level's outputs (rnn_backward_outputs); optionally
   seeded with the gradient a decoder sent back to its initial state
   (seed). fn: the public call that runs it, named in the error messages. */
static rnn_status rnn__backward(rnn_model *m, const rnn_model *seed, const rnn_real *d_out, const char *fn)
{
    int T = m->T, B = m->B, l, d;
    size_t n = (size_t)T * B, i;
    if (T <= 0) /* nothing to differentiate */
        return rnn__fail(m->error, RNN_ERR_ARG, "%s: no forward to differentiate; call rnn_forward first", fn);
    if (!m->has_targets && !seed && !d_out && !m->desc.output_size)
        return rnn__fail(m->error, RNN_ERR_ARG, "%s: the model has no output layer (output_size 0); give dL/dout<t> to rnn_backward_outputs", fn);
    if (!m->has_targets && !seed && !d_out)
        return rnn__fail(m->error, RNN_ERR_ARG, "%s: the last rnn_forward had no targets (y or y_tokens); give the batch targets", fn);
    if (seed && (seed->L != m->L || seed->B != B))
        return rnn__fail(m->error, RNN_ERR_SIZE, "rnn_backward_from: decoder has %d layers, B = %d; the encoder has %d layers, B = %d",
                         seed->L, seed->B, m->L, B);
    for (l = 0; seed && l < m->L; l++) if (seed->layers[l].H != m->layers[l].H)
        return rnn__fail(m->error, RNN_ERR_SIZE, "rnn_backward_from: decoder layer %d has H = %d; the encoder's has %d",
                         l, seed->layers[l].H, m->layers[l].H);
    for (l = 0; l < m->L; l++) { /* the gradients that will be summed into */
        rnn_layer *L = &m->layers[l];
        memset(L->dh, 0, sizeof(rnn_real) * (n + B) * L->H);
        memset(L->dc, 0, sizeof(rnn_real) * (n + B) * L->H);
        if (L->dout) memset(L->dout, 0, sizeof(rnn_real) * n * 2 * L->H);
    }
    if (seed) { /* seq2seq: the decoder's dL/dh<0> is the encoder's dL/dh<T> */
        for (l = 0; l < m->L; l++) {
            size_t BH = (size_t)B * m->layers[l].H;
            for (i = 0; i < BH; i++) {
                m->layers[l].dh[(size_t)T * BH + i] += seed->layers[l].dh[i];
                m->layers[l].dc[(size_t)T * BH + i] += seed->layers[l].dc[i];
            }
        }
    }
    if (m->x_dense) memset(m->dx, 0, sizeof(rnn_real) * n * (m->desc.embed_size ? m->desc.embed_size : m->desc.input_size));
    if (d_out) {                                            /* 4. no head: dL/dout<t> is given      */
        rnn_real *top = rnn__top_doutput(m);
        size_t nd = n * m->desc.hidden_size * m->D;
        for (i = 0; i < nd; i++) top[i] += d_out[i];
    } else rnn__head_backward(m);                           /*    the head: dW_hy, db_y, V^T grad_o */
    for (l = m->desc.num_layers - 1; l >= 0; l--) {         /* 3. from the top level down           */
        rnn__bi_split(m, l);                                /*    bidirectional: to both directions */
        for (d = 0; d < m->D; d++)
            rnn__layer_backward(m, &m->layers[l * m->D + d], l); /* BPTT over T, then x's side  */
    }
    rnn__embed_backward(m);                                 /* 2. the embedding: dE[token]          */
    return RNN_OK;
}

/* Backpropagation through time, from the dL/do that rnn_forward() left.
   Every gradient is added (+=) to m->grads: call rnn_zero_grad() first.
   After it, layers[l].dh row 0 (and dc row 0) hold dL/dh<0> (dL/dc<0>),
   and m->dx holds dL/dx for a dense input (dL/de with an embedding). */
RNNDEF rnn_status rnn_backward(rnn_model *m) { m->error[0] = 0; return rnn__backward(m, NULL, NULL, "rnn_backward"); }

/* Backpropagation through time from dL/dout<t> given by the caller, for a
   model with no head: the same BPTT as rnn_backward, starting one product
   later (the head's V^T grad_o(t) L of [bptt.dh] is replaced by d_out). */
RNNDEF rnn_status rnn_backward_outputs(rnn_model *m, const rnn_real *d_out)
{
    m->error[0] = 0;
    if (!d_out)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_backward_outputs: d_out is NULL; give dL/dout<t>, (T, B, D*H) numbers");
    if (m->desc.output_size)
        return rnn__fail(m->error, RNN_ERR_SIZE, "rnn_backward_outputs: the model has an output layer (output_size %d); use rnn_backward, or output_size 0",
                         m->desc.output_size);
    return rnn__backward(m, NULL, d_out, "rnn_backward_outputs");
}

/* [arch.seq2seq] The encoder's backward, after the decoder's: the gradient
   the decoder's initial state received flows into the encoder's last state.
   The encoder may have no output layer (output_size 0) and no targets. */
RNNDEF rnn_status rnn_backward_from(rnn_model *encoder, const rnn_model *decoder)
{
    int l;
    encoder->error[0] = 0;
    /* the bridge must be the one rnn_state_copy() built: the same layers,
       hidden sizes and batch, and the decoder must have run its backward */
    if (decoder->L != encoder->L || decoder->B != encoder->B)
        return rnn__fail(encoder->error, RNN_ERR_SIZE, "rnn_backward_from: decoder has %d layers, B = %d; the encoder has %d layers, B = %d",
                         decoder->L, decoder->B, encoder->L, encoder->B);
    for (l = 0; l < encoder->L; l++) {
        if (decoder->layers[l].H != encoder->layers[l].H)
            return rnn__fail(encoder->error, RNN_ERR_SIZE, "rnn_backward_from: decoder layer %d has H = %d; the encoder's has %d",
                             l, decoder->layers[l].H, encoder->layers[l].H);
        if (!decoder->layers[l].dh || decoder->T <= 0)
            return rnn__fail(encoder->error, RNN_ERR_ARG, "rnn_backward_from: the decoder has not run rnn_forward and rnn_backward");
    }
    return rnn__backward(encoder, decoder, NULL, "rnn_backward_from");
}

/* One step from the current state, with no targets: the outputs are in
   m->y (B, Y) and the state moves on (row 1 becomes row 0). fn: the public
   call, for the error messages. */
static rnn_status rnn__step(rnn_model *m, int B, const rnn_real *x, const int *x_tokens, const char *fn)
{
    rnn_batch b;
    rnn_status st;
    memset(&b, 0, sizeof b);
    b.T = 1; b.B = B; b.x = x; b.x_tokens = x_tokens;
    st = rnn__forward(m, &b, NULL, fn);
    if (st != RNN_OK && st != RNN_ERR_NAN) return st;
    rnn_carry_state(m);
    return st;
}
RNNDEF rnn_status rnn_step(rnn_model *m, int B, const rnn_real *x, const int *x_tokens)
{
    return rnn__step(m, B, x, x_tokens, "rnn_step");
}

/* Free-running generation: feed each output back as the next input.
   first (B): the first input tokens; out (T, B): the tokens produced.
   temperature 0 means greedy (argmax). Needs input_size == output_size. */
RNNDEF rnn_status rnn_generate(rnn_model *m, int B, int T, const int *first,
                               int *out, rnn_real temperature, rnn_rng *r)
{
    int t, b, Y = m->desc.output_size;
    rnn_status st;
    m->error[0] = 0;
    if (Y != m->desc.input_size)
        return rnn__fail(m->error, RNN_ERR_SIZE, "rnn_generate: output_size %d differs from input_size %d; the outputs are fed back as inputs",
                         Y, m->desc.input_size);
    if (m->desc.output != RNN_SOFTMAX)
        return rnn__fail(m->error, RNN_ERR_SIZE, "rnn_generate: the model's output is not RNN_SOFTMAX; generation draws tokens");
    if (m->D != 1)
        return rnn__fail(m->error, RNN_ERR_SIZE, "rnn_generate: the model is bidirectional; a generator reads forward only");
    if (T <= 0 || B <= 0)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_generate: T = %d, B = %d; both must be at least 1", T, B);
    if (temperature > 0 && !r) /* sampling needs the generator */
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_generate: temperature %g samples but r is NULL; give a generator or temperature 0",
                         (double)temperature);
    for (t = 0; t < T; t++) {
        st = rnn__step(m, B, NULL, t == 0 ? first : out + (size_t)(t - 1) * B, "rnn_generate");
        if (st != RNN_OK) return st;
        for (b = 0; b < B; b++)
            out[(size_t)t * B + b] = rnn_sample_logits(m->o + (size_t)b * Y, Y, temperature, r);
    }
    return RNN_OK;
}

/* >>gated ================================================================= */
/*
   The gated cells: gates are sigmoids in (0, 1) that decide, unit by unit,
   how much of the old state to keep and how much of a new candidate to let
   in, so that the gradient can travel many steps back without vanishing.
   Each is a forward/backward pair on an rnn_cell_io, like the simple cell
   of >>rnn, with its gates stacked in W_ih and W_hh in PyTorch's order, so
   that one product computes them all ([lstm.fused]).

   The GRU's two conventions. The update gate: decks D1 and D2 let it weight
   the candidate, c<t> = Gamma_u * c~ + (1 - Gamma_u) * c<t-1>; D4 and
   PyTorch let it keep the old state, h_t = z * h_{t-1} + (1 - z) * h~.
   They are one model: z' = 1 - z = sigma(-a), i.e. negate the update
   gate's weights and biases (tests/test_cells.c checks it). The reset
   (relevance) gate: the decks apply it before the recurrent product,
   W_hn (r * h); PyTorch and cuDNN after it, r * (W_hn h + b_hn) (Keras'
   reset_after=True). These are different models. RNN_GRU_* flags pick
   each; the recipe for every deck is beside the flags, at the top.
*/

/* ---- Simplified GRU (D1, D2): no relevance gate ------------------------
   Gates z, n (G = 2); cache (B, 2H) = [z, n] after their activations. */
RNNDEF void rnn_gru_simple_forward(const rnn_cell_io *io)
{
    int b, j, B = io->B, H = io->H, deck = !(io->flags & RNN_GRU_UPDATE_KEEP);
    /* the hidden side of both gates in one product, into the cache */
    rnn__hidden_side(io->cache, 2 * H, rnn__h_rec(io), H, io->W_hh, io->b_hh, 2 * H, B, H);
    for (b = 0; b < B; b++) {
        rnn_real *z = io->cache + (size_t)b * 2 * H, *n = z + H, *h = io->h + (size_t)b * H;
        const rnn_real *gz = io->gx + (size_t)b * 2 * H, *gn = gz + H, *hp = io->h_prev + (size_t)b * H;
        for (j = 0; j < H; j++) { z[j] = gz[j] + z[j]; n[j] = gn[j] + n[j]; } /* W [c<t-1>, x<t>] + b */
        /* [gru-simple.update] Gamma_u = sigma(W_u [c<t-1>, x<t>] + b_u) */
        rnn__sigmoid_v(z, (size_t)H);
        /* [gru-simple.candidate] c~<t> = tanh(W_c [c<t-1>, x<t>] + b_c) */
        rnn__tanh_v(n, (size_t)H);
        for (j = 0; j < H; j++)
            /* [gru-simple.state] c<t> = Gamma_u * c~<t> + (1 - Gamma_u) * c<t-1>: the decks' way, the
               default here; RNN_GRU_UPDATE_KEEP: h = z * h<t-1> + (1 - z) * n (D4's way, z -> 1 - z) */
            h[j] = deck ? z[j] * n[j] + (1 - z[j]) * hp[j] : z[j] * hp[j] + (1 - z[j]) * n[j];
    }
}

RNNDEF void rnn_gru_simple_backward(const rnn_cell_io *io)
{
    int b, j, B = io->B, H = io->H, deck = !(io->flags & RNN_GRU_UPDATE_KEEP);
    for (b = 0; b < B; b++) {
        const rnn_real *z = io->cache + (size_t)b * 2 * H, *n = z + H, *hp = io->h_prev + (size_t)b * H;
        const rnn_real *d = io->dh + (size_t)b * H;
        rnn_real *dz = io->dgx + (size_t)b * 2 * H, *dn = dz + H, *dhp = io->dh_prev + (size_t)b * H;
        for (j = 0; j < H; j++) {
            /* h = z*n + (1-z)*hp  =>  dz = dh (n - hp), dn = dh z, dhp = dh (1 - z)
               (with RNN_GRU_UPDATE_KEEP, z and 1 - z swap places)             */
            rnn_real wz = deck ? 1 - z[j] : z[j];  /* the weight on h<t-1> */
            rnn_real gz = d[j] * (deck ? n[j] - hp[j] : hp[j] - n[j]);
            dhp[j] += d[j] * wz;
            dz[j] = gz * RNN__DSIGMOID(z[j]);
            dn[j] = d[j] * (1 - wz) * RNN__DTANH(n[j]);
        }
    }
    memcpy(io->dgh, io->dgx, sizeof(rnn_real) * (size_t)B * 2 * H); /* the hidden side's gradient is the same */
    /* dh<t-1> += da W_hh, through both gates' recurrent products */
    rnn_gemm(0, 0, B, H, 2 * H, io->dgx, 2 * H, io->W_hh, H, 1, rnn__dh_rec(io), H);
}

/* ---- GRU with the relevance gate ----------------------------------------
   Gates r, z, n (G = 3); cache (B, 5H) = [r, z, n, hn, u]: r, z, n after
   their activations, hn = u W_hn^T + b_hn the candidate's hidden side, and
   u what W_hn multiplied: r * h<t-1> (the decks' placement) or h<t-1>
   (PyTorch's). u is kept for the weight gradient dW_hn += dn^T u, which
   the loop over time sums over all steps at once (rnn_cell_weight_grads;
   the table's column U = 4 names this block). */
RNNDEF void rnn_gru_forward(const rnn_cell_io *io)
{
    int b, j, B = io->B, H = io->H;
    int deck = (io->flags & RNN_GRU_UPDATE_DECK) != 0, before = (io->flags & RNN_GRU_RESET_BEFORE) != 0;
    size_t W = (size_t)5 * H; /* cache row */
    const rnn_real *hr = rnn__h_rec(io);
    /* the hidden side of r and z in one product, and, in PyTorch's placement,
       of n too (its rows of W_hh follow): into the cache's r, z, n blocks */
    rnn__hidden_side(io->cache, (int)W, hr, H, io->W_hh, io->b_hh, before ? 2 * H : 3 * H, B, H);
    for (b = 0; b < B; b++) {
        rnn_real *r = io->cache + b * W, *z = r + H, *n = z + H, *hn = n + H, *u = hn + H;
        const rnn_real *gr = io->gx + (size_t)b * 3 * H, *hp = hr + (size_t)b * H;
        for (j = 0; j < 2 * H; j++) r[j] = gr[j] + r[j]; /* W [c<t-1>, x<t>] + b for r and z (side by side) */
        /* [gru.relevance] Gamma_r = sigma(W_r [c<t-1>, x<t>] + b_r) and
           [gru.update]    Gamma_u = sigma(W_u [c<t-1>, x<t>] + b_u), in one call: r and z are side by side */
        rnn__sigmoid_v(r, (size_t)2 * H);
        for (j = 0; j < H; j++) u[j] = before ? r[j] * hp[j] : hp[j]; /* what W_hn multiplies */
        if (!before) memcpy(hn, n, sizeof(rnn_real) * (size_t)H); /* PyTorch's hn, computed above */
    }
    if (before) /* the decks' placement: hn = (r * h<t-1>) W_hn^T + b_hn, a second product */
        rnn__hidden_side(io->cache + 3 * H, (int)W, io->cache + 4 * H, (int)W, io->W_hh + (size_t)2 * H * H,
                         io->b_hh + 2 * H, H, B, H);
    for (b = 0; b < B; b++) {
        rnn_real *r = io->cache + b * W, *z = r + H, *n = z + H, *hn = n + H, *h = io->h + (size_t)b * H;
        const rnn_real *gn = io->gx + (size_t)b * 3 * H + 2 * H, *hp = io->h_prev + (size_t)b * H;
        for (j = 0; j < H; j++) n[j] = gn[j] + (before ? hn[j] : r[j] * hn[j]);
        /* [gru.candidate] c~<t> = tanh(W_c [Gamma_r * c<t-1>, x<t>] + b_c)  (D1, D2, D4: RNN_GRU_RESET_BEFORE)
                           n = tanh(W_in x + b_in + r * (W_hn h + b_hn))    (PyTorch: the default) */
        rnn__tanh_v(n, (size_t)H);
        for (j = 0; j < H; j++)
            /* [gru.state] h_t = z_t * h_{t-1} + (1 - z_t) * h~_t: D4's and PyTorch's way, the default here;
                           c<t> = Gamma_u * c~<t> + (1 - Gamma_u) * c<t-1> (D1, D2): RNN_GRU_UPDATE_DECK */
            h[j] = deck ? z[j] * n[j] + (1 - z[j]) * hp[j] : z[j] * hp[j] + (1 - z[j]) * n[j];
    }
}

RNNDEF void rnn_gru_backward(const rnn_cell_io *io)
{
    int b, j, B = io->B, H = io->H;
    int deck = (io->flags & RNN_GRU_UPDATE_DECK) != 0, before = (io->flags & RNN_GRU_RESET_BEFORE) != 0;
    size_t W = (size_t)5 * H, G3 = (size_t)3 * H;
    const rnn_real *hr = rnn__h_rec(io);
    rnn_real *dhr = rnn__dh_rec(io);
    /* 1. through the mix to z and n, through tanh to n's pre-activation, and
          (PyTorch's placement) through r * hn to r and to n's hidden side */
    for (b = 0; b < B; b++) {
        const rnn_real *r = io->cache + b * W, *z = r + H, *n = z + H, *hn = n + H;
        const rnn_real *hp = io->h_prev + (size_t)b * H, *d = io->dh + (size_t)b * H;
        rnn_real *dr = io->dgx + b * G3, *dz = dr + H, *dn = dz + H, *dhp = io->dh_prev + (size_t)b * H;
        rnn_real *ghn = io->dgh + b * G3 + 2 * H;
        for (j = 0; j < H; j++) {
            rnn_real wz = deck ? 1 - z[j] : z[j]; /* the weight on h<t-1> in the mix */
            rnn_real gz = d[j] * (deck ? n[j] - hp[j] : hp[j] - n[j]);
            dhp[j] += d[j] * wz;
            dz[j] = gz * RNN__DSIGMOID(z[j]);
            dn[j] = d[j] * (1 - wz) * RNN__DTANH(n[j]);
            if (before) ghn[j] = dn[j];        /* n = tanh(.. + hn):      d hn = dn     */
            else {                             /* n = tanh(.. + r * hn):  d hn = r dn, */
                ghn[j] = r[j] * dn[j];         /*                         dr = hn dn   */
                dr[j] = hn[j] * dn[j] * RNN__DSIGMOID(r[j]);
            }
        }
    }
    if (before) {
        /* 2. the decks' placement: hn = (r * h) W_hn^T + b_hn, so d(r * h) =
              dhn W_hn, put in dr's place for a moment; then dr = d(r*h) h sigma'(r),
              and d(r*h) r goes back to h<t-1> */
        rnn_gemm(0, 0, B, H, H, io->dgh + 2 * H, (int)G3, io->W_hh + (size_t)2 * H * H, H, 0, io->dgx, (int)G3);
        for (b = 0; b < B; b++) {
            const rnn_real *r = io->cache + b * W, *hp = hr + (size_t)b * H;
            rnn_real *dr = io->dgx + b * G3, *dh = dhr + (size_t)b * H;
            for (j = 0; j < H; j++) {
                dh[j] += dr[j] * r[j];
                dr[j] = dr[j] * hp[j] * RNN__DSIGMOID(r[j]);
            }
        }
    }
    for (b = 0; b < B; b++) /* r's and z's hidden side have the same gradient as their input side */
        memcpy(io->dgh + b * G3, io->dgx + b * G3, sizeof(rnn_real) * (size_t)2 * H);
    /* 3. dh<t-1> += dgh W_hh through the products that read h<t-1>: r's and
          z's, and n's in PyTorch's placement */
    rnn_gemm(0, 0, B, H, before ? 2 * H : 3 * H, io->dgh, (int)G3, io->W_hh, H, 1, dhr, H);
}

/* ---- LSTM and the peephole LSTM ------------------------------------------
   Gates i, f, g, o (G = 4, PyTorch's order; D4 writes i, f, o, g); cache
   (B, 4H) = [i, f, g, o] after their activations; backward also reads c
   (and recomputes tanh(c)). With io->p != NULL this is the peephole LSTM of
   Gers & Schmidhuber (2000): diagonal peepholes, the input and forget gates
   look at c<t-1>, the output gate at c<t>. (Deck D2 writes every gate on
   [h<t-1>, c<t-1>] without x<t>; docs/errata.md says why we follow the
   original.) */
RNNDEF void rnn_lstm_forward(const rnn_cell_io *io)
{
    int b, j, B = io->B, H = io->H;
    size_t W = (size_t)4 * H;
    const rnn_real *p = io->p;
    /* [lstm.fused] (i, f, o, g) = (sigma, sigma, sigma, tanh)(W [h_{t-1}, x_t]): one product gives the
       hidden side of all four gates, stacked in PyTorch's order i, f, g, o */
    rnn__hidden_side(io->cache, (int)W, rnn__h_rec(io), H, io->W_hh, io->b_hh, 4 * H, B, H);
    for (b = 0; b < B; b++) {
        rnn_real *i = io->cache + b * W, *f = i + H, *g = f + H, *o = g + H;
        const rnn_real *gi = io->gx + b * W, *gf = gi + H, *gg = gf + H, *go = gg + H;
        const rnn_real *cp = io->c_prev + (size_t)b * H;
        rnn_real *cc = io->c + (size_t)b * H, *hh = io->h + (size_t)b * H;
        for (j = 0; j < H; j++) { /* W [h_{t-1}, x_t] + b, and the peepholes on c<t-1> */
            i[j] = gi[j] + i[j] + (p ? p[j] * cp[j] : 0);
            f[j] = gf[j] + f[j] + (p ? p[H + j] * cp[j] : 0);
            g[j] = gg[j] + g[j];
        }
        /* [lstm.input]  i_t = sigma(W_i [h_{t-1}, x_t] + b_i)  and
           [lstm.forget] f_t = sigma(W_f [h_{t-1}, x_t] + b_f), in one call (i and f are side by side);
           [peephole.input]  i<t> = sigma(W_i [h<t-1>, x<t>] + p_i * c<t-1> + b_i) and
           [peephole.forget] f<t> = sigma(W_f [h<t-1>, x<t>] + p_f * c<t-1> + b_f) with peepholes */
        rnn__sigmoid_v(i, (size_t)2 * H);
        /* [lstm.candidate] C~_t = tanh(W_C [h_{t-1}, x_t] + b_C) */
        rnn__tanh_v(g, (size_t)H);
        for (j = 0; j < H; j++)
            cc[j] = f[j] * cp[j] + i[j] * g[j]; /* [lstm.cell] C_t = f_t * C_{t-1} + i_t * C~_t */
        for (j = 0; j < H; j++) o[j] = go[j] + o[j] + (p ? p[2 * H + j] * cc[j] : 0);
        /* [lstm.output] o_t = sigma(W_o [h_{t-1}, x_t] + b_o);
           [peephole.output] o<t> = sigma(W_o [h<t-1>, x<t>] + p_o * c<t> + b_o) with peepholes */
        rnn__sigmoid_v(o, (size_t)H);
        /* [lstm.hidden] h_t = o_t * tanh(C_t) */
        rnn__mul_tanh(hh, o, cc, (size_t)H);
    }
}

RNNDEF void rnn_lstm_backward(const rnn_cell_io *io)
{
    int b, j, B = io->B, H = io->H;
    size_t W = (size_t)4 * H;
    const rnn_real *p = io->p;
    for (b = 0; b < B; b++) {
        const rnn_real *i = io->cache + b * W, *f = i + H, *g = f + H, *o = g + H;
        const rnn_real *cp = io->c_prev + (size_t)b * H, *cc = io->c + (size_t)b * H;
        const rnn_real *d_h = io->dh + (size_t)b * H, *d_c = io->dc + (size_t)b * H;
        rnn_real *di = io->dgx + b * W, *df = di + H, *dg = df + H, *d_o = dg + H;
        rnn_real *dcp = io->dc_prev + (size_t)b * H;
        for (j = 0; j < H; j++) {
            rnn_real tc = rnn__tanh(cc[j]);
            /* h = o tanh(c) */
            rnn_real dao = d_h[j] * tc * RNN__DSIGMOID(o[j]);
            /* everything that reaches c<t>: from h, from c<t+1>, and the o peephole */
            rnn_real dct = d_c[j] + d_h[j] * o[j] * RNN__DTANH(tc) + (p ? dao * p[2 * H + j] : 0);
            /* c = f c_prev + i g */
            rnn_real dai = dct * g[j] * RNN__DSIGMOID(i[j]);
            rnn_real daf = dct * cp[j] * RNN__DSIGMOID(f[j]);
            rnn_real dag = dct * i[j] * RNN__DTANH(g[j]);
            dcp[j] += dct * f[j] + (p ? dai * p[j] + daf * p[H + j] : 0);
            di[j] = dai; df[j] = daf; dg[j] = dag; d_o[j] = dao;
            if (p) { io->dp[j] += dai * cp[j]; io->dp[H + j] += daf * cp[j]; io->dp[2 * H + j] += dao * cc[j]; }
        }
    }
    memcpy(io->dgh, io->dgx, sizeof(rnn_real) * (size_t)B * W); /* the hidden side's gradient is the same */
    /* dh<t-1> += da W_hh, through the four gates' recurrent products */
    rnn_gemm(0, 0, B, H, 4 * H, io->dgx, 4 * H, io->W_hh, H, 1, rnn__dh_rec(io), H);
}

/* >>deeper ================================================================ */
/*
   Deeper models: the same loop over time, with more around the cell.
   [deep] stacked levels (the output of level l is the input of level l+1);
   [birnn] a second layer per level reading the sequence backwards; [leaky]
   units and [skip] connections through time (deck D3's answers to long
   dependencies); an embedding of the input tokens; dropout; the dense head.
   Each is a small hook that the loop of >>time calls, doing nothing when
   the model does not use it; then the model itself, one parameter block.
*/

/* [skip] A skip connection through time (D3): h(t) is fed from h(t-d) as
   well as from h(t-1), through its own weights: gx(t) += h(t-d) W_skip^T. */
static void rnn__skip(rnn_model *m, rnn_layer *L, int k)
{
    int B = m->B, H = L->H, GH = L->G * H, t = L->reverse ? m->T - 1 - k : k;
    size_t BH = (size_t)B * H;
    if (!L->skip || k + 1 - L->skip < 0) return;
    rnn_gemm(0, 1, B, GH, H, L->h + (size_t)(k + 1 - L->skip) * BH, H, L->W_skip, H, 1,
             L->gx + (size_t)t * B * GH, GH); /* [skip] gx(t) += W_skip h(t-d) */
}
/* its backward: dW_skip += dgx^T h(t-d), dh(t-d) += dgx W_skip */
static void rnn__skip_backward(rnn_model *m, rnn_layer *L, int k)
{
    int B = m->B, H = L->H, GH = L->G * H, t = L->reverse ? m->T - 1 - k : k;
    size_t BH = (size_t)B * H;
    const rnn_real *dgx = L->dgx + (size_t)t * B * GH;
    if (!L->skip || k + 1 - L->skip < 0) return;
    rnn_gemm(1, 0, GH, H, B, dgx, GH, L->h + (size_t)(k + 1 - L->skip) * BH, H, 1, L->dW_skip, H);
    rnn_gemm(0, 0, B, H, GH, dgx, GH, L->W_skip, H, 1, L->dh + (size_t)(k + 1 - L->skip) * BH, H);
}

/* [leaky] A leaky unit (D3) mixes the cell's output (written to hc) with
   the old state, so that information fades slowly: alpha near 0 keeps
   h(t-1) almost as it was. */
static void rnn__leak(rnn_layer *L, rnn_cell_io *io)
{
    size_t i, n = (size_t)io->B * io->H;
    rnn_real *h;
    if (!L->leak) return;
    h = L->h + (io->h_prev - L->h) + n; /* the state row after h(t-1) */
    for (i = 0; i < n; i++)
        h[i] = (1 - L->leak) * io->h_prev[i] + L->leak * io->h[i]; /* [leaky] h(t) = (1 - alpha) h(t-1) + alpha g(...) */
}
/* its backward: the cell's output gets alpha dh, h(t-1) (1 - alpha) dh */
static void rnn__leak_backward(rnn_layer *L, rnn_cell_io *io)
{
    size_t i, n = (size_t)io->B * io->H;
    if (!L->leak) return;
    for (i = 0; i < n; i++) {
        L->lwork[i] = L->leak * io->dh[i];
        io->dh_prev[i] += (1 - L->leak) * io->dh[i];
    }
    io->dh = L->lwork;
}

/* [embed.pad] Sequences of different lengths share a batch by padding:
   a padded step (mask 0) leaves the state as it was, so row T of the state
   is each sequence's state after its last real step. */
static void rnn__pad(rnn_model *m, rnn_layer *L, int k)
{
    int B = m->B, H = L->H, b, t = L->reverse ? m->T - 1 - k : k;
    size_t BH = (size_t)B * H;
    if (!m->mask) return;
    for (b = 0; b < B; b++)
        if (!m->mask[(size_t)t * B + b]) { /* [embed.pad] a padded step changes nothing */
            memcpy(L->h + (k + 1) * BH + (size_t)b * H, L->h + k * BH + (size_t)b * H, sizeof(rnn_real) * H);
            memcpy(L->c + (k + 1) * BH + (size_t)b * H, L->c + k * BH + (size_t)b * H, sizeof(rnn_real) * H);
        }
}
/* its backward: a padded row passes its dh, dc straight to the step before,
   and the cell gets nothing from it (the row is kept in mwork for later) */
static void rnn__pad_backward(rnn_model *m, rnn_layer *L, int k)
{
    int B = m->B, H = L->H, b, t = L->reverse ? m->T - 1 - k : k;
    size_t BH = (size_t)B * H, i;
    rnn_real *dh = L->dh + (k + 1) * BH, *dc = L->dc + (k + 1) * BH;
    rnn_real *dh_prev = L->dh + k * BH, *dc_prev = L->dc + k * BH;
    if (!m->mask) return;
    for (b = 0; b < B; b++)
        if (!m->mask[(size_t)t * B + b]) {
            size_t o = (size_t)b * H;
            for (i = 0; i < (size_t)H; i++) {
                dh_prev[o + i] += dh[o + i]; dc_prev[o + i] += dc[o + i];
                L->mwork[o + i] = dh[o + i]; L->mwork[BH + o + i] = dc[o + i];
                dh[o + i] = 0; dc[o + i] = 0;
            }
        }
}
/* and after the cell: dL/dh, dL/dc of the padded rows back in place (the
   caller may read them) */
static void rnn__pad_restore(rnn_model *m, rnn_layer *L, int k)
{
    int B = m->B, H = L->H, b, t = L->reverse ? m->T - 1 - k : k;
    size_t BH = (size_t)B * H;
    if (!m->mask) return;
    for (b = 0; b < B; b++)
        if (!m->mask[(size_t)t * B + b]) {
            memcpy(L->dh + (k + 1) * BH + (size_t)b * H, L->mwork + (size_t)b * H, sizeof(rnn_real) * H);
            memcpy(L->dc + (k + 1) * BH + (size_t)b * H, L->mwork + BH + (size_t)b * H, sizeof(rnn_real) * H);
        }
}

/* [dropout] Dropout (Srivastava et al. 2014; deck D0: dropout_W, dropout_U):
   in training, each unit is kept with probability 1 - p and multiplied by
   1 / (1 - p) ("inverted dropout"), else set to 0. The expected value of
   every unit is unchanged, so in evaluation the weights are used as they
   are. The masks are drawn from the generator given to rnn_set_training(),
   so a training run is repeatable, and resumable if that generator is
   saved with the checkpoint (rnn_checkpoint.rng_state). */
static rnn_real rnn__keep(rnn_rng *r, rnn_real p)
{
    if (p <= 0) return 1; /* no draw: a model without dropout uses no randomness */
    return rnn_rng_uniform(r) < p ? 0 : 1 / (1 - p);
}

/* Training mode (r != NULL): rnn_forward applies the description's dropout
   with masks drawn from r. Evaluation mode (r == NULL, the default): no
   dropout. rnn_generate and rnn_step follow the mode too; note that each
   call draws new masks, so "one mask per sequence" holds within one
   rnn_forward, not across calls of rnn_step. Each direction of a
   bidirectional level draws its own masks. */
RNNDEF void rnn_set_training(rnn_model *m, rnn_rng *r) { m->train_rng = r; }

/* the layer's recurrent product reads a dropped-out h(t-1) in this pass */
static int rnn__rec_dropped(const rnn_model *m, const rnn_layer *L) { return m->dropped && L->p_rec > 0; }

/* [dropout] one recurrent mask per sequence (Keras' recurrent_dropout, D0's
   dropout_U): the same units of h(t-1) are dropped at every step */
static void rnn__dropout_masks(rnn_model *m, rnn_layer *L)
{
    size_t i;
    if (!rnn__rec_dropped(m, L)) return;
    for (i = 0; i < (size_t)m->B * L->H; i++) L->rmask[i] = rnn__keep(m->train_rng, L->p_rec);
}
/* the recurrent products read h(t-1) * mask (io->h_rec); the GRUs' mix
   with h(t-1) still reads h(t-1) itself */
static void rnn__dropout_recurrent(rnn_model *m, rnn_layer *L, rnn_cell_io *io)
{
    size_t i, n = (size_t)io->B * io->H;
    if (!rnn__rec_dropped(m, L)) return;
    for (i = 0; i < n; i++) L->rh[i] = io->h_prev[i] * L->rmask[i]; /* [dropout] h(t-1) * mask */
    io->h_rec = L->rh;
}
/* its backward: the masked h(t-1) again, and a gradient of its own */
static void rnn__dropout_recurrent_backward(rnn_model *m, rnn_layer *L, rnn_cell_io *io)
{
    size_t i, n = (size_t)io->B * io->H;
    if (!rnn__rec_dropped(m, L)) return;
    for (i = 0; i < n; i++) { L->rh[i] = io->h_prev[i] * L->rmask[i]; L->drh[i] = 0; }
    io->h_rec = L->rh;
    io->dh_rec = L->drh;
}
/* d(h(t-1) * mask) = mask * d(...); and this step's share of dW_hh, since
   h(t-1) * mask is not kept for the sum over all steps */
static void rnn__dropout_recurrent_backward_end(rnn_model *m, rnn_layer *L, const rnn_cell_io *io)
{
    size_t i, n = (size_t)io->B * io->H;
    if (!rnn__rec_dropped(m, L)) return;
    for (i = 0; i < n; i++) io->dh_prev[i] += L->drh[i] * L->rmask[i];
    rnn_cell_weight_grads(io, L->dW_hh, L->db_hh);
}

/* The input of a layer after dropout: xin = x * mask, mask (T, B, X) the
   product of a per-sequence mask (dropout_input, the same at every step, as
   Keras does) and a per-step one (dropout between levels, as PyTorch). */
static const rnn_real *rnn__drop_input(rnn_model *m, rnn_layer *L, const rnn_real *x, int T, int B)
{
    size_t BX = (size_t)B * L->X, i;
    int t;
    for (i = 0; i < BX; i++) L->dxin[i] = rnn__keep(m->train_rng, L->p_in); /* scratch until backward */
    for (t = 0; t < T; t++)
        for (i = 0; i < BX; i++) {
            size_t o = (size_t)t * BX + i;
            L->xmask[o] = L->dxin[i] * rnn__keep(m->train_rng, L->p_step);
            L->xin[o] = x[o] * L->xmask[o];
        }
    return L->xin;
}

/* The layers are stored level by level, and within a level direction by
   direction: layers[l * D + d], d = 1 the reverse one ([birnn]). The output
   of a level, (T, B, H*D), is the next level's input: for one direction it
   is the rows 1..T of the state itself; for two, the buffer `out` of the
   level's forward layer holds [h->(t), h<-(t)] side by side. */
static rnn_real *rnn__level_output(const rnn_model *m, int l)
{
    const rnn_layer *L = &m->layers[l * m->D];
    return m->D == 2 ? L->out : L->h + (size_t)m->B * L->H;
}
static rnn_real *rnn__level_doutput(const rnn_model *m, int l)
{
    const rnn_layer *L = &m->layers[l * m->D];
    return m->D == 2 ? L->dout : L->dh + (size_t)m->B * L->H;
}
static const rnn_real *rnn__top_output(const rnn_model *m) { return rnn__level_output(m, m->desc.num_layers - 1); }
static rnn_real *rnn__top_doutput(const rnn_model *m) { return rnn__level_doutput(m, m->desc.num_layers - 1); }

/* What layer L of level l reads: [deep] a[l-1]<t>, the output of the level
   below (level 0: the batch's dense input or the embeddings; NULL for
   one-hot tokens), after input dropout when the forward applied it
   (forward = 1 draws the masks; 0 returns what the forward read). */
static const rnn_real *rnn__layer_input(rnn_model *m, rnn_layer *L, int l, int forward)
{
    const rnn_real *x = l > 0 ? rnn__level_output(m, l - 1) : m->x_dense;
    if (!(m->dropped && x && L->xin)) return x;
    return forward ? rnn__drop_input(m, L, x, m->T, m->B) : L->xin;
}
/* where dL/d(that input) goes: the level below's dh (or dout), or m->dx */
static rnn_real *rnn__layer_dinput(rnn_model *m, int l)
{
    return l > 0 ? rnn__level_doutput(m, l - 1) : m->dx;
}

/* [embed.lookup] e = E[token]: row `token` of the embedding table, learned
   by backprop like any weight. The embeddings become level 0's input. */
static void rnn__embed(rnn_model *m, const int *tokens)
{
    size_t n = (size_t)m->T * m->B, i;
    int D = m->desc.embed_size;
    if (!D) return;
    for (i = 0; i < n; i++)
        memcpy(m->emb + i * D, m->E + (size_t)tokens[i] * D, sizeof(rnn_real) * D); /* [embed.lookup] e = E[token] */
    m->x_dense = m->emb;
}
/* its backward: dE[token] += dL/de, the rows of m->dx */
static void rnn__embed_backward(rnn_model *m)
{
    size_t n = (size_t)m->T * m->B, i;
    int D = m->desc.embed_size, j;
    for (i = 0; D && i < n; i++)
        for (j = 0; j < D; j++) m->dE[(size_t)m->x_tokens[i] * D + j] += m->dx[i * D + j];
}

/* [birnn] A bidirectional level's output at time t is [h->(t), h<-(t)]
   (D3, D4: y<t> = g(W_y [a->(t), a<-(t)] + b_y)); the reverse layer reached
   time t at its step T-1-t, state row T-t. */
static void rnn__bi_merge(rnn_model *m, int l)
{
    const rnn_layer *F = &m->layers[l * 2], *R = F + 1;
    int T = m->T, H = F->H, t;
    size_t b;
    if (m->D != 2) return;
    for (t = 0; t < T; t++)
        for (b = 0; b < (size_t)m->B; b++) {
            rnn_real *o = F->out + ((size_t)t * m->B + b) * 2 * H;
            memcpy(o, F->h + ((size_t)(t + 1) * m->B + b) * H, sizeof(rnn_real) * H);     /* [birnn] h->(t) */
            memcpy(o + H, R->h + ((size_t)(T - t) * m->B + b) * H, sizeof(rnn_real) * H); /*         h<-(t) */
        }
}
/* its backward: dL/d[h->, h<-] split back to the two directions */
static void rnn__bi_split(rnn_model *m, int l)
{
    rnn_layer *F = &m->layers[l * 2], *R = F + 1;
    int T = m->T, H = F->H, t, j;
    size_t b;
    if (m->D != 2) return;
    for (t = 0; t < T; t++)
        for (b = 0; b < (size_t)m->B; b++) {
            const rnn_real *g = F->dout + ((size_t)t * m->B + b) * 2 * H;
            rnn_real *df = F->dh + ((size_t)(t + 1) * m->B + b) * H, *dr = R->dh + ((size_t)(T - t) * m->B + b) * H;
            for (j = 0; j < H; j++) { df[j] += g[j]; dr[j] += g[H + j]; }
        }
}

/* [birnn] The final states of the top level side by side, (B, 2H): the
   forward layer's row T (it has read x<1>..x<T>) and the reverse layer's
   row T (it has read x<T>..x<1>). */
static void rnn__bi_final(rnn_model *m)
{
    const rnn_layer *F = &m->layers[(m->desc.num_layers - 1) * 2], *R = F + 1;
    int B = m->B, H = F->H, b;
    size_t BH = (size_t)B * H;
    for (b = 0; b < B; b++) {
        memcpy(m->final + (size_t)b * 2 * H, F->h + (size_t)m->T * BH + (size_t)b * H, sizeof(rnn_real) * H);
        memcpy(m->final + (size_t)b * 2 * H + H, R->h + (size_t)m->T * BH + (size_t)b * H, sizeof(rnn_real) * H);
    }
}

/* [arch.seq2seq] The encoder-decoder bridge: the decoder starts from the
   state the encoder ended in. Copies row T of every layer of src (the
   encoder, after its forward) into row 0 of dst (the decoder), for B rows.
   rnn_backward_from() sends the gradient back over the same bridge. */
RNNDEF rnn_status rnn_state_copy(rnn_model *dst, const rnn_model *src)
{
    int l;
    rnn_status st;
    dst->error[0] = 0;
    if (src->T <= 0)
        return rnn__fail(dst->error, RNN_ERR_SIZE, "rnn_state_copy: src has run no forward; run the encoder first");
    if (dst->L != src->L)
        return rnn__fail(dst->error, RNN_ERR_SIZE, "rnn_state_copy: dst has %d layers, src %d; they must match", dst->L, src->L);
    for (l = 0; l < dst->L; l++) if (dst->layers[l].H != src->layers[l].H)
        return rnn__fail(dst->error, RNN_ERR_SIZE, "rnn_state_copy: dst layer %d has H = %d, src %d; they must match",
                         l, dst->layers[l].H, src->layers[l].H);
    if ((st = rnn_reserve(dst, 1, src->B)) != RNN_OK) return st;
    if (dst->B != src->B) { dst->B = src->B; rnn_reset_state(dst); }
    for (l = 0; l < dst->L; l++) {
        size_t BH = (size_t)src->B * src->layers[l].H;
        /* [arch.seq2seq] the decoder's h<0> = the encoder's h<T>: it starts where the encoder ended */
        memcpy(dst->layers[l].h, src->layers[l].h + (size_t)src->T * BH, sizeof(rnn_real) * BH);
        memcpy(dst->layers[l].c, src->layers[l].c + (size_t)src->T * BH, sizeof(rnn_real) * BH);
    }
    return RNN_OK;
}


static void rnn__add_tensor(rnn_model *m, const char *name, int l, int reverse, rnn_real **data,
                            rnn_real **grad, int rows, int cols, size_t *off)
{
    rnn_tensor *t = &m->tensors[m->n_tensors++];
    size_t k = 0;
    const char *s = name;
    /* the name, with "%d" replaced by the level number (0..9 suffices:
       RNN_MAX_LAYERS is 8), and PyTorch's "_reverse" for the reverse layer */
    while (*s && k + 2 < sizeof t->name) {
        if (s[0] == '%' && s[1] == 'd') { t->name[k++] = (char)('0' + l); s += 2; }
        else t->name[k++] = *s++;
    }
    if (reverse) { const char *r = "_reverse"; while (*r && k + 1 < sizeof t->name) t->name[k++] = *r++; }
    t->name[k] = 0;
    t->rows = rows; t->cols = cols;
    t->ndim = strstr(name, "bias") ? 1 : 2;
    t->data = m->params + *off; t->grad = m->grads + *off;
    if (data) *data = t->data;
    if (grad) *grad = t->grad;
    *off += (size_t)rows * cols;
}

/* Builds the model: one block for the parameters and one for the gradients,
   the tensors as named views into them, and the initial weights:
   W_ih Xavier-uniform per gate, W_hh orthogonal per gate, biases 0 except
   the LSTM's forget gate (1: start by remembering, Jozefowicz et al. 2015),
   peepholes and skip weights 0 (the model starts as the plain cell), the
   embedding N(0, 1) (as PyTorch's nn.Embedding), the head Xavier-uniform.
   The largest sizes a description may ask for are below; the checkpoint
   loader checks a file's description against the same numbers. */
#define RNN__MAX_INPUT (1 << 24)   /* X, and Y                                */
#define RNN__MAX_HIDDEN (1 << 16)  /* H, and the embedding's E                */
RNNDEF rnn_status rnn_model_init(rnn_model *m, const rnn_model_desc *d)
{
    rnn_model_desc r = *d;
    uint64_t total = 0; /* in 64 bits: checked against INT_MAX before any use */
    size_t off = 0;
    int l, g, Y, D, X0;
    rnn_rng rng;
    const rnn__cell_row *row;
    memset(m, 0, sizeof *m);
    if (r.cell == RNN_CELL_DEFAULT) r.cell = RNN_LSTM;
    if (r.output == RNN_OUTPUT_DEFAULT) r.output = RNN_SOFTMAX;
    if (r.num_layers == 0) r.num_layers = 1;
    if (r.seed == 0) r.seed = 1;
    r.bidirectional = r.bidirectional != 0;
    D = 1 + r.bidirectional;
#define RNN__BAD(...) return rnn__fail(m->error, RNN_ERR_ARG, "rnn_model_init: " __VA_ARGS__)
    if ((int)r.cell < 1 || (int)r.cell >= (int)RNN_CELL_COUNT)
        RNN__BAD("cell is %d; expected 0 (RNN_LSTM) or RNN_TANH..RNN_PEEPHOLE (1..%d)", (int)r.cell, (int)RNN_CELL_COUNT - 1);
    if ((int)r.output < RNN_SOFTMAX || (int)r.output > RNN_LINEAR)
        RNN__BAD("output is %d; expected RNN_SOFTMAX, RNN_SIGMOID or RNN_LINEAR (1..3)", (int)r.output);
    if (r.gru_flags & ~7) RNN__BAD("gru_flags is %d; expected RNN_GRU_* bits (0..7)", r.gru_flags);
    if (r.gru_flags & RNN_GRU_UPDATE_DECK && r.gru_flags & RNN_GRU_UPDATE_KEEP)
        RNN__BAD("gru_flags has both RNN_GRU_UPDATE_DECK and RNN_GRU_UPDATE_KEEP; choose one");
    row = rnn__cell_row_of(r.cell);
    /* num_layers > MAX / D, not num_layers * D > MAX: the product of a huge
       num_layers would overflow an int */
    if (r.input_size <= 0 || r.input_size > RNN__MAX_INPUT)
        RNN__BAD("input_size is %d; set it to the features per step, or the vocabulary size for x_tokens (1..%d)", r.input_size, RNN__MAX_INPUT);
    if (r.hidden_size <= 0 || r.hidden_size > RNN__MAX_HIDDEN)
        RNN__BAD("hidden_size is %d; expected 1..%d", r.hidden_size, RNN__MAX_HIDDEN);
    if (r.output_size < 0 || r.output_size > RNN__MAX_INPUT)
        RNN__BAD("output_size is %d; expected 0 (no output layer) to %d", r.output_size, RNN__MAX_INPUT);
    if (r.num_layers < 0 || r.num_layers > RNN_MAX_LAYERS / D)
        RNN__BAD("num_layers is %d; expected 1..%d%s", r.num_layers, RNN_MAX_LAYERS / D, D == 2 ? " when bidirectional" : "");
    if (r.embed_size < 0 || r.embed_size > RNN__MAX_HIDDEN)
        RNN__BAD("embed_size is %d; expected 0 (none) or 1..%d", r.embed_size, RNN__MAX_HIDDEN);
    if (r.skip_delay < 0 || r.skip_delay == 1) RNN__BAD("skip_delay is %d; expected 0 (none) or at least 2", r.skip_delay);
    if (!(r.leak >= 0 && r.leak <= 1)) RNN__BAD("leak is %g; expected 0 (none) or in (0, 1]", (double)r.leak);
    if (!(r.dropout >= 0 && r.dropout < 1)) RNN__BAD("dropout is %g; expected in [0, 1)", (double)r.dropout);
    if (!(r.dropout_input >= 0 && r.dropout_input < 1)) RNN__BAD("dropout_input is %g; expected in [0, 1)", (double)r.dropout_input);
    if (!(r.dropout_recurrent >= 0 && r.dropout_recurrent < 1))
        RNN__BAD("dropout_recurrent is %g; expected in [0, 1)", (double)r.dropout_recurrent);
    if (r.num_layers == 1) r.dropout = 0; /* no level follows the only one (PyTorch warns) */
    if (r.leak == 1) r.leak = 0; /* alpha = 1 is no leak at all */
    m->desc = r;
    m->D = D;
    m->L = r.num_layers * D;
    Y = r.output_size;
    X0 = r.embed_size ? r.embed_size : r.input_size;
    for (l = 0; l < m->L; l++) {
        rnn_layer *L = &m->layers[l];
        L->cell = r.cell; L->flags = r.gru_flags;
        L->X = l < D ? X0 : r.hidden_size * D;
        L->H = r.hidden_size; L->G = row->G;
        L->reverse = l % D;
        L->leak = r.leak;
        L->skip = r.skip_delay;
        L->p_in = r.dropout_input;
        L->p_step = l >= D ? r.dropout : 0; /* on the output of the level below */
        L->p_rec = r.dropout_recurrent;
        total += (uint64_t)L->G * L->H * ((uint64_t)L->X + L->H + 2) + (uint64_t)row->P * L->H
               + (L->skip ? (uint64_t)L->G * L->H * L->H : 0);
    }
    total += (uint64_t)Y * ((uint64_t)r.hidden_size * D + 1) + (uint64_t)r.embed_size * r.input_size;
    /* n_params is an int, and the bytes of the block must fit a size_t */
    if (total > (uint64_t)INT_MAX || total > (uint64_t)SIZE_MAX / sizeof(rnn_real))
        RNN__BAD("the sizes give %.0f parameters; at most %d", (double)total, INT_MAX);
#undef RNN__BAD
    m->n_params = (int)total;
    m->params = (rnn_real *)RNN_MALLOC(sizeof(rnn_real) * (size_t)total);
    m->grads = (rnn_real *)RNN_MALLOC(sizeof(rnn_real) * (size_t)total);
    if (!m->params || !m->grads) {
        rnn_model_free(m);
        return rnn__fail(m->error, RNN_ERR_NOMEM, "rnn_model_init: out of memory for %.0f parameters", (double)total);
    }
    memset(m->params, 0, sizeof(rnn_real) * (size_t)total);
    memset(m->grads, 0, sizeof(rnn_real) * (size_t)total);
    if (r.embed_size)
        rnn__add_tensor(m, "embedding.weight", 0, 0, &m->E, &m->dE, r.input_size, r.embed_size, &off);
    for (l = 0; l < m->L; l++) {
        rnn_layer *L = &m->layers[l];
        int GH = L->G * L->H, lv = l / D;
        rnn__add_tensor(m, "weight_ih_l%d", lv, L->reverse, &L->W_ih, &L->dW_ih, GH, L->X, &off);
        rnn__add_tensor(m, "weight_hh_l%d", lv, L->reverse, &L->W_hh, &L->dW_hh, GH, L->H, &off);
        rnn__add_tensor(m, "bias_ih_l%d", lv, L->reverse, &L->b_ih, &L->db_ih, GH, 1, &off);
        rnn__add_tensor(m, "bias_hh_l%d", lv, L->reverse, &L->b_hh, &L->db_hh, GH, 1, &off);
        if (row->P) rnn__add_tensor(m, "peephole_l%d", lv, L->reverse, &L->p, &L->dp, row->P, L->H, &off);
        if (L->skip) rnn__add_tensor(m, "weight_skip_l%d", lv, L->reverse, &L->W_skip, &L->dW_skip, GH, L->H, &off);
    }
    if (Y > 0) {
        rnn__add_tensor(m, "head.weight", 0, 0, &m->W_hy, &m->dW_hy, Y, r.hidden_size * D, &off);
        rnn__add_tensor(m, "head.bias", 0, 0, &m->b_y, &m->db_y, Y, 1, &off);
    }
    rnn_rng_seed(&rng, r.seed);
    for (l = 0; l < m->L; l++) {
        rnn_layer *L = &m->layers[l];
        for (g = 0; g < L->G; g++) {
            rnn_init_xavier(L->W_ih + (size_t)g * L->H * L->X, L->H, L->X, &rng);
            rnn_init_orthogonal(L->W_hh + (size_t)g * L->H * L->H, L->H, &rng);
        }
    }
    if (row->C) rnn_model_set_forget_bias(m, 1); /* start by remembering */
    if (Y > 0) rnn_init_xavier(m->W_hy, Y, r.hidden_size * D, &rng);
    if (r.embed_size) {
        size_t i;
        for (i = 0; i < (size_t)r.input_size * r.embed_size; i++) m->E[i] = (rnn_real)rnn_rng_normal(&rng);
    }
    return RNN_OK;
}

/* Sets the forget gate's bias (the f block of b_ih; b_hh's f block to 0) in
   every LSTM layer. 0, 1 and 3 are the values the vanishing-gradient lab
   compares. */
RNNDEF void rnn_model_set_forget_bias(rnn_model *m, rnn_real value)
{
    int l, j;
    for (l = 0; l < m->L; l++) {
        rnn_layer *L = &m->layers[l];
        if (!rnn_cell_has_state(L->cell)) continue;
        for (j = 0; j < L->H; j++) { L->b_ih[L->H + j] = value; L->b_hh[L->H + j] = 0; }
    }
}

RNNDEF void rnn_model_free(rnn_model *m)
{
    RNN_FREE(m->params);
    RNN_FREE(m->grads);
    RNN_FREE(m->buffer);
    memset(m, 0, sizeof *m);
}

/* >>learning ============================================================== */
/*
   Learning: the gradients backward left are turned into a step. Zero them
   before each batch, clip them when they explode ([clip.value],
   [clip.norm]; decks D2 and D4), then move every parameter against its
   gradient ([sgd.step]) or with one of the step rules that adapt the step
   per parameter (momentum, Adagrad, RMSprop, Adam). The parameters and
   gradients are one block each, so these are flat loops over it.
*/

RNNDEF void rnn_zero_grad(rnn_model *m)
{
    if (m->grads) memset(m->grads, 0, sizeof(rnn_real) * (size_t)m->n_params); /* a zeroed model has none */
}

/* [clip.value] g_i <- min(max(g_i, -v), v), every entry on its own (Keras'
   clipvalue; deck D2 suggests 0.5). It can change the gradient's direction.
   v must be >= 0: a negative v would flip every gradient's sign. */
RNNDEF rnn_status rnn_clip_by_value(rnn_model *m, rnn_real v)
{
    int i;
    m->error[0] = 0;
    if (!(v >= 0)) /* negative or NaN: nothing is changed */
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_clip_by_value: v is %g; expected a bound >= 0", (double)v);
    for (i = 0; i < m->n_params; i++) {
        /* [clip.value] g_i <- min(max(g_i, -v), v) */
        if (m->grads[i] > v) m->grads[i] = v;
        else if (m->grads[i] < -v) m->grads[i] = -v;
    }
    return RNN_OK;
}

/* [clip.norm] if ||g|| > c: g <- g c / ||g||. It keeps the direction and
   only shortens the step. Returns ||g|| before clipping, or -1 when c is
   negative or NaN (then g is left as it was: g c / ||g|| would flip it). */
RNNDEF rnn_real rnn_clip_norm(rnn_real *g, size_t n, rnn_real c)
{
    double s = 0;
    size_t i;
    if (!(c >= 0)) return -1;
    for (i = 0; i < n; i++) s += (double)g[i] * g[i];
    s = sqrt(s);
    /* [clip.norm] if ||g|| > c: g <- g c / ||g|| */
    if (s > c) for (i = 0; i < n; i++) g[i] = (rnn_real)(g[i] * (c / s));
    return (rnn_real)s;
}

/* One norm over all the gradients of the model: PyTorch's clip_grad_norm_,
   Keras' global_clipnorm (and the "clipnorm" of Keras 2.0-2.3). */
RNNDEF rnn_real rnn_clip_by_global_norm(rnn_model *m, rnn_real c)
{
    m->error[0] = 0;
    if (!(c >= 0)) rnn__fail(m->error, RNN_ERR_ARG, "rnn_clip_by_global_norm: c is %g; expected a bound >= 0 (nothing clipped, -1 returned)", (double)c);
    return rnn_clip_norm(m->grads, (size_t)m->n_params, c);
}

/* One norm per tensor: the "clipnorm" of tf.keras 2.4+ and Keras 3.
   RNN_ERR_ARG (nothing changed) when c is negative or NaN. */
RNNDEF rnn_status rnn_clip_by_tensor_norm(rnn_model *m, rnn_real c)
{
    int k;
    m->error[0] = 0;
    if (!(c >= 0)) return rnn__fail(m->error, RNN_ERR_ARG, "rnn_clip_by_tensor_norm: c is %g; expected a bound >= 0", (double)c);
    for (k = 0; k < m->n_tensors; k++)
        rnn_clip_norm(m->tensors[k].grad, (size_t)m->tensors[k].rows * m->tensors[k].cols, c);
    return RNN_OK;
}

/* Settings that cannot train: an unknown kind, a learning rate that is not
   a positive number (a NaN one makes every weight NaN in one step), decays
   outside [0, 1) (beta1 = 2 makes the moments grow without bound), eps not
   positive (the update divides by sqrt(v) + eps, and v can be 0). The same
   test runs at init, at every step (a program may change o->desc.lr) and on
   a loaded checkpoint. */
static int rnn__optim_valid(const rnn_optim_desc *r)
{
    return (int)r->kind >= RNN_SGD && (int)r->kind <= RNN_ADAM &&
           r->lr > 0 && r->lr - r->lr == 0 && r->eps > 0 && r->eps - r->eps == 0 &&
           r->momentum >= 0 && r->momentum < 1 && r->alpha >= 0 && r->alpha < 1 &&
           r->beta1 >= 0 && r->beta1 < 1 && r->beta2 >= 0 && r->beta2 < 1;
}

/* which setting rnn__optim_valid refuses, in words; returns RNN_ERR_ARG */
static rnn_status rnn__optim_why(char *err, const char *fn, const rnn_optim_desc *r)
{
    if ((int)r->kind < RNN_SGD || (int)r->kind > RNN_ADAM)
        return rnn__fail(err, RNN_ERR_ARG, "%s: kind is %d; expected 0 (RNN_ADAM) or RNN_SGD..RNN_ADAM (1..4)", fn, (int)r->kind);
    if (!(r->lr > 0 && r->lr - r->lr == 0)) return rnn__fail(err, RNN_ERR_ARG, "%s: lr is %g; expected a finite number > 0", fn, (double)r->lr);
    if (!(r->eps > 0 && r->eps - r->eps == 0)) return rnn__fail(err, RNN_ERR_ARG, "%s: eps is %g; expected a finite number > 0", fn, (double)r->eps);
    if (!(r->momentum >= 0 && r->momentum < 1)) return rnn__fail(err, RNN_ERR_ARG, "%s: momentum is %g; expected in [0, 1)", fn, (double)r->momentum);
    if (!(r->alpha >= 0 && r->alpha < 1)) return rnn__fail(err, RNN_ERR_ARG, "%s: alpha is %g; expected in [0, 1)", fn, (double)r->alpha);
    if (!(r->beta1 >= 0 && r->beta1 < 1)) return rnn__fail(err, RNN_ERR_ARG, "%s: beta1 is %g; expected in [0, 1)", fn, (double)r->beta1);
    return rnn__fail(err, RNN_ERR_ARG, "%s: beta2 is %g; expected in [0, 1)", fn, (double)r->beta2);
}

RNNDEF rnn_status rnn_optim_init(rnn_optim *o, const rnn_optim_desc *d, int n)
{
    rnn_optim_desc r = *d;
    memset(o, 0, sizeof *o);
    if (n <= 0) return rnn__fail(o->error, RNN_ERR_ARG, "rnn_optim_init: n is %d; expected the number of parameters (m.n_params)", n);
    if (r.kind == RNN_OPTIM_DEFAULT) r.kind = RNN_ADAM;
    if (r.lr == 0) r.lr = (rnn_real)(r.kind == RNN_ADAM ? 0.001 : 0.01);
    if (r.beta1 == 0) r.beta1 = (rnn_real)0.9;
    if (r.beta2 == 0) r.beta2 = (rnn_real)0.999;
    if (r.alpha == 0) r.alpha = (rnn_real)0.99;
    if (r.eps == 0) r.eps = (rnn_real)(r.kind == RNN_ADAGRAD ? 1e-10 : 1e-8);
    if (!rnn__optim_valid(&r)) return rnn__optim_why(o->error, "rnn_optim_init", &r);
    o->desc = r; o->n = n;
    o->m1 = (rnn_real *)RNN_MALLOC(sizeof(rnn_real) * (size_t)n);
    o->m2 = (rnn_real *)RNN_MALLOC(sizeof(rnn_real) * (size_t)n);
    if (!o->m1 || !o->m2) {
        rnn_optim_free(o);
        return rnn__fail(o->error, RNN_ERR_NOMEM, "rnn_optim_init: out of memory for 2 x %d moments", n);
    }
    memset(o->m1, 0, sizeof(rnn_real) * (size_t)n);
    memset(o->m2, 0, sizeof(rnn_real) * (size_t)n);
    return RNN_OK;
}

/* The first numbers of each loop below in chunks that vectorise (>>speed),
   returning how many; none under RNN_REFERENCE. */
#ifdef RNN_REFERENCE
#define rnn__sgd_chunks(n, p, g, v, lr, mu) 0
#define rnn__adagrad_chunks(n, p, g, G, lr, eps) 0
#define rnn__rmsprop_chunks(n, p, g, s, lr, a, eps) 0
#define rnn__adam_chunks(n, p, g, m, v, step_size, inv_sqrt_c2, b1, b2, eps) 0
#else
static int rnn__sgd_chunks(int n, rnn_real *p, const rnn_real *g, rnn_real *v, rnn_real lr, rnn_real mu);
static int rnn__adagrad_chunks(int n, rnn_real *p, const rnn_real *g, rnn_real *G, rnn_real lr, rnn_real eps);
static int rnn__rmsprop_chunks(int n, rnn_real *p, const rnn_real *g, rnn_real *s, rnn_real lr, rnn_real a, rnn_real eps);
static int rnn__adam_chunks(int n, rnn_real *p, const rnn_real *g, rnn_real *m, rnn_real *v, rnn_real step_size,
                            rnn_real inv_sqrt_c2, rnn_real b1, rnn_real b2, rnn_real eps);
#endif

/* One update of every parameter, one flat loop over the block.
   [sgd.step] Delta theta_k = -eta dE/d theta_k is the plain SGD step; the
   others scale it per parameter (formulas as in PyTorch's documentation):
     SGD+momentum  v = mu v + g;              theta -= eta v
     Adagrad       G = G + g^2;               theta -= eta g / (sqrt(G) + eps)
     RMSprop       s = a s + (1-a) g^2;       theta -= eta g / (sqrt(s) + eps)
     Adam          m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
                   theta -= eta (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
   RNN_ERR_ARG, and nothing changes, when o->desc no longer holds settings
   rnn_optim_init would accept (say a NaN lr) or o was never initialised. */
RNNDEF rnn_status rnn_optim_step(rnn_optim *o, rnn_real *params, const rnn_real *grads)
{
    /* the settings in locals: the compiler cannot keep d->lr in a register
       across a store to params[i], which might (as far as it knows) be d->lr */
    const rnn_real lr = o->desc.lr, mu = o->desc.momentum, eps = o->desc.eps, a = o->desc.alpha;
    const rnn_real b1 = o->desc.beta1, b2 = o->desc.beta2;
    rnn_real *m1 = o->m1, *m2 = o->m2;
    int i, n = o->n;
    o->error[0] = 0;
    if (!m1 || !m2 || n <= 0)
        return rnn__fail(o->error, RNN_ERR_ARG, "rnn_optim_step: the optimizer has no moments; call rnn_optim_init first");
    if (!rnn__optim_valid(&o->desc)) return rnn__optim_why(o->error, "rnn_optim_step", &o->desc);
    if (o->step < 0 || o->step == LONG_MAX)
        return rnn__fail(o->error, RNN_ERR_ARG, "rnn_optim_step: step is %ld; expected 0..%ld", o->step, LONG_MAX - 1);
    o->step++;
    /* Each loop starts at i = rnn__*_chunks(...): in the default build >>speed
       has then done the first numbers already, the same operations in chunks
       that vectorise, and the loop does the rest; under RNN_REFERENCE, 0. */
    switch (o->desc.kind) {
    case RNN_SGD:
        for (i = rnn__sgd_chunks(n, params, grads, m1, lr, mu); i < n; i++) {
            m1[i] = mu * m1[i] + grads[i];
            params[i] -= lr * m1[i]; /* [sgd.step] Delta theta_k = -eta dE/d theta_k (mu = 0: v = g) */
        }
        break;
    case RNN_ADAGRAD:
        for (i = rnn__adagrad_chunks(n, params, grads, m1, lr, eps); i < n; i++) {
            m1[i] += grads[i] * grads[i];
            params[i] -= lr * grads[i] / (rnn__sqrt(m1[i]) + eps);
        }
        break;
    case RNN_RMSPROP:
        for (i = rnn__rmsprop_chunks(n, params, grads, m1, lr, a, eps); i < n; i++) {
            m1[i] = a * m1[i] + (1 - a) * grads[i] * grads[i];
            params[i] -= lr * grads[i] / (rnn__sqrt(m1[i]) + eps);
        }
        break;
    default: {
        /* the bias corrections 1 - b^t, once per step, as PyTorch arranges
           them: theta -= (eta / c1) m / (sqrt(v) / sqrt(c2) + eps) */
        rnn_real step_size = (rnn_real)(lr / (1 - pow((double)b1, (double)o->step)));
        rnn_real inv_sqrt_c2 = (rnn_real)(1 / sqrt(1 - pow((double)b2, (double)o->step)));
        for (i = rnn__adam_chunks(n, params, grads, m1, m2, step_size, inv_sqrt_c2, b1, b2, eps); i < n; i++) {
            m1[i] = b1 * m1[i] + (1 - b1) * grads[i];
            m2[i] = b2 * m2[i] + (1 - b2) * grads[i] * grads[i];
            params[i] -= step_size * m1[i] / (rnn__sqrt(m2[i]) * inv_sqrt_c2 + eps);
        }
    }
    }
    return RNN_OK;
}

RNNDEF void rnn_optim_free(rnn_optim *o)
{
    RNN_FREE(o->m1);
    RNN_FREE(o->m2);
    memset(o, 0, sizeof *o);
}

/* >>using ================================================================= */
/*
   Using a trained model: pick the next token (the argmax, or a sample at a
   temperature, [lm.sample]), keep the best hypotheses of a beam, and
   measure: BLEU against reference sentences ([bleu]), the perplexity of a
   count-based n-gram model, the baseline an RNN language model has to beat
   ([lm.chain], [lm.ngram]), and the geometry of learned embeddings
   (cosine, nearest words, analogies).
*/

RNNDEF int rnn_argmax(const rnn_real *v, int n)
{
    int k, best = 0;
    for (k = 1; k < n; k++) if (v[k] > v[best]) best = k;
    return best;
}

/* [lm.sample] sample the next token from softmax(o / temperature), not the
   argmax, so the text does not fall into loops; feed it back as the next
   input. temperature < 1 sharpens the distribution, > 1 flattens it, and
   0 is the argmax. Two passes over o, no buffer. */
RNNDEF int rnn_sample_logits(const rnn_real *o, int n, rnn_real temperature, rnn_rng *r)
{
    int k;
    double mx, s = 0, u;
    if (temperature <= 0) return rnn_argmax(o, n);
    mx = o[rnn_argmax(o, n)];
    for (k = 0; k < n; k++) s += exp((o[k] - mx) / temperature);
    u = rnn_rng_uniform(r) * s;
    for (k = 0; k < n; k++) {
        u -= exp((o[k] - mx) / temperature);
        if (u < 0) return k; /* [lm.sample] token k, with probability softmax(o / temperature)_k */
    }
    return rnn_argmax(o, n); /* u rounded past the end: the largest */
}

/* Picks and reorders the rows of the current state (row 0 of every layer,
   as left by rnn_step or rnn_carry_state): afterwards state row b is the old
   row rows[b], for b = 0..B-1, and the batch size is B. Beam search keeps
   its k best hypotheses this way: after a step, select the rows of the
   survivors (a row may be picked twice, when one hypothesis has two good
   continuations). rows[b] must be in 0..m->B-1: RNN_ERR_ARG otherwise.
   Allocates a copy of the state (2 B H numbers per layer) for the move. */
RNNDEF rnn_status rnn_state_select(rnn_model *m, const int *rows, int B)
{
    int l, b;
    size_t total = 0, off = 0;
    rnn_real *tmp;
    rnn_status st;
    m->error[0] = 0;
    if (B <= 0 || !rows)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_state_select: B = %d, rows %s; expected B >= 1 and rows", B, rows ? "set" : "NULL");
    if (m->B <= 0 || !m->layers[0].h)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_state_select: the model has no state yet; run a forward or rnn_reserve first");
    for (b = 0; b < B; b++) if (rows[b] < 0 || rows[b] >= m->B)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_state_select: rows[%d] is %d; expected 0..%d (the model's B is %d)",
                         b, rows[b], m->B - 1, m->B);
    for (l = 0; l < m->L; l++) total += 2 * (size_t)B * m->layers[l].H;
    tmp = (rnn_real *)RNN_MALLOC(sizeof(rnn_real) * total);
    if (!tmp) return rnn__fail(m->error, RNN_ERR_NOMEM, "rnn_state_select: out of memory");
    for (l = 0; l < m->L; l++) { /* gather h and c rows into tmp */
        const rnn_layer *L = &m->layers[l];
        size_t H = (size_t)L->H;
        for (b = 0; b < B; b++) {
            memcpy(tmp + off + (size_t)b * H, L->h + (size_t)rows[b] * H, sizeof(rnn_real) * H);
            memcpy(tmp + off + (size_t)(B + b) * H, L->c + (size_t)rows[b] * H, sizeof(rnn_real) * H);
        }
        off += 2 * (size_t)B * H;
    }
    st = rnn_reserve(m, m->T > 0 ? m->T : 1, B); /* may grow; sets m->B = B */
    if (st == RNN_OK) {
        for (off = 0, l = 0; l < m->L; l++) { /* and back into row 0 */
            rnn_layer *L = &m->layers[l];
            size_t BH = (size_t)B * L->H;
            memcpy(L->h, tmp + off, sizeof(rnn_real) * BH);
            memcpy(L->c, tmp + off + BH, sizeof(rnn_real) * BH);
            off += 2 * BH;
        }
    }
    RNN_FREE(tmp);
    return st;
}
/* -- beam search -- */

/* The default log_probs: the log-softmax of row r of the last step's
   logits, in double (log p_j = o_j - max - log sum_k e^(o_k - max)). */
RNNDEF void rnn_beam_log_softmax(const rnn_model *m, int r, double *lp, void *ctx)
{
    int V = m->desc.output_size, j;
    const rnn_real *o = m->o + (size_t)r * V;
    double mx, s = rnn__exp_sum(o, V, &mx);
    (void)ctx;
    for (j = 0; j < V; j++) lp[j] = o[j] - mx - log(s);
}

/* Greedy decoding keeps the one likeliest token at each step and feeds it
   back; the likeliest token now may lead to an unlikely sequence later.
   Beam search keeps the `width` likeliest partial sequences instead, the
   hypotheses, each scored by the sum of its tokens' log-probabilities
   (the log of the product of the probabilities the model gives them,
   [lm.chain]). Each step extends every hypothesis by every token, keeps
   the best `width` of those width*V extensions (ties: the lower
   hypothesis, then the lower token), and moves the model's state rows
   along with rnn_state_select: a survivor's state is the state of the
   hypothesis it extends (two survivors may extend the same one, one none).
   An extension by the end token is finished and leaves the beam. Since a
   log-probability is <= 0, a score only falls as tokens are added: once
   the best finished hypothesis scores at least as high as the best
   survivor, no survivor can overtake it, and the search stops early.
   Width 1 is greedy decoding. Memory: the width hypotheses (max_len + 1
   tokens each) twice, and width*V log-probabilities. */
RNNDEF rnn_status rnn_beam_search(rnn_model *m, const rnn_beam *b, int *out, int *len)
{
    int K, L, V = m->desc.output_size, n_live = 1, t, i, j, w, best_len = -1;
    double *lp, *score, *nscore, best = -HUGE_VAL;
    int *hyp, *nhyp, *rows, *tok;
    void (*log_probs)(const rnn_model *, int, double *, void *);
    rnn_status st = RNN_OK;
    m->error[0] = 0;
    if (len) *len = 0;
    if (!b || !out || !len)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_beam_search: b %s, out %s, len %s; all three are needed",
                         b ? "set" : "NULL", out ? "set" : "NULL", len ? "set" : "NULL");
    K = b->width; L = b->max_len;
    if (K < 1 || K > (1 << 20))
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_beam_search: width = %d; expected 1..%d", K, 1 << 20);
    if (L < 1 || L > (1 << 24))
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_beam_search: max_len = %d; expected 1..%d", L, 1 << 24);
    if (b->end < -1 || b->end >= V)
        return rnn__fail(m->error, RNN_ERR_TOKEN, "rnn_beam_search: end = %d; expected -1 (none) or a token 0..%d", b->end, V - 1);
    if (b->force_end && b->end < 0)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_beam_search: force_end is set but end is -1; there is no end token to force");
    if (!m->o || m->T < 1 || m->B < 1)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_beam_search: the model has run no step yet; read the prefix with rnn_step first");
    if (m->T != 1)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_beam_search: the last forward ran T = %d steps; end the prefix with rnn_step (T = 1)", m->T);
    if (!b->log_probs && m->desc.output != RNN_SOFTMAX)
        return rnn__fail(m->error, RNN_ERR_SIZE, "rnn_beam_search: the model's output is not RNN_SOFTMAX; give log_probs");
    log_probs = b->log_probs ? b->log_probs : rnn_beam_log_softmax;
    if ((double)K * (V + 2) * sizeof(double) + (double)K * (2.0 * L + 4) * sizeof(int) > (double)SIZE_MAX / 2)
        return rnn__fail(m->error, RNN_ERR_NOMEM, "rnn_beam_search: width %d, max_len %d, V %d need more memory than can be addressed", K, L, V);
    lp = (double *)RNN_MALLOC(sizeof(double) * ((size_t)K * V + 2 * (size_t)K));
    hyp = (int *)RNN_MALLOC(sizeof(int) * ((size_t)K * (L + 1) * 2 + 2 * (size_t)K));
    if (!lp || !hyp) {
        RNN_FREE(lp); RNN_FREE(hyp);
        return rnn__fail(m->error, RNN_ERR_NOMEM, "rnn_beam_search: out of memory (width %d, max_len %d, V %d)", K, L, V);
    }
    score = lp + (size_t)K * V; nscore = score + K;   /* the scores of the live hypotheses, and of the survivors */
    nhyp = hyp + (size_t)K * (L + 1); rows = nhyp + (size_t)K * (L + 1); tok = rows + K;
    score[0] = 0;
    for (t = 0; ; t++) {   /* t: the tokens in every live hypothesis */
        int n_new = 0;
        for (i = 0; i < n_live; i++) log_probs(m, i, lp + (size_t)i * V, b->ctx);
        if (t == L) {      /* force_end: no room for another token */
            for (i = 0; i < n_live; i++)
                if (score[i] + lp[(size_t)i * V + b->end] > best) {
                    best = score[i] + lp[(size_t)i * V + b->end]; best_len = L;
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
            if (bw == b->end) {                    /* finished */
                if (bs > best) { best = bs; best_len = t; memcpy(out, hyp + (size_t)bi * (L + 1), sizeof(int) * (size_t)t); }
                continue;
            }
            memcpy(nhyp + (size_t)n_new * (L + 1), hyp + (size_t)bi * (L + 1), sizeof(int) * (size_t)t);
            nhyp[(size_t)n_new * (L + 1) + t] = bw;
            nscore[n_new] = bs; rows[n_new] = bi; tok[n_new] = bw;
            n_new++;
        }
        if (n_new == 0 || best >= nscore[0]) break;   /* nscore[0] is the best survivor: none can overtake */
        if (t + 1 == L && !b->force_end) {            /* full length: the best unfinished one, if none finished */
            if (best_len < 0) { best_len = L; memcpy(out, nhyp, sizeof(int) * (size_t)L); }
            break;
        }
        if ((st = rnn_state_select(m, rows, n_new)) != RNN_OK) break;
        if ((st = b->feed ? b->feed(m, n_new, tok, b->ctx) : rnn_step(m, n_new, NULL, tok)) != RNN_OK) break;
        memcpy(hyp, nhyp, sizeof(int) * (size_t)n_new * (L + 1));
        memcpy(score, nscore, sizeof(double) * (size_t)n_new);
        n_live = n_new;
    }
    *len = st != RNN_OK || best_len < 0 ? 0 : best_len;
    RNN_FREE(lp); RNN_FREE(hyp);
    return st;
}


/* -- BLEU -- */

/* How often the n tokens of g occur in s (len tokens). Comparing in place,
   O(len n), needs no memory: captions and sentences are short. */
static long long rnn__bleu_occurrences(const int *g, int n, const int *s, int len)
{
    long long c = 0;
    int i;
    for (i = 0; i + n <= len; i++)
        if (memcmp(s + i, g, sizeof(int) * (size_t)n) == 0) c++;
    return c;
}

/* Every distinct n-gram of the candidate is counted in place, so this costs
   O(cand_len (cand_len + sum of ref_len)) comparisons per order and needs no
   memory: right for captions and sentences, slow for whole documents. */
RNNDEF rnn_status rnn_bleu_add(rnn_bleu *b, const int *cand, int cand_len,
                               const int *const *refs, const int *ref_len, int n_refs)
{
    int n, i, j, best;
    RNN_ASSERT(b != NULL);
    if (cand_len < 0 || n_refs < 1) return RNN_ERR_ARG;
    RNN_ASSERT((cand != NULL || cand_len == 0) && refs != NULL && ref_len != NULL);
    for (j = 0; j < n_refs; j++) {
        if (ref_len[j] < 0) return RNN_ERR_ARG;
        RNN_ASSERT(refs[j] != NULL || ref_len[j] == 0);
    }
    for (n = 1; n <= RNN_BLEU_MAX_N; n++) {
        for (i = 0; i + n <= cand_len; i++) {
            const int *g = cand + i; /* the n-gram at i */
            long long in_cand, in_ref = 0;
            /* each distinct n-gram once, where it first occurs */
            if (rnn__bleu_occurrences(g, n, cand, i + n - 1) > 0) continue;
            in_cand = rnn__bleu_occurrences(g, n, cand, cand_len);
            for (j = 0; j < n_refs; j++) {  /* its most in any one reference */
                long long c = rnn__bleu_occurrences(g, n, refs[j], ref_len[j]);
                if (c > in_ref) in_ref = c;
            }
            /* [bleu] clipped count: min(count in candidate, max count in one reference) */
            b->match[n - 1] += in_cand < in_ref ? in_cand : in_ref;
        }
        if (cand_len >= n) b->total[n - 1] += cand_len - n + 1;
    }
    /* r: the reference length closest to the candidate's, the shorter on a tie */
    best = 0;
    for (j = 1; j < n_refs; j++) {
        long long d = ref_len[j] - (long long)cand_len, bd = ref_len[best] - (long long)cand_len;
        if (d < 0) d = -d;
        if (bd < 0) bd = -bd;
        if (d < bd || (d == bd && ref_len[j] < ref_len[best])) best = j;
    }
    b->cand_len += cand_len;
    b->ref_len += ref_len[best];
    b->n_sentences++;
    return RNN_OK;
}

RNNDEF rnn_status rnn_bleu_score(rnn_bleu *b, rnn_bleu_smoothing smoothing, double epsilon)
{
    int n, zeros = 0, any_zero = 0;
    double log_sum = 0;
    RNN_ASSERT(b != NULL);
    if (b->n_sentences < 1 || !(epsilon >= 0)) return RNN_ERR_ARG;
    if (smoothing != RNN_BLEU_SMOOTH_NONE && smoothing != RNN_BLEU_SMOOTH_FLOOR &&
        smoothing != RNN_BLEU_SMOOTH_EXP) return RNN_ERR_ARG;
    if (epsilon == 0) epsilon = 0.1;
    /* [bleu] brevity penalty: 1 if c > r, else exp(1 - r/c) (0 if c = 0) */
    if (b->cand_len > b->ref_len) b->bp = 1;
    else if (b->cand_len == 0) b->bp = 0;
    else b->bp = exp(1.0 - (double)b->ref_len / (double)b->cand_len);
    for (n = 0; n < RNN_BLEU_MAX_N; n++) {
        double p = 0;  /* stays 0 when there is no n-gram of this order at all */
        if (b->total[n] > 0) {
            if (b->match[n] > 0)
                p = (double)b->match[n] / (double)b->total[n]; /* [bleu] modified precision p_n */
            else if (b->match[0] == 0)
                p = 0; /* no word in common: 0, smoothed or not (as NLTK, sacrebleu) */
            else if (smoothing == RNN_BLEU_SMOOTH_FLOOR)
                p = epsilon / (double)b->total[n];
            else if (smoothing == RNN_BLEU_SMOOTH_EXP)
                p = 1.0 / (ldexp(1.0, ++zeros) * (double)b->total[n]); /* 1 / (2^k total) */
        }
        b->p[n] = p;
        if (p > 0) log_sum += log(p); else any_zero = 1;
        /* [bleu] BLEU-N = BP exp(sum_{m=1..N} (1/N) log p_m) */
        b->bleu[n] = any_zero ? 0 : b->bp * exp(log_sum / (n + 1));
    }
    return RNN_OK;
}

RNNDEF rnn_status rnn_bleu_corpus(rnn_bleu *out, const int *const *cand, const int *cand_len,
                                  const int *const *const *refs, const int *const *ref_len,
                                  const int *n_refs, int n_sentences,
                                  rnn_bleu_smoothing smoothing, double epsilon)
{
    int i;
    rnn_status st;
    RNN_ASSERT(out != NULL);
    memset(out, 0, sizeof *out);
    if (n_sentences < 1) return RNN_ERR_ARG;
    RNN_ASSERT(cand != NULL && cand_len != NULL && refs != NULL && ref_len != NULL && n_refs != NULL);
    for (i = 0; i < n_sentences; i++) {
        st = rnn_bleu_add(out, cand[i], cand_len[i], refs[i], ref_len[i], n_refs[i]);
        if (st != RNN_OK) return st;
    }
    return rnn_bleu_score(out, smoothing, epsilon);
}

/* -- the n-gram language model -- */

/* A hash of the key's tokens (a 64-bit multiply-xorshift mix per token). */
static uint64_t rnn__ngram_hash(const int *key, int len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull * (uint64_t)(len + 1);
    int i;
    for (i = 0; i < len; i++) {
        h ^= (uint32_t)key[i];
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    return h;
}

/* The slot that holds key, or the empty slot where it would go: walk on
   from its hash until one or the other (a table at most half full has
   empty slots, so the walk ends). */
static size_t rnn__ngram_slot(const rnn_ngram_entry *t, size_t cap, const int *key, int len)
{
    size_t i = (size_t)(rnn__ngram_hash(key, len) & (cap - 1));
    while (t[i].len != 0 &&
           !(t[i].len == len && memcmp(t[i].key, key, sizeof(int) * (size_t)len) == 0))
        i = (i + 1) & (cap - 1);
    return i;
}

static long long rnn__ngram_get(const rnn_ngram *m, const int *key, int len)
{
    size_t i = rnn__ngram_slot(m->table, m->cap, key, len);
    return m->table[i].len ? m->table[i].count : 0;
}

/* A table of cap empty slots. */
static rnn_ngram_entry *rnn__ngram_table(size_t cap)
{
    rnn_ngram_entry *t;
    if (cap > (size_t)-1 / sizeof *t) return NULL;
    t = (rnn_ngram_entry *)RNN_MALLOC(sizeof *t * cap);
    if (t) memset(t, 0, sizeof *t * cap);
    return t;
}

/* count(key) += 1. A new key that would make the table more than half full
   doubles it first: every entry is placed again by its hash. */
static rnn_status rnn__ngram_inc(rnn_ngram *m, const int *key, int len)
{
    size_t i = rnn__ngram_slot(m->table, m->cap, key, len);
    if (m->table[i].len == 0 && 2 * (m->used + 1) > m->cap) {
        size_t j, cap = m->cap * 2;
        rnn_ngram_entry *t = cap > m->cap ? rnn__ngram_table(cap) : NULL;
        if (!t) return RNN_ERR_NOMEM;
        for (j = 0; j < m->cap; j++)
            if (m->table[j].len) t[rnn__ngram_slot(t, cap, m->table[j].key, m->table[j].len)] = m->table[j];
        RNN_FREE(m->table);
        m->table = t;
        m->cap = cap;
        i = rnn__ngram_slot(m->table, m->cap, key, len);
    }
    if (m->table[i].len == 0) {
        memcpy(m->table[i].key, key, sizeof(int) * (size_t)len);
        m->table[i].len = len;
        m->used++;
    }
    m->table[i].count++;
    return RNN_OK;
}

RNNDEF rnn_status rnn_ngram_init(rnn_ngram *m, const rnn_ngram_desc *d)
{
    RNN_ASSERT(m != NULL && d != NULL);
    memset(m, 0, sizeof *m);
    m->desc = *d;
    if (m->desc.order == 0) m->desc.order = 2;
    if (m->desc.lambda == 0) m->desc.lambda = 1;
    if (m->desc.order < 1 || m->desc.order > RNN_NGRAM_MAX_ORDER || m->desc.vocab_size < 1 ||
        !(m->desc.k >= 0 && m->desc.k <= 1e300) || /* written so that NaN and inf fail */
        !(m->desc.lambda > 0 && m->desc.lambda <= 1))
        return RNN_ERR_ARG;
    m->cap = 64;
    m->table = rnn__ngram_table(m->cap);
    if (!m->table) { m->cap = 0; return RNN_ERR_NOMEM; }
    return RNN_OK;
}

RNNDEF rnn_status rnn_ngram_fit(rnn_ngram *m, const int *tokens, int len)
{
    int i, n, key[RNN_NGRAM_MAX_ORDER];
    rnn_status st;
    RNN_ASSERT(m != NULL && m->table != NULL);
    if (len < 0) return RNN_ERR_ARG;
    RNN_ASSERT(tokens != NULL || len == 0);
    for (i = 0; i < len; i++)
        if (tokens[i] < 0 || tokens[i] >= m->desc.vocab_size) return RNN_ERR_TOKEN;
    for (i = 0; i < len; i++) {
        /* every n-gram that ends at token i, n = 1..order */
        for (n = 1; n <= m->desc.order && n <= i + 1; n++) {
            memcpy(key, tokens + i - n + 1, sizeof(int) * (size_t)n);
            if ((st = rnn__ngram_inc(m, key, n)) != RNN_OK) return st; /* count(h w) */
            key[n - 1] = -1;
            if ((st = rnn__ngram_inc(m, key, n)) != RNN_OK) return st; /* count(h .) */
        }
        m->n_tokens++;
    }
    return RNN_OK;
}

RNNDEF long long rnn_ngram_count(const rnn_ngram *m, const int *gram, int n)
{
    RNN_ASSERT(m != NULL && m->table != NULL && n >= 0 && n <= m->desc.order);
    if (n == 0) return m->n_tokens;
    return rnn__ngram_get(m, gram, n);
}

RNNDEF double rnn_ngram_prob(const rnn_ngram *m, const int *context, int context_len, int w)
{
    int n, n_max, key[RNN_NGRAM_MAX_ORDER];
    double V, k, lambda, p;
    long long c_hw, c_h;
    RNN_ASSERT(m != NULL && m->table != NULL && w >= 0 && w < m->desc.vocab_size);
    RNN_ASSERT(context_len >= 0 && (context != NULL || context_len == 0));
    V = m->desc.vocab_size; k = m->desc.k; lambda = m->desc.lambda;
    n_max = context_len + 1 < m->desc.order ? context_len + 1 : m->desc.order;
    /* order 1, the empty context: (count(w) + k) / (N + k V); with nothing
       fitted and k = 0 it is uniform */
    key[0] = w;
    c_hw = rnn__ngram_get(m, key, 1);
    c_h = m->n_tokens;
    p = (c_h > 0 || k > 0) ? ((double)c_hw + k) / ((double)c_h + k * V) : 1.0 / V;
    for (n = 2; n <= n_max; n++) {
        /* h: the last n-1 tokens of the context */
        memcpy(key, context + context_len - (n - 1), sizeof(int) * (size_t)(n - 1));
        key[n - 1] = -1;
        c_h = rnn__ngram_get(m, key, n);
        if (c_h == 0 && k == 0) continue; /* h never seen: the order below stands */
        key[n - 1] = w;
        c_hw = rnn__ngram_get(m, key, n);
        /* [lm.ngram] p(w | h) = count(h, w) / count(h): D4's formula, with one difference. D4
           divides by count(h), the times h occurs; here c_h = count(h .), the times h is
           followed by a token, so that the V probabilities sum to 1. They differ only where h
           ends a text ("a b a": D4 p(b|a) = 1/2, here 1; end each text with an end token and
           they agree; docs/errata.md, entry 28). Add-k smoothed, interpolated with the
           shorter context: */
        p = lambda * ((double)c_hw + k) / ((double)c_h + k * V) + (1 - lambda) * p;
    }
    return p;
}

RNNDEF rnn_status rnn_ngram_log_prob_sequence(const rnn_ngram *m, const int *tokens, int len,
                                              double *log_prob, long long *count)
{
    int i, h;
    double lp = 0;
    RNN_ASSERT(m != NULL && log_prob != NULL && count != NULL);
    if (len < 0) return RNN_ERR_ARG;
    RNN_ASSERT(tokens != NULL || len == 0);
    for (i = 0; i < len; i++)
        if (tokens[i] < 0 || tokens[i] >= m->desc.vocab_size) return RNN_ERR_TOKEN;
    for (i = 0; i < len; i++) {
        h = i < m->desc.order - 1 ? i : m->desc.order - 1; /* context length */
        /* [lm.chain] log P(w_1..w_m) = sum_i log P(w_i | w_{i-n+1}..w_{i-1}) */
        lp += log(rnn_ngram_prob(m, tokens + i - h, h, tokens[i]));
    }
    *log_prob += lp;
    *count += len;
    return RNN_OK;
}

RNNDEF void rnn_ngram_free(rnn_ngram *m)
{
    if (!m) return;
    RNN_FREE(m->table);
    memset(m, 0, sizeof *m);
}

/* -- embeddings -- */

RNNDEF rnn_real rnn_cosine(const rnn_real *u, const rnn_real *v, int n)
{
    double uv = 0, uu = 0, vv = 0, c;
    int i;
    for (i = 0; i < n; i++) {
        uv += (double)u[i] * v[i];
        uu += (double)u[i] * u[i];
        vv += (double)v[i] * v[i];
    }
    if (uu == 0 || vv == 0) return 0;
    c = uv / (sqrt(uu) * sqrt(vv)); /* [embed.cosine] cos(u, v) = u.v / (|u| |v|) */
    return (rnn_real)(c > 1 ? 1 : c < -1 ? -1 : c); /* rounding can pass +-1 */
}

RNNDEF rnn_status rnn_nearest(int *out, rnn_real *sims, int k, const rnn_real *E, int V, int D,
                              const rnn_real *query, const int *exclude, int n_exclude)
{
    int i, j, found = 0;
    if (k < 0 || V < 0 || D < 0 || n_exclude < 0) return RNN_ERR_ARG;
    RNN_ASSERT((out != NULL && sims != NULL) || k == 0);
    RNN_ASSERT((E != NULL || V == 0 || D == 0) && (query != NULL || D == 0));
    RNN_ASSERT(exclude != NULL || n_exclude == 0);
    for (i = 0; i < k; i++) { out[i] = -1; sims[i] = 0; }
    if (k == 0) return RNN_OK;
    for (i = 0; i < V; i++) {
        rnn_real s;
        int skip = 0;
        for (j = 0; j < n_exclude; j++) if (exclude[j] == i) skip = 1;
        if (skip) continue;
        s = rnn_cosine(E + (size_t)i * D, query, D);
        if (s != s) continue; /* NaN in the row: never among the nearest */
        if (found == k && !(s > sims[k - 1])) continue; /* not better than the k-th */
        /* insertion into the sorted list: shift the worse ones down */
        j = found < k ? found++ : k - 1;
        while (j > 0 && s > sims[j - 1]) { out[j] = out[j - 1]; sims[j] = sims[j - 1]; j--; }
        out[j] = i;
        sims[j] = s;
    }
    return RNN_OK;
}

RNNDEF rnn_status rnn_analogy(int *out, rnn_real *sims, int k, const rnn_real *E, int V, int D,
                              int a, int b, int c)
{
    int d, abc[3];
    rnn_real *q;
    rnn_status st;
    if (k < 0 || V < 0 || D < 0) return RNN_ERR_ARG;
    if (a < 0 || a >= V || b < 0 || b >= V || c < 0 || c >= V) return RNN_ERR_TOKEN;
    q = (rnn_real *)RNN_MALLOC(sizeof(rnn_real) * (size_t)(D > 0 ? D : 1));
    if (!q) return RNN_ERR_NOMEM;
    for (d = 0; d < D; d++) /* [embed.analogy] king - man + woman ~ queen */
        q[d] = E[(size_t)b * D + d] - E[(size_t)a * D + d] + E[(size_t)c * D + d];
    abc[0] = a; abc[1] = b; abc[2] = c;
    st = rnn_nearest(out, sims, k, E, V, D, q, abc, 3);
    RNN_FREE(q);
    return st;
}

/* >>files ================================================================= */
/*
   Checkpoints in the safetensors format:
       8 bytes    N, the header's length (unsigned, little-endian)
       N bytes    JSON: {"name": {"dtype": "F32", "shape": [4, 3],
                  "data_offsets": [begin, end]}, ..., "__metadata__": {...}}
       the rest   the tensors' bytes, little-endian, each at [begin, end)
   A loaded file is treated as hostile: every length, offset, shape and
   product is checked before it is used, the JSON parser accepts only this
   shape of header (so deep nesting is refused at once), and nothing is
   allocated from a size the file claims before it is checked against the
   file's real size. Names are compared as C strings, so a name that holds
   a control character (a "\u0000" would cut it short) is refused, and so
   is a key that appears twice (Python's json would keep the last one and
   this reader the first: the two would load different models).
*/

#define RNN__CK_MAX_TENSORS 256
#define RNN__CK_MAX_NAME 64
#define RNN__CK_MAX_META 64

typedef struct rnn__ck_tensor {
    char name[RNN__CK_MAX_NAME];
    int dtype;                  /* 4 = F32, 8 = F64, 3 = I32 (the size, with I32 marked 3) */
    int ndim;
    uint64_t shape[8];
    uint64_t begin, end;
} rnn__ck_tensor;

typedef struct rnn__ck_file {
    int n;
    rnn__ck_tensor t[RNN__CK_MAX_TENSORS];
    int n_meta;
    char meta_key[RNN__CK_MAX_META][RNN__CK_MAX_NAME];
    char meta_val[RNN__CK_MAX_META][RNN_CK_USER_VALUE];
    unsigned char meta_bad[RNN__CK_MAX_META]; /* 1: the value was 128 bytes or
                                                 longer, or held \u0000     */
    const unsigned char *data;  /* the byte buffer after the header */
    uint64_t data_len;
} rnn__ck_file;

static rnn_status rnn__ck_fail(rnn_checkpoint *ck, rnn_status st, const char *what, const char *name)
{
    if (ck) {
        size_t k = 0, j;
        for (j = 0; what[j] && k + 1 < sizeof ck->error; j++) ck->error[k++] = what[j];
        if (name) {
            const char *sep = ": ";
            for (j = 0; sep[j] && k + 1 < sizeof ck->error; j++) ck->error[k++] = sep[j];
            for (j = 0; name[j] && k + 1 < sizeof ck->error; j++) ck->error[k++] = name[j];
        }
        ck->error[k] = 0;
    }
    return st;
}

/* -- the user's settings (rnn_checkpoint_set, "user.<key>" in the file) -- */
#define RNN__CK_USER_PREFIX "user."
#define RNN__CK_USER_PREFIX_LEN 5 /* its length */

/* 1 when key is 1..RNN_CK_USER_KEY-1 of A-Z a-z 0-9 _ - . (so a key needs
   no escaping, and reads the same in every language); n: bytes to look at */
static int rnn__ck_user_key_ok(const char *key, size_t n)
{
    size_t k;
    for (k = 0; k < n && key[k]; k++) {
        char c = key[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
            return 0;
    }
    return k > 0 && k < n && k < RNN_CK_USER_KEY;
}
/* 1 when the first n bytes of s hold valid UTF-8 ending with a 0: no
   stray continuation byte, no overlong form, no surrogate, nothing past
   U+10FFFF (what Python's json demands of a safetensors header) */
static int rnn__utf8_ok(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t k = 0;
    while (k < n && s[k]) {
        unsigned long u;
        int more, q;
        if (s[k] < 0x80) { k++; continue; }
        if (s[k] >= 0xC2 && s[k] <= 0xDF) { more = 1; u = s[k] & 0x1Fu; }
        else if (s[k] >= 0xE0 && s[k] <= 0xEF) { more = 2; u = s[k] & 0x0Fu; }
        else if (s[k] >= 0xF0 && s[k] <= 0xF4) { more = 3; u = s[k] & 0x07u; }
        else return 0;
        for (q = 1; q <= more; q++) {
            if (k + (size_t)q >= n || (s[k + q] & 0xC0) != 0x80) return 0;
            u = u << 6 | (s[k + q] & 0x3Fu);
        }
        if ((more == 2 && u < 0x800) || (more == 3 && (u < 0x10000 || u > 0x10FFFF)) || (u >= 0xD800 && u <= 0xDFFF))
            return 0;
        k += (size_t)more + 1;
    }
    return k < n;
}
static int rnn__ck_user_find(const rnn_checkpoint *ck, const char *key)
{
    int k;
    for (k = 0; k < ck->n_user; k++)
        if (strncmp(ck->user_key[k], key, RNN_CK_USER_KEY) == 0) return k;
    return -1;
}

/* -- a JSON reader for exactly the safetensors header -- */
typedef struct rnn__json { const char *s; size_t n, i; } rnn__json;

static void rnn__json_ws(rnn__json *j)
{
    while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r')) j->i++;
}
static int rnn__json_eat(rnn__json *j, char c)
{
    rnn__json_ws(j);
    if (j->i < j->n && j->s[j->i] == c) { j->i++; return 1; }
    return 0;
}
/* A string into out (cut at cap-1 bytes). *flags gets RNN__JSON_CUT when
   it was cut, RNN__JSON_CTL when it holds a control character (U+0000 to
   U+001F, or U+007F), and RNN__JSON_NUL when one of them is U+0000. A
   \uXXXX escape becomes its UTF-8 bytes (a surrogate pair, one code
   point); other bytes are copied as they are. */
#define RNN__JSON_CUT 1
#define RNN__JSON_CTL 2
#define RNN__JSON_NUL 4
static int rnn__json_hex4(rnn__json *j, unsigned long *v)
{
    int h;
    *v = 0;
    for (h = 0; h < 4; h++) { /* each digit checked on its own */
        char d;
        if (j->i >= j->n) return 0;
        d = j->s[j->i++];
        if (d >= '0' && d <= '9') *v = *v * 16 + (unsigned long)(d - '0');
        else if (d >= 'a' && d <= 'f') *v = *v * 16 + (unsigned long)(d - 'a' + 10);
        else if (d >= 'A' && d <= 'F') *v = *v * 16 + (unsigned long)(d - 'A' + 10);
        else return 0;
    }
    return 1;
}
static int rnn__json_string(rnn__json *j, char *out, size_t cap, int *flags)
{
    size_t k = 0;
    *flags = 0;
    if (!rnn__json_eat(j, '"')) return 0;
    while (j->i < j->n) {
        unsigned char c = (unsigned char)j->s[j->i++], b[4];
        unsigned long u = c; /* the character: a byte, or an escape's code point */
        int nb = 1, q;
        if (c == '"') { out[k] = 0; return 1; }
        if (c < 0x20) return 0; /* JSON: a control character must be escaped */
        b[0] = c;
        if (c == '\\') {
            if (j->i >= j->n) return 0;
            c = (unsigned char)j->s[j->i++];
            switch (c) {
            case '"': case '\\': case '/': u = c; break;
            case 'b': u = '\b'; break; case 'f': u = '\f'; break;
            case 'n': u = '\n'; break; case 'r': u = '\r'; break; case 't': u = '\t'; break;
            case 'u': {
                unsigned long lo;
                if (!rnn__json_hex4(j, &u) || (u >= 0xDC00 && u <= 0xDFFF)) return 0; /* a lone low surrogate */
                if (u >= 0xD800 && u <= 0xDBFF) { /* a high surrogate: its low half must follow */
                    if (j->i + 2 > j->n || j->s[j->i] != '\\' || j->s[j->i + 1] != 'u') return 0;
                    j->i += 2;
                    if (!rnn__json_hex4(j, &lo) || lo < 0xDC00 || lo > 0xDFFF) return 0;
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                }
                break;
            }
            default: return 0;
            }
            if (u < 0x80) b[0] = (unsigned char)u; /* UTF-8 */
            else if (u < 0x800) { b[0] = (unsigned char)(0xC0 | u >> 6); nb = 2; }
            else if (u < 0x10000) { b[0] = (unsigned char)(0xE0 | u >> 12); nb = 3; }
            else { b[0] = (unsigned char)(0xF0 | u >> 18); nb = 4; }
            for (q = 1; q < nb; q++) b[q] = (unsigned char)(0x80 | ((u >> (6 * (nb - 1 - q))) & 0x3F));
        }
        if (u < 0x20 || u == 0x7F) *flags |= RNN__JSON_CTL;
        if (u == 0) *flags |= RNN__JSON_NUL;
        for (q = 0; q < nb; q++) {
            if (k + 1 < cap) out[k++] = (char)b[q];
            else *flags |= RNN__JSON_CUT;
        }
    }
    return 0;
}
/* a non-negative integer below 2^53, without leading zeros (as JSON) */
static int rnn__json_uint(rnn__json *j, uint64_t *v)
{
    int digits = 0;
    rnn__json_ws(j);
    *v = 0;
    while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9') {
        if (digits == 1 && *v == 0) return 0; /* 007 */
        *v = *v * 10 + (uint64_t)(j->s[j->i++] - '0');
        if (++digits > 15) return 0;
    }
    return digits > 0;
}
static int rnn__json_uint_array(rnn__json *j, uint64_t *v, int cap, int *count)
{
    *count = 0;
    if (!rnn__json_eat(j, '[')) return 0;
    if (rnn__json_eat(j, ']')) return 1;
    do {
        if (*count >= cap || !rnn__json_uint(j, &v[*count])) return 0;
        (*count)++;
    } while (rnn__json_eat(j, ','));
    return rnn__json_eat(j, ']');
}

static rnn_status rnn__ck_parse(rnn__ck_file *f, rnn_checkpoint *ck, const unsigned char *buf, size_t len)
{
    uint64_t N = 0, covered = 0;
    rnn__json j;
    int k, i, empty, seen_meta = 0, n_user = 0;
    memset(f, 0, sizeof *f);
    if (len < 8) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "the file is shorter than the 8-byte header length", NULL);
    for (k = 7; k >= 0; k--) N = (N << 8) | buf[k];
    if (N < 2 || N > len - 8) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "the header length runs past the end of the file", NULL);
    j.s = (const char *)buf + 8; j.n = (size_t)N; j.i = 0;
    f->data = buf + 8 + N; f->data_len = len - 8 - N;
    if (!rnn__json_eat(&j, '{')) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "the header is not a JSON object", NULL);
    empty = rnn__json_eat(&j, '}'); /* {} : no tensor at all */
    if (!empty) do {
        char key[RNN__CK_MAX_NAME];
        int cut;
        if (!rnn__json_string(&j, key, sizeof key, &cut) || !rnn__json_eat(&j, ':'))
            return rnn__ck_fail(ck, RNN_ERR_FORMAT, "malformed JSON header (a name)", NULL);
        if (cut & RNN__JSON_CUT) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a tensor name is 64 bytes or longer", NULL);
        if (cut & RNN__JSON_CTL) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a tensor name holds a control character", NULL);
        if (strcmp(key, "__metadata__") == 0) {
            if (seen_meta++) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "__metadata__ appears twice", NULL);
            if (!rnn__json_eat(&j, '{')) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "__metadata__ is not an object", NULL);
            if (rnn__json_eat(&j, '}')) continue; /* an empty __metadata__: on to the ',' */
            do {
                char mk[RNN__CK_MAX_NAME], mv[RNN_CK_USER_VALUE];
                int cut2;
                if (!rnn__json_string(&j, mk, sizeof mk, &cut) || !rnn__json_eat(&j, ':') ||
                    !rnn__json_string(&j, mv, sizeof mv, &cut2))
                    return rnn__ck_fail(ck, RNN_ERR_FORMAT, "malformed __metadata__ (each entry is a \"key\": \"string\", in valid JSON)", NULL);
                if (cut) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a __metadata__ key is 64 bytes or longer, or holds a control character", NULL);
                for (i = 0; i < f->n_meta; i++)
                    if (strcmp(f->meta_key[i], mk) == 0) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a __metadata__ key appears twice", mk);
                if (f->n_meta >= RNN__CK_MAX_META) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "more than 64 __metadata__ entries", NULL);
                if (strncmp(mk, RNN__CK_USER_PREFIX, RNN__CK_USER_PREFIX_LEN) == 0) { /* a user setting: within rnn_checkpoint_set's limits */
                    if (!rnn__ck_user_key_ok(mk + RNN__CK_USER_PREFIX_LEN, RNN__CK_MAX_NAME - RNN__CK_USER_PREFIX_LEN))
                        return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a user key is not 1 to 31 letters, digits, '_', '-' or '.'", mk);
                    if (cut2 & RNN__JSON_CUT) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a user value is 128 bytes or longer", mk);
                    if (cut2 & RNN__JSON_NUL) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a user value holds \\u0000", mk);
                    if (!rnn__utf8_ok(mv, sizeof mv)) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a user value is not valid UTF-8", mk);
                    if (++n_user > RNN_CK_USER_MAX) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "more than 32 (RNN_CK_USER_MAX) user entries in __metadata__", mk);
                }
                /* a long value, or one with \u0000, is kept as unreadable: an
                   error only if it is one this reader needs */
                strcpy(f->meta_key[f->n_meta], mk); strcpy(f->meta_val[f->n_meta], mv);
                f->meta_bad[f->n_meta] = (cut2 & (RNN__JSON_CUT | RNN__JSON_NUL)) != 0;
                f->n_meta++;
            } while (rnn__json_eat(&j, ','));
            if (!rnn__json_eat(&j, '}')) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "malformed __metadata__", NULL);
        } else {
            rnn__ck_tensor *t;
            int have = 0, cnt;
            uint64_t off[2], bytes;
            if (f->n >= RNN__CK_MAX_TENSORS) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "too many tensors", NULL);
            for (i = 0; i < f->n; i++)
                if (strcmp(f->t[i].name, key) == 0) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a tensor appears twice", key);
            t = &f->t[f->n++];
            strcpy(t->name, key);
            if (!rnn__json_eat(&j, '{')) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a tensor entry is not an object", key);
            do {
                char field[16], val[8];
                int bit;
                if (!rnn__json_string(&j, field, sizeof field, &cut) || cut || !rnn__json_eat(&j, ':'))
                    return rnn__ck_fail(ck, RNN_ERR_FORMAT, "malformed tensor entry", key);
                bit = strcmp(field, "dtype") == 0 ? 1 : strcmp(field, "shape") == 0 ? 2 : strcmp(field, "data_offsets") == 0 ? 4 : 0;
                if (have & bit) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a field appears twice in a tensor entry", key);
                if (strcmp(field, "dtype") == 0) {
                    if (!rnn__json_string(&j, val, sizeof val, &cut) || cut)
                        return rnn__ck_fail(ck, RNN_ERR_FORMAT, "unknown dtype", key);
                    if (strcmp(val, "F32") == 0) t->dtype = 4;
                    else if (strcmp(val, "F64") == 0) t->dtype = 8;
                    else if (strcmp(val, "I32") == 0) t->dtype = 3;
                    else return rnn__ck_fail(ck, RNN_ERR_FORMAT, "unknown dtype (F32, F64 and I32 are read)", key);
                    have |= 1;
                } else if (strcmp(field, "shape") == 0) {
                    if (!rnn__json_uint_array(&j, t->shape, 8, &t->ndim))
                        return rnn__ck_fail(ck, RNN_ERR_FORMAT, "malformed shape", key);
                    have |= 2;
                } else if (strcmp(field, "data_offsets") == 0) {
                    if (!rnn__json_uint_array(&j, off, 2, &cnt) || cnt != 2)
                        return rnn__ck_fail(ck, RNN_ERR_FORMAT, "malformed data_offsets", key);
                    t->begin = off[0]; t->end = off[1];
                    have |= 4;
                } else return rnn__ck_fail(ck, RNN_ERR_FORMAT, "unknown field in a tensor entry", key);
            } while (rnn__json_eat(&j, ','));
            if (!rnn__json_eat(&j, '}') || have != 7)
                return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a tensor entry lacks dtype, shape or data_offsets", key);
            /* the product of the shape, refusing overflow: every factor is
               below 2^53, and we stop as soon as it passes the file's size */
            bytes = t->dtype == 3 ? 4 : (uint64_t)t->dtype;
            for (i = 0; i < t->ndim; i++) {
                if (t->shape[i] != 0 && bytes > f->data_len / t->shape[i])
                    return rnn__ck_fail(ck, RNN_ERR_FORMAT, "the shape is larger than the file", key);
                bytes *= t->shape[i];
            }
            if (t->begin > t->end || t->end > f->data_len)
                return rnn__ck_fail(ck, RNN_ERR_FORMAT, "data_offsets run past the end of the file", key);
            if (t->end - t->begin != bytes)
                return rnn__ck_fail(ck, RNN_ERR_FORMAT, "data_offsets disagree with the shape and dtype", key);
        }
    } while (rnn__json_eat(&j, ','));
    if (!empty && !rnn__json_eat(&j, '}')) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "malformed JSON header (expected , or })", NULL);
    rnn__json_ws(&j);
    if (j.i != j.n) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "text after the JSON header", NULL);
    /* the tensors must tile the byte buffer: no overlap, no hole */
    for (k = 0; k < f->n; k++) { /* sort by begin (insertion sort: n is small) */
        rnn__ck_tensor tmp = f->t[k];
        for (i = k; i > 0 && f->t[i - 1].begin > tmp.begin; i--) f->t[i] = f->t[i - 1];
        f->t[i] = tmp;
    }
    for (k = 0; k < f->n; k++) {
        if (f->t[k].begin != covered) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "tensors overlap or leave a hole", f->t[k].name);
        covered = f->t[k].end;
    }
    if (covered != f->data_len) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "bytes after the last tensor", NULL);
    return RNN_OK;
}

static const rnn__ck_tensor *rnn__ck_find(const rnn__ck_file *f, const char *name)
{
    int k;
    for (k = 0; k < f->n; k++) if (strcmp(f->t[k].name, name) == 0) return &f->t[k];
    return NULL;
}
/* a metadata value, NULL when absent; "" (which no reader accepts) when it
   was too long or held \u0000 */
static const char *rnn__ck_meta(const rnn__ck_file *f, const char *key)
{
    int k;
    for (k = 0; k < f->n_meta; k++)
        if (strcmp(f->meta_key[k], key) == 0) return f->meta_bad[k] ? "" : f->meta_val[k];
    return NULL;
}

/* Metadata numbers are read strictly: the whole string is the number, with
   no sign but '-', no space, no junk ("3junk" is not 3, as atoi would have
   it), and it must lie in [lo, hi] ("4294967300" is not 4). An absent key
   reads as 0, the default, where 0 is allowed. RNN_ERR_FORMAT for a value
   that is not a whole number, RNN_ERR_ARG for one out of range; ck->error
   names the key. */
static rnn_status rnn__ck_int(const rnn__ck_file *f, rnn_checkpoint *ck, const char *key,
                              int64_t lo, int64_t hi, int64_t *out)
{
    const char *v = rnn__ck_meta(f, key);
    uint64_t u = 0;
    int k, neg;
    *out = 0;
    if (!v) return lo <= 0 && hi >= 0 ? RNN_OK : rnn__ck_fail(ck, RNN_ERR_FORMAT, "a number is missing from __metadata__", key);
    neg = v[0] == '-';
    for (k = neg; v[k]; k++) {
        if (v[k] < '0' || v[k] > '9' || u > (uint64_t)INT64_MAX / 10) break;
        u = u * 10 + (uint64_t)(v[k] - '0');
    }
    if (v[k] || k == neg || u > (uint64_t)INT64_MAX)
        return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a __metadata__ value is not a whole number (of at most 18 digits)", key);
    *out = neg ? -(int64_t)u : (int64_t)u;
    if (*out < lo || *out > hi) return rnn__ck_fail(ck, RNN_ERR_ARG, "a __metadata__ number is out of range", key);
    return RNN_OK;
}
/* the same for an unsigned 64-bit number (the training loop's generator) */
static rnn_status rnn__ck_u64(const rnn__ck_file *f, rnn_checkpoint *ck, const char *key, uint64_t *out)
{
    const char *v = rnn__ck_meta(f, key);
    int k;
    *out = 0;
    if (!v) return RNN_OK;
    for (k = 0; v[k] >= '0' && v[k] <= '9'; k++) {
        uint64_t d = (uint64_t)(v[k] - '0');
        if (*out > (UINT64_MAX - d) / 10) break; /* past 2^64 - 1 */
        *out = *out * 10 + d;
    }
    if (v[k] || k == 0) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a __metadata__ value is not an unsigned 64-bit number", key);
    return RNN_OK;
}

/* the i-th element of a tensor, read little-endian whatever the machine */
static double rnn__ck_get(const rnn__ck_file *f, const rnn__ck_tensor *t, uint64_t i)
{
    const unsigned char *p = f->data + t->begin + i * (t->dtype == 8 ? 8 : 4);
    if (t->dtype == 8) {
        uint64_t u = 0; double d; int k;
        for (k = 7; k >= 0; k--) u = (u << 8) | p[k];
        memcpy(&d, &u, 8);
        return d;
    } else {
        uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        if (t->dtype == 3) return (double)(int32_t)u;
        { float x; memcpy(&x, &u, 4); return (double)x; }
    }
}

/* copies a tensor of the file into dst after checking its shape (rows, cols;
   cols = 0 for a vector) */
static rnn_status rnn__ck_read(const rnn__ck_file *f, rnn_checkpoint *ck, const char *name,
                               rnn_real *dst, uint64_t rows, uint64_t cols, int refuse_nonfinite)
{ /* dst NULL: only check */
    const rnn__ck_tensor *t = rnn__ck_find(f, name);
    uint64_t i, n = cols ? rows * cols : rows;
    if (!t) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a tensor the model needs is missing", name);
    if (t->dtype == 3) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a weight must be F32 or F64, not I32", name);
    if (t->ndim != (cols ? 2 : 1) || t->shape[0] != rows || (cols && t->shape[1] != cols))
        return rnn__ck_fail(ck, RNN_ERR_SIZE, "a tensor's shape disagrees with the model", name);
    for (i = 0; i < n; i++) {
        /* tested as rnn_real, after the conversion: an F64 1e300 is finite
           as a double and Inf as a float */
        rnn_real x = (rnn_real)rnn__ck_get(f, t, i);
        if (refuse_nonfinite && !(x - x == 0))
            return rnn__ck_fail(ck, RNN_ERR_NAN, "a tensor holds NaN or Inf (as rnn_real)", name);
        if (dst) dst[i] = x;
    }
    return RNN_OK;
}

/* names of the extra tensors, with the layer number filled in */
static void rnn__ck_name(char *out, const char *pattern, int l)
{
    size_t k = 0;
    for (; *pattern && k + 2 < RNN__CK_MAX_NAME; pattern++) {
        if (pattern[0] == '%' && pattern[1] == 'd') { out[k++] = (char)('0' + l); pattern++; }
        else out[k++] = *pattern;
    }
    out[k] = 0;
}

static rnn_status rnn__ck_getreal(const rnn__ck_file *f, rnn_checkpoint *ck, const char *key, rnn_real *out);

/* The optimizer's settings from __metadata__ (all eight must be there),
   checked as rnn_optim_init checks them, and its step (>= 0). */
static rnn_status rnn__ck_optim_desc(const rnn__ck_file *f, rnn_checkpoint *ck, rnn_optim_desc *od, int64_t *step)
{
    static const char *const keys[] = {"optim.kind", "optim.step", "optim.lr", "optim.momentum",
                                       "optim.beta1", "optim.beta2", "optim.alpha", "optim.eps"};
    int64_t kind;
    rnn_status st;
    int k;
    memset(od, 0, sizeof *od);
    for (k = 0; k < 8; k++)
        if (!rnn__ck_meta(f, keys[k])) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "an optimizer setting is missing from __metadata__", keys[k]);
    if ((st = rnn__ck_int(f, ck, "optim.kind", RNN_SGD, RNN_ADAM, &kind)) != RNN_OK ||
        (st = rnn__ck_int(f, ck, "optim.step", 0, LONG_MAX, step)) != RNN_OK ||
        (st = rnn__ck_getreal(f, ck, "optim.lr", &od->lr)) != RNN_OK ||
        (st = rnn__ck_getreal(f, ck, "optim.momentum", &od->momentum)) != RNN_OK ||
        (st = rnn__ck_getreal(f, ck, "optim.beta1", &od->beta1)) != RNN_OK ||
        (st = rnn__ck_getreal(f, ck, "optim.beta2", &od->beta2)) != RNN_OK ||
        (st = rnn__ck_getreal(f, ck, "optim.alpha", &od->alpha)) != RNN_OK ||
        (st = rnn__ck_getreal(f, ck, "optim.eps", &od->eps)) != RNN_OK)
        return st;
    od->kind = (rnn_optim_kind)kind;
    if (!rnn__optim_valid(od))
        return rnn__ck_fail(ck, RNN_ERR_ARG, "the optimizer's settings cannot train (lr and eps must be > 0, decays in [0, 1))", NULL);
    return RNN_OK;
}

/* Reads the weights (and what ck asks for) into a model that already has the
   right shape, all or nothing, in two passes.
   1. Check everything against the model and ck, writing nothing: every
      tensor the model has, with its shape; every tensor of the file used
      (one the model does not have is an error, not silently dropped); the
      optimizer's settings valid and its moments finite, the second moments
      (Adagrad's and RMSprop's m1, Adam's m2) >= 0, whatever ck asks: a bad
      moment would make every weight NaN at the next step; the state's
      shapes; the vocabulary's room; the training counters.
   2. Allocate what is needed (the optimizer's moments, the state's rows),
      then copy. Nothing after the allocations can fail, so a failed load
      leaves m, *ck->optim, the vocabulary and the counters as they were.
   *ck->optim is replaced (its old moments freed) only when the file has an
   optimizer; otherwise it is left alone. */
static rnn_status rnn__ck_fill(rnn_model *m, rnn_checkpoint *ck, const rnn__ck_file *f)
{
    int k, l, used = 0, B = 0;
    int nf = ck ? ck->refuse_nonfinite : 0;
    int has_optim = rnn__ck_find(f, "optim.m1") || rnn__ck_find(f, "optim.m2");
    const rnn__ck_tensor *st0 = rnn__ck_find(f, "state.h_l0"), *vt = rnn__ck_find(f, "vocab");
    int want_optim = has_optim && ck && ck->optim, want_state = st0 && ck && ck->with_state;
    int want_vocab = vt && ck && ck->vocab;
    int64_t ostep = 0, tstep = 0, tpos = 0;
    uint64_t trng = 0, i;
    rnn_optim_desc od;
    rnn_optim o;
    rnn_status st;
    char name[RNN__CK_MAX_NAME];
    memset(&od, 0, sizeof od);
    memset(&o, 0, sizeof o);
    /* 1. check */
    if (ck && ck->vocab && ck->vocab_cap < 0) return rnn__ck_fail(ck, RNN_ERR_ARG, "vocab_cap is negative", NULL);
    for (k = 0; k < m->n_tensors; k++) {
        const rnn_tensor *t = &m->tensors[k];
        st = rnn__ck_read(f, ck, t->name, NULL, (uint64_t)t->rows, t->ndim == 1 ? 0 : (uint64_t)t->cols, nf);
        if (st != RNN_OK) return st;
        used++;
    }
    if (has_optim) {
        const char *second;
        const rnn__ck_tensor *t;
        used += 2;
        if ((st = rnn__ck_read(f, ck, "optim.m1", NULL, (uint64_t)m->n_params, 0, 1)) != RNN_OK ||
            (st = rnn__ck_read(f, ck, "optim.m2", NULL, (uint64_t)m->n_params, 0, 1)) != RNN_OK ||
            (st = rnn__ck_optim_desc(f, ck, &od, &ostep)) != RNN_OK)
            return st;
        second = od.kind == RNN_ADAM ? "optim.m2" : od.kind == RNN_SGD ? NULL : "optim.m1";
        if (second && (t = rnn__ck_find(f, second)) != NULL)
            for (i = 0; i < (uint64_t)m->n_params; i++)
                if (rnn__ck_get(f, t, i) < 0) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a second moment of the optimizer is negative", second);
    }
    if (st0) {
        B = st0->ndim == 2 && st0->shape[0] > 0 && st0->shape[0] < (1 << 20) ? (int)st0->shape[0] : -1;
        if (B < 0) return rnn__ck_fail(ck, RNN_ERR_SIZE, "a saved state has a bad shape", st0->name);
        used += 2 * m->L;
        for (l = 0; l < m->L; l++) {
            rnn__ck_name(name, "state.h_l%d", l);
            if ((st = rnn__ck_read(f, ck, name, NULL, (uint64_t)B, (uint64_t)m->layers[l].H, nf)) != RNN_OK) return st;
            rnn__ck_name(name, "state.c_l%d", l);
            if ((st = rnn__ck_read(f, ck, name, NULL, (uint64_t)B, (uint64_t)m->layers[l].H, nf)) != RNN_OK) return st;
        }
    }
    if (vt) {
        used++;
        if (vt->dtype != 3 || vt->ndim != 1) return rnn__ck_fail(ck, RNN_ERR_FORMAT, "vocab must be a 1-D I32 tensor", NULL);
        if (want_vocab && vt->shape[0] > (uint64_t)ck->vocab_cap)
            return rnn__ck_fail(ck, RNN_ERR_SIZE, "the vocabulary is larger than vocab_cap", NULL);
    }
    if (used != f->n) { /* name one tensor the model does not know */
        for (k = 0; k < f->n; k++) {
            const char *nm = f->t[k].name;
            int known = 0, j;
            for (j = 0; j < m->n_tensors; j++) if (strcmp(m->tensors[j].name, nm) == 0) known = 1;
            if (!known && strncmp(nm, "optim.", 6) != 0 && strncmp(nm, "state.", 6) != 0 && strcmp(nm, "vocab") != 0)
                return rnn__ck_fail(ck, RNN_ERR_SIZE, "the file has a tensor this model does not", nm);
        }
        return rnn__ck_fail(ck, RNN_ERR_FORMAT, "the optimizer or state tensors are incomplete", NULL);
    }
    if (ck && ((st = rnn__ck_u64(f, ck, "train.rng", &trng)) != RNN_OK ||
               (st = rnn__ck_int(f, ck, "train.step", -INT64_MAX, INT64_MAX, &tstep)) != RNN_OK ||
               (st = rnn__ck_int(f, ck, "train.data_pos", -INT64_MAX, INT64_MAX, &tpos)) != RNN_OK))
        return st;
    /* 2. allocate, then copy */
    if (want_optim && (st = rnn_optim_init(&o, &od, m->n_params)) != RNN_OK) return st;
    if (want_state && (st = rnn_reserve(m, 1, B)) != RNN_OK) { rnn_optim_free(&o); return st; }
    for (k = 0; k < m->n_tensors; k++) {
        const rnn_tensor *t = &m->tensors[k];
        rnn__ck_read(f, NULL, t->name, t->data, (uint64_t)t->rows, t->ndim == 1 ? 0 : (uint64_t)t->cols, 0);
    }
    if (want_state)
        for (l = 0; l < m->L; l++) {
            rnn__ck_name(name, "state.h_l%d", l);
            rnn__ck_read(f, NULL, name, m->layers[l].h, (uint64_t)B, (uint64_t)m->layers[l].H, 0);
            rnn__ck_name(name, "state.c_l%d", l);
            rnn__ck_read(f, NULL, name, m->layers[l].c, (uint64_t)B, (uint64_t)m->layers[l].H, 0);
        }
    if (want_optim) {
        rnn__ck_read(f, NULL, "optim.m1", o.m1, (uint64_t)m->n_params, 0, 0);
        rnn__ck_read(f, NULL, "optim.m2", o.m2, (uint64_t)m->n_params, 0, 0);
        o.step = (long)ostep;
        rnn_optim_free(ck->optim);
        *ck->optim = o;
    }
    if (want_vocab) {
        for (i = 0; i < vt->shape[0]; i++) ck->vocab[i] = (int32_t)rnn__ck_get(f, vt, i);
        ck->vocab_len = (int)vt->shape[0];
    }
    if (ck) {
        ck->rng_state = trng; ck->step = tstep; ck->data_pos = tpos;
        ck->n_user = 0; /* the file's settings, checked by rnn__ck_parse */
        for (k = 0; k < f->n_meta; k++)
            if (strncmp(f->meta_key[k], RNN__CK_USER_PREFIX, RNN__CK_USER_PREFIX_LEN) == 0) {
                strcpy(ck->user_key[ck->n_user], f->meta_key[k] + RNN__CK_USER_PREFIX_LEN);
                strcpy(ck->user_value[ck->n_user], f->meta_val[k]);
                ck->n_user++;
            }
    }
    return RNN_OK;
}

static const char *const rnn__output_names[] = {"default", "softmax", "sigmoid", "linear"};

/* Loads into a model you have built (for example from a PyTorch state dict).
   All or nothing (see rnn__ck_fill): on failure the weights, the state, the
   batch size and *ck->optim are as they were. */
RNNDEF rnn_status rnn_load_weights_memory(rnn_model *m, rnn_checkpoint *ck,
                                          const unsigned char *buf, size_t len)
{
    rnn__ck_file *f;
    rnn_status st;
    if (ck) ck->error[0] = 0;
    if (!m->params || m->n_tensors <= 0)
        return rnn__ck_fail(ck, RNN_ERR_ARG, "the model is not built (rnn_model_init first)", NULL);
    f = (rnn__ck_file *)RNN_MALLOC(sizeof *f);
    if (!f) return RNN_ERR_NOMEM;
    st = rnn__ck_parse(f, ck, buf, len);
    if (st == RNN_OK) st = rnn__ck_fill(m, ck, f);
    RNN_FREE(f);
    return st;
}

/* Nothing is allocated from a size the file claims before that size is
   checked against the file's real size: every weight of the model must be
   in the file, 4 bytes at least, so this many weights must fit in it (the
   recurrent layers without peepholes or skip weights, the head, the
   embedding: a lower bound of n_params). In 64 bits: the description's
   numbers are within rnn_model_init's limits, so it cannot overflow. */
static uint64_t rnn__ck_weights_at_least(const rnn_model_desc *d)
{
    uint64_t D = d->bidirectional ? 2 : 1, G = (uint64_t)rnn_cell_gates(d->cell), H = (uint64_t)d->hidden_size;
    uint64_t n = (uint64_t)d->output_size * (H * D + 1) + (uint64_t)d->embed_size * (uint64_t)d->input_size;
    int lv;
    for (lv = 0; lv < (d->num_layers ? d->num_layers : 1); lv++)
        n += D * G * H * ((lv ? H * D : (uint64_t)(d->embed_size ? d->embed_size : d->input_size)) + H + 2);
    return n;
}

/* Builds the model the file describes (its __metadata__), then loads it.
   m is overwritten; on failure it is left empty (nothing to free). */
RNNDEF rnn_status rnn_load_memory(rnn_model *m, rnn_checkpoint *ck,
                                  const unsigned char *buf, size_t len)
{
    rnn__ck_file *f = (rnn__ck_file *)RNN_MALLOC(sizeof *f);
    rnn_model_desc d;
    rnn_status st;
    const char *v;
    int k;
    memset(m, 0, sizeof *m);
    if (ck && ck->optim) memset(ck->optim, 0, sizeof *ck->optim);
    if (!f) return RNN_ERR_NOMEM;
    if (ck) ck->error[0] = 0;
    memset(&d, 0, sizeof d);
    st = rnn__ck_parse(f, ck, buf, len);
    if (st == RNN_OK) {
        v = rnn__ck_meta(f, "format");
        if (!v || strcmp(v, "rnn.h") != 0)
            st = rnn__ck_fail(ck, RNN_ERR_FORMAT, "no rnn.h description in __metadata__ (use rnn_load_weights)", NULL);
        else if ((v = rnn__ck_meta(f, "version")) != NULL && strcmp(v, "1") != 0)
            st = rnn__ck_fail(ck, RNN_ERR_FORMAT, "the checkpoint's format version is not 1", v);
    }
    if (st == RNN_OK) {
        /* every number of the description read strictly, each in the range
           rnn_model_init allows it; rnn_model_init then checks them together
           (num_layers times the directions, skip_delay 1, ...) */
        const struct { const char *key; int *field; int64_t lo, hi; } ints[] = {
            {"input_size", &d.input_size, 1, RNN__MAX_INPUT}, {"hidden_size", &d.hidden_size, 1, RNN__MAX_HIDDEN},
            {"output_size", &d.output_size, 0, RNN__MAX_INPUT}, {"num_layers", &d.num_layers, 0, RNN_MAX_LAYERS},
            {"gru_flags", &d.gru_flags, 0, RNN_GRU_RESET_BEFORE | RNN_GRU_UPDATE_DECK | RNN_GRU_UPDATE_KEEP},
            {"loss_last_only", &d.loss_last_only, 0, 1}, {"embed_size", &d.embed_size, 0, RNN__MAX_HIDDEN},
            {"bidirectional", &d.bidirectional, 0, 1}, {"skip_delay", &d.skip_delay, 0, INT_MAX}};
        const struct { const char *key; rnn_real *field; } reals[] = {
            {"leak", &d.leak}, {"dropout", &d.dropout}, {"dropout_input", &d.dropout_input},
            {"dropout_recurrent", &d.dropout_recurrent}};
        int64_t x;
        v = rnn__ck_meta(f, "cell");
        d.cell = rnn_cell_from_name(v);
        v = rnn__ck_meta(f, "output");
        for (k = 1; k <= RNN_LINEAR; k++) if (v && strcmp(v, rnn__output_names[k]) == 0) d.output = (rnn_output)k;
        for (k = 0; st == RNN_OK && k < (int)(sizeof ints / sizeof ints[0]); k++)
            if ((st = rnn__ck_int(f, ck, ints[k].key, ints[k].lo, ints[k].hi, &x)) == RNN_OK) *ints[k].field = (int)x;
        for (k = 0; st == RNN_OK && k < (int)(sizeof reals / sizeof reals[0]); k++)
            st = rnn__ck_getreal(f, ck, reals[k].key, reals[k].field);
        if (st != RNN_OK) {
            /* ck->error names the value */
        } else if (d.cell == RNN_CELL_DEFAULT || d.output == RNN_OUTPUT_DEFAULT)
            st = rnn__ck_fail(ck, RNN_ERR_FORMAT, "unknown cell or output in __metadata__", NULL);
        else if (rnn__ck_weights_at_least(&d) > f->data_len / 4)
            st = rnn__ck_fail(ck, RNN_ERR_FORMAT, "the description in __metadata__ has more weights than the file holds", NULL);
        else if ((st = rnn_model_init(m, &d)) != RNN_OK)
            rnn__ck_fail(ck, st, "the description in __metadata__ is not a valid model", NULL);
        else if ((st = rnn__ck_fill(m, ck, f)) != RNN_OK)
            rnn_model_free(m);
    }
    RNN_FREE(f);
    return st;
}

/* -- writing -- */
typedef struct rnn__ck_out { char *s; size_t n, cap; int failed; } rnn__ck_out;

static void rnn__ck_puts(rnn__ck_out *o, const char *s)
{
    size_t k = strlen(s);
    if (o->failed) return;
    if (o->n + k + 1 > o->cap) {
        size_t cap = (o->cap ? o->cap * 2 : 1024) + k;
        char *ns = (char *)RNN_MALLOC(cap);
        if (!ns) { o->failed = 1; return; }
        if (o->s) { memcpy(ns, o->s, o->n); RNN_FREE(o->s); }
        o->s = ns; o->cap = cap;
    }
    memcpy(o->s + o->n, s, k + 1);
    o->n += k;
}
/* unsigned decimal, without printf (the library may be built with RNN_NO_STDIO) */
static void rnn__ck_putu(rnn__ck_out *o, uint64_t v)
{
    char b[24]; int k = 23;
    b[k] = 0;
    do { b[--k] = (char)('0' + v % 10); v /= 10; } while (v);
    rnn__ck_puts(o, b + k);
}
static void rnn__ck_puti(rnn__ck_out *o, int64_t v)
{
    if (v < 0) { rnn__ck_puts(o, "-"); rnn__ck_putu(o, (uint64_t)(-(v + 1)) + 1); }
    else rnn__ck_putu(o, (uint64_t)v);
}
/* Hyperparameters go in __metadata__, whose values are strings. A real
   number is written in decimal, the shortest that reads back as the same
   rnn_real bit for bit (0.001, 0.9, 1e-08: what a person opening the file
   expects; at most 9 digits for a float, 17 for a double). The decimal
   point is '.' whatever the C locale. Older files wrote "0x" and the 16 hex
   digits of the IEEE double bits (0.001 as 0x3f50624dd2f1a9fc): still read. */
/* strtod of a decimal written with '.', whatever the locale's point; *ok
   is 0 unless all of s was read */
static double rnn__strtod_c(const char *s, int *ok)
{
    char b[64], *end;
    const char *point = localeconv()->decimal_point;
    size_t k, n = strlen(s);
    double d;
    *ok = 0;
    if (n == 0 || n >= sizeof b) return 0;
    for (k = 0; k <= n; k++) b[k] = s[k] == '.' && point && point[0] ? point[0] : s[k];
    d = strtod(b, &end);
    *ok = *end == 0;
    return d;
}
static void rnn__ck_putreal(rnn__ck_out *o, rnn_real x)
{
    char b[40];
    int p, k, ok;
    for (p = 1; p <= 17; p++) { /* the fewest significant digits that round-trip */
        snprintf(b, sizeof b, "%.*g", p, (double)x);
        for (k = 0; b[k]; k++) if (!strchr("0123456789+-eE", b[k])) b[k] = '.'; /* a locale's ',' */
        if ((rnn_real)rnn__strtod_c(b, &ok) == x && ok) break;
    }
    rnn__ck_puts(o, b);
}
/* Read back strictly: exactly 16 hex digits after "0x", or a plain decimal
   (digits, sign, point, exponent: no spaces, "inf", "nan" or hex floats),
   and finite as an rnn_real. An absent key reads as 0, the default. */
static rnn_status rnn__ck_getreal(const rnn__ck_file *f, rnn_checkpoint *ck, const char *key, rnn_real *out)
{
    const char *v = rnn__ck_meta(f, key);
    double d = 0;
    int k, ok = 1;
    *out = 0;
    if (!v) return RNN_OK;
    if (v[0] == '0' && v[1] == 'x') {
        uint64_t u = 0;
        for (k = 2; v[k] && ok; k++) {
            char c = v[k];
            ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            u = u * 16 + (uint64_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        ok = ok && k == 18;
        memcpy(&d, &u, 8);
    } else {
        for (k = 0; v[k] && ok; k++) ok = strchr("0123456789+-.eE", v[k]) != NULL;
        if (ok && k > 0) d = rnn__strtod_c(v, &ok);
        ok = ok && k > 0;
    }
    *out = ok ? (rnn_real)d : 0;
    if (!ok || !(*out - *out == 0))
        return rnn__ck_fail(ck, RNN_ERR_FORMAT, "a __metadata__ value is not a finite real number", key);
    return RNN_OK;
}
static void rnn__ck_meta_str(rnn__ck_out *o, const char *key, const char *val)
{
    rnn__ck_puts(o, ",\""); rnn__ck_puts(o, key); rnn__ck_puts(o, "\":\""); rnn__ck_puts(o, val); rnn__ck_puts(o, "\"");
}
static void rnn__ck_meta_int(rnn__ck_out *o, const char *key, int64_t v)
{
    rnn__ck_puts(o, ",\""); rnn__ck_puts(o, key); rnn__ck_puts(o, "\":\""); rnn__ck_puti(o, v); rnn__ck_puts(o, "\"");
}
static void rnn__ck_meta_real(rnn__ck_out *o, const char *key, rnn_real v)
{
    rnn__ck_puts(o, ",\""); rnn__ck_puts(o, key); rnn__ck_puts(o, "\":\""); rnn__ck_putreal(o, v); rnn__ck_puts(o, "\"");
}

/* a user value as a JSON string: '"' and '\\' escaped, and every control
   character (as \n, \t, \r, or \u00XX), so the header stays one valid line
   of JSON; other bytes (UTF-8, checked) as they are */
static void rnn__ck_put_json(rnn__ck_out *o, const char *v)
{
    static const char hex[] = "0123456789abcdef";
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        char e[7] = {0};
        if (c == '"' || c == '\\') { e[0] = '\\'; e[1] = (char)c; }
        else if (c == '\n') { e[0] = '\\'; e[1] = 'n'; }
        else if (c == '\t') { e[0] = '\\'; e[1] = 't'; }
        else if (c == '\r') { e[0] = '\\'; e[1] = 'r'; }
        else if (c < 0x20 || c == 0x7F) { e[0] = '\\'; e[1] = 'u'; e[2] = '0'; e[3] = '0'; e[4] = hex[c >> 4]; e[5] = hex[c & 15]; }
        else e[0] = (char)c;
        rnn__ck_puts(o, e);
    }
}

RNNDEF rnn_status rnn_checkpoint_set(rnn_checkpoint *ck, const char *key, const char *value)
{
    int k;
    if (!ck) return RNN_ERR_ARG;
    ck->error[0] = 0;
    if (ck->n_user < 0 || ck->n_user > RNN_CK_USER_MAX)
        return rnn__ck_fail(ck, RNN_ERR_ARG, "rnn_checkpoint_set: n_user is not 0..RNN_CK_USER_MAX", NULL);
    if (!key || !rnn__ck_user_key_ok(key, RNN_CK_USER_KEY))
        return rnn__ck_fail(ck, RNN_ERR_ARG, !key ? "rnn_checkpoint_set: key is NULL"
                            : !key[0] ? "rnn_checkpoint_set: the key is empty (a key is 1 to 31 letters, digits, '_', '-' or '.')"
                            : strlen(key) >= RNN_CK_USER_KEY ? "rnn_checkpoint_set: a key is at most 31 characters; this one is longer"
                            : "rnn_checkpoint_set: a key is letters, digits, '_', '-' or '.'; this one has another character",
                            key && key[0] ? key : NULL);
    k = rnn__ck_user_find(ck, key);
    if (!value) { /* remove it: the later entries move down one */
        if (k >= 0) {
            for (; k + 1 < ck->n_user; k++) {
                memcpy(ck->user_key[k], ck->user_key[k + 1], RNN_CK_USER_KEY);
                memcpy(ck->user_value[k], ck->user_value[k + 1], RNN_CK_USER_VALUE);
            }
            ck->n_user--;
        }
        return RNN_OK;
    }
    if (strlen(value) >= RNN_CK_USER_VALUE)
        return rnn__ck_fail(ck, RNN_ERR_ARG, "rnn_checkpoint_set: the value is longer than 127 bytes, for the key", key);
    if (!rnn__utf8_ok(value, RNN_CK_USER_VALUE))
        return rnn__ck_fail(ck, RNN_ERR_ARG, "rnn_checkpoint_set: the value is not valid UTF-8, for the key", key);
    if (k < 0) {
        if (ck->n_user >= RNN_CK_USER_MAX)
            return rnn__ck_fail(ck, RNN_ERR_ARG, "rnn_checkpoint_set: already RNN_CK_USER_MAX (32) keys; no room for", key);
        k = ck->n_user++;
        strcpy(ck->user_key[k], key);
    }
    strcpy(ck->user_value[k], value);
    return RNN_OK;
}

RNNDEF const char *rnn_checkpoint_get(const rnn_checkpoint *ck, const char *key)
{
    int k;
    if (!ck || !key || ck->n_user < 0 || ck->n_user > RNN_CK_USER_MAX) return NULL;
    k = rnn__ck_user_find(ck, key);
    return k >= 0 ? ck->user_value[k] : NULL;
}

typedef struct rnn__ck_item { const char *name; const void *data; int is_int; uint64_t rows, cols; } rnn__ck_item;

/* Writes the whole checkpoint into one buffer (free it with rnn_free_buffer). */
RNNDEF rnn_status rnn_save_memory(const rnn_model *m, rnn_checkpoint *ck,
                                  unsigned char **out, size_t *len)
{
    rnn__ck_item items[RNN_MAX_TENSORS + 3 + 2 * RNN_MAX_LAYERS];
    char names[2 * RNN_MAX_LAYERS][RNN__CK_MAX_NAME];
    int n = 0, k, l, esz = (int)sizeof(rnn_real);
    uint64_t off = 0, N, total;
    rnn__ck_out h;
    unsigned char *buf, *p;
    *out = NULL; *len = 0;
    if (ck) ck->error[0] = 0;
    for (k = 0; k < m->n_tensors; k++) {
        const rnn_tensor *t = &m->tensors[k];
        items[n].name = t->name; items[n].data = t->data; items[n].is_int = 0;
        items[n].rows = (uint64_t)t->rows; items[n].cols = t->ndim == 1 ? 0 : (uint64_t)t->cols; n++;
    }
    if (ck && ck->optim) {
        if (ck->optim->n != m->n_params) return rnn__ck_fail(ck, RNN_ERR_SIZE, "the optimizer is for another model", NULL);
        items[n].name = "optim.m1"; items[n].data = ck->optim->m1; items[n].is_int = 0; items[n].rows = (uint64_t)m->n_params; items[n].cols = 0; n++;
        items[n].name = "optim.m2"; items[n].data = ck->optim->m2; items[n].is_int = 0; items[n].rows = (uint64_t)m->n_params; items[n].cols = 0; n++;
    }
    if (ck && ck->with_state) {
        if (!m->buffer || m->B <= 0) return rnn__ck_fail(ck, RNN_ERR_ARG, "with_state: the model has no state yet", NULL);
        for (l = 0; l < m->L; l++) {
            rnn__ck_name(names[2 * l], "state.h_l%d", l);
            rnn__ck_name(names[2 * l + 1], "state.c_l%d", l);
            items[n].name = names[2 * l]; items[n].data = m->layers[l].h; items[n].is_int = 0;
            items[n].rows = (uint64_t)m->B; items[n].cols = (uint64_t)m->layers[l].H; n++;
            items[n].name = names[2 * l + 1]; items[n].data = m->layers[l].c; items[n].is_int = 0;
            items[n].rows = (uint64_t)m->B; items[n].cols = (uint64_t)m->layers[l].H; n++;
        }
    }
    if (ck && ck->vocab && ck->vocab_len < 0) return rnn__ck_fail(ck, RNN_ERR_ARG, "vocab_len is negative", NULL);
    if (ck && ck->vocab && ck->vocab_len > 0) {
        items[n].name = "vocab"; items[n].data = ck->vocab; items[n].is_int = 1;
        items[n].rows = (uint64_t)ck->vocab_len; items[n].cols = 0; n++;
    }
    if (ck) { /* the user's settings, checked again: the fields are public */
        if (ck->n_user < 0 || ck->n_user > RNN_CK_USER_MAX) return rnn__ck_fail(ck, RNN_ERR_ARG, "n_user is not 0..RNN_CK_USER_MAX", NULL);
        for (k = 0; k < ck->n_user; k++) {
            if (!rnn__ck_user_key_ok(ck->user_key[k], RNN_CK_USER_KEY))
                return rnn__ck_fail(ck, RNN_ERR_ARG, "a user key is not 1 to 31 letters, digits, '_', '-' or '.'", NULL);
            if (!rnn__utf8_ok(ck->user_value[k], RNN_CK_USER_VALUE))
                return rnn__ck_fail(ck, RNN_ERR_ARG, "a user value is not valid UTF-8 of at most 127 bytes", ck->user_key[k]);
            for (l = 0; l < k; l++)
                if (strcmp(ck->user_key[l], ck->user_key[k]) == 0) return rnn__ck_fail(ck, RNN_ERR_ARG, "a user key appears twice", ck->user_key[k]);
        }
    }
    memset(&h, 0, sizeof h);
    rnn__ck_puts(&h, "{\"__metadata__\":{\"format\":\"rnn.h\"");
    rnn__ck_meta_str(&h, "version", "1");
    rnn__ck_meta_str(&h, "cell", rnn_cell_name(m->desc.cell));
    rnn__ck_meta_str(&h, "output", rnn__output_names[m->desc.output]);
    rnn__ck_meta_int(&h, "input_size", m->desc.input_size);
    rnn__ck_meta_int(&h, "hidden_size", m->desc.hidden_size);
    rnn__ck_meta_int(&h, "output_size", m->desc.output_size);
    rnn__ck_meta_int(&h, "num_layers", m->desc.num_layers);
    rnn__ck_meta_int(&h, "gru_flags", m->desc.gru_flags);
    rnn__ck_meta_int(&h, "loss_last_only", m->desc.loss_last_only);
    rnn__ck_meta_int(&h, "embed_size", m->desc.embed_size);
    rnn__ck_meta_int(&h, "bidirectional", m->desc.bidirectional);
    rnn__ck_meta_int(&h, "skip_delay", m->desc.skip_delay);
    rnn__ck_meta_real(&h, "leak", m->desc.leak);
    rnn__ck_meta_real(&h, "dropout", m->desc.dropout);
    rnn__ck_meta_real(&h, "dropout_input", m->desc.dropout_input);
    rnn__ck_meta_real(&h, "dropout_recurrent", m->desc.dropout_recurrent);
    if (ck && ck->optim) {
        const rnn_optim_desc *od = &ck->optim->desc;
        rnn__ck_meta_int(&h, "optim.kind", od->kind);
        rnn__ck_meta_int(&h, "optim.step", ck->optim->step);
        rnn__ck_meta_real(&h, "optim.lr", od->lr);
        rnn__ck_meta_real(&h, "optim.momentum", od->momentum);
        rnn__ck_meta_real(&h, "optim.beta1", od->beta1);
        rnn__ck_meta_real(&h, "optim.beta2", od->beta2);
        rnn__ck_meta_real(&h, "optim.alpha", od->alpha);
        rnn__ck_meta_real(&h, "optim.eps", od->eps);
    }
    if (ck) {
        rnn__ck_puts(&h, ",\"train.rng\":\""); rnn__ck_putu(&h, ck->rng_state); rnn__ck_puts(&h, "\"");
        rnn__ck_meta_int(&h, "train.step", ck->step);
        rnn__ck_meta_int(&h, "train.data_pos", ck->data_pos);
        for (k = 0; k < ck->n_user; k++) {
            rnn__ck_puts(&h, ",\"" RNN__CK_USER_PREFIX); rnn__ck_puts(&h, ck->user_key[k]);
            rnn__ck_puts(&h, "\":\""); rnn__ck_put_json(&h, ck->user_value[k]); rnn__ck_puts(&h, "\"");
        }
    }
    rnn__ck_puts(&h, "}");
    for (k = 0; k < n; k++) {
        uint64_t bytes = (items[k].cols ? items[k].rows * items[k].cols : items[k].rows) * (uint64_t)(items[k].is_int ? 4 : esz);
        rnn__ck_puts(&h, ",\""); rnn__ck_puts(&h, items[k].name);
        rnn__ck_puts(&h, items[k].is_int ? "\":{\"dtype\":\"I32\",\"shape\":[" : esz == 8 ? "\":{\"dtype\":\"F64\",\"shape\":[" : "\":{\"dtype\":\"F32\",\"shape\":[");
        rnn__ck_putu(&h, items[k].rows);
        if (items[k].cols) { rnn__ck_puts(&h, ","); rnn__ck_putu(&h, items[k].cols); }
        rnn__ck_puts(&h, "],\"data_offsets\":["); rnn__ck_putu(&h, off);
        rnn__ck_puts(&h, ","); rnn__ck_putu(&h, off + bytes); rnn__ck_puts(&h, "]}");
        off += bytes;
    }
    rnn__ck_puts(&h, "}");
    while (!h.failed && h.n % 8) rnn__ck_puts(&h, " "); /* pad so the data starts 8-byte aligned */
    if (h.failed) { RNN_FREE(h.s); return RNN_ERR_NOMEM; }
    N = h.n; total = 8 + N + off;
    if (total > (uint64_t)SIZE_MAX) { RNN_FREE(h.s); return RNN_ERR_NOMEM; } /* a 32-bit machine */
    buf = (unsigned char *)RNN_MALLOC((size_t)total);
    if (!buf) { RNN_FREE(h.s); return RNN_ERR_NOMEM; }
    for (k = 0; k < 8; k++) buf[k] = (unsigned char)(N >> (8 * k));
    memcpy(buf + 8, h.s, (size_t)N);
    RNN_FREE(h.s);
    p = buf + 8 + N;
    for (k = 0; k < n; k++) { /* little-endian, byte by byte, whatever the machine */
        uint64_t i, cnt = items[k].cols ? items[k].rows * items[k].cols : items[k].rows;
        int sz = items[k].is_int ? 4 : esz, b;
        for (i = 0; i < cnt; i++) {
            uint64_t u = 0;
            if (items[k].is_int) u = (uint32_t)((const int32_t *)items[k].data)[i];
            else if (esz == 8) memcpy(&u, (const rnn_real *)items[k].data + i, 8);
            else { uint32_t w; memcpy(&w, (const rnn_real *)items[k].data + i, 4); u = w; }
            for (b = 0; b < sz; b++) *p++ = (unsigned char)(u >> (8 * b));
        }
    }
    *out = buf; *len = (size_t)total;
    return RNN_OK;
}

RNNDEF void rnn_free_buffer(void *p) { RNN_FREE(p); }

#ifndef RNN_NO_STDIO
#ifdef _WIN32
/* declared here, not with <windows.h>, which would bring its many macros
   into the file that includes rnn.h. The "A" form reads a name as fopen
   does (the ANSI code page), so both name the same file. */
__declspec(dllimport) int __stdcall MoveFileExA(const char *from, const char *to, unsigned long flags);
#define RNN__MOVEFILE_REPLACE_EXISTING 0x1
#define RNN__MOVEFILE_WRITE_THROUGH 0x8
#endif

/* Saving never destroys the previous file, and no one else can make it
   write anywhere else:
   1. the checkpoint is written to a new file beside path, named path + "."
      + 8 random hex digits + ".tmp" and created exclusively (O_EXCL: when
      that name exists, even as a symbolic link planted there, another name
      is drawn; nothing is followed or overwritten);
   2. flushed to the disk (fsync; _commit on Windows) and closed, with the
      permissions of the file it replaces (a read-only 0444 checkpoint stays
      0444; a new one gets 0666 less the umask, as fopen would give it);
   3. renamed over path, which replaces it atomically (POSIX rename; on
      Windows, where rename() refuses to replace a file, MoveFileEx with
      MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH).
   Any failure removes the temporary file and leaves path as it was. Two
   programs saving to one path at once write two temporary files: path is
   always one whole checkpoint (the one renamed last), and RNN_OK tells
   each writer the truth, that its whole checkpoint replaced path when it
   was renamed. Only a process killed in the middle of a save leaves its
   temporary file behind (never read, never reused: delete it). */
RNNDEF rnn_status rnn_save(const char *path, const rnn_model *m, rnn_checkpoint *ck)
{
    unsigned char *buf;
    size_t len, plen = strlen(path), done = 0;
    char *tmp;
    int fd = -1, attempt, ok, keep_mode = 0, k;
    unsigned mode = 0;
    uint64_t pid = 0;
    rnn_rng r;
    rnn_status st = rnn_save_memory(m, ck, &buf, &len);
    if (st != RNN_OK) return st;
    tmp = (char *)RNN_MALLOC(plen + 14); /* path . 8 hex digits .tmp NUL */
    if (!tmp) { RNN_FREE(buf); return RNN_ERR_NOMEM; }
#ifndef _WIN32
    {
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) { keep_mode = 1; mode = (unsigned)sb.st_mode & 0777; }
        pid = (uint64_t)getpid();
    }
#else
    (void)keep_mode; (void)mode; /* Windows: no POSIX permissions to keep */
#endif
    /* a name no one can guess: the clock, this process, and addresses that
       differ between runs, threads and calls, stirred by the generator */
    rnn_rng_seed(&r, (uint64_t)time(NULL) ^ ((uint64_t)clock() << 24) ^ (pid << 40) ^
                     (uint64_t)(uintptr_t)&r ^ ((uint64_t)(uintptr_t)buf << 7));
    for (attempt = 0; attempt < 64 && fd < 0; attempt++) {
        uint64_t u = rnn_rng_next(&r);
        memcpy(tmp, path, plen);
        tmp[plen] = '.';
        for (k = 0; k < 8; k++) tmp[plen + 1 + k] = "0123456789abcdef"[(u >> (4 * k)) & 15];
        memcpy(tmp + plen + 9, ".tmp", 5);
#ifdef _WIN32
        fd = _open(tmp, _O_WRONLY | _O_CREAT | _O_EXCL | _O_BINARY, _S_IREAD | _S_IWRITE);
#else
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, keep_mode ? 0600 : 0666);
#endif
        if (fd < 0 && errno != EEXIST) break; /* only a taken name is worth another try */
    }
    if (fd < 0) {
        RNN_FREE(buf); RNN_FREE(tmp);
        return rnn__ck_fail(ck, RNN_ERR_IO, "cannot create a temporary file beside the checkpoint", path);
    }
    ok = 1;
    while (ok && done < len) { /* write() may write less than asked */
        size_t chunk = len - done < ((size_t)1 << 30) ? len - done : ((size_t)1 << 30);
#ifdef _WIN32
        long w = _write(fd, buf + done, (unsigned)chunk);
#else
        long w = (long)write(fd, buf + done, chunk);
        if (w < 0 && errno == EINTR) continue;
#endif
        if (w <= 0) ok = 0;
        else done += (size_t)w;
    }
    RNN_FREE(buf);
#ifdef _WIN32
    ok = ok && _commit(fd) == 0;
    ok = (_close(fd) == 0) && ok;
#else
    ok = ok && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    if (ok && keep_mode && chmod(tmp, mode) != 0) ok = 0;
#endif
    if (!ok) {
        remove(tmp); RNN_FREE(tmp);
        return rnn__ck_fail(ck, RNN_ERR_IO, "cannot write the temporary file", path);
    }
#ifdef _WIN32
    ok = MoveFileExA(tmp, path, RNN__MOVEFILE_REPLACE_EXISTING | RNN__MOVEFILE_WRITE_THROUGH) != 0;
#else
    ok = rename(tmp, path) == 0;
#endif
    if (!ok) {
        remove(tmp); RNN_FREE(tmp);
        return rnn__ck_fail(ck, RNN_ERR_IO, "cannot rename the temporary file over the checkpoint", path);
    }
    RNN_FREE(tmp);
    return RNN_OK;
}

/* the whole file into memory, refusing files over 2 GiB */
static rnn_status rnn__read_file(const char *path, rnn_checkpoint *ck, unsigned char **out, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    *out = NULL; *len = 0;
    if (!fp) return rnn__ck_fail(ck, RNN_ERR_IO, "cannot open the file", path);
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *nb;
            if (cap >= ((size_t)1 << 31)) { fclose(fp); RNN_FREE(buf); return rnn__ck_fail(ck, RNN_ERR_FORMAT, "the file is larger than 2 GiB", path); }
            cap = cap ? cap * 2 : 65536;
            nb = (unsigned char *)RNN_MALLOC(cap);
            if (!nb) { fclose(fp); RNN_FREE(buf); return RNN_ERR_NOMEM; }
            if (buf) { memcpy(nb, buf, n); RNN_FREE(buf); }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) break;
    }
    if (ferror(fp)) { fclose(fp); RNN_FREE(buf); return rnn__ck_fail(ck, RNN_ERR_IO, "cannot read the file", path); }
    fclose(fp);
    *out = buf; *len = n;
    return RNN_OK;
}

/* what went wrong inside the file, after its name: "ck.st: the header ..." */
static rnn_status rnn__ck_in_file(rnn_checkpoint *ck, const char *path, rnn_status st)
{
    char what[sizeof ck->error];
    if (st == RNN_OK || !ck || !ck->error[0]) return st;
    memcpy(what, ck->error, sizeof what);
    return rnn__ck_fail(ck, st, path, what);
}

RNNDEF rnn_status rnn_load(const char *path, rnn_model *m, rnn_checkpoint *ck)
{
    unsigned char *buf;
    size_t len;
    rnn_status st = rnn__read_file(path, ck, &buf, &len);
    memset(m, 0, sizeof *m);
    if (ck && ck->optim) memset(ck->optim, 0, sizeof *ck->optim);
    if (st != RNN_OK) return st;
    st = rnn_load_memory(m, ck, buf, len);
    RNN_FREE(buf);
    return rnn__ck_in_file(ck, path, st);
}

RNNDEF rnn_status rnn_load_weights(const char *path, rnn_model *m, rnn_checkpoint *ck)
{
    unsigned char *buf;
    size_t len;
    rnn_status st = rnn__read_file(path, ck, &buf, &len);
    if (st != RNN_OK) return st;
    st = rnn_load_weights_memory(m, ck, buf, len);
    RNN_FREE(buf);
    return rnn__ck_in_file(ck, path, st);
}
#endif /* RNN_NO_STDIO */

/* >>gradcheck ============================================================= */
/*
   How we know the gradients are right: nudge every parameter by +-eps,
   run the forward pass twice, and compare the slope of the loss with what
   backward computed. Centred differences have an error of order eps^2, so
   in double a correct gradient agrees to about 1e-9; a wrong one is off by
   far more. Every cell and option of rnn.h is checked this way by make test.
*/

/* The loss at the current parameters (a forward pass, nothing else). */
static double rnn__loss(rnn_model *m, const rnn_batch *b)
{
    rnn_real loss = 0;
    if (m->train_rng) *m->train_rng = m->check_rng; /* the same dropout masks every time */
    rnn_forward(m, b, &loss);
    return (double)loss;
}

/* Compares a gradient a (from backward) with centred differences:
   n = (L(theta + eps) - L(theta - eps)) / (2 eps), error O(eps^2).
   The error is relative, |a - n| / max(|a|, |n|, 1e-3): below 1e-3 a
   gradient is measured by its absolute error, since rounding alone makes
   the relative error of a near-zero gradient large. */
static double rnn__check_entry(rnn_model *m, const rnn_batch *b, rnn_real *theta,
                               double a, double eps)
{
    rnn_real keep = *theta;
    double lp, lm, num, den;
    *theta = (rnn_real)(keep + eps); lp = rnn__loss(m, b);
    *theta = (rnn_real)(keep - eps); lm = rnn__loss(m, b);
    *theta = keep;
    num = (lp - lm) / (2 * eps);
    den = fabs(a) > fabs(num) ? fabs(a) : fabs(num);
    if (den < 1e-3) den = 1e-3;
    return fabs(a - num) / den;
}

/* Gradient check of every entry of every parameter tensor and of the initial
   states h<0> (and c<0>) of every layer (the contract is at the
   declaration). The initial states' analytic gradients are in row 0 of dh,
   dc; the forwards below do not touch dh (a change of buffers would, and
   they make none: the batch is the same). */
RNNDEF rnn_status rnn_grad_check(rnn_model *m, const rnn_batch *b, double eps,
                                 rnn_real *worst, rnn_real *worst_per_tensor)
{
    double w_all = 0;
    int k, l, s;
    size_t i;
    rnn_status st;
    m->error[0] = 0;
    if (!worst)
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_grad_check: worst is NULL; give a place for the largest relative error");
    *worst = 0;
    if (!(eps > 0 && eps < 1))
        return rnn__fail(m->error, RNN_ERR_ARG, "rnn_grad_check: eps is %g; expected a step in (0, 1), about 1e-5 in double", eps);
    rnn_zero_grad(m);
    if (m->train_rng) m->check_rng = *m->train_rng;
    /* the forward's and backward's own checks, under this call's name */
    if ((st = rnn__forward(m, b, NULL, "rnn_grad_check")) != RNN_OK ||
        (st = rnn__backward(m, NULL, NULL, "rnn_grad_check")) != RNN_OK) return st;
    for (k = 0; k < m->n_tensors; k++) {
        rnn_tensor *t = &m->tensors[k];
        double w = 0;
        for (i = 0; i < (size_t)t->rows * t->cols; i++) {
            double e = rnn__check_entry(m, b, &t->data[i], (double)t->grad[i], eps);
            if (e > w) w = e;
        }
        if (worst_per_tensor) worst_per_tensor[k] = (rnn_real)w;
        if (w > w_all) w_all = w;
    }
    for (l = 0; l < m->L; l++) {
        rnn_layer *L = &m->layers[l];
        size_t BH = (size_t)m->B * L->H;
        for (s = 0; s < 2; s++) {
            double w = 0;
            rnn_real *state = s ? L->c : L->h, *grad = s ? L->dc : L->dh;
            if (s && !rnn_cell_has_state(L->cell)) { if (worst_per_tensor) worst_per_tensor[m->n_tensors + 2 * l + 1] = 0; continue; }
            for (i = 0; i < BH; i++) {
                double e = rnn__check_entry(m, b, &state[i], (double)grad[i], eps);
                if (e > w) w = e;
            }
            if (worst_per_tensor) worst_per_tensor[m->n_tensors + 2 * l + s] = (rnn_real)w;
            if (w > w_all) w_all = w;
        }
    }
    *worst = (rnn_real)w_all;
    return RNN_OK;
}

/* >>speed ================================================================= */
/*
   Everything above is the course, in plain loops a student can check by
   eye. This section is the only code in rnn.h written for speed, kept apart
   so that it never stands between a formula and its reader:
     - rnn_gemm, the matrix product: a register-tiled kernel in plain C99
       (or a BLAS library, with RNN_USE_CBLAS);
     - e^x by a polynomial that the compiler can run on a vector of numbers,
       and sigma, tanh and the softmax's exponentials from it;
     - the same over a whole gate, or a whole row of logits, in chunks of a
       constant length that vectorise.
   Each computes what its plain twin in >>numerics computes, up to rounding.
   Build with -DRNN_REFERENCE to leave this section out: every product and
   activation then comes from >>numerics (make test runs the cell, layer and
   PyTorch tests in that build too).
*/
#ifndef RNN_REFERENCE
#ifdef RNN_USE_CBLAS
#include <cblas.h>
/* The same product by the BLAS library. Its gemm computes
   C = alpha op(A) op(B) + beta C; ours is alpha = 1. The sizeof test picks
   the single or double precision routine (the other branch is never run). */
RNNDEF void rnn_gemm(int ta, int tb, int M, int N, int K,
                     const rnn_real *A, int lda, const rnn_real *B, int ldb,
                     rnn_real beta, rnn_real *C, int ldc)
{
    int i, j;
    if (M <= 0 || N <= 0) return;
    if (K <= 0) { /* a BLAS may refuse K = 0: just scale C */
        for (i = 0; i < M; i++)
            for (j = 0; j < N; j++) {
                rnn_real *c = C + (size_t)i * ldc + j;
                *c = beta == 0 ? 0 : beta * *c;
            }
        return;
    }
    if (sizeof(rnn_real) == sizeof(float))
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    M, N, K, 1.0f, (const float *)(const void *)A, lda, (const float *)(const void *)B, ldb,
                    (float)beta, (float *)(void *)C, ldc);
    else
        cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                    M, N, K, 1.0, (const double *)(const void *)A, lda, (const double *)(const void *)B, ldb,
                    (double)beta, (double *)(void *)C, ldc);
}
#else /* the portable kernel */

/* The fast matrix product: the same numbers as rnn_gemm_ref (up to the
   order of the additions), 5 to 15 times sooner. Everything in rnn.h that
   is not a matrix product is O(B H) per step; the products are O(B H^2), so
   this is where the time goes, and the only place in rnn.h written for speed.
   Plain C99: no intrinsics, no -ffast-math, no allocation.

   Why a plain triple loop is slow: at -O2 GCC vectorises a loop only when it
   needs no run-time check, and `c[j] += a * b[j]` over an unknown length,
   where c and b might overlap, needs one; a dot product `s += a[k] * b[k]`
   is never vectorised, since reordering a float sum changes it. So the
   plain loops run one number at a time.

   The kernel (rnn__gemm_block) computes a tile of 6 rows by NR columns of
   C in six local arrays:  for each k, for each row r of the 6,
       acc_r(j) = A(r,k) * panel(k,j) + acc_r(j)   for j = 0..NR-1
   The innermost loop has a constant length and works on a local array that
   nothing can alias, so the compiler turns it into vector instructions with
   no check; each load of the panel serves 6 rows, each A(r,k) NR columns.
   The tile is sized to the vector registers, so that the compiler can keep
   all six accumulators in registers for the whole k loop (measured: when
   they do not fit, it keeps them in memory, loads and stores them at every
   k, and runs at a fifth of the speed):
     NR = two vectors: 32 floats with AVX-512, 16 with AVX, 8 with SSE2 (the
     x86-64 default); 6 rows x 2 vectors = 12 registers of accumulators, plus
     2 for the panel and 1 for A(r,k), of the 16 that AVX and SSE2 have.
   The multiply-add is C99's fmaf where the CPU does it in one instruction
   (in the AVX2 and AVX-512 copies below, and in the build's own where
   <math.h> defines FP_FAST_FMAF, e.g. with -march=native): one rounding
   instead of two, and twice the work per instruction. GCC in ISO C mode
   (-std=c99) never fuses a * b + c by itself.

   Blocking: op(B) is cut in panels of RNN__GEMM_KC rows (k) by NR columns
   (j), 16 KB in float with AVX-512, which stay in the L1 cache while all rows
   of A pass over them. When the panel's rows are not contiguous in memory
   (tb = 1, or the last narrow panel) it is first copied to a buffer on the
   stack ("packing", as BLAS libraries do). A is read in place through two
   strides, A(i,k) = A[i*ars + k*aks], which covers ta = 0 and ta = 1 alike.

   With tb = 1 and fewer rows of A than columns of C (the recurrent product
   h W_hh^T: B rows against G*H), rnn_gemm computes the transpose, C^T =
   B A^T, so that the big matrix is read in place and only h is packed
   (packing W_hh would copy all of it at every time step).

   Three shapes take another road: with tb = 1 and fewer than 8 rows of A
   (matrix times vector: B = 1 in the forward pass) packing costs more than
   it saves, and rnn__gemm_dots takes dot products in 8 lanes written out in
   C (the compiler may vectorise them; the sum differs from the sequential
   one by rounding only); one row of A with tb = 0 (vector times matrix:
   dh_prev = da W_hh at B = 1) adds rows of B in place; with K < 4 a plain
   loop. tests/bench/gemm_bench.c measures it; the tests compare it with
   rnn_gemm_ref at awkward sizes. */
#if defined(__AVX512F__)
#define RNN__GEMM_VECTOR 64 /* bytes in a vector register: AVX-512              */
#elif defined(__AVX__)
#define RNN__GEMM_VECTOR 32 /* AVX, AVX2                                          */
#else
#define RNN__GEMM_VECTOR 16 /* SSE2, NEON, and the rest                           */
#endif
#define RNN__GEMM_MR 6      /* rows of C per tile                                 */
#define RNN__GEMM_NR (2 * RNN__GEMM_VECTOR / (int)sizeof(rnn_real)) /* columns of C per tile: two vectors */
#define RNN__GEMM_KC 128    /* rows of op(B) per panel                            */
#define RNN__GEMM_KC_WIDE 512 /* the same when C is written transposed (see rnn_gemm) */
#define RNN__GEMM_LANES 8   /* partial sums of a dot product                      */
#define RNN__GEMM_PACK_ROWS 128 /* op(B) contiguous: still packed when A has this many rows:
                              the panel's rows, ldb apart, can evict each other from the
                              cache (ldb a power of two); with many tiles over the panel
                              the copy costs little (measured on dW = dA^T x) */
#define RNN__GEMM_DOTS 8    /* tb = 1 with fewer rows of A: dot products instead  */

/* Run-time dispatch (x86-64, GCC and Clang). The flags a program is built
   with decide which instructions the compiler may use: plain -O2 on x86-64
   means SSE2, 4 floats per instruction and no fused multiply-add, although
   nearly every x86-64 CPU since 2013 has AVX2 and FMA (8 floats, and a
   multiply-add in one instruction), many AVX-512 (16). A program built with
   -march=native uses them but then fails ("illegal instruction") on an
   older CPU. So the kernel below is written once and compiled three times:
   for the build's own flags, and with the target attributes "avx2,fma" and
   "avx512f"; rnn_gemm asks the CPU (__builtin_cpu_supports, a few loads of
   what the C runtime found at start-up) at every call and runs the widest
   it has. There is no state to set up and so no race between threads.
   Elsewhere (another compiler or architecture, Windows, where GCC does not
   align the stack for AVX, or with -DRNN_NO_DISPATCH) only the first copy
   exists. rnn__gemm_force(k) makes rnn_gemm run kernel k (the tests and the
   bench use it; it is one global, so set it before any thread runs). */
#if !defined(RNN_NO_DISPATCH) && !defined(_WIN32) && (defined(__x86_64__) || defined(__i386__)) \
    && ((defined(__clang__) && __clang_major__ >= 6) || (!defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 6))
#define RNN__GEMM_DISPATCH 1
#define RNN__GEMM_NR_MAX (2 * 64 / (int)sizeof(rnn_real)) /* the widest copy's tile: AVX-512 */
#else
#define RNN__GEMM_NR_MAX RNN__GEMM_NR
#endif
#if defined(__GNUC__) /* GCC, Clang: each copy gets the whole kernel inlined, with its constants */
#define RNN__INLINE static inline __attribute__((always_inline))
#define RNN__UNUSED __attribute__((unused))
#else
#define RNN__INLINE static inline
#define RNN__UNUSED
#endif
#ifdef FP_FAST_FMAF
#define RNN__GEMM_FUSED 1 /* the build's own flags have a one-instruction fmaf (e.g. -march=native) */
#else
#define RNN__GEMM_FUSED 0
#endif

/* Threads on request (OpenMP). Built with -fopenmp (make OPENMP=1),
   rnn_gemm shares a product that is big enough (2 M N K flops >=
   RNN__OMP_MIN_FLOPS; a smaller one costs less than waking the threads)
   among the threads by columns of C: one slice per thread, each a whole
   product of its own, run by the kernel chosen below. Without
   -fopenmp the pragma is nothing and rnn.h has no threads and no
   dependency. Each entry of C is computed by one thread, adding in the same
   order as with one thread (the kernel chooses its way on the whole
   product's sizes, Nall, not the slice's), so the result is the same to
   the bit for any number of threads (tests/test_cells.c checks it in the
   threaded build). Why at rnn_gemm and not inside the kernel: a parallel
   loop is compiled as a function of its own, and GCC does not give that
   function the avx2/avx512 target of the copy it came from, so inside the
   kernel the threads would run baseline code (with a libm call per fmaf). */
#define RNN__OMP_MIN_FLOPS 10000000.0
#define RNN__OMP_COLUMNS 64 /* slices are a multiple of it, and so of every copy's tile width NR */

/* x * y + a: with fused = 1, C99's fma (one rounding; a single instruction in
   the copies compiled for FMA, which the compiler then vectorises), else as
   written. fused is a constant in each copy, so the test costs nothing. */
RNN__INLINE rnn_real rnn__madd(rnn_real x, rnn_real y, rnn_real a, int fused)
{
    if (!fused) return x * y + a;
    return RNN__IS_FLOAT ? (rnn_real)fmaf((float)x, (float)y, (float)a) : (rnn_real)fma((double)x, (double)y, (double)a);
}

/* C(0..mr-1, 0..nr-1) += A(0..mr-1, 0..kc-1) panel(0..kc-1, 0..NR-1), in six
   local rows; A(r, k) is A[r * ars + k * aks]; panel(k, j) is b[k * bks + j];
   C(r, j) is C[r * crs + j * cjs] (cjs = 1: rows of C; crs = 1: C transposed).
   With fewer than 6 rows (mr < 6, the last tile) the missing rows repeat
   row mr-1 and are dropped; columns past nr likewise (the panel has NR). */
RNN__INLINE void rnn__gemm_block(int mr, int nr, int kc, const rnn_real *A, size_t ars, size_t aks,
                                 const rnn_real *b, size_t bks, rnn_real *C, size_t crs, size_t cjs,
                                 int NR, int fused)
{
    rnn_real c0[RNN__GEMM_NR_MAX], c1[RNN__GEMM_NR_MAX], c2[RNN__GEMM_NR_MAX], c3[RNN__GEMM_NR_MAX], c4[RNN__GEMM_NR_MAX], c5[RNN__GEMM_NR_MAX];
    const rnn_real *a0 = A, *a1 = A + (mr > 1 ? 1 : 0) * ars, *a2 = A + (mr > 2 ? 2 : mr - 1) * ars;
    const rnn_real *a3 = A + (mr > 3 ? 3 : mr - 1) * ars, *a4 = A + (mr > 4 ? 4 : mr - 1) * ars;
    const rnn_real *a5 = A + (mr > 5 ? 5 : mr - 1) * ars;
    rnn_real *cr[RNN__GEMM_MR];
    int j, k, r;
    for (j = 0; j < NR; j++) c0[j] = c1[j] = c2[j] = c3[j] = c4[j] = c5[j] = 0;
    for (k = 0; k < kc; k++) {
        const rnn_real *bk = b + (size_t)k * bks;
        size_t o = (size_t)k * aks;
        rnn_real x0 = a0[o], x1 = a1[o], x2 = a2[o], x3 = a3[o], x4 = a4[o], x5 = a5[o];
        for (j = 0; j < NR; j++) c0[j] = rnn__madd(x0, bk[j], c0[j], fused);
        for (j = 0; j < NR; j++) c1[j] = rnn__madd(x1, bk[j], c1[j], fused);
        for (j = 0; j < NR; j++) c2[j] = rnn__madd(x2, bk[j], c2[j], fused);
        for (j = 0; j < NR; j++) c3[j] = rnn__madd(x3, bk[j], c3[j], fused);
        for (j = 0; j < NR; j++) c4[j] = rnn__madd(x4, bk[j], c4[j], fused);
        for (j = 0; j < NR; j++) c5[j] = rnn__madd(x5, bk[j], c5[j], fused);
    }
    cr[0] = c0; cr[1] = c1; cr[2] = c2; cr[3] = c3; cr[4] = c4; cr[5] = c5;
    if (cjs != 1) /* C transposed: the mr numbers of a row of C are next to each other */
        for (j = 0; j < nr; j++)
            for (r = 0; r < mr; r++) C[(size_t)j * cjs + (size_t)r * crs] += cr[r][j];
    else
        for (r = 0; r < mr; r++) {
            rnn_real *c = C + (size_t)r * crs;
            const rnn_real *s = cr[r];
            if (nr == NR) for (j = 0; j < NR; j++) c[j] += s[j]; /* constant length: vectorised */
            else for (j = 0; j < nr; j++) c[j] += s[j];
        }
}

/* c[j] += a . B[j,:] for j < N: B stored (N,K), rows of length K. Four rows
   of B at a time share each load of a; each dot product is summed in
   RNN__GEMM_LANES lanes, two chunks of lanes per pass (one chunk per pass
   lets GCC -O3 vectorise the wrong loop: 6 GFLOP/s instead of 40), then
   the lanes are added. */
RNN__INLINE void rnn__gemm_dots(int N, int K, const rnn_real *a, const rnn_real *B, int ldb, rnn_real *c)
{
    enum { L = RNN__GEMM_LANES };
    int j;
    for (j = 0; j < N; j += 4) {
        const rnn_real *b0 = B + (size_t)j * ldb; /* rows past N repeat row j, dropped below */
        const rnn_real *b1 = j + 1 < N ? b0 + ldb : b0, *b2 = j + 2 < N ? b0 + 2 * (size_t)ldb : b0;
        const rnn_real *b3 = j + 3 < N ? b0 + 3 * (size_t)ldb : b0;
        rnn_real s0[L], s1[L], s2[L], s3[L];
        rnn_real t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        int k, l;
        for (l = 0; l < L; l++) s0[l] = s1[l] = s2[l] = s3[l] = 0;
        for (k = 0; k + 2 * L <= K; k += 2 * L)
            for (l = 0; l < L; l++) {
                rnn_real x = a[k + l], y = a[k + L + l];
                s0[l] += x * b0[k + l] + y * b0[k + L + l];
                s1[l] += x * b1[k + l] + y * b1[k + L + l];
                s2[l] += x * b2[k + l] + y * b2[k + L + l];
                s3[l] += x * b3[k + l] + y * b3[k + L + l];
            }
        for (; k < K; k++) {
            t0 += a[k] * b0[k]; t1 += a[k] * b1[k];
            t2 += a[k] * b2[k]; t3 += a[k] * b3[k];
        }
        for (l = 0; l < L; l++) { t0 += s0[l]; t1 += s1[l]; t2 += s2[l]; t3 += s3[l]; }
        c[j] += t0;
        if (j + 1 < N) c[j + 1] += t1;
        if (j + 2 < N) c[j + 2] += t2;
        if (j + 3 < N) c[j + 3] += t3;
    }
}

/* The blocked product C += op(A) op(B), every operand through two strides:
   op(A)(i,k) = A[i*ars + k*aks], op(B)(k,j) = B[k*bks + j*bjs],
   C(i,j) = C[i*crs + j*cjs]. Panels of op(B), KC x NR, packed unless their
   rows are already contiguous; then every tile of 6 rows of A over it. */
RNN__INLINE void rnn__gemm_blocked(int M, int N, int K, int KC, const rnn_real *A, size_t ars, size_t aks,
                                   const rnn_real *B, size_t bks, size_t bjs, rnn_real *C, size_t crs, size_t cjs,
                                   int NR, int fused)
{
    rnn_real panel[RNN__GEMM_KC_WIDE * RNN__GEMM_NR_MAX]; /* one packed panel of op(B), KC <= RNN__GEMM_KC_WIDE rows */
    int i0, j0, k0, j, k;
    for (j0 = 0; j0 < N; j0 += NR) {
        int nr = N - j0 < NR ? N - j0 : NR;
        for (k0 = 0; k0 < K; k0 += KC) {
            int kc = K - k0 < KC ? K - k0 : KC;
            const rnn_real *b = B + (size_t)k0 * bks + (size_t)j0 * bjs, *p;
            size_t pks;
            if (bjs == 1 && nr == NR && M < RNN__GEMM_PACK_ROWS) { p = b; pks = bks; } /* in place */
            else { /* pack: panel[k][j] = op(B)(k0+k, j0+j), zero past column nr */
                if (nr < NR) memset(panel, 0, sizeof(rnn_real) * (size_t)kc * NR);
                if (bks == 1) /* along k the numbers are contiguous: read them so */
                    for (j = 0; j < nr; j++)
                        for (k = 0; k < kc; k++) panel[(size_t)k * NR + j] = b[(size_t)j * bjs + k];
                else
                    for (k = 0; k < kc; k++)
                        for (j = 0; j < nr; j++) panel[(size_t)k * NR + j] = b[(size_t)k * bks + (size_t)j * bjs];
                p = panel; pks = NR;
            }
            for (i0 = 0; i0 < M; i0 += RNN__GEMM_MR) { /* the last tile may have fewer rows */
                const rnn_real *a = A + (size_t)i0 * ars + (size_t)k0 * aks;
                rnn_real *c = C + (size_t)i0 * crs + (size_t)j0 * cjs;
                rnn__gemm_block(M - i0 < RNN__GEMM_MR ? M - i0 : RNN__GEMM_MR, nr, kc, a, ars, aks, p, pks, c, crs, cjs, NR, fused);
            }
        }
    }
}

/* The whole product, for a tile of NR columns and fused or plain
   multiply-adds; each copy below calls it with constants. N columns of C
   out of Nall: a slice (threads), the way is chosen on Nall. */
RNN__INLINE void rnn__gemm_kernel(int ta, int tb, int M, int N, int Nall, int K,
                                  const rnn_real *A, int lda, const rnn_real *B, int ldb,
                                  rnn_real beta, rnn_real *C, int ldc, int NR, int fused)
{
    size_t ars = ta ? 1 : (size_t)lda, aks = ta ? (size_t)lda : 1; /* A(i,k) = A[i*ars + k*aks] */
    int i, j, k;
    for (i = 0; i < M; i++) {
        rnn_real *c = C + (size_t)i * ldc;
        if (beta == 0) memset(c, 0, sizeof(rnn_real) * (size_t)N);
        else if (beta != 1) for (j = 0; j < N; j++) c[j] *= beta;
    }
    if (K <= 0) return;
    if (K < 4) { /* a rank-1 or rank-2 update (B = 1 in a weight gradient,
                    dW_hh += da^T h_prev at every step): nothing to reuse, so
                    no blocking; a row of C += a * a row of op(B) */
        for (i = 0; i < M; i++)
            for (k = 0; k < K; k++) {
                rnn_real a = ta ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k], *c = C + (size_t)i * ldc;
                if (tb) {
                    const rnn_real *b = B + k;
                    for (j = 0; j < N; j++) c[j] += a * b[(size_t)j * ldb];
                } else { /* NR at a time through a local array, as in the kernel:
                            a constant length that nothing aliases, so it vectorises */
                    const rnn_real *b = B + (size_t)k * ldb;
                    int j0;
                    for (j0 = 0; j0 + NR <= N; j0 += NR) {
                        rnn_real t[RNN__GEMM_NR_MAX];
                        for (j = 0; j < NR; j++) t[j] = c[j0 + j] + a * b[j0 + j];
                        for (j = 0; j < NR; j++) c[j0 + j] = t[j];
                    }
                    for (j = j0; j < N; j++) c[j] += a * b[j];
                }
            }
        return;
    }
    if (M == 1 && !tb) { /* a vector times a matrix (dh_prev = da W_hh at B = 1):
                            c += a_k B(k,:), four rows of B at a time, each read
                            once, in place, in chunks of a constant length */
        const int W = 4 * NR;
        rnn_real *c = C;
        int j0;
        for (j0 = 0; j0 < N; j0 += W) {
            int w = N - j0 < W ? N - j0 : W, j, k;
            rnn_real s[4 * RNN__GEMM_NR_MAX];
            for (j = 0; j < W; j++) s[j] = 0;
            for (k = 0; k + 4 <= K; k += 4) {
                const rnn_real *b0 = B + (size_t)k * ldb + j0, *b1 = b0 + ldb, *b2 = b1 + ldb, *b3 = b2 + ldb;
                rnn_real x0 = A[(size_t)k * aks], x1 = A[(size_t)(k + 1) * aks];
                rnn_real x2 = A[(size_t)(k + 2) * aks], x3 = A[(size_t)(k + 3) * aks];
                if (w == W)
                    for (j = 0; j < W; j++)
                        s[j] = rnn__madd(x3, b3[j], rnn__madd(x2, b2[j], rnn__madd(x1, b1[j], rnn__madd(x0, b0[j], s[j], fused), fused), fused), fused);
                else
                    for (j = 0; j < w; j++)
                        s[j] = rnn__madd(x3, b3[j], rnn__madd(x2, b2[j], rnn__madd(x1, b1[j], rnn__madd(x0, b0[j], s[j], fused), fused), fused), fused);
            }
            for (; k < K; k++)
                for (j = 0; j < w; j++) s[j] = rnn__madd(A[(size_t)k * aks], B[(size_t)k * ldb + j0 + j], s[j], fused);
            for (j = 0; j < w; j++) c[j0 + j] += s[j];
        }
        return;
    }
    if (tb && !ta && M < RNN__GEMM_DOTS) {
        /* few rows (B = 1 in the forward pass): packing op(B) would cost more
           than it saves, which it stops doing at about 8 rows of A */
        for (i = 0; i < M; i++)
            rnn__gemm_dots(N, K, A + (size_t)i * lda, B, ldb, C + (size_t)i * ldc);
        return;
    }
    {
        size_t bks = tb ? 1 : (size_t)ldb, bjs = tb ? (size_t)ldb : 1; /* op(B)(k,j) = B[k*bks + j*bjs] */
        if (tb && M < Nall)
            /* C = A B^T with few rows of A (the recurrent product h W_hh^T,
               B rows of h against G*H rows of W_hh): packing B = W_hh would
               copy all of it at every step. Compute the transpose instead,
               C^T = B A^T: W_hh is then the left operand, read in place, and
               the panel packed is h^T, B numbers wide; C is written through
               the strides (crs = 1, cjs = ldc), i.e. transposed back. Those
               writes are scattered (a row of C apart), so the panels are
               taller (RNN__GEMM_KC_WIDE): a tile adds up all of K (up to 512)
               before it writes (measured, H=512 B=32: 25 GFLOP/s with
               panels of 128, 210 with 512 and the row-wise write order). */
            rnn__gemm_blocked(N, M, K, RNN__GEMM_KC_WIDE, B, bjs, bks, A, aks, ars, C, 1, (size_t)ldc, NR, fused);
        else
            rnn__gemm_blocked(M, N, K, RNN__GEMM_KC, A, ars, aks, B, bks, bjs, C, (size_t)ldc, 1, NR, fused);
    }
}


/* The copies: for the build's flags, and (RNN__GEMM_DISPATCH) for AVX2 with
   FMA and for AVX-512, two vectors of 8 or 16 floats per tile row. */
typedef void (*rnn__gemm_fn)(int, int, int, int, int, int, const rnn_real *, int, const rnn_real *, int,
                             rnn_real, rnn_real *, int);
static void rnn__gemm_base(int ta, int tb, int M, int N, int Nall, int K, const rnn_real *A, int lda,
                           const rnn_real *B, int ldb, rnn_real beta, rnn_real *C, int ldc)
{
    rnn__gemm_kernel(ta, tb, M, N, Nall, K, A, lda, B, ldb, beta, C, ldc, RNN__GEMM_NR, RNN__GEMM_FUSED);
}
#ifdef RNN__GEMM_DISPATCH
__attribute__((target("avx2,fma")))
static void rnn__gemm_avx2(int ta, int tb, int M, int N, int Nall, int K, const rnn_real *A, int lda,
                           const rnn_real *B, int ldb, rnn_real beta, rnn_real *C, int ldc)
{
    rnn__gemm_kernel(ta, tb, M, N, Nall, K, A, lda, B, ldb, beta, C, ldc, 2 * 32 / (int)sizeof(rnn_real), 1);
}
__attribute__((target("avx2,fma,avx512f")))
static void rnn__gemm_avx512(int ta, int tb, int M, int N, int Nall, int K, const rnn_real *A, int lda,
                             const rnn_real *B, int ldb, rnn_real beta, rnn_real *C, int ldc)
{
    rnn__gemm_kernel(ta, tb, M, N, Nall, K, A, lda, B, ldb, beta, C, ldc, 2 * 64 / (int)sizeof(rnn_real), 1);
}
#define RNN__GEMM_KERNELS 3
#else
#define RNN__GEMM_KERNELS 1
#endif
/* kernel k's name, and whether this CPU can run it (0: no) */
static const char *const rnn__gemm_names[3] = {"baseline", "avx2", "avx512"};
static int rnn__gemm_runs(int k)
{
#ifdef RNN__GEMM_DISPATCH
    __builtin_cpu_init(); /* cheap once done; needed only before constructors run */
    if (k == 1) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (k == 2) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx512f");
#endif
    return k == 0;
}
static int rnn__gemm_forced = -1; /* -1: the best the CPU runs */
/* rnn_gemm runs kernel k from now on (k = -1: choose again); returns 0, or
   -1 if k is not compiled in or this CPU cannot run it. For tests. */
RNN__UNUSED static int rnn__gemm_force(int k)
{
    if (k < -1 || k >= RNN__GEMM_KERNELS || (k >= 0 && !rnn__gemm_runs(k))) return -1;
    rnn__gemm_forced = k;
    return 0;
}
/* the kernel rnn_gemm runs now */
static int rnn__gemm_current(void)
{
    int k;
    if (rnn__gemm_forced >= 0) return rnn__gemm_forced;
    for (k = RNN__GEMM_KERNELS - 1; k > 0; k--)
        if (rnn__gemm_runs(k)) return k;
    return 0;
}

RNNDEF void rnn_gemm(int ta, int tb, int M, int N, int K,
                     const rnn_real *A, int lda, const rnn_real *B, int ldb,
                     rnn_real beta, rnn_real *C, int ldc)
{
    static const rnn__gemm_fn fns[RNN__GEMM_KERNELS] = {
        rnn__gemm_base,
#ifdef RNN__GEMM_DISPATCH
        rnn__gemm_avx2, rnn__gemm_avx512
#endif
    };
    rnn__gemm_fn fn = fns[rnn__gemm_current()];
#ifdef _OPENMP
    int threads = omp_get_max_threads();
    if (threads > 1 && 2.0 * M * N * K >= RNN__OMP_MIN_FLOPS && N > RNN__OMP_COLUMNS) {
        /* one slice per thread, a multiple of RNN__OMP_COLUMNS wide */
        int width = ((N + threads - 1) / threads + RNN__OMP_COLUMNS - 1) / RNN__OMP_COLUMNS * RNN__OMP_COLUMNS;
        int slice, n_slices = (N + width - 1) / width;
#pragma omp parallel for schedule(static)
        for (slice = 0; slice < n_slices; slice++) { /* columns j0.. of C and of op(B) */
            int j0 = slice * width, n = N - j0 < width ? N - j0 : width;
            fn(ta, tb, M, n, N, K, A, lda, tb ? B + (size_t)j0 * ldb : B + j0, ldb, beta, C + j0, ldc);
        }
        return;
    }
#endif
    fn(ta, tb, M, N, N, K, A, lda, B, ldb, beta, C, ldc);
}

#endif /* RNN_USE_CBLAS */

/* ---- activations that vectorise ------------------------------------------
   libm's expf is a function call with branches inside: a loop that calls it
   runs one number at a time, and in inference (no backward pass) the
   sigmoids and tanhs of the gates cost more than the matrix products. So in
   float rnn.h computes e^x itself, in straight-line code (no branch, no
   call) that the compiler can run on a vector of numbers at once:
       e^x = 2^n e^r,  n = x / ln 2 rounded to an integer,  r = x - n ln 2,
   so |r| <= ln2 / 2 = 0.347; e^r by its Taylor series to r^7 (the first
   term left out, r^8/8!, is below 5e-9 of e^r: less than half a float ulp),
   and 2^n written straight into the exponent bits of a float. x is first
   clamped to [-87, 88], where e^x is a normal float (e^-87 = 1.6e-38,
   e^88 = 1.7e38): sigma and tanh need no more. Relative error about 2 ulp.
   In double, libm. */
static inline float rnn__expf_poly(float x)
{
    union { float f; int32_t i; } s;
    float n, r, p, in = x;
    x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
    x = x == x ? x : 0.0f; /* NaN: compute e^0, and give NaN back below */
    n = (x * 1.44269504f + 12582912.0f) - 12582912.0f; /* rounded: adding 1.5 * 2^23 drops the fraction */
    r = (x - n * 0.693359375f) + n * 2.12194440e-4f;  /* x - n ln 2, ln 2 in two parts (Cody and Waite)
                                                         so that n ln 2 is exact in the first */
    p = 1.0f + r * (1.0f + r * (1.0f / 2 + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120
        + r * (1.0f / 720 + r * (1.0f / 5040)))))));
    s.i = ((int32_t)n + 127) << 23; /* 2^n: n + 127 (in 1..254 here) in the exponent field, bits 23..30 */
    return in == in ? p * s.f : in;
}

/* e^a: the polynomial in float, libm in double */
static inline rnn_real rnn__exp_fast(rnn_real a)
{
    return RNN__IS_FLOAT ? (rnn_real)rnn__expf_poly((float)a) : (rnn_real)exp((double)a);
}

/* sigma(a) = 1 / (1 + e^-a). In float, e^-a is clamped (above), so it never
   overflows; in double, the reference. */
static inline rnn_real rnn__sigmoid(rnn_real a)
{
    if (RNN__IS_FLOAT) return (rnn_real)(1.0f / (1.0f + rnn__expf_poly((float)-a)));
    return rnn__sigmoid_ref(a);
}
/* tanh(a) = (1 - e^-2a) / (1 + e^-2a) for a >= 0, and tanh(-a) = -tanh(a).
   Near 0, 1 - e^-2a loses digits to cancellation, so there the Taylor series
   a - a^3/3 + 2a^5/15 - 17a^7/315 is used instead. In float both are
   computed and one is kept (a choice, not a branch: it vectorises).
   Measured against tanh in double over [-30, 30] in steps of 1e-4: relative
   error below 3e-7, about 2 float ulps (sigma: 1.5e-7). In double, the reference. */
static inline rnn_real rnn__tanh(rnn_real a)
{
    float x = (float)a < 0 ? -(float)a : (float)a, a2 = (float)a * (float)a, e, t, s;
    if (!RNN__IS_FLOAT) return rnn__tanh_ref(a);
    s = (float)a + (float)a * a2 * ((float)(-1.0 / 3) + a2 * ((float)(2.0 / 15) + a2 * (float)(-17.0 / 315)));
    e = rnn__expf_poly(-2 * x);
    t = (1 - e) / (1 + e);
    t = (float)a < 0 ? -t : t;
    return (rnn_real)(x < 0.125f ? s : t);
}

/* x[i] = sigma(x[i]) and x[i] = tanh(x[i]) for i < n, in place: chunks of a
   constant length through a local array, which the compiler vectorises (the
   same trick as the matrix product), then the rest one by one. The numbers
   are the same as rnn_sigmoid's and rnn_tanh's, wherever they fall. */
#define RNN__ACT_CHUNK 16
#ifndef RNN__INLINE /* RNN_USE_CBLAS: no copies of the product, one of the activations */
#define RNN__INLINE static inline
#endif
RNN__INLINE void rnn__sigmoid_v_k(rnn_real *x, size_t n)
{
    size_t i = 0;
    int j;
    for (; i + RNN__ACT_CHUNK <= n; i += RNN__ACT_CHUNK) {
        rnn_real t[RNN__ACT_CHUNK];
        for (j = 0; j < RNN__ACT_CHUNK; j++) t[j] = rnn__sigmoid(x[i + j]);
        for (j = 0; j < RNN__ACT_CHUNK; j++) x[i + j] = t[j];
    }
    for (; i < n; i++) x[i] = rnn__sigmoid(x[i]);
}
RNN__INLINE void rnn__tanh_v_k(rnn_real *x, size_t n)
{
    size_t i = 0;
    int j;
    for (; i + RNN__ACT_CHUNK <= n; i += RNN__ACT_CHUNK) {
        rnn_real t[RNN__ACT_CHUNK];
        for (j = 0; j < RNN__ACT_CHUNK; j++) t[j] = rnn__tanh(x[i + j]);
        for (j = 0; j < RNN__ACT_CHUNK; j++) x[i + j] = t[j];
    }
    for (; i < n; i++) x[i] = rnn__tanh(x[i]);
}
/* h[i] = o[i] * tanh(c[i]), the LSTM's output, the same way */
RNN__INLINE void rnn__mul_tanh_k(rnn_real *h, const rnn_real *o, const rnn_real *c, size_t n)
{
    size_t i = 0;
    int j;
    for (; i + RNN__ACT_CHUNK <= n; i += RNN__ACT_CHUNK) {
        rnn_real t[RNN__ACT_CHUNK];
        for (j = 0; j < RNN__ACT_CHUNK; j++) t[j] = rnn__tanh(c[i + j]);
        for (j = 0; j < RNN__ACT_CHUNK; j++) h[i + j] = o[i + j] * t[j];
    }
    for (; i < n; i++) h[i] = o[i] * rnn__tanh(c[i]);
}

/* The three over a whole gate, compiled like the matrix product for the
   build's flags and (RNN__GEMM_DISPATCH) for AVX2 and AVX-512, and run in
   the widest copy this CPU has (the one rnn_gemm runs): 8 or 16 floats at
   once instead of 4. The same operations in the same order; a compiler
   that fuses a * b + c by itself (Clang; GCC in C++ or GNU C mode) does so
   in the FMA copies, which then round a few steps once instead of twice
   (within 1e-6 relative, tests/test_float.c). */
#ifdef RNN__GEMM_DISPATCH
#define RNN__ACT_COPIES(name, params, args)                                           \
    static void name##_base params { name##_k args; }                                  \
    __attribute__((target("avx2,fma"))) static void name##_avx2 params { name##_k args; } \
    __attribute__((target("avx2,fma,avx512f"))) static void name##_avx512 params { name##_k args; } \
    static void name params                                                            \
    {                                                                                  \
        int k = rnn__gemm_current();                                                   \
        if (k == 2) name##_avx512 args; else if (k == 1) name##_avx2 args; else name##_base args; \
    }
#else
#define RNN__ACT_COPIES(name, params, args) static void name params { name##_k args; }
#endif
RNN__ACT_COPIES(rnn__sigmoid_v, (rnn_real *x, size_t n), (x, n))
RNN__ACT_COPIES(rnn__tanh_v, (rnn_real *x, size_t n), (x, n))
RNN__ACT_COPIES(rnn__mul_tanh, (rnn_real *h, const rnn_real *o, const rnn_real *c, size_t n), (h, o, c, n))

/* p_k = e^{o_k - max}; returns their sum and the max, which the
   cross-entropy needs too. Every loop goes by chunks of a constant length
   through local arrays, as in rnn__sigmoid_v, so that it vectorises: the max
   and the sum are kept in RNN__ACT_CHUNK lanes, then the lanes are combined
   (the max is the same; the sum differs from the sequential one by rounding).
   Compiled in copies like the activations: at small H (a few units, a
   vocabulary of 64) the output's softmax is most of a training step. */
RNN__INLINE void rnn__softmax_sum_k(rnn_real *p, const rnn_real *o, int n, rnn_real *max, rnn_real *sum_out)
{
    enum { L = RNN__ACT_CHUNK };
    rnn_real m[L], s[L], mx = o[0], sum = 0;
    int k, j;
    for (j = 0; j < L; j++) { m[j] = o[0]; s[j] = 0; }
    for (k = 0; k + L <= n; k += L)
        for (j = 0; j < L; j++) m[j] = o[k + j] > m[j] ? o[k + j] : m[j];
    for (; k < n; k++) mx = o[k] > mx ? o[k] : mx;
    for (j = 0; j < L; j++) mx = m[j] > mx ? m[j] : mx;
    for (k = 0; k + L <= n; k += L) {
        rnn_real t[L];
        for (j = 0; j < L; j++) t[j] = rnn__exp_fast(o[k + j] - mx);
        for (j = 0; j < L; j++) { p[k + j] = t[j]; s[j] += t[j]; }
    }
    for (; k < n; k++) { p[k] = rnn__exp_fast(o[k] - mx); sum += p[k]; }
    for (j = 0; j < L; j++) sum += s[j];
    *max = mx;
    *sum_out = sum;
}
RNN__ACT_COPIES(rnn__softmax_sum, (rnn_real *p, const rnn_real *o, int n, rnn_real *max, rnn_real *sum),
                (p, o, n, max, sum))
static rnn_real rnn__softmax_exp(rnn_real *p, const rnn_real *o, int n, rnn_real *max)
{
    rnn_real sum;
    rnn__softmax_sum(p, o, n, max, &sum);
    return sum;
}
/* p_k /= s for k < n, by chunks (vectorised), in copies likewise */
RNN__INLINE void rnn__divide_k(rnn_real *p, int n, rnn_real s)
{
    int k, j;
    for (k = 0; k + RNN__ACT_CHUNK <= n; k += RNN__ACT_CHUNK) {
        rnn_real t[RNN__ACT_CHUNK];
        for (j = 0; j < RNN__ACT_CHUNK; j++) t[j] = p[k + j] / s;
        for (j = 0; j < RNN__ACT_CHUNK; j++) p[k + j] = t[j];
    }
    for (; k < n; k++) p[k] /= s;
}
RNN__ACT_COPIES(rnn__divide, (rnn_real *p, int n, rnn_real s), (p, n, s))

/* ---- the optimizers' loops, in chunks that vectorise ----------------------
   rnn_optim_step (>>learning) is one flat loop over every parameter, and
   for Adagrad, RMSprop and Adam each number needs a square root and a
   division. Two things keep a plain -O2 build from running that loop on
   vectors: the loop's length is unknown and params, grads and the moments
   might overlap (the same reasons as in the matrix product: the answer is
   the same, chunks of a constant length through local arrays); and C's
   sqrtf must set errno for a negative argument, so GCC and Clang, in their
   default -fmath-errno, keep each sqrtf a separate call, one number at a
   time. The moments under the root are never negative, and no C99 spelling
   says "sqrt, never mind errno", so on x86-64 the root of a chunk is taken
   by SSE2's sqrtps (4 floats, or 2 doubles, per instruction; correctly
   rounded, as sqrtf is: the same numbers). With -fno-math-errno (or where
   there is no SSE2) it is plain rnn__sqrt.
   Each rnn__*_chunks below does the first n - n % RNN__ACT_CHUNK numbers
   with the same operations in the same order as the formula's loop in
   rnn_optim_step, and returns how many it did; that loop does the rest.
   Compiled, like the activations, for the build's flags and for AVX2 and
   AVX-512 (8 or 16 numbers per division). Measured on min-char-rnn (B = 1,
   H = 100, Adagrad): see docs/perf.md. */
RNN__INLINE void rnn__sqrt_chunk(rnn_real *x)
{
    int j;
#ifdef RNN__SQRT_SSE2
    if (RNN__IS_FLOAT)
        for (j = 0; j < RNN__ACT_CHUNK; j += 4) {
            float *f = (float *)(void *)x + j;
            _mm_storeu_ps(f, _mm_sqrt_ps(_mm_loadu_ps(f)));
        }
    else
        for (j = 0; j < RNN__ACT_CHUNK; j += 2) {
            double *d = (double *)(void *)x + j;
            _mm_storeu_pd(d, _mm_sqrt_pd(_mm_loadu_pd(d)));
        }
#else
    for (j = 0; j < RNN__ACT_CHUNK; j++) x[j] = rnn__sqrt(x[j]);
#endif
}
/* SGD with momentum: v = mu v + g; theta -= eta v */
RNN__INLINE void rnn__sgd_v_k(size_t n, rnn_real *p, const rnn_real *g, rnn_real *v, rnn_real lr, rnn_real mu)
{
    size_t i;
    int j;
    for (i = 0; i < n; i += RNN__ACT_CHUNK) {
        rnn_real tv[RNN__ACT_CHUNK], tp[RNN__ACT_CHUNK];
        for (j = 0; j < RNN__ACT_CHUNK; j++) tv[j] = mu * v[i + j] + g[i + j];
        for (j = 0; j < RNN__ACT_CHUNK; j++) tp[j] = p[i + j] - lr * tv[j];
        for (j = 0; j < RNN__ACT_CHUNK; j++) { v[i + j] = tv[j]; p[i + j] = tp[j]; }
    }
}
/* Adagrad: G = G + g^2; theta -= eta g / (sqrt(G) + eps) */
RNN__INLINE void rnn__adagrad_v_k(size_t n, rnn_real *p, const rnn_real *g, rnn_real *G, rnn_real lr, rnn_real eps)
{
    size_t i;
    int j;
    for (i = 0; i < n; i += RNN__ACT_CHUNK) {
        rnn_real tg[RNN__ACT_CHUNK], tG[RNN__ACT_CHUNK], r[RNN__ACT_CHUNK], tp[RNN__ACT_CHUNK];
        for (j = 0; j < RNN__ACT_CHUNK; j++) { tg[j] = g[i + j]; tG[j] = G[i + j] + tg[j] * tg[j]; r[j] = tG[j]; }
        rnn__sqrt_chunk(r);
        for (j = 0; j < RNN__ACT_CHUNK; j++) tp[j] = p[i + j] - lr * tg[j] / (r[j] + eps);
        for (j = 0; j < RNN__ACT_CHUNK; j++) { G[i + j] = tG[j]; p[i + j] = tp[j]; }
    }
}
/* RMSprop: s = a s + (1-a) g^2; theta -= eta g / (sqrt(s) + eps) */
RNN__INLINE void rnn__rmsprop_v_k(size_t n, rnn_real *p, const rnn_real *g, rnn_real *s, rnn_real lr, rnn_real a,
                                  rnn_real eps)
{
    size_t i;
    int j;
    for (i = 0; i < n; i += RNN__ACT_CHUNK) {
        rnn_real tg[RNN__ACT_CHUNK], ts[RNN__ACT_CHUNK], r[RNN__ACT_CHUNK], tp[RNN__ACT_CHUNK];
        for (j = 0; j < RNN__ACT_CHUNK; j++) { tg[j] = g[i + j]; ts[j] = a * s[i + j] + (1 - a) * tg[j] * tg[j]; r[j] = ts[j]; }
        rnn__sqrt_chunk(r);
        for (j = 0; j < RNN__ACT_CHUNK; j++) tp[j] = p[i + j] - lr * tg[j] / (r[j] + eps);
        for (j = 0; j < RNN__ACT_CHUNK; j++) { s[i + j] = ts[j]; p[i + j] = tp[j]; }
    }
}
/* Adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
   theta -= (eta / c1) m / (sqrt(v) / sqrt(c2) + eps), c = step_size, inv_sqrt_c2 */
RNN__INLINE void rnn__adam_v_k(size_t n, rnn_real *p, const rnn_real *g, rnn_real *m, rnn_real *v,
                               rnn_real step_size, rnn_real inv_sqrt_c2, rnn_real b1, rnn_real b2, rnn_real eps)
{
    size_t i;
    int j;
    for (i = 0; i < n; i += RNN__ACT_CHUNK) {
        rnn_real tg[RNN__ACT_CHUNK], tm[RNN__ACT_CHUNK], tv[RNN__ACT_CHUNK], r[RNN__ACT_CHUNK], tp[RNN__ACT_CHUNK];
        for (j = 0; j < RNN__ACT_CHUNK; j++) {
            tg[j] = g[i + j];
            tm[j] = b1 * m[i + j] + (1 - b1) * tg[j];
            tv[j] = b2 * v[i + j] + (1 - b2) * tg[j] * tg[j];
            r[j] = tv[j];
        }
        rnn__sqrt_chunk(r);
        for (j = 0; j < RNN__ACT_CHUNK; j++) tp[j] = p[i + j] - step_size * tm[j] / (r[j] * inv_sqrt_c2 + eps);
        for (j = 0; j < RNN__ACT_CHUNK; j++) { m[i + j] = tm[j]; v[i + j] = tv[j]; p[i + j] = tp[j]; }
    }
}
RNN__ACT_COPIES(rnn__sgd_v, (size_t n, rnn_real *p, const rnn_real *g, rnn_real *v, rnn_real lr, rnn_real mu),
                (n, p, g, v, lr, mu))
RNN__ACT_COPIES(rnn__adagrad_v, (size_t n, rnn_real *p, const rnn_real *g, rnn_real *G, rnn_real lr, rnn_real eps),
                (n, p, g, G, lr, eps))
RNN__ACT_COPIES(rnn__rmsprop_v, (size_t n, rnn_real *p, const rnn_real *g, rnn_real *s, rnn_real lr, rnn_real a,
                                 rnn_real eps), (n, p, g, s, lr, a, eps))
RNN__ACT_COPIES(rnn__adam_v, (size_t n, rnn_real *p, const rnn_real *g, rnn_real *m, rnn_real *v,
                              rnn_real step_size, rnn_real inv_sqrt_c2, rnn_real b1, rnn_real b2, rnn_real eps),
                (n, p, g, m, v, step_size, inv_sqrt_c2, b1, b2, eps))
/* what rnn_optim_step calls: the whole chunks, and how many numbers they were */
static int rnn__sgd_chunks(int n, rnn_real *p, const rnn_real *g, rnn_real *v, rnn_real lr, rnn_real mu)
{
    int done = n - n % RNN__ACT_CHUNK;
    rnn__sgd_v((size_t)done, p, g, v, lr, mu);
    return done;
}
static int rnn__adagrad_chunks(int n, rnn_real *p, const rnn_real *g, rnn_real *G, rnn_real lr, rnn_real eps)
{
    int done = n - n % RNN__ACT_CHUNK;
    rnn__adagrad_v((size_t)done, p, g, G, lr, eps);
    return done;
}
static int rnn__rmsprop_chunks(int n, rnn_real *p, const rnn_real *g, rnn_real *s, rnn_real lr, rnn_real a, rnn_real eps)
{
    int done = n - n % RNN__ACT_CHUNK;
    rnn__rmsprop_v((size_t)done, p, g, s, lr, a, eps);
    return done;
}
static int rnn__adam_chunks(int n, rnn_real *p, const rnn_real *g, rnn_real *m, rnn_real *v, rnn_real step_size,
                            rnn_real inv_sqrt_c2, rnn_real b1, rnn_real b2, rnn_real eps)
{
    int done = n - n % RNN__ACT_CHUNK;
    rnn__adam_v((size_t)done, p, g, m, v, step_size, inv_sqrt_c2, b1, b2, eps);
    return done;
}

#endif /* RNN_REFERENCE */

#ifdef __cplusplus
}
#endif
#endif /* RNN_IMPLEMENTATION_DONE */
#endif /* RNN_IMPLEMENTATION */

/* >>license ==================================================================
MIT License

Copyright (c) 2026 The rnn.h authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
*/
