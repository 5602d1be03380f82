#!/usr/bin/env bash
# Benchmark: serving with the paper's sizes (LLM preset paper-llm, 36.3M parameters; SLM preset paper-slm, 9.8M;
# random init saved as checkpoints), in process, through the web host's serving objects and the model API.
# Sections (--sections swap,decode,batch,throughput,prefix; default all), see tests/SlmOps.Benchmarks.Serving:
#   swap:       cold swap (alias moved, nothing prefetched -> first response) vs a cold full fine-tuned LLM copy doing exactly
#               read + registry sha256 + build + first token; prefetched swap vs a prefetched (resident) copy's first token;
#               load phases; SLM load into fresh pages vs refilled from a FollowerPool; cold swaps with a full cache
#               (steady state: every request a miss that evicts, each load refilling pooled memory, as SlmCache does).
#   decode:     cached decoding of the LLM alone vs PyTorch eager (pytorch_peer.py: same checkpoint, cache design, prompt,
#               tokens, threads) and vs the bound (read bandwidth measured in the same run / weight bytes).
#   batch:      8 requests over 4 SLM versions decoded together by one BatchDecoder vs one at a time (same tokens).
#   throughput: LLM+SLM vs LLM-alone tokens/s through SlmServer.
#   prefix:     a prefix version (16 positions, served cached) vs the same LLM alone, tokens/s through SlmServer.
# Medians of --reps (default 5), warm-up excluded. Lines to quote:
#   serving-decode: device=cpu threads=N llm_alone_tok_s=X pytorch_llm_alone_tok_s=Y ratio=Z vs pytorch-eager bound_tok_s=B
#   serving-batch: device=cpu threads=N requests=8 slm_versions=4 batched_tok_s=X sequential_tok_s=Y ratio=Z vs one-at-a-time
#   serving: device=cpu threads=N cold_swap_ms=... full_copy_ms=... composed_tok_s=... llm_alone_tok_s=... ratio=... vs llm-alone
#   serving-prefix: device=cpu threads=N prefix=16 prompt=P tokens=T prefix_tok_s=X llm_alone_tok_s=Y uncached_prefix_tok_s=U ratio=Z vs llm-alone through SlmServer
#   serving-machine: the load average at start and end (every figure is wall-clock on a possibly shared machine).
# Environment: SLMOPS_BENCH_THREADS (default: all cores); extra arguments go to the program (--reps N --tokens N --work DIR --keep --sections LIST).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
project="$root/tests/SlmOps.Benchmarks.Serving/SlmOps.Benchmarks.Serving.csproj"
threads=${SLMOPS_BENCH_THREADS:-$(nproc)}

dotnet build -c Release -v quiet -nologo "$project" >&2
exec dotnet "$root/tests/SlmOps.Benchmarks.Serving/bin/Release/net10.0/SlmOps.Benchmarks.Serving.dll" \
    --threads "$threads" "$@"
