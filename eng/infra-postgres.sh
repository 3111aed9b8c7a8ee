# shellcheck shell=bash
# PostgreSQL as a local process for eng/infra.sh: its data under the state folder, run as the postgres user.
# Source it from eng/infra.sh; do not run it.

# PostgreSQL refuses to run as root, so its folder must be reachable by the postgres user.
pg_base() {
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$state_dir" 2>/dev/null; then
    echo "$state_dir/postgres"
  else
    echo "/var/tmp/automation-$(printf '%s' "$state_dir" | md5sum | cut -c1-8)/postgres"
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

pg_data() { echo "$(pg_base)/data"; }

# Ours: a live postgres program working in our data directory (the server and every backend chdir there). The program
# is matched by name so that a server still running a binary that an upgrade replaced ("... (deleted)") stays ours.
pg_process_is_ours() { # <pid> [data directory]: the directory found once by callers that loop
  local data="${2:-$(pg_data)}"
  [ "/proc/$1/cwd" -ef "$data" ] || return 1
  case "$(readlink "/proc/$1/exe" 2>/dev/null)" in */postgres | */postgres' (deleted)') process_alive "$1" ;; *) return 1 ;; esac
}

pg_processes() {
  local data proc
  data="$(pg_data)"
  [ -d "$data" ] || return 0
  for proc in /proc/[0-9]*; do pg_process_is_ours "${proc#/proc/}" "$data" && echo "${proc#/proc/}"; done
  return 0
}

# The live postmaster: the PID its lock file names, when that process is ours (after a crash the PID may be reused).
pg_postmaster() {
  local pid
  pid="$(head -1 "$(pg_data)/postmaster.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && pg_process_is_ours "$pid" && echo "$pid"
}

pg_running() { pg_postmaster >/dev/null; }

pg_answers() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; }

# After a crash: backends of the dead postmaster keep its shared memory attached (a new server refuses to start beside
# them), and its lock file may name a PID now used by another process. Both go; nothing that is not ours is touched.
clear_postgres_leftovers() {
  local data leftovers; data="$(pg_data)"
  leftovers="$(pg_processes)"
  if [ -n "$leftovers" ]; then
    info "ending processes left by a PostgreSQL that is gone: ${leftovers//$'\n'/ }"
    # shellcheck disable=SC2086 # one PID a word
    terminate 10 $leftovers
  fi
  [ ! -f "$data/postmaster.pid" ] || { info "removing the stale $data/postmaster.pid"; rm -f "$data/postmaster.pid"; }
}

start_postgres() {
  local bin base data
  bin="$(pg_bin)"; base="$(pg_base)"; data="$base/data"
  if pg_running; then
    pg_answers || wait_until "PostgreSQL" pg_answers \
      || fail "PostgreSQL (pid $(pg_postmaster), $data) runs but does not answer on port $pg_port: left running; see $base/postgres.log, or run '$0 stop' and start again."
    info "PostgreSQL already runs on 127.0.0.1:$pg_port"
    return
  fi
  clear_postgres_leftovers
  require_port_free "$pg_port" AUTOMATION_PG_PORT
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
  started_postgres=1
  as_pg "$bin/pg_ctl" -D "$data" -l "$base/postgres.log" -o "-p $pg_port" -w -t "$ready_timeout" start >/dev/null 9>&- \
    || fail "PostgreSQL did not start: see $base/postgres.log"
  wait_until "PostgreSQL" pg_answers || fail "PostgreSQL did not answer within ${ready_timeout}s: see $base/postgres.log"
}

stop_postgres() {
  local data; data="$(pg_data)"
  if pg_running; then
    info "stopping PostgreSQL"
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  fi
  clear_postgres_leftovers
}
