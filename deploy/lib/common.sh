# Shared by the deploy/*.sh entry points: paths, logging and process helpers. Source it, do not run it.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE_DIR="${SLMOPS_STATE_DIR:-$REPO_ROOT/.slmops}"
LOG_DIR="$STATE_DIR/logs"
RUN_DIR="$STATE_DIR/run"

WEB_PORT="${SLMOPS_WEB_PORT:-5080}"
WORKER_PORT="${SLMOPS_WORKER_PORT:-5081}"
SERVING_PORT="${SLMOPS_SERVING_PORT:-5082}"
WEB_URL="http://127.0.0.1:$WEB_PORT"
WORKER_URL="http://127.0.0.1:$WORKER_PORT"
SERVING_URL="http://127.0.0.1:$SERVING_PORT"
CONFIGURATION="${SLMOPS_CONFIGURATION:-Release}"

say() { printf '[%s] %s\n' "${SLMOPS_SCRIPT:-deploy}" "$*"; }
fail() { printf '[%s] ERROR: %s\n' "${SLMOPS_SCRIPT:-deploy}" "$*" >&2; exit 1; }

# Exports the stack's connection settings (ConnectionStrings__Postgres, RabbitMq__*, SLMOPS_TEST_PG).
load_stack_env() { eval "$(bash "$REPO_ROOT/deploy/stack.sh" env)"; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stops the process recorded in a pid file: TERM, up to 20 s for a graceful exit, then KILL.
stop_pid_file() {
    local name="$1" pid_file="$2" pid
    if ! pid_alive "$pid_file"; then
        say "$name: not running"
        rm -f "$pid_file"
        return 0
    fi
    pid="$(cat "$pid_file")"
    say "$name: stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name: still running after 20 s; sending KILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file"
    say "$name: stopped"
}

# Polls a URL until it answers 200; on timeout prints the last answer and fails.
wait_for_200() {
    local name="$1" url="$2" timeout="$3" pid_file="$4" log_file="$5" waited=0 code body
    while true; do
        code="$(curl -s -o /tmp/slmops-wait.$$ -w '%{http_code}' -m 5 "$url" || true)"
        [[ "$code" == 200 ]] && { rm -f /tmp/slmops-wait.$$; return 0; }
        if ! pid_alive "$pid_file"; then
            tail -n 30 "$log_file" >&2 || true
            fail "$name exited before becoming ready (last log lines above; full log $log_file)"
        fi
        if ((waited >= timeout)); then
            body="$(cat /tmp/slmops-wait.$$ 2>/dev/null || true)"
            rm -f /tmp/slmops-wait.$$
            printf '%s\n' "$body" >&2
            fail "$name not ready after ${timeout}s: $url answered ${code:-nothing} (body above; log $log_file)"
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

# The `slmops` command line as a .NET tool, installed into a tool path of the state dir (not a repository manifest: the
# package is built from this checkout, and no feed that a manifest's `dotnet tool restore` could reach holds it).
# install_cli_tool: packs src/SlmOps.Cli ($CONFIGURATION) into $STATE_DIR/tool-feed and (re)installs it from that feed
# alone into $CLI_TOOL_PATH, so the command always matches this checkout. Offline: a tool package carries its dependencies.
CLI_TOOL_PATH="$STATE_DIR/tools"
install_cli_tool() {
    local feed="$STATE_DIR/tool-feed" config package version
    rm -rf "$feed"
    mkdir -p "$feed" "$CLI_TOOL_PATH"
    dotnet pack "$REPO_ROOT/src/SlmOps.Cli/SlmOps.Cli.csproj" -c "$CONFIGURATION" -o "$feed" -nologo -v:quiet >/dev/null \
        || fail "dotnet pack of src/SlmOps.Cli failed (run it by hand to see why)"
    package="$(cd "$feed" && ls SlmOps.Cli.*.nupkg | head -1)"
    version="${package#SlmOps.Cli.}"
    version="${version%.nupkg}"
    config="$feed/nuget.config"
    cat >"$config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="slmops-tool-feed" value="$feed" /></packageSources></configuration>
XML
    dotnet tool uninstall SlmOps.Cli --tool-path "$CLI_TOOL_PATH" >/dev/null 2>&1 || true
    dotnet tool install SlmOps.Cli --version "$version" --tool-path "$CLI_TOOL_PATH" --configfile "$config" >/dev/null \
        || fail "dotnet tool install of SlmOps.Cli $version into $CLI_TOOL_PATH failed"
}
