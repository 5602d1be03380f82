#!/usr/bin/env bash
# Benchmark: serving with the paper's sizes (LLM preset paper-llm, 36.3M parameters; SLM preset paper-slm, 9.8M;
# random init saved as checkpoints), measured through SlmServer (the service behind POST /api/v1/generate), in process:
#   (a) cold swap: alias moved to an uncached SLM version, nothing prefetched -> first response (SLM load + sha256
#       check + first token), vs bringing up a full fine-tuned copy of the LLM (load + sha256 check + first token);
#   (a') prefetched swap: the alias move starts a background load (SlmPrefetcher); first response after it finished,
#       vs the same full copy; plus phase breakdowns (read+sha256, config, construct, copy; first token);
#   (b) LLM+SLM generation tokens/s vs the LLM alone (same prompt, seed, options, thread count).
# Medians of --reps (default 5), warm-up excluded. Last line:
#   serving: device=cpu threads=N cold_swap_ms=X slm_load_ms=L prefetched_swap_ms=P full_copy_ms=Y cold_speedup=Z prefetched_speedup=Q composed_tok_s=A llm_alone_tok_s=B ratio=C vs llm-alone
# Environment: SLMOPS_BENCH_THREADS (default: all cores); extra arguments go to the program (--reps N --tokens N --work DIR --keep).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
project="$root/tests/SlmOps.Benchmarks.Serving/SlmOps.Benchmarks.Serving.csproj"
threads=${SLMOPS_BENCH_THREADS:-$(nproc)}

dotnet build -c Release -v quiet -nologo "$project" >&2
exec dotnet "$root/tests/SlmOps.Benchmarks.Serving/bin/Release/net10.0/SlmOps.Benchmarks.Serving.dll" \
    --threads "$threads" "$@"
