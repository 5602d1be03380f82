"""PyTorch-eager peer of the serving benchmark's decode line (deploy/bench.sh serving).

Loads an SlmOps fft checkpoint (model.safetensors parsed by hand: Debian's python3-torch has no `safetensors`
package) and generates with the same cache design as SlmOps.Modeling, written plainly: per layer, the time mixing's
inputs h and intermediates M1·h of earlier positions are kept in zero-padded (1, T, E) buffers, so a new position
costs one row of each T×T matrix. Same prompt, token count, temperature-1 sampling and thread count as the C# side.

usage: /usr/bin/python3 pytorch_peer.py CHECKPOINT_DIR --prompt 1,2,3 --tokens 64 --threads 2 --reps 5
prints one JSON line: {"tok_s": [..per rep..], "prefill_ms": [...], "threads": N}
"""
import argparse
import json
import struct
import time

import torch
import torch.nn.functional as F


def load_weights(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    weights = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{name}: only float32 checkpoints are benchmarked"
        begin, end = entry["data_offsets"]
        weights[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
    return weights


class FftDecoder:
    """The fft LLM with a decode cache: prefill fills positions [0, n), step() appends one position."""

    def __init__(self, w, cfg):
        self.w, self.layers = w, cfg["layers"]
        self.e, self.ve, self.window = cfg["width"], cfg["embeddingDim"], cfg["blockSize"]
        self.h = [torch.zeros(1, self.window, self.e) for _ in range(self.layers)]
        self.u = [torch.zeros(1, self.window, self.e) for _ in range(self.layers)]
        self.length = 0

    def embed(self, ids, start):
        w, n = self.w, ids.shape[1]
        x = w["tok.weight"][ids] + w["pos.weight"][start:start + n]
        x = F.layer_norm(x, (self.ve,), w["ln_emb.weight"], w["ln_emb.bias"])
        return F.linear(x, w["unify.weight"], w["unify.bias"])

    def blocks(self, x, start):
        w, end = self.w, start + x.shape[1]
        for i in range(self.layers):
            p = f"blocks.{i}."
            h = F.layer_norm(x, (self.e,), w[p + "ln1.weight"], w[p + "ln1.bias"])
            self.h[i][:, start:end] = h
            m1 = w[p + "mix.mix1"][start:end, :end].tril(start)
            m2 = w[p + "mix.mix2"][start:end, :end].tril(start)
            self.u[i][:, start:end] = m1 @ self.h[i][:, :end]
            h = F.layer_norm(h + m2 @ self.u[i][:, :end], (self.e,), w[p + "ln2.weight"], w[p + "ln2.bias"])
            up = F.linear(h, w[p + "w1.weight"], w[p + "w1.bias"])
            x = h + F.linear(torch.sin(up), w[p + "w2.weight"], w[p + "w2.bias"])
        return x

    def head(self, x):
        x = F.layer_norm(x[:, -1:], (self.e,), self.w["ln_head.weight"], self.w["ln_head.bias"])
        return F.linear(x, self.w["head.weight"], self.w["head.bias"])

    def forward(self, ids):
        start = self.length
        logits = self.head(self.blocks(self.embed(ids, start), start))
        self.length += ids.shape[1]
        return logits


def generate(w, cfg, prompt, tokens, seed):
    decoder = FftDecoder(w, cfg)
    rng = torch.Generator().manual_seed(seed)
    started = time.perf_counter()
    logits = decoder.forward(torch.tensor([prompt]))
    prefill = time.perf_counter() - started
    out = []
    for i in range(tokens):
        token = torch.multinomial(logits[0, -1].softmax(-1), 1, generator=rng)
        out.append(int(token))
        if i + 1 < tokens:
            logits = decoder.forward(token.view(1, 1))
    return out, time.perf_counter() - started, prefill


def main():
    args = argparse.ArgumentParser()
    args.add_argument("checkpoint")
    args.add_argument("--prompt", required=True)
    args.add_argument("--tokens", type=int, default=64)
    args.add_argument("--threads", type=int, default=1)
    args.add_argument("--reps", type=int, default=5)
    a = args.parse_args()
    torch.set_num_threads(a.threads)
    with open(f"{a.checkpoint}/config.json") as f:
        cfg = json.load(f)["model"]
    assert cfg["architecture"] == "fft", "the peer implements the fft architecture (the paper's LLM)"
    w = load_weights(f"{a.checkpoint}/model.safetensors")
    prompt = [int(t) for t in a.prompt.split(",")]
    assert len(prompt) + a.tokens <= cfg["blockSize"], "the peer decodes within one window"
    tok_s, prefill_ms = [], []
    with torch.inference_mode():
        generate(w, cfg, prompt, a.tokens, seed=7)  # warm-up
        for r in range(a.reps):
            out, seconds, prefill = generate(w, cfg, prompt, a.tokens, seed=7 + r)
            tok_s.append(len(out) / seconds)
            prefill_ms.append(prefill * 1000)
    print(json.dumps({"tok_s": tok_s, "prefill_ms": prefill_ms, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
