"""bench_torch.py - the PyTorch and numpy side of tests/bench/bench.c.

A server: it reads one request per line on stdin and answers one line on
stdout, so the C bench can alternate its own measurements with these
(tests/bench/run.sh connects the two with named pipes). One thread.

    hello                        -> "torch VERSION (BLAS ...), numpy VERSION"
    setup CELL H B T V           -> "ok SECONDS_TRAIN SECONDS_INFER" (after the warm-up)
    train K / infer K            -> seconds for K training steps / K inferences
    minchar_setup H T V          -> "ok SECONDS" (one min-char-rnn step, warm)
    minchar K                    -> seconds for K min-char-rnn steps
    quit

The work is the same as bench.c's: see the comment at its top. Times are
this process's CPU time (time.process_time), as bench.c's are its own.
"""
import os
import sys
import time

# BENCH_TORCH_THREADS=default: PyTorch at its default thread count (every
# core), timed by the wall clock (CPU time would add up the threads); the
# bench's threaded comparison. Otherwise one thread, CPU time.
THREADED = os.environ.get("BENCH_TORCH_THREADS") == "default"
if not THREADED:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

if not THREADED:
    torch.set_num_threads(1)

# CPU time of this process (bench.c measures its own likewise): on a shared
# machine the time the work ran, not the time it waited for a core
clock = time.perf_counter if THREADED else time.process_time


def blas_name():
    """Which BLAS torch's matrix products go to (it decides most numbers)."""
    cfg = torch.__config__.show()
    info = "BLAS_INFO=" + cfg.split("BLAS_INFO=")[1].split(",")[0] if "BLAS_INFO=" in cfg else "?"
    lib = ""
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                name = line.split()[-1]
                if "blas" in os.path.basename(name).lower() or "mkl_core" in name:
                    lib = os.path.realpath(name)
                    break
    except OSError:
        pass
    return info + (", loaded " + lib if lib else "")


def warm(fn, seconds=0.05):
    fn()
    t0, n = clock(), 0
    while True:
        fn()
        n += 1
        if clock() - t0 >= seconds or n >= 2000:
            return (clock() - t0) / n


class Grid:
    """One grid point: nn.RNN/GRU/LSTM + nn.Linear head + cross-entropy."""

    def __init__(self, cell, H, B, T, V):
        torch.manual_seed(0)
        make = {"tanh": lambda: torch.nn.RNN(V, H, nonlinearity="tanh"),
                "gru": lambda: torch.nn.GRU(V, H), "lstm": lambda: torch.nn.LSTM(V, H)}[cell]
        self.rnn, self.head = make(), torch.nn.Linear(H, V)
        self.opt = torch.optim.SGD(list(self.rnn.parameters()) + list(self.head.parameters()), lr=0.01)
        g = torch.Generator().manual_seed(1234)
        tokens = torch.randint(0, V, (T, B), generator=g)
        self.y = torch.randint(0, V, (T * B,), generator=g)
        self.x = F.one_hot(tokens, V).float()  # (T, B, V), made once, outside the timing
        self.B, self.V = B, V

    def train(self):
        self.opt.zero_grad()
        out, _ = self.rnn(self.x)
        loss = F.cross_entropy(self.head(out).reshape(-1, self.V), self.y, reduction="sum") / self.B
        loss.backward()
        self.opt.step()

    def infer(self):
        with torch.inference_mode():
            out, _ = self.rnn(self.x)
            torch.softmax(self.head(out), dim=-1)


class MinChar:
    """min-char-rnn's algorithm (Karpathy, 2015), written from its description:
    a tanh RNN over one-hot column vectors, softmax and cross-entropy at every
    step, backpropagation through the 25 steps, gradients clipped to [-5, 5],
    Adagrad, the hidden state carried from one chunk to the next."""

    def __init__(self, H, T, V, N=20000, lr=0.1):
        rng = np.random.default_rng(99)
        self.H, self.T, self.V, self.lr = H, T, V, lr
        self.data = rng.integers(0, V, N)
        self.Wxh = rng.standard_normal((H, V)) * 0.01
        self.Whh = rng.standard_normal((H, H)) * 0.01
        self.Why = rng.standard_normal((V, H)) * 0.01
        self.bh, self.by = np.zeros((H, 1)), np.zeros((V, 1))
        self.params = [self.Wxh, self.Whh, self.Why, self.bh, self.by]
        self.mem = [np.zeros_like(p) for p in self.params]
        self.hprev = np.zeros((H, 1))
        self.pos = 0

    def step(self):
        T, V = self.T, self.V
        if self.pos + T + 1 >= len(self.data):
            self.pos, self.hprev = 0, np.zeros((self.H, 1))
        inputs = self.data[self.pos:self.pos + T]
        targets = self.data[self.pos + 1:self.pos + T + 1]
        xs, hs, ps = {}, {-1: self.hprev}, {}
        loss = 0.0
        for t in range(T):  # forward
            xs[t] = np.zeros((V, 1))
            xs[t][inputs[t]] = 1
            hs[t] = np.tanh(np.dot(self.Wxh, xs[t]) + np.dot(self.Whh, hs[t - 1]) + self.bh)
            o = np.dot(self.Why, hs[t]) + self.by
            e = np.exp(o - np.max(o))
            ps[t] = e / np.sum(e)
            loss -= np.log(ps[t][targets[t], 0])
        dWxh, dWhh, dWhy = np.zeros_like(self.Wxh), np.zeros_like(self.Whh), np.zeros_like(self.Why)
        dbh, dby, dhnext = np.zeros_like(self.bh), np.zeros_like(self.by), np.zeros((self.H, 1))
        for t in reversed(range(T)):  # backward through time
            do = np.copy(ps[t])
            do[targets[t]] -= 1
            dWhy += np.dot(do, hs[t].T)
            dby += do
            dh = np.dot(self.Why.T, do) + dhnext
            da = (1 - hs[t] * hs[t]) * dh
            dbh += da
            dWxh += np.dot(da, xs[t].T)
            dWhh += np.dot(da, hs[t - 1].T)
            dhnext = np.dot(self.Whh.T, da)
        for p, g, m in zip(self.params, [dWxh, dWhh, dWhy, dbh, dby], self.mem):
            np.clip(g, -5, 5, out=g)
            m += g * g
            p += -self.lr * g / np.sqrt(m + 1e-8)  # Adagrad
        self.hprev = hs[T - 1]
        self.pos += T
        return loss


def main():
    job = mc = None
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        try:
            if w[0] == "hello":
                reply = "torch %s (%s), numpy %s, %d threads" % (torch.__version__, blas_name(), np.__version__,
                                                                 torch.get_num_threads())
            elif w[0] == "setup":
                job = Grid(w[1], int(w[2]), int(w[3]), int(w[4]), int(w[5]))
                reply = "ok %.9g %.9g" % (warm(job.train), warm(job.infer))
            elif w[0] in ("train", "infer"):
                fn, k = getattr(job, w[0]), int(w[1])
                t0 = clock()
                for _ in range(k):
                    fn()
                reply = "%.9g" % (clock() - t0)
            elif w[0] == "minchar_setup":
                mc = MinChar(int(w[1]), int(w[2]), int(w[3]))
                reply = "ok %.9g" % warm(mc.step)
            elif w[0] == "minchar":
                k = int(w[1])
                t0 = clock()
                for _ in range(k):
                    mc.step()
                reply = "%.9g" % (clock() - t0)
            elif w[0] == "quit":
                return
            else:
                reply = "error unknown request " + w[0]
        except Exception as e:  # the C side reads the line and goes on alone
            reply = "error %s: %s" % (type(e).__name__, e)
        sys.stdout.write(reply.replace("\n", " ") + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
