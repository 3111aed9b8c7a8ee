#!/usr/bin/env bash
# Starts and stops the infrastructure Automation needs: PostgreSQL and RabbitMQ.
# With a Docker engine it uses docker compose; without one (the usual case on our machines) it
# runs both as local processes with their data under the git-ignored state folder.
#   eng/infra.sh start | stop | status | env
# Writes the connection settings to $AUTOMATION_STATE_DIR/infra.env for tests and services.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=eng/common.sh
source "$repo_root/eng/common.sh"

pg_port="${AUTOMATION_PG_PORT:-55432}"
amqp_port="${AUTOMATION_AMQP_PORT:-55672}"
rabbit_mgmt_port="${AUTOMATION_RABBIT_MGMT_PORT:-55673}"
rabbit_dist_port="${AUTOMATION_RABBIT_DIST_PORT:-55674}"
epmd_port="${AUTOMATION_EPMD_PORT:-55675}"
ready_timeout="${AUTOMATION_READY_TIMEOUT:-90}"

rabbit_dir="$state_dir/rabbitmq"
env_file="$state_dir/infra.env"
mode_file="$state_dir/infra.mode"

# PostgreSQL refuses to run as root, so its folder must be reachable by the postgres user.
pg_base() {
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$state_dir" 2>/dev/null; then
    echo "$state_dir/postgres"
  else
    echo "/var/tmp/automation-$(printf '%s' "$repo_root" | md5sum | cut -c1-8)/postgres"
  fi
}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
  command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return; }
  fail "PostgreSQL is not installed: run 'apt-get install -y postgresql' (Debian) or install Docker."
}

docker_engine_answers() {
  [ "${AUTOMATION_NO_DOCKER:-}" = "1" ] && return 1
  command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1
}

write_env() {
  mkdir -p "$state_dir"
  cat >"$env_file" <<ENV
AUTOMATION_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=postgres'
AUTOMATION_RABBITMQ='amqp://guest:guest@127.0.0.1:$amqp_port/'
AUTOMATION_RABBITMQ_MANAGEMENT='http://127.0.0.1:$rabbit_mgmt_port/'
ENV
}

wait_until() { # wait_until <what> <command...>
  local what="$1"; shift
  local deadline=$((SECONDS + ready_timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
  info "$what is ready"
}

# ---------------------------------------------------------------- PostgreSQL
pg_running() {
  local data; data="$(pg_base)/data"
  [ -f "$data/postmaster.pid" ] && as_pg "$(pg_bin)/pg_ctl" -D "$data" status >/dev/null 2>&1
}

pg_answers() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; }

start_postgres() {
  local bin base data
  bin="$(pg_bin)"; base="$(pg_base)"; data="$base/data"
  if pg_running; then
    pg_answers || fail "PostgreSQL in $data runs but does not answer on port $pg_port: run '$0 stop' and start again."
    info "PostgreSQL already runs on 127.0.0.1:$pg_port"
    return
  fi
  port_free "$pg_port" || fail "port $pg_port is in use by another program: free it or set AUTOMATION_PG_PORT."
  mkdir -p "$base"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$base"
  if [ ! -f "$data/PG_VERSION" ]; then
    info "creating a PostgreSQL cluster in $data"
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
      || fail "initdb failed: see $base/initdb.log"
    cat >>"$data/postgresql.conf" <<CONF
# Automation: local development and test server
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 500
shared_buffers = 512MB
CONF
  fi
  info "starting PostgreSQL on 127.0.0.1:$pg_port"
  as_pg "$bin/pg_ctl" -D "$data" -l "$base/postgres.log" -o "-p $pg_port" -w -t "$ready_timeout" start >/dev/null \
    || { stop_postgres; fail "PostgreSQL did not start: see $base/postgres.log"; }
  wait_until "PostgreSQL" pg_answers || { stop_postgres; fail "PostgreSQL did not answer within ${ready_timeout}s: see $base/postgres.log"; }
}

stop_postgres() {
  local data; data="$(pg_base)/data"
  if [ -f "$data/postmaster.pid" ]; then
    info "stopping PostgreSQL"
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------- RabbitMQ
rabbit_script() {
  dpkg -L rabbitmq-server 2>/dev/null | grep 'bin/rabbitmq-server$' | grep '/lib/rabbitmq/lib/' | head -1
}

install_rabbitmq() {
  [ -n "$(rabbit_script)" ] && return
  [ "$(id -u)" -eq 0 ] || fail "RabbitMQ is not installed and installing it needs root: run 'sudo apt-get install -y rabbitmq-server'."
  info "installing RabbitMQ (Debian's rabbitmq-server)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server; } >"$state_dir/apt-rabbitmq.log" 2>&1 \
    || fail "could not install rabbitmq-server: see $state_dir/apt-rabbitmq.log"
  # Debian's package starts its own node through epmd on the default port when an init system exists; we run ours.
  [ -n "$(rabbit_script)" ] || fail "rabbitmq-server installed but its start script was not found"
}

rabbit_env() {
  export HOME="$rabbit_dir/home"
  export RABBITMQ_CONF_ENV_FILE="$rabbit_dir/rabbitmq-env.conf"
  export RABBITMQ_MNESIA_BASE="$rabbit_dir/mnesia"
  export RABBITMQ_LOG_BASE="$rabbit_dir/log"
  export RABBITMQ_NODENAME="rabbit@localhost"
  export RABBITMQ_NODE_IP_ADDRESS="127.0.0.1"
  export RABBITMQ_NODE_PORT="$amqp_port"
  export RABBITMQ_DIST_PORT="$rabbit_dist_port"
  export ERL_EPMD_PORT="$epmd_port"
  export ERL_EPMD_ADDRESS="127.0.0.1"
  export RABBITMQ_CONFIG_FILE="$rabbit_dir/rabbitmq"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$rabbit_dir/enabled_plugins"
  export RABBITMQ_PID_FILE="$rabbit_dir/rabbit.pid"
}

rabbit_running() { pid_alive "$rabbit_dir/rabbit.pid"; }

rabbit_answers() {
  curl -fsS -u guest:guest "http://127.0.0.1:$rabbit_mgmt_port/api/overview" >/dev/null
}

start_rabbitmq() {
  install_rabbitmq
  mkdir -p "$rabbit_dir/home" "$rabbit_dir/log" "$rabbit_dir/mnesia"
  if rabbit_running; then
    rabbit_answers || fail "RabbitMQ (pid $(cat "$rabbit_dir/rabbit.pid")) runs but its management API does not answer on $rabbit_mgmt_port: run '$0 stop' and start again."
    info "RabbitMQ already runs on 127.0.0.1:$amqp_port"
    return
  fi
  local port
  for port in "$amqp_port" "$rabbit_mgmt_port" "$rabbit_dist_port" "$epmd_port"; do
    port_free "$port" || fail "port $port is in use by another program: free it or set the AUTOMATION_*_PORT variables."
  done
  : >"$rabbit_dir/rabbitmq-env.conf"
  echo "[rabbitmq_management]." >"$rabbit_dir/enabled_plugins"
  cat >"$rabbit_dir/rabbitmq.conf" <<CONF
listeners.tcp.default = $amqp_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $rabbit_mgmt_port
disk_free_limit.absolute = 200MB
CONF
  rabbit_env
  # epmd runs in the foreground under our control so that stop can end it by its PID.
  nohup epmd -port "$epmd_port" -address 127.0.0.1 >"$rabbit_dir/log/epmd.log" 2>&1 &
  echo $! >"$rabbit_dir/epmd.pid"
  info "starting RabbitMQ on 127.0.0.1:$amqp_port (management on $rabbit_mgmt_port)"
  nohup "$(rabbit_script)" >"$rabbit_dir/log/console.log" 2>&1 &
  echo $! >"$rabbit_dir/rabbit.pid"
  local deadline=$((SECONDS + ready_timeout))
  until rabbit_answers >/dev/null 2>&1; do
    if ! rabbit_running; then stop_rabbitmq; fail "RabbitMQ exited while starting: see $rabbit_dir/log/console.log"; fi
    if [ $SECONDS -ge $deadline ]; then stop_rabbitmq; fail "RabbitMQ did not answer within ${ready_timeout}s: see $rabbit_dir/log/console.log"; fi
    sleep 0.5
  done
  info "RabbitMQ is ready"
}

stop_rabbitmq() {
  if rabbit_running; then
    info "stopping RabbitMQ"
    stop_pid "$rabbit_dir/rabbit.pid" 30
  fi
  rm -f "$rabbit_dir/rabbit.pid"
  stop_pid "$rabbit_dir/epmd.pid" 5
  rm -f "$rabbit_dir/epmd.pid"
}

# ---------------------------------------------------------------- Docker
start_docker() {
  info "a Docker engine answers: starting PostgreSQL and RabbitMQ with docker compose"
  AUTOMATION_PG_PORT="$pg_port" AUTOMATION_AMQP_PORT="$amqp_port" AUTOMATION_RABBIT_MGMT_PORT="$rabbit_mgmt_port" \
    docker compose -f "$repo_root/docker-compose.yml" up -d --wait postgres rabbitmq \
    || fail "docker compose could not start postgres and rabbitmq"
  echo docker >"$mode_file"
}

stop_docker() {
  docker compose -f "$repo_root/docker-compose.yml" stop postgres rabbitmq >/dev/null || true
}

# ---------------------------------------------------------------- commands
cmd_start() {
  mkdir -p "$state_dir"
  if [ -f "$mode_file" ] && [ "$(cat "$mode_file")" = docker ] || { ! rabbit_running && ! pg_running && docker_engine_answers; }; then
    start_docker
  else
    echo local >"$mode_file"
    # A start that fails half-way stops what it started, so nothing is left half-running.
    local postgres_was_running=0
    pg_running && postgres_was_running=1
    trap '[ $? -eq 0 ] || [ $postgres_was_running -eq 1 ] || stop_postgres' EXIT
    start_postgres
    start_rabbitmq
    trap - EXIT
  fi
  write_env
  info "connection settings written to $env_file"
}

cmd_stop() {
  if [ -f "$mode_file" ] && [ "$(cat "$mode_file")" = docker ]; then
    stop_docker
  else
    stop_rabbitmq
    stop_postgres
  fi
  rm -f "$mode_file"
}

cmd_status() {
  if pg_answers 2>/dev/null; then info "PostgreSQL answers on 127.0.0.1:$pg_port"; else info "PostgreSQL is not running"; fi
  if rabbit_answers 2>/dev/null; then info "RabbitMQ answers on 127.0.0.1:$amqp_port"; else info "RabbitMQ is not running"; fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) write_env; cat "$env_file" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
