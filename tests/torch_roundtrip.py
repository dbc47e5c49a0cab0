"""Loads checkpoints written by rnn.h (test_torch --export DIR) into torch.nn
modules with load_state_dict(strict=True) and checks that torch computes the
outputs rnn.h computed. Prints ok/FAIL lines and "N passed, N failed".

The safetensors file is read by hand (8-byte little-endian header length,
JSON header, raw little-endian tensors): Debian has no safetensors package."""
import json
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"]).clone()
    return tensors, meta


def read_expected(path):
    rows = {}
    with open(path) as f:
        head = f.readline().split()
        for line in f:
            parts = line.split()
            rows[parts[0]] = [float(v) for v in parts[1:]]
    return dict(zip(head[0::2], head[1::2])), rows


def main(directory):
    passed = failed = 0
    for cell in ("tanh", "relu", "gru", "lstm"):
        tensors, meta = read_safetensors(f"{directory}/rnnh_{cell}.safetensors")
        cfg, rows = read_expected(f"{directory}/rnnh_{cell}.txt")
        X, H, Y, B, T, L = (int(cfg[k]) for k in ("X", "H", "Y", "B", "T", "layers"))
        if cell in ("tanh", "relu"):
            rnn = torch.nn.RNN(X, H, num_layers=L, nonlinearity=cell)
        elif cell == "gru":
            rnn = torch.nn.GRU(X, H, num_layers=L)
        else:
            rnn = torch.nn.LSTM(X, H, num_layers=L)
        head = torch.nn.Linear(H, Y)
        dtype = next(iter(tensors.values())).dtype
        rnn, head = rnn.to(dtype), head.to(dtype)
        rnn.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("head.")}, strict=True)
        head.load_state_dict({k[5:]: v for k, v in tensors.items() if k.startswith("head.")}, strict=True)
        x = torch.tensor(rows["x"], dtype=dtype).reshape(T, B, X)
        h0 = torch.tensor(rows["h0"], dtype=dtype).reshape(L, B, H)
        c0 = torch.tensor(rows["c0"], dtype=dtype).reshape(L, B, H)
        with torch.no_grad():
            out, _ = rnn(x, (h0, c0)) if cell == "lstm" else rnn(x, h0)
            y = head(out)
        want = torch.tensor(rows["y"], dtype=dtype).reshape(T, B, Y)
        diff = (y - want).abs().max().item()
        tol = 1e-10 if dtype == torch.float64 else 1e-5
        ok = diff < tol and meta.get("format") == "rnn.h"
        print(f"{'ok  ' if ok else 'FAIL'} - an rnn.h checkpoint ({cell}, {L} layers, {str(dtype)[6:]}) loads into "
              f"torch.nn with load_state_dict(strict=True) and gives rnn.h's outputs (max diff {diff:.2e})")
        passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
