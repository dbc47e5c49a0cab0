/* Tests of the numerics in the default float build, where rnn.h uses its
   own tanh (one expf) instead of libm's tanhf: accuracy against tanh in
   double, symmetry, saturation, and NaN passing through. */
#define RNN_IMPLEMENTATION
#include "../rnn.h"
#include "harness.h"
#include <math.h>

int main(void)
{
    double worst = 0, worst_at = 0, a;
    int odd = 1, bounded = 1, monotone = 1;
    float prev = -2;
    for (a = -12; a <= 12; a += 1.0 / 4096) {
        float x = (float)a, t = rnn_tanh(x);
        double ref = tanh((double)x), e = fabs((double)t - ref) / (fabs(ref) > 1e-30 ? fabs(ref) : 1);
        if (e > worst) { worst = e; worst_at = x; }
        if (rnn_tanh(-x) != -t) odd = 0;
        if (t > 1 || t < -1) bounded = 0;
        if (t < prev) monotone = 0;
        prev = t;
    }
    CHECK(worst < 5e-7, "rnn_tanh in float against tanh in double on [-12, 12]: worst relative error %.2e (at %.4f)", worst, worst_at);
    CHECK(odd && bounded && monotone, "rnn_tanh is odd, within [-1, 1] and never decreasing");
    {
        float tiny = 1e-30f, big = 1e30f;
        CHECK(rnn_tanh(0) == 0 && rnn_tanh(tiny) == tiny && rnn_tanh(big) == 1 && rnn_tanh(-big) == -1 &&
              rnn_tanh((float)HUGE_VAL) == 1, "rnn_tanh(0) = 0, tanh of a tiny number is itself, of a huge one +-1");
        CHECK(rnn_tanh((float)NAN) != rnn_tanh((float)NAN), "rnn_tanh(NaN) is NaN (training can notice it)");
    }
    return test_done();
}
