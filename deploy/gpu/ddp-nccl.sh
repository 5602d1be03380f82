#!/usr/bin/env bash
# The NCCL variant of `deploy/bench.sh ddp`, for a machine with at least 2 GPUs (and no .NET):
#   here:            deploy/gpu/build-and-bench.sh publish [OUT]      (carries this script along)
#   on the machine:  OUT/ddp-nccl.sh [--batch N --steps N --reps N ...]
# builds the shim against the PyTorch wheel's CUDA libtorch (ProcessGroupNCCL compiled in), then trains the benchmark
# GPT with world size 1 and 2, rank r on cuda:r, C# over SlmOps.Torch's NCCL group against PyTorch DDP over nccl,
# alternating repetitions, and prints the same summary line as the CPU benchmark with device=cuda.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec "$here/build-and-bench.sh" ddp "$@"
