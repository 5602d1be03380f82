#!/usr/bin/env bash
# Benchmark: the platform around the models, on the running dev stack (deploy/stack.sh) with a database, artifact
# folder and queue prefix of its own (removed afterwards), the web app in-process and one real worker process:
#   (a) submit-to-running latency of 100 small jobs (prepare runs) sent through POST /api/v1/runs/prepare one after
#       another, from the run's queued_at (API) to its started_at (worker's claim), p50/p95;
#   (b) metric ingestion through RunMetricWriter (binary COPY straight into metric_points when every point is new, else
#       into staging + INSERT ON CONFLICT) vs one
#       INSERT ... VALUES ... ON CONFLICT per point, same connection, and through MetricIngester with concurrent
#       callers sending small batches (its own line, before the last), median of repetitions.
# Not a test: deploy/test.sh does not run it. Last line:
#   platform: device=cpu jobs=N submit_to_running_p50_ms=X submit_to_running_p95_ms=Y batched_points_s=A single_points_s=B ratio=C vs single-row-inserts
# Extra arguments go to the program (--jobs N --warmup N --batched-points N --single-points N --reps N
# --ingester-callers N --ingester-batch N).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
project="$root/tests/SlmOps.Benchmarks.Platform/SlmOps.Benchmarks.Platform.csproj"

bash "$root/deploy/stack.sh" start >&2
eval "$(bash "$root/deploy/stack.sh" env)"
dotnet build -c Release -v quiet -nologo "$project" >&2
exec dotnet "$root/tests/SlmOps.Benchmarks.Platform/bin/Release/net10.0/SlmOps.Benchmarks.Platform.dll" "$@"
