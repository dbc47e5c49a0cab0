/* lab_cnn.h - the image encoder of caption.c: the "Convolutional Neural
   Network" half of deck D0's "Image Captioning" slide ("Estructura
   general"), as small as it can be and still be the real thing. It turns a
   32 x 32 picture into the feature vector the LSTM reads first.

     conv   one convolutional layer a student can follow: K filters of
            5 x 5 x 3 slide over the image (one matrix product of every
            5x5 patch with the filters, rnn_gemm), ReLU, then the largest
            response of each filter in each cell of a 4 x 4 grid: 16 K
            features that say "filter k fired somewhere in this part of the
            picture". The filters are learned from the captions alone:
            lab_encoder_backward takes dL/dfeatures (the first row of the
            LSTM's dL/dx) back through the max and the ReLU into them.
     pool   no learning at all: the mean colour of each cell of the grid
            (48 features). It sees colour and place, and shape only through
            how a colour spreads over the cells.
     blind  every feature is 0: a control, the decoder alone.

   Include it after lab.h (and lab_data.h, for LAB_SHAPES_SIZE). */
#ifndef LAB_CNN_H
#define LAB_CNN_H
#include "lab_data.h"

#define LAB_GRID 4           /* the encoders pool over a 4 x 4 grid */
#define LAB_KS 5             /* the convolution's filters are 5 x 5 x 3 */
#define LAB_CONV_OUT (LAB_SHAPES_SIZE - LAB_KS + 1)   /* 28: "valid" positions along each side */
#define LAB_CONV_CELL (LAB_CONV_OUT / LAB_GRID)        /* 7: conv positions per grid cell along a side */


typedef struct lab_encoder {
    int conv;               /* 1: the learned convolution; 0: pooled colours  */
    int blind;              /* 1: every feature is 0 (the decoder is blind)   */
    int K;                  /* filters                                        */
    int F;                  /* features out: LAB_GRID*LAB_GRID*K, or LAB_GRID*LAB_GRID*3      */
    int n_params;           /* K*(LAB_KS*LAB_KS*3) weights + K biases                 */
    rnn_real *params, *grads;  /* W (K, 75) then b (K); gradients alike          */
    /* buffers for a batch of up to B_cap images: */
    int B_cap;
    rnn_real *patches;         /* (B, 28*28, 75) every 5x5x3 patch, one per row  */
    rnn_real *act;             /* (B, 28*28, K) ReLU(conv)                       */
    rnn_real *dact;            /* (B, 28*28, K) its gradient                     */
    int *arg;               /* (B, F) which position won each max             */
} lab_encoder;

LAB_FN int lab_encoder_init(lab_encoder *e, int conv, int K, rnn_rng *rng)
{
    int i, fan_in = LAB_KS * LAB_KS * 3;
    memset(e, 0, sizeof *e);
    e->conv = conv;
    e->K = conv ? K : 3;
    e->F = LAB_GRID * LAB_GRID * e->K;
    if (!conv) return 1;
    e->n_params = K * fan_in + K;
    e->params = (rnn_real *)calloc((size_t)e->n_params, sizeof(rnn_real));
    e->grads = (rnn_real *)calloc((size_t)e->n_params, sizeof(rnn_real));
    if (!e->params || !e->grads) return 0;
    /* He initialisation for a ReLU layer: N(0, 2 / fan_in); biases 0 */
    for (i = 0; i < K * fan_in; i++) e->params[i] = (rnn_real)(rnn_rng_normal(rng) * sqrt(2.0 / fan_in));
    return 1;
}

LAB_FN void lab_encoder_free(lab_encoder *e)
{
    free(e->params); free(e->grads); free(e->patches); free(e->act); free(e->dact); free(e->arg);
    memset(e, 0, sizeof *e);
}

LAB_FN int lab_encoder_reserve(lab_encoder *e, int B)
{
    size_t P = (size_t)LAB_CONV_OUT * LAB_CONV_OUT;
    if (!e->conv || B <= e->B_cap) return 1;
    free(e->patches); free(e->act); free(e->dact); free(e->arg);
    e->patches = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)B * P * LAB_KS * LAB_KS * 3);
    e->act = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)B * P * e->K);
    e->dact = (rnn_real *)malloc(sizeof(rnn_real) * (size_t)B * P * e->K);
    e->arg = (int *)malloc(sizeof(int) * (size_t)B * e->F);
    e->B_cap = B;
    return e->patches && e->act && e->dact && e->arg;
}

/* The features of B images (pix: B pointers to LAB_SHAPES_SIZE*LAB_SHAPES_SIZE*3 pixels) into
   feat, row b at feat + b * ld. Returns 0 if out of memory. */
LAB_FN int lab_encode(lab_encoder *e, int B, const rnn_real *const *pix, rnn_real *feat, int ld)
{
    int b, gy, gx, y, x, k, c;
    if (e->blind) { /* the control experiment: no information about the image */
        for (b = 0; b < B; b++) memset(feat + (size_t)b * ld, 0, sizeof(rnn_real) * e->F);
        return 1;
    }
    if (!e->conv) { /* the mean colour of each grid cell (8 x 8 pixels) */
        int cs = LAB_SHAPES_SIZE / LAB_GRID;
        for (b = 0; b < B; b++)
            for (gy = 0; gy < LAB_GRID; gy++)
                for (gx = 0; gx < LAB_GRID; gx++)
                    for (c = 0; c < 3; c++) {
                        double s = 0;
                        for (y = 0; y < cs; y++)
                            for (x = 0; x < cs; x++) s += pix[b][((gy * cs + y) * LAB_SHAPES_SIZE + gx * cs + x) * 3 + c];
                        feat[(size_t)b * ld + (gy * LAB_GRID + gx) * 3 + c] = (rnn_real)(s / (cs * cs));
                    }
        return 1;
    }
    {
        const int P = LAB_CONV_OUT * LAB_CONV_OUT, PW = LAB_KS * LAB_KS * 3, K = e->K;
        const rnn_real *W = e->params, *bias = e->params + K * PW;
        if (!lab_encoder_reserve(e, B)) return 0;
        /* im2col: row (b, oy, ox) of `patches` is the 5x5x3 patch whose top
           left corner is pixel (oy, ox), so that the convolution is ONE
           matrix product: act = patches W^T + b, (B*P, 75) x (75, K) */
        for (b = 0; b < B; b++)
            for (y = 0; y < LAB_CONV_OUT; y++)
                for (x = 0; x < LAB_CONV_OUT; x++) {
                    rnn_real *row = e->patches + ((size_t)b * P + y * LAB_CONV_OUT + x) * PW;
                    int dy;
                    for (dy = 0; dy < LAB_KS; dy++)
                        memcpy(row + dy * LAB_KS * 3, pix[b] + ((y + dy) * LAB_SHAPES_SIZE + x) * 3, sizeof(rnn_real) * LAB_KS * 3);
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
            for (gy = 0; gy < LAB_GRID; gy++)
                for (gx = 0; gx < LAB_GRID; gx++)
                    for (k = 0; k < K; k++) {
                        int best = -1;
                        rnn_real v = -1;
                        for (y = gy * LAB_CONV_CELL; y < (gy + 1) * LAB_CONV_CELL; y++)
                            for (x = gx * LAB_CONV_CELL; x < (gx + 1) * LAB_CONV_CELL; x++) {
                                int p = y * LAB_CONV_OUT + x;
                                rnn_real a = e->act[((size_t)b * P + p) * K + k];
                                if (a > v) { v = a; best = p; }
                            }
                        feat[(size_t)b * ld + (gy * LAB_GRID + gx) * K + k] = v;
                        e->arg[(size_t)b * e->F + (gy * LAB_GRID + gx) * K + k] = best;
                    }
    }
    return 1;
}

/* Backward of the last lab_encode(): dfeat (B rows, ld apart) is dL/dfeatures,
   which the LSTM left in m->dx. Accumulates into e->grads. */
LAB_FN void lab_encoder_backward(lab_encoder *e, int B, const rnn_real *dfeat, int ld)
{
    const int P = LAB_CONV_OUT * LAB_CONV_OUT, PW = LAB_KS * LAB_KS * 3, K = e->K;
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

#endif /* LAB_CNN_H */
