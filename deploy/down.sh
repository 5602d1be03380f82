#!/usr/bin/env bash
# Stops what deploy/up.sh started: SlmOps.Web, SlmOps.Serving, SlmOps.Worker, then the local stack.
#   deploy/down.sh               stop the hosts and the stack
#   deploy/down.sh --keep-stack  stop only the hosts (PostgreSQL and RabbitMQ keep running)
set -euo pipefail
SLMOPS_SCRIPT=down
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

stop_pid_file worker "$RUN_DIR/worker.pid"
stop_pid_file serving "$RUN_DIR/serving.pid"
stop_pid_file web "$RUN_DIR/web.pid"
if [[ "${1:-}" != "--keep-stack" ]]; then
    bash "$REPO_ROOT/deploy/stack.sh" stop
fi
