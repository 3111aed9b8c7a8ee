#!/usr/bin/env bash
# Measures the Ingress on this machine: starts the infrastructure if needed, builds and starts a Release Ingress on its
# own database and RabbitMQ virtual host (the outbox delivers to RabbitMQ; no downstream consumer runs: a bounded sink
# queue takes the events), runs the load generator, reports the undelivered outbox backlog during the run, and stops the Ingress.
#   bench/ingress.sh                      sustained: 64 in flight for 60 s, 10 % duplicates, raw-insert ceiling 15 s
#   bench/ingress.sh --rate 1000 --concurrency 256 --duration 60      latency at a fixed rate
# Extra arguments go to the load generator (see bench/Automation.Bench.Ingress/BenchOptions.cs).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo_root/eng/common.sh"
"$repo_root/eng/infra.sh" start >/dev/null
set -a; source "$state_dir/infra.env"; set +a

port="${AUTOMATION_BENCH_INGRESS_PORT:-5180}"
management_port="${AUTOMATION_BENCH_INGRESS_MANAGEMENT_PORT:-5190}"
database=bench_ingress
vhost=bench-ingress
out="$state_dir/bench"
mkdir -p "$out"
port_free "$port" || fail "port $port is in use: set AUTOMATION_BENCH_INGRESS_PORT"
port_free "$management_port" || fail "port $management_port is in use: set AUTOMATION_BENCH_INGRESS_MANAGEMENT_PORT"

info "building (Release)"
dotnet build "$repo_root/services/Ingress" -c Release -o "$out/ingress" -nologo -v quiet >"$out/build-ingress.log" 2>&1 || fail "build failed: $out/build-ingress.log"
dotnet build "$repo_root/bench/Automation.Bench.Ingress" -c Release -o "$out/load" -nologo -v quiet >"$out/build-load.log" 2>&1 || fail "build failed: $out/build-load.log"

management="${AUTOMATION_RABBITMQ_MANAGEMENT%/}"
curl -fsS -u guest:guest -X DELETE "$management/api/vhosts/$vhost" >/dev/null 2>&1 || true
curl -fsS -u guest:guest -X PUT "$management/api/vhosts/$vhost" >/dev/null
curl -fsS -u guest:guest -X PUT -H 'content-type: application/json' -d '{"configure":".*","write":".*","read":".*"}' \
  "$management/api/permissions/$vhost/guest" >/dev/null
# What stands in for the Orchestrator's queues: the Ingress sends an event only where a queue takes it (the rest waits in
# its outbox), and this one keeps the last 1,000, so the broker's memory stays flat however long the bench runs.
curl -fsS -u guest:guest -X PUT -H 'content-type: application/json' -d '{"type":"fanout","durable":true}' \
  "$management/api/exchanges/$vhost/Automation.Contracts:IWebhookEvent" >/dev/null
curl -fsS -u guest:guest -X PUT -H 'content-type: application/json' \
  -d '{"durable":true,"arguments":{"x-max-length":1000,"x-overflow":"drop-head"}}' "$management/api/queues/$vhost/bench-sink" >/dev/null
curl -fsS -u guest:guest -X POST -H 'content-type: application/json' -d '{}' \
  "$management/api/bindings/$vhost/e/Automation.Contracts:IWebhookEvent/q/bench-sink" >/dev/null
pg="host=127.0.0.1 port=${AUTOMATION_PG_PORT:-55432} user=postgres"
psql "$pg dbname=postgres" -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null

# A secret of this run only: the Ingress runs outside Development and refuses secrets written in the repository.
secret="$(openssl rand -hex 32)"
info "starting the Ingress on http://127.0.0.1:$port (database $database, vhost $vhost)"
(
  cd "$out/ingress"
  exec env ConnectionStrings__Automation="${AUTOMATION_POSTGRES};Database=$database;Maximum Pool Size=200" \
    RabbitMq__Uri="${AUTOMATION_RABBITMQ%/}/$vhost" Logging__LogLevel__Default=Warning Management__Port="$management_port" \
    Ingress__Sources__bench__Scheme=hmac-sha256-hex Ingress__Sources__bench__Secrets__0="$secret" \
    Ingress__Sources__bench__Events__0=survey.completed Ingress__Sources__bench__RequestsPerSecond=1000000 \
    dotnet Automation.Ingress.dll --urls "http://127.0.0.1:$port"
) >"$out/ingress.log" 2>&1 &
ingress_pid=$!
backlog_pid=
cleanup() {
  [ -n "$backlog_pid" ] && kill "$backlog_pid" 2>/dev/null
  kill "$ingress_pid" 2>/dev/null && wait "$ingress_pid" 2>/dev/null
  return 0
}
trap cleanup EXIT
deadline=$((SECONDS + 60))
until curl -fs "http://127.0.0.1:$management_port/health/ready" >/dev/null 2>&1; do
  kill -0 "$ingress_pid" 2>/dev/null || fail "the Ingress exited: see $out/ingress.log"
  [ $SECONDS -lt $deadline ] || fail "the Ingress did not become ready: see $out/ingress.log"
  sleep 0.5
done

backlog() { psql "$pg dbname=$database" -Atc "SELECT count(*) FROM ingress.outbox_message"; }
# Warm-up (JIT, connection pools), not measured.
dotnet "$out/load/Automation.Bench.Ingress.dll" --url "http://127.0.0.1:$port" --secret "$secret" --concurrency 64 --duration 15 >/dev/null
( while sleep 5; do backlog; done >"$out/backlog.txt" ) &
backlog_pid=$!
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--concurrency 64 --duration 60 --duplicates 0.1 --raw-duration 15 --postgres "$AUTOMATION_POSTGRES")
info "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$out/load/Automation.Bench.Ingress.dll" --url "http://127.0.0.1:$port" --secret "$secret" "${args[@]}"
kill "$backlog_pid"; backlog_pid=
info "undelivered outbox messages every 5 s during the run: $(tr '\n' ' ' <"$out/backlog.txt")"
info "undelivered now: $(backlog)"
