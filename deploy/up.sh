#!/usr/bin/env bash
# THE run command. Installs what is missing, starts the local stack (PostgreSQL + RabbitMQ), builds the
# hosts, applies the SQL migrations, (re)starts SlmOps.Web, SlmOps.Serving and SlmOps.Worker in the background and
# waits until all are ready, then prints where everything is. deploy/down.sh stops it all again.
#
# Logs: .slmops/logs/{web,serving,worker}.log   pid files: .slmops/run/{web,serving,worker}.pid   the slmops tool: .slmops/tools/slmops
# Environment: SLMOPS_WEB_PORT (5080), SLMOPS_WORKER_PORT (5081), SLMOPS_SERVING_PORT (5082), SLMOPS_CONFIGURATION (Release),
# SLMOPS_READY_TIMEOUT (120 s), SLMOPS_SKIP_INSTALL=1, plus everything deploy/stack.sh reads.
set -euo pipefail
SLMOPS_SCRIPT=up
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"
READY_TIMEOUT="${SLMOPS_READY_TIMEOUT:-120}"

if [[ "${SLMOPS_SKIP_INSTALL:-0}" != 1 ]]; then
    bash deploy/install.sh
fi
bash deploy/stack.sh start
load_stack_env
export Artifacts__Root="${Artifacts__Root:-$STATE_DIR/artifacts}"
# Development: serves the dashboard's package static assets straight from the build output. The hosts get every
# connection setting from the environment above; outside Development a missing one would stop them at start.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
mkdir -p "$LOG_DIR" "$RUN_DIR" "$Artifacts__Root"

for project in SlmOps.Web SlmOps.Serving SlmOps.Worker; do
    say "building $project ($CONFIGURATION)"
    dotnet build "src/$project/$project.csproj" -c "$CONFIGURATION" -nologo -v:quiet || fail "build of $project failed"
done
web_dll="$REPO_ROOT/src/SlmOps.Web/bin/$CONFIGURATION/net10.0/SlmOps.Web.dll"
worker_dll="$REPO_ROOT/src/SlmOps.Worker/bin/$CONFIGURATION/net10.0/SlmOps.Worker.dll"
serving_dll="$REPO_ROOT/src/SlmOps.Serving/bin/$CONFIGURATION/net10.0/SlmOps.Serving.dll"

say "applying migrations"
dotnet "$web_dll" migrate || fail "migrations failed (message above)"

# The first admin API key: created on first start only (--if-none) and kept where only this user can read it.
ADMIN_KEY_FILE="$STATE_DIR/admin-key"
say "ensuring an admin API key"
new_key="$(dotnet "$web_dll" create-admin-key --if-none --name bootstrap-admin)" || fail "could not create the admin API key (message above)"
if [[ -n "$new_key" ]]; then
    (umask 077 && printf '%s\n' "$new_key" >"$ADMIN_KEY_FILE")
    chmod 600 "$ADMIN_KEY_FILE"
    say "admin API key saved to $ADMIN_KEY_FILE (it is not shown anywhere else)"
elif [[ ! -s "$ADMIN_KEY_FILE" ]]; then
    say "an admin key exists but $ADMIN_KEY_FILE does not; make another: dotnet $web_dll create-admin-key --name NAME"
fi
# The demo (and anything else started from here) calls the API with it.
[[ -s "$ADMIN_KEY_FILE" ]] && export SLMOPS_API_KEY="$(<"$ADMIN_KEY_FILE")"

# Starts a host detached from this shell (setsid) so it outlives the script; a running one is
# replaced, so `up.sh` after a code change serves the new build.
# start_host NAME DLL URL [ENV-ARGS...]: the extra arguments go to env(1) (VAR=value sets, -u VAR unsets).
start_host() {
    local name="$1" dll="$2" url="$3" pid_file="$RUN_DIR/$1.pid" log_file="$LOG_DIR/$1.log"
    shift 3
    stop_pid_file "$name" "$pid_file"
    say "$name: starting on $url (log $log_file)"
    setsid nohup env "$@" dotnet "$dll" --urls "$url" >>"$log_file" 2>&1 </dev/null &
    echo $! >"$pid_file"
}
# The web host forwards generate calls and the playground to the serving host, with a key of its own for dashboard
# sessions (made once, kept beside the admin key; made again when the database no longer knows it).
GATEWAY_KEY_FILE="$STATE_DIR/serving-gateway-key"
make_gateway_key() {
    say "making the web host's key for the serving host"
    local key
    key="$(dotnet "$web_dll" create-admin-key --name web-to-serving)" || fail "could not create the serving gateway key (message above)"
    (umask 077 && printf '%s\n' "$key" >"$GATEWAY_KEY_FILE")
    chmod 600 "$GATEWAY_KEY_FILE"
}
[[ -s "$GATEWAY_KEY_FILE" ]] || make_gateway_key
start_web() {
    start_host web "$web_dll" "$WEB_URL" "ServingHost__Url=$SERVING_URL" "ServingHost__Key=$(<"$GATEWAY_KEY_FILE")"
    say "waiting for $WEB_URL/health/ready"
    wait_for_200 web "$WEB_URL/health/ready" "$READY_TIMEOUT" "$RUN_DIR/web.pid" "$LOG_DIR/web.log"
}
start_web
if ! curl -fsS -m 5 -o /dev/null -H "Authorization: Bearer $(<"$GATEWAY_KEY_FILE")" "$WEB_URL/api/v1/api-keys"; then
    make_gateway_key
    start_web
fi

# The serving host: the registry read only, model files from the same artifact store on this machine.
start_host serving "$serving_dll" "$SERVING_URL"
say "waiting for $SERVING_URL/health/ready"
wait_for_200 serving "$SERVING_URL/health/ready" "$READY_TIMEOUT" "$RUN_DIR/serving.pid" "$LOG_DIR/serving.log"

# The worker's whole configuration is what a remote GPU box would have: the broker, the web host's URL and a worker
# key. It gets no database setting and its own cache folder, never the web host's artifact folder.
WORKER_KEY_FILE="$STATE_DIR/worker-key"
if [[ ! -s "$WORKER_KEY_FILE" ]] || ! curl -fsS -m 5 -o /dev/null -H "Authorization: Bearer $(<"$WORKER_KEY_FILE")" "$WEB_URL/api/v1/worker/whoami"; then
    say "making a worker API key"
    worker_key="$(dotnet "$web_dll" create-worker-key --name local-worker)" || fail "could not create the worker API key (message above)"
    (umask 077 && printf '%s\n' "$worker_key" >"$WORKER_KEY_FILE")
    chmod 600 "$WORKER_KEY_FILE"
fi
start_host worker "$worker_dll" "$WORKER_URL" -u ConnectionStrings__Postgres -u Artifacts__Root \
    "Worker__ApiUrl=$WEB_URL" "Worker__ApiKey=$(<"$WORKER_KEY_FILE")" "Worker__CacheRoot=${Worker__CacheRoot:-$STATE_DIR/worker-cache}"
say "waiting for $WORKER_URL/health/ready"
wait_for_200 worker "$WORKER_URL/health/ready" "$READY_TIMEOUT" "$RUN_DIR/worker.pid" "$LOG_DIR/worker.log"

# The worker counts as registered once RabbitMQ shows a consumer on its capability queue.
mgmt="http://127.0.0.1:${SLMOPS_RABBITMQ_MANAGEMENT_PORT:-15672}"
consumers=""
for _ in $(seq 1 "$READY_TIMEOUT"); do
    consumers="$(curl -fsS -m 5 -u "$RabbitMq__Username:$RabbitMq__Password" \
        "$mgmt/api/consumers/$RabbitMq__VirtualHost" 2>/dev/null | grep -o '"name":"slmops-worker-[a-z]*"' | sort -u || true)"
    [[ -n "$consumers" ]] && break
    sleep 1
done
[[ -n "$consumers" ]] || fail "worker is ready but no consumer on a slmops-worker-* queue in vhost $RabbitMq__VirtualHost (log $LOG_DIR/worker.log)"
say "worker registered on RabbitMQ: $(echo "$consumers" | sed 's/"name":"\(.*\)"/\1/' | paste -sd' ' -)"
say "worker: $(grep -o 'capabilities: .*' "$LOG_DIR/worker.log" | tail -1)"

# The command line as a .NET tool (deploy/lib/common.sh install_cli_tool says where and why there).
say "packing the slmops command line and installing it into $CLI_TOOL_PATH"
install_cli_tool
export PATH="$CLI_TOOL_PATH:$PATH"

# ---------------------------------------------------------------------------------------------------
# DEMO HOOK. Later issues add a demo that trains and serves (dataset -> LLM -> task SLM -> promote ->
# generate) once the stack is up. It lives in deploy/demo.sh and runs here when that file exists,
# unless SLMOPS_SKIP_DEMO=1. It receives the web URL as its first argument.
if [[ -f deploy/demo.sh && "${SLMOPS_SKIP_DEMO:-0}" != 1 ]]; then
    say "running the demo (deploy/demo.sh)"
    bash deploy/demo.sh "$WEB_URL"
fi
# ---------------------------------------------------------------------------------------------------

cat <<EOF

SlmOps is up (development defaults; stop with deploy/down.sh).
  Dashboard            $WEB_URL/
  REST API             $WEB_URL/api/v1
  OpenAPI document     $WEB_URL/openapi/v1.json
  Web health           $WEB_URL/health/ready
  Serving              $SERVING_URL/api/v1/generate, OpenAI-compatible $SERVING_URL/v1/completions and /v1/models (same keys)
  Admin API key        $ADMIN_KEY_FILE  (send as 'Authorization: Bearer <key>'; dashboard: $WEB_URL/signin)
  Worker health        $WORKER_URL/health/ready  (key $WORKER_KEY_FILE; settings: RabbitMq__*, Worker__ApiUrl, Worker__ApiKey)
  RabbitMQ management  $mgmt/  (user $RabbitMq__Username, vhost $RabbitMq__VirtualHost)
  PostgreSQL           ${ConnectionStrings__Postgres%%;Password=*}
  Logs                 $LOG_DIR/
  Command line         export PATH="$CLI_TOOL_PATH:\$PATH" SLMOPS_SERVER=$WEB_URL SLMOPS_API_KEY="\$(cat $ADMIN_KEY_FILE)"; slmops --help
EOF
