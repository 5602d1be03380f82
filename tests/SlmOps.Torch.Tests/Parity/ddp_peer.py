"""One rank of a c10d gloo group, joined from PyTorch: proves our store and process groups speak c10d itself.

It builds the group as init_process_group does (ProcessGroupGloo over PrefixStore("0", store)) without
init_process_group's extra store-based barrier, which is a Python-side convention and not part of c10d.

usage: ddp_peer.py HOST PORT RANK WORLD [hang]
All-reduces (rank+1) * ones(4) with SUM and prints it, broadcasts from rank 0 and prints that, then either
exits, or with `hang` prints "ready" and sleeps until killed (the test kills it with SIGKILL).
"""
import datetime
import os
import sys
import time

os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
import torch
import torch.distributed as dist

host, port, rank, world = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
timeout = datetime.timedelta(seconds=30)
store = dist.TCPStore(host, port, world, False, timeout)
group = dist.ProcessGroupGloo(dist.PrefixStore("0", store), rank, world, timeout)

t = torch.full((4,), float(rank + 1))
opts = dist.AllreduceOptions()
opts.reduceOp = dist.ReduceOp.SUM
group.allreduce([t], opts).wait()
print("sum", " ".join(repr(v) for v in t.tolist()), flush=True)

b = torch.zeros(3)
group.broadcast(b, 0).wait()
print("broadcast", " ".join(repr(v) for v in b.tolist()), flush=True)

if len(sys.argv) > 5 and sys.argv[5] == "hang":
    print("ready", flush=True)
    time.sleep(600)
