#!/usr/bin/env bash
# The local SlmOps stack: a private PostgreSQL cluster and a private RabbitMQ node, both bound to
# 127.0.0.1, with their data, logs and pid files under a state directory (default .slmops/ in the
# repository root). Nothing here touches the system-wide PostgreSQL cluster or RabbitMQ node.
#
#   deploy/stack.sh start     start both (idempotent: a running service is reported and kept)
#   deploy/stack.sh stop      stop both
#   deploy/stack.sh status    report both; exit 1 if either is not accepting connections
#   deploy/stack.sh env       print the connection settings as environment variables
#
# The defaults below are DEVELOPMENT-ONLY credentials; override them through the environment.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${SLMOPS_STATE_DIR:-$REPO_ROOT/.slmops}"

PG_HOST=127.0.0.1
PG_PORT="${SLMOPS_PG_PORT:-5433}"
PG_DATABASE="${SLMOPS_PG_DATABASE:-slmops}"
PG_USER="${SLMOPS_PG_USER:-slmops}"
PG_PASSWORD="${SLMOPS_PG_PASSWORD:-slmops}"

RMQ_HOST=127.0.0.1
RMQ_PORT="${SLMOPS_RABBITMQ_PORT:-5672}"
RMQ_MGMT_PORT="${SLMOPS_RABBITMQ_MANAGEMENT_PORT:-15672}"
RMQ_DIST_PORT="${SLMOPS_RABBITMQ_DIST_PORT:-$((RMQ_PORT + 20000))}"
RMQ_VHOST="${SLMOPS_RABBITMQ_VHOST:-slmops}"
RMQ_USER="${SLMOPS_RABBITMQ_USER:-slmops}"
RMQ_PASSWORD="${SLMOPS_RABBITMQ_PASSWORD:-slmops}"
START_TIMEOUT="${SLMOPS_STACK_TIMEOUT:-90}"

log() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A short, stable id for this state directory, so two checkouts get distinct node names/dirs.
STATE_ID="$(printf '%s' "$STATE_DIR" | cksum | cut -d' ' -f1)"

# ---------------------------------------------------------------------------------- PostgreSQL

pg_bin_dir() {
    local dir
    if [[ -n "${SLMOPS_PG_BIN:-}" ]]; then echo "$SLMOPS_PG_BIN"; return; fi
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    [[ -x "$dir/initdb" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql (run deploy/install.sh)"
    echo "$dir"
}

# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` OS user.
# That user must be able to reach the data directory; when the state dir sits under a path it
# cannot traverse (e.g. /root), the cluster lives in postgres's home instead.
pg_dir() {
    if is_root && ! (cd / && runuser -u postgres -- test -x "$STATE_DIR" 2>/dev/null); then
        echo "/var/lib/postgresql/slmops-$STATE_ID"
    else
        echo "$STATE_DIR/pg"
    fi
}

as_pg() {
    if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

PG_DIR=""; PG_DATA=""; PG_RUN=""; PG_LOG=""; PG_BIN=""
pg_init_paths() {
    PG_BIN="$(pg_bin_dir)"
    PG_DIR="$(pg_dir)"
    PG_DATA="$PG_DIR/data"
    PG_RUN="$PG_DIR/run"
    PG_LOG="$PG_DIR/postgres.log"
}

pg_running() { [[ -f "$PG_DATA/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

pg_admin() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$PG_PORT" -U postgres "$@"; }

pg_login_works() {
    PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DATABASE" \
        -tAc 'select 1' >/dev/null 2>&1
}

pg_start() {
    pg_init_paths
    if pg_running; then
        log "postgres: already running (data $PG_DATA, port $PG_PORT)"
    elif port_open "$PG_PORT"; then
        # Another process owns the port (e.g. a stack from another checkout). Use it if it speaks
        # our credentials, otherwise say plainly why we cannot start.
        if pg_login_works; then
            log "postgres: port $PG_PORT is served by another server that accepts $PG_USER@$PG_DATABASE; using it"
            return 0
        fi
        die "postgres: port $PG_HOST:$PG_PORT is already in use by another process that does not accept $PG_USER/$PG_DATABASE; stop it or set SLMOPS_PG_PORT"
    else
        mkdir -p "$PG_DIR"
        if is_root; then chown postgres:postgres "$PG_DIR"; fi
        as_pg mkdir -p "$PG_RUN"
        if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
            log "postgres: initdb $PG_DATA"
            as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --no-locale \
                --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 \
                || { cat "$PG_DIR/initdb.log" >&2; die "postgres: initdb failed (log above)"; }
            as_pg sh -c "echo \"include_if_exists = 'slmops.conf'\" >> '$PG_DATA/postgresql.conf'"
        fi
        # Rewritten at every start so port/socket changes made through the environment take effect.
        as_pg sh -c "cat > '$PG_DATA/slmops.conf'" <<EOF
# Written by deploy/stack.sh at each start; edit the environment, not this file.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 200
EOF
        log "postgres: starting on $PG_HOST:$PG_PORT (data $PG_DATA, log $PG_LOG)"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$START_TIMEOUT" start >/dev/null \
            || { tail -n 20 "$PG_LOG" >&2 || true; die "postgres: did not start (last log lines above, full log $PG_LOG)"; }
    fi

    local waited=0
    until as_pg "$PG_BIN/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT"; do
        ((waited++ < START_TIMEOUT)) || die "postgres: not accepting connections on $PG_HOST:$PG_PORT after ${START_TIMEOUT}s (log $PG_LOG)"
        sleep 1
    done

    # Role and database are (re)asserted every time; CREATEDB lets tests make throw-away databases.
    local pw_sql="${PG_PASSWORD//\'/\'\'}"
    if [[ "$(pg_admin -d postgres -tAc "select 1 from pg_roles where rolname = '$PG_USER'")" != 1 ]]; then
        log "postgres: creating role $PG_USER (LOGIN CREATEDB)"
        pg_admin -d postgres -c "create role \"$PG_USER\" login createdb password '$pw_sql'"
    else
        pg_admin -d postgres -c "alter role \"$PG_USER\" login createdb password '$pw_sql'"
    fi
    # Tests drop their throw-away databases WITH (FORCE); ending a session of another role that is still in one (seen
    # as "must be a member of the role whose process is being terminated") needs pg_signal_backend. Dev-only cluster.
    pg_admin -d postgres -c "grant pg_signal_backend to \"$PG_USER\""
    if [[ "$(pg_admin -d postgres -tAc "select 1 from pg_database where datname = '$PG_DATABASE'")" != 1 ]]; then
        log "postgres: creating database $PG_DATABASE owned by $PG_USER"
        pg_admin -d postgres -c "create database \"$PG_DATABASE\" owner \"$PG_USER\""
    fi
    pg_login_works || die "postgres: running, but $PG_USER cannot log in to $PG_DATABASE over TCP $PG_HOST:$PG_PORT"
    log "postgres: ready  Host=$PG_HOST;Port=$PG_PORT;Database=$PG_DATABASE;Username=$PG_USER"
}

pg_stop() {
    pg_init_paths
    if pg_running; then
        log "postgres: stopping (data $PG_DATA)"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t "$START_TIMEOUT" stop >/dev/null
        log "postgres: stopped"
    else
        log "postgres: not running (data $PG_DATA)"
    fi
}

pg_status() {
    pg_init_paths
    if pg_running && pg_login_works; then
        log "postgres: running, accepting $PG_USER@$PG_HOST:$PG_PORT/$PG_DATABASE (data $PG_DATA)"
    elif pg_login_works; then
        log "postgres: $PG_HOST:$PG_PORT served by another server (not this state dir), accepting $PG_USER"
    elif pg_running; then
        log "postgres: process running but $PG_USER cannot log in on $PG_HOST:$PG_PORT"; return 1
    else
        log "postgres: not running (data $PG_DATA)"; return 1
    fi
}

# ------------------------------------------------------------------------------------ RabbitMQ

RMQ_DIR="$STATE_DIR/rabbitmq"
RMQ_NODE="slmops${STATE_ID}@localhost"
RMQ_SBIN="$(ls -d /usr/lib/rabbitmq/bin 2>/dev/null || true)"

# Everything the broker and its CLI tools need is pinned to the state dir: the node's Erlang
# cookie lives in $RMQ_DIR/home (HOME), so root and non-root runs never fight over
# /var/lib/rabbitmq/.erlang.cookie, and the system env/config files are not read.
rmq_env() {
    export HOME="$RMQ_DIR/home"
    export RABBITMQ_NODENAME="$RMQ_NODE"
    export RABBITMQ_USE_LONGNAME=false
    export RABBITMQ_NODE_IP_ADDRESS="$RMQ_HOST"
    export RABBITMQ_NODE_PORT="$RMQ_PORT"
    export RABBITMQ_DIST_PORT="$RMQ_DIST_PORT"
    export RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia"
    export RABBITMQ_LOG_BASE="$RMQ_DIR/log"
    export RABBITMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid"
    export RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf"
    export RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
    export RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf"
}

rmqctl() { (rmq_env; cd "$RMQ_DIR" && "$RMQ_SBIN/rabbitmqctl" -q -n "$RMQ_NODE" "$@"); }

rmq_running() { [[ -d "$RMQ_DIR" ]] && rmqctl status >/dev/null 2>&1; }

rmq_api_ok() {
    curl -fsS -o /dev/null -m 5 -u "$RMQ_USER:$RMQ_PASSWORD" \
        "http://$RMQ_HOST:$RMQ_MGMT_PORT/api/vhosts/$(printf '%s' "$RMQ_VHOST" | sed 's|/|%2F|g')" 2>/dev/null
}

rmq_start() {
    [[ -x "$RMQ_SBIN/rabbitmq-server" ]] || die "rabbitmq: /usr/lib/rabbitmq/bin/rabbitmq-server not found (run deploy/install.sh)"
    if rmq_running; then
        log "rabbitmq: already running (node $RMQ_NODE)"
    elif port_open "$RMQ_PORT"; then
        if rmq_api_ok; then
            log "rabbitmq: port $RMQ_PORT is served by another node whose vhost $RMQ_VHOST accepts $RMQ_USER; using it"
            return 0
        fi
        die "rabbitmq: port $RMQ_HOST:$RMQ_PORT is already in use by another process (not vhost $RMQ_VHOST/$RMQ_USER); stop it or set SLMOPS_RABBITMQ_PORT"
    else
        port_open "$RMQ_MGMT_PORT" && die "rabbitmq: management port $RMQ_HOST:$RMQ_MGMT_PORT is already in use; set SLMOPS_RABBITMQ_MANAGEMENT_PORT"
        mkdir -p "$RMQ_DIR/home" "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
        cat >"$RMQ_DIR/rabbitmq.conf" <<EOF
# Written by deploy/stack.sh at each start; edit the environment, not this file.
listeners.tcp.default = $RMQ_HOST:$RMQ_PORT
management.tcp.ip = $RMQ_HOST
management.tcp.port = $RMQ_MGMT_PORT
# First boot only: the broker creates these itself; stack.sh re-asserts them on every start.
default_vhost = $RMQ_VHOST
default_user = $RMQ_USER
default_pass = $RMQ_PASSWORD
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
EOF
        echo '[].' >"$RMQ_DIR/advanced.config"
        : >"$RMQ_DIR/rabbitmq-env.conf"
        # Writing the enabled-plugins file is the offline way to enable the management plugin.
        echo '[rabbitmq_management].' >"$RMQ_DIR/enabled_plugins"
        # A pid file left by a node that was killed (machine restart, kill -9) would fool the wait below.
    rm -f "$RMQ_DIR/rabbitmq.pid"
    log "rabbitmq: starting node $RMQ_NODE on $RMQ_HOST:$RMQ_PORT (management $RMQ_MGMT_PORT, logs $RMQ_DIR/log)"
        (
            rmq_env
            cd "$RMQ_DIR"
            setsid nohup "$RMQ_SBIN/rabbitmq-server" >"$RMQ_DIR/log/startup.log" 2>&1 </dev/null &
        )
        local waited=0
        until [[ -s "$RMQ_DIR/rabbitmq.pid" ]]; do
            ((waited++ < START_TIMEOUT)) || die "rabbitmq: no pid file after ${START_TIMEOUT}s (see $RMQ_DIR/log/startup.log)"
            sleep 1
        done
        rmqctl wait --timeout "$START_TIMEOUT" "$RMQ_DIR/rabbitmq.pid" >/dev/null 2>&1 \
            || { tail -n 20 "$RMQ_DIR/log/startup.log" >&2 || true; die "rabbitmq: node did not boot (last startup log lines above; logs in $RMQ_DIR/log)"; }
    fi

    if ! rmqctl list_vhosts name | grep -qx -- "$RMQ_VHOST"; then
        log "rabbitmq: creating vhost $RMQ_VHOST"
        rmqctl add_vhost "$RMQ_VHOST" >/dev/null
    fi
    if ! rmqctl list_users | awk '{print $1}' | grep -qx -- "$RMQ_USER"; then
        log "rabbitmq: creating user $RMQ_USER"
        rmqctl add_user "$RMQ_USER" "$RMQ_PASSWORD" >/dev/null
    else
        rmqctl change_password "$RMQ_USER" "$RMQ_PASSWORD" >/dev/null
    fi
    rmqctl set_user_tags "$RMQ_USER" administrator >/dev/null
    rmqctl set_permissions -p "$RMQ_VHOST" "$RMQ_USER" '.*' '.*' '.*' >/dev/null

    local waited=0
    until port_open "$RMQ_PORT" && rmq_api_ok; do
        ((waited++ < START_TIMEOUT)) || die "rabbitmq: AMQP $RMQ_HOST:$RMQ_PORT or management API $RMQ_HOST:$RMQ_MGMT_PORT not answering after ${START_TIMEOUT}s (logs $RMQ_DIR/log)"
        sleep 1
    done
    log "rabbitmq: ready  amqp://$RMQ_USER@$RMQ_HOST:$RMQ_PORT/$RMQ_VHOST  management http://$RMQ_HOST:$RMQ_MGMT_PORT/"
}

rmq_stop() {
    if rmq_running; then
        log "rabbitmq: stopping node $RMQ_NODE"
        rmqctl stop "$RMQ_DIR/rabbitmq.pid" >/dev/null 2>&1 || rmqctl stop >/dev/null
        log "rabbitmq: stopped"
    else
        log "rabbitmq: not running (node $RMQ_NODE)"
    fi
}

rmq_status() {
    if rmq_running && port_open "$RMQ_PORT" && rmq_api_ok; then
        log "rabbitmq: running node $RMQ_NODE, amqp $RMQ_HOST:$RMQ_PORT vhost $RMQ_VHOST, management http://$RMQ_HOST:$RMQ_MGMT_PORT/"
    elif port_open "$RMQ_PORT" && rmq_api_ok; then
        log "rabbitmq: $RMQ_HOST:$RMQ_PORT served by another node (not this state dir), vhost $RMQ_VHOST accepts $RMQ_USER"
    elif rmq_running; then
        log "rabbitmq: node $RMQ_NODE running but AMQP/management not answering on $RMQ_PORT/$RMQ_MGMT_PORT"; return 1
    else
        log "rabbitmq: not running (node $RMQ_NODE)"; return 1
    fi
}

# ------------------------------------------------------------------------------------------ main

print_env() {
    cat <<EOF
export ConnectionStrings__Postgres='Host=$PG_HOST;Port=$PG_PORT;Database=$PG_DATABASE;Username=$PG_USER;Password=$PG_PASSWORD'
export SLMOPS_TEST_PG='Host=$PG_HOST;Port=$PG_PORT;Database=$PG_DATABASE;Username=$PG_USER;Password=$PG_PASSWORD'
export RabbitMq__Host='$RMQ_HOST'
export RabbitMq__Port='$RMQ_PORT'
export RabbitMq__VirtualHost='$RMQ_VHOST'
export RabbitMq__Username='$RMQ_USER'
export RabbitMq__Password='$RMQ_PASSWORD'
export SLMOPS_TEST_RABBITMQ_HOST='$RMQ_HOST'
export SLMOPS_TEST_RABBITMQ_PORT='$RMQ_PORT'
export SLMOPS_TEST_RABBITMQ_VHOST='$RMQ_VHOST'
export SLMOPS_TEST_RABBITMQ_USER='$RMQ_USER'
export SLMOPS_TEST_RABBITMQ_PASSWORD='$RMQ_PASSWORD'
EOF
}

case "${1:-}" in
    start)
        mkdir -p "$STATE_DIR"
        log "state dir $STATE_DIR (development defaults; see README)"
        pg_start
        rmq_start
        ;;
    stop)
        rmq_stop
        pg_stop
        ;;
    status)
        rc=0
        pg_status || rc=1
        rmq_status || rc=1
        exit "$rc"
        ;;
    env)
        print_env
        ;;
    *)
        echo "usage: $0 start|stop|status|env" >&2
        exit 2
        ;;
esac
