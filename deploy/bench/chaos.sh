#!/usr/bin/env bash
# The chaos soak: a private deployment (its own PostgreSQL cluster and RabbitMQ node on free loopback ports, a database,
# queue prefix and artifact folders of its own; the shared dev stack is not touched) runs 20 small runs (pretrain,
# fine-tune and evaluate of the tiny presets) on 2 worker processes while, at seeded random times, workers are killed
# with SIGKILL (5x, restarted after a few seconds) and PostgreSQL (2x), RabbitMQ (2x) and the web host (1x) restart.
# It waits for every run to end and checks what was stored. Not a test: deploy/test.sh runs a shorter variant.
# Last line:
#   chaos: runs=20 succeeded=S failed=F worker_kills=K pg_restarts=P broker_restarts=B web_restarts=W lost_points=L duplicate_points=D stuck_runs=R max_ready_after_restart_s=X
# Exit 0 only when S=runs, L=D=R=0, X < 10 and every planned fault was injected.
# Extra arguments go to the program (--runs N --workers N --worker-kills N --pg-restarts N --broker-restarts N
# --web-restarts N --steps N --seed N --deadline S).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
project="$root/tests/SlmOps.Benchmarks.Chaos/SlmOps.Benchmarks.Chaos.csproj"

if [[ "${SLMOPS_CHAOS_NO_BUILD:-0}" != 1 ]]; then
    dotnet build -c Release -v quiet -nologo "$project" >&2
fi
# The worker processes it starts are the built SlmOps.Worker (their settings come from the program, not from here).
exec dotnet "$root/tests/SlmOps.Benchmarks.Chaos/bin/Release/net10.0/SlmOps.Benchmarks.Chaos.dll" "$@"
