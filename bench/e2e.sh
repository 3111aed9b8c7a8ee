#!/usr/bin/env bash
# Measures the whole system end to end on this machine: every service as its own Release process (as ./automation up
# runs them, the Sandbox answering for HubSpot, GitHub, GitLab, Slack and SMTP) on its OWN database (bench_e2e), RabbitMQ
# virtual host (bench-e2e) and ports, so neither the shared test servers' other users nor a running ./automation up are
# disturbed. The load generator (bench/Automation.Bench.EndToEnd) posts signed webhooks of the four event types to the
# Ingress and reads each run's end from the Orchestrator's runs table: latency at a fixed rate, then rate steps until one
# does not hold. Done once with OTLP export off and once with it on (to an Aspire Dashboard of the bench's own), then raw
# MassTransit publish/consume on the same broker (bench/Automation.Bench.Messaging --only raw) as the ceiling.
#   bench/e2e.sh                     full run: 60 s at 150 events/s, 60 s steps 100,200,...,600; OTLP off then on
#   bench/e2e.sh --short             a quick look: 20 s at 150 events/s, 20 s steps 100,200,300,400
#   bench/e2e.sh --otlp off          one mode only (off | on | both)
#   bench/e2e.sh --rates 250,300,350 the steps to try
#   bench/e2e.sh --fixed-rate 40     the latency phase's rate (default 150)
#   bench/e2e.sh --warmup 60         seconds at 50 events/s before measuring (default 20, --short 10): the first
#                                    minute of a fresh process runs partly unoptimised code (tiered JIT)
#   bench/e2e.sh --no-ceiling        skip the raw MassTransit ceiling
# Not part of CI. Uses AUTOMATION_POSTGRES / AUTOMATION_RABBITMQ / AUTOMATION_RABBITMQ_MANAGEMENT when set, else starts
# the infrastructure like ./automation infra. Ports: AUTOMATION_BENCH_E2E_PORT_BASE (default 5380: public ports base+0..5,
# management ports base+10..15), SMTP base-2755 (2625), dashboard 18988, OTLP 4417.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo_root/eng/common.sh"

short=false otlp_modes=(off on) rates="" fixed_rate=150 warmup="" ceiling=true
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=true ;;
    --otlp) shift; case "${1:-}" in off) otlp_modes=(off) ;; on) otlp_modes=(on) ;; both) otlp_modes=(off on) ;;
      *) fail "--otlp takes off, on or both" ;; esac ;;
    --rates) shift; rates="${1:?--rates needs a list}" ;;
    --fixed-rate) shift; fixed_rate="${1:?--fixed-rate needs events/s}" ;;
    --warmup) shift; warmup="${1:?--warmup needs seconds}" ;;
    --no-ceiling) ceiling=false ;;
    *) fail "unknown argument $1 (see the header of $0)" ;;
  esac
  shift
done

if [ -z "${AUTOMATION_POSTGRES:-}" ] || [ -z "${AUTOMATION_RABBITMQ:-}" ] || [ -z "${AUTOMATION_RABBITMQ_MANAGEMENT:-}" ]; then
  "$repo_root/eng/infra.sh" start >/dev/null
  set -a; source "$state_dir/infra.env"; set +a
fi

base="${AUTOMATION_BENCH_E2E_PORT_BASE:-5380}"
database=bench_e2e
vhost=bench-e2e
out="$state_dir/bench/e2e"
results="$repo_root/bench/results"
# What eng/dashboard.sh needs: its own ports and folders for the bench's dashboard.
run_dir="$out/run" log_dir="$out/logs"
AUTOMATION_DASHBOARD_PORT="${AUTOMATION_BENCH_DASHBOARD_PORT:-18988}"
AUTOMATION_OTLP_GRPC_PORT="${AUTOMATION_BENCH_OTLP_GRPC_PORT:-4417}" AUTOMATION_OTLP_HTTP_PORT="${AUTOMATION_BENCH_OTLP_HTTP_PORT:-4418}"
source "$repo_root/eng/dashboard.sh"
mkdir -p "$run_dir" "$log_dir" "$results"

# name:project:public port:management port, in start order (the Sandbox first: the connectors call it).
services=("sandbox:Sandbox:$((base + 5)):$((base + 15))" "ingress:Ingress:$base:$((base + 10))"
  "orchestrator:Orchestrator:$((base + 1)):$((base + 11))" "crm-sync:CrmSync:$((base + 2)):$((base + 12))"
  "ci-trigger:CiTrigger:$((base + 3)):$((base + 13))" "notifier:Notifier:$((base + 4)):$((base + 14))")
smtp_port=$((base - 2755))
sandbox="http://127.0.0.1:$((base + 5))"
field() { echo "$1" | cut -d: -f"$2"; }
for entry in "${services[@]}"; do
  for port in "$(field "$entry" 3)" "$(field "$entry" 4)"; do
    port_free "$port" || fail "port $port (bench $(field "$entry" 1)) is in use: set AUTOMATION_BENCH_E2E_PORT_BASE"
  done
done
port_free "$smtp_port" || fail "port $smtp_port (bench SMTP) is in use: set AUTOMATION_BENCH_E2E_PORT_BASE"

info "building the services and the load generator (Release)"
for entry in "${services[@]}"; do
  project="$(field "$entry" 2)"
  dotnet build "$repo_root/services/$project/Automation.$project.csproj" -c Release -o "$out/build/$project" -nologo -v quiet \
    >"$log_dir/build-$project.log" 2>&1 || fail "building $project failed: see $log_dir/build-$project.log"
done
dotnet build "$repo_root/bench/Automation.Bench.EndToEnd" -c Release -o "$out/build/load" -nologo -v quiet >"$log_dir/build-load.log" 2>&1 \
  || fail "building the load generator failed: see $log_dir/build-load.log"

pg="host=127.0.0.1 port=$(echo "$AUTOMATION_POSTGRES" | sed -n 's/.*Port=\([0-9]*\).*/\1/p') user=postgres"
management="${AUTOMATION_RABBITMQ_MANAGEMENT%/}"
fresh_database_and_vhost() {
  psql "$pg dbname=postgres" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
  curl -fsS -u guest:guest -X DELETE "$management/api/vhosts/$vhost" >/dev/null 2>&1 || true
  curl -fsS -u guest:guest -X PUT "$management/api/vhosts/$vhost" >/dev/null
  curl -fsS -u guest:guest -X PUT -H 'content-type: application/json' -d '{"configure":".*","write":".*","read":".*"}' \
    "$management/api/permissions/$vhost/guest" >/dev/null
}

# What every service gets, and what points the connectors at the bench's Sandbox instead of the Development defaults.
service_environment() {
  echo "RabbitMq__Uri=${AUTOMATION_RABBITMQ%/}/$vhost"
  echo "Operations__RabbitMqManagement__Uri=$AUTOMATION_RABBITMQ_MANAGEMENT"
  echo "ConnectionStrings__Automation=$AUTOMATION_POSTGRES;Database=$database"
  echo "ASPNETCORE_ENVIRONMENT=Development"
  echo "Logging__LogLevel__Default=${AUTOMATION_BENCH_LOG_LEVEL:-Warning}"
  echo "Ingress__Sources__demo__RequestsPerSecond=1000000"
  echo "Sandbox__Smtp__Port=$smtp_port"
  echo "CrmSync__HubSpot__BaseUrl=$sandbox/hubspot/"
  echo "CiTrigger__Pipelines__content-publish__BaseUrl=$sandbox/github/"
  echo "CiTrigger__Pipelines__docs-deploy__BaseUrl=$sandbox/gitlab/"
  echo "Notifier__Channels__content-team__WebhookUrl=$sandbox/slack/services/T00SANDBOX/B00SANDBOX/sandbox-not-a-secret"
  echo "Notifier__Smtp__Port=$smtp_port"
  if [ "$1" = on ]; then echo "OTEL_EXPORTER_OTLP_ENDPOINT=$(dashboard_otlp_endpoint)"; fi
}

start_bench_services() {
  local mode="$1" name project port management_port environment=()
  mapfile -t environment < <(service_environment "$mode")
  for entry in "${services[@]}"; do
    name="$(field "$entry" 1)"; project="$(field "$entry" 2)"; port="$(field "$entry" 3)"; management_port="$(field "$entry" 4)"
    (cd "$out/build/$project" && exec env "${environment[@]}" Management__Port="$management_port" \
      dotnet "Automation.$project.dll" --urls "http://127.0.0.1:$port") >"$log_dir/$name-otlp-$mode.log" 2>&1 &
    echo $! >"$run_dir/$name.pid"
  done
  for entry in "${services[@]}"; do
    name="$(field "$entry" 1)"; management_port="$(field "$entry" 4)"
    local deadline=$((SECONDS + 90))
    until curl -fsS "http://127.0.0.1:$management_port/health/ready" >/dev/null 2>&1; do
      pid_alive "$run_dir/$name.pid" || fail "$name exited while starting: see $log_dir/$name-otlp-$mode.log"
      [ $SECONDS -lt $deadline ] || fail "$name did not become ready: see $log_dir/$name-otlp-$mode.log"
      sleep 0.5
    done
  done
  info "all six services are ready (OTLP export $mode)"
}

stop_bench_services() {
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do stop_pid "$run_dir/$(field "${services[$i]}" 1).pid" 15; done
}
cleanup() { stop_bench_services; stop_dashboard >/dev/null; }
trap cleanup EXIT

# CPU seconds a process has used (user + system), from /proc.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_report() {
  local line="" entry
  for entry in "${services[@]}"; do line="$line $(field "$entry" 1)=$(cpu_seconds "$(cat "$run_dir/$(field "$entry" 1).pid")")"; done
  echo "$line"
}
cpu_total() { cpu_report | tr ' ' '\n' | cut -s -d= -f2 | awk '{ total += $1 } END { printf "%.1f", total }'; }

stamp="$(date -u +%Y%m%d-%H%M%S)"
load_arguments=(--url "http://127.0.0.1:$base" --source demo --secret demo-signing-secret-from-the-readme
  --postgres "$AUTOMATION_POSTGRES;Database=$database" --fixed-rate "$fixed_rate")
if $short; then load_arguments+=(--warmup "${warmup:-10}" --fixed-duration 20 --step-duration 20 --rates "${rates:-100,200,300,400}")
else load_arguments+=(--warmup "${warmup:-20}" --rates "${rates:-100,200,300,400,500,600}"); fi

declare -A sustained
for mode in "${otlp_modes[@]}"; do
  fresh_database_and_vhost
  if [ "$mode" = on ]; then start_dashboard; fi
  start_bench_services "$mode"
  idle_start="$(cpu_total)"; sleep 10; idle_end="$(cpu_total)"
  info "idle, the six services use $(awk -v a="$idle_start" -v b="$idle_end" 'BEGIN { printf "%.0f", (b - a) * 100 }') ms of CPU a second (background passes)"
  info "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg); CPU seconds so far:$(cpu_report)"
  file="$results/e2e-otlp-$mode-$stamp.json"
  dotnet "$out/build/load/Automation.Bench.EndToEnd.dll" "${load_arguments[@]}" --label "otlp-$mode" --out "$file" \
    | tee "$log_dir/load-otlp-$mode.log" || fail "the load generator failed (OTLP $mode)"
  accepted="$(sed -n 's/.*events accepted in all (warm-up included): \([0-9]*\).*/\1/p' "$log_dir/load-otlp-$mode.log")"
  info "CPU seconds used by the services:$(cpu_report); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  info "services' CPU per accepted event: $(awk -v a="$idle_end" -v b="$(cpu_total)" -v n="${accepted:-0}" 'BEGIN { if (n > 0) printf "%.1f ms", (b - a) * 1000 / n; else print "n/a" }') (all six, idle burn included)"
  if [ "$mode" = on ]; then
    info "the Aspire Dashboard receiving the export used $(cpu_seconds "$(cat "$run_dir/dashboard.pid")") CPU seconds (same cores)"
  fi
  sustained[$mode]="$(sed -n 's/.*"SustainedPerSecond": \([0-9.]*\|null\).*/\1/p' "$file" | head -1)"
  stop_bench_services
  stop_dashboard >/dev/null
done

if [ ${#otlp_modes[@]} -eq 2 ]; then
  off="${sustained[off]}" on="${sustained[on]}"
  info "sustained events/s: OTLP off ${off:-none}, OTLP on ${on:-none}$(
    [ "${off:-null}" != null ] && [ "${on:-null}" != null ] && awk -v a="$off" -v b="$on" 'BEGIN { printf "; loss %.0f %%", (a - b) * 100 / a }')"
fi

if $ceiling; then
  info "the ceiling: raw MassTransit publish -> consume on the same broker (bench/Automation.Bench.Messaging --only raw)"
  dotnet build "$repo_root/bench/Automation.Bench.Messaging" -c Release -o "$out/build/messaging" -nologo -v quiet \
    >"$log_dir/build-messaging.log" 2>&1 || fail "building the messaging bench failed: see $log_dir/build-messaging.log"
  dotnet "$out/build/messaging/Automation.Bench.Messaging.dll" --only raw --messages 20000 --out "$results/e2e-ceiling-$stamp.json"
fi
