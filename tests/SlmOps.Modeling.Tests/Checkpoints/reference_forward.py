"""Reads an SlmOps checkpoint with plain PyTorch and runs the model (fft: the paper's forward pass;
gpt: a textbook pre-LN decoder) on given ids, written independently of the C# code.

usage: /usr/bin/python3 fft_reference.py CHECKPOINT_DIR IDS_JSON OUT_JSON
The safetensors file is parsed by hand (8-byte little-endian header length, JSON header, raw data),
so the test needs nothing beyond Debian's python3-torch.
"""
import json
import struct
import sys

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16, "I64": torch.int64}


def load_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(data[begin:end])
        tensors[name] = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).float()
    return tensors, header.get("__metadata__", {})


def fft_forward(w, cfg, ids):
    t = ids.shape[1]
    e, ve = cfg["width"], cfg["embeddingDim"]
    x = w["tok.weight"][ids] + w["pos.weight"][:t]
    x = F.layer_norm(x, (ve,), w["ln_emb.weight"], w["ln_emb.bias"])
    x = F.linear(x, w["unify.weight"], w["unify.bias"])
    for i in range(cfg["layers"]):
        p = f"blocks.{i}."
        h = F.layer_norm(x, (e,), w[p + "ln1.weight"], w[p + "ln1.bias"])
        m1 = w[p + "mix.mix1"][:t, :t]
        m2 = w[p + "mix.mix2"][:t, :t]
        assert torch.all(torch.triu(m1, 1) == 0) and torch.all(torch.triu(m2, 1) == 0), "upper triangle not zero"
        # The paper's formulation, written independently of ours: transpose to (B, E, T), multiply, transpose back.
        mixed = (h.transpose(1, 2) @ m1.T @ m2.T).transpose(1, 2)
        h = F.layer_norm(h + mixed, (e,), w[p + "ln2.weight"], w[p + "ln2.bias"])
        up = F.linear(h, w[p + "w1.weight"], w[p + "w1.bias"])
        x = h + F.linear(torch.sin(up), w[p + "w2.weight"], w[p + "w2.bias"])
    x = F.layer_norm(x, (e,), w["ln_head.weight"], w["ln_head.bias"])
    return F.linear(x, w["head.weight"], w["head.bias"])


def gpt_forward(w, cfg, ids):
    b, t = ids.shape
    e, heads = cfg["width"], cfg["heads"]
    d = e // heads
    x = w["tok.weight"][ids] + w["pos.weight"][:t]
    causal = torch.ones(t, t, dtype=torch.bool).tril()
    for i in range(cfg["layers"]):
        p = f"blocks.{i}."
        h = F.layer_norm(x, (e,), w[p + "ln1.weight"], w[p + "ln1.bias"])
        q, k, v = F.linear(h, w[p + "attn.qkv.weight"], w[p + "attn.qkv.bias"]).split(e, dim=2)
        q, k, v = (z.view(b, t, heads, d).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / d ** 0.5
        att = att.masked_fill(~causal, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, e)
        x = x + F.linear(y, w[p + "attn.proj.weight"], w[p + "attn.proj.bias"])
        h = F.layer_norm(x, (e,), w[p + "ln2.weight"], w[p + "ln2.bias"])
        x = x + F.linear(F.gelu(F.linear(h, w[p + "fc.weight"], w[p + "fc.bias"])), w[p + "proj.weight"], w[p + "proj.bias"])
    x = F.layer_norm(x, (e,), w["ln_head.weight"], w["ln_head.bias"])
    return F.linear(x, w["head.weight"])


def main():
    ckpt, ids_path, out_path = sys.argv[1:4]
    with open(f"{ckpt}/config.json") as f:
        cfg = json.load(f)["model"]
    forward = {"fft": fft_forward, "gpt": gpt_forward}[cfg["architecture"]]
    weights, metadata = load_safetensors(f"{ckpt}/model.safetensors")
    with open(ids_path) as f:
        spec = json.load(f)
    ids = torch.tensor(spec["ids"], dtype=torch.int64).reshape(spec["shape"])
    with torch.no_grad():
        logits = forward(weights, cfg, ids)
    with open(out_path, "w") as f:
        json.dump({"logits": logits.flatten().tolist(), "shape": list(logits.shape),
                   "parameters": sum(t.numel() for t in weights.values()), "metadata": metadata}, f)


if __name__ == "__main__":
    main()
