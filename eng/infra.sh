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

# ---------------------------------------------------------------- ports
# require_port_free <port> <variable>: fail, naming the holder, when something listens there. Called after our own
# leftovers are gone, so whatever still listens is another program's: it is never killed.
require_port_free() {
  port_free "$1" && return 0
  local holders="" pid
  for pid in $(listener_pids "$1"); do holders="$holders${holders:+, }$(describe_process "$pid")"; done
  fail "port $1 is in use by ${holders:-another program}, which is not ours: stop it or set $2 to a free port."
}

# shellcheck source=eng/infra-postgres.sh
source "$repo_root/eng/infra-postgres.sh"
# shellcheck source=eng/infra-rabbitmq.sh
source "$repo_root/eng/infra-rabbitmq.sh"

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
# One start or stop at a time per state folder: two concurrent starts would each see the servers down.
lock_state() {
  mkdir -p "$state_dir"
  exec 9>"$state_dir/infra.lock"
  flock -w "$ready_timeout" 9 || fail "another eng/infra.sh start or stop still runs on $state_dir"
}

started_postgres=0 started_epmd=0 started_rabbitmq=0

# A start that fails stops what this call started, and only that: servers that ran before it are left running.
undo_failed_start() {
  [ "$started_rabbitmq" -eq 0 ] || stop_rabbit_node
  [ "$started_epmd" -eq 0 ] || stop_epmd
  [ "$started_postgres" -eq 0 ] || stop_postgres
}

# How this state folder's servers run: kept from the last start (so a crashed local server is brought back as one); a
# first start picks Docker when an engine answers and nothing runs locally.
infra_mode() {
  if [ -f "$mode_file" ]; then cat "$mode_file"
  elif ! rabbit_running && ! pg_running && docker_engine_answers; then echo docker
  else echo local
  fi
}

cmd_start() {
  lock_state
  if [ "$(infra_mode)" = docker ]; then
    start_docker
  else
    echo local >"$mode_file"
    trap '[ $? -eq 0 ] || undo_failed_start' EXIT
    start_postgres
    start_rabbitmq
    trap - EXIT
  fi
  write_env
  info "connection settings written to $env_file"
}

cmd_stop() {
  lock_state
  if [ -f "$mode_file" ] && [ "$(cat "$mode_file")" = docker ]; then
    stop_docker
  else
    stop_rabbitmq
    stop_postgres
  fi
  rm -f "$mode_file"
}

cmd_status() {
  local pid
  if pg_answers 2>/dev/null; then info "PostgreSQL answers on 127.0.0.1:$pg_port"
  elif pid="$(pg_postmaster 2>/dev/null)"; then info "PostgreSQL runs (pid $pid) but does not answer on 127.0.0.1:$pg_port"
  else info "PostgreSQL is not running"
  fi
  if rabbit_answers 2>/dev/null; then info "RabbitMQ answers on 127.0.0.1:$amqp_port"
  elif pid="$(rabbit_pids_of node)" && [ -n "$pid" ]; then info "RabbitMQ runs (pid $pid) but does not answer on 127.0.0.1:$rabbit_mgmt_port"
  else info "RabbitMQ is not running"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) write_env; cat "$env_file" ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
