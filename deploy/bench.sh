#!/usr/bin/env bash
# Runs one benchmark program: deploy/bench.sh NAME [ARGS...] executes deploy/bench/NAME.sh.
# Without a NAME, or with an unknown one, it lists the available names.
set -euo pipefail
bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench"

available() { find "$bench_dir" -maxdepth 1 -name '*.sh' -printf '%f\n' 2>/dev/null | sed 's/\.sh$//' | sort; }

name="${1:-}"
if [[ -z "$name" || ! "$name" =~ ^[A-Za-z0-9_-]+$ || ! -f "$bench_dir/$name.sh" ]]; then
    [[ -n "$name" ]] && echo "bench: unknown benchmark '$name'" >&2
    echo "usage: deploy/bench.sh NAME [ARGS...]   available: $(available | paste -sd' ' - || true)" >&2
    exit 2
fi
shift
exec bash "$bench_dir/$name.sh" "$@"
