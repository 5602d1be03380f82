"""PyTorch oracle for SlmOps.Torch parity tests.

Usage:
  oracle.py cases   INPUTS.safetensors OUTPUTS.safetensors   forward values + gradients of every case below
  oracle.py interop INPUTS.safetensors OUTPUTS.safetensors   transforms each tensor (dtype-preserving) and writes it back

The C# test (ParityTests) defines the same cases by name and compares. For each case the driver makes every
floating-point input a fresh leaf with requires_grad, runs the case, and back-propagates
loss = sum_i sum(out_i * w(out_i)) over floating outputs, where w(t) = cos(0.37 * arange(numel) + 0.1) shaped
like t: a fixed, non-uniform upstream gradient, so transposed or mis-scaled gradients cannot cancel out.
Outputs: "<case>.out<i>" and "<case>.grad.<input>" (only for inputs whose grad is not None).
"""
import math
import sys

import torch
import torch.nn.functional as F

import st


def upstream(t):
    n = t.numel()
    return (torch.arange(n, dtype=torch.float32) * 0.37 + 0.1).cos().reshape(t.shape)


def sdpa(q, k, v, attn_mask=None, is_causal=False):
    # torch 1.13 has no F.scaled_dot_product_attention: this is the math definition PyTorch 2.x documents.
    L, S = q.size(-2), k.size(-2)
    s = q.matmul(k.transpose(-2, -1)) * (1.0 / math.sqrt(q.size(-1)))
    if is_causal:
        s = s.masked_fill(~torch.ones(L, S, dtype=torch.bool).tril(), float("-inf"))
    if attn_mask is not None:
        s = s.masked_fill(~attn_mask, float("-inf")) if attn_mask.dtype == torch.bool else s + attn_mask
    return s.softmax(-1).matmul(v)


BLOCK_PARAMS = ["ln1_w", "ln1_b", "qkv_w", "qkv_b", "proj_w", "proj_b",
                "ln2_w", "ln2_b", "fc_w", "fc_b", "fc2_w", "fc2_b"]
BLOCK_HEADS = 2


def block(x, p):
    B, T, C = x.shape
    H = BLOCK_HEADS
    h = F.layer_norm(x, (C,), p["ln1_w"], p["ln1_b"])
    qkv = F.linear(h, p["qkv_w"], p["qkv_b"])
    q, k, v = qkv.split(C, dim=2)
    q = q.reshape(B, T, H, C // H).transpose(1, 2)
    k = k.reshape(B, T, H, C // H).transpose(1, 2)
    v = v.reshape(B, T, H, C // H).transpose(1, 2)
    y = sdpa(q, k, v, is_causal=True).transpose(1, 2).contiguous().reshape(B, T, C)
    x = x + F.linear(y, p["proj_w"], p["proj_b"])
    h = F.layer_norm(x, (C,), p["ln2_w"], p["ln2_b"])
    return x + F.linear(F.gelu(F.linear(h, p["fc_w"], p["fc_b"])), p["fc2_w"], p["fc2_b"])


def seeded(seed, fn):
    torch.manual_seed(seed)
    return fn()


def inplace(t, op):
    t = t.clone()
    op(t)
    return t


def adamw_case(x):
    p1, p2 = x["a"].detach().clone().requires_grad_(), x["c"].detach().clone().requires_grad_()
    opt = torch.optim.AdamW([p1, p2], lr=0.01, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    for _ in range(3):
        opt.zero_grad()
        ((p1 * x["b"]).sum() + (p2 * p2).sum()).backward()
        opt.step()
    return {"p1": p1.detach(), "p2": p2.detach()}


def sgd_case(x):
    p1, p2 = x["a"].detach().clone().requires_grad_(), x["c"].detach().clone().requires_grad_()
    opt = torch.optim.SGD([p1, p2], lr=0.05, momentum=0.9, weight_decay=0.01)
    for _ in range(3):
        opt.zero_grad()
        ((p1 * x["b"]).sum() + (p2 * p2).sum()).backward()
        opt.step()
    return {"p1": p1.detach(), "p2": p2.detach()}


def clip_case(x):
    p1, p2 = x["a"].detach().clone().requires_grad_(), x["c"].detach().clone().requires_grad_()
    ((p1 * x["b"]).sum() + (p2 * p2).sum()).backward()
    norm = torch.nn.utils.clip_grad_norm_([p1, p2], 0.5)
    return {"norm": norm.reshape(1).float(), "g1": p1.grad, "g2": p2.grad}


def block_adamw_case(x):
    p = {k: x[k].detach().clone().requires_grad_() for k in BLOCK_PARAMS}
    opt = torch.optim.AdamW(list(p.values()), lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    out = block(x["bx"].detach(), p)
    (out * upstream(out)).sum().backward()
    opt.step()
    return {k: v.detach() for k, v in p.items()}


# Each case: inputs -> tensor | tuple of tensors. Names and expressions are mirrored in ParityCases.cs.
CASES = {
    # conversions and copies
    "to_bf16": lambda x: x["a"].to(torch.bfloat16).to(torch.float32),
    "to_f16": lambda x: x["a"].to(torch.float16).to(torch.float32),
    "to_i64": lambda x: (x["a"] * 3).to(torch.int64),
    "to_cpu": lambda x: x["a"].to("cpu") * 1.0,
    "cpu": lambda x: x["a"].cpu() * 1.0,
    "clone": lambda x: x["a"].clone(),
    "detach": lambda x: x["a"].detach() * x["b"],
    "contiguous": lambda x: x["a"].transpose(0, 1).contiguous(),
    # shape
    "reshape": lambda x: x["a"].reshape(2, 6),
    "view": lambda x: x["a"].view(4, 3),
    "transpose": lambda x: x["x3"].transpose(0, 2),
    "permute": lambda x: x["x3"].permute(2, 0, 1),
    "slice": lambda x: x["x3"][:, :, 1:4:2],
    "narrow": lambda x: x["x3"].narrow(1, 1, 2),
    "unsqueeze": lambda x: x["a"].unsqueeze(1),
    "squeeze": lambda x: x["a"].unsqueeze(0).squeeze(0),
    "expand": lambda x: x["row"].unsqueeze(0).expand(3, 4),
    # arithmetic
    "matmul": lambda x: x["a"].matmul(x["c"]),
    "matmul_batched": lambda x: torch.matmul(x["bm"], x["bm2"]),
    "add": lambda x: x["a"] + x["b"],
    "add_broadcast": lambda x: x["a"] + x["row"],
    "sub": lambda x: x["a"] - x["b"],
    "mul": lambda x: x["a"] * x["b"],
    "div": lambda x: x["a"] / x["pos"],
    "add_scalar": lambda x: x["a"] + 2.5,
    "radd_scalar": lambda x: 2.5 + x["a"],
    "sub_scalar": lambda x: x["a"] - 1.5,
    "rsub_scalar": lambda x: 1.5 - x["a"],
    "mul_scalar": lambda x: x["a"] * 3.0,
    "rmul_scalar": lambda x: 3.0 * x["a"],
    "div_scalar": lambda x: x["a"] / 4.0,
    "rdiv_scalar": lambda x: 2.0 / x["pos"],
    "neg": lambda x: -x["a"],
    "pow": lambda x: x["pos"].pow(2.5),
    "sqrt": lambda x: x["pos"].sqrt(),
    "rsqrt": lambda x: x["pos"].rsqrt(),
    "exp": lambda x: x["a"].exp(),
    "log": lambda x: x["pos"].log(),
    "sin": lambda x: x["a"].sin(),
    "cos": lambda x: x["a"].cos(),
    "tanh": lambda x: x["a"].tanh(),
    "relu": lambda x: x["a"].relu(),
    "gelu": lambda x: F.gelu(x["a"]),
    "sigmoid": lambda x: x["a"].sigmoid(),
    "abs": lambda x: x["a"].abs(),
    # reductions
    "sum": lambda x: x["a"].sum(),
    "sum_dim": lambda x: x["x3"].sum(1),
    "sum_keepdim": lambda x: x["x3"].sum(1, keepdim=True),
    "mean": lambda x: x["a"].mean(),
    "mean_dim": lambda x: x["x3"].mean(2),
    "mean_keepdim": lambda x: x["x3"].mean(0, keepdim=True),
    "max_dim": lambda x: tuple(x["x3"].max(1)),
    "min_dim": lambda x: tuple(x["x3"].min(2)),
    "var": lambda x: x["a"].var(),
    "argmax": lambda x: x["x3"].argmax(2),
    "argmax_keepdim": lambda x: x["x3"].argmax(1, keepdim=True),
    "topk": lambda x: tuple(x["a"].topk(2, 1)),
    "softmax": lambda x: x["a"].softmax(1),
    "log_softmax": lambda x: x["a"].log_softmax(0),
    # masking and indexing
    "masked_fill": lambda x: x["a"].masked_fill(x["mask"], -1.5),
    "tril": lambda x: x["a"].tril(),
    "tril_k1": lambda x: x["a"].tril(1),
    "triu": lambda x: x["a"].triu(),
    "triu_km1": lambda x: x["a"].triu(-1),
    "index_select": lambda x: x["a"].index_select(1, x["idx"]),
    "gather": lambda x: x["a"].gather(1, x["gidx"]),
    "eq": lambda x: x["r1"].eq(x["r2"]),
    "ne": lambda x: x["r1"].ne(x["r2"]),
    "lt": lambda x: x["r1"].lt(x["r2"]),
    "gt": lambda x: x["r1"].gt(x["r2"]),
    "where": lambda x: torch.where(x["mask"], x["a"], x["b"]),
    # in-place
    "add_": lambda x: inplace(x["a"], lambda t: t.add_(x["b"])),
    "mul_": lambda x: inplace(x["a"], lambda t: t.mul_(x["b"])),
    "zero_": lambda x: inplace(x["a"], lambda t: t.zero_()) + x["b"],
    "fill_": lambda x: inplace(x["a"], lambda t: t.fill_(2.0)) * x["b"],
    "copy_": lambda x: inplace(x["a"], lambda t: t.copy_(x["b"] * 2.0)),
    # factories
    "zeros": lambda x: torch.zeros(2, 3),
    "ones": lambda x: torch.ones(2, 3),
    "full": lambda x: torch.full((2, 3), 1.25),
    "arange": lambda x: torch.arange(0, 10, 3),
    "eye": lambda x: torch.eye(3),
    "zeros_like": lambda x: torch.zeros_like(x["a"]),
    "ones_like": lambda x: torch.ones_like(x["a"]),
    "tensor_f32": lambda x: torch.tensor([1.5, -2.0, 3.25, 0.0, 7.0, -0.5]).reshape(2, 3),
    "randn": lambda x: seeded(42, lambda: torch.randn(3, 4)),
    "rand": lambda x: seeded(43, lambda: torch.rand(3, 4)),
    "randint": lambda x: seeded(44, lambda: torch.randint(0, 10, (3, 4))),
    "multinomial": lambda x: seeded(5, lambda: torch.multinomial(x["a"].detach().softmax(1), 3, True)),
    "multinomial_noreplace": lambda x: seeded(6, lambda: torch.multinomial(x["a"].detach().softmax(1), 2, False)),
    "cat": lambda x: torch.cat([x["a"], x["b"]], 0),
    "cat_dim1": lambda x: torch.cat([x["a"], x["b"]], 1),
    "stack": lambda x: torch.stack([x["a"], x["b"]], 1),
    # nn.functional
    "linear": lambda x: F.linear(x["a"], x["lin_w"], x["lin_b"]),
    "linear_nobias": lambda x: F.linear(x["x3"], x["lin_w"]),
    "layer_norm": lambda x: F.layer_norm(x["x3"], (4,), x["ln_w"], x["ln_b"]),
    "layer_norm_noaffine": lambda x: F.layer_norm(x["x3"], (4,)),
    "embedding": lambda x: F.embedding(x["tokens"], x["emb_w"]),
    "dropout": lambda x: seeded(3, lambda: F.dropout(x["a"], 0.3, True)),
    "dropout_eval": lambda x: F.dropout(x["a"], 0.3, False),
    "f_gelu": lambda x: F.gelu(x["x3"]),
    "f_relu": lambda x: F.relu(x["x3"]),
    "f_softmax": lambda x: F.softmax(x["x3"], 2),
    "f_log_softmax": lambda x: F.log_softmax(x["x3"], 1),
    "cross_entropy": lambda x: F.cross_entropy(x["logits"], x["target"]),
    "cross_entropy_sum": lambda x: F.cross_entropy(x["logits"], x["target"], reduction="sum"),
    "cross_entropy_none": lambda x: F.cross_entropy(x["logits"], x["target"], reduction="none"),
    "mse_loss": lambda x: F.mse_loss(x["a"], x["b"]),
    "sdpa": lambda x: sdpa(x["q"], x["k"], x["v"]),
    "sdpa_causal": lambda x: sdpa(x["q"], x["k"], x["v"], is_causal=True),
    "sdpa_mask": lambda x: sdpa(x["q"], x["k"], x["v"], attn_mask=x["amask"]),
    # composites
    "block": lambda x: block(x["bx"], x),
}

# Cases that return named tensors directly (no driver backward): optimizers and clipping.
DIRECT = {
    "adamw": adamw_case,
    "sgd": sgd_case,
    "clip_grad_norm": clip_case,
    "block_adamw": block_adamw_case,
}


def run_cases(inputs):
    out = {}
    for name, fn in CASES.items():
        x = {k: v.clone().requires_grad_(v.is_floating_point()) for k, v in inputs.items()}
        res = fn(x)
        res = res if isinstance(res, tuple) else (res,)
        loss = None
        for i, r in enumerate(res):
            out[f"{name}.out{i}"] = r.detach().contiguous()
            if r.is_floating_point() and r.requires_grad:
                term = (r * upstream(r)).sum()
                loss = term if loss is None else loss + term
        if loss is not None:
            loss.backward()
            for k, v in x.items():
                if v.grad is not None:
                    out[f"{name}.grad.{k}"] = v.grad
    for name, fn in DIRECT.items():
        x = {k: v.clone() for k, v in inputs.items()}
        for k, v in fn(x).items():
            out[f"{name}.{k}"] = v.contiguous()
    return out


def run_interop(inputs):
    # Dtype-preserving transforms, so the C# side can tell a faithful read from an echo of its own bytes.
    out = {}
    for name, t in inputs.items():
        if t.dtype == torch.bool:
            out[name] = ~t
        elif t.dtype == torch.int64:
            out[name] = t + 1
        else:
            out[name] = t * 2
    return out


def main():
    mode, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    torch.set_num_threads(1)
    inputs, _ = st.load(src)
    if mode == "cases":
        st.save(run_cases(inputs), dst, {"cases": ",".join(list(CASES) + list(DIRECT)), "torch": torch.__version__})
    elif mode == "interop":
        st.save(run_interop(inputs), dst, {"torch": torch.__version__})
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
