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
