"""One rank of the PyTorch side of the data-parallel peer test: torch.distributed (gloo) + DistributedDataParallel.

usage: /usr/bin/python3 ddp_reference.py INIT_SAFETENSORS RANK WORLD PORT OUT_JSON
(PORT: a TCP store on 127.0.0.1 that the test hosts; every rank joins it as a client.)
The init file (written by the C# test) holds the model's weights under their SlmOps names, the global batches
`batches.x` / `batches.y` (steps, B*WORLD, T) and, in its metadata, the model config and the optimizer settings with
the learning rate of every step. This rank trains on rows [RANK*B, (RANK+1)*B) of each global batch: DDP broadcasts
rank 0's weights and averages gradients; AdamW with weight decay on matrices only, global-norm clipping, as SlmOps'
trainer does. Rank 0 writes the mean loss over ranks of every step to OUT_JSON. The model is the independent
reference forward of Checkpoints/reference_forward.py.
"""
import datetime
import json
import os
import sys

os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Checkpoints"))

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402

from reference_forward import fft_forward, gpt_forward, load_safetensors  # noqa: E402


class Reference(torch.nn.Module):
    def __init__(self, weights, cfg):
        super().__init__()
        self.cfg = cfg
        self.forward_fn = {"fft": fft_forward, "gpt": gpt_forward}[cfg["architecture"]]
        self.names = list(weights)
        self.params = torch.nn.ParameterList([torch.nn.Parameter(weights[n].clone()) for n in self.names])

    def forward(self, ids):
        # fft's mixing matrices are read as tril(M), as SlmOps does, so their upper triangles get no gradient.
        w = {n: p.tril() if n.endswith((".mix1", ".mix2")) else p for n, p in zip(self.names, self.params)}
        return self.forward_fn(w, self.cfg, ids)


def main():
    init, rank, world, port, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    torch.set_num_threads(1)
    tensors, meta = load_safetensors(init)
    xs, ys = tensors.pop("batches.x").long(), tensors.pop("batches.y").long()
    cfg, opt_cfg = json.loads(meta["model"]), json.loads(meta["optimizer"])
    timeout = datetime.timedelta(seconds=60)
    store = dist.TCPStore("127.0.0.1", port, world, False, timeout)
    dist.init_process_group("gloo", store=store, rank=rank, world_size=world, timeout=timeout)
    model = DistributedDataParallel(Reference(tensors, cfg))
    params = list(model.parameters())
    opt = torch.optim.AdamW([
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": opt_cfg["weight_decay"]},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ], lr=opt_cfg["lrs"][0], betas=(opt_cfg["beta1"], opt_cfg["beta2"]), eps=1e-8)
    b = xs.size(1) // world
    losses = []
    for step, lr in enumerate(opt_cfg["lrs"]):
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = xs[step, rank * b:(rank + 1) * b], ys[step, rank * b:(rank + 1) * b]
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if opt_cfg["grad_clip"] > 0:
            torch.nn.utils.clip_grad_norm_(params, opt_cfg["grad_clip"])
        opt.step()
        mean = loss.detach().clone()
        dist.all_reduce(mean)
        losses.append(mean.item() / world)
    if rank == 0:
        with open(out, "w") as f:
            json.dump({"losses": losses, "torch": torch.__version__}, f)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
