#!/usr/bin/env bash
# Benchmark: data-parallel training of the benchmark GPT (V=1092, T=128, d=256, 4 layers, 4 heads, AdamW, float32)
# with world size 1 and 2: C# (SlmOps.Torch over libtorch's c10d Gloo, ranks as threads of one process) against
# PyTorch DDP (torch.distributed gloo, /usr/bin/python3, ranks as processes), same init, same shards, one intra-op
# thread per rank on both sides, warm-up excluded, repetitions alternating, medians. Last line:
#   ddp: device=cpu ranks=2 csharp_tok_s=X pytorch_tok_s=Y ratio=Z vs pytorch-ddp scaling=S max_rel_param_diff=D
# (S = C#'s 2-rank tokens/s / its 1-rank tokens/s; D = largest per-tensor max |C# - PyTorch| / max |PyTorch| after
# the run.) Extra arguments go to the program (--batch N --warmup N --steps N --reps N; see BenchOptions.cs).
# The NCCL variant for a machine with several GPUs is deploy/gpu/ddp-nccl.sh.
set -euo pipefail
# OpenBLAS keeps its own thread pool beside libtorch's intra-op threads; one thread per rank means one BLAS thread
# too (both sides inherit this). Without it C#'s thread ranks also queue on OpenBLAS's one shared pool.
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
project="$root/tests/SlmOps.Benchmarks.Torch/SlmOps.Benchmarks.Torch.csproj"

dotnet build -c Release -v quiet -nologo "$project" >&2
exec dotnet "$root/tests/SlmOps.Benchmarks.Torch/bin/Release/net10.0/SlmOps.Benchmarks.Torch.dll" \
    ddp --threads 1 --batch 8 --warmup 2 --steps 4 --reps 3 "$@"
