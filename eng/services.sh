# Starts and stops the Automation services as local processes. Sourced by ./automation.

# name:project folder:port:management port:topology, from deploy/services.conf (the one description of the services), in
# its order, which is the start order. The management port serves /metrics, the detailed /health/ready and OpenAPI
# (Management:Port); the other port only the service's own endpoints and a bare /health/live.
services_manifest="$repo_root/deploy/services.conf"
read_services_manifest() {
  local kind name project port management_port topology rest variable port_variable management_variable
  services=()
  [ -f "$services_manifest" ] || fail "$services_manifest is missing"
  while read -r kind name project port management_port topology rest; do
    [ "$kind" = service ] || continue
    # AUTOMATION_CRMSYNC_PORT for crm-sync: the name in capitals without its dashes.
    variable="AUTOMATION_$(echo "$name" | tr -d '-' | tr '[:lower:]' '[:upper:]')"
    port_variable="${variable}_PORT"; management_variable="${variable}_MANAGEMENT_PORT"
    port="${!port_variable:-$port}"; management_port="${!management_variable:-$management_port}"
    services+=("$name:$project:$port:$management_port:$topology")
  done <"$services_manifest"
  [ "${#services[@]}" -gt 0 ] || fail "$services_manifest lists no service"
}
read_services_manifest
run_dir="$state_dir/run"
log_dir="$state_dir/logs"
build_dir="$state_dir/build"

service_field() { echo "$1" | cut -d: -f"$2"; }

build_services() {
  info "building the services (Release)"
  local project
  for entry in "${services[@]}"; do
    project="$(service_field "$entry" 2)"
    dotnet build "$repo_root/services/$project/Automation.$project.csproj" -c Release -o "$build_dir/$project" -nologo -v quiet \
      >"$log_dir/build-$project.log" 2>&1 || fail "building $project failed: see $log_dir/build-$project.log"
  done
}

service_environment() {
  echo "RabbitMq__Uri=$AUTOMATION_RABBITMQ"
  echo "Operations__RabbitMqManagement__Uri=$AUTOMATION_RABBITMQ_MANAGEMENT"
  echo "ConnectionStrings__Automation=$AUTOMATION_POSTGRES;Database=automation"
  echo "ASPNETCORE_ENVIRONMENT=Development"
  if pid_alive "$run_dir/dashboard.pid"; then echo "OTEL_EXPORTER_OTLP_ENDPOINT=$(dashboard_otlp_endpoint)"; fi
}

start_services() {
  mkdir -p "$run_dir" "$log_dir"
  local name project port management_port
  for entry in "${services[@]}"; do
    name="$(service_field "$entry" 1)"; port="$(service_field "$entry" 3)"; management_port="$(service_field "$entry" 4)"
    if pid_alive "$run_dir/$name.pid"; then continue; fi
    port_free "$port" || fail "port $port (for $name) is in use by another program: free it or set AUTOMATION_*_PORT."
    port_free "$management_port" ||
      fail "port $management_port (for $name's management) is in use by another program: free it or set AUTOMATION_*_MANAGEMENT_PORT."
  done
  build_services
  deploy_topology
  for entry in "${services[@]}"; do
    name="$(service_field "$entry" 1)"; project="$(service_field "$entry" 2)"; port="$(service_field "$entry" 3)"
    management_port="$(service_field "$entry" 4)"
    if pid_alive "$run_dir/$name.pid"; then info "$name already runs"; continue; fi
    info "starting $name on http://127.0.0.1:$port (management http://127.0.0.1:$management_port)"
    (
      while IFS= read -r assignment; do export "${assignment?}"; done < <(service_environment)
      export Management__Port="$management_port"
      cd "$build_dir/$project"
      exec nohup dotnet "Automation.$project.dll" --urls "http://127.0.0.1:$port" >"$log_dir/$name.log" 2>&1
    ) &
    echo $! >"$run_dir/$name.pid"
  done
  for entry in "${services[@]}"; do
    name="$(service_field "$entry" 1)"; management_port="$(service_field "$entry" 4)"
    wait_ready "$name" "$management_port" || { stop_services; fail "$name did not become ready: see $log_dir/$name.log"; }
  done
}

# Every service's exchanges, queues and bindings, declared before any service starts (side by side: each takes ~2 s), so
# nothing a publisher sends is dropped for want of a queue whose consumer has not started yet.
deploy_topology() {
  local name project pids=() names=() failed=""
  for entry in "${services[@]}"; do
    [ "$(service_field "$entry" 5)" = yes ] || continue
    name="$(service_field "$entry" 1)"; project="$(service_field "$entry" 2)"
    (
      while IFS= read -r assignment; do export "${assignment?}"; done < <(service_environment)
      cd "$build_dir/$project" || exit 1
      exec dotnet "Automation.$project.dll" deploy-topology >"$log_dir/deploy-topology-$name.log" 2>&1
    ) &
    pids+=("$!"); names+=("$name")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed="$failed ${names[$i]}"
  done
  [ -z "$failed" ] || fail "declaring the RabbitMQ topology failed for:$failed (see $log_dir/deploy-topology-<service>.log)"
  info "RabbitMQ topology declared for every service"
}

# Readiness is asked on the service's management port.
wait_ready() {
  local name="$1" port="$2" deadline=$((SECONDS + ${AUTOMATION_READY_TIMEOUT:-90}))
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    pid_alive "$run_dir/$name.pid" || return 1
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
  info "$name is ready"
}

stop_services() {
  local name
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do
    name="$(service_field "${services[$i]}" 1)"
    if pid_alive "$run_dir/$name.pid"; then info "stopping $name"; fi
    # Past RabbitMq:DrainTimeout (30 s) and the bus's stop: messages in hand finish before a KILL.
    stop_pid "$run_dir/$name.pid" 45
  done
}

services_status() {
  local name port management_port
  for entry in "${services[@]}"; do
    name="$(service_field "$entry" 1)"; port="$(service_field "$entry" 3)"; management_port="$(service_field "$entry" 4)"
    if pid_alive "$run_dir/$name.pid"; then
      info "$name runs (pid $(cat "$run_dir/$name.pid"), http://127.0.0.1:$port, management http://127.0.0.1:$management_port)"
    else info "$name is not running"; fi
  done
}

print_first_webhook() {
  local ingress_port
  ingress_port="$(service_field "${services[1]}" 3)"
  cat <<TEXT

Automation is up. Send a first signed webhook (source 'demo', secret 'demo-signing-secret-from-the-readme'):

  body='{"id":"evt_'\$(date +%s%N)'","type":"survey.completed","timestamp":"2026-11-26T10:00:00Z","version":1,"data":{"surveyId":"srv_42","responseId":"rsp_7","respondent":{"email":"ada@example.com","name":"Ada Lovelace"},"score":9}}'
  curl -i http://127.0.0.1:$ingress_port/webhooks/demo -H 'Content-Type: application/json' -H "X-Signature: \$(printf '%s' "\$body" | openssl dgst -sha256 -hmac 'demo-signing-secret-from-the-readme' | sed 's/^.* //')" --data-binary "\$body"

Metrics:   http://127.0.0.1:$(service_field "${services[1]}" 4)/metrics and /health/ready (each service's management port)
Logs:      $log_dir/<service>.log  (./automation logs crm-sync)
RabbitMQ:  http://127.0.0.1:${AUTOMATION_RABBIT_MGMT_PORT:-55673}/ (guest/guest)
$(dashboard_line)
Stop:      ./automation down
TEXT
}
