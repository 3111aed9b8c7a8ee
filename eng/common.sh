# shellcheck shell=bash
# Shared helpers for the scripts under eng/ and the automation command. Source it; do not run it.
repo_root="${repo_root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
state_dir="${AUTOMATION_STATE_DIR:-$repo_root/.local}"

info() { printf '[automation] %s\n' "$*"; }
fail() { printf '[automation] error: %s\n' "$*" >&2; exit 1; }

# True when nothing listens on 127.0.0.1:<port>.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid <pidfile> <seconds>: TERM the recorded process, KILL it if it outlives the grace period.
stop_pid() {
  local file="$1" grace="${2:-10}" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

# True while <pid> runs (a zombie has ended: it only waits for its parent to read its exit status).
process_alive() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat="${stat##*) }"
  [ "${stat:0:1}" != Z ]
}

# "pid N (command line)" for messages.
describe_process() {
  local command
  command="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | cut -c1-120)"
  echo "pid $1 (${command% })"
}

# PIDs of the processes listening on TCP <port>, read from /proc; empty when none is visible to this user.
listener_pids() {
  local inodes pattern=""
  inodes="$(awk -v port="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == port { print $10 }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)"
  [ -n "$inodes" ] || return 0
  local inode
  for inode in $inodes; do pattern="$pattern${pattern:+|}socket:\[$inode\]"; done
  find /proc/[0-9]*/fd -maxdepth 1 -type l -printf '%h %l\n' 2>/dev/null | grep -E " ($pattern)\$" | cut -d/ -f3 | sort -un
}

# The given PIDs that still run.
alive_of() {
  local pid
  for pid in "$@"; do process_alive "$pid" && echo "$pid"; done
  return 0
}

# terminate <seconds> <pid>...: TERM the processes, KILL those that outlive the grace period, return once all have ended.
terminate() {
  local grace="$1" left; shift
  kill -TERM "$@" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while left="$(alive_of "$@")"; [ -n "$left" ] && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  [ -n "$left" ] || return 0
  # shellcheck disable=SC2086 # one PID a word
  kill -KILL $left 2>/dev/null || true
  deadline=$((SECONDS + 5))
  # shellcheck disable=SC2086 # one PID a word
  while left="$(alive_of $left)"; [ -n "$left" ]; do
    [ $SECONDS -lt $deadline ] || fail "processes $left outlived SIGKILL"
    sleep 0.2
  done
}

# The tests validate docker-compose.yml with Debian's docker-compose (no engine needed): installed here when missing.
ensure_docker_compose() {
  command -v docker-compose >/dev/null 2>&1 && return 0
  [ "$(id -u)" -eq 0 ] || fail "docker-compose is missing and installing it needs root: run 'sudo apt-get install -y docker-compose'."
  info "installing docker-compose (Debian's package, to validate docker-compose.yml)"
  mkdir -p "$state_dir"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } >"$state_dir/apt-docker-compose.log" 2>&1 \
    || fail "could not install docker-compose: see $state_dir/apt-docker-compose.log"
}
