#!/usr/bin/env bash
# Benchmark: train the same GPT (V=1092, T=128, d=256, 4 layers, 4 heads, batch 16, AdamW, float32) with
# SlmOps.Torch (C#) and with PyTorch eager (/usr/bin/python3, Debian's python3-torch), same init, same data,
# same thread count on both sides; warm-up excluded; median of repetitions. Last line:
#   torch: device=cpu threads=N csharp_tok_s=X pytorch_tok_s=Y ratio=Z vs pytorch-eager
# Environment: SLMOPS_BENCH_THREADS (default: all cores), extra arguments are passed to the program
# (--warmup N --steps N --reps N --device cuda:0 --bf16 --python PATH; see Program.cs).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
project="$root/tests/SlmOps.Benchmarks.Torch/SlmOps.Benchmarks.Torch.csproj"
threads=${SLMOPS_BENCH_THREADS:-$(nproc)}

dotnet build -c Release -v quiet -nologo "$project" >&2
exec dotnet "$root/tests/SlmOps.Benchmarks.Torch/bin/Release/net10.0/SlmOps.Benchmarks.Torch.dll" \
    --threads "$threads" "$@"
