"""Loads checkpoints written by rnn.h (test_torch --export DIR) into torch.nn
modules with load_state_dict(strict=True) and checks that torch computes the
outputs and final states rnn.h computed: nn.RNN (tanh, relu), nn.GRU and
nn.LSTM with 2 layers, and nn.GRU and nn.LSTM with 2 bidirectional layers
(parameters named *_reverse, head nn.Linear(2H, Y)); and that Python's json
reads the user settings (rnn_checkpoint_set: "user.<key>" in __metadata__)
as rnn.h wrote them, escapes and UTF-8 included. Prints ok/FAIL lines
and "N passed, N failed". Usage: torch_roundtrip.py DIR... (several
directories in one run, e.g. the double and the float build's exports).

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


def main(directories):
    passed = failed = 0
    for directory, name in [(d, n) for d in directories for n in ("tanh", "relu", "gru", "lstm", "gru_bi", "lstm_bi")]:
        tensors, meta = read_safetensors(f"{directory}/rnnh_{name}.safetensors")
        cfg, rows = read_expected(f"{directory}/rnnh_{name}.txt")
        X, H, Y, B, T, L = (int(cfg[k]) for k in ("X", "H", "Y", "B", "T", "layers"))
        cell, bi = cfg["cell"], cfg.get("bidirectional", "0") == "1"
        D = 2 if bi else 1
        if cell in ("tanh", "relu"):
            rnn = torch.nn.RNN(X, H, num_layers=L, nonlinearity=cell, bidirectional=bi)
        elif cell == "gru":
            rnn = torch.nn.GRU(X, H, num_layers=L, bidirectional=bi)
        else:
            rnn = torch.nn.LSTM(X, H, num_layers=L, bidirectional=bi)
        head = torch.nn.Linear(D * H, Y)
        dtype = next(iter(tensors.values())).dtype
        rnn, head = rnn.to(dtype), head.to(dtype)
        rnn.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("head.")}, strict=True)
        head.load_state_dict({k[5:]: v for k, v in tensors.items() if k.startswith("head.")}, strict=True)
        x = torch.tensor(rows["x"], dtype=dtype).reshape(T, B, X)
        h0 = torch.tensor(rows["h0"], dtype=dtype).reshape(L * D, B, H)
        c0 = torch.tensor(rows["c0"], dtype=dtype).reshape(L * D, B, H)
        with torch.no_grad():
            if cell == "lstm":
                out, (hn, cn) = rnn(x, (h0, c0))
            else:
                out, hn = rnn(x, h0)
                cn = None
            y = head(out)
        diff = (y - torch.tensor(rows["y"], dtype=dtype).reshape(T, B, Y)).abs().max().item()
        diff = max(diff, (hn - torch.tensor(rows["hn"], dtype=dtype).reshape(L * D, B, H)).abs().max().item())
        if cn is not None:
            diff = max(diff, (cn - torch.tensor(rows["cn"], dtype=dtype).reshape(L * D, B, H)).abs().max().item())
        tol = 1e-10 if dtype == torch.float64 else 1e-5
        ok = diff < tol and meta.get("format") == "rnn.h" and meta.get("bidirectional", "0") == str(D - 1)
        # the user's settings (rnn_checkpoint_set), escaped by rnn.h and read by Python's json
        user = {k[5:]: v for k, v in meta.items() if k.startswith("user.")}
        user_ok = user == {"model": name, "note": "say \"hi\" C:\\ caf\u00e9 \u4e2d \U0001F600\n\ttab\x01\x7f"}
        print(f"{'ok  ' if user_ok else 'FAIL'} - {name}: Python's json reads the user settings of __metadata__ as rnn.h "
              f"wrote them: {user!r}")
        passed, failed = passed + user_ok, failed + (not user_ok)
        print(f"{'ok  ' if ok else 'FAIL'} - an rnn.h checkpoint ({cell}, {L} layers{', bidirectional' if bi else ''}, "
              f"{str(dtype)[6:]}) loads into torch.nn with load_state_dict(strict=True) and gives rnn.h's outputs "
              f"and final states (max diff {diff:.2e}, metadata {meta.get('format')!r}, "
              f"bidirectional={meta.get('bidirectional')!r})")
        passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: torch_roundtrip.py DIR... (directories written by test_torch --export)")
    sys.exit(main(sys.argv[1:]))
