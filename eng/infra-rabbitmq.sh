# shellcheck shell=bash
# RabbitMQ as a local process for eng/infra.sh: Debian's package run by its own script (the PATH wrapper switches user
# and drops the environment), beside an epmd of our own. Source it from eng/infra.sh; do not run it.

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

# Exported only in the subshells that start epmd and the node, so no other process carries RABBITMQ_MNESIA_BASE.
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

# Our RabbitMQ processes: Erlang runtime binaries (the node's beam.smp, epmd, erl_child_setup, inet_gethost) whose
# environment names our data folder, which the node and everything it spawns inherit from rabbit_env.
rabbit_processes() {
  local file pid
  while read -r file; do
    pid="${file#/proc/}"; pid="${pid%/environ}"
    case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in */erts-*/bin/*) process_alive "$pid" && echo "$pid" ;; esac
  done < <(grep -lzFx -- "RABBITMQ_MNESIA_BASE=$rabbit_dir/mnesia" /proc/[0-9]*/environ 2>/dev/null)
  return 0
}

# rabbit_role <pid>: node (the broker's runtime), epmd, or child (what the node spawned, or a CLI tool).
rabbit_role() {
  case "$(readlink "/proc/$1/exe" 2>/dev/null)" in
    */epmd) echo epmd ;;
    */beam.smp)
      local command; command="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)"
      if [[ "$command" == *' -s rabbit boot '* ]]; then echo node; else echo child; fi ;;
    *) echo child ;;
  esac
}

rabbit_pids_of() { # rabbit_pids_of <role>
  local pid
  for pid in $(rabbit_processes); do [ "$(rabbit_role "$pid")" = "$1" ] && echo "$pid"; done
  return 0
}

rabbit_running() { [ -n "$(rabbit_pids_of node)" ]; }

rabbit_answers() {
  curl -fsS -u guest:guest "http://127.0.0.1:$rabbit_mgmt_port/api/overview" >/dev/null
}

start_epmd() {
  require_port_free "$epmd_port" AUTOMATION_EPMD_PORT
  # epmd runs in the foreground under our control so that stop can end it.
  ( rabbit_env; cd "$rabbit_dir" || exit; exec setsid epmd -port "$epmd_port" -address 127.0.0.1 ) \
    </dev/null >"$rabbit_dir/log/epmd.log" 2>&1 9>&- &
  echo $! >"$rabbit_dir/epmd.pid"
  started_epmd=1
  wait_until "epmd" epmd_listens || fail "epmd did not listen on $epmd_port within ${ready_timeout}s: see $rabbit_dir/log/epmd.log"
}

epmd_listens() { ! port_free "$epmd_port"; }

start_rabbitmq() {
  install_rabbitmq
  mkdir -p "$rabbit_dir/home" "$rabbit_dir/log" "$rabbit_dir/mnesia"
  if rabbit_running; then
    [ -n "$(rabbit_pids_of epmd)" ] || { info "epmd is gone: starting it again beside the running node"; start_epmd; }
    rabbit_answers 2>/dev/null || wait_until "RabbitMQ" rabbit_answers \
      || fail "RabbitMQ (pid $(rabbit_pids_of node)) runs but its management API does not answer on $rabbit_mgmt_port: left running; see $rabbit_dir/log, or run '$0 stop' and start again."
    info "RabbitMQ already runs on 127.0.0.1:$amqp_port"
    return
  fi
  # The node is gone: what it spawned goes too; a live epmd of ours stays (the new node registers with it).
  end_node_leftovers
  require_port_free "$amqp_port" AUTOMATION_AMQP_PORT
  require_port_free "$rabbit_mgmt_port" AUTOMATION_RABBIT_MGMT_PORT
  require_port_free "$rabbit_dist_port" AUTOMATION_RABBIT_DIST_PORT
  local epmd; epmd="$(rabbit_pids_of epmd)"
  if [ -n "$epmd" ]; then echo "$epmd" >"$rabbit_dir/epmd.pid"; else start_epmd; fi
  : >"$rabbit_dir/rabbitmq-env.conf"
  echo "[rabbitmq_management]." >"$rabbit_dir/enabled_plugins"
  cat >"$rabbit_dir/rabbitmq.conf" <<CONF
listeners.tcp.default = $amqp_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $rabbit_mgmt_port
disk_free_limit.absolute = 200MB
CONF
  info "starting RabbitMQ on 127.0.0.1:$amqp_port (management on $rabbit_mgmt_port)"
  started_rabbitmq=1
  ( rabbit_env; cd "$rabbit_dir" || exit; exec setsid -w "$(rabbit_script)" ) </dev/null >"$rabbit_dir/log/console.log" 2>&1 9>&- &
  local launcher=$! deadline=$((SECONDS + ready_timeout))
  until rabbit_answers >/dev/null 2>&1; do
    kill -0 "$launcher" 2>/dev/null || fail "RabbitMQ exited while starting: see $rabbit_dir/log/console.log"
    [ $SECONDS -lt $deadline ] || fail "RabbitMQ did not answer within ${ready_timeout}s: see $rabbit_dir/log/console.log"
    sleep 0.5
  done
  info "RabbitMQ is ready"
}

# What a node that is gone left behind (never epmd: it may have run before a failed start that stops only its node).
end_node_leftovers() {
  local leftovers; leftovers="$(rabbit_pids_of child)"
  rm -f "$rabbit_dir/rabbit.pid"
  [ -n "$leftovers" ] || return 0
  info "ending processes left by a RabbitMQ node that is gone: ${leftovers//$'\n'/ }"
  # shellcheck disable=SC2086 # one PID a word
  terminate 10 $leftovers
}

stop_rabbit_node() {
  local node; node="$(rabbit_pids_of node)"
  if [ -n "$node" ]; then
    info "stopping RabbitMQ"
    # shellcheck disable=SC2086 # one PID a word
    terminate 30 $node
  fi
  end_node_leftovers
}

stop_epmd() {
  local epmd; epmd="$(rabbit_pids_of epmd)"
  # shellcheck disable=SC2086 # one PID a word
  terminate 5 $epmd
  rm -f "$rabbit_dir/epmd.pid"
}

stop_rabbitmq() { stop_rabbit_node; stop_epmd; }
