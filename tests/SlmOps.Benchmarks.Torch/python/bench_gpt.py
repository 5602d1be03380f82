"""PyTorch-eager side of the SlmOps.Torch training benchmark.

The C# benchmark writes the initial weights and the token batches to one safetensors file; this script trains
the identical GPT on them with the identical schedule: warm-up steps, then one timed repetition each time the
C# side writes "rep" on stdin (answered with one JSON line), so both sides start from the same numbers, the
losses can be compared, and repetitions of the two sides alternate.
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import st


def sdpa_causal(q, k, v):
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    # torch < 2.0: the math definition, which is also what SlmOps.Torch falls back to on libtorch 1.13.
    T = q.size(-2)
    s = q.matmul(k.transpose(-2, -1)) * (1.0 / math.sqrt(q.size(-1)))
    s = s.masked_fill(~torch.ones(T, T, dtype=torch.bool, device=q.device).tril(), float("-inf"))
    return s.softmax(-1).matmul(v)


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        shape = (B, T, self.heads, C // self.heads)
        q, k, v = (t.reshape(shape).transpose(1, 2) for t in (q, k, v))
        y = sdpa_causal(q, k, v).transpose(1, 2).contiguous().reshape(B, T, C)
        return self.proj(y)


class Mlp(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, 4 * d)
        self.proj = nn.Linear(4 * d, d)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x)))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = Attention(d, heads)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = Mlp(d)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Gpt(nn.Module):
    def __init__(self, vocab, ctx, d, layers, heads):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab, d)
        self.pos_emb = nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, idx):
        T = idx.size(1)
        x = self.tok_emb(idx) + self.pos_emb(torch.arange(T, device=idx.device))
        for b in self.blocks:
            x = b(x)
        return self.head(self.ln_f(x))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init", required=True)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--warmup", type=int, required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--bf16", action="store_true", help="bf16 autocast (CUDA only)")
    # Data-parallel (deploy/bench/ddp.sh): this process is rank RANK of WORLD, joined over torch.distributed
    # (gloo on CPU, nccl on CUDA) through the TCP store the C# side hosts at 127.0.0.1:PORT, training DistributedDataParallel on rows
    # [RANK*BATCH, (RANK+1)*BATCH) of every batch in the file.
    ap.add_argument("--world", type=int, default=1)
    ap.add_argument("--rank", type=int, default=0)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--batch", type=int, default=0, help="rows per rank (default: the whole batch)")
    ap.add_argument("--bucket-mb", type=int, default=25, help="DDP's bucket_cap_mb")
    ap.add_argument("--save-final", default="", help="rank 0 writes the final weights here (safetensors) on quit")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    tensors, meta = st.load(a.init)
    cfg = {k: int(meta[k]) for k in ("vocab", "ctx", "d", "layers", "heads")}
    lr, wd = float(meta["lr"]), float(meta["weight_decay"])
    dev = torch.device(a.device)
    data = tensors.pop("data").to(dev)  # [batches, B, T + 1]
    if a.batch:
        data = data[:, a.rank * a.batch:(a.rank + 1) * a.batch].contiguous()
    model = Gpt(cfg["vocab"], cfg["ctx"], cfg["d"], cfg["layers"], cfg["heads"])
    model.load_state_dict(tensors, strict=True)
    model.to(dev).train()
    net = model
    if a.world > 1:
        import datetime
        import torch.distributed as dist
        from torch.nn.parallel import DistributedDataParallel
        timeout = datetime.timedelta(seconds=300)
        store = dist.TCPStore("127.0.0.1", a.port, a.world, False, timeout)  # hosted by the C# side
        dist.init_process_group("nccl" if dev.type == "cuda" else "gloo", store=store,
                                rank=a.rank, world_size=a.world, timeout=timeout)
        net = DistributedDataParallel(model, device_ids=[dev.index] if dev.type == "cuda" else None,
                                      bucket_cap_mb=a.bucket_mb)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.95), eps=1e-8, weight_decay=wd)

    step = 0
    losses = []

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)

    phases = [0.0, 0.0, 0.0]  # forward+loss, backward, optimizer (seconds; meaningful on CPU, where eager is synchronous)

    def train_step():
        nonlocal step
        batch = data[step % data.size(0)]
        x, y = batch[:, :-1], batch[:, 1:]
        t0 = time.perf_counter()
        with torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=a.bf16):
            logits = net(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)).float(), y.reshape(-1))
        t1 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        t3 = time.perf_counter()
        phases[0] += t1 - t0
        phases[1] += t2 - t1
        phases[2] += t3 - t2
        step += 1
        return loss

    for _ in range(a.warmup):
        losses.append(train_step().item())
    tokens_per_step = data.size(1) * (data.size(2) - 1) * a.world  # all ranks together

    def emit(obj):
        print(json.dumps(obj), flush=True)

    emit({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
          "first_loss": losses[0] if losses else None, "params": sum(p.numel() for p in model.parameters())})
    # The C# side drives the repetitions one at a time over stdin, alternating with its own, so that a noisy
    # machine's slow phases hit both sides alike.
    while sys.stdin.readline().strip() == "rep":
        sync()
        t0 = time.perf_counter()
        for _ in range(a.steps):
            loss = train_step()
        sync()
        dt = time.perf_counter() - t0
        emit({"tok_s": a.steps * tokens_per_step / dt, "loss": loss.item(),
              "phases_ms": [1000 * p / step for p in phases]})
    if a.save_final and a.rank == 0:
        st.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, a.save_final)


if __name__ == "__main__":
    main()
